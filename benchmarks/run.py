"""Time chainlead as users run it: whole processes in interleaved rounds, CPU and wall.

    python benchmarks/run.py --sizes 1k,10k,100k [--rounds 5] [--warmup 1] [--seed N]
                             [--taskwarrior] [--results benchmarks/RESULTS.md]

Groups. The start-up commands (no database) are one group; each size is
another, on the synthetic district ``benchmarks/data/district-<size>.db``
(made first with generate.py when missing or of an older schema). A group
holds its command rows, the import floors -- a bare ``python -c "import ..."``
of the stack a command needs -- and, with ``--taskwarrior``, Taskwarrior's
equivalents.

Rounds. Each command of a group first runs once in table order (the check
pass: it finds the commands not implemented yet, makes the snapshot the import
row reads and warms the caches; it is the first of ``--warmup`` warm-up
rounds). Then, round after round, every command of the group runs once, in an
order shuffled by a seeded generator (``--seed``, printed and written with the
results; each group's order depends only on the seed and the group's name).
Warm-up rounds are not kept; a row's figures are the medians over the
``--rounds`` timed rounds. A slow spell of the machine thus falls on every
command of the group alike, floors included, instead of on whichever command
was being timed at that moment.

Spawning. Every run is one process started by a small helper process, which
stays up for the whole measurement: ``posix_spawn``, then ``wait4`` for the
wall time, the CPU time (user + system of that child alone) and the peak
memory (max RSS). The helper is kept small because max RSS survives exec: a
child of this (large) process would count this process's memory as its own.

Verdicts. CPU time is what the process itself cost; other work on the machine
disturbs it much less than the wall clock. Every ratio is taken within one
round -- a command ÷ its floor, Taskwarrior ÷ chainlead -- and a row's ratio
is the median of its per-round ratios. Verdicts use the CPU ratios; targets in
seconds (start-up, completion, the large reads, export, import) use the median
CPU time. The wall figures and wall ratios are shown beside them.

Writes. Each write row runs on a copy of the district that is restored (and
synced to disk) before every run, untimed, so that every round writes to the
same database; the import row gets a fresh empty database the same way, and
Taskwarrior's writes a restored copy of its data folder.

Taskwarrior. With ``--taskwarrior`` (when ``task`` is installed) the
district's items are loaded once into a Taskwarrior data folder with ``task
import``. Both tools work on the district's date: chainlead reads
``CHAINLEAD_TODAY``, and Taskwarrior runs under libfaketime (``LD_PRELOAD``,
its clock started at noon of that date; Debian's ``libfaketime``). Pinning the
clock keeps a district usable on later days without making it again, and
costs Taskwarrior about a millisecond a run. Without libfaketime
Taskwarrior is timed only when the district was made today; otherwise its
columns stay empty and the run says why. Due dates reach Taskwarrior as
23:59:59 of the day, so that overdue means the same in both: due before
today. ``TZ=UTC`` for both. Each pair says what both commands do; where
Taskwarrior has no equivalent the row names none and shows no ratio.

Commands that do not exist yet show "n/a (not implemented)". Timings never go
in the test suite; ``--explain`` shows the SQL a command runs and SQLite's
plan for each statement (the proof that indexes are used and that no query
runs per row).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import random
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
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
PYTHON = sys.executable

STARTUP_LIMIT = 0.080  # s: --version, --help, every sub-command --help
COMPLETION_LIMIT = 0.150  # s at 100k items
FLOOR_RATIO = 1.2  # 1k read commands within 1.2x the read floor
WRITE_RATIO = 1.5  # 1k write commands within 1.5x the read floor
BIG_READ_LIMIT = 0.6  # s at 100k
TASK_FACTOR = 4.0  # at least 4x faster than Taskwarrior's nearest equivalent at 100k
ADD_GROWTH = 1.2  # add at 100k within 1.2x of add at 1k (each ÷ its floor)
EXPORT_LIMIT = 2.5
IMPORT_LIMIT = 6.0
MEMORY_LIMIT = 500 * 1024 * 1024
INTAKE_ROWS = 10_000  # rows of the demand sheet `chainlead intake` reads, at every size
INTAKE_LIMIT = 5.0  # s CPU for the whole intake of that sheet
INTAKE_MEMORY = 300 * 1024 * 1024
BATCH_LINES = 100  # `bottleneck add` lines of the batch file `chainlead batch` runs
BATCH_LIMIT = 1.5  # s CPU for the whole batch, in one process and one transaction
FAKETIME_LIBS = (
    "/usr/lib/*/faketime/libfaketime.so.1",
    "/usr/lib/faketime/libfaketime.so.1",
    "/usr/local/lib/faketime/libfaketime.so.1",
)


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Sample:
    """One timed run."""

    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    peak: int  # bytes (max RSS)


@dataclass
class Timing:
    samples: list[Sample] = field(default_factory=list)  # one per timed round, in order
    problem: str | None = None  # "n/a (not implemented)", "failed: ..."

    @property
    def ok(self) -> bool:
        return self.problem is None and bool(self.samples)

    @property
    def wall(self) -> float | None:
        return statistics.median(s.wall for s in self.samples) if self.ok else None

    @property
    def cpu(self) -> float | None:
        return statistics.median(s.cpu for s in self.samples) if self.ok else None

    @property
    def peak(self) -> int | None:
        return max(s.peak for s in self.samples) if self.ok else None


def ratio(top: Timing | None, bottom: Timing | None, what: str) -> float | None:
    """Median over rounds of top ÷ bottom, each round's pair run in that round."""
    if top is None or bottom is None or not (top.ok and bottom.ok):
        return None
    if len(top.samples) != len(bottom.samples):
        return None
    pairs = zip(top.samples, bottom.samples, strict=True)
    return statistics.median(getattr(a, what) / getattr(b, what) for a, b in pairs)


