import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from analytics.tests import expected
from analytics.tests.conftest import make_deal
from conftest import make_client
from organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

SUMMARY = "/api/v1/analytics/deals/summary"
FUNNEL = "/api/v1/analytics/deals/funnel"
# Authentication, membership, then the one aggregate query.
QUERIES = 3


def data(response):
    """The body's `data`, with JSON numbers read as exact decimals."""
    body = json.loads(response.content, parse_float=Decimal)
    assert body["errors"] == []
    return body["data"]


def errors(response):
    body = response.json()
    assert body["data"] == {}
    return [(error["type"], error["field"]) for error in body["errors"]]


def ago(days):
    return (timezone.now() - datetime.timedelta(days=days)).isoformat()


@pytest.mark.parametrize("role", ["owner_member", "admin_member", "manager_member"])
def test_summary_of_the_whole_organization(request, client_for, acme_deals, role):
    response = client_for(request.getfixturevalue(role)).get(SUMMARY)
    assert response.status_code == 200
    assert data(response) == expected.EVERYONE


def test_summary_amounts_are_json_numbers(client_for, owner_member, acme_deals):
    body = client_for(owner_member).get(SUMMARY, {"status_list": "lost"}).json()["data"]
    assert body["total_won_amount"] == 0
    assert body["average_amount"] == 37.55
    assert body["by_currency"][0]["total_amount"] == 75.1


def test_member_sees_only_its_own_deals(client_for, member, acme_deals):
    assert data(client_for(member).get(SUMMARY)) == expected.BOB
    assert data(client_for(member).get(FUNNEL)) == expected.FUNNEL_BOB


def test_member_with_no_deals_sees_zeros(client_for, organization, acme_deals):
    newcomer = MembershipFactory(organization=organization, role="member")
    assert data(client_for(newcomer).get(SUMMARY)) == expected.EMPTY
    assert data(client_for(newcomer).get(FUNNEL)) == expected.FUNNEL_EMPTY


def test_summary_with_one_status(client_for, owner_member, acme_deals):
    assert data(client_for(owner_member).get(SUMMARY, {"status_list": "won"})) == expected.WON_ONLY


def test_summary_with_several_statuses(client_for, owner_member, acme_deals):
    response = client_for(owner_member).get(f"{SUMMARY}?status_list=new&status_list=in_progress")
    assert data(response) == expected.ACTIVE


def test_summary_with_created_after_datetime(client_for, owner_member, acme_deals):
    assert data(client_for(owner_member).get(SUMMARY, {"created_after": ago(4)})) == expected.LAST_4_DAYS
    assert data(client_for(owner_member).get(SUMMARY, {"created_after": ago(50)})) == expected.LAST_50_DAYS


def test_summary_with_created_after_and_statuses(client_for, owner_member, acme_deals):
    query = {"created_after": ago(4), "status_list": ["won", "lost"]}
    assert data(client_for(owner_member).get(SUMMARY, query)) == expected.LAST_4_DAYS_CLOSED


def test_created_after_boundary_over_http(settings, client_for, organization, owner_member):
    settings.TIME_ZONE = "Asia/Tokyo"
    # 2026-02-10 00:00 in Tokyo (UTC+9) is 2026-02-09 15:00 UTC.
    midnight = datetime.datetime(2026, 2, 9, 15, 0, tzinfo=datetime.UTC)
    make_deal(organization, owner_member.user, amount="1.00", at=midnight - datetime.timedelta(microseconds=1))
    make_deal(organization, owner_member.user, amount="2.00", at=midnight)
    client = client_for(owner_member)
    for value in ("2026-02-10", "2026-02-10T00:00:00", "2026-02-09T15:00:00Z", "2026-02-10T00:00:00+09:00"):
        body = data(client.get(SUMMARY, {"created_after": value}))
        assert (body["total_count"], body["by_currency"][0]["total_amount"]) == (1, Decimal("2.00")), value
    assert data(client.get(SUMMARY, {"created_after": "2026-02-09T14:59:59.999999Z"}))["total_count"] == 2


def test_empty_organization(client_for):
    owner = MembershipFactory(organization=OrganizationFactory(), role="owner")
    assert data(client_for(owner).get(SUMMARY)) == expected.EMPTY
    assert data(client_for(owner).get(FUNNEL)) == expected.FUNNEL_EMPTY


def test_funnel(client_for, owner_member, acme_deals):
    assert data(client_for(owner_member).get(FUNNEL)) == expected.FUNNEL_EVERYONE
    assert data(client_for(owner_member).get(FUNNEL, {"status_list": "won"})) == expected.FUNNEL_WON
    response = client_for(owner_member).get(f"{FUNNEL}?status_list=new&status_list=lost")
    assert data(response) == expected.FUNNEL_NEW_LOST


def test_other_organization_sees_only_its_own(client_for, other_owner, acme_deals):
    body = data(client_for(other_owner).get(SUMMARY))
    assert body["total_count"] == 3
    assert [row["currency"] for row in body["by_currency"]] == ["EUR", "GBP", "USD"]
    funnel = data(client_for(other_owner).get(FUNNEL))
    assert [stage["count"] for stage in funnel["stages"]] == [1, 0, 1, 1]


