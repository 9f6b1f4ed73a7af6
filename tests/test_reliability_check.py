"""``chainlead db check``: storage integrity and chainlead's own rules.

Each test breaks one thing behind chainlead's back (raw SQL, or bytes in the
file) and shows that ``db check`` names it, exits 1 and writes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from helpers import assert_refused, db_state, execute
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.domain import Stamp
from chainlead.domain.assignments import send_back, start_part
from chainlead.domain.chains import add_chain
from chainlead.domain.enterprises import link_to_item
from chainlead.domain.history import record
from chainlead.domain.units import add_unit
from chainlead.migrations import HEAD
from chainlead.store.chains import find_chain
from chainlead.store.database import open_database
from chainlead.store.items import insert_item, item_by_key, save_item

runner = CliRunner()
STAMP = Stamp(actor="tester", at=datetime(2026, 11, 21, 9, 30), today=date(2026, 11, 21))


def run(db: str | Path, *args: str) -> Result:
    return runner.invoke(app, ["--db", str(db), *args])


def populate(db: str | Path) -> None:
    """Two chains with teams; IC has three items whose history matches their status, each
    with its lead unit."""
    database = open_database(str(db))
    try:
        with database.transaction(write=True) as session:
            add_chain(
                session,
                code="IC",
                name="Integrated circuits",
                leader="Li Ming",
                responsible="Zhang Wei",
                members=("Wang Fang",),
                stamp=STAMP,
            )
            add_chain(
                session,
                code="AI",
                name="Software and AI",
                leader="Sun Hao",
                responsible="Chen Jie",
                stamp=STAMP,
            )
            chain = find_chain(session, code="IC").id
            unit = add_unit(session, name="District Science and Technology Bureau", stamp=STAMP)
            for number, statuses in (
                (1, []),
                (2, ["in_progress"]),
                (3, ["in_progress", "resolved"]),
            ):
                title = f"Problem {number}"
                item_id = insert_item(
                    session, key=f"IC-{number}", chain_id=chain, number=number, title=title,
                    detail=None, enterprise=None, source="other", category=None,
                    priority="normal", unit=unit.name, unit_id=unit.id, owner_id=None,
                    raised_on=STAMP.today, due_on=date(2026, 12, 31),
                    status=statuses[-1] if statuses else "open", resolution=None,
                    resolved_on=None, closed_on=None, status_reason=None,
                    created_at=STAMP.at, updated_at=STAMP.at,
                )  # fmt: skip
                record(
                    session, stamp=STAMP, kind="created", chain_id=chain, item_id=item_id,
                    field="status", new="open", text=title,
                )  # fmt: skip
                record(session, stamp=STAMP, kind="note", chain_id=chain, item_id=item_id, text="x")
                item = item_by_key(session, f"IC-{number}")
                assert item is not None
                start_part(session, item=item, unit_id=unit.id, role="lead", stamp=STAMP)
                old = "open"
                for status in statuses:
                    record(
                        session, stamp=STAMP, kind="status", chain_id=chain, item_id=item_id,
                        field="status", old=old, new=status,
                    )  # fmt: skip
                    old = status
            for key, names in (("IC-1", ["NARI"]), ("IC-2", ["NARI", "中兴"])):
                item = item_by_key(session, key)
                assert item is not None
                link_to_item(session, item=item, names=names, stamp=STAMP, new_enterprise=True)
                save_item(session, item)
            session.execute("UPDATE chain SET next_item_no = 4 WHERE id = :id", {"id": chain})
    finally:
        database.dispose()


def findings(result: Result) -> set[tuple[str, str]]:
    return {(f["check"], f["subject"]) for f in json.loads(result.stdout)["findings"]}


def test_sound_database_passes_every_check(db_url: str) -> None:
    populate(db_url)
    result = run(db_url, "db", "check")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "is sound" in result.stderr
    as_json = run(db_url, "db", "check", "--json")
    assert as_json.exit_code == 0
    data = json.loads(as_json.stdout)
    assert data["ok"] is True and data["findings"] == [] and data["revision"] == HEAD
    expected = {"schema", "chain_roles", "item_history", "units", "keys", "forms", "append_only"}
    expected |= {"leads", "assignment_history", "levels", "clock", "enterprises", "targets"}
    expected |= {"chain_links"}
    expected |= {"projects"}
    expected |= {"search_index"}
    expected |= {"change_capture"}
    expected |= {"history_chain"}
    if "://" not in db_url:
        expected |= {"integrity", "foreign_keys"}
    assert set(data["checks"]) == expected


_ITEM = "(SELECT id FROM item WHERE key = 'IC-{}')"

BREAKS: dict[str, tuple[list[str], set[tuple[str, str]]]] = {
    "leader ended, none named": (
        [
            "UPDATE membership SET until = '2026-11-21' WHERE role = 'leader' "
            "AND chain_id = (SELECT id FROM chain WHERE code = 'IC')"
        ],
        {("chain_roles", "IC")},
    ),  # fmt: skip
    "responsible removed": (
        [
            "UPDATE membership SET until = '2026-11-21' WHERE role = 'responsible' "
            "AND chain_id = (SELECT id FROM chain WHERE code = 'AI')"
        ],
        {("chain_roles", "AI")},
    ),  # fmt: skip
    "membership ends before it starts": (
        ["UPDATE membership SET until = '2020-01-01' WHERE role = 'member'"],
        {("chain_roles", "IC")},
    ),
    "status differs from history": (
        ["UPDATE item SET status = 'closed' WHERE key = 'IC-2'"],
        {("item_history", "IC-2")},
    ),
    "unknown status": (
        ["UPDATE item SET status = 'forgotten' WHERE key = 'IC-1'"],
        {("item_history", "IC-1")},
    ),
    "key does not match number": (
        ["UPDATE item SET key = 'IC-7' WHERE key = 'IC-3'"],
        {("keys", "IC-7")},
    ),
    "key would be handed out again": (
        ["UPDATE chain SET next_item_no = 3 WHERE code = 'IC'"],
        {("keys", "IC-3")},
    ),
    "keys equal but for case": (
        ["UPDATE item SET key = 'ic-1' WHERE key = 'IC-2'"],
        {("keys", "ic-1")},
    ),
    "open item without a standing lead": (
        [f"UPDATE assignment SET state = 'transferred' WHERE item_id = {_ITEM.format(1)}"],
        {("leads", "IC-1")},
    ),
    "two standing leads": (
        [
            "DROP INDEX uq_assignment_one_lead",
            "DROP INDEX uq_assignment_one_unit",
            "INSERT INTO assignment (uuid, item_id, unit_id, role, state, assigned_on, due_on, "
            "created_at, updated_at) SELECT 'a2', item_id, unit_id, role, state, assigned_on, "
            f"due_on, created_at, updated_at FROM assignment WHERE item_id = {_ITEM.format(2)}",
        ],
        {("leads", "IC-2")},
    ),
    "assignment state differs from its history": (
        [f"UPDATE assignment SET state = 'handling' WHERE item_id = {_ITEM.format(1)}"],
        {("assignment_history", "IC-1")},
    ),
    "unknown assignment state": (
        [f"UPDATE assignment SET state = 'lost' WHERE item_id = {_ITEM.format(3)}"],
        {("assignment_history", "IC-3")},
    ),
    "level outside the ladder": (
        ["UPDATE item SET level = 7 WHERE key = 'IC-1'"],
        {("levels", "IC-1")},
    ),
    "level without its event": (
        ["UPDATE item SET level = 2 WHERE key = 'IC-2'"],
        {("levels", "IC-2")},
    ),
    "clock not recomputed": (
        ["UPDATE item SET clock_due = '2027-01-31' WHERE key = 'IC-3'"],
        {("clock", "IC-3")},
    ),
    "enterprise text not its first enterprise's name": (
        ["UPDATE item SET enterprise = 'Someone else' WHERE key = 'IC-1'"],
        {("enterprises", "IC-1")},
    ),
    "enterprise text without an enterprise": (
        ["UPDATE item SET enterprise = 'Nobody' WHERE key = 'IC-3'"],
        {("enterprises", "IC-3")},
    ),
    "enterprises numbered with a gap": (
        [
            "UPDATE item_enterprise SET position = 3 "
            f"WHERE position = 2 AND item_id = {_ITEM.format(2)}"
        ],
        {("enterprises", "IC-2")},
    ),
    "enterprise not on the item's chain": (
        [
            "DELETE FROM enterprise_chain WHERE enterprise_id = (SELECT id FROM enterprise "
            "WHERE name = '中兴')"
        ],
        {("enterprises", "IC-2")},
    ),  # fmt: skip
    "receipt limit without an assignment to sign for": (
        ["UPDATE item SET receipt_due = '2026-11-25' WHERE key = 'IC-1'"],
        {("clock", "IC-1")},
    ),
}


@pytest.mark.parametrize("name", list(BREAKS))
def test_broken_rule_is_found(db_url: str, name: str) -> None:
    populate(db_url)
    statements, expected = BREAKS[name]
    execute(db_url, *statements)
    result = run(db_url, "db", "check", "--json")
    assert result.exit_code == 1, result.stderr
    assert expected <= findings(result), result.stdout
    assert json.loads(result.stdout)["ok"] is False
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("chainlead: error: db check found ")
    table = run(db_url, "db", "check")
    assert table.exit_code == 1
    for _check, subject in expected:
        assert subject in table.stdout


def test_levels_and_returned_leads_that_keep_the_rules_pass(db_url: str) -> None:
    """A level its history leads to, by number or by name, and an open item whose lead
    was returned (the team is to hand it on) are sound."""
    populate(db_url)
    database = open_database(db_url)
    try:
        with database.transaction(write=True) as session:
            for key, new in (("IC-1", "2"), ("IC-2", "letter")):
                item = item_by_key(session, key)
                assert item is not None
                record(
                    session, stamp=STAMP, kind="level", chain_id=item.chain_id, item_id=item.id,
                    field="level", old="0", new=new,
                )  # fmt: skip
                item.level = 2 if new == "2" else 3
                session.execute(
                    "UPDATE item SET level = :level WHERE id = :id",
                    {"level": item.level, "id": item.id},
                )
            item = item_by_key(session, "IC-2")
            send_back(
                session, item=item, unit="District Science and Technology Bureau",  # type: ignore[arg-type]
                why="Not our remit", stamp=STAMP,
            )  # fmt: skip
    finally:
        database.dispose()
    result = run(db_url, "db", "check", "--json")
    assert result.exit_code == 0, result.stdout


def test_unprotected_history_is_found(db_url: str) -> None:
    populate(db_url)
    if "://" in db_url:
        execute(db_url, "DROP TRIGGER event_append_only ON event")
    else:
        execute(db_url, "DROP TRIGGER event_no_delete")
    result = run(db_url, "db", "check", "--json")
    assert result.exit_code == 1
    assert ("append_only", "event") in findings(result)


def test_changes_left_unrecorded_are_found(db_url: str) -> None:
    """A table whose changes are not recorded could not be undone: found, by table."""
    populate(db_url)
    if "://" in db_url:
        execute(db_url, "DROP TRIGGER change_item ON item")
    else:  # a rebuilt table on SQLite, its capture made again without a column
        from chainlead.migrations.capture import sqlite_capture

        execute(db_url, *sqlite_capture("person", ["id", "uuid", "name"]))
        execute(db_url, "DROP TRIGGER change_item_delete")
    result = run(db_url, "db", "check", "--json")
    assert result.exit_code == 1
    found = findings(result)
    assert ("change_capture", "item") in found
    if "://" not in db_url:
        assert ("change_capture", "person") in found
        problems = json.loads(result.stdout)["findings"]
        person = next(f["problem"] for f in problems if f["subject"] == "person")
        assert "change_person_update.title" in person and "change_person_update.name" not in person


def test_check_writes_nothing(db_path: Path) -> None:
    populate(db_path)
    execute(db_path, "UPDATE item SET status = 'closed' WHERE key = 'IC-2'")
    before = db_state(db_path)
    assert run(db_path, "db", "check").exit_code == 1
    assert db_state(db_path) == before


def _raw(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)  # foreign keys off: as any other tool would
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def test_dangling_reference_is_damage(db_path: Path) -> None:
    populate(db_path)
    _raw(db_path, "UPDATE membership SET person_id = 999 WHERE role = 'member'")
    result = run(db_path, "db", "check", "--json")
    assert result.exit_code == 1
    assert ("foreign_keys", "membership row 3") in findings(result)
    assert "is damaged" in result.stderr and "backup" in result.stderr


def _corrupt_table_page(path: Path, table: str) -> None:
    """Overwrite the middle of a table's root page, as a failing disk might."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()[0]
    finally:
        conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x0d\x00\x00\x00\x09\xff\xff\x00" + b"\xa5" * (page_size - 8))


