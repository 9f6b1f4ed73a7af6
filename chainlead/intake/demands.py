"""A demand sheet read into demands: one per row, or the row's problems.

Every row below the header whose taken columns are not all empty is a
demand. Each carries an external reference: the sheet's own number
(诉求编号/工单号) or, where the sheet has none, one made from the enterprise
and the title (``intake-`` and ten hex digits of their hash, folded first, so
that the same row read again gives the same reference). Nothing here touches
the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from chainlead.i18n import _
from chainlead.intake import values
from chainlead.intake.columns import Columns, find_columns, fold
from chainlead.intake.sheet import Row, Sheet, Value, read_sheet

MADE_PREFIX = "intake-"


@dataclass(frozen=True)
class Problem:
    """Why a row (or the sheet) cannot be taken: its row number and column header."""

    row: int | None
    header: str | None
    text: str

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        if self.header:
            where.append(self.header)
        return (", ".join(where) + ": " if where else "") + self.text


@dataclass(frozen=True)
class Demand:
    """One row of the sheet as an item's fields."""

    row: int
    reference: str
    made_reference: bool  # the sheet has no number for it: made from enterprise and title
    title: str
    enterprise: str | None
    detail: str | None
    unit: str
    due: date
    raised: date | None
    category: str | None
    priority: str | None


@dataclass(frozen=True)
class Demands:
    """A sheet read: its demands, and the problems of the rows that are not."""

    sheet: Sheet
    columns: Columns
    demands: tuple[Demand, ...]
    problems: tuple[Problem, ...]
    refused_rows: tuple[int, ...]  # the rows with a problem, in order
    refused_units: tuple[tuple[int, str], ...] = ()  # their 责任单位, to be checked too


def made_reference(enterprise: str | None, title: str) -> str:
    """The reference of a row the sheet gives no number: stable under case, width, spaces."""
    text = fold(enterprise or "") + "\x1f" + fold(title)
    return MADE_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def read_demands(
    path: str | Path,
    *,
    sheet: str | None = None,
    mapping: Mapping[str, Sequence[str]] | None = None,
    default_due: date | None = None,
) -> Demands:
    """The demands of a sheet; SheetRefused when the file or its header cannot be read."""
    opened = read_sheet(path, sheet=sheet)
    return demands_of(opened, mapping=mapping, default_due=default_due)


def demands_of(
    opened: Sheet,
    *,
    mapping: Mapping[str, Sequence[str]] | None = None,
    default_due: date | None = None,
) -> Demands:
    from chainlead.errors import SheetRefused

    if not opened.rows:
        raise SheetRefused(
            _("{path}: the sheet{named} is empty").format(path=opened.path, named=_named(opened))
        )
    columns = find_columns(opened.rows, mapping=mapping)
    problems: list[Problem] = []
    refused: list[int] = []
    demands: list[Demand] = []
    if "unit" not in columns.taken:
        raise SheetRefused(
            _(
                "{path}: no 责任单位/unit column in the header row (row {header_row}); "
                'name it with --map, e.g. [columns] unit = "牵头单位"'
            ).format(path=opened.path, header_row=columns.header_row)
        )
    if "due" not in columns.taken and default_due is None:
        raise SheetRefused(
            _(
                "{path}: no 办理时限/due column in the header row (row {header_row}); "
                "give --due DATE for every row, or name it with --map"
            ).format(path=opened.path, header_row=columns.header_row)
        )
    seen: dict[str, int] = {}
    units: list[tuple[int, str]] = []
    for row in opened.rows:
        if row.number <= columns.header_row:
            continue
        if all(row.get(c.index) is None for c in columns.taken.values()):
            continue  # a note under the table, a blank row with a number only
        found, row_problems, unit = _demand(row, columns, default_due)
        if found is not None and found.reference in seen:
            header = columns.header("reference") if not found.made_reference else None
            what = "the same 诉求编号" if header else "the same enterprise and title"
            row_problems.append(
                Problem(row.number, header, f"{what} as row {seen[found.reference]}")
            )
        if row_problems:
            problems.extend(row_problems)
            refused.append(row.number)
            if unit:
                units.append((row.number, unit))
            continue
        assert found is not None
        seen[found.reference] = row.number
        demands.append(found)
    return Demands(
        sheet=opened,
        columns=columns,
        demands=tuple(demands),
        problems=tuple(problems),
        refused_rows=tuple(refused),
        refused_units=tuple(units),
    )


def _named(opened: Sheet) -> str:
    return f" {opened.name!r}" if opened.name else ""


def _demand(
    row: Row, columns: Columns, default_due: date | None
) -> tuple[Demand | None, list[Problem], str | None]:
    problems: list[Problem] = []

    def take(field: str, read: Callable[[Value], object]) -> object:
        column = columns.taken.get(field)
        if column is None:
            return None
        try:
            return read(row.get(column.index))
        except values.CellProblem as exc:
            problems.append(Problem(row.number, column.header, str(exc)))
            return None

    title = take("title", values.title)
    enterprise = take("enterprise", values.line)
    detail = take("detail", values.detail)
    unit = take("unit", values.line)
    due = take("due", values.sheet_date)
    raised = take("raised", values.sheet_date)
    category = take("category", values.category)
    priority = take("priority", values.priority)
    reference = take("reference", values.reference)
    failed = {p.header for p in problems}

    def missing(field: str, text: str) -> None:
        header = columns.header(field)
        if header not in failed:
            problems.append(Problem(row.number, header, text))

    if title is None:
        missing("title", "empty: every row needs the demand itself")
    if unit is None:
        missing("unit", "empty: every row is handed to an institution")
    if due is None and default_due is None:
        missing("due", "empty: give the time limit, or --due DATE for the rows without one")
    due = due or default_due
    if isinstance(due, date) and isinstance(raised, date) and due < raised:
        problems.append(
            Problem(
                row.number,
                columns.header("due"),
                f"the time limit {due.isoformat()} is before the raised date "
                f"{raised.isoformat()} ({columns.header('raised')})",
            )
        )
    if problems:
        return None, problems, _str(unit)
    assert isinstance(title, str) and isinstance(unit, str) and isinstance(due, date)
    made = reference is None
    return (
        Demand(
            row=row.number,
            reference=made_reference(_str(enterprise), title) if made else str(reference),
            made_reference=made,
            title=title,
            enterprise=_str(enterprise),
            detail=_str(detail),
            unit=unit,
            due=due,
            raised=raised if isinstance(raised, date) else None,
            category=_str(category),
            priority=_str(priority),
        ),
        problems,
        unit,
    )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None
