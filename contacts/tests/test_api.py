import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from contacts.models import Contact
from contacts.tests.factories import ContactFactory
from deals.models import Activity, Deal, DealStatus
from deals.tests.factories import ActivityFactory, DealFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/contacts"

CONTACT_FIELDS = {"id", "organization_id", "owner_id", "name", "email", "phone", "created_at", "updated_at"}


def detail(contact_id):
    return f"{URL}/{contact_id}"


def errors(response):
    return [(e["type"], e["field"]) for e in response.json()["errors"]]


def item_ids(response):
    return [item["id"] for item in response.json()["data"]["items"]]


def contact_of(membership, **kwargs):
    return ContactFactory(organization=membership.organization, owner=membership.user, **kwargs)


# --- create ---------------------------------------------------------------------------------


def test_create_returns_the_contact_owned_by_the_caller(client_for, member, other_organization):
    response = client_for(member).post(
        URL,
        {
            "name": "Ada Lovelace",
            "email": "ada@example.org",
            "phone": "+44 (20) 7946-0958",
            "organization_id": str(other_organization.pk),
            "owner_id": str(uuid.uuid4()),
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body["errors"] == [] and body["meta"] == {}
    data = body["data"]
    assert set(data) == CONTACT_FIELDS
    assert data["organization_id"] == str(member.organization_id)
    assert data["owner_id"] == str(member.user_id)
    assert (data["name"], data["email"], data["phone"]) == ("Ada Lovelace", "ada@example.org", "+44 (20) 7946-0958")
    assert data["created_at"].endswith("Z")
    contact = Contact.objects.get(pk=data["id"])
    assert contact.organization_id == member.organization_id and contact.owner_id == member.user_id


def test_create_with_only_a_name_stores_null_email_and_phone(client_for, member):
    response = client_for(member).post(URL, {"name": "Bob", "email": "", "phone": None})

    assert response.status_code == 201
    assert response.json()["data"]["email"] is None
    assert response.json()["data"]["phone"] is None


@pytest.mark.parametrize(
    "phone",
    ["+1 555 123 4567", "5551234567", "+123456789012345", "(555) 123-4567", "+7-999-123-45-67"],
)
def test_create_accepts_phone_numbers_of_10_to_15_digits(client_for, member, phone):
    response = client_for(member).post(URL, {"name": "Bob", "phone": phone})

    assert response.status_code == 201, response.json()
    assert response.json()["data"]["phone"] == phone


@pytest.mark.parametrize(
    "phone",
    ["555123456", "+1234567890123456", "555-123-4567 ext", "555.123.4567", "1+5551234567", "++15551234567"],
)
def test_create_rejects_invalid_phone_numbers(client_for, member, phone):
    response = client_for(member).post(URL, {"name": "Bob", "phone": phone})

    assert response.status_code == 400
    assert errors(response) == [("ValidationError", "phone")]
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Bob", "email": "not-an-email"}, "email"),
        ({"name": "Bob", "email": "a@"}, "email"),
        ({"email": "bob@example.org"}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"name": None}, "name"),
    ],
)
def test_create_rejects_invalid_fields_one_error_per_field(client_for, member, body, field):
    response = client_for(member).post(URL, body)

    assert response.status_code == 400
    assert errors(response) == [("ValidationError", field)]
    assert not Contact.objects.exists()


def test_create_reports_every_invalid_field(client_for, member):
    response = client_for(member).post(URL, {"name": "", "email": "nope", "phone": "12"})

    assert response.status_code == 400
    assert sorted(field for _, field in errors(response)) == ["email", "name", "phone"]


# --- list: order, filters, pagination ---------------------------------------------------------


