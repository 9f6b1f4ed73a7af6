"""The supervision ladder for people: the steps due today, the items high on the ladder.

Drawn as long tables (``render.longtable``): the first run on a large district
may list tens of thousands of steps.
"""

from __future__ import annotations

from functools import lru_cache

from rich import box
from rich.console import Group
from rich.text import Text

from chainlead.domain.supervision import Supervision
from chainlead.render.levels import level_text
from chainlead.render.longtable import Cell, LongTable
from chainlead.render.output import LIGHT_STYLES


@lru_cache(maxsize=16)
def _light(value: str) -> Text:
    return Text(value, style=LIGHT_STYLES.get(value, ""))


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
    if found.steps:
        title = "Steps recorded" if found.applied else "Steps due today"
        steps = _table(f"{title} ({found.today.isoformat()})")
        steps.add_column("Key", no_wrap=True)
        steps.add_column("Light", no_wrap=True)
        steps.add_column("Red", no_wrap=True, justify="right")
        steps.add_column("Step", no_wrap=True)
        steps.add_column("Rule", min_width=20, ratio=1)
        rows: list[list[Cell]] = [
            [
                step.key,
                _light(step.light),
                f"{step.red_days}d" if step.red_days else "-",
                _step(step.old, step.new),
                step.rule,
            ]
            for step in found.steps
        ]
        steps.add_rows(rows)
        parts.append(steps)
    if found.high:
        high = _table("Open items at level 3 (督办函) or above")
        high.add_column("Key", no_wrap=True)
        high.add_column("Level", no_wrap=True)
        high.add_column("Due (clock)", no_wrap=True)
        high.add_column("Title", min_width=15, ratio=2)
        high.add_column("Unit", min_width=8, ratio=1)
        high.add_rows(
            [row.key, _level(row.level), row.clock_due.isoformat(), row.title, row.unit]
            for row in found.high
        )
        parts.append(high)
    return Group(*parts) if parts else None
