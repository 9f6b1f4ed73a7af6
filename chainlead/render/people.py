"""People for people: the person list and the person card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.panel import Panel
from rich.text import Text

from chainlead.render.output import Column, card_table, cell, event_what, facts_grid

if TYPE_CHECKING:
    from chainlead.domain.people import PersonDetail
    from chainlead.render.longtable import LongTable

PERSON_COLUMNS = (
    Column("name", "Name", no_wrap=True),
    Column("unit", "Unit"),
    Column("title", "Title"),
    Column("contact", "Contact"),
    Column("roles", "Roles now"),
    Column("open_items", "Open items", justify="right"),
)


def person_card(detail: PersonDetail) -> Group:
    """One person: details, roles on each chain over time, open items owned, history."""
    facts = facts_grid()
    facts.add_row("Unit", cell(detail.unit))
    facts.add_row("Title", cell(detail.title))
    facts.add_row("Contact", cell(detail.contact))

    roles = card_table("Roles", ("Chain", "Role", "From", "Until"))
    for spell in detail.roles:
        roles.add_row(
            cell(spell.chain),
            cell(spell.role),
            cell(spell.since),
            cell(spell.until) if spell.until else Text("now"),
        )

    items = card_table("Open items owned", ("Key", "Title", "Status", "Due"))
    for item in detail.open_items:
        items.add_row(cell(item.key), cell(item.title), cell(item.status), cell(item.due_on))

    history = card_table("History", ("When (UTC)", "Who", "What", "On", "Old", "New"))
    for entry in detail.history:
        what = event_what(entry.kind, entry.field)
        history.add_row(
            cell(entry.at),
            cell(entry.actor),
            cell(what),
            cell(entry.item or entry.meeting or entry.chain),
            cell(entry.old),
            cell(entry.new if entry.new is not None else entry.text),
        )
    shown: list[LongTable] = [t for t in (roles, items) if t.row_count] + [history]
    return Group(Panel(facts, title=Text(detail.name, style="bold"), title_align="left"), *shown)
