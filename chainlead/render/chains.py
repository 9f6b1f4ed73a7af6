"""Chains and teams for people: the chain card and the team table."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from rich.console import Group
from rich.panel import Panel
from rich.text import Text

from chainlead.i18n import N_, _, ngettext, pgettext
from chainlead.render.output import Column, card_table, cell, facts_grid
from chainlead.render.translated import event_words, word
from chainlead.vocabulary import LEADER, RESPONSIBLE

if TYPE_CHECKING:
    from chainlead.domain.chain_views import ChainDetail, Member
    from chainlead.store.history import HistoryEntry

CHAIN_COLUMNS = (
    Column("code", N_("Code"), no_wrap=True),
    Column("name", N_("Chain")),
    Column("leader", N_("Chain leader"), no_wrap=True),
    Column("responsible", N_("Responsible"), no_wrap=True),
    Column("members", N_("Members"), justify="right"),
    Column("open_items", N_("Open items"), justify="right"),
    Column("status", N_("Status"), draw=lambda status: cell(word("chain", status))),
)
# The CSV keeps the columns scripts read (team_size: the working team, without the
# chain leader) and adds members, the count the table and the card show.
CHAIN_CSV_COLUMNS = (
    *CHAIN_COLUMNS[:4],
    Column("team_size", N_("Team"), justify="right"),
    *CHAIN_COLUMNS[5:],
    CHAIN_COLUMNS[4],
)

TEAM_COLUMNS = (
    Column("name", N_("Name"), no_wrap=True),
    Column("role", N_("Role"), draw=lambda role: cell(word("role", role))),
    Column("unit", N_("Unit")),
    Column("title", N_("Title")),
    Column("contact", N_("Contact")),
    Column("since", N_("Since")),
)


def team_columns() -> tuple[Column, ...]:
    """``TEAM_COLUMNS`` with their headers in the process's language."""
    headers = (
        pgettext("person", "Name"),
        pgettext("person", "Role"),
        pgettext("person", "Unit"),
        pgettext("person", "Title"),
        pgettext("person", "Contact"),
        pgettext("person", "Since"),
    )
    return tuple(
        dataclasses.replace(column, header=header)
        for column, header in zip(TEAM_COLUMNS, headers, strict=True)
    )


def chain_card(detail: ChainDetail) -> Group:
    facts = facts_grid()
    facts.add_row(_("Code"), cell(detail.code))
    facts.add_row(pgettext("record", "Name"), cell(detail.name))
    facts.add_row(_("Status"), cell(word("chain", detail.status)))
    facts.add_row(_("Chain leader"), cell(detail.leader))
    facts.add_row(_("Responsible"), cell(detail.responsible))
    facts.add_row(_("Team size"), cell(team_count(detail)))
    if detail.description:
        facts.add_row(_("Description"), cell(detail.description))
    if detail.archived_on:
        facts.add_row(_("Archived on"), cell(detail.archived_on))
        if detail.archived_reason:
            facts.add_row(_("Reason archived"), cell(detail.archived_reason))

    team = card_table(_("Working team"), [c.header for c in team_columns()])
    for member in detail.team:
        team.add_row(
            *[
                c.draw(getattr(member, c.field)) if c.draw else cell(getattr(member, c.field))
                for c in TEAM_COLUMNS
            ]
        )

    roles = card_table(
        _("Chain leader and responsible person over time"),
        (_("Role"), _("Name"), pgettext("period", "From"), pgettext("period", "Until")),
    )
    for spell in detail.roles:
        roles.add_row(
            cell(word("role", spell.role)),
            cell(spell.name),
            cell(spell.since),
            cell(spell.until) if spell.until else Text(_("now")),
        )

    history = card_table(_("History"), (_("When"), _("Who"), _("What"), _("Old"), _("New")))
    for entry in detail.history:
        if entry.kind == "undone":
            from chainlead.render.activity import undone_words

            history.add_row(
                cell(entry.at), cell(entry.actor), cell(undone_words(entry.text, entry.new))
            )
            continue
        what = event_words(entry.kind, entry.field)
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


def team_count(detail: ChainDetail) -> str:
    """Everyone the card lists, and the working team among them (without the chain
    leader: the figure ``chain list`` and the reports give)."""
    if detail.members == detail.team_size:  # no chain leader on record
        return str(detail.members)
    return ngettext(
        "{n} member: the chain leader and {team} on the working team",
        "{n} members: the chain leader and {team} on the working team",
        detail.members,
    ).format(n=detail.members, team=detail.team_size)


def member_line(member: Member) -> str:
    return _("{name} ({role})").format(name=member.name, role=word("role", member.role))
