"""``--csv`` for spreadsheets: ``--excel`` (UTF-8 with a BOM, CRLF) and the formula
guard on every CSV, on SQLite and PostgreSQL; read back with Python's csv reader."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from helpers import assert_refused, on_day
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.render.csv_rows import csv_text, guarded

Run = Callable[..., Result]

UNIT = "区发展和改革局"
# Titles a spreadsheet would run as formulas, and one it would not.
FORMULAS = ("=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3")
PLAIN = '<b>&amp;</b> 集成电路 "quoted", comma'


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


@pytest.fixture
def run(db_url: str) -> Run:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, ["--db", db_url, *args])

    with on_day("2026-01-05"):  # set up before the records dated below
        ok(invoke("chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "张伟"))
    for title in (*FORMULAS, PLAIN):
        ok(
            invoke(
                "bottleneck", "add", "--unit", UNIT, "--new-unit", "--due", "2026-11-18",
                "--raised-on", "2026-11-01", "--enterprise", "=HYPERLINK(\"x\")", "--", "IC", title,
            )
        )  # fmt: skip
    return invoke


def _records(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_excel_csv_has_a_bom_and_crlf(run) -> None:  # noqa: ANN001
    raw = ok(run("bottleneck", "list", "--csv", "--excel")).stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8's byte-order mark, once
    text = raw.decode("utf-8-sig")
    assert not text.startswith("\ufeff")
    lines = text.split("\r\n")
    assert lines[-1] == "" and len(lines) == 1 + len(FORMULAS) + 1 + 1
    # Line ends are CRLF; a CR or LF inside a cell is quoted, as CSV allows.
    records = _records(text)
    assert len(records) == len(FORMULAS) + 1
    assert {r["unit"] for r in records} == {UNIT}
    plain = ok(run("bottleneck", "list", "--csv")).stdout_bytes
    assert not plain.startswith(b"\xef\xbb\xbf") and b"\r\n" not in plain.replace(b'"\r', b"")
    assert _records(plain.decode()) == records  # the same data either way


def test_every_csv_guards_formulas(run) -> None:  # noqa: ANN001
    data = json.loads(ok(run("bottleneck", "list", "--json")).stdout)
    for args in (("--csv",), ("--csv", "--excel")):
        raw = ok(run("bottleneck", "list", *args)).stdout_bytes
        records = {r["key"]: r for r in _records(raw.decode("utf-8-sig"))}
        for item in data:
            title = records[item["key"]]["title"]
            if item["title"] in FORMULAS:
                assert title == "'" + item["title"], title
            else:
                assert title == item["title"] == PLAIN
            assert records[item["key"]]["enterprise"] == '\'=HYPERLINK("x")'
            # Numbers are not text: a negative number stays a number.
            assert records[item["key"]]["days_over"] == str(item["days_over"]) == "3"
            assert records[item["key"]]["raised_on"] == "2026-11-01"


def test_negative_numbers_stay_numbers(run) -> None:  # noqa: ANN001
    ok(run("bottleneck", "edit", "IC-1", "--due", "2026-11-30", "--why", "moved"))
    records = _records(ok(run("bottleneck", "list", "--csv")).stdout)
    assert next(r for r in records if r["key"] == "IC-1")["days_over"] == "-9"
    assert guarded(-9) == -9 and guarded(-9.5) == -9.5 and guarded("-9") == "'-9"
    assert guarded("\tx") == "'\tx" and guarded("\rx") == "'\rx"  # (titles refuse them)
    assert guarded("a=b") == "a=b" and guarded("") == "" and guarded(None) is None
    assert csv_text(["a"], [["=1"], ["x"]]) == "a\n'=1\nx\n"


@pytest.mark.parametrize("command", [("unit", "list"), ("enterprise", "list")])
def test_other_lists_take_excel(run, command: tuple[str, ...]) -> None:  # noqa: ANN001
    raw = ok(run(*command, "--csv", "--excel")).stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    records = _records(raw.decode("utf-8-sig"))
    assert records, raw
    if command[0] == "enterprise":
        assert records[0]["name"] == '\'=HYPERLINK("x")'
    else:
        assert records[0]["name"] == UNIT


def test_excel_without_csv_is_refused(run) -> None:  # noqa: ANN001
    for command in (("bottleneck", "list"), ("unit", "list"), ("enterprise", "list")):
        assert_refused(run(*command, "--excel"), 2, "--excel", "--csv")
        assert_refused(run(*command, "--json", "--excel"), 2, "--excel")


def test_follow_up_csv_is_guarded() -> None:
    from datetime import date

    from chainlead.domain.reports.model import FollowUpLine, FollowUpReport, PersonFollowUps
    from chainlead.render.report_follow_ups import follow_ups_csv

    line = FollowUpLine("IC-1", "IC", "=1+1", "@unit", date(2026, 11, 1), 20, ("-e",))
    report = FollowUpReport(date(2026, 11, 21), 7, None, 1, (PersonFollowUps("+p", (line,)),))
    row = next(csv.reader(io.StringIO(follow_ups_csv(report)).readlines()[1:]))
    assert row == ["'+p", "IC-1", "IC", "'=1+1", "'@unit", "2026-11-01", "20", "'-e"]


def test_overdue_report_as_csv_lists_every_red_item(run) -> None:  # noqa: ANN001
    data = json.loads(ok(run("report", "overdue", "--json")).stdout)
    keys = [line["key"] for group in data["units"] for line in group["items"]]
    assert len(keys) == len(FORMULAS) + 1  # every item is past its time limit
    # --csv gives every item whatever --limit, as --json does.
    rows = _records(ok(run("report", "overdue", "--csv", "--limit", "1")).stdout)
    assert [r["key"] for r in rows] == keys
    assert {r["unit"] for r in rows} == {UNIT} and {r["chain_leader"] for r in rows} == {"李明"}
    assert sorted(r["title"] for r in rows) == sorted([guarded(t) for t in FORMULAS] + [PLAIN])
    assert all(int(r["days_over"]) > 0 for r in rows)
    raw = ok(run("report", "overdue", "--csv", "--excel")).stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") >= len(keys) + 1
    assert_refused(run("report", "overdue", "--excel"), 2, "--excel")
