"""Chain projects (``chainlead project``): plan, progress, milestones, lights, the items
they raise, ``db check``, the monthly report; on SQLite and PostgreSQL. Today is
2026-11-21."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import assert_refused, execute
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.cli.complete import project_keys

runner = CliRunner()

HUAHONG = "华虹半导体（无锡）有限公司"
WAFER = "12英寸晶圆二期"


def run(db: str, *args: str) -> Result:
    return runner.invoke(app, ["--db", db, *args])


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def data(db: str, *args: str) -> object:
    return json.loads(ok(run(db, *args, "--json")).stdout)


def state(db: str) -> list[object]:
    """What a user can read of the projects: to show a refusal wrote nothing."""
    shown: list[object] = [data(db, "project", "list", "--status", "all")]
    for row in shown[0]:  # type: ignore[union-attr]
        shown.append(data(db, "project", "show", row["key"]))
    shown.append(data(db, "bottleneck", "list", "--status", "all"))
    return shown


def add_link(db: str, chain: str, name: str) -> None:
    execute(
        db,
        "INSERT INTO chain_link (uuid, chain_id, name, segment, state, position, created_at) "
        f"VALUES ('link-{chain}-{len(name)}', (SELECT id FROM chain WHERE code = '{chain}'), "
        f"'{name}', 'midstream', 'weak', 1, '2026-01-01 00:00:00')",
    )


@pytest.fixture
def district(db_url: str) -> str:
    """Two chains, an institution, an enterprise, a person, and one project on IC."""
    ok(run(db_url, "chain", "add", "IC", "集成电路", "--leader", "Sun Hao",
           "--responsible", "Chen Jie"))  # fmt: skip
    ok(run(db_url, "chain", "add", "SAI", "人工智能", "--leader", "Li Ming",
           "--responsible", "Zhang Wei"))  # fmt: skip
    ok(run(db_url, "unit", "add", "区工业和信息化局", "--short", "工信局"))
    ok(run(db_url, "enterprise", "add", HUAHONG, "--short", "华虹", "--chain", "IC"))
    added = run(db_url, "project", "add", "IC", WAFER, "--type", "build", "--enterprise", "华虹",
                "--investment", "45", "--investment-unit", "亿元", "--start", "2026-03-01",
                "--end", "2027-06-30", "--unit", "工信局", "--owner", "Chen Jie")  # fmt: skip
    assert ok(added).stdout == "IC-P1\n"
    # The chains have been on record since January: the year's monthly reports show them.
    execute(db_url, "UPDATE chain SET created_at = '2026-01-05 09:00:00'")
    return db_url


def test_add_list_and_show(district: str) -> None:
    second = run(district, "project", "add", "ic", "封测扩产", "--type", "STRENGTHEN",
                 "--enterprise", HUAHONG, "--investment", "12.50", "--start", "2026-01-01",
                 "--end", "2026-12-31")  # fmt: skip
    assert ok(second).stdout == "IC-P2\n"
    assert "added IC-P2 (strengthen): 封测扩产" in second.stderr
    listed = data(district, "project", "list")
    assert [(p["key"], p["type"], p["type_zh"], p["percent"]) for p in listed] == [
        ("IC-P1", "build", "建链", 0),
        ("IC-P2", "strengthen", "强链", 0),
    ]
    first = listed[0]  # type: ignore[index]
    assert (first["enterprise"], first["unit"], first["owner"]) == (HUAHONG, "区工业和信息化局",
                                                                     "Chen Jie")  # fmt: skip
    assert (first["investment"], first["investment_unit"]) == ("45", "亿元")
    assert listed[1]["investment"] == "12.50"  # type: ignore[index]
    assert listed[1]["investment_unit"] == "亿元"  # type: ignore[index]  the default unit
    # 2026-03-01 → 2027-06-30 is 486 days; 265 of them gone by 2026-11-21: 54%.
    assert (first["expected"], first["light"]) == (54, "red")
    assert "not started 3 months after its start 2026-03-01" in first["why"]
    csv = ok(run(district, "project", "list", "--csv")).stdout.splitlines()
    assert csv[0].startswith("key,chain,title,type,type_zh,status,enterprise,link,unit,owner,")
    assert csv[1].startswith(f"IC-P1,IC,{WAFER},build,建链,active,{HUAHONG},,区工业和信息化局")
    table = ok(run(district, "project", "list")).stdout
    assert "IC-P1" in table and "建链" in table and "54%" in table
    card = ok(run(district, "project", "show", "ic-p1")).stdout
    for shown in (WAFER, "IC 集成电路", "build 建链", "2026-03-01 → 2027-06-30", "45 亿元",
                  "0% done, 54% expected by today (序时进度)", "no milestones"):  # fmt: skip
        assert shown in card, shown
    detail = data(district, "project", "show", "IC-P1")
    assert detail["history"][0]["kind"] == "project_created"  # type: ignore[index]


def test_filters(district: str) -> None:
    ok(run(district, "project", "add", "SAI", "算力中心", "--type", "extend", "--enterprise",
           "华虹", "--start", "2026-11-01", "--end", "2027-10-31"))  # fmt: skip
    keys = lambda *args: [p["key"] for p in data(district, "project", "list", *args)]  # noqa: E731
    assert keys() == ["IC-P1", "SAI-P1"]  # each chain numbers its own
    assert keys("--chain", "sai") == ["SAI-P1"]
    assert keys("--type", "build") == ["IC-P1"]
    assert keys("--light", "red") == ["IC-P1"]
    assert keys("--light", "green") == ["SAI-P1"]
    ok(run(district, "project", "drop", "SAI-P1", "--why", "企业调整投资计划"))
    assert keys() == ["IC-P1"]
    assert keys("--status", "dropped") == ["SAI-P1"]
    assert keys("--status", "all") == ["IC-P1", "SAI-P1"]
    assert keys("--status", "all", "--light", "none") == ["SAI-P1"]
    assert_refused(run(district, "project", "list", "--chain", "XX"), 1, "no chain 'XX'")


def test_progress_keeps_the_latest_and_going_back_needs_why(district: str) -> None:
    ok(run(district, "project", "progress", "IC-P1", "--percent", "20", "--invested", "8",
           "--note", "桩基完成", "--on", "2026-06-30"))  # fmt: skip
    said = run(district, "project", "progress", "IC-P1", "--percent", "45", "--note", "主体施工")
    assert "IC-P1: 20% → 45%, invested 8 亿元 (2026-11-21)" in ok(said).stderr
    detail = data(district, "project", "show", "IC-P1")
    assert (detail["percent"], detail["invested"], detail["light"]) == (45, "8", "green")
    assert [(p["as_of"], p["percent"], p["invested"]) for p in detail["progress"]] == [
        ("2026-06-30", 20, "8"),
        ("2026-11-21", 45, "8"),
    ]
    before = state(district)
    refused = run(district, "project", "progress", "IC-P1", "--percent", "30", "--note", "返工")
    assert_refused(refused, 1, "IC-P1: 30% is below the latest 45%", "--why")
    refused = run(district, "project", "progress", "IC-P1", "--percent", "45", "--invested", "7",
                  "--note", "核减")  # fmt: skip
    assert_refused(refused, 1, "invested 7 is below the latest 8", "--why")
    refused = run(district, "project", "progress", "IC-P1", "--percent", "101", "--note", "x")
    assert_refused(refused, 2, "--percent: expected a whole number from 0 to 100")
    refused = run(district, "project", "progress", "IC-P1", "--percent", "50", "--note", "x",
                  "--invested", "many")  # fmt: skip
    assert_refused(refused, 2, "--invested: expected a number of at least 0")
    refused = run(district, "project", "progress", "IC-P1", "--percent", "50", "--note", "x",
                  "--on", "2026-06-01")  # fmt: skip
    assert_refused(refused, 1, "--on: 2026-06-01 is before the latest progress report")
    refused = run(district, "project", "progress", "IC-P1", "--percent", "50", "--note", "x",
                  "--on", "+2d")  # fmt: skip
    assert_refused(refused, 1, "--on: 2026-11-23 is in the future")
    refused = run(district, "project", "progress", "IC-P1", "--percent", "50")
    assert_refused(refused, 2, "--note")
    refused = run(district, "project", "progress", "IC-P9", "--percent", "50", "--note", "x")
    assert_refused(refused, 1, "no project 'IC-P9'", "IC-P1")
    refused = run(district, "project", "progress", "IC-9", "--percent", "50", "--note", "x")
    assert_refused(refused, 2, "KEY: expected a project key such as IC-P1")
    assert state(district) == before
    back = run(district, "project", "progress", "IC-P1", "--percent", "30", "--note", "返工",
               "--why", "基坑返工")  # fmt: skip
    assert "45% → 30%" in ok(back).stderr
    detail = data(district, "project", "show", "IC-P1")
    assert detail["percent"] == 30 and detail["progress"][-1]["why"] == "基坑返工"


def test_milestones_and_the_light_they_give(district: str) -> None:
    ok(run(district, "project", "progress", "IC-P1", "--percent", "60", "--note", "x"))
    assert data(district, "project", "show", "IC-P1")["light"] == "green"
    said = run(district, "project", "milestone", "IC-P1", "主体结构封顶", "--due", "2026-09-30")
    assert "IC-P1: milestone '主体结构封顶' due 2026-09-30" in ok(said).stderr
    detail = data(district, "project", "show", "IC-P1")
    assert detail["light"] == "red" and "'主体结构封顶' was due 2026-09-30" in detail["why"]
    assert detail["milestones"] == [
        {"title": "主体结构封顶", "due_on": "2026-09-30", "done_on": None, "state": "missed"}
    ]
    before = state(district)
    refused = run(district, "project", "milestone", "IC-P1", "主体结构封顶", "--due", "2026-10-30")
    assert_refused(refused, 1, "already has milestone '主体结构封顶', due 2026-09-30")
    refused = run(district, "project", "milestone", "IC-P1", "设备进场", "--done")
    assert_refused(refused, 2, "--due", "a new milestone needs its due date")
    refused = run(district, "project", "milestone", "IC-P1", "设备进场")
    assert_refused(refused, 2, "give --due DATE to add it, or --done")
    assert state(district) == before
    ok(run(district, "project", "milestone", "IC-P1", "主体结构封顶", "--done", "--on",
           "2026-10-08"))  # fmt: skip
    detail = data(district, "project", "show", "IC-P1")
    assert detail["light"] == "green"
    assert detail["milestones"][0]["state"] == "late"  # done after its due day
    refused = run(district, "project", "milestone", "IC-P1", "主体结构封顶", "--done")
    assert_refused(refused, 1, "was done on 2026-10-08")
    card = ok(run(district, "project", "show", "IC-P1")).stdout
    assert "主体结构封顶" in card and "2026-10-08" in card


def test_end_before_start_and_unknown_names_are_refused(district: str) -> None:
    before = state(district)
    base = ["project", "add", "IC", "封测", "--type", "fill", "--enterprise", "华虹"]
    refused = run(district, *base, "--start", "2026-05-01", "--end", "2026-04-30")
    assert_refused(refused, 1, "--end: 2026-04-30 is before the start 2026-05-01")
    dates = ["--start", "2026-05-01", "--end", "2026-12-31"]
    refused = run(district, "project", "add", "IC", "封测", "--type", "fill",
                  "--enterprise", "华宏", *dates)  # fmt: skip
    assert_refused(refused, 1, "no enterprise '华宏'")
    assert_refused(run(district, *base, *dates, "--link", "封装"), 1, "link", "'封装'")
    assert_refused(run(district, *base, *dates, "--unit", "发改委"), 1, "no institution '发改委'")
    assert_refused(run(district, *base, *dates, "--owner", "Nobody"), 1, "--owner", "Nobody")
    assert_refused(run(district, *base, *dates, "--investment", "-3"), 2, "--investment")
    refused = run(district, *base, *dates, "--investment-unit", "万元")
    assert_refused(refused, 2, "--investment-unit: give --investment too")
    refused = run(district, "project", "add", "IC", "封测", "--enterprise", "华虹", *dates)
    assert_refused(refused, 2, "--type")
    refused = run(district, "project", "add", "IC", "封测", "--type", "grow",
                  "--enterprise", "华虹", *dates)  # fmt: skip
    assert refused.exit_code == 2 and "--type" in refused.stderr
    assert_refused(run(district, *base, "--start", "2026-05-01"), 2, "--end")
    assert_refused(run(district, "project", "add", "XX", "封测", "--type", "fill",
                       "--enterprise", "华虹", *dates), 1, "no chain 'XX'")  # fmt: skip
    assert state(district) == before
    # The number refused adds was not taken: the next project is IC-P2.
    assert ok(run(district, *base, *dates)).stdout == "IC-P2\n"


def test_dates_outside_2000_to_2100_are_refused(district: str) -> None:
    before = state(district)
    base = ["project", "add", "IC", "封测", "--type", "fill", "--enterprise", "华虹"]
    refused = run(district, *base, "--start", "9999-11-15", "--end", "9999-12-31")
    assert_refused(refused, 2, "--start: expected a date as YYYY-MM-DD in the years 2000 to 2100")
    refused = run(district, *base, "--start", "2026-05-01", "--end", "2101-01-01")
    assert_refused(refused, 2, "--end: expected a date as YYYY-MM-DD in the years 2000 to 2100")
    refused = run(district, "project", "edit", "IC-P1", "--start", "1999-12-31")
    assert_refused(refused, 2, "--start", "2000 to 2100", "1999-12-31")
    refused = run(district, "project", "edit", "IC-P1", "--end", "2200-06-30", "--why", "推迟")
    assert_refused(refused, 2, "--end", "2000 to 2100", "2200-06-30")
    refused = run(district, "project", "milestone", "IC-P1", "封顶", "--due", "2101-03-01")
    assert_refused(refused, 2, "--due", "2000 to 2100")
    refused = run(district, "project", "milestone", "IC-P1", "封顶", "--due", "2026-12-01",
                  "--done", "--on", "1999-01-01")  # fmt: skip
    assert_refused(refused, 2, "--on", "2000 to 2100")
    refused = run(district, "project", "progress", "IC-P1", "--percent", "5", "--note", "x",
                  "--on", "1999-01-01")  # fmt: skip
    assert_refused(refused, 2, "--on", "2000 to 2100")
    refused = run(district, "project", "finish", "IC-P1", "--on", "1999-01-01")
    assert_refused(refused, 2, "--on", "2000 to 2100")
    assert state(district) == before


def test_a_stored_date_late_in_year_9999_still_reads(district: str) -> None:
    execute(district, "UPDATE project SET start_on = '9999-11-15', end_on = '9999-12-31', "
            "planned_end_on = '9999-12-31'")  # fmt: skip
    (listed,) = data(district, "project", "list")  # type: ignore[misc]
    assert (listed["start_on"], listed["light"]) == ("9999-11-15", "green")
    assert data(district, "project", "show", "IC-P1")["light"] == "green"  # type: ignore[index]
    report = data(district, "report", "monthly", "--month", "2026-11")
    assert [p["key"] for p in report["projects"]["chains"][0]["projects"]] == ["IC-P1"]  # type: ignore[index]


def test_a_link_of_the_chain(district: str) -> None:
    add_link(district, "IC", "晶圆制造")
    add_link(district, "SAI", "算力")
    dates = ["--start", "2026-05-01", "--end", "2026-12-31"]
    base = ["project", "add", "IC", "封测", "--type", "fill", "--enterprise", "华虹", *dates]
    assert_refused(run(district, *base, "--link", "算力"), 1, "link", "'算力'")
    assert ok(run(district, *base, "--link", "晶圆制造")).stdout == "IC-P2\n"
    assert data(district, "project", "show", "IC-P2")["link"] == "晶圆制造"
    edited = run(district, "project", "edit", "IC-P1", "--link", "晶圆制造")
    assert "IC-P1: link (empty) → 晶圆制造" in ok(edited).stderr
    ok(run(district, "project", "edit", "IC-P1", "--link", ""))
    assert data(district, "project", "show", "IC-P1")["link"] is None


def test_edit_keeps_the_first_planned_end(district: str) -> None:
    before = state(district)
    refused = run(district, "project", "edit", "IC-P1", "--end", "2027-12-31")
    assert_refused(refused, 1, "moving the planned end of IC-P1", "2027-06-30 → 2027-12-31",
                   "give --why")  # fmt: skip
    refused = run(district, "project", "edit", "IC-P1", "--end", "2026-01-31", "--why", "x")
    assert_refused(refused, 1, "--end: 2026-01-31 is before the start 2026-03-01")
    refused = run(district, "project", "edit", "IC-P1", "--title", "x", "--why", "y")
    assert_refused(refused, 2, "--why", "give --end too")
    assert_refused(run(district, "project", "edit", "IC-P1"), 2, "give at least one of")
    assert state(district) == before
    edited = run(district, "project", "edit", "IC-P1", "--end", "2027-12-31", "--why",
                 "设备到货推迟", "--type", "strengthen", "--investment", "50")  # fmt: skip
    said = ok(edited).stderr
    assert "IC-P1: end 2027-06-30 → 2027-12-31" in said
    assert "IC-P1: type build → strengthen" in said and "IC-P1: investment 45 → 50" in said
    detail = data(district, "project", "show", "IC-P1")
    assert (detail["end_on"], detail["planned_end_on"], detail["type"]) == (
        "2027-12-31",
        "2027-06-30",
        "strengthen",
    )
    moved = [e for e in detail["history"] if e["field"] == "end"]
    assert [(e["old"], e["new"], e["text"]) for e in moved] == [
        ("2027-06-30", "2027-12-31", "设备到货推迟")
    ]
    card = ok(run(district, "project", "show", "IC-P1")).stdout
    assert "2026-03-01 → 2027-12-31 (first planned end 2027-06-30)" in card
    nothing = run(district, "project", "edit", "IC-P1", "--type", "strengthen")
    assert "IC-P1: nothing changed" in ok(nothing).stderr


def test_finish_and_drop(district: str) -> None:
    ok(run(district, "project", "progress", "IC-P1", "--percent", "70", "--invested", "30",
           "--note", "设备安装", "--on", "2026-11-15"))  # fmt: skip
    refused = run(district, "project", "finish", "IC-P1", "--on", "2026-11-14")
    assert_refused(refused, 1, "--on: 2026-11-14 is before the latest progress report")
    said = run(district, "project", "finish", "IC-P1", "--on", "2026-11-20")
    assert "IC-P1: finished 2026-11-20 (70% → 100%)" in ok(said).stderr
    detail = data(district, "project", "show", "IC-P1")
    assert (detail["status"], detail["percent"], detail["invested"], detail["light"]) == (
        "finished",
        100,
        "30",
        "none",
    )
    assert detail["finished_on"] == "2026-11-20"
    before = state(district)
    refused = run(district, "project", "progress", "IC-P1", "--percent", "100", "--note", "x")
    assert_refused(refused, 1, "IC-P1 is finished (2026-11-20)")
    assert_refused(run(district, "project", "drop", "IC-P1", "--why", "x"), 1, "is finished")
    assert state(district) == before
    ok(run(district, "project", "add", "IC", "封测", "--type", "fill", "--enterprise", "华虹",
           "--start", "2026-05-01", "--end", "2026-12-31"))  # fmt: skip
    assert_refused(run(district, "project", "drop", "IC-P2"), 2, "--why")
    ok(run(district, "project", "drop", "IC-P2", "--why", "企业调整投资计划"))
    dropped = data(district, "project", "show", "IC-P2")
    assert (dropped["status"], dropped["dropped_on"], dropped["light"]) == (
        "dropped",
        "2026-11-21",
        "none",
    )
    assert dropped["history"][-1]["text"] == "企业调整投资计划"


def test_a_project_raises_items(district: str) -> None:
    ok(run(district, "project", "add", "SAI", "算力中心", "--type", "extend", "--enterprise",
           "华虹", "--start", "2026-11-01", "--end", "2027-10-31"))  # fmt: skip
    added = run(district, "bottleneck", "add", "IC", "二期用电扩容", "--unit", "工信局",
                "--due", "+30d", "--project", "ic-p1")  # fmt: skip
    assert ok(added).stdout.strip() == "IC-1"
    before = state(district)
    refused = run(district, "bottleneck", "add", "IC", "x", "--unit", "工信局", "--due", "+30d",
                  "--project", "SAI-P1")  # fmt: skip
    assert_refused(refused, 1, "--project: SAI-P1 is a project of another chain")
    refused = run(district, "bottleneck", "add", "IC", "x", "--unit", "工信局", "--due", "+30d",
                  "--project", "IC-P7")  # fmt: skip
    assert_refused(refused, 1, "no project 'IC-P7'")
    assert state(district) == before
    detail = data(district, "project", "show", "IC-P1")
    assert [(i["key"], i["light"]) for i in detail["items"]] == [("IC-1", "green")]
    assert [(e["kind"], e["item"]) for e in detail["history"]][-1] == ("created", "IC-1")
    card = ok(run(district, "project", "show", "IC-P1")).stdout
    assert "Items it raised" in card and "二期用电扩容" in card
    # and the item's card names the project
    assert data(district, "bottleneck", "show", "IC-1")["project"] == "IC-P1"
    assert "IC-P1" in ok(run(district, "bottleneck", "show", "IC-1")).stdout
    # The chain's own history is not the projects'.
    chain = data(district, "chain", "show", "IC")
    assert not any(e["kind"].startswith("project_") for e in chain["history"])


def test_db_check_rule(district: str) -> None:
    add_link(district, "SAI", "算力")
    ok(run(district, "project", "progress", "IC-P1", "--percent", "20", "--note", "x"))
    ok(run(district, "bottleneck", "add", "SAI", "x", "--unit", "工信局", "--due", "+30d"))
    assert data(district, "db", "check")["ok"] is True
    execute(
        district,
        "UPDATE project SET percent = 35, "
        "link_id = (SELECT id FROM chain_link WHERE name = '算力')",
        "UPDATE item SET project_id = (SELECT id FROM project WHERE number = 1)",
        "UPDATE chain SET next_project_no = 1 WHERE code = 'IC'",
    )
    result = run(district, "db", "check", "--json")
    assert result.exit_code != 0
    found = [
        (f["subject"], f["problem"])
        for f in json.loads(result.stdout)["findings"]
        if f["check"] == "projects"
    ]
    assert ("IC-P1", "percent is 35 but its latest progress report says 20") in found
    assert ("IC-P1", "its link is a link of another chain") in found
    assert ("IC-P1", "its number 1 is not below IC's next (1)") in found
    assert ("SAI-1", "it names IC-P1, a project of another chain") in found


def test_monthly_report_section(district: str) -> None:
    ok(run(district, "project", "progress", "IC-P1", "--percent", "10", "--invested", "5",
           "--note", "x", "--on", "2026-05-31"))  # fmt: skip
    ok(run(district, "project", "add", "SAI", "算力中心", "--type", "extend", "--enterprise",
           "华虹", "--start", "2026-11-01", "--end", "2027-10-31", "--investment", "300",
           "--investment-unit", "万元"))  # fmt: skip
    report = data(district, "report", "monthly", "--month", "2026-11")
    section = report["projects"]
    assert section["as_of"] == "2026-11-21"
    assert [c["code"] for c in section["chains"]] == ["IC", "SAI"]
    ic = section["chains"][0]
    (line,) = ic["projects"]
    # 10% on 2026-05-31; 54% expected by 2026-11-21, 50% by 2026-10-31: red both times.
    assert (line["key"], line["percent"], line["expected"], line["light"]) == (
        "IC-P1",
        10,
        54,
        "red",
    )
    assert line["turned_red"] is False and ic["turned_red"] == []
    district_row = section["district"]
    assert district_row["investment"] == [
        {"value": "300", "unit": "万元"},
        {"value": "45", "unit": "亿元"},
    ]
    assert district_row["invested"] == [{"value": "5", "unit": "亿元"}]
    assert (district_row["red"], district_row["green"]) == (1, 1)
    # A past month reads the progress history: in May, IC-P1 was on plan.
    may = data(district, "report", "monthly", "--month", "2026-05")["projects"]
    assert [(p["key"], p["percent"], p["light"]) for p in may["chains"][0]["projects"]] == [
        ("IC-P1", 10, "green")
    ]
    text = ok(run(district, "report", "monthly", "--month", "2026-11")).stdout
    assert "Chain projects" in text and "IC-P1" in text and "45 亿元" in text
    markdown = ok(run(district, "report", "monthly", "--month", "2026-11", "--markdown", "-"))
    assert "| IC-P1 | 12英寸晶圆二期 | 建链 | 10% | 54% | red |" in markdown.stdout
    chinese = ok(run(district, "report", "monthly", "--month", "2026-11", "--lang", "zh")).stdout
    assert "链上项目推进情况" in chinese and "落后44个百分点：完成10%，序时进度54%" in chinese


def test_turned_red_this_month(district: str) -> None:
    ok(run(district, "project", "progress", "IC-P1", "--percent", "35", "--note", "x",
           "--on", "2026-09-30"))  # fmt: skip
    # 35% on 2026-09-30: 43% expected by then, 50% by 2026-10-31, 54% by 2026-11-21.
    october = data(district, "report", "monthly", "--month", "2026-10")["projects"]
    assert october["chains"][0]["projects"][0]["light"] == "yellow"
    ok(run(district, "project", "milestone", "IC-P1", "主体结构封顶", "--due", "2026-11-10"))
    november = data(district, "report", "monthly", "--month", "2026-11")["projects"]
    (line,) = november["chains"][0]["projects"]
    assert (line["light"], line["turned_red"]) == ("red", True)
    assert november["district"]["turned_red"] == ["IC-P1"]
    html_path = Path(district).parent / "r.html" if "://" not in district else None
    if html_path is not None:
        ok(run(district, "report", "monthly", "--month", "2026-11", "--html", str(html_path)))
        html = html_path.read_text(encoding="utf-8")
        assert '<section class="projects">' in html and "<td>IC-P1</td>" in html
        assert "<td>red ▲</td>" in html and "▲ Turned red this month" in html
    text = ok(run(district, "report", "monthly", "--month", "2026-11", "--chain", "IC")).stdout
    assert "4  Chain projects" in text and "District" not in text and "red ▲" in text


def test_the_report_lists_the_most_pressing_projects_of_a_long_list(district: str) -> None:
    from chainlead.domain.reports.model import LIST_LIMIT

    # IC-P1 is at 0% since March: red. The others, started this month, are on plan.
    for n in range(LIST_LIMIT + 2):
        ok(run(district, "project", "add", "IC", f"项目{n:02d}", "--type", "build",
               "--enterprise", "华虹", "--start", "2026-11-01", "--end", "2030-10-31"))  # fmt: skip
    section = data(district, "report", "monthly", "--month", "2026-11")["projects"]
    assert len(section["chains"][0]["projects"]) == LIST_LIMIT + 3  # JSON carries them all
    text = ok(run(district, "report", "monthly", "--month", "2026-11", "--chain", "IC")).stdout
    listed = [line.split()[0] for line in text.splitlines() if line.strip().startswith("IC-P")]
    assert len(listed) == LIST_LIMIT and listed[0] == "IC-P1"  # the red one first
    assert "… and 3 more, less pressing" in text
    chinese = ok(run(district, "report", "monthly", "--month", "2026-11", "--chain", "IC",
                     "--lang", "zh")).stdout  # fmt: skip
    assert "另有3个项目" in chinese


def test_completion_of_project_keys(db_path: Path) -> None:
    db = str(db_path)
    ok(run(db, "chain", "add", "IC", "集成电路", "--leader", "Sun Hao", "--responsible", "Chen"))
    ok(run(db, "enterprise", "add", HUAHONG, "--chain", "IC"))
    for title in ("一期", "二期"):
        ok(run(db, "project", "add", "IC", title, "--type", "build", "--enterprise", HUAHONG,
               "--start", "2026-01-01", "--end", "2026-12-31"))  # fmt: skip
    assert project_keys(db, "ic-p") == ["ic-p1", "ic-p2"]  # in the case typed
    assert project_keys(db, "IC-P2") == ["IC-P2"]
    assert project_keys(db, "SAI") == []
