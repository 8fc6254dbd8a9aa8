"""Demo and benchmark tenants: deterministic data written in bulk.

One tenant is an organization with a user of every role, contacts, deals across statuses, stages
and currencies, tasks (some overdue) and the timeline a real history leaves behind: the status
and stage changes of each deal, comments and `task_created` entries.

The content is a pure function of the seed and the organization's name (timestamps are relative
to the start of the current day, so two runs on the same day write identical rows). Row ids are
UUIDs made in Python: a prefix drawn from the seed and the organization's id (so they never
collide with another tenant's) and a counter (so they ascend, which keeps index inserts cheap).

Rows are generated deal by deal and written in batches, one transaction per batch, so memory
stays flat whatever the size: through `COPY ... FROM STDIN` on PostgreSQL (psycopg 3) and
`bulk_create` elsewhere. `created_at`/`updated_at` are `auto_now`/`auto_now_add` fields, which
`bulk_create` would overwrite with the current time; the ORM path switches that off while it
writes (see `explicit_timestamps`), the COPY path never goes through the fields.
"""

import itertools
import math
import multiprocessing
import random
import time as clock
import uuid
from array import array
from bisect import bisect
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from contacts.models import Contact
from deals.models import Activity, ActivityType, Deal, DealStage, DealStatus
from organizations.models import Membership, Organization, Role
from tasks.models import Task

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-pass-2026"
DEMO_ORGANIZATION = "Demo Organization"
DEFAULT_SEED = 2026
DEFAULT_DEALS = 200

# The demo owner (DEMO_EMAIL) owns every seeded organization; these users complete the roles.
# Emails are `<local>@<organization slug>.example.com`, all with DEMO_PASSWORD.
TEAM = (
    (Role.ADMIN, "admin", "Ada Admin"),
    (Role.MANAGER, "manager", "Max Manager"),
    (Role.MEMBER, "member", "Mia Member"),
    (Role.MEMBER, "member2", "Milo Member"),
)
# Who owns the contacts (and their deals): owner, admin, manager, member, member2.
OWNER_WEIGHTS = (10, 10, 20, 30, 30)

