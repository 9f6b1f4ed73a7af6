"""``chainlead undo`` tried against the handling loop and its edges, on SQLite and
PostgreSQL: each command of the loop taken back leaves the records, the reports,
the search and ``db check`` as they were before it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import assert_refused
from test_undo import ME, UNIT, state
from time_data import Run, ok, runner

OTHER = "区住房和城乡建设局"
POWER = "国网南京供电公司"


@pytest.fixture
def run(db_url: str) -> Run:
    base = runner(db_url)

    def run(*args: str, env: dict[str, str] | None = None) -> Any:
        return base(*args, env={**ME, **(env or {})})

    ok(run("chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "张伟"))
    ok(run("bottleneck", "add", "IC", "封装线用电不足", "--unit", UNIT, "--new-unit",
           "--due", "2026-12-31", "--enterprise", "南京芯片公司"))  # fmt: skip
    ok(run("unit", "add", OTHER))
    ok(run("unit", "add", POWER))
    ok(run("person", "add", "陈杰"))
    return run


def _card(run: Run, key: str = "IC-1") -> dict:
    card = json.loads(ok(run("bottleneck", "show", key, "--json")).stdout)
    card.pop("history", None)
    return card


def _reads(run: Run) -> Any:
    """What the reads show, history aside: the records, the card, the monthly report,
    the search."""
    monthly = json.loads(ok(run("report", "monthly", "--json")).stdout)
    monthly.pop("generated_at", None)
    found = json.loads(ok(run("search", "用电", "--json")).stdout)
    return state(run), _card(run), monthly, found


LOOP: dict[str, list[tuple[str, ...]]] = {
    "assign": [("bottleneck", "assign", "IC-1", "--unit", OTHER, "--due", "2026-12-20")],
    "receive": [("bottleneck", "receive", "IC-1", "--unit", UNIT)],
    "report": [("bottleneck", "report", "IC-1", "--unit", UNIT, "--how", "第二回路已接入")],
    "return": [("bottleneck", "return", "IC-1", "--unit", UNIT, "--why", "不属于我局职责")],
    "transfer": [
        ("bottleneck", "transfer", "IC-1", "--from", UNIT, "--to", POWER, "--why", "转办")
    ],  # fmt: skip
    "extend": [("bottleneck", "extend", "IC-1", "--to", "2027-01-31", "--why", "工期顺延")],
    "urge": [("bottleneck", "urge", "IC-1", "--note", "电话催办")],
    "suspend": [("bottleneck", "suspend", "IC-1", "--why", "等待省级批复")],
    "escalate": [("bottleneck", "escalate", "IC-1", "--level", "3", "--why", "久拖不决")],
    "note": [("bottleneck", "note", "IC-1", "已电话联系企业 '用电' \"增容\" 🚀")],
    "edit": [
        (
            "bottleneck",
            "edit",
            "IC-1",
            "--title",
            "封装线用电严重不足 '引号' 😀",
            "--detail",
            "多行\n第二行",
            "--priority",
            "urgent",
            "--category",
            "电力",
            "--due",
            "2027-02-01",
            "--why",
            "改期",
        )
    ],  # fmt: skip
    "resolve": [("bottleneck", "resolve", "IC-1", "--how", "增容")],
    "unit rename": [("unit", "rename", UNIT, "区发展改革委")],
    "person rename": [("person", "rename", "李明", "李鸣")],
    "enterprise rename": [("enterprise", "rename", "南京芯片公司", "南京芯片股份公司")],
    "link enterprise": [("bottleneck", "link", "IC-1", "--enterprise", "南京封测公司")],
    "chain edit": [("chain", "edit", "IC", "--name", "集成电路产业链")],
    "team add": [("team", "add", "IC", "陈杰", "--role", "liaison")],
}


@pytest.mark.parametrize("name", list(LOOP))
def test_each_command_of_the_loop_is_taken_back_whole(run: Run, name: str) -> None:
    before = _reads(run)
    for command in LOOP[name]:
        ok(run(*command))
    assert _reads(run) != before
    ok(run("undo", "--yes"))
    assert _reads(run) == before
    assert "sound" in ok(run("db", "check")).stderr


# A chain project on IC, as the cases that need one add it first.
ADD_PROJECT = ("project", "add", "IC", "12英寸晶圆二期", "--type", "build", "--enterprise",
               "南京芯片公司", "--start", "2026-03-01", "--end", "2027-06-30")  # fmt: skip

# Commands undone after some setup: (setup, the command undone).
SET_UP: dict[str, tuple[list[tuple[str, ...]], list[tuple[str, ...]]]] = {
    "approve": (
        [("bottleneck", "extend", "IC-1", "--to", "2027-01-31", "--why", "工期顺延")],
        [("bottleneck", "approve", "IC-1", "--by", "张伟")],
    ),
    "refuse": (
        [("bottleneck", "extend", "IC-1", "--to", "2027-01-31", "--why", "工期顺延")],
        [("bottleneck", "refuse", "IC-1", "--by", "张伟", "--why", "可以按期完成")],
    ),
    "resume": (
        [("bottleneck", "suspend", "IC-1", "--why", "等待省级批复")],
        [("bottleneck", "resume", "IC-1", "--note", "批复已下达")],
    ),
    "de-escalate": (
        [("bottleneck", "escalate", "IC-1", "--level", "3", "--why", "久拖不决")],
        [("bottleneck", "de-escalate", "IC-1", "--level", "1", "--why", "已开工")],
    ),
    "follow-up": (
        [("bottleneck", "resolve", "IC-1", "--how", "增容")],
        [
            (
                "bottleneck",
                "follow-up",
                "IC-1",
                "--enterprise",
                "南京芯片公司",
                "--result",
                "satisfied",
                "--by",
                "张伟",
            )
        ],  # fmt: skip
    ),
    "close": (
        [("bottleneck", "resolve", "IC-1", "--how", "增容")],
        [("bottleneck", "close", "IC-1", "--by", "张伟", "--feedback", "satisfied")],
    ),
    "team remove": (
        [("team", "add", "IC", "陈杰", "--role", "liaison")],
        [("team", "remove", "IC", "陈杰")],
    ),
    "chain link remove": (
        [("chain", "link", "add", "IC", "晶圆制造", "--segment", "midstream")],
        [("chain", "link", "remove", "IC", "晶圆制造")],
    ),
    "target remove": (
        [
            (
                "target",
                "set",
                "IC",
                "2026",
                "--new-figure",
                "--figure",
                "output_value=180:亿元",
                "--figure",
                "new_projects=12",
            )
        ],  # fmt: skip
        [("target", "remove", "IC", "2026", "--figure", "new_projects")],
    ),
    "project progress": (
        [
            (
                "project",
                "add",
                "IC",
                "12英寸晶圆二期",
                "--type",
                "build",
                "--enterprise",
                "南京芯片公司",
                "--investment",
                "45",
                "--investment-unit",
                "亿元",
                "--start",
                "2026-03-01",
                "--end",
                "2027-06-30",
            )
        ],  # fmt: skip
        [
            (
                "project",
                "progress",
                "IC-P1",
                "--percent",
                "40",
                "--invested",
                "12.5",
                "--note",
                "主体结构施工",
            )
        ],  # fmt: skip
    ),
    "project milestone": (
        [
            ADD_PROJECT,
        ],
        [("project", "milestone", "IC-P1", "主体结构封顶", "--due", "2026-12-30")],
    ),
    "project finish": (
        [
            ADD_PROJECT,
        ],
        [("project", "finish", "IC-P1", "--on", "2026-11-20")],
    ),
    "target set": (
        [],
        [("target", "set", "IC", "2026", "--new-figure", "--figure", "output_value=180:亿元")],
    ),
    "chain link add": ([], [("chain", "link", "add", "IC", "晶圆制造", "--segment", "midstream")]),
    "chain archive": ([], [("chain", "archive", "IC", "--reason", "并入", "--yes")]),
    "edit unit": ([], [("bottleneck", "edit", "IC-1", "--unit", OTHER)]),
    "milestone done": (
        [
            (
                "project",
                "add",
                "IC",
                "12英寸晶圆二期",
                "--type",
                "build",
                "--enterprise",
                "南京芯片公司",
                "--start",
                "2026-03-01",
                "--end",
                "2027-06-30",
            ),
            ("project", "milestone", "IC-P1", "主体结构封顶", "--due", "2026-12-30"),
        ],
        [("project", "milestone", "IC-P1", "主体结构封顶", "--done", "--on", "2026-11-20")],
    ),
    "category cleared": (
        [("bottleneck", "edit", "IC-1", "--category", "电力")],
        [("bottleneck", "edit", "IC-1", "--category", "")],
    ),
    "enterprise flags": (
        [("enterprise", "edit", "南京芯片公司", "--chain", "IC", "--not-lead")],
        [
            (
                "enterprise",
                "edit",
                "南京芯片公司",
                "--above-scale",
                "--chain",
                "IC",
                "--lead",
                "--park",
                '江宁开发区 "一期"',
                "--contact",
                "",
            )
        ],
    ),
    "owner renamed": (
        [("bottleneck", "edit", "IC-1", "--owner", "张伟")],
        [("person", "rename", "张伟", "张玮")],
    ),
    "enterprise unlinked": (
        [("bottleneck", "link", "IC-1", "--enterprise", "南京封测公司")],
        [("bottleneck", "link", "IC-1", "--enterprise", "南京芯片公司", "--remove")],
    ),
    "team remove to": (
        [
            ("team", "add", "IC", "陈杰", "--role", "liaison"),
            ("bottleneck", "edit", "IC-1", "--owner", "陈杰"),
        ],  # fmt: skip
        [("team", "remove", "IC", "陈杰", "--to", "张伟")],
    ),
}


@pytest.mark.parametrize("name", list(SET_UP))
def test_each_command_after_its_setup_is_taken_back_whole(run: Run, name: str) -> None:
    setup, commands = SET_UP[name]
    for command in setup:
        ok(run(*command))
    before = _reads(run)
    for command in commands:
        ok(run(*command))
    assert _reads(run) != before
    ok(run("undo", "--yes"))
    assert _reads(run) == before
    assert "sound" in ok(run("db", "check")).stderr


def test_a_change_before_an_unrelated_later_one_is_undone(run: Run) -> None:
    """Another item added on the same chain afterwards takes nothing from the first:
    only the chain's key counter moved, which an undo never puts back."""
    ok(run("bottleneck", "add", "IC", "误录的堵点", "--unit", UNIT, "--due", "2026-12-31"))
    mistake = changes_of(run)[0]["id"]
    ok(run("bottleneck", "add", "IC", "另一个堵点", "--unit", OTHER, "--due", "2026-12-31"))
    ok(run("chain", "edit", "IC", "--name", "集成电路产业链"))
    ok(run("undo", str(mistake), "--yes"))
    assert _card(run, "IC-2")["status"] == "dropped"
    assert _card(run, "IC-2")["chain_name"] == "集成电路产业链"  # the later edit stands
    assert _card(run, "IC-3")["status"] == "open"
    assert "sound" in ok(run("db", "check")).stderr


