"""The district scoreboard's reads: chain leaders with their titles, each chain's
items by their rows on a day, the 办结率 counts per chain and institution, and
the meetings' key figures over the months a report compares.

Statements and row mappers only: ``domain.reports.scoreboard`` keeps the rules.
Each statement runs once per report, grouped, never once per item.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo
from typing import NamedTuple

from chainlead.clock import local_day
from chainlead.store.connection import Reader, moment, placeholders
from chainlead.store.reports import of_chain  # one chain's narrowing, as the reports'
from chainlead.vocabulary import DONE_STATUSES, LEADER

_DONE = "(" + ", ".join(f"'{status}'" for status in DONE_STATUSES) + ")"


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


def dropped_days(db: Reader, *, chain_id: int | None, zone: tzinfo) -> list[tuple[int, date]]:
    """Every item dropped now: its chain id and the day of its last drop event (as
    ``reports.dropped_items`` reads them)."""
    params: dict[str, object] = {}
    sql = of_chain(
        "SELECT i.id, i.chain_id, max(e.at) FROM item i "
        "JOIN event e ON e.item_id = i.id "
        "WHERE i.status = 'dropped' AND e.field = 'status' AND e.new = 'dropped'",
        params,
        chain_id,
        "i.chain_id",
    )
    sql += " GROUP BY i.id, i.chain_id"
    return [(int(chain), local_day(moment(at), zone)) for _id, chain, at in db.rows(sql, params)]


class ItemCounts(NamedTuple):
    """One chain's items at one institution, as their rows read.

    For open at the start of a month: items raised by ``by`` and items whose row
    carries a resolution date up to it (as ``reports.resolved_per_day`` counts
    them). Raised from ``first`` to ``last``. And the 办结率 counts, dropped items
    aside: raised from 1 January to ``last`` and those of them resolved or closed
    now with a resolution date up to ``last``; the same since records began.
    """

    raised_by: int
    resolved_by: int
    raised_in: int
    raised_year: int
    resolved_year: int
    raised_all: int
    resolved_all: int


def item_counts(
    db: Reader, *, by: date, first: date, last: date, year_first: date, chain_id: int | None
) -> dict[tuple[int, str], ItemCounts]:
    """``ItemCounts`` per (chain id, institution), in one pass over the items."""
    params: dict[str, object] = {
        "by": by,
        "first": first,
        "last": last,
        "year": year_first,
    }
    counted = "status <> 'dropped' AND raised_on <= :last"
    done = f"status IN {_DONE} AND resolved_on <= :last"
    sql = of_chain(
        "SELECT chain_id, unit, "
        "sum(CASE WHEN raised_on <= :by THEN 1 ELSE 0 END), "
        "sum(CASE WHEN resolved_on <= :by THEN 1 ELSE 0 END), "
        "sum(CASE WHEN raised_on >= :first AND raised_on <= :last THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN {counted} AND raised_on >= :year THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN {counted} AND raised_on >= :year AND {done} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN {counted} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN {counted} AND {done} THEN 1 ELSE 0 END) "
        # Every item of the district: SQLite reads the table straight through (116 ms
        # at 100k) rather than through the key's index (272 ms: a row lookup each).
        f"FROM item{' NOT INDEXED' if db.sqlite and chain_id is None else ''} WHERE 1 = 1",
        params,
        chain_id,
        "chain_id",
    )
    return {
        (int(row[0]), row[1]): ItemCounts(*(int(n or 0) for n in row[2:]))
        for row in db.rows(sql + " GROUP BY chain_id, unit", params)
    }


class UnitResolved(NamedTuple):
    """An institution's items whose row carries a resolution date in a span, and
    those of them resolved by the row's time limit."""

    resolved: int
    on_time: int


def resolved_per_unit(
    db: Reader, *, first: date, last: date, chain_id: int | None
) -> dict[str, UnitResolved]:
    """Per institution: items resolved (by their row) from ``first`` to ``last``, and
    those resolved on or before their row's time limit."""
    params: dict[str, object] = {"first": first, "last": last}
    sql = of_chain(
        "SELECT unit, count(*), sum(CASE WHEN resolved_on <= due_on THEN 1 ELSE 0 END) "
        "FROM item WHERE resolved_on >= :first AND resolved_on <= :last",
        params,
        chain_id,
        "chain_id",
    )
    return {
        unit: UnitResolved(int(total), int(on_time or 0))
        for unit, total, on_time in db.rows(sql + " GROUP BY unit", params)
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
    sql = of_chain(
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
