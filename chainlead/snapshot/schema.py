"""The snapshot's record kinds, their keys in order, and the checks on every value.

``validate`` walks a parsed document and returns it normalised (every field
present, ``None`` where absent; times as naive UTC; every list of child
records present), or raises ``SnapshotInvalid`` listing every problem with
its TOML path. It needs no database: references to people and meetings that
are not in the snapshot are checked against the database when merging.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from chainlead.domain.registry import fold
from chainlead.errors import InvalidInput, SnapshotInvalid
from chainlead.i18n import _
from chainlead.snapshot import FORMAT_VERSION
from chainlead.store.assignments import clock_of
from chainlead.values import ascii_digits, check_credit_code
from chainlead.vocabulary import (
    ASSIGNMENT_ROLES,
    ASSIGNMENT_STATES,
    CATEGORY_MAX,
    CHAIN_STATUSES,
    COUNTER_MAX,
    CREDIT_CODE_LEN,
    ENDED_ASSIGNMENT_STATES,
    EXTENSION_KINDS,
    EXTENSION_STATES,
    FEEDBACKS,
    FIGURE_NAME_MAX,
    FIGURE_UNIT_MAX,
    FIGURE_VALUE_MAX,
    LEADER,
    LEVEL_MAX,
    LINK_STATES,
    MEETING_KINDS,
    NAME_MAX,
    OPEN_STATUSES,
    PRIORITIES,
    PROJECT_STATUSES,
    PROJECT_TYPES,
    REFERENCE_MAX,
    RELATIONS,
    RESPONSIBLE,
    ROLES,
    SEGMENTS,
    SOURCES,
    STATUSES,
    TARGET_KINDS,
    TEXT_MAX,
    TITLE_MAX,
    UNIT_KINDS,
    WORD_MAX,
    level_number,
)

PROBLEM_CAP = 50


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # one-line text: no tabs or breaks
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tabs and newlines allowed


class Bad(Exception):
    """A value is not what its key needs; ``args[0]`` says what was expected."""


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def printable(text: str) -> str:
    """Text with every control or direction-changing character escaped as \\uXXXX."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def key_shown(key: str) -> str:
    """A key as a TOML path shows it: bare when it can be, else quoted and escaped."""
    return key if _BARE_KEY.fullmatch(key) else printable(json.dumps(key, ensure_ascii=False))


def shown(value: object) -> str:
    """A value as the problem line shows it: quoted, escaped, cut at 60 characters."""
    if isinstance(value, str):
        text = printable(json.dumps(value, ensure_ascii=False))
        return text if len(text) <= 60 else text[:56] + '..."'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return str(value)


# --------------------------------------------------------------------------- value checks

Check = Callable[[Any], Any]


# Literal spellings (see ``Form``): times and dates are written bare.
_TIME_LITERAL = r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?)Z"
_DATE_LITERAL = r"([0-9]{4}-[0-9]{2}-[0-9]{2})"
_LINE_CHARS = r"[^'\x00-\x1f\x7f-\x9f]"  # one line of text, in a literal string
_TEXT_CHARS = r"[^'\x00-\x08\x0a-\x1f\x7f-\x9f]"  # text (a literal string holds no newline)


@dataclass(frozen=True)
class Form:
    """One form of value in the field table: its check, and its checked literal
    spelling (``literal``: a regular expression whose one group is the value
    as the writer spells it, turned into the checked value by ``convert``).

    ``canonical`` reads history and link lines with the literals; a form
    without one is never read that way.
    """

    check: Check
    literal: str | None = None
    convert: Callable[[str], Any] | None = None


def uuid_value(value: Any, _match: Callable[[str], Any] = _UUID.match) -> str:
    if type(value) is not str or not _match(value):
        raise Bad(_("expected a UUID in lowercase hex, e.g. 0e8a2d9c-7b41-4c55-8f0e-3a9d6b1c2e47"))
    return value


UUID = Form(uuid_value, "'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'")
_HASH = re.compile(r"[0-9a-f]{64}\Z")


def hash_value(value: Any, _match: Callable[[str], Any] = _HASH.match) -> str:
    """An event's hash in the history's chain (``chainlead.domain.seals``)."""
    if type(value) is not str or not _match(value):
        raise Bad(_("expected a sha256 hash: 64 hexadecimal digits in lowercase"))
    return value


HASH = Form(hash_value, "'([0-9a-f]{64})'")


def text(max_len: int, *, line: bool, required: bool = False) -> Form:
    search = (_CONTROL_LINE if line else _CONTROL_TEXT).search
    what = _("one line of text") if line else _("text")

    def check(value: Any) -> str:
        if type(value) is not str:
            raise Bad(_("expected {what} (a string)").format(what=what))
        if required and (not value or value.isspace()):
            raise Bad(_("expected {what}, not empty").format(what=what))
        if len(value) > max_len:
            raise Bad(
                _("expected at most {max_len} characters, got {value}").format(
                    max_len=max_len, value=len(value)
                )
            )
        found = search(value)
        if found:
            raise Bad(
                _("expected {what} without control characters; found U+{ord:04X}").format(
                    what=what, ord=ord(found.group())
                )
            )
        return value

    # Not empty, not only white space (``\s`` is what str.isspace() calls space).
    start = r"(?!\s*')" if required else ""
    chars = _LINE_CHARS if line else _TEXT_CHARS
    return Form(check, f"'{start}({chars}{{{int(required)},{max_len}}})'")


def choice(allowed: Sequence[str]) -> Form:
    options = set(allowed)
    expected = "expected one of " + ", ".join(allowed)

    def check(value: Any) -> str:
        if type(value) is not str or value not in options:
            raise Bad(expected)
        return value

    return Form(check, "'(" + "|".join(re.escape(option) for option in allowed) + ")'")


def date_value(value: Any) -> date:
    if type(value) is not date:
        raise Bad(_("expected a date such as 2026-11-30"))
    return value


DATE = Form(date_value, _DATE_LITERAL, date.fromisoformat)


def datetime_value(value: Any) -> datetime:
    if type(value) is not datetime or value.tzinfo is None:
        raise Bad(_("expected an offset date-time such as 2026-11-18T10:05:00Z"))
    if value.tzinfo is not UTC and value.utcoffset():
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None)


TIME = Form(datetime_value, _TIME_LITERAL, datetime.fromisoformat)


def counter(value: Any) -> int:
    if type(value) is not int or not 1 <= value <= COUNTER_MAX:
        raise Bad(_("expected a whole number from 1"))
    return value


def code_value(value: Any) -> str:
    if type(value) is not str or not _CODE.match(value):
        raise Bad(_("expected 1-10 capital letters or digits starting with a letter, e.g. IC"))
    return value


def month_value(value: Any) -> str:
    """A ``YYYY-MM`` month; digits of other scripts, which chainlead stored before
    it refused them, are read as ASCII so that such an export still imports."""
    if type(value) is str:
        value = ascii_digits(value)
    match = _MONTH.match(value) if type(value) is str else None
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise Bad(_("expected a month as a string 'YYYY-MM'"))
    return value


def decimal_text(value: Any) -> str:
    if type(value) is str:
        value = ascii_digits(value)
    if type(value) is not str or len(value) > FIGURE_VALUE_MAX or not _DECIMAL.match(value):
        raise Bad(_("expected a decimal number as a string, e.g. '12.5' or '-3'"))
    return value


