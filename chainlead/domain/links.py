"""The rules of a chain's map (产业链图谱): its links and the enterprises on them."""

from __future__ import annotations

from chainlead.domain.registry import fold
from chainlead.errors import NotFound
from chainlead.store.connection import Reader
from chainlead.store.links import LinkRecord, links_of_chain


def find_link(db: Reader, *, chain_id: int, name: str, field: str = "--link") -> LinkRecord:
    """The chain's link of this name (exact, then folded for case and width), or
    NotFound naming ``field`` and the chain's closest links."""
    links = links_of_chain(db, chain_id)
    for link in links:
        if link.name == name:
            return link
    folded = fold(name)
    for link in links:
        if fold(link.name) == folded:
            return link
    from difflib import get_close_matches

    close = get_close_matches(name, [link.name for link in links], n=3, cutoff=0.4)
    raise NotFound(f"{field}: link", name, close)
