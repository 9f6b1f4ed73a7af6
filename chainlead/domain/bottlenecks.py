"""Bottleneck items: an enterprise's problem from raised to resolved and closed.

Status flow::

    open -> in_progress -> resolved -> closed
    open | in_progress -> blocked       (block, with a reason)
    blocked -> in_progress              (start)
    open | in_progress | blocked -> resolved   (resolve, with how)
    open | in_progress | blocked -> dropped    (drop, with why)
    resolved | closed | dropped -> open        (reopen, with why)

``close`` is the sign-off of a resolved item by the chain's responsible person
or chain leader after asking the enterprise; an unsatisfied enterprise reopens
the item instead. Every change writes one event through ``history.record``;
the item's status is always the ``new`` value of its last event with
``field == "status"`` (see ``replay_status``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import case, func, or_
from sqlmodel import Session, select

from chainlead.domain import Stamp
from chainlead.domain.chains import (
    LEADER,
    RESPONSIBLE,
    get_chain,
    lock_chain,
    require_active,
)
from chainlead.domain.history import record
from chainlead.domain.lights import (
    DONE_STATUSES,
    OPEN_STATUSES,
    STATUSES,
    days_open,
    days_over,
    light,
)
from chainlead.domain.people import ensure_person
from chainlead.errors import (
    InvalidInput,
    ItemNotFound,
    MeetingNotFound,
    RuleViolation,
    TransitionRefused,
)
from chainlead.models import Chain, Event, Item, Meeting, MeetingItem, Membership, Person
from chainlead.values import check_name, check_text

__all__ = [
    "DONE_STATUSES",
    "OPEN_STATUSES",
    "PRIORITIES",
    "SORTS",
    "SOURCES",
    "STATUSES",
    "ItemDetail",
    "ItemEvent",
    "ItemRow",
    "ItemState",
    "LinkedMeeting",
    "add_item",
    "block_item",
    "close_item",
    "drop_item",
    "edit_item",
    "get_item",
    "item_detail",
    "list_items",
    "note_item",
    "reopen_item",
    "replay_status",
    "resolve_item",
    "start_item",
]

PRIORITIES = ("low", "normal", "high", "urgent")
SOURCES = ("scheduling", "breakfast", "salon", "visit", "other")
FEEDBACKS = ("satisfied", "unsatisfied")
SORTS = ("due", "raised", "priority", "key")

TITLE_MAX = 500
TEXT_MAX = 5000
CATEGORY_MAX = 100

KEY_FORM = "expected an item key such as IC-12"
_KEY = re.compile(r"^([A-Z][A-Z0-9]{0,9})-(\d{1,9})$")
_MEETING_KEY = re.compile(r"^([A-Z][A-Z0-9]{0,9})-M(\d{1,9})$")

# Which actions each status allows, in the order they are suggested.
ACTIONS: dict[str, tuple[str, ...]] = {
    "open": ("start", "block", "resolve", "drop"),
    "in_progress": ("block", "resolve", "drop"),
    "blocked": ("start", "resolve", "drop"),
    "resolved": ("close", "reopen"),
    "closed": ("reopen",),
    "dropped": ("reopen",),
}


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class ItemRow:
    """One line of ``bottleneck list``."""

    key: str
    chain: str
    title: str
    status: str
    light: str
    priority: str
    unit: str
    owner: str | None
    enterprise: str | None
    category: str | None
    source: str
    raised_on: date
    due_on: date
    resolved_on: date | None
    days_open: int
    days_over: int


@dataclass(frozen=True)
class ItemEvent:
    """One entry of an item's history, oldest first."""

    at: datetime
    actor: str
    kind: str
    field: str | None
    old: str | None
    new: str | None
    text: str | None
    person: str | None  # the person signing off or asked (close), when any
    meeting: str | None  # the meeting key of a ``linked`` event


@dataclass(frozen=True)
class LinkedMeeting:
    key: str
    kind: str
    held_on: date
    relation: str  # raised | discussed


