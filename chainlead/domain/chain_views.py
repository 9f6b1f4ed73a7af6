"""What ``chain show`` and ``team list`` show: a chain's card and its working team.

Read with plain SQL through a ``chainlead.reader.Reader`` (see
``chainlead.domain.views``), so on a SQLite file these commands never import
SQLAlchemy. Every function runs a fixed number of statements and returns
frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from chainlead.reader import Reader, day, day_or_none, moment, reader
from chainlead.store.chains import find_chain
from chainlead.store.teams import current_spells
from chainlead.vocabulary import LEADER, RESPONSIBLE

__all__ = [
    "ChainDetail",
    "HistoryEntry",
    "Holder",
    "Member",
    "RoleSpell",
    "chain_detail",
    "leader_on",
    "list_team",
]

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Member:
    name: str
    role: str
    unit: str | None
    title: str | None
    contact: str | None
    since: date


@dataclass(frozen=True)
class RoleSpell:
    """Who held the chain leader or responsible role, from when to when."""

    role: str
    name: str
    since: date
    until: date | None


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    kind: str
    field: str | None
    old: str | None
    new: str | None
    text: str | None


@dataclass(frozen=True)
class ChainDetail:
    code: str
    name: str
    description: str | None
    status: str
    created_at: datetime
    archived_on: date | None
    leader: str | None
    responsible: str | None
    team_size: int
    team: tuple[Member, ...]
    roles: tuple[RoleSpell, ...]
    history: tuple[HistoryEntry, ...]


@dataclass(frozen=True)
class Holder:
    """A person holding a role on a chain."""

    person_id: int
    name: str


# --------------------------------------------------------------------------- statements

_SPELLS = """
SELECT m.role, p.name, m.since, m.until
FROM membership m JOIN person p ON p.id = m.person_id
WHERE m.chain_id = :chain AND m.role IN (:leader, :responsible)
ORDER BY m.role, m.since, m.id
"""

_HISTORY = """
SELECT at, actor, kind, field, old, new, text
FROM event
WHERE chain_id = :chain AND item_id IS NULL
ORDER BY at, id
"""

_LEADER_SPELLS = """
SELECT p.id, p.name, m.since, m.until
FROM membership m JOIN person p ON p.id = m.person_id
WHERE m.chain_id = :chain AND m.role = :leader
ORDER BY m.since, m.id
"""

# --------------------------------------------------------------------------- reads


def _team(db: Reader, chain: int) -> list[Member]:
    """The current team: chain leader, responsible person, then by role, since and name."""
    return [
        Member(
            name=s.name, role=s.role, unit=s.unit, title=s.title, contact=s.contact, since=s.since
        )
        for s in current_spells(db, chain)
    ]


def list_team(source: Reader, *, code: str) -> list[Member]:
    """The chain's current team, chain leader and responsible person first."""
    db = reader(source)
    return _team(db, find_chain(db, code=code).id)


def chain_detail(source: Reader, *, code: str) -> ChainDetail:
    """Everything about one chain: team, role spells and the chain's own history."""
    db = reader(source)
    chain = find_chain(db, code=code)
    team = _team(db, chain.id)
    spells = db.rows(_SPELLS, {"chain": chain.id, "leader": LEADER, "responsible": RESPONSIBLE})
    events = db.rows(_HISTORY, {"chain": chain.id})
    return ChainDetail(
        code=chain.code,
        name=chain.name,
        description=chain.description,
        status=chain.status,
        created_at=chain.created_at,
        archived_on=chain.archived_on,
        leader=next((m.name for m in team if m.role == LEADER), None),
        responsible=next((m.name for m in team if m.role == RESPONSIBLE), None),
        team_size=sum(1 for m in team if m.role != LEADER),
        team=tuple(team),
        roles=tuple(
            RoleSpell(role=role, name=name, since=day(since), until=day_or_none(until))
            for role, name, since, until in spells
        ),
        history=tuple(
            HistoryEntry(
                at=moment(at), actor=actor, kind=kind, field=changed, old=old, new=new, text=text
            )
            for at, actor, kind, changed, old, new, text in events
        ),
    )


def leader_on(source: Reader, *, chain_id: int, day: date) -> Holder | None:
    """The chain leader on ``day`` from the membership spells.

    A spell covers ``since <= day < until`` (an open spell has no end). For a
    day before the chain's first recorded leader (entries written down after
    the fact), the first recorded leader is taken.
    """
    spells = [
        (Holder(person_id=int(person), name=name), since, until)
        for person, name, since, until in _leader_spells(reader(source), chain_id)
    ]
    covering = [
        holder for holder, since, until in spells if since <= day and (until is None or day < until)
    ]
    if covering:
        return covering[-1]
    if spells and day < spells[0][1]:
        return spells[0][0]
    current = [holder for holder, _, until in spells if until is None]
    return current[-1] if current else None


def _leader_spells(db: Reader, chain: int) -> list[tuple[int, str, date, date | None]]:
    """Every chain leader spell of the chain, by start."""
    return [
        (person, name, day(since), day_or_none(until))
        for person, name, since, until in db.rows(
            _LEADER_SPELLS, {"chain": chain, "leader": LEADER}
        )
    ]
