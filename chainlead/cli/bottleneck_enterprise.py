"""``chainlead bottleneck link | follow-up``: the enterprises behind an item (企业诉求).

``link`` names more enterprises as raising an item (a common problem, 共性问题)
or takes one named by mistake off; ``follow-up`` records that an enterprise was
asked about its resolved demand (回访) and what it said.
"""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.cli.bottleneck import KeyArg, _date, app, new_enterprise_notice
from chainlead.cli.complete import complete_enterprise, complete_person_name
from chainlead.cli.runtime import required, writing
from chainlead.i18n import _
from chainlead.vocabulary import Feedback


@app.command("link")
def link(
    key: KeyArg,
    enterprise: Annotated[
        list[str] | None,
        typer.Option(
            "--enterprise",
            help="An enterprise that raised it too (repeat for several); one not known yet "
            "is added.",
            autocompletion=complete_enterprise,
        ),
    ] = None,
    remove: Annotated[
        bool,
        typer.Option("--remove", help="Take the enterprises off instead (named by mistake)."),
    ] = False,
) -> None:
    """Name more enterprises as raising an item (a problem several share), or take one off.

    \b
    Example:
      chainlead bottleneck link IC-12 --enterprise 中兴 --enterprise "南京南瑞集团"
    """
    from chainlead.domain.enterprises import link_enterprises, new_enterprises, unlink_enterprises
    from chainlead.render.output import message

    names = tuple(enterprise or ())
    with writing() as (db, stamp):
        if remove:
            removed = unlink_enterprises(db, key=key, enterprises=names, stamp=stamp)
            new: list[tuple[str, list[str]]] = []
        else:
            new = new_enterprises(db, names)
            added = link_enterprises(db, key=key, enterprises=names, stamp=stamp)
    upper = key.strip().upper()
    if remove:
        message(_("{key}: no longer raised by {names}").format(key=upper, names="、".join(removed)))
    elif added:
        message(_("{key}: raised by {names} too").format(key=upper, names="、".join(added)))
    else:
        message(_("{key}: already raised by each; nothing changed").format(key=upper))
    new_enterprise_notice(new)


@app.command("follow-up")
def follow_up(
    key: KeyArg,
    result: Annotated[
        Feedback | None,
        typer.Option(
            "--result",
            help="What the enterprise said; unsatisfied reopens the item.",
            case_sensitive=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", help="Who asked (a known person).", autocompletion=complete_person_name
        ),
    ] = None,
    enterprise: Annotated[
        str | None,
        typer.Option(
            "--enterprise",
            help="The enterprise asked (may be left out for an item of one).",
            autocompletion=complete_enterprise,
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What it said.")] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="When it was asked [default: today]: a date.")
    ] = None,
) -> None:
    """Record that an enterprise was asked about its resolved demand (回访).

    One follow-up per enterprise each time the item is resolved; an unsatisfied
    answer reopens the item. `close` then signs it off.

    \b
    Example:
      chainlead bottleneck follow-up IC-12 --enterprise 中兴 --result satisfied \\
        --by "Zhang Wei" --note "电力已恢复"
    """
    from chainlead.domain.bottlenecks import follow_up_item
    from chainlead.render.output import message
    from chainlead.render.words import result_word, status_word

    answer = required(
        "--result", result, _("give --result satisfied, basically_satisfied or unsatisfied")
    )
    asker = required("--by", by, _("name who asked the enterprise: give --by NAME"))
    day = _date("--on", on)
    with writing() as (db, stamp):
        state = follow_up_item(
            db,
            key=key,
            result=answer.value,
            by=asker,
            enterprise=enterprise,
            note=note,
            on=day,
            stamp=stamp,
        )
    who = state.enterprise or _("the enterprise")
    said = result_word(state.result)
    if state.status != state.previous:
        message(
            _("{key}: {old} → {new} ({who} {result}: reopened)").format(
                key=state.key,
                old=status_word(state.previous),
                new=status_word(state.status),
                who=who,
                result=said,
            )
        )
        return
    waiting = (
        _("; still to ask: {names}").format(names="、".join(state.waiting))
        if state.waiting
        else _("; ready to sign off (`{command}`)").format(
            command=f"chainlead bottleneck close {state.key} --by ..."
        )
        if state.status == "resolved"
        else ""
    )
    message(f"{state.key}: {who} {said}{waiting}")
