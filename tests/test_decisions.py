"""Meeting decisions as supervised actions: ``schedule decide``, the fulfilment rate
(决议落实率) in ``schedule show``/``agenda`` and the monthly report, and where an
action came from in ``bottleneck show``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import assert_refused, db_state, on_day
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.store.database import open_database
from chainlead.vocabulary import TITLE_MAX

Run = Callable[..., Result]
WIDE = {"COLUMNS": "200"}
POWER = "电力公司1月前新增第二回路"
FLATS = "Housing bureau to open 40 talent flats"
PERMIT = "Water bureau to split the water permit"
ROAD = "Transport bureau to open the freight road"
TABLES = ("item", "meeting_decision", "event", "assignment", "unit", "person", "meeting_item")


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


@pytest.fixture
def run(db_url: str) -> Run:
    """chainlead against a fresh database on each backend."""
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, ["--db", db_url, *args], env=env)

    return invoke


def rows(url: str) -> dict[str, list[tuple]]:
    """The rows a decision touches, on either backend: to show nothing was written."""
    database = open_database(url)
    try:
        with database.engine.connect() as conn:
            return {
                t: [tuple(r) for r in conn.exec_driver_sql(f'SELECT * FROM "{t}" ORDER BY id')]
                for t in TABLES
            }
    finally:
        database.dispose()


@pytest.fixture
def ic(run: Run) -> Run:
    """Chain IC and its scheduling meeting IC-M1 of 2026-10-15 with one decision."""
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run("chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
               "--responsible", "Zhang Wei", env={"CHAINLEAD_TODAY": "2026-10-01"}))  # fmt: skip
    ok(run("schedule", "add", "IC", "--held-on", "2026-10-15", "--decision", FLATS))
    return run


def show(run: Run, *args: str) -> dict:
    return json.loads(ok(run(*args, "--json")).stdout)


# ---------------------------------------------------------------------------- decide


def test_a_new_decision_becomes_an_action(ic: Run) -> None:
    made = ok(ic("schedule", "decide", "ic-m1", POWER, "--unit", "供电公司", "--new-unit",
                 "--owner", "王芳", "--new-person", "--due", "2027-01-31"))  # fmt: skip
    assert made.stdout == "IC-1\n"
    assert "IC-M1 new decision 2 → action IC-1 for 供电公司, due 2027-01-31" in made.stderr
    meeting = show(ic, "schedule", "show", "IC-M1")
    assert meeting["decisions"] == [FLATS, POWER]
    decided = meeting["decision_actions"]
    assert [(d["number"], d["text"], d["fulfilled"]) for d in decided] == [
        (1, FLATS, False),
        (2, POWER, False),
    ]
    assert decided[0]["actions"] == []
    assert [(a["key"], a["unit"], a["owner"], a["status"], a["light"]) for a in
            decided[1]["actions"]] == [("IC-1", "供电公司", "王芳", "open", "green")]  # fmt: skip
    assert meeting["fulfilment"]["rate"] == 0.0
    assert [(i["key"], i["relation"]) for i in meeting["items"]] == [("IC-1", "raised")]
    kinds = [(e["kind"], e["field"]) for e in meeting["history"]]
    assert ("edited", "decisions") in kinds and ("decision_action", "decision") in kinds
    # the action is an item like any other, raised on the meeting's day
    item = show(ic, "bottleneck", "show", "IC-1")
    assert (item["title"], item["detail"], item["source"], item["raised_on"]) == (
        POWER,
        None,
        "scheduling",
        "2026-10-15",
    )
    assert (item["unit"], item["owner"], item["due_on"], item["status"]) == (
        "供电公司",
        "王芳",
        "2027-01-31",
        "open",
    )
    assert item["decision"] == {"meeting": "IC-M1", "number": 2, "text": POWER}
    assert [(m["key"], m["relation"]) for m in item["meetings"]] == [("IC-M1", "raised")]
    assert [p["unit"] for p in item["parts"]] == ["供电公司"]
    history = [e["kind"] for e in item["history"]]
    assert history[0] == "created" and "linked" in history and "decision_action" in history
    card = ok(ic("bottleneck", "show", "IC-1", env=WIDE)).stdout
    assert f"From decision IC-M1 no. 2: {POWER}" in " ".join(card.split())


def test_an_existing_decision_may_have_several_actions(ic: Run) -> None:
    first = ok(ic("schedule", "decide", "IC-M1", "--action", "1", "--unit", "住建局",
                  "--new-unit", "--due", "+30d"))  # fmt: skip
    second = ok(ic("schedule", "decide", "IC-M1", "--action", "1", "--unit", "人社局",
                   "--new-unit", "--due", "2026-12-31", "--priority", "high"))  # fmt: skip
    assert (first.stdout, second.stdout) == ("IC-1\n", "IC-2\n")
    assert "IC-M1 decision 1 → action IC-1 for 住建局, due 2026-12-21" in first.stderr
    meeting = show(ic, "schedule", "show", "IC-M1")
    assert meeting["decisions"] == [FLATS]  # no new decision
    assert [(a["key"], a["unit"]) for a in meeting["decision_actions"][0]["actions"]] == [
        ("IC-1", "住建局"),
        ("IC-2", "人社局"),
    ]
    assert show(ic, "bottleneck", "show", "IC-2")["priority"] == "high"
    table = ok(ic("schedule", "show", "IC-M1", env=WIDE)).stdout
    assert "IC-1  住建局  open  green" in table and "IC-2  人社局  open  green" in table
    assert "action IC-2 made of decision 1 of IC-M1, handed to 人社局" in table
    assert "Fulfilment rate (决议落实率): 0 of 1 decision (0%) by today 2026-11-21" in table


def test_a_long_decision_is_cut_to_the_title_limit(ic: Run) -> None:
    long = "议" * (TITLE_MAX + 20)
    ok(ic("schedule", "decide", "IC-M1", long, "--unit", "供电公司", "--new-unit",
          "--due", "+10d"))  # fmt: skip
    item = show(ic, "bottleneck", "show", "IC-1")
    assert len(item["title"]) == TITLE_MAX and item["title"].endswith("…")
    assert item["detail"] == long
    assert show(ic, "schedule", "show", "IC-M1")["decisions"][1] == long


def test_a_breakfast_decision_is_sourced_as_such(ic: Run) -> None:
    ok(ic("schedule", "add", "IC", "--kind", "breakfast", "--held-on", "2026-11-20"))
    ok(ic("schedule", "decide", "IC-M2", ROAD, "--unit", "交通局", "--new-unit", "--due", "+9d"))
    item = show(ic, "bottleneck", "show", "IC-1")
    assert (item["source"], item["raised_on"]) == ("breakfast", "2026-11-20")


# ---------------------------------------------------------------------------- refusals

GOOD = ("--unit", "供电公司", "--new-unit", "--due", "2027-01-31")


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (("IC-M9", POWER, *GOOD), 1, ("no meeting 'IC-M9'",)),
        (("M1", POWER, *GOOD), 2, ("meeting",)),
        (("IC-M1", "--action", "2", *GOOD), 2, ("--action", "1 to 1 for IC-M1", "got 2")),
        (("IC-M1", "--action", "0", *GOOD), 2, ("--action", "1 to 1")),
        (("IC-M1", POWER, "--action", "1", *GOOD), 2, ("--action", "not both")),
        (("IC-M1", *GOOD), 2, ("--action", "text of a new decision")),
        (("IC-M1", POWER, "--due", "2027-01-31"), 2, ("--unit", "give --unit NAME")),
        (("IC-M1", POWER, "--unit", "供电公司", "--new-unit"), 2, ("--due", "give --due DATE")),
        (("IC-M1", POWER, "--unit", "供电公司", "--due", "+3d"), 1, ("供电公司",)),
        (("IC-M1", POWER, "--unit", "X", "--new-unit", "--due", "2026-10-01"), 1,
         ("--due", "before the raised date 2026-10-15")),
        (("IC-M1", POWER, *GOOD, "--owner", "Nobody Known"), 1, ("--owner",)),
        (("IC-M1", "", *GOOD), 2, ("decision",)),
        (("IC-M1", "two\nlines", *GOOD), 2, ("decision",)),
    ],
)  # fmt: skip
def test_refusals_name_the_field_and_write_nothing(
    ic: Run, db_url: str, args: tuple[str, ...], code: int, fragments: tuple[str, ...]
) -> None:
    before = rows(db_url)
    assert_refused(ic("schedule", "decide", *args), code, *fragments)
    assert rows(db_url) == before


def test_refused_for_an_archived_chain(ic: Run, db_url: str) -> None:
    ok(ic("chain", "archive", "IC", "--yes"))
    before = rows(db_url)
    assert_refused(ic("schedule", "decide", "IC-M1", POWER, *GOOD), 1, "IC", "archived")
    assert_refused(ic("schedule", "decide", "IC-M1", "--action", "1", *GOOD), 1, "archived")
    assert rows(db_url) == before


def test_refused_on_a_meeting_without_decisions(ic: Run) -> None:
    ok(ic("schedule", "add", "IC", "--held-on", "2026-11-20"))
    assert_refused(
        ic("schedule", "decide", "IC-M2", "--action", "1", *GOOD),
        2,
        "--action",
        "IC-M2 has no decisions yet",
    )


def test_sqlite_file_is_byte_for_byte_unchanged_by_a_refusal(cli, db_path: Path) -> None:  # noqa: ANN001
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(cli("chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
               "--responsible", "Zhang Wei"))  # fmt: skip
    ok(cli("schedule", "add", "IC", "--held-on", "2026-11-18", "--decision", FLATS))
    before = db_state(db_path)
    assert_refused(cli("schedule", "decide", "IC-M1", "--action", "5", *GOOD), 2, "--action")
    assert db_state(db_path) == before


def test_edit_keeps_actions_and_refuses_to_remove_their_decision(ic: Run, db_url: str) -> None:
    ok(ic("schedule", "decide", "IC-M1", POWER, *GOOD))  # decision 2 → IC-1
    before = rows(db_url)
    assert_refused(
        ic("schedule", "edit", "IC-M1", "--decision", "Only one"),
        1,
        "--decision",
        "decision 2 has actions (IC-1)",
    )
    assert rows(db_url) == before
    ok(ic("schedule", "edit", "IC-M1", "--decision", FLATS, "--decision", POWER + "（修订）",
          "--decision", PERMIT))  # fmt: skip
    meeting = show(ic, "schedule", "show", "IC-M1")
    assert meeting["decisions"] == [FLATS, POWER + "（修订）", PERMIT]
    assert [a["key"] for a in meeting["decision_actions"][1]["actions"]] == ["IC-1"]
    assert show(ic, "bottleneck", "show", "IC-1")["decision"]["text"] == POWER + "（修订）"


# ---------------------------------------------------------------------------- fulfilment


@pytest.fixture
def acted(ic: Run) -> Run:
    """IC-M1 (2026-10-15): decision 1 → IC-1 (resolved 10-20) and IC-2 (resolved 11-01,
    closed); decision 2 → IC-3 (resolved 11-20); decision 3 → IC-4 (dropped);
    decision 4 without action. A breakfast meeting on 11-05 in between."""
    for text, unit in ((None, "住建局"), (None, "人社局"), (PERMIT, "水务局"), (ROAD, "交通局")):
        head = ("--action", "1") if text is None else (text,)
        ok(ic("schedule", "decide", "IC-M1", *head, "--unit", unit, "--new-unit",
              "--due", "2026-11-30"))  # fmt: skip
    ok(ic("schedule", "edit", "IC-M1", "--decision", FLATS, "--decision", PERMIT,
          "--decision", ROAD, "--decision", "Science bureau to report on talent"))  # fmt: skip
    ok(ic("bottleneck", "resolve", "IC-1", "--how", "40 flats opened", "--on", "2026-10-20"))
    ok(ic("bottleneck", "resolve", "IC-2", "--how", "subsidy paid", "--on", "2026-11-01"))
    ok(ic("bottleneck", "close", "IC-2", "--by", "Zhang Wei", "--feedback", "satisfied"))
    ok(ic("bottleneck", "resolve", "IC-3", "--how", "permit split", "--on", "2026-11-20"))
    ok(ic("bottleneck", "drop", "IC-4", "--why", "road plan withdrawn"))
    ok(ic("schedule", "add", "IC", "--kind", "breakfast", "--held-on", "2026-11-05"))
    return ic


def test_fulfilment_rate_reads_the_actions_by_the_next_scheduling_meeting(acted: Run) -> None:
    meeting = show(acted, "schedule", "show", "IC-M1")
    # No next scheduling meeting yet (a breakfast meeting does not count): by today.
    assert meeting["fulfilment"] == {
        "decisions": 4,
        "with_actions": 3,
        "fulfilled": 2,
        "rate": 0.5,
        "by": "2026-11-21",
        "next_meeting": None,
    }
    assert [d["fulfilled"] for d in meeting["decision_actions"]] == [True, True, False, False]
    assert [(a["key"], a["status"], a["light"]) for a in
            meeting["decision_actions"][0]["actions"]] == [
        ("IC-1", "resolved", "on_time"),
        ("IC-2", "closed", "on_time"),
    ]  # fmt: skip
    # The next scheduling meeting on 11-10: IC-3, resolved on 11-20, came too late.
    ok(acted("schedule", "add", "IC", "--held-on", "2026-11-10"))
    meeting = show(acted, "schedule", "show", "IC-M1")
    assert meeting["fulfilment"]["next_meeting"] == "IC-M3"
    assert (meeting["fulfilment"]["fulfilled"], meeting["fulfilment"]["rate"]) == (1, 0.25)
    assert meeting["fulfilment"]["by"] == "2026-11-10"
    assert [d["fulfilled"] for d in meeting["decision_actions"]] == [True, False, False, False]
    table = ok(acted("schedule", "show", "IC-M1", env=WIDE)).stdout
    assert "Fulfilment rate (决议落实率): 1 of 4 decisions (25%) by IC-M3 2026-11-10" in table
    # Reopening a resolved action undoes its decision's fulfilment.
    ok(acted("bottleneck", "reopen", "IC-1", "--why", "flats not handed over"))
    assert show(acted, "schedule", "show", "IC-M1")["fulfilment"]["fulfilled"] == 0


def test_agenda_takes_up_the_unfulfilled_decisions_first(acted: Run) -> None:
    agenda = show(acted, "schedule", "agenda", "IC")
    assert agenda["last_meeting"]["key"] == "IC-M1"
    assert [(d["number"], [a["key"] for a in d["actions"]]) for d in agenda["unfulfilled"]] == [
        (3, ["IC-4"]),
        (4, []),
    ]
    assert agenda["last_fulfilment"]["rate"] == 0.5
    table = ok(acted("schedule", "agenda", "IC", env=WIDE)).stdout
    first = table.index("Decisions of IC-M1 not yet fulfilled")
    assert first < table.index("Overdue (red)") < table.index("Resolved, awaiting sign-off")
    section = table[first : table.index("Overdue (red)")]
    assert "IC-4  交通局  dropped  -" in section and "no action yet" in section
    assert FLATS not in section  # fulfilled
    assert "Fulfilment rate  2 of 4 decisions (50%) by today 2026-11-21" in table


def test_agenda_without_decisions_says_nothing_of_them(ic: Run) -> None:
    ok(ic("schedule", "add", "IC", "--held-on", "2026-11-20"))
    agenda = show(ic, "schedule", "agenda", "IC")
    assert (agenda["unfulfilled"], agenda["last_decisions"]) == ([], [])
    assert "not yet fulfilled" not in ok(ic("schedule", "agenda", "IC")).stdout


# ---------------------------------------------------------------------------- monthly report


def test_monthly_report_shows_decisions_actions_and_rate(acted: Run, tmp_path: Path) -> None:
    ok(acted("schedule", "add", "IC", "--held-on", "2026-11-10"))
    data = show(acted, "report", "monthly", "--month", "2026-10")
    [chain] = data["chains"]
    [meeting] = chain["meetings"]
    assert meeting["decisions"] == [FLATS, PERMIT, ROAD, "Science bureau to report on talent"]
    assert meeting["fulfilment"]["rate"] == 0.25
    assert meeting["fulfilment"]["next_meeting"] == "IC-M3"
    assert [a["key"] for a in meeting["decision_actions"][0]["actions"]] == ["IC-1", "IC-2"]

    terminal = ok(acted("report", "monthly", "--month", "2026-10", env=WIDE)).stdout
    assert "1. " + FLATS in terminal
    assert "→ IC-1 住建局 · resolved · on time" in terminal
    assert "→ IC-4 交通局 · dropped · -" in terminal
    assert "→ no action yet" in terminal
    assert "Decisions carried out  25% (1 of 4) by IC-M3 on 2026-11-10" in terminal

    markdown = tmp_path / "r.md"
    ok(acted("report", "monthly", "--month", "2026-10", "--lang", "zh",
             "--markdown", str(markdown)))  # fmt: skip
    text = markdown.read_text(encoding="utf-8")
    assert "        - IC-2 人社局 · 已销号 · 按期" in text
    assert "- **决议落实率**: 25%（1/4项，截至IC-M3召开日2026-11-10）" in text

    page = tmp_path / "r.html"
    ok(acted("report", "monthly", "--month", "2026-10", "--html", str(page)))
    html = page.read_text(encoding="utf-8")
    assert '<ul class="actions">' in html and "<li>IC-3 水务局 · resolved · on time</li>" in html
    assert (
        "<strong>Decisions carried out</strong>&nbsp; 25% (1 of 4) by IC-M3 on 2026-11-10" in html
    )


def test_monthly_report_without_actions_reads_as_before(ic: Run) -> None:
    terminal = ok(ic("report", "monthly", "--month", "2026-10", env=WIDE)).stdout
    assert "1. " + FLATS in terminal
    assert "Decisions carried out" not in terminal and "→" not in terminal
