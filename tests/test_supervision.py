"""The supervision ladder (督办): its rules at their thresholds, ``supervise`` and its
``--apply`` and ``--check``, escalation by hand, and the levels in lists and reports.

Every test runs on SQLite and, with a server, on PostgreSQL (``db_url``); the
date moves with ``CHAINLEAD_TODAY``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import assert_refused, db_state, execute
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.store.database import open_database

DUE = date(2026, 10, 1)  # the time limit of the item most tests follow (IC-1)
RAISED = "2026-06-01"


def run(db: str, *args: str, today: date | None = None, **env: str) -> Result:
    """chainlead ARGS against ``db`` on ``today`` (default: the suite's fixed day)."""
    extra = {"CHAINLEAD_TODAY": today.isoformat()} if today else {}
    return CliRunner().invoke(app, ["--db", db, *args], env={**extra, **env})


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


def add(db: str, due: date, title: str = "Power capacity", chain: str = "IC") -> str:
    """A new open item of ``chain`` due on ``due``, raised early in the year; its key."""
    result = ok(
        run(
            db, "bottleneck", "add", chain, title, "--unit", "Bureau", "--new-unit",
            "--due", due.isoformat(), "--raised-on", RAISED, today=date(2026, 6, 1),
        )
    )  # fmt: skip
    return result.stdout.strip()


@pytest.fixture
def district(db_url: str) -> str:
    """Chain IC (leader Li Ming) with IC-1 due on DUE."""
    ok(run(db_url, "chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
           "--responsible", "Zhang Wei", today=date(2026, 6, 1)))  # fmt: skip
    assert add(db_url, DUE) == "IC-1"
    return db_url


def steps(db: str, today: date, *args: str, **env: str) -> list[dict]:
    """The steps ``supervise --json`` lists on ``today``."""
    result = ok(run(db, "supervise", "--json", *args, today=today, **env))
    return json.loads(result.stdout)["steps"]


def rows(db: str, sql: str, params: dict | None = None) -> list[tuple]:
    database = open_database(db)
    try:
        with database.transaction(write=False) as conn:
            return [tuple(row) for row in conn.rows(sql, params or {})]
    finally:
        database.dispose()


def ladder_events(db: str) -> list[tuple]:
    """(key, kind, old, new, text) of every ladder event, in order."""
    return rows(
        db,
        'SELECT i."key", e.kind, e.old, e.new, e.text FROM event e JOIN item i '
        "ON i.id = e.item_id WHERE e.field = 'level' ORDER BY e.id",
    )


def level_of(db: str, key: str) -> tuple[int, object, int]:
    """(level, red_due, red_spells) of an item as stored."""
    (found,) = rows(db, 'SELECT level, red_due, red_spells FROM item WHERE "key" = :k', {"k": key})
    return int(found[0]), found[1], int(found[2])


# --------------------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("offset", "level"),
    [
        (-8, None),  # green: eight days to go, the warning window is seven
        (-7, 1),  # yellow
        (0, 1),  # due today: still yellow
        (1, 2),  # red
        (14, 2),
        (15, 3),  # red for ladder_letter_days
        (29, 3),
        (30, 4),  # red for escalation_days
        (59, 4),
        (60, 5),  # red for ladder_leading_group_days
        (400, 5),
    ],
)
def test_rules_at_their_thresholds(district: str, offset: int, level: int | None) -> None:
    found = steps(district, DUE + timedelta(days=offset))
    if level is None:
        assert found == []
        return
    assert [(s["key"], s["old"], s["new"]) for s in found] == [("IC-1", 0, level)]
    assert found[0]["light"] == ("yellow" if offset <= 0 else "red")
    assert found[0]["red_days"] == max(offset, 0)
    setting = {3: "ladder_letter_days", 4: "escalation_days", 5: "ladder_leading_group_days"}
    if level in setting:
        assert setting[level] in found[0]["rule"]
    assert level_of(district, "IC-1") == (0, None, 0)  # a dry run writes nothing


def test_thresholds_follow_the_settings(district: str) -> None:
    day = DUE + timedelta(days=10)
    assert [s["new"] for s in steps(district, day)] == [2]
    narrower = {"CHAINLEAD_LADDER_LETTER_DAYS": "10", "CHAINLEAD_ESCALATION_DAYS": "12"}
    assert [s["new"] for s in steps(district, day, **narrower)] == [3]
    assert [s["new"] for s in steps(district, day + timedelta(days=2), **narrower)] == [4]
    group = {"CHAINLEAD_LADDER_LEADING_GROUP_DAYS": "11"}
    assert [s["new"] for s in steps(district, day + timedelta(days=1), **group)] == [5]


