"""``chainlead search``: what was found, each with the text around its match."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from chainlead.i18n import N_, pgettext
from chainlead.render.output import Column, rows_table
from chainlead.render.words import headed, kind_word

if TYPE_CHECKING:
    from chainlead.domain.search import Found, SearchResult
    from chainlead.render.longtable import LongTable

MATCH_STYLE = "bold reverse"  # the match in its text, where colour is drawn


def field_word(field: str) -> str:
    """Where a text was found, in the process's language."""
    words = {
        "title": pgettext("found in", "title"),
        "detail": pgettext("found in", "detail"),
        "resolution": pgettext("found in", "resolution"),
        "category": pgettext("found in", "category"),
        "enterprise": pgettext("found in", "enterprise"),
        "note": pgettext("found in", "note"),
        "summary": pgettext("found in", "summary"),
        "decision": pgettext("found in", "decision"),
    }
    return words.get(field, field)


def _excerpt(found: Found) -> Text:
    text = Text(found.excerpt, overflow="fold")
    start, end = found.match
    if end > start:
        text.stylize(MATCH_STYLE, start, end)
    return text


def _title(found: Found) -> Text:
    title = found.title if found.kind == "item" else kind_word(found.title)
    return Text(title or "", overflow="fold")


SEARCH_COLUMNS = (
    Column("key", N_("Key"), no_wrap=True),
    Column("title", N_("Title"), draw=lambda _v: Text()),  # drawn from the row below
    Column("field", N_("Found in"), no_wrap=True, draw=lambda f: Text(field_word(f))),
    Column("excerpt", N_("Text"), draw=lambda _v: Text()),
)


def search_table(result: SearchResult) -> LongTable:
    """The hits, best first: key, title (a meeting's kind), where, and the text."""
    table = rows_table([], headed(SEARCH_COLUMNS), title=None)
    table.add_rows(
        [Text(found.key), _title(found), Text(field_word(found.field)), _excerpt(found)]
        for found in result.found
    )
    return table
