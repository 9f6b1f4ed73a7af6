"""Chains and their working teams.

The rule "one chain, one chain leader, one working team, one responsible
person" holds at every moment: a chain is created with both, replacing either
ends the old spell (kept, never overwritten), and the responsible person
cannot leave the team while responsible.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from chainlead.domain import Stamp
from chainlead.domain.chain_views import ROLE_ORDER, ChainDetail, Member, chain_detail
from chainlead.domain.history import record
from chainlead.domain.people import ensure_person, find_person
from chainlead.domain.views import chain_not_found
from chainlead.errors import AlreadyExists, InvalidInput, RuleViolation
from chainlead.models import Chain, Membership, Person
from chainlead.store.chains import require_active
from chainlead.values import check_name, check_text, normalize_code
from chainlead.vocabulary import LEADER, RESPONSIBLE, TEAM_ROLES, TEXT_MAX


def get_chain(session: Session, *, code: str, field: str = "chain") -> Chain:
    """The chain with this code (any case), or ChainNotFound with suggestions."""
    normalized = normalize_code(code, field)
    chain = session.exec(select(Chain).where(Chain.code == normalized)).first()
    if chain is None:
        raise chain_not_found(session, normalized)
    return chain


def _current(session: Session, chain_id: int) -> list[tuple[Membership, Person]]:
    rows = session.exec(
        select(Membership, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.chain_id == chain_id, Membership.until.is_(None))  # type: ignore[union-attr]
    ).all()
    return sorted(rows, key=lambda r: (ROLE_ORDER.get(r[0].role, 9), r[0].since, r[1].name))


def _end(membership: Membership, today: date) -> None:
    membership.until = max(today, membership.since)


def _assign_role(
    session: Session, *, chain: Chain, person: Person, role: str, stamp: Stamp
) -> None:
    """Give ``person`` the leader or responsible role, ending the previous holder's spell."""
    current = _current(session, chain.id)  # type: ignore[arg-type]
    holder = next((m for m, p in current if m.role == role), None)
    if holder is not None and holder.person_id == person.id:
        return
    own = next((m for m, p in current if m.person_id == person.id), None)
    if own is not None and own.role in (LEADER, RESPONSIBLE):
        other = "chain leader" if own.role == LEADER else "responsible person"
        raise RuleViolation(
            f"{person.name} is already the {other} of {chain.code}; "
            "one person cannot hold both roles"
        )
    old_name = None
    if holder is not None:
        old_name = session.get(Person, holder.person_id).name  # type: ignore[union-attr]
        _end(holder, stamp.today)
    if own is not None:
        _end(own, stamp.today)
    session.flush()
    session.add(
        Membership(chain_id=chain.id, person_id=person.id, role=role, since=stamp.today)  # type: ignore[arg-type]
    )
    record(
        session,
        stamp=stamp,
        kind=role,
        chain_id=chain.id,
        person_id=person.id,
        field=role,
        old=old_name,
        new=person.name,
    )


def add_chain(
    session: Session,
    *,
    code: str,
    name: str,
    leader: str | None,
    responsible: str | None,
    stamp: Stamp,
    description: str | None = None,
    members: tuple[str, ...] = (),
) -> ChainDetail:
    """Create a chain with its chain leader, responsible person and first members."""
    code = normalize_code(code, "code")
    name = check_name("name", name) or ""
    description = check_text("--description", description, max_len=TEXT_MAX)
    if not leader or not leader.strip():
        raise InvalidInput("--leader", "a chain needs its chain leader: give --leader NAME")
    if not responsible or not responsible.strip():
        raise InvalidInput(
            "--responsible", "a chain needs its responsible person: give --responsible NAME"
        )
    if session.exec(select(Chain).where(Chain.code == code)).first():
        raise AlreadyExists(f"chain code {code} is already taken")
    if session.exec(select(Chain).where(func.lower(Chain.name) == name.lower())).first():
        raise AlreadyExists(f"chain name {name!r} is already taken")
    chain = Chain(code=code, name=name, description=description, created_at=stamp.at)
    session.add(chain)
    session.flush()
    record(session, stamp=stamp, kind="created", chain_id=chain.id, new=code, text=name)
    leader_person = ensure_person(session, name=leader, stamp=stamp, field="--leader")
    responsible_person = ensure_person(
        session, name=responsible, stamp=stamp, field="--responsible"
    )
    if leader_person.id == responsible_person.id:
        raise RuleViolation(
            "--responsible: the responsible person must be someone other than the chain leader"
        )
    _assign_role(session, chain=chain, person=leader_person, role=LEADER, stamp=stamp)
    _assign_role(session, chain=chain, person=responsible_person, role=RESPONSIBLE, stamp=stamp)
    for member in members:
        add_member(session, code=code, name=member, role="member", stamp=stamp)
    session.flush()
    return chain_detail(session, code=code)


