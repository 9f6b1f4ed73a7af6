"""The connection every command's SQL runs on: a ``Reader``.

Importing SQLAlchemy and building the ORM's table classes costs about 0.3 s
of CPU, far more than what most commands do, so every statement is written
once, as portable SQL text with named parameters (``:name``), in the store
(``chainlead.store``), and run through a ``Reader``:

- on a SQLite file, the standard library's ``sqlite3``. ``open_reader`` takes
  one read transaction: every query of a command sees the same moment of the
  database, and a writer is never blocked (WAL). ``open_writer`` takes one
  ``BEGIN IMMEDIATE`` transaction with the pragmas every connection of
  chainlead has (foreign keys, busy timeout, ``synchronous = FULL``),
  committed when the block ends and rolled back on any error;
- on PostgreSQL, a SQLAlchemy Core connection (psycopg) in one transaction
  (``CoreReader``, from ``chainlead.store.database``), imported only then.

``execute`` and ``insert`` run writes. ``executemany`` is the fast path for
many rows (snapshot import): one statement, the rows as plain tuples handed
to the driver as they are -- no per-row conversion, so dates and times come
in the form the database stores (``stored_day``, ``stored_time``). Measured
at 100k rows: ORM ``add_all`` 7.9 s, ``session.execute(insert(Model),
dicts)`` 1.8 s, this path about 0.5 s. ``savepoint`` marks a point of the
transaction to go back to.

Both refuse a missing, foreign, older or newer database with the same line as
every other command (``chainlead.store.target``). Values come back as the driver
gives them: SQLite hands dates and times back as text (SQLAlchemy's storage
form, ``2026-11-21`` and ``2026-11-21 08:30:00.000000``), PostgreSQL as
``date``/``datetime``; ``day()`` and ``moment()`` read either. Date and time
parameters are bound in the same form.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from chainlead.errors import NotADatabase, RuleViolation
from chainlead.store.target import (
    Target,
    busy_timeout,
    check_revision,
    check_sqlite_path,
    describe,
    resolve_target,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection

__all__ = [
    "DISTRICT_LOCK",
    "Reader",
    "SqliteReader",
    "changed_one",
    "chunks",
    "day",
    "day_or_none",
    "like_anywhere",
    "moment",
    "open_reader",
    "open_writer",
    "placeholders",
    "stored_day",
    "stored_time",
]

Row = tuple[Any, ...]
# A transaction-scoped lock of the district the connection works in (PostgreSQL): the
# key names what it guards, the schema which district, so that the districts of a city
# database never wait for each other.
DISTRICT_LOCK = "SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime in SQLite


class Reader(Protocol):
    sqlite: bool

    def rows(self, sql: str, params: Mapping[str, object] | None = None) -> list[Row]:
        """Every row the statement returns."""
        ...

    def execute(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        """Run a write; the number of rows it changed."""
        ...

    def insert(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        """Run an ``INSERT ... RETURNING id``; the new row's id."""
        ...

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        """Run a write once per row: each row's values in the order of the statement's
        named parameters, bound as they are (dates and times as the database stores them)."""
        ...

    def savepoint(self) -> AbstractContextManager[None]:
        """A point to go back to: what the block wrote is undone when it raises."""
        ...


_NAMED = re.compile(r"(?<![:\w]):(\w+)")


@lru_cache(maxsize=64)
def _positional(sql: str, marker: str) -> str:
    """``sql`` with each named parameter (``:name``) as the driver's positional marker."""
    return _NAMED.sub(marker, sql)


def _sqlite_time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(" ", "microseconds")


def _sqlite_day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _as_is(value: Any) -> Any:
    return value


def stored_time(db: Reader) -> Callable[[datetime | None], Any]:
    """How ``db`` stores a time: SQLAlchemy's text on SQLite, the value itself elsewhere."""
    return _sqlite_time if db.sqlite else _as_is


def stored_day(db: Reader) -> Callable[[date | None], Any]:
    """How ``db`` stores a date: ISO text on SQLite, the value itself elsewhere."""
    return _sqlite_day if db.sqlite else _as_is


def _sqlite_params(params: Mapping[str, object] | None) -> dict[str, object]:
    bound: dict[str, object] = {}
    for name, value in (params or {}).items():
        if isinstance(value, date):  # a datetime is a date too
            value = (
                value.isoformat(" ", "microseconds")  # _SQLITE_TIME, 5x quicker than strftime
                if isinstance(value, datetime)
                else value.isoformat()
            )
        bound[name] = value
    return bound


def changed_one(count: int) -> None:
    """Refuse a write the database's row-level security held back (a shared PostgreSQL
    database: the row is not the login's to change), rather than report it done."""
    if count == 0:
        from chainlead.i18n import _

        raise RuleViolation(
            _(
                "your login may not change this record on the shared database; ask the "
                "chain office (链办) for a grant (`chainlead user grant`)"
            )
        )


