"""Status lights and deadline arithmetic for bottleneck items.

Pure functions over dates: no database, no terminal. The list, ``show`` and
the reports all take their lights and day counts from here, so an item looks
the same everywhere.

Lights, by the item's status:

- not yet resolved (``open``, ``in_progress``, ``blocked``):
  ``red`` when past due (``today > due_on``), ``yellow`` when due within the
  warning window (``due_on - today <= warning_days``, due today included),
  ``green`` otherwise;
- resolved or closed: ``on_time`` when resolved on or before the due date,
  ``late`` when resolved after it;
- dropped: ``none`` (the item is no longer pursued; no deadline applies).

The light is always a plain word, so it survives ``NO_COLOR``, CSV, JSON and
printing in black and white.
"""

from __future__ import annotations

from datetime import date

from chainlead.vocabulary import DONE_STATUSES, OPEN_STATUSES

RED = "red"
YELLOW = "yellow"
GREEN = "green"
ON_TIME = "on_time"
LATE = "late"
NONE = "none"
LIGHTS = (RED, YELLOW, GREEN, ON_TIME, LATE, NONE)


def light(
    *,
    status: str,
    due_on: date,
    resolved_on: date | None,
    today: date,
    warning_days: int,
) -> str:
    """The item's light: red/yellow/green, on_time/late, or none (see module doc)."""
    if status in OPEN_STATUSES:
        if today > due_on:
            return RED
        if (due_on - today).days <= warning_days:
            return YELLOW
        return GREEN
    if status in DONE_STATUSES:
        finished = resolved_on or today
        return ON_TIME if finished <= due_on else LATE
    return NONE


def is_overdue(*, status: str, due_on: date, today: date) -> bool:
    """Not yet resolved and past due."""
    return status in OPEN_STATUSES and today > due_on


def days_open(*, raised_on: date, resolved_on: date | None, today: date) -> int:
    """Days from raised to resolved (or to today while unresolved); never negative."""
    return max(0, ((resolved_on or today) - raised_on).days)


def days_over(*, due_on: date, resolved_on: date | None, today: date) -> int:
    """Days past the time limit (positive) or left before it (negative).

    Counted to the resolved date for resolved items, to today otherwise:
    ``3`` means three days over the limit, ``-5`` five days to spare.
    """
    return ((resolved_on or today) - due_on).days


def clock(
    *,
    status: str,
    raised_on: date,
    due_on: date,
    resolved_on: date | None,
    today: date,
    warning_days: int,
) -> tuple[str, int, int]:
    """An item's light, days open and days over, as every list and card shows them.

    Days are counted to the resolution only while the item stands resolved
    or closed (a reopened item's old resolution date no longer stops them).
    """
    finished = resolved_on if status in DONE_STATUSES else None
    return (
        light(
            status=status,
            due_on=due_on,
            resolved_on=resolved_on,
            today=today,
            warning_days=warning_days,
        ),
        days_open(raised_on=raised_on, resolved_on=finished, today=today),
        days_over(due_on=due_on, resolved_on=finished, today=today),
    )
