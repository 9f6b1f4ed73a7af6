"""People for people: the person list and the person card."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from rich.console import Group
from rich.panel import Panel
from rich.text import Text

from chainlead.i18n import N_, _, pgettext
from chainlead.render.output import Column, card_table, cell, facts_grid
from chainlead.render.translated import event_words, status_cell, word
from chainlead.render.words import access_word

if TYPE_CHECKING:
    from chainlead.domain.people import PersonDetail
    from chainlead.render.longtable import LongTable

PERSON_COLUMNS = (
    Column("name", N_("Name"), no_wrap=True),
    Column("unit", N_("Unit")),
    Column("title", N_("Title")),
    Column("contact", N_("Contact")),
    Column("roles", N_("Roles now")),
    Column("open_items", N_("Open items"), justify="right"),
)


def person_columns() -> tuple[Column, ...]:
    """``PERSON_COLUMNS`` with their headers in the process's language."""
    headers = (
        pgettext("person", "Name"),
        pgettext("person", "Unit"),
        pgettext("person", "Title"),
        pgettext("person", "Contact"),
        _("Roles now"),
        _("Open items"),
    )
    return tuple(
        dataclasses.replace(column, header=header)
        for column, header in zip(PERSON_COLUMNS, headers, strict=True)
    )


def person_card(detail: PersonDetail) -> Group:
    """One person: details, roles on each chain over time, open items owned, history."""
    facts = facts_grid()
    facts.add_row(pgettext("person", "Unit"), cell(detail.unit))
    facts.add_row(pgettext("person", "Title"), cell(detail.title))
    facts.add_row(pgettext("person", "Contact"), cell(detail.contact))

    roles = card_table(
        _("Roles"),
        (_("Chain"), _("Role"), pgettext("period", "From"), pgettext("period", "Until")),
    )
    for spell in detail.roles:
        roles.add_row(
            cell(spell.chain),
            cell(word("role", spell.role)),
            cell(spell.since),
            cell(spell.until) if spell.until else Text(_("now")),
        )

    items = card_table(_("Open items owned"), (_("Key"), _("Title"), _("Status"), _("Due")))
    for item in detail.open_items:
        items.add_row(cell(item.key), cell(item.title), status_cell(item.status), cell(item.due_on))

    history = card_table(
        _("History"), (_("When"), _("Who"), _("What"), _("On"), _("Old"), _("New"))
    )
    for entry in detail.history:
        if entry.kind == "undone":
            from chainlead.render.activity import undone_words

            history.add_row(
                cell(entry.at),
                cell(entry.actor),
                cell(undone_words(entry.text, entry.new)),
                cell(entry.item or entry.meeting or entry.chain),
            )
            continue
        what = event_words(entry.kind, entry.field)
        history.add_row(
            cell(entry.at),
            cell(entry.actor),
            cell(what),
            cell(entry.item or entry.meeting or entry.chain),
            cell(word("part", entry.old)),
            cell(word("part", entry.new) if entry.new is not None else entry.text),
        )
    shown: list[LongTable] = [t for t in (roles, items) if t.row_count] + [history]
    return Group(Panel(facts, title=Text(detail.name, style="bold"), title_align="left"), *shown)


USER_COLUMNS = (
    Column("person", N_("Name"), no_wrap=True),
    Column("login", N_("Login"), no_wrap=True),
    Column("role", N_("Grant"), draw=lambda role: Text(access_word(role) if role else "")),
    Column("chain", N_("Chain")),
    Column("unit", N_("Institution")),
)


def user_columns() -> tuple[Column, ...]:
    """``USER_COLUMNS`` with their headers in the process's language."""
    headers = (
        pgettext("person", "Name"),
        _("Login"),
        _("Grant"),
        _("Chain"),
        _("Institution"),
    )
    return tuple(
        dataclasses.replace(column, header=header)
        for column, header in zip(USER_COLUMNS, headers, strict=True)
    )
