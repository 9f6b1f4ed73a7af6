"""Institutions (responsible units, 责任单位): the bodies bottleneck items are handed to.

A unit has a unique name, an optional unique short name (``发改委``), a kind
and a contact. Every item refers to one unit; the item's ``unit`` text is the
unit's name, kept equal to it (a rename changes both in one transaction), so
the reports read the name as before.

A unit is found by its exact name, its exact short name, or a name or short
name equal to what was typed once both are folded: NFKC (full-width forms
as half-width, ``ＡＢＣ`` as ``ABC``) and case folded. Names and short names
are unique in that folded form too, so a typed name finds one unit at most
(but for units an upgrade made from texts that differ only in case or
width: the exact text finds each, a folded one is refused as ambiguous).
An unknown name is refused with the closest names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from chainlead.domain import Stamp
from chainlead.domain.history import record
from chainlead.domain.registry import (
    find_named,
    fold,
    refuse_short_as_name,
    refuse_taken,
    suggestions,
)
from chainlead.domain.reports.model import NO_FOLLOW_UPS, SatisfactionRate
from chainlead.domain.views import ItemRow, choice, list_items
from chainlead.errors import AlreadyExists, RuleViolation, UnitNotFound
from chainlead.i18n import _
from chainlead.store.assignments import unit_assignment_counts, unit_extension_count
from chainlead.store.connection import Reader
from chainlead.store.time_limits import unit_original_on_time
from chainlead.store.units import (
    UnitCounts,
    UnitRecord,
    all_units,
    insert_unit,
    lock_unit_names,
    rename_unit,
    set_detail,
    unit_by_id,
    unit_counts,
    units_named,
)
from chainlead.values import check_name
from chainlead.vocabulary import UNIT_KINDS, UnitKind

__all__ = [
    "UnitDetail",
    "UnitRow",
    "add_unit",
    "edit_unit",
    "find_unit",
    "fold",
    "list_units",
    "rename_unit_named",
    "resolve_unit",
    "unit_detail",
]


@dataclass(frozen=True)
class UnitRow:
    """One line of ``unit list``."""

    name: str
    short: str | None
    kind: str
    contact: str | None
    open: int
    overdue: int
    resolved: int


@dataclass(frozen=True)
class UnitDetail:
    """Everything ``unit show`` tells about a unit."""

    uuid: str
    name: str
    short: str | None
    kind: str
    contact: str | None
    created_at: datetime
    open: int
    overdue: int
    resolved: int
    resolved_on_time: int
    on_time_rate: float | None  # resolved on or before the time limit / resolved
    items: tuple[ItemRow, ...]  # the open items it has a working part of, lead or co
    extensions: int = 0  # approved extensions of its items (asked by it, or led by it)
    resolved_on_time_original: int = 0  # resolved by the first time limit
    on_time_original_rate: float | None = None  # the same / resolved
    # Its parts in items (lead and co-handling), by state: assigned, received,
    # handling (at work), reported, returned (sent back), transferred (moved on).
    parts: dict[str, int] = field(default_factory=dict)
    # Follow-ups (回访) of the items it led: asked, satisfied or basically satisfied,
    # and the rate (满意率); to today.
    satisfaction: SatisfactionRate = NO_FOLLOW_UPS


def find_unit(db: Reader, text: str, *, field: str = "unit") -> UnitRecord | None:
    """The unit ``text`` names (exact name, exact short name, then folded), or None."""
    return find_named(
        lambda: all_units(db),
        text,
        field=field,
        what=_("institutions"),
        exact=lambda typed: units_named(db, typed),
    )


def get_unit(db: Reader, *, name: str, field: str = "unit") -> UnitRecord:
    """The unit ``name`` names, or UnitNotFound with the closest names."""
    cleaned = check_name(field, name) or ""
    unit = find_unit(db, cleaned, field=field)
    if unit is None:
        raise UnitNotFound("institution", cleaned, suggestions(all_units(db), cleaned))
    return unit


def resolve_unit(
    db: Reader, *, name: str, stamp: Stamp, create: bool = False, field: str = "--unit"
) -> UnitRecord:
    """The unit an item is handed to; with ``create``, an unknown name is added (kind other)."""
    cleaned = check_name(field, name) or ""
    unit = find_unit(db, cleaned, field=field)
    if unit is not None:
        return unit
    if not create:
        closest = suggestions(all_units(db), cleaned)
        raise UnitNotFound("institution", cleaned, closest, hint=_("give --new-unit to add it"))
    lock_unit_names(db)
    unit = find_unit(db, cleaned, field=field)  # another writer may have added it meanwhile
    if unit is not None:
        return unit
    return _add(db, name=cleaned, short=None, kind=UnitKind.other.value, contact=None, stamp=stamp)


def _refuse_taken(db: Reader, text: str, field: str, *, besides: int | None = None) -> None:
    refuse_taken(all_units(db), text, field, what=_("the institution"), besides=besides)


def _add(
    db: Reader, *, name: str, short: str | None, kind: str, contact: str | None, stamp: Stamp
) -> UnitRecord:
    lock_unit_names(db)
    _refuse_taken(db, name, "name")
    if short is not None:
        _refuse_taken(db, short, "--short")
        refuse_short_as_name(short, name)
    new_id = insert_unit(db, name=name, short=short, kind=kind, contact=contact, at=stamp.at)
    record(db, stamp=stamp, kind="unit_created", field="unit", new=name, text=short)
    return unit_by_id(db, new_id)


def add_unit(
    db: Reader,
    *,
    name: str,
    stamp: Stamp,
    short: str | None = None,
    kind: str = UnitKind.other.value,
    contact: str | None = None,
) -> UnitRecord:
    """Add an institution; its name and short name are new in any case and width."""
    cleaned = check_name("name", name) or ""
    short = check_name("--short", short, required=False)
    kind = choice("--kind", kind, UNIT_KINDS)
    contact = check_name("--contact", contact, required=False)
    return _add(db, name=cleaned, short=short, kind=kind, contact=contact, stamp=stamp)


def list_units(db: Reader, *, today: date) -> list[UnitRow]:
    """Every unit by name, with its open, overdue and resolved items."""
    counts = unit_counts(db, today=today)
    none = UnitCounts(0, 0, 0, 0)
    rows = []
    for unit in all_units(db):
        found = counts.get(unit.id, none)
        rows.append(
            UnitRow(
                name=unit.name,
                short=unit.short,
                kind=unit.kind,
                contact=unit.contact,
                open=found.open,
                overdue=found.overdue,
                resolved=found.resolved,
            )
        )
    return rows


def unit_detail(db: Reader, *, name: str, today: date, warning_days: int = 7) -> UnitDetail:
    """A unit's fields, its open items with their lights, and its counts."""
    unit = get_unit(db, name=name)
    found = unit_counts(db, today=today).get(unit.id, UnitCounts(0, 0, 0, 0))
    items = list_items(db, today=today, warning_days=warning_days, unit_id=unit.id)
    original = unit_original_on_time(db, unit.id)
    return UnitDetail(
        uuid=unit.uuid,
        name=unit.name,
        short=unit.short,
        kind=unit.kind,
        contact=unit.contact,
        created_at=unit.created_at,
        open=found.open,
        overdue=found.overdue,
        resolved=found.resolved,
        resolved_on_time=found.on_time,
        on_time_rate=round(found.on_time / found.resolved, 4) if found.resolved else None,
        items=tuple(items),
        parts={state: n for state, n in unit_assignment_counts(db, unit.id).items() if n},
        extensions=unit_extension_count(db, unit.id),
        resolved_on_time_original=original.on_time,
        on_time_original_rate=(
            round(original.on_time / original.resolved, 4) if original.resolved else None
        ),
        satisfaction=_satisfaction(db, unit.id, today),
    )


