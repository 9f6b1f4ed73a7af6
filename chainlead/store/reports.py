"""The reports' reads: counts per chain and per institution, the first items
of each chain's lists, the items and meetings the panels show, and the
history a month's replay needs.

Statements and row mappers only: ``domain.reports`` keeps the rules (what a
month counts, the replay of an item's history, the lights). The reports also
read through ``chains.every_chain`` and ``find_chain`` and
``teams.current_holders``.

Each statement runs once per report, never once per item; lists of ids are
read 500 at a time. Dates come back as ``date`` and times as ``datetime``
whatever the backend.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from typing import NamedTuple

from chainlead.clock import local_day
from chainlead.store.connection import (
    Reader,
    chunks,
    day,
    day_or_none,
    like_anywhere,
    moment,
    placeholders,
)
from chainlead.store.history import standing
from chainlead.vocabulary import LEADER, OPEN_STATUSES

# ``status IN OPEN``: not yet resolved (open, in progress or blocked).
OPEN = "(" + ", ".join(f"'{status}'" for status in OPEN_STATUSES) + ")"

# Needs the chain leader: blocked, or due before ``:escalate`` (overdue by more
# than the escalation window).
_NEEDS_LEADER = "(status = 'blocked' OR due_on < :escalate)"


def of_chain(sql: str, params: dict[str, object], chain_id: int | None, column: str) -> str:
    """``sql`` narrowed to one chain when ``chain_id`` is given (its parameter added)."""
    if chain_id is None:
        return sql
    params["chain"] = chain_id
    return f"{sql} AND {column} = :chain"


# --------------------------------------------------------------------------- items and meetings
#
# Reads of one family, kept here rather than in items.py and meetings.py:
# those modules hold the records of the lists, cards and snapshots, about 7 ms
# of start-up a report would pay for nothing.


class ReportItem(NamedTuple):
    """An item as a report lists it, with its owner's name."""

    id: int
    key: str
    title: str
    enterprise: str | None
    unit: str
    owner: str | None
    priority: str
    status: str
    raised_on: date
    due_on: date
    resolved_on: date | None
    resolution: str | None
    # The clock its light reads (``domain.lights``): limit, receipt, suspension.
    clock_due: date | None = None
    receipt_due: date | None = None
    suspended_on: date | None = None
    suspended_until: date | None = None


def items_by_id(db: Reader, ids: Iterable[int]) -> dict[int, ReportItem]:
    """These items by id, in one statement per 500 items."""
    out: dict[int, ReportItem] = {}
    for part in chunks(set(ids)):
        within, params = placeholders("i", part)
        for row in db.rows(
            'SELECT i.id, i."key", i.title, i.enterprise, i.unit, p.name, i.priority, '
            "i.status, i.raised_on, i.due_on, i.resolved_on, i.resolution, i.clock_due, "
            "i.receipt_due, i.suspended_on, i.suspended_until "
            f"FROM item i LEFT JOIN person p ON p.id = i.owner_id WHERE i.id IN {within}",
            params,
        ):
            out[row[0]] = ReportItem(
                *row[:8],
                day(row[8]),
                day(row[9]),
                day_or_none(row[10]),
                row[11],
                *(day_or_none(value) for value in row[12:16]),
            )
    return out


class MonthMeeting(NamedTuple):
    """A meeting as the monthly report shows it, with its chair's name."""

    id: int
    chain_id: int
    key: str
    kind: str
    month: str
    held_on: date
    chair: str | None
    summary: str | None


def meetings_in_months(
    db: Reader, chain_ids: Sequence[int], months: Sequence[str]
) -> list[MonthMeeting]:
    """These chains' meetings entered for these months, by day held and number."""
    chains, params = placeholders("c", chain_ids)
    within, month_params = placeholders("month", months)
    return [
        MonthMeeting(meeting_id, chain_id, key, kind, month, day(held_on), chair, summary)
        for meeting_id, chain_id, key, kind, month, held_on, chair, summary in db.rows(
            'SELECT m.id, m.chain_id, m."key", m.kind, m.month, m.held_on, p.name, m.summary '
            "FROM meeting m LEFT JOIN person p ON p.id = m.chair_id "
            f"WHERE m.chain_id IN {chains} AND m.month IN {within} "
            "ORDER BY m.held_on, m.number",
            {**params, **month_params},
        )
    ]


class MeetingParts(NamedTuple):
    """Meetings' decisions and attendees in order, and figures (name, value, unit)
    in the order entered, by meeting id."""

    decisions: dict[int, list[str]]
    attendees: dict[int, list[str]]
    figures: dict[int, list[tuple[str, str, str | None]]]


