"""Every status, kind, role and limit of chainlead, declared once.

The command line (typer choices), the domain rules, ``values``, the snapshot
field table and the schema all read these names, so a value one of them
accepts is a value every other accepts: an item's detail that the import
takes can be edited on the command line, and one the command line stores
imports again.

Light at import: the standard library's ``enum`` only.
"""

from __future__ import annotations

from enum import StrEnum


class ItemStatus(StrEnum):
    """Where a bottleneck item is: ``open → in_progress → resolved → closed``,
    with ``blocked`` and ``dropped`` beside them."""

    open = "open"
    in_progress = "in_progress"
    blocked = "blocked"
    resolved = "resolved"
    closed = "closed"
    dropped = "dropped"


class Priority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


class Source(StrEnum):
    """Where an item was raised; the same words name the kinds of meeting entry."""

    scheduling = "scheduling"  # the chain leader's monthly scheduling meeting
    breakfast = "breakfast"
    salon = "salon"
    visit = "visit"
    other = "other"


MeetingKind = Source


class ChainStatus(StrEnum):
    active = "active"
    archived = "archived"


class Role(StrEnum):
    """A place on a chain's working team."""

    leader = "leader"  # the chain leader: one at a time
    responsible = "responsible"  # the person in charge of the team: one at a time
    member = "member"
    liaison = "liaison"
    deputy = "deputy"
    secretary = "secretary"
    expert = "expert"


class Access(StrEnum):
    """What a login may do on a shared PostgreSQL database (``chainlead user grant``)."""

    admin = "admin"  # the chain office (链办): everything
    leader = "leader"  # a chain's leader (链长): sign-off, approvals, the ladder
    team = "team"  # a chain's working team (工作专班): all item work on its chains
    unit = "unit"  # an institution (责任单位): its own assignments
    viewer = "viewer"  # reads everything (查看), writes nothing


class Relation(StrEnum):
    """How a meeting is linked to an item."""

    raised = "raised"
    discussed = "discussed"


class Feedback(StrEnum):
    """What an enterprise said when asked after its demand was resolved (回访)."""

    satisfied = "satisfied"  # 满意
    basically_satisfied = "basically_satisfied"  # 基本满意
    unsatisfied = "unsatisfied"  # 不满意


class Segment(StrEnum):
    """Where on a chain an enterprise (or a link of the chain) sits."""

    upstream = "upstream"  # 上游
    midstream = "midstream"  # 中游
    downstream = "downstream"  # 下游


class LinkState(StrEnum):
    """How a link of a chain's map (产业链图谱) stands in the district."""

    strong = "strong"  # 强: present and strong
    weak = "weak"  # 弱: present but weak (to strengthen, 强链)
    missing = "missing"  # 缺: missing (to fill, 补链)


class ProjectType(StrEnum):
    """What a chain project does for its chain (建链、强链、补链、延链)."""

    build = "build"  # 建链
    strengthen = "strengthen"  # 强链
    fill = "fill"  # 补链
    extend = "extend"  # 延链


class ProjectStatus(StrEnum):
    """Where a chain project is: under way, finished or dropped."""

    active = "active"
    finished = "finished"
    dropped = "dropped"


class TargetKind(StrEnum):
    """How a year's figure is counted from the meetings' figures: each month's flow
    summed, or the latest running total taken."""

    sum = "sum"
    latest = "latest"


class Sort(StrEnum):
    """The orders of the item list."""

    due = "due"
    raised = "raised"
    priority = "priority"
    key = "key"


class OnConflict(StrEnum):
    """What an import does with a record both sides changed."""

    fail = "fail"  # refuse the whole import
    ours = "ours"  # keep the database's version
    theirs = "theirs"  # take the snapshot's


class UnitKind(StrEnum):
    """What kind of institution a responsible unit (责任单位) is."""

    bureau = "bureau"  # a district government department
    street = "street"  # a street (subdistrict) or town office
    park = "park"  # a park's or development zone's administration
    enterprise_service = "enterprise_service"  # an enterprise service body
    other = "other"


