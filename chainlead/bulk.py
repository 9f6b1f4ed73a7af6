"""The fast path for writing many rows: Core ``INSERT`` with lists of dicts.

No ORM objects, no RETURNING, one ``executemany`` per batch: about four
times faster than ``session.add_all`` at 100k rows. Used by snapshot import
and by the benchmark generator. Rows are plain dicts keyed by column name;
every dict of one call must have the same keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session, SQLModel

BATCH = 5000


def batches(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def insert_rows(
    session: Session,
    model: type[SQLModel],
    rows: Iterable[dict[str, Any]],
    *,
    done: Callable[[int], None] | None = None,
) -> int:
    """Insert every row in batches; ``done(n)`` is told after each batch. Returns the count."""
    table = model.__table__  # type: ignore[attr-defined]
    statement = insert(table)
    count = 0
    for batch in batches(rows):
        session.execute(statement, batch)
        count += len(batch)
        if done is not None:
            done(len(batch))
    return count


def ids_by_uuid(session: Session, model: type[SQLModel]) -> dict[str, int]:
    """Every row's id by its uuid, in one query (to link rows inserted in bulk)."""
    table = model.__table__  # type: ignore[attr-defined]
    return dict(session.execute(select(table.c.uuid, table.c.id)).all())