def test_list_is_newest_first_with_ties_broken_by_id(client_for, owner_member):
    contacts = [contact_of(owner_member) for _ in range(4)]
    moment = timezone.now()
    # Two contacts created at the same instant: the larger id comes first.
    Contact.objects.filter(pk__in=[contacts[1].pk, contacts[2].pk]).update(created_at=moment)
    Contact.objects.filter(pk=contacts[3].pk).update(created_at=moment + timedelta(seconds=1))
    Contact.objects.filter(pk=contacts[0].pk).update(created_at=moment - timedelta(seconds=1))
    tied = sorted([str(contacts[1].pk), str(contacts[2].pk)], reverse=True)

    response = client_for(owner_member).get(URL)

    assert response.status_code == 200
    assert item_ids(response) == [str(contacts[3].pk), *tied, str(contacts[0].pk)]
    assert response.json()["data"]["pagination"] == {"limit": 20, "offset": 0, "total": 4}
    assert set(response.json()["data"]["items"][0]) == CONTACT_FIELDS


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("ADA", {"Ada Lovelace"}),
        ("lovelace", {"Ada Lovelace"}),
        ("GRACE@NAVY", {"Grace Hopper"}),
        ("555 0100", {"Alan Turing"}),
        ("example", {"Ada Lovelace", "Grace Hopper", "Alan Turing", "100% Sure", "under_score"}),
        ("%", {"100% Sure"}),
        ("_", {"under_score"}),
        ("nobody", set()),
    ],
)
def test_search_matches_name_email_or_phone_case_insensitively(client_for, owner_member, term, expected):
    contact_of(owner_member, name="Ada Lovelace", email="ada@example.org", phone="+1 555 0199 999")
    contact_of(owner_member, name="Grace Hopper", email="grace@navy.example.org", phone="+1 555 0200 999")
    contact_of(owner_member, name="Alan Turing", email="alan@example.org", phone="+1 555 0100 999")
    contact_of(owner_member, name="100% Sure", email="sure@example.org", phone=None)
    contact_of(owner_member, name="under_score", email="under@example.org", phone=None)

    response = client_for(owner_member).get(URL, {"search": term})

    assert response.status_code == 200
    assert {item["name"] for item in response.json()["data"]["items"]} == expected


def test_empty_search_lists_everything(client_for, owner_member):
    contact_of(owner_member)
    contact_of(owner_member)

    response = client_for(owner_member).get(URL, {"search": ""})

    assert response.status_code == 200
    assert response.json()["data"]["pagination"]["total"] == 2


def test_owner_id_filter(client_for, owner_member, member):
    mine = contact_of(owner_member)
    theirs = contact_of(member)

    response = client_for(owner_member).get(URL, {"owner_id": str(member.user_id)})
    assert item_ids(response) == [str(theirs.pk)]
    response = client_for(owner_member).get(URL, {"owner_id": str(owner_member.user_id), "search": mine.name})
    assert item_ids(response) == [str(mine.pk)]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("owner_id=not-a-uuid", "owner_id"),
        ("owner_id=", "owner_id"),
        ("owner_id=6f1c1f5e-0000-4000-8000-000000000001&owner_id=6f1c1f5e-0000-4000-8000-000000000002", "owner_id"),
        ("search=a&search=b", "search"),
        ("search=" + "x" * 256, "search"),
        ("name=Ada", "name"),
        ("ordering=name", "ordering"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=-1", "page_size"),
    ],
)
def test_invalid_or_unknown_query_parameters_are_400(client_for, owner_member, query, field):
    contact_of(owner_member)

    response = client_for(owner_member).get(f"{URL}?{query}")

    assert response.status_code == 400
    assert response.json()["data"] == {}
    assert errors(response) == [("ValidationError", field)]


def test_pagination_pages_and_the_page_past_the_end(client_for, owner_member):
    contacts = [contact_of(owner_member) for _ in range(5)]
    newest_first = [str(c.pk) for c in reversed(contacts)]
    client = client_for(owner_member)

    first = client.get(URL, {"page": 1, "page_size": 2})
    last = client.get(URL, {"page": 3, "page_size": 2})
    past = client.get(URL, {"page": 4, "page_size": 2})
    whole = client.get(URL, {"page_size": 100})

    assert item_ids(first) == newest_first[:2]
    assert first.json()["data"]["pagination"] == {"limit": 2, "offset": 0, "total": 5}
    assert item_ids(last) == newest_first[4:]
    assert last.json()["data"]["pagination"] == {"limit": 2, "offset": 4, "total": 5}
    assert past.status_code == 200
    assert past.json()["data"] == {"items": [], "pagination": {"limit": 2, "offset": 6, "total": 5}}
    assert item_ids(whole) == newest_first


