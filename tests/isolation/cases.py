"""The case table of the isolation suite: one entry per route and method under /api/v1.

Each entry says, for every scenario, what the contract answers, or why the scenario does
not apply (`na`). Placeholders in paths, bodies and queries (`{contact}`, `{deal}`, ...)
are filled at run time from one organization of the world (tests/isolation/world.py):

- anonymous: no token, organization A's ids and header -> 401 MissingTokenError.
- cross_path: B's owner, header B, A's ids in the path -> 404 (the record does not exist for B).
- cross_header: B's owner, header A (or A in the path of the members routes) -> 403 NotAMember.
- cross_body / cross_query: B's owner, header B, B's ids, one field naming A's record.
- member / member_body / member_query: a `member` of A on its peer's records -> 403.
- nonmember: a user of no organization, header A -> 403 NotAMemberException.
"""

from dataclasses import dataclass, field

SCENARIOS = ("anonymous", "cross_path", "cross_header", "cross_body", "member", "member_body", "nonmember")


@dataclass(frozen=True)
class Expect:
    status: int
    type: str | None = None
    # Name of an extra check on a successful answer (see test_isolation.CHECKS).
    check: str | None = None


UNAUTHENTICATED = Expect(401, "MissingTokenError")
NOT_A_MEMBER = Expect(403, "NotAMemberException")
ACCESS_DENIED = Expect(403, "AccessDeniedException")
CONTACT_404 = Expect(404, "ContactNotFoundException")
DEAL_404 = Expect(404, "DealNotFoundException")
TASK_404 = Expect(404, "TaskNotFoundException")
MEMBER_404 = Expect(404, "MemberNotFoundException")
EMPTY_LIST = Expect(200, check="empty")
# A user of another organization named as owner: not a member of this one.
FOREIGN_OWNER = Expect(404, "MemberNotFoundException")


@dataclass
class Case:
    method: str
    route: str
    path: str
    body: dict | None = None
    query: dict = field(default_factory=dict)
    anonymous: Expect | None = UNAUTHENTICATED
    cross_path: Expect | None = None
    cross_header: Expect | None = NOT_A_MEMBER
    cross_body: dict = field(default_factory=dict)
    cross_query: dict = field(default_factory=dict)
    member: Expect | None = None
    member_body: dict = field(default_factory=dict)
    member_query: dict = field(default_factory=dict)
    nonmember: Expect | None = NOT_A_MEMBER
    # Scenario -> why it does not apply to this route.
    na: dict = field(default_factory=dict)
    tenant: bool = True

    @property
    def key(self):
        return (self.route, self.method)

    def probes(self):
        """`(scenario, detail, expect)` for every scenario this case runs."""
        for scenario in ("anonymous", "cross_path", "cross_header", "member", "nonmember"):
            expect = getattr(self, scenario)
            if expect is not None:
                yield scenario, None, expect
        for name in ("cross_body", "cross_query", "member_body", "member_query"):
            for detail, (value, expect) in getattr(self, name).items():
                yield name, (detail, value), expect

    def missing_scenarios(self):
        """Scenarios with neither an expectation nor a reason: a hole in the table."""
        missing = []
        for scenario in SCENARIOS:
            stated = getattr(self, scenario)
            if scenario == "cross_body":
                stated = self.cross_body or self.cross_query
            elif scenario == "member_body":
                stated = self.member_body or self.member_query
            if not stated and scenario not in self.na:
                missing.append(scenario)
        return missing


V1 = "/api/v1"
NO_RECORD = "the path names no record"
NO_IDS = "the body names no record of an organization"
PUBLIC = "public endpoint: no token by design"
NOT_TENANT = "acts on the caller alone, in no organization"

