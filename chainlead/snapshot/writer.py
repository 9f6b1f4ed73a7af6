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
    raise TypeError(f"no snapshot spelling for {kind.__name__}")


Record = Mapping[str, object]


class Writer:
    """Collects the lines of a document; ``text()`` joins them.

    ``table`` writes one ``[[path]]`` table with its fields in the order
    given, leaving out ``None``; nested arrays of tables follow it. Short
    strings repeat (actors, kinds, statuses, units) and are spelled once.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self._spelled: dict[str, str] = {}

    def keys(self, record: Record, fields: Sequence[str]) -> None:
        append = self.parts.append
        get = record.get
        spelled = self._spelled
        for name in fields:
            value = get(name)
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                text = spelled.get(value)  # type: ignore[arg-type]
                if text is None:
                    text = format_string(value)  # type: ignore[arg-type]
                    if len(value) < 40:  # type: ignore[arg-type]
                        spelled[value] = text  # type: ignore[index]
            elif kind is datetime:
                if value.tzinfo is not None:  # type: ignore[union-attr]
                    raise ValueError("snapshot times are naive UTC")
                text = value.isoformat() + "Z"  # type: ignore[union-attr]
            else:
                text = format_value(value)
            append(f"{name} = {text}\n")

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

    def text(self) -> str:
        return "".join(self.parts)
