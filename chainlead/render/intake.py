"""How an intake's rows are shown: one line a row of the sheet, what it does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from chainlead.i18n import N_, _, ngettext, pgettext
from chainlead.render.output import Column

if TYPE_CHECKING:
    from chainlead.intake.plan import IntakePlan

_STYLES = {"new": "green", "on the list": "dim", "changed": "yellow", "refused": "bold red"}
# The outcomes as a person reads them (``--json`` and ``--csv`` keep the English value).
_WORDS = {
    "new": N_("new"),
    "on the list": N_("on the list"),
    "changed": N_("changed"),
    "refused": N_("refused"),
}


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
    return Text(_(_WORDS[value]) if value in _WORDS else value, style=_STYLES.get(value, ""))


# The words of a row's note (``--json`` keeps the English): what it adds, what changed.
_NOTE_WORDS = {
    "new enterprise": N_("new enterprise"),
    "new institution": N_("new institution"),
    "title": N_("title"),
    "detail": N_("detail"),
    "unit": N_("unit"),
    "due": N_("time limit"),
    "raised": N_("raised on"),
    "category": N_("category"),
    "priority": N_("priority"),
    "enterprise": N_("enterprise"),
}


def _said(part: str) -> str:
    """One part of a note in the process's language: a word it knows, or a changed
    field's name followed by its values."""
    if part in _NOTE_WORDS:
        return _(_NOTE_WORDS[part])
    field, space, rest = part.partition(" ")
    if space and field in _NOTE_WORDS and ("->" in rest or rest.startswith("+")):
        return f"{_(_NOTE_WORDS[field])} {rest}"
    return part


def _note(value: str) -> Text:
    if not value:
        return Text("")
    sep = "; " if "; " in value else ", "
    return Text(sep.join(_said(part) for part in value.split(sep)))


INTAKE_COLUMNS = (
    Column("row", N_("Row"), justify="right"),
    Column("outcome", N_("Outcome"), draw=_outcome, no_wrap=True),
    Column("key", N_("Key"), no_wrap=True),
    # the sheet's own number: the first to give way on a narrow terminal
    Column("reference", N_("Reference"), no_wrap=True, drop=1),
    Column("enterprise", N_("Enterprise")),
    Column("title", N_("Title")),
    Column("due", N_("Due"), no_wrap=True),
    Column("note", N_("Note"), draw=_note),
)


def intake_summary(plan: IntakePlan, *, dry_run: bool, update: bool) -> list[str]:
    """The lines under the table: counts, what is added, what was left."""
    new, same = plan.count("new"), plan.count("on the list")
    changed, refused = plan.count("changed"), plan.count("refused")
    enterprises, units = len(plan.new_enterprises), len(plan.new_units)
    added = pgettext("list", " and ").join(
        [ngettext("{n} enterprise", "{n} enterprises", enterprises).format(n=enterprises)]
        * bool(enterprises)
        + [ngettext("{n} institution", "{n} institutions", units).format(n=units)] * bool(units)
    )
    if dry_run:
        rows = len(plan.rows)
        line = ngettext(
            "{n} row: {new} new, {same} already on the list, {changed} changed",
            "{n} rows: {new} new, {same} already on the list, {changed} changed",
            rows,
        ).format(n=rows, new=new, same=same, changed=changed)
        if refused:
            line += _(", {n} refused").format(n=refused)
        if added:
            line += _("; {added} would be added").format(added=added)
        lines = [line + _("; nothing written (dry run)")]
        if changed and not update:
            lines.append(_("changed rows are taken only with --update"))
        return lines
    keys = [r.key for r in plan.rows if r.outcome == "new" and r.key]
    line = ngettext("took {n} new item", "took {n} new items", new).format(n=new)
    if len(keys) > 1:
        line += _(" ({first} to {last})").format(first=keys[0], last=keys[-1])
    elif keys:
        line += f" ({keys[0]})"
    if added:
        line += _("; added {added}").format(added=added)
    if update and changed:
        line += ngettext(
            "; updated {n} changed item", "; updated {n} changed items", changed
        ).format(n=changed)
    lines = [line + _("; {n} already on the list").format(n=same)]
    if changed and not update:
        lines.append(
            ngettext(
                "{n} changed row not taken; give --update to take them",
                "{n} changed rows not taken; give --update to take them",
                changed,
            ).format(n=changed)
        )
    return lines
