"""Another organization's user gets 404 for this organization's ids, in the path and in the body,
and afterwards nothing of this organization has changed (issue 3)."""

import pytest

from deals.models import Activity, Deal
from tasks.models import Task
from tasks.tests.factories import TaskFactory
from tasks.tests.helpers import data, deal_of, errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(owner_member):
    deal = deal_of(owner_member)
    return TaskFactory(deal=deal, title="Ours", description="Secret", is_done=False)


@pytest.fixture
def intruder(client_for, other_owner):
    # An owner in its own organization: the highest role there gives no reach into ours.
    return client_for(other_owner)


def snapshot():
    return (
        list(Task.objects.order_by("pk").values()),
        list(Deal.objects.order_by("pk").values()),
        list(Activity.objects.order_by("pk").values()),
    )


@pytest.mark.parametrize(
    ("method", "body"),
    [("get", None), ("patch", {"title": "Stolen", "is_done": True, "due_date": None}), ("delete", None)],
)
def test_a_task_id_of_another_organization_is_a_404(intruder, ours, method, body):
    before = snapshot()
    response = getattr(intruder, method)(f"/api/v1/tasks/{ours.pk}", body)
    assert response.status_code == 404
    assert [e["type"] for e in errors(response)] == ["TaskNotFoundException"]
    assert snapshot() == before


def test_a_deal_id_of_another_organization_in_the_body_is_a_404(intruder, ours, other_owner):
    before = snapshot()
    response = intruder.post("/api/v1/tasks", {"deal_id": str(ours.deal_id), "title": "Planted"})
    assert response.status_code == 404
    assert [(e["field"], e["type"]) for e in errors(response)] == [("deal_id", "DealNotFoundException")]
    assert snapshot() == before


def test_another_organization_lists_none_of_our_tasks(intruder, ours, other_owner):
    theirs = TaskFactory(deal=deal_of(other_owner))
    assert [item["id"] for item in data(intruder.get("/api/v1/tasks"))["items"]] == [str(theirs.pk)]
    body = data(intruder.get(f"/api/v1/tasks?deal_id={ours.deal_id}"))
    assert body == {"items": [], "pagination": {"limit": 20, "offset": 0, "total": 0}}


def test_the_header_decides_the_organization_not_the_body(intruder, ours, other_owner, organization):
    # The body names our organization; the task still lands in the caller's own.
    their_deal = deal_of(other_owner)
    response = intruder.post(
        "/api/v1/tasks",
        {"deal_id": str(their_deal.pk), "title": "Theirs", "organization_id": str(organization.pk)},
    )
    assert response.status_code == 201
    created = Task.objects.get(pk=data(response)["id"])
    assert created.organization_id == other_owner.organization_id
    assert Activity.objects.get().organization_id == other_owner.organization_id
