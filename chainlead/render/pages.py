"""A long list on a terminal: one page of it, and the line that counts it.

Nobody reads fifteen thousand rows on a screen: on a terminal the item list
stops after a page (``PAGE`` rows, ``--limit N``, every row with ``--all``) and
says how many more there are; into a pipe, a file, ``--json`` or ``--csv`` it
gives every row. The list ends with a count of its items by light.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TypeVar

from chainlead.i18n import N_, _, ngettext, pgettext

PAGE = 50  # rows of the item list on a terminal, unless --limit N or --all

Row = TypeVar("Row")

# Each light counted, in the order the count line names them (worst first).
LIGHT_COUNTS = {
    "red": N_("{n} red"),
    "yellow": N_("{n} yellow"),
    "suspended": N_("{n} suspended"),
    "green": N_("{n} green"),
    "late": N_("{n} late"),
    "on_time": N_("{n} on time"),
    "none": N_("{n} without a light"),
}


def count_line(lights: Iterable[str]) -> str:
    """``26 items: 18 red, 3 yellow, 5 green``: the rows, then each light's count
    (red, yellow and green always; the others when there are any)."""
    counted = Counter(lights)
    total = sum(counted.values())
    shown = [
        _(words).format(n=counted[light])
        for light, words in LIGHT_COUNTS.items()
        if counted[light] or light in ("red", "yellow", "green")
    ]
    shown += [f"{counted[light]} {light}" for light in counted if light not in LIGHT_COUNTS]
    separator = pgettext("between counts", ", ")
    return ngettext("{n} item: {lights}", "{n} items: {lights}", total).format(
        n=total, lights=separator.join(shown)
    )


def more_line(more: int) -> str:
    """What a page leaves out: ``… and 15757 more (--all to list them)``."""
    return ngettext(
        "… and {n} more (--all to list them)", "… and {n} more (--all to list them)", more
    ).format(n=more)


def page(rows: Sequence[Row], size: int | None) -> tuple[Sequence[Row], int]:
    """The first ``size`` rows (all with None) and how many are left out."""
    if size is None or len(rows) <= size:
        return rows, 0
    return rows[:size], len(rows) - size
