"""What ``schedule list``, ``show``, ``agenda`` and ``missing`` show.

Read with plain SQL through a ``chainlead.reader.Reader`` (see
``chainlead.domain.views``), so on a SQLite file these commands never import
SQLAlchemy. Every function runs a fixed number of statements whatever the
number of meetings or items, and returns frozen dataclasses.

Only ``scheduling`` entries count for the monthly duty:
``missing_meetings(month)`` lists the chains expected to hold one that month
which have none on record. A chain is expected in a month when it existed by
the end of that month (created on or before its last day) and had not been
archived by then (archived after the month, or still active). So an archived
chain is never expected from the month it was archived on, and a chain added
to chainlead in the middle of a month is expected that month already.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chainlead.domain.chain_views import leader_on
from chainlead.domain.lights import RED, YELLOW, light
from chainlead.domain.views import chain_id
from chainlead.errors import InvalidInput, MeetingNotFound
from chainlead.reader import Reader, day, day_or_none, moment, placeholders, reader
from chainlead.store.chains import find_chain
from chainlead.store.meetings import attendees as stored_attendees
from chainlead.store.meetings import decisions as stored_decisions
from chainlead.store.meetings import figures as stored_figures
from chainlead.values import month_bounds, normalize_meeting_key, parse_month
from chainlead.vocabulary import (
    LEADER,
    MEETING_KINDS,
    OPEN_STATUSES,
    RELATIONS,
    RESPONSIBLE,
    SCHEDULING,
    ItemStatus,
    Relation,
)

BLOCKED = ItemStatus.blocked.value
RESOLVED = ItemStatus.resolved.value

__all__ = [
    "Agenda",
    "AgendaItem",
    "Figure",
    "LinkedItem",
    "MeetingChange",
    "MeetingDetail",
    "MeetingSummary",
    "MissingMeeting",
    "agenda",
    "list_meetings",
    "meeting_detail",
    "missing_meetings",
    "parse_kind",
]

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Figure:
    """A key figure the chain reported: the value is exact decimal text."""

    name: str
    value: str
    unit: str | None


@dataclass(frozen=True)
class LinkedItem:
    """An item a meeting raised or discussed, as it stands today."""

    key: str
    relation: str  # "raised" or "discussed"
    title: str
    status: str
    unit: str
    due_on: date
    resolved_on: date | None
    light: str


@dataclass(frozen=True)
class MeetingSummary:
    """One meeting entry in a list (counts instead of the full contents)."""

    key: str
    chain: str
    kind: str
    month: str
    held_on: date
    chair: str | None
    decisions: int
    figures: int
    raised: int
    discussed: int
    summary: str | None


@dataclass(frozen=True)
class MeetingChange:
    """One entry of a meeting's history: created, edited, or an item linked/unlinked."""

    at: datetime
    actor: str
    kind: str
    item: str | None  # the item key of a linked / unlinked event
    field: str | None
    old: str | None
    new: str | None
    text: str | None


@dataclass(frozen=True)
class MeetingDetail:
    """Everything about one meeting entry, its linked items with today's lights."""

    key: str
    chain: str
    chain_name: str
    kind: str
    month: str
    held_on: date
    chair: str | None
    summary: str | None
    attendees: tuple[str, ...]
    decisions: tuple[str, ...]
    figures: tuple[Figure, ...]
    items: tuple[LinkedItem, ...]
    created_at: datetime
    history: tuple[MeetingChange, ...]


@dataclass(frozen=True)
class MissingMeeting:
    """A chain expected to hold its scheduling meeting in ``month`` with none on record."""

    chain: str
    name: str
    month: str
    leader: str | None
    responsible: str | None
    last_meeting: str | None  # key of the last scheduling meeting before the month
    last_held_on: date | None


@dataclass(frozen=True)
class AgendaItem:
    """An item on the agenda, with what has become of it."""

    key: str
    title: str
    status: str
    light: str
    unit: str
    owner: str | None
    due_on: date
    resolved_on: date | None
    resolution: str | None
    status_reason: str | None
    relation: str | None  # for items named by the last meeting: raised / discussed


