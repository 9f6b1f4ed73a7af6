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
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from chainlead.domain.reports.reading import _OPEN, _chunks, _in, _start, _to_date
from chainlead.reader import Reader, moment
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
    replays: dict[int, _Replay]
    reopened: frozenset[int]
    edits: dict[int, list[tuple[datetime, str | None]]]

    def due_on_day(self, item_id: int, due_now: date, day: date) -> date:
        """The time limit in force at the end of ``day``: the old value of the first later edit."""
        changes = self.edits.get(item_id)
        if not changes:
            return due_now
        cutoff = _start(day + timedelta(days=1))
        for at, old in changes:
            if at >= cutoff and old:
                return _to_date(old)
        return due_now


def _history(db: Reader, *, since: date, chain_id: int | None) -> _History:
    """Reopenings and time-limit changes from ``since`` on (two searches of the
    event index by kind and time), and the replay of every item they touch."""
    sql = (
        "SELECT item_id, kind, at, old FROM event "
        "WHERE at >= :since AND item_id IS NOT NULL "
        "AND (kind = 'reopened' OR (kind = 'edited' AND field = 'due_on'))"
    )
    params: dict[str, object] = {"since": _start(since)}
    if chain_id is not None:
        sql += " AND chain_id = :chain"
        params["chain"] = chain_id
    reopened: set[int] = set()
    edits: dict[int, list[tuple[datetime, str | None]]] = defaultdict(list)
    for item_id, kind, at, old in db.rows(sql, params):
        if kind == "reopened":
            reopened.add(item_id)
        else:
            edits[item_id].append((moment(at), old))
    for changes in edits.values():
        changes.sort(key=lambda change: change[0])
    replays: dict[int, _Replay] = {}
    for ids in _chunks(reopened | set(edits)):
        within, params = _in("i", ids)
        items = {
            row[0]: row
            for row in db.rows(
                "SELECT id, chain_id, number, unit, raised_on, due_on, resolved_on, status "
                f"FROM item WHERE id IN {within}",
                params,
            )
        }
        events: dict[int, list[Any]] = defaultdict(list)
        for row in db.rows(
            "SELECT item_id, kind, old, new, at, text FROM event "
            f"WHERE item_id IN {within} AND field = 'status' ORDER BY item_id, at, id",
            params,
        ):
            events[row[0]].append(row)
        for item_id, row in items.items():
            replays[item_id] = _replay(row, events[item_id])
    return _History(since=since, replays=replays, reopened=frozenset(reopened), edits=edits)


def _replay(row: Any, events: Sequence[Any]) -> _Replay:
    item_id, chain_id, number, unit, raised, due, resolved, status = row
    raised, due = _to_date(raised), _to_date(due)
    resolved = _to_date(resolved) if resolved is not None else None
    last_resolution = max((i for i, e in enumerate(events) if e[1] == "resolved"), default=None)
    moves: list[tuple[date, int]] = [(raised, 1)]
    resolutions: list[tuple[date, datetime, str | None]] = []
    drops: list[date] = []
    reopens: list[date] = []
    for index, (_, kind, old, new, recorded, text) in enumerate(events):
        at = moment(recorded)
        day = at.date()
        if index == last_resolution and status in DONE_STATUSES and resolved is not None:
            day = resolved  # the current resolution counts on its resolved_on date
        was_open, now_open = (old or "") in OPEN_STATUSES, (new or "") in OPEN_STATUSES
        if now_open != was_open:
            moves.append((day, 1 if now_open else -1))
        if new == "resolved":
            resolutions.append((day, at, text))
        elif new == "dropped":
            drops.append(day)
        if kind == "reopened":
            reopens.append(day)
    dropped_on = drops[-1] if status == "dropped" and drops else None
    model: list[tuple[date, int]] = [(raised, 1)]
    if resolved is not None:
        model.append((resolved, -1))
    if dropped_on is not None:
        model.append((dropped_on, -1))
    return _Replay(
        id=item_id,
        chain_id=chain_id,
        number=number,
        unit=unit,
        raised_on=raised,
        due_on=due,
        resolved_on=resolved,
        dropped_on=dropped_on,
        model=tuple(model),
        moves=_flips(moves),
        resolutions=tuple(resolutions),
        drops=tuple(drops),
        reopens=tuple(reopens),
    )


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


class _Dropped(NamedTuple):
    """A dropped item as its row reads: dropped on the day of its last drop event."""

    raised_on: date
    due_on: date
    dropped_on: date


def _dropped(db: Reader, chain_id: int | None) -> dict[int, _Dropped]:
    """Every item dropped now, with the day it was (last) dropped."""
    sql = (
        "SELECT i.id, i.raised_on, i.due_on, max(e.at) FROM item i "
        "JOIN event e ON e.item_id = i.id "
        "WHERE i.status = 'dropped' AND e.field = 'status' AND e.new = 'dropped'"
    )
    params: dict[str, object] = {}
    if chain_id is not None:
        sql += " AND i.chain_id = :chain"
        params["chain"] = chain_id
    sql += " GROUP BY i.id, i.raised_on, i.due_on"
    return {
        item_id: _Dropped(_to_date(raised), _to_date(due), _to_date(at))
        for item_id, raised, due, at in db.rows(sql, params)
    }


