"""``report monthly --xlsx``: the monthly report as a workbook (``render.xlsx`` draws it).

Sheets, in order: the district scoreboard (一览表, with the total row and the
chains that missed their scheduling meeting), the red list (红灯清单), one
ledger (台账) per chain -- every item open now and every item resolved in the
month, whatever the report's ``--limit`` -- then the institutions
(责任单位督办情况), their ranking (责任单位排名, the rule under the table) and
the key figures' district totals, each when the report has them.

The chain ledgers list what the report's lists hold: the CLI counts the
report for the workbook with no list limit (``EVERY_ITEM``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from chainlead.render.report_scoreboard import (
    key_figures_heading,
    key_figures_title,
    meeting_word,
    missed_line,
    ranking_heading,
    red_heading,
    scoreboard_heading,
)
from chainlead.render.xlsx import Heading, Kind, Sheet, SheetColumn, capital, workbook_bytes

if TYPE_CHECKING:
    from chainlead.domain.reports.model import (
        ChainSection,
        KeyFigure,
        MonthlyReport,
        Ranking,
        Scoreboard,
        ScoreRow,
    )
    from chainlead.render.labels import Labels

# The list limit a report counted for the workbook is given: every item.


def monthly_workbook(report: MonthlyReport, labels: Labels) -> bytes:
    """The monthly report's workbook, as the bytes of an .xlsx file."""
    heading = Heading(
        district=report.district,
        title=f"{labels('monthly_title')} {labels.month(report.month)}",
        exported=labels("prepared", today=report.today.isoformat()),
        labels=labels,
    )
    sheets: list[Sheet] = []
    if report.scoreboard is not None:
        sheets.append(scoreboard_sheet(report, report.scoreboard, labels))
    sheets.append(red_list_sheet(report, labels))
    sheets += [chain_sheet(section, report, labels) for section in report.chains]
    if report.units:
        sheets.append(units_sheet(report, labels))
    if report.ranking is not None:
        sheets.append(ranking_sheet(report.ranking, labels))
    if report.key_figures:
        sheets.append(key_figures_sheet(report.key_figures, report, labels))
    return workbook_bytes(sheets, heading)


def _leader(row: ScoreRow) -> str | None:
    if row.leader and row.leader_title:
        return f"{row.leader}（{row.leader_title}）"
    return row.leader


def _score_values(row: ScoreRow) -> tuple[Any, ...]:
    return (
        row.open_at_start,
        row.raised,
        row.resolved,
        row.resolved_on_time,
        row.on_time_rate,
        row.done_year.rate,
        row.done_all.rate,
        row.red_now,
        row.yellow_now,
        row.green_now,
        row.escalated_now,
        row.satisfaction.rate,
    )


def scoreboard_sheet(report: MonthlyReport, board: Scoreboard, labels: Labels) -> Sheet:
    """一览表: one row per chain, the district total under them; the title names
    both time bases (the month's figures, the lights now), as the other forms do."""
    columns = (
        SheetColumn(labels("sb_chain")),
        SheetColumn(labels("xlsx_chain_name")),
        SheetColumn(labels("sb_leader")),
        SheetColumn(labels("sb_meeting")),
        SheetColumn(labels("sb_open_at_start"), Kind.number),
        SheetColumn(labels("sb_raised"), Kind.number),
        SheetColumn(labels("sb_resolved"), Kind.number),
        SheetColumn(labels("xlsx_on_time_count"), Kind.number),
        SheetColumn(labels("sb_on_time"), Kind.rate),
        SheetColumn(labels("sb_done_year"), Kind.rate),
        SheetColumn(labels("sb_done_all"), Kind.rate),
        *(
            SheetColumn(capital(labels.light(light)), Kind.number)
            for light in ("red", "yellow", "green")
        ),
        SheetColumn(labels("sb_escalated"), Kind.number),
        SheetColumn(labels("sb_satisfaction"), Kind.rate),
    )
    rows = [
        (row.code, row.name, _leader(row), meeting_word(row, labels), *_score_values(row))
        for row in board.rows
    ]
    # A one-chain report has the chain's row alone, no district total.
    total = (
        None
        if report.chain
        else (labels("sb_total"), None, None, None, *_score_values(board.total))
    )
    return Sheet(
        labels("xlsx_scoreboard"),
        scoreboard_heading(report, labels),
        columns,
        rows,
        total,
        notes=(missed_line(report, labels), labels("sb_note")),
    )


