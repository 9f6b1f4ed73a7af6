"""``monthly_report``: everything the monthly report shows, counted once.

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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from chainlead.domain.lights import RED, YELLOW
from chainlead.domain.reports.history import (
    _by_month,
    _daily,
    _dropped,
    _history,
    _monthly_moves,
    _OpenSeries,
    _overdue_at,
    _Resolution,
    _resolutions,
)
from chainlead.domain.reports.model import (
    FIGURE_KEYS,
    LEADER,
    LIST_LIMIT,
    RESPONSIBLE,
    SCHEDULING,
    TREND_MONTHS,
    ChainFigures,
    ChainSection,
    Figure,
    ItemLine,
    MeetingLine,
    MonthlyReport,
    TrendMonth,
    UnitRow,
)
from chainlead.domain.reports.reading import _OPEN, _in, _to_date
from chainlead.domain.reports.scope import _chain_id, _month_no, _month_text, report_month
from chainlead.domain.reports.sections import (
    _NEEDS_LEADER,
    LIGHT_RANK,
    _chains,
    _current_team,
    _details,
    _escalation_day,
    _expected,
    _first_per_chain,
    _in_report,
    _item_line,
    _meetings,
    _open_counts,
    _resolved_line,
)
from chainlead.reader import Reader, reader
from chainlead.values import month_bounds, shift_month

if TYPE_CHECKING:
    from sqlmodel import Session


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
