"""Change sets (migration 0010): what each writing command did, and taking it back.

A command's write transaction opens one change set (``open_change``); while it
is open, the capture triggers (``chainlead.migrations.capture``) write every
row the command adds, changes or removes into ``change_row``, with the row as it
was. ``close_change`` ends the capture; a change set that touched nothing is
not kept. ``restore``, ``reinsert`` and ``remove`` put a row back as its image
says, on either backend: SQLite reads the image with ``json_extract``,
PostgreSQL with ``jsonb_populate_record`` (every column in its own type).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from chainlead.migrations.capture import CAPTURED, HISTORY
from chainlead.store.connection import Reader, moment, placeholders

# What history points at, by the event's column.
HISTORY_COLUMNS: dict[str, str] = {
    "chain": "chain_id",
    "item": "item_id",
    "meeting": "meeting_id",
    "person": "person_id",
    "unit": "unit_id",
    "project": "project_id",
}


def open_change(
    db: Reader, *, at: datetime, actor: str, command: str, kind: str, capture: bool = True
) -> int:
    """A new change set, recorded into by the capture triggers until ``close_change``
    (``capture=False``: only on record, as an import is). An undo on PostgreSQL
    first waits for every other write to end and holds the next ones back until it
    commits (SQLite's write transaction is already alone): what it checks nothing
    builds on cannot change under it."""
    if kind == "undo" and not db.sqlite:
        db.execute("LOCK TABLE change_set IN SHARE ROW EXCLUSIVE MODE")
    change_id = db.insert(
        "INSERT INTO change_set (uuid, at, actor, command, kind) "
        "VALUES (:uuid, :at, :actor, :command, :kind) RETURNING id",
        {"uuid": str(uuid.uuid4()), "at": at, "actor": actor, "command": command, "kind": kind},
    )
    if capture:
        _set_current(db, change_id)
    return change_id


def _set_current(db: Reader, change_id: int | None) -> None:
    if db.sqlite:
        db.execute("UPDATE change_current SET change_id = :id WHERE id = 1", {"id": change_id})
    else:
        db.rows(
            "SELECT set_config('chainlead.change', :id, true)",
            {"id": "" if change_id is None else str(change_id)},
        )


def close_change(db: Reader, change_id: int) -> bool:
    """Stop recording into ``change_id``; whether it is kept (it touched a row)."""
    _set_current(db, None)
    if db.rows("SELECT 1 FROM change_row WHERE change_id = :id LIMIT 1", {"id": change_id}):
        return True
    db.execute("DELETE FROM change_set WHERE id = :id", {"id": change_id})
    return False


def current_change(db: Reader) -> int | None:
    """The change set the open transaction records into, if any."""
    if db.sqlite:
        found = db.rows("SELECT change_id FROM change_current WHERE id = 1")
        return found[0][0] if found else None
    value = db.rows("SELECT current_setting('chainlead.change', true)")[0][0]
    return int(value) if value else None


@dataclass(frozen=True)
class ChangeSet:
    id: int
    uuid: str
    at: datetime  # naive UTC
    actor: str
    command: str
    kind: str  # command, batch, undo, import
    undoes: int | None
    undone_by: int | None
    rows: int  # rows added, changed or removed (history not counted)
    events: int  # events written


_SELECT = (
    "SELECT s.id, s.uuid, s.at, s.actor, s.command, s.kind, s.undoes_id, s.undone_by_id, "
    "(SELECT COUNT(*) FROM change_row r WHERE r.change_id = s.id AND r.tbl <> 'event'), "
    "(SELECT COUNT(*) FROM change_row r WHERE r.change_id = s.id AND r.tbl = 'event') "
    "FROM change_set s "
)


def _change_set(row: tuple[object, ...]) -> ChangeSet:
    id_, uuid_, at, actor, command, kind, undoes, undone_by, rows, events = row
    return ChangeSet(
        int(id_),  # type: ignore[call-overload]
        str(uuid_),
        moment(at),
        str(actor),
        str(command),
        str(kind),
        None if undoes is None else int(undoes),  # type: ignore[call-overload]
        None if undone_by is None else int(undone_by),  # type: ignore[call-overload]
        int(rows),  # type: ignore[call-overload]
        int(events),  # type: ignore[call-overload]
    )


def change_sets(db: Reader, *, limit: int) -> list[ChangeSet]:
    """The newest ``limit`` change sets, newest first."""
    return [
        _change_set(row)
        for row in db.rows(_SELECT + "ORDER BY s.id DESC LIMIT :limit", {"limit": limit})
    ]


def change_set(db: Reader, change_id: int) -> ChangeSet | None:
    found = db.rows(_SELECT + "WHERE s.id = :id", {"id": change_id})
    return _change_set(found[0]) if found else None


def latest_undoable(db: Reader, actor: str) -> ChangeSet | None:
    """``actor``'s newest change set that is neither an undo nor undone (also one an
    admin made in ``actor``'s name: ``<login> as <actor>``)."""
    suffix = f" as {actor}"
    found = db.rows(
        _SELECT + "WHERE (s.actor = :actor OR substr(s.actor, length(s.actor) - :n + 1) = "
        ":suffix) AND s.kind <> 'undo' AND s.undone_by_id IS NULL ORDER BY s.id DESC LIMIT 1",
        {"actor": actor, "suffix": suffix, "n": len(suffix)},
    )
    return _change_set(found[0]) if found else None


@dataclass(frozen=True)
class ChangedRow:
    tbl: str
    row_id: int
    op: str  # insert, update, delete
    image: str | None  # the row before (JSON), for update and delete


def changed_rows(db: Reader, change_id: int) -> list[ChangedRow]:
    """What ``change_id`` did to the rows, in the order it did it."""
    return [
        ChangedRow(str(tbl), int(row_id), str(op), image)
        for tbl, row_id, op, image in db.rows(
            "SELECT tbl, row_id, op, image FROM change_row WHERE change_id = :id ORDER BY id",
            {"id": change_id},
        )
    ]


def counters_only(db: Reader, change_id: int) -> set[tuple[str, int]]:
    """The rows ``change_id`` changed in nothing but their key counters (``next_…``),
    as the first later change to each row shows it after: an undo has nothing to put
    back there (a key handed out is never handed out again), so a later change to
    such a row does not build on it (another item added on the same chain)."""
    import json

    mine: dict[tuple[str, int], list[tuple[str, str | None]]] = {}
    for tbl, row_id, op, image in db.rows(
        "SELECT tbl, row_id, op, image FROM change_row WHERE change_id = :id "
        "AND tbl <> 'event' ORDER BY id",
        {"id": change_id},
    ):
        mine.setdefault((str(tbl), int(row_id)), []).append((str(op), image))
    found: set[tuple[str, int]] = set()
    for (tbl, row_id), done in mine.items():
        if any(op != "update" for op, _image in done):
            continue
        after = db.rows(
            "SELECT op, image FROM change_row WHERE tbl = :t AND row_id = :r "
            "AND change_id > :id ORDER BY id LIMIT 1",
            {"t": tbl, "r": row_id, "id": change_id},
        )
        if not after or after[0][0] == "insert" or after[0][1] is None:
            continue
        before, then = json.loads(str(done[0][1])), json.loads(str(after[0][1]))
        if {k: v for k, v in before.items() if not k.startswith("next_")} == {
            k: v for k, v in then.items() if not k.startswith("next_")
        }:
            found.add((tbl, row_id))
    return found


def builds_on(
    db: Reader,
    change_id: int,
    added: dict[str, Sequence[int]],
    counters: set[tuple[str, int]] | None = None,
) -> list[int]:
    """The later change sets still standing (not undone, not undos) that touched a row
    ``change_id`` touched (but ``counters``: rows it changed only the key counters
    of), or wrote history about a record it added (``added``: ids by table); oldest
    first."""
    later = (
        "JOIN change_set s ON s.id = later.change_id WHERE later.change_id > :id "
        "AND s.undone_by_id IS NULL AND s.kind <> 'undo'"
    )
    found = {
        int(row[0])
        for row in db.rows(
            "SELECT DISTINCT later.change_id, mine.tbl, mine.row_id FROM change_row mine "
            "JOIN change_row later ON later.tbl = mine.tbl AND later.row_id = mine.row_id "
            f"{later} AND mine.change_id = :id AND mine.tbl <> 'event'",
            {"id": change_id},
        )
        if (str(row[1]), int(row[2])) not in (counters or set())
    }
    for table, ids in added.items():
        column = HISTORY_COLUMNS.get(table)
        if column is None or not ids:
            continue
        listed, params = placeholders("r", list(ids))
        found.update(
            int(row[0])
            for row in db.rows(
                "SELECT DISTINCT later.change_id FROM event e JOIN change_row later "
                f"ON later.tbl = 'event' AND later.row_id = e.id {later} "
                f"AND e.{column} IN {listed}",
                {"id": change_id, **params},
            )
        )
    return sorted(found)


def _references(db: Reader) -> list[tuple[str, str, str]]:
    """The foreign keys among the captured tables: (child table, its column, the
    table it points at)."""
    if db.sqlite:
        return [
            (child, str(row[3]), str(row[2]))
            for child in CAPTURED
            for row in db.rows(f"PRAGMA foreign_key_list({_known(child)})")
        ]
    return [
        (str(child), str(column), str(parent))
        for child, column, parent in db.rows(
            "SELECT k.table_name, k.column_name, u.table_name "
            "FROM information_schema.referential_constraints r "
            "JOIN information_schema.key_column_usage k ON k.constraint_name = r.constraint_name "
            "AND k.constraint_schema = r.constraint_schema "
            "JOIN information_schema.constraint_column_usage u "
            "ON u.constraint_name = r.unique_constraint_name "
            "AND u.constraint_schema = r.unique_constraint_schema "
            "WHERE k.constraint_schema = current_schema()"
        )
        if child in CAPTURED
    ]


def referenced_later(db: Reader, change_id: int, removed: dict[str, Sequence[int]]) -> list[int]:
    """The later change sets still standing that added or changed a row pointing at a
    record ``change_id`` added and its undo would take away (``removed``: ids by
    table): an item linked to an added enterprise."""
    from chainlead.store.connection import chunks

    found: set[int] = set()
    for child, column, parent in _references(db):
        ids = removed.get(parent)
        if not ids:
            continue
        for part in chunks(ids):
            listed, params = placeholders("r", part)
            found.update(
                int(row[0])
                for row in db.rows(
                    f"SELECT DISTINCT later.change_id FROM {_known(child)} c JOIN change_row later "
                    f"ON later.tbl = :child AND later.row_id = c.id JOIN change_set s "
                    "ON s.id = later.change_id WHERE later.change_id > :id "
                    "AND s.undone_by_id IS NULL AND s.kind <> 'undo' "
                    f'AND c."{column}" IN {listed}',
                    {"child": child, "id": change_id, **params},
                )
            )
    return sorted(found)


def mark_undone(db: Reader, change_id: int, by: int) -> bool:
    """Record that ``by`` undoes ``change_id``; False when another undo got there first."""
    db.execute(
        "UPDATE change_set SET undoes_id = :target WHERE id = :by", {"target": change_id, "by": by}
    )
    return (
        db.execute(
            "UPDATE change_set SET undone_by_id = :by WHERE id = :id AND undone_by_id IS NULL",
            {"by": by, "id": change_id},
        )
        == 1
    )


def history_points_at(db: Reader, table: str, row_id: int) -> bool:
    """Whether an event names the row (history is append-only: the row must stay)."""
    column = HISTORY_COLUMNS.get(table)
    if column is None:
        return False
    return bool(db.rows(f"SELECT 1 FROM event WHERE {column} = :id LIMIT 1", {"id": row_id}))


@cache
def _known(table: str) -> str:
    if table not in CAPTURED:
        raise ValueError(f"not a captured table: {table}")
    return table


def _columns(db: Reader, table: str) -> list[str]:
    if db.sqlite:
        return [str(row[1]) for row in db.rows(f"PRAGMA table_info({_known(table)})")]
    return [
        str(row[0])
        for row in db.rows(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = :t ORDER BY ordinal_position",
            {"t": _known(table)},
        )
    ]


def _image_values(db: Reader, table: str, columns: Sequence[str]) -> str:
    """A select list reading each column from the image ``:image``."""
    if db.sqlite:
        return ", ".join(f"json_extract(:image, '$.{name}')" for name in columns)
    return ", ".join(f'r."{name}"' for name in columns)


def restore(db: Reader, table: str, row_id: int, image: str) -> None:
    """Set every column of the row back to ``image``, but its counters (``next_…``):
    a key handed out is never handed out again."""
    columns = [
        name for name in _columns(db, table) if name != "id" and not name.startswith("next_")
    ]
    names = ", ".join(f'"{name}"' for name in columns)
    values = _image_values(db, table, columns)
    if db.sqlite:
        sql = f"UPDATE {_known(table)} SET ({names}) = ({values}) WHERE id = :id"
    else:
        sql = (
            f"UPDATE {_known(table)} SET ({names}) = (SELECT {values} FROM "
            f"jsonb_populate_record(NULL::{table}, CAST(:image AS jsonb)) AS r) WHERE id = :id"
        )
    db.execute(sql, {"image": image, "id": row_id})


def reinsert(db: Reader, table: str, image: str) -> None:
    """Put a removed row back as ``image`` says, with its own id."""
    columns = _columns(db, table)
    names = ", ".join(f'"{name}"' for name in columns)
    values = _image_values(db, table, columns)
    if db.sqlite:
        sql = f"INSERT INTO {_known(table)} ({names}) SELECT {values}"
    else:
        sql = (
            f"INSERT INTO {_known(table)} ({names}) SELECT {values} FROM "
            f"jsonb_populate_record(NULL::{table}, CAST(:image AS jsonb)) AS r"
        )
    db.execute(sql, {"image": image})


def remove(db: Reader, table: str, row_id: int) -> None:
    """Take away a row the change set added."""
    db.execute(f"DELETE FROM {_known(table)} WHERE id = :id", {"id": row_id})


def retire(db: Reader, table: str, row_id: int, *, status: str, reason: str | None) -> str:
    """Set a record history points at to its retired ``status`` (and ``reason``, for an
    item, whose ``enterprise`` text becomes its first enterprise left, if any); the
    status it had."""
    old = db.rows(f"SELECT status FROM {_known(table)} WHERE id = :id", {"id": row_id})[0][0]
    if table == "item":  # its enterprise text follows the links the undo left it
        db.execute(
            "UPDATE item SET status = :status, status_reason = :reason, enterprise = "
            "(SELECT e.name FROM item_enterprise ie JOIN enterprise e ON e.id = "
            "ie.enterprise_id WHERE ie.item_id = item.id AND ie.position = 1) WHERE id = :id",
            {"status": status, "reason": reason, "id": row_id},
        )
    else:
        db.execute(
            f"UPDATE {_known(table)} SET status = :status WHERE id = :id",
            {"status": status, "id": row_id},
        )
    return str(old)


def record_key(db: Reader, table: str, row_id: int) -> str | None:
    """The key or name a person knows a record by (item and meeting keys, chain codes,
    project keys, names), when the table has one."""
    column = {
        "item": '"key"', "meeting": '"key"', "project": '"key"', "chain": "code",
        "person": "name", "unit": "name", "enterprise": "name",
    }.get(table)  # fmt: skip
    if column is None:
        return None
    found = db.rows(f"SELECT {column} FROM {_known(table)} WHERE id = :id", {"id": row_id})
    return str(found[0][0]) if found else None


def record_chain(db: Reader, table: str, row_id: int) -> int:
    """The chain an item or project belongs to."""
    found = db.rows(f"SELECT chain_id FROM {_known(table)} WHERE id = :id", {"id": row_id})
    return int(found[0][0])


def event_ids(db: Reader, change_id: int) -> list[int]:
    """The events ``change_id`` wrote, in order."""
    return [
        int(row[0])
        for row in db.rows(
            "SELECT row_id FROM change_row WHERE change_id = :id AND tbl = :t ORDER BY id",
            {"id": change_id, "t": HISTORY},
        )
    ]


@dataclass(frozen=True)
class EventRefs:
    """An event's uuid, kind and the ids of what it concerns."""

    id: int
    uuid: str
    kind: str
    chain_id: int | None
    item_id: int | None
    meeting_id: int | None
    person_id: int | None
    unit_id: int | None
    project_id: int | None


def event_refs(db: Reader, ids: Sequence[int]) -> list[EventRefs]:
    """The events with these ids, oldest first."""
    from chainlead.store.connection import chunks

    found: list[EventRefs] = []
    for part in chunks(ids):
        listed, params = placeholders("e", part)
        found.extend(
            EventRefs(*row)  # type: ignore[arg-type]
            for row in db.rows(
                "SELECT id, uuid, kind, chain_id, item_id, meeting_id, person_id, unit_id, "
                f"project_id FROM event WHERE id IN {listed} ORDER BY id",
                params,
            )
        )
    return found


def capture_gaps(db: Reader) -> list[tuple[str, str]]:
    """The tables whose changes are not captured in full: (table, what is missing) --
    a trigger, or (SQLite) a column its row image leaves out."""
    from chainlead.migrations.capture import sqlite_trigger_names

    gaps: list[tuple[str, str]] = []
    if db.sqlite:
        triggers = dict(db.rows("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
        for table in (*CAPTURED, HISTORY):
            missing = [name for name in sqlite_trigger_names(table) if name not in triggers]
            if table != HISTORY:
                for name in sqlite_trigger_names(table)[1:]:
                    body = str(triggers.get(name) or "")
                    missing.extend(
                        f"{name}.{column}"
                        for column in _columns(db, table)
                        if body and f'OLD."{column}"' not in body
                    )
            if missing:
                gaps.append((table, ", ".join(missing)))
        return gaps
    found = {
        str(row[0])
        for row in db.rows(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal "
            "AND p.proname = 'chainlead_change_row' AND t.tgname = 'change_' || c.relname "
            "AND c.relnamespace = current_schema()::regnamespace"  # this district's tables
        )
    }
    return [(table, f"change_{table}") for table in (*CAPTURED, HISTORY) if table not in found]


def is_conflict(exc: BaseException) -> bool:
    """Whether ``exc`` is the database refusing a row that clashes with another (a unique
    key, a foreign key), from either driver."""
    import sqlite3
    import sys

    if isinstance(exc, sqlite3.IntegrityError):
        return True
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.IntegrityError)


def wrote_later(db: Reader, change_id: int, table: str) -> list[int]:
    """The later change sets still standing that added or changed rows of ``table``."""
    return [
        int(row[0])
        for row in db.rows(
            "SELECT DISTINCT r.change_id FROM change_row r JOIN change_set s "
            "ON s.id = r.change_id WHERE r.tbl = :t AND r.change_id > :id "
            "AND r.op <> 'delete' AND s.undone_by_id IS NULL AND s.kind <> 'undo' "
            "ORDER BY r.change_id",
            {"t": _known(table), "id": change_id},
        )
    ]
