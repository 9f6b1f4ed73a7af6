"""The monthly and overdue reports for people: terminal, HTML, SVG, Markdown.

Everything drawn here comes from ``domain.reports`` (plain data); this module
never queries and never counts. The terminal form is rich renderables; the
file forms are exporters behind one interface (``Exporter``), chosen in one
place (``exporter``). Labels come from ``render.labels`` in the report's
language; user text is always ``rich.text.Text`` (never markup) in the
terminal and escaped in every file form.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple, Protocol

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.control import strip_control_codes
from rich.terminal_theme import TerminalTheme
from rich.text import Span, Text

from chainlead.domain.fulfilment import Decision
from chainlead.domain.reports import (
    ChainSection,
    Figure,
    ItemLine,
    MeetingLine,
    MonthlyReport,
    OverdueReport,
    ResolvedLine,
    SatisfactionRate,
    TrendMonth,
    UnitOverdue,
    UnitRow,
)
from chainlead.render.chain_map import map_summary_rows
from chainlead.render.formats import Format
from chainlead.render.labels import Labels
from chainlead.render.levels import level_text
from chainlead.render.longtable import Heading, LongTable
from chainlead.render.output import LIGHT_STYLES, Document

if TYPE_CHECKING:
    from chainlead.render.handout import Handout  # the printed page's masthead

WIDTH = 100  # the width the report is laid out for (terminal, SVG)

TONE_STYLES = {"good": "green", "bad": "red", "neutral": ""}
LIGHT_MARKS = {"red": "●", "yellow": "●", "green": "●", "none": "○"}


# --------------------------------------------------------------------------- shared wording


class OverviewRow(NamedTuple):
    """One line of the overview table, as words (shared by every output form)."""

    label: str
    value: str
    previous: str
    change: str
    tone: str  # good, bad or neutral
    indent: bool = False


def number(value: float) -> str:
    """26 -> "26", 57.5 -> "57.5"."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def figure_text(figure: Figure, value: int | float | None, labels: Labels) -> str:
    if value is None:
        return "–"
    if figure.key == "on_time_rate":
        return f"{value * 100:.0f}%"
    if figure.key == "median_days_to_resolve":
        return labels("days_value", n=number(value))
    return number(value)


def change_text(figure: Figure, labels: Labels) -> tuple[str, str]:
    """The change from last month with an arrow, and whether it is good news."""
    change = figure.change
    if change is None:
        return "", "neutral"
    if change == 0:
        return labels("unchanged"), "neutral"
    arrow = "▲" if change > 0 else "▼"
    size = abs(change)
    if figure.key == "on_time_rate":
        shown = f"{size * 100:.0f}%"
    elif figure.key == "median_days_to_resolve":
        shown = labels("days_value", n=number(size))
    else:
        shown = number(size)
    if figure.better == "none":
        tone = "neutral"
    else:
        tone = "good" if (change > 0) == (figure.better == "up") else "bad"
    return f"{arrow}{shown}", tone


def overview_rows(report: MonthlyReport, labels: Labels) -> list[OverviewRow]:
    figures = {f.key: f for f in report.overview}
    if not figures:
        return []

    def row(key: str, label: str | None = None, indent: bool = False) -> OverviewRow:
        figure = figures[key]
        change, tone = change_text(figure, labels)
        return OverviewRow(
            label=label or labels(key),
            value=figure_text(figure, figure.value, labels),
            previous=figure_text(figure, figure.previous, labels),
            change=change,
            tone=tone,
            indent=indent,
        )

    held, expected = figures["meetings_held"], figures["meetings_expected"]
    meetings_change, meetings_tone = change_text(held, labels)
    return [
        row("chains_active"),
        OverviewRow(
            label=labels("meetings"),
            value=f"{number(held.value or 0)} / {number(expected.value or 0)}",
            previous=f"{number(held.previous or 0)} / {number(expected.previous or 0)}",
            change=meetings_change,
            tone=meetings_tone,
        ),
        row("open_at_start"),
        row("raised"),
        row("resolved"),
        row("resolved_on_time", labels("light_on_time"), indent=True),
        row("resolved_late", labels("light_late"), indent=True),
        row("dropped"),
        row("reopened"),
        row("open_at_end"),
        row("overdue_at_end"),
        row("on_time_rate"),
        row("median_days_to_resolve"),
    ]


