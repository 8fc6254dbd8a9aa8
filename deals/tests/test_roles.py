"""Every role and action of API.md §4 on deals and their activities, table-driven."""

import pytest

from contacts.tests.factories import ContactFactory
from deals.models import Activity, Deal, DealStage
from deals.tests.factories import ActivityFactory, DealFactory
from organizations.models import Role
from organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/deals"
ROLES = [Role.OWNER, Role.ADMIN, Role.MANAGER, Role.MEMBER]
DENIED = "AccessDeniedException"
ROLLBACK = "DealStageRollbackNotAllowedException"

OK = {"own": 200, "other": 200}
MEMBER_OWN_ONLY = {"own": 200, "other": (403, DENIED)}

# action -> {role: {whose deal: expected status, or (status, error type)}}
EXPECTED = {
    "retrieve": {Role.OWNER: OK, Role.ADMIN: OK, Role.MANAGER: OK, Role.MEMBER: MEMBER_OWN_ONLY},
    "change_status": {Role.OWNER: OK, Role.ADMIN: OK, Role.MANAGER: OK, Role.MEMBER: MEMBER_OWN_ONLY},
    "stage_forward": {Role.OWNER: OK, Role.ADMIN: OK, Role.MANAGER: OK, Role.MEMBER: MEMBER_OWN_ONLY},
    "stage_backward": {
        Role.OWNER: OK,
        Role.ADMIN: OK,
        Role.MANAGER: {"own": (403, ROLLBACK), "other": (403, ROLLBACK)},
        Role.MEMBER: {"own": (403, ROLLBACK), "other": (403, DENIED)},
    },
    "reassign": {
        Role.OWNER: OK,
        Role.ADMIN: OK,
        Role.MANAGER: OK,
        Role.MEMBER: {"own": (403, DENIED), "other": (403, DENIED)},
    },
    "list_activities": {Role.OWNER: OK, Role.ADMIN: OK, Role.MANAGER: OK, Role.MEMBER: MEMBER_OWN_ONLY},
    "comment": {
        Role.OWNER: {"own": 201, "other": 201},
        Role.ADMIN: {"own": 201, "other": 201},
        Role.MANAGER: {"own": 201, "other": 201},
        Role.MEMBER: {"own": 201, "other": (403, DENIED)},
    },
    # The contact named in the body is the caller's own or someone else's.
    "create": {
        Role.OWNER: {"own": 201, "other": 201},
        Role.ADMIN: {"own": 201, "other": 201},
        Role.MANAGER: {"own": 201, "other": 201},
        Role.MEMBER: {"own": 201, "other": (403, DENIED)},
    },
}
TABLE = [
    (action, role, whose, by_role[role][whose])
    for action, by_role in EXPECTED.items()
    for role in ROLES
    for whose in ("own", "other")
]


@pytest.fixture
def actors(organization):
    colleague = MembershipFactory(organization=organization, role=Role.MEMBER)
    memberships = {role: MembershipFactory(organization=organization, role=role) for role in ROLES}
    return colleague, memberships


def perform(client, action, deal, caller, colleague):
    path = f"{URL}/{deal.pk}"
    if action == "retrieve":
        return client.get(path)
    if action == "change_status":
        return client.patch(path, {"status": "in_progress"})
    if action == "stage_forward":
        return client.patch(path, {"stage": "closed"})
    if action == "stage_backward":
        return client.patch(path, {"stage": "qualification"})
    if action == "reassign":
        new_owner = colleague if deal.owner_id == caller.user_id else caller
        return client.patch(path, {"owner_id": str(new_owner.user_id)})
    if action == "list_activities":
        return client.get(f"{path}/activities")
    if action == "comment":
        return client.post(f"{path}/activities", {"text": "Hello"})
    return client.post(URL, {"contact_id": str(deal.contact_id), "title": "New", "amount": 5, "currency": "USD"})


def state(deal):
    deal.refresh_from_db()
    return (deal.status, deal.stage, deal.owner_id, deal.updated_at)


@pytest.mark.parametrize(("action", "role", "whose", "expected"), TABLE)
def test_role_action_table(client_for, actors, action, role, whose, expected):
    colleague, memberships = actors
    caller = memberships[role]
    owner = caller if whose == "own" else colleague
    contact = ContactFactory(organization=caller.organization, owner=owner.user)
    deal = DealFactory(contact=contact, owner=owner.user, stage=DealStage.PROPOSAL)
    ActivityFactory(deal=deal, author=None)
    before = state(deal)
    activities_before = Activity.objects.count()
    deals_before = Deal.objects.count()

    response = perform(client_for(caller), action, deal, caller, colleague)

    status, error = expected if isinstance(expected, tuple) else (expected, None)
    assert response.status_code == status, response.content
    if error:
        assert [e["type"] for e in response.json()["errors"]] == [error]
        assert state(deal) == before
        assert Activity.objects.count() == activities_before
        assert Deal.objects.count() == deals_before
        return
    data = response.json()["data"]
    if action == "retrieve":
        assert data["id"] == str(deal.pk)
    elif action == "change_status":
        assert state(deal)[0] == "in_progress"
        assert Activity.objects.filter(deal=deal, type="status_changed", author=caller.user).count() == 1
    elif action in ("stage_forward", "stage_backward"):
        assert state(deal)[1] == data["stage"]
        assert Activity.objects.filter(deal=deal, type="stage_changed", author=caller.user).count() == 1
    elif action == "reassign":
        assert state(deal)[2] != owner.user_id
    elif action == "list_activities":
        assert data["pagination"]["total"] == 1
    elif action == "comment":
        assert Activity.objects.filter(deal=deal, type="comment", author=caller.user).count() == 1
    else:
        created = Deal.objects.get(pk=data["id"])
        assert (created.owner_id, created.contact_id) == (caller.user_id, contact.pk)


@pytest.mark.parametrize(
    ("role", "sees_all"), [(Role.OWNER, True), (Role.ADMIN, True), (Role.MANAGER, True), (Role.MEMBER, False)]
)
def test_list_by_role(client_for, actors, role, sees_all):
    colleague, memberships = actors
    caller = memberships[role]
    own = DealFactory(contact=ContactFactory(organization=caller.organization, owner=caller.user))
    other = DealFactory(contact=ContactFactory(organization=caller.organization, owner=colleague.user))

    response = client_for(caller).get(URL)
    own_filter = client_for(caller).get(URL, {"owner_id": str(caller.user_id)})
    other_filter = client_for(caller).get(URL, {"owner_id": str(colleague.user_id)})

    assert {item["id"] for item in response.json()["data"]["items"]} == (
        {str(own.pk), str(other.pk)} if sees_all else {str(own.pk)}
    )
    assert [item["id"] for item in own_filter.json()["data"]["items"]] == [str(own.pk)]
    if sees_all:
        assert [item["id"] for item in other_filter.json()["data"]["items"]] == [str(other.pk)]
    else:
        assert other_filter.status_code == 403
        assert other_filter.json()["errors"][0]["type"] == DENIED
