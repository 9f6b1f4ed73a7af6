"""Chain projects for people: the project list's columns and the project card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from chainlead.i18n import N_, _, pgettext
from chainlead.render.items import ItemsTable, folded
from chainlead.render.output import Column, card_table, cell, facts_grid
from chainlead.render.translated import event_words, word
from chainlead.render.translated import light_cell as light_text
from chainlead.said import shown

if TYPE_CHECKING:
    from chainlead.domain.projects import ProjectDetail


def _percent(value: int | None) -> Text:
    return Text("-" if value is None else f"{value}%")


def milestone_state(state: str) -> str:
    """A milestone's state in words."""
    words = {
        "done": pgettext("milestone", "done"),
        "missed": pgettext("milestone", "missed"),
        "due": pgettext("milestone", "due"),
        "late": pgettext("milestone", "late"),
    }
    return words.get(state, state)


def amount(value: str | None, unit: str | None) -> str:
    """An amount with its unit (``45 亿元``), or ``-``."""
    return "-" if value is None else f"{value} {unit or ''}".rstrip()


PROJECT_COLUMNS = (
    Column("key", N_("Key"), no_wrap=True),
    Column("chain", N_("Chain"), no_wrap=True),
    Column("title", N_("Project"), draw=folded),
    Column("type", N_("Type"), no_wrap=True),
    Column("type_zh", N_("Type"), no_wrap=True),
    Column("status", N_("Status"), no_wrap=True),
    Column("enterprise", N_("Enterprise"), draw=folded),
    Column("link", N_("Link"), draw=folded),
    Column("unit", N_("Institution"), draw=folded),
    Column("owner", N_("Owner"), no_wrap=True),
    Column("start_on", N_("Start"), no_wrap=True),
    Column("end_on", N_("End"), no_wrap=True),
    Column("planned_end_on", N_("Planned end"), no_wrap=True),
    Column("investment", N_("Investment"), justify="right"),
    Column("invested", N_("Invested"), justify="right"),
    Column("investment_unit", N_("Unit"), no_wrap=True, context="measure"),
    Column("percent", N_("Done"), justify="right", draw=_percent),
    Column("expected", N_("Expected"), justify="right", draw=_percent),
    Column("light", N_("Light"), no_wrap=True, draw=light_text),
    Column("why", N_("Why"), draw=folded),
)

# What a terminal shows (the CSV and JSON carry every field).
PROJECT_TABLE = tuple(
    c
    for c in PROJECT_COLUMNS
    if c.field
    in ("key", "title", "type_zh", "enterprise", "end_on", "percent", "expected", "light")
)


def project_card(detail: ProjectDetail) -> RenderableType:
    facts = facts_grid()
    facts.add_row(_("Project"), Text(f"{detail.key}  {detail.title}"))
    facts.add_row(_("Chain"), Text(f"{detail.chain} {detail.chain_name}"))
    type_word = word("type", detail.type)
    type_text = detail.type_zh if type_word == detail.type_zh else f"{type_word} {detail.type_zh}"
    facts.add_row(_("Type"), Text(type_text))
    status = word("project", detail.status) or ""
    if detail.finished_on:
        status += f" {detail.finished_on.isoformat()}"
    if detail.dropped_on:
        status += f" {detail.dropped_on.isoformat()}"
    facts.add_row(_("Status"), Text(status))
    facts.add_row(_("Enterprise"), cell(detail.enterprise))
    facts.add_row(_("Link"), cell(detail.link))
    facts.add_row(_("Institution"), cell(detail.unit))
    facts.add_row(_("Owner"), cell(detail.owner))
    period = f"{detail.start_on.isoformat()} → {detail.end_on.isoformat()}"
    if detail.planned_end_on != detail.end_on:
        period = _("{period} (first planned end {day})").format(
            period=period, day=detail.planned_end_on.isoformat()
        )
    facts.add_row(_("Plan"), Text(period))
    facts.add_row(_("Investment"), Text(amount(detail.investment, detail.investment_unit)))
    facts.add_row(_("Invested"), Text(amount(detail.invested, detail.investment_unit)))
    if detail.expected is not None:
        progress = Text(
            _("{done} done, {expected} expected by today (序时进度)").format(
                done=f"{detail.percent}%", expected=f"{detail.expected}%"
            )
        )
    else:
        progress = Text(_("{done} done").format(done=f"{detail.percent}%"))
    facts.add_row(_("Progress"), progress)
    facts.add_row(_("Light"), light_text(detail.light) + Text(f"  {shown(detail.why)}"))
    if detail.note:
        facts.add_row(_("Note"), cell(detail.note))
    parts: list[RenderableType] = [
        Panel(facts, title=Text(detail.key, style="bold"), title_align="left")
    ]
    if detail.milestones:
        table = card_table(_("Milestones"), (_("Milestone"), _("Due"), _("Done"), _("State")))
        for m in detail.milestones:
            style = "bold red" if m.state == "missed" else ""
            table.add_row(
                cell(m.title),
                cell(m.due_on),
                cell(m.done_on),
                Text(milestone_state(m.state), style=style),
            )
        parts.append(table)
    else:
        parts.append(Text(_("no milestones")))
    if detail.progress:
        table = card_table(
            _("Progress reports"), (_("As of"), _("Done"), _("Invested"), _("By"), _("Note"))
        )
        for p in detail.progress:
            note = p.note or ""
            if p.why:
                note = _("{note} (why lower: {why})").format(note=note, why=p.why).lstrip()
            table.add_row(
                cell(p.as_of), Text(f"{p.percent}%"), cell(p.invested), cell(p.by), cell(note)
            )
        parts.append(table)
    else:
        parts.append(Text(_("no progress reported yet")))
    if detail.items:
        parts.append(ItemsTable(detail.items, title=_("Items it raised")))
    if detail.history:
        table = card_table(
            _("History"), (_("At"), pgettext("history", "By"), _("What"), _("Change"), _("Note"))
        )
        for e in detail.history:
            if e.kind == "undone":
                from chainlead.render.activity import undone_words

                table.add_row(cell(e.at), cell(e.actor), Text(undone_words(e.text, e.new)))
                continue
            change = (
                f"{e.old or _('(empty)')} → {e.new or _('(empty)')}"
                if e.old is not None
                else (e.item or e.new or "")
            )
            table.add_row(
                cell(e.at),
                cell(e.actor),
                Text(event_words(e.kind, e.field)),
                cell(change),
                cell(e.text),
            )
        parts.append(table)
    return Group(*parts)
