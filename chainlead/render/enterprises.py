"""Enterprises for people: the enterprise list's columns and the enterprise card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from chainlead.i18n import N_, _, pgettext
from chainlead.render.items import ItemsTable, folded
from chainlead.render.output import Column, card_table, cell, facts_grid
from chainlead.render.translated import word
from chainlead.render.units import rate_text
from chainlead.render.words import labels, result_word

if TYPE_CHECKING:
    from collections.abc import Sequence

    from chainlead.domain.enterprises import ChainPlace, EnterpriseChange, EnterpriseDetail


def _rate(rate: float | None) -> Text:
    return Text(rate_text(rate))


def _yes(value: bool) -> Text:
    return Text(labels()("yes") if value else "-")


def chain_places(places: Sequence[ChainPlace]) -> str:
    """Every chain an enterprise is on, with its place, in the screen's language:
    ``IME downstream lead (链主); IC`` (``IME 下游 链主; IC``)."""
    return "; ".join(
        " ".join(
            p
            for p in (m.code, word("segment", m.segment) or "", _("lead (链主)") if m.lead else "")
            if p
        )
        for m in places
    )


def _places(places: Sequence[ChainPlace]) -> Text:
    return folded(chain_places(places))


ENTERPRISE_COLUMNS = (
    Column("name", N_("Enterprise"), draw=folded),
    Column("short", N_("Short"), draw=folded),
    Column("chains", N_("Chains"), draw=folded),
    Column("above_scale", N_("Above scale"), draw=_yes),
    Column("park", N_("Park"), draw=folded),
    Column("credit_code", N_("Credit code"), no_wrap=True),
    Column("demands", N_("Demands"), justify="right"),
    Column("open", N_("Open"), justify="right"),
    Column("satisfaction", N_("Satisfied"), justify="right", draw=_rate),
)


# What a terminal shows (the CSV and JSON carry every field); the chains in words.
ENTERPRISE_TABLE = tuple(
    Column("places", c.header, draw=_places) if c.field == "chains" else c
    for c in ENTERPRISE_COLUMNS
    if c.field in ("name", "chains", "demands", "open", "satisfaction")
)


def enterprise_card(detail: EnterpriseDetail) -> RenderableType:
    facts = facts_grid()
    facts.add_row(pgettext("record", "Name"), cell(detail.name))
    facts.add_row(_("Short name"), cell(detail.short))
    facts.add_row(_("Credit code"), cell(detail.credit_code))
    facts.add_row(_("Above scale"), _yes(detail.above_scale))
    facts.add_row(_("Park"), cell(detail.park))
    facts.add_row(_("Contact"), cell(detail.contact))
    facts.add_row(_("Chains"), cell(chain_places(detail.chains) or None))
    if detail.links:
        facts.add_row(_("Links"), cell("; ".join(detail.links)))
    facts.add_row(_("Demands"), cell(len(detail.demands)))
    facts.add_row(
        _("Satisfied"),
        Text(
            _("{rate} ({satisfied} of {asked} asked)").format(
                rate=rate_text(detail.satisfaction),
                satisfied=detail.satisfied,
                asked=detail.asked,
            )
        ),
    )
    parts: list[RenderableType] = [
        Panel(facts, title=Text(detail.name, style="bold"), title_align="left")
    ]
    if detail.demands:
        parts.append(ItemsTable(detail.demands, title=N_("Demands")))
    else:
        parts.append(Text(_("no demands yet")))
    if detail.follow_ups:
        words = labels()
        table = card_table(
            words("sheet_follow_ups"),
            (
                words("item"),
                words("sheet_asked_on"),
                words("sheet_result"),
                words("sheet_asked_by"),
                words("sheet_note"),
            ),
        )
        for f in detail.follow_ups:
            result = result_word(f.result) + (
                " " + _("(reopened {day})").format(day=f.reopened_on.isoformat())
                if f.reopened_on
                else ""
            )
            table.add_row(
                Text(f.item), Text(f.asked_on.isoformat()), Text(result), cell(f.by), cell(f.note)
            )
        parts.append(table)
    return Group(*parts)


# The fields ``enterprise edit`` reports, as a person calls them.
FIELD_WORDS = {
    "short": N_("short name"),
    "credit_code": N_("credit code"),
    "contact": N_("contact"),
    "park": N_("park"),
    "above_scale": N_("above scale"),
    "name": N_("name"),
}


def enterprise_changes(name: str, changes: Sequence[EnterpriseChange]) -> None:
    """What ``enterprise edit`` changed, one line each, or that it changed nothing."""
    from chainlead.render.output import message

    if not changes:
        message(_("{key}: nothing changed").format(key=name))
    for change in changes:
        field = _(FIELD_WORDS[change.field]) if change.field in FIELD_WORDS else change.field
        old, new = change.old or _("(empty)"), change.new or _("(empty)")
        message(f"{name}: {field} {old} → {new}")
