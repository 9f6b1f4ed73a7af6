"""The chain row as writes need it: locked, checked active, its counters taken."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from chainlead.clock import local_day
from chainlead.errors import ChainNotFound, RuleViolation
from chainlead.store.connection import Reader, Row, changed_one, day_or_none, moment
from chainlead.values import normalize_code
from chainlead.vocabulary import ChainStatus

_COLUMNS = (
    "id, code, name, description, status, next_item_no, next_meeting_no, created_at, archived_on"
)


@dataclass
class ChainRecord:
    id: int
    code: str
    name: str
    description: str | None
    status: str
    next_item_no: int
    next_meeting_no: int
    created_at: datetime
    archived_on: date | None


def _record(row: tuple) -> ChainRecord:
    found = ChainRecord(*row)
    found.created_at = moment(found.created_at)
    found.archived_on = day_or_none(found.archived_on)
    return found


def chain_codes(conn: Reader) -> list[str]:
    return [row[0] for row in conn.rows("SELECT code FROM chain")]


def chain_not_found(conn: Reader, code: str) -> ChainNotFound:
    """The error for a missing chain code, naming the closest codes."""
    import difflib

    return ChainNotFound("chain", code, difflib.get_close_matches(code, chain_codes(conn), n=3))


def chain_id_of(conn: Reader, code: str) -> int | None:
    """The id of the chain with this (normalised) code, if there is one."""
    found = conn.rows("SELECT id FROM chain WHERE code = :code", {"code": code})
    return int(found[0][0]) if found else None


def chains_by_code(conn: Reader, *, include_archived: bool) -> list[tuple[int, str, str, str]]:
    """(id, code, name, status) of every chain, active ones only unless asked, by code."""
    sql = "SELECT id, code, name, status FROM chain"
    if not include_archived:
        sql += " WHERE status = 'active'"
    return [
        (int(i), code, name, status) for i, code, name, status in conn.rows(sql + " ORDER BY code")
    ]


def find_chain(conn: Reader, *, code: str, field: str = "chain") -> ChainRecord:
    """The chain with this code (any case), or ChainNotFound with suggestions."""
    return _by_code(conn, code, field, lock=False)


def lock_chain(conn: Reader, *, code: str, field: str = "chain") -> ChainRecord:
    """The chain row, locked on PostgreSQL (SQLite's write lock is already held),
    so that two writers never take the same item or meeting number, nor change
    one chain's team at once."""
    return _by_code(conn, code, field, lock=True)


def _by_code(db: Reader, code: str, field: str, *, lock: bool) -> ChainRecord:
    normalized = normalize_code(code, field)
    sql = f"SELECT {_COLUMNS} FROM chain WHERE code = :code"
    rows = db.rows(sql + (" FOR UPDATE" if lock and not db.sqlite else ""), {"code": normalized})
    if not rows and lock and not db.sqlite and db.rows(sql, {"code": normalized}):
        changed_one(0)  # there, but row-level security keeps this login from changing it
    if not rows:
        raise chain_not_found(db, normalized)
    return _record(rows[0])


def chain_of(conn: Reader, chain_id: int) -> ChainRecord:
    """The chain with this id (it exists: a foreign key points at it)."""
    rows = conn.rows(f"SELECT {_COLUMNS} FROM chain WHERE id = :id", {"id": chain_id})
    return _record(rows[0])


def require_active(chain: ChainRecord) -> None:
    if chain.status != ChainStatus.active:
        raise RuleViolation(f"chain {chain.code} is archived; it accepts no new work")


def take_number(conn: Reader, chain: ChainRecord, *, meeting: bool = False) -> int:
    """The chain's next item (or meeting) number, never handed out again."""
    column = "next_meeting_no" if meeting else "next_item_no"
    number: int = getattr(chain, column)
    conn.execute(
        f"UPDATE chain SET {column} = :next WHERE id = :id", {"next": number + 1, "id": chain.id}
    )
    setattr(chain, column, number + 1)
    return number


def chain_named(conn: Reader, name: str, *, other_than: int | None = None) -> str | None:
    """The code of a chain with this name in any case (another than ``other_than``)."""
    rows = conn.rows(
        "SELECT code FROM chain WHERE lower(name) = :name AND id <> :other",
        {"name": name.lower(), "other": -1 if other_than is None else other_than},
    )
    return rows[0][0] if rows else None


def code_taken(conn: Reader, code: str) -> bool:
    return bool(conn.rows("SELECT 1 FROM chain WHERE code = :code", {"code": code}))


def insert_chain(
    conn: Reader, *, code: str, name: str, description: str | None, at: datetime
) -> ChainRecord:
    """A new active chain, its numbers starting at 1."""
    new_id = conn.insert(
        "INSERT INTO chain (uuid, code, name, description, status, created_at, archived_on, "
        "next_item_no, next_meeting_no) VALUES (:uuid, :code, :name, :description, :status, "
        ":at, NULL, 1, 1) RETURNING id",
        {
            "uuid": str(uuid.uuid4()),
            "code": code,
            "name": name,
            "description": description,
            "status": ChainStatus.active.value,
            "at": at,
        },
    )
    return ChainRecord(new_id, code, name, description, ChainStatus.active.value, 1, 1, at, None)


def update_chain(conn: Reader, chain: ChainRecord, **values: object) -> None:
    """Store changed fields of a chain (name, description, status, archived_on)."""
    assigned = ", ".join(f"{name} = :{name}" for name in values)
    conn.execute(f"UPDATE chain SET {assigned} WHERE id = :id", {**values, "id": chain.id})
    for name, value in values.items():
        if hasattr(chain, name):
            setattr(chain, name, value)


def chain_spans(conn: Reader, zone: tzinfo) -> list[tuple[int, str, str, date, date | None]]:
    """(id, code, name, day created in ``zone``, day archived) of every chain, by code."""
    return [
        (int(chain), code, name, local_day(moment(created_at), zone), day_or_none(archived_on))
        for chain, code, name, created_at, archived_on in conn.rows(
            "SELECT id, code, name, created_at, archived_on FROM chain ORDER BY code"
        )
    ]


# ---- snapshot
# Rows as the driver gives them, for the export to spell as they are, and the
# same rows as snapshot records (the snapshot's names, ``_id`` the row's id,
# dates and times as Python values), for the merge to compare.

CHAIN_ROW = (
    "id", "uuid", "code", "name", "description", "status", "archived_on", "created_at",
    "next_item_no", "next_meeting_no",
)  # fmt: skip


def chain_rows(db: Reader) -> list[Row]:
    """Every chain, each row ``CHAIN_ROW``, in no particular order."""
    return db.rows("SELECT " + ", ".join(CHAIN_ROW) + " FROM chain")


def chain_records(db: Reader) -> list[dict[str, Any]]:
    """Every chain as a snapshot record (without its lists), in no particular order."""
    return [
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
        for row in chain_rows(db)
    ]


# ---- reports


def every_chain(conn: Reader) -> list[ChainRecord]:
    """Every chain, active or archived, by code."""
    rows = conn.rows(f"SELECT {_COLUMNS} FROM chain ORDER BY code")
    return [_record(row) for row in rows]
