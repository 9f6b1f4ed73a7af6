"""The month figures' sources: item rows, corrected by the few items whose
recent history departs from them (``monthly`` defines what is counted).

How it is read
==============

Replaying every item's events would cost a pass over the whole event table
per month asked. Instead each item's life is read from its row, through the
item indexes: open from ``raised_on`` to ``resolved_on`` (resolved or closed)
or to the day of its last drop event (dropped, found through the partial
index of drop events), else still open. That reading is exact for every item
except those reopened, or given a new time limit, after the start of the
report's window (the twelve trend months): two searches of the event index
by kind and time find them, and those few are replayed from their own events
and the counts corrected by the difference. Items
reopened before the window are read correctly from their rows for every day
of the window. ``tests/test_report_history.py`` holds the figures of every
month against a plain replay of all events for random item histories.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import NamedTuple

from chainlead.clock import day_start, local_day
from chainlead.store.connection import Reader
from chainlead.store.reports import (
    DroppedItem,
    ItemState,
    StatusEvent,
    dropped_items,
    history_marks,
    items_to_replay,
    overdue_by_rows,
    raised_per_day,
    resolved_between,
    resolved_per_day,
)
from chainlead.vocabulary import DONE_STATUSES, OPEN_STATUSES


class _Replay(NamedTuple):
    """An item whose recent history departs from what its row alone says.

    Items reopened, or given a new time limit, inside the report's window are
    replayed from their events; every other item's life is read from its row:
    open from ``raised_on`` until ``resolved_on`` (resolved or closed), or
    until the day of its drop event (dropped). ``model`` holds the moves that
    reading implies and ``moves`` the ones history says, so the SQL counts
    (made from rows) are corrected by ``moves - model`` for these items.
    """

    id: int
    chain_id: int
    number: int
    unit: str
    raised_on: date
    due_on: date
    resolved_on: date | None
    dropped_on: date | None  # the row's reading: day of the last drop, when dropped now
    model: tuple[tuple[date, int], ...]
    moves: tuple[tuple[date, int], ...]
    resolutions: tuple[tuple[date, datetime, str | None], ...]  # (day, recorded at, how)
    drops: tuple[date, ...]
    reopens: tuple[date, ...]

    def open_on(self, day: date) -> bool:
        return sum(delta for when, delta in self.moves if when <= day) > 0

    def open_by_row(self, day: date) -> bool:
        return sum(delta for when, delta in self.model if when <= day) > 0


class _History(NamedTuple):
    """What history adds to the rows: replayed items and time-limit changes."""

    since: date
    zone: tzinfo  # the calendar days are counted in
    replays: dict[int, _Replay]
    reopened: frozenset[int]
    edits: dict[int, list[tuple[datetime, date | None]]]  # per item: (when, limit before)

    def due_on_day(self, item_id: int, due_now: date, day: date) -> date:
        """The time limit in force at the end of ``day``: the old value of the first later edit."""
        changes = self.edits.get(item_id)
        if not changes:
            return due_now
        cutoff = day_start(day + timedelta(days=1), self.zone)
        for at, old in changes:
            if at >= cutoff and old is not None:
                return old
        return due_now


def _history(db: Reader, *, since: date, chain_id: int | None, zone: tzinfo) -> _History:
    """Reopenings and time-limit changes from ``since`` on, and the replay of every
    item they touch."""
    reopened: set[int] = set()
    edits: dict[int, list[tuple[datetime, date | None]]] = defaultdict(list)
    for mark in history_marks(db, since=day_start(since, zone), chain_id=chain_id):
        if mark.reopened:
            reopened.add(mark.item_id)
        else:
            edits[mark.item_id].append((mark.at, mark.old_due))
    for changes in edits.values():
        changes.sort(key=lambda change: change[0])
    items, events = items_to_replay(db, reopened | set(edits))
    replays = {item_id: _replay(item, events[item_id], zone) for item_id, item in items.items()}
    return _History(
        since=since, zone=zone, replays=replays, reopened=frozenset(reopened), edits=edits
    )


def _replay(item: ItemState, events: Sequence[StatusEvent], zone: tzinfo) -> _Replay:
    """The item's moves in and out of the open set as history says, and as its row reads."""
    last_resolution = max((i for i, e in enumerate(events) if e.kind == "resolved"), default=None)
    moves: list[tuple[date, int]] = [(item.raised_on, 1)]
    resolutions: list[tuple[date, datetime, str | None]] = []
    drops: list[date] = []
    reopens: list[date] = []
    # The current resolution counts on its resolved_on date.
    resolved_now = item.resolved_on if item.status in DONE_STATUSES else None
    for index, event in enumerate(events):
        day = local_day(event.at, zone)
        if index == last_resolution and resolved_now is not None:
            day = resolved_now
        was_open = (event.old or "") in OPEN_STATUSES
        now_open = (event.new or "") in OPEN_STATUSES
        if now_open != was_open:
            moves.append((day, 1 if now_open else -1))
        if event.new == "resolved":
            resolutions.append((day, event.at, event.text))
        elif event.new == "dropped":
            drops.append(day)
        if event.kind == "reopened":
            reopens.append(day)
    dropped_on = drops[-1] if item.status == "dropped" and drops else None
    return _Replay(
        id=item.id,
        chain_id=item.chain_id,
        number=item.number,
        unit=item.unit,
        raised_on=item.raised_on,
        due_on=item.due_on,
        resolved_on=item.resolved_on,
        dropped_on=dropped_on,
        model=_row_moves(item, dropped_on),
        moves=_flips(moves),
        resolutions=tuple(resolutions),
        drops=tuple(drops),
        reopens=tuple(reopens),
    )


