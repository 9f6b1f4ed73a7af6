"""Many writers at once on one database: nothing lost, no key handed out
twice, no "database is locked".

Eight worker processes each make 250 ``bottleneck add`` and 250
``bottleneck note`` writes, interleaved, on two chains. Every write is a
read-then-write: ``add`` reads the chain's next item number, ``note`` reads
the item's current status (a dropped item takes no notes). Notes go to a
random item of the chain among those known to exist, most of them written by
other workers.

How the workers run the program: starting Python and importing chainlead
costs about half a second, so 4,000 separate program starts would take some
18 minutes per backend on a two-core CI machine. Each worker is therefore its
own OS process (not a thread) that calls ``chainlead.cli.main`` -- the
function the installed ``chainlead`` script and ``python -m chainlead`` run --
once per write, with a fresh ``sys.argv``: every write is a whole CLI
invocation (argument parsing, settings, its own engine and connection, one
transaction, exit code), only without a new interpreter.
``test_one_program_start_per_write`` runs the same workload in miniature with
a real ``python -m chainlead`` process for every write.

Run as a script, this file is the worker:
``python test_reliability_concurrency.py DB INDEX COUNT CHAINS MODE``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

WORKERS = 8
WRITES_EACH = 250  # adds; as many notes again
CHAINS = ("IC", "AI")


def _invoke_in_process(args: list[str]) -> tuple[int, str, str]:
    """One full CLI invocation through the console entry point, in this process."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from chainlead.cli import main

    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["chainlead", *args]
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return code, out.getvalue(), err.getvalue()


def _invoke_new_process(args: list[str]) -> tuple[int, str, str]:
    """One full CLI invocation as its own ``python -m chainlead`` process."""
    done = subprocess.run(
        [sys.executable, "-m", "chainlead", *args], capture_output=True, text=True, check=False
    )
    return done.returncode, done.stdout, done.stderr


def worker(db: str, index: int, count: int, chains: list[str], mode: str) -> None:
    """Interleave ``count`` adds and ``count`` notes; one JSON line per write on stdout."""
    import random

    invoke = _invoke_in_process if mode == "in-process" else _invoke_new_process
    results = sys.stdout
    rng = random.Random(index)
    newest: dict[str, int] = {}
    for step in range(count):
        chain = chains[(index + step) % len(chains)]
        args = ["--db", db, "--as", f"worker {index}", "bottleneck", "add", chain]
        args += [
            f"worker {index} problem {step}",
            "--unit",
            "District Bureau",
            "--new-unit",
            "--due",
            "+30d",
        ]
        code, out, err = invoke(args)
        if code == 0:
            newest[chain] = max(newest.get(chain, 0), int(out.strip().rsplit("-", 1)[1]))
        results.write(json.dumps({"op": "add", "code": code, "out": out, "err": err}) + "\n")
        if not newest:
            results.write(
                json.dumps({"op": "note", "code": -1, "out": "", "err": "no item"}) + "\n"
            )
            continue
        target = rng.choice(sorted(newest))
        key = f"{target}-{rng.randint(1, newest[target])}"
        args = ["--db", db, "--as", f"worker {index}", "bottleneck", "note", key]
        code, out, err = invoke([*args, f"worker {index} note {step} on {key}"])
        results.write(json.dumps({"op": "note", "code": code, "out": out, "err": err}) + "\n")
        results.flush()


def _make_chains(db: str) -> None:
    from typer.testing import CliRunner

    from chainlead.cli import app

    runner = CliRunner()
    for code, name, leader, responsible in (
        ("IC", "Integrated circuits", "Li Ming", "Zhang Wei"),
        ("AI", "Software and AI", "Sun Hao", "Chen Jie"),
    ):
        args = ["--db", db, "chain", "add", code, name, "--leader", leader]
        result = runner.invoke(app, [*args, "--responsible", responsible])
        assert result.exit_code == 0, result.stderr


