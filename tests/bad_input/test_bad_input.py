"""Bad input is a 400 in the envelope that changes nothing (issue 6, item 3); valid unusual
text is stored exactly; pages past the end are empty; a body on GET is ignored; a body over
DATA_UPLOAD_MAX_MEMORY_SIZE is a 413."""

import json
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

from contacts.models import Contact
from contacts.tests.factories import ContactFactory
from deals.models import Activity, Deal
from deals.tests.factories import ActivityFactory, DealFactory
from organizations.models import Role
from organizations.tests.factories import MembershipFactory
from tasks.models import Task
from tasks.tests.factories import TaskFactory
from tests.bad_input.catalogue import CATALOGUE
from tests.snapshot import assert_unchanged, database_snapshot


class Seed:
    def __init__(self, organization, owner):
        self.organization = organization
        self.owner = owner
        self.member = MembershipFactory(organization=organization, role=Role.MEMBER)
        self.contact = ContactFactory(organization=organization, owner=owner.user)
        self.deal = DealFactory(contact=self.contact)
        ActivityFactory(deal=self.deal)
        self.task = TaskFactory(deal=self.deal)

    def values(self):
        return {
            "org": str(self.organization.pk),
            "user": str(self.member.user_id),
            "contact": str(self.contact.pk),
            "deal": str(self.deal.pk),
            "task": str(self.task.pk),
        }


@pytest.fixture
def seed(organization, owner_member):
    return Seed(organization, owner_member)


@pytest.fixture
def client(seed, client_for):
    return client_for(seed.owner)


def _fill(value, values):
    if isinstance(value, str):
        return value.replace("{", "\0{").format_map(values).replace("\0", "") if "{" in value else value
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, values) for item in value]
    return value


def _fill_template(text, values):
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def send(client, method, path, *, body=None, raw=None, content_type="application/json", query=(), headers=None):
    url = path + ("?" + urlencode(list(query)) if query else "")
    data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
    return client.generic(method, url, data, content_type=content_type, **(headers or {}))


def _routed(path):
    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


@pytest.mark.parametrize("bad", CATALOGUE, ids=[bad.name for bad in CATALOGUE])
def test_bad_input_is_a_400_that_changes_nothing(bad, seed, client):
    values = seed.values()
    path = _fill_template(bad.path, values)
    if not _routed(path) and "/api/v1/analytics" in path:
        pytest.skip("analytics is not routed")
    query = [(name, _fill_template(value, values)) for name, value in bad.query]
    before = database_snapshot()

    response = send(
        client,
        bad.method,
        path,
        body=_fill(bad.body, values),
        raw=bad.raw,
        content_type=bad.content_type,
        query=query,
        headers=bad.headers,
    )

    assert response.status_code == bad.status, response.content[:2000]
    assert response["Content-Type"].startswith("application/json")
    payload = response.json()
    assert payload["data"] == {}
    assert payload["meta"] == {}
    assert payload["errors"], payload
    assert {error["type"] for error in payload["errors"]} == {bad.error_type}, payload
    if bad.field:
        assert bad.field in {error["field"] for error in payload["errors"]}, payload
    # No traceback, SQL or echo of a huge input.
    assert len(response.content) < 10_000
    assert_unchanged(before, database_snapshot())


def test_the_catalogue_is_large_and_names_are_unique():
    names = [bad.name for bad in CATALOGUE]
    assert len(names) == len(set(names))
    assert len(names) >= 200


# --- valid unusual text is accepted and stored exactly.

UNUSUAL_TEXT = [
    "Zoë 🦄 👩🏽‍💻 café",
    "مرحبا بالعالم",
    "שלום עולם",
    "abc \u202eRTL override\u202c def",
    "中文 日本語 한국어",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "\U0001f1fa\U0001f1f3 flags and \u200d joiners",
    "x" * 255,
]


