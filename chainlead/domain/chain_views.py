"""What ``chain show`` and ``team list`` show: a chain's card and its working team.

Every function runs a fixed number of statements and returns frozen
dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from chainlead.store.chains import find_chain
from chainlead.store.connection import Reader
from chainlead.store.history import HistoryEntry, chain_history
from chainlead.store.teams import current_spells, role_spells
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
class ChainDetail:
    code: str
    name: str
    description: str | None
    status: str
    created_at: datetime
    archived_on: date | None
    leader: str | None
    responsible: str | None
    team_size: int  # the working team: everyone listed but the chain leader
    team: tuple[Member, ...]
    roles: tuple[RoleSpell, ...]
    history: tuple[HistoryEntry, ...]
    members: int = 0  # everyone listed in ``team``: the chain leader and the working team
    archived_reason: str | None = None  # the reason given to ``chain archive --why``


@dataclass(frozen=True)
class Holder:
    """A person holding a role on a chain."""

    person_id: int
    name: str


# --------------------------------------------------------------------------- reads


def _team(db: Reader, chain: int) -> list[Member]:
    """The current team: chain leader, responsible person, then by role, since and name."""
    return [
        Member(
            name=s.name, role=s.role, unit=s.unit, title=s.title, contact=s.contact, since=s.since
        )
        for s in current_spells(db, chain)
    ]


def list_team(db: Reader, *, code: str) -> list[Member]:
    """The chain's current team, chain leader and responsible person first."""
    return _team(db, find_chain(db, code=code).id)


def chain_detail(db: Reader, *, code: str) -> ChainDetail:
    """Everything about one chain: team, role spells and the chain's own history."""
    chain = find_chain(db, code=code)
    team = _team(db, chain.id)
    history = chain_history(db, chain.id)
    archived = [e for e in history if e.kind == "archived"]
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
            RoleSpell(role=s.role, name=s.name, since=s.since, until=s.until)
            for s in role_spells(db, chain.id, (LEADER, RESPONSIBLE))
        ),
        history=tuple(history),
        members=len(team),
        archived_reason=archived[-1].text if archived and chain.archived_on else None,
    )


def leader_on(source: Reader, *, chain_id: int, day: date) -> Holder | None:
    """The chain leader on ``day`` from the membership spells.

    A spell covers ``since <= day < until`` (an open spell has no end). For a
    day before the chain's first recorded leader (entries written down after
    the fact), the first recorded leader is taken.
    """
    spells = [
        (Holder(person_id=spell.person_id, name=spell.name), spell.since, spell.until)
        for spell in role_spells(source, chain_id, (LEADER,))
    ]
    covering = [
        holder for holder, since, until in spells if since <= day and (until is None or day < until)
    ]
    if covering:
        return covering[-1]
    if spells and day < spells[0][1]:
        return spells[0][0]
    current = [holder for holder, _since, until in spells if until is None]
    return current[-1] if current else None
