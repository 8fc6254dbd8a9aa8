import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from contacts.tests.factories import ContactFactory
from deals.models import Activity, ActivityType, Deal, DealStage, DealStatus
from deals.tests.factories import ActivityFactory, DealFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/deals"

DEAL_FIELDS = {
    "id",
    "organization_id",
    "contact_id",
    "owner_id",
    "title",
    "amount",
    "currency",
    "status",
    "stage",
    "created_at",
    "updated_at",
}
ACTIVITY_FIELDS = {"id", "deal_id", "author_id", "type", "payload", "created_at"}


def detail(deal_id):
    return f"{URL}/{deal_id}"


def activities_url(deal_id):
    return f"{URL}/{deal_id}/activities"


def errors(response):
    return [(e["type"], e["field"]) for e in response.json()["errors"]]


def item_ids(response):
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["data"]["items"]]


def contact_of(membership, **kwargs):
    return ContactFactory(organization=membership.organization, owner=membership.user, **kwargs)


def deal_of(membership, **kwargs):
    return DealFactory(contact=contact_of(membership), **kwargs)


def iso(moment):
    return moment.isoformat().replace("+00:00", "Z")


def snapshot(deal):
    deal.refresh_from_db()
    return {field: getattr(deal, field) for field in ("title", "amount", "currency", "status", "stage", "updated_at")}


# --- create ------------------------------------------------------------------------------------


def test_create_a_deal_new_in_qualification_owned_by_the_caller(client_for, member, other_organization):
    contact = contact_of(member)

    response = client_for(member).post(
        URL,
        {
            "contact_id": str(contact.pk),
            "title": "Licences",
            "amount": 1234.5,
            "currency": "eur",
            "status": "won",
            "stage": "closed",
            "organization_id": str(other_organization.pk),
        },
    )

    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert set(data) == DEAL_FIELDS
    assert data["organization_id"] == str(member.organization_id)
    assert data["contact_id"] == str(contact.pk)
    assert data["owner_id"] == str(member.user_id)
    assert (data["title"], data["currency"]) == ("Licences", "EUR")
    assert (data["status"], data["stage"]) == ("new", "qualification")
    assert data["amount"] == 1234.5 and isinstance(data["amount"], float)
    deal = Deal.objects.get(pk=data["id"])
    assert deal.amount == Decimal("1234.50") and deal.currency == "EUR"
    assert (deal.status, deal.stage, deal.owner_id) == (DealStatus.NEW, DealStage.QUALIFICATION, member.user_id)


@pytest.mark.parametrize(
    ("amount", "stored"),
    [(0, Decimal("0")), ("19.99", Decimal("19.99")), (9999999999999.99, Decimal("9999999999999.99")), (7, Decimal(7))],
)
def test_create_accepts_exact_money(client_for, owner_member, amount, stored):
    contact = contact_of(owner_member)

    response = client_for(owner_member).post(
        URL, {"contact_id": str(contact.pk), "title": "T", "amount": amount, "currency": "USD"}
    )

    assert response.status_code == 201, response.json()
    assert Deal.objects.get(pk=response.json()["data"]["id"]).amount == stored
    assert Decimal(str(response.json()["data"]["amount"])) == stored


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": -1}, "amount"),
        ({"amount": "-0.01"}, "amount"),
        ({"amount": 1.005}, "amount"),
        ({"amount": "10.123"}, "amount"),
        ({"amount": 10000000000000}, "amount"),
        ({"amount": "12345678901234.5"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": None}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "US"}, "currency"),
        ({"currency": "dollars"}, "currency"),
        ({"title": ""}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"contact_id": "nope"}, "contact_id"),
    ],
)
def test_create_rejects_invalid_input_without_rounding(client_for, owner_member, changes, field):
    contact = contact_of(owner_member)
    body = {"contact_id": str(contact.pk), "title": "T", "amount": 10, "currency": "USD", **changes}

    response = client_for(owner_member).post(URL, body)

    assert response.status_code == 400
    assert errors(response) == [("ValidationError", field)]
    assert not Deal.objects.exists()


