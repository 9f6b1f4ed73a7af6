"""The canonical TOML spelling of a snapshot: one spelling per value, fixed key order.

Written here rather than with tomli-w because the format asks for what
tomli-w does not give: offset date-times ending in ``Z`` (tomli-w writes
``+00:00``) and literal strings where they suffice. Literal strings read
without escapes in a diff, and the standard parser reads them several times
faster than basic strings (it scans those character by character), which
is what keeps large imports quick. ``tests/test_snapshot_writer.py`` checks
with hypothesis that ``tomllib`` reads every value back exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime

# Characters a literal string cannot hold: control characters other than tab
# (TOML forbids them unescaped) and the apostrophe that would end it.
_LITERAL_BAD = re.compile(r"[\x00-\x08\x0a-\x1f\x7f']")
# In a multi-line literal string: control characters other than tab and
# newline, and the closing delimiter.
_MULTILINE_BAD = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|'''")
_BASIC_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
_ESCAPES = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def format_string(text: str) -> str:
    """A TOML string: literal when it can be, multi-line for text with line breaks."""
    if not _LITERAL_BAD.search(text):
        return f"'{text}'"
    if "\n" in text and not text.endswith("'") and not _MULTILINE_BAD.search(text):
        # The newline right after the opening delimiter is not part of the value.
        return f"'''\n{text}'''"
    return '"' + _BASIC_ESCAPE.sub(_escape, text) + '"'


def format_inline_string(text: str) -> str:
    """A TOML string on one line (inside an inline table): literal when it can be."""
    if not _LITERAL_BAD.search(text):
        return f"'{text}'"
    return '"' + _BASIC_ESCAPE.sub(_escape, text) + '"'


def format_datetime(value: datetime) -> str:
    """A naive UTC time as an offset date-time ending in ``Z``."""
    if value.tzinfo is not None:
        raise ValueError("snapshot times are naive UTC")
    return value.isoformat() + "Z"


def format_value(value: object) -> str:
    kind = type(value)
    if kind is str:
        return format_string(value)  # type: ignore[arg-type]
    if kind is datetime:
        return format_datetime(value)  # type: ignore[arg-type]
    if kind is date:
        return value.isoformat()  # type: ignore[union-attr]
    if kind is int:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    raise TypeError(f"no snapshot spelling for {kind.__name__}")


Record = Mapping[str, object]

_TIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}"
_DAY = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_SQLITE_TIME = re.compile(_TIME + r"\Z")
_SQLITE_DATE = re.compile(_DAY + r"\Z")
_SQLITE_TIMES = re.compile(f"{_TIME}(?:\n{_TIME})*")
_SQLITE_DAYS = re.compile(f"{_DAY}(?:\n{_DAY})*")


def _all_like(values: list[object], pattern: re.Pattern[str], width: int) -> bool:
    """Whether every value is text of ``width`` characters in SQLite's form (one regex pass)."""
    if not values or type(values[0]) is not str:
        return False
    try:
        joined = "\n".join(values)  # type: ignore[arg-type]
    except TypeError:
        return False
    # With every line the pattern's width, n values make n lines: none holds a newline.
    return len(joined) == (width + 1) * len(values) - 1 and pattern.fullmatch(joined) is not None


