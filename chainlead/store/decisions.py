"""Meeting decisions and the actions made of them (items with ``decision_id`` set).

A decision's number is its place in the meeting's list (1-based, in the
order of ``position``), as ``schedule show`` numbers them. Reads take lists
of meetings, one statement per 500 meetings, never one per decision.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from chainlead.store.connection import Reader, chunks, day, day_or_none, placeholders


@dataclass(frozen=True)
class DecisionRow:
    """One decision of a meeting: its id, number (1-based) and text."""

    id: int
    number: int
    text: str


@dataclass(frozen=True)
class ActionRow:
    """An item made of a decision, as it stands."""

    decision_id: int
    key: str
    title: str
    status: str
    unit: str
    owner: str | None
    due_on: date
    resolved_on: date | None


@dataclass(frozen=True)
class DecisionOrigin:
    """The meeting decision an item was made of."""

    meeting: str  # the meeting's key
    number: int  # the decision's number in the meeting, 1-based
    text: str


def decision_rows(db: Reader, meeting_ids: Iterable[int]) -> dict[int, list[DecisionRow]]:
    """These meetings' decisions in order, by meeting id."""
    out: dict[int, list[DecisionRow]] = defaultdict(list)
    for chunk in chunks(meeting_ids):
        within, params = placeholders("m", chunk)
        for meeting_id, decision_id, text in db.rows(
            f"SELECT meeting_id, id, text FROM meeting_decision WHERE meeting_id IN {within} "
            "ORDER BY meeting_id, position",
            params,
        ):
            found = out[int(meeting_id)]
            found.append(DecisionRow(int(decision_id), len(found) + 1, text))
    return out


def action_rows(db: Reader, meeting_ids: Iterable[int]) -> dict[int, list[ActionRow]]:
    """The actions of these meetings' decisions, by decision id, each by item number."""
    out: dict[int, list[ActionRow]] = defaultdict(list)
    for chunk in chunks(meeting_ids):
        within, params = placeholders("m", chunk)
        for row in db.rows(
            'SELECT d.id, i."key", i.title, i.status, i.unit, p.name, i.due_on, i.resolved_on '
            "FROM meeting_decision d JOIN item i ON i.decision_id = d.id "
            "LEFT JOIN person p ON p.id = i.owner_id "
            f"WHERE d.meeting_id IN {within} ORDER BY d.id, i.number",
            params,
        ):
            out[int(row[0])].append(
                ActionRow(int(row[0]), *row[1:6], day(row[6]), day_or_none(row[7]))
            )
    return out


def next_scheduling(
    db: Reader, meeting_ids: Iterable[int], kind: str
) -> dict[int, tuple[str, date]]:
    """For each of these meetings, the key and day of the chain's next meeting of ``kind``
    (the first held after it, by day and number); meetings with none are left out."""
    out: dict[int, tuple[str, date]] = {}
    for chunk in chunks(meeting_ids):
        within, params = placeholders("m", chunk)
        for meeting_id, key, held_on in db.rows(
            'SELECT m.id, n."key", n.held_on FROM meeting m JOIN meeting n '
            "ON n.chain_id = m.chain_id AND n.kind = :kind AND (n.held_on > m.held_on "
            "OR (n.held_on = m.held_on AND n.number > m.number)) "
            f"WHERE m.id IN {within} ORDER BY m.id, n.held_on DESC, n.number DESC",
            {**params, "kind": kind},
        ):
            out[int(meeting_id)] = (key, day(held_on))  # the last row of a meeting is its first
    return out


def insert_decision(db: Reader, *, meeting_id: int, text: str) -> DecisionRow:
    """Add a decision after the meeting's last one."""
    found = db.rows(
        "SELECT count(*), max(position) FROM meeting_decision WHERE meeting_id = :m",
        {"m": meeting_id},
    )
    count, last = found[0]
    new_id = db.insert(
        "INSERT INTO meeting_decision (uuid, meeting_id, position, text) "
        "VALUES (:uuid, :m, :position, :text) RETURNING id",
        {"uuid": str(uuid.uuid4()), "m": meeting_id, "position": (last or 0) + 1, "text": text},
    )
    return DecisionRow(new_id, int(count) + 1, text)


def rewrite_decisions(db: Reader, meeting_id: int, texts: Sequence[str]) -> None:
    """The meeting's decisions become ``texts``, decision by decision: the first
    decisions keep their rows (and their actions) with the new wording, more are
    added, and those beyond ``texts`` are deleted (the caller checks none has actions)."""
    rows = decision_rows(db, [meeting_id]).get(meeting_id, [])
    for row, text in zip(rows, texts, strict=False):
        db.execute(
            "UPDATE meeting_decision SET text = :text WHERE id = :id", {"text": text, "id": row.id}
        )
    for row in rows[len(texts) :]:
        db.execute("DELETE FROM meeting_decision WHERE id = :id", {"id": row.id})
    if len(texts) > len(rows):
        found = db.rows(
            "SELECT max(position) FROM meeting_decision WHERE meeting_id = :m", {"m": meeting_id}
        )
        last = int(found[0][0] or 0)
        for offset, text in enumerate(texts[len(rows) :], start=1):
            values = {"m": meeting_id, "position": last + offset, "text": text}
            db.insert(
                "INSERT INTO meeting_decision (uuid, meeting_id, position, text) "
                "VALUES (:uuid, :m, :position, :text) RETURNING id",
                {"uuid": str(uuid.uuid4()), **values},
            )


def set_decision(db: Reader, *, item_id: int, decision_id: int) -> None:
    """Mark an item as an action of this decision."""
    db.execute("UPDATE item SET decision_id = :d WHERE id = :id", {"d": decision_id, "id": item_id})


def decision_origin(db: Reader, item_id: int) -> DecisionOrigin | None:
    """The meeting decision this item was made of, if any."""
    rows = db.rows(
        'SELECT m."key", d.text, (SELECT count(*) FROM meeting_decision e '
        "WHERE e.meeting_id = d.meeting_id AND e.position <= d.position) "
        "FROM item i JOIN meeting_decision d ON d.id = i.decision_id "
        "JOIN meeting m ON m.id = d.meeting_id WHERE i.id = :item",
        {"item": item_id},
    )
    if not rows:
        return None
    key, text, number = rows[0]
    return DecisionOrigin(meeting=key, number=int(number), text=text)