def test_create_requires_every_field(client_for, owner_member):
    response = client_for(owner_member).post(URL, {})

    assert response.status_code == 400
    assert sorted(field for _, field in errors(response)) == ["amount", "contact_id", "currency", "title"]


def test_create_with_an_unknown_contact_is_404(client_for, owner_member):
    response = client_for(owner_member).post(
        URL, {"contact_id": str(uuid.uuid4()), "title": "T", "amount": 1, "currency": "USD"}
    )

    assert response.status_code == 404
    assert errors(response) == [("ContactNotFoundException", "contact_id")]


def test_member_cannot_create_a_deal_on_a_contact_it_does_not_own(client_for, member, manager_member):
    contact = contact_of(manager_member)

    response = client_for(member).post(
        URL, {"contact_id": str(contact.pk), "title": "T", "amount": 1, "currency": "USD"}
    )

    assert response.status_code == 403
    assert errors(response) == [("AccessDeniedException", None)]
    assert not Deal.objects.exists()


def test_manager_may_create_a_deal_on_someone_elses_contact(client_for, member, manager_member):
    contact = contact_of(member)

    response = client_for(manager_member).post(
        URL, {"contact_id": str(contact.pk), "title": "T", "amount": 1, "currency": "USD"}
    )

    assert response.status_code == 201
    assert response.json()["data"]["owner_id"] == str(manager_member.user_id)


# --- list: filters, ordering, pagination ------------------------------------------------------


@pytest.fixture
def pipeline(owner_member, member):
    """Five deals of two owners across statuses, stages, amounts and contacts."""
    mine = contact_of(owner_member)
    theirs = contact_of(member)
    deals = {
        "a": DealFactory(contact=mine, title="Alpha", amount=Decimal("100.00"), status="new", stage="qualification"),
        "b": DealFactory(contact=mine, title="bravo", amount=Decimal("250.50"), status="in_progress", stage="proposal"),
        "c": DealFactory(contact=theirs, title="Charlie", amount=Decimal("0.00"), status="lost", stage="closed"),
        "d": DealFactory(contact=theirs, title="Delta", amount=Decimal("999.99"), status="won", stage="negotiation"),
        "e": DealFactory(contact=mine, title="Echo", amount=Decimal("250.50"), status="won", stage="closed"),
    }
    start = timezone.now() - timedelta(hours=1)
    for offset, key in enumerate("abcde"):
        Deal.objects.filter(pk=deals[key].pk).update(
            created_at=start + timedelta(minutes=offset), updated_at=start + timedelta(minutes=10 - offset)
        )
    return {key: str(deal.pk) for key, deal in deals.items()}


def keys(response, pipeline):
    names = {value: key for key, value in pipeline.items()}
    return "".join(names[item] for item in item_ids(response))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "edcba"),
        ("status=won", "ed"),
        ("status=won&status=new", "eda"),
        ("status=new&status=in_progress&status=won&status=lost", "edcba"),
        ("stage=closed", "ec"),
        ("stage=proposal&status=won", ""),
        ("min_amount=250.5", "edb"),
        ("max_amount=250.50", "ecba"),
        ("min_amount=100&max_amount=250.5", "eba"),
        ("min_amount=0&max_amount=0", "c"),
        ("min_amount=1000", ""),
        ("order_by=amount&order=asc", "cabed"),
        ("order_by=amount", "debac"),
        ("order_by=created_at&order=asc", "abcde"),
        ("order=asc", "abcde"),
        ("order_by=updated_at", "abcde"),
        ("order_by=updated_at&order=asc", "edcba"),
        ("order_by=status&order=asc", "abedc"),
        ("order_by=stage&order=asc", "abdec"),
        ("order_by=stage", "ecdba"),
        ("status=won&order_by=amount&order=asc", "ed"),
    ],
)
def test_deal_filters_and_ordering(client_for, owner_member, pipeline, query, expected):
    response = client_for(owner_member).get(f"{URL}?{query}")

    result = keys(response, pipeline)
    if "order_by=amount" in query or "order_by=status" in query or "order_by=stage" in query:
        # Equal keys are ordered by id in the same direction: compare the tie-free skeleton.
        _assert_order_with_id_ties(response, query)
        assert sorted(result) == sorted(expected)
    else:
        assert result == expected
    assert response.json()["data"]["pagination"]["total"] == len(expected)


