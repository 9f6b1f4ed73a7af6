"""The closed set of output formats, chosen in one place.

``table`` is for people (rich); ``json`` and ``csv`` are for scripts and put
only data on stdout; ``html``, ``svg`` and ``markdown`` are the documents a
report is written as (a ``Document``: the report's own view of each format).
"""

from __future__ import annotations

import dataclasses
import os
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from rich.console import Console, RenderableType
from rich.text import Text

from chainlead.clock import iso, shown
from chainlead.render.formats import BINARY_FORMATS, Format

if TYPE_CHECKING:
    from chainlead.outfile import Output
    from chainlead.render.longtable import LongTable


def plain(value: Any) -> Any:
    """Dataclasses, tuples, dates and enums as JSON-ready values: ISO dates, and ISO
    times in the zone shown with their offset (``2026-12-01T07:30:00+08:00``). A
    dataclass field with ``metadata={"json": False}`` is for the screen only."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.metadata.get("json", True)
        }
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


PIPE_WIDTH = 100  # columns of output into a pipe or a file when COLUMNS is not set


def _console(stream: Any) -> Console:
    console = Console(
        file=stream,
        markup=False,
        emoji=False,
        highlight=False,
        no_color=bool(os.environ.get("NO_COLOR")) or None,
    )
    if not console.is_terminal and not os.environ.get("COLUMNS", "").isdigit():
        console.width = PIPE_WIDTH  # (COLUMNS, when set, rich has read already)
    return console


def stdout() -> Console:
    return _console(sys.stdout)


def on_terminal() -> bool:
    """Does stdout go to a terminal (not a pipe, not a file)?"""
    return stdout().is_terminal


def stderr() -> Console:
    return _console(sys.stderr)


# How each status light is coloured where colour is available (lists, cards, reports).
LIGHT_STYLES = {
    "red": "bold red",
    "yellow": "bold yellow",
    "green": "green",
    "on_time": "green",
    "late": "red",
    "none": "dim",
    "suspended": "cyan",
}


def message(text: str, *, style: str | None = None) -> None:
    """A message for the person at the terminal: stderr, never stdout."""
    stderr().print(Text(text, style=style or ""), soft_wrap=True)


def changes_made(name: str, changes: Sequence[Any]) -> None:
    """What an edit changed, one line each (``name: field old → new``), or that it
    changed nothing; each change has ``field``, ``old`` and ``new``."""
    from chainlead.i18n import _
    from chainlead.render.translated import field_word

    if not changes:
        message(_("{name}: nothing changed").format(name=name))
    for change in changes:
        message(
            _("{name}: {field} {old} → {new}").format(
                name=name,
                field=field_word(change.field),
                old=change.old or _("(empty)"),
                new=change.new or _("(empty)"),
            )
        )


def json_text(data: Any) -> str:
    """Data as ``--json`` prints it, ending in a new line."""
    import json

    return json.dumps(plain(data), ensure_ascii=False, indent=2) + "\n"


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data))


def cell(value: Any) -> Text:
    """A table cell: user text shown literally, None as an empty cell."""
    if isinstance(value, Text):
        return value
    if value is None:
        return Text("")
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    if isinstance(value, date | datetime):
        return Text(shown(value) if isinstance(value, datetime) else value.isoformat())
    return Text(str(value))


@dataclass(frozen=True)
class Column:
    """A list column: the data field, its header, and how to draw it in a table."""

    field: str
    header: str
    justify: str = "left"
    draw: Callable[[Any], Text] | None = None
    no_wrap: bool = False
    context: str | None = None  # the catalog's context where the English reads two ways
    drop: int | None = None  # left out, lowest first, when the table cannot fit its words


def render(
    data: Any,
    fmt: Format,
    *,
    people: Callable[[Any], RenderableType | str | None] | None = None,
    columns: Sequence[Column] = (),
    title: str | None = None,
    empty: str = "nothing to show",
    to: Output | None = None,
    excel: bool = False,
) -> None:
    """The one output dispatcher: ``data`` in the chosen format, on stdout.

    ``json``: the data itself. ``csv``: a list by its ``columns`` (for Excel
    with ``excel``: ``render.csv_rows``). ``table``
    (for people): what ``people(data)`` makes of it -- a card, a table, a
    key, or None for nothing -- else the list as a table of ``columns``.
    A ``Document`` (a report) draws itself (``render_document``); its
    ``html``, ``svg`` and ``markdown`` forms go to ``to`` (stdout when None).
    """
    if isinstance(data, Document):
        render_document(data, fmt, to=to)
    elif fmt is Format.json:
        print_json(list(data) if isinstance(data, list | tuple) else data)
    elif fmt is Format.csv or people is None:
        print_rows(list(data), columns, fmt, title=title, empty=empty, excel=excel)
    else:
        shown = people(data)
        if isinstance(shown, str):
            sys.stdout.write(shown + "\n")
        elif shown is not None:
            print_renderable(shown)


LONG_LIST = 50  # rows: a list this long was once drawn differently (kept for callers)


def print_rows(
    rows: Sequence[Any],
    columns: Sequence[Column],
    fmt: Format,
    *,
    title: str | None = None,
    empty: str = "nothing to show",
    long: bool = False,
    excel: bool = False,
) -> None:
    """Print a list in the chosen format; for people every list, short or
    ``long``, is drawn row by row (``rows_table``: ``render.longtable``).
    CSV guards formula-like text, and is written for Excel with ``excel``
    (``render.csv_rows``)."""
    if fmt is Format.json:
        print_json(list(rows))
        return
    if fmt is Format.csv:
        from chainlead.render.csv_rows import write_csv

        fields = [c.field for c in columns]
        values = (plain(row) for row in rows)
        write_csv(
            fields,
            (["" if data.get(f) is None else data.get(f) for f in fields] for data in values),
            excel=excel,
        )
        return
    if not rows:
        message(empty)
        return
    print_long(rows_table(rows, columns, title=title))


def long_rows_table(
    rows: Sequence[Any], columns: Sequence[Column], *, title: str | None
) -> LongTable:
    """A list for people drawn row by row (``render.longtable``): many rows, no
    per-cell layout."""
    return rows_table(rows, columns, title=title)


def facts_grid() -> LongTable:
    """The label/value grid at the top of a card: labels bold, two cells apart."""
    from chainlead.render.longtable import LongTable

    facts = LongTable.grid(padding=2)
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    return facts


def card_table(title: str, headers: Sequence[str], *, whole: Sequence[int] = ()) -> LongTable:
    """A titled list inside a card (a team, roles, history), in the lists' style;
    the columns numbered in ``whole`` (names, dates) never fold."""
    table = list_table(title)
    for index, header in enumerate(headers):
        table.add_column(header, no_wrap=index in whole)
    return table


def list_table(title: str | None) -> LongTable:
    """The one table style of lists, cards and reports: a rule under the
    heading, no other lines (``rich.box.SIMPLE_HEAD``); text folds by the rules
    of ``render.wrap``."""
    from rich import box

    from chainlead.render.longtable import LongTable

    return LongTable(title=title, title_style="italic", box=box.SIMPLE_HEAD)


def event_what(kind: str, field: str | None) -> str:
    """An event as a card's history names it: its kind, and the field it changed."""
    return kind if not field or field == kind else f"{kind}: {field}"


