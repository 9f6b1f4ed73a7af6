"""The monthly report as one self-contained HTML page that prints on A4.

The page is one jinja2 template in the package (``templates/monthly.html.j2``)
rendered with autoescape on, so every value from the database is HTML-escaped
by default, quotes included; nothing marks text safe. This module only works
out values for it: the trend chart's geometry; the handout's masthead,
issuing block and running header come from ``chainlead.render.handout``.
Words come from the helpers in
``chainlead.render.report`` that the other forms share.

The printed page is a handout: a masthead (district, title, issue number 第N期,
issuing body and date), the district and month in the running header, "Page N
of M" at the foot (CSS ``@page`` margin boxes), each chain's name repeated on
its continuation pages (the chain is a table whose head repeats), lists cut at
``Handout.limit`` with "N more in the annex" and, with ``Handout.annex``, the
annex listing every item; an issuing block (编制 / 审核 / 签发) ends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

import jinja2

from chainlead.domain.reports import MonthlyReport, TrendMonth
from chainlead.render.chain_map import map_summary_rows
from chainlead.render.handout import Handout, css_string, handout_words, paper_limit
from chainlead.render.labels import Labels
from chainlead.render.levels import level_words
from chainlead.render.report import (
    LIMIT_HEADERS,
    action_lines,
    chain_counts,
    fulfilment_words,
    has_actions,
    limit_cells,
    limit_counts,
    limit_rows,
    limit_words,
    meeting_title,
    more_line,
    overview_rows,
    percent,
    satisfaction_words,
    subtitle,
    title,
)
from chainlead.render.report_projects import projects_html  # the chain projects
from chainlead.render.targets import target_html

TEMPLATE = "monthly.html.j2"


@dataclass(frozen=True)
class Gridline:
    """A level of the chart: its height and the tick on each axis."""

    y: float
    flow: str  # left axis: items raised or resolved in a month
    open: str  # right axis: items open at the month's end


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str  # raised or resolved
    # Resolved bars are drawn open with level stripes at these heights, so the two
    # series differ in greyscale and to colour-blind readers, not by colour alone.
    stripes: tuple[float, ...] = ()


@dataclass(frozen=True)
class Column:
    """One month of the chart: its two bars, its label, and its point on the line."""

    x: float
    label: str
    bars: tuple[Bar, ...]
    point: tuple[float, float]


@dataclass(frozen=True)
class TrendChart:
    """Where everything of the trend chart goes, in the SVG's own units."""

    width: int
    height: int
    left: int
    right: int
    base: int  # the x axis
    gridlines: tuple[Gridline, ...]
    columns: tuple[Column, ...]


def trend_chart(trend: Sequence[TrendMonth]) -> TrendChart:
    """Raised and resolved as paired bars on the left axis, open at month end as a
    line on the right axis, each axis scaled to its own largest value."""
    width, height, left, bottom, top = 700, 130, 44, 30, 18
    plot_w, plot_h = width - left - 44, height - bottom - top
    flow_top = max([t.raised for t in trend] + [t.resolved for t in trend] + [1])
    open_top = max([t.open_at_end for t in trend] + [1])
    step = plot_w / max(len(trend), 1)
    bar = step * 0.32

    def column(index: int, month: TrendMonth) -> Column:
        x = left + step * index + step / 2
        bars = []
        for offset, value, series in (
            (-bar, month.raised, "raised"),
            (0, month.resolved, "resolved"),
        ):
            h = plot_h * value / flow_top
            y = top + plot_h - h
            stripes = tuple(y + step for step in _steps(h)) if series == "resolved" else ()
            bars.append(Bar(x=x + offset, y=y, width=bar, height=h, series=series, stripes=stripes))
        point = (x, top + plot_h * (1 - month.open_at_end / open_top))
        return Column(x=x, label=month.month, bars=tuple(bars), point=point)

    return TrendChart(
        width=width,
        height=height,
        left=left,
        right=left + plot_w,
        base=top + plot_h,
        gridlines=tuple(
            Gridline(
                y=top + plot_h * (1 - fraction),
                flow=_tick(flow_top * fraction),
                open=_tick(open_top * fraction),
            )
            for fraction in (0.5, 1.0)
        ),
        columns=tuple(column(index, month) for index, month in enumerate(trend)),
    )


def _steps(height: float, gap: float = 3.0) -> list[float]:
    """Where the stripes of an open bar of ``height`` go, ``gap`` apart."""
    return [gap * n for n in range(1, int(height / gap))]


def _tick(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _fixed(value: float) -> str:
    """A coordinate with one decimal, as the SVG carries it."""
    return f"{value:.1f}"


@cache
def environment() -> jinja2.Environment:
    """The report templates, loaded from the package, with autoescape on."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("chainlead.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["fixed"] = _fixed
    env.filters["css"] = css_string  # text inside a CSS string (the running header)
    env.globals["level_words"] = level_words  # the supervision ladder
    env.globals["target_html"] = target_html  # annual targets (render.targets)
    env.globals["map_summary_rows"] = map_summary_rows  # the chains' maps
    env.globals["projects_html"] = projects_html  # the chain projects
    from chainlead.render import report_scoreboard  # page one, red list, ranking, notes

    env.globals["board"] = report_scoreboard
    env.globals.update(
        action_lines=action_lines,
        fulfilment_words=fulfilment_words,
        has_actions=has_actions,
        chain_counts=chain_counts,
        limit_cells=limit_cells,
        limit_rows=limit_rows,
        limit_counts=limit_counts,
        LIMIT_HEADERS=LIMIT_HEADERS,
        limit_words=limit_words,
        meeting_title=meeting_title,
        more_line=more_line,
        overview_rows=overview_rows,
        percent=percent,
        satisfaction_words=satisfaction_words,
        subtitle=subtitle,
        title=title,
    )
    return env


class HtmlExporter:
    """A whole HTML document for printing on A4: the handout."""

    def __init__(self, handout: Handout | None = None) -> None:
        self.handout = handout or Handout()

    def render(self, report: MonthlyReport, labels: Labels) -> str:
        template = environment().get_template(TEMPLATE)
        handout = replace(self.handout, limit=paper_limit(report, self.handout.limit))
        return template.render(
            report=report,
            labels=labels,
            chart=trend_chart(report.trend),
            handout=handout,
            limit=handout.limit,
            mast=handout_words(report, labels, handout),
        )
