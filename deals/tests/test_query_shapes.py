"""Query shapes that matter at a million rows (issue 5): no query a request does not need."""

import pytest

from contacts.tests.factories import ContactFactory
from deals.models import Activity, ActivityType
from deals.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


def test_a_comment_costs_user_membership_deal_and_the_insert(client_for, member, django_assert_num_queries):
    deal = DealFactory(contact=ContactFactory(organization=member.organization, owner=member.user))
    client = client_for(member)

    # user, membership, deal, INSERT: no uniqueness probe for the fresh primary key
    with django_assert_num_queries(4) as captured:
        response = client.post(f"/api/v1/deals/{deal.pk}/activities", {"text": "Sent the quote."}, format="json")

    assert response.status_code == 201
    assert not any('SELECT 1 AS "a"' in query["sql"] for query in captured.captured_queries)
    activity = Activity.objects.get(pk=response.json()["data"]["id"])
    assert (activity.deal_id, activity.author_id, activity.type) == (deal.pk, member.user_id, ActivityType.COMMENT)
    assert activity.payload == {"text": "Sent the quote."}
    assert activity.organization_id == member.organization_id


def test_a_status_filter_counts_and_pages_without_distinct(client_for, owner_member, django_assert_num_queries):
    contact = ContactFactory(organization=owner_member.organization, owner=owner_member.user)
    wanted = [DealFactory(contact=contact, status=status) for status in ("new", "in_progress", "won")][:2]
    client = client_for(owner_member)

    # user, membership, count, page
    with django_assert_num_queries(4) as captured:
        response = client.get("/api/v1/deals", {"status": ["new", "in_progress"], "order_by": "amount"})

    assert response.status_code == 200
    body = response.json()["data"]
    assert body["pagination"]["total"] == 2
    assert {item["id"] for item in body["items"]} == {str(deal.pk) for deal in wanted}
    assert not any("DISTINCT" in query["sql"].upper() for query in captured.captured_queries)
