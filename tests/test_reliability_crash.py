"""Crash mid-write: SIGKILL in the middle of a large import and of a batch of
adds leaves a sound database, none of the interrupted transaction, and the
same work can simply be done again.

The large snapshot is the benchmark's synthetic 1k district (1,000 items,
about 5,700 history events, 380 meetings), exported by chainlead. An import
reads and checks the whole file first and then writes it in one transaction;
on SQLite the kill is timed by watching the database's WAL file: it appears
when the import opens the database, and grows while the transaction spills
pages before its commit. Runs that the kill missed (the import had already
committed) are counted apart and must hold the whole snapshot instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import db_state
from typer.testing import CliRunner

from chainlead.cli import app

runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent

# When to kill, on SQLite: once the WAL file exists (the import has opened the
# database) plus a delay, or once the WAL has grown past a size (the
# transaction is writing pages that are not committed yet).
KILL_POINTS = [("opened", 0.0), ("opened", 0.3), ("wal", 1), ("wal", 300_000), ("wal", 900_000)]


@pytest.fixture(scope="session")
def large_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("district")
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), "--sizes", "1k"]
        + ["--out", str(out), "--today", "2026-11-21", "--seed", "8"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    snapshot = out / "district-1k.toml"
    exported = runner.invoke(app, ["--db", str(out / "district-1k.db"), "export", str(snapshot)])
    assert exported.exit_code == 0, exported.stderr
    return snapshot


def _chainlead(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "chainlead", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _kill_when(proc: subprocess.Popen, wal: Path, how: str, amount: float) -> int | None:
    """SIGKILL the process at the kill point; the WAL size then (None: it had finished)."""
    seen_at = None
    while proc.poll() is None:
        try:
            size = wal.stat().st_size
        except FileNotFoundError:  # not yet made, or removed as the import finished
            size = None
        if size is not None:
            seen_at = seen_at or time.monotonic()
            due = time.monotonic() - seen_at >= amount if how == "opened" else size >= amount
            if due:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return size
        time.sleep(0.002)
    return None


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _export(db: str, tmp_path: Path, name: str) -> bytes:
    out = tmp_path / name
    result = runner.invoke(app, ["--db", db, "export", str(out)])
    assert result.exit_code == 0, result.stderr
    return out.read_bytes()


@pytest.mark.slow
def test_kill_during_large_import_sqlite(
    db_path: Path, large_snapshot: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.db"
    shutil.copyfile(db_path, empty)
    before = db_state(empty)
    wal = Path(str(db_path) + "-wal")
    interrupted = missed = 0
    for how, amount in KILL_POINTS:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        shutil.copyfile(empty, db_path)
        proc = _chainlead("--db", str(db_path), "import", str(large_snapshot))
        wal_size = _kill_when(proc, wal, how, amount)
        assert _integrity(db_path) == "ok"
        state = db_state(db_path)
        if wal_size is None or len(state["item"]) == 1000:
            missed += 1  # it had committed before the kill: all of it is there
            assert len(state["item"]) == 1000 and len(state["event"]) > 5000
            continue
        assert proc.returncode == -signal.SIGKILL
        assert state == before, f"part of the import survived the kill at {how} {amount}"
        interrupted += 1
        checked = runner.invoke(app, ["--db", str(db_path), "db", "check"])
        assert checked.exit_code == 0, checked.stdout + checked.stderr
    sys.stderr.write(
        f"\n[crash, sqlite import] runs {len(KILL_POINTS)}, killed mid-import {interrupted} "
        f"(database intact and unchanged in all), import had finished {missed}\n"
    )
    assert interrupted >= 3
    again = runner.invoke(app, ["--db", str(db_path), "import", str(large_snapshot)])
    assert again.exit_code == 0, again.stderr
    source = large_snapshot.parent / "district-1k.db"
    assert _export(str(db_path), tmp_path, "after.toml") == _export(
        str(source), tmp_path, "source.toml"
    )
    assert runner.invoke(app, ["--db", str(db_path), "db", "check"]).exit_code == 0


def _pg_busy(url: str) -> bool:
    """Another session on this database has a transaction open."""
    import psycopg
    from sqlalchemy.engine import make_url

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        return bool(
            conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
            ).fetchone()[0]  # type: ignore[index]
        )


def _pg_counts(url: str) -> dict[str, int]:
    from sqlalchemy import text

    from chainlead.store.database import open_database

    database = open_database(url)
    try:
        with database.engine.connect() as conn:
            return {
                table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0
                for table in ("person", "chain", "membership", "meeting", "item", "event")
            }
    finally:
        database.dispose()


@pytest.mark.slow
@pytest.mark.pg
def test_kill_during_large_import_postgresql(
    pg_url: str, large_snapshot: Path, tmp_path: Path
) -> None:
    before = _pg_counts(pg_url)
    interrupted = missed = 0
    for delay in (0.0, 0.3, 0.6):
        proc = _chainlead("--db", pg_url, "import", str(large_snapshot))
        killed = False
        seen_at = None
        while proc.poll() is None:
            if _pg_busy(pg_url):
                seen_at = seen_at or time.monotonic()
                if time.monotonic() - seen_at >= delay:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
                    killed = True
                    break
            time.sleep(0.01)
        deadline = time.monotonic() + 60
        while _pg_busy(pg_url) and time.monotonic() < deadline:
            time.sleep(0.1)  # the server rolls the dead client's transaction back
        if not killed:
            missed += 1
            break
        assert _pg_counts(pg_url) == before
        interrupted += 1
    sys.stderr.write(
        f"\n[crash, postgresql import] killed mid-import {interrupted} (unchanged in all), "
        f"import had finished {missed}\n"
    )
    assert interrupted >= 2
    again = runner.invoke(app, ["--db", pg_url, "import", str(large_snapshot)])
    assert again.exit_code == 0, again.stderr
    assert _pg_counts(pg_url)["item"] == before["item"] + 1000
    assert runner.invoke(app, ["--db", pg_url, "db", "check"]).exit_code == 0


BATCH = """
import sys
from chainlead.cli import main
db = sys.argv[1]
for n in range(100000):
    for args in (["bottleneck", "add", "IC", f"problem {n}", "--unit", "Bureau",
                  "--new-unit", "--due", "+9d"],
                 ["bottleneck", "note", f"IC-{n // 2 + 1}", f"note {n}"]):
        sys.argv = ["chainlead", "--db", db, *args]
        try:
            main()
        except SystemExit as exc:
            if exc.code:
                raise
