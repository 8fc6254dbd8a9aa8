"""GET /tasks: every filter, its invalid values, the order and the pagination edges (API.md §1, §5)."""

import datetime
import uuid

import pytest

from tasks.models import Task
from tasks.tests.factories import TaskFactory
from tasks.tests.helpers import data, deal_of, errors, item_ids

pytestmark = pytest.mark.django_db

D10 = datetime.date(2030, 1, 10)
D11 = datetime.date(2030, 1, 11)
D12 = datetime.date(2030, 1, 12)


@pytest.fixture
def client(client_for, admin_member):
    return client_for(admin_member)


@pytest.fixture
def deal(admin_member):
    return deal_of(admin_member)


@pytest.fixture
def dated_tasks(deal):
    """Open tasks due on the 10th, 11th and 12th, a done one due on the 11th, one without a date."""
    return {
        "d10": TaskFactory(deal=deal, due_date=D10),
        "d11": TaskFactory(deal=deal, due_date=D11),
        "d12": TaskFactory(deal=deal, due_date=D12),
        "done11": TaskFactory(deal=deal, due_date=D11, is_done=True),
        "undated": TaskFactory(deal=deal, due_date=None),
    }


def listed(client, query=""):
    response = client.get(f"/api/v1/tasks{query}")
    assert response.status_code == 200, response.json()
    return set(item_ids(response))


def ids(tasks, *names):
    return {str(tasks[name].pk) for name in names}


def test_without_filters_every_task_of_the_organization_is_listed(client, dated_tasks, other_owner):
    TaskFactory(deal=deal_of(other_owner))
    assert listed(client) == ids(dated_tasks, *dated_tasks)


def test_deal_id_keeps_the_tasks_of_that_deal(client, admin_member, dated_tasks):
    other_deal = deal_of(admin_member)
    elsewhere = TaskFactory(deal=other_deal)
    assert listed(client, f"?deal_id={other_deal.pk}") == {str(elsewhere.pk)}
    assert listed(client, f"?deal_id={dated_tasks['d10'].deal_id}") == ids(dated_tasks, *dated_tasks)


def test_deal_id_of_another_organization_lists_nothing(client, dated_tasks, other_owner):
    foreign = TaskFactory(deal=deal_of(other_owner))
    assert listed(client, f"?deal_id={foreign.deal_id}") == set()
    assert listed(client, f"?deal_id={uuid.uuid4()}") == set()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?only_open=true", ["d10", "d11", "d12", "undated"]),
        ("?only_open=TRUE", ["d10", "d11", "d12", "undated"]),
        ("?only_open=1", ["d10", "d11", "d12", "undated"]),
        # false does not restrict: every task, done or not.
        ("?only_open=false", ["d10", "d11", "d12", "done11", "undated"]),
        ("?is_done=true", ["done11"]),
        ("?is_done=false", ["d10", "d11", "d12", "undated"]),
        ("?is_done=0", ["d10", "d11", "d12", "undated"]),
        ("?only_open=true&is_done=true", []),
    ],
)
def test_open_and_done_filters(client, dated_tasks, query, expected):
    assert listed(client, query) == ids(dated_tasks, *expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Both bounds are inclusive; tasks without a due date never match a date filter.
        ("?due_before=2030-01-11", ["d10", "d11", "done11"]),
        ("?due_after=2030-01-11", ["d11", "d12", "done11"]),
        ("?due_after=2030-01-11&due_before=2030-01-11", ["d11", "done11"]),
        ("?due_after=2030-01-12&due_before=2030-01-10", []),
        ("?due_before=2030-01-09", []),
        ("?due_after=2030-01-11&due_before=2030-01-12&only_open=true", ["d11", "d12"]),
    ],
)
def test_due_date_filters_are_inclusive(client, dated_tasks, query, expected):
    assert listed(client, query) == ids(dated_tasks, *expected)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?deal_id=not-a-uuid", "deal_id"),
        ("?deal_id=123", "deal_id"),
        ("?deal_id=", "deal_id"),
        ("?only_open=maybe", "only_open"),
        ("?only_open=2", "only_open"),
        ("?only_open=", "only_open"),
        ("?is_done=yes please", "is_done"),
        ("?is_done=", "is_done"),
        ("?due_before=2030-13-01", "due_before"),
        ("?due_before=2030-02-30", "due_before"),
        ("?due_before=10.01.2030", "due_before"),
        ("?due_before=2030-1-5", "due_before"),
        ("?due_before=", "due_before"),
        ("?due_after=2030-01-10T00:00:00", "due_after"),
        ("?due_after=20300110", "due_after"),
        ("?due_after=tomorrow", "due_after"),
        # Repeated parameters are refused rather than resolved silently to one of the values.
        ("?is_done=true&is_done=false", "is_done"),
        ("?deal_id={uuid}&deal_id={uuid}", "deal_id"),
        ("?due_after=2030-01-10&due_after=2030-01-10", "due_after"),
        # Unknown parameters are refused, including filters other lists have.
        ("?done=true", "done"),
        ("?owner_id={uuid}", "owner_id"),
        ("?status=new", "status"),
        ("?order_by=created_at", "order_by"),
        ("?limit=10", "limit"),
    ],
)
def test_invalid_filter_values_are_a_400_naming_the_parameter(client, dated_tasks, query, field):
    response = client.get("/api/v1/tasks" + query.format(uuid=uuid.uuid4()))
    assert response.status_code == 400
    assert [(e["field"], e["type"]) for e in errors(response)] == [(field, "ValidationError")]
    assert errors(response)[0]["message"]


