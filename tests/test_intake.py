"""``chainlead intake``: a demand sheet into enterprises and items, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from helpers import assert_refused, db_state, on_day
from openpyxl import Workbook
from typer.testing import CliRunner, Result

from chainlead.cli import app

runner = CliRunner()

GRID = "State Grid Jiangning Power Supply Company"
DATA = "District Data Bureau"
HEADERS = ["序号", "诉求编号", "企业名称", "诉求内容", "责任单位", "提出日期", "办理时限", "类别"]
ROWS: list[list[object]] = [
    [1, "ZC-01", "金陵智算科技有限公司", "智算中心二期需增加用电容量", GRID, date(2026, 11, 19),
     date(2027, 1, 31), "power"],
    [2, "ZC-02", "金陵智算科技有限公司", "申请开放公共数据用于训练", DATA, date(2026, 11, 19),
     date(2026, 12, 31), "data access"],
    [3, "ZC-03", "南京深蓝视觉科技有限公司", "交通数据开放", DATA, date(2026, 11, 19),
     "2027年2月28日", None],
]  # fmt: skip
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(db: str, *args: str) -> Result:
    return runner.invoke(app, ["--db", db, *args])


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def data(db: str, *args: str) -> object:
    return json.loads(ok(run(db, *args, "--json")).stdout)


def sheet(path: Path, rows: list[list[object]] = ROWS, headers: list[str] = HEADERS) -> str:
    book = Workbook()
    ws = book.active
    ws.title = "诉求清单"
    ws["A1"] = "企业家早餐会企业诉求清单"
    ws.merge_cells("A1:H1")
    ws.append(headers)
    for row in rows:
        ws.append(row)
    book.save(path)
    return str(path)


@pytest.fixture
def district(db_url: str) -> str:
    """The AI chain, two institutions and a breakfast meeting (AI-M1)."""
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run(db_url, "chain", "add", "AI", "软件和人工智能", "--leader", "Wang Jun",
               "--responsible", "Liu Yang"))  # fmt: skip
    ok(run(db_url, "unit", "add", GRID, "--short", "供电公司"))
    ok(run(db_url, "unit", "add", DATA, "--short", "数据局"))
    ok(run(db_url, "schedule", "add", "AI", "--kind", "breakfast", "--held-on", "2026-11-19",
           "--summary", "企业家早餐会, 26 entrepreneurs"))  # fmt: skip
    return db_url


def items(db: str) -> list[dict]:
    """The AI chain's items in key order."""
    listed = data(db, "bottleneck", "list", "--chain", "AI")
    return sorted(listed, key=lambda i: int(i["key"].split("-")[1]))  # type: ignore[arg-type]


def test_dry_run_shows_each_row_and_writes_nothing(district: str, tmp_path: Path) -> None:
    path = sheet(tmp_path / "d.xlsx")
    before = items(district)
    result = ok(run(district, "intake", path, "--chain", "AI", "--meeting", "AI-M1", "--dry-run"))
    lines = [line for line in result.stdout.splitlines() if "ZC-0" in line]
    assert len(lines) == 3 and all(" new " in line for line in lines), result.stdout
    shown = json.loads(
        ok(run(district, "intake", path, "--chain", "AI", "--dry-run", "--json")).stdout
    )
    assert [(r["row"], r["outcome"], r["reference"], r["note"]) for r in shown] == [
        (3, "new", "ZC-01", "new enterprise"),
        (4, "new", "ZC-02", "new enterprise"),
        (5, "new", "ZC-03", "new enterprise"),
    ]
    assert result.stderr.splitlines()[-1] == (
        "3 rows: 3 new, 0 already on the list, 0 changed; 2 enterprises would be added; "
        "nothing written (dry run)"
    )
    assert items(district) == before == []


