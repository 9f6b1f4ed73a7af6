"""Working days on the mainland China calendar, with make-up working days,
and the optional holidays file.

The 2026 arrangement is the State Council's notice as chinese-calendar ships it:
National Day and Golden Week off from 1 to 7 October, worked on Sunday
20 September and Saturday 10 October; Mid-Autumn Day (25 September) off.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainlead.errors import CalendarUnknown, InvalidInput
from chainlead.workdays import (
    Calendar,
    add_working_days,
    is_working_day,
    library_years,
    load_calendar,
    read_holidays_file,
    working_days_between,
)

GOLDEN_WEEK = [date(2026, 10, d) for d in range(1, 8)]
MAKE_UP = [date(2026, 9, 20), date(2026, 10, 10)]  # a Sunday and a Saturday, worked
LAST = library_years()[-1]  # the newest notice the installed chinese-calendar ships


# ------------------------------------------------------------ the arithmetic


def test_2026_national_day_is_off_and_its_make_up_days_are_worked() -> None:
    assert library_years()[0] == 2004 and LAST >= 2026
    assert not any(is_working_day(day) for day in GOLDEN_WEEK)
    assert all(is_working_day(day) for day in MAKE_UP)
    assert [d.weekday() for d in MAKE_UP] == [6, 5]
    assert not is_working_day(date(2026, 10, 11))  # the Sunday after stays off
    assert not is_working_day(date(2026, 9, 25))  # Mid-Autumn Day, a Friday
    assert is_working_day(date(2026, 10, 8)) and is_working_day(date(2026, 9, 30))


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        # Thu 24 Sep: Mid-Autumn Fri 25, the weekend, Mon-Wed (3), Golden Week,
        # Thu 8 and Fri 9 (5), the make-up Saturday 10 (6), Mon 12 (7).
        (date(2026, 9, 24), 7, date(2026, 10, 12)),
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # the week off is jumped whole
        (date(2026, 10, 9), 1, date(2026, 10, 10)),  # the make-up Saturday counts
        (date(2026, 10, 3), 3, date(2026, 10, 10)),  # from inside the holiday
        (date(2026, 10, 12), -2, date(2026, 10, 9)),  # back over the make-up day
        (date(2026, 10, 8), -1, date(2026, 9, 30)),
        (date(2026, 9, 19), 1, date(2026, 9, 20)),  # the make-up Sunday counts
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # an ordinary weekend: Fri -> Mon
        (date(2026, 11, 21), 5, date(2026, 11, 27)),  # from a Saturday
        (date(2026, 11, 23), -1, date(2026, 11, 20)),
        (date(2026, 11, 21), 0, date(2026, 11, 21)),
    ],
)
def test_add_working_days(start: date, count: int, expected: date) -> None:
    assert add_working_days(start, count) == expected


def test_working_days_between_across_golden_week() -> None:
    # Oct 8, 9, the make-up Saturday 10, and Mon 12.
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 12)) == 4
    assert working_days_between(date(2026, 10, 12), date(2026, 9, 30)) == -4
    assert working_days_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
    # Sep 29-30, then October's 22 weekdays less 5 in Golden Week, plus Saturday 10.
    assert working_days_between(date(2026, 9, 28), date(2026, 10, 31)) == 2 + 22 - 5 + 1


@given(
    st.dates(min_value=date(2004, 2, 1), max_value=date(LAST - 1, 11, 30)),
    st.integers(min_value=-20, max_value=20),
)
def test_between_undoes_add(start: date, count: int) -> None:
    assert working_days_between(start, add_working_days(start, count)) == count


def test_a_year_no_one_knows_is_refused_not_guessed() -> None:
    with pytest.raises(CalendarUnknown) as refused:
        add_working_days(date(LAST, 12, 20), 30)
    assert refused.value.year == LAST + 1
    assert refused.value.known == f"2004-{LAST}"
    with pytest.raises(CalendarUnknown):
        is_working_day(date(2003, 12, 31))
    with pytest.raises(CalendarUnknown):
        working_days_between(date(LAST, 12, 1), date(LAST + 1, 1, 5))


def test_a_holidays_file_makes_its_years_known_and_its_days_win(tmp_path: Path) -> None:
    year = LAST + 1
    path = tmp_path / "holidays.toml"
    path.write_text(
        f'holidays = ["{year}-01-01", {year}-01-04]\n'  # a string and a TOML date
        # full-width digits, and a day the library knows as off
        f'workdays = ["{year}-01-09", "２０２６－１０－１１"]\n',
        encoding="utf-8",
    )
    calendar = load_calendar(str(path))
    assert calendar.extra is not None and calendar.extra.years == {2026, year}
    assert calendar.known_years() == f"2004-{year}"
    assert not calendar.is_working_day(date(year, 1, 1))
    assert not calendar.is_working_day(date(year, 1, 4))
    assert calendar.is_working_day(date(year, 1, 9))
    assert calendar.is_working_day(date(2026, 10, 11))  # the file's day wins
    assert calendar.is_working_day(date(year, 3, 3)) == (date(year, 3, 3).weekday() < 5)
    with pytest.raises(CalendarUnknown) as refused:
        calendar.is_working_day(date(year + 1, 1, 4))
    assert refused.value.known == f"2004-{year}"
    assert Calendar(None).known_years() == f"2004-{LAST}"


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ('holidays = ["2027-02-30"]\n', ["holidays: not a real calendar date", "'2027-02-30'"]),
        ('workdays = ["27/02/2027"]\n', ["workdays: expected a list of dates", "'27/02/2027'"]),
        ('workdays = "2027-02-07"\n', ["workdays: expected a list of dates"]),
        ("holidays = [20270101]\n", ["holidays: expected a list of dates", "20270101"]),
        ('holiday = ["2027-01-01"]\n', ["known keys are holidays, workdays", "'holiday'"]),
        ('holidays = ["2027-01-01"\n', ["expected valid TOML"]),
        (
            'holidays = ["2027-02-07"]\nworkdays = ["2027-02-07"]\n',
            ["workdays: a day is either a holiday or a working day", "'2027-02-07'"],
        ),
    ],
)
def test_a_bad_holidays_file_names_the_key(tmp_path: Path, text: str, fragments: list[str]) -> None:
    path = tmp_path / "holidays.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        read_holidays_file(str(path))
    assert refused.value.message.startswith(f"holidays_file {path}")
    for fragment in fragments:
        assert fragment in refused.value.message


def test_a_missing_holidays_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="expected a readable file"):
        read_holidays_file(str(tmp_path / "nowhere.toml"))
