from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from organizations.models import Membership, Organization, Role

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-pass-2026"
DEMO_ORGANIZATION = "Demo Organization"


class Command(BaseCommand):
    help = "Creates the demo login and organization when they are absent (safe to re-run)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="http://127.0.0.1:8000")

    @transaction.atomic
    def handle(self, *args, **options):
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            user = User.objects.create_superuser(email=DEMO_EMAIL, password=DEMO_PASSWORD, name="Demo Owner")
        organization = Organization.objects.filter(name=DEMO_ORGANIZATION, memberships__user=user).first()
        if organization is None:
            organization = Organization.objects.create(name=DEMO_ORGANIZATION)
            Membership.objects.create(organization=organization, user=user, role=Role.OWNER)
        host = options["host"]
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"  login:          {DEMO_EMAIL} / {DEMO_PASSWORD} (staff: the admin accepts it too)")
        self.stdout.write(f"  organization:   {organization.name} ({organization.pk})")
        self.stdout.write(f"  API:            {host}/api/v1")
        self.stdout.write(f"  API docs:       {host}/api/docs")
        self.stdout.write(f"  admin:          {host}/admin/")
