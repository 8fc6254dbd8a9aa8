"""FastOutputMixin gives exactly what DRF's own field-by-field path gives (issue 5)."""

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from contacts.serializers import ContactSerializer
from contacts.tests.factories import ContactFactory
from deals.models import DealStatus
from deals.serializers import ActivitySerializer, DealSerializer
from deals.tests.factories import ActivityFactory, DealFactory
from tasks.serializers import TaskSerializer
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def drf_output(serializer_class, instance):
    """The same serializer without the mixin: DRF's own output."""
    plain_class = type(
        "Plain" + serializer_class.__name__,
        (serializers.ModelSerializer,),
        {**serializer_class._declared_fields, "Meta": serializer_class.Meta},
    )
    return plain_class(instance).data


def closed_deal_without_contact():
    deal = DealFactory(status=DealStatus.LOST)
    deal.contact = None
    deal.save()
    return deal


def both(serializer_class, instance):
    fast = serializer_class(instance).data
    slow = drf_output(serializer_class, instance)
    return fast, slow


@pytest.mark.parametrize(
    ("serializer_class", "make"),
    [
        (DealSerializer, lambda: DealFactory(amount=Decimal("1234.50"), status=DealStatus.WON)),
        (DealSerializer, lambda: closed_deal_without_contact()),
        (ContactSerializer, lambda: ContactFactory(email=None, phone="+1 555 0100")),
        (ContactSerializer, lambda: ContactFactory(email="Ann@Example.com")),
        (TaskSerializer, lambda: TaskFactory(due_date=datetime.date(2030, 1, 31), description="Call", is_done=True)),
        (TaskSerializer, lambda: TaskFactory(due_date=None, description=None)),
        (ActivitySerializer, lambda: ActivityFactory(payload={"text": "é ✓", "n": [1, 2]})),
        (ActivitySerializer, lambda: ActivityFactory(author=None)),
    ],
)
def test_same_output_as_drf(serializer_class, make):
    instance = make()
    for obj in (instance, type(instance).objects.get(pk=instance.pk)):
        fast, slow = both(serializer_class, obj)
        assert list(fast) == list(slow)
        assert fast == slow
        assert JSONRenderer().render(fast) == JSONRenderer().render(slow)


def test_same_output_in_another_timezone_and_for_lists():
    deals = [DealFactory(), DealFactory()]
    with timezone.override(datetime.timezone(datetime.timedelta(hours=5, minutes=30))):
        fast = DealSerializer(deals, many=True).data
        slow = [drf_output(DealSerializer, deal) for deal in deals]
    assert json.loads(JSONRenderer().render(fast)) == json.loads(JSONRenderer().render(slow))
    assert fast[0]["created_at"].endswith("+05:30")


def test_utc_timestamps_end_in_z_and_amounts_are_numbers():
    deal = DealFactory(amount=Decimal("10.00"))
    body = json.loads(JSONRenderer().render(DealSerializer(deal).data))
    assert body["created_at"].endswith("Z")
    assert body["amount"] == 10.0
    assert body["id"] == str(deal.pk)
    assert body["contact_id"] == str(deal.contact_id)