def test_member_lists_only_its_own_contacts(client_for, member, manager_member):
    own = contact_of(member)
    contact_of(manager_member)

    response = client_for(member).get(URL)

    assert item_ids(response) == [str(own.pk)]
    assert response.json()["data"]["pagination"]["total"] == 1


def test_member_may_filter_by_its_own_owner_id_only(client_for, member, manager_member):
    own = contact_of(member)
    contact_of(manager_member)

    own_filter = client_for(member).get(URL, {"owner_id": str(member.user_id)})
    other_filter = client_for(member).get(URL, {"owner_id": str(manager_member.user_id)})
    invalid_filter = client_for(member).get(URL, {"owner_id": "nope"})

    assert item_ids(own_filter) == [str(own.pk)]
    assert other_filter.status_code == 403
    assert errors(other_filter) == [("AccessDeniedException", None)]
    assert invalid_filter.status_code == 400
    assert errors(invalid_filter) == [("ValidationError", "owner_id")]


@pytest.mark.parametrize("rows", [1, 50])
def test_list_runs_a_fixed_number_of_queries(client_for, owner_member, django_assert_num_queries, rows):
    for _ in range(rows):
        contact_of(owner_member)
    client = client_for(owner_member)

    # user, membership, count, page
    with django_assert_num_queries(4):
        response = client.get(URL, {"page_size": 100, "search": "e"})
    assert response.status_code == 200


def test_detail_runs_a_fixed_number_of_queries(client_for, owner_member, django_assert_num_queries):
    contact = contact_of(owner_member)
    client = client_for(owner_member)

    # user, membership, contact
    with django_assert_num_queries(3):
        response = client.get(detail(contact.pk))
    assert response.status_code == 200


# --- retrieve ----------------------------------------------------------------------------------


def test_retrieve_returns_exactly_the_contract_fields(client_for, owner_member):
    contact = contact_of(owner_member, email=None, phone=None)

    response = client_for(owner_member).get(detail(contact.pk))

    assert response.status_code == 200
    assert response.json()["data"] == {
        "id": str(contact.pk),
        "organization_id": str(owner_member.organization_id),
        "owner_id": str(owner_member.user_id),
        "name": contact.name,
        "email": None,
        "phone": None,
        "created_at": contact.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": contact.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_retrieve_serves_a_trailing_slash_too(client_for, owner_member):
    contact = contact_of(owner_member)

    response = client_for(owner_member).get(detail(contact.pk) + "/")

    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(contact.pk)


def test_retrieve_unknown_id_is_404_and_a_malformed_id_400(client_for, owner_member):
    missing = client_for(owner_member).get(detail(uuid.uuid4()))
    malformed = client_for(owner_member).get(detail("123"))

    assert missing.status_code == 404
    assert errors(missing) == [("ContactNotFoundException", None)]
    assert malformed.status_code == 400
    assert errors(malformed) == [("ValidationError", "id")]


def test_requests_without_the_tenant_header_are_400(client_for, owner_member):
    response = client_for(owner_member, with_header=False).get(URL)

    assert response.status_code == 400
    assert errors(response) == [("ValidationError", "X-Organization-Id")]


# --- update ------------------------------------------------------------------------------------


def test_patch_changes_only_the_given_fields_and_bumps_updated_at(client_for, member):
    contact = contact_of(member, name="Old", email="old@example.org", phone="+1 555 000 0000")
    before = contact.updated_at

    response = client_for(member).patch(detail(contact.pk), {"name": "New", "email": None})

    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["name"], data["email"], data["phone"]) == ("New", None, "+1 555 000 0000")
    contact.refresh_from_db()
    assert (contact.name, contact.email, contact.phone) == ("New", None, "+1 555 000 0000")
    assert contact.updated_at > before
    assert data["updated_at"] == contact.updated_at.isoformat().replace("+00:00", "Z")


def test_patch_with_an_invalid_field_changes_nothing(client_for, member):
    contact = contact_of(member, name="Old", phone="+1 555 000 0000")

    response = client_for(member).patch(detail(contact.pk), {"name": "New", "phone": "12"})

    assert response.status_code == 400
    assert errors(response) == [("ValidationError", "phone")]
    contact.refresh_from_db()
    assert contact.name == "Old"


