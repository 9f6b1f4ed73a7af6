"""The monthly report's chain projects section: terminal, Markdown and HTML.

One summary table (each chain's projects by type and light, investment planned
and done, the projects that turned red this month, and a district row of
totals), then each chain's projects with progress against plan and light. The
section's own labels are here, in English and Chinese.
"""

from __future__ import annotations

from rich import box
from rich.console import RenderableType
from rich.text import Text

from chainlead.domain.reports.model import LIST_LIMIT, MonthlyReport
from chainlead.domain.reports.projects import (
    Amount,
    ChainProjects,
    ProjectLine,
    ProjectsSection,
)
from chainlead.render.labels import Labels
from chainlead.render.longtable import LongTable
from chainlead.render.output import LIGHT_STYLES
from chainlead.vocabulary import PROJECT_TYPE_NAMES_ZH, PROJECT_TYPES


def _say(labels: Labels, name: str, **values: object) -> str:
    return labels(f"proj_{name}", **values)


def section_number(report: MonthlyReport) -> int:
    """The section's number: after the institutions and the supervision ladder."""
    number = 4 if report.chain else 5
    return number + 1 if (report.ladder or report.climbs) else number


def amounts(values: tuple[Amount, ...]) -> str:
    """Sums per unit: ``57 亿元 + 300 万元``, or ``–``."""
    return " + ".join(f"{a.value} {a.unit or ''}".rstrip() for a in values) or "–"


def _types(row: ChainProjects) -> str:
    counts = {t.type: t.projects for t in row.by_type}
    return " ".join(f"{PROJECT_TYPE_NAMES_ZH[t]}{counts[t]}" for t in PROJECT_TYPES if t in counts)


def _summary_headers(labels: Labels) -> list[str]:
    return [
        _say(labels, h)
        for h in (
            "chain",
            "count",
            "type",
            "red",
            "yellow",
            "green",
            "planned",
            "done",
            "turned_red",
        )
    ]


def _summary_cells(row: ChainProjects, labels: Labels) -> list[str]:
    name = f"{row.code} {row.name}" if row.code else _say(labels, "district")
    total = sum(t.projects for t in row.by_type)
    return [
        name,
        str(total),
        _types(row),
        str(row.red or "–"),
        str(row.yellow or "–"),
        str(row.green or "–"),
        amounts(row.investment),
        amounts(row.invested),
        ", ".join(row.turned_red) or "–",
    ]


def _project_headers(labels: Labels) -> list[str]:
    return [
        _say(labels, h) for h in ("key", "project", "type", "percent", "expected", "light", "why")
    ]


def _why(line: ProjectLine, labels: Labels) -> str:
    """Why a project has its light, in the report's language."""
    if line.status != "active":
        return ""
    if labels.lang != "zh":
        return line.why
    if line.reason == "milestone":
        return "节点逾期未完成"
    if line.reason == "idle":
        return "计划开工后长期未启动（进度0%）"
    gap = (line.expected or 0) - line.percent
    said = f"完成{line.percent}%，序时进度{line.expected}%"
    return f"落后{gap}个百分点：{said}" if gap > 0 else f"符合序时进度：{said}"


def _light_word(light: str, status: str, labels: Labels) -> str:
    if status in ("finished", "dropped"):
        return _say(labels, status)
    return labels.light(light)


# Most pressing first: turned red this month, red, yellow, then the rest.
_PRESSING = ("red", "yellow")


def _pressing(line: ProjectLine) -> int:
    if line.turned_red:
        return 0
    return 1 + _PRESSING.index(line.light) if line.light in _PRESSING else 1 + len(_PRESSING)


def listed(section: ChainProjects, limit: int = LIST_LIMIT) -> tuple[list[ProjectLine], int]:
    """A chain's projects as the report lists them: the most pressing first (in type
    order within), at most ``limit`` (the printed page's is shorter); and how many
    more were left out. A district of hundreds of projects a chain reads its red and
    yellow ones; the summary and the JSON count and carry them all."""
    ordered = sorted(section.projects, key=_pressing)  # stable: type order within
    return ordered[:limit], max(len(ordered) - limit, 0)


def _more(left: int, labels: Labels) -> str | None:
    return _say(labels, "more", n=left) if left else None


def _project_cells(
    section: ChainProjects, labels: Labels, limit: int = LIST_LIMIT
) -> list[tuple[list[str], str]]:
    rows = []
    for p in listed(section, limit)[0]:
        mark = " ▲" if p.turned_red else ""
        rows.append(
            (
                [
                    p.key,
                    p.title,
                    p.type_zh,
                    f"{p.percent}%",
                    "–" if p.expected is None else f"{p.expected}%",
                    _light_word(p.light, p.status, labels) + mark,
                    _why(p, labels),
                ],
                p.light,
            )
        )
    return rows


