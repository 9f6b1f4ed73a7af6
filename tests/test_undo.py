"""``chainlead undo``: a whole command taken back, both on record, on SQLite and PostgreSQL.

A chain IC with one item IC-1 handed to an institution, made by 王芳. The
records' state is compared through the snapshot export with the history and the
key counters left out: history is append-only (the undone command's events and
the undo's own both stay) and a key once handed out is never handed out again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from helpers import assert_refused
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from time_data import Run, ok, runner

UNIT = "区发展和改革局"
ME = {"CHAINLEAD_USER": "王芳"}


@pytest.fixture
def run(db_url: str) -> Run:
    base = runner(db_url)

    def run(*args: str, env: dict[str, str] | None = None) -> Any:
        return base(*args, env={**ME, **(env or {})})

    ok(run("chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "张伟"))
    ok(run("bottleneck", "add", "IC", "封装线用电不足", "--unit", UNIT, "--new-unit",
           "--due", "2026-12-31"))  # fmt: skip
    return run


def _records(value: Any) -> Any:
    """A snapshot without its history and key counters."""
    if isinstance(value, dict):
        return {
            k: _records(v)
            for k, v in value.items()
            if k != "history" and not k.startswith("next_") and k != "exported_at"
        }
    if isinstance(value, list):
        return [_records(v) for v in value]
    return value


def state(run: Run) -> Any:
    return _records(tomllib.loads(ok(run("export", "-")).stdout))


def history(run: Run, key: str = "IC-1") -> list[dict]:
    return json.loads(ok(run("bottleneck", "show", key, "--json")).stdout)["history"]


def changes(run: Run) -> list[dict]:
    return json.loads(ok(run("undo", "--list", "--json")).stdout)


def test_closing_the_wrong_item_is_taken_back_with_both_on_record(run: Run) -> None:
    before = state(run)
    ok(run("bottleneck", "resolve", "IC-1", "--how", "已协调供电公司增容"))
    ok(run("bottleneck", "close", "IC-1", "--by", "张伟", "--feedback", "satisfied"))
    assert json.loads(ok(run("bottleneck", "show", "IC-1", "--json")).stdout)["status"] == "closed"
    done = ok(run("undo", "--yes"))
    assert "undid change" in done.stderr
    ok(run("undo", "--yes"))  # the resolution too
    assert state(run) == before
    kinds = [e["kind"] for e in history(run)]
    assert kinds.count("undone") >= 3  # closed, resolved, reported: each reversed
    assert "resolved" in kinds  # the mistake stays on record
    found = ok(run("log", "--since", "-1d", "--json", "--kind", "undone"))
    assert {e["key"] for e in json.loads(found.stdout)} == {"IC-1"}
    checked = ok(run("db", "check"))
    assert "sound" in checked.stderr


def test_an_added_item_is_retired_and_its_key_never_handed_out_again(run: Run) -> None:
    before = state(run)
    ok(run("bottleneck", "add", "IC", "误录的堵点", "--unit", UNIT, "--due", "2026-12-31"))
    plan = ok(run("undo", "--dry-run"))
    assert "IC-2" in plan.stdout and "dropped" in plan.stdout
    assert state(run) != before and "dry run" in plan.stderr
    ok(run("undo", "--yes"))
    card = json.loads(ok(run("bottleneck", "show", "IC-2", "--json")).stdout)
    assert card["status"] == "dropped"
    listed = json.loads(ok(run("bottleneck", "list", "--json")).stdout)
    assert [i["key"] for i in listed] == ["IC-1"]
    ok(run("bottleneck", "add", "IC", "新堵点", "--unit", UNIT, "--due", "2026-12-31"))
    keys = [i["key"] for i in json.loads(ok(run("bottleneck", "list", "--json")).stdout)]
    assert sorted(keys) == ["IC-1", "IC-3"]
    assert "sound" in ok(run("db", "check")).stderr


def test_a_change_a_later_one_builds_on_is_refused_naming_it(run: Run, db_url: str) -> None:
    ok(run("bottleneck", "add", "IC", "误录的堵点", "--unit", UNIT, "--due", "2026-12-31"))
    ok(run("bottleneck", "note", "IC-2", "已电话联系企业"))
    listed = changes(run)
    add, note = listed[1]["id"], listed[0]["id"]
    before = state(run)
    refused = run("undo", str(add), "--yes")
    assert_refused(refused, 1, f"change {note}", "bottleneck note IC-2", "undo that first")
    assert state(run) == before
    ok(run("undo", "--yes"))  # the note first
    ok(run("undo", str(add), "--yes"))
    assert json.loads(ok(run("bottleneck", "show", "IC-2", "--json")).stdout)["status"] == (
        "dropped"
    )


def test_a_status_change_after_the_one_undone_is_refused(run: Run) -> None:
    ok(run("bottleneck", "start", "IC-1"))
    ok(run("bottleneck", "block", "IC-1", "--reason", "等待市级部门答复"))
    start = changes(run)[1]["id"]
    assert_refused(run("undo", str(start), "--yes"), 1, "builds on", "undo that first")


def test_refusals_name_the_reason_and_write_nothing(run: Run, tmp_path: Path) -> None:
    ok(run("bottleneck", "note", "IC-1", "已联系"))
    before = state(run)
    mine = changes(run)[0]["id"]
    assert_refused(run("undo", str(mine), "--yes", env={"CHAINLEAD_USER": "李明"}), 1,
                   "was made by 王芳", "--as 王芳")  # fmt: skip
    assert_refused(run("undo", "999", "--yes"), 1, "999")
    assert_refused(run("undo", "IC-1", "--yes"), 2, "CHANGE_ID", "12")
    assert_refused(run("undo"), 2, "--yes")  # no terminal to ask at
    assert state(run) == before
    ok(run("undo", "--yes"))
    by = changes(run)[0]["id"]
    assert_refused(run("undo", str(mine), "--yes"), 1, f"already undone by change {by}")
    assert_refused(run("undo", str(by), "--yes"), 1, "itself an undo")
    snapshot = tmp_path / "snap.toml"
    ok(run("export", str(snapshot)))
    ok(run("import", str(snapshot)))
    imported = changes(run)[0]
    assert imported["kind"] == "import"
    assert_refused(run("undo", "--yes"), 1, "is an import", "backup")


def test_another_actors_change_with_as_that_actor(run: Run) -> None:
    ok(run("bottleneck", "note", "IC-1", "李明的批示", env={"CHAINLEAD_USER": "李明"}))
    theirs = changes(run)[0]
    assert theirs["actor"] == "李明"
    assert_refused(run("undo", str(theirs["id"]), "--yes"), 1, "--as 李明")
    ok(run("--as", "李明", "undo", str(theirs["id"]), "--yes"))
    assert changes(run)[0]["undoes"] == theirs["id"]


def test_list_and_json(run: Run) -> None:
    ok(run("bottleneck", "note", "IC-1", "已联系"))
    found = changes(run)
    assert [c["kind"] for c in found] == ["command", "command", "command"]
    newest = found[0]
    assert newest["command"].endswith("bottleneck note IC-1 '已联系'")
    assert newest["events"] == 1 and newest["actor"] == "王芳"
    assert newest["at"].endswith("Z") or "+" in newest["at"]
    plan = json.loads(ok(run("undo", "--dry-run", "--json")).stdout)
    assert plan["undo"] is None and plan["events"][0]["text"] == "已联系"
    done = json.loads(ok(run("undo", "--yes", "--json")).stdout)
    assert done["undo"] == changes(run)[0]["id"] and done["undo"] > newest["id"]
    table = ok(run("undo", "--list", "--limit", "2"))
    assert "undone by" in table.stdout and "bottleneck note" in table.stdout
    zh = ok(run("--lang", "zh", "undo", "--list"))
    assert "撤销" in zh.stdout


def test_a_write_that_changes_nothing_leaves_no_change_set(run: Run) -> None:
    n = len(changes(run))
    run("bottleneck", "close", "IC-1", "--by", "张伟")  # refused: nothing written
    assert len(changes(run)) == n


def test_the_command_line_keeps_no_password(pg_url: str) -> None:
    run = runner(pg_url)
    ok(run("chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "张伟"))
    command = changes(run)[0]["command"]
    assert ":***@" in command and "devpass" not in command


def test_two_processes_undoing_the_same_change_reverse_it_once(run: Run, db_url: str) -> None:
    ok(run("bottleneck", "note", "IC-1", "只撤销一次"))
    target = str(changes(run)[0]["id"])
    env = {**os.environ, **ME}
    cmd = [sys.executable, "-m", "chainlead", "--db", db_url, "undo", target, "--yes"]
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    assert sorted(code for code, _ in results) == [0, 1], results
    assert any("already undone" in err for _, err in results)
    kinds = [e["kind"] for e in history(run)]
    assert kinds.count("undone") == 1


# ---- the property: undoing the last command gives back the state before it

STEPS = st.lists(
    st.sampled_from(
        [
            ("bottleneck", "note", "IC-1", "跟进"),
            ("bottleneck", "start", "IC-1"),
            ("bottleneck", "block", "IC-1", "--reason", "等待"),
            ("bottleneck", "resolve", "IC-1", "--how", "已解决"),
            ("bottleneck", "reopen", "IC-1", "--why", "企业反映未解决"),
            ("bottleneck", "edit", "IC-1", "--priority", "high"),
            ("bottleneck", "edit", "IC-1", "--due", "2027-01-15"),
            ("bottleneck", "urge", "IC-1", "--why", "请加快"),
            ("bottleneck", "suspend", "IC-1", "--why", "企业停产", "--until", "2027-01-31"),
            ("bottleneck", "resume", "IC-1"),
            ("team", "add", "IC", "王芳"),
            ("unit", "add", "区科技局"),
            ("person", "add", "赵敏"),
            ("schedule", "add", "IC", "--held-on", "2026-11-20", "--summary", "调度会"),
        ]
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=STEPS)
def test_undo_of_the_last_command_restores_the_records(
    tmp_path_factory: pytest.TempPathFactory, template_db: Path, steps: list[tuple[str, ...]]
) -> None:
    import shutil

    path = tmp_path_factory.mktemp("undo") / "p.db"
    shutil.copyfile(template_db, path)
    base = runner(str(path))

    def run(*args: str) -> Any:
        return base(*args, env=ME)

    ok(run("chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "张伟"))
    ok(run("bottleneck", "add", "IC", "封装线用电不足", "--unit", UNIT, "--new-unit",
           "--due", "2026-12-31"))  # fmt: skip
    before = None
    for step in steps:
        now, n = state(run), len(changes(run))
        run(*step)
        if len(changes(run)) > n:
            before = now  # the state before the last command that wrote
    assume(before is not None)
    undone = run("undo", "--yes")
    if undone.exit_code != 0:  # a meeting added: history names it, so it stays
        assert_refused(undone, 1, "schedule edit")
        assert state(run) != before
        return
    after = state(run)
    assert after == before or _only_kept(before, after)
    assert "sound" in ok(run("db", "check")).stderr


def _only_kept(before: Any, after: Any) -> bool:
    """After equals before but for a person added and kept (history names them)."""
    kept = [p for p in after.get("people", []) if p not in before.get("people", [])]
    return {**after, "people": [p for p in after["people"] if p not in kept]} == before


def test_a_snapshot_carries_the_undone_history_and_imports_back(
    run: Run, tmp_path: Path, template_db: Path
) -> None:
    import shutil

    ok(run("bottleneck", "resolve", "IC-1", "--how", "已协调"))
    ok(run("undo", "--yes"))
    first = ok(run("export", "-")).stdout
    assert "kind = 'undone'" in first
    (tmp_path / "snap.toml").write_text(first, encoding="utf-8")
    other = tmp_path / "other.db"
    shutil.copyfile(template_db, other)
    again = runner(str(other))
    ok(again("import", str(tmp_path / "snap.toml")))
    second = ok(again("export", "-")).stdout
    assert _records(tomllib.loads(second)) == _records(tomllib.loads(first))
    assert second.split("\n", 3)[3] == first.split("\n", 3)[3]  # past the header's time
    card = json.loads(ok(again("bottleneck", "show", "IC-1", "--json")).stdout)
    assert card["status"] == "open"


def test_the_shell_completes_change_numbers_that_can_be_undone(db_path: Path) -> None:
    run = runner(str(db_path))
    ok(run("chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "张伟"))
    ok(run("bottleneck", "add", "IC", "封装线用电不足", "--unit", UNIT, "--new-unit",
           "--due", "2026-12-31"))  # fmt: skip
    ok(run("bottleneck", "note", "IC-1", "已联系"))
    ok(run("undo", "--yes"))  # change 3 undone by 4: neither is offered
    env = {
        **os.environ,
        "_CHAINLEAD_COMPLETE": "complete_bash",
        "COMP_WORDS": "chainlead undo ",
        "COMP_CWORD": "2",
        "CHAINLEAD_DB": str(db_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "chainlead"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split() == ["2", "1"], done.stdout


def test_a_batch_is_one_change_set_and_one_undo(run: Run, tmp_path: Path) -> None:
    before = state(run)
    lines = tmp_path / "breakfast.txt"
    lines.write_text(
        f'bottleneck add IC "早餐会诉求一" --unit {UNIT} --due 2026-12-31\n'
        f'bottleneck add IC "早餐会诉求二" --unit {UNIT} --due 2026-12-31\n'
        'bottleneck note IC-2 "已联系企业"\n'
        "bottleneck start IC-1\n",
        encoding="utf-8",
    )
    ok(run("batch", str(lines)))
    newest = changes(run)[0]
    assert newest["kind"] == "batch" and newest["events"] >= 6
    ok(run("undo", "--yes"))
    after = state(run)
    item = next(c for c in after["chains"])["items"][0]
    assert item["status"] == "open"  # the start taken back with the rest
    retired = [i["status"] for i in next(c for c in after["chains"])["items"][1:]]
    assert retired == ["dropped", "dropped"]
    assert {**after, "chains": before["chains"]} == before
    assert "sound" in ok(run("db", "check")).stderr


def test_a_bulk_edit_is_one_change_set_and_one_undo(run: Run) -> None:
    ok(run("bottleneck", "add", "IC", "第二项", "--unit", UNIT, "--due", "2026-12-31"))
    before = state(run)
    ok(run("bottleneck", "edit", "--chain", "IC", "--all-matching", "--priority", "high",
           "--yes"))  # fmt: skip
    shown = json.loads(ok(run("bottleneck", "list", "--json")).stdout)
    assert {i["priority"] for i in shown} == {"high"}
    assert changes(run)[0]["events"] == 2
    ok(run("undo", "--yes"))
    assert state(run) == before


def test_commands_read_without_the_database_and_language() -> None:
    from chainlead.domain.changes import command_shown

    assert command_shown("chainlead --db /x/a.db --lang zh bottleneck note IC-1 '已联系'") == (
        "bottleneck note IC-1 '已联系'"
    )
    assert command_shown("chainlead --db=/x/a.db undo --yes") == "undo --yes"
    assert command_shown("chainlead --as 李明 bottleneck start IC-1") == (
        "--as '李明' bottleneck start IC-1"
    )


def test_a_removed_record_comes_back_with_its_own_values(run: Run) -> None:
    ok(run("target", "set", "IC", "2026", "--figure", "output_value=180:亿元",
           "--figure", "new_projects=12", "--new-figure"))  # fmt: skip
    ok(run("team", "add", "IC", "王芳", "--new-person"))
    before = state(run)
    ok(run("target", "remove", "IC", "2026", "--figure", "output_value"))
    assert state(run) != before
    ok(run("undo", "--yes"))
    assert state(run) == before
    ok(run("team", "remove", "IC", "王芳"))
    ok(run("undo", "--yes"))
    assert state(run) == before
    assert "sound" in ok(run("db", "check")).stderr
