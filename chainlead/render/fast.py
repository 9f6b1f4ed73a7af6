"""A rich ``Table`` that draws long lists quickly, looking exactly the same.

rich lays out every cell through its generic machinery (measure, pad, wrap,
split, crop), about a millisecond per row of an item list: a thousand overdue
items took more than a second to print. ``FastTable`` computes the column
widths from the widest and the longest-word cell of each column (the only
cells the widths depend on), lets rich draw the title, header and edges with
those widths, and draws each row itself: a cell that fits on one line is
justified and padded directly, a longer one is wrapped by rich's own
``Text.wrap``. Anything it does not cover (other renderables, row styles,
lines between rows, footers, captions) is drawn by rich as usual.
``tests/test_fast_table.py`` compares both ways byte for byte.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable

from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, RenderResult
from rich.containers import Lines
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

_SPACE = re.compile(r"\s")


def _justified(line: str, width: int, justify: str) -> str:
    """A line of ``width`` cells or fewer, padded to ``width`` as rich justifies it."""
    if justify == "left":
        return line + " " * (width - cell_len(line))
    line = line.rstrip()
    return " " * (width - cell_len(line)) + line


def _measure(text: Text) -> tuple[int, int]:
    """What rich measures for a text: (longest word, longest line) in cells."""
    plain = text.plain
    lines = plain.splitlines()
    longest = max((cell_len(line) for line in lines), default=0)
    words = plain.split()
    return max((cell_len(word) for word in words), default=longest), longest


class FastTable(Table):
    """A ``Table`` whose rows are drawn directly when every cell is plain ``Text``."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self._widths(console, options) if self._covered() else []
        if not widths or min(widths) < 3:  # not covered, or columns squeezed to nothing
            yield from super().__rich_console__(console, options)
            return
        frame = self._frame(widths)
        lines = console.render_lines(frame, options, pad=False, new_lines=False)
        new_line = Segment.line()
        for line in lines[:-1]:  # title, header and the rule under it
            yield from line
            yield new_line
        yield from self._rows(console, options, widths)
        yield from lines[-1]  # the bottom edge
        yield new_line

    # ------------------------------------------------------------------ checks

    def _covered(self) -> bool:
        """True when the fast drawing gives exactly what rich would."""
        if not (
            self.rows
            and self.box is not None
            and self.show_header
            and self.show_edge
            and not self.show_footer
            and not self.show_lines
            and not self.leading
            and not self.row_styles
            and not self.caption
            and not self.collapse_padding
            and self.pad_edge
            and self.width is None
            and self.min_width is None
            and self.padding == (0, 1, 0, 1)
            and self.style in ("", "none", None)
            and self.border_style in ("", "none", None)
        ):
            return False
        if any(row.style or row.end_section for row in self.rows):
            return False
        for column in self.columns:
            if (
                column.style not in ("", "none", None)
                or column.width is not None
                or column.min_width is not None
                or column.max_width is not None
                or column.vertical != "top"
                or column.highlight
                or column.footer
            ):
                return False
            if not all(isinstance(cell, Text) for cell in column._cells):
                return False
        return True

    # ------------------------------------------------------------------ layout

    def _widths(self, console: Console, options: ConsoleOptions) -> list[int]:
        """rich's own widths, from a table holding only the cells they depend on."""
        sample = copy.copy(self)
        sample.columns = []
        sample.rows = []
        picks: list[list[Text]] = []
        for column in self.columns:
            cells: list[Text] = column._cells  # type: ignore[assignment]
            measured = [_measure(cell) for cell in cells]
            widest = max(range(len(cells)), key=lambda i: measured[i][1])
            longest_word = max(range(len(cells)), key=lambda i: measured[i][0])
            picks.append([cells[widest], cells[longest_word]])
            clone = copy.copy(column)
            clone._cells = []
            sample.columns.append(clone)
        for index in range(2):
            sample.add_row(*[pick[index] for pick in picks])
        max_width = options.max_width if self.width is None else self.width
        return sample._calculate_column_widths(
            console, options.update_width(max_width - self._extra_width)
        )

    def _frame(self, widths: list[int]) -> Table:
        """The same table without rows, its columns fixed at ``widths``."""
        frame = copy.copy(self)
        frame.rows = []
        frame.expand = False
        frame.columns = []
        for column, width in zip(self.columns, widths, strict=True):
            clone = copy.copy(column)
            clone._cells = []
            clone.width = width - 2
            clone.ratio = None
            frame.columns.append(clone)
        return frame

    # ------------------------------------------------------------------ rows

    def _rows(
        self, console: Console, options: ConsoleOptions, widths: list[int]
    ) -> Iterable[Segment]:
        assert self.box is not None
        box = self.box.substitute(
            options, safe=console.safe_box if self.safe_box is None else self.safe_box
        )
        middle = (Segment(box.mid_left), Segment(box.mid_right), Segment(box.mid_vertical))
        bottom = (Segment(box.foot_left), Segment(box.foot_right), Segment(box.foot_vertical))
        pad = Segment(" ")
        new_line = Segment.line()
        columns = self.columns
        count = len(self.rows)
        for index in range(count):
            left, right, divider = bottom if index == count - 1 else middle
            cells = [
                self._cell(console, column._cells[index], column, width - 2)  # type: ignore[arg-type]
                for column, width in zip(columns, widths, strict=True)
            ]
            height = max(len(lines) for lines in cells)
            for line_no in range(height):
                yield left
                for position, (lines, width) in enumerate(zip(cells, widths, strict=True)):
                    if position:
                        yield divider
                    if line_no < len(lines):
                        yield pad
                        yield from lines[line_no]
                        yield pad
                    else:
                        yield Segment(" " * width)
                yield right
                yield new_line

    @staticmethod
    def _cell(console: Console, text: Text, column: object, width: int) -> list[list[Segment]]:
        """The cell's lines, each exactly ``width`` cells wide, as rich draws them."""
        justify = text.justify or column.justify or "default"  # type: ignore[attr-defined]
        overflow = text.overflow or column.overflow or "fold"  # type: ignore[attr-defined]
        no_wrap = text.no_wrap if text.no_wrap is not None else column.no_wrap  # type: ignore[attr-defined]
        plain = text.plain
        simple = "\n" not in plain and "\t" not in plain
        length = cell_len(plain)
        if simple and justify in ("left", "right") and plain.strip():
            style = console.get_style(text.style, default=Style.null()) if text.style else None
            base = Style.combine([Style.null(), style]) if style else None
            if length <= width:
                # what wrap, justify, join, render and crop make of a line that fits
                if text.spans:
                    line = text.copy()
                    Lines([line]).justify(console, width, justify=justify, overflow=overflow)
                    if line.spans:  # (render leaves the base style out when there are none)
                        return [list(line.render(console))]
                    return [[Segment(line.plain, base)]]
                return [[Segment(_justified(plain, width, justify), base)]]
            if not text.spans and overflow == "fold" and not no_wrap and not _SPACE.search(plain):
                # one long word (a CJK title, say): folded at the width, as rich does
                chunks = chop_cells(plain, width)
                if all(cell_len(chunk) <= width for chunk in chunks):
                    return [[Segment(_justified(chunk, width, justify), base)] for chunk in chunks]
        if not simple or length > width:
            wrapped = list(
                text.wrap(console, width, justify=justify, overflow=overflow, no_wrap=no_wrap)
            )
        else:
            line = text.copy()
            Lines([line]).justify(console, width, justify=justify, overflow=overflow)
            line.truncate(width, overflow=overflow)
            wrapped = [line]
        segments = Text("\n").join(wrapped).render(console, end=text.end)
        return list(
            Segment.split_and_crop_lines(
                segments, width, include_new_lines=False, pad=True, style=Style.null()
            )
        )
