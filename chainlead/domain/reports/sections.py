"""Each chain's panel of the monthly report: the month's meetings (figures
against the month before), the current team, and the items listed: raised
and resolved in the month, open and needing the chain leader today. The
lists stop at the report's list limit; the counts take every item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta, tzinfo
from typing import NamedTuple

from chainlead.clock import local_day
from chainlead.domain.fulfilment import meeting_decisions
from chainlead.domain.lights import RED, YELLOW, clock
from chainlead.domain.reports.history import _Resolution
from chainlead.domain.reports.model import (
    ChainFigures,
    ChainSection,
    ItemLine,
    MeetingFigureLine,
    MeetingLine,
    ResolvedLine,
)
from chainlead.domain.reports.scope import _Scope
from chainlead.store.chains import every_chain
from chainlead.store.connection import Reader
from chainlead.store.reports import (
    MonthMeeting,
    ReportItem,
    items_by_id,
    meeting_parts,
    meetings_in_months,
    needing_leader_first,
    open_counts,
    open_first,
    raised_first,
)
from chainlead.store.teams import current_holders
from chainlead.vocabulary import LEADER, RESPONSIBLE, SCHEDULING

# --------------------------------------------------------------------------- meetings and teams


class _Team(NamedTuple):
    """A chain's current chain leader and responsible person, and how many serve besides
    the chain leader."""

    leader: str | None = None
    responsible: str | None = None
    size: int = 0


def _current_team(db: Reader, chain_ids: Sequence[int]) -> dict[int, _Team]:
    holders: dict[int, dict[str, str]] = defaultdict(dict)
    sizes: dict[int, int] = defaultdict(int)
    for chain_id, role, name in current_holders(db):
        if role in (LEADER, RESPONSIBLE):
            holders[chain_id][role] = name
        if role != LEADER:
            sizes[chain_id] += 1
    return {
        c: _Team(holders[c].get(LEADER), holders[c].get(RESPONSIBLE), sizes[c]) for c in chain_ids
    }


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


def _meeting_lines(
    db: Reader, meetings: Sequence[MonthMeeting], scope: _Scope
) -> dict[int, list[MeetingLine]]:
    """The month's meetings per chain, figures compared with the month before, each
    decision with its actions and the meeting's fulfilment as of today."""
    month, previous_month = scope.month, scope.previous
    parts = meeting_parts(db, [m.id for m in meetings])
    before = _figures_before(meetings, parts.figures, previous_month)
    decided = meeting_decisions(
        db,
        [m.id for m in meetings if m.month == month],
        today=scope.today,
        warning_days=scope.warning_days,
    )
    out: dict[int, list[MeetingLine]] = defaultdict(list)
    for meeting in meetings:
        if meeting.month == month:
            decisions, fulfilment = decided[meeting.id]
            out[meeting.chain_id].append(
                MeetingLine(
                    key=meeting.key,
                    kind=meeting.kind,
                    held_on=meeting.held_on,
                    chair=meeting.chair,
                    summary=meeting.summary,
                    attendees=tuple(parts.attendees[meeting.id]),
                    decisions=tuple(parts.decisions[meeting.id]),
                    figures=_figure_lines(meeting, parts.figures[meeting.id], before),
                    decision_actions=decisions,
                    fulfilment=fulfilment,
                )
            )
    return out


def _scheduling_held(meetings: Sequence[MonthMeeting]) -> dict[str, set[int]]:
    """Per month, the chains with a scheduling entry for it."""
    held: dict[str, set[int]] = defaultdict(set)
    for meeting in meetings:
        if meeting.kind == SCHEDULING:
            held[meeting.month].add(meeting.chain_id)
    return held


def _figures_before(
    meetings: Sequence[MonthMeeting],
    figures: dict[int, list[tuple[str, str, str | None]]],
    previous_month: str,
) -> dict[tuple[int, str], str]:
    """Each chain's value of each figure in the month before: its latest meeting's."""
    before: dict[tuple[int, str], str] = {}
    for meeting in meetings:
        if meeting.month == previous_month:
            for name, value, _unit in figures[meeting.id]:
                before[(meeting.chain_id, name)] = value
    return before


