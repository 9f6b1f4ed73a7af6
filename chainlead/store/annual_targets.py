"""A chain's annual targets (the ``target`` table) and the meeting figures they are
measured by, as stored.

Not to be confused with ``chainlead.store.target``, the database a command points at.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from chainlead.store.connection import Reader, day, moment


@dataclass(frozen=True)
class TargetRecord:
    """An annual target as stored, with its chain's code."""

    id: int
    uuid: str
    chain_id: int
    code: str  # the chain's code
    year: int
    figure: str
    value: str  # exact decimal text
    unit: str | None
    kind: str  # sum | latest
    created_at: datetime


_SELECT = (
    "SELECT t.id, t.uuid, t.chain_id, c.code, t.year, t.figure, t.value, t.unit, t.kind, "
    "t.created_at FROM target t JOIN chain c ON c.id = t.chain_id"
)


def _record(row: tuple) -> TargetRecord:
    return TargetRecord(
        id=int(row[0]),
        uuid=row[1],
        chain_id=int(row[2]),
        code=row[3],
        year=int(row[4]),
        figure=row[5],
        value=row[6],
        unit=row[7],
        kind=row[8],
        created_at=moment(row[9]),
    )


def targets(
    db: Reader, *, year: int | None = None, chain_id: int | None = None
) -> list[TargetRecord]:
    """Targets by chain code, year and the order they were first set."""
    where: list[str] = []
    params: dict[str, object] = {}
    if year is not None:
        where.append("t.year = :year")
        params["year"] = year
    if chain_id is not None:
        where.append("t.chain_id = :chain")
        params["chain"] = chain_id
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    return [_record(row) for row in db.rows(sql + " ORDER BY c.code, t.year, t.id", params)]


def insert_target(
    db: Reader,
    *,
    chain_id: int,
    year: int,
    figure: str,
    value: str,
    unit: str | None,
    kind: str,
    at: datetime,
) -> int:
    return db.insert(
        "INSERT INTO target (uuid, chain_id, year, figure, value, unit, kind, created_at) "
        "VALUES (:uuid, :chain, :year, :figure, :value, :unit, :kind, :at) RETURNING id",
        {
            "uuid": str(uuid.uuid4()),
            "chain": chain_id,
            "year": year,
            "figure": figure,
            "value": value,
            "unit": unit,
            "kind": kind,
            "at": at,
        },
    )


def update_target(db: Reader, target_id: int, *, value: str, unit: str | None, kind: str) -> None:
    db.execute(
        "UPDATE target SET value = :value, unit = :unit, kind = :kind WHERE id = :id",
        {"id": target_id, "value": value, "unit": unit, "kind": kind},
    )


def delete_target(db: Reader, target_id: int) -> None:
    db.execute("DELETE FROM target WHERE id = :id", {"id": target_id})


@dataclass(frozen=True)
class RecordedFigure:
    """One key figure a meeting recorded, with where and when."""

    chain_id: int
    meeting: str  # the meeting's key
    number: int  # the meeting's number on its chain: later entries have higher ones
    month: str  # YYYY-MM the meeting counts for
    held_on: date
    name: str
    value: str
    unit: str | None


_FIGURES = (
    "SELECT m.chain_id, m.key, m.number, m.month, m.held_on, f.name, f.value, f.unit "
    "FROM meeting_figure f JOIN meeting m ON m.id = f.meeting_id"
)


def _figure(row: tuple) -> RecordedFigure:
    return RecordedFigure(
        chain_id=int(row[0]),
        meeting=row[1],
        number=int(row[2]),
        month=row[3],
        held_on=day(row[4]),
        name=row[5],
        value=row[6],
        unit=row[7],
    )


def figures_in_year(
    db: Reader, *, year: int, until: date, chain_ids: list[int] | None = None
) -> list[RecordedFigure]:
    """The figures of meetings counting for ``year``, held by ``until``, oldest first."""
    sql = _FIGURES + " WHERE m.month >= :first AND m.month <= :last AND m.held_on <= :until"
    params: dict[str, object] = {"first": f"{year:04d}-01", "last": f"{year:04d}-12"}
    params["until"] = until
    if chain_ids is not None:
        if not chain_ids:
            return []
        marks = ", ".join(f":c{n}" for n in range(len(chain_ids)))
        sql += f" AND m.chain_id IN ({marks})"
        params.update({f"c{n}": chain_id for n, chain_id in enumerate(chain_ids)})
    rows = db.rows(sql + " ORDER BY m.month, m.held_on, m.number", params)
    return [_figure(row) for row in rows]


def figure_units(db: Reader) -> list[tuple[int, str, str | None]]:
    """Every (chain id, figure name, unit) the meetings have recorded, once each."""
    rows = db.rows(
        "SELECT DISTINCT m.chain_id, f.name, f.unit FROM meeting_figure f "
        "JOIN meeting m ON m.id = f.meeting_id"
    )
    return [(int(chain_id), name, unit) for chain_id, name, unit in rows]


def target_rows(db: Reader) -> list[tuple[str, int, str, str, str | None, str]]:
    """(chain code, year, figure, value, unit, kind) of every target, for ``db check``."""
    rows = db.rows(
        "SELECT c.code, t.year, t.figure, t.value, t.unit, t.kind FROM target t "
        "JOIN chain c ON c.id = t.chain_id ORDER BY c.code, t.year, t.figure"
    )
    return [
        (code, int(year), figure, value, unit, kind)
        for code, year, figure, value, unit, kind in rows
    ]


def figure_names_in_file(file: str, limit: int) -> list[str]:
    """The figure names meetings and targets use, read from a SQLite file for shell
    completion (plain ``sqlite3``, read-only; any error gives nothing)."""
    import sqlite3
    from pathlib import Path
    from urllib.parse import quote

    path = Path(file).expanduser()
    if not path.is_file():
        return []
    sql = "SELECT name FROM meeting_figure UNION SELECT figure FROM target ORDER BY 1 LIMIT ?"
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro", uri=True, timeout=1)
        try:
            rows = conn.execute(sql, (limit,)).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    return [row[0] for row in rows]
