"""The monthly report's chain projects (建链/强链/补链/延链): progress against plan.

For each chain shown, its projects with their progress and light as of the
report's day (``as_of``: the month's last day, or today for the current month),
read from the progress history, so a past month's report does not change when
progress is reported later:

- **Projects**: those put on record or planned to start by ``as_of`` (a
  project entered after it began counts from its start), and not finished or
  dropped before the month began (one finished or dropped in the month is
  shown, without a light).
- **Percent** and **invested**: the latest progress report on or before
  ``as_of`` (none yet: 0 and nothing).
- **Light**: ``chainlead.domain.projects.light_on`` on ``as_of``.
- **Turned red this month**: red on ``as_of`` and not red at the end of the
  month before (or not yet on the chain then).
- **Investment planned / done**: the sums of the projects' planned investment
  and investment made, per unit (亿元, 万元...): amounts in different units are
  not added together.

A district row totals the chains. Chains without projects are left out, and the
section with them when no chain has any.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, tzinfo
from decimal import Decimal
from typing import Protocol

from chainlead.domain.project_lights import LightRules
from chainlead.domain.projects import light_on, on_record, status_on
from chainlead.store.connection import Reader
from chainlead.store.projects import ProjectListed, every_milestone, every_progress, listed_projects
from chainlead.vocabulary import PROJECT_TYPE_NAMES_ZH, PROJECT_TYPES

__all__ = ["Amount", "ChainProjects", "ProjectLine", "ProjectsSection", "project_section"]


class _Chain(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class Amount:
    """A sum of money in one unit, as exact decimal text."""

    value: str
    unit: str | None


@dataclass(frozen=True)
class ProjectLine:
    key: str
    title: str
    type: str
    type_zh: str
    status: str  # as of the report's day
    enterprise: str | None
    percent: int
    expected: int | None
    light: str
    why: str
    reason: str  # on_plan | behind | milestone | idle | closed (project_lights)
    investment: str | None
    invested: str | None
    investment_unit: str | None
    end_on: date
    turned_red: bool


@dataclass(frozen=True)
class TypeCount:
    """A chain's projects of one type, by light."""

    type: str
    type_zh: str
    projects: int
    red: int
    yellow: int
    green: int


@dataclass(frozen=True)
class ChainProjects:
    code: str
    name: str
    projects: tuple[ProjectLine, ...]  # by type (build, strengthen, fill, extend), then key
    by_type: tuple[TypeCount, ...]
    investment: tuple[Amount, ...]  # planned, per unit
    invested: tuple[Amount, ...]  # made so far, per unit
    red: int
    yellow: int
    green: int
    turned_red: tuple[str, ...]  # keys


@dataclass(frozen=True)
class ProjectsSection:
    as_of: date
    previous_last: date
    chains: tuple[ChainProjects, ...]
    district: ChainProjects  # the totals (code "", no project lines)


def _sum(lines: Sequence[tuple[str | None, str | None]]) -> tuple[Amount, ...]:
    totals: dict[str | None, Decimal] = {}
    for value, unit in lines:
        if value is not None:
            totals[unit] = totals.get(unit, Decimal(0)) + Decimal(value)
    return tuple(
        Amount(format(total, "f"), unit)
        for unit, total in sorted(totals.items(), key=lambda kv: kv[0] or "")
    )


def _counts(code: str, name: str, lines: Sequence[ProjectLine]) -> ChainProjects:
    by_type = []
    for kind in PROJECT_TYPES:
        mine = [line for line in lines if line.type == kind]
        if mine:
            by_type.append(
                TypeCount(
                    kind,
                    PROJECT_TYPE_NAMES_ZH[kind],
                    len(mine),
                    sum(1 for line in mine if line.light == "red"),
                    sum(1 for line in mine if line.light == "yellow"),
                    sum(1 for line in mine if line.light == "green"),
                )
            )
    return ChainProjects(
        code=code,
        name=name,
        projects=tuple(lines) if code else (),
        by_type=tuple(by_type),
        investment=_sum([(line.investment, line.investment_unit) for line in lines]),
        invested=_sum([(line.invested, line.investment_unit) for line in lines]),
        red=sum(1 for line in lines if line.light == "red"),
        yellow=sum(1 for line in lines if line.light == "yellow"),
        green=sum(1 for line in lines if line.light == "green"),
        turned_red=tuple(line.key for line in lines if line.turned_red),
    )


def _order(line: ProjectLine) -> tuple[int, str, int]:
    code, _, number = line.key.rpartition("-P")
    return (PROJECT_TYPES.index(line.type), code, int(number) if number.isdigit() else 0)


def project_section(
    db: Reader,
    *,
    first: date,
    as_of: date,
    previous_last: date,
    chains: Sequence[_Chain],
    rules: LightRules = LightRules(),
    zone: tzinfo = UTC,
) -> ProjectsSection | None:
    """The projects of ``chains`` as of ``as_of`` (see the module doc); None when none
    of them has a project."""
    wanted = {chain.id for chain in chains}
    found: list[ProjectListed] = [
        p
        for p in listed_projects(db)
        if p.record.chain_id in wanted
        and on_record(p.record, as_of, zone)
        and not (p.record.finished_on is not None and p.record.finished_on < first)
        and not (p.record.dropped_on is not None and p.record.dropped_on < first)
    ]
    if not found:
        return None
    progress = every_progress(db, [p.record.id for p in found])
    milestones = every_milestone(db)
    per_chain: dict[int, list[ProjectLine]] = {}
    for listed in found:
        project = listed.record
        history = [r for r in progress.get(project.id, []) if r.as_of <= as_of]
        mine = milestones.get(project.id, [])
        now = light_on(project, on=as_of, progress=history, milestones=mine, rules=rules, zone=zone)
        assert now is not None  # on record by as_of
        before = (  # only a red project can have turned red
            light_on(
                project,
                on=previous_last,
                progress=history,
                milestones=mine,
                rules=rules,
                zone=zone,
            )
            if now.light == "red"
            else None
        )
        status = status_on(project, as_of)
        per_chain.setdefault(project.chain_id, []).append(
            ProjectLine(
                key=project.key,
                title=project.title,
                type=project.type,
                type_zh=PROJECT_TYPE_NAMES_ZH.get(project.type, project.type),
                status=status,
                enterprise=listed.enterprise,
                percent=history[-1].percent if history else 0,
                expected=now.expected,
                light=now.light,
                why=now.why,
                reason=now.reason,
                investment=project.investment,
                invested=history[-1].invested if history else None,
                investment_unit=project.investment_unit,
                end_on=project.end_on,
                turned_red=now.light == "red" and (before is None or before.light != "red"),
            )
        )
    shown = []
    every: list[ProjectLine] = []
    for chain in chains:
        lines = sorted(per_chain.get(chain.id, []), key=_order)
        if lines:
            shown.append(_counts(chain.code, chain.name, lines))
            every += lines
    return ProjectsSection(
        as_of=as_of,
        previous_last=previous_last,
        chains=tuple(shown),
        district=_counts("", "", every),
    )
