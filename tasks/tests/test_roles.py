"""Every role x action of API.md §4 on tasks, table-driven.

A task is a caller's own when its deal is. Owners, admins and managers act on every task of the
organization; a `member` only on the tasks of its own deals: lists narrow silently, direct access
to another's task is 403, and a task on another's deal cannot be created.
"""

import datetime

import pytest

from deals.models import Activity
from organizations.models import Role
from organizations.tests.factories import MembershipFactory
from tasks.models import Task
from tasks.tests.factories import TaskFactory
from tasks.tests.helpers import data, deal_of, errors, item_ids

pytestmark = pytest.mark.django_db

ROLES = [Role.OWNER, Role.ADMIN, Role.MANAGER, Role.MEMBER]
ACTIONS = ["create", "retrieve", "update", "delete"]

ALLOWED = "allowed"
DENIED = "AccessDeniedException"
NOT_YOUR_DEAL = "CannotCreateTaskForOtherUserDealException"

# (role, whose deal) -> outcome per action.
TABLE = {
    (Role.OWNER, "own"): dict.fromkeys(ACTIONS, ALLOWED),
    (Role.OWNER, "other"): dict.fromkeys(ACTIONS, ALLOWED),
    (Role.ADMIN, "own"): dict.fromkeys(ACTIONS, ALLOWED),
    (Role.ADMIN, "other"): dict.fromkeys(ACTIONS, ALLOWED),
    (Role.MANAGER, "own"): dict.fromkeys(ACTIONS, ALLOWED),
    (Role.MANAGER, "other"): dict.fromkeys(ACTIONS, ALLOWED),
    (Role.MEMBER, "own"): dict.fromkeys(ACTIONS, ALLOWED),
    (Role.MEMBER, "other"): {"create": NOT_YOUR_DEAL, "retrieve": DENIED, "update": DENIED, "delete": DENIED},
}

CASES = [
    (role, whose, action, TABLE[role, whose][action])
    for role in ROLES
    for whose in ("own", "other")
    for action in ACTIONS
]


@pytest.fixture
def setup(organization):
    def build(role):
        caller = MembershipFactory(organization=organization, role=role)
        colleague = MembershipFactory(organization=organization, role=Role.MEMBER)
        deals = {"own": deal_of(caller), "other": deal_of(colleague)}
        tasks = {whose: TaskFactory(deal=deal, title=f"{whose} task") for whose, deal in deals.items()}
        return caller, deals, tasks

    return build


def perform(client, action, deal, task):
    if action == "create":
        return client.post("/api/v1/tasks", {"deal_id": str(deal.pk), "title": "Created"})
    if action == "retrieve":
        return client.get(f"/api/v1/tasks/{task.pk}")
    if action == "update":
        return client.patch(f"/api/v1/tasks/{task.pk}", {"title": "Renamed", "is_done": True})
    return client.delete(f"/api/v1/tasks/{task.pk}")


@pytest.mark.parametrize(("role", "whose", "action", "outcome"), CASES)
def test_role_by_action(client_for, setup, role, whose, action, outcome):
    caller, deals, tasks = setup(role)
    deal, task = deals[whose], tasks[whose]
    before = set(Task.objects.values_list("pk", "title", "is_done", "updated_at"))
    response = perform(client_for(caller), action, deal, task)

    if outcome != ALLOWED:
        assert response.status_code == 403
        assert [e["type"] for e in errors(response)] == [outcome]
        assert set(Task.objects.values_list("pk", "title", "is_done", "updated_at")) == before
        assert not Activity.objects.exists()
        return

    if action == "create":
        assert response.status_code == 201
        created = Task.objects.get(pk=data(response)["id"])
        assert created.deal_id == deal.pk
        assert Activity.objects.get().author_id == caller.user_id
    elif action == "retrieve":
        assert response.status_code == 200
        assert data(response)["title"] == f"{whose} task"
    elif action == "update":
        assert response.status_code == 200
        task.refresh_from_db()
        assert (task.title, task.is_done) == ("Renamed", True)
    else:
        assert response.status_code == 204
        assert not Task.objects.filter(pk=task.pk).exists()


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.OWNER, {"own", "other"}),
        (Role.ADMIN, {"own", "other"}),
        (Role.MANAGER, {"own", "other"}),
        (Role.MEMBER, {"own"}),
    ],
)
def test_list_is_narrowed_for_a_member(client_for, setup, role, sees):
    caller, deals, tasks = setup(role)
    client = client_for(caller)
    expected = {str(tasks[whose].pk) for whose in sees}
    body = data(client.get("/api/v1/tasks"))
    assert {item["id"] for item in body["items"]} == expected
    assert body["pagination"]["total"] == len(expected)
    # A filter on another's deal narrows to nothing for a member instead of revealing anything.
    assert set(item_ids(client.get(f"/api/v1/tasks?deal_id={deals['other'].pk}"))) == (
        {str(tasks["other"].pk)} if "other" in sees else set()
    )


@pytest.mark.parametrize("role", ROLES)
def test_owner_id_is_not_a_task_filter_for_any_role(client_for, setup, role):
    caller, _, _ = setup(role)
    response = client_for(caller).get(f"/api/v1/tasks?owner_id={caller.user_id}")
    assert response.status_code == 400
    assert [(e["field"], e["type"]) for e in errors(response)] == [("owner_id", "ValidationError")]


def test_a_member_may_complete_its_own_overdue_task(client_for, setup):
    caller, deals, _ = setup(Role.MEMBER)
    overdue = TaskFactory(deal=deals["own"], due_date=datetime.date(2020, 1, 1))
    response = client_for(caller).patch(f"/api/v1/tasks/{overdue.pk}", {"is_done": True})
    assert response.status_code == 200
    overdue.refresh_from_db()
    assert overdue.is_done is True


def test_a_task_follows_its_deal_when_the_deal_changes_owner(client_for, setup):
    caller, deals, tasks = setup(Role.MEMBER)
    client = client_for(caller)
    assert client.get(f"/api/v1/tasks/{tasks['other'].pk}").status_code == 403
    deals["other"].owner = caller.user
    deals["other"].save()
    assert client.get(f"/api/v1/tasks/{tasks['other'].pk}").status_code == 200
    assert str(tasks["other"].pk) in item_ids(client.get("/api/v1/tasks"))
