"""``chain archive --why``, as ``bottleneck drop``, ``reopen`` and ``suspend`` take
it; ``--reason``, its old name, still works for the scripts that give it."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from chainlead.cli import app

Run = Callable[..., Result]


@pytest.fixture
def run(db_url: str) -> Run:
    """chainlead against a fresh database on each backend, with chain IC."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, ["--db", db_url, *args], env={"COLUMNS": "100"})

    ok(invoke("chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
              "--responsible", "Zhang Wei"))  # fmt: skip
    return invoke


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


def card(run: Run) -> dict:
    return json.loads(ok(run("chain", "show", "IC", "--json")).stdout)


@pytest.mark.parametrize("option", ["--why", "--reason"])
def test_archive_keeps_why(run: Run, option: str) -> None:
    done = ok(run("chain", "archive", "IC", "--yes", option, "Merged into the SA chain"))
    assert "archived chain IC" in done.stderr
    shown = card(run)
    assert (shown["status"], shown["archived_reason"]) == ("archived", "Merged into the SA chain")


def test_help_names_why_and_not_the_old_name() -> None:
    shown = CliRunner().invoke(app, ["chain", "archive", "--help"], env={"COLUMNS": "100"})
    assert shown.exit_code == 0
    assert "--why" in shown.stdout and "--reason" not in shown.stdout


@pytest.mark.parametrize(
    ("given", "field"),
    [
        (("--why", "bad\x1b[31m"), "--why"),
        (("--reason", "bad\x1b[31m"), "--reason"),
        (("--why", "Merged", "--reason", "Closed"), "--why"),
    ],
)
def test_archive_refuses_a_bad_why_and_writes_nothing(
    run: Run, given: tuple[str, ...], field: str
) -> None:
    before = card(run)
    refused = run("chain", "archive", "IC", "--yes", *given)
    assert refused.exit_code == 2, (refused.stdout, refused.stderr)
    assert refused.stderr.startswith(f"chainlead: error: {field}"), refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and refused.stdout == ""
    assert card(run) == before
