"""The command line's own refusals (click's and typer's) in the house voice.

click (typer's copy of it) refuses a missing argument, an unknown option or a
value its type does not take with a sentence of its own ("Invalid value for
'--limit': Input should be greater than or equal to 1"). Here each becomes
the line every other refusal is: ``FIELD: expected FORM; got VALUE``, with
the option as typed (``--limit``), an argument as help shows it (``KEY``),
the accepted form in a person's words and the value given.

Only what click documents its exceptions to carry is read: ``ctx``,
``param`` (its ``name``, ``opts``, ``metavar``, ``param_type_name``),
``option_name`` and ``possibilities``, ``message``. The form of a value
comes from the annotation of the command's function (as
``chainlead.cli.light`` reads it), the value given from the validation
error typer chains to its own (pydantic's documented ``errors()``).
"""

from __future__ import annotations

import enum
import re
from typing import Any

from chainlead.errors import InvalidInput, did_you_mean
from chainlead.i18n import _

# Forms of the values commands take as text and read with chainlead.values,
# by the metavar help shows, or else by the parameter's name.
_BY_METAVAR = {
    "DATE": "date",
    "CODE": "code",
    "KEY": "key",
    "MEETING": "meeting",
    "MONTH": "month",
    "N": "number",
    "NAME": "name",
    "FILE": "file",
    "PATH": "file",
    "TEXT": "text",
}
_BY_NAME = {
    "key": "key",
    "keys": "key",
    "chain": "code",
    "code": "code",
    "meeting": "meeting",
    "month": "month",
    "name": "name",
    "old": "name",
    "new": "name",
    "file": "file",
    "dest": "file",
    "path": "file",
    "title": "text",
    "text": "text",
}


def usage_line(exc: Exception) -> str | None:
    """``exc`` (one of click's usage errors) as a house-voice line, or None when it is
    not one this module knows."""
    ctx = getattr(exc, "ctx", None)
    param = getattr(exc, "param", None)
    message = str(getattr(exc, "message", "") or "")
    line: str | None = None
    if param is not None and hasattr(exc, "param_type"):  # MissingParameter
        nothing = _("{expected}; got nothing").format(expected=form_of(param, ctx))
        line = InvalidInput(field_of(param), nothing).message
    elif param is not None:  # BadParameter
        line = bad_value(exc, param, ctx, message)
    elif hasattr(exc, "possibilities"):  # NoSuchOption
        line = unknown_option(exc, ctx)
    elif getattr(exc, "option_name", None):  # BadOptionUsage
        line = option_usage(exc, ctx, message)
    else:
        line = plain_usage(ctx, message)
    if line is None:
        return None
    if ctx is not None and getattr(ctx, "command_path", None):
        line = _("{line} (see `{command} --help`)").format(line=line, command=ctx.command_path)
    return line


def field_of(param: Any) -> str:
    """A parameter as a person names it: the option as typed, an argument by its name
    in capitals as the usage line shows it (``KEY``, never ``import_``)."""
    opts = [opt for opt in getattr(param, "opts", ()) or () if isinstance(opt, str)]
    if getattr(param, "param_type_name", "") == "argument" or not opts:
        shown = str(getattr(param, "name", "") or getattr(param, "metavar", None) or "")
        return shown.strip("_").upper() or "VALUE"
    long = [opt for opt in opts if opt.startswith("--")]
    return max(long or opts, key=len)


def form_of(param: Any, ctx: Any) -> str:
    """What a parameter's value is expected to be, in a person's words:
    ``expected a whole number of at least 1``."""
    from chainlead.cli.light import Light, annotations

    callback = getattr(getattr(ctx, "command", None), "callback", None)
    light = Light.of(annotations(callback).get(getattr(param, "name", "") or ""))
    if light is not None and light.choices is not None:
        return _("expected one of {choices}").format(choices=", ".join(choice_words(light.choices)))
    if light is not None and light.kind is int:
        return number_form(light.low, light.high)
    metavar = str(getattr(param, "metavar", None) or "").upper()
    kind = _BY_METAVAR.get(metavar) or _BY_NAME.get(str(getattr(param, "name", "") or ""))
    return _described(kind)


