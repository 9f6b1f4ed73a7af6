"""``chainlead export`` and ``chainlead import``: TOML snapshots."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from chainlead.cli.complete import district_codes
from chainlead.cli.runtime import (
    ForceFlag,
    JsonFlag,
    output,
    settings,
    viewing,
)
from chainlead.i18n import N_, _, ngettext
from chainlead.vocabulary import OnConflict

if TYPE_CHECKING:
    from chainlead.errors import ChainleadError
    from chainlead.snapshot.merge import ImportSummary
    from chainlead.store.connection import Reader

Progress = Callable[[str, int, int], None]


@contextmanager
def progress_bar(label: str) -> Iterator[Progress | None]:
    """A progress bar on stderr when stderr is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from chainlead.render.output import stderr

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=stderr(),
        transient=True,
    ) as bar:
        task = bar.add_task(_(label), total=None)

        def update(stage: str, done: int, total: int) -> None:
            bar.update(task, description=_(stage), completed=done, total=total)

        yield update


def _listed(error: ChainleadError) -> ChainleadError:
    """Print the problems an error carries, one per line, and give the error back."""
    from chainlead.render.output import message
    from chainlead.said import shown

    for line in getattr(error, "problems", ()) or ():
        message(_("chainlead: {line}").format(line=shown(line)))
    return error


def export(
    file: Annotated[
        str, typer.Argument(help="The file to write, or - for stdout.", show_default=True)
    ] = "-",
    chain: Annotated[
        str | None, typer.Option("--chain", help="Only this chain (and the people it names).")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only items and meetings created or changed on or after this day.",
        ),
    ] = None,
    force: ForceFlag = False,
) -> None:
    """Write a TOML snapshot: the same data always gives the same bytes.

    \b
    Example:
      chainlead export district.toml
      chainlead export | chainlead --db other.db import -
    """
    from chainlead import outfile
    from chainlead.render.output import message
    from chainlead.snapshot.export import export_snapshot
    from chainlead.store.handout import recorded_district
    from chainlead.values import parse_date

    current = settings()
    target = output("FILE", file, kind=outfile.Kind.snapshot, force=force)
    since_day = (
        parse_date("--since", since, today=current.today(), holidays_file=current.holidays_file)
        if since
        else None
    )
    with progress_bar(N_("exporting")) as progress, viewing() as (db, _current):
        with outfile.opened(target, binary=target.path is None) as stream:
            if target.path is None:

                def write(text: str) -> None:
                    stream.write(text.encode("utf-8"))
            else:
                write = stream.write
            summary = export_snapshot(
                db,
                write=write,
                district=current.district or recorded_district(db),
                chain=chain,
                since=since_day,
                progress=progress,
                zone=current.zone(),
            )
    message(
        _("exported {chains}, {people}, {meetings}, {items} and {events} to {shown}").format(
            chains=ngettext("{n} chain", "{n} chains", summary.chains).format(n=summary.chains),
            people=ngettext("{n} person", "{n} people", summary.people).format(n=summary.people),
            meetings=ngettext("{n} meeting", "{n} meetings", summary.meetings).format(
                n=summary.meetings
            ),
            items=ngettext("{n} item", "{n} items", summary.items).format(n=summary.items),
            events=ngettext("{n} event", "{n} events", summary.events).format(n=summary.events),
            shown=target.shown,
        )
    )


