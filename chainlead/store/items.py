"""Bottleneck items, their meeting links and their sign-off holders, as writes need them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from chainlead.clock import day_start
from chainlead.store.connection import (
    Reader,
    Row,
    changed_one,
    day,
    day_or_none,
    moment,
    placeholders,
)
from chainlead.vocabulary import (
    ACTIVE_ASSIGNMENT_STATES,
    LEADER,
    OPEN_STATUSES,
    PRIORITY_ORDER,
    RESPONSIBLE,
)


@dataclass
class ItemRecord:
    """An item row; a write changes its fields and ``save_item`` stores them."""

    id: int
    key: str
    chain_id: int
    number: int
    title: str
    detail: str | None
    enterprise: str | None
    source: str
    category: str | None
    priority: str
    unit: str
    unit_id: int
    owner_id: int | None
    raised_on: date
    due_on: date
    status: str
    resolution: str | None
    resolved_on: date | None
    closed_on: date | None
    status_reason: str | None
    created_at: datetime
    updated_at: datetime
    original_due_on: date
    clock_due: date
    receipt_due: date | None = None
    level: int = 0
    red_due: date | None = None
    red_spells: int = 0
    suspended_on: date | None = None
    suspended_until: date | None = None
    suspend_reason: str | None = None
    suspended_days: int = 0
    urge_count: int = 0
    last_urged_at: datetime | None = None
    decision_id: int | None = None
    reference: str | None = None  # the demand's number in the team's sheet (intake)


COLUMNS = tuple(f.name for f in fields(ItemRecord))
_DEFAULTED = COLUMNS[COLUMNS.index("receipt_due") :]
_SELECT = "SELECT " + ", ".join(f'"{c}"' for c in COLUMNS) + " FROM item"
_DAYS = ("raised_on", "due_on", "resolved_on", "closed_on", "original_due_on", "clock_due",
         "receipt_due", "red_due", "suspended_on", "suspended_until")  # fmt: skip
_TIMES = ("created_at", "updated_at", "last_urged_at")
_CHANGING = COLUMNS[4:]  # title ... updated_at: what a write may change
_UPDATE = "UPDATE item SET " + ", ".join(f'"{c}" = :{c}' for c in _CHANGING) + " WHERE id = :id"
_INSERT = (
    "INSERT INTO item (uuid, "
    + ", ".join(f'"{c}"' for c in COLUMNS[1:])
    + ") VALUES (:uuid, "
    + ", ".join(f":{c}" for c in COLUMNS[1:])
    + ") RETURNING id"
)


def _record(row: tuple) -> ItemRecord:
    values = dict(zip(COLUMNS, row, strict=True))
    for name in _DAYS:
        if values[name] is not None:
            values[name] = day(values[name])
    for name in _TIMES:
        if values[name] is not None:
            values[name] = moment(values[name])
    return ItemRecord(**values)


def item_by_key(db: Reader, key: str, *, for_update: bool = False) -> ItemRecord | None:
    """The item with this (normalised) key; locked on PostgreSQL when ``for_update``."""
    sql = _SELECT + ' WHERE "key" = :key'
    rows = db.rows(sql + (" FOR UPDATE" if for_update and not db.sqlite else ""), {"key": key})
    return _record(rows[0]) if rows else None


def insert_item(conn: Reader, **values: object) -> int:
    """Store a new item (every column but ``id``; those with defaults may be left out,
    and the original limit and the clock are the limit unless given); its id."""
    defaults = {f.name: f.default for f in fields(ItemRecord) if f.name in _DEFAULTED}
    first = {"original_due_on": values["due_on"], "clock_due": values["due_on"]}
    return conn.insert(_INSERT, {"uuid": str(uuid.uuid4()), **first, **defaults, **values})


def save_item(conn: Reader, item: ItemRecord) -> None:
    """Store the fields a write changed."""
    count = conn.execute(_UPDATE, {c: getattr(item, c) for c in ("id", *_CHANGING)})
    changed_one(count)


def references(db: Reader, chain_id: int) -> dict[str, str]:
    """The chain's items by their sheet reference: reference → item key."""
    return dict(
        db.rows(
            'SELECT reference, "key" FROM item WHERE chain_id = :chain AND reference IS NOT NULL',
            {"chain": chain_id},
        )
    )