def meeting_parts(db: Reader, meeting_ids: Iterable[int]) -> MeetingParts:
    """The parts of these meetings, three statements per 500 meetings."""
    parts = MeetingParts(defaultdict(list), defaultdict(list), defaultdict(list))
    for chunk in chunks(meeting_ids):
        of, params = placeholders("m", chunk)
        for meeting_id, text in db.rows(
            f"SELECT meeting_id, text FROM meeting_decision WHERE meeting_id IN {of} "
            "ORDER BY meeting_id, position",
            params,
        ):
            parts.decisions[meeting_id].append(text)
        for meeting_id, name in db.rows(
            f"SELECT meeting_id, name FROM meeting_attendee WHERE meeting_id IN {of} "
            "ORDER BY meeting_id, position",
            params,
        ):
            parts.attendees[meeting_id].append(name)
        for meeting_id, name, value, unit in db.rows(
            f"SELECT meeting_id, name, value, unit FROM meeting_figure WHERE meeting_id IN {of} "
            "ORDER BY meeting_id, id",
            params,
        ):
            parts.figures[meeting_id].append((name, value, unit))
    return parts


# --------------------------------------------------------------------------- today's open work


class OpenCounts(NamedTuple):
    """A chain's open items today."""

    open: int
    past_due: int  # due before today
    due_soon: int  # due from today to the end of the warning window
    needs_leader: int  # blocked, or due before the escalation day


def open_counts(
    db: Reader,
    chain_ids: Sequence[int],
    *,
    today: date,
    warn_until: date,
    escalate_before: date,
) -> dict[int, OpenCounts]:
    """Each chain's open items today, by time limit (chains without any are left out)."""
    within, params = placeholders("c", chain_ids)
    rows = db.rows(
        "SELECT chain_id, count(*), "
        # red and yellow as the lights read them: by the clock, suspended items aside
        "sum(CASE WHEN clock_due < :today AND suspended_on IS NULL THEN 1 ELSE 0 END), "
        "sum(CASE WHEN clock_due >= :today AND clock_due <= :warn AND suspended_on IS NULL "
        "THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN {_NEEDS_LEADER} THEN 1 ELSE 0 END) "
        f"FROM item WHERE status IN {OPEN} AND chain_id IN {within} GROUP BY chain_id",
        {**params, "today": today, "warn": warn_until, "escalate": escalate_before},
    )
    return {
        chain_id: OpenCounts(int(total), int(red or 0), int(yellow or 0), int(attention or 0))
        for chain_id, total, red, yellow, attention in rows
    }


# --------------------------------------------------------------------------- ranked lists


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
    ``order``, and (``counted``) how many items of each chain match."""
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


def raised_first(
    db: Reader, *, first: date, last: date, chain_id: int | None, limit: int
) -> tuple[dict[int, list[int]], dict[int, int]]:
    """Per chain, the ids of the first ``limit`` items raised from ``first`` to
    ``last`` (by raised date), and how many it raised then."""
    # A one-chain report filters by its chain; the district report reads every
    # chain's rows (so the date indexes serve) and keeps those it shows.
    params: dict[str, object] = {"first": first, "as_of": last}
    where = of_chain("raised_on >= :first AND raised_on <= :as_of", params, chain_id, "chain_id")
    return _first_per_chain(db, where, params, "raised_on, id", limit, counted=True)


def open_first(db: Reader, chain_ids: Sequence[int], *, limit: int) -> dict[int, list[int]]:
    """Per chain, the ids of its first ``limit`` open items by time limit."""
    # Open work is found through the (chain, status, due) index.
    within, params = placeholders("c", chain_ids)
    where = f"chain_id IN {within} AND status IN {OPEN}"
    return _first_per_chain(db, where, params, "due_on, id", limit)[0]


def needing_leader_first(
    db: Reader, chain_ids: Sequence[int], *, escalate_before: date, limit: int
) -> dict[int, list[int]]:
    """Per chain, the ids of its first ``limit`` open items that need the chain
    leader (blocked, or due before ``escalate_before``), by time limit."""
    within, params = placeholders("c", chain_ids)
    where = f"chain_id IN {within} AND status IN {OPEN} AND {_NEEDS_LEADER}"
    params["escalate"] = escalate_before
    return _first_per_chain(db, where, params, "due_on, id", limit)[0]


# --------------------------------------------------------------------------- history


class HistoryMark(NamedTuple):
    """A reopening, or a change of an item's time limit."""

    item_id: int
    reopened: bool  # else the time limit changed
    at: datetime
    old_due: date | None  # the time limit before the change


