"""POST /tasks and GET/PATCH/DELETE /tasks/{id}: shapes, validation and the due-date rules (API.md §5)."""

import datetime
import uuid
from unittest import mock

import pytest
from django.utils import timezone

from deals.models import Activity, ActivityType
from tasks.models import Task
from tasks.tests.factories import TaskFactory
from tasks.tests.helpers import TASK_FIELDS, data, deal_of, error_fields, errors

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days(n):
    return (today() + datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def client(client_for, manager_member):
    return client_for(manager_member)


@pytest.fixture
def deal(manager_member):
    return deal_of(manager_member)


@pytest.fixture
def task(deal):
    return TaskFactory(deal=deal, title="Call back", description="About the offer", due_date=today())


def iso(value):
    return value.isoformat().replace("+00:00", "Z")


class TestCreate:
    def test_creates_the_task_and_its_task_created_activity(self, client, deal, manager_member):
        response = client.post(
            "/api/v1/tasks",
            {"deal_id": str(deal.pk), "title": "Send the offer", "description": "PDF", "due_date": days(3)},
        )
        assert response.status_code == 201
        body = data(response)
        task = Task.objects.get()
        assert body == {
            "id": str(task.pk),
            "deal_id": str(deal.pk),
            "title": "Send the offer",
            "description": "PDF",
            "due_date": days(3),
            "is_done": False,
            "created_at": iso(task.created_at),
            "updated_at": iso(task.updated_at),
        }
        assert task.organization_id == deal.organization_id
        activity = Activity.objects.get()
        assert activity.deal_id == deal.pk
        assert activity.organization_id == deal.organization_id
        assert activity.type == ActivityType.TASK_CREATED
        assert activity.payload == {"task_id": str(task.pk), "title": "Send the offer"}
        assert activity.author_id == manager_member.user_id

    def test_optional_fields_default_to_null(self, client, deal):
        response = client.post("/api/v1/tasks", {"deal_id": str(deal.pk), "title": "Plain"})
        assert response.status_code == 201
        body = data(response)
        assert set(body) == TASK_FIELDS
        assert (body["description"], body["due_date"], body["is_done"]) == (None, None, False)

    def test_explicit_nulls_are_accepted(self, client, deal):
        response = client.post(
            "/api/v1/tasks", {"deal_id": str(deal.pk), "title": "T", "description": None, "due_date": None}
        )
        assert response.status_code == 201
        assert Task.objects.get().due_date is None

    def test_today_is_allowed(self, client, deal):
        response = client.post("/api/v1/tasks", {"deal_id": str(deal.pk), "title": "T", "due_date": days(0)})
        assert response.status_code == 201
        assert Task.objects.get().due_date == today()

    def test_yesterday_is_refused_and_nothing_is_written(self, client, deal):
        response = client.post("/api/v1/tasks", {"deal_id": str(deal.pk), "title": "T", "due_date": days(-1)})
        assert response.status_code == 400
        assert error_fields(response) == [("due_date", "InvalidTaskDueDateException")]
        assert not Task.objects.exists()
        assert not Activity.objects.exists()

    def test_today_is_the_server_date_in_time_zone(self, client, deal, settings):
        # 23:30 UTC on 27 November is already 28 November in Tokyo (UTC+9).
        settings.TIME_ZONE = "Asia/Tokyo"
        moment = datetime.datetime(2026, 11, 27, 23, 30, tzinfo=datetime.UTC)
        with mock.patch("django.utils.timezone.now", return_value=moment):
            refused = client.post("/api/v1/tasks", {"deal_id": str(deal.pk), "title": "T", "due_date": "2026-11-27"})
            allowed = client.post("/api/v1/tasks", {"deal_id": str(deal.pk), "title": "T", "due_date": "2026-11-28"})
        assert refused.status_code == 400
        assert error_fields(refused) == [("due_date", "InvalidTaskDueDateException")]
        assert allowed.status_code == 201
        assert [t.due_date for t in Task.objects.all()] == [datetime.date(2026, 11, 28)]

    def test_title_is_trimmed(self, client, deal):
        response = client.post("/api/v1/tasks", {"deal_id": str(deal.pk), "title": "  Call  "})
        assert data(response)["title"] == "Call"

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ({}, [("deal_id", "ValidationError"), ("title", "ValidationError")]),
            ({"deal_id": "{deal}"}, [("title", "ValidationError")]),
            ({"deal_id": "{deal}", "title": ""}, [("title", "ValidationError")]),
            ({"deal_id": "{deal}", "title": "   "}, [("title", "ValidationError")]),
            ({"deal_id": "{deal}", "title": None}, [("title", "ValidationError")]),
            ({"deal_id": "{deal}", "title": "x" * 256}, [("title", "ValidationError")]),
            ({"deal_id": "nope", "title": "T"}, [("deal_id", "ValidationError")]),
            ({"deal_id": 5, "title": "T"}, [("deal_id", "ValidationError")]),
            ({"deal_id": None, "title": "T"}, [("deal_id", "ValidationError")]),
            ({"deal_id": "{deal}", "title": "T", "due_date": "30.12.2030"}, [("due_date", "ValidationError")]),
            (
                {"deal_id": "{deal}", "title": "T", "due_date": "2030-12-30T10:00:00Z"},
                [("due_date", "ValidationError")],
            ),
            ({"deal_id": "{deal}", "title": "T", "due_date": "2030-02-30"}, [("due_date", "ValidationError")]),
            ({"deal_id": "{deal}", "title": "T", "due_date": 20301230}, [("due_date", "ValidationError")]),
            ({"deal_id": "{deal}", "title": "T", "description": {"a": 1}}, [("description", "ValidationError")]),
        ],
    )
    def test_invalid_bodies(self, client, deal, body, expected):
        body = {k: (str(deal.pk) if v == "{deal}" else v) for k, v in body.items()}
        response = client.post("/api/v1/tasks", body)
        assert response.status_code == 400
        assert error_fields(response) == expected
        assert not Task.objects.exists()
        assert not Activity.objects.exists()

    def test_title_of_255_characters_is_accepted(self, client, deal):
        response = client.post("/api/v1/tasks", {"deal_id": str(deal.pk), "title": "x" * 255})
        assert response.status_code == 201

    def test_unknown_deal_is_a_404(self, client):
        response = client.post("/api/v1/tasks", {"deal_id": str(uuid.uuid4()), "title": "T"})
        assert response.status_code == 404
        assert error_fields(response) == [("deal_id", "DealNotFoundException")]

    def test_organization_in_the_payload_is_ignored(self, client, deal, other_organization):
        response = client.post(
            "/api/v1/tasks",
            {"deal_id": str(deal.pk), "title": "T", "organization_id": str(other_organization.pk)},
        )
        assert response.status_code == 201
        assert Task.objects.get().organization_id == deal.organization_id

    def test_a_body_that_is_not_json_is_a_415(self, client, deal):
        response = client.post("/api/v1/tasks", f"deal_id={deal.pk}&title=T", content_type="text/plain")
        assert response.status_code == 415
        assert not Task.objects.exists()


