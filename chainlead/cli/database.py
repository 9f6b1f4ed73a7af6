"""``chainlead init``, ``chainlead demo`` and ``chainlead db``: where the data lives."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.runtime import JsonFlag, database, output, settings, viewing
from chainlead.i18n import _, ngettext

if TYPE_CHECKING:
    from chainlead.settings import Settings
    from chainlead.snapshot.schema import Snapshot

app = typer.Typer(
    help=COMMANDS["db"].help,
    no_args_is_help=True,
    rich_markup_mode=None,
)


def init(
    parents: Annotated[
        bool,
        typer.Option(
            "--parents",
            help="Also create the folder --db names when it does not exist "
            "(the default location's folder is always created).",
        ),
    ] = False,
) -> None:
    """Create the database (running it again changes nothing) and say where it is.

    \b
    Example:
      chainlead --db ~/district.db init
    """
    from chainlead.render.output import message
    from chainlead.store.database import HEAD, check_revision, upgrade

    default = settings().sources.get("db") == "default"
    with database(create=True, parents=parents or default) as db:
        revision = db.revision()
        if revision is None:
            upgrade(db)
            message(
                _("created chainlead database at {shown} (schema {head})").format(
                    shown=db.target.shown, head=HEAD
                )
            )
            return
        check_revision(db, revision)
        message(
            _("chainlead database already at {shown} (schema {revision})").format(
                shown=db.target.shown, revision=revision
            )
        )


def demo(
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace an existing database file at --db."),
    ] = False,
    source: Annotated[
        Path | None,
        typer.Option(
            "--from", help="Demo data file [default: examples/jiangning.toml].", metavar="FILE"
        ),
    ] = None,
    city: Annotated[
        bool,
        typer.Option(
            "--city",
            help="Build a city of two districts in a PostgreSQL --db (districts jiangning "
            "and jiangbei) and print the city report.",
        ),
    ] = False,
) -> None:
    """Build a fresh demo database from examples/ and print its latest monthly report.

    Without --db (or CHAINLEAD_DB) the demo is demo.db in the user data
    directory, beside (never in) your own database. With --city, a PostgreSQL
    city database gets two demo districts, and the city report is printed.

    \b
    Example:
      chainlead --db demo.db demo --replace
    """
    if city:
        from chainlead.demo import demo_file, read_demo

        data = demo_file(source)
        _demo_city(settings(), read_demo(data), data, replace=replace)
        return
    import os
    from dataclasses import replace as with_changes

    from chainlead.cli.report import print_monthly
    from chainlead.demo import DEMO_ZONE, demo_file, read_demo, remember_day, report_month
    from chainlead.domain.views import list_chains
    from chainlead.errors import DatabaseProblem
    from chainlead.render.chains import CHAIN_COLUMNS
    from chainlead.render.formats import Format
    from chainlead.render.output import message, render
    from chainlead.render.words import headed
    from chainlead.settings import with_recorded_zone, with_zone
    from chainlead.snapshot.merge import import_snapshot
    from chainlead.store.calendar import record_zone
    from chainlead.store.connection import open_reader, open_writer
    from chainlead.store.database import (
        open_database,
        remove_database_files,
        resolve_target,
        upgrade,
    )

    current = settings()
    data = demo_file(source)
    snapshot = read_demo(data)  # checked before any file is touched
    default = current.sources.get("db") == "default"  # its folder may be made
    if default:
        # Never fill the user's own database with demo data: without --db the
        # demo lives beside it, as demo.db.
        from chainlead.settings import default_db_path

        current = with_changes(current, db=str(default_db_path().with_name("demo.db")))
    target = resolve_target(current.db)
    if target.path is None:
        raise DatabaseProblem(_("demo builds a SQLite file; give --db PATH"))
    if target.path.exists():
        if not replace:
            raise DatabaseProblem(
                _("{path} already exists; pass --replace to rebuild it as the demo").format(
                    path=target.path
                )
            )
        remove_database_files(target.path)
    # The report is of the data's latest month of scheduling meetings, for the
    # district the data names; data without meetings shows its chains.
    shown = with_changes(current, district=current.district or snapshot.district or "")
    db = open_database(str(target.path), create=True, parents=default)
    try:
        upgrade(db)
        with open_writer(str(target.path)) as conn:  # the store's write transaction
            # the demo's own data, of any format: its history is chained as imported
            import_snapshot(conn, snapshot, name=str(data), accept_unverified=True)
            record_zone(conn, DEMO_ZONE)
            # reads count from the data's day, in the demo's zone unless one is set
            made = remember_day(conn, with_zone(current, DEMO_ZONE).day_of)
        if made is not None and not os.environ.get("CHAINLEAD_TODAY"):
            shown = with_changes(shown, as_of=made)
        message(_("demo database built at {path} from {data}").format(path=target.path, data=data))
        shown = with_recorded_zone(shown)
        with open_reader(str(target.path)) as view:
            month = report_month(view)
            if month is not None:
                print_monthly(view, shown, month)
            else:
                render(
                    list_chains(view),
                    Format.table,
                    columns=headed(CHAIN_COLUMNS),
                    title=_("Industrial chains"),
                )
    finally:
        db.dispose()


def _demo_city(current: Settings, snapshot: Snapshot, data: Path, *, replace: bool) -> None:
    """``demo --city``: the demo city's two districts, then its city report."""
    from chainlead.cli.report import city
    from chainlead.demo import DEMO_ZONE, build_city, report_month
    from chainlead.errors import DatabaseProblem
    from chainlead.render.output import message
    from chainlead.settings import with_zone
    from chainlead.store.connection import open_reader
    from chainlead.store.target import in_district, resolve_target

    if resolve_target(current.db).is_sqlite:
        raise DatabaseProblem(
            _(
                "demo --city builds districts in a PostgreSQL city database; "
                "give --db postgresql+psycopg://..."
            )
        )
    codes = build_city(
        current.db,
        snapshot,
        name=str(data),
        at=current.now(),
        day_of=with_zone(current, DEMO_ZONE).day_of,
        replace=replace,
    )
    message(
        _("demo city built in {shown}: districts {codes}").format(
            shown=resolve_target(in_district(current.db, None)).shown, codes=", ".join(codes)
        )
    )
    with open_reader(in_district(current.db, codes[0])) as view:
        month = report_month(view)
    city(month=month, html=None, pdf=None, markdown=None, lang=None, force=False, json=False)


