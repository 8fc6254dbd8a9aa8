"""Query filters and ordering of GET /deals and GET /deals/{id}/activities."""

import django_filters
from django.db.models import Case, F, IntegerField, Value, When

from crm_project.filters import StrictFilterSet
from deals.models import STAGE_ORDER, Activity, Deal, DealStage, DealStatus

ORDER_FIELDS = ["created_at", "updated_at", "amount", "title", "status", "stage"]
DEFAULT_ORDER_FIELD = "created_at"
DEFAULT_ORDER = "desc"

# Status and stage sort in their business order (as declared), not alphabetically.
STATUS_ORDER = {status: index for index, status in enumerate(DealStatus.values)}


def _rank(field, ranks):
    return Case(
        *[When(**{field: value}, then=Value(rank)) for value, rank in ranks.items()],
        output_field=IntegerField(),
    )


ORDER_EXPRESSIONS = {
    "status": _rank("status", STATUS_ORDER),
    "stage": _rank("stage", STAGE_ORDER),
}


def _keep(queryset, name, value):
    # Ordering is applied once, after every filter, in `DealFilterSet.filter_queryset`.
    return queryset


class DealFilterSet(StrictFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=DealStatus.choices, label="Repeatable; deals with any of these statuses."
    )
    stage = django_filters.ChoiceFilter(choices=DealStage.choices)
    min_amount = django_filters.NumberFilter(
        field_name="amount", lookup_expr="gte", max_digits=15, decimal_places=2, label="Amount at least this."
    )
    max_amount = django_filters.NumberFilter(
        field_name="amount", lookup_expr="lte", max_digits=15, decimal_places=2, label="Amount at most this."
    )
    owner_id = django_filters.UUIDFilter(field_name="owner_id")
    contact_id = django_filters.UUIDFilter(field_name="contact_id")
    order_by = django_filters.ChoiceFilter(
        choices=[(name, name) for name in ORDER_FIELDS],
        method=_keep,
        label="Sort key (default `created_at`); ties are broken by id. `status` and `stage` sort in "
        "their business order.",
    )
    order = django_filters.ChoiceFilter(
        choices=[("asc", "asc"), ("desc", "desc")], method=_keep, label="Sort direction (default `desc`)."
    )

    class Meta:
        model = Deal
        fields = ["status", "stage", "min_amount", "max_amount", "owner_id", "contact_id", "order_by", "order"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        field = self.form.cleaned_data.get("order_by") or DEFAULT_ORDER_FIELD
        descending = (self.form.cleaned_data.get("order") or DEFAULT_ORDER) == "desc"
        key = ORDER_EXPRESSIONS.get(field)
        if key is None:
            key = F(field)
        key = key.desc() if descending else key.asc()
        tie = "-id" if descending else "id"
        return queryset.order_by(key, tie)


class ActivityFilterSet(StrictFilterSet):
    """No filters: only pagination, and any other parameter is a 400."""

    class Meta:
        model = Activity
        fields = []
