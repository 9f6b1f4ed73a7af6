"""A chain's annual targets (年度目标) for the key figures its meetings record, and how
far the year has come toward them.

A target is set for one chain, one year and one figure: a number (exact
decimal text), the figure's unit, and how the year is counted from the
meetings' figures (``kind``):

- ``sum``, a **monthly flow** (this month's output, projects signed this
  month): the figure's monthly values of the year's meetings of the chain are
  summed, one value per month. When several meetings of one month record the
  figure, the latest of them (by day held, then meeting number) gives the
  month's value; a month no meeting recorded it in adds nothing.
- ``latest``, a **running total** (output so far this year): the value of the
  latest meeting of the year that recorded it.

Values recorded in a unit other than the target's are left out and counted
(``left_out``). A figure's name is matched as names are (NFKC, any case).

The year to date is read at a day (``as_of``: meetings held by then). The
**share expected** is the share of the year elapsed: months completed by
``as_of`` ÷ 12 (a month is completed on its last day), for both kinds. The
**light**: green when the share done is at least the share expected, yellow
when it is behind by up to ``YELLOW_POINTS`` percentage points, red when
behind by more.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from chainlead.domain import Stamp
from chainlead.domain.history import record
from chainlead.domain.registry import fold
from chainlead.errors import InvalidInput, NotFound
from chainlead.i18n import _
from chainlead.store.annual_targets import (
    RecordedFigure,
    TargetRecord,
    delete_target,
    figure_units,
    figures_in_year,
    insert_target,
    targets,
    update_target,
)
from chainlead.store.chains import find_chain, lock_chain, require_active
from chainlead.store.connection import Reader
from chainlead.values import YEAR_MAX, YEAR_MIN, end_of_month
from chainlead.vocabulary import TARGET_KINDS, WORD_MAX, TargetKind

__all__ = [
    "KIND_WORDS",
    "YEAR_MAX",
    "YEAR_MIN",
    "YELLOW_POINTS",
    "MonthValue",
    "TargetChange",
    "TargetProgress",
    "check_year",
    "decimal_text",
    "light_for",
    "list_targets",
    "months_completed",
    "parse_target",
    "progress_of",
    "remove_target",
    "set_targets",
    "show_targets",
    "target_progress",
]

YELLOW_POINTS = 10  # behind the share expected by up to this many points: yellow; more: red
TARGET_FORM = "expected NAME=NUMBER[:UNIT][@sum|@latest], e.g. output_value=180:亿元@sum"

# How each kind counts the year, as every output says it.
KIND_WORDS = {
    TargetKind.sum.value: "monthly flow, summed",
    TargetKind.latest.value: "running total, latest",
}
LIGHT_RULE = (
    f"expected = months completed ÷ 12; green: done ≥ expected, yellow: behind by up to "
    f"{YELLOW_POINTS} points, red: more"
)
SUM_RULE = "sum: one value a month, the latest meeting's when a month has several"


@dataclass(frozen=True)
class TargetSpec:
    """A target as typed on the command line, checked."""

    figure: str
    value: str
    unit: str | None
    kind: str | None  # None: the command's --kind


@dataclass(frozen=True)
class TargetChange:
    """One target set, replaced or removed (``old``/``new`` as ``180:亿元@sum``)."""

    chain: str
    year: int
    figure: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class MonthValue:
    """A value counted toward the year: the month, the value and the meeting it is from."""

    month: str
    value: str
    meeting: str


@dataclass(frozen=True)
class TargetProgress:
    """One target against the year to date at ``as_of``."""

    chain: str
    year: int
    figure: str
    kind: str  # sum | latest
    counted: str  # "monthly flow, summed" or "running total, latest"
    target: str  # exact decimal text
    unit: str | None
    as_of: date
    year_to_date: str | None  # exact decimal text; None: no meeting recorded it this year
    done: float  # the share of the target done, e.g. 0.4167
    expected: float  # the share of the year elapsed: months completed ÷ 12
    behind: float  # percentage points done is behind expected (negative: ahead)
    light: str  # green | yellow | red
    months: tuple[MonthValue, ...]  # the values counted, oldest first
    left_out: int  # values recorded in another unit, not counted


# --------------------------------------------------------------------------- parsing


def check_year(field: str, year: int) -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InvalidInput(
            field,
            _("expected a year from {year_min} to {year_max}").format(
                year_min=YEAR_MIN, year_max=YEAR_MAX
            ),
            year,
        )
    return year


def parse_kind(field: str, text: str) -> str:
    kind = text.strip().lower()
    if kind not in TARGET_KINDS:
        raise InvalidInput(
            field, _("expected {target_kinds}").format(target_kinds=" or ".join(TARGET_KINDS)), text
        )
    return kind


def target_value_problem(value: str) -> str | None:
    """What is wrong with a target's value, if anything: it must be a decimal above 0
    in ASCII digits (``target set``, ``db check`` and ``import`` alike)."""
    try:
        number = Decimal(value) if value.isascii() else None
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or number <= 0:
        return "expected a decimal above 0"
    return None


def parse_target(text: str, field: str = "--figure") -> TargetSpec:
    """``NAME=NUMBER[:UNIT][@sum|@latest]``: a meeting figure (``parse_figure``'s form
    and messages) with an optional kind; the number must be above 0."""
    from chainlead.domain.schedules import parse_figure

    body, kind = text, None
    if "@" in text.partition("=")[2]:
        body, _at, tail = text.rpartition("@")
        kind = tail.strip().lower()
        if kind not in TARGET_KINDS:
            raise InvalidInput(
                field,
                _("after @ {target_kinds}").format(target_kinds=" or ".join(TARGET_KINDS)),
                text,
            )
    figure = parse_figure(body, field)
    if target_value_problem(figure.value):
        raise InvalidInput(
            field, _("{name}: expected a target above 0").format(name=figure.name), figure.value
        )
    return TargetSpec(figure=figure.name, value=figure.value, unit=figure.unit, kind=kind)


def spec_text(value: str, unit: str | None, kind: str) -> str:
    """A target as typed: ``180:亿元@sum``."""
    return value + (f":{unit}" if unit else "") + f"@{kind}"


# --------------------------------------------------------------------------- changes


class _Known:
    """The figures the meetings have recorded: their spellings and units, per chain."""

    def __init__(self, db: Reader) -> None:
        self.names: dict[str, str] = {}
        self.units: dict[str, set[str | None]] = {}
        self.chain_units: dict[tuple[int, str], set[str | None]] = {}
        for chain_id, name, unit in sorted(figure_units(db), key=lambda r: (r[1], r[2] or "")):
            key = fold(name)
            self.names.setdefault(key, name)
            self.units.setdefault(key, set()).add(unit)
            self.chain_units.setdefault((chain_id, key), set()).add(unit)

    def spelling(self, chain_id: int, name: str) -> str | None:
        return self.names.get(fold(name))

    def units_for(self, chain_id: int, name: str) -> set[str | None]:
        """The units the chain's meetings record the figure in, else any chain's."""
        key = fold(name)
        return self.chain_units.get((chain_id, key)) or self.units.get(key, set())


def _unit_words(unit: str | None) -> str:
    return unit if unit else "no unit"


def _checked(
    known: _Known, chain_id: int, spec: TargetSpec, *, new_figure: bool, field: str
) -> TargetSpec:
    """The spec with the meetings' spelling of its figure; refused when no meeting has
    recorded the figure (unless ``new_figure``) or records it in another unit."""
    spelling = known.spelling(chain_id, spec.figure)
    if spelling is None:
        if new_figure:
            return spec
        names = sorted(known.names.values())
        shown = ", ".join(names[:12]) + (" ..." if len(names) > 12 else "") if names else "none"
        raise InvalidInput(
            field,
            _(
                "target for an unknown figure {figure!r}: no meeting has "
                "recorded it (known figures: {shown}); give --new-figure to "
                "set it anyway"
            ).format(figure=spec.figure, shown=shown),
        )
    units = known.units_for(chain_id, spelling)
    if spec.unit not in units:
        recorded = " or ".join(sorted(_unit_words(u) for u in units))
        raise InvalidInput(
            field,
            _(
                "{spelling}: the unit {unit_words} differs from the unit the "
                "meetings record, {recorded}"
            ).format(spelling=spelling, unit_words=_unit_words(spec.unit), recorded=recorded),
        )
    return TargetSpec(figure=spelling, value=spec.value, unit=spec.unit, kind=spec.kind)


def _history(
    db: Reader, *, stamp: Stamp, kind: str, chain_id: int, year: int, figure: str,
    old: str | None, new: str | None,
) -> None:  # fmt: skip
    record(
        db,
        stamp=stamp,
        kind=kind,
        chain_id=chain_id,
        field=figure[:WORD_MAX],  # the event's field is short; the text names it whole
        old=old,
        new=new,
        text=f"{year} {figure}",
    )


def set_targets(
    db: Reader,
    *,
    code: str,
    year: int,
    figures: Sequence[str],
    kind: str | None = None,
    new_figure: bool = False,
    stamp: Stamp,
) -> list[TargetChange]:
    """Set (or replace) a chain's targets for ``year``; each change writes a
    ``target_set`` event on the chain. ``kind`` applies to each figure given without
    ``@sum``/``@latest``; without either, a target set again keeps its kind and a new
    one counts the sum. A target set again to the same is no change."""
    check_year("year", year)
    if not figures:
        raise InvalidInput(
            "--figure", _("{target_form} (give at least one)").format(target_form=TARGET_FORM)
        )
    given = parse_kind("--kind", kind) if kind is not None else None
    specs = [parse_target(text) for text in figures]
    seen: set[str] = set()
    for spec in specs:
        if fold(spec.figure) in seen:
            raise InvalidInput(
                "--figure",
                _("figure {figure!r} is given twice; give it once").format(figure=spec.figure),
            )
        seen.add(fold(spec.figure))
    chain = lock_chain(db, code=code)
    require_active(chain)
    known = _Known(db)
    checked = [_checked(known, chain.id, s, new_figure=new_figure, field="--figure") for s in specs]
    existing = {fold(t.figure): t for t in targets(db, year=year, chain_id=chain.id)}
    changes: list[TargetChange] = []
    for spec in checked:
        before = existing.get(fold(spec.figure))
        # A target set again keeps its kind unless a kind is given.
        kept = before.kind if before is not None else TargetKind.sum.value
        spec_kind = spec.kind or given or kept
        new = spec_text(spec.value, spec.unit, spec_kind)
        if before is None:
            insert_target(
                db,
                chain_id=chain.id,
                year=year,
                figure=spec.figure,
                value=spec.value,
                unit=spec.unit,
                kind=spec_kind,
                at=stamp.at,
            )
            old = None
        else:
            old = spec_text(before.value, before.unit, before.kind)
            if old == new:
                continue
            update_target(db, before.id, value=spec.value, unit=spec.unit, kind=spec_kind)
        figure = before.figure if before is not None else spec.figure
        _history(db, stamp=stamp, kind="target_set", chain_id=chain.id, year=year,
                 figure=figure, old=old, new=new)  # fmt: skip
        changes.append(TargetChange(chain.code, year, figure, old, new))
    return changes


def remove_target(db: Reader, *, code: str, year: int, figure: str, stamp: Stamp) -> TargetChange:
    """Remove a chain's target for one figure and year (a ``target_removed`` event)."""
    check_year("year", year)
    chain = lock_chain(db, code=code)
    require_active(chain)
    found = [t for t in targets(db, year=year, chain_id=chain.id) if fold(t.figure) == fold(figure)]
    if not found:
        from difflib import get_close_matches

        names = [t.figure for t in targets(db, year=year, chain_id=chain.id)]
        close = get_close_matches(figure, names, n=3, cutoff=0.4) or names[:3]
        raise NotFound(
            _("{code} {year} target for the figure").format(code=chain.code, year=year),
            figure.strip(),
            close,
        )
    target = found[0]
    delete_target(db, target.id)
    old = spec_text(target.value, target.unit, target.kind)
    _history(db, stamp=stamp, kind="target_removed", chain_id=chain.id, year=year,
             figure=target.figure, old=old, new=None)  # fmt: skip
    return TargetChange(chain.code, year, target.figure, old, None)


