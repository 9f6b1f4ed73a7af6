"""What the commands run most show: the item list, the item card, the chain list.

Read with plain SQL through a ``chainlead.reader.Reader`` (a ``sqlite3``
connection, or an ORM session), so ``bottleneck list``, ``bottleneck show``
and ``chain list`` never import SQLAlchemy on a SQLite file. A fixed number
of statements each, never one per row; the filters and sort orders are the
same on every backend.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from chainlead.domain.lights import clock
from chainlead.errors import ChainNotFound, InvalidInput, ItemNotFound
from chainlead.reader import (
    Reader,
    day,
    day_or_none,
    like_anywhere,
    moment,
    placeholders,
    reader,
)
from chainlead.values import KEY_FORM, check_name, check_text, normalize_code, parse_key
from chainlead.vocabulary import (
    DONE_STATUSES,
    LEADER,
    OPEN_STATUSES,
    RESPONSIBLE,
    SEARCH_MAX,
    SORTS,
    STATUSES,
)

__all__ = [
    "ACTIONS",
    "KEY_FORM",
    "LEADER",
    "RESPONSIBLE",
    "SORTS",
    "ChainSummary",
    "ItemDetail",
    "ItemEvent",
    "ItemRow",
    "LinkedMeeting",
    "chain_id",
    "chain_not_found",
    "choice",
    "item_detail",
    "list_chains",
    "list_items",
    "parse_key",
    "suggest_keys",
]


# Which actions each status allows, in the order they are suggested.
ACTIONS: dict[str, tuple[str, ...]] = {
    "open": ("start", "block", "resolve", "drop"),
    "in_progress": ("block", "resolve", "drop"),
    "blocked": ("start", "resolve", "drop"),
    "resolved": ("close", "reopen"),
    "closed": ("reopen",),
    "dropped": ("reopen",),
}

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class ItemRow:
    """One line of ``bottleneck list``."""

    key: str
    chain: str
    title: str
    status: str
    light: str
    priority: str
    unit: str
    owner: str | None
    enterprise: str | None
    category: str | None
    source: str
    raised_on: date
    due_on: date
    resolved_on: date | None
    days_open: int
    days_over: int


@dataclass(frozen=True)
class ItemEvent:
    """One entry of an item's history, oldest first."""

    at: datetime
    actor: str
    kind: str
    field: str | None
    old: str | None
    new: str | None
    text: str | None
    person: str | None  # the person signing off or asked (close), when any
    meeting: str | None  # the meeting key of a ``linked`` event


@dataclass(frozen=True)
class LinkedMeeting:
    key: str
    kind: str
    held_on: date
    relation: str  # raised | discussed


@dataclass(frozen=True)
class ItemDetail:
    """Everything about one item, for ``bottleneck show``."""

    key: str
    chain: str
    chain_name: str
    title: str
    detail: str | None
    enterprise: str | None
    source: str
    category: str | None
    priority: str
    unit: str
    owner: str | None
    raised_on: date
    due_on: date
    status: str
    light: str
    status_reason: str | None
    resolution: str | None
    resolved_on: date | None
    resolved_by: str | None  # who recorded the resolution
    closed_on: date | None
    closed_by: str | None  # who signed the item off
    days_open: int
    days_over: int
    next_steps: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    meetings: tuple[LinkedMeeting, ...]
    history: tuple[ItemEvent, ...]


@dataclass(frozen=True)
class ChainSummary:
    code: str
    name: str
    status: str
    leader: str | None
    responsible: str | None
    team_size: int
    open_items: int


# --------------------------------------------------------------------------- lookups


def choice(field: str, value: str, allowed: Sequence[str]) -> str:
    """``value`` (any case) if it is one of ``allowed``, else InvalidInput."""
    cleaned = value.strip().lower() if isinstance(value, str) else value
    if cleaned not in allowed:
        raise InvalidInput(field, "expected one of " + ", ".join(allowed), value)
    return cleaned


