"""The team's own text in the monthly report (``report monthly --notes FILE``).

A Markdown-ish file with two headed parts, in either language::

    # 存在问题            (or: Problems)
    A paragraph, over one line or several.

    Another paragraph.

    # 下步工作            (or: Next steps)
    ...

A heading is a line of its own, with or without leading ``#`` marks, an
ordinal such as ``三、`` and a closing colon; after ``#`` it may go on
(``# 存在的问题和不足``, ``# 下一步工作打算``). Paragraphs are separated by
blank lines; the lines of one paragraph are joined (with a space between
Latin words, with nothing between Chinese characters). Text before the first
heading (a title) is left out; what follows a heading belongs to it until the
next one. Everything is kept as plain text: markup is not read, control
characters are dropped, and each renderer escapes what it prints.
"""

from __future__ import annotations

import re

from chainlead.domain.reports.model import ReportNotes
from chainlead.errors import InvalidInput

PROBLEMS = ("存在问题", "存在的问题", "problems")
NEXT_STEPS = ("下步工作", "下一步工作", "next steps")
# A Markdown heading (``#``) may say more after these: 存在的问题和不足, 下一步工作打算.
PROBLEMS_START = ("存在问题", "存在的问题")
NEXT_STEPS_START = ("下步", "下一步")
_HEADING = re.compile(r"^\s*#*\s*(?:[一二三四五六七八九十]+[、.．]\s*)?(?P<name>.+?)\s*[:：]?\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_CJK_END = re.compile(r"[\u3000-\u9fff\uff00-\uffef]$")
_CJK_START = re.compile(r"^[\u3000-\u9fff\uff00-\uffef]")


def _part(line: str) -> str | None:
    """Which part a line heads ("problems", "next_steps"), else None."""
    found = _HEADING.match(line)
    if not found:
        return None
    name = found["name"].strip().lower()
    marked = line.startswith("#")
    if name in PROBLEMS or (marked and name.startswith(PROBLEMS_START)):
        return "problems"
    if name in NEXT_STEPS or (marked and name.startswith(NEXT_STEPS_START)):
        return "next_steps"
    return None


def _join(lines: list[str]) -> str:
    text = ""
    for line in lines:
        if text and not (_CJK_END.search(text) and _CJK_START.search(line)):
            text += " "
        text += line
    return text


def parse_notes(text: str, *, source: str, field: str = "--notes") -> ReportNotes:
    """The two parts of the team's notes; refused (``field`` named) when neither
    heading is there."""
    parts: dict[str, list[str]] = {"problems": [], "next_steps": []}
    current: str | None = None
    paragraph: list[str] = []

    def close() -> None:
        if current is not None and paragraph:
            parts[current].append(_join(paragraph))
        paragraph.clear()

    seen = False
    for raw in text.splitlines():
        line = _CONTROL.sub("", raw.replace("\t", " ")).strip()
        heading = _part(line) if line else None
        if heading is not None:
            close()
            current, seen = heading, True
        elif not line:
            close()
        elif current is not None:
            paragraph.append(line)
    close()
    if not seen:
        raise InvalidInput(
            field,
            "expected a notes file with the headings 存在问题 and 下步工作 "
            "(or Problems and Next steps)",
            source,
        )
    return ReportNotes(
        source=source, problems=tuple(parts["problems"]), next_steps=tuple(parts["next_steps"])
    )


def read_notes(path: str, *, field: str = "--notes") -> ReportNotes:
    """The notes file at ``path`` (UTF-8, a byte-order mark allowed), parsed; a missing
    or unreadable file is refused naming ``field``."""
    from pathlib import Path

    try:
        text = Path(path).expanduser().read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(field, "expected a UTF-8 text file", path) from None
    except OSError as exc:
        raise InvalidInput(field, f"expected a readable file ({exc.strerror})", path) from None
    return parse_notes(text, source=path, field=field)
