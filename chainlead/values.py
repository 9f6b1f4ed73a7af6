"""Parsing and checking of values typed by users or read from snapshots.

Pure and light: no database, no terminal. Each problem is an ``InvalidInput``
naming the field and the accepted form. This is the one place where text is
checked for control characters: they are refused on the way in, so nothing
stored can ever drive a terminal.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, timedelta

from chainlead.errors import InvalidInput

DATE_FORM = "expected a date as YYYY-MM-DD, today, yesterday, +Nd, +Nw, -Nd or eom"
MONTH_FORM = "expected a month as YYYY-MM"
CODE_FORM = "expected 1-10 letters or digits starting with a letter, e.g. IC"

_RELATIVE = re.compile(r"^([+-])(\d{1,4})([dw])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DURATION = re.compile(r"^(\d{1,4})([dw]?)$")


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def parse_date(field: str, text: str, *, today: date) -> date:
    """ISO date, ``today``, ``yesterday``, ``+Nd``/``+Nw``/``-Nd``/``-Nw`` or ``eom``."""
    raw = text.strip().lower()
    if raw == "today":
        return today
    if raw == "yesterday":
        return today - timedelta(days=1)
    if raw == "eom":
        return end_of_month(today)
    match = _RELATIVE.match(raw)
    if match:
        sign, amount, unit = match.groups()
        days = int(amount) * (7 if unit == "w" else 1)
        return today + timedelta(days=days if sign == "+" else -days)
    if _ISO_DATE.match(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(
                field, "not a real calendar date (" + DATE_FORM[9:] + ")", text
            ) from None
    raise InvalidInput(field, DATE_FORM, text)


def parse_month(field: str, text: str) -> str:
    """A real ``YYYY-MM`` month, returned normalised."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise InvalidInput(field, MONTH_FORM, text)
    return text.strip()


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a ``YYYY-MM`` month."""
    year, mon = int(month[:4]), int(month[5:7])
    first = date(year, mon, 1)
    return first, end_of_month(first)


def shift_month(month: str, delta: int) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def parse_days(field: str, text: str) -> int:
    """A span such as ``7``, ``7d`` or ``2w``, in days."""
    match = _DURATION.match(text.strip().lower())
    if not match:
        raise InvalidInput(field, "expected a number of days such as 7d or 2w", text)
    amount, unit = match.groups()
    return int(amount) * (7 if unit == "w" else 1)


def normalize_code(text: str, field: str = "code") -> str:
    code = text.strip().upper()
    if not _CODE.match(code):
        raise InvalidInput(field, CODE_FORM, text)
    return code


def _is_control(char: str) -> bool:
    if char in "\n\t":
        return False
    return unicodedata.category(char) == "Cc"


def check_text(
    field: str,
    value: str | None,
    *,
    required: bool = False,
    max_len: int = 2000,
    multiline: bool = True,
) -> str | None:
    """Refuse control characters, empty required text and over-long text.

    Returns the text with surrounding white space removed (``None`` for an
    empty optional value).
    """
    if value is None:
        if required:
            raise InvalidInput(field, f"must not be empty (1-{max_len} characters)")
        return None
    for char in value:
        if _is_control(char) or (not multiline and char in "\n\t"):
            allowed = "newlines and tabs" if multiline else "no line breaks or tabs"
            raise InvalidInput(
                field,
                f"control characters are not accepted ({allowed} only as plain text); "
                f"found U+{ord(char):04X}",
            )
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise InvalidInput(field, f"expected valid Unicode text; found U+{ord(char):04X}")
    cleaned = value.strip()
    if not cleaned:
        if required:
            raise InvalidInput(field, f"must not be empty (1-{max_len} characters)")
        return None
    if len(cleaned) > max_len:
        raise InvalidInput(field, f"must be at most {max_len} characters, got {len(cleaned)}")
    return cleaned


def check_name(field: str, value: str | None, *, required: bool = True) -> str | None:
    """A single-line name: a person, a chain, a unit, an enterprise."""
    return check_text(field, value, required=required, max_len=200, multiline=False)