# --------------------------------------------------------------------------- the year to date


def months_completed(year: int, as_of: date) -> int:
    """Months of ``year`` completed by ``as_of`` (a month is completed on its last day)."""
    if as_of.year < year:
        return 0
    if as_of.year > year:
        return 12
    return as_of.month - (0 if as_of == end_of_month(as_of) else 1)


def light_for(behind: Fraction) -> str:
    """The light for being ``behind`` the share expected by that many points."""
    if behind <= 0:
        return "green"
    return "yellow" if behind <= YELLOW_POINTS else "red"


def progress_of(
    target: TargetRecord, recorded: Iterable[RecordedFigure], *, as_of: date
) -> TargetProgress:
    """One target against the figures recorded (its chain's, of its year, held by
    ``as_of``, oldest first), counted by the target's kind (see the module doc)."""
    wanted = fold(target.figure)
    counted: list[RecordedFigure] = []
    left_out = 0
    for figure in recorded:
        if figure.chain_id != target.chain_id or fold(figure.name) != wanted:
            continue
        if figure.unit != target.unit:
            left_out += 1
            continue
        counted.append(figure)
    by_month: dict[str, RecordedFigure] = {}
    for figure in sorted(counted, key=lambda f: (f.month, f.held_on, f.number)):
        by_month[figure.month] = figure  # the month's latest meeting wins
    if target.kind == TargetKind.latest.value:
        chosen = list(by_month.values())[-1:]
    else:
        chosen = list(by_month.values())
    total = sum((Decimal(f.value) for f in chosen), Decimal(0)) if chosen else None
    goal = Fraction(Decimal(target.value))
    done = Fraction(total) / goal if total is not None and goal else Fraction(0)
    expected = Fraction(months_completed(target.year, as_of), 12)
    behind = (expected - done) * 100
    return TargetProgress(
        chain=target.code,
        year=target.year,
        figure=target.figure,
        kind=target.kind,
        counted=KIND_WORDS.get(target.kind, target.kind),
        target=target.value,
        unit=target.unit,
        as_of=as_of,
        year_to_date=None if total is None else decimal_text(total),
        done=round(float(done), 4),
        expected=round(float(expected), 4),
        behind=round(float(behind), 1),
        light=light_for(behind),
        months=tuple(MonthValue(f.month, f.value, f.meeting) for f in chosen),
        left_out=left_out,
    )


