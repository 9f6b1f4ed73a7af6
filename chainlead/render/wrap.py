"""Where a line of text may break, by the rules Chinese text is set by.

A terminal table folds its cells at its column's width. Folding at any cell
(rich's ``overflow="fold"``) cuts English words in two and leaves a lone
character or a closing bracket at the start of a line (``区工业和信息化/局``,
``(金陵智算科技有限公司/)``). The rules here:

- English (and numbers, keys, dates: any run without a space or a CJK
  character) breaks only at spaces; only a word longer than its column is cut;
- CJK text may break between any two characters, but never before a closing
  bracket or punctuation mark (``，。、）》…``) nor after an opening one
  (``（《“``);
- a line never holds a single CJK character on its own when the line before
  it can give it a companion: the last character of that line moves down.

``fold(text, width)`` gives the lines as (start, end) positions in the text;
``render.longtable`` lays out every cell with it, so the lists, cards and
reports share one folding.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate

from rich.cells import cell_len, chop_cells

# No line begins with these: closing brackets and punctuation (CJK and Latin), a slash.
CLOSING = frozenset("，。、；：！？）》」』】〕〉〗〙〛’”…‥·・ー～％‰℃,.;:!?)]}>%/")
# No line ends with these: opening brackets and quotes.
OPENING = frozenset("（《「『【〔〈〖〘〚‘“([{<")

_WORDS = re.compile(r"\S+")


# Full-width forms of ASCII letters, digits and the marks inside a word: they make
# words as in English (``Ｆｕｌｌ－ｗｉｄｔｈ``). Full-width brackets and punctuation
# (（）：；，) stay CJK punctuation, with its line-breaking rules.
_WORDLIKE = frozenset(
    [chr(c) for c in range(0xFF10, 0xFF1A)]
    + [chr(c) for c in range(0xFF21, 0xFF3B)]
    + [chr(c) for c in range(0xFF41, 0xFF5B)]
    + ["\uff0d", "\uff0e", "\uff3f"]
)


@lru_cache(maxsize=65536)
def is_wide(char: str) -> bool:
    """A character that breaks like CJK text: drawn two cells wide, and not a
    full-width letter or digit (``Ｆｕｌｌ－ｗｉｄｔｈ`` is a word, as in English)."""
    return unicodedata.east_asian_width(char) in "WF" and char not in _WORDLIKE


def is_ideograph(char: str) -> bool:
    """A CJK character that is not punctuation (a letter or a number)."""
    return is_wide(char) and unicodedata.category(char)[0] in "LN"


def units(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The pieces of ``text[start:end]`` no line breaks inside: (start, end) each,
    spaces between them left out."""
    end = len(text) if end is None else end
    found: list[tuple[int, int]] = []
    for word in _WORDS.finditer(text, start, end):
        first, last = word.span()
        chars = word.group()
        if chars.isascii():  # no CJK: it breaks only at its spaces
            found.append((first, last))
            continue
        before = chars[0]
        wide_before = is_wide(before)
        for offset in range(1, len(chars)):
            char = chars[offset]
            wide = is_wide(char)
            if (wide_before or wide) and char not in CLOSING and before not in OPENING:
                found.append((first, word.start() + offset))
                first = word.start() + offset
            before, wide_before = char, wide
        found.append((first, last))
    return found


