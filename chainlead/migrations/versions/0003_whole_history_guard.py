"""History guarded against INSERT OR REPLACE and TRUNCATE; months and figures in ASCII.

The history's guard refused UPDATE and DELETE, but SQLite's
``INSERT OR REPLACE`` with an existing id or uuid deletes the old row
without firing delete triggers (unless ``recursive_triggers`` is on in that
connection) and writes a new one in its place. ``event_no_replace`` refuses
any insert whose id or uuid is already in the history, before the conflict
is resolved. On PostgreSQL ``INSERT ... ON CONFLICT DO UPDATE`` fires the
row guard on UPDATE already; ``TRUNCATE`` fired nothing and now fires
``event_no_truncate``.

Before months were matched against ASCII, a month typed in other scripts'
digits (``٢٠٢٦-١١``, ``２０２６-１１``) was stored as typed, and a snapshot
could bring decimal figures in them: such rows are rewritten in ASCII digits
(the same month or number; nothing else changes).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_SQLITE_NO_REPLACE = """
CREATE TRIGGER event_no_replace BEFORE INSERT ON event
WHEN EXISTS (SELECT 1 FROM event WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM event WHERE uuid = NEW.uuid)
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END
"""
_PG_NO_TRUNCATE = (
    "CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event "
    "FOR EACH STATEMENT EXECUTE FUNCTION chainlead_event_append_only()"
)


def _ascii_digits(text: str) -> str:
    """Every decimal digit as ASCII; full-width forms folded (NFKC). Written out here,
    not imported, so that this revision never changes with the code around it."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(char, char)) for char in folded)


def _ascii_rows(table: str, column: str) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, {column} FROM {table}")).all()
    for row_id, value in rows:
        if value is not None and not value.isascii():
            bind.execute(
                sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                {"value": _ascii_digits(value), "id": row_id},
            )


def upgrade() -> None:
    _ascii_rows("meeting", "month")
    _ascii_rows("meeting_figure", "value")
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_SQLITE_NO_REPLACE)
    else:
        op.execute(_PG_NO_TRUNCATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS event_no_replace")
    else:
        op.execute("DROP TRIGGER IF EXISTS event_no_truncate ON event")
