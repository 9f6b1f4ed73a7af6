"""People: their rows, looked up by name, created and given details."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from chainlead.reader import Reader, reader

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
    rows = reader(conn).rows(
        "SELECT id, name, unit, title, contact FROM person WHERE name = :name", {"name": name}
    )
    return PersonRecord(*rows[0]) if rows else None


def person_names(conn: Reader) -> list[str]:
    return [row[0] for row in reader(conn).rows("SELECT name FROM person")]


def insert_person(conn: Reader, *, name: str, at: datetime, **details: str | None) -> int:
    """Store a new person; its id."""
    return reader(conn).insert(
        "INSERT INTO person (uuid, name, unit, title, contact, created_at) "
        "VALUES (:uuid, :name, :unit, :title, :contact, :at) RETURNING id",
        {"uuid": str(uuid.uuid4()), "name": name, "at": at, **details},
    )


def set_detail(conn: Reader, person_id: int, key: str, value: str | None) -> None:
    """Change one of ``DETAILS``."""
    if key not in DETAILS:
        raise ValueError(key)
    reader(conn).execute(
        f"UPDATE person SET {key} = :value WHERE id = :id", {"value": value, "id": person_id}
    )