@dataclass(frozen=True)
class ItemDetail:
    """Everything about one item, for ``bottleneck show``."""

    key: str
    chain: str
    chain_name: str
    title: str
    detail: str | None
    enterprise: str | None
    source: str
    category: str | None
    priority: str
    unit: str
    owner: str | None
    raised_on: date
    due_on: date
    status: str
    light: str
    status_reason: str | None
    resolution: str | None
    resolved_on: date | None
    resolved_by: str | None  # who recorded the resolution
    closed_on: date | None
    closed_by: str | None  # who signed the item off
    days_open: int
    days_over: int
    next_steps: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    meetings: tuple[LinkedMeeting, ...]
    history: tuple[ItemEvent, ...]


@dataclass(frozen=True)
class ItemState:
    """An item after a change: what the CLI tells the user."""

    key: str
    title: str
    status: str
    previous: str  # the status before the change
    due_on: date
    resolved_on: date | None
    closed_on: date | None


def _state(item: Item, previous: str) -> ItemState:
    return ItemState(
        key=item.key,
        title=item.title,
        status=item.status,
        previous=previous,
        due_on=item.due_on,
        resolved_on=item.resolved_on,
        closed_on=item.closed_on,
    )


class _StatusEvent(Protocol):
    @property
    def field(self) -> str | None: ...

    @property
    def new(self) -> str | None: ...


# --------------------------------------------------------------------------- lookups


def parse_key(key: str, field: str = "key") -> tuple[str, int]:
    """``ic-12`` -> ("IC", 12); InvalidInput for anything that is not a key."""
    match = _KEY.match(key.strip().upper()) if isinstance(key, str) else None
    if not match:
        raise InvalidInput(field, KEY_FORM, key)
    return match.group(1), int(match.group(2))


def _suggest_keys(session: Session, code: str, number: int) -> list[str]:
    """The closest existing keys: same chain first, then similarly named chains."""
    codes = list(session.exec(select(Chain.code)).all())
    wanted = f"{code}-{number}"
    chains = [code] if code in codes else difflib.get_close_matches(code, codes, n=3)
    if not chains:
        return []
    # Numbers near the one asked for, and all keys for a similarity match.
    keys = list(
        session.exec(
            select(Item.key)
            .join(Chain, Chain.id == Item.chain_id)
            .where(Chain.code.in_(chains))  # type: ignore[attr-defined]
            .order_by(func.abs(Item.number - number))
            .limit(2000)
        ).all()
    )
    close = difflib.get_close_matches(wanted, keys, n=3, cutoff=0.5)
    return close or keys[:3]


def get_item(session: Session, *, key: str, for_update: bool = False, field: str = "key") -> Item:
    """The item with this key (any case), or ItemNotFound naming the closest keys."""
    code, number = parse_key(key, field)
    query = select(Item).where(Item.key == f"{code}-{number}")
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    item = session.exec(query).first()
    if item is None:
        raise ItemNotFound(
            "bottleneck item", f"{code}-{number}", _suggest_keys(session, code, number)
        )
    return item


def replay_status(events: Iterable[_StatusEvent]) -> str:
    """The status an item's history leads to: the last status change, else open."""
    status = "open"
    for event in events:
        if event.field == "status" and event.new:
            status = event.new
    return status


# --------------------------------------------------------------------------- checks


def _choice(field: str, value: str, allowed: Sequence[str]) -> str:
    cleaned = value.strip().lower() if isinstance(value, str) else value
    if cleaned not in allowed:
        raise InvalidInput(field, "expected one of " + ", ".join(allowed), value)
    return cleaned


def _title(value: str | None, field: str = "title") -> str:
    return check_text(field, value, required=True, max_len=TITLE_MAX, multiline=False) or ""


def _category(value: str | None) -> str | None:
    return check_text("--category", value, max_len=CATEGORY_MAX, multiline=False)


def _check_due(due: date, raised: date, field: str = "--due") -> None:
    if due < raised:
        raise RuleViolation(
            f"{field}: the time limit {due.isoformat()} is before the raised date "
            f"{raised.isoformat()}"
        )


