"""The 401 matrix of API.md §2: every bad token is a 401 in the envelope, never a 500."""

import base64
import json
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts import services
from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/auth/me"


def b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def claims_for(user, **extra):
    now = timezone.now()
    return {
        "token_type": "access",
        "exp": int((now + timedelta(minutes=5)).timestamp()),
        "iat": int(now.timestamp()),
        "jti": "0123456789abcdef",
        "user_id": str(user.pk),
        **extra,
    }


def expired_access(user):
    token = AccessToken.for_user(user)
    token.set_exp(from_time=timezone.now() - timedelta(hours=1))
    return str(token)


def bad_signature(user):
    return jwt.encode(claims_for(user), "not-the-signing-key-but-long-enough-0123456789", algorithm="HS256")


def alg_none(user):
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims_for(user))}."


def tampered(user):
    header, _, signature = str(AccessToken.for_user(user)).split(".")
    other = claims_for(UserFactory())
    return f"{header}.{b64(other)}.{signature}"


def signed(claims):
    return jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256")


def call(authorization=None, cookie=None):
    client = APIClient()
    if authorization is not None:
        client.credentials(HTTP_AUTHORIZATION=authorization)
    if cookie is not None:
        client.cookies["access_token"] = cookie
    return client.get(ME)


def assert_401(response, type_):
    assert response.status_code == 401, response.content
    body = response.json()
    assert body["data"] == {} and body["meta"] == {}
    assert len(body["errors"]) == 1
    assert body["errors"][0]["type"] == type_
    assert body["errors"][0]["field"] is None
    assert "Traceback" not in response.content.decode()
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_token_is_missing_token():
    assert_401(call(), "MissingTokenError")


@pytest.mark.parametrize(
    "make_header",
    [
        pytest.param(lambda user: "Bearer garbage", id="garbage"),
        pytest.param(lambda user: "Bearer ", id="empty-bearer"),
        pytest.param(lambda user: "Bearer a.b.c", id="three-garbage-parts"),
        pytest.param(lambda user: f"Basic {base64.b64encode(b'a:b').decode()}", id="basic-scheme"),
        pytest.param(lambda user: "Bearer one two", id="two-words"),
        pytest.param(lambda user: f"Bearer {bad_signature(user)}", id="bad-signature"),
        pytest.param(lambda user: f"Bearer {tampered(user)}", id="tampered-payload"),
        pytest.param(lambda user: f"Bearer {alg_none(user)}", id="alg-none"),
        pytest.param(lambda user: f"Bearer {expired_access(user)}", id="expired"),
        pytest.param(lambda user: f"Bearer {RefreshToken.for_user(user)}", id="refresh-as-access"),
        pytest.param(lambda user: f"Bearer {signed(claims_for(user, user_id='not-a-uuid'))}", id="user-id-not-uuid"),
        pytest.param(lambda user: f"Bearer {signed({'token_type': 'access', 'jti': 'x'})}", id="no-exp"),
        pytest.param(
            lambda user: f"Bearer {signed({k: v for k, v in claims_for(user).items() if k != 'user_id'})}",
            id="no-user-id",
        ),
    ],
)
def test_every_bad_token_is_an_invalid_token_401(make_header):
    user = UserFactory()
    assert_401(call(authorization=make_header(user)), "InvalidTokenError")


def test_a_deactivated_user_is_refused():
    user = UserFactory()
    token = str(AccessToken.for_user(user))
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert_401(call(authorization=f"Bearer {token}"), "InvalidTokenError")


def test_a_deleted_user_is_refused():
    user = UserFactory()
    token = str(AccessToken.for_user(user))
    user.delete()
    assert_401(call(authorization=f"Bearer {token}"), "InvalidTokenError")


def test_the_access_token_cookie_authenticates():
    user = UserFactory()
    response = call(cookie=str(AccessToken.for_user(user)))
    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(user.pk)


def test_a_bad_access_token_cookie_is_a_401():
    assert_401(call(cookie="garbage"), "InvalidTokenError")


def test_the_header_wins_over_the_cookie():
    user, other = UserFactory(), UserFactory()
    response = call(authorization=f"Bearer {AccessToken.for_user(user)}", cookie=str(AccessToken.for_user(other)))
    assert response.json()["data"]["id"] == str(user.pk)


def test_deactivation_cuts_access_at_the_next_request():
    user = UserFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    assert client.get(ME).status_code == 200

    services.user_deactivate(user=user)

    assert_401(client.get(ME), "InvalidTokenError")
