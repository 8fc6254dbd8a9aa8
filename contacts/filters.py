"""Query filters of GET /contacts."""

import django_filters
from django.db.models import Q

from contacts.models import Contact
from crm_project.filters import StrictFilterSet


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