def history_marks(db: Reader, *, since: datetime, chain_id: int | None) -> list[HistoryMark]:
    """Reopenings and time-limit changes recorded from ``since`` on (two searches
    of the event index by kind and time)."""
    params: dict[str, object] = {"since": since}
    sql = of_chain(
        "SELECT item_id, kind, at, old FROM event "
        "WHERE at >= :since AND item_id IS NOT NULL "
        f"AND (kind = 'reopened' OR (kind = 'edited' AND field = 'due_on')) AND {standing()}",
        params,
        chain_id,
        "chain_id",
    )
    marks = []
    for item_id, kind, at, old in db.rows(sql, params):
        reopened = kind == "reopened"
        old_due = day(old) if old and not reopened else None
        marks.append(HistoryMark(item_id, reopened, moment(at), old_due))
    return marks


class ItemState(NamedTuple):
    """An item's row as a replay starts from it."""

    id: int
    chain_id: int
    number: int
    unit: str
    raised_on: date
    due_on: date
    resolved_on: date | None
    status: str


class StatusEvent(NamedTuple):
    """A change of an item's status."""

    kind: str
    old: str | None
    new: str | None
    at: datetime
    text: str | None


def items_to_replay(
    db: Reader, ids: set[int]
) -> tuple[dict[int, ItemState], dict[int, list[StatusEvent]]]:
    """These items' rows, and each one's status events in the order recorded."""
    items: dict[int, ItemState] = {}
    events: dict[int, list[StatusEvent]] = defaultdict(list)
    for part in chunks(ids):
        within, params = placeholders("i", part)
        for item_id, chain_id, number, unit, raised, due, resolved, status in db.rows(
            "SELECT id, chain_id, number, unit, raised_on, due_on, resolved_on, status "
            f"FROM item WHERE id IN {within}",
            params,
        ):
            items[item_id] = ItemState(
                item_id,
                chain_id,
                number,
                unit,
                day(raised),
                day(due),
                day_or_none(resolved),
                status,
            )
        for item_id, kind, old, new, at, text in db.rows(
            "SELECT item_id, kind, old, new, at, text FROM event "
            f"WHERE item_id IN {within} AND field = 'status' AND {standing()} "
            "ORDER BY item_id, at, id",
            params,
        ):
            events[item_id].append(StatusEvent(kind, old, new, moment(at), text))
    return items, events


class DroppedItem(NamedTuple):
    """A dropped item as its row reads: dropped on the day of its last drop event."""

    raised_on: date
    due_on: date
    dropped_on: date


def dropped_items(db: Reader, *, chain_id: int | None, zone: tzinfo) -> dict[int, DroppedItem]:
    """Every item dropped now, with the day in ``zone`` it was (last) dropped."""
    params: dict[str, object] = {}
    sql = of_chain(
        "SELECT i.id, i.raised_on, i.due_on, max(e.at) FROM item i "
        "JOIN event e ON e.item_id = i.id "
        "WHERE i.status = 'dropped' AND e.field = 'status' AND e.new = 'dropped'",
        params,
        chain_id,
        "i.chain_id",
    )
    sql += " GROUP BY i.id, i.raised_on, i.due_on"
    return {
        item_id: DroppedItem(day(raised), day(due), local_day(moment(at), zone))
        for item_id, raised, due, at in db.rows(sql, params)
    }


def _per_day(db: Reader, column: str, where: str, chain_id: int | None) -> dict[date, int]:
    params: dict[str, object] = {}
    where = of_chain(where, params, chain_id, "chain_id")
    sql = f"SELECT {column}, count(*) FROM item WHERE {where} GROUP BY {column}"
    return {day(stored): int(n) for stored, n in db.rows(sql, params)}


def raised_per_day(db: Reader, *, chain_id: int | None) -> dict[date, int]:
    """How many items were raised on each day."""
    return _per_day(db, "raised_on", "1 = 1", chain_id)


def resolved_per_day(db: Reader, *, chain_id: int | None) -> dict[date, int]:
    """How many items carry each day as their (current) resolution date."""
    return _per_day(db, "resolved_on", "resolved_on IS NOT NULL", chain_id)


def overdue_by_rows(db: Reader, days: Sequence[date], *, chain_id: int | None) -> dict[date, int]:
    """For each day, the items whose row says they were open at its end with a time
    limit before it: those open now, and those resolved after the first day.
    Dropped items are not counted (their rows do not say when they were dropped)."""
    params: dict[str, object] = {"latest": max(days), "earliest": min(days)}
    sums = []
    for n, asked in enumerate(days):
        params[f"d{n}"] = asked
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
    # after the first day asked about.
    open_now = counted(f"status IN {OPEN}")
    resolved_later = counted("resolved_on > :earliest")
    return {asked: a + b for asked, a, b in zip(days, open_now, resolved_later, strict=True)}