def item_with_reference(db: Reader, chain_id: int, reference: str) -> str | None:
    """The key of the chain's item with this sheet reference, if any."""
    rows = db.rows(
        'SELECT "key" FROM item WHERE chain_id = :chain AND reference = :reference',
        {"chain": chain_id, "reference": reference},
    )
    return rows[0][0] if rows else None


def links_of(conn: Reader, item_id: int) -> list[tuple[int, str, str]]:
    """An item's meeting links: (meeting id, relation, meeting key)."""
    return [
        (int(meeting_id), relation, key)
        for meeting_id, relation, key in conn.rows(
            'SELECT l.meeting_id, l.relation, m."key" FROM meeting_item l '
            "JOIN meeting m ON m.id = l.meeting_id WHERE l.item_id = :item ORDER BY l.id",
            {"item": item_id},
        )
    ]


def insert_link(conn: Reader, *, meeting_id: int, item_id: int, relation: str) -> int:
    return conn.insert(
        "INSERT INTO meeting_item (uuid, meeting_id, item_id, relation) "
        "VALUES (:uuid, :meeting, :item, :relation) RETURNING id",
        {"uuid": str(uuid.uuid4()), "meeting": meeting_id, "item": item_id, "relation": relation},
    )


def signers(conn: Reader, chain_id: int) -> list[tuple[int, str, str]]:
    """The chain's current chain leader and responsible person: (person id, name, role)."""
    return [
        (int(person_id), name, role)
        for person_id, name, role in conn.rows(
            "SELECT p.id, p.name, m.role FROM membership m JOIN person p ON p.id = m.person_id "
            "WHERE m.chain_id = :chain AND m.until IS NULL AND m.role IN (:leader, :responsible)",
            {"chain": chain_id, "leader": LEADER, "responsible": RESPONSIBLE},
        )
    ]


def person_name(conn: Reader, person_id: int) -> str:
    return str(conn.rows("SELECT name FROM person WHERE id = :id", {"id": person_id})[0][0])


# ---- lists and cards


def open_counts(conn: Reader) -> dict[int, int]:
    """Open items per chain id."""
    within, params = placeholders("o", OPEN_STATUSES)
    return {
        int(chain): int(count)
        for chain, count in conn.rows(
            f"SELECT chain_id, count(*) FROM item WHERE status IN {within} GROUP BY chain_id",
            params,
        )
    }


def keys_near(conn: Reader, codes: Sequence[str], number: int, *, limit: int = 2000) -> list[str]:
    """Item keys of these chains, those numbered nearest ``number`` first."""
    within, params = placeholders("c", codes)
    return [
        row[0]
        for row in conn.rows(
            'SELECT i."key" FROM item i JOIN chain c ON c.id = i.chain_id '
            f"WHERE c.code IN {within} ORDER BY abs(i.number - :number), i.number LIMIT :limit",
            {**params, "number": number, "limit": limit},
        )
    ]


@dataclass(frozen=True)
class LinkedMeeting:
    key: str
    kind: str
    held_on: date
    relation: str  # raised | discussed


def linked_meetings(conn: Reader, item_id: int) -> list[LinkedMeeting]:
    """The meetings an item was raised or discussed at, by date."""
    return [
        LinkedMeeting(key=key, kind=kind, held_on=day(held), relation=relation)
        for key, kind, held, relation in conn.rows(
            'SELECT m."key", m.kind, m.held_on, mi.relation '
            "FROM meeting m JOIN meeting_item mi ON mi.meeting_id = m.id "
            "WHERE mi.item_id = :item ORDER BY m.held_on, m.id, mi.relation",
            {"item": item_id},
        )
    ]


