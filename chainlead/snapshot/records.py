"""The database read as snapshot records, with plain SQL through a ``Reader``.

Every reader returns records in the snapshot's own shape (the names of
``schema``; references as names and keys, dates and times as ``date`` and
``datetime`` on every database) plus the row id under ``_id``, so that the
merge compares them with what a snapshot holds. A chain's records are read a
chain at a time (a handful of queries per chain, none per row), which keeps
memory bounded by the largest chain. The statements that export reads the
same records with (the meeting parts) are shared: ``PART_QUERIES``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from chainlead.reader import Reader, Row, day, day_or_none, moment

Record = dict[str, Any]

PART_QUERIES = (
    (
        "attendees",
        "SELECT a.meeting_id, a.uuid, a.name FROM meeting_attendee a "
        "JOIN meeting m ON m.id = a.meeting_id WHERE m.chain_id = :chain "
        "ORDER BY a.meeting_id, a.position",
        ("uuid", "name"),
    ),
    (
        "decisions",
        "SELECT d.meeting_id, d.uuid, d.text FROM meeting_decision d "
        "JOIN meeting m ON m.id = d.meeting_id WHERE m.chain_id = :chain "
        "ORDER BY d.meeting_id, d.position",
        ("uuid", "text"),
    ),
    (
        "figures",
        "SELECT f.meeting_id, f.uuid, f.name, f.value, f.unit FROM meeting_figure f "
        "JOIN meeting m ON m.id = f.meeting_id WHERE m.chain_id = :chain "
        "ORDER BY f.meeting_id, f.id",
        ("uuid", "name", "value", "unit"),
    ),
)
"""A chain's meeting attendees and decisions in the order recorded (``position``),
figures in the order added (``id``): each row its meeting's id, then its fields."""

_EVENTS = (
    "SELECT id, uuid, at, actor, kind, meeting_id, person_id, field, old, new, text, item_id "
    "FROM event WHERE {where} ORDER BY at, id"
)
TOP_EVENTS = "chain_id IS NULL AND item_id IS NULL AND meeting_id IS NULL AND person_id IS NULL"
PERSON_EVENTS = (
    "person_id IS NOT NULL AND chain_id IS NULL AND item_id IS NULL AND meeting_id IS NULL"
)
CHAIN_EVENTS = "chain_id = :chain AND item_id IS NULL AND meeting_id IS NULL"
MEETING_EVENTS = (
    "meeting_id IN (SELECT id FROM meeting WHERE chain_id = :chain) AND item_id IS NULL"
)
ITEM_EVENTS = "item_id IN (SELECT id FROM item WHERE chain_id = :chain)"
UUID_TABLES = ("item", "meeting", "membership", "meeting_item", "event")


def _grouped(records: Iterable[Record], key: str) -> dict[int, list[Record]]:
    groups: dict[int, list[Record]] = defaultdict(list)
    for record in records:
        groups[record[key]].append(record)
    return groups


