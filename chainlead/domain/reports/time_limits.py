"""The monthly report's figures of moved time limits, per chain and per institution.

- **Extensions**: extensions approved in the month (requests approved, and
  ``edit --due`` changes, by the day they were decided); **days added**: the
  days they moved the limits on by. An extension counts for the institution
  that asked for it, else for the item's unit.
- **On time (first limit)**: the month's resolutions made by the item's
  original time limit, which extensions never move; beside the on-time
  rate against the limit in force, it shows how much of the punctuality the
  extensions bought.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from chainlead.domain.reports.history import _Resolution
from chainlead.domain.reports.model import ChainSection, UnitRow
from chainlead.domain.reports.sections import _Chain
from chainlead.store.connection import Reader
from chainlead.store.time_limits import ApprovedExtension, approved_between, original_limits


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


class TimeLimits:
    """The month's approved extensions and its resolutions against the first limits."""

    def __init__(
        self,
        db: Reader,
        *,
        first: date,
        last: date,
        chain_id: int | None,
        resolutions: Sequence[_Resolution],
    ) -> None:
        self.approved: list[ApprovedExtension] = approved_between(
            db, first=first, last=last, chain_id=chain_id
        )
        originals = original_limits(db, [r.item_id for r in resolutions])
        self.resolutions = resolutions
        self.in_time = {
            r.item_id: r.resolved_on <= originals.get(r.item_id, r.due_then) for r in resolutions
        }

    def chains(
        self, sections: Sequence[ChainSection], chains: Sequence[_Chain]
    ) -> list[ChainSection]:
        """The chains' panels with their extensions and on time against the first limit."""
        code = {c.id: c.code for c in chains}
        count: dict[str, int] = defaultdict(int)
        days: dict[str, int] = defaultdict(int)
        for ext in self.approved:
            count[code.get(ext.chain_id, "")] += 1
            days[code.get(ext.chain_id, "")] += ext.days_added
        on_time: dict[str, int] = defaultdict(int)
        for found in self.resolutions:
            on_time[code.get(found.chain_id, "")] += self.in_time[found.item_id]
        return [
            dataclasses.replace(
                s,
                figures=dataclasses.replace(
                    s.figures,
                    extensions=count[s.code],
                    days_added=days[s.code],
                    resolved_on_time_original=on_time[s.code],
                ),
            )
            for s in sections
        ]

    def units(self, rows: Sequence[UnitRow]) -> list[UnitRow]:
        """The institutions' rows with their extensions and on time against the first
        limit; an institution with extensions only gets a row too."""
        count: dict[str, int] = defaultdict(int)
        days: dict[str, int] = defaultdict(int)
        for ext in self.approved:
            count[ext.unit] += 1
            days[ext.unit] += ext.days_added
        resolved: dict[str, int] = defaultdict(int)
        on_time: dict[str, int] = defaultdict(int)
        for found in self.resolutions:
            resolved[found.unit] += 1
            on_time[found.unit] += self.in_time[found.item_id]
        known = {row.unit for row in rows}
        extra = [UnitRow(unit, 0, 0, 0, None, 0, None, None) for unit in sorted(set(count) - known)]
        out = [
            dataclasses.replace(
                row,
                extensions=count[row.unit],
                days_added=days[row.unit],
                on_time_original_rate=_rate(on_time[row.unit], resolved[row.unit]),
            )
            for row in [*rows, *extra]
        ]
        out.sort(
            key=lambda u: (-u.overdue_now, -(u.longest_overdue_days or 0), -u.open_now, u.unit)
        )
        return out