@dataclass(frozen=True)
class Agenda:
    """What the next meeting of a chain should take up.

    - ``red`` / ``yellow``: unresolved items that are overdue / due within the
      warning window (blocked items are listed under ``blocked`` instead);
    - ``blocked``: items that cannot move, with the reason;
    - ``awaiting_signoff``: resolved items not yet closed (signed off); those
      resolved since the last meeting are the new ones, older ones are still
      waiting;
    - ``last_meeting`` with its ``last_decisions``, and ``last_items``: what
      became of every item it raised or discussed.
    """

    chain: str
    chain_name: str
    leader: str | None
    today: date
    last_meeting: MeetingSummary | None
    last_decisions: tuple[str, ...]
    red: tuple[AgendaItem, ...]
    yellow: tuple[AgendaItem, ...]
    blocked: tuple[AgendaItem, ...]
    awaiting_signoff: tuple[AgendaItem, ...]
    last_items: tuple[AgendaItem, ...]


# --------------------------------------------------------------------------- parsing


def parse_kind(text: str, field: str = "--kind") -> str:
    kind = text.strip().lower()
    if kind not in MEETING_KINDS:
        raise InvalidInput(field, "expected one of " + ", ".join(MEETING_KINDS), text)
    return kind


# --------------------------------------------------------------------------- statements

# A meeting with its counts; the filters and order are added by the caller.
_SUMMARIES = """
SELECT m.id, m."key", c.code, m.kind, m.month, m.held_on, p.name,
       (SELECT count(*) FROM meeting_decision d WHERE d.meeting_id = m.id),
       (SELECT count(*) FROM meeting_figure f WHERE f.meeting_id = m.id),
       (SELECT count(*) FROM meeting_item r WHERE r.meeting_id = m.id AND r.relation = :raised),
       (SELECT count(*) FROM meeting_item t
        WHERE t.meeting_id = m.id AND t.relation = :discussed),
       m.summary
FROM meeting m JOIN chain c ON c.id = m.chain_id LEFT JOIN person p ON p.id = m.chair_id
"""

_COUNTED = {"raised": Relation.raised.value, "discussed": Relation.discussed.value}

_MEETING = """
SELECT m.id, m."key", c.code, c.name, m.kind, m.month, m.held_on, p.name, m.summary,
       m.created_at
FROM meeting m JOIN chain c ON c.id = m.chain_id LEFT JOIN person p ON p.id = m.chair_id
WHERE m."key" = :key
"""

# An item's columns as the agenda shows them (the meeting card takes a part).
_ITEM_COLUMNS = """i."key", i.title, i.status, i.unit, p.name, i.due_on, i.resolved_on,
       i.resolution, i.status_reason"""

_LINKED = f"""
SELECT mi.relation, i.number, {_ITEM_COLUMNS}
FROM meeting_item mi JOIN item i ON i.id = mi.item_id LEFT JOIN person p ON p.id = i.owner_id
WHERE mi.meeting_id = :meeting
"""

_CHANGES = """
SELECT e.at, e.actor, e.kind, i."key", e.field, e.old, e.new, e.text
FROM event e LEFT JOIN item i ON i.id = e.item_id
WHERE e.meeting_id = :meeting
ORDER BY e.at, e.id
"""

# The agenda's open work and sign-offs, by time limit.
_AGENDA_STATUSES = (*OPEN_STATUSES, RESOLVED)
_WITHIN, _AGENDA_PARAMS = placeholders("s", _AGENDA_STATUSES)
_AGENDA_ITEMS = f"""
SELECT {_ITEM_COLUMNS}
FROM item i LEFT JOIN person p ON p.id = i.owner_id
WHERE i.chain_id = :chain AND i.status IN {_WITHIN}
ORDER BY i.due_on, i.number
"""

Row = tuple[Any, ...]

# --------------------------------------------------------------------------- helpers


def _summaries(
    db: Reader, where: str, params: Mapping[str, object], tail: str
) -> list[tuple[int, MeetingSummary]]:
    """Meetings matching ``where`` in the order of ``tail``, each with its id."""
    sql = _SUMMARIES + (f"WHERE {where}\n" if where else "") + tail
    return [
        (
            int(meeting),
            MeetingSummary(
                key=key,
                chain=code,
                kind=kind,
                month=month,
                held_on=day(held_on),
                chair=chair,
                decisions=int(decisions),
                figures=int(figures),
                raised=int(raised),
                discussed=int(discussed),
                summary=summary,
            ),
        )
        for (
            meeting,
            key,
            code,
            kind,
            month,
            held_on,
            chair,
            decisions,
            figures,
            raised,
            discussed,
            summary,
        ) in db.rows(sql, {**_COUNTED, **params})
    ]


