"""The search index (migration 0009): every text written, found by any part of it.

``search_index`` holds one row per text: an item's title, detail, resolution,
category and enterprise, a note in the history, a meeting's summary and each
of its decisions. Triggers on those tables keep it equal to them; nothing here
writes it but ``rebuild_index``. On SQLite it is an FTS5 table with the
``trigram`` tokenizer, asked with ``MATCH`` (a word of one or two characters
through the trigrams it begins, ``search_index_terms``); on PostgreSQL a table
with a ``pg_trgm`` GIN index, asked with ``ILIKE``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from chainlead.store.connection import Reader, day, like_anywhere, moment, placeholders

# The index's tables on each backend (SQLite's FTS5 keeps its own beside it):
# derived data, not part of the models.
INDEX_TABLE = "search_index"
TERMS_TABLE = "search_index_terms"  # SQLite: the trigrams in the index (fts5vocab)
PAD = "\x1f\x1f"  # SQLite: what follows each text in the index
ITEM_FIELDS = ("title", "detail", "resolution", "category", "enterprise")
FIELD_NUMBERS = {name: n for n, name in enumerate((*ITEM_FIELDS, "note", "summary", "decision"), 1)}


def is_index_table(name: str) -> bool:
    """Whether a table is the search index or one of SQLite's tables behind it."""
    return name == INDEX_TABLE or name.startswith(INDEX_TABLE + "_")


SHORT = 3  # characters: a shorter word is not a trigram of its own


def _unescaped(pattern: str) -> str:
    """The text of a ``like_anywhere`` pattern."""
    return re.sub(r"/(.)", r"\1", pattern[1:-1])


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _begun_by(db: Reader, word: str) -> list[str]:
    """SQLite: the index's trigrams that begin with ``word`` (one or two characters)."""
    return [
        str(row[0])
        for row in db.rows(
            f"SELECT term FROM {TERMS_TABLE} WHERE term >= :low AND term < :high",
            {"low": word, "high": word + "\U0010ffff"},
        )
    ]


def _conditions(
    db: Reader, words: Sequence[str], params: dict[str, object], prefix: str
) -> list[str]:
    """Conditions on ``s`` (the index) that its text has every one of ``words``, any
    case. SQLite: one ``MATCH`` of the trigram index, a word of one or two characters
    as any of the trigrams it begins (each text is followed by two ``PAD``
    characters, so every character of it begins one). PostgreSQL: ``ILIKE``, which
    the trigram index answers."""
    if not db.sqlite:
        for n, word in enumerate(words):
            params[f"{prefix}{n}"] = like_anywhere(word.lower())
        return [f"s.body ILIKE :{prefix}{n} ESCAPE '/'" for n in range(len(words))]
    parts: list[str] = []
    for word in words:
        if len(word) >= SHORT:
            parts.append(_phrase(word))
            continue
        begun = _begun_by(db, word.lower())
        if not begun:
            return ["0 = 1"]  # no text has it
        parts.append("(" + " OR ".join(_phrase(term) for term in begun) + ")")
    params[f"{prefix}m"] = " AND ".join(parts)
    return [f"s.body MATCH :{prefix}m"]


def matches_clause(db: Reader, param: str, pattern: str) -> tuple[str, dict[str, object]]:
    """A condition on ``i.id``: the item has a text in the index with the text of the
    ``like_anywhere`` pattern ``pattern`` in it, any case; and its parameters."""
    params: dict[str, object] = {}
    where = _conditions(db, [_unescaped(pattern)], params, param)
    return (
        f"i.id IN (SELECT s.item_id FROM {INDEX_TABLE} s WHERE s.item_id IS NOT NULL "
        f"AND {' AND '.join(where)})",
        params,
    )


class Match(NamedTuple):
    """An indexed text with every word: its row, where it is, and whose."""

    row: int
    field: str  # title | detail | resolution | category | enterprise | note | summary | decision
    item_id: int | None
    meeting_id: int | None


def matching_rows(
    db: Reader,
    words: Sequence[str],
    *,
    chain_id: int | None = None,
    statuses: Sequence[str] | None = None,
) -> list[Match]:
    """Every indexed text with all of ``words`` in it (any case), of items (of
    ``chain_id``, in ``statuses``) and, without ``statuses``, of meetings (of
    ``chain_id``). Without filters the index alone answers."""
    params: dict[str, object] = {}
    where = _conditions(db, words, params, "w")
    key = "rowid" if db.sqlite else "rowkey"
    where.append(  # a note an undo took back is no longer written (``history.standing``)
        f"(s.field <> 'note' OR s.{key} NOT IN (SELECT e.id * 16 + 6 FROM event e "
        "JOIN event u ON u.old = e.uuid WHERE u.kind = 'undone'))"
    )
    if chain_id is not None:
        params["chain"] = chain_id
        where.append(
            "(s.item_id IN (SELECT id FROM item WHERE chain_id = :chain) OR (s.item_id IS NULL "
            "AND s.meeting_id IN (SELECT id FROM meeting WHERE chain_id = :chain)))"
        )
    if statuses is not None:
        within, names = placeholders("st", statuses)
        where.append(f"s.item_id IN (SELECT id FROM item WHERE status IN {within})")
        params.update(names)
    return [
        Match(
            int(row),
            field,
            None if item is None else int(item),
            None if meeting is None else int(meeting),
        )  # fmt: skip
        for row, field, item, meeting in db.rows(
            f"SELECT s.{key}, s.field, s.item_id, s.meeting_id FROM {INDEX_TABLE} s "
            f"WHERE {' AND '.join(where)}",
            params,
        )
    ]


