"""The person saying they mean it: asked at the terminal before a change that
stays (``chain archive``, a bulk change of many items), or said with a flag (``--backdate``).

Without a terminal (a script, a pipe, cron) nobody can answer, so the command
is refused unless ``--yes`` says the question was answered beforehand. The
prompts go to stderr: stdout stays for data.
"""

from __future__ import annotations

import sys
from typing import Annotated, NamedTuple

import typer

from chainlead.i18n import _

BackdateFlag = Annotated[
    bool,
    typer.Option(
        "--backdate",
        help="Accept a date before the chain was created (entering earlier records); "
        "the history says it was backdated.",
    ),
]


class Answer(NamedTuple):
    """What the person answered: go ahead, with this reason (``None``: none given)."""

    reason: str | None


def at_terminal() -> bool:
    """Whether a person can answer: stdin is a terminal, and no batch is running (its
    lines are read from a file, and its transaction waits for nobody)."""
    from chainlead.cli.runtime import GLOBALS

    return sys.stdin.isatty() and GLOBALS.batch is None


def confirm_archive(code: str, name: str, reason: str | None) -> Answer | None:
    """Ask for the reason (unless given) and for confirmation; ``None`` when the
    person declines. Refused (``--yes``) without a terminal."""
    from chainlead.errors import InvalidInput
    from chainlead.render.output import message
    from chainlead.values import check_text
    from chainlead.vocabulary import TEXT_MAX

    if not at_terminal():
        raise InvalidInput(
            "--yes",
            _("archiving a chain asks for confirmation at a terminal; give --yes to archive it"),
        )
    if reason is None:
        given = typer.prompt(
            _("Why is chain {code} archived? (kept in its history; Enter for no reason)").format(
                code=code
            ),
            default="",
            show_default=False,
            err=True,
        )
        reason = check_text("--why", given.strip() or None, max_len=TEXT_MAX)
    question = _(
        "Archive chain {code} {name}? Its records stay; it takes no new items or meetings."
    ).format(code=code, name=name)
    if not typer.confirm(question, default=False, err=True):
        message(_("nothing archived: chain {code} stays active").format(code=code))
        return None
    return Answer(reason)


def refuse_without_terminal() -> None:
    """``undo`` asks before it undoes: without a terminal only ``--yes`` answers."""
    from chainlead.errors import InvalidInput

    if not at_terminal():
        raise InvalidInput(
            "--yes", _("undo asks for confirmation at a terminal; give --yes to undo")
        )


def confirm_undo(change_id: int) -> bool:
    """Ask whether to undo change ``change_id``; refused (``--yes``) without a terminal."""
    refuse_without_terminal()
    return typer.confirm(_("Undo change {id}?").format(id=change_id), default=False, err=True)


def confirm_bulk(question: str) -> bool:
    """Ask whether to change the items just shown (``chainlead.cli.bulk``); no by default.

    Only asked at a terminal: ``bulk.pick`` refuses without one unless ``--yes``.
    """
    return typer.confirm(question, default=False, err=True)
