"""Organizations and members (API.md §3): creation, /me, and every role x action on members."""

import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from conftest import make_client
from organizations import services
from organizations.models import Membership, Organization, Role
from organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

ROLES = [Role.OWNER, Role.ADMIN, Role.MANAGER, Role.MEMBER]


def members_url(organization_id):
    return f"/api/v1/organizations/{organization_id}/members"


def member_url(organization_id, user_id):
    return f"/api/v1/organizations/{organization_id}/members/{user_id}"


def only_error(response, status, type_, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["data"] == {} and body["meta"] == {}
    assert len(body["errors"]) == 1, body
    assert body["errors"][0]["type"] == type_
    assert body["errors"][0]["field"] == field
    return body["errors"][0]


def role_of(organization, user):
    return Membership.objects.filter(organization=organization, user=user).values_list("role", flat=True).first()


# --- create and /me ---------------------------------------------------------------------------


def test_create_answers_the_organization_and_makes_the_caller_its_owner():
    user = UserFactory()

    response = make_client(user).post(
        "/api/v1/organizations", {"name": "Initech", "id": str(uuid.uuid4())}, format="json"
    )

    assert response.status_code == 201
    organization = Organization.objects.get()
    assert response.json() == {
        "data": {
            "id": str(organization.pk),
            "name": "Initech",
            "created_at": organization.created_at.isoformat().replace("+00:00", "Z"),
        },
        "meta": {},
        "errors": [],
    }
    assert response.json()["data"]["created_at"].endswith("Z")
    assert list(Membership.objects.values_list("organization_id", "user_id", "role")) == [
        (organization.pk, user.pk, Role.OWNER)
    ]


@pytest.mark.parametrize(
    ("name", "ok"), [("", False), ("  ", False), ("a", True), ("n" * 255, True), ("n" * 256, False)]
)
def test_create_name_is_1_to_255_characters(name, ok):
    response = make_client(UserFactory()).post("/api/v1/organizations", {"name": name}, format="json")
    if ok:
        assert response.status_code == 201
        assert Organization.objects.get().name == name
    else:
        only_error(response, 400, "ValidationError", "name")
        assert not Organization.objects.exists()


def test_create_needs_a_token():
    response = APIClient().post("/api/v1/organizations", {"name": "X"}, format="json")
    only_error(response, 401, "MissingTokenError")
    assert not Organization.objects.exists()


def test_create_is_one_transaction_with_the_owner_membership(monkeypatch):
    user = UserFactory()

    def fail(*args, **kwargs):
        raise RuntimeError("membership insert failed")

    monkeypatch.setattr(Membership.objects, "create", fail)

    with pytest.raises(RuntimeError):
        services.organization_create(actor=user, name="Half")

    assert not Organization.objects.exists()
    assert not Membership.objects.exists()


def test_me_lists_every_membership_of_the_caller_newest_first(organization, other_organization):
    user = UserFactory()
    first = MembershipFactory(organization=organization, user=user, role=Role.MEMBER)
    second = MembershipFactory(organization=other_organization, user=user, role=Role.ADMIN)
    MembershipFactory(organization=OrganizationFactory())  # someone else's

    response = make_client(user).get("/api/v1/organizations/me")

    assert response.status_code == 200
    expected = [
        {
            "organization_id": str(m.organization_id),
            "role": m.role,
            "organization": {
                "id": str(m.organization_id),
                "name": m.organization.name,
                "created_at": m.organization.created_at.isoformat().replace("+00:00", "Z"),
            },
        }
        for m in sorted([first, second], key=lambda m: (m.created_at, m.pk), reverse=True)
    ]
    assert response.json() == {"data": {"organizations": expected}, "meta": {}, "errors": []}


def test_me_without_memberships_is_an_empty_list():
    response = make_client(UserFactory()).get("/api/v1/organizations/me")
    assert response.json()["data"] == {"organizations": []}


@pytest.mark.parametrize("count", [1, 15])
def test_me_query_count_does_not_grow_with_memberships(django_assert_num_queries, count):
    user = UserFactory()
    for _ in range(count):
        MembershipFactory(user=user)
    client = make_client(user)
    # The user, then the memberships with their organizations.
    with django_assert_num_queries(2):
        response = client.get("/api/v1/organizations/me")
    assert len(response.json()["data"]["organizations"]) == count


# --- members: list --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_member_lists_the_members(organization, role):
    actor = MembershipFactory(organization=organization, role=role)
    others = [MembershipFactory(organization=organization, role=r) for r in ROLES]
    MembershipFactory(organization=OrganizationFactory())  # another tenant's member

    response = make_client(actor.user).get(members_url(organization.pk))

    assert response.status_code == 200
    data = response.json()["data"]
    everyone = sorted([actor, *others], key=lambda m: (m.created_at, m.pk), reverse=True)
    assert data["pagination"] == {"limit": 20, "offset": 0, "total": 5}
    assert data["items"] == [
        {
            "user_id": str(m.user_id),
            "email": m.user.email,
            "name": m.user.name,
            "role": m.role,
            "joined_at": m.created_at.isoformat().replace("+00:00", "Z"),
        }
        for m in everyone
    ]


def test_members_list_paginates(organization, owner_member):
    for _ in range(4):
        MembershipFactory(organization=organization)
    client = make_client(owner_member.user)

    response = client.get(members_url(organization.pk), {"page": 2, "page_size": 2})

    data = response.json()["data"]
    assert data["pagination"] == {"limit": 2, "offset": 2, "total": 5}
    assert len(data["items"]) == 2
    only_error(client.get(members_url(organization.pk), {"page_size": 101}), 400, "ValidationError", "page_size")
    only_error(client.get(members_url(organization.pk), {"page": 0}), 400, "ValidationError", "page")


@pytest.mark.parametrize("count", [1, 30])
def test_members_list_query_count_is_fixed(organization, owner_member, django_assert_num_queries, count):
    for _ in range(count - 1):
        MembershipFactory(organization=organization)
    client = make_client(owner_member.user)
    # The user, the caller's membership, the count, the page with users joined.
    with django_assert_num_queries(4):
        response = client.get(members_url(organization.pk), {"page_size": 100})
    assert len(response.json()["data"]["items"]) == count


# --- members: who may do what ---------------------------------------------------------------

# API.md §3: owners manage everyone; admins manage managers and members only (they cannot
# grant or touch owner/admin); managers and members manage nobody.
MANAGEABLE_BY = {
    Role.OWNER: set(ROLES),
    Role.ADMIN: {Role.MANAGER, Role.MEMBER},
    Role.MANAGER: set(),
    Role.MEMBER: set(),
}


@pytest.fixture
def team(organization):
    """`team(actor_role, target_role)`: the actor's and the target's memberships, plus a
    second owner so that the last-owner guard never decides these cases."""

    def build(actor_role, target_role=None):
        MembershipFactory(organization=organization, role=Role.OWNER)
        actor = MembershipFactory(organization=organization, role=actor_role)
        target = MembershipFactory(organization=organization, role=target_role) if target_role else None
        return actor, target

    return build


@pytest.mark.parametrize("new_role", ROLES)
@pytest.mark.parametrize("actor_role", ROLES)
def test_add_member(organization, team, actor_role, new_role):
    actor, _ = team(actor_role)
    newcomer = UserFactory(email="newcomer@example.com")

    response = make_client(actor.user).post(
        members_url(organization.pk), {"email": "NewComer@Example.com", "role": new_role}, format="json"
    )

    if new_role in MANAGEABLE_BY[actor_role]:
        assert response.status_code == 201, response.content
        membership = Membership.objects.get(organization=organization, user=newcomer)
        assert response.json()["data"] == {
            "user_id": str(newcomer.pk),
            "email": "newcomer@example.com",
            "name": newcomer.name,
            "role": new_role,
            "joined_at": membership.created_at.isoformat().replace("+00:00", "Z"),
        }
        assert membership.role == new_role
    else:
        only_error(response, 403, "AccessDeniedException")
        assert role_of(organization, newcomer) is None


@pytest.mark.parametrize("new_role", ROLES)
@pytest.mark.parametrize("target_role", ROLES)
@pytest.mark.parametrize("actor_role", ROLES)
def test_change_role(organization, team, actor_role, target_role, new_role):
    actor, target = team(actor_role, target_role)

    response = make_client(actor.user).patch(
        member_url(organization.pk, target.user_id), {"role": new_role}, format="json"
    )

    allowed = target_role in MANAGEABLE_BY[actor_role] and new_role in MANAGEABLE_BY[actor_role]
    if allowed:
        assert response.status_code == 200, response.content
        assert response.json()["data"]["user_id"] == str(target.user_id)
        assert response.json()["data"]["role"] == new_role
        assert role_of(organization, target.user) == new_role
    else:
        only_error(response, 403, "AccessDeniedException")
        assert role_of(organization, target.user) == target_role
    assert role_of(organization, actor.user) == actor_role


@pytest.mark.parametrize("target_role", ROLES)
@pytest.mark.parametrize("actor_role", ROLES)
def test_remove_member(organization, team, actor_role, target_role):
    actor, target = team(actor_role, target_role)

    response = make_client(actor.user).delete(member_url(organization.pk, target.user_id))

    if target_role in MANAGEABLE_BY[actor_role]:
        assert response.status_code == 204
        assert response.content == b""
        assert role_of(organization, target.user) is None
    else:
        only_error(response, 403, "AccessDeniedException")
        assert role_of(organization, target.user) == target_role
    assert role_of(organization, actor.user) == actor_role


@pytest.mark.parametrize("actor_role", ROLES)
def test_any_member_may_remove_itself(organization, team, actor_role):
    actor, _ = team(actor_role)

    response = make_client(actor.user).delete(member_url(organization.pk, actor.user_id))

    assert response.status_code == 204
    assert role_of(organization, actor.user) is None
    assert Membership.objects.filter(organization=organization, role=Role.OWNER).exists()


@pytest.mark.parametrize("actor_role", [Role.ADMIN, Role.MANAGER, Role.MEMBER])
def test_only_an_owner_changes_its_own_role_up(organization, team, actor_role):
    actor, _ = team(actor_role)
    response = make_client(actor.user).patch(
        member_url(organization.pk, actor.user_id), {"role": Role.OWNER}, format="json"
    )
    only_error(response, 403, "AccessDeniedException")
    assert role_of(organization, actor.user) == actor_role


# --- the last-owner guard -------------------------------------------------------------------


@pytest.mark.parametrize("new_role", [Role.ADMIN, Role.MANAGER, Role.MEMBER])
def test_the_last_owner_cannot_be_demoted(organization, owner_member, admin_member, new_role):
    response = make_client(owner_member.user).patch(
        member_url(organization.pk, owner_member.user_id), {"role": new_role}, format="json"
    )
    only_error(response, 409, "LastOwnerException")
    assert role_of(organization, owner_member.user) == Role.OWNER


def test_the_last_owner_cannot_remove_itself(organization, owner_member, admin_member):
    response = make_client(owner_member.user).delete(member_url(organization.pk, owner_member.user_id))
    only_error(response, 409, "LastOwnerException")
    assert role_of(organization, owner_member.user) == Role.OWNER


def test_an_owner_can_step_down_when_another_owner_remains(organization, owner_member):
    second = MembershipFactory(organization=organization, role=Role.OWNER)
    client = make_client(owner_member.user)

    response = client.patch(member_url(organization.pk, owner_member.user_id), {"role": Role.MEMBER}, format="json")

    assert response.status_code == 200
    assert role_of(organization, owner_member.user) == Role.MEMBER
    # Now the second owner is the last one.
    only_error(make_client(second.user).delete(member_url(organization.pk, second.user_id)), 409, "LastOwnerException")


def test_keeping_the_same_role_is_a_no_op_even_for_the_last_owner(organization, owner_member):
    response = make_client(owner_member.user).patch(
        member_url(organization.pk, owner_member.user_id), {"role": Role.OWNER}, format="json"
    )
    assert response.status_code == 200
    assert role_of(organization, owner_member.user) == Role.OWNER


# --- members: errors ------------------------------------------------------------------------


def test_adding_an_unknown_email_is_a_404(organization, owner_member):
    response = make_client(owner_member.user).post(
        members_url(organization.pk), {"email": "ghost@example.com", "role": Role.MEMBER}, format="json"
    )
    only_error(response, 404, "MemberNotFoundException", "email")
    assert Membership.objects.filter(organization=organization).count() == 1


def test_adding_a_member_twice_is_a_409(organization, owner_member, member):
    response = make_client(owner_member.user).post(
        members_url(organization.pk), {"email": member.user.email.upper(), "role": Role.ADMIN}, format="json"
    )
    only_error(response, 409, "MemberAlreadyExistsException", "email")
    assert role_of(organization, member.user) == Role.MEMBER


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, ["email", "role"]),
        ({"email": "x@example.com", "role": "boss"}, ["role"]),
        ({"email": "not-an-email", "role": "member"}, ["email"]),
    ],
)
def test_add_validates_the_body(organization, owner_member, body, fields):
    response = make_client(owner_member.user).post(members_url(organization.pk), body, format="json")
    assert response.status_code == 400
    assert sorted(e["field"] for e in response.json()["errors"]) == fields


