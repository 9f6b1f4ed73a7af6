"""Output files never destroy data: every command that writes a file refuses the
database in use (by any spelling of its path), its sidecar files and other
chainlead databases; what it writes is whole, owner-only, and written through
devices, pipes and links as a shell user expects."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import assert_refused
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from snapshot_data import build_district

from chainlead.outfile import Kind, plan, write
from chainlead.store.database import open_database

# Every command that writes a file, as arguments around the target path.
WRITERS: dict[str, Callable[[str], tuple[str, ...]]] = {
    "export": lambda target: ("export", target),
    "report-html": lambda target: ("report", "monthly", "--html", target),
    "report-svg": lambda target: ("report", "monthly", "--svg", target),
    "report-markdown": lambda target: ("report", "monthly", "--markdown", target),
    "backup": lambda target: ("db", "backup", target),
}


@pytest.fixture
def district(db_path: Path) -> Path:
    database = open_database(str(db_path))
    try:
        build_district(database)
    finally:
        database.dispose()
    return db_path


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def db_check_passes(cli) -> None:  # noqa: ANN001
    result = cli("db", "check")
    assert result.exit_code == 0, result.stderr


def spellings(db_path: Path, tmp_path: Path) -> dict[str, str]:
    """The database in use, spelled every way a slip of the hand could."""
    link = tmp_path / "district-link.db"
    link.symlink_to(db_path)
    hard = tmp_path / "district-hard.db"
    os.link(db_path, hard)
    other_dir = tmp_path / "elsewhere"
    other_dir.mkdir()
    folder_link = tmp_path / "folder-link"
    folder_link.symlink_to(tmp_path, target_is_directory=True)
    return {
        "path": str(db_path),
        "symlink": str(link),
        "dot-slash": f"./{db_path.name}",
        "dot-dot": f"../{tmp_path.name}/{db_path.name}",
        "through-folder": str(other_dir / ".." / db_path.name),
        "folder-link": str(folder_link / db_path.name),
        "hard-link": str(hard),
        "wal": str(db_path) + "-wal",
        "shm": f"./{db_path.name}-shm",
        "journal": str(db_path) + "-journal",
    }


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_the_database_in_use_is_never_an_output(
    cli,  # noqa: ANN001
    district: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    writer: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(str(district) + "-wal").write_bytes(b"")  # as an open database leaves it
    for name, target in spellings(district, tmp_path).items():
        before = district.read_bytes()
        result = cli(*WRITERS[writer](target))
        assert_refused(result, 1, "the database in use")
        assert district.read_bytes() == before, name
        assert Path(target).is_symlink() == (name == "symlink"), name
    db_check_passes(cli)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_another_chainlead_database_is_kept(
    cli,  # noqa: ANN001
    district: Path,
    tmp_path: Path,
    writer: str,
) -> None:
    other = tmp_path / "other.db"
    shutil.copyfile(district, other)
    before = other.read_bytes()
    result = cli(*WRITERS[writer](str(other)))
    expected = "already exists" if writer == "backup" else "is an SQLite database"
    assert_refused(result, 1, expected)
    assert other.read_bytes() == before
    result = cli("--db", str(other), "db", "check")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("writer", ["export", "report-html"])
def test_force_replaces_another_database_but_never_the_one_in_use(
    cli,  # noqa: ANN001
    district: Path,
    tmp_path: Path,
    writer: str,
) -> None:
    other = tmp_path / "other.db"
    shutil.copyfile(district, other)
    result = cli(*WRITERS[writer](str(other)), "--force")
    assert result.exit_code == 0, result.stderr
    assert not other.read_bytes().startswith(b"SQLite format 3")
    before = district.read_bytes()
    assert_refused(cli(*WRITERS[writer](str(district)), "--force"), 1, "the database in use")
    assert district.read_bytes() == before


def test_a_snapshot_is_not_replaced_by_a_report(cli, district: Path, tmp_path: Path) -> None:  # noqa: ANN001
    snapshot = tmp_path / "district.toml"
    assert cli("export", str(snapshot)).exit_code == 0
    before = snapshot.read_bytes()
    for form in ("--html", "--svg", "--markdown"):
        assert_refused(
            cli("report", "monthly", form, str(snapshot)), 1, "is a chainlead snapshot", "--force"
        )
        assert snapshot.read_bytes() == before
    # A newer snapshot may replace an older one: that is what export is for.
    assert cli("export", str(snapshot)).exit_code == 0


def test_import_refuses_a_database_as_a_snapshot(cli, district: Path, tmp_path: Path) -> None:  # noqa: ANN001
    link = tmp_path / "link.db"
    link.symlink_to(district)
    before = district.read_bytes()
    for source in (str(district), str(link)):
        assert_refused(cli("import", source), 1, "is the database in use, not a snapshot")
    other = tmp_path / "other.db"
    shutil.copyfile(district, other)
    assert_refused(cli("import", str(other)), 1, "is an SQLite database, not a snapshot")
    assert district.read_bytes() == before


def test_two_outputs_of_one_command_must_differ(cli, district: Path, tmp_path: Path) -> None:  # noqa: ANN001
    page = tmp_path / "r.html"
    link = tmp_path / "r-link.html"
    page.write_text("old")
    link.symlink_to(page)
    assert_refused(
        cli("report", "monthly", "--html", str(page), "--markdown", str(link)),
        2,
        "--html/--markdown",
        "not the same one twice",
    )
    assert page.read_text() == "old"
    assert_refused(cli("report", "monthly", "--html", "-", "--svg", "-"), 2, "stdout")


def test_missing_folder_and_directory_are_named(cli, district: Path, tmp_path: Path) -> None:  # noqa: ANN001
    missing = tmp_path / "no" / "such"
    for writer, arguments in WRITERS.items():
        result = cli(*arguments(str(missing / "out.file")))
        assert_refused(result, 2, "existing folder", f"{missing} does not exist")
        assert not missing.exists(), writer
        assert_refused(cli(*arguments(str(tmp_path))), 2, "not a directory")


@pytest.mark.parametrize("mask", [0o022, 0o000])
def test_files_written_are_owner_only(cli, district: Path, tmp_path: Path, mask: int) -> None:  # noqa: ANN001
    with umask(mask):
        for writer, arguments in WRITERS.items():
            target = tmp_path / f"out-{writer}"
            result = cli(*arguments(str(target)))
            assert result.exit_code == 0, (writer, result.stderr)
            assert stat.S_IMODE(target.stat().st_mode) == 0o600, writer
        # Replacing an existing readable file leaves it owner-only too.
        shared = tmp_path / "shared.md"
        shared.write_text("old")
        shared.chmod(0o644)
        assert cli("report", "monthly", "--markdown", str(shared)).exit_code == 0
        assert stat.S_IMODE(shared.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_link_to_a_file_keeps_the_link(cli, district: Path, tmp_path: Path) -> None:  # noqa: ANN001
    real = tmp_path / "reports" / "latest.md"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.md"
    link.symlink_to(real)
    assert cli("report", "monthly", "--markdown", str(link)).exit_code == 0
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text(encoding="utf-8").startswith("# ")
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


@pytest.mark.parametrize("writer", ["export", "report-html"])
def test_a_link_to_a_device_is_written_through(
    cli,  # noqa: ANN001
    district: Path,
    tmp_path: Path,
    writer: str,
) -> None:
    link = tmp_path / "sink"
    link.symlink_to(os.devnull)
    result = cli(*WRITERS[writer](str(link)))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == os.devnull
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)
    assert_refused(cli(*WRITERS["backup"](str(link))), 2, "regular file")


@pytest.mark.parametrize("writer", ["export", "report-markdown"])
def test_a_fifo_is_written_through(cli, district: Path, tmp_path: Path, writer: str) -> None:  # noqa: ANN001
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def drain() -> None:
        with open(fifo, "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=drain)
    reader.start()
    result = cli(*WRITERS[writer](str(fifo)))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    head = b"format = 'chainlead-snapshot'" if writer == "export" else b"# "
    assert received and received[0].startswith(head)


def test_a_link_to_dev_stdout_writes_to_stdout(district: Path, tmp_path: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to("/dev/stdout")
    done = subprocess.run(
        [sys.executable, "-m", "chainlead", "--db", str(district), "export", str(link)],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"format = 'chainlead-snapshot'")
    assert link.is_symlink() and os.readlink(link) == "/dev/stdout"


@pytest.mark.pg
def test_sqlite_files_are_kept_when_the_database_is_postgresql(
    pg_url: str, district: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from chainlead.cli import app

    before = district.read_bytes()
    for arguments in (("export", str(district)), ("report", "monthly", "--html", str(district))):
        result = CliRunner().invoke(app, ["--db", pg_url, *arguments])
        assert_refused(result, 1, "is an SQLite database")
    assert district.read_bytes() == before
    result = CliRunner().invoke(app, ["--db", pg_url, "export", str(tmp_path / "s.toml")])
    assert result.exit_code == 0, result.stderr


# --------------------------------------------------------------------------- property

_PARTS = st.sampled_from(
    [".", "..", "a", "b", "up", "loop", "chainlead.db", "chainlead.db-wal", "chainlead.db-shm"]
)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(parts=st.lists(_PARTS, min_size=1, max_size=6), absolute=st.booleans())
def test_no_spelling_of_a_path_overwrites_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: list[str], absolute: bool
) -> None:
    """Whatever path a writer is given in a tree of folders, links and hard links
    around the database, the database's bytes survive."""
    # A fresh tree for each example: what one example writes never changes
    # what the next one's path means.
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    (root / "a" / "b").mkdir(parents=True)
    database = root / "a" / "chainlead.db"
    database.write_bytes(b"SQLite format 3\x00" + os.urandom(200))
    os.link(database, root / "a" / "b" / "chainlead.db")
    (root / "a" / "b" / "up").symlink_to("..", target_is_directory=True)
    (root / "a" / "loop").symlink_to(database)
    (root / "a" / "b" / "loop").symlink_to(root / "a" / "chainlead.db-wal")
    before = database.read_bytes()
    monkeypatch.chdir(root / "a")
    given_path = os.path.join(str(root / "a") if absolute else "", *parts)
    for kind in Kind:
        try:
            output = plan("FILE", given_path, kind=kind, database=database, force=True)
        except Exception as refusal:  # noqa: BLE001 -- every refusal is one of ours
            assert type(refusal).__module__ == "chainlead.errors", refusal
            continue
        if kind is not Kind.backup and not output.through:
            try:
                write(output, "not a database\n")
            except Exception as refusal:  # noqa: BLE001 -- refused when writing, also ours
                assert type(refusal).__module__ == "chainlead.errors", refusal
    assert database.read_bytes() == before
