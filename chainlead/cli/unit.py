"""``chainlead unit``: the institutions (责任单位) items are handed to."""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.complete import complete_unit
from chainlead.cli.runtime import CsvFlag, ExcelFlag, JsonFlag, viewing, writing
from chainlead.i18n import _, ngettext
from chainlead.vocabulary import UnitKind

app = typer.Typer(
    help=COMMANDS["unit"].help,
    no_args_is_help=True,
    rich_markup_mode=None,
)

NameArg = Annotated[
    str,
    typer.Argument(
        help="Institution: its name or short name, any case or width.",
        show_default=False,
        autocompletion=complete_unit,
    ),
]
ShortOpt = Annotated[str | None, typer.Option("--short", help="Short name, e.g. 发改委.")]
ContactOpt = Annotated[
    str | None, typer.Option("--contact", help="Contact: a person, a telephone number.")
]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Full name (1-200 characters).", show_default=False)],
    short: ShortOpt = None,
    kind: Annotated[
        UnitKind, typer.Option("--kind", help="What kind of institution.", case_sensitive=False)
    ] = UnitKind.other,
    contact: ContactOpt = None,
) -> None:
    """Add an institution that bottleneck items can be handed to.

    \b
    Example:
      chainlead unit add "区发展和改革委员会" --short 发改委 --kind bureau \\
        --contact "Zhou Lan, 025-5211 0000"
    """
    from chainlead.domain.units import add_unit
    from chainlead.render.output import message

    with writing() as (db, stamp):
        unit = add_unit(db, name=name, short=short, kind=kind.value, contact=contact, stamp=stamp)
    from chainlead.render.translated import word

    if unit.short:
        said = _("added institution {name} ({short}), {kind}")
    else:
        said = _("added institution {name}, {kind}")
    message(said.format(name=unit.name, short=unit.short, kind=word("unit", unit.kind)))


@app.command("list")
def list_(json: JsonFlag = False, csv: CsvFlag = False, excel: ExcelFlag = False) -> None:
    """List institutions with their open, overdue and resolved items.

    \b
    Example:
      chainlead unit list --csv
    """
    from chainlead.domain.units import list_units
    from chainlead.render.csv_rows import check_excel
    from chainlead.render.formats import choose
    from chainlead.render.output import render
    from chainlead.render.units import UNIT_COLUMNS
    from chainlead.render.words import headed

    fmt = choose(json=json, csv=csv)
    check_excel(fmt, excel)
    with viewing() as (reader, current):
        rows = list_units(reader, today=current.today())
    render(
        rows,
        fmt,
        columns=headed(UNIT_COLUMNS),
        title=_("Institutions"),
        empty=_("no institutions yet"),
        excel=excel,
    )


@app.command("show")
def show(name: NameArg, json: JsonFlag = False) -> None:
    """Show an institution: its fields, open items with their lights, on-time rate.

    \b
    Example:
      chainlead unit show 发改委
    """
    from chainlead.domain.units import unit_detail
    from chainlead.render.formats import choose
    from chainlead.render.output import render
    from chainlead.render.units import unit_card

    with viewing() as (reader, current):
        detail = unit_detail(
            reader, name=name, today=current.today(), warning_days=current.warning_days
        )
    render(detail, choose(json=json), people=unit_card)


@app.command("edit")
def edit(
    name: NameArg,
    short: Annotated[
        str | None, typer.Option("--short", help="New short name ('' clears).")
    ] = None,
    kind: Annotated[
        UnitKind | None, typer.Option("--kind", help="New kind.", case_sensitive=False)
    ] = None,
    contact: Annotated[
        str | None, typer.Option("--contact", help="New contact ('' clears).")
    ] = None,
) -> None:
    """Change an institution's short name, kind or contact (kept in the history).

    \b
    Example:
      chainlead unit edit 发改委 --contact "Wu Min, 025-5211 0001"
    """
    from chainlead.domain.units import edit_unit
    from chainlead.errors import InvalidInput
    from chainlead.render.output import changes_made

    if short is None and kind is None and contact is None:
        raise InvalidInput("unit edit", _("give at least one of --short, --kind, --contact"))
    with writing() as (db, stamp):
        changes = edit_unit(
            db,
            name=name,
            short=short,
            kind=kind.value if kind else None,
            contact=contact,
            stamp=stamp,
        )
    changes_made(changes[0].name if changes else name.strip(), changes)


@app.command("rename")
def rename(
    old: NameArg,
    new: Annotated[str, typer.Argument(help="The new full name.", show_default=False)],
) -> None:
    """Give an institution a new name; its items follow, the history keeps the old one.

    \b
    Example:
      chainlead unit rename 发改委 "区发展改革局"
    """
    from chainlead.domain.units import rename_unit_named
    from chainlead.render.output import message

    with writing() as (db, stamp):
        change, moved = rename_unit_named(db, old=old, new=new, stamp=stamp)
    message(
        ngettext(
            "renamed {old} → {new}; {n} item follows",
            "renamed {old} → {new}; {n} items follow",
            moved,
        ).format(old=change.old, new=change.new, n=moved)
    )
