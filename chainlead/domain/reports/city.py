"""``city_report``: the city's comparison of its districts, one row per district.

Each district's row is read off its own monthly report (``monthly_report``,
run on the district's schema with the same month and settings), so the city
report never counts a thing differently from what a district prints:

- **chains**: chains active in the month (the overview's ``chains_active``);
- **meetings held** / **expected**: chains with their scheduling meeting on record
  for the month, of those expected to hold one;
- **new** / **resolved** / **resolved on time**: the overview's ``raised``,
  ``resolved`` and ``resolved_on_time``; **on-time rate** = on time / resolved;
- **办结率** (done rate): the scoreboard's year-to-date figure: items raised since
  1 January (dropped ones aside) and those of them resolved or closed by the
  report's ``as_of``;
- **red items**: open items red today (the scoreboard's ``red_now``);
- **satisfaction** (满意率): follow-ups satisfied or basically satisfied of those
  asked up to the month's end;
- **escalations at level >= 3**: open items on the supervision ladder at level 3
  (督办函) or above today (the ladder table);
- **trend**: the district's trend months (raised, resolved, open at month end).

The city row sums the districts' counts; its rates are worked out from the sums
(never averaged). Districts are ranked by 办结率, then on-time rate, then
satisfaction (a rate of none, where nothing was counted, last), then by code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from chainlead.domain.reports.model import (
    DoneRate,
    MonthlyReport,
    SatisfactionRate,
    TrendMonth,
)

HIGH_LEVEL = 3  # escalations counted from level 3 (督办函) up


@dataclass(frozen=True)
class DistrictRow:
    """One district's line of the city report, or the city's total (code ``""``)."""

    code: str
    name: str
    rank: int | None  # 1 = first; None for the total
    chains: int
    meetings_held: int
    meetings_expected: int
    raised: int
    resolved: int
    resolved_on_time: int
    on_time_rate: float | None
    done: DoneRate  # 办结率, year to date
    red_now: int
    satisfaction: SatisfactionRate
    escalated_high: int  # open items at ladder level >= 3 today
    trend: tuple[TrendMonth, ...]


@dataclass(frozen=True)
class CityReport:
    month: str
    as_of: date  # the month's figures run to this day
    today: date  # lights and escalations as of this day
    rows: tuple[DistrictRow, ...]  # ranked
    total: DistrictRow


def _figure(report: MonthlyReport, key: str) -> int:
    found = next((f.value for f in report.overview if f.key == key), None)
    return int(found or 0)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def district_row(code: str, name: str, report: MonthlyReport) -> DistrictRow:
    """District ``code``'s line, read off its whole-district monthly report."""
    board = report.scoreboard
    if board is None or report.chain is not None:
        raise ValueError("a district's row needs its whole-district monthly report")
    total = board.total
    return DistrictRow(
        code=code,
        name=name,
        rank=None,
        chains=_figure(report, "chains_active"),
        meetings_held=_figure(report, "meetings_held"),
        meetings_expected=_figure(report, "meetings_expected"),
        raised=_figure(report, "raised"),
        resolved=_figure(report, "resolved"),
        resolved_on_time=_figure(report, "resolved_on_time"),
        on_time_rate=_rate(_figure(report, "resolved_on_time"), _figure(report, "resolved")),
        done=total.done_year,
        red_now=total.red_now,
        satisfaction=total.satisfaction,
        escalated_high=sum(sum(row.levels[HIGH_LEVEL - 1 :]) for row in report.ladder),
        trend=report.trend,
    )


def _last(rate: float | None) -> tuple[int, float]:
    """A sort key putting higher rates first and no rate last."""
    return (1, 0.0) if rate is None else (0, -rate)


def _ranked(rows: Sequence[DistrictRow]) -> list[DistrictRow]:
    from dataclasses import replace

    ordered = sorted(
        rows,
        key=lambda r: (
            _last(r.done.rate),
            _last(r.on_time_rate),
            _last(r.satisfaction.rate),
            r.code,
        ),
    )
    return [replace(row, rank=number) for number, row in enumerate(ordered, start=1)]


def _trend_total(rows: Sequence[DistrictRow]) -> tuple[TrendMonth, ...]:
    months: dict[str, list[int]] = {}
    for row in rows:
        for point in row.trend:
            sums = months.setdefault(point.month, [0, 0, 0])
            sums[0] += point.raised
            sums[1] += point.resolved
            sums[2] += point.open_at_end
    return tuple(TrendMonth(m, *months[m]) for m in sorted(months))


def _total(rows: Sequence[DistrictRow]) -> DistrictRow:
    def add(field: str) -> int:
        return sum(getattr(row, field) for row in rows)

    raised = sum(r.done.raised for r in rows)
    done = sum(r.done.resolved for r in rows)
    asked = sum(r.satisfaction.asked for r in rows)
    satisfied = sum(r.satisfaction.satisfied for r in rows)
    return DistrictRow(
        code="",
        name="",
        rank=None,
        chains=add("chains"),
        meetings_held=add("meetings_held"),
        meetings_expected=add("meetings_expected"),
        raised=add("raised"),
        resolved=add("resolved"),
        resolved_on_time=add("resolved_on_time"),
        on_time_rate=_rate(add("resolved_on_time"), add("resolved")),
        done=DoneRate(raised=raised, resolved=done, rate=_rate(done, raised)),
        red_now=add("red_now"),
        satisfaction=SatisfactionRate(
            asked=asked, satisfied=satisfied, rate=_rate(satisfied, asked)
        ),
        escalated_high=add("escalated_high"),
        trend=_trend_total(rows),
    )


def city_report(rows: Sequence[DistrictRow], *, month: str, as_of: date, today: date) -> CityReport:
    """The districts' rows ranked (see the module doc), and the city's total."""
    return CityReport(
        month=month, as_of=as_of, today=today, rows=tuple(_ranked(rows)), total=_total(rows)
    )
