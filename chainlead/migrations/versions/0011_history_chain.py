"""Tamper-evident history: each event hashed with the one before it.

``event`` gains ``hash`` (64 hex digits: sha256 of the previous event's hash and
this one's canonical content, ``chainlead.domain.seals``) and ``login`` (the
database login that wrote it: PostgreSQL's ``session_user``; NULL on SQLite and
for the history written before this revision). New one-row table
``history_head`` holds the last event's id and hash, so that a writer finds the
previous hash there (locked on PostgreSQL) without reading ``event``; it is not
captured for ``undo`` (undo never removes events).

Existing events are hashed in chain order (id order), the append-only guard
set aside for that one update and put back; nothing else changes. The column's
default stays the empty string: an event added behind chainlead's back without
a hash is a broken link ``db check`` names.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op

from chainlead.domain.seals import ZERO, EventContent, link
from chainlead.migrations.capture import HISTORY, sqlite_capture

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_CONTENT = (
    "SELECT e.id, e.uuid, e.at, e.actor, e.login, e.kind, e.field, e.old, e.new, e.text, "
    "(SELECT uuid FROM chain WHERE id = e.chain_id), (SELECT uuid FROM item WHERE id = e.item_id), "
    "(SELECT uuid FROM meeting WHERE id = e.meeting_id), "
    "(SELECT uuid FROM person WHERE id = e.person_id), "
    "(SELECT uuid FROM unit WHERE id = e.unit_id), "
    "(SELECT uuid FROM project WHERE id = e.project_id) FROM event e ORDER BY e.id"
)
_SQLITE_GUARDS = (
    "CREATE TRIGGER event_no_update BEFORE UPDATE ON event "
    "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END",
    "CREATE TRIGGER event_no_delete BEFORE DELETE ON event "
    "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END",
)


def _hash_history() -> tuple[int | None, str]:
    """Hash every stored event in id order; the last one's id and hash."""
    bind = op.get_bind()
    previous, last = ZERO, None
    hashes: list[dict[str, object]] = []
    for row in bind.execute(sa.text(_CONTENT)).all():
        at = datetime.fromisoformat(row[2]) if isinstance(row[2], str) else row[2]
        previous = link(previous, EventContent(row[1], at, *row[3:]))
        last = row[0]
        hashes.append({"id": row[0], "hash": previous})
    if hashes:
        bind.execute(sa.text("UPDATE event SET hash = :hash WHERE id = :id"), hashes)
    return last, previous


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        # In place: rebuilding event would drop its guards and capture trigger.
        op.execute("ALTER TABLE event ADD COLUMN hash VARCHAR(64) NOT NULL DEFAULT ''")
        op.execute("ALTER TABLE event ADD COLUMN login VARCHAR(200)")
        op.execute("DROP TRIGGER event_no_update")
    else:
        op.add_column("event", sa.Column("hash", sa.String(64), nullable=False, server_default=""))
        op.add_column("event", sa.Column("login", sa.String(200), nullable=True))
        op.execute("ALTER TABLE event DISABLE TRIGGER event_append_only")
    last, head = _hash_history()
    if sqlite:
        op.execute(_SQLITE_GUARDS[0])
        columns = [row[1] for row in bind.exec_driver_sql("PRAGMA table_info(event)")]
        for statement in sqlite_capture(HISTORY, columns):
            op.execute(statement)
    else:
        op.execute("ALTER TABLE event ENABLE TRIGGER event_append_only")
    op.create_table(
        "history_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    bind.execute(
        sa.text("INSERT INTO history_head (id, event_id, hash) VALUES (1, :event, :hash)"),
        {"event": last, "hash": head},
    )


def downgrade() -> None:
    op.drop_table("history_head")
    if op.get_bind().dialect.name == "sqlite":
        # DROP COLUMN leaves the guards alone (they name no column).
        op.execute("ALTER TABLE event DROP COLUMN login")
        op.execute("ALTER TABLE event DROP COLUMN hash")
    else:
        op.drop_column("event", "login")
        op.drop_column("event", "hash")
