"""The whole story through the API, one step after another (issue 3):

register -> login -> organization -> members -> contacts -> deals -> status and stage changes
-> tasks -> comments -> analytics.

Each step is a method of `Story` and reads or extends the shared state; `STEPS` is the order.
Steps whose endpoints do not exist yet (`contacts`, `deals`, `deal_changes`, `comments`,
`analytics`) are marked `PENDING`: `contacts` and `deals` stand in with factories so that the
later steps have rows to work on, and get replaced by API calls once `POST /contacts` and
`POST /deals` exist; the others are skipped until their endpoints exist.
"""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from deals.models import Activity, ActivityType
from tasks.models import Task

pytestmark = pytest.mark.django_db

PASSWORD = "story-pass-2026"
PEOPLE = {
    "olga": ("olga@example.com", "Olga Owner", None),
    "max": ("max@example.com", "Max Manager", "manager"),
    "mia": ("mia@example.com", "Mia Member", "member"),
    "mo": ("mo@example.com", "Mo Member", "member"),
}


def ok(response, status=200):
    assert response.status_code == status, response.json()
    body = response.json()
    assert body["errors"] == [] and body["meta"] == {}
    return body["data"]


def failed(response, status):
    assert response.status_code == status, response.json()
    body = response.json()
    assert body["data"] == {}
    return [(e["field"], e["type"]) for e in body["errors"]]


