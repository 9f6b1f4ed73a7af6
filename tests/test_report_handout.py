"""The monthly report printed: the A4 handout, as HTML and as PDF.

The PDF is read back with poppler's own readers (``pdfinfo`` for pages and
sizes, ``pdftotext`` for the words, ``pdffonts`` for the fonts); the HTML by
its visible text. Figures and names are taken from the ``--json`` report or
from the snapshot the demo is built from, never from the renderer. Chromium
prints each PDF (about 2 s each): three tests print one.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from helpers import assert_refused
from report_data import build_district
from typer.testing import Result

from chainlead.demo import EXAMPLES
from chainlead.domain import Stamp
from chainlead.domain.bottlenecks import add_item
from chainlead.domain.chains import add_chain
from chainlead.render.handout import css_string
from chainlead.store.database import open_database

Runner = Callable[..., Result]

needs_printer = pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("pdftotext") is None,
    reason="needs chromium and poppler-utils",
)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


def poppler(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


def pages(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", str(pdf)), re.M).group(1))


def page_sizes(pdf: Path) -> list[str]:
    """Each page's size as pdfinfo names it ("A4" when it is)."""
    info = poppler("pdfinfo", "-f", "1", "-l", str(pages(pdf)), str(pdf))
    return re.findall(r"^Page\s+\d+ size:.*\((\w+)\)", info, re.M)


def text(pdf: Path, page: int | None = None) -> str:
    """The PDF's words with all white space squeezed out (CJK runs on, and
    pdftotext spaces Latin and CJK text as its layout suggests)."""
    span = ["-f", str(page), "-l", str(page)] if page else []
    return re.sub(r"\s+", "", poppler("pdftotext", *span, str(pdf), "-"))


def squeeze(words: str) -> str:
    return re.sub(r"\s+", "", words)


def fonts_embedded(pdf: Path) -> list[str]:
    """The "emb" column of pdffonts, one entry per font."""
    lines = poppler("pdffonts", str(pdf)).splitlines()[2:]
    return [line.split()[-5] for line in lines]


def report_json(cli: Runner, *args: str, env: dict[str, str] | None = None) -> dict:
    return json.loads(ok(cli("report", "monthly", "--json", *args, env=env)).stdout)


