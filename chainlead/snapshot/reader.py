"""From bytes to a snapshot's records, refusing what must never reach the parser.

In order: the size limit (checked before reading anything), the text
encoding (UTF-8; a BOM selects UTF-8, UTF-16 or UTF-32; a BOM-less file in
another encoding gets its own message), then the parser, then the header: a
chainlead snapshot of a format version this chainlead reads.

Text in the canonical spelling ``export`` writes is read by the strict
streaming reader in ``canonical`` (it has no nesting and no dotted keys to
guard against), a megabyte at a time from the file: ``canonical_records``.
Anything else goes to ``tomllib``, after a scan of the raw text for nesting
and dotted keys far deeper than the format can need (the standard parser
recurses on nesting and blows up on 100,000-part dotted keys):
``document_records``.
"""

from __future__ import annotations

import codecs
import os
import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from chainlead.errors import InvalidInput, SnapshotInvalid
from chainlead.i18n import N_, _
from chainlead.snapshot import FORMAT, FORMAT_VERSION
from chainlead.snapshot.canonical import (
    NotCanonical,
    has_control,
    lines_of,
    parse_canonical,
    records,
)
from chainlead.snapshot.schema import (
    ASSIGNMENT,
    CHAIN,
    CHAIN_LINK,
    ENTERPRISE,
    ENTERPRISE_LINK,
    EVENT,
    EXTENSION,
    FOLLOW_UP,
    ITEM,
    ITEM_EVENT,
    LINK,
    MILESTONE,
    PERSON,
    PLACEMENT,
    PLAIN_EVENT,
    PROGRESS,
    PROJECT,
    PROJECT_EVENT,
    RAISER,
    TARGET,
    UNIT,
    Snapshot,
    printable,
    validate,
)

DEFAULT_LIMIT = 64 * 1024 * 1024
LIMIT_ENV = "CHAINLEAD_IMPORT_LIMIT"
LIMIT_FORM = "expected a size such as 64M, 500K, 1G or a number of bytes"
# The format needs three levels of arrays of tables and no inline nesting;
# a hand-written file may nest inline tables and arrays, but never this deep.
MAX_DEPTH = 16
MAX_KEY_PARTS = 16