def _figure_lines(
    meeting: MonthMeeting,
    figures: Sequence[tuple[str, str, str | None]],
    before: dict[tuple[int, str], str],
) -> tuple[MeetingFigureLine, ...]:
    return tuple(
        MeetingFigureLine(
            name=name,
            value=value,
            unit=unit,
            previous=before.get((meeting.chain_id, name)),
            change=_decimal_change(value, before.get((meeting.chain_id, name))),
        )
        for name, value, unit in figures
    )


# --------------------------------------------------------------------------- today's work and lists


def _item_line(item: ReportItem, today: date, warning_days: int) -> ItemLine:
    """An item as the report lists it: its light and days over read its clock, as
    lists and cards read them."""
    shown, _opened, over = clock(
        status=item.status,
        raised_on=item.raised_on,
        due_on=item.clock_due or item.due_on,
        resolved_on=item.resolved_on,
        today=today,
        warning_days=warning_days,
        receipt_due=item.receipt_due,
        suspended_on=item.suspended_on,
        suspended_until=item.suspended_until,
    )
    return ItemLine(
        key=item.key,
        title=item.title,
        enterprise=item.enterprise,
        unit=item.unit,
        owner=item.owner,
        priority=item.priority,
        status=item.status,
        light=shown,
        raised_on=item.raised_on,
        due_on=item.due_on,
        days_over=over,
    )


class _Today(NamedTuple):
    """A chain's open items today by light, and how many need the chain leader."""

    open: int = 0
    red: int = 0
    yellow: int = 0
    green: int = 0
    attention: int = 0


def _open_today(db: Reader, chain_ids: Sequence[int], scope: _Scope) -> dict[int, _Today]:
    """Today's open items per chain by light, and how many need the chain leader."""
    # An open item's light follows its time limit alone (lights.light): red when
    # past due, yellow within the warning window. Counting by due date here
    # gives the lights bottleneck list shows (a test holds the two together).
    counts = open_counts(
        db,
        chain_ids,
        today=scope.today,
        warn_until=scope.today + timedelta(days=scope.warning_days),
        escalate_before=_escalation_day(scope),
    )
    return {
        chain_id: _Today(
            open=found.open,
            red=found.past_due,
            yellow=found.due_soon,
            green=found.open - found.past_due - found.due_soon,
            attention=found.needs_leader,
        )
        for chain_id, found in counts.items()
    }


def _escalation_day(scope: _Scope) -> date:
    """Items due before this day are overdue by more than the escalation window:
    they need the chain leader, as blocked items do."""
    return scope.today - timedelta(days=scope.escalation_days)


def _resolved_line(found: _Resolution, item: ReportItem) -> ResolvedLine:
    return ResolvedLine(
        key=item.key,
        title=item.title,
        enterprise=item.enterprise,
        unit=item.unit,
        owner=item.owner,
        resolved_on=found.resolved_on,
        due_on=found.due_then,
        on_time=found.on_time,
        days_to_resolve=(found.resolved_on - found.raised_on).days,
        how=item.resolution if found.how_from_row else found.how,
        status=item.status,
    )


class _Chain(NamedTuple):
    id: int
    code: str
    name: str
    status: str
    created_on: date
    archived_on: date | None


