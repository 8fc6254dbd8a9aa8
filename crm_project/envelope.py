"""The one response shape of API.md §1: `{"data": ..., "meta": {}, "errors": [...]}`."""

import json

from django.http import HttpResponse


def error_entry(message, type_, field=None):
    return {"message": str(message), "type": type_, "field": field}


def error_body(errors):
    return {"data": {}, "meta": {}, "errors": list(errors)}


def success_body(data, meta=None):
    return {"data": {} if data is None else data, "meta": meta or {}, "errors": []}


def json_error_response(status, message, type_, field=None, headers=None):
    """An envelope error built without DRF, for what happens outside a DRF view."""
    response = HttpResponse(
        json.dumps(error_body([error_entry(message, type_, field)]), separators=(",", ":")),
        status=status,
        content_type="application/json",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