def red_list_sheet(report: MonthlyReport, labels: Labels) -> Sheet:
    """红灯清单: every item red today, the most days over first."""
    columns = (
        SheetColumn(labels("key")),
        SheetColumn(labels("item"), Kind.wrap),
        SheetColumn(labels("chain")),
        SheetColumn(labels("xlsx_chain_name")),
        SheetColumn(labels("unit"), Kind.wrap),
        SheetColumn(labels("owner")),
        SheetColumn(labels("status")),
        SheetColumn(labels("due"), Kind.date),
        SheetColumn(labels("red_days"), Kind.number),
        SheetColumn(labels("red_level"), Kind.number),
    )
    rows = [
        (
            line.key,
            line.title,
            line.chain,
            line.chain_name,
            line.unit,
            line.owner,
            labels.status(line.status),
            line.due_on,
            line.days_over,
            line.level or None,
        )
        for line in report.red_list
    ]
    return Sheet(labels("red_title"), red_heading(report, labels), columns, rows)


def chain_columns(labels: Labels) -> tuple[SheetColumn, ...]:
    return (
        SheetColumn(labels("key")),
        SheetColumn(labels("item"), Kind.wrap),
        SheetColumn(labels("light"), Kind.light),
        SheetColumn(labels("status")),
        SheetColumn(labels("xlsx_priority")),
        SheetColumn(labels("enterprise"), Kind.wrap),
        SheetColumn(labels("unit"), Kind.wrap),
        SheetColumn(labels("owner")),
        SheetColumn(labels("raised_on"), Kind.date),
        SheetColumn(labels("due"), Kind.date),
        SheetColumn(labels("xlsx_days_over"), Kind.number),
        SheetColumn(labels("resolved_on"), Kind.date),
        SheetColumn(labels("xlsx_days_to_resolve"), Kind.number),
        SheetColumn(labels("how"), Kind.wrap),
    )


def chain_sheet(section: ChainSection, report: MonthlyReport, labels: Labels) -> Sheet:
    """A chain's ledger: its items open now (red first, by time limit), then
    those resolved in the month and not open now, by resolution date. An item
    open now that was resolved in the month (reopened since) carries its
    resolution on its row."""
    resolved = {line.key: line for line in section.resolved}
    rows: list[tuple[Any, ...]] = []
    for item in section.open_items:
        done = resolved.pop(item.key, None)
        rows.append(
            (
                item.key,
                item.title,
                item.light,
                labels.status(item.status),
                labels(f"xlsx_priority_{item.priority}"),
                item.enterprise,
                item.unit,
                item.owner,
                item.raised_on,
                item.due_on,
                item.days_over,
                done.resolved_on if done else None,
                done.days_to_resolve if done else None,
                done.how if done else None,
            )
        )
    for line in section.resolved:
        if line.key not in resolved:
            continue
        rows.append(
            (
                line.key,
                line.title,
                "on_time" if line.on_time else "late",
                labels.status(line.status),
                None,
                line.enterprise,
                line.unit,
                line.owner,
                line.resolved_on - timedelta(days=line.days_to_resolve),
                line.due_on,
                (line.resolved_on - line.due_on).days,
                line.resolved_on,
                line.days_to_resolve,
                line.how,
            )
        )
    title = labels(
        "xlsx_chain_ledger", code=section.code, name=section.name, month=labels.month(report.month)
    )
    return Sheet(f"{section.code} {section.name}", title, chain_columns(labels), rows)