def chain_id(source: Reader, *, code: str, field: str = "chain") -> int:
    """The id of the chain with this code (any case), or ChainNotFound with suggestions."""
    db = reader(source)
    normalized = normalize_code(code, field)
    found = db.rows("SELECT id FROM chain WHERE code = :code", {"code": normalized})
    if not found:
        raise chain_not_found(db, normalized)
    return int(found[0][0])


def chain_not_found(source: Reader, code: str) -> ChainNotFound:
    """The error for a missing chain code, naming the closest codes."""
    codes = [row[0] for row in reader(source).rows("SELECT code FROM chain")]
    return ChainNotFound("chain", code, difflib.get_close_matches(code, codes, n=3))


def suggest_keys(source: Reader, code: str, number: int) -> list[str]:
    """The closest existing keys: same chain first, then similarly named chains."""
    db = reader(source)
    codes = [row[0] for row in db.rows("SELECT code FROM chain")]
    wanted = f"{code}-{number}"
    chains = [code] if code in codes else difflib.get_close_matches(code, codes, n=3)
    if not chains:
        return []
    # Numbers near the one asked for, and all keys for a similarity match.
    within, params = placeholders("c", chains)
    keys = [
        row[0]
        for row in db.rows(
            'SELECT i."key" FROM item i JOIN chain c ON c.id = i.chain_id '
            f"WHERE c.code IN {within} ORDER BY abs(i.number - :number), i.number LIMIT 2000",
            {**params, "number": number},
        )
    ]
    close = difflib.get_close_matches(wanted, keys, n=3, cutoff=0.5)
    return close or keys[:3]


# --------------------------------------------------------------------------- the item card

_ITEM = """
SELECT i.id, i."key", c.code, c.name, i.title, i.detail, i.enterprise, i.source,
       i.category, i.priority, i.unit, p.name, i.raised_on, i.due_on, i.status,
       i.status_reason, i.resolution, i.resolved_on, i.closed_on, i.created_at,
       i.updated_at
FROM item i JOIN chain c ON c.id = i.chain_id LEFT JOIN person p ON p.id = i.owner_id
WHERE i."key" = :key
"""

_HISTORY = """
SELECT e.at, e.actor, e.kind, e.field, e.old, e.new, e.text, p.name, m."key"
FROM event e
LEFT JOIN person p ON p.id = e.person_id
LEFT JOIN meeting m ON m.id = e.meeting_id
WHERE e.item_id = :item
ORDER BY e.at, e.id
"""

_LINKS = """
SELECT m."key", m.kind, m.held_on, mi.relation
FROM meeting m JOIN meeting_item mi ON mi.meeting_id = m.id
WHERE mi.item_id = :item
ORDER BY m.held_on, m.id, mi.relation
"""


def item_detail(
    source: Reader, *, key: str, today: date, warning_days: int = 7, field: str = "key"
) -> ItemDetail:
    """Every field of one item, its linked meetings and its whole history in order."""
    db = reader(source)
    code, number = parse_key(key, field)
    found = db.rows(_ITEM, {"key": f"{code}-{number}"})
    if not found:
        raise ItemNotFound("bottleneck item", f"{code}-{number}", suggest_keys(db, code, number))
    (
        item_id,
        item_key,
        chain_code,
        chain_name,
        title,
        detail,
        enterprise,
        item_source,
        category,
        priority,
        unit,
        owner,
        raised_on,
        due_on,
        status,
        status_reason,
        resolution,
        resolved_on,
        closed_on,
        created_at,
        updated_at,
    ) = found[0]
    raised, due = day(raised_on), day(due_on)
    resolved, closed = day_or_none(resolved_on), day_or_none(closed_on)
    history = tuple(
        ItemEvent(
            at=moment(at),
            actor=actor,
            kind=kind,
            field=changed,
            old=old,
            new=new,
            text=text,
            person=person,
            meeting=meeting,
        )
        for at, actor, kind, changed, old, new, text, person, meeting in db.rows(
            _HISTORY, {"item": item_id}
        )
    )
    meetings = tuple(
        LinkedMeeting(key=k, kind=kind, held_on=day(held), relation=relation)
        for k, kind, held, relation in db.rows(_LINKS, {"item": item_id})
    )
    resolved_by = closed_by = None
    for entry in history:
        if entry.field == "status" and entry.new == "resolved":
            resolved_by = entry.actor
        if entry.field == "status" and entry.new == "closed":
            closed_by = entry.person or entry.actor
    if status not in DONE_STATUSES:
        resolved_by = None
    if status != "closed":
        closed_by = None
    shown, opened, over = clock(
        status=status,
        raised_on=raised,
        due_on=due,
        resolved_on=resolved,
        today=today,
        warning_days=warning_days,
    )
    return ItemDetail(
        key=item_key,
        chain=chain_code,
        chain_name=chain_name,
        title=title,
        detail=detail,
        enterprise=enterprise,
        source=item_source,
        category=category,
        priority=priority,
        unit=unit,
        owner=owner,
        raised_on=raised,
        due_on=due,
        status=status,
        light=shown,
        status_reason=status_reason,
        resolution=resolution,
        resolved_on=resolved,
        resolved_by=resolved_by,
        closed_on=closed,
        closed_by=closed_by,
        days_open=opened,
        days_over=over,
        next_steps=ACTIONS.get(status, ()),
        created_at=moment(created_at),
        updated_at=moment(updated_at),
        meetings=meetings,
        history=history,
    )