def texts(db: Reader, rows: Sequence[int]) -> dict[int, str]:
    """The indexed texts of these rows, by row."""
    if not rows:
        return {}
    key = "rowid" if db.sqlite else "rowkey"
    within, params = placeholders("r", rows)
    return {
        int(row): str(body).rstrip(PAD)
        for row, body in db.rows(
            f"SELECT {key}, body FROM {INDEX_TABLE} WHERE {key} IN {within}", params
        )
    }


class Head(NamedTuple):
    """What a hit shows of its item or meeting."""

    key: str
    chain: str
    title: str  # the item's title, the meeting's kind
    status: str | None  # the item's
    on: date  # the item's raised day, the meeting's day
    at: datetime  # the item's last change, the meeting's record


def item_heads(db: Reader, ids: Sequence[int]) -> dict[int, Head]:
    if not ids:
        return {}
    within, params = placeholders("i", ids)
    return {
        int(item_id): Head(key, code, title, status, day(raised), moment(updated))
        for item_id, key, code, title, status, raised, updated in db.rows(
            'SELECT i.id, i."key", c.code, i.title, i.status, i.raised_on, i.updated_at '
            f"FROM item i JOIN chain c ON c.id = i.chain_id WHERE i.id IN {within}",
            params,
        )
    }


def meeting_heads(db: Reader, ids: Sequence[int]) -> dict[int, Head]:
    if not ids:
        return {}
    within, params = placeholders("m", ids)
    return {
        int(meeting_id): Head(key, code, kind, None, day(held), moment(created))
        for meeting_id, key, code, kind, held, created in db.rows(
            'SELECT m.id, m."key", c.code, m.kind, m.held_on, m.created_at '
            f"FROM meeting m JOIN chain c ON c.id = m.chain_id WHERE m.id IN {within}",
            params,
        )
    }


# ---- the index against its sources (``db check``) and built again


def _source_counts_sql() -> dict[str, str]:
    counts = {
        name: f"SELECT count(*) FROM item WHERE {name} IS NOT NULL AND {name} <> ''"
        for name in ITEM_FIELDS
    }
    counts["note"] = (
        "SELECT count(*) FROM event WHERE kind = 'note' AND text IS NOT NULL AND text <> ''"
    )
    counts["summary"] = "SELECT count(*) FROM meeting WHERE summary IS NOT NULL AND summary <> ''"
    counts["decision"] = "SELECT count(*) FROM meeting_decision WHERE text <> ''"
    return counts


def index_counts(db: Reader) -> dict[str, tuple[int, int]]:
    """Per field: (texts in the sources, rows in the index)."""
    indexed = {
        str(field): int(count)
        for field, count in db.rows(f"SELECT field, count(*) FROM {INDEX_TABLE} GROUP BY field")
    }
    return {
        field: (int(db.rows(sql)[0][0]), indexed.get(field, 0))
        for field, sql in _source_counts_sql().items()
    }


def _fill_statements(key: str, pad: str) -> list[str]:
    into = f"INSERT INTO {INDEX_TABLE} ({key}, body, field, item_id, meeting_id) "
    statements = [
        into + f"SELECT id * 16 + {FIELD_NUMBERS[name]}, {name}{pad}, '{name}', id, NULL "
        f"FROM item WHERE {name} IS NOT NULL AND {name} <> ''"
        for name in ITEM_FIELDS
    ]
    return [
        *statements,
        into + f"SELECT id * 16 + 6, text{pad}, 'note', item_id, meeting_id FROM event "
        "WHERE kind = 'note' AND text IS NOT NULL AND text <> ''",
        into + f"SELECT id * 16 + 7, summary{pad}, 'summary', NULL, id FROM meeting "
        "WHERE summary IS NOT NULL AND summary <> ''",
        into + f"SELECT id * 16 + 8, text{pad}, 'decision', NULL, meeting_id "
        "FROM meeting_decision WHERE text <> ''",
    ]


def rebuild_index(db: Reader) -> int:
    """Build the index again from its sources; how many texts it holds."""
    db.execute(f"DELETE FROM {INDEX_TABLE}")
    key, pad = ("rowid", " || char(31, 31)") if db.sqlite else ("rowkey", "")
    for statement in _fill_statements(key, pad):
        db.execute(statement)
    return int(db.rows(f"SELECT count(*) FROM {INDEX_TABLE}")[0][0])