@dataclass(frozen=True)
class ItemQuery:
    """What ``bottleneck list`` asks for, checked by the domain.

    Text filters are LIKE patterns on lower-cased text (``like_anywhere``);
    ``open_statuses`` is the set ``overdue_before``/``due_between`` apply to.
    """

    statuses: tuple[str, ...] | None = None  # None: any status
    chain_id: int | None = None
    unit: str | None = None
    unit_id: int | None = None  # items the unit has a working part of (lead or co)
    owner: str | None = None
    enterprise: str | None = None
    enterprise_id: int | None = None  # items this enterprise raised (one of those named)
    category: str | None = None  # whole, lower-cased
    search: str | None = None  # in anything written about it (``store.search``)
    open_statuses: tuple[str, ...] = OPEN_STATUSES
    overdue_before: date | None = None
    due_between: tuple[date, date] | None = None
    raised_in: tuple[date, date] | None = None
    resolved_in: tuple[date, date] | None = None
    # With ``resolved_in``: items read from their history instead of their row
    # (reopened since), and those of them resolved in the span.
    resolved_replayed: frozenset[int] = frozenset()
    resolved_by_history: frozenset[int] = frozenset()
    min_level: int | None = None  # the supervision ladder: this level or above
    sort: str = "due"
    limit: int | None = None


_LIST = """
SELECT i."key", c.code, i.title, i.status, i.priority, i.unit, p.name, i.enterprise,
       i.category, i.source, i.raised_on, i.due_on, i.resolved_on,
       i.clock_due, i.receipt_due, i.suspended_on, i.suspended_until, i.original_due_on,
       i.level, i.urge_count, i.last_urged_at
FROM item i JOIN chain c ON c.id = i.chain_id LEFT JOIN person p ON p.id = i.owner_id
"""

_PRIORITY_RANK = (
    "CASE i.priority "
    + " ".join(f"WHEN '{name}' THEN {rank}" for rank, name in enumerate(PRIORITY_ORDER))
    + f" ELSE {len(PRIORITY_ORDER)} END"
)

ORDERS = {
    "due": "i.due_on, c.code, i.number",
    "raised": "i.raised_on, c.code, i.number",
    "priority": f"{_PRIORITY_RANK}, i.due_on, c.code, i.number",
    "key": "c.code, i.number",
}


def _where(db: Reader, query: ItemQuery) -> tuple[list[str], dict[str, object]]:
    where: list[str] = []
    params: dict[str, object] = {}
    if query.statuses is not None:
        within, names = placeholders("s", query.statuses)
        where.append(f"i.status IN {within}")
        params.update(names)
    if query.chain_id is not None:
        where.append("i.chain_id = :chain")
        params["chain"] = query.chain_id
    if query.unit_id is not None:  # every item the unit has a part of still at work
        working, states = placeholders("w", ACTIVE_ASSIGNMENT_STATES)
        where.append(
            "i.id IN (SELECT item_id FROM assignment "
            f"WHERE unit_id = :unit_id AND state IN {working})"
        )
        params.update(states, unit_id=query.unit_id)
    for name, column in (("unit", "i.unit"), ("owner", "p.name")):
        pattern = getattr(query, name)
        if pattern is not None:
            where.append(f"lower({column}) LIKE :{name} ESCAPE '/'")
            params[name] = pattern
    if query.enterprise_id is not None:
        where.append(
            "i.id IN (SELECT item_id FROM item_enterprise WHERE enterprise_id = :enterprise_id)"
        )
        params["enterprise_id"] = query.enterprise_id
    if query.enterprise is not None:  # any enterprise that raised it, by name or short name
        where.append(
            "i.id IN (SELECT ie.item_id FROM item_enterprise ie "
            "JOIN enterprise e ON e.id = ie.enterprise_id "
            "WHERE lower(e.name) LIKE :enterprise ESCAPE '/' "
            "OR lower(coalesce(e.short, '')) LIKE :enterprise ESCAPE '/')"
        )
        params["enterprise"] = query.enterprise
    if query.category is not None:
        where.append("lower(i.category) = :category")
        params["category"] = query.category
    if query.search is not None:  # anything written about it: the search index
        from chainlead.store.search import matches_clause

        found, found_params = matches_clause(db, "search", query.search)
        where.append(found)
        params.update(found_params)
    open_now, open_params = placeholders("o", query.open_statuses)
    if query.overdue_before is not None:
        where.append(f"i.status IN {open_now} AND i.clock_due < :today AND i.suspended_on IS NULL")
        params.update(open_params, today=query.overdue_before)
    if query.due_between is not None:
        where.append(
            f"i.status IN {open_now} AND i.clock_due >= :due_from AND i.clock_due <= :due_to"
        )
        params.update(open_params, due_from=query.due_between[0], due_to=query.due_between[1])
    if query.raised_in is not None:
        where.append("i.raised_on >= :raised_from AND i.raised_on <= :raised_to")
        params.update(raised_from=query.raised_in[0], raised_to=query.raised_in[1])
    if query.resolved_in is not None:
        by_row = "i.resolved_on >= :resolved_from AND i.resolved_on <= :resolved_to"
        params.update(resolved_from=query.resolved_in[0], resolved_to=query.resolved_in[1])
        if query.resolved_replayed:
            skipped, skipped_params = placeholders("rr", sorted(query.resolved_replayed))
            by_row += f" AND i.id NOT IN {skipped}"
            params.update(skipped_params)
        if query.resolved_by_history:
            added, added_params = placeholders("rh", sorted(query.resolved_by_history))
            by_row = f"({by_row}) OR i.id IN {added}"
            params.update(added_params)
        where.append(f"({by_row})")
    if query.min_level is not None:
        where.append("i.level >= :min_level")
        params["min_level"] = query.min_level
    return where, params


