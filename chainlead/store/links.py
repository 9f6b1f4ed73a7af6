"""The links of a chain's map (产业链图谱) and the enterprises placed on them, as stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chainlead.store.connection import Reader, moment


@dataclass(frozen=True)
class LinkRecord:
    """A link of a chain's map as stored."""

    id: int
    uuid: str
    chain_id: int
    name: str
    segment: str  # upstream | midstream | downstream
    state: str  # strong | weak | missing
    position: int
    note: str | None
    created_at: datetime


_COLUMNS = "id, uuid, chain_id, name, segment, state, position, note, created_at"
_SELECT = f"SELECT {_COLUMNS} FROM chain_link"


def _record(row: tuple) -> LinkRecord:
    return LinkRecord(*row[:8], created_at=moment(row[8]))


def links_of_chain(db: Reader, chain_id: int) -> list[LinkRecord]:
    """A chain's links in the order of its map."""
    rows = db.rows(_SELECT + " WHERE chain_id = :c ORDER BY position", {"c": chain_id})
    return [_record(row) for row in rows]


def link_by_id(db: Reader, link_id: int) -> LinkRecord:
    return _record(db.rows(_SELECT + " WHERE id = :id", {"id": link_id})[0])
