"""Time chainlead as users run it: whole processes, medians, peak memory.

    python benchmarks/run.py --sizes 1k,10k,100k [--taskwarrior] [--results benchmarks/RESULTS.md]

For each size it uses (or first makes, with generate.py) the synthetic
district ``benchmarks/data/district-<size>.db`` and times every command of
issue 8 as a separate process: the median of ``--runs`` runs after
``--warmup`` runs (hyperfine when installed, else a timing loop), and the
peak memory of one more run (``wait4``'s max RSS). Next to them it times the
import floor -- a bare ``python -c "import ..."`` of the stack a command
needs -- and prints each command's ratio to it. With ``--taskwarrior`` (when
``task`` is installed) the same items are loaded into Taskwarrior with
``task import`` and its nearest equivalents are timed in the same run, with
the ratio per row. ``TZ=UTC`` is set for both. Each target of issue 8 is
marked met or not met, with the reason.

Commands that do not exist yet show "n/a (not implemented)". Timings never go
in the test suite; ``--explain`` shows the SQL a command runs and SQLite's
plan for each statement (the proof that indexes are used and that no query
runs per row).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
PYTHON = sys.executable

STARTUP_LIMIT = 0.080  # s: --version, --help, every sub-command --help
COMPLETION_LIMIT = 0.150  # s at 100k items
FLOOR_RATIO = 1.2  # 1k read commands within 1.2x the import floor
BIG_READ_LIMIT = 0.6  # s at 100k
TASK_FACTOR = 4.0  # at least 4x faster than Taskwarrior's nearest equivalent at 100k
ADD_GROWTH = 1.2  # add at 100k within 1.2x of add at 1k
EXPORT_LIMIT = 2.5
IMPORT_LIMIT = 6.0
MEMORY_LIMIT = 500 * 1024 * 1024


# --------------------------------------------------------------------------- running


@dataclass
class Timing:
    median: float | None = None  # seconds
    runs: list[float] = field(default_factory=list)
    peak: int | None = None  # bytes
    cpu: float | None = None  # user + system seconds (hyperfine's mean, else the median)
    problem: str | None = None  # "n/a (not implemented)", "failed: ..."

    @property
    def ok(self) -> bool:
        return self.median is not None


@dataclass(frozen=True)
class Command:
    """One process to time: argv, extra environment, a preparation run before each."""

    argv: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()
    prepare: Callable[[], None] | None = None

    def environ(self, base: dict[str, str]) -> dict[str, str]:
        return {**base, **dict(self.env)}

    @property
    def shown(self) -> str:
        return " ".join(_short(a) for a in self.argv)


def _short(arg: str) -> str:
    for prefix, name in ((str(DATA) + "/", ""), (tempfile.gettempdir() + "/", "")):
        if arg.startswith(prefix):
            arg = name + arg[len(prefix) :]
    if arg == PYTHON:
        return "python"
    if arg.endswith("/chainlead") and "/" in arg:
        return "chainlead"
    return arg if " " not in arg else repr(arg)


# Started from a small process: a child forked from this (large) one would
# count this one's memory in its peak, since max RSS survives exec.
_SPAWN = """
import json, os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
with open(out, "w") as handle:
    json.dump([wall, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime,
               os.waitstatus_to_exitcode(status)], handle)
"""


def run_once(command: Command, env: dict[str, str]) -> tuple[float, int, float, int, str]:
    """Wall seconds, peak RSS bytes, user+sys seconds, exit code, stderr of one run."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [PYTHON, "-c", _SPAWN, out.name, *command.argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=command.environ(env),
            check=True,
        )
        wall, peak, cpu, code = json.loads(Path(out.name).read_text())
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return wall, peak, cpu, code, text


def not_implemented(code: int, stderr: str) -> bool:
    text = stderr.lower()
    return code == 2 and ("no such command" in text or "no such option" in text)


