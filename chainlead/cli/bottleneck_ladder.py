"""``chainlead bottleneck escalate|de-escalate``: an item's supervision level moved by hand."""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.cli.bottleneck import KeyArg, app
from chainlead.cli.runtime import required
from chainlead.i18n import _


def _said(key: str, old: int, new: int) -> None:
    from chainlead.domain.supervision import level_name
    from chainlead.render.output import message

    message(
        _("{key}: level {old} → {new}").format(key=key, old=level_name(old), new=level_name(new))
    )


@app.command("escalate")
def escalate(
    key: KeyArg,
    level: Annotated[
        str | None,
        typer.Option(
            "--level",
            help="The level to take it to (required): a whole number from 0 to 5: 0 none, "
            "1 提醒 reminder, 2 催办 urging, 3 督办函 letter, 4 约谈/提请链长 chain leader, "
            "5 提请领导小组 leading group.",
        ),
    ] = None,
    why: Annotated[str | None, typer.Option("--why", help="Why (required).")] = None,
) -> None:
    """Take an item up the supervision ladder (督办) by hand.

    The level must be above the item's own; the reason goes into its history.

    \b
    Example:
      chainlead bottleneck escalate IC-12 --level 4 --why "Land issue needs the chain leader"
    """
    from chainlead.cli.runtime import writing
    from chainlead.domain.supervision import check_level, escalate_item

    level = required("--level", level, _("give the level to take it to: --level 0-5"))
    wanted = check_level(level)
    why = required("--why", why, _("say why it is escalated: give --why TEXT"))
    with writing() as (db, stamp):
        change = escalate_item(db, key=key, level=wanted, why=why, stamp=stamp)
    _said(change.key, change.old, change.new)


@app.command("de-escalate")
def de_escalate(
    key: KeyArg,
    level: Annotated[
        str | None,
        typer.Option(
            "--level",
            help="The level to take it to [default: one step down]: a whole number from 0 to 5: "
            "0 none, 1 提醒 reminder, 2 催办 urging, 3 督办函 letter, 4 约谈/提请链长 chain "
            "leader, 5 提请领导小组 leading group.",
        ),
    ] = None,
    why: Annotated[str | None, typer.Option("--why", help="Why (required).")] = None,
) -> None:
    """Take an item down the supervision ladder (督办) by hand.

    One step down unless --level says where; the reason goes into its
    history. It stays there until a further rule is reached (`chainlead
    supervise` never lowers a level).

    \b
    Example:
      chainlead bottleneck de-escalate IC-12 --level 2 --why "Works started; letter answered"
    """
    from chainlead.cli.runtime import writing
    from chainlead.domain.supervision import check_level, de_escalate_item

    wanted = None if level is None else check_level(level)
    why = required("--why", why, _("say why it is de-escalated: give --why TEXT"))
    with writing() as (db, stamp):
        change = de_escalate_item(db, key=key, level=wanted, why=why, stamp=stamp)
    _said(change.key, change.old, change.new)