def test_working_day_thresholds(db_url: str) -> None:
    from chainlead.workdays import add_working_days

    ok(run(db_url, "chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
           "--responsible", "Zhang Wei", today=date(2026, 6, 1)))  # fmt: skip
    due = date(2026, 11, 2)
    add(db_url, due)
    reached = add_working_days(due, 10)
    env = {"CHAINLEAD_LADDER_LETTER_DAYS": "10wd"}
    assert [s["new"] for s in steps(db_url, reached - timedelta(days=1), **env)] == [2]
    (found,) = steps(db_url, reached, **env)
    assert found["new"] == 3 and "10 working days" in found["rule"], found


@pytest.mark.parametrize("value", ["abc", "0", "-3", "15d", "3651"])
def test_a_bad_threshold_setting_is_refused(district: str, value: str) -> None:
    result = run(district, "supervise", CHAINLEAD_LADDER_LETTER_DAYS=value)
    assert_refused(result, 2, "ladder_letter_days", "Nwd")


def test_config_show_reads_the_thresholds(db_path: Path) -> None:
    shown = json.loads(ok(run(str(db_path), "config", "show", "--json")).stdout)
    by_key = {s["key"]: s for s in shown}
    assert by_key["ladder_letter_days"]["value"] == "15"
    assert "督办函" in by_key["ladder_letter_days"]["help"]
    assert "second time" in by_key["ladder_letter_days"]["help"]
    assert by_key["escalation_days"]["value"] == 30
    assert "level 4" in by_key["escalation_days"]["help"]
    assert by_key["ladder_leading_group_days"]["value"] == "60"
    assert "领导小组" in by_key["ladder_leading_group_days"]["help"]
    env = {"CHAINLEAD_LADDER_LEADING_GROUP_DAYS": "40WD"}
    shown = json.loads(ok(run(str(db_path), "config", "show", "--json", **env)).stdout)
    assert {s["key"]: s["value"] for s in shown}["ladder_leading_group_days"] == "40wd"


# --------------------------------------------------------------------------- supervise --apply


def test_apply_records_each_step_once(district: str) -> None:
    day = DUE + timedelta(days=16)
    result = ok(run(district, "supervise", "--apply", today=day))
    assert "IC-1" in result.stdout and "recorded 1 step" in result.stderr
    assert ladder_events(district) == [
        ("IC-1", "supervised", "0", "3", "red for 16 days (≥ 15 days, ladder_letter_days)")
    ]
    assert level_of(district, "IC-1")[0] == 3
    again = ok(run(district, "supervise", "--apply", today=day))
    assert again.stdout == "" and "recorded 0 steps" in again.stderr
    assert len(ladder_events(district)) == 1
    assert steps(district, day) == []  # nothing due any more
    ok(run(district, "supervise", "--apply", today=day + timedelta(days=20)))
    assert [e[2:4] for e in ladder_events(district)] == [("0", "3"), ("3", "4")]


def test_levels_climb_one_step_per_day_they_are_run(district: str) -> None:
    for offset in (-3, 0, 1, 2, 15, 16, 30, 60, 61):
        ok(run(district, "supervise", "--apply", today=DUE + timedelta(days=offset)))
    assert [e[2:4] for e in ladder_events(district)] == [
        ("0", "1"), ("1", "2"), ("2", "3"), ("3", "4"), ("4", "5"),
    ]  # fmt: skip


def test_a_second_red_spell_calls_for_the_letter(district: str) -> None:
    ok(run(district, "supervise", "--apply", today=DUE + timedelta(days=2)))
    assert level_of(district, "IC-1")[::2] == (2, 1)
    later = DUE + timedelta(days=20)
    ok(run(district, "bottleneck", "edit", "IC-1", "--due", later.isoformat(),
           "--why", "extension approved", today=DUE + timedelta(days=3)))  # fmt: skip
    assert steps(district, DUE + timedelta(days=16)) == []  # yellow, but level 2 is higher
    ok(run(district, "supervise", "--apply", today=DUE + timedelta(days=16)))
    assert level_of(district, "IC-1")[0] == 2  # never falls by itself
    (step,) = steps(district, later + timedelta(days=1))
    assert (step["old"], step["new"]) == (2, 3)
    assert step["rule"].startswith("red a second time")
    ok(run(district, "supervise", "--apply", today=later + timedelta(days=1)))
    level, _red_due, spells = level_of(district, "IC-1")
    assert (level, spells) == (3, 2)