@pytest.mark.parametrize("text", UNUSUAL_TEXT, ids=range(len(UNUSUAL_TEXT)))
def test_unusual_valid_text_is_stored_exactly(text, seed, client):
    contact = send(client, "POST", "/api/v1/contacts", body={"name": text})
    assert contact.status_code == 201, contact.content
    assert contact.json()["data"]["name"] == text
    assert Contact.objects.get(pk=contact.json()["data"]["id"]).name == text

    deal = send(
        client,
        "POST",
        "/api/v1/deals",
        body={"contact_id": str(seed.contact.pk), "title": text, "amount": 1, "currency": "eur"},
    )
    assert deal.status_code == 201, deal.content
    stored = Deal.objects.get(pk=deal.json()["data"]["id"])
    assert (stored.title, stored.currency) == (text, "EUR")

    comment = send(client, "POST", f"/api/v1/deals/{seed.deal.pk}/activities", body={"text": text + "\nline two\t."})
    assert comment.status_code == 201, comment.content
    assert Activity.objects.get(pk=comment.json()["data"]["id"]).payload == {"text": text + "\nline two\t."}

    task = send(
        client, "POST", "/api/v1/tasks", body={"deal_id": str(seed.deal.pk), "title": text, "description": text}
    )
    assert task.status_code == 201, task.content
    stored_task = Task.objects.get(pk=task.json()["data"]["id"])
    assert (stored_task.title, stored_task.description) == (text, text)

    found = send(client, "GET", "/api/v1/contacts", query=[("search", text[:20])])
    assert str(contact.json()["data"]["id"]) in {item["id"] for item in found.json()["data"]["items"]}


@pytest.mark.parametrize(
    "amount, stored",
    [(0, "0.00"), (0.5, "0.50"), (1.1, "1.10"), ("12.30", "12.30"), (9_999_999_999_999.99, "9999999999999.99")],
)
def test_valid_amounts_are_stored_exactly(amount, stored, seed, client):
    response = send(
        client,
        "POST",
        "/api/v1/deals",
        body={"contact_id": str(seed.contact.pk), "title": "Big", "amount": amount, "currency": "USD"},
    )
    assert response.status_code == 201, response.content
    assert str(Deal.objects.get(pk=response.json()["data"]["id"]).amount) == stored


def test_a_future_due_date_and_null_description_are_accepted(seed, client):
    due = (date.today() + timedelta(days=3)).isoformat()
    response = send(client, "PATCH", f"/api/v1/tasks/{seed.task.pk}", body={"due_date": due, "description": None})
    assert response.status_code == 200, response.content
    seed.task.refresh_from_db()
    assert (seed.task.due_date.isoformat(), seed.task.description) == (due, None)


# --- pages past the end.


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/contacts",
        "/api/v1/deals",
        "/api/v1/tasks",
        "/api/v1/deals/{deal}/activities",
        "/api/v1/organizations/{org}/members",
    ],
)
def test_a_page_past_the_end_is_empty(path, seed, client):
    path = _fill_template(path, seed.values())
    response = send(client, "GET", path, query=[("page", "1000"), ("page_size", "10")])
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["items"] == []
    assert data["pagination"]["offset"] == 9990
    assert data["pagination"]["total"] >= 1


# --- a body on GET is ignored, whatever it holds.

GET_ROUTES = [
    "/api/v1/contacts",
    "/api/v1/contacts/{contact}",
    "/api/v1/deals",
    "/api/v1/deals/{deal}",
    "/api/v1/deals/{deal}/activities",
    "/api/v1/tasks",
    "/api/v1/tasks/{task}",
    "/api/v1/organizations/me",
    "/api/v1/organizations/{org}/members",
    "/api/v1/auth/me",
    "/api/v1/analytics/deals/summary",
    "/api/v1/analytics/deals/funnel",
]


@pytest.mark.parametrize("path", GET_ROUTES)
@pytest.mark.parametrize(
    "raw, content_type",
    [(b'{"name": ', "application/json"), (b'{"page": 5, "owner_id": "x"}', "application/json"), (b"a=b", "text/plain")],
    ids=["malformed", "json", "text"],
)
def test_a_body_on_get_is_ignored(path, raw, content_type, seed, client):
    path = _fill_template(path, seed.values())
    if not _routed(path):
        pytest.skip("not routed")
    plain = send(client, "GET", path)
    with_body = send(client, "GET", path, raw=raw, content_type=content_type)
    assert plain.status_code == 200, plain.content
    assert with_body.status_code == 200, with_body.content
    assert with_body.json() == plain.json()


# --- request size.


def test_a_body_over_the_upload_limit_is_a_413_in_the_envelope(seed, client):
    before = database_snapshot()
    name = "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = send(client, "POST", "/api/v1/contacts", body={"name": name})
    assert response.status_code == 413
    payload = response.json()
    assert payload["data"] == {} and payload["errors"][0]["type"] == "ValidationError"
    assert str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) in payload["errors"][0]["message"]
    assert_unchanged(before, database_snapshot())


def test_a_body_just_under_the_upload_limit_is_parsed(seed, client):
    # A field far too long, but a body within the cap: the serializer answers, not the cap.
    name = "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 20)
    response = send(client, "POST", "/api/v1/contacts", body={"name": name})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "name"


def test_the_upload_limit_is_a_sensible_cap():
    assert 1_000_000 <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
