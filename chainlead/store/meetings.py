"""Meeting entries, their parts (decisions, attendees, figures) and linked items."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from chainlead.clock import day_start
from chainlead.store.connection import Reader, Row, day, day_or_none, moment, placeholders
from chainlead.vocabulary import RELATIONS, Relation


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
    rows = conn.rows(_SELECT + ' WHERE "key" = :key', {"key": key})
    if not rows:
        return None
    found = MeetingRecord(*rows[0])
    found.held_on = day(found.held_on)
    return found


def meeting_keys(conn: Reader, chain_id: int) -> list[str]:
    rows = conn.rows('SELECT "key" FROM meeting WHERE chain_id = :c', {"c": chain_id})
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
    new_id = conn.insert(
        'INSERT INTO meeting (uuid, "key", chain_id, number, kind, month, held_on, chair_id, '
        "summary, created_at) VALUES (:uuid, :key, :chain_id, :number, :kind, :month, "
        ":held_on, :chair_id, :summary, :at) RETURNING id",
        {"uuid": str(uuid.uuid4()), "at": at, **values},
    )
    return MeetingRecord(id=new_id, **values)  # type: ignore[arg-type]


def save_meeting(conn: Reader, meeting: MeetingRecord) -> None:
    conn.execute(
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
        for row in conn.rows(
            "SELECT text FROM meeting_decision WHERE meeting_id = :m ORDER BY position",
            {"m": meeting_id},
        )
    ]


def attendees(conn: Reader, meeting_id: int) -> list[str]:
    return [
        row[0]
        for row in conn.rows(
            "SELECT name FROM meeting_attendee WHERE meeting_id = :m ORDER BY position",
            {"m": meeting_id},
        )
    ]


def replace_decisions(conn: Reader, meeting_id: int, texts: Sequence[str]) -> None:
    """The meeting's decisions, in this order (any earlier list is replaced)."""
    _replace(conn, "meeting_decision", "text", meeting_id, texts)


def replace_attendees(conn: Reader, meeting_id: int, names: Sequence[str]) -> None:
    _replace(conn, "meeting_attendee", "name", meeting_id, names)


def _replace(db: Reader, table: str, column: str, meeting_id: int, values: Sequence[str]) -> None:
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
        for row in conn.rows(
            "SELECT id, name, value, unit FROM meeting_figure WHERE meeting_id = :m ORDER BY id",
            {"m": meeting_id},
        )
    ]


def insert_figure(conn: Reader, *, meeting_id: int, name: str, value: str, unit: str | None) -> int:
    return conn.insert(
        "INSERT INTO meeting_figure (uuid, meeting_id, name, value, unit) "
        "VALUES (:uuid, :m, :name, :value, :unit) RETURNING id",
        {"uuid": str(uuid.uuid4()), "m": meeting_id, "name": name, "value": value, "unit": unit},
    )


def update_figure(conn: Reader, row: FigureRow) -> None:
    conn.execute(
        "UPDATE meeting_figure SET name = :name, value = :value, unit = :unit WHERE id = :id",
        {"name": row.name, "value": row.value, "unit": row.unit, "id": row.id},
    )


def delete_figure(conn: Reader, row: FigureRow) -> None:
    conn.execute("DELETE FROM meeting_figure WHERE id = :id", {"id": row.id})


def link_to(conn: Reader, meeting_id: int, item_key: str) -> tuple[int, str, int, int] | None:
    """The link of this meeting to the item with this key: (link id, relation, item id,
    the item's chain id)."""
    rows = conn.rows(
        "SELECT l.id, l.relation, i.id, i.chain_id FROM meeting_item l "
        'JOIN item i ON i.id = l.item_id WHERE l.meeting_id = :m AND i."key" = :key',
        {"m": meeting_id, "key": item_key},
    )
    return tuple(rows[0]) if rows else None  # type: ignore[return-value]


def delete_link(conn: Reader, link_id: int) -> None:
    conn.execute("DELETE FROM meeting_item WHERE id = :id", {"id": link_id})


