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
from chainlead.i18n import N_, _, current_lang, pgettext
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
from chainlead.render.words import (
    event_word,
    kind_word,
    labels,
    light_word,
    limit_words,
    priority_word,
    relation_word,
    result_word,
    role_word,
    source_word,
    state_word,
    status_word,
)


def light_text(value: str) -> Text:
    """The light as a word, coloured where colour is available."""
    return Text(light_word(value), style=LIGHT_STYLES.get(value, ""))


def folded(value: str | None) -> Text:
    """Long words (and unbroken CJK runs) fold onto the next line, never cut off."""
    return Text(value or "", overflow="fold")


def status_text(value: str) -> Text:
    return Text(status_word(value))


def limit_text(days: int, *, done: bool = False) -> Text:
    """Days over (positive) or left (negative) of the time limit, in words; how early
    or late a resolved item (``done``) was resolved."""
    return Text(limit_words(days, done=done), style="red" if days > 0 else "")


ITEM_COLUMNS = (
    Column("key", "Key", no_wrap=True),
    Column("light", "Light", draw=light_text, no_wrap=True),
    Column("level", "Level", justify="right", no_wrap=True),  # the supervision ladder
    Column("status", "Status", draw=status_text, no_wrap=True),
    Column("priority", "Priority", no_wrap=True),
    Column("due_on", "Due", no_wrap=True),
    Column("days_over", "Days over/left", justify="right", draw=limit_text, no_wrap=True),
    Column("title", "Title", draw=folded),
    Column("unit", N_("Unit"), draw=folded),
    Column("owner", "Owner", no_wrap=True),  # a name never folds
)
# Room a text column needs at the least; below it the column is left out.
MIN_WIDTHS = {"title": 16, "unit": 10}
# Columns given up, in this order, when the terminal is too narrow for all: what
# a team member acts on first (key, light, days over, title) stays.
DROP_ORDER = ("owner", "level", "priority", "due_on", "unit", "status")

