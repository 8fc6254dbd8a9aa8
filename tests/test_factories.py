import pytest

from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_child_factories_take_the_organization_of_their_parent():
    task = TaskFactory()
    assert task.organization_id == task.deal.organization_id == task.deal.contact.organization_id