def limit_words(days_over: int, labels: Labels, status: str = "open") -> str:
    """The time limit in words: days over or left while open; early or late once
    resolved (counted to the resolved date); nothing for a dropped item."""
    if status == "dropped":
        return ""
    done = status in ("resolved", "closed")
    if days_over > 0:
        return labels("days_late" if done else "days_over", n=days_over)
    if days_over < 0:
        return labels("days_early" if done else "days_left", n=-days_over)
    return labels("on_the_day" if done else "due_today")


def more_line(
    report: MonthlyReport,
    chain: ChainSection,
    kind: str,
    shown: int,
    labels: Labels,
    *,
    annex: bool | None = None,
) -> str | None:
    """ "… and N more: <command>" when a chain's list was cut short, else None.

    On paper (``annex`` True or False) no command: "N more in the annex" when
    the annex follows, else "N more, not listed here"."""
    total = {
        "raised": chain.figures.raised,
        "resolved": chain.figures.resolved,
        "open": chain.figures.open_now,
        "attention": chain.figures.attention_now,
    }[kind]
    if total <= shown:
        return None
    if annex is not None:
        return labels("handout_more_annex" if annex else "handout_more_cut", n=total - shown)
    command = (
        f"chainlead report monthly --month {report.month} --chain {chain.code} --limit {total}"
    )
    return labels("more", n=total - shown, command=command)


def chain_counts(chain: ChainSection, labels: Labels) -> tuple[str, str]:
    """The chain's figures in two lines: the month's, and today's open work."""
    f = chain.figures
    month = labels(
        "chain_month_counts", raised=f.raised, resolved=f.resolved, on_time=f.resolved_on_time
    )
    now = labels(
        "chain_now_counts",
        open=f.open_now,
        red=f.red_now,
        yellow=f.yellow_now,
        green=f.green_now,
        attention=f.attention_now,
    )
    return month, now


def limit_counts(chain: ChainSection, labels: Labels) -> str | None:
    """The chain's moved limits in the month: extensions approved, days added and the
    resolutions made by the first limit; None (no line) when no limit moved."""
    f = chain.figures
    if not f.extensions and f.resolved_on_time_original == f.resolved_on_time:
        return None
    return labels(
        "chain_limit_counts",
        extensions=f.extensions,
        days=f.days_added,
        on_time=f.resolved_on_time_original,
        resolved=f.resolved,
    )


def limit_rows(report: MonthlyReport) -> list[UnitRow]:
    """The institutions the moved-limits table lists (those with an extension approved
    or a resolution in the month); none, and no table, when no limit moved."""
    units = report.units
    if not any(u.extensions or u.on_time_original_rate != u.on_time_rate for u in units):
        return []
    return [u for u in units if u.extensions or u.resolved]


LIMIT_HEADERS = ("institution", "extensions_col", "days_added", "on_time", "on_time_original")


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.0f}%"


def satisfaction_words(found: SatisfactionRate, labels: Labels) -> str:
    """满意率 with its counts, "67% (2 of 3 follow-ups satisfied)"; "–" when none asked."""
    if found.rate is None:
        return "–"
    return labels(
        "satisfaction_counts",
        rate=percent(found.rate),
        satisfied=found.satisfied,
        asked=found.asked,
    )


def limit_cells(unit: UnitRow) -> list[str]:
    """An institution's extensions, days added, and on-time rates against the limit in
    force and against the first limit (the cells after its name)."""
    return [
        str(unit.extensions),
        str(unit.days_added),
        percent(unit.on_time_rate),
        percent(unit.on_time_original_rate),
    ]


def _limits(rows: Sequence[UnitRow], labels: Labels) -> LongTable:
    table = _table()
    table.add_column(labels("institution"), ratio=1)
    for key in LIMIT_HEADERS[1:]:
        table.add_column(labels(key), justify="right", width=12)
    for unit in rows:
        table.add_row(_data(unit.unit), *map(Text, limit_cells(unit)))
    return table


def meeting_title(meeting: MeetingLine, labels: Labels) -> str:
    return labels(
        "meeting_line",
        kind=labels.kind(meeting.kind),
        key=meeting.key,
        day=meeting.held_on.isoformat(),
    )


