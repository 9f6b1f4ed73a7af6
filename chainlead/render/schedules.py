"""Meeting entries for people: the list's columns, the meeting card, the agenda.

Everything here draws plain data from ``chainlead.domain.schedule_views``; user
text is always ``Text`` (never markup), lights are words as in
``render.items``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import zip_longest

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from chainlead.domain.fulfilment import rate_text
from chainlead.domain.schedule_views import (
    Agenda,
    AgendaItem,
    Decision,
    MeetingChange,
    MeetingDetail,
    MeetingSummary,
    MissingMeeting,
)
from chainlead.i18n import N_, _, pgettext
from chainlead.render.formats import Format
from chainlead.render.longtable import LongTable
from chainlead.render.output import Column, cell, facts_grid, print_rows
from chainlead.render.translated import field_word, fill, relation_word
from chainlead.render.translated import light_cell as light_text
from chainlead.render.translated import status_cell as status_text
from chainlead.render.words import headed, kind_word

MEETING_COLUMNS = (
    Column("key", N_("ID"), no_wrap=True),
    Column("kind", N_("Kind"), no_wrap=True),
    Column("held_on", N_("Held on"), no_wrap=True),
    Column("chair", N_("Chair"), no_wrap=True),
    Column("decisions", N_("Decisions"), justify="right"),
    Column("items", N_("Items")),
)


@dataclass(frozen=True)
class _MeetingLine:
    """A list row as people read it (the month is the held-on date's; counts in words)."""

    key: str
    kind: str
    held_on: date
    chair: str | None
    decisions: int
    items: str


def _items_words(raised: int, discussed: int) -> str:
    if raised and discussed:
        return _("{raised} raised, {discussed} discussed").format(
            raised=raised, discussed=discussed
        )
    if raised:
        return _("{n} raised").format(n=raised)
    if discussed:
        return _("{n} discussed").format(n=discussed)
    return "-"


def print_meetings(rows: Sequence[MeetingSummary], fmt: Format) -> None:
    """The meeting list: a table for people, every field for JSON and CSV."""
    if fmt is not Format.table:
        columns = tuple(Column(f.name, f.name) for f in dataclasses.fields(MeetingSummary))
        print_rows(rows, columns, fmt)
        return
    lines = [
        _MeetingLine(
            key=r.key,
            kind=kind_word(r.kind),
            held_on=r.held_on,
            chair=r.chair,
            decisions=r.decisions,
            items=_items_words(r.raised, r.discussed),
        )
        for r in rows
    ]
    print_rows(
        lines,
        headed(MEETING_COLUMNS),
        fmt,
        title=_("Meetings"),
        empty=_("no meetings recorded"),
        long=True,
    )


MISSING_COLUMNS = (
    Column("chain", N_("Code"), no_wrap=True),
    Column("name", N_("Chain")),
    Column("leader", N_("Chain leader"), no_wrap=True),
    Column("responsible", N_("Responsible"), no_wrap=True),
    Column("last_meeting", N_("Last meeting"), no_wrap=True),
    Column("last_held_on", N_("Held on"), no_wrap=True),
)


def missing_columns(fmt: Format) -> tuple[Column, ...]:
    """Table columns for people; CSV carries every field, in the dataclass order."""
    if fmt is Format.csv:
        return tuple(Column(f.name, f.name) for f in dataclasses.fields(MissingMeeting))
    return headed(MISSING_COLUMNS)


def _section(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Text]],
    drop: Sequence[int | None] = (),
) -> LongTable:
    """A titled list of a card: drawn row by row, as an agenda may list thousands;
    ``drop``: each column's order to be left out where the terminal is narrow."""
    table = LongTable(title=title, title_style="italic", box=box.SIMPLE_HEAD)
    for header, order in zip_longest(headers, drop[: len(headers)]):
        table.add_column(header, drop=order)
    table.add_rows(rows)
    return table


def _none(title: str) -> Text:
    return Text(_("{title}: none").format(title=title), style="dim")