_SIZE = re.compile(r"^(\d{1,15})\s*([kmg]?)(?:i?b)?$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}

# Strings and comments, as TOML reads them from left to right.
_SKIPPED = re.compile(
    r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"{0,2}"""'
    r"|'''.*?'{3,5}"
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*",
    re.DOTALL,
)
# MAX_KEY_PARTS parts: as many dots with no separator between them.
_LONG_KEY = re.compile(r"\.(?:[^.\n=,{}\[\]]*\.){" + str(MAX_KEY_PARTS - 2) + "}")
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_PAIR = re.compile(r"\[\]|\{\}")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def parse_limit(text: str, field: str = "--max-size") -> int:
    """A size in bytes from ``64M``, ``500K``, ``1G``, ``64MiB`` or a plain number."""
    match = _SIZE.match(text.strip())
    if not match:
        raise InvalidInput(field, LIMIT_FORM, text)
    number = int(match.group(1)) * _UNITS[match.group(2).lower()]
    if number < 1:
        raise InvalidInput(field, LIMIT_FORM, text)
    return number


def import_limit(option: str | None) -> int:
    """The size limit in force: the option, then CHAINLEAD_IMPORT_LIMIT, then 64 MiB."""
    if option is not None:
        return parse_limit(option)
    env = os.environ.get(LIMIT_ENV)
    if env:
        return parse_limit(env, LIMIT_ENV)
    return DEFAULT_LIMIT


def _size(number: int) -> str:
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if number >= factor:
            return f"{number / factor:.1f} {unit}".replace(".0 ", " ")
    return f"{number} bytes"


def _too_large(name: str, limit: int) -> SnapshotInvalid:
    return SnapshotInvalid(
        _(
            "{name} is larger than the import limit of {size}; raise it "
            "with --max-size or {limit_env}"
        ).format(name=name, size=_size(limit), limit_env=LIMIT_ENV)
    )


CHUNK = 1 << 20
# The arrays read in their checked form (histories, links, assignments, extensions:
# most of a snapshot).
CHECKED = {
    "history": PLAIN_EVENT,
    "people.history": PLAIN_EVENT,
    "chains.history": EVENT,
    "chains.meetings.history": EVENT,
    "chains.items.history": ITEM_EVENT,
    "chains.items.links": LINK,
    "chains.items.assignments": ASSIGNMENT,
    "chains.items.extensions": EXTENSION,
    "chains.enterprises": PLACEMENT,
    "chains.items.enterprises": RAISER,
    "chains.items.follow_ups": FOLLOW_UP,
    "chains.links": CHAIN_LINK,
    "chains.enterprise_links": ENTERPRISE_LINK,
    "chains.targets": TARGET,
    "chains.projects.progress": PROGRESS,
    "chains.projects.milestones": MILESTONE,
    "chains.projects.history": PROJECT_EVENT,
}
CHECKED_TABLES = {"chains.items": ITEM, "chains.projects": PROJECT}
Progress = Callable[[str, int, int], None]


class Source:
    """A snapshot's bytes: a file read a megabyte at a time, or bytes already read (stdin)."""

    def __init__(self, name: str, *, path: Path | None = None, data: bytes = b"") -> None:
        self.name = name
        self.path = path
        self._data = data
        self.size = path.stat().st_size if path is not None else len(data)

    def chunks(self) -> Iterator[bytes]:
        if self.path is None:
            view = memoryview(self._data)
            for start in range(0, len(view), CHUNK):
                yield bytes(view[start : start + CHUNK])
            return
        try:
            with self.path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    yield chunk
        except OSError as exc:
            raise SnapshotInvalid(
                _("cannot read {name}: {value}").format(name=self.name, value=exc.strerror or exc)
            ) from None

    def data(self, limit: int) -> bytes:
        """All of it (at most ``limit`` + 1 bytes)."""
        if self.path is None:
            return self._data
        try:
            with self.path.open("rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            raise SnapshotInvalid(
                _("cannot read {name}: {value}").format(name=self.name, value=exc.strerror or exc)
            ) from None
        if len(data) > limit:
            raise _too_large(self.name, limit)
        return data


def open_source(source: str, *, limit: int, stdin: BinaryIO) -> Source:
    """The snapshot at ``source`` (a path, or ``-`` for stdin), within the size limit."""
    if source == "-":
        data = stdin.read(limit + 1)
        if len(data) > limit:
            raise _too_large(_("the snapshot on stdin"), limit)
        return Source("stdin", data=data)
    shown_name = printable(source)
    path = Path(source)
    try:
        if path.is_dir():
            raise SnapshotInvalid(
                _("{shown_name} is a directory; expected a snapshot file").format(
                    shown_name=shown_name
                )
            )
        if path.stat().st_size > limit:
            raise _too_large(shown_name, limit)
    except OSError as exc:
        raise SnapshotInvalid(
            _("cannot read {shown_name}: {value}").format(
                shown_name=shown_name, value=exc.strerror or exc
            )
        ) from None
    return Source(shown_name, path=path)


def canonical_records(
    source: Source, *, limit: int, progress: Progress | None = None
) -> Iterator[tuple[str, Any]]:
    """The snapshot's top-level records, read as a stream in the canonical spelling.

    Raises ``NotCanonical`` (at any point of the stream) when the text is not
    in that spelling, or not UTF-8: then ``document_records`` reads it.
    """

    def text() -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")()
        done = 0
        for chunk in source.chunks():
            if done == 0 and chunk.startswith(codecs.BOM_UTF8):
                chunk = chunk[len(codecs.BOM_UTF8) :]
                done += len(codecs.BOM_UTF8)
            elif done == 0 and any(chunk.startswith(bom) for bom, _ in _BOMS):
                raise NotCanonical  # UTF-16 or UTF-32
            done += len(chunk)
            if done > limit:
                raise _too_large(source.name, limit)
            if has_control(chunk):
                raise NotCanonical
            try:
                yield decoder.decode(chunk)
            except UnicodeDecodeError:
                raise NotCanonical from None  # the whole read names the byte
            if progress is not None:
                progress(N_("importing (KiB read)"), done >> 10, source.size >> 10)
        try:
            yield decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise NotCanonical from None

    return records(lines_of(text()), checked=CHECKED, tables=CHECKED_TABLES)


def document_records(source: Source, *, limit: int) -> Iterator[tuple[str, Any]]:
    """The snapshot's top-level records, from the whole text read by ``tomllib``."""
    name = source.name
    text = decode(source.data(limit), name)
    guard(text, name)
    document = parse(text, name)
    del text
    lists = {"units": UNIT, "enterprises": ENTERPRISE, "people": PERSON, "chains": CHAIN}
    root = {
        key: value
        for key, value in document.items()
        if key != "scope" and not (key in lists and isinstance(value, list))
    }
    yield "document", root
    if document.get("scope") is not None:
        yield "scope", document["scope"]
    for key in lists:
        value = document.get(key)
        if isinstance(value, list):
            for entry in value:
                yield key, entry


def decode(data: bytes, name: str) -> str:
    """The text of the file: UTF-8, or what its byte order mark says."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).removeprefix("\ufeff")
            except UnicodeDecodeError as exc:
                raise SnapshotInvalid(
                    _(
                        "{name} starts with a {replace} byte order mark but is not "
                        "valid {replace} (byte {start}); save it as UTF-8"
                    ).format(
                        name=name, replace=encoding.upper().replace("-SIG", ""), start=exc.start
                    )
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            data.decode("gb18030")
            hint = " (it looks like GBK/GB18030)"
        except UnicodeDecodeError:
            pass
        raise SnapshotInvalid(
            _(
                "{name} is not UTF-8 text{hint}: byte 0x{value:02X} at "
                "offset {start}; save it as UTF-8"
            ).format(name=name, hint=hint, value=data[exc.start], start=exc.start)
        ) from None


def guard(text: str, name: str) -> None:
    """Refuse nesting and dotted keys far deeper than a snapshot needs, before parsing."""
    structure = _SKIPPED.sub("S", text)
    if _LONG_KEY.search(structure):
        raise SnapshotInvalid(
            _(
                "{name} has a dotted key of more than {max_key_parts} parts; "
                "a chainlead snapshot never needs that (not imported)"
            ).format(name=name, max_key_parts=MAX_KEY_PARTS)
        )
    brackets = _NOT_BRACKET.sub("", structure)
    passes = 0
    while brackets and passes < MAX_DEPTH:
        brackets, removed = _PAIR.subn("", brackets)
        if not removed:
            break
        passes += 1
    depth = deepest = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth + passes > MAX_DEPTH:
                deepest = depth + passes
                break
        else:
            depth = max(depth - 1, 0)
    if deepest:
        raise SnapshotInvalid(
            _(
                "{name} nests arrays or tables more than {max_depth} levels "
                "deep; a chainlead snapshot never needs that (not imported)"
            ).format(name=name, max_depth=MAX_DEPTH)
        )


def parse(text: str, name: str) -> dict[str, Any]:
    """``tomllib`` on guarded text; a syntax error is one line naming where."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SnapshotInvalid(
            _("{name} is not valid TOML: {exc}").format(name=name, exc=exc)
        ) from None
    except RecursionError:  # the guard should have caught it; never a traceback
        raise SnapshotInvalid(
            _("{name} nests too deeply to read (not imported)").format(name=name)
        ) from None