# --------------------------------------------------------------------------- the item list

_LIST = """
SELECT i."key", c.code, i.title, i.status, i.priority, i.unit, p.name, i.enterprise,
       i.category, i.source, i.raised_on, i.due_on, i.resolved_on
FROM item i JOIN chain c ON c.id = i.chain_id LEFT JOIN person p ON p.id = i.owner_id
"""

_PRIORITY_RANK = (
    "CASE i.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 "
    "WHEN 'low' THEN 3 ELSE 4 END"
)

_ORDER = {
    "due": "i.due_on, c.code, i.number",
    "raised": "i.raised_on, c.code, i.number",
    "priority": f"{_PRIORITY_RANK}, i.due_on, c.code, i.number",
    "key": "c.code, i.number",
}


def list_items(
    source: Reader,
    *,
    today: date,
    warning_days: int = 7,
    chain: str | None = None,
    statuses: Sequence[str] | None = None,
    unit: str | None = None,
    owner: str | None = None,
    enterprise: str | None = None,
    category: str | None = None,
    overdue: bool = False,
    due_within: int | None = None,
    raised_in: tuple[date, date] | None = None,
    resolved_in: tuple[date, date] | None = None,
    search: str | None = None,
    sort: str = "due",
    limit: int | None = None,
) -> list[ItemRow]:
    """Items matching every filter given, in one query.

    ``statuses`` None means open work (open, in_progress, blocked), unless
    ``resolved_in`` is given (then any status); ``unit``, ``owner``,
    ``enterprise`` and ``search`` match case-insensitively anywhere in the
    text (``search`` in title and detail); ``category`` matches whole, any
    case; ``overdue``: unresolved and past due; ``due_within`` N: unresolved
    and due from today to today + N days; ``raised_in``/``resolved_in``: an
    inclusive date range (a month's bounds).
    """
    db = reader(source)
    sort = choice("--sort", sort, SORTS)
    if limit is not None and limit < 1:
        raise InvalidInput("--limit", "expected a whole number of at least 1", limit)
    if statuses:
        wanted = tuple(dict.fromkeys(choice("--status", s, STATUSES) for s in statuses))
    elif resolved_in is not None:
        wanted = STATUSES
    else:
        wanted = OPEN_STATUSES
    where: list[str] = []
    params: dict[str, object] = {}
    if set(wanted) != set(STATUSES):
        within, names = placeholders("s", wanted)
        where.append(f"i.status IN {within}")
        params.update(names)
    if chain is not None:
        where.append("i.chain_id = :chain")
        params["chain"] = chain_id(db, code=chain, field="--chain")
    for field, column, value in (
        ("--unit", "i.unit", unit),
        ("--owner", "p.name", owner),
        ("--enterprise", "i.enterprise", enterprise),
    ):
        if value is not None:
            name = field.strip("-")
            where.append(f"lower({column}) LIKE :{name} ESCAPE '/'")
            params[name] = like_anywhere((check_name(field, value) or "").lower())
    if category is not None:
        where.append("lower(i.category) = :category")
        params["category"] = (check_name("--category", category) or "").lower()
    if search is not None:
        text = (check_text("--search", search, required=True, max_len=SEARCH_MAX) or "").lower()
        where.append(
            "(lower(i.title) LIKE :search ESCAPE '/' "
            "OR lower(coalesce(i.detail, '')) LIKE :search ESCAPE '/')"
        )
        params["search"] = like_anywhere(text)
    open_now, open_params = placeholders("o", OPEN_STATUSES)
    if overdue:
        where.append(f"i.status IN {open_now} AND i.due_on < :today")
        params.update(open_params, today=today)
    if due_within is not None:
        where.append(f"i.status IN {open_now} AND i.due_on >= :today AND i.due_on <= :within")
        params.update(open_params, today=today, within=today + timedelta(days=due_within))
    if raised_in is not None:
        where.append("i.raised_on >= :raised_from AND i.raised_on <= :raised_to")
        params.update(raised_from=raised_in[0], raised_to=raised_in[1])
    if resolved_in is not None:
        where.append(
            "i.resolved_on IS NOT NULL AND i.resolved_on >= :resolved_from "
            "AND i.resolved_on <= :resolved_to"
        )
        params.update(resolved_from=resolved_in[0], resolved_to=resolved_in[1])
    sql = _LIST
    if where:
        sql += "WHERE " + " AND ".join(where) + "\n"
    sql += "ORDER BY " + _ORDER[sort]
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    rows: list[ItemRow] = []
    for (
        key,
        code,
        title,
        status,
        priority,
        unit_name,
        owner_name,
        enterprise_name,
        category_name,
        item_source,
        raised_on,
        due_on,
        resolved_on,
    ) in db.rows(sql, params):
        raised, due = day(raised_on), day(due_on)
        resolved = day_or_none(resolved_on)
        shown, opened, over = clock(
            status=status,
            raised_on=raised,
            due_on=due,
            resolved_on=resolved,
            today=today,
            warning_days=warning_days,
        )
        rows.append(
            ItemRow(
                key=key,
                chain=code,
                title=title,
                status=status,
                light=shown,
                priority=priority,
                unit=unit_name,
                owner=owner_name,
                enterprise=enterprise_name,
                category=category_name,
                source=item_source,
                raised_on=raised,
                due_on=due,
                resolved_on=resolved,
                days_open=opened,
                days_over=over,
            )
        )
    return rows