def test_an_enterprise_a_later_change_names_is_refused_naming_it(run: Run) -> None:
    """A later command linked the added enterprise to an item: the undo is refused
    as building on it (naming that command), already in the dry run."""
    ok(run("enterprise", "add", "南京封测公司"))
    added = changes_of(run)[0]["id"]
    ok(run("bottleneck", "link", "IC-1", "--enterprise", "南京封测公司"))
    before = state(run)
    assert_refused(
        run("undo", str(added), "--dry-run"), 1, "bottleneck link IC-1", "undo that first"
    )
    assert_refused(run("undo", str(added), "--yes"), 1, "bottleneck link IC-1", "undo that first")
    assert state(run) == before


def test_an_undone_note_is_no_longer_found(run: Run) -> None:
    ok(run("bottleneck", "note", "IC-1", "已电话联系华芯增容事宜"))
    assert json.loads(ok(run("search", "华芯增容", "--json")).stdout)["total"] == 1
    ok(run("undo", "--yes"))
    assert json.loads(ok(run("search", "华芯增容", "--json")).stdout)["total"] == 0
    assert "sound" in ok(run("db", "check")).stderr


def changes_of(run: Run) -> list[dict]:
    return json.loads(ok(run("undo", "--list", "--json")).stdout)


def test_refused_and_read_only_commands_leave_no_change_set(run: Run) -> None:
    listed = changes_of(run)
    assert run("bottleneck", "resolve", "IC-9", "--how", "x").exit_code != 0
    assert run("bottleneck", "close", "IC-1", "--by", "张伟").exit_code != 0
    ok(run("supervise"))
    ok(run("report", "monthly", "--json"))
    ok(run("bottleneck", "list"))
    assert changes_of(run) == listed


