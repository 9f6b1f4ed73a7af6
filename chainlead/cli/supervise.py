"""``chainlead supervise``: the supervision ladder's steps due today, for people and cron."""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.cli.runtime import JsonFlag, settings, stamp_for
from chainlead.i18n import _, ngettext


def supervise(
    apply: Annotated[
        bool,
        typer.Option("--apply", help="Record the steps (one 'supervised' event each)."),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Exit with code 3 when any open item is at level 3 (督办函) or above."
        ),
    ] = False,
    json: JsonFlag = False,
) -> None:
    """The supervision ladder (督办): the steps due today, and why.

    Levels: 0 none, 1 提醒 reminder, 2 催办 urging, 3 督办函 supervision letter,
    4 约谈/提请链长 chain leader, 5 提请领导小组 leading group. Yellow → 1;
    red → 2; red for ladder_letter_days (15) or red a second time → 3; red for
    escalation_days (30) → 4; red for ladder_leading_group_days (60) → 5
    (`chainlead config show`). Levels only climb here; suspended items are
    left alone. Without --apply nothing is written. Applied, running again the
    same day, or from several machines at once, records nothing twice.

    Exit codes: 0 done (steps or none); 3 with --check when an open item is at
    level 3 or above (after --apply's steps); 1 the database refused; 2 a
    wrong option or setting.

    \b
    Example:
      chainlead supervise
      chainlead supervise --apply --check || mail-the-team
    """
    from chainlead.domain.supervision import LETTER, Rules
    from chainlead.domain.supervision import supervise as run
    from chainlead.errors import CheckFailed
    from chainlead.render.formats import Format, choose
    from chainlead.render.output import message, print_json, print_long

    fmt = choose(json=json)
    current = settings()
    rules = Rules.of(current)
    if apply:
        from chainlead.cli.runtime import writing

        with writing() as (db, stamp):
            found = run(
                db, stamp=stamp, rules=rules, apply=True, check=check, day_of=current.day_of
            )
    else:
        from chainlead.cli.runtime import viewing

        with viewing() as (reader, shown):  # a demo database: as of its day
            found = run(
                reader, stamp=stamp_for(shown), rules=rules, check=check, day_of=shown.day_of
            )
    if fmt is Format.json:
        print_json(found)
    else:
        from chainlead.render.supervision import supervision_view

        view = supervision_view(found)
        if view is not None:
            print_long(view)
    count = len(found.steps)
    day = found.today.isoformat()
    if found.applied:
        message(
            ngettext(
                "recorded {n} step up the ladder ({day})",
                "recorded {n} steps up the ladder ({day})",
                count,
            ).format(n=count, day=day)
        )
    elif count:
        message(
            ngettext(
                "{n} step due today ({day}); record it with --apply",
                "{n} steps due today ({day}); record them with --apply",
                count,
            ).format(n=count, day=day)
        )
    else:
        message(_("no steps due today ({day})").format(day=day))
    if check and found.high:
        keys = ", ".join(row.key for row in found.high[:10])
        total = len(found.high)
        said = (
            ngettext(
                "{n} open item at level {level} (督办函) or above: {keys} and {more} more",
                "{n} open items at level {level} (督办函) or above: {keys} and {more} more",
                total,
            )
            if total > 10
            else ngettext(
                "{n} open item at level {level} (督办函) or above: {keys}",
                "{n} open items at level {level} (督办函) or above: {keys}",
                total,
            )
        )
        raise CheckFailed(said.format(n=total, level=LETTER, keys=keys, more=total - 10))
