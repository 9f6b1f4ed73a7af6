"""The district scoreboard, key figures, red list and institution ranking of the
monthly report, on SQLite and PostgreSQL.

The district is the one of ``tests/report_data.py``; today is 2026-11-21, the
report's month 2026-10. Each expected number was counted by hand from that
story (the comments say how); the totals are also held against the overview
and the red list against ``report overdue``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
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


def test_escalated_items_are_those_on_the_ladder_now(district: Database) -> None:
    from chainlead.domain.supervision import escalate_item

    with district.transaction(write=True) as session:
        escalate_item(session, key="IC-1", level=3, why="Letter sent", stamp=on("2026-11-20"))
        escalate_item(session, key="OLD-1", level=4, why="Leader", stamp=on("2026-11-20"))
    result = report(district)
    assert result.scoreboard is not None
    assert {r.code: r.escalated_now for r in result.scoreboard.rows} == {
        "BIO": 0,
        "IC": 1,
        "NEW": 0,
        "OLD": 1,
    }
    assert result.scoreboard.total.escalated_now == 2
    assert {r.key: r.level for r in result.red_list if r.level} == {"IC-1": 3, "OLD-1": 4}
    assert sum(row.total for row in result.ladder) == 1  # the shown chains' ladder: IC only


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


@pytest.mark.parametrize("month", ["2026-09", "2026-10", "2026-11"])
def test_year_resolutions_agree_with_the_months_reading(district: Database, month: str) -> None:
    # The ranking counts the year's resolutions in one grouped statement corrected
    # for replayed items (IC-5, IC-6 reopened; IC-9's limit moved): the same as
    # reading every resolution from history as the month figures do.
    from chainlead.domain.reports.history import _past, _resolutions
    from chainlead.domain.reports.scope import _scope

    ranking = report(district, month=month).ranking
    assert ranking is not None
    with district.transaction(write=False) as session:
        scope = _scope(
            session,
            today=TODAY,
            month=month,
            chain=None,
            warning_days=7,
            escalation_days=30,
            list_limit=20,
        )
        past = _past(
            session,
            since=scope.trend_first,
            first=scope.previous_first,
            last=scope.as_of,
            chain_id=None,
        )
        year = _resolutions(
            session, first=date(2026, 1, 1), last=scope.as_of, chain_id=None, history=past.history
        )
    expected: dict[str, list[int]] = {}
    for found in (r for rows in year.values() for r in rows):
        counts = expected.setdefault(found.unit, [0, 0])
        counts[0] += 1
        counts[1] += int(found.on_time)
    shown = {r.unit: [r.resolved_in_year, r.resolved_on_time] for r in ranking.rows}
    assert {u: c for u, c in shown.items() if c[0]} == expected


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
    longer = parse_notes(
        "### 一、存在的问题和不足\n甲。\n\n## 二、下一步工作打算\n乙。\n下一步将协调。\n",
        source="n.md",
    )
    # A bare line starting 下一步 is text; only a marked heading may go on.
    assert (longer.problems, longer.next_steps) == (("甲。",), ("乙。下一步将协调。",))
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


# --------------------------------------------------------------------------- the forms

HOSTILE_NOTES = "# 存在问题\n<b>bold</b> & =1+1 \x1b[31mred\n\n# 下步工作\n# 1. not a heading\n"


@pytest.fixture
def forms(cli, db_path: Path, tmp_path: Path):  # noqa: ANN001, ANN201
    """The district's October report in every text form, with hostile notes."""
    from chainlead.store.database import open_database

    database = open_database(str(db_path))
    try:
        build_district(database)
        with database.transaction(write=True) as session:
            edit_person(session, name="Li Ming", title="<i>Mayor</i>", stamp=on("2026-11-01"))
    finally:
        database.dispose()
    notes = tmp_path / "notes.md"
    notes.write_text(HOSTILE_NOTES, encoding="utf-8")
    html, markdown = tmp_path / "r.html", tmp_path / "r.md"
    common = ("report", "monthly", "--notes", str(notes))
    data = json.loads(cli(*common, "--json").stdout)
    terminal = cli(*common)
    assert terminal.exit_code == 0, terminal.stderr
    result = cli(*common, "--html", str(html), "--markdown", str(markdown))
    assert result.exit_code == 0, result.stderr
    return {
        "data": data,
        "terminal": terminal.stdout,
        "html": html.read_text(encoding="utf-8"),
        "markdown": markdown.read_text(encoding="utf-8"),
    }


