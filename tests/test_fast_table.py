"""FastTable draws exactly what rich's Table draws, byte for byte."""

from __future__ import annotations

import io
import random

import pytest
from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from chainlead.render.fast import FastTable, plain_text

WORDS = [
    "IC-12",
    "red",
    "on time",
    "晶圆级封装生产线电力容量不足",
    "区发展和改革局",
    "Ｆｕｌｌ－ｗｉｄｔｈ",
    "产业链🔌电力😀",
    "a",
    "Packaging line lacks power capacity",
    "supercalifragilisticexpialidocious-and-more",
    "",
    "2026-11-30",
    "12d over",
    "tab\there",
    "line\nbreak",
    "   ",
    " lead",
    "trail ",
    "产业链" * 12,
    "出口订单物流成本上升 (锐联汽车零部件有限公司)",
    "区交通运输局\n(公司)",
    "  spaced   out  words",
]
STYLES = ["", "bold red", "green", "dim", "bold yellow"]


def draw(table: RenderableType, *, width: int, colour: bool) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
        markup=False,
        emoji=False,
        highlight=False,
    )
    console.print(table)
    return out.getvalue()


def build(cls: type[Table], seed: int) -> Table:
    rng = random.Random(seed)
    table = cls(
        title=rng.choice(
            [
                None,
                "Bottleneck items",
                "产业链 items",
                "Items raised this month 产业链产业链产业链产业链",
            ]
        ),
        title_justify=rng.choice(["left", "center"]),
        header_style=rng.choice(["bold", ""]),
        box=rng.choice([box.SIMPLE_HEAD, box.HEAVY_HEAD, box.ROUNDED]),
        expand=rng.random() < 0.6,
    )
    columns = rng.randint(1, 7)
    for index in range(columns):
        table.add_column(
            rng.choice(["Key", "Title", "Unit", "单位", "Time limit"]),
            justify=rng.choice(["left", "right", "center"]),
            no_wrap=rng.random() < 0.4,
            overflow=rng.choice(["fold", "ellipsis"]),
            ratio=rng.choice([None, None, 1, 2, 3]) if index else None,
            width=rng.choice([None] * 6 + [4, 9]),
            min_width=rng.choice([None] * 4 + [3, 7, 12]),
        )
    rows = rng.randint(1, 25)
    local = random.Random(seed * 7)
    for _ in range(rows):
        cells = []
        for _ in range(columns):
            text = " ".join(local.choice(WORDS) for _ in range(local.choice([1, 1, 2, 3])))
            cell = Text(
                text,
                style=local.choice(STYLES),
                overflow=local.choice([None, None, "fold"]),
            )
            if text and local.random() < 0.3:  # a styled part, as labels and lights have
                start = local.randrange(len(text))
                cell.stylize(local.choice(STYLES[1:]), start, local.randint(start, len(text)))
            cells.append(cell)
        table.add_row(*cells)
    return table


def build_grid(cls: type[Table], seed: int) -> Table:
    """Label and value pairs: no box, no header, padding between the cells."""
    rng = random.Random(seed)
    table = cls.grid(
        padding=rng.choice([0, 1, (0, 2), (0, 1, 0, 3)]),
        pad_edge=rng.random() < 0.5,
        collapse_padding=rng.random() < 0.7,
        expand=rng.random() < 0.3,
    )
    columns = rng.randint(1, 4)
    for index in range(columns):
        table.add_column(
            style=rng.choice(["", "bold"]),
            justify=rng.choice(["left", "right", "center"]),
            no_wrap=rng.random() < 0.4,
            overflow=rng.choice(["fold", "ellipsis"]),
            ratio=rng.choice([None, None, 1, 2]) if index else None,
        )
    local = random.Random(seed * 11)
    for _ in range(rng.randint(1, 8)):
        table.add_row(
            *[
                Text(
                    " ".join(local.choice(WORDS) for _ in range(local.choice([1, 1, 2, 3]))),
                    style=local.choice(STYLES),
                )
                for _ in range(columns)
            ]
        )
    return table