def has_actions(meeting: MeetingLine) -> bool:
    """Some decision of the meeting was made an action: its decisions are shown with
    their actions and the fulfilment rate (else as they always were)."""
    return any(d.actions for d in meeting.decision_actions)


def action_lines(decision: Decision, labels: Labels) -> list[str]:
    """A decision's actions in words: key, unit, status and light, one a line."""
    if not decision.actions:
        return [labels("no_action")]
    return [
        f"{a.key} {a.unit} · {labels.status(a.status)} · {labels.light(a.light)}"
        for a in decision.actions
    ]


def fulfilment_words(meeting: MeetingLine, labels: Labels) -> str:
    """``50% (1 of 2) by IC-M4 on 2026-12-15``: the meeting's fulfilment rate."""
    found = meeting.fulfilment
    if found is None:
        return ""
    rate = "–" if found.rate is None else f"{found.rate * 100:.0f}%"
    day = found.by.isoformat()
    by = (
        labels("by_meeting", key=found.next_meeting, day=day)
        if found.next_meeting
        else labels("by_today", day=day)
    )
    return labels("fulfilment_value", rate=rate, done=found.fulfilled, total=found.decisions, by=by)


def subtitle(report: MonthlyReport, labels: Labels) -> list[str]:
    month = labels.month(report.month)
    lines = [labels("as_of_note", month=month, today=report.today.isoformat())]
    if report.as_of < report.last_day:
        lines.append(labels("current_month_note", month=month, as_of=report.as_of.isoformat()))
    if report.chain:
        lines.append(labels("one_chain_note", code=report.chain))
    return lines


def title(report: MonthlyReport, labels: Labels) -> str:
    parts = [report.district, labels("monthly_title"), labels.month(report.month)]
    return " · ".join(p for p in parts if p)


# --------------------------------------------------------------------------- terminal


@lru_cache(maxsize=4096)
def _word(text: str, style: str = "") -> Text:
    """A short cell that recurs down a list (a light, a status, a date, days over):
    one ``Text`` for all its rows. Nothing draws by changing a cell."""
    return Text(text, style=style)


def _light(value: str, labels: Labels) -> Text:
    return _word(labels.light(value), LIGHT_STYLES.get(value, ""))


def _data(value: object) -> Text:
    """User text, shown literally (never markup), folded when long."""
    return Text("" if value is None else str(value), overflow="fold")


def _joined(*parts: tuple[str, str]) -> Text:
    """User text and what follows it, each part with its style, folded when long:
    the ``Text`` that appending the parts one by one to ``_data`` makes, made at
    once (a long list has thousands of them)."""
    whole = "".join([text for text, _ in parts])
    joined = Text(whole, overflow="fold")  # (control codes taken out)
    clean = len(joined) == len(whole)
    offset = 0
    for text, style in parts:
        if not clean:
            text = strip_control_codes(text)
        if style and text:
            joined.spans.append(Span(offset, offset + len(text), style))
        offset += len(text)
    return joined


def _table(heading: str | None = None) -> LongTable:
    """A report table, as wide as the page (``render.longtable``: lists may be long)."""
    return LongTable(title=heading, box=box.SIMPLE_HEAD, expand=True)


def _grid(*, pad_edge: bool) -> LongTable:
    """Labels (bold) and their values, two cells apart."""
    facts = LongTable.grid(padding=2, pad_edge=pad_edge)
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    return facts


def _overview(report: MonthlyReport, labels: Labels) -> LongTable:
    table = _table()
    table.add_column(labels("figure"), ratio=3)
    table.add_column(labels("this_month"), justify="right", no_wrap=True)
    table.add_column(labels("last_month"), justify="right", no_wrap=True)
    table.add_column(labels("change"), justify="right", no_wrap=True)
    for row in overview_rows(report, labels):
        table.add_row(
            Text(("    " if row.indent else "") + row.label),
            Text(row.value, style="" if row.indent else "bold"),
            Text(row.previous),
            Text(row.change, style=TONE_STYLES[row.tone]),
        )
    return table


def _trend(trend: Sequence[TrendMonth], labels: Labels) -> RenderableType:
    """The trend chart, fitted to the width it is drawn at (``render.trend``)."""
    from chainlead.render.trend import TrendChart

    return TrendChart(trend, labels)


