"""Where the database is, and what to tell a user when it cannot be used.

Light at import (no SQLAlchemy): shared by ``chainlead.store.database`` (the ORM engine)
and ``chainlead.store.connection`` (plain ``sqlite3`` for the reads run most), so that
both refuse a missing, foreign, older or newer database with the same line,
and turn a driver's error into the same message.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from chainlead.errors import (
    DatabaseBusy,
    DatabaseMissing,
    DatabaseProblem,
    DatabaseUnavailable,
    InvalidInput,
    NotADatabase,
    SchemaOutdated,
    SchemaTooNew,
)
from chainlead.i18n import _
from chainlead.migrations import HEAD, REVISIONS

__all__ = [
    "DEFAULT_BUSY_TIMEOUT",
    "Target",
    "busy_timeout",
    "check_revision",
    "check_sqlite_path",
    "describe",
    "district_of",
    "in_district",
    "missing_folder",
    "resolve_target",
]

DEFAULT_BUSY_TIMEOUT = 30.0
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Target:
    """Where the database is: a SQLite file or a server URL."""

    url: str
    path: Path | None  # the SQLite file, None for a server

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def shown(self) -> str:
        """The location as it may be shown to a user (no password)."""
        if self.path is not None:
            return str(self.path)
        from sqlalchemy.engine import make_url

        district = district_of(self)
        url = make_url(in_district(self.url, None) if district else self.url)
        hidden = {k: "***" for k in url.query if k.lower() in ("password", "passfile")}
        shown = url.update_query_dict(hidden).render_as_string(hide_password=True)
        return _("{url} (district {code})").format(url=shown, code=district) if district else shown


def resolve_target(db: str) -> Target:
    """A ``--db`` value: a file path, ``sqlite:///path`` or ``postgresql+psycopg://...``."""
    if "://" in db:
        if db.startswith("sqlite:///"):
            path = Path(db[len("sqlite:///") :]).expanduser().absolute()
            return Target(url=f"sqlite:///{path}", path=path)
        if db.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
            url = re.sub(r"^(postgresql|postgres)://", "postgresql+psycopg://", db)
            return Target(url=url, path=None)
        raise InvalidInput(
            "--db", "expected a file path, sqlite:///PATH or postgresql+psycopg://USER@HOST/DB", db
        )
    path = Path(db).expanduser().absolute()
    return Target(url=f"sqlite:///{path}", path=path)


_SEARCH_PATH = re.compile(r"\s*-c\s*search_path=(\S*)")


def in_district(db: str, code: str | None) -> str:
    """A PostgreSQL ``--db`` URL whose connections work in district ``code``: its
    schema is the first on their ``search_path`` (libpq's ``options``), so every
    table, constraint and migration (alembic's version table too) is its own;
    ``public`` follows for what the whole database shares (the ``pg_trgm``
    extension the search index uses). ``None``: the URL as given, without a district."""
    from sqlalchemy.engine import make_url

    url = make_url(resolve_target(db).url)
    options = _SEARCH_PATH.sub("", str(url.query.get("options", ""))).strip()
    if code is not None:
        options = f"{options} -csearch_path={code},public".strip()
    url = url.difference_update_query(["options"])
    if options:
        url = url.update_query_dict({"options": options})
    return url.render_as_string(hide_password=False)


def district_of(target: Target) -> str | None:
    """The district a PostgreSQL URL works in (``in_district``), else None."""
    if target.is_sqlite:
        return None
    from sqlalchemy.engine import make_url

    found = _SEARCH_PATH.search(str(make_url(target.url).query.get("options", "")))
    return found.group(1).split(",")[0] if found else None


def busy_timeout() -> float:
    """Seconds a command waits for another writer (``CHAINLEAD_BUSY_TIMEOUT``)."""
    raw = os.environ.get("CHAINLEAD_BUSY_TIMEOUT")
    try:
        return float(raw) if raw else DEFAULT_BUSY_TIMEOUT
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT


