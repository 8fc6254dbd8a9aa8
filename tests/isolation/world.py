"""Two tenants and a user of neither, with one record of each kind per owner.

Organization A has an owner, an admin, a manager and two members (`member` and `peer`);
`peer` owns the records under attack. Organization B has its own owner (`outsider`) with
records of its own. `loner` belongs to no organization.
"""

from dataclasses import dataclass, field

from rest_framework_simplejwt.tokens import AccessToken

from accounts.tests.factories import UserFactory
from contacts.tests.factories import ContactFactory
from deals.tests.factories import ActivityFactory, DealFactory
from organizations.models import Role
from organizations.tests.factories import MembershipFactory, OrganizationFactory
from tasks.tests.factories import TaskFactory


@dataclass
class Records:
    """One contact, deal, activity and task owned by one user."""

    contact: object
    deal: object
    activity: object
    task: object

    def strings(self):
        return {
            str(self.contact.pk),
            self.contact.name,
            self.contact.email,
            str(self.deal.pk),
            self.deal.title,
            str(self.activity.pk),
            str(self.task.pk),
            self.task.title,
        }


@dataclass
class Tenant:
    organization: object
    memberships: dict
    records: dict
    # The records and user a request of the suite aims at in this organization.
    target_owner: str
    spare_user: object = None
    secrets: set = field(default_factory=set)

    @property
    def target(self):
        return self.records[self.target_owner]

    def placeholders(self, owner=None):
        owner = owner or self.target_owner
        target = self.records[owner]
        return {
            "org": str(self.organization.pk),
            "contact": str(target.contact.pk),
            "deal": str(target.deal.pk),
            "activity": str(target.activity.pk),
            "task": str(target.task.pk),
            "user": str(self.memberships[owner].user_id),
            "spare_email": self.spare_user.email,
        }


def _records(organization, user, label):
    contact = ContactFactory(
        organization=organization, owner=user, name=f"{label} contact", email=f"{label}-contact@example.org"
    )
    deal = DealFactory(contact=contact, title=f"{label} deal")
    activity = ActivityFactory(deal=deal, payload={"text": f"{label} note"})
    task = TaskFactory(deal=deal, title=f"{label} task")
    return Records(contact=contact, deal=deal, activity=activity, task=task)


def build_world():
    acme = OrganizationFactory(name="Acme secret-a9f3")
    memberships = {
        role: MembershipFactory(organization=acme, role=role, user=UserFactory(email=f"{role}-a9f3@acme.test"))
        for role in (Role.OWNER, Role.ADMIN, Role.MANAGER, Role.MEMBER)
    }
    memberships["peer"] = MembershipFactory(
        organization=acme, role=Role.MEMBER, user=UserFactory(email="peer-a9f3@acme.test")
    )
    a = Tenant(
        organization=acme,
        memberships=memberships,
        records={
            "member": _records(acme, memberships[Role.MEMBER].user, "acme-member-a9f3"),
            "peer": _records(acme, memberships["peer"].user, "acme-peer-a9f3"),
        },
        target_owner="peer",
    )

    globex = OrganizationFactory(name="Globex b7c1")
    outsider = MembershipFactory(organization=globex, role=Role.OWNER, user=UserFactory(email="owner-b7c1@globex.test"))
    b_member = MembershipFactory(
        organization=globex, role=Role.MEMBER, user=UserFactory(email="member-b7c1@globex.test")
    )
    b = Tenant(
        organization=globex,
        memberships={Role.OWNER: outsider, Role.MEMBER: b_member},
        records={Role.MEMBER: _records(globex, b_member.user, "globex-b7c1")},
        target_owner=Role.MEMBER,
    )
    loner = UserFactory(email="loner@nowhere.test")
    # A registered user in no organization: the one a members POST tries to add.
    a.spare_user = b.spare_user = UserFactory(email="spare@nowhere.test")

    a.secrets = {str(acme.pk), acme.name}
    for membership in memberships.values():
        a.secrets |= {str(membership.user_id), membership.user.email, str(membership.pk)}
    for records in a.records.values():
        a.secrets |= records.strings()
    return World(a=a, b=b, loner=loner)


@dataclass
class World:
    a: Tenant
    b: Tenant
    loner: object

    def user(self, actor):
        return {
            "member": self.a.memberships[Role.MEMBER].user,
            "outsider": self.b.memberships[Role.OWNER].user,
            "loner": self.loner,
        }[actor]


def bearer(user):
    return f"Bearer {AccessToken.for_user(user)}"
