"""Small helpers shared by the task tests."""

from contacts.tests.factories import ContactFactory
from deals.tests.factories import DealFactory

TASK_FIELDS = {"id", "deal_id", "title", "description", "due_date", "is_done", "created_at", "updated_at"}


def deal_of(membership, **kwargs):
    """A deal (and its contact) owned by `membership`'s user, in its organization."""
    contact = ContactFactory(organization=membership.organization, owner=membership.user)
    return DealFactory(contact=contact, **kwargs)


def data(response):
    body = response.json()
    assert body["errors"] == [], body
    return body["data"]


def errors(response):
    body = response.json()
    assert body["data"] == {}, body
    return body["errors"]


def error_fields(response):
    return sorted((e["field"], e["type"]) for e in errors(response))


def item_ids(response):
    return [item["id"] for item in data(response)["items"]]
