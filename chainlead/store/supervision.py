"""The supervision ladder (督办): the items it looks at, their levels, its turn to write.

The ladder's bookkeeping lives on the item row (``level``, ``red_due``,
``red_spells``); its steps are events (``supervised``, ``escalated``,
``de-escalated``) written through ``domain.history``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from chainlead.store.connection import DISTRICT_LOCK, Reader, day, day_or_none, moment, placeholders
from chainlead.store.history import standing
from chainlead.vocabulary import OPEN_STATUSES

# A transaction-scoped lock every ladder writer takes first on PostgreSQL:
# runs of ``supervise --apply`` from several machines (and hand escalations)
# take turns, and each sees the levels the one before it wrote.
_LADDER_LOCK = 0x6C616464  # "ladd"

LADDER_KINDS = ("supervised", "escalated", "de-escalated")
CLIMB_KINDS = ("supervised", "escalated")


def lock_ladder(db: Reader) -> None:
    """Hold the ladder until the transaction ends (PostgreSQL; a SQLite writer
    already holds the whole database)."""
    if not db.sqlite:
        db.rows(DISTRICT_LOCK, {"key": _LADDER_LOCK})


class Candidate(NamedTuple):
    """An open, unsuspended item whose light may be yellow or red today."""

    id: int
    key: str
    chain_id: int
    chain: str
    title: str
    unit: str
    status: str
    raised_on: date
    due_on: date
    clock_due: date
    receipt_due: date | None
    level: int
    red_due: date | None
    red_spells: int


_CANDIDATES = (
    'SELECT i.id, i."key", i.chain_id, c.code, i.title, i.unit, i.status, i.raised_on, '
    "i.due_on, i.clock_due, i.receipt_due, i.level, i.red_due, i.red_spells "
    "FROM item i JOIN chain c ON c.id = i.chain_id "
    "WHERE i.status IN {within} AND i.suspended_on IS NULL AND c.status = 'active' "
    "AND (i.clock_due <= :warn_until OR i.receipt_due < :today) "
    "ORDER BY c.code, i.number"
)


def ladder_candidates(db: Reader, *, today: date, warn_until: date) -> list[Candidate]:
    """Open, unsuspended items due by ``warn_until`` or not signed for by their
    receipt limit before ``today`` (every other open item is green), by chain and number."""
    within, params = placeholders("o", OPEN_STATUSES)
    rows = db.rows(
        _CANDIDATES.format(within=within), {**params, "today": today, "warn_until": warn_until}
    )
    return [
        Candidate(
            int(row[0]),
            row[1],
            int(row[2]),
            row[3],
            row[4],
            row[5],
            row[6],
            day(row[7]),
            day(row[8]),
            day(row[9]),
            day_or_none(row[10]),
            int(row[11]),
            day_or_none(row[12]),
            int(row[13]),
        )
        for row in rows
    ]


def last_de_escalations(db: Reader) -> dict[int, datetime]:
    """When each item was last de-escalated by hand (naive UTC), by item id."""
    return {
        int(item_id): moment(at)
        for item_id, at in db.rows(
            "SELECT item_id, max(at) FROM event WHERE kind = 'de-escalated' "
            f"AND item_id IS NOT NULL AND {standing()} GROUP BY item_id"
        )
    }


def set_ladder(
    db: Reader,
    *,
    item_id: int,
    was: int,
    level: int,
    red_due: date | None,
    red_spells: int,
    at: datetime | None,
) -> bool:
    """Store an item's level and red spell, when its level is still ``was``;
    ``at``: its new ``updated_at`` (None leaves it). Whether the row was changed."""
    sql = "UPDATE item SET level = :level, red_due = :red_due, red_spells = :red_spells"
    params: dict[str, object] = {
        "id": item_id,
        "was": was,
        "level": level,
        "red_due": red_due,
        "red_spells": red_spells,
    }
    if at is not None:
        sql += ", updated_at = :at"
        params["at"] = at
    return db.execute(sql + " WHERE id = :id AND level = :was", params) == 1


@dataclass(frozen=True)
class LevelRow:
    """An open item at a level of the ladder."""

    key: str
    chain: str
    title: str
    unit: str
    level: int
    clock_due: date


def open_at_level(db: Reader, minimum: int) -> list[LevelRow]:
    """Open items at ``minimum`` or above, highest level first, then by chain and number."""
    within, params = placeholders("o", OPEN_STATUSES)
    rows = db.rows(
        'SELECT i."key", c.code, i.title, i.unit, i.level, i.clock_due '
        "FROM item i JOIN chain c ON c.id = i.chain_id "
        f"WHERE i.status IN {within} AND i.level >= :minimum "
        "ORDER BY i.level DESC, c.code, i.number",
        {**params, "minimum": minimum},
    )
    return [LevelRow(*row[:4], int(row[4]), day(row[5])) for row in rows]


def open_level_counts(db: Reader, chain_id: int | None = None) -> dict[tuple[int, int], int]:
    """Open items per (chain id, level), levels above none only."""
    within, params = placeholders("o", OPEN_STATUSES)
    sql = f"SELECT chain_id, level, count(*) FROM item WHERE status IN {within} AND level > 0"
    if chain_id is not None:
        sql += " AND chain_id = :chain"
        params["chain"] = chain_id
    return {
        (int(chain), int(level)): int(count)
        for chain, level, count in db.rows(sql + " GROUP BY chain_id, level", params)
    }


class Climb(NamedTuple):
    """One step up the ladder: by ``supervise --apply`` or by hand."""

    key: str
    chain_id: int
    kind: str  # supervised | escalated
    at: datetime
    old: int
    new: int
    text: str | None


def climbs_between(
    db: Reader, *, start: datetime, end: datetime, chain_id: int | None = None
) -> list[Climb]:
    """Steps up the ladder recorded from ``start`` up to (not including) ``end``, in order."""
    kinds, params = placeholders("k", CLIMB_KINDS)
    sql = (
        'SELECT i."key", e.chain_id, e.kind, e.at, e.old, e.new, e.text '
        "FROM event e JOIN item i ON i.id = e.item_id "
        f"WHERE e.kind IN {kinds} AND e.at >= :start AND e.at < :end AND e.field = 'level' "
        f"AND {standing('e.')}"
    )
    params.update(start=start, end=end)
    if chain_id is not None:
        sql += " AND e.chain_id = :chain"
        params["chain"] = chain_id
    return [
        Climb(row[0], int(row[1]), row[2], moment(row[3]), int(row[4]), int(row[5]), row[6])
        for row in db.rows(sql + " ORDER BY e.at, e.id", params)
    ]
