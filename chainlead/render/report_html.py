"""The monthly report as one self-contained HTML page that prints on A4.

Written from the report data (not a terminal capture): real tables, a small
inline SVG chart, print CSS (A4 portrait, light background, each chain on a
new page, table headers repeated across pages). Nothing is fetched: no
scripts, no web fonts, no links; CJK text uses the fonts the reader's system
has, through a font-family stack. Everything from the database goes through
``esc`` (HTML-escaped, quotes included).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from chainlead.domain.reports import (
    ChainSection,
    ItemLine,
    MeetingLine,
    MonthlyReport,
    ResolvedLine,
    TrendMonth,
)
from chainlead.render.labels import Labels
from chainlead.render.report import (
    chain_counts,
    limit_words,
    meeting_title,
    more_line,
    overview_rows,
    subtitle,
    title,
)

FONTS = {
    "en": '"Helvetica Neue", Helvetica, Arial, "Noto Sans CJK SC", "Source Han Sans SC", '
    '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif',
    "zh": '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif',
}

CSS = """
@page { size: A4 portrait; margin: 14mm 13mm 15mm 13mm; }
* { box-sizing: border-box; }
html { background: #fff; color: #1b1f24; -webkit-print-color-adjust: exact;
  print-color-adjust: exact; }
body { margin: 0 auto; max-width: 184mm; font-family: FONTS; font-size: 9pt;
  line-height: 1.4; background: #fff; }
header.report { border-bottom: 2px solid #1f3a5f; padding-bottom: 3mm; margin-bottom: 4mm; }
header.report h1 { font-size: 17pt; margin: 0 0 1mm 0; color: #1f3a5f; }
header.report p { margin: 0; color: #555; font-size: 9pt; }
h2 { font-size: 12.5pt; color: #1f3a5f; margin: 6mm 0 2mm 0; padding-bottom: 1mm;
  border-bottom: 1px solid #c9d3e0; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 4mm 0 1.5mm 0; break-after: avoid; }
h4 { font-size: 9.5pt; margin: 3mm 0 1mm 0; break-after: avoid; }
p { margin: 1mm 0; }
.muted { color: #666; }
.small { font-size: 8.5pt; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 2mm 0; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: 0.9mm 1.5mm;
  border-bottom: 0.3mm solid #dde3ea; overflow-wrap: anywhere; }
th { background: #eef2f7; font-weight: 600; font-size: 8pt; color: #2b3440;
  white-space: nowrap; }
table.trend { font-size: 7.8pt; } table.trend td:first-child { white-space: nowrap; }
.sub { display: block; color: #666; font-size: 8pt; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
td.indent { padding-left: 6mm; color: #444; }
.good { color: #1b7a33; } .bad { color: #b00020; }
.light { white-space: nowrap; font-weight: 600; }
.light::before { content: "\\25CF\\00A0"; }
.light.red { color: #b00020; } .light.yellow { color: #a86b00; }
.light.green, .light.on_time { color: #1b7a33; } .light.late { color: #b00020; }
.light.none { color: #888; font-weight: 400; } .light.none::before { content: "\\25CB\\00A0"; }
section.chain { break-before: page; }
section.units { break-before: page; }
.chain-head { display: flex; justify-content: space-between; align-items: baseline;
  border-bottom: 2px solid #1f3a5f; margin-bottom: 2mm; break-after: avoid; }
.chain-head h2 { border: none; margin: 0; padding: 0; }
.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr max-content 1fr;
  gap: 0.5mm 3mm; margin: 1mm 0 2mm 0; }
.facts dt { font-weight: 600; color: #2b3440; } .facts dd { margin: 0; }
.counts { background: #f5f7fa; border: 0.3mm solid #dde3ea; padding: 1.5mm 2.5mm;
  border-radius: 1mm; font-size: 8.8pt; }
.missing { color: #b00020; font-weight: 600; border-left: 1mm solid #b00020;
  padding-left: 2mm; }
.meeting { border-left: 1mm solid #c9d3e0; padding-left: 3mm; margin: 2mm 0; }
.meeting ol { margin: 0.5mm 0 1mm 5mm; padding: 0; }
.how { white-space: pre-wrap; }
.more { color: #555; font-size: 8.5pt; }
figure.chart { margin: 1mm 0 2mm 0; }
figure.chart svg { width: 100%; height: auto; display: block; }
.legend span { margin-right: 5mm; font-size: 8.5pt; }
.legend i { display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm;
  vertical-align: -0.3mm; }
@media screen { body { padding: 10mm 0; } section.chain, section.units {
  border-top: 1px dashed #bbb; margin-top: 10mm; padding-top: 4mm; } }
"""

COLOURS = {"raised": "#2f5d9e", "resolved": "#2e8b57", "open": "#9a4f96"}


def esc(value: object) -> str:
    """Text from the database (or anywhere) made safe inside HTML."""
    return escape("" if value is None else str(value), quote=True)


class HtmlExporter:
    """A whole HTML document for printing on A4."""

    def render(self, report: MonthlyReport, labels: Labels) -> str:
        lang = "zh-CN" if labels.lang == "zh" else "en"
        parts = [
            "<!DOCTYPE html>",
            f'<html lang="{lang}">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{esc(title(report, labels))}</title>",
            "<style>" + CSS.replace("FONTS", FONTS[labels.lang]) + "</style>",
            "</head>",
            "<body>",
            '<header class="report">',
            f"<h1>{esc(title(report, labels))}</h1>",
        ]
        parts += [f"<p>{esc(line)}</p>" for line in subtitle(report, labels)]
        parts.append("</header>")
        if report.overview:
            parts += [f"<h2>1 {esc(labels('overview'))}</h2>", _overview(report, labels)]
        parts += [f"<h2>2 {esc(labels('trend'))}</h2>", _trend(report.trend, labels)]
        if not report.chains:
            parts += [f"<h2>3 {esc(labels('chains'))}</h2>", f"<p>{esc(labels('nothing'))}</p>"]
        for chain in report.chains:
            parts.append(_chain(report, chain, labels))
        if not report.chain:
            parts.append('<section class="units">')
            parts.append(f"<h2>4 {esc(labels('units'))}</h2>")
            parts.append(_units(report, labels))
            parts.append("</section>")
        parts += ["</body>", "</html>", ""]
        return "\n".join(parts)


def _light(value: str, labels: Labels) -> str:
    return f'<span class="light {esc(value)}">{esc(labels.light(value))}</span>'


def _overview(report: MonthlyReport, labels: Labels) -> str:
    rows = [
        "<table>",
        "<thead><tr>"
        f"<th>{esc(labels('figure'))}</th>"
        f'<th class="num">{esc(labels("this_month"))}</th>'
        f'<th class="num">{esc(labels("last_month"))}</th>'
        f'<th class="num">{esc(labels("change"))}</th>'
        "</tr></thead><tbody>",
    ]
    for row in overview_rows(report, labels):
        label_class = ' class="indent"' if row.indent else ""
        value = esc(row.value) if row.indent else f"<strong>{esc(row.value)}</strong>"
        rows.append(
            f"<tr><td{label_class}>{esc(row.label)}</td>"
            f'<td class="num">{value}</td>'
            f'<td class="num">{esc(row.previous)}</td>'
            f'<td class="num {row.tone}">{esc(row.change)}</td></tr>'
        )
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _trend(trend: Sequence[TrendMonth], labels: Labels) -> str:
    """Raised and resolved as paired bars, open at month end as a line, and the numbers."""
    width, height, left, bottom, top = 700, 190, 34, 28, 12
    plot_w, plot_h = width - left - 34, height - bottom - top
    flow_top = max([t.raised for t in trend] + [t.resolved for t in trend] + [1])
    open_top = max([t.open_at_end for t in trend] + [1])
    step = plot_w / max(len(trend), 1)
    bar = step * 0.32
    svg = [
        f'<svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{esc(labels("trend"))}" font-size="10" '
        'font-family="inherit">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#999" stroke-width="1"/>',
    ]
    for fraction in (0.5, 1.0):
        y = top + plot_h * (1 - fraction)
        svg.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            'stroke="#e3e7ec" stroke-width="1"/>'
        )
        svg.append(
            f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end" fill="#666">'
            f"{_tick(flow_top * fraction)}</text>"
        )
        svg.append(
            f'<text x="{left + plot_w + 4}" y="{y + 3:.1f}" fill="{COLOURS["open"]}">'
            f"{_tick(open_top * fraction)}</text>"
        )
    points = []
    for index, month in enumerate(trend):
        x = left + step * index + step / 2
        for offset, value, colour in (
            (-bar, month.raised, COLOURS["raised"]),
            (0, month.resolved, COLOURS["resolved"]),
        ):
            h = plot_h * value / flow_top
            svg.append(
                f'<rect x="{x + offset:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
        points.append((x, top + plot_h * (1 - month.open_at_end / open_top)))
        svg.append(
            f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle" fill="#444">'
            f"{esc(month.month[2:])}</text>"
        )
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    svg.append(
        f'<polyline points="{path}" fill="none" stroke="{COLOURS["open"]}" stroke-width="2"/>'
    )
    for x, y in points:
        svg.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{COLOURS["open"]}"/>')
    svg.append("</svg>")
    legend = "".join(
        f'<span><i style="background:{COLOURS[key]}"></i>{esc(labels(name))}</span>'
        for key, name in (
            ("raised", "trend_raised"),
            ("resolved", "trend_resolved"),
            ("open", "trend_open"),
        )
    )
    table = [
        '<table class="trend"><thead><tr>',
        f"<th>{esc(labels('month'))}</th>",
        *(f'<th class="num">{esc(m.month)}</th>' for m in trend),
        "</tr></thead><tbody>",
    ]
    for key, name in (
        ("raised", "trend_raised"),
        ("resolved", "trend_resolved"),
        ("open_at_end", "trend_open"),
    ):
        table.append(f"<tr><td>{esc(labels(name))}</td>")
        table += [f'<td class="num">{getattr(m, key)}</td>' for m in trend]
        table.append("</tr>")
    table.append("</tbody></table>")
    return (
        '<figure class="chart">'
        + "".join(svg)
        + f'<figcaption class="legend">{legend}</figcaption></figure>'
        + "".join(table)
    )


def _tick(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _more(report: MonthlyReport, chain: ChainSection, kind: str, shown: int, labels: Labels) -> str:
    line = more_line(report, chain, kind, shown, labels)
    return f'<p class="more">{esc(line)}</p>' if line else ""


def _items(
    report: MonthlyReport,
    chain: ChainSection,
    kind: str,
    heading: str,
    rows: Sequence[ItemLine],
    labels: Labels,
    *,
    dates: str,
) -> str:
    out = [f"<h4>{esc(heading)}</h4>"]
    if not rows:
        out.append(f'<p class="muted">{esc(labels("nothing"))}</p>')
        return "\n".join(out)
    date_label = labels("raised_on") if dates == "raised" else labels("due")
    out.append(
        "<table><thead><tr>"
        f"<th>{esc(labels('light'))}</th><th>{esc(labels('key'))}</th>"
        f"<th>{esc(labels('item'))} / {esc(labels('unit'))}</th>"
        f"<th>{esc(labels('status'))}</th><th>{esc(date_label)}</th>"
        f'<th class="num">{esc(labels("time_limit"))}</th>'
        "</tr></thead><tbody>"
    )
    for row in rows:
        what = esc(row.title)
        if row.enterprise:
            what += f' <span class="muted">({esc(row.enterprise)})</span>'
        what += f'<span class="sub">{esc(row.unit)}</span>'
        day = row.raised_on if dates == "raised" else row.due_on
        limit = limit_words(row.days_over, labels, row.status)
        limit_class = "num bad" if row.light == "red" else "num"
        out.append(
            f"<tr><td>{_light(row.light, labels)}</td>"
            f'<td class="nowrap">{esc(row.key)}</td>'
            f"<td>{what}</td>"
            f'<td class="nowrap">{esc(labels.status(row.status))}</td>'
            f'<td class="nowrap">{esc(day.isoformat())}</td>'
            f'<td class="{limit_class}">{esc(limit)}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append(_more(report, chain, kind, len(rows), labels))
    return "\n".join(out)


def _resolved(
    report: MonthlyReport, chain: ChainSection, rows: Sequence[ResolvedLine], labels: Labels
) -> str:
    out = [f"<h4>{esc(labels('items_resolved'))}</h4>"]
    if not rows:
        out.append(f'<p class="muted">{esc(labels("nothing"))}</p>')
        return "\n".join(out)
    out.append(
        "<table><thead><tr>"
        f"<th>{esc(labels('key'))}</th><th>{esc(labels('item'))}</th>"
        f"<th>{esc(labels('resolved_on'))}</th><th>{esc(labels('light'))}</th>"
        f'<th class="num">{esc(labels("days"))}</th><th>{esc(labels("how"))}</th>'
        "</tr></thead><tbody>"
    )
    for row in rows:
        what = f'{esc(row.title)}<span class="sub">{esc(row.unit)}</span>'
        if row.status not in ("resolved", "closed"):
            now = labels("now_status", status=labels.status(row.status))
            what += f'<span class="sub bad">{esc(now)}</span>'
        light = "on_time" if row.on_time else "late"
        out.append(
            f'<tr><td class="nowrap">{esc(row.key)}</td><td>{what}</td>'
            f'<td class="nowrap">{esc(row.resolved_on.isoformat())}</td>'
            f"<td>{_light(light, labels)}</td>"
            f'<td class="num">{row.days_to_resolve}</td>'
            f'<td class="how">{esc(row.how)}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append(_more(report, chain, "resolved", len(rows), labels))
    return "\n".join(out)


def _meeting(meeting: MeetingLine, labels: Labels) -> str:
    out = ['<div class="meeting">', f"<h4>{esc(meeting_title(meeting, labels))}</h4>"]
    facts = []
    if meeting.chair:
        facts.append((labels("chair"), meeting.chair))
    if meeting.attendees:
        facts.append((labels("attendees"), "、".join(meeting.attendees)))
    for label, value in facts:
        out.append(f"<p><strong>{esc(label)}</strong>&nbsp; {esc(value)}</p>")
    if meeting.summary:
        out.append(
            f"<p><strong>{esc(labels('summary'))}</strong>&nbsp; "
            f'<span class="how">{esc(meeting.summary)}</span></p>'
        )
    if meeting.decisions:
        out.append(f"<p><strong>{esc(labels('decisions'))}</strong></p><ol>")
        out += [f"<li>{esc(decision)}</li>" for decision in meeting.decisions]
        out.append("</ol>")
    if meeting.figures:
        out.append(
            '<table class="small"><thead><tr>'
            f"<th>{esc(labels('key_figures'))}</th>"
            f'<th class="num">{esc(labels("value"))}</th>'
            f'<th class="num">{esc(labels("last_month"))}</th>'
            f'<th class="num">{esc(labels("change"))}</th></tr></thead><tbody>'
        )
        for figure in meeting.figures:
            value = figure.value + (f" {figure.unit}" if figure.unit else "")
            out.append(
                f'<tr><td>{esc(figure.name)}</td><td class="num">{esc(value)}</td>'
                f'<td class="num">{esc(figure.previous or "")}</td>'
                f'<td class="num">{esc(figure.change or "")}</td></tr>'
            )
        out.append("</tbody></table>")
    out.append("</div>")
    return "\n".join(out)


def _chain(report: MonthlyReport, chain: ChainSection, labels: Labels) -> str:
    archived = ""
    if chain.archived_on:
        when = labels("archived", day=chain.archived_on.isoformat())
        archived = f' <span class="muted small">{esc(when)}</span>'
    out = [
        '<section class="chain">',
        '<div class="chain-head">',
        f"<h2>{esc(chain.code)}&nbsp; {esc(chain.name)}{archived}</h2>",
        f"<div>{_light(chain.light, labels)}</div>",
        "</div>",
        '<dl class="facts">',
        f"<dt>{esc(labels('chain_leader'))}</dt><dd>{esc(chain.leader or '–')}</dd>",
        f"<dt>{esc(labels('responsible'))}</dt><dd>{esc(chain.responsible or '–')}</dd>",
        f"<dt>{esc(labels('team'))}</dt><dd>{esc(labels('team_size', n=chain.team_size))}</dd>",
        "</dl>",
    ]
    month_counts, now_counts = chain_counts(chain, labels)
    out.append(
        f'<p class="counts"><strong>{esc(labels("this_month"))}</strong>&nbsp; '
        f"{esc(month_counts)}<br><strong>{esc(labels('now'))}</strong>&nbsp; "
        f"{esc(now_counts)}</p>"
    )
    month = labels.month(report.month)
    if chain.expected_meeting and not chain.meeting_held:
        out.append(f'<p class="missing">{esc(labels("no_meeting", month=month))}</p>')
    elif not chain.expected_meeting and not chain.meetings:
        out.append(f'<p class="muted">{esc(labels("not_expected", month=month))}</p>')
    out += [_meeting(meeting, labels) for meeting in chain.meetings]
    out.append(
        _items(
            report, chain, "raised", labels("items_raised"), chain.raised, labels, dates="raised"
        )
    )
    out.append(_resolved(report, chain, chain.resolved, labels))
    out.append(
        _items(report, chain, "open", labels("items_open"), chain.open_items, labels, dates="due")
    )
    out.append(
        _items(
            report,
            chain,
            "attention",
            labels("items_attention", days=report.escalation_days),
            chain.attention,
            labels,
            dates="due",
        )
    )
    out.append("</section>")
    return "\n".join(out)


def _units(report: MonthlyReport, labels: Labels) -> str:
    if not report.units:
        return f'<p class="muted">{esc(labels("nothing"))}</p>'
    out = [
        "<table><thead><tr>"
        f"<th>{esc(labels('institution'))}</th>"
        f'<th class="num">{esc(labels("open_now"))}</th>'
        f'<th class="num">{esc(labels("resolved_month"))}</th>'
        f'<th class="num">{esc(labels("on_time"))}</th>'
        f'<th class="num">{esc(labels("overdue_now"))}</th>'
        f'<th class="num">{esc(labels("longest_overdue"))}</th>'
        "</tr></thead><tbody>"
    ]
    for unit in report.units:
        rate = "–" if unit.on_time_rate is None else f"{unit.on_time_rate * 100:.0f}%"
        longest = ""
        if unit.longest_overdue_days:
            longest = (
                f"{esc(labels('days_value', n=unit.longest_overdue_days))} "
                f'<span class="muted">{esc(unit.longest_overdue_key)}</span>'
            )
        overdue_class = "num bad" if unit.overdue_now else "num"
        out.append(
            f'<tr><td>{esc(unit.unit)}</td><td class="num">{unit.open_now}</td>'
            f'<td class="num">{unit.resolved}</td><td class="num">{rate}</td>'
            f'<td class="{overdue_class}"><strong>{unit.overdue_now}</strong></td>'
            f'<td class="num">{longest}</td></tr>'
        )
    out.append("</tbody></table>")
    return "\n".join(out)
