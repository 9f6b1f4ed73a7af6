"""Each chain's panel of the monthly report: the month's meetings (figures
against the month before), the current team, and the items listed: raised
and resolved in the month, open and needing the chain leader today. The
lists stop at the report's list limit; the counts take every item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from chainlead.domain.lights import RED, YELLOW, days_over, light
from chainlead.domain.reports.history import _Resolution
from chainlead.domain.reports.model import (
    ChainFigures,
    ChainSection,
    ItemLine,
    MeetingFigureLine,
    MeetingLine,
    ResolvedLine,
)
from chainlead.domain.reports.reading import _OPEN, _chunks, _in, _to_date
from chainlead.domain.reports.scope import _Scope
from chainlead.reader import Reader, moment
from chainlead.values import shift_month
from chainlead.vocabulary import DONE_STATUSES, LEADER, RESPONSIBLE, SCHEDULING

# --------------------------------------------------------------------------- meetings and teams


def _current_team(db: Reader, chain_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    team: dict[int, dict[str, Any]] = {c: {"size": 0} for c in chain_ids}
    within, params = _in("c", chain_ids)
    rows = db.rows(
        "SELECT m.chain_id, m.role, p.name FROM membership m "
        "JOIN person p ON p.id = m.person_id "
        f"WHERE m.until IS NULL AND m.chain_id IN {within}",
        params,
    )
    for chain_id, role, name in rows:
        holder = team.setdefault(chain_id, {"size": 0})
        if role in (LEADER, RESPONSIBLE):
            holder[role] = name
        if role != LEADER:
            holder["size"] += 1
    return team


def _decimal_change(value: str, previous: str | None) -> str | None:
    if previous is None:
        return None
    from decimal import Decimal, InvalidOperation  # (only meetings with figures need it)

    try:
        change = Decimal(value) - Decimal(previous)
    except InvalidOperation:
        return None
    text = format(change.normalize() if change == change.to_integral() else change, "f")
    if change > 0:
        return "+" + text
    if change == 0:
        return "0"
    return text


def _meetings(db: Reader, chain_ids: Sequence[int], month: str) -> dict[int, list[MeetingLine]]:
    """The month's meetings per chain, figures compared with the month before."""
    previous_month = shift_month(month, -1)
    within, params = _in("c", chain_ids)
    rows = db.rows(
        'SELECT m.id, m.chain_id, m."key", m.kind, m.month, m.held_on, p.name, m.summary '
        "FROM meeting m LEFT JOIN person p ON p.id = m.chair_id "
        f"WHERE m.chain_id IN {within} AND m.month IN (:month, :previous) "
        "ORDER BY m.held_on, m.number",
        {**params, "month": month, "previous": previous_month},
    )
    ids = [r[0] for r in rows]
    decisions: dict[int, list[str]] = defaultdict(list)
    attendees: dict[int, list[str]] = defaultdict(list)
    figures: dict[int, list[tuple[str, str, str | None]]] = defaultdict(list)
    for chunk in _chunks(ids):
        of, params = _in("m", chunk)
        for meeting_id, text in db.rows(
            f"SELECT meeting_id, text FROM meeting_decision WHERE meeting_id IN {of} "
            "ORDER BY meeting_id, position",
            params,
        ):
            decisions[meeting_id].append(text)
        for meeting_id, name in db.rows(
            f"SELECT meeting_id, name FROM meeting_attendee WHERE meeting_id IN {of} "
            "ORDER BY meeting_id, position",
            params,
        ):
            attendees[meeting_id].append(name)
        for meeting_id, name, value, unit in db.rows(
            f"SELECT meeting_id, name, value, unit FROM meeting_figure WHERE meeting_id IN {of} "
            "ORDER BY meeting_id, id",
            params,
        ):
            figures[meeting_id].append((name, value, unit))
    # The chain's value of each figure in the month before: its latest meeting's.
    before: dict[tuple[int, str], str] = {}
    for meeting_id, chain_id, _key, _kind, meeting_month, *_ in rows:
        if meeting_month == previous_month:
            for name, value, _unit in figures[meeting_id]:
                before[(chain_id, name)] = value
    out: dict[int, list[MeetingLine]] = defaultdict(list)
    for meeting_id, chain_id, key, kind, meeting_month, held_on, chair, summary in rows:
        if meeting_month != month:
            continue
        out[chain_id].append(
            MeetingLine(
                key=key,
                kind=kind,
                held_on=_to_date(held_on),
                chair=chair,
                summary=summary,
                attendees=tuple(attendees[meeting_id]),
                decisions=tuple(decisions[meeting_id]),
                figures=tuple(
                    MeetingFigureLine(
                        name=name,
                        value=value,
                        unit=unit,
                        previous=before.get((chain_id, name)),
                        change=_decimal_change(value, before.get((chain_id, name))),
                    )
                    for name, value, unit in figures[meeting_id]
                ),
            )
        )
    return out