FIRST_NAMES = [
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Amelia",
    "Oliver",
    "Sophia",
    "Elijah",
    "Isabella",
    "Lucas",
    "Mia",
    "Mateo",
    "Charlotte",
    "Levi",
    "Ava",
    "Hugo",
    "Yuki",
    "Hiro",
    "Aiko",
    "Kenji",
    "Lena",
    "Jonas",
    "Clara",
    "Felix",
    "Marie",
    "Paul",
    "Chloe",
    "Louis",
    "Ines",
    "Diego",
    "Lucia",
    "Pablo",
    "Sofia",
    "Marco",
    "Giulia",
    "Anna",
    "Erik",
    "Astrid",
    "Lars",
    "Freya",
    "Omar",
    "Layla",
    "Ravi",
    "Priya",
    "Arjun",
    "Mei",
    "Wei",
    "Chen",
    "Zoe",
    "Sam",
]
LAST_NAMES = [
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Davies",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Green",
    "Hall",
    "Wood",
    "Clarke",
    "Tanaka",
    "Suzuki",
    "Sato",
    "Watanabe",
    "Muller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Martin",
    "Bernard",
    "Dubois",
    "Moreau",
    "Laurent",
    "Garcia",
    "Fernandez",
    "Lopez",
    "Martinez",
    "Rossi",
    "Russo",
    "Bianchi",
    "Romano",
    "Jensen",
    "Hansen",
    "Larsen",
    "Nilsen",
    "Khan",
    "Ali",
    "Patel",
    "Sharma",
    "Wang",
    "Li",
    "Zhang",
    "Kim",
    "Park",
    "Nguyen",
]
COMPANIES = (
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Initech",
    "Umbrella Logistics",
    "Stark Components",
    "Wayne Freight",
    "Globex Retail",
    "Hooli Cloud",
    "Vandelay Imports",
    "Soylent Foods",
    "Tyrell Robotics",
    "Cyberdyne Systems",
    "Aperture Labs",
    "Oceanic Air",
    "Pied Piper",
    "Massive Dynamic",
    "Blue Sun",
    "Monarch Solutions",
    "Gringotts Finance",
    "Duff Breweries",
    "Sakura Trading",
    "Kaizen Motors",
    "Alpen Energie",
    "Rhein Chemie",
    "Lumiere Studio",
    "Iberia Textiles",
    "Nordic Timber",
    "Thames Analytics",
    "Highland Distillers",
)
PRODUCTS = (
    "Annual licence",
    "Pilot project",
    "Support renewal",
    "Onboarding package",
    "Enterprise plan",
    "Consulting hours",
    "Hardware refresh",
    "Data migration",
    "Training workshop",
    "Expansion seats",
    "Integration build",
    "Security audit",
)
# (code, weight, units per US dollar, whole units only)
CURRENCIES = (
    ("USD", 38, 1.0, False),
    ("EUR", 24, 0.92, False),
    ("GBP", 14, 0.79, False),
    ("JPY", 9, 150.0, True),
    ("CAD", 5, 1.36, False),
    ("AUD", 4, 1.52, False),
    ("CHF", 3, 0.88, False),
    ("SEK", 3, 10.5, False),
)
COMMENTS = (
    "Called the client, they want a revised quote.",
    "Sent the proposal by email.",
    "Meeting booked with their procurement team.",
    "They asked for a discount on the second year.",
    "Legal review of the contract is under way.",
    "Demo went well; the CTO joined the call.",
    "Waiting for budget approval next quarter.",
    "Competitor offered a lower price; we stressed support quality.",
    "Sent references from two similar customers.",
    "Follow-up call scheduled for next week.",
    "Champion left the company; finding a new sponsor.",
    "Security questionnaire returned.",
)
TASK_TITLES = (
    "Call back",
    "Send the proposal",
    "Prepare the demo",
    "Follow up by email",
    "Book a meeting",
    "Update the quote",
    "Check the contract terms",
    "Ask for references",
    "Send the invoice",
    "Schedule onboarding",
)
YEAR_SECONDS = 365 * 24 * 3600

CONTACT_COLUMNS = ("id", "organization_id", "owner_id", "name", "email", "phone", "created_at", "updated_at")
DEAL_COLUMNS = (
    "id",
    "organization_id",
    "contact_id",
    "owner_id",
    "title",
    "amount",
    "currency",
    "status",
    "stage",
    "created_at",
    "updated_at",
)
ACTIVITY_COLUMNS = ("id", "organization_id", "deal_id", "author_id", "type", "payload", "created_at")
TASK_COLUMNS = (
    "id",
    "organization_id",
    "deal_id",
    "title",
    "description",
    "due_date",
    "is_done",
    "created_at",
    "updated_at",
)
PLURALS = {"contact": "contacts", "deal": "deals", "activity": "activities", "task": "tasks"}
TABLES = ((Contact, CONTACT_COLUMNS), (Deal, DEAL_COLUMNS), (Activity, ACTIVITY_COLUMNS), (Task, TASK_COLUMNS))


