"""Assignments (交办): the institutions an item is handed to, and each one's part.

An item has one **lead** assignment (牵头单位) and any number of
**co-handling** ones (配合单位). Each has its own owner, time limit and state::

    assigned -> received -> handling -> reported     (签收, 办理, 报结)
    assigned | received | handling -> returned       (退回: not the unit's remit)
    assigned | received | handling -> transferred    (转办: to another unit)

A returned lead leaves the item without a lead until ``transfer`` or
``assign --role lead``. The item's unit and owner follow its lead. Every
change writes one event with the unit (``unit_id``), the role as ``field``,
the state before as ``old`` and after as ``new``, so the states replay from
the history (``replay_parts``). The item's clock (``clock_due``,
``receipt_due``) is worked out again after each change.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from chainlead.domain import Stamp
from chainlead.domain.history import record
from chainlead.domain.people import named_person
from chainlead.domain.units import resolve_unit
from chainlead.errors import InvalidInput, RuleViolation, TransitionRefused
from chainlead.i18n import _
from chainlead.store.assignments import (
    AssignmentRecord,
    assignments_of,
    insert_assignment,
    save_assignment,
    set_item_clock,
)
from chainlead.store.connection import Reader
from chainlead.store.items import ItemRecord, save_item
from chainlead.store.units import unit_by_id
from chainlead.values import check_name, check_text, parse_date
from chainlead.vocabulary import (
    ASSIGNMENT_ACTIONS,
    ASSIGNMENT_ROLES,
    OPEN_STATUSES,
    TEXT_MAX,
    AssignmentRole,
    AssignmentState,
)

LEAD = AssignmentRole.lead.value
CO = AssignmentRole.co.value


def _part_words(part: AssignmentRecord) -> dict[str, str]:
    """A part's role and state as a person reads them (配合, 已签收), for refusals."""
    from chainlead.render.words import role_word, state_word

    return {"role": role_word(part.role), "state": state_word(part.state)}


def receipt_limit(on: date, receipt_days: str | None, holidays_file: str | None) -> date | None:
    """The day an assignment made ``on`` must be signed for by (``receipt_days``), if any."""
    if not receipt_days:
        return None
    return parse_date("receipt_days", f"+{receipt_days}", today=on, holidays_file=holidays_file)


def refresh_clock(db: Reader, item: ItemRecord) -> list[AssignmentRecord]:
    """Work out the item's clock again from its assignments and store the item."""
    parts = assignments_of(db, item.id)
    set_item_clock(db, item, parts)
    save_item(db, item)
    return parts


def _event(
    db: Reader,
    *,
    item: ItemRecord,
    part: AssignmentRecord,
    kind: str,
    old: str | None,
    stamp: Stamp,
    text: str | None = None,
) -> None:
    record(
        db,
        stamp=stamp,
        kind=kind,
        chain_id=item.chain_id,
        item_id=item.id,
        unit_id=part.unit_id,
        person_id=part.owner_id,
        field=part.role,
        old=old,
        new=part.state,
        text=text,
    )


def _move(
    db: Reader,
    *,
    item: ItemRecord,
    part: AssignmentRecord,
    state: str,
    stamp: Stamp,
    kind: str | None = None,
    text: str | None = None,
    **changes: object,
) -> None:
    """Move a part to ``state`` (with any other ``changes`` to its fields), store it
    and write its event (``kind``: the new state unless given)."""
    old = part.state
    part.state = state
    for name, value in changes.items():
        setattr(part, name, value)
    part.updated_at = stamp.at
    save_assignment(db, part)
    _event(db, item=item, part=part, kind=kind or state, old=old, stamp=stamp, text=text)


