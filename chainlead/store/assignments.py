"""Assignments (交办) and extensions (延期) of items, and the item clock they drive."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from chainlead.store.connection import Reader, changed_one, day, day_or_none, moment, placeholders
from chainlead.store.items import ItemRecord
from chainlead.vocabulary import ACTIVE_ASSIGNMENT_STATES, ENDED_ASSIGNMENT_STATES


@dataclass
class AssignmentRecord:
    """An assignment row, with its unit's and owner's names; ``save_assignment`` stores it."""

    id: int
    uuid: str
    item_id: int
    unit_id: int
    role: str
    owner_id: int | None
    state: str
    assigned_on: date
    due_on: date
    receipt_due: date | None
    received_on: date | None
    reported_on: date | None
    report: str | None
    ended_on: date | None
    end_reason: str | None
    suggested: str | None
    created_at: datetime
    updated_at: datetime
    unit: str = ""  # the unit's name (read only)
    owner: str | None = None  # the owner's name (read only)

    @property
    def active(self) -> bool:
        """Still at work: assigned, received or handling."""
        return self.state in ACTIVE_ASSIGNMENT_STATES

    @property
    def standing(self) -> bool:
        """Not ended by a return or transfer (a reported assignment still stands)."""
        return self.state not in ENDED_ASSIGNMENT_STATES


_STORED = tuple(f.name for f in fields(AssignmentRecord))[:18]
_DAYS = ("assigned_on", "due_on", "receipt_due", "received_on", "reported_on", "ended_on")
_SELECT = (
    "SELECT "
    + ", ".join(f"a.{c}" for c in _STORED)
    + ", u.name, p.name FROM assignment a JOIN unit u ON u.id = a.unit_id "
    "LEFT JOIN person p ON p.id = a.owner_id"
)
_CHANGING = ("unit_id", "owner_id", "state", "due_on", "receipt_due", "received_on",
             "reported_on", "report", "ended_on", "end_reason", "suggested",
             "updated_at")  # fmt: skip


def _record(row: tuple) -> AssignmentRecord:
    values = dict(zip(_STORED, row[:18], strict=True))
    for name in _DAYS:
        values[name] = day_or_none(values[name])
    values["created_at"] = moment(values["created_at"])
    values["updated_at"] = moment(values["updated_at"])
    return AssignmentRecord(**values, unit=row[18], owner=row[19])


def assignments_of(db: Reader, item_id: int) -> list[AssignmentRecord]:
    """An item's assignments, lead first, then in the order made."""
    return [
        _record(row)
        for row in db.rows(
            _SELECT + " WHERE a.item_id = :item ORDER BY a.role = 'co', a.id", {"item": item_id}
        )
    ]


def insert_assignment(db: Reader, **values: object) -> int:
    """Store a new assignment (every stored column but ``id`` and ``uuid``); its id."""
    columns = [c for c in _STORED if c not in ("id", "uuid")]
    return db.insert(
        "INSERT INTO assignment (uuid, "
        + ", ".join(columns)
        + ") VALUES (:uuid, "
        + ", ".join(f":{c}" for c in columns)
        + ") RETURNING id",
        {"uuid": str(uuid.uuid4()), **{c: values.get(c) for c in columns}},
    )


def save_assignment(db: Reader, assignment: AssignmentRecord) -> None:
    count = db.execute(
        "UPDATE assignment SET " + ", ".join(f"{c} = :{c}" for c in _CHANGING) + " WHERE id = :id",
        {c: getattr(assignment, c) for c in ("id", *_CHANGING)},
    )
    changed_one(count)


def set_item_clock(db: Reader, item: ItemRecord, assignments: list[AssignmentRecord]) -> None:
    """Work out the item's clock from its limit, its working assignments and its suspension.

    ``clock_due``: the earliest limit of the item and of its working
    assignments, moved on by the days of suspension spells already ended;
    ``receipt_due``: the earliest sign-for limit of an assignment not yet
    received. The caller stores the item.
    """
    item.clock_due, item.receipt_due = clock_of(
        item.due_on, item.suspended_days, ((a.state, a.due_on, a.receipt_due) for a in assignments)
    )


