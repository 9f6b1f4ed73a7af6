"""How the reports read the database.

The statements are portable SQL text run through a ``chainlead.reader.Reader``
(as ``domain.views``): on a SQLite file the standard library's ``sqlite3``, so
the reports never import SQLAlchemy there; on PostgreSQL, or for a caller
holding a session (``chainlead demo``), through the ORM session. The helpers
here make ``IN`` lists and read dates as the driver returns them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from chainlead.vocabulary import OPEN_STATUSES


def _start(day: date) -> datetime:
    return datetime.combine(day, time())


def _in(prefix: str, values: Iterable[object]) -> tuple[str, dict[str, object]]:
    """``(:p0, :p1, ...)`` and its parameters, for ``IN``."""
    names = {f"{prefix}{n}": value for n, value in enumerate(values)}
    return "(" + ", ".join(f":{name}" for name in names) + ")", names


_OPEN = "(" + ", ".join(f"'{status}'" for status in OPEN_STATUSES) + ")"


_DAYS: dict[str, date] = {}  # SQLite's date text -> date (a report reads the same days often)


def _to_date(value: Any) -> date:
    """A date as the driver returns it: text on SQLite, ``date`` on PostgreSQL."""
    if isinstance(value, str):
        found = _DAYS.get(value)
        if found is None:
            found = _DAYS[value] = date.fromisoformat(value[:10])
            if len(_DAYS) > 100_000:
                _DAYS.clear()
        return found
    if isinstance(value, datetime):
        return value.date()
    return value  # type: ignore[no-any-return]


def _chunks(ids: Iterable[int], size: int = 500) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]
