"""The monthly report's supervision ladder (督办) section: on the terminal and in Markdown.

Open items per chain and level today, then the items that climbed in the month
(at most the report's ``list_limit``; ``--json`` carries them all).
"""

from __future__ import annotations

from rich import box
from rich.console import RenderableType
from rich.text import Text

from chainlead.domain.reports.model import ClimbLine, MonthlyReport
from chainlead.render.labels import Labels
from chainlead.render.levels import level_text, level_words
from chainlead.render.longtable import LongTable
from chainlead.vocabulary import LEVEL_MAX


def _headers(labels: Labels) -> list[str]:
    return [labels("chain")] + [level_words(n, english=False) for n in _levels()]


def _levels() -> range:
    return range(1, LEVEL_MAX + 1)


def _by(climb: ClimbLine, labels: Labels) -> str:
    return " + ".join(labels(f"ladder_{kind}") for kind in climb.by.split("+"))


def _more(report: MonthlyReport, shown: int, labels: Labels) -> str | None:
    if len(report.climbs) <= shown:
        return None
    command = f"chainlead report monthly --month {report.month} --json"
    return labels("more", n=len(report.climbs) - shown, command=command)


def ladder_renderables(report: MonthlyReport, labels: Labels) -> list[RenderableType]:
    """The section's tables for the terminal (after its heading)."""
    parts: list[RenderableType] = []
    if report.ladder:
        counts = LongTable(title=labels("ladder_open"), box=box.SIMPLE_HEAD, expand=True)
        for n, header in enumerate([*_headers(labels), labels("ladder_total")]):
            counts.add_column(header, justify="left" if n == 0 else "right")
        for row in report.ladder:
            counts.add_row(
                Text(row.chain),
                *(Text(str(c) if c else "–") for c in row.levels),
                Text(str(row.total), style="bold"),
            )
        parts.append(counts)
    else:
        parts.append(Text(labels("ladder_none")))
    heading = labels("ladder_climbs", month=labels.month(report.month))
    if not report.climbs:
        return [*parts, Text(""), Text(heading, style="italic"), Text(labels("ladder_no_climbs"))]
    climbs = LongTable(title=heading, box=box.SIMPLE_HEAD, expand=True)
    for header in ("key", "ladder_when", "ladder_step", "ladder_why"):
        climbs.add_column(labels(header), no_wrap=header != "ladder_why", ratio=None)
    shown = report.climbs[: report.list_limit]
    for climb in shown:
        step = Text(f"{climb.old} → ") + level_text(climb.new, english=labels.lang == "en")
        why = Text(f"{_by(climb, labels)}: {climb.why or ''}", overflow="fold")
        climbs.add_row(Text(climb.key), Text(climb.on.isoformat()), step, why)
    parts += [Text(""), climbs]
    more = _more(report, len(shown), labels)
    if more:
        parts.append(Text("  " + more, style="dim"))
    return parts


def ladder_markdown(report: MonthlyReport, labels: Labels) -> list[str]:
    """The section's lines in Markdown (after its heading)."""
    from chainlead.render.report_markdown import _table, md

    out: list[str] = []
    if report.ladder:
        rows = [
            [md(row.chain), *(str(c) if c else "–" for c in row.levels), str(row.total)]
            for row in report.ladder
        ]
        header = [*_headers(labels), labels("ladder_total")]
        out += [f"**{md(labels('ladder_open'))}**", ""]
        out += [_table(header, rows, right=tuple(range(1, LEVEL_MAX + 2))), ""]
    else:
        out += [md(labels("ladder_none")), ""]
    out += [f"**{md(labels('ladder_climbs', month=labels.month(report.month)))}**", ""]
    if not report.climbs:
        return [*out, md(labels("ladder_no_climbs")), ""]
    shown = report.climbs[: report.list_limit]
    rows = [
        [
            md(c.key),
            c.on.isoformat(),
            md(f"{c.old} → {level_words(c.new, english=labels.lang == 'en')}"),
            md(f"{_by(c, labels)}: {c.why or ''}"),
        ]
        for c in shown
    ]
    header = [labels(h) for h in ("key", "ladder_when", "ladder_step", "ladder_why")]
    out += [_table(header, rows), ""]
    more = _more(report, len(shown), labels)
    if more:
        out += [md(more), ""]
    return out
