"""``chainlead report``: the forms a leader reads and prints, and their refusals.

The district is the one of ``tests/report_data.py`` (figures counted by hand
in ``tests/test_report.py``); today is 2026-11-21, so the default month is
2026-10.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from helpers import assert_refused, db_state
from report_data import DRB, build_district
from rich.cells import cell_len
from rich.console import Console

from chainlead.domain import Stamp
from chainlead.domain.bottlenecks import add_item
from chainlead.domain.chains import add_chain
from chainlead.domain.reports import monthly_report
from chainlead.domain.schedules import add_meeting
from chainlead.render.labels import Labels
from chainlead.render.report import exporter, monthly_renderable
from chainlead.store.database import open_database

HOSTILE = '<script>alert(1)</script> [link=javascript:alert(1)]click[/link] | *x* `y` & "q"'


@pytest.fixture
def district(cli, db_path: Path):  # noqa: ANN001, ANN201
    database = open_database(str(db_path))
    try:
        build_district(database)
    finally:
        database.dispose()
    return cli


def ok(result):  # noqa: ANN001, ANN201
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


def test_monthly_on_the_terminal(district) -> None:  # noqa: ANN001
    result = ok(district("report", "monthly"))
    out = result.stdout
    assert result.stderr == ""
    assert out.startswith("Monthly report · 2026-10\n")
    for heading in (
        "1  District overview",
        "2  Twelve-month trend",
        "3  Chains",
        "4  Responsible institutions",
    ):
        assert heading in out
    assert re.search(r"Scheduling meetings held / expected\s+1 / 3\s+2 / 2\s+▼1", out)
    assert re.search(r"Overdue at the end of the month\s+4\s+3\s+▲1", out)
    assert re.search(r"On-time resolution rate\s+40%\s+50%\s+▼10%", out)
    # Red chains first; BIO and NEW missed their scheduling meeting.
    assert out.index("IC  Integrated circuits") < out.index("BIO  Biomedicine")
    assert out.index("BIO  Biomedicine") < out.index("NEW  New materials")
    assert out.count("No scheduling meeting recorded for 2026-10.") == 2
    assert "Second tranche paid" in out  # how IC-6 was resolved
    # Plain when piped: no escape codes, lights as words, laid out for 100 columns.
    assert "\x1b[" not in out
    assert re.search(r"red\s+IC-1\s+Wafer fab power capacity", out)
    assert max(cell_len(line) for line in out.splitlines()) <= 100


def test_monthly_json_is_the_report_data(district) -> None:  # noqa: ANN001
    data = json.loads(ok(district("report", "monthly", "--json")).stdout)
    assert data["month"] == "2026-10"
    assert data["as_of"] == "2026-10-31"
    figures = {f["key"]: f for f in data["overview"]}
    assert figures["open_at_end"] == {
        "key": "open_at_end",
        "value": 6,
        "previous": 7,
        "change": -1,
        "better": "down",
    }
    assert [t["open_at_end"] for t in data["trend"]][-3:] == [5, 7, 6]
    assert [c["code"] for c in data["chains"]] == ["IC", "BIO", "NEW"]
    ic = data["chains"][0]
    assert ic["resolved"][0] == {
        "key": "IC-2",
        "title": "Customs pre-clearance for lithography parts",
        "enterprise": None,
        "unit": "State Grid Jiangning Power Supply Company",
        "owner": None,
        "resolved_on": "2026-10-01",
        "due_on": "2026-10-15",
        "on_time": True,
        "days_to_resolve": 26,
        "how": "Pre-clearance channel opened at Lukou airport",
        "status": "resolved",
    }
    assert data["units"][0]["unit"] == DRB
    one = json.loads(ok(district("report", "monthly", "--chain", "ic", "--json")).stdout)
    assert one["chain"] == "IC" and one["overview"] == [] and one["units"] == []


def test_month_and_limit(district) -> None:  # noqa: ANN001
    september = json.loads(ok(district("report", "monthly", "--month", "2026-09", "--json")).stdout)
    assert {c["code"] for c in september["chains"]} == {"IC", "BIO", "OLD"}
    out = ok(district("report", "monthly", "--chain", "IC", "--limit", "2")).stdout
    assert "… and 3 more: chainlead report monthly --month 2026-10 --chain IC --limit 5" in out


def test_chinese_report_has_chinese_labels_only(district, tmp_path: Path) -> None:  # noqa: ANN001
    zh = ok(district("report", "monthly", "--lang", "zh")).stdout
    for label in (
        "链长",
        "责任人",
        "工作专班",
        "月度调度",
        "堵点",
        "已解决",
        "逾期",
        "红灯",
        "全区概况",
    ):
        assert label in zh
    same = ok(district("report", "monthly", env={"CHAINLEAD_LANG": "zh"})).stdout
    assert same == zh
    assert ok(
        district("report", "monthly", "--lang", "en", env={"CHAINLEAD_LANG": "zh"})
    ).stdout.startswith("Monthly report")


def _chinese_district(db_path: Path) -> None:
    """A chain whose data is all in Chinese, to show the labels are too."""
    database = open_database(str(db_path))
    stamp = Stamp(actor="tester", at=datetime(2026, 10, 5, 9), today=date(2026, 10, 5))
    try:
        with database.transaction(write=True) as session:
            add_chain(
                session,
                code="IC",
                name="集成电路",
                leader="李明",
                responsible="张伟",
                members=("王芳",),
                stamp=stamp,
            )
            add_item(
                session,
                new_unit=True,
                chain="IC",
                title="晶圆厂供电容量不足",
                unit="区发展和改革局",
                owner="周兰",
                new_person=True,
                enterprise="中芯南京",
                due=date(2026, 10, 20),
                stamp=stamp,
            )
            add_meeting(
                session,
                chain="IC",
                held_on=date(2026, 10, 5),
                summary="研究供电问题",
                decisions=("供电公司十一月前报方案",),
                attendees=("王芳",),
                figures=("产值=12.5:亿元",),
                stamp=stamp,
            )
    finally:
        database.dispose()


def _visible(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_no_english_label_in_the_chinese_report(cli, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    _chinese_district(db_path)
    keys = re.compile(r"\bIC(-M?\d+)?\b")
    terminal = ok(cli("report", "monthly", "--lang", "zh")).stdout
    html_path, md_path = tmp_path / "r.html", tmp_path / "r.md"
    ok(
        cli(
            "report",
            "monthly",
            "--lang",
            "zh",
            "--html",
            str(html_path),
            "--markdown",
            str(md_path),
        )
    )
    overdue = ok(cli("report", "overdue", "--lang", "zh")).stdout
    forms = {
        "terminal": terminal,
        "html": _visible(html_path.read_text(encoding="utf-8")),
        "markdown": md_path.read_text(encoding="utf-8"),
        "overdue": overdue,
    }
    assert "晶圆厂供电容量不足" in terminal and "产值" in terminal
    for form, text in forms.items():
        leftover = re.findall(r"[A-Za-z]+", keys.sub("", text).replace("&nbsp;", " "))
        assert leftover == [], (form, leftover)


def _hostile_district(db_path: Path) -> None:
    database = open_database(str(db_path))
    stamp = Stamp(actor="tester", at=datetime(2026, 10, 5, 9), today=date(2026, 10, 5))
    try:
        with database.transaction(write=True) as session:
            add_chain(
                session,
                code="IC",
                name="Chips <b>bold</b>",
                leader="Li <i>Ming</i>",
                responsible="Zhang Wei",
                stamp=stamp,
            )
            add_item(
                session,
                new_unit=True,
                chain="IC",
                title=HOSTILE,
                unit="Bureau </td></tr></table><script>x()</script>",
                due=date(2026, 10, 20),
                stamp=stamp,
            )
            add_meeting(
                session,
                chain="IC",
                held_on=date(2026, 10, 5),
                summary="<img src=x onerror=alert(1)>",
                decisions=("# not a heading | nor a cell",),
                stamp=stamp,
            )
    finally:
        database.dispose()


def test_html_is_escaped_and_self_contained(cli, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    _hostile_district(db_path)
    path = tmp_path / "report.html"
    result = ok(cli("report", "monthly", "--html", str(path)))
    assert result.stdout == ""
    assert f"wrote the 2026-10 report (html) to {path}" in result.stderr
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>bold</b>" not in html and "Chips &lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;" in html
    assert "`y` &amp; &#34;q&#34;" in html and '"q"' not in html
    # Nothing is fetched: no links, no web fonts, no scripts, no external URLs.
    assert not re.search(r"https?:|//[a-z]|url\(|@import", html, re.I)
    tags = re.findall(r"<[^>]+>", html)
    assert not [t for t in tags if re.search(r"\b(src|href|action)=|^<(link|script|iframe)", t)]
    assert "@page { size: A4 portrait" in html
    assert html.count('<section class="chain">') == 1
    svg_path = tmp_path / "report.svg"
    ok(cli("report", "monthly", "--svg", str(svg_path), env={"COLUMNS": "100"}))
    svg = svg_path.read_text(encoding="utf-8")
    assert "<script" not in svg.lower() and "<img" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


def test_html_comes_from_one_autoescaped_template_in_the_package() -> None:
    """Escaping is the default, not a call to remember: the page is a template
    shipped as package data, rendered with autoescape on, and neither the
    template nor its renderer marks any text safe."""
    import tomllib
    from fnmatch import fnmatch
    from importlib.resources import files

    from chainlead.render import report_html

    assert report_html.environment().autoescape is True
    template = files("chainlead.render") / "templates" / report_html.TEMPLATE
    assert template.is_file()
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    globs = pyproject["tool"]["setuptools"]["package-data"]["chainlead"]
    assert any(fnmatch(f"render/templates/{report_html.TEMPLATE}", g) for g in globs)
    for source in (template.read_text(encoding="utf-8"), Path(report_html.__file__).read_text()):
        assert not re.search(r"\|\s*safe\b|Markup|autoescape\s+false", source)


def test_terminal_never_reads_markup_from_data(cli, db_path: Path) -> None:  # noqa: ANN001
    _hostile_district(db_path)
    env = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "300"}
    out = ok(cli("report", "monthly", env=env)).stdout
    assert "\x1b[" in out  # colour is on
    assert "\x1b]8;" not in out  # but no hyperlink was made from the title
    assert "[link=javascript:alert(1)]click[/link]" in re.sub(r"\x1b\[[0-9;]*m", "", out)


def test_markdown_keeps_text_literal(cli, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    _hostile_district(db_path)
    path = tmp_path / "report.md"
    ok(cli("report", "monthly", "--markdown", str(path)))
    text = path.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\[link=javascript:alert(1)\\]click" in text
    assert '\\| \\*x\\* \\`y\\` &amp; "q"' in text
    assert "\n# not a heading" not in text and "\\# not" not in text
    assert "1. # not a heading \\| nor a cell" in text
    for line in text.splitlines():
        if line.startswith("|"):
            # every table row keeps its columns: data pipes are escaped
            assert len(re.findall(r"(?<!\\)\|", line)) == len(
                re.findall(r"(?<!\\)\|", text.splitlines()[text.splitlines().index(line)])
            )


def test_svg_is_offline_and_sizes_cjk_text(cli, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    _chinese_district(db_path)
    path = tmp_path / "report.svg"
    ok(cli("report", "monthly", "--lang", "zh", "--svg", str(path)))
    svg = path.read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    assert "@font-face" not in svg and "https://" not in svg
    widths = {}
    for length, text in re.findall(r'textLength="([0-9.]+)"[^>]*>([^<]*)</text>', svg):
        widths.setdefault(text, float(length))
    heading = next(t for t in widths if t.startswith("1&#160;&#160;全区概况"))
    unit = widths[heading] / cell_len(heading.replace("&#160;", " "))
    assert unit == pytest.approx(12.2)
    title = next(t for t in widths if t.startswith("产业链链长制月度报告"))
    shown = title.replace("&#160;", " ")
    assert widths[title] == pytest.approx(unit * cell_len(shown))


def test_html_to_stdout_and_refused_targets(district, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    html = ok(district("report", "monthly", "--html", "-")).stdout
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    before = db_state(db_path)
    assert_refused(
        district("report", "monthly", "--html", str(tmp_path / "missing" / "r.html")),
        2,
        "--html: expected a file in an existing folder",
    )
    assert_refused(
        district("report", "monthly", "--svg", str(tmp_path)), 2, "--svg: expected a file name"
    )
    assert_refused(
        district("report", "monthly", "--json", "--markdown", "-"), 2, "only one of them"
    )
    assert list(tmp_path.glob("*")) == [db_path] or all(
        p.suffix in (".db", ".db-wal", ".db-shm") for p in tmp_path.glob("*")
    )
    assert db_state(db_path) == before


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("--month", "2026-13"), 2, "--month: expected a month as YYYY-MM"),
        (("--month", "2026-12"), 2, "--month: expected a month up to the current one (2026-11)"),
        (("--chain", "XX"), 1, "no chain 'XX'"),
        (("--chain", "I"), 1, "did you mean"),
        (("--lang", "fr"), 2, "--lang"),
        (("--limit", "0"), 2, "--limit"),
    ],
)
def test_monthly_refusals(district, db_path: Path, args, code, fragment) -> None:  # noqa: ANN001
    before = db_state(db_path)
    assert_refused(district("report", "monthly", *args), code, fragment)
    assert db_state(db_path) == before


def test_overdue_report_and_check(district, db_path: Path) -> None:  # noqa: ANN001
    out = ok(district("report", "overdue")).stdout
    assert "Overdue items  2026-11-21  4 overdue items" in out
    assert out.index(DRB) < out.index("District Science and Technology Bureau")
    assert re.search(
        r"IC-1\s+Wafer fab power capacity\s+open\s+2026-09-30\s+52 d over\s+Li Ming", out
    )
    assert "escalate" in out
    data = json.loads(ok(district("report", "overdue", "--json")).stdout)
    assert data["total"] == 4
    assert [g["unit"] for g in data["units"]][0] == DRB
    before = db_state(db_path)
    checked = district("report", "overdue", "--check")
    assert checked.exit_code == 3
    assert "IC-1" in checked.stdout
    assert checked.stderr == "chainlead: error: 4 overdue (red) items\n"
    quiet = district("report", "overdue", "--check", "--chain", "BIO")
    assert quiet.exit_code == 0, quiet.stderr
    assert "No overdue items." in quiet.stdout
    narrowed = json.loads(
        ok(district("report", "overdue", "--unit", "power supply", "--json")).stdout
    )
    assert [i["key"] for g in narrowed["units"] for i in g["items"]] == ["IC-10"]
    assert db_state(db_path) == before


def test_overdue_lists_are_capped_per_institution_on_the_terminal(district, db_path: Path) -> None:  # noqa: ANN001
    """The terminal lists each institution's most overdue items (--limit, default 20)
    and how many more; --all, --check and --json give every item."""
    more = f"… and 1 more: chainlead report overdue --unit '{DRB}' --all"
    capped = ok(district("report", "overdue", "--limit", "1")).stdout
    assert "IC-1 " in capped and "IC-8" not in capped
    assert more in capped
    assert "(2 overdue)" in capped  # the count is the whole institution's
    assert "Overdue items  2026-11-21  4 overdue items" in capped
    everything = ok(district("report", "overdue")).stdout  # 2 per institution: under 20
    assert "more" not in everything and "IC-8" in everything
    assert ok(district("report", "overdue", "--limit", "1", "--all")).stdout == everything
    checked = district("report", "overdue", "--limit", "1", "--check")
    assert checked.exit_code == 3 and checked.stdout == everything
    data = json.loads(ok(district("report", "overdue", "--limit", "1", "--json")).stdout)
    assert sum(len(g["items"]) for g in data["units"]) == data["total"] == 4
    one_chain = ok(district("report", "overdue", "--chain", "ic", "--limit", "1")).stdout
    assert more.replace(" --all", " --chain IC --all") in " ".join(one_chain.split())
    zh = ok(district("report", "overdue", "--limit", "1", "--lang", "zh")).stdout
    assert "……另有1项：chainlead report overdue --unit" in zh
    before = db_state(db_path)
    assert_refused(district("report", "overdue", "--limit", "0"), 2, "--limit")
    assert db_state(db_path) == before


def test_reports_read_without_the_orm(district, db_path: Path) -> None:  # noqa: ANN001
    """On a SQLite file the reports read with plain SQL: SQLAlchemy, SQLModel and
    pydantic are never imported (they cost about 0.3 s of every run)."""
    for args in (("report", "overdue"), ("report", "monthly", "--chain", "IC", "--json")):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "chainlead", "--db", str(db_path), *args],
            capture_output=True,
            text=True,
            env={**os.environ, "CHAINLEAD_TODAY": "2026-11-21"},
            check=False,
        )
        assert result.returncode == 0, result.stderr
        imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()}
        heavy = {
            name
            for name in imported
            if name.split(".")[0] in ("sqlalchemy", "sqlmodel", "pydantic", "alembic")
        }
        assert heavy == set(), sorted(heavy)[:5]


def test_print_monthly_for_the_demo(district, db_path: Path, capsys: pytest.CaptureFixture) -> None:  # noqa: ANN001
    from chainlead.cli.report import print_monthly
    from chainlead.settings import load_settings

    database = open_database(str(db_path))
    try:
        with database.transaction(write=False) as session:
            print_monthly(session, load_settings(), "2026-09")
    finally:
        database.dispose()
    out = capsys.readouterr().out
    assert out.startswith("Monthly report · 2026-09")
    assert "OLD  Old textiles" in out


def test_every_form_draws_the_same_report(district, db_path: Path) -> None:  # noqa: ANN001
    """One data function, several drawings: the figures agree across forms."""
    database = open_database(str(db_path))
    try:
        with database.transaction(write=False) as session:
            report = monthly_report(session, today=date(2026, 11, 21))
    finally:
        database.dispose()
    labels = Labels("en")
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(monthly_renderable(report, labels))
    terminal = console.file.getvalue()  # type: ignore[attr-defined]
    html = exporter("html").render(report, labels)
    markdown = exporter("markdown").render(report, labels)
    for form in (terminal, html, markdown):
        assert "Second tranche paid" in form
        assert "40%" in form and "57.5 d" in form
        assert "234 d" in form  # OLD-1, the longest overdue of the science bureau


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_terminal_report_is_drawn_fast_and_the_same(district, db_path: Path, lang: str) -> None:  # noqa: ANN001
    """Into a pipe the reports are made into text without rich's printing: the
    same text as printing them, at the report's width and narrower."""
    from chainlead.domain.reports import overdue_report
    from chainlead.render.longtable import plain_text
    from chainlead.render.report import overdue_renderable

    database = open_database(str(db_path))
    try:
        with database.transaction(write=False) as session:
            monthly = monthly_report(session, today=date(2026, 11, 21), month="2026-10")
            overdue = overdue_report(session, today=date(2026, 11, 21))
    finally:
        database.dispose()
    labels = Labels(lang)
    for width in (100, 64):
        for renderable in (
            monthly_renderable(monthly, labels),
            overdue_renderable(overdue, labels, limit=2),
        ):
            printed = Console(file=io.StringIO(), width=width, color_system=None)
            printed.print(renderable)
            fast = Console(file=io.StringIO(), width=width, color_system=None)
            assert plain_text(fast, renderable) == printed.file.getvalue()  # type: ignore[attr-defined]


@pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("pdfinfo") is None,
    reason="needs chromium and poppler-utils",
)
def test_monthly_prints_to_an_a4_pdf(district, tmp_path: Path) -> None:  # noqa: ANN001
    """--pdf prints the handout itself (tests/test_report_handout.py reads it whole)."""
    pdf = tmp_path / "report.pdf"
    ok(district("report", "monthly", "--pdf", str(pdf)))
    assert pdf.read_bytes().startswith(b"%PDF")
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    # The overview, trend, the chains one after another and the institutions: a
    # page or three, no runaway layout. A4 portrait, every page.
    assert 1 <= count <= 3
    assert re.findall(r"^Page\s+\d+ size:.*\((\w+)\)", info, re.M) == ["A4"] * count


def test_a_list_cell_is_the_text_appending_makes() -> None:
    """Item cells are made at once; the same text and styles as appending each part,
    control codes in user text included."""
    from rich.text import Text

    from chainlead.render.report import _joined

    for title, extra, unit in [
        ("Power capacity", " (锐联)", "区发展和改革局"),
        ("ti\x07tle\x1b", " (e\x08nt)", "u\x00nit\r"),
        ("", "", ""),
    ]:
        made = _joined((title, ""), (extra, "dim"), ("\n", ""), (unit, "dim"), ("", "yellow"))
        appended = Text(title, overflow="fold")
        appended.append(extra, style="dim").append("\n").append(unit, style="dim")
        assert (made.plain, made.spans, made.overflow) == (
            appended.plain,
            appended.spans,
            appended.overflow,
        )
