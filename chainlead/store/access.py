"""Logins, their people and their grants (``app_user``, ``user_grant``), and the
server's roles they stand for (PostgreSQL only; ``chainlead.migrations.access``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from chainlead.migrations.access import (
    CHAIN_ROWS,
    GROUPS,
    ITEM_ROWS,
    MEETING_ROWS,
    PROJECT_ROWS,
    grant_statements,
    policy_statements,
    quoted,
)
from chainlead.store.connection import Reader
from chainlead.vocabulary import ACCESS_ROLES, CHAIN_ACCESS, UNIT_ACCESS


@dataclass(frozen=True)
class Session:
    """Who a PostgreSQL connection is: its login, the person linked to it, and whether
    it holds the admin grant (a superuser and the database owner do)."""

    login: str
    person: str | None
    admin: bool


@dataclass(frozen=True)
class GrantRow:
    person: str
    login: str
    role: str | None
    chain: str | None
    unit: str | None


def whoami(db: Reader) -> Session:
    login, person, admin = db.rows("SELECT login, person, admin FROM chainlead_whoami()")[0]
    return Session(login=login, person=person, admin=bool(admin))


def login_exists(db: Reader, login: str) -> bool:
    """A role of that name the server lets log in (not a group role)."""
    return bool(
        db.rows("SELECT 1 FROM pg_roles WHERE rolname = :login AND rolcanlogin", {"login": login})
    )


def role_exists(db: Reader, name: str) -> bool:
    return bool(db.rows("SELECT 1 FROM pg_roles WHERE rolname = :name", {"name": name}))


def _run_composed(db: Reader, template: str, *values: str) -> None:
    """Run a statement PostgreSQL cannot take parameters in (a role's name, a password):
    the server quotes ``values`` into ``template`` (``format``'s ``%I`` and ``%L``)."""
    names = {f"v{n}": value for n, value in enumerate(values)}
    marks = ", ".join(f"CAST(:v{n} AS text)" for n in range(len(values)))
    db.rows(f"SELECT set_config('chainlead.ddl', format('{template}', {marks}), true)", names)
    db.execute("DO $$ BEGIN EXECUTE current_setting('chainlead.ddl'); END $$")


def create_login(db: Reader, login: str, password: str) -> None:
    """A new login role with ``password`` (the connecting admin needs CREATEROLE)."""
    _run_composed(db, "CREATE ROLE %I LOGIN PASSWORD %L", login, password)


def user_id_of(db: Reader, person_id: int) -> int | None:
    found = db.rows("SELECT id FROM app_user WHERE person_id = :p", {"p": person_id})
    return found[0][0] if found else None


def login_taken_by(db: Reader, login: str) -> str | None:
    found = db.rows(
        "SELECT p.name FROM app_user u JOIN person p ON p.id = u.person_id WHERE u.login = :l",
        {"l": login},
    )
    return found[0][0] if found else None


def insert_user(db: Reader, *, person_id: int, login: str, since: datetime) -> int:
    return db.insert(
        "INSERT INTO app_user (uuid, person_id, login, since) "
        "VALUES (:uuid, :person_id, :login, :since) RETURNING id",
        {"uuid": str(uuid.uuid4()), "person_id": person_id, "login": login, "since": since},
    )


def open_district(db: Reader, login: str) -> None:
    """``GRANT USAGE ON SCHEMA <this district> TO login``: a login reaches the districts
    (schemas) it was added in, and no other."""
    schema = str(db.rows("SELECT current_schema()")[0][0])
    _run_composed(db, "GRANT USAGE ON SCHEMA %I TO %I", schema, login)


def login_of(db: Reader, user_id: int) -> str:
    return str(db.rows("SELECT login FROM app_user WHERE id = :id", {"id": user_id})[0][0])


def grant_ids(
    db: Reader, user_id: int, role: str, *, chain_id: int | None, unit_id: int | None
) -> list[int]:
    """The user's grants of ``role`` on exactly that chain and unit."""
    return [
        row[0]
        for row in db.rows(
            "SELECT id FROM user_grant WHERE user_id = :u AND role = :r "
            "AND COALESCE(chain_id, 0) = COALESCE(:c, 0) "
            "AND COALESCE(unit_id, 0) = COALESCE(:n, 0)",
            {"u": user_id, "r": role, "c": chain_id, "n": unit_id},
        )
    ]


def insert_grant(
    db: Reader,
    *,
    user_id: int,
    role: str,
    chain_id: int | None,
    unit_id: int | None,
    since: datetime,
) -> int:
    return db.insert(
        "INSERT INTO user_grant (user_id, role, chain_id, unit_id, since) "
        "VALUES (:u, :r, :c, :n, :since) RETURNING id",
        {"u": user_id, "r": role, "c": chain_id, "n": unit_id, "since": since},
    )


def delete_grants(db: Reader, ids: list[int]) -> None:
    for grant in ids:
        db.execute("DELETE FROM user_grant WHERE id = :id", {"id": grant})


def holds_role(db: Reader, user_id: int, role: str) -> bool:
    return bool(
        db.rows(
            "SELECT 1 FROM user_grant WHERE user_id = :u AND role = :r", {"u": user_id, "r": role}
        )
    )


def add_to_group(db: Reader, login: str, role: str) -> None:
    """``GRANT chainlead_<role> TO login``."""
    _run_composed(db, "GRANT %I TO %I", f"chainlead_{role}", login)


def drop_from_group(db: Reader, login: str, role: str) -> None:
    _run_composed(db, "REVOKE %I FROM %I", f"chainlead_{role}", login)


def groups_missing(db: Reader) -> list[str]:
    have = {
        row[0] for row in db.rows("SELECT rolname FROM pg_roles WHERE rolname LIKE 'chainlead\\_%'")
    }
    return [group for group in GROUPS if group not in have]


def listed_grants(db: Reader) -> list[GrantRow]:
    """Every app user with each grant (a user without one: one row, no role)."""
    rows = db.rows(
        "SELECT p.name, u.login, g.role, c.code, n.name FROM app_user u "
        "JOIN person p ON p.id = u.person_id "
        "LEFT JOIN user_grant g ON g.user_id = u.id "
        "LEFT JOIN chain c ON c.id = g.chain_id LEFT JOIN unit n ON n.id = g.unit_id "
        "ORDER BY p.name, u.login, g.role, c.code, n.name"
    )
    return [GrantRow(*row) for row in rows]


def setup_roles(db: Reader) -> list[str]:
    """Make the group roles that are missing (the connecting admin needs CREATEROLE), and
    apply the policies and the group roles' privileges again; the roles made."""
    made = groups_missing(db)
    for group in made:  # another installer may make it at the same moment: then it is there
        db.execute(
            f"DO $$ BEGIN CREATE ROLE {quoted(group)} NOLOGIN; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
    schema = quoted(str(db.rows("SELECT current_schema()")[0][0]))
    tables = [
        row[0]
        for row in db.rows("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    ]
    for statement in [*policy_statements(schema), *grant_statements(schema, tables)]:
        db.execute(statement)
    for login, role in db.rows(
        "SELECT DISTINCT u.login, g.role FROM user_grant g JOIN app_user u ON u.id = g.user_id "
        "JOIN pg_roles r ON r.rolname = u.login ORDER BY u.login, g.role"
    ):  # every grant's group membership, as ``user grant`` made it
        if f"chainlead_{role}" in GROUPS:
            add_to_group(db, login, role)
    for (login,) in db.rows(
        "SELECT u.login FROM app_user u JOIN pg_roles r ON r.rolname = u.login ORDER BY u.login"
    ):  # and every login's way into this district, as ``user add`` made it
        open_district(db, login)
    return made


def can_create_roles(db: Reader) -> bool:
    return bool(
        db.rows(
            "SELECT 1 FROM pg_roles WHERE rolname = session_user AND (rolsuper OR rolcreaterole)"
        )
    )


PROTECTED: tuple[str, ...] = (
    "item", "assignment", "event", "meeting", *ITEM_ROWS, *MEETING_ROWS, "search_index",
    "change_set", "change_row", "chain", *CHAIN_ROWS, *PROJECT_ROWS,
)  # fmt: skip


def access_problems(db: Reader) -> list[tuple[str, str, str, str]]:
    """(kind, subject, login, role) of each grant out of its scope and, on PostgreSQL,
    each login or group membership missing on the server and each protected table
    without row-level security."""
    found: list[tuple[str, str, str, str]] = []
    rows = db.rows(
        "SELECT u.login, g.id, g.role, g.chain_id, g.unit_id FROM user_grant g "
        "JOIN app_user u ON u.id = g.user_id ORDER BY g.id"
    )
    for login, grant_id, role, chain_id, unit_id in rows:
        subject = f"{login} #{grant_id}"
        if role not in ACCESS_ROLES:
            found.append(("role", subject, login, role))
        elif (
            (role in CHAIN_ACCESS and unit_id is not None)
            or (role == UNIT_ACCESS and (unit_id is None or chain_id is not None))
            or (role not in CHAIN_ACCESS and role != UNIT_ACCESS and (chain_id or unit_id))
        ):
            found.append(("scope", subject, login, role))
    if db.sqlite:
        return found
    logins = {row[0] for row in db.rows("SELECT login FROM app_user")}
    on_server = {
        row[0]
        for row in db.rows(
            "SELECT r.rolname FROM pg_roles r JOIN app_user u ON u.login = r.rolname"
        )
    }
    superusers = {str(row[0]) for row in db.rows("SELECT rolname FROM pg_roles WHERE rolsuper")}
    for login in sorted(logins - on_server):
        found.append(("login", login, login, ""))
    members = {
        (str(row[0]), str(row[1]))
        for row in db.rows(
            "SELECT m.rolname, g.rolname FROM pg_auth_members a "
            "JOIN pg_roles m ON m.oid = a.member JOIN pg_roles g ON g.oid = a.roleid"
        )
    }
    for login, _id, role, _chain, _unit in rows:
        if (
            login in on_server
            and login not in superusers  # they need no group: nothing holds them back
            and role in ACCESS_ROLES
            and ((login, f"chainlead_{role}") not in members)
        ):
            found.append(("group", login, login, role))
    guarded = {
        str(row[0])
        for row in db.rows(
            "SELECT relname FROM pg_class WHERE relrowsecurity "
            "AND relnamespace = current_schema()::regnamespace"
        )
    }
    found.extend(("policy", table, "", "") for table in PROTECTED if table not in guarded)
    return found
