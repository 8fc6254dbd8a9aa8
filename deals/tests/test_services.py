from decimal import Decimal

import pytest

from contacts.tests.factories import ContactFactory
from deals import services
from deals.models import Activity, Deal, DealStage, DealStatus
from deals.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(owner_member):
    contact = ContactFactory(organization=owner_member.organization, owner=owner_member.user)
    return DealFactory(contact=contact, amount=Decimal("10.00"))


def test_a_failure_after_the_row_is_written_rolls_the_whole_patch_back(monkeypatch, owner_member, deal):
    """The PATCH is one transaction: if its second activity cannot be written, the deal row and
    the first activity are rolled back too."""
    real_record = services.activity_record
    calls = []

    def failing_record(**kwargs):
        calls.append(kwargs["type"])
        if len(calls) == 2:
            raise RuntimeError("the timeline is unavailable")
        return real_record(**kwargs)

    monkeypatch.setattr(services, "activity_record", failing_record)
    before = Deal.objects.values().get(pk=deal.pk)

    with pytest.raises(RuntimeError):
        services.deal_update(
            organization=owner_member.organization,
            actor=owner_member,
            deal_id=deal.pk,
            status=DealStatus.IN_PROGRESS,
            stage=DealStage.PROPOSAL,
            title="Changed",
        )

    assert calls == ["status_changed", "stage_changed"]
    assert Deal.objects.values().get(pk=deal.pk) == before
    assert not Activity.objects.exists()


def test_an_empty_patch_changes_nothing(owner_member, deal):
    before = Deal.objects.values().get(pk=deal.pk)

    result = services.deal_update(organization=owner_member.organization, actor=owner_member, deal_id=deal.pk)

    assert result.pk == deal.pk
    assert Deal.objects.values().get(pk=deal.pk) == before
    assert not Activity.objects.exists()


def test_activity_record_keeps_its_signature_for_other_writers(owner_member, deal):
    activity = services.activity_record(
        organization=owner_member.organization,
        deal=deal,
        author=owner_member.user,
        type="system",
        payload={"note": "imported"},
    )

    assert (activity.organization_id, activity.deal_id, activity.type) == (deal.organization_id, deal.pk, "system")