def import_(
    file: Annotated[
        str, typer.Argument(help="The snapshot file, or - for stdin.", show_default=False)
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would happen; write nothing.")
    ] = False,
    on_conflict: Annotated[
        OnConflict,
        typer.Option(
            "--on-conflict",
            help="fail: refuse on any conflict; ours: keep the database's version; "
            "theirs: take the snapshot's.",
            case_sensitive=False,
        ),
    ] = OnConflict.fail,
    max_size: Annotated[
        str | None,
        typer.Option(
            "--max-size",
            help="Largest snapshot accepted, e.g. 200M [env CHAINLEAD_IMPORT_LIMIT; default: 64M].",
            show_default=False,
        ),
    ] = None,
    accept_unverified: Annotated[
        bool,
        typer.Option(
            "--accept-unverified",
            help="Take a snapshot of format 5 or older, whose history carries no hashes "
            "to verify it by (its events are chained as they are imported).",
        ),
    ] = False,
    district: Annotated[
        str | None,
        typer.Option(
            "--district",
            help="Into this district of a PostgreSQL city database (as the global --district).",
            show_default=False,
            autocompletion=district_codes,
        ),
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Merge a TOML snapshot into the database: checked first, then all or nothing.

    The snapshot's history is verified by its hashes first; one that does not
    verify is refused.

    \b
    Example:
      chainlead import district.toml --dry-run
      chainlead export | chainlead --db other.db import -
    """
    if district is not None:
        _into_district(district)
    from chainlead.errors import SnapshotInvalid
    from chainlead.outfile import refuse_reading_database
    from chainlead.snapshot.merge import SnapshotConflict, import_source
    from chainlead.snapshot.reader import import_limit, open_source
    from chainlead.store.connection import open_reader, open_writer
    from chainlead.store.target import resolve_target

    refuse_reading_database("FILE", file, resolve_target(settings().db).path)
    limit = import_limit(max_size)
    source = open_source(file, limit=limit, stdin=sys.stdin.buffer)
    try:
        with progress_bar(N_("reading")) as progress:
            if progress is not None:
                progress(_("reading {name}").format(name=source.name), 0, 0)
            # One write transaction through the store (no ORM on a SQLite file);
            # a dry run only reads, in one read transaction.
            opened = open_reader if dry_run else open_writer
            with opened(settings().db) as db:
                if not dry_run:  # on record (``undo --list``), never captured row by row
                    _on_record(db)
                summary = import_source(
                    db,
                    source,
                    limit=limit,
                    on_conflict=on_conflict.value,
                    dry_run=dry_run,
                    progress=progress,
                    accept_unverified=accept_unverified,
                )
    except (SnapshotInvalid, SnapshotConflict) as error:
        raise _listed(error) from None
    _report(summary, json=json)
    if summary.refusal is not None:
        raise _listed(summary.refusal)


def _into_district(district: str) -> None:
    """``import --district CODE``: the global ``--district``, given after the command."""
    from chainlead.cli.runtime import GLOBALS
    from chainlead.errors import InvalidInput

    if GLOBALS.batch is not None:  # a batch has one database: its own district
        from chainlead.cli.batch import one_for_the_batch

        raise InvalidInput("--district", one_for_the_batch("--district"))
    if GLOBALS.district is not None and GLOBALS.district != district:
        raise InvalidInput(
            "--district",
            _("one district: given twice ({first})").format(first=GLOBALS.district),
            district,
        )
    GLOBALS.district = district


def _on_record(db: Reader) -> None:
    """The import's change set: listed by ``undo --list``, and refused by ``undo``."""
    from chainlead.cli.runtime import command_line, stamp_for
    from chainlead.domain.access import identify
    from chainlead.store.changes import open_change

    current = settings()
    stamp = stamp_for(current)
    # on PostgreSQL, who imports is the login the server authenticated, as for any write
    who = identify(db, typed=stamp.actor, typed_given=current.sources.get("user") != "default")
    open_change(
        db, at=stamp.at, actor=who.signed, command=command_line(), kind="import", capture=False
    )


def _report(summary: ImportSummary, *, json: bool) -> None:
    from chainlead.render.formats import choose
    from chainlead.render.output import Column, message, render, rows_table
    from chainlead.render.translated import record_kind
    from chainlead.said import shown

    columns = (
        Column("kind", _("Records"), draw=record_kind),
        Column("added", _("Added") if not summary.dry_run else _("Would add"), justify="right"),
        Column("unchanged", _("Unchanged"), justify="right"),
        Column("conflicting", _("Conflicting"), justify="right"),
    )
    if summary.dry_run:
        title = _("Dry run: import of {source}").format(source=summary.source)
    else:
        title = _("import of {source}").format(source=summary.source)
    render(
        summary.shown,
        choose(json=json),
        people=lambda found: rows_table(found.records, columns, title=title),
    )
    if summary.refusal is None:
        for line in summary.conflicts:
            message(
                _("chainlead: settled ({on_conflict}): {line}").format(
                    on_conflict=summary.on_conflict, line=shown(line)
                )
            )
    for line in summary.notes:
        message(_("chainlead: {line}").format(line=shown(line)))
    if summary.refusal is None:
        if summary.dry_run:
            said = ngettext(
                "would add {n} record from {source}; nothing written (dry run)",
                "would add {n} records from {source}; nothing written (dry run)",
                summary.added,
            )
        else:
            said = ngettext(
                "added {n} record from {source}", "added {n} records from {source}", summary.added
            )
        message(said.format(n=summary.added, source=summary.source))
