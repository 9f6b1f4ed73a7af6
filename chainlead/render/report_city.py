"""The city report (``chainlead report city``): one row per district, ranked, with
the city's total and each district's trend; for people (rich), Markdown, an A4
HTML page and its PDF. The data (``--json``) is ``domain.reports.city.CityReport``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from rich.console import Group, RenderableType
from rich.text import Text

from chainlead.domain.reports.city import CityReport, DistrictRow
from chainlead.i18n import _, pgettext
from chainlead.render.formats import Format
from chainlead.render.output import Document, list_table
from chainlead.render.report_markdown import md

SPARKS = "▁▂▃▄▅▆▇█"
TREND_SHOWN = 6  # months of each district's trend drawn in its row


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def spark(values: Sequence[int]) -> str:
    """``values`` as a line of bars, the largest full height (none: empty)."""
    top = max(values, default=0)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[round(v / top * (len(SPARKS) - 1))] for v in values)


def _trend(row: DistrictRow) -> str:
    shown = row.trend[-TREND_SHOWN:]
    return spark([m.resolved for m in shown]) + (f" {shown[-1].open_at_end}" if shown else "")


def _headers() -> list[str]:
    return [
        pgettext("city report", "Rank"),
        pgettext("city report", "District"),
        pgettext("city report", "Chains"),
        pgettext("city report", "Meetings held"),
        pgettext("city report", "New"),
        pgettext("city report", "Resolved"),
        pgettext("city report", "办结率 (year)"),
        pgettext("city report", "On time"),
        pgettext("city report", "Red now"),
        pgettext("city report", "Satisfaction"),
        pgettext("city report", "Level ≥3"),
        pgettext("city report", "Trend"),
    ]


def _cells(row: DistrictRow) -> list[str]:
    name = f"{row.name} ({row.code})" if row.code else _("City total")
    return [
        str(row.rank) if row.rank is not None else "",
        name,
        str(row.chains),
        f"{row.meetings_held}/{row.meetings_expected}",
        str(row.raised),
        str(row.resolved),
        _percent(row.done.rate),
        _percent(row.on_time_rate),
        str(row.red_now),
        _percent(row.satisfaction.rate),
        str(row.escalated_high),
        _trend(row),
    ]


RIGHT = {0, 2, 3, 4, 5, 6, 7, 8, 9, 10}
# Left out on a narrow screen, lowest first: the counts the rates are made of.
SCREEN_DROPS = {2: 1, 4: 2, 3: 3}


def _trend_months(report: CityReport) -> list[str]:
    """The months of the trend table: the city's last ``TREND_SHOWN`` trend months."""
    return [m.month for m in report.total.trend[-TREND_SHOWN:]]


def _trend_title() -> str:
    return _("Each district's trend: items resolved in the month (open at its end)")


def _trend_rows(report: CityReport) -> list[list[str]]:
    """One row per district (ranked), then the city: its name, then each month's
    resolved items with those open at the month's end, or empty before its records."""
    months = _trend_months(report)
    rows = []
    for row in (*report.rows, report.total):
        by_month = {m.month: m for m in row.trend}
        name = f"{row.name} ({row.code})" if row.code else _("City total")
        cells = [
            f"{by_month[m].resolved} ({by_month[m].open_at_end})" if m in by_month else ""
            for m in months
        ]
        rows.append([name, *cells])
    return rows


def _title(report: CityReport) -> str:
    return _("City report: the districts compared, {month}").format(month=report.month)


def _note(report: CityReport) -> str:
    return _(
        "Ranked by 办结率 (year to date), then on-time rate, then satisfaction. The month's "
        "figures run to {as_of}; red items and escalations are as of {today}; the trend is "
        "the resolved items of the last {months} months, then the items open at the end."
    ).format(as_of=report.as_of.isoformat(), today=report.today.isoformat(), months=TREND_SHOWN)


