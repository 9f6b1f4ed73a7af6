"""The schema: SQLModel tables, nothing else.

Every table carries a stable ``uuid`` so that snapshots from two machines merge
without clashing; human keys (chain codes, item keys, meeting keys) are unique
too. Changing anything here needs a new migration in ``chainlead/migrations``.

The schema of a database is always made by the migrations; these classes are
what the code reads and writes through, and ``tests/test_migrations.py``
holds the two equal. The partial unique indexes of ``membership`` name their
predicate for SQLite only: PostgreSQL has the same predicates from migration
0001 (a test checks them there), and a ``postgresql_where`` option here would
make SQLAlchemy import its whole PostgreSQL dialect (about 20 ms) on every
command, SQLite or not.
"""

from __future__ import annotations

import uuid as _uuid
from datetime import date, datetime

from sqlalchemy import Column, DateTime, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from chainlead.vocabulary import (
    CATEGORY_MAX,
    CREDIT_CODE_LEN,
    FIGURE_NAME_MAX,
    FIGURE_UNIT_MAX,
    FIGURE_VALUE_MAX,
    NAME_MAX,
    REFERENCE_MAX,
    TITLE_MAX,
    WORD_MAX,
    ChainStatus,
    ItemStatus,
    LinkState,
    MeetingKind,
    Priority,
    ProjectStatus,
    Source,
    UnitKind,
)


def new_uuid() -> str:
    return str(_uuid.uuid4())


# The predicates of the partial indexes, on SQLite and PostgreSQL alike: one
# current leader, one current responsible person, one current role per person.
PARTIAL_INDEXES: dict[str, str] = {
    "uq_membership_one_leader": "role = 'leader' AND until IS NULL",
    "uq_membership_one_responsible": "role = 'responsible' AND until IS NULL",
    "uq_membership_current_person": "until IS NULL",
    # History: the drop events only (when each dropped item was dropped).
    "ix_event_dropped": "field = 'status' AND new = 'dropped'",
    # One lead per item among the assignments still standing (not returned or
    # transferred), and one standing assignment per unit per item: migration 0005.
    "uq_assignment_one_lead": "role = 'lead' AND state <> 'returned' AND state <> 'transferred'",
    "uq_assignment_one_unit": "state <> 'returned' AND state <> 'transferred'",
    # One waiting extension request per item.
    "uq_extension_one_pending": "state = 'pending'",
    # One follow-up per enterprise of an item since it was last reopened: migration 0006.
    "uq_follow_up_current": "reopened_on IS NULL",
}