def _change(entry: MeetingChange) -> Text:
    """One history entry's change in words."""
    if entry.kind == "created":
        text = fill(_("created {what}"), what=entry.new)
    elif entry.kind == "edited":
        text = fill(
            _("edited {field}: {old} → {new}"),
            field=field_word(entry.field) if entry.field else "",
            old=entry.old or _("(empty)"),
            new=entry.new or _("(empty)"),
        )
    elif entry.kind == "linked":
        relation = relation_word(entry.field)
        text = fill(_("linked {item} as {relation}"), item=entry.item, relation=relation)
    elif entry.kind == "unlinked":
        relation = relation_word(entry.field)
        text = fill(_("unlinked {item} ({relation})"), item=entry.item, relation=relation)
    elif entry.kind == "decision_action":
        text = fill(_("action {item} made of {decision}"), item=entry.item, decision=entry.text)
    else:
        text = Text(entry.kind + ": ") + cell(entry.text or entry.new)
    if entry.kind in ("edited", "unlinked") and entry.text:
        reason = entry.text.split(": ", 1)[1] if entry.kind == "unlinked" else entry.text
        if entry.kind == "edited" or ": " in entry.text:
            text += Text(" — ") + cell(reason)
    return text


def _actions_cell(decision: Decision) -> Text:
    """A decision's actions, one a line: key, unit, status and light."""
    if not decision.actions:
        return Text(_("no action yet"), style="dim")
    text = Text()
    for n, action in enumerate(decision.actions):
        if n:
            text.append("\n")
        text += (
            cell(action.key)
            + Text("  ")
            + cell(action.unit)
            + Text("  ")
            + status_text(action.status)
            + Text("  ")
            + light_text(action.light)
        )
    return text


def _decisions_section(title: str, decisions: Sequence[Decision]) -> LongTable:
    """Decisions with their actions and whether each is fulfilled."""
    return _section(
        title,
        ("#", _("Decision"), _("Actions (key, unit, status, light)"), _("Fulfilled")),
        [
            (
                Text(str(d.number)),
                cell(d.text),
                _actions_cell(d),
                Text(_("yes") if d.fulfilled else _("no")),
            )
            for d in decisions
        ],
    )


def meeting_card(detail: MeetingDetail) -> Group:
    """``schedule show``: the entry, its decisions, figures, linked items, history."""
    facts = facts_grid()
    facts.add_row(_("Chain"), cell(detail.chain) + Text("  ") + cell(detail.chain_name))
    facts.add_row(_("Kind"), cell(kind_word(detail.kind)))
    facts.add_row(_("Month"), cell(detail.month))
    facts.add_row(_("Held on"), cell(detail.held_on))
    facts.add_row(_("Chair"), cell(detail.chair))
    facts.add_row(
        _("Attendees"), cell(", ".join(detail.attendees)) if detail.attendees else cell("")
    )
    if detail.summary:
        facts.add_row(_("Summary"), cell(detail.summary))
    title = _("{key}  {kind}").format(key=detail.key, kind=kind_word(detail.kind))
    parts: list[RenderableType] = [Panel(facts, title=Text(title), title_align="left")]
    if any(d.actions for d in detail.decision_actions):
        parts.append(_decisions_section(_("Decisions"), detail.decision_actions))
    elif detail.decisions:
        parts.append(
            _section(
                _("Decisions"),
                ("#", _("Decision")),
                [(Text(str(n)), cell(d)) for n, d in enumerate(detail.decisions, start=1)],
            )
        )
    if detail.decisions and detail.fulfilment is not None:
        parts.append(
            Text(
                _("Fulfilment rate (决议落实率): {rate}").format(rate=rate_text(detail.fulfilment))
            )
        )
    if not detail.decisions:
        parts.append(_none(_("Decisions")))
    if detail.figures:
        parts.append(
            _section(
                _("Key figures for {month}").format(month=detail.month),
                (_("Figure"), _("Value"), pgettext("measure", "Unit")),
                [(cell(f.name), cell(f.value), cell(f.unit)) for f in detail.figures],
            )
        )
    if detail.items:
        parts.append(
            _section(
                _("Items raised and discussed"),
                (
                    _("Relation"),
                    _("Key"),
                    _("Light"),
                    _("Status"),
                    _("Title"),
                    _("Responsible unit"),
                    _("Due"),
                ),
                [
                    (
                        cell(relation_word(i.relation)),
                        cell(i.key),
                        light_text(i.light),
                        status_text(i.status),
                        cell(i.title),
                        cell(i.unit),
                        cell(i.due_on),
                    )
                    for i in detail.items
                ],
                drop=ITEMS_DROP,
            )
        )
    else:
        parts.append(_none(_("Items raised and discussed")))
    parts.append(
        _section(
            _("History"),
            (_("When"), _("Who"), _("What")),
            [(cell(e.at), cell(e.actor), _change(e)) for e in detail.history],
        )
    )
    return Group(*parts)


