"""Throttles answered with 429 `ThrottledError` and `Retry-After` by the exception handler."""

from rest_framework.throttling import SimpleRateThrottle
from rest_framework.throttling import UserRateThrottle as DRFUserRateThrottle


class UserRateThrottle(DRFUserRateThrottle):
    """A general per-user budget (per client address before authentication)."""

    scope = "user"


class AuthRateThrottle(SimpleRateThrottle):
    """Register, login and refresh: per client address, whatever the body says."""

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
