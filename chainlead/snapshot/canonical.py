"""A strict, streaming reader for the canonical spelling that ``export`` writes.

The standard parser reads TOML at about 5 µs a key and holds the whole
document; a 100k-item snapshot is 750,000 records. This reader takes the
lines ``writer`` produces -- headers ``[[a.b]]``/``[scope]``, ``key = value``
with the value spellings of ``writer.format_value``, and arrays of inline
tables one a line (``history = [`` ... ``    { uuid = '...', ... },`` ...
``]``) -- and hands over the document one top-level record at a time (a
person, a chain with everything in it), so memory holds one chain, not the
file. Every format version is read: version 1 wrote every event as its own
``[[...history]]`` table.

It accepts only that exact subset and gives up (``NotCanonical``) on
anything else: any other spelling, a comment, a duplicate key, a header
whose parent is missing, records out of the canonical order, a CRLF line
end. The caller then reads the text with ``tomllib``, which also reports
every syntax error. So the fast path can never accept a document
``tomllib`` would refuse, nor read one differently (the tests compare the two
on every export they make and on generated text).

``records(..., checked=...)`` goes one step further for the arrays that hold
most of a snapshot (histories and links): a line that matches the checked
form of its kind -- literal strings only, every value already of the form
``schema`` requires -- becomes the normalised record directly, without the
raw table in between; an array with any other line is read as raw tables
and checked by ``schema`` like the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from chainlead.snapshot.schema import CheckedArray, CheckedTable, Kind

_KEY = re.compile(r"[a-z_]+\Z")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?Z\Z")
# What may not appear raw anywhere: control characters except tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BASIC_BODY = re.compile(
    r'(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\(?:["\\btnfr]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))*'
)
_ESCAPE = re.compile(r'\\(?:(["\\btnfr])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')
_SIMPLE = {'"': '"', "\\": "\\", "b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r"}
# One key and value of an inline table, then what follows it.
_PAIR = re.compile(r"""([a-z_]+) = ('[^']*'|"(?:[^"\\]|\\.)*"|[^,'" ]+)(, |\Z)""")
_ELEMENT_START, _ELEMENT_END = "    { ", " },"
# Top-level records in the order the writer puts them.
_SECTIONS = {"scope": 1, "units": 2, "enterprises": 3, "people": 4, "chains": 5, "history": 6}


class NotCanonical(Exception):
    """Not the canonical spelling: let tomllib read it."""


_GiveUp = NotCanonical


class Inline(list):  # type: ignore[type-arg]
    """An array written as a value (``key = [...]``): no ``[[header]]`` may extend it."""


class Checked(Inline, CheckedArray):
    """An array whose records the reader has already normalised and checked."""


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
        if _DATETIME.match(raw) is None:
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
    if raw == "true" or raw == "false":
        return raw == "true"
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


def _inline_table(line: str) -> dict[str, Any]:
    """``    { key = value, ... },`` as a table of raw values."""
    if not (line.startswith(_ELEMENT_START) and line.endswith(_ELEMENT_END)):
        raise _GiveUp
    body = line[len(_ELEMENT_START) : -len(_ELEMENT_END)]
    table: dict[str, Any] = {}
    position, end = 0, len(body)
    while True:
        match = _PAIR.match(body, position)
        if match is None:
            raise _GiveUp
        key, raw, separator = match.groups()
        if key in table:
            raise _GiveUp
        table[key] = _value(raw)
        position = match.end()
        if not separator:
            if position != end:
                raise _GiveUp
            return table


_GROUP = re.compile(r"\((?!\?)")  # the capturing group of a checked literal form


