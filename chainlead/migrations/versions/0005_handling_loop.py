"""The handling loop between institutions: assignments, extensions, suspension, the ladder.

New tables:

- ``assignment``: an institution's part in an item (lead or co-handling),
  with its own state, owner, time limit, receipt, report and end;
- ``extension``: a moved time limit, a request and its answer or the team's
  own edit.

New item columns: the original time limit, the clock the light reads
(``clock_due``, ``receipt_due``), the supervision level and the ladder's
memory of red spells, the suspension, the urge count and last urge, and the
meeting decision an action came from. Events gain ``unit_id``: the
institution an assignment event is about.

Existing data, with nothing rewritten or lost:

- every item gets its lead assignment: its unit, owner and time limit,
  assigned on the day it was raised. An item the team already held is
  ``received`` that day (the old flow had no sign-for step), ``handling``
  when in progress, and ``reported`` with its resolution when resolved or
  closed; one ``assigned`` event per item says so, at the upgrade's time;
- each earlier ``edit --due`` (an ``edited`` event of ``due_on``) becomes an
  approved extension of kind ``edit``, and the original time limit is the
  first of those edits' old value (else the limit as it stands).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_STANDING = "state <> 'returned' AND state <> 'transferred'"
_PARTIAL = {
    "uq_assignment_one_lead": ("assignment", ["item_id"], f"role = 'lead' AND {_STANDING}"),
    "uq_assignment_one_unit": ("assignment", ["item_id", "unit_id"], _STANDING),
    "uq_extension_one_pending": ("extension", ["item_id"], "state = 'pending'"),
}
_OPEN = ("open", "in_progress", "blocked")


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _backfill() -> None:
    bind = op.get_bind()
    edits: dict[int, list[tuple]] = {}
    for item_id, at, actor, old, new, text in bind.execute(
        sa.text(
            "SELECT item_id, at, actor, old, new, text FROM event "
            "WHERE kind = 'edited' AND field = 'due_on' AND item_id IS NOT NULL "
            "ORDER BY item_id, at, id"
        )
    ).all():
        edits.setdefault(item_id, []).append((at, actor, old, new, text))
    items = bind.execute(
        sa.text(
            "SELECT id, unit_id, owner_id, raised_on, due_on, status, resolution, "
            "resolved_on, created_at, updated_at, chain_id FROM item ORDER BY id"
        )
    ).all()
    insert_assignment = sa.text(
        "INSERT INTO assignment (uuid, item_id, unit_id, role, owner_id, state, assigned_on, "
        "due_on, received_on, reported_on, report, created_at, updated_at) VALUES (:uuid, "
        ":item, :unit, 'lead', :owner, :state, :raised, :due, :received, :reported, :report, "
        ":created, :updated)"
    )
    insert_extension = sa.text(
        "INSERT INTO extension (uuid, item_id, kind, state, requested_on, requested_by, "
        "from_due, to_due, why, decided_on, created_at, updated_at) VALUES (:uuid, :item, "
        "'edit', 'approved', :on, :actor, :old, :new, :why, :on, :at, :at)"
    )
    insert_event = sa.text(
        "INSERT INTO event (uuid, at, actor, kind, chain_id, item_id, person_id, unit_id, "
        "field, old, new, text) VALUES (:uuid, :at, 'db upgrade', 'assigned', :chain, :item, "
        ":owner, :unit, 'lead', NULL, :state, :text)"
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    set_item = sa.text(
        "UPDATE item SET original_due_on = :original, clock_due = :clock WHERE id = :id"
    )
    for row in items:
        item_id, unit_id, owner_id, raised, due, status = row[:6]
        resolution, resolved_on, created, updated, chain_id = row[6:]
        reported = status in ("resolved", "closed")
        state = "reported" if reported else "handling" if status == "in_progress" else "received"
        bind.execute(
            insert_assignment,
            {
                "uuid": str(uuid.uuid4()),
                "item": item_id,
                "unit": unit_id,
                "owner": owner_id,
                "state": state,
                "raised": raised,
                "due": due,
                "received": raised,
                "reported": resolved_on if reported else None,
                "report": resolution if reported else None,
                "created": created,
                "updated": updated,
            },
        )
        bind.execute(
            insert_event,
            {
                "uuid": str(uuid.uuid4()),
                "at": now,
                "chain": chain_id,
                "item": item_id,
                "owner": owner_id,
                "unit": unit_id,
                "state": state,
                "text": "lead unit as the item stood before the handling loop",
            },
        )
        original = due
        for n, (at, actor, old, new, why) in enumerate(edits.get(item_id, ())):
            if n == 0 and old:
                original = old
            if not (old and new):
                continue
            bind.execute(
                insert_extension,
                {
                    "uuid": str(uuid.uuid4()),
                    "item": item_id,
                    "on": _day(at),
                    "actor": actor,
                    "old": old,
                    "new": new,
                    "why": why or "",
                    "at": at,
                },
            )
        bind.execute(set_item, {"original": original, "clock": due, "id": item_id})


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("receipt_due", sa.Date(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("report", sa.Text(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("suggested", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index(op.f("ix_assignment_item_id"), "assignment", ["item_id"], unique=False)
    op.create_index("ix_assignment_unit_state", "assignment", ["unit_id", "state"], unique=False)
    op.create_table(
        "extension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("from_due", sa.Date(), nullable=False),
        sa.Column("to_due", sa.Date(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["decided_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index(op.f("ix_extension_item_id"), "extension", ["item_id"], unique=False)
    for name, (table, columns, where) in _PARTIAL.items():
        op.create_index(
            name,
            table,
            columns,
            unique=True,
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )
    added = [
        sa.Column("original_due_on", sa.Date(), nullable=True),
        sa.Column("clock_due", sa.Date(), nullable=True),
        sa.Column("receipt_due", sa.Date(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("red_due", sa.Date(), nullable=True),
        sa.Column("red_spells", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("suspended_on", sa.Date(), nullable=True),
        sa.Column("suspended_until", sa.Date(), nullable=True),
        sa.Column("suspend_reason", sa.Text(), nullable=True),
        sa.Column("suspended_days", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("urge_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_urged_at", sa.DateTime(), nullable=True),
    ]
    for column in added:
        op.add_column("item", column)
    if sqlite:  # in place: rebuilding the table would drop its append-only triggers
        op.execute("ALTER TABLE event ADD COLUMN unit_id INTEGER REFERENCES unit (id)")
    else:
        op.add_column(
            "event", sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=True)
        )
    if sqlite:
        op.add_column("item", sa.Column("decision_id", sa.Integer(), nullable=True))
    else:
        op.add_column(
            "item",
            sa.Column(
                "decision_id", sa.Integer(), sa.ForeignKey("meeting_decision.id"), nullable=True
            ),
        )
    _backfill()
    if sqlite:
        with op.batch_alter_table("item", recreate="always") as batch:
            for name in ("original_due_on", "clock_due"):
                batch.alter_column(name, existing_type=sa.Date(), nullable=False)
            batch.create_foreign_key(
                "fk_item_decision_id_meeting_decision", "meeting_decision", ["decision_id"], ["id"]
            )
    else:
        for name in ("original_due_on", "clock_due"):
            op.alter_column("item", name, existing_type=sa.Date(), nullable=False)
    op.create_index(op.f("ix_item_clock_due"), "item", ["clock_due"], unique=False)
    op.create_index(op.f("ix_item_decision_id"), "item", ["decision_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_item_decision_id"), table_name="item")
    op.drop_index(op.f("ix_item_clock_due"), table_name="item")
    names = ("original_due_on", "clock_due", "receipt_due", "level", "red_due", "red_spells",
             "suspended_on", "suspended_until", "suspend_reason", "suspended_days",
             "urge_count", "last_urged_at", "decision_id")  # fmt: skip
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("item", recreate="always") as batch:
            batch.drop_constraint("fk_item_decision_id_meeting_decision", type_="foreignkey")
            for name in names:
                batch.drop_column(name)
    else:
        for name in names:
            op.drop_column("item", name)
    op.drop_column("event", "unit_id")
    op.drop_table("extension")
    op.drop_table("assignment")