def _row_moves(item: ItemState, dropped_on: date | None) -> tuple[tuple[date, int], ...]:
    """The moves the item's row alone implies: open from ``raised_on`` until
    ``resolved_on``, or until the day it was dropped."""
    model: list[tuple[date, int]] = [(item.raised_on, 1)]
    if item.resolved_on is not None:
        model.append((item.resolved_on, -1))
    if dropped_on is not None:
        model.append((dropped_on, -1))
    return tuple(model)


def _flips(moves: Sequence[tuple[date, int]]) -> tuple[tuple[date, int], ...]:
    """Moves summed per day, as the days the item turned open (+1) or not open (-1).

    A resolution dated back before a later reopening can make the plain sum
    dip below zero for a while; an item is open or not, so only flips count.
    """
    per_day: dict[date, int] = defaultdict(int)
    for day, delta in moves:
        per_day[day] += delta
    flips: list[tuple[date, int]] = []
    total, was_open = 0, False
    for day in sorted(per_day):
        total += per_day[day]
        if (total > 0) != was_open:
            was_open = total > 0
            flips.append((day, 1 if was_open else -1))
    return tuple(flips)


class _Daily(NamedTuple):
    """Per-day counts read from item rows: raised, resolved (current), dropped."""

    raised: dict[date, int]
    resolved: dict[date, int]
    dropped: dict[date, int]


def _daily(db: Reader, chain_id: int | None, dropped: dict[int, DroppedItem]) -> _Daily:
    by_day: dict[date, int] = defaultdict(int)
    for found in dropped.values():
        by_day[found.dropped_on] += 1
    return _Daily(
        raised=raised_per_day(db, chain_id=chain_id),
        resolved=resolved_per_day(db, chain_id=chain_id),
        dropped=dict(by_day),
    )


class _OpenSeries:
    """How many items were open at the end of any day: rows, corrected by replays."""

    def __init__(self, daily: _Daily, history: _History) -> None:
        change: dict[date, int] = defaultdict(int)
        for day, n in daily.raised.items():
            change[day] += n
        for day, n in daily.resolved.items():
            change[day] -= n
        for day, n in daily.dropped.items():
            change[day] -= n
        for replay in history.replays.values():
            for day, delta in replay.model:
                change[day] -= delta
            for day, delta in replay.moves:
                change[day] += delta
        self._days = sorted(change)
        self._totals = list(itertools.accumulate(change[d] for d in self._days))

    def at(self, day: date) -> int:
        index = bisect.bisect_right(self._days, day)
        return self._totals[index - 1] if index else 0


def _by_month(counts: dict[date, int]) -> dict[int, int]:
    out: dict[int, int] = defaultdict(int)
    for day, n in counts.items():
        out[day.year * 12 + day.month] += n
    return out


def _monthly_moves(daily: _Daily, history: _History) -> dict[str, dict[int, int]]:
    """Distinct items resolved / dropped / reopened per month number."""
    resolved = _by_month(daily.resolved)
    dropped = _by_month(daily.dropped)
    reopened: dict[int, int] = defaultdict(int)
    for replay in history.replays.values():
        if replay.resolved_on is not None:
            resolved[_no(replay.resolved_on)] -= 1
        for number in {_no(day) for day, _, _ in replay.resolutions}:
            resolved[number] += 1
        if replay.dropped_on is not None:
            dropped[_no(replay.dropped_on)] -= 1
        for number in {_no(day) for day in replay.drops}:
            dropped[number] += 1
        for number in {_no(day) for day in replay.reopens}:
            reopened[number] += 1
    return {"resolved": resolved, "dropped": dropped, "reopened": reopened}


def _no(day: date) -> int:
    return day.year * 12 + day.month


def _overdue_at(
    db: Reader,
    days: Sequence[date],
    *,
    chain_id: int | None,
    dropped: dict[int, DroppedItem],
    history: _History,
) -> dict[date, int]:
    """Items open at the end of each day whose time limit then was before that day:
    what the rows say, dropped items (from ``dropped``), and the replayed items'
    difference between their history and their rows."""
    counts = overdue_by_rows(db, days, chain_id=chain_id)
    for found in dropped.values():
        for day in days:
            if found.raised_on <= day < found.dropped_on and found.due_on < day:
                counts[day] += 1
    for replay in history.replays.values():
        for day in days:
            by_row = replay.open_by_row(day) and replay.due_on < day
            then = history.due_on_day(replay.id, replay.due_on, day)
            by_history = replay.open_on(day) and then < day
            counts[day] += int(by_history) - int(by_row)
    return counts


