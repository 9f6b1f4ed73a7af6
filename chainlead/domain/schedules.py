"""Meeting entries: the chain leader's monthly scheduling meeting, and the other
meetings (breakfast meetings, salons, visits) where bottleneck items are raised.

A meeting entry has a key ``<CHAIN>-M<n>`` (e.g. ``IC-M3``) taken from
``chain.next_meeting_no``, so keys are never reused. It records the month it
counts for, the day it was held, who chaired it, who attended, a summary, the
decisions (matters coordinated) in order, the chain's key figures for the
month, and links to the items it raised or moved on (``raised`` /
``discussed``). Linking an item writes an item event of kind ``linked``
(``field`` = the relation, ``text`` = the meeting key).

Only ``scheduling`` entries count for the monthly duty:
``missing_meetings(month)`` lists the chains expected to hold one that month
which have none on record. A chain is expected in a month when it existed by
the end of that month (created on or before its last day) and had not been
archived by then (archived after the month, or still active). So an archived
chain is never expected from the month it was archived on, and a chain added
to chainlead in the middle of a month is expected that month already.

Every function here is keyword-only, takes the session, returns frozen
dataclasses, and never prints or commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import func
from sqlmodel import Session, col, select

from chainlead.domain import Stamp
from chainlead.domain.bottlenecks import get_item, link_meeting, parse_key
from chainlead.domain.chains import LEADER, RESPONSIBLE, get_chain
from chainlead.domain.history import record
from chainlead.domain.lights import light
from chainlead.domain.people import find_person
from chainlead.errors import (
    InvalidInput,
    MeetingNotFound,
    RuleViolation,
)
from chainlead.models import (
    Chain,
    Event,
    Item,
    Meeting,
    MeetingAttendee,
    MeetingDecision,
    MeetingFigure,
    MeetingItem,
    Membership,
    Person,
)
from chainlead.store.chains import lock_chain, require_active, take_number
from chainlead.values import (
    check_name,
    check_text,
    month_bounds,
    month_of,
    normalize_meeting_key,
    parse_month,
)
from chainlead.vocabulary import (
    FIGURE_NAME_MAX,
    FIGURE_UNIT_MAX,
    FIGURE_VALUE_MAX,
    MEETING_KINDS,
    OPEN_STATUSES,
    RELATIONS,
    SCHEDULING,
    TEXT_MAX,
    Relation,
)

KINDS = MEETING_KINDS
RAISED = Relation.raised.value
DISCUSSED = Relation.discussed.value

FIGURE_FORM = "expected NAME=NUMBER or NAME=NUMBER:UNIT, e.g. output_value=12.5:100M CNY"


# --------------------------------------------------------------------------
# What the functions return


@dataclass(frozen=True)
class Figure:
    """A key figure the chain reported: the value is exact decimal text."""

    name: str
    value: str
    unit: str | None


@dataclass(frozen=True)
class LinkedItem:
    """An item a meeting raised or discussed, as it stands today."""

    key: str
    relation: str  # "raised" or "discussed"
    title: str
    status: str
    unit: str
    due_on: date
    resolved_on: date | None
    light: str


@dataclass(frozen=True)
class MeetingSummary:
    """One meeting entry in a list (counts instead of the full contents)."""

    key: str
    chain: str
    kind: str
    month: str
    held_on: date
    chair: str | None
    decisions: int
    figures: int
    raised: int
    discussed: int
    summary: str | None


@dataclass(frozen=True)
class MeetingChange:
    """One entry of a meeting's history: created, edited, or an item linked/unlinked."""

    at: datetime
    actor: str
    kind: str
    item: str | None  # the item key of a linked / unlinked event
    field: str | None
    old: str | None
    new: str | None
    text: str | None


@dataclass(frozen=True)
class MeetingDetail:
    """Everything about one meeting entry, its linked items with today's lights."""

    key: str
    chain: str
    chain_name: str
    kind: str
    month: str
    held_on: date
    chair: str | None
    summary: str | None
    attendees: tuple[str, ...]
    decisions: tuple[str, ...]
    figures: tuple[Figure, ...]
    items: tuple[LinkedItem, ...]
    created_at: datetime
    history: tuple[MeetingChange, ...]


@dataclass(frozen=True)
class MissingMeeting:
    """A chain expected to hold its scheduling meeting in ``month`` with none on record."""

    chain: str
    name: str
    month: str
    leader: str | None
    responsible: str | None
    last_meeting: str | None  # key of the last scheduling meeting before the month
    last_held_on: date | None


