"""The monthly report and the overdue report, as plain data.

``monthly_report`` is the one place the monthly figures are counted; every
output form (terminal, HTML, SVG, Markdown, JSON) draws what it returns. It
aggregates in SQL (a fixed number of queries, never one per item) and returns
frozen dataclasses.

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
``bottleneck list``.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    and_,
    case,
    cast,
    extract,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from chainlead.domain.chains import LEADER, RESPONSIBLE, get_chain
from chainlead.domain.lights import (
    DONE_STATUSES,
    OPEN_STATUSES,
    RED,
    YELLOW,
    days_open,
    days_over,
    light,
)
from chainlead.errors import InvalidInput
from chainlead.models import (
    Chain,
    Event,
    Item,
    Meeting,
    MeetingAttendee,
    MeetingDecision,
    MeetingFigure,
    Membership,
    Person,
)
from chainlead.values import month_bounds, month_of, parse_month, shift_month

SCHEDULING = "scheduling"
TREND_MONTHS = 12
OPEN_LIMIT = 20  # open items listed per chain (the count always covers all)

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
    open_at_end: int
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
    figures: ChainFigures
    raised: tuple[ItemLine, ...]
    resolved: tuple[ResolvedLine, ...]
    open_items: tuple[ItemLine, ...]  # red first (by time limit), at most OPEN_LIMIT
    attention: tuple[ItemLine, ...]


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


def _month_no(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7])


def _month_text(number: int) -> str:
    return f"{(number - 1) // 12:04d}-{(number - 1) % 12 + 1:02d}"


def _month_expr(column: Any) -> ColumnElement[int]:
    """year * 12 + month of a date column, with no bound parameters (PostgreSQL GROUP BY)."""
    return cast(extract("year", column), Integer) * literal_column("12") + cast(
        extract("month", column), Integer
    )


def _start(day: date) -> datetime:
    return datetime.combine(day, time())


def _rows(session: Session, statement: Any) -> list[Any]:
    return list(session.connection().execute(statement).all())


def _to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# --------------------------------------------------------------------------- history in SQL


def _status_events(chain_id: int | None) -> Any:
    """Every status change of every item with its effective date and open-set delta."""
    last = (
        select(Event.item_id, func.max(Event.at).label("last_at"))
        .where(Event.kind == "resolved", Event.item_id.is_not(None))  # type: ignore[union-attr]
        .group_by(Event.item_id)
        .subquery("last_resolved")
    )
    current_resolution = and_(
        Event.kind == "resolved",
        Event.at == last.c.last_at,
        Item.status.in_(DONE_STATUSES),  # type: ignore[attr-defined]
        Item.resolved_on.is_not(None),  # type: ignore[union-attr]
    )
    eff = case(
        (current_resolution, Item.resolved_on),
        else_=func.date(Event.at, type_=Date),
    )
    now_open = func.coalesce(Event.new, "").in_(OPEN_STATUSES)
    was_open = func.coalesce(Event.old, "").in_(OPEN_STATUSES)
    delta = case(
        (and_(now_open, not_(was_open)), 1),
        (and_(was_open, not_(now_open)), -1),
        else_=0,
    )
    query = (
        select(
            Event.item_id.label("item_id"),
            Item.chain_id.label("chain_id"),
            eff.label("eff"),
            Event.kind.label("kind"),
            Event.new.label("new"),
            Event.at.label("at"),
            Event.text.label("text"),
            delta.label("delta"),
        )
        .join(Item, Item.id == Event.item_id)
        .outerjoin(last, last.c.item_id == Event.item_id)
        .where(Event.field == "status")
    )
    if chain_id is not None:
        query = query.where(Item.chain_id == chain_id)
    return query.subquery("status_events")


def _transitions(events: Any, chain_id: int | None) -> Any:
    """Moves into (+1) and out of (-1) the open set: raising, then status events."""
    raised = select(
        Item.id.label("item_id"),
        Item.chain_id.label("chain_id"),
        Item.raised_on.label("eff"),
        literal(1).label("delta"),
    )
    if chain_id is not None:
        raised = raised.where(Item.chain_id == chain_id)
    moved = select(events.c.item_id, events.c.chain_id, events.c.eff, events.c.delta).where(
        events.c.delta != 0
    )
    return union_all(raised, moved).subquery("transitions")


# --------------------------------------------------------------------------- pieces


@dataclass
class _Resolution:
    item_id: int
    chain_id: int
    key: str
    number: int
    title: str
    enterprise: str | None
    unit: str
    owner: str | None
    raised_on: date
    due_now: date
    status: str
    resolved_on: date
    at: datetime
    how: str | None
    due_then: date = date.min

    @property
    def on_time(self) -> bool:
        return self.resolved_on <= self.due_then


def _due_edits(session: Session, since: date, chain_id: int | None) -> dict[int, list]:
    """Time-limit changes recorded from ``since`` on, per item, oldest first."""
    query = (
        select(Event.item_id, Event.at, Event.old)
        .where(
            Event.kind == "edited",
            Event.field == "due_on",
            Event.item_id.is_not(None),  # type: ignore[union-attr]
            Event.at >= _start(since),
        )
        .order_by(Event.item_id, Event.at, Event.id)
    )
    if chain_id is not None:
        query = query.where(Event.chain_id == chain_id)
    edits: dict[int, list] = defaultdict(list)
    for item_id, at, old in _rows(session, query):
        edits[item_id].append((at, old))
    return edits


def _due_on_day(item_id: int, due_now: date, day: date, edits: dict[int, list]) -> date:
    """The time limit in force at the end of ``day``: the old value of the first later edit."""
    cutoff = _start(day + timedelta(days=1))
    for at, old in edits.get(item_id, ()):
        if at >= cutoff and old:
            return _to_date(old)
    return due_now


def _resolutions(
    session: Session, events: Any, first: date, last: date, edits: dict[int, list]
) -> dict[str, list[_Resolution]]:
    """Per month (of ``first``..``last``): each item's last resolution dated in that month."""
    query = (
        select(
            events.c.item_id,
            events.c.chain_id,
            Item.key,
            Item.number,
            Item.title,
            Item.enterprise,
            Item.unit,
            Person.name,
            Item.raised_on,
            Item.due_on,
            Item.status,
            events.c.eff,
            events.c.at,
            events.c.text,
        )
        .join(Item, Item.id == events.c.item_id)
        .outerjoin(Person, Person.id == Item.owner_id)
        .where(events.c.new == "resolved", events.c.eff >= first, events.c.eff <= last)
    )
    latest: dict[tuple[str, int], _Resolution] = {}
    for row in _rows(session, query):
        found = _Resolution(
            item_id=row[0],
            chain_id=row[1],
            key=row[2],
            number=row[3],
            title=row[4],
            enterprise=row[5],
            unit=row[6],
            owner=row[7],
            raised_on=_to_date(row[8]),
            due_now=_to_date(row[9]),
            status=row[10],
            resolved_on=_to_date(row[11]),
            at=row[12],
            how=row[13],
        )
        slot = (month_of(found.resolved_on), found.item_id)
        held = latest.get(slot)
        if held is None or (found.resolved_on, found.at) > (held.resolved_on, held.at):
            latest[slot] = found
    by_month: dict[str, list[_Resolution]] = defaultdict(list)
    for (month, _), found in latest.items():
        found.due_then = _due_on_day(found.item_id, found.due_now, found.resolved_on, edits)
        by_month[month].append(found)
    for month in by_month:
        by_month[month].sort(key=lambda r: (r.resolved_on, r.key.split("-")[0], r.number))
    return by_month


