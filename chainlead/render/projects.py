"""Chain projects for people: the project list's columns and the project card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from chainlead.render.items import ItemsTable, folded, light_text
from chainlead.render.output import Column, card_table, cell, event_what, facts_grid

if TYPE_CHECKING:
    from chainlead.domain.projects import ProjectDetail


def _percent(value: int | None) -> Text:
    return Text("-" if value is None else f"{value}%")


def amount(value: str | None, unit: str | None) -> str:
    """An amount with its unit (``45 亿元``), or ``-``."""
    return "-" if value is None else f"{value} {unit or ''}".rstrip()


PROJECT_COLUMNS = (
    Column("key", "Key", no_wrap=True),
    Column("chain", "Chain", no_wrap=True),
    Column("title", "Project", draw=folded),
    Column("type", "Type", no_wrap=True),
    Column("type_zh", "Type", no_wrap=True),
    Column("status", "Status", no_wrap=True),
    Column("enterprise", "Enterprise", draw=folded),
    Column("link", "Link", draw=folded),
    Column("unit", "Institution", draw=folded),
    Column("owner", "Owner", no_wrap=True),
    Column("start_on", "Start", no_wrap=True),
    Column("end_on", "End", no_wrap=True),
    Column("planned_end_on", "Planned end", no_wrap=True),
    Column("investment", "Investment", justify="right"),
    Column("invested", "Invested", justify="right"),
    Column("investment_unit", "Unit", no_wrap=True),
    Column("percent", "Done", justify="right", draw=_percent),
    Column("expected", "Expected", justify="right", draw=_percent),
    Column("light", "Light", no_wrap=True, draw=light_text),
    Column("why", "Why", draw=folded),
)

# What a terminal shows (the CSV and JSON carry every field).
PROJECT_TABLE = tuple(
    c
    for c in PROJECT_COLUMNS
    if c.field
    in ("key", "title", "type_zh", "enterprise", "end_on", "percent", "expected", "light")
)


def project_card(detail: ProjectDetail) -> RenderableType:
    facts = facts_grid()
    facts.add_row("Project", Text(f"{detail.key}  {detail.title}"))
    facts.add_row("Chain", Text(f"{detail.chain} {detail.chain_name}"))
    facts.add_row("Type", Text(f"{detail.type} {detail.type_zh}"))
    status = detail.status
    if detail.finished_on:
        status += f" {detail.finished_on.isoformat()}"
    if detail.dropped_on:
        status += f" {detail.dropped_on.isoformat()}"
    facts.add_row("Status", Text(status))
    facts.add_row("Enterprise", cell(detail.enterprise))
    facts.add_row("Link", cell(detail.link))
    facts.add_row("Institution", cell(detail.unit))
    facts.add_row("Owner", cell(detail.owner))
    period = f"{detail.start_on.isoformat()} → {detail.end_on.isoformat()}"
    if detail.planned_end_on != detail.end_on:
        period += f" (first planned end {detail.planned_end_on.isoformat()})"
    facts.add_row("Plan", Text(period))
    facts.add_row("Investment", Text(amount(detail.investment, detail.investment_unit)))
    facts.add_row("Invested", Text(amount(detail.invested, detail.investment_unit)))
    progress = Text(f"{detail.percent}% done")
    if detail.expected is not None:
        progress.append(f", {detail.expected}% expected by today (序时进度)")
    facts.add_row("Progress", progress)
    facts.add_row("Light", light_text(detail.light) + Text(f"  {detail.why}"))
    if detail.note:
        facts.add_row("Note", cell(detail.note))
    parts: list[RenderableType] = [
        Panel(facts, title=Text(detail.key, style="bold"), title_align="left")
    ]
    if detail.milestones:
        table = card_table("Milestones", ("Milestone", "Due", "Done", "State"))
        for m in detail.milestones:
            style = "bold red" if m.state == "missed" else ""
            table.add_row(
                cell(m.title), cell(m.due_on), cell(m.done_on), Text(m.state, style=style)
            )
        parts.append(table)
    else:
        parts.append(Text("no milestones"))
    if detail.progress:
        table = card_table("Progress reports", ("As of", "Done", "Invested", "By", "Note"))
        for p in detail.progress:
            note = (p.note or "") + (f" (why lower: {p.why})" if p.why else "")
            table.add_row(
                cell(p.as_of), Text(f"{p.percent}%"), cell(p.invested), cell(p.by), cell(note)
            )
        parts.append(table)
    else:
        parts.append(Text("no progress reported yet"))
    if detail.items:
        parts.append(ItemsTable(detail.items, title="Items it raised"))
    if detail.history:
        table = card_table("History", ("At", "By", "What", "Change", "Note"))
        for e in detail.history:
            change = (
                f"{e.old or '(empty)'} → {e.new or '(empty)'}"
                if e.old is not None
                else (e.item or e.new or "")
            )
            table.add_row(
                cell(e.at),
                cell(e.actor),
                Text(event_what(e.kind.removeprefix("project_"), e.field)),
                cell(change),
                cell(e.text),
            )
        parts.append(table)
    return Group(*parts)
