"""The zone a database was made for: a ``meta`` row, recorded by ``chainlead demo``
(the Jiangning district keeps Beijing time) and read when the ``timezone``
setting is left at its default.

Statements only; ``cli.runtime.settings`` decides when the recorded zone applies.
"""

from __future__ import annotations

import sqlite3

from chainlead.store.connection import Reader

ZONE = "timezone"  # the meta row holding the zone's IANA name


def record_zone(db: Reader, name: str) -> None:
    """Record ``name`` as the zone the database's days are counted in."""
    found = db.rows("SELECT value FROM meta WHERE name = :name", {"name": ZONE})
    if not found:
        db.execute(
            "INSERT INTO meta (name, value) VALUES (:name, :value)", {"name": ZONE, "value": name}
        )
    elif found[0][0] != name:
        db.execute(
            "UPDATE meta SET value = :value WHERE name = :name", {"name": ZONE, "value": name}
        )


def recorded_zone(target: str) -> str | None:
    """The zone recorded in the SQLite file ``target``, or None: not a file (a
    PostgreSQL URL, a database not made yet), no zone recorded, or unreadable.
    Read-only, with the standard library only: it runs before every command."""
    from chainlead.errors import ChainleadError
    from chainlead.store.target import resolve_target

    try:
        path = resolve_target(target).path
    except ChainleadError:  # said when the database is opened
        return None
    if path is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        found = conn.execute("SELECT value FROM meta WHERE name = ?", (ZONE,)).fetchall()
    except sqlite3.Error:  # not a chainlead database, or one from before the meta table
        return None
    finally:
        conn.close()
    return str(found[0][0]) if found else None
