"""CLI: people as records -- ``chainlead person``, unknown names refused,
``team remove --to``, ``chain edit --since/--why`` -- on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import assert_refused, db_state
from typer.testing import CliRunner, Result

from chainlead.cli import app

Run = Callable[..., Result]


@pytest.fixture
def run(db_url: str) -> Run:
    """chainlead against a fresh database on each backend."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, ["--db", db_url, *args])

    return invoke


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


@pytest.fixture
def ic(run: Run) -> Run:
    """Chain IC (Li Ming, Zhang Wei, member Wang Fang) and 陈杰 added as a person."""
    ok(run("chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
           "--responsible", "Zhang Wei", "--member", "Wang Fang"))  # fmt: skip
    ok(
        run(
            "person", "add", "陈杰", "--unit", "区科技局", "--title", "副局长", "--contact", "025-1"
        )
    )
    return run


def people(run: Run) -> list[dict]:
    return json.loads(ok(run("person", "list", "--json")).stdout)


def test_person_add_list_show(ic: Run) -> None:
    rows = {row["name"]: row for row in people(ic)}
    assert set(rows) == {"Li Ming", "Zhang Wei", "Wang Fang", "陈杰"}
    assert rows["陈杰"] == {
        "name": "陈杰",
        "unit": "区科技局",
        "title": "副局长",
        "contact": "025-1",
        "roles": "",
        "open_items": 0,
    }
    assert rows["Li Ming"]["roles"] == "IC leader"
    ok(ic("bottleneck", "add", "IC", "Power", "--unit", "Bureau", "--new-unit", "--due", "+7d",
          "--owner", "Wang Fang"))  # fmt: skip
    table = list(csv.DictReader(io.StringIO(ok(ic("person", "list", "--csv")).stdout)))
    assert [r["name"] for r in table] == ["Li Ming", "Wang Fang", "Zhang Wei", "陈杰"]
    assert table[1]["roles"] == "IC member" and table[1]["open_items"] == "1"
    shown = json.loads(ok(ic("person", "show", "Wang Fang", "--json")).stdout)
    assert [(r["chain"], r["role"], r["until"]) for r in shown["roles"]] == [("IC", "member", None)]
    assert [i["key"] for i in shown["open_items"]] == ["IC-1"]
    # the lead unit's assignment names her as its owner
    assert [e["kind"] for e in shown["history"]] == ["person_created", "member_added", "assigned"]
    text = ok(ic("person", "show", "Wang Fang")).stdout
    assert "Roles" in text and "IC-1" in text and "joined the team" in text


def test_person_add_refuses_a_known_name(ic: Run) -> None:
    assert_refused(ic("person", "add", "陈杰"), 1, "person '陈杰' already exists", "person edit")
    assert_refused(ic("person", "add", "  "), 2, "name: must not be empty")
    assert_refused(ic("person", "show", "Li Mingg"), 1, "no person 'Li Mingg'", "Li Ming")


def test_person_edit_keeps_each_change(ic: Run) -> None:
    result = ok(ic("person", "edit", "陈杰", "--title", "局长", "--contact", ""))
    assert result.stderr.strip() == "陈杰: unit 区科技局, title 局长, contact (empty)"
    shown = json.loads(ok(ic("person", "show", "陈杰", "--json")).stdout)
    assert (shown["title"], shown["contact"]) == ("局长", None)
    assert [(e["kind"], e["field"], e["old"], e["new"]) for e in shown["history"]][1:] == [
        ("person_edited", "title", "副局长", "局长"),
        ("person_edited", "contact", "025-1", None),
    ]
    assert_refused(ic("person", "edit", "陈杰"), 2, "give at least one of --unit")


def test_rename_follows_everywhere(ic: Run) -> None:
    ok(ic("bottleneck", "add", "IC", "Power", "--unit", "Bureau", "--new-unit", "--due", "+7d",
          "--owner", "Wang Fang"))  # fmt: skip
    ok(ic("schedule", "add", "IC", "--chair", "Wang Fang", "--summary", "Power"))
    assert_refused(ic("person", "rename", "Wang Fang", "陈杰"), 1, "'陈杰' already exists")
    result = ok(ic("person", "rename", "Wang Fang", "Wang Fangfang"))
    assert result.stderr.strip() == "Wang Fang is now Wang Fangfang"
    item = json.loads(ok(ic("bottleneck", "show", "IC-1", "--json")).stdout)
    assert item["owner"] == "Wang Fangfang"
    meeting = json.loads(ok(ic("schedule", "show", "IC-M1", "--json")).stdout)
    assert meeting["chair"] == "Wang Fangfang"
    team = json.loads(ok(ic("team", "list", "IC", "--json")).stdout)
    assert "Wang Fangfang" in [m["name"] for m in team]
    exported = ok(ic("export", "-")).stdout
    assert "Wang Fangfang" in exported and "'Wang Fang'" in exported  # the event keeps the old
    shown = json.loads(ok(ic("person", "show", "Wang Fangfang", "--json")).stdout)
    assert (shown["history"][-1]["kind"], shown["history"][-1]["old"]) == (
        "person_renamed",
        "Wang Fang",
    )


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("bottleneck", "add", "IC", "t", "--unit", "u", "--new-unit", "--due", "+7d",
          "--owner", "Wang Fan"),
         ("--owner: no person 'Wang Fan'", "did you mean Wang Fang", "--new-person")),
        (("chain", "edit", "IC", "--leader", "Li Mingg"),
         ("--leader: no person 'Li Mingg'", "did you mean Li Ming")),
        (("chain", "edit", "IC", "--responsible", "Nobody"),
         ("--responsible: no person 'Nobody'",)),
        (("team", "add", "IC", "Zhang Wie"), ("no person 'Zhang Wie'", "Zhang Wei")),
        (("schedule", "add", "IC", "--chair", "Li Mng"),
         ("--chair: no person 'Li Mng'", "Li Ming")),
    ],
    ids=["owner", "leader", "responsible", "team add", "chair"],
)  # fmt: skip
def test_an_unknown_name_is_refused_and_nothing_written(
    ic: Run, args: tuple[str, ...], fragments: tuple[str, ...]
) -> None:
    before = people(ic)
    assert_refused(ic(*args), 1, *fragments)
    assert people(ic) == before
    added = ok(ic(*args, "--new-person"))
    assert added.exit_code == 0
    assert len(people(ic)) == len(before) + 1


