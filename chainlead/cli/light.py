"""Parameter values that need no coercion, taken without typer's.

typer (0.29) coerces every parameter value through a pydantic ``TypeAdapter``
that it builds on first use, even for an option not given: the root's unset
``--db`` alone imports pydantic before ``chainlead chain list --help`` can
answer, and start-up doubles (about 160 ms instead of 80). Most values need
nothing: no value, text, a whole number within its bounds, one of an Enum's
values, or a list of those. ``light_params`` gives each parameter of a
command a ``process_value`` that takes these values as typer returns them
and hands every other value, and so every error and its message, to typer's.

typer has no setting for a parameter's class, and ``process_value`` is click's
documented hook for a parameter's value, so it is set on the parameter objects
of the commands chainlead builds; typer's classes and modules are left as
they are. Should a typer release stop calling it, values simply go through
typer's coercion again (slower, same results; tests/test_startup.py notices).
"""

from __future__ import annotations

import enum
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from typer.models import ParameterInfo

OTHER = object()  # the mark of a value left to typer's coercion


class Light(NamedTuple):  # a NamedTuple: quicker to define at start-up than a dataclass
    """What a parameter takes without coercion: text, whole numbers or an Enum's values.

    Any parameter takes "no value" (``None``) as typer does; ``kind=None`` takes
    nothing else.
    """

    kind: type | None = None
    many: bool = False
    low: float | None = None
    high: float | None = None
    choices: Mapping[str, enum.Enum] | None = None
    fold: bool = False

    @classmethod
    def of(cls, hint: Any) -> Light | None:
        """The light form of a parameter annotated ``hint``, if it has one."""
        if typing.get_origin(hint) is not typing.Annotated:
            return None
        kind, *extras = typing.get_args(hint)
        info = next((extra for extra in extras if isinstance(extra, ParameterInfo)), None)
        if info is None or info.parser is not None:
            return None
        if typing.get_origin(kind) in (typing.Union, types.UnionType):
            kinds = [arg for arg in typing.get_args(kind) if arg is not type(None)]
            if len(kinds) != 1:
                return None
            kind = kinds[0]
        many = typing.get_origin(kind) is list
        if many:
            kind = typing.get_args(kind)[0] if len(typing.get_args(kind)) == 1 else None
        if kind is str:
            return cls(str, many)
        if kind is int and not info.clamp:
            return cls(int, many, low=info.min, high=info.max)
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            fold = not info.case_sensitive
            choices: dict[str, enum.Enum] = {}
            for member in kind:  # the first member a value matches, as typer's
                choices.setdefault(fold_case(str(member.value), fold), member)
            return cls(kind, many, choices=choices, fold=fold)
        return None

    def take(self, value: Any, *, many: bool) -> Any:
        """``value`` as typer's coercion would return it, or ``OTHER``."""
        if value is None:
            return () if many else None
        if many != self.many:
            return OTHER
        if not many:
            return self.one(value)
        if not isinstance(value, tuple | list):
            return OTHER
        taken = [self.one(item) for item in value]
        return OTHER if any(item is OTHER for item in taken) else taken

    def one(self, value: Any) -> Any:
        if self.kind is None:
            return OTHER
        if type(value) is self.kind:  # a default, or text for text
            return value if self.kind is not int or self.within(value) else OTHER
        if type(value) is not str:
            return OTHER
        if self.kind is int:
            from chainlead.values import typed

            value = typed(value)  # full-width digits read as ASCII ones
            if is_whole(value) and self.within(int(value)):
                return int(value)
            return OTHER
        if self.choices is not None:
            return self.choices.get(fold_case(value, self.fold), OTHER)
        return OTHER

    def within(self, number: int) -> bool:
        """Inside the bounds; typer says what is accepted when it is not."""
        return (self.low is None or number >= self.low) and (
            self.high is None or number <= self.high
        )


def is_whole(text: str) -> bool:
    """A whole number in the form read here: ASCII digits after an optional sign.

    pydantic reads these as ``int`` does; its other forms ("1_000", " 3",
    "3.0") are left to typer.
    """
    digits = text[1:] if text[:1] in ("+", "-") else text
    return digits.isascii() and digits.isdigit()


def fold_case(text: str, fold: bool) -> str:
    """``text`` as a choice is matched: ``chainlead.values.choice_key`` (NFKC, and
    casefolded unless case-sensitive, as typer does)."""
    from chainlead.values import choice_key

    return choice_key(text, fold=fold)


NO_VALUE = Light()  # takes only "no value": what an unannotated parameter takes


class Hints:
    """The annotations of the function behind a command, read when first needed.

    A run that gives a command no value (``--help`` above all) reads none.
    """

    def __init__(self, callback: Callable[..., Any] | None) -> None:
        self.callback = callback
        self.read: dict[str, Any] | None = None

    def light(self, name: str) -> Light:
        if self.read is None:
            self.read = annotations(self.callback)
        try:
            return Light.of(self.read.get(name)) or NO_VALUE
        except AttributeError:  # a typer whose ParameterInfo reads otherwise
            return NO_VALUE


class LightValue:
    """A parameter's ``process_value``: light values taken here, the rest by typer."""

    def __init__(self, param: Any, hints: Hints, typer_process: Callable[..., Any]) -> None:
        self.param = param
        self.hints = hints
        self.typer_process = typer_process
        self.light: Light | None = None

    def __call__(self, ctx: Any, value: Any) -> Any:
        param = self.param
        many = bool(param.multiple) or param.nargs == -1
        taken = OTHER
        if ctx.token_normalize_func is None:  # a normalised choice is typer's to match
            light = NO_VALUE
            if type(value) is bool:  # a flag: typer takes it as it is, coercing nothing
                return self.typer_process(ctx, value)
            if value is not None:
                if self.light is None:
                    self.light = self.hints.light(param.name)
                light = self.light
            taken = light.take(value, many=many)
        if taken is not OTHER and param.required and param.value_is_missing(taken):
            if ctx.resilient_parsing:  # completing a command line: its error would be dropped
                return taken
            taken = OTHER  # typer's says what is missing
        if taken is OTHER:
            return self.typer_process(ctx, value)
        # What click's process_value does once a value is converted.
        if param.callback is not None:
            taken = param.callback(ctx, param, taken)
        return taken


def light_params(command: Any, ctx: Any) -> None:
    """Let ``command``'s parameters take light values without typer's coercion.

    What each parameter takes is read from the annotations of the function
    the command calls (typer keeps it as the callback's ``__wrapped__``); the
    parameters typer adds itself (``--help``, ``--install-completion``) take
    only "no value" here.
    """
    hints = Hints(getattr(command, "callback", None))
    for param in command.get_params(ctx):
        if not isinstance(param.process_value, LightValue):
            param.process_value = LightValue(param, hints, param.process_value)


def annotations(callback: Callable[..., Any] | None) -> dict[str, Any]:
    """The parameter annotations of the function behind a command's callback."""
    if callback is None:
        return {}
    try:
        return typing.get_type_hints(inspect.unwrap(callback), include_extras=True)
    except Exception:  # one this process cannot evaluate: its values all go to typer
        return {}
