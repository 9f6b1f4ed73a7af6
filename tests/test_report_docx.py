"""``report monthly --docx``: the Word bulletin, read back with python-docx.

The district is the one of ``tests/report_data.py``; today is 2026-11-21, so the
report is October's. Numbers are compared with the ``--json`` report's; the
page, footer fields and fonts are read from the document's own XML.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from helpers import assert_refused, db_state, execute
from report_data import build_district, on
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.domain.bottlenecks import add_item
from chainlead.render.report_scoreboard import RED_SHOWN
from chainlead.store.database import open_database

Run = Callable[..., Result]

SECTIONS = {
    "en": ["1. Overview", "2. Progress by chain", "3. Problems", "4. Next steps"],
    "zh": ["一、总体情况", "二、各产业链推进情况", "三、存在问题", "四、下步工作"],
}
HOSTILE = '=1+1 <b>&amp;</b> & "q" \x07bell\x1b[31m'
SHOWN = '=1+1 <b>&amp;</b> & "q" bell[31m'  # the control characters taken out


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


@pytest.fixture
def run(db_url: str) -> Run:
    """chainlead against the report district, on each backend."""
    database = open_database(db_url)
    try:
        build_district(database)
    finally:
        database.dispose()
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, ["--db", db_url, *args], env=env)

    return invoke


def bulletin(run: Run, path: Path, *args: str, env: dict[str, str] | None = None) -> Document:
    result = ok(run("report", "monthly", "--docx", str(path), *args, env=env))
    assert result.stdout == ""
    assert f"to {path}" in result.stderr
    return docx.Document(str(path))


def headings(document: Document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def cells(table) -> list[list[str]]:  # noqa: ANN001
    return [[cell.text for cell in row.cells] for row in table.rows]


def every_text(document: Document) -> str:
    """The document's text as a reader sees it: paragraphs, table cells, header."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [text for row in cells(table) for text in row]
    parts += [p.text for p in document.sections[0].header.paragraphs]
    return "\n".join(parts)


def caption_of(document: Document, table_index: int) -> str:
    """The caption paragraph written just before a table."""
    found = document.element.body.xpath("./w:tbl")[table_index].getprevious()
    return "".join(found.itertext())


def red_table(document: Document, which: int = 0):  # noqa: ANN201
    """The red list's table (its last column the supervision level)."""
    found = [t for t in document.tables if cells(t)[0][-1] in ("Supervision", "督办级别")]
    return found[which]


def parts_of(document: Document, section: str) -> list[str]:
    """The level-2 headings under a level-1 heading."""
    found: list[str] = []
    inside = False
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            inside = paragraph.text == section
        elif inside and paragraph.style.name == "Heading 2":
            found.append(paragraph.text)
    return found


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bulletin_structure_and_numbers_are_the_reports(
    run: Run, tmp_path: Path, lang: str
) -> None:
    data = json.loads(ok(run("report", "monthly", "--json")).stdout)
    document = bulletin(run, tmp_path / "bulletin.docx", "--lang", lang)

    assert headings(document, 1) == SECTIONS[lang]
    parts = parts_of(document, SECTIONS[lang][1])
    assert len(parts) == len(data["chains"])
    for heading, chain in zip(parts, data["chains"], strict=True):
        assert chain["name"] in heading and chain["code"] in heading, (heading, chain)

    # Table 1, the scoreboard: a row per chain and the total, as the JSON counts them.
    board = data["scoreboard"]
    scoreboard = cells(document.tables[0])
    header, body, total = scoreboard[0], scoreboard[1:-1], scoreboard[-1]
    assert len(header) == 12
    assert len(body) == len(board["rows"])
    for shown, row in zip(body, board["rows"], strict=True):
        code, name = shown[0].split("\n")
        assert code == row["code"] and name.startswith(row["name"])  # (and archived when)
        assert shown[1].split("\n")[0] == (row["leader"] or "–")
        assert [int(x) for x in shown[3:6]] == [
            row["open_at_start"],
            row["raised"],
            row["resolved"],
        ]
        assert shown[9] == f"{row['red_now']} / {row['yellow_now']} / {row['green_now']}"
        assert int(shown[10]) == row["escalated_now"]
    t = board["total"]
    assert [int(x) for x in total[3:6]] == [t["open_at_start"], t["raised"], t["resolved"]]
    assert total[9] == f"{t['red_now']} / {t['yellow_now']} / {t['green_now']}"
    assert total[6] == f"{t['done_year']['rate'] * 100:.0f}%"

    # The red list and the ranking: every item and institution, in the report's order.
    red = red_table(document)
    assert [row[0] for row in cells(red)[1:]] == [r["key"] for r in data["red_list"]]
    assert [int(row[5]) for row in cells(red)[1:]] == [r["days_over"] for r in data["red_list"]]
    ranking = document.tables[-1]
    assert [row[1] for row in cells(ranking)[1:]] == [r["unit"] for r in data["ranking"]["rows"]]
    assert [int(row[0]) for row in cells(ranking)[1:]] == [
        r["rank"] for r in data["ranking"]["rows"]
    ]
    assert "2026" in caption_of(document, 0)  # each table says its time base


