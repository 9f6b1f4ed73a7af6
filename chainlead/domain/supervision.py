"""The supervision ladder (督办): how far up an item's lateness has been taken.

Levels, lowest first (``vocabulary.Level``): 0 none, 1 提醒 reminder, 2 催办
urging, 3 督办函 supervision letter, 4 约谈/提请链长 the chain leader steps in,
5 提请领导小组 the leading group. The rules, for every open item that is not
suspended, read its light and its clock (``domain.lights``):

- yellow → 1;
- red → 2;
- red for ``ladder_letter_days`` (15), or red a second time → 3;
- red for ``escalation_days`` (30) → 4;
- red for ``ladder_leading_group_days`` (60) → 5.

Red for N days: N days past the clock (``today - clock_due >= N``), or N
working days when the setting is ``Nwd``. A red *spell* is a time the item
stands red on one clock: the ladder remembers the clock of the last spell it
saw (``red_due``) and how many it has seen (``red_spells``); red on another
clock (the limit was extended, then missed again) is a new spell, and the
second one calls for level 3.

Levels only climb by themselves (``supervise``): an item's level is raised to
the highest level its rules call for, one ``supervised`` event a step. People
move them by hand either way (``escalate_item``, ``de_escalate_item``), each
with a reason; a hand de-escalation stands until a rule is reached after the
day it was made (a further day threshold, or a new red spell).

Every ladder writer takes the ladder's lock first (``store.supervision``), and
``supervise`` reads and writes in the one transaction that holds it: runs from
several machines at once take turns, and no step is ever recorded twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from chainlead.domain import Stamp
from chainlead.domain.history import record
from chainlead.domain.lights import RED, YELLOW, clock
from chainlead.domain.words import status_said
from chainlead.errors import InvalidInput, RuleViolation
from chainlead.i18n import _
from chainlead.store.connection import Reader
from chainlead.store.supervision import (
    Candidate,
    LevelRow,
    ladder_candidates,
    last_de_escalations,
    lock_ladder,
    open_at_level,
    set_ladder,
)
from chainlead.values import check_text
from chainlead.vocabulary import LEVEL_MAX, LEVEL_NAMES_ZH, LEVELS, OPEN_STATUSES, TEXT_MAX

if TYPE_CHECKING:
    from chainlead.settings import Settings

LETTER = 3  # the level the ``--check`` of ``supervise`` looks for, and above
LEVEL_FORM = f"expected a whole number from 0 to {LEVEL_MAX} (0 none … {LEVEL_MAX} leading group)"

__all__ = [
    "LETTER",
    "LevelRow",
    "Rules",
    "Step",
    "Supervision",
    "de_escalate_item",
    "escalate_item",
    "level_name",
    "supervise",
]


def level_name(level: int) -> str:
    """A level as people read it: ``3 letter 督办函`` (``3 督办函`` in Chinese)."""
    from chainlead.i18n import current_lang

    if current_lang() == "zh":
        return f"{level} {LEVEL_NAMES_ZH[level]}"
    return f"{level} {LEVELS[level]} {LEVEL_NAMES_ZH[level]}"


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rules:
    """The ladder's thresholds: ``N`` days or ``Nwd`` working days red."""

    warning_days: int = 7
    letter: str = "15"  # ladder_letter_days
    chain_leader: str = "30"  # escalation_days
    leading_group: str = "60"  # ladder_leading_group_days
    holidays_file: str | None = None

    @classmethod
    def of(cls, settings: Settings) -> Rules:
        """The rules in force."""
        return cls(
            warning_days=settings.warning_days,
            letter=settings.ladder_letter_days,
            chain_leader=str(settings.escalation_days),
            leading_group=settings.ladder_leading_group_days,
            holidays_file=settings.holidays_file,
        )

    def thresholds(self) -> tuple[tuple[int, str, str], ...]:
        """(level, spec, setting) of the day thresholds, lowest level first."""
        return (
            (3, self.letter, "ladder_letter_days"),
            (4, self.chain_leader, "escalation_days"),
            (5, self.leading_group, "ladder_leading_group_days"),
        )


class _Days:
    """When an item red since a clock has been red for a span, cached by (clock, span)."""

    def __init__(self, holidays_file: str | None) -> None:
        self.holidays_file = holidays_file
        self.calendar: object | None = None
        self.known: dict[tuple[date, str], date] = {}

    def reached_on(self, clock_due: date, spec: str) -> date:
        """The first day the item is red for ``spec`` (``N`` or ``Nwd``)."""
        found = self.known.get((clock_due, spec))
        if found is None:
            if spec.endswith("wd"):
                from chainlead.workdays import add_working_days, load_calendar

                if self.calendar is None:
                    self.calendar = load_calendar(self.holidays_file)
                found = add_working_days(clock_due, int(spec[:-2]), calendar=self.calendar)  # type: ignore[arg-type]
            else:
                found = clock_due + timedelta(days=int(spec))
            self.known[(clock_due, spec)] = found
        return found

    def red_for(self, clock_due: date, today: date, spec: str) -> str:
        """How long the item has been red, in the span's own unit."""
        if not spec.endswith("wd"):
            return f"{(today - clock_due).days} days"
        from chainlead.workdays import working_days_between

        if self.calendar is None:
            from chainlead.workdays import load_calendar

            self.calendar = load_calendar(self.holidays_file)
        return f"{working_days_between(clock_due, today, calendar=self.calendar)} working days"  # type: ignore[arg-type]


