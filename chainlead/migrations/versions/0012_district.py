"""The district a database (or a PostgreSQL schema of a city database) holds.

New table ``district``: one row, the district's uuid, name and code. On
PostgreSQL the code is the schema the tables live in (``public``, or the schema
``chainlead district add`` made); on SQLite, where a file is one district, it is
``main``. Every chain of the database belongs to this district.

Existing data: one row is added, named by the ``district`` setting in force at
upgrade time, else the district an import recorded (table ``meta``), else
本区 ("this district"); ``chainlead district rename`` changes it later. Not
captured by undo (``chainlead.migrations.capture``): a rename is a setting of the
database, not a record of work.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

DEFAULT_NAME = "本区"


def _name(bind: sa.Connection) -> str:
    """The district's name: the setting in force, else the one an import recorded."""
    from chainlead.errors import ChainleadError
    from chainlead.settings import load_settings

    try:
        named = load_settings().district.strip()
    except ChainleadError:  # a broken config file does not stop an upgrade
        named = ""
    if named:
        return named[:200]
    found = bind.execute(sa.text("SELECT value FROM meta WHERE name = 'district'")).scalar()
    return str(found).strip()[:200] if found and str(found).strip() else DEFAULT_NAME


def upgrade() -> None:
    op.create_table(
        "district",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=63), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
        sa.UniqueConstraint("code"),
    )
    bind = op.get_bind()
    code = (
        "main"
        if bind.dialect.name == "sqlite"
        else bind.execute(sa.text("SELECT current_schema()")).scalar()
    )
    bind.execute(
        sa.text("INSERT INTO district (uuid, name, code) VALUES (:uuid, :name, :code)"),
        {"uuid": str(uuid.uuid4()), "name": _name(bind), "code": code},
    )


def downgrade() -> None:
    op.drop_table("district")
