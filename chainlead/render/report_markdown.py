"""The monthly report as Markdown (for wikis, mail and version control).

Headings, pipe tables and lists written from the report data. Text from the
database goes through ``md`` so that it stays literal: Markdown and HTML
punctuation that works inside a line is backslash-escaped, ``&``, ``<`` and
``>`` become entities, and line breaks become ``<br>`` (so nothing starts a
line of its own: no heading, list or quote can be smuggled in).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from chainlead.domain.reports import ChainSection, ItemLine, MonthlyReport, ResolvedLine
from chainlead.render.chain_map import map_summary_rows
from chainlead.render.labels import Labels
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

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(value: object) -> str:
    """Text shown literally in Markdown, also inside a table cell."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return "<br>".join(line.strip() for line in text.splitlines()) if "\n" in text else text


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    lines = ["| " + " | ".join(md(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


class MarkdownExporter:
    def render(self, report: MonthlyReport, labels: Labels) -> str:
        out = [f"# {md(title(report, labels))}", ""]
        out += [f"_{md(line)}_  " for line in subtitle(report, labels)]
        out.append("")
        from chainlead.render import report_scoreboard as board  # page one, ranking, notes

        out += board.front_markdown(report, labels)
        month_base = md(" · " + board.month_base(report, labels))
        if report.overview:
            out += [f"## 1 {md(labels('overview'))}{month_base}", ""]
            rows = [
                [
                    ("&nbsp;&nbsp;&nbsp;&nbsp;" if row.indent else "") + md(row.label),
                    md(row.value) if row.indent else f"**{md(row.value)}**",
                    md(row.previous),
                    md(row.change),
                ]
                for row in overview_rows(report, labels)
            ]
            header = [
                labels("figure"),
                labels("this_month"),
                labels("last_month"),
                labels("change"),
            ]
            out += [_table(header, rows, right=(1, 2, 3)), ""]
        out += [f"## 2 {md(labels('trend'))}{month_base}", ""]
        out.append(
            _table(
                [
                    labels("month"),
                    labels("trend_raised"),
                    labels("trend_resolved"),
                    labels("trend_open"),
                ],
                [
                    [md(t.month), str(t.raised), str(t.resolved), str(t.open_at_end)]
                    for t in report.trend
                ],
                right=(1, 2, 3),
            )
        )
        out += ["", f"## 3 {md(labels('chains'))}", ""]
        if not report.chains:
            out += [md(labels("nothing")), ""]
        for chain in report.chains:
            out += _chain(report, chain, labels)
        if not report.chain:
            out += [f"## 4 {md(labels('units'))} · {md(board.both_bases(report, labels))}", ""]
            if report.units:
                rows = [
                    [
                        md(u.unit),
                        str(u.open_now),
                        str(u.resolved),
                        "–" if u.on_time_rate is None else f"{u.on_time_rate * 100:.0f}%",
                        str(u.overdue_now),
                        (
                            f"{md(labels('days_value', n=u.longest_overdue_days))} "
                            f"{md(u.longest_overdue_key)}"
                            if u.longest_overdue_days
                            else ""
                        ),
                        percent(u.satisfaction.rate),
                    ]
                    for u in report.units
                ]
                header = [
                    labels("institution"),
                    labels("open_now"),
                    labels("resolved_month"),
                    labels("on_time"),
                    labels("overdue_now"),
                    labels("longest_overdue"),
                    labels("satisfaction"),
                ]
                out += [_table(header, rows, right=(1, 2, 3, 4, 5, 6)), ""]
                moved = limit_rows(report)
                if moved:
                    out += [f"**{md(labels('units_limits'))}**", ""]
                    out.append(
                        _table(
                            [labels(key) for key in LIMIT_HEADERS],
                            [[md(u.unit), *limit_cells(u)] for u in moved],
                            right=(1, 2, 3, 4),
                        )
                    )
                    out.append("")
            else:
                out += [md(labels("nothing")), ""]
            out += board.ranking_markdown(report, labels)
        from chainlead.render.report_ladder import ladder_markdown  # the supervision ladder

        if report.ladder or report.climbs:  # left out while nothing is on the ladder
            out += [f"## {4 if report.chain else 5} {md(labels('ladder'))}", ""]
            out += ladder_markdown(report, labels)
        from chainlead.render.report_projects import projects_markdown  # chain projects

        out += projects_markdown(report, labels)
        if report.targets is not None:  # annual targets (render.targets)
            from chainlead.render.targets import target_markdown

            out += target_markdown(report.targets, labels)
        out += board.notes_markdown(report, labels)  # the team's own text, at the end
        return "\n".join(out).rstrip() + "\n"


def _chain(report: MonthlyReport, chain: ChainSection, labels: Labels) -> list[str]:
    heading = f"### {md(chain.code)} {md(chain.name)} · {md(labels.light(chain.light))}"
    if chain.archived_on:
        heading += f" · {md(labels('archived', day=chain.archived_on.isoformat()))}"
    month_counts, now_counts = chain_counts(chain, labels)
    limits = limit_counts(chain, labels)
    out = [
        heading,
        "",
        f"- **{md(labels('chain_leader'))}**: {md(chain.leader or '–')}",
        f"- **{md(labels('responsible'))}**: {md(chain.responsible or '–')}",
        f"- **{md(labels('team'))}**: {md(labels.count('team_size', chain.team_size))}",
        "",
        f"- **{md(labels('this_month'))}**: {md(month_counts)}",
        f"- **{md(labels('now'))}**: {md(now_counts)}",
        *([f"- **{md(labels('extensions_row'))}**: {md(limits)}"] if limits else []),
        f"- **{md(labels('satisfaction'))}**: {md(satisfaction_words(chain.satisfaction, labels))}",
        *(  # the chain's map
            f"- **{md(label)}**: {md(words)}"
            for label, words in map_summary_rows(chain.chain_map, labels.lang)
        ),
        "",
    ]
    month = labels.month(report.month)
    if chain.expected_meeting and not chain.meeting_held:
        out += [f"**{md(labels('no_meeting', month=month))}**", ""]
    elif not chain.expected_meeting and not chain.meetings:
        out += [f"_{md(labels('not_expected', month=month))}_", ""]
    for meeting in chain.meetings:
        out += [f"#### {md(meeting_title(meeting, labels))}", ""]
        if meeting.chair:
            out.append(f"- **{md(labels('chair'))}**: {md(meeting.chair)}")
        if meeting.attendees:
            out.append(f"- **{md(labels('attendees'))}**: {md('、'.join(meeting.attendees))}")
        if meeting.summary:
            out.append(f"- **{md(labels('summary'))}**: {md(meeting.summary)}")
        if meeting.decisions and has_actions(meeting):
            out.append(f"- **{md(labels('decisions'))}**:")
            for decided in meeting.decision_actions:
                out.append(f"    {decided.number}. {md(decided.text)}")
                out += [f"        - {md(line)}" for line in action_lines(decided, labels)]
            out.append(f"- **{md(labels('fulfilment'))}**: {md(fulfilment_words(meeting, labels))}")
        elif meeting.decisions:
            out.append(f"- **{md(labels('decisions'))}**:")
            out += [f"    {i}. {md(d)}" for i, d in enumerate(meeting.decisions, start=1)]
        out.append("")
        if meeting.figures:
            rows = [
                [
                    md(x.name),
                    md(x.value + (f" {x.unit}" if x.unit else "")),
                    md(x.previous or ""),
                    md(x.change or ""),
                ]
                for x in meeting.figures
            ]
            header = [
                labels("key_figures"),
                labels("value"),
                labels("last_month"),
                labels("change"),
            ]
            out += [_table(header, rows, right=(1, 2, 3)), ""]
    out += _items(report, chain, "raised", labels("items_raised"), chain.raised, labels, "raised")
    out += _resolved(report, chain, chain.resolved, labels)
    out += _items(report, chain, "open", labels("items_open"), chain.open_items, labels, "due")
    out += _items(
        report,
        chain,
        "attention",
        labels("items_attention", days=report.escalation_days),
        chain.attention,
        labels,
        "due",
    )
    return out


def _more(
    report: MonthlyReport, chain: ChainSection, kind: str, shown: int, labels: Labels
) -> list[str]:
    line = more_line(report, chain, kind, shown, labels, annex=False)  # mailed: no command
    return [f"_{md(line)}_", ""] if line else []


def _items(
    report: MonthlyReport,
    chain: ChainSection,
    kind: str,
    heading: str,
    rows: Sequence[ItemLine],
    labels: Labels,
    dates: str,
) -> list[str]:
    out = [f"#### {md(heading)}", ""]
    if not rows:
        return out + [md(labels("nothing")), ""]
    header = [
        labels("light"),
        labels("key"),
        labels("item"),
        labels("unit"),
        labels("status"),
        labels("raised_on") if dates == "raised" else labels("due"),
        labels("time_limit"),
    ]
    table = []
    for row in rows:
        what = md(row.title) + (f" ({md(row.enterprise)})" if row.enterprise else "")
        day = row.raised_on if dates == "raised" else row.due_on
        table.append(
            [
                md(labels.light(row.light)),
                md(row.key),
                what,
                md(row.unit),
                md(labels.status(row.status)),
                day.isoformat(),
                md(limit_words(row.days_over, labels, row.status)),
            ]
        )
    return (
        out
        + [_table(header, table, right=(6,)), ""]
        + _more(report, chain, kind, len(rows), labels)
    )


def _resolved(
    report: MonthlyReport, chain: ChainSection, rows: Sequence[ResolvedLine], labels: Labels
) -> list[str]:
    out = [f"#### {md(labels('items_resolved'))}", ""]
    if not rows:
        return out + [md(labels("nothing")), ""]
    header = [
        labels("key"),
        labels("item"),
        labels("unit"),
        labels("resolved_on"),
        labels("light"),
        labels("days"),
        labels("how"),
    ]
    table = []
    for row in rows:
        what = md(row.title)
        if row.status not in ("resolved", "closed"):
            what += f" ({md(labels('now_status', status=labels.status(row.status)))})"
        table.append(
            [
                md(row.key),
                what,
                md(row.unit),
                row.resolved_on.isoformat(),
                md(labels.light("on_time" if row.on_time else "late")),
                str(row.days_to_resolve),
                md(row.how),
            ]
        )
    return (
        out
        + [_table(header, table, right=(5,)), ""]
        + _more(report, chain, "resolved", len(rows), labels)
    )
