"""Records found by what a person types: a name or a short name, in any case or width.

Institutions and enterprises are both found this way: the exact name, then the
exact short name, then a name or short name equal to what was typed once both
are folded (NFKC: full-width forms as half-width; case folded; spaces
collapsed). Names and short names are unique in that folded form too, so a
typed name finds one record at most; an unknown one is refused with the
closest names.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from chainlead.errors import AlreadyExists, InvalidInput, RuleViolation
from chainlead.i18n import _


class Named(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def short(self) -> str | None: ...


N = TypeVar("N", bound=Named)


def fold(text: str) -> str:
    """The form names are matched in: NFKC (全角 → 半角), case folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def keys(record: Named) -> list[str]:
    """What a record is found by: its name, and its short name if it has one."""
    return [record.name] + ([record.short] if record.short else [])


def find_named(
    records: Callable[[], Sequence[N]],
    text: str,
    *,
    field: str,
    what: str,
    exact: Callable[[str], Sequence[N]] | None = None,
) -> N | None:
    """The record ``text`` names (exact name, exact short name, then folded), or None;
    several folded matches are refused as ambiguous (``what``: 'institutions').
    ``exact`` finds the records named or short-named ``text`` by an index, so that
    only a name typed in another case or width reads every record."""
    if exact is not None:
        found = exact(text)
        for record in found:
            if record.name == text:
                return record
        for record in found:
            if record.short == text:
                return record
    every = records()
    for record in every:
        if record.name == text:
            return record
    for record in every:
        if record.short == text:
            return record
    wanted = fold(text)
    found = [r for r in every if any(fold(key) == wanted for key in keys(r))]
    if len(found) > 1:
        raise RuleViolation(
            _("{field}: {text!r} matches {found} {what}: {join}; give the exact name").format(
                field=field,
                text=text,
                found=len(found),
                what=what,
                join=", ".join(r.name for r in found),
            )
        )
    return found[0] if found else None


def suggestions(records: Sequence[Named], text: str) -> list[str]:
    """The names closest to ``text``: those containing it (folded), then similar ones."""
    wanted = fold(text)
    names: list[str] = []
    for record in records:
        if wanted and any(wanted in fold(key) or fold(key) in wanted for key in keys(record)):
            names.append(record.name)
    by_key = {fold(key): record.name for record in records for key in keys(record)}
    for key in difflib.get_close_matches(wanted, list(by_key), n=3, cutoff=0.4):
        names.append(by_key[key])
    return list(dict.fromkeys(names))[:3]


def refuse_taken(
    records: Sequence[Named], text: str, field: str, *, what: str, besides: int | None = None
) -> None:
    """Refuse a name or short name another record has as its name or short name
    (folded); ``what`` says what the other is ('the institution')."""
    wanted = fold(text)
    for record in records:
        if record.id != besides and any(fold(key) == wanted for key in keys(record)):
            raise AlreadyExists(
                _("{field}: {text!r} is already {what} {name!r}").format(
                    field=field, text=text, what=what, name=record.name
                )
            )


def refuse_short_as_name(short: str, name: str) -> None:
    """A short name must differ from the name it shortens."""
    if fold(short) == fold(name):
        raise InvalidInput("--short", _("expected a short name other than the name"), short)
