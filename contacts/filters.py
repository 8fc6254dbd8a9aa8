"""Query filters of GET /contacts, and the strict filter base the sales lists share.

A list never ignores a query parameter it does not understand: an unknown name, a repeated
single-valued parameter, an empty value or an invalid one is a 400 naming the parameter.
"""

import django_filters
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError

from contacts.models import Contact

# Handled by the paginator, which answers their own 400s.
PAGINATION_PARAMS = frozenset({"page", "page_size"})


class StrictFilterSet(django_filters.FilterSet):
    """A filter set that reports what a lenient one would drop without a word."""

    # Parameters whose empty value means "no filter" rather than a mistake.
    empty_allowed = frozenset()

    def parameter_errors(self):
        errors = {}
        for name in self.data:
            values = self.data.getlist(name)
            if name in PAGINATION_PARAMS:
                continue
            if name not in self.filters:
                errors[name] = [f"`{name}` is not a known query parameter."]
                continue
            if len(values) > 1 and not isinstance(self.filters[name], django_filters.MultipleChoiceFilter):
                errors[name] = [f"`{name}` may be given only once."]
            elif name not in self.empty_allowed and any(not value.strip() for value in values):
                errors[name] = [f"`{name}` must not be empty."]
        return errors


class StrictFilterBackend(DjangoFilterBackend):
    """Runs the view's `StrictFilterSet` and turns every problem into one 400 per parameter."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        errors = filterset.parameter_errors()
        if not filterset.is_valid():
            for name, messages in translate_validation(filterset.errors).detail.items():
                errors.setdefault(name, messages)
        if errors:
            raise ValidationError(errors)
        return filterset.qs


class ContactFilterSet(StrictFilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=255,
        label="Case-insensitive substring of the name, email or phone (`%` and `_` are literal).",
    )
    owner_id = django_filters.UUIDFilter(field_name="owner_id", label="Only contacts of this owner.")

    empty_allowed = frozenset({"search"})

    class Meta:
        model = Contact
        fields = ["search", "owner_id"]

    def filter_search(self, queryset, name, value):
        # `icontains` escapes `%` and `_`, so they match themselves.
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value) | Q(phone__icontains=value))