class _Resolution(NamedTuple):
    """A resolution dated in the report's months (thousands at 100k items: a tuple)."""

    item_id: int
    chain_id: int
    number: int
    unit: str
    raised_on: date
    resolved_on: date
    due_then: date
    how: str | None
    how_from_row: bool  # the item's current resolution: its text is on the row

    @property
    def on_time(self) -> bool:
        return self.resolved_on <= self.due_then


def _resolutions(
    db: Reader, *, first: date, last: date, chain_id: int | None, history: _History
) -> dict[int, list[_Resolution]]:
    """Per month number: each item's last resolution dated in that month."""
    out: dict[int, list[_Resolution]] = defaultdict(list)
    for row in resolved_between(db, first=first, last=last, chain_id=chain_id):
        if row.id not in history.reopened:  # those are replayed below
            out[_no(row.resolved_on)].append(
                _Resolution(
                    item_id=row.id,
                    chain_id=row.chain_id,
                    number=row.number,
                    unit=row.unit,
                    raised_on=row.raised_on,
                    resolved_on=row.resolved_on,
                    due_then=history.due_on_day(row.id, row.due_on, row.resolved_on),
                    how=None,
                    how_from_row=True,
                )
            )
    for item_id in history.reopened:
        replay = history.replays[item_id]
        for number, (day, how) in _last_resolution_per_month(replay, first, last).items():
            out[number].append(
                _Resolution(
                    item_id=item_id,
                    chain_id=replay.chain_id,
                    number=replay.number,
                    unit=replay.unit,
                    raised_on=replay.raised_on,
                    resolved_on=day,
                    due_then=history.due_on_day(item_id, replay.due_on, day),
                    how=how,
                    how_from_row=False,
                )
            )
    for rows in out.values():
        rows.sort(key=lambda r: (r.chain_id, r.resolved_on, r.number))
    return out


def _last_resolution_per_month(
    replay: _Replay, first: date, last: date
) -> dict[int, tuple[date, str | None]]:
    """A replayed item's last resolution dated in each month from ``first`` to
    ``last``: its day and how the problem was solved, by month number."""
    latest: dict[int, tuple[date, datetime, str | None]] = {}
    for day, at, how in replay.resolutions:
        if first <= day <= last:
            number = _no(day)
            if number not in latest or (day, at) >= latest[number][:2]:
                latest[number] = (day, at, how)
    return {number: (day, how) for number, (day, _, how) in latest.items()}


class _Past(NamedTuple):
    """What the month figures are counted from, over the report's window."""

    history: _History
    dropped: dict[int, DroppedItem]
    open_series: _OpenSeries
    moves: dict[str, dict[int, int]]  # distinct items resolved / dropped / reopened per month
    raised: dict[int, int]  # items raised per month number
    resolutions: dict[int, list[_Resolution]]  # per month number, from ``first`` to ``last``


def _past(
    db: Reader,
    *,
    since: date,
    first: date,
    last: date,
    chain_id: int | None,
    zone: tzinfo = UTC,
) -> _Past:
    """Rows, corrected by the few items whose history since ``since`` departs from them;
    the resolutions dated from ``first`` to ``last``."""
    history = _history(db, since=since, chain_id=chain_id, zone=zone)
    dropped = dropped_items(db, chain_id=chain_id, zone=zone)
    daily = _daily(db, chain_id, dropped)
    return _Past(
        history=history,
        dropped=dropped,
        open_series=_OpenSeries(daily, history),
        moves=_monthly_moves(daily, history),
        raised=_by_month(daily.raised),
        resolutions=_resolutions(db, first=first, last=last, chain_id=chain_id, history=history),
    )


class ResolvedIn(NamedTuple):
    """Which items were resolved from ``first`` to ``last`` by the monthly report's rule.

    An item whose row reads right counts when its ``resolved_on`` falls in the
    span; the items reopened since ``first`` (``replayed``) are read from their
    history instead, and ``resolved`` holds those with a resolution in the span.
    """

    first: date
    last: date
    replayed: frozenset[int]
    resolved: frozenset[int]


def resolved_in(
    db: Reader, *, first: date, last: date, chain_id: int | None, zone: tzinfo
) -> ResolvedIn:
    """The items the monthly report counts as resolved from ``first`` to ``last``
    (``bottleneck list --resolved-in`` lists the same): those with a resolution
    dated in the span, even when reopened since, each once."""
    history = _history(db, since=first, chain_id=chain_id, zone=zone)
    replayed = frozenset(history.reopened)
    resolved = frozenset(
        item_id
        for item_id in replayed
        if _last_resolution_per_month(history.replays[item_id], first, last)
    )
    return ResolvedIn(first=first, last=last, replayed=replayed, resolved=resolved)
