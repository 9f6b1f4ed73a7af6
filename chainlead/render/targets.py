"""Annual targets for people: ``target show``'s card, ``target list``'s columns, and
the monthly report's targets section on the terminal, in Markdown and in HTML
(``templates/targets.html.j2``), in English or Chinese."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.text import Text

from chainlead.i18n import N_, _, current_lang
from chainlead.render.output import LIGHT_STYLES, Column, cell

if TYPE_CHECKING:
    from chainlead.domain.reports.targets import DistrictTarget, TargetSection
    from chainlead.domain.targets import ChainTargets, TargetProgress
    from chainlead.render.labels import Labels

# The section's own words, beside the report's (``render.labels``).
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Annual targets {year}",
        "as_of": "Year to date at {day}; expected by now: {expected}.",
        "rule": (
            "Expected = months completed ÷ 12. Light: green when done ≥ expected, yellow "
            "when behind by up to {points} points, red when behind by more."
        ),
        "sum_rule": (
            "sum: a monthly flow, the months' values summed (one a month: the latest "
            "meeting's); latest: a running total, the latest value of the year."
        ),
        "figure": "Figure",
        "counted": "Counted",
        "target": "Target",
        "ytd": "Year to date",
        "done": "Done",
        "expected": "Expected",
        "light": "Light",
        "chains": "Chains",
        "district": "District",
        "kind_sum": "monthly flow, summed",
        "kind_latest": "running total, latest",
        "kind": "Kind",
        "short_sum": "sum",
        "short_latest": "latest",
        "no_total": "no total",
        "units_differ": "{figure}: no district total, the chains' units differ ({values}).",
        "kinds_differ": "{figure}: no district total, the chains count it differently ({values}).",
        "left_out": "{n} value(s) in another unit left out",
    },
    "zh": {
        "title": "{year}年年度目标",
        "as_of": "截至{day}累计；序时进度{expected}。",
        "rule": (
            "序时进度 = 已过月数 ÷ 12。绿灯：完成进度不低于序时进度；黄灯：落后不超过"
            "{points}个百分点；红灯：落后更多。"
        ),
        "sum_rule": (
            "累加（sum）：月度流量，逐月相加（每月取当月最后一次会议的数值）；"
            "取最新（latest）：累计值，取年内最新一次会议的数值。"
        ),
        "figure": "指标",
        "counted": "计算方式",
        "target": "目标",
        "ytd": "年内累计",
        "done": "完成进度",
        "expected": "序时进度",
        "light": "亮灯",
        "chains": "产业链数",
        "district": "全区合计",
        "kind_sum": "月度流量，累加",
        "kind_latest": "累计值，取最新",
        "kind": "方式",
        "short_sum": "累加",
        "short_latest": "取最新",
        "no_total": "不合计",
        "units_differ": "{figure}：各产业链单位不一致（{values}），不作全区合计。",
        "kinds_differ": "{figure}：各产业链计算方式不一致（{values}），不作全区合计。",
        "left_out": "{n}个其他单位的数值未计入",
    },
}


def words(labels: Labels, name: str, /, **values: object) -> str:
    """The section's word ``name`` in the report's language."""
    text = WORDS[labels.lang][name]
    return text.format(**values) if values else text


def share(value: float | None) -> str:
    """A share as a percentage with one decimal: ``41.7%``; ``–`` for none."""
    return "–" if value is None else f"{value * 100:.1f}%"


def amount(value: str | None, unit: str | None) -> str:
    """A value with its unit: ``180 亿元``; ``–`` for none."""
    if value is None:
        return "–"
    return f"{value} {unit}" if unit else value


def _light(value: str) -> Text:
    from chainlead.render.labels import labels_for

    return Text(labels_for(current_lang()).light(value), style=LIGHT_STYLES.get(value, ""))


def _kind(kind: str) -> str:
    from chainlead.render.labels import labels_for

    return words(labels_for(current_lang()), f"short_{kind}")


def _share(value: float | None) -> Text:
    return Text(share(value))


TARGET_COLUMNS = (
    Column("chain", N_("Chain"), no_wrap=True),
    Column("year", N_("Year"), justify="right"),
    Column("figure", N_("Figure")),
    Column("kind", N_("Kind")),
    Column("counted", N_("Counted")),
    Column("target", N_("Target"), justify="right"),
    Column("unit", N_("Unit"), context="measure"),
    Column("year_to_date", N_("Year to date"), justify="right"),
    Column("done", N_("Done"), justify="right", draw=_share),
    Column("expected", N_("Expected"), justify="right", draw=_share),
    Column("light", N_("Light"), draw=_light),
    Column("as_of", N_("As of"), no_wrap=True),
)


def targets_table(rows: Sequence[TargetProgress]) -> RenderableType | None:
    """``target list`` for people: one line a target, and what its kind and light mean."""
    from rich.table import Table

    from chainlead.render.output import message

    if not rows:
        message(_("no targets"))
        return None
    table = Table(
        title=_("Targets"),
        title_justify="left",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    headers = (
        N_("Chain"),
        N_("Figure (kind)"),
        N_("Target"),
        N_("Year to date"),
        N_("Done"),
        N_("Expected"),
        N_("Light"),
    )
    for header in headers:
        right = header in ("Target", "Year to date", "Done", "Expected")
        table.add_column(
            _(header),
            justify="right" if right else "left",
            no_wrap=header in ("Chain", "Light"),
            min_width={"Figure (kind)": 14, "Light": 6}.get(header),
            overflow="fold",
        )
    for line in rows:
        table.add_row(
            Text(f"{line.chain} {line.year}"),
            Text(_("{figure} ({kind})").format(figure=line.figure, kind=_kind(line.kind))),
            Text(amount(line.target, line.unit)),
            Text(amount(line.year_to_date, line.unit)),
            _share(line.done),
            _share(line.expected),
            _light(line.light),
        )
    from chainlead.render.labels import labels_for

    labels = labels_for(current_lang())
    note = _("As of {day}.").format(day=rows[0].as_of.isoformat())
    for sentence in (words(labels, "sum_rule"), words(labels, "rule", points=_points())):
        note = _("{first} {then}").format(first=note, then=sentence)
    return Group(table, Text(note, style="dim"))


def _rows_table(lines: Sequence[TargetProgress], title: str) -> RenderableType:
    from rich.table import Table

    table = Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD)
    headers = (
        N_("Figure"),
        N_("Kind"),
        N_("Target"),
        N_("Year to date"),
        N_("Done"),
        N_("Expected"),
        N_("Light"),
    )
    for header in headers:
        right = header in ("Target", "Year to date", "Done", "Expected")
        table.add_column(
            _(header), justify="right" if right else "left", no_wrap=header != "Figure"
        )
    for line in lines:
        ytd = Text(amount(line.year_to_date, line.unit))
        if line.left_out:
            ytd.append(" " + _("({n} left out: another unit)").format(n=line.left_out), style="dim")
        table.add_row(
            cell(line.figure),
            Text(_kind(line.kind)),
            Text(amount(line.target, line.unit)),
            ytd,
            _share(line.done),
            _share(line.expected),
            _light(line.light),
        )
    return table


def targets_card(shown: ChainTargets) -> RenderableType:
    """``target show``: the chain's targets for the year, the rule, and each month counted."""
    heading = Text(f"{shown.chain}  ", style="bold")
    heading.append(shown.name)
    heading.append(
        "  "
        + _("targets {year}, as of {day}").format(year=shown.year, day=shown.as_of.isoformat()),
        style="dim",
    )
    if not shown.targets:
        hint = _(
            "no targets for {year}; set them with "
            "`chainlead target set {chain} {year} --figure NAME=NUMBER[:UNIT]`"
        ).format(year=shown.year, chain=shown.chain)
        return Group(heading, Text(hint))
    from chainlead.render.labels import labels_for

    labels = labels_for(current_lang())
    parts: list[RenderableType] = [heading, _rows_table(shown.targets, _("Targets"))]
    expected = _("Expected by now: {share}.").format(share=share(shown.expected))
    rule = words(labels, "rule", points=_points())
    parts.append(Text(_("{first} {then}").format(first=expected, then=rule), style="dim"))
    parts.append(Text(words(labels, "sum_rule"), style="dim"))
    parts.append(Text(_("Counted:"), style="bold"))
    for line in shown.targets:
        counted = ", ".join(f"{m.month} {m.value} ({m.meeting})" for m in line.months)
        what = _("  {figure} ({counted}): {months}").format(
            figure=line.figure,
            counted=words(labels, f"kind_{line.kind}"),
            months=counted or _("nothing recorded yet"),
        )
        parts.append(Text(what))
    return Group(*parts)