def measure(command: Command, env: dict[str, str], *, runs: int, warmup: int) -> Timing:
    """Median of ``runs`` after ``warmup``; peak memory from one more run."""
    if command.prepare:
        command.prepare()
    wall, peak, cpu, code, stderr = run_once(command, env)
    if code != 0:
        if not_implemented(code, stderr):
            return Timing(problem="n/a (not implemented)")
        line = (stderr.strip().splitlines() or ["exit code " + str(code)])[-1]
        return Timing(problem=f"failed: {line[:90]}")
    timing = Timing(peak=peak, cpu=cpu)
    if shutil.which("hyperfine") and command.prepare is None:
        timing.runs, timing.cpu = _hyperfine(command, env, runs=runs, warmup=max(warmup - 1, 0))
    else:
        cpus = []
        for _ in range(max(warmup - 1, 0)):
            if command.prepare:
                command.prepare()
            run_once(command, env)
        for _ in range(runs):
            if command.prepare:
                command.prepare()
            wall, peak, cpu, code, stderr = run_once(command, env)
            if code != 0:
                return Timing(problem=f"failed on a later run: {stderr.strip()[-90:]}")
            timing.runs.append(wall)
            cpus.append(cpu)
            timing.peak = max(timing.peak or 0, peak)
        timing.cpu = statistics.median(cpus)
    timing.median = statistics.median(timing.runs)
    return timing


