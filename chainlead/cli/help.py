"""Help screens: readable metavars, grouped commands, examples, in the process's language.

The help texts are English where they are written (a command's docstring,
``help=``, ``Sub(..., help)``); ``chainlead/cli/help_catalog.py`` extracts them
into the gettext catalog and they are translated here, as a screen is drawn:
each paragraph of a command's help, each parameter's help, each command's
line in its group's list. click's own words on the screen ("Usage:",
"Options:", "Show this message and exit.") are written here too, so they
follow the language; Chinese text is wrapped by its width on the terminal.

Only click's documented formatter (``write_usage``, ``section``, ``write``,
``indentation``, ``write_paragraph``) and a parameter's public attributes are
used.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any


def N_(message: str) -> str:
    """Marks ``message`` for the catalog (as ``chainlead.i18n.N_``, without importing
    gettext into a start-up that prints English)."""
    return message


# click's and typer's words, in the catalog so they follow the language.
CLICK_WORDS = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Usage:"),
    N_("[OPTIONS]"),
    N_("COMMAND [ARGS]..."),
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("Example:"),
    N_("Examples:"),
    N_("default"),
    N_("required"),
    N_("repeatable"),
)

# What each placeholder on a help screen stands for, printed under the screen
# that uses it: the forms the errors name (``chainlead.values``; a test keeps
# them the same).
LEGEND = {
    "DATE": N_("a date as YYYY-MM-DD, today, yesterday, +Nd, +Nw, +Nwd, -Nd or eom"),
    "MONTH": N_("a month as YYYY-MM"),
    "CODE": N_("1-10 letters or digits starting with a letter, e.g. IC"),
    "KEY": N_("an item key such as IC-12"),
    "MEETING": N_("a meeting id such as IC-M3"),
}

# Placeholders for options that do not name their own (``metavar=``), by option.
METAVARS = {
    "--chain": "CODE",
    "--month": "MONTH",
    "--raised-in": "MONTH",
    "--resolved-in": "MONTH",
    "--from": "MONTH",
    "--due": "DATE",
    "--raised-on": "DATE",
    "--on": "DATE",
    "--until": "DATE",
    "--start": "DATE",
    "--end": "DATE",
    "--held-on": "DATE",
    "--since": "DATE",
    "--as-of": "DATE",
    "--unit": "UNIT",
    "--meeting": "MEETING",
    "--raises": "KEY",
    "--discusses": "KEY",
    "--figure": "NAME=NUMBER",
    "--investment": "NUMBER",
    "--invested": "NUMBER",
    "--level": "N",
    "--due-within": "SPAN",
    "--max-size": "SIZE",
    "--map": "FILE",
    "--year": "YEAR",
    "--db": "PATH|URL",
    "--as": "NAME",
    "--lang": "[en|zh]",
}
ARGUMENTS = {"chain": "CODE", "dest": "FILE", "old": "NAME", "new": "NEW_NAME"}
NAMES = ("--leader", "--responsible", "--member", "--chair", "--attendee", "--by", "--person")
CLOSING = set("，。、；：！？）》」』】〕…,.;:!?)]}%")
OPENING = set("（《「『【〔([{")


_langs: dict[tuple[str | None, ...], str] = {}


def lang() -> str:
    """The language of the help: the root's ``--lang``, else ``CHAINLEAD_LANG``, else the
    config file's ``lang``, else English.

    Read here, before the root's callback has run (``chainlead --help``), and
    without loading the settings unless a config file may name it.
    """
    from chainlead.cli.runtime import GLOBALS

    env = os.environ.get("CHAINLEAD_LANG")
    key = (GLOBALS.lang, env, os.environ.get("CHAINLEAD_CONFIG"))
    found = _langs.get(key)
    if found is None:
        given = GLOBALS.lang or env
        if given:
            found = given.strip().lower()
        else:
            from chainlead.configpath import config_path

            found = "en"
            if config_path().is_file():
                from chainlead.cli.runtime import settings_lang

                try:
                    found = settings_lang()
                except Exception:  # a broken config is the command's to report
                    found = "en"
        found = found if found in ("en", "zh") else "en"
        _langs[key] = found
    return found


def gettext(message: str) -> str:
    """``message`` in the help's language."""
    current = lang()
    if not message or current == "en":
        return message
    from chainlead.i18n import translator

    return translator(current).gettext(message)