class AssignmentRole(StrEnum):
    """An institution's part in an item: the lead unit (牵头单位) or a co-handler (配合单位)."""

    lead = "lead"
    co = "co"


class AssignmentState(StrEnum):
    """Where an institution's part in an item is.

    ``assigned → received → handling → reported``; ``returned`` (sent back as
    not the unit's remit) and ``transferred`` (moved to another unit) end it.
    """

    assigned = "assigned"  # 交办
    received = "received"  # 签收
    handling = "handling"  # 办理中
    reported = "reported"  # 报结
    returned = "returned"  # 退回
    transferred = "transferred"  # 转办


class ExtensionState(StrEnum):
    """An extension request (延期申请): waiting, approved or refused."""

    pending = "pending"
    approved = "approved"
    refused = "refused"


class ExtensionKind(StrEnum):
    """How a time limit moved: a unit's or the team's request, or the team's own edit."""

    request = "request"
    edit = "edit"


class Level(StrEnum):
    """The supervision ladder (督办), lowest first; an item's level is its index."""

    none = "none"  # 0
    reminder = "reminder"  # 1 提醒
    urging = "urging"  # 2 催办
    letter = "letter"  # 3 督办函
    chain_leader = "chain_leader"  # 4 约谈/提请链长
    leading_group = "leading_group"  # 5 提请领导小组


class Lang(StrEnum):
    en = "en"
    zh = "zh"


# The same words as plain-string tuples, for membership tests, SQL parameters
# and "expected one of ..." messages.
STATUSES: tuple[str, ...] = tuple(s.value for s in ItemStatus)
OPEN_STATUSES: tuple[str, ...] = tuple(
    s.value for s in (ItemStatus.open, ItemStatus.in_progress, ItemStatus.blocked)
)
DONE_STATUSES: tuple[str, ...] = (ItemStatus.resolved.value, ItemStatus.closed.value)
# Which actions each status allows, in the order they are suggested.
ACTIONS: dict[str, tuple[str, ...]] = {
    ItemStatus.open.value: ("start", "block", "resolve", "drop"),
    ItemStatus.in_progress.value: ("block", "resolve", "drop"),
    ItemStatus.blocked.value: ("start", "resolve", "drop"),
    ItemStatus.resolved.value: ("close", "reopen"),
    ItemStatus.closed.value: ("reopen",),
    ItemStatus.dropped.value: ("reopen",),
}
PRIORITIES: tuple[str, ...] = tuple(p.value for p in Priority)
# Most pressing first: the order of ``--sort priority``.
PRIORITY_ORDER: tuple[str, ...] = tuple(reversed(PRIORITIES))
SOURCES: tuple[str, ...] = tuple(s.value for s in Source)
MEETING_KINDS: tuple[str, ...] = SOURCES
SCHEDULING: str = Source.scheduling.value
CHAIN_STATUSES: tuple[str, ...] = tuple(s.value for s in ChainStatus)
LEADER: str = Role.leader.value
RESPONSIBLE: str = Role.responsible.value
ROLES: tuple[str, ...] = tuple(r.value for r in Role)
TEAM_ROLES: tuple[str, ...] = tuple(r for r in ROLES if r not in (LEADER, RESPONSIBLE))
ACCESS_ROLES: tuple[str, ...] = tuple(a.value for a in Access)
# The roles granted on chains (``--chain``; none: every chain) and on a unit (``--unit``).
CHAIN_ACCESS: tuple[str, ...] = (Access.leader.value, Access.team.value)
UNIT_ACCESS: str = Access.unit.value
GROUP_ROLE_PREFIX = "chainlead_"  # the PostgreSQL group role of each: chainlead_admin ...
RELATIONS: tuple[str, ...] = tuple(r.value for r in Relation)
FEEDBACKS: tuple[str, ...] = tuple(f.value for f in Feedback)
# The answers that count as satisfied in the satisfaction rate (满意率), and let an
# item be signed off.
SATISFIED: tuple[str, ...] = (Feedback.satisfied.value, Feedback.basically_satisfied.value)
SEGMENTS: tuple[str, ...] = tuple(s.value for s in Segment)
UNIT_KINDS: tuple[str, ...] = tuple(k.value for k in UnitKind)
ASSIGNMENT_ROLES: tuple[str, ...] = tuple(r.value for r in AssignmentRole)
ASSIGNMENT_STATES: tuple[str, ...] = tuple(s.value for s in AssignmentState)
# An assignment still at work (its light counts), and the states that end one.
ACTIVE_ASSIGNMENT_STATES: tuple[str, ...] = ("assigned", "received", "handling")
ENDED_ASSIGNMENT_STATES: tuple[str, ...] = ("returned", "transferred")
# What each assignment state allows next (receive, report, return, transfer).
ASSIGNMENT_ACTIONS: dict[str, tuple[str, ...]] = {
    "assigned": ("receive", "report", "return", "transfer"),
    "received": ("report", "return", "transfer"),
    "handling": ("report", "return", "transfer"),
    "reported": (),
    "returned": (),
    "transferred": (),
}
EXTENSION_STATES: tuple[str, ...] = tuple(s.value for s in ExtensionState)
EXTENSION_KINDS: tuple[str, ...] = tuple(k.value for k in ExtensionKind)
LEVELS: tuple[str, ...] = tuple(level.value for level in Level)
LEVEL_MAX = len(LEVELS) - 1


