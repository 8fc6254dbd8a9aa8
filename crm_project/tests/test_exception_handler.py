"""The exception handler turns every kind of error into envelope entries, one per problem."""

import json
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from django.http import Http404
from django.urls import path
from rest_framework import exceptions
from rest_framework.test import APIClient

from crm_project.errors import LastOwner
from crm_project.exception_handler import envelope_exception_handler
from crm_project.logging import JSONFormatter, RequestIDFilter
from crm_project.middleware import APIPathMiddleware

pytestmark = pytest.mark.django_db


def handle(exc):
    response = envelope_exception_handler(exc, {"request": None})
    return response.status_code, response.data, response


def test_an_application_error_keeps_its_status_type_and_field():
    assert handle(LastOwner(field="role"))[:2] == (
        409,
        [{"message": LastOwner.default_message, "type": "LastOwnerException", "field": "role"}],
    )


def test_nested_validation_errors_are_flattened_with_dotted_fields():
    exc = exceptions.ValidationError(
        {
            "name": ["Too long.", "Bad characters."],
            "items": [{}, {"amount": ["Negative."]}],
            "non_field_errors": ["Inconsistent."],
            "address": {"city": ["Required."]},
        }
    )
    status, errors, _ = handle(exc)
    assert status == 400
    assert [(e["field"], e["message"]) for e in errors] == [
        ("name", "Too long."),
        ("name", "Bad characters."),
        ("items.1.amount", "Negative."),
        (None, "Inconsistent."),
        ("address.city", "Required."),
    ]
    assert {e["type"] for e in errors} == {"ValidationError"}


def test_a_django_validation_error_from_a_service_is_a_400_per_field():
    status, errors, _ = handle(DjangoValidationError({"amount": ["Too many digits."], "__all__": ["Nope."]}))
    assert status == 400
    assert [(e["field"], e["message"]) for e in errors] == [("amount", "Too many digits."), (None, "Nope.")]
    status, errors, _ = handle(DjangoValidationError(["First.", "Second."]))
    assert [(e["field"], e["message"]) for e in errors] == [(None, "First."), (None, "Second.")]


@pytest.mark.parametrize(
    ("exc", "status", "type_"),
    [
        (Http404("secret path"), 404, "NotFound"),
        (PermissionDenied("secret"), 403, "AccessDeniedException"),
        (exceptions.NotFound("secret"), 404, "NotFound"),
        (exceptions.PermissionDenied(), 403, "AccessDeniedException"),
        (exceptions.NotAcceptable(), 406, "NotAcceptable"),
        (exceptions.MethodNotAllowed("PUT"), 405, "MethodNotAllowed"),
    ],
)
def test_framework_errors_map_to_contract_types(exc, status, type_):
    got_status, errors, _ = handle(exc)
    assert got_status == status
    assert [e["type"] for e in errors] == [type_]
    assert "secret" not in errors[0]["message"]


def test_throttled_carries_retry_after_rounded_up():
    status, errors, response = handle(exceptions.Throttled(wait=2.2))
    assert status == 429 and errors[0]["type"] == "ThrottledError"
    assert response["Retry-After"] == "3"


def test_an_unknown_exception_is_a_bare_500_and_logged(caplog):
    with caplog.at_level(logging.ERROR, logger="crm_project.errors"):
        status, errors, _ = handle(DatabaseError("relation secret_table does not exist"))
    assert status == 500
    assert errors == [{"message": "Internal server error", "type": "InternalServerError", "field": None}]
    assert caplog.records[-1].exc_info[0] is DatabaseError


# --- outside DRF ----------------------------------------------------------------------------


def raise_404(request):
    raise Http404("secret")


def raise_suspicious(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("secret")


def raise_permission_denied(request):
    raise PermissionDenied("secret")


urlpatterns = [
    path("api/v1/test/404", raise_404),
    path("api/v1/test/400", raise_suspicious),
    path("api/v1/test/403", raise_permission_denied),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "status", "type_"),
    [
        ("/api/v1/test/404", 404, "NotFound"),
        ("/api/v1/test/400", 400, "ValidationError"),
        ("/api/v1/test/403", 403, "AccessDeniedException"),
    ],
)
def test_errors_raised_by_plain_views_are_enveloped(url, status, type_):
    response = APIClient(raise_request_exception=False).get(url)
    assert response.status_code == status
    body = response.json()
    assert body["data"] == {} and [e["type"] for e in body["errors"]] == [type_]
    assert "secret" not in response.content.decode()


def test_an_invalid_content_length_is_a_400(rf):
    request = rf.post("/api/v1/auth/login", data="{}", content_type="application/json")
    request.META["CONTENT_LENGTH"] = "twelve"
    response = APIPathMiddleware(lambda r: pytest.fail("must not reach the view"))(request)
    assert response.status_code == 400
    assert json.loads(response.content)["errors"][0]["type"] == "ValidationError"


def test_the_healthcheck_is_a_503_when_the_database_does_not_answer(monkeypatch):
    from crm_project import views

    class BrokenCursor:
        def __enter__(self):
            raise DatabaseError("connection refused to 10.0.0.5")

        def __exit__(self, *args):
            return False

    monkeypatch.setattr(views.connection, "cursor", lambda: BrokenCursor())
    response = APIClient().get("/healthcheck")
    assert response.status_code == 503
    body = response.json()
    assert body["data"] == {} and body["errors"][0]["type"] == "ServiceUnavailable"
    assert "10.0.0.5" not in response.content.decode()


def test_json_log_lines_carry_the_request_id_and_extras():
    record = logging.LogRecord("crm", logging.ERROR, __file__, 1, "failed %s", ("x",), None)
    record.user_id = "u-1"
    RequestIDFilter().filter(record)
    line = json.loads(JSONFormatter().format(record))
    assert line["message"] == "failed x"
    assert line["level"] == "ERROR"
    assert line["user_id"] == "u-1"
    assert "request_id" in line