def _assert_order_with_id_ties(response, query):
    items = response.json()["data"]["items"]
    field = query.split("order_by=")[1].split("&")[0]
    descending = "order=asc" not in query
    rank = {
        "amount": lambda item: Decimal(str(item["amount"])),
        "status": lambda item: ["new", "in_progress", "won", "lost"].index(item["status"]),
        "stage": lambda item: ["qualification", "proposal", "negotiation", "closed"].index(item["stage"]),
    }[field]
    expected = sorted(items, key=lambda item: (rank(item), uuid.UUID(item["id"])), reverse=descending)
    assert [item["id"] for item in items] == [item["id"] for item in expected]


def test_exact_expected_order_with_an_amount_tie(client_for, owner_member, pipeline):
    asc = client_for(owner_member).get(f"{URL}?order_by=amount&order=asc")
    desc = client_for(owner_member).get(f"{URL}?order_by=amount&order=desc")

    tie_asc = sorted([pipeline["b"], pipeline["e"]])
    assert item_ids(asc) == [pipeline["c"], pipeline["a"], *tie_asc, pipeline["d"]]
    assert item_ids(desc) == [pipeline["d"], *reversed(tie_asc), pipeline["a"], pipeline["c"]]


def test_order_by_title(client_for, owner_member):
    for title in ["delta", "alpha", "charlie", "bravo"]:
        deal_of(owner_member, title=title)

    response = client_for(owner_member).get(URL, {"order_by": "title", "order": "asc"})

    assert [item["title"] for item in response.json()["data"]["items"]] == ["alpha", "bravo", "charlie", "delta"]


def test_default_order_breaks_created_at_ties_by_id(client_for, owner_member):
    deals = [deal_of(owner_member) for _ in range(3)]
    Deal.objects.update(created_at=timezone.now())

    response = client_for(owner_member).get(URL)

    assert item_ids(response) == sorted((str(d.pk) for d in deals), reverse=True)


def test_owner_id_and_contact_id_filters(client_for, owner_member, member, pipeline):
    by_owner = client_for(owner_member).get(URL, {"owner_id": str(member.user_id)})
    contact_id = Deal.objects.get(pk=pipeline["a"]).contact_id
    by_contact = client_for(owner_member).get(URL, {"contact_id": str(contact_id), "status": "won"})

    assert keys(by_owner, pipeline) == "dc"
    assert keys(by_contact, pipeline) == "e"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=closed", "status"),
        ("status=WON", "status"),
        ("status=", "status"),
        ("stage=won", "stage"),
        ("stage=qualification&stage=proposal", "stage"),
        ("stage=", "stage"),
        ("min_amount=abc", "min_amount"),
        ("min_amount=NaN", "min_amount"),
        ("max_amount=Infinity", "max_amount"),
        ("max_amount=1.005", "max_amount"),
        ("max_amount=100000000000000", "max_amount"),
        ("owner_id=42", "owner_id"),
        ("contact_id=abc", "contact_id"),
        ("contact_id=", "contact_id"),
        ("order_by=owner_id", "order_by"),
        ("order_by=-amount", "order_by"),
        ("order_by=", "order_by"),
        ("order_by=amount&order_by=title", "order_by"),
        ("order=up", "order"),
        ("order=ASC", "order"),
        ("sort=amount", "sort"),
        ("status_list=won", "status_list"),
        ("page=2.5", "page"),
        ("page_size=1000", "page_size"),
    ],
)
def test_invalid_or_unknown_deal_filters_are_400(client_for, owner_member, pipeline, query, field):
    response = client_for(owner_member).get(f"{URL}?{query}")

    assert response.status_code == 400
    assert response.json()["data"] == {}
    assert errors(response) == [("ValidationError", field)]


