"""Chains and their working teams.

The rule "one chain, one chain leader, one working team, one responsible
person" holds at every moment: a chain is created with both, replacing either
ends the old spell (kept, never overwritten), and the responsible person
cannot leave the team while responsible.

The rules run over a ``Reader`` and read and write through the store
(``chainlead.store``): on a SQLite file these writes import no ORM. What
``chain show`` and ``team list`` read is in ``chain_views``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from chainlead.domain import Stamp
from chainlead.domain.chain_views import ChainDetail, Member, chain_detail
from chainlead.domain.history import record
from chainlead.domain.people import (
    PersonRecord,
    close_names,
    ensure_person,
    find_person,
    named_person,
    person_called,
)
from chainlead.errors import AlreadyExists, InvalidInput, RuleViolation
from chainlead.i18n import _, ngettext
from chainlead.store.chains import (
    ChainRecord,
    chain_named,
    code_taken,
    find_chain,
    insert_chain,
    lock_chain,
    require_active,
    update_chain,
)
from chainlead.store.connection import Reader
from chainlead.store.people import item_id_for, open_items_owned, set_item_owner
from chainlead.store.teams import current_spells, end_spell, insert_spell
from chainlead.values import check_name, check_text, normalize_code
from chainlead.vocabulary import LEADER, RESPONSIBLE, TEAM_ROLES, TEXT_MAX, ChainStatus, Role


def _assign_role(
    db: Reader,
    *,
    chain: ChainRecord,
    person: PersonRecord,
    role: str,
    stamp: Stamp,
    since: date | None = None,
    why: str | None = None,
) -> None:
    """Give ``person`` the leader or responsible role from ``since`` (default today),
    ending the previous holder's spell that day; ``since`` and ``why``, when given,
    go on the event's text."""
    current = current_spells(db, chain.id)
    holder = next((s for s in current if s.role == role), None)
    if holder is not None and holder.person_id == person.id:
        return
    start = since or stamp.today
    option = "--leader" if role == LEADER else "--responsible"
    if start > stamp.today:
        raise RuleViolation(
            _("--since: {start} is in the future (today is {today})").format(
                start=start.isoformat(), today=stamp.today.isoformat()
            )
        )
    if holder is not None and start < holder.since:
        what = _("chain leader") if role == LEADER else _("responsible person")
        raise RuleViolation(
            _(
                "--since: {start} is before {name} became {what} of {code} "
                "({since}); {option} takes over from then or later"
            ).format(
                start=start.isoformat(),
                name=holder.name,
                what=what,
                code=chain.code,
                since=holder.since.isoformat(),
                option=option,
            )
        )
    own = next((s for s in current if s.person_id == person.id), None)
    if own is not None and own.role in (LEADER, RESPONSIBLE):
        other = _("chain leader") if own.role == LEADER else _("responsible person")
        raise RuleViolation(
            _("{name} is already the {other} of {code}; one person cannot hold both roles").format(
                name=person.name, other=other, code=chain.code
            )
        )
    if holder is not None:
        end_spell(db, holder, start)
    if own is not None:
        end_spell(db, own, start)
    insert_spell(db, chain_id=chain.id, person_id=person.id, role=role, since=start)
    text = None
    if since is not None or why:
        text = f"since {start.isoformat()}" + (f": {why}" if why else "")
    record(
        db,
        stamp=stamp,
        kind=role,
        chain_id=chain.id,
        person_id=person.id,
        field=role,
        old=holder.name if holder is not None else None,
        new=person.name,
        text=text,
    )


def add_chain(
    db: Reader,
    *,
    code: str,
    name: str,
    leader: str | None,
    responsible: str | None,
    stamp: Stamp,
    description: str | None = None,
    members: tuple[str, ...] = (),
) -> ChainDetail:
    """Create a chain with its chain leader, responsible person and first members.

    The people it names are created when new: naming a new district's people
    is what ``chain add`` is for (``new_people`` tells which names are new).
    """
    code = normalize_code(code, "code")
    name = check_name("name", name) or ""
    description = check_text("--description", description, max_len=TEXT_MAX)
    if not leader or not leader.strip():
        raise InvalidInput("--leader", _("a chain needs its chain leader: give --leader NAME"))
    if not responsible or not responsible.strip():
        raise InvalidInput(
            "--responsible", _("a chain needs its responsible person: give --responsible NAME")
        )
    if code_taken(db, code):
        raise AlreadyExists(_("chain code {code} is already taken").format(code=code))
    if chain_named(db, name) is not None:
        raise AlreadyExists(_("chain name {name!r} is already taken").format(name=name))
    chain = insert_chain(db, code=code, name=name, description=description, at=stamp.at)
    record(db, stamp=stamp, kind="created", chain_id=chain.id, new=code, text=name)
    leader_person = ensure_person(db, name=leader, stamp=stamp, field="--leader")
    responsible_person = ensure_person(db, name=responsible, stamp=stamp, field="--responsible")
    if leader_person.id == responsible_person.id:
        raise RuleViolation(
            _("--responsible: the responsible person must be someone other than the chain leader")
        )
    _assign_role(db, chain=chain, person=leader_person, role=LEADER, stamp=stamp)
    _assign_role(db, chain=chain, person=responsible_person, role=RESPONSIBLE, stamp=stamp)
    for member in members:
        ensure_person(db, name=member, stamp=stamp, field="--member")
        add_member(db, code=code, name=member, role=Role.member.value, stamp=stamp, new_person=True)
    return chain_detail(db, code=code)


