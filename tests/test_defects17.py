"""The defects found while making the daily screens speak Chinese, each with the
test that showed it, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
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
