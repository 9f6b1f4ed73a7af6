"""``chainlead team``: the special working team of a chain."""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.runtime import CsvFlag, JsonFlag, viewing, writing

app = typer.Typer(
    help=COMMANDS["team"].help,
    no_args_is_help=True,
    rich_markup_mode=None,
)

CodeArg = Annotated[str, typer.Argument(help="Chain code, e.g. IC.", show_default=False)]
NameArg = Annotated[str, typer.Argument(help="The person's name.", show_default=False)]


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
) -> None:
    """Put a person on a chain's working team.

    \b
    Example:
      chainlead team add IC "Chen Jie" --role liaison \\
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
        )
    message(f"{member.name} joined the {code.upper()} team as {member.role}")


@app.command("remove")
def remove(code: CodeArg, name: NameArg) -> None:
    """Take a person off a chain's working team (kept in history).

    \b
    Example:
      chainlead team remove IC "Chen Jie"
    """
    from chainlead.domain.chains import remove_member
    from chainlead.render.output import message

    with writing() as (db, stamp):
        member = remove_member(db, code=code, name=name, stamp=stamp)
    message(f"{member.name} left the {code.upper()} team")


@app.command("list")
def list_(code: CodeArg, json: JsonFlag = False, csv: CsvFlag = False) -> None:
    """List a chain's team: chain leader, responsible person, members.

    \b
    Example:
      chainlead team list IC
    """
    from chainlead.domain.chain_views import list_team
    from chainlead.render.chains import TEAM_COLUMNS
    from chainlead.render.formats import choose
    from chainlead.render.output import render

    fmt = choose(json=json, csv=csv)
    with viewing() as (reader, _):
        members = list_team(reader, code=code)
    render(members, fmt, columns=TEAM_COLUMNS, title=f"{code.upper()} working team")
