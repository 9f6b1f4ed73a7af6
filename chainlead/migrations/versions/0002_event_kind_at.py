"""An index on history by kind and time.

The monthly report looks for the reopenings and time-limit changes recorded
in its twelve-month window; without this index that is a scan of the whole
event table (about 80 ms at 545k events), with it two index searches.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_event_kind_at", "event", ["kind", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_event_kind_at", table_name="event")
