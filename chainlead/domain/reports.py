"""The monthly report and the overdue report, as plain data.

``monthly_report`` is the one place the monthly figures are counted; every
output form (terminal, HTML, SVG, Markdown, JSON) draws what it returns, as
frozen dataclasses. It runs a fixed number of queries, never one per item.

How a month is counted
======================

Month ``M`` runs from its first to its last day; for the current month it
runs to today (``as_of``). Facts about the past are read from history, so a
report of a past month does not change when an item is reopened, resolved
or given a new time limit later:

- **Open** means ``open``, ``in_progress`` or ``blocked``. An item becomes
  open on its ``raised_on`` date. Each status event then moves it in or out
  of the open set on the event's date: the UTC date it was recorded, except
  for the item's current resolution, which counts on its ``resolved_on``
  date (``resolve --on`` may date it back). An earlier resolution that was
  later reopened counts on the day it was recorded.
- **Open at the start** of ``M`` = open at the end of the month before;
  **open at the end** = open at the end of ``M``'s last day (or today).
- **Raised**: items with ``raised_on`` in ``M``.
- **Resolved**: items with a resolution dated in ``M``, even when reopened
  since; an item resolved more than once in ``M`` counts once, by its last
  resolution in ``M`` (which also gives the "how" shown).
- **On time / late**: the resolution date against the time limit in force on
  that day (a limit moved later does not rewrite an earlier resolution).
  **On-time rate** = on time / resolved (none when nothing was resolved).
  **Median days to resolve** = median of resolution date minus raised date
  over the month's resolutions.
- **Dropped** / **reopened**: items with a drop / reopen event in ``M``
  (distinct items).
- **Overdue at the end**: open at the end of ``M`` with the time limit then in
  force before that day, i.e. the light on ``M``'s last day would be red.
- **Chains active**: chains created by ``M``'s last day and not archived by
  it; each is expected to hold a scheduling meeting in ``M`` (the rule of
  ``schedule missing``). **Meetings held** = expected chains with at least one
  scheduling entry for ``M`` (a follow-up meeting does not count twice).

What needs action is shown as it stands today (``today``): each chain's open
items with their lights, the items needing the chain leader's attention
(overdue by more than the escalation window, or blocked), the current chain
leader, responsible person and team, and the institutions' "open now" and
"overdue now". Lights come from ``domain.lights.light``, as in
``bottleneck list``. Each chain's lists stop at ``list_limit`` items; its
figures always count them all.

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

The statements are portable SQL text run through a ``chainlead.reader.Reader``
(as ``domain.views``): on a SQLite file the standard library's ``sqlite3``, so
the reports never import SQLAlchemy there; on PostgreSQL, or for a caller
holding a session (``chainlead demo``), through the ORM session.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from chainlead.domain.lights import (
    RED,
    YELLOW,
    days_over,
    light,
)
from chainlead.errors import InvalidInput
from chainlead.reader import Reader, like_anywhere, moment, reader
from chainlead.values import month_bounds, month_of, parse_month, shift_month
from chainlead.vocabulary import DONE_STATUSES, LEADER, OPEN_STATUSES, RESPONSIBLE, SCHEDULING

if TYPE_CHECKING:
    from sqlmodel import Session

TREND_MONTHS = 12
LIST_LIMIT = 20  # items listed per chain and list (the figures always count them all)

# Overview figures, in the order they are shown; "better" says which way is good.
FIGURE_KEYS: tuple[tuple[str, str], ...] = (
    ("chains_active", "none"),
    ("meetings_held", "up"),
    ("meetings_expected", "none"),
    ("open_at_start", "down"),
    ("raised", "none"),
    ("resolved", "up"),
    ("resolved_on_time", "up"),
    ("resolved_late", "down"),
    ("dropped", "none"),
    ("reopened", "down"),
    ("open_at_end", "down"),
    ("overdue_at_end", "down"),
    ("on_time_rate", "up"),
    ("median_days_to_resolve", "down"),
)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Figure:
    """One overview figure: this month, the month before, and the change."""

    key: str
    value: int | float | None
    previous: int | float | None
    change: int | float | None
    better: str  # "up", "down" or "none": which direction of change is good


@dataclass(frozen=True)
class TrendMonth:
    month: str
    raised: int
    resolved: int
    open_at_end: int


@dataclass(frozen=True)
class MeetingFigureLine:
    """A key figure of a meeting, with the chain's value for the month before."""

    name: str
    value: str  # exact decimal text, as recorded
    unit: str | None
    previous: str | None
    change: str | None  # value - previous as exact decimal text with a sign


