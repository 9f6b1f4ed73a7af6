"""``chainlead user``: who may log in to a shared PostgreSQL database, and what they
may do there (refused on SQLite: the file's owner is the boundary)."""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.complete import (
    complete_access_role,
    complete_chain_code,
    complete_person_name,
    complete_unit,
)
from chainlead.cli.runtime import CsvFlag, JsonFlag, NewPersonFlag, viewing, writing
from chainlead.i18n import _

app = typer.Typer(
    help=COMMANDS["user"].help,
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
RoleArg = Annotated[
    str,
    typer.Argument(
        help="admin (链办), leader (链长), team (工作专班), unit (责任单位) or viewer (查看).",
        show_default=False,
        autocompletion=complete_access_role,
    ),
]
ChainOpt = Annotated[
    str | None,
    typer.Option(
        "--chain",
        help="leader and team: the chain (a code); left out: every chain.",
        autocompletion=complete_chain_code,
    ),
]
UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit",
        help="unit: the institution whose assignments the login works on.",
        autocompletion=complete_unit,
    ),
]


def _grant_line(role: str, chain: str | None, unit: str | None) -> str:
    from chainlead.render.words import access_word

    where = chain or unit or _("every chain")
    if role not in ("leader", "team"):
        where = unit or ""
    shown = access_word(role)
    return f"{shown} ({where})" if where else shown


@app.command("add")
def add(
    name: NameArg,
    role: Annotated[
        str,
        typer.Option(
            "--role", help="The PostgreSQL login role the person connects as.", show_default=False
        ),
    ],
    create_login: Annotated[
        bool,
        typer.Option(
            "--create-login",
            help="Create the login role on the server first, with a password "
            "(asked for, or read from --password-stdin).",
        ),
    ] = False,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="With --create-login: read the password from stdin."),
    ] = False,
    new_person: NewPersonFlag = False,
) -> None:
    """Link a person to the login role they connect to the shared database as.

    \b
    Example:
      chainlead user add 李明 --role liming --create-login
    """
    import sys

    from chainlead.domain.access import add_user
    from chainlead.errors import InvalidInput
    from chainlead.render.output import message

    password = None
    if password_stdin and not create_login:
        raise InvalidInput("--password-stdin", _("only with --create-login"))
    if create_login:
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt(_("password"), hide_input=True, confirmation_prompt=True)
        if not password:
            raise InvalidInput("--password-stdin", _("a password that is not empty"))
    with writing() as (db, stamp):
        row = add_user(
            db, name=name, login=role, stamp=stamp, new_person=new_person, password=password
        )
    message(_("{name} logs in as {login}").format(name=row.person, login=row.login))


@app.command("grant")
def grant(name: NameArg, role: RoleArg, chain: ChainOpt = None, unit: UnitOpt = None) -> None:
    """Let a person's login do what a role does: on the server, for any client.

    \b
    Example:
      chainlead user grant 王芳 team --chain IC
    """
    from chainlead.domain.access import grant_access
    from chainlead.render.output import message

    with writing() as (db, stamp):
        row = grant_access(db, name=name, role=role, stamp=stamp, chain=chain, unit=unit)
    message(
        _("granted {name} ({login}): {grant}").format(
            name=row.person, login=row.login, grant=_grant_line(row.role or "", row.chain, row.unit)
        )
    )


@app.command("revoke")
def revoke(name: NameArg, role: RoleArg, chain: ChainOpt = None, unit: UnitOpt = None) -> None:
    """Take a grant back; the login leaves the role's group when no grant of it is left.

    \b
    Example:
      chainlead user revoke 王芳 team --chain IC
    """
    from chainlead.domain.access import revoke_access
    from chainlead.render.output import message

    with writing() as (db, _stamp):
        row = revoke_access(db, name=name, role=role, chain=chain, unit=unit)
    message(
        _("revoked from {name} ({login}): {grant}").format(
            name=row.person, login=row.login, grant=_grant_line(row.role or "", row.chain, row.unit)
        )
    )


@app.command("list")
def list_(json: JsonFlag = False, csv: CsvFlag = False) -> None:
    """List the people who log in, their login roles and their grants.

    \b
    Example:
      chainlead user list --json
    """
    from chainlead.domain.access import list_users
    from chainlead.render.formats import Format, choose
    from chainlead.render.output import render
    from chainlead.render.people import USER_COLUMNS, user_columns

    fmt = choose(json=json, csv=csv)
    with viewing() as (reader, _current):
        rows = list_users(reader)
    render(
        rows,
        fmt,
        columns=USER_COLUMNS if fmt is Format.csv else user_columns(),
        title=_("Logins"),
        empty=_("no logins yet"),
    )
