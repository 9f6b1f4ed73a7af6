"""Excel workbooks: the ledger (台账) of ``bottleneck list --xlsx`` and the
sheets of ``report monthly --xlsx``, written by one writer.

A workbook is a list of ``Sheet`` values -- a name, a title, typed columns
and rows of plain values -- drawn the same way everywhere:

- row 1 is the title (district, what the sheet holds, when it was exported),
  row 2 the headers in the report's language, the data from row 3; rows 1-2
  are frozen, repeated on every printed page, and the headers carry an
  autofilter over the whole table;
- dates are Excel dates (``yyyy-mm-dd``), rates percentages, counts numbers;
  a light is its word (红灯/黄灯/绿灯, red/yellow/green) on a coloured fill, so
  it reads on a black-and-white printout and sorts and filters as text;
- every piece of text is written as a text cell, never as a formula
  (``write_string``: ``=1+1`` stays the text ``=1+1``); characters XML cannot
  hold (control characters other than tab and line feed) become U+FFFD, and
  text past Excel's 32,767 characters a cell is cut with "…";
- columns are as wide as their widest cell (a CJK character counts as two),
  up to ``TEXT_WIDTH`` (``WRAP_WIDTH`` for long text), wrapping past it; a
  header wraps onto two lines;
- sheet names keep within Excel's rules: at most 31 characters, none of
  ``[]:*?/\\``, not starting or ending with ``'``, unique in any case;
- A4 landscape, one page wide; the page header holds the district, the
  title and the export time, the footer "Page N of M".

Written with XlsxWriter in its constant-memory mode (rows streamed to a
temporary file, a 100,000-item ledger in about 60 MB; see the README), then
read back whole as the bytes ``Document.binary`` returns.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chainlead.clock import local

if TYPE_CHECKING:
    from chainlead.domain.views import ItemRow
    from chainlead.render.labels import Labels

# The longest a wrapped text column is drawn, in the width of a Latin character.
WRAP_WIDTH = 50
TEXT_WIDTH = 30  # a short text column (a name, a code) at most
CELL_MAX = 32767  # characters Excel holds in a cell
SHEET_NAME_MAX = 31
HEADER_MAX = 255  # characters of a page header, codes included
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters an XML 1.0 document cannot hold: C0 controls but tab, line feed and
# carriage return; lone surrogates; U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Fills and font colours of the lights: Excel's own Bad / Neutral / Good styles.
LIGHT_FILLS = {
    "red": ("#FFC7CE", "#9C0006"),
    "late": ("#FFC7CE", "#9C0006"),
    "yellow": ("#FFEB9C", "#9C5700"),
    "green": ("#C6EFCE", "#006100"),
    "on_time": ("#C6EFCE", "#006100"),
}


class Kind(StrEnum):
    """How a column's values are written."""

    text = "text"  # a short text (a key, a name, a status word): wrapped past TEXT_WIDTH
    wrap = "wrap"  # a long text (a title, how it was resolved): wrapped past WRAP_WIDTH
    date = "date"  # a date cell, yyyy-mm-dd
    number = "number"  # a count or a number of days
    rate = "rate"  # a share (0.25) shown as a percentage (25.0%)
    light = "light"  # a light's value ("red"): its word on its fill


