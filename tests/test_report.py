"""The monthly and overdue report data, on SQLite and PostgreSQL.

Every expected number below was counted by hand from the story in
``tests/report_data.py`` (today is 2026-11-21; the default month is
2026-10, the month before it 2026-09).
"""

from __future__ import annotations

from datetime import date

import pytest
from report_data import DRB, PSC, SB, build_district

from chainlead.domain.reports import (
    MonthlyReport,
    default_month,
    monthly_report,
    overdue_report,
    report_month,
)
from chainlead.domain.schedule_views import missing_meetings
from chainlead.errors import ChainNotFound, InvalidInput
from chainlead.store.database import Database

TODAY = date(2026, 11, 21)


@pytest.fixture
def district(database: Database) -> Database:
    build_district(database)
    return database


def report(database: Database, **options: object) -> MonthlyReport:
    with database.transaction(write=False) as session:
        return monthly_report(session, today=TODAY, **options)  # type: ignore[arg-type]


def figures(result: MonthlyReport) -> dict[str, object]:
    return {f.key: f.value for f in result.overview}


def previous(result: MonthlyReport) -> dict[str, object]:
    return {f.key: f.previous for f in result.overview}


def changes(result: MonthlyReport) -> dict[str, object]:
    return {f.key: f.change for f in result.overview}


def test_default_month_is_the_previous_complete_month() -> None:
    assert default_month(date(2026, 11, 21)) == "2026-10"
    assert default_month(date(2026, 1, 1)) == "2025-12"
    assert report_month(None, today=date(2026, 3, 31)) == "2026-02"
    assert report_month("2026-11", today=TODAY) == "2026-11"
    with pytest.raises(InvalidInput, match="--month: expected a month up to the current one"):
        report_month("2026-12", today=TODAY)
    with pytest.raises(InvalidInput, match="--month: expected a month as YYYY-MM"):
        report_month("2026-13", today=TODAY)


def test_october_overview_counted_by_hand(district: Database) -> None:
    result = report(district)
    assert result.month == "2026-10"
    assert result.previous_month == "2026-09"
    assert (result.first_day, result.last_day, result.as_of) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        date(2026, 10, 31),
    )
    # Chains active at the end of October: IC, BIO, NEW (OLD archived 09-15).
    # Scheduling meetings: IC only (BIO held a salon; NEW none).
    # Open at the start (end of 09-30): IC-1, IC-2, IC-3, IC-7, IC-9, BIO-3, OLD-1.
    # Raised: IC-4 (10-31), IC-6, IC-8, BIO-2 (10-01).
    # Resolved: IC-2 (on time), IC-3 (10-31, late), IC-5 (late), IC-6 (once,
    # last on 10-14: late), BIO-2 (on time). Dropped: IC-7. Reopened: IC-5, IC-6.
    # Open at the end: IC-1, IC-4, IC-8, IC-9, BIO-3, OLD-1.
    # Overdue at the end: IC-1, IC-8, IC-9 (limit then 08-31), OLD-1.
    # Days to resolve: 26, 51, 49, 11, 0 -> median 26.
    assert figures(result) == {
        "chains_active": 3,
        "meetings_held": 1,
        "meetings_expected": 3,
        "open_at_start": 7,
        "raised": 4,
        "resolved": 5,
        "resolved_on_time": 2,
        "resolved_late": 3,
        "dropped": 1,
        "reopened": 2,
        "open_at_end": 6,
        "overdue_at_end": 4,
        "on_time_rate": 0.4,
        "median_days_to_resolve": 26.0,
    }
    # September: IC and BIO active, both met. Open at the start (08-31): IC-1,
    # IC-9, BIO-1, BIO-3, OLD-1. Raised: IC-2, IC-3, IC-5, IC-7. Resolved:
    # IC-5 (09-25, on time; reopened later), BIO-1 (09-30 recorded 10-01, late).
    # Overdue at 09-30: IC-3, IC-9, OLD-1 (IC-1 is due that very day).
    # Days to resolve: 24 and 91 -> median 57.5.
    assert previous(result) == {
        "chains_active": 2,
        "meetings_held": 2,
        "meetings_expected": 2,
        "open_at_start": 5,
        "raised": 4,
        "resolved": 2,
        "resolved_on_time": 1,
        "resolved_late": 1,
        "dropped": 0,
        "reopened": 0,
        "open_at_end": 7,
        "overdue_at_end": 3,
        "on_time_rate": 0.5,
        "median_days_to_resolve": 57.5,
    }
    assert changes(result) == {
        "chains_active": 1,
        "meetings_held": -1,
        "meetings_expected": 1,
        "open_at_start": 2,
        "raised": 0,
        "resolved": 3,
        "resolved_on_time": 1,
        "resolved_late": 2,
        "dropped": 1,
        "reopened": 2,
        "open_at_end": -1,
        "overdue_at_end": 1,
        "on_time_rate": -0.1,
        "median_days_to_resolve": -31.5,
    }


