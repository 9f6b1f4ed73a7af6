"""``chainlead chain``: the district's key industrial chains."""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.complete import complete_person_name
from chainlead.cli.runtime import CsvFlag, JsonFlag, NewPersonFlag, settings, viewing, writing
from chainlead.i18n import _

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
        str | None,
        typer.Option(
            "--leader",
            help="The district leader serving as chain leader.",
            autocompletion=complete_person_name,
        ),
    ] = None,
    responsible: Annotated[
        str | None,
        typer.Option(
            "--responsible",
            help="The person in charge of the working team.",
            autocompletion=complete_person_name,
        ),
    ] = None,
    member: Annotated[
        list[str] | None,
        typer.Option(
            "--member",
            help="A working-team member (repeatable).",
            autocompletion=complete_person_name,
        ),
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="What the chain covers.")
    ] = None,
) -> None:
    """Add a chain with its chain leader, responsible person and team.

    People not known yet are added with the chain, and named on stderr (with
    the known names closest to each, in case one is a typo).

    \b
    Example:
      chainlead chain add IC "Integrated circuits" --leader "Li Ming" \\
        --responsible "Zhang Wei" --member "Wang Fang"
    """
    from chainlead.domain.chains import add_chain, new_people
    from chainlead.render.output import message

    with writing() as (db, stamp):
        new = new_people(
            db,
            [
                ("--leader", leader),
                ("--responsible", responsible),
                *(("--member", m) for m in member or ()),
            ],
        )
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
        _(
            "added chain {code} {name}: chain leader {leader}, responsible {responsible}, "
            "team of {size}"
        ).format(
            code=detail.code,
            name=detail.name,
            leader=detail.leader,
            responsible=detail.responsible,
            size=detail.team_size,
        )
    )
    for name, near in new:
        if near:
            message(
                _(
                    "new person {name} (close to {near}: a typo? see `chainlead person rename`)"
                ).format(name=name, near=", ".join(near))
            )
        else:
            message(_("new person {name}").format(name=name))


@app.command("list")
def list_(
    all_: Annotated[bool, typer.Option("--all", help="Include archived chains.")] = False,
    json: JsonFlag = False,
    csv: CsvFlag = False,
) -> None:
    """List chains with chain leader, responsible person and members (the chain
    leader and the working team, as the chain's card counts them).

    \b
    Example:
      chainlead chain list --all
    """
    from chainlead.domain.views import list_chains
    from chainlead.render.chains import CHAIN_COLUMNS, CHAIN_CSV_COLUMNS
    from chainlead.render.formats import Format, choose
    from chainlead.render.output import render
    from chainlead.render.words import headed

    fmt = choose(json=json, csv=csv)
    with viewing() as (reader, _current):
        rows = list_chains(reader, include_archived=all_)
    render(
        rows,
        fmt,
        columns=headed(CHAIN_CSV_COLUMNS if fmt is Format.csv else CHAIN_COLUMNS),
        title=_("Industrial chains"),
        empty=_("no chains yet"),
    )


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

    with viewing() as (reader, _current):
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
        typer.Option(
            "--leader",
            help="New chain leader (a known person; the old one is kept in history).",
            autocompletion=complete_person_name,
        ),
    ] = None,
    responsible: Annotated[
        str | None,
        typer.Option(
            "--responsible",
            help="New responsible person (a known person; the old one is kept in history).",
            autocompletion=complete_person_name,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="When the new chain leader or responsible person took over [default: today].",
        ),
    ] = None,
    why: Annotated[
        str | None,
        typer.Option("--why", help="Why the role changed hands, kept in the history."),
    ] = None,
    new_person: NewPersonFlag = False,
) -> None:
    """Rename a chain or hand over its chain leader or responsible role.

    \b
    Example:
      chainlead chain edit IC --leader "Sun Hao" --since 2026-11-01 \\
        --why "District leaders' duties reassigned"
    """
    from chainlead.domain.chains import edit_chain
    from chainlead.errors import InvalidInput
    from chainlead.render.output import message

    if name is None and description is None and leader is None and responsible is None:
        raise InvalidInput(
            "chain edit", _("give at least one of --name, --description, --leader, --responsible")
        )
    took_over = None
    if since is not None:
        from chainlead.values import parse_date

        current = settings()
        took_over = parse_date(
            "--since", since, today=current.today(), holidays_file=current.holidays_file
        )
    with writing() as (db, stamp):
        detail = edit_chain(
            db,
            code=code,
            name=name,
            description=description,
            leader=leader,
            responsible=responsible,
            since=took_over,
            why=why,
            new_person=new_person,
            stamp=stamp,
        )
    message(
        _("chain {code} {name}: chain leader {leader}, responsible {responsible}").format(
            code=detail.code,
            name=detail.name,
            leader=detail.leader,
            responsible=detail.responsible,
        )
    )


@app.command("archive")
def archive(
    code: CodeArg,
    why: Annotated[
        str | None,
        typer.Option(
            "--why", help="Why the chain is archived (kept in its history).", metavar="TEXT"
        ),
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", hidden=True)] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", help="Archive without asking (for scripts: needed without a terminal)."
        ),
    ] = False,
) -> None:
    """Archive a chain: its records stay, it takes no new work or meetings.

    On a terminal it asks why (when --why is not given) and for confirmation;
    without a terminal it archives only with --yes.

    \b
    Example:
      chainlead chain archive IC --why "Merged into the SA chain" --yes
    """
    from chainlead.cli.confirm import confirm_archive
    from chainlead.domain.chains import archivable_chain, archive_chain
    from chainlead.errors import InvalidInput
    from chainlead.render.output import message
    from chainlead.values import check_text
    from chainlead.vocabulary import TEXT_MAX

    if why is not None and reason is not None:  # --reason: the old name, kept for scripts
        raise InvalidInput("--why", _("give --why once (--reason is its old name)"))
    field = "--reason" if reason is not None else "--why"
    reason = check_text(field, why if reason is None else reason, max_len=TEXT_MAX)
    if not yes:
        with viewing() as (reader, _current):
            chain = archivable_chain(reader, code=code)  # refused before anything is asked
        asked = confirm_archive(chain.code, chain.name, reason)
        if asked is None:
            return
        reason = asked.reason
    with writing() as (db, stamp):
        detail = archive_chain(db, code=code, stamp=stamp, reason=reason)
    message(_("archived chain {code} {name}").format(code=detail.code, name=detail.name))


# ``chain link ...`` and ``chain map`` live beside; importing them registers them on ``app``.
from chainlead.cli import chain_link  # noqa: E402,F401,I001
