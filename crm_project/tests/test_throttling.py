"""Throttles: the auth budget per client address, the general budget per user (429 + Retry-After)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from conftest import make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(auth="1000/min", user="1000/min"):
        settings.REST_FRAMEWORK = {
            **django_settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"auth": auth, "user": user},
        }

    return set_rates


def assert_throttled(response):
    assert response.status_code == 429, response.content
    body = response.json()
    assert body["data"] == {}
    assert [(e["type"], e["field"]) for e in body["errors"]] == [("ThrottledError", None)]
    assert 1 <= int(response["Retry-After"]) <= 60


def test_a_burst_of_failed_logins_is_throttled_then_even_the_right_password_waits(rates):
    rates(auth="3/min")
    user = UserFactory()
    client = APIClient()
    for _ in range(3):
        response = client.post("/api/v1/auth/login", {"email": user.email, "password": "wrong-1"}, format="json")
        assert response.status_code == 401

    assert_throttled(client.post("/api/v1/auth/login", {"email": user.email, "password": "wrong-1"}, format="json"))
    response = client.post("/api/v1/auth/login", {"email": user.email, "password": TEST_PASSWORD}, format="json")
    assert_throttled(response)
    assert "access_token" not in response.cookies

    # Another client address has its own budget.
    other = APIClient(REMOTE_ADDR="10.0.0.2")
    ok = other.post("/api/v1/auth/login", {"email": user.email, "password": TEST_PASSWORD}, format="json")
    assert ok.status_code == 200


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/auth/register", {"email": "x@example.com", "password": "short", "name": "X"}),
        ("/api/v1/auth/token/refresh", {"refresh_token": "garbage"}),
    ],
)
def test_register_and_refresh_share_the_auth_budget(rates, url, body):
    rates(auth="2/min")
    client = APIClient()
    assert client.post(url, body, format="json").status_code in (400, 401)
    assert client.post("/api/v1/auth/login", {"email": "a@example.com", "password": "b"}, format="json").status_code
    assert_throttled(client.post(url, body, format="json"))


def test_the_general_budget_is_per_user(rates):
    rates(user="3/min")
    busy, calm = UserFactory(), UserFactory()
    busy_client = make_client(busy)
    for _ in range(3):
        assert busy_client.get("/api/v1/auth/me").status_code == 200

    assert_throttled(busy_client.get("/api/v1/auth/me"))
    assert_throttled(busy_client.get("/api/v1/organizations/me"))
    assert make_client(calm).get("/api/v1/auth/me").status_code == 200


def test_the_user_budget_follows_the_user_not_the_token(rates):
    rates(user="2/min")
    user = UserFactory()
    assert make_client(user).get("/api/v1/auth/me").status_code == 200
    assert make_client(user).get("/api/v1/auth/me").status_code == 200
    assert_throttled(make_client(user).get("/api/v1/auth/me"))


def test_the_healthcheck_is_never_throttled(rates):
    rates(user="1/min", auth="1/min")
    client = APIClient()
    for _ in range(3):
        assert client.get("/healthcheck").status_code == 200


def read_rates(**env):
    """The throttle rates that the settings compute in a fresh process with `env`."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "crm_project.settings.test", **env}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=Path(django_settings.BASE_DIR),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


def test_rates_come_from_the_environment():
    assert read_rates(DJANGO_THROTTLE_USER="7/min", DJANGO_THROTTLE_AUTH="3/hour") == (
        '{"auth": "3/hour", "user": "7/min"}'
    )
