"""Enterprises for people: the enterprise list's columns and the enterprise card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from chainlead.render.items import ItemsTable, folded
from chainlead.render.output import Column, card_table, cell, facts_grid
from chainlead.render.units import rate_text

if TYPE_CHECKING:
    from chainlead.domain.enterprises import EnterpriseDetail


def _rate(rate: float | None) -> Text:
    return Text(rate_text(rate))


def _yes(value: bool) -> Text:
    return Text("yes" if value else "-")


ENTERPRISE_COLUMNS = (
    Column("name", "Enterprise", draw=folded),
    Column("short", "Short", draw=folded),
    Column("chains", "Chains", draw=folded),
    Column("above_scale", "Above scale", draw=_yes),
    Column("park", "Park", draw=folded),
    Column("credit_code", "Credit code", no_wrap=True),
    Column("demands", "Demands", justify="right"),
    Column("open", "Open", justify="right"),
    Column("satisfaction", "Satisfied", justify="right", draw=_rate),
)


# What a terminal shows (the CSV and JSON carry every field).
ENTERPRISE_TABLE = tuple(
    c
    for c in ENTERPRISE_COLUMNS
    if c.field in ("name", "chains", "demands", "open", "satisfaction")
)


def enterprise_card(detail: EnterpriseDetail) -> RenderableType:
    facts = facts_grid()
    facts.add_row("Name", cell(detail.name))
    facts.add_row("Short name", cell(detail.short))
    facts.add_row("Credit code", cell(detail.credit_code))
    facts.add_row("Above scale", _yes(detail.above_scale))
    facts.add_row("Park", cell(detail.park))
    facts.add_row("Contact", cell(detail.contact))
    chains = "; ".join(
        " ".join(p for p in (m.code, m.segment or "", "lead (链主)" if m.lead else "") if p)
        for m in detail.chains
    )
    facts.add_row("Chains", cell(chains or None))
    if detail.links:
        facts.add_row("Links", cell("; ".join(detail.links)))
    facts.add_row("Demands", cell(len(detail.demands)))
    facts.add_row(
        "Satisfied",
        Text(f"{rate_text(detail.satisfaction)} ({detail.satisfied} of {detail.asked} asked)"),
    )
    parts: list[RenderableType] = [
        Panel(facts, title=Text(detail.name, style="bold"), title_align="left")
    ]
    if detail.demands:
        parts.append(ItemsTable(detail.demands, title="Demands"))
    else:
        parts.append(Text("no demands yet"))
    if detail.follow_ups:
        table = card_table("Follow-ups", ("Item", "Asked on", "Result", "By", "Note"))
        for f in detail.follow_ups:
            result = f.result + (
                f" (reopened {f.reopened_on.isoformat()})" if f.reopened_on else ""
            )
            table.add_row(
                Text(f.item), Text(f.asked_on.isoformat()), Text(result), cell(f.by), cell(f.note)
            )
        parts.append(table)
    return Group(*parts)
