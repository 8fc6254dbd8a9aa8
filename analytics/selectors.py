"""Deal analytics (API.md §6): the one place these figures are computed.

The API views, the admin and any export call these functions; each answers with ONE aggregate
query over the organization's deals. Money stays `Decimal` throughout and amounts of
different currencies are never added together.

Filters, shared by every figure:
- `owner_id`: only that user's deals (a `member` always gets its own id from the view).
- `created_after`: `created_at >= created_after`, inclusive. A `date` means the start
  (00:00) of that day in `settings.TIME_ZONE`; a naive `datetime` is read in that zone too.
- `status_list`: only deals whose status is one of these; `None` or empty means all.

Rounding: sums are exact; averages and percentages are computed in integers (cents) and
rounded half-up to 2 decimal places.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Field, Q, Sum
from django.utils import timezone

from deals.models import Deal, DealStage, DealStatus

# `new_deals_count` without `created_after`: deals created in this window up to now.
NEW_DEALS_WINDOW = datetime.timedelta(days=30)

STATUS_COUNT_KEYS = {
    DealStatus.NEW: "new_count",
    DealStatus.IN_PROGRESS: "in_progress_count",
    DealStatus.WON: "won_count",
    DealStatus.LOST: "lost_count",
}

CENT = Decimal("0.01")


def period_start(created_after):
    """The aware instant a `created_after` value stands for (None stays None)."""
    if created_after is None:
        return None
    if not isinstance(created_after, datetime.datetime):
        created_after = datetime.datetime.combine(created_after, datetime.time.min)
    if timezone.is_naive(created_after):
        created_after = timezone.make_aware(created_after, timezone.get_default_timezone())
    return created_after


def _filtered_deals(*, organization, owner_id, created_after, status_list):
    deals = Deal.objects.for_organization(organization)
    if owner_id is not None:
        deals = deals.filter(owner_id=owner_id)
    start = period_start(created_after)
    if start is not None:
        deals = deals.filter(created_at__gte=start)
    if status_list:
        deals = deals.filter(status__in=sorted(set(status_list)))
    # No ORDER BY: the model's default ordering has no place in an aggregate.
    return deals.order_by()


class MoneySum(Sum):
    """SUM of a 2-decimal money column, read back as an exact Decimal on every backend.

    PostgreSQL sums `numeric` exactly. SQLite keeps decimals as floating point, and Django
    reads a decimal aggregate back with 15 significant digits, so there every amount is
    summed as whole cents: an exact integer.
    """

    def __init__(self, expression, **extra):
        # A plain output field: a DecimalField would bring SQLite's 15-digit converter.
        super().__init__(expression, output_field=Field(), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        clone = self.copy()
        clone.template = "%(function)s(CAST(ROUND(%(expressions)s * 100) AS INTEGER))"
        return super(MoneySum, clone).as_sql(compiler, connection, **extra_context)

    @property
    def convert_value(self):
        return self._to_decimal

    @staticmethod
    def _to_decimal(value, expression, connection):
        if value is None:
            return None
        if connection.vendor == "sqlite":
            return Decimal(value).scaleb(-2)
        return Decimal(value)


def _count(condition=None):
    """Counts rows. `status` is never null, and unlike COUNT(id) it is a column of
    deal_org_analytics_idx, so PostgreSQL can answer from the index alone."""
    return Count("status", filter=condition)


def _money(value):
    return (value or Decimal(0)).quantize(CENT)


def _divide_half_up(numerator, denominator):
    """round(numerator / denominator) half-up, in integers (both non-negative)."""
    quotient, remainder = divmod(numerator, denominator)
    return quotient + 1 if 2 * remainder >= denominator else quotient


def _average(total, count):
    """The mean of `count` amounts summing to `total`, rounded half-up to the cent."""
    return Decimal(_divide_half_up(int(total * 100), count)).scaleb(-2)


def _percentage(part, whole):
    """part / whole as a percentage with 2 decimals, half-up; None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(_divide_half_up(part * 10_000, whole)) / 100).quantize(CENT)


