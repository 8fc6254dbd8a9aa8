"""The bad-input catalogue (issue 6, item 3): requests the API must refuse with a 400 in the
envelope, changing nothing. Paths, bodies and queries use placeholders filled from the seeded
organization: `{org}`, `{user}`, `{contact}`, `{deal}`, `{task}`."""

import uuid
from dataclasses import dataclass, field

MB = 1_000_000
A_UUID = str(uuid.UUID(int=1))


@dataclass
class Bad:
    name: str
    method: str
    path: str
    body: object = None
    # Bytes sent as they are, instead of `body` as JSON.
    raw: bytes | None = None
    content_type: str = "application/json"
    query: list = field(default_factory=list)
    headers: dict = field(default_factory=dict)
    status: int = 400
    # The error's `field` when the contract names it.
    field: str | None = None
    error_type: str = "ValidationError"


CONTACTS = "/api/v1/contacts"
CONTACT = "/api/v1/contacts/{contact}"
DEALS = "/api/v1/deals"
DEAL = "/api/v1/deals/{deal}"
ACTIVITIES = "/api/v1/deals/{deal}/activities"
TASKS = "/api/v1/tasks"
TASK = "/api/v1/tasks/{task}"
MEMBERS = "/api/v1/organizations/{org}/members"
MEMBER = "/api/v1/organizations/{org}/members/{user}"
SUMMARY = "/api/v1/analytics/deals/summary"
FUNNEL = "/api/v1/analytics/deals/funnel"

NEW_DEAL = {"contact_id": "{contact}", "title": "Deal", "amount": 10, "currency": "EUR"}
NEW_TASK = {"deal_id": "{deal}", "title": "Call"}


