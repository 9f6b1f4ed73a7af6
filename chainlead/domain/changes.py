"""Undo: taking back what one command did, with both on record.

Every writing command records one change set (``chainlead.store.changes``):
the rows it added, changed or removed, and the events it wrote. Undoing it
writes a new change set that reverses it: changed rows get their old values,
removed rows come back, added rows are taken away -- or, when history names
them (history is append-only and keeps pointing at them), retired: an item is
dropped, a project dropped, a chain archived, a person kept. Each event of the
undone change set gets an ``undone`` event pointing at it (its uuid); no event
is ever deleted or changed.

Refused, naming the reason: a change set a later one builds on (it touched the
same rows, or wrote history about a record this one added), an import, an undo
(run the command again instead), one already undone, another actor's without
``--as`` that actor, and one that added a meeting (a meeting has no retired
state: correct it with ``schedule edit``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from chainlead.domain import Stamp
from chainlead.domain.history import record
from chainlead.errors import InvalidInput, NotFound, RuleViolation
from chainlead.i18n import _
from chainlead.store.activity import ActivityEvent, events_by_id
from chainlead.store.changes import (
    ChangedRow,
    ChangeSet,
    builds_on,
    change_set,
    changed_rows,
    counters_only,
    current_change,
    event_ids,
    event_refs,
    history_points_at,
    is_conflict,
    latest_undoable,
    mark_undone,
    record_chain,
    record_key,
    referenced_later,
    reinsert,
    remove,
    restore,
    retire,
    wrote_later,
)
from chainlead.store.connection import Reader

# What an added record history names becomes when its change set is undone.
RETIRED: dict[str, str] = {"item": "dropped", "project": "dropped", "chain": "archived"}
RETIRED_KIND = {"item": "status", "project": "project_dropped", "chain": "archived"}
KEPT = ("person", "unit")  # names in the registry: kept as they are


@dataclass(frozen=True)
class Retired:
    table: str  # item, project, chain, person (kept)
    key: str


@dataclass(frozen=True)
class UndoPlan:
    """What undoing a change set will do: the change set, the events it wrote (as
    the log reads them), the records it added that are retired or kept."""

    change: ChangeSet
    events: list[ActivityEvent]
    retired: list[Retired] = field(default_factory=list)
    kept: list[Retired] = field(default_factory=list)
    rows: list[ChangedRow] = field(default_factory=list)


def parse_change_id(text: str) -> int:
    """A change set's number as typed: ``12`` or ``#12``."""
    from chainlead.values import typed

    cleaned = typed(text).lstrip("#")
    if not cleaned.isdigit() or int(cleaned) == 0:
        raise InvalidInput(
            "CHANGE_ID", _("expected a change number as `undo --list` shows it (12)"), text
        )
    return int(cleaned)


def _describe(change: ChangeSet) -> str:
    return _("change {id} ({command}, by {actor})").format(
        id=change.id, command=command_shown(change.command), actor=change.actor
    )


def command_shown(command: str) -> str:
    """The command as a person reads it in a list: without ``chainlead``, the database it
    ran on and the language it printed in (``--db``, ``--lang``), which say nothing of
    what it changed."""
    import shlex

    try:
        words = shlex.split(command)
    except ValueError:
        return command
    kept: list[str] = []
    skip = False
    for word in words[1:] if words[:1] == ["chainlead"] else words:
        if skip:
            skip = False
        elif word in ("--db", "--lang"):
            skip = True
        elif not word.startswith(("--db=", "--lang=")):
            kept.append(word)
    return shlex.join(kept)