def _satisfaction(db: Reader, unit_id: int, today: date) -> SatisfactionRate:
    """The follow-ups of the items a unit led, to today."""
    from chainlead.store.enterprises import satisfaction

    found = satisfaction(db, by="unit", until=today).get(unit_id)
    if found is None:
        return NO_FOLLOW_UPS
    return SatisfactionRate(asked=found.asked, satisfied=found.satisfied, rate=found.rate)


@dataclass(frozen=True)
class UnitChange:
    """One field of a unit changed: what ``unit edit`` and ``unit rename`` report."""

    name: str
    field: str
    old: str | None
    new: str | None


def edit_unit(
    db: Reader,
    *,
    name: str,
    stamp: Stamp,
    short: str | None = None,
    kind: str | None = None,
    contact: str | None = None,
) -> list[UnitChange]:
    """Change a unit's short name, kind or contact (``''`` clears short and contact);
    ``None`` leaves a field as it is. Each change is one ``unit_edited`` event."""
    wanted: dict[str, str | None] = {}
    if short is not None:
        wanted["short"] = check_name("--short", short, required=False)
    if kind is not None:
        wanted["kind"] = choice("--kind", kind, UNIT_KINDS)
    if contact is not None:
        wanted["contact"] = check_name("--contact", contact, required=False)
    unit = get_unit(db, name=name)
    new_short = wanted.get("short")
    if new_short is not None and new_short != unit.short:
        _refuse_taken(db, new_short, "--short", besides=unit.id)
        refuse_short_as_name(new_short, unit.name)
    changes = []
    for key, value in wanted.items():
        old = getattr(unit, key)
        if value != old:
            set_detail(db, unit.id, key, value)
            record(
                db, stamp=stamp, kind="unit_edited", field=key, old=old, new=value, text=unit.name
            )
            changes.append(UnitChange(unit.name, key, old, value))
    return changes


def rename_unit_named(db: Reader, *, old: str, new: str, stamp: Stamp) -> tuple[UnitChange, int]:
    """Rename a unit; its items' unit text follows in the same transaction. The history
    keeps the old name where it was written. Returns the change and how many items followed."""
    unit = get_unit(db, name=old, field="OLD")
    cleaned = check_name("NEW", new) or ""
    if cleaned == unit.name:
        raise RuleViolation(_("NEW: {name!r} already has that name").format(name=unit.name))
    _refuse_taken(db, cleaned, "NEW", besides=unit.id)
    if unit.short is not None and fold(unit.short) == fold(cleaned):
        raise AlreadyExists(
            _("NEW: {cleaned!r} is the short name of {name!r}").format(
                cleaned=cleaned, name=unit.name
            )
        )
    moved = rename_unit(db, unit.id, cleaned)
    record(
        db,
        stamp=stamp,
        kind="unit_renamed",
        field="name",
        old=unit.name,
        new=cleaned,
    )
    return UnitChange(cleaned, "name", unit.name, cleaned), moved