def test_a_refused_owner_writes_nothing_on_the_file(cli, db_path: Path) -> None:  # noqa: ANN001
    ok(cli("chain", "add", "IC", "IC", "--leader", "Li Ming", "--responsible", "Zhang Wei"))
    ok(cli("bottleneck", "add", "IC", "t", "--unit", "u", "--new-unit", "--due", "+7d"))
    before = db_state(db_path)
    assert_refused(cli("bottleneck", "edit", "IC-1", "--title", "new", "--owner", "Zhou"), 1,
                   "--owner: no person 'Zhou'")  # fmt: skip
    assert db_state(db_path) == before


def test_chain_add_creates_its_people_and_names_them(run: Run) -> None:
    result = ok(
        run("chain", "add", "IC", "IC", "--leader", "Li Ming", "--responsible", "Zhang Wei")
    )
    assert result.stderr.splitlines()[1:] == ["new person Li Ming", "new person Zhang Wei"]
    result = ok(
        run("chain", "add", "AI", "AI", "--leader", "Li Ming", "--responsible", "Zhang Wie")
    )
    assert result.stderr.splitlines()[1:] == [
        "new person Zhang Wie (close to Zhang Wei: a typo? see `chainlead person rename`)"
    ]


def test_team_remove_hands_open_items_over(ic: Run) -> None:
    for title in ("Power", "Land", "Water"):
        ok(ic("bottleneck", "add", "IC", title, "--unit", "u", "--new-unit", "--due", "+7d",
              "--owner", "Wang Fang"))  # fmt: skip
    ok(ic("bottleneck", "resolve", "IC-3", "--how", "done"))
    assert_refused(
        ic("team", "remove", "IC", "Wang Fang"),
        1,
        "Wang Fang still owns 2 open IC items (IC-1, IC-2)",
        "--to PERSON",
    )
    assert_refused(ic("team", "remove", "IC", "Wang Fang", "--to", "Chen"), 1,
                   "--to: no person 'Chen'")  # fmt: skip
    ok(
        ic(
            "bottleneck",
            "add",
            "IC",
            "Road",
            "--unit",
            "u",
            "--new-unit",
            "--due",
            "+7d",
            "--owner",
            "Li Ming",
        )
    )
    assert_refused(ic("team", "remove", "IC", "Li Ming", "--to", "陈杰"), 1, "is the chain leader")
    result = ok(ic("team", "remove", "IC", "Wang Fang", "--to", "陈杰"))
    assert result.stderr.splitlines() == [
        "2 open items handed to 陈杰: IC-1, IC-2",
        "Wang Fang left the IC team",
    ]
    item = json.loads(ok(ic("bottleneck", "show", "IC-1", "--json")).stdout)
    assert item["owner"] == "陈杰"
    assert (item["history"][-1]["kind"], item["history"][-1]["field"]) == ("edited", "owner")
    assert (item["history"][-1]["old"], item["history"][-1]["new"]) == ("Wang Fang", "陈杰")
    resolved = json.loads(ok(ic("bottleneck", "show", "IC-3", "--json")).stdout)
    assert resolved["owner"] == "Wang Fang"  # only open items are handed over


def test_chain_edit_since_and_why_are_on_record(ic: Run) -> None:
    assert_refused(ic("chain", "edit", "IC", "--leader", "陈杰", "--since", "2026-11-01"), 1,
                   "--since: 2026-11-01 is before Li Ming became chain leader of IC "
                   "(2026-11-21)")  # fmt: skip
    assert_refused(ic("chain", "edit", "IC", "--leader", "陈杰", "--since", "+1d"), 1,
                   "--since: 2026-11-22 is in the future")  # fmt: skip
    assert_refused(ic("chain", "edit", "IC", "--leader", "陈杰", "--since", "soon"), 2, "--since")
    assert_refused(ic("chain", "edit", "IC", "--name", "x", "--why", "w"), 2, "--since/--why")
    ok(ic("chain", "edit", "IC", "--leader", "陈杰", "--since", "today", "--why", "Duties moved"))
    shown = json.loads(ok(ic("chain", "show", "IC", "--json")).stdout)
    assert shown["history"][-1]["text"] == "since 2026-11-21: Duties moved"
    card = " ".join(ok(ic("chain", "show", "IC")).stdout.replace("│", " ").split())
    assert "(since" in card and "Duties moved)" in card  # the reason shows on the card
    assert [
        (r["name"], r["since"], r["until"]) for r in shown["roles"] if r["role"] == "leader"
    ] == [
        ("Li Ming", "2026-11-21", "2026-11-21"),
        ("陈杰", "2026-11-21", None),
    ]