class Fast:
    """The checked form of one kind's records, as one regular expression.

    Inline (``table=False``): one ``    { key = value, ... },`` line of an
    array. Table: the lines of a ``[[header]]`` table's keys, joined. A text
    that matches holds only the kind's keys in canonical order, every string
    literal and every value of the form ``schema`` requires; the match's
    groups are the normalised record. Any other text is left to the raw
    reading and ``schema``'s checks, which also name what is wrong.
    """

    def __init__(self, kind: Kind, *, table: bool = False) -> None:
        parts = []
        converters: list[tuple[str, Callable[[str], Any]]] = []
        for index, field in enumerate(kind.fields):
            pattern = field.form.literal
            if pattern is None:
                raise ValueError(f"no checked form for {kind.name}.{field.name}")
            if field.form.convert is not None:
                converters.append((field.name, field.form.convert))
            named = _GROUP.sub(f"(?P<{field.name}>", pattern, count=1)
            if table:
                pair = f"{field.name} = {named}\n"
            else:
                pair = f"{', ' if index else ''}{field.name} = {named}"
            parts.append(pair if field.required else f"(?:{pair})?")
        body = "".join(parts)
        if not table:
            body = re.escape(_ELEMENT_START) + body + re.escape(_ELEMENT_END)
        self.match = re.compile(body + r"\Z").match
        self.converters = tuple(converters)

    def record(self, text: str) -> dict[str, Any] | None:
        """The normalised record, or None when ``text`` is not in the checked form."""
        found = self.match(text)
        if found is None:
            return None
        record = found.groupdict()
        for name, convert in self.converters:
            value = record[name]
            if value is not None:
                try:
                    record[name] = convert(value)
                except ValueError:
                    return None  # the shape matched, the day does not exist
        return record

    def records(self, lines: list[str]) -> Checked | None:
        """The normalised records of an array's lines, or None when one is not checked."""
        records = Checked()
        append, check = records.append, self.record
        for line in lines:
            record = check(line)
            if record is None:
                return None
            append(record)
        return records


def lines_of(chunks: Iterable[str]) -> Iterator[str]:
    """The lines of text given in pieces (no list of every line at once).

    The caller has made sure that the text holds no control character other
    than tab and newline (the writer escapes every one of them).
    """
    rest = ""
    for chunk in chunks:
        lines = (rest + chunk).split("\n")
        rest = lines.pop()
        yield from lines
    yield rest


# Bytes that may not appear raw in UTF-8 text of the canonical spelling: the
# control characters other than tab and newline (UTF-8 never uses these bytes
# inside a longer sequence). Mapped to 0, every other byte to 1.
_CONTROL_BYTES = bytes(
    0 if (b < 0x20 and b not in (0x09, 0x0A)) or b == 0x7F else 1 for b in range(256)
)


def has_control(data: bytes) -> bool:
    """Whether UTF-8 ``data`` holds a control character other than tab and newline."""
    return 0 in data.translate(_CONTROL_BYTES)


def _pieces(text: str, size: int = 1 << 20) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start : start + size]


