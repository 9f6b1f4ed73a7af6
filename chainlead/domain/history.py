"""The one writer of the append-only history.

Nothing else inserts into the ``event`` table (but the snapshot merge, which
copies events as they are), and nothing updates or deletes there: the
database refuses it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from chainlead.domain import Stamp
from chainlead.store.connection import Reader
from chainlead.store.history import insert_event


@dataclass(frozen=True)
class EventRecord:
    """One event as written."""

    id: int
    at: datetime
    actor: str
    kind: str
    chain_id: int | None
    item_id: int | None
    meeting_id: int | None
    person_id: int | None
    field: str | None
    old: str | None
    new: str | None
    text: str | None
    unit_id: int | None = None
    project_id: int | None = None


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def record(
    source: Reader,
    *,
    stamp: Stamp,
    kind: str,
    chain_id: int | None = None,
    item_id: int | None = None,
    meeting_id: int | None = None,
    person_id: int | None = None,
    field: str | None = None,
    old: object = None,
    new: object = None,
    text: str | None = None,
    unit_id: int | None = None,
    project_id: int | None = None,
) -> EventRecord:
    """Append one event; every change to a chain, item, meeting or project writes one."""
    values = {
        "at": stamp.at,
        "actor": stamp.actor,
        "kind": kind,
        "chain_id": chain_id,
        "item_id": item_id,
        "meeting_id": meeting_id,
        "person_id": person_id,
        "unit_id": unit_id,
        "project_id": project_id,
        "field": field,
        "old": _as_text(old),
        "new": _as_text(new),
        "text": text,
    }
    new_id = insert_event(source, values)
    return EventRecord(id=new_id, **values)  # type: ignore[arg-type]