def key_text(value: Any) -> str:
    if type(value) is not str or not value or len(value) > 24:
        raise Bad(_("expected a key such as IC-12 or IC-M3"))
    return value


KEY = Form(key_text, r"'([^'\x00-\x08\x0a-\x1f\x7f]{1,24})'")
_DECISION = re.compile(r"^[A-Z][A-Z0-9]{0,9}-M[1-9][0-9]{0,8}#[1-9][0-9]{0,8}$")


def decision_text(value: Any) -> str:
    """A meeting decision: the meeting's key and the decision's place in it, ``IC-M3#2``."""
    if type(value) is not str or not _DECISION.match(value):
        raise Bad(_("expected a meeting key and a decision number such as IC-M3#2"))
    return value


def whole(largest: int) -> Form:
    """A whole number from 0 to ``largest``."""

    def check(value: Any) -> int:
        if type(value) is not int or not 0 <= value <= largest:
            raise Bad(_("expected a whole number from 0 to {largest}").format(largest=largest))
        return value

    digits = len(str(largest)) - 1
    if largest < 10:
        literal = f"([0-{largest}])"
    else:  # one digit fewer than the largest: every such number is within it
        literal = f"(0|[1-9][0-9]{{0,{digits - 1}}})"
    return Form(check, literal, int)


YEAR_MIN, YEAR_MAX = 2000, 2100  # the years ``target set`` takes


def year_value(value: Any) -> int:
    if type(value) is not int or not YEAR_MIN <= value <= YEAR_MAX:
        raise Bad(
            _("expected a year from {year_min} to {year_max}, e.g. 2026").format(
                year_min=YEAR_MIN, year_max=YEAR_MAX
            )
        )
    return value


def percent_value(value: Any) -> int:
    if type(value) is not int or not 0 <= value <= 100:
        raise Bad(_("expected a whole number from 0 to 100"))
    return value


def flag(value: Any) -> bool:
    if type(value) is not bool:
        raise Bad(_("expected true or false"))
    return value


def credit_code(value: Any) -> str:
    """A unified social credit code, as ``enterprise add --credit-code`` takes it."""
    if type(value) is not str:
        raise Bad(
            _("expected a unified social credit code ({credit_code_len} characters)").format(
                credit_code_len=CREDIT_CODE_LEN
            )
        )
    try:
        code = check_credit_code("credit_code", value)
    except InvalidInput as exc:
        raise Bad(exc.expected) from None
    if code is None:
        raise Bad(
            _("expected a unified social credit code ({credit_code_len} characters)").format(
                credit_code_len=CREDIT_CODE_LEN
            )
        )
    return code


DECISION_REF = Form(decision_text, "'([A-Z][A-Z0-9]{0,9}-M[1-9][0-9]{0,8}#[1-9][0-9]{0,8})'")
LEVEL = whole(LEVEL_MAX)
COUNT = whole(COUNTER_MAX)
COUNTER = Form(counter)
CODE = Form(code_value)
FLAG = Form(flag, "(true|false)", lambda value: value == "true")
CREDIT_CODE = Form(credit_code)
MONTH = Form(month_value)
YEAR = Form(year_value, "(20[0-9]{2}|2100)", int)
PERCENT = Form(percent_value, "(100|[1-9]?[0-9])", int)
DECIMAL = Form(decimal_text, f"'(?=[^']{{1,{FIGURE_VALUE_MAX}}}')(-?[0-9]+(?:\\.[0-9]+)?)'")


def target_value(value: Any) -> str:
    """A target's value: what ``target set`` takes (``domain.targets``)."""
    from chainlead.domain.targets import target_value_problem

    if type(value) is not str or target_value_problem(value):
        raise Bad(_("expected a decimal above 0 in ASCII digits as a string, e.g. '15'"))
    return decimal_text(value)


TARGET_VALUE = Form(  # no sign, not all zeros: above 0
    target_value, f"'(?=[^']{{1,{FIGURE_VALUE_MAX}}}')(?![0.]*')([0-9]+(?:\\.[0-9]+)?)'"
)


LINE = text(NAME_MAX, line=True, required=True)
OPTIONAL_LINE = text(NAME_MAX, line=True)
LONG_TEXT = text(TEXT_MAX, line=False)
SHORT_NAME = text(WORD_MAX, line=True, required=True)


# --------------------------------------------------------------------------- kinds


@dataclass(frozen=True)
class Field:
    name: str
    form: Form
    required: bool = False


@dataclass(frozen=True)
class Kind:
    """One kind of record: its keys in canonical order and its child lists."""

    name: str
    fields: tuple[Field, ...]
    children: tuple[tuple[str, Kind], ...] = ()
    names: tuple[str, ...] = field(init=False)
    allowed: frozenset[str] = field(init=False, compare=False)
    specs: tuple[tuple[str, Check, bool], ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(f.name for f in self.fields))
        children = tuple(name for name, _ in self.children)
        object.__setattr__(self, "allowed", frozenset(self.names + children))
        object.__setattr__(
            self, "specs", tuple((f.name, f.form.check, f.required) for f in self.fields)
        )

    @property
    def known(self) -> str:
        return ", ".join(self.names + tuple(name for name, _ in self.children))


def _event(
    *, meeting: bool = False, project: bool = False, person: bool = True, unit: bool = False
) -> Kind:
    fields = [
        Field("uuid", UUID, True),
        Field("at", TIME, True),
        Field("actor", LINE, True),
        Field("kind", SHORT_NAME, True),
    ]
    if meeting:
        fields.append(Field("meeting", KEY))
    if project:
        fields.append(Field("project", KEY))  # format 5 on
    if person:
        fields.append(Field("person", LINE))
    if unit:
        fields.append(Field("unit", LINE))
    fields += [
        Field("field", text(WORD_MAX, line=True)),
        Field("old", LONG_TEXT),
        Field("new", LONG_TEXT),
        Field("text", LONG_TEXT),
        # format 6 on: the database login that wrote it, and its place in the chain
        Field("login", text(NAME_MAX, line=True)),
        Field("prev", HASH),
        Field("hash", HASH),
    ]
    return Kind("event", tuple(fields))


EVENT = _event(project=True)  # chain and meeting history: may name a project and a person
# may name a meeting, a project, a person and a unit
ITEM_EVENT = _event(meeting=True, project=True, unit=True)
PROJECT_EVENT = _event()  # a project's own history: may name a person
PLAIN_EVENT = _event(person=False)  # a person's own history, and the top-level one


UNIT = Kind(
    "unit",
    (
        Field("uuid", UUID, True),
        Field("name", LINE, True),
        Field("short", LINE),
        Field("kind", choice(UNIT_KINDS), True),
        Field("contact", OPTIONAL_LINE),
        Field("created_at", TIME, True),
    ),
)

ENTERPRISE = Kind(
    "enterprise",
    (
        Field("uuid", UUID, True),
        Field("name", LINE, True),
        Field("short", LINE),
        Field("credit_code", CREDIT_CODE),
        Field("contact", OPTIONAL_LINE),
        Field("park", OPTIONAL_LINE),
        Field("above_scale", FLAG),  # left out: false
        Field("created_at", TIME, True),
    ),
)

PERSON = Kind(
    "person",
    (
        Field("uuid", UUID, True),
        Field("name", LINE, True),
        Field("unit", OPTIONAL_LINE),
        Field("title", OPTIONAL_LINE),
        Field("contact", OPTIONAL_LINE),
        Field("created_at", TIME, True),
    ),
    (("history", PLAIN_EVENT),),
)

