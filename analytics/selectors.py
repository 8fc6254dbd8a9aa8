"""Deal analytics (API.md §6): the one place these figures are computed.

The API views, the admin and any export call these functions; each answers with ONE aggregate
query over the organization's deals. Money stays `Decimal` throughout and amounts of
different currencies are never added together.

Filters, shared by every figure:
- `owner_id`: only that user's deals (a `member` always gets its own id from the view).
- `created_after`: `created_at >= created_after`, inclusive. A `date` means the start
  (00:00) of that day in `settings.TIME_ZONE`; a naive `datetime` is read in that zone too.
- `status_list`: only deals whose status is one of these; `None` or empty means all.

Rounding: averages and percentages are computed exactly (integer arithmetic on cents) and
rounded half-up to 2 decimal places.
"""

import datetime
from decimal import Decimal

from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.db.models.functions import Cast, Round
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


def _cents(condition=None):
    """Exact sum of `amount` in cents. Integer cents keep the sum exact on every backend:
    SQLite keeps decimals as floating point, and its SUM of them would drift."""
    return Sum(Cast(Round(F("amount") * 100), BigIntegerField()), filter=condition)


def _money(cents):
    return (Decimal(int(cents or 0)) / 100).quantize(CENT)


def _divide_half_up(numerator, denominator):
    """round(numerator / denominator) half-up, in integers (both non-negative)."""
    quotient, remainder = divmod(numerator, denominator)
    return quotient + 1 if 2 * remainder >= denominator else quotient


def _average(cents, count):
    """The mean of `count` amounts totalling `cents`, rounded half-up to the cent."""
    return _money(_divide_half_up(int(cents), count))


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
        count=Count("pk"),
        total_cents=_cents(),
        won_cents=_cents(won),
        new_deals=Count("pk", filter=Q(created_at__gte=new_since, created_at__lte=now)),
        **{key: Count("pk", filter=Q(status=status)) for status, key in STATUS_COUNT_KEYS.items()},
    )
    rows = sorted(rows, key=lambda row: row["currency"])

    summary = {"total_count": sum(row["count"] for row in rows)}
    for key in STATUS_COUNT_KEYS.values():
        summary[key] = sum(row[key] for row in rows)

    won_rows = [row for row in rows if row["won_count"]]
    if not won_rows:
        summary["total_won_amount"] = _money(0)
    elif len(won_rows) == 1:
        summary["total_won_amount"] = _money(won_rows[0]["won_cents"])
    else:
        summary["total_won_amount"] = None

    if len(rows) == 1:
        summary["average_amount"] = _average(rows[0]["total_cents"], rows[0]["count"])
    else:
        summary["average_amount"] = None

    summary["new_deals_count"] = sum(row["new_deals"] for row in rows)
    summary["by_currency"] = [
        {
            "currency": row["currency"],
            "count": row["count"],
            "total_amount": _money(row["total_cents"]),
            "won_amount": _money(row["won_cents"]),
            "average_amount": _average(row["total_cents"], row["count"]),
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
    counts = deals.aggregate(**{f"{stage}_count": Count("pk", filter=Q(stage=stage)) for stage in stages})

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
