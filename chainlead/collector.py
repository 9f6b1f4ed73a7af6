"""Python's cycle collector, paused around work that makes many objects but no cycles.

An import or a report at 100k items makes millions of small objects (rows,
records, text and table cells) holding no reference cycles; every full pass
of the cycle collector would walk all of them, which costs a sixth or more
of such a command. Reference counting still frees everything as it goes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """The collector off for the block, and back as it was after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