# ---- lists, cards and agendas


@dataclass(frozen=True)
class MeetingSummary:
    """One line of ``schedule list``."""

    key: str
    chain: str
    kind: str
    month: str
    held_on: date
    chair: str | None
    decisions: int
    figures: int
    raised: int
    discussed: int
    summary: str | None


@dataclass(frozen=True)
class MeetingQuery:
    """Which meetings, in which order: by month, chain, day and number, or the
    latest held on or before ``held_by`` alone."""

    chain_id: int | None = None
    month: str | None = None
    from_month: str | None = None
    to_month: str | None = None
    kind: str | None = None
    held_by: date | None = None
    latest: bool = False


# A meeting with its counts; the filters and order are added by ``summaries``.
_SUMMARIES = """
SELECT m.id, m."key", c.code, m.kind, m.month, m.held_on, p.name,
       (SELECT count(*) FROM meeting_decision d WHERE d.meeting_id = m.id),
       (SELECT count(*) FROM meeting_figure f WHERE f.meeting_id = m.id),
       (SELECT count(*) FROM meeting_item r WHERE r.meeting_id = m.id AND r.relation = :raised),
       (SELECT count(*) FROM meeting_item t
        WHERE t.meeting_id = m.id AND t.relation = :discussed),
       m.summary
FROM meeting m JOIN chain c ON c.id = m.chain_id LEFT JOIN person p ON p.id = m.chair_id
"""

_FILTERS = (
    ("chain_id", "m.chain_id = :chain_id"),
    ("month", "m.month = :month"),
    ("from_month", "m.month >= :from_month"),
    ("to_month", "m.month <= :to_month"),
    ("kind", "m.kind = :kind"),
    ("held_by", "m.held_on <= :held_by"),
)


def summaries(conn: Reader, query: MeetingQuery) -> list[tuple[int, MeetingSummary]]:
    """The meetings ``query`` asks for, each with its id and counts, in one statement."""
    params: dict[str, object] = {
        "raised": Relation.raised.value,
        "discussed": Relation.discussed.value,
    }
    where = []
    for name, condition in _FILTERS:
        value = getattr(query, name)
        if value is not None:
            where.append(condition)
            params[name] = value
    sql = _SUMMARIES + ("WHERE " + " AND ".join(where) + "\n" if where else "")
    if query.latest:
        sql += "ORDER BY m.held_on DESC, m.number DESC LIMIT 1"
    else:
        sql += "ORDER BY m.month, c.code, m.held_on, m.number"
    return [
        (
            int(row[0]),
            MeetingSummary(*row[1:5], day(row[5]), row[6], *(int(n) for n in row[7:11]), row[11]),
        )
        for row in conn.rows(sql, params)
    ]


@dataclass(frozen=True)
class MeetingCard:
    """A meeting's own fields, with its chain's code and name and its chair's name."""

    id: int
    key: str
    chain: str
    chain_name: str
    kind: str
    month: str
    held_on: date
    chair: str | None
    summary: str | None
    created_at: datetime


def meeting_card(conn: Reader, key: str) -> MeetingCard | None:
    rows = conn.rows(
        'SELECT m.id, m."key", c.code, c.name, m.kind, m.month, m.held_on, p.name, m.summary, '
        "m.created_at FROM meeting m JOIN chain c ON c.id = m.chain_id "
        'LEFT JOIN person p ON p.id = m.chair_id WHERE m."key" = :key',
        {"key": key},
    )
    if not rows:
        return None
    row = rows[0]
    return MeetingCard(int(row[0]), *row[1:6], day(row[6]), row[7], row[8], moment(row[9]))


@dataclass(frozen=True)
class ItemLine:
    """An item as meeting cards and agendas show it."""

    key: str
    title: str
    status: str
    unit: str
    owner: str | None
    due_on: date
    resolved_on: date | None
    resolution: str | None
    status_reason: str | None


_ITEM_COLUMNS = (
    'i."key", i.title, i.status, i.unit, p.name, i.due_on, i.resolved_on, '
    "i.resolution, i.status_reason"
)