def decimal_text(value: Decimal) -> str:
    """A decimal as plain text without trailing zeros: ``12.50`` → ``12.5``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def target_progress(
    db: Reader, records: Sequence[TargetRecord], *, as_of: date
) -> list[TargetProgress]:
    """Each target against its year to date at ``as_of``: one read of the figures per year."""
    out: list[TargetProgress] = []
    by_year: dict[int, list[TargetRecord]] = {}
    for target in records:
        by_year.setdefault(target.year, []).append(target)
    found: dict[int, list[RecordedFigure]] = {}
    for year, group in by_year.items():
        chain_ids = sorted({t.chain_id for t in group})
        found[year] = figures_in_year(db, year=year, until=as_of, chain_ids=chain_ids)
    for target in records:
        out.append(progress_of(target, found[target.year], as_of=as_of))
    return out


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class ChainTargets:
    """``target show``: a chain's targets for a year, each against the year to date."""

    chain: str
    name: str
    year: int
    as_of: date
    expected: float  # months completed ÷ 12
    rule: str  # how the light is given
    targets: tuple[TargetProgress, ...]


def show_targets(db: Reader, *, code: str, year: int, as_of: date) -> ChainTargets:
    check_year("year", year)
    chain = find_chain(db, code=code)
    progress = target_progress(db, targets(db, year=year, chain_id=chain.id), as_of=as_of)
    return ChainTargets(
        chain=chain.code,
        name=chain.name,
        year=year,
        as_of=as_of,
        expected=round(months_completed(year, as_of) / 12, 4),
        rule=LIGHT_RULE + "; " + SUM_RULE,
        targets=tuple(progress),
    )