def start_part(
    db: Reader,
    *,
    item: ItemRecord,
    unit_id: int,
    role: str,
    stamp: Stamp,
    owner_id: int | None = None,
    due: date | None = None,
    receipt_due: date | None = None,
    text: str | None = None,
    kind: str = "assigned",
) -> AssignmentRecord:
    """Hand the item to a unit (a new assignment, ``assigned``), with its event."""
    values = dict(
        item_id=item.id,
        unit_id=unit_id,
        role=role,
        owner_id=owner_id,
        state=AssignmentState.assigned.value,
        assigned_on=stamp.today,
        due_on=due or item.due_on,
        receipt_due=receipt_due,
        received_on=None,
        reported_on=None,
        report=None,
        ended_on=None,
        end_reason=None,
        suggested=None,
        created_at=stamp.at,
        updated_at=stamp.at,
    )
    part = AssignmentRecord(
        id=insert_assignment(db, **values),
        uuid="",
        **values,  # type: ignore[arg-type]
        unit=unit_by_id(db, unit_id).name,
    )
    _event(db, item=item, part=part, kind=kind, old=None, stamp=stamp, text=text)
    if role == LEAD:
        _follow_lead(db, item, part)
    return part


def _follow_lead(db: Reader, item: ItemRecord, part: AssignmentRecord) -> None:
    """The item's unit (and owner, when the lead has one) are its lead's."""
    item.unit_id = part.unit_id
    item.unit = unit_by_id(db, part.unit_id).name
    if part.owner_id is not None:
        item.owner_id = part.owner_id


def _open_item(item: ItemRecord, action: str) -> None:
    if item.status not in OPEN_STATUSES:
        raise TransitionRefused(
            _(
                "cannot {action} for {key}: it is {status}; reopen it first with "
                "`chainlead bottleneck reopen {key} --why ...`"
            ).format(action=action, key=item.key, status=item.status)
        )


def _standing(parts: Iterable[AssignmentRecord]) -> list[AssignmentRecord]:
    return [p for p in parts if p.standing]


def find_part(
    db: Reader, item: ItemRecord, parts: list[AssignmentRecord], unit: str, field: str
) -> AssignmentRecord:
    """The item's standing assignment of the named unit, or a refusal naming its units."""
    wanted = resolve_unit(db, name=check_name(field, unit) or "", stamp=None, field=field)  # type: ignore[arg-type]
    for part in parts:
        if part.unit_id == wanted.id and part.standing:
            return part
    units = _units_said(_standing(parts))
    raise RuleViolation(
        _("{field}: {name} has no part in {key}; its units: {units}").format(
            field=field, name=wanted.name, key=item.key, units=units
        )
    )


def _allow(item: ItemRecord, part: AssignmentRecord, action: str) -> None:
    if action not in ASSIGNMENT_ACTIONS.get(part.state, ()):
        if action == "receive" and part.state != "assigned":
            said = (
                _("{unit} already signed for it on {day} ({key}); nothing to receive")
                if part.received_on
                else _("{unit} is {state} ({key}); nothing to receive")
            )
            raise TransitionRefused(
                said.format(
                    unit=part.unit,
                    day=part.received_on.isoformat() if part.received_on else "",
                    state=_state_word(part.state),
                    key=item.key,
                )
            )
        raise TransitionRefused(
            _(
                "cannot {action} {unit}'s part in {key}: it is {state}; allowed next: {actions}"
            ).format(
                action=action,
                unit=part.unit,
                key=item.key,
                state=_state_word(part.state),
                actions=", ".join(ASSIGNMENT_ACTIONS.get(part.state, ())) or _("nothing"),
            )
        )


def _check_due(due: date | None, stamp: Stamp, field: str = "--due") -> None:
    """A new limit for a part is from today on."""
    if due is not None and due < stamp.today:
        raise RuleViolation(
            _("{field}: {due} is before today ({today}); give a date from today on").format(
                field=field, due=due.isoformat(), today=stamp.today.isoformat()
            )
        )