@dataclass(frozen=True)
class Command:
    """One process to time: argv, extra environment, an untimed step before each run."""

    argv: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()
    prepare: Callable[[], None] | None = None
    accept: tuple[int, ...] = (0,)  # exit codes of a good run

    def environ(self, base: dict[str, str]) -> dict[str, str]:
        return {**base, **dict(self.env)}

    @property
    def shown(self) -> str:
        return " ".join(_short(a) for a in self.argv)


def _short(arg: str) -> str:
    for prefix in (str(DATA) + "/", tempfile.gettempdir() + "/"):
        if arg.startswith(prefix):
            arg = arg[len(prefix) :]
    if arg == PYTHON:
        return "python"
    if arg.endswith("/chainlead") and "/" in arg:
        return "chainlead"
    return arg if " " not in arg else repr(arg)


# The helper that starts every timed process: small, so that the children's
# max RSS is theirs (it survives exec), and long-lived, so that no interpreter
# starts between two runs. One request a line: argv, environment, stderr file.
_SPAWNER = """
import json, os, sys, time
for line in sys.stdin:
    argv, env, err = json.loads(line)
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    ]
    started = time.perf_counter()
    try:
        pid = os.posix_spawnp(argv[0], argv, env, file_actions=actions)
    except OSError as exc:
        print(json.dumps([0.0, 0, 0.0, 127, str(exc)]), flush=True)
        continue
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps([wall, usage.ru_maxrss * 1024, cpu, code, ""]), flush=True)
"""