def lang_given(args: list[str]) -> str | None:
    """The value of the root's ``--lang`` in a command line, before any sub-command."""
    taking = {"--db", "--as", "--lang", "--district"}  # the root's options that take a value
    words = iter(args)
    for word in words:
        if word == "--lang":
            return next(words, None)
        if word.startswith("--lang="):
            return word.partition("=")[2]
        if word in taking:
            next(words, None)
        elif not word.startswith("-") or word == "--":
            return None
    return None


def catalog_id(paragraph: str) -> str:
    """A paragraph as the catalog knows it: its words joined by single spaces."""
    return " ".join(paragraph.split())


def translate(text: str) -> str:
    """A help text in the process's language, paragraph by paragraph.

    A paragraph the catalog has is replaced by its translation; one marked
    "do not rewrap" (``\\b``, an example) keeps its lines, its heading
    ("Example:") translated; any other stays English.
    """
    if not text or lang() == "en":
        return text
    out = []
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("\b"):
            lines = paragraph.split("\n")
            out.append("\n".join([lines[0], *(gettext(line) for line in lines[1:2]), *lines[2:]]))
            continue
        found = gettext(catalog_id(paragraph))
        out.append(paragraph if found == catalog_id(paragraph) else found)
    return "\n\n".join(out)


def cell_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: two for a wide (CJK) character."""
    if text.isascii():
        return len(text)
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(char) in "WF" else 1 for char in text)


def pieces(text: str) -> Iterator[str]:
    """``text`` cut where a line may break: at spaces, and between CJK characters, never
    before a closing mark or after an opening one."""
    piece = ""
    for char in text:
        if char == " ":
            if piece:
                yield piece
            yield " "
            piece = ""
        elif cell_width(char) == 2 and piece and piece[-1] not in OPENING and char not in CLOSING:
            yield piece
            piece = char
        elif piece and cell_width(piece[-1]) == 2 and piece[-1] not in OPENING and char.isalnum():
            yield piece
            piece = char
        else:
            piece += char
    if piece:
        yield piece


def wrap(text: str, width: int) -> list[str]:
    """``text`` on lines of at most ``width`` columns (a piece longer than that alone)."""
    if text.isascii():  # English: broken at spaces only, as click does
        from textwrap import wrap as wrap_words

        return wrap_words(text, width, break_long_words=False, break_on_hyphens=False) or [""]
    lines: list[str] = []
    line = ""
    for piece in pieces(" ".join(text.split())):
        if piece == " ":
            if line:
                line += " "
            continue
        if line and cell_width(line + piece) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece
    if line.strip():
        lines.append(line.rstrip())
    for number in range(1, len(lines)):  # no CJK character alone on a line
        before, line = lines[number - 1], lines[number]
        if orphan(line) and cell_width(before[-1:]) == 2 and len(before) > 1:
            if cell_width(before[-1] + line) <= width:
                lines[number - 1], lines[number] = before[:-1].rstrip(), before[-1] + line
    return lines or [""]


def orphan(line: str) -> bool:
    """A line of one CJK character, with the marks that close it."""
    bare = line.rstrip("".join(CLOSING))
    return len(bare) == 1 and cell_width(bare) == 2


def write_text(formatter: Any, text: str) -> None:
    """Paragraphs at the formatter's indent; ``\\b`` paragraphs as they are written."""
    width = max(formatter.width - formatter.current_indent, 11)
    indent = " " * formatter.current_indent
    for number, paragraph in enumerate(text.split("\n\n")):
        if number:
            formatter.write("\n")
        if paragraph.startswith("\b"):
            lines = paragraph.split("\n")[1:]
            formatter.write("".join(f"{indent}{line}\n" for line in lines))
            continue
        formatter.write("".join(f"{indent}{line}\n" for line in wrap(paragraph, width)))


def write_rows(formatter: Any, rows: list[tuple[str, str]], first: int | None = None) -> None:
    """Two columns as click lays them out (the second wrapped), by width on the terminal."""
    if not rows:
        return
    first = first or min(max(cell_width(name) for name, _ in rows), 30) + 2
    indent = " " * formatter.current_indent
    text_width = max(formatter.width - first - formatter.current_indent, 10)
    for name, help_ in rows:
        lines = wrap(help_, text_width) if help_ else []
        if cell_width(name) <= first - 2 and lines:
            pad = " " * (first - cell_width(name))
            formatter.write(f"{indent}{name}{pad}{lines[0]}\n")
            lines = lines[1:]
        else:
            formatter.write(f"{indent}{name}\n")
        formatter.write("".join(f"{indent}{' ' * first}{line}\n" for line in lines))


