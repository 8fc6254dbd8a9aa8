"""The staff console: the organization page (members, figures, pipeline chart) and the admin
actions to transfer ownership and deactivate users."""

import re
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from accounts.tests.factories import UserFactory
from conftest import make_client
from contacts.tests.factories import ContactFactory
from deals.models import DealStage, DealStatus
from deals.tests.factories import DealFactory
from organizations.models import Membership, Role
from organizations.tests.factories import MembershipFactory
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

ORGANIZATIONS = "/admin/organizations/organization/"
USERS = "/admin/accounts/user/"


@pytest.fixture
def staff():
    return User.objects.create_superuser(email="staff@example.com", password="staff-pass-2026", name="Staff")


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


def change_page(client, organization):
    return client.get(f"{ORGANIZATIONS}{organization.pk}/change/")


def svg_attr(html, element_class, attribute):
    return re.findall(rf'class="{element_class}"[^>]*?{attribute}="([^"]*)"', html)


@pytest.fixture
def pipeline(organization, owner_member, member):
    """Acme: deals at every stage in two currencies, won and lost, and tasks open and done."""
    contact = ContactFactory(organization=organization, owner=owner_member.user)
    ContactFactory(organization=organization, owner=member.user)

    def deal(stage, status, amount, currency):
        return DealFactory(contact=contact, stage=stage, status=status, amount=Decimal(amount), currency=currency)

    deal(DealStage.QUALIFICATION, DealStatus.NEW, "100.00", "USD")
    deal(DealStage.QUALIFICATION, DealStatus.IN_PROGRESS, "200.00", "USD")
    deal(DealStage.PROPOSAL, DealStatus.IN_PROGRESS, "300.00", "USD")
    deal(DealStage.NEGOTIATION, DealStatus.IN_PROGRESS, "400.00", "EUR")
    won_usd = deal(DealStage.CLOSED, DealStatus.WON, "1000.00", "USD")
    deal(DealStage.CLOSED, DealStatus.WON, "250.50", "EUR")
    deal(DealStage.CLOSED, DealStatus.LOST, "500.00", "USD")
    TaskFactory(deal=won_usd, is_done=False)
    TaskFactory(deal=won_usd, is_done=False)
    TaskFactory(deal=won_usd, is_done=True)
    return organization


def test_organization_page_shows_members_figures_and_the_pipeline_chart(
    staff_client, pipeline, owner_member, member, other_owner
):
    DealFactory(contact=ContactFactory(organization=other_owner.organization, owner=other_owner.user))

    response = change_page(staff_client, pipeline)

    assert response.status_code == 200
    html = response.content.decode()
    console = response.context["console"]
    assert (console["member_count"], console["contact_count"], console["deal_count"], console["open_task_count"]) == (
        2,
        2,
        7,
        2,
    )
    assert re.search(r'id="figure-deals">Deals<strong><span>7</span>', html)
    assert re.search(r'id="figure-open-tasks">Open tasks<strong><span>2</span>', html)
    # Members, owner first; another organization's owner is not listed.
    members_table = html[html.index('id="console-members"') :]
    assert members_table.index(owner_member.user.email) < members_table.index(member.user.email)
    assert other_owner.user.email not in html

    # The funnel: an inline SVG with one group per stage, in stage order.
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-funnel-title"' in html
    assert svg_attr(html, "funnel-stage", "data-stage") == ["qualification", "proposal", "negotiation", "closed"]
    assert svg_attr(html, "funnel-stage", "data-count") == ["2", "1", "1", "3"]
    assert svg_attr(html, "funnel-stage", "data-reached") == ["7", "5", "4", "3"]
    # The widest bar is the stage everyone reached.
    widths = [float(width) for width in re.findall(r'class="bar-reached"[^>]*width="([0-9.]+)"', html)]
    assert widths[0] == max(widths) and widths == sorted(widths, reverse=True)
    assert "71.43% to next" in html  # 5 of 7 reached proposal

    # Won and lost per currency, never added together.
    assert svg_attr(html, "currency", "data-currency") == ["EUR", "USD"]
    assert svg_attr(html, "bar-won", "data-amount") == ["250.50", "1000.00"]
    assert svg_attr(html, "bar-lost", "data-amount") == ["0.00", "500.00"]
    # Nothing is loaded from elsewhere: no script, no external URL.
    chart_section = html[html.index('id="staff-console"') : html.index('id="console-members"')]
    assert "<script" not in chart_section and "http://" not in chart_section.replace("http://www.w3.org", "")
    assert "https://" not in chart_section


