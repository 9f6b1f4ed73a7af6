"""Meeting entries and their parts (decisions, attendees, figures), as writes need them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from chainlead.reader import Reader, day, reader


@dataclass
class MeetingRecord:
    """A meeting row; an edit changes its fields and ``save_meeting`` stores them."""

    id: int
    key: str
    chain_id: int
    number: int
    kind: str
    month: str
    held_on: date
    chair_id: int | None
    summary: str | None


@dataclass
class FigureRow:
    id: int
    name: str
    value: str
    unit: str | None


_SELECT = 'SELECT id, "key", chain_id, number, kind, month, held_on, chair_id, summary FROM meeting'


def meeting_by_key(conn: Reader, key: str) -> MeetingRecord | None:
    """The meeting with this (normalised) key."""
    rows = reader(conn).rows(_SELECT + ' WHERE "key" = :key', {"key": key})
    if not rows:
        return None
    found = MeetingRecord(*rows[0])
    found.held_on = day(found.held_on)
    return found


def meeting_keys(conn: Reader, chain_id: int) -> list[str]:
    rows = reader(conn).rows('SELECT "key" FROM meeting WHERE chain_id = :c', {"c": chain_id})
    return [row[0] for row in rows]


def insert_meeting(
    conn: Reader,
    *,
    key: str,
    chain_id: int,
    number: int,
    kind: str,
    month: str,
    held_on: date,
    chair_id: int | None,
    summary: str | None,
    at: datetime,
) -> MeetingRecord:
    values = {
        "key": key,
        "chain_id": chain_id,
        "number": number,
        "kind": kind,
        "month": month,
        "held_on": held_on,
        "chair_id": chair_id,
        "summary": summary,
    }
    new_id = reader(conn).insert(
        'INSERT INTO meeting (uuid, "key", chain_id, number, kind, month, held_on, chair_id, '
        "summary, created_at) VALUES (:uuid, :key, :chain_id, :number, :kind, :month, "
        ":held_on, :chair_id, :summary, :at) RETURNING id",
        {"uuid": str(uuid.uuid4()), "at": at, **values},
    )
    return MeetingRecord(id=new_id, **values)  # type: ignore[arg-type]


def save_meeting(conn: Reader, meeting: MeetingRecord) -> None:
    reader(conn).execute(
        "UPDATE meeting SET kind = :kind, month = :month, held_on = :held_on, "
        "chair_id = :chair_id, summary = :summary WHERE id = :id",
        {
            "kind": meeting.kind,
            "month": meeting.month,
            "held_on": meeting.held_on,
            "chair_id": meeting.chair_id,
            "summary": meeting.summary,
            "id": meeting.id,
        },
    )


def decisions(conn: Reader, meeting_id: int) -> list[str]:
    return [
        row[0]
        for row in reader(conn).rows(
            "SELECT text FROM meeting_decision WHERE meeting_id = :m ORDER BY position",
            {"m": meeting_id},
        )
    ]


def attendees(conn: Reader, meeting_id: int) -> list[str]:
    return [
        row[0]
        for row in reader(conn).rows(
            "SELECT name FROM meeting_attendee WHERE meeting_id = :m ORDER BY position",
            {"m": meeting_id},
        )
    ]


def replace_decisions(conn: Reader, meeting_id: int, texts: Sequence[str]) -> None:
    """The meeting's decisions, in this order (any earlier list is replaced)."""
    _replace(conn, "meeting_decision", "text", meeting_id, texts)


def replace_attendees(conn: Reader, meeting_id: int, names: Sequence[str]) -> None:
    _replace(conn, "meeting_attendee", "name", meeting_id, names)


def _replace(conn: Reader, table: str, column: str, meeting_id: int, values: Sequence[str]) -> None:
    db = reader(conn)
    db.execute(f"DELETE FROM {table} WHERE meeting_id = :m", {"m": meeting_id})
    for position, value in enumerate(values, start=1):
        db.insert(
            f"INSERT INTO {table} (uuid, meeting_id, position, {column}) "
            "VALUES (:uuid, :m, :position, :value) RETURNING id",
            {"uuid": str(uuid.uuid4()), "m": meeting_id, "position": position, "value": value},
        )


def figures(conn: Reader, meeting_id: int) -> list[FigureRow]:
    return [
        FigureRow(*row)
        for row in reader(conn).rows(
            "SELECT id, name, value, unit FROM meeting_figure WHERE meeting_id = :m ORDER BY id",
            {"m": meeting_id},
        )
    ]


def insert_figure(conn: Reader, *, meeting_id: int, name: str, value: str, unit: str | None) -> int:
    return reader(conn).insert(
        "INSERT INTO meeting_figure (uuid, meeting_id, name, value, unit) "
        "VALUES (:uuid, :m, :name, :value, :unit) RETURNING id",
        {"uuid": str(uuid.uuid4()), "m": meeting_id, "name": name, "value": value, "unit": unit},
    )


def update_figure(conn: Reader, row: FigureRow) -> None:
    reader(conn).execute(
        "UPDATE meeting_figure SET name = :name, value = :value, unit = :unit WHERE id = :id",
        {"name": row.name, "value": row.value, "unit": row.unit, "id": row.id},
    )


def delete_figure(conn: Reader, row: FigureRow) -> None:
    reader(conn).execute("DELETE FROM meeting_figure WHERE id = :id", {"id": row.id})


def link_to(conn: Reader, meeting_id: int, item_key: str) -> tuple[int, str, int, int] | None:
    """The link of this meeting to the item with this key: (link id, relation, item id,
    the item's chain id)."""
    rows = reader(conn).rows(
        "SELECT l.id, l.relation, i.id, i.chain_id FROM meeting_item l "
        'JOIN item i ON i.id = l.item_id WHERE l.meeting_id = :m AND i."key" = :key',
        {"m": meeting_id, "key": item_key},
    )
    return tuple(rows[0]) if rows else None  # type: ignore[return-value]


def delete_link(conn: Reader, link_id: int) -> None:
    reader(conn).execute("DELETE FROM meeting_item WHERE id = :id", {"id": link_id})
