"""Hand-computed figures of the deals in conftest.py.

Acme, everyone (9 deals):
  USD 100.00 + 200.50 + 300.25 + 0.00 + 75.10 = 675.85 over 5 -> 135.17; won 300.25
  EUR 1000.00 + 250.05 = 1250.05 over 2 -> 625.025 -> 625.03 (half-up); won 1000.00
  JPY 50000.00 + 12345.00 = 62345.00 over 2 -> 31172.50; won 50000.00
  created within 30 days: usd_new, usd_progress, usd_won, usd_lost_proposal, eur_won, jpy_new = 6
  stages: qualification 2, proposal 2, negotiation 1, closed 4 -> reached 9, 7, 5, 4
  -> 7/9 = 77.78 %, 5/7 = 71.43 %, 4/5 = 80.00 %
bob (usd_won, usd_lost_closed, usd_lost_proposal, eur_progress, jpy_new):
  USD 300.25 + 0.00 + 75.10 = 375.35 over 3 -> 125.116.. -> 125.12; the only won deal is USD
  stages 1, 1, 1, 2 -> reached 5, 4, 3, 2 -> 80.00 %, 75.00 %, 66.67 %
"""

from decimal import Decimal as D


def currency(code, count, total, won, average):
    return {
        "currency": code,
        "count": count,
        "total_amount": D(total),
        "won_amount": D(won),
        "average_amount": D(average),
    }


def summary(total, new, in_progress, won, lost, total_won, average, new_deals, by_currency):
    return {
        "total_count": total,
        "new_count": new,
        "in_progress_count": in_progress,
        "won_count": won,
        "lost_count": lost,
        "total_won_amount": None if total_won is None else D(total_won),
        "average_amount": None if average is None else D(average),
        "new_deals_count": new_deals,
        "by_currency": by_currency,
    }


def funnel(counts, conversions):
    stages = ["qualification", "proposal", "negotiation", "closed"]
    reached = [sum(counts[index:]) for index in range(len(counts))]
    return {
        **{f"{stage}_count": count for stage, count in zip(stages, counts, strict=True)},
        "stages": [
            {
                "stage": stage,
                "count": count,
                "reached": reach,
                "conversion_to_next": None if conversion is None else D(conversion),
            }
            for stage, count, reach, conversion in zip(stages, counts, reached, conversions, strict=True)
        ],
    }


EVERYONE = summary(
    9, 2, 2, 3, 2, None, None, 6,
    [
        currency("EUR", 2, "1250.05", "1000.00", "625.03"),
        currency("JPY", 2, "62345.00", "50000.00", "31172.50"),
        currency("USD", 5, "675.85", "300.25", "135.17"),
    ],
)  # fmt: skip

BOB = summary(
    5, 1, 1, 1, 2, "300.25", None, 3,
    [
        currency("EUR", 1, "250.05", "0.00", "250.05"),
        currency("JPY", 1, "12345.00", "0.00", "12345.00"),
        currency("USD", 3, "375.35", "300.25", "125.12"),
    ],
)  # fmt: skip

# status_list=won: one deal per currency, so no single-currency total.
WON_ONLY = summary(
    3, 0, 0, 3, 0, None, None, 2,
    [
        currency("EUR", 1, "1000.00", "1000.00", "1000.00"),
        currency("JPY", 1, "50000.00", "50000.00", "50000.00"),
        currency("USD", 1, "300.25", "300.25", "300.25"),
    ],
)  # fmt: skip

# status_list=lost: USD only, so the average is a number; nothing won sums to 0.
LOST_ONLY = summary(2, 0, 0, 0, 2, "0.00", "37.55", 1, [currency("USD", 2, "75.10", "0.00", "37.55")])

# status_list=new&status_list=in_progress
ACTIVE = summary(
    4, 2, 2, 0, 0, "0.00", None, 3,
    [
        currency("EUR", 1, "250.05", "0.00", "250.05"),
        currency("JPY", 1, "12345.00", "0.00", "12345.00"),
        currency("USD", 2, "300.50", "0.00", "150.25"),
    ],
)  # fmt: skip

# created_after = now - 4 days: usd_new, eur_won, jpy_new; the only won deal is EUR.
LAST_4_DAYS = summary(
    3, 2, 0, 1, 0, "1000.00", None, 3,
    [
        currency("EUR", 1, "1000.00", "1000.00", "1000.00"),
        currency("JPY", 1, "12345.00", "0.00", "12345.00"),
        currency("USD", 1, "100.00", "0.00", "100.00"),
    ],
)  # fmt: skip

# created_after = now - 50 days: all but jpy_won; new_deals_count follows created_after (8, not 6).
LAST_50_DAYS = summary(
    8, 2, 2, 2, 2, None, None, 8,
    [
        currency("EUR", 2, "1250.05", "1000.00", "625.03"),
        currency("JPY", 1, "12345.00", "0.00", "12345.00"),
        currency("USD", 5, "675.85", "300.25", "135.17"),
    ],
)  # fmt: skip

# created_after = now - 4 days with status_list=won&status_list=lost: eur_won alone.
LAST_4_DAYS_CLOSED = summary(
    1, 0, 0, 1, 0, "1000.00", "1000.00", 1, [currency("EUR", 1, "1000.00", "1000.00", "1000.00")]
)  # fmt: skip

EMPTY = summary(0, 0, 0, 0, 0, "0.00", None, 0, [])

FUNNEL_EVERYONE = funnel([2, 2, 1, 4], ["77.78", "71.43", "80.00", None])
FUNNEL_BOB = funnel([1, 1, 1, 2], ["80.00", "75.00", "66.67", None])
FUNNEL_WON = funnel([0, 0, 0, 3], ["100.00", "100.00", "100.00", None])
# new and lost: usd_new, jpy_new (qualification), usd_lost_proposal, usd_lost_closed
FUNNEL_NEW_LOST = funnel([2, 1, 0, 1], ["50.00", "50.00", "100.00", None])
# new only: nothing got past qualification, so no conversion from a stage nobody reached.
FUNNEL_NEW = funnel([2, 0, 0, 0], ["0.00", None, None, None])
FUNNEL_EMPTY = funnel([0, 0, 0, 0], [None, None, None, None])
