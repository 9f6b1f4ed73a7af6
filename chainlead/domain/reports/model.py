"""What the reports return: frozen dataclasses, all the renderers read.

Also the words and sizes the reports are counted in, and the overview
figures in the order they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from chainlead.domain.fulfilment import Decision, Fulfilment
from chainlead.domain.reports.chain_map import ChainMapSummary

if TYPE_CHECKING:
    from chainlead.domain.reports.targets import TargetSection

if TYPE_CHECKING:
    from chainlead.domain.reports.projects import ProjectsSection  # chain projects

TREND_MONTHS = 12
LIST_LIMIT = 20  # items listed per chain and list (the figures always count them all)
# A list limit no list reaches: --xlsx's ledgers and --annex list every item.
EVERY_ITEM = 2**31 - 1

# Overview figures, in the order they are shown; "better" says which way is good.
FIGURE_KEYS: tuple[tuple[str, str], ...] = (
    ("chains_active", "none"),
    ("meetings_held", "up"),
    ("meetings_expected", "none"),
    ("open_at_start", "down"),
    ("raised", "none"),
    ("resolved", "up"),
    ("resolved_on_time", "up"),
    ("resolved_late", "down"),
    ("dropped", "none"),
    ("reopened", "down"),
    ("open_at_end", "down"),
    ("overdue_at_end", "down"),
    ("on_time_rate", "up"),
    ("median_days_to_resolve", "down"),
)

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Figure:
    """One overview figure: this month, the month before, and the change."""

    key: str
    value: int | float | None
    previous: int | float | None
    change: int | float | None
    better: str  # "up", "down" or "none": which direction of change is good


@dataclass(frozen=True)
class TrendMonth:
    month: str
    raised: int
    resolved: int
    open_at_end: int


@dataclass(frozen=True)
class MeetingFigureLine:
    """A key figure of a meeting, with the chain's value for the month before."""

    name: str
    value: str  # exact decimal text, as recorded
    unit: str | None
    previous: str | None
    change: str | None  # value - previous as exact decimal text with a sign


@dataclass(frozen=True)
class MeetingLine:
    key: str
    kind: str
    held_on: date
    chair: str | None
    summary: str | None
    attendees: tuple[str, ...]
    decisions: tuple[str, ...]
    figures: tuple[MeetingFigureLine, ...]
    # Each decision with its actions as they stand today, and the meeting's
    # fulfilment rate (``domain.fulfilment``; cut-off: the next scheduling meeting).
    decision_actions: tuple[Decision, ...] = ()
    fulfilment: Fulfilment | None = None


@dataclass(frozen=True)
class ItemLine:
    """An item as it stands today, with its light."""

    key: str
    title: str
    enterprise: str | None
    unit: str
    owner: str | None
    priority: str
    status: str
    light: str
    raised_on: date
    due_on: date
    days_over: int  # past the time limit (positive) or left (negative), to today


@dataclass(frozen=True)
class ResolvedLine:
    """A resolution dated in the month, and how the problem was solved."""

    key: str
    title: str
    enterprise: str | None
    unit: str
    owner: str | None
    resolved_on: date
    due_on: date  # the time limit in force on that day
    on_time: bool
    days_to_resolve: int
    how: str | None
    status: str  # the item's status today (it may have been reopened since)


@dataclass(frozen=True)
class SatisfactionRate:
    """Follow-ups (回访) asked up to the report month's end: all of them, those
    satisfied or basically satisfied, and the rate (满意率; None: none asked)."""

    asked: int
    satisfied: int
    rate: float | None


NO_FOLLOW_UPS = SatisfactionRate(asked=0, satisfied=0, rate=None)


@dataclass(frozen=True)
class ChainFigures:
    raised: int
    resolved: int
    resolved_on_time: int
    open_now: int
    red_now: int
    yellow_now: int
    green_now: int
    attention_now: int
    # Moved limits (``reports.time_limits``): extensions approved in the month,
    # the days they added, and the month's resolutions made by the first limit.
    extensions: int = 0
    days_added: int = 0
    resolved_on_time_original: int = 0