def _spec(spec: str) -> str:
    return f"{spec[:-2]} working days" if spec.endswith("wd") else f"{spec} days"


class _Reached:
    """A rule an item meets today: the level it calls for, since when, and why."""

    __slots__ = ("level", "since", "rule")

    def __init__(self, level: int, since: date, rule: str) -> None:
        self.level, self.since, self.rule = level, since, rule


class _Assessed:
    """What the rules make of one item today."""

    __slots__ = ("light", "red_days", "level", "rule", "red_due", "red_spells")

    def __init__(self, light: str, red_days: int, red_due: date | None, red_spells: int) -> None:
        self.light, self.red_days = light, red_days
        self.level, self.rule = 0, ""
        self.red_due, self.red_spells = red_due, red_spells


def _assess(
    item: Candidate, today: date, rules: Rules, days: _Days, since: date | None
) -> _Assessed:
    """The level the item's light and red spell call for (rules reached on or before
    ``since``, the day of a hand de-escalation, no longer count)."""
    shown, _opened, over = clock(
        status=item.status,
        raised_on=item.raised_on,
        due_on=item.clock_due,
        resolved_on=None,
        today=today,
        warning_days=rules.warning_days,
        receipt_due=item.receipt_due,
    )
    found = _Assessed(shown, max(over, 0), item.red_due, item.red_spells)
    reached: list[_Reached] = []
    if shown == YELLOW:
        if (item.clock_due - today).days <= rules.warning_days:
            left = (item.clock_due - today).days
            when = "due today" if left == 0 else f"due in {left} day{'s' if left != 1 else ''}"
            rule = f"yellow: {when} (warning_days {rules.warning_days})"
            reached.append(_Reached(1, item.clock_due - timedelta(days=rules.warning_days), rule))
        elif item.receipt_due is not None:
            rule = f"yellow: not signed for by {item.receipt_due.isoformat()}"
            reached.append(_Reached(1, item.receipt_due + timedelta(days=1), rule))
    elif shown == RED:
        started = item.clock_due + timedelta(days=1)
        if item.red_due != item.clock_due:  # a spell the ladder has not seen yet
            found.red_due, found.red_spells = item.clock_due, item.red_spells + 1
        said = f"{over} day{'s' if over != 1 else ''} over the time limit"
        reached.append(_Reached(2, started, f"red: {said}"))
        for level, spec, setting in rules.thresholds():
            on = days.reached_on(item.clock_due, spec)
            if today >= on:
                red_for = days.red_for(item.clock_due, today, spec)
                rule = f"red for {red_for} (≥ {_spec(spec)}, {setting})"
                reached.append(_Reached(level, on, rule))
        if found.red_spells >= 2:
            rule = f"red a second time (red spell {found.red_spells}, {said})"
            reached.append(_Reached(3, started, rule))
    for rule in reached:
        if since is not None and rule.since <= since:
            continue
        if rule.level > found.level:
            found.level, found.rule = rule.level, rule.rule
    return found


# --------------------------------------------------------------------------- supervise


@dataclass(frozen=True)
class Step:
    """One step up the ladder due today: the item, from which level to which, and why."""

    key: str
    chain: str
    title: str
    unit: str
    light: str
    red_days: int  # days past the clock; 0 when not red
    old: int
    new: int
    rule: str


@dataclass(frozen=True)
class Supervision:
    """What ``supervise`` found (and, applied, recorded) today."""

    today: date
    applied: bool
    looked_at: int  # open, unsuspended items that are yellow or red today
    steps: tuple[Step, ...]
    high: tuple[LevelRow, ...] | None = None  # with the check: open items at level 3 or above


