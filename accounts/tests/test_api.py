"""Register, login, refresh, logout and me (API.md §2)."""

from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/token/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/auth/me"


def errors_of(response):
    body = response.json()
    assert body["data"] == {} and body["meta"] == {}
    return body["errors"]


def login(client, user):
    response = client.post(LOGIN, {"email": user.email, "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["data"]


# --- register -------------------------------------------------------------------------------


def test_register_creates_a_user_and_answers_id_oid_email_name(api_client):
    response = api_client.post(
        REGISTER, {"email": "  Alice@Example.COM ", "password": "s3cure-enough", "name": "Alice"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    user = User.objects.get()
    assert body == {
        "data": {"id": str(user.pk), "oid": str(user.pk), "email": "alice@example.com", "name": "Alice"},
        "meta": {},
        "errors": [],
    }
    assert user.email == "alice@example.com"
    assert user.check_password("s3cure-enough")
    assert user.is_active and not user.is_staff and not user.is_superuser


@pytest.mark.parametrize("email", ["bob@example.com", "BOB@example.com", "Bob@Example.Com"])
def test_register_twice_with_the_same_email_in_any_case_is_a_409(api_client, email):
    UserFactory(email="bob@example.com")

    response = api_client.post(REGISTER, {"email": email, "password": "s3cure-enough", "name": "Bob"}, format="json")

    assert response.status_code == 409
    assert errors_of(response) == [
        {"message": "A user with this email already exists.", "type": "UserAlreadyExistsException", "field": "email"}
    ]
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("ab3", id="too-short"),
        pytest.param("abc1def", id="seven-chars"),
        pytest.param("no-digits-here", id="no-digit"),
        pytest.param("1234-5678-90", id="no-letter"),
        pytest.param("a1" * 64 + "x", id="over-128"),
        pytest.param("password1", id="common"),
    ],
)
def test_register_refuses_weak_passwords_naming_the_field(api_client, password):
    response = api_client.post(
        REGISTER, {"email": "carol@example.com", "password": password, "name": "Carol"}, format="json"
    )

    assert response.status_code == 400
    errors = errors_of(response)
    assert errors and all(e["field"] == "password" and e["type"] == "ValidationError" for e in errors)
    assert all(e["message"] for e in errors)
    assert not User.objects.exists()


def test_register_accepts_a_password_of_exactly_128_characters(api_client):
    password = ("Zq7" * 43)[:128]
    response = api_client.post(REGISTER, {"email": "d@example.com", "password": password, "name": "D"}, format="json")
    assert response.status_code == 201
    assert User.objects.get().check_password(password)


def test_register_refuses_a_password_too_similar_to_the_email(api_client):
    response = api_client.post(
        REGISTER, {"email": "margaret77@example.com", "password": "margaret77", "name": "M"}, format="json"
    )
    assert response.status_code == 400
    assert {e["field"] for e in errors_of(response)} == {"password"}


def test_register_refuses_a_password_too_similar_to_the_name(api_client):
    response = api_client.post(
        REGISTER, {"email": "x@example.com", "password": "Bartholomew9", "name": "Bartholomew Higgins"}, format="json"
    )
    assert response.status_code == 400
    assert {e["field"] for e in errors_of(response)} == {"password"}
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("name", "ok"),
    [("", False), ("   ", False), ("x", True), ("n" * 255, True), ("n" * 256, False)],
    ids=["empty", "blank", "one", "255", "256"],
)
def test_register_name_is_1_to_255_characters(api_client, name, ok):
    response = api_client.post(
        REGISTER, {"email": "e@example.com", "password": "s3cure-enough", "name": name}, format="json"
    )
    if ok:
        assert response.status_code == 201
        assert User.objects.get().name == name
    else:
        assert response.status_code == 400
        assert [e["field"] for e in errors_of(response)] == ["name"]
        assert not User.objects.exists()


def test_register_reports_every_missing_field(api_client):
    response = api_client.post(REGISTER, {}, format="json")
    assert response.status_code == 400
    assert sorted(e["field"] for e in errors_of(response)) == ["email", "name", "password"]


def test_register_refuses_an_invalid_email(api_client):
    response = api_client.post(
        REGISTER, {"email": "not-an-email", "password": "s3cure-enough", "name": "X"}, format="json"
    )
    assert response.status_code == 400
    assert [e["field"] for e in errors_of(response)] == ["email"]


# --- login ----------------------------------------------------------------------------------


def test_login_answers_the_pair_in_the_body_and_as_httponly_lax_secure_cookies(api_client):
    user = UserFactory()

    response = api_client.post(LOGIN, {"email": user.email.upper(), "password": TEST_PASSWORD}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["errors"] == [] and body["meta"] == {}
    assert set(body["data"]) == {"access_token", "refresh_token"}
    access = AccessToken(body["data"]["access_token"])
    refresh = RefreshToken(body["data"]["refresh_token"])
    assert access["user_id"] == str(user.pk) == refresh["user_id"]
    assert OutstandingToken.objects.filter(user=user, jti=refresh["jti"]).exists()

    for name in ("access_token", "refresh_token"):
        cookie = response.cookies[name]
        assert cookie.value == body["data"][name]
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["secure"] is True
        assert int(cookie["max-age"]) > 0
    jwt = settings.SIMPLE_JWT
    assert int(response.cookies["access_token"]["max-age"]) == jwt["ACCESS_TOKEN_LIFETIME"].total_seconds()
    assert int(response.cookies["refresh_token"]["max-age"]) == jwt["REFRESH_TOKEN_LIFETIME"].total_seconds()
    assert response.cookies["access_token"]["path"] == "/"
    assert response.cookies["refresh_token"]["path"] == "/api/v1/auth"


@pytest.mark.parametrize(
    "credentials",
    [
        pytest.param({"email": "nobody@example.com", "password": TEST_PASSWORD}, id="unknown-email"),
        pytest.param({"email": "known@example.com", "password": "wrong-password-1"}, id="wrong-password"),
    ],
)
def test_login_failures_share_one_answer(api_client, credentials):
    UserFactory(email="known@example.com")

    response = api_client.post(LOGIN, credentials, format="json")

    assert response.status_code == 401
    assert errors_of(response) == [
        {"message": "Invalid email or password.", "type": "InvalidCredentialsException", "field": None}
    ]
    assert "access_token" not in response.cookies
    assert not OutstandingToken.objects.exists()


def test_login_of_a_deactivated_user_is_refused_like_a_wrong_password(api_client):
    user = UserFactory(is_active=False)
    response = api_client.post(LOGIN, {"email": user.email, "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 401
    assert errors_of(response)[0]["type"] == "InvalidCredentialsException"


def test_login_with_missing_fields_is_a_400(api_client):
    response = api_client.post(LOGIN, {"email": "x@example.com"}, format="json")
    assert response.status_code == 400
    assert [e["field"] for e in errors_of(response)] == ["password"]


# --- refresh --------------------------------------------------------------------------------


def test_refresh_from_the_body_rotates_and_the_old_token_then_fails(api_client):
    user = UserFactory()
    first = login(api_client, user)
    api_client.cookies.clear()

    response = api_client.post(REFRESH, {"refresh_token": first["refresh_token"]}, format="json")

    assert response.status_code == 200
    second = response.json()["data"]
    assert set(second) == {"access_token", "refresh_token"}
    assert second["refresh_token"] != first["refresh_token"]
    assert AccessToken(second["access_token"])["user_id"] == str(user.pk)
    assert response.cookies["refresh_token"].value == second["refresh_token"]
    assert response.cookies["access_token"].value == second["access_token"]
    old_jti = RefreshToken(first["refresh_token"], verify=False)["jti"]
    assert BlacklistedToken.objects.filter(token__jti=old_jti).exists()

    again = api_client.post(REFRESH, {"refresh_token": first["refresh_token"]}, format="json")

    assert again.status_code == 401
    assert errors_of(again)[0]["type"] == "InvalidTokenError"


def test_refresh_from_the_cookie_when_the_body_has_none(api_client):
    user = UserFactory()
    first = login(api_client, user)  # the client now holds the cookies

    response = api_client.post(REFRESH, {}, format="json")

    assert response.status_code == 200
    assert response.json()["data"]["refresh_token"] != first["refresh_token"]
    # The client keeps the rotated cookie, so a second refresh works as well.
    assert api_client.post(REFRESH, {}, format="json").status_code == 200


def test_refresh_body_wins_over_the_cookie(api_client):
    user, other = UserFactory(), UserFactory()
    login(api_client, user)
    other_tokens = login(APIClient(), other)

    response = api_client.post(REFRESH, {"refresh_token": other_tokens["refresh_token"]}, format="json")

    assert response.status_code == 200
    assert AccessToken(response.json()["data"]["access_token"])["user_id"] == str(other.pk)


def test_refresh_without_any_token_is_a_401_missing_token(api_client):
    response = api_client.post(REFRESH, {}, format="json")
    assert response.status_code == 401
    assert errors_of(response)[0]["type"] == "MissingTokenError"


@pytest.mark.parametrize("raw", ["garbage", "a.b.c", "x" * 4000])
def test_refresh_with_a_garbage_token_is_a_401(api_client, raw):
    response = api_client.post(REFRESH, {"refresh_token": raw}, format="json")
    assert response.status_code == 401
    assert errors_of(response)[0]["type"] == "InvalidTokenError"


def test_refresh_with_an_expired_or_forged_refresh_token_is_a_401(api_client):

    user = UserFactory()
    expired = RefreshToken.for_user(user)
    expired.set_exp(from_time=timezone.now() - timedelta(days=30))
    forged = jwt.encode(dict(RefreshToken.for_user(user).payload), "another-key-0123456789-0123456789", "HS256")
    for raw in (str(expired), forged):
        response = api_client.post(REFRESH, {"refresh_token": raw}, format="json")
        assert response.status_code == 401
        assert errors_of(response)[0]["type"] == "InvalidTokenError"
    assert not BlacklistedToken.objects.exists()


def test_refresh_with_an_access_token_is_a_401(api_client):
    tokens = login(api_client, UserFactory())
    api_client.cookies.clear()
    response = api_client.post(REFRESH, {"refresh_token": tokens["access_token"]}, format="json")
    assert response.status_code == 401
    assert errors_of(response)[0]["type"] == "InvalidTokenError"


@pytest.mark.parametrize("gone", ["deactivated", "deleted"])
def test_refresh_of_a_deactivated_or_deleted_user_is_a_401_not_a_500(api_client, gone):
    user = UserFactory()
    tokens = login(api_client, user)
    api_client.cookies.clear()
    if gone == "deleted":
        user.delete()
    else:
        User.objects.filter(pk=user.pk).update(is_active=False)

    response = api_client.post(REFRESH, {"refresh_token": tokens["refresh_token"]}, format="json")

    assert response.status_code == 401
    assert errors_of(response)[0]["type"] == "InvalidTokenError"


# --- logout ---------------------------------------------------------------------------------


def test_logout_revokes_the_refresh_token_and_clears_both_cookies(api_client):
    user = UserFactory()
    tokens = login(api_client, user)

    response = api_client.post(LOGOUT, {"refresh_token": tokens["refresh_token"]}, format="json")

    assert response.status_code == 204
    assert response.content == b""
    jti = RefreshToken(tokens["refresh_token"], verify=False)["jti"]
    assert BlacklistedToken.objects.filter(token__jti=jti).exists()
    for name, path in (("access_token", "/"), ("refresh_token", "/api/v1/auth")):
        cookie = response.cookies[name]
        assert cookie.value == ""
        assert int(cookie["max-age"]) == 0
        assert cookie["path"] == path

    refreshed = APIClient().post(REFRESH, {"refresh_token": tokens["refresh_token"]}, format="json")
    assert refreshed.status_code == 401


def test_logout_takes_the_refresh_token_from_the_cookie(api_client):
    tokens = login(api_client, UserFactory())

    response = api_client.post(LOGOUT, format="json")

    assert response.status_code == 204
    jti = RefreshToken(tokens["refresh_token"], verify=False)["jti"]
    assert BlacklistedToken.objects.filter(token__jti=jti).exists()


def test_logout_twice_is_a_401(api_client):
    tokens = login(api_client, UserFactory())
    api_client.cookies.clear()
    assert api_client.post(LOGOUT, {"refresh_token": tokens["refresh_token"]}, format="json").status_code == 204
    response = api_client.post(LOGOUT, {"refresh_token": tokens["refresh_token"]}, format="json")
    assert response.status_code == 401
    assert errors_of(response)[0]["type"] == "InvalidTokenError"


def test_logout_without_a_token_is_a_401_missing_token(api_client):
    response = api_client.post(LOGOUT, {}, format="json")
    assert response.status_code == 401
    assert errors_of(response)[0]["type"] == "MissingTokenError"


def test_logout_with_an_access_token_is_a_401_and_revokes_nothing(api_client):
    tokens = login(api_client, UserFactory())
    api_client.cookies.clear()
    response = api_client.post(LOGOUT, {"refresh_token": tokens["access_token"]}, format="json")
    assert response.status_code == 401
    assert not BlacklistedToken.objects.exists()


# --- me -------------------------------------------------------------------------------------


def test_me_answers_the_current_user(api_client):
    user = UserFactory(name="Dana")
    tokens = login(api_client, user)
    api_client.cookies.clear()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")

    response = api_client.get(ME)

    assert response.status_code == 200
    assert response.json() == {
        "data": {"id": str(user.pk), "oid": str(user.pk), "email": user.email, "name": "Dana"},
        "meta": {},
        "errors": [],
    }


def test_me_with_the_login_cookies_only(api_client):
    user = UserFactory()
    login(api_client, user)  # cookies only, no Authorization header
    response = api_client.get(ME)
    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(user.pk)