"""


@pytest.mark.slow
def test_kill_during_batch_of_adds(db_path: Path) -> None:
    made = runner.invoke(app, ["--db", str(db_path), "chain", "add", "IC", "Integrated circuits",
                               "--leader", "Li Ming", "--responsible", "Zhang Wei"])  # fmt: skip
    assert made.exit_code == 0, made.stderr
    runs = 0
    for pause in (0.9, 1.3, 1.7, 2.1, 2.5):
        proc = subprocess.Popen(
            [sys.executable, "-c", BATCH, str(db_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(pause)
        assert proc.poll() is None, proc.stderr.read().decode()  # type: ignore[union-attr]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        runs += 1
        assert _integrity(db_path) == "ok"
        conn = sqlite3.connect(db_path)
        try:
            numbers = [n for (n,) in conn.execute("SELECT number FROM item ORDER BY number")]
            next_no = conn.execute("SELECT next_item_no FROM chain").fetchone()[0]
            created = conn.execute(
                "SELECT count(*) FROM event WHERE kind = 'created' AND item_id IS NOT NULL"
            ).fetchone()[0]
        finally:
            conn.close()
        # No half-made item: every number handed out has its item and its history.
        assert numbers == list(range(1, len(numbers) + 1))
        assert next_no == len(numbers) + 1 and created == len(numbers)
        checked = runner.invoke(app, ["--db", str(db_path), "db", "check"])
        assert checked.exit_code == 0, checked.stdout + checked.stderr
        more = runner.invoke(app, ["--db", str(db_path), "bottleneck", "add", "IC", "after",
                                   "--unit", "Bureau", "--new-unit", "--due", "+9d"])  # fmt: skip
        assert more.exit_code == 0 and more.stdout.strip() == f"IC-{next_no}"
    sys.stderr.write(f"\n[crash, sqlite batch of adds] runs {runs}, databases intact {runs}\n")
