"""``chainlead batch FILE``: many commands in one process and one transaction.

A batch file holds chainlead command lines, one a line, as they would be
typed at a shell (quotes, ``\\`` at the end of a line to go on, ``#`` to
comment; ``chainlead`` in front or not). Each line is parsed and run by the
real ``chainlead`` command group, so a line says and refuses exactly what the
command says and refuses on its own. The batch opens one write transaction
(``runtime.writing``) and runs every line in it (``runtime.joined``): the
lines share one connection, one moment and one actor, a later line sees what
an earlier one wrote, and either every line is written or none is. A refused
line is reported with its number and its own refusal and exit code.

Start-up, not the work, is what a command costs (about a third of a second
each): one hundred ``bottleneck add`` lines take about half a second as a
batch, on the demo as at 100k items, against 35 s one process a line.
Commands with files or a transaction of their own are refused, and so is an
output file (``runtime.output``): neither could be taken back.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from chainlead.errors import EXIT_USAGE, ChainleadError, InvalidInput
from chainlead.i18n import _, ngettext

if TYPE_CHECKING:
    from chainlead.cli.lazy import Command

# The commands a line may run: the nouns that read and write records. Others keep
# files or a transaction of their own (import, export, intake, db ...), or are
# about batches and change sets themselves (batch, undo).
BATCHED = (
    "bottleneck",
    "schedule",
    "chain",
    "team",
    "unit",
    "person",
    "enterprise",
    "project",
    "target",
    "supervise",
    "search",
    "log",
)
# The global options of ``chainlead``: one database, actor and language per batch.
GLOBAL_EXAMPLES = {
    "--db": "chainlead --db district.db batch FILE",
    "--as": "chainlead --as 李明 batch FILE",
    "--lang": "chainlead --lang zh batch FILE",
    "--district": "chainlead --district jiangning batch FILE",
}
PROG = "chainlead"


class Line(NamedTuple):
    """One command line of a batch file: where it starts and its words."""

    number: int
    words: tuple[str, ...]


class BatchFileRefused(ChainleadError):
    """The batch file cannot be read."""

    exit_code = EXIT_USAGE


class LineRefused(ChainleadError):
    """A line of a batch was refused; nothing of the batch was written."""

    def __init__(self, number: int, refusal: str, exit_code: int) -> None:
        self.number = number
        self.exit_code = exit_code
        super().__init__(_("line {number}: {refusal}").format(number=number, refusal=refusal))


class DryRun(Exception):
    """Raised at the end of a dry run, so that its transaction is rolled back."""


def batch(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(help="The file of command lines, or - for stdin.", show_default=False),
    ],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Run and check every line, then write nothing."),
    ] = False,
) -> None:
    """Run commands from a file in one transaction: all or nothing.

    One chainlead command a line, written as at a shell (quotes, # comments,
    chainlead in front or not); a refused line is named by its number and
    nothing is written. Global options (--db, --as, --lang) go before the word
    batch.

    \b
    Example:
      chainlead batch breakfast.txt --dry-run
      chainlead --as 李明 batch breakfast.txt
    """
    from chainlead.render.output import message

    lines = read_lines(read_text(file))
    root = ctx.find_root().command
    for line in lines:
        check(root, line)
    count = len(lines)
    try:
        run(root, lines, dry_run=dry_run)
    except DryRun:
        message(
            ngettext(
                "Checked {n} line; nothing written.", "Checked {n} lines; nothing written.", count
            ).format(n=count)
        )
        return
    message(
        ngettext(
            "Ran {n} line in one transaction.", "Ran {n} lines in one transaction.", count
        ).format(n=count)
    )


def read_text(file: str) -> str:
    """The batch file's text (``-``: stdin), UTF-8 with or without a byte-order mark."""
    if file == "-":
        data = sys.stdin.buffer.read()
        shown = "stdin"
    else:
        path = Path(file)
        shown = file
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise BatchFileRefused(_("{path}: no such file").format(path=file)) from None
        except OSError as exc:
            raise BatchFileRefused(
                _("{path}: cannot be read ({strerror})").format(
                    path=file, strerror=exc.strerror or exc
                )
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BatchFileRefused(
            _("{path}: expected UTF-8 text (save the file as UTF-8)").format(path=shown)
        ) from None


def read_lines(text: str) -> list[Line]:
    """The command lines of a batch file, numbered from 1 as an editor numbers them:
    blank lines and ``#`` comments left out, a line ending in ``\\`` joined to the next,
    a leading ``chainlead`` dropped."""
    import shlex

    found: list[Line] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        kept = uncommented(raw)
        if not pending:
            start = number
        trailing = len(kept) - len(kept.rstrip("\\"))
        if trailing % 2:  # an unescaped backslash at the end: the line goes on
            pending.append(kept[:-1])
            continue
        pending.append(kept)
        whole = "".join(pending)  # as a shell: backslash-newline is taken out
        pending = []
        try:
            words = shlex.split(whole)
        except ValueError:  # shlex's only complaint: a quote left open
            raise LineRefused(start, _("expected a closing quotation mark"), EXIT_USAGE) from None
        if words[:1] == [PROG]:
            words = words[1:]
        if words:
            found.append(Line(start, tuple(words)))
    if pending:
        raise LineRefused(start, _("expected a line after the final backslash"), EXIT_USAGE)
    return found


def uncommented(text: str) -> str:
    """``text`` without its comment: from a ``#`` that begins a word, outside quotes,
    as a shell reads it (``3号楼#2`` and ``"#2"`` are words, ``# ...`` is not)."""
    quote = ""
    escaped = False
    word_start = True
    for at, char in enumerate(text):
        if escaped:
            escaped = False
        elif quote == "'":
            if char == "'":
                quote = ""
        elif char == "\\":
            escaped = True
        elif quote == '"':
            if char == '"':
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and word_start:
            return text[:at]
        word_start = not quote and not escaped and char.isspace()
    return text


def check(root: Command, line: Line) -> None:
    """Refuse, before any line runs, a line whose command a batch cannot run, that
    names no command of chainlead's, or that gives a global option."""
    from chainlead.cli import COMMANDS, refusal

    for word in line.words:
        option = word.split("=", 1)[0]
        if option in GLOBAL_EXAMPLES:
            refused = InvalidInput(option, one_for_the_batch(option))
            raise LineRefused(line.number, refused.message, refused.exit_code)
        if word.startswith("-"):
            continue
        if word not in COMMANDS:  # refused as the command line refuses it
            try:
                root.resolve_command(typer.Context(root, info_name=PROG), [word])
            except Exception as exc:
                found = refusal(exc)
                if found is None:
                    raise
                raise LineRefused(line.number, *found) from None
        elif word not in BATCHED:
            names = ", ".join(BATCHED)
            refusal = _("{command}: not in a batch; run it on its own (a batch runs {names})")
            raise LineRefused(line.number, refusal.format(command=word, names=names), EXIT_USAGE)
        return


def one_for_the_batch(option: str) -> str:
    """What a line giving a global option is told."""
    return _("one for the whole batch; give it before the word batch: {example}").format(
        example=GLOBAL_EXAMPLES[option]
    )


def refuse_globals(
    *, db: str | None, actor: str | None, lang: str | None, district: str | None = None
) -> None:
    """A line of a batch gives no global option: the batch has one database, actor and
    language (the root callback asks, for every line)."""
    given = (("--db", db), ("--as", actor), ("--lang", lang), ("--district", district))
    for option, value in given:
        if value is not None:
            raise InvalidInput(option, one_for_the_batch(option))


def run(root: Command, lines: Sequence[Line], *, dry_run: bool) -> None:
    """Run ``lines`` in one write transaction, committed when every line ran (rolled
    back with ``DryRun`` after a dry run); the first refused line ends the batch,
    as ``LineRefused``, with nothing written."""
    from chainlead.cli import internal, refusal
    from chainlead.cli.runtime import joined, writing

    current: Line | None = None
    try:
        with writing(kind="batch") as (conn, stamp), joined(conn, stamp):
            for current in lines:
                run_line(root, current)
            current = None  # a failure past here is the transaction's, not a line's
            if dry_run:
                raise DryRun
    except (DryRun, LineRefused, BrokenPipeError, KeyboardInterrupt):
        raise
    except Exception as exc:
        if current is None:
            raise
        found = refusal(exc)
        if found is None:
            if os.environ.get("CHAINLEAD_DEBUG"):
                raise
            found = internal(exc)
        raise LineRefused(current.number, *found) from None


def run_line(root: Command, line: Line) -> None:
    """One line, parsed and run by the ``chainlead`` group as if typed on its own."""
    try:
        with root.make_context(PROG, list(line.words)) as ctx:
            root.invoke(ctx)
    except typer.Exit as exc:  # --help, a group named alone: said, and nothing else
        if exc.exit_code:
            raise LineRefused(
                line.number,
                _("ended with exit code {code}").format(code=exc.exit_code),
                exc.exit_code,
            ) from None