def summary(text: str, limit: int) -> str:
    """A command's line in its group's list: the first sentence of its help in the
    process's language, or what fits in ``limit`` columns and an ellipsis (click's rule,
    by width on the terminal)."""
    shown = translate(text)
    if shown.isascii():
        from chainlead.cli.lazy import short_help

        return short_help(shown, limit)
    first = catalog_id(shown.split("\n\n", 1)[0].removeprefix("\b"))
    for number, char in enumerate(first):
        if char == "。" or (char == "." and first[number + 1 : number + 2] in ("", " ")):
            first = first[: number + 1]
            break
    if cell_width(first) <= limit:
        return first
    ellipsis = "..." if first.isascii() else "…"
    return wrap(first, limit - len(ellipsis))[0].rstrip("，、,;；:") + ellipsis


def metavar(param: Any, ctx: Any) -> str:
    """What a parameter's value is called on the screen: ``DATE``, ``CODE``, ``N``...

    A parameter's own ``metavar`` first; else the choices it takes; else the
    name chainlead gives the option (``METAVARS``); else its kind, as typer
    describes it (``<int range>``: ``N``, ``<str>``: ``TEXT``).
    """
    if param.metavar:
        return str(param.metavar)
    kind = ""
    describe = getattr(param, "display_type", None)
    if callable(describe):
        kind = str(describe(ctx)).strip("<>")
        if kind.startswith("list[") and kind.endswith("]"):
            kind = kind[5:-1]
    if "|" in kind:
        return "[" + kind + "]"
    for opt in getattr(param, "opts", ()):
        if opt in METAVARS:
            return METAVARS[opt]
        if opt in NAMES:
            return "NAME"
    if param.param_type_name == "argument":
        name = param.name or "value"
        return ARGUMENTS.get(name, name.upper())
    if kind.startswith("int"):
        return "N"
    if kind.startswith("float"):
        return "NUMBER"
    return "TEXT"


def is_repeatable(param: Any) -> bool:
    return bool(getattr(param, "multiple", False))


def option_names(param: Any, ctx: Any) -> str:
    """``-h, --help`` or ``--due DATE``: a parameter's first column."""
    if param.param_type_name == "argument":
        return metavar(param, ctx)
    names = []
    for opts in (param.opts, param.secondary_opts):
        if opts:
            joined = ", ".join(sorted(opts, key=lambda opt: len(opt.lstrip("-")) > 1))
            names.append(joined)
    shown = " / ".join(names)
    if not getattr(param, "is_flag", False) and not getattr(param, "count", False):
        shown += " " + metavar(param, ctx)
    return shown


def param_help(param: Any, ctx: Any) -> str | None:
    """A parameter's help in the process's language, with typer's default/range/required
    notes, and "(repeatable)" on an option given more than once."""
    record = param.get_help_record(ctx)
    if record is None:
        return None
    original = param.help or ""
    extra = record[1][len(original) :].strip() if record[1].startswith(original) else ""
    if not original and not extra:
        extra = record[1]
    text = translate(original) if original else ""
    english = lang() == "en"
    if is_repeatable(param) and "repeat" not in original:
        note = "(repeatable)" if english else "（" + gettext("repeatable") + "）"
        text = (text + " " if text else "") + note
    if extra and not english:
        extra = extra.replace("default: ", gettext("default") + "：")
        extra = extra.replace("required", gettext("required"))
    if extra:
        text = f"{text}  {extra}" if text else extra
    return text


@contextmanager
def section(formatter: Any, title: str) -> Iterator[None]:
    """A heading and its indented rows, as click's ``formatter.section`` writes them; in
    Chinese the heading ends with a full-width colon."""
    if lang() == "en":
        with formatter.section(title):
            yield
        return
    formatter.write_paragraph()
    formatter.write(f"{' ' * formatter.current_indent}{gettext(title)}：\n")
    with formatter.indentation():
        yield


def legend_forms(names: Iterable[str]) -> list[tuple[str, str]]:
    """The forms of the placeholders on a screen, as the errors word them."""
    shown = set(names)
    return [(name, gettext(form)) for name, form in LEGEND.items() if name in shown]


