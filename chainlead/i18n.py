"""Translations: gettext catalogs, one per language, in ``chainlead/locale``.

English is the source language. A message is written in English where it is
used and marked with one of the functions below; ``make catalogs`` extracts the
marked messages with Babel into ``chainlead/locale/chainlead.pot``, merges them
into ``zh/LC_MESSAGES/chainlead.po`` (the file a translator works on) and
compiles ``chainlead.mo``, which ships in the package. At run time only the
standard library's ``gettext`` reads the compiled catalog, and only when the
language is not English.

- ``_("Overdue items")``: a message in the process's language;
- ``ngettext("{n} item", "{n} items", n)``: one whose noun agrees with a count;
- ``pgettext("column", "Resolved")``: the same English in a place that reads
  differently in Chinese (办结 / 已解决 / 解决日期);
- ``N_("...")``: marks a message kept in a table and translated where printed;
- ``translator(lang)``: the catalog of one language, for a document written in
  a language other than the process's (``report monthly --lang zh``).

The process's language is ``set_lang``'s, else the resolver the command line
registers (``--lang``, ``CHAINLEAD_LANG``, the config file), else English.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable
from pathlib import Path

from chainlead.vocabulary import LANGS

DOMAIN = "chainlead"
LOCALE = Path(__file__).parent / "locale"

_catalogs: dict[str, gettext.NullTranslations] = {}
_active: str | None = None
_resolver: Callable[[], str] | None = None


def translator(lang: str) -> gettext.NullTranslations:
    """The catalog of ``lang``; English (the source) and an unknown language translate
    nothing."""
    found = _catalogs.get(lang)
    if found is None:
        found = gettext.NullTranslations()
        if lang != "en" and lang in LANGS:
            path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
            try:
                with path.open("rb") as compiled:
                    found = gettext.GNUTranslations(compiled)
            except OSError:  # a catalog left out of the install: print the English
                pass
        _catalogs[lang] = found
    return found


def set_lang(lang: str | None) -> None:
    """Print in ``lang`` from now on (``None``: ask the resolver again)."""
    global _active
    _active = lang


def set_resolver(resolver: Callable[[], str] | None) -> None:
    """Where the language comes from when nobody set it: called once, on the first
    message translated."""
    global _resolver, _active
    _resolver = resolver
    _active = None


def current_lang() -> str:
    """The process's language."""
    global _active
    if _active is None:
        lang = os.environ.get("CHAINLEAD_LANG", "en").strip().lower() or "en"
        _active = lang if lang in LANGS else "en"  # while the resolver runs: a refusal
        if _resolver is not None:  # of the settings it reads is said in this language
            try:
                lang = _resolver()
            except Exception:  # a broken config must still be able to say so
                pass
        _active = lang if lang in LANGS else "en"
    return _active


def _(message: str) -> str:
    """``message`` in the process's language."""
    return translator(current_lang()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that agrees with ``n`` (Chinese has one)."""
    return translator(current_lang()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as it reads in ``context``."""
    return translator(current_lang()).pgettext(context, message)


def N_(message: str) -> str:
    """Marks ``message`` for the catalog; translated later, where it is printed."""
    return message
