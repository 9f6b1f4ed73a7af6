"""Change sets: what each writing command did, so that ``undo`` can take it back.

New tables ``change_set`` (one per writing command: actor, time, command line,
kind, and which change set undid it or it undoes), ``change_row`` (every row the
command added, changed or removed, with the row as it was) and
``change_current`` (SQLite: the change set of the open write transaction).
Triggers on every table fill ``change_row`` while a command's transaction is
open (``chainlead.migrations.capture``). History written before the upgrade
has no change set: it cannot be undone, and nothing else changes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from chainlead.migrations.capture import (
    CAPTURED,
    HISTORY,
    PG_FUNCTION,
    pg_capture,
    sqlite_capture,
    sqlite_trigger_names,
)

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_set",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(length=36), nullable=False, unique=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("command", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("undoes_id", sa.Integer(), sa.ForeignKey("change_set.id"), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), sa.ForeignKey("change_set.id"), nullable=True),
    )
    op.create_index("ix_change_set_actor", "change_set", ["actor", "id"])
    op.create_table(
        "change_row",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("change_id", sa.Integer(), sa.ForeignKey("change_set.id"), nullable=False),
        sa.Column("tbl", sa.String(length=32), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("image", sa.Text(), nullable=True),
    )
    op.create_index("ix_change_row_change_id", "change_row", ["change_id"])
    op.create_index("ix_change_row_target", "change_row", ["tbl", "row_id"])
    op.create_table(
        "change_current",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("change_id", sa.Integer(), nullable=True),
    )
    op.execute("INSERT INTO change_current (id, change_id) VALUES (1, NULL)")
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for table in (*CAPTURED, HISTORY):
            columns = [row[1] for row in bind.exec_driver_sql(f"PRAGMA table_info({table})")]
            for statement in sqlite_capture(table, columns):
                op.execute(statement)
    else:
        op.execute(PG_FUNCTION)
        for table in (*CAPTURED, HISTORY):
            for statement in pg_capture(table):
                op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in (*CAPTURED, HISTORY):
            for name in sqlite_trigger_names(table):
                op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for table in (*CAPTURED, HISTORY):
            op.execute(f"DROP TRIGGER IF EXISTS change_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS chainlead_change_row()")
    op.drop_table("change_current")
    op.drop_index("ix_change_row_target", table_name="change_row")
    op.drop_index("ix_change_row_change_id", table_name="change_row")
    op.drop_table("change_row")
    op.drop_index("ix_change_set_actor", table_name="change_set")
    op.drop_table("change_set")