def _writable(session: Session, item: Item) -> Chain:
    """The item's chain, refusing items of archived chains."""
    chain = session.get(Chain, item.chain_id)
    assert chain is not None
    if chain.status != "active":
        raise RuleViolation(f"{item.key}: chain {chain.code} is archived; it accepts no new work")
    return chain


def _refuse(item: Item, action: str) -> TransitionRefused:
    status = item.status
    allowed = ACTIONS.get(status, ())
    if status == "dropped":
        return TransitionRefused(
            f"{item.key} is dropped; reopen it first with "
            f"`chainlead bottleneck reopen {item.key} --why ...`"
        )
    if action == "resolve" and status in DONE_STATUSES:
        done = f" on {item.resolved_on.isoformat()}" if item.resolved_on else ""
        prefix = f"{item.key} is already {status} (resolved{done})"
    elif action == "start" and status == "in_progress":
        prefix = f"{item.key} is already in progress"
    elif action == "block" and status == "blocked":
        prefix = f"{item.key} is already blocked"
    elif action == "close" and status == "closed":
        prefix = f"{item.key} is already closed"
    elif action == "close" and status in OPEN_STATUSES:
        prefix = f"{item.key} is {status}; only a resolved item can be closed (signed off)"
    else:
        prefix = f"cannot {action} {item.key}: it is {status}"
    return TransitionRefused(f"{prefix}; allowed next: {', '.join(allowed) or 'nothing'}")


def _guard(session: Session, item: Item, action: str) -> Chain:
    chain = _writable(session, item)
    if action not in ACTIONS.get(item.status, ()):
        raise _refuse(item, action)
    return chain


def _load(session: Session, key: str) -> Item:
    return get_item(session, key=key, for_update=True)


def _set_status(
    session: Session,
    item: Item,
    *,
    new: str,
    stamp: Stamp,
    kind: str = "status",
    text: str | None = None,
    person_id: int | None = None,
) -> None:
    record(
        session,
        stamp=stamp,
        kind=kind,
        chain_id=item.chain_id,
        item_id=item.id,
        person_id=person_id,
        field="status",
        old=item.status,
        new=new,
        text=text,
    )
    item.status = new
    item.updated_at = stamp.at


def _find_meeting(session: Session, *, key: str, chain: Chain) -> Meeting:
    cleaned = key.strip().upper()
    if not _MEETING_KEY.match(cleaned):
        raise InvalidInput("--meeting", "expected a meeting key such as IC-M3", key)
    meeting = session.exec(select(Meeting).where(Meeting.key == cleaned)).first()
    if meeting is None:
        keys = list(session.exec(select(Meeting.key).where(Meeting.chain_id == chain.id)).all())
        raise MeetingNotFound("meeting", cleaned, difflib.get_close_matches(cleaned, keys, n=3))
    if meeting.chain_id != chain.id:
        raise RuleViolation(
            f"--meeting: meeting {meeting.key} belongs to another chain, not {chain.code}"
        )
    return meeting


def link_meeting(
    session: Session,
    *,
    item: Item,
    meeting: Meeting,
    relation: str,
    stamp: Stamp,
    option: str = "--meeting",
) -> Event | None:
    """Link an item to a meeting (``raised`` or ``discussed``); None when already linked.

    The one writer of item-meeting links (``bottleneck add --meeting`` and
    ``schedule add|edit --raises/--discusses``). An item is raised at one
    meeting only, and one meeting links an item in one way only.
    """
    links = session.exec(
        select(MeetingItem, Meeting.key)
        .join(Meeting, Meeting.id == MeetingItem.meeting_id)  # type: ignore[arg-type]
        .where(MeetingItem.item_id == item.id)
    ).all()
    for link, key in links:
        if link.meeting_id == meeting.id:
            if link.relation == relation:
                return None
            raise RuleViolation(
                f"{option}: {item.key} is already linked to {meeting.key} as {link.relation}; "
                f"unlink it first with --unlink {item.key}"
            )
        if relation == "raised" and link.relation == "raised":
            raise RuleViolation(
                f"{option}: {item.key} was first raised at {key}; link it with --discusses instead"
            )
    session.add(MeetingItem(meeting_id=meeting.id, item_id=item.id, relation=relation))  # type: ignore[arg-type]
    return record(
        session,
        stamp=stamp,
        kind="linked",
        chain_id=item.chain_id,
        item_id=item.id,
        meeting_id=meeting.id,
        field=relation,
        text=meeting.key,
    )