def new_people(db: Reader, names: Sequence[tuple[str, str | None]]) -> list[tuple[str, list[str]]]:
    """The names (each with its option) no person has yet, each with the known
    names closest to it; a name that is no valid name is refused for its option."""
    out: list[tuple[str, list[str]]] = []
    for field, name in names:
        cleaned = check_name(field, name, required=False) or ""
        if cleaned and person_called(db, cleaned, field=field) is None and cleaned not in dict(out):
            out.append((cleaned, close_names(db, cleaned)))
    return out


def edit_chain(
    db: Reader,
    *,
    code: str,
    stamp: Stamp,
    name: str | None = None,
    description: str | None = None,
    leader: str | None = None,
    responsible: str | None = None,
    since: date | None = None,
    why: str | None = None,
    new_person: bool = False,
) -> ChainDetail:
    """Rename, describe, or hand the chain leader / responsible role to someone else.

    ``since`` (default today) is when the new holder took over; ``why`` is
    kept with it on the chain's history.
    """
    reason = check_text("--why", why, max_len=TEXT_MAX)
    if (since is not None or reason) and leader is None and responsible is None:
        raise InvalidInput("--since/--why", _("they go with --leader or --responsible"))
    chain = lock_chain(db, code=code)
    require_active(chain)
    if name is not None:
        new_name = check_name("--name", name) or ""
        clash = chain_named(db, new_name, other_than=chain.id)
        if clash is not None:
            raise AlreadyExists(
                _("chain name {new_name!r} is already taken by {clash}").format(
                    new_name=new_name, clash=clash
                )
            )
        if new_name != chain.name:
            _edited(db, chain, "name", new_name, stamp)
    if description is not None:
        new_description = check_text("--description", description, max_len=TEXT_MAX)
        if new_description != chain.description:
            _edited(db, chain, "description", new_description, stamp)
    wanted = [(LEADER, "--leader", leader), (RESPONSIBLE, "--responsible", responsible)]
    for _role, option, named in wanted:  # refuse unknown names before anything is written
        if named is not None and not new_person:
            named_person(db, name=named, stamp=stamp, field=option)
    for role, option, named in wanted:
        if named is not None:
            person = named_person(db, name=named, stamp=stamp, field=option, new_person=new_person)
            _assign_role(
                db, chain=chain, person=person, role=role, stamp=stamp, since=since, why=reason
            )
    return chain_detail(db, code=chain.code)


def _edited(db: Reader, chain: ChainRecord, field: str, new: str | None, stamp: Stamp) -> None:
    record(
        db,
        stamp=stamp,
        kind="edited",
        chain_id=chain.id,
        field=field,
        old=getattr(chain, field),
        new=new,
    )
    update_chain(db, chain, **{field: new})


def archive_chain(db: Reader, *, code: str, stamp: Stamp, reason: str | None = None) -> ChainDetail:
    """Archive a chain: kept with its history, no new work, not expected at meetings.

    ``reason`` is kept as the ``archived`` event's text (``chain show`` shows it).
    """
    reason = check_text("--why", reason, max_len=TEXT_MAX)
    chain = lock_chain(db, code=code)
    require_archivable(chain)
    update_chain(db, chain, status=ChainStatus.archived.value, archived_on=stamp.today)
    record(
        db,
        stamp=stamp,
        kind="archived",
        chain_id=chain.id,
        field="status",
        old=ChainStatus.active.value,
        new=ChainStatus.archived.value,
        text=reason,
    )
    return chain_detail(db, code=chain.code)


def require_archivable(chain: ChainRecord) -> None:
    """RuleViolation when the chain is archived already."""
    if chain.status == ChainStatus.archived:
        raise RuleViolation(_("chain {code} is already archived").format(code=chain.code))


def archivable_chain(db: Reader, *, code: str) -> ChainRecord:
    """The chain ``chain archive`` would archive (read only, before asking), or the
    refusal it would meet."""
    chain = find_chain(db, code=code)
    require_archivable(chain)
    return chain