def test_change_role_validates_the_body(organization, owner_member, member):
    client = make_client(owner_member.user)
    only_error(
        client.patch(member_url(organization.pk, member.user_id), {}, format="json"), 400, "ValidationError", "role"
    )
    only_error(
        client.patch(member_url(organization.pk, member.user_id), {"role": "OWNER"}, format="json"),
        400,
        "ValidationError",
        "role",
    )
    assert role_of(organization, member.user) == Role.MEMBER


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_user_who_is_not_a_member_of_this_organization_is_a_404(organization, owner_member, other_owner, method):
    client = make_client(owner_member.user)
    for user_id in (other_owner.user_id, uuid.uuid4()):
        response = getattr(client, method)(member_url(organization.pk, user_id), {"role": "member"}, format="json")
        only_error(response, 404, "MemberNotFoundException")
    assert role_of(other_owner.organization, other_owner.user) == Role.OWNER


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "members"),
        ("post", "members"),
        ("patch", "member"),
        ("delete", "member"),
    ],
)
def test_a_non_member_gets_403_for_a_real_or_unknown_organization(organization, owner_member, member, method, path):
    outsider = UserFactory()
    client = make_client(outsider)
    for organization_id in (organization.pk, uuid.uuid4()):
        url = members_url(organization_id) if path == "members" else member_url(organization_id, member.user_id)
        response = getattr(client, method)(url, {"email": outsider.email, "role": "owner"}, format="json")
        only_error(response, 403, "NotAMemberException")
    assert role_of(organization, outsider) is None
    assert role_of(organization, member.user) == Role.MEMBER


