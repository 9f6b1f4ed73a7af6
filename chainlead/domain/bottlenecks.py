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

The rules run over a ``Reader`` (``chainlead.store.connection``) and read and write
through the store (``chainlead.store``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from chainlead.domain import Stamp
from chainlead.domain.answers import said
from chainlead.domain.assignments import (
    LEAD,
    end_suspension,
    finish,
    follow_edit,
    handle,
    lead_of,
    receipt_limit,
    refresh_clock,
    reopen_lead,
    start_part,
    unfinished,
)
from chainlead.domain.backdating import before_chain, record_backdated
from chainlead.domain.enterprises import link_to_item, resolve_enterprise, unlink_from_item
from chainlead.domain.history import EventRecord, record
from chainlead.domain.people import PersonRecord, named_person
from chainlead.domain.registry import fold
from chainlead.domain.units import resolve_unit
from chainlead.domain.views import (
    ACTIONS,
    SORTS,
    ItemDetail,
    ItemEvent,
    ItemRow,
    LinkedMeeting,
    choice,
    find_item,
    item_detail,
    list_items,
)
from chainlead.domain.words import status_said
from chainlead.errors import (
    AlreadyExists,
    InvalidInput,
    RuleViolation,
    TransitionRefused,
)
from chainlead.i18n import _
from chainlead.store.assignments import assignments_of
from chainlead.store.chains import ChainRecord, chain_of, lock_chain, require_active, take_number
from chainlead.store.connection import Reader
from chainlead.store.enterprises import (
    FollowUp,
    enterprises_of,
    follow_ups_of_item,
    insert_follow_up,
    set_aside_follow_ups,
)
from chainlead.store.items import (
    ItemRecord,
    insert_item,
    insert_link,
    item_with_reference,
    links_of,
    person_name,
    save_item,
    signers,
)
from chainlead.store.meetings import MeetingRecord, meeting_by_key
from chainlead.values import check_name, check_text
from chainlead.vocabulary import (
    CATEGORY_MAX,
    DONE_STATUSES,
    FEEDBACKS,
    LEADER,
    OPEN_STATUSES,
    PRIORITIES,
    REFERENCE_MAX,
    SATISFIED,
    SOURCES,
    STATUSES,
    TEXT_MAX,
    TITLE_MAX,
    ItemStatus,
    Relation,
)

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
    "new_item",
    "block_item",
    "close_item",
    "drop_item",
    "edit_item",
    "follow_up_item",
    "get_item",
    "item_detail",
    "list_items",
    "note_item",
    "reopen_item",
    "replay_status",
    "resolve_item",
    "start_item",
]


# --------------------------------------------------------------------------- data


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


def _state(item: ItemRecord, previous: str) -> ItemState:
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


def get_item(conn: Reader, *, key: str, for_update: bool = False, field: str = "key") -> ItemRecord:
    """The item with this key (any case), or ItemNotFound naming the closest keys."""
    return find_item(conn, key=key, field=field, for_update=for_update)


def replay_status(events: Iterable[_StatusEvent]) -> str:
    """The status an item's history leads to: the last status change, else open."""
    status = "open"
    for event in events:
        if event.field == "status" and event.new:
            status = event.new
    return status


# --------------------------------------------------------------------------- checks


def _title(value: str | None, field: str = "title") -> str:
    return check_text(field, value, required=True, max_len=TITLE_MAX, multiline=False) or ""


def _category(value: str | None) -> str | None:
    return check_text("--category", value, max_len=CATEGORY_MAX, multiline=False)


def _check_due(due: date, raised: date, field: str = "--due") -> None:
    if due < raised:
        raise RuleViolation(
            _("{field}: the time limit {due} is before the raised date {raised}").format(
                field=field, due=due.isoformat(), raised=raised.isoformat()
            )
        )


def _writable(db: Reader, item: ItemRecord) -> ChainRecord:
    """The item's chain, refusing items of archived chains."""
    chain = chain_of(db, item.chain_id)
    if chain.status != "active":
        raise RuleViolation(
            _("{key}: chain {code} is archived; it accepts no new work").format(
                key=item.key, code=chain.code
            )
        )
    return chain


