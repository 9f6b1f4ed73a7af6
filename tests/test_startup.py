"""Start-up stays light: version, help and completion import no database stack.

Not a timing test (timings live in benchmarks/): this checks which modules a
process imports, which is what makes start-up slow, and it is stable.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chainlead.migrations import HEAD

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "pydantic_core", "alembic", "psycopg")
TEMPLATES = ("jinja2", "markupsafe")  # the HTML report's, imported when it is drawn


def imported(args: list[str], env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """Top-level packages a ``python -m chainlead ARGS`` process imports, and its stdout."""
    run_env = {**os.environ, **(env or {})}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "chainlead", *args],
        capture_output=True,
        text=True,
        env=run_env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    packages = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            packages.add(name.split(".")[0])
    assert "typer" in packages, "expected -X importtime output on stderr"
    return packages, result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["--help"],
        ["bottleneck", "--help"],
        ["chain", "--help"],
        ["report", "--help"],
        ["schedule", "--help"],
        ["db", "--help"],
        ["init", "--help"],
        ["bottleneck", "list", "--help"],
        ["export", "--help"],
        ["import", "--help"],
        ["demo", "--help"],
        ["schedule", "add", "--help"],
        ["team", "--help"],
        ["config", "--help"],
    ],
    ids=" ".join,
)
def test_version_and_help_import_no_database_stack_and_no_rich(args: list[str]) -> None:
    packages, stdout = imported(args)
    assert stdout
    unwanted = {*HEAVY, *TEMPLATES, "rich"}
    assert not packages & unwanted, sorted(packages & unwanted)


def test_help_lists_every_command_without_building_them() -> None:
    from typer.testing import CliRunner

    from chainlead.cli import COMMANDS, app

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"  {name} " in result.stdout


def test_root_help_imports_no_noun_module() -> None:
    """The nouns' help lines are in ``COMMANDS``: listing them imports none of their modules."""
    from chainlead.cli import COMMANDS

    run_help_then_list_modules = (
        "import sys\n"
        "from chainlead.cli import main\n"
        "sys.argv = ['chainlead', '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    print(*sorted(sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", run_help_then_list_modules],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "  chain " in result.stdout, result.stderr[-2000:]
    modules = set(result.stderr.split())
    nouns = {sub.target.partition(":")[0] for sub in COMMANDS.values() if sub.help}
    functions = {sub.target.partition(":")[0] for sub in COMMANDS.values() if not sub.help}
    assert "chainlead.cli.chain" in nouns - functions
    assert not modules & (nouns - functions), sorted(modules & (nouns - functions))


def complete(words: str, db: Path) -> tuple[list[str], set[str]]:
    """What bash completion offers for the last word of ``words``."""
    parts = words.split(" ")
    packages, stdout = imported(
        [],
        env={
            "_CHAINLEAD_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
            "CHAINLEAD_DB": str(db),
        },
    )
    return stdout.split(), packages


def test_completion_of_commands_imports_no_database_stack(db_path: Path) -> None:
    offered, packages = complete("chainlead bottl", db_path)
    assert offered == ["bottleneck"]
    assert not packages & {*HEAVY, *TEMPLATES}


@pytest.fixture
def items(cli, db_path: Path) -> Path:  # noqa: ANN001
    """Chains IC and AI with items IC-1..IC-12 and AI-1."""
    for code, name in (("IC", "Integrated circuits"), ("AI", "人工智能")):
        result = cli(
            "chain", "add", code, name, "--leader", "Li Ming", "--responsible", "Zhang Wei"
        )
        assert result.exit_code == 0, result.stderr
    for chain in ["IC"] * 12 + ["AI"]:
        result = cli(
            "bottleneck",
            "add",
            chain,
            "A problem",
            "--unit",
            "Bureau",
            "--new-unit",
            "--due",
            "+7d",
        )
        assert result.exit_code == 0, result.stderr
    return db_path


def test_item_key_completion_offers_keys_with_that_prefix_in_any_case(items: Path) -> None:
    offered, packages = complete("chainlead bottleneck show IC-1", items)
    assert offered == ["IC-1", "IC-10", "IC-11", "IC-12"]
    assert not packages & set(HEAVY)
    offered, _ = complete("chainlead bottleneck note ic-1", items)
    assert offered == ["ic-1", "ic-10", "ic-11", "ic-12"]
    offered, _ = complete("chainlead bottleneck resolve A", items)
    assert offered == ["AI-1"]
    offered, _ = complete("chainlead bottleneck show ZZ", items)
    assert offered == []