class Spelling:
    """Values as a snapshot spells them, remembering the spelling of short strings.

    Short strings repeat (actors, kinds, statuses, units, names) and are
    spelled once. Times and days may be given as Python values or as the text
    a SQLite row holds (``2026-11-20 16:30:00.000000``, ``2026-11-20``), so
    export can write rows as the driver returns them.
    """

    def __init__(self) -> None:
        self._table: dict[str, str] = {}
        self._inline: dict[str, str] = {}

    def text(self, value: str) -> str:
        """A string as the value of a table's key (multi-line text spelled '\'\'\'...')."""
        spelled = self._table.get(value)
        if spelled is None:
            spelled = format_string(value)
            if len(value) < 40:
                self._table[value] = spelled
        return spelled

    def inline(self, value: str) -> str:
        """A string inside an inline table: always on one line."""
        spelled = self._inline.get(value)
        if spelled is None:
            spelled = format_inline_string(value)
            if len(value) < 40:
                self._inline[value] = spelled
        return spelled

    @staticmethod
    def time(value: datetime | str) -> str:
        if type(value) is str:
            if _SQLITE_TIME.match(value):
                if value.endswith(".000000"):
                    return f"{value[:10]}T{value[11:19]}Z"
                return f"{value[:10]}T{value[11:]}Z"
            value = datetime.fromisoformat(value)
        return format_datetime(value)  # type: ignore[arg-type]

    @classmethod
    def times(cls, values: list[datetime | str]) -> list[str]:
        """Many times at once: SQLite's text is checked in one pass, then cut apart."""
        if _all_like(values, _SQLITE_TIMES, 26):
            return [
                f"{v[:10]}T{v[11:19]}Z" if v.endswith(".000000") else f"{v[:10]}T{v[11:]}Z"  # type: ignore[index,union-attr]
                for v in values
            ]
        return [cls.time(value) for value in values]

    @staticmethod
    def day(value: date | str) -> str:
        if type(value) is str:
            if _SQLITE_DATE.match(value):
                return value
            value = date.fromisoformat(value)
        return value.isoformat()  # type: ignore[union-attr]

    @classmethod
    def days(cls, values: list[date | str]) -> list[str]:
        """Many days at once (SQLite's text checked in one pass)."""
        if _all_like(values, _SQLITE_DAYS, 10):
            return values  # type: ignore[return-value]
        return [cls.day(value) for value in values]

    @staticmethod
    def moment(value: datetime | str) -> datetime:
        """A time as a ``datetime``, from either form."""
        return datetime.fromisoformat(value) if type(value) is str else value  # type: ignore[arg-type,return-value]

    def inline_table(
        self, pairs: Iterable[tuple[str, object]], *, spelled: Sequence[str] = ()
    ) -> str:
        """One inline table from (key, value) pairs, leaving out ``None``; the values
        of the keys in ``spelled`` are already spelled."""
        inline = self.value
        body = ", ".join(
            f"{name} = {value if name in spelled else inline(value, inline=True)}"
            for name, value in pairs
            if value is not None
        )
        return f"{{ {body} }}"

    def value(self, value: object, *, inline: bool = False) -> str:
        kind = type(value)
        if kind is str:
            return self.inline(value) if inline else self.text(value)  # type: ignore[arg-type]
        return format_value(value)


class Writer:
    """Collects the parts of a document; ``text()`` joins them.

    ``table`` writes one ``[[path]]`` table with its fields in the order
    given, leaving out ``None``; ``array`` writes a key holding an array of
    inline tables, one a line (left out when empty).
    """

    def __init__(self, spelling: Spelling | None = None) -> None:
        self.parts: list[str] = []
        self.spelling = spelling or Spelling()

    def keys(self, record: Record, fields: Sequence[str], *, spelled: Sequence[str] = ()) -> None:
        """The record's keys in the order of ``fields``; the values of the keys in
        ``spelled`` are already spelled."""
        append = self.parts.append
        spell = self.spelling.value
        for name in fields:
            value = record.get(name)
            if value is not None:
                append(f"{name} = {value if name in spelled else spell(value)}\n")

    def header(self, path: str, *, array: bool = True) -> None:
        self.parts.append(f"\n[[{path}]]\n" if array else f"\n[{path}]\n")

    def table(self, path: str, record: Record, fields: Sequence[str]) -> None:
        self.parts.append(f"\n[[{path}]]\n")
        self.keys(record, fields)

    def tables(
        self,
        path: str,
        records: Iterable[Record],
        fields: Sequence[str],
        then: Callable[[Record], None] | None = None,
    ) -> None:
        for record in records:
            self.table(path, record, fields)
            if then is not None:
                then(record)

    def inline(self, record: Record, fields: Sequence[str]) -> str:
        """One inline table: ``{ uuid = '...', at = 2026-11-20T16:30:00Z, ... }``."""
        spell = self.spelling.value
        pairs = ", ".join(
            f"{name} = {spell(record[name], inline=True)}"
            for name in fields
            if record.get(name) is not None
        )
        return f"{{ {pairs} }}"

    def array(self, key: str, records: Sequence[Record], fields: Sequence[str]) -> None:
        if records:
            self.lines(key, [self.inline(record, fields) for record in records])

    def lines(self, key: str, tables: Sequence[str]) -> None:
        """An array of inline tables already spelled, one a line."""
        if tables:
            self.parts.append(f"{key} = [\n    " + ",\n    ".join(tables) + ",\n]\n")

    def text(self) -> str:
        return "".join(self.parts)
