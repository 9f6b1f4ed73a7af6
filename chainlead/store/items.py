"""Bottleneck items, their meeting links and their sign-off holders, as writes need them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import date, datetime

from chainlead.reader import Reader, day, moment, reader
from chainlead.vocabulary import LEADER, RESPONSIBLE


@dataclass
class ItemRecord:
    """An item row; a write changes its fields and ``save_item`` stores them."""

    id: int
    key: str
    chain_id: int
    number: int
    title: str
    detail: str | None
    enterprise: str | None
    source: str
    category: str | None
    priority: str
    unit: str
    owner_id: int | None
    raised_on: date
    due_on: date
    status: str
    resolution: str | None
    resolved_on: date | None
    closed_on: date | None
    status_reason: str | None
    created_at: datetime
    updated_at: datetime


COLUMNS = tuple(f.name for f in fields(ItemRecord))
_SELECT = "SELECT " + ", ".join(f'"{c}"' for c in COLUMNS) + " FROM item"
_DAYS = ("raised_on", "due_on", "resolved_on", "closed_on")
_TIMES = ("created_at", "updated_at")
_CHANGING = COLUMNS[4:]  # title ... updated_at: what a write may change
_UPDATE = "UPDATE item SET " + ", ".join(f'"{c}" = :{c}' for c in _CHANGING) + " WHERE id = :id"
_INSERT = (
    "INSERT INTO item (uuid, "
    + ", ".join(f'"{c}"' for c in COLUMNS[1:])
    + ") VALUES (:uuid, "
    + ", ".join(f":{c}" for c in COLUMNS[1:])
    + ") RETURNING id"
)


def _record(row: tuple) -> ItemRecord:
    values = dict(zip(COLUMNS, row, strict=True))
    for name in _DAYS:
        if values[name] is not None:
            values[name] = day(values[name])
    for name in _TIMES:
        values[name] = moment(values[name])
    return ItemRecord(**values)


def item_by_key(conn: Reader, key: str, *, for_update: bool = False) -> ItemRecord | None:
    """The item with this (normalised) key; locked on PostgreSQL when ``for_update``."""
    db = reader(conn)
    sql = _SELECT + ' WHERE "key" = :key'
    rows = db.rows(sql + (" FOR UPDATE" if for_update and not db.sqlite else ""), {"key": key})
    return _record(rows[0]) if rows else None


def insert_item(conn: Reader, **values: object) -> int:
    """Store a new item (every column but ``id``); its id."""
    return reader(conn).insert(_INSERT, {"uuid": str(uuid.uuid4()), **values})


def save_item(conn: Reader, item: ItemRecord) -> None:
    """Store the fields a write changed."""
    reader(conn).execute(_UPDATE, {c: getattr(item, c) for c in ("id", *_CHANGING)})


def links_of(conn: Reader, item_id: int) -> list[tuple[int, str, str]]:
    """An item's meeting links: (meeting id, relation, meeting key)."""
    return [
        (int(meeting_id), relation, key)
        for meeting_id, relation, key in reader(conn).rows(
            'SELECT l.meeting_id, l.relation, m."key" FROM meeting_item l '
            "JOIN meeting m ON m.id = l.meeting_id WHERE l.item_id = :item ORDER BY l.id",
            {"item": item_id},
        )
    ]


def insert_link(conn: Reader, *, meeting_id: int, item_id: int, relation: str) -> int:
    return reader(conn).insert(
        "INSERT INTO meeting_item (uuid, meeting_id, item_id, relation) "
        "VALUES (:uuid, :meeting, :item, :relation) RETURNING id",
        {"uuid": str(uuid.uuid4()), "meeting": meeting_id, "item": item_id, "relation": relation},
    )


def signers(conn: Reader, chain_id: int) -> list[tuple[int, str, str]]:
    """The chain's current chain leader and responsible person: (person id, name, role)."""
    return [
        (int(person_id), name, role)
        for person_id, name, role in reader(conn).rows(
            "SELECT p.id, p.name, m.role FROM membership m JOIN person p ON p.id = m.person_id "
            "WHERE m.chain_id = :chain AND m.until IS NULL AND m.role IN (:leader, :responsible)",
            {"chain": chain_id, "leader": LEADER, "responsible": RESPONSIBLE},
        )
    ]


def person_name(conn: Reader, person_id: int) -> str:
    return str(reader(conn).rows("SELECT name FROM person WHERE id = :id", {"id": person_id})[0][0])
