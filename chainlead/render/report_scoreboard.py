"""The monthly report's first page and its lists as words: the district scoreboard
(一览表), the key figures' district totals, the red list (红灯清单), the
institution ranking (责任单位排名) and the team's notes.

The cells are words here, once, for every form (terminal, Markdown, HTML, and
the documents built on them); each table's heading names its time base: the
month "at month end (2026-10-31)" (or "to date" while it runs), or "now, on
2026-11-21".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.text import Text

from chainlead.domain.reports.model import (
    KeyFigure,
    MonthlyReport,
    Ranking,
    RankRow,
    RedLine,
    Scoreboard,
    ScoreRow,
)
from chainlead.render.labels import Labels
from chainlead.render.longtable import LongTable

RED_SHOWN = 20  # red items a document lists at most (the JSON report carries all)

# --------------------------------------------------------------------------- words


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.0f}%"


def month_base(report: MonthlyReport, labels: Labels) -> str:
    """The month's time base: "at month end (2026-10-31)", or "to date (…)" while it runs."""
    day = report.as_of.isoformat()
    if report.as_of < report.last_day:
        return labels("base_to_date", day=day)
    return labels("base_month_end", day=day)


def now_base(report: MonthlyReport, labels: Labels) -> str:
    return labels("base_now", day=report.today.isoformat())


def both_bases(report: MonthlyReport, labels: Labels) -> str:
    """A table with both: "month at month end (…); open work now, on …"."""
    return labels("base_both", month=month_base(report, labels), now=now_base(report, labels))


def scoreboard_base(report: MonthlyReport, labels: Labels) -> str:
    """The scoreboard's two time bases: the month's figures, and lights now."""
    return labels(
        "sb_base",
        month=labels.month(report.month),
        base=month_base(report, labels),
        now=now_base(report, labels),
    )


def board_title(report: MonthlyReport, labels: Labels) -> str:
    """ "District scoreboard", or the one chain's for a ``--chain`` report."""
    return labels("sb_title_chain" if report.chain else "sb_title")


def key_figures_title(report: MonthlyReport, labels: Labels) -> str:
    return labels("kf_title_chain" if report.chain else "kf_title")


def scoreboard_heading(report: MonthlyReport, labels: Labels) -> str:
    return f"{board_title(report, labels)} · {scoreboard_base(report, labels)}"


# The scoreboard's columns, in order (labels' keys); numbers from the third on.
SCORE_COLUMNS: tuple[str, ...] = (
    "sb_chain",
    "sb_leader",
    "sb_meeting",
    "sb_open_at_start",
    "sb_raised",
    "sb_resolved",
    "sb_done_year",
    "sb_done_all",
    "sb_on_time",
    "sb_lights",
    "sb_escalated",
    "sb_satisfaction",
)


# Where the terminal is too narrow even without the leader: the columns left
# out, in this order (the lights, the meeting and the month's flow stay).
NARROW_DROP = {"sb_satisfaction": 2, "sb_done_all": 3, "sb_escalated": 4, "sb_open_at_start": 5}


class ScoreCells(NamedTuple):
    """A scoreboard row as words: the chain and its leader (each a name and a second,
    smaller line), then the cells of ``SCORE_COLUMNS[2:]``."""

    chain: str
    chain_note: str  # the chain's name under its code; archived day
    leader: str
    leader_title: str
    cells: tuple[str, ...]
    missed: bool  # expected to meet and did not
    red: bool  # red items now


def meeting_word(row: ScoreRow, labels: Labels) -> str:
    if not row.expected_meeting:
        return labels("sb_not_due")
    return labels("sb_held" if row.meeting_held else "sb_missed")


def score_cells(row: ScoreRow, labels: Labels, *, total: bool = False) -> ScoreCells:
    """One chain's row (or, ``total``, the district's, without a meeting word) in words."""
    if total:
        chain, note, leader, title, meeting = labels("sb_total"), "", "", "", ""
    else:
        chain, note = row.code, row.name
        if row.archived_on:
            note += " · " + labels("sb_archived", day=row.archived_on.isoformat())
        leader, title = row.leader or "–", row.leader_title or ""
        meeting = meeting_word(row, labels)
    return ScoreCells(
        chain=chain,
        chain_note=note,
        leader=leader,
        leader_title=title,
        cells=(
            meeting,
            str(row.open_at_start),
            str(row.raised),
            str(row.resolved),
            percent(row.done_year.rate),
            percent(row.done_all.rate),
            percent(row.on_time_rate),
            f"{row.red_now} / {row.yellow_now} / {row.green_now}",
            str(row.escalated_now),
            percent(row.satisfaction.rate),
        ),
        missed=row.expected_meeting and not row.meeting_held and not total,
        red=row.red_now > 0,
    )