@dataclass
class SeedOptions:
    seed: int = DEFAULT_SEED
    deals: int = DEFAULT_DEALS
    contacts: int | None = None  # default: one contact for every two deals
    tasks: int | None = None  # default: one task per deal
    batch_size: int = 5000  # deals per transaction (with their tasks and activities)
    use_copy: bool = True  # COPY on PostgreSQL; bulk_create when False or on another database
    skip_reference_triggers: bool = True  # with COPY as a PostgreSQL superuser; references checked after
    reset: bool = False
    jobs: int = 1  # processes writing deals at once (PostgreSQL only)

    def __post_init__(self):
        if self.contacts is None:
            self.contacts = math.ceil(self.deals / 2)
        if self.tasks is None:
            self.tasks = self.deals
        for name in ("deals", "contacts", "tasks"):
            if getattr(self, name) < 0:
                raise ValueError(f"--{name} cannot be negative.")
        if self.batch_size < 1:
            raise ValueError("--batch-size must be at least 1.")
        if self.jobs < 1:
            raise ValueError("--jobs must be at least 1.")
        if self.deals and not self.contacts:
            raise ValueError("Deals need contacts: give --contacts 1 or more.")
        if self.tasks and not self.deals:
            raise ValueError("Tasks need deals: give --deals 1 or more.")


@dataclass
class SeedResult:
    organization: Organization
    logins: list = field(default_factory=list)  # (email, role)
    counts: dict = field(default_factory=dict)
    seeded: bool = False  # False when the organization already held data and was left alone
    seconds: float = 0.0
    writer: str = ""


def organization_names(base, count):
    """`base`, then `base 2`, `base 3`, ... for `--organizations N`."""
    return [base if index == 1 else f"{base} {index}" for index in range(1, count + 1)]


@cache
def demo_password_hash():
    """One hash for every seeded login, made only when a login is created: hashing is slow on
    purpose, and these are demo accounts."""
    return make_password(DEMO_PASSWORD)


def ensure_demo_owner():
    """The demo login: a superuser, so the admin accepts it too. Left as is when it exists."""
    return _ensure_user(DEMO_EMAIL, "Demo Owner", is_staff=True, is_superuser=True)


def _ensure_user(email, name, **flags):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, name=name, password=demo_password_hash(), **flags)
        user.full_clean(exclude=["password"])
        user.save()
    return user


@transaction.atomic
def ensure_organization(name, owner):
    """The organization named `name` that `owner` owns, with one user of every role.

    Returns (organization, [(user, role)] with the owner first). Re-running finds the same
    organization and users: nothing is duplicated.
    """
    organization = (
        Organization.objects.filter(name=name, memberships__user=owner, memberships__role=Role.OWNER)
        .order_by("created_at", "id")
        .first()
    )
    if organization is None:
        organization = Organization.objects.create(name=name)
        Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
    team = [(owner, Role.OWNER)]
    domain = f"{slugify(name) or 'organization'}.example.com"
    for role, local, person in TEAM:
        user = _ensure_user(f"{local}@{domain}", person)
        Membership.objects.get_or_create(organization=organization, user=user, defaults={"role": role})
        team.append((user, role))
    return organization, team


def tenant_counts(organization):
    return {model._meta.model_name: model.objects.for_organization(organization).count() for model, _ in TABLES}


def delete_tenant_data(organization):
    """Deletes the organization's contacts, deals, activities and tasks; keeps it and its members.

    `_raw_delete` sends one DELETE per table: the ORM's cascade collection would load every
    deal of a million-deal tenant into memory. Children go first, so nothing is left dangling.
    """
    with transaction.atomic():
        for model in (Activity, Task, Deal, Contact):
            queryset = model.objects.for_organization(organization)
            queryset._raw_delete(queryset.db)


@contextmanager
def explicit_timestamps(*models):
    """Lets `bulk_create` keep the given `created_at`/`updated_at` instead of the current time."""
    saved = []
    for model in models:
        for model_field in model._meta.concrete_fields:
            if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                saved.append((model_field, model_field.auto_now, model_field.auto_now_add))
                model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in saved:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


class OrmWriter:
    """bulk_create: any database."""

    name = "bulk_create"
    skips_reference_triggers = False

    def batch(self):
        return transaction.atomic()

    def write(self, model, columns, rows):
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        with explicit_timestamps(model):
            model.objects.bulk_create(objects, batch_size=1000)