def listed_items(conn: Reader, query: ItemQuery) -> list[tuple]:
    """The items matching ``query``, in one statement: (key, chain code, title,
    status, priority, unit, owner, enterprise, category, source, raised_on,
    due_on, resolved_on, clock_due, receipt_due, suspended_on, suspended_until,
    original_due_on, level, urge_count, last_urged_at) with dates as ``date``."""
    where, params = _where(conn, query)
    sql = _LIST
    if where:
        sql += "WHERE " + " AND ".join(where) + "\n"
    sql += "ORDER BY " + ORDERS[query.sort]
    if query.limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = query.limit
    return [
        (
            *row[:10],
            day(row[10]),
            day(row[11]),
            day_or_none(row[12]),
            day(row[13]),
            day_or_none(row[14]),
            day_or_none(row[15]),
            day_or_none(row[16]),
            day(row[17]),
            int(row[18]),
            int(row[19]),
            None if row[20] is None else moment(row[20]),
        )
        for row in conn.rows(sql, params)
    ]


# ---- snapshot
# A chain's items and their meeting links: rows as the driver gives them, for
# the export to spell as they are, and snapshot records (the snapshot's names,
# ``_id`` the row's id, the owner by name and the meeting by key, dates and
# times as Python values), for the merge to compare.

ITEM_ROW = (
    "id", "uuid", "key", "number", "title", "detail", "enterprise", "source", "category",
    "priority", "unit", "owner_id", "raised_on", "due_on", "status", "resolution",
    "resolved_on", "closed_on", "status_reason", "created_at", "updated_at",
    "original_due_on", "clock_due", "receipt_due", "level", "red_due", "red_spells",
    "suspended_on", "suspended_until", "suspend_reason", "suspended_days", "urge_count",
    "last_urged_at", "decision_id", "reference",
)  # fmt: skip
_ITEMS = "SELECT i." + ", i.".join(ITEM_ROW) + " FROM item i WHERE i.chain_id = :chain"
_CHANGED_SINCE = (
    " AND (i.updated_at >= :start OR i.created_at >= :start OR i.id IN "
    "(SELECT item_id FROM event WHERE at >= :start AND item_id IS NOT NULL))"
)
LINK_ROW = ("item_id", "id", "uuid", "meeting_id", "relation")


def chain_item_rows(
    db: Reader, chain_id: int, *, since: date | None = None, zone: tzinfo = UTC
) -> list[Row]:
    """A chain's items by number, each row ``ITEM_ROW``; with ``since``, only those
    created or changed on or after that day (beginning in ``zone``) or with an event
    since then."""
    if since is None:
        return db.rows(_ITEMS + " ORDER BY i.number", {"chain": chain_id})
    return db.rows(
        _ITEMS + _CHANGED_SINCE + " ORDER BY i.number",
        {"chain": chain_id, "start": day_start(since, zone)},
    )


def _time_or_none(value: Any) -> datetime | None:
    return None if value is None else moment(value)


