"""The search index: every text written, searchable by any part of it.

Chinese has no spaces between words, so a word index finds nothing: the index
is of trigrams (any three characters in a row). New table ``search_index``:
one row per text of an item (title, detail, resolution, category, enterprise),
per note in the history, per meeting summary and per meeting decision. Its
``rowkey`` is the source row's id times 16 plus the field's number (1..8), so
that a change finds its row without a scan.

* SQLite: an FTS5 table with the ``trigram`` tokenizer (SQLite 3.34 or later),
  each text stored with two padding characters (U+001F) after it so that every
  character of it begins a trigram; ``search_index_terms`` (``fts5vocab``) lists
  the trigrams, so that a word of one or two characters is looked up among the
  trigrams it begins.
* PostgreSQL: a plain table with a GIN index of ``pg_trgm`` trigrams
  (``CREATE EXTENSION IF NOT EXISTS pg_trgm``, trusted since PostgreSQL 13).

Triggers on the source tables keep it equal to them on every write; the
upgrade fills it from the rows already stored. It is derived data: no snapshot
carries it, and nothing is lost by building it again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# field number, field name, source table, source column, item id, meeting id
_ITEM_FIELDS = ((1, "title"), (2, "detail"), (3, "resolution"), (4, "category"), (5, "enterprise"))

_SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE search_index USING fts5("
    "body, field UNINDEXED, item_id UNINDEXED, meeting_id UNINDEXED, tokenize = 'trigram')"
)
_SQLITE_TERMS = "CREATE VIRTUAL TABLE search_index_terms USING fts5vocab(search_index, 'row')"


def _sqlite_item_rows(row: str) -> str:
    return "\n".join(
        f"INSERT INTO search_index (rowid, body, field, item_id, meeting_id) "
        f"SELECT {row}.id * 16 + {number}, {row}.{name} || char(31, 31), '{name}', {row}.id, NULL "
        f"WHERE {row}.{name} IS NOT NULL AND {row}.{name} <> '';"
        for number, name in _ITEM_FIELDS
    )


_SQLITE_ITEM_KEYS = "(" + ", ".join(f"OLD.id * 16 + {n}" for n, _ in _ITEM_FIELDS) + ")"
_ITEM_COLUMNS = ", ".join(name for _, name in _ITEM_FIELDS)

_SQLITE_TRIGGERS = (
    f"CREATE TRIGGER search_item_added AFTER INSERT ON item BEGIN\n{_sqlite_item_rows('NEW')}\nEND",
    f"CREATE TRIGGER search_item_changed AFTER UPDATE OF {_ITEM_COLUMNS} ON item BEGIN\n"
    f"DELETE FROM search_index WHERE rowid IN {_SQLITE_ITEM_KEYS};\n"
    f"{_sqlite_item_rows('NEW')}\nEND",
    f"CREATE TRIGGER search_item_removed AFTER DELETE ON item BEGIN\n"
    f"DELETE FROM search_index WHERE rowid IN {_SQLITE_ITEM_KEYS};\nEND",
    "CREATE TRIGGER search_note_added AFTER INSERT ON event "
    "WHEN NEW.kind = 'note' AND NEW.text IS NOT NULL AND NEW.text <> '' BEGIN\n"
    "INSERT INTO search_index (rowid, body, field, item_id, meeting_id) "
    "VALUES (NEW.id * 16 + 6, NEW.text || char(31, 31), 'note', NEW.item_id, NEW.meeting_id);\n"
    "END",
    "CREATE TRIGGER search_meeting_added AFTER INSERT ON meeting "
    "WHEN NEW.summary IS NOT NULL AND NEW.summary <> '' BEGIN\n"
    "INSERT INTO search_index (rowid, body, field, item_id, meeting_id) "
    "VALUES (NEW.id * 16 + 7, NEW.summary || char(31, 31), 'summary', NULL, NEW.id);\nEND",
    "CREATE TRIGGER search_meeting_changed AFTER UPDATE OF summary ON meeting BEGIN\n"
    "DELETE FROM search_index WHERE rowid = OLD.id * 16 + 7;\n"
    "INSERT INTO search_index (rowid, body, field, item_id, meeting_id) "
    "SELECT NEW.id * 16 + 7, NEW.summary || char(31, 31), 'summary', NULL, NEW.id "
    "WHERE NEW.summary IS NOT NULL AND NEW.summary <> '';\nEND",
    "CREATE TRIGGER search_meeting_removed AFTER DELETE ON meeting BEGIN\n"
    "DELETE FROM search_index WHERE rowid = OLD.id * 16 + 7;\nEND",
    "CREATE TRIGGER search_decision_added AFTER INSERT ON meeting_decision "
    "WHEN NEW.text <> '' BEGIN\n"
    "INSERT INTO search_index (rowid, body, field, item_id, meeting_id) "
    "VALUES (NEW.id * 16 + 8, NEW.text || char(31, 31), 'decision', NULL, NEW.meeting_id);\n"
    "END",
    "CREATE TRIGGER search_decision_changed AFTER UPDATE OF text ON meeting_decision BEGIN\n"
    "DELETE FROM search_index WHERE rowid = OLD.id * 16 + 8;\n"
    "INSERT INTO search_index (rowid, body, field, item_id, meeting_id) "
    "SELECT NEW.id * 16 + 8, NEW.text || char(31, 31), 'decision', NULL, NEW.meeting_id "
    "WHERE NEW.text <> '';\nEND",
    "CREATE TRIGGER search_decision_removed AFTER DELETE ON meeting_decision BEGIN\n"
    "DELETE FROM search_index WHERE rowid = OLD.id * 16 + 8;\nEND",
)
_SQLITE_TRIGGER_NAMES = (
    "search_item_added", "search_item_changed", "search_item_removed", "search_note_added",
    "search_meeting_added", "search_meeting_changed", "search_meeting_removed",
    "search_decision_added", "search_decision_changed", "search_decision_removed",
)  # fmt: skip


def _fill_statements(key: str, pad: str) -> tuple[str, ...]:
    """Every text already stored, into the index (``key`` names the row key column,
    ``pad`` what follows each text)."""
    into = f"INSERT INTO search_index ({key}, body, field, item_id, meeting_id) "
    items = tuple(
        into + f"SELECT id * 16 + {number}, {name}{pad}, '{name}', id, NULL FROM item "
        f"WHERE {name} IS NOT NULL AND {name} <> ''"
        for number, name in _ITEM_FIELDS
    )
    return (
        *items,
        into + f"SELECT id * 16 + 6, text{pad}, 'note', item_id, meeting_id FROM event "
        "WHERE kind = 'note' AND text IS NOT NULL AND text <> ''",
        into + f"SELECT id * 16 + 7, summary{pad}, 'summary', NULL, id FROM meeting "
        "WHERE summary IS NOT NULL AND summary <> ''",
        into + f"SELECT id * 16 + 8, text{pad}, 'decision', NULL, meeting_id "
        "FROM meeting_decision WHERE text <> ''",
    )


# PostgreSQL: one function per source table, its rows rewritten on every change.
_PG_TABLE = (
    "CREATE TABLE search_index (rowkey BIGINT PRIMARY KEY, body TEXT NOT NULL, "
    "field VARCHAR(16) NOT NULL, item_id INTEGER, meeting_id INTEGER)"
)
_PG_INDEXES = (
    "CREATE INDEX ix_search_index_body ON search_index USING gin (body gin_trgm_ops)",
    "CREATE INDEX ix_search_index_item ON search_index (item_id)",
)


def _pg_item_rows() -> str:
    return "\n".join(
        "    INSERT INTO search_index (rowkey, body, field, item_id, meeting_id) "
        f"SELECT NEW.id * 16 + {number}, NEW.{name}, '{name}', NEW.id, NULL "
        f"WHERE NEW.{name} IS NOT NULL AND NEW.{name} <> '';"
        for number, name in _ITEM_FIELDS
    )


_PG_FUNCTIONS = (
    f"""CREATE FUNCTION chainlead_search_item() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM search_index WHERE rowkey BETWEEN OLD.id * 16 + 1 AND OLD.id * 16 + 5;
  END IF;
  IF TG_OP <> 'DELETE' THEN
{_pg_item_rows()}
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION chainlead_search_note() RETURNS trigger AS $$
BEGIN
  IF NEW.kind = 'note' AND NEW.text IS NOT NULL AND NEW.text <> '' THEN
    INSERT INTO search_index (rowkey, body, field, item_id, meeting_id)
    VALUES (NEW.id * 16 + 6, NEW.text, 'note', NEW.item_id, NEW.meeting_id);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION chainlead_search_meeting() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM search_index WHERE rowkey = OLD.id * 16 + 7;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.summary IS NOT NULL AND NEW.summary <> '' THEN
    INSERT INTO search_index (rowkey, body, field, item_id, meeting_id)
    VALUES (NEW.id * 16 + 7, NEW.summary, 'summary', NULL, NEW.id);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION chainlead_search_decision() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM search_index WHERE rowkey = OLD.id * 16 + 8;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.text <> '' THEN
    INSERT INTO search_index (rowkey, body, field, item_id, meeting_id)
    VALUES (NEW.id * 16 + 8, NEW.text, 'decision', NULL, NEW.meeting_id);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
)
_PG_TRIGGERS = (
    f"CREATE TRIGGER search_item AFTER INSERT OR DELETE OR UPDATE OF {_ITEM_COLUMNS} ON item "
    "FOR EACH ROW EXECUTE FUNCTION chainlead_search_item()",
    "CREATE TRIGGER search_note AFTER INSERT ON event "
    "FOR EACH ROW EXECUTE FUNCTION chainlead_search_note()",
    "CREATE TRIGGER search_meeting AFTER INSERT OR DELETE OR UPDATE OF summary ON meeting "
    "FOR EACH ROW EXECUTE FUNCTION chainlead_search_meeting()",
    "CREATE TRIGGER search_decision AFTER INSERT OR DELETE OR UPDATE OF text "
    "ON meeting_decision FOR EACH ROW EXECUTE FUNCTION chainlead_search_decision()",
)
_PG_TRIGGER_TABLES = (
    ("search_item", "item", "chainlead_search_item"),
    ("search_note", "event", "chainlead_search_note"),
    ("search_meeting", "meeting", "chainlead_search_meeting"),
    ("search_decision", "meeting_decision", "chainlead_search_decision"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_SQLITE_TABLE)
        op.execute(_SQLITE_TERMS)
        for statement in _fill_statements("rowid", " || char(31, 31)"):
            op.execute(statement)
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(_PG_TABLE)
    for statement in _fill_statements("rowkey", ""):
        op.execute(statement)
    for statement in (*_PG_INDEXES, *_PG_FUNCTIONS, *_PG_TRIGGERS):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_index_terms")
    else:
        for trigger, table, function in _PG_TRIGGER_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.execute("DROP TABLE IF EXISTS search_index")
