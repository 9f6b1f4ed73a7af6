"""``chainlead search``: items and meetings by anything written about them."""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.cli.complete import complete_chain_code
from chainlead.cli.runtime import JsonFlag
from chainlead.i18n import _, ngettext


def search(
    text: Annotated[
        str | None,
        typer.Argument(
            help="What to look for: any part of a text, any case (words: all of them).",
            show_default=False,
        ),
    ] = None,
    chain: Annotated[
        str | None,
        typer.Option("--chain", help="Only this chain.", autocompletion=complete_chain_code),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", help="Only items in this status (repeatable); no meetings."),
    ] = None,
    limit: Annotated[
        int,
        typer.Option("--limit", help="At most N hits, the best first.", min=1),
    ] = 20,
    json: JsonFlag = False,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild", help="Build the search index again from what is stored (no TEXT)."
        ),
    ] = False,
) -> None:
    """Find items and meetings by anything written: titles, details, notes,
    resolutions, enterprises, categories, meeting summaries and decisions.

    Any part of a text is found, Chinese or not (用电 finds 新产线用电增容).
    Titles come first, then enterprises, categories, details, summaries,
    decisions, resolutions and notes; then the most recently added.

    \b
    Example:
      chainlead search 用电
      chainlead search 10千伏 --chain IC --status resolved --json
    """
    from chainlead.errors import InvalidInput
    from chainlead.render.output import message

    if rebuild:
        if text is not None:
            raise InvalidInput("--rebuild", _("takes no TEXT"), text)
        from chainlead.cli.runtime import writing
        from chainlead.store.search import rebuild_index

        with writing() as (db, _stamp):
            count = rebuild_index(db)
        message(
            ngettext(
                "search index built again: {n} text", "search index built again: {n} texts", count
            ).format(n=count)
        )
        return
    if text is None:
        raise InvalidInput("TEXT", _("expected what to look for, e.g. 用电"))
    from chainlead.cli.runtime import viewing
    from chainlead.domain.search import search as find
    from chainlead.render.formats import Format, choose
    from chainlead.render.output import print_json, print_long

    fmt = choose(json=json)
    with viewing() as (db, _current):
        result = find(db, text=text, chain=chain, statuses=tuple(status or ()), limit=limit)
    if fmt is Format.json:
        print_json(result)
        return
    if not result.found:
        message(_("nothing found for {text}").format(text=result.text))
        return
    from chainlead.render.search import search_table

    print_long(search_table(result))
    shown = len(result.found)
    if shown < result.total:
        message(
            ngettext(
                "{shown} of {n} found (--limit for more)",
                "{shown} of {n} found (--limit for more)",
                result.total,
            ).format(shown=shown, n=result.total)
        )
    else:
        message(ngettext("{n} found", "{n} found", result.total).format(n=result.total))
