"""Districts: the one a database (or a schema of a city database) holds, and the
city's registry of them.

Each district of a PostgreSQL city database lives in its own schema, named by
its code, with every chainlead table in it (``district add`` runs the
migrations there); connections work in it through their ``search_path``
(``chainlead.store.target.in_district``). Its table ``district`` holds its one
row (uuid, name, code; migration 0012). The city's registry,
``chainlead_city.district`` (code, name, uuid, added at), lists the districts; it
is made by the first ``district add``, which registers the database's own
district (schema ``public``) too when it holds one. A SQLite file is one
district, code ``main``, and has no registry.

Statements and row mappers, and the steps of adding a district; the CLI says
what they did.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from chainlead.store.connection import Reader

CITY = "chainlead_city"  # the registry's schema
OWN = "public"  # the schema of the database's own district
UNNAMED = "本区"  # "this district": the name migration 0012 gives when it knows none


@dataclass(frozen=True)
class DistrictRecord:
    """A district: its code (the schema its tables are in; ``main`` for a SQLite
    file), its name and its uuid."""

    code: str
    name: str
    uuid: str


def this_district(db: Reader) -> DistrictRecord:
    """The district the connection works in: its ``district`` row."""
    code, name, key = db.rows("SELECT code, name, uuid FROM district ORDER BY id LIMIT 1")[0]
    return DistrictRecord(code=str(code), name=str(name), uuid=str(key))


def district_rows(db: Reader) -> list[DistrictRecord]:
    """Every row of table ``district`` (a sound database has one), by id."""
    rows = db.rows("SELECT code, name, uuid FROM district ORDER BY id")
    return [DistrictRecord(code=str(c), name=str(n), uuid=str(u)) for c, n, u in rows]


def schema_in_use(db: Reader) -> str:
    """The schema the connection works in (PostgreSQL); ``main`` for a SQLite file."""
    if db.sqlite:
        return "main"
    return str(db.rows("SELECT current_schema()")[0][0])


def rename_district(db: Reader, name: str) -> None:
    """Give the connection's district ``name`` (and the registry's row, when there is one)."""
    db.execute("UPDATE district SET name = :name", {"name": name})
    if not db.sqlite and _has_registry(db):
        db.execute(
            f"UPDATE {CITY}.district SET name = :name WHERE code = current_schema()",
            {"name": name},
        )


def chain_count(db: Reader) -> int:
    """The chains the district holds, archived ones included."""
    return int(db.rows("SELECT COUNT(*) FROM chain")[0][0])


def _has_registry(db: Reader) -> bool:
    found = db.rows("SELECT to_regclass(:name) IS NOT NULL", {"name": f"{CITY}.district"})
    return bool(found[0][0])


def registered(db: Reader) -> list[DistrictRecord]:
    """The city's districts by code, from its registry (PostgreSQL); empty when the
    database has none (a SQLite file, or a database no district was added to)."""
    if db.sqlite or not _has_registry(db):
        return []
    rows = db.rows(f"SELECT code, name, uuid FROM {CITY}.district ORDER BY code")
    return [DistrictRecord(code=str(c), name=str(n), uuid=str(u)) for c, n, u in rows]


def city_codes(db: Reader) -> list[str]:
    """The codes of the city's districts, in order: the registry's, and ``public`` when
    it holds a district the registry does not list yet (a registry made before the
    database's own district was upgraded to have its row)."""
    codes = [d.code for d in registered(db)]
    if codes and OWN not in codes and _own_district(db) is not None:
        codes = sorted([*codes, OWN])
    return codes


def schema_exists(db: Reader, code: str) -> bool:
    return bool(db.rows("SELECT 1 FROM pg_namespace WHERE nspname = :code", {"code": code}))


def _own_district(db: Reader) -> DistrictRecord | None:
    """The district of schema ``public``, when it holds a chainlead database."""
    if not db.rows("SELECT to_regclass(:name) IS NOT NULL", {"name": f"{OWN}.district"})[0][0]:
        return None
    code, name, key = db.rows(f"SELECT code, name, uuid FROM {OWN}.district ORDER BY id LIMIT 1")[0]
    return DistrictRecord(code=str(code), name=str(name), uuid=str(key))


def _register(db: Reader, record: DistrictRecord, at: datetime) -> None:
    db.execute(
        f"INSERT INTO {CITY}.district (code, name, uuid, added_at) "
        "VALUES (:code, :name, :uuid, :at)",
        {"code": record.code, "name": record.name, "uuid": record.uuid, "at": at},
    )


def open_district(db: Reader, *, code: str, name: str, at: datetime) -> DistrictRecord:
    """Register district ``code`` named ``name`` and make its (empty) schema: the
    registry first when the database has none, with the database's own district in
    it. Returns the record; ``AlreadyExists`` when the code or the name is taken."""
    from chainlead.errors import AlreadyExists
    from chainlead.i18n import _

    # The search index's trigram operators (migration 0009), shared by every district:
    # made in ``public`` here, or a district's migration would make them its own.
    db.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    db.execute(f"CREATE SCHEMA IF NOT EXISTS {CITY}")
    db.execute(
        f"CREATE TABLE IF NOT EXISTS {CITY}.district ("
        "code VARCHAR(63) PRIMARY KEY, name VARCHAR(200) NOT NULL UNIQUE, "
        "uuid VARCHAR(36) NOT NULL UNIQUE, added_at TIMESTAMP NOT NULL)"
    )
    known = registered(db)
    own = _own_district(db)
    if own is not None and own.code not in {d.code for d in known}:
        _register(db, own, at)
        known.append(own)
    if code in {d.code for d in known} or schema_exists(db, code):
        raise AlreadyExists(_("district {code} already exists").format(code=code))
    if name in {d.name for d in known}:
        raise AlreadyExists(
            _("a district named {name} already exists (code {code})").format(
                name=name, code=next(d.code for d in known if d.name == name)
            )
        )
    record = DistrictRecord(code=code, name=name, uuid=str(uuid.uuid4()))
    _register(db, record, at)
    db.execute(f'CREATE SCHEMA "{code}"')
    return record


def name_district(db: Reader, record: DistrictRecord) -> None:
    """The ``district`` row of a schema just migrated, as the registry holds it."""
    db.execute(
        "UPDATE district SET code = :code, name = :name, uuid = :uuid",
        {"code": record.code, "name": record.name, "uuid": record.uuid},
    )


def close_district(db: Reader, code: str) -> None:
    """Take back a district ``open_district`` made, when its migrations failed."""
    db.execute(f'DROP SCHEMA IF EXISTS "{code}" CASCADE')
    if _has_registry(db):
        db.execute(f"DELETE FROM {CITY}.district WHERE code = :code", {"code": code})


@contextmanager
def unchecked(db: str, *, write: bool) -> Iterator[Reader]:
    """One transaction on a PostgreSQL database whatever its schema holds (a city
    database whose ``public`` schema may hold no district)."""
    from chainlead.store.database import open_database

    database = open_database(db, check=False)
    try:
        with database.transaction(write=write) as found:
            yield found
    finally:
        database.dispose()


def add_district(db: str, *, code: str, name: str, at: datetime) -> DistrictRecord:
    """Add district ``code`` named ``name`` to the PostgreSQL city database ``db``
    (a URL without a district): registered, its schema made and migrated to the
    newest revision, its ``district`` row named. All or nothing: a failure takes the
    schema and the registration back."""
    from chainlead.store.database import open_database, upgrade
    from chainlead.store.target import in_district

    base = in_district(db, None)
    with unchecked(base, write=True) as conn:
        record = open_district(conn, code=code, name=name, at=at)
    try:
        database = open_database(in_district(base, code), create=True)
        try:
            upgrade(database)
            with database.transaction(write=True) as conn:
                name_district(conn, record)
        finally:
            database.dispose()
    except BaseException:
        with unchecked(base, write=True) as conn:
            close_district(conn, code)
        raise
    return record