def test_manager_reassigns_a_contact_to_another_member(client_for, manager_member, member):
    contact = contact_of(manager_member)

    response = client_for(manager_member).patch(detail(contact.pk), {"owner_id": str(member.user_id)})

    assert response.status_code == 200
    assert response.json()["data"]["owner_id"] == str(member.user_id)
    contact.refresh_from_db()
    assert contact.owner_id == member.user_id


def test_member_cannot_reassign_even_its_own_contact(client_for, member, manager_member):
    contact = contact_of(member)

    response = client_for(member).patch(detail(contact.pk), {"owner_id": str(manager_member.user_id), "name": "X"})
    same_owner = client_for(member).patch(detail(contact.pk), {"owner_id": str(member.user_id)})

    assert response.status_code == 403
    assert errors(response) == [("AccessDeniedException", "owner_id")]
    contact.refresh_from_db()
    assert contact.owner_id == member.user_id and contact.name != "X"
    # Naming the current owner is no reassignment.
    assert same_owner.status_code == 200


def test_reassigning_to_a_user_outside_the_organization_is_404(client_for, owner_member, other_owner):
    contact = contact_of(owner_member)

    response = client_for(owner_member).patch(detail(contact.pk), {"owner_id": str(other_owner.user_id)})
    unknown = client_for(owner_member).patch(detail(contact.pk), {"owner_id": str(uuid.uuid4())})

    assert response.status_code == 404
    assert errors(response) == [("MemberNotFoundException", "owner_id")]
    assert unknown.status_code == 404
    contact.refresh_from_db()
    assert contact.owner_id == owner_member.user_id


# --- delete ------------------------------------------------------------------------------------


def test_delete_a_contact_without_deals(client_for, member):
    contact = contact_of(member)

    response = client_for(member).delete(detail(contact.pk))

    assert response.status_code == 204
    assert response.content == b""
    assert not Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("status", [DealStatus.NEW, DealStatus.IN_PROGRESS])
def test_delete_with_an_active_deal_is_409_and_changes_nothing(client_for, owner_member, status):
    contact = contact_of(owner_member)
    closed = DealFactory(contact=contact, status=DealStatus.WON)
    active = DealFactory(contact=contact, status=status)

    response = client_for(owner_member).delete(detail(contact.pk))

    assert response.status_code == 409
    assert errors(response) == [("ContactHasActiveDealsException", None)]
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert set(Deal.objects.filter(contact=contact).values_list("pk", flat=True)) == {closed.pk, active.pk}


def test_delete_keeps_closed_deals_and_their_history_with_no_contact(client_for, owner_member):
    contact = contact_of(owner_member)
    won = DealFactory(contact=contact, status=DealStatus.WON)
    lost = DealFactory(contact=contact, status=DealStatus.LOST)
    comment = ActivityFactory(deal=won)
    unrelated = DealFactory(contact=contact_of(owner_member))

    response = client_for(owner_member).delete(detail(contact.pk))

    assert response.status_code == 204
    assert not Contact.objects.filter(pk=contact.pk).exists()
    for deal in (won, lost):
        deal.refresh_from_db()
        assert deal.contact_id is None
    assert Activity.objects.filter(pk=comment.pk, deal=won).exists()
    unrelated.refresh_from_db()
    assert unrelated.contact_id is not None
    deal_view = client_for(owner_member).get(f"/api/v1/deals/{won.pk}")
    assert deal_view.json()["data"]["contact_id"] is None


def test_delete_unknown_contact_is_404(client_for, owner_member):
    response = client_for(owner_member).delete(detail(uuid.uuid4()))

    assert response.status_code == 404
    assert errors(response) == [("ContactNotFoundException", None)]


def test_the_contract_has_no_put_on_contacts(client_for, owner_member):
    contact = contact_of(owner_member)

    response = client_for(owner_member).put(detail(contact.pk), {"name": "X"})

    assert response.status_code == 405
    assert errors(response) == [("MethodNotAllowed", None)]