class SqliteReader:
    """Statements run on a plain ``sqlite3`` connection."""

    sqlite = True

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def rows(self, sql: str, params: Mapping[str, object] | None = None) -> list[Row]:
        return self.conn.execute(sql, _sqlite_params(params)).fetchall()

    def execute(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        return self.conn.execute(sql, _sqlite_params(params)).rowcount

    def insert(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        return int(self.conn.execute(sql, _sqlite_params(params)).fetchone()[0])

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        self.conn.executemany(_positional(sql, "?"), rows)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        self.conn.execute("SAVEPOINT chainlead")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK TO chainlead")
            self.conn.execute("RELEASE chainlead")
            raise
        self.conn.execute("RELEASE chainlead")


class CoreReader:
    """Statements run on a SQLAlchemy Core connection, in its transaction (PostgreSQL)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"

    def _run(self, sql: str, params: Mapping[str, object] | None) -> Any:
        from sqlalchemy import text

        bound = _sqlite_params(params) if self.sqlite else dict(params or {})
        return self.conn.execute(text(sql), bound)

    def rows(self, sql: str, params: Mapping[str, object] | None = None) -> list[Row]:
        return [tuple(row) for row in self._run(sql, params).all()]

    def execute(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        return int(self._run(sql, params).rowcount)

    def insert(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        return int(self._run(sql, params).scalar_one())

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        marker = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
        self.conn.exec_driver_sql(_positional(sql, marker), list(rows))  # type: ignore[arg-type]

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        with self.conn.begin_nested():
            yield


def placeholders(prefix: str, values: Sequence[object]) -> tuple[str, dict[str, object]]:
    """``(:p0, :p1)`` and its parameters, for ``IN``."""
    names = {f"{prefix}{n}": value for n, value in enumerate(values)}
    return "(" + ", ".join(f":{name}" for name in names) + ")", names


def like_anywhere(text: str) -> str:
    """A ``LIKE ... ESCAPE '/'`` pattern matching ``text`` anywhere (``%`` and ``_`` as such)."""
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


_DAYS: dict[str, date] = {}  # SQLite's date text -> date (reads meet the same days often)


def day(value: Any) -> date:
    """A date as the driver returned it."""
    if isinstance(value, str):
        found = _DAYS.get(value)
        if found is None:
            found = _DAYS[value] = date.fromisoformat(value[:10])
            if len(_DAYS) > 100_000:
                _DAYS.clear()
        return found
    if isinstance(value, datetime):
        return value.date()
    return value  # type: ignore[no-any-return]


def day_or_none(value: Any) -> date | None:
    """A date as the driver returned it, or None for NULL."""
    return None if value is None else day(value)


def moment(value: Any) -> datetime:
    """A (naive UTC) time as the driver returned it."""
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value  # type: ignore[no-any-return]


def _revision(conn: sqlite3.Connection, target: Target) -> str | None:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "alembic_version" not in tables:
        if tables:
            raise NotADatabase(f"--db: {target.shown} is a database but not a chainlead one")
        return None
    found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return found[0] if found else None


@contextmanager
def _through_core(db: str, *, write: bool, check: bool = True) -> Iterator[Reader]:
    """A server's database: one transaction on a SQLAlchemy Core connection (psycopg)."""
    from chainlead.store.database import open_database

    database = open_database(db, check=check)
    try:
        with database.transaction(write=write) as found:
            yield found
    finally:
        database.dispose()


def _connect(target: Target) -> sqlite3.Connection:
    """A ``sqlite3`` connection to an existing file; transactions are begun by hand."""
    check_sqlite_path(target, create=False)
    try:
        return sqlite3.connect(target.path, timeout=busy_timeout(), isolation_level=None)  # type: ignore[arg-type]
    except sqlite3.Error as exc:
        raise describe(str(exc), target) from exc


@contextmanager
def open_reader(db: str, *, check: bool = True) -> Iterator[Reader]:
    """The database at ``db`` (a ``--db`` value), read in one consistent transaction.

    ``check=False`` reads a database of any schema revision (``db check``).
    """
    target = resolve_target(db)
    if not target.is_sqlite:
        with _through_core(db, write=False, check=check) as found:
            yield found
        return
    conn = _connect(target)
    try:
        conn.execute("BEGIN")
        if check:
            check_revision(target.shown, _revision(conn, target))
        yield SqliteReader(conn)
    except sqlite3.Error as exc:
        raise describe(_first_line(exc), target) from exc
    finally:
        conn.close()


_HEAD_TURN = "SELECT id FROM history_head WHERE id = 1 FOR UPDATE"


@contextmanager
def open_writer(db: str) -> Iterator[Reader]:
    """The database at ``db`` in one write transaction: committed when the block
    ends, rolled back (nothing written) on any error."""
    target = resolve_target(db)
    if not target.is_sqlite:
        with _through_core(db, write=True) as found:
            # The history's head first: every write appends to one chain, so writers take
            # turns there from the start, before any row they change is locked (taken at
            # the first event instead, two writers could each hold what the other waits
            # for). SQLite's BEGIN IMMEDIATE gives the same turn-taking.
            found.rows(_HEAD_TURN)
            yield found
        return
    conn = _connect(target)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout() * 1000)}")
        conn.execute("PRAGMA synchronous = FULL")  # a commit is on disk when we say so
        conn.execute("BEGIN IMMEDIATE")
        try:
            check_revision(target.shown, _revision(conn, target))
            yield SqliteReader(conn)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
    except sqlite3.IntegrityError as exc:
        raise RuleViolation(
            f"the change conflicts with data already stored ({_first_line(exc)})"
        ) from exc
    except sqlite3.Error as exc:
        raise describe(_first_line(exc), target) from exc
    finally:
        conn.close()


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else ""


# ---- reports


def chunks(ids: Iterable[int], size: int = 500) -> Iterator[list[int]]:
    """``ids`` in order, ``size`` at a time: an ``IN`` list of thousands is read in parts."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]
