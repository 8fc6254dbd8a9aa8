"""Purpose-built deals with hand-computed figures (see test_selectors.py for the sums).

Acme (`organization`): `alice` is its owner, `bob` a `member`. Amounts, currencies, statuses,
stages and ages (days before `now`) are chosen so that every status and stage occurs, each
currency average needs rounding, and bob owns a subset whose won deals share one currency.
Globex (`other_organization`) has deals that must never count.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from contacts.tests.factories import ContactFactory
from deals.models import Deal
from deals.tests.factories import DealFactory

ACME_DEALS = [
    # key, owner, amount, currency, status, stage, days ago
    ("usd_new", "alice", "100.00", "USD", "new", "qualification", 1),
    ("usd_progress", "alice", "200.50", "USD", "in_progress", "proposal", 5),
    ("usd_won", "bob", "300.25", "USD", "won", "closed", 10),
    ("usd_lost_closed", "bob", "0.00", "USD", "lost", "closed", 40),
    ("usd_lost_proposal", "bob", "75.10", "USD", "lost", "proposal", 20),
    ("eur_won", "alice", "1000.00", "EUR", "won", "closed", 3),
    ("eur_progress", "bob", "250.05", "EUR", "in_progress", "negotiation", 35),
    ("jpy_won", "alice", "50000.00", "JPY", "won", "closed", 60),
    ("jpy_new", "bob", "12345.00", "JPY", "new", "qualification", 2),
]

GLOBEX_DEALS = [
    ("globex_usd_won", "carol", "999.99", "USD", "won", "closed", 1),
    ("globex_gbp_new", "carol", "5.00", "GBP", "new", "qualification", 1),
    ("globex_eur_lost", "carol", "7.77", "EUR", "lost", "negotiation", 50),
]


def make_deal(organization, owner, *, amount="1000.00", currency="USD", status="new", stage="qualification", at):
    """A deal with `created_at` set to `at` (auto_now_add cannot be overridden on create)."""
    deal = DealFactory(
        contact=ContactFactory(organization=organization, owner=owner),
        amount=Decimal(amount),
        currency=currency,
        status=status,
        stage=stage,
    )
    Deal.objects.filter(pk=deal.pk).update(created_at=at)
    deal.created_at = at
    return deal


def build(rows, organization, owners, now):
    return {
        key: make_deal(
            organization,
            owners[owner],
            amount=amount,
            currency=currency,
            status=status,
            stage=stage,
            at=now - datetime.timedelta(days=days),
        )
        for key, owner, amount, currency, status, stage, days in rows
    }


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def acme_deals(organization, owner_member, member, other_owner, now):
    """The Acme and Globex deals, aged relative to `now`."""
    owners = {"alice": owner_member.user, "bob": member.user, "carol": other_owner.user}
    deals = build(ACME_DEALS, organization, owners, now)
    build(GLOBEX_DEALS, other_owner.organization, owners, now)
    return deals