def test_corrupted_page_is_found_and_commands_point_to_check(db_path: Path) -> None:
    populate(db_path)
    _corrupt_table_page(db_path, "chain")
    result = run(db_path, "db", "check", "--json")
    assert result.exit_code == 1
    assert any(check == "integrity" for check, _ in findings(result))
    assert "is damaged" in result.stderr
    listing = run(db_path, "chain", "list")
    assert_refused(listing, 1, "damaged", "chainlead db check", "backup")


def test_truncated_file_is_found_and_commands_point_to_check(db_path: Path) -> None:
    populate(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = db_path.stat().st_size
    with db_path.open("r+b") as handle:
        handle.truncate(size // 3)
    result = run(db_path, "db", "check")
    assert result.exit_code == 1
    assert "integrity" in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is damaged" in lines[0]
    listing = run(db_path, "chain", "list")
    assert_refused(listing, 1, "damaged", "chainlead db check", "backup")


def test_database_from_a_newer_chainlead(db_url: str) -> None:
    populate(db_url)
    execute(db_url, "UPDATE alembic_version SET version_num = '9999'")
    result = run(db_url, "db", "check", "--json")
    assert result.exit_code == 1
    assert findings(result) == {("schema", "revision 9999")}
    listing = run(db_url, "chain", "list")
    assert_refused(listing, 1, "9999", "upgrade chainlead")


def test_uninitialised_database_says_run_init(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    result = run(empty, "db", "check")
    assert_refused(result, 1, "chainlead init")
