"""Urging (催办) and suspension (挂起): ``bottleneck urge``, ``suspend`` and
``resume``, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from helpers import assert_refused
from time_data import CO_UNIT, OTHER_UNIT, UNIT, Run, add_co_unit, ok, shown, state, with_item


@pytest.fixture
def run(db_url: str) -> Run:
    return with_item(db_url)


def on(day: str, **more: str) -> dict[str, str]:
    """The environment of a command run on another day."""
    return {"CHAINLEAD_TODAY": day, **more}


# ----------------------------------------------------------------------- urge


def test_urge_counts_and_remembers_the_last(run: Run) -> None:
    done = ok(run("bottleneck", "urge", "IC-1", "--note", "Phoned the director"))
    assert (done.stdout, done.stderr) == ("", "IC-1: urged (urge 1)\n")
    card = shown(run)
    assert card["urge_count"] == 1
    assert card["last_urged_at"].startswith("2026-11-21T")
    [event] = [e for e in card["history"] if e["kind"] == "urged"]
    assert (event["field"], event["old"], event["new"], event["text"], event["unit"]) == (
        "urge_count", "0", "1", "Phoned the director", None,
    )  # fmt: skip
    listed = ok(run("bottleneck", "list", "--json")).stdout
    assert '"urge_count": 1' in listed


def test_a_unit_is_urged_once_per_interval(run: Run, db_url: str) -> None:
    add_co_unit(db_url)
    ok(run("bottleneck", "urge", "IC-1", "--unit", CO_UNIT))
    before = state(db_url)
    again = run("bottleneck", "urge", "IC-1", "--unit", CO_UNIT)
    assert_refused(
        again,
        1,
        f"urge_interval_hours: {CO_UNIT} was urged at 2026-11-21T",
        "UTC; urge again from 2026-11-22T",
        "(every 24 h at most)",
    )
    assert state(db_url) == before
    # Another unit, and the item itself, are urged on their own account.
    done = ok(run("bottleneck", "urge", "IC-1", "--unit", UNIT))
    assert done.stderr == f"IC-1: urged {UNIT} (urge 2)\n"
    ok(run("bottleneck", "urge", "IC-1"))
    assert_refused(run("bottleneck", "urge", "IC-1"), 1, "urge_interval_hours: IC-1 was urged")
    # Two days on, or with no interval, the same unit may be urged again.
    ok(run("bottleneck", "urge", "IC-1", "--unit", CO_UNIT, env=on("2026-11-23")))
    no_wait = {"CHAINLEAD_URGE_INTERVAL_HOURS": "0"}
    ok(run("bottleneck", "urge", "IC-1", "--unit", CO_UNIT, env=on("2026-11-23", **no_wait)))
    card = shown(run)
    assert card["urge_count"] == 5
    urged = [e["unit"] for e in card["history"] if e["kind"] == "urged"]
    assert urged == [CO_UNIT, UNIT, None, CO_UNIT, CO_UNIT]


@pytest.mark.parametrize(
    ("steps", "args", "fragments"),
    [
        ([["resolve", "IC-1", "--how", "done"]], [],
         ["cannot urge IC-1: it is resolved; allowed next: close, reopen"]),
        ([["resolve", "IC-1", "--how", "done"],
          ["close", "IC-1", "--by", "Zhang Wei", "--feedback", "satisfied"]], [],
         ["cannot urge IC-1: it is closed"]),
        ([["drop", "IC-1", "--why", "gone"]], [], ["IC-1 is dropped; reopen it first"]),
        ([], ["--unit", OTHER_UNIT], [f"--unit: {OTHER_UNIT} has no part in IC-1"]),
        ([], ["--note", "bell\x07"], ["--note: control characters"]),
    ],
)  # fmt: skip
def test_urge_refusals(
    run: Run, db_url: str, steps: list[list[str]], args: list[str], fragments: list[str]
) -> None:
    for step in steps:
        ok(run("bottleneck", *step))
    before = state(db_url)
    result = run("bottleneck", "urge", "IC-1", *args)
    assert_refused(result, 2 if "--note" in args else 1, *fragments)
    assert state(db_url) == before


# ----------------------------------------------------------------------- suspend and resume


def test_days_over_stand_still_while_suspended(run: Run) -> None:
    done = ok(
        run("bottleneck", "suspend", "IC-1", "--why", "Awaiting provincial approval",
            "--until", "2027-01-15")
    )  # fmt: skip
    assert done.stderr == "IC-1: suspended until 2027-01-15: Awaiting provincial approval\n"
    card = shown(run)
    assert (card["light"], card["days_over"]) == ("suspended", -40)
    assert (card["suspended_on"], card["suspended_until"], card["suspend_reason"]) == (
        "2026-11-21", "2027-01-15", "Awaiting provincial approval",
    )  # fmt: skip
    # Past the limit, still suspended: the days over are those of the day it stopped.
    later = shown(run, env=on("2027-01-10"))
    assert (later["light"], later["days_over"]) == ("suspended", -40)
    assert ok(run("bottleneck", "list", "--overdue", "--json", env=on("2027-01-10"))).stdout == (
        "[]\n"
    )
    # Past the day it was suspended until: yellow, and still standing still.
    late = shown(run, env=on("2027-01-20"))
    assert (late["light"], late["days_over"]) == ("yellow", -40)

    back = ok(run("bottleneck", "resume", "IC-1", "--note", "Approved", env=on("2027-01-10")))
    assert back.stderr == "IC-1: resumed after 50 d suspended; clock due 2027-02-19\n"
    card = shown(run, env=on("2027-01-10"))
    assert (card["light"], card["days_over"], card["suspended_days"]) == ("green", -40, 50)
    assert card["suspended_on"] is None and card["suspend_reason"] is None
    assert card["due_on"] == "2026-12-31"  # the limit itself does not move
    suspended, resumed = [e for e in card["history"] if e["kind"] in ("suspended", "resumed")]
    assert (suspended["field"], suspended["new"], suspended["text"]) == (
        "suspended_until", "2027-01-15", "Awaiting provincial approval",
    )  # fmt: skip
    assert (resumed["field"], resumed["old"], resumed["new"], resumed["text"]) == (
        "suspended_days", "0", "50", "Approved",
    )  # fmt: skip
    # The clock runs again from where it stopped.
    assert shown(run, env=on("2027-01-20"))["days_over"] == -30


def test_a_second_spell_adds_its_days(run: Run) -> None:
    ok(run("bottleneck", "suspend", "IC-1", "--why", "one"))
    ok(run("bottleneck", "resume", "IC-1", env=on("2026-11-26")))
    ok(run("bottleneck", "suspend", "IC-1", "--why", "two", env=on("2026-12-01")))
    ok(run("bottleneck", "resume", "IC-1", env=on("2026-12-04")))
    assert shown(run, env=on("2026-12-04"))["suspended_days"] == 8


def test_the_card_shows_the_suspension_and_the_urges(run: Run) -> None:
    ok(run("bottleneck", "urge", "IC-1"))
    ok(run("bottleneck", "suspend", "IC-1", "--why", "Awaiting provincial approval"))
    card = ok(run("bottleneck", "show", "IC-1", env={"COLUMNS": "200"})).stdout
    assert "light: suspended" in card
    words = " ".join(card.split())  # the label column's width follows the longest label
    assert "Suspended since 2026-11-21: Awaiting provincial approval" in words
    assert "Urged once, last 2026-11-21 " in words


@pytest.mark.parametrize(
    ("command", "args", "code", "fragments"),
    [
        ("suspend", [], 2, ["--why: say what the item waits on: give --why TEXT"]),
        ("suspend", ["--why", "x", "--until", "2026-11-20"], 1,
         ["--until: 2026-11-20 is before today (2026-11-21); give a date from today on"]),
        ("suspend", ["--why", "x", "--until", "someday"], 2, ["--until: expected a date"]),
        ("resume", [], 1,
         ["IC-1 is not suspended; suspend it with `chainlead bottleneck suspend IC-1 --why ...`"]),
    ],
)  # fmt: skip
def test_suspend_and_resume_refusals(
    run: Run, db_url: str, command: str, args: list[str], code: int, fragments: list[str]
) -> None:
    before = state(db_url)
    assert_refused(run("bottleneck", command, "IC-1", *args), code, *fragments)
    assert state(db_url) == before


def test_no_second_suspension_and_none_of_a_finished_item(run: Run, db_url: str) -> None:
    ok(run("bottleneck", "suspend", "IC-1", "--why", "one"))
    before = state(db_url)
    result = run("bottleneck", "suspend", "IC-1", "--why", "two")
    assert_refused(
        result,
        1,
        "IC-1 is already suspended since 2026-11-21; "
        "resume it first with `chainlead bottleneck resume IC-1`",
    )
    assert state(db_url) == before
    ok(run("bottleneck", "resume", "IC-1"))
    ok(run("bottleneck", "resolve", "IC-1", "--how", "done"))
    before = state(db_url)
    result = run("bottleneck", "suspend", "IC-1", "--why", "x")
    assert_refused(result, 1, "cannot suspend IC-1: it is resolved")
    assert state(db_url) == before


def test_resolving_or_dropping_ends_a_suspension(run: Run) -> None:
    ok(run("bottleneck", "add", "IC", "Second", "--unit", UNIT, "--due", "2026-12-31"))
    for key, end in (("IC-1", ("resolve", "--how", "done")), ("IC-2", ("drop", "--why", "gone"))):
        ok(run("bottleneck", "suspend", key, "--why", "awaiting approval"))
        ok(run("bottleneck", *end[:1], key, *end[1:], env=on("2026-11-25")))
        card = shown(run, key)
        assert (card["suspended_on"], card["suspend_reason"], card["suspended_days"]) == (
            None, None, 4,
        )  # fmt: skip
        resumed = [e for e in card["history"] if e["kind"] == "resumed"]
        assert len(resumed) == 1 and "while suspended" in resumed[0]["text"]
        ok(run("bottleneck", "reopen", key, "--why", "again", env=on("2026-11-26")))
        assert shown(run, key)["light"] != "suspended"