CASES = [
    # --- auth: public, or about the caller only.
    Case(
        "POST",
        f"{V1}/auth/register",
        "/api/v1/auth/register",
        body={"email": "new-user@example.com", "password": "sturdy-pass-42", "name": "New"},
        anonymous=None,
        cross_header=None,
        nonmember=None,
        tenant=False,
        na={
            "anonymous": PUBLIC,
            "cross_path": NO_RECORD,
            "cross_header": NOT_TENANT,
            "cross_body": NO_IDS,
            "member": NOT_TENANT,
            "member_body": NOT_TENANT,
            "nonmember": NOT_TENANT,
        },
    ),
    Case(
        "POST",
        f"{V1}/auth/login",
        "/api/v1/auth/login",
        body={"email": "peer-a9f3@acme.test", "password": "wrong-password-1"},
        anonymous=Expect(401, "InvalidCredentialsException"),
        cross_header=None,
        nonmember=None,
        tenant=False,
        na={
            "cross_path": NO_RECORD,
            "cross_header": NOT_TENANT,
            "cross_body": NO_IDS,
            "member": NOT_TENANT,
            "member_body": NOT_TENANT,
            "nonmember": NOT_TENANT,
        },
    ),
    Case(
        "POST",
        f"{V1}/auth/token/refresh",
        "/api/v1/auth/token/refresh",
        body={},
        cross_header=None,
        nonmember=None,
        tenant=False,
        na={
            "cross_path": NO_RECORD,
            "cross_header": NOT_TENANT,
            "cross_body": "a refresh token is the only credential it reads",
            "member": NOT_TENANT,
            "member_body": NOT_TENANT,
            "nonmember": NOT_TENANT,
        },
    ),
    Case(
        "POST",
        f"{V1}/auth/logout",
        "/api/v1/auth/logout",
        body={},
        cross_header=None,
        nonmember=None,
        tenant=False,
        na={
            "cross_path": NO_RECORD,
            "cross_header": NOT_TENANT,
            "cross_body": "a refresh token is the only credential it reads",
            "member": NOT_TENANT,
            "member_body": NOT_TENANT,
            "nonmember": NOT_TENANT,
        },
    ),
    Case(
        "GET",
        f"{V1}/auth/me",
        "/api/v1/auth/me",
        cross_header=Expect(200, check="self"),
        nonmember=Expect(200, check="self"),
        tenant=False,
        na={"cross_path": NO_RECORD, "cross_body": NO_IDS, "member": NOT_TENANT, "member_body": NOT_TENANT},
    ),
    # --- organizations.
    Case(
        "POST",
        f"{V1}/organizations",
        "/api/v1/organizations",
        body={"name": "Initech"},
        cross_header=Expect(201, check="new_organization"),
        cross_body={"id": ("{org}", Expect(201, check="new_organization"))},
        nonmember=Expect(201, check="new_organization"),
        tenant=False,
        na={
            "cross_path": NO_RECORD,
            "member": "creates a new organization; no record of another is involved",
            "member_body": "creates a new organization; no record of another is involved",
        },
    ),
    Case(
        "GET",
        f"{V1}/organizations/me",
        "/api/v1/organizations/me",
        cross_header=Expect(200, check="own_organizations"),
        nonmember=Expect(200, check="own_organizations"),
        tenant=False,
        na={"cross_path": NO_RECORD, "cross_body": NO_IDS, "member": NOT_TENANT, "member_body": NOT_TENANT},
    ),
    Case(
        "GET",
        f"{V1}/organizations/{{}}/members",
        "/api/v1/organizations/{org}/members",
        tenant=False,
        na={
            "cross_path": "the organization in the path is the record: see cross_header",
            "cross_body": NO_IDS,
            "member": "any member may list the members (API.md §3)",
            "member_body": NO_IDS,
        },
    ),
    Case(
        "POST",
        f"{V1}/organizations/{{}}/members",
        "/api/v1/organizations/{org}/members",
        body={"email": "{spare_email}", "role": "member"},
        member=ACCESS_DENIED,
        tenant=False,
        na={
            "cross_path": "the organization in the path is the record: see cross_header",
            "cross_body": "the body names a user by email, not a record",
            "member_body": "the body names a user by email, not a record",
        },
    ),
    Case(
        "PATCH",
        f"{V1}/organizations/{{}}/members/{{}}",
        "/api/v1/organizations/{org}/members/{user}",
        body={"role": "manager"},
        cross_path=MEMBER_404,
        member=ACCESS_DENIED,
        tenant=False,
        na={"cross_body": NO_IDS, "member_body": NO_IDS},
    ),
    Case(
        "DELETE",
        f"{V1}/organizations/{{}}/members/{{}}",
        "/api/v1/organizations/{org}/members/{user}",
        cross_path=MEMBER_404,
        member=ACCESS_DENIED,
        tenant=False,
        na={"cross_body": NO_IDS, "member_body": NO_IDS},
    ),
    # --- contacts.
    Case(
        "GET",
        f"{V1}/contacts",
        "/api/v1/contacts",
        cross_query={"owner_id": ("{user}", EMPTY_LIST), "search": ("acme-peer-a9f3", EMPTY_LIST)},
        member=Expect(200, check="member_list"),
        member_query={"owner_id": ("{user}", ACCESS_DENIED)},
        na={"cross_path": NO_RECORD},
    ),
    Case(
        "POST",
        f"{V1}/contacts",
        "/api/v1/contacts",
        body={"name": "Fresh contact", "email": "fresh@example.org"},
        cross_body={
            "organization_id": ("{org}", Expect(201, check="in_own_organization")),
            "owner_id": ("{user}", Expect(201, check="owned_by_caller")),
        },
        na={"cross_path": NO_RECORD, "member": NO_RECORD, "member_body": "a new contact is always the caller's"},
    ),
    Case(
        "GET",
        f"{V1}/contacts/{{}}",
        "/api/v1/contacts/{contact}",
        cross_path=CONTACT_404,
        member=ACCESS_DENIED,
        na={"cross_body": NO_IDS, "member_body": NO_IDS},
    ),
    Case(
        "PATCH",
        f"{V1}/contacts/{{}}",
        "/api/v1/contacts/{contact}",
        body={"name": "Renamed"},
        cross_path=CONTACT_404,
        cross_body={"owner_id": ("{user}", FOREIGN_OWNER)},
        member=ACCESS_DENIED,
        na={"member_body": "a member may not reassign owners at all"},
    ),
    Case(
        "DELETE",
        f"{V1}/contacts/{{}}",
        "/api/v1/contacts/{contact}",
        cross_path=CONTACT_404,
        member=ACCESS_DENIED,
        na={"cross_body": NO_IDS, "member_body": NO_IDS},
    ),
    # --- deals.
    Case(
        "GET",
        f"{V1}/deals",
        "/api/v1/deals",
        cross_query={"owner_id": ("{user}", EMPTY_LIST), "contact_id": ("{contact}", EMPTY_LIST)},
        member=Expect(200, check="member_list"),
        member_query={"owner_id": ("{user}", ACCESS_DENIED)},
        na={"cross_path": NO_RECORD},
    ),
    Case(
        "POST",
        f"{V1}/deals",
        "/api/v1/deals",
        body={"contact_id": "{contact}", "title": "Fresh deal", "amount": 10, "currency": "EUR"},
        cross_body={
            "contact_id": ("{contact}", CONTACT_404),
            "organization_id": ("{org}", Expect(201, check="in_own_organization")),
        },
        member_body={"contact_id": ("{contact}", ACCESS_DENIED)},
        na={"cross_path": NO_RECORD, "member": "see member_body: the record is named in the body"},
    ),
    Case(
        "GET",
        f"{V1}/deals/{{}}",
        "/api/v1/deals/{deal}",
        cross_path=DEAL_404,
        member=ACCESS_DENIED,
        na={"cross_body": NO_IDS, "member_body": NO_IDS},
    ),
    Case(
        "PATCH",
        f"{V1}/deals/{{}}",
        "/api/v1/deals/{deal}",
        body={"title": "Renamed deal"},
        cross_path=DEAL_404,
        cross_body={"contact_id": ("{contact}", CONTACT_404), "owner_id": ("{user}", FOREIGN_OWNER)},
        member=ACCESS_DENIED,
        member_body={"contact_id": ("{contact}", ACCESS_DENIED)},
    ),
    Case(
        "GET",
        f"{V1}/deals/{{}}/activities",
        "/api/v1/deals/{deal}/activities",
        cross_path=DEAL_404,
        member=ACCESS_DENIED,
        na={"cross_body": NO_IDS, "member_body": NO_IDS},
    ),
    Case(
        "POST",
        f"{V1}/deals/{{}}/activities",
        "/api/v1/deals/{deal}/activities",
        body={"text": "A note"},
        cross_path=DEAL_404,
        member=ACCESS_DENIED,
        na={"cross_body": NO_IDS, "member_body": NO_IDS},
    ),
    # --- tasks.
    Case(
        "GET",
        f"{V1}/tasks",
        "/api/v1/tasks",
        cross_query={"deal_id": ("{deal}", EMPTY_LIST)},
        member=Expect(200, check="member_list"),
        member_query={"deal_id": ("{deal}", EMPTY_LIST)},
        na={"cross_path": NO_RECORD},
    ),
    Case(
        "POST",
        f"{V1}/tasks",
        "/api/v1/tasks",
        body={"deal_id": "{deal}", "title": "Fresh task"},
        cross_body={"deal_id": ("{deal}", DEAL_404)},
        member_body={"deal_id": ("{deal}", Expect(403, "CannotCreateTaskForOtherUserDealException"))},
        na={"cross_path": NO_RECORD, "member": "see member_body: the record is named in the body"},
    ),
    Case(
        "GET",
        f"{V1}/tasks/{{}}",
        "/api/v1/tasks/{task}",
        cross_path=TASK_404,
        member=ACCESS_DENIED,
        na={"cross_body": NO_IDS, "member_body": NO_IDS},
    ),
    Case(
        "PATCH",
        f"{V1}/tasks/{{}}",
        "/api/v1/tasks/{task}",
        body={"title": "Renamed task"},
        cross_path=TASK_404,
        member=ACCESS_DENIED,
        na={"cross_body": "a task's deal cannot be changed", "member_body": "a task's deal cannot be changed"},
    ),
    Case(
        "DELETE",
        f"{V1}/tasks/{{}}",
        "/api/v1/tasks/{task}",
        cross_path=TASK_404,
        member=ACCESS_DENIED,
        na={"cross_body": NO_IDS, "member_body": NO_IDS},
    ),
    # --- analytics: figures, no records; a member's figures are its own deals only.
    Case(
        "GET",
        f"{V1}/analytics/deals/summary",
        "/api/v1/analytics/deals/summary",
        cross_query={"status_list": ("new", Expect(200, check="one_deal_summary"))},
        member=Expect(200, check="one_deal_summary"),
        na={"cross_path": NO_RECORD, "member_body": "a member's figures are silently its own: see member"},
    ),
    Case(
        "GET",
        f"{V1}/analytics/deals/funnel",
        "/api/v1/analytics/deals/funnel",
        cross_query={"status_list": ("new", Expect(200, check="one_deal_funnel"))},
        member=Expect(200, check="one_deal_funnel"),
        na={"cross_path": NO_RECORD, "member_body": "a member's figures are silently its own: see member"},
    ),
]

CASES_BY_KEY = {case.key: case for case in CASES}
assert len(CASES_BY_KEY) == len(CASES), "a route and method appears twice in the case table"