@dataclass(frozen=True)
class ChainSection:
    code: str
    name: str
    status: str
    archived_on: date | None
    leader: str | None
    responsible: str | None
    team_size: int
    light: str  # the chain's worst open light today: red, yellow, green or none
    expected_meeting: bool
    meeting_held: bool  # a scheduling entry is on record for the month
    meetings: tuple[MeetingLine, ...]
    figures: ChainFigures  # full counts; the lists below stop at the report's list_limit
    raised: tuple[ItemLine, ...]  # raised in the month, by raised date
    resolved: tuple[ResolvedLine, ...]  # resolved in the month, by resolved date
    open_items: tuple[ItemLine, ...]  # open today, red first (by time limit)
    attention: tuple[ItemLine, ...]  # open today, blocked or overdue past escalation
    satisfaction: SatisfactionRate = NO_FOLLOW_UPS  # follow-ups to the month's end
    # The chain's map (chainlead.domain.reports.chain_map); None when it has no links.
    chain_map: ChainMapSummary | None = None


@dataclass(frozen=True)
class UnitRow:
    """One responsible institution in the supervision table."""

    unit: str
    open_now: int
    resolved: int
    resolved_on_time: int
    on_time_rate: float | None
    overdue_now: int
    longest_overdue_days: int | None
    longest_overdue_key: str | None
    # Moved limits (``reports.time_limits``): as the chains' figures.
    extensions: int = 0
    days_added: int = 0
    on_time_original_rate: float | None = None
    satisfaction: SatisfactionRate = NO_FOLLOW_UPS  # follow-ups to the month's end


@dataclass(frozen=True)
class LadderRow:
    """One chain's open items on the supervision ladder (督办) today, by level."""

    chain: str
    levels: tuple[int, ...]  # open items at levels 1 .. 5
    total: int


@dataclass(frozen=True)
class ClimbLine:
    """An item that climbed the ladder in the month: from its first level to its last."""

    key: str
    chain: str
    on: date  # the last step's day in the report's zone
    old: int
    new: int
    by: str  # supervised (the rules), escalated (by hand), or both: "supervised+escalated"
    why: str | None  # the last step's rule or reason


@dataclass(frozen=True)
class MonthlyReport:
    district: str
    month: str
    first_day: date
    last_day: date
    as_of: date  # the month's last day, or today for the current month
    today: date
    previous_month: str
    chain: str | None  # the chain asked for with --chain, else None (whole district)
    warning_days: int
    escalation_days: int
    list_limit: int  # items listed per chain and list at most
    overview: tuple[Figure, ...]  # empty for a one-chain report
    trend: tuple[TrendMonth, ...]
    chains: tuple[ChainSection, ...]
    units: tuple[UnitRow, ...]  # empty for a one-chain report
    ladder: tuple[LadderRow, ...] = ()  # chains with open items on the ladder today
    climbs: tuple[ClimbLine, ...] = ()  # items that climbed in the month, highest first
    # Annual targets (``reports.targets``): None when no chain shown has one this year.
    targets: TargetSection | None = None
    # The chain projects (建链/强链/补链/延链): chainlead.domain.reports.projects; None
    # when no chain shown has a project.
    projects: ProjectsSection | None = None
    # The district scoreboard (一览表), the key figures' district totals, the red list
    # (红灯清单), the institutions' ranking (责任单位排名) and the team's notes:
    # ``reports.scoreboard`` (the dataclasses at the end of this module).
    scoreboard: Scoreboard | None = None
    key_figures: tuple[KeyFigure, ...] = ()
    red_list: tuple[RedLine, ...] = ()
    ranking: Ranking | None = None  # None for a one-chain report
    notes: ReportNotes | None = None  # from --notes / report_notes, else None
    # The issue number (第N期) the printed report carries: the ``report_issue``
    # setting, else the months from the district's first record to this one.
    issue: int = 1


@dataclass(frozen=True)
class OverdueLine:
    key: str
    chain: str
    chain_name: str
    chain_leader: str | None
    title: str
    enterprise: str | None
    owner: str | None
    status: str
    due_on: date
    days_over: int
    escalate: bool  # over the escalation window: the chain leader steps in
    level: int = 0  # the supervision ladder (督办): 0 none .. 5 leading group


@dataclass(frozen=True)
class UnitOverdue:
    unit: str
    items: tuple[OverdueLine, ...]


@dataclass(frozen=True)
class OverdueReport:
    today: date
    escalation_days: int
    unit: str | None
    chain: str | None
    total: int
    units: tuple[UnitOverdue, ...]


@dataclass(frozen=True)
class FollowUpLine:
    """A resolved item whose enterprises are still to be asked (回访)."""

    key: str
    chain: str
    title: str
    unit: str
    resolved_on: date
    days_since_resolved: int
    enterprises: tuple[str, ...]  # those not asked since it was last resolved


@dataclass(frozen=True)
class PersonFollowUps:
    """The calls one person is to make: the item's owner, else the chain's
    responsible person (None when the chain has neither)."""

    person: str | None
    items: tuple[FollowUpLine, ...]


