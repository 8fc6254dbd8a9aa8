"""The tenant header matrix of API.md §3, on a minimal tenant view routed by this module."""

import uuid

import pytest
from django.urls import include, path
from rest_framework.response import Response

from accounts.tests.factories import UserFactory
from conftest import make_client
from organizations.models import Role
from organizations.tenancy import TenantAPIView

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class ProbeView(TenantAPIView):
    required_roles = {"post": Role.MANAGER}

    def get(self, request):
        return Response({"organization_id": str(request.organization.pk), "role": request.membership.role})

    def post(self, request):
        return Response({"organization_id": str(self.organization.pk)})


urlpatterns = [path("api/v1/", include([path("probe", ProbeView.as_view())]))]

URL = "/api/v1/probe"


def only_error(response, status, type_, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert body == {"data": {}, "meta": {}, "errors": [body["errors"][0]]}
    assert body["errors"][0]["type"] == type_
    assert body["errors"][0]["field"] == field


def test_a_member_passes_and_sees_its_organization_and_role(organization, member):
    response = make_client(member.user, organization).get(URL)
    assert response.status_code == 200
    assert response.json()["data"] == {"organization_id": str(organization.pk), "role": "member"}


def test_missing_header_is_a_400(organization, member):
    only_error(make_client(member.user).get(URL), 400, "ValidationError", "X-Organization-Id")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not-a-uuid",
        "1234",
        "{UUID}",
        "urn:uuid:UUID",
        "HEX",
        "UUID-extra",
        "UUID\u00a0",
    ],
    ids=["empty", "words", "digits", "braces", "urn", "bare-hex", "suffix", "nbsp"],
)
def test_malformed_header_is_a_400(organization, member, value):
    value = value.replace("HEX", organization.pk.hex).replace("UUID", str(organization.pk))
    client = make_client(member.user)
    client.defaults["HTTP_X_ORGANIZATION_ID"] = value
    only_error(client.get(URL), 400, "ValidationError", "X-Organization-Id")


def test_upper_case_uuid_is_accepted(organization, member):
    client = make_client(member.user)
    client.defaults["HTTP_X_ORGANIZATION_ID"] = str(organization.pk).upper()
    assert client.get(URL).status_code == 200


def test_unknown_organization_is_a_403_not_a_member(organization, member):
    client = make_client(member.user)
    client.defaults["HTTP_X_ORGANIZATION_ID"] = str(uuid.uuid4())
    only_error(client.get(URL), 403, "NotAMemberException")


def test_organization_of_which_the_caller_is_not_a_member_is_the_same_403(organization, member, other_organization):
    only_error(make_client(member.user, other_organization).get(URL), 403, "NotAMemberException")


def test_a_user_with_no_membership_at_all_gets_403(organization):
    only_error(make_client(UserFactory(), organization).get(URL), 403, "NotAMemberException")


def test_authentication_comes_before_the_header(organization):
    from rest_framework.test import APIClient

    client = APIClient()
    client.defaults["HTTP_X_ORGANIZATION_ID"] = "garbage"
    only_error(client.get(URL), 401, "MissingTokenError")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.MEMBER, False), (Role.MANAGER, True), (Role.ADMIN, True), (Role.OWNER, True)],
)
def test_required_roles_per_method(organization, role, allowed):
    from organizations.tests.factories import MembershipFactory

    membership = MembershipFactory(organization=organization, role=role)
    response = make_client(membership.user, organization).post(URL, {}, format="json")
    if allowed:
        assert response.status_code == 200
    else:
        only_error(response, 403, "AccessDeniedException")
