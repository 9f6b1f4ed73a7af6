"""What every command shares: global options, settings, the session scope.

Light at import: the database stack is imported only when a command opens the
database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:
    from datetime import tzinfo

    from chainlead.domain import Stamp
    from chainlead.outfile import Kind as OutputKind
    from chainlead.outfile import Output
    from chainlead.settings import Settings
    from chainlead.store.connection import Reader
    from chainlead.store.database import Database


@dataclass
class Batch:
    """The transaction ``chainlead batch`` runs its lines in (``joined``)."""

    conn: Reader
    stamp: Stamp
    settings: Settings


@dataclass
class Globals:
    db: str | None = None
    user: str | None = None
    lang: str | None = None
    district: str | None = None  # --district: a city database's district
    argv: tuple[str, ...] | None = None  # the command line, for the change set
    batch: Batch | None = None  # set while ``chainlead batch`` runs its lines


GLOBALS = Globals()

LIMIT_MAX = 1_000_000_000  # a --limit past any list, and within what a database counts to

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON: only data on stdout.")]
CsvFlag = Annotated[bool, typer.Option("--csv", help="Print CSV: only data on stdout.")]
ExcelFlag = Annotated[
    bool,
    typer.Option(
        "--excel",
        help="With --csv: CSV for Excel (UTF-8 with a byte-order mark, CRLF line ends).",
    ),
]
NewPersonFlag = Annotated[
    bool,
    typer.Option(
        "--new-person",
        help="Add a person chainlead does not know yet (an unknown name is refused otherwise).",
    ),
]


T = TypeVar("T")


def required(field: str, value: T | None, form: str) -> T:
    """An option a command cannot do without: its value, or InvalidInput naming the
    field and what to give (``form``) when it was left out."""
    if value is None:
        from chainlead.errors import InvalidInput

        raise InvalidInput(field, form)
    return value


def settings() -> Settings:
    if GLOBALS.batch is not None:
        return GLOBALS.batch.settings
    from chainlead.settings import load_settings, with_recorded_zone

    current = load_settings(
        {
            "db": GLOBALS.db,
            "user": GLOBALS.user,
            "lang": GLOBALS.lang,
            "district_code": GLOBALS.district,
        }
    )
    return with_recorded_zone(in_district(current))


def in_district(current: Settings) -> Settings:
    """``current`` with its database in the district it names (``district_code``): a
    PostgreSQL URL working in that district's schema. A SQLite file is one district
    (``main``): naming another is refused."""
    code = current.district_code
    if code is None:
        return current
    from chainlead.store.target import in_district as located
    from chainlead.store.target import resolve_target

    if resolve_target(current.db).is_sqlite:
        if code == "main":
            return current
        from chainlead.errors import InvalidInput
        from chainlead.i18n import _

        raise InvalidInput(
            "--district",
            _(
                "a SQLite file is one district (main); districts are chosen in a "
                "PostgreSQL city database"
            ),
            code,
        )
    from dataclasses import replace

    return replace(current, db=located(current.db, code))


def settings_lang() -> str:
    """The language settings name: what every message is printed in (the flag, the
    environment or the config file; no database is opened to know it)."""
    from chainlead.settings import load_settings

    return load_settings({"db": GLOBALS.db, "user": GLOBALS.user, "lang": GLOBALS.lang}).lang


def settings_zone() -> tzinfo:
    """The zone settings name (``timezone``): what every time is shown in."""
    return settings().zone()


def stamp_for(current: Settings) -> Stamp:
    from chainlead.domain import Stamp
    from chainlead.values import check_name

    actor = check_name("--as", current.user) or "unknown"
    return Stamp(actor=actor, at=current.now(), today=current.today(), zone=current.zone())


@contextmanager
def database(
    *, create: bool = False, check: bool = True, parents: bool = False
) -> Iterator[Database]:
    """The opened database; ``check=False`` skips the schema-revision check;
    ``parents`` lets ``create`` make a missing folder."""
    from chainlead.store.database import open_database

    db = open_database(settings().db, create=create, check=check, parents=parents)
    try:
        yield db
    finally:
        db.dispose()


@contextmanager
def writing(kind: str = "command") -> Iterator[tuple[Reader, Stamp]]:
    """One write transaction through the store's plain SQL
    (``chainlead.store.connection.open_writer``; no ORM on a SQLite file): committed at
    the end of the block, or nothing written. It records one change set of ``kind``
    (``chainlead.store.changes``): what ``chainlead undo`` takes back. A line of a
    batch writes in the batch's transaction and change set."""
    if GLOBALS.batch is not None:  # a line of a batch: the batch's transaction
        yield GLOBALS.batch.conn, GLOBALS.batch.stamp
        return
    from chainlead.store.changes import close_change, open_change
    from chainlead.store.connection import open_writer

    current = settings()
    stamp = stamp_for(current)
    with open_writer(current.db) as conn:
        signed = stamp.actor
        if not conn.sqlite:  # the login the server authenticated, not a name typed
            from dataclasses import replace

            from chainlead.domain.access import identify

            who = identify(
                conn, typed=stamp.actor, typed_given=current.sources.get("user") != "default"
            )
            stamp, signed = replace(stamp, actor=who.actor, person=who.person), who.signed
        change = open_change(conn, at=stamp.at, actor=signed, command=command_line(), kind=kind)
        yield conn, stamp
        close_change(conn, change)


