"""Logins and roles: who may do what on a shared PostgreSQL database.

New tables ``app_user`` (a person linked to a PostgreSQL login role, one login
per person) and ``user_grant`` (what the person may do: admin, leader, team,
unit, viewer; leader and team on one chain or on every chain, unit on one
institution). On PostgreSQL the helper functions, row-level security policies
and group-role grants of ``chainlead.migrations.access`` are applied in the
current schema (the grants only for the group roles ``db setup-roles`` has
made). On SQLite the tables exist but stay empty: a SQLite file has one owner.

Neither table is captured for undo (``CAPTURED``): a grant is taken back with
``chainlead user revoke``, which also changes the server's role memberships
that no undo could restore.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from chainlead.migrations.access import (
    drop_statements,
    grant_statements,
    policy_statements,
    quoted,
)

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(length=36), nullable=False, unique=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("login", sa.String(length=63), nullable=False, unique=True),
        sa.Column("since", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_app_user_person_id", "app_user", ["person_id"], unique=True)
    op.create_table(
        "user_grant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("chain_id", sa.Integer(), sa.ForeignKey("chain.id"), nullable=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=True),
        sa.Column("since", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_user_grant_user_id", "user_grant", ["user_id", "role"])
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return
    schema = quoted(bind.exec_driver_sql("SELECT current_schema()").scalar_one())
    tables = [
        row[0]
        for row in bind.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
    ]
    for statement in [*policy_statements(schema), *grant_statements(schema, tables)]:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for statement in drop_statements():
            op.execute(statement)
    op.drop_index("ix_user_grant_user_id", table_name="user_grant")
    op.drop_table("user_grant")
    op.drop_index("ix_app_user_person_id", table_name="app_user")
    op.drop_table("app_user")
