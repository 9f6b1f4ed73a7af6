"""The handling loop between institutions: assign, receive, report, return, transfer,
and resolving gated on the co-handling units, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from helpers import assert_refused
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.domain import Stamp
from chainlead.domain.assignments import replay_parts
from chainlead.domain.bottlenecks import add_item, resolve_item
from chainlead.domain.chains import add_chain
from chainlead.domain.handling import (
    assign_unit,
    receive_part,
    report_part,
    return_part,
    transfer_part,
)
from chainlead.errors import ChainleadError
from chainlead.store.assignments import assignments_of, set_item_clock
from chainlead.store.database import Database
from chainlead.store.items import item_by_key

runner = CliRunner()
LEAD, POWER, HOUSING, PLANNING = "区发改局", "供电公司", "区住建局", "区规划局"


def run(db: str, *args: str) -> Result:
    return runner.invoke(app, ["--db", db, *args], env={"CHAINLEAD_TODAY": "2026-12-01"})


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def card(db: str, key: str = "IC-1") -> dict:
    return json.loads(ok(run(db, "bottleneck", "show", key, "--json")).stdout)


def parts(db: str) -> list[tuple[str, str, str]]:
    return [(p["unit"], p["role"], p["state"]) for p in card(db)["parts"]]


@pytest.fixture
def item(db_url: str) -> str:
    ok(run(db_url, "chain", "add", "IC", "集成电路", "--leader", "李明",
           "--responsible", "张伟"))  # fmt: skip
    for unit in (LEAD, POWER, HOUSING, PLANNING):
        ok(run(db_url, "unit", "add", unit))
    ok(run(db_url, "bottleneck", "add", "IC", "电力容量不足", "--unit", LEAD,
           "--due", "2026-12-31"))  # fmt: skip
    return db_url


def test_the_whole_loop_from_the_terminal(item: str) -> None:
    assigned = ok(run(item, "bottleneck", "assign", "IC-1", "--unit", POWER, "--due", "2026-12-20"))
    assert assigned.stderr == f"IC-1: {POWER} (co-handling) assigned, due 2026-12-20\n"
    ok(run(item, "bottleneck", "assign", "IC-1", "--unit", HOUSING))
    assert parts(item) == [(LEAD, "lead", "assigned"), (POWER, "co", "assigned"),
                           (HOUSING, "co", "assigned")]  # fmt: skip
    ok(run(item, "bottleneck", "receive", "IC-1", "--unit", POWER))
    ok(run(item, "bottleneck", "receive", "IC-1", "--unit", LEAD))
    ok(run(item, "bottleneck", "start", "IC-1"))
    returned = ok(run(item, "bottleneck", "return", "IC-1", "--unit", HOUSING,
                      "--why", "不属于我局职责", "--suggest", PLANNING))  # fmt: skip
    assert f"transfer IC-1 --from {HOUSING} --to" in returned.stderr
    ok(run(item, "bottleneck", "transfer", "IC-1", "--from", HOUSING, "--to", PLANNING,
           "--why", "退回后转办"))  # fmt: skip
    shown = card(item)
    assert [(p["unit"], p["state"], p["due_on"]) for p in shown["parts"]] == [
        (LEAD, "handling", "2026-12-31"),
        (POWER, "received", "2026-12-20"),
        (HOUSING, "returned", "2026-12-31"),
        (PLANNING, "assigned", "2026-12-31"),
    ]
    assert shown["parts"][2]["suggested"] == PLANNING
    # the earliest working limit is the item's clock: 19 days to go on 2026-12-01
    assert shown["days_over"] == -19
    refused = run(item, "bottleneck", "resolve", "IC-1", "--how", "第二回路")
    assert_refused(refused, 1, "co-handling units have not reported", POWER, PLANNING)
    ok(run(item, "bottleneck", "report", "IC-1", "--unit", POWER, "--how", "第二回路已接入"))
    ok(run(item, "bottleneck", "report", "IC-1", "--unit", PLANNING, "--how", "规划已调整"))
    ok(run(item, "bottleneck", "resolve", "IC-1", "--how", "第二回路"))
    assert [p["state"] for p in card(item)["parts"]] == [
        "reported", "reported", "returned", "reported",
    ]  # fmt: skip
    text = ok(run(item, "bottleneck", "show", "IC-1")).stdout
    assert "Institutions" in text and PLANNING in text and "returned" in text


def test_resolve_with_force_is_for_the_signers(item: str) -> None:
    ok(run(item, "bottleneck", "assign", "IC-1", "--unit", POWER))
    assert_refused(
        run(item, "bottleneck", "resolve", "IC-1", "--how", "x", "--force", "--by", "张伟"),
        2,
        "--why",
    )
    ok(run(item, "person", "add", "王芳"))
    assert_refused(
        run(
            item,
            "bottleneck",
            "resolve",
            "IC-1",
            "--how",
            "x",
            "--force",
            "--why",
            "急",
            "--by",
            "王芳",
        ),  # fmt: skip
        1,
        "--by",
        "chain leader",
    )
    ok(run(item, "bottleneck", "resolve", "IC-1", "--how", "x", "--force", "--why", "急",
           "--by", "张伟"))  # fmt: skip
    shown = card(item)
    assert shown["status"] == "resolved"
    forced = [e for e in shown["history"] if e["kind"] == "forced"]
    assert len(forced) == 1 and POWER in forced[0]["text"] and "张伟" in forced[0]["text"]


def test_returned_lead_leaves_the_item_without_a_lead(item: str) -> None:
    ok(run(item, "bottleneck", "return", "IC-1", "--unit", LEAD, "--why", "非本单位职责"))
    assert parts(item) == [(LEAD, "lead", "returned")]
    ok(run(item, "bottleneck", "assign", "IC-1", "--unit", POWER, "--role", "lead"))
    shown = card(item)
    assert shown["unit"] == POWER  # the item's unit follows its lead
    assert_refused(
        run(item, "bottleneck", "assign", "IC-1", "--unit", PLANNING, "--role", "lead"),
        1,
        "--role",
        "already has a lead unit",
    )


def test_transfer_keeps_the_limit_unless_given(item: str) -> None:
    ok(run(item, "bottleneck", "transfer", "IC-1", "--from", LEAD, "--to", POWER,
           "--why", "职责调整"))  # fmt: skip
    shown = card(item)
    assert (shown["unit"], shown["due_on"]) == (POWER, "2026-12-31")
    assert parts(item) == [(LEAD, "lead", "transferred"), (POWER, "lead", "assigned")]
    ok(run(item, "bottleneck", "transfer", "IC-1", "--from", POWER, "--to", PLANNING,
           "--why", "再调整", "--due", "2027-01-15"))  # fmt: skip
    shown = card(item)
    assert (shown["unit"], shown["due_on"]) == (PLANNING, "2027-01-15")
    assert shown["original_due_on"] == "2026-12-31"


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (("assign", "IC-1"), 2, ("--unit", "give --unit NAME")),
        (("assign", "IC-1", "--unit", "不存在的单位"), 1, ("不存在的单位", "--new-unit")),
        (("assign", "IC-1", "--unit", LEAD), 1, ("--unit", "already has a part")),
        (("assign", "IC-1", "--unit", POWER, "--role", "boss"), 2, ("--role",)),
        (("assign", "IC-1", "--unit", POWER, "--due", "2026-11-01"), 1, ("--due", "before today")),
        (("receive", "IC-1", "--unit", POWER), 1, ("--unit", "no part in IC-1")),
        (("report", "IC-1", "--unit", LEAD), 2, ("--how",)),
        (("return", "IC-1", "--unit", LEAD), 2, ("--why",)),
        (("transfer", "IC-1", "--from", LEAD, "--to", LEAD, "--why", "x"), 1, ("--to",)),
        (("transfer", "IC-1", "--from", POWER, "--to", LEAD, "--why", "x"), 1, ("--from",)),
        (("receive", "IC-9", "--unit", LEAD), 1, ("IC-9",)),
    ],
)
def test_refusals_write_nothing(item: str, args: tuple, code: int, fragments: tuple) -> None:
    before = card(item)
    assert_refused(run(item, "bottleneck", *args), code, *fragments)
    assert card(item) == before


def test_receive_twice_and_report_after_resolve_are_refused(item: str) -> None:
    ok(run(item, "bottleneck", "receive", "IC-1", "--unit", LEAD))
    before = card(item)
    assert_refused(run(item, "bottleneck", "receive", "IC-1", "--unit", LEAD), 1,
                   "already signed for it")  # fmt: skip
    assert card(item) == before
    ok(run(item, "bottleneck", "resolve", "IC-1", "--how", "done"))
    assert_refused(run(item, "bottleneck", "report", "IC-1", "--unit", LEAD, "--how", "x"), 1,
                   "resolved", "reopen")  # fmt: skip


def test_receipt_limit_turns_a_green_item_yellow(item: str, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("CHAINLEAD_RECEIPT_DAYS", "2wd")
    ok(run(item, "bottleneck", "add", "IC", "用地", "--unit", POWER, "--due", "2027-03-31"))
    assert card(item, "IC-2")["light"] == "green"  # 2026-12-01 is a Tuesday: due by Thursday
    later = runner.invoke(app, ["--db", item, "bottleneck", "show", "IC-2", "--json"],
                          env={"CHAINLEAD_TODAY": "2026-12-04"})  # fmt: skip
    assert json.loads(later.stdout)["light"] == "yellow"
    ok(run(item, "bottleneck", "receive", "IC-2", "--unit", POWER))
    later = runner.invoke(app, ["--db", item, "bottleneck", "show", "IC-2", "--json"],
                          env={"CHAINLEAD_TODAY": "2026-12-04"})  # fmt: skip
    assert json.loads(later.stdout)["light"] == "green"


def test_co_unit_overdue_makes_the_item_red_and_listed_overdue(item: str) -> None:
    ok(run(item, "bottleneck", "assign", "IC-1", "--unit", POWER, "--due", "2026-12-05"))
    late = runner.invoke(app, ["--db", item, "bottleneck", "list", "--overdue", "--json"],
                         env={"CHAINLEAD_TODAY": "2026-12-08"})  # fmt: skip
    rows = json.loads(late.stdout)
    assert [(r["key"], r["light"], r["days_over"], r["due_on"]) for r in rows] == [
        ("IC-1", "red", 3, "2026-12-31")
    ]


# ---- property: the states replay from the history

STEPS = ("assign", "receive", "report", "return", "transfer", "resolve")
UNITS = (LEAD, POWER, HOUSING, PLANNING)


@pytest.fixture
def loop_db(database: Database) -> Database:
    stamp = Stamp(actor="tester", at=datetime(2026, 12, 1, 8), today=datetime(2026, 12, 1).date())
    with database.transaction(write=True) as db:
        add_chain(db, code="IC", name="IC", leader="李明", responsible="张伟", stamp=stamp)
        add_item(db, chain="IC", title="t", unit=LEAD, due=stamp.today + timedelta(days=30),
                 stamp=stamp, new_unit=True)  # fmt: skip
        for unit in UNITS[1:]:
            assign_unit(db, key="IC-1", unit=unit, stamp=stamp, new_unit=True)
            return_part(db, key="IC-1", unit=unit, why="setup", stamp=stamp)
    return database


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.sampled_from(STEPS), st.sampled_from(UNITS),
                          st.sampled_from(UNITS)), max_size=12))  # fmt: skip
def test_any_sequence_replays_to_the_stored_states(loop_db: Database, steps: list) -> None:
    stamp = Stamp(actor="tester", at=datetime(2026, 12, 2, 8), today=datetime(2026, 12, 2).date())
    for step, unit, other in steps:
        try:
            with loop_db.transaction(write=True) as db:
                if step == "assign":
                    assign_unit(db, key="IC-1", unit=unit, stamp=stamp)
                elif step == "receive":
                    receive_part(db, key="IC-1", unit=unit, stamp=stamp)
                elif step == "report":
                    report_part(db, key="IC-1", unit=unit, how="done", stamp=stamp)
                elif step == "return":
                    return_part(db, key="IC-1", unit=unit, why="not ours", stamp=stamp)
                elif step == "transfer":
                    transfer_part(db, key="IC-1", source=unit, target=other, why="x", stamp=stamp)
                else:
                    resolve_item(db, key="IC-1", how="done", stamp=stamp)
        except ChainleadError:
            pass  # refused: nothing written
    with loop_db.transaction(write=False) as db:
        item = item_by_key(db, "IC-1")
        assert item is not None
        stored = assignments_of(db, item.id)
        events = db.rows(
            "SELECT unit_id, field, new FROM event WHERE item_id = :item ORDER BY at, id",
            {"item": item.id},
        )
    latest: dict[int, str] = {}
    for part in sorted(stored, key=lambda p: p.id):  # each unit's latest assignment
        latest[part.unit_id] = part.state
    assert replay_parts([tuple(row) for row in events]) == latest
    # the light reads the clock the stored parts give: the earliest working limit
    again = replace(item)
    set_item_clock(None, again, stored)  # type: ignore[arg-type]
    assert (item.clock_due, item.receipt_due) == (again.clock_due, again.receipt_due)
    leads = [p for p in stored if p.role == "lead" and p.standing]
    assert len(leads) <= 1
    if leads and item.status == "open":
        assert item.unit_id == leads[0].unit_id


def test_unit_show_lists_the_work_it_has_a_part_of(item: str) -> None:
    ok(run(item, "bottleneck", "assign", "IC-1", "--unit", POWER))
    ok(run(item, "bottleneck", "assign", "IC-1", "--unit", HOUSING))
    ok(run(item, "bottleneck", "return", "IC-1", "--unit", HOUSING, "--why", "非本局职责"))
    power = json.loads(ok(run(item, "unit", "show", POWER, "--json")).stdout)
    assert [i["key"] for i in power["items"]] == ["IC-1"] and power["parts"] == {"assigned": 1}
    housing = json.loads(ok(run(item, "unit", "show", HOUSING, "--json")).stdout)
    assert housing["items"] == [] and housing["parts"] == {"returned": 1}
    ok(run(item, "bottleneck", "report", "IC-1", "--unit", POWER, "--how", "已完成"))
    power = json.loads(ok(run(item, "unit", "show", POWER, "--json")).stdout)
    assert power["items"] == [] and power["parts"] == {"reported": 1}


def test_report_overdue_reads_the_clock_as_the_list_does(item: str) -> None:
    ok(run(item, "bottleneck", "assign", "IC-1", "--unit", POWER, "--due", "2026-12-05"))
    ok(run(item, "bottleneck", "add", "IC", "用地", "--unit", POWER, "--due", "2026-12-03"))
    ok(run(item, "bottleneck", "suspend", "IC-2", "--why", "等待省级批复"))
    env = {"CHAINLEAD_TODAY": "2026-12-08"}
    listed = json.loads(runner.invoke(app, ["--db", item, "bottleneck", "list", "--overdue",
                                            "--json"], env=env).stdout)  # fmt: skip
    report = json.loads(runner.invoke(app, ["--db", item, "report", "overdue", "--json"],
                                      env=env).stdout)  # fmt: skip
    lines = [line for unit in report["units"] for line in unit["items"]]
    assert [(r["key"], r["days_over"]) for r in listed] == [("IC-1", 3)]
    assert [(line["key"], line["days_over"]) for line in lines] == [("IC-1", 3)]


def test_monthly_report_lights_read_the_clock(item: str) -> None:
    ok(run(item, "bottleneck", "assign", "IC-1", "--unit", POWER, "--due", "2026-12-05"))
    shown = runner.invoke(app, ["--db", item, "report", "monthly", "--month", "2026-12",
                                "--json"], env={"CHAINLEAD_TODAY": "2026-12-08"})  # fmt: skip
    chain = json.loads(shown.stdout)["chains"][0]
    assert chain["light"] == "red"
    assert [(i["key"], i["light"], i["days_over"]) for i in chain["open_items"]] == [
        ("IC-1", "red", 3)
    ]