def _open_counts(session: Session, transitions: Any, as_of: date) -> dict[tuple[int, int], int]:
    """Net moves into the open set per (chain id, month number), up to ``as_of``."""
    month = _month_expr(transitions.c.eff)
    query = (
        select(transitions.c.chain_id, month, func.sum(transitions.c.delta))
        .where(transitions.c.eff <= as_of)
        .group_by(transitions.c.chain_id, month)
    )
    return {(chain_id, m): int(total or 0) for chain_id, m, total in _rows(session, query)}


def _open_at(net: dict[tuple[int, int], int], month_no: int, chain_ids: Iterable[int]) -> int:
    wanted = set(chain_ids)
    return sum(v for (c, m), v in net.items() if m <= month_no and c in wanted)


def _overdue_at_end(
    session: Session,
    transitions: Any,
    days: Sequence[date],
    edits: dict[int, list],
) -> dict[date, int]:
    """Items open at the end of each day in ``days`` whose time limit then was before it."""
    sums = [
        func.sum(case((transitions.c.eff <= day, transitions.c.delta), else_=0)).label(f"s{i}")
        for i, day in enumerate(days)
    ]
    per_item = (
        select(transitions.c.item_id, *sums).group_by(transitions.c.item_id).subquery("per_item")
    )
    edited = set(edits)
    counts = {day: 0 for day in days}
    for i, day in enumerate(days):
        column = per_item.c[f"s{i}"]
        query = (
            select(Item.id, Item.due_on)
            .join(per_item, per_item.c.item_id == Item.id)
            .where(column > 0, Item.raised_on <= day)
        )
        candidates = Item.due_on < day
        if edited:
            candidates = or_(candidates, Item.id.in_(sorted(edited)))  # type: ignore[union-attr]
        for item_id, due in _rows(session, query.where(candidates)):
            if _due_on_day(item_id, _to_date(due), day, edits) < day:
                counts[day] += 1
    return counts