def level_number(text: str | None) -> int | None:
    """A supervision level as an event's ``new`` holds it (its number, or its name)."""
    if text is None:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    return LEVELS.index(text) if text in LEVELS else None


# The ladder's names in Chinese, by level.
LEVEL_NAMES_ZH: tuple[str, ...] = ("无", "提醒", "催办", "督办函", "约谈/提请链长", "提请领导小组")
LANGS: tuple[str, ...] = tuple(lang.value for lang in Lang)
SORTS: tuple[str, ...] = tuple(s.value for s in Sort)
LINK_STATES: tuple[str, ...] = tuple(s.value for s in LinkState)
PROJECT_TYPES: tuple[str, ...] = tuple(t.value for t in ProjectType)
# The project types in Chinese, by type.
PROJECT_TYPE_NAMES_ZH: dict[str, str] = {
    "build": "建链",
    "strengthen": "强链",
    "fill": "补链",
    "extend": "延链",
}
PROJECT_STATUSES: tuple[str, ...] = tuple(s.value for s in ProjectStatus)
TARGET_KINDS: tuple[str, ...] = tuple(k.value for k in TargetKind)
ON_CONFLICT: tuple[str, ...] = tuple(c.value for c in OnConflict)

# Limits, in characters: what the command line accepts is what import accepts.
NAME_MAX = 200  # one-line names: people, chains, units, enterprises, attendees, actors
TITLE_MAX = 500  # an item's title
CATEGORY_MAX = 100  # an item's category
FIGURE_NAME_MAX = 100  # a key figure's name
FIGURE_UNIT_MAX = 40  # a key figure's unit
FIGURE_VALUE_MAX = 40  # a key figure's value, as exact decimal text
WORD_MAX = 32  # an event's kind or field name
CREDIT_CODE_LEN = 18  # a unified social credit code (统一社会信用代码)
REFERENCE_MAX = 100  # an item's external reference (a demand sheet's own number)
FOLLOWUP_DAYS = 7  # days after resolving by which the enterprises are asked (回访)
TEXT_MAX = 100_000  # long text: descriptions, details, summaries, decisions, notes, reasons
SEARCH_MAX = 200  # a search text (never stored)
COUNTER_MAX = 2**31 - 1  # item, meeting and project numbers
