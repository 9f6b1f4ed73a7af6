"""README and --help stay in step: every command has a purpose line, an
example, and a worked example in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from chainlead.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def all_commands() -> list[tuple[str, ...]]:
    """Every leaf command as its path, e.g. ("bottleneck", "add")."""
    root = get_command(app)
    found: list[tuple[str, ...]] = []

    def walk(group, path: tuple[str, ...], ctx) -> None:  # noqa: ANN001
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            sub_ctx = command.make_context(name, [], parent=ctx, resilient_parsing=True)
            if hasattr(command, "list_commands"):
                walk(command, (*path, name), sub_ctx)
            else:
                found.append((*path, name))

    with root.make_context("chainlead", [], resilient_parsing=True) as ctx:
        walk(root, (), ctx)
    return found


COMMANDS = all_commands()


def test_every_design_command_exists() -> None:
    expected = {
        ("init",), ("demo",), ("export",), ("import",),
        ("config", "path"), ("config", "show"),
        *(("chain", c) for c in ("add", "list", "show", "edit", "archive")),
        *(("team", c) for c in ("add", "remove", "list")),
        *(("schedule", c) for c in ("add", "list", "show", "edit", "missing", "agenda")),
        *(
            ("bottleneck", c)
            for c in (
                "add", "list", "show", "note", "start", "block", "resolve", "close",
                "reopen", "drop", "edit",
            )
        ),
        ("report", "monthly"), ("report", "overdue"),
        *(("db", c) for c in ("path", "check", "backup", "upgrade")),
    }  # fmt: skip
    assert expected <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_has_purpose_and_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.stderr
    assert "Example" in result.stdout, f"chainlead {' '.join(path)} --help shows no example"
    assert f"chainlead {' '.join(path)}" in result.stdout


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_readme_shows_every_command(path: tuple[str, ...]) -> None:
    assert f"chainlead {' '.join(path)}" in README or any(
        line.lstrip().startswith("chainlead ") and f" {' '.join(path)}" in line
        for line in README.splitlines()
    ), f"README has no example of `chainlead {' '.join(path)}`"