def test_several_invalid_filters_each_get_an_error(client_for, owner_member):
    response = client_for(owner_member).get(f"{URL}?status=x&order=sideways&bogus=1")

    assert response.status_code == 400
    assert sorted(field for _, field in errors(response)) == ["bogus", "order", "status"]


def test_pagination_with_filters_and_the_page_past_the_end(client_for, owner_member, pipeline):
    page_one = client_for(owner_member).get(URL, {"status": ["won", "new"], "page_size": 2})
    page_two = client_for(owner_member).get(URL, {"status": ["won", "new"], "page_size": 2, "page": 2})
    past = client_for(owner_member).get(URL, {"status": ["won", "new"], "page_size": 2, "page": 3})
    bounds = client_for(owner_member).get(URL, {"page_size": 1, "page": 5})

    assert keys(page_one, pipeline) == "ed"
    assert page_one.json()["data"]["pagination"] == {"limit": 2, "offset": 0, "total": 3}
    assert keys(page_two, pipeline) == "a"
    assert past.json()["data"] == {"items": [], "pagination": {"limit": 2, "offset": 4, "total": 3}}
    assert keys(bounds, pipeline) == "a"


def test_member_lists_only_its_own_deals(client_for, member, pipeline):
    response = client_for(member).get(URL, {"order_by": "created_at", "order": "asc"})

    assert keys(response, pipeline) == "cd"


@pytest.mark.parametrize("rows", [1, 50])
def test_deal_list_runs_a_fixed_number_of_queries(client_for, owner_member, django_assert_num_queries, rows):
    contact = contact_of(owner_member)
    for index in range(rows):
        DealFactory(contact=contact, status=DealStatus.WON if index % 2 else DealStatus.NEW)
    client = client_for(owner_member)

    # user, membership, count, page
    with django_assert_num_queries(4):
        response = client.get(URL, {"page_size": 100, "status": ["won", "new"], "order_by": "stage"})
    assert response.json()["data"]["pagination"]["total"] == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_member_deal_list_runs_a_fixed_number_of_queries(client_for, member, django_assert_num_queries, rows):
    contact = contact_of(member)
    for _ in range(rows):
        DealFactory(contact=contact)
    client = client_for(member)

    with django_assert_num_queries(4):
        response = client.get(URL, {"page_size": 100})
    assert len(response.json()["data"]["items"]) == rows


def test_deal_detail_runs_a_fixed_number_of_queries(client_for, owner_member, django_assert_num_queries):
    deal = deal_of(owner_member)
    client = client_for(owner_member)

    # user, membership, deal
    with django_assert_num_queries(3):
        response = client.get(detail(deal.pk))
    assert response.status_code == 200


# --- retrieve ----------------------------------------------------------------------------------


def test_retrieve_returns_exactly_the_contract_fields(client_for, owner_member):
    deal = deal_of(owner_member, amount=Decimal("1500.25"), currency="JPY")

    response = client_for(owner_member).get(detail(deal.pk))

    assert response.status_code == 200
    assert response.json()["data"] == {
        "id": str(deal.pk),
        "organization_id": str(owner_member.organization_id),
        "contact_id": str(deal.contact_id),
        "owner_id": str(owner_member.user_id),
        "title": deal.title,
        "amount": 1500.25,
        "currency": "JPY",
        "status": "new",
        "stage": "qualification",
        "created_at": iso(deal.created_at),
        "updated_at": iso(deal.updated_at),
    }


