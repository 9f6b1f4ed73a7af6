"""The supervision ladder for people: the steps due today, the items high on the ladder."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from chainlead.domain.supervision import Supervision
from chainlead.render.items import light_text
from chainlead.render.levels import level_text
from chainlead.render.output import cell


def supervision_view(found: Supervision) -> RenderableType | None:
    """The steps (and, checked, the items at level 3 or above) as tables; None when empty."""
    parts: list[RenderableType] = []
    if found.steps:
        title = "Steps recorded" if found.applied else "Steps due today"
        steps = Table(title=f"{title} ({found.today.isoformat()})", title_justify="left")
        steps.add_column("Key", header_style="bold", no_wrap=True)
        steps.add_column("Light", header_style="bold", no_wrap=True)
        steps.add_column("Red", header_style="bold", no_wrap=True, justify="right")
        steps.add_column("Step", header_style="bold", no_wrap=True)
        steps.add_column("Rule", header_style="bold", min_width=20, ratio=1)
        for step in found.steps:
            steps.add_row(
                cell(step.key),
                light_text(step.light),
                Text(f"{step.red_days}d" if step.red_days else "-"),
                Text(f"{step.old} → ") + level_text(step.new, english=False),
                cell(step.rule),
            )
        parts.append(steps)
    if found.high:
        high = Table(title="Open items at level 3 (督办函) or above", title_justify="left")
        for header in ("Key", "Level", "Due (clock)", "Title", "Unit"):
            high.add_column(header, header_style="bold", no_wrap=header not in ("Title", "Unit"))
        for row in found.high:
            high.add_row(
                cell(row.key),
                level_text(row.level),
                cell(row.clock_due),
                cell(row.title),
                cell(row.unit),
            )
        parts.append(high)
    return Group(*parts) if parts else None
