"""Engine from a URL or path, SQLite pragmas, transactions, migrations.

SQLite is opened with foreign keys on, WAL, a busy timeout, full sync on
commit, and every write transaction begun with ``BEGIN IMMEDIATE`` so that
concurrent read-then-write commands never lose an update and a command that
said it wrote something has it on disk. New database files (and their WAL and
shared-memory files, which SQLite gives the same mode) are created owner-only.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from chainlead.errors import (
    DatabaseProblem,
    DatabaseUnavailable,
    NotADatabase,
    RuleViolation,
)
from chainlead.i18n import _
from chainlead.migrations import HEAD, REVISIONS
from chainlead.store.target import (
    Target,
    busy_timeout,
    check_sqlite_path,
    describe,
    district_of,
    in_district,
    resolve_target,
)
from chainlead.store.target import check_revision as _check_revision

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection

    from chainlead.outfile import Output
    from chainlead.store.connection import CoreReader

__all__ = [
    "HEAD",
    "REVISIONS",
    "Database",
    "Target",
    "open_database",
    "resolve_target",
    "upgrade",
]


def _make_engine(target: Target) -> Engine:
    if not target.is_sqlite:
        return create_engine(target.url, connect_args={"connect_timeout": 10})
    from sqlalchemy.pool import NullPool

    timeout = busy_timeout()
    engine = create_engine(target.url, poolclass=NullPool, connect_args={"timeout": timeout})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Take transaction control away from the sqlite3 module: we begin
        # transactions ourselves (see _on_begin).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        # FULL: a commit is on disk before the command reports success, even
        # across a power cut (NORMAL in WAL mode may lose the last commits).
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: object) -> None:
        write = conn.get_execution_options().get("chainlead_write", True)  # type: ignore[attr-defined]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")  # type: ignore[attr-defined]

    return engine


def translate(exc: BaseException, target: Target) -> DatabaseProblem | RuleViolation:
    """Turn a driver error into one line a user can act on."""
    message = str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0] if str(exc) else ""
    if isinstance(exc, IntegrityError):
        return RuleViolation(f"the change conflicts with data already stored ({message})")
    if getattr(getattr(exc, "orig", None), "sqlstate", None) == "42501":  # privilege, policy
        from chainlead.i18n import _

        return RuleViolation(
            _(
                "your login may not do this on the shared database ({message}); ask the "
                "chain office (链办) for a grant (`chainlead user grant`)"
            ).format(message=message)
        )
    connecting = not target.is_sqlite and isinstance(exc, OperationalError)
    return describe(message, target, connecting=connecting)


@dataclass
class Database:
    """An opened database: the engine and where it is."""

    target: Target
    engine: Engine

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[CoreReader]:
        """One transaction on a Core connection: committed when the block ends
        (a write), rolled back otherwise or on any error."""
        from chainlead.store.connection import CoreReader

        try:
            with self.engine.connect().execution_options(chainlead_write=write) as conn:
                with conn.begin() as transaction:
                    yield CoreReader(conn)
                    if not write:
                        transaction.rollback()
        except DBAPIError as exc:
            raise translate(exc, self.target) from exc

    def revision(self) -> str | None:
        """The schema revision stored in the database (None: not initialised)."""
        try:
            with self.engine.connect().execution_options(chainlead_write=False) as conn:
                _check_district(conn, self.target)
                names = _table_names(conn)
                if "alembic_version" not in names:
                    if names:
                        raise NotADatabase(
                            f"--db: {self.target.shown} is a database but not a chainlead one"
                        )
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError as exc:
            raise translate(exc, self.target) from exc

    def check_district(self) -> None:
        """Refuse a ``--district`` the database does not have (``DistrictNotFound``)."""
        try:
            with self.engine.connect().execution_options(chainlead_write=False) as conn:
                _check_district(conn, self.target)
        except DBAPIError as exc:
            raise translate(exc, self.target) from exc

    def only_district(self) -> str | None:
        """A city database's one district, when its registry lists exactly one: the
        district a command without ``--district`` works in. With more than one,
        ``DistrictNotChosen`` names them; None when there is no registry."""
        from chainlead.errors import DistrictNotChosen

        try:
            with self.engine.connect().execution_options(chainlead_write=False) as conn:
                if conn.execute(text("SELECT to_regclass('chainlead_city.district')")).scalar():
                    codes = [
                        str(code)
                        for (code,) in conn.execute(
                            text("SELECT code FROM chainlead_city.district ORDER BY code")
                        )
                    ]
                else:
                    codes = []
        except DBAPIError as exc:
            raise translate(exc, self.target) from exc
        if len(codes) > 1:
            raise DistrictNotChosen(codes)
        return codes[0] if codes else None

    def dispose(self) -> None:
        self.engine.dispose()


def _check_district(conn: Connection, target: Target) -> None:
    """Refuse a district (``--district``) whose schema the database does not have, or
    the role may not use (its connections would otherwise work in ``public``, next on
    their search path)."""
    from chainlead.errors import DistrictNotFound, DistrictNotGranted

    code = district_of(target)
    if code is None:
        return
    found = conn.execute(
        text(
            "SELECT has_schema_privilege(oid, 'USAGE'), current_schema() "
            "FROM pg_namespace WHERE nspname = :code"
        ),
        {"code": code},
    ).first()
    if found is None:
        raise DistrictNotFound(code)
    if not found[0]:  # the search path would skip it: refused, never public's rows instead
        raise DistrictNotGranted(code)
    if found[1] != code:  # a pooler that drops startup options: never public's rows either
        raise DatabaseUnavailable(
            _(
                "--district: the connection to {where} does not work in district {code} "
                "(its search_path is not the district's; a connection pooler may drop "
                "the options parameter)"
            ).format(where=target.shown, code=repr(code))
        )


def _table_names(conn: object) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(conn).get_table_names())


def open_database(
    db: str, *, create: bool = False, check: bool = True, parents: bool = False
) -> Database:
    """Open the database and check its schema is current.

    ``create=True`` (``chainlead init``) makes a missing SQLite file, in an
    existing folder unless ``parents``; every other command refuses a missing,
    foreign, older or newer database with a line saying what to do.
    """
    target = resolve_target(db)
    if target.is_sqlite:
        check_sqlite_path(target, create=create, parents=parents)
    database = Database(target=target, engine=_make_engine(target))
    if create or not check:
        if not create and district_of(target) is not None:
            database.check_district()  # db check reads a district, never public instead
        return database
    revision = database.revision()
    if revision is None and not target.is_sqlite and district_of(target) is None:
        only = database.only_district()  # a city database whose public holds none
        if only is not None:
            database.dispose()
            return open_database(in_district(db, only), check=check)
    check_revision(database, revision)
    return database


def check_revision(database: Database, revision: str | None) -> None:
    """Refuse a database that is not initialised, older or newer than this chainlead."""
    _check_revision(database.target.shown, revision)


def _alembic_config():  # -> alembic.config.Config
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent.parent / "migrations"))
    return config


def _migrate(database: Database, step: Callable[[Config, Connection], None]) -> None:
    """Run alembic in one transaction.

    On SQLite, foreign keys are switched off for the migration's connection
    (a table rebuild drops and renames tables, which SQLite only allows that
    way; the pragma has no effect inside a transaction, so it is set first),
    and every foreign key is checked again before the commit.
    """
    config = _alembic_config()
    try:
        with database.engine.connect() as conn:
            if database.target.is_sqlite:
                raw = conn.connection.driver_connection
                raw.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            with conn.begin():
                config.attributes["connection"] = conn
                config.attributes["district"] = district_of(database.target)
                step(config, conn)
                if database.target.is_sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseProblem(
                            f"migrating {database.target.shown} would leave {len(broken)} "
                            f"broken references (first in table {broken[0][0]}); "
                            "nothing was changed"
                        )
    except DBAPIError as exc:
        raise translate(exc, database.target) from exc


def _use_wal(database: Database) -> None:
    """Switch a new SQLite file to WAL (kept in the file; readers never wait)."""
    with database.engine.connect() as conn:
        raw = conn.connection.driver_connection
        mode = raw.execute("PRAGMA journal_mode = WAL").fetchone()  # type: ignore[union-attr]
    if not mode or str(mode[0]).lower() != "wal":
        raise DatabaseUnavailable(f"database {database.target.shown}: cannot switch to WAL mode")


def upgrade(database: Database, *, to: str = "head") -> tuple[str | None, str]:
    """Apply pending migrations in one transaction; returns (from, to) revisions."""
    from alembic import command

    before = database.revision()  # a --district without its schema is refused here
    if database.target.is_sqlite and before is None:
        _use_wal(database)
    _migrate(database, lambda config, _conn: command.upgrade(config, to))
    return before, database.revision() or ""


def downgrade(database: Database, *, to: str) -> None:
    """Move the schema back (used by tests that build older databases)."""
    from alembic import command

    _migrate(database, lambda config, _conn: command.downgrade(config, to))


def backup_sqlite(database: Database, dest: Output) -> Path:
    """A consistent online copy through SQLite's backup API, owner-only.

    The copy is made in a temporary file beside ``dest`` and appears there
    whole (``chainlead.outfile``), never over an existing file.
    """
    from chainlead.outfile import replaced

    assert database.target.path is not None and dest.path is not None
    with replaced(dest, keep_existing=True) as temporary:
        try:
            source = sqlite3.connect(database.target.path, timeout=busy_timeout())
            try:
                target = sqlite3.connect(temporary)
                try:
                    # One step (pages=-1): the copy is one read transaction, a
                    # single moment of the database, while writers carry on (WAL).
                    source.backup(target, pages=-1)
                    target.execute("PRAGMA journal_mode = DELETE")
                    verdict = target.execute("PRAGMA quick_check").fetchone()
                finally:
                    target.close()
            finally:
                source.close()
        except sqlite3.Error as exc:
            raise translate(exc, database.target) from exc
        if not verdict or verdict[0] != "ok":
            raise DatabaseProblem(
                f"the copy of {database.target.shown} failed its check "
                f"({verdict and verdict[0]}); run `chainlead db check`"
            )
    return dest.path.expanduser().absolute()


def backup_before_upgrade(database: Database, revision: str) -> Path | None:
    """The automatic backup taken before any migration of an existing database."""
    path = database.target.path
    if path is None:
        return None
    from chainlead.outfile import Kind, plan

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = str(path.with_name(f"{path.name}.{revision}-{stamp}.bak"))
    return backup_sqlite(database, plan("backup", name, kind=Kind.backup, database=path))


def remove_database_files(path: Path) -> None:
    """Delete a SQLite database with its WAL and SHM files (for ``demo``)."""
    from chainlead.outfile import database_files

    for candidate in database_files(path):
        if candidate.is_dir():
            shutil.rmtree(candidate)
        else:
            candidate.unlink(missing_ok=True)
