"""The chain projects' progress light (序时进度), at its thresholds, with fixed days;
and its settings."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from chainlead.cli import app
from chainlead.domain.project_lights import (
    LightRules,
    MilestoneDue,
    add_months,
    expected_percent,
    project_light,
)

START = date(2026, 1, 1)
END = date(2026, 12, 31)  # 364 days after the start
HALF = date(2026, 7, 2)  # 182 days in: 50% expected


def light(percent: int, on: date = HALF, **given: object) -> tuple[str, int | None]:
    found = project_light(
        status=str(given.pop("status", "active")),
        start=given.pop("start", START),  # type: ignore[arg-type]
        end=given.pop("end", END),  # type: ignore[arg-type]
        percent=percent,
        on=on,
        **given,  # type: ignore[arg-type]
    )
    return found.light, found.expected


def test_expected_is_the_share_of_the_period_elapsed() -> None:
    assert expected_percent(start=START, end=END, on=START) == 0
    assert expected_percent(start=START, end=END, on=HALF) == 50
    assert expected_percent(start=START, end=END, on=END) == 100
    assert expected_percent(start=START, end=END, on=date(2025, 6, 1)) == 0  # before: 0
    assert expected_percent(start=START, end=END, on=date(2027, 6, 1)) == 100  # after: 100
    one_day = date(2026, 5, 1)
    assert expected_percent(start=one_day, end=one_day, on=date(2026, 4, 30)) == 0
    assert expected_percent(start=one_day, end=one_day, on=one_day) == 100


def test_milestones_due_raise_what_is_expected() -> None:
    milestones = [
        MilestoneDue("桩基", date(2026, 2, 1), None),
        MilestoneDue("封顶", date(2026, 3, 1), None),
        MilestoneDue("设备进场", date(2026, 11, 1), None),
    ]
    # Two of three due by 2026-03-01: at least 2/4 of the work; the time share is 16%.
    assert expected_percent(start=START, end=END, on=date(2026, 3, 1), milestones=milestones) == 50
    assert expected_percent(start=START, end=END, on=date(2026, 2, 28), milestones=milestones) == 25
    # Later the time share is the larger.
    assert expected_percent(start=START, end=END, on=date(2026, 10, 1), milestones=milestones) == 75


def test_behind_by_more_than_ten_points_is_yellow_more_than_thirty_red() -> None:
    assert light(50) == ("green", 50)
    assert light(40) == ("green", 50)  # 10 behind: still green
    assert light(39) == ("yellow", 50)  # 11 behind
    assert light(20) == ("yellow", 50)  # 30 behind: still yellow
    assert light(19) == ("red", 50)  # 31 behind
    assert light(90) == ("green", 50)  # ahead


def test_thresholds_come_from_the_rules() -> None:
    rules = LightRules(yellow_points=5, red_points=20, idle_months=1)
    assert light(45, rules=rules) == ("green", 50)
    assert light(44, rules=rules) == ("yellow", 50)
    assert light(30, rules=rules) == ("yellow", 50)
    assert light(29, rules=rules) == ("red", 50)


def test_not_started_months_after_its_start_is_red() -> None:
    start, end = date(2026, 1, 31), date(2029, 1, 31)  # long: being behind is small
    assert add_months(start, 3) == date(2026, 4, 30)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert light(0, date(2026, 4, 29), start=start, end=end)[0] == "green"
    found = project_light(status="active", start=start, end=end, percent=0, on=date(2026, 4, 30))
    assert found.light == "red" and "not started 3 months after its start 2026-01-31" in found.why
    assert light(1, date(2026, 4, 30), start=start, end=end)[0] == "green"  # started
    shorter = LightRules(idle_months=2)
    assert light(0, date(2026, 3, 31), start=start, end=end, rules=shorter)[0] == "red"


def test_a_start_at_the_end_of_the_calendar_gives_a_light() -> None:
    late = date(9999, 11, 15)
    assert add_months(late, 3) == date.max  # past year 9999: the calendar's last day
    assert add_months(date(1, 2, 1), -3) == date.min
    found = project_light(status="active", start=late, end=date.max, percent=0, on=HALF)
    assert found.light == "green" and found.expected == 0


def test_a_milestone_past_due_and_not_done_is_red() -> None:
    due = date(2026, 6, 30)
    late = [MilestoneDue("主体结构封顶", due, None)]
    assert light(60, due, milestones=late)[0] == "green"  # due today: not yet missed
    found = project_light(
        status="active", start=START, end=END, percent=60, on=date(2026, 7, 1), milestones=late
    )
    assert found.light == "red" and "'主体结构封顶' was due 2026-06-30" in found.why
    assert found.reason == "milestone"
    done_later = [MilestoneDue("主体结构封顶", due, date(2026, 7, 5))]
    assert light(60, date(2026, 7, 4), milestones=done_later)[0] == "red"  # as of then
    assert light(60, date(2026, 7, 5), milestones=done_later)[0] == "green"


def test_finished_and_dropped_projects_have_no_light() -> None:
    assert light(100, status="finished") == ("none", None)
    assert light(10, status="dropped") == ("none", None)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("CHAINLEAD_PROJECT_YELLOW_POINTS", "eleven", "percentage points from 0 to 100"),
        ("CHAINLEAD_PROJECT_RED_POINTS", "101", "percentage points from 0 to 100"),
        ("CHAINLEAD_PROJECT_IDLE_MONTHS", "0", "months from 1 to 120"),
    ],
)
def test_settings_are_checked(name: str, value: str, expected: str) -> None:
    result = CliRunner().invoke(app, ["config", "show"], env={name: value})
    assert result.exit_code == 2, result.stderr
    assert expected in result.stderr and name in result.stderr
    assert "Traceback" not in result.stderr


def test_yellow_above_red_is_refused_and_settings_are_shown() -> None:
    both = {"CHAINLEAD_PROJECT_YELLOW_POINTS": "40", "CHAINLEAD_PROJECT_RED_POINTS": "30"}
    result = CliRunner().invoke(app, ["config", "show"], env=both)
    assert result.exit_code == 2
    assert "project_yellow_points: expected no more points than project_red_points (30)" in (
        result.stderr
    )
    env = {"CHAINLEAD_PROJECT_RED_POINTS": "25"}
    shown = CliRunner().invoke(app, ["config", "show", "--json"], env=env)
    assert shown.exit_code == 0, shown.stderr
    values = {row["key"]: (row["value"], row["source"]) for row in json.loads(shown.stdout)}
    assert values["project_red_points"] == (25, "env CHAINLEAD_PROJECT_RED_POINTS")
    assert values["project_yellow_points"] == (10, "default")
    assert values["project_idle_months"] == (3, "default")
