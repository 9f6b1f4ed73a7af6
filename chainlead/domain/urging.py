"""Urging (催办) and suspension (挂起) of items.

``urge`` presses an item (or one of its units) to move: an ``urged`` event
(with the unit, when one is named), the item's urge count and last urge. The
same unit, or the item with no unit named, is urged at most once within
``urge_interval_hours``.

``suspend`` stops an unresolved item's clock while it waits on something
outside the district (a provincial approval, a court): its light reads
``suspended`` (``yellow`` once past the day it was suspended until) and its
days over stand still. ``resume`` adds the spell's days to
``suspended_days``, which moves the clock on by as many days
(``store.assignments.set_item_clock``), and clears the suspension.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from chainlead.domain import Stamp
from chainlead.domain.assignments import end_suspension, find_part
from chainlead.domain.bottlenecks import _load, _refuse, _writable
from chainlead.domain.history import record
from chainlead.errors import RuleViolation
from chainlead.i18n import _
from chainlead.store.assignments import assignments_of
from chainlead.store.connection import Reader
from chainlead.store.items import save_item
from chainlead.store.time_limits import last_urge
from chainlead.values import check_text
from chainlead.vocabulary import OPEN_STATUSES, TEXT_MAX

__all__ = ["Suspension", "Urge", "resume_item", "suspend_item", "urge_item"]


@dataclass(frozen=True)
class Urge:
    key: str
    unit: str | None
    urge_count: int
    at: datetime  # naive UTC
    next_at: datetime  # the next urge of the same unit is allowed from then (naive UTC)


@dataclass(frozen=True)
class Suspension:
    key: str
    suspended: bool  # True after suspend, False after resume
    since: date
    until: date | None
    reason: str | None
    days: int  # resume: the days of this spell
    suspended_days: int  # every ended spell's days
    clock_due: date


def _when(moment: datetime, zone: tzinfo) -> str:
    """A stored time in the stamp's zone, with its offset (`` UTC`` in UTC)."""
    shown = moment.replace(tzinfo=UTC).astimezone(zone).isoformat(timespec="seconds")
    return shown.removesuffix("+00:00") + " UTC" if shown.endswith("+00:00") else shown


def urge_item(
    db: Reader,
    *,
    key: str,
    stamp: Stamp,
    interval_hours: int,
    unit: str | None = None,
    note: str | None = None,
) -> Urge:
    """Urge an unresolved item, or one of its units still at work."""
    note_text = check_text("--note", note, max_len=TEXT_MAX)
    item = _load(db, key)
    _writable(db, item)
    if item.status not in OPEN_STATUSES:
        raise _refuse(item, "urge")
    part = None
    if unit is not None:
        part = find_part(db, item, assignments_of(db, item.id), unit, "--unit")
        if not part.active:
            raise RuleViolation(
                _(
                    "--unit: {unit}'s part in {key} is {state}; urge a unit still "
                    "at work (assigned, received or handling)"
                ).format(unit=part.unit, key=item.key, state=part.state)
            )
    unit_id = part.unit_id if part is not None else None
    interval = timedelta(hours=interval_hours)
    last = last_urge(db, item.id, unit_id)
    if last is not None and stamp.at < last + interval:
        whom = part.unit if part is not None else item.key
        raise RuleViolation(
            _(
                "urge_interval_hours: {whom} was urged at {when}; urge again from "
                "{when2} (every {interval_hours} h at most)"
            ).format(
                whom=whom,
                when=_when(last, stamp.zone),
                when2=_when(last + interval, stamp.zone),
                interval_hours=interval_hours,
            )
        )
    record(
        db,
        stamp=stamp,
        kind="urged",
        chain_id=item.chain_id,
        item_id=item.id,
        unit_id=unit_id,
        person_id=part.owner_id if part is not None else None,
        field="urge_count",
        old=item.urge_count,
        new=item.urge_count + 1,
        text=note_text,
    )
    item.urge_count += 1
    item.last_urged_at = stamp.at
    item.updated_at = stamp.at
    save_item(db, item)
    return Urge(
        key=item.key,
        unit=part.unit if part is not None else None,
        urge_count=item.urge_count,
        at=stamp.at,
        next_at=stamp.at + interval,
    )


def suspend_item(
    db: Reader, *, key: str, why: str, stamp: Stamp, until: date | None = None
) -> Suspension:
    """Stop an unresolved item's clock, with the reason and, maybe, until when."""
    reason = check_text("--why", why, required=True, max_len=TEXT_MAX) or ""
    if until is not None and until < stamp.today:
        raise RuleViolation(
            _("--until: {until} is before today ({today}); give a date from today on").format(
                until=until.isoformat(), today=stamp.today.isoformat()
            )
        )
    item = _load(db, key)
    _writable(db, item)
    if item.status not in OPEN_STATUSES:
        raise _refuse(item, "suspend")
    if item.suspended_on is not None:
        raise RuleViolation(
            _(
                "{key} is already suspended since {suspended_on}; resume it first "
                "with `chainlead bottleneck resume {key}`"
            ).format(key=item.key, suspended_on=item.suspended_on.isoformat())
        )
    record(
        db,
        stamp=stamp,
        kind="suspended",
        chain_id=item.chain_id,
        item_id=item.id,
        field="suspended_until",
        new=until,
        text=reason,
    )
    item.suspended_on = stamp.today
    item.suspended_until = until
    item.suspend_reason = reason
    item.updated_at = stamp.at
    save_item(db, item)
    return Suspension(
        key=item.key,
        suspended=True,
        since=stamp.today,
        until=until,
        reason=reason,
        days=0,
        suspended_days=item.suspended_days,
        clock_due=item.clock_due,
    )


def resume_item(db: Reader, *, key: str, stamp: Stamp, note: str | None = None) -> Suspension:
    """End the item's suspension: its clock moves on by the days it was suspended."""
    note_text = check_text("--note", note, max_len=TEXT_MAX)
    item = _load(db, key)
    _writable(db, item)
    if item.suspended_on is None:
        raise RuleViolation(
            _(
                "{key} is not suspended; suspend it with `chainlead bottleneck "
                "suspend {key} --why ...`"
            ).format(key=item.key)
        )
    since, until, reason = item.suspended_on, item.suspended_until, item.suspend_reason
    days = end_suspension(db, item=item, stamp=stamp, text=note_text)
    return Suspension(
        key=item.key,
        suspended=False,
        since=since,
        until=until,
        reason=reason,
        days=days,
        suspended_days=item.suspended_days,
        clock_due=item.clock_due,
    )
