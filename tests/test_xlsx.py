"""``bottleneck list --xlsx`` and ``report monthly --xlsx``: the workbooks read back
with openpyxl, on SQLite and PostgreSQL; today is 2026-11-21."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from helpers import assert_refused, execute, on_day
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.render.xlsx import CELL_MAX, clean, page_header, sheet_names, text_width

Run = Callable[..., Result]

UNIT = "区发展和改革局"
# A chain name Excel cannot take as a sheet name: forbidden characters, too long.
ODD_NAME = "新材料[试点]:*?/\\产业链'与一个超过三十一个字符的很长很长很长的名字'"
HOSTILE = ("=1+1", "@SUM(A1)", "<b>&amp;</b> & <i>", "-3", "+cmd|' /C calc'!A0")
RED, YELLOW, GREEN = "FFFFC7CE", "FFFFEB9C", "FFC6EFCE"


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


def _runner(db: str) -> Run:
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, ["--db", db, *args], env={"CHAINLEAD_DISTRICT": "江宁区"})

    return run


def _add(run: Run, chain: str, title: str, raised: str, due: str, *args: str) -> str:
    result = ok(
        run(
            "bottleneck",
            "add",
            "--unit",
            UNIT,
            "--new-unit",
            "--raised-on",
            raised,
            "--due",
            due,
            *args,
            "--",  # a title may start with "-"
            chain,
            title,
        )
    )
    return result.stdout.strip()


@pytest.fixture
def district(db_url: str) -> tuple[Run, str]:
    """IC (集成电路): a red, a yellow and a green item, one resolved in November, the
    hostile titles; ODD: a red item and a dropped one, under a name no sheet can
    carry as it is."""
    run = _runner(db_url)
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run("chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "张伟"))
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run("chain", "add", "ODD", ODD_NAME, "--leader", "王芳", "--responsible", "陈杰"))
    _add(run, "IC", "晶圆厂用电容量不足", "2026-10-01", "2026-11-01", "--enterprise", "华虹")
    _add(run, "IC", "光刻零件通关慢", "2026-10-05", "2026-11-25")
    _add(run, "IC", "人才公寓配套", "2026-10-08", "2026-12-31")
    done = _add(run, "IC", "专项资金拨付", "2026-11-02", "2026-11-20")
    ok(run("bottleneck", "resolve", done, "--on", "2026-11-10", "--how", '=HYPERLINK("x")'))
    for title in HOSTILE:
        _add(run, "IC", title, "2026-10-09", "2026-12-31")
    _add(run, "ODD", "新材料中试平台", "2026-09-01", "2026-10-31")
    ok(
        run(
            "schedule", "add", "IC", "--month", "2026-11", "--held-on", "2026-11-21",
            "--figure", "产值=12.5:亿元", "--figure", "新签项目=3",
        )
    )  # fmt: skip
    dropped = _add(run, "ODD", "已不需要的场地", "2026-09-01", "2026-12-31")
    ok(run("bottleneck", "drop", dropped, "--why", "企业已迁出"))
    control = "'控制' || {c}(7) || '字符' || {c}(27) || '[31m'".format(
        c="chr" if db_url.startswith("postgresql") else "char"
    )
    execute(db_url, f"UPDATE item SET title = {control} WHERE title = '人才公寓配套'")
    return run, db_url


def _rows(ws: Worksheet) -> list[tuple]:
    """The table under the title and header rows, up to the autofilter's last row."""
    last = int(re.match(r"A2:[A-Z]+(\d+)$", ws.auto_filter.ref).group(1))
    return list(ws.iter_rows(min_row=3, max_row=last, values_only=True))


def _headers(ws: Worksheet) -> list[str]:
    return [c.value for c in ws[2] if c.value is not None]


def _column(ws: Worksheet, header: str) -> int:
    return _headers(ws).index(header)


def _list_json(run: Run, *args: str) -> list[dict]:
    return json.loads(ok(run("bottleneck", "list", *args, "--json")).stdout)


