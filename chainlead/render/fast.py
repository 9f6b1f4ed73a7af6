"""A rich ``Table`` that draws long lists quickly, looking exactly the same.

rich lays out every cell through its generic machinery (measure, pad, wrap,
split, crop), about a millisecond per row of an item list: a thousand overdue
items took more than a second to print. ``FastTable`` computes the column
widths from the widest and the longest-word cell of each column (the only
cells the widths depend on), lets rich draw the title, header and edges with
those widths, and draws each row itself: each line of a cell that fits the
column is justified and padded directly, an unbroken word too long for it
(a CJK title, say) is folded at the width, and anything else is wrapped by
rich's own ``Text.wrap``. Where no colour is drawn (a pipe, a file) a row's
line is one string; with colour, the cell's segments are the ones rich makes.
Anything it does not cover (other renderables, row styles, lines between
rows, footers, captions) is drawn by rich as usual.
``tests/test_fast_table.py`` compares both ways byte for byte.
"""

from __future__ import annotations

import copy
import re
import weakref
from collections.abc import Callable, Hashable, Iterable

from rich._wrap import divide_line
from rich.cells import cell_len, chop_cells, get_character_cell_size, set_cell_size
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.containers import Lines
from rich.measure import Measurement
from rich.rule import Rule
from rich.segment import Segment
from rich.style import Style, StyleType
from rich.table import Column, Row, Table
from rich.text import Text

