"""The monthly report's supervision ladder (督办): open items by level now, and the
items that climbed in the month (``supervised`` and ``escalated`` events)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from chainlead.clock import day_end, day_start, local_day
from chainlead.domain.reports.model import ClimbLine, LadderRow
from chainlead.domain.reports.scope import _Scope
from chainlead.store.connection import Reader
from chainlead.store.supervision import climbs_between, open_level_counts
from chainlead.vocabulary import LEVEL_MAX


class _Chain(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def code(self) -> str: ...


def ladder_sections(
    db: Reader, scope: _Scope, chains: Sequence[_Chain], all_chains: Sequence[_Chain]
) -> tuple[tuple[LadderRow, ...], tuple[ClimbLine, ...]]:
    """Each shown chain's open items per level today (chains with none left out), and
    every item that climbed in the month: its first level then, its last, highest first."""
    counts = open_level_counts(db, scope.chain_id)
    ladder = []
    for chain in chains:
        levels = tuple(counts.get((chain.id, level), 0) for level in range(1, LEVEL_MAX + 1))
        if any(levels):
            ladder.append(LadderRow(chain=chain.code, levels=levels, total=sum(levels)))
    codes = {chain.id: chain.code for chain in all_chains}
    first: dict[str, ClimbLine] = {}
    for step in climbs_between(
        db,
        start=day_start(scope.first, scope.zone),
        end=day_end(scope.last, scope.zone),
        chain_id=scope.chain_id,
    ):
        before = first.get(step.key)
        kinds = (
            step.kind if before is None else "+".join(sorted({*before.by.split("+"), step.kind}))
        )
        first[step.key] = ClimbLine(
            key=step.key,
            chain=codes.get(step.chain_id, "?"),
            on=local_day(step.at, scope.zone),
            old=step.old if before is None else before.old,
            new=step.new,
            by=kinds,
            why=step.text,
        )
    climbs = sorted(first.values(), key=lambda c: (-c.new, c.chain, _number(c.key)))
    return tuple(ladder), tuple(climbs)


def _number(key: str) -> int:
    tail = key.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0
