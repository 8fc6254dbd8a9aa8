import time

from django.core.management.base import BaseCommand, CommandError

from organizations import seeding


class Command(BaseCommand):
    help = (
        "Creates the demo login and fills demo organizations with users of every role, contacts, deals, "
        "tasks and their history. Deterministic for a given --seed. Safe to re-run: the logins and "
        "organizations are found again, and an organization that already holds data is left alone "
        "unless --reset is given. Sizes are per organization; --deals N gives exactly N deals."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organization",
            "--organization-name",
            dest="organization",
            default=seeding.DEMO_ORGANIZATION,
            help='Organization name (default "%(default)s"); with --organizations N, "NAME 2" ... "NAME N" follow.',
        )
        parser.add_argument("--organizations", type=int, default=1, help="How many organizations (default 1).")
        parser.add_argument(
            "--deals", type=int, default=seeding.DEFAULT_DEALS, help="Deals per organization (default %(default)s)."
        )
        parser.add_argument("--contacts", type=int, help="Contacts per organization (default: deals / 2).")
        parser.add_argument("--tasks", type=int, help="Tasks per organization (default: as many as deals).")
        parser.add_argument("--seed", type=int, default=seeding.DEFAULT_SEED, help="Random seed (default %(default)s).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the contacts, deals, tasks and activities of the named organizations and seed them again.",
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="Deals per transaction (default %(default)s).")
        parser.add_argument(
            "--jobs",
            type=int,
            default=4,
            help="Processes writing deals side by side on PostgreSQL, 10,000 deals each at a time "
            "(default %(default)s: on two cores, generation in Python and loading in PostgreSQL overlap). "
            "The data does not depend on it.",
        )
        parser.add_argument(
            "--no-copy",
            action="store_true",
            help="Write with bulk_create even on PostgreSQL (COPY is used there otherwise).",
        )
        parser.add_argument(
            "--keep-reference-triggers",
            action="store_true",
            help=(
                "Check foreign keys row by row while copying. By default a PostgreSQL superuser copies with "
                "the foreign-key triggers off and checks every reference with one query per key afterwards."
            ),
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument("--host", default="http://127.0.0.1:8000", help="Base URL printed in the summary.")

    def handle(self, *args, **options):
        if options["organizations"] < 1:
            raise CommandError("--organizations must be at least 1.")
        try:
            seed_options = seeding.SeedOptions(
                seed=options["seed"],
                deals=options["deals"],
                contacts=options["contacts"],
                tasks=options["tasks"],
                batch_size=options["batch_size"],
                use_copy=not options["no_copy"],
                skip_reference_triggers=not options["keep_reference_triggers"],
                reset=options["reset"],
                jobs=options["jobs"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error

        started = time.monotonic()
        names = seeding.organization_names(options["organization"], options["organizations"])
        stream = None if options["no_progress"] else self.stdout
        results = seeding.seed(names=names, options=seed_options, stdout=stream)
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"Demo data is ready ({elapsed:.1f}s)."))
        self.stdout.write(
            f"  login:          {seeding.DEMO_EMAIL} / {seeding.DEMO_PASSWORD} (staff: the admin accepts it too)"
        )
        for result in results:
            organization = result.organization
            self.stdout.write(f"  organization:   {organization.name} ({organization.pk})")
            counts = ", ".join(f"{count:,} {seeding.PLURALS[name]}" for name, count in result.counts.items())
            if result.seeded:
                rate = result.counts["deal"] / result.seconds if result.seconds else 0
                self.stdout.write(
                    f"    seeded:       {counts} in {result.seconds:.1f}s via {result.writer} ({rate:,.0f} deals/s)"
                )
            else:
                self.stdout.write(f"    kept:         {counts} already there (--reset seeds it again)")
            for email, role in result.logins:
                password = seeding.DEMO_PASSWORD
                self.stdout.write(f"    {role:<8}      {email} / {password}")
        host = options["host"]
        self.stdout.write(f"  API:            {host}/api/v1")
        self.stdout.write(f"  API docs:       {host}/api/docs")
        self.stdout.write(f"  admin:          {host}/admin/")
