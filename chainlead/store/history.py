"""The append-only history, the ``event`` table: events written (by
``chainlead.domain.history`` alone; the snapshot merge copies imported events
in as rows), and read for cards and snapshots."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chainlead.domain.seals import ZERO, ChainedEvent, EventContent, link
from chainlead.store.connection import Reader, Row, chunks, moment, placeholders


def standing(alias: str = "") -> str:
    """A condition keeping only the events still standing: not reversed by an undo
    (``chainlead undo`` writes an ``undone`` event naming the reversed one's uuid)."""
    return (
        f"{alias}uuid NOT IN (SELECT u.old FROM event u WHERE u.kind = 'undone' "
        "AND u.old IS NOT NULL)"
    )


_INSERT = (
    "INSERT INTO event (uuid, at, actor, kind, chain_id, item_id, meeting_id, person_id, "
    "unit_id, project_id, field, old, new, text, hash, login) VALUES (:uuid, :at, :actor, "
    ":kind, :chain_id, :item_id, :meeting_id, :person_id, :unit_id, :project_id, :field, :old, "
    ":new, :text, :hash, :login) RETURNING id"
)
# The uuids an event's hash names (``chainlead.domain.seals``), from its row ids.
_REFERENCES = (
    "(SELECT uuid FROM chain WHERE id = {chain_id}), (SELECT uuid FROM item WHERE id = {item_id}), "
    "(SELECT uuid FROM meeting WHERE id = {meeting_id}), "
    "(SELECT uuid FROM person WHERE id = {person_id}), "
    "(SELECT uuid FROM unit WHERE id = {unit_id}), "
    "(SELECT uuid FROM project WHERE id = {project_id})"
)
_PARAMS = {
    name: f":{name}"
    for name in ("chain_id", "item_id", "meeting_id", "person_id", "unit_id", "project_id")
}
# The head, locked on PostgreSQL until the write commits: concurrent writers take
# turns there, so the chain never forks. SQLite writes one transaction at a time.
_HEAD_SQLITE = (
    "SELECT hash, NULL, " + _REFERENCES.format(**_PARAMS) + (" FROM history_head WHERE id = 1")
)
_HEAD_PG = (
    "SELECT hash, session_user, "
    + _REFERENCES.format(**_PARAMS)
    + (" FROM history_head WHERE id = 1 FOR UPDATE")
)
_MOVE_HEAD = "UPDATE history_head SET event_id = :id, hash = :hash WHERE id = 1"


def insert_event(conn: Reader, values: dict[str, object]) -> int:
    """Append one event (every column but ``id``, ``uuid``, ``hash`` and ``login``;
    ``unit_id`` and ``project_id`` may be left out), linked to the chain's head; its id."""
    row = {"uuid": str(uuid.uuid4()), "unit_id": None, "project_id": None, **values}
    refs = {name: row[name] for name in _PARAMS}
    head = conn.rows(_HEAD_SQLITE if conn.sqlite else _HEAD_PG, refs)[0]
    row["login"] = head[1]
    row["hash"] = link(head[0], _content(row, head[2:]))
    new_id = conn.insert(_INSERT, row)
    conn.execute(_MOVE_HEAD, {"id": new_id, "hash": row["hash"]})
    return new_id


def _content(row: Mapping[str, Any], uuids: Sequence[Any]) -> EventContent:
    at = row["at"]
    return EventContent(
        row["uuid"], moment(at), row["actor"], row["login"], row["kind"], row["field"],
        row["old"], row["new"], row["text"], *uuids,
    )  # fmt: skip


def chain_events(db: Reader, *, part: int = 10_000) -> Iterator[ChainedEvent]:
    """Every stored event in chain (id) order, with what its hash covers: read ``part``
    events at a time, so that a long history is walked in bounded memory."""
    refs = _REFERENCES.format(**{name: f"e.{name}" for name in _PARAMS})
    query = (
        "SELECT e.id, e.hash, e.uuid, e.at, e.actor, e.login, e.kind, e.field, e.old, e.new, "
        f"e.text, {refs} FROM event e WHERE e.id > :after ORDER BY e.id LIMIT {int(part)}"
    )
    after = -1
    while rows := db.rows(query, {"after": after}):
        after = rows[-1][0]
        yield from _chained(rows)


def _chained(rows: list[Row]) -> Iterator[ChainedEvent]:
    for row in rows:
        yield ChainedEvent(
            row[0], row[1] or None,
            EventContent(row[2], moment(row[3]), *row[4:]),
        )  # fmt: skip


def history_head(db: Reader) -> tuple[int | None, str]:
    """The head of the chain as recorded: the last event's id and hash."""
    rows = db.rows("SELECT event_id, hash FROM history_head WHERE id = 1")
    return (rows[0][0], rows[0][1]) if rows else (None, "")


def event_count(db: Reader) -> int:
    """How many events the history holds."""
    return int(db.rows("SELECT count(*) FROM event")[0][0])


def lock_head(db: Reader) -> str:
    """The head's hash, locked on PostgreSQL until the write commits (events inserted as
    rows link to it; ``move_head`` then)."""
    return str(
        db.rows(
            "SELECT hash FROM history_head WHERE id = 1"
            if db.sqlite
            else "SELECT hash FROM history_head WHERE id = 1 FOR UPDATE"
        )[0][0]
    )


def event_contents(
    db: Reader,
    rows: Sequence[Sequence[Any]],
    columns: Sequence[str],
    aliases: Mapping[str, Mapping[int, str]] | None = None,
) -> list[EventContent]:
    """What the hashes of events given as rows (``columns``: ``uuid`` ... ``login``, with
    the row ids of the records they name) cover, those records named by uuid (``aliases``:
    another uuid for some rows, by table and id)."""
    index = {name: n for n, name in enumerate(columns)}
    lookups = {
        table: _uuids(db, table, {row[index[f"{table}_id"]] for row in rows})
        for table in ("chain", "item", "meeting", "person", "unit", "project")
    }
    for table, named in (aliases or {}).items():
        if table in lookups:
            lookups[table].update(named)
    contents = []
    for row in rows:
        named = {name: row[n] for name, n in index.items()}
        uuids = [lookups[t].get(named[f"{t}_id"]) for t in lookups]
        contents.append(_content(named, uuids))
    return contents


def move_head(db: Reader) -> None:
    """Point the head at the newest event (after events were inserted as rows)."""
    db.execute(
        "UPDATE history_head SET event_id = (SELECT max(id) FROM event), "
        "hash = COALESCE((SELECT hash FROM event WHERE id = (SELECT max(id) FROM event)), "
        "hash) WHERE id = 1"
    )


def _uuids(db: Reader, table: str, ids: set[Any]) -> dict[int, str]:
    found: dict[int, str] = {}
    wanted = sorted(i for i in ids if i is not None)
    for part in chunks(wanted):
        names, params = placeholders("i", part)
        found.update(db.rows(f"SELECT id, uuid FROM {table} WHERE id IN {names}", params))
    return found


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
        for at, actor, kind, changed, old, new, text in conn.rows(
            "SELECT at, actor, kind, field, old, new, text FROM event "
            "WHERE chain_id = :chain AND item_id IS NULL AND project_id IS NULL ORDER BY at, id",
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
    unit: str | None = None  # the institution an assignment event is about


def item_events(conn: Reader, item_id: int) -> list[ItemEvent]:
    return [
        ItemEvent(moment(at), actor, kind, changed, old, new, text, person, meeting, unit)
        for at, actor, kind, changed, old, new, text, person, meeting, unit in conn.rows(
            'SELECT e.at, e.actor, e.kind, e.field, e.old, e.new, e.text, p.name, m."key", '
            "u.name FROM event e LEFT JOIN person p ON p.id = e.person_id "
            "LEFT JOIN meeting m ON m.id = e.meeting_id LEFT JOIN unit u ON u.id = e.unit_id "
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
        for at, actor, kind, item, changed, old, new, text in conn.rows(
            'SELECT e.at, e.actor, e.kind, i."key", e.field, e.old, e.new, e.text '
            "FROM event e LEFT JOIN item i ON i.id = e.item_id "
            "WHERE e.meeting_id = :meeting ORDER BY e.at, e.id",
            {"meeting": meeting_id},
        )
    ]


# ---- snapshot
# Rows as the driver gives them, for the export to spell as they are, and
# events as snapshot records (the snapshot's names, ``_id`` the row's id, the
# ids of what they concern under ``_item``/``_meeting``/``_person``, the time
# a ``datetime``), for the merge to compare. An event is about an item, else a
# meeting, else a chain, else a person, else nothing (the top-level history).

EVENT_ROW = (
    "uuid", "at", "actor", "kind", "meeting_id", "person_id", "unit_id", "field", "old", "new",
    "text", "login", "hash",
)  # fmt: skip
# ... and the previous event's hash in the chain (the one before by id), last.
_EVENT_ROW = (
    "e." + ", e.".join(EVENT_ROW) + ", COALESCE((SELECT p.hash FROM event p WHERE p.id < e.id "
    "ORDER BY p.id DESC LIMIT 1), '" + ZERO + "')"
)


def chain_item_event_rows(db: Reader, chain_id: int) -> list[Row]:
    """The events of a chain's items, by item, then time: each row the item's id, then
    ``EVENT_ROW``."""
    return db.rows(
        f"SELECT e.item_id, {_EVENT_ROW} FROM event e "
        "WHERE e.item_id IN (SELECT id FROM item WHERE chain_id = :chain) "
        "ORDER BY e.item_id, e.at, e.id",
        {"chain": chain_id},
    )


def loose_event_rows(db: Reader) -> list[Row]:
    """Every event not about an item, by time: each row its meeting's id and its
    chain's id, then ``EVENT_ROW``."""
    return db.rows(
        f"SELECT e.meeting_id, e.chain_id, {_EVENT_ROW} FROM event e "
        "WHERE e.item_id IS NULL ORDER BY e.at, e.id"
    )


_RECORDS = (
    "SELECT id, uuid, at, actor, kind, meeting_id, person_id, field, old, new, text, item_id, "
    "(SELECT u.name FROM unit u WHERE u.id = event.unit_id), login "
    "FROM event WHERE {where} ORDER BY at, id"
)
_TOP = "chain_id IS NULL AND item_id IS NULL AND meeting_id IS NULL AND person_id IS NULL"
_PERSON = "person_id IS NOT NULL AND chain_id IS NULL AND item_id IS NULL AND meeting_id IS NULL"
_CHAIN = "chain_id = :chain AND item_id IS NULL AND meeting_id IS NULL"
_MEETING = "meeting_id IN (SELECT id FROM meeting WHERE chain_id = :chain) AND item_id IS NULL"
_ITEM = "item_id IN (SELECT id FROM item WHERE chain_id = :chain)"

Names = Mapping[int, str]
Keys = Callable[[], Mapping[int, str]]  # meeting keys by id, asked for only when needed


def top_event_records(db: Reader, names: Names, keys: Keys) -> list[dict[str, Any]]:
    """The events about nothing in particular, by time."""
    return _records(db.rows(_RECORDS.format(where=_TOP)), names, keys)


def person_event_records(db: Reader, names: Names, keys: Keys) -> list[dict[str, Any]]:
    """The events about a person alone, by time."""
    return _records(db.rows(_RECORDS.format(where=_PERSON)), names, keys)


def chain_event_records(
    db: Reader, chain_id: int, names: Names, keys: Keys
) -> list[dict[str, Any]]:
    """A chain's own events (not its meetings' or items'), by time."""
    return _records(db.rows(_RECORDS.format(where=_CHAIN), {"chain": chain_id}), names, keys)


def chain_meeting_event_records(
    db: Reader, chain_id: int, names: Names, keys: Keys
) -> list[dict[str, Any]]:
    """The events of a chain's meetings (not about an item), by time."""
    return _records(db.rows(_RECORDS.format(where=_MEETING), {"chain": chain_id}), names, keys)


def chain_item_event_records(
    db: Reader, chain_id: int, names: Names, keys: Keys
) -> list[dict[str, Any]]:
    """The events of a chain's items, by time."""
    return _records(db.rows(_RECORDS.format(where=_ITEM), {"chain": chain_id}), names, keys)


def _records(rows: list[Row], names: Names, keys: Keys) -> list[dict[str, Any]]:
    meeting_keys = keys() if any(row[5] is not None for row in rows) else {}
    return [
        {
            "_id": row[0],
            "_item": row[11],
            "_meeting": row[5],
            "_person": row[6],
            "uuid": row[1],
            "at": moment(row[2]),
            "actor": row[3],
            "kind": row[4],
            "meeting": meeting_keys.get(row[5]) if row[5] is not None else None,
            "person": names.get(row[6]) if row[6] is not None else None,
            "unit": row[12],
            "field": row[7],
            "old": row[8],
            "new": row[9],
            "text": row[10],
            "login": row[13],
        }
        for row in rows
    ]


def event_uuids(db: Reader) -> set[str]:
    """Every stored event's uuid."""
    return {row[0] for row in db.rows("SELECT uuid FROM event")}
