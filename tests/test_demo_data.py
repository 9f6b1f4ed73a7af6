"""The demo district in examples/: what `chainlead demo` builds from it, that the
builder reproduces it byte for byte, and that the README's commands build its
first chain."""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import sys
import tomllib
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import Runner
from typer.testing import CliRunner

from chainlead.cli import app
from chainlead.snapshot.export import export_snapshot
from chainlead.snapshot.merge import import_snapshot
from chainlead.snapshot.reader import read_snapshot
from chainlead.store.database import Database

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SNAPSHOT = EXAMPLES / "jiangning.toml"
MONTHS = ("2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10")
STATUSES = {"open", "in_progress", "blocked", "resolved", "closed", "dropped"}


def builder() -> ModuleType:
    """examples/build_jiangning.py as a module (examples/ is not a package)."""
    name = "build_jiangning"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, EXAMPLES / "build_jiangning.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def data(cli: Runner, *args: str) -> Any:
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def demo(cli: Runner) -> Runner:
    """The demo database, built by `chainlead demo --replace` over the test's file."""
    result = cli("demo", "--replace")
    assert result.exit_code == 0, result.stderr
    assert "demo database built at" in result.stderr
    return cli


def test_demo_holds_eight_chains_with_their_leaders_and_teams(demo: Runner) -> None:
    chains = {c["code"]: c for c in data(demo, "chain", "list")}
    assert sorted(chains) == ["AI", "BIO", "GSV", "IC", "IME", "NM", "RT", "SG"]
    assert chains["IC"]["name"] == "Integrated circuits"
    assert (chains["IC"]["leader"], chains["IC"]["responsible"]) == ("Li Ming", "Zhang Wei")
    for chain in chains.values():
        assert chain["leader"] and chain["responsible"], chain
        assert chain["team_size"] >= 3, chain
    # A change of chain leader and of responsible person, both kept in history.
    assert chains["SG"]["leader"] == "Qin Hai"
    assert chains["RT"]["responsible"] == "Gao Yan"
    sg = data(demo, "chain", "show", "SG")
    assert ("leader", "Yang Bo", "2026-08-10") in [
        (r["role"], r["name"], r["until"]) for r in sg["roles"]
    ]


def test_demo_items_cover_every_state_and_light(demo: Runner) -> None:
    items = data(demo, "bottleneck", "list", *(f"--status={s}" for s in sorted(STATUSES)))
    assert 55 <= len(items) <= 70
    assert {i["chain"] for i in items} == {"AI", "BIO", "GSV", "IC", "IME", "NM", "RT", "SG"}
    assert set(Counter(i["status"] for i in items)) == STATUSES
    lights = Counter((i["status"], i["light"]) for i in items)
    for light in ("green", "yellow", "red"):
        assert lights[("open", light)] > 0, light
    assert lights[("in_progress", "red")] and lights[("blocked", "red")]
    assert lights[("closed", "on_time")] and lights[("closed", "late")]
    assert lights[("resolved", "on_time")] and lights[("resolved", "late")]
    assert {i["source"] for i in items} >= {"scheduling", "breakfast", "salon", "visit"}
    assert len({i["unit"] for i in items}) >= 15


def test_demo_items_have_plausible_histories(demo: Runner) -> None:
    # Unsatisfied at sign-off, resolved again, then closed.
    ai5 = data(demo, "bottleneck", "show", "AI-5")
    kinds = [e["kind"] for e in ai5["history"]]
    assert kinds.count("resolved") == 2 and "reopened" in kinds
    assert ai5["status"] == "closed" and ai5["light"] == "late"
    assert "dedicated officer" in ai5["resolution"]
    # Reopened after being closed, now open and overdue.
    nm6 = data(demo, "bottleneck", "show", "NM-6")
    assert nm6["status"] == "open" and nm6["light"] == "red"
    assert [e["new"] for e in nm6["history"] if e["field"] == "status"][-2:] == ["closed", "open"]
    # Dropped with the reason on record.
    ime7 = data(demo, "bottleneck", "show", "IME-7")
    assert ime7["status"] == "dropped" and "protection line" in ime7["status_reason"]
    # Raised at a meeting, discussed at later ones.
    relations = {
        (m["key"], m["relation"]) for m in data(demo, "bottleneck", "show", "IC-6")["meetings"]
    }
    assert ("IC-M5", "raised") in relations and ("IC-M8", "discussed") in relations


