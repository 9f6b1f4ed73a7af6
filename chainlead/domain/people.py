"""People: chain leaders, responsible persons, team members, item owners, chairs."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from chainlead.domain import Stamp
from chainlead.domain.history import record
from chainlead.domain.registry import fold
from chainlead.errors import (
    AlreadyExists,
    InvalidInput,
    PersonNotFound,
    PersonUnknown,
    RuleViolation,
)
from chainlead.i18n import _
from chainlead.store.connection import Reader
from chainlead.store.people import (
    DETAILS,
    PersonEvent,
    PersonRecord,
    insert_person,
    open_items_owned,
    people,
    person_events,
    person_named,
    person_names,
    person_spells,
    set_detail,
    set_name,
)
from chainlead.values import check_name
from chainlead.vocabulary import LEADER, RESPONSIBLE

__all__ = [
    "PersonRecord",
    "add_person",
    "close_names",
    "edit_person",
    "ensure_person",
    "find_person",
    "list_people",
    "named_person",
    "person_called",
    "person_detail",
    "rename_person",
]


def close_names(db: Reader, name: str) -> list[str]:
    """Up to three known names closest to ``name`` (difflib), best first."""
    return difflib.get_close_matches(name, list(person_names(db).values()), n=3)


def person_called(db: Reader, name: str, *, field: str = "person") -> PersonRecord | None:
    """The person ``name`` names: the exact name, else the one name equal to it once
    both are folded (NFKC, so full-width ``ＺＨＡＮＧ　Ｗｅｉ`` is ``Zhang Wei``; case;
    spaces). Names are stored as typed; two folding alike are refused as ambiguous."""
    person = person_named(db, name)
    if person is not None:
        return person
    wanted = fold(name)
    found = sorted(n for n in person_names(db).values() if fold(n) == wanted)
    if len(found) > 1:
        raise RuleViolation(
            f"{field}: {name!r} matches {len(found)} people: "
            + ", ".join(found)
            + "; give the exact name"
        )
    return person_named(db, found[0]) if found else None


def find_person(db: Reader, *, name: str, field: str = "person") -> PersonRecord:
    """The person with exactly this name, or a PersonNotFound with suggestions."""
    cleaned = check_name(field, name) or ""
    person = person_called(db, cleaned, field=field)
    if person is None:
        raise PersonNotFound("person", cleaned, close_names(db, cleaned))
    return person


def named_person(
    db: Reader,
    *,
    name: str,
    field: str,
    stamp: Stamp,
    new_person: bool = False,
) -> PersonRecord:
    """The person an option (``--owner``, ``--chair``...) names.

    A known name gives the person. An unknown one is refused, naming the
    option and the closest known names, unless ``new_person`` (the user's
    ``--new-person``): then the person is created.
    """
    cleaned = check_name(field, name) or ""
    person = person_called(db, cleaned, field=field)
    if person is not None:
        return person
    if new_person:
        return ensure_person(db, name=cleaned, stamp=stamp, field=field)
    raise PersonUnknown(field, cleaned, close_names(db, cleaned))


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
        if value is not None:
            _change_detail(db, person, key, value, stamp)
    return person


def _change_detail(
    db: Reader, person: PersonRecord, key: str, value: str | None, stamp: Stamp
) -> None:
    """Store one of a person's ``DETAILS`` when it changes, with its event."""
    if getattr(person, key) == value:
        return
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


# --------------------------------------------------------------------------- commands


def add_person(
    db: Reader,
    *,
    name: str,
    stamp: Stamp,
    unit: str | None = None,
    title: str | None = None,
    contact: str | None = None,
) -> PersonRecord:
    """A new person; an existing name is refused."""
    cleaned = check_name("name", name) or ""
    if (taken := person_called(db, cleaned, field="name")) is not None:
        raise AlreadyExists(
            _(
                "person {name!r} already exists; change their details with `chainlead person edit`"
            ).format(name=taken.name)
        )
    return ensure_person(
        db, name=cleaned, stamp=stamp, field="name", unit=unit, title=title, contact=contact
    )