# --------------------------------------------------------------------------- writes


def add_item(
    session: Session,
    *,
    chain: str,
    title: str,
    unit: str,
    due: date,
    stamp: Stamp,
    owner: str | None = None,
    enterprise: str | None = None,
    source: str = "other",
    category: str | None = None,
    priority: str = "normal",
    raised_on: date | None = None,
    detail: str | None = None,
    meeting: str | None = None,
    warning_days: int = 7,
) -> ItemDetail:
    """Put a new bottleneck item on a chain's list; its key is ``<CHAIN>-<n>``."""
    title = _title(title)
    unit_name = check_name("--unit", unit) or ""
    enterprise = check_name("--enterprise", enterprise, required=False)
    detail = check_text("--detail", detail, max_len=TEXT_MAX)
    category = _category(category)
    source = _choice("--source", source, SOURCES)
    priority = _choice("--priority", priority, PRIORITIES)
    raised = raised_on or stamp.today
    if raised > stamp.today:
        raise RuleViolation(
            f"--raised-on: {raised.isoformat()} is in the future (today is "
            f"{stamp.today.isoformat()})"
        )
    _check_due(due, raised)
    locked = lock_chain(session, code=chain)
    require_active(locked)
    linked = _find_meeting(session, key=meeting, chain=locked) if meeting else None
    owner_person = (
        ensure_person(session, name=owner, stamp=stamp, field="--owner") if owner else None
    )
    number = locked.next_item_no
    locked.next_item_no = number + 1
    item = Item(
        key=f"{locked.code}-{number}",
        chain_id=locked.id,  # type: ignore[arg-type]
        number=number,
        title=title,
        detail=detail,
        enterprise=enterprise,
        source=source,
        category=category,
        priority=priority,
        unit=unit_name,
        owner_id=owner_person.id if owner_person else None,
        raised_on=raised,
        due_on=due,
        status="open",
        created_at=stamp.at,
        updated_at=stamp.at,
    )
    session.add(item)
    session.flush()
    created = record(
        session,
        stamp=stamp,
        kind="created",
        chain_id=item.chain_id,
        item_id=item.id,
        new="open",
        text=title,
    )
    history = [_event(created, None, None)]
    meetings: tuple[LinkedMeeting, ...] = ()
    if linked is not None:
        link = link_meeting(session, item=item, meeting=linked, relation="raised", stamp=stamp)
        assert link is not None  # a new item has no links yet
        history.append(_event(link, None, linked.key))
        meetings = (LinkedMeeting(linked.key, linked.kind, linked.held_on, "raised"),)
    session.flush()
    return _detail(
        session,
        item,
        today=stamp.today,
        warning_days=warning_days,
        known=(tuple(history), meetings),
    )


def note_item(session: Session, *, key: str, text: str, stamp: Stamp) -> ItemState:
    """Append a progress note to the item's history."""
    note = check_text("note", text, required=True, max_len=TEXT_MAX) or ""
    item = _load(session, key)
    previous = item.status
    _writable(session, item)
    if item.status == "dropped":
        raise _refuse(item, "note")
    record(session, stamp=stamp, kind="note", chain_id=item.chain_id, item_id=item.id, text=note)
    item.updated_at = stamp.at
    session.flush()
    return _state(item, previous)


def start_item(session: Session, *, key: str, stamp: Stamp, note: str | None = None) -> ItemState:
    """Work has started (from open), or a blocked item moves again."""
    text = check_text("--note", note, max_len=TEXT_MAX)
    item = _load(session, key)
    previous = item.status
    _guard(session, item, "start")
    _set_status(session, item, new="in_progress", stamp=stamp, text=text)
    item.status_reason = None
    session.flush()
    return _state(item, previous)


