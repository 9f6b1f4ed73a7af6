"""People: the names other records refer to; looked up, created, given details."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chainlead.store.connection import Reader, Row, day, day_or_none, moment, placeholders
from chainlead.vocabulary import OPEN_STATUSES

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


def set_name(conn: Reader, person_id: int, name: str) -> None:
    """Give a person a new name (everything else refers to the person by id)."""
    conn.execute("UPDATE person SET name = :name WHERE id = :id", {"name": name, "id": person_id})


# ---- person list and card


def people(conn: Reader) -> list[PersonRecord]:
    """Every person, by name."""
    return [
        PersonRecord(*row)
        for row in conn.rows("SELECT id, name, unit, title, contact FROM person ORDER BY name, id")
    ]


@dataclass(frozen=True)
class PersonSpell:
    """One spell a person served on a chain's team (``until`` None: still)."""

    person_id: int
    chain: str
    role: str
    since: date
    until: date | None


def person_spells(conn: Reader, person_id: int | None = None) -> list[PersonSpell]:
    """Spells, past and current, of one person (or everyone): by chain code, then since."""
    where = "" if person_id is None else "WHERE m.person_id = :person "
    return [
        PersonSpell(int(person), code, role, day(since), day_or_none(until))
        for person, code, role, since, until in conn.rows(
            "SELECT m.person_id, c.code, m.role, m.since, m.until "
            "FROM membership m JOIN chain c ON c.id = m.chain_id "
            f"{where}ORDER BY c.code, m.since, m.id",
            {} if person_id is None else {"person": person_id},
        )
    ]


@dataclass(frozen=True)
class OwnedItem:
    """An open item a person owns."""

    owner_id: int
    key: str
    chain: str
    title: str
    status: str
    due_on: date


def open_items_owned(
    conn: Reader, person_id: int | None = None, *, chain_id: int | None = None
) -> list[OwnedItem]:
    """Open items by owner (one person, or everyone; one chain, or all), by chain and number."""
    within, params = placeholders("o", OPEN_STATUSES)
    where = [f"i.status IN {within}", "i.owner_id IS NOT NULL"]
    if person_id is not None:
        where.append("i.owner_id = :person")
        params["person"] = person_id
    if chain_id is not None:
        where.append("i.chain_id = :chain")
        params["chain"] = chain_id
    return [
        OwnedItem(int(owner), key, code, title, status, day(due))
        for owner, key, code, title, status, due in conn.rows(
            'SELECT i.owner_id, i."key", c.code, i.title, i.status, i.due_on '
            "FROM item i JOIN chain c ON c.id = i.chain_id "
            f"WHERE {' AND '.join(where)} ORDER BY c.code, i.number",
            params,
        )
    ]


def set_item_owner(conn: Reader, item_id: int, person_id: int, at: datetime) -> None:
    """Hand an item to another owner."""
    conn.execute(
        "UPDATE item SET owner_id = :owner, updated_at = :at WHERE id = :id",
        {"owner": person_id, "at": at, "id": item_id},
    )


def item_id_for(conn: Reader, key: str) -> tuple[int, int]:
    """An item's id and its chain's id, by key."""
    row = conn.rows('SELECT id, chain_id FROM item WHERE "key" = :key', {"key": key})[0]
    return int(row[0]), int(row[1])


@dataclass(frozen=True)
class PersonEvent:
    """One event that names a person, oldest first."""

    at: datetime
    actor: str
    kind: str
    chain: str | None
    item: str | None
    meeting: str | None
    field: str | None
    old: str | None
    new: str | None
    text: str | None


def person_events(conn: Reader, person_id: int) -> list[PersonEvent]:
    """The events about a person: created, edited, renamed, roles, sign-offs."""
    return [
        PersonEvent(moment(at), actor, kind, chain, item, meeting, changed, old, new, text)
        for at, actor, kind, chain, item, meeting, changed, old, new, text in conn.rows(
            'SELECT e.at, e.actor, e.kind, c.code, i."key", m."key", e.field, e.old, e.new, '
            "e.text FROM event e LEFT JOIN chain c ON c.id = e.chain_id "
            "LEFT JOIN item i ON i.id = e.item_id LEFT JOIN meeting m ON m.id = e.meeting_id "
            "WHERE e.person_id = :person ORDER BY e.at, e.id",
            {"person": person_id},
        )
    ]


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
    """The ids of everyone a chain's records name: its team, item and assignment owners,
    meeting chairs, who decided its items' extensions, and the people its history (the
    chain's, its meetings', its items') names."""
    rows = db.rows(
        "SELECT person_id FROM membership WHERE chain_id = :chain "
        "UNION SELECT owner_id FROM item WHERE chain_id = :chain "
        "UNION SELECT chair_id FROM meeting WHERE chain_id = :chain "
        "UNION SELECT person_id FROM event WHERE chain_id = :chain "
        "UNION SELECT e.person_id FROM event e JOIN item i ON i.id = e.item_id "
        "WHERE i.chain_id = :chain "
        "UNION SELECT e.person_id FROM event e JOIN meeting m ON m.id = e.meeting_id "
        "WHERE m.chain_id = :chain "
        "UNION SELECT a.owner_id FROM assignment a JOIN item i ON i.id = a.item_id "
        "WHERE i.chain_id = :chain "
        "UNION SELECT x.decided_by_id FROM extension x JOIN item i ON i.id = x.item_id "
        "WHERE i.chain_id = :chain",
        {"chain": chain_id},
    )
    return {row[0] for row in rows if row[0] is not None}