def test_an_export_after_undos_imports_into_an_empty_database(run: Run, tmp_path: Path) -> None:
    ok(run("bottleneck", "add", "IC", "误录的堵点", "--unit", UNIT, "--due", "2026-12-31"))
    ok(run("undo", "--yes"))
    ok(run("bottleneck", "note", "IC-1", "进展"))
    ok(run("bottleneck", "resolve", "IC-1", "--how", "增容"))
    ok(run("undo", "--yes"))
    ok(run("undo", "--yes"))
    snapshot = tmp_path / "s.toml"
    ok(run("export", str(snapshot)))
    other = runner(str(tmp_path / "other.db"))
    ok(other("init"))
    ok(other("import", str(snapshot)))
    assert state(other) == state(run)
    assert "sound" in ok(other("db", "check")).stderr


def test_a_supervision_step_applied_is_taken_back(run: Run) -> None:
    late = {"CHAINLEAD_TODAY": "2027-01-20"}  # IC-1 red for 20 days
    before = _reads(run)
    applied = ok(run("supervise", "--apply", env=late))
    assert "IC-1" in applied.stdout
    assert _card(run)["level"] != before[1]["level"]
    ok(run("undo", "--yes", env=late))
    assert _reads(run) == before
    ladder = ok(run("supervise", "--json", env=late))
    assert "IC-1" in ladder.stdout  # the step is due again
    assert "sound" in ok(run("db", "check")).stderr