@dataclass(frozen=True)
class SheetColumn:
    header: str
    kind: Kind = Kind.text


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name (made safe by the writer), the title above the
    table, typed columns, rows of plain values (None: an empty cell) and an
    optional total row drawn in bold under them; ``notes``: lines of text
    under the table (a rule, the chains that missed their meeting)."""

    name: str
    title: str
    columns: tuple[SheetColumn, ...]
    rows: Sequence[Sequence[Any]]
    total: Sequence[Any] | None = None
    notes: tuple[str, ...] = ()


def clean(text: str) -> str:
    """Text a cell can hold: characters XML cannot carry as U+FFFD, at most
    ``CELL_MAX`` characters."""
    text = NOT_XML.sub("\ufffd", text)
    if len(text) > CELL_MAX:
        text = text[: CELL_MAX - 1] + "…"
    return text


def text_width(text: str) -> int:
    """Columns a text takes: a CJK (wide) character two, any other one.

    Counted from the UTF-8 length, which C code gives at once: a wide
    character takes three bytes, an ASCII one one byte."""
    size = len(text)
    return size + (len(text.encode("utf-8", "surrogatepass")) - size) // 2


def sheet_names(wanted: Sequence[str]) -> list[str]:
    """Each wanted name as Excel accepts it, unique in any case, in order.

    Forbidden characters become "_", a name is cut to 31 characters, a leading
    or trailing apostrophe is dropped, an empty name becomes "Sheet", and a
    name already taken gets " (2)", " (3)"... within the 31 characters."""
    taken: set[str] = set()
    names = []
    for name in wanted:
        base = SHEET_FORBIDDEN.sub("_", clean(name).replace("\ufffd", "_"))
        base = " ".join(base.split())[:SHEET_NAME_MAX].strip("'").strip() or "Sheet"
        if base.casefold() == "history":  # Excel keeps this name for itself
            base = f"{base}_"
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: SHEET_NAME_MAX - len(suffix)].rstrip("'") + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _header_text(text: str) -> str:
    """Text as it is put into a page header: "&" doubled (a code there)."""
    return clean(text).replace("\n", " ").replace("&", "&&")


def page_header(left: str, centre: str, right: str) -> str:
    """The page header's three parts (an empty one left out), each cut so that
    the whole keeps within Excel's 255 characters."""
    room = (HEADER_MAX - len("&L&C&R")) // 3
    parts = []
    for code, part in (("&L", left), ("&C", centre), ("&R", right)):
        text = _header_text(part)
        if len(text) > room:
            part = part[:room]
        while len(text) > room:  # cut the text, not a doubled "&&"
            part = part[:-1]
            text = _header_text(part + "…")
        if text:
            parts.append(code + text)
    return "".join(parts)


@dataclass(frozen=True)
class Heading:
    """What every sheet's title row and page header say: the district, the
    document's title and when it was exported, in the report's language."""

    district: str
    title: str
    exported: str  # "Exported 2026-11-21 17:30" (the zone shown), already in words
    labels: Labels


def workbook_bytes(sheets: Sequence[Sheet], heading: Heading) -> bytes:
    """The workbook of ``sheets``, in order, as the bytes of an .xlsx file."""
    import xlsxwriter

    with tempfile.TemporaryDirectory(prefix="chainlead-xlsx-") as folder:
        path = Path(folder) / "book.xlsx"
        book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,  # rows go to a temporary file as written
                "tmpdir": folder,
                # Text stays text: never read as a formula, a number or a link.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        book.set_properties(
            {
                "title": clean(" ".join(filter(None, (heading.district, heading.title)))),
                "comments": clean(heading.exported),
            }
        )
        styles = _Styles(book)
        for sheet, name in zip(sheets, sheet_names([s.name for s in sheets]), strict=True):
            _write_sheet(book.add_worksheet(name), sheet, heading, styles)
        book.close()
        return path.read_bytes()


class _Styles:
    """The workbook's cell formats, made once."""

    def __init__(self, book: Any) -> None:
        top = {"valign": "top"}
        self.title = book.add_format({"bold": True, "font_size": 13})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True, **top}
        )
        self.cells: dict[tuple[Kind, bool], Any] = {}
        self.lights: dict[tuple[str, bool], Any] = {}
        base = {
            Kind.text: {"text_wrap": True},  # past TEXT_WIDTH
            Kind.wrap: {"text_wrap": True},  # past WRAP_WIDTH
            Kind.date: {"num_format": "yyyy-mm-dd", "align": "left"},
            Kind.number: {},
            Kind.rate: {"num_format": "0.0%"},
            Kind.light: {},
        }
        for bold in (False, True):
            extra = {"bold": True, "top": 1} if bold else {}
            for kind, form in base.items():
                self.cells[kind, bold] = book.add_format({**top, **form, **extra})
            for light, (fill, font) in LIGHT_FILLS.items():
                self.lights[light, bold] = book.add_format(
                    {**top, **extra, "bg_color": fill, "font_color": font}
                )


