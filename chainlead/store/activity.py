"""The district's activity log: every event in a time window, newest first.

The window is read through the index on ``(kind, at)`` (migration 0002):
without a kind asked for, the kinds on record are found first by a loose
index scan (a recursive query taking one index step per kind, about ten),
and each kind's window is then one range of that index. A chain asked for
reads ``(chain_id, at)`` instead when the planner finds it narrower. What
an event concerns -- its chain's code, item's key, meeting's key, project's
key, the person and the institution -- is joined by primary key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from chainlead.store.connection import Reader, moment

# The kinds on record, one index step each (``ix_event_kind_at``).
_KINDS = (
    "WITH RECURSIVE kinds(kind) AS ("
    "SELECT MIN(kind) FROM event "
    "UNION ALL SELECT (SELECT MIN(e.kind) FROM event e WHERE e.kind > kinds.kind) "
    "FROM kinds WHERE kinds.kind IS NOT NULL) "
)

_SELECT = (
    'SELECT e.id, e.at, e.actor, e.kind, e.field, e.old, e.new, e.text, c.code, i."key", '
    'm."key", pr."key", p.name, u.name '
    "FROM event e LEFT JOIN chain c ON c.id = e.chain_id "
    "LEFT JOIN item i ON i.id = e.item_id LEFT JOIN meeting m ON m.id = e.meeting_id "
    "LEFT JOIN project pr ON pr.id = e.project_id LEFT JOIN person p ON p.id = e.person_id "
    "LEFT JOIN unit u ON u.id = e.unit_id "
)


@dataclass(frozen=True)
class ActivityEvent:
    """One event of the log, with the keys and names of what it concerns."""

    id: int
    at: datetime  # naive UTC, as stored
    actor: str
    kind: str
    field: str | None
    old: str | None
    new: str | None
    text: str | None
    chain: str | None  # the chain's code
    item: str | None  # the item's key
    meeting: str | None  # the meeting's key
    project: str | None  # the project's key
    person: str | None  # the person's name
    unit: str | None  # the institution's name


def event_kinds(db: Reader) -> list[str]:
    """The kinds of event on record, one index step each."""
    return [row[0] for row in db.rows(_KINDS + "SELECT kind FROM kinds WHERE kind IS NOT NULL")]


def activity(
    db: Reader,
    *,
    since: datetime,
    until: datetime | None = None,
    chain_id: int | None = None,
    unit_id: int | None = None,
    actor: str | None = None,
    kinds: Sequence[str] = (),
    limit: int | None = None,
) -> list[ActivityEvent]:
    """The events from ``since`` (stored time, included) to ``until`` (excluded), newest
    first, of one chain, institution (the items it leads and the parts it has), actor
    or some kinds when given; at most ``limit``.

    With a limit, each kind's newest ``limit`` events are read backwards from
    its range of the index and only those are merged and joined: a page of the
    log costs the same however many events the window holds."""
    params: dict[str, object] = {"since": since}
    where = ["e.at >= :since"]
    if until is not None:
        where.append("e.at < :until")
        params["until"] = until
    if chain_id is not None:
        where.append("e.chain_id = :chain")
        params["chain"] = chain_id
    if unit_id is not None:
        where.append(
            "(e.unit_id = :unit OR e.item_id IN (SELECT id FROM item WHERE unit_id = :unit))"
        )
        params["unit"] = unit_id
    if actor is not None:
        where.append("e.actor = :actor")
        params["actor"] = actor
    wanted = list(kinds) or event_kinds(db)
    if not wanted:
        return []
    names = [f"kind{n}" for n in range(len(wanted))]
    params.update(zip(names, wanted, strict=True))
    order = " ORDER BY e.at DESC, e.id DESC"
    if limit is None:
        listed = ", ".join(":" + n for n in names)
        sql = f"{_SELECT}WHERE e.kind IN ({listed}) AND {' AND '.join(where)}{order}"
    else:
        params["limit"] = limit
        filters = " AND ".join(where)
        newest = " UNION ALL ".join(
            f"SELECT * FROM (SELECT e.id, e.at FROM event e WHERE e.kind = :{n} AND {filters}"
            f"{order} LIMIT :limit) AS k{n}"
            for n in names
        )
        sql = (
            f"{_SELECT}WHERE e.id IN (SELECT id FROM ({newest}) AS newest "
            f"ORDER BY at DESC, id DESC LIMIT :limit){order}"
        )
    return [
        ActivityEvent(int(row[0]), moment(row[1]), *row[2:])  # type: ignore[arg-type]
        for row in db.rows(sql, params)
    ]


def events_by_id(db: Reader, ids: Sequence[int]) -> list[ActivityEvent]:
    """The events with these ids, oldest first (what one change set wrote)."""
    from chainlead.store.connection import chunks, placeholders

    found: list[ActivityEvent] = []
    for part in chunks(ids):
        listed, params = placeholders("e", part)
        found.extend(
            ActivityEvent(int(row[0]), moment(row[1]), *row[2:])  # type: ignore[arg-type]
            for row in db.rows(f"{_SELECT}WHERE e.id IN {listed} ORDER BY e.id", params)
        )
    return found