MEMBERSHIP = Kind(
    "membership",
    (
        Field("uuid", UUID, True),
        Field("person", LINE, True),
        Field("role", choice(ROLES), True),
        Field("since", DATE, True),
        Field("until", DATE),
    ),
)

ATTENDEE = Kind("attendee", (Field("uuid", UUID, True), Field("name", LINE, True)))
DECISION = Kind(
    "decision",
    (Field("uuid", UUID, True), Field("text", text(TEXT_MAX, line=False, required=True))),
)
FIGURE = Kind(
    "figure",
    (
        Field("uuid", UUID, True),
        Field("name", text(FIGURE_NAME_MAX, line=True, required=True), True),
        Field("value", DECIMAL, True),
        Field("unit", text(FIGURE_UNIT_MAX, line=True)),
    ),
)

MEETING = Kind(
    "meeting",
    (
        Field("uuid", UUID, True),
        Field("key", KEY, True),
        Field("kind", choice(MEETING_KINDS), True),
        Field("month", MONTH, True),
        Field("held", DATE, True),
        Field("chair", LINE),
        Field("summary", LONG_TEXT),
        Field("created_at", TIME, True),
    ),
    (("attendees", ATTENDEE), ("decisions", DECISION), ("figures", FIGURE), ("history", EVENT)),
)

LINK = Kind(
    "link",
    (
        Field("uuid", UUID, True),
        Field("meeting", KEY, True),
        Field("relation", choice(RELATIONS), True),
    ),
)

PLACEMENT = Kind(  # an enterprise on a chain (format 4 on)
    "placement",
    (
        Field("uuid", UUID, True),
        Field("enterprise", LINE, True),
        Field("segment", choice(SEGMENTS)),
        Field("lead", FLAG),  # left out: false
        Field("created_at", TIME, True),
    ),
)

RAISER = Kind(  # an enterprise that raised an item, in the order named (format 4 on)
    "item enterprise",
    (
        Field("uuid", UUID, True),
        Field("enterprise", LINE, True),
        Field("created_at", TIME, True),
    ),
)

FOLLOW_UP = Kind(  # an enterprise asked after the item was resolved (format 4 on)
    "follow-up",
    (
        Field("uuid", UUID, True),
        Field("enterprise", LINE),
        Field("result", choice(FEEDBACKS), True),
        Field("by", LINE, True),
        Field("note", LONG_TEXT),
        Field("asked_on", DATE, True),
        Field("reopened_on", DATE),
        Field("created_at", TIME, True),
    ),
)

CHAIN_LINK = Kind(  # a link of the chain's map (format 5 on)
    "chain link",
    (
        Field("uuid", UUID, True),
        Field("name", LINE, True),
        Field("segment", choice(SEGMENTS), True),
        Field("state", choice(LINK_STATES), True),
        Field("position", COUNT, True),
        Field("note", LONG_TEXT),
        Field("created_at", TIME, True),
    ),
)

ENTERPRISE_LINK = Kind(  # an enterprise placed on a link of the chain (format 5 on)
    "enterprise link",
    (
        Field("uuid", UUID, True),
        Field("enterprise", LINE, True),
        Field("link", LINE, True),
        Field("created_at", TIME, True),
    ),
)

TARGET = Kind(  # the chain's annual target for one key figure (format 5 on)
    "target",
    (
        Field("uuid", UUID, True),
        Field("year", YEAR, True),
        Field("figure", text(FIGURE_NAME_MAX, line=True, required=True), True),
        Field("value", TARGET_VALUE, True),
        Field("unit", text(FIGURE_UNIT_MAX, line=True)),
        Field("kind", choice(TARGET_KINDS), True),
        Field("created_at", TIME, True),
    ),
)

PROGRESS = Kind(  # a project's progress report (format 5 on)
    "progress report",
    (
        Field("uuid", UUID, True),
        Field("as_of", DATE, True),
        Field("percent", PERCENT, True),
        Field("invested", DECIMAL),
        Field("note", LONG_TEXT),
        Field("why", LONG_TEXT),
        Field("by", LINE, True),
        Field("created_at", TIME, True),
    ),
)

MILESTONE = Kind(  # a milestone of a project's plan (format 5 on)
    "milestone",
    (
        Field("uuid", UUID, True),
        Field("title", text(TITLE_MAX, line=True, required=True), True),
        Field("due", DATE, True),
        Field("done", DATE),
        Field("created_at", TIME, True),
    ),
)

PROJECT = Kind(  # a chain project (format 5 on)
    "project",
    (
        Field("uuid", UUID, True),
        Field("key", KEY, True),
        Field("title", text(TITLE_MAX, line=True, required=True), True),
        Field("type", choice(PROJECT_TYPES), True),
        Field("enterprise", LINE),
        Field("link", LINE),
        Field("unit", LINE),
        Field("owner", LINE),
        Field("investment", DECIMAL),
        Field("investment_unit", text(FIGURE_UNIT_MAX, line=True)),
        Field("start", DATE, True),
        Field("end", DATE, True),
        Field("planned_end", DATE, True),
        Field("status", choice(PROJECT_STATUSES), True),
        Field("percent", PERCENT, True),
        Field("invested", DECIMAL),
        Field("finished", DATE),
        Field("dropped", DATE),
        Field("note", LONG_TEXT),
        Field("created_at", TIME, True),
        Field("updated_at", TIME, True),
    ),
    (("progress", PROGRESS), ("milestones", MILESTONE), ("history", PROJECT_EVENT)),
)

ASSIGNMENT = Kind(
    "assignment",
    (
        Field("uuid", UUID, True),
        Field("unit", LINE, True),
        Field("role", choice(ASSIGNMENT_ROLES), True),
        Field("owner", LINE),
        Field("state", choice(ASSIGNMENT_STATES), True),
        Field("assigned", DATE, True),
        Field("due", DATE, True),
        Field("receipt_due", DATE),
        Field("received", DATE),
        Field("reported", DATE),
        Field("report", LONG_TEXT),
        Field("ended", DATE),
        Field("end_reason", LONG_TEXT),
        Field("suggested", OPTIONAL_LINE),
        Field("created_at", TIME, True),
        Field("updated_at", TIME, True),
    ),
)

EXTENSION = Kind(
    "extension",
    (
        Field("uuid", UUID, True),
        Field("unit", LINE),
        Field("kind", choice(EXTENSION_KINDS), True),
        Field("state", choice(EXTENSION_STATES), True),
        Field("requested", DATE, True),
        Field("requested_by", LINE, True),
        Field("from_due", DATE, True),
        Field("to_due", DATE, True),
        Field("why", LONG_TEXT, True),
        Field("decided", DATE),
        Field("decided_by", LINE),
        Field("decision_note", LONG_TEXT),
        Field("created_at", TIME, True),
        Field("updated_at", TIME, True),
    ),
)