class _Daily(NamedTuple):
    """Per-day counts read from item rows: raised, resolved (current), dropped."""

    raised: dict[date, int]
    resolved: dict[date, int]
    dropped: dict[date, int]


def _daily(db: Reader, chain_id: int | None, dropped: dict[int, _Dropped]) -> _Daily:
    def counted(column: str, where: str) -> dict[date, int]:
        params: dict[str, object] = {}
        if chain_id is not None:
            where += " AND chain_id = :chain"
            params["chain"] = chain_id
        sql = f"SELECT {column}, count(*) FROM item WHERE {where} GROUP BY {column}"
        return {_to_date(day): int(n) for day, n in db.rows(sql, params)}

    by_day: dict[date, int] = defaultdict(int)
    for found in dropped.values():
        by_day[found.dropped_on] += 1
    return _Daily(
        raised=counted("raised_on", "1 = 1"),
        resolved=counted("resolved_on", "resolved_on IS NOT NULL"),
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
    dropped: dict[int, _Dropped],
    history: _History,
) -> dict[date, int]:
    """Items open at the end of each day whose time limit then was before that day."""
    params: dict[str, object] = {"latest": max(days), "earliest": min(days)}
    sums = []
    for n, day in enumerate(days):
        params[f"d{n}"] = day
        sums.append(
            f"sum(CASE WHEN raised_on <= :d{n} AND due_on < :d{n} "
            f"AND (resolved_on IS NULL OR resolved_on > :d{n}) THEN 1 ELSE 0 END)"
        )
    if chain_id is not None:
        params["chain"] = chain_id

    def counted(where: str) -> list[int]:
        sql = f"SELECT {', '.join(sums)} FROM item WHERE due_on < :latest AND {where}"
        if chain_id is not None:
            sql += " AND chain_id = :chain"
        return [int(total or 0) for total in db.rows(sql, params)[0]]

    # Two parts, each served by an index: items open now, and items resolved
    # after the first day asked about; dropped items are read from ``dropped``.
    open_now = counted(f"status IN {_OPEN}")
    resolved_later = counted("resolved_on > :earliest")
    counts = {day: a + b for day, a, b in zip(days, open_now, resolved_later, strict=True)}
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
    sql = (
        "SELECT id, chain_id, number, unit, raised_on, resolved_on, due_on FROM item "
        "WHERE resolved_on >= :first AND resolved_on <= :last"
    )
    params: dict[str, object] = {"first": first, "last": last}
    if chain_id is not None:
        sql += " AND chain_id = :chain"
        params["chain"] = chain_id
    out: dict[int, list[_Resolution]] = defaultdict(list)
    for item_id, chain, number, unit, raised, resolved, due in db.rows(sql, params):
        if item_id in history.reopened:
            continue  # replayed below
        resolved = _to_date(resolved)
        out[_no(resolved)].append(
            _Resolution(
                item_id=item_id,
                chain_id=chain,
                number=number,
                unit=unit,
                raised_on=_to_date(raised),
                resolved_on=resolved,
                due_then=history.due_on_day(item_id, _to_date(due), resolved),
                how=None,
                how_from_row=True,
            )
        )
    for item_id in history.reopened:
        replay = history.replays[item_id]
        latest: dict[int, tuple[date, datetime, str | None]] = {}
        for day, at, how in replay.resolutions:
            if first <= day <= last:
                number = _no(day)
                if number not in latest or (day, at) >= latest[number][:2]:
                    latest[number] = (day, at, how)
        for number, (day, _, how) in latest.items():
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


class _Past(NamedTuple):
    """What the month figures are counted from, over the report's window."""

    history: _History
    dropped: dict[int, _Dropped]
    open_series: _OpenSeries
    moves: dict[str, dict[int, int]]  # distinct items resolved / dropped / reopened per month
    raised: dict[int, int]  # items raised per month number
    resolutions: dict[int, list[_Resolution]]  # per month number, from ``first`` to ``last``


def _past(db: Reader, *, since: date, first: date, last: date, chain_id: int | None) -> _Past:
    """Rows, corrected by the few items whose history since ``since`` departs from them;
    the resolutions dated from ``first`` to ``last``."""
    history = _history(db, since=since, chain_id=chain_id)
    dropped = _dropped(db, chain_id)
    daily = _daily(db, chain_id, dropped)
    return _Past(
        history=history,
        dropped=dropped,
        open_series=_OpenSeries(daily, history),
        moves=_monthly_moves(daily, history),
        raised=_by_month(daily.raised),
        resolutions=_resolutions(db, first=first, last=last, chain_id=chain_id, history=history),
    )