@dataclass(frozen=True)
class MeetingLine:
    key: str
    kind: str
    held_on: date
    chair: str | None
    summary: str | None
    attendees: tuple[str, ...]
    decisions: tuple[str, ...]
    figures: tuple[MeetingFigureLine, ...]


@dataclass(frozen=True)
class ItemLine:
    """An item as it stands today, with its light."""

    key: str
    title: str
    enterprise: str | None
    unit: str
    owner: str | None
    priority: str
    status: str
    light: str
    raised_on: date
    due_on: date
    days_over: int  # past the time limit (positive) or left (negative), to today


@dataclass(frozen=True)
class ResolvedLine:
    """A resolution dated in the month, and how the problem was solved."""

    key: str
    title: str
    enterprise: str | None
    unit: str
    owner: str | None
    resolved_on: date
    due_on: date  # the time limit in force on that day
    on_time: bool
    days_to_resolve: int
    how: str | None
    status: str  # the item's status today (it may have been reopened since)


@dataclass(frozen=True)
class ChainFigures:
    raised: int
    resolved: int
    resolved_on_time: int
    open_now: int
    red_now: int
    yellow_now: int
    green_now: int
    attention_now: int


@dataclass(frozen=True)
class ChainSection:
    code: str
    name: str
    status: str
    archived_on: date | None
    leader: str | None
    responsible: str | None
    team_size: int
    light: str  # the chain's worst open light today: red, yellow, green or none
    expected_meeting: bool
    meeting_held: bool  # a scheduling entry is on record for the month
    meetings: tuple[MeetingLine, ...]
    figures: ChainFigures  # full counts; the lists below stop at the report's list_limit
    raised: tuple[ItemLine, ...]  # raised in the month, by raised date
    resolved: tuple[ResolvedLine, ...]  # resolved in the month, by resolved date
    open_items: tuple[ItemLine, ...]  # open today, red first (by time limit)
    attention: tuple[ItemLine, ...]  # open today, blocked or overdue past escalation


@dataclass(frozen=True)
class UnitRow:
    """One responsible institution in the supervision table."""

    unit: str
    open_now: int
    resolved: int
    resolved_on_time: int
    on_time_rate: float | None
    overdue_now: int
    longest_overdue_days: int | None
    longest_overdue_key: str | None


@dataclass(frozen=True)
class MonthlyReport:
    district: str
    month: str
    first_day: date
    last_day: date
    as_of: date  # the month's last day, or today for the current month
    today: date
    previous_month: str
    chain: str | None  # the chain asked for with --chain, else None (whole district)
    warning_days: int
    escalation_days: int
    list_limit: int  # items listed per chain and list at most
    overview: tuple[Figure, ...]  # empty for a one-chain report
    trend: tuple[TrendMonth, ...]
    chains: tuple[ChainSection, ...]
    units: tuple[UnitRow, ...]  # empty for a one-chain report


@dataclass(frozen=True)
class OverdueLine:
    key: str
    chain: str
    chain_name: str
    chain_leader: str | None
    title: str
    enterprise: str | None
    owner: str | None
    status: str
    due_on: date
    days_over: int
    escalate: bool  # over the escalation window: the chain leader steps in


@dataclass(frozen=True)
class UnitOverdue:
    unit: str
    items: tuple[OverdueLine, ...]


@dataclass(frozen=True)
class OverdueReport:
    today: date
    escalation_days: int
    unit: str | None
    chain: str | None
    total: int
    units: tuple[UnitOverdue, ...]


# --------------------------------------------------------------------------- months


def default_month(today: date) -> str:
    """The previous complete month."""
    return shift_month(month_of(today), -1)


def report_month(text: str | None, *, today: date) -> str:
    """``--month``: a real ``YYYY-MM`` up to the current month (default: the previous one)."""
    if text is None:
        return default_month(today)
    month = parse_month("--month", text)
    if month > month_of(today):
        raise InvalidInput(
            "--month", f"expected a month up to the current one ({month_of(today)})", text
        )
    return month


def _chain_id(db: Reader, code: str | None) -> int | None:
    """``--chain``: the chain's id (refused when there is no such chain), else None."""
    if code is None:
        return None
    from chainlead.domain.views import chain_id

    return chain_id(db, code=code, field="--chain")