def check_header(document: dict[str, Any], name: str) -> int:
    """The format version, when the document is a chainlead snapshot this chainlead reads."""
    if document.get("format") != FORMAT:
        raise SnapshotInvalid(
            _(
                '{name} is not a chainlead snapshot (expected format = "{format}" at the top)'
            ).format(name=name, format=FORMAT)
        )
    version = document.get("format_version")
    if type(version) is not int or version < 1:
        raise SnapshotInvalid(
            _("{name}: format_version: expected a whole number such as 1").format(name=name)
        )
    if version > FORMAT_VERSION:
        raise SnapshotInvalid(
            _(
                "{name} is snapshot format version {version}; this chainlead "
                "reads format version {format_version} and older; upgrade "
                "chainlead to import it"
            ).format(name=name, version=version, format_version=FORMAT_VERSION)
        )
    return version


def load_document(data: bytes, name: str) -> dict[str, Any]:
    """Bytes to a parsed document with a readable header (no value checks yet)."""
    text = decode(data, name)
    document = parse_canonical(text)  # the canonical spelling cannot nest or dot deeply
    if document is None:
        guard(text, name)
        document = parse(text, name)
    del text
    check_header(document, name)
    return document


def read_snapshot(data: bytes, name: str) -> Snapshot:
    """Bytes to a checked snapshot, or ``SnapshotInvalid`` listing every problem."""
    return validate(load_document(data, name), name=name)