# --------------------------------------------------------------------------- today's work and lists


_DETAILS = (
    'SELECT i.id, i."key", i.title, i.enterprise, i.unit, p.name, i.priority, i.status, '
    "i.raised_on, i.due_on, i.resolved_on, i.resolution "
    "FROM item i LEFT JOIN person p ON p.id = i.owner_id WHERE i.id IN "
)


def _details(db: Reader, ids: Iterable[int]) -> dict[int, Any]:
    """The shown items' fields, in one query per 500 items."""
    out: dict[int, Any] = {}
    for chunk in _chunks(set(ids)):
        within, params = _in("i", chunk)
        for row in db.rows(_DETAILS + within, params):
            out[row[0]] = row
    return out


def _item_line(row: Any, today: date, warning_days: int) -> ItemLine:
    _, key, title, enterprise, unit, owner, priority, status, raised, due, resolved, _how = row
    due = _to_date(due)
    resolved = _to_date(resolved) if resolved is not None else None
    finished = resolved if status in DONE_STATUSES else None
    return ItemLine(
        key=key,
        title=title,
        enterprise=enterprise,
        unit=unit,
        owner=owner,
        priority=priority,
        status=status,
        light=light(
            status=status,
            due_on=due,
            resolved_on=resolved,
            today=today,
            warning_days=warning_days,
        ),
        raised_on=_to_date(raised),
        due_on=due,
        days_over=days_over(due_on=due, resolved_on=finished, today=today),
    )


def _first_per_chain(
    db: Reader,
    where: str,
    params: dict[str, object],
    order: str,
    limit: int,
    *,
    counted: bool = False,
) -> tuple[dict[int, list[int]], dict[int, int]]:
    """The ids of the first ``limit`` items of each chain matching ``where``, in
    order, and (``counted``) how many items of each chain match."""
    total = "count(*) OVER (PARTITION BY chain_id)" if counted else "0"
    ids: dict[int, list[int]] = defaultdict(list)
    totals: dict[int, int] = {}
    for item_id, chain_id, matching in db.rows(
        "SELECT id, chain_id, total FROM (SELECT id, chain_id, "
        f"row_number() OVER (PARTITION BY chain_id ORDER BY {order}) AS position, "
        f"{total} AS total FROM item WHERE {where}"
        ") ranked WHERE position <= :limit ORDER BY chain_id, position",
        {**params, "limit": limit},
    ):
        ids[chain_id].append(item_id)
        totals[chain_id] = int(matching)
    return ids, totals


def _open_counts(
    db: Reader,
    chain_ids: Sequence[int],
    *,
    today: date,
    warning_days: int,
    escalation_days: int,
) -> dict[int, dict[str, int]]:
    """Today's open items per chain by light, and how many need the chain leader."""
    # An open item's light follows its time limit alone (lights.light): red when
    # past due, yellow within the warning window. Counting by due date here
    # gives the lights bottleneck list shows (a test holds the two together).
    within, params = _in("c", chain_ids)
    rows = db.rows(
        "SELECT chain_id, count(*), "
        "sum(CASE WHEN due_on < :today THEN 1 ELSE 0 END), "
        "sum(CASE WHEN due_on >= :today AND due_on <= :warn THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN {_NEEDS_LEADER} THEN 1 ELSE 0 END) "
        f"FROM item WHERE status IN {_OPEN} AND chain_id IN {within} GROUP BY chain_id",
        {
            **params,
            "today": today,
            "warn": today + timedelta(days=warning_days),
            "escalate": _escalation_day(today, escalation_days),
        },
    )
    counts: dict[int, dict[str, int]] = {}
    for chain_id, total, red, yellow, attention in rows:
        counts[chain_id] = {
            "open": int(total),
            "red": int(red or 0),
            "yellow": int(yellow or 0),
            "green": int(total) - int(red or 0) - int(yellow or 0),
            "attention": int(attention or 0),
        }
    return counts


