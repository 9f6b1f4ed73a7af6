"""The schema is built by migrations only, and matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import chainlead.models  # noqa: F401  (registers the tables)
from chainlead.db import Database, _alembic_config
from chainlead.migrations import HEAD, REVISIONS


def test_revision_list_matches_migration_files() -> None:
    script = ScriptDirectory.from_config(_alembic_config())
    ordered = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert tuple(ordered) == REVISIONS
    assert script.get_current_head() == HEAD


def test_migrated_schema_matches_models(database: Database) -> None:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == HEAD
        diffs = compare_metadata(context, SQLModel.metadata)
    assert diffs == []