def _items(
    heading: str,
    rows: Sequence[ItemLine],
    labels: Labels,
    *,
    dates: str,
    more: str | None,
) -> RenderableType:
    """A chain's list of items; ``dates`` is "raised" or "due"."""
    if not rows:
        return Group(Text(heading, style="bold"), Text("  " + labels("nothing")))
    table = _table(heading)
    table.add_column(labels("light"), no_wrap=True)
    table.add_column(labels("key"), no_wrap=True)
    table.add_column(labels("item") + " / " + labels("unit"), ratio=1)
    table.add_column(labels("status"), no_wrap=True, drop=1)  # narrow: the status, the date
    date = labels("raised_on") if dates == "raised" else labels("due")
    table.add_column(date, no_wrap=True, drop=2)
    table.add_column(labels("time_limit"), justify="right", no_wrap=True)
    for row in rows:
        what = _joined(
            (row.title, ""),
            (f" ({row.enterprise})" if row.enterprise else "", "dim"),
            ("\n", ""),
            (row.unit, "dim"),
        )
        table.add_row(
            _light(row.light, labels),
            Text(row.key),
            what,
            _word(labels.status(row.status)),
            _word((row.raised_on if dates == "raised" else row.due_on).isoformat()),
            _word(
                limit_words(row.days_over, labels, row.status),
                "red" if row.days_over > 0 and row.light == "red" else "",
            ),
        )
    parts: list[RenderableType] = [table]
    if more:
        parts.append(Text("  " + more, style="dim"))
    return Group(*parts)


def _resolved(
    heading: str, rows: Sequence[ResolvedLine], labels: Labels, more: str | None
) -> RenderableType:
    if not rows:
        return Group(Text(heading, style="bold"), Text("  " + labels("nothing")))
    table = _table(heading)
    table.add_column(labels("key"), no_wrap=True)
    table.add_column(labels("item"), ratio=4)
    table.add_column(labels("resolved_on"), no_wrap=True)
    table.add_column(labels("light"), no_wrap=True)
    table.add_column(labels("days"), justify="right", no_wrap=True)
    table.add_column(labels("how"), ratio=5)
    for row in rows:
        now = ""
        if row.status not in ("resolved", "closed"):
            now = labels("now_status", status=labels.status(row.status))
        what = _joined(
            (row.title, ""),
            ("\n", ""),
            (row.unit, "dim"),
            ("\n" if now else "", ""),
            (now, "yellow"),
        )
        table.add_row(
            Text(row.key),
            what,
            _word(row.resolved_on.isoformat()),
            _light("on_time" if row.on_time else "late", labels),
            _word(str(row.days_to_resolve)),
            _data(row.how),
        )
    parts: list[RenderableType] = [table]
    if more:
        parts.append(Text("  " + more, style="dim"))
    return Group(*parts)


def _meeting(meeting: MeetingLine, labels: Labels) -> RenderableType:
    parts: list[RenderableType] = [Text(meeting_title(meeting, labels), style="bold")]
    facts = _grid(pad_edge=True)
    if meeting.chair:
        facts.add_row(Text(labels("chair")), _data(meeting.chair))
    if meeting.attendees:
        facts.add_row(Text(labels("attendees")), _data("、".join(meeting.attendees)))
    if meeting.summary:
        facts.add_row(Text(labels("summary")), _data(meeting.summary))
    if meeting.decisions and has_actions(meeting):
        decisions = Text(overflow="fold")
        for decided in meeting.decision_actions:
            if decided.number > 1:
                decisions.append("\n")
            decisions.append(f"{decided.number}. ").append(decided.text)
            for line in action_lines(decided, labels):
                decisions.append("\n   → ", style="dim").append(line)
        facts.add_row(Text(labels("decisions")), decisions)
        facts.add_row(Text(labels("fulfilment")), Text(fulfilment_words(meeting, labels)))
    elif meeting.decisions:
        decisions = Text()
        for number_, decision in enumerate(meeting.decisions, start=1):
            if number_ > 1:
                decisions.append("\n")
            decisions.append(f"{number_}. ").append(decision)
        facts.add_row(Text(labels("decisions")), decisions)
    parts.append(facts)
    if meeting.figures:
        table = _table()
        table.add_column(labels("key_figures"), ratio=3)
        table.add_column(labels("value"), justify="right")
        table.add_column(labels("last_month"), justify="right", no_wrap=True)
        table.add_column(labels("change"), justify="right", no_wrap=True)
        for figure in meeting.figures:
            value = Text(figure.value)
            if figure.unit:
                value.append(" ").append(figure.unit)
            table.add_row(
                _data(figure.name),
                value,
                Text(figure.previous or ""),
                Text(figure.change or ""),
            )
        parts.append(table)
    return Group(*parts)


