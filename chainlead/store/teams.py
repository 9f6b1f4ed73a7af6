"""Team memberships: the spells people serve on a chain's working team."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from chainlead.store.connection import Reader, Row, day, day_or_none, placeholders
from chainlead.vocabulary import LEADER, RESPONSIBLE, Role

# The order a team is listed in; other roles come after these.
ROLE_ORDER = {
    role: rank
    for rank, role in enumerate(
        (LEADER, RESPONSIBLE, Role.deputy.value, Role.member.value, Role.liaison.value)
    )
}


@dataclass
class Spell:
    """A current membership with the person holding it."""

    id: int
    person_id: int
    role: str
    since: date
    name: str
    unit: str | None
    title: str | None
    contact: str | None


def current_spells(conn: Reader, chain_id: int) -> list[Spell]:
    """The chain's current team (spells with no end): chain leader, responsible
    person, then by role, since and name."""
    spells = [
        Spell(int(spell), int(person), role, day(since), name, unit, title, contact)
        for spell, person, role, since, name, unit, title, contact in conn.rows(
            "SELECT m.id, m.person_id, m.role, m.since, p.name, p.unit, p.title, p.contact "
            "FROM membership m JOIN person p ON p.id = m.person_id "
            "WHERE m.chain_id = :chain AND m.until IS NULL ORDER BY m.id",
            {"chain": chain_id},
        )
    ]
    return sorted(spells, key=lambda s: (ROLE_ORDER.get(s.role, 9), s.since, s.name))


def end_spell(conn: Reader, spell: Spell, today: date) -> None:
    """End a spell today (never before it began); it is kept, not deleted."""
    conn.execute(
        "UPDATE membership SET until = :until WHERE id = :id",
        {"until": max(today, spell.since), "id": spell.id},
    )


def insert_spell(conn: Reader, *, chain_id: int, person_id: int, role: str, since: date) -> int:
    return conn.insert(
        "INSERT INTO membership (uuid, chain_id, person_id, role, since, until) "
        "VALUES (:uuid, :chain, :person, :role, :since, NULL) RETURNING id",
        {
            "uuid": str(uuid.uuid4()),
            "chain": chain_id,
            "person": person_id,
            "role": role,
            "since": since,
        },
    )


@dataclass(frozen=True)
class RoleSpell:
    """Who held a role on a chain, from when to when (``until`` None: still)."""

    person_id: int
    role: str
    name: str
    since: date
    until: date | None


def role_spells(conn: Reader, chain_id: int, roles: Sequence[str]) -> list[RoleSpell]:
    """Every spell, past and current, of these roles on the chain: by role, then start."""
    within, params = placeholders("r", roles)
    return [
        RoleSpell(int(person), role, name, day(since), day_or_none(until))
        for person, role, name, since, until in conn.rows(
            "SELECT p.id, m.role, p.name, m.since, m.until "
            "FROM membership m JOIN person p ON p.id = m.person_id "
            f"WHERE m.chain_id = :chain AND m.role IN {within} ORDER BY m.role, m.since, m.id",
            {"chain": chain_id, **params},
        )
    ]


def current_holders(conn: Reader) -> list[tuple[int, str, str]]:
    """Every current spell of every chain: (chain id, role, person's name)."""
    return [
        (int(chain), role, name)
        for chain, role, name in conn.rows(
            "SELECT m.chain_id, m.role, p.name FROM membership m "
            "JOIN person p ON p.id = m.person_id WHERE m.until IS NULL"
        )
    ]


# ---- snapshot
# Every spell of a chain, ended ones too: rows as the driver gives them, for the
# export to spell as they are, and snapshot records (the person by name,
# ``_id`` the row's id, ``_person`` the person's), for the merge to compare.

SPELL_ROW = ("id", "uuid", "person_id", "role", "since", "until")


def chain_spell_rows(db: Reader, chain_id: int) -> list[Row]:
    """A chain's spells by since, then as recorded: each row ``SPELL_ROW``."""
    return db.rows(
        "SELECT " + ", ".join(SPELL_ROW) + " FROM membership "
        "WHERE chain_id = :chain ORDER BY since, id",
        {"chain": chain_id},
    )


def chain_spell_records(db: Reader, chain_id: int, names: dict[int, str]) -> list[dict[str, Any]]:
    """A chain's spells as snapshot records, by since, then as recorded."""
    return [
        {
            "_id": row[0],
            "_person": row[2],
            "uuid": row[1],
            "person": names[row[2]],
            "role": row[3],
            "since": day(row[4]),
            "until": day_or_none(row[5]),
        }
        for row in chain_spell_rows(db, chain_id)
    ]


def membership_uuids(db: Reader) -> set[str]:
    """Every stored spell's uuid."""
    return {row[0] for row in db.rows("SELECT uuid FROM membership")}
