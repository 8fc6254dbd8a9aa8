"""The OpenAPI schema: generates with no warnings, validates, documents the envelope and auth."""

import io
import json
import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from crm_project.errors import ERROR_TYPES

pytestmark = pytest.mark.django_db

API_MD_TYPES = {
    "ValidationError",
    "MissingTokenError",
    "InvalidTokenError",
    "InvalidCredentialsException",
    "UserAlreadyExistsException",
    "NotAMemberException",
    "AccessDeniedException",
    "ContactNotFoundException",
    "DealNotFoundException",
    "TaskNotFoundException",
    "MemberNotFoundException",
    "ContactHasActiveDealsException",
    "CannotCloseDealWithZeroAmountException",
    "DealStageRollbackNotAllowedException",
    "CannotCreateTaskForOtherUserDealException",
    "InvalidTaskDueDateException",
    "LastOwnerException",
    "ThrottledError",
    "NotFound",
    "MethodNotAllowed",
    "UnsupportedMediaType",
    "InternalServerError",
}


@pytest.fixture(scope="module")
def schema():
    response = APIClient().get("/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_command_generates_a_valid_schema_with_no_warnings(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "openapi.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stdout=out, stderr=err)

    assert "warning" not in err.getvalue().lower()
    assert "error" not in err.getvalue().lower()
    document = yaml.safe_load(target.read_text())
    assert document["openapi"].startswith("3.")
    assert document["paths"]


def test_the_schema_is_served_as_yaml_and_as_json():
    client = APIClient()
    as_yaml = client.get("/api/schema")
    assert as_yaml.status_code == 200
    assert yaml.safe_load(as_yaml.content)["openapi"].startswith("3.")
    as_json = client.get("/api/schema", {"format": "json"})
    assert as_json.status_code == 200
    assert json.loads(as_json.content)["openapi"].startswith("3.")


def test_the_docs_render_from_local_static_files_only():
    response = APIClient().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert '"/openapi.json"' in html


def test_the_schema_and_docs_ignore_a_stale_token_cookie():
    client = APIClient()
    client.cookies["access_token"] = "expired-or-garbage"
    for url in ("/api/schema", "/openapi.json", "/api/docs"):
        assert client.get(url).status_code == 200, url


def test_bearer_auth_is_documented_and_required_where_it_is(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    paths = schema["paths"]
    assert paths["/api/v1/auth/me"]["get"]["security"] == [{"bearerAuth": []}]
    assert paths["/api/v1/organizations"]["post"]["security"] == [{"bearerAuth": []}]
    for public in ("/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/auth/token/refresh"):
        assert {"bearerAuth": []} not in paths[public]["post"].get("security", [])


def api_routes():
    """Every route under /api/v1 in the URLconf, in the schema's `{param}` spelling."""
    routes = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                routes.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, "")
    # drf-spectacular names a `pk` path parameter `id` (SCHEMA_COERCE_PATH_PK).
    return {route.replace("{pk}", "{id}") for route in routes if route.startswith("/api/v1/")}


def test_every_api_route_is_in_the_schema(schema):
    routes = api_routes()
    assert "/api/v1/organizations/{org_id}/members/{user_id}" in routes
    assert routes <= set(schema["paths"])


def test_every_operation_documents_its_errors_in_the_envelope(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "400" in responses, (method, path)
            if operation.get("security") == [{"bearerAuth": []}]:
                assert "401" in responses, (method, path)
            for status, response in responses.items():
                content = response.get("content", {}).get("application/json")
                if status.startswith("2"):
                    if content:
                        assert content["schema"]["required"] == ["data", "meta", "errors"], (method, path)
                else:
                    assert content["schema"] == {"$ref": "#/components/schemas/ErrorEnvelope"}, (method, path)


def test_the_error_types_include_every_code_of_the_contract(schema):
    enum = set(schema["components"]["schemas"]["Error"]["properties"]["type"]["enum"])
    assert enum >= API_MD_TYPES
    assert enum == set(ERROR_TYPES)


def test_paginated_lists_document_the_envelope_pagination(schema):
    operation = schema["paths"]["/api/v1/organizations/{org_id}/members"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"page", "page_size", "org_id"} <= names
    data = operation["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["data"]
    page = schema["components"]["schemas"][data["$ref"].rsplit("/", 1)[1]]
    assert page["required"] == ["items", "pagination"]
    assert page["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Member"}
    assert page["properties"]["pagination"]["required"] == ["limit", "offset", "total"]
