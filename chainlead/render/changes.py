"""Change sets for people and scripts: ``undo --list`` and what an undo will do."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from chainlead.clock import iso, shown
from chainlead.domain.changes import UndoPlan, command_shown
from chainlead.i18n import _, ngettext, pgettext
from chainlead.render.longtable import LongTable
from chainlead.render.output import list_table
from chainlead.store.changes import ChangeSet

# The fields of ``undo --list --json``, in order.
FIELDS = (
    "id", "uuid", "at", "actor", "command", "kind", "undoes", "undone_by", "rows", "events",
)  # fmt: skip


def as_data(change: ChangeSet) -> dict[str, Any]:
    """One change set for scripts: stable English keys, ISO time with offset."""
    return {
        "id": change.id,
        "uuid": change.uuid,
        "at": iso(change.at),
        "actor": change.actor,
        "command": change.command,
        "kind": change.kind,
        "undoes": change.undoes,
        "undone_by": change.undone_by,
        "rows": change.rows,
        "events": change.events,
    }


def plan_data(plan: UndoPlan, *, undo: int | None) -> dict[str, Any]:
    """An undo for scripts: the change set, its events as the log gives them, the records
    retired or kept, and the undo's own number (``None``: a dry run)."""
    from chainlead.render import activity

    return {
        "change": as_data(plan.change),
        "events": [activity.as_data(event) for event in plan.events],
        "retired": [{"record": r.table, "key": r.key} for r in plan.retired],
        "kept": [{"record": r.table, "key": r.key} for r in plan.kept],
        "undo": undo,
    }


def state(change: ChangeSet) -> str:
    """Whether the change set stands: undone by another, an undo, an import."""
    if change.undone_by is not None:
        return _("undone by {id}").format(id=change.undone_by)
    if change.kind == "undo":
        return _("undoes {id}").format(id=change.undoes)
    if change.kind == "import":
        return pgettext("change", "import")
    return ""


def size(change: ChangeSet) -> str:
    """``3 rows, 2 events``."""
    if change.kind == "import":
        return ""
    rows = ngettext("{n} row", "{n} rows", change.rows).format(n=change.rows)
    events = ngettext("{n} event", "{n} events", change.events).format(n=change.events)
    return _("{rows}, {events}").format(rows=rows, events=events)


def listed(changes: list[ChangeSet]) -> RenderableType:
    """``undo --list``: the newest change sets, newest first."""
    if not changes:
        return Text(_("no changes on record"))
    table: LongTable = list_table(_("Changes, newest first"))
    table.add_column(_("No."), no_wrap=True, justify="right")
    table.add_column(_("When"), no_wrap=True)
    table.add_column(_("Who"), no_wrap=True)
    table.add_column(_("Command"))
    table.add_column(_("Changed"), no_wrap=True)
    table.add_rows(
        (
            str(c.id),
            shown(c.at),
            c.actor,
            command_shown(c.command),
            "\n".join(part for part in (size(c), state(c)) if part),
        )
        for c in changes
    )
    return table


def heading(change: ChangeSet) -> str:
    """``Change 12: chainlead bottleneck close IC-3 …, by 王芳 at 2026-12-07 08:30``."""
    return _("Change {id}: {command}, by {actor} at {at}").format(
        id=change.id, command=command_shown(change.command), actor=change.actor, at=shown(change.at)
    )


def _retired_line(table: str) -> str:
    return {
        "item": _("item {key} was added by it: it will be dropped, and stay on record"),
        "project": _("project {key} was added by it: it will be dropped, and stay on record"),
        "chain": _("chain {key} was added by it: it will be archived, and stay on record"),
    }[table]


def _kept_line(table: str) -> str:
    if table == "person":
        return _("person {key} was added by it and stays: history names them")
    return _("institution {key} was added by it and stays: history names it")


def plan(plan: UndoPlan) -> RenderableType:
    """What undoing a change set will take back: the events it wrote, as the log reads
    them, and the records it added that stay retired or kept."""
    from chainlead.render.activity import events_table

    parts: list[RenderableType] = [Text(heading(plan.change), style="bold")]
    if plan.events:
        parts.append(events_table(plan.events))
    parts.extend(Text(_retired_line(found.table).format(key=found.key)) for found in plan.retired)
    parts.extend(Text(_kept_line(found.table).format(key=found.key)) for found in plan.kept)
    parts.append(Text(size(plan.change)))
    return Group(*parts)
