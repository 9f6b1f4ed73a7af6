"""Change capture: the triggers that write what a command does into ``change_row``
(migration 0010), for ``chainlead undo``.

While a command's write transaction is open (``chainlead.cli.runtime.writing``),
the change set it records into is named in ``change_current`` (SQLite: one row)
or in the transaction's setting ``chainlead.change`` (PostgreSQL); outside one
(an import, a migration, the demo) nothing is captured. Each row added gets an
``insert`` row; each row changed or removed an ``update`` or ``delete`` row with
the row as it was, as JSON. History (``event``) is append-only: only its
additions are captured.

A migration that adds a column to a captured table on SQLite must call
``sqlite_capture`` again for it (the triggers name every column); one that adds a
table adds its triggers. ``db check`` (rule ``change_capture``) finds a table or
column left out.
"""

from __future__ import annotations

from collections.abc import Sequence

# The tables a change set covers, as of migration 0010 (``event``: additions only).
CAPTURED: tuple[str, ...] = (
    "person", "unit", "enterprise", "chain", "enterprise_chain", "chain_link",
    "enterprise_link", "project", "project_progress", "project_milestone", "target", "meta",
    "membership", "meeting", "meeting_attendee", "meeting_decision", "meeting_figure", "item",
    "item_enterprise", "follow_up", "assignment", "extension", "meeting_item",
)  # fmt: skip
HISTORY = "event"

_CURRENT = "(SELECT change_id FROM change_current WHERE id = 1)"


def sqlite_trigger_names(table: str) -> tuple[str, ...]:
    if table == HISTORY:
        return (f"change_{table}_insert",)
    return tuple(f"change_{table}_{op}" for op in ("insert", "update", "delete"))


def sqlite_capture(table: str, columns: Sequence[str]) -> list[str]:
    """The statements (re)creating ``table``'s capture triggers on SQLite."""
    image = "json_object(" + ", ".join(f"'{name}', OLD.\"{name}\"" for name in columns) + ")"
    into = "INSERT INTO change_row (change_id, tbl, row_id, op, image) VALUES "
    statements = [f"DROP TRIGGER IF EXISTS {name}" for name in sqlite_trigger_names(table)]
    when = f"WHEN {_CURRENT} IS NOT NULL"
    statements.append(
        f"CREATE TRIGGER change_{table}_insert AFTER INSERT ON {table} {when} BEGIN "
        f"{into}({_CURRENT}, '{table}', NEW.id, 'insert', NULL); END"
    )
    if table != HISTORY:
        for op in ("update", "delete"):
            statements.append(
                f"CREATE TRIGGER change_{table}_{op} AFTER {op.upper()} ON {table} {when} "
                f"BEGIN {into}({_CURRENT}, '{table}', OLD.id, '{op}', {image}); END"
            )
    return statements


PG_FUNCTION = """CREATE OR REPLACE FUNCTION chainlead_change_row() RETURNS trigger AS $$
DECLARE
  current_change BIGINT := NULLIF(current_setting('chainlead.change', true), '')::BIGINT;
BEGIN
  IF current_change IS NULL THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO change_row (change_id, tbl, row_id, op, image)
    VALUES (current_change, TG_TABLE_NAME, NEW.id, 'insert', NULL);
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO change_row (change_id, tbl, row_id, op, image)
    VALUES (current_change, TG_TABLE_NAME, OLD.id, 'update', to_jsonb(OLD)::text);
  ELSE
    INSERT INTO change_row (change_id, tbl, row_id, op, image)
    VALUES (current_change, TG_TABLE_NAME, OLD.id, 'delete', to_jsonb(OLD)::text);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql"""


def pg_capture(table: str) -> list[str]:
    """The statements (re)creating ``table``'s capture trigger on PostgreSQL."""
    ops = "INSERT" if table == HISTORY else "INSERT OR UPDATE OR DELETE"
    return [
        f"DROP TRIGGER IF EXISTS change_{table} ON {table}",
        f"CREATE TRIGGER change_{table} AFTER {ops} ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION chainlead_change_row()",
    ]
