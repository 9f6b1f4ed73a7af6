"""What a demand sheet would do to a chain's list, and doing it.

``plan_intake`` reads the database and says, row by row, whether the demand
is new, already on the list (its reference is, with the same content),
changed (its reference is, with other content) or refused (with each
problem, its row number and column header). ``apply_intake`` takes the
plan: new rows become items (unknown enterprises are added), changed rows
are edited with ``update``. The caller's transaction makes it all or
nothing: any problem, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from chainlead.domain import Stamp
from chainlead.domain.units import fold, get_unit
from chainlead.errors import ChainleadError, IntakeRefused, MeetingNotFound, UnitNotFound
from chainlead.i18n import ngettext
from chainlead.intake.demands import Demand, Demands, Problem
from chainlead.store.chains import find_chain, require_active
from chainlead.store.connection import Reader
from chainlead.store.items import ItemRecord
from chainlead.store.meetings import meeting_by_key
from chainlead.values import normalize_meeting_key

NEW = "new"
SAME = "on the list"
CHANGED = "changed"
REFUSED = "refused"


@dataclass(frozen=True)
class RowPlan:
    """What one row of the sheet does."""

    row: int
    reference: str
    outcome: str  # NEW, SAME, CHANGED or REFUSED
    title: str | None
    enterprise: str | None
    unit: str | None  # the institution's name as chainlead knows it
    due: date | None
    key: str | None = None  # the item it is (or, once taken, became)
    changes: tuple[str, ...] = ()  # "due 2026-12-01 -> 2026-12-15"
    problems: tuple[str, ...] = ()
    new_enterprise: bool = False
    new_unit: bool = False

    @property
    def note(self) -> str:
        if self.problems:
            return "; ".join(self.problems)
        if self.changes:
            return "; ".join(self.changes)
        extra = []
        if self.new_enterprise:
            extra.append("new enterprise")
        if self.new_unit:
            extra.append("new institution")
        return ", ".join(extra)


@dataclass(frozen=True)
class IntakePlan:
    """A sheet against a chain's list."""

    chain: str
    sheet: str
    rows: tuple[RowPlan, ...]
    problems: tuple[Problem, ...]
    new_enterprises: tuple[str, ...]
    new_units: tuple[str, ...]
    meeting: str | None = None
    source: str = "other"
    taken: dict[str, int] = field(default_factory=dict)  # after apply: outcome -> rows

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)


class SheetProblems(IntakeRefused):
    """The sheet has problems; each is listed, and nothing is written."""

    def __init__(self, problems: Sequence[Problem], rows: int, refused: int) -> None:
        self.problems = tuple(problems)
        super().__init__(
            ngettext(
                "{n} problem in {refused} of {rows} rows; nothing was taken "
                "(mend the sheet and run again; --dry-run shows every row)",
                "{n} problems in {refused} of {rows} rows; nothing was taken "
                "(mend the sheet and run again; --dry-run shows every row)",
                len(problems),
            ).format(n=len(problems), refused=refused, rows=rows)
        )


def _enterprise_names(db: Reader) -> dict[str, str]:
    """Every name and short name an enterprise is found by, as typed and folded, with the
    enterprise's name: read once, where a look-up per row would read them all each time.
    A folded form two enterprises share is left out (add_item names them)."""
    from chainlead.domain.registry import keys
    from chainlead.store.enterprises import all_enterprises

    exact: dict[str, str] = {}
    folded: dict[str, str | None] = {}
    for record in all_enterprises(db):
        for key in keys(record):
            exact.setdefault(key, record.name)
            folded[fold(key)] = record.name if fold(key) not in folded else None
    return {**{k: v for k, v in folded.items() if v is not None}, **exact}


def _item_facts(db: Reader, key: str) -> tuple[ItemRecord, tuple[str, ...]]:
    """An item on the list and the names of its enterprises."""
    from chainlead.domain.bottlenecks import get_item
    from chainlead.store.enterprises import enterprises_of

    item = get_item(db, key=key)
    return item, tuple(name for _, name in enterprises_of(db, item.id))