def block_item(session: Session, *, key: str, reason: str, stamp: Stamp) -> ItemState:
    """The item cannot move until something outside the team changes."""
    why = check_text("reason", reason, required=True, max_len=TEXT_MAX) or ""
    item = _load(session, key)
    previous = item.status
    _guard(session, item, "block")
    _set_status(session, item, new="blocked", stamp=stamp, text=why)
    item.status_reason = why
    session.flush()
    return _state(item, previous)


def resolve_item(
    session: Session, *, key: str, how: str, stamp: Stamp, on: date | None = None
) -> ItemState:
    """Record that the problem is solved, how, and on which day."""
    how_text = check_text("--how", how, required=True, max_len=TEXT_MAX) or ""
    resolved_on = on or stamp.today
    item = _load(session, key)
    previous = item.status
    _guard(session, item, "resolve")
    if resolved_on > stamp.today:
        raise RuleViolation(
            f"--on: {resolved_on.isoformat()} is in the future (today is {stamp.today.isoformat()})"
        )
    if resolved_on < item.raised_on:
        raise RuleViolation(
            f"--on: {resolved_on.isoformat()} is before {item.key} was raised "
            f"({item.raised_on.isoformat()})"
        )
    _set_status(session, item, new="resolved", kind="resolved", stamp=stamp, text=how_text)
    item.resolution = how_text
    item.resolved_on = resolved_on
    item.status_reason = None
    session.flush()
    return _state(item, previous)


def _signer(session: Session, *, chain: Chain, by: str) -> Person:
    """The chain's current responsible person or chain leader named ``by``."""
    name = check_name("--by", by) or ""
    holders = session.exec(
        select(Person, Membership.role)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.chain_id == chain.id,
            Membership.until.is_(None),  # type: ignore[union-attr]
            Membership.role.in_((LEADER, RESPONSIBLE)),  # type: ignore[attr-defined]
        )
    ).all()
    for person, _role in holders:
        if person.name.casefold() == name.casefold():
            return person
    named = ", ".join(
        f"{person.name} ({'chain leader' if role == LEADER else 'responsible'})"
        for person, role in sorted(holders, key=lambda h: h[1])
    )
    raise RuleViolation(
        f"--by: {name} cannot sign off {chain.code} items; "
        f"the sign-off is by the responsible person or the chain leader: {named}"
    )


def close_item(
    session: Session,
    *,
    key: str,
    by: str,
    feedback: str,
    stamp: Stamp,
    note: str | None = None,
) -> ItemState:
    """Sign off (销号) a resolved item after asking the enterprise.

    ``satisfied`` closes it; ``unsatisfied`` reopens it instead, with the
    enterprise's answer on record.
    """
    answer = _choice("--feedback", feedback, FEEDBACKS)
    note_text = check_text("--note", note, max_len=TEXT_MAX)
    item = _load(session, key)
    previous = item.status
    chain = _guard(session, item, "close")
    person = _signer(session, chain=chain, by=by)
    said = f"enterprise {answer}, asked by {person.name}"
    text = f"{said}: {note_text}" if note_text else said
    if answer == "satisfied":
        _set_status(session, item, new="closed", stamp=stamp, text=text, person_id=person.id)
        item.closed_on = stamp.today
    else:
        _set_status(
            session,
            item,
            new="open",
            kind="reopened",
            stamp=stamp,
            text=text,
            person_id=person.id,
        )
        _clear_resolution(item)
        item.status_reason = text
    session.flush()
    return _state(item, previous)


def _clear_resolution(item: Item) -> None:
    """The resolution stays in history; the item itself is open work again."""
    item.resolution = None
    item.resolved_on = None
    item.closed_on = None


def reopen_item(session: Session, *, key: str, why: str, stamp: Stamp) -> ItemState:
    """Return a resolved, closed or dropped item to the open list."""
    reason = check_text("--why", why, required=True, max_len=TEXT_MAX) or ""
    item = _load(session, key)
    previous = item.status
    _guard(session, item, "reopen")
    _set_status(session, item, new="open", kind="reopened", stamp=stamp, text=reason)
    _clear_resolution(item)
    item.status_reason = reason
    session.flush()
    return _state(item, previous)


