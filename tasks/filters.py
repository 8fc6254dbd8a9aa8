"""Query filters of `GET /tasks` (API.md §5).

Every value is checked strictly: an unknown parameter, a repeated one, an empty one or a value
that does not parse is a 400 naming the parameter, never silently ignored (issue 3).
"""

import datetime
import re

import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from tasks.models import Task

# Parameters that belong to the pagination, not to the filter set.
PAGINATION_PARAMS = ("page", "page_size")

TRUE_VALUES = {"true", "1", "yes", "on"}
FALSE_VALUES = {"false", "0", "no", "off"}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class StrictBooleanField(forms.Field):
    """`true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`, any case); anything else is an error,
    where Django's NullBooleanField would turn it into "no filter"."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise forms.ValidationError("Must be a boolean: `true` or `false`.", code="invalid")


class StrictDateField(forms.Field):
    """A date written exactly `YYYY-MM-DD` (API.md §1), nothing looser."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if DATE_RE.match(text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                pass
        raise forms.ValidationError("Must be a date in the format YYYY-MM-DD.", code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class StrictDateFilter(django_filters.DateFilter):
    field_class = StrictDateField


class TaskFilterSet(django_filters.FilterSet):
    deal_id = django_filters.UUIDFilter(
        field_name="deal_id",
        help_text="Only the tasks of this deal.",
        error_messages={"invalid": "Must be a UUID."},
    )
    only_open = StrictBooleanFilter(method="filter_only_open", help_text="`true`: only tasks that are not done.")
    is_done = StrictBooleanFilter(field_name="is_done", help_text="Only done (`true`) or open (`false`) tasks.")
    due_before = StrictDateFilter(
        field_name="due_date", lookup_expr="lte", help_text="Due on or before this date (YYYY-MM-DD)."
    )
    due_after = StrictDateFilter(
        field_name="due_date", lookup_expr="gte", help_text="Due on or after this date (YYYY-MM-DD)."
    )

    class Meta:
        model = Task
        fields = []

    def filter_only_open(self, queryset, name, value):
        # `only_open=false` means "do not restrict", as in the original API.
        return queryset.filter(is_done=False) if value else queryset


def check_query_params(query_params, allowed):
    """400 for a parameter that is unknown, repeated or empty, one entry per parameter."""
    errors = {}
    for name in query_params:
        values = query_params.getlist(name)
        if name not in allowed:
            errors[name] = [f"Unknown query parameter `{name}`."]
        elif len(values) > 1:
            errors[name] = [f"`{name}` may be given only once."]
        elif not values[0].strip():
            errors[name] = [f"`{name}` must not be empty."]
    if errors:
        raise ValidationError(errors)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, plus the checks it does not make: unknown, repeated and empty parameters."""

    def check_params(self, request, view):
        filterset_class = self.get_filterset_class(view)
        allowed = set(PAGINATION_PARAMS) | set(filterset_class.base_filters if filterset_class else ())
        check_query_params(request.query_params, allowed)

    def filter_queryset(self, request, queryset, view):
        self.check_params(request, view)
        return super().filter_queryset(request, queryset, view)