def test_retrieve_unknown_or_malformed_deal(client_for, owner_member):
    missing = client_for(owner_member).get(detail(uuid.uuid4()))
    malformed = client_for(owner_member).get(detail("not-a-uuid"))

    assert missing.status_code == 404
    assert errors(missing) == [("DealNotFoundException", None)]
    assert malformed.status_code == 400
    assert errors(malformed) == [("ValidationError", "id")]


# --- PATCH: business rules ---------------------------------------------------------------------


def test_patch_status_writes_one_status_changed_activity_by_the_caller(client_for, manager_member, member):
    deal = deal_of(member)
    before = deal.updated_at

    response = client_for(manager_member).patch(detail(deal.pk), {"status": "in_progress"})

    assert response.status_code == 200
    data = response.json()["data"]
    deal.refresh_from_db()
    assert data["status"] == deal.status == "in_progress"
    assert deal.updated_at > before
    assert data["updated_at"] == iso(deal.updated_at)
    activity = Activity.objects.get(deal=deal)
    assert activity.type == ActivityType.STATUS_CHANGED
    assert activity.payload == {"old_status": "new", "new_status": "in_progress"}
    assert activity.author_id == manager_member.user_id
    assert activity.organization_id == deal.organization_id


def test_patch_stage_forward_writes_stage_changed(client_for, member):
    deal = deal_of(member)

    response = client_for(member).patch(detail(deal.pk), {"stage": "negotiation"})

    assert response.status_code == 200
    assert response.json()["data"]["stage"] == "negotiation"
    activity = Activity.objects.get(deal=deal)
    assert (activity.type, activity.payload, activity.author_id) == (
        ActivityType.STAGE_CHANGED,
        {"old_stage": "qualification", "new_stage": "negotiation"},
        member.user_id,
    )


def test_patch_status_and_stage_writes_both_activities(client_for, owner_member):
    deal = deal_of(owner_member)

    response = client_for(owner_member).patch(
        detail(deal.pk), {"status": "won", "stage": "closed", "title": "Signed", "amount": "10.50", "currency": "gbp"}
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["status"], data["stage"], data["title"], data["amount"], data["currency"]) == (
        "won",
        "closed",
        "Signed",
        10.5,
        "GBP",
    )
    payloads = {a.type: a.payload for a in Activity.objects.filter(deal=deal)}
    assert payloads == {
        ActivityType.STATUS_CHANGED: {"old_status": "new", "new_status": "won"},
        ActivityType.STAGE_CHANGED: {"old_stage": "qualification", "new_stage": "closed"},
    }


def test_patch_with_unchanged_values_writes_no_activity_and_keeps_updated_at(client_for, owner_member):
    deal = deal_of(owner_member)
    before = snapshot(deal)

    response = client_for(owner_member).patch(
        detail(deal.pk), {"status": "new", "stage": "qualification", "amount": 1000, "currency": "usd"}
    )

    assert response.status_code == 200
    assert snapshot(deal) == before
    assert not Activity.objects.exists()


def test_patch_other_fields_write_no_activity(client_for, owner_member):
    deal = deal_of(owner_member)

    response = client_for(owner_member).patch(detail(deal.pk), {"title": "Renamed", "amount": 5})

    assert response.status_code == 200
    deal.refresh_from_db()
    assert (deal.title, deal.amount) == ("Renamed", Decimal("5.00"))
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("initial_amount", "body", "field"),
    [
        (Decimal("0"), {"status": "won"}, "status"),
        (Decimal("100"), {"status": "won", "amount": 0}, "status"),
    ],
)
def test_won_needs_an_amount_above_zero_after_the_change(client_for, owner_member, initial_amount, body, field):
    deal = deal_of(owner_member, amount=initial_amount)
    before = snapshot(deal)

    response = client_for(owner_member).patch(detail(deal.pk), body)

    assert response.status_code == 400
    assert errors(response) == [("CannotCloseDealWithZeroAmountException", field)]
    assert snapshot(deal) == before
    assert not Activity.objects.exists()


