"""Institutions for people: the unit list's columns and the unit card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from chainlead.render.items import ItemsTable, folded
from chainlead.render.output import Column, cell, facts_grid

if TYPE_CHECKING:
    from chainlead.domain.units import UnitDetail

UNIT_COLUMNS = (
    Column("name", "Institution", draw=folded),
    Column("short", "Short", draw=folded),
    Column("kind", "Kind", no_wrap=True),
    Column("contact", "Contact", draw=folded),
    Column("open", "Open", justify="right"),
    Column("overdue", "Overdue", justify="right"),
    Column("resolved", "Resolved", justify="right"),
)


def rate_text(rate: float | None) -> str:
    """The on-time rate as a percentage, ``-`` when nothing was resolved yet."""
    return "-" if rate is None else f"{rate * 100:.1f}%"


def unit_card(detail: UnitDetail) -> RenderableType:
    facts = facts_grid()
    facts.add_row("Name", cell(detail.name))
    facts.add_row("Short name", cell(detail.short))
    facts.add_row("Kind", cell(detail.kind))
    facts.add_row("Contact", cell(detail.contact))
    facts.add_row("Open", cell(detail.open))
    facts.add_row("Overdue", cell(detail.overdue))
    facts.add_row("Resolved", cell(detail.resolved))
    facts.add_row(
        "On time",
        Text(f"{rate_text(detail.on_time_rate)} ({detail.resolved_on_time} of {detail.resolved})"),
    )
    if detail.parts:
        facts.add_row(
            "Parts in items",
            Text(", ".join(f"{n} {state}" for state, n in sorted(detail.parts.items()))),
        )
        facts.add_row("Returned", cell(detail.parts.get("returned", 0)))
    facts.add_row("Extensions", cell(detail.extensions))
    facts.add_row(
        "On time (first limit)",
        Text(
            f"{rate_text(detail.on_time_original_rate)} "
            f"({detail.resolved_on_time_original} of {detail.resolved})"
        ),
    )
    found = detail.satisfaction
    facts.add_row(
        "Satisfaction",
        Text(
            f"{rate_text(found.rate)} ({found.satisfied} of {found.asked} follow-ups satisfied)"
            if found.asked
            else "- (no follow-ups yet)"
        ),
    )
    title = Text(detail.name, style="bold")
    if not detail.items:
        return Group(Panel(facts, title=title, title_align="left"), Text("no open items"))
    return Group(
        Panel(facts, title=title, title_align="left"), ItemsTable(detail.items, title="Open items")
    )
