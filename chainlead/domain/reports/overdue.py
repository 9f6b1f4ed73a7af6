"""``overdue_report``: every red item today, by responsible institution."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from chainlead.domain.lights import RED, days_over, light
from chainlead.domain.reports.model import OverdueLine, OverdueReport, UnitOverdue
from chainlead.domain.reports.reading import _OPEN, _to_date
from chainlead.domain.reports.scope import _chain_id
from chainlead.reader import Reader, like_anywhere, reader
from chainlead.vocabulary import LEADER

_OVERDUE = (
    'SELECT i."key", c.code, c.name, leaders.name, i.title, i.enterprise, o.name, i.status, '
    "i.unit, i.due_on, i.resolved_on FROM item i "
    "JOIN chain c ON c.id = i.chain_id "
    "LEFT JOIN (SELECT m.chain_id AS chain_id, p.name AS name FROM membership m "
    "JOIN person p ON p.id = m.person_id WHERE m.role = :leader AND m.until IS NULL) leaders "
    "ON leaders.chain_id = i.chain_id "
    "LEFT JOIN person o ON o.id = i.owner_id "
    f"WHERE i.status IN {_OPEN} AND i.due_on < :today"
)


def overdue_report(
    source: Reader,
    *,
    today: date,
    warning_days: int = 7,
    escalation_days: int = 30,
    unit: str | None = None,
    chain: str | None = None,
) -> OverdueReport:
    """Every red item today, grouped by responsible institution, most overdue first.

    ``unit`` matches the institution case-insensitively anywhere in its name
    (as ``bottleneck list --unit``); ``chain`` keeps one chain. ``source`` is a
    Reader or an ORM session.
    """
    from chainlead.values import check_name, normalize_code

    db = reader(source)
    sql = _OVERDUE
    params: dict[str, object] = {"leader": LEADER, "today": today}
    unit_text = None
    if unit is not None:
        unit_text = check_name("--unit", unit) or ""
        sql += " AND lower(i.unit) LIKE :unit ESCAPE '/'"
        params["unit"] = like_anywhere(unit_text.lower())
    chain_code = None
    if chain is not None:
        params["chain"] = _chain_id(db, chain)
        chain_code = normalize_code(chain, "--chain")
        sql += " AND i.chain_id = :chain"
    sql += " ORDER BY i.unit, i.due_on, c.code, i.number"
    grouped: dict[str, list[OverdueLine]] = defaultdict(list)
    total = 0
    for (
        key,
        code,
        name,
        leader,
        title,
        enterprise,
        owner_name,
        status,
        unit_name,
        due,
        res,
    ) in db.rows(sql, params):
        due = _to_date(due)
        lit = light(
            status=status,
            due_on=due,
            resolved_on=_to_date(res) if res is not None else None,
            today=today,
            warning_days=warning_days,
        )
        if lit != RED:  # pragma: no cover - the query selects exactly the red items
            continue
        over = days_over(due_on=due, resolved_on=None, today=today)
        grouped[unit_name].append(
            OverdueLine(
                key=key,
                chain=code,
                chain_name=name,
                chain_leader=leader,
                title=title,
                enterprise=enterprise,
                owner=owner_name,
                status=status,
                due_on=due,
                days_over=over,
                escalate=over > escalation_days,
            )
        )
        total += 1
    units = sorted(
        (UnitOverdue(unit=u, items=tuple(items)) for u, items in grouped.items()),
        key=lambda g: (-len(g.items), -g.items[0].days_over, g.unit),
    )
    return OverdueReport(
        today=today,
        escalation_days=escalation_days,
        unit=unit_text,
        chain=chain_code,
        total=total,
        units=tuple(units),
    )
