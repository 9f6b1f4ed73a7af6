"""The monthly report, the overdue report and the follow-up list, as plain data.

``monthly_report`` is the one place the monthly figures are counted; every
output form (terminal, HTML, SVG, Markdown, JSON) draws what it returns, as
frozen dataclasses. It runs a fixed number of queries, never one per item.

The statements live in the store (``chainlead.store.reports`` for the
reports' counts, ranked lists and history reads; the family modules for plain
reads of chains, teams, meetings and items), run through a ``Reader``: no
SQLAlchemy on SQLite. Here are the rules, one module per concern:

- ``model``: the frozen dataclasses the renderers read, and the words and
  sizes the reports are counted in;
- ``scope``: the month and the chain a report is asked for;
- ``history``: the month figures, from item rows corrected by the few items
  whose recent history departs from them (how the past is read);
- ``sections``: each chain's panel: its meetings, team and item lists;
- ``monthly``: ``monthly_report`` step by step (how a month is counted);
- ``scoreboard``: the district scoreboard (一览表), key figures' totals, red list
  (红灯清单) and institution ranking (责任单位排名), page one of the monthly report;
- ``notes``: the team's own 存在问题 / 下步工作 text (``--notes``);
- ``overdue``: ``overdue_report``;
- ``follow_ups``: ``follow_up_report``, the enterprises still to be asked.
"""

from __future__ import annotations

from chainlead.domain.reports.follow_ups import follow_up_report
from chainlead.domain.reports.model import (
    ChainFigures,
    ChainName,
    ChainSection,
    DoneRate,
    Figure,
    FollowUpLine,
    FollowUpReport,
    ItemLine,
    KeyFigure,
    MeetingFigureLine,
    MeetingLine,
    MonthlyReport,
    OverdueLine,
    OverdueReport,
    PersonFollowUps,
    Ranking,
    RankRow,
    RedLine,
    ReportNotes,
    ResolvedLine,
    SatisfactionRate,
    Scoreboard,
    ScoreRow,
    TrendMonth,
    UnitOverdue,
    UnitRow,
)
from chainlead.domain.reports.monthly import monthly_report
from chainlead.domain.reports.overdue import overdue_report
from chainlead.domain.reports.scope import default_month, report_month

__all__ = [
    "ChainFigures",
    "ChainName",
    "ChainSection",
    "DoneRate",
    "Figure",
    "FollowUpLine",
    "FollowUpReport",
    "ItemLine",
    "KeyFigure",
    "MeetingFigureLine",
    "MeetingLine",
    "MonthlyReport",
    "OverdueLine",
    "OverdueReport",
    "PersonFollowUps",
    "RankRow",
    "Ranking",
    "RedLine",
    "ReportNotes",
    "ResolvedLine",
    "SatisfactionRate",
    "ScoreRow",
    "Scoreboard",
    "TrendMonth",
    "UnitOverdue",
    "UnitRow",
    "default_month",
    "follow_up_report",
    "monthly_report",
    "overdue_report",
    "report_month",
]
