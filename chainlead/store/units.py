"""Institutions (responsible units): looked up, added, changed, renamed, counted."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from chainlead.store.connection import DISTRICT_LOCK, Reader, moment, placeholders
from chainlead.vocabulary import OPEN_STATUSES

DETAILS = ("short", "kind", "contact")


@dataclass
class UnitRecord:
    """A unit as stored."""

    id: int
    uuid: str
    name: str
    short: str | None
    kind: str
    contact: str | None
    created_at: datetime


_SELECT = "SELECT id, uuid, name, short, kind, contact, created_at FROM unit"


def _record(row: tuple) -> UnitRecord:
    return UnitRecord(*row[:6], created_at=moment(row[6]))


def all_units(db: Reader) -> list[UnitRecord]:
    """Every unit, by name."""
    return [_record(row) for row in db.rows(_SELECT + " ORDER BY name")]


def unit_by_id(db: Reader, unit_id: int) -> UnitRecord:
    return _record(db.rows(_SELECT + " WHERE id = :id", {"id": unit_id})[0])


def unit_named(db: Reader, name: str) -> UnitRecord | None:
    """The unit with exactly this name, if any."""
    rows = db.rows(_SELECT + " WHERE name = :name", {"name": name})
    return _record(rows[0]) if rows else None


def units_named(db: Reader, text: str) -> list[UnitRecord]:
    """The units whose name or short name is exactly ``text`` (an index lookup)."""
    return [
        _record(row) for row in db.rows(_SELECT + " WHERE name = :t OR short = :t", {"t": text})
    ]


def unit_ids_by_name(db: Reader) -> dict[str, int]:
    """Every unit's id by name (the snapshot import links items by name)."""
    return {name: int(unit_id) for unit_id, name in db.rows("SELECT id, name FROM unit")}


# A transaction-scoped lock taken before a new unit is named: two writers
# adding the same new institution at once (items of different chains) then
# take turns, and the second finds the first's unit instead of colliding.
_UNIT_NAMES_LOCK = 0x756E6974  # "unit"


def lock_unit_names(db: Reader) -> None:
    """Hold the right to add units until the transaction ends (PostgreSQL; a
    SQLite writer already holds the whole database)."""
    if not db.sqlite:
        db.rows(DISTRICT_LOCK, {"key": _UNIT_NAMES_LOCK})


def insert_unit(
    db: Reader,
    *,
    name: str,
    short: str | None,
    kind: str,
    contact: str | None,
    at: datetime,
) -> int:
    """Store a new unit; its id."""
    return db.insert(
        "INSERT INTO unit (uuid, name, short, kind, contact, created_at) "
        "VALUES (:uuid, :name, :short, :kind, :contact, :at) RETURNING id",
        {
            "uuid": str(uuid.uuid4()),
            "name": name,
            "short": short,
            "kind": kind,
            "contact": contact,
            "at": at,
        },
    )


def set_detail(db: Reader, unit_id: int, key: str, value: str | None) -> None:
    """Change one of ``DETAILS``."""
    if key not in DETAILS:
        raise ValueError(key)
    db.execute(f"UPDATE unit SET {key} = :value WHERE id = :id", {"value": value, "id": unit_id})


def rename_unit(db: Reader, unit_id: int, name: str) -> int:
    """Give a unit a new name, and its items the same text; how many items follow."""
    db.execute("UPDATE unit SET name = :name WHERE id = :id", {"name": name, "id": unit_id})
    return db.execute(
        "UPDATE item SET unit = :name WHERE unit_id = :id", {"name": name, "id": unit_id}
    )


@dataclass(frozen=True)
class UnitCounts:
    """A unit's work: open, overdue (open past the time limit), resolved, on time."""

    open: int
    overdue: int
    resolved: int
    on_time: int


def unit_counts(db: Reader, *, today: date) -> dict[int, UnitCounts]:
    """Each unit's counts by unit id (units without items are left out)."""
    within, params = placeholders("o", OPEN_STATUSES)
    rows = db.rows(
        "SELECT unit_id, "
        f"sum(CASE WHEN status IN {within} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN status IN {within} AND due_on < :today THEN 1 ELSE 0 END), "
        "sum(CASE WHEN resolved_on IS NOT NULL THEN 1 ELSE 0 END), "
        "sum(CASE WHEN resolved_on IS NOT NULL AND resolved_on <= due_on THEN 1 ELSE 0 END) "
        "FROM item GROUP BY unit_id",
        {**params, "today": today},
    )
    return {
        int(unit_id): UnitCounts(*(int(value or 0) for value in values))
        for unit_id, *values in rows
    }


# ---- snapshot


def unit_names(db: Reader) -> dict[int, str]:
    """Every unit's name by id."""
    return dict(db.rows("SELECT id, name FROM unit"))


def unit_rows(db: Reader) -> list[tuple]:
    """Every unit by name: (id, uuid, name, short, kind, contact, created_at) as the
    driver gives them."""
    rows = db.rows(_SELECT)
    rows.sort(key=lambda row: row[2])  # code point order, the same on every database
    return rows


def unit_records(db: Reader) -> list[dict[str, object]]:
    """Every unit as a snapshot record (``_id`` the row's id), by name."""
    return [
        {
            "_id": row[0],
            "uuid": row[1],
            "name": row[2],
            "short": row[3],
            "kind": row[4],
            "contact": row[5],
            "created_at": moment(row[6]),
        }
        for row in unit_rows(db)
    ]