def test_twelve_month_trend_counted_by_hand(district: Database) -> None:
    found = report(district)
    trend = found.trend
    # The months before the first record (OLD-1, raised in March) are left out.
    assert [t.month for t in trend] == [
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
    ]
    # Raised: OLD-1 in March, BIO-3 in June, BIO-1 in July, IC-1 and IC-9 in
    # August, four each in September and October.
    assert [t.raised for t in trend] == [1, 0, 0, 1, 1, 2, 4, 4]
    assert [t.resolved for t in trend] == [0, 0, 0, 0, 0, 0, 2, 5]
    assert [t.open_at_end for t in trend] == [1, 1, 1, 2, 3, 5, 7, 6]
    # The issue number counts the months from the first record: March to October.
    assert found.issue == 8
    assert report(district, month="2026-03").issue == 1


def test_one_chain_report_has_its_trend_and_panel_only(district: Database) -> None:
    result = report(district, chain="ic")
    assert result.chain == "IC"
    assert result.overview == ()
    assert result.units == ()
    assert [c.code for c in result.chains] == ["IC"]
    trend = result.trend[-3:]
    # IC raised: IC-1, IC-9 in August; IC-2, IC-3, IC-5, IC-7 in September;
    # IC-4, IC-6, IC-8 in October. Resolved: IC-5 in September; IC-2, IC-3,
    # IC-5, IC-6 in October. Open at the end of September: IC-1, IC-2, IC-3,
    # IC-7, IC-9; of October: IC-1, IC-4, IC-8, IC-9.
    assert [(t.month, t.raised, t.resolved, t.open_at_end) for t in trend] == [
        ("2026-08", 2, 0, 2),
        ("2026-09", 4, 1, 5),
        ("2026-10", 3, 4, 4),
    ]
    with pytest.raises(ChainNotFound):
        report(district, chain="XX")