@pytest.mark.django_db(transaction=True)
class TestCreateIsOneTransaction:
    """Real commits and rollbacks: no test-wide transaction hides a missing atomic block."""

    def test_when_the_activity_cannot_be_written_no_task_exists(self, client, deal):
        with mock.patch("tasks.services.activity_record", side_effect=RuntimeError("timeline down")) as record:
            response = client.post("/api/v1/tasks", {"deal_id": str(deal.pk), "title": "T"})
        # The task row was already inserted when the activity write failed.
        assert record.call_count == 1
        assert record.call_args.kwargs["payload"]["title"] == "T"
        assert response.status_code == 500
        assert errors(response) == [{"message": "Internal server error", "type": "InternalServerError", "field": None}]
        assert not Task.objects.exists()
        assert not Activity.objects.exists()

    def test_the_real_activity_write_runs_inside_the_task_transaction(self, client, deal):
        from deals import services as deal_services

        seen = {}

        def spy(**kwargs):
            from django.db import connection

            seen["in_atomic_block"] = connection.in_atomic_block
            seen["task_visible"] = Task.objects.filter(pk=kwargs["payload"]["task_id"]).exists()
            return deal_services.activity_record(**kwargs)

        with mock.patch("tasks.services.activity_record", side_effect=spy):
            response = client.post("/api/v1/tasks", {"deal_id": str(deal.pk), "title": "T"})
        assert response.status_code == 201
        assert seen == {"in_atomic_block": True, "task_visible": True}
        assert Activity.objects.filter(type=ActivityType.TASK_CREATED).count() == 1