def _line(row: Sequence[object]) -> ItemLine:
    key, title, status, unit, owner, due_on, resolved_on, resolution, reason = row
    return ItemLine(
        key, title, status, unit, owner, day(due_on), day_or_none(resolved_on), resolution, reason
    )


def linked_items(conn: Reader, meeting_id: int) -> list[tuple[str, ItemLine]]:
    """The items a meeting raised, then those it discussed, each by number."""
    rows = conn.rows(
        f"SELECT mi.relation, i.number, {_ITEM_COLUMNS} FROM meeting_item mi "
        "JOIN item i ON i.id = mi.item_id LEFT JOIN person p ON p.id = i.owner_id "
        "WHERE mi.meeting_id = :meeting",
        {"meeting": meeting_id},
    )
    ordered = sorted(rows, key=lambda row: (RELATIONS.index(row[0]), row[1]))
    return [(row[0], _line(row[2:])) for row in ordered]


def chain_item_lines(conn: Reader, chain_id: int, statuses: Sequence[str]) -> list[ItemLine]:
    """The chain's items in these statuses, by time limit and number."""
    within, params = placeholders("s", statuses)
    return [
        _line(row)
        for row in conn.rows(
            f"SELECT {_ITEM_COLUMNS} FROM item i LEFT JOIN person p ON p.id = i.owner_id "
            f"WHERE i.chain_id = :chain AND i.status IN {within} ORDER BY i.due_on, i.number",
            {"chain": chain_id, **params},
        )
    ]


def chains_meeting_in(conn: Reader, month: str, kind: str) -> set[int]:
    """The ids of chains with a meeting of this kind in ``month``."""
    return {
        int(row[0])
        for row in conn.rows(
            "SELECT DISTINCT chain_id FROM meeting WHERE month = :month AND kind = :kind",
            {"month": month, "kind": kind},
        )
    }


def last_meetings_before(conn: Reader, month: str, kind: str) -> dict[int, tuple[str, date]]:
    """Each chain's latest meeting of this kind before ``month``: its key and day."""
    latest: dict[int, tuple[str, date]] = {}
    for chain, key, held_on in conn.rows(
        'SELECT chain_id, "key", held_on FROM meeting WHERE kind = :kind AND month < :month '
        "ORDER BY held_on, number",
        {"kind": kind, "month": month},
    ):
        latest[int(chain)] = (key, day(held_on))
    return latest


def latest_month(conn: Reader, kind: str) -> str | None:
    """The latest month with a meeting of this kind."""
    found = conn.rows("SELECT max(month) FROM meeting WHERE kind = :kind", {"kind": kind})
    return found[0][0] if found else None


# ---- snapshot
# A chain's meetings and their parts: rows as the driver gives them, for the
# export to spell as they are, and snapshot records (the snapshot's names,
# ``_id`` the row's id, the chair by name, dates and times as Python values),
# for the merge to compare.

MEETING_ROW = (
    "id", "uuid", "key", "number", "kind", "month", "held_on", "chair_id", "summary",
    "created_at",
)  # fmt: skip
_MEETINGS = "SELECT m." + ", m.".join(MEETING_ROW) + " FROM meeting m WHERE m.chain_id = :chain"
_CHANGED_SINCE = (
    " AND (m.created_at >= :start OR m.held_on >= :since OR m.id IN "
    "(SELECT meeting_id FROM event WHERE at >= :start AND item_id IS NULL "
    "AND meeting_id IS NOT NULL))"
)

# The parts of a meeting: (name, table, columns, the order within a meeting):
# attendees and decisions in the order recorded, figures in the order added.
_PARTS = (
    ("attendees", "meeting_attendee", ("uuid", "name"), "position"),
    ("decisions", "meeting_decision", ("uuid", "text"), "position"),
    ("figures", "meeting_figure", ("uuid", "name", "value", "unit"), "id"),
)
PART_ROWS = {name: columns for name, _, columns, _ in _PARTS}
"""Each part's columns, after the meeting's id that starts its rows."""
_PART_ROWS = {
    name: f"SELECT p.meeting_id, p.{', p.'.join(columns)} FROM {table} p "
    "JOIN meeting m ON m.id = p.meeting_id WHERE m.chain_id = :chain "
    f"ORDER BY p.meeting_id, p.{order}"
    for name, table, columns, order in _PARTS
}


