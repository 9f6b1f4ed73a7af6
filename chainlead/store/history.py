"""The append-only history: events written, and the chain's own history read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from chainlead.reader import Reader, moment, reader

_INSERT = (
    "INSERT INTO event (uuid, at, actor, kind, chain_id, item_id, meeting_id, person_id, "
    "field, old, new, text) VALUES (:uuid, :at, :actor, :kind, :chain_id, :item_id, "
    ":meeting_id, :person_id, :field, :old, :new, :text) RETURNING id"
)


def insert_event(conn: Reader, values: dict[str, object]) -> int:
    """Append one event (every column but ``id`` and ``uuid``); its id."""
    return reader(conn).insert(_INSERT, {"uuid": str(uuid.uuid4()), **values})


@dataclass(frozen=True)
class HistoryEntry:
    """One event of a chain's own history (not of its items), oldest first."""

    at: datetime
    actor: str
    kind: str
    field: str | None
    old: str | None
    new: str | None
    text: str | None


def chain_history(conn: Reader, chain_id: int) -> list[HistoryEntry]:
    return [
        HistoryEntry(moment(at), actor, kind, changed, old, new, text)
        for at, actor, kind, changed, old, new, text in reader(conn).rows(
            "SELECT at, actor, kind, field, old, new, text FROM event "
            "WHERE chain_id = :chain AND item_id IS NULL ORDER BY at, id",
            {"chain": chain_id},
        )
    ]


@dataclass(frozen=True)
class ItemEvent:
    """One entry of an item's history, oldest first."""

    at: datetime
    actor: str
    kind: str
    field: str | None
    old: str | None
    new: str | None
    text: str | None
    person: str | None  # the person signing off or asked (close), when any
    meeting: str | None  # the meeting key of a ``linked`` event


def item_events(conn: Reader, item_id: int) -> list[ItemEvent]:
    return [
        ItemEvent(moment(at), actor, kind, changed, old, new, text, person, meeting)
        for at, actor, kind, changed, old, new, text, person, meeting in reader(conn).rows(
            'SELECT e.at, e.actor, e.kind, e.field, e.old, e.new, e.text, p.name, m."key" '
            "FROM event e LEFT JOIN person p ON p.id = e.person_id "
            "LEFT JOIN meeting m ON m.id = e.meeting_id "
            "WHERE e.item_id = :item ORDER BY e.at, e.id",
            {"item": item_id},
        )
    ]


@dataclass(frozen=True)
class MeetingChange:
    """One entry of a meeting's history, oldest first."""

    at: datetime
    actor: str
    kind: str
    item: str | None  # the item key of a linked / unlinked event
    field: str | None
    old: str | None
    new: str | None
    text: str | None


def meeting_changes(conn: Reader, meeting_id: int) -> list[MeetingChange]:
    return [
        MeetingChange(moment(at), actor, kind, item, changed, old, new, text)
        for at, actor, kind, item, changed, old, new, text in reader(conn).rows(
            'SELECT e.at, e.actor, e.kind, i."key", e.field, e.old, e.new, e.text '
            "FROM event e LEFT JOIN item i ON i.id = e.item_id "
            "WHERE e.meeting_id = :meeting ORDER BY e.at, e.id",
            {"meeting": meeting_id},
        )
    ]