# --------------------------------------------------------------------------- the monthly report


def _district_cells(row: DistrictTarget, labels: Labels) -> list[str]:
    if not row.total:
        return [row.figure, str(row.chains), "–", words(labels, "no_total"), "–", "–", "–"]
    return [
        row.figure,
        str(row.chains),
        words(labels, f"short_{row.kind}"),
        amount(row.target, row.unit),
        amount(row.year_to_date, row.unit),
        share(row.done),
        share(row.expected),
    ]


def _target_cells(line: TargetProgress, labels: Labels) -> list[str]:
    ytd = amount(line.year_to_date, line.unit)
    if line.left_out:
        ytd += " (" + words(labels, "left_out", n=line.left_out) + ")"
    return [
        line.figure,
        words(labels, f"kind_{line.kind}"),
        amount(line.target, line.unit),
        ytd,
        share(line.done),
        share(line.expected),
    ]


def _no_totals(section: TargetSection, labels: Labels) -> list[str]:
    """Why a figure has no district total, one line each."""
    out = []
    for row in section.district:
        if row.total:
            continue
        if len(row.units) > 1:
            out.append(
                words(labels, "units_differ", figure=row.figure, values=", ".join(row.units))
            )
        else:
            kinds = ", ".join(words(labels, f"kind_{k}") for k in row.kinds)
            out.append(words(labels, "kinds_differ", figure=row.figure, values=kinds))
    return out


