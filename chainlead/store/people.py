"""People: the names other records refer to; looked up, created, given details."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chainlead.store.connection import Reader, Row, moment

DETAILS = ("unit", "title", "contact")


@dataclass
class PersonRecord:
    """A person as stored."""

    id: int
    name: str
    unit: str | None
    title: str | None
    contact: str | None


def person_named(conn: Reader, name: str) -> PersonRecord | None:
    """The person with exactly this name, if any."""
    rows = conn.rows(
        "SELECT id, name, unit, title, contact FROM person WHERE name = :name", {"name": name}
    )
    return PersonRecord(*rows[0]) if rows else None


def insert_person(conn: Reader, *, name: str, at: datetime, **details: str | None) -> int:
    """Store a new person; its id."""
    return conn.insert(
        "INSERT INTO person (uuid, name, unit, title, contact, created_at) "
        "VALUES (:uuid, :name, :unit, :title, :contact, :at) RETURNING id",
        {"uuid": str(uuid.uuid4()), "name": name, "at": at, **details},
    )


def set_detail(conn: Reader, person_id: int, key: str, value: str | None) -> None:
    """Change one of ``DETAILS``."""
    if key not in DETAILS:
        raise ValueError(key)
    conn.execute(
        f"UPDATE person SET {key} = :value WHERE id = :id", {"value": value, "id": person_id}
    )


# ---- snapshot
# Rows as the driver gives them, for the export to spell as they are, and the
# same rows as snapshot records (the snapshot's names, ``_id`` the row's id,
# dates and times as Python values), for the merge to compare.

PERSON_ROW = ("id", "uuid", "name", "unit", "title", "contact", "created_at")


def person_names(db: Reader) -> dict[int, str]:
    """Every person's name by id."""
    return dict(db.rows("SELECT id, name FROM person"))


def person_rows(db: Reader) -> list[Row]:
    """Every person, each row ``PERSON_ROW``, in no particular order."""
    return db.rows("SELECT id, uuid, name, unit, title, contact, created_at FROM person")


def person_records(db: Reader) -> list[dict[str, Any]]:
    """Every person as a snapshot record (without its history), in no particular order."""
    return [
        {
            "_id": row[0],
            "uuid": row[1],
            "name": row[2],
            "unit": row[3],
            "title": row[4],
            "contact": row[5],
            "created_at": moment(row[6]),
        }
        for row in person_rows(db)
    ]


def people_named_by_chain(db: Reader, chain_id: int) -> set[int]:
    """The ids of everyone a chain's records name: its team, item owners, meeting
    chairs, and the people its history (the chain's, its meetings', its items') names."""
    rows = db.rows(
        "SELECT person_id FROM membership WHERE chain_id = :chain "
        "UNION SELECT owner_id FROM item WHERE chain_id = :chain "
        "UNION SELECT chair_id FROM meeting WHERE chain_id = :chain "
        "UNION SELECT person_id FROM event WHERE chain_id = :chain "
        "UNION SELECT e.person_id FROM event e JOIN item i ON i.id = e.item_id "
        "WHERE i.chain_id = :chain "
        "UNION SELECT e.person_id FROM event e JOIN meeting m ON m.id = e.meeting_id "
        "WHERE m.chain_id = :chain",
        {"chain": chain_id},
    )
    return {row[0] for row in rows if row[0] is not None}