@pytest.mark.parametrize("seed", range(200))
def test_same_output_as_rich(seed: int) -> None:
    rng = random.Random(seed)
    width = rng.choice([24, 40, 60, 80, 120, 200])
    colour = rng.random() < 0.5
    assert draw(build(FastTable, seed), width=width, colour=colour) == draw(
        build(Table, seed), width=width, colour=colour
    )


@pytest.mark.parametrize("seed", range(100))
def test_grids_the_same_as_rich(seed: int) -> None:
    rng = random.Random(seed)
    width = rng.choice([12, 24, 40, 80, 120])
    colour = rng.random() < 0.3
    assert draw(build_grid(FastTable, seed), width=width, colour=colour) == draw(
        build_grid(Table, seed), width=width, colour=colour
    )


@pytest.mark.parametrize("seed", range(60))
def test_every_segment_knows_its_width(seed: int) -> None:
    """Lines drawn without colour carry their width (rich crops by it): the true one."""
    console = Console(file=io.StringIO(), width=random.Random(seed).choice([30, 80, 150]))
    for table in (build(FastTable, seed), build_grid(FastTable, seed)):
        for segment in console.render(table):
            assert segment.cell_length == cell_len(segment.text)


def plain_console(width: int) -> Console:
    return Console(
        file=io.StringIO(),
        width=width,
        color_system=None,
        markup=False,
        emoji=False,
        highlight=False,
    )


@pytest.mark.parametrize("seed", range(80))
def test_plain_text_is_what_print_writes(seed: int) -> None:
    """A page of tables, grids, rules and texts made into text without rich's
    printing: the same text as ``print`` writes where no colour is drawn."""
    from rich.rule import Rule

    rng = random.Random(seed)
    width = rng.choice([12, 30, 60, 100, 160])

    def page(cls: type[Table]) -> Group:
        parts: list[RenderableType] = [Text("Monthly report", style="bold"), Text("")]
        for n in range(3):
            parts.append(Rule(Text(rng.choice(WORDS) or "rule"), align="left", characters="━"))
            parts.append(Group(build_grid(cls, seed * 3 + n), Text(rng.choice(WORDS))))
            parts.append(build(cls, seed * 5 + n))
            parts.append(Text(" ".join(rng.choice(WORDS) for _ in range(12)), style="dim"))
            justify = rng.choice([None, "default", "left", "center", "right"])
            parts += [Text(rng.choice(WORDS), justify=justify), Text("")]  # type: ignore[arg-type]
        return Group(*parts)

    rng = random.Random(seed)
    expected = draw(page(Table), width=width, colour=False)
    rng = random.Random(seed)
    assert draw(page(FastTable), width=width, colour=False) == expected
    rng = random.Random(seed)
    assert plain_text(plain_console(width), page(FastTable)) == expected


@pytest.mark.parametrize("width", [3, 4, 5, 10, 30, 100])
def test_headings_drawn_as_rich_draws_them(width: int) -> None:
    from rich.rule import Rule

    for title in WORDS + ["IC  产业链 ● Red", "产业链" * 40]:
        for characters in ("━", "─", "ab"):
            for align in ("left", "center"):
                made = [
                    Rule(
                        Text(title, style="bold"),
                        align=align,  # type: ignore[arg-type]
                        characters=characters,
                        style="bold",
                    )
                    for _ in range(2)  # (rich cuts a long title in its rule short)
                ]
                expected = draw(made[0], width=width, colour=False)
                assert plain_text(plain_console(width), made[1]) == expected


def test_plain_text_leaves_colour_and_unknown_parts_to_rich() -> None:
    from rich.panel import Panel

    coloured = Console(file=io.StringIO(), width=80, force_terminal=True, color_system="standard")
    assert plain_text(coloured, Text("hi")) is None
    assert plain_text(plain_console(80), Group(Text("a"), Panel("b"))) is None
    assert plain_text(plain_console(80), Text("no end", end="")) is None
    assert plain_text(plain_console(80), Group(Text("a"), Text("b"))) == "a\nb\n"