def chain_panel(report: MonthlyReport, chain: ChainSection, labels: Labels) -> Group:
    """One chain: a heading rule with its light, then its facts, meetings and lists.

    (Not a boxed ``Panel``: a panel re-lays out everything inside it, several
    times slower for a district of fifty chains.)
    """
    facts = _grid(pad_edge=False)
    facts.add_row(Text(labels("chain_leader")), _data(chain.leader or "–"))
    facts.add_row(Text(labels("responsible")), _data(chain.responsible or "–"))
    facts.add_row(Text(labels("team")), Text(labels.count("team_size", chain.team_size)))
    month_counts, now_counts = chain_counts(chain, labels)
    facts.add_row(Text(labels("this_month")), Text(month_counts))
    facts.add_row(Text(labels("now")), Text(now_counts))
    limits = limit_counts(chain, labels)
    if limits:
        facts.add_row(Text(labels("extensions_row")), Text(limits))
    facts.add_row(
        Text(labels("satisfaction")), Text(satisfaction_words(chain.satisfaction, labels))
    )
    for label, words in map_summary_rows(chain.chain_map, labels.lang):  # the chain's map
        facts.add_row(Text(label), _data(words))
    parts: list[RenderableType] = [facts, Text("")]
    month = labels.month(report.month)
    if chain.expected_meeting and not chain.meeting_held:
        parts.append(Text(labels("no_meeting", month=month), style="bold red"))
    elif not chain.expected_meeting and not chain.meetings:
        parts.append(Text(labels("not_expected", month=month), style="dim"))
    for meeting in chain.meetings:
        parts.append(_meeting(meeting, labels))
    lists = (
        ("raised", labels("items_raised"), chain.raised, "raised"),
        ("open", labels("items_open"), chain.open_items, "due"),
        (
            "attention",
            labels("items_attention", days=report.escalation_days),
            chain.attention,
            "due",
        ),
    )
    parts.append(Text(""))
    parts.append(_list(report, chain, "raised", lists[0][1], lists[0][2], labels, "raised"))
    parts.append(Text(""))
    more = more_line(report, chain, "resolved", len(chain.resolved), labels)
    parts.append(_resolved(labels("items_resolved"), chain.resolved, labels, more))
    for kind, heading, rows, dates in lists[1:]:
        parts.append(Text(""))
        parts.append(_list(report, chain, kind, heading, rows, labels, dates))
    heading = Text(f"{chain.code}  ", style="bold")
    heading.append(chain.name, style="bold")
    if chain.light != "none":
        heading.append("  ")
        heading.append(
            f"{LIGHT_MARKS.get(chain.light, '')} {labels.light(chain.light)}",
            style=LIGHT_STYLES.get(chain.light, ""),
        )
    if chain.archived_on:
        heading.append("  " + labels("archived", day=chain.archived_on.isoformat()), style="dim")
    heading.append(" ")
    rule = Heading(heading, characters="━", style="bold")
    return Group(Text(""), rule, *parts)


def _list(
    report: MonthlyReport,
    chain: ChainSection,
    kind: str,
    heading: str,
    rows: Sequence[ItemLine],
    labels: Labels,
    dates: str,
) -> RenderableType:
    more = more_line(report, chain, kind, len(rows), labels)
    return _items(heading, rows, labels, dates=dates, more=more)


