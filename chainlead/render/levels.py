"""The supervision ladder's levels in words, for every list, card and report."""

from __future__ import annotations

from rich.text import Text

from chainlead.i18n import current_lang
from chainlead.vocabulary import LEVEL_NAMES_ZH, LEVELS

# How each level is drawn where colour is available: the higher, the louder.
LEVEL_STYLES = ("dim", "", "yellow", "bold yellow", "bold red", "bold red reverse")


def level_words(level: int, *, english: bool | None = None) -> str:
    """``3 letter 督办函`` (``3 督办函`` without the English name: in Chinese, or
    ``english=False``)."""
    if english is None:
        english = current_lang() == "en"
    return f"{level} " + (f"{LEVELS[level]} " if english else "") + LEVEL_NAMES_ZH[level]


def level_text(level: int, *, english: bool | None = None) -> Text:
    """A level in words, coloured by how high it is."""
    return Text(level_words(level, english=english), style=LEVEL_STYLES[level])


def level_cell(level: int) -> str:
    """A level in a list: its number, nothing for none."""
    return str(level) if level else ""