def drop_item(session: Session, *, key: str, why: str, stamp: Stamp) -> ItemState:
    """End an item that will not be pursued (kept, with the reason)."""
    reason = check_text("--why", why, required=True, max_len=TEXT_MAX) or ""
    item = _load(session, key)
    previous = item.status
    _guard(session, item, "drop")
    _set_status(session, item, new="dropped", stamp=stamp, text=reason)
    item.status_reason = reason
    session.flush()
    return _state(item, previous)


def edit_item(
    session: Session,
    *,
    key: str,
    stamp: Stamp,
    title: str | None = None,
    detail: str | None = None,
    enterprise: str | None = None,
    source: str | None = None,
    category: str | None = None,
    priority: str | None = None,
    unit: str | None = None,
    owner: str | None = None,
    due: date | None = None,
    raised_on: date | None = None,
    why: str | None = None,
) -> list[ItemEvent]:
    """Change an item's fields; each change is one ``edited`` event (old -> new).

    Moving the time limit (``due``) needs ``why``. ``None`` leaves a field as
    it is. Returns the changes made (empty when nothing differed).
    """
    reason = check_text("--why", why, max_len=TEXT_MAX)
    wanted: dict[str, Any] = {}
    if title is not None:
        wanted["title"] = _title(title, "--title")
    if detail is not None:
        wanted["detail"] = check_text("--detail", detail, max_len=TEXT_MAX)
    if enterprise is not None:
        wanted["enterprise"] = check_name("--enterprise", enterprise, required=False)
    if source is not None:
        wanted["source"] = _choice("--source", source, SOURCES)
    if category is not None:
        wanted["category"] = _category(category)
    if priority is not None:
        wanted["priority"] = _choice("--priority", priority, PRIORITIES)
    if unit is not None:
        wanted["unit"] = check_name("--unit", unit)
    owner_name = check_name("--owner", owner) if owner is not None else None
    if due is not None:
        wanted["due_on"] = due
    if raised_on is not None:
        if raised_on > stamp.today:
            raise RuleViolation(f"--raised-on: {raised_on.isoformat()} is in the future")
        wanted["raised_on"] = raised_on
    item = _load(session, key)
    _writable(session, item)
    if item.status == "dropped":
        raise _refuse(item, "edit")
    new_raised = wanted.get("raised_on", item.raised_on)
    new_due = wanted.get("due_on", item.due_on)
    if "due_on" in wanted or "raised_on" in wanted:
        _check_due(new_due, new_raised, "--due" if "due_on" in wanted else "--raised-on")
    if item.resolved_on is not None and item.resolved_on < new_raised:
        raise RuleViolation(
            f"--raised-on: {item.key} was resolved on {item.resolved_on.isoformat()}, "
            "before that date"
        )
    if new_due != item.due_on and not reason:
        raise InvalidInput("--why", "moving the time limit needs a reason: give --why TEXT")
    changes: list[ItemEvent] = []

    def change(field: str, old: object, new: object) -> None:
        event = record(
            session,
            stamp=stamp,
            kind="edited",
            chain_id=item.chain_id,
            item_id=item.id,
            field=field,
            old=old,
            new=new,
            text=reason,
        )
        changes.append(_event(event, None, None))

    for field, value in wanted.items():
        old = getattr(item, field)
        if value != old:
            change(field, old, value)
            setattr(item, field, value)
    if owner_name is not None:
        old_owner = session.get(Person, item.owner_id).name if item.owner_id else None  # type: ignore[union-attr]
        if owner_name != old_owner:
            person = ensure_person(session, name=owner_name, stamp=stamp, field="--owner")
            change("owner", old_owner, person.name)
            item.owner_id = person.id
    if changes:
        item.updated_at = stamp.at
    session.flush()
    return changes


# --------------------------------------------------------------------------- reads


def _event(event: Event, person: str | None, meeting: str | None) -> ItemEvent:
    return ItemEvent(
        at=event.at,
        actor=event.actor,
        kind=event.kind,
        field=event.field,
        old=event.old,
        new=event.new,
        text=event.text,
        person=person,
        meeting=meeting,
    )


