"""OpenAPI: every operation documents its error responses and the tenant header, and every
JSON response body is wrapped in the envelope `{data, meta, errors}`."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import AllowAny

from crm_project.errors import ERROR_TYPES

ERROR_DESCRIPTIONS = {
    "400": "Invalid input (body, query, header or path).",
    "401": "Missing, malformed, expired, revoked or wrong-kind token.",
    "403": "Not a member of the organization, role too low, or not your record.",
    "404": "Not found (including a record of another organization).",
    "409": "Conflict with the current state.",
    "413": "Request body too large.",
    "415": "The body is not JSON.",
    "429": "Throttled; see Retry-After.",
    "503": "Not ready: the database does not answer or has unapplied migrations.",
}

TENANT_HEADER = OpenApiParameter(
    name="X-Organization-Id",
    type=OpenApiTypes.UUID,
    location=OpenApiParameter.HEADER,
    required=True,
    description="The organization the request acts in. The caller must be a member of it.",
)


class JWTAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.JWTHeaderOrCookieAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Bearer", bearer_format="JWT"
        )


class EnvelopeAutoSchema(AutoSchema):
    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if getattr(self.view, "tenant_scoped", False):
            params.append(TENANT_HEADER)
        return params

    def _is_public(self):
        return any(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def error_statuses(self):
        statuses = {"400"}
        if self.view.get_throttles():
            statuses.add("429")
        if not self._is_public():
            statuses |= {"401", "403"}
        if self.path_regex.count("(?P<") or "{" in self.path or getattr(self.view, "tenant_scoped", False):
            statuses.add("404")
        if self.method in ("POST", "PUT", "PATCH"):
            statuses |= {"413", "415"}
        extra = getattr(self.view, "schema_error_statuses", {})
        statuses |= {str(s) for s in extra.get(getattr(self.view, "action", None) or self.method.lower(), ())}
        statuses |= {str(s) for s in extra.get("*", ())}
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in sorted(self.error_statuses()):
            responses.setdefault(
                status,
                {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}},
                },
            )
        return responses


def wrap_in_envelope(result, generator, request, public):
    """Postprocessing hook: wraps each success body and adds the error components."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "required": ["message", "type", "field"],
        "properties": {
            "message": {"type": "string"},
            "type": {"type": "string", "enum": ERROR_TYPES},
            "field": {"type": "string", "nullable": True},
        },
    }
    schemas["ErrorEnvelope"] = {
        "type": "object",
        "required": ["data", "meta", "errors"],
        "properties": {
            "data": {"type": "object", "maxProperties": 0},
            "meta": {"type": "object"},
            "errors": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Error"}},
        },
    }
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                if not status.startswith("2"):
                    continue
                content = response.get("content", {}).get("application/json")
                if not content or "schema" not in content:
                    continue
                content["schema"] = {
                    "type": "object",
                    "required": ["data", "meta", "errors"],
                    "properties": {
                        "data": content["schema"],
                        "meta": {"type": "object"},
                        "errors": {"type": "array", "maxItems": 0, "items": {"$ref": "#/components/schemas/Error"}},
                    },
                }
    return result
