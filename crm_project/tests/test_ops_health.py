"""/healthcheck as orchestrators use it: ready only when the database answers and is fully
migrated, and reachable over plain HTTP even though production redirects everything else."""

import importlib
import secrets
import sys

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from crm_project import views

pytestmark = pytest.mark.django_db

UNAVAILABLE = {
    "data": {},
    "meta": {},
    "errors": [{"message": "The database is unavailable.", "type": "ServiceUnavailable", "field": None}],
}
PENDING = {
    "data": {},
    "meta": {},
    "errors": [{"message": "The database has unapplied migrations.", "type": "ServiceUnavailable", "field": None}],
}
READY = {"data": {"status": "ok", "database": "ok", "migrations": "ok"}, "meta": {}, "errors": []}


@pytest.fixture
def fresh_migration_state(monkeypatch):
    monkeypatch.setattr(views, "_migrations_applied", False)


def test_ready_when_the_database_answers_and_is_migrated(api_client, fresh_migration_state):
    response = api_client.get("/healthcheck")
    assert response.status_code == 200
    assert response.json() == READY
    assert response["X-Request-ID"]


def test_503_when_the_database_does_not_answer(api_client, fresh_migration_state, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)

    response = api_client.get("/healthcheck")

    assert response.status_code == 503
    assert response.json() == UNAVAILABLE


def test_503_while_a_migration_is_unapplied_then_ready_and_cached(api_client, fresh_migration_state, monkeypatch):
    real_plan = MigrationExecutor.migration_plan
    calls = []

    def plan_with_one_pending(self, targets, clean_start=False):
        calls.append(targets)
        plan = real_plan(self, targets, clean_start=clean_start)
        assert plan == []  # the test database is migrated
        return [(self.loader.graph.nodes[targets[0]], False)]

    monkeypatch.setattr(MigrationExecutor, "migration_plan", plan_with_one_pending)
    response = api_client.get("/healthcheck")
    assert response.status_code == 503
    assert response.json() == PENDING
    assert len(calls) == 1

    # The migrate job ran: ready, and the migration graph is not read again.
    monkeypatch.setattr(MigrationExecutor, "migration_plan", real_plan)
    assert api_client.get("/healthcheck").json() == READY
    monkeypatch.setattr(MigrationExecutor, "migration_plan", plan_with_one_pending)
    for _ in range(3):
        assert api_client.get("/healthcheck").status_code == 200
    assert len(calls) == 1


def test_healthcheck_is_cheap_once_migrations_are_known_applied(api_client, django_assert_num_queries):
    api_client.get("/healthcheck")
    with django_assert_num_queries(1):  # SELECT 1
        assert api_client.get("/healthcheck").status_code == 200


def test_the_database_is_checked_on_every_call_even_after_migrations_are_cached(api_client, monkeypatch):
    assert api_client.get("/healthcheck").status_code == 200

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    assert api_client.get("/healthcheck").status_code == 503


@pytest.fixture
def production(monkeypatch):
    """The production settings module, loaded with a throwaway environment."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "testserver")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///unused.sqlite3")
    for name in ("DJANGO_SECURE_SSL_REDIRECT", "DJANGO_SECURE_COOKIES"):
        monkeypatch.delenv(name, raising=False)
    sys.modules.pop("crm_project.settings.production", None)
    module = importlib.import_module("crm_project.settings.production")
    yield module
    sys.modules.pop("crm_project.settings.production", None)


def test_production_redirects_plain_http_to_https_except_the_healthcheck(api_client, production):
    with override_settings(
        SECURE_SSL_REDIRECT=production.SECURE_SSL_REDIRECT,
        SECURE_REDIRECT_EXEMPT=production.SECURE_REDIRECT_EXEMPT,
        SECURE_PROXY_SSL_HEADER=production.SECURE_PROXY_SSL_HEADER,
        SECURE_HSTS_SECONDS=production.SECURE_HSTS_SECONDS,
    ):
        health = api_client.get("/healthcheck")
        assert health.status_code == 200
        assert health.json() == READY

        plain = api_client.get("/api/v1/auth/me")
        assert plain.status_code == 301
        assert plain["Location"] == "https://testserver/api/v1/auth/me"
        assert api_client.get("/admin/login/").status_code == 301

        # Behind the TLS proxy: served, with HSTS.
        proxied = api_client.get("/api/v1/auth/me", HTTP_X_FORWARDED_PROTO="https")
        assert proxied.status_code == 401
        assert proxied["Strict-Transport-Security"].startswith("max-age=31536000")
