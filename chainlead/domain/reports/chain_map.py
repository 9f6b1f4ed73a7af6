"""The monthly report's summary of each chain's map (产业链图谱).

For each chain of the report that has links: how many links it has in each
state (strong, weak, missing), the missing links by name, and the links
whose open items include a red one (overdue today), with those items' keys.
A chain with no links has no summary (``None``): its panel says nothing of a
map it does not have. Lights are today's, as the chain's own light is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from chainlead.store.connection import Reader

if TYPE_CHECKING:
    from chainlead.domain.reports.model import ChainSection


@dataclass(frozen=True)
class RedLink:
    """A link with red items: its name and the items' keys."""

    name: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class ChainMapSummary:
    """A chain's map in the monthly report."""

    links: int
    strong: int
    weak: int
    missing: int
    missing_links: tuple[str, ...]  # in map order
    red_links: tuple[RedLink, ...]  # in map order


def map_summaries(
    db: Reader, *, codes: Sequence[str], today: date, warning_days: int = 7
) -> dict[str, ChainMapSummary]:
    """The map summary of each chain among ``codes`` that has links, by code."""
    from chainlead.domain.links import link_lights
    from chainlead.store.links import links_by_chain_code

    links = {code: found for code, found in links_by_chain_code(db).items() if code in codes}
    if not links:
        return {}
    chain_ids = sorted({link.chain_id for found in links.values() for link in found})
    _lights, reds = link_lights(db, chain_ids, today=today, warning_days=warning_days)
    return {
        code: ChainMapSummary(
            links=len(found),
            strong=sum(1 for link in found if link.state == "strong"),
            weak=sum(1 for link in found if link.state == "weak"),
            missing=sum(1 for link in found if link.state == "missing"),
            missing_links=tuple(link.name for link in found if link.state == "missing"),
            red_links=tuple(
                RedLink(link.name, tuple(reds[link.id])) for link in found if reds[link.id]
            ),
        )
        for code, found in links.items()
    }


def with_chain_maps(
    db: Reader, sections: Sequence[ChainSection], *, today: date, warning_days: int = 7
) -> list[ChainSection]:
    """The report's chain panels, each with its map's summary (``chain_map``)."""
    found = map_summaries(
        db, codes=[s.code for s in sections], today=today, warning_days=warning_days
    )
    return [dataclasses.replace(s, chain_map=found.get(s.code)) for s in sections]