def projects_renderables(report: MonthlyReport, labels: Labels) -> list[RenderableType]:
    """The section's tables for the terminal (after its heading)."""
    section: ProjectsSection | None = report.projects
    if section is None:
        return []
    summary = LongTable(
        title=_say(labels, "summary", day=section.as_of.isoformat()),
        box=box.SIMPLE_HEAD,
        expand=True,
    )
    # The counts and sums keep their width, the chain is cut short (its own table
    # below names it whole); the types and the projects turned red wrap.
    for n, header in enumerate(_summary_headers(labels)):
        summary.add_column(
            header,
            justify="right" if n in (1, 3, 4, 5) else "left",
            no_wrap=n in (0, 1, 3, 4, 5, 6, 7),
            width=16 if n == 0 else None,
            min_width={2: 6, 8: 8}.get(n),
            drop={2: 1, 8: 2, 6: 3}.get(n),  # narrow: the types, turned red, planned
        )
    for row in section.chains:
        summary.add_row(*(Text(c) for c in _summary_cells(row, labels)))
    if not report.chain:
        summary.add_row(*(Text(c, style="bold") for c in _summary_cells(section.district, labels)))
    parts: list[RenderableType] = [summary]
    for chain in section.chains:
        table = LongTable(title=f"{chain.code} {chain.name}", box=box.SIMPLE_HEAD, expand=True)
        for n, header in enumerate(_project_headers(labels)):
            table.add_column(
                header,
                justify="right" if n in (3, 4) else "left",
                no_wrap=n in (0, 3, 4, 5),
                drop=1 if n == 2 else None,  # a narrow terminal: the type
            )
        for cells, light in _project_cells(chain, labels):
            styled = [Text(c, overflow="fold") for c in cells]
            styled[5] = Text(cells[5], style=LIGHT_STYLES.get(light, ""))
            table.add_row(*styled)
        parts += [Text(""), table]
        more = _more(listed(chain)[1], labels)
        if more:
            parts.append(Text("  " + more, style="dim"))
    if section.district.turned_red:
        parts.append(Text("  ▲ " + _say(labels, "turned_red"), style="dim"))
    return parts


def projects_markdown(report: MonthlyReport, labels: Labels) -> list[str]:
    """The section in Markdown, with its heading."""
    from chainlead.render.report_markdown import _table, md

    section = report.projects
    if section is None:
        return []
    out = [f"## {section_number(report)} {md(_say(labels, 'projects'))}", ""]
    out += [f"**{md(_say(labels, 'summary', day=section.as_of.isoformat()))}**", ""]
    rows = [[md(c) for c in _summary_cells(row, labels)] for row in section.chains]
    if not report.chain:
        rows.append([f"**{md(c)}**" for c in _summary_cells(section.district, labels)])
    out += [_table(_summary_headers(labels), rows, right=(1, 3, 4, 5)), ""]
    for chain in section.chains:
        out += [f"**{md(chain.code)} {md(chain.name)}**", ""]
        lines = [[md(c) for c in cells] for cells, _light in _project_cells(chain, labels)]
        out += [_table(_project_headers(labels), lines, right=(3, 4)), ""]
        more = _more(listed(chain)[1], labels)
        if more:
            out += [md(more), ""]
    if section.district.turned_red:
        out += [f"▲ {md(_say(labels, 'turned_red'))}", ""]
    return out


def projects_html(report: MonthlyReport, labels: Labels, limit: int = LIST_LIMIT) -> str:
    """The section in HTML (every value escaped), or ``''`` without projects; each
    chain lists at most ``limit`` projects (the printed page's list limit)."""
    from markupsafe import Markup, escape

    section = report.projects
    if section is None:
        return Markup("")

    def row(cells: list[str], tag: str = "td", right: tuple[int, ...] = ()) -> str:
        number = ' class="num"'
        return (
            "<tr>"
            + "".join(
                f"<{tag}{number if i in right else ''}>{escape(c)}</{tag}>"
                for i, c in enumerate(cells)
            )
            + "</tr>"
        )

    out = ['<section class="projects">']
    out.append(f"<h2>{section_number(report)} {escape(_say(labels, 'projects'))}</h2>")
    out.append(
        f"<table><caption>{escape(_say(labels, 'summary', day=section.as_of.isoformat()))}"
        "</caption><thead>" + row(_summary_headers(labels), "th", (1, 3, 4, 5)) + "</thead><tbody>"
    )
    for chain in section.chains:
        out.append(row(_summary_cells(chain, labels), right=(1, 3, 4, 5)))
    if not report.chain:
        out.append(row(_summary_cells(section.district, labels), right=(1, 3, 4, 5)))
    out.append("</tbody></table>")
    headers = _project_headers(labels)
    out.append('<table class="grouped"><thead>' + row(headers, "th", (3, 4)) + "</thead>")
    for chain in section.chains:  # one table, each chain's projects under a group row
        out.append(
            f'<tbody class="group"><tr class="group"><th colspan="{len(headers)}">'
            f"{escape(chain.code)} {escape(chain.name)}</th></tr>"
        )
        for cells, _light in _project_cells(chain, labels, limit):
            out.append(row(cells, right=(3, 4)))
        more = _more(listed(chain, limit)[1], labels)
        if more:
            out.append(f'<tr class="more"><td colspan="{len(headers)}">{escape(more)}</td></tr>')
        out.append("</tbody>")
    out.append("</table>")
    if section.district.turned_red:
        out.append(f'<p class="muted">▲ {escape(_say(labels, "turned_red"))}</p>')
    out.append("</section>")
    return Markup("\n".join(out))


def heading(labels: Labels) -> str:
    """The section's heading, without its number."""
    return _say(labels, "projects")
