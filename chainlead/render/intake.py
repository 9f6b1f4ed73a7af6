"""How an intake's rows are shown: one line a row of the sheet, what it does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from chainlead.render.output import Column

if TYPE_CHECKING:
    from chainlead.intake.plan import IntakePlan

_STYLES = {"new": "green", "on the list": "dim", "changed": "yellow", "refused": "bold red"}


@dataclass(frozen=True)
class IntakeLine:
    """One row of the sheet and what it does (or did)."""

    row: int
    outcome: str
    key: str | None
    reference: str
    enterprise: str | None
    title: str | None
    unit: str | None
    due: date | None
    note: str
    changes: tuple[str, ...]
    problems: tuple[str, ...]


def intake_lines(plan: IntakePlan) -> list[IntakeLine]:
    return [
        IntakeLine(
            row=r.row,
            outcome=r.outcome,
            key=r.key,
            reference=r.reference,
            enterprise=r.enterprise,
            title=r.title,
            unit=r.unit,
            due=r.due,
            note=r.note,
            changes=r.changes,
            problems=r.problems,
        )
        for r in plan.rows
    ]


def _outcome(value: str) -> Text:
    return Text(value, style=_STYLES.get(value, ""))


INTAKE_COLUMNS = (
    Column("row", "Row", justify="right"),
    Column("outcome", "Outcome", draw=_outcome, no_wrap=True),
    Column("key", "Key", no_wrap=True),
    Column("reference", "Reference", no_wrap=True),
    Column("enterprise", "Enterprise"),
    Column("title", "Title"),
    Column("due", "Due", no_wrap=True),
    Column("note", "Note"),
)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def intake_summary(plan: IntakePlan, *, dry_run: bool, update: bool) -> list[str]:
    """The lines under the table: counts, what is added, what was left."""
    new, same = plan.count("new"), plan.count("on the list")
    changed, refused = plan.count("changed"), plan.count("refused")
    added = []
    if plan.new_enterprises:
        added.append(_plural(len(plan.new_enterprises), "enterprise"))
    if plan.new_units:
        added.append(_plural(len(plan.new_units), "institution"))
    if dry_run:
        line = (
            f"{_plural(len(plan.rows), 'row')}: {new} new, {same} already on the list, "
            f"{changed} changed"
        )
        if refused:
            line += f", {refused} refused"
        if added:
            line += "; " + " and ".join(added) + " would be added"
        lines = [line + "; nothing written (dry run)"]
        if changed and not update:
            lines.append("changed rows are taken only with --update")
        return lines
    keys = [r.key for r in plan.rows if r.outcome == "new" and r.key]
    line = f"took {_plural(new, 'new item')}"
    if keys:
        line += f" ({keys[0]}" + (f" to {keys[-1]})" if len(keys) > 1 else ")")
    if added:
        line += "; added " + " and ".join(added)
    if update and changed:
        line += f"; updated {_plural(changed, 'changed item')}"
    lines = [line + f"; {same} already on the list"]
    if changed and not update:
        lines.append(f"{_plural(changed, 'changed row')} not taken; give --update to take them")
    return lines
