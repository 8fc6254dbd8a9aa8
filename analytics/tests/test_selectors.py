import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from analytics import selectors
from analytics.tests import expected
from analytics.tests.conftest import make_deal
from organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def summary(organization, now, **filters):
    return selectors.deal_summary(organization=organization, now=now, **filters)


def test_summary_of_everyone_keeps_currencies_apart(organization, acme_deals, now):
    assert summary(organization, now) == expected.EVERYONE


def test_summary_of_one_owner_counts_only_its_deals(organization, member, acme_deals, now):
    assert summary(organization, now, owner_id=member.user_id) == expected.BOB


@pytest.mark.parametrize(
    ("status_list", "result"),
    [
        (["won"], expected.WON_ONLY),
        (["lost"], expected.LOST_ONLY),
        (["new", "in_progress"], expected.ACTIVE),
        (["in_progress", "new", "new"], expected.ACTIVE),
        ([], expected.EVERYONE),
        (None, expected.EVERYONE),
    ],
)
def test_summary_applies_status_list_to_every_figure(organization, acme_deals, now, status_list, result):
    assert summary(organization, now, status_list=status_list) == result


@pytest.mark.parametrize(
    ("days", "status_list", "result"),
    [
        (4, None, expected.LAST_4_DAYS),
        (50, None, expected.LAST_50_DAYS),
        (4, ["won", "lost"], expected.LAST_4_DAYS_CLOSED),
    ],
)
def test_summary_applies_created_after_to_every_figure(organization, acme_deals, now, days, status_list, result):
    assert summary(organization, now, created_after=now - days * DAY, status_list=status_list) == result


def test_summary_of_an_organization_without_deals(acme_deals, now):
    assert summary(OrganizationFactory(), now) == expected.EMPTY
    assert summary(OrganizationFactory(), now, created_after=now, status_list=["won"]) == expected.EMPTY


def test_other_organizations_deals_never_count(other_organization, acme_deals, now):
    result = summary(other_organization, now)
    assert result["total_count"] == 3
    assert [row["currency"] for row in result["by_currency"]] == ["EUR", "GBP", "USD"]
    assert result["total_won_amount"] == Decimal("999.99")


def test_created_after_is_inclusive_to_the_microsecond(organization, owner_member):
    start = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)
    user = owner_member.user
    make_deal(organization, user, amount="1.00", at=start - datetime.timedelta(microseconds=1))
    make_deal(organization, user, amount="2.00", at=start)
    make_deal(organization, user, amount="4.00", at=start + DAY)
    result = summary(organization, start + 2 * DAY, created_after=start)
    assert result["total_count"] == 2
    assert result["by_currency"][0]["total_amount"] == Decimal("6.00")
    assert result["new_deals_count"] == 2


@override_settings(TIME_ZONE="America/New_York")
def test_created_after_date_is_the_start_of_that_day_in_the_time_zone(organization, owner_member):
    # 2026-01-15 00:00 in New York (EST, UTC-5) is 05:00 UTC.
    midnight = datetime.datetime(2026, 1, 15, 5, 0, tzinfo=datetime.UTC)
    user = owner_member.user
    make_deal(organization, user, amount="1.00", at=midnight - datetime.timedelta(microseconds=1))
    make_deal(organization, user, amount="2.00", at=midnight)
    make_deal(organization, user, amount="4.00", at=midnight + datetime.timedelta(hours=20))
    now = midnight + 3 * DAY
    by_date = summary(organization, now, created_after=datetime.date(2026, 1, 15))
    assert by_date["total_count"] == 2
    assert by_date["by_currency"][0]["total_amount"] == Decimal("6.00")
    # A naive datetime is read in the same zone.
    assert summary(organization, now, created_after=datetime.datetime(2026, 1, 15)) == by_date


def test_new_deals_default_window_is_the_last_30_days_inclusive(organization, owner_member):
    now = datetime.datetime(2026, 6, 30, 12, 0, tzinfo=datetime.UTC)
    user = owner_member.user
    make_deal(organization, user, at=now - 30 * DAY - datetime.timedelta(microseconds=1))
    make_deal(organization, user, at=now - 30 * DAY)
    make_deal(organization, user, at=now)
    result = summary(organization, now)
    assert result["total_count"] == 3
    assert result["new_deals_count"] == 2


