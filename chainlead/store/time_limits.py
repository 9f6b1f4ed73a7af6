"""Reads of moved time limits and urges: the last urge, and the figures the
reports and ``unit show`` count extensions and the original limit by."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple

from chainlead.store.connection import Reader, day, moment, placeholders
from chainlead.store.history import standing


def last_urge(db: Reader, item_id: int, unit_id: int | None) -> datetime | None:
    """When the item was last urged: of that unit, or with no unit named (``None``)."""
    which = "unit_id = :unit" if unit_id is not None else "unit_id IS NULL"
    rows = db.rows(
        f"SELECT max(at) FROM event WHERE item_id = :item AND kind = 'urged' AND {which} "
        f"AND {standing()}",
        {"item": item_id, "unit": unit_id},
    )
    return None if not rows or rows[0][0] is None else moment(rows[0][0])


class ApprovedExtension(NamedTuple):
    """An approved extension (a request or an edit of the limit), decided in a window."""

    item_id: int
    chain_id: int
    unit: str  # the unit that asked, else the item's unit
    days_added: int


def approved_between(
    db: Reader, *, first: date, last: date, chain_id: int | None = None
) -> list[ApprovedExtension]:
    """The extensions approved from ``first`` to ``last`` (both included)."""
    sql = (
        "SELECT e.item_id, i.chain_id, coalesce(u.name, i.unit), e.from_due, e.to_due "
        "FROM extension e JOIN item i ON i.id = e.item_id LEFT JOIN unit u ON u.id = e.unit_id "
        "WHERE e.state = 'approved' AND e.decided_on >= :first AND e.decided_on <= :last"
    )
    params: dict[str, object] = {"first": first, "last": last}
    if chain_id is not None:
        sql += " AND i.chain_id = :chain"
        params["chain"] = chain_id
    return [
        ApprovedExtension(int(item), int(chain), unit, (day(to) - day(start)).days)
        for item, chain, unit, start, to in db.rows(sql + " ORDER BY e.id", params)
    ]


def original_limits(db: Reader, item_ids: Iterable[int]) -> dict[int, date]:
    """The first time limit of each of these items."""
    wanted = sorted(set(item_ids))
    if not wanted:
        return {}
    within, params = placeholders("i", wanted)
    return {
        int(item): day(original)
        for item, original in db.rows(
            f"SELECT id, original_due_on FROM item WHERE id IN {within}", params
        )
    }


class OriginalOnTime(NamedTuple):
    resolved: int
    on_time: int  # resolved on or before the first time limit


def unit_original_on_time(db: Reader, unit_id: int) -> OriginalOnTime:
    """A unit's resolved items, and those resolved by their original time limit."""
    row = db.rows(
        "SELECT sum(CASE WHEN resolved_on IS NOT NULL THEN 1 ELSE 0 END), "
        "sum(CASE WHEN resolved_on IS NOT NULL AND resolved_on <= original_due_on "
        "THEN 1 ELSE 0 END) FROM item WHERE unit_id = :unit",
        {"unit": unit_id},
    )[0]
    return OriginalOnTime(int(row[0] or 0), int(row[1] or 0))
