"""Institutions become records: the ``unit`` table, and every item linked to one.

An item's responsible institution was free text (``item.unit``). The new
``unit`` table holds each institution once (name, optional short name, kind,
contact); ``item.unit_id`` refers to it and ``item.unit`` stays as the
unit's name, kept equal to it, so every read of the name works unchanged.

Existing data: one unit per distinct ``item.unit`` text already used (kind
``other``, created at its first item's creation), and every item linked to
the unit of its text. Nothing is rewritten or lost. On SQLite the ``item``
table is rebuilt once (copy, drop, rename) to make the column NOT NULL with
its foreign key; PostgreSQL alters it in place.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _backfill() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT unit, min(created_at) FROM item GROUP BY unit ORDER BY unit")
    ).all()
    for name, first in rows:
        bind.execute(
            sa.text(
                "INSERT INTO unit (uuid, name, short, kind, contact, created_at) "
                "VALUES (:uuid, :name, NULL, 'other', NULL, :at)"
            ),
            {"uuid": str(uuid.uuid4()), "name": name, "at": first},
        )
    bind.execute(
        sa.text("UPDATE item SET unit_id = (SELECT u.id FROM unit u WHERE u.name = item.unit)")
    )


def upgrade() -> None:
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("short"),
        sa.UniqueConstraint("uuid"),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.add_column("item", sa.Column("unit_id", sa.Integer(), nullable=True))
    else:
        op.add_column(
            "item",
            sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=True),
        )
    _backfill()
    if sqlite:
        with op.batch_alter_table("item", recreate="always") as batch:
            batch.alter_column("unit_id", existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key("fk_item_unit_id_unit", "unit", ["unit_id"], ["id"])
    else:
        op.alter_column("item", "unit_id", existing_type=sa.Integer(), nullable=False)
    op.create_index(op.f("ix_item_unit_id"), "item", ["unit_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_item_unit_id"), table_name="item")
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("item", recreate="always") as batch:
            batch.drop_constraint("fk_item_unit_id_unit", type_="foreignkey")
            batch.drop_column("unit_id")
    else:
        op.drop_column("item", "unit_id")
    op.drop_table("unit")
