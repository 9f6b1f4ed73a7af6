"""The lazy command group and light parameter values say what typer would.

The group lists commands it has not built from their help text, and the
light values skip typer's coercion for text, whole numbers and choices: both
are checked here against what typer itself makes of the same commands.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
import typer
import typer.main
from typer.models import CommandInfo

from chainlead.cli import app
from chainlead.cli.lazy import LazyGroup, short_help
from chainlead.cli.light import LightValue

LIMITS = (10, 20, 31, 45, 64, 200)


def lazy_groups() -> Iterator[tuple[LazyGroup, Any]]:
    """The root and every noun group, with a context to build their commands in."""
    root = typer.main.get_command(app)
    assert isinstance(root, LazyGroup)
    with root.make_context("chainlead", [], resilient_parsing=True) as ctx:
        yield root, ctx
        for name in root.list_commands(ctx):
            group = root.get_command(ctx, name)
            if isinstance(group, LazyGroup):
                yield group, ctx


def test_listed_lines_are_the_built_commands_short_help() -> None:
    checked = 0
    for group, ctx in lazy_groups():
        for name, entry in group.lazy_entries().items():
            built = group.get_command(ctx, name)
            assert built is not None
            for limit in LIMITS:
                assert short_help(entry.help(), limit) == built.get_short_help_str(limit), (
                    name,
                    limit,
                )
            checked += 1
    assert checked > 30


def _nothing() -> None:
    pass


@pytest.mark.parametrize(
    "text",
    [
        "",
        "One sentence.",
        "Exactly twenty chars then more words",
        "Exactly twenty chars. Then more",
        "\b\nKept as written: a first paragraph marked not to rewrap.",
        "A first paragraph\nover two lines.\n\nA second paragraph.",
        "Averyveryveryverylongwordwithnospaces and more",
        "Short words a b c d e f g h i j k l m n o p q r s t",
    ],
)
def test_short_help_follows_clicks_rule(text: str) -> None:
    built = typer.main.get_command_from_info(
        CommandInfo(name="x", callback=_nothing, help=text),
        pretty_exceptions_short=True,
        rich_markup_mode=None,
    )
    for limit in (*LIMITS, 19, 20, 21):
        assert short_help(text, limit) == built.get_short_help_str(limit), limit


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
