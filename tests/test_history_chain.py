"""The tamper-evident history: events chained by hash, ``db check`` rule
``history_chain``, ``db seal`` and ``db check --against``.

Tampering is done the way someone with a SQL client would: as the database's
superuser (PostgreSQL) or with plain ``sqlite3``, the append-only guard dropped
first.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import assert_refused, db_state, execute, unchained
from test_reliability_upgrade import build_at
from time_data import Run, ok, runner, with_item

from chainlead.store.database import open_database

HEX = re.compile(r"[0-9a-f]{64}")


def _work(run: Run, notes: int) -> None:
    for n in range(notes):
        ok(run("--as", "Zhang Wei", "bottleneck", "note", "IC-1", f"note {n}"))


def _events(db_url: str) -> list[tuple[int, str, str | None, str]]:
    """(id, uuid, login, hash) of every event, in id order."""
    database = open_database(db_url)
    try:
        with database.engine.connect() as conn:
            return [
                tuple(row)  # type: ignore[misc]
                for row in conn.exec_driver_sql(
                    "SELECT id, uuid, login, hash FROM event ORDER BY id"
                )
            ]
    finally:
        database.dispose()


def _tamper(db_url: str, *statements: str) -> None:
    """Drop the append-only guard and change the history behind chainlead's back."""
    if "://" in db_url:
        execute(
            db_url,
            "DROP TRIGGER event_append_only ON event",
            *statements,
        )
        return
    conn = sqlite3.connect(db_url)
    conn.execute("DROP TRIGGER event_no_update")
    conn.execute("DROP TRIGGER event_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _findings(result: object, check: str) -> list[tuple[str, str]]:
    report = json.loads(result.stdout)  # type: ignore[attr-defined]
    return [(f["subject"], f["problem"]) for f in report["findings"] if f["check"] == check]


def _seal(run: Run) -> dict:
    return json.loads(ok(run("db", "seal", "--json")).stdout)


def test_every_event_is_chained_and_the_head_is_the_last(db_url: str) -> None:
    run = with_item(db_url)
    _work(run, 3)
    events = _events(db_url)
    assert all(HEX.fullmatch(h) for *_, h in events)
    assert len({h for *_, h in events}) == len(events)
    logins = {login for _, _, login, _ in events}
    assert logins == ({None} if "://" not in db_url else {"postgres"})
    seal = _seal(run)
    assert (seal["head"], seal["event_id"], seal["events"]) == (
        events[-1][3],
        events[-1][0],
        len(events),
    )
    assert seal["grouped"].replace(" ", "") == seal["head"]
    checked = ok(run("db", "check", "--json"))
    assert "history_chain" in json.loads(checked.stdout)["checks"]


def test_an_edited_and_a_deleted_event_are_each_named(db_url: str) -> None:
    run = with_item(db_url)
    _work(run, 4)
    events = _events(db_url)
    edited, deleted, after = events[2], events[4], events[5]
    _tamper(
        db_url,
        f"UPDATE event SET text = 'forged' WHERE id = {edited[0]}",
        f"DELETE FROM event WHERE id = {deleted[0]}",
    )
    result = run("db", "check", "--json")
    assert result.exit_code == 1, result.stderr
    found = _findings(result, "history_chain")
    assert [subject for subject, _ in found] == [
        f"event {edited[0]} ({edited[1]})",
        f"event {after[0]} ({after[1]})",
    ]
    assert "changed after it was written" in found[0][1]
    assert f"event {deleted[0]} is missing" in found[1][1]
    shown = run("db", "check")
    assert shown.exit_code == 1 and edited[1] in shown.stdout
    assert "db check found" in shown.stderr and "Traceback" not in shown.stderr


def test_the_last_event_deleted_leaves_the_head_pointing_past_it(db_url: str) -> None:
    run = with_item(db_url)
    _work(run, 2)
    last = _events(db_url)[-1]
    _tamper(db_url, f"DELETE FROM event WHERE id = {last[0]}")
    result = run("db", "check", "--json")
    assert result.exit_code == 1
    [(subject, problem)] = _findings(result, "history_chain")
    assert subject == "history head" and f"names event {last[0]}" in problem


def test_a_seal_holds_after_more_work_and_fails_on_a_change_before_it(db_url: str) -> None:
    run = with_item(db_url)
    _work(run, 2)
    seal = _seal(run)
    _work(run, 3)
    held = ok(run("db", "check", "--against", seal["head"]))
    assert "seal" in held.stderr
    # as copied from paper: groups, capitals
    ok(run("db", "check", "--against", seal["grouped"].upper()))
    first = _events(db_url)[1]
    _tamper(db_url, f"UPDATE event SET actor = 'Someone else' WHERE id = {first[0]}")
    result = run("db", "check", "--json", "--against", seal["grouped"])
    assert result.exit_code == 1
    assert _findings(result, "seal") == [
        (f"event {first[0]} ({first[1]})", f"changed before the sealed event {seal['event_id']}")
    ]


def test_a_history_rewritten_in_full_loses_the_seal(db_path: Path) -> None:
    """Every hash recomputed after a change: the chain holds, the seal's hash is gone."""
    from chainlead.domain.seals import ZERO, EventContent, link

    db = str(db_path)
    run = with_item(db)
    _work(run, 2)
    seal = _seal(run)
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER event_no_update")
    conn.execute("UPDATE event SET text = 'rewritten' WHERE id = 2")
    previous = ZERO
    for row in conn.execute(
        "SELECT e.id, e.uuid, e.at, e.actor, e.login, e.kind, e.field, e.old, e.new, e.text, "
        "(SELECT uuid FROM chain WHERE id = e.chain_id), "
        "(SELECT uuid FROM item WHERE id = e.item_id), NULL, "
        "(SELECT uuid FROM person WHERE id = e.person_id), "
        "(SELECT uuid FROM unit WHERE id = e.unit_id), NULL FROM event e ORDER BY e.id"
    ).fetchall():
        from datetime import datetime

        previous = link(previous, EventContent(row[1], datetime.fromisoformat(row[2]), *row[3:]))
        conn.execute("UPDATE event SET hash = ? WHERE id = ?", (previous, row[0]))
    conn.execute("UPDATE history_head SET hash = ?", (previous,))
    conn.commit()
    conn.close()
    assert _findings(run("db", "check", "--json"), "history_chain") == []
    result = run("db", "check", "--json", "--against", seal["head"])
    assert result.exit_code == 1
    [(subject, problem)] = _findings(result, "seal")
    assert subject == seal["grouped"] and "no event has this hash" in problem


@pytest.mark.parametrize("given", ["12ab", "zz" * 32, "0" * 65])
def test_a_malformed_seal_is_refused_naming_against(db_path: Path, given: str) -> None:
    run = runner(str(db_path))
    assert_refused(run("db", "check", "--against", given), 2, "--against", "64 hexadecimal")


def test_seal_out_writes_a_file_to_keep(db_path: Path, tmp_path: Path) -> None:
    run = with_item(str(db_path))
    target = tmp_path / "seal.txt"
    shown = ok(run("db", "seal", "--out", str(target)))
    written = target.read_text(encoding="utf-8")
    assert written == shown.stdout
    head = _seal(run)
    for group in head["grouped"].split(" "):
        assert group in written
    assert "Events: " in written and stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert_refused(run("db", "seal", "--out", str(db_path)), 1, "--out")


def test_upgrade_hashes_the_history_already_there(db_url: str) -> None:
    """0010 -> 0011: the events written before are chained in id order, none
    changed otherwise, and the head is the last one."""
    before = build_at(db_url, "0010")["event"]
    run = runner(db_url)
    ok(run("db", "upgrade"))
    events = _events(db_url)
    assert [e[1] for e in events] == [before[key]["uuid"] for key in sorted(before)]
    assert all(HEX.fullmatch(h) and login is None for _, _, login, h in events)
    seal = _seal(run)
    assert (seal["event_id"], seal["head"]) == (events[-1][0], events[-1][3])
    ok(run("db", "check"))


@pytest.mark.pg
def test_concurrent_writers_do_not_fork_the_chain(pg_url: str) -> None:
    """Writers in separate processes at once: each takes its turn at the head."""
    run = with_item(pg_url)
    command = [sys.executable, "-m", "chainlead", "--db", pg_url, "--as", "Zhang Wei"]
    writers = [
        subprocess.Popen(
            [*command, "bottleneck", "note", "IC-1", f"writer {n}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for n in range(6)
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    ok(run("db", "check"))
    assert len(_events(pg_url)) == _seal(run)["events"]


# ------------------------------------------------------------------ snapshots


def _exported(run: Run, *args: str) -> str:
    return ok(run("export", *args)).stdout


def _fresh(db_url: str, tmp_path: Path, name: str) -> str:
    """An empty, initialised database beside the test's own, on the same backend."""
    if "://" not in db_url:
        target = str(tmp_path / f"{name}.db")
        ok(runner(target)("init"))
        return target
    return db_url  # the caller empties nothing: PostgreSQL tests import into db_url


def _source(tmp_path: Path) -> Run:
    """A second SQLite database with chain IC and its item, to export from."""
    db = _fresh("", tmp_path, "source")
    return with_item(db)


def test_export_import_export_keeps_the_hashes_and_the_seal(db_path: Path, tmp_path: Path) -> None:
    run = with_item(str(db_path))
    _work(run, 3)
    seal = _seal(run)
    text = _exported(run)
    assert "prev = '" + "0" * 64 + "'" in text and f"hash = '{seal['head']}'" in text
    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    other = runner(_fresh(str(db_path), tmp_path, "other"))
    ok(other("import", str(tmp_path / "s.toml")))
    assert _exported(other) == text
    ok(other("db", "check", "--against", seal["grouped"]))


@pytest.mark.parametrize("change", ["edit", "delete"])
def test_a_snapshot_whose_history_does_not_verify_is_refused(
    db_path: Path, tmp_path: Path, change: str
) -> None:
    run = with_item(str(db_path))
    _work(run, 3)
    lines = _exported(run).splitlines(keepends=True)
    notes = [n for n, line in enumerate(lines) if "kind = 'note'" in line]
    target = lines[notes[1]]
    uuid = re.search(r"uuid = '([0-9a-f-]+)'", target).group(1)  # type: ignore[union-attr]
    if change == "edit":
        lines[notes[1]] = target.replace("text = 'note 1'", "text = 'note one'")
        following = uuid
    else:
        del lines[notes[1]]
        following = re.search(r"uuid = '([0-9a-f-]+)'", lines[notes[1]]).group(1)  # type: ignore[union-attr]
    (tmp_path / "s.toml").write_text("".join(lines), encoding="utf-8")
    db = _fresh(str(db_path), tmp_path, "other")
    before = db_state(Path(db))
    refused = runner(db)("import", str(tmp_path / "s.toml"))
    assert_refused(refused, 2, "history", following, "does not verify")
    if change == "edit":
        assert "does not match its content" in refused.stderr
    else:
        assert "is missing" in refused.stderr
        dry = runner(db)("import", str(tmp_path / "s.toml"), "--dry-run")
        assert_refused(dry, 2, following, "does not verify")
    assert db_state(Path(db)) == before


def test_a_format_5_snapshot_needs_accept_unverified(db_url: str, tmp_path: Path) -> None:
    run = _source(tmp_path)
    _work(run, 2)
    text = unchained(_exported(run)).replace("format_version = 6\n", "format_version = 5\n")
    (tmp_path / "old.toml").write_text(text, encoding="utf-8")
    target = runner(db_url)
    assert_refused(
        target("import", str(tmp_path / "old.toml")), 2, "format version 5", "--accept-unverified"
    )
    ok(target("import", str(tmp_path / "old.toml"), "--accept-unverified"))
    ok(target("db", "check"))
    assert "format_version = 6\n" in _exported(target)


def test_a_snapshot_merged_into_a_database_with_history_is_appended(
    db_url: str, tmp_path: Path
) -> None:
    """Its events verified, then chained after the local head: both chains hold."""
    source = _source(tmp_path)
    _work(source, 2)
    ok(source("chain", "add", "BIO", "Biomedicine", "--leader", "Chen Hua",
              "--responsible", "Xu Tao"))  # fmt: skip
    (tmp_path / "bio.toml").write_text(_exported(source, "--chain", "BIO"), encoding="utf-8")
    (tmp_path / "all.toml").write_text(_exported(source), encoding="utf-8")
    local = runner(db_url)
    ok(local("chain", "add", "NEV", "New energy vehicles", "--leader", "Zhao Gang",
             "--responsible", "Qian Li"))  # fmt: skip
    head = _seal(local)
    ok(local("import", str(tmp_path / "bio.toml")))  # a partial export: runs of a chain
    ok(local("import", str(tmp_path / "all.toml")))
    ok(local("db", "check", "--against", head["head"]))
    events = _events(db_url)
    assert len(events) == _seal(local)["events"] > head["events"]