def _widths(sheet: Sheet, labels: Labels) -> list[int]:
    """Each column's width: its widest cell (header words count too), within bounds."""
    widths = []
    rows = [*sheet.rows, *([sheet.total] if sheet.total is not None else [])]
    for i, column in enumerate(sheet.columns):
        values = [row[i] for row in rows]
        if column.kind is Kind.date:
            widest = 10
        elif column.kind is Kind.rate:
            widest = 6
        elif column.kind is Kind.light:
            widest = max((text_width(labels.light(v)) for v in set(values) if v), default=0)
        else:
            widest = max(
                (text_width(v if isinstance(v, str) else str(v)) for v in values if v is not None),
                default=0,
            )
        # Headers wrap onto two lines: between words, and anywhere in CJK text.
        header = column.header
        words = max((len(w) for w in header.split() if w.isascii()), default=0)
        needed = max(words, (text_width(header) + 1) // 2)
        limit = WRAP_WIDTH if column.kind is Kind.wrap else TEXT_WIDTH
        widths.append(min(max(widest, needed, 4), max(limit, needed)) + 2)
    return widths


def _write_sheet(ws: Any, sheet: Sheet, heading: Heading, styles: _Styles) -> None:
    labels = heading.labels
    columns = sheet.columns
    last_column = max(len(columns) - 1, 0)
    for i, width in enumerate(_widths(sheet, labels)):
        ws.set_column(i, i, width)
    title = " · ".join(
        filter(None, (heading.district, heading.title, sheet.title, heading.exported))
    )
    ws.write_string(0, 0, clean(title), styles.title)
    for i, column in enumerate(columns):
        ws.write_string(1, i, clean(column.header), styles.header)
    row_number = 2
    for row in sheet.rows:
        _write_row(ws, row_number, columns, row, styles, labels, bold=False)
        row_number += 1
    last_row = row_number - 1
    if sheet.total is not None:
        _write_row(ws, row_number, columns, sheet.total, styles, labels, bold=True)
        row_number += 1
    for n, note in enumerate(sheet.notes):
        ws.write_string(row_number + 1 + n, 0, clean(note))
    ws.freeze_panes(2, 0)
    ws.autofilter(1, 0, last_row, last_column)
    ws.repeat_rows(0, 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # one page wide, as many long as it takes
    centre = " · ".join(filter(None, (heading.title, sheet.title)))
    ws.set_header(page_header(heading.district, centre, heading.exported))
    ws.set_footer(
        "&C" + _header_text(labels("xlsx_page_of")).replace("{page}", "&P").replace("{pages}", "&N")
    )


def _write_row(
    ws: Any,
    at: int,
    columns: Sequence[SheetColumn],
    row: Sequence[Any],
    styles: _Styles,
    labels: Labels,
    *,
    bold: bool,
) -> None:
    for i, (column, value) in enumerate(zip(columns, row, strict=True)):
        kind = column.kind
        if value is None:
            if bold:
                ws.write_blank(at, i, None, styles.cells[kind, bold])
            continue
        if kind is Kind.light:
            ws.write_string(
                at,
                i,
                clean(labels.light(value)),
                styles.lights.get((value, bold), styles.cells[kind, bold]),
            )
        elif isinstance(value, bool):
            ws.write_string(at, i, labels("yes" if value else "no"), styles.cells[Kind.text, bold])
        elif isinstance(value, datetime | date) and kind is Kind.date:
            if isinstance(value, datetime):  # stored in UTC: the wall clock of the zone shown
                value = local(value).replace(tzinfo=None)
            ws.write_datetime(at, i, value, styles.cells[kind, bold])
        elif isinstance(value, int | float):
            ws.write_number(at, i, value, styles.cells[kind, bold])
        else:
            ws.write_string(at, i, clean(str(value)), styles.cells[kind, bold])


# --------------------------------------------------------------------------- the ledger


def item_columns(labels: Labels) -> tuple[SheetColumn, ...]:
    """The ledger's columns (``ledger_row`` gives the values, in this order)."""
    return (
        SheetColumn(labels("key")),
        SheetColumn(labels("item"), Kind.wrap),
        SheetColumn(labels("light"), Kind.light),
        SheetColumn(labels("status")),
        SheetColumn(labels("level"), Kind.number),
        SheetColumn(labels("xlsx_priority")),
        SheetColumn(labels("unit"), Kind.wrap),
        SheetColumn(labels("owner")),
        SheetColumn(labels("enterprise"), Kind.wrap),
        SheetColumn(labels("xlsx_category")),
        SheetColumn(labels("xlsx_source")),
        SheetColumn(labels("raised_on"), Kind.date),
        SheetColumn(labels("due"), Kind.date),
        SheetColumn(labels("xlsx_first_due"), Kind.date),
        SheetColumn(labels("resolved_on"), Kind.date),
        SheetColumn(labels("xlsx_days_open"), Kind.number),
        SheetColumn(labels("xlsx_days_over"), Kind.number),
        SheetColumn(labels("xlsx_urges"), Kind.number),
        SheetColumn(labels("xlsx_suspended_on"), Kind.date),
        SheetColumn(labels("xlsx_link")),
    )


def ledger_row(item: ItemRow, labels: Labels) -> tuple[Any, ...]:
    """One item of ``bottleneck list`` as a ledger row: words in the report's language."""
    return (
        item.key,
        item.title,
        item.light,
        labels.status(item.status),
        item.level or None,
        labels(f"xlsx_priority_{item.priority}"),
        item.unit,
        item.owner,
        item.enterprise,
        item.category,
        labels.kind(item.source),
        item.raised_on,
        item.due_on,
        item.original_due_on,
        item.resolved_on,
        item.days_open,
        item.days_over,
        item.urge_count,
        item.suspended_on,
        item.link,
    )


# The lights the summary counts, in this order; "none" is a dropped item's.
SUMMARY_LIGHTS = ("red", "yellow", "green", "suspended", "on_time", "late", "none")


def ledger_workbook(
    rows: Sequence[ItemRow], *, chain_names: Mapping[str, str], heading: Heading
) -> bytes:
    """``bottleneck list --xlsx``: one sheet per chain (the list's order kept
    within it), after a summary sheet of the counts by light when the list
    spans several chains."""
    labels = heading.labels
    by_chain: dict[str, list[ItemRow]] = defaultdict(list)
    for item in rows:
        by_chain[item.chain].append(item)
    columns = item_columns(labels)
    sheets = []
    for code in sorted(by_chain) or [""]:
        name = chain_names.get(code, "")
        label = f"{code} {name}".strip()
        sheets.append(
            Sheet(
                name=label or labels("xlsx_ledger"),
                title=label,
                columns=columns,
                rows=[ledger_row(item, labels) for item in by_chain.get(code, ())],
            )
        )
    if len(by_chain) > 1:
        sheets.insert(0, _ledger_summary(by_chain, chain_names, labels))
    return workbook_bytes(sheets, heading)


def _ledger_summary(
    by_chain: Mapping[str, Sequence[ItemRow]], chain_names: Mapping[str, str], labels: Labels
) -> Sheet:
    """Per chain: its items, and how many of them show each light."""
    rows = []
    for code in sorted(by_chain):
        counts = Counter(item.light for item in by_chain[code])
        rows.append(
            (
                code,
                chain_names.get(code, ""),
                len(by_chain[code]),
                *(counts[light] for light in SUMMARY_LIGHTS),
            )
        )
    total = (
        labels("xlsx_total"),
        None,
        *(sum(row[i] for row in rows) for i in range(2, len(rows[0]))),
    )
    columns = (
        SheetColumn(labels("chain")),
        SheetColumn(labels("xlsx_chain_name")),
        SheetColumn(labels("xlsx_items"), Kind.number),
        *(SheetColumn(_light_head(light, labels), Kind.number) for light in SUMMARY_LIGHTS),
    )
    return Sheet(labels("xlsx_summary"), labels("xlsx_summary"), columns, rows, total)


def _light_head(light: str, labels: Labels) -> str:
    """A light as the summary's column head; a dropped item's ("none") as its status."""
    return capital(labels.status("dropped") if light == "none" else labels.light(light))


def capital(text: str) -> str:
    """A light's word as a column head: "Red", "红灯"."""
    return text[:1].upper() + text[1:]