def assign(
    db: Reader,
    *,
    item: ItemRecord,
    unit: str,
    stamp: Stamp,
    role: str = CO,
    owner: str | None = None,
    due: date | None = None,
    new_unit: bool = False,
    new_person: bool = False,
    receipt_days: str | None = None,
    holidays_file: str | None = None,
) -> AssignmentRecord:
    """Add a lead or co-handling assignment (the due date defaults to the item's)."""
    if role not in ASSIGNMENT_ROLES:
        raise InvalidInput("--role", "expected one of " + ", ".join(ASSIGNMENT_ROLES), role)
    unit_name = check_name("--unit", unit) or ""
    owner_name = check_name("--owner", owner, required=False)
    _open_item(item, "assign a unit")
    _check_due(due, stamp)
    parts = assignments_of(db, item.id)
    target = resolve_unit(db, name=unit_name, stamp=stamp, create=new_unit)
    for part in _standing(parts):
        if part.unit_id == target.id:
            raise RuleViolation(
                _("--unit: {name} already has a part in {key} ({role}, {state})").format(
                    name=target.name, key=item.key, **_part_words(part)
                )
            )
        if role == LEAD and part.role == LEAD:
            raise RuleViolation(
                _(
                    "--role: {key} already has a lead unit, {unit}; move it with "
                    "`chainlead bottleneck transfer {key} --from {unit} --to ...`"
                ).format(key=item.key, unit=part.unit)
            )
    person = (
        named_person(db, name=owner_name, stamp=stamp, field="--owner", new_person=new_person)
        if owner_name
        else None
    )
    part = start_part(
        db,
        item=item,
        unit_id=target.id,
        role=role,
        stamp=stamp,
        owner_id=person.id if person else None,
        due=due,
        receipt_due=receipt_limit(stamp.today, receipt_days, holidays_file),
    )
    item.updated_at = stamp.at
    refresh_clock(db, item)
    return part


def receive(db: Reader, *, item: ItemRecord, unit: str, stamp: Stamp) -> AssignmentRecord:
    """The unit signs for its assignment (签收)."""
    _open_item(item, "sign for an assignment")
    parts = assignments_of(db, item.id)
    part = find_part(db, item, parts, unit, "--unit")
    _allow(item, part, "receive")
    _move(db, item=item, part=part, state="received", stamp=stamp, received_on=stamp.today)
    item.updated_at = stamp.at
    refresh_clock(db, item)
    return part


def handle(db: Reader, *, item: ItemRecord, part: AssignmentRecord, stamp: Stamp) -> None:
    """A signed-for part is being worked on (the item started, or the unit's progress)."""
    if part.state == AssignmentState.received.value:
        _move(db, item=item, part=part, state="handling", stamp=stamp)


def reopen_lead(db: Reader, *, item: ItemRecord, stamp: Stamp, reason: str) -> None:
    """A reopened item's reported lead is at work again (``handling``)."""
    lead = lead_of(assignments_of(db, item.id))
    if lead is None or lead.state != AssignmentState.reported.value:
        return
    _move(db, item=item, part=lead, state="handling", stamp=stamp, text=reason, reported_on=None)
    refresh_clock(db, item)


def report(db: Reader, *, item: ItemRecord, unit: str, how: str, stamp: Stamp) -> AssignmentRecord:
    """The unit's part is done (报结), with its account of what it did."""
    account = check_text("--how", how, required=True, max_len=TEXT_MAX) or ""
    _open_item(item, "report a unit's part")
    parts = assignments_of(db, item.id)
    part = find_part(db, item, parts, unit, "--unit")
    _allow(item, part, "report")
    finish(db, item=item, part=part, how=account, stamp=stamp)
    item.updated_at = stamp.at
    refresh_clock(db, item)
    return part


def finish(db: Reader, *, item: ItemRecord, part: AssignmentRecord, how: str, stamp: Stamp) -> None:
    _move(
        db,
        item=item,
        part=part,
        state="reported",
        stamp=stamp,
        text=how,
        reported_on=stamp.today,
        report=how,
        received_on=part.received_on or stamp.today,
    )