def records(
    lines: Iterable[str],
    *,
    checked: Mapping[str, Kind] | None = None,
    tables: Mapping[str, Kind] | None = None,
) -> Iterator[tuple[str, Any]]:
    """The document's top-level records in file order, each once it is complete.

    First ``("document", keys)`` with the keys before the first header, then
    ``("scope", table)``, ``("units", unit)``, ``("enterprises", enterprise)``,
    ``("people", person)``, ``("chains", chain)`` and
    (version 1) ``("history", event)``, in that order. ``checked`` names the
    arrays (``chains.items.history``, ...) and ``tables`` the tables
    (``chains.items``) to read in their checked form.
    Raises ``NotCanonical`` on anything outside the canonical spelling.
    """
    fast = {path: Fast(kind) for path, kind in (checked or {}).items()}
    fast_tables = {path: Fast(kind, table=True) for path, kind in (tables or {}).items()}
    stream = iter(lines)
    root: dict[str, Any] = {}
    current = root
    current_path = ""
    section, order = "document", 0
    top: dict[str, Any] | None = None
    known_keys: set[str] = set()
    paths: dict[str, list[str]] = {}
    # Values that repeat (actors, kinds, statuses, units, days) are kept once.
    shared: dict[str, Any] = {}
    pending: str | None = None  # a line read ahead, not yet taken
    while True:
        if pending is not None:
            line, pending = pending, None
        else:
            line = next(stream, None)
            if line is None:
                break
        if not line:
            continue
        if line[0] == "[":
            array = line.startswith("[[") and line.endswith("]]")
            if not array and not (line.endswith("]") and not line.startswith("[[")):
                raise _GiveUp
            path = line[2:-2] if array else line[1:-1]
            parts = paths.get(path)
            if parts is None:
                parts = path.split(".")
                if not all(_KEY.match(part) for part in parts):
                    raise _GiveUp
                paths[path] = parts
            if len(parts) == 1:
                name = parts[0]
                rank = _SECTIONS.get(name)
                if rank is None or array != (name != "scope") or rank < order or name in root:
                    raise _GiveUp
                if name == "scope" and order == rank:
                    raise _GiveUp  # a second [scope]
                if top is None:
                    yield "document", root
                else:
                    yield section, top
                section, order = name, rank
                top = current = {}
            else:
                if parts[0] != section or top is None or not array or section == "scope":
                    raise _GiveUp
                node = top
                for part in parts[1:-1]:
                    container = node.get(part)
                    if type(container) is not list or not container:
                        raise _GiveUp  # only arrays of tables, always opened before their children
                    node = container[-1]
                container = node.setdefault(parts[-1], [])
                if type(container) is not list or (
                    container and not isinstance(container[0], dict)
                ):
                    raise _GiveUp
                current = {}
                table = fast_tables.get(path)
                if table is not None:
                    # The table's keys with their value on the line, read as one text.
                    keys = []
                    for line in stream:
                        if not line or line[0] == "[" or line.endswith((_ARRAY, _MULTILINE)):
                            pending = line
                            break
                        keys.append(line)
                    keys.append("")
                    record = table.record("\n".join(keys))
                    if record is not None:
                        current = CheckedTable(record)
                    else:
                        for key_line in keys[:-1]:
                            _key(current, key_line, known_keys, shared)
                container.append(current)
            current_path = path
            continue
        if line.endswith(_ARRAY):
            key = line[: -len(_ARRAY)]
            if key in current or not _KEY.match(key):
                raise _GiveUp
            elements = []
            for element in stream:
                if element == "]":
                    break
                elements.append(element)
            else:
                raise _GiveUp
            where = f"{current_path}.{key}" if current_path else key
            reader = fast.get(where)
            array = reader.records(elements) if reader is not None else None
            current[key] = array if array is not None else Inline(map(_inline_table, elements))
        elif type(current) is CheckedTable:
            raise _GiveUp  # a key after the table's arrays: not the canonical order
        elif line.endswith(_MULTILINE):
            key = line[: -len(_MULTILINE)]
            if key in current or not _KEY.match(key):
                raise _GiveUp
            current[key] = _multiline(stream)
        else:
            _key(current, line, known_keys, shared)
    if top is None:
        yield "document", root
    else:
        yield section, top


_ARRAY = " = ["
_MULTILINE = " = '''"


def _key(table: dict[str, Any], line: str, known_keys: set[str], shared: dict[str, Any]) -> None:
    """A ``key = value`` line with its value on the line, into ``table``."""
    key, sep, raw = line.partition(" = ")
    if not sep or key in table:
        raise _GiveUp
    if key not in known_keys:
        if not _KEY.match(key):
            raise _GiveUp
        known_keys.add(key)
    value = shared.get(raw)
    if value is not None:
        table[key] = value
    elif raw[:1] == "'" and raw[-1] == "'" and raw.count("'") == 2:
        table[key] = value = raw[1:-1]  # the common case, inline: a literal string
        if len(raw) < 40 and key != "uuid":
            shared[raw] = value
    else:
        table[key] = value = _value(raw)
        if len(raw) == 10:  # a date
            shared[raw] = value


def parse_canonical(text: str) -> dict[str, Any] | None:
    """The whole document, when ``text`` is in the canonical spelling; otherwise ``None``."""
    if _CONTROL.search(text):
        return None
    document: dict[str, Any] = {}
    try:
        for section, record in records(lines_of(_pieces(text))):
            if section == "document":
                document = dict(record)  # the reader still looks at its own keys
            elif section == "scope":
                document["scope"] = record
            else:
                document.setdefault(section, []).append(record)
    except NotCanonical:
        return None
    return document
