"""The Django side of the benchmark: bench users and tokens, the endpoints of one tenant, and
the SQL each endpoint sends, captured from Django itself and written as pgbench scripts.

Imported only after `bench.run` has put the bench database and production settings into the
environment.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

django.setup()

from accounts.models import User  # noqa: E402
from organizations.models import Membership, Organization, Role  # noqa: E402

BENCH_EMAIL = "bench-{:03d}@bench.invalid"
WRITE_RE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
INSERT_RE = re.compile(r"^\s*INSERT\b", re.IGNORECASE)
SAVEPOINT_RE = re.compile(r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.IGNORECASE)


@dataclass
class Endpoint:
    name: str
    method: str
    path: str
    body: dict | None = None
    kind: str = "read"  # read, detail, analytics, write, or harness (checks the harness only)
    tenant: bool = True
    sql: list = field(default_factory=list)


def organization_named(name):
    return Organization.objects.filter(name=name).order_by("created_at").first()


def ensure_organization(name):
    return organization_named(name) or Organization.objects.create(name=name)


def ensure_bench_users(organizations, count):
    """`count` owners of every bench organization. They never log in: tokens are minted."""
    users = []
    for number in range(count):
        email = BENCH_EMAIL.format(number)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, name=f"Bench user {number}")
            user.set_unusable_password()
            user.save()
        users.append(user)
    existing = set(
        Membership.objects.filter(user__in=users, organization__in=organizations).values_list(
            "organization_id", "user_id"
        )
    )
    Membership.objects.bulk_create(
        [
            Membership(organization=organization, user=user, role=Role.OWNER)
            for organization in organizations
            for user in users
            if (organization.pk, user.pk) not in existing
        ]
    )
    return users


def access_tokens(users):
    from rest_framework_simplejwt.tokens import AccessToken

    return [str(AccessToken.for_user(user)) for user in users]


def tenant_counts(organization):
    from contacts.models import Contact
    from deals.models import Activity, Deal
    from tasks.models import Task

    models = {"deals": Deal, "contacts": Contact, "tasks": Task, "activities": Activity}
    return {name: model.objects.filter(organization=organization).count() for name, model in models.items()}


def search_term(organization):
    """A word of a real contact's name, so that the search finds rows at every size."""
    from contacts.models import Contact

    name = Contact.objects.filter(organization=organization).order_by("id").values_list("name", flat=True).first()
    if not name:
        return "smith"
    words = [word for word in re.split(r"\W+", name) if len(word) >= 3]
    return (words[-1] if words else name)[:6].lower()


def tenant_endpoints(organization, names=None):
    """The benchmarked endpoints of one tenant, in table order."""
    from deals.models import Deal

    deal_id = Deal.objects.filter(organization=organization).order_by("id").values_list("id", flat=True).first()
    endpoints = [
        Endpoint("deals_list", "GET", "/api/v1/deals?page_size=50"),
        Endpoint(
            "deals_filtered",
            "GET",
            "/api/v1/deals?status=new&status=in_progress&min_amount=1000&order_by=amount&page_size=50",
        ),
        Endpoint("contacts_search", "GET", f"/api/v1/contacts?search={search_term(organization)}&page_size=50"),
        Endpoint("deal_detail", "GET", f"/api/v1/deals/{deal_id}", kind="detail"),
        Endpoint("open_tasks", "GET", "/api/v1/tasks?only_open=true&page_size=50"),
        Endpoint("analytics_summary", "GET", "/api/v1/analytics/deals/summary", kind="analytics"),
        Endpoint("analytics_funnel", "GET", "/api/v1/analytics/deals/funnel", kind="analytics"),
        Endpoint(
            "comment_post",
            "POST",
            f"/api/v1/deals/{deal_id}/activities",
            body={"text": "Called the customer; they want the revised quote by Friday."},
            kind="write",
        ),
        # What the foundation offers, to check the harness itself (`--endpoints me,members`).
        Endpoint("me", "GET", "/api/v1/auth/me", kind="harness", tenant=False),
        Endpoint(
            "members",
            "GET",
            f"/api/v1/organizations/{organization.pk}/members?page_size=50",
            kind="harness",
            tenant=False,
        ),
    ]
    if deal_id is None:
        endpoints = [e for e in endpoints if e.name not in {"deal_detail", "comment_post"}]
    if names:
        return [e for e in endpoints if e.name in names]
    return [e for e in endpoints if e.kind != "harness"]


def _client(clients=[]):  # noqa: B006 (one test client for the whole run)
    if not clients:
        clients.append(Client(HTTP_HOST="127.0.0.1"))
    return clients[0]


def client_request(endpoint, organization, token):
    client = _client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT": "application/json"}
    if endpoint.tenant:
        headers["HTTP_X_ORGANIZATION_ID"] = str(organization.pk)
    if endpoint.method == "GET":
        return client.get(endpoint.path, **headers)
    return client.generic(
        endpoint.method,
        endpoint.path,
        data=json.dumps(endpoint.body or {}),
        content_type="application/json",
        **headers,
    )


def capture(endpoint, organization, token):
    """Sends the request once through Django and keeps every SQL statement it ran.

    A first request warms the connection and caches up, so the capture holds only what a
    request on a warm worker sends. Returns (status, body, statements)."""
    client_request(endpoint, organization, token)
    with CaptureQueriesContext(connection) as queries:
        response = client_request(endpoint, organization, token)
    statements = [query["sql"] for query in queries.captured_queries]
    return response.status_code, response.content, statements


def pgbench_script(statements, response_body):
    """The statements as one pgbench transaction.

    Writes run inside BEGIN/COMMIT as Django's atomic block does (its savepoints are dropped),
    and the id of the row created by the capture becomes `gen_random_uuid()` so every
    transaction inserts a new row."""
    writes = any(WRITE_RE.match(sql) for sql in statements)
    created_id = None
    if writes:
        try:
            created_id = json.loads(response_body)["data"].get("id")
        except (ValueError, KeyError, AttributeError, TypeError):
            created_id = None
    lines = []
    for sql in statements:
        if SAVEPOINT_RE.match(sql):
            continue
        if created_id and INSERT_RE.match(sql):
            # Django sends a UUID as 32 hex digits; either spelling becomes a fresh id. Other
            # statements (the uniqueness check of full_clean) keep the literal: a volatile
            # function there would turn an index lookup into a scan.
            for spelling in {created_id, created_id.replace("-", "")}:
                sql = re.sub(rf"'{re.escape(spelling)}'(::uuid)?", "gen_random_uuid()", sql)
        # One statement per line; pgbench reads `:name` as a variable, `::` casts are left alone.
        lines.append(" ".join(sql.split()) + ";")
    if writes:
        lines = ["BEGIN;", *lines, "COMMIT;"]
    if connection.settings_dict.get("CONN_HEALTH_CHECKS") and connection.settings_dict.get("CONN_MAX_AGE"):
        # Django checks a persistent connection with `SELECT 1` on the raw connection (so no
        # capture sees it) once per request before its first query.
        lines.insert(0, "SELECT 1;")
    return "\n".join(lines) + "\n"


def write_script(path, statements, response_body):
    Path(path).write_text(pgbench_script(statements, response_body))
    return path
