"""The district scoreboard (一览表), the key figures' district totals, the red list
(红灯清单) and the institutions' ranking (责任单位排名), counted once for the
monthly report (the dataclasses are in ``reports.model``).

How each is counted
===================

Two time bases, each table saying which it uses:

- **the month, to ``as_of``** (its last day, or today for the current month):
  open at the start, new (raised), resolved, on time, the meeting held, the
  办结率 and satisfaction — counted as the overview counts them, so the
  scoreboard's total row equals the overview's figures;
- **now, on ``today``**: the lights (red / yellow / green, as ``bottleneck list``
  reads them), escalated items and the red list.

- **Rows**: every chain the report shows (it existed in the month), by code,
  and an archived chain that still counts items in the month (open at its
  start, raised or resolved in it, or open now), so the total row is the sum
  of the rows and the district's whole.
- **办结率** (done rate) = items resolved or closed with a resolution date up
  to ``as_of`` over the items raised in the span up to ``as_of``, dropped items
  aside in both; two spans: from 1 January of the report's year, and since
  records began. Read from the items' rows as they stand: an item resolved
  then reopened since counts as not resolved.
- **Escalated**: open items on the supervision ladder (督办, level 1 or above)
  today — not the month's climbs, which the ladder section lists.
- **Key figures**: a chain's value of a figure for a month is the one of its
  last meeting entered for that month; the district's is the sum over chains,
  per figure name and unit. Year to date sums the months from January (the
  figures are the month's amounts, as meetings report them). Figures reported
  in the report's month or the month before are listed; a value is None when
  no chain reported it then.
- **Red list**: every item red today, as ``report overdue`` lists them, the
  most days over first (then chain and number).
- **Ranking**: every institution with items raised in the year, resolutions
  in the year or items open now, ordered by ``model.RANKING_RULE``: 办结率 of the
  year (higher first; none last), then the year's on-time rate (resolutions
  dated from 1 January to ``as_of`` made by the time limit then in force;
  higher first, none last), then more items resolved, then name. Places are
  1, 2, 3 … with no shared place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from chainlead.domain.reports.history import _last_resolution_per_month, _Past
from chainlead.domain.reports.model import (
    NO_FOLLOW_UPS,
    RANKING_RULE,
    ChainName,
    ChainSection,
    DoneRate,
    KeyFigure,
    Ranking,
    RankRow,
    RedLine,
    SatisfactionRate,
    Scoreboard,
    ScoreRow,
    UnitRow,
)
from chainlead.domain.reports.overdue import _overdue_line
from chainlead.domain.reports.scope import _Scope
from chainlead.domain.reports.sections import _Chain, _open_today, _Today
from chainlead.store.connection import Reader
from chainlead.store.enterprises import satisfaction_by_chain_and_unit
from chainlead.store.reports import open_past_due
from chainlead.store.scoreboard import (
    FigureRow,
    ItemCounts,
    current_leaders,
    dropped_days,
    figures_in_months,
    item_counts,
    resolved_per_unit,
)
from chainlead.store.supervision import open_level_counts
from chainlead.values import shift_month


class ScoreboardParts(NamedTuple):
    scoreboard: Scoreboard
    key_figures: tuple[KeyFigure, ...]
    red_list: tuple[RedLine, ...]
    ranking: Ranking | None


def scoreboard_parts(
    db: Reader,
    scope: _Scope,
    all_chains: Sequence[_Chain],
    sections: Sequence[ChainSection],
    past: _Past,
    units: Sequence[UnitRow],
) -> ScoreboardParts:
    """The scoreboard, key figures, red list and (district reports) the ranking."""
    year_first = date(scope.first.year, 1, 1)
    counts = item_counts(
        db,
        by=scope.first - timedelta(days=1),
        first=scope.first,
        last=scope.as_of,
        year_first=year_first,
        chain_id=scope.chain_id,
    )
    scoreboard = _scoreboard(db, scope, all_chains, sections, past, counts, year_first)
    ranking = None
    if scope.chain_id is None:
        ranking = _ranking(db, scope, past, counts, units, year_first)
    return ScoreboardParts(
        scoreboard=scoreboard,
        key_figures=_key_figures(db, scope),
        red_list=_red_list(db, scope),
        ranking=ranking,
    )


# --------------------------------------------------------------------------- the scoreboard


def _done_rate(raised: int, resolved: int) -> DoneRate:
    return DoneRate(raised=raised, resolved=resolved, rate=_rate(resolved, raised))


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _open_at_start(
    db: Reader, scope: _Scope, past: _Past, counts: dict[tuple[int, str], ItemCounts]
) -> tuple[dict[int, int], dict[int, int]]:
    """Per chain: open at the end of the month before (the overview's reading, per
    chain: rows, dropped items, and the replayed items' corrections), and raised in
    the month up to ``as_of``."""
    opening = scope.first - timedelta(days=1)
    open_then: dict[int, int] = defaultdict(int)
    raised: dict[int, int] = defaultdict(int)
    for (chain_id, _unit), found in counts.items():
        open_then[chain_id] += found.raised_by - found.resolved_by
        raised[chain_id] += found.raised_in
    for chain_id, dropped_on in dropped_days(db, chain_id=scope.chain_id, zone=scope.zone):
        if dropped_on <= opening:
            open_then[chain_id] -= 1
    for replay in past.history.replays.values():
        for day, delta in replay.model:
            if day <= opening:
                open_then[replay.chain_id] -= delta
        for day, delta in replay.moves:
            if day <= opening:
                open_then[replay.chain_id] += delta
    return dict(open_then), dict(raised)


def _scoreboard(
    db: Reader,
    scope: _Scope,
    all_chains: Sequence[_Chain],
    sections: Sequence[ChainSection],
    past: _Past,
    counts: dict[tuple[int, str], ItemCounts],
    year_first: date,
) -> Scoreboard:
    chains = [c for c in all_chains if scope.chain_id is None or c.id == scope.chain_id]
    open_then, raised = _open_at_start(db, scope, past, counts)
    resolved: dict[int, list[bool]] = defaultdict(list)  # per chain: each resolution on time?
    for found in past.resolutions.get(scope.number, []):
        resolved[found.chain_id].append(found.on_time)
    today = _open_today(db, [c.id for c in chains], scope) if chains else {}
    levels: dict[int, int] = defaultdict(int)
    for (chain_id, _level), count in open_level_counts(db, scope.chain_id).items():
        levels[chain_id] += count
    per_chain_done: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (chain_id, _unit), found in counts.items():
        total = per_chain_done[chain_id]
        for n, value in enumerate(found[3:]):
            total[n] += value
    asked: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (chain_id, _unit), found in satisfaction_by_chain_and_unit(db, until=scope.last).items():
        asked[chain_id][0] += found.asked
        asked[chain_id][1] += found.satisfied
    leaders = current_leaders(db)
    shown = {s.code: s for s in sections}
    rows = []
    for chain in chains:
        section = shown.get(chain.code)
        now = today.get(chain.id, _Today())
        month_done = resolved.get(chain.id, [])
        done = per_chain_done.get(chain.id, [0, 0, 0, 0])
        if section is None and not (
            open_then.get(chain.id) or raised.get(chain.id) or month_done or now.open
        ):
            continue
        leader = leaders.get(chain.id)
        on_time = sum(month_done)
        rows.append(
            ScoreRow(
                code=chain.code,
                name=chain.name,
                leader=leader.name if leader else None,
                leader_title=leader.title if leader else None,
                archived_on=chain.archived_on,
                expected_meeting=section.expected_meeting if section else False,
                meeting_held=section.meeting_held if section else False,
                open_at_start=open_then.get(chain.id, 0),
                raised=raised.get(chain.id, 0),
                resolved=len(month_done),
                resolved_on_time=on_time,
                on_time_rate=_rate(on_time, len(month_done)),
                done_year=_done_rate(done[0], done[1]),
                done_all=_done_rate(done[2], done[3]),
                red_now=now.red,
                yellow_now=now.yellow,
                green_now=now.green,
                escalated_now=levels.get(chain.id, 0),
                satisfaction=_satisfied(asked.get(chain.id)),
            )
        )
    return Scoreboard(
        month=scope.month,
        as_of=scope.as_of,
        today=scope.today,
        year_first=year_first,
        rows=tuple(rows),
        total=_total(rows),
        missed=tuple(
            ChainName(r.code, r.name) for r in rows if r.expected_meeting and not r.meeting_held
        ),
    )


def _satisfied(counts: list[int] | None) -> SatisfactionRate:
    if not counts or not counts[0]:
        return NO_FOLLOW_UPS
    return SatisfactionRate(asked=counts[0], satisfied=counts[1], rate=_rate(counts[1], counts[0]))


def _total(rows: Sequence[ScoreRow]) -> ScoreRow:
    """The district's line: every count summed, every rate from the sums."""

    def total(field: str) -> int:
        return sum(getattr(r, field) for r in rows)

    resolved, on_time = total("resolved"), total("resolved_on_time")
    asked = sum(r.satisfaction.asked for r in rows)
    satisfied = sum(r.satisfaction.satisfied for r in rows)
    return ScoreRow(
        code="",
        name="",
        leader=None,
        leader_title=None,
        archived_on=None,
        expected_meeting=any(r.expected_meeting for r in rows),
        meeting_held=all(r.meeting_held for r in rows if r.expected_meeting),
        open_at_start=total("open_at_start"),
        raised=total("raised"),
        resolved=resolved,
        resolved_on_time=on_time,
        on_time_rate=_rate(on_time, resolved),
        done_year=_done_rate(
            sum(r.done_year.raised for r in rows), sum(r.done_year.resolved for r in rows)
        ),
        done_all=_done_rate(
            sum(r.done_all.raised for r in rows), sum(r.done_all.resolved for r in rows)
        ),
        red_now=total("red_now"),
        yellow_now=total("yellow_now"),
        green_now=total("green_now"),
        escalated_now=total("escalated_now"),
        satisfaction=_satisfied([asked, satisfied]),
    )


# --------------------------------------------------------------------------- key figures


def _decimal_text(value: object) -> str:
    from decimal import Decimal

    assert isinstance(value, Decimal)
    return format(value.normalize() if value == value.to_integral() else value, "f")


def _key_figures(db: Reader, scope: _Scope) -> tuple[KeyFigure, ...]:
    """The meetings' key figures summed over chains, per name and unit (module doc)."""
    from decimal import Decimal, InvalidOperation

    year = [f"{scope.first.year:04d}-{m:02d}" for m in range(1, scope.first.month + 1)]
    last_year = shift_month(scope.month, -12)
    months = sorted({*year, scope.previous, last_year})
    latest: dict[tuple[int, str, str], FigureRow] = {}  # (chain, month, name): last meeting's
    for row in figures_in_months(db, months, chain_id=scope.chain_id):
        latest[(row.chain_id, row.month, row.name)] = row
    sums: dict[tuple[str, str | None], dict[str, Decimal]] = defaultdict(dict)
    chains: dict[tuple[str, str | None], int] = defaultdict(int)
    order: list[tuple[str, str | None]] = []
    for (_chain, month, name), row in sorted(latest.items(), key=lambda kv: kv[0]):
        try:
            value = Decimal(row.value)
        except InvalidOperation:
            continue
        key = (name, row.unit)
        found = sums[key]
        found[month] = found.get(month, Decimal(0)) + value
        if month == scope.month:
            chains[key] += 1
        if key not in order and month in (scope.month, scope.previous):
            order.append(key)

    def text(value: Decimal | None) -> str | None:
        return None if value is None else _decimal_text(value)

    out = []
    for key in sorted(order, key=lambda k: (scope.month not in sums[k], k[0], k[1] or "")):
        found = sums[key]
        in_year = [found[m] for m in year if m in found]
        out.append(
            KeyFigure(
                name=key[0],
                unit=key[1],
                value=text(found.get(scope.month)),
                previous=text(found.get(scope.previous)),
                year_to_date=text(sum(in_year, Decimal(0))) if in_year else None,
                year_months=len(in_year),
                last_year=text(found.get(last_year)),
                chains=chains.get(key, 0),
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------- the red list


def _red_list(db: Reader, scope: _Scope) -> tuple[RedLine, ...]:
    """Every item red today, the most days over first (``report overdue``'s items)."""
    lines = []
    for row in open_past_due(db, today=scope.today, unit=None, chain_id=scope.chain_id):
        line = _overdue_line(row, scope.today, scope.warning_days, scope.escalation_days)
        if line is None:  # pragma: no cover - the statement selects exactly the red items
            continue
        lines.append(
            RedLine(
                key=line.key,
                title=line.title,
                chain=line.chain,
                chain_name=line.chain_name,
                unit=row.unit,
                owner=line.owner,
                status=line.status,
                due_on=line.due_on,
                days_over=line.days_over,
                level=line.level,
            )
        )
    lines.sort(key=lambda r: (-r.days_over, r.chain, _number(r.key)))
    return tuple(lines)


def _number(key: str) -> int:
    tail = key.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


# --------------------------------------------------------------------------- the ranking


def _year_resolutions(
    db: Reader, scope: _Scope, past: _Past, first: date
) -> dict[str, tuple[int, int]]:
    """Per institution: the resolutions dated from ``first`` to ``as_of`` and those
    made on time, counted as ``history._resolutions`` counts them (each item's last
    resolution in each month, by the time limit then in force): the rows' counts in
    one grouped statement, corrected for the few items history replays."""
    last, history = scope.as_of, past.history
    found = resolved_per_unit(db, first=first, last=last, chain_id=scope.chain_id)
    out = {unit: [n.resolved, n.on_time] for unit, n in found.items()}
    for item_id, replay in history.replays.items():
        counts = out.setdefault(replay.unit, [0, 0])
        if replay.resolved_on is not None and first <= replay.resolved_on <= last:
            counts[0] -= 1  # what its row says, taken out ...
            counts[1] -= int(replay.resolved_on <= replay.due_on)
        if item_id in history.reopened:  # ... and what history says, put in
            days = [day for day, _how in _last_resolution_per_month(replay, first, last).values()]
        elif replay.resolved_on is not None and first <= replay.resolved_on <= last:
            days = [replay.resolved_on]
        else:
            days = []
        for day in days:
            counts[0] += 1
            counts[1] += int(day <= history.due_on_day(item_id, replay.due_on, day))
    return {unit: (n[0], n[1]) for unit, n in out.items()}


def _ranking(
    db: Reader,
    scope: _Scope,
    past: _Past,
    counts: dict[tuple[int, str], ItemCounts],
    units: Sequence[UnitRow],
    year_first: date,
) -> Ranking:
    """Institutions ranked by ``RANKING_RULE`` (module doc)."""
    raised: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (_chain, unit), found in counts.items():
        raised[unit][0] += found.raised_year
        raised[unit][1] += found.resolved_year
    in_year = _year_resolutions(db, scope, past, year_first)
    now = {u.unit: u for u in units}
    names = {u for u, done in raised.items() if done[0]} | {u for u, n in in_year.items() if n[0]}
    names |= {u.unit for u in units if u.open_now}
    rows = []
    for unit in names:
        done = raised.get(unit, [0, 0])
        made, on_time = in_year.get(unit, (0, 0))
        current = now.get(unit)
        rows.append(
            RankRow(
                rank=0,
                unit=unit,
                done=_done_rate(done[0], done[1]),
                resolved_in_year=made,
                resolved_on_time=on_time,
                on_time_rate=_rate(on_time, made),
                open_now=current.open_now if current else 0,
                overdue_now=current.overdue_now if current else 0,
            )
        )
    rows.sort(
        key=lambda r: (
            r.done.rate is None,
            -(r.done.rate or 0.0),
            r.on_time_rate is None,
            -(r.on_time_rate or 0.0),
            -r.done.resolved,
            r.unit,
        )
    )
    return Ranking(
        year_first=year_first,
        as_of=scope.as_of,
        rule=RANKING_RULE,
        rows=tuple(
            RankRow(
                rank=n,
                unit=r.unit,
                done=r.done,
                resolved_in_year=r.resolved_in_year,
                resolved_on_time=r.resolved_on_time,
                on_time_rate=r.on_time_rate,
                open_now=r.open_now,
                overdue_now=r.overdue_now,
            )
            for n, r in enumerate(rows, 1)
        ),
    )
