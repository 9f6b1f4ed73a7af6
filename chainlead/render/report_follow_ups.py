"""``report follow-ups`` for people (80 columns) and as CSV: whom to call back."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from chainlead.domain.reports import FollowUpReport
from chainlead.render.formats import Format
from chainlead.render.labels import Labels
from chainlead.render.output import Document
from chainlead.render.report import _data, _joined, _table, _word

WIDTH = 80

# The CSV columns: one row per item, with the person to call.
CSV_FIELDS = (
    "person",
    "key",
    "chain",
    "title",
    "unit",
    "resolved_on",
    "days_since_resolved",
    "enterprises",
)


def follow_ups_renderable(report: FollowUpReport, labels: Labels) -> Group:
    """The late follow-ups, one table per person to call, longest waiting first."""
    heading = Text(labels("followups_title"), style="bold")
    heading.append(f"  {report.today.isoformat()}  ", style="dim")
    if report.chain:
        heading.append(f"{report.chain}  ", style="dim")
    heading.append(
        labels.count("followups_total", report.total, days=report.followup_days),
        style="bold red",
    )
    parts: list[RenderableType] = [heading]
    if not report.people:
        parts.append(Text(labels("followups_none", days=report.followup_days)))
    for group in report.people:
        person = group.person or labels("followups_nobody")
        n = len(group.items)
        table = _table(f"{person}  ({labels.count('followups_person_total', n)})")
        table.add_column(labels("key"), no_wrap=True)
        table.add_column(labels("item"), ratio=3)
        table.add_column(labels("institution"), ratio=2)
        table.add_column(labels("resolved_on"), no_wrap=True)
        table.add_column(labels("followups_since"), justify="right", no_wrap=True)
        table.add_column(labels("followups_ask"), ratio=2)
        for line in group.items:
            table.add_row(
                Text(line.key),
                _joined((line.title, ""), (f"\n{line.chain}", "dim")),
                _data(line.unit),
                _word(line.resolved_on.isoformat()),
                _word(labels("followups_days", n=line.days_since_resolved), "red"),
                _data("\n".join(line.enterprises)),
            )
        parts += [Text(""), table]
    return Group(*parts)


def follow_ups_csv(report: FollowUpReport) -> str:
    """One row per item (``CSV_FIELDS``); the enterprises joined by "; "; text
    cells guarded against formulas (``render.csv_rows``)."""
    from chainlead.render.csv_rows import csv_text

    return csv_text(
        CSV_FIELDS,
        (
            [
                group.person or "",
                line.key,
                line.chain,
                line.title,
                line.unit,
                line.resolved_on.isoformat(),
                line.days_since_resolved,
                "; ".join(line.enterprises),
            ]
            for group in report.people
            for line in group.items
        ),
    )


class FollowUpView(Document):
    """The follow-up list: its data (json), one table per person (table), CSV rows."""

    width = WIDTH

    def __init__(self, report: FollowUpReport, labels: Labels) -> None:
        self.report = report
        self.labels = labels

    @property
    def data(self) -> FollowUpReport:
        return self.report

    def people(self) -> RenderableType:
        return follow_ups_renderable(self.report, self.labels)

    def text(self, fmt: Format) -> str:
        if fmt is Format.csv:
            return follow_ups_csv(self.report)
        return super().text(fmt)