def add_member(
    db: Reader,
    *,
    code: str,
    name: str,
    stamp: Stamp,
    role: str = "member",
    unit: str | None = None,
    title: str | None = None,
    contact: str | None = None,
    new_person: bool = False,
) -> Member:
    """Put a known person (or, with ``new_person``, a new one) on the chain's working team."""
    if role not in TEAM_ROLES:
        if role in (LEADER, RESPONSIBLE):
            option = "--leader" if role == LEADER else "--responsible"
            raise InvalidInput(
                "--role",
                _("the {role} is changed with `chainlead chain edit CODE {option} NAME`").format(
                    role=role, option=option
                ),
            )
        raise InvalidInput(
            "--role",
            _("expected one of {roles}").format(roles=", ".join(TEAM_ROLES)),
            role,
        )
    chain = lock_chain(db, code=code)
    require_active(chain)
    if not new_person:  # refused unless known; the details below are then updated
        named_person(db, name=name, stamp=stamp, field="name")
    person = ensure_person(
        db, name=name, stamp=stamp, field="name", unit=unit, title=title, contact=contact
    )
    for spell in current_spells(db, chain.id):
        if spell.person_id == person.id:
            raise AlreadyExists(
                _("{name} is already on the {code} team as {role}").format(
                    name=person.name, code=chain.code, role=spell.role
                )
            )
    insert_spell(db, chain_id=chain.id, person_id=person.id, role=role, since=stamp.today)
    record(
        db,
        stamp=stamp,
        kind="member_added",
        chain_id=chain.id,
        person_id=person.id,
        field=role,
        new=person.name,
    )
    return Member(
        name=person.name,
        role=role,
        unit=person.unit,
        title=person.title,
        contact=person.contact,
        since=stamp.today,
    )


def remove_member(
    db: Reader, *, code: str, name: str, stamp: Stamp, to: str | None = None
) -> tuple[Member, list[str]]:
    """Take a person off the team (the spell is ended, not deleted); the member
    and the keys of the items handed over.

    Someone who still owns open items of the chain is not removed until they
    are handed over: ``to`` names the known person who takes them (an
    ``edited`` event per item, field ``owner``).
    """
    chain = lock_chain(db, code=code)
    require_active(chain)
    person = find_person(db, name=name, field="name")
    heir = named_person(db, name=to, stamp=stamp, field="--to") if to is not None else None
    if heir is not None and heir.id == person.id:
        raise InvalidInput("--to", _("name someone other than {name}").format(name=person.name), to)
    on_team = any(  # the chain leader and responsible person are refused below anyway
        spell.person_id == person.id and spell.role not in (LEADER, RESPONSIBLE)
        for spell in current_spells(db, chain.id)
    )
    owned = open_items_owned(db, person.id, chain_id=chain.id) if on_team else []
    if owned and heir is None:
        shown = ", ".join(item.key for item in owned[:5])
        if len(owned) > 5:
            shown = _("{keys} and {n} more").format(keys=shown, n=len(owned) - 5)
        raise RuleViolation(
            ngettext(
                "{name} still owns {n} open {code} item ({keys}); hand them over first "
                "with `chainlead team remove {code} {shell_name} --to PERSON`",
                "{name} still owns {n} open {code} items ({keys}); hand them over first "
                "with `chainlead team remove {code} {shell_name} --to PERSON`",
                len(owned),
            ).format(
                name=person.name,
                n=len(owned),
                code=chain.code,
                keys=shown,
                shell_name=_shell_word(person.name),
            )
        )
    for spell in current_spells(db, chain.id):
        if spell.person_id != person.id:
            continue
        if spell.role == RESPONSIBLE:
            raise RuleViolation(
                _(
                    "{name} is the responsible person of {code}; name a new one "
                    "first with `chainlead chain edit {code} --responsible NAME`"
                ).format(name=person.name, code=chain.code)
            )
        if spell.role == LEADER:
            raise RuleViolation(
                _(
                    "{name} is the chain leader of {code}; name a new one first "
                    "with `chainlead chain edit {code} --leader NAME`"
                ).format(name=person.name, code=chain.code)
            )
        for item in owned:
            item_id, chain_id = item_id_for(db, item.key)
            record(
                db,
                stamp=stamp,
                kind="edited",
                chain_id=chain_id,
                item_id=item_id,
                field="owner",
                old=person.name,
                new=heir.name if heir is not None else None,
            )
            if heir is not None:
                set_item_owner(db, item_id, heir.id, stamp.at)
        end_spell(db, spell, stamp.today)
        record(
            db,
            stamp=stamp,
            kind="member_removed",
            chain_id=chain.id,
            person_id=person.id,
            field=spell.role,
            old=person.name,
        )
        member = Member(
            name=spell.name,
            role=spell.role,
            unit=spell.unit,
            title=spell.title,
            contact=spell.contact,
            since=spell.since,
        )
        return member, [item.key for item in owned]
    raise RuleViolation(
        _("{name} is not on the {code} team").format(name=person.name, code=chain.code)
    )


def _shell_word(text: str) -> str:
    """A name as typed in a shell: quoted when it holds anything but letters and digits."""
    return text if text.replace("-", "").replace("_", "").isalnum() else f'"{text}"'
