"""Bottleneck items for people: the list's columns, the light word, the item card.

Lights are drawn as words (``red``, ``yellow``, ``green``, ``on time``,
``late``) with a colour on top, so they read the same with ``NO_COLOR``, in a
pipe and on a black-and-white printout. User text is never read as markup:
``Text`` in cards, ``Text`` or plain strings in the list (``render.longtable``
draws strings as they are).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from operator import attrgetter
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.text import Text

from chainlead.domain.views import ItemDetail, ItemEvent, ItemRow
from chainlead.render.formats import Format
from chainlead.render.levels import level_cell, level_text
from chainlead.render.longtable import Cell, LongTable
from chainlead.render.output import (
    LIGHT_STYLES,
    Column,
    card_table,
    cell,
    facts_grid,
    print_long,
    print_rows,
)
from chainlead.render.time_limits import add_fact_rows, due_note, event_text, extensions_table

LIGHT_WORDS = {"on_time": "on time", "none": "-"}


def light_text(value: str) -> Text:
    """The light as a word, coloured where colour is available."""
    return Text(LIGHT_WORDS.get(value, value), style=LIGHT_STYLES.get(value, ""))


def folded(value: str | None) -> Text:
    """Long words (and unbroken CJK runs) fold onto the next line, never cut off."""
    return Text(value or "", overflow="fold")


def status_text(value: str) -> Text:
    return Text(value.replace("_", " "))


def limit_text(days: int) -> Text:
    """Days over (positive) or under (negative) the time limit, in words."""
    if days > 0:
        return Text(f"{days}d over", style="red")
    if days < 0:
        return Text(f"{-days}d under")
    return Text("on the day")


ITEM_COLUMNS = (
    Column("key", "Key", no_wrap=True),
    Column("light", "Light", draw=light_text, no_wrap=True),
    Column("level", "Level", justify="right", no_wrap=True),  # the supervision ladder
    Column("status", "Status", draw=status_text, no_wrap=True),
    Column("priority", "Priority", no_wrap=True),
    Column("due_on", "Due", no_wrap=True),
    Column("days_over", "Days over/left", justify="right", draw=limit_text, no_wrap=True),
    Column("title", "Title", draw=folded),
    Column("unit", "Unit", draw=folded),
    Column("owner", "Owner", no_wrap=True),  # a name never folds
)
# Room a text column needs at the least; below it the column is left out.
MIN_WIDTHS = {"title": 16, "unit": 10}
# Columns given up, in this order, when the terminal is too narrow for all: what
# a team member acts on first (key, light, days over, title) stays.
DROP_ORDER = ("owner", "level", "priority", "due_on", "unit", "status")

# CSV carries every field of a row, in the dataclass order.
CSV_COLUMNS = tuple(Column(f.name, f.name) for f in dataclasses.fields(ItemRow))


def _plain(value: object) -> str:
    """A list cell without a style: a date in ISO form, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# How the list draws each field, when not as plain text: one ``Text`` for each
# light and each number of days, shared by every row that has it.
LIST_CELLS: dict[str, Callable[[Any], Cell]] = {
    "light": lru_cache(maxsize=None)(light_text),
    "status": lambda value: value.replace("_", " "),
    "days_over": lru_cache(maxsize=4096)(limit_text),
    "level": level_cell,
}


class ItemsTable:
    """The list for people, fitted to the width it is drawn at.

    Fixed columns (key, light, status, dates) are never cut; the text columns
    take what is left, the widest giving up room first, and fold long words
    (``render.longtable``). When the terminal is too narrow for every column
    at the least room it needs (``MIN_WIDTHS``), the least needed columns are
    left out (``DROP_ORDER``); ``--json``/``--csv`` always carry every field.
    """

    def __init__(self, rows: Sequence[ItemRow], *, title: str = "Bottleneck items") -> None:
        self.rows = rows
        self.title = title
        self.cells: dict[str, list[Cell]] = {
            c.field: list(map(LIST_CELLS.get(c.field, _plain), map(attrgetter(c.field), rows)))
            for c in ITEM_COLUMNS
        }

    def _table(self, columns: Sequence[Column]) -> LongTable:
        table = LongTable(title=self.title, title_style="italic", box=box.SIMPLE_HEAD)
        for column in columns:
            table.add_column(
                column.header,
                justify=column.justify,  # type: ignore[arg-type]
                no_wrap=column.no_wrap,
                min_width=MIN_WIDTHS.get(column.field),
            )
        table.add_rows(zip(*[self.cells[c.field] for c in columns], strict=True))
        return table

    def table(self, width: int) -> LongTable:
        """The list drawn ``width`` cells wide: every column that fits."""
        columns = list(ITEM_COLUMNS)
        for field in DROP_ORDER:
            table = self._table(columns)
            if table.least_width() <= width:
                return table
            columns = [c for c in columns if c.field != field]
        return self._table(columns)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.table(options.max_width)


def print_items(
    rows: Sequence[ItemRow], fmt: Format, *, excel: bool = False, page: int | None = None
) -> None:
    """The item list in the chosen format (JSON: whole rows; CSV: every field,
    for Excel with ``excel``); for people at most ``page`` rows, and a count
    line (``render.pages``)."""
    if fmt is Format.table and rows:
        print_long(paged_items(rows, page))
    else:
        print_rows(rows, CSV_COLUMNS, fmt, empty="no items match", excel=excel)


def paged_items(rows: Sequence[ItemRow], size: int | None) -> Group:
    """The list for people: its first ``size`` rows (all with None), how many
    more there are, and its items counted by light."""
    from chainlead.render.pages import count_line, more_line, page

    shown, more = page(rows, size)
    parts: list[RenderableType] = [ItemsTable(shown)]
    if more:
        parts.append(Text(more_line(more)))
    parts.append(Text(count_line(row.light for row in rows)))
    return Group(*parts)