def _detail(
    session: Session,
    item: Item,
    *,
    today: date,
    warning_days: int,
    known: tuple[tuple[ItemEvent, ...], tuple[LinkedMeeting, ...]] | None = None,
) -> ItemDetail:
    """The item's detail; ``known`` (history, meetings) spares the queries for a new item."""
    chain = session.get(Chain, item.chain_id)
    assert chain is not None
    owner = session.get(Person, item.owner_id) if item.owner_id else None
    if known is not None:
        history, meetings = known
    else:
        rows = session.exec(
            select(Event, Person.name, Meeting.key)
            .outerjoin(Person, Person.id == Event.person_id)
            .outerjoin(Meeting, Meeting.id == Event.meeting_id)
            .where(Event.item_id == item.id)
            .order_by(Event.at, Event.id)
        ).all()
        history = tuple(_event(e, person, meeting) for e, person, meeting in rows)
        links = session.exec(
            select(Meeting.key, Meeting.kind, Meeting.held_on, MeetingItem.relation)
            .join(MeetingItem, MeetingItem.meeting_id == Meeting.id)
            .where(MeetingItem.item_id == item.id)
            .order_by(Meeting.held_on, Meeting.id, MeetingItem.relation)
        ).all()
        meetings = tuple(
            LinkedMeeting(key=k, kind=kind, held_on=held, relation=rel)
            for k, kind, held, rel in links
        )
    resolved_by = closed_by = None
    for entry in history:
        if entry.field == "status" and entry.new == "resolved":
            resolved_by = entry.actor
        if entry.field == "status" and entry.new == "closed":
            closed_by = entry.person or entry.actor
    if item.status not in DONE_STATUSES:
        resolved_by = None
    if item.status != "closed":
        closed_by = None
    finished = item.resolved_on if item.status in DONE_STATUSES else None
    return ItemDetail(
        key=item.key,
        chain=chain.code,
        chain_name=chain.name,
        title=item.title,
        detail=item.detail,
        enterprise=item.enterprise,
        source=item.source,
        category=item.category,
        priority=item.priority,
        unit=item.unit,
        owner=owner.name if owner else None,
        raised_on=item.raised_on,
        due_on=item.due_on,
        status=item.status,
        light=light(
            status=item.status,
            due_on=item.due_on,
            resolved_on=item.resolved_on,
            today=today,
            warning_days=warning_days,
        ),
        status_reason=item.status_reason,
        resolution=item.resolution,
        resolved_on=item.resolved_on,
        resolved_by=resolved_by,
        closed_on=item.closed_on,
        closed_by=closed_by,
        days_open=days_open(raised_on=item.raised_on, resolved_on=finished, today=today),
        days_over=days_over(due_on=item.due_on, resolved_on=finished, today=today),
        next_steps=ACTIONS.get(item.status, ()),
        created_at=item.created_at,
        updated_at=item.updated_at,
        meetings=meetings,
        history=history,
    )


def item_detail(session: Session, *, key: str, today: date, warning_days: int = 7) -> ItemDetail:
    """Every field of one item, its linked meetings and its whole history in order."""
    item = get_item(session, key=key)
    return _detail(session, item, today=today, warning_days=warning_days)


_PRIORITY_RANK = case({"urgent": 0, "high": 1, "normal": 2, "low": 3}, value=Item.priority, else_=4)


