"""``import``: merge a checked snapshot into the database by UUID, all or nothing.

Planning reads the database (columns, a few queries per chain) and decides,
record by record, what is added, what is unchanged and what conflicts; it
also checks the references the snapshot leaves to the database (a person or
meeting it names but does not hold). Both go through the store
(``chainlead.store``) and a ``chainlead.store.connection.Reader`` (no ORM on a SQLite
file): the stored records are read by ``chainlead.snapshot.records``, and
rows are inserted in batches of plain tuples (``store.tables.insert_rows``)
parents first, in the caller's single transaction.

A snapshot is planned and written in parts -- the people, then one chain at
a time -- as ``import_records`` reads it, so memory holds one chain, not the
file; ``import_snapshot`` does the same for a snapshot already in memory.
Nothing more is written once a problem or a refused conflict turns up, and
the caller's transaction scope rolls back what was (every scope in
chainlead does on an exception): all or nothing, as if nothing had been
written before the whole plan stood. Into an empty SQLite database the plain
indexes of the big tables are dropped first and built once at the end
(``Merge._set_indexes_aside``), inside the same transaction.

Imported history is copied, not created: the snapshot's events are inserted
here as rows, the one sanctioned exception to ``history.record`` being the
only writer of the event table. No event is ever updated or deleted.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from chainlead.collector import without_cycle_collection
from chainlead.domain import backfill
from chainlead.domain.registry import fold
from chainlead.domain.seals import chain_order
from chainlead.domain.seals import link as link_hash
from chainlead.errors import RuleViolation, SnapshotInvalid
from chainlead.i18n import N_, _
from chainlead.said import escaped, said
from chainlead.snapshot import FORMAT_VERSION
from chainlead.snapshot.records import Record, Records
from chainlead.snapshot.schema import (
    PROBLEM_CAP,
    Checker,
    Problems,
    Snapshot,
    latest_progress,
    printable,
    standing,
)
from chainlead.store.assignments import clock_of
from chainlead.store.connection import Reader, stored_day, stored_time
from chainlead.store.enterprises import placements, rename_enterprise
from chainlead.store.history import event_contents, lock_head, move_head
from chainlead.store.items import decision_counts, set_item_decisions
from chainlead.store.meetings import delete_parts, let_go_decisions
from chainlead.store.tables import (
    build_indexes,
    insert_rows,
    largest_id,
    sequence_ids,
    set_indexes_aside,
    update_row,
    widen_page_cache,
)
from chainlead.store.units import unit_ids_by_name, unit_records
from chainlead.vocabulary import LEADER, ON_CONFLICT, RESPONSIBLE, UnitKind

if TYPE_CHECKING:
    from chainlead.snapshot.reader import Source

KINDS = (
    "units", "enterprises", "people", "chains", "enterprise_chains", "chain_links",
    "enterprise_links", "targets", "memberships", "meetings", "projects", "progress",
    "milestones", "items", "links", "item_enterprises", "assignments", "extensions",
    "follow_ups", "events",
)  # fmt: skip

Progress = Callable[[str, int, int], None]
Ref = int  # a row's id: stored, or given to a row this import adds

UNIT_FIELDS = ("name", "short", "kind", "contact", "created_at")
ENTERPRISE_FIELDS = (
    "name", "short", "credit_code", "contact", "park", "above_scale", "created_at",
)  # fmt: skip
PLACEMENT_FIELDS = ("enterprise", "segment", "lead", "created_at")
RAISER_FIELDS = ("enterprise", "created_at")
FOLLOW_UP_FIELDS = (
    "enterprise", "result", "by", "note", "asked_on", "reopened_on", "created_at",
)  # fmt: skip
PERSON_FIELDS = ("name", "unit", "title", "contact", "created_at")
CHAIN_FIELDS = ("code", "name", "description", "status", "archived", "created_at")
MEMBERSHIP_FIELDS = ("person", "role", "since", "until")
MEETING_FIELDS = ("key", "kind", "month", "held", "chair", "summary", "created_at")
# updated_at is not compared: the merged item keeps the later one.
# Formats 1 and 2 carry only these; format 3 the handling loop's fields too.
ITEM_FIELDS_2 = (
    "key", "title", "detail", "enterprise", "source", "category", "priority", "unit", "owner",
    "raised", "due", "status", "resolution", "resolved", "closed", "status_reason", "created_at",
)  # fmt: skip
# The clock (clock_due, receipt_due) is not compared: it follows from the merged item
# and its merged assignments, and is worked out again when they change.
ITEM_FIELDS_3 = ITEM_FIELDS_2 + (
    "original_due", "level", "red_due", "red_spells", "suspended_on", "suspended_until",
    "suspend_reason", "suspended_days", "urge_count", "last_urged_at", "decision",
)  # fmt: skip
ITEM_FIELDS_4 = ITEM_FIELDS_3 + ("reference",)  # format 4 on
ITEM_FIELDS = ITEM_FIELDS_4 + ("link", "project")  # format 5 on
CHAIN_LINK_FIELDS = ("name", "segment", "state", "position", "note", "created_at")
TARGET_FIELDS = ("year", "figure", "value", "unit", "kind", "created_at")
# percent and invested are not compared: they follow from the merged progress reports;
# updated_at is not either: the merged project keeps the later one.
PROJECT_FIELDS = (
    "key", "title", "type", "enterprise", "link", "unit", "owner", "investment",
    "investment_unit", "start", "end", "planned_end", "status", "finished", "dropped", "note",
    "created_at",
)  # fmt: skip
PROGRESS_FIELDS = ("as_of", "percent", "invested", "note", "why", "by", "created_at")
MILESTONE_FIELDS = ("title", "due", "done", "created_at")
# updated_at is not compared either: the merged assignment or extension keeps the later one.
ASSIGNMENT_FIELDS = (
    "unit", "role", "owner", "state", "assigned", "due", "receipt_due", "received", "reported",
    "report", "ended", "end_reason", "suggested", "created_at",
)  # fmt: skip
EXTENSION_FIELDS = (
    "unit", "kind", "state", "requested", "requested_by", "from_due", "to_due", "why", "decided",
    "decided_by", "decision_note", "created_at",
)  # fmt: skip
# The item columns of the handling loop, and the counters a snapshot leaves out at zero.
_LOOP_COLUMNS = (
    "original_due_on", "clock_due", "receipt_due", "level", "red_due", "red_spells",
    "suspended_on", "suspended_until", "suspend_reason", "suspended_days", "urge_count",
    "last_urged_at",
)  # fmt: skip
_ZEROS = ("level", "red_spells", "suspended_days", "urge_count")
EVENT_FIELDS_2 = ("at", "actor", "kind", "meeting", "person", "field", "old", "new", "text")
EVENT_FIELDS_3 = EVENT_FIELDS_2 + ("unit",)
EVENT_FIELDS_5 = EVENT_FIELDS_3 + ("project",)  # format 5 on
EVENT_FIELDS = EVENT_FIELDS_5 + ("login",)  # format 6 on
EVENT_COLUMNS = (
    "uuid", "at", "actor", "kind", "chain_id", "item_id", "meeting_id", "person_id", "unit_id",
    "field", "old", "new", "text", "project_id", "login",
)  # fmt: skip
UNVERIFIED = 6  # formats before this one carry no hashes: ``accept_unverified`` takes them
Table = str  # a table's name
PERSON, CHAIN, MEMBERSHIP, MEETING, ITEM, LINK, EVENT = (
    "person", "chain", "membership", "meeting", "item", "meeting_item", "event",
)  # fmt: skip
ATTENDEE, DECISION, FIGURE = "meeting_attendee", "meeting_decision", "meeting_figure"
UNIT = "unit"
ASSIGNMENT, EXTENSION = "assignment", "extension"
ENTERPRISE, PLACEMENT, RAISER, FOLLOW_UP = (
    "enterprise", "enterprise_chain", "item_enterprise", "follow_up",
)  # fmt: skip
CHAIN_LINK, ENTERPRISE_LINK, TARGET, PROJECT, PROGRESS, MILESTONE = (
    "chain_link", "enterprise_link", "target", "project", "project_progress", "project_milestone",
)  # fmt: skip
SUBRECORDS = (
    ("attendees", ATTENDEE, ("name",)),
    ("decisions", DECISION, ("text",)),
    ("figures", FIGURE, ("name", "value", "unit")),
)
ID_BLOCK = 1000  # ids taken from a PostgreSQL sequence at a time
BATCH = 5000  # rows handed to the driver at a time
ORDER: tuple[Table, ...] = (
    UNIT, ENTERPRISE, PERSON, CHAIN, PLACEMENT, CHAIN_LINK, ENTERPRISE_LINK, TARGET, MEMBERSHIP,
    MEETING, ATTENDEE, DECISION, FIGURE, PROJECT, PROGRESS, MILESTONE, ITEM, LINK, RAISER,
    ASSIGNMENT, EXTENSION, FOLLOW_UP, EVENT,
)  # fmt: skip
# The date and time columns of the rows the merge builds: stored as text on SQLite.
DAYS: dict[Table, tuple[str, ...]] = {
    CHAIN: ("archived_on",),
    MEMBERSHIP: ("since", "until"),
    MEETING: ("held_on",),
    ITEM: (
        "raised_on", "due_on", "resolved_on", "closed_on", "original_due_on", "clock_due",
        "receipt_due", "red_due", "suspended_on", "suspended_until",
    ),
    ASSIGNMENT: (
        "assigned_on", "due_on", "receipt_due", "received_on", "reported_on", "ended_on",
    ),
    EXTENSION: ("requested_on", "from_due", "to_due", "decided_on"),
    FOLLOW_UP: ("asked_on", "reopened_on"),
    PROJECT: ("start_on", "end_on", "planned_end_on", "finished_on", "dropped_on"),
    PROGRESS: ("as_of",),
    MILESTONE: ("due_on", "done_on"),
}  # fmt: skip
TIMES: dict[Table, tuple[str, ...]] = {
    PERSON: ("created_at",),
    UNIT: ("created_at",),
    CHAIN: ("created_at",),
    MEETING: ("created_at",),
    ITEM: ("created_at", "updated_at", "last_urged_at"),
    ASSIGNMENT: ("created_at", "updated_at"),
    EXTENSION: ("created_at", "updated_at"),
    ENTERPRISE: ("created_at",),
    PLACEMENT: ("created_at",),
    RAISER: ("created_at",),
    FOLLOW_UP: ("created_at",),
    CHAIN_LINK: ("created_at",),
    ENTERPRISE_LINK: ("created_at",),
    TARGET: ("created_at",),
    PROJECT: ("created_at", "updated_at"),
    PROGRESS: ("created_at",),
    MILESTONE: ("created_at",),
}


@dataclass
class Refs:
    """What a chain's records may name, as rows: its links by name, its projects and
    meetings by the snapshot's keys (stored ones are looked up when not here)."""

    chain: Ref
    code: str
    links: dict[str, Ref]
    projects: dict[str, Ref]
    meetings: dict[str, Ref]


@dataclass(frozen=True)
class Tally:
    """Records of one kind: added, unchanged, conflicting."""

    kind: str
    added: int
    unchanged: int
    conflicting: int


@dataclass(frozen=True)
class ImportSummary:
    """What an import did (or, on a dry run, would do)."""

    source: str
    dry_run: bool
    on_conflict: str
    tallies: tuple[Tally, ...]
    conflicts: tuple[str, ...]
    notes: tuple[str, ...]
    refusal: SnapshotConflict | None = None  # why the import is (or would be) refused

    @property
    def added(self) -> int:
        return sum(t.added for t in self.tallies)

    @property
    def shown(self) -> ImportShown:
        """What ``import --json`` prints."""
        return ImportShown(
            source=self.source,
            dry_run=self.dry_run,
            on_conflict=self.on_conflict,
            refused=self.refusal is not None,
            records=self.tallies,
            conflicts=self.conflicts,
            notes=self.notes,
        )


@dataclass(frozen=True)
class ImportShown:
    """An import's outcome as data: the tallies by kind of record, no exception."""

    source: str
    dry_run: bool
    on_conflict: str
    refused: bool
    records: tuple[Tally, ...]
    conflicts: tuple[str, ...]
    notes: tuple[str, ...]


class SnapshotConflict(RuleViolation):
    """The snapshot disagrees with the database; nothing was imported."""

    def __init__(self, name: str, lines: list[str], total: int, *, settleable: bool) -> None:
        from chainlead.said import shown

        if total == 1:
            if settleable:
                said_ = _(
                    "{name}: {line}; nothing was imported (--on-conflict ours or theirs settles it)"
                )
            else:
                said_ = _(
                    "{name}: {line}; nothing was imported (no --on-conflict choice settles it)"
                )
            text = said_.format(name=name, line=shown(lines[0]))
        else:
            if total > len(lines):
                listed = _("the first {n} listed above").format(n=len(lines))
            else:
                listed = _("listed above")
            if settleable:
                said_ = _(
                    "{name}: {total} conflicts with the database ({listed}); nothing was "
                    "imported; --on-conflict ours or theirs settles them"
                )
            else:
                said_ = _(
                    "{name}: {total} conflicts with the database ({listed}); nothing was "
                    "imported; no --on-conflict choice settles them"
                )
            text = said_.format(name=name, total=total, listed=listed)
        super().__init__(text)
        self.problems = list(lines) if total > 1 else []


def _differs(ours: Record, theirs: Record, fields: tuple[str, ...]) -> list[str]:
    return [name for name in fields if ours.get(name) != theirs.get(name)]


class Rows:
    """Rows to insert into one table, kept as tuples (a third of the memory of dicts).

    ``stored``: the values are already in the database's own form
    (``reader.stored_time``), as event rows are built.
    """

    def __init__(self) -> None:
        self.columns: tuple[str, ...] = ()
        self.rows: list[tuple[Any, ...]] = []
        self.stored = False
        self._pick: Callable[[dict[str, Any]], tuple[Any, ...]] | None = None

    def add(self, row: dict[str, Any]) -> None:
        if self._pick is None:
            self.columns = tuple(row)
            self._pick = itemgetter(*self.columns)
        self.rows.append(self._pick(row))


