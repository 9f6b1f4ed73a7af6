"""The supervision ladder for people: the steps due today, the items high on the ladder.

Drawn as long tables (``render.longtable``): the first run on a large district
may list tens of thousands of steps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from rich import box
from rich.console import Group
from rich.text import Text

from chainlead.domain.supervision import Supervision
from chainlead.i18n import _, current_lang, ngettext
from chainlead.render.levels import level_text
from chainlead.render.longtable import Cell, LongTable
from chainlead.render.output import LIGHT_STYLES
from chainlead.render.words import labels, light_word


@lru_cache(maxsize=16)
def _light(value: str, lang: str) -> Text:  # (cached by language: a process may draw both)
    return Text(light_word(value), style=LIGHT_STYLES.get(value, ""))


@lru_cache(maxsize=64)
def _step(old: int, new: int) -> Text:
    return Text(f"{old} → ") + level_text(new, english=False)


@lru_cache(maxsize=8)
def _level(level: int) -> Text:
    return level_text(level, english=False)


def _table(title: str) -> LongTable:
    return LongTable(title=title, title_style="italic", box=box.SIMPLE_HEAD)


def supervision_view(found: Supervision) -> Group | None:
    """The steps (and, checked, the items at level 3 or above) as tables; None when empty."""
    parts: list[LongTable] = []
    words = labels()
    lang = current_lang()
    if found.steps:
        title = (
            _("Steps recorded ({day})") if found.applied else _("Steps due today ({day})")
        ).format(day=found.today.isoformat())
        steps = _table(title)
        steps.add_column(words("key"), no_wrap=True)
        steps.add_column(words("light"), no_wrap=True)
        steps.add_column(words("red_days"), no_wrap=True, justify="right")
        steps.add_column(words("ladder_step"), no_wrap=True)
        steps.add_column(_("Rule"), min_width=20, ratio=1)
        rows: list[list[Cell]] = [
            [
                step.key,
                _light(step.light, lang),
                words("days_value", n=step.red_days) if step.red_days else "-",
                _step(step.old, step.new),
                rule_words(step.rule),
            ]
            for step in found.steps
        ]
        steps.add_rows(rows)
        parts.append(steps)
    if found.high:
        high = _table(_("Open items at level 3 (督办函) or above"))
        high.add_column(words("key"), no_wrap=True)
        high.add_column(words("level"), no_wrap=True)
        high.add_column(_("Due (clock)"), no_wrap=True)
        high.add_column(words("sheet_item_title"), min_width=15, ratio=2)
        high.add_column(words("unit"), min_width=8, ratio=1)
        high.add_rows(
            [row.key, _level(row.level), row.clock_due.isoformat(), row.title, row.unit]
            for row in found.high
        )
        parts.append(high)
    return Group(*parts) if parts else None


def _span(text: str) -> str:
    """``12 days`` or ``8 working days`` in the process's language."""
    number, _sep, unit = text.partition(" ")
    n = int(number) if number.isdigit() else 0
    if unit == "working days":
        return ngettext("{n} working day", "{n} working days", n).format(n=number)
    return ngettext("{n} day", "{n} days", n).format(n=number)


# The rules the ladder records (``domain.supervision``), read back to be said in the
# process's language; the stored text and ``--json`` keep the English.
_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"yellow: due today \(warning_days (\d+)\)"),
        lambda m: _("yellow: due today (warning_days {n})").format(n=m[1]),
    ),
    (
        re.compile(r"yellow: due in (\d+) days? \(warning_days (\d+)\)"),
        lambda m: ngettext(
            "yellow: due in {n} day (warning_days {warning})",
            "yellow: due in {n} days (warning_days {warning})",
            int(m[1]),
        ).format(n=m[1], warning=m[2]),
    ),
    (
        re.compile(r"yellow: not signed for by (\S+)"),
        lambda m: _("yellow: not signed for by {day}").format(day=m[1]),
    ),
    (
        re.compile(r"red: (\d+) days? over the time limit"),
        lambda m: ngettext(
            "red: {n} day over the time limit", "red: {n} days over the time limit", int(m[1])
        ).format(n=m[1]),
    ),
    (
        re.compile(r"red for (\d+ (?:working )?days) \(≥ (\d+ (?:working )?days), (\w+)\)"),
        lambda m: _("red for {span} (≥ {limit}, {setting})").format(
            span=_span(m[1]), limit=_span(m[2]), setting=m[3]
        ),
    ),
    (
        re.compile(r"red a second time \(red spell (\d+), (\d+) days? over the time limit\)"),
        lambda m: ngettext(
            "red a second time (red spell {spell}, {n} day over the time limit)",
            "red a second time (red spell {spell}, {n} days over the time limit)",
            int(m[2]),
        ).format(spell=m[1], n=m[2]),
    ),
)


def rule_words(rule: str | None) -> str:
    """A ladder rule as recorded, in the process's language (as recorded when unknown)."""
    if not rule or current_lang() == "en":
        return rule or ""
    for pattern, said in _RULES:
        found = pattern.fullmatch(rule)
        if found:
            return said(found)
    return rule
