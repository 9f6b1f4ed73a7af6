"""``chainlead bottleneck sheet``: an item's supervision sheet (督办单) as HTML, PDF and Word.

Each form is read back with its own reader (python-docx, ``html.parser``,
``pdftotext``/``pdfinfo``/``pdffonts``) and compared with what ``bottleneck
show --json`` says of the item; hostile text arrives as text in every form.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import assert_refused, db_state, execute, on_day
from typer.testing import CliRunner, Result

from chainlead.cli import app

TITLE = '<script>alert(1)</script> & =1+1 "q"'
CHAIN = "Chips <b>&</b>"
ENTERPRISE = "=1+1 Semi <i>Co</i>"
CREDIT_CODE = "91350100M000100Y43"
CONTACT = "+86 139 0000 0000 <Wang>"
CO_UNIT = "Bureau </td></tr></table>"
WHY_LATER = "=cmd|' /C calc'!A0 & more"
WHY_UP = "<b>three weeks late</b>"
NOTE = "progress & <more>"
CONTROL = "bell\x07 escape\x1b form\x0c end"  # put in behind chainlead's back
CONTROL_SHOWN = "bell\u2407 escape\u241b form\u240c end"  # as the sheet shows it


@pytest.fixture
def run(db_url: str):  # noqa: ANN201
    """Run chainlead on the test's database, SQLite or PostgreSQL."""
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, ["--db", db_url, *args], env=env)

    return invoke


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


def _build(run, db_url: str) -> dict:  # noqa: ANN001
    """One item with every part a sheet prints; returns its ``show --json``."""
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run("chain", "add", "IC", CHAIN, "--leader", "Li Ming", "--responsible", "Zhang Wei"))
    ok(
        run(
            "enterprise",
            "add",
            ENTERPRISE,
            "--credit-code",
            CREDIT_CODE,
            "--contact",
            CONTACT,
        )
    )
    ok(
        run(
            "bottleneck",
            "add",
            "IC",
            TITLE,
            "--unit",
            "District Development & Reform Bureau",
            "--new-unit",
            "--owner",
            "Zhang Wei",
            "--due",
            "2026-11-10",
            "--raised-on",
            "2026-10-01",
            "--enterprise",
            ENTERPRISE,
            "--category",
            "power & <water>",
            "--priority",
            "high",
            "--detail",
            "placeholder",
        )
    )
    ok(run("bottleneck", "assign", "IC-1", "--unit", CO_UNIT, "--new-unit", "--due", "2026-11-30"))
    earlier = {"CHAINLEAD_TODAY": "2026-11-05"}
    ok(run("bottleneck", "extend", "IC-1", "--to", "2026-11-15", "--why", WHY_LATER, env=earlier))
    ok(run("bottleneck", "approve", "IC-1", "--by", "Zhang Wei", env=earlier))
    ok(run("bottleneck", "escalate", "IC-1", "--level", "3", "--why", WHY_UP))
    ok(run("bottleneck", "note", "IC-1", NOTE))
    # Control characters are refused on the way in; a database edited by
    # another tool may still hold them.
    execute(db_url, f"UPDATE item SET detail = '{CONTROL}' WHERE \"key\" = 'IC-1'")
    return json.loads(ok(run("bottleneck", "show", "IC-1", "--json")).stdout)


# --------------------------------------------------------------------------- Word


def _docx_cells(path: Path) -> tuple[list[list[list[str]]], object]:
    import docx

    document = docx.Document(str(path))
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    return tables, document


def _table_with(tables: list[list[list[str]]], header: str) -> list[list[str]]:
    found = [t for t in tables if t and t[0][0] == header]
    assert len(found) == 1, [t[0] for t in tables]
    return found[0]


