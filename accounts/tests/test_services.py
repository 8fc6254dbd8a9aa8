"""Auth hardening (issue 6, item 4): login timing, refresh reuse detection, deactivation."""

import contextlib
import threading

import pytest
from django.contrib.auth.hashers import get_hasher
from django.db import connection
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import services
from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from crm_project.errors import InvalidCredentials, InvalidToken, UserAlreadyExists

pytestmark = pytest.mark.django_db


@pytest.fixture
def hasher_calls(monkeypatch):
    """Counts the default hasher's `encode` and `verify` calls."""
    hasher_class = type(get_hasher())
    calls = {"encode": 0, "verify": 0}
    for name in calls:
        original = getattr(hasher_class, name)

        def spy(self, *args, _original=original, _name=name, **kwargs):
            calls[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(hasher_class, name, spy)
    services._dummy_password_hash()  # built once, before counting

    def take():
        taken = dict(calls)
        calls.update(encode=0, verify=0)
        return taken

    return take


def test_login_hashes_the_same_way_for_unknown_email_wrong_password_and_inactive_user(hasher_calls):
    UserFactory(email="known@example.com")
    UserFactory(email="inactive@example.com", is_active=False)
    hasher_calls()

    observed = {}
    for case, email, password in [
        ("unknown", "nobody@example.com", TEST_PASSWORD),
        ("wrong", "known@example.com", "wrong-password-9"),
        ("inactive", "inactive@example.com", TEST_PASSWORD),
        ("right", "known@example.com", TEST_PASSWORD),
    ]:
        with contextlib.suppress(InvalidCredentials):
            services.user_login(email=email, password=password)
        observed[case] = hasher_calls()

    assert observed["unknown"]["verify"] == 1
    assert observed["unknown"] == observed["wrong"] == observed["inactive"] == observed["right"]


def test_login_finds_the_user_case_insensitively():
    user = UserFactory(email="mixed@example.com")
    assert services.user_login(email=" MIXED@Example.com ", password=TEST_PASSWORD) == user


def test_register_refuses_an_email_differing_only_in_case():
    services.user_register(email="x@example.com", password="s3cure-enough", name="X")
    with pytest.raises(UserAlreadyExists):
        services.user_register(email="X@EXAMPLE.COM", password="s3cure-enough", name="X")
    assert User.objects.count() == 1


def test_refresh_rotation_blacklists_the_old_token_and_outstands_the_new_one():
    user = UserFactory()
    first = services.tokens_for_user(user)

    second = services.token_refresh(raw=first["refresh_token"])

    old_jti = RefreshToken(first["refresh_token"], verify=False)["jti"]
    new_jti = RefreshToken(second["refresh_token"])["jti"]
    assert BlacklistedToken.objects.filter(token__jti=old_jti).exists()
    assert OutstandingToken.objects.filter(jti=new_jti, user=user, blacklistedtoken__isnull=True).exists()


def test_reusing_a_rotated_refresh_token_revokes_every_refresh_token_of_the_user():
    user, bystander = UserFactory(), UserFactory()
    stolen = services.tokens_for_user(user)["refresh_token"]
    other_device = services.tokens_for_user(user)["refresh_token"]
    rotated = services.token_refresh(raw=stolen)["refresh_token"]
    bystander_token = services.tokens_for_user(bystander)["refresh_token"]

    with pytest.raises(InvalidToken):
        services.token_refresh(raw=stolen)

    # The whole family is gone: the legitimate rotated token and the other device's token.
    for raw in (rotated, other_device):
        with pytest.raises(InvalidToken):
            services.token_refresh(raw=raw)
    assert not OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).exists()
    # Other users are untouched.
    assert services.token_refresh(raw=bystander_token)["refresh_token"]


def test_reuse_over_the_api_is_a_401_and_revokes_the_family(api_client):
    user = UserFactory()
    first = services.tokens_for_user(user)
    second = api_client.post("/api/v1/auth/token/refresh", {"refresh_token": first["refresh_token"]}, format="json")
    assert second.status_code == 200
    api_client.cookies.clear()

    reuse = api_client.post("/api/v1/auth/token/refresh", {"refresh_token": first["refresh_token"]}, format="json")

    assert reuse.status_code == 401
    assert reuse.json()["errors"][0]["type"] == "InvalidTokenError"
    fresh = second.json()["data"]["refresh_token"]
    after = api_client.post("/api/v1/auth/token/refresh", {"refresh_token": fresh}, format="json")
    assert after.status_code == 401


def test_deactivation_revokes_every_refresh_token():
    user = UserFactory()
    raw = services.tokens_for_user(user)["refresh_token"]

    services.user_deactivate(user=user)

    user.refresh_from_db()
    assert user.is_active is False
    assert not OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).exists()
    with pytest.raises(InvalidToken):
        services.token_refresh(raw=raw)


def test_an_outstanding_row_is_recreated_for_a_valid_token_whose_row_was_flushed():
    user = UserFactory()
    raw = services.tokens_for_user(user)["refresh_token"]
    OutstandingToken.objects.all().delete()

    assert services.token_refresh(raw=raw)["access_token"]
    with pytest.raises(InvalidToken):
        services.token_refresh(raw=raw)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_refreshes_of_one_token_let_exactly_one_through():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    user = UserFactory()
    raw = services.tokens_for_user(user)["refresh_token"]
    results = []
    barrier = threading.Barrier(8)

    def worker():
        barrier.wait()
        try:
            services.token_refresh(raw=raw)
            results.append("ok")
        except InvalidToken:
            results.append("401")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["401"] * 7 + ["ok"]
    # The losers presented a used token: the winner's new token is revoked too.
    assert not OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_of_one_email_create_one_user():
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions")
    barrier = threading.Barrier(6)
    results = []

    def worker(index):
        barrier.wait()
        try:
            email = "SAME@example.COM" if index % 2 else "same@example.com"
            services.user_register(email=email, password="s3cure-enough", name=f"N{index}")
            results.append("created")
        except UserAlreadyExists:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["conflict"] * 5 + ["created"]
    assert User.objects.filter(email="same@example.com").count() == 1
