"""The one writer of the append-only history.

Nothing else inserts into the ``event`` table, and nothing updates or deletes
there (the database refuses it too).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from chainlead.domain import Stamp
from chainlead.models import Event


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def record(
    session: Session,
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
) -> Event:
    """Append one event; every change to a chain, item or meeting writes one."""
    event = Event(
        at=stamp.at,
        actor=stamp.actor,
        kind=kind,
        chain_id=chain_id,
        item_id=item_id,
        meeting_id=meeting_id,
        person_id=person_id,
        field=field,
        old=_as_text(old),
        new=_as_text(new),
        text=text,
    )
    session.add(event)
    return event