class Story:
    def __init__(self):
        self.users = {}  # name -> user id
        self.clients = {}  # name -> APIClient with its bearer token
        self.organization_id = None
        self.contact_ids = {}  # name of owner -> contact id
        self.deal_ids = {}  # name of owner -> deal id
        self.task_ids = {}  # label -> task id

    def client(self, name, tenant=True):
        client = self.clients[name]
        if tenant and self.organization_id:
            client.defaults["HTTP_X_ORGANIZATION_ID"] = self.organization_id
        return client

    # -- accounts ------------------------------------------------------------------------

    def register(self):
        for name, (email, full_name, _) in PEOPLE.items():
            body = ok(
                APIClient().post("/api/v1/auth/register", {"email": email, "password": PASSWORD, "name": full_name}),
                201,
            )
            assert body["email"] == email and body["oid"] == body["id"]
            self.users[name] = body["id"]
        again = APIClient().post(
            "/api/v1/auth/register", {"email": "OLGA@example.com", "password": PASSWORD, "name": "Olga"}
        )
        assert failed(again, 409) == [("email", "UserAlreadyExistsException")]

    def login(self):
        for name, (email, _, _) in PEOPLE.items():
            tokens = ok(APIClient().post("/api/v1/auth/login", {"email": email, "password": PASSWORD}))
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
            assert ok(client.get("/api/v1/auth/me"))["id"] == self.users[name]
            self.clients[name] = client
        wrong = APIClient().post("/api/v1/auth/login", {"email": PEOPLE["olga"][0], "password": "nope-1234"})
        assert failed(wrong, 401) == [(None, "InvalidCredentialsException")]

    # -- organization and members --------------------------------------------------------

    def organization(self):
        body = ok(self.client("olga", tenant=False).post("/api/v1/organizations", {"name": "Story Ltd"}), 201)
        self.organization_id = body["id"]
        mine = ok(self.client("olga", tenant=False).get("/api/v1/organizations/me"))["organizations"]
        assert [(m["organization_id"], m["role"]) for m in mine] == [(self.organization_id, "owner")]

    def members(self):
        path = f"/api/v1/organizations/{self.organization_id}/members"
        owner = self.client("olga", tenant=False)
        for email, _, role in PEOPLE.values():
            if role:
                ok(owner.post(path, {"email": email, "role": role}), 201)
        listed = ok(owner.get(path))
        assert {item["user_id"]: item["role"] for item in listed["items"]} == {
            self.users["olga"]: "owner",
            self.users["max"]: "manager",
            self.users["mia"]: "member",
            self.users["mo"]: "member",
        }
        # Until they are members, an outsider's requests under the header are refused.
        outsider = APIClient()
        ok(
            outsider.post("/api/v1/auth/register", {"email": "eve@example.com", "password": PASSWORD, "name": "Eve"}),
            201,
        )
        tokens = ok(outsider.post("/api/v1/auth/login", {"email": "eve@example.com", "password": PASSWORD}))
        outsider.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
        outsider.defaults["HTTP_X_ORGANIZATION_ID"] = self.organization_id
        assert failed(outsider.get("/api/v1/tasks"), 403) == [(None, "NotAMemberException")]

    # -- contacts and deals (PENDING: factories stand in for POST /contacts and POST /deals) --

    def contacts(self):
        from accounts.models import User
        from contacts.tests.factories import ContactFactory
        from organizations.models import Organization

        organization = Organization.objects.get(pk=self.organization_id)
        for name in ("max", "mia", "mo"):
            owner = User.objects.get(pk=self.users[name])
            self.contact_ids[name] = str(ContactFactory(organization=organization, owner=owner).pk)

    def deals(self):
        from contacts.models import Contact
        from deals.tests.factories import DealFactory

        for name, contact_id in self.contact_ids.items():
            self.deal_ids[name] = str(DealFactory(contact=Contact.objects.get(pk=contact_id)).pk)

    def deal_changes(self):
        pytest.skip("PENDING: PATCH /deals/{id} status and stage changes")

    # -- tasks ---------------------------------------------------------------------------

    def tasks(self):
        today = timezone.localdate()
        mia, mo, olga, max_ = (self.client(n) for n in ("mia", "mo", "olga", "max"))

        # A member puts tasks on its own deal, not on a colleague's.
        body = ok(
            mia.post(
                "/api/v1/tasks",
                {"deal_id": self.deal_ids["mia"], "title": "Call Mia's client", "due_date": today.isoformat()},
            ),
            201,
        )
        self.task_ids["mia-call"] = body["id"]
        refused = mia.post("/api/v1/tasks", {"deal_id": self.deal_ids["mo"], "title": "Poach"})
        assert failed(refused, 403) == [(None, "CannotCreateTaskForOtherUserDealException")]
        yesterday = (today - datetime.timedelta(days=1)).isoformat()
        past = mia.post("/api/v1/tasks", {"deal_id": self.deal_ids["mia"], "title": "Late", "due_date": yesterday})
        assert failed(past, 400) == [("due_date", "InvalidTaskDueDateException")]

        # The owner and the manager may put tasks on anyone's deal.
        self.task_ids["olga-on-mo"] = ok(
            olga.post("/api/v1/tasks", {"deal_id": self.deal_ids["mo"], "title": "Review Mo's deal"}), 201
        )["id"]
        self.task_ids["max-on-mia"] = ok(
            max_.post(
                "/api/v1/tasks",
                {"deal_id": self.deal_ids["mia"], "title": "Coach Mia", "description": "Pricing"},
            ),
            201,
        )["id"]

        # Members see the tasks of their own deals only; the manager sees all.
        assert {t["id"] for t in ok(mia.get("/api/v1/tasks"))["items"]} == {
            self.task_ids["mia-call"],
            self.task_ids["max-on-mia"],
        }
        assert [t["id"] for t in ok(mo.get("/api/v1/tasks"))["items"]] == [self.task_ids["olga-on-mo"]]
        assert ok(max_.get("/api/v1/tasks"))["pagination"]["total"] == 3
        assert failed(mia.get(f"/api/v1/tasks/{self.task_ids['olga-on-mo']}"), 403) == [(None, "AccessDeniedException")]

        # Mia completes her task; it drops out of the open ones.
        done = ok(mia.patch(f"/api/v1/tasks/{self.task_ids['mia-call']}", {"is_done": True}))
        assert done["is_done"] is True
        open_ids = [t["id"] for t in ok(mia.get("/api/v1/tasks?only_open=true"))["items"]]
        assert open_ids == [self.task_ids["max-on-mia"]]
        due_today = ok(max_.get(f"/api/v1/tasks?due_before={today}&due_after={today}"))["items"]
        assert [t["id"] for t in due_today] == [self.task_ids["mia-call"]]

        # Every task wrote its task_created entry, authored by its creator.
        # (Read from the database until GET /deals/{id}/activities is on this branch.)
        entries = Activity.objects.filter(type=ActivityType.TASK_CREATED)
        assert {(str(a.payload["task_id"]), str(a.author_id)) for a in entries} == {
            (self.task_ids["mia-call"], self.users["mia"]),
            (self.task_ids["olga-on-mo"], self.users["olga"]),
            (self.task_ids["max-on-mia"], self.users["max"]),
        }

        # The manager clears a description and deletes the owner's task.
        assert (
            ok(max_.patch(f"/api/v1/tasks/{self.task_ids['max-on-mia']}", {"description": None}))["description"] is None
        )
        assert max_.delete(f"/api/v1/tasks/{self.task_ids['olga-on-mo']}").status_code == 204
        assert Task.objects.count() == 2

    def comments(self):
        pytest.skip("PENDING: POST /deals/{id}/activities and GET /deals/{id}/activities")

    def analytics(self):
        pytest.skip("PENDING: GET /analytics/deals/summary and /analytics/deals/funnel")


STEPS = [
    "register",
    "login",
    "organization",
    "members",
    "contacts",
    "deals",
    "deal_changes",
    "tasks",
    "comments",
    "analytics",
]


def test_the_whole_story():
    story = Story()
    pending = []
    for step in STEPS:
        try:
            getattr(story, step)()
        except pytest.skip.Exception as skipped:
            pending.append(f"{step}: {skipped.msg}")
    # The story passes with its pending steps listed; each one disappears as its endpoint lands.
    assert set(pending) <= {
        "deal_changes: PENDING: PATCH /deals/{id} status and stage changes",
        "comments: PENDING: POST /deals/{id}/activities and GET /deals/{id}/activities",
        "analytics: PENDING: GET /analytics/deals/summary and /analytics/deals/funnel",
    }
