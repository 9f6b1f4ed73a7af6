"""Extensions (延期): ``bottleneck extend``, ``approve`` and ``refuse``, and
``edit --due`` kept as an extension, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from helpers import assert_refused
from time_data import (
    CO_UNIT,
    OTHER_UNIT,
    UNIT,
    Run,
    add_co_unit,
    ok,
    shown,
    state,
    with_item,
)

from chainlead.domain import Stamp
from chainlead.domain.assignments import transfer
from chainlead.domain.bottlenecks import get_item
from chainlead.store.connection import open_writer


@pytest.fixture
def run(db_url: str) -> Run:
    return with_item(db_url)


def _events(card: dict, *kinds: str) -> list[dict]:
    return [e for e in card["history"] if e["kind"] in kinds]


def _parts(card: dict) -> dict[str, str]:
    return {p["unit"]: p["due_on"] for p in card["parts"]}


# ----------------------------------------------------------------------- the team asks


def test_extend_then_approve_moves_the_limit_not_the_original(run: Run) -> None:
    asked = ok(run("bottleneck", "extend", "ic-1", "--to", "2027-01-31", "--why", "Grid works"))
    assert asked.stdout == ""
    assert asked.stderr == (
        "IC-1: extension to 2027-01-31 requested (time limit 2026-12-31); "
        "awaiting approve or refuse\n"
    )
    waiting = shown(run)
    assert waiting["due_on"] == "2026-12-31"
    assert waiting["original_due_on"] is None  # not moved yet
    [ext] = waiting["extensions"]
    assert (ext["kind"], ext["state"], ext["from_due"], ext["to_due"], ext["why"]) == (
        "request", "pending", "2026-12-31", "2027-01-31", "Grid works",
    )  # fmt: skip
    assert (ext["requested_by"], ext["unit"]) == ("tester", None)

    done = ok(run("bottleneck", "approve", "IC-1", "--by", "zhang wei", "--note", "Agreed"))
    assert done.stderr == (
        "IC-1: extension approved by Zhang Wei: time limit 2026-12-31 → 2027-01-31 "
        "(original 2026-12-31)\n"
    )
    card = shown(run)
    assert card["due_on"] == "2027-01-31"
    assert card["original_due_on"] == "2026-12-31"
    assert _parts(card) == {UNIT: "2027-01-31"}  # the lead's limit was the item's: it moves
    assert card["days_over"] == -71  # 2026-11-21 to the new limit
    [ext] = card["extensions"]
    assert (ext["state"], ext["decided_on"], ext["decided_by"], ext["decision_note"]) == (
        "approved", "2026-11-21", "Zhang Wei", "Agreed",
    )  # fmt: skip
    requested, approved = _events(card, "extension_requested", "extension_approved")
    assert (requested["field"], requested["old"], requested["new"], requested["text"]) == (
        "due_on", "2026-12-31", "2027-01-31", "Grid works",
    )  # fmt: skip
    assert (approved["field"], approved["old"], approved["new"], approved["person"]) == (
        "due_on", "2026-12-31", "2027-01-31", "Zhang Wei",
    )  # fmt: skip


def test_a_second_extension_keeps_the_first_limit_as_the_original(run: Run) -> None:
    ok(run("bottleneck", "extend", "IC-1", "--to", "2027-01-31", "--why", "one"))
    ok(run("bottleneck", "approve", "IC-1", "--by", "Li Ming"))
    ok(run("bottleneck", "extend", "IC-1", "--to", "+100d", "--why", "two"))
    ok(run("bottleneck", "approve", "IC-1", "--by", "Li Ming"))
    card = shown(run)
    assert (card["due_on"], card["original_due_on"]) == ("2027-03-01", "2026-12-31")
    assert [e["state"] for e in card["extensions"]] == ["approved", "approved"]


def test_refuse_keeps_the_limit(run: Run) -> None:
    ok(run("bottleneck", "extend", "IC-1", "--to", "2027-01-31", "--why", "Grid works"))
    done = ok(run("bottleneck", "refuse", "IC-1", "--by", "Zhang Wei", "--why", "Lay it now"))
    assert done.stderr == (
        "IC-1: extension to 2027-01-31 refused by Zhang Wei; time limit stays 2026-12-31\n"
    )
    card = shown(run)
    assert (card["due_on"], card["original_due_on"]) == ("2026-12-31", None)
    [ext] = card["extensions"]
    assert (ext["state"], ext["decision_note"]) == ("refused", "Lay it now")
    [refused] = _events(card, "extension_refused")
    assert (refused["old"], refused["new"], refused["text"]) == (
        "2026-12-31", "2027-01-31", "Lay it now",
    )  # fmt: skip
    # Answered: a new request may be filed.
    ok(run("bottleneck", "extend", "IC-1", "--to", "2027-01-15", "--why", "Half of it"))


# ----------------------------------------------------------------------- a unit asks


def test_a_co_handling_unit_moves_only_its_own_limit(run: Run, db_url: str) -> None:
    add_co_unit(db_url, due=date(2026, 12, 20))
    assert shown(run)["light"] == "green"
    asked = ok(
        run("bottleneck", "extend", "IC-1", "--unit", CO_UNIT, "--to", "2027-01-10", "--why", "x")
    )
    assert f"extension by {CO_UNIT} to 2027-01-10 requested (time limit 2026-12-20)" in (
        asked.stderr
    )
    done = ok(run("bottleneck", "approve", "IC-1", "--by", "Zhang Wei"))
    assert f"{CO_UNIT}'s time limit 2026-12-20 → 2027-01-10" in done.stderr
    card = shown(run)
    assert card["due_on"] == "2026-12-31"  # the item's limit stays
    assert card["original_due_on"] is None
    assert _parts(card) == {UNIT: "2026-12-31", CO_UNIT: "2027-01-10"}
    assert card["days_over"] == -40  # the clock: the item's limit, now the earliest
    [ext] = card["extensions"]
    assert ext["unit"] == CO_UNIT
    [event] = _events(card, "extension_approved")
    assert event["unit"] == CO_UNIT


def test_the_lead_unit_moves_the_items_limit(run: Run) -> None:
    ok(run("bottleneck", "extend", "IC-1", "--unit", UNIT, "--to", "2027-02-01", "--why", "x"))
    done = ok(run("bottleneck", "approve", "IC-1", "--by", "Zhang Wei"))
    assert done.stderr == (
        "IC-1: extension approved by Zhang Wei: time limit 2026-12-31 → 2027-02-01 "
        "(original 2026-12-31)\n"
    )
    card = shown(run)
    assert (card["due_on"], card["original_due_on"]) == ("2027-02-01", "2026-12-31")
    assert _parts(card) == {UNIT: "2027-02-01"}


# ----------------------------------------------------------------------- edit --due


def test_edit_due_is_kept_as_an_approved_extension(run: Run) -> None:
    ok(run("bottleneck", "edit", "IC-1", "--due", "2027-01-15", "--why", "Moved at the meeting"))
    card = shown(run)
    [ext] = card["extensions"]
    assert (ext["kind"], ext["state"], ext["from_due"], ext["to_due"], ext["why"]) == (
        "edit", "approved", "2026-12-31", "2027-01-15", "Moved at the meeting",
    )  # fmt: skip
    assert card["original_due_on"] == "2026-12-31"
    ok(run("bottleneck", "edit", "IC-1", "--title", "New title"))  # no limit moved: no row
    assert len(shown(run)["extensions"]) == 1


def test_the_card_shows_the_requests_and_the_original_limit(run: Run) -> None:
    ok(run("bottleneck", "extend", "IC-1", "--to", "2027-01-31", "--why", "Grid works"))
    ok(run("bottleneck", "approve", "IC-1", "--by", "Zhang Wei"))
    ok(run("bottleneck", "extend", "IC-1", "--to", "2027-02-28", "--why", "Survey late"))
    card = ok(run("bottleneck", "show", "IC-1", env={"COLUMNS": "200"})).stdout
    assert "2027-01-31  71 d left  (original 2026-12-31)" in card
    assert "Extensions" in card
    assert "approved 2026-11-21 by Zhang Wei" in card
    assert "pending" in card
    assert "extension requested: 2026-12-31 → 2027-01-31" in card
    assert "extension approved: 2026-12-31 → 2027-01-31" in card


# ----------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (["--to", "2026-11-20", "--why", "x"], 1,
         ["--to: 2026-11-20 is before today (2026-11-21); give a later date"]),
        (["--to", "2026-12-31", "--why", "x"], 1,
         ["--to: 2026-12-31 is not after the current time limit 2026-12-31; give a later date"]),
        (["--to", "2026-12-01", "--why", "x"], 1, ["--to: 2026-12-01 is not after"]),
        (["--to", "31/01/2027", "--why", "x"], 2, ["--to: expected a date"]),
        (["--why", "x"], 2, ["--to: give the time limit asked for: --to DATE"]),
        (["--to", "2027-01-31"], 2, ["--why: say why more time is needed"]),
        (["--to", "2027-01-31", "--why", " "], 2, ["--why: must not be empty"]),
        (["--to", "2027-01-31", "--why", "x", "--unit", OTHER_UNIT], 1,
         [f"--unit: {OTHER_UNIT} has no part in IC-1; its units: {UNIT} (lead, assigned)"]),
        (["--to", "2027-01-31", "--why", "x", "--unit", "Nowhere Bureau"], 1,
         ["no institution 'Nowhere Bureau'"]),
    ],
)  # fmt: skip
def test_extend_refusals(
    run: Run, db_url: str, args: list[str], code: int, fragments: list[str]
) -> None:
    before = state(db_url)
    assert_refused(run("bottleneck", "extend", "IC-1", *args), code, *fragments)
    assert state(db_url) == before


def test_one_pending_request_at_a_time(run: Run, db_url: str) -> None:
    ok(run("bottleneck", "extend", "IC-1", "--to", "2027-01-31", "--why", "x"))
    before = state(db_url)
    result = run("bottleneck", "extend", "IC-1", "--to", "2027-02-28", "--why", "y")
    assert_refused(
        result,
        1,
        "IC-1 already has a pending extension request (to 2027-01-31, filed 2026-11-21)",
        "chainlead bottleneck approve|refuse IC-1 --by NAME",
    )
    assert state(db_url) == before


@pytest.mark.parametrize(
    ("steps", "fragments"),
    [
        ([["resolve", "IC-1", "--how", "done"]],
         ["cannot extend IC-1: it is resolved; allowed next: close, reopen"]),
        ([["resolve", "IC-1", "--how", "done"],
          ["close", "IC-1", "--by", "Zhang Wei", "--feedback", "satisfied"]],
         ["cannot extend IC-1: it is closed; allowed next: reopen"]),
        ([["drop", "IC-1", "--why", "gone"]], ["IC-1 is dropped; reopen it first"]),
    ],
)  # fmt: skip
def test_no_extension_of_a_finished_item(
    run: Run, db_url: str, steps: list[list[str]], fragments: list[str]
) -> None:
    for step in steps:
        ok(run("bottleneck", *step))
    before = state(db_url)
    result = run("bottleneck", "extend", "IC-1", "--to", "2027-01-31", "--why", "x")
    assert_refused(result, 1, *fragments)
    assert state(db_url) == before


@pytest.mark.parametrize(
    ("command", "args", "code", "fragments"),
    [
        ("approve", ["--by", "Zhang Wei"], 1,
         ["IC-1 has no pending extension request; file one with "
          "`chainlead bottleneck extend IC-1 --to DATE --why ...`"]),
        ("refuse", ["--by", "Zhang Wei", "--why", "no"], 1,
         ["IC-1 has no pending extension request"]),
        ("approve", [], 2, ["--by: name who decides"]),
        ("refuse", ["--why", "no"], 2, ["--by: name who decides"]),
        ("refuse", ["--by", "Zhang Wei"], 2, ["--why: say why the extension is refused"]),
    ],
)  # fmt: skip
def test_answers_without_a_request_are_refused(
    run: Run, db_url: str, command: str, args: list[str], code: int, fragments: list[str]
) -> None:
    before = state(db_url)
    assert_refused(run("bottleneck", command, "IC-1", *args), code, *fragments)
    assert state(db_url) == before


@pytest.mark.parametrize("command", ["approve", "refuse"])
def test_only_the_responsible_person_or_chain_leader_answers(
    run: Run, db_url: str, command: str
) -> None:
    ok(run("bottleneck", "extend", "IC-1", "--to", "2027-01-31", "--why", "x"))
    before = state(db_url)
    result = run("bottleneck", command, "IC-1", "--by", "Wang Fang", "--why", "no")
    if command == "approve":
        result = run("bottleneck", command, "IC-1", "--by", "Wang Fang")
    assert_refused(result, 1, "--by: Wang Fang cannot sign off IC items", "Li Ming (chain leader)")
    assert state(db_url) == before


def test_approve_is_refused_once_the_item_is_resolved(run: Run, db_url: str) -> None:
    ok(run("bottleneck", "extend", "IC-1", "--to", "2027-01-31", "--why", "x"))
    ok(run("bottleneck", "resolve", "IC-1", "--how", "done"))
    before = state(db_url)
    result = run("bottleneck", "approve", "IC-1", "--by", "Zhang Wei")
    assert_refused(result, 1, "cannot approve an extension of IC-1: it is resolved")
    assert state(db_url) == before
    ok(run("bottleneck", "refuse", "IC-1", "--by", "Zhang Wei", "--why", "Resolved anyway"))


# ----------------------------------------------------------------------- unit show and reports


def _late_by_the_first_limit(run: Run) -> None:
    """IC-2, raised 2026-11-01 due 2026-11-10, extended to 2026-11-30 and resolved
    2026-11-21: on time by the limit in force, late by the first one."""
    ok(run("bottleneck", "add", "IC", "Permit", "--unit", UNIT, "--raised-on", "2026-11-01",
           "--backdate", "--due", "2026-11-10"))  # fmt: skip
    ok(run("bottleneck", "extend", "IC-2", "--to", "2026-11-30", "--why", "Survey"))
    ok(run("bottleneck", "approve", "IC-2", "--by", "Zhang Wei"))
    ok(run("bottleneck", "resolve", "IC-2", "--how", "Permit issued"))


def test_unit_show_counts_extensions_and_on_time_by_the_first_limit(run: Run) -> None:
    _late_by_the_first_limit(run)
    detail = json.loads(ok(run("unit", "show", UNIT, "--json")).stdout)
    assert (detail["resolved"], detail["on_time_rate"]) == (1, 1.0)
    assert (detail["extensions"], detail["resolved_on_time_original"]) == (1, 0)
    assert detail["on_time_original_rate"] == 0.0
    card = " ".join(ok(run("unit", "show", UNIT, env={"COLUMNS": "120"})).stdout.split())
    assert "Extensions 1" in card
    assert "On time (first limit) 0.0% (0 of 1)" in card


def test_monthly_report_counts_extensions_per_chain_and_unit(run: Run) -> None:
    _late_by_the_first_limit(run)
    ok(run("bottleneck", "edit", "IC-1", "--due", "2027-01-10", "--why", "Moved at the meeting"))
    report = json.loads(ok(run("report", "monthly", "--month", "2026-11", "--json")).stdout)
    [chain] = report["chains"]
    figures = chain["figures"]
    assert (figures["resolved"], figures["resolved_on_time"]) == (1, 1)
    assert (figures["extensions"], figures["days_added"]) == (2, 30)  # 20 + 10 days
    assert figures["resolved_on_time_original"] == 0
    [unit] = report["units"]
    assert (unit["unit"], unit["extensions"], unit["days_added"]) == (UNIT, 2, 30)
    assert (unit["on_time_rate"], unit["on_time_original_rate"]) == (1.0, 0.0)
    text = ok(run("report", "monthly", "--month", "2026-11", "--markdown", "-")).stdout
    assert "- **Extensions**: 2 approved, 30 d added; 0 of 1 resolved by the first limit" in text
    assert f"| {UNIT} | 2 | 30 | 100% | 0% |" in text
    chinese = ok(
        run("report", "monthly", "--month", "2026-11", "--markdown", "-", "--lang", "zh")
    ).stdout
    assert "批准延期2项，延长30天；按原定时限解决0项（共1项）" in chinese


def test_reports_leave_moved_limits_out_when_none_moved(run: Run) -> None:
    ok(run("bottleneck", "resolve", "IC-1", "--how", "done"))
    text = ok(run("report", "monthly", "--month", "2026-11", "--markdown", "-")).stdout
    assert "Extensions" not in text
    assert "Moved time limits" not in text


def test_approve_is_refused_once_the_limit_moved_past_the_request(run: Run, db_url: str) -> None:
    ok(run("bottleneck", "extend", "IC-1", "--to", "2027-01-31", "--why", "x"))
    ok(run("bottleneck", "edit", "IC-1", "--due", "2027-02-15", "--why", "Moved at the meeting"))
    before = state(db_url)
    result = run("bottleneck", "approve", "IC-1", "--by", "Zhang Wei")
    assert_refused(
        result,
        1,
        "IC-1: the request asks for 2027-01-31, but the time limit has since moved to 2027-02-15",
        "chainlead bottleneck refuse IC-1 --by NAME --why ...",
    )
    assert state(db_url) == before


def test_a_transfer_that_moves_the_limit_is_kept_as_an_extension(run: Run, db_url: str) -> None:
    stamp = Stamp(actor="tester", at=datetime(2026, 11, 21, 9, 0), today=date(2026, 11, 21))
    with open_writer(db_url) as db:
        item = get_item(db, key="IC-1", for_update=True)
        transfer(db, item=item, source=UNIT, target=OTHER_UNIT, why="Their remit",
                 due=date(2027, 1, 20), stamp=stamp)  # fmt: skip
    card = shown(run)
    assert (card["due_on"], card["original_due_on"]) == ("2027-01-20", "2026-12-31")
    [ext] = card["extensions"]
    assert (ext["kind"], ext["state"], ext["from_due"], ext["to_due"], ext["why"]) == (
        "edit", "approved", "2026-12-31", "2027-01-20", "Their remit",
    )  # fmt: skip
