"""CLI: schedule add|list|show|edit|missing|agenda, their output and their refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import assert_refused, db_state

FULL_ADD = (
    "schedule",
    "add",
    "IC",
    "--month",
    "2026-11",
    "--held-on",
    "2026-11-18",
    "--chair",
    "Li Ming",
    "--summary",
    "Packaging capacity and talent housing",
    "--decision",
    "Power bureau to add a second feeder by January",
    "--decision",
    "Housing bureau to open 40 talent flats",
    "--attendee",
    "Zhang Wei",
    "--attendee",
    "王芳",
    "--figure",
    "output_value=12.5:100M CNY",
    "--figure",
    "new_projects=3",
    "--raises",
    "IC-2",
    "--discusses",
    "ic-1",
    "--discusses",
    "IC-3",
)
WIDE = {"COLUMNS": "200"}  # table cells on one line each
SET_UP = {"CHAINLEAD_TODAY": "2026-11-01"}  # the chains were created before their meetings


def ok(result):  # noqa: ANN001, ANN201
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


@pytest.fixture
def district(cli):  # noqa: ANN001, ANN201
    """Chains IC and SA; items IC-1 (overdue), IC-2 (due soon), IC-3 (green), SA-1."""
    ok(cli("chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
           "--responsible", "Zhang Wei", env=SET_UP))  # fmt: skip
    ok(cli("chain", "add", "SA", "Smart vehicles", "--leader", "Sun Hao",
           "--responsible", "Wu Lei", env=SET_UP))  # fmt: skip
    for chain, title, due in (
        ("IC", "Power capacity for the packaging line", "2026-11-10"),
        ("IC", "Talent housing", "2026-11-25"),
        ("IC", "Land for the second fab", "2027-03-31"),
        ("SA", "Test road permit", "2026-12-31"),
    ):
        ok(cli("bottleneck", "add", chain, title, "--unit", "District bureau", "--new-unit",
               "--due", due, "--raised-on", "2026-10-01", "--backdate"))  # fmt: skip
    return cli


def test_add_prints_the_id_and_show_tells_everything(district) -> None:  # noqa: ANN001
    added = ok(district(*FULL_ADD))
    assert added.stdout == "IC-M1\n"
    assert "recorded IC-M1: Scheduling meeting of IC for 2026-11, held 2026-11-18" in added.stderr
    assert "2 decisions, 2 figures, 1 item raised, 2 discussed" in added.stderr
    shown = json.loads(ok(district("schedule", "show", "ic-m1", "--json")).stdout)
    assert {k: shown[k] for k in ("key", "chain", "kind", "month", "held_on", "chair")} == {
        "key": "IC-M1",
        "chain": "IC",
        "kind": "scheduling",
        "month": "2026-11",
        "held_on": "2026-11-18",
        "chair": "Li Ming",
    }
    assert shown["attendees"] == ["Zhang Wei", "王芳"]
    assert shown["decisions"] == [
        "Power bureau to add a second feeder by January",
        "Housing bureau to open 40 talent flats",
    ]
    assert shown["figures"] == [
        {"name": "output_value", "value": "12.5", "unit": "100M CNY"},
        {"name": "new_projects", "value": "3", "unit": None},
    ]
    assert [(i["key"], i["relation"], i["light"]) for i in shown["items"]] == [
        ("IC-2", "raised", "yellow"),
        ("IC-1", "discussed", "red"),
        ("IC-3", "discussed", "green"),
    ]
    table = ok(district("schedule", "show", "IC-M1")).stdout
    for text in ("IC-M1", "Li Ming", "second feeder", "output_value", "100M CNY", "王芳"):
        assert text in table
    assert "red" in table and "yellow" in table and "linked IC-2 as raised" in table


def test_add_defaults_and_json(district) -> None:  # noqa: ANN001
    added = json.loads(
        ok(district("schedule", "add", "ic", "--kind", "Breakfast", "--json")).stdout
    )
    assert (added["key"], added["kind"], added["held_on"], added["month"]) == (
        "IC-M1",
        "breakfast",
        "2026-11-21",
        "2026-11",
    )
    assert added["chair"] == "Li Ming"  # the chain leader
    added = ok(district("schedule", "add", "IC", "--held-on", "yesterday"))
    assert added.stdout == "IC-M2\n"
    yesterday = json.loads(ok(district("schedule", "show", "IC-M2", "--json")).stdout)
    assert yesterday["held_on"] == "2026-11-20"


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (("--month", "2026-13", "--held-on", "2026-11-18"), 2, ("--month", "YYYY-MM", "2026-13")),
        (("--month", "2026-11", "--held-on", "2026-10-30"), 2, ("--held-on", "within --month")),
        (("--held-on", "2026-11-30"), 2, ("--held-on", "on or before today")),
        (("--held-on", "2026-02-30"), 2, ("--held-on", "calendar")),
        (("--month", "2026-10"), 2, ("--held-on", "2026-10")),
        (("--chair", "Nobody Known"), 1, ("no person 'Nobody Known'",)),
        (("--figure", "x=abc"), 2, ("--figure", "x: expected a number", "abc")),
        (("--figure", "output_value"), 2, ("--figure", "NAME=NUMBER")),
        (("--discusses", "SA-1"), 1, ("--discusses", "SA-1", "belongs to chain SA, not IC")),
        (("--raises", "IC-2", "--discusses", "IC-9"), 1, ("IC-9",)),
        (("--raises", "twelve"), 2, ("--raises", "IC-12")),
        (("--kind", "dinner"), 2, ("--kind",)),
        (("--summary", "\x1b[2J"), 2, ("--summary", "control")),
    ],
)
def test_add_refusals_write_nothing(
    district,  # noqa: ANN001
    db_path: Path,
    args: tuple[str, ...],
    code: int,
    fragments: tuple[str, ...],
) -> None:
    before = db_state(db_path)
    assert_refused(district("schedule", "add", "IC", *args), code, *fragments)
    assert db_state(db_path) == before


def test_add_refused_for_unknown_or_archived_chain(district, db_path: Path) -> None:  # noqa: ANN001
    before = db_state(db_path)
    assert_refused(district("schedule", "add", "ICX"), 1, "no chain 'ICX'", "did you mean IC")
    assert_refused(district("schedule", "add", "I-C"), 2, "chain")
    assert db_state(db_path) == before
    ok(district("chain", "archive", "SA", "--yes"))
    before = db_state(db_path)
    assert_refused(district("schedule", "add", "SA"), 1, "archived")
    assert db_state(db_path) == before


def test_links_are_visible_from_both_sides(district) -> None:  # noqa: ANN001
    ok(district(*FULL_ADD))
    item = json.loads(ok(district("bottleneck", "show", "IC-2", "--json")).stdout)
    assert [(m["key"], m["relation"]) for m in item["meetings"]] == [("IC-M1", "raised")]
    linked = [e for e in item["history"] if e["kind"] == "linked"]
    assert [(e["field"], e["text"]) for e in linked] == [("raised", "IC-M1")]
    moved = json.loads(ok(district("bottleneck", "show", "IC-1", "--json")).stdout)
    assert [(m["key"], m["relation"]) for m in moved["meetings"]] == [("IC-M1", "discussed")]
    # the short way from the other side: raise a new item at a recorded meeting
    ok(district("bottleneck", "add", "IC", "Grid connection", "--unit", "Power bureau",
                "--new-unit", "--due", "+30d", "--meeting", "IC-M1"))  # fmt: skip
    shown = json.loads(ok(district("schedule", "show", "IC-M1", "--json")).stdout)
    assert [(i["key"], i["relation"]) for i in shown["items"]] == [
        ("IC-2", "raised"),
        ("IC-4", "raised"),
        ("IC-1", "discussed"),
        ("IC-3", "discussed"),
    ]
    listed = json.loads(ok(district("schedule", "list", "--json")).stdout)
    assert (listed[0]["raised"], listed[0]["discussed"]) == (2, 2)


def test_list_filters_json_and_csv(district) -> None:  # noqa: ANN001
    ok(district(*FULL_ADD))
    ok(district("schedule", "add", "IC", "--held-on", "2026-10-15", "--decision", "Earlier",
                "--backdate"))  # fmt: skip
    ok(district("schedule", "add", "SA", "--held-on", "2026-11-19", "--kind", "visit"))
    ok(district("schedule", "add", "IC", "--held-on", "2026-11-20", "--summary", "Follow-up"))
    listed = json.loads(ok(district("schedule", "list", "--json")).stdout)
    assert [(m["key"], m["month"]) for m in listed] == [
        ("IC-M2", "2026-10"),
        ("IC-M1", "2026-11"),
        ("IC-M3", "2026-11"),  # the follow-up, in order
        ("SA-M1", "2026-11"),
    ]
    assert listed[1] == {
        "key": "IC-M1",
        "chain": "IC",
        "kind": "scheduling",
        "month": "2026-11",
        "held_on": "2026-11-18",
        "chair": "Li Ming",
        "decisions": 2,
        "figures": 2,
        "raised": 1,
        "discussed": 2,
        "summary": "Packaging capacity and talent housing",
    }

    def keys(*args: str) -> list[str]:
        return [
            m["key"] for m in json.loads(ok(district("schedule", "list", *args, "--json")).stdout)
        ]

    assert keys("--chain", "sa") == ["SA-M1"]
    assert keys("--month", "2026-10") == ["IC-M2"]
    assert keys("--from", "2026-11", "--chain", "IC") == ["IC-M1", "IC-M3"]
    assert keys("--to", "2026-10") == ["IC-M2"]
    assert keys("--kind", "visit") == ["SA-M1"]
    assert keys("--month", "2025-01") == []
    rows = ok(district("schedule", "list", "--csv")).stdout.splitlines()
    assert rows[0] == (
        "key,chain,kind,month,held_on,chair,decisions,figures,raised,discussed,summary"
    )
    assert rows[2] == (
        "IC-M1,IC,scheduling,2026-11,2026-11-18,Li Ming,2,2,1,2,"
        "Packaging capacity and talent housing"
    )
    table = ok(district("schedule", "list", "--month", "2026-11")).stdout
    assert "IC-M1" in table and "1 raised," in table and "IC-M2" not in table
    empty = ok(district("schedule", "list", "--month", "2025-01"))
    assert empty.stdout == "" and "no meetings recorded" in empty.stderr


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("--month", "2026-11", "--from", "2026-10"), ("not both",)),
        (("--from", "2026-12", "--to", "2026-10"), ("--from",)),
        (("--month", "Nov"), ("--month", "YYYY-MM")),
        (("--json", "--csv"), ("one output format",)),
    ],
)
def test_list_refusals(district, args: tuple[str, ...], fragments: tuple[str, ...]) -> None:  # noqa: ANN001
    assert_refused(district("schedule", "list", *args), 2, *fragments)


def test_show_refusals(district) -> None:  # noqa: ANN001
    assert_refused(district("schedule", "show", "IC-M9"), 1, "no meeting 'IC-M9'")
    assert_refused(district("schedule", "show", "IC-9"), 2, "meeting", "IC-M3")


def test_edit_keeps_history_and_links(district, db_path: Path) -> None:  # noqa: ANN001
    ok(district(*FULL_ADD))
    ok(district("bottleneck", "add", "IC", "Customs clearance", "--unit", "Customs", "--new-unit",
                "--due", "2026-12-15"))  # fmt: skip
    edited = ok(
        district(
            "--as",
            "Secretary Gu",
            "schedule",
            "edit",
            "ic-m1",
            "--held-on",
            "2026-11-19",
            "--figure",
            "new_projects=4",
            "--drop-figure",
            "output_value",
            "--decision",
            "Only one decision",
            "--unlink",
            "IC-3",
            "--discusses",
            "IC-4,",
            "--reason",
            "minutes corrected",
        )  # fmt: skip
    )
    assert edited.stdout == ""
    assert "6 changes recorded" in edited.stderr
    shown = json.loads(ok(district("schedule", "show", "IC-M1", "--json")).stdout)
    assert shown["held_on"] == "2026-11-19"
    assert shown["decisions"] == ["Only one decision"]
    assert shown["figures"] == [{"name": "new_projects", "value": "4", "unit": None}]
    assert [(i["key"], i["relation"]) for i in shown["items"]] == [
        ("IC-2", "raised"),
        ("IC-1", "discussed"),
        ("IC-4", "discussed"),
    ]
    changes = [
        (h["kind"], h["field"], h["old"], h["new"], h["actor"])
        for h in shown["history"]
        if h["kind"] in ("edited", "unlinked")
    ]
    assert changes == [
        ("edited", "held_on", "2026-11-18", "2026-11-19", "Secretary Gu"),
        (
            "edited",
            "decisions",
            "Power bureau to add a second feeder by January\n"
            "Housing bureau to open 40 talent flats",
            "Only one decision",
            "Secretary Gu",
        ),
        ("edited", "figure", "output_value=12.5 100M CNY", None, "Secretary Gu"),
        ("edited", "figure", "new_projects=3", "new_projects=4", "Secretary Gu"),
        ("unlinked", "discussed", None, None, "Secretary Gu"),
    ]
    item = json.loads(ok(district("bottleneck", "show", "IC-3", "--json")).stdout)
    assert item["meetings"] == []
    assert item["history"][-1]["kind"] == "unlinked"
    table = ok(district("schedule", "show", "IC-M1", env=WIDE)).stdout
    assert "edited held on: 2026-11-18 → 2026-11-19 — minutes corrected" in table
    # the same values again: nothing recorded
    before = db_state(db_path)
    same = ok(district("schedule", "edit", "IC-M1", "--figure", "new_projects=4"))
    assert "nothing to change" in same.stderr
    assert db_state(db_path) == before


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        ((), 2, ("give at least one change",)),
        (("--month", "2026-13"), 2, ("--month", "YYYY-MM")),
        (("--month", "2026-10"), 2, ("--held-on", "within --month 2026-10")),
        (("--held-on", "+3d"), 2, ("--held-on", "on or before today")),
        (("--chair", "Nobody Known"), 1, ("Nobody Known",)),
        (("--figure", "new_projects=abc"), 2, ("--figure", "new_projects")),
        (("--drop-figure", "nothing"), 2, ("--drop-figure", "no figure 'nothing'")),
        (("--discusses", "SA-1"), 1, ("SA-1", "belongs to chain SA")),
        (("--unlink", "IC-3"), 2, ("IC-3 is not linked to IC-M1",)),
        (("--summary", "ok", "--raises", "IC-1"), 1, ("IC-1", "already linked")),
    ],
)
def test_edit_refusals_write_nothing(
    district,  # noqa: ANN001
    db_path: Path,
    args: tuple[str, ...],
    code: int,
    fragments: tuple[str, ...],
) -> None:
    ok(district("schedule", "add", "IC", "--held-on", "2026-11-18", "--discusses", "IC-1",
                "--figure", "new_projects=3"))  # fmt: skip
    before = db_state(db_path)
    assert_refused(district("schedule", "edit", "IC-M1", *args), code, *fragments)
    assert db_state(db_path) == before
    assert_refused(district("schedule", "edit", "IC-M5", "--summary", "x"), 1, "no meeting")


def test_missing_across_archived_chains_and_months(district) -> None:  # noqa: ANN001
    ok(district("chain", "add", "BIO", "Biomedicine", "--leader", "Chen Hua",
                "--responsible", "Zhou Lan"))  # fmt: skip
    ok(district("chain", "add", "OLD", "Old industry", "--leader", "Gone Soon",
                "--responsible", "Last One"))  # fmt: skip
    ok(district("chain", "archive", "OLD", "--yes"))
    ok(district("schedule", "add", "IC", "--held-on", "2026-11-03"))
    ok(district("schedule", "add", "IC", "--held-on", "2026-11-19"))  # two in one month
    ok(district("schedule", "add", "SA", "--held-on", "2026-11-12", "--kind", "salon"))
    missing = json.loads(ok(district("schedule", "missing", "--month", "2026-11", "--json")).stdout)
    assert [(m["chain"], m["leader"], m["month"]) for m in missing] == [
        ("BIO", "Chen Hua", "2026-11"),
        ("SA", "Sun Hao", "2026-11"),  # a salon is not the scheduling meeting
    ]
    # the default month is this month
    assert json.loads(ok(district("schedule", "missing", "--json")).stdout) == missing
    table = ok(district("schedule", "missing")).stdout
    assert "BIO" in table and "SA" in table and "OLD" not in table and "IC " not in table
    rows = ok(district("schedule", "missing", "--csv")).stdout.splitlines()
    assert rows[0] == "chain,name,month,leader,responsible,last_meeting,last_held_on"
    # December: nobody has met yet; IC's last meeting is named
    december = json.loads(
        ok(district("schedule", "missing", "--month", "2026-12", "--json")).stdout
    )
    assert [(m["chain"], m["last_meeting"], m["last_held_on"]) for m in december] == [
        ("BIO", None, None),
        ("IC", "IC-M2", "2026-11-19"),
        ("SA", None, None),
    ]
    # every chain existed only from November on: October expects nobody
    october = ok(district("schedule", "missing", "--month", "2026-10"))
    assert october.stdout == "" and "every chain expected in 2026-10" in october.stderr
    ok(district("schedule", "add", "BIO", "--held-on", "2026-11-20", "--backdate"))  # added 11-21
    ok(district("schedule", "add", "SA", "--held-on", "2026-11-20"))
    done = ok(district("schedule", "missing", "--month", "2026-11"))
    assert done.stdout == ""
    assert "has its scheduling meeting on record" in done.stderr
    assert_refused(district("schedule", "missing", "--month", "2026-13"), 2, "--month")


def test_agenda_table_and_json(district) -> None:  # noqa: ANN001
    ok(district("schedule", "add", "IC", "--held-on", "2026-11-05", "--decision",
                "Grid company to report by 15 November", "--discusses", "IC-1,IC-3"))  # fmt: skip
    ok(district("bottleneck", "resolve", "IC-3", "--how", "Land plot 7 assigned"))
    ok(district("bottleneck", "add", "IC", "Customs clearance", "--unit", "Customs", "--new-unit",
                "--due", "2026-11-15", "--raised-on", "2026-11-01"))  # fmt: skip
    ok(district("bottleneck", "block", "IC-4", "--reason", "Province permit"))
    data = json.loads(ok(district("schedule", "agenda", "ic", "--json")).stdout)
    assert data["last_meeting"]["key"] == "IC-M1"
    assert [i["key"] for i in data["red"]] == ["IC-1"]
    assert [i["key"] for i in data["yellow"]] == ["IC-2"]
    assert [(i["key"], i["status_reason"]) for i in data["blocked"]] == [
        ("IC-4", "Province permit")
    ]
    assert [(i["key"], i["resolution"]) for i in data["awaiting_signoff"]] == [
        ("IC-3", "Land plot 7 assigned")
    ]
    assert data["last_decisions"] == ["Grid company to report by 15 November"]
    assert [(i["key"], i["status"]) for i in data["last_items"]] == [
        ("IC-1", "open"),
        ("IC-3", "resolved"),
    ]
    table = ok(district("schedule", "agenda", "IC", env=WIDE)).stdout
    for text in (
        "Agenda for the next IC meeting",
        "Overdue (red)",
        "Due soon (yellow)",
        "Blocked",
        "Province permit",
        "awaiting sign-off",
        "Land plot 7 assigned",
        "Decisions of IC-M1",
        "Grid company",
        "Items named at IC-M1",
    ):
        assert text in table, text
    assert_refused(district("schedule", "agenda", "ZZ"), 1, "no chain 'ZZ'")


def test_every_command_has_help_with_an_example(cli) -> None:  # noqa: ANN001
    for command in ("add", "list", "show", "edit", "missing", "agenda"):
        result = ok(cli("schedule", command, "--help"))
        assert "Example:" in result.stdout and f"chainlead schedule {command}" in result.stdout