def edit_person(
    db: Reader,
    *,
    name: str,
    stamp: Stamp,
    unit: str | None = None,
    title: str | None = None,
    contact: str | None = None,
) -> PersonRecord:
    """Change a person's unit, title or contact; an empty text clears it."""
    if unit is None and title is None and contact is None:
        raise InvalidInput("person edit", _("give at least one of --unit, --title, --contact"))
    person = find_person(db, name=name, field="name")
    given = {"unit": unit, "title": title, "contact": contact}
    for key in DETAILS:
        value = given[key]
        if value is None:
            continue
        new = check_name(f"--{key}", value, required=False) if value.strip() else None
        _change_detail(db, person, key, new, stamp)
    return person


def rename_person(db: Reader, *, old: str, new: str, stamp: Stamp) -> PersonRecord:
    """Give a person a new name; items, teams and meetings follow (they hold the id)."""
    person = find_person(db, name=old, field="OLD")
    cleaned = check_name("NEW", new) or ""
    if cleaned == person.name:
        raise InvalidInput("NEW", _("the new name is the name the person has"), cleaned)
    taken = person_called(db, cleaned, field="NEW")
    if taken is not None and taken.id != person.id:
        raise AlreadyExists(_("person {name!r} already exists").format(name=taken.name))
    record(
        db,
        stamp=stamp,
        kind="person_renamed",
        person_id=person.id,
        field="name",
        old=person.name,
        new=cleaned,
    )
    set_name(db, person.id, cleaned)
    person.name = cleaned
    return person


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class PersonRow:
    """A person in ``person list``."""

    name: str
    unit: str | None
    title: str | None
    contact: str | None
    roles: str  # the chains and roles held now: "IC leader, AI member"
    open_items: int


@dataclass(frozen=True)
class PersonRole:
    """One spell on a chain's team, past or current."""

    chain: str
    role: str
    since: date
    until: date | None


@dataclass(frozen=True)
class OwnedOpen:
    """An open item the person owns."""

    key: str
    chain: str
    title: str
    status: str
    due_on: date


@dataclass(frozen=True)
class PersonDetail:
    name: str
    unit: str | None
    title: str | None
    contact: str | None
    roles: tuple[PersonRole, ...]
    open_items: tuple[OwnedOpen, ...]
    history: tuple[PersonEvent, ...]


def _role_order(role: str) -> int:
    return {LEADER: 0, RESPONSIBLE: 1}.get(role, 2)


def list_people(db: Reader) -> list[PersonRow]:
    """Everyone chainlead knows, by name, with the roles they hold now and items they own."""
    held: dict[int, list[tuple[str, str]]] = {}
    for spell in person_spells(db):
        if spell.until is None:
            held.setdefault(spell.person_id, []).append((spell.chain, spell.role))
    owned: dict[int, int] = {}
    for item in open_items_owned(db):
        owned[item.owner_id] = owned.get(item.owner_id, 0) + 1
    return [
        PersonRow(
            name=person.name,
            unit=person.unit,
            title=person.title,
            contact=person.contact,
            roles=", ".join(
                f"{chain} {role}"
                for chain, role in sorted(
                    held.get(person.id, []), key=lambda h: (_role_order(h[1]), h[0])
                )
            ),
            open_items=owned.get(person.id, 0),
        )
        for person in people(db)
    ]


def person_detail(db: Reader, *, name: str) -> PersonDetail:
    """One person: details, roles on every chain over time, open items owned, history."""
    person = find_person(db, name=name, field="name")
    return PersonDetail(
        name=person.name,
        unit=person.unit,
        title=person.title,
        contact=person.contact,
        roles=tuple(
            PersonRole(chain=s.chain, role=s.role, since=s.since, until=s.until)
            for s in person_spells(db, person.id)
        ),
        open_items=tuple(
            OwnedOpen(key=i.key, chain=i.chain, title=i.title, status=i.status, due_on=i.due_on)
            for i in open_items_owned(db, person.id)
        ),
        history=tuple(person_events(db, person.id)),
    )