def test_new_deals_count_also_honours_status_list(organization, acme_deals, now):
    # Six deals are younger than 30 days; of those, usd_won and eur_won are won.
    assert summary(organization, now, status_list=["won"])["new_deals_count"] == 2
    assert summary(organization, now, status_list=["in_progress"])["new_deals_count"] == 1


def test_average_is_rounded_half_up_not_half_even(organization, owner_member, now):
    user = owner_member.user
    # 0.05 / 2 = 0.025 -> 0.03 half-up (half-even would give 0.02).
    make_deal(organization, user, amount="0.05", currency="EUR", status="new", at=now)
    make_deal(organization, user, amount="0.00", currency="EUR", status="lost", at=now)
    result = summary(organization, now)
    assert result["average_amount"] == Decimal("0.03")
    assert result["by_currency"][0]["average_amount"] == Decimal("0.03")


def test_sums_stay_exact_at_the_largest_amounts(organization, owner_member, now):
    # Ten times the largest amount: beyond what a float sum keeps to the cent.
    for _ in range(10):
        make_deal(organization, owner_member.user, amount="9999999999999.99", status="won", stage="closed", at=now)
    make_deal(organization, owner_member.user, amount="0.01", status="won", stage="closed", at=now)
    result = summary(organization, now)
    # A float sum gives 99999999999999.9.
    assert result["total_won_amount"] == Decimal("99999999999999.91")
    assert result["by_currency"][0]["total_amount"] == Decimal("99999999999999.91")
    # 99999999999999.91 / 11 = 9090909090909.0827.. -> 9090909090909.08
    assert result["average_amount"] == Decimal("9090909090909.08")


def test_amounts_are_decimals_with_two_places(organization, acme_deals, now):
    result = summary(organization, now, status_list=["lost"])
    for value in (result["total_won_amount"], result["average_amount"], result["by_currency"][0]["won_amount"]):
        assert isinstance(value, Decimal)
        assert value.as_tuple().exponent == -2


def test_funnel_of_everyone(organization, acme_deals):
    assert selectors.deal_funnel(organization=organization) == expected.FUNNEL_EVERYONE


def test_funnel_of_one_owner(organization, member, acme_deals):
    assert selectors.deal_funnel(organization=organization, owner_id=member.user_id) == expected.FUNNEL_BOB


@pytest.mark.parametrize(
    ("status_list", "result"),
    [
        (["won"], expected.FUNNEL_WON),
        (["new"], expected.FUNNEL_NEW),
        (["new", "lost"], expected.FUNNEL_NEW_LOST),
    ],
)
def test_funnel_applies_status_list(organization, acme_deals, status_list, result):
    assert selectors.deal_funnel(organization=organization, status_list=status_list) == result


def test_funnel_of_an_organization_without_deals(acme_deals):
    assert selectors.deal_funnel(organization=OrganizationFactory()) == expected.FUNNEL_EMPTY


def test_funnel_never_counts_other_organizations(other_organization, acme_deals):
    funnel = selectors.deal_funnel(organization=other_organization)
    assert [stage["count"] for stage in funnel["stages"]] == [1, 0, 1, 1]


def test_funnel_of_an_owner_with_no_deals_in_the_organization(organization, acme_deals):
    outsider = MembershipFactory(organization=organization).user
    assert selectors.deal_funnel(organization=organization, owner_id=outsider.pk) == expected.FUNNEL_EMPTY


@pytest.mark.parametrize(
    ("part", "whole", "percentage"),
    [(1, 32, "3.13"), (2, 3, "66.67"), (1, 3, "33.33"), (1, 8, "12.50"), (0, 5, "0.00"), (5, 5, "100.00")],
)
def test_percentages_round_half_up(part, whole, percentage):
    assert selectors._percentage(part, whole) == Decimal(percentage)


def test_percentage_of_nothing_is_none():
    assert selectors._percentage(0, 0) is None