# ----------------------------------------------------------------------- bottleneck list


def test_list_workbook_in_chinese(district, tmp_path: Path) -> None:  # noqa: ANN001
    run, _ = district
    target = tmp_path / "台账.xlsx"
    result = ok(run("bottleneck", "list", "--lang", "zh", "--xlsx", str(target)))
    assert result.stdout == ""
    assert result.stderr.strip() == f"wrote 9 items to {target}"
    book = load_workbook(target)
    assert book.sheetnames[:2] == ["汇总", "IC 集成电路"]
    assert len(book.sheetnames) == 3
    for ws in book.worksheets:
        assert ws.freeze_panes == "A3"
        assert ws.print_title_rows == "$1:$2"
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
        assert ws["A1"].value.startswith("江宁区 · 堵点台账")
        assert "导出时间：2026-11-21 " in ws["A1"].value
        assert ws.oddHeader.left.text == "江宁区"
        assert ws.oddHeader.right.text.startswith("导出时间：2026-11-21 ")
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        width = len(_headers(ws))
        last = ws.max_row - (ws.title == "汇总")  # the total row stays out of the filter
        assert ws.auto_filter.ref == f"A2:{get_column_letter(width)}{last}"
    ic = book["IC 集成电路"]
    assert _headers(ic)[:4] == ["编号", "堵点", "状态灯", "状态"]
    rows = {row[0]: row for row in _rows(ic)}
    assert len(rows) == 8  # the open items; the resolved one is not open work
    # Dates are Excel dates, shown yyyy-mm-dd.
    raised = _column(ic, "提出日期")
    cell = ic.cell(row=3, column=raised + 1)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"
    assert rows["IC-1"][raised] == datetime(2026, 10, 1)
    assert rows["IC-1"][_column(ic, "办结时限")] == datetime(2026, 11, 1)
    assert rows["IC-1"][_column(ic, "逾期天数（负数为剩余）")] == 20
    assert rows["IC-2"][_column(ic, "逾期天数（负数为剩余）")] == -4  # a number, not text
    # Lights as words on their fill.
    light = _column(ic, "状态灯")
    fills = {}
    for row in ic.iter_rows(min_row=3, max_row=ic.max_row):
        fills[row[0].value] = (row[light].value, row[light].fill.fgColor.rgb)
    assert fills["IC-1"] == ("红灯", RED)
    assert fills["IC-2"] == ("黄灯", YELLOW)
    assert fills["IC-3"] == ("绿灯", GREEN)
    assert rows["IC-1"][_column(ic, "责任单位")] == UNIT
    assert rows["IC-1"][_column(ic, "企业")] == "华虹"
    # The CJK unit column fits its text: seven characters, fourteen columns.
    unit = get_column_letter(_column(ic, "责任单位") + 1)
    assert ic.column_dimensions[unit].width >= 14


def test_list_summary_counts_each_chain(district, tmp_path: Path) -> None:  # noqa: ANN001
    run, _ = district
    target = tmp_path / "list.xlsx"
    ok(run("bottleneck", "list", "--status", "all", "--xlsx", str(target)))
    items = _list_json(run, "--status", "all")
    summary = load_workbook(target)["Summary"]
    assert _headers(summary) == [
        "Chain",
        "Chain name",
        "Items",
        "Red",
        "Yellow",
        "Green",
        "Suspended",
        "On time",
        "Late",
        "Dropped",
    ]
    rows = _rows(summary)
    by_code = {row[0]: row for row in rows}
    for code in ("IC", "ODD"):
        mine = [i for i in items if i["chain"] == code]
        assert by_code[code][2] == len(mine)
        lights = ("red", "yellow", "green", "suspended", "on_time", "late", "none")
        for n, light in enumerate(lights):
            assert by_code[code][3 + n] == sum(1 for i in mine if i["light"] == light)
        assert sum(by_code[code][3:]) == by_code[code][2]  # every item has one light
    assert by_code["ODD"][3:] == (1, 0, 0, 0, 0, 0, 1)
    assert by_code["ODD"][1] == ODD_NAME
    total = next(summary.iter_rows(min_row=len(rows) + 3, max_row=len(rows) + 3))
    assert total[0].value == "Total" and total[0].font.b
    assert total[2].value == len(items) == 11


