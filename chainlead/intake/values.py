"""Cell values as the fields of an item: text cleaned, dates in the forms sheets hold.

Pure: each function returns the value or raises ``CellProblem`` with the text
the user reads after ``row N, <header>:``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

from chainlead.intake.sheet import Uncomputed, Value
from chainlead.values import check_text
from chainlead.vocabulary import (
    CATEGORY_MAX,
    NAME_MAX,
    PRIORITIES,
    REFERENCE_MAX,
    TEXT_MAX,
    TITLE_MAX,
)

DATE_FORMS = "a date such as 2026-11-03, 2026/11/3, 2026.11.3, 2026年11月3日 or 20261103"


_DATE = re.compile(
    r"^([0-9]{4})\s*(?:[-/.]|年)\s*([0-9]{1,2})\s*(?:[-/.]|月)\s*([0-9]{1,2})\s*日?"
    r"(?:[ T]+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
)
_COMPACT = re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})$")
_ERRORS = frozenset(
    ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"]
)
_PRIORITY_WORDS = {
    "特急": "urgent",
    "紧急": "urgent",
    "急": "urgent",
    "高": "high",
    "重要": "high",
    "重点": "high",
    "中": "normal",
    "一般": "normal",
    "普通": "normal",
    "正常": "normal",
    "低": "low",
    "较低": "low",
    "不急": "low",
}


# What check_text refuses or looks at: control characters (but the line breaks and tabs
# multi-line text keeps, which _clean has already dealt with) and lone surrogates.
_ODD = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff]")


class CellProblem(Exception):
    """A cell whose value cannot be taken; the message says why and what is accepted."""


def _checked(value: Value) -> Value:
    if isinstance(value, Uncomputed):
        raise CellProblem(
            "a formula with no computed value in the file; open the file in Excel or WPS "
            "and save it, so that its values are stored"
        )
    if isinstance(value, str) and value.strip() in _ERRORS:
        raise CellProblem(f"the formula gives an error ({value.strip()})")
    return value


def as_text(value: Value) -> str | None:
    """A cell as text: numbers without a trailing ``.0``, dates as ISO."""
    value = _checked(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _clean(text: str | None, *, max_len: int, multiline: bool) -> str | None:
    if text is None:
        return None
    if multiline:
        text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    else:
        text = " ".join(text.split())  # line breaks in a cell become spaces
    if not _ODD.search(text):  # the common case, without check_text's look at each character
        text = text.strip()
        if len(text) > max_len:
            raise CellProblem(f"must be at most {max_len} characters, got {len(text)}")
        return text or None
    try:
        return check_text("cell", text, max_len=max_len, multiline=multiline)
    except Exception as exc:  # InvalidInput: reword without the option name
        message = str(exc)
        raise CellProblem(message.split(": ", 1)[1] if ": " in message else message) from None


def line(value: Value, *, max_len: int = NAME_MAX) -> str | None:
    """One line of text (a name, a title): white space, line breaks included, collapsed."""
    return _clean(as_text(value), max_len=max_len, multiline=False)


def title(value: Value) -> str | None:
    return line(value, max_len=TITLE_MAX)


def category(value: Value) -> str | None:
    return line(value, max_len=CATEGORY_MAX)


def detail(value: Value) -> str | None:
    """Longer text: line breaks kept, trailing spaces dropped."""
    return _clean(as_text(value), max_len=TEXT_MAX, multiline=True)


def reference(value: Value) -> str | None:
    """The sheet's own number for a row (``JN-2026-031``, ``12``)."""
    text = line(value, max_len=REFERENCE_MAX)
    return unicodedata.normalize("NFKC", text) if text else None


def sheet_date(value: Value) -> date | None:
    """A date cell, or text in one of ``DATE_FORMS``; None for an empty cell."""
    value = _checked(value)
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (time, timedelta)):
        raise CellProblem(f"expected {DATE_FORMS}; got a time of day or a duration")
    if isinstance(value, bool):
        raise CellProblem(f"expected {DATE_FORMS}; got {value}")
    if isinstance(value, (int, float)):
        if isinstance(value, int) or value.is_integer():
            return _compact(str(int(value)), value)
        raise CellProblem(f"expected {DATE_FORMS}; got the number {value}")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _DATE.match(text)
    if match:
        return _real(int(match.group(1)), int(match.group(2)), int(match.group(3)), value)
    return _compact(text, value)


def _compact(text: str, shown: object) -> date:
    match = _COMPACT.match(text)
    if not match:
        raise CellProblem(f"expected {DATE_FORMS}; got {_shown(shown)}")
    return _real(int(match.group(1)), int(match.group(2)), int(match.group(3)), shown)


def _real(year: int, month: int, day: int, shown: object) -> date:
    try:
        if year < 1900:
            raise ValueError
        return date(year, month, day)
    except ValueError:
        raise CellProblem(f"not a real calendar date: {_shown(shown)}") from None


def _shown(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def priority(value: Value) -> str | None:
    """``高``/``一般``/``低``/``紧急`` or chainlead's own words."""
    text = line(value)
    if text is None:
        return None
    word = unicodedata.normalize("NFKC", text).strip().casefold()
    if word in PRIORITIES:
        return word
    if word in _PRIORITY_WORDS:
        return _PRIORITY_WORDS[word]
    raise CellProblem(
        "expected 高, 一般, 低, 紧急 or " + ", ".join(PRIORITIES) + f"; got {_shown(text)}"
    )
