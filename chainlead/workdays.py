"""Working days on the mainland China calendar.

A working day is Monday to Friday, less the public holidays, plus the make-up
working days (调休) that the State Council's yearly notice moves onto a
weekend. The notices come from the ``chinese-calendar`` package (every year
from 2004 to the last notice it ships); an optional ``holidays_file`` adds
years it does not know yet, or corrects single days:

    holidays = ["2027-01-01", ...]   # days off (weekdays; weekends are off anyway)
    workdays = [...]                 # make-up working days (weekends)

A year with any day in the file is known: its other weekdays are worked, its
other weekend days are not. A date in a year that neither knows is refused
(``CalendarUnknown``), never guessed. This module is imported only when
working days are asked for, and the library only when a day is looked up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, cached_property
from typing import Any

from chainlead.errors import CalendarUnknown, InvalidInput
from chainlead.i18n import _

HOLIDAYS_FILE_KEYS = ("holidays", "workdays")
HOLIDAYS_FILE_FORM = "expected a list of dates as YYYY-MM-DD"
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@cache
def library_years() -> range:
    """The years whose notices ``chinese-calendar`` ships (its own rule:
    first to last year of its holidays)."""
    import chinese_calendar

    days = chinese_calendar.holidays
    return range(min(days).year, max(days).year + 1)


@dataclass(frozen=True)
class HolidaysFile:
    """Extra days off and extra working days, read from ``holidays_file``."""

    path: str
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    @cached_property
    def years(self) -> frozenset[int]:
        """Every year with a day in the file: the years it makes known."""
        return frozenset(day.year for day in self.holidays | self.workdays)


def _day(where: str, entry: Any) -> date:
    """One entry of a list: a TOML date or a ``YYYY-MM-DD`` string."""
    from datetime import datetime

    from chainlead.values import typed

    if isinstance(entry, date) and not isinstance(entry, datetime):
        return entry
    if isinstance(entry, str) and _DAY.match(typed(entry)):
        try:
            return date.fromisoformat(typed(entry))
        except ValueError:
            raise InvalidInput(
                where, _("not a real calendar date (expected YYYY-MM-DD)"), entry
            ) from None
    raise InvalidInput(where, HOLIDAYS_FILE_FORM, entry)


def read_holidays_file(path: str) -> HolidaysFile:
    """The file checked whole: each bad entry is refused with its key named."""
    import tomllib

    where = f"holidays_file {path}"
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(where, _("expected valid TOML ({error})").format(error=exc)) from None
    except OSError as exc:
        raise InvalidInput(
            where, _("expected a readable file ({error})").format(error=exc.strerror)
        ) from None
    unknown = sorted(set(data) - set(HOLIDAYS_FILE_KEYS))
    if unknown:
        raise InvalidInput(
            where, _("known keys are {keys}").format(keys=", ".join(HOLIDAYS_FILE_KEYS)), unknown[0]
        )
    lists: dict[str, frozenset[date]] = {}
    for key in HOLIDAYS_FILE_KEYS:
        entries = data.get(key, [])
        if not isinstance(entries, list):
            raise InvalidInput(f"{where}: {key}", HOLIDAYS_FILE_FORM, entries)
        lists[key] = frozenset(_day(f"{where}: {key}", entry) for entry in entries)
    both = sorted(lists["holidays"] & lists["workdays"])
    if both:
        raise InvalidInput(
            f"{where}: workdays",
            _("a day is either a holiday or a working day, not both"),
            both[0].isoformat(),
        )
    return HolidaysFile(path=path, holidays=lists["holidays"], workdays=lists["workdays"])


def _spans(years: Iterable[int]) -> str:
    """``[2004, ..., 2027, 2029]`` as ``2004-2027, 2029``."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and runs[-1][1] == year - 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs) or "no year"


@dataclass(frozen=True)
class Calendar:
    """The library's notices and, when given, a holidays file whose days win."""

    extra: HolidaysFile | None = None

    def known_years(self) -> str:
        """The years this calendar can answer for, e.g. ``2004-2027``."""
        extra = self.extra.years if self.extra else frozenset()
        return _spans([*library_years(), *extra])

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day; ``CalendarUnknown`` for an unknown year."""
        extra = self.extra
        if extra is not None:
            if day in extra.workdays:
                return True
            if day in extra.holidays:
                return False
        if day.year in library_years():
            import chinese_calendar

            # The library's is_workday, without its per-call range check.
            return day in chinese_calendar.workdays or (
                day.weekday() < 5 and day not in chinese_calendar.holidays
            )
        if extra is not None and day.year in extra.years:
            return day.weekday() < 5
        raise CalendarUnknown(day.year, self.known_years())


def load_calendar(holidays_file: str | None = None) -> Calendar:
    """The calendar in force: the library, and the holidays file when set."""
    return Calendar(read_holidays_file(holidays_file) if holidays_file else None)


def is_working_day(day: date, *, calendar: Calendar | None = None) -> bool:
    """Whether ``day`` is worked (the library alone unless a calendar is given)."""
    return (calendar or Calendar()).is_working_day(day)


def add_working_days(start: date, count: int, *, calendar: Calendar | None = None) -> date:
    """The ``count``-th working day after ``start`` (before it when negative);
    ``start`` itself is never counted, and ``0`` is ``start``."""
    calendar = calendar or Calendar()
    step = timedelta(days=1 if count > 0 else -1)
    day, left = start, abs(count)
    while left:
        try:
            day += step
        except OverflowError:
            raise CalendarUnknown(day.year + step.days, calendar.known_years()) from None
        if calendar.is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date, *, calendar: Calendar | None = None) -> int:
    """Working days after ``start`` up to and including ``end``; negative, from
    ``end`` up to but not including ``start``, when ``end`` is earlier. So
    ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n``."""
    calendar = calendar or Calendar()
    if end >= start:
        first, last, sign = start + timedelta(days=1), end, 1
    else:
        first, last, sign = end, start - timedelta(days=1), -1
    count = 0
    day = first
    while day <= last:
        count += calendar.is_working_day(day)
        day += timedelta(days=1)
    return sign * count
