"""``monthly_report``: everything the monthly report shows, counted once.

How a month is counted
======================

Month ``M`` runs from its first to its last day; for the current month it
runs to today (``as_of``). Facts about the past are read from history, so a
report of a past month does not change when an item is reopened, resolved
or given a new time limit later:

- **Open** means ``open``, ``in_progress`` or ``blocked``. An item becomes
  open on its ``raised_on`` date. Each status event then moves it in or out
  of the open set on the event's date: the date it was recorded on in the
  ``timezone`` setting's zone (``zone``; see ``chainlead.clock``), except
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
- **Satisfaction** (满意率), per chain and per institution (the item's lead
  unit): follow-ups (回访) satisfied or basically satisfied over all
  follow-ups asked up to ``M``'s last day, those a reopening set aside
  included (each was an answer given); none when nobody was asked.
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

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, timedelta, tzinfo

from chainlead.domain.project_lights import LightRules
from chainlead.domain.reports.chain_map import with_chain_maps
from chainlead.domain.reports.history import _overdue_at, _Past, _past, _Resolution
from chainlead.domain.reports.ladder import ladder_sections
from chainlead.domain.reports.model import (
    FIGURE_KEYS,
    LIST_LIMIT,
    NO_FOLLOW_UPS,
    TREND_MONTHS,
    ChainSection,
    Figure,
    MonthlyReport,
    ReportNotes,
    SatisfactionRate,
    TrendMonth,
    UnitRow,
)
from chainlead.domain.reports.projects import project_section
from chainlead.domain.reports.scope import _month_no, _month_text, _Scope, _scope
from chainlead.domain.reports.sections import (
    _Chain,
    _chains,
    _expected,
    _sections,
    _shown_chains,
    _work,
)
from chainlead.domain.reports.time_limits import TimeLimits
from chainlead.store.connection import Reader
from chainlead.store.enterprises import satisfaction_by_chain_and_unit
from chainlead.store.reports import UnitOpen, first_due_keys, open_per_unit
from chainlead.store.units import unit_names
from chainlead.values import month_bounds


def monthly_report(
    db: Reader,
    *,
    today: date,
    month: str | None = None,
    chain: str | None = None,
    district: str = "",
    warning_days: int = 7,
    escalation_days: int = 30,
    list_limit: int = LIST_LIMIT,
    project_rules: LightRules | None = None,
    notes: ReportNotes | None = None,
    issue: int | None = None,
    zone: tzinfo = UTC,
) -> MonthlyReport:
    """Everything the monthly report shows, counted once (see the module doc).

    ``month`` defaults to the previous complete month. With ``chain`` the
    report covers that chain only: its trend and its panel (no overview, no
    institutions table). Each chain's lists show at most ``list_limit`` items;
    its figures always count them all. ``notes``: the team's text, carried as given.

    The masthead: ``district``, else the district recorded in the database
    (the snapshot that built it); ``issue`` (第N期), else counted: the months
    from the district's first record (an item raised or a meeting) to the
    report's month, both included. The trend leaves out the months before the
    first record of the chains shown.

    ``zone``: the calendar an event's day and month are counted in (the
    ``timezone`` setting): a drop stored at 23:30 UTC on 30 November is a
    December drop in Asia/Shanghai.
    """
    scope = _scope(
        db,
        today=today,
        month=month,
        chain=chain,
        warning_days=warning_days,
        escalation_days=escalation_days,
        list_limit=list_limit,
        zone=zone,
    )
    all_chains = _chains(db, scope.zone)
    chains = _shown_chains(all_chains, scope)
    past = _past(
        db,
        since=scope.trend_first,
        first=scope.previous_first,
        last=scope.as_of,
        chain_id=scope.chain_id,
        zone=scope.zone,
    )
    this_month = past.resolutions.get(scope.number, [])
    from chainlead.store.handout import first_record_month, recorded_district  # the masthead

    begins = first_record_month(db)
    shown_begins = (
        begins if scope.chain_id is None else first_record_month(db, chain_id=scope.chain_id)
    )
    trend = _trend(scope, past, since=shown_begins)
    work = _work(db, scope, [c.id for c in chains])
    sections = _sections(db, scope, chains, work, this_month)
    limits = TimeLimits(
        db, first=scope.first, last=scope.as_of, chain_id=scope.chain_id, resolutions=this_month
    )
    sections = limits.chains(sections, chains)
    overview: tuple[Figure, ...] = ()
    units: tuple[UnitRow, ...] = ()
    ladder, climbs = ladder_sections(db, scope, chains, all_chains)
    if scope.chain_id is None:
        overview = _overview(db, scope, all_chains, past, work.held)
        units = tuple(limits.units(_units(db, today, this_month)))
    sections, units = _satisfaction(db, scope, all_chains, sections, units)
    sections = with_chain_maps(db, sections, today=today, warning_days=warning_days)
    from chainlead.domain.reports.targets import target_section  # annual targets

    targets = target_section(
        db,
        as_of=scope.as_of,
        chains=[(c.id, c.code, c.name) for c in chains],
        district=scope.chain_id is None,
    )
    projects = project_section(  # the chain projects (建链/强链/补链/延链)
        db,
        first=scope.first,
        as_of=scope.as_of,
        previous_last=scope.previous_last,
        chains=chains,
        rules=project_rules or LightRules(),
        zone=scope.zone,
    )
    from chainlead.domain.reports.scoreboard import scoreboard_parts  # page one

    board = scoreboard_parts(db, scope, all_chains, sections, past, units)
    return MonthlyReport(
        district=district or recorded_district(db),
        month=scope.month,
        first_day=scope.first,
        last_day=scope.last,
        as_of=scope.as_of,
        today=today,
        previous_month=scope.previous,
        chain=chains[0].code if scope.chain_id is not None else None,
        warning_days=warning_days,
        escalation_days=escalation_days,
        list_limit=list_limit,
        overview=overview,
        trend=trend,
        chains=tuple(sections),
        units=units,
        ladder=ladder,
        climbs=climbs,
        targets=targets,
        projects=projects,
        scoreboard=board.scoreboard,
        key_figures=board.key_figures,
        red_list=board.red_list,
        ranking=board.ranking,
        notes=notes,
        issue=issue or (scope.number - _month_no(begins) + 1 if begins else 1),
    )


def _satisfaction(
    db: Reader,
    scope: _Scope,
    all_chains: Sequence[_Chain],
    sections: Sequence[ChainSection],
    units: Sequence[UnitRow],
) -> tuple[list[ChainSection], tuple[UnitRow, ...]]:
    """The chains' panels and the institutions' rows with their satisfaction: one
    grouped statement over the follow-ups, summed per chain and per institution."""
    pairs = satisfaction_by_chain_and_unit(db, until=scope.last)
    per_chain: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    per_unit: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (chain_id, unit_id), found in pairs.items():
        for total in (per_chain[chain_id], per_unit[unit_id]):
            total[0] += found.asked
            total[1] += found.satisfied
    chain_ids = {c.code: c.id for c in all_chains}
    names = unit_names(db) if units else {}
    by_name = {names[unit_id]: counts for unit_id, counts in per_unit.items() if unit_id in names}
    return (
        [
            dataclasses.replace(s, satisfaction=_satisfied(per_chain.get(chain_ids[s.code])))
            for s in sections
        ],
        tuple(dataclasses.replace(u, satisfaction=_satisfied(by_name.get(u.unit))) for u in units),
    )


def _satisfied(counts: list[int] | None) -> SatisfactionRate:
    if not counts:
        return NO_FOLLOW_UPS
    asked, satisfied = counts
    return SatisfactionRate(asked=asked, satisfied=satisfied, rate=_rate(satisfied, asked))


def _trend(scope: _Scope, past: _Past, *, since: str | None) -> tuple[TrendMonth, ...]:
    """The report's month and the months before it, the oldest first; none before
    ``since``, the month records begin (the report's month always)."""
    trend = []
    for offset in range(TREND_MONTHS - 1, -1, -1):
        number = scope.number - offset
        if since is not None and number < _month_no(since) and offset:
            continue
        closing = month_bounds(_month_text(number))[1]
        trend.append(
            TrendMonth(
                month=_month_text(number),
                raised=past.raised.get(number, 0),
                resolved=past.moves["resolved"].get(number, 0),
                open_at_end=past.open_series.at(min(closing, scope.as_of)),
            )
        )
    return tuple(trend)


def _overview(
    db: Reader,
    scope: _Scope,
    all_chains: Sequence[_Chain],
    past: _Past,
    held: dict[str, set[int]],
) -> tuple[Figure, ...]:
    """The district's figures for the month, against the month before; ``held``:
    per month, the chains with a scheduling entry for it."""
    overdue = _overdue_at(
        db,
        (scope.previous_last, scope.as_of),
        chain_id=None,
        dropped=past.dropped,
        history=past.history,
    )
    now_figures = _month_figures(
        past,
        all_chains,
        overdue,
        number=scope.number,
        closing=scope.as_of,
        ending=scope.last,
        done=past.resolutions.get(scope.number, []),
        met=held.get(scope.month, set()),
    )
    before_figures = _month_figures(
        past,
        all_chains,
        overdue,
        number=scope.number - 1,
        closing=scope.previous_last,
        ending=scope.previous_last,
        done=past.resolutions.get(scope.number - 1, []),
        met=held.get(scope.previous, set()),
    )
    return tuple(
        Figure(
            key=key,
            value=now_figures[key],
            previous=before_figures[key],
            change=_change(now_figures[key], before_figures[key]),
            better=better,
        )
        for key, better in FIGURE_KEYS
    )


def _month_figures(
    past: _Past,
    all_chains: Sequence[_Chain],
    overdue: dict[date, int],
    *,
    number: int,
    closing: date,
    ending: date,
    done: list[_Resolution],
    met: set[int],
) -> dict[str, int | float | None]:
    """One month's overview figures, by key: open at the end of ``closing``, chains
    expected by ``ending``, ``done`` its resolutions and ``met`` the chains that met."""
    expected = [c for c in all_chains if _expected(c, ending)]
    on_time = sum(1 for r in done if r.on_time)
    opening = month_bounds(_month_text(number))[0] - timedelta(days=1)
    return {
        "chains_active": len(expected),
        "meetings_held": sum(1 for c in expected if c.id in met),
        "meetings_expected": len(expected),
        "open_at_start": past.open_series.at(opening),
        "raised": past.raised.get(number, 0),
        "resolved": len(done),
        "resolved_on_time": on_time,
        "resolved_late": len(done) - on_time,
        "dropped": past.moves["dropped"].get(number, 0),
        "reopened": past.moves["reopened"].get(number, 0),
        "open_at_end": past.open_series.at(closing),
        "overdue_at_end": overdue[closing],
        "on_time_rate": _rate(on_time, len(done)),
        "median_days_to_resolve": _median_days(done),
    }


def _units(db: Reader, today: date, resolutions: Sequence[_Resolution]) -> tuple[UnitRow, ...]:
    """The supervision table: open and overdue now, the month's resolutions."""
    now = open_per_unit(db, today=today)
    longest_keys = _longest_overdue_keys(db, now)
    resolved: dict[str, list[_Resolution]] = defaultdict(list)
    for found in resolutions:
        resolved[found.unit].append(found)
    out = [
        _unit_row(unit, now.get(unit), resolved.get(unit, []), longest_keys, today)
        for unit in set(now) | set(resolved)
    ]
    out.sort(key=lambda u: (-u.overdue_now, -(u.longest_overdue_days or 0), -u.open_now, u.unit))
    return tuple(out)


def _longest_overdue_keys(db: Reader, now: dict[str, UnitOpen]) -> dict[str, str]:
    """Each institution's longest overdue item: of its open items due on its
    earliest day, the first by chain and number."""
    earliest = {
        unit: found.earliest_due
        for unit, found in now.items()
        if found.past_due and found.earliest_due
    }
    return first_due_keys(db, earliest)


def _unit_row(
    unit: str,
    now: UnitOpen | None,
    done: Sequence[_Resolution],
    longest_keys: dict[str, str],
    today: date,
) -> UnitRow:
    total, overdue, earliest = now or (0, 0, None)
    on_time = sum(1 for r in done if r.on_time)
    longest = (today - earliest).days if overdue and earliest else None
    return UnitRow(
        unit=unit,
        open_now=total,
        resolved=len(done),
        resolved_on_time=on_time,
        on_time_rate=_rate(on_time, len(done)),
        overdue_now=overdue,
        longest_overdue_days=longest,
        longest_overdue_key=longest_keys.get(unit) if longest else None,
    )


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
