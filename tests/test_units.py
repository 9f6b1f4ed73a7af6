"""Institutions (``chainlead unit``) and items handed to them, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import assert_refused, db_state, execute, on_day
from sqlalchemy import text
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.cli.complete import unit_names
from chainlead.store.database import downgrade, open_database, upgrade

runner = CliRunner()

NDRC = "区发展和改革委员会"
DATA = "District Data Bureau"


def run(db: str, *args: str) -> Result:
    return runner.invoke(app, ["--db", db, *args])


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def data(db: str, *args: str) -> object:
    return json.loads(ok(run(db, *args, "--json")).stdout)


@pytest.fixture
def district(db_url: str) -> str:
    """A chain and two institutions, one with a short name."""
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run(db_url, "chain", "add", "IC", "集成电路", "--leader", "Li Ming",
               "--responsible", "Zhang Wei"))  # fmt: skip
    ok(run(db_url, "unit", "add", NDRC, "--short", "发改委", "--kind", "bureau",
           "--contact", "Zhou Lan, 025-5211 0000"))  # fmt: skip
    ok(run(db_url, "unit", "add", DATA, "--short", "DDB"))
    return db_url


def item(db: str, title: str, unit: str, *args: str) -> str:
    return ok(run(db, "bottleneck", "add", "IC", title, "--unit", unit, *args)).stdout.strip()


def test_add_and_list(district: str) -> None:
    listed = data(district, "unit", "list")
    assert listed == [
        {"name": DATA, "short": "DDB", "kind": "other", "contact": None, "open": 0,
         "overdue": 0, "resolved": 0},
        {"name": NDRC, "short": "发改委", "kind": "bureau",
         "contact": "Zhou Lan, 025-5211 0000", "open": 0, "overdue": 0, "resolved": 0},
    ]  # fmt: skip
    csv = ok(run(district, "unit", "list", "--csv")).stdout.splitlines()
    assert csv[0] == "name,short,kind,contact,open,overdue,resolved"
    assert csv[2] == f'{NDRC},发改委,bureau,"Zhou Lan, 025-5211 0000",0,0,0'
    table = ok(run(district, "unit", "list")).stdout
    assert "发改委" in table and "DDB" in table


def test_items_find_their_unit_by_name_short_name_case_and_width(district: str) -> None:
    assert item(district, "power", "发改委", "--due", "2026-12-31") == "IC-1"
    assert item(district, "data", "ｄｄｂ", "--due", "2026-11-01", "--raised-on", "2026-10-01")
    assert item(district, "land", " district data BUREAU ", "--due", "2026-12-31") == "IC-3"
    units = {row["key"]: row["unit"] for row in data(district, "bottleneck", "list")}
    assert units == {"IC-1": NDRC, "IC-2": DATA, "IC-3": DATA}
    assert len(data(district, "unit", "list")) == 2


def test_an_unknown_unit_is_refused_with_the_closest_names(district: str) -> None:
    before = data(district, "unit", "list")
    refused = run(district, "bottleneck", "add", "IC", "t", "--unit", "Data Bureau", "--due", "+9d")
    assert_refused(refused, 1, "no institution 'Data Bureau'", DATA, "--new-unit")
    refused = run(district, "bottleneck", "add", "IC", "t", "--unit", "发改", "--due", "+9d")
    assert_refused(refused, 1, f"did you mean {NDRC}?")
    assert data(district, "unit", "list") == before
    assert data(district, "bottleneck", "list") == []
    assert item(district, "t", "Land Bureau", "--new-unit", "--due", "+9d") == "IC-1"
    added = data(district, "unit", "show", "land bureau")
    assert (added["name"], added["kind"], added["open"]) == ("Land Bureau", "other", 1)


def test_a_refused_item_writes_nothing(db_path: Path) -> None:
    db = str(db_path)
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run(db, "chain", "add", "IC", "IC", "--leader", "A", "--responsible", "B"))
    before = db_state(db_path)
    refused = run(db, "bottleneck", "add", "IC", "t", "--unit", "Nobody", "--due", "+9d")
    assert_refused(refused, 1, "no institution 'Nobody'")
    assert db_state(db_path) == before


def test_edit_moves_an_item_to_another_unit(district: str) -> None:
    item(district, "power", "发改委", "--due", "2026-12-31")
    result = ok(run(district, "bottleneck", "edit", "IC-1", "--unit", "DDB"))
    assert f"IC-1: unit {NDRC} → {DATA}" in result.stderr
    assert_refused(run(district, "bottleneck", "edit", "IC-1", "--unit", "Nobody"), 1,
                   "no institution 'Nobody'")  # fmt: skip
    ok(run(district, "bottleneck", "edit", "IC-1", "--unit", "Grid", "--new-unit"))
    shown = data(district, "bottleneck", "show", "IC-1")
    assert shown["unit"] == "Grid"
    assert [(e["old"], e["new"]) for e in shown["history"] if e["field"] == "unit"] == [
        (NDRC, DATA), (DATA, "Grid"),
    ]  # fmt: skip
    assert data(district, "unit", "show", "DDB")["open"] == 0


def test_show_counts_and_on_time_rate(district: str) -> None:
    item(district, "late", "DDB", "--due", "2026-11-01", "--raised-on", "2026-10-01")
    item(district, "on time", "DDB", "--due", "2026-11-30", "--raised-on", "2026-10-01")
    item(district, "overdue", "DDB", "--due", "2026-11-10", "--raised-on", "2026-10-01")
    item(district, "open", "DDB", "--due", "2026-12-31")
    ok(run(district, "bottleneck", "resolve", "IC-1", "--how", "done", "--on", "2026-11-05"))
    ok(run(district, "bottleneck", "resolve", "IC-2", "--how", "done", "--on", "2026-11-20"))
    shown = data(district, "unit", "show", "ddb")
    counts = {k: shown[k] for k in ("open", "overdue", "resolved", "resolved_on_time")}
    assert counts == {"open": 2, "overdue": 1, "resolved": 2, "resolved_on_time": 1}
    assert shown["on_time_rate"] == 0.5
    assert [(i["key"], i["light"]) for i in shown["items"]] == [("IC-3", "red"), ("IC-4", "green")]
    card = ok(run(district, "unit", "show", "DDB")).stdout
    assert "50.0% (1 of 2)" in card and "IC-3" in card and "IC-1" not in card
    empty = data(district, "unit", "show", "发改委")
    assert empty["on_time_rate"] is None and empty["items"] == []


def test_edit_and_rename(district: str) -> None:
    item(district, "power", "发改委", "--due", "2026-12-31")
    edited = ok(run(district, "unit", "edit", "发改委", "--kind", "park", "--contact", ""))
    assert f"{NDRC}: kind bureau → park" in edited.stderr
    assert f"{NDRC}: contact Zhou Lan, 025-5211 0000 → (empty)" in edited.stderr
    same = ok(run(district, "unit", "edit", "发改委", "--kind", "park"))
    assert "nothing changed" in same.stderr
    renamed = ok(run(district, "unit", "rename", "发改委", "区发展改革局"))
    assert f"renamed {NDRC} → 区发展改革局; 1 item follows" in renamed.stderr
    assert data(district, "bottleneck", "show", "IC-1")["unit"] == "区发展改革局"
    assert data(district, "bottleneck", "list", "--unit", "改革局")[0]["key"] == "IC-1"
    shown = data(district, "unit", "show", "发改委")
    assert (shown["name"], shown["kind"], shown["contact"]) == ("区发展改革局", "park", None)
    assert "is sound" in ok(run(district, "db", "check")).stderr
    exported = ok(run(district, "export")).stdout
    assert (
        f"kind = 'unit_renamed', field = 'name', old = '{NDRC}', new = '区发展改革局'" in exported
    )


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (["unit", "add", "ddb"], 1, ["name: 'ddb' is already the institution", DATA]),
        (["unit", "add", "New", "--short", "ＤＤＢ"], 1, ["--short: 'ＤＤＢ'", DATA]),
        (["unit", "add", "New", "--short", "new"], 2, ["--short: expected a short name"]),
        (["unit", "add", "New", "--kind", "ministry"], 2, ["--kind"]),
        (["unit", "add", " "], 2, ["name: must not be empty"]),
        (["unit", "add", "a\x1bb"], 2, ["name: control characters"]),
        (["unit", "show", "Nobody"], 1, ["no institution 'Nobody'"]),
        (["unit", "edit", "DDB"], 2, ["give at least one of --short, --kind, --contact"]),
        (["unit", "edit", "DDB", "--short", "发改委"], 1, ["already the institution", NDRC]),
        (["unit", "rename", "DDB", "发改委"], 1, ["NEW: '发改委' is already the institution"]),
        (["unit", "rename", "DDB", DATA], 1, ["already has that name"]),
        (["unit", "rename", "Nobody", "X"], 1, ["no institution 'Nobody'"]),
    ],
)
def test_refusals(district: str, args: list[str], code: int, fragments: list[str]) -> None:
    before = data(district, "unit", "list")
    assert_refused(run(district, *args), code, *fragments)
    assert data(district, "unit", "list") == before


def test_db_check_finds_items_whose_text_left_their_unit(district: str) -> None:
    item(district, "power", "发改委", "--due", "2026-12-31")
    execute(district, "UPDATE item SET unit = 'Somewhere else' WHERE key = 'IC-1'")
    result = run(district, "db", "check", "--json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(f["check"], f["subject"]) for f in findings] == [("units", "IC-1")]
    assert NDRC in findings[0]["problem"]


def test_completion_of_names_and_short_names(db_path: Path) -> None:
    db = str(db_path)
    ok(run(db, "unit", "add", NDRC, "--short", "发改委"))
    ok(run(db, "unit", "add", DATA, "--short", "DDB"))
    ok(run(db, "unit", "add", "District Finance Bureau"))
    assert unit_names(db, "发") == ["发改委"]
    assert unit_names(db, "区") == [NDRC]
    assert unit_names(db, "ｄｉｓｔｒｉｃｔ d") == [DATA]
    assert unit_names(db, "dd") == ["DDB"]
    assert unit_names(db, "") == ["DDB", DATA, "District Finance Bureau", NDRC, "发改委"]
    assert unit_names(str(db_path.parent / "missing.db"), "d") == []


def test_a_snapshot_brings_its_items_units(district: str, tmp_path: Path) -> None:
    """Snapshots carry the units and an item's institution by name: an import into an
    empty database brings the units and links each item to its unit, and exports the
    same bytes again."""
    item(district, "power", "发改委", "--due", "2026-12-31")
    item(district, "data", "DDB", "--due", "2026-12-31")
    kinds = {u["name"]: u["kind"] for u in data(district, "unit", "list")}
    first = ok(run(district, "export")).stdout
    path = tmp_path / "snap.toml"
    path.write_text(first, encoding="utf-8")
    fresh = str(tmp_path / "fresh.db")
    ok(run(fresh, "init"))
    ok(run(fresh, "import", str(path)))
    assert ok(run(fresh, "export")).stdout == first
    assert [(u["name"], u["kind"], u["open"]) for u in data(fresh, "unit", "list")] == [
        (DATA, kinds[DATA], 1), (NDRC, kinds[NDRC], 1),
    ]  # fmt: skip
    assert "is sound" in ok(run(fresh, "db", "check")).stderr
    ok(run(fresh, "bottleneck", "add", "IC", "more", "--unit", NDRC, "--due", "2026-12-31"))


def test_upgrade_from_0003_makes_one_unit_per_text(db_url: str) -> None:
    """Items of a database made before units were records get one unit per distinct
    text (kind other), every item linked; nothing else changes and db check passes."""
    database = open_database(db_url, check=False)
    try:
        downgrade(database, to="0003")
        with database.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO chain (uuid, code, name, status, created_at, next_item_no, "
                "next_meeting_no) VALUES ('c', 'IC', 'IC', 'archived', '2026-01-05 08:00:00', 4, 1)"
            ))  # fmt: skip
            texts = ("District Bureau", "区发改委", "District Bureau")
            for number, unit in enumerate(texts, start=1):
                conn.execute(
                    text(
                        "INSERT INTO item (uuid, key, chain_id, number, title, source, priority, "
                        "unit, raised_on, due_on, status, created_at, updated_at) VALUES "
                        "(:uuid, :key, (SELECT id FROM chain), :number, 't', 'other', 'normal', "
                        ":unit, '2026-01-05', '2026-02-05', 'open', :at, :at)"
                    ),
                    {"uuid": f"i{number}", "key": f"IC-{number}", "number": number,
                     "unit": unit, "at": f"2026-01-0{number + 4} 08:00:00"},
                )  # fmt: skip
            for number in range(1, 4):
                conn.execute(text(
                    "INSERT INTO event (uuid, at, actor, kind, chain_id, item_id, new) VALUES "
                    f"('e{number}', '2026-01-05 08:00:00', 'x', 'created', "
                    f"(SELECT id FROM chain), (SELECT id FROM item WHERE number = {number}), "
                    "'open')"
                ))  # fmt: skip
        upgrade(database)
        with database.engine.connect() as conn:
            units = conn.execute(
                text("SELECT name, short, kind, contact, created_at FROM unit ORDER BY name")
            ).all()
            linked = conn.execute(
                text("SELECT i.key, i.unit, u.name FROM item i JOIN unit u ON u.id = i.unit_id "
                     "ORDER BY i.number")
            ).all()  # fmt: skip
    finally:
        database.dispose()
    assert [tuple(u[:4]) for u in units] == [
        ("District Bureau", None, "other", None), ("区发改委", None, "other", None),
    ]  # fmt: skip
    assert str(units[0][4]).startswith("2026-01-05 08:00:00")
    assert [tuple(row) for row in linked] == [
        ("IC-1", "District Bureau", "District Bureau"),
        ("IC-2", "区发改委", "区发改委"),
        ("IC-3", "District Bureau", "District Bureau"),
    ]
    assert "is sound" in ok(run(db_url, "db", "check")).stderr
    assert data(db_url, "unit", "show", "district bureau")["open"] == 2


def test_an_import_links_items_to_stored_units_and_theirs_moves_them(
    district: str, tmp_path: Path
) -> None:
    """An item naming a stored unit joins it (no second unit of that name); a differing
    item taken with --on-conflict theirs moves to the snapshot's unit, added if new
    (only the item's own unit is edited here: its lead assignment stays)."""
    item(district, "power", "发改委", "--due", "2026-12-31")
    path = tmp_path / "snap.toml"
    path.write_text(ok(run(district, "export")).stdout, encoding="utf-8")
    ok(run(district, "import", str(path)))
    assert len(data(district, "unit", "list")) == 2
    changed = path.read_text(encoding="utf-8").replace(f"\nunit = '{NDRC}'", "\nunit = 'Grid'")
    path.write_text(changed, encoding="utf-8")
    assert_refused(run(district, "import", str(path)), 1, "conflict")
    ok(run(district, "import", str(path), "--on-conflict", "theirs"))
    assert data(district, "bottleneck", "show", "IC-1")["unit"] == "Grid"
    units = {u["name"]: u["open"] for u in data(district, "unit", "list")}
    assert units == {DATA: 0, "Grid": 1, NDRC: 0}
    assert "Grid" not in path.read_text(encoding="utf-8").split("[[chains]]")[0]
    assert "is sound" in ok(run(district, "db", "check")).stderr


def test_names_an_upgrade_kept_apart_are_found_exactly(district: str) -> None:
    """An upgrade makes one unit per text, so two may differ only in case or width: the
    exact text finds each, a folded one is refused as ambiguous."""
    execute(
        district,
        "INSERT INTO unit (uuid, name, kind, created_at) VALUES "
        "('u-1', 'Grid', 'other', '2026-01-05 08:00:00'), "
        "('u-2', 'ＧＲＩＤ', 'other', '2026-01-05 08:00:00')",
    )
    assert data(district, "unit", "show", "ＧＲＩＤ")["name"] == "ＧＲＩＤ"
    assert item(district, "t", "Grid", "--due", "+9d") == "IC-1"
    refused = run(district, "bottleneck", "add", "IC", "t", "--unit", "grid", "--due", "+9d")
    assert_refused(refused, 1, "--unit: 'grid' matches 2 institutions", "give the exact name")
