"""Tenant isolation over every route under /api/v1 (issue 6, item 1).

The routes come from the URLconf; the expectations from the case table (cases.py). One world
(two organizations, a user of neither) is built once for the module inside a transaction that
is rolled back at the end, and no probe rolls anything back: every probe checks that organization
A's rows are unchanged, and the last test compares A's rows with the snapshot taken before the
first probe.
"""

import json

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from deals.models import Deal
from organizations.models import Role
from tests.isolation.cases import CASES, CASES_BY_KEY, SCENARIOS
from tests.isolation.routes import api_routes
from tests.isolation.world import bearer, build_world
from tests.snapshot import assert_unchanged, organization_snapshot

HEADER = "HTTP_X_ORGANIZATION_ID"
ROUTES = api_routes()


def test_route_discovery_finds_the_foundation_routes():
    assert {("/api/v1/auth/login", "POST"), ("/api/v1/organizations/{}/members/{}", "PATCH")} <= ROUTES


def test_every_route_and_method_has_a_case():
    missing = sorted(ROUTES - set(CASES_BY_KEY))
    assert not missing, f"routes under /api/v1 with no isolation case: {missing}"


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.method} {case.route}")
def test_every_case_states_every_scenario(case):
    assert not case.missing_scenarios(), f"state an expectation or a reason for {case.missing_scenarios()}"
    assert set(case.na) <= set(SCENARIOS)


@pytest.mark.django_db
def test_the_world_has_two_tenants_apart():
    # Also, being a `django_db` test, makes pytest-django create the test database that the
    # module's world (not a `django_db` fixture, so that probes are never rolled back) uses.
    world = build_world()
    assert world.a.organization.pk != world.b.organization.pk
    assert not (world.a.secrets & world.b.records[Role.MEMBER].strings())


def _probe_id(case, scenario, detail):
    suffix = f"{scenario}:{detail[0]}" if detail else scenario
    return f"{case.method} {case.route} [{suffix}]"


PROBES = [
    pytest.param(case, scenario, detail, expect, id=_probe_id(case, scenario, detail))
    for case in CASES
    for scenario, detail, expect in case.probes()
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            built.snapshot = organization_snapshot(built.a.organization)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def db_access(world, django_db_blocker):
    with django_db_blocker.unblock():
        yield world


def _fill(template, values):
    if isinstance(template, str):
        return template.format_map(values)
    if isinstance(template, dict):
        return {key: _fill(value, values) for key, value in template.items()}
    return template


def build_request(world, case, scenario, detail):
    """(user, header organization, path, body, query) for one probe."""
    a, b = world.a, world.b
    a_peer, a_own, b_own = a.placeholders(), a.placeholders(owner=Role.MEMBER), b.placeholders()
    query = dict(case.query)
    if scenario == "anonymous":
        user, header, path_values, body_values = None, a, a_peer, a_peer
    elif scenario == "cross_path":
        user, header, path_values, body_values = world.user("outsider"), b, {**a_peer, "org": b_own["org"]}, b_own
    elif scenario == "cross_header":
        user, header, path_values, body_values = world.user("outsider"), a, a_peer, a_peer
    elif scenario in ("cross_body", "cross_query"):
        user, header, path_values, body_values = world.user("outsider"), b, b_own, b_own
    elif scenario == "member":
        user, header, path_values, body_values = world.user("member"), a, a_peer, a_peer
    elif scenario in ("member_body", "member_query"):
        user, header, path_values, body_values = world.user("member"), a, a_own, a_own
    elif scenario == "nonmember":
        user, header, path_values, body_values = world.loner, a, a_peer, a_peer
    else:
        raise AssertionError(scenario)
    path = _fill(case.path, path_values)
    body = _fill(case.body, body_values)
    if detail:
        name, value = detail
        foreign = _fill(value, a_peer)
        if scenario.endswith("_body"):
            body = {**(body or {}), name: foreign}
        else:
            query[name] = foreign
    return user, header.organization, path, body, query


def _deal_count(organization, owner=None):
    deals = Deal.objects.filter(organization=organization)
    return deals.filter(owner=owner).count() if owner else deals.count()


def _acting_figures(world, user):
    """How many deals the caller may count: its own as a member of A, all of B as B's owner."""
    if user == world.user("member"):
        return _deal_count(world.a.organization, owner=user)
    return _deal_count(world.b.organization)


CHECKS = {
    "empty": lambda world, user, data: data["items"] == [],
    "self": lambda world, user, data: data["id"] == str(user.pk),
    "new_organization": lambda world, user, data: data["id"] != str(world.a.organization.pk),
    "own_organizations": lambda world, user, data: (
        {entry["organization_id"] for entry in data["organizations"]}
        == {str(m.organization_id) for m in user.memberships.all()}
    ),
    "in_own_organization": lambda world, user, data: data["organization_id"] == str(world.b.organization.pk),
    "owned_by_caller": lambda world, user, data: data["owner_id"] == str(user.pk),
    "member_list": lambda world, user, data: len(data["items"]) >= 1,
    "one_deal_summary": lambda world, user, data: data["total_count"] == _acting_figures(world, user),
    "one_deal_funnel": lambda world, user, data: (
        sum(stage["count"] for stage in data["stages"]) == _acting_figures(world, user)
    ),
}


@pytest.mark.parametrize(("case", "scenario", "detail", "expect"), PROBES)
def test_isolation(db_access, case, scenario, detail, expect):
    world = db_access
    if case.key not in ROUTES:
        pytest.skip(f"{case.method} {case.route} is not routed")
    user, organization, path, body, query = build_request(world, case, scenario, detail)
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=bearer(user))
    before = organization_snapshot(world.a.organization)

    kwargs = {HEADER: str(organization.pk)}
    if case.method == "GET":
        response = client.get(path, query, **kwargs)
    else:
        target = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        response = getattr(client, case.method.lower())(target, body, format="json", **kwargs)

    text = response.content.decode()
    assert response.status_code == expect.status, text
    payload = json.loads(text) if text else None
    if payload is not None:
        assert set(payload) == {"data", "meta", "errors"}
    if expect.type:
        assert payload["data"] == {}
        assert [error["type"] for error in payload["errors"]] == [expect.type]
    if expect.check:
        assert CHECKS[expect.check](world, user, payload["data"]), text

    # Nothing read: no id or name of A (of the peer's records, for a member of A) in the answer.
    secrets = world.a.records["peer"].strings() if scenario.startswith("member") else world.a.secrets
    leaked = sorted(secret for secret in secrets if secret and secret in text)
    assert not leaked, f"the answer holds {leaked}"
    # Nothing changed.
    assert_unchanged(before, organization_snapshot(world.a.organization))


def test_organization_a_unchanged_after_the_suite(db_access):
    """Runs last in this module (it is not a `django_db` test, so pytest-django keeps it after
    the probes): every probe above left A's rows exactly as they were."""
    world = db_access
    assert_unchanged(world.snapshot, organization_snapshot(world.a.organization))