def send_back(
    db: Reader,
    *,
    item: ItemRecord,
    unit: str,
    why: str,
    stamp: Stamp,
    suggest: str | None = None,
) -> AssignmentRecord:
    """The unit returns its assignment (退回) as not within its remit; the team reassigns."""
    reason = check_text("--why", why, required=True, max_len=TEXT_MAX) or ""
    suggested = check_name("--suggest", suggest, required=False)
    _open_item(item, "return an assignment")
    parts = assignments_of(db, item.id)
    part = find_part(db, item, parts, unit, "--unit")
    _allow(item, part, "return")
    said = f"{reason} (suggests {suggested})" if suggested else reason
    _move(
        db,
        item=item,
        part=part,
        state="returned",
        stamp=stamp,
        text=said,
        ended_on=stamp.today,
        end_reason=reason,
        suggested=suggested,
    )
    item.updated_at = stamp.at
    refresh_clock(db, item)
    return part


def transfer(
    db: Reader,
    *,
    item: ItemRecord,
    source: str,
    target: str,
    why: str,
    stamp: Stamp,
    due: date | None = None,
    owner: str | None = None,
    new_unit: bool = False,
    new_person: bool = False,
    receipt_days: str | None = None,
    holidays_file: str | None = None,
) -> AssignmentRecord:
    """Move a unit's part to another unit (转办); the time limit is kept unless ``due``.

    ``source`` may name a unit whose part was returned: the team then hands
    it on to the right one.
    """
    reason = check_text("--why", why, required=True, max_len=TEXT_MAX) or ""
    target_name = check_name("--to", target) or ""
    owner_name = check_name("--owner", owner, required=False)
    _open_item(item, "transfer an assignment")
    _check_due(due, stamp)
    parts = assignments_of(db, item.id)
    source_name = check_name("--from", source) or ""
    source_unit = resolve_unit(db, name=source_name, stamp=None, field="--from")  # type: ignore[arg-type]
    mine = [p for p in parts if p.unit_id == source_unit.id]
    standing = [p for p in mine if p.standing]
    returned = [p for p in mine if p.state == AssignmentState.returned.value]
    if standing:
        part = standing[0]
        _allow(item, part, "transfer")
    elif returned:
        part = returned[-1]
    else:
        units = _units_said(_standing(parts))
        raise RuleViolation(
            _("--from: {name} has no part in {key}; its units: {units}").format(
                name=source_unit.name, key=item.key, units=units
            )
        )
    new = resolve_unit(db, name=target_name, stamp=stamp, create=new_unit, field="--to")
    if new.id == source_unit.id:
        raise RuleViolation(_("--to: a part is transferred to another unit, not the same one"))
    for other in _standing(parts):
        if other.unit_id == new.id:
            raise RuleViolation(
                _("--to: {name} already has a part in {key} ({role}, {state})").format(
                    name=new.name, key=item.key, **_part_words(other)
                )
            )
        if part.role == LEAD and other.role == LEAD and other.id != part.id:
            raise RuleViolation(
                _("--from: {key} already has a lead unit, {unit}").format(
                    key=item.key, unit=other.unit
                )
            )
    person = (
        named_person(db, name=owner_name, stamp=stamp, field="--owner", new_person=new_person)
        if owner_name
        else None
    )
    if part.standing:
        _end_transferred(db, item=item, part=part, stamp=stamp, reason=reason)
    if due is not None and part.role == LEAD and due != item.due_on:
        record(
            db,
            stamp=stamp,
            kind="edited",
            chain_id=item.chain_id,
            item_id=item.id,
            field="due_on",
            old=item.due_on,
            new=due,
            text=reason,
        )
        from chainlead.domain.extensions import note_edit  # (it imports this module)

        old_due, item.due_on = item.due_on, due
        note_edit(db, item=item, old_due=old_due, stamp=stamp, reason=reason)
    moved = start_part(
        db,
        item=item,
        unit_id=new.id,
        role=part.role,
        stamp=stamp,
        owner_id=person.id if person else None,
        due=due or part.due_on,
        receipt_due=receipt_limit(stamp.today, receipt_days, holidays_file),
        text=f"from {source_unit.name}: {reason}",
        kind="transferred",
    )
    item.updated_at = stamp.at
    refresh_clock(db, item)
    return moved


