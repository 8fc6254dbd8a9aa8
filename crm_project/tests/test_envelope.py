"""The envelope of API.md §1 on everything that can go wrong, inside DRF and outside it."""

import logging

import pytest
from django.http import HttpResponse
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from accounts.tests.factories import UserFactory
from conftest import make_client
from crm_project.urls import urlpatterns as project_urlpatterns

pytestmark = pytest.mark.django_db

SECRET = "very-secret-internal-detail"


class Boom(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request):
        raise RuntimeError(f"{SECRET} SELECT * FROM accounts_user WHERE /srv/app/models.py")


def plain_boom(request):
    raise ZeroDivisionError(SECRET)


def plain_html_error(request):
    return HttpResponse(f"<html><body>{SECRET}</body></html>", status=502)


class Echo(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        return Response({"received": request.data})


urlpatterns = [
    path("api/v1/test/boom", Boom.as_view()),
    path("api/v1/test/plain-boom", plain_boom),
    path("api/v1/test/html-error", plain_html_error),
    path("api/v1/test/echo", Echo.as_view()),
    *project_urlpatterns,
]
handler404 = "crm_project.views.json_not_found"
handler500 = "crm_project.views.json_server_error"


def assert_error(response, status, type_, message=None, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"data", "meta", "errors"}
    assert body["data"] == {} and body["meta"] == {}
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert set(error) == {"message", "type", "field"}
    assert error["type"] == type_
    assert error["field"] == field
    if message is not None:
        assert error["message"] == message
    text = response.content.decode()
    assert "Traceback" not in text and "<html" not in text.lower() and SECRET not in text
    return error


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("url", ["/api/v1/nope", "/api/v1/nope/", "/api/nope", "/nope", "/api/v1/auth/login/extra"])
def test_an_unknown_url_is_a_json_404(settings, debug, url):
    settings.DEBUG = debug
    assert_error(APIClient().get(url), 404, "NotFound", "Not found.")


def test_a_wrong_method_is_a_405_with_allow():
    response = APIClient().get("/api/v1/auth/login")
    assert_error(response, 405, "MethodNotAllowed")
    assert "POST" in response["Allow"]


def test_a_form_body_is_a_415_and_nothing_is_created():
    response = APIClient().post(
        "/api/v1/auth/register",
        "email=a%40example.com&password=s3cure-enough&name=A",
        content_type="application/x-www-form-urlencoded",
    )
    assert_error(response, 415, "UnsupportedMediaType")
    from accounts.models import User

    assert not User.objects.exists()


def test_a_multipart_body_is_a_415():
    response = APIClient().post("/api/v1/auth/login", {"email": "a@example.com", "password": "x"}, format="multipart")
    assert_error(response, 415, "UnsupportedMediaType")


@pytest.mark.parametrize("body", ['{"email": ', "{'email': 'a'}", "[1, 2", "\xff\xfe", "NaN-ish"])
def test_malformed_json_is_a_400(body):
    response = APIClient().post("/api/v1/auth/login", body, content_type="application/json")
    error = assert_error(response, 400, "ValidationError")
    assert error["message"].startswith("Malformed request body")


@pytest.mark.parametrize("body", ["[" * 100_000, '{"a": ' * 50_000], ids=["arrays", "objects"])
def test_json_nested_too_deeply_is_a_400_not_a_500(body):
    response = APIClient(raise_request_exception=False).post(
        "/api/v1/auth/login", body, content_type="application/json"
    )
    error = assert_error(response, 400, "ValidationError")
    assert "nested too deeply" in error["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"email": "a\\u0000@example.com", "password": "x"}', "email"),
        ('{"email": "\\ud800@example.com", "password": "x"}', "email"),
        ('{"email": "a@example.com", "password": NaN}', None),
    ],
    ids=["nul", "lone-surrogate", "nan"],
)
def test_bad_characters_and_constants_are_400s(body, field):
    response = APIClient(raise_request_exception=False).post(
        "/api/v1/auth/login", body, content_type="application/json"
    )
    assert_error(response, 400, "ValidationError", field=field)


def test_a_json_body_that_is_not_an_object_is_a_400():
    response = APIClient().post("/api/v1/auth/login", "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["type"] == "ValidationError"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("url", ["/api/v1/test/boom", "/api/v1/test/plain-boom"])
def test_a_crash_is_a_bare_500_and_is_logged_with_its_traceback(settings, caplog, debug, url):
    settings.DEBUG = debug
    client = APIClient(raise_request_exception=False)

    with caplog.at_level(logging.ERROR, logger="crm_project.errors"):
        response = client.get(url)

    assert_error(response, 500, "InternalServerError", "Internal server error")
    assert response["X-Request-ID"]
    logged = [r for r in caplog.records if r.name == "crm_project.errors"]
    assert logged and logged[0].exc_info is not None


@pytest.mark.urls(__name__)
def test_an_html_error_page_outside_drf_becomes_json():
    assert_error(APIClient().get("/api/v1/test/html-error"), 502, "InternalServerError", "Internal server error")


@pytest.mark.urls(__name__)
def test_a_body_over_the_size_cap_is_a_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = APIClient().post("/api/v1/test/echo", {"text": "x" * 2048}, format="json")
    error = assert_error(response, 413, "ValidationError")
    assert "1024" in error["message"]


@pytest.mark.urls(__name__)
def test_success_bodies_are_wrapped():
    response = APIClient().post("/api/v1/test/echo", {"a": [1, {"b": None}]}, format="json")
    assert response.json() == {"data": {"received": {"a": [1, {"b": None}]}}, "meta": {}, "errors": []}


def test_a_trailing_slash_is_served_the_same_without_a_redirect():
    user = UserFactory()
    client = make_client(user)
    plain, slashed = client.get("/api/v1/auth/me"), client.get("/api/v1/auth/me/")
    assert plain.status_code == slashed.status_code == 200
    assert plain.json() == slashed.json()

    response = APIClient().post("/api/v1/auth/login/", {"email": user.email, "password": "wrong-1"}, format="json")
    assert_error(response, 401, "InvalidCredentialsException")


def test_validation_errors_come_one_per_field():
    response = APIClient().post("/api/v1/auth/register", {"email": "bad", "name": ""}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert sorted(e["field"] for e in errors) == ["email", "name", "password"]
    assert all(e["type"] == "ValidationError" and e["message"] for e in errors)


def test_an_accept_header_asking_for_html_still_gets_json():
    response = APIClient().get("/api/v1/auth/me", HTTP_ACCEPT="text/html")
    assert_error(response, 401, "MissingTokenError")


def test_the_request_id_is_echoed_when_sane_and_replaced_otherwise():
    client = APIClient()
    assert client.get("/healthcheck", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    replaced = client.get("/healthcheck", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"]
    assert replaced != "bad id\n" and len(replaced) == 32


def test_the_admin_keeps_its_html_pages():
    response = APIClient().get("/admin/login/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
