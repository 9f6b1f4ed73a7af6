"""A strict reader for the canonical spelling that ``export`` writes.

The standard parser reads TOML at about 5 µs a key, which is 12 s for a
100k-item snapshot; this reader takes the lines ``writer`` produces (headers
``[[a.b]]``/``[a]``, ``key = value`` with the value spellings of
``writer.format_value``) at a fraction of that. It accepts only that exact
subset and gives up (returns ``None``) on anything else: any other spelling,
a comment, a duplicate key, a header whose parent is missing, a CRLF line
end. The caller then reads the text with ``tomllib``, which also reports
every syntax error. So the fast path can never accept a document
``tomllib`` would refuse, nor read one differently (the tests compare the two
on every export they make and on generated text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

_KEY = re.compile(r"[a-z_]+\Z")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z\Z")
# What may not appear raw anywhere: control characters except tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BASIC_BODY = re.compile(
    r'(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\(?:["\\btnfr]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))*'
)
_ESCAPE = re.compile(r'\\(?:(["\\btnfr])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')
_SIMPLE = {'"': '"', "\\": "\\", "b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r"}


class _GiveUp(Exception):
    """Not the canonical spelling: let tomllib read it."""


def _unescape(match: re.Match[str]) -> str:
    simple, short, long = match.groups()
    if simple:
        return _SIMPLE[simple]
    code = int(short or long, 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise _GiveUp
    return chr(code)


def _basic(body: str) -> str:
    """The inside of a one-line basic string: plain characters and valid escapes only."""
    if not _BASIC_BODY.fullmatch(body):
        raise _GiveUp
    return _ESCAPE.sub(_unescape, body) if "\\" in body else body


def _value(raw: str) -> Any:
    """A value on one line; the caller has made sure the text holds no control characters."""
    first = raw[:1]
    if first == "'":
        if raw[-1] != "'" or len(raw) < 2 or raw.count("'") != 2:
            raise _GiveUp
        return raw[1:-1]
    if first == '"':
        if len(raw) < 2 or raw[-1] != '"' or raw.startswith('"""'):
            raise _GiveUp
        return _basic(raw[1:-1])
    if len(raw) >= 20 and raw[-1] == "Z":
        match = _DATETIME.match(raw)
        if match is None:
            raise _GiveUp
        try:
            value = datetime.fromisoformat(raw)  # the shape is checked: same as tomllib's
        except ValueError:
            raise _GiveUp from None
        return value.replace(tzinfo=UTC)
    if len(raw) == 10 and raw[4:5] == "-":
        match = _DATE.match(raw)
        if match is None:
            raise _GiveUp
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise _GiveUp from None
    if _INT.match(raw):
        number = int(raw)
        if not -(2**63) <= number < 2**63:
            raise _GiveUp
        return number
    raise _GiveUp


def _multiline(lines: Iterator[str]) -> str:
    """A multi-line literal string opened at the end of the previous line."""
    parts = []
    for line in lines:
        end = line.find("'''")
        if end == -1:
            parts.append(line)
            continue
        if end != len(line) - 3:
            raise _GiveUp  # text after the delimiter, or a quote right before it
        parts.append(line[:end])
        text = "\n".join(parts)
        if text.endswith("'"):
            raise _GiveUp
        return text
    raise _GiveUp


def _header(
    root: dict[str, Any], path: str, *, array: bool, paths: dict[str, list[str]]
) -> dict[str, Any]:
    parts = paths.get(path)
    if parts is None:
        parts = path.split(".")
        if not all(_KEY.match(part) for part in parts):
            raise _GiveUp
        paths[path] = parts
    node: dict[str, Any] = root
    for part in parts[:-1]:
        container = node.get(part)
        if not isinstance(container, list) or not container:
            raise _GiveUp  # only arrays of tables, always opened before their children
        node = container[-1]
    last = parts[-1]
    table: dict[str, Any] = {}
    if array:
        container = node.setdefault(last, [])
        if not isinstance(container, list) or (container and not isinstance(container[0], dict)):
            raise _GiveUp
        container.append(table)
    else:
        if last in node:
            raise _GiveUp
        node[last] = table
    return table


def _lines(text: str, size: int = 1 << 20) -> Iterator[str]:
    """The lines of ``text``, split a megabyte at a time (no list of every line at once)."""
    start, end_of_text = 0, len(text)
    while start < end_of_text:
        end = text.find("\n", min(start + size, end_of_text))
        if end == -1:
            end = end_of_text
        yield from text[start:end].split("\n")
        start = end + 1


def parse_canonical(text: str) -> dict[str, Any] | None:
    """The document, when ``text`` is in the canonical spelling; otherwise ``None``."""
    if _CONTROL.search(text):
        return None  # the writer escapes every control character but newline and tab
    lines = _lines(text)
    root: dict[str, Any] = {}
    current = root
    known_keys: set[str] = set()
    paths: dict[str, list[str]] = {}
    # Values that repeat (actors, kinds, statuses, units, days) are kept once.
    shared: dict[str, Any] = {}
    try:
        for line in lines:
            if not line:
                continue
            if line[0] == "[":
                if line.startswith("[[") and line.endswith("]]"):
                    current = _header(root, line[2:-2], array=True, paths=paths)
                elif line.endswith("]") and not line.startswith("[["):
                    current = _header(root, line[1:-1], array=False, paths=paths)
                else:
                    return None
                continue
            key, sep, raw = line.partition(" = ")
            if not sep or key in current:
                return None
            if key not in known_keys:
                if not _KEY.match(key):
                    return None
                known_keys.add(key)
            value = shared.get(raw)
            if value is not None:
                current[key] = value
            elif raw[:1] == "'" and raw[-1] == "'" and raw.count("'") == 2:
                current[key] = value = raw[1:-1]  # the common case, inline: a literal string
                if len(raw) < 40 and key != "uuid":
                    shared[raw] = value
            elif raw == "'''":
                current[key] = _multiline(lines)
            else:
                current[key] = value = _value(raw)
                if len(raw) == 10:  # a date
                    shared[raw] = value
    except _GiveUp:
        return None
    return root
