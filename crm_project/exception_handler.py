"""The one exception handler: every error of a DRF view becomes the envelope of API.md §1."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from crm_project.envelope import error_entry
from crm_project.errors import ApplicationError

logger = logging.getLogger("crm_project.errors")

NON_FIELD_KEYS = {"non_field_errors", "__all__"}


def flatten_validation_detail(detail, field=None):
    """One `{message, type, field}` entry per problem; nested fields are dotted (`items.0.name`)."""
    if isinstance(detail, dict):
        entries = []
        for key, value in detail.items():
            if key in NON_FIELD_KEYS:
                child = field
            else:
                child = f"{field}.{key}" if field else str(key)
            entries.extend(flatten_validation_detail(value, child))
        return entries
    if isinstance(detail, (list, tuple)):
        entries = []
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list, tuple)) and value:
                # A list of nested objects: keep the position in the field path.
                entries.extend(flatten_validation_detail(value, f"{field}.{index}" if field else str(index)))
            elif value not in ({}, [], ()):
                entries.extend(flatten_validation_detail(value, field))
        return entries
    return [error_entry(detail, "ValidationError", field)]


def _django_validation_entries(exc):
    if hasattr(exc, "error_dict"):
        return flatten_validation_detail({k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()})
    return [error_entry(message, "ValidationError") for message in exc.messages]


DRF_TYPES = [
    (exceptions.NotAuthenticated, "MissingTokenError"),
    (exceptions.AuthenticationFailed, "InvalidTokenError"),
    (exceptions.PermissionDenied, "AccessDeniedException"),
    (exceptions.NotFound, "NotFound"),
    (exceptions.MethodNotAllowed, "MethodNotAllowed"),
    (exceptions.NotAcceptable, "NotAcceptable"),
    (exceptions.UnsupportedMediaType, "UnsupportedMediaType"),
    (exceptions.Throttled, "ThrottledError"),
    (exceptions.ParseError, "ValidationError"),
]

MESSAGES = {
    "InvalidTokenError": "The token is invalid or expired.",
    "NotFound": "Not found.",
}


def _drf_message(exc, type_):
    if type_ in MESSAGES:
        return MESSAGES[type_]
    detail = exc.detail
    if isinstance(detail, dict):
        detail = detail.get("detail", next(iter(detail.values()), ""))
    if isinstance(detail, (list, tuple)):
        detail = detail[0] if detail else ""
    return str(detail)


def envelope_exception_handler(exc, context):
    headers = {}
    if isinstance(exc, ApplicationError):
        status, errors = exc.status_code, [error_entry(exc.message, exc.type, exc.field)]
    elif isinstance(exc, exceptions.ValidationError):
        status, errors = 400, flatten_validation_detail(exc.detail)
    elif isinstance(exc, DjangoValidationError):
        status, errors = 400, _django_validation_entries(exc)
    elif isinstance(exc, Http404):
        status, errors = 404, [error_entry("Not found.", "NotFound")]
    elif isinstance(exc, DjangoPermissionDenied):
        status, errors = (
            403,
            [error_entry("You do not have permission to perform this action.", "AccessDeniedException")],
        )
    elif isinstance(exc, exceptions.APIException):
        type_ = next((t for cls, t in DRF_TYPES if isinstance(exc, cls)), "ValidationError")
        status = exc.status_code
        if type_ == "InvalidTokenError" and status == 403:
            status = 401
        message = _drf_message(exc, type_)
        if isinstance(exc, exceptions.ParseError):
            message = f"Malformed request body: {message}"
        errors = [error_entry(message, type_)]
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    else:
        request = context.get("request")
        logger.error(
            "Unhandled exception on %s %s",
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            exc_info=exc,
        )
        status, errors = 500, [error_entry("Internal server error", "InternalServerError")]

    set_rollback()
    return Response(errors, status=status, headers=headers, exception=True)
