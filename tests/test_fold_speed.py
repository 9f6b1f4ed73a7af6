"""The quick ways cells are measured, folded and drawn give what the slow ways give.

``render.wrap`` measures text and a folded line by its characters' cells summed and
finds its unbreakable pieces word by word; ``render.longtable`` draws a cell
from its whole text's segments instead of a ``Text`` made of each line, and
keeps a table's measures while its cells stay the same. Each is checked here
against the rule it stands for, on strings of CJK, ASCII, full-width letters,
closing and opening marks, joiners and emoji.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Span, Text

from chainlead.render import longtable
from chainlead.render.longtable import Justify, LongTable, longest_word
from chainlead.render.wrap import (
    CLOSING,
    OPENING,
    cells_between,
    fold,
    is_wide,
    text_cells,
    units,
)

CHARACTERS = (
    list("ab Zx09-_./:")
    + list("集成电路企业用电江宁")
    + list("，。、；）》」…")
    + list("（《“「")
    + list("ＡＦｕ１－")
    + ["\u200d", "\ufe0f", "\U0001f44d", "é", "ー", "\u3000", "\t"]
)
TEXTS = st.text(st.sampled_from(CHARACTERS), max_size=40)
STYLES = st.sampled_from(["", "bold", "red", "italic dim", "on blue"])

settings.register_profile("fold", deadline=None, max_examples=200)
FOLD = settings.get_profile("fold")


def units_by_character(text: str) -> list[tuple[int, int]]:
    """The unbreakable pieces by the rule itself, a character at a time."""
    found = []
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        first = position
        position += 1
        while position < len(text):
            before, char = text[position - 1], text[position]
            if char.isspace():
                break
            if char not in CLOSING and before not in OPENING and (is_wide(before) or is_wide(char)):
                break
            position += 1
        found.append((first, position))
    return found


@FOLD
@given(TEXTS)
def test_units_are_the_rule_character_by_character(text: str) -> None:
    assert units(text) == units_by_character(text)


@FOLD
@given(TEXTS, st.data())
def test_units_of_a_part_are_the_part_s_units(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    shifted = [(first + start, last + start) for first, last in units(text[start:end])]
    assert units(text, start, end) == shifted


@FOLD
@given(TEXTS)
def test_cells_between_is_cell_len_of_the_slice(text: str) -> None:
    cells = cells_between(text)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert cells(start, end) == cell_len(text[start:end])


@FOLD
@given(TEXTS)
def test_text_cells_is_cell_len(text: str) -> None:
    assert text_cells(text) == cell_len(text)


@FOLD
@given(TEXTS)
def test_longest_word_is_the_widest_unit(text: str) -> None:
    plain = longtable._clean(text)
    expected = max((cell_len(plain[a:b]) for a, b in units_by_character(plain)), default=0)
    assert longest_word(plain) == expected


def test_a_folded_paragraph_kept_in_memory_is_not_changed_by_its_caller() -> None:
    text = "江宁区集成电路企业扩产用电指标不足，需协调解决"
    lines = fold(text, 10)
    lines.append((0, 0))
    assert fold(text, 10) == lines[:-1]
    assert len(lines) > 2


@st.composite
def cells(draw: st.DrawFn) -> Text | str:
    plain = draw(TEXTS)
    if draw(st.booleans()):
        return plain
    spans = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(plain)))
        end = draw(st.integers(start, len(plain)))
        spans.append(Span(start, end, draw(STYLES.filter(bool))))
    return Text(plain, style=draw(STYLES), spans=spans)


def console() -> Console:
    return Console(force_terminal=True, color_system="truecolor", width=80)


@FOLD
@given(
    cells(),
    st.integers(1, 24),
    st.sampled_from(["left", "center", "right"]),
    st.booleans(),
    STYLES,
    st.booleans(),
)
def test_a_cell_drawn_quickly_is_the_cell_drawn_line_by_line(
    cell: Text | str, width: int, justify: Justify, no_wrap: bool, style: str, spaces: bool
) -> None:
    shown = console()
    quick = longtable._quick_cell(shown, cell, width, justify, no_wrap, style, spaces)
    drawn = longtable._drawn_cell(shown, cell, width, justify, no_wrap, style, spaces)
    if quick is not None:
        assert quick == drawn
    styled = longtable._styled_cell(shown, cell, width, justify, no_wrap, style, spaces=spaces)
    assert styled == drawn


def test_the_quick_way_draws_styled_cjk_and_english() -> None:
    shown = console()
    cell = Text("IC-8 集成电路企业扩产用电指标不足，需协调解决", style="bold")
    cell.stylize("red", 0, 4)
    cell.stylize("italic", 10, 20)
    for width in (6, 9, 14, 40):
        quick = longtable._quick_cell(shown, cell, width, "left", False, "dim", False)
        assert quick is not None
        assert quick == longtable._drawn_cell(shown, cell, width, "left", False, "dim", False)
        assert any(middle for _, middle, _ in quick)


def test_a_table_measured_again_after_rows_are_added() -> None:
    table = LongTable()
    table.add_column("Key", no_wrap=True)
    table.add_column("Title")
    table.add_row("IC-1", "用电")
    assert table.widths(100) == [4, 5]
    table.add_row("IC-1234", "集成电路企业扩产用电指标不足")
    assert table.widths(100) == [7, 28]
    table.box = None  # a grid: no header to make room for
    table.add_row("IC-2", "用电")
    assert table.widths(100) == [7, 28]
    wide = LongTable()
    wide.add_column("A long heading")
    wide.add_row("用电")
    assert wide.widths(100) == [14]
    wide.box = None
    assert wide.widths(100) == [4]
