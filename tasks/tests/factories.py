import factory

from deals.tests.factories import DealFactory
from tasks.models import Task


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    deal = factory.SubFactory(DealFactory)
    organization = factory.SelfAttribute("deal.organization")
    title = factory.Sequence(lambda n: f"Task {n}")
    description = None
    due_date = None
    is_done = False
