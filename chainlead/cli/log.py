"""``chainlead log``: the district's activity log, the week's work in one command."""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.cli.complete import (
    complete_chain_code,
    complete_event_kind,
    complete_person_name,
    complete_unit,
)
from chainlead.cli.runtime import CsvFlag, ExcelFlag, JsonFlag


def log(
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="From this day: a date, monday (this week's) or -7d [default: -7d].",
            show_default=False,
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until", help="Up to this day, included [default: now].", show_default=False
        ),
    ] = None,
    chain: Annotated[
        str | None,
        typer.Option(
            "--chain", help="Only this chain's events.", autocompletion=complete_chain_code
        ),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            help="Only the events of the items an institution leads and of its parts.",
            autocompletion=complete_unit,
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor",
            help="Only what this person recorded (the name given with --as).",
            metavar="NAME",
            autocompletion=complete_person_name,
        ),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            help="Only events of this kind (note, status...).",
            metavar="KIND",
            autocompletion=complete_event_kind,
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            help="At most the N newest events [default on a terminal: 50].",
            min=1,
            show_default=False,
        ),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="On a terminal too, every event (no page).")
    ] = False,
    by_day: Annotated[
        bool, typer.Option("--by-day", help="Group the events under their days (工作日志).")
    ] = False,
    markdown: Annotated[
        str | None,
        typer.Option(
            "--markdown",
            help="Write the log by day as Markdown to FILE ('-': stdout), for mailing.",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    json: JsonFlag = False,
    csv: CsvFlag = False,
    excel: ExcelFlag = False,
) -> None:
    """The district's activity log: who did what to which item, meeting or chain.

    Every event of the history, newest first, in the language and time zone
    in force; the last seven days unless --since says otherwise. Filters
    combine.

    \b
    Example:
      chainlead log --since monday --by-day
      chainlead log --chain IC --kind status --json
      chainlead log --since -7d --markdown week.md
    """
    from chainlead.cli.runtime import output, viewing
    from chainlead.domain.activity import parse_since, read_log
    from chainlead.errors import InvalidInput
    from chainlead.i18n import _
    from chainlead.outfile import Kind
    from chainlead.render.csv_rows import check_excel
    from chainlead.render.formats import Format, choose
    from chainlead.render.output import on_terminal
    from chainlead.render.pages import PAGE

    fmt = choose(json=json, csv=csv)
    check_excel(fmt, excel)
    target = None
    if markdown is not None:
        if fmt is not Format.table or by_day:
            raise InvalidInput(
                "--markdown", _("write the Markdown alone, without --json, --csv or --by-day")
            )
        target = output("--markdown", markdown, kind=Kind.report)
    if limit is None and not every and fmt is Format.table and target is None and on_terminal():
        limit = PAGE  # a page for people at a terminal (render.pages)
    with viewing() as (reader, current):
        today = current.today()
        first = parse_since("--since", since, today=today) if since is not None else None
        last = parse_since("--until", until, today=today) if until is not None else None
        found = read_log(
            reader,
            today=today,
            zone=current.zone(),
            since=first,
            until=last,
            chain=chain,
            unit=unit,
            actor=actor,
            kinds=kind or (),
            limit=limit,
        )
    from chainlead.render import activity as view

    if target is not None:
        from chainlead.render.output import write_text

        write_text(view.markdown(found), None if target.path is None else target)
    elif fmt is Format.json:
        from chainlead.render.output import print_json

        print_json([view.as_data(e) for e in found.events])
    elif fmt is Format.csv:
        from chainlead.render.csv_rows import write_csv

        write_csv(
            list(view.FIELDS),
            ([data[f] or "" for f in view.FIELDS] for data in map(view.as_data, found.events)),
            excel=excel,
        )
    else:
        from chainlead.render.output import print_long

        print_long(view.people(found, by_day=by_day))
