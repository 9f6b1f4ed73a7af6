"""Who is writing, and who may do what, on a shared PostgreSQL database.

On PostgreSQL the actor written to history is the person linked to the login
the connection authenticated as (``session_user``; ``chainlead user add``). A
name typed with ``--as`` (or the ``user`` setting) other than that person is
refused unless the login holds the admin grant (a superuser and the database
owner do): then the actor is the name typed, and for an admin linked to a
person the change set says ``<login> as <name>``. The installer's login
(a superuser or the owner, linked to no person) writes under the name typed,
as on a database used by one owner. A login linked to no person, and no admin, is refused.
On SQLite nothing changes: the file's owner is the boundary, and the ``user``
commands are refused.

What each role may do is enforced by the server itself
(``chainlead.migrations.access``); these functions keep the grants and the
server's group-role memberships in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from chainlead.domain import Stamp
from chainlead.domain.views import choice
from chainlead.errors import InvalidInput, RuleViolation
from chainlead.i18n import _
from chainlead.store import access as store
from chainlead.store.chains import find_chain
from chainlead.store.connection import Reader
from chainlead.values import check_name
from chainlead.vocabulary import ACCESS_ROLES, CHAIN_ACCESS, UNIT_ACCESS


@dataclass(frozen=True)
class Identity:
    """Who a write is by: ``actor`` (history), ``signed`` (the change set), and the
    person whose name a sign-off must carry (None: any, as on SQLite or for an admin)."""

    actor: str
    signed: str
    login: str | None = None
    person: str | None = None


@dataclass(frozen=True)
class UserRow:
    person: str
    login: str
    role: str | None
    chain: str | None
    unit: str | None


def sqlite_refused() -> RuleViolation:
    return RuleViolation(
        _(
            "user: a SQLite file has one owner (whoever can open the file); logins and "
            "roles are for a shared PostgreSQL database"
        )
    )


def identify(db: Reader, *, typed: str, typed_given: bool) -> Identity:
    """Who is writing through ``db`` (``typed``: the ``--as`` name or ``user`` setting;
    ``typed_given``: set by the user, not the OS user's name)."""
    if db.sqlite:
        return Identity(actor=typed, signed=typed)
    session = store.whoami(db)
    if session.person is None and not session.admin:
        raise RuleViolation(
            _(
                "login {login} is not linked to a person: ask the chain office (链办) "
                "to run `chainlead user add NAME --role {login}`"
            ).format(login=session.login)
        )
    if session.person is not None and (not typed_given or typed == session.person):
        own = session.person
        return Identity(
            actor=own, signed=own, login=session.login, person=None if session.admin else own
        )
    if not session.admin:
        raise InvalidInput(
            "--as",
            _(
                "on a shared PostgreSQL database you write as yourself ({person}); only "
                "the chain office (admin) may act in another's name"
            ).format(person=session.person),
            typed,
        )
    if session.person is None:  # the installer (superuser, owner): the name typed, as ever
        return Identity(actor=typed, signed=typed, login=session.login)
    return Identity(actor=typed, signed=f"{session.login} as {typed}", login=session.login)


def signs_as(stamp: Stamp, name: str, field: str = "--by") -> None:
    """Refuse a sign-off, approval or forced resolution in a name other than the
    authenticated person's (PostgreSQL; an admin may name anyone)."""
    from chainlead.domain.registry import fold

    if stamp.person is not None and fold(stamp.person) != fold(name):
        raise RuleViolation(
            _(
                "{field}: {name} is not you; on a shared PostgreSQL database you sign "
                "in your own name ({person})"
            ).format(field=field, name=name, person=stamp.person)
        )


def _user(db: Reader, name: str) -> tuple[int, str, str]:
    from chainlead.domain.people import find_person

    person = find_person(db, name=name)
    user_id = store.user_id_of(db, person.id)
    if user_id is None:
        raise RuleViolation(
            _("{name} has no login yet: run `chainlead user add {name} --role LOGIN` first").format(
                name=person.name
            )
        )
    return user_id, person.name, store.login_of(db, user_id)


def add_user(
    db: Reader,
    *,
    name: str,
    login: str,
    stamp: Stamp,
    new_person: bool = False,
    password: str | None = None,
) -> UserRow:
    """Link the person ``name`` to the login role ``login`` (made first with
    ``password`` when given)."""
    from chainlead.domain.people import named_person

    if db.sqlite:
        raise sqlite_refused()
    role_name = check_name("--role", login) or ""
    if len(role_name.encode()) > 63:
        raise InvalidInput("--role", _("a PostgreSQL role name of at most 63 bytes"), login)
    person = named_person(db, name=name, field="user", stamp=stamp, new_person=new_person)
    if store.user_id_of(db, person.id) is not None:
        raise RuleViolation(
            _("{name} already has a login; `chainlead user list` shows it").format(name=person.name)
        )
    holder = store.login_taken_by(db, role_name)
    if holder is not None:
        raise RuleViolation(
            _("--role: login {login} is already {name}'s").format(login=role_name, name=holder)
        )
    if password is not None:
        if store.role_exists(db, role_name):
            raise RuleViolation(
                _("--create-login: login {login} exists on the server already").format(
                    login=role_name
                )
            )
        if not store.can_create_roles(db):
            raise RuleViolation(
                _("--create-login: your login may not create roles (it needs CREATEROLE)")
            )
        store.create_login(db, role_name, password)
    elif not store.login_exists(db, role_name):
        raise InvalidInput(
            "--role",
            _("a login role that exists on the server (or give --create-login)"),
            role_name,
        )
    store.insert_user(db, person_id=person.id, login=role_name, since=stamp.at)
    store.open_district(db, role_name)  # this district, and no other
    return UserRow(person=person.name, login=role_name, role=None, chain=None, unit=None)


def _scope(
    db: Reader, role: str, chain: str | None, unit: str | None
) -> tuple[str, int | None, int | None, str | None, str | None]:
    from chainlead.domain.units import get_unit

    word = choice("ROLE", role, ACCESS_ROLES)
    if chain is not None and word not in CHAIN_ACCESS:
        raise InvalidInput("--chain", _("only for leader and team grants"), chain)
    if unit is not None and word != UNIT_ACCESS:
        raise InvalidInput("--unit", _("only for unit grants"), unit)
    if word == UNIT_ACCESS and unit is None:
        raise InvalidInput("--unit", _("a unit grant names its institution: give --unit NAME"))
    chain_row = find_chain(db, code=chain, field="--chain") if chain is not None else None
    unit_row = get_unit(db, name=unit, field="--unit") if unit is not None else None
    return (
        word,
        chain_row.id if chain_row else None,
        unit_row.id if unit_row else None,
        chain_row.code if chain_row else None,
        unit_row.name if unit_row else None,
    )


def grant_access(
    db: Reader, *, name: str, role: str, stamp: Stamp, chain: str | None, unit: str | None
) -> UserRow:
    """Grant ``role`` to the person's login (on ``chain`` or every chain; on ``unit``),
    and make the login a member of the role's group on the server."""
    if db.sqlite:
        raise sqlite_refused()
    word, chain_id, unit_id, code, unit_name = _scope(db, role, chain, unit)
    user_id, person, login = _user(db, name)
    missing = store.groups_missing(db)
    if f"chainlead_{word}" in missing:
        raise RuleViolation(
            _(
                "the server has no group role chainlead_{role}: run `chainlead db setup-roles`"
            ).format(role=word)
        )
    if store.grant_ids(db, user_id, word, chain_id=chain_id, unit_id=unit_id):
        raise RuleViolation(_("{name} holds that grant already").format(name=person))
    store.insert_grant(
        db, user_id=user_id, role=word, chain_id=chain_id, unit_id=unit_id, since=stamp.at
    )
    store.add_to_group(db, login, word)
    return UserRow(person=person, login=login, role=word, chain=code, unit=unit_name)


def revoke_access(
    db: Reader, *, name: str, role: str, chain: str | None, unit: str | None
) -> UserRow:
    """Take the grant back; the login leaves the role's group when no grant of the role
    is left."""
    if db.sqlite:
        raise sqlite_refused()
    word, chain_id, unit_id, code, unit_name = _scope(db, role, chain, unit)
    user_id, person, login = _user(db, name)
    found = store.grant_ids(db, user_id, word, chain_id=chain_id, unit_id=unit_id)
    if not found:
        raise RuleViolation(_("{name} holds no such grant").format(name=person))
    store.delete_grants(db, found)
    if not store.holds_role(db, user_id, word):
        store.drop_from_group(db, login, word)
    return UserRow(person=person, login=login, role=word, chain=code, unit=unit_name)


def list_users(db: Reader) -> list[UserRow]:
    if db.sqlite:
        raise sqlite_refused()
    return [
        UserRow(person=r.person, login=r.login, role=r.role, chain=r.chain, unit=r.unit)
        for r in store.listed_grants(db)
    ]


def setup_roles(db: Reader) -> list[str]:
    """Make the group roles and apply the policies and privileges again (idempotent)."""
    if db.sqlite:
        raise sqlite_refused()
    if not store.can_create_roles(db):
        raise RuleViolation(
            _("db setup-roles: your login may not create roles (it needs CREATEROLE)")
        )
    return store.setup_roles(db)