def list_targets(
    db: Reader, *, year: int | None = None, chain: str | None = None, as_of: date
) -> list[TargetProgress]:
    """Targets across chains (by chain, year, figure as set), each against its year to
    date at ``as_of``."""
    if year is not None:
        check_year("--year", year)
    chain_id = find_chain(db, code=chain, field="--chain").id if chain is not None else None
    return target_progress(db, targets(db, year=year, chain_id=chain_id), as_of=as_of)


# --------------------------------------------------------------------------- db check


def target_problems(
    rows: Iterable[tuple[str, int, str, str, str | None, str]],
) -> list[tuple[str, str]]:
    """(subject, problem) for each stored target that breaks a rule: the year sane, the
    value a decimal above 0 in ASCII, the kind known, the figure a meeting figure's name."""
    from chainlead.domain.schedules import parse_figure

    problems: list[tuple[str, str]] = []
    for code, year, figure, value, unit, kind in rows:
        subject = f"{code} {year} {figure}"
        if not YEAR_MIN <= year <= YEAR_MAX:
            problems.append((subject, f"year {year}: expected {YEAR_MIN} to {YEAR_MAX}"))
        problem = target_value_problem(value)
        if problem:
            problems.append((subject, f"value {value!r}: {problem}"))
        if kind not in TARGET_KINDS:
            problems.append((subject, f"kind {kind!r}: expected {' or '.join(TARGET_KINDS)}"))
        try:
            parsed = parse_figure(f"{figure}=1" + (f":{unit}" if unit else ""))
        except InvalidInput:
            parsed = None
        if parsed is None or parsed.name != figure or "=" in figure:
            problems.append((subject, f"figure {figure!r}: not a figure name"))
    return problems