def test_word_sheet_holds_every_field(run, db_url: str, tmp_path: Path) -> None:  # noqa: ANN001
    shown = _build(run, db_url)
    path = tmp_path / "IC-1.docx"
    result = ok(run("bottleneck", "sheet", "ic-1", "--docx", str(path), "--lang", "en"))
    assert result.stdout == ""
    assert f"wrote the IC-1 supervision sheet (docx) to {path}" in result.stderr
    tables, document = _docx_cells(path)

    fields = {row[0]: row[1] for row in tables[0]}
    assert fields["Key"] == shown["key"] == "IC-1"
    assert fields["Title"] == shown["title"] == TITLE
    assert fields["Detail"] == CONTROL_SHOWN
    assert fields["Chain"] == f"IC {CHAIN}"
    assert fields["Chain leader"].startswith("Li Ming")
    assert fields["Responsible person"].startswith("Zhang Wei")
    assert fields["Category"] == shown["category"] == "power & <water>"
    assert fields["Priority"] == shown["priority"] == "high"
    assert fields["Status"] == shown["status"].replace("_", " ")
    assert fields["Light"] == shown["light"] == "red"
    assert fields["Raised on"] == shown["raised_on"] == "2026-10-01"
    assert fields["Due on (time limit)"] == shown["due_on"] == "2026-11-15"
    assert fields["First time limit"] == shown["original_due_on"] == "2026-11-10"
    assert fields["Days over"] == f"{shown['days_over']} d over" == "6 d over"
    assert fields["Responsible institution"] == shown["unit"]
    assert fields["Owner"] == shown["owner"] == "Zhang Wei"
    assert fields["Supervision level"] == "3 letter 督办函" and shown["level"] == 3

    limits = _table_with(tables, "Filed")
    assert len(limits) == 1 + len(shown["extensions"]) == 2
    assert limits[1][2] == "2026-11-10 → 2026-11-15" and limits[1][3] == WHY_LATER

    enterprises = _table_with(tables, "Enterprise")
    assert enterprises[1:] == [[ENTERPRISE, CREDIT_CODE, CONTACT]]

    units = _table_with(tables, "Institution")
    assert [row[0] for row in units[1:]] == [p["unit"] for p in shown["parts"]]
    assert [row[1] for row in units[1:]] == ["lead", "co-handling"]
    assert [row[4] for row in units[1:]] == [p["due_on"] for p in shown["parts"]]

    steps = _table_with(tables, "Date")
    assert len(steps) == 2 and steps[1][1] == "0 none 无 → 3 letter 督办函"
    assert steps[1][3] == WHY_UP

    history = _table_with(tables, "When")
    assert len(history) - 1 == len(shown["history"])
    assert NOTE in [row[3] for row in history]

    # A4, CJK font named for Word, signature lines, page numbers in the footer.
    from docx.oxml.ns import qn

    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Supervision sheet" in text
    assert "Handling institution" in text and "Supervised by" in text and "Date" in text
    footer = section.footer.paragraphs[0].text
    assert footer.startswith("Page ") and " of " in footer


def test_word_sheet_in_chinese(run, db_url: str, tmp_path: Path) -> None:  # noqa: ANN001
    shown = _build(run, db_url)
    path = tmp_path / "IC-1.docx"
    ok(run("bottleneck", "sheet", "IC-1", "--docx", str(path), "--lang", "zh"))
    tables, document = _docx_cells(path)
    fields = {row[0]: row[1] for row in tables[0]}
    assert fields["编号"] == "IC-1" and fields["问题"] == TITLE
    assert fields["紧急程度"] == "高" and fields["状态灯"] == "红灯"
    assert fields["督办级别"] == "3 督办函"
    assert len(_table_with(tables, "时间")) - 1 == len(shown["history"])
    assert document.paragraphs[0].text == "产业链堵点问题督办单"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "承办单位负责人" in text and "督办人" in text and "日期" in text


# --------------------------------------------------------------------------- HTML


