"""Meeting decisions with their actions, and the meeting's fulfilment rate (决议落实率).

An *action* is a bottleneck item made of a meeting's decision
(``schedule decide``): it has its own unit, time limit, light and history.

A decision is **fulfilled** when it has at least one action that was not
dropped, and every such action is resolved or closed with its resolution
dated on or before the *cut-off*: the day of the chain's next scheduling
meeting after this one (the first held after it), or today while there is
none yet. Dropped actions are left out; a decision whose every action was
dropped is not fulfilled, nor is a decision without actions. An action
reopened since is judged as it stands now (not resolved).

The meeting's **fulfilment rate** = fulfilled decisions / all its decisions
(none when it has no decisions).

Used by ``schedule show``, ``schedule agenda`` and the monthly report, a
fixed number of statements for any number of meetings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from chainlead.domain.lights import light
from chainlead.store.connection import Reader
from chainlead.store.decisions import ActionRow, action_rows, decision_rows, next_scheduling
from chainlead.vocabulary import DONE_STATUSES, SCHEDULING, ItemStatus

DROPPED = ItemStatus.dropped.value


@dataclass(frozen=True)
class Action:
    """An item made of a decision, as it stands today."""

    key: str
    title: str
    unit: str
    owner: str | None
    status: str
    light: str
    due_on: date
    resolved_on: date | None


@dataclass(frozen=True)
class Decision:
    """A meeting's decision (numbered from 1) with its actions."""

    number: int
    text: str
    actions: tuple[Action, ...]
    fulfilled: bool


@dataclass(frozen=True)
class Fulfilment:
    """How many of a meeting's decisions were carried out by the cut-off."""

    decisions: int
    with_actions: int  # decisions with at least one action
    fulfilled: int
    rate: float | None  # fulfilled / decisions, none without decisions
    by: date  # the cut-off: the next scheduling meeting's day, or today
    next_meeting: str | None  # that meeting's key, none while there is none yet


def is_fulfilled(actions: Iterable[ActionRow | Action], by: date) -> bool:
    """At least one action not dropped, and every one of them resolved or closed by ``by``."""
    live = [a for a in actions if a.status != DROPPED]
    return bool(live) and all(
        a.status in DONE_STATUSES and a.resolved_on is not None and a.resolved_on <= by
        for a in live
    )


def _action(row: ActionRow, today: date, warning_days: int) -> Action:
    return Action(
        key=row.key,
        title=row.title,
        unit=row.unit,
        owner=row.owner,
        status=row.status,
        light=light(
            status=row.status,
            due_on=row.due_on,
            resolved_on=row.resolved_on,
            today=today,
            warning_days=warning_days,
        ),
        due_on=row.due_on,
        resolved_on=row.resolved_on,
    )


def meeting_decisions(
    db: Reader, meeting_ids: Iterable[int], *, today: date, warning_days: int = 7
) -> dict[int, tuple[tuple[Decision, ...], Fulfilment]]:
    """Each meeting's decisions with their actions, and its fulfilment (see the module doc)."""
    ids = list(meeting_ids)
    texts = decision_rows(db, ids)
    actions = action_rows(db, ids)
    following = next_scheduling(db, ids, SCHEDULING)
    out: dict[int, tuple[tuple[Decision, ...], Fulfilment]] = {}
    for meeting_id in ids:
        next_key, by = following.get(meeting_id, (None, today))
        decisions = tuple(
            Decision(
                number=row.number,
                text=row.text,
                actions=tuple(_action(a, today, warning_days) for a in actions.get(row.id, [])),
                fulfilled=is_fulfilled(actions.get(row.id, []), by),
            )
            for row in texts.get(meeting_id, [])
        )
        done = sum(1 for d in decisions if d.fulfilled)
        out[meeting_id] = (
            decisions,
            Fulfilment(
                decisions=len(decisions),
                with_actions=sum(1 for d in decisions if d.actions),
                fulfilled=done,
                rate=round(done / len(decisions), 4) if decisions else None,
                by=by,
                next_meeting=next_key,
            ),
        )
    return out


def rate_text(fulfilment: Fulfilment) -> str:
    """``1 of 2 decisions (50%) by IC-M4 2026-12-15`` (or ``by today 2026-11-21``)."""
    from chainlead.i18n import ngettext

    rate = "-" if fulfilment.rate is None else f"{fulfilment.rate:.0%}"
    if fulfilment.next_meeting:
        said = ngettext(
            "{n} of {total} decision ({rate}) by {meeting} {day}",
            "{n} of {total} decisions ({rate}) by {meeting} {day}",
            fulfilment.decisions,
        )
    else:
        said = ngettext(
            "{n} of {total} decision ({rate}) by today {day}",
            "{n} of {total} decisions ({rate}) by today {day}",
            fulfilment.decisions,
        )
    return said.format(
        n=fulfilment.fulfilled,
        total=fulfilment.decisions,
        rate=rate,
        meeting=fulfilment.next_meeting,
        day=fulfilment.by.isoformat(),
    )