@dataclass(frozen=True)
class AgendaItem:
    """An item on the agenda, with what has become of it."""

    key: str
    title: str
    status: str
    light: str
    unit: str
    owner: str | None
    due_on: date
    resolved_on: date | None
    resolution: str | None
    status_reason: str | None
    relation: str | None  # for items named by the last meeting: raised / discussed


@dataclass(frozen=True)
class Agenda:
    """What the next meeting of a chain should take up.

    - ``red`` / ``yellow``: unresolved items that are overdue / due within the
      warning window (blocked items are listed under ``blocked`` instead);
    - ``blocked``: items that cannot move, with the reason;
    - ``awaiting_signoff``: resolved items not yet closed (signed off); those
      resolved since the last meeting are the new ones, older ones are still
      waiting;
    - ``last_meeting`` with its ``last_decisions``, and ``last_items``: what
      became of every item it raised or discussed.
    """

    chain: str
    chain_name: str
    leader: str | None
    today: date
    last_meeting: MeetingSummary | None
    last_decisions: tuple[str, ...]
    red: tuple[AgendaItem, ...]
    yellow: tuple[AgendaItem, ...]
    blocked: tuple[AgendaItem, ...]
    awaiting_signoff: tuple[AgendaItem, ...]
    last_items: tuple[AgendaItem, ...]


# --------------------------------------------------------------------------
# Parsing what users type


def parse_kind(text: str, field: str = "--kind") -> str:
    kind = text.strip().lower()
    if kind not in KINDS:
        raise InvalidInput(field, "expected one of " + ", ".join(KINDS), text)
    return kind