class TestRetrieve:
    def test_output_is_exactly_the_task(self, client, task):
        response = client.get(f"/api/v1/tasks/{task.pk}")
        assert response.status_code == 200
        assert data(response) == {
            "id": str(task.pk),
            "deal_id": str(task.deal_id),
            "title": "Call back",
            "description": "About the offer",
            "due_date": today().isoformat(),
            "is_done": False,
            "created_at": iso(task.created_at),
            "updated_at": iso(task.updated_at),
        }

    def test_trailing_slash_is_served_the_same(self, client, task):
        assert data(client.get(f"/api/v1/tasks/{task.pk}/"))["id"] == str(task.pk)

    def test_an_overdue_task_is_readable(self, client, deal):
        overdue = TaskFactory(deal=deal, due_date=today() - datetime.timedelta(days=30))
        response = client.get(f"/api/v1/tasks/{overdue.pk}")
        assert response.status_code == 200
        assert data(response)["due_date"] == days(-30)

    def test_unknown_id_is_a_404(self, client, task):
        response = client.get(f"/api/v1/tasks/{uuid.uuid4()}")
        assert response.status_code == 404
        assert [e["type"] for e in errors(response)] == ["TaskNotFoundException"]

    def test_an_id_that_is_not_a_uuid_is_a_400(self, client, task):
        response = client.get("/api/v1/tasks/42")
        assert response.status_code == 400
        assert error_fields(response) == [("id", "ValidationError")]

    def test_put_is_not_allowed(self, client, task):
        response = client.put(f"/api/v1/tasks/{task.pk}", {"title": "X"})
        assert response.status_code == 405
        assert [e["type"] for e in errors(response)] == ["MethodNotAllowed"]


class TestUpdate:
    def patch(self, client, task, body):
        return client.patch(f"/api/v1/tasks/{task.pk}", body)

    def test_changes_only_the_fields_sent(self, client, task):
        before = task.updated_at
        response = self.patch(client, task, {"title": "Call again"})
        assert response.status_code == 200
        task.refresh_from_db()
        assert (task.title, task.description, task.due_date, task.is_done) == (
            "Call again",
            "About the offer",
            today(),
            False,
        )
        assert task.updated_at > before
        assert data(response)["updated_at"] == iso(task.updated_at)
        assert data(response)["title"] == "Call again"

    def test_every_field_at_once(self, client, task):
        body = {"title": "New", "description": "More", "due_date": days(5), "is_done": True}
        response = self.patch(client, task, body)
        assert response.status_code == 200
        assert {k: data(response)[k] for k in body} == body

    def test_null_clears_description_and_due_date(self, client, task):
        response = self.patch(client, task, {"description": None, "due_date": None})
        assert response.status_code == 200
        assert (data(response)["description"], data(response)["due_date"]) == (None, None)
        task.refresh_from_db()
        assert (task.description, task.due_date) == (None, None)

    def test_an_empty_body_changes_nothing(self, client, task):
        before = (task.title, task.updated_at)
        response = self.patch(client, task, {})
        assert response.status_code == 200
        task.refresh_from_db()
        assert (task.title, task.updated_at) == before

    def test_a_new_due_date_today_is_allowed_yesterday_refused(self, client, task):
        task.due_date = today() + datetime.timedelta(days=9)
        task.save()
        assert self.patch(client, task, {"due_date": days(0)}).status_code == 200
        response = self.patch(client, task, {"due_date": days(-1), "title": "Ignored"})
        assert response.status_code == 400
        assert error_fields(response) == [("due_date", "InvalidTaskDueDateException")]
        task.refresh_from_db()
        assert (task.due_date, task.title) == (today(), "Call back")

    def test_an_overdue_task_can_be_renamed_and_completed(self, client, deal):
        overdue = TaskFactory(deal=deal, title="Late", due_date=today() - datetime.timedelta(days=3))
        assert self.patch(client, overdue, {"title": "Still late", "description": "x"}).status_code == 200
        response = self.patch(client, overdue, {"is_done": True})
        assert response.status_code == 200
        # Resending the unchanged past date is not a change, so it is not checked.
        assert self.patch(client, overdue, {"due_date": days(-3), "is_done": True}).status_code == 200
        overdue.refresh_from_db()
        assert (overdue.title, overdue.description, overdue.is_done) == ("Still late", "x", True)
        assert overdue.due_date == today() - datetime.timedelta(days=3)

    def test_an_overdue_task_cannot_move_to_another_past_date(self, client, deal):
        overdue = TaskFactory(deal=deal, due_date=today() - datetime.timedelta(days=3))
        response = self.patch(client, overdue, {"due_date": days(-2)})
        assert response.status_code == 400
        assert error_fields(response) == [("due_date", "InvalidTaskDueDateException")]
        overdue.refresh_from_db()
        assert overdue.due_date == today() - datetime.timedelta(days=3)

    def test_an_overdue_task_can_be_rescheduled_or_cleared(self, client, deal):
        overdue = TaskFactory(deal=deal, due_date=today() - datetime.timedelta(days=3))
        assert data(self.patch(client, overdue, {"due_date": days(1)}))["due_date"] == days(1)
        overdue.due_date = today() - datetime.timedelta(days=3)
        overdue.save()
        assert data(self.patch(client, overdue, {"due_date": None}))["due_date"] is None

    def test_a_task_can_be_reopened(self, client, deal):
        done = TaskFactory(deal=deal, is_done=True)
        assert data(self.patch(client, done, {"is_done": False}))["is_done"] is False

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"title": ""}, "title"),
            ({"title": "  "}, "title"),
            ({"title": None}, "title"),
            ({"title": "x" * 256}, "title"),
            ({"is_done": None}, "is_done"),
            ({"is_done": "true"}, "is_done"),
            ({"is_done": 1}, "is_done"),
            ({"due_date": "tomorrow"}, "due_date"),
            ({"due_date": "2030-1-5"}, "due_date"),
            ({"description": ["a"]}, "description"),
        ],
    )
    def test_invalid_values_change_nothing(self, client, task, body, field):
        before = Task.objects.filter(pk=task.pk).values().get()
        response = self.patch(client, task, {**body, "description": "changed"} if field != "description" else body)
        assert response.status_code == 400
        assert error_fields(response) == [(field, "ValidationError")]
        assert Task.objects.filter(pk=task.pk).values().get() == before

    def test_the_deal_and_organization_cannot_be_changed(self, client, task, manager_member, other_organization):
        other_deal = deal_of(manager_member)
        response = self.patch(
            client, task, {"deal_id": str(other_deal.pk), "organization_id": str(other_organization.pk)}
        )
        assert response.status_code == 200
        assert data(response)["deal_id"] == str(task.deal_id)
        task.refresh_from_db()
        assert task.deal_id != other_deal.pk
        assert task.organization_id == manager_member.organization_id

    def test_unknown_id_is_a_404(self, client, task):
        response = client.patch(f"/api/v1/tasks/{uuid.uuid4()}", {"title": "x"})
        assert response.status_code == 404
        assert [e["type"] for e in errors(response)] == ["TaskNotFoundException"]