def total_meetings(board: Scoreboard) -> str:
    """The total row's meeting cell: held of expected, "6 / 8"."""
    expected = [r for r in board.rows if r.expected_meeting]
    return f"{sum(1 for r in expected if r.meeting_held)} / {len(expected)}"


def board_rows(board: Scoreboard, labels: Labels, *, total: bool = True) -> list[ScoreCells]:
    """Every chain's row, then (``total``) the district total, its meeting cell held /
    expected."""
    rows = [score_cells(r, labels) for r in board.rows]
    if not total:
        return rows
    total = score_cells(board.total, labels, total=True)
    rows.append(total._replace(cells=(total_meetings(board), *total.cells[1:])))
    return rows


def missed_line(report: MonthlyReport, labels: Labels) -> str:
    """The chains that missed the month's scheduling meeting, named."""
    board = report.scoreboard
    month = labels.month(report.month)
    if board is None or not board.missed:
        return labels("sb_missed_none", month=month)
    chains = labels("sb_list_sep").join(
        labels("sb_chain_name", name=c.name, code=c.code) for c in board.missed
    )
    return labels("sb_missed_line", month=month, chains=chains)


KEY_FIGURE_COLUMNS: tuple[str, ...] = (
    "figure",
    "kf_unit",
    "kf_this_month",
    "kf_last_month",
    "kf_year",
    "kf_last_year",
)


def key_figure_headers(report: MonthlyReport, labels: Labels) -> list[str]:
    return [
        labels(key, month=labels.month(report.month)) if key == "kf_this_month" else labels(key)
        for key in KEY_FIGURE_COLUMNS
    ]


def key_figure_cells(figure: KeyFigure) -> list[str]:
    def shown(value: str | None) -> str:
        return "–" if value is None else value

    return [
        figure.name,
        figure.unit or "",
        shown(figure.value),
        shown(figure.previous),
        shown(figure.year_to_date),
        shown(figure.last_year),
    ]


def key_figures_heading(labels: Labels, report: MonthlyReport | None = None) -> str:
    """The key figures' heading; a ``--chain`` report's (``report``) says "Key figures"."""
    title = labels("kf_title") if report is None else key_figures_title(report, labels)
    return f"{title} · {labels('kf_base')}"


def red_base(report: MonthlyReport, labels: Labels) -> str:
    """The red list's time base and size: "now, on 2026-11-21 · 4 items"."""
    return f"{now_base(report, labels)} · {labels.count('red_count', len(report.red_list))}"


def red_heading(report: MonthlyReport, labels: Labels) -> str:
    return f"{labels('red_title')} · {red_base(report, labels)}"


RED_COLUMNS: tuple[str, ...] = ("key", "item", "chain", "unit", "due", "red_days", "red_level")


def level_words(level: int, labels: Labels) -> str:
    """A supervision level: "3 letter 督办函" (zh: "3 督办函"), "–" for none."""
    if not level:
        return labels("red_no_level")
    from chainlead.render.levels import level_words as words

    return words(level, english=labels.lang == "en")


def red_cells(line: RedLine, labels: Labels) -> list[str]:
    return [
        line.key,
        line.title,
        labels("sb_chain_name", name=line.chain_name, code=line.chain),
        line.unit,
        line.due_on.isoformat(),
        str(line.days_over),
        level_words(line.level, labels),
    ]


def red_shown(report: MonthlyReport) -> tuple[Sequence[RedLine], int]:
    """The red items a document lists, and how many more there are."""
    shown = report.red_list[:RED_SHOWN]
    return shown, len(report.red_list) - len(shown)


def ranking_base(ranking: Ranking, labels: Labels) -> str:
    return labels("base_year", first=ranking.year_first.isoformat(), last=ranking.as_of.isoformat())


def ranking_heading(ranking: Ranking, labels: Labels) -> str:
    return f"{labels('rank_title')} · {ranking_base(ranking, labels)}"


RANK_COLUMNS: tuple[str, ...] = (
    "rank_rank",
    "institution",
    "rank_raised",
    "rank_resolved",
    "rank_done",
    "rank_made",
    "rank_on_time",
)


def rank_cells(row: RankRow) -> list[str]:
    return [
        str(row.rank),
        row.unit,
        str(row.done.raised),
        str(row.done.resolved),
        percent(row.done.rate),
        str(row.resolved_in_year),
        percent(row.on_time_rate),
    ]


# --------------------------------------------------------------------------- terminal


def _table(heading: str) -> LongTable:
    return LongTable(title=heading, box=box.SIMPLE_HEAD, expand=True)


def _data(value: str) -> Text:
    return Text(value, overflow="fold")


