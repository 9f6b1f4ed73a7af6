"""Facts about the database itself: the district it was built for.

New table ``meta`` (name, value): one row per fact. ``import`` records the
snapshot header's ``district`` there (the first import that names one, and a
later one that names another), so the printed report's masthead shows the
district without configuration; the ``district`` setting still comes first.

Existing data: nothing is rewritten; a database upgraded from 0007 has no
district recorded until its next import.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("meta")