def _units(report: MonthlyReport, labels: Labels) -> LongTable:
    table = _table()
    # Institution names get the room; the figure headings wrap in their nine cells.
    table.add_column(labels("institution"), ratio=1)
    for key in ("open_now", "resolved_month", "on_time", "overdue_now"):
        table.add_column(labels(key), justify="right", width=9)
    table.add_column(labels("longest_overdue"), justify="right", no_wrap=True, width=16)
    table.add_column(labels("satisfaction_col"), justify="right", width=9)
    for unit in report.units:
        longest = Text("")
        if unit.longest_overdue_days:
            longest = Text(labels("days_value", n=unit.longest_overdue_days), style="red")
            longest.append(f" {unit.longest_overdue_key}", style="dim")
        table.add_row(
            _data(unit.unit),
            Text(str(unit.open_now)),
            Text(str(unit.resolved)),
            Text("–" if unit.on_time_rate is None else f"{unit.on_time_rate * 100:.0f}%"),
            Text(str(unit.overdue_now), style="bold red" if unit.overdue_now else ""),
            longest,
            Text(percent(unit.satisfaction.rate)),
        )
    return table


def _section(heading: str) -> Heading:
    return Heading(Text(heading, style="bold"))


def monthly_renderable(report: MonthlyReport, labels: Labels) -> Group:
    """The whole monthly report as rich renderables, laid out for 100 columns."""
    parts: list[RenderableType] = [Text(title(report, labels), style="bold")]
    for line in subtitle(report, labels):
        parts.append(Text(line, style="dim"))
    parts.append(Text(""))
    from chainlead.render import report_scoreboard as board  # page one: scoreboard, red list

    parts += [board.front_page(report, labels), Text("")]
    month_base = " · " + board.month_base(report, labels)
    if report.overview:
        parts += [_section("1  " + labels("overview") + month_base), _overview(report, labels)]
    parts += [_section("2  " + labels("trend") + month_base), _trend(report.trend, labels)]
    parts.append(_section("3  " + labels("chains")))
    if not report.chains:
        parts.append(Text(labels("nothing")))
    for chain in report.chains:
        parts.append(chain_panel(report, chain, labels))
    if not report.chain:
        units_base = " · " + board.both_bases(report, labels)
        parts += [_section("4  " + labels("units") + units_base), _units(report, labels)]
        if not report.units:
            parts.append(Text(labels("nothing")))
        parts += [Text(""), *board.ranking_renderables(report, labels)]
        moved = limit_rows(report)
        if moved:
            parts += [Text(""), Text(labels("units_limits"), style="bold"), _limits(moved, labels)]
    from chainlead.render.report_ladder import ladder_renderables  # the supervision ladder

    if report.ladder or report.climbs:  # left out while nothing is on the ladder
        number = "4" if report.chain else "5"
        parts += [_section(f"{number}  " + labels("ladder")), *ladder_renderables(report, labels)]
    if report.projects is not None:  # the chain projects: render.report_projects
        from chainlead.render import report_projects as projects

        heading = f"{projects.section_number(report)}  " + projects.heading(labels)
        parts += [_section(heading), *projects.projects_renderables(report, labels)]
    if report.targets is not None:  # annual targets (render.targets)
        from chainlead.render.targets import target_renderables

        parts += target_renderables(report.targets, labels)
    if report.notes is not None:  # the team's own text, at the end
        parts += [Text(""), *board.notes_renderables(report, labels)]
    return Group(*parts)


OVERDUE_LIMIT = 20  # items listed per institution on the terminal, unless --all


def overdue_more_line(
    report: OverdueReport, group: UnitOverdue, shown: int, labels: Labels
) -> str | None:
    """ "… and N more: <command>" when an institution's list was cut short, else None."""
    if len(group.items) <= shown:
        return None
    import shlex

    command = ["chainlead report overdue --unit", shlex.quote(group.unit)]
    if report.chain:
        command.append(f"--chain {report.chain}")
    command.append("--all")
    return labels("more", n=len(group.items) - shown, command=" ".join(command))