class ResolvedRow(NamedTuple):
    """An item whose (current) resolution date falls in the days asked about."""

    id: int
    chain_id: int
    number: int
    unit: str
    raised_on: date
    resolved_on: date
    due_on: date


def resolved_between(
    db: Reader, *, first: date, last: date, chain_id: int | None
) -> list[ResolvedRow]:
    """Items resolved (by their row) from ``first`` to ``last``."""
    params: dict[str, object] = {"first": first, "last": last}
    sql = of_chain(
        "SELECT id, chain_id, number, unit, raised_on, resolved_on, due_on FROM item "
        "WHERE resolved_on >= :first AND resolved_on <= :last",
        params,
        chain_id,
        "chain_id",
    )
    return [
        ResolvedRow(item_id, chain, number, unit, day(raised), day(resolved), day(due))
        for item_id, chain, number, unit, raised, resolved, due in db.rows(sql, params)
    ]


# --------------------------------------------------------------------------- institutions


class UnitOpen(NamedTuple):
    """An institution's open items today."""

    open: int
    past_due: int  # due before today
    earliest_due: date | None


def open_per_unit(db: Reader, *, today: date) -> dict[str, UnitOpen]:
    """Each institution's open items today (institutions without any are left out)."""
    return {
        unit: UnitOpen(int(total), int(overdue or 0), day(earliest) if earliest else None)
        for unit, total, overdue, earliest in db.rows(
            "SELECT unit, count(*), sum(CASE WHEN due_on < :today THEN 1 ELSE 0 END), "
            f"min(due_on) FROM item WHERE status IN {OPEN} GROUP BY unit",
            {"today": today},
        )
    }


def first_due_keys(db: Reader, due: Mapping[str, date]) -> dict[str, str]:
    """For each institution, of its open items due on the day given, the key of
    the first by chain and number (one index lookup each)."""
    if not due:
        return {}
    pairs = ", ".join(f"(:u{n}, :d{n})" for n in range(len(due)))
    params: dict[str, object] = {}
    for n, (unit, due_on) in enumerate(due.items()):
        params[f"u{n}"], params[f"d{n}"] = unit, due_on
    first: dict[str, tuple[int, int]] = {}
    keys: dict[str, str] = {}
    for unit, key, chain, number in db.rows(
        'SELECT i.unit, i."key", i.chain_id, i.number '
        f"FROM (VALUES {pairs}) AS w JOIN item i "
        f"ON i.unit = w.column1 AND i.due_on = w.column2 WHERE i.status IN {OPEN}",
        params,
    ):
        if unit not in first or (chain, number) < first[unit]:
            first[unit] = (chain, number)
            keys[unit] = key
    return keys


# --------------------------------------------------------------------------- the overdue report


class PastDueRow(NamedTuple):
    """An open item past its time limit, with its chain and whom to escalate to."""

    key: str
    chain: str
    chain_name: str
    chain_leader: str | None
    title: str
    enterprise: str | None
    owner: str | None
    status: str
    unit: str
    due_on: date
    resolved_on: date | None
    level: int = 0  # the supervision ladder
    clock_due: date | None = None  # the date its light reads (see ``domain.lights``)


_PAST_DUE = (
    'SELECT i."key", c.code, c.name, leaders.name, i.title, i.enterprise, o.name, i.status, '
    "i.unit, i.due_on, i.resolved_on, i.level, i.clock_due FROM item i "
    "JOIN chain c ON c.id = i.chain_id "
    "LEFT JOIN (SELECT m.chain_id AS chain_id, p.name AS name FROM membership m "
    "JOIN person p ON p.id = m.person_id WHERE m.role = :leader AND m.until IS NULL) leaders "
    "ON leaders.chain_id = i.chain_id "
    "LEFT JOIN person o ON o.id = i.owner_id "
    f"WHERE i.status IN {OPEN} AND i.clock_due < :today AND i.suspended_on IS NULL"
)


def open_past_due(
    db: Reader, *, today: date, unit: str | None, chain_id: int | None
) -> list[PastDueRow]:
    """Open items whose clock is before ``today`` (red, as lists show them; suspended
    items aside), by institution, time limit, chain and number;
    ``unit``: only institutions whose name holds it (any case); ``chain_id``: one chain."""
    sql = _PAST_DUE
    params: dict[str, object] = {"leader": LEADER, "today": today}
    if unit is not None:
        sql += " AND lower(i.unit) LIKE :unit ESCAPE '/'"
        params["unit"] = like_anywhere(unit.lower())
    sql = of_chain(sql, params, chain_id, "i.chain_id")
    sql += " ORDER BY i.unit, i.due_on, c.code, i.number"
    return [
        PastDueRow(*row[:9], day(row[9]), day_or_none(row[10]), int(row[11]), day(row[12]))
        for row in db.rows(sql, params)
    ]
