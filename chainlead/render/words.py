"""The item screens' words for stored values, in the process's language.

A status, a light, a priority, a source, an assignment's role and state, an
extension's answer, a follow-up's result, a history event: stored in English
(the values ``--json`` and ``--csv`` carry), shown to people through the
report labels (``render.labels``), which the catalog translates. A value the
labels do not know is shown as stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from chainlead.i18n import current_lang
from chainlead.render.labels import MESSAGES, Labels, labels_for
from chainlead.render.output import Column


def labels() -> Labels:
    """The labels of the process's language."""
    return labels_for(current_lang())


def _word(prefix: str, value: str | None) -> str:
    if value is None:
        return ""
    return _cached_word(prefix, value, current_lang())


@lru_cache(maxsize=1024)  # a long list asks for the same few words on every row
def _cached_word(prefix: str, value: str, lang: str) -> str:
    name = f"{prefix}{value}"
    return labels_for(lang)(name) if name in MESSAGES else value.replace("_", " ")


def light_word(value: str) -> str:
    """``red``, ``on time``, ``-`` ... (红灯, 按期, —)."""
    return _word("light_", value)


def status_word(value: str) -> str:
    """An item's status: ``in progress`` (办理中)."""
    return _word("status_", value)


def state_word(value: str) -> str:
    """An assignment's state: ``received`` (已签收)."""
    return _word("sheet_state_", value)


def role_word(value: str) -> str:
    """An assignment's role: ``lead`` (牵头), ``co`` (配合)."""
    return _word("sheet_role_", value)


def access_word(value: str) -> str:
    """What a login may do: ``working team`` (工作专班)."""
    return _word("access_", value)


def priority_word(value: str) -> str:
    """``high`` (高)."""
    return _word("sheet_priority_", value)


def source_word(value: str) -> str:
    """Where an item was raised: ``breakfast meeting`` (早餐会)."""
    return _word("sheet_source_", value)


def kind_word(value: str) -> str:
    """A meeting's kind, the one word every list, card and document shows:
    ``Scheduling meeting`` (月度调度会)."""
    return _word("kind_", value)


def relation_word(value: str) -> str:
    """How a meeting is linked: ``raised at`` (提出于)."""
    return _word("sheet_relation_", value)


def result_word(value: str) -> str:
    """A follow-up's answer: ``basically satisfied`` (基本满意)."""
    return _word("sheet_result_", value)


def answer_word(value: str) -> str:
    """An extension request's state: ``approved`` (同意)."""
    return _word("sheet_limit_", value)


def event_word(kind: str) -> str:
    """A history event's kind: ``extension requested`` (申请延期)."""
    return _word("sheet_event_", kind)


def limit_words(days: int, *, done: bool = False) -> str:
    """Days over (positive) or left (negative) of the time limit: ``93 d over``; for a
    resolved item (``done``) how early or late it was resolved: ``3 d early``."""
    if done:
        if days > 0:
            return labels()("days_late", n=days)
        if days < 0:
            return labels()("days_early", n=-days)
        return labels()("on_the_day")
    if days > 0:
        return labels()("days_over", n=days)
    if days < 0:
        return labels()("days_left", n=-days)
    from chainlead.i18n import pgettext

    return pgettext("time limit", "on the day")


def headed(columns: Sequence[Column]) -> tuple[Column, ...]:
    """List columns whose headers (marked with ``N_``) read in the process's language."""
    from chainlead.i18n import _, pgettext

    def said(column: Column) -> str:
        if column.context:
            return pgettext(column.context, column.header)
        return _(column.header)

    return tuple(replace(c, header=said(c)) if c.header else c for c in columns)