def test_a_won_deal_cannot_drop_to_zero(client_for, owner_member):
    deal = deal_of(owner_member, amount=Decimal("10"), status=DealStatus.WON)

    response = client_for(owner_member).patch(detail(deal.pk), {"amount": 0})

    assert response.status_code == 400
    assert errors(response) == [("CannotCloseDealWithZeroAmountException", "amount")]
    deal.refresh_from_db()
    assert deal.amount == Decimal("10")


def test_won_with_a_positive_amount_set_in_the_same_patch(client_for, owner_member):
    deal = deal_of(owner_member, amount=Decimal("0"))

    response = client_for(owner_member).patch(detail(deal.pk), {"status": "won", "amount": "0.01"})

    assert response.status_code == 200
    deal.refresh_from_db()
    assert (deal.status, deal.amount) == (DealStatus.WON, Decimal("0.01"))


@pytest.mark.parametrize(
    ("role_fixture", "allowed"),
    [("owner_member", True), ("admin_member", True), ("manager_member", False), ("member", False)],
)
def test_stage_moves_backwards_only_for_owner_and_admin(request, client_for, role_fixture, allowed):
    membership = request.getfixturevalue(role_fixture)
    deal = deal_of(membership, stage=DealStage.NEGOTIATION)

    response = client_for(membership).patch(detail(deal.pk), {"stage": "proposal"})

    deal.refresh_from_db()
    if allowed:
        assert response.status_code == 200
        assert deal.stage == DealStage.PROPOSAL
        assert Activity.objects.get(deal=deal).payload == {"old_stage": "negotiation", "new_stage": "proposal"}
    else:
        assert response.status_code == 403
        assert errors(response) == [("DealStageRollbackNotAllowedException", "stage")]
        assert deal.stage == DealStage.NEGOTIATION
        assert not Activity.objects.exists()


def test_a_valid_status_with_a_forbidden_stage_changes_nothing(client_for, member):
    deal = deal_of(member, stage=DealStage.NEGOTIATION, status=DealStatus.NEW)
    before = snapshot(deal)

    response = client_for(member).patch(
        detail(deal.pk), {"status": "in_progress", "stage": "qualification", "title": "Changed"}
    )

    assert response.status_code == 403
    assert errors(response) == [("DealStageRollbackNotAllowedException", "stage")]
    assert snapshot(deal) == before
    assert not Activity.objects.exists()


def test_a_valid_status_with_an_invalid_amount_changes_nothing(client_for, owner_member):
    deal = deal_of(owner_member)
    before = snapshot(deal)

    response = client_for(owner_member).patch(detail(deal.pk), {"status": "in_progress", "amount": "1.001"})

    assert response.status_code == 400
    assert errors(response) == [("ValidationError", "amount")]
    assert snapshot(deal) == before
    assert not Activity.objects.exists()


def test_a_valid_status_with_an_unknown_contact_changes_nothing(client_for, owner_member):
    deal = deal_of(owner_member)
    before = snapshot(deal)

    response = client_for(owner_member).patch(
        detail(deal.pk), {"status": "in_progress", "contact_id": str(uuid.uuid4())}
    )

    assert response.status_code == 404
    assert errors(response) == [("ContactNotFoundException", "contact_id")]
    assert snapshot(deal) == before
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "done"}, "status"),
        ({"stage": "won"}, "stage"),
        ({"amount": -5}, "amount"),
        ({"currency": "ABC"}, "currency"),
        ({"title": ""}, "title"),
        ({"contact_id": None}, "contact_id"),
        ({"owner_id": "x"}, "owner_id"),
    ],
)
def test_patch_rejects_invalid_values(client_for, owner_member, body, field):
    deal = deal_of(owner_member)
    before = snapshot(deal)

    response = client_for(owner_member).patch(detail(deal.pk), body)

    assert response.status_code == 400
    assert errors(response) == [("ValidationError", field)]
    assert snapshot(deal) == before


