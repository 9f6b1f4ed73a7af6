"""``chainlead undo``: take back what one command did, with both on record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chainlead.cli.complete import complete_change_id
from chainlead.cli.runtime import JsonFlag

if TYPE_CHECKING:
    from chainlead.domain.changes import UndoPlan

LIST_DEFAULT = 20  # ``undo --list`` shows the last twenty change sets


def undo(
    change: Annotated[
        str | None,
        typer.Argument(
            metavar="[CHANGE_ID]",
            help="The change to undo, as `undo --list` numbers it "
            "[default: your last change that can be undone].",
            show_default=False,
            autocompletion=complete_change_id,
        ),
    ] = None,
    listing: Annotated[
        bool,
        typer.Option("--list", help="List the last changes (any actor), newest first."),
    ] = False,
    limit: Annotated[
        int,
        typer.Option("--limit", help="With --list: at most N changes.", min=1),
    ] = LIST_DEFAULT,
    yes: Annotated[bool, typer.Option("--yes", help="Undo without asking (for scripts).")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show what would be undone.")
    ] = False,
    json: JsonFlag = False,
) -> None:
    """Undo a whole command: the last change you made, or change CHANGE_ID.

    Shows what the change did and asks before undoing it. The undo is a
    change of its own: changed fields get their old values, records the
    change added are taken away (an item or project it added is dropped, a
    chain archived, since history names them), and the history keeps both
    the change and its reversal. A change a later one builds on is refused
    until that one is undone; an import cannot be undone.

    \b
    Example:
      chainlead undo --list
      chainlead undo --dry-run
      chainlead undo 12 --yes
    """
    from chainlead.cli.runtime import viewing, writing
    from chainlead.domain.changes import parse_change_id, plan_undo, undo
    from chainlead.errors import InvalidInput
    from chainlead.i18n import _
    from chainlead.render import changes as view
    from chainlead.render.output import message, print_json, print_long

    if listing:
        if change is not None or yes or dry_run:
            raise InvalidInput("--list", _("give --list alone (with --limit or --json)"))
        from chainlead.store.changes import change_sets

        with viewing() as (reader, _current):
            found = change_sets(reader, limit=limit)
        if json:
            print_json([view.as_data(c) for c in found])
        else:
            print_long(view.listed(found))
        return
    if json and not (yes or dry_run):
        raise InvalidInput("--json", _("give --json with --dry-run or --yes (or --list)"))
    wanted = parse_change_id(change) if change is not None else None
    if not (yes or dry_run):
        from chainlead.cli.confirm import refuse_without_terminal

        refuse_without_terminal()
    if dry_run or not yes:
        plan = _rehearsed(wanted)
        if json:
            print_json(view.plan_data(plan, undo=None))
        else:
            print_long(view.plan(plan))
        if dry_run:
            message(_("dry run: nothing undone"))
            return
        from chainlead.cli.confirm import confirm_undo

        if not confirm_undo(plan.change.id):
            message(_("nothing undone: change {id} stands").format(id=plan.change.id))
            return
        wanted = plan.change.id
    with writing(kind="undo") as (conn, stamp):
        plan = plan_undo(conn, actor=stamp.actor, change_id=wanted)
        done = undo(conn, stamp=stamp, plan=plan)
    if json:
        print_json(view.plan_data(plan, undo=done))
    message(
        _("undid change {id} ({command}); the undo is change {undo}").format(
            id=plan.change.id, command=view.command_shown(plan.change.command), undo=done
        )
    )


class _Rehearsal(Exception):
    """Raised to roll back an undo tried only to see whether it can be done."""

    def __init__(self, plan: UndoPlan) -> None:
        super().__init__()
        self.plan = plan


def _rehearsed(wanted: int | None) -> UndoPlan:
    """The plan of the undo, after trying it in a transaction rolled back: what only
    doing it finds (a record a later change recorded again) is refused before anything
    is shown or asked."""
    from chainlead.cli.runtime import writing
    from chainlead.domain.changes import plan_undo, undo

    try:
        with writing(kind="undo") as (conn, stamp):
            plan = plan_undo(conn, actor=stamp.actor, change_id=wanted)
            undo(conn, stamp=stamp, plan=plan)
            raise _Rehearsal(plan)
    except _Rehearsal as done:
        return done.plan
