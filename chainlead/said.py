"""Text kept in English where it is data and shown translated where people read it.

A finding of ``db check``, or a conflict or note of an import, is part of what
``--json`` prints (English, as scripts expect) and also a line on the terminal
(in the process's language). ``said(N_("unit {name!r} is unknown"), name=...)``
makes one: a ``str`` holding the English sentence, which JSON and comparisons
see, that also remembers its template and values, so ``shown(text)`` can put
the same sentence in the reader's language when it is printed.
"""

from __future__ import annotations

from collections.abc import Callable

from chainlead.i18n import _


class Said(str):
    """An English sentence that can be said again in the process's language."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, /, **values: object) -> Said:
        text = super().__new__(cls, template.format(**values) if values else template)
        text.template = template
        text.values = values
        return text

    def mapped(self, change: Callable[[str], str]) -> Said:
        """The same sentence with ``change`` applied to each text value (escaping)."""
        values = {k: change(v) if isinstance(v, str) else v for k, v in self.values.items()}
        return Said(self.template, **values)

    def translated(self) -> str:
        """The sentence in the process's language (values that are ``Said`` too)."""
        values = {k: shown(v) if isinstance(v, str) else v for k, v in self.values.items()}
        text = _(self.template)
        return text.format(**values) if values else text


def said(template: str, /, **values: object) -> Said:
    """``template`` (marked ``N_``) filled with ``values``: English as a ``str``."""
    return Said(template, **values)


def escaped(text: str, change: Callable[[str], str]) -> str:
    """``change(text)``, keeping a ``Said`` one able to be translated."""
    return text.mapped(change) if isinstance(text, Said) else change(text)


def shown(text: str) -> str:
    """``text`` as a person reads it: translated when it is ``Said``, else as it is."""
    return text.translated() if isinstance(text, Said) else text