def plan_intake(
    db: Reader,
    *,
    demands: Demands,
    chain: str,
    today: date,
    new_unit: bool = False,
    meeting: str | None = None,
    source: str | None = None,
) -> IntakePlan:
    """Each row of ``demands`` as new, on the list, changed or refused for ``chain``."""
    from chainlead.store.items import references

    found = find_chain(db, code=chain, field="--chain")
    require_active(found)
    meeting_key = None
    if meeting is not None:
        meeting_key = normalize_meeting_key(meeting, "--meeting")
        record = meeting_by_key(db, meeting_key)
        if record is None or record.chain_id != found.id:
            raise MeetingNotFound("meeting", f"{meeting_key} on chain {found.code}")
        source = source or record.kind
    known = references(db, found.id)
    units: dict[str, tuple[str | None, str | None]] = {}
    enterprise_names = _enterprise_names(db)
    new_enterprises: dict[str, str] = {}
    new_units: dict[str, str] = {}
    headers = demands.columns
    problems = list(demands.problems)
    rows: list[RowPlan] = []
    refused = {p.row for p in demands.problems}
    for number, text in demands.refused_units:
        found_name, unit_problem = _unit(db, text, new_unit)
        units[fold(text)] = (found_name, unit_problem)
        if unit_problem:
            problems.append(Problem(number, headers.header("unit"), unit_problem))
    for number in sorted(refused - {None}):
        rows.append(
            RowPlan(
                row=number,  # type: ignore[arg-type]
                reference="",
                outcome=REFUSED,
                title=None,
                enterprise=None,
                unit=None,
                due=None,
                problems=tuple(
                    f"{p.header}: {p.text}" if p.header else p.text
                    for p in problems
                    if p.row == number
                ),
            )
        )
    for demand in demands.demands:
        mine: list[Problem] = []
        unit_name, unit_problem = units.get(fold(demand.unit), (None, None))
        if fold(demand.unit) not in units:
            unit_name, unit_problem = _unit(db, demand.unit, new_unit)
            units[fold(demand.unit)] = (unit_name, unit_problem)
        if unit_problem:
            mine.append(Problem(demand.row, headers.header("unit"), unit_problem))
        key = known.get(demand.reference)
        facts = _item_facts(db, key) if key is not None else None
        # a row on the list without 提出日期 was raised when its item was, not today
        raised = demand.raised or (facts[0].raised_on if facts else today)
        if demand.raised and demand.raised > today:
            mine.append(
                Problem(
                    demand.row,
                    headers.header("raised"),
                    f"{demand.raised.isoformat()} is in the future (today is {today.isoformat()})",
                )
            )
        elif demand.due < raised:
            mine.append(
                Problem(
                    demand.row,
                    headers.header("due"),
                    f"the time limit {demand.due.isoformat()} is before "
                    + (
                        f"the raised date {raised.isoformat()}"
                        if demand.raised or facts
                        else f"today ({today.isoformat()}), the raised date of a row "
                        f"without {headers.header('raised')}"
                    ),
                )
            )
        fresh_enterprise = False
        enterprise = demand.enterprise
        if enterprise:
            known_as = enterprise_names.get(enterprise) or enterprise_names.get(fold(enterprise))
            fresh_enterprise = known_as is None
            enterprise = known_as or new_enterprises.get(fold(enterprise), enterprise)
        if mine:
            problems.extend(mine)
            rows.append(_refused(demand, mine))
            continue
        changes: tuple[str, ...] = ()
        if facts is not None:
            changes = _changes(facts, demand, unit_name or demand.unit, headers.taken, enterprise)
        outcome = NEW if key is None else (CHANGED if changes else SAME)
        if outcome != SAME:
            if fresh_enterprise and enterprise:
                new_enterprises.setdefault(fold(enterprise), enterprise)
            if unit_name is None:
                new_units.setdefault(fold(demand.unit), demand.unit)
        rows.append(
            RowPlan(
                row=demand.row,
                reference=demand.reference,
                outcome=outcome,
                title=demand.title,
                enterprise=enterprise,
                unit=unit_name or demand.unit,
                due=demand.due,
                key=key,
                changes=changes,
                new_enterprise=fresh_enterprise and outcome != SAME,
                new_unit=unit_name is None,
            )
        )
    rows.sort(key=lambda r: r.row)
    problems.sort(key=lambda p: p.row or 0)
    return IntakePlan(
        chain=found.code,
        sheet=demands.sheet.path,
        rows=tuple(rows),
        problems=tuple(problems),
        new_enterprises=tuple(new_enterprises.values()),
        new_units=tuple(new_units.values()),
        meeting=meeting_key,
        source=source or "other",
    )


def _refused(demand: Demand, problems: Sequence[Problem]) -> RowPlan:
    return RowPlan(
        row=demand.row,
        reference=demand.reference,
        outcome=REFUSED,
        title=demand.title,
        enterprise=demand.enterprise,
        unit=demand.unit,
        due=demand.due,
        problems=tuple(f"{p.header}: {p.text}" if p.header else p.text for p in problems),
    )


def _unit(db: Reader, text: str, new_unit: bool) -> tuple[str | None, str | None]:
    """The institution's name, or None (to be added with ``new_unit``), and a problem."""
    try:
        return get_unit(db, name=text, field="责任单位").name, None
    except UnitNotFound as exc:
        if new_unit:
            return None, None
        return None, exc.message + " (give --new-unit to add it)"
    except ChainleadError as exc:  # a name that matches two institutions, a bad name
        return None, exc.message