def test_chain_panels(district: Database) -> None:
    result = report(district)
    # Red chains first (IC has red items today), then green (BIO), then none (NEW).
    # OLD was archived in September: no panel in October.
    assert [(c.code, c.light) for c in result.chains] == [
        ("IC", "red"),
        ("BIO", "green"),
        ("NEW", "none"),
    ]
    ic, bio, new = result.chains
    assert (ic.leader, ic.responsible, ic.team_size) == ("Li Ming", "Zhang Wei", 2)
    assert (ic.expected_meeting, ic.meeting_held) == (True, True)
    assert (bio.expected_meeting, bio.meeting_held) == (True, False)
    assert (new.expected_meeting, new.meeting_held) == (True, False)
    assert [(m.key, m.kind, m.held_on) for m in ic.meetings] == [
        ("IC-M2", "breakfast", date(2026, 10, 9)),
        ("IC-M3", "scheduling", date(2026, 10, 16)),
    ]
    scheduling = ic.meetings[1]
    assert scheduling.chair == "Li Ming"
    assert scheduling.decisions == (
        "Power company to report feeder plan by 11-15",
        "Science bureau to split the water permit",
    )
    assert scheduling.attendees == ("Zhang Wei", "IC member")
    assert [(f.name, f.value, f.unit, f.previous, f.change) for f in scheduling.figures] == [
        ("output_value", "12.0", "100M CNY", "10.5", "+1.5"),
        ("new_projects", "2", None, "3", "-1"),
        ("investment", "5", None, None, None),
    ]
    assert [m.kind for m in bio.meetings] == ["salon"]
    assert new.meetings == ()

    assert [i.key for i in ic.raised] == ["IC-6", "IC-8", "IC-4"]
    assert [(r.key, r.resolved_on, r.on_time, r.days_to_resolve, r.how) for r in ic.resolved] == [
        ("IC-2", date(2026, 10, 1), True, 26, "Pre-clearance channel opened at Lukou airport"),
        ("IC-6", date(2026, 10, 14), False, 11, "Second tranche paid"),
        ("IC-5", date(2026, 10, 20), False, 49, "Full-volume permit issued"),
        ("IC-3", date(2026, 10, 31), False, 51, "Twenty apartments allocated"),
    ]
    # Open today, red first (by time limit): lights as bottleneck list shows them.
    assert [(i.key, i.light, i.status, i.days_over) for i in ic.open_items] == [
        ("IC-1", "red", "open", 52),
        ("IC-8", "red", "blocked", 32),
        ("IC-10", "red", "open", 11),
        ("IC-4", "yellow", "open", -4),
        ("IC-9", "green", "open", -40),
    ]
    assert [i.key for i in ic.attention] == ["IC-1", "IC-8"]
    f = ic.figures
    assert (f.raised, f.resolved, f.resolved_on_time) == (3, 4, 1)
    assert (f.open_now, f.red_now, f.yellow_now, f.green_now, f.attention_now) == (5, 3, 1, 1, 2)
    assert [i.key for i in bio.raised] == ["BIO-2"]
    assert [(r.key, r.on_time, r.days_to_resolve) for r in bio.resolved] == [("BIO-2", True, 0)]
    assert [(i.key, i.light, i.status) for i in bio.open_items] == [
        ("BIO-3", "green", "in_progress")
    ]
    assert new.raised == new.resolved == new.open_items == new.attention == ()


def test_lights_match_bottleneck_list(district: Database) -> None:
    from chainlead.domain.bottlenecks import list_items

    result = report(district)
    with district.transaction(write=False) as session:
        listed = {r.key: r.light for r in list_items(session, today=TODAY)}
    shown = {i.key: i.light for c in result.chains for i in c.open_items}
    assert shown == {k: v for k, v in listed.items() if not k.startswith("OLD")}


def test_open_items_are_capped_but_counted(district: Database) -> None:
    result = report(district, list_limit=2)
    ic = result.chains[0]
    assert [i.key for i in ic.open_items] == ["IC-1", "IC-8"]
    assert ic.figures.open_now == 5


def test_institutions_table(district: Database) -> None:
    rows = {u.unit: u for u in report(district).units}
    assert list(rows) == [DRB, SB, PSC]
    # DRB holds IC-1 (52 days over), IC-8 (32); resolved BIO-2 (on time), IC-3 (late).
    drb = rows[DRB]
    assert (drb.open_now, drb.overdue_now, drb.longest_overdue_days, drb.longest_overdue_key) == (
        2,
        2,
        52,
        "IC-1",
    )
    assert (drb.resolved, drb.resolved_on_time, drb.on_time_rate) == (2, 1, 0.5)
    # SB holds BIO-3 and OLD-1 (234 days over); resolved IC-5 and IC-6, both late.
    sb = rows[SB]
    assert (sb.open_now, sb.overdue_now, sb.longest_overdue_days, sb.longest_overdue_key) == (
        2,
        1,
        234,
        "OLD-1",
    )
    assert (sb.resolved, sb.resolved_on_time, sb.on_time_rate) == (2, 0, 0.0)
    # PSC holds IC-4, IC-9, IC-10 (11 days over); resolved IC-2 on time.
    psc = rows[PSC]
    assert (psc.open_now, psc.overdue_now, psc.longest_overdue_days, psc.longest_overdue_key) == (
        3,
        1,
        11,
        "IC-10",
    )
    assert (psc.resolved, psc.resolved_on_time, psc.on_time_rate) == (1, 1, 1.0)


