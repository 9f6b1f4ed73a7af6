"""The monthly report's annual targets section: each chain's targets for the report
month's year, against the year to date at the report's ``as_of`` (the month's last
day, or today for the current month), and the district's totals.

Each target is counted as ``chainlead.domain.targets`` says (a monthly flow summed,
or a running total taken as the latest). The district row of a figure adds the
chains' targets and years to date when every chain's target for it has the same
unit and kind; otherwise it gives no total and says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from chainlead.domain.registry import fold
from chainlead.domain.targets import (
    KIND_WORDS,
    LIGHT_RULE,
    SUM_RULE,
    TargetProgress,
    decimal_text,
    light_for,
    months_completed,
    target_progress,
)
from chainlead.store.annual_targets import targets
from chainlead.store.connection import Reader


@dataclass(frozen=True)
class ChainTargetLines:
    """A chain's targets for the year, each with its year to date and light."""

    code: str
    name: str
    targets: tuple[TargetProgress, ...]


@dataclass(frozen=True)
class DistrictTarget:
    """The district's row for one figure: the chains' targets and years to date added
    up when their units and kinds agree (``total``), else none and ``why``."""

    figure: str
    kind: str | None
    counted: str | None
    unit: str | None
    chains: int  # chains with a target for the figure
    total: bool
    why: str | None  # why there is no total ("units differ: 亿元, 万元")
    units: tuple[str, ...]  # the chains' units for the figure ("no unit" for none)
    kinds: tuple[str, ...]  # the chains' kinds for the figure
    target: str | None
    year_to_date: str | None
    done: float | None
    expected: float
    light: str  # green | yellow | red, or none without a total


@dataclass(frozen=True)
class TargetSection:
    """The report's annual targets: chains with targets for ``year`` only."""

    year: int
    as_of: date
    expected: float  # months completed ÷ 12
    rule: str
    chains: tuple[ChainTargetLines, ...]
    district: tuple[DistrictTarget, ...]  # empty for a one-chain report


def target_section(
    db: Reader,
    *,
    as_of: date,
    chains: Sequence[tuple[int, str, str]],
    district: bool,
) -> TargetSection | None:
    """The section for ``chains`` (id, code, name, in the report's order), or None when
    none of them has a target for ``as_of``'s year; ``district``: add the totals."""
    year = as_of.year
    wanted = {chain_id for chain_id, _code, _name in chains}
    found = [t for t in targets(db, year=year) if t.chain_id in wanted]
    if not found:
        return None
    progress = target_progress(db, found, as_of=as_of)
    by_chain: dict[str, list[TargetProgress]] = {}
    for line in progress:
        by_chain.setdefault(line.chain, []).append(line)
    lines = tuple(
        ChainTargetLines(code=code, name=name, targets=tuple(by_chain[code]))
        for _id, code, name in sorted(chains, key=lambda c: c[1])
        if code in by_chain
    )
    expected = Fraction(months_completed(year, as_of), 12)
    return TargetSection(
        year=year,
        as_of=as_of,
        expected=round(float(expected), 4),
        rule=LIGHT_RULE + "; " + SUM_RULE,
        chains=lines,
        district=_district(progress, expected) if district else (),
    )


def _district(progress: Sequence[TargetProgress], expected: Fraction) -> tuple[DistrictTarget, ...]:
    groups: dict[str, list[TargetProgress]] = {}
    for line in progress:
        groups.setdefault(fold(line.figure), []).append(line)
    rows = []
    for lines in groups.values():
        first = lines[0]
        units = sorted({line.unit or "no unit" for line in lines})
        kinds = sorted({line.kind for line in lines})
        why = None
        if len(units) > 1:
            why = "units differ: " + ", ".join(units)
        elif len(kinds) > 1:
            why = "kinds differ: " + ", ".join(kinds)
        if why is not None:
            rows.append(
                DistrictTarget(
                    figure=first.figure,
                    kind=None,
                    counted=None,
                    unit=None,
                    chains=len(lines),
                    total=False,
                    why=why,
                    units=tuple(units),
                    kinds=tuple(kinds),
                    target=None,
                    year_to_date=None,
                    done=None,
                    expected=round(float(expected), 4),
                    light="none",
                )  # fmt: skip
            )
            continue
        goal = sum((Decimal(line.target) for line in lines), Decimal(0))
        recorded = [Decimal(line.year_to_date) for line in lines if line.year_to_date is not None]
        so_far = sum(recorded, Decimal(0)) if recorded else None
        done = Fraction(so_far or 0) / Fraction(goal)
        behind = (expected - done) * 100
        light = light_for(behind)
        rows.append(
            DistrictTarget(
                figure=first.figure,
                kind=first.kind,
                counted=KIND_WORDS.get(first.kind, first.kind),
                unit=first.unit,
                chains=len(lines),
                total=True,
                why=None,
                units=tuple(units),
                kinds=tuple(kinds),
                target=decimal_text(goal),
                year_to_date=None if so_far is None else decimal_text(so_far),
                done=round(float(done), 4),
                expected=round(float(expected), 4),
                light=light,
            )
        )
    return tuple(sorted(rows, key=lambda r: fold(r.figure)))