def _end_transferred(
    db: Reader, *, item: ItemRecord, part: AssignmentRecord, stamp: Stamp, reason: str | None
) -> None:
    """The part ends as moved on to another unit (转办)."""
    _move(
        db,
        item=item,
        part=part,
        state="transferred",
        stamp=stamp,
        text=reason,
        ended_on=stamp.today,
        end_reason=reason or "unit edited",
    )


def unfinished(parts: Iterable[AssignmentRecord]) -> list[AssignmentRecord]:
    """The co-handling parts still at work: what keeps an item from being resolved."""
    return [p for p in parts if p.role == CO and p.active]


def lead_of(parts: Iterable[AssignmentRecord]) -> AssignmentRecord | None:
    return next((p for p in parts if p.role == LEAD and p.standing), None)


def replay_parts(events: Iterable[tuple[int | None, str | None, str | None]]) -> dict[int, str]:
    """Each unit's latest assignment state from an item's history: events as
    (unit id, field, new), oldest first."""
    states: dict[int, str] = {}
    for unit_id, field, new in events:
        if unit_id is not None and field in ASSIGNMENT_ROLES and new:
            states[unit_id] = new
    return states


def follow_edit(
    db: Reader, *, item: ItemRecord, old_due: date, stamp: Stamp, reason: str | None
) -> None:
    """After ``bottleneck edit``: a new unit takes over the lead (the old lead's part
    ends as transferred), a moved time limit moves the lead's limit with it."""
    parts = assignments_of(db, item.id)
    lead = lead_of(parts)
    if lead is not None and lead.unit_id != item.unit_id and lead.active:
        _end_transferred(db, item=item, part=lead, stamp=stamp, reason=reason)
        start_part(
            db,
            item=item,
            unit_id=item.unit_id,
            role=LEAD,
            stamp=stamp,
            owner_id=item.owner_id,
            due=item.due_on,
            text=reason,
            kind="transferred",
        )
    elif lead is not None and lead.active and lead.due_on == old_due != item.due_on:
        lead.due_on = item.due_on
        lead.updated_at = stamp.at
        save_assignment(db, lead)
    refresh_clock(db, item)


def end_suspension(db: Reader, *, item: ItemRecord, stamp: Stamp, text: str | None) -> int:
    """End the item's suspension (``resume``, or a resolved or dropped item that was
    suspended): the spell's days join ``suspended_days`` and move the clock on, with
    a ``resumed`` event. Returns the spell's days (0 when it was not suspended)."""
    if item.suspended_on is None:
        return 0
    days = max(0, (stamp.today - item.suspended_on).days)
    record(
        db,
        stamp=stamp,
        kind="resumed",
        chain_id=item.chain_id,
        item_id=item.id,
        field="suspended_days",
        old=item.suspended_days,
        new=item.suspended_days + days,
        text=text,
    )
    item.suspended_days += days
    item.suspended_on = item.suspended_until = item.suspend_reason = None
    item.updated_at = stamp.at
    refresh_clock(db, item)
    return days


def _state_word(state: str) -> str:
    """An assignment's state as people read it (``received``, 已签收), for the refusals."""
    from chainlead.render.words import state_word

    return state_word(state)


def _units_said(parts: list[AssignmentRecord]) -> str:
    """The units with a part, with their role and state, for the refusals."""
    from chainlead.render.words import role_word

    said = [f"{p.unit} ({role_word(p.role)}, {_state_word(p.state)})" for p in parts]
    return ", ".join(said) or _("none")