class Records:
    """The database seen as snapshot records."""

    def __init__(self, db: Reader) -> None:
        self.db = db
        self._person_names: dict[int, str] | None = None
        self._meeting_keys: dict[int, str] | None = None

    # ------------------------------------------------------------------ lookups

    @property
    def person_names(self) -> dict[int, str]:
        if self._person_names is None:
            self._person_names = dict(self.db.rows("SELECT id, name FROM person"))
        return self._person_names

    @property
    def meeting_keys(self) -> dict[int, str]:
        if self._meeting_keys is None:
            self._meeting_keys = dict(self.db.rows("SELECT id, key FROM meeting"))
        return self._meeting_keys

    def is_empty(self) -> bool:
        """Whether the database holds no person, chain or event."""
        return not self.db.rows(
            "SELECT 1 WHERE EXISTS (SELECT 1 FROM person) OR EXISTS (SELECT 1 FROM chain) "
            "OR EXISTS (SELECT 1 FROM event)"
        )

    def uuids(self, table: str) -> set[str]:
        """Every stored uuid of a table (only asked whether one is taken)."""
        if table not in UUID_TABLES:
            raise ValueError(table)
        return {row[0] for row in self.db.rows(f"SELECT uuid FROM {table}")}

    def meetings_by_key(self) -> dict[str, tuple[int, int]]:
        """Every stored meeting's id and chain id by its key."""
        return {
            row[0]: (row[1], row[2])
            for row in self.db.rows("SELECT key, id, chain_id FROM meeting")
        }

    # ------------------------------------------------------------------ events

    def _events(self, where: str, params: dict[str, object] | None = None) -> list[Record]:
        rows = self.db.rows(_EVENTS.format(where=where), params)
        names = self.person_names
        keys = self.meeting_keys if any(row[5] is not None for row in rows) else {}
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
                "meeting": keys.get(row[5]) if row[5] is not None else None,
                "person": names.get(row[6]) if row[6] is not None else None,
                "field": row[7],
                "old": row[8],
                "new": row[9],
                "text": row[10],
            }
            for row in rows
        ]

    def top_history(self) -> list[Record]:
        return self._events(TOP_EVENTS)

    def meeting_parts(self, chain_id: int) -> dict[str, dict[int, list[Record]]]:
        """A chain's meeting attendees, decisions and figures, each grouped by meeting."""
        parts: dict[str, dict[int, list[Record]]] = {}
        for name, query, fields in PART_QUERIES:
            parts[name] = _grouped(
                (
                    {"_meeting": row[0], **dict(zip(fields, row[1:], strict=True))}
                    for row in self.db.rows(query, {"chain": chain_id})
                ),
                "_meeting",
            )
        return parts

    # ------------------------------------------------------------------ people

    def people(self) -> list[Record]:
        """People sorted by name (code point order, the same on every database)."""
        rows = self.db.rows("SELECT id, uuid, name, unit, title, contact, created_at FROM person")
        events = self._events(PERSON_EVENTS)
        for event in events:
            event["person"] = None  # the person is the record it is filed under
        history = _grouped(events, "_person")
        people = [
            {
                "_id": row[0],
                "uuid": row[1],
                "name": row[2],
                "unit": row[3],
                "title": row[4],
                "contact": row[5],
                "created_at": moment(row[6]),
                "history": history.get(row[0], []),
            }
            for row in rows
        ]
        people.sort(key=lambda person: person["name"])
        return people

    # ------------------------------------------------------------------ chains

    def chains(self) -> list[Record]:
        """Chains sorted by code."""
        chains = [
            {
                "_id": row[0],
                "uuid": row[1],
                "code": row[2],
                "name": row[3],
                "description": row[4],
                "status": row[5],
                "archived": day_or_none(row[6]),
                "created_at": moment(row[7]),
                "next_item_no": row[8],
                "next_meeting_no": row[9],
            }
            for row in self.db.rows(
                "SELECT id, uuid, code, name, description, status, archived_on, created_at, "
                "next_item_no, next_meeting_no FROM chain"
            )
        ]
        chains.sort(key=lambda chain: chain["code"])
        return chains

    def memberships(self, chain_id: int) -> list[Record]:
        rows = self.db.rows(
            "SELECT id, uuid, person_id, role, since, until FROM membership "
            "WHERE chain_id = :chain ORDER BY since, id",
            {"chain": chain_id},
        )
        names = self.person_names
        return [
            {
                "_id": row[0],
                "_person": row[2],
                "uuid": row[1],
                "person": names[row[2]],
                "role": row[3],
                "since": day(row[4]),
                "until": day_or_none(row[5]),
            }
            for row in rows
        ]

    def chain_history(self, chain_id: int) -> list[Record]:
        return self._events(CHAIN_EVENTS, {"chain": chain_id})

    # ------------------------------------------------------------------ meetings

    def meetings(self, chain_id: int) -> list[Record]:
        """The chain's meetings by number, with attendees, decisions, figures and history."""
        rows = self.db.rows(
            "SELECT id, uuid, key, number, kind, month, held_on, chair_id, summary, created_at "
            "FROM meeting WHERE chain_id = :chain ORDER BY number",
            {"chain": chain_id},
        )
        if not rows:
            return []
        names = self.person_names
        parts = self.meeting_parts(chain_id)
        attendees, decisions, figures = parts["attendees"], parts["decisions"], parts["figures"]
        history = _grouped(self._events(MEETING_EVENTS, {"chain": chain_id}), "_meeting")
        for events in history.values():
            for event in events:
                event["meeting"] = None  # the meeting is the record it is filed under
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
                "attendees": attendees.get(row[0], []),
                "decisions": decisions.get(row[0], []),
                "figures": figures.get(row[0], []),
                "history": history.get(row[0], []),
            }
            for row in rows
        ]

    # ------------------------------------------------------------------ items

    def items(self, chain_id: int) -> list[Record]:
        """The chain's items by number, with their meeting links and whole history."""
        params = {"chain": chain_id}
        rows = self.db.rows(
            "SELECT id, uuid, key, number, title, detail, enterprise, source, category, "
            "priority, unit, owner_id, raised_on, due_on, status, resolution, resolved_on, "
            "closed_on, status_reason, created_at, updated_at "
            "FROM item WHERE chain_id = :chain ORDER BY number",
            params,
        )
        if not rows:
            return []
        names = self.person_names
        link_rows = self.db.rows(
            "SELECT item_id, id, uuid, meeting_id, relation FROM meeting_item "
            "WHERE item_id IN (SELECT id FROM item WHERE chain_id = :chain) "
            "ORDER BY item_id, id",
            params,
        )
        keys = self.meeting_keys if link_rows else {}
        links = _grouped(
            (
                {
                    "_item": r[0],
                    "_id": r[1],
                    "_meeting": r[3],
                    "uuid": r[2],
                    "meeting": keys[r[3]],
                    "relation": r[4],
                }
                for r in link_rows
            ),
            "_item",
        )
        history = _grouped(self._events(ITEM_EVENTS, params), "_item")
        return [_item(row, names, links, history) for row in rows]


def _item(
    row: Row,
    names: dict[int, str],
    links: dict[int, list[Record]],
    history: dict[int, list[Record]],
) -> Record:
    return {
        "_id": row[0],
        "uuid": row[1],
        "key": row[2],
        "number": row[3],
        "title": row[4],
        "detail": row[5],
        "enterprise": row[6],
        "source": row[7],
        "category": row[8],
        "priority": row[9],
        "unit": row[10],
        "owner": names[row[11]] if row[11] is not None else None,
        "raised": day(row[12]),
        "due": day(row[13]),
        "status": row[14],
        "resolution": row[15],
        "resolved": day_or_none(row[16]),
        "closed": day_or_none(row[17]),
        "status_reason": row[18],
        "created_at": moment(row[19]),
        "updated_at": moment(row[20]),
        "links": links.get(row[0], []),
        "history": history.get(row[0], []),
    }
