"""The schema is built by migrations only, and matches the models."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from chainlead.migrations import HEAD, REVISIONS
from chainlead.models import PARTIAL_INDEXES
from chainlead.store.database import Database, _alembic_config
from chainlead.store.search import is_index_table


def test_revision_list_matches_migration_files() -> None:
    script = ScriptDirectory.from_config(_alembic_config())
    ordered = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert tuple(ordered) == REVISIONS
    assert script.get_current_head() == HEAD


def _not_index(name: str | None, type_: str, _parents: object) -> bool:
    return not (type_ == "table" and name is not None and is_index_table(name))


def test_migrated_schema_matches_models(database: Database) -> None:
    with database.engine.connect() as conn:
        # The search index is derived data beside the models (migration 0009).
        context = MigrationContext.configure(conn, opts={"include_name": _not_index})
        assert context.get_current_revision() == HEAD
        diffs = compare_metadata(context, SQLModel.metadata)
    assert diffs == []


def test_partial_unique_indexes_hold_on_every_backend(database: Database) -> None:
    """One current leader, one current responsible person and one current role per
    person on a chain; past memberships are history and do not count. The models
    give SQLite's predicates only; PostgreSQL has the same from the migrations."""
    at = datetime(2026, 1, 5, 9, 0)

    def insert(conn: Connection, table: str, **values: object) -> None:
        columns = ", ".join(values)
        marks = ", ".join(f":{k}" for k in values)
        conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)

    def member(conn: Connection, n: int, person: int, role: str, until: date | None) -> None:
        insert(conn, "membership", uuid=f"m-{n}", chain_id=1, person_id=person, role=role,
               since=date(2025, 1, 1), until=until)  # fmt: skip

    with database.engine.begin() as conn:
        insert(conn, "chain", id=1, uuid="c-1", code="IC", name="IC", status="active",
               created_at=at, next_item_no=1, next_meeting_no=1)  # fmt: skip
        for n in range(1, 5):
            insert(conn, "person", id=n, uuid=f"p-{n}", name=f"P{n}", created_at=at)
        member(conn, 1, 1, "leader", date(2025, 6, 1))  # past leaders: any number
        member(conn, 2, 2, "leader", date(2025, 9, 1))
        member(conn, 3, 3, "leader", None)
        member(conn, 4, 1, "responsible", None)
        member(conn, 5, 2, "member", None)
    refused = [
        (6, 4, "leader", None),  # a second current leader
        (7, 4, "responsible", None),  # a second current responsible person
        (8, 2, "liaison", None),  # a second current role for one person
    ]
    for n, person, role, until in refused:
        with pytest.raises(IntegrityError), database.engine.begin() as conn:
            member(conn, n, person, role, until)
    with database.engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM membership")).scalar()
    assert count == 5
    partial = {
        index.name: str(index.dialect_options["sqlite"]["where"])
        for table in SQLModel.metadata.tables.values()
        for index in table.indexes
        if index.dialect_options["sqlite"]["where"] is not None
    }
    assert partial == PARTIAL_INDEXES


def test_partial_indexes_have_their_predicates_on_every_backend(database: Database) -> None:
    """Each partial index of the models is partial in the database too, with the same
    condition (PostgreSQL prints it its own way: compared without quotes, casts and
    brackets)."""
    with database.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
            found = {
                name: sql.split(" WHERE ", 1)[1] for name, sql in rows if sql and " WHERE " in sql
            }
        else:
            rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes"))
            found = {name: sql.split(" WHERE ", 1)[1] for name, sql in rows if " WHERE " in sql}

    def bare(condition: str) -> str:
        for noise in ("::text", "(", ")", '"'):
            condition = condition.replace(noise, "")
        return " ".join(condition.lower().split())

    assert {name: bare(found[name]) for name in PARTIAL_INDEXES} == {
        name: bare(condition) for name, condition in PARTIAL_INDEXES.items()
    }
