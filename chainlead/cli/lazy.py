"""What keeps start-up fast: sub-commands built on first use, light values.

typer builds every command of an app before parsing anything, evaluating each
command's annotations (about 1 ms a command). Here a group knows its
sub-commands by name and help text only; ``chainlead chain list`` imports
``chainlead.cli.chain`` and builds ``list`` alone, and its values that need
no coercion are taken without typer's (``chainlead.cli.light``).
"""

from __future__ import annotations

import copy
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

import typer
import typer.core
import typer.main
from typer._click import exceptions as click_exceptions
from typer._click.core import Command, Context
from typer._click.utils import make_default_short_help
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, DefaultPlaceholder

from chainlead.cli.light import light_params


def given(value: Any) -> Any:
    """A typer setting's value, ``None`` when left at its default."""
    return None if isinstance(value, DefaultPlaceholder) else value


def help_text(text: object) -> str:
    text = given(text)
    return inspect.cleandoc(text) if isinstance(text, str) else ""


@dataclass(frozen=True)
class Lazy:
    """A sub-command known by its help text, built when first used."""

    help: Callable[[], str]
    build: Callable[[], Command]
    hidden: bool = False


class LazyGroup(TyperGroup):
    """A group whose sub-commands are built on first use and listed from help texts."""

    def lazy_names(self) -> list[str]:
        """Sub-command names in the order ``--help`` lists them."""
        return []

    def lazy_entry(self, name: str) -> Lazy | None:
        return None

    def list_commands(self, ctx: Context) -> list[str]:
        names = self.lazy_names()
        return names + [name for name in self.commands if name not in names]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        entry = self.lazy_entry(cmd_name)
        if entry is None:
            return None
        built = entry.build()
        built.name = cmd_name
        self.commands[cmd_name] = built
        return built

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        """As typer's; the group's options take light values.

        They are set here, not when the group is made: typer adds
        ``--install-completion`` later, and the help option on use.
        """
        light_params(self, ctx)
        return super().parse_args(ctx, args)

    def format_commands(self, ctx: Context, formatter: Any) -> None:
        """The command list of ``--help``, building nothing."""
        rows: list[tuple[str, Command | str]] = []
        for name in self.list_commands(ctx):
            built = self.commands.get(name)
            entry = None if built is not None else self.lazy_entry(name)
            if built is not None and not built.hidden:
                rows.append((name, built))
            elif entry is not None and not entry.hidden:
                rows.append((name, entry.help()))
        if not rows:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl(
                [
                    (
                        name,
                        shown.get_short_help_str(limit)
                        if isinstance(shown, Command)
                        else make_default_short_help(shown, limit),
                    )
                    for name, shown in rows
                ]
            )

    def resolve_command(self, ctx: Context, args: list[str]) -> Any:
        """As typer's, but "did you mean" looks at every sub-command, built or not."""
        suggest, self.suggest_commands = self.suggest_commands, False
        try:
            return super().resolve_command(ctx, args)
        except click_exceptions.UsageError as exc:
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if suggest and matches:
                shown = ", ".join(repr(match) for match in matches)
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {shown}?"
            raise
        finally:
            self.suggest_commands = suggest


class LightCommand(TyperCommand):
    """A command whose options and arguments take light values (``chainlead.cli.light``)."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        light_params(self, ctx)
        return super().parse_args(ctx, args)


def build_command(info: CommandInfo, app: typer.Typer) -> Command:
    """One command, built as typer builds the commands of ``app``, of class ``LightCommand``.

    A command declared with a class of its own (``cls=``) keeps it.
    """
    if given(info.cls) in (None, TyperCommand):  # typer's default
        info = copy.copy(info)
        info.cls = LightCommand
    return typer.main.get_command_from_info(
        info,
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
    )


class NounGroup(LazyGroup):
    """One noun's typer app (``chain``, ``bottleneck``...), its commands built on use."""

    source: typer.Typer

    def lazy_names(self) -> list[str]:
        return list(self._infos())

    def lazy_entry(self, name: str) -> Lazy | None:
        info = self._infos().get(name)
        if info is None:
            return None
        app = self.source
        return Lazy(
            help=lambda: help_text(info.help) or help_text(inspect.getdoc(info.callback)),
            build=lambda: build_command(info, app),
            hidden=bool(info.hidden),
        )

    def _infos(self) -> dict[str, Any]:
        return {
            info.name or typer.main.get_command_name(info.callback.__name__): info
            for info in self.source.registered_commands
        }


def noun_group(app: typer.Typer) -> Command:
    """The click group of a noun's app, without building its commands yet.

    An app with sub-groups of its own, or a custom group class, is built
    the ordinary way.
    """
    if app.registered_groups or given(app.info.cls) is not None:
        return typer.main.get_group(app)
    shell = copy.copy(app)
    shell.info = copy.copy(app.info)
    shell.info.cls = NounGroup
    shell.registered_commands = []
    group = typer.main.get_group(shell)
    assert isinstance(group, NounGroup)
    group.source = app
    return group


def module_app(module: str) -> typer.Typer:
    return importlib.import_module(module).app
