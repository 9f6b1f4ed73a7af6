"""The district scoreboard's reads: chain leaders with their titles, each chain's
items by their rows on a day, the 办结率 counts per chain and institution, and
the meetings' key figures over the months a report compares.

Statements and row mappers only: ``domain.reports.scoreboard`` keeps the rules.
Each statement runs once per report, grouped, never once per item.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from chainlead.store.connection import Reader, day, placeholders
from chainlead.vocabulary import DONE_STATUSES, LEADER

_DONE = "(" + ", ".join(f"'{status}'" for status in DONE_STATUSES) + ")"


def _of_chain(sql: str, params: dict[str, object], chain_id: int | None, column: str) -> str:
    if chain_id is None:
        return sql
    params["chain"] = chain_id
    return f"{sql} AND {column} = :chain"


class Leader(NamedTuple):
    """A chain's current chain leader: name and title (职务; None when not recorded)."""

    name: str
    title: str | None


def current_leaders(db: Reader) -> dict[int, Leader]:
    """Each chain's current chain leader, by chain id (chains without one left out)."""
    return {
        int(chain_id): Leader(name, title)
        for chain_id, name, title in db.rows(
            "SELECT m.chain_id, p.name, p.title FROM membership m "
            "JOIN person p ON p.id = m.person_id WHERE m.role = :leader AND m.until IS NULL",
            {"leader": LEADER},
        )
    }


class ChainRows(NamedTuple):
    """A chain's items as their rows read: raised by a day, resolved (the row's date)
    by it, and raised in a span."""

    raised_by: int
    resolved_by: int
    raised_in: int


def chain_rows(
    db: Reader, *, by: date, first: date, last: date, chain_id: int | None
) -> dict[int, ChainRows]:
    """Per chain: items raised on or before ``by``, items whose row carries a
    resolution date on or before it (as ``reports.resolved_per_day`` counts them),
    and items raised from ``first`` to ``last``."""
    params: dict[str, object] = {"by": by, "first": first, "last": last}
    sql = _of_chain(
        "SELECT chain_id, "
        "sum(CASE WHEN raised_on <= :by THEN 1 ELSE 0 END), "
        "sum(CASE WHEN resolved_on <= :by THEN 1 ELSE 0 END), "
        "sum(CASE WHEN raised_on >= :first AND raised_on <= :last THEN 1 ELSE 0 END) "
        "FROM item WHERE 1 = 1",
        params,
        chain_id,
        "chain_id",
    )
    return {
        int(chain): ChainRows(int(a or 0), int(b or 0), int(c or 0))
        for chain, a, b, c in db.rows(sql + " GROUP BY chain_id", params)
    }


def dropped_days(db: Reader, *, chain_id: int | None) -> list[tuple[int, date]]:
    """Every item dropped now: its chain id and the day of its last drop event (as
    ``reports.dropped_items`` reads them)."""
    params: dict[str, object] = {}
    sql = _of_chain(
        "SELECT i.id, i.chain_id, max(e.at) FROM item i "
        "JOIN event e ON e.item_id = i.id "
        "WHERE i.status = 'dropped' AND e.field = 'status' AND e.new = 'dropped'",
        params,
        chain_id,
        "i.chain_id",
    )
    sql += " GROUP BY i.id, i.chain_id"
    return [(int(chain), day(at)) for _id, chain, at in db.rows(sql, params)]


class DoneCounts(NamedTuple):
    """办结率 counts of one chain and institution, dropped items aside: items raised
    in the year up to the last day and those of them resolved by it; the same since
    records began."""

    raised_year: int
    resolved_year: int
    raised_all: int
    resolved_all: int


def done_counts(
    db: Reader, *, year_first: date, last: date, chain_id: int | None
) -> dict[tuple[int, str], DoneCounts]:
    """Per (chain id, institution): items raised up to ``last`` (and from
    ``year_first`` on), not dropped now, and of those the ones resolved or closed now
    with a resolution date up to ``last``."""
    params: dict[str, object] = {"year": year_first, "last": last}
    resolved = f"status IN {_DONE} AND resolved_on <= :last"
    sql = _of_chain(
        "SELECT chain_id, unit, "
        "sum(CASE WHEN raised_on >= :year THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN raised_on >= :year AND {resolved} THEN 1 ELSE 0 END), "
        f"count(*), sum(CASE WHEN {resolved} THEN 1 ELSE 0 END) "
        "FROM item WHERE raised_on <= :last AND status <> 'dropped'",
        params,
        chain_id,
        "chain_id",
    )
    return {
        (int(chain), unit): DoneCounts(int(a or 0), int(b or 0), int(c or 0), int(d or 0))
        for chain, unit, a, b, c, d in db.rows(sql + " GROUP BY chain_id, unit", params)
    }


class FigureRow(NamedTuple):
    """A key figure a chain reported at a meeting entered for a month."""

    chain_id: int
    month: str
    name: str
    value: str
    unit: str | None


def figures_in_months(
    db: Reader, months: Sequence[str], *, chain_id: int | None
) -> list[FigureRow]:
    """The key figures of meetings entered for these months, per chain and month in
    the order the meetings were held (a later meeting's value comes later)."""
    within, params = placeholders("month", months)
    sql = _of_chain(
        "SELECT m.chain_id, m.month, f.name, f.value, f.unit FROM meeting_figure f "
        f"JOIN meeting m ON m.id = f.meeting_id WHERE m.month IN {within}",
        params,
        chain_id,
        "m.chain_id",
    )
    return [
        FigureRow(int(chain), month, name, value, unit)
        for chain, month, name, value, unit in db.rows(
            sql + " ORDER BY m.chain_id, m.month, m.held_on, m.number, f.id", params
        )
    ]
