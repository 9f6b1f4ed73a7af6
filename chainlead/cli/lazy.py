"""What keeps start-up fast: sub-commands built on first use, light coercion.

typer builds every command of an app before parsing anything, evaluating each
command's annotations (about 1 ms a command), and coerces every parameter
through a pydantic ``TypeAdapter``, which imports pydantic (about 20 ms) even
for ``--help``. Here a group knows its sub-commands by name and help text
only; ``chainlead chain list`` imports ``chainlead.cli.chain`` and builds
``list`` alone, and values that need no coercion never reach pydantic.
"""

from __future__ import annotations

import copy
import enum
import importlib
import inspect
import typing
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
from typer.core import TyperGroup
from typer.models import DefaultPlaceholder


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
            build=lambda: typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            ),
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


class _LightCoercion:
    """Coercion of parameter values that need none, before typer's own.

    A missing value, text for a ``str``, a bool for a ``bool``, a whole
    number within its bounds for an ``int`` and a choice for an ``Enum`` (or
    a list of them; any case unless case-sensitive) come back as typer
    returns them; any other value, and so every error, goes to typer's
    pydantic-based coercion, built on first need.
    """

    def __init__(self, descriptor: Any, build: Callable[[Any], Any]) -> None:
        self.descriptor = descriptor
        self.build = build
        self.full: Any = None
        annotation = descriptor.annotation
        info = descriptor.parameter_info
        simple = descriptor.file_annotation is None and info.parser is None
        self.plain = simple and annotation in (str, bool)
        self.number = simple and annotation is int and not getattr(info, "clamp", False)
        self.bounds = (getattr(info, "min", None), getattr(info, "max", None))
        self.many = typing.get_origin(annotation) is list
        element = typing.get_args(annotation)[0] if self.many else annotation
        self.members: dict[str, Any] | None = None
        if simple and isinstance(element, type) and issubclass(element, enum.Enum):
            exact = getattr(info, "case_sensitive", True)
            self.members = {(str(m.value) if exact else str(m.value).lower()): m for m in element}
            self.fold = not exact

    def _member(self, value: Any) -> Any:
        assert self.members is not None
        if not isinstance(value, str):
            return None
        return self.members.get(value.lower() if self.fold else value)

    def _whole(self, value: Any) -> int | None:
        if type(value) is int:
            number = value
        elif isinstance(value, str) and value.isascii() and value.strip().lstrip("+-").isdigit():
            number = int(value)
        else:
            return None
        low, high = self.bounds
        if (low is not None and number < low) or (high is not None and number > high):
            return None  # typer's own coercion says what is accepted
        return number

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        multiple = param.multiple or param.nargs == -1
        if value is None:
            return () if multiple else None
        if self.plain and not multiple and type(value) is self.descriptor.annotation:
            return value
        if self.number and not multiple and (number := self._whole(value)) is not None:
            return number
        if self.members is not None and self.many == multiple:
            found = [self._member(v) for v in (value if multiple else (value,))]
            if None not in found:
                return found if multiple else found[0]
        if self.full is None:
            self.full = self.build(self.descriptor)
        return self.full.coerce(value, param=param, ctx=ctx)


def install_light_coercion() -> None:
    """Put the light coercion in front of typer's (once; no-op on a typer without it)."""
    build = getattr(typer.core, "build_runtime_param", None)
    if build is None or getattr(build, "light", False):
        return

    def light(descriptor: Any) -> _LightCoercion:
        return _LightCoercion(descriptor, build)

    light.light = True  # type: ignore[attr-defined]
    typer.core.build_runtime_param = light  # type: ignore[attr-defined]