def clock_of(
    due: date, suspended_days: int, parts: Iterable[tuple[str, date, date | None]]
) -> tuple[date, date | None]:
    """An item's ``clock_due`` and ``receipt_due`` from its limit, the days of its ended
    suspensions and its assignments as (state, due, receipt_due): what ``set_item_clock``
    stores, ``db check`` and the snapshot import expect."""
    active = [(state, limit, receipt) for state, limit, receipt in parts if state in _ACTIVE]
    earliest = min([due, *(limit for _, limit, _ in active)])
    waiting = [receipt for state, _, receipt in active if state == "assigned" and receipt]
    return earliest + timedelta(days=suspended_days or 0), min(waiting, default=None)


_ACTIVE = frozenset(ACTIVE_ASSIGNMENT_STATES)


# ---- extensions


@dataclass
class ExtensionRecord:
    id: int
    uuid: str
    item_id: int
    unit_id: int | None
    kind: str
    state: str
    requested_on: date
    requested_by: str
    from_due: date
    to_due: date
    why: str
    decided_on: date | None
    decided_by_id: int | None
    decision_note: str | None
    created_at: datetime
    updated_at: datetime
    unit: str | None = None
    decided_by: str | None = None


_EXT_STORED = tuple(f.name for f in fields(ExtensionRecord))[:16]
_EXT_SELECT = (
    "SELECT "
    + ", ".join(f"e.{c}" for c in _EXT_STORED)
    + ", u.name, p.name FROM extension e LEFT JOIN unit u ON u.id = e.unit_id "
    "LEFT JOIN person p ON p.id = e.decided_by_id"
)


def _extension(row: tuple) -> ExtensionRecord:
    values = dict(zip(_EXT_STORED, row[:16], strict=True))
    for name in ("requested_on", "from_due", "to_due"):
        values[name] = day(values[name])
    values["decided_on"] = day_or_none(values["decided_on"])
    values["created_at"] = moment(values["created_at"])
    values["updated_at"] = moment(values["updated_at"])
    return ExtensionRecord(**values, unit=row[16], decided_by=row[17])


def extensions_of(db: Reader, item_id: int) -> list[ExtensionRecord]:
    """An item's extension requests and edits of its limit, in the order filed."""
    return [
        _extension(row)
        for row in db.rows(
            _EXT_SELECT + " WHERE e.item_id = :item ORDER BY e.id", {"item": item_id}
        )
    ]


def insert_extension(db: Reader, **values: object) -> int:
    columns = [c for c in _EXT_STORED if c not in ("id", "uuid")]
    return db.insert(
        "INSERT INTO extension (uuid, "
        + ", ".join(columns)
        + ") VALUES (:uuid, "
        + ", ".join(f":{c}" for c in columns)
        + ") RETURNING id",
        {"uuid": str(uuid.uuid4()), **{c: values.get(c) for c in columns}},
    )


def decide_extension(db: Reader, extension: ExtensionRecord) -> None:
    """Store a request's answer (state, day, by whom, note)."""
    db.execute(
        "UPDATE extension SET state = :state, decided_on = :decided_on, "
        "decided_by_id = :decided_by_id, decision_note = :decision_note, "
        "updated_at = :updated_at WHERE id = :id",
        {
            "id": extension.id,
            "state": extension.state,
            "decided_on": extension.decided_on,
            "decided_by_id": extension.decided_by_id,
            "decision_note": extension.decision_note,
            "updated_at": extension.updated_at,
        },
    )


# ---- per-unit figures (unit show, reports)


def unit_assignment_counts(db: Reader, unit_id: int) -> dict[str, int]:
    """A unit's assignments by state."""
    return {
        state: int(count)
        for state, count in db.rows(
            "SELECT state, count(*) FROM assignment WHERE unit_id = :unit GROUP BY state",
            {"unit": unit_id},
        )
    }


def unit_extension_count(db: Reader, unit_id: int) -> int:
    """Approved extensions of items this unit leads or asked for."""
    within, params = placeholders("e", ENDED_ASSIGNMENT_STATES)
    return int(
        db.rows(
            "SELECT count(*) FROM extension e WHERE e.state = 'approved' AND (e.unit_id = :unit "
            "OR (e.unit_id IS NULL AND e.item_id IN (SELECT item_id FROM assignment "
            f"WHERE unit_id = :unit AND role = 'lead' AND state NOT IN {within})))",
            {"unit": unit_id, **params},
        )[0][0]
    )