ITEM = Kind(
    "item",
    (
        Field("uuid", UUID, True),
        Field("key", KEY, True),
        Field("title", text(TITLE_MAX, line=True, required=True), True),
        Field("detail", LONG_TEXT),
        Field("enterprise", OPTIONAL_LINE),
        Field("reference", text(REFERENCE_MAX, line=True, required=True)),  # format 4 on
        Field("link", LINE),  # format 5 on: a link of its chain, by name
        Field("project", KEY),  # format 5 on: a project of its chain, by key
        Field("source", choice(SOURCES), True),
        Field("category", text(CATEGORY_MAX, line=True)),
        Field("priority", choice(PRIORITIES), True),
        Field("unit", LINE, True),
        Field("owner", LINE),
        Field("raised", DATE, True),
        Field("due", DATE, True),
        Field("original_due", DATE),  # format 3 on: the limit first set
        Field("clock_due", DATE),  # the limit the light reads
        Field("receipt_due", DATE),
        Field("status", choice(STATUSES), True),
        Field("resolution", LONG_TEXT),
        Field("resolved", DATE),
        Field("closed", DATE),
        Field("status_reason", LONG_TEXT),
        Field("level", LEVEL),  # left out: 0
        Field("red_due", DATE),
        Field("red_spells", COUNT),  # left out: 0
        Field("suspended_on", DATE),
        Field("suspended_until", DATE),
        Field("suspend_reason", LONG_TEXT),
        Field("suspended_days", COUNT),  # left out: 0
        Field("urge_count", COUNT),  # left out: 0
        Field("last_urged_at", TIME),
        Field("decision", DECISION_REF),
        Field("created_at", TIME, True),
        Field("updated_at", TIME, True),
    ),
    (
        ("links", LINK),
        ("enterprises", RAISER),
        ("assignments", ASSIGNMENT),
        ("extensions", EXTENSION),
        ("follow_ups", FOLLOW_UP),
        ("history", ITEM_EVENT),
    ),
)

CHAIN = Kind(
    "chain",
    (
        Field("uuid", UUID, True),
        Field("code", CODE, True),
        Field("name", LINE, True),
        Field("description", LONG_TEXT),
        Field("status", choice(CHAIN_STATUSES), True),
        Field("archived", DATE),
        Field("created_at", TIME, True),
        Field("next_item_no", COUNTER, True),
        Field("next_meeting_no", COUNTER, True),
        Field("next_project_no", COUNTER),  # format 5 on
    ),
    (
        ("links", CHAIN_LINK),
        ("enterprises", PLACEMENT),
        ("enterprise_links", ENTERPRISE_LINK),
        ("targets", TARGET),
        ("memberships", MEMBERSHIP),
        ("history", EVENT),
        ("meetings", MEETING),
        ("projects", PROJECT),
        ("items", ITEM),
    ),
)

HEADER_KEYS = ("format", "format_version", "chainlead_version", "exported_at", "district")
SCOPE_KEYS = ("chain", "since")
TOP_LISTS = (
    ("units", UNIT),
    ("enterprises", ENTERPRISE),
    ("people", PERSON),
    ("chains", CHAIN),
    ("history", PLAIN_EVENT),
)


# --------------------------------------------------------------------------- the document


@dataclass
class Snapshot:
    """A checked snapshot: normalised records, in file order."""

    format_version: int
    chainlead_version: str | None
    exported_at: datetime | None
    district: str | None
    scope: dict[str, Any] | None
    people: list[dict[str, Any]]
    chains: list[dict[str, Any]]
    history: list[dict[str, Any]]
    units: list[dict[str, Any]] = field(default_factory=list)
    enterprises: list[dict[str, Any]] = field(default_factory=list)

    def count(self) -> int:
        """How many records it holds (for progress)."""
        total = len(self.units) + len(self.enterprises) + len(self.people) + len(self.history)
        for person in self.people:
            total += len(person["history"])
        for chain in self.chains:
            total += 1 + len(chain["memberships"]) + len(chain["history"])
            total += len(chain["enterprises"])
            for meeting in chain["meetings"]:
                total += 1 + len(meeting["attendees"]) + len(meeting["decisions"])
                total += len(meeting["figures"]) + len(meeting["history"])
            total += len(chain["links"]) + len(chain["enterprise_links"]) + len(chain["targets"])
            for project in chain["projects"]:
                total += 1 + len(project["progress"]) + len(project["milestones"])
                total += len(project["history"])
            for item in chain["items"]:
                total += 1 + len(item["links"]) + len(item["history"])
                total += len(item["assignments"]) + len(item["extensions"])
                total += len(item["enterprises"]) + len(item["follow_ups"])
        return total


