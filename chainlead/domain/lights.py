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
- dropped: ``none`` (the item is no longer pursued; no deadline applies);
- suspended (挂起) while unresolved: ``suspended``, or ``yellow`` once past
  the day it was suspended until.

The date an unresolved item's light reads is its *clock*: the earliest time
limit of the item and of its institutions' working assignments, moved on by
the days it spent suspended (``store.assignments.refresh_clock`` keeps it).
An institution that has not signed for its assignment by its receipt limit
(the ``receipt_days`` setting) turns a green item yellow.

The light is always a plain word, so it survives ``NO_COLOR``, CSV, JSON and
printing in black and white.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from chainlead.vocabulary import DONE_STATUSES, OPEN_STATUSES

RED = "red"
YELLOW = "yellow"
GREEN = "green"
ON_TIME = "on_time"
LATE = "late"
NONE = "none"
SUSPENDED = "suspended"
LIGHTS = (RED, YELLOW, GREEN, ON_TIME, LATE, NONE, SUSPENDED)
# A chain project's lights (progress against plan): none once finished or dropped.
PROJECT_LIGHTS = (RED, YELLOW, GREEN, NONE)
# Worst first: an item's light among its assignments' is the first of these.
SEVERITY = (RED, YELLOW, SUSPENDED, GREEN, LATE, ON_TIME, NONE)


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
    receipt_due: date | None = None,
    suspended_on: date | None = None,
    suspended_until: date | None = None,
) -> tuple[str, int, int]:
    """An item's light, days open and days over, as every list and card shows them.

    ``due_on`` is the item's clock (see the module doc). Days are counted to
    the resolution only while the item stands resolved or closed (a reopened
    item's old resolution date no longer stops them), and to the day it was
    suspended while it is suspended: a suspended item's days over stand still.
    """
    finished = resolved_on if status in DONE_STATUSES else None
    shown = light(
        status=status,
        due_on=due_on,
        resolved_on=resolved_on,
        today=today,
        warning_days=warning_days,
    )
    stopped = finished
    if status in OPEN_STATUSES:
        if suspended_on is not None:
            late = suspended_until is not None and today > suspended_until
            shown = YELLOW if late else SUSPENDED
            stopped = min(suspended_on, today)
        elif shown == GREEN and receipt_due is not None and today > receipt_due:
            shown = YELLOW
    return (
        shown,
        days_open(raised_on=raised_on, resolved_on=finished, today=today),
        days_over(due_on=due_on, resolved_on=stopped, today=today),
    )


class ClockedItem(Protocol):
    """What an item's light is read from: a stored item, or a list's row of one."""

    status: str
    raised_on: date
    clock_due: date
    resolved_on: date | None
    receipt_due: date | None
    suspended_on: date | None
    suspended_until: date | None


def item_clock(item: ClockedItem, *, today: date, warning_days: int) -> tuple[str, int, int]:
    """``clock`` of a stored item (its clock ``clock_due`` as the limit)."""
    return clock(
        status=item.status,
        raised_on=item.raised_on,
        due_on=item.clock_due,
        resolved_on=item.resolved_on,
        today=today,
        warning_days=warning_days,
        receipt_due=item.receipt_due,
        suspended_on=item.suspended_on,
        suspended_until=item.suspended_until,
    )


def worst(lights: list[str]) -> str:
    """The most pressing of these lights (``none`` when there are none)."""
    return min(lights, key=SEVERITY.index, default=NONE)