@pytest.mark.parametrize(
    ("lang", "body", "heading", "table", "footer"),
    [
        ("zh", "仿宋", "黑体", "宋体", "第 1 页 共 1 页"),
        ("en", "仿宋", "黑体", "宋体", "Page 1 of 1"),
    ],
)
def test_page_footer_fields_and_fonts(
    run: Run, tmp_path: Path, lang: str, body: str, heading: str, table: str, footer: str
) -> None:
    document = bulletin(run, tmp_path / "b.docx", "--lang", lang)
    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.cm, 2) for m in margins] == [3.7, 3.5, 2.8, 2.6]

    # Page numbers: PAGE and NUMPAGES fields in the footer, between the words.
    paragraph = section.footer.paragraphs[0]
    instructions = [
        "".join(found.itertext()).strip()
        for run in paragraph.runs
        for found in run.element.findall(qn("w:instrText"))
    ]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert paragraph.text == footer  # the fields' last shown values are 1

    # Fonts named for Word: the east-asian face in w:eastAsia, no theme font over it.
    for name, face in (("Normal", body), ("Heading 1", heading), ("Table Text", table)):
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == face, name
        assert fonts.get(qn("w:ascii")) in ("Times New Roman", "Arial"), name
        assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None
    # Every table's header row repeats on each page.
    tables = document.element.body.xpath("./w:tbl")
    assert tables
    assert all(t.xpath("./w:tr[1]/w:trPr/w:tblHeader") for t in tables)


def test_hostile_text_arrives_as_text(run: Run, db_url: str, tmp_path: Path) -> None:
    escaped = HOSTILE.replace("'", "''")
    execute(
        db_url,
        f"UPDATE item SET title = '{escaped}' WHERE number = 8 "
        "AND chain_id = (SELECT id FROM chain WHERE code = 'IC')",
    )
    district = '=HYPERLINK("x") <i>区</i> &'
    for lang in ("en", "zh"):
        path = tmp_path / f"{lang}.docx"
        document = bulletin(run, path, "--lang", lang, env={"CHAINLEAD_DISTRICT": district})
        text = every_text(document)
        # IC-8 is raised in October, red now and blocked: in the chain's list, the
        # red list's table and the chain leaders' agenda.
        assert text.count(SHOWN) >= 3, text
        assert "\x07" not in text and "\x1b" not in text
        red = red_table(document)
        assert SHOWN in [row[1] for row in cells(red)]
        assert district in document.paragraphs[0].text  # the masthead
        assert district in document.sections[0].header.paragraphs[0].text


