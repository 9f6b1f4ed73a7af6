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
from chainlead.render.formats import Format
from chainlead.render.items import light_text, status_text
from chainlead.render.longtable import LongTable
from chainlead.render.output import Column, cell, facts_grid, print_rows

MEETING_COLUMNS = (
    Column("key", "ID", no_wrap=True),
    Column("kind", "Kind", no_wrap=True),
    Column("held_on", "Held on", no_wrap=True),
    Column("chair", "Chair", no_wrap=True),
    Column("decisions", "Decisions", justify="right"),
    Column("items", "Items"),
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
    parts = [f"{raised} raised"] if raised else []
    if discussed:
        parts.append(f"{discussed} discussed")
    return ", ".join(parts) or "-"


def print_meetings(rows: Sequence[MeetingSummary], fmt: Format) -> None:
    """The meeting list: a table for people, every field for JSON and CSV."""
    if fmt is not Format.table:
        columns = tuple(Column(f.name, f.name) for f in dataclasses.fields(MeetingSummary))
        print_rows(rows, columns, fmt)
        return
    lines = [
        _MeetingLine(
            key=r.key,
            kind=r.kind,
            held_on=r.held_on,
            chair=r.chair,
            decisions=r.decisions,
            items=_items_words(r.raised, r.discussed),
        )
        for r in rows
    ]
    print_rows(
        lines, MEETING_COLUMNS, fmt, title="Meetings", empty="no meetings recorded", long=True
    )


MISSING_COLUMNS = (
    Column("chain", "Code", no_wrap=True),
    Column("name", "Chain"),
    Column("leader", "Chain leader", no_wrap=True),
    Column("responsible", "Responsible", no_wrap=True),
    Column("last_meeting", "Last meeting", no_wrap=True),
    Column("last_held_on", "Held on", no_wrap=True),
)


def missing_columns(fmt: Format) -> tuple[Column, ...]:
    """Table columns for people; CSV carries every field, in the dataclass order."""
    if fmt is Format.csv:
        return tuple(Column(f.name, f.name) for f in dataclasses.fields(MissingMeeting))
    return MISSING_COLUMNS


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
    return Text(f"{title}: none", style="dim")


def _change(entry: MeetingChange) -> Text:
    """One history entry's change in words."""
    if entry.kind == "created":
        text = Text("created ") + cell(entry.new) + Text(": ") + cell(entry.text)
    elif entry.kind == "edited":
        text = (
            Text(f"edited {entry.field}: ")
            + cell(entry.old or "(empty)")
            + Text(" → ")
            + cell(entry.new or "(empty)")
        )
    elif entry.kind == "linked":
        text = Text(f"linked {entry.item} as {entry.field}")
    elif entry.kind == "unlinked":
        text = Text(f"unlinked {entry.item} ({entry.field})")
    elif entry.kind == "decision_action":
        text = Text(f"action {entry.item} made of ") + cell(entry.text)
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
        return Text("no action yet", style="dim")
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
        ("#", "Decision", "Actions (key, unit, status, light)", "Fulfilled"),
        [
            (
                Text(str(d.number)),
                cell(d.text),
                _actions_cell(d),
                Text("yes" if d.fulfilled else "no"),
            )
            for d in decisions
        ],
    )


