"""``chainlead chain``: the district's key industrial chains."""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.runtime import CsvFlag, JsonFlag, viewing, writing

app = typer.Typer(
    help=COMMANDS["chain"].help,
    no_args_is_help=True,
    rich_markup_mode=None,
)

CodeArg = Annotated[str, typer.Argument(help="Chain code, e.g. IC.", show_default=False)]


@app.command("add")
def add(
    code: CodeArg,
    name: Annotated[str, typer.Argument(help="Chain name (CJK allowed).", show_default=False)],
    leader: Annotated[
        str | None, typer.Option("--leader", help="The district leader serving as chain leader.")
    ] = None,
    responsible: Annotated[
        str | None,
        typer.Option("--responsible", help="The person in charge of the working team."),
    ] = None,
    member: Annotated[
        list[str] | None, typer.Option("--member", help="A working-team member (repeatable).")
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="What the chain covers.")
    ] = None,
) -> None:
    """Add a chain with its chain leader, responsible person and team.

    \b
    Example:
      chainlead chain add IC "Integrated circuits" --leader "Li Ming" \\
        --responsible "Zhang Wei" --member "Wang Fang"
    """
    from chainlead.domain.chains import add_chain
    from chainlead.render.output import message

    with writing() as (db, stamp):
        detail = add_chain(
            db,
            code=code,
            name=name,
            leader=leader,
            responsible=responsible,
            members=tuple(member or ()),
            description=description,
            stamp=stamp,
        )
    message(
        f"added chain {detail.code} {detail.name}: chain leader {detail.leader}, "
        f"responsible {detail.responsible}, team of {detail.team_size}"
    )


@app.command("list")
def list_(
    all_: Annotated[bool, typer.Option("--all", help="Include archived chains.")] = False,
    json: JsonFlag = False,
    csv: CsvFlag = False,
) -> None:
    """List chains with chain leader, responsible person and team size.

    \b
    Example:
      chainlead chain list --all
    """
    from chainlead.domain.views import list_chains
    from chainlead.render.chains import CHAIN_COLUMNS
    from chainlead.render.formats import choose
    from chainlead.render.output import render

    fmt = choose(json=json, csv=csv)
    with viewing() as (reader, _):
        rows = list_chains(reader, include_archived=all_)
    render(rows, fmt, columns=CHAIN_COLUMNS, title="Industrial chains", empty="no chains yet")


@app.command("show")
def show(code: CodeArg, json: JsonFlag = False) -> None:
    """Show a chain: team, chain leader and responsible person over time, history.

    \b
    Example:
      chainlead chain show IC
    """
    from chainlead.domain.chain_views import chain_detail
    from chainlead.render.chains import chain_card
    from chainlead.render.formats import choose
    from chainlead.render.output import render

    with viewing() as (reader, _):
        detail = chain_detail(reader, code=code)
    render(detail, choose(json=json), people=chain_card)


@app.command("edit")
def edit(
    code: CodeArg,
    name: Annotated[str | None, typer.Option("--name", help="New chain name.")] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="New description.")
    ] = None,
    leader: Annotated[
        str | None,
        typer.Option("--leader", help="New chain leader (the old one is kept in history)."),
    ] = None,
    responsible: Annotated[
        str | None,
        typer.Option(
            "--responsible", help="New responsible person (the old one is kept in history)."
        ),
    ] = None,
) -> None:
    """Rename a chain or hand over its chain leader or responsible role.

    \b
    Example:
      chainlead chain edit IC --leader "Sun Hao"
    """
    from chainlead.domain.chains import edit_chain
    from chainlead.errors import InvalidInput
    from chainlead.render.output import message

    if name is None and description is None and leader is None and responsible is None:
        raise InvalidInput(
            "chain edit", "give at least one of --name, --description, --leader, --responsible"
        )
    with writing() as (db, stamp):
        detail = edit_chain(
            db,
            code=code,
            name=name,
            description=description,
            leader=leader,
            responsible=responsible,
            stamp=stamp,
        )
    message(
        f"chain {detail.code} {detail.name}: chain leader {detail.leader}, "
        f"responsible {detail.responsible}"
    )


@app.command("archive")
def archive(code: CodeArg) -> None:
    """Archive a chain: its records stay, it takes no new work or meetings.

    \b
    Example:
      chainlead chain archive IC
    """
    from chainlead.domain.chains import archive_chain
    from chainlead.render.output import message

    with writing() as (db, stamp):
        detail = archive_chain(db, code=code, stamp=stamp)
    message(f"archived chain {detail.code} {detail.name}")
