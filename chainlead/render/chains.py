"""Chains and teams for people: the chain card and the team table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.panel import Panel
from rich.text import Text

from chainlead.render.output import Column, card_table, cell, event_what, facts_grid
from chainlead.vocabulary import LEADER, RESPONSIBLE

if TYPE_CHECKING:
    from chainlead.domain.chain_views import ChainDetail, Member
    from chainlead.store.history import HistoryEntry

CHAIN_COLUMNS = (
    Column("code", "Code", no_wrap=True),
    Column("name", "Chain"),
    Column("leader", "Chain leader", no_wrap=True),
    Column("responsible", "Responsible", no_wrap=True),
    Column("team_size", "Team", justify="right"),
    Column("open_items", "Open items", justify="right"),
    Column("status", "Status"),
)

TEAM_COLUMNS = (
    Column("name", "Name", no_wrap=True),
    Column("role", "Role"),
    Column("unit", "Unit"),
    Column("title", "Title"),
    Column("contact", "Contact"),
    Column("since", "Since"),
)


def chain_card(detail: ChainDetail) -> Group:
    facts = facts_grid()
    facts.add_row("Code", cell(detail.code))
    facts.add_row("Name", cell(detail.name))
    facts.add_row("Status", cell(detail.status))
    facts.add_row("Chain leader", cell(detail.leader))
    facts.add_row("Responsible", cell(detail.responsible))
    facts.add_row("Team size", cell(detail.team_size))
    if detail.description:
        facts.add_row("Description", cell(detail.description))
    if detail.archived_on:
        facts.add_row("Archived on", cell(detail.archived_on))

    team = card_table("Working team", [c.header for c in TEAM_COLUMNS])
    for member in detail.team:
        team.add_row(*[cell(getattr(member, c.field)) for c in TEAM_COLUMNS])

    roles = card_table(
        "Chain leader and responsible person over time", ("Role", "Name", "From", "Until")
    )
    for spell in detail.roles:
        roles.add_row(
            cell(spell.role),
            cell(spell.name),
            cell(spell.since),
            cell(spell.until) if spell.until else Text("now"),
        )

    history = card_table("History", ("When (UTC)", "Who", "What", "Old", "New"))
    for entry in detail.history:
        what = event_what(entry.kind, entry.field)
        history.add_row(
            cell(entry.at),
            cell(entry.actor),
            cell(what),
            cell(entry.old),
            cell(_new_value(entry)),
        )
    title = Text(f"{detail.code}  ") + Text(detail.name, style="bold")
    return Group(Panel(facts, title=title, title_align="left"), team, roles, history)


def _new_value(entry: HistoryEntry) -> str | None:
    """The "New" cell: the new value; a handed-over role with its date and reason."""
    if entry.new is None:
        return entry.text
    if entry.kind in (LEADER, RESPONSIBLE) and entry.text:
        return f"{entry.new} ({entry.text})"
    return entry.new


def member_line(member: Member) -> str:
    return f"{member.name} ({member.role})"