@app.command("path")
def path() -> None:
    """Print where the database is (file path or URL without password).

    \b
    Example:
      chainlead db path
    """
    from chainlead.store.database import resolve_target

    typer.echo(resolve_target(settings().db).shown)


@app.command("check")
def check(
    json_: JsonFlag = False,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            help="A head hash kept from `chainlead db seal` (groups and spaces allowed): "
            "prove the history up to that event is unchanged.",
            metavar="HASH",
        ),
    ] = None,
) -> None:
    """Check the database: the file's integrity and chainlead's own rules.

    Exit code 0 when all is sound; 1 with the list of problems otherwise.

    \b
    Examples:
      chainlead db check
      chainlead db check --against '3f2a9c1b 77d0e4aa ...'
    """
    import dataclasses

    from chainlead.domain.checks import ProblemsFound, check_database, check_title
    from chainlead.render.formats import choose
    from chainlead.render.output import Column, message, render, rows_table
    from chainlead.said import shown
    from chainlead.store.connection import open_reader
    from chainlead.store.target import resolve_target

    columns = (
        Column("check", _("Check")),
        Column("subject", _("In")),
        Column("problem", _("Problem")),
    )
    from chainlead.domain.seals import seal_hash

    sealed = seal_hash(against) if against is not None else None
    fmt = choose(json=json_)
    current = settings()
    where = resolve_target(current.db).shown
    with open_reader(current.db, check=False) as db:
        report = check_database(db, database=where, against=sealed)
    render(
        report,
        fmt,
        people=lambda found: (
            rows_table(
                [
                    dataclasses.replace(
                        f,
                        check=check_title(f.check),
                        subject=shown(f.subject),
                        problem=shown(f.problem),
                    )
                    for f in found.findings
                ],
                columns,
                title=_("Problems found in {where}").format(where=where),
            )
            if found.findings
            else None
        ),
    )
    checked = _(", ").join(check_title(c) for c in report.checks)
    count = len(report.findings)
    problems = ngettext("{n} problem", "{n} problems", count).format(n=count)
    if report.damaged:
        raise ProblemsFound(
            _(
                "database {where} is damaged ({problems}); restore the "
                "latest backup (see `chainlead db backup`) and keep the "
                "damaged file for inspection"
            ).format(where=where, problems=problems)
        )
    if report.findings:
        raise ProblemsFound(
            _("db check found {problems} in {where} (checked: {checks})").format(
                problems=problems, where=where, checks=checked
            )
        )
    message(_("database {where} is sound (checked: {checks})").format(where=where, checks=checked))


