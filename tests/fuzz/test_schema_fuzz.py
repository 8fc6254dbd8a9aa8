"""Schema-driven fuzzing of every operation in the app's own OpenAPI schema (issue 6, item 2).

The schema is read from /openapi.json through the WSGI application, in process. Every
operation gets the schema's examples, the coverage phase's boundary and wrong-type values, and
a fixed number of generated requests (valid and invalid by the schema), all from a fixed seed,
sent as the owner of a seeded organization; every other request names the seeded records' ids
and the tenant header so that the happy paths run too. Each response must not be a 5xx and
must match the schema: a documented status code, the content type, headers and the body
(errors included); a request invalid by the schema must not be accepted.

`make fuzz` runs it (a few minutes); `make test` leaves it out (tests/conftest.py).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS
from schemathesis.generation import GenerationMode

from tests.fuzz import stats
from tests.fuzz.world import FUZZ_EXAMPLES, seed_fuzz_world
from tests.isolation.routes import api_routes, normalise

application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/openapi.json", application)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=FUZZ_EXAMPLES,
    deterministic=True,
    database="none",
    allow_x00=True,
)
schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])

CHECK_NAMES = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
)
SELECTED_CHECKS = list(CHECKS.get_by_names(list(CHECK_NAMES)))


# The world of the running test, for the hook below.
active = {}


@schemathesis.hook
def before_call(context, case, kwargs):
    if "world" in active:
        active["world"].aim(case)


@pytest.fixture
def fuzz_world(db):
    # The WSGI handler closes "old" connections around each request, which would end the
    # test's transaction; the test client does the same switch.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    world = seed_fuzz_world()
    active["world"] = world
    try:
        yield world
    finally:
        active.clear()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_schema(case, fuzz_world):
    stats.record(case)
    case.call_and_validate(checks=SELECTED_CHECKS)


def test_the_schema_documents_every_api_route():
    documented = {(op.method.upper(), normalise(op.path)) for op in (r.ok() for r in schema.get_all_operations())}
    routed = {(method, route) for route, method in api_routes()}
    assert routed - documented == set()