def _malformed():
    bodies = {
        "truncated": b'{"name": "x"',
        "single-quotes": b"{'name': 'x'}",
        "trailing-comma": b'{"name": "x",}',
        "two-documents": b'{"name": "x"}{"name": "y"}',
        "nan": b'{"name": "x", "phone": NaN}',
        "infinity": b'{"name": "x", "phone": Infinity}',
        "invalid-utf8": b'{"name": "\xff\xfe"}',
        "bare-string": b'"just a string"',
        "array": b'[{"name": "x"}]',
        "number": b"42",
        "null": b"null",
        "empty": b"",
        "whitespace": b"   ",
        "bom": b'\xef\xbb\xbf{"name": "x"}',
        "deep-nesting": b'{"name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    }
    cases = [Bad(f"malformed JSON: {key}", "POST", CONTACTS, raw=raw) for key, raw in bodies.items()]
    for path, method in ((DEALS, "POST"), (DEAL, "PATCH"), (TASKS, "POST"), (TASK, "PATCH"), (ACTIVITIES, "POST")):
        cases.append(Bad(f"malformed JSON on {method} {path}", method, path, raw=b'{"title": '))
    for path in ("/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/organizations", MEMBERS):
        cases.append(Bad(f"malformed JSON on POST {path}", "POST", path, raw=b"{,}"))
    cases.append(Bad("malformed JSON on PATCH member", "PATCH", MEMBER, raw=b'{"role": }'))
    return cases


def _wrong_types():
    cases = []
    for value in (123, 0.5, True, ["x"], {"x": 1}):
        cases.append(Bad(f"wrong type: contact name {value!r}", "POST", CONTACTS, {"name": value}, field="name"))
        cases.append(
            Bad(f"wrong type: deal title {value!r}", "POST", DEALS, {**NEW_DEAL, "title": value}, field="title")
        )
        cases.append(Bad(f"wrong type: task title {value!r}", "POST", TASKS, {**NEW_TASK, "title": value}))
    for value in ("ten", True, [10], {"value": 10}):
        cases.append(Bad(f"wrong type: amount {value!r}", "POST", DEALS, {**NEW_DEAL, "amount": value}, field="amount"))
    for value in (978, True, ["EUR"]):
        cases.append(
            Bad(f"wrong type: currency {value!r}", "POST", DEALS, {**NEW_DEAL, "currency": value}, field="currency")
        )
    for value in (12345, True, ["{contact}"]):
        cases.append(
            Bad(
                f"wrong type: contact_id {value!r}",
                "POST",
                DEALS,
                {**NEW_DEAL, "contact_id": value},
                field="contact_id",
            )
        )
    for value in ("yes", 1, "true", None):
        cases.append(Bad(f"wrong type: is_done {value!r}", "PATCH", TASK, {"is_done": value}, field="is_done"))
    for value in (20260101, ["2030-01-01"], True):
        cases.append(Bad(f"wrong type: due_date {value!r}", "PATCH", TASK, {"due_date": value}, field="due_date"))
    cases += [
        Bad("wrong type: deal status 1", "PATCH", DEAL, {"status": 1}, field="status"),
        Bad("wrong type: deal stage ['closed']", "PATCH", DEAL, {"stage": ["closed"]}, field="stage"),
        Bad("wrong type: comment text {}", "POST", ACTIVITIES, {"text": {}}, field="text"),
        Bad("wrong type: member role 3", "PATCH", MEMBER, {"role": 3}, field="role"),
        Bad("wrong type: member email ['a@b.c']", "POST", MEMBERS, {"email": ["a@b.c"], "role": "member"}),
        Bad("wrong type: organization name {}", "POST", "/api/v1/organizations", {"name": {}}, field="name"),
        Bad("wrong type: organization name 0", "POST", "/api/v1/organizations", {"name": 0}, field="name"),
        Bad(
            "wrong type: register name 7",
            "POST",
            "/api/v1/auth/register",
            {"email": "a@b.co", "password": "sturdy-pass-42", "name": 7},
            field="name",
        ),
        Bad(
            "wrong type: register password list",
            "POST",
            "/api/v1/auth/register",
            {"email": "a@b.co", "password": ["x"], "name": "A"},
        ),
        Bad("wrong type: body is a list (PATCH deal)", "PATCH", DEAL, ["title"]),
        Bad("wrong type: body is a number (PATCH contact)", "PATCH", CONTACT, 5),
    ]
    return cases


def _nulls():
    return [
        Bad("null: contact name", "POST", CONTACTS, {"name": None}, field="name"),
        Bad("null: contact name on PATCH", "PATCH", CONTACT, {"name": None}, field="name"),
        Bad("null: deal title", "POST", DEALS, {**NEW_DEAL, "title": None}, field="title"),
        Bad("null: deal amount", "POST", DEALS, {**NEW_DEAL, "amount": None}, field="amount"),
        Bad("null: deal currency", "POST", DEALS, {**NEW_DEAL, "currency": None}, field="currency"),
        Bad("null: deal contact_id", "POST", DEALS, {**NEW_DEAL, "contact_id": None}, field="contact_id"),
        Bad("null: deal status on PATCH", "PATCH", DEAL, {"status": None}, field="status"),
        Bad("null: deal stage on PATCH", "PATCH", DEAL, {"stage": None}, field="stage"),
        Bad("null: deal amount on PATCH", "PATCH", DEAL, {"amount": None}, field="amount"),
        Bad("null: task title", "POST", TASKS, {**NEW_TASK, "title": None}, field="title"),
        Bad("null: task deal_id", "POST", TASKS, {**NEW_TASK, "deal_id": None}, field="deal_id"),
        Bad("null: task title on PATCH", "PATCH", TASK, {"title": None}, field="title"),
        Bad("null: comment text", "POST", ACTIVITIES, {"text": None}, field="text"),
        Bad("null: member role", "PATCH", MEMBER, {"role": None}, field="role"),
        Bad("null: organization name", "POST", "/api/v1/organizations", {"name": None}, field="name"),
        Bad(
            "null: register email",
            "POST",
            "/api/v1/auth/register",
            {"email": None, "password": "sturdy-pass-42", "name": "A"},
            field="email",
        ),
    ]


def _huge_strings():
    big = "a" * MB
    return [
        Bad("1 MB: contact name", "POST", CONTACTS, {"name": big}, field="name"),
        Bad("1 MB: contact phone", "POST", CONTACTS, {"name": "A", "phone": "1" * MB}, field="phone"),
        Bad("1 MB: contact email", "POST", CONTACTS, {"name": "A", "email": big + "@example.org"}, field="email"),
        Bad("1 MB: deal title", "POST", DEALS, {**NEW_DEAL, "title": big}, field="title"),
        Bad("1 MB: deal currency", "POST", DEALS, {**NEW_DEAL, "currency": big}, field="currency"),
        Bad("1 MB: comment text", "POST", ACTIVITIES, {"text": big}, field="text"),
        Bad("1 MB: task title", "POST", TASKS, {**NEW_TASK, "title": big}, field="title"),
        Bad("1 MB: task description", "POST", TASKS, {**NEW_TASK, "description": big}, field="description"),
        Bad("1 MB: organization name", "POST", "/api/v1/organizations", {"name": big}, field="name"),
        Bad(
            "1 MB: register name",
            "POST",
            "/api/v1/auth/register",
            {"email": "a@b.co", "password": "sturdy-pass-42", "name": big},
            field="name",
        ),
        Bad("1 MB: search query", "GET", CONTACTS, query=[("search", big)], field="search"),
        Bad(
            "1 MB: unknown body field is ignored, but a 1 MB title is not",
            "PATCH",
            DEAL,
            {"title": big, "x": big},
            field="title",
        ),
    ]


CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x1b[31m", "\x7f", "\x9b"]


def _control_characters():
    cases = []
    for char in CONTROL:
        shown = repr(char)
        cases += [
            Bad(f"control {shown}: contact name", "POST", CONTACTS, {"name": f"A{char}B"}, field="name"),
            Bad(f"control {shown}: deal title", "PATCH", DEAL, {"title": f"A{char}B"}, field="title"),
            Bad(f"control {shown}: task title", "POST", TASKS, {**NEW_TASK, "title": f"A{char}B"}, field="title"),
        ]
    cases += [
        Bad("control NUL: comment text", "POST", ACTIVITIES, {"text": "hi\x00there"}, field="text"),
        Bad("control NUL: task description", "POST", TASKS, {**NEW_TASK, "description": "a\x00b"}, field="description"),
        Bad("control NUL: contact phone", "POST", CONTACTS, {"name": "A", "phone": "+1 555\x00 0100"}, field="phone"),
        Bad("control NUL: search query", "GET", CONTACTS, query=[("search", "a\x00b")], field="search"),
        Bad("control NUL: organization name", "POST", "/api/v1/organizations", {"name": "A\x00"}, field="name"),
        Bad(
            "control NUL: register email",
            "POST",
            "/api/v1/auth/register",
            {"email": "a\x00@b.co", "password": "sturdy-pass-42", "name": "A"},
            field="email",
        ),
        Bad("control NUL: lone surrogate in name", "POST", CONTACTS, raw=b'{"name": "\\ud800"}', field="name"),
    ]
    return cases


def _amounts():
    values = {
        "negative": -1,
        "negative cent": -0.01,
        "over-precise": 1.001,
        "float noise": 0.30000000000000004,
        "14 integer digits": 10_000_000_000_000,
        "huge": 10**30,
        "1e308": 1e308,
        "over-precise string": "1.001",
        "negative zero point": "-0.001",
    }
    cases = [
        Bad(f"amount {label}: POST", "POST", DEALS, {**NEW_DEAL, "amount": value}, field="amount")
        for label, value in values.items()
    ]
    cases += [
        Bad(f"amount {label}: PATCH", "PATCH", DEAL, {"amount": value}, field="amount")
        for label, value in values.items()
        if label in ("negative", "over-precise", "huge")
    ]
    cases += [
        Bad("min_amount not a number", "GET", DEALS, query=[("min_amount", "ten")], field="min_amount"),
        Bad("max_amount NaN", "GET", DEALS, query=[("max_amount", "NaN")], field="max_amount"),
        Bad("min_amount Infinity", "GET", DEALS, query=[("min_amount", "Infinity")], field="min_amount"),
        Bad("currency not ISO 4217", "POST", DEALS, {**NEW_DEAL, "currency": "XYZ"}, field="currency"),
        Bad("currency two letters", "POST", DEALS, {**NEW_DEAL, "currency": "EU"}, field="currency"),
    ]
    return cases


def _dates():
    cases = []
    for value in (
        "2030-02-30",
        "2030-13-01",
        "30-01-2030",
        "2030/01/01",
        "tomorrow",
        "",
        "2030-01-01T10:00:00Z",
        "2030-1-1",
    ):
        cases.append(Bad(f"due_date {value!r}", "PATCH", TASK, {"due_date": value}, field="due_date"))
        cases.append(Bad(f"due_before {value!r}", "GET", TASKS, query=[("due_before", value)], field="due_before"))
    for value in (
        "2030-02-30",
        "yesterday",
        "2026-01-01T25:00:00",
        "2026-01-01T10:00:00+25:00",
        "2026-01-01T10:00:00 Europe/Paris",
        "2026-01-01T10:00:00+0x:00",
        "99999-01-01",
        "",
    ):
        cases.append(
            Bad(f"created_after {value!r}", "GET", SUMMARY, query=[("created_after", value)], field="created_after")
        )
    return cases


def _uuids():
    bad_ids = ("not-a-uuid", "123", A_UUID + "0", A_UUID[:-1] + "g", "%00", "{" + A_UUID + "}")
    cases = []
    for value in bad_ids:
        cases += [
            Bad(f"path id {value!r}: contact", "GET", CONTACTS + "/" + value, field="id"),
            Bad(f"path id {value!r}: deal PATCH", "PATCH", DEALS + "/" + value, {"title": "x"}, field="id"),
            Bad(f"path id {value!r}: task DELETE", "DELETE", TASKS + "/" + value, field="id"),
        ]
    cases += [
        Bad("path id: activities of 'nope'", "GET", "/api/v1/deals/nope/activities"),
        Bad("path id: members of 'nope'", "GET", "/api/v1/organizations/nope/members", field="org_id"),
        Bad("path id: member 'nope'", "PATCH", MEMBERS + "/nope", {"role": "member"}, field="user_id"),
        Bad("query id: deals contact_id", "GET", DEALS, query=[("contact_id", "nope")], field="contact_id"),
        Bad("query id: deals owner_id", "GET", DEALS, query=[("owner_id", "12")], field="owner_id"),
        Bad("query id: contacts owner_id", "GET", CONTACTS, query=[("owner_id", "x" * 36)], field="owner_id"),
        Bad("query id: tasks deal_id", "GET", TASKS, query=[("deal_id", A_UUID + "1")], field="deal_id"),
        Bad("body id: deal contact_id", "POST", DEALS, {**NEW_DEAL, "contact_id": "nope"}, field="contact_id"),
        Bad("body id: deal owner_id", "PATCH", DEAL, {"owner_id": "nope"}, field="owner_id"),
        Bad("body id: contact owner_id", "PATCH", CONTACT, {"owner_id": A_UUID[:-2]}, field="owner_id"),
        Bad("body id: task deal_id", "POST", TASKS, {**NEW_TASK, "deal_id": "{deal}x"}, field="deal_id"),
    ]
    for value in ("nope", A_UUID.replace("-", ""), "{" + A_UUID + "}", "urn:uuid:" + A_UUID, " ", "\x00"):
        cases.append(
            Bad(
                f"header X-Organization-Id {value!r}",
                "GET",
                CONTACTS,
                headers={"HTTP_X_ORGANIZATION_ID": value},
                field="X-Organization-Id",
            )
        )
    return cases


def _query_parameters():
    return [
        Bad("repeated page", "GET", CONTACTS, query=[("page", "1"), ("page", "2")], field="page"),
        Bad("repeated page_size", "GET", DEALS, query=[("page_size", "5"), ("page_size", "5")], field="page_size"),
        Bad("repeated search", "GET", CONTACTS, query=[("search", "a"), ("search", "b")], field="search"),
        Bad("repeated order_by", "GET", DEALS, query=[("order_by", "amount"), ("order_by", "title")], field="order_by"),
        Bad("repeated deal_id", "GET", TASKS, query=[("deal_id", "{deal}"), ("deal_id", "{deal}")], field="deal_id"),
        Bad(
            "repeated created_after", "GET", SUMMARY, query=[("created_after", "2026-01-01")] * 2, field="created_after"
        ),
        Bad("unknown: contacts", "GET", CONTACTS, query=[("colour", "red")], field="colour"),
        Bad("unknown: deals", "GET", DEALS, query=[("organization_id", "{org}")], field="organization_id"),
        Bad("unknown: tasks", "GET", TASKS, query=[("owner_id", "{user}")], field="owner_id"),
        Bad("unknown: activities", "GET", ACTIVITIES, query=[("type", "comment")], field="type"),
        Bad("unknown: members", "GET", MEMBERS, query=[("role", "owner")], field="role"),
        Bad("unknown: summary", "GET", SUMMARY, query=[("status", "won")], field="status"),
        Bad("unknown: funnel", "GET", FUNNEL, query=[("x", "1")], field="x"),
        Bad("page 0", "GET", CONTACTS, query=[("page", "0")], field="page"),
        Bad("page -1", "GET", DEALS, query=[("page", "-1")], field="page"),
        Bad("page abc", "GET", TASKS, query=[("page", "abc")], field="page"),
        Bad("page 1.5", "GET", MEMBERS, query=[("page", "1.5")], field="page"),
        Bad("page_size 0", "GET", CONTACTS, query=[("page_size", "0")], field="page_size"),
        Bad("page_size 101", "GET", ACTIVITIES, query=[("page_size", "101")], field="page_size"),
        Bad("page huge", "GET", CONTACTS, query=[("page", "9" * 30)], field="page"),
        Bad("order_by unknown", "GET", DEALS, query=[("order_by", "organization")], field="order_by"),
        Bad("order sideways", "GET", DEALS, query=[("order", "sideways")], field="order"),
        Bad("status unknown", "GET", DEALS, query=[("status", "pending")], field="status"),
        Bad("status_list unknown", "GET", FUNNEL, query=[("status_list", "pending")], field="status_list"),
        Bad("only_open not a boolean", "GET", TASKS, query=[("only_open", "perhaps")], field="only_open"),
    ]


def _media_types():
    return [
        Bad(
            "form-encoded body",
            "POST",
            CONTACTS,
            raw=b"name=x",
            content_type="application/x-www-form-urlencoded",
            status=415,
            error_type="UnsupportedMediaType",
        ),
        Bad(
            "text/plain body",
            "PATCH",
            DEAL,
            raw=b'{"title": "x"}',
            content_type="text/plain",
            status=415,
            error_type="UnsupportedMediaType",
        ),
        Bad(
            "multipart body",
            "POST",
            TASKS,
            raw=b"--b--",
            content_type="multipart/form-data; boundary=b",
            status=415,
            error_type="UnsupportedMediaType",
        ),
    ]


CATALOGUE = (
    _malformed()
    + _wrong_types()
    + _nulls()
    + _huge_strings()
    + _control_characters()
    + _amounts()
    + _dates()
    + _uuids()
    + _query_parameters()
    + _media_types()
)
