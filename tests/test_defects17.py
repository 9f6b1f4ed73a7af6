"""The defects found while making the daily screens speak Chinese, each with the
test that showed it, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from chainlead.cli import app

Run = Callable[..., Result]
DEMO = Path(__file__).resolve().parent.parent / "examples" / "jiangning.toml"


@pytest.fixture
def run(db_url: str) -> Run:
    """chainlead against a fresh database on each backend; ``day`` fixes today."""
    runner = CliRunner()

    def invoke(*args: str, day: str | None = None, input: str | None = None) -> Result:
        env = {"CHAINLEAD_TODAY": day} if day else None
        return runner.invoke(app, ["--db", db_url, *args], env=env, input=input)

    return invoke


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


def add_chain(run: Run, day: str = "2026-09-01") -> None:
    ok(
        run(
            "chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
            "--responsible", "Zhang Wei", "--member", "Wang Fang", "--member", "Zhou Lan",
            day=day,
        )
    )  # fmt: skip


def add_item(run: Run, title: str, *, day: str, due: str = "2026-12-31") -> str:
    added = ok(
        run(
            "bottleneck", "add", "IC", title, "--unit", "District Bureau", "--new-unit",
            "--due", due, "--json", day=day,
        )
    )  # fmt: skip
    return json.loads(added.stdout)["key"]


# ------------------------------------------------------------- resolved in a month


def listed_resolved(run: Run, month: str, *extra: str) -> set[str]:
    found = ok(run("bottleneck", "list", "--resolved-in", month, *extra, "--json"))
    return {row["key"] for row in json.loads(found.stdout)}


def report_resolved(run: Run, month: str) -> int:
    found = ok(run("report", "monthly", "--month", month, "--json"))
    figures = {f["key"]: f["value"] for f in json.loads(found.stdout)["overview"]}
    return figures["resolved"]


def test_resolved_in_lists_what_the_report_counts(run: Run) -> None:
    """An item resolved and reopened in November counts in November's report, and
    is listed by --resolved-in 2026-11 too; a resolution dated back to October
    counts in October in both."""
    add_chain(run)
    kept = add_item(run, "Resolved and kept", day="2026-09-10")
    reopened = add_item(run, "Resolved, then reopened", day="2026-09-10")
    twice = add_item(run, "Resolved in November and again in December", day="2026-09-10")
    dated_back = add_item(run, "Resolved in November, dated October", day="2026-09-10")
    ok(run("bottleneck", "resolve", kept, "--how", "Line laid", day="2026-11-05"))
    ok(run("bottleneck", "resolve", reopened, "--how", "Permit issued", day="2026-11-06"))
    ok(run("bottleneck", "reopen", reopened, "--why", "Permit withdrawn", day="2026-11-20"))
    ok(run("bottleneck", "resolve", twice, "--how", "First try", day="2026-11-07"))
    ok(run("bottleneck", "reopen", twice, "--why", "Broke again", day="2026-11-25"))
    ok(run("bottleneck", "resolve", twice, "--how", "Second try", day="2026-12-01"))
    ok(
        run(
            "bottleneck", "resolve", dated_back, "--how", "Done in October",
            "--on", "2026-10-30", day="2026-11-03",
        )
    )  # fmt: skip
    november = listed_resolved(run, "2026-11")
    assert november == {kept, reopened, twice}
    assert report_resolved(run, "2026-11") == len(november) == 3
    assert listed_resolved(run, "2026-10") == {dated_back}
    assert report_resolved(run, "2026-10") == 1
    assert listed_resolved(run, "2026-12") == {twice}
    # The other filters still apply: the reopened item is open now.
    assert listed_resolved(run, "2026-11", "--status", "resolved") == {kept, twice}


def test_resolved_in_agrees_with_the_report_on_the_demo(run: Run) -> None:
    """Every month of the demo district, whole and per chain: the list and the report
    agree (October and September were two and three items short)."""
    ok(run("import", str(DEMO)))
    for month in ("2026-07", "2026-08", "2026-09", "2026-10", "2026-11"):
        assert len(listed_resolved(run, month)) == report_resolved(run, month), month
    found = ok(run("report", "monthly", "--month", "2026-09", "--json"))
    for chain in json.loads(found.stdout)["chains"]:
        listed = listed_resolved(run, "2026-09", "--chain", chain["code"])
        assert len(listed) == chain["figures"]["resolved"], chain["code"]


# ------------------------------------------------------------- chain show, chain archive


def test_chain_card_counts_everyone_it_lists(run: Run) -> None:
    """The card listed four people (leader, responsible, two members) under a
    "Team size 3"; it now says what it counts."""
    add_chain(run)
    card = json.loads(ok(run("chain", "show", "IC", "--json")).stdout)
    assert len(card["team"]) == card["members"] == 4
    assert card["team_size"] == 3  # the working team without the chain leader, as before
    shown = ok(run("chain", "show", "IC")).stdout
    assert "4 members: the chain leader and 3 on the working team" in shown


def test_archive_refuses_without_a_terminal_unless_yes(run: Run) -> None:
    add_chain(run)
    before = ok(run("chain", "show", "IC", "--json")).stdout
    refused = run("chain", "archive", "IC", "--reason", "Merged into SA")
    assert refused.exit_code == 2, (refused.stdout, refused.stderr)
    assert refused.stderr.startswith("chainlead: error: --yes")
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "Traceback" not in refused.stderr and refused.stdout == ""
    assert ok(run("chain", "show", "IC", "--json")).stdout == before  # nothing written


def test_archive_records_its_reason_and_the_card_shows_it(run: Run) -> None:
    add_chain(run)
    done = ok(run("chain", "archive", "IC", "--yes", "--reason", "Merged into the SA chain"))
    assert "archived chain IC" in done.stderr
    card = json.loads(ok(run("chain", "show", "IC", "--json")).stdout)
    assert card["status"] == "archived"
    assert card["archived_reason"] == "Merged into the SA chain"
    archived = [e for e in card["history"] if e["kind"] == "archived"]
    assert [e["text"] for e in archived] == ["Merged into the SA chain"]
    shown = ok(run("chain", "show", "IC")).stdout
    assert "Merged into the SA chain" in shown.split("Working team")[0]  # on the card itself


def test_archive_with_yes_needs_no_reason_but_refuses_a_bad_one(run: Run) -> None:
    add_chain(run)
    refused = run("chain", "archive", "IC", "--yes", "--reason", "bad\x1b[31m")
    assert refused.exit_code == 2 and refused.stderr.startswith("chainlead: error: --reason")
    assert json.loads(ok(run("chain", "show", "IC", "--json")).stdout)["status"] == "active"
    ok(run("chain", "archive", "IC", "--yes"))
    card = json.loads(ok(run("chain", "show", "IC", "--json")).stdout)
    assert (card["status"], card["archived_reason"]) == ("archived", None)


def at_a_terminal(db_url: str, *args: str, answers: str) -> tuple[int, str]:
    """chainlead run with a terminal for stdin, stdout and stderr, typing ``answers``."""
    main, sub = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "chainlead", "--db", db_url, *args],
        stdin=sub,
        stdout=sub,
        stderr=sub,
        env={**os.environ, "COLUMNS": "100"},
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


def test_archive_at_a_terminal_asks_why_and_whether(run: Run, db_url: str) -> None:
    add_chain(run)
    code, seen = at_a_terminal(db_url, "chain", "archive", "IC", answers="\nn\n")
    assert code == 0, seen
    assert "Why is chain IC archived?" in seen and "Archive chain IC" in seen
    assert "nothing archived: chain IC stays active" in seen
    assert json.loads(ok(run("chain", "show", "IC", "--json")).stdout)["status"] == "active"
    code, seen = at_a_terminal(
        db_url, "chain", "archive", "IC", answers="Merged into the SA chain\ny\n"
    )
    assert code == 0, seen
    assert "archived chain IC" in seen
    card = json.loads(ok(run("chain", "show", "IC", "--json")).stdout)
    assert (card["status"], card["archived_reason"]) == ("archived", "Merged into the SA chain")


# ------------------------------------------------------------- dates before the chain


def snapshot(run: Run) -> str:
    """Everything stored, as the export writes it: unchanged means nothing written."""
    return ok(run("export", "-")).stdout


def refused(result: Result, *fragments: str) -> None:
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("chainlead: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_a_meeting_before_its_chain_is_refused_or_backdated(run: Run) -> None:
    add_chain(run, day="2026-09-01")
    before = snapshot(run)
    refused(
        run("schedule", "add", "IC", "--held-on", "2020-01-05"),
        "--held-on: 2020-01-05 is before chain IC was created (2026-09-01)",
        "--backdate",
    )
    assert snapshot(run) == before
    ok(run("schedule", "add", "IC", "--held-on", "2026-09-01"))  # the day itself is fine
    added = ok(run("schedule", "add", "IC", "--held-on", "2020-01-05", "--backdate", "--json"))
    key = json.loads(added.stdout)["key"]
    shown = json.loads(ok(run("schedule", "show", key, "--json")).stdout)
    backdated = [e for e in shown["history"] if e["kind"] == "backdated"]
    assert [(e["field"], e["old"], e["new"]) for e in backdated] == [
        ("held_on", "2026-09-01", "2020-01-05")
    ]
    assert "backdated" in ok(run("schedule", "show", key)).stdout
    # Moving a meeting back is the same question.
    refused(
        run("schedule", "edit", "IC-M1", "--held-on", "2026-08-31"),
        "--held-on: 2026-08-31 is before chain IC was created",
    )
    ok(run("schedule", "edit", "IC-M1", "--held-on", "2026-08-31", "--backdate"))


def test_an_item_raised_before_its_chain_is_refused_or_backdated(run: Run) -> None:
    add_chain(run, day="2026-09-01")
    before = snapshot(run)
    add = ("bottleneck", "add", "IC", "Old problem", "--unit", "Bureau", "--new-unit")
    refused(
        run(*add, "--due", "2026-12-31", "--raised-on", "2026-08-15"),
        "--raised-on: 2026-08-15 is before chain IC was created (2026-09-01)",
    )
    assert snapshot(run) == before
    key = json.loads(
        ok(
            run(*add, "--due", "2026-12-31", "--raised-on", "2026-08-15", "--backdate", "--json")
        ).stdout
    )["key"]
    card = json.loads(ok(run("bottleneck", "show", key, "--json")).stdout)
    assert card["raised_on"] == "2026-08-15"
    backdated = [e for e in card["history"] if e["kind"] == "backdated"]
    assert [(e["field"], e["old"], e["new"]) for e in backdated] == [
        ("raised_on", "2026-09-01", "2026-08-15")
    ]
    shown = " ".join(ok(run("bottleneck", "show", key)).stdout.split())
    assert "backdated" in shown and "raised on 2026-08-15," in shown
    # An item raised after the chain was created, moved back by an edit.
    later = add_item(run, "Newer problem", day="2026-09-10")
    refused(
        run("bottleneck", "edit", later, "--raised-on", "2026-07-01"),
        "--raised-on: 2026-07-01 is before chain IC was created",
    )
    ok(run("bottleneck", "edit", later, "--raised-on", "2026-07-01", "--backdate"))
    card = json.loads(ok(run("bottleneck", "show", later, "--json")).stdout)
    assert [e["kind"] for e in card["history"]][-2:] == ["edited", "backdated"]


def test_an_import_loads_what_the_snapshot_holds(run: Run, tmp_path: Path) -> None:
    """A snapshot is data: records dated before their chain import as they are,
    and db check finds nothing wrong with them."""
    add_chain(run, day="2026-09-01")
    ok(run("schedule", "add", "IC", "--held-on", "2026-08-20", "--backdate", day="2026-09-02"))
    add = ("bottleneck", "add", "IC", "Old problem", "--unit", "Bureau", "--new-unit")
    ok(run(*add, "--due", "2026-12-31", "--raised-on", "2026-08-15", "--backdate"))
    exported = snapshot(run)
    (tmp_path / "copy.toml").write_text(exported, encoding="utf-8")
    copy = str(tmp_path / "copy.db")
    runner = CliRunner()
    for args in (("init",), ("import", str(tmp_path / "copy.toml")), ("db", "check")):
        result = runner.invoke(app, ["--db", copy, *args])
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
    assert runner.invoke(app, ["--db", copy, "export", "-"]).stdout == exported


# ------------------------------------------------------------- the demo's day


DEMO_DAY = "2026-11-18"  # the day of the latest record in examples/jiangning.toml


def reads(run: Run, day: str | None = None) -> dict[str, object]:
    """What the reads say their day and month are."""
    report = json.loads(ok(run("report", "monthly", "--json", day=day)).stdout)
    overdue = json.loads(ok(run("report", "overdue", "--json", day=day)).stdout)
    items = json.loads(ok(run("bottleneck", "list", "--json", day=day)).stdout)
    due = {row["key"]: row["days_over"] for row in items}
    return {
        "month": report["month"],
        "today": report["today"],
        "district": report["district"],
        "overdue_today": overdue["today"],
        "NM-6 days over": due["NM-6"],
    }


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """`chainlead demo` built on the real clock (no CHAINLEAD_TODAY)."""
    monkeypatch.delenv("CHAINLEAD_TODAY")
    db = str(tmp_path / "demo.db")
    runner = CliRunner()

    def invoke(*args: str, day: str | None = None) -> Result:
        return runner.invoke(
            app, ["--db", db, *args], env={"CHAINLEAD_TODAY": day} if day else None
        )

    return invoke


def test_the_demo_reads_as_of_the_day_its_data_was_made(demo: Run) -> None:
    built = ok(demo("demo", "--replace"))
    assert "Jiangning District · Monthly report · 2026-10" in built.stdout
    assert f"lights as of {DEMO_DAY}" in built.stdout
    seen = reads(demo)
    assert seen == {
        "month": "2026-10",  # the month the demo printed
        "today": DEMO_DAY,
        "district": "Jiangning District",
        "overdue_today": DEMO_DAY,
        "NM-6 days over": reads(demo, day=DEMO_DAY)["NM-6 days over"],
    }
    shown = ok(demo("report", "monthly")).stdout
    assert shown.startswith("Jiangning District · Monthly report · 2026-10")
    missing = json.loads(ok(demo("schedule", "missing", "--json")).stdout)
    assert {row["month"] for row in missing} == {"2026-11"}  # the demo day's month
    # CHAINLEAD_TODAY wins.
    assert reads(demo, day="2026-12-05")["month"] == "2026-11"


def test_the_demo_day_ends_with_the_first_record_of_ones_own(demo: Run) -> None:
    ok(demo("demo", "--replace"))
    assert reads(demo)["today"] == DEMO_DAY
    ok(demo("bottleneck", "note", "NM-6", "Called the plant again"))
    today = date.today()
    seen = reads(demo)
    assert seen["today"] == seen["overdue_today"] == today.isoformat()
    assert seen["district"] == "Jiangning District"  # the district stays


def test_a_remembered_day_is_read_on_either_backend(run: Run, db_url: str) -> None:
    """The store's part on PostgreSQL too: the day recorded with the data, and
    forgotten once a later record is written."""
    from chainlead.store.connection import open_writer
    from chainlead.store.handout import record_as_of

    ok(run("import", str(DEMO)))
    with open_writer(db_url) as conn:
        record_as_of(conn, date(2026, 11, 18))
    runner = CliRunner()

    def real_clock(*args: str) -> Result:
        env = {"CHAINLEAD_TODAY": ""}
        return runner.invoke(app, ["--db", db_url, *args], env=env)

    report = json.loads(ok(real_clock("report", "monthly", "--json")).stdout)
    assert (report["month"], report["today"]) == ("2026-10", DEMO_DAY)
    ok(real_clock("bottleneck", "note", "NM-6", "Called again"))
    report = json.loads(ok(real_clock("report", "monthly", "--json")).stdout)
    assert report["today"] == date.today().isoformat()