def _hyperfine(
    command: Command, env: dict[str, str], *, runs: int, warmup: int
) -> tuple[list[float], float]:
    """Wall times of each run, and the mean user + system time."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        argv = [
            "hyperfine",
            "--shell=none",
            "--style=none",
            f"--warmup={warmup}",
            f"--runs={runs}",
            "--output=null",
            f"--export-json={out.name}",
            "--",
            subprocess.list2cmdline(command.argv),
        ]
        subprocess.run(argv, env=command.environ(env), check=True, stdout=subprocess.DEVNULL)
        result = json.loads(Path(out.name).read_text())["results"][0]
    return list(result["times"]), result["user"] + result["system"]


# --------------------------------------------------------------------------- the table


@dataclass
class Row:
    label: str
    ours: Timing
    command: str = ""
    theirs: Timing | None = None
    theirs_label: str = ""
    floor: float | None = None  # seconds of the import floor this row compares with
    target: str = ""
    verdict: str = ""  # "met", "not met: why", ""


def ms(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def mb(size: int | None) -> str:
    return "" if size is None else f"{size / 1024 / 1024:.0f} MB"


def shown(timing: Timing | None) -> str:
    if timing is None:
        return ""
    return ms(timing.median) if timing.ok else (timing.problem or "")


def table(title: str, rows: Sequence[Row], *, taskwarrior: bool) -> str:
    head = ["what", "chainlead (median)", "CPU", "peak mem", "÷ import floor"]
    if taskwarrior:
        head += ["Taskwarrior equivalent", "Taskwarrior", "Taskwarrior ÷ chainlead"]
    head += ["target", "met?"]
    lines = [f"### {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        ratio = ""
        if row.floor and row.ours.ok:
            ratio = f"{row.ours.median / row.floor:.2f}×"  # type: ignore[operator]
        cpu = ms(row.ours.cpu) if row.ours.ok else ""
        cells = [f"`{row.label}`", shown(row.ours), cpu, mb(row.ours.peak), ratio]
        if taskwarrior:
            versus = ""
            if row.theirs is not None and row.theirs.ok and row.ours.ok:
                versus = f"{row.theirs.median / row.ours.median:.1f}×"  # type: ignore[operator]
            label = f"`{row.theirs_label}`" if row.theirs_label else ""
            cells += [label, shown(row.theirs), versus]
        cells += [row.target, row.verdict]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- chainlead


def chainlead_argv() -> tuple[str, ...]:
    script = Path(PYTHON).parent / "chainlead"
    return (str(script),) if script.exists() else (PYTHON, "-m", "chainlead")


def base_env(today: str) -> dict[str, str]:
    # As installed: Python may cache compiled modules (PYTHONDONTWRITEBYTECODE
    # in a developer's shell would make every run compile chainlead again).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CHAINLEAD_", "TASK", "_CHAIN")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        {
            "TZ": "UTC",
            "NO_COLOR": "1",
            "CHAINLEAD_TODAY": today,
            "CHAINLEAD_USER": "benchmark",
            "CHAINLEAD_CONFIG": str(DATA / "no-config.toml"),
            "COLUMNS": "120",
        }
    )
    return env


def _revision(db: Path) -> str | None:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        finally:
            conn.close()
    except (sqlite3.Error, TypeError):
        return None


def load_meta(size: str) -> dict[str, Any]:
    """The district of this size, made first when missing or of an older schema."""
    from chainlead.migrations import HEAD

    meta_file = DATA / f"district-{size}.json"
    db = DATA / f"district-{size}.db"
    if not meta_file.exists() or not db.exists() or _revision(db) != HEAD:
        sys.path.insert(0, str(HERE))
        import generate

        print(f"generating the {size} district ...", file=sys.stderr)
        generate.generate(size, out=DATA, today=date.today(), seed=8)
    return json.loads(meta_file.read_text())


def fresh_copy(source: Path, dest: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(dest) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, dest)
    return dest


def floor_commands() -> dict[str, Command]:
    return {
        "python": Command((PYTHON, "-c", "pass")),
        "cli": Command((PYTHON, "-c", "import typer")),
        "view": Command((PYTHON, "-c", "import sqlite3, typer, rich.console, rich.table")),
        "read": Command((PYTHON, "-c", "import typer, sqlmodel, rich.console, rich.table")),
        "write": Command(
            (PYTHON, "-c", "import typer, sqlmodel, rich.console, rich.table, tomli_w, tomllib")
        ),
    }


def startup_rows(
    env: dict[str, str], opts: argparse.Namespace, floors: dict[str, float]
) -> list[Row]:
    cl = chainlead_argv()
    rows: list[Row] = []
    cases = [("--version",), ("--help",)]
    cases += [
        (noun, "--help")
        for noun in (
            "bottleneck",
            "chain",
            "team",
            "schedule",
            "report",
            "db",
            "config",
            "init",
            "demo",
            "export",
            "import",
        )
    ]
    cases += [("bottleneck", "add", "--help"), ("report", "monthly", "--help")]
    for args in cases:
        timing = measure(Command((*cl, *args)), env, runs=opts.runs, warmup=opts.warmup)
        row = Row(" ".join(args), timing, floor=floors.get("cli"), target="≤ 80 ms")
        row.verdict = verdict(timing, timing.median is not None and timing.median <= STARTUP_LIMIT)
        rows.append(row)
    return rows


def verdict(timing: Timing, met: bool, why: str = "") -> str:
    if not timing.ok:
        return "not met: " + (timing.problem or "no figure")
    return "met" if met else "not met" + (f": {why}" if why else "")


@dataclass
class Case:
    label: str
    args: tuple[str, ...]
    kind: str  # view (no ORM) | read | write | export | import | complete
    task: tuple[str, ...] | None = None  # Taskwarrior's nearest equivalent
    env: tuple[tuple[str, str], ...] = ()


def cases_for(meta: dict[str, Any], work: Path) -> list[Case]:
    chain, key, today = meta["chain"], meta["key"], meta["today"]
    month = today[:7]
    html = str(work / "report.html")
    snapshot = str(work / "export.toml")
    words = f"chainlead bottleneck show {key[:-1]}"
    return [
        Case(
            "complete KEY<TAB>",
            (),
            "complete",
            env=(
                ("_CHAINLEAD_COMPLETE", "complete_bash"),
                ("COMP_WORDS", words),
                ("COMP_CWORD", "3"),
            ),
        ),
        Case("chain list", ("chain", "list"), "view", ("summary",)),
        Case("bottleneck list", ("bottleneck", "list"), "view", ("list",)),
        Case(
            f"bottleneck list --overdue --chain {chain}",
            ("bottleneck", "list", "--overdue", "--chain", chain),
            "view",
            (f"project:{chain}", "+OVERDUE", "list"),
        ),
        Case(f"bottleneck show {key}", ("bottleneck", "show", key), "view", ("TASK-UUID", "info")),
        Case(
            f"report monthly --month {month}",
            ("report", "monthly", "--month", month),
            "view",
            ("history.monthly",),
        ),
        Case(
            "report monthly --html F",
            ("report", "monthly", "--month", month, "--html", html),
            "view",
            ("summary",),
        ),
        Case("report overdue", ("report", "overdue"), "view", ("+OVERDUE", "list")),
        Case(
            "bottleneck add",
            (
                "bottleneck",
                "add",
                chain,
                "配套企业用电增容",
                "--unit",
                "区发展和改革局",
                "--due",
                "+30d",
            ),
            "write",
            ("add", "project:" + chain, "due:30d", "配套企业用电增容"),
        ),
        Case(
            f"bottleneck note {key}",
            ("bottleneck", "note", key, "已与责任单位对接"),
            "write",
            ("TASK-UUID", "annotate", "已与责任单位对接"),
        ),
        Case("export F", ("export", snapshot), "export", ("export",)),
        Case(
            "import F (empty db)", ("import", snapshot, "--max-size", "2G"), "import", ("import",)
        ),
    ]


# --------------------------------------------------------------------------- Taskwarrior


class Taskwarrior:
    """A Taskwarrior data folder holding the district's items."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rc = folder / "taskrc"

    def env(self, base: dict[str, str]) -> dict[str, str]:
        return {**base, "TASKRC": str(self.rc), "TASKDATA": str(self.folder / "data")}

    def reset(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        (self.folder / "data").mkdir(parents=True)
        self.rc.write_text(
            f"data.location={self.folder / 'data'}\n"
            "confirmation=no\nhooks=off\nverbose=nothing\nnews.version=2.6.0\n"
        )

    def argv(self, *args: str) -> tuple[str, ...]:
        return ("task", *args)


def taskwarrior_json(db: Path, out: Path) -> dict[str, str]:
    """The district's items as Taskwarrior import JSON; returns item key -> task uuid."""
    priority = {"urgent": "H", "high": "H", "normal": "M", "low": "L"}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    notes: dict[int, list[tuple[str, str]]] = {}
    for item_id, at, _kind, text in conn.execute(
        "SELECT item_id, at, kind, coalesce(text, kind) FROM event "
        "WHERE item_id IS NOT NULL AND kind != 'created' ORDER BY item_id, at, id"
    ):
        notes.setdefault(item_id, []).append((at, text))

    def stamp(value: str) -> str:
        return value[:19].replace("-", "").replace(":", "").replace(" ", "T").ljust(15, "0") + "Z"

    keys: dict[str, str] = {}
    with out.open("w", encoding="utf-8") as handle:
        handle.write("[\n")
        first = True
        for row in conn.execute(
            "SELECT i.id, i.uuid, i.key, c.code, i.title, i.status, i.priority, i.raised_on, "
            "i.due_on, coalesce(i.closed_on, i.resolved_on), i.created_at, i.updated_at, "
            "i.category FROM item i JOIN chain c ON c.id = i.chain_id ORDER BY i.id"
        ):
            item_id, uuid, key, code, title, status, prio, raised, due, ended, created, mod, cat = (
                row
            )
            keys[key] = uuid
            task = {
                "uuid": uuid,
                "description": title,
                "project": code,
                "entry": stamp(created),
                "modified": stamp(mod),
                "due": stamp(due + " 00:00:00"),
                "priority": priority[prio],
                "status": {
                    "resolved": "completed",
                    "closed": "completed",
                    "dropped": "deleted",
                }.get(status, "pending"),
                "tags": [t for t in (cat, "blocked" if status == "blocked" else None) if t],
                "annotations": [
                    {"entry": stamp(at), "description": text} for at, text in notes.get(item_id, [])
                ],
            }
            if task["status"] != "pending":
                task["end"] = stamp((ended or raised) + " 12:00:00")
            handle.write(("" if first else ",\n") + json.dumps(task, ensure_ascii=False))
            first = False
        handle.write("\n]\n")
    conn.close()
    return keys


# --------------------------------------------------------------------------- one size


def run_size(
    size: str, opts: argparse.Namespace, floors: dict[str, float], task: bool
) -> tuple[list[Row], dict[str, Any]]:
    meta = load_meta(size)
    env = base_env(meta["today"])
    work = Path(tempfile.mkdtemp(prefix=f"chainlead-bench-{size}-"))
    source = DATA / f"district-{size}.db"
    reads_db = fresh_copy(source, work / "read.db")  # reads never change it, but a copy is cheap
    writes_db = fresh_copy(source, work / "write.db")
    empty_db = work / "empty.db"
    cl = chainlead_argv()
    tw = Taskwarrior(DATA / f"task-{size}") if task else None
    tw_writes = Taskwarrior(work / "task-write") if task else None
    tw_empty = Taskwarrior(work / "task-empty") if task else None
    task_json = DATA / f"task-{size}.json"
    keys: dict[str, str] = {}
    if tw is not None:
        keys = taskwarrior_json(source, task_json)
        marker = tw.folder / "loaded"
        if not marker.exists() or marker.read_text() != str(source.stat().st_mtime):
            print(f"loading {size} items into Taskwarrior ...", file=sys.stderr)
            tw.reset()
            subprocess.run(
                tw.argv("import", str(task_json)),
                env=tw.env(env),
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            subprocess.run(tw.argv("list"), env=tw.env(env), stdout=subprocess.DEVNULL)  # gc
            marker.write_text(str(source.stat().st_mtime))
    rows: list[Row] = []
    exported = False
    for case in cases_for(meta, work):
        db = {
            "view": reads_db,
            "read": reads_db,
            "complete": reads_db,
            "export": reads_db,
            "write": writes_db,
        }
        prepare: Callable[[], None] | None = None
        if case.kind == "import":
            if not exported:
                rows.append(Row(case.label, Timing(problem="n/a (no export to import)")))
                continue

            def prepare(empty: Path = empty_db) -> None:
                for suffix in ("", "-wal", "-shm"):
                    Path(str(empty) + suffix).unlink(missing_ok=True)
                subprocess.run(
                    (*cl, "--db", str(empty), "init"),
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )

            target_db = empty_db
        else:
            target_db = db[case.kind]
        argv = (
            (*cl, *case.args)
            if case.kind == "complete"
            else (*cl, "--db", str(target_db), *case.args)
        )
        extra = case.env + ((("CHAINLEAD_DB", str(target_db)),) if case.kind == "complete" else ())
        command = Command(argv, extra, prepare)
        runs = opts.runs
        print(f"  {size}: {command.shown}", file=sys.stderr)
        ours = measure(command, env, runs=runs, warmup=opts.warmup)
        if case.kind == "export" and ours.ok:
            exported = True
        row = Row(case.label, ours, command=command.shown)
        if case.kind in ("view", "read"):
            row.floor = floors.get(case.kind)
        elif case.kind == "export":  # plain SQL and chainlead's own writer: no ORM
            row.floor = floors.get("view")
        elif case.kind in ("write", "import"):
            row.floor = floors.get("write")
        elif case.kind == "complete":
            row.floor = floors.get("cli")
        if tw is not None and case.task is not None:
            row.theirs_label, row.theirs = time_task(
                case, meta, keys, tw, tw_writes, tw_empty, task_json, env, opts
            )
        rows.append(row)
    judge(size, rows)
    shutil.rmtree(work, ignore_errors=True)
    return rows, meta


def time_task(
    case: Case,
    meta: dict[str, Any],
    keys: dict[str, str],
    tw: Taskwarrior,
    tw_writes: Taskwarrior | None,
    tw_empty: Taskwarrior | None,
    task_json: Path,
    env: dict[str, str],
    opts: argparse.Namespace,
) -> tuple[str, Timing]:
    assert case.task is not None
    args = tuple(keys.get(meta["key"], "1") if a == "TASK-UUID" else a for a in case.task)
    label = "task " + " ".join(a if a not in keys.values() else "UUID" for a in args)
    folder = tw
    prepare: Callable[[], None] | None = None
    if case.kind == "write" and tw_writes is not None:
        if not tw_writes.folder.exists():
            shutil.copytree(tw.folder, tw_writes.folder)
            tw_writes.rc.write_text(
                tw.rc.read_text().replace(str(tw.folder), str(tw_writes.folder))
            )
        folder = tw_writes
    if case.kind == "export":
        args = ("export",)
    if case.kind == "import" and tw_empty is not None:
        folder = tw_empty
        args = ("import", str(task_json))
        prepare = tw_empty.reset
    command = Command(folder.argv(*args), tuple(folder.env({}).items()), prepare)
    print(f"    task: {label}", file=sys.stderr)
    return label, measure(command, env, runs=opts.runs, warmup=opts.warmup)


def judge(size: str, rows: list[Row]) -> None:
    """Mark each row's target of issue 8 for this size."""
    for row in rows:
        t = row.ours
        name = row.label
        if name.startswith("complete") and size == "100k":
            row.target = "≤ 150 ms"
            row.verdict = verdict(t, t.ok and t.median <= COMPLETION_LIMIT)  # type: ignore[operator]
        elif (
            size == "1k"
            and row.floor
            and name.split(" ")[0] in ("chain", "bottleneck", "report")
            and not name.startswith(("bottleneck add", "bottleneck note"))
        ):
            row.target = f"≤ {FLOOR_RATIO}× floor"
            met = t.ok and t.median <= FLOOR_RATIO * row.floor  # type: ignore[operator]
            why = f"{t.median / row.floor:.2f}× the import floor" if t.ok else ""  # type: ignore[operator]
            row.verdict = verdict(t, met, why)
        elif size == "100k" and (
            name.startswith(("bottleneck list --overdue", "bottleneck show", "report overdue"))
            or name.startswith("report monthly --month")
        ):
            row.target = f"≤ 0.6 s, ≥ {TASK_FACTOR:g}× faster than Taskwarrior"
            reasons = []
            if t.ok and t.median > BIG_READ_LIMIT:  # type: ignore[operator]
                reasons.append(f"{ms(t.median)} > 600 ms")
            if row.theirs is not None and row.theirs.ok and t.ok:
                factor = row.theirs.median / t.median  # type: ignore[operator]
                if factor < TASK_FACTOR:
                    reasons.append(f"only {factor:.1f}× faster than Taskwarrior")
            elif row.theirs is None:
                reasons.append("Taskwarrior not timed (run with --taskwarrior)")
            row.verdict = verdict(t, t.ok and not reasons, "; ".join(reasons))
        elif size == "100k" and name.startswith("export"):
            row.target = "≤ 2.5 s, ≤ 500 MB"
            met = t.ok and t.median <= EXPORT_LIMIT and (t.peak or 0) <= MEMORY_LIMIT  # type: ignore[operator]
            row.verdict = verdict(t, met, f"{ms(t.median)}, {mb(t.peak)}" if t.ok else "")
        elif size == "100k" and name.startswith("import"):
            row.target = "≤ 6 s, ≤ 500 MB"
            met = t.ok and t.median <= IMPORT_LIMIT and (t.peak or 0) <= MEMORY_LIMIT  # type: ignore[operator]
            row.verdict = verdict(t, met, f"{ms(t.median)}, {mb(t.peak)}" if t.ok else "")


# --------------------------------------------------------------------------- explain


def explain(argv: list[str]) -> int:
    """Run chainlead ARGS in this process and print its SQL with SQLite's plans."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    statements: list[tuple[str, Any]] = []

    @event.listens_for(Engine, "before_cursor_execute")
    def _seen(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ANN202
        if not statement.lstrip().upper().startswith(("PRAGMA", "BEGIN", "EXPLAIN")):
            statements.append((statement, parameters))

    from chainlead import reader as light  # the plain-SQL reads (no ORM)

    plain_rows = light.SqliteReader.rows

    def _seen_plain(self, sql, params=None):  # noqa: ANN001, ANN202
        statements.append((sql, light._sqlite_params(params)))
        return plain_rows(self, sql, params)

    light.SqliteReader.rows = _seen_plain  # type: ignore[method-assign]

    from chainlead.cli import main as chainlead_main

    sys.argv = ["chainlead", *argv]
    stdout = sys.stdout
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    try:
        chainlead_main()
    except SystemExit:
        pass
    finally:
        sys.stdout.close()
        sys.stdout = stdout
    db = argv[argv.index("--db") + 1] if "--db" in argv else os.environ.get("CHAINLEAD_DB", "")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    print(f"{len(statements)} statements")
    total = 0.0
    for statement, parameters in statements:
        print("\n" + " ".join(statement.split())[:400])
        try:
            params = parameters if isinstance(parameters, tuple | dict) else ()
            for row in conn.execute("EXPLAIN QUERY PLAN " + statement, params):
                print("   ", row[-1])
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                started = time.process_time()
                conn.execute(statement, params).fetchall()
                took = time.process_time() - started
                total += took
                print(f"    -> {took * 1000:.1f} ms CPU")
        except sqlite3.Error as exc:
            print("    (no plan:", exc, ")")
    print(f"\nSELECTs: {total * 1000:.0f} ms CPU in SQLite")
    return 0


# --------------------------------------------------------------------------- machine


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    versions = [f"Python {platform.python_version()}", f"SQLite {sqlite3.sqlite_version}"]
    for tool, flag in (("task", "--version"), ("hyperfine", "--version")):
        if shutil.which(tool):
            out = subprocess.run([tool, flag], capture_output=True, text=True).stdout.strip()
            versions.append(out if tool == "hyperfine" else f"Taskwarrior {out}")
    load = ", load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        + ", ".join(versions)
        + load
    )


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k", help="comma-separated: 1k,10k,100k")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (≥ 5)")
    parser.add_argument("--warmup", type=int, default=1, help="runs before timing")
    parser.add_argument("--taskwarrior", action="store_true", help="time Taskwarrior too")
    parser.add_argument("--results", type=Path, help="also write the tables to this Markdown file")
    parser.add_argument("--explain", nargs=argparse.REMAINDER, help="chainlead ARGS: SQL and plans")
    opts = parser.parse_args(argv)
    if opts.explain is not None:
        return explain(opts.explain)
    sys.path.insert(0, str(HERE))
    from generate import parse_sizes

    sizes = parse_sizes(opts.sizes)
    task = opts.taskwarrior and shutil.which("task") is not None
    if opts.taskwarrior and not task:
        print("--taskwarrior: `task` is not installed; timing chainlead only", file=sys.stderr)
    started = datetime.now()
    load_at_start = f"{os.getloadavg()[0]:.1f}"
    env = base_env(date.today().isoformat())
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "chainlead")], check=True)
    floors_t = {
        name: measure(command, env, runs=opts.runs, warmup=opts.warmup)
        for name, command in floor_commands().items()
    }
    floors = {name: t.median for name, t in floors_t.items() if t.median is not None}
    floor_rows = [
        Row("python -c pass", floors_t["python"]),
        Row('python -c "import typer"  (floor of start-up rows)', floors_t["cli"]),
        Row(
            'python -c "import sqlite3, typer, rich.console, rich.table"  '
            "(floor of the read and export rows: plain SQL, no ORM)",
            floors_t["view"],
        ),
        Row(
            'python -c "import typer, sqlmodel, rich.console, rich.table"  '
            "(the ORM stack, for comparison)",
            floors_t["read"],
        ),
        Row("… + tomli_w, tomllib  (floor of write and import rows)", floors_t["write"]),
    ]
    print("start-up ...", file=sys.stderr)
    sections = [table("Import floors", floor_rows, taskwarrior=False)]
    startup = startup_rows(env, opts, floors)
    sections.append(table("Start-up (no database)", startup, taskwarrior=False))
    results: dict[str, list[Row]] = {}
    metas: dict[str, dict[str, Any]] = {}
    for size in sizes:
        print(f"{size} ...", file=sys.stderr)
        results[size], metas[size] = run_size(size, opts, floors, task)
    if "1k" in results and "100k" in results:
        small = next((r for r in results["1k"] if r.label == "bottleneck add"), None)
        big = next((r for r in results["100k"] if r.label == "bottleneck add"), None)
        if small and big:
            big.target = "≤ 1.2× add at 1k"
            if small.ours.ok and big.ours.ok:
                growth = big.ours.median / small.ours.median  # type: ignore[operator]
                big.verdict = verdict(big.ours, growth <= ADD_GROWTH, f"{growth:.2f}× add at 1k")
                if growth <= ADD_GROWTH:
                    big.verdict += f" ({growth:.2f}×)"
            else:
                big.verdict = verdict(big.ours, False)
    for size in sizes:
        m = metas[size]
        title = (
            f"{m['items']:,} items ({m['events']:,} events, {m['chains']} chains, "
            f"{m['meetings']:,} meetings; {m['bytes'] / 1024 / 1024:.0f} MB database)"
        )
        sections.append(table(title, results[size], taskwarrior=task))
    header = [
        "## Results",
        "",
        f"Machine: {machine()}.",
        "",
        f"Command: `python benchmarks/run.py --sizes {','.join(sizes)} --runs {opts.runs}"
        + (" --taskwarrior" if opts.taskwarrior else "")
        + f"` ({started:%Y-%m-%d %H:%M}, took {(datetime.now() - started).seconds // 60} min; "
        + ("hyperfine" if shutil.which("hyperfine") else "timing loop")
        + f", median of {opts.runs} runs after {opts.warmup} warm-up; peak memory = max RSS "
        "of one run).",
        "",
        f"Load average (1 min) at the start: {load_at_start}. Verdicts use the wall-clock "
        "medians; the CPU column (user + system) is what the process itself cost, which "
        "other work on the machine disturbs much less.",
        "",
    ]
    misses = [
        f"- {group}: `{row.label}` {row.verdict}"
        for group, rows in {"start-up": startup, **results}.items()
        for row in rows
        if row.verdict.startswith("not met")
    ]
    text = "\n".join(header) + "\n" + "\n".join(sections)
    text += "\n### Targets not met\n\n"
    text += ("\n".join(misses) if misses else "None: every target is met.") + "\n"
    print(text)
    if opts.results:
        opts.results.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
