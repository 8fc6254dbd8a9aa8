"""The data the fuzzer runs against: one organization with a user of each role and a record of
each kind, and the rules that point generated requests at those records."""

import itertools

from contacts.tests.factories import ContactFactory
from deals.tests.factories import ActivityFactory, DealFactory
from organizations.models import Role
from organizations.tests.factories import MembershipFactory, OrganizationFactory
from tasks.tests.factories import TaskFactory
from tests.isolation.world import bearer

# Generated requests per operation and generation mode (valid and invalid by the schema).
FUZZ_EXAMPLES = 25
HEADER = "X-Organization-Id"


class FuzzWorld:
    def __init__(self):
        self.organization = OrganizationFactory(name="Fuzz Inc")
        self.owner = MembershipFactory(organization=self.organization, role=Role.OWNER)
        self.member = MembershipFactory(organization=self.organization, role=Role.MEMBER)
        self.contact = ContactFactory(organization=self.organization, owner=self.owner.user)
        self.deal = DealFactory(contact=self.contact)
        ActivityFactory(deal=self.deal)
        self.task = TaskFactory(deal=self.deal)
        self.token = bearer(self.owner.user)
        self._calls = itertools.count()
        # What a path segment's parameter names: `/contacts/{id}` is a contact id.
        self.ids_by_segment = {
            "contacts": str(self.contact.pk),
            "deals": str(self.deal.pk),
            "tasks": str(self.task.pk),
            "organizations": str(self.organization.pk),
            "members": str(self.member.user_id),
        }
        self.ids_by_field = {
            "contact_id": str(self.contact.pk),
            "deal_id": str(self.deal.pk),
            "owner_id": str(self.owner.user_id),
            "org_id": str(self.organization.pk),
            "user_id": str(self.member.user_id),
        }

    def aim(self, case):
        """Every request carries the owner's token. Every other one names the seeded records
        and the caller's organization, so that the generated values reach the code behind the
        lookups; the others stay as generated. Runs as a `before_call` hook, so the fuzzer
        re-checks which parts of the request are still invalid by the schema."""
        case.headers = {**(case.headers or {}), "Authorization": self.token}
        if next(self._calls) % 2:
            return
        if HEADER in case.headers:
            case.headers[HEADER] = str(self.organization.pk)
        if case.path_parameters:
            segments = case.operation.path.strip("/").split("/")
            for index, segment in enumerate(segments):
                if segment.startswith("{") and index > 0:
                    name = segment.strip("{}")
                    case.path_parameters[name] = self.ids_by_segment.get(segments[index - 1], str(self.deal.pk))
        for container in (case.query, case.body):
            if isinstance(container, dict):
                for field, value in self.ids_by_field.items():
                    if field in container:
                        container[field] = value


def seed_fuzz_world():
    return FuzzWorld()
