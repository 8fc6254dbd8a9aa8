"""Concurrent PATCHes of one deal are serialized by the deal's row lock (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from contacts.models import Contact
from contacts.tests.factories import ContactFactory
from deals.models import Activity, ActivityType, Deal
from deals.tests.factories import DealFactory

WRITERS = 20
STATUSES = ["in_progress", "won", "lost", "new"]


@pytest.mark.postgres
def test_concurrent_status_changes_leave_a_consistent_activity_chain(transactional_db, owner_member, client_for):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks and real concurrency need PostgreSQL.")
    deal = DealFactory(contact=ContactFactory(organization=owner_member.organization, owner=owner_member.user))
    clients = [client_for(owner_member) for _ in range(WRITERS)]
    barrier = threading.Barrier(WRITERS)
    results = [None] * WRITERS

    def write(index):
        try:
            barrier.wait()
            response = clients[index].patch(f"/api/v1/deals/{deal.pk}", {"status": STATUSES[index % len(STATUSES)]})
            results[index] = response.status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(index,)) for index in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == [200] * WRITERS
    deal.refresh_from_db()
    chain = list(
        Activity.objects.filter(deal=deal, type=ActivityType.STATUS_CHANGED)
        .order_by("created_at", "id")
        .values_list("payload", flat=True)
    )
    assert chain, "no status change was recorded"
    assert len(chain) <= WRITERS
    previous = "new"
    for payload in chain:
        assert payload["old_status"] == previous
        assert payload["new_status"] != payload["old_status"]
        previous = payload["new_status"]
    assert previous == deal.status
    assert Deal.objects.filter(pk=deal.pk, status=previous).exists()


@pytest.mark.postgres
def test_deleting_a_contact_races_safely_with_a_new_deal_on_it(transactional_db, owner_member, client_for):
    """Either the delete wins (the deal is refused with 404) or the deal wins (the delete is a
    409): never an active deal left without its contact."""
    if connection.vendor != "postgresql":
        pytest.skip("Row locks and real concurrency need PostgreSQL.")
    rounds = 10
    contacts = [ContactFactory(organization=owner_member.organization, owner=owner_member.user) for _ in range(rounds)]
    outcomes = []

    for contact in contacts:
        barrier = threading.Barrier(2)
        result = {}

        def delete(contact=contact, barrier=barrier, result=result):
            try:
                barrier.wait()
                result["delete"] = client_for(owner_member).delete(f"/api/v1/contacts/{contact.pk}").status_code
            finally:
                connections.close_all()

        def create(contact=contact, barrier=barrier, result=result):
            try:
                barrier.wait()
                body = {"contact_id": str(contact.pk), "title": "Race", "amount": 1, "currency": "USD"}
                result["create"] = client_for(owner_member).post("/api/v1/deals", body).status_code
            finally:
                connections.close_all()

        threads = [threading.Thread(target=delete), threading.Thread(target=create)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        outcomes.append((result["delete"], result["create"]))

    for (deleted, created), contact in zip(outcomes, contacts, strict=True):
        assert (deleted, created) in {(204, 404), (409, 201)}
        contact_exists = Contact.objects.filter(pk=contact.pk).exists()
        assert contact_exists == (deleted == 409)
    assert not Deal.objects.filter(contact__isnull=True).exists()
