"""Many items changed in one go: ``bottleneck edit|urge|extend|note`` by a filter
(``--where "..."`` or list's filters with ``--all-matching``), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from helpers import assert_refused
from typer.testing import CliRunner, Result

from chainlead.cli import app

Run = Callable[..., Result]

# The district: IC-1 and IC-2 handed to 区发改委 and about 用电 (IC-2 overdue on the
# tests' today, 2026-11-21), IC-3 to 区商务局, IC-4 to 区发改委 but resolved.
ITEMS = (
    ("封装线用电容量不足", "区发改委", "2026-12-31"),
    ("二期用电增容审批", "区发改委", "2026-10-31"),
    ("出口管制合规培训", "区商务局", "2026-12-31"),
    ("超纯水供应", "区发改委", "2026-12-31"),
)


@pytest.fixture
def run(db_url: str) -> Run:
    runner = CliRunner()

    def invoke(*args: str, day: str | None = None) -> Result:
        env = {"CHAINLEAD_TODAY": day} if day else None
        return runner.invoke(app, ["--db", db_url, *args], env=env)

    return invoke


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


@pytest.fixture
def district(run: Run) -> Run:
    ok(
        run(
            "chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "张伟",
            "--member", "王芳", day="2026-09-01",
        )
    )  # fmt: skip
    for title, unit, due in ITEMS:
        ok(
            run(
                "bottleneck", "add", "IC", title, "--unit", unit, "--new-unit", "--due", due,
                "--raised-on", "2026-09-10", day="2026-09-10",
            )
        )  # fmt: skip
    ok(run("bottleneck", "resolve", "IC-4", "--how", "新建供水管线", "--on", "2026-11-01"))
    return run


def card(run: Run, key: str) -> dict[str, Any]:
    return json.loads(ok(run("bottleneck", "show", key, "--json")).stdout)


def state(run: Run) -> str:
    """Everything in the database, to show that nothing was written."""
    return ok(run("export", "-")).stdout


def listed(stdout: str) -> list[str]:
    """The keys of the items a bulk change showed."""
    return [line.split()[0] for line in stdout.splitlines() if line.strip().startswith("IC-")]


# Each command with what it is given besides the filter, and what it leaves on an item.
def urged(item: dict[str, Any]) -> bool:
    last = item["history"][-1]
    return item["urge_count"] == 1 and (last["kind"], last["text"]) == ("urged", "周例会督办")


def noted(item: dict[str, Any]) -> bool:
    last = item["history"][-1]
    return (last["kind"], last["text"]) == ("note", "已召开调度会")


def edited(item: dict[str, Any]) -> bool:
    return item["priority"] == "high"


def extended(item: dict[str, Any]) -> bool:
    pending = [e for e in item["extensions"] if e["state"] == "pending"]
    return [(e["to_due"], e["why"]) for e in pending] == [("2027-02-28", "冬季施工")]


COMMANDS = {
    "urge": (("--note", "周例会督办"), urged, "Urged 2 items."),
    "note": (("已召开调度会",), noted, "Note added to 2 items."),
    "edit": (("--priority", "high"), edited, "Edited 2 items."),
    "extend": (
        ("--to", "2027-02-28", "--why", "冬季施工"),
        extended,
        "Extension requested for 2 items; each awaits approve or refuse.",
    ),
}
FORMS = {
    "where": ("--where", "--chain IC --unit 发改委"),
    "all-matching": ("--chain", "IC", "--search", "用电", "--all-matching"),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_changes_every_item_the_filter_matches(
    district: Run, command: str, form: str
) -> None:
    given, changed, said = COMMANDS[command]
    done = ok(district("bottleneck", command, *FORMS[form], "--yes", *given))
    assert sorted(listed(done.stdout)) == ["IC-1", "IC-2"]  # the items, shown once changed
    assert said in done.stderr.splitlines()
    assert changed(card(district, "IC-1")) and changed(card(district, "IC-2"))
    assert not changed(card(district, "IC-3"))  # another unit, no 用电
    assert not changed(card(district, "IC-4"))  # resolved: not open work


def test_the_list_and_count_are_shown_and_a_dry_run_writes_nothing(district: Run) -> None:
    before = state(district)
    shown = ok(district("bottleneck", "urge", "--where", "--chain IC --unit 发改委", "--dry-run"))
    assert listed(shown.stdout) == ["IC-2", "IC-1"]  # as bottleneck list orders them
    header = next(line for line in shown.stdout.splitlines() if "Key" in line).split()
    assert header == ["Key", "Title", "Status", "Unit"]
    row = next(line for line in shown.stdout.splitlines() if line.strip().startswith("IC-1"))
    assert row.split() == ["IC-1", "封装线用电容量不足", "open", "区发改委"]
    assert shown.stderr.splitlines() == ["This changes 2 items.", "--dry-run: nothing written."]
    assert state(district) == before


def test_without_a_terminal_and_without_yes_nothing_is_changed(district: Run) -> None:
    before = state(district)
    for args in (
        ("urge", "--where", "--chain IC"),
        ("note", "--chain", "IC", "--all-matching", "已召开调度会"),
        ("edit", "--where", "--overdue", "--priority", "high"),
        ("extend", "--all-matching", "--to", "2027-02-28", "--why", "冬季施工"),
    ):
        refused = district("bottleneck", *args)
        assert_refused(refused, 2, "--yes: ", "confirmation at a terminal", "--dry-run")
    assert state(district) == before


def test_one_refused_item_refuses_them_all(district: Run) -> None:
    before = state(district)
    resolved = district("bottleneck", "urge", "--where", "--unit 发改委 --status all", "--yes")
    assert_refused(resolved, 1, "IC-4", "nothing was changed (all 3 matching items or none)")
    tried = district("bottleneck", "urge", "--where", "--unit 发改委 --status all", "--dry-run")
    assert_refused(tried, 1, "IC-4")  # a dry run tries every change, and writes none
    early = district(
        "bottleneck", "extend", "--chain", "IC", "--all-matching", "--yes",
        "--to", "2026-12-15", "--why", "冬季施工",
    )  # fmt: skip
    # IC-2 (due 2026-10-31) could move to 2026-12-15; IC-1 and IC-3 (2026-12-31) not
    assert_refused(early, 1, "IC-1: --to: 2026-12-15 is not after", "all 3 matching items")
    assert state(district) == before
    for key in ("IC-1", "IC-2", "IC-3"):
        item = card(district, key)
        assert item["extensions"] == [] and item["urge_count"] == 0


def test_a_second_urge_within_the_interval_refuses_all(district: Run) -> None:
    ok(district("bottleneck", "urge", "IC-1"))
    before = state(district)
    again = district("bottleneck", "urge", "--where", "--unit 发改委", "--yes")
    assert_refused(again, 1, "urge_interval_hours: IC-1 was urged", "nothing was changed")
    assert state(district) == before


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("urge",), ["KEY: give either one item's KEY, or a filter", "got nothing"]),
        (("note",), ["KEY: ", "got nothing"]),
        (("urge", "IC-1", "--where", "--chain IC"), ["KEY: ", "not both; got 'IC-1'"]),
        (("note", "IC-1", "已召开调度会", "--all-matching"), ["KEY: ", "not both"]),
        (("edit", "IC-1", "--overdue", "--priority", "high"), ["KEY: ", "not both"]),
        (("urge", "--chain", "IC", "--overdue"), ["--all-matching: --chain, --overdue choose"]),
        (("edit", "--search", "用电", "--priority", "high"), ["--all-matching: --search"]),
        (("urge", "IC-1", "--yes"), ["--yes: goes with a filter"]),
        (("urge", "IC-1", "--dry-run"), ["--dry-run: goes with a filter"]),
        (("urge", "--where", "--chain IC", "--overdue"), ["--where: ", "got --overdue too"]),
        (("urge", "--where", "--chain IC --sort key", "--yes"), ["--where: ", "got '--sort'"]),
        (("urge", "--where", "--chian IC", "--yes"), ["--where: ", "'--chian'", "--chain"]),
        (("urge", "--where", "--status nope", "--yes"), ["--where: --status: expected one of"]),
        (("urge", "--where", "--help", "--yes"), ["--where: ", "'--help'"]),
        (("urge", "--where", "IC", "--yes"), ["--where: ", "got 'IC'"]),
        (("urge", "--where", '"IC', "--yes"), ["--where: ", "as a shell would split them"]),
        (("urge", "--where", "--chain XX", "--yes"), ["no chain 'XX'"]),
        (("note", "--where", "--chain IC", "--yes"), ["TEXT: expected text; got nothing"]),
    ],
)
def test_a_key_with_a_filter_or_no_filter_is_refused(
    district: Run, args: tuple[str, ...], fragments: list[str]
) -> None:
    before = state(district)
    refused = district("bottleneck", *args)
    assert_refused(refused, 2 if "XX" not in " ".join(args) else 1, *fragments)
    assert state(district) == before


def test_a_filter_that_matches_nothing_changes_nothing(district: Run) -> None:
    before = state(district)
    none = ok(district("bottleneck", "urge", "--where", "--search 无此事", "--yes"))
    assert none.stdout == ""
    assert none.stderr.strip() == "No items match; nothing changed."
    assert state(district) == before


def test_a_bulk_edit_says_which_items_already_were_as_asked(district: Run) -> None:
    ok(district("bottleneck", "edit", "IC-1", "--priority", "high"))
    done = ok(
        district("bottleneck", "edit", "--where", "--unit 发改委", "--priority", "high", "--yes")
    )
    assert done.stderr.splitlines() == ["Edited 1 item.", "1 item already was as asked."]
    moved = card(district, "IC-2")["history"][-1]
    assert (moved["kind"], moved["field"], moved["new"]) == ("edited", "priority", "high")


def test_a_bulk_edit_moves_time_limits_with_the_reason(district: Run) -> None:
    refused = district("bottleneck", "edit", "--where", "--overdue", "--due", "2027-01-31", "--yes")
    assert_refused(refused, 2, "--why: moving the time limit needs a reason")
    ok(
        district(
            "bottleneck", "edit", "--overdue", "--all-matching", "--due", "2027-01-31",
            "--why", "二期推迟", "--yes",
        )
    )  # fmt: skip
    assert card(district, "IC-2")["due_on"] == "2027-01-31"
    assert card(district, "IC-1")["due_on"] == "2026-12-31"  # not overdue: not matched


def test_in_chinese(district: Run) -> None:
    shown = ok(
        district("--lang", "zh", "bottleneck", "urge", "--where", "--unit 发改委", "--dry-run")
    )
    header = next(line for line in shown.stdout.splitlines() if "编号" in line).split()
    assert header == ["编号", "问题", "状态", "责任单位"]
    assert "匹配的堵点" in shown.stdout
    assert shown.stderr.splitlines() == ["将修改 2 项堵点。", "--dry-run：未写入任何内容。"]
    done = ok(district("--lang", "zh", "bottleneck", "urge", "--where", "--unit 发改委", "--yes"))
    assert "已催办 2 项堵点。" in done.stderr
    refused = district("--lang", "zh", "bottleneck", "urge", "--where", "--unit 发改委", "--yes")
    assert_refused(refused, 1, "IC-", "未作任何修改")
    refused = district("--lang", "zh", "bottleneck", "note", "--where", "--chain IC", "调度")
    assert_refused(refused, 2, "--yes：批量修改须在终端上确认")


# ------------------------------------------------------------------- at a terminal


def at_a_terminal(db_url: str, *args: str, answers: str) -> tuple[int, str]:
    """chainlead run with a terminal for stdin, stdout and stderr, typing ``answers``."""
    main, sub = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "chainlead", "--db", db_url, *args],
        stdin=sub,
        stdout=sub,
        stderr=sub,
        env={**os.environ, "COLUMNS": "80"},
    )
    os.close(sub)
    os.write(main, answers.encode())
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    return process.wait(timeout=60), seen.decode()


def test_at_a_terminal_it_shows_the_items_and_asks(district: Run, db_url: str) -> None:
    before = state(district)
    args = ("bottleneck", "urge", "--where", "--unit 发改委", "--note", "周例会督办")
    code, seen = at_a_terminal(db_url, *args, answers="n\n")
    assert code == 0, seen
    assert "IC-1" in seen and "IC-2" in seen and "IC-3" not in seen
    assert "This changes 2 items." in seen and "Urge these 2 items? [y/N]" in seen
    assert "Nothing changed." in seen
    assert state(district) == before
    code, seen = at_a_terminal(db_url, *args, answers="y\n")
    assert code == 0, seen
    assert "Urged 2 items." in seen
    assert urged(card(district, "IC-1")) and urged(card(district, "IC-2"))
    code, seen = at_a_terminal(db_url, *args, answers="y\n")  # refused before asking
    assert code == 1 and "urge_interval_hours: IC-" in seen and "[y/N]" not in seen, seen
