"""The id of the request being served, for log lines and the `X-Request-ID` header."""

import contextvars

request_id_var = contextvars.ContextVar("request_id", default="-")
