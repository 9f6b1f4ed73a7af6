"""The monthly report as the bulletin a district office circulates: an editable
Word document (``report monthly --docx FILE``).

Laid out as a 链长制 office writes its monthly bulletin (工作月报): the
masthead (district, title, issue, date, a red rule), then 一、总体情况 (the
month's figures written as sentences, and the chains at a glance as a table),
二、各产业链推进情况 (one part per chain: its leader, its meeting, its figures,
the items raised and resolved and how), 三、存在问题 (the red items, the climbs
up the supervision ladder, the institutions), 四、下步工作 (what the chain
leaders are asked to coordinate, what falls due, the meetings to hold).

Everything drawn here comes from ``domain.reports`` (plain data) and the words
from ``render.labels``; the page, fonts, tables and page numbers from
``render.docx_kit``. A list cut at the report's ``--limit`` says how many more
there are, in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from chainlead.domain.reports import ChainSection, Figure, ItemLine, MonthlyReport
from chainlead.domain.reports.model import RedLine
from chainlead.render import docx_kit as kit
from chainlead.render import report_scoreboard as sb
from chainlead.render.labels import Labels
from chainlead.render.levels import level_words
from chainlead.render.report import (
    fulfilment_words,
    has_actions,
    limit_counts,
    limit_words,
    number,
    percent,
    satisfaction_words,
    subtitle,
)

if TYPE_CHECKING:
    from docx.document import Document

CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (larger as digits)."""
    if n < 1 or n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    if not tens:
        return CN_DIGITS[ones]
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def issue_words(report: MonthlyReport, labels: Labels) -> str:
    """The issue line: the month's number in its year (第10期 for October)."""
    return labels("docx_issue", year=report.month[:4], n=int(report.month[5:7]))


def day_words(day: object, labels: Labels) -> str:
    """A date as a bulletin writes it: 2026年12月6日, or 2026-12-06."""
    from datetime import date

    assert isinstance(day, date)
    return labels("docx_date", day=day.isoformat(), year=day.year, mon=day.month, dom=day.day)


def monthly_docx(report: MonthlyReport, labels: Labels) -> bytes:
    """The monthly bulletin as a .docx file's bytes."""
    return Bulletin(report, labels).document()


