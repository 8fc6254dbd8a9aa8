"""Every role and action of API.md §4 on contacts: owners, admins and managers act on every
contact of the organization; a `member` only on its own (403 otherwise, lists narrowed)."""

import pytest

from contacts.models import Contact
from contacts.tests.factories import ContactFactory
from organizations.models import Role
from organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/contacts"
ROLES = [Role.OWNER, Role.ADMIN, Role.MANAGER, Role.MEMBER]

# action -> {role: (status on an own contact, status on someone else's contact)}
EXPECTED = {
    "retrieve": {Role.OWNER: (200, 200), Role.ADMIN: (200, 200), Role.MANAGER: (200, 200), Role.MEMBER: (200, 403)},
    "update": {Role.OWNER: (200, 200), Role.ADMIN: (200, 200), Role.MANAGER: (200, 200), Role.MEMBER: (200, 403)},
    "reassign": {Role.OWNER: (200, 200), Role.ADMIN: (200, 200), Role.MANAGER: (200, 200), Role.MEMBER: (403, 403)},
    "delete": {Role.OWNER: (204, 204), Role.ADMIN: (204, 204), Role.MANAGER: (204, 204), Role.MEMBER: (204, 403)},
}
TABLE = [
    (action, role, whose, statuses[role][0 if whose == "own" else 1])
    for action, statuses in EXPECTED.items()
    for role in ROLES
    for whose in ("own", "other")
]


@pytest.fixture
def actors(organization, client_for):
    """One caller per role plus a colleague (a plain member) whose contacts are 'someone else's'."""
    colleague = MembershipFactory(organization=organization, role=Role.MEMBER)
    memberships = {role: MembershipFactory(organization=organization, role=role) for role in ROLES}
    return colleague, memberships


def perform(client, action, contact, colleague, caller):
    path = f"{URL}/{contact.pk}"
    if action == "retrieve":
        return client.get(path)
    if action == "update":
        return client.patch(path, {"name": "Renamed"})
    if action == "reassign":
        new_owner = colleague if contact.owner_id == caller.user_id else caller
        return client.patch(path, {"owner_id": str(new_owner.user_id)})
    return client.delete(path)


@pytest.mark.parametrize(("action", "role", "whose", "expected"), TABLE)
def test_role_action_table(client_for, actors, action, role, whose, expected):
    colleague, memberships = actors
    caller = memberships[role]
    owner = caller if whose == "own" else colleague
    contact = ContactFactory(organization=caller.organization, owner=owner.user, name="Original")

    response = perform(client_for(caller), action, contact, colleague, caller)

    assert response.status_code == expected, response.content
    remaining = Contact.objects.filter(pk=contact.pk).first()
    if expected == 403:
        assert response.json()["errors"][0]["type"] == "AccessDeniedException"
        assert remaining is not None
        assert (remaining.name, remaining.owner_id) == ("Original", owner.user_id)
    elif action == "update":
        assert remaining.name == "Renamed"
    elif action == "reassign":
        assert remaining.owner_id != owner.user_id
    elif action == "delete":
        assert remaining is None
    else:
        assert response.json()["data"]["id"] == str(contact.pk)


@pytest.mark.parametrize("role", ROLES)
def test_create_is_open_to_every_role(client_for, actors, role):
    _, memberships = actors

    response = client_for(memberships[role]).post(URL, {"name": "New"})

    assert response.status_code == 201
    assert response.json()["data"]["owner_id"] == str(memberships[role].user_id)


@pytest.mark.parametrize(
    ("role", "sees_all"), [(Role.OWNER, True), (Role.ADMIN, True), (Role.MANAGER, True), (Role.MEMBER, False)]
)
def test_list_by_role(client_for, actors, role, sees_all):
    colleague, memberships = actors
    caller = memberships[role]
    own = ContactFactory(organization=caller.organization, owner=caller.user)
    other = ContactFactory(organization=caller.organization, owner=colleague.user)

    response = client_for(caller).get(URL)
    filtered = client_for(caller).get(URL, {"owner_id": str(colleague.user_id)})

    ids = {item["id"] for item in response.json()["data"]["items"]}
    assert ids == ({str(own.pk), str(other.pk)} if sees_all else {str(own.pk)})
    if sees_all:
        assert [item["id"] for item in filtered.json()["data"]["items"]] == [str(other.pk)]
    else:
        assert filtered.status_code == 403
        assert filtered.json()["errors"][0]["type"] == "AccessDeniedException"