def test_patch_moves_the_deal_to_another_contact(client_for, owner_member, member):
    deal = deal_of(owner_member)
    other = contact_of(member)

    response = client_for(owner_member).patch(detail(deal.pk), {"contact_id": str(other.pk)})

    assert response.status_code == 200
    assert response.json()["data"]["contact_id"] == str(other.pk)
    deal.refresh_from_db()
    assert deal.contact_id == other.pk


def test_member_cannot_move_its_deal_to_a_contact_it_does_not_own(client_for, member, manager_member):
    deal = deal_of(member)
    foreign = contact_of(manager_member)

    response = client_for(member).patch(detail(deal.pk), {"contact_id": str(foreign.pk)})

    assert response.status_code == 403
    assert errors(response) == [("AccessDeniedException", None)]
    deal.refresh_from_db()
    assert deal.contact_id != foreign.pk


@pytest.mark.parametrize(
    ("role_fixture", "allowed"),
    [("owner_member", True), ("admin_member", True), ("manager_member", True), ("member", False)],
)
def test_owner_reassignment_needs_manager_or_above(request, client_for, member, role_fixture, allowed):
    membership = request.getfixturevalue(role_fixture)
    new_owner = member if membership != member else request.getfixturevalue("owner_member")
    deal = deal_of(membership)

    response = client_for(membership).patch(detail(deal.pk), {"owner_id": str(new_owner.user_id)})

    deal.refresh_from_db()
    if allowed:
        assert response.status_code == 200
        assert response.json()["data"]["owner_id"] == str(new_owner.user_id)
        assert deal.owner_id == new_owner.user_id
    else:
        assert response.status_code == 403
        assert errors(response) == [("AccessDeniedException", "owner_id")]
        assert deal.owner_id == membership.user_id


def test_owner_reassignment_to_a_non_member_is_404(client_for, owner_member, other_owner):
    deal = deal_of(owner_member)

    response = client_for(owner_member).patch(
        detail(deal.pk), {"owner_id": str(other_owner.user_id), "status": "in_progress"}
    )

    assert response.status_code == 404
    assert errors(response) == [("MemberNotFoundException", "owner_id")]
    deal.refresh_from_db()
    assert (deal.owner_id, deal.status) == (owner_member.user_id, DealStatus.NEW)
    assert not Activity.objects.exists()


def test_patch_unknown_deal_is_404(client_for, owner_member):
    response = client_for(owner_member).patch(detail(uuid.uuid4()), {"status": "won"})

    assert response.status_code == 404
    assert errors(response) == [("DealNotFoundException", None)]


def test_patch_needs_a_json_body(client_for, owner_member):
    deal = deal_of(owner_member)

    response = client_for(owner_member).patch(detail(deal.pk), "status=won", content_type="text/plain")

    assert response.status_code == 415
    assert errors(response) == [("UnsupportedMediaType", None)]


def test_deals_cannot_be_deleted(client_for, owner_member):
    deal = deal_of(owner_member)

    response = client_for(owner_member).delete(detail(deal.pk))

    assert response.status_code == 405
    assert Deal.objects.filter(pk=deal.pk).exists()


# --- activities --------------------------------------------------------------------------------


def test_comment_on_a_deal(client_for, member):
    deal = deal_of(member)
    text = "  Called the client; they want a demo.  "

    response = client_for(member).post(activities_url(deal.pk), {"text": text})

    assert response.status_code == 201
    data = response.json()["data"]
    assert set(data) == ACTIVITY_FIELDS
    assert data["deal_id"] == str(deal.pk)
    assert data["author_id"] == str(member.user_id)
    assert data["type"] == "comment"
    assert data["payload"] == {"text": text}
    activity = Activity.objects.get(pk=data["id"])
    assert (activity.organization_id, activity.deal_id, activity.payload) == (
        deal.organization_id,
        deal.pk,
        {"text": text},
    )


