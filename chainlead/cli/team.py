"""``chainlead team``: the special working team of a chain."""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.complete import complete_person_name
from chainlead.cli.runtime import CsvFlag, JsonFlag, NewPersonFlag, viewing, writing
from chainlead.i18n import _, ngettext

app = typer.Typer(
    help=COMMANDS["team"].help,
    no_args_is_help=True,
    rich_markup_mode=None,
)

CodeArg = Annotated[str, typer.Argument(help="Chain code, e.g. IC.", show_default=False)]
NameArg = Annotated[
    str,
    typer.Argument(
        help="The person's name.", show_default=False, autocompletion=complete_person_name
    ),
]


@app.command("add")
def add(
    code: CodeArg,
    name: NameArg,
    role: Annotated[
        str,
        typer.Option("--role", help="member, liaison, deputy, secretary or expert."),
    ] = "member",
    unit: Annotated[
        str | None, typer.Option("--unit", help="The person's organisation or department.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The person's title.")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="Phone or e-mail.")] = None,
    new_person: NewPersonFlag = False,
) -> None:
    """Put a known person (or, with --new-person, a new one) on a chain's working team.

    \b
    Example:
      chainlead team add IC "Chen Jie" --role liaison --new-person \\
        --unit "District Science and Technology Bureau"
    """
    from chainlead.domain.chains import add_member
    from chainlead.render.output import message

    with writing() as (db, stamp):
        member = add_member(
            db,
            code=code,
            name=name,
            role=role,
            unit=unit,
            title=title,
            contact=contact,
            stamp=stamp,
            new_person=new_person,
        )
    from chainlead.render.translated import word

    message(
        _("{name} joined the {code} team as {role}").format(
            name=member.name, code=code.upper(), role=word("role", member.role)
        )
    )


@app.command("remove")
def remove(
    code: CodeArg,
    name: NameArg,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="Who takes over the open items the person owns on this chain.",
            metavar="NAME",
            autocompletion=complete_person_name,
        ),
    ] = None,
) -> None:
    """Take a person off a chain's working team (kept in history).

    Someone who still owns open items of the chain is removed only with --to,
    which hands those items to another person first.

    \b
    Example:
      chainlead team remove IC "Chen Jie" --to "Wang Fang"
    """
    from chainlead.domain.chains import remove_member
    from chainlead.render.output import message

    with writing() as (db, stamp):
        member, handed = remove_member(db, code=code, name=name, to=to, stamp=stamp)
    if handed:
        message(
            ngettext(
                "{n} open item handed to {to}: {keys}",
                "{n} open items handed to {to}: {keys}",
                len(handed),
            ).format(n=len(handed), to=to, keys=", ".join(handed))
        )
    message(_("{name} left the {code} team").format(name=member.name, code=code.upper()))


@app.command("list")
def list_(code: CodeArg, json: JsonFlag = False, csv: CsvFlag = False) -> None:
    """List a chain's team: chain leader, responsible person, members.

    \b
    Example:
      chainlead team list IC
    """
    from chainlead.domain.chain_views import list_team
    from chainlead.render.chains import TEAM_COLUMNS, team_columns
    from chainlead.render.formats import Format, choose
    from chainlead.render.output import render

    fmt = choose(json=json, csv=csv)
    with viewing() as (reader, _current):
        members = list_team(reader, code=code)
    render(
        members,
        fmt,
        columns=TEAM_COLUMNS if fmt is Format.csv else team_columns(),
        title=_("{code} working team").format(code=code.upper()),
    )
