"""People: chain leaders, responsible persons, team members, item owners, chairs.

Plain SQL through a ``Reader``: used by writes that need no ORM.
"""

from __future__ import annotations

import difflib
import uuid
from dataclasses import dataclass

from chainlead.domain import Stamp
from chainlead.domain.history import record
from chainlead.errors import PersonNotFound
from chainlead.reader import Reader, reader
from chainlead.values import check_name

DETAILS = ("unit", "title", "contact")
_BY_NAME = "SELECT id, name, unit, title, contact FROM person WHERE name = :name"


@dataclass
class PersonRecord:
    """A person as stored."""

    id: int
    name: str
    unit: str | None
    title: str | None
    contact: str | None


def _found(db: Reader, name: str) -> PersonRecord | None:
    rows = db.rows(_BY_NAME, {"name": name})
    return PersonRecord(*rows[0]) if rows else None


def find_person(source: Reader, *, name: str, field: str = "person") -> PersonRecord:
    """The person with exactly this name, or a PersonNotFound with suggestions."""
    db = reader(source)
    cleaned = check_name(field, name) or ""
    person = _found(db, cleaned)
    if person is None:
        names = [row[0] for row in db.rows("SELECT name FROM person")]
        raise PersonNotFound("person", cleaned, difflib.get_close_matches(cleaned, names, n=3))
    return person


def ensure_person(
    source: Reader,
    *,
    name: str,
    stamp: Stamp,
    field: str = "person",
    unit: str | None = None,
    title: str | None = None,
    contact: str | None = None,
) -> PersonRecord:
    """The person with this name, created when new; given details are updated."""
    db = reader(source)
    cleaned = check_name(field, name) or ""
    details = {
        "unit": check_name("--unit", unit, required=False),
        "title": check_name("--title", title, required=False),
        "contact": check_name("--contact", contact, required=False),
    }
    person = _found(db, cleaned)
    if person is None:
        new_id = db.insert(
            "INSERT INTO person (uuid, name, unit, title, contact, created_at) "
            "VALUES (:uuid, :name, :unit, :title, :contact, :at) RETURNING id",
            {"uuid": str(uuid.uuid4()), "name": cleaned, "at": stamp.at, **details},
        )
        record(db, stamp=stamp, kind="person_created", person_id=new_id, new=cleaned)
        return PersonRecord(id=new_id, name=cleaned, **details)
    for key in DETAILS:
        value = details[key]
        if value is not None and getattr(person, key) != value:
            record(
                db,
                stamp=stamp,
                kind="person_edited",
                person_id=person.id,
                field=key,
                old=getattr(person, key),
                new=value,
            )
            db.execute(
                f"UPDATE person SET {key} = :value WHERE id = :id",
                {"value": value, "id": person.id},
            )
            setattr(person, key, value)
    return person