def _changes(
    facts: tuple[ItemRecord, tuple[str, ...]],
    demand: Demand,
    unit: str,
    taken: Mapping[str, object],
    enterprise: str | None,
) -> tuple[str, ...]:
    """What the row says differently from the item on the list, field by field: only
    the fields the sheet has a column for."""
    item, names = facts
    changes: list[str] = []

    def differs(name: str, old: object, new: object) -> None:
        if old != new:
            shown_old = "(none)" if old is None else str(old)
            shown_new = "(none)" if new is None else str(new)
            changes.append(f"{name} {_short(shown_old)} -> {_short(shown_new)}")

    differs("title", item.title, demand.title)
    if "detail" in taken:
        differs("detail", item.detail, demand.detail)
    differs("unit", item.unit, unit)
    differs("due", item.due_on, demand.due)
    if "raised" in taken and demand.raised is not None:
        differs("raised", item.raised_on, demand.raised)
    if "category" in taken:
        differs("category", item.category, demand.category)
    if "priority" in taken and demand.priority is not None:
        differs("priority", item.priority, demand.priority)
    if enterprise and fold(enterprise) not in {fold(n) for n in names}:
        changes.append(f"enterprise + {enterprise}")
    return tuple(changes)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def apply_intake(
    db: Reader,
    *,
    plan: IntakePlan,
    demands: Demands,
    stamp: Stamp,
    update: bool = False,
    new_unit: bool = False,
) -> IntakePlan:
    """Take the plan: new rows added, changed ones edited with ``update``. The plan with
    each taken row's item key; SheetProblems when the plan has problems or a row is
    refused on the way (the caller's transaction then writes nothing)."""
    from chainlead.domain.bottlenecks import edit_item, new_item
    from chainlead.domain.enterprises import add_enterprises, link_enterprises

    if plan.problems:
        raise SheetProblems(plan.problems, len(plan.rows), _refused_rows(plan.problems))
    by_row = {demand.row: demand for demand in demands.demands}
    if plan.new_enterprises:
        add_enterprises(db, names=plan.new_enterprises, stamp=stamp)
    taken: list[RowPlan] = []
    counts = {NEW: 0, SAME: 0, CHANGED: 0}
    for row in plan.rows:
        demand = by_row[row.row]
        try:
            if row.outcome == NEW:
                item = new_item(
                    db,
                    chain=plan.chain,
                    title=demand.title,
                    unit=row.unit or demand.unit,
                    due=demand.due,
                    stamp=stamp,
                    enterprises=(row.enterprise,) if row.enterprise else (),
                    new_enterprise=False,
                    source=plan.source,
                    category=demand.category,
                    priority=demand.priority or "normal",
                    raised_on=demand.raised,
                    detail=demand.detail,
                    meeting=plan.meeting,
                    reference=demand.reference,
                    new_unit=new_unit,
                    backdate=True,  # the sheet's 提出日期 is the team's record
                )
                row = _with_key(row, item.key)
                counts[NEW] += 1
            elif row.outcome == CHANGED and update:
                assert row.key is not None
                edit_item(
                    db,
                    key=row.key,
                    stamp=stamp,
                    title=demand.title,
                    detail=demand.detail if "detail" in demands.columns.taken else None,
                    category=demand.category if "category" in demands.columns.taken else None,
                    priority=demand.priority,
                    due=demand.due,
                    unit=row.unit or demand.unit,
                    raised_on=demand.raised,
                    why=f"taken from {plan.sheet} row {row.row} (intake --update)",
                    new_unit=new_unit,
                    backdate=True,
                )
                if row.enterprise:
                    link_enterprises(
                        db,
                        key=row.key,
                        enterprises=(row.enterprise,),
                        stamp=stamp,
                        new_enterprise=False,
                    )
                counts[CHANGED] += 1
            else:
                counts[SAME] += row.outcome == SAME
        except ChainleadError as exc:
            problem = Problem(row.row, None, exc.message)
            raise SheetProblems([problem], len(plan.rows), 1) from exc
        taken.append(row)
    return IntakePlan(
        chain=plan.chain,
        sheet=plan.sheet,
        rows=tuple(taken),
        problems=(),
        new_enterprises=plan.new_enterprises,
        new_units=plan.new_units,
        meeting=plan.meeting,
        source=plan.source,
        taken=counts,
    )


def _with_key(row: RowPlan, key: str) -> RowPlan:
    from dataclasses import replace

    return replace(row, key=key)


def _refused_rows(problems: Sequence[Problem]) -> int:
    return len({p.row for p in problems}) or 1