class CopyWriter:
    """Binary COPY ... FROM STDIN through psycopg 3: no SQL to parse and no text to convert."""

    name = "COPY"
    # PostgreSQL wire types by Django field type; the binary format needs them named.
    TYPES = {
        "UUIDField": "uuid",
        "CharField": "text",
        "EmailField": "text",
        "TextField": "text",
        "DecimalField": "numeric",
        "DateTimeField": "timestamptz",
        "DateField": "date",
        "BooleanField": "bool",
        "JSONField": "jsonb",
    }

    def __init__(self, skip_reference_triggers=False):
        from psycopg.types.json import Jsonb

        self.jsonb = Jsonb
        self.skips_reference_triggers = skip_reference_triggers

    @contextmanager
    def batch(self):
        """One transaction. With `skips_reference_triggers`, the per-row foreign-key triggers are off
        inside it (as `pg_restore --disable-triggers` does): they cost a third of the load, and
        `check_references` proves the same integrity with one anti-join per reference afterwards."""
        with transaction.atomic():
            if self.skips_reference_triggers:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            yield

    def write(self, model, columns, rows):
        fields = [model._meta.get_field(column.removesuffix("_id")) for column in columns]
        types = [self.TYPES[(f.target_field if f.is_relation else f).get_internal_type()] for f in fields]
        json_positions = [index for index, kind in enumerate(types) if kind == "jsonb"]
        quote = connection.ops.quote_name
        sql = "COPY {} ({}) FROM STDIN (FORMAT BINARY)".format(
            quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
        )
        jsonb = self.jsonb
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.set_types(types)
            write_row = copy.write_row
            if not json_positions:
                for row in rows:
                    write_row(row)
                return
            for row in rows:
                row = list(row)
                for index in json_positions:
                    row[index] = jsonb(row[index])
                write_row(row)


