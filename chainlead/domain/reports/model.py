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
    on: date  # the last step's UTC day
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