def city_renderable(report: CityReport) -> RenderableType:
    """The ranking and, under it, the trend by month, laid out as every list is
    (``render.longtable``: headers fold, figures never), so that both fit 80
    columns; on a screen the trend is that second table, not a column."""
    shown = len(_headers()) - 1
    table = list_table(_title(report))
    for number, header in enumerate(_headers()[:shown]):
        table.add_column(
            header,
            justify="right" if number in RIGHT else "left",
            no_wrap=number != 1,  # a district's name folds, figures never
            drop=SCREEN_DROPS.get(number),
        )
    for row in report.rows:
        table.add_row(*(Text(c) for c in _cells(row)[:shown]))
    table.add_row(*(Text(c, style="bold") for c in _cells(report.total)[:shown]))
    trend = list_table(_trend_title())
    trend.add_column(pgettext("city report", "District"))
    for month in _trend_months(report):
        trend.add_column(month, justify="right", no_wrap=True)
    for cells in _trend_rows(report):
        trend.add_row(*(Text(c) for c in cells))
    return Group(table, Text(_note(report), style="dim"), Text(""), trend)


def city_markdown(report: CityReport) -> str:
    headers = _headers()
    lines = [f"# {md(_title(report))}", "", f"_{md(_note(report))}_", ""]
    lines.append("| " + " | ".join(md(h) for h in headers) + " |")
    lines.append("|" + "|".join("---:" if n in RIGHT else "---" for n in range(len(headers))) + "|")
    for row in report.rows:
        lines.append("| " + " | ".join(md(c) for c in _cells(row)) + " |")
    lines.append(
        "| " + " | ".join(f"**{md(c)}**" if c else "" for c in _cells(report.total)) + " |"
    )
    months = _trend_months(report)
    lines += ["", f"## {md(_trend_title())}", ""]
    lines.append("| " + " | ".join([md(pgettext("city report", "District")), *months]) + " |")
    lines.append("|---|" + "---:|" * len(months))
    for cells in _trend_rows(report):
        lines.append("| " + " | ".join(md(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


STYLE = """
@page { size: A4 landscape; margin: 14mm 12mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
       font-size: 10.5pt; color: #111; }
h1 { font-size: 16pt; margin: 0 0 4mm; }
h2 { font-size: 12pt; margin: 6mm 0 3mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: 1.5mm 2mm; }
th { background: #eee; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 700; background: #f6f6f6; }
td.trend { font-family: monospace; white-space: nowrap; }
p.note { color: #444; font-size: 9pt; }
"""


def city_html(report: CityReport, lang: str) -> str:
    headers = "".join(f"<th>{escape(h)}</th>" for h in _headers())

    def line(row: DistrictRow, css: str = "") -> str:
        cells = []
        for number, value in enumerate(_cells(row)):
            kind = "trend" if number == len(_headers()) - 1 else "n" if number in RIGHT else ""
            cells.append(f'<td class="{kind}">{escape(value)}</td>')
        return f'<tr class="{css}">{"".join(cells)}</tr>'

    body = "".join(line(row) for row in report.rows) + line(report.total, "total")
    months = _trend_months(report)
    trend_head = "".join(
        f"<th>{escape(h)}</th>" for h in (pgettext("city report", "District"), *months)
    )
    trend_rows = _trend_rows(report)
    last = len(trend_rows) - 1
    trend_body = "".join(
        f'<tr class="{"total" if number == last else ""}"><td>{escape(cells[0])}</td>'
        + "".join(f'<td class="n">{escape(c)}</td>' for c in cells[1:])
        + "</tr>"
        for number, cells in enumerate(trend_rows)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(_title(report))}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(_title(report))}</h1>"
        f"<table><thead><tr>{headers}</tr></thead><tbody>{body}</tbody></table>"
        f'<p class="note">{escape(_note(report))}</p>'
        f"<h2>{escape(_trend_title())}</h2>"
        f"<table><thead><tr>{trend_head}</tr></thead><tbody>{trend_body}</tbody></table>"
        "</body></html>\n"
    )


class CityView(Document):
    """The city report in each of its forms."""

    width = 140

    def __init__(self, report: CityReport, lang: str) -> None:
        self.report = report
        self.lang = lang

    @property
    def data(self) -> CityReport:
        return self.report

    def people(self) -> RenderableType:
        return city_renderable(self.report)

    def text(self, fmt: Format) -> str:
        if fmt is Format.markdown:
            return city_markdown(self.report)
        if fmt is Format.html:
            return city_html(self.report, self.lang)
        return super().text(fmt)

    def binary(self, fmt: Format) -> bytes:
        if fmt is Format.pdf:
            from chainlead.render.pdf import pdf_from_html

            return pdf_from_html(city_html(self.report, self.lang))
        return super().binary(fmt)