@app.command("seal")
def seal(
    json_: JsonFlag = False,
    out: Annotated[
        str | None,
        typer.Option("--out", help="Also write the seal to this file.", metavar="FILE"),
    ] = None,
) -> None:
    """Print the head hash of the history, the number of events and the time, to keep.

    A leader copies it onto paper or into a message; `chainlead db check
    --against HASH` proves later that the history up to it is unchanged.

    \b
    Examples:
      chainlead db seal
      chainlead db seal --out seal-2026-11.txt
    """
    from datetime import UTC

    from chainlead.domain.seals import seal_history
    from chainlead.outfile import Kind, write
    from chainlead.render.formats import choose
    from chainlead.render.output import json_text, message, render
    from chainlead.render.seal import seal_text
    from chainlead.store.target import resolve_target

    fmt = choose(json=json_)
    target = output("--out", out, kind=Kind.report, stdout=False) if out is not None else None
    where = resolve_target(settings().db).shown
    with viewing() as (reader, current):
        moment = current.now().replace(tzinfo=UTC).astimezone(current.zone())
        found = seal_history(reader, database=where, at=moment)
    render(found, fmt, people=seal_text)
    if target is not None:
        write(target, json_text(found) if json_ else seal_text(found) + "\n")
        message(_("seal written to {path}").format(path=target.shown))


@app.command("upgrade")
def upgrade_() -> None:
    """Bring an older database to this chainlead's schema (backs it up first).

    \b
    Example:
      chainlead db upgrade
    """
    from chainlead.errors import DatabaseMissing
    from chainlead.render.output import message
    from chainlead.store.database import HEAD, backup_before_upgrade, upgrade

    with database(check=False) as db:
        revision = db.revision()
        if revision is None:
            raise DatabaseMissing(
                _("database {shown} is not initialised; run `chainlead init`").format(
                    shown=db.target.shown
                )
            )
        if revision == HEAD:
            message(
                _("database {shown} is up to date (schema {head})").format(
                    shown=db.target.shown, head=HEAD
                )
            )
            return
        backup = backup_before_upgrade(db, revision)
        if backup is not None:
            message(_("backed up {shown} to {backup}").format(shown=db.target.shown, backup=backup))
        else:
            message(
                _(
                    "no automatic backup on PostgreSQL (keep your own with "
                    "pg_dump); the upgrade runs in one transaction: all of it or "
                    "nothing"
                )
            )
        before, after = upgrade(db)
        message(
            _("upgraded {shown} from schema {before} to {after}").format(
                shown=db.target.shown, before=before, after=after
            )
        )


@app.command("setup-roles")
def setup_roles() -> None:
    """Make the group roles of a shared PostgreSQL server and apply their privileges and
    row-level security again (safe to run again; needs CREATEROLE).

    \b
    Example:
      chainlead --db postgresql+psycopg://admin@db.example/chainlead db setup-roles
    """
    from chainlead.cli.runtime import writing
    from chainlead.domain.access import setup_roles as apply
    from chainlead.render.output import message

    with writing() as (db, _stamp):
        made = apply(db)
    if made:
        message(_("made the group roles {roles}").format(roles=", ".join(made)))
    message(_("privileges and row-level security applied"))


@app.command("backup")
def backup(
    dest: Annotated[str, typer.Argument(help="The backup file to write.", show_default=False)],
) -> None:
    """Write a consistent copy of the database while others keep working.

    \b
    Example:
      chainlead db backup ~/backups/district-2026-11-30.db
    """
    from chainlead.errors import DatabaseProblem
    from chainlead.outfile import Kind
    from chainlead.render.output import message
    from chainlead.store.database import backup_sqlite

    target = output("DEST", dest, kind=Kind.backup, stdout=False)
    with database() as db:
        if not db.target.is_sqlite:
            raise DatabaseProblem(
                _(
                    "db backup copies SQLite files; for PostgreSQL use pg_dump, "
                    "e.g. `pg_dump -Fc -f chainlead.dump DBNAME`"
                )
            )
        written = backup_sqlite(db, target)
    message(_("backed up {shown} to {written}").format(shown=db.target.shown, written=written))
