from decimal import Decimal

import factory

from contacts.tests.factories import ContactFactory
from deals.models import Activity, ActivityType, Deal, DealStage, DealStatus


class DealFactory(factory.django.DjangoModelFactory):
    """The deal takes its organization and owner from its contact, so it never straddles tenants."""

    class Meta:
        model = Deal

    contact = factory.SubFactory(ContactFactory)
    organization = factory.SelfAttribute("contact.organization")
    owner = factory.SelfAttribute("contact.owner")
    title = factory.Sequence(lambda n: f"Deal {n}")
    amount = Decimal("1000.00")
    currency = "USD"
    status = DealStatus.NEW
    stage = DealStage.QUALIFICATION


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    deal = factory.SubFactory(DealFactory)
    organization = factory.SelfAttribute("deal.organization")
    author = factory.SelfAttribute("deal.owner")
    type = ActivityType.COMMENT
    payload = factory.LazyFunction(lambda: {"text": "Called the client."})