class Person(SQLModel, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    name: str = Field(max_length=NAME_MAX, unique=True)
    unit: str | None = Field(default=None, max_length=NAME_MAX)
    title: str | None = Field(default=None, max_length=NAME_MAX)
    contact: str | None = Field(default=None, max_length=NAME_MAX)
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC


class Unit(SQLModel, table=True):
    """A responsible institution (责任单位): the body an item is handed to (migration 0004)."""

    __tablename__ = "unit"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    name: str = Field(max_length=NAME_MAX, unique=True)
    short: str | None = Field(default=None, max_length=NAME_MAX, unique=True)
    kind: str = Field(default=UnitKind.other.value, max_length=WORD_MAX)
    contact: str | None = Field(default=None, max_length=NAME_MAX)
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC


class Enterprise(SQLModel, table=True):
    """An enterprise whose demands come to the chains (migration 0006)."""

    __tablename__ = "enterprise"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    name: str = Field(max_length=NAME_MAX, unique=True)
    short: str | None = Field(default=None, max_length=NAME_MAX, unique=True)
    # The unified social credit code (统一社会信用代码), check character verified.
    credit_code: str | None = Field(default=None, max_length=CREDIT_CODE_LEN, unique=True)
    contact: str | None = Field(default=None, max_length=NAME_MAX)
    park: str | None = Field(default=None, max_length=NAME_MAX)
    above_scale: bool = False  # above designated size (规上)
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC


class Chain(SQLModel, table=True):
    __tablename__ = "chain"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    code: str = Field(max_length=10, unique=True)
    name: str = Field(max_length=NAME_MAX, unique=True)
    description: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    status: str = Field(default=ChainStatus.active.value, max_length=16, index=True)
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC
    archived_on: date | None = None
    # Next item / meeting number: keys are never reused, so these only grow.
    next_item_no: int = 1
    next_meeting_no: int = 1
    next_project_no: int = 1  # migration 0007


class EnterpriseChain(SQLModel, table=True):
    """An enterprise on a chain: its segment, and whether it leads the chain (链主)."""

    __tablename__ = "enterprise_chain"
    __table_args__ = (UniqueConstraint("enterprise_id", "chain_id"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    enterprise_id: int = Field(foreign_key="enterprise.id")
    chain_id: int = Field(foreign_key="chain.id", index=True)
    segment: str | None = Field(default=None, max_length=WORD_MAX)  # upstream | ...
    lead: bool = False
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC


class ChainLink(SQLModel, table=True):
    """A link of a chain's map (产业链图谱): its segment and how it stands (migration 0007)."""

    __tablename__ = "chain_link"
    __table_args__ = (UniqueConstraint("chain_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    chain_id: int = Field(foreign_key="chain.id")
    name: str = Field(max_length=NAME_MAX)
    segment: str = Field(max_length=WORD_MAX)  # upstream | midstream | downstream
    state: str = Field(default=LinkState.strong.value, max_length=WORD_MAX)
    position: int  # its place in the map, in the order added
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC


class EnterpriseLink(SQLModel, table=True):
    """An enterprise placed on a link of a chain's map (migration 0007)."""

    __tablename__ = "enterprise_link"
    __table_args__ = (UniqueConstraint("enterprise_id", "link_id"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    enterprise_id: int = Field(foreign_key="enterprise.id")
    link_id: int = Field(foreign_key="chain_link.id", index=True)
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC


class Project(SQLModel, table=True):
    """A chain project (建链/强链/补链/延链): its plan and where it is (migration 0007).

    ``percent`` and ``invested`` are the latest progress report's, kept equal to
    it; ``planned_end_on`` is the first planned end, which edits never move.
    """

    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("chain_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    key: str = Field(max_length=24, unique=True)  # IC-P1
    chain_id: int = Field(foreign_key="chain.id")
    number: int
    title: str = Field(max_length=TITLE_MAX)
    type: str = Field(max_length=WORD_MAX)  # build | strengthen | fill | extend
    enterprise_id: int | None = Field(default=None, foreign_key="enterprise.id", index=True)
    link_id: int | None = Field(default=None, foreign_key="chain_link.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    owner_id: int | None = Field(default=None, foreign_key="person.id")
    investment: str | None = Field(default=None, max_length=FIGURE_VALUE_MAX)  # exact decimal
    investment_unit: str | None = Field(default=None, max_length=FIGURE_UNIT_MAX)
    start_on: date
    end_on: date  # the planned end now
    planned_end_on: date  # the first planned end
    status: str = Field(default=ProjectStatus.active.value, max_length=16)
    percent: int = 0
    invested: str | None = Field(default=None, max_length=FIGURE_VALUE_MAX)  # exact decimal
    finished_on: date | None = None
    dropped_on: date | None = None
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC
    updated_at: datetime = Field(sa_type=DateTime)  # naive UTC


class ProjectProgress(SQLModel, table=True):
    """One progress report of a project (append-only): percent done, invested, note."""

    __tablename__ = "project_progress"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    as_of: date  # the day the progress stands for
    percent: int
    invested: str | None = Field(default=None, max_length=FIGURE_VALUE_MAX)  # cumulative
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    why: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # backwards
    by: str = Field(max_length=NAME_MAX)  # the actor who reported it
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC


class ProjectMilestone(SQLModel, table=True):
    """A milestone of a project's plan (节点): due by a day, done on one."""

    __tablename__ = "project_milestone"
    __table_args__ = (UniqueConstraint("project_id", "title"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    title: str = Field(max_length=TITLE_MAX)
    due_on: date
    done_on: date | None = None
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC


class Target(SQLModel, table=True):
    """A chain's annual target for one key figure (migration 0007)."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("chain_id", "year", "figure"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    chain_id: int = Field(foreign_key="chain.id")
    year: int
    figure: str = Field(max_length=FIGURE_NAME_MAX)  # a meeting figure's name
    value: str = Field(max_length=FIGURE_VALUE_MAX)  # exact decimal text
    unit: str | None = Field(default=None, max_length=FIGURE_UNIT_MAX)
    kind: str = Field(max_length=WORD_MAX)  # sum | latest
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC


class Meta(SQLModel, table=True):
    """Facts about the database itself, by name: the district it was built for,
    recorded by ``import`` from the snapshot's header (migration 0008)."""

    __tablename__ = "meta"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40, unique=True)
    value: str = Field(max_length=200)


class District(SQLModel, table=True):
    """The district the database holds: one row (migration 0012). On PostgreSQL
    ``code`` is the schema its tables live in; on SQLite it is ``main``."""

    __tablename__ = "district"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(max_length=36, unique=True)
    name: str = Field(max_length=200)
    code: str = Field(max_length=63, unique=True)


class Membership(SQLModel, table=True):
    """A person's role on a chain from ``since`` until ``until`` (open: current)."""

    __tablename__ = "membership"
    __table_args__ = (
        Index(
            "uq_membership_one_leader",
            "chain_id",
            unique=True,
            sqlite_where=text(PARTIAL_INDEXES["uq_membership_one_leader"]),
        ),
        Index(
            "uq_membership_one_responsible",
            "chain_id",
            unique=True,
            sqlite_where=text(PARTIAL_INDEXES["uq_membership_one_responsible"]),
        ),
        Index(
            "uq_membership_current_person",
            "chain_id",
            "person_id",
            unique=True,
            sqlite_where=text(PARTIAL_INDEXES["uq_membership_current_person"]),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    chain_id: int = Field(foreign_key="chain.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=WORD_MAX)
    since: date
    until: date | None = None


class Meeting(SQLModel, table=True):
    """A meeting entry: the monthly scheduling meeting, or where items were raised."""

    __tablename__ = "meeting"
    __table_args__ = (Index("ix_meeting_chain_month", "chain_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    key: str = Field(max_length=24, unique=True)
    chain_id: int = Field(foreign_key="chain.id")
    number: int
    kind: str = Field(default=MeetingKind.scheduling.value, max_length=16)
    month: str = Field(max_length=7, index=True)
    held_on: date
    chair_id: int | None = Field(default=None, foreign_key="person.id")
    summary: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC


class MeetingAttendee(SQLModel, table=True):
    __tablename__ = "meeting_attendee"
    __table_args__ = (UniqueConstraint("meeting_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    position: int
    name: str = Field(max_length=NAME_MAX)


class MeetingDecision(SQLModel, table=True):
    """A decision or coordinated matter of a meeting, in the order recorded."""

    __tablename__ = "meeting_decision"
    __table_args__ = (UniqueConstraint("meeting_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    position: int
    text: str = Field(sa_column=Column(Text, nullable=False))


class MeetingFigure(SQLModel, table=True):
    """A key figure the chain reported for the meeting's month."""

    __tablename__ = "meeting_figure"
    __table_args__ = (UniqueConstraint("meeting_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    name: str = Field(max_length=FIGURE_NAME_MAX)
    value: str = Field(max_length=FIGURE_VALUE_MAX)  # decimal text: exact, no float noise
    unit: str | None = Field(default=None, max_length=FIGURE_UNIT_MAX)


class Item(SQLModel, table=True):
    """A bottleneck item: an enterprise's problem, tracked until resolved."""

    __tablename__ = "item"
    __table_args__ = (
        UniqueConstraint("chain_id", "number"),
        Index("ix_item_status_due", "status", "due_on"),
        Index("ix_item_chain_status_due", "chain_id", "status", "due_on"),
        # Open work per responsible institution (the monthly report): migration 0002.
        Index("ix_item_status_unit_due", "status", "unit", "due_on"),
        Index("ix_item_raised_on_chain", "raised_on", "chain_id"),  # migration 0002
        Index("ix_item_resolved_on", "resolved_on"),
        Index("ix_item_unit", "unit"),
        # The demand's number in the team's own sheet: once per chain (migration 0006).
        Index("uq_item_chain_reference", "chain_id", "reference", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    key: str = Field(max_length=24, unique=True)
    chain_id: int = Field(foreign_key="chain.id")
    number: int
    title: str = Field(max_length=TITLE_MAX)
    detail: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    enterprise: str | None = Field(default=None, max_length=NAME_MAX)
    source: str = Field(default=Source.other.value, max_length=16)
    category: str | None = Field(default=None, max_length=CATEGORY_MAX)
    priority: str = Field(default=Priority.normal.value, max_length=16)
    unit: str = Field(max_length=NAME_MAX)  # the unit's name, kept equal to it
    unit_id: int = Field(foreign_key="unit.id", index=True)  # migration 0004
    owner_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    raised_on: date
    due_on: date
    status: str = Field(default=ItemStatus.open.value, max_length=16)
    resolution: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    resolved_on: date | None = None
    closed_on: date | None = None
    status_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC
    updated_at: datetime = Field(sa_type=DateTime)  # naive UTC
    # Migration 0005: the handling loop between institutions.
    original_due_on: date  # the first time limit; extensions never move it
    # The clock the light reads: the earliest limit of the item and its working
    # assignments, plus the days suspended; kept by ``store.assignments``.
    clock_due: date = Field(index=True)
    receipt_due: date | None = None  # the earliest sign-for limit not yet met (receipt_days)
    level: int = 0  # the supervision ladder: 0 none .. 5 leading group
    red_due: date | None = None  # the clock of the red spell the ladder last saw
    red_spells: int = 0  # red spells the ladder has seen
    suspended_on: date | None = None  # suspended (挂起) since, while suspended
    suspended_until: date | None = None
    suspend_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    suspended_days: int = 0  # days of suspension spells already ended
    urge_count: int = 0
    last_urged_at: datetime | None = Field(default=None, sa_type=DateTime)  # naive UTC
    # An action made of a meeting's decision (``schedule decide``).
    decision_id: int | None = Field(default=None, foreign_key="meeting_decision.id", index=True)
    # Migration 0006: the demand's own number in the sheet it came from (``intake``).
    reference: str | None = Field(default=None, max_length=REFERENCE_MAX)
    # Migration 0007: the link of the chain's map it is about, the project it holds up.
    link_id: int | None = Field(default=None, foreign_key="chain_link.id", index=True)
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)


class ItemEnterprise(SQLModel, table=True):
    """An enterprise that raised an item; the first named is ``item.enterprise``."""

    __tablename__ = "item_enterprise"
    __table_args__ = (UniqueConstraint("item_id", "enterprise_id"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    item_id: int = Field(foreign_key="item.id")
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    position: int  # 1 for the first enterprise named
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC


class FollowUp(SQLModel, table=True):
    """An enterprise asked after its demand was resolved (回访), and its answer."""

    __tablename__ = "follow_up"
    __table_args__ = (
        Index(
            "uq_follow_up_current",
            "item_id",
            "enterprise_id",
            unique=True,
            sqlite_where=text(PARTIAL_INDEXES["uq_follow_up_current"]),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    # None: an item raised by no named enterprise, signed off with the answer given.
    enterprise_id: int | None = Field(default=None, foreign_key="enterprise.id", index=True)
    result: str = Field(max_length=WORD_MAX)  # satisfied | basically_satisfied | unsatisfied
    by_id: int = Field(foreign_key="person.id")  # who asked
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    asked_on: date
    reopened_on: date | None = None  # set aside: the item was reopened on this day
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC


class Assignment(SQLModel, table=True):
    """An institution's part in an item (交办): lead or co-handling, with its own state."""

    __tablename__ = "assignment"
    __table_args__ = (
        Index(
            "uq_assignment_one_lead",
            "item_id",
            unique=True,
            sqlite_where=text(PARTIAL_INDEXES["uq_assignment_one_lead"]),
        ),
        Index(
            "uq_assignment_one_unit",
            "item_id",
            "unit_id",
            unique=True,
            sqlite_where=text(PARTIAL_INDEXES["uq_assignment_one_unit"]),
        ),
        Index("ix_assignment_unit_state", "unit_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    role: str = Field(max_length=WORD_MAX)  # lead | co
    owner_id: int | None = Field(default=None, foreign_key="person.id")
    state: str = Field(max_length=WORD_MAX)
    assigned_on: date
    due_on: date
    receipt_due: date | None = None  # to be signed for by (receipt_days after assigning)
    received_on: date | None = None
    reported_on: date | None = None
    report: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    ended_on: date | None = None  # returned or transferred on
    end_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    suggested: str | None = Field(default=None, max_length=NAME_MAX)  # returned: try this unit
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC
    updated_at: datetime = Field(sa_type=DateTime)  # naive UTC


class Extension(SQLModel, table=True):
    """A moved time limit: an extension request (延期申请) and its answer, or the team's edit."""

    __tablename__ = "extension"
    __table_args__ = (
        Index(
            "uq_extension_one_pending",
            "item_id",
            unique=True,
            sqlite_where=text(PARTIAL_INDEXES["uq_extension_one_pending"]),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")  # asked by this unit
    kind: str = Field(max_length=WORD_MAX)  # request | edit
    state: str = Field(max_length=WORD_MAX)  # pending | approved | refused
    requested_on: date
    requested_by: str = Field(max_length=NAME_MAX)  # the actor who filed it
    from_due: date
    to_due: date
    why: str = Field(sa_column=Column(Text, nullable=False))
    decided_on: date | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="person.id")
    decision_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_type=DateTime)  # naive UTC
    updated_at: datetime = Field(sa_type=DateTime)  # naive UTC


class MeetingItem(SQLModel, table=True):
    """An item raised at (``raised``) or moved on by (``discussed``) a meeting."""

    __tablename__ = "meeting_item"
    __table_args__ = (UniqueConstraint("meeting_id", "item_id", "relation"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    relation: str = Field(max_length=16)


class Event(SQLModel, table=True):
    """One entry of the append-only history (never updated, never deleted)."""

    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_item_at", "item_id", "at"),
        Index("ix_event_chain_at", "chain_id", "at"),
        # Events of one kind in a time window (the monthly report's reopenings
        # and time-limit changes), and the drop events: migration 0002.
        Index("ix_event_kind_at", "kind", "at"),
        Index(
            "ix_event_dropped",
            "item_id",
            "at",
            sqlite_where=text(PARTIAL_INDEXES["ix_event_dropped"]),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    at: datetime = Field(sa_type=DateTime)  # naive UTC
    actor: str = Field(max_length=NAME_MAX)
    kind: str = Field(max_length=WORD_MAX)
    chain_id: int | None = Field(default=None, foreign_key="chain.id")
    item_id: int | None = Field(default=None, foreign_key="item.id")
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    # The institution an assignment event is about (migration 0005).
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    # The chain project an event is about (migration 0007).
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    field: str | None = Field(default=None, max_length=WORD_MAX)
    old: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    new: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # The tamper-evident chain (migration 0011): sha256 of the previous event's hash
    # and this one's canonical content (``chainlead.domain.seals``), set at insert.
    hash: str = Field(max_length=64)
    # The database login that wrote it: PostgreSQL's ``session_user``; NULL on SQLite.
    login: str | None = Field(default=None, max_length=NAME_MAX)


class HistoryHead(SQLModel, table=True):
    """The last event of the chain (one row, migration 0011): a writer finds the
    previous hash here, locked, without reading ``event``. Not captured by undo:
    undo never removes events, it writes new ones."""

    __tablename__ = "history_head"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int | None = None
    hash: str = Field(max_length=64)


class ChangeSet(SQLModel, table=True):
    """What one writing command did, for ``undo`` (migration 0010): who, when, the
    command line, and (``change_row``) every row it added, changed or removed."""

    __tablename__ = "change_set"
    __table_args__ = (Index("ix_change_set_actor", "actor", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    at: datetime = Field(sa_type=DateTime)  # naive UTC
    actor: str = Field(max_length=NAME_MAX)
    command: str = Field(sa_column=Column(Text, nullable=False))  # secrets elided
    kind: str = Field(max_length=16)  # command, batch, undo, import
    undoes_id: int | None = Field(default=None, foreign_key="change_set.id")
    undone_by_id: int | None = Field(default=None, foreign_key="change_set.id")


class ChangeRow(SQLModel, table=True):
    """One row a change set touched: the table, the row's id, the operation and, for a
    change or a removal, the row as it was before (JSON). Written by triggers."""

    __tablename__ = "change_row"
    __table_args__ = (Index("ix_change_row_target", "tbl", "row_id"),)

    id: int | None = Field(default=None, primary_key=True)
    change_id: int = Field(foreign_key="change_set.id", index=True)
    tbl: str = Field(max_length=WORD_MAX)
    row_id: int
    op: str = Field(max_length=8)  # insert, update, delete
    image: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ChangeCurrent(SQLModel, table=True):
    """SQLite only: the change set the open write transaction records into (one row;
    NULL outside ``chainlead.cli.runtime.writing``). PostgreSQL keeps it in the
    transaction's own setting ``chainlead.change`` instead."""

    __tablename__ = "change_current"

    id: int | None = Field(default=None, primary_key=True)
    change_id: int | None = None


class AppUser(SQLModel, table=True):
    """A person who works on a shared PostgreSQL database, linked to the login role
    they connect as (migration 0013). Empty on SQLite: the file's owner is the
    boundary."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(max_length=36, unique=True)
    person_id: int = Field(foreign_key="person.id", unique=True, index=True)
    login: str = Field(max_length=63, unique=True)
    since: datetime = Field(sa_type=DateTime)  # naive UTC


class UserGrant(SQLModel, table=True):
    """What an app user may do (``chainlead.vocabulary.Access``): leader and team on
    ``chain_id`` (NULL: every chain), unit on ``unit_id``."""

    __tablename__ = "user_grant"
    __table_args__ = (Index("ix_user_grant_user_id", "user_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id")
    role: str = Field(max_length=16)
    chain_id: int | None = Field(default=None, foreign_key="chain.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    since: datetime = Field(sa_type=DateTime)  # naive UTC