def _linked(db: Reader, meeting: int) -> list[tuple[str, Row]]:
    """The items a meeting raised, then those it discussed, each by number."""
    rows = db.rows(_LINKED, {"meeting": meeting})
    ordered = sorted(rows, key=lambda row: (RELATIONS.index(row[0]), row[1]))
    return [(row[0], row[2:]) for row in ordered]


def _light(status: str, due_on: date, resolved_on: date | None, today: date, days: int) -> str:
    return light(
        status=status, due_on=due_on, resolved_on=resolved_on, today=today, warning_days=days
    )


def _agenda_item(
    row: Row, today: date, warning_days: int, relation: str | None = None
) -> AgendaItem:
    key, title, status, unit, owner, due_on, resolved_on, resolution, status_reason = row
    due, resolved = day(due_on), day_or_none(resolved_on)
    return AgendaItem(
        key=key,
        title=title,
        status=status,
        light=_light(status, due, resolved, today, warning_days),
        unit=unit,
        owner=owner,
        due_on=due,
        resolved_on=resolved,
        resolution=resolution,
        status_reason=status_reason,
        relation=relation,
    )


# --------------------------------------------------------------------------- reads


def meeting_detail(
    source: Reader, *, key: str, today: date, warning_days: int = 7
) -> MeetingDetail:
    """One meeting entry with attendees, decisions, figures, linked items and history.

    Linked items carry their light as of ``today`` (raised items first, then
    discussed ones, each by item number).
    """
    db = reader(source)
    normalized = normalize_meeting_key(key, "meeting")
    found = db.rows(_MEETING, {"key": normalized})
    if not found:
        raise MeetingNotFound("meeting", normalized)
    meeting, meeting_key, code, name, kind, month, held_on, chair, summary, created_at = found[0]
    which = {"meeting": meeting}
    items = []
    for relation, (item_key, title, status, unit, _, due_on, resolved_on, _, _) in _linked(
        db, meeting
    ):
        due, resolved = day(due_on), day_or_none(resolved_on)
        items.append(
            LinkedItem(
                key=item_key,
                relation=relation,
                title=title,
                status=status,
                unit=unit,
                due_on=due,
                resolved_on=resolved,
                light=_light(status, due, resolved, today, warning_days),
            )
        )
    return MeetingDetail(
        key=meeting_key,
        chain=code,
        chain_name=name,
        kind=kind,
        month=month,
        held_on=day(held_on),
        chair=chair,
        summary=summary,
        attendees=tuple(stored_attendees(db, meeting)),
        decisions=tuple(stored_decisions(db, meeting)),
        figures=tuple(
            Figure(name=f.name, value=f.value, unit=f.unit) for f in stored_figures(db, meeting)
        ),
        items=tuple(items),
        created_at=moment(created_at),
        history=tuple(
            MeetingChange(
                at=moment(at),
                actor=actor,
                kind=change,
                item=item_key,
                field=changed,
                old=old,
                new=new,
                text=text,
            )
            for at, actor, change, item_key, changed, old, new, text in db.rows(_CHANGES, which)
        ),
    )


def list_meetings(
    source: Reader,
    *,
    chain: str | None = None,
    month: str | None = None,
    from_month: str | None = None,
    to_month: str | None = None,
    kind: str | None = None,
) -> list[MeetingSummary]:
    """Meeting entries, by month, chain, day held and number (follow-ups in order).

    ``month`` picks one month; ``from_month``/``to_month`` an inclusive range
    (either end may be open); ``month`` cannot be combined with the range.
    """
    db = reader(source)
    if month is not None and (from_month is not None or to_month is not None):
        raise InvalidInput("--month", "give either --month or --from/--to, not both")
    month = parse_month("--month", month) if month is not None else None
    from_month = parse_month("--from", from_month) if from_month is not None else None
    to_month = parse_month("--to", to_month) if to_month is not None else None
    if from_month and to_month and from_month > to_month:
        raise InvalidInput(
            "--from/--to", f"expected --from on or before --to ({to_month})", from_month
        )
    kind = parse_kind(kind) if kind is not None else None
    where: list[str] = []
    params: dict[str, object] = {}
    if chain is not None:
        where.append("m.chain_id = :chain")
        params["chain"] = chain_id(db, code=chain, field="--chain")
    for condition, name, value in (
        ("m.month = :month", "month", month),
        ("m.month >= :from_month", "from_month", from_month),
        ("m.month <= :to_month", "to_month", to_month),
        ("m.kind = :kind", "kind", kind),
    ):
        if value is not None:
            where.append(condition)
            params[name] = value
    tail = "ORDER BY m.month, c.code, m.held_on, m.number"
    return [summary for _, summary in _summaries(db, " AND ".join(where), params, tail)]