def overdue_renderable(report: OverdueReport, labels: Labels, *, limit: int | None = None) -> Group:
    """Every red item, grouped by responsible institution, with whom to escalate to;
    ``limit``: at most that many per institution (the most overdue), and how many more."""
    heading = Text(labels("overdue_title"), style="bold")
    heading.append(f"  {report.today.isoformat()}  ", style="dim")
    heading.append(labels("overdue_total", n=report.total), style="bold red")
    parts: list[RenderableType] = [heading]
    if not report.units:
        parts.append(Text(labels("overdue_none")))
    for group in report.units:
        table = _table(f"{group.unit}  ({labels('unit_total', n=len(group.items))})")
        table.add_column(labels("key"), no_wrap=True)
        table.add_column(labels("item"), ratio=5, min_width=24)
        table.add_column(labels("status"), drop=1)
        table.add_column(labels("due"), no_wrap=True)
        table.add_column(labels("time_limit"), justify="right", no_wrap=True)
        table.add_column(labels("escalate_to"), ratio=2)
        shown = group.items if limit is None else group.items[:limit]
        for item in shown:
            what = _joined((item.title, ""), (f"\n{item.chain} ", "dim"), (item.chain_name, "dim"))
            leader = _joined(
                (item.chain_leader or "–", ""),
                (f"\n{labels('escalate')}" if item.escalate else "", "bold red"),
            )
            if item.level:  # the supervision ladder
                leader.append("\n" + labels("level") + " ")
                leader.append_text(level_text(item.level, english=False))
            table.add_row(
                Text(item.key),
                what,
                _word(labels.status(item.status)),
                _word(item.due_on.isoformat()),
                _word(limit_words(item.days_over, labels), "red"),
                leader,
            )
        parts += [Text(""), table]
        more = overdue_more_line(report, group, len(shown), labels)
        if more:
            parts.append(Text("  " + more, style="dim"))
    return Group(*parts)


# --------------------------------------------------------------------------- file forms


class Exporter(Protocol):
    """One output form written to a file: a whole document as text."""

    def render(self, report: MonthlyReport, labels: Labels) -> str: ...


# A light terminal theme with dark, print-safe colours for the SVG form.
PRINT_THEME = TerminalTheme(
    (255, 255, 255),
    (20, 20, 20),
    [
        (20, 20, 20),
        (176, 0, 0),
        (0, 110, 30),
        (150, 95, 0),
        (20, 60, 160),
        (120, 30, 130),
        (0, 110, 120),
        (90, 90, 90),
    ],
    [
        (80, 80, 80),
        (200, 20, 20),
        (0, 130, 40),
        (170, 110, 0),
        (40, 80, 190),
        (140, 50, 150),
        (0, 130, 140),
        (40, 40, 40),
    ],
)

_SVG_TEXT = re.compile(r'(<text [^>]*?textLength=")([0-9.]+)("[^>]*>)(.*?)(</text>)', re.S)


class SvgExporter:
    """The terminal report drawn as SVG (rich), CJK text given its full width."""

    def render(self, report: MonthlyReport, labels: Labels) -> str:
        console = Console(
            file=io.StringIO(),
            record=True,
            width=WIDTH,
            force_terminal=True,
            color_system="truecolor",
            markup=False,
            emoji=False,
            highlight=False,
        )
        console.print(monthly_renderable(report, labels))
        svg = console.export_svg(title=title(report, labels), theme=PRINT_THEME)
        return _sized(_fix_text_lengths(_offline(svg)))


_VIEW_BOX = re.compile(r'<svg ([^>]*?)viewBox="0 0 ([0-9.]+) ([0-9.]+)"')


def _sized(svg: str) -> str:
    """An explicit width and height (the view box's, one unit a pixel: text at
    20 px), so a viewer opens the picture at a readable size, not 300 x 150."""
    return _VIEW_BOX.sub(r'<svg \1width="\2" height="\3" viewBox="0 0 \2 \3"', svg, count=1)


_FONT_FACE = re.compile(r"\s*@font-face\s*\{[^}]*\}")
_COMMENT = re.compile(r"\s*<!--.*?-->", re.S)
MONO_FONTS = (
    '"Fira Code", "DejaVu Sans Mono", Menlo, Consolas, "Noto Sans Mono CJK SC", '
    '"Sarasa Mono SC", "Microsoft YaHei", monospace'
)


def _offline(svg: str) -> str:
    """No web fonts (rich links Fira Code from a CDN): the reader's monospace fonts."""
    svg = _FONT_FACE.sub("", svg)
    svg = _COMMENT.sub("", svg)
    return svg.replace("font-family: Fira Code, monospace;", f"font-family: {MONO_FONTS};")


