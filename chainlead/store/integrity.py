"""What ``db check`` reads: the storage's own verdicts, and the rows its rules look at."""

from __future__ import annotations

from chainlead.store.connection import Reader, day, day_or_none
from chainlead.store.history import standing


def pragma_rows(conn: Reader, check: str) -> list[tuple]:
    """SQLite's own check: ``integrity_check`` or ``foreign_key_check``."""
    if check not in ("integrity_check", "foreign_key_check"):
        raise ValueError(check)
    return [tuple(row) for row in conn.rows(f"PRAGMA {check}")]


def has_version_table(db: Reader) -> bool:
    if db.sqlite:
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    else:
        sql = (
            "SELECT 1 FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = 'alembic_version'"
        )
    return bool(db.rows(sql))


def stored_revision(conn: Reader) -> str | None:
    found = conn.rows("SELECT version_num FROM alembic_version")
    return found[0][0] if found else None


def chain_states(conn: Reader) -> list[tuple[int, str, str]]:
    """(id, code, status) of every chain, by code."""
    return [tuple(row) for row in conn.rows("SELECT id, code, status FROM chain ORDER BY code")]


def current_memberships(conn: Reader) -> list[tuple[int, int, str]]:
    """(chain id, person id, role) of every current spell."""
    return [
        tuple(row)
        for row in conn.rows("SELECT chain_id, person_id, role FROM membership WHERE until IS NULL")
    ]


def backwards_spells(conn: Reader) -> list[tuple[str, object, object, str]]:
    """(uuid, until, since, chain code) of spells that end before they start."""
    return [
        (uuid, day(until), day(since), code)
        for uuid, until, since, code in conn.rows(
            "SELECT m.uuid, m.until, m.since, c.code FROM membership m "
            "JOIN chain c ON c.id = m.chain_id "
            "WHERE m.until IS NOT NULL AND m.until < m.since ORDER BY m.id"
        )
    ]


def status_changes(conn: Reader) -> list[tuple[int, str, str | None]]:
    """(item id, field, new) of every status event, each item's in order."""
    return [
        tuple(row)
        for row in conn.rows(
            "SELECT item_id, field, new FROM event "
            f"WHERE item_id IS NOT NULL AND field = 'status' AND {standing()} "
            "ORDER BY item_id, at, id"
        )
    ]


def item_statuses(conn: Reader) -> list[tuple[int, str, str]]:
    """(id, key, status) of every item, by chain and number."""
    return [
        tuple(row)
        for row in conn.rows('SELECT id, "key", status FROM item ORDER BY chain_id, number')
    ]


def item_units(conn: Reader) -> list[tuple[str, str, str | None]]:
    """(key, unit text, its unit's name or None) of every item whose unit text is not
    its unit's name, or that has no unit, by chain and number."""
    return [
        tuple(row)
        for row in conn.rows(
            'SELECT i."key", i.unit, u.name FROM item i LEFT JOIN unit u ON u.id = i.unit_id '
            "WHERE u.id IS NULL OR u.name <> i.unit ORDER BY i.chain_id, i.number"
        )
    ]


def item_enterprises(conn: Reader) -> list[tuple[str, str]]:
    """(key, what is wrong) of every item whose enterprises are not as kept: its
    ``enterprise`` text not the first linked enterprise's name, positions not 1..n,
    or an enterprise not on the item's chain; by key."""
    found = [
        (key, f"enterprise {text!r} is not its first enterprise's name {name!r}")
        for key, text, name in conn.rows(
            'SELECT i."key", i.enterprise, e.name FROM item i '
            "LEFT JOIN item_enterprise ie ON ie.item_id = i.id AND ie.position = 1 "
            "LEFT JOIN enterprise e ON e.id = ie.enterprise_id "
            "WHERE (e.name IS NULL AND i.enterprise IS NOT NULL) "
            "OR (e.name IS NOT NULL AND (i.enterprise IS NULL OR i.enterprise <> e.name))"
        )
    ]
    found += [
        (key, f"its {n} enterprises are numbered {low}..{high}, not 1..{n}")
        for key, n, low, high in conn.rows(
            'SELECT i."key", count(*), min(ie.position), max(ie.position) FROM item_enterprise ie '
            'JOIN item i ON i.id = ie.item_id GROUP BY i."key" '
            "HAVING min(ie.position) <> 1 OR max(ie.position) <> count(*)"
        )
    ]
    found += [
        (key, f"enterprise {name!r} is not on the item's chain {code}")
        for key, name, code in conn.rows(
            'SELECT i."key", e.name, c.code FROM item_enterprise ie '
            "JOIN item i ON i.id = ie.item_id JOIN chain c ON c.id = i.chain_id "
            "JOIN enterprise e ON e.id = ie.enterprise_id WHERE NOT EXISTS ("
            "SELECT 1 FROM enterprise_chain ec WHERE ec.enterprise_id = ie.enterprise_id "
            "AND ec.chain_id = i.chain_id)"
        )
    ]
    return sorted(found)