def missing_meetings(source: Reader, *, month: str) -> list[MissingMeeting]:
    """Chains expected to hold a scheduling meeting in ``month`` with none recorded.

    Expected: created on or before the month's last day, and not archived on or
    before it (see the module doc). Other kinds of meeting do not count. Each
    row names the chain's current leader and responsible person and the last
    scheduling meeting held before the month, if any. Ordered by chain code.
    """
    db = reader(source)
    month = parse_month("--month", month)
    _, last = month_bounds(month)
    chains = [
        (chain, code, name)
        for chain, code, name, created_at, archived_on in db.rows(
            "SELECT id, code, name, created_at, archived_on FROM chain ORDER BY code"
        )
        if moment(created_at).date() <= last and (archived_on is None or day(archived_on) > last)
    ]
    held = {
        row[0]
        for row in db.rows(
            "SELECT DISTINCT chain_id FROM meeting WHERE month = :month AND kind = :kind",
            {"month": month, "kind": SCHEDULING},
        )
    }
    missing = [row for row in chains if row[0] not in held]
    if not missing:
        return []
    holders = {
        (chain, role): name
        for chain, role, name in db.rows(
            "SELECT m.chain_id, m.role, p.name FROM membership m "
            "JOIN person p ON p.id = m.person_id "
            "WHERE m.until IS NULL AND m.role IN (:leader, :responsible)",
            {"leader": LEADER, "responsible": RESPONSIBLE},
        )
    }
    earlier: dict[int, tuple[str, date]] = {}
    for chain, key, held_on in db.rows(
        'SELECT chain_id, "key", held_on FROM meeting WHERE kind = :kind AND month < :month '
        "ORDER BY held_on, number",
        {"kind": SCHEDULING, "month": month},
    ):
        earlier[chain] = (key, day(held_on))
    return [
        MissingMeeting(
            chain=code,
            name=name,
            month=month,
            leader=holders.get((chain, LEADER)),
            responsible=holders.get((chain, RESPONSIBLE)),
            last_meeting=earlier[chain][0] if chain in earlier else None,
            last_held_on=earlier[chain][1] if chain in earlier else None,
        )
        for chain, code, name in missing
    ]


def agenda(source: Reader, *, chain: str, today: date, warning_days: int = 7) -> Agenda:
    """What the chain's next scheduling meeting should take up (see ``Agenda``).

    The last meeting is the chain's latest scheduling entry held on or before
    ``today``. Lists are ordered by due date (sign-offs by resolved date).
    """
    db = reader(source)
    found = find_chain(db, code=chain)
    leader = leader_on(db, chain_id=found.id, day=today)
    last = _summaries(
        db,
        "m.chain_id = :chain AND m.kind = :kind AND m.held_on <= :today",
        {"chain": found.id, "kind": SCHEDULING, "today": today},
        "ORDER BY m.held_on DESC, m.number DESC LIMIT 1",
    )
    items = [
        _agenda_item(row, today, warning_days)
        for row in db.rows(_AGENDA_ITEMS, {"chain": found.id, **_AGENDA_PARAMS})
    ]
    pending = [a for a in items if a.status in OPEN_STATUSES]
    signoff = sorted(
        (a for a in items if a.status == RESOLVED),
        key=lambda a: (a.resolved_on or today, a.key),
    )
    decisions: tuple[str, ...] = ()
    last_items: tuple[AgendaItem, ...] = ()
    if last:
        meeting = last[0][0]
        decisions = tuple(stored_decisions(db, meeting))
        last_items = tuple(
            _agenda_item(row, today, warning_days, relation)
            for relation, row in _linked(db, meeting)
        )
    return Agenda(
        chain=found.code,
        chain_name=found.name,
        leader=leader.name if leader else None,
        today=today,
        last_meeting=last[0][1] if last else None,
        last_decisions=decisions,
        red=tuple(a for a in pending if a.light == RED and a.status != BLOCKED),
        yellow=tuple(a for a in pending if a.light == YELLOW and a.status != BLOCKED),
        blocked=tuple(a for a in pending if a.status == BLOCKED),
        awaiting_signoff=tuple(signoff),
        last_items=last_items,
    )