@dataclass(frozen=True)
class FollowUpReport:
    today: date
    followup_days: int
    chain: str | None
    total: int
    people: tuple[PersonFollowUps, ...]


# --------------------------------------------------------------------------- the scoreboard
#
# ``reports.scoreboard`` counts these; each says its time base: the report's month
# up to ``as_of`` (its last day, or today for the current month), or ``today``.


@dataclass(frozen=True)
class DoneRate:
    """办结率: items raised in a span (dropped ones aside) and those of them resolved
    or closed by the report's ``as_of``; rate = resolved / raised (None: none raised)."""

    raised: int
    resolved: int
    rate: float | None


@dataclass(frozen=True)
class ScoreRow:
    """One chain's line of the district scoreboard (一览表), or the district's total
    (code and name empty). The month's figures run to ``as_of``; lights and
    escalated items are as they stand today."""

    code: str
    name: str
    leader: str | None  # the chain leader now
    leader_title: str | None  # their title (职务) as recorded on the person
    archived_on: date | None  # an archived chain is listed while it holds items
    expected_meeting: bool  # active in the month: its scheduling meeting is due
    meeting_held: bool  # a scheduling entry is on record for the month
    open_at_start: int  # open at the end of the month before
    raised: int  # raised in the month
    resolved: int  # resolved in the month (as the overview counts them)
    resolved_on_time: int
    on_time_rate: float | None  # resolved on time / resolved, in the month
    done_year: DoneRate  # 办结率 from 1 January of the report's year to as_of
    done_all: DoneRate  # 办结率 since records began, to as_of
    red_now: int  # open items by light today
    yellow_now: int
    green_now: int
    escalated_now: int  # open items on the supervision ladder (督办, level >= 1) today
    satisfaction: SatisfactionRate  # follow-ups (回访) asked up to the month's end


@dataclass(frozen=True)
class ChainName:
    code: str
    name: str


@dataclass(frozen=True)
class Scoreboard:
    """The district scoreboard: one row per chain by code, then the district total."""

    month: str
    as_of: date  # the month's figures run to this day (month end, or today)
    today: date  # lights and escalations are as of this day
    year_first: date  # the first day the year-to-date 办结率 counts
    rows: tuple[ScoreRow, ...]
    total: ScoreRow  # sums of the rows, rates from the sums
    missed: tuple[ChainName, ...]  # chains expected to meet in the month that did not


@dataclass(frozen=True)
class KeyFigure:
    """A key figure (MeetingFigureLine's name and unit) summed over the chains that
    reported it; each value exact decimal text, None when no chain reported it then.
    A chain's value for a month is the one of its last meeting entered for that month."""

    name: str
    unit: str | None
    value: str | None  # the report's month
    previous: str | None  # the month before
    year_to_date: str | None  # January to the report's month, summed
    year_months: int  # months from January with a value
    last_year: str | None  # the same month a year before
    chains: int  # chains that reported it in the report's month


@dataclass(frozen=True)
class RedLine:
    """A red item of the red list (红灯清单): open today and past its time limit, as
    ``report overdue`` lists it."""

    key: str
    title: str
    chain: str
    chain_name: str
    unit: str
    owner: str | None
    status: str
    due_on: date
    days_over: int
    level: int  # the supervision ladder (督办): 0 none .. 5 leading group


@dataclass(frozen=True)
class RankRow:
    """An institution's place in the ranking (责任单位排名)."""

    rank: int
    unit: str
    done: DoneRate  # 办结率 of the year to as_of
    resolved_in_year: int  # resolutions dated from 1 January to as_of
    resolved_on_time: int
    on_time_rate: float | None  # on time / resolutions in the year
    open_now: int
    overdue_now: int


# How the ranking is ordered, each key in turn (the renderers print it as words).
RANKING_RULE: tuple[str, ...] = ("done_rate", "on_time_rate", "resolved", "unit")


@dataclass(frozen=True)
class Ranking:
    """Institutions ranked by ``rule``: 办结率 of the year (higher first, none
    last), then the year's on-time rate (higher first, none last), then more items
    resolved (``done.resolved``), then name; each institution its own place."""

    year_first: date
    as_of: date
    rule: tuple[str, ...]
    rows: tuple[RankRow, ...]


@dataclass(frozen=True)
class ReportNotes:
    """The team's own text (``--notes``): 存在问题 and 下步工作, as plain paragraphs."""

    source: str  # the file it was read from
    problems: tuple[str, ...]
    next_steps: tuple[str, ...]