def test_demo_has_six_months_of_meetings_with_gaps(demo: Runner) -> None:
    meetings = data(demo, "schedule", "list")
    scheduling = [m for m in meetings if m["kind"] == "scheduling"]
    assert sorted({m["month"] for m in scheduling}) == list(MONTHS)
    assert {m["kind"] for m in meetings} == {"scheduling", "breakfast", "salon", "visit"}
    per_chain = Counter(m["chain"] for m in scheduling)
    assert all(count >= 5 for count in per_chain.values()), per_chain
    follow_ups = Counter((m["chain"], m["month"]) for m in scheduling)
    assert follow_ups[("IC", "2026-09")] == 2
    missed = {
        month: [m["chain"] for m in data(demo, "schedule", "missing", "--month", month)]
        for month in MONTHS
    }
    assert missed == {
        "2026-05": [],
        "2026-06": [],
        "2026-07": ["RT"],
        "2026-08": ["BIO", "GSV"],
        "2026-09": [],
        "2026-10": ["NM"],
    }
    m8 = data(demo, "schedule", "show", "AI-M8")
    assert m8["chair"] == "Wang Jun" and len(m8["decisions"]) == 3 and m8["attendees"]
    figures = {f["name"]: (f["value"], f["unit"]) for f in m8["figures"]}
    assert figures["output_value"] == ("16.4", "bn CNY")
    assert figures["new_projects"] == ("5", None)


def test_demo_database_is_sound(demo: Runner) -> None:
    result = demo("db", "check")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "is sound" in result.stderr


def test_demo_snapshot_round_trips(database: Database) -> None:
    """Imported into an empty database (SQLite and PostgreSQL), it exports as the same bytes."""
    text = SNAPSHOT.read_bytes()
    with database.transaction(write=True) as session:
        import_snapshot(session, read_snapshot(text, str(SNAPSHOT)), name=str(SNAPSHOT))
    parts: list[str] = []
    with database.transaction(write=False) as session:
        export_snapshot(session, write=parts.append, district="Jiangning District")
    assert "".join(parts).encode("utf-8") == text


def test_builder_reproduces_the_snapshot_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "jiangning.toml"
    assert builder().main(["--out", str(out)]) == 0
    assert out.read_bytes() == SNAPSHOT.read_bytes(), (
        "examples/jiangning.toml is not what the builder writes now; rebuild it with "
        "`.venv/bin/python examples/build_jiangning.py` and commit it"
    )


# ---------------------------------------------------------------- the README's commands


def readme_commands() -> str:
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- commands AI:[^\n]*-->\n```sh\n(.*?)```", text, re.S)
    assert found, "examples/README.md has lost its block of commands for AI"
    return found.group(1)


def test_readme_commands_are_the_builders() -> None:
    assert readme_commands() == builder().commands("AI"), (
        "examples/README.md's commands differ from the builder's; paste the output of "
        "`.venv/bin/python examples/build_jiangning.py --commands AI` into it"
    )


def _steady(value: Any) -> Any:
    """A snapshot part without what differs between two builds: uuids and times of day,
    and the history's hashes, which cover them."""
    if isinstance(value, dict):
        volatile = {"uuid", "at", "created_at", "updated_at", "prev", "hash"}
        return {k: _steady(v) for k, v in value.items() if k not in volatile}
    if isinstance(value, list):
        return [_steady(v) for v in value]
    return value


def test_readme_commands_build_the_first_chain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    env: dict[str, str] = {}
    script = readme_commands().replace("\\\n", " ")
    for line in script.splitlines():
        words = shlex.split(line)
        if not words:
            continue
        if words[0] == "export":
            name, _, value = words[1].partition("=")
            env[name] = value
            continue
        assert words[0] == "chainlead", line
        result = runner.invoke(app, words[1:], env=env)
        assert result.exit_code == 0, (line, result.stderr)

    from chainlead.store.database import open_database

    built = open_database(str(tmp_path / env["CHAINLEAD_DB"]))
    parts: list[str] = []
    try:
        with built.transaction(write=False) as session:
            export_snapshot(session, write=parts.append, chain="AI")
    finally:
        built.dispose()
    typed = tomllib.loads("".join(parts))["chains"]
    demo = tomllib.loads(SNAPSHOT.read_text(encoding="utf-8"))["chains"]
    assert _steady(typed) == _steady([c for c in demo if c["code"] == "AI"])


def test_demo_without_db_never_touches_the_users_database(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from chainlead.cli import app

    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    result = CliRunner().invoke(app, ["demo"], env=env)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "data" / "chainlead" / "demo.db").exists()
    assert not (tmp_path / "data" / "chainlead" / "chainlead.db").exists()


def test_demo_never_rebuilds_a_file_without_replace(demo: Runner) -> None:
    """An existing file is kept unless --replace says otherwise: a note added to the
    demo is still there after a second `demo` is refused."""
    assert demo("bottleneck", "note", "IC-1", "保留这条记录").exit_code == 0
    refused = demo("demo")
    assert refused.exit_code != 0 and "--replace" in refused.stderr
    assert "保留这条记录" in demo("bottleneck", "show", "IC-1").stdout