# --------------------------------------------------------------------------- the chain list


def list_chains(source: Reader, *, include_archived: bool = False) -> list[ChainSummary]:
    """Every chain with its leader, responsible person, team size and open items."""
    db = reader(source)
    sql = "SELECT id, code, name, status FROM chain"
    if not include_archived:
        sql += " WHERE status = 'active'"
    chains = db.rows(sql + " ORDER BY code")
    holders: dict[tuple[int, str], str] = {}
    team_size: dict[int, int] = {}
    for chain, role, person in db.rows(
        "SELECT m.chain_id, m.role, p.name FROM membership m "
        "JOIN person p ON p.id = m.person_id WHERE m.until IS NULL"
    ):
        if role in (LEADER, RESPONSIBLE):
            holders[(chain, role)] = person
        if role != LEADER:
            team_size[chain] = team_size.get(chain, 0) + 1
    open_now, params = placeholders("o", OPEN_STATUSES)
    open_counts = dict(
        db.rows(
            f"SELECT chain_id, count(*) FROM item WHERE status IN {open_now} GROUP BY chain_id",
            params,
        )
    )
    return [
        ChainSummary(
            code=code,
            name=name,
            status=status,
            leader=holders.get((chain, LEADER)),
            responsible=holders.get((chain, RESPONSIBLE)),
            team_size=team_size.get(chain, 0),
            open_items=int(open_counts.get(chain, 0)),
        )
        for chain, code, name, status in chains
    ]
