"""The long-list table (``render.longtable``): whole outputs held in golden files,
and the behaviour they rest on (fits the width, CJK aligned by cells, words kept
whole, no trailing spaces, colour only on a terminal).

After a deliberate change of layout, write the golden files again with
``UPDATE_GOLDEN=1 python -m pytest tests/test_longtable.py`` and read the diff.
"""

from __future__ import annotations

import io
import os
import random
import re
from datetime import date
from pathlib import Path

import pytest
from report_data import build_district
from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from chainlead.domain.reports import monthly_report, overdue_report
from chainlead.domain.views import ItemRow
from chainlead.render.items import ItemsTable
from chainlead.render.labels import Labels
from chainlead.render.longtable import LongTable, plain_text, shrink, wrap
from chainlead.render.report import chain_panel, monthly_renderable, overdue_renderable
from chainlead.store.database import open_database

GOLDEN = Path(__file__).resolve().parent / "golden"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def console(width: int, *, colour: bool = False) -> Console:
    return Console(
        file=io.StringIO(),
        width=width,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
        markup=False,
        emoji=False,
        highlight=False,
    )


def printed(renderable: RenderableType, width: int, *, colour: bool = False) -> str:
    drawn = console(width, colour=colour)
    drawn.print(renderable)
    return drawn.file.getvalue()  # type: ignore[attr-defined]


def piped(renderable: RenderableType, width: int) -> str:
    """What goes into a pipe: the report path (``plain_text``)."""
    text = plain_text(console(width), renderable)
    assert text is not None
    return text


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed (UPDATE_GOLDEN=1 rewrites)"


# --------------------------------------------------------------------------- golden files


def item_rows() -> list[ItemRow]:
    titles = [
        "晶圆级封装生产线电力容量不足",
        "Power for the packaging line",
        "产业链🔌电力😀容量不足 emoji",
        "Ｆｕｌｌ－ｗｉｄｔｈ 和 ASCII",
        "出口订单物流成本上升 (锐联汽车零部件有限公司)",
        "supercalifragilisticexpialidocious permits for the clean room",
        "高端人才落户与子女入学困难" * 2,
        "Road access",
    ]
    units = [
        "区发展和改革局",
        "State Grid Jiangning Power Supply Company",
        "区自然资源和规划分局",
        "Commerce",
        "Ｕｎｉｔ",
    ]
    owners = [None, "王芳", "Zhou Lan", "欧阳明月"]
    statuses = ["open", "in_progress", "blocked", "open"]
    return [
        ItemRow(
            key=f"IC-{n}",
            chain="IC",
            title=titles[n % len(titles)],
            status=statuses[n % len(statuses)],
            light=["red", "yellow", "green"][n % 3],
            priority=["normal", "high", "urgent"][n % 3],
            unit=units[n % len(units)],
            owner=owners[n % len(owners)],
            enterprise=None,
            category=None,
            source="other",
            raised_on=date(2026, 9, 1),
            due_on=date(2026, 11, 1 + n),
            resolved_on=None,
            days_open=60 + n,
            days_over=20 - n * 3,
        )
        for n in range(12)
    ]


@pytest.mark.parametrize("width", [80, 120])
def test_item_list(width: int) -> None:
    golden(f"items-{width}.txt", piped(ItemsTable(item_rows()), width))


def test_item_list_narrow_leaves_columns_out() -> None:
    text = piped(ItemsTable(item_rows()), 60)
    golden("items-60.txt", text)
    header = next(line for line in text.splitlines() if "Key" in line)
    assert header.split()[:2] == ["Key", "Light"] and header.split()[-1] == "Title"
    assert "Due" not in header and "Status" not in header  # what is acted on stays


@pytest.fixture
def reports(db_path: Path):  # noqa: ANN201
    database = open_database(str(db_path))
    try:
        build_district(database)
        with database.transaction(write=False) as session:
            monthly = monthly_report(session, today=date(2026, 11, 21), month="2026-10")
            overdue = overdue_report(session, today=date(2026, 11, 21))
    finally:
        database.dispose()
    return monthly, overdue


def test_monthly_report_into_a_pipe(reports) -> None:  # noqa: ANN001
    monthly, _ = reports
    golden("monthly-en-100.txt", piped(monthly_renderable(monthly, Labels("en")), 100))