def test_suspended_and_finished_items_are_left_alone(district: str) -> None:
    add(district, DUE, "Second")
    add(district, DUE, "Third")
    execute(district, "UPDATE item SET suspended_on = '2026-09-20' WHERE \"key\" = 'IC-2'")
    ok(run(district, "bottleneck", "resolve", "IC-3", "--how", "done", today=DUE))
    assert [s["key"] for s in steps(district, DUE + timedelta(days=40))] == ["IC-1"]


def test_a_hand_de_escalation_stands_until_a_further_rule(district: str) -> None:
    ok(run(district, "supervise", "--apply", today=DUE + timedelta(days=20)))
    assert level_of(district, "IC-1")[0] == 3
    ok(run(district, "bottleneck", "de-escalate", "IC-1", "--level", "1",
           "--why", "letter answered; works started", today=DUE + timedelta(days=20)))  # fmt: skip
    for offset in (20, 21, 29):
        assert steps(district, DUE + timedelta(days=offset)) == [], offset
    (step,) = steps(district, DUE + timedelta(days=30))
    assert (step["old"], step["new"]) == (1, 4)


# --------------------------------------------------------------------------- --check


def test_check_exits_3_on_items_at_the_letter_or_above(district: str) -> None:
    add(district, DUE + timedelta(days=10), "Later")
    day = DUE + timedelta(days=14)
    ok(run(district, "supervise", "--apply", "--check", today=day))  # both at 2: exit 0
    result = run(district, "supervise", "--apply", "--check", today=day + timedelta(days=1))
    assert result.exit_code == 3, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "chainlead: error: 1 open item at level 3 (督办函) or above: IC-1"
    )
    assert "Open items at level 3" in result.stdout
    dry = run(district, "supervise", "--check", "--json", today=day + timedelta(days=1))
    assert dry.exit_code == 3
    assert [r["key"] for r in json.loads(dry.stdout)["high"]] == ["IC-1"]
    ok(run(district, "bottleneck", "resolve", "IC-1", "--how", "line laid", today=day))
    ok(run(district, "supervise", "--check", today=day + timedelta(days=1)))


# --------------------------------------------------------------------------- by hand


def test_escalate_and_de_escalate_by_hand(district: str) -> None:
    result = ok(run(district, "bottleneck", "escalate", "ic-1", "--level", "4",
                    "--why", "land use needs the chain leader"))  # fmt: skip
    assert "IC-1: level 0 none 无 → 4 chain_leader 约谈/提请链长" in result.stderr
    ok(run(district, "bottleneck", "de-escalate", "IC-1", "--why", "talks held"))
    assert level_of(district, "IC-1")[0] == 3
    assert ladder_events(district) == [
        ("IC-1", "escalated", "0", "4", "land use needs the chain leader"),
        ("IC-1", "de-escalated", "4", "3", "talks held"),
    ]
    card = ok(run(district, "bottleneck", "show", "IC-1", COLUMNS="160")).stdout
    assert re.search(r"Supervision level +3 letter 督办函", card), card
    assert "escalated: level 0 → 4" in card and "de-escalated: level 4 → 3" in card
    assert (
        json.loads(ok(run(district, "bottleneck", "show", "IC-1", "--json")).stdout)["level"] == 3
    )


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (("escalate", "IC-1", "--level", "6", "--why", "x"), 2, ("--level", "0 to 5", "'6'")),
        (("escalate", "IC-1", "--level", "-1", "--why", "x"), 2, ("--level", "0 to 5")),
        (("escalate", "IC-1", "--level", "three", "--why", "x"), 2, ("--level", "0 to 5")),
        (("de-escalate", "IC-1", "--level", "9", "--why", "x"), 2, ("--level", "0 to 5")),
        (("escalate", "IC-1", "--why", "x"), 2, ("--level",)),
        (("escalate", "IC-1", "--level", "3"), 2, ("--why",)),
        (("de-escalate", "IC-1", "--level", "1"), 2, ("--why",)),
        (("escalate", "IC-1", "--level", "2", "--why", "x"), 1, ("--level", "above", "2 urging")),
        (("escalate", "IC-1", "--level", "1", "--why", "x"), 1, ("--level", "above")),
        (("de-escalate", "IC-1", "--level", "2", "--why", "x"), 1, ("--level", "below")),
        (("de-escalate", "IC-1", "--level", "3", "--why", "x"), 1, ("--level", "below")),
        (("escalate", "IC-9", "--level", "3", "--why", "x"), 1, ("IC-9",)),
    ],
)
def test_refused_moves_write_nothing(
    cli, db_path: Path, args: tuple[str, ...], code: int, fragments: tuple[str, ...]
) -> None:  # noqa: ANN001
    ok(cli("chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
           "--responsible", "Zhang Wei", env={"CHAINLEAD_TODAY": RAISED}))  # fmt: skip
    add(str(db_path), DUE)
    ok(cli("bottleneck", "escalate", "IC-1", "--level", "2", "--why", "urged by the team"))
    before = db_state(db_path)
    assert_refused(cli("bottleneck", *args), code, *fragments)
    assert db_state(db_path) == before