class HelpScreen:
    """Mixed into chainlead's commands and groups: the help screen, drawn in the
    process's language."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Show this message and exit."
        return option

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        parts = [gettext("[OPTIONS]")]
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if param.param_type_name == "argument":
                shown = metavar(param, ctx)
                shown = shown if param.required else f"[{shown}]"
                parts.append(shown + ("..." if param.nargs != 1 else ""))
        if hasattr(self, "list_commands"):
            parts.append(gettext("COMMAND [ARGS]..."))
        prefix = "Usage: " if lang() == "en" else gettext("Usage:")  # 用法：
        formatter.write_usage(ctx.command_path, " ".join(parts), prefix=prefix)

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        text = (self.help or "").partition("\f")[0]  # type: ignore[attr-defined]
        if not text:
            return
        from inspect import cleandoc

        formatter.write_paragraph()
        with formatter.indentation():
            write_text(formatter, translate(cleandoc(text)))

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        self.shown_metavars: list[str] = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            text = param_help(param, ctx)
            if text is None:
                continue
            row = (option_names(param, ctx), text)
            self.shown_metavars.append(metavar(param, ctx))
            (arguments if param.param_type_name == "argument" else options).append(row)
        if arguments:
            with section(formatter, "Arguments"):
                write_rows(formatter, arguments)
        if options:
            with section(formatter, "Options"):
                write_rows(formatter, options)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """A group lists its sub-commands here (``LazyGroup``)."""

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        epilog = self.epilog  # type: ignore[attr-defined]
        if epilog:
            from inspect import cleandoc

            formatter.write_paragraph()
            with formatter.indentation():
                write_text(formatter, translate(cleandoc(epilog)))
        rows = legend_forms(getattr(self, "shown_metavars", ()))
        if rows:
            formatter.write_paragraph()
            with formatter.indentation():
                colon = ": " if lang() == "en" else "："
                for name, form in rows:
                    write_text(formatter, f"{name}{colon}{form}")


# Examples on each group's screen, by its path: every line runs as printed (on the
# demo database, ``chainlead demo``).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "": (
        "chainlead demo",
        "chainlead bottleneck list --overdue",
        "chainlead schedule agenda IC",
        "chainlead report monthly --month 2026-11",
        "chainlead log --since monday --by-day",
        "chainlead --lang zh bottleneck show IC-8",
    ),
    "bottleneck": (
        "chainlead bottleneck list --chain IC --overdue",
        "chainlead bottleneck show IC-8",
        'chainlead bottleneck note IC-8 "Called the fire-safety design office"',
        'chainlead bottleneck resolve IC-9 --how "Night bus route 112 extended"',
        'chainlead bottleneck urge --where "--chain IC --status blocked" --dry-run',
        'chainlead bottleneck note --chain IC --all-matching --yes "On the agenda of IC-M9"',
    ),
    "search": (
        "chainlead search 用电",
        "chainlead search 10千伏 --chain IC --status resolved --json",
    ),
    "undo": ("chainlead undo --list",),
    "batch": (
        "echo 'bottleneck note IC-8 \"Site visit booked\"' | chainlead batch -",
        'echo "bottleneck start IC-8" | chainlead --as 李明 batch - --dry-run',
    ),
    "schedule": (
        "chainlead schedule agenda IC",
        'chainlead schedule add IC --summary "Cleanroom permit" --discusses IC-8',
        "chainlead schedule list --month 2026-11",
        "chainlead schedule missing",
    ),
    "chain": (
        "chainlead chain list",
        "chainlead chain show IC",
        "chainlead chain link list IC",
    ),
    "chain link": ("chainlead chain link list IC",),
    "report": (
        "chainlead report monthly --month 2026-11",
        "chainlead report overdue",
        "chainlead report monthly --lang zh --html monthly.html",
    ),
    "team": ("chainlead team list IC", 'chainlead team add IC "Sun Qiang" --role member'),
    "person": ("chainlead person list", 'chainlead person show "Li Ming"'),
    "unit": ("chainlead unit list",),
    "user": ("chainlead user list", "chainlead user grant 王芳 team --chain IC"),
    "enterprise": ("chainlead enterprise list",),
    "target": ("chainlead target list", "chainlead target show IC"),
    "project": ("chainlead project list", "chainlead project list --chain IC"),
    "config": ("chainlead config show", "chainlead config path"),
    "db": ("chainlead db path", "chainlead db check", "chainlead db backup backup.db"),
    "district": ("chainlead district list", "chainlead district list --json"),
}


def examples_epilog(path: str) -> str | None:
    """The examples paragraph of a group's screen."""
    lines = EXAMPLES.get(path)
    if not lines:
        return None
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)
