"""What a report is asked for: the month (``--month``, checked) and the chain
(``--chain``), the days a monthly report reads, and months as numbers
(year * 12 + month) for the trend."""

from __future__ import annotations

from datetime import UTC, date, tzinfo
from typing import NamedTuple

from chainlead.domain.reports.model import TREND_MONTHS
from chainlead.errors import InvalidInput
from chainlead.store.chains import find_chain
from chainlead.store.connection import Reader
from chainlead.values import month_bounds, month_of, parse_month, shift_month


def default_month(today: date) -> str:
    """The previous complete month."""
    return shift_month(month_of(today), -1)


def report_month(text: str | None, *, today: date) -> str:
    """``--month``: a real ``YYYY-MM`` up to the current month (default: the previous one)."""
    if text is None:
        return default_month(today)
    month = parse_month("--month", text)
    if month > month_of(today):
        raise InvalidInput(
            "--month", f"expected a month up to the current one ({month_of(today)})", text
        )
    return month


def _chain_id(db: Reader, code: str | None) -> int | None:
    """``--chain``: the chain's id (refused when there is no such chain), else None."""
    if code is None:
        return None
    return find_chain(db, code=code, field="--chain").id


def _month_no(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7])


def _month_text(number: int) -> str:
    return f"{(number - 1) // 12:04d}-{(number - 1) % 12 + 1:02d}"


class _Scope(NamedTuple):
    """What a monthly report is asked for, and the days it reads."""

    month: str
    number: int  # the month's number (``_month_no``)
    first: date
    last: date
    as_of: date  # the month's last day, or today for the current month
    previous: str
    previous_first: date
    previous_last: date
    trend_first: date  # the first day of the trend's first month
    chain_id: int | None  # the chain asked for with --chain, else None (whole district)
    today: date
    warning_days: int
    escalation_days: int
    list_limit: int
    zone: tzinfo = UTC  # the calendar days are counted in (``chainlead.clock``)


def _scope(
    db: Reader,
    *,
    today: date,
    month: str | None,
    chain: str | None,
    warning_days: int,
    escalation_days: int,
    list_limit: int,
    zone: tzinfo = UTC,
) -> _Scope:
    """The month checked (default: the previous one), then the chain looked up."""
    month = report_month(month, today=today)
    first, last = month_bounds(month)
    previous = shift_month(month, -1)
    previous_first, previous_last = month_bounds(previous)
    return _Scope(
        month=month,
        number=_month_no(month),
        first=first,
        last=last,
        as_of=min(last, today),
        previous=previous,
        previous_first=previous_first,
        previous_last=previous_last,
        trend_first=month_bounds(shift_month(month, 1 - TREND_MONTHS))[0],
        chain_id=_chain_id(db, chain),
        today=today,
        warning_days=warning_days,
        escalation_days=escalation_days,
        list_limit=list_limit,
        zone=zone,
    )