def edit_chain(
    session: Session,
    *,
    code: str,
    stamp: Stamp,
    name: str | None = None,
    description: str | None = None,
    leader: str | None = None,
    responsible: str | None = None,
) -> ChainDetail:
    """Rename, describe, or hand the chain leader / responsible role to someone else."""
    chain = get_chain(session, code=code)
    require_active(chain)
    if name is not None:
        new_name = check_name("--name", name) or ""
        clash = session.exec(
            select(Chain).where(func.lower(Chain.name) == new_name.lower(), Chain.id != chain.id)
        ).first()
        if clash:
            raise AlreadyExists(f"chain name {new_name!r} is already taken by {clash.code}")
        if new_name != chain.name:
            record(
                session,
                stamp=stamp,
                kind="edited",
                chain_id=chain.id,
                field="name",
                old=chain.name,
                new=new_name,
            )
            chain.name = new_name
    if description is not None:
        new_description = check_text("--description", description, max_len=TEXT_MAX)
        if new_description != chain.description:
            record(
                session,
                stamp=stamp,
                kind="edited",
                chain_id=chain.id,
                field="description",
                old=chain.description,
                new=new_description,
            )
            chain.description = new_description
    if leader is not None:
        person = ensure_person(session, name=leader, stamp=stamp, field="--leader")
        _assign_role(session, chain=chain, person=person, role=LEADER, stamp=stamp)
    if responsible is not None:
        person = ensure_person(session, name=responsible, stamp=stamp, field="--responsible")
        _assign_role(session, chain=chain, person=person, role=RESPONSIBLE, stamp=stamp)
    session.flush()
    return chain_detail(session, code=chain.code)


def archive_chain(session: Session, *, code: str, stamp: Stamp) -> ChainDetail:
    """Archive a chain: kept with its history, no new work, not expected at meetings."""
    chain = get_chain(session, code=code)
    if chain.status == "archived":
        raise RuleViolation(f"chain {chain.code} is already archived")
    chain.status = "archived"
    chain.archived_on = stamp.today
    record(
        session,
        stamp=stamp,
        kind="archived",
        chain_id=chain.id,
        field="status",
        old="active",
        new="archived",
    )
    session.flush()
    return chain_detail(session, code=chain.code)


def add_member(
    session: Session,
    *,
    code: str,
    name: str,
    stamp: Stamp,
    role: str = "member",
    unit: str | None = None,
    title: str | None = None,
    contact: str | None = None,
) -> Member:
    """Put a person on the chain's working team."""
    if role not in TEAM_ROLES:
        if role in (LEADER, RESPONSIBLE):
            option = "--leader" if role == LEADER else "--responsible"
            raise InvalidInput(
                "--role", f"the {role} is changed with `chainlead chain edit CODE {option} NAME`"
            )
        raise InvalidInput("--role", "expected one of " + ", ".join(TEAM_ROLES), role)
    chain = get_chain(session, code=code)
    require_active(chain)
    person = ensure_person(
        session, name=name, stamp=stamp, field="name", unit=unit, title=title, contact=contact
    )
    for membership, holder in _current(session, chain.id):  # type: ignore[arg-type]
        if holder.id == person.id:
            raise AlreadyExists(
                f"{person.name} is already on the {chain.code} team as {membership.role}"
            )
    membership = Membership(
        chain_id=chain.id,  # type: ignore[arg-type]
        person_id=person.id,  # type: ignore[arg-type]
        role=role,
        since=stamp.today,
    )
    session.add(membership)
    record(
        session,
        stamp=stamp,
        kind="member_added",
        chain_id=chain.id,
        person_id=person.id,
        field=role,
        new=person.name,
    )
    session.flush()
    return _member(membership, person)


def remove_member(session: Session, *, code: str, name: str, stamp: Stamp) -> Member:
    """Take a person off the team (the spell is ended, not deleted)."""
    chain = get_chain(session, code=code)
    require_active(chain)
    person = find_person(session, name=name, field="name")
    for membership, holder in _current(session, chain.id):  # type: ignore[arg-type]
        if holder.id != person.id:
            continue
        if membership.role == RESPONSIBLE:
            raise RuleViolation(
                f"{person.name} is the responsible person of {chain.code}; name a new one first "
                f"with `chainlead chain edit {chain.code} --responsible NAME`"
            )
        if membership.role == LEADER:
            raise RuleViolation(
                f"{person.name} is the chain leader of {chain.code}; name a new one first "
                f"with `chainlead chain edit {chain.code} --leader NAME`"
            )
        _end(membership, stamp.today)
        record(
            session,
            stamp=stamp,
            kind="member_removed",
            chain_id=chain.id,
            person_id=person.id,
            field=membership.role,
            old=person.name,
        )
        session.flush()
        return _member(membership, person)
    raise RuleViolation(f"{person.name} is not on the {chain.code} team")


def _member(membership: Membership, person: Person) -> Member:
    return Member(
        name=person.name,
        role=membership.role,
        unit=person.unit,
        title=person.title,
        contact=person.contact,
        since=membership.since,
    )
