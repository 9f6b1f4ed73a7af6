"""Enterprises become records: the registry, the demands they raised, follow-ups (回访).

New tables:

- ``enterprise``: each enterprise once (name, short name, unified social credit
  code, contact, park, above designated size);
- ``enterprise_chain``: the chains an enterprise belongs to, with its segment
  and whether it is the chain's lead enterprise (链主);
- ``item_enterprise``: the enterprises that raised an item (one or several, in
  the order they were named);
- ``follow_up``: an enterprise asked after its demand was resolved, and its
  answer; ``reopened_on`` marks a follow-up the item's reopening set aside.

New item column ``reference``: the demand's number in the team's own sheet,
unique per chain (``chainlead intake`` reads it). ``item.enterprise`` stays as
the first enterprise's name, kept equal to it.

Existing data, with nothing rewritten or lost:

- one enterprise per distinct ``item.enterprise`` text, created at its first
  item's creation, linked to those items and to their chains;
- each earlier sign-off with the enterprise's answer (a ``closed`` status
  event, or the reopening an unsatisfied answer made) becomes a follow-up of
  the item's enterprise by the person who asked, on that day; a later
  reopening sets it aside as reopening does now.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_CURRENT = "reopened_on IS NULL"
_ANSWER = ", asked by "


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _answer(text: str | None) -> tuple[str, str | None] | None:
    """The answer and note of a sign-off event's text, ``enterprise satisfied, asked by
    NAME[: note]``; None for any other text."""
    if not text or not text.startswith("enterprise ") or _ANSWER not in text:
        return None
    answer = text[len("enterprise ") : text.index(_ANSWER)]
    if answer not in ("satisfied", "unsatisfied"):
        return None
    rest = text[text.index(_ANSWER) + len(_ANSWER) :]
    note = rest.split(": ", 1)[1] if ": " in rest else None
    return answer, note


def _backfill() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT enterprise, min(created_at) FROM item WHERE enterprise IS NOT NULL "
            "GROUP BY enterprise ORDER BY enterprise"
        )
    ).all()
    for name, first in rows:
        bind.execute(
            sa.text(
                "INSERT INTO enterprise (uuid, name, above_scale, created_at) "
                "VALUES (:uuid, :name, :no, :at)"
            ),
            {"uuid": str(uuid.uuid4()), "name": name, "no": False, "at": first},
        )
    links = bind.execute(
        sa.text(
            "SELECT i.id, e.id, i.chain_id, i.created_at FROM item i "
            "JOIN enterprise e ON e.name = i.enterprise ORDER BY i.id"
        )
    ).all()
    enterprise_of: dict[int, int] = {}
    chains: dict[tuple[int, int], object] = {}
    for item_id, enterprise_id, chain_id, at in links:
        enterprise_of[item_id] = enterprise_id
        bind.execute(
            sa.text(
                "INSERT INTO item_enterprise (uuid, item_id, enterprise_id, position, created_at) "
                "VALUES (:uuid, :item, :enterprise, 1, :at)"
            ),
            {"uuid": str(uuid.uuid4()), "item": item_id, "enterprise": enterprise_id, "at": at},
        )
        chains.setdefault((enterprise_id, chain_id), at)
    for (enterprise_id, chain_id), at in sorted(chains.items()):
        bind.execute(
            sa.text(
                "INSERT INTO enterprise_chain (uuid, enterprise_id, chain_id, segment, lead, "
                "created_at) VALUES (:uuid, :enterprise, :chain, NULL, :no, :at)"
            ),
            {
                "uuid": str(uuid.uuid4()),
                "enterprise": enterprise_id,
                "chain": chain_id,
                "no": False,
                "at": at,
            },
        )
    _follow_ups(bind, enterprise_of)


def _follow_ups(bind: sa.engine.Connection, enterprise_of: dict[int, int]) -> None:
    """The answers earlier sign-offs recorded, as follow-ups; a reopening sets aside
    the follow-ups before it."""
    events = bind.execute(
        sa.text(
            "SELECT item_id, at, kind, new, text, person_id FROM event "
            "WHERE item_id IS NOT NULL AND field = 'status' "
            "AND (new = 'closed' OR kind = 'reopened') ORDER BY item_id, at, id"
        )
    ).all()
    insert = sa.text(
        "INSERT INTO follow_up (uuid, item_id, enterprise_id, result, by_id, note, asked_on, "
        "reopened_on, created_at) VALUES (:uuid, :item, :enterprise, :result, :by, :note, "
        ":on, NULL, :at) RETURNING id"
    )
    set_aside = sa.text("UPDATE follow_up SET reopened_on = :on WHERE id = :id")
    current: dict[int, list[int]] = {}
    for item_id, at, kind, _new, text, person_id in events:
        said = _answer(text)
        if said is not None and person_id is not None:
            answer, note = said
            new_id = bind.execute(
                insert,
                {
                    "uuid": str(uuid.uuid4()),
                    "item": item_id,
                    "enterprise": enterprise_of.get(item_id),
                    "result": answer,
                    "by": person_id,
                    "note": note,
                    "on": _day(at),
                    "at": at,
                },
            ).scalar_one()
            current.setdefault(item_id, []).append(new_id)
        if kind == "reopened":
            for follow_up_id in current.pop(item_id, []):
                bind.execute(set_aside, {"on": _day(at), "id": follow_up_id})


def upgrade() -> None:
    op.create_table(
        "enterprise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short", sa.String(length=200), nullable=True),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("park", sa.String(length=200), nullable=True),
        sa.Column("above_scale", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("credit_code"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("short"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_table(
        "enterprise_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("segment", sa.String(length=32), nullable=True),
        sa.Column("lead", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["chain_id"], ["chain.id"]),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("enterprise_id", "chain_id"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index(
        op.f("ix_enterprise_chain_chain_id"), "enterprise_chain", ["chain_id"], unique=False
    )
    op.create_table(
        "item_enterprise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "enterprise_id"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index(
        op.f("ix_item_enterprise_enterprise_id"), "item_enterprise", ["enterprise_id"], unique=False
    )
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.String(length=32), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("asked_on", sa.Date(), nullable=False),
        sa.Column("reopened_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index(op.f("ix_follow_up_item_id"), "follow_up", ["item_id"], unique=False)
    op.create_index(
        op.f("ix_follow_up_enterprise_id"), "follow_up", ["enterprise_id"], unique=False
    )
    op.create_index(
        "uq_follow_up_current",
        "follow_up",
        ["item_id", "enterprise_id"],
        unique=True,
        sqlite_where=sa.text(_CURRENT),
        postgresql_where=sa.text(_CURRENT),
    )
    op.add_column("item", sa.Column("reference", sa.String(length=100), nullable=True))
    op.create_index("uq_item_chain_reference", "item", ["chain_id", "reference"], unique=True)
    _backfill()


def downgrade() -> None:
    op.drop_index("uq_item_chain_reference", table_name="item")
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("item", recreate="always") as batch:
            batch.drop_column("reference")
    else:
        op.drop_column("item", "reference")
    op.drop_table("follow_up")
    op.drop_table("item_enterprise")
    op.drop_table("enterprise_chain")
    op.drop_table("enterprise")