def test_de_escalating_below_none_and_moving_finished_items_are_refused(district: str) -> None:
    assert_refused(
        run(district, "bottleneck", "de-escalate", "IC-1", "--why", "x"), 1, "below", "0 none"
    )
    ok(run(district, "bottleneck", "resolve", "IC-1", "--how", "done"))
    assert_refused(
        run(district, "bottleneck", "escalate", "IC-1", "--level", "3", "--why", "x"),
        1,
        "resolved",
    )
    assert ladder_events(district) == []


# --------------------------------------------------------------------------- lists and reports


def test_levels_in_the_list_and_the_reports(district: str, tmp_path: Path) -> None:
    add(district, DUE + timedelta(days=25), "Later")
    add(district, date(2026, 12, 31), "Far off")
    ok(run(district, "supervise", "--apply", today=date(2026, 11, 1)))  # IC-1 31 d, IC-2 6 d
    ok(run(district, "bottleneck", "escalate", "IC-3", "--level", "1", "--why", "early word",
           today=date(2026, 11, 2)))  # fmt: skip
    listed = json.loads(ok(run(district, "bottleneck", "list", "--json")).stdout)
    assert {r["key"]: r["level"] for r in listed} == {"IC-1": 4, "IC-2": 2, "IC-3": 1}
    at_least = ok(run(district, "bottleneck", "list", "--level", "2", "--json")).stdout
    assert [r["key"] for r in json.loads(at_least)] == ["IC-1", "IC-2"]
    csv = ok(run(district, "bottleneck", "list", "--level", "4", "--csv")).stdout.splitlines()
    assert "level" in csv[0].split(",") and [line[:5] for line in csv[1:]] == ["IC-1,"]
    overdue = json.loads(ok(run(district, "report", "overdue", "--json")).stdout)
    lines = {i["key"]: i["level"] for u in overdue["units"] for i in u["items"]}
    assert lines == {"IC-1": 4, "IC-2": 2}
    assert "Level 4 约谈/提请链长" in ok(run(district, "report", "overdue")).stdout
    report = json.loads(ok(run(district, "report", "monthly", "--month", "2026-11",
                               "--json")).stdout)  # fmt: skip
    assert report["ladder"] == [{"chain": "IC", "levels": [1, 1, 0, 1, 0], "total": 3}]
    assert [(c["key"], c["old"], c["new"], c["by"]) for c in report["climbs"]] == [
        ("IC-1", 0, 4, "supervised"),
        ("IC-2", 0, 2, "supervised"),
        ("IC-3", 0, 1, "escalated"),
    ]
    text = ok(run(district, "report", "monthly", "--month", "2026-11")).stdout
    assert "Supervision ladder" in text and "Steps up the ladder in 2026-11" in text
    october = json.loads(ok(run(district, "report", "monthly", "--month", "2026-10",
                                "--json")).stdout)  # fmt: skip
    assert october["climbs"] == []
    zh = ok(run(district, "report", "monthly", "--month", "2026-11", "--lang", "zh",
                "--markdown", "-")).stdout  # fmt: skip
    assert "## 5 督办情况" in zh and "| IC-1 | 2026-11-01 | 0 → 4 约谈/提请链长 |" in zh
    page = tmp_path / "report.html"
    ok(run(district, "report", "monthly", "--month", "2026-11", "--html", str(page)))
    html = page.read_text(encoding="utf-8")
    assert '<section class="ladder">' in html and "0 → 4 chain_leader 约谈/提请链长" in html


