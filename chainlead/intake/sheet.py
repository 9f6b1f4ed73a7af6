"""Open a demand sheet (.xlsx or .csv) safely: its rows with their sheet row numbers.

Nothing here knows what the columns mean; ``chainlead.intake.columns`` does.

An .xlsx is a zip of XML parts, and a hostile one is refused before any
spreadsheet reader sees it, within bounded time and memory:

- the file is read once (at most ``MAX_FILE_BYTES``) and everything below
  works on those bytes, so nothing can change between the checks and the read;
- the zip's central directory is checked first: at most ``MAX_ENTRIES``
  entries, each part's declared uncompressed size at most ``MAX_PART_BYTES``
  and all of them together at most ``MAX_TOTAL_BYTES`` (a zip bomb);
- every XML part is then inflated in pieces by ``zipfile``, which stops at
  the declared size and checks the CRC, so a size that lies is caught; a part
  with a DTD (``<!DOCTYPE``, ``<!ENTITY``: entity expansion, external
  entities) or not in UTF-8 is refused;
- the chosen worksheet's extent is measured from its cell references: at
  most ``MAX_ROWS`` rows and ``MAX_CELLS`` cells in its rectangle (the
  reader below holds the rectangle in memory).

Only then does python-calamine read the values: cached values of formulas,
Excel dates as dates. A formula cell with no cached value (a file written by
a program that does not compute) reads as ``UNCOMPUTED``, for the row to be
refused. Cells of a merged range read as its top-left value in the range's
first column (an enterprise name merged down over its three demands belongs
to each of them).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from chainlead.errors import SheetRefused
from chainlead.i18n import _

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_PART_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_ROWS = 50_000
MAX_CELLS = 2_000_000
MAX_CSV_FIELD = 100_000
MAX_RATIO = 200  # unpacked ÷ packed size of a part; worksheets are 10-20, a zip bomb 1,000
_RATIO_FROM = 4 * 1024 * 1024  # a small part may pack tighter (styles, empty sheets)
_CHUNK = 1024 * 1024

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"([0-9]+)\"")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{1,3})[0-9]+\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


class Uncomputed:
    """A formula cell whose file holds no computed value."""

    def __repr__(self) -> str:
        return "UNCOMPUTED"


UNCOMPUTED = Uncomputed()

Value = str | int | float | bool | date | datetime | time | timedelta | Uncomputed | None


@dataclass(frozen=True)
class Row:
    """One non-blank row: its number as the sheet shows it, its cells from column A."""

    number: int
    cells: tuple[Value, ...]

    def get(self, column: int) -> Value:
        return self.cells[column] if column < len(self.cells) else None


@dataclass(frozen=True)
class Sheet:
    """The rows of one sheet of a file, blank rows left out."""

    path: str
    name: str | None  # the worksheet's name; None for a CSV
    rows: tuple[Row, ...]
    encoding: str | None = None  # a CSV's encoding


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, AA -> 26."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


def read_sheet(path: str | Path, *, sheet: str | None = None) -> Sheet:
    """The rows of a demand sheet: an .xlsx (``sheet`` by name, else the first visible
    worksheet) or a .csv (UTF-8, UTF-8 with BOM or GB18030). SheetRefused otherwise."""
    shown = str(path)
    data = _read_bytes(Path(path))
    suffix = Path(path).suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
        if data[:4] != b"PK\x03\x04":
            raise SheetRefused(
                _("{shown}: not an .xlsx file (it is not a zip archive)").format(shown=shown)
            )
        return _read_xlsx(shown, data, sheet)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or suffix in (".xls", ".et", ".ods"):
        raise SheetRefused(
            _(
                "{shown}: an old Excel (.xls), WPS or OpenDocument file; save it as .xlsx or .csv"
            ).format(shown=shown)
        )
    if sheet is not None:
        raise SheetRefused(
            _("--sheet: {shown} is a CSV file, which has no sheets").format(shown=shown)
        )
    return _read_csv(shown, data)


def _read_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise SheetRefused(_("{path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        raise SheetRefused(
            _("{path}: is a directory, not a spreadsheet").format(path=path)
        ) from None
    except OSError as exc:
        raise SheetRefused(
            _("{path}: cannot be read ({strerror})").format(path=path, strerror=exc.strerror or exc)
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise SheetRefused(
            _("{path}: larger than {MAX_FILE_BYTES} MB; split the sheet").format(
                path=path, MAX_FILE_BYTES=MAX_FILE_BYTES // (1024 * 1024)
            )
        )
    return data


# ------------------------------------------------------------------ CSV


def decode_csv(shown: str, data: bytes) -> tuple[str, str]:
    """The text of a CSV and its encoding: UTF-8 with BOM, UTF-8, else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(shown, data[len(codecs.BOM_UTF8) :], "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SheetRefused(_("{shown}: a UTF-16 CSV; save it as CSV UTF-8").format(shown=shown))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode(shown, data, "gb18030"), "gb18030"


def _decode(shown: str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SheetRefused(
            _(
                "{shown}: not text in UTF-8 or GB18030 (byte {start}); save it as "
                "CSV UTF-8 or as .xlsx"
            ).format(shown=shown, start=exc.start)
        ) from None


def _read_csv(shown: str, data: bytes) -> Sheet:
    text, encoding = decode_csv(shown, data)
    if "\x00" in text:
        raise SheetRefused(_("{shown}: binary data, not a CSV or .xlsx file").format(shown=shown))
    try:
        dialect: type[csv.Dialect] = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[Row] = []
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(MAX_CSV_FIELD)
        for number, record in enumerate(reader, start=1):
            if number > MAX_ROWS + 10:
                raise SheetRefused(_too_many_rows(shown, f"more than {MAX_ROWS + 10:,}"))
            cells = tuple(_csv_cell(value) for value in record)
            if any(cell is not None for cell in cells):
                rows.append(Row(number, cells))
    except csv.Error as exc:
        raise SheetRefused(
            _("{shown}: not a readable CSV file (record {line_num}: {exc})").format(
                shown=shown, line_num=reader.line_num, exc=exc
            )
        ) from None
    finally:
        csv.field_size_limit(limit)
    return Sheet(path=shown, name=None, rows=tuple(rows), encoding=encoding)


def _csv_cell(value: str) -> str | None:
    return value if value.strip() else None


def _too_many_rows(shown: str, count: str) -> str:
    return (
        f"{shown}: {count} rows; at most {MAX_ROWS:,} rows are taken in one intake "
        "(split the sheet)"
    )


# ------------------------------------------------------------------ xlsx


@dataclass(frozen=True)
class _Part:
    """What the safety pass learnt about one worksheet part."""

    rows: int  # the highest row number used (or the number of row elements)
    columns: int  # the widest column used
    uncomputed: frozenset[tuple[int, int]]  # (row, column) 1-based row, 0-based column


def _read_xlsx(shown: str, data: bytes, wanted: str | None) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SheetRefused(
            _("{shown}: not an .xlsx file (a damaged or foreign zip)").format(shown=shown)
        ) from None
    with archive:
        _check_directory(shown, archive)
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels", ".vml")):
                _scan_xml(shown, archive, info)
        name, part = _choose_sheet(shown, archive, wanted)
        facts = _measure(shown, archive, part, name)
    return _calamine_rows(shown, data, name, facts)


def _check_directory(shown: str, archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise SheetRefused(
            _("{shown}: {n:,} parts in the zip; not a demand sheet").format(
                shown=shown, n=len(entries)
            )
        )
    total = 0
    for info in entries:
        if info.flag_bits & 0x1:
            raise SheetRefused(
                _("{shown}: encrypted; save it again without a password").format(shown=shown)
            )
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > _RATIO_FROM and ratio > MAX_RATIO:
            raise SheetRefused(
                _(
                    "{shown}: part {filename} unpacks to {ratio:,} times its "
                    "packed size (a zip bomb?); a worksheet packs about 10 to 20 times"
                ).format(shown=shown, filename=info.filename, ratio=ratio)
            )
        if info.file_size > MAX_PART_BYTES:
            raise SheetRefused(
                _(
                    "{shown}: part {filename} unpacks to {file_size:,} bytes; at "
                    "most {MAX_PART_BYTES:,} are read (a zip bomb?)"
                ).format(
                    shown=shown,
                    filename=info.filename,
                    file_size=info.file_size,
                    MAX_PART_BYTES=MAX_PART_BYTES,
                )
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise SheetRefused(
            _(
                "{shown}: unpacks to {total:,} bytes; at most {MAX_TOTAL_BYTES:,} "
                "are read (a zip bomb?)"
            ).format(shown=shown, total=total, MAX_TOTAL_BYTES=MAX_TOTAL_BYTES)
        )
    names = {info.filename for info in entries}
    if "xl/workbook.xml" not in names and "[Content_Types].xml" not in names:
        raise SheetRefused(_("{shown}: a zip file, but not an .xlsx workbook").format(shown=shown))


def _chunks(shown: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part inflated piece by piece; zipfile stops at the declared size and checks the CRC."""
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(_CHUNK):
                yield chunk
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise SheetRefused(
            _("{shown}: part {filename} is damaged ({exc})").format(
                shown=shown, filename=info.filename, exc=exc
            )
        ) from None
    except Exception as exc:  # zlib.error and friends: a corrupt stream
        raise SheetRefused(
            _("{shown}: part {filename} is damaged ({exc})").format(
                shown=shown, filename=info.filename, exc=exc
            )
        ) from None


def _scan_xml(shown: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part with a DTD or not in UTF-8; reading it through checks size and CRC."""
    tail = b""
    first = True
    for chunk in _chunks(shown, archive, info):
        if first:
            first = False
            if (
                chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
                or b"\x00" in chunk[:64]
            ):
                raise SheetRefused(
                    _("{shown}: part {filename} is not UTF-8 XML").format(
                        shown=shown, filename=info.filename
                    )
                )
        if _DTD.search(tail + chunk):
            raise SheetRefused(
                _(
                    "{shown}: part {filename} declares a DTD or entities; refused "
                    "(XML entity tricks)"
                ).format(shown=shown, filename=info.filename)
            )
        tail = chunk[-16:]


def _xml(shown: str, archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    """A small part (workbook, relationships) parsed; already scanned for DTDs."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    try:
        return ElementTree.fromstring(b"".join(_chunks(shown, archive, info)))
    except ElementTree.ParseError as exc:
        raise SheetRefused(
            _("{shown}: part {name} is not well-formed XML ({exc})").format(
                shown=shown, name=name, exc=exc
            )
        ) from None


def _choose_sheet(shown: str, archive: zipfile.ZipFile, wanted: str | None) -> tuple[str, str]:
    """The worksheet to read and its part: ``wanted`` (hidden or not), else the first
    visible worksheet."""
    workbook = _xml(shown, archive, "xl/workbook.xml")
    rels = _xml(shown, archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        raise SheetRefused(
            _("{shown}: a zip file, but not an .xlsx workbook (no xl/workbook.xml)").format(
                shown=shown
            )
        )
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in rels.iter(f"{{{_PKG_REL_NS}}}Relationship")
        if rel.get("Type", "").endswith("/worksheet")
    }
    sheets: list[tuple[str, str, bool]] = []
    for entry in workbook.iter(f"{{{_MAIN_NS}}}sheet"):
        rid = entry.get(f"{{{_REL_NS}}}id")
        if rid not in targets:
            continue  # a chart sheet or a macro sheet
        target = targets[rid]
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        part = str(PurePosixPath(part))
        visible = entry.get("state", "visible") == "visible"
        sheets.append((entry.get("name", ""), part, visible))
    if not sheets:
        raise SheetRefused(_("{shown}: the workbook has no worksheet").format(shown=shown))
    if wanted is not None:
        for name, part, _visible in sheets:
            if name == wanted or name.strip().casefold() == wanted.strip().casefold():
                return name, part
        listed = ", ".join(repr(name) for name, _, _ in sheets)
        raise SheetRefused(
            _("--sheet: {shown} has no sheet {wanted!r}; its sheets: {listed}").format(
                shown=shown, wanted=wanted, listed=listed
            )
        )
    for name, part, visible in sheets:
        if visible:
            return name, part
    raise SheetRefused(
        _("{shown}: every sheet is hidden; name the one to read with --sheet").format(shown=shown)
    )


def _measure(shown: str, archive: zipfile.ZipFile, part: str, name: str) -> _Part:
    """Rows and columns the worksheet spans, and its formula cells without a value."""
    try:
        info = archive.getinfo(part)
    except KeyError:
        raise SheetRefused(
            _("{shown}: sheet {name!r} has no data part ({part})").format(
                shown=shown, name=name, part=part
            )
        ) from None
    rows = row_tags = cell_tags = cell_refs = 0
    widest = ""
    formulas = False
    tail = b""
    for chunk in _chunks(shown, archive, info):
        # scanned up to the last '>': a tag cut at a chunk's end is read whole next time
        piece = tail + chunk
        cut = piece.rfind(b">") + 1
        scanned, tail = piece[:cut], piece[cut:]
        if len(tail) > _CHUNK:
            if tail.strip():
                raise SheetRefused(
                    _(
                        "{shown}: sheet {name!r} holds more than 1 MB of text "
                        "without markup; not a worksheet"
                    ).format(shown=shown, name=name)
                )
            tail = b""  # white space pads nothing that counts
        rows, widest, counts = _scan_piece(scanned, rows, widest)
        row_tags += counts[0]
        cell_tags += counts[1]
        cell_refs += counts[2]
        formulas = formulas or _FORMULA.search(scanned) is not None
    rows, widest, counts = _scan_piece(tail, rows, widest)
    row_tags += counts[0]
    cell_tags += counts[1]
    cell_refs += counts[2]
    formulas = formulas or _FORMULA.search(tail) is not None
    if cell_refs < cell_tags:
        raise SheetRefused(
            _(
                "{shown}: sheet {name!r} has cells without positions; open it in a "
                "spreadsheet program and save it again as .xlsx"
            ).format(shown=shown, name=name)
        )
    height = max(rows, row_tags)
    width = column_index(widest) + 1 if widest else 0
    if height > MAX_ROWS + 10:
        raise SheetRefused(_too_many_rows(f"{shown} (sheet {name!r})", f"{height:,}"))
    if height * width > MAX_CELLS:
        raise SheetRefused(
            _(
                "{shown}: sheet {name!r} spans {height:,} rows by {width:,} "
                "columns; at most {MAX_CELLS:,} cells are read (delete the unused "
                "rows and columns)"
            ).format(shown=shown, name=name, height=height, width=width, MAX_CELLS=MAX_CELLS)
        )
    uncomputed = _uncomputed(shown, archive, info) if formulas else frozenset()
    return _Part(rows=height, columns=width, uncomputed=uncomputed)


def _scan_piece(piece: bytes, rows: int, widest: str) -> tuple[int, str, tuple[int, int, int]]:
    numbers = _ROW_NUMBER.findall(piece)
    if numbers:
        rows = max(rows, max(int(n) for n in numbers))
    refs = _CELL_REF.findall(piece)
    if refs:
        widest = max({ref.decode() for ref in refs} | ({widest} if widest else set()), key=_width)
    return rows, widest, (len(_ROW_TAG.findall(piece)), len(_CELL_TAG.findall(piece)), len(refs))


def _width(letters: str) -> tuple[int, str]:
    return len(letters), letters


def _uncomputed(
    shown: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo
) -> frozenset[tuple[int, int]]:
    """Cells with a formula and no cached value (the part holds no DTD: scanned before)."""
    found: set[tuple[int, int]] = set()
    parser = ElementTree.XMLPullParser(events=("end",))
    cell_tag = f"{{{_MAIN_NS}}}c"
    try:
        for chunk in _chunks(shown, archive, info):
            parser.feed(chunk)
            for _event, element in parser.read_events():
                if element.tag != cell_tag:
                    continue
                formula = element.find(f"{{{_MAIN_NS}}}f")
                value = element.find(f"{{{_MAIN_NS}}}v")
                inline = element.find(f"{{{_MAIN_NS}}}is")
                if formula is not None and inline is None and (value is None or not value.text):
                    match = _REF.match(element.get("r", ""))
                    if match:
                        found.add((int(match.group(2)), column_index(match.group(1))))
                element.clear()
        parser.close()
    except ElementTree.ParseError as exc:
        raise SheetRefused(
            _("{shown}: part {filename} is not well-formed XML ({exc})").format(
                shown=shown, filename=info.filename, exc=exc
            )
        ) from None
    return frozenset(found)


def _calamine_rows(shown: str, data: bytes, name: str, facts: _Part) -> Sheet:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
            sheet = workbook.get_sheet_by_name(name)
            end = sheet.end
            merged = sheet.merged_cell_ranges or []
            # each row converted as it comes, a blank one kept as None: the sheet is
            # held once, in Python's form
            raw: list[tuple[Value, ...] | None] = []
            width = 0
            for values in sheet.iter_rows():
                width = width or len(values)
                cells = tuple(_cell(value) for value in values)
                raw.append(cells if any(cell is not None for cell in cells) else None)
    except CalamineError as exc:
        raise SheetRefused(
            _("{shown}: cannot be read as .xlsx ({exc})").format(shown=shown, exc=exc)
        ) from None
    if end is None or not raw:
        return Sheet(path=shown, name=name, rows=())
    # python-calamine yields rows from the top of the sheet or from the first used
    # row, and columns from the first used column: place them from where they end
    row_offset = end[0] + 1 - len(raw)
    col_offset = end[1] + 1 - width
    fill = _merged_fill(merged)
    uncomputed: dict[int, list[int]] = {}
    for row, column in facts.uncomputed:
        uncomputed.setdefault(row, []).append(column)
    rows: list[Row] = []
    pad: tuple[Value, ...] = (None,) * col_offset
    for index, converted in enumerate(raw):
        number = index + row_offset + 1
        if number not in uncomputed:
            if converted is not None:
                rows.append(Row(number, pad + converted))
            continue
        cells: list[Value] = list(pad + (converted or ()))
        for column in uncomputed[number]:
            while len(cells) <= column:
                cells.append(None)
            cells[column] = UNCOMPUTED
        rows.append(Row(number, tuple(cells)))
    if fill:
        rows = _apply_fill(rows, fill)
    return Sheet(path=shown, name=name, rows=tuple(rows))


def _cell(value: object) -> Value:
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value  # type: ignore[return-value]


_Fill = dict[tuple[int, int], tuple[int, int]]


def _merged_fill(
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
) -> _Fill:
    """For each cell below the top of a merged range, in its first column: the top cell
    (1-based row numbers, 0-based columns)."""
    fill: _Fill = {}
    for (top, left), (bottom, _right) in merged:
        if bottom - top > MAX_ROWS:
            continue
        for row in range(top + 1, bottom + 1):
            fill[(row + 1, left)] = (top + 1, left)
    return fill


def _apply_fill(rows: list[Row], fill: _Fill) -> list[Row]:
    by_number = {row.number: row for row in rows}
    wanted: dict[int, dict[int, Value]] = {}
    for (number, column), (top, left) in fill.items():
        source = by_number.get(top)
        if source is not None and source.get(left) is not None:
            wanted.setdefault(number, {})[column] = source.get(left)
    if not wanted:
        return rows
    result: list[Row] = []
    for row in rows:
        extra = wanted.get(row.number)
        if extra:
            cells = list(row.cells)
            for column, value in extra.items():
                while len(cells) <= column:
                    cells.append(None)
                if cells[column] is None:
                    cells[column] = value
            row = Row(row.number, tuple(cells))
        result.append(row)
    return result