def _what(entry: ItemEvent) -> Text:
    """One history entry's change in words."""
    if entry.field == "status":
        return Text(f"{entry.kind}: {entry.old or '?'} → {entry.new}")
    if entry.kind == "edited":
        return (
            Text(f"edited {entry.field}: ")
            + cell(entry.old or "(empty)")
            + Text(" → ")
            + cell(entry.new or "(empty)")
        )
    if entry.kind == "linked":
        return Text(f"linked: {entry.field} at ") + cell(entry.meeting or entry.text)
    if entry.kind == "created":
        return Text("created (open)")
    if entry.unit is not None and entry.field in ("lead", "co"):
        was = f"{entry.old} → " if entry.old else ""
        return cell(entry.unit) + Text(f" ({entry.field}): {was}{entry.new}")
    if entry.field == "level":  # the supervision ladder: supervised, escalated, de-escalated
        return Text(f"{entry.kind}: level {entry.old} → {entry.new}")
    return event_text(entry) or Text(entry.kind)


def _note(entry: ItemEvent) -> Text:
    if entry.kind in ("created", "linked"):
        return Text("")
    return cell(entry.text)


def _parts_table(detail: ItemDetail) -> LongTable:
    """The institutions the item is handed to, lead first: state, days, light."""
    table = card_table(
        "Institutions", ("Unit", "Role", "State", "Owner", "Due", "Days", "Receipt", "Light")
    )
    for part in detail.parts:
        receipt = "-" if part.days_to_receipt is None else f"{part.days_to_receipt}d"
        state = status_text(part.state)
        said = part.report or part.end_reason
        if part.suggested:
            said = f"{said} (suggests {part.suggested})"
        table.add_row(
            cell(part.unit),
            cell(part.role),
            Text.assemble(state, "\n" if said else "", said or "", overflow="fold"),
            cell(part.owner or "-"),
            cell(part.due_on),
            cell(f"{part.days_assigned}d"),
            cell(receipt),
            light_text(part.light),
        )
    return table


def item_card(detail: ItemDetail) -> Group:
    """Every field, the linked meetings and the whole history of one item."""
    facts = facts_grid()
    light = light_text(detail.light)
    facts.add_row("Title", cell(detail.title))
    facts.add_row("Chain", cell(detail.chain) + Text("  ") + cell(detail.chain_name))
    facts.add_row("Status", status_text(detail.status) + Text("  light: ") + light)
    if detail.status_reason:
        facts.add_row("Reason", cell(detail.status_reason))
    facts.add_row("Supervision level", level_text(detail.level))
    facts.add_row("Priority", cell(detail.priority))
    facts.add_row("Responsible unit", cell(detail.unit))
    facts.add_row("Owner", cell(detail.owner or "-"))
    raisers = detail.enterprises or ((detail.enterprise,) if detail.enterprise else ())
    facts.add_row(
        "Enterprises" if len(raisers) > 1 else "Enterprise", cell("、".join(raisers) or "-")
    )
    if detail.reference:
        facts.add_row("Reference", cell(detail.reference))
    facts.add_row("Source", cell(detail.source))
    if detail.decision:
        origin = detail.decision
        facts.add_row("From decision", cell(f"{origin.meeting} no. {origin.number}: {origin.text}"))
    facts.add_row("Category", cell(detail.category or "-"))
    if detail.link:
        facts.add_row("Link", cell(detail.link))
    if detail.project:
        facts.add_row("Project", cell(detail.project))
    facts.add_row("Raised on", cell(detail.raised_on))
    facts.add_row(
        "Due (time limit)",
        cell(detail.due_on) + Text("  ") + limit_text(detail.days_over) + due_note(detail),
    )
    add_fact_rows(detail, facts)
    facts.add_row("Days open", cell(detail.days_open))
    if detail.resolved_on:
        facts.add_row(
            "Resolved on",
            cell(detail.resolved_on) + Text(f"  by {detail.resolved_by or '?'}"),
        )
        facts.add_row("How resolved", cell(detail.resolution))
    if detail.closed_on:
        facts.add_row(
            "Closed (signed off)",
            cell(detail.closed_on) + Text("  by ") + cell(detail.closed_by or "?"),
        )
    if detail.detail:
        facts.add_row("Detail", cell(detail.detail))
    facts.add_row("Next steps", Text(", ".join(detail.next_steps) or "-"))

    parts: list = [Panel(facts, title=Text(detail.key, style="bold"), title_align="left")]
    if detail.meetings:
        meetings = card_table("Meetings", ("Meeting", "Kind", "Held on", "Relation"))
        for link in detail.meetings:
            meetings.add_row(
                cell(link.key), cell(link.kind), cell(link.held_on), cell(link.relation)
            )
        parts.append(meetings)
    if detail.parts:
        parts.append(_parts_table(detail))
    extensions = extensions_table(detail)
    if extensions is not None:
        parts.append(extensions)
    if detail.follow_ups:
        asked = card_table("Follow-ups (回访)", ("Enterprise", "Asked on", "Result", "By", "Note"))
        for f in detail.follow_ups:
            reopened = f" (reopened {f.reopened_on.isoformat()})" if f.reopened_on else ""
            asked.add_row(
                cell(f.enterprise or "-"),
                cell(f.asked_on),
                Text(f.result + reopened),
                cell(f.by),
                cell(f.note),
            )
        parts.append(asked)

    history = card_table("History", ("When (UTC)", "Who", "What", "Note"), whole=(0, 1))
    for entry in detail.history:
        history.add_row(cell(entry.at), cell(entry.actor), _what(entry), _note(entry))
    parts.append(history)
    return Group(*parts)
