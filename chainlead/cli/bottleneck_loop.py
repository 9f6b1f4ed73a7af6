"""``chainlead bottleneck assign|receive|report|return|transfer``: the handling loop
between institutions (交办, 签收, 报结, 退回, 转办)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chainlead.cli.bottleneck import KeyArg, _date, app
from chainlead.cli.complete import complete_person_name, complete_unit
from chainlead.cli.runtime import NewPersonFlag, required, settings, writing
from chainlead.i18n import _
from chainlead.vocabulary import AssignmentRole

if TYPE_CHECKING:
    from chainlead.store.assignments import AssignmentRecord

UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit",
        help="The institution (required): its name or short name, any case or width.",
        autocompletion=complete_unit,
    ),
]
NewUnitFlag = Annotated[
    bool, typer.Option("--new-unit", help="Add the institution when it is new.")
]
OwnerOpt = Annotated[
    str | None,
    typer.Option(
        "--owner",
        help="The person at that institution following it (a known person, or --new-person).",
        autocompletion=complete_person_name,
    ),
]


def _said(key: str, part: AssignmentRecord, extra: str = "") -> None:
    from chainlead.render.output import message
    from chainlead.render.words import role_word, state_word

    message(f"{key}: {part.unit} ({role_word(part.role)}) {state_word(part.state)}{extra}")


@app.command("assign")
def assign(
    key: KeyArg,
    unit: UnitOpt = None,
    role: Annotated[
        AssignmentRole,
        typer.Option("--role", help="lead (牵头) or co (配合).", case_sensitive=False),
    ] = AssignmentRole.co,
    owner: OwnerOpt = None,
    due: Annotated[
        str | None,
        typer.Option("--due", help="Its time limit [default: the item's]."),
    ] = None,
    new_unit: NewUnitFlag = False,
    new_person: NewPersonFlag = False,
) -> None:
    """Hand an item to one more institution (交办): a co-handling unit, or a new lead.

    An item has one lead unit (given by `bottleneck add --unit`) and any number
    of co-handling units; each signs for its part, reports it done, or sends
    it back. A lead is assigned only when the item has none (after a return).

    \b
    Example:
      chainlead bottleneck assign IC-12 --unit 供电公司 --owner 王芳 --due 2027-01-15
    """
    unit_name = required("--unit", unit, _("name the institution: give --unit NAME"))
    due_on = _date("--due", due)
    current = settings()
    from chainlead.domain.handling import assign_unit

    with writing() as (db, stamp):
        key_, part = assign_unit(
            db,
            key=key,
            unit=unit_name,
            role=role.value,
            owner=owner,
            due=due_on,
            stamp=stamp,
            new_unit=new_unit,
            new_person=new_person,
            receipt_days=current.receipt_days,
            holidays_file=current.holidays_file,
        )
    _said(key_, part, _(", due {day}").format(day=part.due_on.isoformat()))


@app.command("receive")
def receive(key: KeyArg, unit: UnitOpt = None) -> None:
    """An institution signs for its part of an item (签收).

    \b
    Example:
      chainlead bottleneck receive IC-12 --unit 供电公司
    """
    unit_name = required("--unit", unit, _("name the institution signing: give --unit NAME"))
    from chainlead.domain.handling import receive_part

    with writing() as (db, stamp):
        key_, part = receive_part(db, key=key, unit=unit_name, stamp=stamp)
    _said(key_, part)


@app.command("report")
def report(
    key: KeyArg,
    unit: UnitOpt = None,
    how: Annotated[
        str | None, typer.Option("--how", help="What the institution did (required).")
    ] = None,
) -> None:
    """An institution reports its part done (报结), with its account of what it did.

    The item itself is resolved with `bottleneck resolve` once every
    co-handling unit has reported.

    \b
    Example:
      chainlead bottleneck report IC-12 --unit 供电公司 --how "第二回路已接入"
    """
    unit_name = required("--unit", unit, _("name the institution reporting: give --unit NAME"))
    account = required("--how", how, _("say what the institution did: give --how TEXT"))
    from chainlead.domain.handling import report_part

    with writing() as (db, stamp):
        key_, part = report_part(db, key=key, unit=unit_name, how=account, stamp=stamp)
    _said(key_, part)


@app.command("return")
def return_(
    key: KeyArg,
    unit: UnitOpt = None,
    why: Annotated[
        str | None, typer.Option("--why", help="Why it is not this institution's (required).")
    ] = None,
    suggest: Annotated[
        str | None,
        typer.Option(
            "--suggest", help="The institution it should go to.", autocompletion=complete_unit
        ),
    ] = None,
) -> None:
    """An institution sends its part back (退回) as not within its remit.

    The working team then hands it on with `bottleneck transfer`; a returned
    lead leaves the item without a lead until then.

    \b
    Example:
      chainlead bottleneck return IC-12 --unit 区住建局 --why "不属于我局职责" --suggest 供电公司
    """
    unit_name = required("--unit", unit, _("name the institution returning it: give --unit NAME"))
    reason = required("--why", why, _("say why it is sent back: give --why TEXT"))
    from chainlead.domain.handling import return_part

    with writing() as (db, stamp):
        key_, part = return_part(
            db, key=key, unit=unit_name, why=reason, suggest=suggest, stamp=stamp
        )
    hint = f"chainlead bottleneck transfer {key_} --from {part.unit} --to ... --why ..."
    _said(key_, part, _("; hand it on with `{command}`").format(command=hint))


@app.command("transfer")
def transfer(
    key: KeyArg,
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="The institution whose part moves (required; may have returned it).",
            metavar="UNIT",
            autocompletion=complete_unit,
        ),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="The institution taking it (required).",
            metavar="UNIT",
            autocompletion=complete_unit,
        ),
    ] = None,
    why: Annotated[str | None, typer.Option("--why", help="Why (required).")] = None,
    due: Annotated[
        str | None,
        typer.Option("--due", help="A new time limit [default: kept]."),
    ] = None,
    owner: OwnerOpt = None,
    new_unit: NewUnitFlag = False,
    new_person: NewPersonFlag = False,
) -> None:
    """Move an institution's part to another one (转办); the time limit is kept.

    \b
    Example:
      chainlead bottleneck transfer IC-12 --from 区住建局 --to 供电公司 --why "退回后转办"
    """
    source_name = required(
        "--from", source, _("name the institution it moves from: give --from NAME")
    )
    target_name = required("--to", target, _("name the institution it moves to: give --to NAME"))
    reason = required("--why", why, _("say why it moves: give --why TEXT"))
    due_on = _date("--due", due)
    current = settings()
    from chainlead.domain.handling import transfer_part

    with writing() as (db, stamp):
        key_, part = transfer_part(
            db,
            key=key,
            source=source_name,
            target=target_name,
            why=reason,
            due=due_on,
            owner=owner,
            stamp=stamp,
            new_unit=new_unit,
            new_person=new_person,
            receipt_days=current.receipt_days,
            holidays_file=current.holidays_file,
        )
    _said(key_, part, _(", due {day}").format(day=part.due_on.isoformat()))