def test_item_key_completion_follows_db_and_is_capped(items: Path, tmp_path: Path) -> None:
    from chainlead.cli.complete import LIMIT, item_keys

    words = f"chainlead --db {items} bottleneck show IC-"
    offered, _ = complete(words, tmp_path / "elsewhere.db")
    assert len(offered) == 12
    assert item_keys(str(items), "") == sorted(item_keys(str(items), ""))
    assert len(item_keys(str(items), "")) == 13 <= LIMIT


def test_item_key_completion_offers_nothing_without_a_usable_database(tmp_path: Path) -> None:
    offered, _ = complete("chainlead bottleneck show IC-", tmp_path / "missing.db")
    assert offered == []
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("not a database")
    offered, _ = complete("chainlead bottleneck show IC-", not_sqlite)
    assert offered == []
    assert not not_sqlite.with_name("notes.db-wal").exists()


def test_item_key_completion_uses_the_unique_key_index(items: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(items)
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT key FROM item WHERE key >= ? AND key < ? ORDER BY key LIMIT 50",
        ("IC-1", "IC-1\U0010ffff"),
    ).fetchall()
    conn.close()
    detail = " ".join(row[-1] for row in plan)
    assert "USING COVERING INDEX" in detail and "key>? AND key<?" in detail.replace("=", ""), detail


@pytest.fixture
def meetings(cli, items: Path) -> Path:  # noqa: ANN001
    """The chains and items above, a liaison on IC and a meeting IC-M1 linking IC-1 and IC-2."""
    for args in (
        ("team", "add", "IC", "Chen Jie", "--role", "liaison", "--unit", "Bureau", "--new-person"),
        ("schedule", "add", "IC", "--decision", "Add a feeder", "--attendee", "Chen Jie",
         "--figure", "output_value=12.5", "--raises", "IC-1", "--discusses", "IC-2"),
    ):  # fmt: skip
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
    return items


@pytest.mark.parametrize(
    "args",
    [
        ["chain", "list"],
        ["chain", "list", "--all", "--json"],
        ["bottleneck", "list"],
        ["bottleneck", "list", "--overdue", "--chain", "ic", "--sort", "priority"],
        ["bottleneck", "list", "--status", "all", "--unit", "bur", "--limit", "3", "--csv"],
        ["bottleneck", "show", "ic-3"],
        ["bottleneck", "show", "IC-3", "--json"],
        ["chain", "show", "ic"],
        ["chain", "show", "IC", "--json"],
        ["team", "list", "IC"],
        ["team", "list", "ic", "--csv"],
        ["schedule", "list"],
        ["schedule", "list", "--chain", "ic", "--from", "2026-11", "--kind", "scheduling"],
        ["schedule", "list", "--month", "2026-11", "--json"],
        ["schedule", "show", "ic-m1"],
        ["schedule", "show", "IC-M1", "--json"],
        ["schedule", "agenda", "ic"],
        ["schedule", "agenda", "IC", "--json"],
        ["schedule", "missing"],
        ["schedule", "missing", "--month", "2026-11", "--csv"],
    ],
    ids=" ".join,
)
def test_the_reads_run_most_import_no_database_stack_on_sqlite(
    meetings: Path, args: list[str]
) -> None:
    later = {"CHAINLEAD_DB": str(meetings), "CHAINLEAD_TODAY": "2027-01-01"}  # all overdue
    packages, stdout = imported(args, env=later)
    assert not packages & set(HEAVY), sorted(packages & set(HEAVY))
    assert stdout.strip()


