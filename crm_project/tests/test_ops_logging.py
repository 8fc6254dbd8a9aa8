"""Production logs: JSON lines, every 5xx with the request id the response carries, and no
password or token in any line (issue 6, item 7)."""

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.tests.factories import TEST_PASSWORD
from crm_project.logging import JSONFormatter, RequestIDFilter, logging_config, redact

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login"
PASSWORD = "Zq9-unusual-password-7731"


@pytest.fixture
def production_log():
    """The production logging configuration, writing to a buffer instead of stdout."""
    stream = io.StringIO()
    logging.config.dictConfig(logging_config(level="INFO", fmt="json", stream=stream))
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_crash_is_logged_with_the_request_id_and_without_secrets(api_client, production_log, member, monkeypatch):
    token = str(RefreshToken.for_user(member.user).access_token)

    def crash(*, email, password):
        # Code that carelessly puts the body and the caller's token in an exception message.
        body = json.dumps({"email": email, "password": password}, separators=(",", ":"))
        raise RuntimeError(f"login crashed: body={body} auth=Bearer {token}")

    monkeypatch.setattr("accounts.services.user_login", crash)

    response = api_client.post(
        LOGIN,
        {"email": member.user.email, "password": PASSWORD},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_X_REQUEST_ID="req-crash-1",
    )

    assert response.status_code == 500
    assert response.json()["errors"] == [
        {"message": "Internal server error", "type": "InternalServerError", "field": None}
    ]
    assert response["X-Request-ID"] == "req-crash-1"

    text = production_log.getvalue()
    assert PASSWORD not in text
    assert token not in text
    assert token.split(".")[2] not in text  # not even the signature alone
    assert "[redacted]" in text  # the secrets were there and were masked

    records = lines(production_log)
    errors = [r for r in records if r["level"] == "ERROR"]
    assert {r["logger"] for r in errors} == {"crm_project.errors", "django.request"}
    assert all(r["request_id"] == "req-crash-1" for r in errors)
    crash_record = next(r for r in errors if r["logger"] == "crm_project.errors")
    assert crash_record["message"] == f"Unhandled exception on POST {LOGIN}"
    assert "RuntimeError: login crashed" in crash_record["exc_info"]
    assert '"password":"[redacted]"' in crash_record["exc_info"]
    assert "Bearer [redacted]" in crash_record["exc_info"]
    access = next(r for r in errors if r["logger"] == "django.request")
    assert access["status_code"] == 500
    assert access["request"] == f"POST {LOGIN}"


def test_a_generated_request_id_is_the_one_in_the_response_and_the_log(api_client, production_log, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("accounts.services.user_login", crash)

    response = api_client.post(LOGIN, {"email": "someone@example.com", "password": PASSWORD}, format="json")

    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert {r["request_id"] for r in lines(production_log) if r["level"] == "ERROR"} == {request_id}


def test_a_failed_login_is_logged_without_the_password(api_client, production_log, member):
    response = api_client.post(
        LOGIN,
        {"email": member.user.email, "password": TEST_PASSWORD + "-wrong"},
        format="json",
        HTTP_X_REQUEST_ID="req-401",
    )

    assert response.status_code == 401
    records = lines(production_log)
    warning = next(r for r in records if r["logger"] == "django.request")
    assert warning["level"] == "WARNING" and warning["request_id"] == "req-401" and warning["status_code"] == 401
    assert TEST_PASSWORD not in production_log.getvalue()


def test_tokens_returned_by_a_login_never_reach_the_log(api_client, production_log, member):
    response = api_client.post(LOGIN, {"email": member.user.email, "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 200
    logging.getLogger("crm_project.audit").info("login response %s", response.content.decode())

    text = production_log.getvalue()
    assert response.json()["data"]["access_token"] not in text
    assert response.json()["data"]["refresh_token"] not in text
    message = next(r["message"] for r in lines(production_log) if r["logger"] == "crm_project.audit")
    assert '"access_token":"[redacted]"' in message and '"refresh_token":"[redacted]"' in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"email": "a@b.c", "password": "hunter2x"}', '{"email": "a@b.c", "password": "[redacted]"}'),
        ("{'new_password': 'x'}", "{'new_password': '[redacted]'}"),
        ("GET /api/v1/x?refresh_token=abc.def&page=2", "GET /api/v1/x?refresh_token=[redacted]&page=2"),
        ("Authorization: Bearer abcdefghijklmnop", "Authorization: Bearer [redacted]"),
        ("cookie access_token=eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl;", "cookie access_token=[redacted];"),
        ("seen eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl here", "seen [redacted] here"),
        ("The token is invalid or expired.", "The token is invalid or expired."),
    ],
)
def test_redact(raw, expected):
    assert redact(raw) == expected


def test_gunicorn_access_lines_carry_the_response_request_id():
    record = logging.LogRecord(
        "gunicorn.access",
        logging.INFO,
        __file__,
        1,
        '%(h)s "%(r)s" %(s)s request_id=%({x-request-id}o)s',
        None,
        None,
    )
    # gunicorn passes its atoms as a mapping: set after construction, as gunicorn's logger does.
    record.args = {
        "h": "10.0.0.1",
        "r": "GET /api/v1/deals?token=secret-value HTTP/1.1",
        "s": "200",
        "{x-request-id}o": "abc123",
    }
    RequestIDFilter().filter(record)
    entry = json.loads(JSONFormatter().format(record))
    assert entry["request_id"] == "abc123"
    assert entry["message"] == '10.0.0.1 "GET /api/v1/deals?token=[redacted] HTTP/1.1" 200 request_id=abc123'


def test_a_crash_outside_the_api_is_logged_with_the_response_request_id(production_log, monkeypatch):
    from django.contrib.auth import get_user_model
    from django.test import Client

    staff = get_user_model().objects.create_superuser(email="staff@example.com", password=PASSWORD, name="Staff")
    client = Client(raise_request_exception=False)
    client.force_login(staff)

    def crash(self, request):
        raise RuntimeError("admin crashed")

    monkeypatch.setattr("organizations.admin.OrganizationAdmin.get_queryset", crash)

    response = client.get("/admin/organizations/organization/")

    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    errors = [r for r in lines(production_log) if r["level"] == "ERROR"]
    assert errors and {r["request_id"] for r in errors} == {request_id}
    assert any("RuntimeError: admin crashed" in r.get("exc_info", "") for r in errors)
    assert PASSWORD not in production_log.getvalue()