# Blocked, or overdue by more than the escalation window (``:escalate``).
_NEEDS_LEADER = "(status = 'blocked' OR due_on < :escalate)"


def _escalation_day(today: date, escalation_days: int) -> date:
    """Items due before this day are overdue by more than the escalation window."""
    return today - timedelta(days=escalation_days)


def _resolved_line(found: _Resolution, row: Any) -> ResolvedLine:
    _, key, title, enterprise, unit, owner, _p, status, _r, _d, _res, how_now = row
    return ResolvedLine(
        key=key,
        title=title,
        enterprise=enterprise,
        unit=unit,
        owner=owner,
        resolved_on=found.resolved_on,
        due_on=found.due_then,
        on_time=found.on_time,
        days_to_resolve=(found.resolved_on - found.raised_on).days,
        how=how_now if found.how_from_row else found.how,
        status=status,
    )


class _Chain(NamedTuple):
    id: int
    code: str
    name: str
    status: str
    created_on: date
    archived_on: date | None


def _chains(db: Reader) -> list[_Chain]:
    return [
        _Chain(
            id=chain_id,
            code=code,
            name=name,
            status=status,
            created_on=moment(created_at).date(),
            archived_on=_to_date(archived) if archived is not None else None,
        )
        for chain_id, code, name, status, created_at, archived in db.rows(
            "SELECT id, code, name, status, created_at, archived_on FROM chain ORDER BY code"
        )
    ]


def _in_report(chain: _Chain, first: date, last: date) -> bool:
    """The chain existed at some point in the month."""
    return chain.created_on <= last and (chain.archived_on is None or chain.archived_on >= first)


def _expected(chain: _Chain, last: date) -> bool:
    """Expected to hold the month's scheduling meeting (as ``schedule missing``)."""
    return chain.created_on <= last and (chain.archived_on is None or chain.archived_on > last)


LIGHT_RANK = {RED: 0, YELLOW: 1, "green": 2, "none": 3}


# --------------------------------------------------------------------------- the panels


class _Work(NamedTuple):
    """The chains' work: the ids each list shows (capped), and the full counts."""

    shown: dict[str, dict[int, list[int]]]  # "raised", "open", "attention": ids per chain
    raised_counts: dict[int, int]  # raised in the month, per chain
    counts: dict[int, dict[str, int]]  # open today by light, and needing the leader
    meetings: dict[int, list[MeetingLine]]
    team: dict[int, dict[str, Any]]


def _shown_chains(all_chains: Sequence[_Chain], scope: _Scope) -> list[_Chain]:
    """The chain asked for, else every chain that existed at some point in the month."""
    if scope.chain_id is not None:
        return [c for c in all_chains if c.id == scope.chain_id]
    return [c for c in all_chains if _in_report(c, scope.first, scope.last)]


def _sections(
    db: Reader, scope: _Scope, chains: Sequence[_Chain], this_month: Sequence[_Resolution]
) -> list[ChainSection]:
    """Each chain's panel, the worst light first."""
    chain_ids = [c.id for c in chains]
    work = _work(db, scope, chain_ids)
    resolved_by_chain: dict[int, list[_Resolution]] = defaultdict(list)
    for found in this_month:
        resolved_by_chain[found.chain_id].append(found)
    details = _details(db, _listed_ids(work, resolved_by_chain, chain_ids, scope.list_limit))
    sections = [_section(c, scope, work, resolved_by_chain.get(c.id, []), details) for c in chains]
    sections.sort(key=lambda s: (LIGHT_RANK.get(s.light, 9), s.code))
    return sections


def _work(db: Reader, scope: _Scope, chain_ids: Sequence[int]) -> _Work:
    """Per chain: the month's meetings and items (lists capped), today's open work."""
    if not chain_ids:
        return _Work(shown={}, raised_counts={}, counts={}, meetings={}, team={})
    shown, raised_counts = _listed(db, scope, chain_ids)
    return _Work(
        shown=shown,
        raised_counts=raised_counts,
        counts=_open_counts(
            db,
            chain_ids,
            today=scope.today,
            warning_days=scope.warning_days,
            escalation_days=scope.escalation_days,
        ),
        meetings=_meetings(db, chain_ids, scope.month),
        team=_current_team(db, chain_ids),
    )


