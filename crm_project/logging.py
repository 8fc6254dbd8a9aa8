"""Log formatting: every line carries the request id; production writes one JSON object a line.

No line may hold a secret: passwords, tokens and `Authorization` values are masked by the
formatters, whatever logger wrote them (Django, DRF, gunicorn, the project's own).
"""

import json
import logging
import re
from datetime import UTC, datetime

from crm_project.request_context import request_id_var

# Attributes every LogRecord has; anything else was passed through `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}

MASK = "[redacted]"
_SECRET_NAMES = (
    r"(?:password\d?|new_password|old_password|token|access_token|refresh_token|access|refresh|secret|api_key)"
)
_SECRET_PATTERNS = [
    # "password": "..." in a JSON body (also when the JSON is itself escaped inside a string).
    (
        re.compile(r"""((?:\\?["'])""" + _SECRET_NAMES + r"""(?:\\?["'])\s*:\s*(?:\\?["']))[^"'\\]*""", re.I),
        r"\1" + MASK,
    ),
    # password=... in a query string or a form body.
    (re.compile(r"(\b" + _SECRET_NAMES + r"=)[^&\s\"';,]+", re.I), r"\1" + MASK),
    # Authorization: Bearer <token>, Basic <credentials>.
    (re.compile(r"\b((?i:bearer)|Basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 " + MASK),
    # A JSON Web Token anywhere (header.payload.signature, base64url).
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), MASK),
]


def redact(text):
    """`text` with every recognisable secret replaced by `[redacted]`."""
    if not text:
        return text
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def record_request_id(record):
    """The id of the request the record belongs to.

    Django logs a 4xx/5xx response (`django.request`) after the middleware chain returned, when
    the context variable is already reset; the request object on the record still has the id.
    """
    request = getattr(record, "request", None)
    request_id = getattr(request, "request_id", None)
    if request_id:
        return request_id
    # gunicorn's access log: the id is the `X-Request-ID` response header.
    if record.name == "gunicorn.access" and isinstance(record.args, dict):
        header = record.args.get("{x-request-id}o")
        if header and header != "-":
            return header
    return request_id_var.get()


class RequestIDFilter(logging.Filter):
    def filter(self, record):
        record.request_id = record_request_id(record)
        return True


class RedactingFormatter(logging.Formatter):
    """The plain text format, with secrets masked."""

    def format(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = record_request_id(record)
        return redact(super().format(record))


class JSONFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or record_request_id(record),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_"):
                continue
            if key == "request":
                # The request's repr is its method and path; the id is already in `request_id`.
                value = f"{getattr(value, 'method', '?')} {getattr(value, 'path', '?')}"
            if isinstance(value, str):
                value = redact(value)
            elif not isinstance(value, (int, float, bool, type(None))):
                value = redact(repr(value))
            entry[key] = value
        if record.exc_info:
            entry["exc_info"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(*, level="INFO", fmt="json", stream="ext://sys.stdout"):
    """The `LOGGING` dict of production: one handler on stdout, JSON or text, secrets masked."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "crm_project.logging.RequestIDFilter"}},
        "formatters": {
            "text": {"()": "crm_project.logging.RedactingFormatter", "format": TEXT_FORMAT},
            "json": {"()": "crm_project.logging.JSONFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": fmt,
                "filters": ["request_id"],
                "stream": stream,
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # 4xx responses are logged as warnings, 5xx as errors, with the request id.
            "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }


def gunicorn_logging_config(*, level="INFO", fmt="json"):
    """gunicorn's own loggers (errors and the access log), in the same format on stdout."""
    config = logging_config(level=level, fmt=fmt)
    config["root"] = {"handlers": [], "level": "WARNING"}
    config["loggers"] = {
        "gunicorn.error": {"handlers": ["console"], "level": level, "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    }
    return config
