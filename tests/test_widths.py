"""The terminal at 60 to 200 columns, with a Chinese district (the benchmark's).

What a person reads is checked by reading the printed lines, not the
renderer's input: no line ends in a space, no closing mark begins a cell's
line, no CJK character sits alone on a cell's continuation line, no person's
name (from the database) is split or cut, no number or date is cut, and the
trend chart prints each month's counts whole. Paging: on a terminal (a
pseudo-terminal here) the item list stops after a page; into a pipe it gives
every row.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from chainlead.cli import app
from chainlead.render.wrap import fold_lines, is_ideograph

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-12-01"
WIDTHS = (60, 80, 100, 120, 200)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
# A cell's text: runs of characters apart by one space at most (cells are two
# or more spaces apart).
FRAGMENT = re.compile(r"\S+(?: \S+)*")
CLOSING = "，。、；：！？）》」』】〕"
CUT_DATE = re.compile(r"(?<!\d)\d{4}-(?:\d?|\d\d-\d?)$")

runner = CliRunner()


@pytest.fixture(
    scope="session", params=["1k", pytest.param("10k", marks=pytest.mark.slow)], ids=str
)
def district(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's Chinese district, built once per session."""
    size = request.param
    out = tmp_path_factory.mktemp(f"district-{size}")
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), "--sizes", size]
        + ["--out", str(out), "--today", TODAY, "--seed", "8"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out / f"district-{size}.db"


def names_of(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM person")}
    finally:
        conn.close()


def meta_of(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text())


def shown(path: Path, width: int, *args: str) -> str:
    result = runner.invoke(
        app,
        ["--db", str(path), *args],
        env={"COLUMNS": str(width), "CHAINLEAD_TODAY": TODAY, "NO_COLOR": "1"},
    )
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def fragments(line: str) -> list[tuple[int, str]]:
    """The cells' texts of a line, each with the terminal cell it starts at."""
    return [(cell_len(line[: m.start()]), m.group()) for m in FRAGMENT.finditer(line)]


def lone(text: str) -> bool:
    """One CJK character, with closing marks at most."""
    core = text.rstrip(CLOSING + "…")
    return len(core) == 1 and is_ideograph(core)


def inside(line: str) -> str:
    """A line without a card's frame."""
    return line.strip("│╭╮╰╯") if line.startswith("│") else line


def problems(text: str, width: int, names: set[str]) -> list[str]:
    """What a person would see wrong in ``text`` printed ``width`` columns wide."""
    found: list[str] = []
    lines = text.split("\n")
    for line in lines:
        if line != line.rstrip():
            found.append(f"trailing space: {line!r}")
        if cell_len(line) > width:
            found.append(f"wider than {width}: {line!r}")
        if re.search(r"\d…", line):
            found.append(f"a number cut: {line!r}")
    blocks: list[list[str]] = [[]]
    for line in map(inside, lines):
        if not line.strip() or set(line.strip()) <= set("─━"):
            blocks.append([])
        else:
            blocks[-1].append(line)
    for block in filter(None, blocks):
        indent = min(len(line) - len(line.lstrip()) for line in block)
        above: dict[int, str] = {}
        for line in block:
            continued = len(line) - len(line.lstrip()) > indent
            cells = fragments(line)
            for start, fragment in cells:
                if fragment[0] in CLOSING:
                    found.append(f"closing mark first: {fragment!r} in {line!r}")
                if continued and lone(fragment):
                    found.append(f"one character alone: {fragment!r} in {line!r}")
                if CUT_DATE.search(fragment) and start in above:
                    found.append(f"a date cut: {fragment!r} in {line!r}")
                if fragment.endswith("…") and any(
                    n.startswith(fragment[:-1].split()[-1]) for n in names if fragment[:-1]
                ):
                    found.append(f"a name cut: {fragment!r}")
                if start in above:  # the same cell's line above
                    joined = above[start].split()[-1] + fragment.split()[0]
                    for name in names:
                        if name in joined and name not in above[start] and name not in fragment:
                            found.append(f"name {name} split: {above[start]!r} / {fragment!r}")
            above = dict(cells)
    return found


COMMANDS = (
    ("bottleneck", "list"),
    ("bottleneck", "list", "--chain", "{chain}", "--status", "all"),
    ("bottleneck", "show", "{key}"),
    ("schedule", "show", "{chain}-M3"),
    ("schedule", "agenda", "{chain}"),
    ("chain", "list"),
    ("chain", "show", "{chain}"),
    ("config", "show"),
    ("report", "overdue"),
    ("--lang", "zh", "report", "overdue"),
)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_screen_reads_whole_at_each_width(district: Path, width: int) -> None:
    meta = meta_of(district)
    names = names_of(district)
    for command in COMMANDS:
        args = [part.format(chain=meta["chain"], key=meta["key"]) for part in command]
        text = shown(district, width, *args)
        assert text.strip(), args
        assert problems(text, width, names) == [], (args, width)


def trend_lines(text: str) -> dict[str, list[tuple[int, str]]]:
    """Each month's line of the trend chart: each series' count and bar."""
    found = {}
    for line in text.splitlines():
        if re.match(r"  \d{4}-\d\d  ", line):
            month, rest = line.split(None, 1)
            found[month] = [(int(n), bar) for n, bar in re.findall(r"(\d+) ?([█▏▎▍▌▋▊▉]*)", rest)]
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_monthly_report_reads_whole(district: Path, width: int, lang: str) -> None:
    text = shown(district, width, "--lang", lang, "report", "monthly")
    assert problems(text, width, names_of(district)) == []
    trend = json.loads(shown(district, width, "report", "monthly", "--json"))["trend"]
    drawn = trend_lines(text)
    bars: dict[tuple[int, str], set[int]] = {}
    for month in trend:
        series = drawn[month["month"]]
        counts = [month["raised"], month["resolved"], month["open_at_end"]]
        assert [count for count, _ in series] == counts  # every count whole
        for scale, (count, bar) in zip((0, 0, 1), series, strict=True):
            assert bool(bar) == bool(count)
            bars.setdefault((scale, bar), set()).add(count)
    # Two different counts never draw one length of bar (on one scale).
    assert all(len(counts) == 1 for counts in bars.values()), bars
    chart = text[text.index(trend[0]["month"]) - 400 : text.index(trend[-1]["month"])]
    assert "…" not in chart


def test_trend_headings_abbreviated_with_a_legend_when_narrow(district: Path) -> None:
    text = shown(district, 60, "report", "monthly")
    assert "Ra = Raised   Re = Resolved   Op = Open at month end" in text
    assert "  Month     Ra" in text
    wide = shown(district, 100, "report", "monthly")
    assert "Ra = Raised" not in wide
    assert "  Month     Raised" in wide and "Open at month end" in wide


# --------------------------------------------------------------------------- the list


def count_line(rows: list[dict]) -> str:
    lights = [row["light"] for row in rows]
    red, yellow, green = (lights.count(light) for light in ("red", "yellow", "green"))
    return f"{len(rows)} items: {red} red, {yellow} yellow, {green} green"


@pytest.mark.parametrize("width", [60, 80])
def test_list_when_narrow_keeps_key_light_days_over_and_title(district: Path, width: int) -> None:
    rows = json.loads(shown(district, width, "bottleneck", "list", "--json"))
    text = shown(district, width, "bottleneck", "list")
    lines = {
        line.split()[0]: line for line in text.splitlines() if re.match(r"  [A-Z]+-\d+ ", line)
    }
    for row in rows[:20]:
        line = lines[row["key"]]
        assert row["light"] in line.split()
        assert re.search(rf"\b{abs(row['days_over'])} ?d\b", line), line
        assert row["title"][:3] in line
        assert row["due_on"] not in line  # the days over stand for the due date


def test_list_into_a_pipe_gives_every_row_and_a_count_line(district: Path) -> None:
    rows = json.loads(shown(district, 100, "bottleneck", "list", "--json"))
    text = shown(district, 100, "bottleneck", "list")
    keys = [line.split()[0] for line in text.splitlines() if re.match(r"  [A-Z]+-\d+ ", line)]
    assert keys == [row["key"] for row in rows]
    assert len(rows) > 50
    assert text.splitlines()[-1] == count_line(rows)
    assert "--all to list them" not in text
    csv = shown(district, 100, "bottleneck", "list", "--csv")
    assert len(csv.splitlines()) == len(rows) + 1


def terminal(path: Path, *args: str, columns: int = 100) -> str:
    """What ``chainlead`` prints on a (pseudo-)terminal."""
    main, side = pty.openpty()
    env = {
        **os.environ,
        "COLUMNS": str(columns),
        "LINES": "50",
        "CHAINLEAD_TODAY": TODAY,
        "TERM": "xterm",
    }
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "chainlead", "--db", str(path), *args],
        stdin=side,
        stdout=side,
        stderr=side,
        env=env,
        close_fds=True,
    )
    os.close(side)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert process.wait(timeout=60) == 0
    return ANSI.sub("", b"".join(chunks).decode()).replace("\r\n", "\n")


