"""Words the domain's refusals show, as people read them.

The words live in ``chainlead.render.words``; they are imported when a refusal
is written, so that the domain does not load the render layer (rich) on import.
"""

from __future__ import annotations


def status_said(status: str) -> str:
    """A status as people read it (``in progress``, 办理中), for the refusals."""
    from chainlead.render.words import status_word

    return status_word(status)
