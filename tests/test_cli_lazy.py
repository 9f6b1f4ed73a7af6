"""Light parameter values say what typer would.

They skip typer's coercion for text, whole numbers and choices: checked here
against what typer itself makes of the same commands.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
import typer
import typer.main

from chainlead.cli import app
from chainlead.cli.light import LightValue


def both_ways(noun: str, name: str) -> tuple[Any, Any]:
    """A command as chainlead builds it (light values) and as typer alone builds it."""
    root = typer.main.get_command(app)
    with root.make_context("chainlead", [], resilient_parsing=True) as ctx:
        light = root.get_command(ctx, noun).get_command(ctx, name)
    plain = typer.main.get_group(importlib.import_module(f"chainlead.cli.{noun}").app)
    return light, plain.commands[name]


def parsed(command: Any, args: list[str], completing: bool = False) -> dict[str, Any] | str:
    """The values a command would be called with, or the message refusing them."""
    try:
        with command.make_context(command.name, list(args), resilient_parsing=completing) as ctx:
            return dict(ctx.params)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc.format_message()}"


@pytest.mark.parametrize(
    ("noun", "name", "args"),
    [
        ("bottleneck", "list", []),
        ("bottleneck", "list", ["--status", "OPEN", "--status", "Blocked", "--sort", "Priority"]),
        ("bottleneck", "list", ["--status", "all", "--chain", "ic", "--unit", "bur"]),
        ("bottleneck", "list", ["--limit", "3", "--overdue", "--json"]),
        ("bottleneck", "list", ["--limit", "+07"]),
        ("bottleneck", "list", ["--limit", "-3"]),
        ("bottleneck", "list", ["--limit", "0"]),
        ("bottleneck", "list", ["--limit", "+-3"]),
        ("bottleneck", "list", ["--limit", " 3"]),
        ("bottleneck", "list", ["--limit", "three"]),
        ("bottleneck", "list", ["--sort", "title"]),
        ("bottleneck", "list", ["--status", "open", "--status", "finished"]),
        ("bottleneck", "add", ["IC", "A problem", "--source", "SALON", "--priority", "high"]),
        ("bottleneck", "add", ["IC"]),
        ("bottleneck", "show", ["ic-3", "--json"]),
        ("bottleneck", "show", []),
        ("schedule", "add", ["IC", "--attendee", "Li Ming", "--attendee", "Zhang Wei"]),
        ("schedule", "list", ["--kind", "Breakfast"]),
        ("chain", "show", ["ic", "--json"]),
        ("team", "add", ["IC", "Chen Jie", "--role", "liaison"]),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else value,
)
def test_light_values_are_typers(noun: str, name: str, args: list[str]) -> None:
    light, plain = both_ways(noun, name)
    assert parsed(light, args) == parsed(plain, args)
    assert any(isinstance(param.process_value, LightValue) for param in light.params)
    assert not any(isinstance(param.process_value, LightValue) for param in plain.params)


@pytest.mark.parametrize(
    ("noun", "name", "args"),
    [
        ("bottleneck", "show", []),
        ("bottleneck", "add", ["IC"]),
        ("bottleneck", "list", ["--limit", "x", "--sort", "KEY"]),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else value,
)
def test_light_values_are_typers_while_completing(noun: str, name: str, args: list[str]) -> None:
    light, plain = both_ways(noun, name)
    assert parsed(light, args, completing=True) == parsed(plain, args, completing=True)
