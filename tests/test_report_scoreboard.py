"""The district scoreboard, key figures, red list and institution ranking of the
monthly report, on SQLite and PostgreSQL.

The district is the one of ``tests/report_data.py``; today is 2026-11-21, the
report's month 2026-10. Each expected number was counted by hand from that
story (the comments say how); the totals are also held against the overview
and the red list against ``report overdue``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from helpers import assert_refused
from report_data import DRB, PSC, SB, build_district, on

from chainlead.domain.people import edit_person
from chainlead.domain.reports import MonthlyReport, monthly_report, overdue_report
from chainlead.domain.reports.model import RANKING_RULE, ChainName, ScoreRow
from chainlead.domain.reports.notes import parse_notes
from chainlead.errors import InvalidInput
from chainlead.store.database import Database

TODAY = date(2026, 11, 21)
COUNTS = (
    "open_at_start",
    "raised",
    "resolved",
    "resolved_on_time",
    "red_now",
    "yellow_now",
    "green_now",
    "escalated_now",
)


@pytest.fixture
def district(database: Database) -> Database:
    build_district(database)
    with database.transaction(write=True) as session:
        edit_person(session, name="Li Ming", title="Deputy District Mayor", stamp=on("2026-11-01"))
    return database


def report(database: Database, **options: object) -> MonthlyReport:
    with database.transaction(write=False) as session:
        return monthly_report(session, today=TODAY, **options)  # type: ignore[arg-type]


def row(result: MonthlyReport, code: str) -> ScoreRow:
    assert result.scoreboard is not None
    return next(r for r in result.scoreboard.rows if r.code == code)


def test_scoreboard_counted_by_hand(district: Database) -> None:
    result = report(district)
    board = result.scoreboard
    assert board is not None
    assert (board.month, board.as_of, board.today, board.year_first) == (
        "2026-10",
        date(2026, 10, 31),
        TODAY,
        date(2026, 1, 1),
    )
    # Every chain that existed in October, by code, and OLD (archived in
    # September) because OLD-1 is still open: the total is the district's.
    assert [r.code for r in board.rows] == ["BIO", "IC", "NEW", "OLD"]
    ic = row(result, "IC")
    assert (ic.name, ic.leader, ic.leader_title) == (
        "Integrated circuits",
        "Li Ming",
        "Deputy District Mayor",
    )
    assert row(result, "BIO").leader_title is None
    # Open at the start (09-30): IC-1, IC-2, IC-3, IC-7, IC-9 | BIO-3 | OLD-1.
    # Raised: IC-4, IC-6, IC-8 | BIO-2. Resolved: IC-2 (on time), IC-3, IC-5,
    # IC-6 | BIO-2 (on time). Today: IC-1, IC-8, IC-10 red, IC-4 yellow (due
    # 11-25), IC-9 green (12-31) | BIO-3 green | OLD-1 red.
    assert {r.code: tuple(getattr(r, f) for f in COUNTS) for r in board.rows} == {
        "BIO": (1, 1, 1, 1, 0, 0, 1, 0),
        "IC": (5, 3, 4, 1, 3, 1, 1, 0),
        "NEW": (0, 0, 0, 0, 0, 0, 0, 0),
        "OLD": (1, 0, 0, 0, 1, 0, 0, 0),
    }
    assert (ic.on_time_rate, row(result, "BIO").on_time_rate, row(result, "NEW").on_time_rate) == (
        0.25,
        1.0,
        None,
    )
    # Meetings: IC held its scheduling meeting; BIO held only a salon; NEW
    # (created 10-20) held none; OLD was archived before October.
    assert [(r.code, r.expected_meeting, r.meeting_held) for r in board.rows] == [
        ("BIO", True, False),
        ("IC", True, True),
        ("NEW", True, False),
        ("OLD", False, False),
    ]
    assert board.missed == (ChainName("BIO", "Biomedicine"), ChainName("NEW", "New materials"))
    assert row(result, "OLD").archived_on == date(2026, 9, 15)
    # 办结率, dropped items aside, to 10-31: IC raised IC-1..6, IC-8, IC-9 (IC-7
    # dropped, IC-10 raised in November), resolved IC-2, IC-3, IC-5, IC-6; BIO
    # raised three, resolved BIO-1 and BIO-2; OLD one, none; NEW none.
    rows = board.rows
    done = {r.code: (r.done_year.raised, r.done_year.resolved, r.done_year.rate) for r in rows}
    assert done == {
        "BIO": (3, 2, 0.6667),
        "IC": (8, 4, 0.5),
        "NEW": (0, 0, None),
        "OLD": (1, 0, 0.0),
    }
    assert all(r.done_all == r.done_year for r in board.rows)  # all raised in 2026
    assert (board.total.done_year.raised, board.total.done_year.resolved) == (12, 6)
    assert board.total.done_year.rate == 0.5


def test_totals_are_the_rows_and_the_overview(district: Database) -> None:
    for month in ("2026-09", "2026-10", "2026-11"):
        result = report(district, month=month)
        board = result.scoreboard
        assert board is not None
        for field in COUNTS:
            assert getattr(board.total, field) == sum(getattr(r, field) for r in board.rows)
        overview = {f.key: f.value for f in result.overview}
        assert board.total.open_at_start == overview["open_at_start"]
        assert board.total.raised == overview["raised"]
        assert board.total.resolved == overview["resolved"]
        assert board.total.resolved_on_time == overview["resolved_on_time"]
        assert board.total.on_time_rate == overview["on_time_rate"]
        expected = [r for r in board.rows if r.expected_meeting]
        assert len(expected) == overview["meetings_expected"]
        assert sum(r.meeting_held for r in expected) == overview["meetings_held"]
        assert len(board.missed) == len(expected) - overview["meetings_held"]
        asked = sum(r.satisfaction.asked for r in board.rows)
        assert board.total.satisfaction.asked == asked
        # The same counts as each chain's panel, for the chains the report shows.
        for section in result.chains:
            line = row(result, section.code)
            assert (line.raised, line.resolved, line.red_now, line.satisfaction) == (
                section.figures.raised,
                section.figures.resolved,
                section.figures.red_now,
                section.satisfaction,
            )


def test_red_list_is_the_overdue_reports_red_items(district: Database) -> None:
    result = report(district)
    with district.transaction(write=False) as session:
        overdue = overdue_report(session, today=TODAY)
    listed = {(i.key, i.chain, i.days_over, i.level) for g in overdue.units for i in g.items}
    units = {i.key: g.unit for g in overdue.units for i in g.items}
    assert {(r.key, r.chain, r.days_over, r.level) for r in result.red_list} == listed
    assert {r.key: r.unit for r in result.red_list} == units
    # The most overdue first: OLD-1 (due 04-01), IC-1 (09-30), IC-8 (10-20), IC-10 (11-10).
    assert [(r.key, r.days_over) for r in result.red_list] == [
        ("OLD-1", 234),
        ("IC-1", 52),
        ("IC-8", 32),
        ("IC-10", 11),
    ]
    assert result.scoreboard is not None
    assert result.scoreboard.total.red_now == len(result.red_list) == overdue.total
    one = report(district, chain="IC")
    assert [r.key for r in one.red_list] == ["IC-1", "IC-8", "IC-10"]
    assert one.scoreboard is not None and [r.code for r in one.scoreboard.rows] == ["IC"]
    assert one.ranking is None


def test_key_figures_summed_over_months(district: Database) -> None:
    # IC reported output_value 10.5 and new_projects 3 for September, then
    # 12.0, 2 and investment 5 for October; no chain reported in 2025.
    figures = {(f.name, f.unit): f for f in report(district).key_figures}
    assert sorted(figures) == [
        ("investment", None),
        ("new_projects", None),
        ("output_value", "100M CNY"),
    ]
    output = figures[("output_value", "100M CNY")]
    assert (output.value, output.previous, output.year_to_date, output.year_months) == (
        "12",  # the sum, exact: 12.0 is 12
        "10.5",
        "22.5",
        2,
    )
    assert (output.last_year, output.chains) == (None, 1)
    projects = figures[("new_projects", None)]
    assert (projects.value, projects.previous, projects.year_to_date) == ("2", "3", "5")
    investment = figures[("investment", None)]
    assert (investment.value, investment.previous, investment.year_to_date) == ("5", None, "5")
    # November: nothing reported in it, October is the month before.
    november = {f.name: f for f in report(district, month="2026-11").key_figures}
    assert (november["output_value"].value, november["output_value"].previous) == (None, "12")
    assert november["output_value"].year_to_date == "22.5"


def test_ranking_by_done_rate_then_on_time(district: Database) -> None:
    ranking = report(district).ranking
    assert ranking is not None
    assert ranking.rule == RANKING_RULE
    # To 10-31, dropped items aside. SB: IC-5, IC-6, BIO-1, BIO-3, OLD-1 raised,
    # three resolved (0.6). DRB: IC-1, IC-3, IC-8, BIO-2, two resolved (0.5).
    # PSC: IC-2, IC-4, IC-9 (IC-10 came in November), one resolved.
    # Resolutions dated in the year: SB IC-5 in September (on time) and October,
    # IC-6 once (10-14, late), BIO-1 (late); DRB IC-3 (late), BIO-2; PSC IC-2.
    assert [
        (r.rank, r.unit, r.done.raised, r.done.resolved, r.resolved_in_year, r.resolved_on_time)
        for r in ranking.rows
    ] == [
        (1, SB, 5, 3, 4, 1),
        (2, DRB, 4, 2, 2, 1),
        (3, PSC, 3, 1, 1, 1),
    ]
    assert [(r.done.rate, r.on_time_rate) for r in ranking.rows] == [
        (0.6, 0.25),
        (0.5, 0.5),
        (0.3333, 1.0),
    ]
    assert [(r.open_now, r.overdue_now) for r in ranking.rows] == [(2, 1), (2, 2), (3, 1)]


def test_ranking_ties_are_broken_by_the_stated_rule(district: Database) -> None:
    # In September nothing of PSC's was resolved yet and each institution's
    # done rate differs; in a month with no data the order is the rule's last keys.
    ranking = report(district, month="2026-09").ranking
    assert ranking is not None
    keys = [
        (
            r.done.rate is None,
            -(r.done.rate or 0),
            r.on_time_rate is None,
            -(r.on_time_rate or 0),
            -r.done.resolved,
            r.unit,
        )
        for r in ranking.rows
    ]
    assert keys == sorted(keys)
    assert [r.rank for r in ranking.rows] == list(range(1, len(ranking.rows) + 1))


def test_empty_database_has_an_empty_scoreboard(database: Database) -> None:
    result = report(database)
    assert result.scoreboard is not None
    assert result.scoreboard.rows == () and result.scoreboard.missed == ()
    assert result.scoreboard.total.done_year.rate is None
    assert result.key_figures == () and result.red_list == ()
    assert result.ranking is not None and result.ranking.rows == ()


# --------------------------------------------------------------------------- the notes


def test_notes_in_both_languages() -> None:
    notes = parse_notes(
        "# 2026年11月\n\n## 存在问题：\n个别企业用电\n问题未解决。\n\n"
        "Second <b>&amp;</b> point\nwraps.\n\n# 三、下步工作\n=1+1 协调\x07供电。\n",
        source="notes.md",
    )
    assert notes.problems == ("个别企业用电问题未解决。", "Second <b>&amp;</b> point wraps.")
    assert notes.next_steps == ("=1+1 协调供电。",)
    english = parse_notes("Problems\n\nOne.\n\nNext steps:\nTwo.", source="n.md")
    assert (english.problems, english.next_steps) == (("One.",), ("Two.",))
    with pytest.raises(InvalidInput, match="--notes: expected a notes file with the headings"):
        parse_notes("just text\n", source="n.md")


def test_monthly_report_carries_the_notes(cli, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from chainlead.store.database import open_database

    database = open_database(str(db_path))
    try:
        build_district(database)
    finally:
        database.dispose()
    notes = tmp_path / "notes.md"
    notes.write_text("# 存在问题\n<b>hostile</b> & more\n\n# 下步工作\nNext.\n", encoding="utf-8")
    result = cli("report", "monthly", "--json", "--notes", str(notes))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["notes"]["problems"] == ["<b>hostile</b> & more"]
    assert data["notes"]["next_steps"] == ["Next."]
    board = data["scoreboard"]
    overview = {f["key"]: f["value"] for f in data["overview"]}
    assert board["total"]["open_at_start"] == overview["open_at_start"]
    assert [r["code"] for r in board["rows"]] == ["BIO", "IC", "NEW", "OLD"]
    assert [r["key"] for r in data["red_list"]] == ["OLD-1", "IC-1", "IC-8", "IC-10"]
    assert [r["unit"] for r in data["ranking"]["rows"]] == [SB, DRB, PSC]


def test_missing_notes_file_is_refused(cli, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    target = tmp_path / "report.html"
    result = cli(
        "report", "monthly", "--notes", str(tmp_path / "nothing.md"), "--html", str(target)
    )
    assert_refused(result, 2, "--notes: expected a readable file")
    assert not target.exists()
    empty = tmp_path / "plain.md"
    empty.write_text("no headings here\n", encoding="utf-8")
    result = cli("report", "monthly", "--notes", str(empty), "--html", str(target))
    assert_refused(result, 2, "--notes: expected a notes file with the headings")
    assert not target.exists()