def test_intake_then_again_adds_nothing(district: str, tmp_path: Path) -> None:
    path = sheet(tmp_path / "d.xlsx")
    result = ok(run(district, "intake", path, "--chain", "AI", "--meeting", "AI-M1"))
    assert "took 3 new items (AI-1 to AI-3); added 2 enterprises; 0 already on the list" in (
        result.stderr
    )
    listed = items(district)
    assert [(i["key"], i["unit"], i["due_on"]) for i in listed] == [
        ("AI-1", GRID, "2027-01-31"),
        ("AI-2", DATA, "2026-12-31"),
        ("AI-3", DATA, "2027-02-28"),
    ]
    shown = data(district, "bottleneck", "show", "AI-1")
    assert shown["source"] == "breakfast"  # the meeting's kind
    assert shown["raised_on"] == "2026-11-19"
    assert [(m["key"], m["relation"]) for m in shown["meetings"]] == [("AI-M1", "raised")]
    again = ok(run(district, "intake", path, "--chain", "AI", "--meeting", "AI-M1"))
    assert "took 0 new items; 3 already on the list" in again.stderr
    assert [line for line in again.stdout.splitlines() if "on the list" in line]
    assert items(district) == listed


def test_changed_row_is_shown_and_taken_with_update(district: str, tmp_path: Path) -> None:
    ok(run(district, "intake", sheet(tmp_path / "d.xlsx"), "--chain", "AI"))
    rows = [list(r) for r in ROWS]
    rows[1][6] = date(2027, 1, 15)
    rows[2][3] = "交通公共数据开放"
    path = sheet(tmp_path / "d2.xlsx", rows)
    dry = ok(run(district, "intake", path, "--chain", "AI", "--dry-run"))
    shown = json.loads(
        ok(run(district, "intake", path, "--chain", "AI", "--dry-run", "--json")).stdout
    )
    assert [(r["outcome"], r["key"], r["changes"]) for r in shown] == [
        ("on the list", "AI-1", []),
        ("changed", "AI-2", ["due 2026-12-31 -> 2027-01-15"]),
        ("changed", "AI-3", ["title 交通数据开放 -> 交通公共数据开放"]),
    ]
    assert "3 rows: 0 new, 1 already on the list, 2 changed" in dry.stderr
    assert "changed rows are taken only with --update" in dry.stderr
    plain = ok(run(district, "intake", path, "--chain", "AI"))
    assert "2 changed rows not taken; give --update to take them" in plain.stderr
    assert items(district)[1]["due_on"] == "2026-12-31"
    updated = ok(run(district, "intake", path, "--chain", "AI", "--update"))
    assert "updated 2 changed items" in updated.stderr
    listed = items(district)
    assert (listed[1]["due_on"], listed[2]["title"]) == ("2027-01-15", "交通公共数据开放")
    shown = data(district, "bottleneck", "show", "AI-2")
    assert any("intake --update" in (e.get("text") or "") for e in shown["history"])
    final = ok(run(district, "intake", path, "--chain", "AI", "--dry-run"))
    assert "0 new, 3 already on the list, 0 changed" in final.stderr


