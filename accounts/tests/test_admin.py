"""The Django admin: staff only, email login, createsuperuser, user search by email."""

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from organizations.models import Role
from organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def admin_login(email, password):
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": email, "password": password})
    return client, response


def test_createsuperuser_noinput_reads_the_environment_and_logs_in_with_the_email(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "root-pass-2026")
    monkeypatch.setenv("DJANGO_SUPERUSER_NAME", "Root")

    call_command("createsuperuser", "--noinput", "--email", "Root@Example.com", verbosity=0)

    user = User.objects.get()
    assert (user.email, user.name, user.is_staff, user.is_superuser, user.is_active) == (
        "root@example.com",
        "Root",
        True,
        True,
        True,
    )
    assert user.check_password("root-pass-2026")

    client, response = admin_login("ROOT@example.com", "root-pass-2026")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200

    api = Client().post(
        "/api/v1/auth/login",
        {"email": "root@example.com", "password": "root-pass-2026"},
        content_type="application/json",
    )
    assert api.status_code == 200


def test_a_user_who_is_not_staff_cannot_log_in_to_the_admin():
    user = UserFactory(is_staff=False)

    client, response = admin_login(user.email, TEST_PASSWORD)

    assert response.status_code == 200  # the login form again, with an error
    assert b"Please enter the correct email" in response.content
    assert "_auth_user_id" not in client.session
    followed = client.get("/admin/")
    assert followed.status_code == 302 and followed["Location"].startswith("/admin/login/")


def test_a_wrong_password_is_refused_by_the_admin():
    staff = UserFactory(is_staff=True, is_superuser=True)
    client, response = admin_login(staff.email, "not-the-password-1")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.fixture
def superuser_client():
    superuser = UserFactory(is_staff=True, is_superuser=True, email="boss@example.com")
    client = Client()
    client.force_login(superuser)
    return client


def test_users_are_searched_by_email(superuser_client):
    UserFactory(email="alice.wonder@example.com", name="Alice")
    UserFactory(email="bob@example.com", name="Bob")

    response = superuser_client.get("/admin/accounts/user/", {"q": "WONDER@example"})

    assert response.status_code == 200
    assert [u.email for u in response.context["cl"].result_list] == ["alice.wonder@example.com"]


def test_the_admin_creates_a_user_with_a_normalized_email(superuser_client):
    response = superuser_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "New.Person@Example.COM",
            "name": "New",
            "password1": "s3cure-enough",
            "password2": "s3cure-enough",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    user = User.objects.get(email="new.person@example.com")
    assert user.check_password("s3cure-enough")


def test_organizations_show_their_members_and_memberships_filter_by_role(superuser_client):
    owner = MembershipFactory(role=Role.OWNER)
    member = MembershipFactory(organization=owner.organization, role=Role.MEMBER)
    stranger = MembershipFactory(role=Role.MEMBER)

    page = superuser_client.get(f"/admin/organizations/organization/{owner.organization.pk}/change/")
    assert page.status_code == 200
    assert owner.user.email in page.content.decode()
    assert member.user.email in page.content.decode()
    assert stranger.user.email not in page.content.decode()

    filtered = superuser_client.get("/admin/organizations/membership/", {"role__exact": "owner"})
    assert filtered.status_code == 200
    assert [m.pk for m in filtered.context["cl"].result_list] == [owner.pk]


@pytest.mark.parametrize(
    "url", ["/admin/accounts/user/", "/admin/organizations/organization/", "/admin/organizations/membership/"]
)
def test_admin_lists_render(superuser_client, url):
    MembershipFactory()
    assert superuser_client.get(url).status_code == 200


def test_the_deactivate_action_cuts_api_access_and_revokes_refresh_tokens(superuser_client):
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    from accounts import services
    from conftest import make_client

    user = UserFactory()
    tokens = services.tokens_for_user(user)
    api = make_client(user)
    assert api.get("/api/v1/auth/me").status_code == 200

    response = superuser_client.post(
        "/admin/accounts/user/", {"action": "deactivate_users", "_selected_action": [str(user.pk)]}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active is False
    assert not OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).exists()
    assert api.get("/api/v1/auth/me").status_code == 401
    refreshed = Client().post(
        "/api/v1/auth/token/refresh", {"refresh_token": tokens["refresh_token"]}, content_type="application/json"
    )
    assert refreshed.status_code == 401