def decision_places(db: Reader) -> dict[int, str]:
    """Every meeting decision's place as a snapshot names it (``IC-M3#2``), by id."""
    return {
        int(decision_id): f"{key}#{position}"
        for decision_id, key, position in db.rows(
            'SELECT d.id, m."key", d.position FROM meeting_decision d '
            "JOIN meeting m ON m.id = d.meeting_id"
        )
    }


def decision_counts(db: Reader) -> dict[int, int]:
    """How many decisions each meeting has, by meeting id (meetings with any)."""
    return {
        int(meeting_id): int(count)
        for meeting_id, count in db.rows(
            "SELECT meeting_id, max(position) FROM meeting_decision GROUP BY meeting_id"
        )
    }


def set_item_decisions(db: Reader, links: list[tuple[int, int, int]]) -> None:
    """Point items at the meeting decisions they were made of: (item id, meeting id,
    decision position) each."""
    for item_id, meeting_id, position in links:
        db.execute(
            "UPDATE item SET decision_id = (SELECT id FROM meeting_decision "
            "WHERE meeting_id = :meeting AND position = :position) WHERE id = :item",
            {"item": item_id, "meeting": meeting_id, "position": position},
        )


def chain_item_records(db: Reader, chain_id: int, names: dict[int, str]) -> list[dict[str, Any]]:
    """A chain's items as snapshot records (without their links, assignments, extensions
    and history), by number; ``decision`` is ``_decision``, the decision's id, to be
    named by the caller."""
    return [
        {
            "_id": row[0],
            "uuid": row[1],
            "key": row[2],
            "number": row[3],
            "title": row[4],
            "detail": row[5],
            "enterprise": row[6],
            "source": row[7],
            "category": row[8],
            "priority": row[9],
            "unit": row[10],
            "owner": names[row[11]] if row[11] is not None else None,
            "raised": day(row[12]),
            "due": day(row[13]),
            "status": row[14],
            "resolution": row[15],
            "resolved": day_or_none(row[16]),
            "closed": day_or_none(row[17]),
            "status_reason": row[18],
            "created_at": moment(row[19]),
            "updated_at": moment(row[20]),
            "original_due": day(row[21]),
            "clock_due": day(row[22]),
            "receipt_due": day_or_none(row[23]),
            "level": int(row[24]),
            "red_due": day_or_none(row[25]),
            "red_spells": int(row[26]),
            "suspended_on": day_or_none(row[27]),
            "suspended_until": day_or_none(row[28]),
            "suspend_reason": row[29],
            "suspended_days": int(row[30]),
            "urge_count": int(row[31]),
            "last_urged_at": _time_or_none(row[32]),
            "_decision": row[33],
            "reference": row[34],
        }
        for row in chain_item_rows(db, chain_id)
    ]


def chain_link_rows(db: Reader, chain_id: int) -> list[Row]:
    """The meeting links of a chain's items, by item, then as recorded: each row
    ``LINK_ROW``."""
    return db.rows(
        "SELECT " + ", ".join(LINK_ROW) + " FROM meeting_item "
        "WHERE item_id IN (SELECT id FROM item WHERE chain_id = :chain) ORDER BY item_id, id",
        {"chain": chain_id},
    )


def chain_link_records(
    db: Reader, chain_id: int, keys: Callable[[], Mapping[int, str]]
) -> list[dict[str, Any]]:
    """The meeting links of a chain's items as snapshot records (``_item`` the item's id,
    ``_meeting`` the meeting's), by item; ``keys`` gives the meeting keys by id, asked
    for only when there is a link."""
    rows = chain_link_rows(db, chain_id)
    meeting_keys = keys() if rows else {}
    return [
        {
            "_item": row[0],
            "_id": row[1],
            "_meeting": row[3],
            "uuid": row[2],
            "meeting": meeting_keys[row[3]],
            "relation": row[4],
        }
        for row in rows
    ]


def item_uuids(db: Reader) -> set[str]:
    """Every stored item's uuid."""
    return {row[0] for row in db.rows("SELECT uuid FROM item")}


def link_uuids(db: Reader) -> set[str]:
    """Every stored meeting link's uuid."""
    return {row[0] for row in db.rows("SELECT uuid FROM meeting_item")}