def item_keys(text: str) -> list[str]:
    return [line.split()[0] for line in text.splitlines() if re.match(r"  [A-Z]+-\d+ ", line)]


def test_list_on_a_terminal_stops_at_a_page(district: Path) -> None:
    rows = json.loads(shown(district, 100, "bottleneck", "list", "--json"))
    text = terminal(district, "bottleneck", "list")
    assert item_keys(text) == [row["key"] for row in rows[:50]]  # the most overdue first
    lines = text.rstrip("\n").splitlines()
    assert lines[-2] == f"… and {len(rows) - 50} more (--all to list them)"
    assert lines[-1] == count_line(rows)  # the count line counts every row

    ten = terminal(district, "bottleneck", "list", "--limit", "10")
    assert item_keys(ten) == [row["key"] for row in rows[:10]]
    assert f"… and {len(rows) - 10} more" in ten

    every = terminal(district, "bottleneck", "list", "--all")
    assert item_keys(every) == [row["key"] for row in rows]
    assert "--all to list them" not in every


# --------------------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("区生态环境分局", 12, ["区生态环境", "分局"]),
        ("（金陵智算科技有限公司）", 22, ["（金陵智算科技有限", "公司）"]),
        ("(金陵智算科技有限公司)", 21, ["(金陵智算科技有限", "公司)"]),
        (
            "高端人才落户与子女入学困难，请协调。",
            10,
            ["高端人才落", "户与子女入", "学困难，请", "协调。"],
        ),
        (
            "Ministry of Industry and Information",
            12,
            ["Ministry of", "Industry and", "Information"],
        ),
        ("supercalifragilistic", 8, ["supercal", "ifragili", "stic"]),  # only a word too long
        ("Ｆｕｌｌ－ｗｉｄｔｈ 和", 20, ["Ｆｕｌｌ－ｗｉｄｔｈ", "和"]),
        ("工业和信息化局 Information", 16, ["工业和信息化局", "Information"]),
    ],
)
def test_folding_rules(text: str, width: int, lines: list[str]) -> None:
    assert fold_lines(text, width) == lines