def test_list_level_out_of_range_is_refused(db_path: Path) -> None:
    result = run(str(db_path), "bottleneck", "list", "--level", "6")
    assert result.exit_code == 2 and "--level" in result.stderr


# --------------------------------------------------------------------------- many at once

WORKERS = 8


def _supervise_at_once(db: str, today: date) -> list[subprocess.CompletedProcess]:
    env = {**os.environ, "CHAINLEAD_TODAY": today.isoformat(), "CHAINLEAD_DB": db}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "chainlead", "--as", f"cron {n}", "supervise", "--apply"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(WORKERS)
    ]
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def _many(db: str, count: int) -> None:
    """``count`` more items of IC in one transaction, due every third day from DUE on
    (twelve a day)."""
    from datetime import datetime

    from chainlead.domain import Stamp
    from chainlead.domain.bottlenecks import add_item
    from chainlead.store.connection import open_writer

    stamp = Stamp(actor="tester", at=datetime(2026, 6, 1, 9), today=date(2026, 6, 1))
    with open_writer(db) as conn:
        for n in range(count):
            due = DUE + timedelta(days=3 * (n // 12))
            add_item(conn, chain="IC", title=f"Item {n}", unit="Bureau", due=due, stamp=stamp)


@pytest.mark.slow
def test_eight_supervise_runs_at_once_record_each_step_once(district: str) -> None:
    _many(district, 24 * 12)  # enough work that the runs overlap
    expected = []
    for today in (DUE + timedelta(days=16), DUE + timedelta(days=70)):
        due = steps(district, today)
        expected += [(s["key"], str(s["new"])) for s in due]
        done = _supervise_at_once(district, today)
        assert [p.returncode for p in done] == [0] * WORKERS, [p.stderr for p in done]
        recorded = [int(p.stderr.split("recorded ")[1].split()[0]) for p in done]
        assert sum(1 for r in recorded if r) == 1, recorded  # one run did the day's work
    events = ladder_events(district)
    per_step = Counter((key, new) for key, _kind, _old, new, _text in events)
    assert [step for step, n in per_step.items() if n > 1] == []
    assert sorted((key, new) for key, _kind, _old, new, _text in events) == sorted(expected)
    assert len(expected) == 1 + 8 * 12 + 1 + 24 * 12  # yellow or red on the first day, all later
    levels = dict(rows(district, 'SELECT "key", level FROM item'))
    assert {key: int(level) for key, level in levels.items()} == {
        key: int(new) for key, new in expected
    }


def test_supervise_imports_no_database_stack_on_sqlite(cli, db_path: Path) -> None:  # noqa: ANN001
    from test_startup import HEAVY, imported

    ok(cli("chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
           "--responsible", "Zhang Wei", env={"CHAINLEAD_TODAY": RAISED}))  # fmt: skip
    add(str(db_path), DUE)
    env = {"CHAINLEAD_DB": str(db_path), "CHAINLEAD_TODAY": "2026-11-21"}
    for args in (["supervise"], ["supervise", "--apply", "--json"], ["bottleneck", "escalate",
                 "IC-1", "--level", "5", "--why", "x"]):  # fmt: skip
        packages, _ = imported(args, env=env)
        assert not packages & set(HEAVY), (args, sorted(packages & set(HEAVY)))


def test_a_de_escalation_holds_by_the_local_day_it_was_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 07:30 in Beijing the UTC date is still the day before: the hand
    de-escalation counts on the local day, as ``today()`` does."""
    import time
    from datetime import datetime

    from chainlead.settings import load_settings

    early = datetime(2026, 12, 3, 23, 30)  # 07:30 on 4 December in Beijing
    assert load_settings().day_of(early) == date(2026, 12, 3)  # CHAINLEAD_TODAY is set
    monkeypatch.delenv("CHAINLEAD_TODAY")
    monkeypatch.delenv("CHAINLEAD_TIMEZONE")  # the default: the system's zone
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert load_settings().day_of(early) == date(2026, 12, 4)
    finally:
        monkeypatch.undo()
        time.tzset()