def _fix_text_lengths(svg: str) -> str:
    """rich sizes each text run by characters; CJK characters take two cells."""
    from html import unescape

    char_width = None
    for match in _SVG_TEXT.finditer(svg):
        text = unescape(match.group(4))
        if len(text) and cell_len(text) == len(text):
            char_width = float(match.group(2)) / len(text)
            break
    if char_width is None:
        return svg

    def widen(match: re.Match[str]) -> str:
        text = unescape(match.group(4))
        cells = cell_len(text)
        if cells == len(text):
            return match.group(0)
        return (
            match.group(1)
            + format(char_width * cells, "g")
            + match.group(3)
            + match.group(4)
            + match.group(5)
        )

    return _SVG_TEXT.sub(widen, svg)


def exporter(form: str, handout: Handout | None = None) -> Exporter:
    """The one place an output form is chosen: html, svg or markdown; the
    ``handout`` (masthead, list length, annex) shapes the printed page."""
    if form == "html":
        from chainlead.render.report_html import HtmlExporter

        return HtmlExporter(handout)
    if form == "markdown":
        from chainlead.render.report_markdown import MarkdownExporter

        return MarkdownExporter()
    if form == "svg":
        return SvgExporter()
    raise ValueError(form)


FORMS: tuple[str, ...] = ("html", "svg", "markdown")


# --------------------------------------------------------------------------- the views


class MonthlyView(Document):
    """The monthly report in each format: its data (json), the terminal's report
    (table) and the HTML, SVG and Markdown documents."""

    width = WIDTH

    def __init__(
        self, report: MonthlyReport, labels: Labels, *, handout: Handout | None = None
    ) -> None:
        self.report = report
        self.labels = labels
        self.handout = handout

    @property
    def data(self) -> MonthlyReport:
        return self.report

    def people(self) -> RenderableType:
        return monthly_renderable(self.report, self.labels)

    def text(self, fmt: Format) -> str:
        return exporter(fmt, self.handout).render(self.report, self.labels)

    def binary(self, fmt: Format) -> bytes:
        """The PDF (the HTML page printed on A4: ``render.pdf``), the Word bulletin
        and the Excel workbook."""
        if fmt is Format.pdf:
            from chainlead.render.pdf import pdf_from_html

            return pdf_from_html(self.text(Format.html))
        if fmt is Format.docx:  # the Word bulletin: render.report_docx
            from chainlead.render.report_docx import monthly_docx

            return monthly_docx(self.report, self.labels)
        if fmt is Format.xlsx:
            from chainlead.render.report_xlsx import monthly_workbook

            return monthly_workbook(self.report, self.labels)
        return super().binary(fmt)


# report overdue --csv: one row per red item, every item, the stable English names.
OVERDUE_CSV_FIELDS = (
    "unit",
    "key",
    "chain",
    "chain_name",
    "chain_leader",
    "title",
    "enterprise",
    "owner",
    "status",
    "due_on",
    "days_over",
    "escalate",
    "level",
)


def overdue_rows(report: OverdueReport) -> Iterator[list[object]]:
    """The overdue report's CSV rows (``OVERDUE_CSV_FIELDS``), institution by institution."""
    for group in report.units:
        for line in group.items:
            yield [
                group.unit,
                line.key,
                line.chain,
                line.chain_name,
                line.chain_leader or "",
                line.title,
                line.enterprise or "",
                line.owner or "",
                line.status,
                line.due_on.isoformat(),
                line.days_over,
                "yes" if line.escalate else "no",
                line.level,
            ]


class OverdueView(Document):
    """The overdue report: its data (json), every item as CSV rows (csv) and, for
    people (table), at most ``limit`` items per institution (None: every item)."""

    width = WIDTH

    def __init__(self, report: OverdueReport, labels: Labels, *, limit: int | None) -> None:
        self.report = report
        self.labels = labels
        self.limit = limit

    @property
    def data(self) -> OverdueReport:
        return self.report

    def people(self) -> RenderableType:
        return overdue_renderable(self.report, self.labels, limit=self.limit)

    def text(self, fmt: Format) -> str:
        if fmt is Format.csv:
            from chainlead.render.csv_rows import csv_text

            return csv_text(OVERDUE_CSV_FIELDS, overdue_rows(self.report))
        return super().text(fmt)