def _moves(session: Session, events: Any, first: date, last: date) -> dict[tuple[int, str], int]:
    """Distinct items dropped / reopened per (month number, "dropped" | "reopened")."""
    month = _month_expr(events.c.eff)
    query = (
        select(month, events.c.kind, events.c.new, events.c.item_id)
        .where(
            or_(events.c.kind == "reopened", events.c.new == "dropped"),
            events.c.eff >= first,
            events.c.eff <= last,
        )
        .distinct()
    )
    items: dict[tuple[int, str], set[int]] = defaultdict(set)
    for m, kind, _new, item_id in _rows(session, query):
        items[(m, "reopened" if kind == "reopened" else "dropped")].add(item_id)
    return {slot: len(ids) for slot, ids in items.items()}


def _current_team(session: Session, chain_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    team: dict[int, dict[str, Any]] = {c: {"size": 0} for c in chain_ids}
    rows = _rows(
        session,
        select(Membership.chain_id, Membership.role, Person.name)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.until.is_(None),  # type: ignore[union-attr]
            Membership.chain_id.in_(chain_ids),  # type: ignore[attr-defined]
        ),
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


def _meetings(
    session: Session, chain_ids: Sequence[int], month: str
) -> dict[int, list[MeetingLine]]:
    """The month's meetings per chain, figures compared with the month before."""
    previous_month = shift_month(month, -1)
    rows = _rows(
        session,
        select(
            Meeting.id,
            Meeting.chain_id,
            Meeting.key,
            Meeting.kind,
            Meeting.month,
            Meeting.held_on,
            Person.name,
            Meeting.summary,
        )
        .outerjoin(Person, Person.id == Meeting.chair_id)
        .where(
            Meeting.chain_id.in_(chain_ids),  # type: ignore[attr-defined]
            Meeting.month.in_((month, previous_month)),  # type: ignore[attr-defined]
        )
        .order_by(Meeting.held_on, Meeting.number),
    )
    ids = [r[0] for r in rows]
    decisions: dict[int, list[str]] = defaultdict(list)
    attendees: dict[int, list[str]] = defaultdict(list)
    figures: dict[int, list[tuple[str, str, str | None]]] = defaultdict(list)
    if ids:
        for meeting_id, text in _rows(
            session,
            select(MeetingDecision.meeting_id, MeetingDecision.text)
            .where(MeetingDecision.meeting_id.in_(ids))  # type: ignore[attr-defined]
            .order_by(MeetingDecision.meeting_id, MeetingDecision.position),
        ):
            decisions[meeting_id].append(text)
        for meeting_id, name in _rows(
            session,
            select(MeetingAttendee.meeting_id, MeetingAttendee.name)
            .where(MeetingAttendee.meeting_id.in_(ids))  # type: ignore[attr-defined]
            .order_by(MeetingAttendee.meeting_id, MeetingAttendee.position),
        ):
            attendees[meeting_id].append(name)
        for meeting_id, name, value, unit in _rows(
            session,
            select(
                MeetingFigure.meeting_id,
                MeetingFigure.name,
                MeetingFigure.value,
                MeetingFigure.unit,
            )
            .where(MeetingFigure.meeting_id.in_(ids))  # type: ignore[attr-defined]
            .order_by(MeetingFigure.meeting_id, MeetingFigure.id),
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


_ITEM_COLUMNS = (
    Item.id,
    Item.chain_id,
    Item.key,
    Item.number,
    Item.title,
    Item.enterprise,
    Item.unit,
    Person.name,
    Item.priority,
    Item.status,
    Item.raised_on,
    Item.due_on,
    Item.resolved_on,
)


def _item_line(row: Any, today: date, warning_days: int) -> ItemLine:
    status = row[9]
    due = _to_date(row[11])
    resolved = _to_date(row[12]) if row[12] is not None else None
    finished = resolved if status in DONE_STATUSES else None
    return ItemLine(
        key=row[2],
        title=row[4],
        enterprise=row[5],
        unit=row[6],
        owner=row[7],
        priority=row[8],
        status=status,
        light=light(
            status=status,
            due_on=due,
            resolved_on=resolved,
            today=today,
            warning_days=warning_days,
        ),
        raised_on=_to_date(row[10]),
        due_on=due,
        days_over=days_over(due_on=due, resolved_on=finished, today=today),
    )


def _item_query() -> Any:
    return select(*_ITEM_COLUMNS).outerjoin(Person, Person.id == Item.owner_id)


def _by_chain(rows: Iterable[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row[1]].append(row)
    return grouped


def _open_now(
    session: Session,
    chain_ids: Sequence[int],
    *,
    today: date,
    warning_days: int,
    escalation_days: int,
    limit: int,
) -> tuple[dict[int, list[Any]], dict[int, dict[str, int]], dict[int, list[Any]]]:
    """Today's open work per chain: first ``limit`` items, counts by light, attention."""
    # Lights of open items follow the time limit alone (lights.light): red when
    # past due, yellow within the warning window; so counting by due date here
    # and ordering by due date gives the same lights, red first.
    warn = today + timedelta(days=warning_days)
    counts_query = (
        select(
            Item.chain_id,
            func.count(),
            func.sum(case((Item.due_on < today, 1), else_=0)),
            func.sum(case((and_(Item.due_on >= today, Item.due_on <= warn), 1), else_=0)),
            func.sum(
                case(
                    (
                        or_(
                            Item.status == "blocked",
                            Item.due_on < today - timedelta(days=escalation_days),
                        ),
                        1,
                    ),
                    else_=0,
                )
            ),
        )
        .where(
            Item.status.in_(OPEN_STATUSES),  # type: ignore[attr-defined]
            Item.chain_id.in_(chain_ids),  # type: ignore[attr-defined]
        )
        .group_by(Item.chain_id)
    )
    counts: dict[int, dict[str, int]] = {}
    for chain_id, total, red, yellow, attention in _rows(session, counts_query):
        counts[chain_id] = {
            "open": int(total),
            "red": int(red or 0),
            "yellow": int(yellow or 0),
            "green": int(total) - int(red or 0) - int(yellow or 0),
            "attention": int(attention or 0),
        }
    ranked = (
        select(
            Item.id.label("id"),
            func.row_number()
            .over(partition_by=Item.chain_id, order_by=(Item.due_on, Item.number))
            .label("rank"),
        )
        .where(
            Item.status.in_(OPEN_STATUSES),  # type: ignore[attr-defined]
            Item.chain_id.in_(chain_ids),  # type: ignore[attr-defined]
        )
        .subquery("ranked")
    )
    listed = _rows(
        session,
        _item_query()
        .join(ranked, ranked.c.id == Item.id)
        .where(ranked.c.rank <= limit)
        .order_by(Item.chain_id, Item.due_on, Item.number),
    )
    attention = _rows(
        session,
        _item_query()
        .where(
            Item.status.in_(OPEN_STATUSES),  # type: ignore[attr-defined]
            Item.chain_id.in_(chain_ids),  # type: ignore[attr-defined]
            or_(
                Item.status == "blocked",
                Item.due_on < today - timedelta(days=escalation_days),
            ),
        )
        .order_by(Item.chain_id, Item.due_on, Item.number),
    )
    return _by_chain(listed), counts, _by_chain(attention)


def _units(
    session: Session, today: date, resolutions: Sequence[_Resolution]
) -> tuple[UnitRow, ...]:
    """The supervision table: open and overdue now, the month's resolutions."""
    query = (
        select(
            Item.unit,
            func.count(),
            func.sum(case((Item.due_on < today, 1), else_=0)),
            func.min(Item.due_on),
        )
        .where(Item.status.in_(OPEN_STATUSES))  # type: ignore[attr-defined]
        .group_by(Item.unit)
    )
    now: dict[str, tuple[int, int, date | None]] = {}
    for unit, total, overdue, earliest in _rows(session, query):
        now[unit] = (int(total), int(overdue or 0), _to_date(earliest) if earliest else None)
    longest_keys: dict[str, str] = {}
    overdue_units = [u for u, (_, overdue, _) in now.items() if overdue]
    if overdue_units:
        earliest_due = (
            select(Item.unit.label("unit"), func.min(Item.due_on).label("due"))
            .where(Item.status.in_(OPEN_STATUSES), Item.due_on < today)  # type: ignore[attr-defined]
            .group_by(Item.unit)
            .subquery("earliest_due")
        )
        rows = _rows(
            session,
            select(Item.unit, Item.key)
            .join(
                earliest_due,
                and_(earliest_due.c.unit == Item.unit, earliest_due.c.due == Item.due_on),
            )
            .where(Item.status.in_(OPEN_STATUSES))  # type: ignore[attr-defined]
            .order_by(Item.unit, Item.chain_id, Item.number),
        )
        for unit, key in rows:
            longest_keys.setdefault(unit, key)
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


def _median_days(resolutions: Sequence[_Resolution]) -> float | None:
    if not resolutions:
        return None
    return float(statistics.median((r.resolved_on - r.raised_on).days for r in resolutions))


def _change(value: int | float | None, previous: int | float | None) -> int | float | None:
    if value is None or previous is None:
        return None
    difference = value - previous
    return round(difference, 4) if isinstance(difference, float) else difference


def _resolved_line(found: _Resolution) -> ResolvedLine:
    return ResolvedLine(
        key=found.key,
        title=found.title,
        enterprise=found.enterprise,
        unit=found.unit,
        owner=found.owner,
        resolved_on=found.resolved_on,
        due_on=found.due_then,
        on_time=found.on_time,
        days_to_resolve=days_open(
            raised_on=found.raised_on, resolved_on=found.resolved_on, today=found.resolved_on
        ),
        how=found.how,
        status=found.status,
    )


def _in_report(chain: Chain, first: date, last: date) -> bool:
    """The chain existed at some point in the month."""
    return chain.created_at.date() <= last and (
        chain.archived_on is None or chain.archived_on >= first
    )


def _expected(chain: Chain, last: date) -> bool:
    """Expected to hold the month's scheduling meeting (as ``schedule missing``)."""
    return chain.created_at.date() <= last and (
        chain.archived_on is None or chain.archived_on > last
    )


LIGHT_RANK = {RED: 0, YELLOW: 1, "green": 2, "none": 3}


# --------------------------------------------------------------------------- the reports


def monthly_report(
    session: Session,
    *,
    today: date,
    month: str | None = None,
    chain: str | None = None,
    district: str = "",
    warning_days: int = 7,
    escalation_days: int = 30,
    open_limit: int = OPEN_LIMIT,
) -> MonthlyReport:
    """Everything the monthly report shows, counted once (see the module doc).

    ``month`` defaults to the previous complete month. With ``chain`` the
    report covers that chain only: its trend and its panel (no overview, no
    institutions table).
    """
    month = report_month(month, today=today)
    first, last = month_bounds(month)
    as_of = min(last, today)
    previous = shift_month(month, -1)
    previous_first, previous_last = month_bounds(previous)
    month_no = _month_no(month)
    trend_first = month_bounds(shift_month(month, 1 - TREND_MONTHS))[0]

    only = get_chain(session, code=chain, field="--chain") if chain is not None else None
    chain_id = only.id if only is not None else None
    all_chains = list(session.scalars(select(Chain).order_by(Chain.code)).all())
    chains = [
        c
        for c in all_chains
        if (only is not None and c.id == only.id) or (only is None and _in_report(c, first, last))
    ]
    chain_ids = [c.id for c in chains]
    scope = [only.id] if only is not None else [c.id for c in all_chains]

    events = _status_events(chain_id)
    transitions = _transitions(events, chain_id)
    net = _open_counts(session, transitions, as_of)
    edits = _due_edits(session, min(previous_first, trend_first), chain_id)
    resolutions = _resolutions(session, events, previous_first, as_of, edits)
    this_month = resolutions.get(month, [])

    # Trend: raised, resolved and open at the end of each of the twelve months.
    raised_query = (
        select(_month_expr(Item.raised_on), Item.chain_id, func.count())
        .where(Item.raised_on >= trend_first, Item.raised_on <= as_of)
        .group_by(_month_expr(Item.raised_on), Item.chain_id)
    )
    if chain_id is not None:
        raised_query = raised_query.where(Item.chain_id == chain_id)
    raised_counts: dict[tuple[int, int], int] = {
        (m, c): int(n) for m, c, n in _rows(session, raised_query)
    }
    resolved_month = _month_expr(events.c.eff)
    resolved_query = (
        select(resolved_month, events.c.chain_id, func.count(func.distinct(events.c.item_id)))
        .where(events.c.new == "resolved", events.c.eff >= trend_first, events.c.eff <= as_of)
        .group_by(resolved_month, events.c.chain_id)
    )
    resolved_counts: dict[tuple[int, int], int] = {
        (m, c): int(n) for m, c, n in _rows(session, resolved_query)
    }
    trend = []
    for offset in range(TREND_MONTHS - 1, -1, -1):
        number = month_no - offset
        trend.append(
            TrendMonth(
                month=_month_text(number),
                raised=sum(n for (m, _), n in raised_counts.items() if m == number),
                resolved=sum(n for (m, _), n in resolved_counts.items() if m == number),
                open_at_end=_open_at(net, number, scope),
            )
        )

    # Per chain: the month's meetings and items, today's open work.
    meetings = _meetings(session, chain_ids, month) if chain_ids else {}
    raised_rows = _by_chain(
        _rows(
            session,
            _item_query()
            .where(
                Item.chain_id.in_(chain_ids),  # type: ignore[attr-defined]
                Item.raised_on >= first,
                Item.raised_on <= as_of,
            )
            .order_by(Item.chain_id, Item.raised_on, Item.number),
        )
    )
    listed, light_counts, attention = _open_now(
        session,
        chain_ids,
        today=today,
        warning_days=warning_days,
        escalation_days=escalation_days,
        limit=open_limit,
    )
    resolved_by_chain: dict[int, list[_Resolution]] = defaultdict(list)
    for found in this_month:
        resolved_by_chain[found.chain_id].append(found)
    team = _current_team(session, chain_ids)
    sections = []
    for c in chains:
        counts = light_counts.get(c.id, {})  # type: ignore[call-overload]
        done = resolved_by_chain.get(c.id, [])  # type: ignore[call-overload]
        worst = RED if counts.get("red") else YELLOW if counts.get("yellow") else None
        worst = worst or ("green" if counts.get("open") else "none")
        month_meetings = meetings.get(c.id, [])  # type: ignore[call-overload]
        members = team.get(c.id, {})  # type: ignore[call-overload]
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
                    raised=len(raised_rows.get(c.id, [])),  # type: ignore[call-overload]
                    resolved=len(done),
                    resolved_on_time=sum(1 for r in done if r.on_time),
                    open_at_end=_open_at(net, month_no, [c.id]),  # type: ignore[list-item]
                    open_now=counts.get("open", 0),
                    red_now=counts.get("red", 0),
                    yellow_now=counts.get("yellow", 0),
                    green_now=counts.get("green", 0),
                    attention_now=counts.get("attention", 0),
                ),
                raised=tuple(
                    _item_line(r, today, warning_days)
                    for r in raised_rows.get(c.id, [])  # type: ignore[call-overload]
                ),
                resolved=tuple(_resolved_line(r) for r in done),
                open_items=tuple(
                    _item_line(r, today, warning_days)
                    for r in listed.get(c.id, [])  # type: ignore[call-overload]
                ),
                attention=tuple(
                    _item_line(r, today, warning_days)
                    for r in attention.get(c.id, [])  # type: ignore[call-overload]
                ),
            )
        )
    sections.sort(key=lambda s: (LIGHT_RANK.get(s.light, 9), s.code))

    overview: tuple[Figure, ...] = ()
    units: tuple[UnitRow, ...] = ()
    if only is None:
        previous_as_of = previous_last
        overdue = _overdue_at_end(session, transitions, (previous_as_of, as_of), edits)
        moves = _moves(session, events, previous_first, as_of)
        held: dict[str, set[int]] = defaultdict(set)
        for held_chain, meeting_month in _rows(
            session,
            select(Meeting.chain_id, Meeting.month)
            .where(
                Meeting.kind == SCHEDULING,
                Meeting.month.in_((month, previous)),  # type: ignore[attr-defined]
            )
            .distinct(),
        ):
            held[meeting_month].add(held_chain)

        def figures_for(
            number: int, closing: date, ending: date, done: list[_Resolution], met: set[int]
        ) -> dict[str, int | float | None]:
            expected = [c for c in all_chains if _expected(c, ending)]
            on_time = sum(1 for r in done if r.on_time)
            return {
                "chains_active": len(expected),
                "meetings_held": sum(1 for c in expected if c.id in met),
                "meetings_expected": len(expected),
                "open_at_start": _open_at(net, number - 1, scope),
                "raised": sum(n for (m, _), n in raised_counts.items() if m == number),
                "resolved": len(done),
                "resolved_on_time": on_time,
                "resolved_late": len(done) - on_time,
                "dropped": moves.get((number, "dropped"), 0),
                "reopened": moves.get((number, "reopened"), 0),
                "open_at_end": _open_at(net, number, scope),
                "overdue_at_end": overdue[closing],
                "on_time_rate": _rate(on_time, len(done)),
                "median_days_to_resolve": _median_days(done),
            }

        now_figures = figures_for(month_no, as_of, last, this_month, held[month])
        before_figures = figures_for(
            month_no - 1,
            previous_as_of,
            previous_last,
            resolutions.get(previous, []),
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
        units = _units(session, today, this_month)

    return MonthlyReport(
        district=district,
        month=month,
        first_day=first,
        last_day=last,
        as_of=as_of,
        today=today,
        previous_month=previous,
        chain=only.code if only is not None else None,
        warning_days=warning_days,
        escalation_days=escalation_days,
        overview=overview,
        trend=tuple(trend),
        chains=tuple(sections),
        units=units,
    )


def overdue_report(
    session: Session,
    *,
    today: date,
    warning_days: int = 7,
    escalation_days: int = 30,
    unit: str | None = None,
    chain: str | None = None,
) -> OverdueReport:
    """Every red item today, grouped by responsible institution, most overdue first.

    ``unit`` matches the institution case-insensitively anywhere in its name
    (as ``bottleneck list --unit``); ``chain`` keeps one chain.
    """
    from chainlead.values import check_name

    leaders = (
        select(Membership.chain_id.label("chain_id"), Person.name.label("leader"))
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.role == LEADER, Membership.until.is_(None))  # type: ignore[union-attr]
        .subquery("leaders")
    )
    owner = Person.__table__.alias("owner")  # type: ignore[attr-defined]
    query = (
        select(
            Item.key,
            Chain.code,
            Chain.name,
            leaders.c.leader,
            Item.title,
            Item.enterprise,
            owner.c.name,
            Item.status,
            Item.unit,
            Item.due_on,
            Item.resolved_on,
        )
        .join(Chain, Chain.id == Item.chain_id)
        .outerjoin(leaders, leaders.c.chain_id == Item.chain_id)
        .outerjoin(owner, owner.c.id == Item.owner_id)
        .where(
            Item.status.in_(OPEN_STATUSES),  # type: ignore[attr-defined]
            Item.due_on < today,
        )
        .order_by(Item.unit, Item.due_on, Chain.code, Item.number)
    )
    unit_text = None
    if unit is not None:
        unit_text = check_name("--unit", unit) or ""
        query = query.where(func.lower(Item.unit).contains(unit_text.lower(), autoescape=True))
    chain_code = None
    if chain is not None:
        found = get_chain(session, code=chain, field="--chain")
        chain_code = found.code
        query = query.where(Item.chain_id == found.id)
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
    ) in _rows(session, query):
        due = _to_date(due)
        lit = light(
            status=status, due_on=due, resolved_on=res, today=today, warning_days=warning_days
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
