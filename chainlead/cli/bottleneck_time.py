"""``chainlead bottleneck extend|approve|refuse|urge|suspend|resume``: the time limit
of an item, asked to move, pressed and stopped.

The commands join the ``bottleneck`` app; ``chainlead.cli.bottleneck`` imports
this module at its end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from chainlead.cli.bottleneck import (
    CategoryFilter,
    ChainFilter,
    DueWithinFilter,
    EnterpriseFilter,
    KeyArg,
    LevelFilter,
    OverdueFilter,
    OwnerFilter,
    RaisedInFilter,
    ResolvedInFilter,
    SearchFilter,
    StatusFilter,
    _date,
    app,
)
from chainlead.cli.bulk import AllMatchingFlag, DryRunFlag, KeyOrFilterArg, WhereOpt, YesFlag
from chainlead.cli.complete import complete_person_name, complete_unit
from chainlead.cli.runtime import required, settings, writing
from chainlead.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from chainlead.domain import Stamp
    from chainlead.domain.extensions import ExtensionStep
    from chainlead.domain.urging import Urge
    from chainlead.store.connection import Reader

ByOpt = Annotated[
    str | None,
    typer.Option(
        "--by",
        help="Who decides: the responsible person or the chain leader.",
        autocompletion=complete_person_name,
    ),
]

BY_FORM = N_("name who decides (the responsible person or chain leader): give --by NAME")


def _unit_option(text: str) -> Any:
    return typer.Option("--unit", help=text, autocompletion=complete_unit)


@app.command("extend")
def extend(
    key: KeyOrFilterArg = None,
    to: Annotated[
        str | None, typer.Option("--to", help="The later time limit asked for.", metavar="DATE")
    ] = None,
    why: Annotated[
        str | None, typer.Option("--why", help="Why more time is needed (required).")
    ] = None,
    unit: Annotated[
        str | None,
        _unit_option("The unit asking (it has a part in the item) [default: the team]."),
    ] = None,
    where: WhereOpt = None,
    all_matching: AllMatchingFlag = False,
    yes: YesFlag = False,
    dry_run: DryRunFlag = False,
    chain: ChainFilter = None,
    status: StatusFilter = None,
    owner: OwnerFilter = None,
    enterprise: EnterpriseFilter = None,
    category: CategoryFilter = None,
    overdue: OverdueFilter = False,
    due_within: DueWithinFilter = None,
    raised_in: RaisedInFilter = None,
    resolved_in: ResolvedInFilter = None,
    search: SearchFilter = None,
    level: LevelFilter = None,
) -> None:
    """Ask for a later time limit (延期申请), for one item or every item a filter matches;
    approve or refuse answers it.

    The filters are `bottleneck list`'s: in --where as one string, or given as
    options with --all-matching (--unit, being this command's own, only in --where).

    \b
    Example:
      chainlead bottleneck extend IC-12 --to 2027-01-31 --why "Grid works moved to January"
      chainlead bottleneck extend --chain IC --overdue --all-matching --to 2027-01-31 \\
        --why "Winter works stop" --dry-run
    """
    from chainlead.cli import bulk
    from chainlead.domain.extensions import request_extension
    from chainlead.render.output import message

    to = required("--to", to, _("give the time limit asked for: --to DATE"))
    why = required("--why", why, _("say why more time is needed: give --why TEXT"))
    to_due = _date("--to", to)
    picked = bulk.pick(
        key,
        where=where,
        all_matching=all_matching,
        yes=yes,
        dry_run=dry_run,
        given=dict(
            chain=chain, status=status, owner=owner, enterprise=enterprise, category=category,
            overdue=overdue, due_within=due_within, raised_in=raised_in,
            resolved_in=resolved_in, search=search, level=level,
        ),
    )  # fmt: skip

    def change(db: Reader, stamp: Stamp, each: str) -> ExtensionStep:
        return request_extension(db, key=each, to=to_due, why=why, unit=unit, stamp=stamp)  # type: ignore[arg-type]

    if picked is not None:
        bulk.run(
            picked,
            change=change,
            question=lambda n: ngettext(
                "Ask for a later time limit for the {n} item?",
                "Ask for a later time limit for these {n} items?",
                n,
            ).format(n=n),
            done=lambda done: [
                ngettext(
                    "Extension requested for {n} item; it awaits approve or refuse.",
                    "Extension requested for {n} items; each awaits approve or refuse.",
                    len(done),
                ).format(n=len(done))
            ],
        )
        return
    key = bulk.one_key(key)
    with writing() as (db, stamp):
        step = change(db, stamp, key)
    said = (
        _(
            "{key}: extension by {unit} to {to} requested (time limit {limit}); "
            "awaiting approve or refuse"
        )
        if step.unit
        else _(
            "{key}: extension to {to} requested (time limit {limit}); awaiting approve or refuse"
        )
    )
    message(
        said.format(
            key=step.key,
            unit=step.unit,
            to=step.to_due.isoformat(),
            limit=step.from_due.isoformat(),
        )
    )


@app.command("approve")
def approve(
    key: KeyArg,
    by: ByOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="A word on the approval.")] = None,
) -> None:
    """Approve an item's pending extension request: its time limit moves.

    \b
    Example:
      chainlead bottleneck approve IC-12 --by "Zhang Wei"
    """
    from chainlead.domain.extensions import approve_extension
    from chainlead.render.output import message

    by = required("--by", by, _(BY_FORM))
    with writing() as (db, stamp):
        step = approve_extension(db, key=key, by=by, note=note, stamp=stamp)
    said = (
        _("{key}: extension approved by {by}: {unit}'s time limit {old} → {new} (original {first})")
        if step.own_limit
        else _("{key}: extension approved by {by}: time limit {old} → {new} (original {first})")
    )
    message(
        said.format(
            key=step.key,
            by=step.by,
            unit=step.unit,
            old=step.from_due.isoformat(),
            new=step.to_due.isoformat(),
            first=step.original_due_on.isoformat(),
        )
    )


@app.command("refuse")
def refuse(
    key: KeyArg,
    by: ByOpt = None,
    why: Annotated[str | None, typer.Option("--why", help="Why it is refused (required).")] = None,
) -> None:
    """Refuse an item's pending extension request: its time limit stays.

    \b
    Example:
      chainlead bottleneck refuse IC-12 --by "Zhang Wei" --why "The line can be laid in December"
    """
    from chainlead.domain.extensions import refuse_extension
    from chainlead.render.output import message

    by = required("--by", by, _(BY_FORM))
    why = required("--why", why, _("say why the extension is refused: give --why TEXT"))
    with writing() as (db, stamp):
        step = refuse_extension(db, key=key, by=by, why=why, stamp=stamp)
    message(
        _("{key}: extension to {to} refused by {by}; time limit stays {limit}").format(
            key=step.key, to=step.to_due.isoformat(), by=step.by, limit=step.from_due.isoformat()
        )
    )


@app.command("urge")
def urge(
    key: KeyOrFilterArg = None,
    unit: Annotated[str | None, _unit_option("Urge this unit of the item.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="What was said.")] = None,
    where: WhereOpt = None,
    all_matching: AllMatchingFlag = False,
    yes: YesFlag = False,
    dry_run: DryRunFlag = False,
    chain: ChainFilter = None,
    status: StatusFilter = None,
    owner: OwnerFilter = None,
    enterprise: EnterpriseFilter = None,
    category: CategoryFilter = None,
    overdue: OverdueFilter = False,
    due_within: DueWithinFilter = None,
    raised_in: RaisedInFilter = None,
    resolved_in: ResolvedInFilter = None,
    search: SearchFilter = None,
    level: LevelFilter = None,
) -> None:
    """Urge an item, or one of its units (催办), or every item a filter matches; once per
    urge_interval_hours each.

    The filters are `bottleneck list`'s: in --where as one string, or given as
    options with --all-matching (--unit, being this command's own, only in --where).

    \b
    Example:
      chainlead bottleneck urge IC-12 --unit "District Natural Resources Bureau" \\
        --note "Phoned the director's office"
      chainlead bottleneck urge --chain IC --overdue --all-matching --yes \\
        --note "Weekly round"
    """
    from chainlead.cli import bulk
    from chainlead.domain.urging import urge_item
    from chainlead.render.output import message

    picked = bulk.pick(
        key,
        where=where,
        all_matching=all_matching,
        yes=yes,
        dry_run=dry_run,
        given=dict(
            chain=chain, status=status, owner=owner, enterprise=enterprise, category=category,
            overdue=overdue, due_within=due_within, raised_in=raised_in,
            resolved_in=resolved_in, search=search, level=level,
        ),
    )  # fmt: skip
    hours = settings().urge_interval_hours

    def change(db: Reader, stamp: Stamp, each: str) -> Urge:
        return urge_item(db, key=each, unit=unit, note=note, stamp=stamp, interval_hours=hours)

    if picked is not None:
        bulk.run(
            picked,
            change=change,
            question=lambda n: ngettext("Urge the {n} item?", "Urge these {n} items?", n).format(
                n=n
            ),
            done=lambda done: [
                ngettext("Urged {n} item.", "Urged {n} items.", len(done)).format(n=len(done))
            ],
        )
        return
    key = bulk.one_key(key)
    with writing() as (db, stamp):
        done = change(db, stamp, key)
    said = _("{key}: urged {unit} (urge {n})") if done.unit else _("{key}: urged (urge {n})")
    message(said.format(key=done.key, unit=done.unit, n=done.urge_count))


@app.command("suspend")
def suspend(
    key: KeyArg,
    why: Annotated[str | None, typer.Option("--why", help="What it waits on (required).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Expected back by.")] = None,
) -> None:
    """Suspend an item (挂起): its clock stops until resume.

    \b
    Example:
      chainlead bottleneck suspend IC-12 --why "Awaiting provincial approval" --until 2027-01-15
    """
    from chainlead.domain.urging import suspend_item
    from chainlead.render.output import message

    why = required("--why", why, _("say what the item waits on: give --why TEXT"))
    until_on = _date("--until", until)
    with writing() as (db, stamp):
        done = suspend_item(db, key=key, why=why, until=until_on, stamp=stamp)
    said = (
        _("{key}: suspended until {day}: {why}").format(
            key=done.key, day=done.until.isoformat(), why=done.reason
        )
        if done.until
        else _("{key}: suspended: {why}").format(key=done.key, why=done.reason)
    )
    message(said)


@app.command("resume")
def resume(
    key: KeyArg,
    note: Annotated[str | None, typer.Option("--note", help="What changed.")] = None,
) -> None:
    """Resume a suspended item: its clock moves on by the days it was suspended.

    \b
    Example:
      chainlead bottleneck resume IC-12 --note "Provincial approval received"
    """
    from chainlead.domain.urging import resume_item
    from chainlead.render.output import message

    with writing() as (db, stamp):
        done = resume_item(db, key=key, note=note, stamp=stamp)
    message(
        ngettext(
            "{key}: resumed after {n} d suspended; clock due {day}",
            "{key}: resumed after {n} d suspended; clock due {day}",
            done.days,
        ).format(key=done.key, n=done.days, day=done.clock_due.isoformat())
    )