def _month_no(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7])


def _month_text(number: int) -> str:
    return f"{(number - 1) // 12:04d}-{(number - 1) % 12 + 1:02d}"


def _start(day: date) -> datetime:
    return datetime.combine(day, time())


def _in(prefix: str, values: Iterable[object]) -> tuple[str, dict[str, object]]:
    """``(:p0, :p1, ...)`` and its parameters, for ``IN``."""
    names = {f"{prefix}{n}": value for n, value in enumerate(values)}
    return "(" + ", ".join(f":{name}" for name in names) + ")", names


_OPEN = "(" + ", ".join(f"'{status}'" for status in OPEN_STATUSES) + ")"


_DAYS: dict[str, date] = {}  # SQLite's date text -> date (a report reads the same days often)


def _to_date(value: Any) -> date:
    """A date as the driver returns it: text on SQLite, ``date`` on PostgreSQL."""
    if isinstance(value, str):
        found = _DAYS.get(value)
        if found is None:
            found = _DAYS[value] = date.fromisoformat(value[:10])
            if len(_DAYS) > 100_000:
                _DAYS.clear()
        return found
    if isinstance(value, datetime):
        return value.date()
    return value  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- history


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


def _chunks(ids: Iterable[int], size: int = 500) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


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


# --------------------------------------------------------------------------- meetings and teams