class Problems:
    """Problems found so far: the first ``PROBLEM_CAP`` kept, the rest counted."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.total = 0

    def add(self, path: str, expected: str, value: object = None, *, got: bool = True) -> None:
        self.total += 1
        if len(self.lines) < PROBLEM_CAP:
            if got:
                line = _("{path}: {expected}, got {value}").format(
                    path=path, expected=expected, value=shown(value)
                )
            else:
                line = _("{path}: {expected}").format(path=path, expected=expected)
            self.lines.append(line)

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self, name: str) -> None:
        if self.total:
            raise invalid(name, self.lines, self.total)


def invalid(name: str, lines: list[str], total: int) -> SnapshotInvalid:
    """The error for a refused document: one line, or a count with the lines attached."""
    if total == 1:
        error = SnapshotInvalid(
            _("{name}: {value}; nothing was imported").format(name=name, value=lines[0])
        )
    else:
        more = f", the first {len(lines)} listed above" if total > len(lines) else " (listed above)"
        error = SnapshotInvalid(
            _("{name}: {total} problems{more}; nothing was imported").format(
                name=name, total=total, more=more
            )
        )
    error.problems = list(lines) if total > 1 else []  # type: ignore[attr-defined]
    return error


class CheckedTable(dict):  # type: ignore[type-arg]
    """A table whose own keys a reader has already normalised and checked (its child
    lists are checked as usual): ``canonical`` reads the common spelling this way."""


class CheckedArray:
    """Marks an array whose records a reader has already normalised and checked."""


class Checker:
    """Checks a document record by record, in file order, collecting every problem.

    ``header`` first, then each top-level record as it comes: ``scope``,
    ``person``, ``chain``, ``event`` (a top-level history event). Each
    returns the record normalised (every field present, ``None`` where
    absent; times naive UTC; every list of child records present), or None
    when it is not a table at all. The rules across records (unique uuids,
    names and keys; keys of their chain; dates in order; a chain's team; an
    item's status where its history leads) are checked for every top-level
    record whose values are all well-formed. Nothing here needs a database.
    """

    def __init__(self) -> None:
        self.problems = Problems()
        problems = self.problems
        self.uuids = {
            kind: _Unique("uuid", problems)
            for kind in (
                "unit", "enterprise", "person", "chain", "membership", "meeting", "sub", "item",
                "link", "assignment", "extension", "placement", "raiser", "follow_up", "event",
                "chain_link", "enterprise_link", "target", "project", "progress", "milestone",
            )
        }  # fmt: skip
        self.names = _Unique("person name", problems)
        self.unit_names = _Unique("unit name", problems)
        self.unit_shorts = _Unique("unit short name", problems)
        self.enterprise_names = _Unique("enterprise name", problems)
        self.enterprise_shorts = _Unique("enterprise short name", problems)
        self.credit_codes = _Unique("credit code", problems)
        self.version = FORMAT_VERSION  # the document's, once its header is read
        self.codes = _Unique("chain code", problems)
        self.chain_names = _Unique("chain name", problems)
        # Results of checks on short strings, which repeat (statuses, units, actors).
        self._checked: dict[tuple[Check, str], Any] = {}

    @property
    def clean(self) -> bool:
        return not self.problems

    # ------------------------------------------------------------------ values

    def _record(self, path: str, raw: object, kind: Kind) -> dict[str, Any] | None:
        """Check one table in place: values normalised, absent keys set to None."""
        problems = self.problems
        if type(raw) is not dict:
            if type(raw) is CheckedTable:
                return self._children(path, raw, kind)
            problems.add(path, _("expected a table of {name} keys").format(name=kind.name), raw)
            return None
        if not kind.allowed.issuperset(raw):
            for key in raw:
                if key not in kind.allowed:
                    problems.add(
                        f"{path}.{key_shown(key)}",
                        _("unknown key; a {name} has {known}").format(
                            name=kind.name, known=kind.known
                        ),
                        got=False,
                    )
        cache = self._checked
        for name, check, required in kind.specs:
            value = raw.get(name)
            if value is None:
                if required:
                    problems.add(f"{path}.{name}", _("missing"), got=False)
                raw[name] = None
                continue
            short = type(value) is str and len(value) < 32  # not uuids: they never repeat
            if short:
                known = cache.get((check, value))
                if known is not None:
                    if type(known) is Bad:
                        problems.add(f"{path}.{name}", known.args[0], value)
                        raw[name] = None
                    else:
                        raw[name] = known
                    continue
            try:
                raw[name] = checked = check(value)
            except Bad as exc:
                problems.add(f"{path}.{name}", exc.args[0], value)
                raw[name] = None
                if short:
                    cache[(check, value)] = exc
                continue
            if short:
                cache[(check, value)] = checked
        for name, child in kind.children:
            raw[name] = self._records(f"{path}.{name}", raw.get(name), child)
        return raw

    def _children(self, path: str, raw: dict[str, Any], kind: Kind) -> dict[str, Any]:
        """A table whose own keys are checked already: unknown keys, then its child lists."""
        if not kind.allowed.issuperset(raw):
            for key in raw:
                if key not in kind.allowed:
                    self.problems.add(
                        f"{path}.{key_shown(key)}",
                        _("unknown key; a {name} has {known}").format(
                            name=kind.name, known=kind.known
                        ),
                        got=False,
                    )
        for name, child in kind.children:
            raw[name] = self._records(f"{path}.{name}", raw.get(name), child)
        return raw

    def _records(self, path: str, raw: object, kind: Kind) -> list[dict[str, Any]]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problems.add(
                path,
                _("expected an array of {name} tables ([[{path}]])").format(
                    name=kind.name, path=path
                ),
                raw,
            )
            return []
        if isinstance(raw, CheckedArray):
            return raw
        records = []
        append = records.append
        for index, entry in enumerate(raw):
            record = self._record(f"{path}[{index}]", entry, kind)
            if record is not None:
                append(record)
        return records

    def entries(self, path: str, raw: object, kind: Kind) -> list[Any]:
        """The entries of a top-level array (``people``, ``chains``, ``history``)."""
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problems.add(
                path,
                _("expected an array of {name} tables ([[{path}]])").format(
                    name=kind.name, path=path
                ),
                raw,
            )
            return []
        return raw

    # ------------------------------------------------------------------ records

    def header(self, document: dict[str, Any]) -> dict[str, Any]:
        """The keys before the first table: unknown keys refused, the known ones checked."""
        problems = self.problems
        known = HEADER_KEYS + ("scope",) + tuple(key for key, _ in TOP_LISTS)
        for key in document:
            if key not in known:
                problems.add(
                    key_shown(key),
                    _("unknown key; a snapshot has {known}").format(known=", ".join(known)),
                    got=False,
                )
        for key, kind in TOP_LISTS[:4]:  # units, enterprises, people, chains: when not arrays
            if key in document:
                self.entries(key, document[key], kind)
        if type(document.get("format_version")) is int:
            self.version = document["format_version"]
        version_text = document.get("chainlead_version")
        if version_text is not None and type(version_text) is not str:
            problems.add("chainlead_version", _("expected a string"), version_text)
            version_text = None
        district = document.get("district")
        if district is not None:
            try:
                OPTIONAL_LINE.check(district)
            except Bad as exc:
                problems.add("district", exc.args[0], district)
                district = None
        exported_at = document.get("exported_at")
        if exported_at is not None:
            try:
                exported_at = datetime_value(exported_at)
            except Bad as exc:
                problems.add("exported_at", exc.args[0], exported_at)
                exported_at = None
        return {
            "format_version": document["format_version"],
            "chainlead_version": version_text,
            "exported_at": exported_at,
            "district": district,
        }

    def scope(self, raw: object) -> dict[str, Any] | None:
        problems = self.problems
        if not isinstance(raw, dict):
            problems.add("scope", _("expected a table"), raw)
            return None
        for key in raw:
            if key not in SCOPE_KEYS:
                problems.add(
                    f"scope.{key_shown(key)}", _("unknown key; scope has chain, since"), got=False
                )
        scope: dict[str, Any] = {"chain": None, "since": None}
        for key, check in (("chain", code_value), ("since", date_value)):
            if raw.get(key) is not None:
                try:
                    scope[key] = check(raw[key])
                except Bad as exc:
                    problems.add(f"scope.{key}", exc.args[0], raw[key])
        return scope

    def unit(self, index: int, raw: object) -> dict[str, Any] | None:
        path = f"units[{index}]"
        before = self.problems.total
        unit = self._record(path, raw, UNIT)
        if unit is not None and self.problems.total == before:
            self.uuids["unit"].check(unit["uuid"], f"{path}.uuid")
            self.unit_names.check(unit["name"], f"{path}.name")
            if unit["short"] is not None:
                self.unit_shorts.check(unit["short"], f"{path}.short")
        return unit

    def enterprise(self, index: int, raw: object) -> dict[str, Any] | None:
        path = f"enterprises[{index}]"
        before = self.problems.total
        enterprise = self._record(path, raw, ENTERPRISE)
        if enterprise is not None and self.problems.total == before:
            self.uuids["enterprise"].check(enterprise["uuid"], f"{path}.uuid")
            self.enterprise_names.check(enterprise["name"], f"{path}.name")
            if enterprise["short"] is not None:
                self.enterprise_shorts.check(enterprise["short"], f"{path}.short")
            if enterprise["credit_code"] is not None:
                self.credit_codes.check(enterprise["credit_code"], f"{path}.credit_code")
        return enterprise

    def person(self, index: int, raw: object) -> dict[str, Any] | None:
        path = f"people[{index}]"
        before = self.problems.total
        person = self._record(path, raw, PERSON)
        if person is not None and self.problems.total == before:
            self.uuids["person"].check(person["uuid"], f"{path}.uuid")
            self.names.check(person["name"], f"{path}.name")
            self._events(f"{path}.history", person["history"])
        return person

    def event(self, index: int, raw: object) -> dict[str, Any] | None:
        """A top-level history event (``history[index]``)."""
        path = f"history[{index}]"
        before = self.problems.total
        event = self._record(path, raw, PLAIN_EVENT)
        if event is not None and self.problems.total == before:
            self.uuids["event"].check(event["uuid"], f"{path}.uuid")
        return event

    def history(self, raw: object) -> list[dict[str, Any]]:
        """A whole top-level history array."""
        before = self.problems.total
        events = self._records("history", raw, PLAIN_EVENT)
        if self.problems.total == before:
            self._events("history", events)
        return events

    def chain(self, index: int, raw: object) -> dict[str, Any] | None:
        path = f"chains[{index}]"
        before = self.problems.total
        chain = self._record(path, raw, CHAIN)
        if chain is not None and self.problems.total == before:
            self._chain_rules(path, chain)
        return chain

    # ------------------------------------------------------------------ rules

    def _events(self, path: str, records: list[dict[str, Any]]) -> None:
        if records:
            self.uuids["event"].check_uuids(records, path)

    def _chain_rules(self, cpath: str, chain: dict[str, Any]) -> None:
        """Rules across a chain's records, and its records' uuids across the document."""
        problems, uuids = self.problems, self.uuids
        code = chain["code"]
        uuids["chain"].check(chain["uuid"], f"{cpath}.uuid")
        self.codes.check(code, f"{cpath}.code")
        self.chain_names.check(chain["name"].casefold(), f"{cpath}.name", chain["name"])
        if chain["status"] == "archived" and chain["archived"] is None:
            problems.add(
                f"{cpath}.archived", _("missing (an archived chain has its date)"), got=False
            )
        self._events(f"{cpath}.history", chain["history"])
        if chain["enterprises"]:
            uuids["placement"].check_uuids(chain["enterprises"], f"{cpath}.enterprises")
            placed = _Unique("enterprise on the chain", problems)
            for pi, placement in enumerate(chain["enterprises"]):
                placed.check(placement["enterprise"], f"{cpath}.enterprises[{pi}].enterprise")
        if chain["links"] or chain["enterprise_links"] or chain["targets"]:
            _map(cpath, chain, uuids, problems)
        _memberships(
            cpath,
            chain["memberships"],
            uuids["membership"],
            problems,
            active=chain["status"] == "active",
        )

        meeting_numbers = _Unique("meeting key", problems)
        for mi, meeting in enumerate(chain["meetings"]):
            mpath = f"{cpath}.meetings[{mi}]"
            uuids["meeting"].check(meeting["uuid"], f"{mpath}.uuid")
            _check_key(
                meeting,
                mpath,
                meeting_numbers,
                chain=chain,
                cpath=cpath,
                problems=problems,
                meeting=True,
            )
            if meeting["held"].strftime("%Y-%m") != meeting["month"]:
                problems.add(
                    f"{mpath}.held",
                    _("expected a day in {value}").format(value=meeting["month"]),
                    meeting["held"],
                )
            figure_names = _Unique("figure name", problems)
            for sub in ("attendees", "decisions", "figures"):
                for si, record in enumerate(meeting[sub]):
                    uuids["sub"].check(record["uuid"], f"{mpath}.{sub}[{si}].uuid")
                    if sub == "figures":
                        figure_names.check(
                            record["name"].casefold(), f"{mpath}.figures[{si}].name", record["name"]
                        )
            self._events(f"{mpath}.history", meeting["history"])
        if chain["projects"]:
            project_numbers = _Unique("project key", problems)
            for pi, project in enumerate(chain["projects"]):
                ppath = f"{cpath}.projects[{pi}]"
                uuids["project"].check(project["uuid"], f"{ppath}.uuid")
                _check_key(
                    project,
                    ppath,
                    project_numbers,
                    chain=chain,
                    cpath=cpath,
                    problems=problems,
                    meeting=False,
                    project=True,
                )
                _project(ppath, project, uuids, problems)
                self._events(f"{ppath}.history", project["history"])
        item_numbers = _Unique("item key", problems)
        references = _Unique("item reference", problems)
        item_uuids, link_uuids = uuids["item"].check_uuid, uuids["link"].check_uuids
        for ii, item in enumerate(chain["items"]):
            ipath = f"{cpath}.items[{ii}]"
            item_uuids(item["uuid"], f"{cpath}.items", ii)
            _check_key(
                item,
                ipath,
                item_numbers,
                chain=chain,
                cpath=cpath,
                problems=problems,
                meeting=False,
            )
            if item["due"] < item["raised"]:
                problems.add(
                    f"{ipath}.due",
                    _("expected a date not before raised ({isoformat})").format(
                        isoformat=item["raised"].isoformat()
                    ),
                    item["due"],
                )
            replayed = replay(item["history"])
            if replayed != item["status"]:
                problems.add(
                    f"{ipath}.status",
                    _(
                        "expected {replayed!r}, where its history leads (the last "
                        "event with field = 'status')"
                    ).format(replayed=replayed),
                    item["status"],
                )
            links = item["links"]
            if links:
                if len(links) > 1:
                    relations = _Unique("link to that meeting", problems)
                    for li, link in enumerate(links):
                        relations.check(
                            (link["meeting"], link["relation"]),
                            f"{ipath}.links[{li}].meeting",
                            link["meeting"],
                        )
                link_uuids(links, f"{ipath}.links")
            if item["assignments"]:
                _assignments(ipath, item["assignments"], uuids["assignment"], problems)
            if item["extensions"]:
                _extensions(ipath, item["extensions"], uuids["extension"], problems)
            if item["reference"] is not None:
                references.check(item["reference"], f"{ipath}.reference")
            if (
                item["project"] is not None
                and number_of(item["project"], code, meeting=False, project=True) is None
            ):
                problems.add(
                    f"{ipath}.project",
                    _("expected a project key of chain {code} such as {code}-P1").format(code=code),
                    item["project"],
                )
            if item["enterprises"] or item["follow_ups"] or self.version >= 4:
                _enterprises(ipath, item, uuids, problems)
            if self.version >= 3:
                _loop_rules(ipath, item, problems)
            self._events(f"{ipath}.history", item["history"])


def validate(document: dict[str, Any], *, name: str) -> Snapshot:
    """Check every value and every rule that needs no database; all problems at once."""
    checker = Checker()
    header = checker.header(document)
    scope = checker.scope(document["scope"]) if document.get("scope") is not None else None

    def entries(key: str) -> list[Any]:
        value = document.get(key)
        return value if isinstance(value, list) else []

    units = [
        unit
        for index, raw in enumerate(entries("units"))
        if (unit := checker.unit(index, raw)) is not None
    ]
    enterprises = [
        enterprise
        for index, raw in enumerate(entries("enterprises"))
        if (enterprise := checker.enterprise(index, raw)) is not None
    ]
    people = [
        person
        for index, raw in enumerate(entries("people"))
        if (person := checker.person(index, raw)) is not None
    ]
    chains = [
        chain
        for index, raw in enumerate(entries("chains"))
        if (chain := checker.chain(index, raw)) is not None
    ]
    history = checker.history(document.get("history"))
    checker.problems.raise_if_any(name)
    return Snapshot(
        **header,
        scope=scope,
        people=people,
        chains=chains,
        history=history,
        units=units,
        enterprises=enterprises,
    )


# --------------------------------------------------------------------------- rules


def number_of(key: str, code: str, *, meeting: bool, project: bool = False) -> int | None:
    """The number in ``IC-12`` / ``IC-M3`` / ``IC-P1`` when the key belongs to chain ``code``."""
    prefix = f"{code}-M" if meeting else f"{code}-P" if project else f"{code}-"
    if not key.startswith(prefix):
        return None
    digits = key[len(prefix) :]
    if not digits.isascii() or not digits.isdigit() or digits.startswith("0"):
        return None
    number = int(digits)
    return number if number <= COUNTER_MAX else None


def _check_key(
    record: dict[str, Any],
    path: str,
    numbers: _Unique,
    *,
    chain: dict[str, Any],
    cpath: str,
    problems: Problems,
    meeting: bool,
    project: bool = False,
) -> None:
    """A meeting's, project's or item's key: of this chain, unique, below the chain's
    next number (a project's when the chain says it: format 5 on).

    Sets ``record["number"]`` (None when the key is not of this chain).
    """
    code = chain["code"]
    what, sample = (
        ("meeting", f"{code}-M1")
        if meeting
        else ("project", f"{code}-P1")
        if project
        else ("item", f"{code}-1")
    )
    number = number_of(record["key"], code, meeting=meeting, project=project)
    record["number"] = number
    if number is None:
        article = "an" if what == "item" else "a"
        problems.add(
            f"{path}.key",
            _("expected {article} {what} key of chain {code} such as {sample}").format(
                article=article, what=what, code=code, sample=sample
            ),
            record["key"],
        )
        return
    numbers.check(number, f"{path}.key", record["key"])
    next_field = f"next_{what}_no"
    if chain[next_field] is not None and number >= chain[next_field]:
        problems.add(
            f"{cpath}.{next_field}",
            _("expected more than the highest {what} number ({number})").format(
                what=what, number=number
            ),
            chain[next_field],
        )


class _Unique:
    """Reports the second and later use of a value that must be unique.

    The first use is remembered as a place -- a path, or a list's path and
    the member's index -- packed in one number, so that the uuids of a
    100k-item snapshot's 750,000 records do not each keep a path string.
    """

    def __init__(self, what: str, problems: Problems) -> None:
        self.what = what
        self.problems = problems
        self.seen: dict[object, int] = {}
        self.places: list[str] = []

    def _place(self, path: str, member: int) -> int:
        places = self.places
        if not places or places[-1] != path:
            places.append(path)
        return (len(places) - 1) << 24 | member

    def _shown(self, place: int) -> str:
        path, member = self.places[place >> 24], place & 0xFFFFFF
        return path if member == 0 else f"{path}[{member - 1}].uuid"

    def check(self, value: object, path: str, shown_value: object = None) -> None:
        """``value`` at ``path``."""
        first = self.seen.get(value)
        if first is None:
            self.seen[value] = self._place(path, 0)
        else:
            self.problems.add(
                path,
                _("{what} already used at {shown}").format(
                    what=self.what, shown=self._shown(first)
                ),
                shown_value or value,
            )

    def check_uuids(self, records: list[dict[str, Any]], path: str) -> None:
        """The uuids of the records of the list at ``path``."""
        seen = self.seen
        place = self._place(path, 1)
        for index, record in enumerate(records):
            value = record["uuid"]
            if value in seen:
                self.check_uuid(value, path, index)
            else:
                seen[value] = place + index

    def check_uuid(self, value: str, path: str, index: int) -> None:
        """The uuid of member ``index`` of the list at ``path``."""
        first = self.seen.get(value)
        if first is None:
            self.seen[value] = self._place(path, index + 1)
        else:
            self.problems.add(
                f"{path}[{index}].uuid",
                _("uuid already used at {shown}").format(shown=self._shown(first)),
                value,
            )


def still_standing(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events no undo took back (an ``undone`` event names the uuid it reverses)."""
    reversed_ = {event.get("old") for event in history if event.get("kind") == "undone"}
    if not reversed_:
        return history
    return [event for event in history if event.get("uuid") not in reversed_]


def replay(history: list[dict[str, Any]]) -> str:
    """The status an item's history leads to: the last status change in time, else open.

    Of changes at the same time, the one listed last counts (as a stable sort
    by time would have it). A change taken back by an undo (an ``undone`` event
    naming its uuid) does not count.
    """
    status, latest = "open", None
    for event in still_standing(history):
        if event["field"] == "status" and event["new"]:
            at = event["at"]
            if latest is None or at >= latest:
                status, latest = event["new"], at
    return status


def standing(state: str) -> bool:
    """An assignment not ended by a return or a transfer."""
    return state not in ENDED_ASSIGNMENT_STATES


def _assignments(
    ipath: str, parts: list[dict[str, Any]], uuids: _Unique, problems: Problems
) -> None:
    """An item's assignments: unique uuids; one standing lead at most, and one standing
    part per unit (what the database's unique indexes hold)."""
    uuids.check_uuids(parts, f"{ipath}.assignments")
    lead: str | None = None
    units: dict[str, str] = {}
    for index, part in enumerate(parts):
        if not standing(part["state"]):
            continue
        path = f"{ipath}.assignments[{index}]"
        if part["role"] == "lead":
            if lead is not None:
                problems.add(
                    f"{path}.role",
                    _("the item already has a standing lead at {lead}").format(lead=lead),
                    "lead",
                )
            else:
                lead = path
        if part["unit"] in units:
            problems.add(
                f"{path}.unit",
                _("the unit already has a standing part at {at}").format(at=units[part["unit"]]),
                part["unit"],
            )
        else:
            units[part["unit"]] = path


def _loop_rules(ipath: str, item: dict[str, Any], problems: Problems) -> None:
    """What ``db check`` holds of an item's handling loop: each unit's latest assignment
    in the state its history leads to, an open item's standing lead, the level where
    its history leads, the clock its limit, assignments and suspensions give."""
    parts = item["assignments"]
    history = sorted(
        enumerate(still_standing(item["history"])), key=lambda entry: (entry[1]["at"], entry[0])
    )
    states: dict[str, str] = {}
    level: str | None = None
    leveled = False
    for _at, event in history:
        field = event["field"]
        if event["unit"] is not None and field in ASSIGNMENT_ROLES and event["new"]:
            states[event["unit"]] = event["new"]
        elif field == "level":
            level, leveled = event["new"], True
    latest = {part["unit"]: index for index, part in enumerate(parts)}
    for unit, index in latest.items():
        state = parts[index]["state"]
        if states.get(unit) != state:
            led = states.get(unit)
            where = f"{led!r}, where its history leads" if led else "an event about the unit"
            problems.add(
                f"{ipath}.assignments[{index}].state",
                _("expected {where} (the last item event with unit = {shown})").format(
                    where=where, shown=shown(unit)
                ),
                state,
            )
    for unit in sorted(states.keys() - latest.keys()):
        problems.add(
            f"{ipath}.history",
            _("names unit {shown} in an assignment event; the item has no assignment of it").format(
                shown=shown(unit)
            ),
            got=False,
        )
    if item["status"] in OPEN_STATUSES:
        leads = [part for part in parts if part["role"] == "lead"]
        if not any(standing(p["state"]) for p in leads) and not (
            leads and leads[-1]["state"] == "returned"
        ):
            problems.add(
                f"{ipath}.assignments",
                _("an open item needs its standing lead unit (not returned or transferred)"),
                got=False,
            )
    wanted = level_number(level) if leveled else 0
    if (item["level"] or 0) != wanted:
        problems.add(
            f"{ipath}.level",
            _(
                "expected {wanted}, where its history leads (the last event with field = 'level')"
            ).format(wanted=wanted),
            item["level"] or 0,
        )
    clock, receipt = clock_of(
        item["due"],
        item["suspended_days"] or 0,
        ((p["state"], p["due"], p["receipt_due"]) for p in parts),
    )
    for name, value, expected in (
        ("clock_due", clock, item["clock_due"]),
        ("receipt_due", receipt, item["receipt_due"]),
    ):
        if expected != value and (name == "receipt_due" or expected is not None):
            what = value.isoformat() if value else "none"
            problems.add(
                f"{ipath}.{name}",
                _("expected {what}: what its due, working assignments and suspensions give").format(
                    what=what
                ),
                expected,
            )


def _enterprises(
    ipath: str, item: dict[str, Any], uuids: dict[str, _Unique], problems: Problems
) -> None:
    """An item's enterprises and follow-ups: unique uuids, each enterprise once, the
    first one's name the item's ``enterprise`` text, one current follow-up (not set
    aside by a reopening) of an enterprise at most."""
    raisers = item["enterprises"]
    uuids["raiser"].check_uuids(raisers, f"{ipath}.enterprises")
    named = _Unique("enterprise of the item", problems)
    for index, raiser in enumerate(raisers):
        named.check(raiser["enterprise"], f"{ipath}.enterprises[{index}].enterprise")
    first = raisers[0]["enterprise"] if raisers else None
    if item["enterprise"] != first:
        what = (
            f"{shown(first)}, the first of its enterprises"
            if first
            else "none (it has no enterprises)"
        )
        problems.add(
            f"{ipath}.enterprise", _("expected {what}").format(what=what), item["enterprise"]
        )
    follow_ups = item["follow_ups"]
    uuids["follow_up"].check_uuids(follow_ups, f"{ipath}.follow_ups")
    current: dict[str, str] = {}
    for index, follow_up in enumerate(follow_ups):
        path = f"{ipath}.follow_ups[{index}]"
        if follow_up["reopened_on"] is not None:
            if follow_up["reopened_on"] < follow_up["asked_on"]:
                problems.add(
                    f"{path}.reopened_on",
                    _("expected a date not before asked_on ({isoformat})").format(
                        isoformat=follow_up["asked_on"].isoformat()
                    ),
                    follow_up["reopened_on"],
                )
            continue
        enterprise = follow_up["enterprise"]
        if enterprise is None:
            continue
        if enterprise in current:
            problems.add(
                f"{path}.reopened_on",
                _("missing: {enterprise} already has a current follow-up at {value}").format(
                    enterprise=enterprise, value=current[enterprise]
                ),
                got=False,
            )
        else:
            current[enterprise] = path


def _map(cpath: str, chain: dict[str, Any], uuids: dict[str, _Unique], problems: Problems) -> None:
    """A chain's links, the enterprises on them and its targets: unique uuids, a link's
    name once in the chain, an enterprise once on a link, a figure's target once a year."""
    links = chain["links"]
    uuids["chain_link"].check_uuids(links, f"{cpath}.links")
    names = _Unique("link name", problems)  # any case or width, as ``chain link add``
    for index, link in enumerate(links):
        names.check(fold(link["name"]), f"{cpath}.links[{index}].name", link["name"])
    placed = chain["enterprise_links"]
    uuids["enterprise_link"].check_uuids(placed, f"{cpath}.enterprise_links")
    pairs = _Unique("enterprise on that link", problems)
    for index, entry in enumerate(placed):
        pairs.check(
            (entry["enterprise"], entry["link"]),
            f"{cpath}.enterprise_links[{index}].link",
            entry["link"],
        )
    targets = chain["targets"]
    uuids["target"].check_uuids(targets, f"{cpath}.targets")
    figures = _Unique("target of that figure and year", problems)
    for index, target in enumerate(targets):
        figures.check(
            (target["year"], target["figure"]),
            f"{cpath}.targets[{index}].figure",
            target["figure"],
        )


def latest_progress(reports: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A project's latest progress report: the last by the day it stands for, then as
    listed (what ``project progress`` keeps in the project's percent and invested)."""
    latest = None
    for report in reports:
        if latest is None or report["as_of"] >= latest["as_of"]:
            latest = report
    return latest


def _project(
    ppath: str, project: dict[str, Any], uuids: dict[str, _Unique], problems: Problems
) -> None:
    """A project: its end not before its start, its percent and invested those of its latest
    progress report (0 and none before the first), unique uuids, a milestone's title once."""
    start = project["start"]
    if project["end"] < start:  # the first planned end may be before an edited start
        problems.add(
            f"{ppath}.end",
            _("expected a date not before start ({start})").format(start=start.isoformat()),
            project["end"],
        )
    reports = project["progress"]
    uuids["progress"].check_uuids(reports, f"{ppath}.progress")
    latest = latest_progress(reports)
    if latest is None:
        wanted = {"percent": (0, "0"), "invested": (None, "none")}
        why = "(it has no progress report)"
    else:
        invested = latest["invested"]
        wanted = {
            "percent": (latest["percent"], str(latest["percent"])),
            "invested": (invested, "none" if invested is None else shown(invested)),
        }
        why = f"as its latest progress report (as of {latest['as_of'].isoformat()}) says"
    for name, (value, spelled) in wanted.items():
        if project[name] != value:
            problems.add(
                f"{ppath}.{name}",
                _("expected {spelled}, {why}").format(spelled=spelled, why=why),
                project[name],
            )
    milestones = project["milestones"]
    uuids["milestone"].check_uuids(milestones, f"{ppath}.milestones")
    titles = _Unique("milestone title", problems)
    for index, milestone in enumerate(milestones):
        titles.check(milestone["title"], f"{ppath}.milestones[{index}].title")


def _extensions(
    ipath: str, extensions: list[dict[str, Any]], uuids: _Unique, problems: Problems
) -> None:
    """An item's extensions: unique uuids, one pending request at most."""
    uuids.check_uuids(extensions, f"{ipath}.extensions")
    pending: str | None = None
    for index, extension in enumerate(extensions):
        if extension["state"] != "pending":
            continue
        path = f"{ipath}.extensions[{index}]"
        if pending is not None:
            problems.add(
                f"{path}.state",
                _("the item already has a pending extension at {pending}").format(pending=pending),
                "pending",
            )
        else:
            pending = path


def _memberships(
    cpath: str,
    memberships: list[dict[str, Any]],
    uuids: _Unique,
    problems: Problems,
    *,
    active: bool,
) -> None:
    current: dict[object, str] = {}
    holders: dict[str, str] = {}
    for index, spell in enumerate(memberships):
        path = f"{cpath}.memberships[{index}]"
        uuids.check(spell["uuid"], f"{path}.uuid")
        if spell["until"] is not None:
            if spell["until"] < spell["since"]:
                problems.add(
                    f"{path}.until",
                    _("expected a date not before since ({isoformat})").format(
                        isoformat=spell["since"].isoformat()
                    ),
                    spell["until"],
                )
            continue
        if spell["role"] in (LEADER, RESPONSIBLE):
            holders[spell["role"]] = spell["person"]
        for slot, what in (
            (("person", spell["person"]), f"{spell['person']} is already on the team"),
            (("role", spell["role"]), f"the chain already has a current {spell['role']}"),
        ):
            if slot[0] == "role" and spell["role"] not in (LEADER, RESPONSIBLE):
                continue
            if slot in current:
                problems.add(
                    f"{path}.until",
                    _("missing: {what} (at {value})").format(what=what, value=current[slot]),
                    got=False,
                )
            else:
                current[slot] = path
    if active:
        for role, what in ((LEADER, "chain leader"), (RESPONSIBLE, "responsible person")):
            if role not in holders:
                problems.add(
                    f"{cpath}.memberships",
                    _(
                        "an active chain needs its current {what} (a {role} spell without until)"
                    ).format(what=what, role=role),
                    got=False,
                )
