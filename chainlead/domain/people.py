"""People: chain leaders, responsible persons, team members, item owners, chairs."""

from __future__ import annotations

import difflib

from chainlead.domain import Stamp
from chainlead.domain.history import record
from chainlead.errors import PersonNotFound
from chainlead.store.connection import Reader
from chainlead.store.people import (
    DETAILS,
    PersonRecord,
    insert_person,
    person_named,
    person_names,
    set_detail,
)
from chainlead.values import check_name

__all__ = ["PersonRecord", "ensure_person", "find_person"]


def find_person(db: Reader, *, name: str, field: str = "person") -> PersonRecord:
    """The person with exactly this name, or a PersonNotFound with suggestions."""
    cleaned = check_name(field, name) or ""
    person = person_named(db, cleaned)
    if person is None:
        names = list(person_names(db).values())
        raise PersonNotFound("person", cleaned, difflib.get_close_matches(cleaned, names, n=3))
    return person


def ensure_person(
    db: Reader,
    *,
    name: str,
    stamp: Stamp,
    field: str = "person",
    unit: str | None = None,
    title: str | None = None,
    contact: str | None = None,
) -> PersonRecord:
    """The person with this name, created when new; given details are updated."""
    cleaned = check_name(field, name) or ""
    details = {
        "unit": check_name("--unit", unit, required=False),
        "title": check_name("--title", title, required=False),
        "contact": check_name("--contact", contact, required=False),
    }
    person = person_named(db, cleaned)
    if person is None:
        new_id = insert_person(db, name=cleaned, at=stamp.at, **details)
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
            set_detail(db, person.id, key, value)
            setattr(person, key, value)
    return person
