"""What a report is asked for: the month (``--month``, checked) and the chain
(``--chain``); months as numbers (year * 12 + month) for the trend."""

from __future__ import annotations

from datetime import date

from chainlead.errors import InvalidInput
from chainlead.reader import Reader
from chainlead.values import month_of, parse_month, shift_month


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
    from chainlead.domain.views import chain_id

    return chain_id(db, code=code, field="--chain")


def _month_no(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7])


def _month_text(number: int) -> str:
    return f"{(number - 1) // 12:04d}-{(number - 1) % 12 + 1:02d}"
