"""Strict query filters shared by every list.

A list never ignores a query parameter it does not understand: an unknown name, a repeated
single-valued parameter, an empty value or an invalid one is a 400 naming the parameter.
"""

import datetime
import re

import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError

# Handled by the paginator, which answers their own 400s.
PAGINATION_PARAMS = frozenset({"page", "page_size"})

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


class StrictFilterSet(django_filters.FilterSet):
    """A filter set that reports what a lenient one would drop without a word."""

    # Parameters whose empty value means "no filter" rather than a mistake.
    empty_allowed = frozenset()

    @classmethod
    def parameter_errors(cls, query_params):
        """Unknown, repeated and empty parameters, one message per parameter."""
        errors = {}
        for name in query_params:
            values = query_params.getlist(name)
            if name in PAGINATION_PARAMS:
                continue
            if name not in cls.base_filters:
                errors[name] = [f"`{name}` is not a known query parameter."]
                continue
            if len(values) > 1 and not isinstance(cls.base_filters[name], django_filters.MultipleChoiceFilter):
                errors[name] = [f"`{name}` may be given only once."]
            elif name not in cls.empty_allowed and any(not value.strip() for value in values):
                errors[name] = [f"`{name}` must not be empty."]
        return errors


class StrictFilterBackend(DjangoFilterBackend):
    """Runs the view's `StrictFilterSet` and turns every problem into one 400 per parameter."""

    @staticmethod
    def errors_of(filterset):
        errors = filterset.parameter_errors(filterset.data)
        if not filterset.is_valid():
            for name, messages in translate_validation(filterset.errors).detail.items():
                errors.setdefault(name, messages)
        return errors

    def check_parameters(self, request, view):
        """Every parameter problem, before the list is narrowed to a `member`'s own records:
        a bad parameter is a 400 for every role, never a 403."""
        filterset_class = getattr(view, "filterset_class", None) or StrictFilterSet
        filterset = filterset_class(
            data=request.query_params, queryset=view.get_base_queryset().none(), request=request
        )
        errors = self.errors_of(filterset)
        if errors:
            raise ValidationError(errors)

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        errors = self.errors_of(filterset)
        if errors:
            raise ValidationError(errors)
        return filterset.qs
