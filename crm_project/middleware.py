"""Middleware for what happens outside DRF views: request ids, path normalisation and
JSON error envelopes for every non-admin path (unknown URLs, oversized bodies, crashes)."""

import json
import logging
import re
import uuid

from django.conf import settings
from django.http import HttpResponse

from crm_project.envelope import error_body, error_entry, json_error_response
from crm_project.request_context import request_id_var

logger = logging.getLogger("crm_project.errors")

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

STATUS_TYPES = {
    400: ("Bad request.", "ValidationError"),
    401: ("Authentication credentials were not provided or are invalid.", "InvalidTokenError"),
    403: ("You do not have permission to perform this action.", "AccessDeniedException"),
    404: ("Not found.", "NotFound"),
    405: ("Method not allowed.", "MethodNotAllowed"),
    413: ("The request body is too large.", "ValidationError"),
    415: ("Unsupported media type.", "UnsupportedMediaType"),
    429: ("Too many requests.", "ThrottledError"),
    500: ("Internal server error", "InternalServerError"),
}


# Headers of an error response that the JSON replacement keeps.
KEPT_HEADERS = ("Retry-After", "WWW-Authenticate", "Allow")


def as_json_error(response):
    """The envelope for an error response that is not JSON: an HTML page of Django, or a DRF
    view with another renderer (the schema views), whose error entries are kept."""
    entries = getattr(response, "data", None)
    if not (
        isinstance(entries, list)
        and entries
        and all(isinstance(e, dict) and {"message", "type", "field"} <= set(e) for e in entries)
    ):
        fallback = STATUS_TYPES[500 if response.status_code >= 500 else 400]
        message, type_ = STATUS_TYPES.get(response.status_code, fallback)
        entries = [error_entry(message, type_)]
    replacement = HttpResponse(
        json.dumps(error_body(entries)), status=response.status_code, content_type="application/json"
    )
    for name in KEPT_HEADERS:
        if response.has_header(name):
            replacement[name] = response[name]
    return replacement


class RequestIDMiddleware:
    """Gives every request an id (the client's `X-Request-ID` when it is sane) and echoes it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


def is_json_path(path):
    """Everything but the admin and static files answers errors in the JSON envelope."""
    return not (path.startswith("/admin") or path.startswith("/" + settings.STATIC_URL.lstrip("/")))


class APIPathMiddleware:
    """Serves `/api/...` paths with or without a trailing slash, caps request bodies, and
    makes sure no error on a JSON path is ever an HTML page or a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith("/api/") and len(path) > 5 and path.endswith("/"):
            request.path_info = path.rstrip("/")
        if not is_json_path(request.path_info):
            return self.get_response(request)

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return json_error_response(400, "Invalid Content-Length header.", "ValidationError")
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return json_error_response(
                413,
                f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.",
                "ValidationError",
            )

        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and not content_type.startswith("application/json"):
            return as_json_error(response)
        return response

    def process_exception(self, request, exception):
        if not is_json_path(request.path_info):
            return None
        from django.http import Http404

        if isinstance(exception, Http404):
            return json_error_response(404, *STATUS_TYPES[404])
        from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation

        if isinstance(exception, (SuspiciousOperation, BadRequest)):
            return json_error_response(400, *STATUS_TYPES[400])
        if isinstance(exception, PermissionDenied):
            return json_error_response(403, *STATUS_TYPES[403])
        logger.error("Unhandled exception on %s %s", request.method, request.path, exc_info=exception)
        return json_error_response(500, *STATUS_TYPES[500])
