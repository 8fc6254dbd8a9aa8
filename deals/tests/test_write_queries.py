"""Query budget of a comment (issue 5): the request sends what it needs and nothing more."""

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