def rows_table(rows: Sequence[Any], columns: Sequence[Column], *, title: str | None) -> LongTable:
    """A list for people: one row per record, one column per field."""
    table = list_table(title)
    for column in columns:
        table.add_column(
            column.header,
            justify=column.justify,  # type: ignore[arg-type]
            no_wrap=column.no_wrap,
            drop=column.drop,
        )
    table.add_rows(
        [(column.draw or cell)(getattr(row, column.field)) for column in columns] for row in rows
    )
    return table


def print_renderable(renderable: RenderableType) -> None:
    print_long(renderable)


def print_long(renderable: RenderableType, console: Console | None = None) -> None:
    """Print a long list or a report: where no colour is drawn (a pipe, a file)
    as text made directly (``render.longtable.plain_text``), else as rich prints."""
    from chainlead.render.longtable import plain_text

    console = console or stdout()
    text = plain_text(console, renderable)
    if text is None:
        console.print(renderable)
    else:
        console.file.write(text)
        console.file.flush()


# ---- reports


class Document(ABC):
    """A view drawn whole in each format it has: a report.

    ``data`` is what ``json`` prints; ``people()`` is what ``table`` draws,
    at the terminal's width or ``width`` columns into a pipe or a file;
    ``text(fmt)`` is the whole document in a file format (html, svg, markdown).
    """

    width: int = 100

    @property
    @abstractmethod
    def data(self) -> Any:
        """What ``--json`` prints."""

    @abstractmethod
    def people(self) -> RenderableType:
        """The view for people, as rich renderables."""

    def text(self, fmt: Format) -> str:
        """The whole document in a file format."""
        raise ValueError(f"{type(self).__name__} has no {fmt} form")

    def binary(self, fmt: Format) -> bytes:
        """The whole document in a binary file format (pdf, docx, xlsx)."""
        raise ValueError(f"{type(self).__name__} has no {fmt} form")


def render_document(view: Document, fmt: Format, *, to: Output | None = None) -> None:
    """A document in the chosen format: ``json`` and ``table`` on stdout, a file
    format written whole to ``to`` (stdout when None)."""
    if fmt is Format.json:
        print_json(view.data)
    elif fmt is Format.table:
        print_page(view.people(), width=view.width)
    elif fmt in BINARY_FORMATS:
        write_bytes(view.binary(fmt), to)
    else:
        write_text(view.text(fmt), to)


def print_page(renderable: RenderableType, *, width: int) -> None:
    """A report for people: the terminal's width, or into a pipe or file ``COLUMNS``
    when set, else ``width`` columns."""
    console = stdout()
    if not console.is_terminal and not os.environ.get("COLUMNS", "").isdigit():
        console.width = width
    print_long(renderable, console)


def write_bytes(data: bytes, to: Output | None) -> None:
    """``data`` written whole to an output file, or to stdout's bytes."""
    if to is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from chainlead.outfile import opened

    with opened(to, binary=True) as stream:
        stream.write(data)


def write_text(text: str, to: Output | None) -> None:
    """``text`` written whole to an output file, or to stdout."""
    if to is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from chainlead.outfile import write

    write(to, text)
