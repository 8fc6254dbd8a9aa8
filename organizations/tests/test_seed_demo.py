"""`manage.py seed_demo` (used by `make run`): creates the demo login and organization once."""

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.models import User
from organizations.management.commands.seed_demo import DEMO_EMAIL, DEMO_PASSWORD
from organizations.models import Membership, Organization, Role

pytestmark = pytest.mark.django_db


def test_seed_demo_is_safe_to_rerun_and_its_login_works():
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)

    user = User.objects.get()
    organization = Organization.objects.get()
    assert (user.email, user.is_staff) == (DEMO_EMAIL, True)
    assert Membership.objects.get().role == Role.OWNER
    for output in (first.getvalue(), second.getvalue()):
        assert DEMO_EMAIL in output and DEMO_PASSWORD in output and str(organization.pk) in output
        assert "/api/docs" in output and "/admin/" in output

    client = APIClient()
    login = client.post("/api/v1/auth/login", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}, format="json")
    assert login.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['data']['access_token']}")
    mine = client.get("/api/v1/organizations/me").json()["data"]["organizations"]
    assert [(m["organization_id"], m["role"]) for m in mine] == [(str(organization.pk), "owner")]