@pytest.mark.parametrize(
    "args",
    [
        ["bottleneck", "add", "IC", "Power", "--unit", "Bureau", "--new-unit", "--due", "+30d"],
        ["bottleneck", "note", "ic-3", "called the bureau"],
        ["bottleneck", "start", "IC-3"],
        ["bottleneck", "block", "IC-3", "--reason", "waiting for the city"],
        ["bottleneck", "resolve", "IC-3", "--how", "second line built"],
        ["bottleneck", "drop", "IC-4", "--why", "withdrawn"],
        [
            "bottleneck",
            "edit",
            "IC-5",
            "--title",
            "Power capacity",
            "--owner",
            "Wang Fang",
            "--new-person",
        ],
        ["chain", "add", "BIO", "Biomedicine", "--leader", "Sun Hao", "--responsible", "Xu Tao"],
        ["chain", "edit", "IC", "--leader", "Wang Fang", "--new-person"],
        ["chain", "archive", "AI", "--yes"],
        ["team", "add", "IC", "Zhou Lan", "--role", "expert", "--new-person"],
        ["team", "remove", "IC", "Chen Jie"],
        ["schedule", "add", "IC", "--summary", "Power"],
        ["schedule", "edit", "IC-M1", "--summary", "Power and land", "--kind", "salon"],
        ["db", "check"],
    ],
    ids=" ".join,
)
def test_writes_import_no_database_stack_on_sqlite(meetings: Path, args: list[str]) -> None:
    """Every write runs plain SQL through the store: no ORM, no pydantic."""
    packages, _ = imported(args, env={"CHAINLEAD_DB": str(meetings)})
    assert not packages & set(HEAVY), sorted(packages & set(HEAVY))


def test_only_the_html_report_imports_the_template_engine(meetings: Path, tmp_path: Path) -> None:
    env = {"CHAINLEAD_DB": str(meetings)}
    for args in (["report", "monthly"], ["report", "monthly", "--markdown", "-"]):
        packages, stdout = imported(args, env=env)
        assert stdout.strip() and not packages & set(TEMPLATES), args
    packages, _ = imported(["report", "monthly", "--html", str(tmp_path / "r.html")], env=env)
    assert "jinja2" in packages


@pytest.mark.parametrize("into", ["same", "empty", "dry-run"])
def test_import_imports_no_database_stack_on_sqlite(
    meetings: Path, tmp_path: Path, into: str
) -> None:
    """A snapshot is merged through the store: no ORM, no pydantic, into a stored
    district (all unchanged), an empty database, or on a dry run."""
    _, text = imported(["export"], env={"CHAINLEAD_DB": str(meetings)})
    snapshot = tmp_path / "district.toml"
    snapshot.write_text(text, encoding="utf-8")
    db, args = meetings, ["import", str(snapshot)]
    if into == "empty":
        db = tmp_path / "empty.db"
        subprocess.run(
            [sys.executable, "-m", "chainlead", "--db", str(db), "init"],
            check=True,
            capture_output=True,
            timeout=60,
        )
    elif into == "dry-run":
        args.append("--dry-run")
    packages, _ = imported([*args, "--json"], env={"CHAINLEAD_DB": str(db)})
    assert not packages & set(HEAVY), sorted(packages & set(HEAVY))
    _, again = imported(["export"], env={"CHAINLEAD_DB": str(db)})
    assert again == text


def test_a_refused_light_read_says_the_same_as_any_command(items: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(items)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    conn.commit()
    conn.close()
    for args in (
        ["bottleneck", "show", "IC-1"],
        ["chain", "show", "IC"],
        ["team", "list", "IC"],
        ["schedule", "list"],
        ["schedule", "show", "IC-M1"],
        ["schedule", "agenda", "IC"],
        ["schedule", "missing"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "chainlead", "--db", str(items), *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr.strip().splitlines() == [
            f"chainlead: error: database {items} has schema ffff, unknown to chainlead "
            f"(newest known: {HEAD}); upgrade chainlead"
        ]


def test_person_name_completion_offers_known_names_as_typed(items: Path) -> None:
    from chainlead.cli.complete import person_names

    offered, packages = complete("chainlead person show Zh", items)
    assert " ".join(offered) == "Zhang Wei"  # one name; bash gets it as one line
    assert not packages & set(HEAVY)
    offered, _ = complete("chainlead bottleneck edit IC-1 --owner Li", items)
    assert " ".join(offered) == "Li Ming"
    assert person_names(str(items), "") == ["Li Ming", "Zhang Wei"]
    assert person_names(str(items), "li") == []  # names are matched as typed
    assert person_names(None, "Li") == []