def chain_meeting_rows(
    db: Reader, chain_id: int, *, since: date | None = None, zone: tzinfo = UTC
) -> list[Row]:
    """A chain's meetings by number, each row ``MEETING_ROW``; with ``since``, only those
    created or held on or after that day or with an event of their own since then."""
    if since is None:
        return db.rows(_MEETINGS + " ORDER BY m.number", {"chain": chain_id})
    return db.rows(
        _MEETINGS + _CHANGED_SINCE + " ORDER BY m.number",
        {"chain": chain_id, "start": day_start(since, zone), "since": since},
    )


def chain_meeting_records(db: Reader, chain_id: int, names: dict[int, str]) -> list[dict[str, Any]]:
    """A chain's meetings as snapshot records (without their parts and history), by number."""
    return [
        {
            "_id": row[0],
            "uuid": row[1],
            "key": row[2],
            "number": row[3],
            "kind": row[4],
            "month": row[5],
            "held": day(row[6]),
            "chair": names[row[7]] if row[7] is not None else None,
            "summary": row[8],
            "created_at": moment(row[9]),
        }
        for row in chain_meeting_rows(db, chain_id)
    ]


def chain_part_rows(db: Reader, chain_id: int) -> dict[str, list[Row]]:
    """The parts of a chain's meetings by part name (attendees, decisions, figures), by
    meeting: each row the meeting's id, then ``PART_ROWS[name]``."""
    return {name: db.rows(sql, {"chain": chain_id}) for name, sql in _PART_ROWS.items()}


def chain_part_records(db: Reader, chain_id: int) -> dict[str, list[dict[str, Any]]]:
    """The parts of a chain's meetings as snapshot records (the meeting's id under
    ``_meeting``) by part name, by meeting."""
    return {
        name: [
            {"_meeting": row[0], **dict(zip(PART_ROWS[name], row[1:], strict=True))} for row in rows
        ]
        for name, rows in chain_part_rows(db, chain_id).items()
    }


def let_go_decisions(db: Reader, meeting_id: int) -> list[tuple[int, int]]:
    """Let the items made of a meeting's decisions go of them (before the decisions are
    written anew); returns each such item's id and its decision's position."""
    users = [
        (int(item_id), int(position))
        for item_id, position in db.rows(
            "SELECT i.id, d.position FROM item i JOIN meeting_decision d ON d.id = i.decision_id "
            "WHERE d.meeting_id = :meeting",
            {"meeting": meeting_id},
        )
    ]
    if users:
        db.execute(
            "UPDATE item SET decision_id = NULL WHERE decision_id IN "
            "(SELECT id FROM meeting_decision WHERE meeting_id = :meeting)",
            {"meeting": meeting_id},
        )
    return users


def delete_parts(db: Reader, meeting_id: int) -> None:
    """Delete a meeting's attendees, decisions and figures."""
    for _, table, _, _ in _PARTS:
        db.execute(f'DELETE FROM "{table}" WHERE meeting_id = :meeting', {"meeting": meeting_id})


def meeting_keys_by_id(db: Reader) -> dict[int, str]:
    """Every meeting's key by id."""
    return dict(db.rows("SELECT id, key FROM meeting"))


def meetings_by_key(db: Reader) -> dict[str, tuple[int, int]]:
    """Every meeting's id and chain id by its key."""
    return {row[0]: (row[1], row[2]) for row in db.rows("SELECT key, id, chain_id FROM meeting")}


def meeting_uuids(db: Reader) -> set[str]:
    """Every stored meeting's uuid."""
    return {row[0] for row in db.rows("SELECT uuid FROM meeting")}
