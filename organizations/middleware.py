"""Reads `X-Organization-Id` and nothing more: membership is checked after authentication,
in the tenant viewset base (organizations/tenancy.py)."""

import uuid

HEADER = "X-Organization-Id"
META_KEY = "HTTP_X_ORGANIZATION_ID"


class OrganizationHeaderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get(META_KEY)
        request.organization_header = raw
        request.organization_id = None
        if raw:
            # HTTP allows spaces and tabs around a value; other whitespace is part of it.
            value = raw.strip(" \t")
            try:
                parsed = uuid.UUID(value)
            except (ValueError, AttributeError):
                parsed = None
            # Only the canonical spellings count: `{...}`, `urn:uuid:` and bare hex are refused.
            if parsed is not None and value.lower() == str(parsed):
                request.organization_id = parsed
        return self.get_response(request)
