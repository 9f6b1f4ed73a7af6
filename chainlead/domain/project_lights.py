"""A chain project's progress light (序时进度): its progress against its plan.

Pure: dates and numbers in, a light out; no database, no clock.

The rule
========

- **Expected percent** on a day is the share of the planned period elapsed:
  ``(day - start) / (end - start)``, in whole percent, clamped to 0..100 (the
  period's end is the planned end in force, ``end_on``; a period of one day is
  0 before it and 100 from it). When the project has milestones, the ``n``
  milestones divide the work into ``n + 1`` equal parts, the last ending at the
  planned end: with ``k`` of them due on or before the day, the expected percent
  is also at least ``100 * k / (n + 1)`` (rounded down). The larger of the two
  counts.
- **Behind** = expected percent - percent reported (the latest report on or
  before the day; none yet: 0).
- The light is **red** when a milestone is past due (due before the day) and
  not done by the day, or when the project is still at 0 percent
  ``idle_months`` months after its start, or when it is behind by more than
  ``red_points``; **yellow** when behind by more than ``yellow_points``;
  else **green**. A finished or dropped project has no light (``none``).

The thresholds are settings (``project_yellow_points`` 10,
``project_red_points`` 30, ``project_idle_months`` 3).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from chainlead.i18n import N_
from chainlead.said import said

__all__ = [
    "LightRules",
    "MilestoneDue",
    "ProjectLight",
    "add_months",
    "expected_percent",
    "project_light",
]


@dataclass(frozen=True)
class LightRules:
    """The thresholds of the light, from the settings."""

    yellow_points: int = 10
    red_points: int = 30
    idle_months: int = 3


@dataclass(frozen=True)
class MilestoneDue:
    """What the light reads of a milestone."""

    title: str
    due_on: date
    done_on: date | None


@dataclass(frozen=True)
class ProjectLight:
    """A project's light on a day, with what it expected and why."""

    light: str  # red | yellow | green | none
    expected: int | None  # the expected percent (None: finished or dropped)
    behind: int | None  # expected - percent (negative: ahead)
    why: str  # one line
    reason: str = "on_plan"  # on_plan | behind | milestone | idle | closed


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, kept within the month (Jan 31 + 1 → Feb 28), and
    within the calendar (a move past year 9999 or before year 1 stops at its edge)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def expected_percent(
    *, start: date, end: date, on: date, milestones: Sequence[MilestoneDue] = ()
) -> int:
    """The percent a project should have reached on ``on`` (see the module doc)."""
    span = (end - start).days
    if span <= 0:
        by_time = 100 if on >= end else 0
    else:
        elapsed = (on - start).days
        by_time = max(0, min(100, elapsed * 100 // span))
    if not milestones:
        return by_time
    due = sum(1 for m in milestones if m.due_on <= on)
    by_milestones = 100 * due // (len(milestones) + 1)
    return max(by_time, by_milestones)


def project_light(
    *,
    status: str,
    start: date,
    end: date,
    percent: int,
    on: date,
    milestones: Sequence[MilestoneDue] = (),
    rules: LightRules = LightRules(),
) -> ProjectLight:
    """The light of a project with this plan and ``percent`` done, on the day ``on``.

    ``status`` is the project's status on that day: ``finished`` and ``dropped``
    have no light.
    """
    if status in ("finished", "dropped"):
        return ProjectLight("none", None, None, status, "closed")
    expected = expected_percent(start=start, end=end, on=on, milestones=milestones)
    behind = expected - percent
    missed = [m for m in milestones if m.due_on < on and (m.done_on is None or m.done_on > on)]
    if missed:
        first = missed[0]
        if len(missed) > 1:
            why = said(
                N_("milestone {title!r} was due {day} (and {n} more)"),
                title=first.title,
                day=first.due_on.isoformat(),
                n=len(missed) - 1,
            )
        else:
            why = said(
                N_("milestone {title!r} was due {day}"),
                title=first.title,
                day=first.due_on.isoformat(),
            )
        return ProjectLight("red", expected, behind, why, "milestone")
    idle_since = add_months(start, rules.idle_months)
    if percent == 0 and on >= idle_since:
        why = said(
            N_("not started {months} months after its start {day}"),
            months=rules.idle_months,
            day=start.isoformat(),
        )
        return ProjectLight("red", expected, behind, why, "idle")
    done = said(N_("{done} done, {expected} expected"), done=f"{percent}%", expected=f"{expected}%")
    behind_words = said(N_("{n} points behind: {done}"), n=behind, done=done)
    if behind > rules.red_points:
        return ProjectLight("red", expected, behind, behind_words, "behind")
    if behind > rules.yellow_points:
        return ProjectLight("yellow", expected, behind, behind_words, "behind")
    if behind > 0:
        return ProjectLight("green", expected, behind, behind_words, "behind")
    return ProjectLight("green", expected, behind, said(N_("on plan: {done}"), done=done))