def test_list_workbook_keeps_the_filters_and_order(district, tmp_path: Path) -> None:  # noqa: ANN001
    run, _ = district
    target = tmp_path / "overdue.xlsx"
    ok(run("bottleneck", "list", "--overdue", "--sort", "due", "--xlsx", str(target)))
    book = load_workbook(target)
    shown = [row[0] for ws in book.worksheets[1:] for row in _rows(ws)]
    listed = _list_json(run, "--overdue", "--sort", "due")
    assert sorted(shown) == sorted(i["key"] for i in listed) == ["IC-1", "ODD-1"]
    one = tmp_path / "one.xlsx"
    ok(run("bottleneck", "list", "--chain", "IC", "--xlsx", str(one)))
    book = load_workbook(one)
    assert book.sheetnames == ["IC 集成电路"]  # one chain: no summary
    assert [row[0] for row in _rows(book.active)] == [
        i["key"] for i in _list_json(run, "--chain", "IC")
    ]


def test_sheet_names_keep_within_excel_rules(district, tmp_path: Path) -> None:  # noqa: ANN001
    run, _ = district
    target = tmp_path / "odd.xlsx"
    ok(run("bottleneck", "list", "--xlsx", str(target)))
    name = load_workbook(target).sheetnames[2]
    assert name.startswith("ODD 新材料_试点")
    assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
    assert not name.startswith("'") and not name.endswith("'")
    assert sheet_names(["IC", "ic", "History", "'x'", "", "a" * 40, "a" * 40]) == [
        "IC",
        "ic (2)",
        "History_",
        "x",
        "Sheet",
        "a" * 31,
        "a" * 27 + " (2)",
    ]


def test_hostile_text_arrives_as_text(district, tmp_path: Path) -> None:  # noqa: ANN001
    run, _ = district
    target = tmp_path / "hostile.xlsx"
    ok(run("bottleneck", "list", "--xlsx", str(target)))
    ic = load_workbook(target)["IC 集成电路"]
    titles = {}
    for row in ic.iter_rows(min_row=3, max_row=ic.max_row):
        titles[row[1].value] = row[1]
    for text in HOSTILE:
        assert titles[text].data_type == "s", text  # a text cell: never a formula
    # Control characters XML cannot carry arrive replaced, the rest of the text kept.
    assert "控制\ufffd字符\ufffd[31m" in titles
    assert clean("a\x00b\x1fc\td\ne") == "a\ufffdb\ufffdc\td\ne"
    assert len(clean("字" * (CELL_MAX + 5))) == CELL_MAX
    assert page_header("A&B", "", "x" * 300).startswith("&LA&&B&R")
    assert len(page_header("&" * 300, "c" * 300, "r")) <= 255


def test_list_workbook_in_english(district, tmp_path: Path) -> None:  # noqa: ANN001
    run, _ = district
    target = tmp_path / "en.xlsx"
    ok(run("bottleneck", "list", "--chain", "IC", "--lang", "en", "--xlsx", str(target)))
    ws = load_workbook(target).active
    assert _headers(ws)[:5] == ["Key", "Item", "Light", "Status", "Level"]
    lights = {row[0]: row[2] for row in _rows(ws)}
    assert (lights["IC-1"], lights["IC-2"], lights["IC-3"]) == ("red", "yellow", "green")
    assert ws["A1"].value.startswith(
        "江宁区 · Bottleneck ledger · IC 集成电路 · Exported 2026-11-21"
    )