def test_organization_page_draws_what_the_analytics_selectors_return(staff_client, organization, monkeypatch):
    calls = []

    def fake_funnel(**kwargs):
        calls.append(("funnel", kwargs))
        stages = [("qualification", 5, 10, Decimal("40.00")), ("proposal", 1, 4, Decimal("75.00"))]
        stages += [("negotiation", 0, 3, Decimal("100.00")), ("closed", 3, 3, None)]
        return {
            "stages": [
                {"stage": stage, "count": count, "reached": reached, "conversion_to_next": conversion}
                for stage, count, reached, conversion in stages
            ]
        }

    def fake_summary(**kwargs):
        calls.append(("summary", kwargs))
        amount = Decimal("12.34") if kwargs["status_list"] == ["won"] else Decimal("56.78")
        return {"by_currency": [{"currency": "JPY", "count": 1, "total_amount": amount}]}

    monkeypatch.setattr("analytics.selectors.deal_funnel", fake_funnel)
    monkeypatch.setattr("analytics.selectors.deal_summary", fake_summary)

    html = change_page(staff_client, organization).content.decode()

    assert calls == [
        ("funnel", {"organization": organization}),
        ("summary", {"organization": organization, "status_list": ["won"]}),
        ("summary", {"organization": organization, "status_list": ["lost"]}),
    ]
    assert svg_attr(html, "funnel-stage", "data-reached") == ["10", "4", "3", "3"]
    assert "40.00% to next" in html and "75.00% to next" in html
    assert svg_attr(html, "bar-won", "data-amount") == ["12.34"]
    assert svg_attr(html, "bar-lost", "data-amount") == ["56.78"]


def test_organization_page_without_deals_says_so(staff_client, organization, owner_member):
    html = change_page(staff_client, organization).content.decode()
    assert "No deal yet." in html and "No deal won or lost yet." in html
    assert 'class="funnel-stage"' not in html


def test_organization_page_queries_do_not_grow_with_members_or_deals(staff_client, pipeline):
    change_page(staff_client, pipeline)  # fills the per-process caches (content types, ...)
    with CaptureQueriesContext(connection) as few:
        assert change_page(staff_client, pipeline).status_code == 200
    for _ in range(20):
        MembershipFactory(organization=pipeline)
    contact = ContactFactory(organization=pipeline, owner=Membership.objects.filter(organization=pipeline)[0].user)
    for _ in range(20):
        DealFactory(contact=contact, currency="GBP", status=DealStatus.LOST, stage=DealStage.CLOSED)

    with CaptureQueriesContext(connection) as many:
        response = change_page(staff_client, pipeline)

    assert response.status_code == 200
    assert response.context["console"]["member_count"] == 22
    assert len(many.captured_queries) == len(few.captured_queries)
    console_tables = ("deals_deal", "tasks_task", "contacts_contact", "organizations_membership")
    console_queries = [q for q in many.captured_queries if any(t in q["sql"] for t in console_tables)]
    # members, member count, contacts, deals, open tasks, funnel, won, lost
    assert len(console_queries) == 8


def test_organization_page_lists_at_most_fifty_members_and_links_to_all(staff_client, organization):
    MembershipFactory.create_batch(51, organization=organization)
    response = change_page(staff_client, organization)
    html = response.content.decode()
    assert len(response.context["console"]["members"]) == 50
    assert "Showing 50 of 51 members." in html
    url = f"/admin/organizations/membership/?organization__id__exact={organization.pk}"
    assert f'href="{url}"' in html
    listing = staff_client.get(url)
    assert listing.status_code == 200
    assert listing.context["cl"].queryset.count() == 51


def test_non_staff_user_cannot_open_the_console(organization, member):
    client = Client()
    client.force_login(member.user)
    response = change_page(client, organization)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def post_action(client, url, action, pks, **data):
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], **data})


def roles(organization):
    return {m.user.email: m.role for m in Membership.objects.filter(organization=organization).select_related("user")}


def test_transfer_ownership_shows_an_intermediate_form_of_the_members(
    staff_client, organization, owner_member, admin_member, member, other_owner
):
    response = post_action(staff_client, ORGANIZATIONS, "transfer_ownership", [organization.pk])

    assert response.status_code == 200
    html = response.content.decode()
    assert "Transfer ownership of Acme" in html
    assert owner_member.user.email in html  # named as the current owner
    choices = response.context["form"].fields["new_owner"].queryset
    assert set(choices) == {admin_member, member}
    assert other_owner.user.email not in html
    assert roles(organization)[owner_member.user.email] == Role.OWNER