# ---- snapshot
# A chain's assignments and extensions: rows as the driver gives them (the unit
# and people by name), for the export to spell, and snapshot records (``_item``
# the item's id, ``_id`` the row's, dates and times as Python values) for the
# merge to compare.

ASSIGNMENT_ROW = (
    "uuid", "unit", "role", "owner", "state", "assigned", "due", "receipt_due", "received",
    "reported", "report", "ended", "end_reason", "suggested", "created_at", "updated_at",
)  # fmt: skip
_ASSIGNMENT_ROWS = (
    "SELECT a.item_id, a.id, a.uuid, u.name, a.role, p.name, a.state, a.assigned_on, a.due_on, "
    "a.receipt_due, a.received_on, a.reported_on, a.report, a.ended_on, a.end_reason, "
    "a.suggested, a.created_at, a.updated_at FROM assignment a "
    "JOIN unit u ON u.id = a.unit_id LEFT JOIN person p ON p.id = a.owner_id "
    "WHERE a.item_id IN (SELECT id FROM item WHERE chain_id = :chain) "
    "ORDER BY a.item_id, a.created_at, a.id"
)
_ASSIGNMENT_DAYS = ("assigned", "due", "receipt_due", "received", "reported", "ended")
EXTENSION_ROW = (
    "uuid", "unit", "kind", "state", "requested", "requested_by", "from_due", "to_due", "why",
    "decided", "decided_by", "decision_note", "created_at", "updated_at",
)  # fmt: skip
_EXTENSION_ROWS = (
    "SELECT e.item_id, e.id, e.uuid, u.name, e.kind, e.state, e.requested_on, e.requested_by, "
    "e.from_due, e.to_due, e.why, e.decided_on, p.name, e.decision_note, e.created_at, "
    "e.updated_at FROM extension e LEFT JOIN unit u ON u.id = e.unit_id "
    "LEFT JOIN person p ON p.id = e.decided_by_id "
    "WHERE e.item_id IN (SELECT id FROM item WHERE chain_id = :chain) "
    "ORDER BY e.item_id, e.created_at, e.id"
)
_EXTENSION_DAYS = ("requested", "from_due", "to_due", "decided")


def chain_assignment_rows(db: Reader, chain_id: int) -> list[tuple]:
    """The assignments of a chain's items, by item, then as made (by time): each row the item's id,
    the assignment's id, then ``ASSIGNMENT_ROW``."""
    return db.rows(_ASSIGNMENT_ROWS, {"chain": chain_id})


def chain_extension_rows(db: Reader, chain_id: int) -> list[tuple]:
    """The extensions of a chain's items, by item, then as filed: each row the item's id,
    the extension's id, then ``EXTENSION_ROW``."""
    return db.rows(_EXTENSION_ROWS, {"chain": chain_id})


def _snapshot_records(
    rows: list[tuple], names: tuple[str, ...], days: tuple[str, ...]
) -> list[dict[str, object]]:
    records = []
    for row in rows:
        record: dict[str, object] = {"_item": row[0], "_id": row[1]}
        record.update(zip(names, row[2:], strict=True))
        for name in days:
            record[name] = day_or_none(record[name])
        record["created_at"] = moment(record["created_at"])
        record["updated_at"] = moment(record["updated_at"])
        records.append(record)
    return records


def chain_assignment_records(db: Reader, chain_id: int) -> list[dict[str, object]]:
    """The assignments of a chain's items as snapshot records, by item, then as made."""
    return _snapshot_records(chain_assignment_rows(db, chain_id), ASSIGNMENT_ROW, _ASSIGNMENT_DAYS)


def chain_extension_records(db: Reader, chain_id: int) -> list[dict[str, object]]:
    """The extensions of a chain's items as snapshot records, by item, then as filed."""
    return _snapshot_records(chain_extension_rows(db, chain_id), EXTENSION_ROW, _EXTENSION_DAYS)


def assignment_uuids(db: Reader) -> set[str]:
    return {row[0] for row in db.rows("SELECT uuid FROM assignment")}


def extension_uuids(db: Reader) -> set[str]:
    return {row[0] for row in db.rows("SELECT uuid FROM extension")}