def test_each_invalid_parameter_gets_its_own_entry(client):
    response = client.get("/api/v1/tasks?is_done=x&due_before=y&deal_id=z")
    assert response.status_code == 400
    assert sorted(e["field"] for e in errors(response)) == ["deal_id", "due_before", "is_done"]


def test_newest_first_and_ties_broken_by_id(client, deal):
    tasks = [TaskFactory(deal=deal) for _ in range(4)]
    moment = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    Task.objects.filter(pk__in=[t.pk for t in tasks[:3]]).update(created_at=moment)
    Task.objects.filter(pk=tasks[3].pk).update(created_at=moment - datetime.timedelta(seconds=1))
    tied = sorted((str(t.pk) for t in tasks[:3]), reverse=True)
    response = client.get("/api/v1/tasks")
    assert item_ids(response) == [*tied, str(tasks[3].pk)]


def test_newest_first(client, deal):
    old, new = TaskFactory(deal=deal), TaskFactory(deal=deal)
    Task.objects.filter(pk=old.pk).update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert item_ids(client.get("/api/v1/tasks")) == [str(new.pk), str(old.pk)]


class TestPagination:
    @pytest.fixture
    def five(self, client, deal):
        for _ in range(5):
            TaskFactory(deal=deal)
        return item_ids(client.get("/api/v1/tasks"))

    def test_defaults(self, client, five):
        body = data(client.get("/api/v1/tasks"))
        assert body["pagination"] == {"limit": 20, "offset": 0, "total": 5}
        assert len(body["items"]) == 5

    def test_pages_cover_the_list_in_order(self, client, five):
        pages = [data(client.get(f"/api/v1/tasks?page={n}&page_size=2")) for n in (1, 2, 3)]
        assert [p["pagination"] for p in pages] == [
            {"limit": 2, "offset": 0, "total": 5},
            {"limit": 2, "offset": 2, "total": 5},
            {"limit": 2, "offset": 4, "total": 5},
        ]
        assert [item["id"] for p in pages for item in p["items"]] == five

    def test_a_page_past_the_end_is_empty_with_the_real_total(self, client, five):
        body = data(client.get("/api/v1/tasks?page=4&page_size=2"))
        assert body == {"items": [], "pagination": {"limit": 2, "offset": 6, "total": 5}}

    def test_bounds_are_accepted(self, client, five):
        assert data(client.get("/api/v1/tasks?page_size=1"))["pagination"] == {"limit": 1, "offset": 0, "total": 5}
        assert len(data(client.get("/api/v1/tasks?page_size=100"))["items"]) == 5

    def test_filters_and_pages_combine(self, client, deal, five):
        Task.objects.filter(pk__in=five[:3]).update(is_done=True)
        body = data(client.get("/api/v1/tasks?is_done=true&page=2&page_size=2"))
        assert body["pagination"] == {"limit": 2, "offset": 2, "total": 3}
        assert [item["id"] for item in body["items"]] == [five[2]]

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("?page=0", "page"),
            ("?page=-1", "page"),
            ("?page=abc", "page"),
            ("?page=1&page=2", "page"),
            ("?page_size=0", "page_size"),
            ("?page_size=101", "page_size"),
            ("?page_size=1.5", "page_size"),
            ("?page_size=", "page_size"),
        ],
    )
    def test_out_of_range_is_a_400(self, client, five, query, field):
        response = client.get("/api/v1/tasks" + query)
        assert response.status_code == 400
        assert [(e["field"], e["type"]) for e in errors(response)] == [(field, "ValidationError")]