def _current_team(db: Reader, chain_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    team: dict[int, dict[str, Any]] = {c: {"size": 0} for c in chain_ids}
    within, params = _in("c", chain_ids)
    rows = db.rows(
        "SELECT m.chain_id, m.role, p.name FROM membership m "
        "JOIN person p ON p.id = m.person_id "
        f"WHERE m.until IS NULL AND m.chain_id IN {within}",
        params,
    )
    for chain_id, role, name in rows:
        holder = team.setdefault(chain_id, {"size": 0})
        if role in (LEADER, RESPONSIBLE):
            holder[role] = name
        if role != LEADER:
            holder["size"] += 1
    return team


def _decimal_change(value: str, previous: str | None) -> str | None:
    if previous is None:
        return None
    from decimal import Decimal, InvalidOperation  # (only meetings with figures need it)

    try:
        change = Decimal(value) - Decimal(previous)
    except InvalidOperation:
        return None
    text = format(change.normalize() if change == change.to_integral() else change, "f")
    if change > 0:
        return "+" + text
    if change == 0:
        return "0"
    return text


def _meetings(db: Reader, chain_ids: Sequence[int], month: str) -> dict[int, list[MeetingLine]]:
    """The month's meetings per chain, figures compared with the month before."""
    previous_month = shift_month(month, -1)
    within, params = _in("c", chain_ids)
    rows = db.rows(
        'SELECT m.id, m.chain_id, m."key", m.kind, m.month, m.held_on, p.name, m.summary '
        "FROM meeting m LEFT JOIN person p ON p.id = m.chair_id "
        f"WHERE m.chain_id IN {within} AND m.month IN (:month, :previous) "
        "ORDER BY m.held_on, m.number",
        {**params, "month": month, "previous": previous_month},
    )
    ids = [r[0] for r in rows]
    decisions: dict[int, list[str]] = defaultdict(list)
    attendees: dict[int, list[str]] = defaultdict(list)
    figures: dict[int, list[tuple[str, str, str | None]]] = defaultdict(list)
    for chunk in _chunks(ids):
        of, params = _in("m", chunk)
        for meeting_id, text in db.rows(
            f"SELECT meeting_id, text FROM meeting_decision WHERE meeting_id IN {of} "
            "ORDER BY meeting_id, position",
            params,
        ):
            decisions[meeting_id].append(text)
        for meeting_id, name in db.rows(
            f"SELECT meeting_id, name FROM meeting_attendee WHERE meeting_id IN {of} "
            "ORDER BY meeting_id, position",
            params,
        ):
            attendees[meeting_id].append(name)
        for meeting_id, name, value, unit in db.rows(
            f"SELECT meeting_id, name, value, unit FROM meeting_figure WHERE meeting_id IN {of} "
            "ORDER BY meeting_id, id",
            params,
        ):
            figures[meeting_id].append((name, value, unit))
    # The chain's value of each figure in the month before: its latest meeting's.
    before: dict[tuple[int, str], str] = {}
    for meeting_id, chain_id, _key, _kind, meeting_month, *_ in rows:
        if meeting_month == previous_month:
            for name, value, _unit in figures[meeting_id]:
                before[(chain_id, name)] = value
    out: dict[int, list[MeetingLine]] = defaultdict(list)
    for meeting_id, chain_id, key, kind, meeting_month, held_on, chair, summary in rows:
        if meeting_month != month:
            continue
        out[chain_id].append(
            MeetingLine(
                key=key,
                kind=kind,
                held_on=_to_date(held_on),
                chair=chair,
                summary=summary,
                attendees=tuple(attendees[meeting_id]),
                decisions=tuple(decisions[meeting_id]),
                figures=tuple(
                    MeetingFigureLine(
                        name=name,
                        value=value,
                        unit=unit,
                        previous=before.get((chain_id, name)),
                        change=_decimal_change(value, before.get((chain_id, name))),
                    )
                    for name, value, unit in figures[meeting_id]
                ),
            )
        )
    return out


# --------------------------------------------------------------------------- today's work and lists


_DETAILS = (
    'SELECT i.id, i."key", i.title, i.enterprise, i.unit, p.name, i.priority, i.status, '
    "i.raised_on, i.due_on, i.resolved_on, i.resolution "
    "FROM item i LEFT JOIN person p ON p.id = i.owner_id WHERE i.id IN "
)


def _details(db: Reader, ids: Iterable[int]) -> dict[int, Any]:
    """The shown items' fields, in one query per 500 items."""
    out: dict[int, Any] = {}
    for chunk in _chunks(set(ids)):
        within, params = _in("i", chunk)
        for row in db.rows(_DETAILS + within, params):
            out[row[0]] = row
    return out


def _item_line(row: Any, today: date, warning_days: int) -> ItemLine:
    _, key, title, enterprise, unit, owner, priority, status, raised, due, resolved, _how = row
    due = _to_date(due)
    resolved = _to_date(resolved) if resolved is not None else None
    finished = resolved if status in DONE_STATUSES else None
    return ItemLine(
        key=key,
        title=title,
        enterprise=enterprise,
        unit=unit,
        owner=owner,
        priority=priority,
        status=status,
        light=light(
            status=status,
            due_on=due,
            resolved_on=resolved,
            today=today,
            warning_days=warning_days,
        ),
        raised_on=_to_date(raised),
        due_on=due,
        days_over=days_over(due_on=due, resolved_on=finished, today=today),
    )


def _first_per_chain(
    db: Reader,
    where: str,
    params: dict[str, object],
    order: str,
    limit: int,
    *,
    counted: bool = False,
) -> tuple[dict[int, list[int]], dict[int, int]]:
    """The ids of the first ``limit`` items of each chain matching ``where``, in
    order, and (``counted``) how many items of each chain match."""
    total = "count(*) OVER (PARTITION BY chain_id)" if counted else "0"
    ids: dict[int, list[int]] = defaultdict(list)
    totals: dict[int, int] = {}
    for item_id, chain_id, matching in db.rows(
        "SELECT id, chain_id, total FROM (SELECT id, chain_id, "
        f"row_number() OVER (PARTITION BY chain_id ORDER BY {order}) AS position, "
        f"{total} AS total FROM item WHERE {where}"
        ") ranked WHERE position <= :limit ORDER BY chain_id, position",
        {**params, "limit": limit},
    ):
        ids[chain_id].append(item_id)
        totals[chain_id] = int(matching)
    return ids, totals


def _open_counts(
    db: Reader,
    chain_ids: Sequence[int],
    *,
    today: date,
    warning_days: int,
    escalation_days: int,
) -> dict[int, dict[str, int]]:
    """Today's open items per chain by light, and how many need the chain leader."""
    # An open item's light follows its time limit alone (lights.light): red when
    # past due, yellow within the warning window. Counting by due date here
    # gives the lights bottleneck list shows (a test holds the two together).
    within, params = _in("c", chain_ids)
    rows = db.rows(
        "SELECT chain_id, count(*), "
        "sum(CASE WHEN due_on < :today THEN 1 ELSE 0 END), "
        "sum(CASE WHEN due_on >= :today AND due_on <= :warn THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN {_NEEDS_LEADER} THEN 1 ELSE 0 END) "
        f"FROM item WHERE status IN {_OPEN} AND chain_id IN {within} GROUP BY chain_id",
        {
            **params,
            "today": today,
            "warn": today + timedelta(days=warning_days),
            "escalate": _escalation_day(today, escalation_days),
        },
    )
    counts: dict[int, dict[str, int]] = {}
    for chain_id, total, red, yellow, attention in rows:
        counts[chain_id] = {
            "open": int(total),
            "red": int(red or 0),
            "yellow": int(yellow or 0),
            "green": int(total) - int(red or 0) - int(yellow or 0),
            "attention": int(attention or 0),
        }
    return counts


# Blocked, or overdue by more than the escalation window (``:escalate``).
_NEEDS_LEADER = "(status = 'blocked' OR due_on < :escalate)"


def _escalation_day(today: date, escalation_days: int) -> date:
    """Items due before this day are overdue by more than the escalation window."""
    return today - timedelta(days=escalation_days)


def _units(db: Reader, today: date, resolutions: Sequence[_Resolution]) -> tuple[UnitRow, ...]:
    """The supervision table: open and overdue now, the month's resolutions."""
    now: dict[str, tuple[int, int, date | None]] = {}
    for unit, total, overdue, earliest in db.rows(
        "SELECT unit, count(*), sum(CASE WHEN due_on < :today THEN 1 ELSE 0 END), "
        f"min(due_on) FROM item WHERE status IN {_OPEN} GROUP BY unit",
        {"today": today},
    ):
        now[unit] = (int(total), int(overdue or 0), _to_date(earliest) if earliest else None)
    # Each institution's longest overdue item: of its open items due on its
    # earliest day, the first by chain and number (one index lookup each).
    earliest = {unit: due for unit, (_, overdue, due) in now.items() if overdue and due}
    longest_keys: dict[str, str] = {}
    if earliest:
        pairs = ", ".join(f"(:u{n}, :d{n})" for n in range(len(earliest)))
        params: dict[str, object] = {}
        for n, (unit, due) in enumerate(earliest.items()):
            params[f"u{n}"], params[f"d{n}"] = unit, due
        first: dict[str, tuple[int, int]] = {}
        for unit, key, chain, number in db.rows(
            'SELECT i.unit, i."key", i.chain_id, i.number '
            f"FROM (VALUES {pairs}) AS w JOIN item i "
            f"ON i.unit = w.column1 AND i.due_on = w.column2 WHERE i.status IN {_OPEN}",
            params,
        ):
            if unit not in first or (chain, number) < first[unit]:
                first[unit] = (chain, number)
                longest_keys[unit] = key
    resolved: dict[str, list[_Resolution]] = defaultdict(list)
    for found in resolutions:
        resolved[found.unit].append(found)
    out = []
    for unit in set(now) | set(resolved):
        total, overdue, earliest = now.get(unit, (0, 0, None))
        done = resolved.get(unit, [])
        on_time = sum(1 for r in done if r.on_time)
        longest = (today - earliest).days if overdue and earliest else None
        out.append(
            UnitRow(
                unit=unit,
                open_now=total,
                resolved=len(done),
                resolved_on_time=on_time,
                on_time_rate=_rate(on_time, len(done)),
                overdue_now=overdue,
                longest_overdue_days=longest,
                longest_overdue_key=longest_keys.get(unit) if longest else None,
            )
        )
    out.sort(key=lambda u: (-u.overdue_now, -(u.longest_overdue_days or 0), -u.open_now, u.unit))
    return tuple(out)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _median(values: list[int]) -> float:
    """``statistics.median``, as a float (that module pulls in fractions, decimal
    and random: more than a report's start-up should carry)."""
    values.sort()
    middle = len(values) // 2
    if len(values) % 2:
        return float(values[middle])
    return (values[middle - 1] + values[middle]) / 2


def _median_days(resolutions: Sequence[_Resolution]) -> float | None:
    if not resolutions:
        return None
    return _median([(r.resolved_on - r.raised_on).days for r in resolutions])


def _change(value: int | float | None, previous: int | float | None) -> int | float | None:
    if value is None or previous is None:
        return None
    difference = value - previous
    return round(difference, 4) if isinstance(difference, float) else difference


def _resolved_line(found: _Resolution, row: Any) -> ResolvedLine:
    _, key, title, enterprise, unit, owner, _p, status, _r, _d, _res, how_now = row
    return ResolvedLine(
        key=key,
        title=title,
        enterprise=enterprise,
        unit=unit,
        owner=owner,
        resolved_on=found.resolved_on,
        due_on=found.due_then,
        on_time=found.on_time,
        days_to_resolve=(found.resolved_on - found.raised_on).days,
        how=how_now if found.how_from_row else found.how,
        status=status,
    )


class _Chain(NamedTuple):
    id: int
    code: str
    name: str
    status: str
    created_on: date
    archived_on: date | None


def _chains(db: Reader) -> list[_Chain]:
    return [
        _Chain(
            id=chain_id,
            code=code,
            name=name,
            status=status,
            created_on=moment(created_at).date(),
            archived_on=_to_date(archived) if archived is not None else None,
        )
        for chain_id, code, name, status, created_at, archived in db.rows(
            "SELECT id, code, name, status, created_at, archived_on FROM chain ORDER BY code"
        )
    ]


def _in_report(chain: _Chain, first: date, last: date) -> bool:
    """The chain existed at some point in the month."""
    return chain.created_on <= last and (chain.archived_on is None or chain.archived_on >= first)


def _expected(chain: _Chain, last: date) -> bool:
    """Expected to hold the month's scheduling meeting (as ``schedule missing``)."""
    return chain.created_on <= last and (chain.archived_on is None or chain.archived_on > last)


LIGHT_RANK = {RED: 0, YELLOW: 1, "green": 2, "none": 3}


# --------------------------------------------------------------------------- the reports


def monthly_report(
    source: Reader | Session,
    *,
    today: date,
    month: str | None = None,
    chain: str | None = None,
    district: str = "",
    warning_days: int = 7,
    escalation_days: int = 30,
    list_limit: int = LIST_LIMIT,
) -> MonthlyReport:
    """Everything the monthly report shows, counted once (see the module doc).

    ``month`` defaults to the previous complete month. With ``chain`` the
    report covers that chain only: its trend and its panel (no overview, no
    institutions table). Each chain's lists show at most ``list_limit`` items;
    its figures always count them all. ``source`` is a Reader or an ORM session.
    """
    db = reader(source)
    month = report_month(month, today=today)
    first, last = month_bounds(month)
    as_of = min(last, today)
    previous = shift_month(month, -1)
    previous_first, previous_last = month_bounds(previous)
    month_no = _month_no(month)
    trend_first = month_bounds(shift_month(month, 1 - TREND_MONTHS))[0]

    chain_id = _chain_id(db, chain)
    all_chains = _chains(db)
    if chain_id is not None:
        chains = [c for c in all_chains if c.id == chain_id]
    else:
        chains = [c for c in all_chains if _in_report(c, first, last)]
    chain_ids = [c.id for c in chains]

    # History: rows, corrected by the few items whose recent history departs from them.
    history = _history(db, since=trend_first, chain_id=chain_id)
    dropped = _dropped(db, chain_id)
    daily = _daily(db, chain_id, dropped)
    open_series = _OpenSeries(daily, history)
    moves = _monthly_moves(daily, history)
    raised_by_month = _by_month(daily.raised)
    resolutions = _resolutions(
        db, first=previous_first, last=as_of, chain_id=chain_id, history=history
    )
    this_month = resolutions.get(month_no, [])

    trend = []
    for offset in range(TREND_MONTHS - 1, -1, -1):
        number = month_no - offset
        closing = month_bounds(_month_text(number))[1]
        trend.append(
            TrendMonth(
                month=_month_text(number),
                raised=raised_by_month.get(number, 0),
                resolved=moves["resolved"].get(number, 0),
                open_at_end=open_series.at(min(closing, as_of)),
            )
        )

    # Per chain: the month's meetings and items (lists capped), today's open work.
    raised_counts: dict[int, int] = {}
    shown: dict[str, dict[int, list[int]]] = {}
    counts: dict[int, dict[str, int]] = {}
    meetings: dict[int, list[MeetingLine]] = {}
    team: dict[int, dict[str, Any]] = {}
    if chain_ids:
        # A one-chain report filters by its chain; the district report reads every
        # chain's rows (so the date indexes serve) and keeps those it shows.
        in_month = "raised_on >= :first AND raised_on <= :as_of"
        month_params: dict[str, object] = {"first": first, "as_of": as_of}
        if chain_id is not None:
            in_month += " AND chain_id = :chain"
            month_params["chain"] = chain_id
        shown["raised"], raised_counts = _first_per_chain(
            db, in_month, month_params, "raised_on, id", list_limit, counted=True
        )
        # Open work is found through the (chain, status, due) index.
        listed, params = _in("c", chain_ids)
        is_open = f"chain_id IN {listed} AND status IN {_OPEN}"
        shown["open"], _ = _first_per_chain(db, is_open, params, "due_on, id", list_limit)
        shown["attention"], _ = _first_per_chain(
            db,
            f"{is_open} AND {_NEEDS_LEADER}",
            {**params, "escalate": _escalation_day(today, escalation_days)},
            "due_on, id",
            list_limit,
        )
        counts = _open_counts(
            db,
            chain_ids,
            today=today,
            warning_days=warning_days,
            escalation_days=escalation_days,
        )
        meetings = _meetings(db, chain_ids, month)
        team = _current_team(db, chain_ids)
    resolved_by_chain: dict[int, list[_Resolution]] = defaultdict(list)
    for found in this_month:
        resolved_by_chain[found.chain_id].append(found)
    shown["resolved"] = {
        c: [r.item_id for r in found[:list_limit]] for c, found in resolved_by_chain.items()
    }
    details = _details(
        db, (i for lists in shown.values() for c in chain_ids for i in lists.get(c, []))
    )

    def lines(kind: str, chain_key: int) -> tuple[ItemLine, ...]:
        return tuple(
            _item_line(details[i], today, warning_days) for i in shown[kind].get(chain_key, [])
        )

    sections = []
    for c in chains:
        key = c.id
        assert key is not None
        chain_counts = counts.get(key, {})
        done = resolved_by_chain.get(key, [])
        worst = RED if chain_counts.get("red") else YELLOW if chain_counts.get("yellow") else None
        worst = worst or ("green" if chain_counts.get("open") else "none")
        month_meetings = meetings.get(key, [])
        members = team.get(key, {})
        sections.append(
            ChainSection(
                code=c.code,
                name=c.name,
                status=c.status,
                archived_on=c.archived_on,
                leader=members.get(LEADER),
                responsible=members.get(RESPONSIBLE),
                team_size=members.get("size", 0),
                light=worst,
                expected_meeting=_expected(c, last),
                meeting_held=any(m.kind == SCHEDULING for m in month_meetings),
                meetings=tuple(month_meetings),
                figures=ChainFigures(
                    raised=raised_counts.get(key, 0),
                    resolved=len(done),
                    resolved_on_time=sum(1 for r in done if r.on_time),
                    open_now=chain_counts.get("open", 0),
                    red_now=chain_counts.get("red", 0),
                    yellow_now=chain_counts.get("yellow", 0),
                    green_now=chain_counts.get("green", 0),
                    attention_now=chain_counts.get("attention", 0),
                ),
                raised=lines("raised", key),
                resolved=tuple(_resolved_line(r, details[r.item_id]) for r in done[:list_limit]),
                open_items=lines("open", key),
                attention=lines("attention", key),
            )
        )
    sections.sort(key=lambda s: (LIGHT_RANK.get(s.light, 9), s.code))

    overview: tuple[Figure, ...] = ()
    units: tuple[UnitRow, ...] = ()
    if chain_id is None:
        overdue = _overdue_at(
            db, (previous_last, as_of), chain_id=None, dropped=dropped, history=history
        )
        held: dict[str, set[int]] = defaultdict(set)
        for held_chain, meeting_month in db.rows(
            "SELECT DISTINCT chain_id, month FROM meeting "
            "WHERE kind = :kind AND month IN (:month, :previous)",
            {"kind": SCHEDULING, "month": month, "previous": previous},
        ):
            held[meeting_month].add(held_chain)

        def figures_for(
            number: int, closing: date, ending: date, done: list[_Resolution], met: set[int]
        ) -> dict[str, int | float | None]:
            expected = [c for c in all_chains if _expected(c, ending)]
            on_time = sum(1 for r in done if r.on_time)
            opening = month_bounds(_month_text(number))[0] - timedelta(days=1)
            return {
                "chains_active": len(expected),
                "meetings_held": sum(1 for c in expected if c.id in met),
                "meetings_expected": len(expected),
                "open_at_start": open_series.at(opening),
                "raised": raised_by_month.get(number, 0),
                "resolved": len(done),
                "resolved_on_time": on_time,
                "resolved_late": len(done) - on_time,
                "dropped": moves["dropped"].get(number, 0),
                "reopened": moves["reopened"].get(number, 0),
                "open_at_end": open_series.at(closing),
                "overdue_at_end": overdue[closing],
                "on_time_rate": _rate(on_time, len(done)),
                "median_days_to_resolve": _median_days(done),
            }

        now_figures = figures_for(month_no, as_of, last, this_month, held[month])
        before_figures = figures_for(
            month_no - 1,
            previous_last,
            previous_last,
            resolutions.get(month_no - 1, []),
            held[previous],
        )
        overview = tuple(
            Figure(
                key=key,
                value=now_figures[key],
                previous=before_figures[key],
                change=_change(now_figures[key], before_figures[key]),
                better=better,
            )
            for key, better in FIGURE_KEYS
        )
        units = _units(db, today, this_month)

    return MonthlyReport(
        district=district,
        month=month,
        first_day=first,
        last_day=last,
        as_of=as_of,
        today=today,
        previous_month=previous,
        chain=chains[0].code if chain_id is not None else None,
        warning_days=warning_days,
        escalation_days=escalation_days,
        list_limit=list_limit,
        overview=overview,
        trend=tuple(trend),
        chains=tuple(sections),
        units=units,
    )


_OVERDUE = (
    'SELECT i."key", c.code, c.name, leaders.name, i.title, i.enterprise, o.name, i.status, '
    "i.unit, i.due_on, i.resolved_on FROM item i "
    "JOIN chain c ON c.id = i.chain_id "
    "LEFT JOIN (SELECT m.chain_id AS chain_id, p.name AS name FROM membership m "
    "JOIN person p ON p.id = m.person_id WHERE m.role = :leader AND m.until IS NULL) leaders "
    "ON leaders.chain_id = i.chain_id "
    "LEFT JOIN person o ON o.id = i.owner_id "
    f"WHERE i.status IN {_OPEN} AND i.due_on < :today"
)


def overdue_report(
    source: Reader | Session,
    *,
    today: date,
    warning_days: int = 7,
    escalation_days: int = 30,
    unit: str | None = None,
    chain: str | None = None,
) -> OverdueReport:
    """Every red item today, grouped by responsible institution, most overdue first.

    ``unit`` matches the institution case-insensitively anywhere in its name
    (as ``bottleneck list --unit``); ``chain`` keeps one chain. ``source`` is a
    Reader or an ORM session.
    """
    from chainlead.values import check_name, normalize_code

    db = reader(source)
    sql = _OVERDUE
    params: dict[str, object] = {"leader": LEADER, "today": today}
    unit_text = None
    if unit is not None:
        unit_text = check_name("--unit", unit) or ""
        sql += " AND lower(i.unit) LIKE :unit ESCAPE '/'"
        params["unit"] = like_anywhere(unit_text.lower())
    chain_code = None
    if chain is not None:
        params["chain"] = _chain_id(db, chain)
        chain_code = normalize_code(chain, "--chain")
        sql += " AND i.chain_id = :chain"
    sql += " ORDER BY i.unit, i.due_on, c.code, i.number"
    grouped: dict[str, list[OverdueLine]] = defaultdict(list)
    total = 0
    for (
        key,
        code,
        name,
        leader,
        title,
        enterprise,
        owner_name,
        status,
        unit_name,
        due,
        res,
    ) in db.rows(sql, params):
        due = _to_date(due)
        lit = light(
            status=status,
            due_on=due,
            resolved_on=_to_date(res) if res is not None else None,
            today=today,
            warning_days=warning_days,
        )
        if lit != RED:  # pragma: no cover - the query selects exactly the red items
            continue
        over = days_over(due_on=due, resolved_on=None, today=today)
        grouped[unit_name].append(
            OverdueLine(
                key=key,
                chain=code,
                chain_name=name,
                chain_leader=leader,
                title=title,
                enterprise=enterprise,
                owner=owner_name,
                status=status,
                due_on=due,
                days_over=over,
                escalate=over > escalation_days,
            )
        )
        total += 1
    units = sorted(
        (UnitOverdue(unit=u, items=tuple(items)) for u, items in grouped.items()),
        key=lambda g: (-len(g.items), -g.items[0].days_over, g.unit),
    )
    return OverdueReport(
        today=today,
        escalation_days=escalation_days,
        unit=unit_text,
        chain=chain_code,
        total=total,
        units=tuple(units),
    )
