"""The activity log for people, scripts and mail: a table, by day, JSON, CSV, Markdown.

Each event reads as who did what to which record, in the process's language
(the words the cards use: ``render.words.event_word``,
``render.translated.event_words``) and with its time in the zone shown. JSON
and CSV keep the stored English values under stable English keys.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from itertools import groupby
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from chainlead.clock import iso, local, shown
from chainlead.domain.activity import ActivityLog
from chainlead.i18n import _, ngettext
from chainlead.render.longtable import LongTable
from chainlead.render.output import card_table, list_table
from chainlead.store.activity import ActivityEvent

# The fields of ``--json`` and ``--csv``, in order.
FIELDS = (
    "at", "actor", "kind", "record", "key", "chain", "field", "old", "new", "text", "item",
    "meeting", "project", "person", "unit",
)  # fmt: skip

_ITEM_KINDS = frozenset(
    ("status", "resolved", "reopened", "forced")
)  # events whose old and new values are an item's statuses


def record_of(event: ActivityEvent) -> tuple[str | None, str | None]:
    """What the event is about, and its key or name: an item, else a meeting, a
    project, a person, an institution or enterprise (by the name it recorded), a chain."""
    if event.item is not None:
        return "item", event.item
    if event.meeting is not None:
        return "meeting", event.meeting
    if event.project is not None:
        return "project", event.project
    if event.kind.startswith("person_") and event.person is not None:
        return "person", event.person
    if event.kind.startswith("unit_"):
        return "unit", event.text if event.kind == "unit_edited" else event.new
    if event.kind.startswith("enterprise_") and event.chain is None:
        return "enterprise", event.new if event.kind != "enterprise_edited" else event.text
    if event.chain is not None:
        return "chain", event.chain
    if event.person is not None:
        return "person", event.person
    return None, None


_KEYED = frozenset(("item", "meeting", "project", "chain"))


def key_shown(event: ActivityEvent) -> str:
    """The record's key for the log's column: an item's, meeting's, project's or chain's
    (short, never folded); a person, institution or enterprise is named in the words."""
    record, key = record_of(event)
    return key or "" if record in _KEYED else ""


def as_data(event: ActivityEvent) -> dict[str, Any]:
    """One event for scripts: stable English keys, stored values, ISO time with offset."""
    record, key = record_of(event)
    return {
        "at": iso(event.at),
        "actor": event.actor,
        "kind": event.kind,
        "record": record,
        "key": key,
        "chain": event.chain,
        "field": event.field,
        "old": event.old,
        "new": event.new,
        "text": event.text,
        "item": event.item,
        "meeting": event.meeting,
        "project": event.project,
        "person": event.person,
        "unit": event.unit,
    }


def what(event: ActivityEvent) -> str:
    """What the event did, in words: its kind, the field and the change."""
    from chainlead.render.translated import event_words, word
    from chainlead.render.words import event_word, relation_word, role_word, state_word, status_word

    if event.kind == "undone":
        return undone_words(event.text, event.new)
    if event.item is not None:
        if event.kind == "created":
            return _("created (open)") if event.new == "open" else event_word("created")
        if event.field == "status" or event.kind in _ITEM_KINDS and event.new:
            return _("{event}: {old} → {new}").format(
                event=event_word(event.kind),
                old=status_word(event.old) if event.old else "?",
                new=status_word(event.new or ""),
            )
        if event.kind == "edited":
            from chainlead.render.items import field_word  # (its import is not light)

            return _("edited {field}: {old} → {new}").format(
                field=field_word(event.field),
                old=event.old or _("(empty)"),
                new=event.new or _("(empty)"),
            )
        if event.kind == "followed_up":
            from chainlead.render.words import result_word

            return _("{event}: {old} → {new}").format(
                event=event_word(event.kind), old=event.old or "-", new=result_word(event.new)
            )
        if event.kind == "linked":
            return _("linked: {relation} {meeting}").format(
                relation=relation_word(event.field or ""), meeting=event.meeting or ""
            )
        if event.unit is not None and event.field in ("lead", "co"):
            change = (_("({role}): {old} → {new}") if event.old else _("({role}): {new}")).format(
                role=role_word(event.field),
                old=state_word(event.old or ""),
                new=state_word(event.new or ""),
            )
            return f"{event_word(event.kind)} {event.unit} {change}"
        if event.old or event.new:
            return _("{event}: {old} → {new}").format(
                event=event_word(event.kind), old=event.old or "-", new=event.new or "-"
            )
        return event_word(event.kind)
    record, key = record_of(event)
    named = record not in _KEYED and key
    words = event_words(event.kind, None if named and event.field == record else event.field)
    if named:
        words = _("{event}: {new}").format(event=words, new=key)
    if event.kind in ("created", "person_created", "unit_created", "enterprise_created"):
        return words
    old, new = word("part", event.old), word("part", event.new)
    if old and new:
        return _("{event}: {old} → {new}").format(event=words, old=old, new=new)
    if new:
        return _("{event}: {new}").format(event=words, new=new)
    return words


def undone_words(kind: str | None, change: str | None) -> str:
    """An ``undone`` event: which kind of event it reverses, and the change set it undid
    (``undone (change 12): note``)."""
    from chainlead.render.labels import MESSAGES
    from chainlead.render.translated import event_words
    from chainlead.render.words import event_word

    item_word = f"sheet_event_{kind}" in MESSAGES
    what = event_word(kind or "") if item_word else event_words(kind or "", None)
    return _("undone (change {change}): {what}").format(change=change or "?", what=what)


def events_table(events: Sequence[ActivityEvent]) -> LongTable:
    """Events as the log lists them: when, who, record, what (``undo`` shows a change set so)."""
    return _table(events, None, clock=False)


def _note(event: ActivityEvent) -> str:
    """The text the event carries, as written (a note, a reason, how it was resolved)."""
    if event.kind in ("linked", "unit_edited", "undone") or event.text is None:
        return ""
    if event.kind == "supervised":
        from chainlead.render.supervision import rule_words

        return rule_words(event.text)
    return event.text


def _said(event: ActivityEvent) -> str:
    note = _note(event)
    return f"{what(event)}\n{note}" if note else what(event)


def _headers() -> tuple[str, str, str, str]:
    from chainlead.render.words import labels

    words = labels()
    return (words("sheet_when"), _("Who"), _("Record"), words("sheet_what"))


def title(log: ActivityLog) -> str:
    """``Activity log, 2026-11-30 to 2026-12-06``, or ``since`` when open-ended."""
    if log.last is None:
        return _("Activity log since {first}").format(first=log.first.isoformat())
    return _("Activity log, {first} to {last}").format(
        first=log.first.isoformat(), last=log.last.isoformat()
    )


def count_line(log: ActivityLog) -> str:
    """How many events are shown, and whether older ones were left out."""
    n = len(log.events)
    said = ngettext("{n} event", "{n} events", n).format(n=n)
    if log.more:
        said = _("{count}; older events left out (--limit N or --all to list them)").format(
            count=said
        )
    return said


def _table(events: Sequence[ActivityEvent], heading: str | None, *, clock: bool) -> LongTable:
    table = card_table(heading, _headers(), whole=(0, 1, 2)) if heading else list_table(None)
    if not heading:
        for index, header in enumerate(_headers()):
            table.add_column(header, no_wrap=index < 3)
    table.add_rows(
        (
            local(e.at).strftime("%H:%M") if clock else shown(e.at),
            e.actor,
            key_shown(e),
            _said(e),
        )
        for e in events
    )
    return table


def _days(events: Sequence[ActivityEvent]) -> Iterator[tuple[date, list[ActivityEvent]]]:
    for day, group in groupby(events, key=lambda e: local(e.at).date()):
        yield day, list(group)


def day_heading(day: date, n: int) -> str:
    """``2026-12-04: 12 events``."""
    return ngettext("{day}: {n} event", "{day}: {n} events", n).format(day=day.isoformat(), n=n)


def people(log: ActivityLog, *, by_day: bool) -> RenderableType:
    """The log for the terminal: one table, or a table under each day."""
    parts: list[RenderableType] = [Text(title(log), style="bold")]
    if by_day:
        parts.append(Text(""))
    if by_day:
        for day, events in _days(log.events):
            parts.append(_table(events, day_heading(day, len(events)), clock=True))
    elif log.events:
        parts.append(_table(log.events, None, clock=False))
    parts.append(Text(count_line(log) if log.events else _("no events match")))
    return Group(*parts)


def _md(text: str) -> str:
    """User text on one Markdown line: line breaks as spaces, markup characters escaped."""
    flat = " ".join(text.split())
    for mark in ("\\", "*", "_", "`", "[", "]", "<", ">", "#", "|"):
        flat = flat.replace(mark, "\\" + mark)
    return flat


def markdown(log: ActivityLog) -> str:
    """The log by day for mailing: a heading per day, a line per event."""
    lines = [f"# {_md(title(log))}", ""]
    for day, events in _days(log.events):
        lines += [f"## {day_heading(day, len(events))}", ""]
        for e in events:
            record = key_shown(e)
            time, actor, said = local(e.at).strftime("%H:%M"), _md(e.actor), _md(what(e))
            if record:
                said = _("{time} {actor}, {record}: {what}").format(
                    time=time, actor=actor, record=_md(record), what=said
                )
            else:
                said = _("{time} {actor}: {what}").format(time=time, actor=actor, what=said)
            note = _note(e)
            lines.append(f"- {said}" + (f" ({_md(note)})" if note else ""))
        lines.append("")
    lines.append(count_line(log) if log.events else _("no events match"))
    return "\n".join(lines) + "\n"
