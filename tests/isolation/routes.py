"""Every route under /api/v1 and the methods its view answers, read from the URLconf."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

API_PREFIX = "/api/v1/"
# `<str:pk>`, `(?P<pk>[^/]+)`, OpenAPI's `{id}`: any path parameter, whatever its name.
_PARAMETER = re.compile(r"<(?:[^>:]+:)?[^>]+>|\(\?P<[^>]+>[^)]*\)|\{[^}]+\}")
IGNORED_METHODS = {"options", "head"}


def normalise(route):
    """`api/v1/deals/<str:pk>/activities` -> `/api/v1/deals/{}/activities`."""
    route = _PARAMETER.sub("{}", route).lstrip("^").rstrip("$")
    return "/" + route.lstrip("/")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def view_methods(callback):
    """The HTTP methods a view answers: a viewset's action map, or an APIView's handlers."""
    actions = getattr(callback, "actions", None)
    if actions:
        return sorted(method.upper() for method in actions if method not in IGNORED_METHODS)
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:
        return ["GET"]
    return sorted(
        method.upper()
        for method in view_class.http_method_names
        if method not in IGNORED_METHODS and hasattr(view_class, method)
    )


def api_routes():
    """`{(route, METHOD), ...}` for every route under /api/v1."""
    found = set()
    for route, callback in _walk(get_resolver().url_patterns):
        path = normalise(route)
        if not path.startswith(API_PREFIX):
            continue
        for method in view_methods(callback):
            found.add((path, method))
    return found
