"""Query filters of `GET /tasks` (API.md §5)."""

import django_filters

from crm_project.filters import StrictBooleanFilter, StrictDateFilter, StrictFilterSet
from tasks.models import Task


class TaskFilterSet(StrictFilterSet):
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
