"""One vocabulary: every limit the command line enforces is the limit import enforces,
and the words each part accepts are the vocabulary's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import assert_refused, on_day
from typer.testing import CliRunner, Result

from chainlead import vocabulary
from chainlead.cli import app
from chainlead.snapshot import schema

runner = CliRunner()
Args = Callable[[str], tuple[str, ...]]
MARK = "长"  # one character, three bytes: a limit counts characters

# field, its limit, the command that stores it, how the snapshot spells the key
LIMITED: list[tuple[str, int, Args, str]] = [
    ("title", vocabulary.TITLE_MAX,
     lambda t: ("bottleneck", "add", "IC", t, "--unit", "U",
                "--new-unit", "--due", "+30d"), "title"),
    ("detail", vocabulary.TEXT_MAX,
     lambda t: ("bottleneck", "add", "IC", "x", "--unit", "U",
                "--new-unit", "--due", "+30d", "--detail", t),
     "detail"),
    ("category", vocabulary.CATEGORY_MAX,
     lambda t: ("bottleneck", "add", "IC", "x", "--unit", "U", "--new-unit", "--due", "+30d",
                "--category", t), "category"),
    ("unit", vocabulary.NAME_MAX,
     lambda t: ("bottleneck", "add", "IC", "x", "--unit", t,
                "--new-unit", "--due", "+30d"), "unit"),
    ("description", vocabulary.TEXT_MAX,
     lambda t: ("chain", "add", "AI", "AI", "--leader", "Li Ming", "--responsible",
                "Zhang Wei", "--description", t), "description"),
    ("summary", vocabulary.TEXT_MAX,
     lambda t: ("schedule", "add", "IC", "--held-on", "2026-11-18", "--summary", t), "summary"),
    ("decision", vocabulary.TEXT_MAX,
     lambda t: ("schedule", "add", "IC", "--held-on", "2026-11-18", "--decision", t), "text"),
    ("note", vocabulary.TEXT_MAX, lambda t: ("bottleneck", "note", "IC-1", t), "text"),
]  # fmt: skip


def run(db: Path, *args: str) -> Result:
    return runner.invoke(app, ["--db", str(db), *args])


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr[-300:])
    return result


@pytest.fixture
def district(db_path: Path) -> Path:
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run(db_path, "chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
               "--responsible", "Zhang Wei"))  # fmt: skip
    ok(
        run(
            db_path,
            "bottleneck",
            "add",
            "IC",
            "first",
            "--unit",
            "U",
            "--new-unit",
            "--due",
            "+30d",
        )
    )
    return db_path


@pytest.mark.parametrize("field", [entry[0] for entry in LIMITED])
def test_the_command_line_and_import_share_each_limit(
    district: Path, tmp_path: Path, template_db: Path, field: str
) -> None:
    _, limit, args, key = next(entry for entry in LIMITED if entry[0] == field)
    longest = MARK * limit
    ok(run(district, *args(longest)))
    assert_refused(run(district, *args(longest + MARK)), 2, f"at most {limit}")
    snapshot = tmp_path / "s.toml"
    ok(run(district, "export", str(snapshot)))
    text = snapshot.read_text(encoding="utf-8")
    assert f"{key} = '{longest}'" in text
    empty = tmp_path / "empty.db"
    empty.write_bytes(template_db.read_bytes())
    ok(run(empty, "import", str(snapshot)))
    # One character more in the snapshot: import refuses what the command line refuses.
    longer = tmp_path / "longer.toml"
    longer.write_text(
        text.replace(f"{key} = '{longest}'", f"{key} = '{longest}{MARK}'", 1), encoding="utf-8"
    )
    other = tmp_path / "other.db"
    other.write_bytes(template_db.read_bytes())
    result = run(other, "import", str(longer))
    assert result.exit_code == 2, result.stderr[-300:]
    assert f"at most {limit}" in result.stderr


def test_the_snapshot_reads_the_vocabulary() -> None:
    """The snapshot's field table takes exactly the vocabulary's words."""
    choices = {f.name: f.form.check for f in schema.ITEM.fields}
    for name, words in (
        ("status", vocabulary.STATUSES),
        ("priority", vocabulary.PRIORITIES),
        ("source", vocabulary.SOURCES),
    ):
        for word in words:
            assert choices[name](word) == word
        with pytest.raises(schema.Bad):
            choices[name]("unknown")
    roles = {f.name: f.form.check for f in schema.MEMBERSHIP.fields}["role"]
    assert [roles(role) for role in vocabulary.ROLES] == list(vocabulary.ROLES)


def test_statuses_are_open_done_or_dropped() -> None:
    assert set(vocabulary.OPEN_STATUSES) | set(vocabulary.DONE_STATUSES) | {"dropped"} == set(
        vocabulary.STATUSES
    )
    assert not set(vocabulary.OPEN_STATUSES) & set(vocabulary.DONE_STATUSES)
    assert set(vocabulary.TEAM_ROLES) == set(vocabulary.ROLES) - {"leader", "responsible"}