def _notes(section: TargetSection, labels: Labels) -> list[str]:
    return [
        words(labels, "as_of", day=section.as_of.isoformat(), expected=share(section.expected)),
        words(labels, "rule", points=_points()),
        words(labels, "sum_rule"),
    ]


def _points() -> int:
    from chainlead.domain.targets import YELLOW_POINTS

    return YELLOW_POINTS


_HEADERS = ("figure", "counted", "target", "ytd", "done", "expected", "light")
_DISTRICT_HEADERS = ("figure", "chains", "kind", "target", "ytd", "done", "expected", "light")
_RIGHT = {"target", "ytd", "done", "expected", "chains"}


def target_renderables(section: TargetSection, labels: Labels) -> list[RenderableType]:
    """The report's targets section on the terminal (and in the SVG)."""
    from chainlead.render.longtable import Heading, LongTable

    heading = Text(words(labels, "title", year=section.year), style="bold")
    parts: list[RenderableType] = [Heading(heading)]
    parts += [Text(line, style="dim") for line in _notes(section, labels)]

    def table(title: str, headers: Sequence[str]) -> LongTable:
        found = LongTable(title=title, box=box.SIMPLE_HEAD, expand=True)
        for name in headers:
            found.add_column(
                words(labels, name),
                justify="right" if name in _RIGHT else "left",
                no_wrap=name != "counted",
                ratio=None,
            )
        return found

    parts.append(Text(""))
    for chain in section.chains:
        rows = table(f"{chain.code}  {chain.name}", _HEADERS)
        for line in chain.targets:
            rows.add_row(
                *[Text(c, overflow="fold") for c in _target_cells(line, labels)],
                Text(labels.light(line.light), style=LIGHT_STYLES.get(line.light, "")),
            )
        parts.append(rows)
    if section.district:
        rows = table(words(labels, "district"), _DISTRICT_HEADERS)
        for row in section.district:
            rows.add_row(
                *[Text(c, overflow="fold") for c in _district_cells(row, labels)],
                Text(labels.light(row.light), style=LIGHT_STYLES.get(row.light, "")),
            )
        parts.append(rows)
        parts += [Text(line, style="dim") for line in _no_totals(section, labels)]
    return parts


def target_markdown(section: TargetSection, labels: Labels) -> list[str]:
    """The report's targets section in Markdown, as lines (a heading first)."""
    from chainlead.render.report_markdown import md

    def table(headers: Sequence[str], rows: list[list[str]]) -> list[str]:
        out = ["| " + " | ".join(md(words(labels, h)) for h in headers) + " |"]
        out.append("|" + "|".join("---:" if h in _RIGHT else "---" for h in headers) + "|")
        out += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
        return [*out, ""]

    out = [f"## {md(words(labels, 'title', year=section.year))}", ""]
    out += [f"_{md(line)}_  " for line in _notes(section, labels)]
    out.append("")
    for chain in section.chains:
        out += [f"**{md(chain.code)} {md(chain.name)}**", ""]
        rows = [[*_target_cells(t, labels), labels.light(t.light)] for t in chain.targets]
        out += table(_HEADERS, rows)
    if section.district:
        out += [f"**{md(words(labels, 'district'))}**", ""]
        rows = [[*_district_cells(r, labels), labels.light(r.light)] for r in section.district]
        out += table(_DISTRICT_HEADERS, rows)
        out += [f"_{md(line)}_  " for line in _no_totals(section, labels)]
    return out


class TargetHtml:
    """What ``templates/targets.html.j2`` reads: the section's words and cells."""

    def __init__(self, section: TargetSection, labels: Labels) -> None:
        self.section = section
        self.labels = labels
        self.title = words(labels, "title", year=section.year)
        self.notes = _notes(section, labels)
        self.headers = [words(labels, h) for h in _HEADERS]
        self.district_headers = [words(labels, h) for h in _DISTRICT_HEADERS]
        self.district_title = words(labels, "district")
        self.right = [h in _RIGHT for h in _HEADERS]
        self.district_right = [h in _RIGHT for h in _DISTRICT_HEADERS]
        self.no_totals = _no_totals(section, labels)

    def chain_rows(self, chain: object) -> list[tuple[list[str], str]]:
        return [(_target_cells(t, self.labels), t.light) for t in chain.targets]  # type: ignore[attr-defined]

    def district_rows(self) -> list[tuple[list[str], str]]:
        return [(_district_cells(r, self.labels), r.light) for r in self.section.district]


def target_html(section: TargetSection, labels: Labels) -> TargetHtml:
    """The section as the HTML template reads it."""
    return TargetHtml(section, labels)
