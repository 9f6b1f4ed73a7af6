"""Indexes for the monthly report: history by kind and time, open work by institution.

The monthly report looks for the reopenings and time-limit changes recorded
in its twelve-month window; without ``ix_event_kind_at`` that is a scan of
the whole event table (about 80 ms at 545k events), with it two index
searches. Its institutions table counts open and overdue items per
responsible institution and finds each one's longest overdue item:
``ix_item_status_unit_due`` answers the counts from the index alone and the
longest overdue items with one lookup each (40 ms -> 5 ms at 100k items).
Its lists of the items raised in the month rank them per chain: the index on
the raised date gains the chain (``ix_item_raised_on_chain`` replaces
``ix_item_raised_on``) and serves them without reading the rows (20 -> 10 ms).
Counting open items over the months it needs the day each dropped item was
dropped: ``ix_event_dropped``, a partial index of the drop events only (one
entry per drop, a few thousand at 100k items), finds them without reading
the history rows (45 -> 15 ms).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_DROPPED = "field = 'status' AND new = 'dropped'"


def upgrade() -> None:
    op.create_index("ix_event_kind_at", "event", ["kind", "at"], unique=False)
    op.create_index("ix_item_status_unit_due", "item", ["status", "unit", "due_on"], unique=False)
    op.create_index("ix_item_raised_on_chain", "item", ["raised_on", "chain_id"], unique=False)
    op.drop_index("ix_item_raised_on", table_name="item")
    op.create_index(
        "ix_event_dropped",
        "event",
        ["item_id", "at"],
        unique=False,
        sqlite_where=sa.text(_DROPPED),
        postgresql_where=sa.text(_DROPPED),
    )


def downgrade() -> None:
    op.drop_index("ix_event_dropped", table_name="event")
    op.create_index("ix_item_raised_on", "item", ["raised_on"], unique=False)
    op.drop_index("ix_item_raised_on_chain", table_name="item")
    op.drop_index("ix_item_status_unit_due", table_name="item")
    op.drop_index("ix_event_kind_at", table_name="event")