def test_an_intake_of_a_small_sheet_is_taken_back(run: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "demands.csv"
    sheet.write_text(
        "企业名称,诉求内容,责任单位,办理时限\n"
        f"南京新材料公司,厂区道路破损,{UNIT},2026-12-31\n"
        f"南京芯片公司,人才公寓不足,{OTHER},2026-12-31\n",
        encoding="utf-8",
    )
    before = state(run)
    ok(run("intake", str(sheet), "--chain", "IC"))
    ok(run("undo", "--yes"))
    listed = json.loads(ok(run("bottleneck", "list", "--json")).stdout)
    assert [i["key"] for i in listed] == ["IC-1"]
    after = state(run)
    assert [e["name"] for e in after.get("enterprises", [])] == [
        e["name"] for e in before.get("enterprises", [])
    ]
    assert "sound" in ok(run("db", "check")).stderr


def test_a_decision_recorded_at_a_meeting_is_taken_back(run: Run) -> None:
    ok(run("schedule", "add", "IC", "--held-on", "2026-11-21", "--summary", "调度会"))
    before = _reads(run)
    ok(run("schedule", "decide", "IC-M1", "供电公司增设第二回路", "--unit", POWER,
           "--due", "2026-12-30"))  # fmt: skip
    ok(run("undo", "--yes"))
    listed = json.loads(ok(run("bottleneck", "list", "--json")).stdout)
    assert [i["key"] for i in listed] == ["IC-1"]
    assert _reads(run)[1] == before[1]
    assert "sound" in ok(run("db", "check")).stderr


def test_an_item_added_with_a_new_enterprise_undone_leaves_a_sound_database(
    run: Run,
) -> None:
    ok(run("bottleneck", "add", "IC", "误录的堵点", "--unit", UNIT, "--due", "2026-12-31",
           "--enterprise", "南京新材料公司"))  # fmt: skip
    ok(run("undo", "--yes"))
    assert _card(run, "IC-2")["status"] == "dropped"
    assert "sound" in ok(run("db", "check")).stderr


def test_an_added_item_undone_leaves_the_monthly_report_as_before(run: Run) -> None:
    """The item's creation is reversed: the report counts it neither raised nor
    dropped this month."""
    before = json.loads(ok(run("report", "monthly", "--json")).stdout)
    ok(run("bottleneck", "add", "IC", "误录的堵点", "--unit", UNIT, "--due", "2026-12-31"))
    ok(run("undo", "--yes"))
    after = json.loads(ok(run("report", "monthly", "--json")).stdout)
    before.pop("generated_at", None)
    after.pop("generated_at", None)
    assert after == before


def test_a_removal_a_later_change_redid_is_refused_naming_it(run: Run) -> None:
    ok(run("team", "add", "IC", "陈杰", "--role", "liaison"))
    ok(run("team", "remove", "IC", "陈杰"))
    removal = changes_of(run)[0]["id"]
    ok(run("team", "add", "IC", "陈杰", "--role", "liaison"))
    before = state(run)
    assert_refused(run("undo", str(removal), "--dry-run"), 1, "team add IC", "undo that first")
    assert_refused(run("undo", str(removal), "--yes"), 1, "team add IC", "undo that first")
    assert state(run) == before


def test_a_change_landing_while_an_undo_runs_is_not_lost(pg_url: str) -> None:
    """PostgreSQL: an undo that has checked nothing builds on its change, then waits
    (here on a lock held on the change set's row), while another command edits the
    same item. The edit must wait for the undo, or the undo see it and refuse: the
    undo must not put the item's old row back over an edit made after its check."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = runner(pg_url)

    def run(*args: str) -> Any:
        return base(*args, env=ME)

    ok(run("chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "张伟"))
    ok(run("bottleneck", "add", "IC", "封装线用电不足", "--unit", UNIT, "--new-unit",
           "--due", "2026-12-31"))  # fmt: skip
    ok(run("bottleneck", "edit", "IC-1", "--title", "封装线用电严重不足"))
    target = changes_of(run)[0]["id"]
    conninfo = make_url(pg_url).set(drivername="postgresql").render_as_string(False)
    env = {**os.environ, **ME}
    cmd = [sys.executable, "-m", "chainlead", "--db", pg_url, "undo", str(target), "--yes"]
    with psycopg.connect(conninfo) as lock, psycopg.connect(conninfo, autocommit=True) as see:
        lock.execute("SELECT 1 FROM change_set WHERE id = %s FOR UPDATE", (target,))
        undo = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)  # fmt: skip
        waiting: list[Any] = []
        while not waiting and undo.poll() is None:  # the undo has planned, and waits
            waiting = see.execute(
                "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE 'UPDATE change_set%%'"
            ).fetchall()
        edit = [sys.executable, "-m", "chainlead", "--db", pg_url, "bottleneck", "edit",
                "IC-1", "--priority", "urgent"]  # fmt: skip
        later = subprocess.Popen(edit, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        held: list[Any] = []
        while not held and later.poll() is None:  # done, or waiting for the undo
            held = see.execute(  # at its change set, or first at the history's head
                "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND (query LIKE 'INSERT INTO change_set%%' "
                "OR query LIKE 'SELECT id FROM history_head%%')"
            ).fetchall()
        lock.rollback()
    assert later.wait(timeout=60) == 0
    undo.wait(timeout=60)
    assert _card(run)["priority"] == "urgent"  # the later edit stands


def test_a_command_refused_part_way_leaves_no_capture_running(
    db_path: Path, tmp_path: Path
) -> None:
    """A batch whose second line is refused after the first wrote: nothing kept, and
    no change set left open for what runs next outside a command (an import)."""
    from helpers import db_state

    run = runner(str(db_path))
    ok(run("chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "张伟"))
    lines = tmp_path / "lines.txt"
    ok(run("bottleneck", "add", "IC", "封装线用电不足", "--unit", UNIT, "--new-unit",
           "--due", "2026-12-31"))  # fmt: skip
    lines.write_text(
        'bottleneck note IC-1 "批内"\nbottleneck resolve IC-9 --how x\n', encoding="utf-8"
    )
    listed = changes_of(run)
    assert run("batch", str(lines)).exit_code != 0
    assert db_state(db_path)["change_current"] == [(1, None)]
    assert changes_of(run) == listed
    snapshot = tmp_path / "s.toml"
    other = runner(str(tmp_path / "other.db"))
    ok(other("init"))
    ok(other("unit", "add", OTHER))
    ok(other("export", str(snapshot)))
    ok(run("import", str(snapshot)))
    rows = db_state(db_path)["change_row"]
    assert {r[1] for r in rows} <= {c["id"] for c in changes_of(run) if c["kind"] != "import"}


@pytest.mark.parametrize(
    "command",
    [
        ("chain", "add", "AI", "人工智能", "--leader", "王强", "--responsible", "赵敏"),
        ("project", "add", "IC", "12英寸晶圆二期", "--type", "build", "--enterprise",
         "南京芯片公司", "--start", "2026-03-01", "--end", "2027-06-30"),
        ("chain", "link", "add", "IC", "晶圆制造", "--segment", "midstream"),
        ("enterprise", "add", "南京新材料公司", "--chain", "IC"),
        ("unit", "add", "区科学技术局"),
    ],
    ids=["chain", "project", "link", "enterprise", "unit"],
)  # fmt: skip
def test_a_record_added_and_undone_leaves_a_sound_database(
    run: Run, command: tuple[str, ...]
) -> None:
    ok(run(*command))
    ok(run("undo", "--yes"))
    assert "sound" in ok(run("db", "check")).stderr
