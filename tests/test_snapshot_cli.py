"""``chainlead export`` and ``chainlead import`` through the CLI: output streams, exit
codes, and every refused document leaving the database as it was."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from helpers import assert_refused, db_state
from snapshot_data import build_district, export_text

from chainlead.store.database import open_database

SNAPSHOT_HEAD = "format = 'chainlead-snapshot'\nformat_version = 1\n"  # hand-written: version 1
EXPORT_HEAD = "format = 'chainlead-snapshot'\nformat_version = 6\n"
CHAIN = """
[[chains]]
uuid = '0e8a2d9c-7b41-4c55-8f0e-3a9d6b1c2e47'
code = 'IC'
name = 'Integrated circuits'
status = 'active'
created_at = 2026-01-05T08:00:00Z
next_item_no = 2
next_meeting_no = 1
"""
ITEM = """
[[chains.items]]
uuid = '7e1f3a5c-9b2d-4e6f-8a0c-2d4f6b8e0a1c'
key = 'IC-1'
title = 'Land quota'
source = 'other'
priority = 'normal'
unit = 'Bureau'
raised = 2026-11-18
due = {due}
status = 'open'
created_at = 2026-11-18T10:05:00Z
updated_at = 2026-11-18T10:05:00Z
"""


@pytest.fixture
def district(db_path: Path) -> Path:
    database = open_database(str(db_path))
    build_district(database)
    database.dispose()
    return db_path


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    return path


def test_export_to_a_file_and_back(cli, district: Path, tmp_path: Path, template_db: Path) -> None:
    target = tmp_path / "out" / "district.toml"
    target.parent.mkdir()
    result = cli("export", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "exported 2 chains, 8 people, 2 meetings, 8 items and" in result.stderr
    assert [p.name for p in target.parent.iterdir()] == ["district.toml"]  # no temp file left
    assert target.stat().st_mode & 0o777 == 0o600

    other = tmp_path / "other.db"
    other.write_bytes(template_db.read_bytes())
    from typer.testing import CliRunner

    from chainlead.cli import app

    runner = CliRunner()
    imported = runner.invoke(app, ["--db", str(other), "import", str(target)])
    assert imported.exit_code == 0, imported.stderr
    # 96 records, and the history's three enterprise_created events
    assert "people" in imported.stdout and "added 134 records" in imported.stderr
    again = runner.invoke(app, ["--db", str(other), "export", "-"])
    assert again.stdout == target.read_text(encoding="utf-8")


def test_export_to_stdout_is_only_toml(cli, district: Path) -> None:
    result = cli("export")
    assert result.exit_code == 0
    assert result.stdout.startswith(EXPORT_HEAD)
    assert "exported" in result.stderr
    assert "━" not in result.stderr  # no progress bar when stderr is not a terminal


def test_export_replaces_a_file_whole(cli, district: Path, tmp_path: Path) -> None:
    target = write(tmp_path / "district.toml", "old content")
    assert cli("export", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith(EXPORT_HEAD)


def test_export_refusals(cli, district: Path, tmp_path: Path) -> None:
    assert_refused(cli("export", str(tmp_path / "no" / "x.toml")), 2, "existing folder")
    assert_refused(cli("export", "--chain", "ICX"), 1, "no chain 'ICX'", "IC")
    assert_refused(cli("export", "--since", "someday"), 2, "--since")
    assert not list(tmp_path.glob("*.tmp"))


def test_pipe_reproduces_the_database(
    cli, district: Path, tmp_path: Path, template_db: Path
) -> None:
    from typer.testing import CliRunner

    from chainlead.cli import app

    exported = cli("export").stdout
    other = tmp_path / "other.db"
    other.write_bytes(template_db.read_bytes())
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(other), "import", "-"], input=exported)
    assert result.exit_code == 0, result.stderr
    assert runner.invoke(app, ["--db", str(other), "export"]).stdout == exported


def test_dry_run_shows_the_plan_and_writes_nothing(cli, district: Path, tmp_path: Path) -> None:
    snapshot = write(tmp_path / "s.toml", cli("export").stdout)
    before = db_state(district)
    result = cli("import", str(snapshot), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "Dry run" in result.stdout and "Unchanged" in result.stdout
    assert "nothing written (dry run)" in result.stderr
    assert db_state(district) == before


def test_import_json_summary(cli, district: Path, tmp_path: Path) -> None:
    snapshot = write(tmp_path / "s.toml", cli("export").stdout)
    result = cli("import", str(snapshot), "--json")
    data = json.loads(result.stdout)
    assert data["refused"] is False
    items = next(r for r in data["records"] if r["kind"] == "items")
    assert items == {"kind": "items", "added": 0, "unchanged": 8, "conflicting": 0}


# ------------------------------------------------------------------ refused documents


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        (b"this is = = not toml", ("s.toml is not valid TOML",)),
        (b"title = 'a TOML file'\n", ("s.toml is not a chainlead snapshot",)),
        (
            b"format = 'chainlead-snapshot'\nformat_version = 7\n",
            ("format version 7", "reads format version 6", "upgrade chainlead"),
        ),
        (b"format = 'chainlead-snapshot'\nformat_version = 'one'\n", ("format_version",)),
        (
            "format = 'chainlead-snapshot'\nformat_version = 1\ndistrict = '江宁区'\n".encode(
                "gbk"
            ),
            ("s.toml is not UTF-8 text (it looks like GBK/GB18030)", "offset 61"),
        ),
        (b"x = " + b"[" * 1000 + b"]" * 1000, ("more than 16 levels deep",)),
        (b"x = " + b"[" * 5000, ("more than 16 levels deep",)),
        (b"x = " + b"{a = " * 40 + b"1" + b"}" * 40, ("more than 16 levels deep",)),
        (".".join(["a"] * 100_000).encode() + b" = 1\n", ("dotted key of more than 16 parts",)),
        (
            b'format = "chainlead-snapshot"\nformat_version = 1\n' + b"[people]\nx = 1\n",
            ("people: expected an array of person tables",),
        ),
    ],
)
def test_refused_documents(cli, district: Path, tmp_path: Path, content: bytes, fragments) -> None:  # noqa: ANN001
    before = db_state(district)
    started = time.monotonic()
    result = cli("import", str(write(tmp_path / "s.toml", content)))
    assert time.monotonic() - started < 5
    assert_refused(result, 2, *fragments)
    assert db_state(district) == before


def test_one_bad_value_is_one_line(cli, district: Path, tmp_path: Path) -> None:
    text = SNAPSHOT_HEAD + CHAIN + ITEM.format(due="'tomorrow'")
    before = db_state(district)
    result = cli("import", str(write(tmp_path / "s.toml", text)))
    assert_refused(
        result,
        2,
        's.toml: chains[0].items[0].due: expected a date such as 2026-11-30, got "tomorrow"; '
        "nothing was imported",
    )
    assert db_state(district) == before


def test_every_problem_is_listed_with_its_path(
    cli, district: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = (
        SNAPSHOT_HEAD
        + "colour = 'red'\n"
        + CHAIN.replace("code = 'IC'", "code = 'ic 3'")
        + ITEM.format(due="2026-11-01").replace("priority = 'normal'", "priority = 'huge'")
    )
    before = db_state(district)
    write(tmp_path / "s.toml", text)
    result = cli("import", "s.toml")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "chainlead: error: s.toml: 3 problems (listed above); nothing was imported"
    assert lines[:-1] == [
        "chainlead: colour: unknown key; a snapshot has format, format_version, "
        "chainlead_version, exported_at, district, scope, units, enterprises, people, chains, "
        "history",
        "chainlead: chains[0].code: expected 1-10 capital letters or digits starting with a "
        'letter, e.g. IC, got "ic 3"',
        "chainlead: chains[0].items[0].priority: expected one of low, normal, high, urgent, "
        'got "huge"',
    ]
    assert result.stdout == ""
    assert db_state(district) == before


def test_problems_are_capped(cli, district: Path, tmp_path: Path) -> None:
    people = "".join(
        f"\n[[people]]\nuuid = 'bad-{n}'\nname = 'P{n}'\ncreated_at = 2026-01-01T00:00:00Z\n"
        for n in range(80)
    )
    result = cli("import", str(write(tmp_path / "s.toml", SNAPSHOT_HEAD + people)))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 51
    assert lines[-1].endswith("80 problems, the first 50 listed above; nothing was imported")


def test_rules_across_records(cli, district: Path, tmp_path: Path) -> None:
    text = SNAPSHOT_HEAD + CHAIN + ITEM.format(due="2026-11-01") + ITEM.format(due="2026-12-01")
    result = cli("import", str(write(tmp_path / "s.toml", text)))
    assert result.exit_code == 2
    assert (
        "chainlead: chains[0].items[0].due: expected a date not before raised (2026-11-18), "
        "got 2026-11-01"
    ) in result.stderr
    assert "chains[0].items[1].uuid: uuid already used at chains[0].items[0].uuid" in result.stderr
    assert "chains[0].items[1].key: item key already used at chains[0].items[0].key" in (
        result.stderr
    )


def test_size_limit(cli, district: Path, tmp_path: Path) -> None:
    snapshot = write(tmp_path / "s.toml", cli("export").stdout)
    before = db_state(district)
    assert_refused(
        cli("import", str(snapshot), "--max-size", "1K"),
        2,
        "s.toml is larger than the import limit of 1 KiB",
        "--max-size",
        "CHAINLEAD_IMPORT_LIMIT",
    )
    assert_refused(
        cli("import", "-", env={"CHAINLEAD_IMPORT_LIMIT": "2k"}, input=snapshot.read_text()),
        2,
        "the snapshot on stdin is larger than the import limit of 2 KiB",
    )
    assert_refused(cli("import", str(snapshot), "--max-size", "lots"), 2, "--max-size")
    assert db_state(district) == before
    assert cli("import", str(snapshot), "--max-size", "10M").exit_code == 0


def test_missing_file(cli, district: Path, tmp_path: Path) -> None:
    assert_refused(cli("import", str(tmp_path / "nope.toml")), 2, "cannot read", "nope.toml")
    assert_refused(cli("import", str(tmp_path)), 2, "is a directory")


def test_utf16_with_a_byte_order_mark_is_read(cli, district: Path, tmp_path: Path) -> None:
    text = cli("export").stdout
    snapshot = write(tmp_path / "s.toml", text.encode("utf-16"))
    result = cli("import", str(snapshot), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["refused"] is False


def test_conflicts_are_listed_and_refused(
    cli, district: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = cli("export").stdout.replace("title = 'Wastewater permit'", "title = 'Other'")
    text = text.replace("name = 'Biomedicine'", "name = 'Biomedicine II'")
    before = db_state(district)
    write(tmp_path / "s.toml", text)
    result = cli("import", "s.toml")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "chainlead: chains[0]: BIO differs from the stored chain (name)",
        "chainlead: chains[1].items[4]: IC-5 differs from the stored item (title)",
        "chainlead: error: s.toml: 2 conflicts with the database (listed above); nothing was "
        "imported; --on-conflict ours or theirs settles them",
    ]
    assert db_state(district) == before
    dry = cli("import", str(tmp_path / "s.toml"), "--dry-run")
    assert dry.exit_code == 1 and "Conflicting" in dry.stdout
    assert db_state(district) == before
    settled = cli("import", str(tmp_path / "s.toml"), "--on-conflict", "theirs")
    assert settled.exit_code == 0, settled.stderr
    assert "settled (theirs): chains[1].items[4]: IC-5 differs" in settled.stderr
    assert "title = 'Other'" in cli("export").stdout


def test_demo_imports_a_snapshot(tmp_path: Path, db_path: Path) -> None:
    from typer.testing import CliRunner

    from chainlead.cli import app

    database = open_database(str(db_path))
    build_district(database)
    source = write(tmp_path / "demo.toml", export_text(database))
    database.dispose()
    demo_db = tmp_path / "demo.db"
    result = CliRunner().invoke(
        app, ["--db", str(demo_db), "demo", "--from", str(source)], env={"COLUMNS": "160"}
    )
    assert result.exit_code == 0, result.stderr
    # the monthly report of the data's latest month of scheduling meetings
    assert "Monthly report · 2026-05" in result.stdout
    assert "Integrated circuits" in result.stdout
    assert "demo database built" in result.stderr
    other = open_database(str(demo_db))
    assert export_text(other) == source.read_text(encoding="utf-8")
    other.dispose()


def test_item_status_must_follow_from_its_history(cli, district: Path, tmp_path: Path) -> None:
    text = cli("export").stdout.replace(
        "status = 'blocked'\nstatus_reason", "status = 'open'\nstatus_reason"
    )
    result = cli("import", str(write(tmp_path / "s.toml", text)))
    assert_refused(
        result,
        2,
        "chains[1].items[2].status: expected 'blocked', where its history leads",
        'got "open"',
    )


def test_an_active_chain_needs_its_leader_and_responsible_person(
    cli, district: Path, tmp_path: Path
) -> None:
    text = SNAPSHOT_HEAD + CHAIN
    result = cli("import", str(write(tmp_path / "s.toml", text)))
    assert result.exit_code == 2
    assert (
        "chainlead: chains[0].memberships: an active chain needs its current chain leader"
        in result.stderr
    )
    assert "needs its current responsible person" in result.stderr


def test_problem_lines_escape_control_characters(cli, district: Path, tmp_path: Path) -> None:
    text = SNAPSHOT_HEAD + CHAIN.replace("name = 'Integrated circuits'", 'name = "IC\\u009b2J"')
    text += '"\\u001b[31m" = 1\n'
    result = cli("import", str(write(tmp_path / "s.toml", text)))
    assert result.exit_code == 2
    assert "\x9b" not in result.stderr and "\x1b" not in result.stderr
    assert '"IC\\u009b2J"' in result.stderr
    assert 'chains[0]."\\u001b[31m": unknown key' in result.stderr