def _html_tables(page: str) -> dict[str, list[list[str]]]:
    """Every table of an HTML page with a class, its rows as the cells' visible text."""
    from html.parser import HTMLParser

    tables: dict[str, list[list[str]]] = {}

    class Reader(HTMLParser):
        current: str | None = None
        row: list[str] | None = None
        cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "table":
                self.current = dict(attrs).get("class")
                if self.current:
                    tables[self.current] = []
            elif tag == "tr" and self.current:
                self.row = []
            elif tag in ("td", "th") and self.row is not None:
                self.cell = []
            elif tag == "span" and self.cell is not None:
                self.cell.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in ("td", "th") and self.cell is not None and self.row is not None:
                self.row.append("".join(self.cell).strip())
                self.cell = None
            elif tag == "tr" and self.row is not None and self.current:
                tables[self.current].append(self.row)
                self.row = None
            elif tag == "table":
                self.current = None

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    Reader().feed(page)
    return tables


def _visible_text(page: str, start: str, end: str) -> str:
    """The text a reader sees between two markers of the page, tags taken out."""
    from html import unescape

    part = page[page.index(start) : page.index(end, page.index(start))]
    return unescape(re.sub(r"<[^>]+>", "", part))


def test_scoreboard_in_html_has_the_json_numbers(forms) -> None:  # noqa: ANN001
    board = forms["data"]["scoreboard"]
    tables = _html_tables(forms["html"])
    header, *rows = tables["scoreboard"]
    assert header[:3] == ["Chain", "Chain leader", "Meeting"]
    by_code = {row[0].split("\n")[0]: row for row in rows}
    for line in board["rows"]:
        cells = by_code[line["code"]]
        assert cells[1].split("\n")[0] == line["leader"]
        assert [int(c) for c in cells[3:6]] == [
            line["open_at_start"],
            line["raised"],
            line["resolved"],
        ]
        lights = [int(n) for n in cells[9].split("/")]
        assert lights == [line["red_now"], line["yellow_now"], line["green_now"]]
    assert by_code["IC"][1] == "Li Ming\n<i>Mayor</i>"  # markup arrives as text
    total = rows[-1]
    assert total[0] == "District total"
    assert [int(c) for c in total[3:6]] == [
        board["total"]["open_at_start"],
        board["total"]["raised"],
        board["total"]["resolved"],
    ]
    assert total[2] == "1 / 3"  # scheduling meetings held of expected
    red = tables["red"][1:]
    assert [r[0] for r in red] == [r["key"] for r in forms["data"]["red_list"]]
    assert [int(r[5]) for r in red] == [r["days_over"] for r in forms["data"]["red_list"]]
    ranking = tables["ranking"][1:]
    assert [(int(r[0]), r[1]) for r in ranking] == [
        (r["rank"], r["unit"]) for r in forms["data"]["ranking"]["rows"]
    ]
    assert "Ranked by done rate" in forms["html"]


def test_headings_name_their_time_base(forms) -> None:  # noqa: ANN001
    for form in ("terminal", "html", "markdown"):
        text = forms[form]
        if form == "html":
            text = _visible_text(text, "<body>", "</body>")
        assert "District scoreboard" in text
        assert "2026-10 at month end (2026-10-31); lights and ladder now, on 2026-11-21" in text
        assert "Red list · now, on 2026-11-21 · 4 items" in text
        assert "Institution ranking · year to date (2026-01-01 to 2026-10-31)" in text
        assert re.search(r"1 +District overview\W+at month end \(2026-10-31\)", text), form


def test_terminal_shows_the_scoreboard_first_within_100_columns(forms) -> None:  # noqa: ANN001
    out = forms["terminal"]
    assert out.index("District scoreboard") < out.index("Red list") < out.index("1  District")
    assert out.index("4  Responsible institutions") < out.index("Institution ranking")
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "No scheduling meeting in 2026-10: Biomedicine (BIO), New materials (NEW)." in out
    total = next(line for line in out.splitlines() if " 1 / 3 " in line)  # meetings held
    assert total.split()[0] == "District"
    assert total.split(" 1 / 3 ")[1].split()[:3] == ["7", "4", "5"]  # open at start, new, resolved
    assert out.rstrip().endswith("# 1. not a heading")


