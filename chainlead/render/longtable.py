"""One table for long lists: the item list, and the report's tables and grids.

rich's ``Table`` lays out every cell through its generic machinery (measure,
pad, wrap, crop), about a millisecond a row; a district's list has ten
thousand rows. ``LongTable`` draws its rows itself, from rich's public parts
only (cell widths, boxes, styles, segments), with a width rule of its own:

1. each column wants its widest line, header included, counted in terminal
   cells (a CJK character takes two); a column given ``width`` wants that;
2. while the table is wider than the room, the widest wrapping columns give
   up cells first, down to their ``min_width`` (``MIN_WIDTH`` unless given);
   a header wraps at its spaces too. If it is still too wide, the wrapping
   columns give up more, down to their longest word (a date, a key: what
   ``render.wrap`` never breaks), then down to one cell; then every column, widest first
   (lines cut short end in "…"); what even that does not fit is cut at the
   edge of the room;
3. with ``expand``, room left over goes to the ``ratio`` columns, by ratio.

A column given a ``drop`` order is left out (lowest first) while the table
cannot fit with no word cut: a narrow terminal keeps what is acted on first.

In a cell, text keeps its line breaks and folds by the rules of
``render.wrap`` (English at spaces, CJK between characters but never a
closing mark first on a line nor one character alone); a line of a
``no_wrap`` column too long for it ends in "…". Where no colour is drawn (a
pipe, a file) each line is one string, without trailing spaces, and
``plain_text`` makes a whole report into text that way.

rich's ``Table`` stays for cards and short lists.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Literal, TypeVar, cast

from rich import box as boxes
from rich.box import Box
from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.control import strip_control_codes
from rich.measure import Measurement
from rich.rule import Rule
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text

from chainlead.render.wrap import fold, text_cells, units

Justify = Literal["left", "center", "right"]
_T = TypeVar("_T")
Cell = Text | str

MIN_WIDTH = 10  # cells a wrapping column keeps while other columns give up theirs
CJK_LEAST = 6  # cells a column of CJK text keeps while words elsewhere are kept whole

# Characters a terminal may take as a tab stop or a line break: drawn as spaces.
_ODD_SPACES = "\t\x1c\x1d\x1e\x85\u2028\u2029"
_ODD_SPACE = re.compile(f"[{_ODD_SPACES}]")
_AS_SPACE = str.maketrans(dict.fromkeys(_ODD_SPACES, " "))

# The widest line of a text, in cells, by its text: a long list repeats most of
# its cells (statuses, dates, units).
_WIDEST: dict[str, int] = {}


def _clean(plain: str) -> str:
    """The text as it is laid out: control codes taken out, as ``Text`` takes them
    out; tabs and odd line breaks as spaces (one each)."""
    if plain.isprintable():
        return plain
    plain = strip_control_codes(plain)
    return plain.translate(_AS_SPACE) if _ODD_SPACE.search(plain) else plain


def widest(plain: str) -> int:
    """The widest line of ``plain`` in terminal cells, trailing spaces left out."""
    found = _WIDEST.get(plain)
    if found is None:
        if "\n" in plain:
            found = max(text_cells(line.rstrip()) for line in plain.split("\n"))
        else:
            found = text_cells(plain.rstrip())
        if len(_WIDEST) > 100_000:
            _WIDEST.clear()
        _WIDEST[plain] = found
    return found


_LONGEST: dict[str, int] = {}


def longest_word(plain: str) -> int:
    """The widest piece of ``plain`` no line breaks inside, in cells."""
    found = _LONGEST.get(plain)
    if found is None:
        if plain.isascii() and plain.isprintable():  # a cell a character: words between spaces
            found = max(map(len, plain.split()), default=0)
        else:
            found = max((text_cells(plain[a:b]) for a, b in units(plain)), default=0)
        if len(_LONGEST) > 100_000:
            _LONGEST.clear()
        _LONGEST[plain] = found
    return found


# --------------------------------------------------------------------------- one cell


Line = tuple[int, int, bool]  # where a drawn line starts and ends in the text; cut short?


def wrap(plain: str, width: int, *, no_wrap: bool = False, spaces: bool = False) -> list[Line]:
    """The lines of a cell ``width`` cells wide: (start, end, cut) in ``plain``.

    Line breaks are kept; a line too long for the width is folded by the rules
    of ``render.wrap`` (at spaces and between CJK characters; the spaces where
    it breaks are dropped; a word longer than the width is cut at the width;
    a heading, ``spaces``, breaks at its spaces while its words fit), and with
    ``no_wrap`` the line is cut instead (``cut``: it ends in "…"). Lines never
    end in spaces.
    """
    lines: list[Line] = []
    start = 0
    for paragraph in plain.split("\n"):
        end = start + len(paragraph.rstrip())
        _wrap_line(plain, start, end, width, no_wrap, spaces, lines)
        start += len(paragraph) + 1
    return lines


def _wrap_line(
    plain: str, start: int, end: int, width: int, no_wrap: bool, spaces: bool, out: list[Line]
) -> None:
    if text_cells(plain[start:end]) <= width:
        out.append((start, end, False))
        return
    if no_wrap:
        out.append((start, end, True))
        return
    folded = fold(plain[start:end], width, spaces=spaces)
    out += [(start + first, start + last, False) for first, last in folded]


def _cut(piece: str, width: int) -> str:
    """A line too long for ``width`` cells, cut to end in "…"."""
    return set_cell_size(piece, width - 1) + "…" if width > 0 else ""


def _justified(piece: str, width: int, justify: Justify) -> str:
    """``piece`` padded with spaces to ``width`` cells (cut there if wider)."""
    size = text_cells(piece)
    if size >= width:
        return piece if size == width else set_cell_size(piece, width)
    room = width - size
    if justify == "left":
        return piece + " " * room
    if justify == "right":
        return " " * room + piece
    return " " * (room // 2) + piece + " " * (room - room // 2)


def _fill(size: int, width: int, justify: Justify) -> tuple[int, int]:
    """Spaces before and after a piece ``size`` cells wide, justified in ``width``."""
    room = max(0, width - size)
    if justify == "left":
        return 0, room
    if justify == "right":
        return room, 0
    return room // 2, room - room // 2


# --------------------------------------------------------------------------- widths


def shrink(wants: Sequence[int], floors: Sequence[int], room: int) -> list[int]:
    """``wants`` cut down to fit ``room``, the widest first, none below its floor
    (when the floors alone are too wide: the floors)."""

    def total(level: int) -> int:
        return sum(max(floor, min(want, level)) for want, floor in zip(wants, floors, strict=True))

    low, high = 0, max(wants, default=0)
    while low < high:  # the highest level that fits
        middle = (low + high + 1) // 2
        if total(middle) <= room:
            low = middle
        else:
            high = middle - 1
    widths = [max(floor, min(want, low)) for want, floor in zip(wants, floors, strict=True)]
    spare = room - sum(widths)
    for index, want in enumerate(wants):  # a cell more for columns at the level, while room lasts
        if spare <= 0:
            break
        if widths[index] < want:
            widths[index] += 1
            spare -= 1
    return widths


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True, slots=True)
class LongColumn:
    """A column: its header, how its cells are laid out, how wide it may be."""

    header: Cell = ""
    justify: Justify = "left"
    no_wrap: bool = False  # lines too long are cut with "…", never wrapped
    width: int | None = None  # exactly this many cells (unless nothing else fits)
    min_width: int | None = None  # cells kept while other columns give up theirs
    ratio: int | None = None  # its share of the room an expanding table has left
    style: str = ""  # under each cell's own style
    drop: int | None = None  # left out, lowest first, when the table cannot fit its words


@dataclass(frozen=True, slots=True)
class _Shape:
    """A table laid out at one width: what its lines are made of."""

    widths: list[int]  # each column's cells, padding left out
    pads: list[tuple[int, int]]  # each column's padding (before, after)
    box: Box | None
    width: int  # the whole table's cells


class LongTable:
    """A table with a title, a header, box edges (or none: a grid) and many rows.

    Cells are ``Text`` (user text, with its styles) or plain strings.
    """

    def __init__(
        self,
        *,
        title: Cell | None = None,
        title_style: str = "bold",
        header_style: str = "bold",
        box: Box | None = boxes.SIMPLE_HEAD,
        padding: int = 1,
        pad_edge: bool = True,
        expand: bool = False,
    ) -> None:
        self.title = title
        self.title_style = title_style
        self.header_style = header_style
        self.box = box
        self.padding = padding
        self.pad_edge = pad_edge
        self.expand = expand
        self.columns: list[LongColumn] = []
        self.rows: list[Sequence[Cell]] = []
        self._texts: list[list[str]] | None = None  # the cells as text, column by column
        self._memo: dict[str, tuple] = {}  # measures by name (``_measured``)

    @classmethod
    def grid(cls, *, padding: int = 2, pad_edge: bool = False) -> LongTable:
        """Labels and values: no box, no header; ``padding`` cells between the
        columns, and before the first and after the last with ``pad_edge``."""
        return cls(box=None, padding=padding, pad_edge=pad_edge)

    def add_column(
        self,
        header: Cell = "",
        *,
        justify: Justify = "left",
        no_wrap: bool = False,
        width: int | None = None,
        min_width: int | None = None,
        ratio: int | None = None,
        style: str = "",
        drop: int | None = None,
    ) -> None:
        self.columns.append(
            LongColumn(header, justify, no_wrap, width, min_width, ratio, style, drop)
        )
        self._texts = None

    def add_row(self, *cells: Cell) -> None:
        self.add_rows([cells])

    def add_rows(self, rows: Iterable[Sequence[Cell]]) -> None:
        """Many rows at once, each a cell per column."""
        rows = list(rows)
        count = len(self.columns)
        if any(len(row) != count for row in rows):
            raise ValueError(f"a row without one cell for each of the {count} columns")
        self.rows += rows

    @property
    def row_count(self) -> int:
        return len(self.rows)

    # ------------------------------------------------------------------ layout

    def _pads(self, tight: bool = False) -> list[tuple[int, int]]:
        """Each column's padding (before, after); ``tight``: a boxed table's columns
        two cells apart, not three (when its columns do not fit at their floors)."""
        count = len(self.columns)
        pad = self.padding
        if self.box is not None:
            if tight and pad:
                return [(0, 1)] * (count - 1) + [(0, 0)]
            return [(pad, pad)] * count
        edge = pad if self.pad_edge else 0
        return [(edge if i == 0 else pad, edge if i == count - 1 else 0) for i in range(count)]

    def _extra(self, box: Box | None, tight: bool = False) -> int:
        """The table's cells that are not its columns' own: padding, edges, dividers."""
        extra = sum(before + after for before, after in self._pads(tight))
        if box is not None:
            extra += cell_len(box.mid_left) + cell_len(box.mid_right)
            extra += cell_len(box.mid_vertical) * max(0, len(self.columns) - 1)
        return extra

    def _plains(self) -> list[list[str]]:
        """Each column's cells as text laid out, column by column."""
        if not self.rows:
            return [[] for _ in self.columns]
        if self._texts is None or len(self._texts[0]) != len(self.rows):
            self._texts = []
            for cells in zip(*self.rows, strict=True):
                texts = [cell if type(cell) is str else cell.plain for cell in cells]
                if not all(map(str.isprintable, texts)):
                    texts = list(map(_clean, texts))
                self._texts.append(texts)
        return self._texts

    def _headers(self) -> list[str]:
        if self.box is None:
            return [""] * len(self.columns)
        return [
            _clean(c.header.plain if isinstance(c.header, Text) else c.header) for c in self.columns
        ]

    def _measured(self, name: str, measure: Callable[[], _T]) -> _T:
        """``measure()``, kept while the table's cells and columns stay the ones it
        was measured on (a table is measured several times as it is laid out)."""
        plains = self._plains()
        kept = self._memo.get(name)
        if (
            kept is not None
            and kept[0] is plains
            and kept[1] == len(self.columns)
            and all(map(operator.is_, kept[2], self.columns))
            and kept[3] is self.box
        ):
            return kept[4]
        found = measure()
        self._memo[name] = (plains, len(self.columns), list(self.columns), self.box, found)
        return found

    def _wants(self) -> tuple[list[int], list[int]]:
        wants, floors = self._measured("wants", self._measure_wants)
        return list(wants), list(floors)

    def _words(self) -> tuple[list[int], list[int]]:
        words, shorts = self._measured("words", self._measure_words)
        return list(words), list(shorts)

    def _measure_wants(self) -> tuple[list[int], list[int]]:
        """Each column's width wanted (its widest line), and its floor: the fewest
        cells it has before the other columns give up theirs."""
        wants: list[int] = []
        floors: list[int] = []
        for column, cells, header in zip(
            self.columns, self._plains(), self._headers(), strict=True
        ):
            if column.width is not None:
                wants.append(column.width)
                floors.append(column.width)
                continue
            widest_cell = max(map(widest, set(cells)), default=0)
            wants.append(max(widest_cell, widest(header)))
            if column.no_wrap:  # its cells keep their width; its header may wrap
                word = max(map(cell_len, header.split()), default=0)  # a short one kept whole
                floors.append(max(widest_cell, longest_word(header), min(word, CJK_LEAST)))
            else:
                least = MIN_WIDTH if column.min_width is None else column.min_width
                floors.append(min(wants[-1], least))
        return wants, floors

    def _measure_words(self) -> tuple[list[int], list[int]]:
        """Each column's least width before a word is cut: its longest piece no
        line breaks inside (``render.wrap``: a word, a date, a CJK character with
        its punctuation), header included; a column of short cells (names,
        dates, keys: ``MIN_WIDTH`` at most) its widest cell; a column of CJK
        text ``CJK_LEAST`` cells (so that no character is left alone). And each
        column's short cells' width (0 for a column of longer text): what it
        keeps while longer text is cut."""
        found = []
        shorts = []
        for cells, header in zip(self._plains(), self._headers(), strict=True):
            distinct = set(cells)
            least = max(map(longest_word, distinct | {header}))
            widest_cell = max(map(widest, distinct), default=0)
            if widest_cell <= MIN_WIDTH:
                least = max(least, widest_cell)
            elif not all(map(str.isascii, distinct)):
                least = max(least, CJK_LEAST)
            found.append(least)
            shorts.append(widest_cell if widest_cell <= MIN_WIDTH else 0)
        return found, shorts

    def _fits_words(self, width: int) -> bool:
        """Do the columns fit ``width`` cells with no word cut (see ``widths``)?"""
        wants, floors = self._wants()
        pieces, _ = self._words()
        words = [
            min(floor, word) if column.width is None and not column.no_wrap else floor
            for column, floor, word in zip(self.columns, floors, pieces, strict=True)
        ]
        return sum(words) + self._extra(self.box, tight=True) <= width

    def fitted(self, width: int) -> LongTable:
        """The table drawn ``width`` cells wide: without the columns given a
        ``drop`` order, lowest first, while it cannot fit its words."""
        orders = sorted({c.drop for c in self.columns if c.drop is not None})
        table = self
        for order in orders:
            if table._fits_words(width):
                break
            kept = [i for i, c in enumerate(self.columns) if c.drop is None or c.drop > order]
            table = LongTable(
                title=self.title,
                title_style=self.title_style,
                header_style=self.header_style,
                box=self.box,
                padding=self.padding,
                pad_edge=self.pad_edge,
                expand=self.expand,
            )
            table.columns = [self.columns[i] for i in kept]
            table.rows = [[row[i] for i in kept] for row in self.rows]
        return table

    def least_width(self) -> int:
        """The fewest cells the table takes with no line cut short: each column at
        its floor (see the module's rule)."""
        return sum(self._wants()[1]) + self._extra(self.box)

    def widths(self, room: int) -> list[int]:
        """Each column's width in cells (padding left out) in ``room`` cells: the
        module's rule."""
        wants, floors = self._wants()
        if sum(wants) > room:
            if sum(floors) <= room:
                return shrink(wants, floors, room)
            wrapping = [column.width is None and not column.no_wrap for column in self.columns]
            pieces, shorts = self._words()
            words = [
                min(floor, word) if wraps else floor
                for wraps, floor, word in zip(wrapping, floors, pieces, strict=True)
            ]
            if sum(words) <= room:  # text folds further, no word (or date) cut
                return shrink(wants, words, room)
            keep = [
                min(floor, max(1, short)) if wraps else floor
                for wraps, floor, short in zip(wrapping, floors, shorts, strict=True)
            ]
            if sum(keep) <= room:  # longer text's words cut; names, dates kept whole
                return shrink(words, keep, room)
            least = [1 if wraps else floor for wraps, floor in zip(wrapping, floors, strict=True)]
            if sum(least) <= room:  # words cut before anything else is
                return shrink(keep, least, room)
            return shrink(least, [1] * len(least), room)
        widths = list(wants)
        ratios = [column.ratio or 0 for column in self.columns]
        spare = room - sum(widths)
        if self.expand and spare > 0 and sum(ratios):
            shares = [spare * ratio // sum(ratios) for ratio in ratios]
            left = spare - sum(shares)
            for index, ratio in enumerate(ratios):  # what division leaves, a cell each
                if ratio and left:
                    shares[index] += 1
                    left -= 1
            widths = [width + share for width, share in zip(widths, shares, strict=True)]
        return widths

    def _shape(self, options: ConsoleOptions) -> _Shape:
        box = None if self.box is None else self.box.substitute(options)
        extra = self._extra(box)
        tight = sum(self._wants()[1]) + extra > options.max_width
        if tight:
            extra = self._extra(box, tight)
        widths = self.widths(options.max_width - extra)
        return _Shape(widths, self._pads(tight), box, sum(widths) + extra)

    # ------------------------------------------------------------------ without colour

    def plain_lines(self, options: ConsoleOptions) -> list[str]:
        """The table's lines as text, as drawn where no colour is shown."""
        fitted = self.fitted(options.max_width)
        if fitted is not self:
            return fitted.plain_lines(options)
        plains = self._plains()
        shape = self._shape(options)
        box = shape.box
        lines: list[str] = []
        if self.title is not None:
            title = _clean(self.title.plain if isinstance(self.title, Text) else self.title)
            lines += [
                _cut(title[start:end], options.max_width) if cut else title[start:end]
                for start, end, cut in wrap(title, options.max_width)
            ]
        padded = [
            w + before + after for w, (before, after) in zip(shape.widths, shape.pads, strict=True)
        ]
        if box is not None:
            lines.append(box.get_top(padded))
            edges = (box.head_left, box.head_vertical, box.head_right)
            headers = [[header] for header in self._headers()]
            lines += self._plain_rows(headers, shape, edges, header=True)
            lines.append(box.get_row(padded, "head", edge=True))
            edges = (box.mid_left, box.mid_vertical, box.mid_right)
        else:
            edges = ("", "", "")
        lines += self._plain_rows(plains, shape, edges)
        if box is not None:
            lines.append(box.get_bottom(padded))
        if shape.width > options.max_width:  # not even one cell a column fits: cut at the edge
            lines = [set_cell_size(line, options.max_width) for line in lines]
        return [line.rstrip() for line in lines]

    def _plain_rows(
        self,
        plains: list[list[str]],
        shape: _Shape,
        edges: tuple[str, str, str],
        *,
        header: bool = False,
    ) -> list[str]:
        """Each line of each row. Each different text of a column is laid out once
        (a long list repeats its statuses, dates and units), and the rows whose
        cells all take one line (most) are joined column by column."""
        left, divider, right = edges
        specs = zip(self.columns, shape.widths, shape.pads, plains, strict=True)
        drawn: list[list[list[str]]] = []  # each column's cells, each cell's lines
        firsts: list[list[str]] = []  # each column's cells' first lines
        tall: set[int] = set()  # the rows with a cell of more lines than one
        for column, width, (before, after), cells in specs:
            no_wrap = column.no_wrap and not header
            laid_out = {
                plain: [
                    " " * before
                    + _justified(
                        _cut(plain[start:end], width) if cut else plain[start:end],
                        width,
                        column.justify,
                    )
                    + " " * after
                    for start, end, cut in wrap(plain, width, no_wrap=no_wrap, spaces=header)
                ]
                for plain in set(cells)
            }
            drawn.append(list(map(laid_out.__getitem__, cells)))
            first = {plain: lines[0] for plain, lines in laid_out.items()}
            firsts.append(list(map(first.__getitem__, cells)))
            several = {plain for plain, lines in laid_out.items() if len(lines) > 1}
            if several:
                tall.update(compress(range(len(cells)), map(several.__contains__, cells)))
        lines = [left + line + right for line in map(divider.join, zip(*firsts, strict=True))]
        if not tall:
            return lines
        blanks = [" " * (w + b + a) for w, (b, a) in zip(shape.widths, shape.pads, strict=True)]
        every: list[str] = []
        for index, line in enumerate(lines):
            if index not in tall:
                every.append(line)
                continue
            cells = [column[index] for column in drawn]
            height = max(map(len, cells))
            for number in range(height):
                parts = []
                for cell, blank in zip(cells, blanks, strict=True):
                    above = height - len(cell) if header else 0  # a header sits on its rule
                    inside = 0 <= number - above < len(cell)
                    parts.append(cell[number - above] if inside else blank)
                every.append(left + divider.join(parts) + right)
        return every

    # ------------------------------------------------------------------ with colour

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if console.color_system is None and not console.record:
            new_line = Segment.line()
            for line in self.plain_lines(options):
                yield Segment(line)
                yield new_line
            return
        yield from self._styled_lines(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        narrow = self._shape(options.update_width(1)).width
        wide = self._shape(options.update_width(1_000_000)).width
        return Measurement(min(narrow, wide), wide).clamp(max_width=options.max_width)

    def _styled_lines(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        fitted = self.fitted(options.max_width)
        if fitted is not self:
            yield from fitted._styled_lines(console, options)
            return
        shape = self._shape(options)
        box = shape.box
        width = options.max_width
        new_line = Segment.line()

        def finished(line: list[Segment]) -> list[Segment]:
            if shape.width <= width:
                return line
            # not even one cell a column fits: cut at the edge
            return _trimmed(list(Segment.adjust_line_length(line, width)))

        if self.title is not None:
            title = self.title if isinstance(self.title, Text) else Text(self.title)
            for line in _styled_cell(console, title, width, "left", False, self.title_style):
                yield from _joined("", [line], "", "")
                yield new_line
        padded = [
            w + before + after for w, (before, after) in zip(shape.widths, shape.pads, strict=True)
        ]
        lines: Iterable[list[Segment]]
        if box is not None:
            headers = [[c.header for c in self.columns]]
            edges = (box.head_left, box.head_vertical, box.head_right)
            lines = [
                _joined("", [], "", box.get_top(padded)),
                *self._styled_rows(console, headers, shape, edges, header=True),
                _joined("", [], "", box.get_row(padded, "head", edge=True)),
            ]
            for line in lines:
                yield from finished(line)
                yield new_line
            edges = (box.mid_left, box.mid_vertical, box.mid_right)
        else:
            edges = ("", "", "")
        for line in self._styled_rows(console, self.rows, shape, edges):
            yield from finished(line)
            yield new_line
        if box is not None:
            yield from finished(_joined("", [], "", box.get_bottom(padded)))
            yield new_line

    def _styled_rows(
        self,
        console: Console,
        rows: Iterable[Sequence[Cell]],
        shape: _Shape,
        edges: tuple[str, str, str],
        *,
        header: bool = False,
    ) -> Iterator[list[Segment]]:
        """Each line of each row as segments; a cell in one style drawn before (the
        same text in the same column) is taken from memory."""
        left, divider, right = edges
        specs = []
        for column, width, (before, after) in zip(
            self.columns, shape.widths, shape.pads, strict=True
        ):
            style = " ".join(s for s in (column.style, self.header_style if header else "") if s)
            no_wrap = column.no_wrap and not header
            specs.append((column.justify, width, " " * before, " " * after, style, no_wrap, {}))
        spaces = header
        blanks = [
            (" " * (w + b + a), [], "") for w, (b, a) in zip(shape.widths, shape.pads, strict=True)
        ]
        for row in rows:
            cells: list[list[_Piece]] = []
            for cell, (justify, width, before, after, style, no_wrap, known) in zip(
                row, specs, strict=True
            ):
                key = None
                if type(cell) is str or not cell.spans:  # (Text) one style: drawn once
                    key = (cell, "") if type(cell) is str else (cell.plain, str(cell.style))
                    found = known.get(key)
                    if found is not None:
                        cells.append(found)
                        continue
                drawn = [
                    (before + head, middle, tail + after)
                    for head, middle, tail in _styled_cell(
                        console, cell, width, justify, no_wrap, style, spaces=spaces
                    )
                ]
                if key is not None:
                    known[key] = drawn
                cells.append(drawn)
            height = max(map(len, cells))
            for number in range(height):
                line = []
                for cell, blank in zip(cells, blanks, strict=True):
                    above = height - len(cell) if header else 0  # a header sits on its rule
                    line.append(cell[number - above] if 0 <= number - above < len(cell) else blank)
                yield _joined(left, line, divider, right)


# A line of a cell: unstyled text before, the styled segments, unstyled text after.
_Piece = tuple[str, list[Segment], str]


def _styled_cell(
    console: Console,
    cell: Cell,
    width: int,
    justify: Justify,
    no_wrap: bool,
    style: str,
    *,
    spaces: bool = False,
) -> list[_Piece]:
    """Each line of a cell, ``width`` cells wide, with its styles over ``style``."""
    quick = _quick_cell(console, cell, width, justify, no_wrap, style, spaces)
    if quick is not None:
        return quick
    return _drawn_cell(console, cell, width, justify, no_wrap, style, spaces)


def _drawn_cell(
    console: Console,
    cell: Cell,
    width: int,
    justify: Justify,
    no_wrap: bool,
    style: str,
    spaces: bool,
) -> list[_Piece]:
    """``_styled_cell`` through ``Text``: each line sliced from the cell's text and
    drawn, cut short where it must be."""
    text = cell if isinstance(cell, Text) else Text(cell)
    plain = _clean(text.plain)
    if plain != text.plain:
        text = text.copy()
        text.plain = plain
    base = console.get_style(style) if style else None
    lines: list[_Piece] = []
    for start, end, cut in wrap(plain, width, no_wrap=no_wrap, spaces=spaces):
        piece = text[start:end] if end > start else Text("")
        if cut:
            piece.truncate(width, overflow="ellipsis")
        if piece.cell_len > width:  # a wide character in a column one cell wide
            piece.truncate(width)
            if not piece.plain.strip():  # (half of it is a space)
                lines.append((" " * width, [], ""))
                continue
        before, after = _fill(piece.cell_len, width, justify)
        segments = [segment for segment in piece.render(console) if segment.text]
        if base is not None:
            segments = list(Segment.apply_style(segments, base))
        if not any(segment.style for segment in segments):
            lines.append((" " * before + piece.plain + " " * after, [], ""))
        else:
            lines.append((" " * before, segments, " " * after))
    return lines


def _quick_cell(
    console: Console,
    cell: Cell,
    width: int,
    justify: Justify,
    no_wrap: bool,
    style: str,
    spaces: bool,
) -> list[_Piece] | None:
    """``_styled_cell`` without a ``Text`` made of each line: the lines cut from
    the cell's segments as ``Text.render`` draws it whole (a line's slice of a
    ``Text`` draws the same: the spans over it, cut at its ends; one without
    spans over it, unstyled). None where a line is cut short or a control code
    taken out (drawn by ``_drawn_cell``)."""
    if type(cell) is str:
        plain = _clean(cell)
        spans: list[Span] = []
    else:
        plain = cell.plain
        if _clean(plain) != plain:
            return None
        spans = cell.spans
    parts: list[tuple[int, int, Style | None]] = []  # the drawn cell: start, end, style
    if spans:
        size = len(plain)
        if not all(0 <= span.start <= span.end <= size for span in spans):
            return None
        whole = cast(Text, cell)
        if not all(span.end > span.start for span in spans):  # a line's slice drops these
            spans = [span for span in spans if span.end > span.start]
            whole = Text(plain, style=whole.style, spans=spans)
        position = 0
        for segment in whole.render(console):
            parts.append((position, position + len(segment.text), segment.style))
            position += len(segment.text)
    base = console.get_style(style) if style else None
    lines: list[_Piece] = []
    for start, end, cut in wrap(plain, width, no_wrap=no_wrap, spaces=spaces):
        piece = plain[start:end]
        size = text_cells(piece)
        if cut or size > width:
            return None
        before, after = _fill(size, width, justify)
        if any(max(span.start, start) < min(span.end, end) for span in spans):
            segments = [
                Segment(plain[max(first, start) : min(last, end)], part_style)
                for first, last, part_style in parts
                if max(first, start) < min(last, end)
            ]
        else:
            segments = [Segment(piece)] if piece else []
        if base is not None:
            segments = list(Segment.apply_style(segments, base))
        if not any(segment.style for segment in segments):
            lines.append((" " * before + piece + " " * after, [], ""))
        else:
            lines.append((" " * before, segments, " " * after))
    return lines


def _joined(left: str, pieces: Sequence[_Piece], divider: str, right: str) -> list[Segment]:
    """A line from its cells' pieces between its edges: unstyled text joined into
    one segment, no spaces at the end (unless styled)."""
    segments: list[Segment] = []
    text = left
    for position, (head, middle, tail) in enumerate(pieces):
        if position:
            text += divider
        text += head
        if middle:
            if text:
                segments.append(Segment(text))
            segments += middle
            text = tail
        else:
            text += tail
    text = (text + right).rstrip()
    if text:
        segments.append(Segment(text))
    return segments


def _trimmed(line: list[Segment]) -> list[Segment]:
    """The line without the spaces it ends in (unless they are styled)."""
    while line and not line[-1].style and not line[-1].control:
        text = line[-1].text.rstrip()
        if text:
            line[-1] = Segment(text)
            break
        line.pop()
    return line


# --------------------------------------------------------------------------- into a pipe


def plain_text(console: Console, renderable: RenderableType) -> str | None:
    """What printing ``renderable`` shows where no colour is drawn (a pipe, a file)
    as one string, each line without trailing spaces, made without passing each
    line through rich's printing: long tables give their lines as text, headings
    and lines of text that fit are written as they are, anything else is drawn by
    rich. None where the console draws colour, records or wraps softly (print
    it then)."""
    if console.color_system is not None or console.record or console.soft_wrap:
        return None
    lines: list[str] = []
    if not _plain_parts(console, console.options, renderable, lines):
        return None
    lines.append("")
    return "\n".join(lines)


def _plain_parts(
    console: Console, options: ConsoleOptions, renderable: RenderableType, out: list[str]
) -> bool:
    if isinstance(renderable, LongTable):
        out += renderable.plain_lines(options)
        return True
    if isinstance(renderable, Heading):
        out += [line.plain.rstrip() for line in renderable.lines(options.max_width)]
        return True
    if isinstance(renderable, Text):
        if renderable.end != "\n":
            return False  # (what follows would go on the same line)
        plain = renderable.plain
        if (
            (renderable.justify or options.justify) in (None, "default", "left")
            and plain.isprintable()
            and cell_len(plain) <= options.max_width
        ):
            out.append(plain.rstrip())  # one line that fits: as it is
            return True
    elif isinstance(renderable, Rule):
        line = _rule_line(renderable, options)
        if line is not None:
            out.append(line)
            return True
    elif not isinstance(renderable, str) and hasattr(renderable, "__rich_console__"):
        parts = list(renderable.__rich_console__(console, options))
        if not any(isinstance(part, Segment) for part in parts):  # a group of renderables
            return all(_plain_parts(console, options, part, out) for part in parts)
    for line in console.render_lines(renderable, options, pad=False, new_lines=False):
        out.append("".join([segment.text for segment in line if not segment.control]).rstrip())
    return True


class Heading:
    """A section's heading: its title on the left and a rule after it to the
    edge. A title too long for the line folds (``render.wrap``: a date or a
    count is never cut), the rule after its last line."""

    def __init__(self, title: Text | str, *, characters: str = "─", style: str = "rule.line"):
        self.title = title if isinstance(title, Text) else Text(title)
        self.characters = characters
        self.style = style

    def lines(self, width: int) -> list[Text]:
        plain = _clean(self.title.plain)
        title = self.title
        if plain != title.plain:
            title = title.copy()
            title.plain = plain
        lines = [title[start:end] for start, end, _ in wrap(plain, max(1, width - 2))]
        last = lines[-1] if lines else Text("")
        tail = plain[len(plain.rstrip()) :]  # the spaces it ends in, kept before the rule
        if tail and last.cell_len + len(tail) < width - 1:
            last = Text.assemble(last, tail)
        rest = width - last.cell_len - 1
        if rest > 0:
            lines[-1:] = [Text.assemble(last, " ", (self.characters * rest, self.style))]
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width):
            line.no_wrap = True
            yield line


def _rule_line(rule: Rule, options: ConsoleOptions) -> str | None:
    """A heading: a rule with its title on the left, as text; None for any other rule."""
    characters = rule.characters
    title = rule.title
    width = options.max_width
    if (
        rule.align != "left"
        or not isinstance(title, Text)
        or rule.end != "\n"
        or (options.ascii_only and not characters.isascii())
        or cell_len(characters) != 1
        or width < 4
    ):
        return None
    plain = title.plain
    if not plain or not plain.isprintable():
        return None
    if cell_len(plain) > width - 2:  # cut short with an ellipsis
        plain = set_cell_size(plain, width - 3) + "…"
    line = plain + " "
    return set_cell_size(line + characters * (width - cell_len(line)), width).rstrip()