def parse_figure(text: str, field: str = "--figure") -> Figure:
    """``NAME=NUMBER`` or ``NAME=NUMBER:UNIT``; the number is kept as exact decimal text."""
    if "=" not in text:
        raise InvalidInput(field, FIGURE_FORM, text)
    raw_name, rest = text.split("=", 1)
    raw_value, _, raw_unit = rest.partition(":")
    name = check_text(field + " name", raw_name, max_len=FIGURE_NAME_MAX, multiline=False)
    if name is None:
        raise InvalidInput(field, FIGURE_FORM + " (the name is missing)", text)
    try:
        number = Decimal(raw_value.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not raw_value.strip():
        raise InvalidInput(field, f"{name}: expected a number such as 12.5 or -3", raw_value)
    value = format(number, "f")
    if len(value) > FIGURE_VALUE_MAX:
        raise InvalidInput(
            field, f"{name}: expected a number of at most {FIGURE_VALUE_MAX} digits", raw_value
        )
    unit = (
        check_text(field + " unit", raw_unit, max_len=FIGURE_UNIT_MAX, multiline=False)
        if raw_unit
        else None
    )
    return Figure(name=name, value=value, unit=unit)


def _parse_figures(texts: Iterable[str], field: str = "--figure") -> list[Figure]:
    figures: list[Figure] = []
    seen: set[str] = set()
    for text in texts:
        figure = parse_figure(text, field)
        if figure.name.lower() in seen:
            raise InvalidInput(field, f"figure {figure.name!r} is given twice; give it once")
        seen.add(figure.name.lower())
        figures.append(figure)
    return figures


def _decisions(texts: Iterable[str]) -> list[str]:
    out = []
    for text in texts:
        decision = check_text("--decision", text, max_len=TEXT_MAX, multiline=False)
        if decision is None:
            raise InvalidInput("--decision", f"must not be empty (1-{TEXT_MAX} characters)")
        out.append(decision)
    return out


def _attendees(texts: Iterable[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        name = check_name("--attendee", text)
        if name and name not in out:
            out.append(name)
    return out


def _held_and_month(*, month: str | None, held_on: date | None, today: date) -> tuple[str, date]:
    """Resolve ``--month``/``--held-on`` together: held in the month, not in the future."""
    if month is not None:
        month = parse_month("--month", month)
    if held_on is None:
        if month is not None and month_of(today) != month:
            raise InvalidInput(
                "--held-on",
                f"give the day the {month} meeting was held (a date within {month})",
            )
        held_on = today
    if held_on > today:
        raise InvalidInput(
            "--held-on", f"expected a day on or before today ({today.isoformat()})", str(held_on)
        )
    if month is None:
        month = month_of(held_on)
    first, last = month_bounds(month)
    if not first <= held_on <= last:
        raise InvalidInput(
            "--held-on",
            f"expected a day within --month {month} ({first.isoformat()} to {last.isoformat()})",
            str(held_on),
        )
    return month, held_on


# --------------------------------------------------------------------------
# Lookups


def get_meeting(session: Session, *, key: str, field: str = "meeting") -> Meeting:
    """The meeting with this key (any case), or MeetingNotFound."""
    normalized = normalize_meeting_key(key, field)
    meeting = session.exec(select(Meeting).where(Meeting.key == normalized)).first()
    if meeting is None:
        raise MeetingNotFound("meeting", normalized)
    return meeting


def leader_on(session: Session, *, chain_id: int, day: date) -> Person | None:
    """The chain leader on ``day`` from the membership spells.

    A spell covers ``since <= day < until`` (an open spell has no end). For a
    day before the chain's first recorded leader (entries written down after
    the fact), the first recorded leader is taken.
    """
    spells = session.exec(
        select(Membership, Person)
        .join(Person, col(Person.id) == Membership.person_id)
        .where(Membership.chain_id == chain_id, Membership.role == LEADER)
        .order_by(col(Membership.since), col(Membership.id))
    ).all()
    covering = [
        person
        for spell, person in spells
        if spell.since <= day and (spell.until is None or day < spell.until)
    ]
    if covering:
        return covering[-1]
    if spells and day < spells[0][0].since:
        return spells[0][1]
    current = [person for spell, person in spells if spell.until is None]
    return current[-1] if current else None


def _items_to_link(
    session: Session, *, chain: Chain, raises: Sequence[str], discusses: Sequence[str]
) -> list[tuple[Item, str, str]]:
    """Check every key given to --raises/--discusses: (item, relation, option)."""
    wanted: list[tuple[str, str, str]] = []
    seen: dict[str, str] = {}
    for option, relation, keys in (
        ("--raises", RAISED, raises),
        ("--discusses", DISCUSSED, discusses),
    ):
        for raw in keys:
            code, number = parse_key(raw, option)
            key = f"{code}-{number}"
            if key in seen:
                if seen[key] != relation:
                    raise InvalidInput(
                        option,
                        f"{key} is given to both --raises and --discusses; "
                        "an item is either raised or discussed at a meeting",
                    )
                continue
            seen[key] = relation
            wanted.append((key, relation, option))
    out = []
    for key, relation, option in wanted:
        item = get_item(session, key=key, field=option)
        if item.chain_id != chain.id:
            owner = session.get(Chain, item.chain_id)
            raise RuleViolation(
                f"{option}: item {key} belongs to chain {owner.code if owner else '?'}, "
                f"not {chain.code}; a meeting links only its own chain's items"
            )
        out.append((item, relation, option))
    return out


def _link(
    session: Session,
    *,
    meeting: Meeting,
    item: Item,
    relation: str,
    option: str,
    stamp: Stamp,
) -> bool:
    """Link an item to a meeting; False when that link already exists."""
    event = link_meeting(
        session, item=item, meeting=meeting, relation=relation, option=option, stamp=stamp
    )
    return event is not None


# --------------------------------------------------------------------------
# Writes


def add_meeting(
    session: Session,
    *,
    chain: str,
    stamp: Stamp,
    kind: str = SCHEDULING,
    month: str | None = None,
    held_on: date | None = None,
    chair: str | None = None,
    summary: str | None = None,
    decisions: Sequence[str] = (),
    attendees: Sequence[str] = (),
    figures: Sequence[str] = (),
    raises: Sequence[str] = (),
    discusses: Sequence[str] = (),
    warning_days: int = 7,
) -> MeetingDetail:
    """Record a meeting of an active chain and link the items it raised or moved on.

    ``held_on`` defaults to today and ``month`` to the month of ``held_on``;
    the day must fall within the month and not after today. ``chair`` defaults
    to the chain leader on that day and must be a person chainlead knows.
    ``figures`` are ``NAME=NUMBER[:UNIT]`` texts; ``raises``/``discusses`` are
    item keys of the same chain.
    """
    kind = parse_kind(kind)
    month, held_on = _held_and_month(month=month, held_on=held_on, today=stamp.today)
    summary = check_text("--summary", summary, max_len=TEXT_MAX)
    decision_texts = _decisions(decisions)
    attendee_names = _attendees(attendees)
    parsed_figures = _parse_figures(figures)
    found = lock_chain(session, code=chain)
    require_active(found)
    if chair is not None:
        chair_person: Person | None = find_person(session, name=chair, field="--chair")
    else:
        chair_person = leader_on(session, chain_id=found.id, day=held_on)  # type: ignore[arg-type]
    links = _items_to_link(session, chain=found, raises=raises, discusses=discusses)

    number = take_number(session, found, meeting=True)
    meeting = Meeting(
        key=f"{found.code}-M{number}",
        chain_id=found.id,  # type: ignore[arg-type]
        number=number,
        kind=kind,
        month=month,
        held_on=held_on,
        chair_id=chair_person.id if chair_person else None,
        summary=summary,
        created_at=stamp.at,
    )
    session.add(meeting)
    session.flush()
    record(
        session,
        stamp=stamp,
        kind="created",
        chain_id=found.id,
        meeting_id=meeting.id,
        new=meeting.key,
        text=f"{kind} meeting for {month}, held {held_on.isoformat()}",
    )
    _store_decisions(session, meeting, decision_texts)
    _store_attendees(session, meeting, attendee_names)
    for figure in parsed_figures:
        session.add(
            MeetingFigure(
                meeting_id=meeting.id,  # type: ignore[arg-type]
                name=figure.name,
                value=figure.value,
                unit=figure.unit,
            )
        )
    for item, relation, option in links:
        _link(session, meeting=meeting, item=item, relation=relation, option=option, stamp=stamp)
    session.flush()
    return meeting_detail(session, key=meeting.key, today=stamp.today, warning_days=warning_days)


def _store_decisions(session: Session, meeting: Meeting, texts: Sequence[str]) -> None:
    for position, text in enumerate(texts, start=1):
        session.add(
            MeetingDecision(meeting_id=meeting.id, position=position, text=text)  # type: ignore[arg-type]
        )


def _store_attendees(session: Session, meeting: Meeting, names: Sequence[str]) -> None:
    for position, name in enumerate(names, start=1):
        session.add(
            MeetingAttendee(meeting_id=meeting.id, position=position, name=name)  # type: ignore[arg-type]
        )


def _figure_text(figure: MeetingFigure | Figure) -> str:
    return f"{figure.name}={figure.value}" + (f" {figure.unit}" if figure.unit else "")


def edit_meeting(
    session: Session,
    *,
    key: str,
    stamp: Stamp,
    kind: str | None = None,
    month: str | None = None,
    held_on: date | None = None,
    chair: str | None = None,
    summary: str | None = None,
    decisions: Sequence[str] | None = None,
    attendees: Sequence[str] | None = None,
    figures: Sequence[str] = (),
    drop_figures: Sequence[str] = (),
    raises: Sequence[str] = (),
    discusses: Sequence[str] = (),
    unlink: Sequence[str] = (),
    reason: str | None = None,
    warning_days: int = 7,
) -> tuple[MeetingDetail, int]:
    """Correct a meeting entry; every change is an ``edited`` event with old and new.

    ``decisions``/``attendees`` replace the whole list when given; ``figures``
    set (add or change) figures by name and ``drop_figures`` remove them;
    ``raises``/``discusses`` add links and ``unlink`` removes an item's link.
    Giving only ``held_on`` moves the month with it. Returns the meeting and
    how many changes were recorded (0: everything was already so).
    """
    kind = parse_kind(kind) if kind is not None else None
    reason = check_text("--reason", reason, max_len=TEXT_MAX)
    decision_texts = _decisions(decisions) if decisions is not None else None
    attendee_names = _attendees(attendees) if attendees is not None else None
    parsed_figures = _parse_figures(figures)
    meeting = get_meeting(session, key=key, field="meeting")
    chain = session.get(Chain, meeting.chain_id)
    assert chain is not None
    require_active(chain)
    changes = [
        *_move_meeting(meeting, month=month, held_on=held_on, today=stamp.today),
        *_edit_fields(session, meeting, kind=kind, chair=chair, summary=summary),
        *_replace_decisions(session, meeting, decision_texts),
        *_replace_attendees(session, meeting, attendee_names),
        *_edit_figures(session, meeting, parsed_figures, drop_figures),
    ]
    _record_edits(session, meeting, changes, stamp=stamp, reason=reason)
    count = len(changes)
    count += _unlink(session, meeting=meeting, keys=unlink, stamp=stamp, reason=reason)
    count += _link_more(
        session, meeting=meeting, chain=chain, raises=raises, discusses=discusses, stamp=stamp
    )
    session.flush()
    return meeting_detail(
        session, key=meeting.key, today=stamp.today, warning_days=warning_days
    ), count


def _move_meeting(
    meeting: Meeting, *, month: str | None, held_on: date | None, today: date
) -> list[tuple[str, object, object]]:
    """The month and the day held, each when given and different."""
    changes: list[tuple[str, object, object]] = []
    if month is not None or held_on is not None:
        new_month, new_held = _held_and_month(
            month=month,  # only --held-on given: the month follows the day
            held_on=held_on if held_on is not None else meeting.held_on,
            today=today,
        )
        if new_month != meeting.month:
            changes.append(("month", meeting.month, new_month))
            meeting.month = new_month
        if new_held != meeting.held_on:
            changes.append(("held_on", meeting.held_on, new_held))
            meeting.held_on = new_held
    return changes


def _edit_fields(
    session: Session,
    meeting: Meeting,
    *,
    kind: str | None,
    chair: str | None,
    summary: str | None,
) -> list[tuple[str, object, object]]:
    """The kind, the chair and the summary, each when given and different."""
    changes: list[tuple[str, object, object]] = []
    if kind is not None and kind != meeting.kind:
        changes.append(("kind", meeting.kind, kind))
        meeting.kind = kind
    if chair is not None:
        person = find_person(session, name=chair, field="--chair")
        if person.id != meeting.chair_id:
            old = session.get(Person, meeting.chair_id) if meeting.chair_id else None
            changes.append(("chair", old.name if old else None, person.name))
            meeting.chair_id = person.id
    if summary is not None:
        new_summary = check_text("--summary", summary, max_len=TEXT_MAX)
        if new_summary != meeting.summary:
            changes.append(("summary", meeting.summary, new_summary))
            meeting.summary = new_summary
    return changes


def _replace_decisions(
    session: Session, meeting: Meeting, texts: list[str] | None
) -> list[tuple[str, object, object]]:
    """The whole list of decisions, when given and different."""
    if texts is None:
        return []
    current = _decision_rows(session, meeting.id)  # type: ignore[arg-type]
    if [d.text for d in current] == texts:
        return []
    change = ("decisions", "\n".join(d.text for d in current), "\n".join(texts))
    for row in current:
        session.delete(row)
    session.flush()
    _store_decisions(session, meeting, texts)
    return [change]


def _replace_attendees(
    session: Session, meeting: Meeting, names: list[str] | None
) -> list[tuple[str, object, object]]:
    """The whole list of attendees, when given and different."""
    if names is None:
        return []
    current = _attendee_rows(session, meeting.id)  # type: ignore[arg-type]
    if [a.name for a in current] == names:
        return []
    change = ("attendees", "\n".join(a.name for a in current), "\n".join(names))
    for row in current:
        session.delete(row)
    session.flush()
    _store_attendees(session, meeting, names)
    return [change]


def _record_edits(
    session: Session,
    meeting: Meeting,
    changes: Sequence[tuple[str, object, object]],
    *,
    stamp: Stamp,
    reason: str | None,
) -> None:
    """One ``edited`` event per change, with the old and the new value."""
    for field, old, new in changes:
        record(
            session,
            stamp=stamp,
            kind="edited",
            chain_id=meeting.chain_id,
            meeting_id=meeting.id,
            field=field,
            old=old,
            new=new,
            text=reason,
        )


def _link_more(
    session: Session,
    *,
    meeting: Meeting,
    chain: Chain,
    raises: Sequence[str],
    discusses: Sequence[str],
    stamp: Stamp,
) -> int:
    """Link the items given to --raises/--discusses; how many links are new."""
    count = 0
    for item, relation, option in _items_to_link(
        session, chain=chain, raises=raises, discusses=discusses
    ):
        if _link(
            session, meeting=meeting, item=item, relation=relation, option=option, stamp=stamp
        ):
            count += 1
    return count


def _edit_figures(
    session: Session, meeting: Meeting, figures: Sequence[Figure], drop: Sequence[str]
) -> list[tuple[str, object, object]]:
    rows = {f.name.lower(): f for f in _figure_rows(session, meeting.id)}  # type: ignore[arg-type]
    changes: list[tuple[str, object, object]] = []
    dropped: set[str] = set()
    for raw in drop:
        name = check_text("--drop-figure", raw, max_len=FIGURE_NAME_MAX, multiline=False) or ""
        row = rows.get(name.lower())
        if row is None:
            known = ", ".join(sorted(r.name for r in rows.values())) or "none"
            raise InvalidInput(
                "--drop-figure", f"{meeting.key} has no figure {name!r} (figures: {known})"
            )
        if any(f.name.lower() == name.lower() for f in figures):
            raise InvalidInput("--drop-figure", f"{name!r} is also given to --figure")
        if name.lower() in dropped:
            continue
        dropped.add(name.lower())
        changes.append(("figure", _figure_text(row), None))
        session.delete(row)
    for figure in figures:
        row = rows.get(figure.name.lower())
        if row is None:
            changes.append(("figure", None, _figure_text(figure)))
            session.add(
                MeetingFigure(
                    meeting_id=meeting.id,  # type: ignore[arg-type]
                    name=figure.name,
                    value=figure.value,
                    unit=figure.unit,
                )
            )
        elif (row.name, row.value, row.unit) != (figure.name, figure.value, figure.unit):
            changes.append(("figure", _figure_text(row), _figure_text(figure)))
            row.name, row.value, row.unit = figure.name, figure.value, figure.unit
    return changes


def _unlink(
    session: Session, *, meeting: Meeting, keys: Sequence[str], stamp: Stamp, reason: str | None
) -> int:
    """Remove mistaken item links; an ``unlinked`` item event keeps the record."""
    count = 0
    for raw in dict.fromkeys("{}-{}".format(*parse_key(k, "--unlink")) for k in keys):
        row = session.exec(
            select(MeetingItem, Item)
            .join(Item, col(Item.id) == MeetingItem.item_id)
            .where(MeetingItem.meeting_id == meeting.id, Item.key == raw)
        ).first()
        if row is None:
            raise InvalidInput("--unlink", f"{raw} is not linked to {meeting.key}")
        link, item = row
        said = f"{link.relation} at {meeting.key}"
        record(
            session,
            stamp=stamp,
            kind="unlinked",
            chain_id=item.chain_id,
            item_id=item.id,
            meeting_id=meeting.id,
            field=link.relation,
            text=f"{said}: {reason}" if reason else said,
        )
        session.delete(link)
        count += 1
    session.flush()
    return count


# --------------------------------------------------------------------------
# Reads


def _parts(
    session: Session,
    model: type[MeetingDecision | MeetingAttendee | MeetingFigure],
    meeting_id: int,
) -> list:
    """A meeting's decisions or attendees (in the order recorded) or figures."""
    order = model.id if model is MeetingFigure else model.position  # type: ignore[union-attr]
    return list(
        session.exec(select(model).where(model.meeting_id == meeting_id).order_by(col(order))).all()
    )


def _decision_rows(session: Session, meeting_id: int) -> list[MeetingDecision]:
    return _parts(session, MeetingDecision, meeting_id)


def _attendee_rows(session: Session, meeting_id: int) -> list[MeetingAttendee]:
    return _parts(session, MeetingAttendee, meeting_id)


def _figure_rows(session: Session, meeting_id: int) -> list[MeetingFigure]:
    return _parts(session, MeetingFigure, meeting_id)


def _item_light(item: Item, today: date, warning_days: int) -> str:
    return light(
        status=item.status,
        due_on=item.due_on,
        resolved_on=item.resolved_on,
        today=today,
        warning_days=warning_days,
    )


def meeting_detail(
    session: Session, *, key: str, today: date, warning_days: int = 7
) -> MeetingDetail:
    """One meeting entry with attendees, decisions, figures, linked items and history.

    Linked items carry their light as of ``today`` (raised items first, then
    discussed ones, each by item number).
    """
    meeting = get_meeting(session, key=key)
    chain = session.get(Chain, meeting.chain_id)
    assert chain is not None
    chair = session.get(Person, meeting.chair_id) if meeting.chair_id else None
    linked = session.exec(
        select(MeetingItem.relation, Item)
        .join(Item, col(Item.id) == MeetingItem.item_id)
        .where(MeetingItem.meeting_id == meeting.id)
    ).all()
    linked = sorted(linked, key=lambda r: (RELATIONS.index(r[0]), r[1].number))
    events = session.exec(
        select(Event, Item.key)
        .outerjoin(Item, col(Item.id) == Event.item_id)
        .where(Event.meeting_id == meeting.id)
        .order_by(col(Event.at), col(Event.id))
    ).all()
    return MeetingDetail(
        key=meeting.key,
        chain=chain.code,
        chain_name=chain.name,
        kind=meeting.kind,
        month=meeting.month,
        held_on=meeting.held_on,
        chair=chair.name if chair else None,
        summary=meeting.summary,
        attendees=tuple(a.name for a in _attendee_rows(session, meeting.id)),  # type: ignore[arg-type]
        decisions=tuple(d.text for d in _decision_rows(session, meeting.id)),  # type: ignore[arg-type]
        figures=tuple(
            Figure(name=f.name, value=f.value, unit=f.unit)
            for f in _figure_rows(session, meeting.id)  # type: ignore[arg-type]
        ),
        items=tuple(
            LinkedItem(
                key=item.key,
                relation=relation,
                title=item.title,
                status=item.status,
                unit=item.unit,
                due_on=item.due_on,
                resolved_on=item.resolved_on,
                light=_item_light(item, today, warning_days),
            )
            for relation, item in linked
        ),
        created_at=meeting.created_at,
        history=tuple(
            MeetingChange(
                at=e.at,
                actor=e.actor,
                kind=e.kind,
                item=item_key,
                field=e.field,
                old=e.old,
                new=e.new,
                text=e.text,
            )
            for e, item_key in events
        ),
    )


def _summaries(session: Session, meetings: Sequence[Meeting]) -> list[MeetingSummary]:
    if not meetings:
        return []
    ids = [m.id for m in meetings]
    codes = dict(session.exec(select(Chain.id, Chain.code)).all())
    chairs = dict(
        session.exec(
            select(Person.id, Person.name).where(
                col(Person.id).in_({m.chair_id for m in meetings if m.chair_id})
            )
        ).all()
    )

    def counts(model: type, *where: object) -> dict[int, int]:
        return dict(
            session.exec(
                select(model.meeting_id, func.count())  # type: ignore[attr-defined]
                .where(model.meeting_id.in_(ids), *where)  # type: ignore[attr-defined]
                .group_by(model.meeting_id)  # type: ignore[attr-defined]
            ).all()
        )

    decisions = counts(MeetingDecision)
    figures = counts(MeetingFigure)
    raised = counts(MeetingItem, MeetingItem.relation == RAISED)
    discussed = counts(MeetingItem, MeetingItem.relation == DISCUSSED)
    return [
        MeetingSummary(
            key=m.key,
            chain=codes[m.chain_id],
            kind=m.kind,
            month=m.month,
            held_on=m.held_on,
            chair=chairs.get(m.chair_id) if m.chair_id else None,
            decisions=decisions.get(m.id, 0),  # type: ignore[arg-type]
            figures=figures.get(m.id, 0),  # type: ignore[arg-type]
            raised=raised.get(m.id, 0),  # type: ignore[arg-type]
            discussed=discussed.get(m.id, 0),  # type: ignore[arg-type]
            summary=m.summary,
        )
        for m in meetings
    ]


def list_meetings(
    session: Session,
    *,
    chain: str | None = None,
    month: str | None = None,
    from_month: str | None = None,
    to_month: str | None = None,
    kind: str | None = None,
) -> list[MeetingSummary]:
    """Meeting entries, by month, chain, day held and number (follow-ups in order).

    ``month`` picks one month; ``from_month``/``to_month`` an inclusive range
    (either end may be open); ``month`` cannot be combined with the range.
    """
    if month is not None and (from_month is not None or to_month is not None):
        raise InvalidInput("--month", "give either --month or --from/--to, not both")
    month = parse_month("--month", month) if month is not None else None
    from_month = parse_month("--from", from_month) if from_month is not None else None
    to_month = parse_month("--to", to_month) if to_month is not None else None
    if from_month and to_month and from_month > to_month:
        raise InvalidInput(
            "--from/--to", f"expected --from on or before --to ({to_month})", from_month
        )
    kind = parse_kind(kind) if kind is not None else None
    query = select(Meeting)
    if chain is not None:
        found = get_chain(session, code=chain, field="--chain")
        query = query.where(Meeting.chain_id == found.id)
    if month is not None:
        query = query.where(Meeting.month == month)
    if from_month is not None:
        query = query.where(Meeting.month >= from_month)
    if to_month is not None:
        query = query.where(Meeting.month <= to_month)
    if kind is not None:
        query = query.where(Meeting.kind == kind)
    meetings = session.exec(
        query.join(Chain, col(Chain.id) == Meeting.chain_id).order_by(
            col(Meeting.month), col(Chain.code), col(Meeting.held_on), col(Meeting.number)
        )
    ).all()
    return _summaries(session, meetings)


def missing_meetings(session: Session, *, month: str) -> list[MissingMeeting]:
    """Chains expected to hold a scheduling meeting in ``month`` with none recorded.

    Expected: created on or before the month's last day, and not archived on or
    before it (see the module doc). Other kinds of meeting do not count. Each
    row names the chain's current leader and responsible person and the last
    scheduling meeting held before the month, if any. Ordered by chain code.
    """
    month = parse_month("--month", month)
    first, last = month_bounds(month)
    chains = [
        c
        for c in session.exec(select(Chain).order_by(col(Chain.code))).all()
        if c.created_at.date() <= last and (c.archived_on is None or c.archived_on > last)
    ]
    held = set(
        session.exec(
            select(Meeting.chain_id).where(Meeting.month == month, Meeting.kind == SCHEDULING)
        ).all()
    )
    missing = [c for c in chains if c.id not in held]
    if not missing:
        return []
    ids = [c.id for c in missing]
    holders = {
        (chain_id, role): name
        for chain_id, role, name in session.exec(
            select(Membership.chain_id, Membership.role, Person.name)
            .join(Person, col(Person.id) == Membership.person_id)
            .where(
                col(Membership.chain_id).in_(ids),
                col(Membership.until).is_(None),
                col(Membership.role).in_((LEADER, RESPONSIBLE)),
            )
        ).all()
    }
    earlier: dict[int, Meeting] = {}
    for meeting in session.exec(
        select(Meeting)
        .where(
            col(Meeting.chain_id).in_(ids),
            Meeting.kind == SCHEDULING,
            Meeting.month < month,
        )
        .order_by(col(Meeting.held_on), col(Meeting.number))
    ).all():
        earlier[meeting.chain_id] = meeting
    return [
        MissingMeeting(
            chain=c.code,
            name=c.name,
            month=month,
            leader=holders.get((c.id, LEADER)),  # type: ignore[arg-type]
            responsible=holders.get((c.id, RESPONSIBLE)),  # type: ignore[arg-type]
            last_meeting=earlier[c.id].key if c.id in earlier else None,  # type: ignore[index]
            last_held_on=earlier[c.id].held_on if c.id in earlier else None,  # type: ignore[index]
        )
        for c in missing
    ]


def _agenda_item(
    item: Item, owners: dict[int, str], today: date, warning_days: int, relation: str | None
) -> AgendaItem:
    return AgendaItem(
        key=item.key,
        title=item.title,
        status=item.status,
        light=_item_light(item, today, warning_days),
        unit=item.unit,
        owner=owners.get(item.owner_id) if item.owner_id else None,
        due_on=item.due_on,
        resolved_on=item.resolved_on,
        resolution=item.resolution,
        status_reason=item.status_reason,
        relation=relation,
    )


def agenda(session: Session, *, chain: str, today: date, warning_days: int = 7) -> Agenda:
    """What the chain's next scheduling meeting should take up (see ``Agenda``).

    The last meeting is the chain's latest scheduling entry held on or before
    ``today``. Lists are ordered by due date (sign-offs by resolved date).
    """
    found = get_chain(session, code=chain)
    leader = leader_on(session, chain_id=found.id, day=today)  # type: ignore[arg-type]
    last = session.exec(
        select(Meeting)
        .where(
            Meeting.chain_id == found.id,
            Meeting.kind == SCHEDULING,
            col(Meeting.held_on) <= today,
        )
        .order_by(col(Meeting.held_on).desc(), col(Meeting.number).desc())
    ).first()
    items = session.exec(
        select(Item).where(Item.chain_id == found.id).order_by(col(Item.due_on), col(Item.number))
    ).all()
    owners = dict(
        session.exec(
            select(Person.id, Person.name).where(
                col(Person.id).in_({i.owner_id for i in items if i.owner_id})
            )
        ).all()
    )

    def entry(item: Item, relation: str | None = None) -> AgendaItem:
        return _agenda_item(item, owners, today, warning_days, relation)  # type: ignore[arg-type]

    pending = [entry(i) for i in items if i.status in OPEN_STATUSES]
    signoff = sorted(
        (entry(i) for i in items if i.status == "resolved"),
        key=lambda a: (a.resolved_on or today, a.key),
    )
    last_items: list[AgendaItem] = []
    decisions: tuple[str, ...] = ()
    if last is not None:
        decisions = tuple(d.text for d in _decision_rows(session, last.id))  # type: ignore[arg-type]
        named = session.exec(
            select(MeetingItem.relation, Item)
            .join(Item, col(Item.id) == MeetingItem.item_id)
            .where(MeetingItem.meeting_id == last.id)
        ).all()
        last_items = [
            entry(item, relation)
            for relation, item in sorted(named, key=lambda r: (RELATIONS.index(r[0]), r[1].number))
        ]
    return Agenda(
        chain=found.code,
        chain_name=found.name,
        leader=leader.name if leader else None,
        today=today,
        last_meeting=_summaries(session, [last])[0] if last is not None else None,
        last_decisions=decisions,
        red=tuple(a for a in pending if a.light == "red" and a.status != "blocked"),
        yellow=tuple(a for a in pending if a.light == "yellow" and a.status != "blocked"),
        blocked=tuple(a for a in pending if a.status == "blocked"),
        awaiting_signoff=tuple(signoff),
        last_items=tuple(last_items),
    )