def _listed(
    db: Reader, scope: _Scope, chain_ids: Sequence[int]
) -> tuple[dict[str, dict[int, list[int]]], dict[int, int]]:
    """The ids each chain lists as raised in the month, open and needing the chain
    leader today; and how many items each chain raised in the month."""
    # A one-chain report filters by its chain; the district report reads every
    # chain's rows (so the date indexes serve) and keeps those it shows.
    in_month = "raised_on >= :first AND raised_on <= :as_of"
    month_params: dict[str, object] = {"first": scope.first, "as_of": scope.as_of}
    if scope.chain_id is not None:
        in_month += " AND chain_id = :chain"
        month_params["chain"] = scope.chain_id
    shown: dict[str, dict[int, list[int]]] = {}
    shown["raised"], raised_counts = _first_per_chain(
        db, in_month, month_params, "raised_on, id", scope.list_limit, counted=True
    )
    # Open work is found through the (chain, status, due) index.
    listed, params = _in("c", chain_ids)
    is_open = f"chain_id IN {listed} AND status IN {_OPEN}"
    shown["open"], _ = _first_per_chain(db, is_open, params, "due_on, id", scope.list_limit)
    shown["attention"], _ = _first_per_chain(
        db,
        f"{is_open} AND {_NEEDS_LEADER}",
        {**params, "escalate": _escalation_day(scope.today, scope.escalation_days)},
        "due_on, id",
        scope.list_limit,
    )
    return shown, raised_counts


def _listed_ids(
    work: _Work,
    resolved_by_chain: dict[int, list[_Resolution]],
    chain_ids: Sequence[int],
    list_limit: int,
) -> Iterator[int]:
    """The ids of every item a panel lists, the month's resolutions included."""
    for c in chain_ids:
        for lists in work.shown.values():
            yield from lists.get(c, [])
        for found in resolved_by_chain.get(c, [])[:list_limit]:
            yield found.item_id


def _section(
    chain: _Chain,
    scope: _Scope,
    work: _Work,
    done: Sequence[_Resolution],
    details: dict[int, Any],
) -> ChainSection:
    """One chain's panel: who leads it, its meetings, figures and lists."""
    key = chain.id
    assert key is not None
    chain_counts = work.counts.get(key, {})
    month_meetings = work.meetings.get(key, [])
    members = work.team.get(key, {})
    return ChainSection(
        code=chain.code,
        name=chain.name,
        status=chain.status,
        archived_on=chain.archived_on,
        leader=members.get(LEADER),
        responsible=members.get(RESPONSIBLE),
        team_size=members.get("size", 0),
        light=_worst_light(chain_counts),
        expected_meeting=_expected(chain, scope.last),
        meeting_held=any(m.kind == SCHEDULING for m in month_meetings),
        meetings=tuple(month_meetings),
        figures=_chain_figures(chain_counts, work.raised_counts.get(key, 0), done),
        raised=_lines(work.shown["raised"].get(key, []), details, scope),
        resolved=tuple(_resolved_line(r, details[r.item_id]) for r in done[: scope.list_limit]),
        open_items=_lines(work.shown["open"].get(key, []), details, scope),
        attention=_lines(work.shown["attention"].get(key, []), details, scope),
    )


def _lines(ids: Sequence[int], details: dict[int, Any], scope: _Scope) -> tuple[ItemLine, ...]:
    today, warning_days = scope.today, scope.warning_days
    return tuple(_item_line(details[i], today, warning_days) for i in ids)


def _worst_light(chain_counts: dict[str, int]) -> str:
    """The chain's worst open light today: red, yellow, green or none."""
    worst = RED if chain_counts.get("red") else YELLOW if chain_counts.get("yellow") else None
    return worst or ("green" if chain_counts.get("open") else "none")


def _chain_figures(
    chain_counts: dict[str, int], raised: int, done: Sequence[_Resolution]
) -> ChainFigures:
    return ChainFigures(
        raised=raised,
        resolved=len(done),
        resolved_on_time=sum(1 for r in done if r.on_time),
        open_now=chain_counts.get("open", 0),
        red_now=chain_counts.get("red", 0),
        yellow_now=chain_counts.get("yellow", 0),
        green_now=chain_counts.get("green", 0),
        attention_now=chain_counts.get("attention", 0),
    )