def test_chain_section_in_chinese_narrow(reports) -> None:  # noqa: ANN001
    monthly, _ = reports
    section = chain_panel(monthly, monthly.chains[0], Labels("zh"))
    golden("chain-ic-zh-64.txt", piped(section, 64))


def test_overdue_report_into_a_pipe(reports) -> None:  # noqa: ANN001
    _, overdue = reports
    golden("overdue-zh-80.txt", piped(overdue_renderable(overdue, Labels("zh"), limit=2), 80))


def grid() -> LongTable:
    facts = LongTable.grid(padding=2, pad_edge=True)
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    facts.add_row(Text("Chair"), Text("李明"))
    facts.add_row(Text("Attendees"), Text("万秀艳、钱阳宁、卢静刚、董琳鹏、沈建丽、秦艳超"))
    facts.add_row(Text("Summary"), Text("October scheduling: power, permits and the new feeder"))
    decisions = Text("1. 区发展和改革局牵头\n2. Science bureau to split the permit")
    facts.add_row(Text("Decisions"), decisions)
    return facts


def test_grid() -> None:
    golden("grid-40.txt", piped(grid(), 40))


# --------------------------------------------------------------------------- behaviour


WORDS = [
    "IC-12",
    "red",
    "晶圆级封装生产线电力容量不足",
    "区发展和改革局",
    "Ｆｕｌｌ－ｗｉｄｔｈ",
    "产业链🔌电力😀",
    "Packaging line lacks power capacity",
    "supercalifragilisticexpialidocious",
    "",
    "2026-11-30",
    "tab\there",
    "line\nbreak",
    "  indented",
    "trail   ",
]


def random_table(seed: int, *, boxed: bool = True) -> LongTable:
    rng = random.Random(seed)
    if boxed:
        table = LongTable(
            title=rng.choice([None, "Bottleneck items", "产业链 items " * 5]),
            box=rng.choice([box.SIMPLE_HEAD, box.SQUARE, box.ROUNDED]),
            expand=rng.random() < 0.5,
        )
    else:
        table = LongTable.grid(padding=rng.choice([1, 2]), pad_edge=rng.random() < 0.5)
    columns = rng.randint(1, 7)
    for index in range(columns):
        table.add_column(
            rng.choice(["Key", "Title", "Unit", "单位", "Time limit", ""]),
            justify=rng.choice(["left", "right", "center"]),
            no_wrap=rng.random() < 0.4,
            width=rng.choice([None] * 6 + [4, 9]),
            min_width=rng.choice([None, None, 3, 12]),
            ratio=rng.choice([None, 1, 2]) if index else None,
            style=rng.choice(["", "bold"]),
        )
    for _ in range(rng.randint(0, 20)):
        cells = []
        for _ in range(columns):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.choice([1, 1, 2, 3])))
            cell = Text(text, style=rng.choice(["", "red", "dim"]))
            if text and rng.random() < 0.3:
                start = rng.randrange(len(text))
                cell.stylize("bold green", start, rng.randint(start, len(text)))
            cells.append(cell if rng.random() < 0.7 else text)
        table.add_row(*cells)
    return table


@pytest.mark.parametrize("seed", range(120))
def test_fits_the_width_without_trailing_spaces(seed: int) -> None:
    width = random.Random(seed).choice([8, 16, 30, 60, 80, 120])
    table = random_table(seed, boxed=seed % 3 != 0)
    text = printed(table, width)
    for line in text.splitlines():
        assert cell_len(line) <= width, (line, width)
        assert line == line.rstrip(), line
    assert piped(table, width) == text


@pytest.mark.parametrize("seed", range(60))
def test_colour_draws_the_same_layout(seed: int) -> None:
    """On a terminal the same lines, with colour: only the escape codes differ."""
    width = random.Random(seed).choice([16, 40, 80, 120])
    table = random_table(seed, boxed=seed % 3 != 0)
    coloured = printed(table, width, colour=True)
    assert ANSI.sub("", coloured) == printed(table, width)


def test_colour_only_on_a_terminal() -> None:
    table = LongTable(title="Bottleneck items")
    table.add_column("Light", no_wrap=True)
    table.add_column("Title")
    table.add_row(Text("red", style="bold red"), "晶圆级封装生产线电力容量不足")
    assert "\x1b[" in printed(table, 120, colour=True)
    assert "\x1b[" not in printed(table, 120)
    assert "\x1b[" not in piped(table, 120)
    assert plain_text(console(120, colour=True), table) is None  # a terminal: rich prints