def test_refused_targets_write_nothing(cli, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    before = db_state(db_path)
    assert_refused(
        cli("report", "monthly", "--docx", str(tmp_path / "missing" / "r.docx")),
        2,
        "--docx: expected a file in an existing folder",
    )
    assert_refused(
        cli("report", "monthly", "--docx", str(db_path)),
        1,
        "--docx:",
        "is the database in use",
    )
    assert_refused(cli("report", "monthly", "--docx", str(tmp_path)), 2, "--docx: expected a file")
    assert_refused(cli("report", "monthly", "--json", "--docx", "-"), 2, "only one of them")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("chainlead.db")) == []
    assert db_state(db_path) == before


def test_bulletin_to_stdout_and_one_chain(run: Run, tmp_path: Path) -> None:
    result = ok(run("report", "monthly", "--docx", "-", "--chain", "IC"))
    assert result.stdout_bytes.startswith(b"PK")
    path = tmp_path / "one.docx"
    path.write_bytes(result.stdout_bytes)
    document = docx.Document(str(path))
    assert headings(document, 1) == SECTIONS["en"]
    assert any("Integrated circuits (IC)" in h for h in headings(document, 2))
    assert not any("Biomedicine" in h for h in headings(document, 2))


def test_notes_and_cut_lists_in_words(run: Run, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(
        "# 存在问题\n\nPower <b>capacity</b> & land are short.\n\n"
        "# 下步工作\n\n=Ask the grid company again in December.\n",
        encoding="utf-8",
    )
    document = bulletin(
        run, tmp_path / "b.docx", "--lang", "zh", "--notes", str(notes), "--limit", "1"
    )
    texts = [p.text for p in document.paragraphs]
    problems, steps = texts.index("三、存在问题"), texts.index("四、下步工作")
    assert texts[problems + 1] == "Power <b>capacity</b> & land are short."
    assert texts[steps + 1] == "=Ask the grid company again in December."
    # A cut list says how many more, in words: no shell command on paper.
    text = every_text(document)
    assert "另有" in text and "未列出" in text
    assert "report monthly" not in text and "--limit" not in text


def test_an_empty_district_still_makes_a_bulletin(cli, tmp_path: Path) -> None:  # noqa: ANN001
    document = bulletin(cli, tmp_path / "empty.docx", "--lang", "zh")
    assert headings(document, 1) == SECTIONS["zh"]
    assert document.tables == []  # no chain, no institution: no table
    texts = [p.text for p in document.paragraphs]
    assert "无。" in texts and "没有红灯堵点。" in texts


def test_a_long_red_list_goes_whole_to_the_annex(run: Run, db_url: str, tmp_path: Path) -> None:
    """Past RED_SHOWN red items the list in 三 stops and says so; the annex has every one."""
    database = open_database(db_url)
    try:
        with database.transaction(write=True) as session:
            for n in range(30):
                add_item(
                    session,
                    new_unit=True,
                    chain="BIO",
                    title=f"Overdue matter {n}",
                    unit="District Health Commission",
                    due=date(2026, 10, 1) + timedelta(days=n),
                    raised_on=date(2026, 9, 1),
                    stamp=on("2026-09-01", 8),
                )
    finally:
        database.dispose()
    data = json.loads(ok(run("report", "monthly", "--json")).stdout)
    assert len(data["red_list"]) > RED_SHOWN
    document = bulletin(run, tmp_path / "b.docx", "--lang", "zh")
    assert headings(document, 1) == [*SECTIONS["zh"], "附件"]
    first, annex = red_table(document, 0), red_table(document, 1)
    assert len(cells(first)) == 1 + RED_SHOWN
    assert [row[0] for row in cells(annex)[1:]] == [r["key"] for r in data["red_list"]]
    more = len(data["red_list"]) - RED_SHOWN
    assert f"另有{more}项红灯堵点见附件（共{len(data['red_list'])}项）。" in every_text(document)