def _lone(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` one CJK character, with its punctuation at most?"""
    return sum(map(is_ideograph, text[start:end])) == 1 and not any(
        char.isascii() and char.isalnum() for char in text[start:end]
    )


# Lines already folded, by (text, width, spaces): a long list repeats its cells.
_FOLDED: dict[tuple[str, int, bool], list[tuple[int, int]]] = {}


def fold(text: str, width: int, *, spaces: bool = False) -> list[tuple[int, int]]:
    """The lines of one paragraph (no line breaks in it) ``width`` cells wide:
    (start, end) in ``text``, without the spaces where a line breaks. With
    ``spaces`` (a heading) it breaks only at spaces while every word fits."""
    key = (text, width, spaces)
    found = _FOLDED.get(key)
    if found is None:
        found = _fold(text, max(1, width), spaces)
        if len(_FOLDED) > 100_000:
            _FOLDED.clear()
        _FOLDED[key] = found
    return list(found)


@lru_cache(maxsize=65536)
def _char_cells(char: str) -> int:
    return cell_len(char)


def text_cells(text: str) -> int:
    """``cell_len(text)``, counted a character at a time from memory where no
    character joins the next (no zero-width joiner, no variation selector):
    rich keeps the cells of only the last 4,096 strings, and a long list of
    Chinese titles has many more."""
    if text.isascii() or "\u200d" in text or "\ufe0f" in text:
        return cell_len(text)
    return sum(map(_char_cells, text))


def cells_between(text: str) -> Callable[[int, int], int]:
    """A measure of ``text``: the cells of ``text[start:end]`` (``cell_len``'s
    count), by sums of its characters' cells where no character joins the next
    (no zero-width joiner, no variation selector)."""
    if "\u200d" in text or "\ufe0f" in text:
        return lambda start, end: cell_len(text[start:end])
    if text.isascii() and text.isprintable():
        return lambda start, end: end - start
    sums = list(accumulate(map(_char_cells, text), initial=0))
    return lambda start, end: sums[end] - sums[start]


def _fold(text: str, width: int, spaces: bool) -> list[tuple[int, int]]:
    stripped = len(text.rstrip())
    if text_cells(text[:stripped]) <= width:
        return [(0, stripped)]
    between = cells_between(text)
    pieces = units(text, 0, stripped)
    if spaces:
        words = [match.span() for match in _WORDS.finditer(text, 0, stripped)]
        if all(between(first, last) <= width for first, last in words):
            pieces = words
    lines: list[list[tuple[int, int]]] = []  # each line's units
    line: list[tuple[int, int]] = []
    used = 0
    for first, last in pieces:
        size = between(first, last)
        if line:
            gap = between(line[-1][1], first)
            if used + gap + size <= width:
                line.append((first, last))
                used += gap + size
                continue
            lines.append(line)
            line, used = [], 0
        elif first > 0 and not lines:  # an indent before the first word
            indent = between(0, first)
            if indent + size <= width:
                line, used = [(0, last)], indent + size
                continue
        if size <= width:
            line, used = [(first, last)], size
            continue
        for chunk in chop_cells(text[first:last], width)[:-1]:  # longer than the column
            size = len(chunk)
            while size > 1 and text[first + size] in CLOSING:  # no piece starts with ）
                size -= 1
            lines.append([(first, first + size)])
            first += size
        line, used = [(first, last)], between(first, last)
    if line:
        lines.append(line)
    _companions(text, lines, width)
    return [(line[0][0], line[-1][1]) for line in lines]


def _companions(text: str, lines: list[list[tuple[int, int]]], width: int) -> None:
    """Give a line of one CJK character the last character of the line above
    (when that line keeps more than one and the two were not apart by a space)."""
    for index in range(len(lines) - 1, 0, -1):
        line, above = lines[index], lines[index - 1]
        if len(line) != 1 or not _lone(text, *line[0]) or len(above) < 2:
            continue
        moved = above[-1]
        if moved[1] != line[0][0]:  # a space between: a word of its own
            continue
        if cell_len(text[moved[0] : line[0][1]]) > width:
            continue
        rest = above[:-1]
        if len(rest) == 1 and _lone(text, *rest[0]) and (index < 2 or len(lines[index - 2]) < 2):
            continue  # it would leave the line above alone instead
        lines[index - 1] = rest
        lines[index] = [moved, *line]


def fold_lines(text: str, width: int) -> list[str]:
    """``text`` folded ``width`` cells wide: its line breaks kept, each line folded."""
    return [
        paragraph[start:end]
        for paragraph in text.split("\n")
        for start, end in fold(paragraph, width)
    ]
