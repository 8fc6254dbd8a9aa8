"""Data for the browser test, written through the models into the database the server uses.

Run with the server's environment: `python tests/browser/seed.py`. Prints a JSON object with
the staff login and the organization's id. Every run makes a new organization, so it can be
re-run on a database that already has data.
"""

import json
import os
import secrets
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm_project.settings.production")

import django

django.setup()

from django.db import transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from contacts.models import Contact  # noqa: E402
from deals.models import Deal, DealStage, DealStatus  # noqa: E402
from organizations.models import Membership, Organization, Role  # noqa: E402
from tasks.models import Task  # noqa: E402

# (title, stage, status, amount, currency)
DEALS = [
    ("Fleet renewal", DealStage.QUALIFICATION, DealStatus.NEW, "1200.00", "USD"),
    ("Warehouse sensors", DealStage.QUALIFICATION, DealStatus.IN_PROGRESS, "800.00", "USD"),
    ("Payroll module", DealStage.QUALIFICATION, DealStatus.NEW, "450.00", "EUR"),
    ("Support plan", DealStage.PROPOSAL, DealStatus.IN_PROGRESS, "2400.00", "USD"),
    ("Data migration", DealStage.PROPOSAL, DealStatus.IN_PROGRESS, "3100.00", "EUR"),
    ("Office licences", DealStage.NEGOTIATION, DealStatus.IN_PROGRESS, "5000.00", "USD"),
    ("Annual contract", DealStage.CLOSED, DealStatus.WON, "12000.00", "USD"),
    ("Training days", DealStage.CLOSED, DealStatus.WON, "1500.00", "EUR"),
    ("Pilot project", DealStage.CLOSED, DealStatus.LOST, "4000.00", "USD"),
    ("Hardware refresh", DealStage.CLOSED, DealStatus.LOST, "900.00", "EUR"),
]


@transaction.atomic
def seed():
    run = secrets.token_hex(3)
    password = secrets.token_urlsafe(12) + "-9a"
    staff = User.objects.create_superuser(email=f"staff-{run}@example.com", password=password, name="Staff Browser")
    organization = Organization.objects.create(name=f"Northwind {run}")
    people = [
        (staff, Role.OWNER),
        (
            User.objects.create_user(email=f"manager-{run}@example.com", password=password, name="Mia Manager"),
            "manager",
        ),
        (User.objects.create_user(email=f"member-{run}@example.com", password=password, name="Max Member"), "member"),
    ]
    for user, role in people:
        Membership.objects.create(organization=organization, user=user, role=role)
    contacts = [
        Contact.objects.create(organization=organization, owner=user, name=f"{name} ({run})")
        for (user, _), name in zip(people, ["Ada Buyer", "Ben Procurement", "Cleo Finance"], strict=True)
    ]
    deals = []
    for index, (title, stage, status, amount, currency) in enumerate(DEALS):
        contact = contacts[index % len(contacts)]
        deals.append(
            Deal.objects.create(
                organization=organization,
                contact=contact,
                owner=contact.owner,
                title=f"{title} {run}",
                stage=stage,
                status=status,
                amount=Decimal(amount),
                currency=currency,
            )
        )
    for deal in deals[:4]:
        Task.objects.create(organization=organization, deal=deal, title=f"Call about {deal.title}")
    Task.objects.create(organization=organization, deal=deals[6], title="Send the invoice", is_done=True)
    return {
        "email": staff.email,
        "password": password,
        "organization_id": str(organization.pk),
        "organization_name": organization.name,
        "run": run,
        "won_titles": [d.title for d in deals if d.status == DealStatus.WON],
        "other_titles": [d.title for d in deals if d.status != DealStatus.WON],
    }


if __name__ == "__main__":
    print(json.dumps(seed()))