class Spawner:
    """The helper process that runs each command and reports what ``wait4`` saw."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="chainlead-bench-spawn-"))
        self.err = self.folder / "stderr"
        self.process = subprocess.Popen(
            [PYTHON, "-c", _SPAWNER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1"},
        )

    def run(self, command: Command, env: dict[str, str]) -> tuple[Sample, str | None]:
        """One run (after its untimed preparation): the sample, and what went wrong."""
        if command.prepare:
            command.prepare()
        assert self.process.stdin is not None and self.process.stdout is not None
        request = [list(command.argv), command.environ(env), str(self.err)]
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        wall, peak, cpu, code, trouble = json.loads(self.process.stdout.readline())
        sample = Sample(wall, cpu, peak)
        if code in command.accept:
            return sample, None
        stderr = trouble or self.err.read_text("utf-8", "replace")
        if not_implemented(code, stderr):
            return sample, "n/a (not implemented)"
        line = (stderr.strip().splitlines() or ["exit code " + str(code)])[-1]
        return sample, f"failed: {line[:90]}"

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def not_implemented(code: int, stderr: str) -> bool:
    text = stderr.lower()
    return code == 2 and ("no such command" in text or "no such option" in text)


def run_rounds(
    group: str,
    commands: Sequence[tuple[Command, Timing]],
    spawner: Spawner,
    env: dict[str, str],
    opts: argparse.Namespace,
) -> None:
    """Fill each Timing: a check pass in order, warm-up rounds, then timed rounds."""
    rng = random.Random(f"{opts.seed}:{group}")
    for command, timing in commands:
        print(f"  {group}: {command.shown}", file=sys.stderr)
        timing.problem = spawner.run(command, env)[1]
    active = [pair for pair in commands if pair[1].problem is None]
    warmup = max(opts.warmup, 1)  # the check pass is the first warm-up round
    for number in range(1, warmup + opts.rounds):
        timed = number >= warmup
        what = f"round {number - warmup + 1}/{opts.rounds}" if timed else "warm-up"
        print(f"  {group}: {what} ({len(active)} commands)", file=sys.stderr)
        order = list(active)
        rng.shuffle(order)
        for command, timing in order:
            if timing.problem is not None:
                continue
            sample, problem = spawner.run(command, env)
            if problem is not None:
                timing.problem = f"{problem} (in {what})"
                timing.samples.clear()
            elif timed:
                timing.samples.append(sample)


# --------------------------------------------------------------------------- the table


@dataclass
class Row:
    label: str
    ours: Timing
    kind: str = ""  # floor | startup | complete | read | write | export | import | intake | batch
    floor_name: str = ""
    floor: Timing | None = None  # the floor this row is compared with, timed in its rounds
    theirs: Timing | None = None  # Taskwarrior's equivalent, timed in the same rounds
    pair: str = ""  # the Taskwarrior cell: its command and what both do, or why none
    paired: bool = False  # a real equivalent: the ratio is shown
    target: str = ""
    verdict: str = ""  # "met", "not met: why", ""

    def floor_ratio(self, what: str = "cpu") -> float | None:
        return ratio(self.ours, self.floor, what)

    def task_ratio(self, what: str = "cpu") -> float | None:
        """Taskwarrior ÷ chainlead (above 1: chainlead is faster)."""
        return ratio(self.theirs, self.ours, what) if self.paired else None


def ms(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def mb(size: int | None) -> str:
    return "" if size is None else f"{size / 1024 / 1024:.0f} MB"


def times(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}×" if value < 10 else f"{value:.1f}×"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def both(cpu: float | None, wall: float | None) -> str:
    """A CPU ratio with the wall ratio in brackets."""
    return "" if cpu is None else f"{times(cpu)} ({times(wall)})"


LEGEND = (
    "Wall and CPU (user + system of the process, from `wait4`) are medians over the "
    "rounds; peak memory is the largest max RSS of those runs. A ratio is the median of "
    "ratios taken within each round, CPU first and wall in brackets: `÷ floor` divides by "
    "the named import floor, `Taskwarrior ÷ chainlead` above 1 means chainlead is faster. "
    "**Verdicts use CPU**: the CPU ratios for targets relative to a floor or to "
    "Taskwarrior, the median CPU time for targets in seconds."
)


def table(title: str, rows: Sequence[Row], *, taskwarrior: bool) -> str:
    head = ["what", "wall", "CPU", "peak mem", "floor", "÷ floor: CPU (wall)"]
    if taskwarrior:
        head += [
            "Taskwarrior equivalent: what both do",
            "Taskwarrior wall",
            "Taskwarrior CPU",
            "Taskwarrior ÷ chainlead: CPU (wall)",
        ]
    head += ["target", "met?"]
    lines = [f"### {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        t = row.ours
        cells = [
            f"`{row.label}`",
            ms(t.wall) if t.ok else (t.problem or ""),
            ms(t.cpu),
            mb(t.peak),
            row.floor_name,
            both(row.floor_ratio("cpu"), row.floor_ratio("wall")),
        ]
        if taskwarrior:
            theirs = row.theirs
            shown = ""
            if theirs is not None:
                shown = ms(theirs.wall) if theirs.ok else (theirs.problem or "")
            cells += [
                row.pair,
                shown,
                ms(theirs.cpu) if theirs is not None else "",
                both(row.task_ratio("cpu"), row.task_ratio("wall")),
            ]
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
        if not k.startswith(("CHAINLEAD_", "TASK", "_CHAIN", "FAKETIME"))
        and k not in ("PYTHONDONTWRITEBYTECODE", "LD_PRELOAD")
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


def _sync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def fresh_copy(source: Path, dest: Path) -> Path:
    """Copy a SQLite file (without its -wal and -shm), on disk before this returns.

    Synced so that a timed write's own checkpoint never pays for flushing the copy.
    """
    for suffix in ("", "-wal", "-shm"):
        Path(str(dest) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, dest)
    _sync(dest)
    return dest


def floor_commands() -> dict[str, tuple[str, Command]]:
    """Name -> (label, command) of each import floor."""
    imports = {
        "cli": ("typer", "floor of start-up and completion"),
        "read": (
            "sqlite3, typer, rich.console, rich.table",
            "floor of reads, writes, export and import: plain SQL, no ORM",
        ),
        "orm": ("typer, sqlmodel, rich.console, rich.table", "the ORM stack, for comparison"),
    }
    floors = {"python": ("python -c pass", Command((PYTHON, "-c", "pass")))}
    for name, (modules, why) in imports.items():
        label = f'{name}: python -c "import {modules}"  ({why})'
        floors[name] = (label, Command((PYTHON, "-c", f"import {modules}")))
    return floors


FLOOR_OF = {
    "startup": "cli",
    "complete": "cli",
    "read": "read",
    "export": "read",  # plain SQL and chainlead's own writer: no ORM
    "write": "read",  # the target of the writes: as light as a read
    "import": "read",  # plain SQL through the store, like every other command
    "intake": "read",  # a sheet read, then plain SQL writes like `bottleneck add`
    "batch": "read",  # `bottleneck add` a hundred times in one process
}


def floor_rows(names: Sequence[str]) -> tuple[list[Row], list[tuple[Command, Timing]]]:
    rows: list[Row] = []
    commands: list[tuple[Command, Timing]] = []
    floors = floor_commands()
    for name in names:
        label, command = floors[name]
        row = Row(label, Timing(), kind="floor", floor_name=name)
        rows.append(row)
        commands.append((command, row.ours))
    return rows, commands


def verdict(timing: Timing, met: bool, why: str = "") -> str:
    if not timing.ok:
        return "not met: " + (timing.problem or "no figure")
    return "met" if met else "not met" + (f": {why}" if why else "")


def startup_rows(spawner: Spawner, env: dict[str, str], opts: argparse.Namespace) -> list[Row]:
    cl = chainlead_argv()
    rows, commands = floor_rows(("python", "cli"))
    cli = rows[-1].ours
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
        row = Row(" ".join(args), Timing(), kind="startup", floor_name="cli", floor=cli)
        rows.append(row)
        commands.append((Command((*cl, *args)), row.ours))
    run_rounds("start-up", commands, spawner, env, opts)
    for row in rows[2:]:
        t = row.ours
        row.target = "≤ 80 ms CPU"
        row.verdict = verdict(t, t.ok and t.cpu <= STARTUP_LIMIT, f"{ms(t.cpu)} CPU")  # type: ignore[operator]
    return rows


@dataclass(frozen=True)
class Pair:
    """Taskwarrior's equivalent of a chainlead command."""

    args: tuple[str, ...]
    shown: str  # the command as the table shows it (UUID for a task's uuid)
    compares: str  # what both commands do
    same: bool = True  # False: no equivalent; the row shows why, and no ratio
    nearest: bool = False  # the same question, answered with less (or more) work


@dataclass
class Case:
    label: str
    args: tuple[str, ...]
    kind: str  # complete | read | write | export | import | intake | batch
    pair: Pair | None = None
    env: tuple[tuple[str, str], ...] = ()
    applied: bool = False  # runs on a copy where `supervise --apply` already ran today