def test_list_workbook_refusals_write_nothing(district, tmp_path: Path) -> None:  # noqa: ANN001
    run, db = district
    target = tmp_path / "no.xlsx"
    assert_refused(run("bottleneck", "list", "--json", "--xlsx", str(target)), 2, "--xlsx")
    assert_refused(run("bottleneck", "list", "--csv", "--xlsx", str(target)), 2, "--xlsx")
    missing = tmp_path / "missing" / "no.xlsx"
    assert_refused(run("bottleneck", "list", "--xlsx", str(missing)), 2, "--xlsx")
    assert_refused(run("bottleneck", "list", "--raised-in", "2026-13", "--xlsx", str(target)), 2)
    assert not target.exists() and not missing.parent.exists()
    if not db.startswith("postgresql"):
        before = Path(db).read_bytes()
        assert_refused(run("bottleneck", "list", "--xlsx", db), 1, "--xlsx", "database in use")
        assert Path(db).read_bytes() == before


def test_text_width_counts_cjk_as_two() -> None:
    assert text_width("IC-1") == 4
    assert text_width("集成电路") == 8
    assert text_width("IC 集成电路（一）") == 3 + 8 + 6


# ----------------------------------------------------------------------- report monthly


def _report_json(run: Run, *args: str) -> dict:
    return json.loads(ok(run("report", "monthly", "--month", "2026-11", *args, "--json")).stdout)


def test_monthly_workbook_sheets_and_scoreboard(district, tmp_path: Path) -> None:  # noqa: ANN001
    run, _ = district
    target = tmp_path / "月报.xlsx"
    result = ok(
        run("report", "monthly", "--month", "2026-11", "--lang", "zh", "--xlsx", str(target))
    )
    assert result.stdout == ""
    assert f"wrote the 2026-11 report (xlsx) to {target}" in result.stderr
    data = _report_json(run)
    book = load_workbook(target)
    names = book.sheetnames
    assert names[:2] == ["一览表", "红灯清单"]
    assert names[2] == "IC 集成电路" and names[3].startswith("ODD 新材料_试点")
    assert names[4:] == ["责任单位督办情况", "责任单位排名", "全区主要指标"]
    board = book["一览表"]
    assert board.freeze_panes == "A3"
    assert (
        "全区产业链一览表 · 2026年11月截至2026-11-21；状态灯与督办截至2026-11-21"
        in board["A1"].value
    )
    assert board.oddHeader.left.text == "江宁区"
    headers = _headers(board)
    fields = {
        "月初在办": lambda r: r["open_at_start"],
        "新增": lambda r: r["raised"],
        "解决": lambda r: r["resolved"],
        "按期解决": lambda r: r["resolved_on_time"],
        "按期率": lambda r: r["on_time_rate"],
        "本年办结率": lambda r: r["done_year"]["rate"],
        "累计办结率": lambda r: r["done_all"]["rate"],
        "红灯": lambda r: r["red_now"],
        "黄灯": lambda r: r["yellow_now"],
        "绿灯": lambda r: r["green_now"],
        "督办中": lambda r: r["escalated_now"],
        "满意率": lambda r: r["satisfaction"]["rate"],
    }
    rows = _rows(board)
    expected = data["scoreboard"]["rows"]
    assert [row[0] for row in rows] == [r["code"] for r in expected]
    for row, want in zip(rows, expected, strict=True):
        assert row[1] == want["name"]
        for header, value in fields.items():
            assert row[headers.index(header)] == value(want), (header, want["code"])
    total = [c.value for c in board[len(rows) + 3]]
    assert total[0] == "全区合计"
    for header, value in fields.items():
        assert total[headers.index(header)] == value(data["scoreboard"]["total"]), header
    under = [c.value for c in board["A"][len(rows) + 3 :] if c.value]
    assert under[0] == "2026年11月未召开调度会：" + ODD_NAME + "（ODD）。"
    rate = board.cell(row=3, column=headers.index("本年办结率") + 1)
    assert rate.number_format == "0.0%"
    assert expected[0]["red_now"] == 1 and expected[0]["resolved"] == 1  # not all zeros
    red = book["红灯清单"]
    assert [row[0] for row in _rows(red)] == [r["key"] for r in data["red_list"]]
    ranking = book["责任单位排名"]
    assert [row[1] for row in _rows(ranking)] == [r["unit"] for r in data["ranking"]["rows"]]
    notes = [c.value for c in ranking["A"] if c.value and str(c.value).startswith("排名规则")]
    assert len(notes) == 1
    figures = book["全区主要指标"]
    assert _headers(figures)[:3] == ["指标", "单位", "2026年11月"]
    shown = {row[0]: row for row in _rows(figures)}
    assert sorted(shown) == sorted(f["name"] for f in data["key_figures"]) == ["产值", "新签项目"]
    for figure in data["key_figures"]:
        row = shown[figure["name"]]
        assert (row[1], row[2], row[6]) == (figure["unit"], float(figure["value"]), 1)
    assert shown["产值"][2] == 12.5 and shown["新签项目"][2] == 3  # numbers, not text