class TestDelete:
    def test_deletes_the_task(self, client, task):
        other = TaskFactory(deal=task.deal)
        response = client.delete(f"/api/v1/tasks/{task.pk}")
        assert response.status_code == 204
        assert list(Task.objects.values_list("pk", flat=True)) == [other.pk]

    def test_a_second_delete_is_a_404(self, client, task):
        assert client.delete(f"/api/v1/tasks/{task.pk}").status_code == 204
        response = client.delete(f"/api/v1/tasks/{task.pk}")
        assert response.status_code == 404
        assert [e["type"] for e in errors(response)] == ["TaskNotFoundException"]

    def test_an_id_that_is_not_a_uuid_is_a_400(self, client, task):
        response = client.delete("/api/v1/tasks/abc")
        assert response.status_code == 400
        assert error_fields(response) == [("id", "ValidationError")]
        assert Task.objects.filter(pk=task.pk).exists()


class TestTenantHeader:
    def test_without_the_header_is_a_400(self, client_for, manager_member, task):
        response = client_for(manager_member, with_header=False).get("/api/v1/tasks")
        assert response.status_code == 400
        assert error_fields(response) == [("X-Organization-Id", "ValidationError")]

    def test_an_organization_the_caller_is_not_in_is_a_403(self, client_for, other_owner, task):
        client = client_for(other_owner)
        client.defaults["HTTP_X_ORGANIZATION_ID"] = str(task.organization_id)
        for response in (
            client.get("/api/v1/tasks"),
            client.get(f"/api/v1/tasks/{task.pk}"),
            client.post("/api/v1/tasks", {"deal_id": str(task.deal_id), "title": "T"}),
        ):
            assert response.status_code == 403
            assert [e["type"] for e in errors(response)] == ["NotAMemberException"]
        assert Task.objects.count() == 1

    def test_without_a_token_is_a_401(self, api_client, task):
        api_client.defaults["HTTP_X_ORGANIZATION_ID"] = str(task.organization_id)
        response = api_client.get("/api/v1/tasks")
        assert response.status_code == 401