def _chains(db: Reader, zone: tzinfo) -> list[_Chain]:
    """Every chain, by code; made on the day in ``zone`` it was created."""
    return [
        _Chain(c.id, c.code, c.name, c.status, local_day(c.created_at, zone), c.archived_on)
        for c in every_chain(db)
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
    today: dict[int, _Today]  # open today by light, and needing the leader
    meetings: dict[int, list[MeetingLine]]
    # Per month (the report's and the one before), the chains shown with a
    # scheduling entry for it. Every chain expected to meet in either month is
    # shown: it existed during the report's month.
    held: dict[str, set[int]]
    team: dict[int, _Team]


def _shown_chains(all_chains: Sequence[_Chain], scope: _Scope) -> list[_Chain]:
    """The chain asked for, else every chain that existed at some point in the month."""
    if scope.chain_id is not None:
        return [c for c in all_chains if c.id == scope.chain_id]
    return [c for c in all_chains if _in_report(c, scope.first, scope.last)]


def _sections(
    db: Reader,
    scope: _Scope,
    chains: Sequence[_Chain],
    work: _Work,
    this_month: Sequence[_Resolution],
) -> list[ChainSection]:
    """Each chain's panel, the worst light first."""
    chain_ids = [c.id for c in chains]
    resolved_by_chain: dict[int, list[_Resolution]] = defaultdict(list)
    for found in this_month:
        resolved_by_chain[found.chain_id].append(found)
    items = items_by_id(db, _listed_ids(work, resolved_by_chain, chain_ids, scope.list_limit))
    sections = [_section(c, scope, work, resolved_by_chain.get(c.id, []), items) for c in chains]
    sections.sort(key=lambda s: (LIGHT_RANK.get(s.light, 9), s.code))
    return sections


def _work(db: Reader, scope: _Scope, chain_ids: Sequence[int]) -> _Work:
    """Per chain: the month's meetings and items (lists capped), today's open work."""
    if not chain_ids:
        return _Work(shown={}, raised_counts={}, today={}, meetings={}, held={}, team={})
    shown, raised_counts = _listed(db, scope, chain_ids)
    meetings = meetings_in_months(db, chain_ids, (scope.month, scope.previous))
    return _Work(
        shown=shown,
        raised_counts=raised_counts,
        today=_open_today(db, chain_ids, scope),
        meetings=_meeting_lines(db, meetings, scope),
        held=_scheduling_held(meetings),
        team=_current_team(db, chain_ids),
    )


def _listed(
    db: Reader, scope: _Scope, chain_ids: Sequence[int]
) -> tuple[dict[str, dict[int, list[int]]], dict[int, int]]:
    """The ids each chain lists as raised in the month, open and needing the chain
    leader today; and how many items each chain raised in the month."""
    limit = scope.list_limit
    shown: dict[str, dict[int, list[int]]] = {}
    shown["raised"], raised_counts = raised_first(
        db, first=scope.first, last=scope.as_of, chain_id=scope.chain_id, limit=limit
    )
    shown["open"] = open_first(db, chain_ids, limit=limit)
    shown["attention"] = needing_leader_first(
        db, chain_ids, escalate_before=_escalation_day(scope), limit=limit
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
    items: dict[int, ReportItem],
) -> ChainSection:
    """One chain's panel: who leads it, its meetings, figures and lists."""
    key = chain.id
    today = work.today.get(key, _Today())
    month_meetings = work.meetings.get(key, [])
    team = work.team.get(key, _Team())
    return ChainSection(
        code=chain.code,
        name=chain.name,
        status=chain.status,
        archived_on=chain.archived_on,
        leader=team.leader,
        responsible=team.responsible,
        team_size=team.size,
        light=_worst_light(today),
        expected_meeting=_expected(chain, scope.last),
        meeting_held=any(m.kind == SCHEDULING for m in month_meetings),
        meetings=tuple(month_meetings),
        figures=_chain_figures(today, work.raised_counts.get(key, 0), done),
        raised=_lines(work.shown["raised"].get(key, []), items, scope),
        resolved=tuple(_resolved_line(r, items[r.item_id]) for r in done[: scope.list_limit]),
        open_items=_lines(work.shown["open"].get(key, []), items, scope),
        attention=_lines(work.shown["attention"].get(key, []), items, scope),
    )


def _lines(ids: Sequence[int], items: dict[int, ReportItem], scope: _Scope) -> tuple[ItemLine, ...]:
    today, warning_days = scope.today, scope.warning_days
    return tuple(_item_line(items[i], today, warning_days) for i in ids)


def _worst_light(today: _Today) -> str:
    """The chain's worst open light today: red, yellow, green or none."""
    worst = RED if today.red else YELLOW if today.yellow else None
    return worst or ("green" if today.open else "none")


def _chain_figures(today: _Today, raised: int, done: Sequence[_Resolution]) -> ChainFigures:
    return ChainFigures(
        raised=raised,
        resolved=len(done),
        resolved_on_time=sum(1 for r in done if r.on_time),
        open_now=today.open,
        red_now=today.red,
        yellow_now=today.yellow,
        green_now=today.green,
        attention_now=today.attention,
    )
