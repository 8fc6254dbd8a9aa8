"""Tenant isolation of contacts, deals and activities: a user of another organization gets 404
for every id of this organization, in a path or in a body, and nothing of this organization
changes."""

import pytest
from django.forms.models import model_to_dict

from contacts.models import Contact
from contacts.tests.factories import ContactFactory
from deals.models import Activity, Deal
from deals.tests.factories import ActivityFactory, DealFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(owner_member, member):
    """This organization's data, seen from the other one."""
    contact = ContactFactory(organization=owner_member.organization, owner=member.user)
    deal = DealFactory(contact=contact, status="in_progress")
    activity = ActivityFactory(deal=deal)
    closed_contact = ContactFactory(organization=owner_member.organization, owner=member.user)
    DealFactory(contact=closed_contact, status="won")
    return {"contact": contact, "deal": deal, "activity": activity, "member": member, "closed": closed_contact}


@pytest.fixture
def globex(other_owner):
    contact = ContactFactory(organization=other_owner.organization, owner=other_owner.user)
    deal = DealFactory(contact=contact)
    return {"contact": contact, "deal": deal}


def organization_state(organization):
    rows = []
    for model in (Contact, Deal, Activity):
        for row in model.objects.for_organization(organization).order_by("pk"):
            rows.append((model.__name__, model_to_dict(row), getattr(row, "updated_at", None)))
    return rows


PATH_CASES = [
    ("get", "/api/v1/contacts/{contact}", None, "ContactNotFoundException"),
    ("patch", "/api/v1/contacts/{contact}", {"name": "Hijacked"}, "ContactNotFoundException"),
    ("delete", "/api/v1/contacts/{closed}", None, "ContactNotFoundException"),
    ("get", "/api/v1/deals/{deal}", None, "DealNotFoundException"),
    ("patch", "/api/v1/deals/{deal}", {"status": "lost", "title": "Hijacked"}, "DealNotFoundException"),
    ("get", "/api/v1/deals/{deal}/activities", None, "DealNotFoundException"),
    ("post", "/api/v1/deals/{deal}/activities", {"text": "Hello"}, "DealNotFoundException"),
]


@pytest.mark.parametrize(("method", "path", "body", "error"), PATH_CASES)
def test_ids_of_another_organization_in_a_path_are_404(client_for, other_owner, acme, method, path, body, error):
    organization = acme["contact"].organization
    before = organization_state(organization)
    url = path.format(contact=acme["contact"].pk, closed=acme["closed"].pk, deal=acme["deal"].pk)

    client = client_for(other_owner)
    response = getattr(client, method)(url, body) if body else getattr(client, method)(url)

    assert response.status_code == 404
    assert [(e["type"], e["field"]) for e in response.json()["errors"]] == [(error, None)]
    assert organization_state(organization) == before


@pytest.mark.parametrize(
    ("method", "path", "body", "error"),
    [
        (
            "post",
            "/api/v1/deals",
            {"contact_id": "{contact}", "title": "T", "amount": 1, "currency": "USD"},
            ("ContactNotFoundException", "contact_id"),
        ),
        (
            "patch",
            "/api/v1/deals/{own_deal}",
            {"contact_id": "{contact}", "status": "in_progress"},
            ("ContactNotFoundException", "contact_id"),
        ),
        (
            "patch",
            "/api/v1/deals/{own_deal}",
            {"owner_id": "{user}", "status": "in_progress"},
            ("MemberNotFoundException", "owner_id"),
        ),
        (
            "patch",
            "/api/v1/contacts/{own_contact}",
            {"owner_id": "{user}", "name": "Changed"},
            ("MemberNotFoundException", "owner_id"),
        ),
    ],
)
def test_ids_of_another_organization_in_a_body_are_404(
    client_for, other_owner, acme, globex, method, path, body, error
):
    organization = acme["contact"].organization
    before = organization_state(organization)
    own_before = organization_state(other_owner.organization)
    ids = {
        "contact": str(acme["contact"].pk),
        "user": str(acme["member"].user_id),
        "own_deal": str(globex["deal"].pk),
        "own_contact": str(globex["contact"].pk),
    }
    payload = {key: value.format(**ids) if isinstance(value, str) else value for key, value in body.items()}

    response = getattr(client_for(other_owner), method)(path.format(**ids), payload)

    assert response.status_code == 404
    assert [(e["type"], e["field"]) for e in response.json()["errors"]] == [error]
    assert organization_state(organization) == before
    # The caller's own records are untouched too: the request applied not at all.
    assert organization_state(other_owner.organization) == own_before


def test_lists_never_show_another_organization(client_for, other_owner, acme, globex):
    client = client_for(other_owner)

    contacts = client.get("/api/v1/contacts")
    deals = client.get("/api/v1/deals")
    by_owner = client.get("/api/v1/deals", {"owner_id": str(acme["member"].user_id)})
    by_contact = client.get("/api/v1/deals", {"contact_id": str(acme["contact"].pk)})
    searched = client.get("/api/v1/contacts", {"search": acme["contact"].name})

    assert [item["id"] for item in contacts.json()["data"]["items"]] == [str(globex["contact"].pk)]
    assert [item["id"] for item in deals.json()["data"]["items"]] == [str(globex["deal"].pk)]
    for response in (by_owner, by_contact, searched):
        assert response.status_code == 200
        assert response.json()["data"]["items"] == []


def test_the_header_of_an_organization_the_caller_is_not_in_is_403(client_for, other_owner, acme):
    client = client_for(other_owner)
    client.defaults["HTTP_X_ORGANIZATION_ID"] = str(acme["contact"].organization_id)
    organization = acme["contact"].organization
    before = organization_state(organization)

    responses = [
        client.get("/api/v1/contacts"),
        client.get(f"/api/v1/deals/{acme['deal'].pk}"),
        client.patch(f"/api/v1/deals/{acme['deal'].pk}", {"status": "lost"}),
        client.delete(f"/api/v1/contacts/{acme['closed'].pk}"),
    ]

    for response in responses:
        assert response.status_code == 403
        assert response.json()["errors"][0]["type"] == "NotAMemberException"
    assert organization_state(organization) == before