def test_notes_arrive_as_text_in_every_form(forms) -> None:  # noqa: ANN001
    assert forms["data"]["notes"]["problems"] == ["<b>bold</b> & =1+1 [31mred"]
    assert "<b>bold</b> & =1+1 [31mred" in forms["terminal"]
    assert "\x1b" not in forms["terminal"]
    seen = _visible_text(forms["html"], '<section class="notes">', "</section>")
    assert "<b>bold</b> & =1+1 [31mred" in seen and "# 1. not a heading" in seen
    assert "<b>bold</b>" not in forms["html"]
    from markdown_it import MarkdownIt  # (rich's own Markdown reader)

    page = MarkdownIt("commonmark").enable("table").render(forms["markdown"])
    read = _visible_text(page, "<h2>Problems</h2>", "<h2>Next")
    assert read.strip() == "Problems\n<b>bold</b> & =1+1 [31mred"
    after = page[page.index("<h2>Next steps</h2>") :]
    assert after.strip() == "<h2>Next steps</h2>\n<p># 1. not a heading</p>"


def test_chinese_forms_use_chinese_headings(cli, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from chainlead.store.database import open_database

    database = open_database(str(db_path))
    try:
        build_district(database)
    finally:
        database.dispose()
    out = cli("report", "monthly", "--lang", "zh").stdout
    assert "全区产业链一览表 · 2026年10月月末（2026-10-31）；状态灯与督办截至2026-11-21" in out
    assert "红灯清单 · 截至2026-11-21 · 共4项" in out
    assert "排名规则：按办结率" in out
    assert "2026年10月未召开调度会：Biomedicine（BIO）、New materials（NEW）。" in out


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_page_one_of_the_print_is_the_scoreboard(forms, tmp_path: Path) -> None:  # noqa: ANN001
    from chainlead.render.pdf import pdf_from_html

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(pdf_from_html(forms["html"]))
    first = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "District scoreboard" in first and "District total" in first
    for line in forms["data"]["scoreboard"]["rows"]:
        assert line["code"] in first and line["name"] in first
    assert "Key figures, district totals" in first
    # The report's body follows the scoreboard, on page one when it fits there.
    if "District overview" in first:
        assert first.index("District scoreboard") < first.index("District overview")


# --------------------------------------------------------------------------- the setting


def test_notes_from_the_config_file(cli, db_path: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    config = tmp_path / "conf" / "config.toml"
    config.parent.mkdir()
    (config.parent / "team-notes.md").write_text("# Problems\nFrom config.\n", encoding="utf-8")
    config.write_text('[report]\nnotes = "team-notes.md"\n', encoding="utf-8")
    monkeypatch.setenv("CHAINLEAD_CONFIG", str(config))
    data = json.loads(cli("report", "monthly", "--json").stdout)
    assert data["notes"]["problems"] == ["From config."]
    assert data["notes"]["next_steps"] == []
    shown = json.loads(cli("config", "show", "--json").stdout)
    setting = next(s for s in shown if s["key"] == "report_notes")
    assert setting["value"] == str(config.parent / "team-notes.md")
    # --notes wins over the setting; a setting naming no file is refused by its name.
    flag = tmp_path / "flag.md"
    flag.write_text("# 下步工作\nFrom the flag.\n", encoding="utf-8")
    data = json.loads(cli("report", "monthly", "--json", "--notes", str(flag)).stdout)
    assert data["notes"]["next_steps"] == ["From the flag."]
    monkeypatch.setenv("CHAINLEAD_REPORT_NOTES", str(tmp_path / "gone.md"))
    target = tmp_path / "r.md"
    result = cli("report", "monthly", "--markdown", str(target))
    assert_refused(result, 2, "report_notes: expected a readable file")
    assert not target.exists()
    # A path under ~ is the user's home, as holidays_file's.
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("CHAINLEAD_REPORT_NOTES", "~/flag.md")
    data = json.loads(cli("report", "monthly", "--json").stdout)
    assert data["notes"]["next_steps"] == ["From the flag."]


def test_one_chain_report_has_its_own_scoreboard_without_a_district_total(
    cli,  # noqa: ANN001
    db_path: Path,
) -> None:
    from chainlead.store.database import open_database

    database = open_database(str(db_path))
    try:
        build_district(database)
    finally:
        database.dispose()
    out = cli("report", "monthly", "--chain", "IC").stdout
    assert "Scoreboard · 2026-10 at month end (2026-10-31)" in out
    assert "District scoreboard" not in out and "District total" not in out
    assert "Key figures · by month" in out
    assert "Red list · now, on 2026-11-21 · 3 items" in out
    assert "Institution ranking" not in out
