"""The chain itself: its map, its projects and its annual targets.

New tables:

- ``chain_link``: a link of a chain's map (产业链图谱), its segment (upstream,
  midstream, downstream), how it stands (strong, weak, missing) and its place;
- ``enterprise_link``: the enterprises placed on a link;
- ``project``: a chain project (建链/强链/补链/延链) with its plan (start, end,
  the first planned end, investment) and its latest progress;
- ``project_progress``: each progress report of a project, append-only;
- ``project_milestone``: a project's milestones, due and done;
- ``target``: a chain's annual target for one key figure, summed or latest.

New columns: ``chain.next_project_no`` (project keys ``IC-P1`` are never
reused), ``item.link_id`` and ``item.project_id`` (the link an item is about,
the project it holds up), ``event.project_id`` (the project an event is about).

Existing data gains nothing and loses nothing: every new column is empty (or
1, the first project number) and every new table starts empty.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _uuid() -> sa.Column:
    return sa.Column("uuid", sa.String(length=36), nullable=False)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "chain_link",
        sa.Column("id", sa.Integer(), nullable=False),
        _uuid(),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("segment", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["chain_id"], ["chain.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chain_id", "name"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_table(
        "enterprise_link",
        sa.Column("id", sa.Integer(), nullable=False),
        _uuid(),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.ForeignKeyConstraint(["link_id"], ["chain_link.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("enterprise_id", "link_id"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index(
        op.f("ix_enterprise_link_link_id"), "enterprise_link", ["link_id"], unique=False
    )
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        _uuid(),
        sa.Column("key", sa.String(length=24), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("investment", sa.String(length=40), nullable=True),
        sa.Column("investment_unit", sa.String(length=40), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("planned_end_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("invested", sa.String(length=40), nullable=True),
        sa.Column("finished_on", sa.Date(), nullable=True),
        sa.Column("dropped_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["chain_id"], ["chain.id"]),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.ForeignKeyConstraint(["link_id"], ["chain_link.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chain_id", "number"),
        sa.UniqueConstraint("key"),
        sa.UniqueConstraint("uuid"),
    )
    for column in ("enterprise_id", "link_id", "unit_id"):
        op.create_index(op.f(f"ix_project_{column}"), "project", [column], unique=False)
    op.create_table(
        "project_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        _uuid(),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("invested", sa.String(length=40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("why", sa.Text(), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index(
        op.f("ix_project_progress_project_id"), "project_progress", ["project_id"], unique=False
    )
    op.create_table(
        "project_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        _uuid(),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "title"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index(
        op.f("ix_project_milestone_project_id"), "project_milestone", ["project_id"], unique=False
    )
    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        _uuid(),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("figure", sa.String(length=100), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["chain_id"], ["chain.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chain_id", "year", "figure"),
        sa.UniqueConstraint("uuid"),
    )
    op.add_column(
        "chain", sa.Column("next_project_no", sa.Integer(), nullable=False, server_default="1")
    )
    # In place on SQLite: rebuilding event would drop its append-only triggers, and
    # a column added with REFERENCES and no default needs no rebuild.
    for table, column, parent in (
        ("item", "link_id", "chain_link"),
        ("item", "project_id", "project"),
        ("event", "project_id", "project"),
    ):
        if sqlite:
            op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES {parent} (id)")
        else:
            op.add_column(
                table,
                sa.Column(column, sa.Integer(), sa.ForeignKey(f"{parent}.id"), nullable=True),
            )
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column in (("event", "project_id"), ("item", "project_id"), ("item", "link_id")):
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    op.drop_column("event", "project_id")
    if sqlite:
        with op.batch_alter_table("item", recreate="always") as batch:
            batch.drop_column("project_id")
            batch.drop_column("link_id")
        with op.batch_alter_table("chain", recreate="always") as batch:
            batch.drop_column("next_project_no")
    else:
        op.drop_column("item", "project_id")
        op.drop_column("item", "link_id")
        op.drop_column("chain", "next_project_no")
    op.drop_table("target")
    op.drop_table("project_milestone")
    op.drop_table("project_progress")
    op.drop_table("project")
    op.drop_table("enterprise_link")
    op.drop_table("chain_link")