def deal_summary(*, organization, owner_id=None, created_after=None, status_list=None, now=None):
    """Counts and money of the filtered deals (API.md §6).

    - `total_count` and the four status counts count the filtered deals.
    - `total_won_amount`: the sum of the filtered *won* deals when they all share one currency;
      `0.00` when there is no won deal (an empty sum); `None` when they span currencies.
    - `average_amount`: the mean amount of *all* filtered deals when they share one currency;
      `None` when there is no deal (no mean) or they span currencies.
    - `new_deals_count`: filtered deals created in the period `created_after` (or `now` minus
      30 days when absent) to `now`, both inclusive.
    - `by_currency`: per currency code (sorted), `count`, `total_amount`, `won_amount`
      (`0.00` when none won) and `average_amount`, always exact.
    """
    now = now or timezone.now()
    new_since = period_start(created_after) or now - NEW_DEALS_WINDOW
    deals = _filtered_deals(
        organization=organization, owner_id=owner_id, created_after=created_after, status_list=status_list
    )
    won = Q(status=DealStatus.WON)
    rows = deals.values("currency").annotate(
        count=_count(),
        total=MoneySum("amount"),
        won=MoneySum("amount", filter=won),
        new_deals=_count(Q(created_at__gte=new_since, created_at__lte=now)),
        **{key: _count(Q(status=status)) for status, key in STATUS_COUNT_KEYS.items()},
    )
    rows = sorted(rows, key=lambda row: row["currency"])

    summary = {"total_count": sum(row["count"] for row in rows)}
    for key in STATUS_COUNT_KEYS.values():
        summary[key] = sum(row[key] for row in rows)

    won_rows = [row for row in rows if row["won_count"]]
    if not won_rows:
        summary["total_won_amount"] = _money(0)
    elif len(won_rows) == 1:
        summary["total_won_amount"] = _money(won_rows[0]["won"])
    else:
        summary["total_won_amount"] = None

    if len(rows) == 1:
        summary["average_amount"] = _average(rows[0]["total"], rows[0]["count"])
    else:
        summary["average_amount"] = None

    summary["new_deals_count"] = sum(row["new_deals"] for row in rows)
    summary["by_currency"] = [
        {
            "currency": row["currency"],
            "count": row["count"],
            "total_amount": _money(row["total"]),
            "won_amount": _money(row["won"]),
            "average_amount": _average(row["total"], row["count"]),
        }
        for row in rows
    ]
    return summary


def deal_funnel(*, organization, owner_id=None, status_list=None):
    """Deals per stage and how many got at least that far (API.md §6).

    `count` = deals now at the stage; `reached` = deals at that stage or a later one
    (qualification < proposal < negotiation < closed, whatever their status: a lost deal
    at `closed` reached `closed`); `conversion_to_next` = reached(next) / reached(this) as
    a percentage, 2 decimals half-up, `None` for the last stage or when reached is 0.
    """
    deals = _filtered_deals(organization=organization, owner_id=owner_id, created_after=None, status_list=status_list)
    stages = list(DealStage.values)
    counts = deals.aggregate(**{f"{stage}_count": _count(Q(stage=stage)) for stage in stages})

    reached = {}
    running = 0
    for stage in reversed(stages):
        running += counts[f"{stage}_count"]
        reached[stage] = running

    funnel = {f"{stage}_count": counts[f"{stage}_count"] for stage in stages}
    funnel["stages"] = [
        {
            "stage": stage,
            "count": counts[f"{stage}_count"],
            "reached": reached[stage],
            "conversion_to_next": (
                _percentage(reached[stages[index + 1]], reached[stage]) if index + 1 < len(stages) else None
            ),
        }
        for index, stage in enumerate(stages)
    ]
    return funnel
