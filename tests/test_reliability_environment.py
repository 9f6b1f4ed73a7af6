"""Broken environments, privacy and backups.

Each broken environment gives one clear line on stderr, a non-zero exit code
and no partial change. New database files, their WAL and shared-memory files
and backups are readable by the owner only. ``db backup`` takes a consistent
copy while another process keeps writing, and restoring is copying it back.

Permissions: as root, chmod does not stop anyone, so the tests make files and
folders immutable (``chattr +i``) instead; as any other user they use chmod.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import assert_refused, db_state
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from chainlead.cli import app

runner = CliRunner()
ADD_CHAIN = ("chain", "add", "AI", "Software and AI", "--leader", "Sun Hao")
ADD_CHAIN += ("--responsible", "Chen Jie")


def run(db: str | Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, ["--db", str(db), *args], env=env)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def files_of(path: Path) -> dict[str, bytes]:
    """The database file and any sidecar files, byte for byte."""
    found = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = Path(str(path) + suffix)
        if candidate.exists():
            found[suffix] = candidate.read_bytes()
    return found


@contextlib.contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """Make a file or folder unwritable for chainlead, whoever runs the tests."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make anything read-only")
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"chattr +i is not supported here: {done.stderr.decode().strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        return
    original = mode(path)
    os.chmod(path, original & ~0o222)
    try:
        yield
    finally:
        os.chmod(path, original)


@pytest.fixture
def ic(db_path: Path) -> Path:
    result = run(db_path, "chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
                 "--responsible", "Zhang Wei")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return db_path


# -- broken environments -------------------------------------------------------


def test_read_only_database_file(ic: Path) -> None:
    before = db_state(ic)
    with unwritable(ic):
        result = run(ic, *ADD_CHAIN)
        listing = run(ic, "chain", "list", "--json")
    assert_refused(result, 1, str(ic), "read-only", "permissions")
    assert listing.exit_code == 0, listing.stderr  # reading still works
    assert '"IC"' in listing.stdout
    assert db_state(ic) == before


def test_folder_not_writable(ic: Path, tmp_path: Path) -> None:
    before = db_state(ic)
    with unwritable(ic.parent):
        result = run(ic, *ADD_CHAIN)
        fresh = run(tmp_path / "new.db", "init")
    assert_refused(result, 1, str(ic), "folder", "writable")
    assert_refused(fresh, 1, "cannot create database", str(tmp_path / "new.db"))
    assert db_state(ic) == before
    assert not (tmp_path / "new.db").exists()


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("minutes of the scheduling meeting\n")
    for args in (("chain", "list"), ADD_CHAIN, ("init",), ("db", "check"), ("db", "upgrade")):
        result = run(notes, *args)
        assert_refused(result, 1, str(notes), "not a chainlead database")
    assert notes.read_text() == "minutes of the scheduling meeting\n"


