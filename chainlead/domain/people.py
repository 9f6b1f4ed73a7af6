"""People: chain leaders, responsible persons, team members, item owners, chairs."""

from __future__ import annotations

import difflib

from sqlmodel import Session, select

from chainlead.domain import Stamp
from chainlead.domain.history import record
from chainlead.errors import PersonNotFound
from chainlead.models import Person
from chainlead.values import check_name


def find_person(session: Session, *, name: str, field: str = "person") -> Person:
    """The person with exactly this name, or a PersonNotFound with suggestions."""
    cleaned = check_name(field, name)
    person = session.exec(select(Person).where(Person.name == cleaned)).first()
    if person is None:
        names = list(session.exec(select(Person.name)).all())
        raise PersonNotFound(
            "person", cleaned or "", difflib.get_close_matches(cleaned or "", names, n=3)
        )
    return person


def ensure_person(
    session: Session,
    *,
    name: str,
    stamp: Stamp,
    field: str = "person",
    unit: str | None = None,
    title: str | None = None,
    contact: str | None = None,
) -> Person:
    """The person with this name, created when new; given details are updated."""
    cleaned = check_name(field, name)
    details = {
        "unit": check_name("--unit", unit, required=False),
        "title": check_name("--title", title, required=False),
        "contact": check_name("--contact", contact, required=False),
    }
    person = session.exec(select(Person).where(Person.name == cleaned)).first()
    if person is None:
        person = Person(name=cleaned, created_at=stamp.at, **details)
        session.add(person)
        session.flush()
        record(session, stamp=stamp, kind="person_created", person_id=person.id, new=cleaned)
        return person
    for key, value in details.items():
        if value is not None and getattr(person, key) != value:
            record(
                session,
                stamp=stamp,
                kind="person_edited",
                person_id=person.id,
                field=key,
                old=getattr(person, key),
                new=value,
            )
            setattr(person, key, value)
    return person
