"""Query budget (issue 3): the list and the detail endpoints run a fixed number of SQL queries
with 1 row and with 50, for a role that sees everything and for a `member` (whose rule follows
the task's deal)."""

import datetime

import pytest

from organizations.models import Role
from organizations.tests.factories import MembershipFactory
from tasks.tests.factories import TaskFactory
from tasks.tests.helpers import data, deal_of

pytestmark = pytest.mark.django_db

# Authentication (the user), the membership behind the tenant header, then the endpoint's own.
LIST_QUERIES = 2 + 2  # count, page
GET_QUERIES = 2 + 1  # the task with its deal
PATCH_QUERIES = 2 + 2  # the task with its deal, the update
DELETE_QUERIES = 2 + 2  # the task with its deal, the delete


@pytest.fixture(params=[Role.MANAGER, Role.MEMBER])
def caller(request, organization):
    return MembershipFactory(organization=organization, role=request.param)


def tasks_for(caller, count):
    """`count` tasks on several of the caller's deals, plus a colleague's task a member never sees."""
    deals = [deal_of(caller) for _ in range(min(count, 5))]
    tasks = [
        TaskFactory(deal=deals[n % len(deals)], description="d", due_date=datetime.date(2100, 1, 1))
        for n in range(count)
    ]
    colleague = MembershipFactory(organization=caller.organization, role=Role.MEMBER)
    TaskFactory(deal=deal_of(colleague))
    return tasks


@pytest.mark.parametrize("count", [1, 50])
def test_list(client_for, caller, django_assert_num_queries, count):
    tasks_for(caller, count)
    client = client_for(caller)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/api/v1/tasks?page_size=100")
    visible = count + (0 if caller.role == Role.MEMBER else 1)
    assert len(data(response)["items"]) == visible


@pytest.mark.parametrize("count", [1, 50])
def test_list_with_every_filter(client_for, caller, django_assert_num_queries, count):
    tasks = tasks_for(caller, count)
    client = client_for(caller)
    query = f"?deal_id={tasks[0].deal_id}&only_open=true&is_done=false&due_after=2000-01-01&due_before=2999-01-01"
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/api/v1/tasks" + query)
    assert data(response)["pagination"]["total"] == len([t for t in tasks if t.deal_id == tasks[0].deal_id])


@pytest.mark.parametrize("count", [1, 50])
def test_detail(client_for, caller, django_assert_num_queries, count):
    tasks = tasks_for(caller, count)
    client = client_for(caller)
    with django_assert_num_queries(GET_QUERIES):
        assert client.get(f"/api/v1/tasks/{tasks[-1].pk}").status_code == 200
    with django_assert_num_queries(PATCH_QUERIES):
        assert client.patch(f"/api/v1/tasks/{tasks[-1].pk}", {"is_done": True}).status_code == 200
    with django_assert_num_queries(DELETE_QUERIES):
        assert client.delete(f"/api/v1/tasks/{tasks[-1].pk}").status_code == 204