def meeting_card(detail: MeetingDetail) -> Group:
    """``schedule show``: the entry, its decisions, figures, linked items, history."""
    facts = facts_grid()
    facts.add_row("Chain", cell(detail.chain) + Text("  ") + cell(detail.chain_name))
    facts.add_row("Kind", cell(detail.kind))
    facts.add_row("Month", cell(detail.month))
    facts.add_row("Held on", cell(detail.held_on))
    facts.add_row("Chair", cell(detail.chair))
    facts.add_row("Attendees", cell(", ".join(detail.attendees)) if detail.attendees else cell(""))
    if detail.summary:
        facts.add_row("Summary", cell(detail.summary))
    parts: list[RenderableType] = [
        Panel(facts, title=Text(f"{detail.key}  {detail.kind} meeting"), title_align="left")
    ]
    if any(d.actions for d in detail.decision_actions):
        parts.append(_decisions_section("Decisions", detail.decision_actions))
    elif detail.decisions:
        parts.append(
            _section(
                "Decisions",
                ("#", "Decision"),
                [(Text(str(n)), cell(d)) for n, d in enumerate(detail.decisions, start=1)],
            )
        )
    if detail.decisions and detail.fulfilment is not None:
        parts.append(Text("Fulfilment rate (决议落实率): " + rate_text(detail.fulfilment)))
    if not detail.decisions:
        parts.append(_none("Decisions"))
    if detail.figures:
        parts.append(
            _section(
                f"Key figures for {detail.month}",
                ("Figure", "Value", "Unit"),
                [(cell(f.name), cell(f.value), cell(f.unit)) for f in detail.figures],
            )
        )
    if detail.items:
        parts.append(
            _section(
                "Items raised and discussed",
                ("Relation", "Key", "Light", "Status", "Title", "Responsible unit", "Due"),
                [
                    (
                        cell(i.relation),
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
        parts.append(_none("Items raised and discussed"))
    parts.append(
        _section(
            "History",
            ("When (UTC)", "Who", "What"),
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
                cell(item.relation),
                *row[1:4],
                cell(item.resolution or item.status_reason),
            ]
        rows.append(row)
    return rows


_ITEM_HEADERS = ("Key", "Light", "Status", "Title", "Responsible unit", "Due")
# Where the terminal is narrow, the items' columns left out first: the status,
# then the relation, then the due date (key, light, title and unit stay).
ITEMS_DROP = (2, None, None, 1, None, None, 3)
AGENDA_DROP = (None, None, 1, None, None, 2)


def agenda_card(agenda: Agenda) -> Group:
    """``schedule agenda``: what the next meeting of a chain should take up."""
    head = facts_grid()
    head.add_row("Chain", cell(agenda.chain) + Text("  ") + cell(agenda.chain_name))
    head.add_row("Chain leader", cell(agenda.leader))
    head.add_row("Prepared on", cell(agenda.today))
    last = agenda.last_meeting
    head.add_row(
        "Last meeting",
        cell(f"{last.key}, held {last.held_on.isoformat()} ({last.month})")
        if last
        else Text("none on record"),
    )
    if last is not None and agenda.last_fulfilment is not None and agenda.last_decisions:
        head.add_row("Fulfilment rate", Text(rate_text(agenda.last_fulfilment)))
    parts: list[RenderableType] = [
        Panel(head, title=Text(f"Agenda for the next {agenda.chain} meeting"), title_align="left")
    ]
    if last is not None and agenda.last_decisions:
        title = f"Decisions of {last.key} not yet fulfilled"
        if agenda.unfulfilled:
            parts.append(_decisions_section(title, agenda.unfulfilled))
        else:
            parts.append(_none(title))
    sections: tuple[tuple[str, tuple[AgendaItem, ...]], ...] = (
        ("Overdue (red)", agenda.red),
        ("Due soon (yellow)", agenda.yellow),
        ("Blocked", agenda.blocked),
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
            headers = ("Key", "Light", "Title", "Responsible unit", "Due", "Waiting for")
            parts.append(_section(title, headers, rows))
        else:
            parts.append(_section(title, _ITEM_HEADERS, _item_rows(items), drop=AGENDA_DROP))
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
                    Text("since last meeting" if new else "waiting longer"),
                ]
            )
        parts.append(
            _section(
                "Resolved, awaiting sign-off",
                ("Key", "Title", "Resolved on", "Time limit", "How", "When"),
                rows,
            )
        )
    else:
        parts.append(_none("Resolved, awaiting sign-off"))
    if last is not None:
        if agenda.last_decisions:
            parts.append(
                _section(
                    f"Decisions of {last.key}",
                    ("#", "Decision"),
                    [(Text(str(n)), cell(d)) for n, d in enumerate(agenda.last_decisions, 1)],
                )
            )
        else:
            parts.append(_none(f"Decisions of {last.key}"))
        if agenda.last_items:
            parts.append(
                _section(
                    f"Items named at {last.key}: what became of them",
                    ("Key", "Relation", "Light", "Status", "Title", "Resolution / reason"),
                    _item_rows(agenda.last_items, outcome=True),
                )
            )
        else:
            parts.append(_none(f"Items named at {last.key}"))
    return Group(*parts)