def _item_rows(items: Sequence[AgendaItem], *, outcome: bool = False) -> list[list[Text]]:
    rows = []
    for item in items:
        row = [
            cell(item.key),
            light_text(item.light),
            status_text(item.status),
            cell(item.title),
            cell(item.unit),
            cell(item.due_on),
        ]
        if outcome:
            row = [
                row[0],
                cell(relation_word(item.relation)),
                *row[1:4],
                cell(item.resolution or item.status_reason),
            ]
        rows.append(row)
    return rows


_ITEM_HEADERS = (
    N_("Key"),
    N_("Light"),
    N_("Status"),
    N_("Title"),
    N_("Responsible unit"),
    N_("Due"),
)
# Where the terminal is narrow, the items' columns left out first: the status,
# then the relation, then the due date (key, light, title and unit stay).
ITEMS_DROP = (2, None, None, 1, None, None, 3)
AGENDA_DROP = (None, None, 1, None, None, 2)


def agenda_card(agenda: Agenda) -> Group:
    """``schedule agenda``: what the next meeting of a chain should take up."""
    head = facts_grid()
    head.add_row(_("Chain"), cell(agenda.chain) + Text("  ") + cell(agenda.chain_name))
    head.add_row(_("Chain leader"), cell(agenda.leader))
    head.add_row(_("Prepared on"), cell(agenda.today))
    last = agenda.last_meeting
    head.add_row(
        _("Last meeting"),
        cell(
            _("{key}, held {day} ({month})").format(
                key=last.key, day=last.held_on.isoformat(), month=last.month
            )
        )
        if last
        else Text(_("none on record")),
    )
    if last is not None and agenda.last_fulfilment is not None and agenda.last_decisions:
        head.add_row(_("Fulfilment rate"), Text(rate_text(agenda.last_fulfilment)))
    heading = _("Agenda for the next {chain} meeting").format(chain=agenda.chain)
    parts: list[RenderableType] = [Panel(head, title=Text(heading), title_align="left")]
    if last is not None and agenda.last_decisions:
        title = _("Decisions of {key} not yet fulfilled").format(key=last.key)
        if agenda.unfulfilled:
            parts.append(_decisions_section(title, agenda.unfulfilled))
        else:
            parts.append(_none(title))
    sections: tuple[tuple[str, tuple[AgendaItem, ...]], ...] = (
        (_("Overdue (red)"), agenda.red),
        (_("Due soon (yellow)"), agenda.yellow),
        (_("Blocked"), agenda.blocked),
    )
    for title, items in sections:
        if not items:
            parts.append(_none(title))
        elif items is agenda.blocked:
            rows = [
                [
                    cell(item.key),
                    light_text(item.light),
                    cell(item.title),
                    cell(item.unit),
                    cell(item.due_on),
                    cell(item.status_reason),
                ]
                for item in items
            ]
            headers = (
                _("Key"),
                _("Light"),
                _("Title"),
                _("Responsible unit"),
                _("Due"),
                _("Waiting for"),
            )
            parts.append(_section(title, headers, rows))
        else:
            parts.append(
                _section(title, [_(h) for h in _ITEM_HEADERS], _item_rows(items), drop=AGENDA_DROP)
            )
    if agenda.awaiting_signoff:
        rows = []
        for item in agenda.awaiting_signoff:
            new = last is None or (
                item.resolved_on is not None and item.resolved_on >= last.held_on
            )
            rows.append(
                [
                    cell(item.key),
                    cell(item.title),
                    cell(item.resolved_on),
                    light_text(item.light),
                    cell(item.resolution),
                    Text(_("since last meeting") if new else _("waiting longer")),
                ]
            )
        parts.append(
            _section(
                _("Resolved, awaiting sign-off"),
                (_("Key"), _("Title"), _("Resolved on"), _("Time limit"), _("How"), _("When")),
                rows,
            )
        )
    else:
        parts.append(_none(_("Resolved, awaiting sign-off")))
    if last is not None:
        if agenda.last_decisions:
            parts.append(
                _section(
                    _("Decisions of {key}").format(key=last.key),
                    ("#", _("Decision")),
                    [(Text(str(n)), cell(d)) for n, d in enumerate(agenda.last_decisions, 1)],
                )
            )
        else:
            parts.append(_none(_("Decisions of {key}").format(key=last.key)))
        if agenda.last_items:
            parts.append(
                _section(
                    _("Items named at {key}: what became of them").format(key=last.key),
                    (
                        _("Key"),
                        _("Relation"),
                        _("Light"),
                        _("Status"),
                        _("Title"),
                        _("Resolution / reason"),
                    ),
                    _item_rows(agenda.last_items, outcome=True),
                )
            )
        else:
            parts.append(_none(_("Items named at {key}").format(key=last.key)))
    return Group(*parts)