def test_figures_agree_across_sections(district: Database) -> None:
    """Nothing is counted twice in two different ways."""
    result = report(district)
    values = figures(result)
    assert result.trend[-1].raised == values["raised"]
    assert result.trend[-1].resolved == values["resolved"]
    assert result.trend[-1].open_at_end == values["open_at_end"]
    assert result.trend[-2].open_at_end == values["open_at_start"]
    assert sum(u.resolved for u in result.units) == values["resolved"]
    assert sum(len(c.resolved) for c in result.chains) == values["resolved"]
    assert sum(len(c.raised) for c in result.chains) == values["raised"]


def test_september_report_shows_the_chain_archived_in_it(district: Database) -> None:
    result = report(district, month="2026-09")
    codes = {c.code: c for c in result.chains}
    assert set(codes) == {"IC", "BIO", "OLD"}
    assert codes["OLD"].expected_meeting is False
    assert codes["OLD"].status == "archived"
    assert figures(result)["chains_active"] == 2
    # IC-5 was resolved in September and reopened in October: it stays resolved
    # in September's report, with the how of that resolution.
    ic = codes["IC"]
    assert [(r.key, r.on_time, r.how, r.status) for r in ic.resolved] == [
        ("IC-5", True, "Permit issued", "resolved")
    ]
    bio = codes["BIO"]
    assert [(r.key, r.resolved_on, r.on_time, r.status) for r in bio.resolved] == [
        ("BIO-1", date(2026, 9, 30), False, "closed")
    ]


def test_missed_meetings_agree_with_schedule_missing(district: Database) -> None:
    result = report(district)
    with district.transaction(write=False) as session:
        missing = {m.chain for m in missing_meetings(session, month="2026-10")}
    assert {c.code for c in result.chains if c.expected_meeting and not c.meeting_held} == missing


def test_current_month_runs_to_today(district: Database) -> None:
    result = report(district, month="2026-11")
    assert result.as_of == TODAY
    values = figures(result)
    # Raised in November: IC-10. Resolved: none dated in November (IC-3's
    # resolution was recorded on 11-02 but dated 10-31).
    assert (values["raised"], values["resolved"], values["open_at_start"]) == (1, 0, 6)
    assert values["open_at_end"] == 7
    # Overdue today: IC-1, IC-8, IC-10, OLD-1 (IC-9's limit is now 12-31).
    assert values["overdue_at_end"] == 4


def test_month_with_no_data(district: Database) -> None:
    result = report(district, month="2025-12")
    assert result.chains == ()
    # The institutions' open and overdue work is today's; nothing was resolved then.
    assert [(u.unit, u.resolved, u.overdue_now) for u in result.units] == [
        (DRB, 0, 2),
        (SB, 0, 1),
        (PSC, 0, 1),
    ]
    assert all(v in (0, None) for v in figures(result).values())
    assert all(t.raised == t.resolved == t.open_at_end == 0 for t in result.trend)


def test_empty_database(database: Database) -> None:
    result = report(database)
    assert result.chains == () and result.units == ()
    assert figures(result)["on_time_rate"] is None
    assert figures(result)["median_days_to_resolve"] is None


def test_overdue_report(district: Database) -> None:
    with district.transaction(write=False) as session:
        result = overdue_report(session, today=TODAY)
        one_unit = overdue_report(session, today=TODAY, unit="power supply")
        one_chain = overdue_report(session, today=TODAY, chain="bio")
    assert result.total == 4
    assert [(g.unit, [i.key for i in g.items]) for g in result.units] == [
        (DRB, ["IC-1", "IC-8"]),
        (SB, ["OLD-1"]),
        (PSC, ["IC-10"]),
    ]
    first = result.units[0].items[0]
    assert (first.chain, first.chain_leader, first.days_over, first.escalate) == (
        "IC",
        "Li Ming",
        52,
        True,
    )
    assert [(i.key, i.days_over, i.escalate) for g in result.units for i in g.items] == [
        ("IC-1", 52, True),
        ("IC-8", 32, True),
        ("OLD-1", 234, True),
        ("IC-10", 11, False),
    ]
    assert result.units[1].items[0].chain_leader == "Ma Lin"
    assert one_unit.total == 1 and one_unit.units[0].unit == PSC
    assert one_chain.total == 0 and one_chain.units == ()