def test_another_programs_sqlite_database(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    for args in (("chain", "list"), ADD_CHAIN, ("init",), ("db", "upgrade")):
        result = run(other, *args)
        assert_refused(result, 1, "not a chainlead one")
    assert other.read_bytes() == before


HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE chain SET description = 'held' WHERE code = 'IC'")
print("locked", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""


def test_locked_longer_than_the_timeout(ic: Path) -> None:
    before = db_state(ic)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(ic)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        result = run(ic, *ADD_CHAIN, env={"CHAINLEAD_BUSY_TIMEOUT": "0.5"})
        waited = time.monotonic() - started
        listing = run(ic, "chain", "list", "--json")  # readers are not held up (WAL)
    finally:
        holder.communicate("", timeout=30)
    assert_refused(result, 1, "locked by another writer", "0.5s", "CHAINLEAD_BUSY_TIMEOUT")
    assert 0.4 < waited < 10
    assert listing.exit_code == 0 and '"IC"' in listing.stdout
    assert db_state(ic) == before


def test_writer_waits_for_a_short_lock(ic: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(ic)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    assert holder.stdin is not None
    release = threading.Timer(0.5, holder.stdin.close)
    release.start()
    started = time.monotonic()
    try:
        result = run(ic, *ADD_CHAIN)
    finally:
        release.join()
        holder.wait(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started >= 0.4


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.pg
def test_postgresql_unreachable(pg_url: str) -> None:
    url = make_url(pg_url).set(port=_closed_port(), password="Unreachable-Secret-7")
    result = run(url.render_as_string(hide_password=False), "chain", "list")
    assert_refused(result, 1, "cannot connect to postgresql+psycopg://", "***")
    assert "Unreachable-Secret-7" not in result.stderr + result.stdout


@pytest.mark.pg
@pytest.mark.parametrize("where", ["url", "query"])
def test_postgresql_wrong_password(pg_url: str, where: str) -> None:
    real = make_url(pg_url)
    secret = "Wrong-Secret-42"
    if where == "url":
        url = real.set(password=secret).render_as_string(hide_password=False)
    else:
        url = real.set(password=None).update_query_dict({"password": secret})
        url = url.render_as_string(hide_password=False)
    result = run(url, "chain", "list")
    assert_refused(result, 1, "password authentication failed")
    assert secret not in result.stderr + result.stdout
    assert str(real.password) not in result.stderr + result.stdout
    assert run(url, "db", "path").stdout.count(secret) == 0


# -- privacy ---------------------------------------------------------------------


def test_new_database_wal_and_shm_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "private" / "district.db"
    old_umask = os.umask(0)  # the most permissive umask: modes must not depend on it
    try:
        assert run(path, "init", "--parents").exit_code == 0
        conn = sqlite3.connect(path)  # keep the WAL and shared-memory files alive
        try:
            conn.execute("SELECT count(*) FROM chain").fetchone()
            result = run(path, *ADD_CHAIN)
            assert result.exit_code == 0, result.stderr
            sidecars = [Path(str(path) + s) for s in ("-wal", "-shm")]
            assert all(p.exists() for p in sidecars)
            assert {p.name: mode(p) for p in [path, *sidecars]} == {
                p.name: 0o600 for p in [path, *sidecars]
            }
        finally:
            conn.close()
        assert mode(path.parent) == 0o700
        backup = tmp_path / "backup.db"
        result = run(path, "db", "backup", str(backup))
        assert result.exit_code == 0, result.stderr
        assert mode(backup) == 0o600
        assert not Path(str(backup) + "-wal").exists()
    finally:
        os.umask(old_umask)


# -- backup and restore ------------------------------------------------------------

WRITER = """
import sys
from chainlead.cli import main
db, count = sys.argv[1], int(sys.argv[2])
for n in range(count):
    sys.argv = ["chainlead", "--db", db, "bottleneck", "add", "IC", f"problem {n}",
                "--unit", "District Bureau", "--new-unit", "--due", "+30d"]
    try:
        main()
    except SystemExit as exc:
        if exc.code:
            raise
    sys.argv = ["chainlead", "--db", db, "bottleneck", "note", f"IC-{n + 1}", f"note {n}"]
    try:
        main()
    except SystemExit as exc:
        if exc.code:
            raise
"""


def _counts(path: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(path)
    try:
        items = conn.execute("SELECT count(*) FROM item").fetchone()[0]
        notes = conn.execute("SELECT count(*) FROM event WHERE kind = 'note'").fetchone()[0]
        next_no = conn.execute("SELECT next_item_no FROM chain WHERE code = 'IC'").fetchone()[0]
    finally:
        conn.close()
    return items, notes, next_no


def test_backup_is_consistent_while_another_process_writes(ic: Path, tmp_path: Path) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(ic), "60"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    backups = []
    try:
        while writer.poll() is None and _counts(ic)[0] == 0:
            time.sleep(0.05)
        while writer.poll() is None and len(backups) < 8:
            time.sleep(0.2)
            dest = tmp_path / f"backup-{len(backups)}.db"
            result = run(ic, "db", "backup", str(dest))
            assert result.exit_code == 0, result.stderr
            assert f"backed up {ic} to {dest}" in result.stderr
            backups.append(dest)
    finally:
        _, err = writer.communicate(timeout=600)
    assert writer.returncode == 0, err.decode()
    assert len(backups) >= 3, "the writer finished before the backups could overlap it"
    seen = []
    for backup in backups:
        assert mode(backup) == 0o600
        conn = sqlite3.connect(backup)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        conn.close()
        items, notes, next_no = _counts(backup)
        # One moment of the database: every add came with its number, and a
        # note is only written after its item.
        assert next_no == items + 1
        assert notes in (items, items - 1)
        checked = run(backup, "db", "check")
        assert checked.exit_code == 0, checked.stdout + checked.stderr
        seen.append(items)
    # Copies follow the writer forward, and at least one was taken mid-run (the
    # writer may finish between its last check and the last copy).
    assert seen == sorted(seen)
    assert sum(1 for n in seen if 0 < n < 60) >= 2, seen


def test_restore_is_copying_the_backup_back(ic: Path, tmp_path: Path) -> None:
    backup = tmp_path / "before-archive.db"
    assert run(ic, "db", "backup", str(backup)).exit_code == 0
    assert run(ic, "chain", "archive", "IC", "--yes").exit_code == 0
    # What the README says: no chainlead running, drop the WAL and shared-memory
    # files of the database being replaced, copy the backup into place.
    for suffix in ("-wal", "-shm"):
        Path(str(ic) + suffix).unlink(missing_ok=True)
    shutil.copyfile(backup, ic)
    shown = run(ic, "chain", "show", "IC", "--json")
    assert shown.exit_code == 0, shown.stderr
    assert '"status": "active"' in shown.stdout
    assert run(ic, "db", "check").exit_code == 0


def test_backup_refusals_write_nothing(ic: Path, tmp_path: Path) -> None:
    existing = tmp_path / "exists.db"
    existing.write_text("keep me")
    assert_refused(run(ic, "db", "backup", str(existing)), 1, "already exists")
    assert existing.read_text() == "keep me"
    assert_refused(run(ic, "db", "backup", str(ic)), 1, "the database in use")
    missing = tmp_path / "no" / "such" / "folder" / "b.db"
    assert_refused(run(ic, "db", "backup", str(missing)), 2, "existing folder")
    assert not missing.parent.exists()


@pytest.mark.pg
def test_backup_on_postgresql_explains_pg_dump(pg_url: str, tmp_path: Path) -> None:
    result = run(pg_url, "db", "backup", str(tmp_path / "b.db"))
    assert_refused(result, 1, "pg_dump")
    assert not (tmp_path / "b.db").exists()
    assert str(make_url(pg_url).password) not in result.stderr
