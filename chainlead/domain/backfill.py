"""The handling loop for items made before it: their lead assignment, original time limit
and past edits of the limit.

Migration 0005 gives every stored item these; an import of a format 1 or 2 snapshot
gives them to every item it adds, from the same facts (the item's status, unit, owner,
dates and its ``edited`` events of ``due_on``). The migration may not import chainlead,
so it carries its own copy of these rules: ``tests/test_snapshot_loop.py`` checks that
an upgraded database and an imported snapshot of the same data agree.

* the lead assignment is the item's unit and owner, assigned and signed for on the day
  it was raised with the item's time limit: ``reported`` (with its resolution) when the
  item is resolved or closed, ``handling`` when in progress, else ``received``; one
  ``assigned`` event (actor ``db upgrade``, at the moment of the upgrade or import)
  says so;
* the original time limit is the first edit's old limit, else the limit as it stands;
* each edit with both limits becomes an approved extension of kind ``edit``, filed and
  decided on the day of the edit by its actor, its reason the edit's text.

Migration 0006 gives every stored item its enterprises and follow-ups (回访); an import
of a format 1, 2 or 3 snapshot gives them to every item it adds, as that upgrade does:

* the item's ``enterprise`` text is an enterprise record (the one of that exact name,
  else one added, created when its first item was), linked to the item first and put
  on the item's chain;
* each earlier sign-off's answer (``follow_ups``) is a follow-up of that enterprise by
  the person who asked, on the day of the event; a later reopening sets it aside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chainlead.domain.answers import answer_of

ACTOR = "db upgrade"
KIND = "assigned"
TEXT = "lead unit as the item stood before the handling loop"


def lead_state(status: str) -> str:
    """The state of the lead assignment of an item of this status."""
    if status in ("resolved", "closed"):
        return "reported"
    return "handling" if status == "in_progress" else "received"


@dataclass(frozen=True)
class DueEdit:
    """An ``edited`` event of an item's ``due_on``: when, by whom, from, to, why."""

    at: datetime
    actor: str
    old: str | None
    new: str | None
    text: str | None


@dataclass(frozen=True)
class Backfill:
    """What an item made before the handling loop is given."""

    lead: dict[str, Any]  # assignment values: state, assigned, due, received, reported, report
    original_due: date
    extensions: list[dict[str, Any]]  # kind, state, requested, ..., created_at, updated_at


def _limit(text: str | None) -> date | None:
    """A limit as an event's text holds it, or None when it holds none."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def backfill(
    *,
    status: str,
    raised: date,
    due: date,
    resolution: str | None,
    resolved: date | None,
    edits: list[DueEdit],
) -> Backfill:
    """The lead assignment, original limit and extensions of an item before the loop;
    ``edits`` oldest first."""
    state = lead_state(status)
    reported = state == "reported"
    lead = {
        "role": "lead",
        "state": state,
        "assigned": raised,
        "due": due,
        "receipt_due": None,
        "received": raised,
        "reported": resolved if reported else None,
        "report": resolution if reported else None,
        "ended": None,
        "end_reason": None,
        "suggested": None,
    }
    original = due
    extensions = []
    for n, edit in enumerate(edits):
        old, new = _limit(edit.old), _limit(edit.new)
        if n == 0 and old is not None:
            original = old
        if old is None or new is None:
            continue
        extensions.append(
            {
                "unit": None,
                "kind": "edit",
                "state": "approved",
                "requested": edit.at.date(),
                "requested_by": edit.actor,
                "from_due": old,
                "to_due": new,
                "why": edit.text or "",
                "decided": edit.at.date(),
                "decided_by": None,
                "decision_note": None,
                "created_at": edit.at,
                "updated_at": edit.at,
            }
        )
    return Backfill(lead=lead, original_due=original, extensions=extensions)


def due_edits(history: list[dict[str, Any]]) -> list[DueEdit]:
    """An item's ``edited`` events of ``due_on`` in a snapshot's history, oldest first."""
    edits = [
        (event["at"], index, event)
        for index, event in enumerate(history)
        if event["kind"] == "edited" and event["field"] == "due_on"
    ]
    edits.sort(key=lambda entry: (entry[0], entry[1]))
    return [
        DueEdit(event["at"], event["actor"], event["old"], event["new"], event["text"])
        for _, _, event in edits
    ]


def follow_ups(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The follow-ups the answers in an item's history (a snapshot's events) give, oldest
    first: ``result``, ``by`` (the asker's name), ``note``, ``asked_on``,
    ``reopened_on`` (the day a later reopening set it aside, else None) and
    ``created_at``. Only a status event to ``closed``, or a ``reopened`` one, with a
    person holds an answer."""
    events = [
        (event["at"], index, event)
        for index, event in enumerate(history)
        if event["field"] == "status" and (event["new"] == "closed" or event["kind"] == "reopened")
    ]
    events.sort(key=lambda entry: (entry[0], entry[1]))
    found: list[dict[str, Any]] = []
    current: list[dict[str, Any]] = []
    for at, _, event in events:
        answer = answer_of(event["text"])
        if answer is not None and event["person"] is not None:
            result, note = answer
            follow_up = {
                "result": result,
                "by": event["person"],
                "note": note,
                "asked_on": at.date(),
                "reopened_on": None,
                "created_at": at,
            }
            found.append(follow_up)
            current.append(follow_up)
        if event["kind"] == "reopened":
            for follow_up in current:
                follow_up["reopened_on"] = at.date()
            current = []
    return found
