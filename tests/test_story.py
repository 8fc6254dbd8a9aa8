"""The whole story through the API, one step after another (issue 3):

register -> login -> organization -> members -> contacts -> deals -> status and stage changes
-> tasks -> comments -> analytics.

Each step is a method of `Story` and reads or extends the shared state; `STEPS` is the order.
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

    # -- contacts and deals ----------------------------------------------------------------

    def contacts(self):
        for name, phone in (("max", "+1 (555) 010-0001"), ("mia", "+44 20 7946 0958"), ("mo", "555-010-0003")):
            body = ok(
                self.client(name).post(
                    "/api/v1/contacts",
                    {"name": f"Client of {name}", "email": f"buyer.{name}@example.org", "phone": phone},
                ),
                201,
            )
            assert (body["owner_id"], body["organization_id"]) == (self.users[name], self.organization_id)
            self.contact_ids[name] = body["id"]
        # A member lists its own contacts only; the manager searches all of them.
        assert [c["id"] for c in ok(self.client("mia").get("/api/v1/contacts"))["items"]] == [self.contact_ids["mia"]]
        found = ok(self.client("max").get("/api/v1/contacts", {"search": "BUYER.M"}))["items"]
        assert {c["id"] for c in found} == set(self.contact_ids.values())

    def deals(self):
        for name, amount, currency in (("max", "2500.00", "usd"), ("mia", "1000.00", "USD"), ("mo", "500.50", "eur")):
            body = ok(
                self.client(name).post(
                    "/api/v1/deals",
                    {
                        "contact_id": self.contact_ids[name],
                        "title": f"{name}'s deal",
                        "amount": amount,
                        "currency": currency,
                    },
                ),
                201,
            )
            assert (body["status"], body["stage"], body["currency"]) == ("new", "qualification", currency.upper())
            assert body["owner_id"] == self.users[name]
            self.deal_ids[name] = body["id"]
        # A member cannot open a deal on a colleague's contact.
        poach = self.client("mia").post(
            "/api/v1/deals", {"contact_id": self.contact_ids["mo"], "title": "Poach", "amount": 1, "currency": "USD"}
        )
        assert failed(poach, 403) == [(None, "AccessDeniedException")]

    def deal_changes(self):
        mia, mo, olga, max_ = (self.client(n) for n in ("mia", "mo", "olga", "max"))
        deal = f"/api/v1/deals/{self.deal_ids['mia']}"

        moved = ok(mia.patch(deal, {"status": "in_progress", "stage": "proposal"}))
        assert (moved["status"], moved["stage"]) == ("in_progress", "proposal")
        # Only owners and admins move a stage backwards; the refused PATCH changes nothing.
        back = mia.patch(deal, {"stage": "qualification", "title": "Renamed"})
        assert failed(back, 403) == [("stage", "DealStageRollbackNotAllowedException")]
        assert ok(mia.get(deal))["title"] == "mia's deal"
        assert failed(mia.patch(f"/api/v1/deals/{self.deal_ids['mo']}", {"status": "lost"}), 403) == [
            (None, "AccessDeniedException")
        ]
        assert ok(olga.patch(deal, {"stage": "qualification"}))["stage"] == "qualification"

        # A deal is won only with an amount above zero.
        zero = max_.patch(f"/api/v1/deals/{self.deal_ids['max']}", {"status": "won", "amount": 0})
        assert failed(zero, 400) == [("status", "CannotCloseDealWithZeroAmountException")]
        ok(max_.patch(f"/api/v1/deals/{self.deal_ids['max']}", {"status": "won", "stage": "closed"}))
        ok(mo.patch(f"/api/v1/deals/{self.deal_ids['mo']}", {"status": "lost"}))

        history = [
            (a.type, a.payload, str(a.author_id))
            for a in Activity.objects.filter(deal_id=self.deal_ids["mia"]).order_by("created_at")
        ]
        assert sorted(history, key=lambda entry: entry[0]) == sorted(
            [
                ("status_changed", {"old_status": "new", "new_status": "in_progress"}, self.users["mia"]),
                ("stage_changed", {"old_stage": "qualification", "new_stage": "proposal"}, self.users["mia"]),
                ("stage_changed", {"old_stage": "proposal", "new_stage": "qualification"}, self.users["olga"]),
            ],
            key=lambda entry: entry[0],
        )

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
        mia, mo = self.client("mia"), self.client("mo")
        path = f"/api/v1/deals/{self.deal_ids['mia']}/activities"
        comment = ok(mia.post(path, {"text": "Sent the proposal. 👍"}), 201)
        assert (comment["type"], comment["payload"], comment["author_id"]) == (
            "comment",
            {"text": "Sent the proposal. 👍"},
            self.users["mia"],
        )
        timeline = ok(mia.get(path))
        assert timeline["items"][0]["id"] == comment["id"]
        assert sorted(item["type"] for item in timeline["items"]) == [
            "comment",
            "stage_changed",
            "stage_changed",
            "status_changed",
            "task_created",
            "task_created",
        ]
        assert failed(mo.get(path), 403) == [(None, "AccessDeniedException")]

    def analytics(self):
        summary = ok(self.client("olga").get("/api/v1/analytics/deals/summary"))
        assert {
            key: summary[key] for key in ("total_count", "new_count", "in_progress_count", "won_count", "lost_count")
        } == {
            "total_count": 3,
            "new_count": 0,
            "in_progress_count": 1,
            "won_count": 1,
            "lost_count": 1,
        }
        # USD and EUR are never added together: the won total is USD only, the average is per currency.
        assert summary["total_won_amount"] == 2500
        assert summary["average_amount"] is None
        assert summary["new_deals_count"] == 3
        assert summary["by_currency"] == [
            {"currency": "EUR", "count": 1, "total_amount": 500.5, "won_amount": 0, "average_amount": 500.5},
            {"currency": "USD", "count": 2, "total_amount": 3500, "won_amount": 2500, "average_amount": 1750},
        ]
        # A member's figures cover its own deals only.
        mine = ok(self.client("mia").get("/api/v1/analytics/deals/summary"))
        assert (mine["total_count"], mine["in_progress_count"], mine["average_amount"]) == (1, 1, 1000)

        funnel = ok(self.client("max").get("/api/v1/analytics/deals/funnel"))
        assert (funnel["qualification_count"], funnel["proposal_count"], funnel["negotiation_count"]) == (2, 0, 0)
        assert funnel["closed_count"] == 1
        assert [(s["stage"], s["count"], s["reached"], s["conversion_to_next"]) for s in funnel["stages"]] == [
            ("qualification", 2, 3, 33.33),
            ("proposal", 0, 1, 100),
            ("negotiation", 0, 1, 100),
            ("closed", 1, 1, None),
        ]


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
    for step in STEPS:
        getattr(story, step)()
