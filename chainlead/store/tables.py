"""Statements over the whole database or over any table, not one family's.

The snapshot needs them: the latest time anywhere (an export's
``exported_at``), whether the database holds anything, and the merge's
writes, which are the same for every table -- ids handed out before rows are
written, rows inserted in batches of plain tuples, a row's changed columns,
and on SQLite the plain indexes set aside during a bulk import. Table names
come from the caller's constants, never from input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache

from chainlead.store.connection import Reader, moment, placeholders

# ---- snapshot


def latest_time(db: Reader) -> datetime | None:
    """The latest time recorded anywhere in the database (None when it holds none)."""
    values = db.rows(
        "SELECT (SELECT max(created_at) FROM person), (SELECT max(created_at) FROM chain), "
        "(SELECT max(created_at) FROM meeting), (SELECT max(created_at) FROM item), "
        "(SELECT max(updated_at) FROM item), (SELECT max(at) FROM event)"
    )[0]
    present = [moment(value) for value in values if value is not None]
    return max(present) if present else None


def is_empty(db: Reader) -> bool:
    """Whether the database holds no person, chain or event."""
    return not db.rows(
        "SELECT 1 WHERE EXISTS (SELECT 1 FROM person) OR EXISTS (SELECT 1 FROM chain) "
        "OR EXISTS (SELECT 1 FROM event)"
    )


def sequence_ids(db: Reader, table: str, count: int) -> list[int]:
    """PostgreSQL: ``count`` ids taken from the table's own sequence, never handed out again."""
    rows = db.rows(
        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, :count)",
        {"count": count},
    )
    return [row[0] for row in rows]


def largest_id(db: Reader, table: str) -> int:
    """The table's largest id, 0 when it is empty."""
    return int(db.rows(f'SELECT coalesce(max(id), 0) FROM "{table}"')[0][0])


def update_row(db: Reader, table: str, row_id: int, values: Mapping[str, object]) -> None:
    """Store these columns of the row with this id."""
    assignments = ", ".join(f'"{name}" = :{name}' for name in values)
    db.execute(f'UPDATE "{table}" SET {assignments} WHERE id = :id', {**values, "id": row_id})


@lru_cache(maxsize=32)
def _insert(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{name}"' for name in columns)
    markers = ", ".join(f":{name}" for name in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({markers})'


def insert_rows(
    db: Reader, table: str, columns: tuple[str, ...], rows: Sequence[Sequence[object]]
) -> None:
    """Insert rows given as plain tuples of ``columns``, in the form the database stores
    (``reader.stored_day``, ``reader.stored_time``): one statement, many rows."""
    db.executemany(_insert(table, columns), rows)


def widen_page_cache(db: Reader) -> None:
    """SQLite: a larger page cache for this connection only (64 MiB), so that the index
    pages of a big import stay in memory instead of being read again for every batch."""
    db.execute("PRAGMA cache_size = -65536")


def set_indexes_aside(db: Reader, tables: Sequence[str]) -> list[str]:
    """SQLite: drop the plain (not unique) indexes of these tables; their CREATE
    statements, for ``build_indexes`` to make them again."""
    names, bound = placeholders("table", tables)
    rows = db.rows(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN {names} AND sql NOT LIKE 'CREATE UNIQUE%'",
        bound,
    )
    for name, _ in rows:
        db.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


def build_indexes(db: Reader, statements: Sequence[str]) -> None:
    """Make the indexes ``set_indexes_aside`` dropped, each by its own CREATE statement."""
    for sql in statements:
        db.execute(sql)