@pytest.mark.parametrize("colour", [False, True])
def test_many_tables_on_one_console(colour: bool) -> None:
    """Widths and frames worked out once per shape are reused: same output as rich
    for a report's worth of tables, alike and different, on one console."""
    seeds = [3, 3, 8, 3, 21, 8, 40, 3] * 3

    def page(cls: type[Table]) -> Group:
        parts: list[RenderableType] = []
        for n, seed in enumerate(seeds):
            parts.append(build(cls, seed) if n % 3 else build_grid(cls, seed))
        return Group(*parts)

    for width in (60, 100):
        assert draw(page(FastTable), width=width, colour=colour) == draw(
            page(Table), width=width, colour=colour
        )


@pytest.mark.parametrize("colour", [False, True])
def test_ratio_columns_remembered_without_their_contents(colour: bool) -> None:
    """Tables sharing the width out by ratios, alike but for what the ratio columns
    hold, on one console: with room to spare, and squeezed so rich narrows the
    columns by what they hold (then the contents count)."""

    def table(cls: type[Table], title: str, key: str) -> Table:
        drawn = cls(box=box.SIMPLE_HEAD, expand=True, title="Items")
        drawn.add_column("Key")
        drawn.add_column("Item", ratio=4, overflow="fold")
        drawn.add_column("How", ratio=1, overflow="fold")
        drawn.add_column("Due", no_wrap=True)
        drawn.add_row(Text(key), Text(title), Text(title[::-1]), Text("2026-11-30"))
        return drawn

    titles = ["a", "晶圆级封装生产线电力容量不足", "supercalifragilistic " * 4, "x y"]
    keys = ["IC-1", "IC-1", "IC-12345 IC-12345 IC-12345", "IC-1"]

    def page(cls: type[Table]) -> Group:
        return Group(*[table(cls, t, k) for t in titles for k in keys])

    for width in (24, 40, 50, 51, 52, 53, 100):
        assert draw(page(FastTable), width=width, colour=colour) == draw(
            page(Table), width=width, colour=colour
        )
        assert plain_text(plain_console(width), page(FastTable)) == draw(
            page(Table), width=width, colour=False
        )


@pytest.mark.parametrize("colour", [False, True])
def test_tables_alike_but_for_their_padding(colour: bool) -> None:
    """What a table's widths and frame are remembered by includes its padding:
    grids with the same cells, padded differently, are each drawn as rich draws them."""

    def page(cls: type[Table]) -> Group:
        grids = []
        for pad_edge, collapse, padding in [
            (False, True, (0, 2)),
            (True, True, (0, 2)),
            (True, False, (0, 2)),
            (False, False, (0, 1)),
        ]:
            grid = cls.grid(padding=padding, pad_edge=pad_edge, collapse_padding=collapse)
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column(overflow="fold")
            grid.add_row(Text("Chain leader"), Text("高玉悦 and a long line that has to wrap " * 2))
            grid.add_row(Text("Team"), Text("7 members"))
            grids.append(grid)
        return Group(*grids)

    assert draw(page(FastTable), width=50, colour=colour) == draw(
        page(Table), width=50, colour=colour
    )


def test_the_item_list_is_drawn_fast_and_the_same() -> None:
    from datetime import date

    from chainlead.domain.bottlenecks import ItemRow
    from chainlead.render.items import ItemsTable

    rows = [
        ItemRow(
            key=f"IC-{n}",
            chain="IC",
            title=WORDS[n % len(WORDS)] or "t",
            status="open",
            light=["red", "yellow", "green"][n % 3],
            priority="normal",
            unit=WORDS[(n * 3) % len(WORDS)] or "u",
            owner=None if n % 4 else "王芳",
            enterprise=None,
            category=None,
            source="other",
            raised_on=date(2026, 1, 1),
            due_on=date(2026, 2, 1),
            resolved_on=None,
            days_open=n,
            days_over=n - 5,
        )
        for n in range(40)
    ]
    for width in (60, 80, 160):
        for colour in (False, True):
            fast = draw(ItemsTable(rows), width=width, colour=colour)  # type: ignore[arg-type]
            assert "IC-39" in fast