def describe(message: str, target: Target, *, connecting: bool = False) -> DatabaseProblem:
    """A driver's error message as one line a user can act on.

    ``connecting``: the error came from reaching a server (said so when
    nothing more specific is known).
    """
    lower = message.lower()
    where = target.shown
    if "database is locked" in lower or "database table is locked" in lower:
        return DatabaseBusy(
            f"database {where} stayed locked by another writer for more than "
            f"{busy_timeout():g}s; try again (CHAINLEAD_BUSY_TIMEOUT sets the wait)"
        )
    if "file is not a database" in lower or "not a database" in lower:
        return NotADatabase(
            _("--db: {where} is not a chainlead database (not an SQLite file)").format(where=where)
        )
    if "malformed" in lower or "corrupt" in lower:
        return NotADatabase(
            _(
                "database {where} is damaged ({message}); run `chainlead db check` "
                "and restore from a backup"
            ).format(where=where, message=message)
        )
    if "disk is full" in lower or "database or disk is full" in lower:
        return DatabaseUnavailable(
            _("database {where}: the disk is full; nothing was written").format(where=where)
        )
    if "disk i/o error" in lower:
        return DatabaseUnavailable(
            _(
                "database {where}: disk I/O error ({message}); nothing was written; "
                "run `chainlead db check`"
            ).format(where=where, message=message)
        )
    if "readonly" in lower or "read-only" in lower:
        return DatabaseUnavailable(
            _(
                "database {where} is read-only; check the permissions of the file and its folder"
            ).format(where=where)
        )
    if "unable to open" in lower:
        return DatabaseUnavailable(
            _("cannot open database {where}; check that the folder exists and is writable").format(
                where=where
            )
        )
    if "password authentication failed" in lower:
        return DatabaseUnavailable(
            _("cannot connect to {where}: password authentication failed").format(where=where)
        )
    if connecting:
        return DatabaseUnavailable(
            _("cannot connect to {where}: {detail}").format(
                where=where, detail=without_secrets(message, target)
            )
        )
    return DatabaseUnavailable(
        _("database {where}: {detail}").format(where=where, detail=without_secrets(message, target))
    )


def without_secrets(message: str, target: Target) -> str:
    """A driver message with any password in it masked."""
    message = re.sub(r"password\s*=\s*\S+", "password=***", message, flags=re.IGNORECASE)
    if not target.is_sqlite:
        from sqlalchemy.engine import make_url

        password = make_url(target.url).password
        if password:
            message = message.replace(str(password), "***")
    return message


def check_sqlite_path(target: Target, *, create: bool, parents: bool = False) -> None:
    """Refuse a folder, an unreadable or foreign file, or (unless creating) a missing one.

    ``create=True`` makes the file, owner-only; a missing folder is refused
    (a mistyped ``--db`` must not start a new, empty district) unless
    ``parents`` (``init --parents``, or the default location) makes it too.
    """
    path = target.path
    assert path is not None
    if not path.parent.is_dir() and not (create and parents):
        if create:
            raise missing_folder(path.parent, given=str(path))
        raise DatabaseMissing(
            _(
                "no database at {path}: the folder {folder} does not exist; check --db, "
                "or run `chainlead init` first"
            ).format(path=path, folder=path.parent)
        )
    if path.is_dir():
        raise DatabaseUnavailable(
            _("--db: {path} is a directory; expected a database file path").format(path=path)
        )
    if path.exists():
        if not os.access(path, os.R_OK):
            raise DatabaseUnavailable(_("--db: {path} is not readable by you").format(path=path))
        with path.open("rb") as handle:
            head = handle.read(16)
        if head and head != SQLITE_HEADER:
            raise NotADatabase(
                _("--db: {path} is not a chainlead database (not an SQLite file)").format(path=path)
            )
        return
    if not create:
        raise DatabaseMissing(
            _("no database at {path}; run `chainlead init` first (or pass --db)").format(path=path)
        )
    parent = path.parent
    if not parent.exists():
        try:
            parent.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise DatabaseUnavailable(
                _("cannot create folder {parent}: {strerror}").format(
                    parent=parent, strerror=exc.strerror
                )
            ) from None
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise DatabaseUnavailable(
            _("cannot create database {path}: {strerror}").format(path=path, strerror=exc.strerror)
        ) from None
    os.close(fd)
    os.chmod(path, 0o600)  # whatever the umask; SQLite gives WAL/SHM the same mode


def missing_folder(folder: Path, *, given: str) -> InvalidInput:
    """The refusal of a ``--db`` (or a backup) in a folder that does not exist."""

    return InvalidInput(
        "--db",
        _(
            "expected a database file in an existing folder; {folder} does not exist "
            "(check the path; `chainlead init --parents` creates it)"
        ).format(folder=folder),
        given,
    )


def check_revision(where: str, revision: str | None) -> None:
    """Refuse a database that is not initialised, older or newer than this chainlead."""
    if revision is None:
        raise DatabaseMissing(
            _("database {where} is not initialised; run `chainlead init`").format(where=where)
        )
    if revision == HEAD:
        return
    if revision in REVISIONS:
        raise SchemaOutdated(
            _(
                "database {where} has schema {revision}, this chainlead needs {head}; "
                "run `chainlead db upgrade` (it backs the database up first)"
            ).format(where=where, revision=revision, head=HEAD)
        )
    raise SchemaTooNew(
        _(
            "database {where} has schema {revision}, unknown to chainlead "
            "(newest known: {head}); upgrade chainlead"
        ).format(where=where, revision=revision, head=HEAD)
    )
