"""``chainlead person``: the people chains, teams, items and meetings name."""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.complete import complete_person_name
from chainlead.cli.runtime import CsvFlag, JsonFlag, viewing, writing
from chainlead.i18n import _

app = typer.Typer(
    help=COMMANDS["person"].help,
    no_args_is_help=True,
    rich_markup_mode=None,
)

NameArg = Annotated[
    str,
    typer.Argument(
        help="The person's name, as chainlead knows it.",
        show_default=False,
        autocompletion=complete_person_name,
    ),
]
UnitOpt = Annotated[
    str | None, typer.Option("--unit", help="The person's organisation or department.")
]
TitleOpt = Annotated[str | None, typer.Option("--title", help="The person's title.")]
ContactOpt = Annotated[str | None, typer.Option("--contact", help="Phone or e-mail.")]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The new person's name.", show_default=False)],
    unit: UnitOpt = None,
    title: TitleOpt = None,
    contact: ContactOpt = None,
) -> None:
    """Add a person, so that commands can name them (an existing name is refused).

    \b
    Example:
      chainlead person add "Chen Jie" --unit "District Science and Technology Bureau" \\
        --title "Deputy Director" --contact "025-5210 0000"
    """
    from chainlead.domain.people import add_person
    from chainlead.render.output import message

    with writing() as (db, stamp):
        person = add_person(db, name=name, unit=unit, title=title, contact=contact, stamp=stamp)
    if person.unit:
        message(_("added {name}, {unit}").format(name=person.name, unit=person.unit))
    else:
        message(_("added {name}").format(name=person.name))


@app.command("list")
def list_(json: JsonFlag = False, csv: CsvFlag = False) -> None:
    """List everyone chainlead knows: details, chains and roles held now, open items owned.

    \b
    Example:
      chainlead person list --csv
    """
    from chainlead.domain.people import list_people
    from chainlead.render.formats import Format, choose
    from chainlead.render.output import render
    from chainlead.render.people import PERSON_COLUMNS, person_columns

    fmt = choose(json=json, csv=csv)
    with viewing() as (reader, _current):
        rows = list_people(reader)
    render(
        rows,
        fmt,
        columns=PERSON_COLUMNS if fmt is Format.csv else person_columns(),
        title=_("People"),
        empty=_("no people yet"),
    )


@app.command("show")
def show(name: NameArg, json: JsonFlag = False) -> None:
    """Show a person: details, roles on each chain over time, open items owned, history.

    \b
    Example:
      chainlead person show "Chen Jie"
    """
    from chainlead.domain.people import person_detail
    from chainlead.render.formats import choose
    from chainlead.render.output import render
    from chainlead.render.people import person_card

    with viewing() as (reader, _current):
        detail = person_detail(reader, name=name)
    render(detail, choose(json=json), people=person_card)


@app.command("edit")
def edit(
    name: NameArg,
    unit: Annotated[
        str | None, typer.Option("--unit", help="New organisation or department ('' clears).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="New title ('' clears).")] = None,
    contact: Annotated[
        str | None, typer.Option("--contact", help="New phone or e-mail ('' clears).")
    ] = None,
) -> None:
    """Change a person's unit, title or contact; each change is kept in their history.

    \b
    Example:
      chainlead person edit "Chen Jie" --title "Director"
    """
    from chainlead.domain.people import edit_person
    from chainlead.render.output import message

    with writing() as (db, stamp):
        person = edit_person(db, name=name, unit=unit, title=title, contact=contact, stamp=stamp)
    empty = _("(empty)")
    message(
        _("{name}: unit {unit}, title {title}, contact {contact}").format(
            name=person.name,
            unit=person.unit or empty,
            title=person.title or empty,
            contact=person.contact or empty,
        )
    )


@app.command("rename")
def rename(
    old: NameArg,
    new: Annotated[str, typer.Argument(help="The new name.", show_default=False)],
) -> None:
    """Correct a person's name; their chains, items and meetings follow.

    \b
    Example:
      chainlead person rename "Chen Jei" "Chen Jie"
    """
    from chainlead.domain.people import rename_person
    from chainlead.render.output import message

    with writing() as (db, stamp):
        person = rename_person(db, old=old, new=new, stamp=stamp)
    message(_("{old} is now {new}").format(old=old.strip(), new=person.name))
