"""``chainlead chain link add|list|edit|remove`` and ``chainlead chain map``: a chain's map
(产业链图谱), its links by segment and state, and the map drawn."""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.cli.chain import CodeArg
from chainlead.cli.chain import app as chain_app
from chainlead.cli.complete import complete_link_name
from chainlead.cli.help import N_
from chainlead.cli.runtime import CsvFlag, ForceFlag, JsonFlag, output, viewing, writing
from chainlead.i18n import _
from chainlead.vocabulary import LinkState, Segment

app = typer.Typer(
    help="A chain's map: its links (环节) by segment and state: add, list, edit, remove.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

LinkArg = Annotated[
    str,
    typer.Argument(
        help="The link's name (any case or width).",
        show_default=False,
        autocompletion=complete_link_name,
    ),
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A note on the link.")]


@app.command("add")
def add(
    code: CodeArg,
    name: Annotated[
        str,
        typer.Argument(
            help="The link's name, e.g. 晶圆制造 (new on the chain).", show_default=False
        ),
    ],
    segment: Annotated[
        Segment | None,
        typer.Option("--segment", help="Its segment (required).", case_sensitive=False),
    ] = None,
    state: Annotated[
        LinkState,
        typer.Option(
            "--state",
            help="strong, weak (to strengthen, 强链) or missing (to fill, 补链).",
            case_sensitive=False,
        ),
    ] = LinkState.strong,
    note: NoteOpt = None,
) -> None:
    """Add a link to a chain's map, at the end of its segment.

    \b
    Example:
      chainlead chain link add IC "晶圆制造" --segment midstream --state weak
    """
    from chainlead.domain.links import add_link
    from chainlead.errors import InvalidInput
    from chainlead.render.output import message

    if segment is None:
        raise InvalidInput(
            "--segment", _("every link has a segment: upstream, midstream, downstream")
        )
    with writing() as (db, stamp):
        link = add_link(
            db,
            chain=code,
            name=name,
            segment=segment.value,
            state=state.value,
            note=note,
            stamp=stamp,
        )
    from chainlead.render.chain_map import state_text
    from chainlead.render.translated import word

    message(
        _("added link {name} to {code}: {segment}, {state}").format(
            name=link.name,
            code=code.strip().upper(),
            segment=word("segment", link.segment),
            state=state_text(link.state),
        )
    )


@app.command("list")
def list_(code: CodeArg, json: JsonFlag = False, csv: CsvFlag = False) -> None:
    """List a chain's links in map order, with their enterprises, open items and projects.

    \b
    Example:
      chainlead chain link list IC --csv
    """
    from chainlead.domain.links import link_rows
    from chainlead.render.chain_map import LINK_COLUMNS, LINK_TABLE
    from chainlead.render.formats import Format, choose
    from chainlead.render.output import render
    from chainlead.render.words import headed

    fmt = choose(json=json, csv=csv)
    with viewing() as (reader, _current):
        rows = link_rows(reader, chain=code)
    render(
        rows,
        fmt,
        columns=LINK_COLUMNS if fmt is Format.csv else headed(LINK_TABLE),
        title=_("Links of {code}").format(code=code.strip().upper()),
        empty=_("no links yet: add one with `chainlead chain link add`"),
    )


@app.command("edit")
def edit(
    code: CodeArg,
    name: LinkArg,
    new_name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    segment: Annotated[
        Segment | None,
        typer.Option("--segment", help="New segment.", case_sensitive=False),
    ] = None,
    state: Annotated[
        LinkState | None,
        typer.Option("--state", help="New state.", case_sensitive=False),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="New note ('' clears).")] = None,
) -> None:
    """Rename a link, move it to another segment, or change its state or note.

    \b
    Example:
      chainlead chain link edit IC 晶圆制造 --state strong
    """
    from chainlead.domain.links import edit_link
    from chainlead.errors import InvalidInput
    from chainlead.render.output import changes_made

    if new_name is None and segment is None and state is None and note is None:
        raise InvalidInput(
            "chain link edit", _("give at least one of --name, --segment, --state, --note")
        )
    with writing() as (db, stamp):
        changes = edit_link(
            db,
            chain=code,
            name=name,
            new_name=new_name,
            segment=segment.value if segment else None,
            state=state.value if state else None,
            note=note,
            stamp=stamp,
        )
    shown = changes[-1].name if changes else name.strip()
    changes_made(f"{code.strip().upper()}:{shown}", changes)


@app.command("remove")
def remove(code: CodeArg, name: LinkArg) -> None:
    """Take a link off a chain's map; refused while an enterprise, item or project names it.

    \b
    Example:
      chainlead chain link remove IC 光刻胶
    """
    from chainlead.domain.links import remove_link
    from chainlead.render.output import message

    with writing() as (db, stamp):
        link = remove_link(db, chain=code, name=name, stamp=stamp)
    message(_("removed link {name} from {code}").format(name=link.name, code=code.strip().upper()))


chain_app.add_typer(app, name="link")


def _file(option: str, text: str) -> typer.models.OptionInfo:
    return typer.Option(option, help=text, metavar="FILE", show_default=False)


@chain_app.command("map")
def map_(
    code: CodeArg,
    html: Annotated[
        str | None,
        _file(
            "--html",
            N_(
                "Write the map as an HTML page to print (one A4 landscape page) "
                "to FILE ('-': stdout)."
            ),
        ),
    ] = None,
    svg: Annotated[
        str | None,
        _file("--svg", N_("Write the map as an SVG picture (A4 landscape) to FILE ('-': stdout).")),
    ] = None,
    force: ForceFlag = False,
    json: JsonFlag = False,
) -> None:
    """Draw a chain's map: its segments, links with their state, enterprises (链主
    marked), open items with their worst light, and projects.

    Upstream, midstream and downstream stand side by side on a wide terminal,
    one under another on a narrow one.

    \b
    Example:
      chainlead chain map IC --html ic-map.html
    """
    from chainlead import outfile
    from chainlead.domain.links import chain_map
    from chainlead.errors import InvalidInput
    from chainlead.render.chain_map import MapView
    from chainlead.render.formats import Format
    from chainlead.render.output import message, render

    given = {Format.html: html, Format.svg: svg}
    targets = {
        fmt: output(f"--{fmt}", value, kind=outfile.Kind.report, force=force)
        for fmt, value in given.items()
        if value is not None
    }
    if sum(1 for t in targets.values() if t.path is None) + int(json) > 1:
        raise InvalidInput("--json/--html/--svg", _("only one of them can go to stdout"))
    outfile.distinct(list(targets.values()))
    with viewing() as (reader, current):
        found = chain_map(
            reader, chain=code, today=current.today(), warning_days=current.warning_days
        )
    view = MapView(found)
    if json:
        render(view, Format.json)
    for fmt, target in targets.items():
        render(view, fmt, to=target)
        if target.path is not None:
            message(
                _("wrote the map of {code} ({form}) to {path}").format(
                    code=found.code, form=fmt, path=target.path
                )
            )
    if not json and not targets:
        render(view, Format.table)