def test_an_owner_of_another_organization_cannot_manage_this_one(organization, member, other_owner):
    client = make_client(other_owner.user)
    only_error(client.delete(member_url(organization.pk, member.user_id)), 403, "NotAMemberException")
    assert role_of(organization, member.user) == Role.MEMBER


@pytest.mark.parametrize(
    ("method", "url", "field"),
    [
        ("get", "/api/v1/organizations/not-a-uuid/members", "org_id"),
        ("post", "/api/v1/organizations/12345/members", "org_id"),
        ("patch", "/api/v1/organizations/{org}/members/not-a-uuid", "user_id"),
        ("delete", "/api/v1/organizations/{org}/members/zz", "user_id"),
    ],
)
def test_a_bad_uuid_in_the_path_is_a_400(organization, owner_member, method, url, field):
    client = make_client(owner_member.user)
    response = getattr(client, method)(url.format(org=organization.pk), {"role": "member"}, format="json")
    only_error(response, 400, "ValidationError", field)
    assert Membership.objects.filter(organization=organization).count() == 1


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_members_endpoints_need_a_token(organization, owner_member, method):
    url = (
        members_url(organization.pk) if method in ("get", "post") else member_url(organization.pk, owner_member.user_id)
    )
    only_error(getattr(APIClient(), method)(url, {}, format="json"), 401, "MissingTokenError")
    assert role_of(organization, owner_member.user) == Role.OWNER


def test_members_endpoints_need_no_tenant_header(organization, owner_member):
    client = make_client(owner_member.user)
    assert "HTTP_X_ORGANIZATION_ID" not in client.defaults
    assert client.get(members_url(organization.pk)).status_code == 200


def test_membership_changes_lock_the_organization_row(organization, owner_member, member):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        services.member_change_role(
            organization=organization, actor=owner_member, user_id=member.user_id, role=Role.MANAGER
        )
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)
    assert role_of(organization, member.user) == Role.MANAGER