def units_sheet(report: MonthlyReport, labels: Labels) -> Sheet:
    """责任单位督办情况: each institution's month and open work now."""
    columns = (
        SheetColumn(labels("institution"), Kind.wrap),
        SheetColumn(labels("open_now"), Kind.number),
        SheetColumn(labels("resolved_month"), Kind.number),
        SheetColumn(labels("xlsx_on_time_count"), Kind.number),
        SheetColumn(labels("on_time_rate"), Kind.rate),
        SheetColumn(labels("overdue_now"), Kind.number),
        SheetColumn(labels("longest_overdue"), Kind.number),
        SheetColumn(labels("xlsx_longest_key")),
        SheetColumn(labels("extensions_col"), Kind.number),
        SheetColumn(labels("days_added"), Kind.number),
        SheetColumn(labels("on_time_original"), Kind.rate),
        SheetColumn(labels("satisfaction"), Kind.rate),
    )
    rows = [
        (
            row.unit,
            row.open_now,
            row.resolved,
            row.resolved_on_time,
            row.on_time_rate,
            row.overdue_now,
            row.longest_overdue_days,
            row.longest_overdue_key,
            row.extensions,
            row.days_added,
            row.on_time_original_rate,
            row.satisfaction.rate,
        )
        for row in report.units
    ]
    return Sheet(labels("units"), labels("units"), columns, rows)


def ranking_sheet(ranking: Ranking, labels: Labels) -> Sheet:
    """责任单位排名, with the rule written under the table."""
    columns = (
        SheetColumn(labels("rank_rank"), Kind.number),
        SheetColumn(labels("institution"), Kind.wrap),
        SheetColumn(labels("rank_raised"), Kind.number),
        SheetColumn(labels("rank_resolved"), Kind.number),
        SheetColumn(labels("rank_done"), Kind.rate),
        SheetColumn(labels("rank_made"), Kind.number),
        SheetColumn(labels("xlsx_on_time_count"), Kind.number),
        SheetColumn(labels("rank_on_time"), Kind.rate),
        SheetColumn(labels("open_now"), Kind.number),
        SheetColumn(labels("overdue_now"), Kind.number),
    )
    rows = [
        (
            row.rank,
            row.unit,
            row.done.raised,
            row.done.resolved,
            row.done.rate,
            row.resolved_in_year,
            row.resolved_on_time,
            row.on_time_rate,
            row.open_now,
            row.overdue_now,
        )
        for row in ranking.rows
    ]
    return Sheet(
        labels("rank_title"),
        ranking_heading(ranking, labels),
        columns,
        rows,
        notes=(labels("rank_rule"),),
    )


def _number(text: str | None) -> float | int | str | None:
    """A figure's exact decimal text as a number cell (text when it is not one)."""
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    if not value.is_finite():
        return text
    return int(value) if value == value.to_integral_value() else float(value)


def key_figures_sheet(figures: Sequence[KeyFigure], report: MonthlyReport, labels: Labels) -> Sheet:
    """The meetings' key figures summed over the chains, as numbers."""
    columns = (
        SheetColumn(labels("figure_name"), Kind.wrap),
        SheetColumn(labels("kf_unit")),
        SheetColumn(labels("kf_this_month", month=labels.month(report.month)), Kind.number),
        SheetColumn(labels("kf_last_month"), Kind.number),
        SheetColumn(labels("kf_year"), Kind.number),
        SheetColumn(labels("kf_last_year"), Kind.number),
        SheetColumn(labels("kf_chains"), Kind.number),
    )
    rows = [
        (
            figure.name,
            figure.unit,
            _number(figure.value),
            _number(figure.previous),
            _number(figure.year_to_date),
            _number(figure.last_year),
            figure.chains,
        )
        for figure in figures
    ]
    title = key_figures_title(report, labels)
    return Sheet(title, key_figures_heading(labels, report), columns, rows)