def _refuse(item: ItemRecord, action: str) -> TransitionRefused:
    status = item.status
    allowed = ACTIONS.get(item.status, ())
    if status == "dropped":
        return TransitionRefused(
            _(
                "{key} is dropped; reopen it first with `chainlead bottleneck "
                "reopen {key} --why ...`"
            ).format(key=item.key)
        )
    said = status_said(status)
    if action == "resolve" and status in DONE_STATUSES:
        prefix = (
            _("{key} is already {status} (resolved on {day})").format(
                key=item.key, status=said, day=item.resolved_on.isoformat()
            )
            if item.resolved_on
            else _("{key} is already {status} (resolved)").format(key=item.key, status=said)
        )
    elif action == "start" and status == ItemStatus.in_progress:
        prefix = _("{key} is already in progress").format(key=item.key)
    elif action == "block" and status == "blocked":
        prefix = _("{key} is already blocked").format(key=item.key)
    elif action == "close" and status == "closed":
        prefix = _("{key} is already closed").format(key=item.key)
    elif action == "close" and status in OPEN_STATUSES:
        prefix = _("{key} is {status}; only a resolved item can be closed (signed off)").format(
            key=item.key, status=said
        )
    else:
        prefix = _("cannot {action} {key}: it is {status}").format(
            action=action, key=item.key, status=said
        )
    return TransitionRefused(
        _("{refusal}; allowed next: {actions}").format(
            refusal=prefix, actions=", ".join(allowed) or _("nothing")
        )
    )


def _result_word(result: str) -> str:
    """A follow-up's answer as a person reads it (满意, 基本满意)."""
    from chainlead.render.words import result_word

    return result_word(result)


def _guard(db: Reader, item: ItemRecord, action: str) -> ChainRecord:
    chain = _writable(db, item)
    if action not in ACTIONS.get(item.status, ()):
        raise _refuse(item, action)
    return chain


def _load(db: Reader, key: str) -> ItemRecord:
    return get_item(db, key=key, for_update=True)