def supervise(
    db: Reader,
    *,
    stamp: Stamp,
    rules: Rules,
    apply: bool = False,
    check: bool = False,
    day_of: Callable[[datetime], date] = datetime.date,
) -> Supervision:
    """The steps up the ladder due today; ``apply`` records them, in this transaction.

    Applied, the ladder's lock is taken before anything is read, each step is
    one ``supervised`` event (field ``level``, old and new levels, the rule as
    its text), and the item's level and red spell are stored; a second run the
    same day finds nothing left to do. ``check`` also lists the open items at
    level 3 (督办函) or above, as they stand after the run. ``day_of`` gives the
    day (as ``stamp.today`` counts days) of an event's time: a hand
    de-escalation holds the rules reached by that day.
    """
    if apply:
        lock_ladder(db)
    today = stamp.today
    candidates = ladder_candidates(
        db, today=today, warn_until=today + timedelta(days=rules.warning_days)
    )
    held = {
        item_id: day_of(at)
        for item_id, at in (last_de_escalations(db) if candidates else {}).items()
    }
    days = _Days(rules.holidays_file)
    steps: list[Step] = []
    for item in candidates:
        found = _assess(item, today, rules, days, held.get(item.id))
        climbs = found.level > item.level
        spell = (found.red_due, found.red_spells) != (item.red_due, item.red_spells)
        if apply and (climbs or spell):
            stored = set_ladder(
                db,
                item_id=item.id,
                was=item.level,
                level=found.level if climbs else item.level,
                red_due=found.red_due,
                red_spells=found.red_spells,
                at=stamp.at if climbs else None,
            )
            if not stored:  # pragma: no cover - the ladder's lock keeps others out
                continue
            if climbs:
                record(
                    db,
                    stamp=stamp,
                    kind="supervised",
                    chain_id=item.chain_id,
                    item_id=item.id,
                    field="level",
                    old=item.level,
                    new=found.level,
                    text=found.rule,
                )
        if climbs:
            steps.append(
                Step(
                    key=item.key,
                    chain=item.chain,
                    title=item.title,
                    unit=item.unit,
                    light=found.light,
                    red_days=found.red_days,
                    old=item.level,
                    new=found.level,
                    rule=found.rule,
                )
            )
    return Supervision(
        today=today,
        applied=apply,
        looked_at=len(candidates),
        steps=tuple(steps),
        high=tuple(open_at_level(db, LETTER)) if check else None,
    )


# --------------------------------------------------------------------------- by hand


@dataclass(frozen=True)
class LevelChange:
    """An item's level moved by hand."""

    key: str
    old: int
    new: int
    why: str


def check_level(value: object, field: str = "--level") -> int:
    """A level as typed: a whole number from 0 to 5."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or int(text) > LEVEL_MAX:
        raise InvalidInput(field, LEVEL_FORM, value)
    return int(text)


def _move(
    db: Reader,
    *,
    key: str,
    level: int | None,
    why: str,
    stamp: Stamp,
    kind: str,
    allowed: Callable[[int, int], bool],
) -> LevelChange:
    from chainlead.domain.bottlenecks import get_item  # (supervise itself needs neither)
    from chainlead.store.items import save_item

    reason = check_text("--why", why, required=True, max_len=TEXT_MAX) or ""
    lock_ladder(db)
    item = get_item(db, key=key, for_update=True)
    if item.status not in OPEN_STATUSES:
        raise RuleViolation(
            _(
                "{key} is {status}; only open work is supervised (it stays at level {level_name})"
            ).format(
                key=item.key, status=status_said(item.status), level_name=level_name(item.level)
            )
        )
    if kind == "de-escalated" and level is None:
        level = max(item.level - 1, 0)
    assert level is not None
    if not allowed(item.level, level):
        said = (
            _("--level: {key} is at level {now}; escalate it to a level above that, not {level}")
            if kind == "escalated"
            else _(
                "--level: {key} is at level {now}; de-escalate it to a level below that, "
                "not {level}"
            )
        )
        raise RuleViolation(said.format(key=item.key, now=level_name(item.level), level=level))
    record(
        db,
        stamp=stamp,
        kind=kind,
        chain_id=item.chain_id,
        item_id=item.id,
        field="level",
        old=item.level,
        new=level,
        text=reason,
    )
    old, item.level = item.level, level
    item.updated_at = stamp.at
    save_item(db, item)
    return LevelChange(key=item.key, old=old, new=level, why=reason)


def escalate_item(db: Reader, *, key: str, level: int, why: str, stamp: Stamp) -> LevelChange:
    """Take an open item up the ladder by hand, to ``level`` (above its own), with a reason."""
    level = check_level(level)
    return _move(
        db, key=key, level=level, why=why, stamp=stamp, kind="escalated",
        allowed=lambda old, new: new > old,
    )  # fmt: skip


def de_escalate_item(
    db: Reader, *, key: str, why: str, stamp: Stamp, level: int | None = None
) -> LevelChange:
    """Take an open item down the ladder by hand, to ``level`` (below its own; default
    one step down), with a reason. It stands until a rule is reached after today."""
    wanted = None if level is None else check_level(level)
    return _move(
        db, key=key, level=wanted, why=why, stamp=stamp, kind="de-escalated",
        allowed=lambda old, new: new < old,
    )  # fmt: skip
