"""``chainlead project``: a chain's projects (建链/强链/补链/延链) and their progress."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.complete import (
    complete_chain_code,
    complete_enterprise,
    complete_person_name,
    complete_project_key,
    complete_unit,
)
from chainlead.cli.runtime import CsvFlag, JsonFlag, NewPersonFlag, settings, viewing, writing
from chainlead.domain.lights import PROJECT_LIGHTS
from chainlead.i18n import _
from chainlead.vocabulary import PROJECT_STATUSES, ProjectType

if TYPE_CHECKING:
    from datetime import date

    from chainlead.domain.project_lights import LightRules
    from chainlead.settings import Settings

app = typer.Typer(
    help=COMMANDS["project"].help,
    no_args_is_help=True,
    rich_markup_mode=None,
)

# --status takes every project status, or "all".
Status = StrEnum("Status", [*((s, s) for s in PROJECT_STATUSES), ("all", "all")])  # type: ignore[misc]


# --light takes a project's lights.
Light = StrEnum("Light", [(light, light) for light in PROJECT_LIGHTS])  # type: ignore[misc]


KeyArg = Annotated[
    str,
    typer.Argument(
        help="Project key, e.g. IC-P1 (any case).",
        show_default=False,
        autocompletion=complete_project_key,
    ),
]
TypeOpt = Annotated[
    ProjectType | None,
    typer.Option(
        "--type",
        help="build 建链, strengthen 强链, fill 补链 or extend 延链.",
        case_sensitive=False,
    ),
]
EnterpriseOpt = Annotated[
    str | None,
    typer.Option(
        "--enterprise",
        help="The enterprise carrying it: its name or short name.",
        autocompletion=complete_enterprise,
    ),
]
LinkOpt = Annotated[
    str | None, typer.Option("--link", help="The link of the chain's map it is on, e.g. 晶圆制造.")
]
UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit",
        help="Responsible institution: its name or short name.",
        autocompletion=complete_unit,
    ),
]
OwnerOpt = Annotated[
    str | None,
    typer.Option(
        "--owner",
        help="Person following it up (a known person).",
        autocompletion=complete_person_name,
    ),
]
InvestmentOpt = Annotated[
    str | None, typer.Option("--investment", help="Planned investment, a number such as 45.")
]
MoneyOpt = Annotated[
    str | None,
    typer.Option(
        "--investment-unit", help="The investment's unit [default: 亿元].", show_default=False
    ),
]


def _date(field: str, text: str | None) -> date | None:
    """A date option as typed, or None when it was not given."""
    if text is None:
        return None
    from chainlead.values import parse_date

    current = settings()
    return parse_date(field, text, today=current.today(), holidays_file=current.holidays_file)


def _rules(current: Settings) -> LightRules:
    from chainlead.domain.project_lights import LightRules

    return LightRules(
        yellow_points=current.project_yellow_points,
        red_points=current.project_red_points,
        idle_months=current.project_idle_months,
    )


@app.command("add")
def add(
    chain: Annotated[
        str,
        typer.Argument(
            help="Chain code, e.g. IC.", show_default=False, autocompletion=complete_chain_code
        ),
    ],
    title: Annotated[str, typer.Argument(help="What the project is (1-500 characters).")],
    type: TypeOpt = None,
    enterprise: EnterpriseOpt = None,
    link: LinkOpt = None,
    investment: InvestmentOpt = None,
    investment_unit: MoneyOpt = None,
    start: Annotated[str | None, typer.Option("--start", help="Planned start.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Planned end.")] = None,
    unit: UnitOpt = None,
    owner: OwnerOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="Anything else to keep.")] = None,
    new_person: NewPersonFlag = False,
) -> None:
    """Put a new project on a chain; prints its key (IC-P1, IC-P2, ...).

    \b
    Example:
      chainlead project add IC "12英寸晶圆二期" --type build --enterprise 华虹 \\
        --investment 45 --investment-unit 亿元 --start 2026-03-01 --end 2027-06-30
    """
    from chainlead.cli.runtime import required
    from chainlead.domain.projects import add_project
    from chainlead.render.output import message

    kind = required("--type", type, _("give --type build, strengthen, fill or extend"))
    carrier = required(
        "--enterprise", enterprise, _("give the enterprise carrying it: --enterprise NAME")
    )
    start_on = required(
        "--start", _date("--start", start), _("give the planned start: --start DATE")
    )
    end_on = required("--end", _date("--end", end), _("give the planned end: --end DATE"))
    with writing() as (db, stamp):
        added = add_project(
            db,
            chain=chain,
            title=title,
            type=kind.value,
            enterprise=carrier,
            link=link,
            investment=investment,
            investment_unit=investment_unit,
            start=start_on,
            end=end_on,
            unit=unit,
            owner=owner,
            note=note,
            stamp=stamp,
            new_person=new_person,
        )
    typer.echo(added.key)
    from chainlead.render.translated import word

    message(
        _("added {key} ({type}): {title}, {start} → {end}").format(
            key=added.key,
            type=word("type", added.type),
            title=added.title,
            start=added.start_on.isoformat(),
            end=added.end_on.isoformat(),
        )
    )


@app.command("list")
def list_(
    chain: Annotated[
        str | None,
        typer.Option("--chain", help="Only this chain's.", autocompletion=complete_chain_code),
    ] = None,
    type: TypeOpt = None,
    light: Annotated[
        Light | None,
        typer.Option("--light", help="Only those with this light.", case_sensitive=False),
    ] = None,
    status: Annotated[
        Status,  # type: ignore[valid-type]
        typer.Option(
            "--status", help="active (default), finished, dropped or all.", case_sensitive=False
        ),
    ] = "active",  # type: ignore[assignment]
    json: JsonFlag = False,
    csv: CsvFlag = False,
) -> None:
    """List projects with their progress against plan (序时进度) and light.

    \b
    Example:
      chainlead project list --chain IC --light red
    """
    from chainlead.domain.projects import list_projects
    from chainlead.render.formats import Format, choose
    from chainlead.render.output import print_rows
    from chainlead.render.projects import PROJECT_COLUMNS, PROJECT_TABLE

    fmt = choose(json=json, csv=csv)
    with viewing() as (reader, current):
        rows = list_projects(
            reader,
            today=current.today(),
            rules=_rules(current),
            chain=chain,
            type=type.value if type else None,
            light=light.value if light else None,
            status=str(getattr(status, "value", status)),
        )
    from chainlead.render.words import headed

    columns = PROJECT_COLUMNS if fmt is Format.csv else headed(PROJECT_TABLE)
    print_rows(rows, columns, fmt, title=_("Projects"), empty=_("no projects"))


@app.command("show")
def show(key: KeyArg, json: JsonFlag = False) -> None:
    """Show a project: plan, progress against plan, light and why, milestones, items.

    \b
    Example:
      chainlead project show IC-P1
    """
    from chainlead.domain.projects import project_detail
    from chainlead.render.formats import choose
    from chainlead.render.output import render
    from chainlead.render.projects import project_card

    with viewing() as (reader, current):
        detail = project_detail(
            reader,
            key=key,
            today=current.today(),
            rules=_rules(current),
            warning_days=current.warning_days,
        )
    render(detail, choose(json=json), people=project_card)


@app.command("progress")
def progress(
    key: KeyArg,
    percent: Annotated[
        int | None, typer.Option("--percent", help="Percent done now, 0-100.", show_default=False)
    ] = None,
    invested: Annotated[
        str | None,
        typer.Option("--invested", help="Investment made so far (cumulative), e.g. 12.5."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What was done (required).")] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="The day it stands for [default: today].")
    ] = None,
    why: Annotated[
        str | None, typer.Option("--why", help="Why it is lower than the latest report.")
    ] = None,
) -> None:
    """Report a project's progress: percent done and investment made so far.

    \b
    Example:
      chainlead project progress IC-P1 --percent 40 --invested 12.5 --note "主体结构施工"
    """
    from chainlead.cli.runtime import required
    from chainlead.domain.projects import record_progress
    from chainlead.render.output import message

    done = required("--percent", percent, _("give the percent done now: --percent 0-100"))
    text = required("--note", note, _("say what was done: --note TEXT"))
    day = _date("--on", on)
    with writing() as (db, stamp):
        made = record_progress(
            db, key=key, percent=done, invested=invested, note=text, on=day, why=why, stamp=stamp
        )
    if made.invested:
        said = _("{key}: {before}% → {after}%, invested {amount} ({day})")
    else:
        said = _("{key}: {before}% → {after}% ({day})")
    message(
        said.format(
            key=made.key,
            before=made.previous,
            after=made.percent,
            amount=f"{made.invested} {made.investment_unit or ''}".rstrip(),
            day=made.as_of.isoformat(),
        )
    )


@app.command("milestone")
def milestone(
    key: KeyArg,
    title: Annotated[str, typer.Argument(help="The milestone (节点), e.g. 主体结构封顶.")],
    due: Annotated[str | None, typer.Option("--due", help="When it is due (a new one).")] = None,
    done: Annotated[bool, typer.Option("--done", help="It is reached.")] = False,
    on: Annotated[
        str | None,
        typer.Option("--on", help="The day it was reached [default: today]."),
    ] = None,
) -> None:
    """Add a milestone to a project's plan, or mark one done.

    \b
    Example:
      chainlead project milestone IC-P1 "主体结构封顶" --due 2026-09-30
      chainlead project milestone IC-P1 "主体结构封顶" --done --on 2026-09-25
    """
    from chainlead.domain.projects import mark_milestone
    from chainlead.errors import InvalidInput
    from chainlead.render.output import message

    if due is None and not done:
        raise InvalidInput("milestone", _("give --due DATE to add it, or --done to mark it done"))
    due_on = _date("--due", due)
    done_on = _date("--on", on)
    with writing() as (db, stamp):
        project_key, _before, words = mark_milestone(
            db, key=key, title=title, due=due_on, done=done, on=done_on, stamp=stamp
        )
    message(_("{project_key}: {words}").format(project_key=project_key, words=words))


@app.command("edit")
def edit(
    key: KeyArg,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    type: TypeOpt = None,
    enterprise: EnterpriseOpt = None,
    link: Annotated[str | None, typer.Option("--link", help="New link ('' clears).")] = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="New institution ('' clears).", autocompletion=complete_unit),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", help="New owner ('' clears).", autocompletion=complete_person_name),
    ] = None,
    investment: Annotated[
        str | None, typer.Option("--investment", help="New planned investment ('' clears).")
    ] = None,
    investment_unit: MoneyOpt = None,
    start: Annotated[str | None, typer.Option("--start", help="New planned start.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="New planned end (needs --why).")] = None,
    why: Annotated[str | None, typer.Option("--why", help="Why the end moves.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="New note ('' clears).")] = None,
    new_person: NewPersonFlag = False,
) -> None:
    """Change a project's plan or details (kept in its history; the first end stays).

    \b
    Example:
      chainlead project edit IC-P1 --end 2027-12-31 --why "设备到货推迟"
    """
    from chainlead.domain.projects import edit_project
    from chainlead.errors import InvalidInput
    from chainlead.render.output import changes_made

    given = (
        title,
        type,
        enterprise,
        link,
        unit,
        owner,
        investment,
        investment_unit,
        start,
        end,
        note,
    )
    if all(value is None for value in given):
        raise InvalidInput(
            "project edit",
            _(
                "give at least one of --title, --type, --enterprise, --link, --unit, --owner, "
                "--investment, --investment-unit, --start, --end, --note"
            ),
        )
    start_on = _date("--start", start)
    end_on = _date("--end", end)
    with writing() as (db, stamp):
        changes = edit_project(
            db,
            key=key,
            title=title,
            type=type.value if type else None,
            enterprise=enterprise,
            link=link,
            unit=unit,
            owner=owner,
            investment=investment,
            investment_unit=investment_unit,
            start=start_on,
            end=end_on,
            why=why,
            note=note,
            new_person=new_person,
            stamp=stamp,
        )
    from chainlead.domain.projects import parse_project_key

    changes_made(parse_project_key(key), changes)


@app.command("finish")
def finish(
    key: KeyArg,
    on: Annotated[
        str | None,
        typer.Option("--on", help="The day it was finished [default: today]."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A last word on it.")] = None,
) -> None:
    """A project is done: 100 percent, and no light from then on.

    \b
    Example:
      chainlead project finish IC-P1 --on 2027-06-20
    """
    from chainlead.domain.projects import finish_project
    from chainlead.render.output import message

    day = _date("--on", on)
    with writing() as (db, stamp):
        made = finish_project(db, key=key, on=day, note=note, stamp=stamp)
    message(
        _("{key}: finished {day} ({before}% → 100%)").format(
            key=made.key, day=made.as_of.isoformat(), before=made.previous
        )
    )


@app.command("drop")
def drop(
    key: KeyArg,
    why: Annotated[
        str | None, typer.Option("--why", help="Why it will not go on (required).")
    ] = None,
) -> None:
    """A project will not go on: dropped, with the reason on record.

    \b
    Example:
      chainlead project drop IC-P2 --why "企业调整投资计划"
    """
    from chainlead.cli.runtime import required
    from chainlead.domain.projects import drop_project
    from chainlead.render.output import message

    reason = required("--why", why, _("say why it is dropped: --why TEXT"))
    with writing() as (db, stamp):
        dropped = drop_project(db, key=key, why=reason, stamp=stamp)
    day = dropped.dropped_on.isoformat() if dropped.dropped_on else ""
    message(_("{key}: dropped ({day})").format(key=dropped.key, day=day))