def command_line() -> str:
    """The command being run, as typed, with any password in a database URL elided."""
    import re
    import shlex
    import sys

    args = GLOBALS.argv if GLOBALS.argv is not None else tuple(sys.argv[1:])
    # as stored text: a byte the terminal could not decode is kept as its escape
    line = shlex.join(["chainlead", *args]).encode("utf-8", "backslashreplace").decode()
    return re.sub(r"(://[^:/@\s]+):[^@\s]*@", r"\1:***@", line)


@contextmanager
def viewing() -> Iterator[tuple[Reader, Settings]]:
    """A read-only view through plain SQL (``chainlead.store.connection``), consistent for the
    whole block: on a SQLite file no ORM is imported, for the reads run most."""
    if GLOBALS.batch is not None:  # a line of a batch: what the lines before it wrote
        yield GLOBALS.batch.conn, as_of(GLOBALS.batch.conn, GLOBALS.batch.settings)
        return
    from chainlead.store.connection import open_reader

    current = settings()
    with open_reader(current.db) as reader:
        yield reader, as_of(reader, current)


@contextmanager
def joined(conn: Reader, stamp: Stamp) -> Iterator[None]:
    """Every ``writing()`` and ``viewing()`` block inside this one runs in ``conn``'s
    transaction, with ``stamp`` and the settings of now: ``chainlead batch`` opens one
    write transaction and runs its lines in it, all or nothing."""
    GLOBALS.batch = Batch(conn, stamp, settings())
    try:
        yield
    finally:
        GLOBALS.batch = None


def as_of(reader: Reader, current: Settings) -> Settings:
    """The settings a read runs with: a demo database is read as of the day its data
    was made (``chainlead.demo``) until a record of one's own is written, unless
    ``CHAINLEAD_TODAY`` is set."""
    import os

    if os.environ.get("CHAINLEAD_TODAY"):
        return current
    from dataclasses import replace

    from chainlead.store.handout import remembered_as_of

    day = remembered_as_of(reader)
    return current if day is None else replace(current, as_of=day)


ForceFlag = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace an existing SQLite database or snapshot at the output path "
        "(never the database in use).",
    ),
]


def output(
    option: str, given: str, *, kind: OutputKind, force: bool = False, stdout: bool = True
) -> Output:
    """An output file checked against the database in use before any work is done;
    none in a batch (all or nothing: a file written cannot be taken back)."""
    from chainlead.outfile import STDOUT, plan
    from chainlead.store.target import resolve_target

    if GLOBALS.batch is not None and not (stdout and given == STDOUT):
        from chainlead.errors import InvalidInput
        from chainlead.i18n import _

        raise InvalidInput(option, _("a batch writes no files; run this line on its own"), given)

    database = resolve_target(settings().db).path
    return plan(option, given, kind=kind, database=database, force=force, stdout=stdout)