def _run_workers(db: str, count: int, mode: str, tmp_path: Path) -> list[dict]:
    procs = []
    for index in range(WORKERS):
        out = (tmp_path / f"worker{index}.jsonl").open("w")
        command = [sys.executable, __file__, db, str(index), str(count), ",".join(CHAINS), mode]
        procs.append((subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE), out))
    for proc, out in procs:
        _, err = proc.communicate(timeout=1800)
        out.close()
        assert proc.returncode == 0, err.decode()
    results = []
    for index in range(WORKERS):
        lines = (tmp_path / f"worker{index}.jsonl").read_text().splitlines()
        results.extend(json.loads(line) for line in lines)
    return results


def _stored(db: str) -> dict[str, object]:
    from chainlead.store.database import open_database

    database = open_database(db)
    try:
        with database.transaction(write=False) as session:
            numbers = {
                code: [
                    n
                    for (n,) in session.rows(
                        "SELECT item.number FROM item JOIN chain ON chain.id = item.chain_id "
                        "WHERE chain.code = :code ORDER BY item.number",
                        {"code": code},
                    )
                ]
                for code in CHAINS
            }
            next_numbers = dict(session.rows("SELECT code, next_item_no FROM chain"))
            keys = [k for (k,) in session.rows("SELECT key FROM item")]
            notes = session.rows("SELECT count(*) FROM event WHERE kind = 'note'")[0][0]
            created = session.rows(
                "SELECT count(*) FROM event WHERE kind = 'created' AND item_id IS NOT NULL"
            )[0][0]
    finally:
        database.dispose()
    return {
        "numbers": numbers,
        "next": next_numbers,
        "keys": keys,
        "notes": notes,
        "created": created,
    }


def _assert_nothing_lost(db: str, results: list[dict], count: int, label: str) -> None:
    from typer.testing import CliRunner

    from chainlead.cli import app

    attempted = len(results)
    failed = [r for r in results if r["code"] != 0]
    locked = [r for r in results if "locked" in r["err"].lower()]
    stored = _stored(db)
    adds = WORKERS * count
    present = len(stored["keys"]) + stored["notes"]  # type: ignore[arg-type]
    sys.stderr.write(
        f"\n[{label}] writes attempted {attempted}, present {present}, failed {len(failed)}, "
        f"'database is locked' {len(locked)}\n"
    )
    assert attempted == 2 * adds
    assert locked == []
    assert failed == [], failed[:3]
    assert len(stored["keys"]) == adds and stored["created"] == adds  # type: ignore[arg-type]
    assert stored["notes"] == adds
    assert len(set(stored["keys"])) == len(stored["keys"])  # type: ignore[arg-type]
    for code in CHAINS:
        numbers = stored["numbers"][code]  # type: ignore[index]
        assert numbers == list(range(1, len(numbers) + 1)), f"gap or repeat in {code}"
        assert stored["next"][code] == len(numbers) + 1  # type: ignore[index]
    check = CliRunner().invoke(app, ["--db", db, "db", "check"])
    assert check.exit_code == 0, check.stdout + check.stderr


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def shared_db(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        return str(request.getfixturevalue("db_path"))
    return request.getfixturevalue("pg_url")


@pytest.mark.slow
def test_eight_writers_lose_nothing(shared_db: str, tmp_path: Path) -> None:
    _make_chains(shared_db)
    started = time.monotonic()
    results = _run_workers(shared_db, WRITES_EACH, "in-process", tmp_path)
    sys.stderr.write(f"\n8 workers took {time.monotonic() - started:.1f}s\n")
    backend = "postgresql" if "://" in shared_db else "sqlite"
    _assert_nothing_lost(shared_db, results, WRITES_EACH, f"{backend}, 8 x (250 + 250)")


@pytest.mark.slow
def test_one_program_start_per_write(db_path: Path, tmp_path: Path) -> None:
    db = str(db_path)
    _make_chains(db)
    results = _run_workers(db, 2, "new-process", tmp_path)
    _assert_nothing_lost(db, results, 2, "sqlite, python -m chainlead per write, 8 x (2 + 2)")


if __name__ == "__main__":
    database, index, count, chains, mode = sys.argv[1:6]
    os.environ.setdefault("CHAINLEAD_USER", f"worker {index}")
    worker(database, int(index), int(count), chains.split(","), mode)