# The list's headings, as the reports name them (``render.labels``).
HEADINGS = {
    "key": "key",
    "light": "light",
    "level": "level",
    "status": "status",
    "priority": "xlsx_priority",
    "due_on": "due",
    "days_over": "time_limit",
    "title": "sheet_item_title",
    "owner": "owner",
}  # (the unit's is its own: "Unit" where the reports say "Responsible unit")

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
# (cached by language too: a process may draw in both)
_light_cell = lru_cache(maxsize=None)(lambda value, lang: light_text(value))
_limit_cell = lru_cache(maxsize=4096)(lambda days, lang: limit_text(days))
LIST_CELLS: dict[str, Callable[[Any], Cell]] = {
    "light": lambda value: _light_cell(value, current_lang()),
    "status": status_word,
    "priority": priority_word,
    "days_over": lambda days: _limit_cell(days, current_lang()),
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

    def __init__(self, rows: Sequence[ItemRow], *, title: str = N_("Bottleneck items")) -> None:
        self.rows = rows
        self.title = _(title)
        self.cells: dict[str, list[Cell]] = {
            c.field: list(map(LIST_CELLS.get(c.field, _plain), map(attrgetter(c.field), rows)))
            for c in ITEM_COLUMNS
        }
        self.cells["days_over"] = [  # a resolved item's: how early or late it was resolved
            limit_text(row.days_over, done=True) if row.resolved_on else shown
            for row, shown in zip(rows, self.cells["days_over"], strict=True)
        ]

    def _table(self, columns: Sequence[Column]) -> LongTable:
        table = LongTable(title=self.title, title_style="italic", box=box.SIMPLE_HEAD)
        words = labels()
        for column in columns:
            table.add_column(
                words(HEADINGS[column.field]) if column.field in HEADINGS else _(column.header),
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
        print_rows(rows, CSV_COLUMNS, fmt, empty=_("no items match"), excel=excel)


# The item fields an ``edited`` event names, as a person calls them.
FIELD_WORDS = {
    "title": N_("title"),
    "due_on": N_("time limit"),
    "unit": N_("unit"),
    "owner": N_("owner"),
    "priority": N_("priority"),
    "enterprise": N_("enterprise"),
    "category": N_("category"),
    "source": N_("source"),
    "detail": N_("detail"),
    "raised_on": N_("raised on"),
    "link": N_("link"),
    "project": N_("project"),
    "reference": N_("reference"),
}


def field_word(field: str | None) -> str:
    """An item field as a person calls it (``due_on``: time limit)."""
    if field is None:
        return ""
    return _(FIELD_WORDS[field]) if field in FIELD_WORDS else field.replace("_", " ")


def _value(field: str | None, value: str | None) -> str:
    """An edited field's old or new value as shown: words for priorities and sources."""
    if not value:
        return _("(empty)")
    if field == "priority":
        return priority_word(value)
    if field == "source":
        return source_word(value)
    return value


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
    if entry.kind == "undone":
        from chainlead.render.activity import undone_words

        return Text(undone_words(entry.text, entry.new))
    if entry.field == "status":
        return Text(
            _("{event}: {old} → {new}").format(
                event=event_word(entry.kind),
                old=status_word(entry.old) if entry.old else "?",
                new=status_word(entry.new or ""),
            )
        )
    if entry.kind == "edited":
        return (
            Text(_("edited {field}: ").format(field=field_word(entry.field)))
            + cell(_value(entry.field, entry.old))
            + Text(" → ")
            + cell(_value(entry.field, entry.new))
        )
    if entry.kind == "linked":
        return Text(
            _("linked: {relation} ").format(relation=relation_word(entry.field or ""))
        ) + cell(entry.meeting or entry.text)
    if entry.kind == "created":
        return Text(_("created (open)"))
    if entry.unit is not None and entry.field in ("lead", "co"):
        said = (_("({role}): {old} → {new}") if entry.old else _("({role}): {new}")).format(
            role=role_word(entry.field),
            old=state_word(entry.old or ""),
            new=state_word(entry.new or ""),
        )
        return cell(entry.unit) + Text(" " + said)
    if entry.field == "level":  # the supervision ladder: supervised, escalated, de-escalated
        return Text(
            _("{event}: level {old} → {new}").format(
                event=event_word(entry.kind), old=entry.old, new=entry.new
            )
        )
    return event_text(entry) or Text(event_word(entry.kind))


def _note(entry: ItemEvent) -> Text:
    if entry.kind in ("created", "linked", "undone"):
        return Text("")
    if entry.kind == "supervised":  # the ladder's rule, as recorded
        from chainlead.render.supervision import rule_words

        return cell(rule_words(entry.text))
    return cell(entry.text)


def _parts_table(detail: ItemDetail) -> LongTable:
    """The institutions the item is handed to, lead first: state, days, light."""
    words = labels()
    table = card_table(
        _("Institutions"),
        (
            words("unit"),
            words("sheet_role"),
            words("sheet_state"),
            words("owner"),
            words("due"),
            pgettext("column", "Days"),
            pgettext("column", "Receipt"),
            words("light"),
        ),
    )
    for part in detail.parts:
        receipt = (
            "-" if part.days_to_receipt is None else words("days_value", n=part.days_to_receipt)
        )
        state = Text(state_word(part.state))
        said = part.report or part.end_reason
        if part.suggested:
            said = _("{said} (suggests {unit})").format(said=said, unit=part.suggested)
        table.add_row(
            cell(part.unit),
            cell(role_word(part.role)),
            Text.assemble(state, "\n" if said else "", said or "", overflow="fold"),
            cell(part.owner or "-"),
            cell(part.due_on),
            cell(words("days_value", n=part.days_assigned)),
            cell(receipt),
            light_text(part.light),
        )
    return table


def item_card(detail: ItemDetail) -> Group:
    """Every field, the linked meetings and the whole history of one item."""
    words = labels()
    facts = facts_grid()
    light = light_text(detail.light)
    facts.add_row(_("Title"), cell(detail.title))
    facts.add_row(words("chain"), cell(detail.chain) + Text("  ") + cell(detail.chain_name))
    facts.add_row(words("status"), status_text(detail.status) + Text("  " + _("light: ")) + light)
    if detail.status_reason:
        facts.add_row(words("sheet_reason"), cell(detail.status_reason))
    facts.add_row(words("sheet_level"), level_text(detail.level))
    facts.add_row(words("xlsx_priority"), cell(priority_word(detail.priority)))
    facts.add_row(words("unit"), cell(detail.unit))
    facts.add_row(words("owner"), cell(detail.owner or "-"))
    raisers = detail.enterprises or ((detail.enterprise,) if detail.enterprise else ())
    facts.add_row(
        pgettext("item card", "Enterprises") if len(raisers) > 1 else words("enterprise"),
        cell("、".join(raisers) or "-"),
    )
    if detail.reference:
        facts.add_row(words("sheet_reference"), cell(detail.reference))
    facts.add_row(words("sheet_source"), cell(source_word(detail.source)))
    if detail.decision:
        origin = detail.decision
        facts.add_row(
            _("From decision"),
            cell(
                _("{meeting} no. {number}: {text}").format(
                    meeting=origin.meeting, number=origin.number, text=origin.text
                )
            ),
        )
    facts.add_row(words("sheet_category"), cell(detail.category or "-"))
    if detail.link:
        facts.add_row(words("sheet_link"), cell(detail.link))
    if detail.project:
        facts.add_row(words("sheet_project"), cell(detail.project))
    facts.add_row(words("sheet_raised_on"), cell(detail.raised_on))
    facts.add_row(
        words("sheet_due_on"),
        cell(detail.due_on)
        + Text("  ")
        + limit_text(detail.days_over, done=detail.resolved_on is not None)
        + due_note(detail),
    )
    add_fact_rows(detail, facts)
    facts.add_row(words("sheet_days_open"), cell(detail.days_open))
    if detail.resolved_on:
        facts.add_row(
            _("Resolved on"),
            cell(detail.resolved_on)
            + Text("  " + _("by {who}").format(who=detail.resolved_by or "?")),
        )
        facts.add_row(words("how"), cell(detail.resolution))
    if detail.closed_on:
        facts.add_row(
            _("Closed (signed off)"),
            cell(detail.closed_on) + Text("  " + _("by {who}").format(who=detail.closed_by or "?")),
        )
    if detail.detail:
        facts.add_row(words("sheet_detail"), cell(detail.detail))
    facts.add_row(_("Next steps"), Text(", ".join(detail.next_steps) or "-"))

    parts: list = [Panel(facts, title=Text(detail.key, style="bold"), title_align="left")]
    if detail.meetings:
        meetings = card_table(
            words("sheet_meetings"),
            (_("Meeting"), _("Kind"), _("Held on"), _("Relation")),
        )
        for link in detail.meetings:
            meetings.add_row(
                cell(link.key),
                cell(kind_word(link.kind)),
                cell(link.held_on),
                cell(relation_word(link.relation)),
            )
        parts.append(meetings)
    if detail.parts:
        parts.append(_parts_table(detail))
    extensions = extensions_table(detail)
    if extensions is not None:
        parts.append(extensions)
    if detail.follow_ups:
        asked = card_table(
            _("Follow-ups (回访)"),
            (
                words("sheet_enterprise"),
                words("sheet_asked_on"),
                words("sheet_result"),
                words("sheet_asked_by"),
                words("sheet_note"),
            ),
        )
        for f in detail.follow_ups:
            reopened = (
                " " + _("(reopened {day})").format(day=f.reopened_on.isoformat())
                if f.reopened_on
                else ""
            )
            asked.add_row(
                cell(f.enterprise or "-"),
                cell(f.asked_on),
                Text(result_word(f.result) + reopened),
                cell(f.by),
                cell(f.note),
            )
        parts.append(asked)

    history = card_table(
        words("sheet_history"),
        (words("sheet_when"), _("Who"), words("sheet_what"), words("sheet_note")),
        whole=(0, 1),
    )
    for entry in detail.history:
        history.add_row(cell(entry.at), cell(entry.actor), _what(entry), _note(entry))
    parts.append(history)
    return Group(*parts)


def item_changes(key: str, changes: Sequence[ItemEvent]) -> None:
    """What ``bottleneck edit`` changed, one line each (``IC-12: time limit old → new``),
    or that it changed nothing."""
    from chainlead.render.output import message

    if not changes:
        message(_("{key}: nothing changed").format(key=key))
    for change in changes:
        old, new = _value(change.field, change.old), _value(change.field, change.new)
        message(f"{key}: {field_word(change.field)} {old} → {new}")