def _described(kind: str | None) -> str:
    from chainlead import values

    if kind == "number":
        return number_form(None, None)
    forms = {
        "date": values.DATE_FORM,
        "code": values.CODE_FORM,
        "key": values.KEY_FORM,
        "meeting": values.MEETING_KEY_FORM,
        "month": values.MONTH_FORM,
    }
    if kind in forms:
        return _(forms[kind])
    if kind == "name":
        return _("expected a name")
    if kind == "file":
        return _("expected a file path")
    if kind == "text":
        return _("expected text")
    return _("expected a value")


def choice_words(choices: Any) -> list[str]:
    """An Enum's values as a person types them (``in-progress``, not ``in_progress``)."""
    seen: list[str] = []
    for member in choices.values():
        word = str(member.value if isinstance(member, enum.Enum) else member).replace("_", "-")
        if word not in seen:
            seen.append(word)
    return seen


def number_form(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return _("expected a whole number from {low} to {high}").format(
            low=int(low), high=int(high)
        )
    if low is not None:
        return _("expected a whole number of at least {low}").format(low=int(low))
    if high is not None:
        return _("expected a whole number of at most {high}").format(high=int(high))
    return _("expected a whole number")


def given_value(exc: Exception) -> object:
    """The value a parameter refused, when the error it came from says it."""
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        try:
            found = errors()
        except Exception:  # not pydantic's: say nothing of the value
            return None
        if found and isinstance(found[0], dict) and "input" in found[0]:
            return found[0]["input"]
    return None


def bad_value(exc: Exception, param: Any, ctx: Any, message: str) -> str:
    expected = form_of(param, ctx)
    if expected == _("expected a value"):  # a form not described here: the library's words
        said = re.sub(r"^(Value error, |Input should be )", "", message).rstrip(".")
        expected = f"{expected} ({said})"
    got = given_value(exc)
    if isinstance(got, list | tuple):
        got = None
    return InvalidInput(field_of(param), expected, got).message


def unknown_option(exc: Exception, ctx: Any) -> str:
    name = str(getattr(exc, "option_name", "") or "")
    command = getattr(ctx, "command_path", "") or "chainlead"
    expected = _("expected an option of `{command}`").format(command=command)
    line = InvalidInput(_("option"), expected, name).message
    possible = sorted(getattr(exc, "possibilities", None) or ())
    if possible:
        line = did_you_mean(line, possible)
    return line


def option_usage(exc: Exception, ctx: Any, message: str) -> str:
    name = str(getattr(exc, "option_name", ""))
    command = getattr(ctx, "command", None)
    param = next(
        (p for p in getattr(command, "params", ()) or () if name in (getattr(p, "opts", ()) or ())),
        None,
    )
    if param is None and "does not take a value" in message or getattr(param, "is_flag", False):
        return InvalidInput(name, _("expected no value (it is a flag)")).message
    if param is None:  # click's parser says no more than the option's name
        return InvalidInput(name, _("expected a value after it; got nothing")).message
    nothing = _("{expected}; got nothing").format(expected=form_of(param, ctx))
    return InvalidInput(name, nothing).message


_NO_COMMAND = re.compile(r"^No such command '(.*)'\.")
_EXTRA = re.compile(r"^Got unexpected extra arguments?(?:\(s\))? \((.*)\)$")


def plain_usage(ctx: Any, message: str) -> str:
    """click's other usage errors: an unknown command, a word too many."""
    command = getattr(ctx, "command_path", "") or "chainlead"
    unknown = _NO_COMMAND.match(message)
    if unknown:
        suggestion = re.search(r"Did you mean (.*)\?$", message)
        expected = _("expected a command of `{command}`").format(command=command)
        line = InvalidInput(_("command"), expected, unknown.group(1)).message
        if suggestion:
            line = did_you_mean(line, [suggestion.group(1)])
        return line
    extra = _EXTRA.match(message)
    if extra:
        return InvalidInput(
            _("arguments"),
            _("expected no more than `{command}` takes").format(command=command),
            extra.group(1),
        ).message
    if message.startswith("Missing command"):
        return InvalidInput(
            _("command"),
            _("expected a command of `{command}`; got nothing").format(command=command),
        ).message
    return message
