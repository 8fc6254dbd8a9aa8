"""Page-number pagination with the response shape of API.md §1.

`data` is `{"items": [...], "pagination": {"limit", "offset", "total"}}`. `page` ≥ 1 and
`page_size` 1..100; anything else is a 400 naming the parameter. A page past the end is an
empty `items` list with the real `total`.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000


def parse_int_param(request, name, default, minimum, maximum):
    values = request.query_params.getlist(name)
    if not values:
        return default
    if len(values) > 1:
        raise ValidationError({name: [f"`{name}` may be given only once."]})
    raw = values[0].strip()
    if not raw.isascii() or not raw.isdigit():
        raise ValidationError({name: [f"`{name}` must be a whole number from {minimum} to {maximum}."]})
    value = int(raw)
    if not minimum <= value <= maximum:
        raise ValidationError({name: [f"`{name}` must be a whole number from {minimum} to {maximum}."]})
    return value


class EnvelopePagination(BasePagination):
    page_query_param = "page"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        page = parse_int_param(request, self.page_query_param, 1, 1, MAX_PAGE)
        page_size = parse_int_param(request, self.page_size_query_param, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
        self.limit = page_size
        self.offset = (page - 1) * page_size
        self.total = self.get_total(queryset, view)
        if self.offset >= self.total:
            return []
        return list(queryset[self.offset : self.offset + self.limit])

    def get_total(self, queryset, view):
        counter = getattr(view, "count_queryset", None)
        return counter(queryset) if counter else queryset.count()

    def get_paginated_response(self, data):
        return Response(
            {
                "items": data,
                "pagination": {"limit": self.limit, "offset": self.offset, "total": self.total},
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["items", "pagination"],
            "properties": {
                "items": schema,
                "pagination": {
                    "type": "object",
                    "required": ["limit", "offset", "total"],
                    "properties": {
                        "limit": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                        "offset": {"type": "integer", "minimum": 0},
                        "total": {"type": "integer", "minimum": 0},
                    },
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Items per page, 1 to {MAX_PAGE_SIZE}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
            },
        ]
