"""CLI: init, db path, config, chain and team commands, and their refusals."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from helpers import assert_refused, db_state
from typer.testing import CliRunner

from chainlead import __version__
from chainlead.cli import app

runner = CliRunner()


def invoke(*args: str, env: dict[str, str] | None = None):  # noqa: ANN201
    return runner.invoke(app, list(args), env=env)


@pytest.fixture
def ic(cli):  # noqa: ANN001, ANN201
    result = cli(
        "chain",
        "add",
        "IC",
        "Integrated circuits",
        "--leader",
        "Li Ming",
        "--responsible",
        "Zhang Wei",
        "--member",
        "Wang Fang",
    )
    assert result.exit_code == 0, result.stderr
    return cli


def test_version_and_help() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"chainlead {__version__}\n"
    result = invoke("--help")
    assert result.exit_code == 0
    for noun in ("chain", "team", "schedule", "bottleneck", "report", "db", "config", "init"):
        assert noun in result.stdout


def test_init_creates_owner_only_file_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "district.db"
    first = invoke("--db", str(path), "init", "--parents")
    assert first.exit_code == 0, first.stderr
    assert f"created chainlead database at {path}" in first.stderr
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    before = db_state(path)
    second = invoke("--db", str(path), "init")
    assert second.exit_code == 0
    assert "already" in second.stderr
    assert db_state(path) == before


def test_init_uses_env_and_db_path_reports_it(tmp_path: Path) -> None:
    path = tmp_path / "env.db"
    result = invoke("init", env={"CHAINLEAD_DB": str(path)})
    assert result.exit_code == 0
    assert path.exists()
    shown = invoke("db", "path", env={"CHAINLEAD_DB": str(path)})
    assert shown.stdout.strip() == str(path)


def test_default_location_is_user_data_dir(tmp_path: Path) -> None:
    result = invoke("db", "path", env={"XDG_DATA_HOME": str(tmp_path / "data")})
    assert result.stdout.strip() == str(tmp_path / "data" / "chainlead" / "chainlead.db")


def test_config_file_is_read_and_flags_win(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('db = "/srv/from-config.db"\ndistrict = "Jiangning"\nwarning_days = 10\n')
    env = {"CHAINLEAD_CONFIG": str(config)}
    assert invoke("config", "path", env=env).stdout.strip() == str(config)
    shown = json.loads(invoke("config", "show", "--json", env=env).stdout)
    by_key = {row["key"]: row for row in shown}
    assert by_key["db"]["value"] == "/srv/from-config.db"
    assert by_key["db"]["source"].startswith("config")
    assert by_key["warning_days"]["value"] == 10
    assert by_key["user"]["value"] == "tester" and by_key["user"]["source"].startswith("env")
    assert invoke("--db", "/x.db", "db", "path", env=env).stdout.strip() == "/x.db"
    config.write_text("warning_days = 'soon'\n")
    assert_refused(invoke("config", "show", env=env), 2, "warning_days", "whole number")


def test_chain_add_list_show_json_csv(ic) -> None:  # noqa: ANN001
    listed = json.loads(ic("chain", "list", "--json").stdout)
    assert listed == [
        {
            "code": "IC",
            "name": "Integrated circuits",
            "status": "active",
            "leader": "Li Ming",
            "responsible": "Zhang Wei",
            "team_size": 2,
            "open_items": 0,
            "members": 3,
        }
    ]
    csv_out = ic("chain", "list", "--csv").stdout.splitlines()
    assert csv_out[0] == "code,name,leader,responsible,team_size,open_items,status,members"
    assert csv_out[1] == "IC,Integrated circuits,Li Ming,Zhang Wei,2,0,active,3"
    table = ic("chain", "list")
    assert "Li Ming" in table.stdout and "Zhang Wei" in table.stdout
    shown = json.loads(ic("chain", "show", "ic", "--json").stdout)
    assert shown["leader"] == "Li Ming"
    assert [m["name"] for m in shown["team"]] == ["Li Ming", "Zhang Wei", "Wang Fang"]
    assert shown["history"][0]["actor"] == "tester"
    text = ic("chain", "show", "IC").stdout
    assert "Working team" in text and "Wang Fang" in text


def test_chain_edit_and_archive(ic) -> None:  # noqa: ANN001
    result = ic(
        "--as", "Secretary Gu", "chain", "edit", "IC", "--leader", "Sun Hao", "--new-person"
    )
    assert result.exit_code == 0, result.stderr
    shown = json.loads(ic("chain", "show", "IC", "--json").stdout)
    assert shown["leader"] == "Sun Hao"
    assert [(r["name"], r["until"]) for r in shown["roles"] if r["role"] == "leader"] == [
        ("Li Ming", "2026-11-21"),
        ("Sun Hao", None),
    ]
    assert shown["history"][-1]["actor"] == "Secretary Gu"
    assert ic("chain", "archive", "IC", "--yes").exit_code == 0
    assert json.loads(ic("chain", "list", "--json").stdout) == []
    assert json.loads(ic("chain", "list", "--all", "--json").stdout)[0]["status"] == "archived"


def test_team_commands(ic) -> None:  # noqa: ANN001
    added = ic(
        "team",
        "add",
        "IC",
        "Chen Jie",
        "--role",
        "liaison",
        "--unit",
        "District Science and Technology Bureau",
        "--new-person",
    )
    assert added.exit_code == 0, added.stderr
    members = json.loads(ic("team", "list", "IC", "--json").stdout)
    assert members[-1]["name"] == "Chen Jie"
    assert members[-1]["unit"] == "District Science and Technology Bureau"
    assert ic("team", "remove", "IC", "Chen Jie").exit_code == 0
    names = [m["name"] for m in json.loads(ic("team", "list", "IC", "--json").stdout)]
    assert "Chen Jie" not in names


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (("chain", "show", "XX"), 1, ("no chain 'XX'",)),
        (("chain", "show", "I-C"), 2, ("chain", "letters or digits")),
        (("chain", "add", "IC", "Other", "--leader", "A", "--responsible", "B"), 1, ("IC",)),
        (
            ("chain", "add", "IC2", "integrated circuits", "--leader", "A", "--responsible", "B"),
            1,
            ("name",),
        ),
        (("chain", "add", "BIO", "  ", "--leader", "A", "--responsible", "B"), 2, ("name",)),
        (("chain", "add", "BIO", "Biomedicine", "--responsible", "B"), 2, ("--leader",)),
        (("chain", "add", "BIO", "Biomedicine", "--leader", "A"), 2, ("--responsible",)),
        (
            ("chain", "add", "BIO", "Bio\x1b[31m", "--leader", "A", "--responsible", "B"),
            2,
            ("name", "control characters"),
        ),
        (("chain", "edit", "IC"), 2, ("--leader",)),
        (("team", "remove", "IC", "Zhang Wei"), 1, ("responsible person",)),
        (("team", "remove", "IC", "Li Ming"), 1, ("chain leader",)),
        (("team", "add", "IC", "Wang Fang"), 1, ("already on the IC team",)),
        (("team", "add", "IC", "Boss", "--role", "leader"), 2, ("--role", "chain edit")),
        (("team", "list", "NOPE"), 1, ("no chain",)),
        (("chain", "list", "--bogus"), 2, ("--bogus",)),
        (("chain", "list", "--json", "--csv"), 2, ("--json/--csv",)),
    ],
)
def test_refusals_leave_database_unchanged(
    ic,
    db_path: Path,
    args: tuple[str, ...],
    code: int,
    fragments: tuple[str, ...],  # noqa: ANN001
) -> None:
    before = db_state(db_path)
    assert_refused(ic(*args), code, *fragments)
    assert db_state(db_path) == before


def test_db_pointing_at_directory_or_other_file(tmp_path: Path) -> None:
    assert_refused(invoke("--db", str(tmp_path), "chain", "list"), 1, "is a directory")
    other = tmp_path / "notes.txt"
    other.write_text("not a database, just notes\n" * 10)
    assert_refused(invoke("--db", str(other), "chain", "list"), 1, "not a chainlead database")
    assert other.read_text() == "not a database, just notes\n" * 10
    assert_refused(invoke("--db", str(other), "init"), 1, "not a chainlead database")


def test_missing_database_says_to_init(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    assert_refused(invoke("--db", str(path), "chain", "list"), 1, "chainlead init")
    assert not path.exists()


def test_bad_db_url() -> None:
    assert_refused(invoke("--db", "mysql://x/y", "chain", "list"), 2, "--db", "postgresql")


def test_pg_cli_round(pg_url: str) -> None:
    add = invoke(
        "--db",
        pg_url,
        "chain",
        "add",
        "IC",
        "Integrated circuits",
        "--leader",
        "Li Ming",
        "--responsible",
        "Zhang Wei",
    )
    assert add.exit_code == 0, add.stderr
    listed = json.loads(invoke("--db", pg_url, "chain", "list", "--json").stdout)
    assert listed[0]["leader"] == "Li Ming"
    assert invoke("--db", pg_url, "init").exit_code == 0


def test_json_of_check_and_import_keeps_its_keys(ic, tmp_path: Path) -> None:  # noqa: ANN001
    """Scripts read these keys: one dispatcher prints them from the result's fields."""
    checked = json.loads(ic("db", "check", "--json").stdout)
    assert list(checked) == ["database", "revision", "ok", "checks", "findings"]
    assert checked["ok"] is True and checked["findings"] == []
    snapshot = tmp_path / "s.toml"
    assert ic("export", str(snapshot)).exit_code == 0
    imported = ic("import", str(snapshot), "--dry-run", "--json")
    assert imported.exit_code == 0, imported.stderr
    data = json.loads(imported.stdout)
    assert list(data) == [
        "source", "dry_run", "on_conflict", "refused", "records", "conflicts", "notes"
    ]  # fmt: skip
    assert list(data["records"][0]) == ["kind", "added", "unchanged", "conflicting"]
    assert {r["kind"]: r["unchanged"] for r in data["records"]}["chains"] == 1