def visible(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&nbsp;", " ")


@pytest.fixture
def demo(cli: Runner) -> Runner:
    ok(cli("demo", "--replace"))
    return cli


@pytest.fixture
def district(cli: Runner, db_path: Path) -> Runner:
    database = open_database(str(db_path))
    try:
        build_district(database)
    finally:
        database.dispose()
    return cli


# --------------------------------------------------------------------------- the PDF


@needs_printer
def test_the_demo_prints_as_an_a4_handout_in_chinese(demo: Runner, tmp_path: Path) -> None:
    pdf = tmp_path / "月报.pdf"
    result = ok(demo("report", "monthly", "--lang", "zh", "--pdf", str(pdf)))
    assert result.stdout == "" and f"(pdf) to {pdf}" in result.stderr
    count = pages(pdf)
    assert 1 <= count <= 8  # the handout's size target for the demo
    assert page_sizes(pdf) == ["A4"] * count
    assert fonts_embedded(pdf) and set(fonts_embedded(pdf)) == {"yes"}
    header = tomllib.loads((EXAMPLES / "jiangning.toml").read_text(encoding="utf-8"))
    district = squeeze(header["district"])
    report = report_json(demo)
    words = text(pdf)
    assert district in words  # recorded by the import, no configuration
    for chain in report["chains"]:
        assert squeeze(f"{chain['code']} {chain['name']}") in words, chain["name"]
    year, month = report["month"].split("-")
    for page in range(1, count + 1):
        on_page = text(pdf, page)
        assert f"第{page}页共{count}页" in on_page, page
        if page > 1:  # the running header: the district and the month
            assert f"{district}·{year}年{int(month)}月" in on_page, page
    assert "chainleadreport" not in words  # no command on paper


@needs_printer
def test_the_annex_lists_every_item_and_the_page_says_so(district: Runner, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    ok(district("report", "monthly", "--limit", "1", "--annex", "--pdf", str(pdf)))
    count = pages(pdf)
    assert page_sizes(pdf) == ["A4"] * count
    words = text(pdf)
    for page in range(1, count + 1):
        assert f"Page{page}of{count}" in text(pdf, page)
    full = report_json(district, "--limit", "1000")
    ic = next(c for c in full["chains"] if c["code"] == "IC")
    more = ic["figures"]["open_now"] - 1
    assert f"…and{more}more,listedintheannex" in words
    annex = words[words.index("Annex:everyitemofeachchain") :]
    for chain in full["chains"]:
        for listed in ("raised", "resolved", "open_items"):
            for item in chain[listed]:
                assert f"{item['key']}" in annex, item["key"]
    assert "chainleadreport" not in words


@needs_printer
def test_hostile_names_arrive_in_the_pdf_as_text(
    cli: Runner, db_path: Path, tmp_path: Path
) -> None:
    database = open_database(str(db_path))
    stamp = Stamp(actor="tester", at=datetime(2026, 10, 5, 9), today=date(2026, 10, 5))
    try:
        with database.transaction(write=True) as session:
            add_chain(
                session,
                code="IC",
                name="Chips <b>&amp; =1+1",
                leader="Li",
                responsible="Wu",
                stamp=stamp,
            )
            add_item(
                session,
                new_unit=True,
                chain="IC",
                title="Power </td></table><script>x()</script> @SUM(A1)",
                unit="=HYPERLINK(1) Bureau",
                due=date(2026, 10, 20),
                stamp=stamp,
            )
    finally:
        database.dispose()
    pdf = tmp_path / "report.pdf"
    hostile = 'Dist"}</style><b>\x1b[31mrict'
    env = {"CHAINLEAD_DISTRICT": hostile}
    ok(cli("report", "monthly", "--annex", "--pdf", str(pdf), env=env))
    words = text(pdf)
    assert "Chips<b>&amp;=1+1" in words
    assert "Power</td></table><script>x()</script>@SUM(A1)" in words
    assert "=HYPERLINK(1)Bureau" in words
    assert pages(pdf) >= 2
    # The running header, as text, the control character left out.
    assert 'Dist"}</style><b>[31mrict·2026-10' in text(pdf, 2)


# --------------------------------------------------------------------------- the district


def test_import_records_the_snapshots_district(db_url: str, tmp_path: Path) -> None:
    """The masthead's district without configuration: the header of the snapshot
    imported; a later snapshot naming another replaces it; the setting wins."""
    from typer.testing import CliRunner

    from chainlead.cli import app

    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return ok(runner.invoke(app, ["--db", db_url, *args], env=env))

    before = json.loads(run("report", "monthly", "--json").stdout)
    assert before["district"] == "" and before["issue"] == 1  # nothing recorded yet
    demo = EXAMPLES / "jiangning.toml"
    header = tomllib.loads(demo.read_text(encoding="utf-8"))
    run("import", str(demo))
    report = json.loads(run("report", "monthly", "--json").stdout)
    assert report["district"] == header["district"]
    page = tmp_path / "r.html"
    run("report", "monthly", "--lang", "zh", "--html", str(page))
    assert f"{header['district']} 产业链链长制月度报告" in visible(page.read_text("utf-8"))
    again = tmp_path / "again.toml"
    run("export", str(again), env={"CHAINLEAD_DISTRICT": "秦淮区"})
    run("import", str(again))
    assert json.loads(run("report", "monthly", "--json").stdout)["district"] == "秦淮区"
    shown = run("report", "monthly", "--json", env={"CHAINLEAD_DISTRICT": "玄武区"}).stdout
    assert json.loads(shown)["district"] == "玄武区"


# --------------------------------------------------------------------------- refusals


def test_pdf_refusals_write_nothing(district: Runner, tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "r.pdf"
    assert_refused(
        district("report", "monthly", "--pdf", str(missing)),
        2,
        "--pdf: expected a file in an existing folder",
    )
    pdf, html = tmp_path / "r.pdf", tmp_path / "r.html"
    no_browser = {"CHAINLEAD_CHROMIUM": "/nonexistent"}
    assert_refused(
        district("report", "monthly", "--html", str(html), "--pdf", str(pdf), env=no_browser),
        1,
        "--pdf: CHAINLEAD_CHROMIUM names no program (/nonexistent)",
    )
    assert not pdf.exists() and not html.exists() and not missing.parent.exists()
    assert_refused(
        district("report", "monthly", "--html", str(html), env={"CHAINLEAD_REPORT_ISSUE": "0"}),
        2,
        "report_issue (CHAINLEAD_REPORT_ISSUE): expected a whole number from 1 to 9999",
    )
    assert not html.exists()
    assert_refused(
        district(
            "report", "monthly", "--html", str(html), env={"CHAINLEAD_REPORT_ISSUER": "a\x07b"}
        ),
        2,
        "report_issuer (CHAINLEAD_REPORT_ISSUER): expected text without control characters",
    )
    assert not html.exists()
    assert_refused(
        district("report", "monthly", "--annex"),
        2,
        "--annex: expected --html FILE or --pdf FILE with it",
    )


# --------------------------------------------------------------------------- the HTML


def test_cut_lists_on_paper_say_where_the_rest_is(district: Runner, tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    ok(district("report", "monthly", "--limit", "1", "--html", str(page)))
    words = visible(page.read_text(encoding="utf-8"))
    full = report_json(district, "--limit", "1000")
    ic = next(c for c in full["chains"] if c["code"] == "IC")
    assert f"… and {ic['figures']['open_now'] - 1} more, not listed here" in words
    assert "chainlead report" not in words and "Annex" not in words
    ok(district("report", "monthly", "--limit", "1", "--annex", "--html", str(page), "--force"))
    words = visible(page.read_text(encoding="utf-8"))
    assert f"… and {ic['figures']['open_now'] - 1} more, listed in the annex" in words
    assert "chainlead report" not in words
    # Markdown is mailed: words, no command.
    mailed = tmp_path / "r.md"
    ok(district("report", "monthly", "--limit", "1", "--markdown", str(mailed)))
    text = mailed.read_text(encoding="utf-8")
    assert f"… and {ic['figures']['open_now'] - 1} more, not listed here" in text
    assert "chainlead report" not in text
    # The terminal keeps its command.
    terminal = ok(district("report", "monthly", "--limit", "1")).stdout
    assert "chainlead report monthly --month 2026-10 --chain IC" in terminal


def test_the_masthead_names_district_issue_and_signers(demo: Runner, tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    ok(demo("report", "monthly", "--html", str(page)))
    report = report_json(demo)
    words = visible(page.read_text(encoding="utf-8"))
    assert "Jiangning District Monthly report" in words  # from the snapshot's header
    assert f"No. {report['issue']}" in words
    assert "Jiangning District chain-leader working team" in words
    assert re.search(r"Compiled by\s+Reviewed by\s+Approved by", words)  # lines to sign
    env = {
        "CHAINLEAD_DISTRICT": "Qinhuai District",
        "CHAINLEAD_REPORT_ISSUE": "42",
        "CHAINLEAD_REPORT_ISSUER": "Qinhuai chain office",
        "CHAINLEAD_REPORT_COMPILED_BY": "Wang Fang",
        "CHAINLEAD_REPORT_SIGNED_BY": "Li Qiang",
    }
    ok(demo("report", "monthly", "--html", str(page), "--force", env=env))
    words = visible(page.read_text(encoding="utf-8"))
    assert "Qinhuai District Monthly report" in words
    assert "Jiangning District Monthly" not in words
    assert "No. 42" in words and "Qinhuai chain office" in words
    assert re.search(r"Compiled by\s+Wang Fang\s+Reviewed by\s+Approved by\s+Li Qiang", words)


def test_the_issue_number_counts_months_from_the_first_record(district: Runner) -> None:
    # The first record is OLD-1, raised in March 2026: October is the eighth issue.
    assert report_json(district)["issue"] == 8
    assert report_json(district, "--month", "2026-03")["issue"] == 1
    assert report_json(district, env={"CHAINLEAD_REPORT_ISSUE": "3"})["issue"] == 3


def test_change_and_trend_read_without_colour(district: Runner, tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    ok(district("report", "monthly", "--html", str(page)))
    html = page.read_text(encoding="utf-8")
    words = visible(html)
    # Overdue at the end of the month went up by one: worse, said in a word.
    assert re.search(r"Overdue at the end of the month 4 3 ▲1 worse", words)
    assert re.search(r"On-time resolution rate 40% 50% ▼10% worse", words)
    chart = ElementTree.fromstring(re.search(r"<svg.*?</svg>", html, re.S).group(0))
    labels = [t.text for t in chart.iter("{http://www.w3.org/2000/svg}text")] or [
        t.text for t in chart.iter("text")
    ]
    months = [label for label in labels if label and re.fullmatch(r"\d{4}-\d{2}", label)]
    assert months == [t["month"] for t in report_json(district)["trend"]]
    assert months[0] == "2026-03"  # none before the first record
    assert {"Items raised, resolved", "Open at month end", "Month"} <= set(labels)


def test_the_running_header_is_escaped_as_css(district: Runner, tmp_path: Path) -> None:
    hostile = 'a"; } body { display: none } </style><script>x()</script>\\'
    assert re.fullmatch(r"[A-Za-z0-9\\]*", css_string(hostile))
    page = tmp_path / "r.html"
    ok(district("report", "monthly", "--html", str(page), env={"CHAINLEAD_DISTRICT": hostile}))
    html = page.read_text(encoding="utf-8")
    assert html.count("</style>") == 1 and "<script" not in html
    assert "a&#34;; } body { display: none } &lt;/style&gt;" in html  # the masthead, as text


def test_the_svg_opens_at_its_own_size(district: Runner, tmp_path: Path) -> None:
    picture = tmp_path / "r.svg"
    ok(district("report", "monthly", "--svg", str(picture)))
    root = ElementTree.parse(picture).getroot()
    _, _, width, height = root.attrib["viewBox"].split()
    assert (root.attrib["width"], root.attrib["height"]) == (width, height)
    assert float(width) > 1000


def test_a_district_of_many_chains_prints_shorter_lists(cli: Runner, db_path: Path) -> None:
    """Past MANY_CHAINS chains the printed page lists SHORT_LIMIT items a list (the
    terminal and --json keep theirs), so a 20-chain district fits about 16 pages."""
    from chainlead.render.handout import MANY_CHAINS, PAPER_LIMIT, SHORT_LIMIT

    database = open_database(str(db_path))
    stamp = Stamp(actor="tester", at=datetime(2026, 10, 5, 9), today=date(2026, 10, 5))
    codes = [f"C{n:02d}" for n in range(MANY_CHAINS + 1)]
    try:
        with database.transaction(write=True) as session:
            for code in codes:
                add_chain(
                    session,
                    code=code,
                    name=f"Chain {code}",
                    leader="Li",
                    responsible="Wu",
                    stamp=stamp,
                )
                for n in range(PAPER_LIMIT + 1):
                    add_item(
                        session,
                        new_unit=True,
                        chain=code,
                        title=f"Matter {code}-{n}",
                        unit="District Bureau",
                        due=date(2026, 12, 1),
                        stamp=stamp,
                    )
    finally:
        database.dispose()

    def listed(page: str, code: str) -> int:
        return len(re.findall(rf"\b{code}-\d+\b", page))

    page = db_path.parent / "r.html"
    ok(cli("report", "monthly", "--month", "2026-10", "--html", str(page)))
    words = visible(page.read_text(encoding="utf-8"))
    more = PAPER_LIMIT + 1 - SHORT_LIMIT
    assert words.count(f"… and {more} more, not listed here") >= len(codes)
    terminal = ok(cli("report", "monthly", "--month", "2026-10")).stdout
    assert listed(terminal, "C00") > listed(words, "C00")
    ok(
        cli(
            "report",
            "monthly",
            "--month",
            "2026-10",
            "--html",
            str(page),
            "--force",
            "--limit",
            "9",
        )
    )
    assert "more, not listed here" not in visible(page.read_text(encoding="utf-8"))
