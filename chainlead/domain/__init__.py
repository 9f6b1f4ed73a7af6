"""The rules of the chain-leader system, as functions over a ``Reader``.

A ``chainlead.store.connection.Reader`` runs the store's plain SQL: ``sqlite3`` on a
SQLite file, a SQLAlchemy Core connection on PostgreSQL. Domain functions
are keyword-only, take the reader and a ``Stamp`` (who and when) or
``today``, return plain frozen dataclasses, raise ``ChainleadError``
subclasses, never print and never commit: the caller's transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo


@dataclass(frozen=True)
class Stamp:
    """Who makes a change and when: passed in, never read from a clock here."""

    actor: str
    at: datetime  # naive UTC, as stored
    today: date  # the local date in ``zone``
    zone: tzinfo = UTC  # the calendar of the ``timezone`` setting (``chainlead.clock``)
    # PostgreSQL: the person the login is linked to, whose name a sign-off, an
    # approval or a forced resolution must carry (None: any, as on SQLite or for an
    # admin; ``chainlead.domain.access``)
    person: str | None = None