@pytest.mark.parametrize("text", ["", "   ", "x" * 10001, None])
def test_comment_text_must_be_1_to_10000_characters(client_for, member, text):
    deal = deal_of(member)

    response = client_for(member).post(activities_url(deal.pk), {"text": text})

    assert response.status_code == 400
    assert errors(response) == [("ValidationError", "text")]
    assert not Activity.objects.exists()


def test_comment_of_exactly_10000_characters(client_for, member):
    deal = deal_of(member)

    response = client_for(member).post(activities_url(deal.pk), {"text": "x" * 10000})

    assert response.status_code == 201


def test_comment_without_text_is_400(client_for, member):
    deal = deal_of(member)

    response = client_for(member).post(activities_url(deal.pk), {"type": "status_changed"})

    assert response.status_code == 400
    assert errors(response) == [("ValidationError", "text")]


def test_activities_are_newest_first_and_paginated(client_for, owner_member):
    deal = deal_of(owner_member)
    other_deal = deal_of(owner_member)
    activities = [ActivityFactory(deal=deal) for _ in range(5)]
    ActivityFactory(deal=other_deal)
    moment = timezone.now()
    for offset, activity in enumerate(activities):
        Activity.objects.filter(pk=activity.pk).update(created_at=moment + timedelta(seconds=offset // 2))
    expected = [
        str(a.pk)
        for a in sorted(
            activities,
            key=lambda a: (Activity.objects.get(pk=a.pk).created_at, a.pk),
            reverse=True,
        )
    ]
    client = client_for(owner_member)

    first = client.get(activities_url(deal.pk), {"page_size": 3})
    second = client.get(activities_url(deal.pk), {"page_size": 3, "page": 2})
    past = client.get(activities_url(deal.pk), {"page_size": 3, "page": 3})

    assert item_ids(first) + item_ids(second) == expected
    assert first.json()["data"]["pagination"] == {"limit": 3, "offset": 0, "total": 5}
    assert past.json()["data"] == {"items": [], "pagination": {"limit": 3, "offset": 6, "total": 5}}
    item = first.json()["data"]["items"][0]
    assert set(item) == ACTIVITY_FIELDS


def test_activities_list_shows_status_changes_and_comments(client_for, owner_member):
    deal = deal_of(owner_member)
    client = client_for(owner_member)
    client.patch(detail(deal.pk), {"status": "in_progress"})
    client.post(activities_url(deal.pk), {"text": "Sent the proposal."})

    response = client.get(activities_url(deal.pk))

    assert [(item["type"], item["payload"]) for item in response.json()["data"]["items"]] == [
        ("comment", {"text": "Sent the proposal."}),
        ("status_changed", {"old_status": "new", "new_status": "in_progress"}),
    ]


@pytest.mark.parametrize(
    ("query", "field"), [("type=comment", "type"), ("page=0", "page"), ("page_size=x", "page_size")]
)
def test_activities_reject_unknown_and_invalid_parameters(client_for, owner_member, query, field):
    deal = deal_of(owner_member)

    response = client_for(owner_member).get(f"{activities_url(deal.pk)}?{query}")

    assert response.status_code == 400
    assert errors(response) == [("ValidationError", field)]


def test_activities_of_an_unknown_or_malformed_deal(client_for, owner_member):
    missing = client_for(owner_member).get(activities_url(uuid.uuid4()))
    malformed = client_for(owner_member).post(activities_url("nope"), {"text": "x"})

    assert missing.status_code == 404
    assert errors(missing) == [("DealNotFoundException", None)]
    assert malformed.status_code == 400
    assert errors(malformed) == [("ValidationError", "deal_id")]


@pytest.mark.parametrize("rows", [1, 50])
def test_activity_list_runs_a_fixed_number_of_queries(client_for, member, django_assert_num_queries, rows):
    deal = deal_of(member)
    for _ in range(rows):
        ActivityFactory(deal=deal)
    client = client_for(member)

    # user, membership, deal, count, page
    with django_assert_num_queries(5):
        response = client.get(activities_url(deal.pk), {"page_size": 100})
    assert len(response.json()["data"]["items"]) == rows
