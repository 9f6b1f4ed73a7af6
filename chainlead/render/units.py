"""Institutions for people: the unit list's columns and the unit card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from chainlead.i18n import N_, _, pgettext
from chainlead.render.items import ItemsTable, folded
from chainlead.render.output import Column, cell, facts_grid
from chainlead.render.translated import word

if TYPE_CHECKING:
    from chainlead.domain.units import UnitDetail

UNIT_COLUMNS = (
    Column("name", N_("Institution"), draw=folded),
    Column("short", N_("Short"), draw=folded),
    Column("kind", N_("Kind"), no_wrap=True, draw=lambda kind: cell(word("unit", kind))),
    Column("contact", N_("Contact"), draw=folded),
    Column("open", N_("Open"), justify="right"),
    Column("overdue", N_("Overdue"), justify="right"),
    Column("resolved", N_("Resolved"), justify="right"),
)


def rate_text(rate: float | None) -> str:
    """The on-time rate as a percentage, ``-`` when nothing was resolved yet."""
    return "-" if rate is None else f"{rate * 100:.1f}%"


def unit_card(detail: UnitDetail) -> RenderableType:
    facts = facts_grid()
    facts.add_row(pgettext("record", "Name"), cell(detail.name))
    facts.add_row(_("Short name"), cell(detail.short))
    facts.add_row(_("Kind"), cell(word("unit", detail.kind)))
    facts.add_row(_("Contact"), cell(detail.contact))
    facts.add_row(_("Open"), cell(detail.open))
    facts.add_row(_("Overdue"), cell(detail.overdue))
    facts.add_row(_("Resolved"), cell(detail.resolved))
    of = _("{rate} ({n} of {total})")
    facts.add_row(
        _("On time"),
        Text(
            of.format(
                rate=rate_text(detail.on_time_rate),
                n=detail.resolved_on_time,
                total=detail.resolved,
            )
        ),
    )
    if detail.parts:
        facts.add_row(
            _("Parts in items"),
            Text(
                _(", ").join(
                    _("{n} {state}").format(n=n, state=word("part", state))
                    for state, n in sorted(detail.parts.items())
                )
            ),
        )
        facts.add_row(_("Returned"), cell(detail.parts.get("returned", 0)))
    facts.add_row(_("Extensions"), cell(detail.extensions))
    facts.add_row(
        _("On time (first limit)"),
        Text(
            of.format(
                rate=rate_text(detail.on_time_original_rate),
                n=detail.resolved_on_time_original,
                total=detail.resolved,
            )
        ),
    )
    found = detail.satisfaction
    facts.add_row(
        _("Satisfaction"),
        Text(
            _("{rate} ({n} of {total} follow-ups satisfied)").format(
                rate=rate_text(found.rate), n=found.satisfied, total=found.asked
            )
            if found.asked
            else _("- (no follow-ups yet)")
        ),
    )
    title = Text(detail.name, style="bold")
    if not detail.items:
        return Group(Panel(facts, title=title, title_align="left"), Text(_("no open items")))
    return Group(
        Panel(facts, title=title, title_align="left"),
        ItemsTable(detail.items, title=_("Open items")),
    )