def _set_status(
    db: Reader,
    item: ItemRecord,
    *,
    new: str,
    stamp: Stamp,
    kind: str = "status",
    text: str | None = None,
    person_id: int | None = None,
) -> None:
    record(
        db,
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


def _find_meeting(db: Reader, *, key: str, chain: ChainRecord) -> MeetingRecord:
    from chainlead.domain.schedule_views import meeting_key, meeting_not_found

    cleaned = meeting_key(db, key, field="--meeting")
    meeting = meeting_by_key(db, cleaned)
    if meeting is None:
        raise meeting_not_found(db, cleaned)
    if meeting.chain_id != chain.id:
        raise RuleViolation(
            _("--meeting: meeting {key} belongs to another chain, not {code}").format(
                key=meeting.key, code=chain.code
            )
        )
    return meeting


def link_meeting(
    db: Reader,
    *,
    item: ItemRecord,
    meeting: MeetingRecord,
    relation: str,
    stamp: Stamp,
    option: str = "--meeting",
) -> EventRecord | None:
    """Link an item to a meeting (``raised`` or ``discussed``); None when already linked.

    The one writer of item-meeting links (``bottleneck add --meeting`` and
    ``schedule add|edit --raises/--discusses``). An item is raised at one
    meeting only, and one meeting links an item in one way only.
    """
    for meeting_id, linked_as, key in links_of(db, item.id):
        if meeting_id == meeting.id:
            if linked_as == relation:
                return None
            raise RuleViolation(
                _(
                    "{option}: {key} is already linked to {key2} as {linked_as}; "
                    "unlink it first with --unlink {key}"
                ).format(option=option, key=item.key, key2=meeting.key, linked_as=linked_as)
            )
        if relation == Relation.raised and linked_as == Relation.raised:
            raise RuleViolation(
                _(
                    "{option}: {key} was first raised at {key2}; link it with --discusses instead"
                ).format(option=option, key=item.key, key2=key)
            )
    insert_link(db, meeting_id=meeting.id, item_id=item.id, relation=relation)
    return record(
        db,
        stamp=stamp,
        kind="linked",
        chain_id=item.chain_id,
        item_id=item.id,
        meeting_id=meeting.id,
        field=relation,
        text=meeting.key,
    )


def _event(event: EventRecord) -> ItemEvent:
    return ItemEvent(
        at=event.at,
        actor=event.actor,
        kind=event.kind,
        field=event.field,
        old=event.old,
        new=event.new,
        text=event.text,
        person=None,
        meeting=None,
    )


# --------------------------------------------------------------------------- writes


def new_item(
    db: Reader,
    *,
    chain: str,
    title: str,
    unit: str,
    due: date,
    stamp: Stamp,
    owner: str | None = None,
    enterprise: str | None = None,
    enterprises: Sequence[str] = (),
    new_enterprise: bool = True,
    source: str = "other",
    category: str | None = None,
    priority: str = "normal",
    raised_on: date | None = None,
    detail: str | None = None,
    meeting: str | None = None,
    reference: str | None = None,
    new_person: bool = False,
    new_unit: bool = False,
    receipt_days: str | None = None,
    holidays_file: str | None = None,
    link: str | None = None,
    project: str | None = None,
    backdate: bool = False,
) -> ItemRecord:
    """Put a new bottleneck item on a chain's list; its key is ``<CHAIN>-<n>``. Returns
    the stored item (``add_item`` returns what ``bottleneck show`` shows of it).

    ``unit`` names an institution (name, short name, any case or width); an
    unknown one is refused with the closest names, or added with ``new_unit``.
    ``enterprise`` and then ``enterprises`` name the enterprises that raised it
    (found as units are; an unknown one is added unless ``new_enterprise`` is
    false). ``reference`` is the demand's number in the team's own sheet, once
    per chain. ``link`` names a link of the chain's map (``chainlead.domain.links``).
    per chain. ``project`` names the chain project (``IC-P1``) that raised it.
    ``raised_on`` before the chain was created is refused unless ``backdate``
    (then the history says so: ``chainlead.domain.backdating``).
    """
    title = _title(title)
    unit_name = check_name("--unit", unit) or ""
    raisers = [
        name
        for name in (enterprise, *enterprises)
        if check_name("--enterprise", name, required=False) is not None
    ]
    reference = check_name("reference", reference, required=False)
    if reference is not None and len(reference) > REFERENCE_MAX:
        raise InvalidInput(
            "reference",
            _("must be at most {REFERENCE_MAX} characters, got {n}").format(
                REFERENCE_MAX=REFERENCE_MAX, n=len(reference)
            ),
        )
    detail = check_text("--detail", detail, max_len=TEXT_MAX)
    category = _category(category)
    source = choice("--source", source, SOURCES)
    priority = choice("--priority", priority, PRIORITIES)
    raised = raised_on or stamp.today
    if raised > stamp.today:
        raise RuleViolation(
            _("--raised-on: {raised} is in the future (today is {today})").format(
                raised=raised.isoformat(), today=stamp.today.isoformat()
            )
        )
    _check_due(due, raised)
    locked = lock_chain(db, code=chain)
    require_active(locked)
    backdated = before_chain(locked, raised, option="--raised-on", backdate=backdate)
    linked = _find_meeting(db, key=meeting, chain=locked) if meeting else None
    on_link = _item_link(db, locked.id, link)
    from chainlead.domain.projects import project_for_item  # a chain project raised it

    raised_in = project_for_item(db, key=project, chain=locked) if project else None
    owner_person = (
        named_person(db, name=owner, stamp=stamp, field="--owner", new_person=new_person)
        if owner
        else None
    )
    responsible = resolve_unit(db, name=unit_name, stamp=stamp, create=new_unit)
    holder = None if reference is None else item_with_reference(db, locked.id, reference)
    if holder is not None:
        raise AlreadyExists(
            _("reference: {reference!r} is already {holder}").format(
                reference=reference, holder=holder
            )
        )
    raised_by = list(
        {
            e.id: e
            for e in (
                resolve_enterprise(db, name=name, stamp=stamp, create=new_enterprise)
                for name in raisers
            )
        }.values()
    )
    number = take_number(db, locked)
    values: dict[str, Any] = dict(
        key=f"{locked.code}-{number}",
        chain_id=locked.id,
        number=number,
        title=title,
        detail=detail,
        enterprise=raised_by[0].name if raised_by else None,
        source=source,
        category=category,
        priority=priority,
        unit=responsible.name,
        unit_id=responsible.id,
        owner_id=owner_person.id if owner_person else None,
        raised_on=raised,
        due_on=due,
        status=ItemStatus.open.value,
        resolution=None,
        resolved_on=None,
        closed_on=None,
        status_reason=None,
        created_at=stamp.at,
        updated_at=stamp.at,
        original_due_on=due,
        clock_due=due,
        reference=reference,
    )
    item = ItemRecord(id=insert_item(db, **values), **values)
    if raised_in is not None:  # a chain project raised it: on its card and in its history
        from chainlead.store.projects import set_item_project

        set_item_project(db, item.id, raised_in.id)
    record(
        db,
        stamp=stamp,
        kind="created",
        chain_id=item.chain_id,
        item_id=item.id,
        new="open",
        text=title,
        project_id=raised_in.id if raised_in is not None else None,
    )
    if backdated:
        record_backdated(
            db, stamp=stamp, chain=locked, field="raised_on", day=raised, item_id=item.id
        )
    start_part(
        db,
        item=item,
        unit_id=responsible.id,
        role=LEAD,
        stamp=stamp,
        owner_id=item.owner_id,
        receipt_due=receipt_limit(stamp.today, receipt_days, holidays_file),
    )
    refresh_clock(db, item)
    if raised_by:  # the first one's name is already the item's enterprise text
        link_to_item(db, item=item, stamp=stamp, created=raised_by)
    if on_link is not None:
        from chainlead.store.links import set_item_link

        set_item_link(db, item.id, on_link)
    if linked is not None:
        link_made = link_meeting(db, item=item, meeting=linked, relation="raised", stamp=stamp)
        assert link_made is not None  # a new item has no links yet
    return item


def _item_link(db: Reader, chain_id: int, name: str | None) -> int | None:
    """The id of the link of the chain ``--link`` names (None when not given)."""
    if not name:
        return None
    from chainlead.domain.links import item_link

    return item_link(db, chain_id=chain_id, name=name).id


def add_item(db: Reader, *, stamp: Stamp, warning_days: int = 7, **given: Any) -> ItemDetail:
    """``new_item`` (every option of it), then the item as ``bottleneck show`` shows it."""
    item = new_item(db, stamp=stamp, **given)
    return item_detail(db, key=item.key, today=stamp.today, warning_days=warning_days)


def note_item(db: Reader, *, key: str, text: str, stamp: Stamp) -> ItemState:
    """Append a progress note to the item's history."""
    note = check_text("note", text, required=True, max_len=TEXT_MAX) or ""
    item = _load(db, key)
    previous = item.status
    _writable(db, item)
    if item.status == "dropped":
        raise _refuse(item, "note")
    record(db, stamp=stamp, kind="note", chain_id=item.chain_id, item_id=item.id, text=note)
    item.updated_at = stamp.at
    save_item(db, item)
    return _state(item, previous)


def start_item(db: Reader, *, key: str, stamp: Stamp, note: str | None = None) -> ItemState:
    """Work has started (from open), or a blocked item moves again."""
    text = check_text("--note", note, max_len=TEXT_MAX)
    item = _load(db, key)
    previous = item.status
    _guard(db, item, "start")
    _set_status(db, item, new=ItemStatus.in_progress.value, stamp=stamp, text=text)
    item.status_reason = None
    lead = lead_of(assignments_of(db, item.id))
    if lead is not None:
        handle(db, item=item, part=lead, stamp=stamp)
    save_item(db, item)
    return _state(item, previous)


def block_item(db: Reader, *, key: str, reason: str, stamp: Stamp) -> ItemState:
    """The item cannot move until something outside the team changes."""
    why = check_text("reason", reason, required=True, max_len=TEXT_MAX) or ""
    item = _load(db, key)
    previous = item.status
    _guard(db, item, "block")
    _set_status(db, item, new="blocked", stamp=stamp, text=why)
    item.status_reason = why
    save_item(db, item)
    return _state(item, previous)


def resolve_item(
    db: Reader,
    *,
    key: str,
    how: str | None,
    stamp: Stamp,
    on: date | None = None,
    force: bool = False,
    why: str | None = None,
    by: str | None = None,
) -> ItemState:
    """Record that the problem is solved, how, and on which day.

    Every co-handling unit must have reported (or had its part ended) first;
    ``force`` with ``why`` and ``by`` (the chain leader or responsible person)
    resolves without them, on record. The lead's part is reported with ``how``.
    """
    how_text = check_text("--how", how, required=how is not None, max_len=TEXT_MAX) or ""
    reason = check_text("--why", why, max_len=TEXT_MAX)
    resolved_on = on or stamp.today
    item = _load(db, key)
    previous = item.status
    chain = _guard(db, item, "resolve")  # the item's state before what is missing
    if not how_text:
        raise InvalidInput("--how", _("say how it was resolved: give --how TEXT"))
    parts = assignments_of(db, item.id)
    missing = unfinished(parts)
    forced_by: PersonRecord | None = None
    if missing and not force:
        named = ", ".join(f"{p.unit} ({p.state})" for p in missing)
        raise RuleViolation(
            _(
                "cannot resolve {key}: co-handling units have not reported: "
                "{named}; report them with `chainlead bottleneck report {key} "
                "--unit ... --how ...`, or give --force --why TEXT --by NAME "
                "(chain leader or responsible person)"
            ).format(key=item.key, named=named)
        )
    if force:
        if not reason:
            raise InvalidInput("--why", _("resolving with --force needs a reason: give --why TEXT"))
        if not by:
            raise InvalidInput(
                "--by",
                _(
                    "resolving with --force needs the chain leader or responsible "
                    "person: give --by NAME"
                ),
            )
        forced_by = _signer(db, chain=chain, by=by, stamp=stamp)
    if resolved_on > stamp.today:
        raise RuleViolation(
            _("--on: {resolved_on} is in the future (today is {today})").format(
                resolved_on=resolved_on.isoformat(), today=stamp.today.isoformat()
            )
        )
    if resolved_on < item.raised_on:
        raise RuleViolation(
            _("--on: {resolved_on} is before {key} was raised ({raised_on})").format(
                resolved_on=resolved_on.isoformat(),
                key=item.key,
                raised_on=item.raised_on.isoformat(),
            )
        )
    if forced_by is not None and missing:
        named = ", ".join(p.unit for p in missing)
        record(
            db,
            stamp=stamp,
            kind="forced",
            chain_id=item.chain_id,
            item_id=item.id,
            person_id=forced_by.id,
            text=f"resolved by {forced_by.name} before {named} reported: {reason}",
        )
    end_suspension(db, item=item, stamp=stamp, text="resolved while suspended")
    lead = lead_of(parts)
    if lead is not None and lead.active:
        finish(db, item=item, part=lead, how=how_text, stamp=stamp)
    _set_status(db, item, new="resolved", kind="resolved", stamp=stamp, text=how_text)
    item.resolution = how_text
    item.resolved_on = resolved_on
    item.status_reason = None
    save_item(db, item)
    return _state(item, previous)


def _signer(db: Reader, *, chain: ChainRecord, by: str, stamp: Stamp) -> PersonRecord:
    """The chain's current responsible person or chain leader named ``by``: on
    PostgreSQL, the person the login is linked to (``chainlead.domain.access``)."""
    from chainlead.domain.access import signs_as

    name = check_name("--by", by) or ""
    signs_as(stamp, name)
    holders = signers(db, chain.id)
    for person_id, holder, _role in holders:
        if fold(holder) == fold(name):
            return PersonRecord(id=person_id, name=holder, unit=None, title=None, contact=None)
    named = ", ".join(
        (_("{name} (chain leader)") if role == LEADER else _("{name} (responsible)")).format(
            name=holder
        )
        for _id, holder, role in sorted(holders, key=lambda h: h[2])
    )
    raise RuleViolation(
        _(
            "--by: {name} cannot sign off {code} items; the sign-off is by the "
            "responsible person or the chain leader: {named}"
        ).format(name=name, code=chain.code, named=named)
    )


def _reopen(
    db: Reader, item: ItemRecord, *, stamp: Stamp, text: str, person_id: int | None = None
) -> None:
    """Open work again: the lead's part goes back to handling, the resolution stays in
    history, and the follow-ups given for the resolution are set aside."""
    reopen_lead(db, item=item, stamp=stamp, reason=text)
    _set_status(db, item, new="open", kind="reopened", stamp=stamp, text=text, person_id=person_id)
    set_aside_follow_ups(db, item.id, stamp.today)
    _clear_resolution(item)
    item.status_reason = text


def _answer(
    db: Reader,
    item: ItemRecord,
    *,
    enterprise: tuple[int, str] | None,
    answer: str,
    person: PersonRecord,
    note: str | None,
    on: date,
    stamp: Stamp,
) -> str:
    """Record one enterprise's answer (回访): the follow-up and its event; an unsatisfied
    answer reopens the item. Returns the text the sign-off's history gives it."""
    insert_follow_up(
        db,
        item_id=item.id,
        enterprise_id=enterprise[0] if enterprise else None,
        result=answer,
        by_id=person.id,
        note=note,
        asked_on=on,
        at=stamp.at,
    )
    record(
        db,
        stamp=stamp,
        kind="followed_up",
        chain_id=item.chain_id,
        item_id=item.id,
        person_id=person.id,
        field="follow_up",
        old=enterprise[1] if enterprise else None,
        new=answer,
        text=note,
    )
    text = said(answer, person.name, note)
    if answer not in SATISFIED:
        _reopen(db, item, stamp=stamp, text=text, person_id=person.id)
    return text


def _current(db: Reader, item: ItemRecord) -> dict[str | None, FollowUp]:
    """The follow-ups answering for the item's last resolution, by enterprise name."""
    return {f.enterprise: f for f in follow_ups_of_item(db, item.id) if f.reopened_on is None}


def close_item(
    db: Reader,
    *,
    key: str,
    by: str | None,
    stamp: Stamp,
    feedback: str | None = None,
    note: str | None = None,
    no_follow_up: bool = False,
    why: str | None = None,
) -> ItemState:
    """Sign off (销号) a resolved item once its enterprises were asked (回访).

    An item raised by enterprises needs a follow-up of each of them since it was
    last resolved (``follow_up_item``). For an item of one enterprise, or of
    none, ``feedback`` records that follow-up with the sign-off, as before: a
    satisfied or basically satisfied answer closes it, an unsatisfied one
    reopens it. ``no_follow_up`` with ``why`` closes without asking, by the
    chain leader only. The sign-off itself is by the responsible person or the
    chain leader (``by``).

    Checks run in the order a person fixes things: a value typed wrongly, then
    the item (it must be resolved), then what is missing (``--by``, the
    follow-up), then who may sign.
    """
    answer = choice("--feedback", feedback, FEEDBACKS) if feedback is not None else None
    note_text = check_text("--note", note, max_len=TEXT_MAX)
    reason = check_text("--why", why, max_len=TEXT_MAX)
    if no_follow_up and answer is not None:
        raise InvalidInput("--no-follow-up", _("give --feedback or --no-follow-up, not both"))
    item = _load(db, key)
    previous = item.status
    chain = _guard(db, item, "close")
    if by is None:
        raise InvalidInput(
            "--by",
            _("name who signs off (the responsible person or chain leader): give --by NAME"),
        )
    if no_follow_up and not reason:
        raise InvalidInput(
            "--why", _("closing without a follow-up needs a reason: give --why TEXT")
        )
    person = _signer(db, chain=chain, by=by, stamp=stamp)
    raisers = enterprises_of(db, item.id)
    current = _current(db, item)
    if no_follow_up:
        leaders = [name for _id, name, role in signers(db, chain.id) if role == LEADER]
        if person.name not in leaders:
            raise RuleViolation(
                _(
                    "--no-follow-up: only the chain leader ({leaders}) closes "
                    "{code} items without asking the enterprises"
                ).format(leaders=", ".join(leaders) or "none", code=chain.code)
            )
        text = f"closed without a follow-up by {person.name}: {reason}"
    elif answer is not None:
        if len(raisers) > 1:
            raise RuleViolation(
                _(
                    "--feedback: {key} was raised by {n} enterprises; ask each: "
                    "`chainlead bottleneck follow-up {key} --enterprise NAME "
                    "--result ...`, then close it"
                ).format(key=item.key, n=len(raisers))
            )
        asked = current.get(raisers[0][1] if raisers else None)
        if asked is not None and raisers:
            raise AlreadyExists(
                _(
                    "--feedback: {enterprise} was already asked on {asked_on} "
                    "({result}); close without --feedback"
                ).format(
                    enterprise=asked.enterprise,
                    asked_on=asked.asked_on.isoformat(),
                    result=_result_word(asked.result),
                )
            )
        enterprise = raisers[0] if raisers else None
        text = _answer(
            db,
            item,
            enterprise=enterprise,
            answer=answer,
            person=person,
            note=note_text,
            on=stamp.today,
            stamp=stamp,
        )
        if answer not in SATISFIED:
            save_item(db, item)
            return _state(item, previous)
    else:
        if not raisers:
            raise InvalidInput(
                "--feedback",
                _(
                    "ask the enterprise first: give --feedback satisfied, "
                    "basically_satisfied or unsatisfied"
                ),
            )
        missing = [name for _id, name in raisers if name not in current]
        if missing:
            raise RuleViolation(
                _(
                    "close: ask {missing} first: `chainlead bottleneck follow-up "
                    "{key} --enterprise NAME --result ...` (or --feedback for an "
                    "item of one enterprise; --no-follow-up --why by the chain leader)"
                ).format(missing=", ".join(missing), key=item.key)
            )
        text = "followed up: " + "; ".join(
            f"{name} {current[name].result}" for _id, name in raisers
        )
        if note_text:
            text += f": {note_text}"
    _set_status(db, item, new="closed", stamp=stamp, text=text, person_id=person.id)
    item.closed_on = stamp.today
    save_item(db, item)
    return _state(item, previous)


@dataclass(frozen=True)
class FollowUpState:
    """What ``bottleneck follow-up`` did: the answer, and where the item now is."""

    key: str
    enterprise: str | None
    result: str
    status: str
    previous: str
    waiting: tuple[str, ...]  # enterprises still to be asked before the sign-off


def follow_up_item(
    db: Reader,
    *,
    key: str,
    result: str,
    by: str,
    stamp: Stamp,
    enterprise: str | None = None,
    note: str | None = None,
    on: date | None = None,
) -> FollowUpState:
    """Record that an enterprise was asked about its resolved demand (回访), once per
    enterprise per resolution; an unsatisfied answer reopens the item, as
    ``close --feedback unsatisfied`` does. ``enterprise`` may be left out for an item
    of one enterprise."""
    answer = choice("--result", result, FEEDBACKS)
    note_text = check_text("--note", note, max_len=TEXT_MAX)
    item = _load(db, key)
    previous = item.status
    _writable(db, item)
    if item.status not in DONE_STATUSES:
        raise RuleViolation(
            _("{key} is {status}: an enterprise is asked once its demand is resolved").format(
                key=item.key, status=status_said(item.status)
            )
        )
    person = named_person(db, name=by, field="--by", stamp=stamp)
    raisers = enterprises_of(db, item.id)
    names = ", ".join(name for _id, name in raisers)
    if enterprise is None:
        if len(raisers) != 1:
            raise InvalidInput(
                "--enterprise",
                _("{key} was raised by {names}: name the enterprise asked").format(
                    key=item.key, names=names
                )
                if raisers
                else _(
                    "{key} names no enterprise: link one with `chainlead bottleneck link`, "
                    "or sign it off with `close --feedback`"
                ).format(key=item.key),
            )
        asked = raisers[0]
    else:
        from chainlead.domain.enterprises import get_enterprise

        found = get_enterprise(db, name=enterprise, field="--enterprise")
        matching = [r for r in raisers if r[0] == found.id]
        if not matching:
            said = (
                _(
                    "--enterprise: {name} did not raise {key}; it was raised by {names} "
                    "(`chainlead bottleneck link {key} --enterprise` adds one)"
                )
                if raisers
                else _(
                    "--enterprise: {name} did not raise {key} "
                    "(`chainlead bottleneck link {key} --enterprise` adds one)"
                )
            )
            raise RuleViolation(said.format(name=found.name, key=item.key, names=names))
        asked = matching[0]
    day = on or stamp.today
    if day > stamp.today:
        raise RuleViolation(_("--on: {day} is in the future").format(day=day.isoformat()))
    if item.resolved_on is not None and day < item.resolved_on:
        raise RuleViolation(
            _("--on: {key} was resolved on {resolved_on}, after that day").format(
                key=item.key, resolved_on=item.resolved_on.isoformat()
            )
        )
    done = _current(db, item).get(asked[1])
    if done is not None:
        raise AlreadyExists(
            _("{key}: {asked} was already asked on {asked_on} ({result})").format(
                key=item.key,
                asked=asked[1],
                asked_on=done.asked_on.isoformat(),
                result=_result_word(done.result),
            )
        )
    _answer(
        db,
        item,
        enterprise=asked,
        answer=answer,
        person=person,
        note=note_text,
        on=day,
        stamp=stamp,
    )
    item.updated_at = stamp.at
    save_item(db, item)
    current = _current(db, item)
    waiting = tuple(name for _id, name in raisers if name not in current)
    return FollowUpState(item.key, asked[1], answer, item.status, previous, waiting)


def _clear_resolution(item: ItemRecord) -> None:
    """The resolution stays in history; the item itself is open work again."""
    item.resolution = None
    item.resolved_on = None
    item.closed_on = None


def reopen_item(db: Reader, *, key: str, why: str, stamp: Stamp) -> ItemState:
    """Return a resolved, closed or dropped item to the open list."""
    reason = check_text("--why", why, required=True, max_len=TEXT_MAX) or ""
    item = _load(db, key)
    previous = item.status
    _guard(db, item, "reopen")
    _reopen(db, item, stamp=stamp, text=reason)
    save_item(db, item)
    return _state(item, previous)


def drop_item(db: Reader, *, key: str, why: str, stamp: Stamp) -> ItemState:
    """End an item that will not be pursued (kept, with the reason)."""
    reason = check_text("--why", why, required=True, max_len=TEXT_MAX) or ""
    item = _load(db, key)
    previous = item.status
    _guard(db, item, "drop")
    end_suspension(db, item=item, stamp=stamp, text="dropped while suspended")
    _set_status(db, item, new="dropped", stamp=stamp, text=reason)
    item.status_reason = reason
    save_item(db, item)
    return _state(item, previous)


_KEEP = object()  # an option not given


def _replace_enterprise(db: Reader, item: ItemRecord, name: str | None, *, stamp: Stamp) -> None:
    """``edit --enterprise``: the enterprise of an item raised by one (or none) becomes
    ``name`` (None clears it); an item of several is changed with ``link``."""
    raisers = enterprises_of(db, item.id)
    if len(raisers) > 1:
        raise RuleViolation(
            _(
                "--enterprise: {key} was raised by {raisers}: change them with "
                "`chainlead bottleneck link {key} --enterprise NAME` (--remove "
                "takes one off)"
            ).format(key=item.key, raisers=", ".join((n for _i, n in raisers)))
        )
    old = raisers[0][1] if raisers else None
    new = resolve_enterprise(db, name=name, stamp=stamp, create=True).name if name else None
    if new == old:
        return
    if old is not None:
        unlink_from_item(db, item=item, name=old, stamp=stamp)
    if new is not None:
        link_to_item(db, item=item, names=[new], stamp=stamp)


def edit_item(
    db: Reader,
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
    new_person: bool = False,
    new_unit: bool = False,
    link: str | None = None,
    backdate: bool = False,
) -> list[ItemEvent]:
    """Change an item's fields; each change is one ``edited`` event (old -> new).

    A ``raised_on`` before the chain was created is refused unless ``backdate``
    (then a ``backdated`` event follows the change).

    Moving the time limit (``due``) needs ``why``. ``None`` leaves a field as
    it is. ``unit`` is found as ``add_item`` finds it (``new_unit`` adds an
    unknown one). Returns the changes made (empty when nothing differed).
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
        wanted["source"] = choice("--source", source, SOURCES)
    if category is not None:
        wanted["category"] = _category(category)
    if priority is not None:
        wanted["priority"] = choice("--priority", priority, PRIORITIES)
    unit_name = check_name("--unit", unit) if unit is not None else None
    if unit_name is not None:
        wanted["unit"] = unit_name  # its place among the changes; the unit's name below
    owner_name = check_name("--owner", owner) if owner is not None else None
    if owner_name is not None and not new_person:  # refused before anything is written
        named_person(db, name=owner_name, stamp=stamp, field="--owner")
    if due is not None:
        wanted["due_on"] = due
    if raised_on is not None:
        if raised_on > stamp.today:
            raise RuleViolation(
                _("--raised-on: {raised_on} is in the future").format(
                    raised_on=raised_on.isoformat()
                )
            )
        wanted["raised_on"] = raised_on
    new_enterprise = wanted.pop("enterprise", _KEEP)
    item = _load(db, key)
    old_due = item.due_on
    _writable(db, item)
    if item.status == "dropped":
        raise _refuse(item, "edit")
    new_raised = wanted.get("raised_on", item.raised_on)
    new_due = wanted.get("due_on", item.due_on)
    if "due_on" in wanted or "raised_on" in wanted:
        _check_due(new_due, new_raised, "--due" if "due_on" in wanted else "--raised-on")
    if item.resolved_on is not None and item.resolved_on < new_raised:
        raise RuleViolation(
            _("--raised-on: {key} was resolved on {resolved_on}, before that date").format(
                key=item.key, resolved_on=item.resolved_on.isoformat()
            )
        )
    backdated = None
    if new_raised != item.raised_on:
        owner_chain = chain_of(db, item.chain_id)
        if before_chain(owner_chain, new_raised, option="--raised-on", backdate=backdate):
            backdated = owner_chain
    if new_due != item.due_on and not reason:
        raise InvalidInput("--why", _("moving the time limit needs a reason: give --why TEXT"))
    if unit_name is not None:
        responsible = resolve_unit(db, name=unit_name, stamp=stamp, create=new_unit)
        wanted["unit"] = responsible.name
        item.unit_id = responsible.id
    changes: list[ItemEvent] = []

    def change(field: str, old: object, new: object) -> None:
        event = record(
            db,
            stamp=stamp,
            kind="edited",
            chain_id=item.chain_id,
            item_id=item.id,
            field=field,
            old=old,
            new=new,
            text=reason,
        )
        changes.append(_event(event))

    for field, value in wanted.items():
        old = getattr(item, field)
        if value != old:
            change(field, old, value)
            setattr(item, field, value)
    if backdated is not None:
        record_backdated(
            db, stamp=stamp, chain=backdated, field="raised_on", day=new_raised, item_id=item.id
        )
    if owner_name is not None:
        old_owner = person_name(db, item.owner_id) if item.owner_id else None
        if owner_name != old_owner:
            person = named_person(
                db, name=owner_name, stamp=stamp, field="--owner", new_person=new_person
            )
            change("owner", old_owner, person.name)
            item.owner_id = person.id
    if new_enterprise is not _KEEP:
        old_enterprise = item.enterprise
        _replace_enterprise(db, item, new_enterprise, stamp=stamp)  # type: ignore[arg-type]
        if item.enterprise != old_enterprise:
            change("enterprise", old_enterprise, item.enterprise)
    if link is not None:  # a link of the item's chain's map ('' clears it)
        from chainlead.domain.links import change_item_link

        moved = change_item_link(db, item_id=item.id, chain_id=item.chain_id, name=link)
        if moved is not None:
            change("link", *moved)
    if changes:
        item.updated_at = stamp.at
        save_item(db, item)
        follow_edit(db, item=item, old_due=old_due, stamp=stamp, reason=reason)
        if item.due_on != old_due:  # a moved limit is an extension too
            from chainlead.domain.extensions import note_edit  # (it imports this module)

            note_edit(db, item=item, old_due=old_due, stamp=stamp, reason=reason)
    return changes
