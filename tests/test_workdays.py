"""Working days (``+Nwd``) on the mainland China calendar, with make-up working
days, and the optional ``holidays_file``: the arithmetic, then the commands.

The 2026 arrangement is the State Council's notice as chinese-calendar ships it:
National Day and Golden Week off from 1 to 7 October, worked on Sunday
20 September and Saturday 10 October; Mid-Autumn Day (25 September) off.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from helpers import assert_refused, db_state, on_day
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


def ok(result):  # noqa: ANN001, ANN201
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


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


# -------------------------------------------------------------- the commands


@pytest.fixture
def ic(cli):  # noqa: ANN001, ANN201
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(cli("chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
               "--responsible", "Zhang Wei"))  # fmt: skip
    return cli


def add(cli, title: str, due: str, env: dict[str, str] | None = None):  # noqa: ANN001, ANN201
    """``bottleneck add IC TITLE --unit Bureau --new-unit --due DUE`` as run."""
    return cli("bottleneck", "add", "IC", title, "--unit", "Bureau", "--new-unit", "--due", due,
               env=env)  # fmt: skip


def due_of(cli, key: str = "IC-1") -> str:  # noqa: ANN001
    return json.loads(ok(cli("bottleneck", "show", key, "--json")).stdout)["due_on"]


@pytest.mark.parametrize("span", ["+7wd", "＋７ｗｄ", "+7WD", " +7wd "])
def test_add_due_in_working_days_across_national_day(ic, span: str) -> None:  # noqa: ANN001
    env = {"CHAINLEAD_TODAY": "2026-09-24"}
    result = ok(add(ic, "Power", span, env=env))
    assert result.stdout == "IC-1\n"
    assert "due 2026-10-12" in result.stderr
    assert due_of(ic) == "2026-10-12"


def test_add_due_in_working_days_over_a_weekend(ic) -> None:  # noqa: ANN001
    # The fixed today, 2026-11-21, is a Saturday.
    ok(add(ic, "Power", "+1wd"))
    ok(add(ic, "Land", "+5wd"))
    assert (due_of(ic, "IC-1"), due_of(ic, "IC-2")) == ("2026-11-23", "2026-11-27")


def test_edit_due_in_working_days_counts_the_make_up_saturday(ic) -> None:  # noqa: ANN001
    env = {"CHAINLEAD_TODAY": "2026-09-29"}
    ok(add(ic, "Power", "+1d", env=env))
    # Tue 29 Sep: Wed 30 (1), Golden Week, Thu 8 (2), Fri 9 (3), Sat 10 (4).
    result = ok(
        ic("bottleneck", "edit", "IC-1", "--due", "+4wd", "--why", "Bureau closed", env=env)
    )
    assert result.stderr.strip() == "IC-1: time limit 2026-09-30 → 2026-10-10"
    assert due_of(ic) == "2026-10-10"


def test_held_on_in_working_days_back_over_the_make_up_day(ic) -> None:  # noqa: ANN001
    env = {"CHAINLEAD_TODAY": "2026-10-12"}
    ok(ic("schedule", "add", "IC", "--held-on", "-3wd", "--summary", "After the holiday", env=env))
    shown = json.loads(ok(ic("schedule", "show", "IC-M1", "--json")).stdout)
    assert shown["held_on"] == "2026-10-08"


def write_config(tmp_path: Path, holidays: str) -> dict[str, str]:
    """A config.toml naming ``holidays.toml`` beside it (a relative path)."""
    (tmp_path / "holidays.toml").write_text(holidays, encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text('holidays_file = "holidays.toml"\n', encoding="utf-8")
    return {"CHAINLEAD_CONFIG": str(config)}


# Two days only, as a test; a real file lists the whole year's notice.
HOLIDAYS_2027 = """\
holidays = ["2027-01-01"]
workdays = ["2027-01-09"]
"""


def test_a_span_into_a_year_from_the_holidays_file(ic, tmp_path: Path) -> None:  # noqa: ANN001
    env = {**write_config(tmp_path, HOLIDAYS_2027), "CHAINLEAD_TODAY": "2026-12-24"}
    # Thu 24 Dec: Fri 25 (1), Mon-Thu 28-31 (5), New Year's Day off, Mon-Fri 4-8 Jan
    # (10), the file's make-up Saturday 9 Jan (11), Sunday off, Mon 11 Jan (12).
    ok(add(ic, "Power", "+12wd", env=env))
    assert due_of(ic) == "2027-01-11"
    ok(add(ic, "Land", "+6wd", env=env))
    assert due_of(ic, "IC-2") == "2027-01-04"  # over New Year's Day


def test_a_span_into_a_year_no_one_knows_is_refused(ic, db_path: Path) -> None:  # noqa: ANN001
    env = {"CHAINLEAD_TODAY": f"{LAST}-12-20"}
    ok(add(ic, "Power", "+3d", env=env))
    before = db_state(db_path)
    form = (
        f"--due: expected +Nwd within the years whose holidays are known (2004-{LAST}), "
        f"but it reaches {LAST + 1}: give a date as YYYY-MM-DD, "
        f"or list {LAST + 1}'s holidays and working days in holidays_file; got '+30wd'"
    )
    added = add(ic, "Land", "+30wd", env=env)
    assert_refused(added, 2, form)
    edited = ic("bottleneck", "edit", "IC-1", "--due", "+30wd", "--why", "later", env=env)
    assert_refused(edited, 2, form)
    far = add(ic, "Land", "+1wd", env={"CHAINLEAD_TODAY": "2099-06-01"})
    assert_refused(far, 2, "--due: expected +Nwd", "reaches 2099")
    early = ic("schedule", "add", "IC", "--held-on", "-1wd", env={"CHAINLEAD_TODAY": "2004-01-01"})
    assert_refused(early, 2, "--held-on: expected -Nwd", "reaches 2003")
    assert db_state(db_path) == before


def test_a_bad_holidays_file_refuses_working_days_only(ic, db_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    env = write_config(tmp_path, 'holidays = ["2027-01-01"]\nworkdays = ["2027-02-29"]\n')
    before = db_state(db_path)
    refused = add(ic, "Power", "+3wd", env=env)
    where = f"holidays_file {tmp_path / 'holidays.toml'}: workdays"
    assert_refused(refused, 2, where, "not a real calendar date", "'2027-02-29'")
    assert db_state(db_path) == before
    assert_refused(ic("config", "show", env=env), 2, where, "'2027-02-29'")
    # Read only where working days are counted: other dates go on as before.
    ok(add(ic, "Power", "+3d", env=env))
    assert due_of(ic) == "2026-11-24"


def test_config_show_lists_the_holidays_file(ic, tmp_path: Path) -> None:  # noqa: ANN001
    shown = json.loads(ok(ic("config", "show", "--json")).stdout)
    by_key = {row["key"]: row for row in shown}
    assert (by_key["holidays_file"]["value"], by_key["holidays_file"]["source"]) == (
        None,
        "default",
    )
    env = write_config(tmp_path, HOLIDAYS_2027)
    shown = json.loads(ok(ic("config", "show", "--json", env=env)).stdout)
    row = {r["key"]: r for r in shown}["holidays_file"]
    assert row["value"] == str(tmp_path / "holidays.toml")  # beside config.toml
    assert row["source"] == f"config {tmp_path / 'config.toml'}"
    assert row["env"] == "CHAINLEAD_HOLIDAYS_FILE"
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text(HOLIDAYS_2027, encoding="utf-8")
    shown = json.loads(
        ok(
            ic("config", "show", "--json", env={**env, "CHAINLEAD_HOLIDAYS_FILE": str(elsewhere)})
        ).stdout
    )
    assert {r["key"]: r for r in shown}["holidays_file"]["value"] == str(elsewhere)
    missing = {"CHAINLEAD_HOLIDAYS_FILE": str(tmp_path / "nowhere.toml")}
    assert_refused(ic("config", "show", env=missing), 2, "nowhere.toml", "expected a readable file")


def imported(args: list[str], db: Path) -> set[str]:
    """Top-level modules a ``python -m chainlead ARGS`` process imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "chainlead", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CHAINLEAD_TODAY": "2026-09-24"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if "|" in line]
    return {name for name in lines if name.startswith(("chinese_calendar", "chainlead.workdays"))}


def test_the_calendar_is_imported_only_for_working_days(ic, db_path: Path) -> None:  # noqa: ANN001
    power = ["bottleneck", "add", "IC", "Power", "--unit", "Bureau", "--new-unit"]
    assert imported(["--version"], db_path) == set()
    assert imported([*power, "--due", "+7d"], db_path) == set()
    assert imported(["config", "show"], db_path) == set()
    assert {"chinese_calendar", "chainlead.workdays"} <= imported(
        [*power, "--due", "+7wd"], db_path
    )


def test_the_readme_holidays_file_reads(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```toml\n")[1:]]
    (example,) = [b for b in blocks if "\nworkdays = " in b]
    path = tmp_path / "holidays.toml"
    path.write_text(example, encoding="utf-8")
    assert read_holidays_file(str(path)).years == {2027}