def bars(line: str) -> list[int]:
    """Where the box's vertical lines are, in cells."""
    return [cell_len(line[:i]) for i, ch in enumerate(line) if ch == "│"]


@pytest.mark.parametrize("width", [30, 50, 80])
def test_cjk_aligned_by_cells(width: int) -> None:
    table = LongTable(box=box.SQUARE)
    for header in ("Key", "Title", "Unit"):
        table.add_column(header)
    for n, title in enumerate(WORDS * 2):
        table.add_row(f"IC-{n}", title, WORDS[n * 5 % len(WORDS)])
    lines = printed(table, width).splitlines()
    rows = [bars(line) for line in lines if line.startswith("│")]
    assert len(rows) > len(WORDS) and all(row == rows[0] for row in rows), lines


@pytest.mark.parametrize("width", [1, 2, 3, 7, 10, 20])
def test_words_kept_whole_unless_longer_than_the_column(width: int) -> None:
    text = "Power for the packaging line 晶圆级封装生产线电力容量不足 supercalifragilistic a"
    lines = [text[start:end] for start, end, _ in wrap(text, width)]
    assert all(cell_len(line) <= max(width, 2) for line in lines), lines
    assert "".join("".join(lines).split()) == "".join(text.split())  # nothing lost
    for word in text.split():
        if cell_len(word) <= width:
            assert word in [part for line in lines for part in line.split()], (word, lines)


def test_line_breaks_kept_and_no_wrap_cut_with_an_ellipsis() -> None:
    assert wrap("a b\n\ncd", 10) == [(0, 3, False), (4, 4, False), (5, 7, False)]
    assert wrap("  indent kept", 20) == [(0, 13, False)]
    assert wrap("2026-11-30", 5, no_wrap=True) == [(0, 10, True)]
    table = LongTable()
    table.add_column("Due", no_wrap=True)
    table.add_column("Title")
    table.add_row("2026-11-30", "晶圆级封装生产线电力容量不足" * 3)
    text = piped(table, 12)
    assert "…" in text and all(cell_len(line) <= 12 for line in text.splitlines())


def test_widths_the_widest_shrinks_first() -> None:
    assert shrink([30, 10, 5], [8, 8, 5], 35) == [20, 10, 5]
    assert shrink([30, 29, 5], [8, 8, 5], 35) == [15, 15, 5]
    assert shrink([30, 10, 5], [25, 10, 5], 20) == [25, 10, 5]  # floors too wide: the floors
    table = LongTable(expand=True)
    table.add_column("Key", no_wrap=True)
    table.add_column("Item", ratio=2)
    table.add_column("How", ratio=1)
    table.add_row("IC-1", "a", "b")
    assert table.widths(40) == [4, 4 + 20, 3 + 9]  # the spare 29 cells shared 2:1
    table.expand = False
    assert table.widths(40) == [4, 4, 3]  # "Item" header: 4 cells


def test_a_header_wraps_and_sits_on_its_rule() -> None:
    table = LongTable()
    table.add_column("Key", no_wrap=True)
    table.add_column("Resolved this month", justify="right", width=9)
    table.add_row("IC-1", "3")
    assert piped(table, 40).splitlines() == [
        "",
        "          Resolved",
        "              this",
        "  Key        month",
        " ──────────────────",
        "  IC-1           3",
        "",
    ]


def test_plain_text_is_what_printing_shows() -> None:
    """A page of long tables, grids, headings, texts, a card and a rich table:
    into a pipe, the lines printing shows, without their trailing spaces."""
    card = Table(title="History", title_justify="left")
    card.add_column("When")
    card.add_column("What")
    card.add_row("2026-11-21", "created (open)")
    page = Group(
        Text("Monthly report", style="bold"),
        Rule(Text("1  Overview", style="bold"), align="left", characters="─"),
        random_table(3),
        grid(),
        Text("  … and 3 more: chainlead report monthly --chain IC --limit 5 " * 2, style="dim"),
        Rule(Text("IC  产业链" * 20), align="left", characters="━"),
        Panel(Text("李明")),
        card,
        Text(""),
    )
    for width in (20, 64, 100):
        expected = [line.rstrip() for line in printed(page, width).splitlines()]
        assert piped(page, width).splitlines() == expected
    assert plain_text(console(80), Text("no end", end="")) is None
