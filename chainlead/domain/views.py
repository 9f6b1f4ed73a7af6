"""What the commands run most show: the item list, the item card, the chain list.

A fixed number of statements each, never one per row; the filters and sort
orders are the same on every backend.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from chainlead.domain.lights import clock, item_clock
from chainlead.domain.parts import Part, part_view
from chainlead.errors import InvalidInput, ItemNotFound, did_you_mean
from chainlead.store.assignments import ExtensionRecord, assignments_of, extensions_of
from chainlead.store.chains import (
    chain_codes,
    chain_id_of,
    chain_not_found,
    chain_of,
    chains_by_code,
)
from chainlead.store.connection import Reader, like_anywhere
from chainlead.store.decisions import DecisionOrigin, decision_origin
from chainlead.store.enterprises import FollowUp, enterprises_of, follow_ups_of_item
from chainlead.store.history import ItemEvent, item_events
from chainlead.store.items import (
    ItemQuery,
    ItemRecord,
    LinkedMeeting,
    item_by_key,
    keys_near,
    linked_meetings,
    listed_items,
    open_counts,
    person_name,
)
from chainlead.store.teams import current_holders
from chainlead.values import (
    KEY_FORM,
    check_name,
    check_text,
    normalize_code,
    parse_choice,
    parse_key,
    typed,
)
from chainlead.vocabulary import (
    ACTIONS,
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
    "choice",
    "item_detail",
    "list_chains",
    "list_items",
    "parse_key",
    "suggest_keys",
]


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
    original_due_on: date | None = None  # the first limit, where extensions moved it
    level: int = 0  # the supervision ladder
    urge_count: int = 0
    last_urged_at: datetime | None = None
    suspended_on: date | None = None
    link: str | None = None  # the link of the chain's map it concerns


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
    original_due_on: date | None = None  # the first limit, where extensions moved it
    level: int = 0
    urge_count: int = 0
    last_urged_at: datetime | None = None
    suspended_on: date | None = None
    suspended_until: date | None = None
    suspend_reason: str | None = None
    suspended_days: int = 0  # of suspension spells already ended
    parts: tuple[Part, ...] = ()  # the institutions' assignments, lead first
    extensions: tuple[ExtensionRecord, ...] = ()  # requests and edits of the limit
    decision: DecisionOrigin | None = None  # the meeting decision an action was made of
    enterprises: tuple[str, ...] = ()  # every enterprise that raised it, first named first
    reference: str | None = None  # its number in the team's own demand sheet
    follow_ups: tuple[FollowUp, ...] = ()  # the enterprises asked (回访), earliest first
    link: str | None = None  # the link of the chain's map it concerns
    project: str | None = None  # the key of the chain project that raised it


@dataclass(frozen=True)
class ChainSummary:
    code: str
    name: str
    status: str
    leader: str | None
    responsible: str | None
    team_size: int  # the working team, without the chain leader
    open_items: int
    members: int = 0  # everyone on the chain's card: the chain leader and the working team


# --------------------------------------------------------------------------- lookups


def choice(field: str, value: str, allowed: Sequence[str]) -> str:
    """``value`` (any case) if it is one of ``allowed``, else InvalidInput."""
    return parse_choice(field, value, allowed)


def chain_id(db: Reader, *, code: str, field: str = "chain") -> int:
    """The id of the chain with this code (any case), or ChainNotFound with suggestions."""
    normalized = normalize_code(code, field)
    found = chain_id_of(db, normalized)
    if found is None:
        raise chain_not_found(db, normalized)
    return found


def item_key(db: Reader, text: str, *, field: str = "key") -> str:
    """The item key ``text`` names, as stored (``ic-12``, ``ＩＣ－１２`` -> ``IC-12``).

    A key typed without its hyphen (``sg6``) is read against the chains there
    are: taken when one chain's code and a number make it (``SG-6``), and
    refused naming the keys it could be when several do (chains ``IC`` and
    ``IC1``, and ``ic12``: ``IC-12`` or ``IC1-2``, whichever items exist).
    """
    try:
        code, number = parse_key(text, field)
    except InvalidInput as refused:
        candidates = _hyphenless(db, text)
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            refused.args = (did_you_mean(refused.message, candidates),)
        raise
    return f"{code}-{number}"


def _hyphenless(db: Reader, text: str) -> list[str]:
    """The keys ``text`` could be with a hyphen put back between a chain's code and a
    number; those whose item exists, when some do."""
    if not isinstance(text, str):
        return []
    squeezed = "".join(typed(text).upper().split())
    codes = set(chain_codes(db))
    keys = [
        f"{squeezed[:cut]}-{int(squeezed[cut:])}"
        for cut in range(1, len(squeezed))
        if squeezed[:cut] in codes
        and squeezed[cut:].isascii()
        and squeezed[cut:].isdigit()
        and len(squeezed[cut:]) <= 9
    ]
    existing = [key for key in keys if item_by_key(db, key) is not None]
    return existing or keys


def find_item(db: Reader, *, key: str, field: str = "key", for_update: bool = False) -> ItemRecord:
    """The item a typed key names (``item_key``), or ItemNotFound naming the closest keys;
    locked on PostgreSQL when ``for_update``."""
    wanted = item_key(db, key, field=field)
    item = item_by_key(db, wanted, for_update=for_update)
    if item is None:
        code, number = wanted.rsplit("-", 1)
        raise ItemNotFound("bottleneck item", wanted, suggest_keys(db, code, int(number)))
    return item


def suggest_keys(db: Reader, code: str, number: int) -> list[str]:
    """The closest existing keys: same chain first, then similarly named chains."""
    codes = chain_codes(db)
    wanted = f"{code}-{number}"
    chains = [code] if code in codes else difflib.get_close_matches(code, codes, n=3)
    if not chains:
        return []
    # Numbers near the one asked for, and all keys for a similarity match.
    keys = keys_near(db, chains, number)
    close = difflib.get_close_matches(wanted, keys, n=3, cutoff=0.5)
    return close or keys[:3]


# --------------------------------------------------------------------------- the item card


def item_detail(
    db: Reader, *, key: str, today: date, warning_days: int = 7, field: str = "key"
) -> ItemDetail:
    """Every field of one item, its linked meetings and its whole history in order."""
    item = find_item(db, key=key, field=field)
    chain = chain_of(db, item.chain_id)
    history = tuple(item_events(db, item.id))
    resolved_by = closed_by = None
    for entry in history:
        if entry.field == "status" and entry.new == "resolved":
            resolved_by = entry.actor
        if entry.field == "status" and entry.new == "closed":
            closed_by = entry.person or entry.actor
    if item.status not in DONE_STATUSES:
        resolved_by = None
    if item.status != "closed":
        closed_by = None
    shown, opened, over = item_clock(item, today=today, warning_days=warning_days)
    parts = tuple(
        part_view(
            a,
            today=today,
            warning_days=warning_days,
            suspended_days=item.suspended_days,
            suspended_on=item.suspended_on,
            suspended_until=item.suspended_until,
        )
        for a in assignments_of(db, item.id)
    )
    return ItemDetail(
        key=item.key,
        chain=chain.code,
        chain_name=chain.name,
        title=item.title,
        detail=item.detail,
        enterprise=item.enterprise,
        source=item.source,
        category=item.category,
        priority=item.priority,
        unit=item.unit,
        owner=None if item.owner_id is None else person_name(db, item.owner_id),
        raised_on=item.raised_on,
        due_on=item.due_on,
        status=item.status,
        light=shown,
        status_reason=item.status_reason,
        resolution=item.resolution,
        resolved_on=item.resolved_on,
        resolved_by=resolved_by,
        closed_on=item.closed_on,
        closed_by=closed_by,
        days_open=opened,
        days_over=over,
        next_steps=ACTIONS.get(item.status, ()),
        created_at=item.created_at,
        updated_at=item.updated_at,
        meetings=tuple(linked_meetings(db, item.id)),
        history=history,
        original_due_on=item.original_due_on if item.original_due_on != item.due_on else None,
        level=item.level,
        urge_count=item.urge_count,
        last_urged_at=item.last_urged_at,
        suspended_on=item.suspended_on,
        suspended_until=item.suspended_until,
        suspend_reason=item.suspend_reason,
        suspended_days=item.suspended_days,
        parts=parts,
        extensions=tuple(extensions_of(db, item.id)),
        decision=decision_origin(db, item.id) if item.decision_id is not None else None,
        enterprises=tuple(name for _id, name in enterprises_of(db, item.id)),
        reference=item.reference,
        follow_ups=tuple(follow_ups_of_item(db, item.id)),
        link=_link_name(db, item.id),
        project=_project_key(db, item.id),
    )


def _project_key(db: Reader, item_id: int) -> str | None:
    from chainlead.store.projects import project_key_of_item

    return project_key_of_item(db, item_id)


def _link_name(db: Reader, item_id: int) -> str | None:
    from chainlead.store.links import link_of_item

    found = link_of_item(db, item_id)
    return found.name if found else None


# --------------------------------------------------------------------------- the item list


def list_items(
    db: Reader,
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
    unit_id: int | None = None,
    enterprise_id: int | None = None,
    due_within: int | None = None,
    raised_in: tuple[date, date] | None = None,
    resolved_in: tuple[date, date] | None = None,
    search: str | None = None,
    sort: str = "due",
    limit: int | None = None,
    min_level: int | None = None,
    zone: tzinfo = UTC,
) -> list[ItemRow]:
    """Items matching every filter given, in one query.

    ``statuses`` None means open work (open, in_progress, blocked), unless
    ``resolved_in`` is given (then any status); ``unit``, ``owner``,
    ``enterprise`` and ``search`` match case-insensitively anywhere in the
    text (``search`` in title and detail); ``category`` matches whole, any
    case; ``overdue``: unresolved and past due; ``due_within`` N: unresolved
    and due from today to today + N days; ``raised_in``/``resolved_in``: an
    inclusive date range (a month's bounds), ``resolved_in`` by the monthly
    report's rule (a resolution dated in the range, even when reopened since);
    ``unit_id``: the items handed to that institution; ``enterprise_id``: the
    items that enterprise raised (``enterprise`` matches any of an item's
    enterprises by name or short name); ``min_level``: at that supervision level
    or above.
    """
    sort = choice("--sort", sort, SORTS)
    if limit is not None and limit < 1:
        raise InvalidInput("--limit", "expected a whole number of at least 1", limit)
    if statuses:
        wanted = tuple(dict.fromkeys(choice("--status", s, STATUSES) for s in statuses))
    elif resolved_in is not None:
        wanted = STATUSES
    else:
        wanted = OPEN_STATUSES
    chain_no = None if chain is None else chain_id(db, code=chain, field="--chain")
    replayed: frozenset[int] = frozenset()
    by_history: frozenset[int] = frozenset()
    if resolved_in is not None:  # the monthly report's rule (domain.reports.history)
        from chainlead.domain.reports.history import resolved_in as resolved_by_rule

        found = resolved_by_rule(
            db, first=resolved_in[0], last=resolved_in[1], chain_id=chain_no, zone=zone
        )
        replayed, by_history = found.replayed, found.resolved
    query = ItemQuery(
        statuses=None if set(wanted) == set(STATUSES) else wanted,
        chain_id=chain_no,
        unit=_pattern("--unit", unit),
        unit_id=unit_id,
        owner=_pattern("--owner", owner),
        enterprise=_pattern("--enterprise", enterprise),
        enterprise_id=enterprise_id,
        category=None if category is None else (check_name("--category", category) or "").lower(),
        search=None
        if search is None
        else like_anywhere(
            (check_text("--search", search, required=True, max_len=SEARCH_MAX) or "").lower()
        ),
        overdue_before=today if overdue else None,
        due_between=None if due_within is None else (today, today + timedelta(days=due_within)),
        raised_in=raised_in,
        resolved_in=resolved_in,
        resolved_replayed=replayed,
        resolved_by_history=by_history,
        sort=sort,
        limit=limit,
        min_level=min_level,
    )
    from chainlead.store.links import item_link_names

    links = item_link_names(db)
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
        clock_due,
        receipt_due,
        suspended_on,
        suspended_until,
        original_due_on,
        level,
        urge_count,
        last_urged_at,
    ) in listed_items(db, query):
        shown, opened, over = clock(
            status=status,
            raised_on=raised_on,
            due_on=clock_due,
            resolved_on=resolved_on,
            today=today,
            warning_days=warning_days,
            receipt_due=receipt_due,
            suspended_on=suspended_on,
            suspended_until=suspended_until,
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
                raised_on=raised_on,
                due_on=due_on,
                resolved_on=resolved_on,
                days_open=opened,
                days_over=over,
                original_due_on=original_due_on if original_due_on != due_on else None,
                level=level,
                urge_count=urge_count,
                last_urged_at=last_urged_at,
                suspended_on=suspended_on,
                link=links.get(key),
            )
        )
    return rows


def _pattern(field: str, value: str | None) -> str | None:
    """A case-insensitive match anywhere in the text, for a name filter."""
    if value is None:
        return None
    return like_anywhere((check_name(field, value) or "").lower())


# --------------------------------------------------------------------------- the chain list


def list_chains(db: Reader, *, include_archived: bool = False) -> list[ChainSummary]:
    """Every chain with its leader, responsible person, members (the leader and the
    working team, as its card counts them), working team and open items."""
    chains = chains_by_code(db, include_archived=include_archived)
    holders: dict[tuple[int, str], str] = {}
    team_size: dict[int, int] = {}
    members: dict[int, int] = {}
    for chain, role, person in current_holders(db):
        if role in (LEADER, RESPONSIBLE):
            holders[(chain, role)] = person
        if role != LEADER:
            team_size[chain] = team_size.get(chain, 0) + 1
        members[chain] = members.get(chain, 0) + 1
    counts = open_counts(db)
    return [
        ChainSummary(
            code=code,
            name=name,
            status=status,
            leader=holders.get((chain, LEADER)),
            responsible=holders.get((chain, RESPONSIBLE)),
            team_size=team_size.get(chain, 0),
            open_items=counts.get(chain, 0),
            members=members.get(chain, 0),
        )
        for chain, code, name, status in chains
    ]