def chain_counters(conn: Reader) -> dict[int, tuple[str, int, int]]:
    """Each chain's code and next item and meeting numbers, by id."""
    return {
        row[0]: tuple(row[1:])
        for row in conn.rows("SELECT id, code, next_item_no, next_meeting_no FROM chain")
    }


def numbered_keys(conn: Reader, table: str) -> list[tuple[str, int, int]]:
    """(key, chain id, number) of every item or meeting, in the order stored."""
    if table not in ("item", "meeting"):
        raise ValueError(table)
    return [
        tuple(row) for row in conn.rows(f'SELECT "key", chain_id, number FROM {table} ORDER BY id')
    ]


def meeting_months(conn: Reader) -> list[tuple[str, str]]:
    return [tuple(row) for row in conn.rows('SELECT "key", month FROM meeting ORDER BY id')]


def figure_values(conn: Reader) -> list[tuple[str, str, str]]:
    """(meeting key, figure name, value) of every figure."""
    return [
        tuple(row)
        for row in conn.rows(
            'SELECT m."key", f.name, f.value FROM meeting_figure f '
            "JOIN meeting m ON m.id = f.meeting_id ORDER BY f.id"
        )
    ]


# The triggers that keep the history append-only (migrations 0001 and 0003).
HISTORY_GUARDS = {
    True: {"event_no_update", "event_no_delete", "event_no_replace"},
    False: {"event_append_only", "event_no_truncate"},
}


def history_guards(db: Reader) -> set[str]:
    """The names of the triggers on the event table."""
    if db.sqlite:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'event'"
    else:
        query = (
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'event'::regclass AND NOT tgisinternal"
        )
    return {row[0] for row in db.rows(query)}


def item_loops(conn: Reader) -> list[tuple]:
    """(id, key, status, level, due_on, clock_due, receipt_due, suspended_days) of every
    item, by chain and number, dates as ``date``."""
    return [
        (row[0], row[1], row[2], row[3], day(row[4]), day(row[5]), day_or_none(row[6]), row[7])
        for row in conn.rows(
            'SELECT id, "key", status, level, due_on, clock_due, receipt_due, suspended_days '
            "FROM item ORDER BY chain_id, number"
        )
    ]


def assignment_states(conn: Reader) -> list[tuple]:
    """(item id, id, unit id, unit name, role, state, due_on, receipt_due) of every
    assignment, each item's in the order made, dates as ``date``."""
    return [
        (*row[:6], day(row[6]), day_or_none(row[7]))
        for row in conn.rows(
            "SELECT a.item_id, a.id, a.unit_id, u.name, a.role, a.state, a.due_on, "
            "a.receipt_due FROM assignment a JOIN unit u ON u.id = a.unit_id "
            "ORDER BY a.item_id, a.id"
        )
    ]


def assignment_changes(conn: Reader) -> list[tuple]:
    """(item id, unit id, field, new) of every event about an item's unit, each item's
    oldest first."""
    return [
        tuple(row)
        for row in conn.rows(
            "SELECT item_id, unit_id, field, new FROM event "
            f"WHERE item_id IS NOT NULL AND unit_id IS NOT NULL AND {standing()} "
            "ORDER BY item_id, at, id"
        )
    ]


def level_changes(conn: Reader) -> list[tuple]:
    """(item id, new) of every event of an item's ``level``, each item's oldest first."""
    return [
        tuple(row)
        for row in conn.rows(
            "SELECT item_id, new FROM event "
            f"WHERE item_id IS NOT NULL AND field = 'level' AND {standing()} "
            "ORDER BY item_id, at, id"
        )
    ]
