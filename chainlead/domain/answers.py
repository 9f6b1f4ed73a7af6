"""The text an enterprise's answer (回访) leaves in an item's history, and reading it back.

A sign-off or follow-up with an answer records ``enterprise ANSWER, asked by NAME``
(``: note`` after it when there is one) on the status event it makes: the ``closed``
event, or the ``reopened`` event an unsatisfied answer makes. Before schema 0006 that
text was the only record of the answer; the upgrade to it (migration 0006, which may
not import chainlead and keeps its own copy of ``answer_of``) and an import of a
format 1-3 snapshot (``chainlead.domain.backfill.follow_ups``) read it back.
"""

from __future__ import annotations

from chainlead.vocabulary import FEEDBACKS

_ASKED = ", asked by "


def said(answer: str, asker: str, note: str | None) -> str:
    """The history text of an answer given to ``asker``."""
    text = f"enterprise {answer}{_ASKED}{asker}"
    return f"{text}: {note}" if note else text


def answer_of(text: str | None) -> tuple[str, str | None] | None:
    """The answer and note of a sign-off event's text; None for any other text."""
    if not text or not text.startswith("enterprise ") or _ASKED not in text:
        return None
    answer = text[len("enterprise ") : text.index(_ASKED)]
    if answer not in FEEDBACKS:
        return None
    rest = text[text.index(_ASKED) + len(_ASKED) :]
    note = rest.split(": ", 1)[1] if ": " in rest else None
    return answer, note