def list_items(
    session: Session,
    *,
    today: date,
    warning_days: int = 7,
    chain: str | None = None,
    statuses: Sequence[str] | None = None,
    unit: str | None = None,
    owner: str | None = None,
    enterprise: str | None = None,
    category: str | None = None,
    overdue: bool = False,
    due_within: int | None = None,
    raised_in: tuple[date, date] | None = None,
    resolved_in: tuple[date, date] | None = None,
    search: str | None = None,
    sort: str = "due",
    limit: int | None = None,
) -> list[ItemRow]:
    """Items matching every filter given, in one query.

    ``statuses`` None means open work (open, in_progress, blocked), unless
    ``resolved_in`` is given (then any status); ``unit``, ``owner``,
    ``enterprise`` and ``search`` match case-insensitively anywhere in the
    text (``search`` in title and detail); ``category`` matches whole, any
    case; ``overdue``: unresolved and past due; ``due_within`` N: unresolved
    and due from today to today + N days; ``raised_in``/``resolved_in``: an
    inclusive date range (a month's bounds).
    """
    sort = _choice("--sort", sort, SORTS)
    if limit is not None and limit < 1:
        raise InvalidInput("--limit", "expected a whole number of at least 1", limit)
    if statuses:
        wanted = tuple(dict.fromkeys(_choice("--status", s, STATUSES) for s in statuses))
    elif resolved_in is not None:
        wanted = STATUSES
    else:
        wanted = OPEN_STATUSES
    query = (
        select(
            Item.key,
            Chain.code,
            Item.title,
            Item.status,
            Item.priority,
            Item.unit,
            Person.name,
            Item.enterprise,
            Item.category,
            Item.source,
            Item.raised_on,
            Item.due_on,
            Item.resolved_on,
        )
        .join(Chain, Chain.id == Item.chain_id)
        .outerjoin(Person, Person.id == Item.owner_id)
    )
    if set(wanted) != set(STATUSES):
        query = query.where(Item.status.in_(wanted))  # type: ignore[attr-defined]
    if chain is not None:
        query = query.where(Item.chain_id == get_chain(session, code=chain, field="--chain").id)
    for field, column, value in (
        ("--unit", Item.unit, unit),
        ("--owner", Person.name, owner),
        ("--enterprise", Item.enterprise, enterprise),
    ):
        if value is not None:
            text = check_name(field, value) or ""
            query = query.where(func.lower(column).contains(text.lower(), autoescape=True))
    if category is not None:
        text = check_name("--category", category) or ""
        query = query.where(func.lower(Item.category) == text.lower())
    if search is not None:
        text = (check_text("--search", search, required=True, max_len=200) or "").lower()
        query = query.where(
            or_(
                func.lower(Item.title).contains(text, autoescape=True),
                func.lower(func.coalesce(Item.detail, "")).contains(text, autoescape=True),
            )
        )
    if overdue:
        query = query.where(
            Item.status.in_(OPEN_STATUSES),  # type: ignore[attr-defined]
            Item.due_on < today,
        )
    if due_within is not None:
        query = query.where(
            Item.status.in_(OPEN_STATUSES),  # type: ignore[attr-defined]
            Item.due_on >= today,
            Item.due_on <= today + timedelta(days=due_within),
        )
    if raised_in is not None:
        query = query.where(Item.raised_on >= raised_in[0], Item.raised_on <= raised_in[1])
    if resolved_in is not None:
        query = query.where(
            Item.resolved_on.is_not(None),  # type: ignore[union-attr]
            Item.resolved_on >= resolved_in[0],  # type: ignore[operator]
            Item.resolved_on <= resolved_in[1],  # type: ignore[operator]
        )
    order = {
        "due": (Item.due_on, Chain.code, Item.number),
        "raised": (Item.raised_on, Chain.code, Item.number),
        "priority": (_PRIORITY_RANK, Item.due_on, Chain.code, Item.number),
        "key": (Chain.code, Item.number),
    }[sort]
    query = query.order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    rows: list[ItemRow] = []
    for (
        key,
        code,
        title,
        status,
        priority,
        unit_name,
        owner_name,
        enterprise_name,
        category_name,
        source,
        raised,
        due,
        resolved,
    ) in session.exec(query).all():
        finished = resolved if status in DONE_STATUSES else None
        rows.append(
            ItemRow(
                key=key,
                chain=code,
                title=title,
                status=status,
                light=light(
                    status=status,
                    due_on=due,
                    resolved_on=resolved,
                    today=today,
                    warning_days=warning_days,
                ),
                priority=priority,
                unit=unit_name,
                owner=owner_name,
                enterprise=enterprise_name,
                category=category_name,
                source=source,
                raised_on=raised,
                due_on=due,
                resolved_on=resolved,
                days_open=days_open(raised_on=raised, resolved_on=finished, today=today),
                days_over=days_over(due_on=due, resolved_on=finished, today=today),
            )
        )
    return rows
