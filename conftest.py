"""Fixtures shared by every app's tests.

`organization` has one user of each role; `other_organization` is a second tenant with its
own owner, whose data must never be visible from the first.
"""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from organizations.models import Role
from organizations.tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    # Throttle counters live in the cache; every test starts with a fresh budget.
    cache.clear()
    yield
    cache.clear()


def make_client(user=None, organization=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    if organization is not None:
        client.defaults["HTTP_X_ORGANIZATION_ID"] = str(organization.pk)
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Acme")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Globex")


def _member(organization, role):
    return MembershipFactory(organization=organization, role=role)


@pytest.fixture
def owner_member(organization):
    return _member(organization, Role.OWNER)


@pytest.fixture
def admin_member(organization):
    return _member(organization, Role.ADMIN)


@pytest.fixture
def manager_member(organization):
    return _member(organization, Role.MANAGER)


@pytest.fixture
def member(organization):
    return _member(organization, Role.MEMBER)


@pytest.fixture
def other_owner(other_organization):
    return _member(other_organization, Role.OWNER)


@pytest.fixture
def client_for():
    """`client_for(membership)`: an authenticated client with that membership's tenant header."""

    def build(membership, with_header=True):
        return make_client(membership.user, membership.organization if with_header else None)

    return build
