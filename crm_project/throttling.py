"""Throttles answered with 429 `ThrottledError` and `Retry-After` by the exception handler.

Rates come from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` (`DJANGO_THROTTLE_AUTH`,
`DJANGO_THROTTLE_USER`), read when a request is throttled rather than at import, so a
changed setting takes effect without a restart of the class.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.throttling import UserRateThrottle as DRFUserRateThrottle


class SettingsRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserRateThrottle(SettingsRateMixin, DRFUserRateThrottle):
    """A general per-user budget (per client address before authentication)."""

    scope = "user"


class AuthRateThrottle(SettingsRateMixin, SimpleRateThrottle):
    """Register, login and refresh: per client address, whatever the body says."""

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
