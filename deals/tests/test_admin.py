"""The staff admin of contacts, deals, tasks and activities: filters that never load a table,
counts that never scan one, and a fixed number of queries per page whatever the row count."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from contacts.models import Contact
from contacts.tests.factories import ContactFactory
from deals.models import Activity, ActivityType, Deal, DealStage, DealStatus
from deals.tests.factories import ActivityFactory, DealFactory
from organizations import admin_tools
from organizations.admin_tools import EstimatedCountPaginator
from organizations.models import Role
from organizations.tests.factories import MembershipFactory
from tasks.models import Task
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def seller(organization):
    return MembershipFactory(organization=organization, role=Role.MEMBER, user__email="seller@example.com").user


def fill(organization, owner, count, prefix="Row"):
    """`count` contacts, won EUR deals, overdue tasks and comments of `owner` in `organization`."""
    yesterday = timezone.localdate() - timedelta(days=1)
    for index in range(count):
        contact = ContactFactory(organization=organization, owner=owner, name=f"{prefix} contact {index}")
        deal = DealFactory(
            contact=contact,
            title=f"{prefix} deal {index}",
            status=DealStatus.WON,
            stage=DealStage.CLOSED,
            currency="EUR",
            amount=Decimal("10.00"),
        )
        TaskFactory(deal=deal, title=f"{prefix} task {index}", due_date=yesterday)
        ActivityFactory(deal=deal, author=owner, payload={"text": f"{prefix} note {index}"})


# Each changelist with a filter on every dimension it offers and a search.
CHANGELISTS = {
    "contacts_contact": ("organization={org}&owner=seller@example.com&q={prefix}", "{prefix} contact 0"),
    "deals_deal": (
        "organization={org}&owner=seller@example.com&status=won&stage=closed&currency=EUR&q={prefix}",
        "{prefix} deal 0",
    ),
    "tasks_task": (
        "organization={org}&owner=seller@example.com&is_done__exact=0&due=overdue&q={prefix}",
        "{prefix} task 0",
    ),
    "deals_activity": (
        "organization={org}&author=seller@example.com&type__exact=comment&q={prefix}",
        "{prefix} deal 0",
    ),
}


def changelist_url(name, query):
    app, model = name.split("_", 1)
    return reverse(f"admin:{app}_{model}_changelist") + "?" + query


@pytest.mark.parametrize("name", CHANGELISTS)
def test_a_filtered_and_searched_changelist_shows_only_matching_rows(
    name, staff_client, organization, other_organization, seller
):
    fill(organization, seller, 2, prefix="Mine")
    other_owner = MembershipFactory(organization=other_organization).user
    fill(other_organization, other_owner, 2, prefix="Mine")  # same names, other tenant
    query, expected = CHANGELISTS[name]

    response = staff_client.get(changelist_url(name, query.format(org=organization.pk, prefix="Mine")))

    assert response.status_code == 200
    results = list(response.context["cl"].result_list)
    assert len(results) == 2
    assert {row.organization_id for row in results} == {organization.pk}
    assert expected.format(prefix="Mine") in response.content.decode()
    # The organization filter shows the chosen organization by name, without listing the others.
    assert organization.name in response.content.decode()
    assert other_organization.name not in response.content.decode()


@pytest.mark.parametrize("name", CHANGELISTS)
def test_the_query_count_of_a_changelist_does_not_grow_with_rows(
    name, staff_client, organization, seller, django_assert_num_queries
):
    query, _ = CHANGELISTS[name]
    url = changelist_url(name, query.format(org=organization.pk, prefix="Row"))
    fill(organization, seller, 1)
    staff_client.get(url)  # warm the session and content types
    with CaptureQueriesContext(connection) as one_row:
        assert staff_client.get(url).status_code == 200

    fill(organization, seller, 30, prefix="Row more")
    with django_assert_num_queries(len(one_row)):
        response = staff_client.get(url)
    assert len(response.context["cl"].result_list) == 31
    assert not [q for q in one_row.captured_queries if "COUNT(*)" in q["sql"] and "LIMIT" not in q["sql"]]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_the_unfiltered_changelist_renders(name, staff_client, organization, seller):
    fill(organization, seller, 3)
    response = staff_client.get(changelist_url(name, ""))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 3


@pytest.mark.parametrize("name", CHANGELISTS)
def test_a_user_who_is_not_staff_is_sent_to_the_login(name, client, organization, seller):
    client.force_login(UserFactory(is_staff=False))
    url = changelist_url(name, "")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(changelist_url("deals_deal", ""))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "name, query",
    [
        ("deals_deal", "currency=XYZ"),
        ("tasks_task", "deal=not-a-uuid"),
        ("deals_deal", "owner=nobody@example.com"),
    ],
)
def test_a_filter_value_that_names_nothing_is_refused(name, query, staff_client, organization, seller):
    fill(organization, seller, 1)
    response = staff_client.get(changelist_url(name, query))
    # The admin's answer to IncorrectLookupParameters: back to the list with ?e=1.
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_currency_filter_offers_common_codes_and_accepts_any_iso_code(staff_client, organization, seller):
    contact = ContactFactory(organization=organization, owner=seller)
    DealFactory(contact=contact, currency="NOK", title="Kroner deal")
    DealFactory(contact=contact, currency="USD", title="Dollar deal")

    response = staff_client.get(changelist_url("deals_deal", "currency=nok"))

    assert [d.title for d in response.context["cl"].result_list] == ["Kroner deal"]
    body = response.content.decode()
    assert "?currency=JPY" in body and "?currency=NOK" in body


def test_the_deal_filter_lists_one_deals_tasks(staff_client, organization, seller):
    fill(organization, seller, 2)
    deal = Deal.objects.get(title="Row deal 1")
    response = staff_client.get(changelist_url("tasks_task", f"deal={deal.pk}"))
    assert [t.title for t in response.context["cl"].result_list] == ["Row task 1"]


def test_the_paginator_counts_at_most_its_cap(organization, seller, monkeypatch):
    fill(organization, seller, 8)
    monkeypatch.setattr(EstimatedCountPaginator, "cap", 5)

    filtered = EstimatedCountPaginator(Deal.objects.filter(organization=organization).order_by("-created_at"), 2)
    assert filtered.count == 5
    assert filtered.num_pages == 3
    small = EstimatedCountPaginator(Deal.objects.filter(title="Row deal 1").order_by("pk"), 2)
    assert small.count == 1


def test_an_unfiltered_big_table_is_counted_from_the_estimate(organization, seller, monkeypatch):
    fill(organization, seller, 2)
    monkeypatch.setattr(admin_tools, "estimated_row_count", lambda model, using: 2_000_000)

    with CaptureQueriesContext(connection) as queries:
        paginator = EstimatedCountPaginator(Deal.objects.order_by("-created_at"), 50)
        assert paginator.count == 2_000_000
    assert not [q for q in queries.captured_queries if "COUNT" in q["sql"].upper()]
    # A filtered list never trusts the table-wide estimate.
    assert EstimatedCountPaginator(Deal.objects.filter(organization=organization).order_by("pk"), 50).count == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class statistics")
def test_the_estimate_comes_from_pg_class(organization, seller):
    fill(organization, seller, 3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE deals_deal")
    assert admin_tools.estimated_row_count(Deal, "default") == 3


def test_the_deal_page_shows_a_bounded_number_of_inline_rows(
    staff_client, organization, seller, django_assert_num_queries
):
    contact = ContactFactory(organization=organization, owner=seller)
    deal = DealFactory(contact=contact)
    url = reverse("admin:deals_deal_change", args=[deal.pk])

    TaskFactory.create_batch(21, deal=deal)
    ActivityFactory.create_batch(21, deal=deal)
    staff_client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = staff_client.get(url)
    assert response.status_code == 200
    assert [len(inline.formset.forms) for inline in response.context["inline_admin_formsets"]] == [20, 20]

    TaskFactory.create_batch(40, deal=deal)
    ActivityFactory.create_batch(40, deal=deal)
    with django_assert_num_queries(len(few)):
        response = staff_client.get(url)
    assert [len(inline.formset.forms) for inline in response.context["inline_admin_formsets"]] == [20, 20]
    body = response.content.decode()
    assert f"?deal={deal.pk}" in body  # links to every task and the whole timeline


def deal_form(deal, **changes):
    data = {
        "title": deal.title,
        "contact": deal.contact_id,
        "owner": deal.owner_id,
        "amount": str(deal.amount),
        "currency": deal.currency,
        "status": deal.status,
        "stage": deal.stage,
        "tasks-TOTAL_FORMS": "0",
        "tasks-INITIAL_FORMS": "0",
        "activities-TOTAL_FORMS": "0",
        "activities-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_a_status_and_stage_change_in_the_admin_writes_the_timeline(staff_client, staff, organization, seller):
    deal = DealFactory(contact=ContactFactory(organization=organization, owner=seller))
    url = reverse("admin:deals_deal_change", args=[deal.pk])

    response = staff_client.post(url, deal_form(deal, status="in_progress", stage="proposal"))

    assert response.status_code == 302, response.context["adminform"].errors if response.context else ""
    deal.refresh_from_db()
    assert (deal.status, deal.stage) == ("in_progress", "proposal")
    entries = {a.type: (a.payload, a.author_id, a.organization_id) for a in Activity.objects.filter(deal=deal)}
    assert entries == {
        ActivityType.STATUS_CHANGED: ({"old_status": "new", "new_status": "in_progress"}, staff.pk, organization.pk),
        ActivityType.STAGE_CHANGED: (
            {"old_stage": "qualification", "new_stage": "proposal"},
            staff.pk,
            organization.pk,
        ),
    }


def test_the_admin_keeps_a_deal_inside_its_organization(staff_client, organization, other_organization, seller):
    deal = DealFactory(contact=ContactFactory(organization=organization, owner=seller))
    foreign = ContactFactory(organization=other_organization)
    outsider = UserFactory()
    url = reverse("admin:deals_deal_change", args=[deal.pk])

    response = staff_client.post(url, deal_form(deal, contact=foreign.pk, owner=outsider.pk))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"contact", "owner"}

    response = staff_client.post(url, deal_form(deal, status="won", amount="0"))
    assert "amount" in response.context["adminform"].form.errors
    deal.refresh_from_db()
    assert deal.contact.organization_id == organization.pk and deal.status == "new"
    assert not Activity.objects.filter(deal=deal).exists()


def test_adding_a_contact_names_its_organization_and_a_member_owner(
    staff_client, organization, other_organization, seller
):
    url = reverse("admin:contacts_contact_add")
    outsider = MembershipFactory(organization=other_organization).user

    response = staff_client.post(url, {"tenant": organization.pk, "owner": outsider.pk, "name": "Refused"})
    assert response.status_code == 200
    assert "owner" in response.context["adminform"].form.errors

    response = staff_client.post(url, {"tenant": organization.pk, "owner": seller.pk, "name": "Accepted"})
    assert response.status_code == 302
    contact = Contact.objects.get(name="Accepted")
    assert (contact.organization_id, contact.owner_id) == (organization.pk, seller.pk)


def test_adding_a_task_takes_the_deals_organization_and_writes_task_created(staff_client, staff, organization, seller):
    deal = DealFactory(contact=ContactFactory(organization=organization, owner=seller))

    response = staff_client.post(
        reverse("admin:tasks_task_add"), {"deal": deal.pk, "title": "Call them", "is_done": ""}
    )

    assert response.status_code == 302
    task = Task.objects.get(title="Call them")
    assert task.organization_id == organization.pk
    entry = Activity.objects.get(deal=deal, type=ActivityType.TASK_CREATED)
    assert entry.payload == {"task_id": str(task.pk), "title": "Call them"}
    assert (entry.author_id, entry.organization_id) == (staff.pk, organization.pk)


def test_the_add_and_change_forms_render(staff_client, organization, seller):
    fill(organization, seller, 1)
    rows = {
        "contacts_contact": Contact.objects.get(),
        "deals_deal": Deal.objects.get(),
        "tasks_task": Task.objects.get(),
        "deals_activity": Activity.objects.get(),
    }
    for name, row in rows.items():
        app, model = name.split("_", 1)
        assert staff_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200
        response = staff_client.get(reverse(f"admin:{app}_{model}_change", args=[row.pk]))
        assert response.status_code == 200
        assert organization.name in response.content.decode()


def test_autocomplete_answers_for_the_organization_chooser(staff_client, organization):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"term": organization.name[:3], "app_label": "contacts", "model_name": "contact", "field_name": "organization"},
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [organization.name]
