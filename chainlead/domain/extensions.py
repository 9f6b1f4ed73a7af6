"""Extensions (延期): asking for a later time limit, and the answer.

A unit with a standing assignment on the item, or the team itself, files a
request (``pending``); the chain's responsible person or chain leader
approves or refuses it (checked as ``close`` checks who signs off). One
request waits per item at a time. Approving moves the limit:

- a request of the team or of the lead unit moves the item's ``due_on``, and
  the lead assignment's limit when it was the item's old limit;
- a request of a co-handling unit moves that unit's assignment limit only.

The item's ``original_due_on`` never moves, so the reports can count on time
against the first limit too. ``bottleneck edit --due`` moves the limit at
once: it is kept as an approved extension of kind ``edit`` (``note_edit``).
Each step writes one event: ``extension_requested``, ``extension_approved``
or ``extension_refused``, field ``due_on``, old and new the two limits, the
reason as its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chainlead.domain import Stamp
from chainlead.domain.assignments import LEAD, find_part, lead_of, refresh_clock
from chainlead.domain.bottlenecks import _load, _refuse, _signer, _writable
from chainlead.domain.history import record
from chainlead.errors import InvalidInput, RuleViolation
from chainlead.i18n import _
from chainlead.store.assignments import (
    AssignmentRecord,
    ExtensionRecord,
    assignments_of,
    decide_extension,
    extensions_of,
    insert_extension,
    save_assignment,
)
from chainlead.store.connection import Reader
from chainlead.store.items import ItemRecord, save_item
from chainlead.values import check_text
from chainlead.vocabulary import (
    OPEN_STATUSES,
    TEXT_MAX,
    ExtensionKind,
    ExtensionState,
)

__all__ = [
    "ExtensionStep",
    "approve_extension",
    "note_edit",
    "refuse_extension",
    "request_extension",
]


@dataclass(frozen=True)
class ExtensionStep:
    """A request after a step: what the CLI tells the user."""

    key: str
    state: str  # pending | approved | refused
    unit: str | None  # the unit that asked, None for the team
    from_due: date
    to_due: date
    due_on: date  # the item's time limit now
    original_due_on: date
    clock_due: date
    by: str | None = None  # who decided
    own_limit: bool = False  # a co-handling unit's own limit, not the item's


def _step(
    item: ItemRecord,
    ext: ExtensionRecord,
    unit: str | None,
    by: str | None = None,
    own_limit: bool = False,
) -> ExtensionStep:
    return ExtensionStep(
        key=item.key,
        state=ext.state,
        unit=unit,
        from_due=ext.from_due,
        to_due=ext.to_due,
        due_on=item.due_on,
        original_due_on=item.original_due_on,
        clock_due=item.clock_due,
        by=by,
        own_limit=own_limit,
    )


def _pending(db: Reader, item: ItemRecord) -> ExtensionRecord | None:
    return next((e for e in extensions_of(db, item.id) if e.state == "pending"), None)


def _own_part(
    item: ItemRecord, parts: list[AssignmentRecord], unit_id: int | None
) -> AssignmentRecord | None:
    """The co-handling part whose own limit a request moves; None: the item's limit."""
    if unit_id is None:
        return None
    for part in parts:
        if part.unit_id == unit_id and part.standing:
            return None if part.role == LEAD else part
    raise RuleViolation(
        _(
            "{key}: the unit that asked no longer has a part in it; refuse the "
            "request with `chainlead bottleneck refuse {key} --by NAME --why ...`"
        ).format(key=item.key)
    )


def request_extension(
    db: Reader,
    *,
    key: str,
    to: date,
    why: str,
    stamp: Stamp,
    unit: str | None = None,
) -> ExtensionStep:
    """File a request for a later limit, by a unit of the item or by the team."""
    reason = check_text("--why", why, required=True, max_len=TEXT_MAX) or ""
    if to < stamp.today:
        raise RuleViolation(
            _("--to: {to} is before today ({today}); give a later date").format(
                to=to.isoformat(), today=stamp.today.isoformat()
            )
        )
    item = _load(db, key)
    _writable(db, item)
    if item.status not in OPEN_STATUSES:
        raise _refuse(item, "extend")
    parts = assignments_of(db, item.id)
    part = find_part(db, item, parts, unit, "--unit") if unit is not None else None
    own = part if part is not None and part.role != LEAD else None
    current = own.due_on if own is not None else item.due_on
    if to <= current:
        raise RuleViolation(
            _("--to: {to} is not after the current time limit {current}; give a later date").format(
                to=to.isoformat(), current=current.isoformat()
            )
        )
    waiting = _pending(db, item)
    if waiting is not None:
        raise RuleViolation(
            _(
                "{key} already has a pending extension request (to {to_due}, filed "
                "{requested_on}); answer it first with `chainlead bottleneck "
                "approve|refuse {key} --by NAME`"
            ).format(
                key=item.key,
                to_due=waiting.to_due.isoformat(),
                requested_on=waiting.requested_on.isoformat(),
            )
        )
    values = dict(
        item_id=item.id,
        unit_id=part.unit_id if part is not None else None,
        kind=ExtensionKind.request.value,
        state=ExtensionState.pending.value,
        requested_on=stamp.today,
        requested_by=stamp.actor,
        from_due=current,
        to_due=to,
        why=reason,
        decided_on=None,
        decided_by_id=None,
        decision_note=None,
        created_at=stamp.at,
        updated_at=stamp.at,
    )
    ext = ExtensionRecord(id=insert_extension(db, **values), uuid="", **values)  # type: ignore[arg-type]
    record(
        db,
        stamp=stamp,
        kind="extension_requested",
        chain_id=item.chain_id,
        item_id=item.id,
        unit_id=ext.unit_id,
        field="due_on",
        old=current,
        new=to,
        text=reason,
    )
    return _step(item, ext, part.unit if part is not None else None, own_limit=own is not None)