def plan_undo(db: Reader, *, actor: str, change_id: int | None) -> UndoPlan:
    """What undoing ``change_id`` (else ``actor``'s last change set) would do; refused
    with the reason when it cannot be undone."""
    if change_id is None:
        found = latest_undoable(db, actor)
        if found is None:
            raise RuleViolation(
                _("nothing to undo: {actor} has no change on record that can be undone").format(
                    actor=actor
                )
            )
    else:
        found = change_set(db, change_id)
        if found is None:
            raise NotFound("change", str(change_id))
    change = found
    if change.kind == "import":
        raise RuleViolation(
            _(
                "change {id} is an import, which cannot be undone: restore the backup made "
                "before it (`chainlead db backup`), or import the earlier snapshot"
            ).format(id=change.id)
        )
    if change.kind == "undo":
        raise RuleViolation(
            _("change {id} is itself an undo; to do it again, run the command again").format(
                id=change.id
            )
        )
    if change.undone_by is not None:
        raise RuleViolation(
            _("change {id} was already undone by change {by}").format(
                id=change.id, by=change.undone_by
            )
        )
    if change.actor != actor and not change.actor.endswith(f" as {actor}"):
        raise RuleViolation(
            _("change {id} was made by {who}; give --as {who} to undo it").format(
                id=change.id, who=change.actor
            )
        )
    counters = counters_only(db, change.id)  # nothing to put back there
    rows = [row for row in changed_rows(db, change.id) if (row.tbl, row.row_id) not in counters]
    added: dict[str, list[int]] = {}
    for row in rows:
        if row.op == "insert" and row.tbl != "event":
            added.setdefault(row.tbl, []).append(row.row_id)
    removed = {
        table: [row_id for row_id in ids if not history_points_at(db, table, row_id)]
        for table, ids in added.items()
    }
    later = sorted({*builds_on(db, change.id, added, counters),
                    *referenced_later(db, change.id, removed)})  # fmt: skip
    if later:
        blocking = change_set(db, later[0])
        assert blocking is not None
        raise RuleViolation(
            _("{later} builds on change {id}; undo that first").format(
                later=_describe(blocking), id=change.id
            )
        )
    retired: list[Retired] = []
    kept: list[Retired] = []
    for table, ids in added.items():
        for row_id in ids:
            if not history_points_at(db, table, row_id):
                continue
            key = record_key(db, table, row_id) or str(row_id)
            if table in RETIRED:
                retired.append(Retired(table, key))
            elif table in KEPT:
                kept.append(Retired(table, key))
            else:
                raise RuleViolation(
                    _(
                        "change {id} added meeting {key}, which its history names and keeps: "
                        "it cannot be taken back; correct it with `chainlead schedule edit {key}`"
                    ).format(id=change.id, key=key)
                )
    return UndoPlan(change, events_by_id(db, event_ids(db, change.id)), retired, kept, rows)


def undo(db: Reader, *, stamp: Stamp, plan: UndoPlan) -> int:
    """Reverse ``plan``'s change set inside the open write transaction (whose own
    change set is the undo); the undo's change number."""
    me = current_change(db)
    if me is None:  # the caller opens the write through ``runtime.writing(kind="undo")``
        raise RuleViolation(_("an undo must run in a command's own write"))
    change = plan.change
    if not mark_undone(db, change.id, me):
        found = change_set(db, change.id)
        raise RuleViolation(
            _("change {id} was already undone by change {by}").format(
                id=change.id, by=found.undone_by if found else "?"
            )
        )
    reason = _("undone by change {id}").format(id=me)
    current: ChangedRow | None = None
    try:
        with db.savepoint():
            for current in reversed(plan.rows):
                _reverse(db, stamp, current, reason)
    except Exception as exc:
        if current is None or not is_conflict(exc):
            raise
        _refuse_conflict(db, change, current.tbl)
    _record_undone(db, stamp, event_refs(db, event_ids(db, change.id)), change.id)
    return me


def _reverse(db: Reader, stamp: Stamp, row: ChangedRow, reason: str) -> None:
    """Put one row back as it was before the change set."""
    if row.tbl == "event":
        return
    if row.op == "update":
        restore(db, row.tbl, row.row_id, row.image or "{}")
    elif row.op == "delete":
        reinsert(db, row.tbl, row.image or "{}")
    elif not history_points_at(db, row.tbl, row.row_id):
        remove(db, row.tbl, row.row_id)
    elif row.tbl in RETIRED:
        _retire(db, stamp, row, reason)


def _refuse_conflict(db: Reader, change: ChangeSet, table: str) -> None:
    """A row put back clashes with one a later change wrote (a member removed and added
    again): refused, naming the later change that wrote to the same table."""
    later = wrote_later(db, change.id, table)
    if later:
        blocking = change_set(db, later[0])
        if blocking is not None:
            raise RuleViolation(
                _("{later} builds on change {id}; undo that first").format(
                    later=_describe(blocking), id=change.id
                )
            )
    raise RuleViolation(
        _("change {id} cannot be taken back: what it changed was recorded again since").format(
            id=change.id
        )
    )


def _retire(db: Reader, stamp: Stamp, row: ChangedRow, reason: str) -> None:
    status = RETIRED[row.tbl]
    old = retire(
        db, row.tbl, row.row_id, status=status, reason=reason if row.tbl == "item" else None
    )
    if old == status:
        return
    ids = {f"{row.tbl}_id": row.row_id}
    if row.tbl != "chain":
        ids["chain_id"] = record_chain(db, row.tbl, row.row_id)
    record(
        db, stamp=stamp, kind=RETIRED_KIND[row.tbl], field="status", old=old, new=status,
        text=reason, **ids,
    )  # fmt: skip


def _record_undone(db: Reader, stamp: Stamp, events: Sequence, change_id: int) -> None:
    """One ``undone`` event per event of the undone change set, newest first: about the
    same records, pointing at it by uuid (``old``), naming the change set undone (``new``)
    and the reversed event's kind (``text``)."""
    for event in reversed(events):
        record(
            db,
            stamp=stamp,
            kind="undone",
            chain_id=event.chain_id,
            item_id=event.item_id,
            meeting_id=event.meeting_id,
            person_id=event.person_id,
            unit_id=event.unit_id,
            project_id=event.project_id,
            old=event.uuid,
            new=change_id,
            text=event.kind,
        )
