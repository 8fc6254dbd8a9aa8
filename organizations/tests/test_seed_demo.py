from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.utils import timezone

from accounts.models import User
from contacts.models import Contact
from deals.models import STAGE_ORDER, Activity, ActivityType, Deal, DealStage, DealStatus
from organizations import seeding
from organizations.models import Membership, Organization, Role
from tasks.models import Task

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 14)


def run(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot(organization):
    """Everything a tenant holds, without ids (they depend on the organization's own id)."""
    deals = Deal.objects.for_organization(organization).select_related("contact", "owner")
    deal_key = {deal.pk: (deal.title, deal.created_at) for deal in deals}
    return {
        "contacts": sorted(
            (c.name, c.email, c.phone, c.owner.email, c.created_at, c.updated_at)
            for c in Contact.objects.for_organization(organization).select_related("owner")
        ),
        "deals": sorted(
            (
                d.title,
                d.amount,
                d.currency,
                d.status,
                d.stage,
                d.owner.email,
                d.contact.name,
                d.created_at,
                d.updated_at,
            )
            for d in deals
        ),
        "tasks": sorted(
            (deal_key[t.deal_id], t.title, t.description, t.due_date, t.is_done, t.created_at, t.updated_at)
            for t in Task.objects.for_organization(organization)
        ),
        "activities": sorted(
            (
                deal_key[a.deal_id],
                a.type,
                a.author.email,
                a.created_at,
                # task ids differ between runs; the title identifies the entry
                {k: v for k, v in a.payload.items() if k != "task_id"},
            )
            for a in Activity.objects.for_organization(organization).select_related("author")
        ),
    }


def seed_one(name="Seeded", today=TODAY, **options):
    options = {"deals": 40, "contacts": 15, "tasks": 30, "seed": 7, **options}
    (result,) = seeding.seed(names=[name], options=seeding.SeedOptions(**options), today=today)
    return result


@pytest.mark.parametrize("use_copy", [True, False], ids=["copy-on-postgresql", "bulk-create"])
def test_same_seed_gives_the_same_data(use_copy):
    first = seed_one(use_copy=use_copy)
    before = snapshot(first.organization)
    again = seed_one(use_copy=use_copy, reset=True)

    assert again.organization == first.organization
    assert again.seeded
    assert snapshot(first.organization) == before
    assert len(before["deals"]) == 40


def test_both_writers_write_the_same_rows():
    copy = snapshot(seed_one(name="Same", use_copy=True).organization)
    orm = snapshot(seed_one(name="Same", use_copy=False, reset=True).organization)
    assert copy == orm


def test_another_seed_gives_other_data():
    first = snapshot(seed_one(seed=1).organization)
    second = snapshot(seed_one(seed=2, reset=True).organization)
    assert first["deals"] != second["deals"]


def test_sizes_are_exact_and_every_row_carries_its_organization():
    result = seed_one(deals=37, contacts=11, tasks=23)
    organization = result.organization

    assert Contact.objects.for_organization(organization).count() == 11
    assert Deal.objects.for_organization(organization).count() == 37
    assert Task.objects.for_organization(organization).count() == 23
    assert result.counts == {
        "contact": 11,
        "deal": 37,
        "task": 23,
        "activity": Activity.objects.for_organization(organization).count(),
    }
    # Children carry their parent's organization; owners and authors are its members.
    assert not Deal.objects.filter(contact__organization=organization).exclude(organization=organization).exists()
    assert not Deal.objects.for_organization(organization).exclude(contact__organization=organization).exists()
    assert not Task.objects.filter(deal__organization=organization).exclude(organization=organization).exists()
    assert not Activity.objects.filter(deal__organization=organization).exclude(organization=organization).exists()
    members = set(Membership.objects.filter(organization=organization).values_list("user_id", flat=True))
    assert set(Contact.objects.for_organization(organization).values_list("owner_id", flat=True)) <= members
    assert set(Deal.objects.for_organization(organization).values_list("owner_id", flat=True)) <= members
    assert set(Activity.objects.for_organization(organization).values_list("author_id", flat=True)) <= members
    # Deals are owned by their contact's owner, so a member can reach its own deals' contacts.
    assert all(
        d.owner_id == d.contact.owner_id for d in Deal.objects.for_organization(organization).select_related("contact")
    )


def test_every_role_has_a_login_and_the_demo_owner_owns_the_organization():
    result = seed_one()
    roles = dict(Membership.objects.filter(organization=result.organization).values_list("user__email", "role"))

    assert set(roles.values()) == {Role.OWNER, Role.ADMIN, Role.MANAGER, Role.MEMBER}
    assert roles[seeding.DEMO_EMAIL] == Role.OWNER
    assert {email for email, _ in result.logins} == set(roles)
    for email in roles:
        assert User.objects.get(email=email).check_password(seeding.DEMO_PASSWORD)
    assert User.objects.get(email=seeding.DEMO_EMAIL).is_superuser


def test_deals_span_statuses_stages_currencies_with_exact_amounts():
    organization = seed_one(deals=120, contacts=40, tasks=60).organization
    deals = list(Deal.objects.for_organization(organization))

    assert {d.status for d in deals} == set(DealStatus.values)
    assert {d.stage for d in deals} == set(DealStage.values)
    assert {"USD", "EUR", "GBP", "JPY"} <= {d.currency for d in deals}
    for deal in deals:
        assert isinstance(deal.amount, Decimal)
        assert deal.amount.as_tuple().exponent == -2
        assert deal.amount >= 0
        if deal.status == DealStatus.WON:
            assert deal.amount > 0 and deal.stage == DealStage.CLOSED
        if deal.currency == "JPY":
            assert deal.amount == deal.amount.to_integral_value()


def test_timestamps_are_spread_over_the_past_year_not_the_time_of_seeding():
    organization = seed_one(today=timezone.localdate()).organization
    deals = Deal.objects.for_organization(organization)
    start_of_today = timezone.make_aware(timezone.datetime.combine(timezone.localdate(), timezone.datetime.min.time()))

    created = sorted(d.created_at for d in deals)
    assert created[0] < start_of_today - timedelta(days=60)
    assert created[-1] <= start_of_today
    assert start_of_today - created[0] <= timedelta(days=366)
    assert all(d.updated_at >= d.created_at for d in deals)
    assert all(d.created_at >= d.contact.created_at for d in deals.select_related("contact"))


def test_the_history_of_each_deal_leads_to_its_status_and_stage():
    organization = seed_one(deals=60, contacts=20, tasks=40).organization
    for deal in Deal.objects.for_organization(organization).prefetch_related("activities"):
        timeline = sorted(deal.activities.all(), key=lambda a: a.created_at)
        stages = [a.payload for a in timeline if a.type == ActivityType.STAGE_CHANGED]
        statuses = [a.payload for a in timeline if a.type == ActivityType.STATUS_CHANGED]
        assert len(stages) == STAGE_ORDER[deal.stage]
        assert all(STAGE_ORDER[s["new_stage"]] == STAGE_ORDER[s["old_stage"]] + 1 for s in stages)
        if stages:
            assert stages[-1]["new_stage"] == deal.stage
        if deal.status == DealStatus.NEW:
            assert statuses == []
        else:
            assert statuses[-1]["new_status"] == deal.status
            assert statuses[0]["old_status"] == "new"
        if statuses or stages:
            last_change = max(
                a.created_at for a in timeline if a.type != ActivityType.COMMENT and a.type != "task_created"
            )
            assert deal.updated_at == last_change

    comments = Activity.objects.for_organization(organization).filter(type=ActivityType.COMMENT)
    assert comments.exists()
    assert all(a.payload["text"] for a in comments)
    tasks = {str(t.pk): t.title for t in Task.objects.for_organization(organization)}
    created = Activity.objects.for_organization(organization).filter(type=ActivityType.TASK_CREATED)
    assert {a.payload["task_id"]: a.payload["title"] for a in created} == tasks


def test_overdue_open_and_done_tasks_are_present():
    organization = seed_one(today=timezone.localdate()).organization
    tasks = Task.objects.for_organization(organization)
    today = timezone.localdate()

    assert tasks.filter(is_done=False, due_date__lt=today).exists()
    assert tasks.filter(is_done=False, due_date__gte=today).exists()
    assert tasks.filter(is_done=True).exists()
    assert all(t.due_date is None or t.due_date >= t.created_at.date() for t in tasks)


def test_a_single_overdue_task_even_in_a_tiny_tenant():
    organization = seed_one(deals=1, contacts=1, tasks=1, today=timezone.localdate()).organization
    task = Task.objects.for_organization(organization).get()
    assert not task.is_done and task.due_date < timezone.localdate()


def test_the_command_prints_every_login_and_the_urls():
    out = run("--deals", "10", "--organization", "Printed Co")

    organization = Organization.objects.get(name="Printed Co")
    assert f"organization:   Printed Co ({organization.pk})" in out
    for email in Membership.objects.filter(organization=organization).values_list("user__email", flat=True):
        assert f"{email} / {seeding.DEMO_PASSWORD}" in out
    assert "http://127.0.0.1:8000/api/v1" in out
    assert "http://127.0.0.1:8000/admin/" in out
    assert "100%" in out  # the progress bar reached its end
    assert Deal.objects.for_organization(organization).count() == 10


def test_rerunning_duplicates_nothing_and_keeps_the_data():
    run("--deals", "12", "--seed", "3")
    counts = seeding.tenant_counts(Organization.objects.get(name=seeding.DEMO_ORGANIZATION))
    users = User.objects.count()

    out = run("--deals", "12", "--seed", "3")

    assert Organization.objects.filter(name=seeding.DEMO_ORGANIZATION).count() == 1
    assert User.objects.count() == users
    assert User.objects.filter(email=seeding.DEMO_EMAIL).count() == 1
    organization = Organization.objects.get(name=seeding.DEMO_ORGANIZATION)
    assert seeding.tenant_counts(organization) == counts
    assert "already there" in out


def test_reset_replaces_the_data_of_the_named_organization_only():
    run("--deals", "8", "--organization", "Keep")
    run("--deals", "8", "--organization", "Rebuild")
    keep = Organization.objects.get(name="Keep")
    kept = snapshot(keep)

    run("--deals", "5", "--organization", "Rebuild", "--reset")

    assert Deal.objects.for_organization(Organization.objects.get(name="Rebuild")).count() == 5
    assert snapshot(keep) == kept
    assert Organization.objects.filter(name="Rebuild").count() == 1


def test_several_organizations_share_the_demo_owner():
    run("--organizations", "3", "--organization", "Tenant", "--deals", "4", "--no-progress")

    names = ["Tenant", "Tenant 2", "Tenant 3"]
    demo = User.objects.get(email=seeding.DEMO_EMAIL)
    for name in names:
        organization = Organization.objects.get(name=name)
        assert Membership.objects.get(organization=organization, user=demo).role == Role.OWNER
        assert Deal.objects.for_organization(organization).count() == 4
        assert Membership.objects.filter(organization=organization).count() == 5


def test_the_default_run_is_the_demo_organization_with_the_demo_login():
    run()
    organization = Organization.objects.get(name=seeding.DEMO_ORGANIZATION)
    assert Deal.objects.for_organization(organization).count() == seeding.DEFAULT_DEALS
    assert Task.objects.for_organization(organization).count() == seeding.DEFAULT_DEALS
    assert Contact.objects.for_organization(organization).count() == seeding.DEFAULT_DEALS // 2


@pytest.mark.parametrize(
    "args",
    [
        ["--deals", "-1"],
        ["--deals", "5", "--contacts", "0"],
        ["--deals", "0", "--tasks", "3"],
        ["--organizations", "0"],
        ["--batch-size", "0"],
    ],
)
def test_impossible_sizes_are_refused(args):
    with pytest.raises(CommandError):
        run(*args)
    assert not Deal.objects.exists()


def test_small_batches_give_the_same_data_as_one_batch():
    one = snapshot(seed_one(batch_size=1000).organization)
    many = snapshot(seed_one(batch_size=3, reset=True).organization)
    assert one == many


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is the PostgreSQL path")
def test_copy_is_the_writer_on_postgresql():
    assert seed_one().writer.startswith("COPY")
    assert seed_one(name="Checked", skip_reference_triggers=False).writer == "COPY"
    assert seed_one(name="Other", use_copy=False).writer == "bulk_create"


@pytest.mark.parametrize("skip", [True, False], ids=["triggers-off", "triggers-on"])
def test_references_hold_whichever_way_the_rows_were_written(skip):
    organization = seed_one(skip_reference_triggers=skip).organization
    seeding.check_references(organization)  # raises on a dangling reference


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers")
def test_a_dangling_reference_is_caught_after_a_load_without_triggers():
    if not seeding.is_superuser():
        pytest.skip("switching triggers off needs a superuser")
    organization = seed_one(deals=2, contacts=1, tasks=0).organization
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "INSERT INTO deals_activity (id, organization_id, deal_id, type, payload, created_at) "
            "VALUES (gen_random_uuid(), %s, gen_random_uuid(), 'system', '{}', now())",
            [organization.pk],
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    with pytest.raises(IntegrityError, match=r"deals\.Activity\.deal"):
        seeding.check_references(organization)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="forked writers are the PostgreSQL path")
@pytest.mark.django_db(transaction=True)
def test_forked_writers_write_the_same_rows_as_one_process(monkeypatch):
    monkeypatch.setattr(seeding, "CHUNK", 5)  # 17 deals: four chunks, so the workers share them
    alone = seed_one(deals=17, contacts=6, tasks=11, jobs=1)
    before = snapshot(alone.organization)

    forked = seed_one(deals=17, contacts=6, tasks=11, jobs=3, reset=True)

    assert forked.counts["deal"] == 17
    assert snapshot(forked.organization) == before
    seeding.check_references(forked.organization)