def _answerable(
    db: Reader, key: str, by: str, stamp: Stamp
) -> tuple[ItemRecord, ExtensionRecord, int, str]:
    item = _load(db, key)
    chain = _writable(db, item)
    person = _signer(db, chain=chain, by=by, stamp=stamp)
    ext = _pending(db, item)
    if ext is None:
        raise RuleViolation(
            _(
                "{key} has no pending extension request; file one with `chainlead "
                "bottleneck extend {key} --to DATE --why ...`"
            ).format(key=item.key)
        )
    return item, ext, person.id, person.name


def approve_extension(
    db: Reader, *, key: str, by: str, stamp: Stamp, note: str | None = None
) -> ExtensionStep:
    """Approve the pending request: the limit it asked for is the limit now."""
    note_text = check_text("--note", note, max_len=TEXT_MAX)
    item, ext, person_id, person = _answerable(db, key, by, stamp)
    if item.status not in OPEN_STATUSES:
        raise _refuse(item, "approve an extension of")
    parts = assignments_of(db, item.id)
    own = _own_part(item, parts, ext.unit_id)
    current = own.due_on if own is not None else item.due_on
    if ext.to_due <= current:
        raise RuleViolation(
            _(
                "{key}: the request asks for {to_due}, but the time limit has "
                "since moved to {current}; refuse it with `chainlead bottleneck "
                "refuse {key} --by NAME --why ...`"
            ).format(key=item.key, to_due=ext.to_due.isoformat(), current=current.isoformat())
        )
    if own is not None:
        own.due_on = ext.to_due
        own.updated_at = stamp.at
        save_assignment(db, own)
    else:
        old_due = item.due_on
        lead = lead_of(parts)
        if lead is not None and lead.active and lead.due_on == old_due:
            lead.due_on = ext.to_due
            lead.updated_at = stamp.at
            save_assignment(db, lead)
        item.due_on = ext.to_due
    ext.state = ExtensionState.approved.value
    ext.decided_on = stamp.today
    ext.decided_by_id = person_id
    ext.decision_note = note_text
    ext.updated_at = stamp.at
    decide_extension(db, ext)
    record(
        db,
        stamp=stamp,
        kind="extension_approved",
        chain_id=item.chain_id,
        item_id=item.id,
        unit_id=ext.unit_id,
        person_id=person_id,
        field="due_on",
        old=current,
        new=ext.to_due,
        text=note_text,
    )
    item.updated_at = stamp.at
    refresh_clock(db, item)
    return _step(item, ext, ext.unit, person, own_limit=own is not None)


def refuse_extension(db: Reader, *, key: str, by: str, why: str, stamp: Stamp) -> ExtensionStep:
    """Refuse the pending request: the limit stays as it is."""
    reason = check_text("--why", why, max_len=TEXT_MAX)
    if not reason:
        raise InvalidInput("--why", _("say why the extension is refused: give --why TEXT"))
    item, ext, person_id, person = _answerable(db, key, by, stamp)
    ext.state = ExtensionState.refused.value
    ext.decided_on = stamp.today
    ext.decided_by_id = person_id
    ext.decision_note = reason
    ext.updated_at = stamp.at
    decide_extension(db, ext)
    record(
        db,
        stamp=stamp,
        kind="extension_refused",
        chain_id=item.chain_id,
        item_id=item.id,
        unit_id=ext.unit_id,
        person_id=person_id,
        field="due_on",
        old=ext.from_due,
        new=ext.to_due,
        text=reason,
    )
    item.updated_at = stamp.at
    save_item(db, item)
    return _step(item, ext, ext.unit, person)


def note_edit(
    db: Reader, *, item: ItemRecord, old_due: date, stamp: Stamp, reason: str | None
) -> None:
    """``bottleneck edit --due`` moved the limit: kept as an approved extension (``edit``),
    as the upgrade to schema 0005 keeps the edits made before it."""
    insert_extension(
        db,
        item_id=item.id,
        unit_id=None,
        kind=ExtensionKind.edit.value,
        state=ExtensionState.approved.value,
        requested_on=stamp.today,
        requested_by=stamp.actor,
        from_due=old_due,
        to_due=item.due_on,
        why=reason or "",
        decided_on=stamp.today,
        decided_by_id=None,
        decision_note=None,
        created_at=stamp.at,
        updated_at=stamp.at,
    )
