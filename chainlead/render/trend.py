"""The monthly report's twelve-month trend chart, fitted to the width there is.

Each series (raised, resolved, open at month end) is one column: its count,
never cut, then its bar. The bars take the room the page leaves, in eighths of
a cell, and two different counts never draw bars of one length (a bar a count
would share with a smaller one is drawn an eighth longer). Headings too long
for their column are abbreviated (the shortest prefixes that tell them apart)
and a legend under the chart spells them out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from chainlead.domain.reports.model import TrendMonth
from chainlead.render.labels import Labels
from chainlead.render.longtable import LongTable

MONTH = 7  # cells of a month (2026-11)
LONGEST_BAR = 30  # cells: past it a bar reads no better
BLOCKS = "▏▎▍▌▋▊▉"  # an eighth of a cell to seven eighths
SERIES = (("trend_raised", "blue"), ("trend_resolved", "green"), ("trend_open", "magenta"))


def bar_lengths(values: Iterable[int], top: int, eighths: int) -> dict[int, int]:
    """Each value's bar in eighths of a cell, the largest ``eighths`` long:
    proportional, none for 0, and one length for one value only (as far as
    ``eighths`` allows)."""
    lengths: dict[int, int] = {}
    if top <= 0 or eighths <= 0:
        return dict.fromkeys(values, 0)
    last = 0
    for value in sorted(set(values)):
        if value <= 0:
            lengths[value] = 0
            continue
        length = max(1, round(value / top * eighths), last + 1)
        lengths[value] = last = length
    over = last - eighths  # nudged past the longest: take it back from the top down
    if over > 0:
        ceiling = eighths
        for value in sorted(lengths, reverse=True):
            if lengths[value] <= ceiling:
                break
            lengths[value] = max(1, ceiling)
            ceiling -= 1
    return lengths


def bar(eighths: int) -> str:
    full, part = divmod(eighths, 8)
    return "█" * full + (BLOCKS[part - 1] if part else "")


def abbreviations(names: Sequence[str]) -> list[str]:
    """The shortest prefixes, one length for all, that tell ``names`` apart."""
    longest = max(map(len, names), default=0)
    for size in range(1, longest + 1):
        prefixes = [name[:size] for name in names]
        if len(set(prefixes)) == len(prefixes):
            return prefixes
    return list(names)


class TrendChart:
    """The chart at the width it is drawn at (``__rich_console__``)."""

    def __init__(self, trend: Sequence[TrendMonth], labels: Labels) -> None:
        self.trend = trend
        self.labels = labels

    def series(self) -> list[list[int]]:
        return [
            [t.raised for t in self.trend],
            [t.resolved for t in self.trend],
            [t.open_at_end for t in self.trend],
        ]

    def parts(self, width: int) -> tuple[LongTable, Text | None]:
        """The chart ``width`` cells wide, and its legend (None: no heading was
        abbreviated)."""
        series = self.series()
        digits = [max((len(str(v)) for v in values), default=1) for values in series]
        table = LongTable(box=box.SIMPLE_HEAD)
        extra = 2 * 4 + 2 + 3  # each column's padding, the edges, the dividers
        room = max(0, width - extra - MONTH - sum(d + 1 for d in digits))
        bar_cells = min(LONGEST_BAR, room // 3)
        columns = [d + 1 + bar_cells for d in digits]
        names = [self.labels(name) for name, _ in SERIES]
        abbreviated = any(cell_len(n) > c for n, c in zip(names, columns, strict=True))
        shown = abbreviations(names) if abbreviated else names
        table.add_column(self.labels("month"), no_wrap=True, width=MONTH)
        for header, size in zip(shown, columns, strict=True):
            table.add_column(header, no_wrap=True, width=size)
        flow = series[0] + series[1]
        flow_top = max(flow + [0])
        open_top = max(series[2] + [0])
        scales = [
            bar_lengths(flow, flow_top, bar_cells * 8),
            bar_lengths(flow, flow_top, bar_cells * 8),
            bar_lengths(series[2], open_top, bar_cells * 8),
        ]
        for index, month in enumerate(self.trend):
            cells: list[Text | str] = [month.month]
            for values, scale, size, (_, style) in zip(series, scales, digits, SERIES, strict=True):
                value = values[index]
                cell = Text(str(value).rjust(size) + " ")
                cell.append(bar(scale[value]), style=style)
                cells.append(cell)
            table.add_row(*cells)
        if not abbreviated:
            return table, None
        legend = "   ".join(f"{short} = {name}" for short, name in zip(shown, names, strict=True))
        return table, Text(legend, style="dim")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table, legend = self.parts(options.max_width)
        yield table
        if legend is not None:
            yield legend