_SPACE = re.compile(r"\s")
_TRAILING_SPACE = re.compile(r"\s+$")
# Characters that break lines for ``str.splitlines`` (what rich measures with)
# but not for rich's wrapping, and tabs: cells holding them take rich's way.
_AWKWARD = re.compile("[\t\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


class _CharCells(dict[str, int]):
    """Cells per character, as rich counts them."""

    def __missing__(self, char: str) -> int:
        cells = self[char] = get_character_cell_size(char)
        return cells


_CHAR_CELLS = _CharCells()
_LENGTHS: dict[str, int] = {}


def _cells(text: str) -> int:
    """``rich.cells.cell_len``, the same count, faster for the cells of a long list:
    printable ASCII is its length, other text is counted once per character."""
    if text.isascii():
        return len(text) if text.isprintable() else cell_len(text)
    found = _LENGTHS.get(text)
    if found is None:
        if "\u200d" in text or "\ufe0f" in text:  # joined emoji: rich's own count
            found = cell_len(text)
        else:
            found = sum(map(_CHAR_CELLS.__getitem__, text))
        if len(_LENGTHS) > 100_000:
            _LENGTHS.clear()
        _LENGTHS[text] = found
    return found


class _Line(Segment):
    """A line of a table drawn without colour, as wide as the table. rich asks
    every printed segment for its width (to crop lines to the console); a line
    knows it without counting. (rich never changes a segment's text in place:
    a cut makes new plain segments.)"""

    __slots__ = ()
    cells = 0  # the table's width, set per width by _line_type

    @property
    def cell_length(self) -> int:
        return self.cells


_LINE_TYPES: dict[int, type[_Line]] = {}


def _line_type(cells: int) -> type[_Line]:
    """The kind of ``_Line`` that is ``cells`` wide."""
    found = _LINE_TYPES.get(cells)
    if found is None:
        found = _LINE_TYPES[cells] = type(
            f"_Line{cells}", (_Line,), {"__slots__": (), "cells": cells}
        )
    return found


def _justified(line: str, width: int, justify: str) -> str:
    """A line of ``width`` cells or fewer, padded to ``width`` as rich justifies it."""
    if justify == "left":
        return line + " " * (width - _cells(line))
    line = line.rstrip()
    return " " * (width - _cells(line)) + line


def _fitted(line: str, width: int, justify: str, overflow: str, no_wrap: bool) -> list[str] | None:
    """One line of a cell as rich draws it (plain text), or None where rich's way is needed.

    A line that fits is justified; one unbroken word too long for the column
    is folded at the width, as rich's wrap does.
    """
    if not line.strip():
        return None
    if _cells(line) <= width:
        return [_justified(line, width, justify)]
    if overflow == "fold" and not no_wrap and not _SPACE.search(line):
        chunks = chop_cells(line, width)
        if all(_cells(chunk) <= width for chunk in chunks):
            return [_justified(chunk, width, justify) for chunk in chunks]
    return None


def _truncated(line: str, width: int, overflow: str, *, pad: bool = False) -> str:
    """``Text.truncate`` on plain text."""
    length = _cells(line)
    if length > width:
        line = (
            set_cell_size(line, width - 1) + "…"
            if overflow == "ellipsis"
            else set_cell_size(line, width)
        )
    if pad and length < width:
        line += " " * (width - length)
    return line


def _wrapped_plain(line: str, width: int, justify: str, overflow: str, no_wrap: bool) -> list[str]:
    """One line of a cell too long for the column, as rich's ``Text.wrap`` lays it out
    (split at words, or folded, or cut), justified and padded to ``width``: plain text."""
    if no_wrap:
        parts = [line]
    else:
        offsets = divide_line(line, width, fold=overflow == "fold")
        bounds = [0, *offsets, len(line)]
        parts = []
        for start, end in zip(bounds, bounds[1:], strict=False):
            part = line[start:end]
            if len(part) > width:  # Text.rstrip_end: trailing spaces past the width go
                found = _TRAILING_SPACE.search(part)
                if found is not None:
                    part = part[: len(part) - min(len(found.group(0)), len(part) - width)]
            parts.append(part)
    drawn = []
    for part in parts:
        if justify == "left":
            part = _truncated(part, width, overflow, pad=True)
        else:
            part = _truncated(part.rstrip(), width, overflow)
            part = " " * (width - _cells(part)) + part
        part = _truncated(part, width, overflow)
        drawn.append(set_cell_size(part, width))  # the crop and pad of the cell's lines
    return drawn


_MEASURES: dict[str, tuple[int, int]] = {}


def _measure(text: Text) -> tuple[int, int]:
    """What rich measures for a text: (longest word, longest line) in cells."""
    plain = text.plain
    found = _MEASURES.get(plain)
    if found is not None:
        return found
    if not _SPACE.search(plain):  # one word on one line
        length = _cells(plain)
        found = length, length
    else:
        longest = max((_cells(line) for line in plain.splitlines()), default=0)
        found = max((_cells(word) for word in plain.split()), default=longest), longest
    if len(_MEASURES) > 100_000:
        _MEASURES.clear()
    _MEASURES[plain] = found
    return found


def _extremes(cells: list[Text]) -> tuple[int, int]:
    """The longest word and the longest line of a column's cells, in cells."""
    word = line = 0
    known = _MEASURES.get
    for cell in cells:
        cell_word, cell_line = known(cell.plain) or _measure(cell)
        if cell_line > line:
            line = cell_line
        if cell_word > word:
            word = cell_word
    return word, line


def _how(text: Text, column: Column) -> tuple[str, str, bool]:
    """The cell's justify, overflow and no_wrap, the text's own before the column's."""
    justify = text.justify or column.justify or "default"
    overflow = text.overflow or column.overflow or "fold"
    no_wrap = text.no_wrap if text.no_wrap is not None else column.no_wrap
    return justify, overflow, bool(no_wrap)


# Per console: column widths and drawn frames (title, header, edges) already
# worked out, by everything they depend on. A report draws many tables of the
# same shape (five per chain); each shape is laid out by rich once.
_LAYOUTS: weakref.WeakKeyDictionary[Console, dict[Hashable, object]] = weakref.WeakKeyDictionary()


def _layouts(console: Console) -> dict[Hashable, object]:
    found = _LAYOUTS.get(console)
    if found is None:
        found = _LAYOUTS[console] = {}
    return found


def _renderable_key(value: object) -> Hashable | None:
    """A title or header as a key: its text and styles (None: not a string or ``Text``)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Text):
        return (
            value.plain,
            str(value.style),
            tuple((start, end, str(style)) for start, end, style in value.spans),
            value.justify,
            value.overflow,
            value.no_wrap,
            value.end,
        )
    return None


def _options_key(options: ConsoleOptions) -> Hashable:
    return (
        options.max_width,
        options.min_width,
        options.is_terminal,
        options.encoding,
        options.legacy_windows,
        options.justify,
        options.overflow,
        options.no_wrap,
        options.highlight,
        options.markup,
        options.height,
    )


class _Sized:
    """Stands in for a column's cells when rich works out the widths: it measures
    (longest word, longest line) of them all, as rich would measure each."""

    __slots__ = ("measure",)

    def __init__(self, word: int, line: int) -> None:
        self.measure = Measurement(word, line)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        raise NotImplementedError  # only measured, never drawn

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.measure


class FastTable(Table):
    """A ``Table`` whose rows are drawn directly when every cell is plain ``Text``.

    A table with edges and a header (a report's lists) is drawn this way with
    or without colour; a grid (no box, no header: label and value pairs) when
    no colour is drawn.
    """

    def plain_lines(self, console: Console, options: ConsoleOptions) -> list[str] | None:
        """The table's lines as text, as rich draws them where no colour is shown
        (cropped to the width, as printing crops a table wider than it);
        None when this table is not drawn the fast way (rich's way is needed)."""
        shape = self._shape(True)
        widths = self._widths(console, options) if shape else []
        pads = self._pads()
        if (
            not widths
            or min(w - left - right for w, (left, right) in zip(widths, pads, strict=True)) < 1
        ):
            return None
        lines = self._plain_lines(console, options, widths, shape)
        if lines is None or sum(widths) + self._extra_width <= options.max_width:
            return lines
        return [
            "".join(
                segment.text
                for segment in Segment.adjust_line_length(
                    [Segment(line)], options.max_width, pad=False
                )
            )
            for line in lines
        ]

    def _plain_lines(
        self, console: Console, options: ConsoleOptions, widths: list[int], shape: str | None
    ) -> list[str] | None:
        if shape == "grid":
            return [line for line, _ in self._plain_row_lines(console, widths, (("", "", ""),) * 2)]
        frame = self._drawn_frame(console, options, widths, plain=True)
        texts = []
        for line in frame:
            if any(segment.control for segment in line):
                return None
            texts.append("".join(segment.text for segment in line))
        lines = texts[:-1]
        lines += [
            line
            for line, _ in self._plain_row_lines(console, widths, self._edges(console, options))
        ]
        lines.append(texts[-1])
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        plain = console.color_system is None and not console.record
        shape = self._shape(plain)
        widths = self._widths(console, options) if shape else []
        pads = self._pads()
        if (
            not widths
            or min(w - left - right for w, (left, right) in zip(widths, pads, strict=True)) < 1
            or sum(widths) + self._extra_width > options.max_width  # (rich overflows the width)
        ):
            # not covered, or columns squeezed to nothing
            yield from super().__rich_console__(console, options)
            return
        if shape == "grid":
            yield from self._plain_rows(console, widths, (("", "", ""),) * 2)
            return
        lines = self._drawn_frame(console, options, widths, plain=plain)
        new_line = Segment.line()
        for line in lines[:-1]:  # title, header and the rule under it
            yield from line
            yield new_line
        if plain:  # no styles are drawn
            yield from self._plain_rows(console, widths, self._edges(console, options))
        else:
            yield from self._rows(console, options, widths)
        yield from lines[-1]  # the bottom edge
        yield new_line

    def add_row(
        self,
        *renderables: RenderableType | None,
        style: StyleType | None = None,
        end_section: bool = False,
    ) -> None:
        """``Table.add_row``; a row of one ``Text`` per column is added directly."""
        columns = self.columns
        if len(renderables) != len(columns) or not all(
            isinstance(cell, Text) for cell in renderables
        ):
            super().add_row(*renderables, style=style, end_section=end_section)
            return
        for column, cell in zip(columns, renderables, strict=True):
            column._cells.append(cell)  # type: ignore[arg-type]
        self.rows.append(Row(style=style, end_section=end_section))

    # ------------------------------------------------------------------ checks

    def _shape(self, plain: bool) -> str | None:
        """ "boxed" or "grid" when the fast drawing gives exactly what rich would, else None."""
        if not (
            self.rows
            and not self.show_footer
            and not self.show_lines
            and not self.leading
            and not self.row_styles
            and not self.caption
            and self.width is None
            and self.min_width is None
            and self.padding[0] == self.padding[2] == 0
            and self.style in ("", "none", None)
            and self.border_style in ("", "none", None)
        ):
            return None
        if any(row.style or row.end_section for row in self.rows):
            return None
        for column in self.columns:
            if (
                column.max_width is not None
                or column.vertical != "top"
                or column.highlight
                or column.footer
            ):
                return None
            if not all(isinstance(cell, Text) for cell in column._cells):
                return None
        if (
            self.box is not None
            and self.show_header
            and self.show_edge
            and not self.collapse_padding
            and self.pad_edge
            and self.padding == (0, 1, 0, 1)
            and all(column.style in ("", "none", None) for column in self.columns)
        ):
            return "boxed"
        if plain and self.box is None and not self.show_header and self.title is None:
            return "grid"  # (column styles are not drawn without colour)
        return None

    def _pads(self) -> list[tuple[int, int]]:
        """Each column's (left, right) padding, as rich's ``Table`` works it out."""
        _, right, _, left = self.padding
        last = len(self.columns) - 1
        pads = []
        for index in range(len(self.columns)):
            before, after = left, right
            if self.collapse_padding and index:
                before = max(0, before - after)
            if not self.pad_edge:
                before = 0 if index == 0 else before
                after = 0 if index == last else after
            pads.append((before, after))
        return pads

    # ------------------------------------------------------------------ layout

    def _widths(self, console: Console, options: ConsoleOptions) -> list[int]:
        """rich's own widths, from a table holding only the cells they depend on.

        A text's measure is (longest word, longest line), so the widths depend
        on the cells only through the largest of each per column: one stand-in
        cell measuring those two speaks for all of them.

        In a table that fills the width and shares it out by ratios, the
        columns with a ratio get their share whatever they hold, unless the
        other columns leave too little room (then rich narrows the columns to
        fit, by what they hold). Widths worked out without that narrowing are
        remembered without the ratio columns' contents (a report's titles),
        which are then not even measured.
        """
        columns = self.columns
        shared = self.expand and any(column.ratio for column in columns)
        max_width = options.max_width if self.width is None else self.width
        headers = [_renderable_key(column.header) for column in columns]
        layouts = _layouts(console)
        key: Hashable = None
        if not any(
            header is None and column.header is not None
            for header, column in zip(headers, columns, strict=True)
        ):
            key = (
                "widths",
                max_width,
                _options_key(options),
                self.expand,
                self._extra_width,
                self.padding,
                self.collapse_padding,
                self.pad_edge,
                self.show_edge,
                self.box,
                self.show_header,
                tuple(
                    (
                        header,
                        column.ratio,
                        column.no_wrap,
                        column.width,
                        column.min_width,
                        column.max_width,
                    )
                    for header, column in zip(headers, columns, strict=True)
                ),
            )
        extremes: list[tuple[int, int] | None] = [
            None if shared and column.ratio is not None else _extremes(column._cells)  # type: ignore[arg-type]
            for column in columns
        ]
        if key is not None and shared:
            found = layouts.get((key, tuple(extremes)))
            if found is not None:
                return list(found)  # type: ignore[call-overload]
        measured = [
            _extremes(column._cells) if extreme is None else extreme  # type: ignore[arg-type]
            for column, extreme in zip(columns, extremes, strict=True)
        ]
        if key is not None:
            found = layouts.get((key, tuple(measured)))
            if found is not None:
                return list(found)  # type: ignore[call-overload]
        sample = copy.copy(self)
        sample.columns = []
        sample.rows = []
        for column in columns:
            clone = copy.copy(column)
            clone._cells = []
            sample.columns.append(clone)
        sample.add_row(*[_Sized(word, line) for word, line in measured])
        narrowed: list[bool] = []

        def narrow(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
            narrowed.append(True)
            return Table._collapse_widths(widths, wrapable, max_width)

        sample._collapse_widths = narrow  # type: ignore[method-assign]
        sample._measure_column = self._column_measure(  # type: ignore[method-assign]
            sample, layouts, headers, measured
        )
        widths = sample._calculate_column_widths(
            console, options.update_width(max_width - self._extra_width)
        )
        if key is not None:
            layouts[(key, tuple(extremes if shared and not narrowed else measured))] = tuple(widths)
        return widths

    def _column_measure(
        self,
        sample: Table,
        layouts: dict[Hashable, object],
        headers: list[Hashable],
        measured: list[tuple[int, int]],
    ) -> Callable[[Console, ConsoleOptions, Column], Measurement]:
        """rich's measure of a column (its header and cells, padded), remembered by
        everything it depends on: tables of a report share most of their columns."""
        real = sample._measure_column
        shape = (self.padding, self.collapse_padding, self.pad_edge, self.show_header)
        count = len(sample.columns)

        def measure(console: Console, options: ConsoleOptions, column: Column) -> Measurement:
            index = column._index
            header = headers[index]
            if header is None and column.header is not None:
                return real(console, options, column)
            key = (
                "measure",
                shape,
                count,
                index,
                _options_key(options),
                header,
                column.width,
                column.min_width,
                column.max_width,
                measured[index],
            )
            found = layouts.get(key)
            if found is None:
                found = layouts[key] = real(console, options, column)
            return found  # type: ignore[return-value]

        return measure

    def _drawn_frame(
        self, console: Console, options: ConsoleOptions, widths: list[int], *, plain: bool
    ) -> list[list[Segment]]:
        """The title, header and rule under it, and the bottom edge: as rich draws them."""
        title = _renderable_key(self.title)
        headers = [_renderable_key(column.header) for column in self.columns]
        key: Hashable = None
        if (title is not None or self.title is None) and not any(
            header is None and column.header is not None
            for header, column in zip(headers, self.columns, strict=True)
        ):
            key = (
                "frame",
                plain,
                tuple(widths),
                _options_key(options),
                title,
                str(self.title_style),
                self.title_justify,
                str(self.header_style),
                self.box,
                self.safe_box,
                self.highlight,
                self.padding,
                self.collapse_padding,
                self.pad_edge,
                self.show_edge,
                tuple(
                    (
                        header,
                        str(column.header_style),
                        column.justify,
                        column.vertical,
                        column.overflow,
                        column.no_wrap,
                    )
                    for header, column in zip(headers, self.columns, strict=True)
                ),
            )
            found = _layouts(console).get(key)
            if found is not None:
                return found  # type: ignore[return-value]
        drawn = self._plain_frame(console, options, widths) if plain else None
        if drawn is not None:
            lines = [[Segment(line)] for line in drawn]
        else:
            lines = console.render_lines(self._frame(widths), options, pad=False, new_lines=False)
        if key is not None:
            _layouts(console)[key] = lines
        return lines

    def _plain_frame(
        self, console: Console, options: ConsoleOptions, widths: list[int]
    ) -> list[str] | None:
        """The frame's lines as text, when no colour is drawn: the title (wrapped to
        the table's width), the top edge, the header cells (bottom-aligned, as rich
        aligns a header row), the rule under them, and the bottom edge. None when
        a title or header is anything but text laid out left, right or centred."""
        assert self.box is not None
        box = self.box.substitute(
            options, safe=console.safe_box if self.safe_box is None else self.safe_box
        )
        table_width = sum(widths) + self._extra_width
        lines: list[str] = []
        if self.title:
            title = self.title
            if isinstance(title, str):
                title = console.render_str(
                    title, style=Style.pick_first(self.title_style, "table.title"), highlight=False
                )
            if not isinstance(title, Text) or self.title_justify not in ("left", "right", "center"):
                return None
            justify = title.justify or self.title_justify
            overflow = title.overflow or options.overflow or "fold"
            no_wrap = bool(title.no_wrap if title.no_wrap is not None else options.no_wrap)
            if "\t" in title.plain or justify not in ("left", "right", "center"):
                return None
            lines += self._draw_plain(
                console, title, title.plain, table_width, justify, overflow, no_wrap
            )
        lines.append(box.get_top(widths))
        cells: list[list[str]] = []
        for column, width in zip(self.columns, widths, strict=True):
            header = column.header
            if isinstance(header, str):
                header = console.render_str(
                    header, highlight=column.highlight, markup=options.markup
                )
            if not isinstance(header, Text) or "\t" in header.plain:
                return None
            justify, overflow, no_wrap = _how(header, column)
            drawn = self._draw_plain(
                console, header, header.plain, width - 2, justify, overflow, no_wrap
            )
            cells.append([f" {line} " for line in drawn])
        height = max(len(cell) for cell in cells)
        for line_no in range(height):
            row = []
            for cell, width in zip(cells, widths, strict=True):
                above = height - len(cell)  # a header row is aligned to the bottom
                row.append(" " * width if line_no < above else cell[line_no - above])
            lines.append(box.head_left + box.head_vertical.join(row) + box.head_right)
        lines.append(box.get_row(widths, "head", edge=True))
        lines.append(box.get_bottom(widths))
        return lines

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
            clone.min_width = None
            clone.ratio = None
            frame.columns.append(clone)
        return frame

    def _edges(self, console: Console, options: ConsoleOptions) -> tuple[tuple[str, ...], ...]:
        """(left, right, divider) of a row, and of the last row."""
        assert self.box is not None
        box = self.box.substitute(
            options, safe=console.safe_box if self.safe_box is None else self.safe_box
        )
        return (
            (box.mid_left, box.mid_right, box.mid_vertical),
            (box.foot_left, box.foot_right, box.foot_vertical),
        )

    # ------------------------------------------------------------------ rows, no colour

    def _plain_rows(
        self, console: Console, widths: list[int], edges: tuple[tuple[str, ...], ...]
    ) -> Iterable[Segment]:
        """Each line of each row as one segment (as wide as the table), then a new line."""
        new_line = Segment.line()
        types: dict[int, type[_Line]] = {}
        for text, cells in self._plain_row_lines(console, widths, edges):
            line = types.get(cells)
            if line is None:
                line = types[cells] = _line_type(cells)
            yield line(text)
            yield new_line

    def _plain_row_lines(
        self, console: Console, widths: list[int], edges: tuple[tuple[str, ...], ...]
    ) -> list[tuple[str, int]]:
        """Each line of each row as one string, with its width in cells: what rich
        draws when no style is shown.

        A cell drawn before (the same text, the same way, as a status or a date
        is down a long list) in this console is taken from memory.
        """
        middle, bottom = edges
        layouts = _layouts(console)
        columns = []
        for column, width, (left, right) in zip(self.columns, widths, self._pads(), strict=True):
            columns.append(
                (
                    column,
                    column._cells,
                    width - left - right,
                    " " * left,
                    " " * right,
                    " " * width,
                    {},  # how cells are laid out, by the texts' own justify, overflow, no_wrap
                )
            )
        last = len(self.rows) - 1
        lines_of = {
            edges: _cells(edges[0])
            + _cells(edges[1])
            + _cells(edges[2]) * (len(widths) - 1)
            + sum(widths)
            for edges in (middle, bottom)
        }
        drawn_lines: list[tuple[str, int]] = []
        add = drawn_lines.append
        for index in range(last + 1):
            left, right, divider = edge = bottom if index == last else middle
            line = lines_of[edge]
            cells: list[list[str]] = []
            for column, column_cells, inner, before, after, _, ways in columns:
                text: Text = column_cells[index]  # type: ignore[assignment]
                own = (text.justify, text.overflow, text.no_wrap)
                way = ways.get(own)
                if way is None:
                    justify = text.justify or column.justify or "default"
                    overflow = text.overflow or column.overflow or "fold"
                    no_wrap = bool(text.no_wrap if text.no_wrap is not None else column.no_wrap)
                    way = ways[own] = (
                        justify,
                        overflow,
                        no_wrap,
                        layouts.setdefault(
                            ("cells", inner, justify, overflow, no_wrap, before, after), {}
                        ),
                    )
                justify, overflow, no_wrap, drawn_cells = way
                plain = text.plain
                lines: list[str] | None = drawn_cells.get(plain)  # type: ignore[attr-defined]
                if lines is None:
                    drawn = self._draw_plain(
                        console, text, plain, inner, justify, overflow, no_wrap
                    )
                    lines = drawn_cells[plain] = [before + line + after for line in drawn]  # type: ignore[index]
                cells.append(lines)
            height = max(len(lines) for lines in cells)
            if height == 1:
                add((left + divider.join([lines[0] for lines in cells]) + right, line))
                continue
            for line_no in range(height):
                drawn = [
                    lines[line_no] if line_no < len(lines) else spec[5]
                    for lines, spec in zip(cells, columns, strict=True)
                ]
                add((left + divider.join(drawn) + right, line))
        return drawn_lines

    def _draw_plain(
        self,
        console: Console,
        text: Text,
        plain: str,
        width: int,
        justify: str,
        overflow: str,
        no_wrap: bool,
    ) -> list[str]:
        if justify in ("left", "right") and not _AWKWARD.search(plain):
            drawn: list[str] = []
            for line in plain.split("\n"):
                if not line.strip():
                    break
                if _cells(line) <= width:
                    drawn.append(_justified(line, width, justify))
                else:
                    drawn += _wrapped_plain(line, width, justify, overflow, no_wrap)
            else:
                return drawn
        return [
            "".join(segment.text for segment in line)
            for line in self._wrapped(console, text, width, justify, overflow, no_wrap)
        ]

    # ------------------------------------------------------------------ rows, with colour

    def _rows(
        self, console: Console, options: ConsoleOptions, widths: list[int]
    ) -> Iterable[Segment]:
        middle, bottom = (
            tuple(Segment(edge) for edge in edges) for edges in self._edges(console, options)
        )
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

    def _cell(
        self, console: Console, text: Text, column: Column, width: int
    ) -> list[list[Segment]]:
        """The cell's lines, each exactly ``width`` cells wide, as rich draws them."""
        justify, overflow, no_wrap = _how(text, column)
        plain = text.plain
        if justify in ("left", "right") and not _AWKWARD.search(plain):
            lines = text.split("\n", allow_blank=True) if "\n" in plain else [text]
            drawn: list[list[Segment]] = []
            for line in lines:
                fitted = self._styled_line(console, line, width, justify, overflow, no_wrap)
                if fitted is None:
                    break
                drawn += fitted
            else:
                return drawn
        return self._wrapped(console, text, width, justify, overflow, no_wrap)

    @staticmethod
    def _styled_line(
        console: Console, line: Text, width: int, justify: str, overflow: str, no_wrap: bool
    ) -> list[list[Segment]] | None:
        """One line of a cell (no line breaks) with its styles, or None for rich's way."""
        plain = line.plain
        fitted = _fitted(plain, width, justify, overflow, no_wrap)
        if fitted is None:
            return None
        style = console.get_style(line.style, default=Style.null()) if line.style else None
        base = Style.combine([Style.null(), style]) if style else None
        if len(fitted) > 1:  # a folded word
            if line.spans:
                return None
            return [[Segment(chunk, base)] for chunk in fitted]
        if line.spans:
            # what wrap, justify, join, render and crop make of a line that fits
            line = line.copy()
            Lines([line]).justify(console, width, justify=justify, overflow=overflow)
            if line.spans:  # (render leaves the base style out when there are none)
                return [list(line.render(console))]
            return [[Segment(line.plain, base)]]
        return [[Segment(fitted[0], base)]]

    @staticmethod
    def _wrapped(
        console: Console,
        text: Text,
        width: int,
        justify: str,
        overflow: str,
        no_wrap: bool,
    ) -> list[list[Segment]]:
        """rich's own way: wrap, justify, join, render, split into lines and crop."""
        plain = text.plain
        if "\n" in plain or "\t" in plain or cell_len(plain) > width:
            wrapped = list(
                text.wrap(console, width, justify=justify, overflow=overflow, no_wrap=no_wrap)  # type: ignore[arg-type]
            )
        else:
            line = text.copy()
            Lines([line]).justify(console, width, justify=justify, overflow=overflow)  # type: ignore[arg-type]
            line.truncate(width, overflow=overflow)  # type: ignore[arg-type]
            wrapped = [line]
        segments = Text("\n").join(wrapped).render(console, end=text.end)
        return list(
            Segment.split_and_crop_lines(
                segments, width, include_new_lines=False, pad=True, style=Style.null()
            )
        )


def plain_text(console: Console, renderable: RenderableType) -> str | None:
    """What ``console.print(renderable)`` writes where no colour is drawn (a pipe,
    a file), made without passing each line through rich's printing: groups are
    opened, fast tables give their lines as text, anything else is drawn by rich
    (``render_lines``, cropped to the console as ``print`` crops). None when the
    console draws colour, records, or wraps softly: then print as usual."""
    if console.color_system is not None or console.record or console.soft_wrap:
        return None
    options = console.options
    out: list[str] = []
    if not _plain_parts(console, options, renderable, out):
        return None
    out.append("")
    return "\n".join(out)


def _plain_parts(
    console: Console, options: ConsoleOptions, renderable: RenderableType, out: list[str]
) -> bool:
    if isinstance(renderable, Group):
        return all(_plain_parts(console, options, part, out) for part in renderable.renderables)
    if type(renderable) is FastTable:
        lines = renderable.plain_lines(console, options)
        if lines is not None:
            out += lines
            return True
    if (
        type(renderable) is Text
        and renderable.end == "\n"
        and (renderable.justify or options.justify) in (None, "default")
    ):
        plain = renderable.plain
        if "\n" not in plain and not _AWKWARD.search(plain) and _cells(plain) <= options.max_width:
            out.append(plain)  # one line that fits: drawn as it is
            return True
    if type(renderable) is Rule:
        line = _plain_rule(renderable, options)
        if line is not None:
            out.append(line)
            return True
    if not isinstance(renderable, Text | Table | Rule) or (
        isinstance(renderable, Text) and renderable.end != "\n"
    ):
        return False  # (only what a report is made of is known to end each line)
    for line in console.render_lines(renderable, options, pad=False, new_lines=False):
        if any(segment.control for segment in line):
            return False
        out.append("".join([segment.text for segment in line]))
    return True


def _plain_rule(rule: Rule, options: ConsoleOptions) -> str | None:
    """A rule with its title on the left, as rich draws it without colour (a
    report's headings); None for any other rule."""
    characters = rule.characters
    title = rule.title
    if (
        rule.align != "left"
        or type(title) is not Text
        or rule.end != "\n"
        or (options.ascii_only and not characters.isascii())
        or cell_len(characters) != 1
    ):
        return None
    plain = title.plain
    width = options.max_width
    if not plain or "\n" in plain or "\t" in plain or width <= 2:
        return None
    if cell_len(plain) > width - 2:  # cut short with an ellipsis
        plain = set_cell_size(plain, width - 3) + "…"
    line = plain + " "
    return set_cell_size(line + characters * (width - cell_len(line)), width)