def test_a_bad_row_refuses_the_whole_sheet(district: str, tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[1][4] = "District Data Burea"
    rows[2][6] = "下周"
    path = sheet(tmp_path / "bad.xlsx", rows)
    before = items(district)
    result = run(district, "intake", path, "--chain", "AI")
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("  row 4, 责任单位: no institution 'District Data Burea'; "), lines
    assert "District Data Bureau" in lines[0] and "--new-unit" in lines[0]
    assert lines[1].startswith("  row 5, 办理时限: expected a date such as 2026-11-03"), lines
    assert lines[-1] == (
        "chainlead: error: 2 problems in 2 of 3 rows; nothing was taken (mend the sheet "
        "and run again; --dry-run shows every row)"
    )
    assert items(district) == before == []  # row 3 was fine, and is not taken either
    dry = run(district, "intake", path, "--chain", "AI", "--dry-run")
    assert dry.exit_code == 2
    assert "refused" in dry.stdout and "1 new" in dry.stderr


def test_new_unit_and_default_due(district: str, tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[0][4] = "江宁开发区管委会"
    rows[0][6] = None
    path = sheet(tmp_path / "d.xlsx", rows)
    refused = run(district, "intake", path, "--chain", "AI")
    assert refused.exit_code == 2
    assert "row 3, 办理时限: empty" in refused.stderr
    assert "row 3, 责任单位: no institution '江宁开发区管委会'" in refused.stderr
    result = ok(run(district, "intake", path, "--chain", "AI", "--new-unit", "--due", "2026-12-20"))
    assert "added 2 enterprises and 1 institution" in result.stderr
    assert (items(district)[0]["unit"], items(district)[0]["due_on"]) == (
        "江宁开发区管委会",
        "2026-12-20",
    )


def test_sheet_without_numbers_gets_made_references(district: str, tmp_path: Path) -> None:
    headers = ["企业名称", "诉求内容", "责任单位", "办理时限"]
    rows: list[list[object]] = [["江宁鸿图软件", "首版次软件认定", "数据局", "2027-01-15"]]
    path = sheet(tmp_path / "d.xlsx", rows, headers)
    first = ok(run(district, "intake", path, "--chain", "AI", "--json"))
    taken = json.loads(first.stdout)
    assert taken[0]["reference"].startswith("intake-") and taken[0]["key"] == "AI-1"
    again = json.loads(ok(run(district, "intake", path, "--chain", "AI", "--json")).stdout)
    assert [(r["outcome"], r["key"]) for r in again] == [("on the list", "AI-1")]


def test_csv_in_gb18030(district: str, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(
        f"企业名称,诉求内容,责任单位,办理时限\n南京深蓝视觉,交通数据开放,{DATA},2027/2/28\n".encode(
            "gb18030"
        )
    )
    ok(run(district, "intake", str(path), "--chain", "AI"))
    assert items(district)[0]["title"] == "交通数据开放"


def test_unknown_chain_and_meeting(district: str, tmp_path: Path) -> None:
    path = sheet(tmp_path / "d.xlsx")
    assert run(district, "intake", path, "--chain", "XX").exit_code == 1
    missing = run(district, "intake", path, "--chain", "AI", "--meeting", "AI-M9")
    assert missing.exit_code == 1 and "AI-M9" in missing.stderr
    no_chain = run(district, "intake", path)
    assert no_chain.exit_code == 2 and "--chain" in no_chain.stderr


def test_hostile_file_is_one_line(cli, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "d.xlsx"
    path.write_text("not a workbook")
    before = db_state(db_path)
    assert_refused(cli("intake", str(path), "--chain", "AI"), 2, "not an .xlsx file")
    assert db_state(db_path) == before


def test_nothing_written_on_sqlite(cli, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    ok(cli("chain", "add", "AI", "软件和人工智能", "--leader", "Wang Jun", "--responsible", "Liu"))
    ok(cli("unit", "add", DATA))
    rows = [list(r) for r in ROWS]
    rows[2][6] = "2026-02-30"
    before = db_state(db_path)
    result = cli("intake", sheet(tmp_path / "d.xlsx", rows), "--chain", "AI")
    assert result.exit_code == 2
    assert "row 3, 责任单位: no institution" in result.stderr  # GRID is unknown here
    assert "row 5, 办理时限: not a real calendar date: '2026-02-30'" in result.stderr
    assert db_state(db_path) == before


def test_example_sheet_against_the_demo(cli, tmp_path: Path) -> None:  # noqa: ANN001
    """The example sheet's institutions are the demo's; its enterprises partly known."""
    ok(cli("demo", "--replace"))
    ok(cli("schedule", "add", "AI", "--kind", "breakfast", "--held-on", "2026-11-19",
           "--summary", "企业家早餐会"))  # fmt: skip
    sheet_path = str(EXAMPLES / "jiangning-breakfast-demands.xlsx")
    dry = ok(cli("intake", sheet_path, "--chain", "AI", "--meeting", "AI-M9", "--dry-run"))
    assert "15 rows: 15 new, 0 already on the list, 0 changed" in dry.stderr
    taken = ok(cli("intake", sheet_path, "--chain", "AI", "--meeting", "AI-M9"))
    assert "took 15 new items (AI-9 to AI-23)" in taken.stderr
    revised = str(EXAMPLES / "jiangning-breakfast-demands-v2.xlsx")
    dry2 = ok(cli("intake", revised, "--chain", "AI", "--meeting", "AI-M9", "--dry-run"))
    assert "16 rows: 1 new, 13 already on the list, 2 changed" in dry2.stderr


def test_database_sound_after_intake_and_update(cli, tmp_path: Path) -> None:  # noqa: ANN001
    ok(cli("chain", "add", "AI", "软件和人工智能", "--leader", "Wang Jun", "--responsible", "Liu"))
    ok(cli("intake", sheet(tmp_path / "d.xlsx"), "--chain", "AI", "--new-unit"))
    rows = [list(r) for r in ROWS]
    rows[0][6] = date(2027, 3, 1)
    ok(cli("intake", sheet(tmp_path / "d2.xlsx", rows), "--chain", "AI", "--update"))
    assert "is sound" in ok(cli("db", "check")).stderr
    shown = json.loads(ok(cli("enterprise", "list", "--json")).stdout)
    assert sorted(e["name"] for e in shown) == ["南京深蓝视觉科技有限公司", "金陵智算科技有限公司"]


def test_re_intake_after_the_time_limits_passed(district: str, tmp_path: Path) -> None:
    """Rows on the list were raised when their items were: a later run refuses none."""
    headers = ["诉求编号", "企业名称", "诉求内容", "责任单位", "办理时限"]
    rows: list[list[object]] = [["ZC-01", "金陵智算", "用电容量", GRID, "2026-12-20"]]
    path = sheet(tmp_path / "d.xlsx", rows, headers)
    ok(run(district, "intake", path, "--chain", "AI"))
    later = runner.invoke(
        app,
        ["--db", district, "intake", path, "--chain", "AI"],
        env={"CHAINLEAD_TODAY": "2027-03-01"},
    )
    assert later.exit_code == 0, later.stderr
    assert "took 0 new items; 1 already on the list" in later.stderr
    rows.append(["ZC-02", "金陵智算", "算力券", GRID, "2027-01-10"])
    path = sheet(tmp_path / "d2.xlsx", rows, headers)
    late = runner.invoke(
        app,
        ["--db", district, "intake", path, "--chain", "AI"],
        env={"CHAINLEAD_TODAY": "2027-03-01"},
    )
    assert late.exit_code == 2
    assert "row 4, 办理时限: the time limit 2027-01-10 is before today (2027-03-01)" in late.stderr


def test_refusal_while_writing_leaves_nothing(district: str, tmp_path: Path) -> None:
    """A row refused only as it is taken (its item was dropped since) rolls back the rows
    taken before it."""
    ok(run(district, "intake", sheet(tmp_path / "d.xlsx", [ROWS[0], ROWS[2]]), "--chain", "AI"))
    ok(run(district, "bottleneck", "drop", "AI-2", "--why", "企业已迁出"))
    rows = [list(r) for r in ROWS]
    rows[2][3] = "交通公共数据开放"  # row 5: AI-2's title changed in the sheet
    path = sheet(tmp_path / "d2.xlsx", rows)
    before = items(district)
    dry = ok(run(district, "intake", path, "--chain", "AI", "--update", "--dry-run"))
    assert "1 new, 1 already on the list, 1 changed" in dry.stderr
    result = run(district, "intake", path, "--chain", "AI", "--update")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.splitlines()[0].startswith("  row 5: "), result.stderr
    assert "nothing was taken" in result.stderr
    assert items(district) == before  # row 4, new and fine, was taken and rolled back