def _lines(text: str, style: str = "", *, indent: int = 0) -> LongTable:
    """A paragraph wrapped to the page by ``LongTable`` (drawn the same wherever printed)."""
    grid = LongTable.grid(padding=indent, pad_edge=bool(indent))
    grid.add_column()
    grid.add_row(Text(text, style=style))
    return grid


def _header_width(header: str) -> int:
    """A number column's header width: its longest word; a Chinese header wider than
    six cells over two lines (it has no spaces to wrap at)."""
    widest = max(cell_len(word) for word in header.split())
    if widest > 6 and not header.isascii():
        widest = -(-widest // 4) * 2  # half, rounded up to whole characters
    return widest


def scoreboard_renderables(report: MonthlyReport, labels: Labels) -> list[RenderableType]:
    """The scoreboard, the chains that missed their meeting, and the key figures."""
    board = report.scoreboard
    if board is None:
        return []
    rows = board_rows(board, labels, total=not report.chain)
    # Tight columns (one space apart): each number column as wide as its longest
    # header word or cell; the chain and its leader share what is left.
    table = LongTable(title=scoreboard_heading(report, labels), expand=True, padding=0)
    table.add_column(labels("sb_chain"), ratio=1, min_width=12)
    table.add_column(labels("sb_leader"), ratio=1, min_width=12, drop=1)  # (narrow: left out)
    for n, key in enumerate(SCORE_COLUMNS[2:]):
        header = labels(key)
        width = max([_header_width(header)] + [cell_len(r.cells[n]) for r in rows])
        table.add_column(header, justify="right", width=width, drop=NARROW_DROP.get(key))
    for cells in rows:
        chain = Text(cells.chain, style="bold", overflow="fold")
        if cells.chain_note:
            chain.append("\n").append(cells.chain_note, style="dim")
        leader = _data(cells.leader)
        if cells.leader_title:
            leader.append("\n").append(cells.leader_title, style="dim")
        numbers = [Text(c) for c in cells.cells]
        if cells.missed:
            numbers[0].stylize("bold red")
        if cells.red:
            numbers[7].stylize("red")
        table.add_row(chain, leader, *numbers)
    parts: list[RenderableType] = [table]
    parts.append(_lines(missed_line(report, labels), "bold red" if board.missed else ""))
    parts.append(_lines(labels("sb_note"), "dim"))
    parts.append(Text(""))
    figures = _table(key_figures_heading(labels, report))
    for n, header in enumerate(key_figure_headers(report, labels)):
        figures.add_column(header, justify="right" if n >= 2 else "left", ratio=2 if n == 0 else 1)
    for figure in report.key_figures:
        figures.add_row(*map(_data, key_figure_cells(figure)))
    if report.key_figures:
        parts.append(figures)
    else:
        parts.append(Text(key_figures_title(report, labels), style="bold"))
        parts.append(Text("  " + labels("kf_none", month=labels.month(report.month))))
    return parts


def red_list_renderables(report: MonthlyReport, labels: Labels) -> list[RenderableType]:
    """The red list, the most overdue first, cut at ``RED_SHOWN`` with how many more."""
    if not report.red_list:
        return [Text(red_heading(report, labels), style="bold"), Text("  " + labels("red_none"))]
    table = _table(red_heading(report, labels))
    table.add_column(labels("key"), no_wrap=True)
    table.add_column(labels("item") + " / " + labels("chain"), ratio=3)
    table.add_column(labels("unit"), ratio=2)
    table.add_column(labels("due"), no_wrap=True)
    table.add_column(labels("red_days"), justify="right", width=6)
    table.add_column(labels("red_level"), min_width=cell_len(labels("red_level")), ratio=1)
    shown, more = red_shown(report)
    for line in shown:
        key, item, chain, unit, due, days, level = red_cells(line, labels)
        what = _data(item)
        what.append("\n").append(chain, style="dim")
        table.add_row(Text(key), what, _data(unit), Text(due), Text(days, style="red"), Text(level))
    parts: list[RenderableType] = [table]
    if more:
        parts.append(_lines(labels("red_more", n=more), "dim", indent=2))
    return parts


def ranking_renderables(report: MonthlyReport, labels: Labels) -> list[RenderableType]:
    """The institution ranking with its rule under it (district reports)."""
    ranking = report.ranking
    if ranking is None:
        return []
    table = _table(ranking_heading(ranking, labels))
    rows = [rank_cells(row) for row in ranking.rows]
    for n, key in enumerate(RANK_COLUMNS):
        if n == 1:
            table.add_column(labels(key), ratio=1)
        else:
            width = max([_header_width(labels(key))] + [cell_len(r[n]) for r in rows])
            table.add_column(labels(key), justify="right", width=width)
    for cells in rows:
        table.add_row(*(_data(c) if n == 1 else Text(c) for n, c in enumerate(cells)))
    parts: list[RenderableType] = [table]
    if not ranking.rows:
        parts.append(Text("  " + labels("nothing")))
    parts.append(_lines(labels("rank_rule"), "dim"))
    return parts


def notes_renderables(report: MonthlyReport, labels: Labels) -> list[RenderableType]:
    """The team's 存在问题 and 下步工作, each paragraph as it was written."""
    notes = report.notes
    if notes is None:
        return []
    parts: list[RenderableType] = []
    for key, paragraphs in (
        ("notes_problems", notes.problems),
        ("notes_next_steps", notes.next_steps),
    ):
        parts.append(Text(labels(key), style="bold"))
        for paragraph in paragraphs or (labels("notes_none"),):
            parts.append(_lines(paragraph, indent=2))
        parts.append(Text(""))
    return parts


def front_page(report: MonthlyReport, labels: Labels) -> Group:
    """The scoreboard and key figures, then the red list: what the terminal shows first."""
    return Group(*scoreboard_renderables(report, labels), *red_list_renderables(report, labels))


# --------------------------------------------------------------------------- Markdown


def front_markdown(report: MonthlyReport, labels: Labels) -> list[str]:
    """The scoreboard, key figures and red list as Markdown (text escaped by ``md``)."""
    from chainlead.render.report_markdown import _table, md

    board = report.scoreboard
    if board is None:
        return []
    out = [f"## {md(scoreboard_heading(report, labels))}", ""]
    rows = []
    for cells in board_rows(board, labels, total=not report.chain):
        chain = f"**{md(cells.chain)}**" + (f" {md(cells.chain_note)}" if cells.chain_note else "")
        leader = md(cells.leader) + (f" · {md(cells.leader_title)}" if cells.leader_title else "")
        numbers = [md(c) for c in cells.cells]
        if cells.missed:
            numbers[0] = f"**{numbers[0]}**"
        rows.append([chain, leader, *numbers])
    headers = [labels(key) for key in SCORE_COLUMNS]
    out += [_table(headers, rows, right=range(3, len(headers))), ""]
    out += [md(missed_line(report, labels)), "", f"_{md(labels('sb_note'))}_", ""]
    out += [f"### {md(key_figures_heading(labels, report))}", ""]
    if report.key_figures:
        figures = [[md(c) for c in key_figure_cells(f)] for f in report.key_figures]
        out += [_table(key_figure_headers(report, labels), figures, right=(2, 3, 4, 5)), ""]
    else:
        out += [md(labels("kf_none", month=labels.month(report.month))), ""]
    out += [f"## {md(red_heading(report, labels))}", ""]
    if not report.red_list:
        return [*out, md(labels("red_none")), ""]
    shown, more = red_shown(report)
    red = [[md(c) for c in red_cells(line, labels)] for line in shown]
    out += [_table([labels(key) for key in RED_COLUMNS], red, right=(5,)), ""]
    if more:
        out += [md(labels("red_more", n=more)), ""]
    return out


def ranking_markdown(report: MonthlyReport, labels: Labels) -> list[str]:
    """The institution ranking and its rule, as Markdown."""
    from chainlead.render.report_markdown import _table, md

    ranking = report.ranking
    if ranking is None:
        return []
    out = [f"### {md(ranking_heading(ranking, labels))}", ""]
    if ranking.rows:
        rows = [[md(c) for c in rank_cells(r)] for r in ranking.rows]
        out += [_table([labels(k) for k in RANK_COLUMNS], rows, right=(0, 2, 3, 4, 5, 6)), ""]
    else:
        out += [md(labels("nothing")), ""]
    return [*out, f"_{md(labels('rank_rule'))}_", ""]


def notes_markdown(report: MonthlyReport, labels: Labels) -> list[str]:
    """The team's 存在问题 and 下步工作, each paragraph escaped."""
    from chainlead.render.report_markdown import md

    notes = report.notes
    if notes is None:
        return []
    out: list[str] = []
    for key, paragraphs in (
        ("notes_problems", notes.problems),
        ("notes_next_steps", notes.next_steps),
    ):
        out += [f"## {md(labels(key))}", ""]
        for paragraph in paragraphs or (labels("notes_none"),):
            out += [_block_safe(md(paragraph)), ""]
    return out


# What would start a block of its own at the head of a line: a heading, a list, a
# quote, a numbered item, a setext underline (backslash-escaped).
_BLOCK_MARK = re.compile(r"^([#>+=-])")
_NUMBERED = re.compile(r"^(\d+)([.)])")


def _block_safe(text: str) -> str:
    return _NUMBERED.sub(r"\1\\\2", _BLOCK_MARK.sub(r"\\\1", text))
