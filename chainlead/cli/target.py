"""``chainlead target``: a chain's annual targets for its key figures, and how far the
year has come toward them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.complete import complete_chain_code, complete_target_figure
from chainlead.cli.runtime import CsvFlag, JsonFlag, viewing, writing
from chainlead.i18n import _
from chainlead.vocabulary import TargetKind

if TYPE_CHECKING:
    from datetime import date

    from chainlead.settings import Settings

app = typer.Typer(
    help=COMMANDS["target"].help,
    no_args_is_help=True,
    rich_markup_mode=None,
)

ChainArg = Annotated[
    str,
    typer.Argument(
        help="The chain's code, e.g. IC.", show_default=False, autocompletion=complete_chain_code
    ),
]
YearArg = Annotated[int, typer.Argument(help="The year, e.g. 2026.", show_default=False)]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Count the year to date at this day [default: today].",
        show_default=False,
    ),
]


def _as_of(current: Settings, given: str | None) -> date:
    from chainlead.values import parse_date

    today = current.today()
    return today if given is None else parse_date("--as-of", given, today=today)


@app.command("set")
def set_(
    chain: ChainArg,
    year: YearArg,
    figure: Annotated[
        list[str] | None,
        typer.Option(
            "--figure",
            help="NAME=NUMBER[:UNIT][@sum|@latest], repeatable; the unit is the meetings' own.",
            autocompletion=complete_target_figure,
        ),
    ] = None,
    kind: Annotated[
        TargetKind | None,
        typer.Option(
            "--kind",
            help="How the year is counted for figures without @kind: sum (a monthly flow, "
            "summed) or latest (a running total, the latest value) [default: a target set "
            "again keeps its kind, a new one is sum].",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    new_figure: Annotated[
        bool,
        typer.Option(
            "--new-figure", help="Allow a figure no meeting has recorded yet (refused otherwise)."
        ),
    ] = False,
) -> None:
    """Set a chain's targets for a year; setting one again replaces it (kept in the history).

    \b
    Example:
      chainlead target set IC 2026 --figure output_value=180:亿元 \\
        --figure new_projects=12 --figure investment_signed=60:亿元@latest
    """
    from chainlead.domain.targets import set_targets
    from chainlead.render.output import message

    with writing() as (db, stamp):
        changes = set_targets(
            db,
            code=chain,
            year=year,
            figures=tuple(figure or ()),
            kind=kind.value if kind else None,
            new_figure=new_figure,
            stamp=stamp,
        )
    if not changes:
        message(_("{code} {year}: nothing changed").format(code=chain.strip().upper(), year=year))
    for change in changes:
        old = change.old or "(none)"
        message(
            _("{chain} {year} target {figure}: {old} → {new}").format(
                chain=change.chain, year=change.year, figure=change.figure, old=old, new=change.new
            )
        )


@app.command("show")
def show(
    chain: ChainArg,
    year: Annotated[
        int | None,
        typer.Argument(help="The year [default: this year].", show_default=False),
    ] = None,
    as_of: AsOfOpt = None,
    json: JsonFlag = False,
) -> None:
    """Show a chain's targets for a year against the year to date, with lights.

    \b
    Example:
      chainlead target show IC 2026 --as-of 2026-06-30
    """
    from chainlead.domain.targets import show_targets
    from chainlead.render.formats import choose
    from chainlead.render.output import render
    from chainlead.render.targets import targets_card

    with viewing() as (reader, current):
        day = _as_of(current, as_of)
        shown = show_targets(reader, code=chain, year=year or day.year, as_of=day)
    render(shown, choose(json=json), people=targets_card)


@app.command("list")
def list_(
    year: Annotated[int | None, typer.Option("--year", help="Only this year's targets.")] = None,
    chain: Annotated[
        str | None,
        typer.Option("--chain", help="Only this chain's.", autocompletion=complete_chain_code),
    ] = None,
    as_of: AsOfOpt = None,
    json: JsonFlag = False,
    csv: CsvFlag = False,
) -> None:
    """List targets across chains, each against its year to date, with lights.

    \b
    Example:
      chainlead target list --year 2026
    """
    from chainlead.domain.targets import list_targets
    from chainlead.render.formats import choose
    from chainlead.render.output import render
    from chainlead.render.targets import TARGET_COLUMNS, targets_table

    fmt = choose(json=json, csv=csv)
    with viewing() as (reader, current):
        rows = list_targets(reader, year=year, chain=chain, as_of=_as_of(current, as_of))
    render(rows, fmt, columns=TARGET_COLUMNS, people=targets_table)


@app.command("remove")
def remove(
    chain: ChainArg,
    year: YearArg,
    figure: Annotated[
        str | None,
        typer.Option(
            "--figure",
            help="The figure's name.",
            metavar="NAME",
            autocompletion=complete_target_figure,
        ),
    ] = None,
) -> None:
    """Remove a chain's target for one figure and year (kept in the history).

    \b
    Example:
      chainlead target remove IC 2026 --figure new_projects
    """
    from chainlead.cli.runtime import required
    from chainlead.domain.targets import remove_target
    from chainlead.render.output import message

    name = required("--figure", figure, _("give the figure's name, e.g. --figure new_projects"))
    with writing() as (db, stamp):
        change = remove_target(db, code=chain, year=year, figure=name, stamp=stamp)
    message(
        _("{chain} {year} target {figure} removed (was {old})").format(
            chain=change.chain, year=change.year, figure=change.figure, old=change.old
        )
    )