def is_superuser():
    """Only a PostgreSQL superuser may switch the foreign-key triggers off."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return cursor.fetchone()[0]


def make_writer(use_copy, skip_reference_triggers=True):
    if use_copy and connection.vendor == "postgresql":
        return CopyWriter(skip_reference_triggers=skip_reference_triggers and is_superuser())
    return OrmWriter()


# Every reference a seeded row holds: (model, foreign key).
REFERENCES = (
    (Contact, "owner"),
    (Contact, "organization"),
    (Deal, "contact"),
    (Deal, "owner"),
    (Deal, "organization"),
    (Task, "deal"),
    (Task, "organization"),
    (Activity, "deal"),
    (Activity, "author"),
    (Activity, "organization"),
)


def check_references(organization):
    """Raises IntegrityError when a row of the tenant points at a row that does not exist."""
    for model, name in REFERENCES:
        target = model._meta.get_field(name).related_model
        dangling = (
            model.objects.for_organization(organization)
            .filter(**{f"{name}_id__isnull": False})
            .filter(~Exists(target.objects.filter(pk=OuterRef(f"{name}_id"))))
        )
        if dangling.exists():
            raise IntegrityError(f"{model._meta.label}.{name} points at a missing {target._meta.label}.")


class Progress:
    """A plain-text progress bar: redrawn in place on a terminal, a line every 10% otherwise."""

    def __init__(self, stream, total, label, width=30):
        self.stream = stream
        self.total = max(total, 1)
        self.label = label
        self.width = width
        self.done = 0
        self.started = clock.monotonic()
        self.tty = bool(stream) and stream.isatty()
        self.next_step = 0.1

    def advance(self, count, what):
        self.done += count
        fraction = min(self.done / self.total, 1.0)
        if not self.stream:
            return
        filled = int(self.width * fraction)
        line = (
            f"  {self.label}: [{'#' * filled}{'-' * (self.width - filled)}] {fraction:4.0%} "
            f"{what} {clock.monotonic() - self.started:6.1f}s"
        )
        if self.tty:
            self.stream.write("\r" + line, ending="")
            self.stream.flush()
        elif fraction >= self.next_step or fraction >= 1.0:
            self.stream.write(line)
            while self.next_step <= fraction:
                self.next_step += 0.1

    def finish(self):
        if self.stream and self.tty:
            self.stream.write("")


STAGES = tuple(DealStage.values)
CURRENCY_CUM = tuple(itertools.accumulate(c[1] for c in CURRENCIES))
OWNER_CUM = tuple(itertools.accumulate(OWNER_WEIGHTS))
COMMENT_COUNTS, COMMENT_CUM = (0, 1, 2, 3), (35, 70, 90, 100)
OPEN_STAGES, OPEN_STAGES_CUM = STAGES[:3], (20, 65, 100)
LOST_STAGES_CUM = (30, 60, 85, 100)
TASK_KINDS = ("overdue", "upcoming", "done", "undated")
TASK_CUM_ACTIVE, TASK_CUM_CLOSED = (30, 70, 90, 100), (5, 10, 90, 100)
DAY = 86400


def _history(status, stage):
    """The status and stage changes that lead from (new, qualification) to (status, stage)."""
    changes = []
    if status != DealStatus.NEW and not (status == DealStatus.LOST and stage == DealStage.QUALIFICATION):
        changes.append((ActivityType.STATUS_CHANGED.value, {"old_status": "new", "new_status": "in_progress"}))
    steps = STAGES[: STAGES.index(stage) + 1]
    for old, new in itertools.pairwise(steps):
        changes.append((ActivityType.STAGE_CHANGED.value, {"old_stage": old, "new_stage": new}))
    if status in (DealStatus.WON, DealStatus.LOST):
        old_status = "in_progress" if changes and changes[0][0] == ActivityType.STATUS_CHANGED else "new"
        changes.append((ActivityType.STATUS_CHANGED.value, {"old_status": old_status, "new_status": str(status)}))
    return tuple(changes)


HISTORY = {(status, stage): _history(status, stage) for status in DealStatus.values for stage in STAGES}


class TenantGenerator:
    """Generates the rows of one tenant, deal by deal, from a seeded random generator.

    Times are whole seconds counted as integers and turned into datetimes once per row: the
    generator runs a million times for the largest tenant.
    """

    def __init__(self, *, organization, team, options, today=None):
        self.organization_id = organization.pk
        self.options = options
        self.name = organization.name
        self.rng = random.Random(f"{options.seed}:{organization.name}")
        self.random = self.rng.random
        # Ids: a random 64-bit prefix per tenant and a counter, so every index on an id column
        # grows at its right edge instead of splitting random pages (a third less work for the
        # database on a large load).
        prefix = random.Random(f"ids:{options.seed}:{organization.pk}").getrandbits(64) << 64
        # The version (4) and variant bits of RFC 9562, set once for every id of the tenant.
        self.id_prefix = prefix & ~(0xF000 << 64) & ~(0xC000 << 48) | (0x4000 << 64) | (0x8000 << 48)
        self.id_counter = itertools.count()
        self.users = [user.pk for user, _ in team]
        self.managers = [user.pk for user, role in team if role != Role.MEMBER]
        self.owner_cum = OWNER_CUM[: len(self.users)]
        self.today = today or timezone.localdate()
        self.today_ordinal = self.today.toordinal()
        self.anchor = int(timezone.make_aware(datetime.combine(self.today, time.min)).timestamp())
        self.contact_ids = []
        self.contact_owner = bytearray()
        self.contact_company = bytearray()
        self.contact_created = array("q")
        self.overdue_written = False

    def new_id(self):
        return CountedUUID(self.id_prefix | next(self.id_counter))

    def moment(self, after, latest=None):
        """A whole second in (after, latest], latest being the start of today by default."""
        span = (latest or self.anchor) - after
        return after + int(self.random() * span) + 1 if span > 1 else after

    def one(self, population):
        return population[int(self.random() * len(population))]

    def below(self, limit):
        return int(self.random() * limit)

    def between(self, low, high):
        return low + int(self.random() * (high - low + 1))

    def pick(self, population, cum_weights):
        """`random.choices` for one item, without its per-call set-up."""
        return population[bisect(cum_weights, self.random() * cum_weights[-1])]

    def day_of(self, moment):
        """The local date of an epoch second before the start of today."""
        return date.fromordinal(self.today_ordinal - (self.anchor - moment - 1) // DAY - 1)

    # Contacts

    def contacts(self, count):
        random_ = self.random
        rows = []
        for _ in range(count):
            first, last = self.one(FIRST_NAMES), self.one(LAST_NAMES)
            company = self.below(len(COMPANIES))
            owner = self.pick(range(len(self.users)), self.owner_cum)
            created = self.anchor - self.between(DAY, YEAR_SECONDS)
            email = None
            if random_() < 0.9:
                email = f"{first}.{last}{self.between(1, 99)}@{COMPANY_DOMAINS[company]}".lower()
            phone = None
            if random_() < 0.8:
                phone = f"+{self.one((1, 44, 49, 33, 81))} {self.between(200, 999)} {self.between(1000000, 9999999)}"
            updated = created if random_() < 0.7 else self.moment(created)
            contact_id = self.new_id()
            self.contact_ids.append(contact_id)
            self.contact_owner.append(owner)
            self.contact_company.append(company)
            self.contact_created.append(created)
            rows.append(
                (
                    contact_id,
                    self.organization_id,
                    self.users[owner],
                    f"{first} {last}",
                    email,
                    phone,
                    _utc(created),
                    _utc(updated),
                )
            )
        return rows

    # Deals and their history

    def amount(self, status):
        rng = self.rng
        code, _, rate, whole = self.pick(CURRENCIES, CURRENCY_CUM)
        if status == NEW and rng.random() < 0.05:
            return ZERO, code
        value = min(max(math.exp(rng.gauss(8.8, 1.1)), 150.0), 2_500_000.0) * rate
        return Decimal(f"{round(value):d}.00" if whole else f"{value:.2f}"), code

    def status_and_stage(self):
        rng = self.rng
        draw = rng.random()
        if draw < 0.25:
            return NEW, QUALIFICATION if rng.random() < 0.85 else PROPOSAL
        if draw < 0.60:
            return IN_PROGRESS, self.pick(OPEN_STAGES, OPEN_STAGES_CUM)
        if draw < 0.85:
            return WON, CLOSED
        return LOST, self.pick(STAGES, LOST_STAGES_CUM)

    def start_chunk(self, chunk):
        """Deals come in chunks of CHUNK, each with its own random stream and id range, so that a
        chunk is the same whichever process writes it and in whatever order."""
        self.rng = random.Random(f"{self.options.seed}:{self.name}:deals:{chunk}")
        self.random = self.rng.random
        self.id_counter = itertools.count((chunk + 1) << 40)
        self.overdue_written = chunk > 0

    def deal_batch(self, start, stop):
        """Deals `start`..`stop-1` with their activities and tasks: (deals, activities, tasks)."""
        random_, new_id = self.random, self.new_id
        total_deals, total_tasks = self.options.deals, self.options.tasks
        managers = self.managers
        deals, activities, tasks = [], [], []
        organization_id = self.organization_id
        for index in range(start, stop):
            contact = self.below(len(self.contact_ids))
            owner = self.users[self.contact_owner[contact]]
            created = self.moment(self.contact_created[contact])
            status, stage = self.status_and_stage()
            amount, currency = self.amount(status)
            if status == WON and not amount:
                amount = HUNDRED
            title = f"{self.one(PRODUCTS)} - {COMPANIES[self.contact_company[contact]]}"
            deal_id = new_id()
            changes = HISTORY[status, stage]
            # The changes happen within three months of the deal's creation, in order.
            horizon = min(self.anchor, created + 90 * DAY)
            times = sorted(self.moment(created, horizon) for _ in changes)
            updated = times[-1] if times else created
            for (kind, payload), when in zip(changes, times, strict=True):
                author = owner if random_() < 0.8 else self.one(managers)
                activities.append((new_id(), organization_id, deal_id, author, kind, payload, _utc(when)))
            for _ in range(self.pick(COMMENT_COUNTS, COMMENT_CUM)):
                author = owner if random_() < 0.75 else self.one(managers)
                payload = {"text": self.one(COMMENTS)}
                activities.append(
                    (new_id(), organization_id, deal_id, author, COMMENT, payload, _utc(self.moment(created)))
                )
            created_at = _utc(created)
            deals.append(
                (
                    deal_id,
                    organization_id,
                    self.contact_ids[contact],
                    owner,
                    title,
                    amount,
                    currency,
                    status,
                    stage,
                    created_at,
                    _utc(updated),
                )
            )
            # Tasks spread evenly over the deals, so the total is exact: floor(T*(i+1)/N) - floor(T*i/N).
            task_count = (total_tasks * (index + 1)) // total_deals - (total_tasks * index) // total_deals
            for _ in range(task_count):
                task = self.task(deal_id, created, status)
                tasks.append(task)
                payload = {"task_id": str(task[0]), "title": task[3]}
                activities.append((new_id(), organization_id, deal_id, owner, TASK_CREATED, payload, task[7]))
        return deals, activities, tasks

    def task(self, deal_id, deal_created, status):
        rng = self.rng
        created = self.moment(deal_created)
        created_day = self.day_of(created)
        yesterday = self.today - timedelta(days=1)
        cum = TASK_CUM_ACTIVE if status in (NEW, IN_PROGRESS) else TASK_CUM_CLOSED
        kind = self.pick(TASK_KINDS, cum)
        if not self.overdue_written:
            kind = "overdue"  # every tenant shows at least one overdue task
        updated = created
        due, done = None, False
        if kind == "overdue":
            due = min(created_day + timedelta(days=self.between(1, 21)), yesterday)
            self.overdue_written = True
        elif kind == "upcoming":
            due = self.today + timedelta(days=self.between(0, 30))
        elif kind == "done":
            due = min(created_day + timedelta(days=self.between(1, 21)), yesterday)
            done = True
            updated = self.moment(created)
        title = self.one(TASK_TITLES)
        description = self.one(COMMENTS) if rng.random() < 0.4 else None
        return (
            self.new_id(),
            self.organization_id,
            deal_id,
            title,
            description,
            due,
            done,
            _utc(created),
            _utc(updated),
        )


class CountedUUID(uuid.UUID):
    """A UUID from a ready 128-bit integer, without the argument checks of `UUID()`: the largest
    tenant makes millions of ids, and these are well-formed by construction."""

    __slots__ = ()

    def __init__(self, value):
        object.__setattr__(self, "int", value)
        object.__setattr__(self, "is_safe", uuid.SafeUUID.unknown)


def _utc(moment):
    return datetime.fromtimestamp(moment, UTC)


NEW, IN_PROGRESS, WON, LOST = (str(status) for status in DealStatus.values)
QUALIFICATION, PROPOSAL, NEGOTIATION, CLOSED = STAGES
COMMENT, TASK_CREATED = ActivityType.COMMENT.value, ActivityType.TASK_CREATED.value
ZERO, HUNDRED = Decimal("0.00"), Decimal("100.00")
COMPANY_DOMAINS = tuple(slugify(company).replace("-", "") + ".com" for company in COMPANIES)


CHUNK = 10_000  # deals per random stream; see TenantGenerator.start_chunk
_FORKED_WORK = None


def write_deal_chunk(generator, writer, chunk):
    """Generates and writes the deals of one chunk with their tasks and activities, one
    transaction per batch. Returns the counts written."""
    generator.start_chunk(chunk)
    first, end = chunk * CHUNK, min((chunk + 1) * CHUNK, generator.options.deals)
    counts = {"deal": 0, "task": 0, "activity": 0}
    for start in range(first, end, generator.options.batch_size):
        deals, activities, tasks = generator.deal_batch(start, min(start + generator.options.batch_size, end))
        with writer.batch():
            writer.write(Deal, DEAL_COLUMNS, deals)
            writer.write(Task, TASK_COLUMNS, tasks)
            writer.write(Activity, ACTIVITY_COLUMNS, activities)
        counts["deal"] += len(deals)
        counts["task"] += len(tasks)
        counts["activity"] += len(activities)
    return counts


def _write_forked_chunk(chunk):
    generator, writer = _FORKED_WORK
    try:
        return write_deal_chunk(generator, writer, chunk)
    finally:
        connections.close_all()


def _add_counts(written, counts, progress):
    for name, count in counts.items():
        written[name] += count
    progress.advance(counts["deal"], f"{written['deal']:,} deals")


def seed_organization(*, name, owner, options, stdout=None, today=None):
    """Creates (or finds) the organization `name` and fills it, unless it already holds data.

    With `options.reset` the tenant's rows are deleted first and generated again.
    """
    started = clock.monotonic()
    organization, team = ensure_organization(name, owner)
    result = SeedResult(organization=organization, logins=[(user.email, role) for user, role in team])
    counts = tenant_counts(organization)
    if any(counts.values()) and not options.reset:
        result.counts = counts
        return result
    if any(counts.values()):
        delete_tenant_data(organization)

    writer = make_writer(options.use_copy, options.skip_reference_triggers)
    generator = TenantGenerator(organization=organization, team=team, options=options, today=today)
    progress = Progress(stdout, options.contacts + options.deals, label=name)
    written = {"contact": 0, "deal": 0, "activity": 0, "task": 0}

    for start in range(0, options.contacts, options.batch_size * 2):
        stop = min(start + options.batch_size * 2, options.contacts)
        rows = generator.contacts(stop - start)
        with writer.batch():
            writer.write(Contact, CONTACT_COLUMNS, rows)
        written["contact"] += len(rows)
        progress.advance(len(rows), f"{written['contact']:,} contacts")

    chunks = range(math.ceil(options.deals / CHUNK))
    jobs = min(options.jobs, len(chunks)) if connection.vendor == "postgresql" else 1
    if jobs > 1:
        # Forked workers, each with its own connection: the generation (Python) and the loading
        # (PostgreSQL) of several chunks run side by side. The organization, its members and the
        # contacts are committed by now, so every worker sees them.
        global _FORKED_WORK
        _FORKED_WORK = (generator, writer)
        connections.close_all()
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for counts in pool.imap_unordered(_write_forked_chunk, chunks):
                    _add_counts(written, counts, progress)
        finally:
            _FORKED_WORK = None
    else:
        for chunk in chunks:
            _add_counts(written, write_deal_chunk(generator, writer, chunk), progress)
    progress.finish()
    if writer.skips_reference_triggers:
        try:
            check_references(organization)
        except IntegrityError:
            delete_tenant_data(organization)
            raise

    if connection.vendor == "postgresql" and options.deals >= 10_000:
        # Fresh statistics, so the planner (and the admin's estimated counts) see the new rows.
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(quote(model._meta.db_table) for model, _ in TABLES))

    result.counts = written
    result.seeded = True
    result.seconds = clock.monotonic() - started
    result.writer = writer.name
    if writer.skips_reference_triggers:
        result.writer += ", foreign-key triggers off, references checked after"
    return result


def seed(*, names, options, stdout=None, today=None):
    """Seeds every organization in `names`; returns their SeedResults."""
    owner = ensure_demo_owner()
    return [seed_organization(name=name, owner=owner, options=options, stdout=stdout, today=today) for name in names]
