"""``overdue_report``: every red item today, by responsible institution."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from chainlead.domain.lights import RED, days_over, light
from chainlead.domain.reports.model import OverdueLine, OverdueReport, UnitOverdue
from chainlead.domain.reports.scope import _chain_id
from chainlead.store.connection import Reader
from chainlead.store.reports import PastDueRow, open_past_due


def overdue_report(
    db: Reader,
    *,
    today: date,
    warning_days: int = 7,
    escalation_days: int = 30,
    unit: str | None = None,
    chain: str | None = None,
) -> OverdueReport:
    """Every red item today, grouped by responsible institution, most overdue first.

    ``unit`` matches the institution case-insensitively anywhere in its name
    (as ``bottleneck list --unit``); ``chain`` keeps one chain.
    """
    from chainlead.values import check_name, normalize_code

    unit_text = None if unit is None else check_name("--unit", unit) or ""
    chain_id = _chain_id(db, chain)
    chain_code = None if chain is None else normalize_code(chain, "--chain")
    grouped: dict[str, list[OverdueLine]] = defaultdict(list)
    for row in open_past_due(db, today=today, unit=unit_text, chain_id=chain_id):
        line = _overdue_line(row, today, warning_days, escalation_days)
        if line is not None:
            grouped[row.unit].append(line)
    units = sorted(
        (UnitOverdue(unit=u, items=tuple(items)) for u, items in grouped.items()),
        key=lambda g: (-len(g.items), -g.items[0].days_over, g.unit),
    )
    return OverdueReport(
        today=today,
        escalation_days=escalation_days,
        unit=unit_text,
        chain=chain_code,
        total=sum(len(g.items) for g in units),
        units=tuple(units),
    )


def _overdue_line(
    row: PastDueRow, today: date, warning_days: int, escalation_days: int
) -> OverdueLine | None:
    """The item as the report lists it, when its light is red today."""
    clock = row.clock_due or row.due_on
    lit = light(
        status=row.status,
        due_on=clock,
        resolved_on=row.resolved_on,
        today=today,
        warning_days=warning_days,
    )
    if lit != RED:  # pragma: no cover - the statement selects exactly the red items
        return None
    over = days_over(due_on=clock, resolved_on=None, today=today)
    return OverdueLine(
        key=row.key,
        chain=row.chain,
        chain_name=row.chain_name,
        chain_leader=row.chain_leader,
        title=row.title,
        enterprise=row.enterprise,
        owner=row.owner,
        status=row.status,
        due_on=row.due_on,
        days_over=over,
        escalate=over > escalation_days,
        level=row.level,
    )
