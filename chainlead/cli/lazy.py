"""Sub-commands built on first use: click's lazy-loading pattern on typer's group.

typer builds every command of an app before parsing anything, evaluating
each command's annotations (about 1 ms a command). Here a group lists its
sub-commands from a table of names, help lines and builders
(``list_commands``), and builds one only when it is used (``get_command``):
``chainlead chain list`` imports ``chainlead.cli.chain`` and builds ``list``
alone, as a ``LightCommand`` whose values that need no coercion skip typer's
(``chainlead.cli.light``). Only typer's public names are used; what click
does not offer publicly through typer (the short help of a command list,
"did you mean" over commands not built yet) is written here.
"""

from __future__ import annotations

import copy
import importlib
import inspect
from collections.abc import Callable
from difflib import get_close_matches
from typing import Any, NamedTuple

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, DefaultPlaceholder

from chainlead.cli.help import HelpScreen, examples_epilog, summary
from chainlead.cli.light import light_params

Command = TyperCommand | TyperGroup


def given(value: Any) -> Any:
    """A typer setting's value, ``None`` when left at its default."""
    return None if isinstance(value, DefaultPlaceholder) else value


def help_text(text: object) -> str:
    text = given(text)
    return inspect.cleandoc(text) if isinstance(text, str) else ""


def short_help(text: str, limit: int) -> str:
    """A command's line in its group's list: the first sentence, or what fits and "...".

    click's rule (the first paragraph, its first sentence if that fits within
    ``limit``, else whole words and "..."), written here because typer does
    not make click's helper public.
    """
    words = text.split("\n\n", 1)[0].split()
    if words[:1] == ["\b"]:  # the first paragraph is marked "do not rewrap"
        words = words[1:]
    shown: list[str] = []
    for word in words:
        if len(" ".join([*shown, word])) > limit:
            break
        shown.append(word)
        if word.endswith("."):
            return " ".join(shown)
    else:
        return " ".join(shown)
    while shown and len(" ".join(shown)) + len("...") > limit:
        shown.pop()
    return " ".join(shown) + "..."


class Lazy(NamedTuple):  # a NamedTuple: quicker to define at start-up than a dataclass
    """A sub-command known by its help text, built when first used."""

    help: Callable[[], str]
    build: Callable[[], Command]
    hidden: bool = False


class LazyGroup(HelpScreen, TyperGroup):
    """A group that lists its sub-commands from ``lazy_entries`` and builds them on use."""

    def lazy_entries(self) -> dict[str, Lazy]:
        """Sub-commands by name, in the order ``--help`` lists them."""
        return {}

    def list_commands(self, ctx: typer.Context) -> list[str]:
        names = list(self.lazy_entries())
        return names + [name for name in self.commands if name not in names]

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]  # type: ignore[return-value]
        entry = self.lazy_entries().get(cmd_name)
        if entry is None:
            return None
        built = entry.build()
        built.name = cmd_name
        self.commands[cmd_name] = built
        return built

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        """As typer's, but a group called with nothing prints its help on stdout and exits 0.

        Its options take light values (set here, not when the group is made:
        typer adds ``--install-completion`` later, the help option on use).
        """
        light_params(self, ctx)
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            typer.echo(ctx.get_help())
            raise typer.Exit()
        return super().parse_args(ctx, args)

    def command_lines(self, ctx: typer.Context) -> dict[str, Callable[[int], str]]:
        """Each sub-command shown in ``--help``: its line, cut to a width; building nothing."""
        entries = self.lazy_entries()
        rows: dict[str, Callable[[int], str]] = {}
        for name in self.list_commands(ctx):
            entry = entries.get(name)
            if entry is not None and not entry.hidden:
                rows[name] = lambda limit, entry=entry: summary(entry.help(), limit)
            elif entry is None and not self.commands[name].hidden:
                command = self.commands[name]
                rows[name] = lambda limit, command=command: summary(
                    command.short_help or command.help or "", limit
                )
        return rows

    def command_sections(self, ctx: typer.Context) -> list[tuple[str, list[str]]]:
        """The headings of the command list and the sub-commands under each."""
        return [("Commands", list(self.command_lines(ctx)))]

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:
        """The command list of ``--help``, under its headings, building nothing."""
        from chainlead.cli.help import section, write_rows

        lines = self.command_lines(ctx)
        if not lines:
            return
        first = max(len(name) for name in lines) + 2
        limit = formatter.width - formatter.current_indent - 2 - first
        for title, names in self.command_sections(ctx):
            shown = [name for name in names if name in lines]
            if shown:
                with section(formatter, title):
                    write_rows(formatter, [(name, lines[name](limit)) for name in shown], first)

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:
        """As typer's, but "did you mean" looks at every sub-command, built or not."""
        name = args[0] if args else ""
        if (
            name[:1].isalnum()  # an option-like word is typer's to report
            and self.suggest_commands
            and not ctx.resilient_parsing
            and ctx.token_normalize_func is None
            and self.get_command(ctx, name) is None
        ):
            matches = get_close_matches(name, self.list_commands(ctx))
            if matches:
                shown = ", ".join(repr(match) for match in matches)
                ctx.fail(f"No such command {name!r}. Did you mean {shown}?")
        return super().resolve_command(ctx, args)


class LightCommand(HelpScreen, TyperCommand):
    """A command whose options and arguments take light values (``chainlead.cli.light``)."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
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
    )  # type: ignore[return-value]


class NounGroup(LazyGroup):
    """One noun's typer app (``chain``, ``bottleneck``...), its commands built on use."""

    source: typer.Typer

    def lazy_entries(self) -> dict[str, Lazy]:
        app = self.source
        entries: dict[str, Lazy] = {}
        for info in app.registered_commands:
            name = info.name or typer.main.get_command_name(info.callback.__name__)
            entries[name] = Lazy(
                help=lambda info=info: (
                    help_text(info.help) or help_text(inspect.getdoc(info.callback))
                ),
                build=lambda info=info: build_command(info, app),
                hidden=bool(info.hidden),
            )
        for group in app.registered_groups:  # a sub-group (``chain link``), built on use too
            sub = group.typer_instance
            assert sub is not None and group.name is not None
            path = f"{self.name} {group.name}"
            entries[group.name] = Lazy(
                help=lambda group=group, sub=sub: help_text(group.help) or help_text(sub.info.help),
                build=lambda sub=sub, path=path: noun_group(sub, path),
                hidden=bool(given(group.hidden)),
            )
        return entries


def noun_group(app: typer.Typer, path: str) -> Command:
    """The group of a noun's app (``path``: ``chain``, ``chain link``), without building its
    commands yet.

    Its sub-groups (``app.add_typer``) are lazy groups as well. An app with a
    custom group class is built the ordinary way. Its screen ends with the
    examples ``chainlead.cli.help`` keeps for it.
    """
    if given(app.info.cls) is not None:
        return typer.main.get_group(app)
    shell = copy.copy(app)
    shell.info = copy.copy(app.info)
    shell.info.cls = NounGroup
    if given(shell.info.epilog) is None:
        shell.info.epilog = examples_epilog(path)
    shell.registered_commands = []
    shell.registered_groups = []
    group = typer.main.get_group(shell)
    assert isinstance(group, NounGroup)
    group.source = app
    return group


def load(target: str) -> Any:
    """The object a ``module:attribute`` string names, its module imported."""
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)
