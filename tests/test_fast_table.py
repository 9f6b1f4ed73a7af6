"""FastTable draws exactly what rich's Table draws, byte for byte."""

from __future__ import annotations

import io
import random

import pytest
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from chainlead.render.fast import FastTable

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
]
STYLES = ["", "bold red", "green", "dim", "bold yellow"]


def draw(table: Table, *, width: int, colour: bool) -> str:
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
        title=rng.choice([None, "Bottleneck items", "产业链 items"]),
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


@pytest.mark.parametrize("seed", range(200))
def test_same_output_as_rich(seed: int) -> None:
    rng = random.Random(seed)
    width = rng.choice([24, 40, 60, 80, 120, 200])
    colour = rng.random() < 0.5
    assert draw(build(FastTable, seed), width=width, colour=colour) == draw(
        build(Table, seed), width=width, colour=colour
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
