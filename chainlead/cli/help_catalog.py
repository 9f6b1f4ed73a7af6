"""The help texts of the command line, for the translation catalog (``make catalogs``).

A Babel extraction method, registered in ``chainlead/locale/babel.cfg`` for
``chainlead/cli``: the messages Babel's Python method finds (``_("...")``),
and the help that is English where it is written: each paragraph of a
command's docstring (an example, marked ``\\b``, stays as it is typed),
every ``help=`` string, and a noun's line in ``COMMANDS`` (``Sub(target,
help)``). ``chainlead.cli.help`` translates them as a screen is drawn,
looking each paragraph up as ``catalog_id`` writes it. Used at build time
only.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.extract import extract_python

from chainlead.cli.help import catalog_id

# Calls whose positional argument N is a help text.
HELP_CALLS = {"Sub": 1, "_opt": 1, "_unit_option": 0}


def command_functions() -> set[str]:
    """The names of the functions ``COMMANDS`` points at (``init``, ``import_``...)."""
    from chainlead.cli import COMMANDS

    return {sub.target.partition(":")[2] for sub in COMMANDS.values()}


def help_texts(source: str, commands: Collection[str]) -> Iterator[tuple[int, str]]:
    """Each help text in a module's ``source``, with its line."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and is_command(node, commands):
            doc = inspect.cleandoc(ast.get_docstring(node) or "")
            for paragraph in doc.partition("\f")[0].split("\n\n"):
                if paragraph.strip() and not paragraph.startswith("\b"):  # not an example
                    yield node.lineno, catalog_id(paragraph)
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "help" and is_text(keyword.value):
                    yield keyword.value.lineno, catalog_id(keyword.value.value)  # type: ignore[attr-defined]
            position = HELP_CALLS.get(getattr(node.func, "id", ""))
            if position is not None and len(node.args) > position:
                value = node.args[position]
                if is_text(value) and value.value:  # type: ignore[attr-defined]
                    yield value.lineno, catalog_id(value.value)  # type: ignore[attr-defined]


def is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def is_command(node: ast.FunctionDef | ast.AsyncFunctionDef, commands: Collection[str]) -> bool:
    """A function typer makes a command or a group's callback of."""
    for decorator in node.decorator_list:
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(call, ast.Attribute) and call.attr in ("command", "callback"):
            return True
    return node.col_offset == 0 and node.name in commands


def extract(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: dict[str, Any],
) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel's extraction method for ``chainlead/cli``: the marked messages and the help."""
    yield from extract_python(fileobj, keywords, comment_tags, options)
    fileobj.seek(0)
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for line, text in help_texts(source, command_functions()):
        yield line, "", text, ["i18n: help text of a command"]