class _Page(HTMLParser):
    """The page as a reader sees it: tags opened, tables of cell texts, headings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.headings: list[str] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h1", "h2"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        elif tag in ("h1", "h2") and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading.append(data)


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def test_html_sheet_holds_every_field(run, db_url: str, tmp_path: Path) -> None:  # noqa: ANN001
    shown = _build(run, db_url)
    path = tmp_path / "IC-1.html"
    env = {"CHAINLEAD_DISTRICT": "江宁区 <i>&</i>"}
    ok(run("bottleneck", "sheet", "IC-1", "--html", str(path), "--lang", "zh", env=env))
    page = _page(path)
    assert "script" not in page.tags and "b" not in page.tags and "i" not in page.tags
    assert page.headings[0] == "产业链堵点问题督办单"
    fields = {row[0]: row[1] for row in page.tables[0]}
    assert fields["地区"] == "江宁区 <i>&</i>"
    assert fields["编号"] == "IC-1" and fields["问题"] == TITLE
    assert fields["具体情况"] == CONTROL_SHOWN
    assert fields["所属产业链"] == f"IC {CHAIN}"
    assert fields["问题类别"] == "power & <water>"
    assert fields["提出日期"] == shown["raised_on"] and fields["办结时限"] == shown["due_on"]
    assert fields["原定时限"] == shown["original_due_on"]
    assert fields["超时情况"] == f"逾期{shown['days_over']}天"
    by_header = {table[0][0]: table for table in page.tables[1:]}
    assert by_header["企业名称"][1:] == [[ENTERPRISE, CREDIT_CODE, CONTACT]]
    units = [row[0] for row in by_header["责任单位"][1:]]
    assert units == [p["unit"] for p in shown["parts"]] and units[1] == CO_UNIT
    assert [row[1] for row in by_header["责任单位"][1:]] == ["牵头", "配合"]
    assert by_header["申请日期"][1][3] == WHY_LATER
    assert by_header["日期"][1][3] == WHY_UP
    assert len(by_header["时间"]) - 1 == len(shown["history"])
    text = "".join(page.text)
    assert "承办单位负责人" in text and "督办人" in text
    html = path.read_text(encoding="utf-8")
    # Printed on A4 with the page numbers the label table gives, and nothing fetched.
    assert "size: A4 portrait" in html
    assert 'content: "第 " counter(page) " 页 共 " counter(pages) " 页"' in html
    assert not re.search(r"https?:|//[a-z]|url\(|@import", html, re.I)


def test_template_escapes_by_default() -> None:
    from importlib.resources import files

    from chainlead.render import sheet
    from chainlead.render.report_html import environment

    assert environment().autoescape is True  # the sheet renders with the report's
    template = (files("chainlead.render") / "templates" / sheet.TEMPLATE).read_text("utf-8")
    for source in (template, Path(sheet.__file__).read_text(encoding="utf-8")):
        assert not re.search(r"\|\s*safe\b|Markup|autoescape\s+false", source)


def test_several_forms_at_once_and_stdout(run, db_url: str, tmp_path: Path) -> None:  # noqa: ANN001
    _build(run, db_url)
    html, word = tmp_path / "s.html", tmp_path / "s.docx"
    result = ok(run("bottleneck", "sheet", "IC-1", "--html", str(html), "--docx", str(word)))
    assert result.stdout == "" and html.is_file() and word.is_file()
    assert (html.stat().st_mode & 0o777) == 0o600
    out = ok(run("bottleneck", "sheet", "IC-1", "--html", "-")).stdout
    assert out.startswith("<!DOCTYPE html>") and "Supervision sheet" in out


# --------------------------------------------------------------------------- PDF


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_pdf_sheet_is_a4_with_fonts_embedded(cli, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    run = lambda *args, env=None: cli(*args, env=env)  # noqa: E731
    _build(run, str(db_path))
    path = tmp_path / "IC-1.pdf"
    env = {"CHAINLEAD_DISTRICT": "江宁区"}
    ok(run("bottleneck", "sheet", "IC-1", "--pdf", str(path), "--lang", "zh", env=env))
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    for wanted in ("IC-1", "江宁区", "产业链堵点问题督办单", re.sub(r"\s+", "", TITLE)):
        assert wanted in flat, wanted
    assert re.search(r"第\s*1\s*页\s*共\s*\d+\s*页", text)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)", info), info
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts


# --------------------------------------------------------------------------- refusals


def test_unknown_key_is_refused_with_close_keys(cli, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    _build(lambda *a, env=None: cli(*a, env=env), str(db_path))
    path = tmp_path / "s.html"
    result = cli("bottleneck", "sheet", "IC-9", "--html", str(path))
    assert_refused(result, 1, "no bottleneck item 'IC-9'", "did you mean IC-1")
    assert not path.exists()


def test_no_form_asked_for_names_the_options(cli, db_path: Path) -> None:  # noqa: ANN001
    result = cli("bottleneck", "sheet", "IC-1")
    assert_refused(result, 2, "bottleneck sheet", "--html FILE", "--pdf FILE", "--docx FILE")


def test_refused_targets_write_nothing(cli, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    _build(lambda *a, env=None: cli(*a, env=env), str(db_path))
    before = db_state(db_path)
    good = tmp_path / "s.docx"
    missing = tmp_path / "nowhere" / "s.html"
    result = cli("bottleneck", "sheet", "IC-1", "--docx", str(good), "--html", str(missing))
    assert_refused(result, 2, "--html", "does not exist")
    assert not good.exists() and not missing.exists()
    result = cli("bottleneck", "sheet", "IC-1", "--pdf", str(db_path))
    assert_refused(result, 1, "--pdf", "database in use")
    result = cli("bottleneck", "sheet", "IC-1", "--html", "-", "--docx", "-")
    assert_refused(result, 2, "only one of them can go to stdout")
    result = cli("bottleneck", "sheet", "IC-1", "--html", "s.html", "--lang", "fr")
    assert result.exit_code == 2 and not (Path.cwd() / "s.html").exists()
    assert db_state(db_path) == before
    assert list(tmp_path.glob("s.*")) == []


# --------------------------------------------------------------------------- completion


def test_the_shell_completes_the_key(cli, db_path: Path) -> None:  # noqa: ANN001
    import os
    import sys

    _build(lambda *a, env=None: cli(*a, env=env), str(db_path))
    words = "chainlead bottleneck sheet ic"
    env = {
        **os.environ,
        "_CHAINLEAD_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": "3",
        "CHAINLEAD_DB": str(db_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "chainlead"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split() == ["ic-1"]