def picks(db: Path, meta: dict[str, Any]) -> dict[str, str]:
    """Records the cases work on: an open item to start, the chain's last meeting."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        open_keys = [
            key
            for (key,) in conn.execute(
                "SELECT i.key FROM item i JOIN chain c ON c.id = i.chain_id "
                "WHERE c.code = ? AND i.status = 'open' ORDER BY i.id",
                (meta["chain"],),
            )
        ]
        meeting = conn.execute(
            "SELECT m.key FROM meeting m JOIN chain c ON c.id = m.chain_id "
            "WHERE c.code = ? ORDER BY m.held_on DESC, m.id DESC LIMIT 1",
            (meta["chain"],),
        ).fetchone()
        enterprise = conn.execute(  # the enterprise that raised the item shown
            "SELECT e.name FROM item_enterprise ie JOIN item i ON i.id = ie.item_id "
            "JOIN enterprise e ON e.id = ie.enterprise_id WHERE i.key = ? "
            "ORDER BY ie.position LIMIT 1",
            (meta["key"],),
        ).fetchone()
    finally:
        conn.close()
    return {
        "open": open_keys[len(open_keys) // 2] if open_keys else meta["key"],
        "meeting": meeting[0] if meeting else f"{meta['chain']}-M1",
        "enterprise": enterprise[0] if enterprise else "",
    }


def none(why: str) -> Pair:
    return Pair((), "", f"none: {why}", same=False)


def cases_for(
    meta: dict[str, Any], chosen: dict[str, str], work: Path, uuids: dict[str, str]
) -> list[Case]:
    chain, key, today = meta["chain"], meta["key"], meta["today"]
    started = chosen["open"]
    meeting = chosen["meeting"]
    enterprise = chosen["enterprise"]
    month = today[:7]
    html = str(work / "report.html")
    pdf = str(work / "report.pdf")
    snapshot = str(work / "export.toml")
    words = f"chainlead bottleneck show {key[:-1]}"
    uuid, uuid_started = uuids.get(key, key), uuids.get(started, started)
    title, unit, note = "配套企业用电增容", "区发展和改革局", "已与责任单位对接"
    return [
        Case(
            "complete KEY<TAB>",
            (),
            "complete",
            none("not paired"),
            env=(
                ("_CHAINLEAD_COMPLETE", "complete_bash"),
                ("COMP_WORDS", words),
                ("COMP_CWORD", "3"),
            ),
        ),
        Case(
            "chain list",
            ("chain", "list"),
            "read",
            Pair(("summary",), "task summary", "one line per chain (project) with its counts"),
        ),
        Case(
            f"chain show {chain}",
            ("chain", "show", chain),
            "read",
            none("Taskwarrior keeps no teams"),
        ),
        Case(
            f"team list {chain}",
            ("team", "list", chain),
            "read",
            none("Taskwarrior keeps no teams"),
        ),
        Case("schedule list", ("schedule", "list"), "read", none("Taskwarrior keeps no meetings")),
        Case(
            f"schedule show {meeting}",
            ("schedule", "show", meeting),
            "read",
            none("Taskwarrior keeps no meetings"),
        ),
        Case(
            f"schedule agenda {chain}",
            ("schedule", "agenda", chain),
            "read",
            none("Taskwarrior keeps no meetings"),
        ),
        Case(
            f"schedule missing --month {month}",
            ("schedule", "missing", "--month", month),
            "read",
            none("Taskwarrior keeps no meetings"),
        ),
        Case(
            "bottleneck list",
            ("bottleneck", "list"),
            "read",
            Pair(("list",), "task list", "every open item (pending task)"),
        ),
        Case(
            "bottleneck list (terminal, 80 columns)",
            ("bottleneck", "list"),
            "read",
            none("not paired (FORCE_COLOR: a terminal; a page of 50)"),
            env=(("FORCE_COLOR", "1"), ("COLUMNS", "80")),
        ),
        Case(  # the week's activity log, a page of it (target: 0.3 s at 100k)
            "log --since -7d (terminal, 80 columns)",
            ("log", "--since", "-7d"),
            "read",
            none("not paired (FORCE_COLOR: a terminal; a page of 50)"),
            env=(("FORCE_COLOR", "1"), ("COLUMNS", "80")),
        ),
        Case(
            f"bottleneck list --overdue --chain {chain}",
            ("bottleneck", "list", "--overdue", "--chain", chain),
            "read",
            Pair(
                (f"project:{chain}", "+OVERDUE", "list"),
                f"task project:{chain} +OVERDUE list",
                "one chain's open items past their time limit",
            ),
        ),
        Case(  # the search index (migration 0009): two characters, any text, ranked
            "search 用电",
            ("search", "用电"),
            "read",
            Pair(
                ("/用电/", "list"),
                "task /用电/ list",
                "pending tasks whose description has the word (chainlead: every text, ranked)",
                nearest=True,
            ),
        ),
        Case(
            f"bottleneck show {key}",
            ("bottleneck", "show", key),
            "read",
            Pair((uuid, "info"), "task UUID info", "one item with its history"),
        ),
        Case(
            f"report monthly --month {month}",
            ("report", "monthly", "--month", month),
            "read",
            Pair(
                ("history.monthly",),
                "task history.monthly",
                "a report by month over every item (Taskwarrior counts added, "
                "done and deleted; chainlead adds meetings and a panel per chain)",
                nearest=True,
            ),
        ),
        Case(  # the report's data: scoreboard, key figures, the whole red list, ranking
            f"report monthly --month {month} --json",
            ("report", "monthly", "--month", month, "--json"),
            "read",
            none("Taskwarrior counts no scoreboard, red list or ranking"),
        ),
        Case(
            "report follow-ups",
            ("report", "follow-ups"),
            "read",
            none("Taskwarrior keeps no follow-ups"),
        ),
        Case("enterprise list", ("enterprise", "list"), "read", none("no enterprise records")),
        Case(
            "enterprise show E",
            ("enterprise", "show", enterprise),
            "read",
            none("no enterprise records"),
        ),
        Case(
            "bottleneck list --enterprise E",
            ("bottleneck", "list", "--enterprise", enterprise),
            "read",
            none("Taskwarrior keeps no enterprise records"),
        ),
        Case(  # every item open now: one sheet per chain, a summary sheet
            "bottleneck list --xlsx F",
            ("bottleneck", "list", "--lang", "zh", "--xlsx", str(work / "ledger.xlsx")),
            "read",
            none("Taskwarrior writes no workbook"),
        ),
        Case(  # the scoreboard, the red list, every chain's ledger, the institutions
            "report monthly --xlsx F",
            ("report", "monthly", "--month", month, "--lang", "zh", "--xlsx", str(work / "m.xlsx")),
            "read",
            none("Taskwarrior writes no workbook"),
        ),
        Case(  # the IC chain's map: 30 links, 150 enterprises (benchmarks/generate.py)
            "chain map",
            ("chain", "map", "IC"),
            "read",
            none("Taskwarrior keeps no chain map"),
        ),
        Case(  # about 1,000 chain projects in the 10k district, one per ten items
            "project list --status all",
            ("project", "list", "--status", "all"),
            "read",
            none("Taskwarrior keeps no chain projects"),
        ),
        Case(
            "report monthly --html F",
            ("report", "monthly", "--month", month, "--html", html),
            "read",
            none("Taskwarrior writes no printable report"),
        ),
        Case(  # the Word bulletin (render.report_docx); target: 3 s at 10k
            "report monthly --docx F",
            ("report", "monthly", "--month", month, "--docx", str(work / "report.docx")),
            "read",
            none("Taskwarrior writes no Word document"),
        ),
        Case(  # one item's supervision sheet as a Word document (python-docx)
            f"bottleneck sheet {key} --docx F",
            ("bottleneck", "sheet", key, "--lang", "zh", "--docx", str(work / "sheet.docx")),
            "read",
            none("Taskwarrior writes no documents"),
        ),
        Case(  # the A4 handout printed by headless Chromium (target: 3 s at 10k)
            "report monthly --pdf F",
            ("report", "monthly", "--month", month, "--lang", "zh", "--pdf", pdf),
            "read",
            none("Taskwarrior writes no printable report"),
        ),
        Case(
            "report overdue",
            ("report", "overdue"),
            "read",
            Pair(
                ("+OVERDUE", "list"),
                "task +OVERDUE list",
                "the open items past their time limit, every chain (chainlead shows 20 "
                "per institution on the terminal)",
                nearest=True,
            ),
        ),
        Case(
            "supervise",
            ("supervise",),
            "read",
            none("Taskwarrior has no supervision ladder"),
        ),
        Case(
            "supervise --apply (applied day)",
            ("supervise", "--apply"),
            "write",
            none("Taskwarrior has no supervision ladder"),
            applied=True,
        ),
        Case(
            "bottleneck add",
            ("bottleneck", "add", chain, title, "--unit", unit, "--new-unit", "--due", "+30d"),
            "write",
            Pair(
                ("add", f"project:{chain}", "due:30d", title),
                f"task add project:{chain} due:30d {title}",
                "add one item to a chain (project) with a time limit",
            ),
        ),
        Case(
            f"bottleneck note {key}",
            ("bottleneck", "note", key, note),
            "write",
            Pair((uuid, "annotate", note), f"task UUID annotate {note}", "a note on one item"),
        ),
        Case(
            f"bottleneck start {started}",
            ("bottleneck", "start", started),
            "write",
            Pair((uuid_started, "start"), "task UUID start", "mark one item's work started"),
        ),
        Case(  # a bulk change: every open item of the chain, one process, one transaction
            f"bottleneck urge --chain {chain} --all-matching --yes",
            ("bottleneck", "urge", "--chain", chain, "--all-matching", "--yes"),
            "write",
            Pair(
                (f"project:{chain}", "status:pending", "modify", "+urged"),
                f"task project:{chain} status:pending modify +urged",
                "mark every open item of a chain (project) at once",
            ),
        ),
        Case(
            "undo --list",
            ("undo", "--list"),
            "read",
            none("Taskwarrior's undo reverts the last change without a list"),
        ),
        Case(
            "chain add",
            ("chain", "add", "BX", "基准测试链", "--leader", "李明", "--responsible", "张伟"),
            "write",
            none("a project is only a field of its tasks"),
        ),
        Case(
            f"schedule add {chain}",
            ("schedule", "add", chain, "--summary", "基准测试", "--decision", unit + "牵头"),
            "write",
            none("Taskwarrior keeps no meetings"),
        ),
        Case(
            "export F",
            ("export", snapshot),
            "export",
            Pair(
                ("export",),
                "task export",
                "every record as text (chainlead: TOML to a file; Taskwarrior: JSON)",
            ),
        ),
        Case(
            f"intake {INTAKE_ROWS // 1000}k-row sheet --chain {chain}",
            ("intake", str(work / "demands.xlsx"), "--chain", chain),
            "intake",
            none("Taskwarrior reads no spreadsheet"),
        ),
        Case(  # a breakfast meeting's demands in one file: one process, one transaction
            f"batch of {BATCH_LINES} bottleneck add lines",
            ("batch", str(work / "adds.txt")),
            "batch",
            none("Taskwarrior runs one command a process"),
        ),
        Case(
            "import F (empty db)",
            ("import", snapshot, "--max-size", "2G"),
            "import",
            Pair(("import", "TASKS.json"), "task import", "every record into an empty store"),
        ),
    ]


# --------------------------------------------------------------------------- Taskwarrior


def faketime_library() -> str | None:
    for pattern in FAKETIME_LIBS:
        found = sorted(glob.glob(pattern))
        if found:
            return found[0]
    return None


class Taskwarrior:
    """A Taskwarrior data folder holding the district's items."""

    def __init__(self, folder: Path, clock: tuple[tuple[str, str], ...] = ()) -> None:
        self.folder = folder
        self.rc = folder / "taskrc"
        self.clock = clock  # LD_PRELOAD and FAKETIME: the district's date

    def env(self) -> tuple[tuple[str, str], ...]:
        return (
            ("TASKRC", str(self.rc)),
            ("TASKDATA", str(self.folder / "data")),
            *self.clock,
        )

    def _write_rc(self) -> None:
        self.rc.write_text(
            f"data.location={self.folder / 'data'}\n"
            "confirmation=no\nhooks=off\nverbose=nothing\nnews.version=2.6.0\n"
        )

    def reset(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        (self.folder / "data").mkdir(parents=True)
        self._write_rc()

    def restore(self, source: Taskwarrior) -> None:
        """Make this folder a synced copy of ``source``'s data."""
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.copytree(source.folder / "data", self.folder / "data")
        for path in (self.folder / "data").iterdir():
            if path.is_file():
                _sync(path)
        self._write_rc()

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
                "due": stamp(due + " 23:59:59"),  # overdue from the next day, as in chainlead
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


TW_FORMAT = "due at 23:59:59"  # in the marker: a folder loaded otherwise is loaded again


def taskwarrior_for(
    size: str, meta: dict[str, Any], source: Path, env: dict[str, str], task_json: Path
) -> tuple[Taskwarrior | None, dict[str, str]]:
    """The loaded Taskwarrior folder on the district's date, and item key -> uuid."""
    library = faketime_library()
    clock: tuple[tuple[str, str], ...] = ()
    if library:
        clock = (("LD_PRELOAD", library), ("FAKETIME", f"@{meta['today']} 12:00:00"))
    elif meta["today"] != date.today().isoformat():
        print(
            f"--taskwarrior: the {size} district is dated {meta['today']} and libfaketime "
            "is not installed (apt-get install libfaketime) to give Taskwarrior that date; "
            "timing chainlead only (or make the district again with generate.py)",
            file=sys.stderr,
        )
        return None, {}
    tw = Taskwarrior(DATA / f"task-{size}", clock)
    keys = taskwarrior_json(source, task_json)
    marker = tw.folder / "loaded"
    stamp = f"{source.stat().st_mtime} {TW_FORMAT}"
    if not marker.exists() or marker.read_text() != stamp:
        print(f"loading {len(keys):,} items into Taskwarrior ...", file=sys.stderr)
        tw.reset()
        for args in (("import", str(task_json)), ("list",)):  # list: its garbage collection
            subprocess.run(
                tw.argv(*args),
                env={**env, **dict(tw.env())},
                check=args[0] == "import",
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        marker.write_text(stamp)
    return tw, keys


def applied_db(source: Path, dest: Path, env: dict[str, str]) -> Path:
    """A copy of the district on which ``supervise --apply`` has run today (made once)."""
    if not dest.exists():
        fresh_copy(source, dest)
        subprocess.run(
            (*chainlead_argv(), "--db", str(dest), "supervise", "--apply"),
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return dest


def run_size(
    size: str, spawner: Spawner, opts: argparse.Namespace, task: bool
) -> tuple[list[Row], dict[str, Any], bool]:
    """The rows of one size, and whether Taskwarrior was timed."""
    meta = load_meta(size)
    env = base_env(meta["today"])
    work = Path(tempfile.mkdtemp(prefix=f"chainlead-bench-{size}-"))
    source = DATA / f"district-{size}.db"
    reads_db = fresh_copy(source, work / "read.db")  # reads never change it, but a copy is cheap
    writes_db = work / "write.db"
    empty_db = work / "empty.db"
    empty_template = work / "empty-template.db"
    cl = chainlead_argv()
    subprocess.run(
        (*cl, "--db", str(empty_template), "init"),
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    task_json = DATA / f"task-{size}.json"
    tw, uuids = taskwarrior_for(size, meta, source, env, task_json) if task else (None, {})
    tw_writes = Taskwarrior(work / "task-write", tw.clock) if tw else None
    tw_empty = Taskwarrior(work / "task-empty", tw.clock) if tw else None

    rows, commands = floor_rows(("python", "cli", "read", "orm"))
    floors = {row.floor_name: row.ours for row in rows}
    demand_sheet(work / "demands.xlsx", meta["today"])
    batch_file(work / "adds.txt", meta["chain"])

    def restore_writes() -> None:
        fresh_copy(source, writes_db)

    def restore_empty() -> None:
        fresh_copy(empty_template, empty_db)

    for case in cases_for(meta, picks(source, meta), work, uuids):
        prepare: Callable[[], None] | None = None
        if case.applied:
            # The day's steps are recorded once, untimed; every timed run then
            # takes the ladder's write lock and finds nothing left to record.
            db = applied_db(source, work / "applied.db", env)
        elif case.kind in ("write", "intake", "batch"):
            db, prepare = writes_db, restore_writes
        elif case.kind == "import":
            db, prepare = empty_db, restore_empty
        else:
            db = reads_db
        if case.kind == "complete":
            command = Command((*cl, *case.args), (*case.env, ("CHAINLEAD_DB", str(db))))
        else:
            command = Command((*cl, "--db", str(db), *case.args), case.env, prepare)
        floor = FLOOR_OF[case.kind]
        row = Row(case.label, Timing(), case.kind, floor, floors[floor])
        commands.append((command, row.ours))
        if case.pair is not None:
            row.paired = case.pair.same
            row.pair = case.pair.compares
            if case.pair.same:
                nearest = " (nearest)" if case.pair.nearest else ""
                row.pair = f"`{case.pair.shown}`{nearest}: {case.pair.compares}"
        if tw is not None and tw_writes is not None and tw_empty is not None and row.paired:
            assert case.pair is not None
            folder, args = tw, case.pair.args
            tw_prepare: Callable[[], None] | None = None
            if case.kind == "write":
                folder = tw_writes
                tw_prepare = partial(tw_writes.restore, tw)
            elif case.kind == "import":
                folder, args, tw_prepare = tw_empty, ("import", str(task_json)), tw_empty.reset
            # a report or filter that finds nothing exits with 1
            accept = (0, 1) if case.kind == "read" else (0,)
            theirs = Command(folder.argv(*args), folder.env(), tw_prepare, accept)
            row.theirs = Timing()
            commands.append((theirs, row.theirs))
        rows.append(row)
    try:
        run_rounds(size, commands, spawner, env, opts)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    judge(size, rows)
    return rows, meta, tw is not None


def judge(size: str, rows: list[Row]) -> None:
    """Mark each row's target of issue 8 for this size, on CPU figures."""
    for row in rows:
        t = row.ours
        name = row.label
        if row.kind == "complete" and size == "100k":
            row.target = "≤ 150 ms CPU"
            row.verdict = verdict(t, t.ok and t.cpu <= COMPLETION_LIMIT, f"{ms(t.cpu)} CPU")  # type: ignore[operator]
        elif size == "1k" and row.kind in ("read", "write"):
            bound = FLOOR_RATIO if row.kind == "read" else WRITE_RATIO
            row.target = f"≤ {bound}× {row.floor_name} floor"
            cpu, wall = row.floor_ratio("cpu"), row.floor_ratio("wall")
            why = f"{times(cpu)} the {row.floor_name} floor in CPU ({times(wall)} wall)"
            row.verdict = verdict(t, cpu is not None and cpu <= bound, why)
        elif size == "100k" and name.startswith(
            (
                "bottleneck list --overdue",
                "bottleneck show",
                "report overdue",
                "report monthly --month",
            )
        ):
            row.target = f"≤ 0.6 s CPU, ≥ {TASK_FACTOR:g}× faster than Taskwarrior"
            reasons = []
            if t.ok and t.cpu > BIG_READ_LIMIT:  # type: ignore[operator]
                reasons.append(f"{ms(t.cpu)} CPU > 600 ms")
            factor = row.task_ratio("cpu")
            if factor is not None:
                if factor < TASK_FACTOR:
                    reasons.append(f"only {times(factor)} faster than Taskwarrior in CPU")
            elif row.theirs is None:
                reasons.append("Taskwarrior not timed (run with --taskwarrior)")
            else:
                reasons.append("no Taskwarrior figure: " + (row.theirs.problem or "none"))
            row.verdict = verdict(t, t.ok and not reasons, "; ".join(reasons))
        elif row.kind == "intake":
            row.target = f"≤ {INTAKE_LIMIT:g} s CPU, ≤ {INTAKE_MEMORY // 2**20} MB"
            met = t.ok and t.cpu <= INTAKE_LIMIT and (t.peak or 0) <= INTAKE_MEMORY  # type: ignore[operator]
            row.verdict = verdict(t, met, f"{ms(t.cpu)} CPU, {mb(t.peak)}" if t.ok else "")
        elif row.kind == "batch":
            row.target = f"≤ {BATCH_LIMIT:g} s CPU"
            met = t.ok and t.cpu <= BATCH_LIMIT  # type: ignore[operator]
            row.verdict = verdict(t, met, f"{ms(t.cpu)} CPU, {ms(t.wall)} wall" if t.ok else "")
        elif size == "100k" and row.kind in ("export", "import"):
            limit = EXPORT_LIMIT if row.kind == "export" else IMPORT_LIMIT
            row.target = f"≤ {limit:g} s CPU, ≤ 500 MB"
            met = t.ok and t.cpu <= limit and (t.peak or 0) <= MEMORY_LIMIT  # type: ignore[operator]
            row.verdict = verdict(t, met, f"{ms(t.cpu)} CPU, {mb(t.peak)}" if t.ok else "")


def demand_sheet(path: Path, today: str, rows: int = INTAKE_ROWS) -> None:
    """A team's demand sheet of ``rows`` rows for the intake row: Chinese headers, Excel
    dates, the district's institutions, one enterprise for every five demands."""
    from datetime import timedelta

    from generate import UNITS
    from openpyxl import Workbook

    day = date.fromisoformat(today)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("诉求清单")
    sheet.append(["序号", "诉求编号", "企业名称", "诉求内容", "详细情况", "责任单位", "提出日期",
                  "办理时限", "类别", "联系人"])  # fmt: skip
    for n in range(1, rows + 1):
        sheet.append(
            [
                n,
                f"BENCH-{n:05d}",
                f"江宁基准企业{n // 5:04d}有限公司",
                f"第{n}项诉求：扩产用地指标不足，需协调解决",
                "企业扩产需新增用地约30亩，现有指标不足；希望年内完成供地。",
                UNITS[n % len(UNITS)],
                day - timedelta(days=n % 30),
                day + timedelta(days=30 + n % 90),
                ("用地", "用电", "融资", "人才", "审批")[n % 5],
                "张三 13800000000",
            ]
        )
    book.save(path)


def batch_file(path: Path, chain: str, lines: int = BATCH_LINES) -> None:
    """A batch file of ``lines`` items added to ``chain``, as a breakfast meeting's
    demands are written down: a comment, quoted Chinese titles, relative time limits."""
    text = [f"# {lines} demands from one breakfast meeting"]
    for n in range(1, lines + 1):
        text.append(
            f'bottleneck add {chain} "早餐会诉求第{n}项：配套企业用电增容" '
            "--unit 区发展和改革局 --new-unit --due +30d --source breakfast"
        )
    path.write_text("\n".join(text) + "\n", encoding="utf-8")


def judge_growth(small: Row | None, big: Row | None) -> None:
    """``bottleneck add`` at 100k against 1k: each as a ratio to its floor, in CPU.

    The two sizes run in different rounds, so each is first divided by the floor
    timed in its own rounds.
    """
    if small is None or big is None:
        return
    big.target = f"≤ {ADD_GROWTH}× add at 1k (each ÷ its floor)"
    at_1k, at_100k = small.floor_ratio("cpu"), big.floor_ratio("cpu")
    if at_1k is None or at_100k is None:
        big.verdict = verdict(big.ours, False, "no figure at 1k" if at_1k is None else "")
        return
    growth = at_100k / at_1k
    big.verdict = verdict(big.ours, growth <= ADD_GROWTH, f"{growth:.2f}× add at 1k")
    if growth <= ADD_GROWTH:
        big.verdict += f" ({growth:.2f}×)"


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

    from chainlead.store import connection as light  # the plain-SQL reads (no ORM)

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
    if shutil.which("task"):
        out = subprocess.run(["task", "--version"], capture_output=True, text=True).stdout
        versions.append(f"Taskwarrior {out.strip()}")
    if faketime_library():
        versions.append("libfaketime")
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
    parser.add_argument(
        "--rounds", "--runs", type=int, default=5, help="timed rounds per group (≥ 5 to publish)"
    )
    parser.add_argument(
        "--warmup", type=int, default=1, help="rounds before timing (the check pass is one)"
    )
    parser.add_argument("--seed", type=int, help="seed of the order in each round [random]")
    parser.add_argument("--taskwarrior", action="store_true", help="time Taskwarrior too")
    parser.add_argument("--results", type=Path, help="also write the tables to this Markdown file")
    parser.add_argument("--explain", nargs=argparse.REMAINDER, help="chainlead ARGS: SQL and plans")
    opts = parser.parse_args(argv)
    if opts.explain is not None:
        return explain(opts.explain)
    if opts.rounds < 1:
        parser.error("--rounds: at least 1")
    if opts.seed is None:
        opts.seed = random.SystemRandom().randrange(1, 1_000_000)
    print(f"order seed {opts.seed} (--seed {opts.seed} repeats the orders)", file=sys.stderr)
    sys.path.insert(0, str(HERE))
    from generate import parse_sizes

    sizes = parse_sizes(opts.sizes)
    task = opts.taskwarrior and shutil.which("task") is not None
    if opts.taskwarrior and not task:
        print("--taskwarrior: `task` is not installed; timing chainlead only", file=sys.stderr)
    started = datetime.now()
    load_at_start = f"{os.getloadavg()[0]:.1f}"
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "chainlead")], check=True)
    spawner = Spawner()
    try:
        print("start-up ...", file=sys.stderr)
        startup = startup_rows(spawner, base_env(date.today().isoformat()), opts)
        results: dict[str, list[Row]] = {}
        metas: dict[str, dict[str, Any]] = {}
        timed_task: dict[str, bool] = {}
        for size in sizes:
            print(f"{size} ...", file=sys.stderr)
            results[size], metas[size], timed_task[size] = run_size(size, spawner, opts, task)
    finally:
        spawner.close()
    if "1k" in results and "100k" in results:
        judge_growth(
            next((r for r in results["1k"] if r.label == "bottleneck add"), None),
            next((r for r in results["100k"] if r.label == "bottleneck add"), None),
        )
    sections = [table("Start-up (no database)", startup, taskwarrior=False)]
    for size in sizes:
        m = metas[size]
        title = (
            f"{m['items']:,} items ({m['events']:,} events, {m['chains']} chains, "
            f"{m['meetings']:,} meetings; {m['bytes'] / 1024 / 1024:.0f} MB database; "
            f"today {m['today']})"
        )
        sections.append(table(title, results[size], taskwarrior=timed_task[size]))
    minutes = (datetime.now() - started).seconds // 60
    clock = (
        " Taskwarrior's clock is set to noon of the district's date with libfaketime."
        if task and faketime_library()
        else ""
    )
    header = [
        "## Results",
        "",
        f"Machine: {machine()}.",
        "",
        f"Command: `python benchmarks/run.py --sizes {','.join(sizes)} --rounds {opts.rounds} "
        f"--warmup {opts.warmup} --seed {opts.seed}"
        + (" --taskwarrior" if opts.taskwarrior else "")
        + f"` ({started:%Y-%m-%d %H:%M}, took {minutes} min; each group's commands, its "
        f"import floors and Taskwarrior's equivalents run once per round in a shuffled order, "
        f"{plural(opts.rounds, 'timed round')} after {plural(max(opts.warmup, 1), 'warm-up')}).",
        "",
        f"Load average (1 min): {load_at_start} at the start, {os.getloadavg()[0]:.1f} at "
        f"the end.{clock}",
        "",
        LEGEND,
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
