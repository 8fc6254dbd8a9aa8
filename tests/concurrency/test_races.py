"""Concurrent requests against a real PostgreSQL (issue 6, item 6).

Each thread has its own database connection and its own client; a barrier releases them
together. Rows are committed for real (`transactional_db`), so the database's locks decide.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from accounts.models import User
from contacts.tests.factories import ContactFactory
from deals.models import ACTIVE_STATUSES, Activity, ActivityType, Deal, DealStage, DealStatus
from deals.tests.factories import DealFactory
from organizations.models import Membership, Role
from organizations.tests.factories import MembershipFactory, OrganizationFactory
from tests.isolation.world import bearer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def run_together(calls):
    """Runs the callables at once, one thread each; returns their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait(timeout=30)
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [future.result(timeout=120) for future in [pool.submit(run, call) for call in calls]]


def client_of(user, organization=None):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer(user))
    if organization is not None:
        client.defaults["HTTP_X_ORGANIZATION_ID"] = str(organization.pk)
    return client


def request(user, organization, method, path, body=None):
    def call():
        response = getattr(client_of(user, organization), method)(path, body, format="json")
        return response.status_code, response.json() if response.content else None

    return call


def _chain(activities, kind, initial, final):
    """The payloads of one kind of change, oldest first, must link up from `initial` to `final`."""
    old_key, new_key = f"old_{kind}", f"new_{kind}"
    current = initial
    for activity in activities:
        assert activity.payload[old_key] == current, [a.payload for a in activities]
        assert activity.payload[new_key] != current
        current = activity.payload[new_key]
    assert current == final


def test_parallel_patches_of_one_deal_leave_a_consistent_activity_chain():
    owner = MembershipFactory(role=Role.OWNER)
    deal = DealFactory(contact=ContactFactory(organization=owner.organization, owner=owner.user))
    statuses = [DealStatus.IN_PROGRESS, DealStatus.NEW, DealStatus.LOST, DealStatus.WON]
    stages = list(DealStage)
    calls = [
        request(
            owner.user,
            owner.organization,
            "patch",
            f"/api/v1/deals/{deal.pk}",
            {"status": statuses[i % 4], "stage": stages[(i * 3) % 4], "title": f"Title {i}"},
        )
        for i in range(20)
    ]

    results = run_together(calls)

    assert [status for status, _ in results] == [200] * 20, results
    deal.refresh_from_db()
    assert deal.title in {f"Title {i}" for i in range(20)}
    timeline = list(Activity.objects.filter(deal=deal).order_by("created_at", "id"))
    status_changes = [a for a in timeline if a.type == ActivityType.STATUS_CHANGED]
    stage_changes = [a for a in timeline if a.type == ActivityType.STAGE_CHANGED]
    _chain(status_changes, "status", DealStatus.NEW, deal.status)
    _chain(stage_changes, "stage", DealStage.QUALIFICATION, deal.stage)
    assert {a.author_id for a in status_changes + stage_changes} == {owner.user_id}
    # Each response shows the deal as that PATCH left it: the last one the deal's final state.
    assert {body["data"]["status"] for _, body in results} <= set(DealStatus.values)


def test_deleting_a_contact_while_deals_are_created_never_orphans_an_active_deal():
    owner = MembershipFactory(role=Role.OWNER)
    for _ in range(ROUNDS):
        contact = ContactFactory(organization=owner.organization, owner=owner.user)
        creates = [
            request(
                owner.user,
                owner.organization,
                "post",
                "/api/v1/deals",
                {"contact_id": str(contact.pk), "title": f"Deal {i}", "amount": 5, "currency": "EUR"},
            )
            for i in range(6)
        ]
        delete = request(owner.user, owner.organization, "delete", f"/api/v1/contacts/{contact.pk}")

        results = run_together([*creates[:3], delete, *creates[3:]])

        codes = [status for status, _ in results]
        assert set(codes) <= {201, 204, 404, 409}, results
        orphans = Deal.objects.filter(organization=owner.organization, status__in=ACTIVE_STATUSES, contact__isnull=True)
        assert not orphans.exists(), results
        created = codes.count(201)
        if codes[3] == 204:
            assert not Deal.objects.filter(contact_id=contact.pk).exists()
        else:
            assert codes[3] == 409 and Deal.objects.filter(contact_id=contact.pk).count() == created


def test_parallel_role_changes_never_leave_an_organization_without_an_owner():
    for _ in range(ROUNDS):
        organization = OrganizationFactory()
        first = MembershipFactory(organization=organization, role=Role.OWNER)
        second = MembershipFactory(organization=organization, role=Role.OWNER)
        base = f"/api/v1/organizations/{organization.pk}/members"
        calls = [
            request(first.user, None, "patch", f"{base}/{second.user_id}", {"role": "admin"}),
            request(second.user, None, "patch", f"{base}/{first.user_id}", {"role": "admin"}),
            request(first.user, None, "patch", f"{base}/{first.user_id}", {"role": "member"}),
            request(second.user, None, "delete", f"{base}/{second.user_id}"),
        ]

        results = run_together(calls)

        assert {status for status, _ in results} <= {200, 204, 403, 404, 409}, results
        owners = Membership.objects.filter(organization=organization, role=Role.OWNER)
        assert owners.count() >= 1, results


def test_parallel_registrations_of_one_email_create_one_user():
    spellings = ["race@example.com", "Race@example.com", "RACE@EXAMPLE.COM", " race@example.com"]
    calls = []
    for i in range(8):
        body = {"email": spellings[i % 4], "password": "sturdy-pass-42", "name": f"Racer {i}"}

        def call(body=body):
            from rest_framework.test import APIClient

            response = APIClient().post("/api/v1/auth/register", body, format="json")
            return response.status_code, response.json()

        calls.append(call)

    results = run_together(calls)

    codes = sorted(status for status, _ in results)
    assert codes.count(201) == 1, results
    assert set(codes) <= {201, 409}, results
    conflicts = [body for status, body in results if status == 409]
    assert all(body["errors"][0]["type"] == "UserAlreadyExistsException" for body in conflicts)
    assert User.objects.filter(email__iexact="race@example.com").count() == 1