def test_monthly_chain_sheets_list_every_item(district, tmp_path: Path) -> None:  # noqa: ANN001
    run, _ = district
    target = tmp_path / "m.xlsx"
    html = tmp_path / "m.html"
    ok(
        run(
            "report", "monthly", "--month", "2026-11", "--limit", "1",
            "--xlsx", str(target), "--html", str(html),
        )
    )  # fmt: skip
    whole = _report_json(run, "--limit", "1000")
    cut = _report_json(run, "--limit", "1")
    ic = next(c for c in whole["chains"] if c["code"] == "IC")
    assert len(next(c for c in cut["chains"] if c["code"] == "IC")["open_items"]) == 1
    ws = load_workbook(target)["IC 集成电路"]
    rows = {row[0]: row for row in _rows(ws)}
    keys = [i["key"] for i in ic["open_items"]] + [r["key"] for r in ic["resolved"]]
    assert sorted(rows) == sorted(keys) and len(keys) == 9
    headers = _headers(ws)
    resolved = rows["IC-4"]
    assert resolved[headers.index("Light")] == "on time"
    assert resolved[headers.index("Resolved")] == datetime(2026, 11, 10)
    assert resolved[headers.index("Raised")] == datetime(2026, 11, 2)
    assert resolved[headers.index("Days to resolve")] == 8
    how = ws.cell(row=3 + list(rows).index("IC-4"), column=headers.index("How it was resolved") + 1)
    assert how.value == '=HYPERLINK("x")' and how.data_type == "s"
    assert "… and" in html.read_text()  # the HTML kept its cut lists


def test_monthly_workbook_refusals_write_nothing(district, tmp_path: Path) -> None:  # noqa: ANN001
    run, db = district
    target = tmp_path / "no.xlsx"
    assert_refused(run("report", "monthly", "--month", "2026-13", "--xlsx", str(target)), 2)
    assert_refused(run("report", "monthly", "--json", "--xlsx", "-"), 2, "stdout")
    missing = tmp_path / "missing" / "no.xlsx"
    assert_refused(run("report", "monthly", "--xlsx", str(missing)), 2, "--xlsx")
    assert not target.exists() and not missing.parent.exists()
    if not db.startswith("postgresql"):
        before = Path(db).read_bytes()
        assert_refused(run("report", "monthly", "--xlsx", db, "--force"), 1, "database in use")
        assert Path(db).read_bytes() == before


def test_monthly_workbook_to_stdout(district) -> None:  # noqa: ANN001
    run, _ = district
    result = ok(run("report", "monthly", "--month", "2026-11", "--chain", "IC", "--xlsx", "-"))
    assert result.stdout_bytes[:2] == b"PK"  # a zip: the workbook itself
    book = load_workbook(io.BytesIO(result.stdout_bytes))
    # One chain: its own scoreboard row, no district total, no institutions.
    assert book.sheetnames == ["Scoreboard", "Red list", "IC 集成电路", "Key figures"]
    board = book["Scoreboard"]
    assert [row[0] for row in _rows(board)] == ["IC"]
    assert board.cell(row=4, column=1).value is None