class Merge:
    """The plan for one snapshot against one database, then its application."""

    def __init__(
        self,
        db: Reader,
        *,
        name: str,
        on_conflict: str,
        dry_run: bool = False,
        accept_unverified: bool = False,
    ) -> None:
        self.db = db
        self.dry_run = dry_run
        self.next_ids: dict[Table, int] = {}
        self.id_pools: dict[Table, list[int]] = {}
        # At most this many ids per table are still needed (PostgreSQL takes no more):
        # set before each part of the snapshot is planned.
        self.id_needs: dict[Table, int] = {}
        self.written = 0  # rows written so far
        self.stored_time = stored_time(db)  # a time as the database stores it
        self.aside: list[str] = []  # indexes dropped for the import, built again at its end
        self.name = name
        self.on_conflict = on_conflict
        self.store = Records(db)
        self.problems = Problems()
        self.conflicts: list[str] = []
        self.conflict_total = 0
        self.unsettled = False
        self.notes: list[str] = []
        self.counts: dict[str, list[int]] = {kind: [0, 0, 0] for kind in KINDS}
        self.inserts: dict[Table, Rows] = defaultdict(Rows)
        self.updates: list[tuple[Table, int, dict[str, Any]]] = []
        self.deletes: list[tuple[Table, int]] = []  # meeting sub-records by meeting id
        self.person_refs: dict[str, Ref] = {}
        self.unit_refs: dict[str, Ref] = {}  # institutions by name: stored, or added here
        self.enterprise_refs: dict[str, Ref] = {}  # enterprises by name: stored, or added here
        # Enterprises an item of a format 1-3 snapshot names, added here (their rows, by
        # name; those not yet handed to ``inserts``: created when their first item was).
        self.backfilled: dict[str, dict[str, Any]] = {}
        self.waiting: list[str] = []
        self.renames: list[tuple[Ref, str]] = []  # stored enterprises given the snapshot's name
        self.version = FORMAT_VERSION  # the snapshot's format version
        self.accept_unverified = accept_unverified  # formats before 6 (no hashes) taken
        # Every snapshot event's prev, hash and time by uuid (format 6 on), and the places
        # of the events in the snapshot's chain once verified.
        self.chained: dict[str, tuple[str | None, str | None, datetime]] = {}
        self.places: dict[str, int] = {}
        # Stored records a snapshot's record was taken to be (the same name or code, another
        # uuid): the snapshot's hashes name them by the snapshot's uuid.
        self.aliases: dict[Table, dict[Ref, str]] = defaultdict(dict)
        # The time of the events an item of a format 1 or 2 snapshot is given.
        self.now = datetime.now(UTC).replace(tzinfo=None)
        # Items made of a meeting decision: (item, meeting, decision position), set once
        # the rows are written.
        self.decision_links: list[tuple[Ref, Ref | None, int | None]] = []

    # ------------------------------------------------------------------ bookkeeping

    def new_id(self, table: Table) -> int:
        """The id a row this import adds will have: rows are linked before they are written.

        SQLite: counting up from the largest id (the write transaction holds
        the database lock). PostgreSQL: from the table's own sequence, a block
        at a time, so concurrent writers never get the same id. A dry run
        hands out ids that are never written.
        """
        value = self.next_ids.get(table)
        if value is not None:  # SQLite (and dry runs), after the first
            self.next_ids[table] = value + 1
            return value
        if not self.db.sqlite and not self.dry_run:
            pool = self.id_pools.setdefault(table, [])
            if not pool:
                block = max(1, min(ID_BLOCK, self.id_needs.get(table, 1)))
                self.id_needs[table] = self.id_needs.get(table, 1) - block
                pool.extend(sorted(sequence_ids(self.db, table, block), reverse=True))
            return pool.pop()
        value = largest_id(self.db, table) + 1
        self.next_ids[table] = value + 1
        return value

    def added(self, kind: str, table: Table, row: dict[str, Any]) -> None:
        self.counts[kind][0] += 1
        self.inserts[table].add(row)

    def note(self, line: str) -> None:
        self.notes.append(escaped(line, printable))

    def unchanged(self, kind: str) -> None:
        self.counts[kind][1] += 1

    def conflict(self, kind: str, line: str, *, settleable: bool = True) -> None:
        self.counts[kind][2] += 1
        self.conflict_total += 1
        if not settleable:
            self.unsettled = True
        if len(self.conflicts) < PROBLEM_CAP:
            self.conflicts.append(escaped(line, printable))

    def summary(self, *, dry_run: bool) -> ImportSummary:
        """What the import did or, on a dry run, would do: a refused import does
        nothing, so it notes nothing ("IC-7 added as IC-8" is what a settled run does)."""
        refusal = self.refusal()
        return ImportSummary(
            source=self.name,
            dry_run=dry_run,
            on_conflict=self.on_conflict,
            tallies=tuple(Tally(kind, *self.counts[kind]) for kind in KINDS),
            conflicts=tuple(self.conflicts),
            notes=() if refusal is not None else tuple(self.notes),
            refusal=refusal,
        )

    # ------------------------------------------------------------------ planning
    #
    # A snapshot is planned in parts, in file order: ``start``, then ``people``
    # (all of them: chains refer to them), each ``chain``, then the top-level
    # ``history``. Every part reads the stored records it is compared with
    # before anything is written; ``write`` applies what is planned so far.

    def start(self) -> None:
        """Read what every part is compared with: stored people, chains and uuids."""
        empty = self.store.is_empty()
        self._load_globals(empty)
        if empty and not self.dry_run:
            self._set_indexes_aside()
        if not empty:
            # Names and keys as they were before the import, for every part.
            self.store.person_names  # noqa: B018
            self.store.meeting_keys  # noqa: B018

    def _set_indexes_aside(self) -> None:
        """SQLite: drop the plain indexes of the big tables, to build them once at the end.

        Only into an empty database, where the import is all there is: an
        index built over sorted keys costs a fraction of one kept up row by
        row. The unique indexes stay (they are rules); ``restore_indexes``
        runs each dropped index's own CREATE statement again, so the schema
        ends exactly as it was. A failed import rolls the drop back too.
        """
        if not self.db.sqlite:
            return
        self.aside = set_indexes_aside(self.db, (EVENT, ITEM, LINK, RAISER, FOLLOW_UP, PLACEMENT))

    def restore_indexes(self) -> None:
        build_indexes(self.db, self.aside)
        self.aside = []

    def units(self, units: list[Record]) -> None:
        self.id_needs[UNIT] = len(units)
        self._plan_units(units)

    def enterprises(self, enterprises: list[Record]) -> None:
        self.id_needs[ENTERPRISE] = len(enterprises)
        self._plan_enterprises(enterprises)

    def people(self, people: list[Record]) -> None:
        self.id_needs[PERSON] = len(people)
        self._plan_people(people)

    def chain(self, index: int, chain: Record) -> None:
        self.id_needs.update(
            {
                CHAIN: 1,
                MEETING: len(chain["meetings"]),
                ITEM: len(chain["items"]),
                CHAIN_LINK: len(chain["links"]),
                PROJECT: len(chain["projects"]),
                UNIT: len(chain["items"]),
                ENTERPRISE: len(chain["items"]),
            }
        )
        self._plan_chain(index, chain)

    def history(self, events: list[Record]) -> None:
        self._plan_events("history", events, self.db_top_history, {}, "top")

    @property
    def writable(self) -> bool:
        """Whether what is planned may be written now: no problem, nothing refused."""
        return (
            not self.dry_run and not self.problems and self.refusal() is None and self.verifiable()
        )

    def verifiable(self) -> bool:
        """Whether the snapshot's format carries hashes, or an unverified one is accepted."""
        return self.version >= UNVERIFIED or self.accept_unverified

    def refuse_unverifiable(self) -> None:
        """A snapshot of a format before 6 carries no hashes to verify its history by: it
        is refused unless ``accept_unverified`` (its events are then chained here)."""
        if not self.verifiable():
            raise SnapshotInvalid(
                said(
                    N_(
                        "{name} is snapshot format version {version}, without hashes to "
                        "verify its history by; import it with --accept-unverified"
                    ),
                    name=self.name,
                    version=self.version,
                )
            )

    def refusal(self) -> SnapshotConflict | None:
        """The conflict error when conflicts stand in the way, else None."""
        if self.conflict_total and (self.on_conflict == "fail" or self.unsettled):
            return SnapshotConflict(
                self.name, self.conflicts, self.conflict_total, settleable=not self.unsettled
            )
        return None

    def _load_globals(self, empty: bool) -> None:
        store = self.store
        people = [] if empty else store.people()
        self.db_people = {p["uuid"]: p for p in people}
        self.db_people_by_name = {p["name"]: p for p in people}
        chains = [] if empty else store.chains()
        self.db_chains = {c["uuid"]: c for c in chains}
        self.db_chains_by_code = {c["code"]: c for c in chains}
        self.db_chains_by_name = {c["name"].casefold(): c for c in chains}
        self.db_top_history = {} if empty else {e["uuid"]: e for e in store.top_history()}
        self.unit_refs = unit_ids_by_name(self.db)
        units = unit_records(self.db)  # a database may hold units and nothing else
        self.db_units = {u["uuid"]: u for u in units}
        self.db_units_by_name = {u["name"]: u for u in units}
        self.db_unit_shorts = {u["short"]: u for u in units if u["short"] is not None}
        enterprises = store.enterprises()  # and enterprises and nothing else
        self.db_enterprises = {e["uuid"]: e for e in enterprises}
        self.db_enterprises_by_name = {e["name"]: e for e in enterprises}
        self.db_enterprise_keys = {
            (key, e[key]): e for e in enterprises for key in ("short", "credit_code") if e[key]
        }
        self.enterprise_refs = {e["name"]: e["_id"] for e in enterprises}
        self.placed = set() if empty else placements(self.db)

        def uuids(table: Table) -> set[str]:
            return set() if empty else store.uuids(table)

        self.all_items = uuids(ITEM)
        self.all_meetings = uuids(MEETING)
        self.all_meeting_keys = {} if empty else store.meetings_by_key()
        self.all_memberships = uuids(MEMBERSHIP)
        self.all_links = uuids(LINK)
        self.all_events = uuids(EVENT)
        self.all_assignments = uuids(ASSIGNMENT)
        self.all_extensions = uuids(EXTENSION)
        self.all_placements = uuids(PLACEMENT)
        self.all_raisers = uuids(RAISER)
        self.all_follow_ups = uuids(FOLLOW_UP)
        self.all_chain_links = uuids(CHAIN_LINK)
        self.all_enterprise_links = uuids(ENTERPRISE_LINK)
        self.all_targets = uuids(TARGET)
        self.all_projects = uuids(PROJECT)
        self.all_progress = uuids(PROGRESS)
        self.all_milestones = uuids(MILESTONE)
        self.all_project_keys = {} if empty else store.projects_by_key()

    # units -----------------------------------------------------------------

    def _plan_units(self, units: list[Record]) -> None:
        """Units by uuid, else by name: a unit of a stored name is the stored unit."""
        for index, unit in enumerate(units):
            path = f"units[{index}]"
            stored = self.db_units.get(unit["uuid"])
            if stored is None and unit["name"] in self.db_units_by_name:
                stored = self.db_units_by_name[unit["name"]]
                fields: tuple[str, ...] = UNIT_FIELDS[1:4]  # the same name: details only
            else:
                fields = UNIT_FIELDS
            if stored is None:
                clash = self.db_unit_shorts.get(unit["short"])
                if clash is not None:
                    self.conflict(
                        "units",
                        said(
                            N_("{path}.short: {value} is the short name of stored unit {value2}"),
                            path=path,
                            value=unit["short"],
                            value2=clash["name"],
                        ),
                        settleable=False,
                    )
                    continue
                ref = self.new_id(UNIT)
                self.added("units", UNIT, {"id": ref, "uuid": unit["uuid"], **self._unit(unit)})
                self.unit_refs[unit["name"]] = ref
                continue
            ref = stored["_id"]
            self.unit_refs[unit["name"]] = ref
            if stored["uuid"] != unit["uuid"]:  # the same name: the snapshot's history names it so
                self.aliases[UNIT][ref] = unit["uuid"]
            differs = _differs(stored, unit, fields)
            if not differs:
                self.unchanged("units")
                continue
            self.conflict(
                "units",
                said(
                    N_("{path}: {value} differs from the stored unit ({differs})"),
                    path=path,
                    value=unit["name"],
                    differs=", ".join(differs),
                ),
            )
            if self.on_conflict != "theirs":
                continue
            values = self._unit(unit)
            if fields is not UNIT_FIELDS:
                del values["name"], values["created_at"]
            for key, taken in (("name", self.db_units_by_name), ("short", self.db_unit_shorts)):
                other = taken.get(values.get(key)) if key in values else None
                if other is not None and other["_id"] != ref:
                    self.conflict(
                        "units",
                        said(
                            N_("{path}.{key}: {value} is taken by stored unit {value2}"),
                            path=path,
                            key=key,
                            value=values[key],
                            value2=other["name"],
                        ),
                        settleable=False,
                    )
            self.updates.append((UNIT, ref, values))

    @staticmethod
    def _unit(unit: Record) -> dict[str, Any]:
        return {name: unit[name] for name in UNIT_FIELDS}

    # enterprises -----------------------------------------------------------

    def _plan_enterprises(self, enterprises: list[Record]) -> None:
        """Enterprises by uuid, else by name: an enterprise of a stored name is the stored
        one (its details compared), as units are merged."""
        for index, enterprise in enumerate(enterprises):
            path = f"enterprises[{index}]"
            name = enterprise["name"]
            enterprise["above_scale"] = bool(enterprise["above_scale"])
            stored = self.db_enterprises.get(enterprise["uuid"])
            if stored is None and name in self.db_enterprises_by_name:
                stored = self.db_enterprises_by_name[name]
                fields: tuple[str, ...] = ENTERPRISE_FIELDS[1:6]  # the same name: details only
            else:
                fields = ENTERPRISE_FIELDS
            if stored is None:
                if self._enterprise_clash(path, enterprise, None):
                    continue
                ref = self.new_id(ENTERPRISE)
                self.added(
                    "enterprises",
                    ENTERPRISE,
                    {"id": ref, "uuid": enterprise["uuid"], **self._enterprise(enterprise)},
                )
                self.enterprise_refs[name] = ref
                continue
            ref = stored["_id"]
            self.enterprise_refs[name] = ref
            differs = _differs(stored, enterprise, fields)
            if not differs:
                self.unchanged("enterprises")
                continue
            self.conflict(
                "enterprises",
                said(
                    N_("{path}: {name} differs from the stored enterprise ({differs})"),
                    path=path,
                    name=name,
                    differs=", ".join(differs),
                ),
            )
            if self.on_conflict != "theirs":
                continue
            values = self._enterprise(enterprise)
            del values["name"], values["created_at"]
            self._enterprise_clash(path, enterprise, ref)
            if fields is ENTERPRISE_FIELDS:
                values["created_at"] = enterprise["created_at"]
                if stored["name"] != name:
                    self._enterprise_clash(path, enterprise, ref, keys=("name",))
                    self.renames.append((ref, name))
            self.updates.append((ENTERPRISE, ref, values))

    def _enterprise_clash(
        self,
        path: str,
        enterprise: Record,
        ref: Ref | None,
        *,
        keys: tuple[str, ...] = ("short", "credit_code"),
    ) -> bool:
        """Whether a name, short name or credit code is another stored enterprise's (a
        conflict no option settles)."""
        clashed = False
        for key in keys:
            value = enterprise[key]
            other = (
                self.db_enterprises_by_name.get(value)
                if key == "name"
                else self.db_enterprise_keys.get((key, value))
            )
            if value is not None and other is not None and other["_id"] != ref:
                self.conflict(
                    "enterprises",
                    said(
                        N_("{path}.{key}: {value} is the {replace} of stored enterprise {value2}"),
                        path=path,
                        key=key,
                        value=value,
                        replace=key.replace("_", " "),
                        value2=other["name"],
                    ),
                    settleable=False,
                )
                clashed = True
        return clashed

    @staticmethod
    def _enterprise(enterprise: Record) -> dict[str, Any]:
        return {name: enterprise[name] for name in ENTERPRISE_FIELDS}

    def enterprise(self, name: str | None, path: str) -> Ref | None:
        """The enterprise a name refers to: in the snapshot, else in the database."""
        if name is None:
            return None
        ref = self.enterprise_refs.get(name)
        if ref is None:
            self.problems.add(
                path, _("expected the name of an enterprise in the snapshot or the database"), name
            )
        return ref

    def _backfilled_enterprise(self, name: str, created_at: Any) -> Ref:
        """The enterprise an item of a format 1-3 snapshot names: the snapshot's or the
        stored one of that exact name, else one this import adds, created when the first
        item naming it was (as the upgrade to schema 0006 does)."""
        ref = self.enterprise_refs.get(name)
        row = self.backfilled.get(name)
        if ref is None:
            ref = self.enterprise_refs[name] = self.new_id(ENTERPRISE)
            self.backfilled[name] = {
                "id": ref,
                "uuid": str(uuid.uuid4()),
                "name": name,
                "short": None,
                "credit_code": None,
                "contact": None,
                "park": None,
                "above_scale": False,
                "created_at": created_at,
            }
            self.waiting.append(name)
            self.counts["enterprises"][0] += 1
        elif row is not None and created_at < row["created_at"]:
            row["created_at"] = created_at
            if name not in self.waiting:  # written already
                self.updates.append((ENTERPRISE, ref, {"created_at": created_at}))
        return ref

    def _place(self, enterprise: Ref, chain_ref: Ref, created_at: Any) -> None:
        """Put an enterprise on a chain (no segment, not its lead) unless it is there."""
        if (enterprise, chain_ref) in self.placed:
            return
        self.placed.add((enterprise, chain_ref))
        self.added(
            "enterprise_chains",
            PLACEMENT,
            {
                "uuid": str(uuid.uuid4()),
                "enterprise_id": enterprise,
                "chain_id": chain_ref,
                "segment": None,
                "lead": False,
                "created_at": created_at,
            },
        )

    def _plan_placements(
        self, path: str, chain: Record, chain_ref: Ref, stored: list[Record]
    ) -> None:
        """Union the enterprises on a chain by uuid, else by enterprise: the same enterprise
        placed on both sides is one placement (its segment and lead mark compared)."""
        by_uuid = {p["uuid"]: p for p in stored}
        by_enterprise = {p["_enterprise"]: p for p in stored}
        for index, placement in enumerate(chain["enterprises"]):
            ppath = f"{path}.enterprises[{index}]"
            placement["lead"] = bool(placement["lead"])
            enterprise = self.enterprise(placement["enterprise"], f"{ppath}.enterprise")
            mine = by_uuid.get(placement["uuid"])
            fields = PLACEMENT_FIELDS
            if mine is None:
                if placement["uuid"] in self.all_placements:
                    self.conflict(
                        "enterprise_chains",
                        said(N_("{ppath}.uuid: stored on another chain"), ppath=ppath),
                        settleable=False,
                    )
                    continue
                mine = by_enterprise.get(enterprise)
                fields = PLACEMENT_FIELDS[1:3]
            if mine is None:
                if enterprise is not None:
                    self.placed.add((enterprise, chain_ref))
                    self.added(
                        "enterprise_chains",
                        PLACEMENT,
                        {
                            "uuid": placement["uuid"],
                            "enterprise_id": enterprise,
                            "chain_id": chain_ref,
                            "segment": placement["segment"],
                            "lead": placement["lead"],
                            "created_at": placement["created_at"],
                        },
                    )
                continue
            differs = _differs(mine, placement, fields)
            if not differs:
                self.unchanged("enterprise_chains")
                continue
            moved = "enterprise" in differs
            self.conflict(
                "enterprise_chains",
                said(
                    N_("{ppath}: {value} on {value2} differs from the stored one ({differs})"),
                    ppath=ppath,
                    value=placement["enterprise"],
                    value2=chain["code"],
                    differs=", ".join(differs),
                ),
                settleable=not moved,
            )
            if self.on_conflict == "theirs" and not moved:
                values = {"segment": placement["segment"], "lead": placement["lead"]}
                if "created_at" in fields:
                    values["created_at"] = placement["created_at"]
                self.updates.append((PLACEMENT, mine["_id"], values))

    def _plan_raisers(
        self, ipath: str, item: Record, ref: Ref, mine: Record | None, taken: bool
    ) -> None:
        """Union the enterprises that raised an item by uuid: new ones follow the stored
        ones in the order named; an enterprise named on both sides is named once. The
        item's ``enterprise`` text stays the first one's name."""
        stored = mine["enterprises"] if mine is not None else []
        by_uuid = {r["uuid"]: r for r in stored}
        names = [r["enterprise"] for r in stored]
        for index, raiser in enumerate(item["enterprises"]):
            rpath = f"{ipath}.enterprises[{index}]"
            enterprise = self.enterprise(raiser["enterprise"], f"{rpath}.enterprise")
            theirs = by_uuid.get(raiser["uuid"])
            if theirs is not None:
                differs = _differs(theirs, raiser, RAISER_FIELDS)
                if not differs:
                    self.unchanged("item_enterprises")
                    continue
                moved = "enterprise" in differs
                self.conflict(
                    "item_enterprises",
                    said(
                        N_("{rpath}: differs from the stored enterprise of {value} ({differs})"),
                        rpath=rpath,
                        value=item["key"],
                        differs=", ".join(differs),
                    ),
                    settleable=not moved,
                )
                if self.on_conflict == "theirs" and not moved:
                    self.updates.append(
                        (RAISER, theirs["_id"], {"created_at": raiser["created_at"]})
                    )
                continue
            if raiser["uuid"] in self.all_raisers:
                self.conflict(
                    "item_enterprises",
                    said(N_("{rpath}.uuid: stored on another item"), rpath=rpath),
                    settleable=False,
                )
                continue
            if raiser["enterprise"] in names:
                self.unchanged("item_enterprises")  # the same enterprise, named on both sides
                continue
            names.append(raiser["enterprise"])
            self.added(
                "item_enterprises",
                RAISER,
                {
                    "uuid": raiser["uuid"],
                    "item_id": ref,
                    "enterprise_id": enterprise,
                    "position": len(names),
                    "created_at": raiser["created_at"],
                },
            )
        if mine is not None:
            first = names[0] if names else None
            text = item["enterprise"] if taken else mine["enterprise"]
            if text != first:
                self.updates.append((ITEM, ref, {"enterprise": first}))

    def _plan_follow_ups(self, ipath: str, item: Record, ref: Ref, mine: Record | None) -> None:
        """Union an item's follow-ups by uuid; a union that leaves an enterprise two current
        follow-ups of the item (not set aside by a reopening) is a conflict."""
        stored = {f["uuid"]: f for f in mine["follow_ups"]} if mine is not None else {}
        kept = dict(stored)
        for index, follow_up in enumerate(item["follow_ups"]):
            fpath = f"{ipath}.follow_ups[{index}]"
            row = {
                "uuid": follow_up["uuid"],
                "item_id": ref,
                "enterprise_id": self.enterprise(follow_up["enterprise"], f"{fpath}.enterprise"),
                "result": follow_up["result"],
                "by_id": self.person(follow_up["by"], f"{fpath}.by"),
                "note": follow_up["note"],
                "asked_on": follow_up["asked_on"],
                "reopened_on": follow_up["reopened_on"],
                "created_at": follow_up["created_at"],
            }
            theirs = stored.get(follow_up["uuid"])
            if theirs is None:
                if follow_up["uuid"] in self.all_follow_ups:
                    self.conflict(
                        "follow_ups",
                        said(N_("{fpath}.uuid: stored on another item"), fpath=fpath),
                        settleable=False,
                    )
                    continue
                self.added("follow_ups", FOLLOW_UP, row)
                kept[follow_up["uuid"]] = follow_up
                continue
            differs = _differs(theirs, follow_up, FOLLOW_UP_FIELDS)
            if not differs:
                self.unchanged("follow_ups")
                continue
            self.conflict(
                "follow_ups",
                said(
                    N_("{fpath}: differs from the stored follow-up of {value} ({differs})"),
                    fpath=fpath,
                    value=item["key"],
                    differs=", ".join(differs),
                ),
            )
            if self.on_conflict == "theirs":
                del row["uuid"], row["item_id"]
                self.updates.append((FOLLOW_UP, theirs["_id"], row))
                kept[follow_up["uuid"]] = follow_up
        current = [
            f["enterprise"]
            for f in kept.values()
            if f["reopened_on"] is None and f["enterprise"] is not None
        ]
        for name in sorted({n for n in current if current.count(n) > 1}):
            self.conflict(
                "follow_ups",
                said(
                    N_(
                        "{ipath}.follow_ups: {value} would have {count} current "
                        "follow-ups of {name}"
                    ),
                    ipath=ipath,
                    value=item["key"],
                    count=current.count(name),
                    name=name,
                ),
                settleable=False,
            )

    def _backfill_enterprises(self, ipath: str, item: Record, ref: Ref, chain_ref: Ref) -> None:
        """An item of a format 1, 2 or 3 snapshot: its enterprise text as a record linked
        first and put on its chain, its earlier answers as follow-ups, as the upgrade to
        schema 0006 gives them."""
        name = item["enterprise"]
        enterprise = None
        if name is not None:
            enterprise = self._backfilled_enterprise(name, item["created_at"])
            self.added(
                "item_enterprises",
                RAISER,
                {
                    "uuid": str(uuid.uuid4()),
                    "item_id": ref,
                    "enterprise_id": enterprise,
                    "position": 1,
                    "created_at": item["created_at"],
                },
            )
            self._place(enterprise, chain_ref, item["created_at"])
        for follow_up in backfill.follow_ups(item["history"]):
            by = self.person_refs.get(follow_up["by"])
            if by is None:
                stored = self.db_people_by_name.get(follow_up["by"])
                if stored is None:
                    continue  # the event names nobody known: reported with the event
                by = stored["_id"]
            self.added(
                "follow_ups",
                FOLLOW_UP,
                {
                    "uuid": str(uuid.uuid4()),
                    "item_id": ref,
                    "enterprise_id": enterprise,
                    "result": follow_up["result"],
                    "by_id": by,
                    "note": follow_up["note"],
                    "asked_on": follow_up["asked_on"],
                    "reopened_on": follow_up["reopened_on"],
                    "created_at": follow_up["created_at"],
                },
            )

    # the chain's map, targets and projects ----------------------------------

    def _link(self, name: str | None, path: str, refs: Refs) -> Ref | None:
        """The link a name refers to: the chain's, in the snapshot or the database."""
        if name is None:
            return None
        ref = refs.links.get(name)
        if ref is None:
            self.problems.add(
                path,
                _(
                    "expected the name of a link of chain {code}, in the snapshot or the database"
                ).format(code=refs.code),
                name,
            )
        return ref

    def _project(self, key: str | None, path: str, refs: Refs) -> Ref | None:
        """The project a key refers to: this chain's, in the snapshot or the database."""
        if key is None:
            return None
        ref = refs.projects.get(key)
        if ref is not None:
            return ref
        stored = self.all_project_keys.get(key)
        if stored is not None and stored[1] == refs.chain:
            return stored[0]
        self.problems.add(
            path,
            _("expected the key of a project of this chain, in the snapshot or the database"),
            key,
        )
        return None

    def _named_unit(self, name: str | None, path: str) -> Ref | None:
        """The unit a project names: in the snapshot or the database."""
        if name is None:
            return None
        ref = self.unit_refs.get(name)
        if ref is None:
            self.problems.add(
                path, _("expected the name of a unit in the snapshot or the database"), name
            )
        return ref

    def _plan_map(
        self, path: str, chain: Record, chain_ref: Ref, stored: list[Record]
    ) -> dict[str, Ref]:
        """The chain's links by uuid, else by name, any case or width (a link of a stored
        name is the stored one, its details compared); a link new to the database takes
        the next free position after the stored ones, in the snapshot's order. Returns
        every link of the chain by name (the snapshot's names and the stored ones)."""
        refs = {link["name"]: link["_id"] for link in stored}
        by_uuid = {link["uuid"]: link for link in stored}
        by_name = {fold(link["name"]): link for link in stored}
        position = max((link["position"] for link in stored), default=0)
        for index, link in enumerate(chain["links"]):
            lpath = f"{path}.links[{index}]"
            mine = by_uuid.get(link["uuid"])
            fields = CHAIN_LINK_FIELDS
            if mine is None:
                if link["uuid"] in self.all_chain_links:
                    self.conflict(
                        "chain_links",
                        said(N_("{lpath}.uuid: stored on another chain"), lpath=lpath),
                        settleable=False,
                    )
                    continue
                mine = by_name.get(fold(link["name"]))
                fields = CHAIN_LINK_FIELDS[1:5]  # the same name: details only
                if mine is not None and mine["name"] != link["name"]:
                    self.note(
                        said(
                            N_("{lpath}: {value} taken to be the stored link {value2}"),
                            lpath=lpath,
                            value=link["name"],
                            value2=mine["name"],
                        )
                    )
            values = {name: link[name] for name in CHAIN_LINK_FIELDS}
            if mine is None:
                if stored:  # after the stored links: the snapshot's positions may be taken
                    position += 1
                    values["position"] = position
                ref = self.new_id(CHAIN_LINK)
                refs[link["name"]] = ref
                self.added(
                    "chain_links",
                    CHAIN_LINK,
                    {"id": ref, "uuid": link["uuid"], "chain_id": chain_ref, **values},
                )
                continue
            refs[link["name"]] = mine["_id"]
            differs = _differs(mine, link, fields)
            if not differs:
                self.unchanged("chain_links")
                continue
            self.conflict(
                "chain_links",
                said(
                    N_("{lpath}: {value} on {value2} differs from the stored link ({differs})"),
                    lpath=lpath,
                    value=link["name"],
                    value2=chain["code"],
                    differs=", ".join(differs),
                ),
            )
            if self.on_conflict != "theirs":
                continue
            if fields is not CHAIN_LINK_FIELDS:
                del values["name"], values["created_at"]
            elif link["name"] != mine["name"]:
                other = by_name.get(fold(link["name"]))
                if other is not None and other["_id"] != mine["_id"]:
                    self.conflict(
                        "chain_links",
                        said(
                            N_(
                                "{lpath}.name: {value} is the name of another stored link "
                                "of {value2}"
                            ),
                            lpath=lpath,
                            value=link["name"],
                            value2=chain["code"],
                        ),
                        settleable=False,
                    )
            self.updates.append((CHAIN_LINK, mine["_id"], values))
        return refs

    def _plan_enterprise_links(
        self,
        path: str,
        chain: Record,
        chain_ref: Ref,
        code: str,
        link_refs: dict[str, Ref],
        stored: list[Record],
    ) -> None:
        """Union the enterprises on the chain's links by uuid, else by enterprise and link;
        an enterprise on a link must be on the link's chain."""
        refs = Refs(chain_ref, code, link_refs, {}, {})
        by_uuid = {entry["uuid"]: entry for entry in stored}
        pairs = {(entry["_enterprise"], entry["_link"]) for entry in stored}
        for index, entry in enumerate(chain["enterprise_links"]):
            epath = f"{path}.enterprise_links[{index}]"
            enterprise = self.enterprise(entry["enterprise"], f"{epath}.enterprise")
            link = self._link(entry["link"], f"{epath}.link", refs)
            if enterprise is not None and (enterprise, chain_ref) not in self.placed:
                self.problems.add(
                    f"{epath}.enterprise",
                    _(
                        "expected an enterprise on chain {code} (in its enterprises, "
                        "in the snapshot or the database)"
                    ).format(code=code),
                    entry["enterprise"],
                )
            mine = by_uuid.get(entry["uuid"])
            if mine is None:
                if entry["uuid"] in self.all_enterprise_links:
                    self.conflict(
                        "enterprise_links",
                        said(N_("{epath}.uuid: stored on another chain's link"), epath=epath),
                        settleable=False,
                    )
                elif (enterprise, link) in pairs:
                    self.unchanged("enterprise_links")  # placed on both sides
                elif enterprise is not None and link is not None:
                    pairs.add((enterprise, link))
                    self.added(
                        "enterprise_links",
                        ENTERPRISE_LINK,
                        {
                            "uuid": entry["uuid"],
                            "enterprise_id": enterprise,
                            "link_id": link,
                            "created_at": entry["created_at"],
                        },
                    )
                continue
            moved = (mine["_enterprise"], mine["_link"]) != (enterprise, link)
            if not moved and mine["created_at"] == entry["created_at"]:
                self.unchanged("enterprise_links")
                continue
            self.conflict(
                "enterprise_links",
                said(
                    N_("{epath}: {value} on {value2} differs from the stored one ({value3})"),
                    epath=epath,
                    value=entry["enterprise"],
                    value2=entry["link"],
                    value3="enterprise, link" if moved else "created_at",
                ),
                settleable=not moved,
            )
            if self.on_conflict == "theirs" and not moved:
                self.updates.append(
                    (ENTERPRISE_LINK, mine["_id"], {"created_at": entry["created_at"]})
                )

    def _plan_targets(self, path: str, chain: Record, chain_ref: Ref, stored: list[Record]) -> None:
        """The chain's targets by uuid, else by year and figure (details compared)."""
        by_uuid = {t["uuid"]: t for t in stored}
        by_figure = {(t["year"], t["figure"]): t for t in stored}
        for index, target in enumerate(chain["targets"]):
            tpath = f"{path}.targets[{index}]"
            mine = by_uuid.get(target["uuid"])
            fields = TARGET_FIELDS
            if mine is None:
                if target["uuid"] in self.all_targets:
                    self.conflict(
                        "targets",
                        said(N_("{tpath}.uuid: stored on another chain"), tpath=tpath),
                        settleable=False,
                    )
                    continue
                mine = by_figure.get((target["year"], target["figure"]))
                fields = TARGET_FIELDS[2:5]  # the same year and figure: details only
            values = {name: target[name] for name in TARGET_FIELDS}
            if mine is None:
                self.added(
                    "targets",
                    TARGET,
                    {"uuid": target["uuid"], "chain_id": chain_ref, **values},
                )
                continue
            differs = _differs(mine, target, fields)
            if not differs:
                self.unchanged("targets")
                continue
            self.conflict(
                "targets",
                said(
                    N_(
                        "{tpath}: the {value} target of {value2} on {value3} differs "
                        "from the stored one ({differs})"
                    ),
                    tpath=tpath,
                    value=target["year"],
                    value2=target["figure"],
                    value3=chain["code"],
                    differs=", ".join(differs),
                ),
            )
            if self.on_conflict != "theirs":
                continue
            if fields is not TARGET_FIELDS:
                del values["year"], values["figure"], values["created_at"]
            else:
                other = by_figure.get((target["year"], target["figure"]))
                if other is not None and other["_id"] != mine["_id"]:
                    self.conflict(
                        "targets",
                        said(
                            N_(
                                "{tpath}.figure: the {value} target of {value2} is another "
                                "stored target"
                            ),
                            tpath=tpath,
                            value=target["year"],
                            value2=target["figure"],
                        ),
                        settleable=False,
                    )
            self.updates.append((TARGET, mine["_id"], values))

    def _project_values(self, ppath: str, project: Record, refs: Refs) -> dict[str, Any]:
        return {
            "title": project["title"],
            "type": project["type"],
            "enterprise_id": self.enterprise(project["enterprise"], f"{ppath}.enterprise"),
            "link_id": self._link(project["link"], f"{ppath}.link", refs),
            "unit_id": self._named_unit(project["unit"], f"{ppath}.unit"),
            "owner_id": self.person(project["owner"], f"{ppath}.owner"),
            "investment": project["investment"],
            "investment_unit": project["investment_unit"],
            "start_on": project["start"],
            "end_on": project["end"],
            "planned_end_on": project["planned_end"],
            "status": project["status"],
            "percent": project["percent"],
            "invested": project["invested"],
            "finished_on": project["finished"],
            "dropped_on": project["dropped"],
            "note": project["note"],
            "created_at": project["created_at"],
            "updated_at": project["updated_at"],
        }

    def _plan_projects(
        self,
        path: str,
        chain: Record,
        refs: Refs,
        stored: list[Record],
        numbers: dict[str, int],
    ) -> None:
        """The chain's projects by uuid, as items are merged: a key stored with another
        uuid is a key clash (the project is added under the chain's next project number);
        progress reports and milestones are unioned, and a stored project's percent and
        invested follow its latest report."""
        by_uuid = {p["uuid"]: p for p in stored}
        by_key = {p["key"]: p for p in stored}
        code = refs.code
        for index, project in enumerate(chain["projects"]):
            ppath = f"{path}.projects[{index}]"
            mine = by_uuid.get(project["uuid"])
            if mine is None and project["uuid"] in self.all_projects:
                self.conflict(
                    "projects",
                    said(N_("{ppath}.uuid: stored on another chain"), ppath=ppath),
                    settleable=False,
                )
                continue
            values = self._project_values(ppath, project, refs)
            if mine is not None:
                ref: Ref = mine["_id"]
                refs.projects[project["key"]] = ref
                differs = _differs(mine, project, PROJECT_FIELDS)
                later = project["updated_at"] > mine["updated_at"]
                if later and (not differs or self.on_conflict == "ours"):
                    self.updates.append((PROJECT, ref, {"updated_at": project["updated_at"]}))
                if not differs:
                    self.unchanged("projects")
                else:
                    self.conflict(
                        "projects",
                        said(
                            N_("{ppath}: {value} differs from the stored project ({differs})"),
                            ppath=ppath,
                            value=project["key"],
                            differs=", ".join(differs),
                        ),
                    )
                    if self.on_conflict == "theirs":
                        del values["percent"], values["invested"]
                        self.updates.append((PROJECT, ref, values))
            else:
                key, number = project["key"], project["number"]
                if key in by_key:
                    self.conflict(
                        "projects",
                        said(
                            N_(
                                "{ppath}.key: {key} is stored with another uuid (a project "
                                "created separately)"
                            ),
                            ppath=ppath,
                            key=key,
                        ),
                    )
                    number = numbers["project"]
                    numbers["project"] += 1
                    key = f"{code}-P{number}"
                    self.note(
                        said(
                            N_("{ppath}: {value} from the snapshot added as {key}"),
                            ppath=ppath,
                            value=project["key"],
                            key=key,
                        )
                    )
                ref = self.new_id(PROJECT)
                refs.projects[project["key"]] = ref
                self.added(
                    "projects",
                    PROJECT,
                    {
                        "id": ref,
                        "uuid": project["uuid"],
                        "key": key,
                        "chain_id": refs.chain,
                        "number": number,
                        **values,
                    },
                )
            reports = self._plan_progress(ppath, project, ref, mine)
            self._plan_milestones(ppath, project, ref, mine)
            if mine is not None:  # the stored row follows the merged reports, whoever won
                latest = latest_progress(reports)
                now = (latest["percent"], latest["invested"]) if latest else (0, None)
                if now != (mine["percent"], mine["invested"]):
                    self.updates.append((PROJECT, ref, {"percent": now[0], "invested": now[1]}))
            self._plan_events(
                f"{ppath}.history",
                project["history"],
                {e["uuid"]: e for e in mine["history"]} if mine is not None else {},
                {"chain_id": refs.chain, "project_id": ref},
                "project",
                refs=refs,
            )

    def _plan_progress(
        self, ppath: str, project: Record, ref: Ref, mine: Record | None
    ) -> list[Record]:
        """Union a project's progress reports by uuid; returns the merged reports, oldest
        first (the stored ones as written, then the added ones as listed)."""
        stored = {r["uuid"]: r for r in mine["progress"]} if mine is not None else {}
        kept = dict(stored)
        for index, report in enumerate(project["progress"]):
            rpath = f"{ppath}.progress[{index}]"
            values = {name: report[name] for name in PROGRESS_FIELDS}
            theirs = stored.get(report["uuid"])
            if theirs is None:
                if report["uuid"] in self.all_progress:
                    self.conflict(
                        "progress",
                        said(N_("{rpath}.uuid: stored on another project"), rpath=rpath),
                        settleable=False,
                    )
                    continue
                self.added(
                    "progress", PROGRESS, {"uuid": report["uuid"], "project_id": ref, **values}
                )
                kept[report["uuid"]] = report
                continue
            differs = _differs(theirs, report, PROGRESS_FIELDS)
            if not differs:
                self.unchanged("progress")
                continue
            self.conflict(
                "progress",
                said(
                    N_("{rpath}: differs from the stored progress report of {value} ({differs})"),
                    rpath=rpath,
                    value=project["key"],
                    differs=", ".join(differs),
                ),
            )
            if self.on_conflict == "theirs":
                self.updates.append((PROGRESS, theirs["_id"], values))
                kept[report["uuid"]] = dict(report, _id=theirs["_id"])
        # The database keeps them by the day they stand for, then as written.
        order = {uuid: position for position, uuid in enumerate(kept)}
        return sorted(kept.values(), key=lambda r: (r["as_of"], order[r["uuid"]]))

    def _plan_milestones(self, ppath: str, project: Record, ref: Ref, mine: Record | None) -> None:
        """Union a project's milestones by uuid, else by title (one milestone a title)."""
        stored = mine["milestones"] if mine is not None else []
        by_uuid = {m["uuid"]: m for m in stored}
        by_title = {m["title"]: m for m in stored}
        for index, milestone in enumerate(project["milestones"]):
            mpath = f"{ppath}.milestones[{index}]"
            theirs = by_uuid.get(milestone["uuid"])
            fields = MILESTONE_FIELDS
            if theirs is None:
                if milestone["uuid"] in self.all_milestones:
                    self.conflict(
                        "milestones",
                        said(N_("{mpath}.uuid: stored on another project"), mpath=mpath),
                        settleable=False,
                    )
                    continue
                theirs = by_title.get(milestone["title"])
                fields = MILESTONE_FIELDS[1:3]  # the same title: due and done only
            values = {
                "title": milestone["title"],
                "due_on": milestone["due"],
                "done_on": milestone["done"],
                "created_at": milestone["created_at"],
            }
            if theirs is None:
                self.added(
                    "milestones",
                    MILESTONE,
                    {"uuid": milestone["uuid"], "project_id": ref, **values},
                )
                continue
            differs = _differs(theirs, milestone, fields)
            if not differs:
                self.unchanged("milestones")
                continue
            self.conflict(
                "milestones",
                said(
                    N_(
                        "{mpath}: {value} of {value2} differs from the stored milestone ({differs})"
                    ),
                    mpath=mpath,
                    value=milestone["title"],
                    value2=project["key"],
                    differs=", ".join(differs),
                ),
            )
            if self.on_conflict != "theirs":
                continue
            if fields is not MILESTONE_FIELDS:
                del values["title"], values["created_at"]
            else:
                other = by_title.get(milestone["title"])
                if other is not None and other["_id"] != theirs["_id"]:
                    self.conflict(
                        "milestones",
                        said(
                            N_("{mpath}.title: {value} is another stored milestone of {value2}"),
                            mpath=mpath,
                            value=milestone["title"],
                            value2=project["key"],
                        ),
                        settleable=False,
                    )
            self.updates.append((MILESTONE, theirs["_id"], values))

    # people ----------------------------------------------------------------

    def _plan_people(self, people: list[Record]) -> None:
        for index, person in enumerate(people):
            path = f"people[{index}]"
            stored = self.db_people.get(person["uuid"])
            ref: Ref
            if stored is not None:
                ref = stored["_id"]
                differs = _differs(stored, person, PERSON_FIELDS)
                if not differs:
                    self.unchanged("people")
                else:
                    self.conflict(
                        "people",
                        said(
                            N_("{path}: {value} differs from the stored person ({differs})"),
                            path=path,
                            value=person["name"],
                            differs=", ".join(differs),
                        ),
                    )
                    if self.on_conflict == "theirs":
                        clash = self.db_people_by_name.get(person["name"])
                        if clash is not None and clash["_id"] != ref:
                            self.conflict(
                                "people",
                                said(
                                    N_("{path}.name: {value} is the name of another stored person"),
                                    path=path,
                                    value=person["name"],
                                ),
                                settleable=False,
                            )
                        self.updates.append((PERSON, ref, self._person_values(person)))
                history_owner: Record | None = stored
            elif person["name"] in self.db_people_by_name:
                stored = self.db_people_by_name[person["name"]]
                ref = stored["_id"]
                self.conflict(
                    "people",
                    said(
                        N_(
                            "{path}.name: {value} is stored with another uuid (the same "
                            "name entered on two machines)"
                        ),
                        path=path,
                        value=person["name"],
                    ),
                )
                if self.on_conflict == "theirs":
                    values = self._person_values(person)
                    del values["name"], values["created_at"]
                    if any(stored[k] != v for k, v in values.items()):
                        self.updates.append((PERSON, ref, values))
                self.note(
                    said(
                        N_("{path}: {value} taken to be the stored person"),
                        path=path,
                        value=person["name"],
                    )
                )
                history_owner = stored
                self.aliases[PERSON][ref] = person["uuid"]
            else:
                ref = self.new_id(PERSON)
                self.added(
                    "people",
                    PERSON,
                    {"id": ref, "uuid": person["uuid"], **self._person_values(person)},
                )
                history_owner = None
            self.person_refs[person["name"]] = ref
            stored_events = (
                {e["uuid"]: e for e in history_owner["history"]} if history_owner else {}
            )
            self._plan_events(
                f"{path}.history", person["history"], stored_events, {"person_id": ref}, "person"
            )

    @staticmethod
    def _person_values(person: Record) -> dict[str, Any]:
        return {name: person[name] for name in PERSON_FIELDS}

    def person(self, name: str | None, path: str) -> Ref | None:
        """The person a name refers to: in the snapshot, else in the database."""
        if name is None:
            return None
        ref = self.person_refs.get(name)
        if ref is not None:
            return ref
        stored = self.db_people_by_name.get(name)
        if stored is not None:
            return stored["_id"]
        self.problems.add(
            path, _("expected the name of a person in the snapshot or the database"), name
        )
        return None

    # chains ----------------------------------------------------------------

    def _plan_chain(self, index: int, chain: Record) -> None:
        path = f"chains[{index}]"
        stored = self.db_chains.get(chain["uuid"])
        by_code = self.db_chains_by_code.get(chain["code"])
        by_name = self.db_chains_by_name.get(chain["name"].casefold())
        if stored is not None:
            if stored["code"] != chain["code"]:
                self.conflict(
                    "chains",
                    said(
                        N_("{path}.code: the chain stored with this uuid has code {value}"),
                        path=path,
                        value=stored["code"],
                    ),
                    settleable=False,
                )
            differs = _differs(stored, chain, CHAIN_FIELDS)
            if not differs:
                self.unchanged("chains")
            else:
                self.conflict(
                    "chains",
                    said(
                        N_("{path}: {value} differs from the stored chain ({differs})"),
                        path=path,
                        value=chain["code"],
                        differs=", ".join(differs),
                    ),
                )
                if self.on_conflict == "theirs":
                    self._take_chain(path, chain, stored)
        elif by_code is not None:
            stored = by_code
            self.aliases[CHAIN][stored["_id"]] = chain["uuid"]
            self.conflict(
                "chains",
                said(
                    N_(
                        "{path}.code: {value} is stored with another uuid (the same "
                        "chain entered on two machines)"
                    ),
                    path=path,
                    value=chain["code"],
                ),
            )
            self.note(
                said(
                    N_("{path}: {value} taken to be the stored chain"),
                    path=path,
                    value=chain["code"],
                )
            )
            if self.on_conflict == "theirs" and _differs(stored, chain, CHAIN_FIELDS[1:5]):
                self._take_chain(path, chain, stored)
        elif by_name is not None:
            stored = None
            self.conflict(
                "chains",
                said(
                    N_("{path}.name: {value} is the name of stored chain {value2}"),
                    path=path,
                    value=chain["name"],
                    value2=by_name["code"],
                ),
                settleable=False,
            )
        else:
            stored = None
        numbers = {
            "item": max([chain["next_item_no"]] + [i["number"] + 1 for i in chain["items"]]),
            "meeting": max(
                [chain["next_meeting_no"]] + [m["number"] + 1 for m in chain["meetings"]]
            ),
            "project": max(
                [chain["next_project_no"] or 1]
                + [p["number"] + 1 for p in chain["projects"] if p["number"] is not None]
            ),
        }
        if stored is not None:
            numbers["item"] = max(numbers["item"], stored["next_item_no"])
            numbers["meeting"] = max(numbers["meeting"], stored["next_meeting_no"])
            numbers["project"] = max(numbers["project"], stored["next_project_no"])
            self._plan_chain_contents(path, chain, stored, numbers)
            if (numbers["item"], numbers["meeting"], numbers["project"]) != (
                stored["next_item_no"],
                stored["next_meeting_no"],
                stored["next_project_no"],
            ):
                self.updates.append(
                    (
                        CHAIN,
                        stored["_id"],
                        {
                            "next_item_no": numbers["item"],
                            "next_meeting_no": numbers["meeting"],
                            "next_project_no": numbers["project"],
                        },
                    )
                )
        else:
            if by_name is None:
                self.counts["chains"][0] += 1
            row = {
                "id": self.new_id(CHAIN),
                "uuid": chain["uuid"],
                "code": chain["code"],
                "name": chain["name"],
                "description": chain["description"],
                "status": chain["status"],
                "archived_on": chain["archived"],
                "created_at": chain["created_at"],
            }
            # a new chain has no stored items, meetings or projects: its numbers are final
            row["next_item_no"] = numbers["item"]
            row["next_meeting_no"] = numbers["meeting"]
            row["next_project_no"] = numbers["project"]
            self.inserts[CHAIN].add(row)
            self._plan_chain_contents(path, chain, None, numbers, new_id=row["id"])

    def _take_chain(self, path: str, chain: Record, stored: Record) -> None:
        clash = self.db_chains_by_name.get(chain["name"].casefold())
        if clash is not None and clash["_id"] != stored["_id"]:
            self.conflict(
                "chains",
                said(
                    N_("{path}.name: {value} is the name of stored chain {value2}"),
                    path=path,
                    value=chain["name"],
                    value2=clash["code"],
                ),
                settleable=False,
            )
        self.updates.append(
            (
                CHAIN,
                stored["_id"],
                {
                    "name": chain["name"],
                    "description": chain["description"],
                    "status": chain["status"],
                    "archived_on": chain["archived"],
                },
            )
        )

    def _plan_chain_contents(
        self,
        path: str,
        chain: Record,
        stored: Record | None,
        numbers: dict[str, int],
        *,
        new_id: int = 0,
    ) -> None:
        chain_ref: Ref = stored["_id"] if stored is not None else new_id
        code = stored["code"] if stored is not None else chain["code"]
        store = self.store
        db_spells = {m["uuid"]: m for m in store.memberships(chain_ref)} if stored else {}
        db_history = {e["uuid"]: e for e in store.chain_history(chain_ref)} if stored else {}
        db_meetings = store.meetings(chain_ref) if stored else []
        db_items = store.items(chain_ref) if stored else []
        if chain["enterprises"]:
            self._plan_placements(
                path, chain, chain_ref, store.placements(chain_ref) if stored else []
            )
        db_links = store.chain_links(chain_ref) if stored else []
        link_refs = self._plan_map(path, chain, chain_ref, db_links)
        if chain["enterprise_links"]:
            self._plan_enterprise_links(
                path, chain, chain_ref, code, link_refs,
                store.enterprise_links(chain_ref) if stored else [],
            )  # fmt: skip
        if chain["targets"]:
            self._plan_targets(path, chain, chain_ref, store.targets(chain_ref) if stored else [])
        self._plan_memberships(path, chain, chain_ref, db_spells)
        refs = Refs(chain_ref, code, link_refs, {}, {})
        if chain["projects"]:
            db_projects = store.projects(chain_ref) if stored else []
            self._plan_projects(path, chain, refs, db_projects, numbers)
        self._plan_events(
            f"{path}.history", chain["history"], db_history, {"chain_id": chain_ref}, "chain",
            refs=refs,
        )  # fmt: skip
        refs.meetings.update(
            self._plan_meetings(path, chain, chain_ref, code, db_meetings, numbers, refs)
        )
        self._plan_items(path, chain, chain_ref, code, db_items, numbers, refs)

    # memberships -----------------------------------------------------------

    def _plan_memberships(
        self, path: str, chain: Record, chain_ref: Ref, stored: dict[str, Record]
    ) -> None:
        current: dict[tuple[str, object], Record] = {}  # stored spells current after the merge
        merged: dict[str, Record] = dict(stored)
        incoming: list[tuple[str, Record, Ref | None]] = []
        for index, spell in enumerate(chain["memberships"]):
            spath = f"{path}.memberships[{index}]"
            person = self.person(spell["person"], f"{spath}.person")
            mine = stored.get(spell["uuid"])
            if mine is None:
                if spell["uuid"] in self.all_memberships:
                    self.conflict(
                        "memberships",
                        said(N_("{spath}.uuid: stored on another chain's team"), spath=spath),
                        settleable=False,
                    )
                    continue
                incoming.append((spath, spell, person))
                continue
            differs = _differs(mine, spell, MEMBERSHIP_FIELDS)
            if not differs:
                self.unchanged("memberships")
                continue
            self.conflict(
                "memberships",
                said(
                    N_(
                        "{spath}: the {value} spell of {value2} differs from the "
                        "stored one ({differs})"
                    ),
                    spath=spath,
                    value=spell["role"],
                    value2=spell["person"],
                    differs=", ".join(differs),
                ),
            )
            if self.on_conflict == "theirs":
                merged[spell["uuid"]] = dict(
                    mine, **spell, _person=person, _changed=True, _path=spath
                )
        for spell in merged.values():
            if spell["until"] is None and not spell.get("_changed"):
                for slot in self._slots(spell, spell["_person"]):
                    current[slot] = spell
        for spell in merged.values():
            if spell.get("_changed"):
                self.updates.append(
                    (
                        MEMBERSHIP,
                        spell["_id"],
                        {
                            "person_id": spell["_person"],
                            "role": spell["role"],
                            "since": spell["since"],
                            "until": spell["until"],
                        },
                    )
                )
                if spell["until"] is None:
                    incoming.append((spell["_path"], spell, spell["_person"]))
        for spath, spell, person in incoming:
            changed = bool(spell.get("_changed"))
            clashes = []
            if spell["until"] is None:
                clashes = [
                    current[slot]
                    for slot in self._slots(spell, person)
                    if slot in current and current[slot] is not spell
                ]
            keep = True
            for other in clashes:
                if other.get("until") is not None:
                    continue  # already ended by an earlier clash
                what = (
                    f"{other['person']} is already on the team as {other['role']}"
                    if other["_person"] == person
                    else f"the chain already has {other['person']} as current {other['role']}"
                )
                self.conflict(
                    "memberships",
                    said(
                        N_("{spath}: {value} as {value2}: {what}"),
                        spath=spath,
                        value=spell["person"],
                        value2=spell["role"],
                        what=what,
                    ),
                )
                if self.on_conflict == "ours" and not changed:
                    keep = False
                    self.note(said(N_("{spath}: left out ({what})"), spath=spath, what=what))
                    break
                if self.on_conflict == "theirs":
                    until = max(other["since"], spell["since"])
                    other["until"] = until
                    self.updates.insert(0, (MEMBERSHIP, other["_id"], {"until": until}))
                    self.note(
                        said(
                            N_("{spath}: ended {value}'s {value2} spell on {until}"),
                            spath=spath,
                            value=other["person"],
                            value2=other["role"],
                            until=until.isoformat(),
                        )
                    )
            if changed or not keep:
                continue
            if spell["until"] is None:
                for slot in self._slots(spell, person):
                    current[slot] = dict(spell, _person=person)
            self.added(
                "memberships",
                MEMBERSHIP,
                {
                    "uuid": spell["uuid"],
                    "chain_id": chain_ref,
                    "person_id": person,
                    "role": spell["role"],
                    "since": spell["since"],
                    "until": spell["until"],
                },
            )

    @staticmethod
    def _slots(spell: Record, person: Ref | None) -> list[tuple[str, object]]:
        slots: list[tuple[str, object]] = [("person", person)]
        if spell["role"] in (LEADER, RESPONSIBLE):
            slots.append(("role", spell["role"]))
        return slots

    # meetings --------------------------------------------------------------

    def _plan_meetings(
        self,
        path: str,
        chain: Record,
        chain_ref: Ref,
        code: str,
        stored: list[Record],
        numbers: dict[str, int],
        chain_refs: Refs,
    ) -> dict[str, Ref]:
        """Plan the chain's meetings; returns the snapshot's meeting keys -> target meeting."""
        by_uuid = {m["uuid"]: m for m in stored}
        by_key = {m["key"]: m for m in stored}
        refs: dict[str, Ref] = {}
        for index, meeting in enumerate(chain["meetings"]):
            mpath = f"{path}.meetings[{index}]"
            chair = self.person(meeting["chair"], f"{mpath}.chair")
            mine = by_uuid.get(meeting["uuid"])
            if mine is None and meeting["uuid"] in self.all_meetings:
                self.conflict(
                    "meetings",
                    said(N_("{mpath}.uuid: stored on another chain"), mpath=mpath),
                    settleable=False,
                )
                continue
            if mine is not None:
                refs[meeting["key"]] = mine["_id"]
                differs = _differs(mine, meeting, MEETING_FIELDS)
                differs += [
                    name
                    for name, _, fields in SUBRECORDS
                    if [(r["uuid"],) + tuple(r[f] for f in fields) for r in mine[name]]
                    != [(r["uuid"],) + tuple(r[f] for f in fields) for r in meeting[name]]
                ]
                if not differs:
                    self.unchanged("meetings")
                else:
                    self.conflict(
                        "meetings",
                        said(
                            N_("{mpath}: {value} differs from the stored meeting ({differs})"),
                            mpath=mpath,
                            value=meeting["key"],
                            differs=", ".join(differs),
                        ),
                    )
                    if self.on_conflict == "theirs":
                        self.updates.append(
                            (MEETING, mine["_id"], self._meeting_values(meeting, chair))
                        )
                        self.deletes.append((MEETING, mine["_id"]))
                        self._meeting_subrecords(meeting, mine["_id"])
                stored_events = {e["uuid"]: e for e in mine["history"]}
                ref: Ref = mine["_id"]
            else:
                key, number = meeting["key"], meeting["number"]
                taken = by_key.get(key)
                if taken is not None:
                    self.conflict(
                        "meetings",
                        said(
                            N_(
                                "{mpath}.key: {key} is stored with another uuid (a meeting "
                                "entered separately)"
                            ),
                            mpath=mpath,
                            key=key,
                        ),
                    )
                    number = numbers["meeting"]
                    numbers["meeting"] += 1
                    key = f"{code}-M{number}"
                    self.note(
                        said(
                            N_("{mpath}: {value} from the snapshot added as {key}"),
                            mpath=mpath,
                            value=meeting["key"],
                            key=key,
                        )
                    )
                ref = self.new_id(MEETING)
                refs[meeting["key"]] = ref
                self.added(
                    "meetings",
                    MEETING,
                    {
                        "id": ref,
                        "uuid": meeting["uuid"],
                        "key": key,
                        "number": number,
                        "chain_id": chain_ref,
                        **self._meeting_values(meeting, chair),
                    },
                )
                self._meeting_subrecords(meeting, ref)
                stored_events = {}
            self._plan_events(
                f"{mpath}.history",
                meeting["history"],
                stored_events,
                {"chain_id": chain_ref, "meeting_id": ref},
                "meeting",
                refs=chain_refs,
            )
        return refs

    @staticmethod
    def _meeting_values(meeting: Record, chair: Ref | None) -> dict[str, Any]:
        return {
            "kind": meeting["kind"],
            "month": meeting["month"],
            "held_on": meeting["held"],
            "chair_id": chair,
            "summary": meeting["summary"],
            "created_at": meeting["created_at"],
        }

    def _meeting_subrecords(self, meeting: Record, ref: Ref) -> None:
        for name, table, fields in SUBRECORDS:
            for position, record in enumerate(meeting[name], start=1):
                row = {"uuid": record["uuid"], "meeting_id": ref}
                row.update((f, record[f]) for f in fields)
                if table != FIGURE:
                    row["position"] = position
                self.inserts[table].add(row)

    def meeting(
        self, key: str | None, path: str, chain_ref: Ref, refs: dict[str, Ref]
    ) -> Ref | None:
        """The meeting a key refers to: this chain's in the snapshot, else in the database."""
        if key is None:
            return None
        ref = refs.get(key)
        if ref is not None:
            return ref
        stored = self.all_meeting_keys.get(key)
        if stored is not None and stored[1] == chain_ref:
            return stored[0]
        self.problems.add(
            path,
            _("expected the key of a meeting of this chain, in the snapshot or the database"),
            key,
        )
        return None

    # items -----------------------------------------------------------------

    def _plan_items(
        self,
        path: str,
        chain: Record,
        chain_ref: Ref,
        code: str,
        stored: list[Record],
        numbers: dict[str, int],
        refs: Refs,
    ) -> None:
        """Plan the chain's items, each with its meeting links and its history."""
        meeting_refs = refs.meetings
        by_uuid = {i["uuid"]: i for i in stored}
        by_key = {i["key"]: i for i in stored}
        references = {i["reference"]: i for i in stored if i["reference"] is not None}
        decisions = self._decision_counts(chain, meeting_refs)
        for index, item in enumerate(chain["items"]):
            ipath = f"{path}.items[{index}]"
            owner = self.person(item["owner"], f"{ipath}.owner")
            mine = by_uuid.get(item["uuid"])
            if mine is None and item["uuid"] in self.all_items:
                self.conflict(
                    "items",
                    said(N_("{ipath}.uuid: stored on another chain"), ipath=ipath),
                    settleable=False,
                )
                continue
            before = self.version < 3 and mine is None  # made before the handling loop
            item["_link"] = self._link(item["link"], f"{ipath}.link", refs)
            item["_project"] = self._project(item["project"], f"{ipath}.project", refs)
            filled = self._fill_item(item, before)
            decision = self._decision(ipath, item, chain_ref, meeting_refs, decisions)
            taken = False  # the snapshot's item replaces the stored one
            if mine is not None:
                ref: Ref = mine["_id"]
                taken = self._plan_stored_item(ipath, item, mine, owner)
                if taken and self.version >= 3:
                    self.decision_links.append((ref, *decision))
            else:
                ref = self._plan_new_item(ipath, item, owner, chain_ref, code, by_key, numbers)
                if decision[0] is not None:
                    self.decision_links.append((ref, *decision))
            holder = references.get(item["reference"])
            if holder is not None and holder["uuid"] != item["uuid"] and (taken or mine is None):
                self.conflict(
                    "items",
                    said(
                        N_("{ipath}.reference: {value} is the reference of stored item {value2}"),
                        ipath=ipath,
                        value=item["reference"],
                        value2=holder["key"],
                    ),
                    settleable=False,
                )
            self._plan_links(ipath, item, ref, mine, chain_ref, meeting_refs)
            if self.version < 4:
                if mine is None:  # a stored item of an older format keeps its own
                    self._backfill_enterprises(ipath, item, ref, chain_ref)
            else:
                self._plan_raisers(ipath, item, ref, mine, taken)
                self._plan_follow_ups(ipath, item, ref, mine)
            if filled is not None:
                self._backfill(item, ref, chain_ref, owner, filled)
            elif self.version >= 3:  # a stored item of an older format keeps its own
                parts = self._plan_parts(ipath, item, ref, mine)
                if mine is not None:
                    self._rework_clock(item if taken else mine, ref, parts)
            self._plan_events(
                f"{ipath}.history",
                item["history"],
                {e["uuid"]: e for e in mine["history"]} if mine is not None else {},
                {"chain_id": chain_ref, "item_id": ref},
                "item",
                refs=refs,
            )

    def _plan_stored_item(self, ipath: str, item: Record, mine: Record, owner: Ref | None) -> bool:
        """An item already stored: unchanged, or a conflict settled by ``on_conflict``.

        Returns whether the snapshot's item replaces the stored one (``theirs``)."""
        fields = (ITEM_FIELDS_2, ITEM_FIELDS_2, ITEM_FIELDS_3, ITEM_FIELDS_4, ITEM_FIELDS)[
            min(self.version, 5) - 1
        ]
        differs = _differs(mine, item, fields)
        if item["updated_at"] > mine["updated_at"] and (not differs or self.on_conflict == "ours"):
            self.updates.append((ITEM, mine["_id"], {"updated_at": item["updated_at"]}))
        if not differs:
            self.unchanged("items")
            return False
        self.conflict(
            "items",
            said(
                N_("{ipath}: {value} differs from the stored item ({differs})"),
                ipath=ipath,
                value=item["key"],
                differs=", ".join(differs),
            ),
        )
        if self.on_conflict != "theirs":
            return False
        values = self._item_values(item, owner)
        if self.version < 3:  # the stored item keeps its handling loop
            values = {k: v for k, v in values.items() if k not in _LOOP_COLUMNS}
        if self.version < 4:  # and its enterprises, their first one's name and its reference
            del values["enterprise"], values["reference"]
        if self.version < 5:  # and its link and project
            del values["link_id"], values["project_id"]
        self.updates.append((ITEM, mine["_id"], values))
        return True

    def _plan_new_item(
        self,
        ipath: str,
        item: Record,
        owner: Ref | None,
        chain_ref: Ref,
        code: str,
        by_key: dict[str, Record],
        numbers: dict[str, int],
    ) -> Ref:
        """An item to add, under the next number when its key is stored with another uuid;
        returns the id it will have."""
        key, number = item["key"], item["number"]
        if key in by_key:
            self.conflict(
                "items",
                said(
                    N_(
                        "{ipath}.key: {key} is stored with another uuid (an item "
                        "created separately)"
                    ),
                    ipath=ipath,
                    key=key,
                ),
            )
            number = numbers["item"]
            numbers["item"] += 1
            key = f"{code}-{number}"
            self.note(
                said(
                    N_("{ipath}: {value} from the snapshot added as {key}"),
                    ipath=ipath,
                    value=item["key"],
                    key=key,
                )
            )
        ref = self.new_id(ITEM)
        self.added(
            "items",
            ITEM,
            {
                "id": ref,
                "uuid": item["uuid"],
                "key": key,
                "number": number,
                "chain_id": chain_ref,
                **self._item_values(item, owner),
            },
        )
        return ref

    def _plan_links(
        self,
        ipath: str,
        item: Record,
        ref: Ref,
        mine: Record | None,
        chain_ref: Ref,
        meeting_refs: dict[str, Ref],
    ) -> None:
        """Union an item's meeting links: new links are added, stored ones must be equal."""
        stored = mine["links"] if mine is not None else []
        stored_links = {link["uuid"]: link for link in stored}
        stored_facts = {(link["_meeting"], link["relation"]) for link in stored}
        for li, link in enumerate(item["links"]):
            lpath = f"{ipath}.links[{li}]"
            meeting = self.meeting(link["meeting"], f"{lpath}.meeting", chain_ref, meeting_refs)
            mine_link = stored_links.get(link["uuid"])
            if mine_link is not None:
                self._plan_stored_link(lpath, link, mine_link, meeting)
            elif link["uuid"] in self.all_links:
                self.conflict(
                    "links",
                    said(N_("{lpath}.uuid: stored on another item"), lpath=lpath),
                    settleable=False,
                )
            elif (meeting, link["relation"]) in stored_facts:
                self.unchanged("links")  # the same link, recorded on both sides
            else:
                self.added(
                    "links",
                    LINK,
                    {
                        "uuid": link["uuid"],
                        "meeting_id": meeting,
                        "item_id": ref,
                        "relation": link["relation"],
                    },
                )

    def _plan_stored_link(
        self, lpath: str, link: Record, mine: Record, meeting: Ref | None
    ) -> None:
        """A link already stored: unchanged, or a conflict settled by ``on_conflict``."""
        if (mine["_meeting"], mine["relation"]) == (meeting, link["relation"]):
            self.unchanged("links")
            return
        self.conflict("links", said(N_("{lpath}: differs from the stored link"), lpath=lpath))
        if self.on_conflict == "theirs":
            self.updates.append(
                (LINK, mine["_id"], {"meeting_id": meeting, "relation": link["relation"]})
            )

    def unit(self, name: str, created_at: Any) -> Ref:
        """The institution a record names: the snapshot's or the stored one of that name,
        else one this import adds (kind ``other``, created when the first record naming
        it was), as the upgrade to schema 0004 does for the names already used."""
        ref = self.unit_refs.get(name)
        if ref is None:
            ref = self.unit_refs[name] = self.new_id(UNIT)
            self.inserts[UNIT].add(
                {
                    "id": ref,
                    "uuid": str(uuid.uuid4()),
                    "name": name,
                    "short": None,
                    "kind": UnitKind.other.value,
                    "contact": None,
                    "created_at": created_at,
                }
            )
        return ref

    def _item_values(self, item: Record, owner: Ref | None) -> dict[str, Any]:
        return {
            "title": item["title"],
            "detail": item["detail"],
            "enterprise": item["enterprise"],
            "reference": item["reference"],
            "link_id": item.get("_link"),
            "project_id": item.get("_project"),
            "source": item["source"],
            "category": item["category"],
            "priority": item["priority"],
            "unit": item["unit"],
            "unit_id": self.unit(item["unit"], item["created_at"]),
            "owner_id": owner,
            "raised_on": item["raised"],
            "due_on": item["due"],
            "original_due_on": item["original_due"],
            "clock_due": item["clock_due"],
            "receipt_due": item["receipt_due"],
            "status": item["status"],
            "resolution": item["resolution"],
            "resolved_on": item["resolved"],
            "closed_on": item["closed"],
            "status_reason": item["status_reason"],
            "level": item["level"],
            "red_due": item["red_due"],
            "red_spells": item["red_spells"],
            "suspended_on": item["suspended_on"],
            "suspended_until": item["suspended_until"],
            "suspend_reason": item["suspend_reason"],
            "suspended_days": item["suspended_days"],
            "urge_count": item["urge_count"],
            "last_urged_at": item["last_urged_at"],
            "created_at": item["created_at"],
            "updated_at": item["updated_at"],
        }

    @staticmethod
    def _fill_item(item: Record, before: bool) -> backfill.Backfill | None:
        """Give the item's handling-loop fields their values when the snapshot leaves
        them out (a format 1 or 2 snapshot; a zero); for an item made before the
        handling loop, returns what the upgrade to schema 0005 gives it."""
        filled = None
        if before or item["original_due"] is None:
            filled = backfill.backfill(
                status=item["status"],
                raised=item["raised"],
                due=item["due"],
                resolution=item["resolution"],
                resolved=item["resolved"],
                edits=backfill.due_edits(item["history"]),
            )
            if item["original_due"] is None:
                item["original_due"] = filled.original_due
        for name in _ZEROS:
            if item[name] is None:
                item[name] = 0
        if item["clock_due"] is None:  # what its limit and assignments give
            item["clock_due"], item["receipt_due"] = clock_of(
                item["due"],
                item["suspended_days"],
                ((p["state"], p["due"], p["receipt_due"]) for p in item["assignments"]),
            )
        return filled if before else None

    def _decision_counts(self, chain: Record, meeting_refs: dict[str, Ref]) -> dict[Ref, int]:
        """How many decisions each meeting an item of the chain may name has, by meeting."""
        counts: dict[Ref, int] = {}
        if not any(item["decision"] for item in chain["items"]):
            return counts
        for meeting in chain["meetings"]:
            ref = meeting_refs.get(meeting["key"])
            if ref is not None:
                counts[ref] = len(meeting["decisions"])
        for ref, count in decision_counts(self.db).items():
            counts.setdefault(ref, count)
        return counts

    def _decision(
        self,
        ipath: str,
        item: Record,
        chain_ref: Ref,
        meeting_refs: dict[str, Ref],
        counts: dict[Ref, int],
    ) -> tuple[Ref | None, int | None]:
        """The meeting and position of the decision an item was made of (None, None)."""
        if item["decision"] is None:
            return None, None
        key, _hash, number = item["decision"].rpartition("#")
        meeting = self.meeting(key, f"{ipath}.decision", chain_ref, meeting_refs)
        if meeting is None:
            return None, None
        position = int(number)
        if position > counts.get(meeting, 0):
            self.problems.add(
                f"{ipath}.decision",
                _("expected a decision of {key} (it has {get})").format(
                    key=key, get=counts.get(meeting, 0)
                ),
                item["decision"],
            )
            return None, None
        return meeting, position

    # assignments and extensions --------------------------------------------

    def _backfill(
        self, item: Record, ref: Ref, chain_ref: Ref, owner: Ref | None, filled: backfill.Backfill
    ) -> None:
        """An item of a format 1 or 2 snapshot: its lead assignment with its event, and
        its edits of the time limit as extensions, as the upgrade to schema 0005 makes."""
        unit = self.unit(item["unit"], item["created_at"])
        lead = filled.lead
        self.added(
            "assignments",
            ASSIGNMENT,
            {
                "uuid": str(uuid.uuid4()),
                "item_id": ref,
                "unit_id": unit,
                "role": lead["role"],
                "owner_id": owner,
                "state": lead["state"],
                "assigned_on": lead["assigned"],
                "due_on": lead["due"],
                "receipt_due": lead["receipt_due"],
                "received_on": lead["received"],
                "reported_on": lead["reported"],
                "report": lead["report"],
                "ended_on": lead["ended"],
                "end_reason": lead["end_reason"],
                "suggested": lead["suggested"],
                "created_at": item["created_at"],
                "updated_at": item["updated_at"],
            },
        )
        for extension in filled.extensions:
            self.added("extensions", EXTENSION, self._extension_row(extension, ref, None, None))
        inserts = self.inserts[EVENT]
        if not inserts.columns:
            inserts.columns, inserts.stored = EVENT_COLUMNS, True
        self.counts["events"][0] += 1
        inserts.rows.append(
            (
                str(uuid.uuid4()), self.stored_time(self.now), backfill.ACTOR, backfill.KIND,
                chain_ref, ref, None, owner, unit, "lead", None, lead["state"], backfill.TEXT,
                None, None,
            )
        )  # fmt: skip

    @staticmethod
    def _extension_row(
        extension: Record, item: Ref, unit: Ref | None, decided_by: Ref | None
    ) -> dict[str, Any]:
        return {
            "uuid": extension.get("uuid") or str(uuid.uuid4()),
            "item_id": item,
            "unit_id": unit,
            "kind": extension["kind"],
            "state": extension["state"],
            "requested_on": extension["requested"],
            "requested_by": extension["requested_by"],
            "from_due": extension["from_due"],
            "to_due": extension["to_due"],
            "why": extension["why"],
            "decided_on": extension["decided"],
            "decided_by_id": decided_by,
            "decision_note": extension["decision_note"],
            "created_at": extension["created_at"],
            "updated_at": extension["updated_at"],
        }

    def _assignment_row(
        self, part: Record, item: Ref, unit: Ref, owner: Ref | None
    ) -> dict[str, Any]:
        return {
            "uuid": part["uuid"],
            "item_id": item,
            "unit_id": unit,
            "role": part["role"],
            "owner_id": owner,
            "state": part["state"],
            "assigned_on": part["assigned"],
            "due_on": part["due"],
            "receipt_due": part["receipt_due"],
            "received_on": part["received"],
            "reported_on": part["reported"],
            "report": part["report"],
            "ended_on": part["ended"],
            "end_reason": part["end_reason"],
            "suggested": part["suggested"],
            "created_at": part["created_at"],
            "updated_at": part["updated_at"],
        }

    def _rework_clock(self, item: Record, ref: Ref, parts: list[Record]) -> None:
        """A stored item's clock from its merged assignments, when that moves it."""
        clock = clock_of(
            item["due"],
            item["suspended_days"],
            ((p["state"], p["due"], p["receipt_due"]) for p in parts),
        )
        if clock != (item["clock_due"], item["receipt_due"]):
            self.updates.append((ITEM, ref, {"clock_due": clock[0], "receipt_due": clock[1]}))

    def _plan_parts(self, ipath: str, item: Record, ref: Ref, mine: Record | None) -> list[Record]:
        """Union an item's assignments and extensions by uuid: new ones are added, stored
        ones equal or a conflict settled by ``on_conflict``. What the union leaves must
        keep the rules: one standing lead, one standing part a unit, one pending request."""
        merged: dict[str, Record] = {}
        for name, table, fields, all_uuids in (
            ("assignments", ASSIGNMENT, ASSIGNMENT_FIELDS, self.all_assignments),
            ("extensions", EXTENSION, EXTENSION_FIELDS, self.all_extensions),
        ):
            stored = {r["uuid"]: r for r in mine[name]} if mine is not None else {}
            kept = dict(stored)
            for index, record in enumerate(item[name]):
                path = f"{ipath}.{name}[{index}]"
                unit = (
                    self.unit(record["unit"], record["created_at"])
                    if record["unit"] is not None
                    else None
                )
                if name == "assignments":
                    person = self.person(record["owner"], f"{path}.owner")
                    row = self._assignment_row(record, ref, unit, person)  # type: ignore[arg-type]
                else:
                    person = self.person(record["decided_by"], f"{path}.decided_by")
                    row = self._extension_row(record, ref, unit, person)
                theirs = stored.get(record["uuid"])
                if theirs is None:
                    if record["uuid"] in all_uuids:
                        self.conflict(
                            name,
                            said(N_("{path}.uuid: stored on another item"), path=path),
                            settleable=False,
                        )
                        continue
                    self.added(name, table, row)
                    kept[record["uuid"]] = record
                    continue
                differs = _differs(theirs, record, fields)
                if not differs:
                    self.unchanged(name)
                    if record["updated_at"] > theirs["updated_at"]:
                        self.updates.append(
                            (table, theirs["_id"], {"updated_at": record["updated_at"]})
                        )
                    continue
                self.conflict(
                    name,
                    said(
                        N_("{path}: differs from the stored {table} of {value} ({differs})"),
                        path=path,
                        table=table,
                        value=theirs["unit"] or "the team",
                        differs=", ".join(differs),
                    ),
                )
                if self.on_conflict == "theirs":
                    del row["uuid"], row["item_id"]
                    self.updates.append((table, theirs["_id"], row))
                    kept[record["uuid"]] = record
            merged[name] = kept
        self._check_union(ipath, item, merged)
        return list(merged["assignments"].values())

    def _check_union(self, ipath: str, item: Record, merged: dict[str, Record]) -> None:
        parts = [p for p in merged["assignments"].values() if standing(p["state"])]
        leads = sorted(p["unit"] for p in parts if p["role"] == "lead")
        if len(leads) > 1:
            self.conflict(
                "assignments",
                said(
                    N_("{ipath}.assignments: {value} would have {leads} standing leads ({leads2})"),
                    ipath=ipath,
                    value=item["key"],
                    leads=len(leads),
                    leads2=", ".join(leads),
                ),
                settleable=False,
            )
        units = [p["unit"] for p in parts]
        for unit in sorted({u for u in units if units.count(u) > 1}):
            self.conflict(
                "assignments",
                said(
                    N_("{ipath}.assignments: {unit} would have {count} standing parts in {value}"),
                    ipath=ipath,
                    unit=unit,
                    count=units.count(unit),
                    value=item["key"],
                ),
                settleable=False,
            )
        pending = [e for e in merged["extensions"].values() if e["state"] == "pending"]
        if len(pending) > 1:
            self.conflict(
                "extensions",
                said(
                    N_(
                        "{ipath}.extensions: {value} would have {pending} pending "
                        "extension requests"
                    ),
                    ipath=ipath,
                    value=item["key"],
                    pending=len(pending),
                ),
                settleable=False,
            )

    # events ----------------------------------------------------------------

    def _plan_events(
        self,
        path: str,
        events: list[Record],
        stored: dict[str, Record],
        owner: dict[str, Ref],
        where: str,
        *,
        refs: Refs | None = None,
    ) -> None:
        """Union a history: new events are added, stored ones must be equal."""
        all_events = self.all_events
        inserts = self.inserts[EVENT]
        if not inserts.columns:
            inserts.columns, inserts.stored = EVENT_COLUMNS, True
        append = inserts.rows.append
        stored_time = self.stored_time
        counts = self.counts["events"]
        compared = (
            EVENT_FIELDS
            if self.version >= 6
            else EVENT_FIELDS_5
            if self.version >= 5
            else EVENT_FIELDS_3
            if self.version >= 3
            else EVENT_FIELDS_2
        )
        chain_id = owner.get("chain_id")
        item_id = owner.get("item_id")
        owner_project = owner.get("project_id")
        chained = self.chained
        for index, event in enumerate(events):
            uuid = event["uuid"]
            if self.version >= UNVERIFIED:
                chained[uuid] = (event.get("prev"), event.get("hash"), event["at"])
            mine = stored.get(uuid)
            if mine is not None:
                differs = [
                    name for name in compared if name in event and mine.get(name) != event[name]
                ]
                if not differs:
                    counts[1] += 1
                else:
                    self.conflict(
                        "events",
                        said(
                            N_(
                                "{path}[{index}]: differs from the stored event ({differs}); "
                                "history is never rewritten, the stored event stays"
                            ),
                            path=path,
                            index=index,
                            differs=", ".join(differs),
                        ),
                    )
                continue
            if uuid in all_events:
                self.conflict(
                    "events",
                    said(
                        N_(
                            "{path}[{index}].uuid: stored in another record's history; "
                            "the stored event stays"
                        ),
                        path=path,
                        index=index,
                    ),
                )
                continue
            person_id = owner.get("person_id")
            meeting_id = owner.get("meeting_id")
            person = event.get("person")
            if person is not None:
                person_id = self.person(person, f"{path}[{index}].person")
            unit = event.get("unit")
            unit_id = self.unit(unit, event["at"]) if unit is not None else None
            meeting = event.get("meeting")
            if meeting is not None and refs is not None:
                meeting_id = self.meeting(
                    meeting, f"{path}[{index}].meeting", refs.chain, refs.meetings
                )
            project_id = owner_project
            project = event.get("project")
            if project is not None and refs is not None:
                project_id = self._project(project, f"{path}[{index}].project", refs)
            counts[0] += 1
            append(
                (
                    uuid, stored_time(event["at"]), event["actor"], event["kind"], chain_id,
                    item_id, meeting_id, person_id, unit_id, event["field"], event["old"],
                    event["new"], event["text"], project_id, event.get("login"),
                )
            )  # fmt: skip

    # ------------------------------------------------------------------ applying

    def write_or_drop(self) -> None:
        """Write what is planned so far; on a dry run, or once the import is sure to be
        refused, drop it instead (it would never be written: only the counts matter)."""
        if self.writable:
            self.write(events=False)
        else:
            self.inserts.clear()
            self.updates.clear()
            self.deletes.clear()
            self.decision_links.clear()
            self.waiting.clear()
            self.renames.clear()

    def pending(self) -> int:
        """Rows planned and not yet written."""
        return (
            sum(len(rows.rows) for rows in self.inserts.values())
            + len(self.waiting)
            + len(self.updates)
            + len(self.decision_links)
        )

    def write(
        self, progress: Progress | None = None, total: int = 0, *, events: bool = True
    ) -> None:
        """Write what is planned so far: updates and inserts table by table, parents first.

        ``progress`` is told the rows written so far, of ``total``. The events wait for
        the last write (``events``): they are chained in the snapshot's own order, which
        runs across chains.
        """
        db = self.db

        def advance(count: int) -> None:
            self.written += count
            if progress is not None:
                progress(N_("importing"), self.written, total)

        if db.sqlite and not self.written:
            # A larger page cache for this connection only: index pages of a big
            # import stay in memory instead of being re-read for every batch.
            widen_page_cache(db)
        for name in self.waiting:
            self.inserts[ENTERPRISE].add(self.backfilled[name])
        self.waiting = []
        updates: dict[Table, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for table, row_id, values in self.updates:
            updates[table].append((row_id, values))
        self.updates = []
        deletes, self.deletes = self.deletes, []
        for table in ORDER:
            for row_id, values in updates.get(table, ()):
                update_row(db, table, row_id, values)
                advance(1)
            if table == MEETING:
                for _, meeting_id in deletes:
                    # items made of its decisions point at them again once they are
                    # written anew (by position), unless the plan points them elsewhere
                    repoint = [(i, meeting_id, p) for i, p in let_go_decisions(db, meeting_id)]
                    self.decision_links[:0] = repoint
                    delete_parts(db, meeting_id)
            if table == EVENT and not events:
                continue
            rows = self.inserts.pop(table, None)
            if rows is not None and rows.rows:
                self._insert(table, rows, advance)
                del rows
            if table == ENTERPRISE:
                for ref, name in self.renames:  # and the items it raised first follow
                    rename_enterprise(db, ref, name)
                self.renames = []
        if self.decision_links:
            set_item_decisions(db, self.decision_links)
            advance(len(self.decision_links))
            self.decision_links = []

    def _insert(self, table: Table, rows: Rows, done: Callable[[int], None]) -> None:
        """Insert planned rows in batches of plain tuples, in the database's stored form."""
        columns = rows.columns
        converters: list[tuple[int, Callable[[Any], Any]]] = []
        if self.db.sqlite and not rows.stored:
            as_day, as_time = stored_day(self.db), stored_time(self.db)
            converters = [
                (index, as_day if name in DAYS.get(table, ()) else as_time)
                for index, name in enumerate(columns)
                if name in DAYS.get(table, ()) or name in TIMES.get(table, ())
            ]
        planned = rows.rows
        for start in range(0, len(planned), BATCH):
            batch = planned[start : start + BATCH]
            if converters:
                converted = []
                for row in batch:
                    values = list(row)
                    for index, convert in converters:
                        values[index] = convert(values[index])
                    converted.append(tuple(values))
                batch = converted
            if table == EVENT:  # linked to the history's chain, in the order given
                insert_rows(self.db, table, (*columns, "hash"), self._chain(batch, columns))
                move_head(self.db)
            else:
                insert_rows(self.db, table, columns, batch)
            done(len(batch))

    def _chain(self, batch: list[tuple[Any, ...]], columns: tuple[str, ...]) -> list[tuple]:
        """The batch's rows, each with its hash after the head of the local chain."""
        previous = lock_head(self.db)
        chained = []
        for row, content in zip(batch, event_contents(self.db, batch, columns), strict=True):
            previous = link_hash(previous, content)
            chained.append((*row, previous))
        return chained

    def order_events(self, *, whole: bool, contents: bool = True) -> None:
        """Verify the snapshot's history (format 6 on) and put the events to add in its
        chain's order: each new event's hash must follow from its ``prev`` and its content
        (the records it names by uuid, once written), and the events must link into one
        chain from 64 zeros (a partial export: runs of the exporter's chain). Refuses the
        snapshot, nothing written, when they do not. ``contents``: False on a dry run (the
        records the events name are not written: only the links are checked)."""
        rows = self.inserts[EVENT]
        chained = self.chained
        if self.version < UNVERIFIED:
            return
        refused = self._unverified(rows, whole=whole, contents=contents)
        if refused is not None:
            raise SnapshotInvalid(
                said(
                    N_(
                        "{name}: history: {problem}; the snapshot's history does not verify "
                        "(nothing imported)"
                    ),
                    name=self.name,
                    problem=refused,
                )
            )
        if rows.rows:
            index = rows.columns.index("uuid")
            place = self.places
            rows.rows.sort(key=lambda row: place.get(row[index], len(place)))
        chained.clear()

    def _unverified(self, rows: Rows, *, whole: bool, contents: bool) -> str | None:
        """What keeps the snapshot's history from verifying, if anything."""
        chained = self.chained
        missing = [uuid for uuid, (prev, hashed, _) in chained.items() if not prev or not hashed]
        if missing:
            if not self.accept_unverified:
                return said(N_("event {uuid} has no prev and hash"), uuid=missing[0])
            return None
        links = {uuid: (prev, hashed) for uuid, (prev, hashed, _) in chained.items()}
        order = chain_order(links, whole=whole, first=lambda uuid: (chained[uuid][2], uuid))
        if isinstance(order, str):
            return order
        self.places = order
        if rows.rows and contents:
            index = rows.columns.index("uuid")
            named = event_contents(self.db, rows.rows, rows.columns, self.aliases)
            for row, content in zip(rows.rows, named, strict=True):
                known = chained.get(row[index])
                if known is not None and link_hash(known[0], content) != known[1]:
                    return said(
                        N_("event {uuid}: its hash does not match its content"), uuid=row[index]
                    )
        return None


def _check_on_conflict(on_conflict: str) -> None:
    if on_conflict not in ON_CONFLICT:
        from chainlead.errors import InvalidInput

        raise InvalidInput("--on-conflict", _("expected fail, ours or theirs"), on_conflict)


def _finish(
    merge: Merge, *, dry_run: bool, whole: bool, progress: Progress | None = None
) -> ImportSummary:
    merge.problems.raise_if_any(merge.name)
    merge.refuse_unverifiable()  # once its records are checked: their problems come first
    summary = merge.summary(dry_run=dry_run)
    if dry_run:
        merge.order_events(whole=whole, contents=False)  # how the events link
        return summary
    if summary.refusal is not None:
        raise summary.refusal
    merge.write(progress, merge.written + merge.pending(), events=False)
    merge.order_events(whole=whole)  # the records they name are written: verified now
    merge.write(progress, merge.written + merge.pending())
    merge.restore_indexes()
    return summary


def import_snapshot(
    source: Reader,
    snapshot: Snapshot,
    *,
    name: str,
    on_conflict: str = "fail",
    dry_run: bool = False,
    progress: Progress | None = None,
    accept_unverified: bool = False,
) -> ImportSummary:
    """Merge a checked snapshot into the database in the caller's transaction.

    ``accept_unverified``: take a snapshot of a format before 6, whose history
    carries no hashes (refused otherwise); its events are chained as written.

    Raises ``SnapshotInvalid`` for references that resolve nowhere and
    ``SnapshotConflict`` for conflicts not settled by ``on_conflict``; a dry
    run plans everything, writes nothing, and returns the refusal it would
    meet in ``summary.refusal`` instead of raising it.
    """
    _check_on_conflict(on_conflict)
    merge = Merge(
        source,
        name=name,
        on_conflict=on_conflict,
        dry_run=dry_run,
        accept_unverified=accept_unverified,
    )
    merge.version = snapshot.format_version
    merge.start()
    merge.units(snapshot.units)
    merge.enterprises(snapshot.enterprises)
    merge.people(snapshot.people)
    for index, chain in enumerate(snapshot.chains):
        merge.chain(index, chain)
    merge.history(snapshot.history)
    summary = _finish(merge, dry_run=dry_run, whole=snapshot.scope is None, progress=progress)
    if not dry_run:
        from chainlead.store.handout import record_district  # the report's masthead

        record_district(source, snapshot.district)
    return summary


def import_records(
    source: Reader,
    records: Iterable[tuple[str, Any]],
    *,
    name: str,
    on_conflict: str = "fail",
    dry_run: bool = False,
    accept_unverified: bool = False,
) -> ImportSummary:
    """Check and merge a snapshot read a top-level record at a time (``canonical.records``).

    Each chain is checked, planned and written before the next is read, so
    memory holds one chain, not the snapshot. All or nothing still holds: the
    caller's transaction is rolled back when a later part turns out to be
    invalid or in conflict (nothing is written after the first problem or
    refused conflict; every one is still listed). A dry run writes nothing.
    """
    _check_on_conflict(on_conflict)
    with without_cycle_collection():
        return _import_records(
            source,
            records,
            name=name,
            on_conflict=on_conflict,
            dry_run=dry_run,
            accept_unverified=accept_unverified,
        )


def _import_records(
    db: Reader,
    records: Iterable[tuple[str, Any]],
    *,
    name: str,
    on_conflict: str,
    dry_run: bool,
    accept_unverified: bool,
) -> ImportSummary:
    from chainlead.snapshot.reader import check_header

    checker = Checker()
    merge = Merge(
        db,
        name=name,
        on_conflict=on_conflict,
        dry_run=dry_run,
        accept_unverified=accept_unverified,
    )
    whole = True  # no [scope]: the whole history, one chain
    units: list[Record] | None = []
    enterprises: list[Record] = []
    people: list[Record] | None = []
    history: list[Record] = []
    district: str | None = None  # the header's, recorded for the report's masthead
    counts = {"units": 0, "enterprises": 0, "people": 0, "chains": 0, "history": 0}

    def plan_units() -> None:
        """The units and the enterprises: every later record may name them."""
        nonlocal units
        if units is not None:
            if checker.clean:
                merge.units(units)
                merge.enterprises(enterprises)
                merge.write_or_drop()
            units = None

    def plan_people() -> None:
        nonlocal people
        plan_units()
        if people is not None:
            if checker.clean:
                merge.people(people)
                merge.write_or_drop()
            people = None

    for section, raw in records:
        if section == "document":
            merge.version = check_header(raw, name)
            header = checker.header(raw)
            district = header["district"]
            if "history" in raw:
                history = checker.history(raw["history"])
            merge.start()
        elif section == "scope":
            checker.scope(raw)
            whole = False
        elif section == "units":
            unit = checker.unit(counts["units"], raw)
            counts["units"] += 1
            if unit is not None and units is not None:
                units.append(unit)
        elif section == "enterprises":
            enterprise = checker.enterprise(counts["enterprises"], raw)
            counts["enterprises"] += 1
            if enterprise is not None and units is not None:
                enterprises.append(enterprise)
        elif section == "people":
            plan_units()
            person = checker.person(counts["people"], raw)
            counts["people"] += 1
            if person is not None and people is not None:
                people.append(person)
        elif section == "chains":
            plan_people()
            chain = checker.chain(counts["chains"], raw)
            if chain is not None and checker.clean:
                merge.chain(counts["chains"], chain)
                merge.write_or_drop()
            counts["chains"] += 1
        else:  # a top-level history table (format version 1)
            event = checker.event(counts["history"], raw)
            counts["history"] += 1
            if event is not None:
                history.append(event)
    plan_people()
    checker.problems.raise_if_any(name)
    merge.history(history)
    summary = _finish(merge, dry_run=dry_run, whole=whole)
    if not dry_run:
        from chainlead.store.handout import record_district  # the report's masthead

        record_district(db, district)
    return summary


def import_source(
    target: Reader,
    source: Source,
    *,
    limit: int,
    on_conflict: str = "fail",
    dry_run: bool = False,
    progress: Progress | None = None,
    accept_unverified: bool = False,
) -> ImportSummary:
    """Import a snapshot file (or stdin) in the caller's transaction (``target``),
    reading it as a stream.

    Text in the canonical spelling is read, checked and written a chain at a
    time (``import_records``). Text that turns out not to be -- at any point
    of the file -- is read whole by ``tomllib`` and imported again from the
    start: what the first pass wrote is rolled back to a savepoint first.
    """
    from chainlead.snapshot.canonical import NotCanonical
    from chainlead.snapshot.reader import canonical_records, document_records

    _check_on_conflict(on_conflict)
    options = {
        "name": source.name,
        "on_conflict": on_conflict,
        "dry_run": dry_run,
        "accept_unverified": accept_unverified,
    }
    db = target  # the caller's transaction
    try:
        with db.savepoint():
            return import_records(
                db, canonical_records(source, limit=limit, progress=progress), **options
            )
    except NotCanonical:
        pass
    return import_records(db, document_records(source, limit=limit), **options)