def test_transfer_ownership_promotes_the_member_and_demotes_previous_owners(
    staff_client, organization, owner_member, admin_member, member
):
    second_owner = MembershipFactory(organization=organization, role=Role.OWNER)

    response = post_action(
        staff_client,
        ORGANIZATIONS,
        "transfer_ownership",
        [organization.pk],
        apply="1",
        new_owner=str(member.pk),
        previous_owners_role=Role.ADMIN,
    )

    assert response.status_code == 302
    assert roles(organization) == {
        member.user.email: Role.OWNER,
        owner_member.user.email: Role.ADMIN,
        second_owner.user.email: Role.ADMIN,
        admin_member.user.email: Role.ADMIN,
    }
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"{member.user.email} now owns Acme."]


def test_transfer_ownership_can_keep_previous_owners(staff_client, organization, owner_member, manager_member):
    post_action(
        staff_client,
        ORGANIZATIONS,
        "transfer_ownership",
        [organization.pk],
        apply="1",
        new_owner=str(manager_member.pk),
        previous_owners_role=Role.OWNER,
    )
    assert roles(organization) == {owner_member.user.email: Role.OWNER, manager_member.user.email: Role.OWNER}


def test_transfer_ownership_rejects_a_member_of_another_organization(
    staff_client, organization, owner_member, member, other_organization
):
    stranger = MembershipFactory(organization=other_organization, role=Role.MEMBER)

    response = post_action(
        staff_client,
        ORGANIZATIONS,
        "transfer_ownership",
        [organization.pk],
        apply="1",
        new_owner=str(stranger.pk),
        previous_owners_role=Role.MEMBER,
    )

    assert response.status_code == 200
    assert "new_owner" in response.context["form"].errors
    assert roles(organization) == {owner_member.user.email: Role.OWNER, member.user.email: Role.MEMBER}
    assert Membership.objects.get(pk=stranger.pk).role == Role.MEMBER


def test_transfer_ownership_needs_exactly_one_organization(
    staff_client, organization, owner_member, member, other_organization, other_owner
):
    response = post_action(
        staff_client,
        ORGANIZATIONS,
        "transfer_ownership",
        [organization.pk, other_organization.pk],
        apply="1",
        new_owner=str(member.pk),
        previous_owners_role=Role.MEMBER,
    )
    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == ["Select exactly one organization to transfer."]
    assert roles(organization) == {owner_member.user.email: Role.OWNER, member.user.email: Role.MEMBER}


def test_membership_admin_refuses_to_demote_the_last_owner(staff_client, organization, owner_member, member):
    url = f"/admin/organizations/membership/{owner_member.pk}/change/"
    data = {"organization": str(organization.pk), "user": str(owner_member.user.pk), "role": Role.ADMIN}

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "last owner" in response.content.decode()
    assert roles(organization)[owner_member.user.email] == Role.OWNER

    MembershipFactory(organization=organization, role=Role.OWNER)
    assert staff_client.post(url, data).status_code == 302
    assert roles(organization)[owner_member.user.email] == Role.ADMIN


def test_deactivate_users_cuts_their_access_and_spares_the_acting_staff(staff, staff_client, organization, member):
    other = UserFactory()
    bystander = UserFactory()
    refresh = RefreshToken.for_user(member.user)
    api = make_client(member.user, organization)
    assert api.get("/api/v1/auth/me").status_code == 200

    response = post_action(staff_client, USERS, "deactivate_users", [member.user.pk, other.pk, staff.pk])

    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Deactivated 2 user(s). Your own account was left active."
    ]
    assert set(User.objects.filter(is_active=False)) == {member.user, other}
    assert User.objects.get(pk=staff.pk).is_active and User.objects.get(pk=bystander.pk).is_active
    # The access token stops working at once, and the refresh token is revoked.
    response = api.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert BlacklistedToken.objects.filter(token__jti=refresh["jti"]).exists()
    assert OutstandingToken.objects.filter(user=member.user, blacklistedtoken__isnull=True).count() == 0
    refreshed = make_client().post("/api/v1/auth/token/refresh", {"refresh_token": str(refresh)}, format="json")
    assert refreshed.status_code == 401