class Bulletin:
    """One bulletin being written: the document, the report, its words."""

    def __init__(self, report: MonthlyReport, labels: Labels) -> None:
        self.report = report
        self.labels = labels
        self.zh = labels.lang == "zh"
        self.tables = 0
        self.doc: Document | None = None

    # ----------------------------------------------------------------- helpers

    @property
    def d(self) -> Document:
        assert self.doc is not None
        return self.doc

    def sub(self, section: int, n: int) -> str:
        return self.labels("docx_sub", section=section, n=n, cn=chinese_number(n))

    def month(self) -> str:
        return self.labels.month(self.report.month)

    def today_words(self) -> str:
        return day_words(self.report.today, self.labels)

    def joined(self, names: Sequence[str]) -> str:
        return self.labels("docx_list_sep").join(names)

    def caption(self, title: str) -> str:
        """A numbered table's caption: 表1  全区产业链一览表 / Table 1. District scoreboard."""
        self.tables += 1
        return self.labels("docx_table", n=self.tables, title=title)

    def lines(self, lines: Sequence[str], *, more: str | None = None) -> None:
        """Short numbered lines (1．… 2．…), and how many more were not listed."""
        mark = "．" if self.zh else ". "
        for n, line in enumerate(lines, start=1):
            kit.paragraph(self.d, f"{n}{mark}{line}", style=kit.SMALL)
        if more:
            kit.paragraph(self.d, more, style=kit.SMALL)

    def more(self, shown: int, total: int) -> str | None:
        if total <= shown:
            return None
        return self.labels("docx_more", n=total - shown, total=total)

    def colon(self, words: str) -> str:
        return words + ("：" if self.zh else ": ")

    def lead(self, words: str) -> None:
        kit.paragraph(self.d, "", lead=self.colon(words).rstrip(), indent=not self.zh)

    # ----------------------------------------------------------------- the whole

    def document(self) -> bytes:
        labels, report = self.labels, self.report
        header = " · ".join(p for p in (report.district, labels("docx_title"), self.month()) if p)
        self.doc = kit.new_document(
            lang=labels.lang,
            title=header,
            header=header,
            page_words=labels("docx_page"),
        )
        self.masthead()
        self.overview()
        self.chains()
        self.problems()
        self.next_steps()
        self.annex()
        return kit.to_bytes(self.d)

    def masthead(self) -> None:
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Cm, Pt

        labels, report = self.labels, self.report
        name = labels("docx_title")
        if report.district:
            name = labels("docx_title_of", district=report.district, title=name)
        kit.paragraph(self.d, name, style="Title")
        kit.paragraph(self.d, issue_words(report, labels), align="center", indent=False)
        issued = kit.paragraph(self.d, report.district, indent=False)
        issued.paragraph_format.tab_stops.add_tab_stop(
            Cm(kit.TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT
        )
        issued.add_run("\t" + day_words(report.today, labels))
        issued.paragraph_format.space_after = Pt(10)
        kit.rule_below(self.d)
        for line in subtitle(report, labels):
            kit.paragraph(self.d, line, style=kit.SMALL, indent=False)

    # ----------------------------------------------------------------- 一、总体情况

    def overview(self) -> None:
        labels, report = self.labels, self.report
        kit.heading(self.d, labels("docx_s1"), 1)
        figures = {f.key: f for f in report.overview}
        if figures:
            for sentence in self.overview_sentences(figures):
                kit.paragraph(self.d, sentence)
        elif report.chains:  # one chain: its own figures
            kit.paragraph(self.d, self.chain_figures(report.chains[0]))
        self.scoreboard()
        self.key_figures()

    def overview_sentences(self, figures: dict[str, Figure]) -> list[str]:
        labels = self.labels

        def value(key: str, which: str = "value") -> str:
            found = getattr(figures[key], which)
            if found is None:
                return "–"
            if key == "on_time_rate":
                return percent(found)
            if key == "median_days_to_resolve":
                return labels("days_value", n=number(found))
            return number(found)

        meetings = labels(
            "docx_meetings",
            month=self.month(),
            held=value("meetings_held"),
            expected=value("meetings_expected"),
        )
        missed = [c.name for c in self.report.chains if c.expected_meeting and not c.meeting_held]
        if missed:
            meetings += labels("docx_missed", names=self.joined(missed))
        flow = labels(
            "docx_flow",
            raised=value("raised"),
            raised_prev=value("raised", "previous"),
            resolved=value("resolved"),
            resolved_prev=value("resolved", "previous"),
            on_time=value("resolved_on_time"),
            late=value("resolved_late"),
            rate=value("on_time_rate"),
            rate_prev=value("on_time_rate", "previous"),
            dropped=value("dropped"),
            reopened=value("reopened"),
        )
        stock = labels(
            "docx_stock",
            open_at_start=value("open_at_start"),
            open_at_end=value("open_at_end"),
            overdue_at_end=value("overdue_at_end"),
            median=value("median_days_to_resolve"),
        )
        chains = self.report.chains
        now = labels(
            "docx_now",
            today=day_words(self.report.today, labels),
            open=sum(c.figures.open_now for c in chains),
            red=sum(c.figures.red_now for c in chains),
            yellow=sum(c.figures.yellow_now for c in chains),
            green=sum(c.figures.green_now for c in chains),
            attention=sum(c.figures.attention_now for c in chains),
        )
        sentences = [meetings, flow, stock, now]
        board = self.report.scoreboard
        if board is not None:  # 办结率 of the year and since records began
            total = board.total
            sentences.append(
                labels(
                    "docx_done",
                    year=board.year_first.year,
                    rate=percent(total.done_year.rate),
                    resolved=total.done_year.resolved,
                    raised=total.done_year.raised,
                    rate_all=percent(total.done_all.rate),
                    escalated=total.escalated_now,
                )
            )
        return sentences

    def scoreboard(self) -> None:
        """Table 1, the district scoreboard (一览表): a row per chain and the total, in
        the words every form shares (``render.report_scoreboard``)."""
        labels, report = self.labels, self.report
        board = report.scoreboard
        if board is None or not board.rows:
            return
        rows = []
        for cells in sb.board_rows(board, labels):
            chain = cells.chain + (f"\n{cells.chain_note}" if cells.chain_note else "")
            leader = cells.leader + (f"\n{cells.leader_title}" if cells.leader_title else "")
            rows.append([chain, leader, *cells.cells])
        spec = kit.Table(
            headers=[labels(key) for key in sb.SCORE_COLUMNS],
            rows=rows,
            numeric=frozenset(range(3, len(sb.SCORE_COLUMNS))),
            keep=frozenset({2}),
            total=True,
            widest=12,
            size=9 if self.zh else None,  # 小五: twelve columns on a portrait page
        )
        caption = self.caption(labels("sb_title"))
        kit.table(self.d, spec, caption=caption, note=sb.scoreboard_base(report, labels))
        for line in (sb.missed_line(report, labels), labels("sb_note")):
            kit.paragraph(self.d, line, style=kit.SMALL, indent=False)

    def key_figures(self) -> None:
        """Table 2, the key figures the chains' meetings reported, summed over chains."""
        labels, report = self.labels, self.report
        if not report.key_figures:
            return
        spec = kit.Table(
            headers=sb.key_figure_headers(report, labels),
            rows=[sb.key_figure_cells(figure) for figure in report.key_figures],
            numeric=frozenset(range(2, len(sb.KEY_FIGURE_COLUMNS))),
            widest=20,
        )
        kit.table(self.d, spec, caption=self.caption(labels("kf_title")), note=labels("kf_base"))

    # ----------------------------------------------------------------- 二、各产业链推进情况

    def chains(self) -> None:
        kit.heading(self.d, self.labels("docx_s2"), 1)
        if not self.report.chains:
            kit.paragraph(self.d, self.labels("nothing"))
        for n, chain in enumerate(self.report.chains, start=1):
            self.chain(n, chain)

    def chain_figures(self, chain: ChainSection) -> str:
        f = chain.figures
        return self.labels(
            "docx_chain_figures",
            raised=f.raised,
            resolved=f.resolved,
            on_time=f.resolved_on_time,
            open=f.open_now,
            red=f.red_now,
            yellow=f.yellow_now,
            green=f.green_now,
            attention=f.attention_now,
        )

    def chain(self, n: int, chain: ChainSection) -> None:
        labels = self.labels
        name = f"{chain.name}（{chain.code}）" if self.zh else f"{chain.name} ({chain.code})"
        if chain.archived_on:
            name += " " + labels("archived", day=chain.archived_on.isoformat())
        kit.heading(self.d, self.sub(2, n) + name, 2)
        kit.paragraph(
            self.d,
            labels.count(
                "docx_chain_people",
                chain.team_size,
                leader=chain.leader or "–",
                responsible=chain.responsible or "–",
            ),
        )
        for meeting in chain.meetings:
            visit = meeting.kind == "visit"
            chair = ""
            if meeting.chair:
                chair = labels("docx_visit_chair" if visit else "docx_chair", chair=meeting.chair)
            text = labels(
                "docx_visit" if visit else "docx_meeting",
                kind=labels.kind(meeting.kind),
                key=meeting.key,
                day=day_words(meeting.held_on, labels),
                chair=chair,
            )
            if meeting.summary:
                text += (" " if not self.zh else "") + meeting.summary
            kit.paragraph(self.d, text)
            if meeting.decisions:
                self.lead(labels("decisions"))
                self.lines(meeting.decisions)
            if has_actions(meeting):  # the decisions made actions, and how far they went
                kit.paragraph(
                    self.d, fulfilment_words(meeting, labels), lead=self.colon(labels("fulfilment"))
                )
        if chain.expected_meeting and not chain.meeting_held:
            kit.paragraph(self.d, labels("docx_no_meeting", month=self.month()), bold=True)
        elif not chain.expected_meeting and not chain.meetings:
            kit.paragraph(self.d, labels("not_expected", month=self.month()))
        figures = self.chain_figures(chain)
        limits = limit_counts(chain, labels)
        if limits:
            figures += (
                (" " if not self.zh else "")
                + labels("extensions_row")
                + ("：" if self.zh else ": ")
                + limits
                + ("。" if self.zh else ".")
            )
        if chain.satisfaction.asked:
            figures += (
                (" " if not self.zh else "")
                + labels("satisfaction")
                + ("：" if self.zh else ": ")
                + satisfaction_words(chain.satisfaction, labels)
                + ("。" if self.zh else ".")
            )
        kit.paragraph(self.d, figures)
        if chain.raised:
            self.lead(labels("docx_raised"))
            self.lines(
                [self.raised_line(item) for item in chain.raised],
                more=self.more(len(chain.raised), chain.figures.raised),
            )
        if chain.resolved:
            self.lead(labels("docx_resolved"))
            rows = [
                [
                    r.key,
                    r.title,
                    r.unit,
                    r.resolved_on.isoformat(),
                    labels.light("on_time" if r.on_time else "late"),
                    r.how or "",
                ]
                for r in chain.resolved
            ]
            headers = [
                labels("key"),
                labels("item"),
                labels("unit"),
                labels("resolved_on"),
                labels("docx_on_time_col"),
                labels("how"),
            ]
            kit.table(
                self.d, kit.Table(headers=headers, rows=rows, keep=frozenset({0, 3, 4}), widest=24)
            )
            more = self.more(len(chain.resolved), chain.figures.resolved)
            if more:
                kit.paragraph(self.d, more, style=kit.SMALL)

    def raised_line(self, item: ItemLine) -> str:
        labels = self.labels
        details = [d for d in (item.enterprise, item.unit) if d]
        details.append(labels("docx_due_on", day=item.due_on.isoformat()))
        return labels(
            "docx_raised_line",
            key=item.key,
            title=item.title,
            details=labels("docx_sep").join(details),
        )

    # ----------------------------------------------------------------- 三、存在问题

    def problems(self) -> None:
        labels = self.labels
        kit.heading(self.d, labels("docx_s3"), 1)
        self.notes("problems")
        parts = [("docx_red_list", self.red_list), ("docx_escalations", self.escalations)]
        if self.report.ranking is not None:
            parts.append(("docx_ranking", self.ranking))
        for n, (heading, write) in enumerate(parts, start=1):
            kit.heading(self.d, self.sub(3, n) + labels(heading), 2)
            write()

    def red_list(self) -> None:
        """The red list (红灯清单), most days over first: the first ``RED_SHOWN`` here,
        every one of them in the annex when there are more."""
        labels, report = self.labels, self.report
        if not report.red_list:
            kit.paragraph(self.d, labels("red_none"))
            return
        shown, more = sb.red_shown(report)
        self.red_table(shown, caption=self.caption(labels("red_title")))
        if more:
            kit.paragraph(
                self.d,
                labels("docx_red_annex", n=more, total=len(report.red_list)),
                style=kit.SMALL,
                indent=False,
            )

    def red_table(self, lines: Sequence[RedLine], *, caption: str) -> None:
        labels = self.labels
        spec = kit.Table(
            headers=[labels(key) for key in sb.RED_COLUMNS],
            rows=[sb.red_cells(line, labels) for line in lines],
            numeric=frozenset({5}),
            keep=frozenset({0, 4}),
        )
        kit.table(self.d, spec, caption=caption, note=sb.red_base(self.report, labels))

    def annex(self) -> None:
        """附件: every red item, when the red list in 三 was cut."""
        labels, report = self.labels, self.report
        if len(report.red_list) <= len(sb.red_shown(report)[0]):
            return
        kit.heading(self.d, labels("docx_annex"), 1)
        kit.page_break_before(self.d)
        self.red_table(report.red_list, caption=labels("docx_annex_red"))

    def escalations(self) -> None:
        labels, report = self.labels, self.report
        if report.ladder:
            kit.paragraph(
                self.d, labels("docx_on_ladder", total=sum(row.total for row in report.ladder))
            )
        if not report.climbs:
            kit.paragraph(self.d, labels("ladder_no_climbs"))
            return
        english = not self.zh
        rows = []
        shown = report.climbs[: report.list_limit]
        for climb in shown:
            by = " + ".join(labels(f"ladder_{kind}") for kind in climb.by.split("+"))
            rows.append(
                [
                    climb.key,
                    climb.chain,
                    climb.on.isoformat(),
                    f"{climb.old} → {level_words(climb.new, english=english)}",
                    f"{by}: {climb.why}" if climb.why else by,
                ]
            )
        headers = [
            labels("key"),
            labels("chain"),
            labels("ladder_when"),
            labels("ladder_step"),
            labels("ladder_why"),
        ]
        spec = kit.Table(headers=headers, rows=rows, keep=frozenset({0, 1, 2, 3}), widest=24)
        kit.table(self.d, spec)
        more = self.more(len(shown), len(report.climbs))
        if more:
            kit.paragraph(self.d, more, style=kit.SMALL)

    def ranking(self) -> None:
        """The institutions ranked (责任单位排名), the rule written under the table."""
        labels, ranking = self.labels, self.report.ranking
        if ranking is None:
            return
        if not ranking.rows:
            kit.paragraph(self.d, labels("nothing"))
            return
        spec = kit.Table(
            headers=[labels(key) for key in sb.RANK_COLUMNS],
            rows=[sb.rank_cells(row) for row in ranking.rows],
            numeric=frozenset({0, *range(2, len(sb.RANK_COLUMNS))}),
            widest=30,
        )
        caption = self.caption(labels("rank_title"))
        kit.table(self.d, spec, caption=caption, note=sb.ranking_base(ranking, labels))
        kit.paragraph(self.d, labels("rank_rule"), style=kit.SMALL, indent=False)

    def notes(self, part: str) -> None:
        """The team's own paragraphs for a part (problems, next_steps), as written."""
        notes = self.report.notes
        for text in getattr(notes, part) if notes is not None else ():
            kit.paragraph(self.d, text)

    # ----------------------------------------------------------------- 四、下步工作

    def next_steps(self) -> None:
        labels, report = self.labels, self.report
        kit.heading(self.d, labels("docx_s4"), 1)
        self.notes("next_steps")
        n = 0
        attention = [c for c in report.chains if c.attention]
        n += 1
        kit.heading(self.d, self.sub(4, n) + labels("docx_attention"), 2)
        if not attention:
            kit.paragraph(self.d, labels("docx_nothing_pressing"))
        for chain in attention:
            leader = f"{chain.name}（{chain.leader}）" if chain.leader and self.zh else chain.name
            if chain.leader and not self.zh:
                leader = f"{chain.name} ({chain.leader})"
            self.lead(leader)
            self.lines(
                [self.attention_line(item) for item in chain.attention],
                more=self.more(len(chain.attention), chain.figures.attention_now),
            )
        soon = [
            (chain, item)
            for chain in report.chains
            for item in chain.open_items
            if item.light == "yellow"
        ]
        if soon:
            n += 1
            heading = labels("docx_due_soon", days=report.warning_days)
            kit.heading(self.d, self.sub(4, n) + heading, 2)
            soon.sort(key=lambda pair: (pair[1].due_on, pair[1].key))
            self.lines(
                [
                    labels(
                        "docx_due_soon_line",
                        key=item.key,
                        title=item.title,
                        chain=chain.name,
                        unit=item.unit,
                        day=item.due_on.isoformat(),
                    )
                    for chain, item in soon
                ]
            )
        missed = [c.name for c in report.chains if c.expected_meeting and not c.meeting_held]
        if missed:
            n += 1
            kit.heading(self.d, self.sub(4, n) + labels("docx_meet_next"), 2)
            kit.paragraph(
                self.d,
                labels("docx_meet_next_line", month=self.month(), names=self.joined(missed)),
            )

    def attention_line(self, item: ItemLine) -> str:
        labels = self.labels
        return labels(
            "docx_attention_line",
            key=item.key,
            title=item.title,
            status=labels.status(item.status),
            unit=item.unit,
            over=limit_words(item.days_over, labels, item.status),
        )