@pytest.mark.parametrize("path", [SUMMARY, FUNNEL])
def test_another_organizations_user_is_not_a_member(organization, other_owner, acme_deals, path):
    # Globex's owner names Acme in the header.
    response = make_client(other_owner.user, organization).get(path)
    assert response.status_code == 403
    assert errors(response) == [("NotAMemberException", None)]


@pytest.mark.parametrize("path", [SUMMARY, FUNNEL])
def test_header_and_token_are_required(client_for, owner_member, api_client, path):
    response = client_for(owner_member, with_header=False).get(path)
    assert response.status_code == 400
    assert errors(response) == [("ValidationError", "X-Organization-Id")]
    response = api_client.get(path, HTTP_X_ORGANIZATION_ID=str(owner_member.organization_id))
    assert response.status_code == 401
    assert errors(response) == [("MissingTokenError", None)]


@pytest.mark.parametrize("path", [SUMMARY, FUNNEL])
@pytest.mark.parametrize(
    "query",
    [
        "status_list=closed",
        "status_list=WON",
        "status_list=",
        "status_list=won&status_list=bogus",
    ],
)
def test_invalid_status_is_a_400_on_status_list(client_for, owner_member, path, query):
    response = client_for(owner_member).get(f"{path}?{query}")
    assert response.status_code == 400
    assert errors(response) == [("ValidationError", "status_list")]


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "",
        "2026-02-30",
        "2026-13-01",
        "26-01-01",
        "20260101",
        "2026-01-01T25:00:00Z",
        # `+01:00` sent unencoded arrives as a space.
        "2026-01-01T10:00:00 01:00",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:59:59-05:00",
    ],
)
def test_invalid_created_after_is_a_400(client_for, owner_member, value):
    response = client_for(owner_member).get(SUMMARY, {"created_after": value})
    assert response.status_code == 400
    assert errors(response) == [("ValidationError", "created_after")]


def test_created_after_may_be_given_once(client_for, owner_member):
    response = client_for(owner_member).get(f"{SUMMARY}?created_after=2026-01-01&created_after=2026-02-01")
    assert response.status_code == 400
    assert errors(response) == [("ValidationError", "created_after")]


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        (SUMMARY, "status=won", "status"),
        (SUMMARY, "owner_id=x", "owner_id"),
        (SUMMARY, "page=1", "page"),
        (FUNNEL, "created_after=2026-01-01", "created_after"),
        (FUNNEL, "stage=closed", "stage"),
    ],
)
def test_unknown_query_parameter_is_a_400(client_for, owner_member, path, query, field):
    response = client_for(owner_member).get(f"{path}?{query}")
    assert response.status_code == 400
    assert errors(response) == [("ValidationError", field)]


def test_member_cannot_widen_its_scope_with_owner_id(client_for, member, owner_member, acme_deals):
    response = client_for(member).get(SUMMARY, {"owner_id": str(owner_member.user_id)})
    assert response.status_code == 400
    assert errors(response) == [("ValidationError", "owner_id")]


def test_trailing_slash_is_served_the_same(client_for, owner_member, acme_deals):
    assert data(client_for(owner_member).get(f"{SUMMARY}/")) == expected.EVERYONE
    assert data(client_for(owner_member).get(f"{FUNNEL}/")) == expected.FUNNEL_EVERYONE


@pytest.mark.parametrize("path", [SUMMARY, FUNNEL])
def test_writes_are_not_allowed(client_for, owner_member, path):
    response = client_for(owner_member).post(path, {})
    assert response.status_code == 405
    assert errors(response) == [("MethodNotAllowed", None)]


@pytest.mark.parametrize("path", [SUMMARY, FUNNEL])
def test_one_aggregate_query_with_one_deal(django_assert_num_queries, client_for, organization, owner_member, path):
    make_deal(organization, owner_member.user, at=timezone.now())
    client = client_for(owner_member)
    with django_assert_num_queries(QUERIES):
        response = client.get(f"{path}?status_list=new&status_list=won")
    assert response.status_code == 200


@pytest.mark.parametrize("path", [SUMMARY, FUNNEL])
@pytest.mark.parametrize("role", ["owner_member", "member"])
def test_one_aggregate_query_with_many_deals(request, django_assert_num_queries, client_for, acme_deals, path, role):
    client = client_for(request.getfixturevalue(role))
    with django_assert_num_queries(QUERIES) as captured:
        response = client.get(f"{path}?status_list=new&status_list=won&status_list=lost")
    assert response.status_code == 200
    aggregate = captured.captured_queries[-1]["sql"]
    assert '"deals_deal"' in aggregate
    assert "COUNT(" in aggregate.upper()


def test_summary_groups_by_currency_in_one_query(django_assert_num_queries, client_for, owner_member, acme_deals):
    client = client_for(owner_member)
    with django_assert_num_queries(QUERIES) as captured:
        client.get(SUMMARY, {"created_after": ago(90)})
    sql = captured.captured_queries[-1]["sql"].upper()
    assert "GROUP BY" in sql
    assert sql.count("SELECT") == 1
