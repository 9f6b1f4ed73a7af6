"""What ``schedule list``, ``show``, ``agenda`` and ``missing`` show.

Every function runs a fixed number of statements whatever the number of
meetings or items, and returns frozen dataclasses.

Only ``scheduling`` entries count for the monthly duty:
``missing_meetings(month)`` lists the chains expected to hold one that month
which have none on record. A chain is expected in a month when it existed by
the end of that month (created on or before its last day) and had not been
archived by then (archived after the month, or still active). So an archived
chain is never expected from the month it was archived on, and a chain added
to chainlead in the middle of a month is expected that month already.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from chainlead.domain.chain_views import leader_on
from chainlead.domain.fulfilment import Decision, Fulfilment, meeting_decisions
from chainlead.domain.lights import RED, YELLOW, light
from chainlead.domain.views import chain_id
from chainlead.errors import InvalidInput, MeetingNotFound, did_you_mean
from chainlead.i18n import _
from chainlead.store.chains import chain_codes, chain_spans, find_chain
from chainlead.store.connection import Reader
from chainlead.store.history import MeetingChange, meeting_changes
from chainlead.store.meetings import (
    ItemLine,
    MeetingQuery,
    MeetingSummary,
    chain_item_lines,
    chains_meeting_in,
    last_meetings_before,
    linked_items,
    meeting_card,
    meetings_by_key,
    summaries,
)
from chainlead.store.meetings import attendees as stored_attendees
from chainlead.store.meetings import decisions as stored_decisions
from chainlead.store.meetings import figures as stored_figures
from chainlead.store.teams import current_holders
from chainlead.values import (
    month_bounds,
    normalize_meeting_key,
    parse_key,
    parse_month,
    typed,
)
from chainlead.vocabulary import (
    LEADER,
    MEETING_KINDS,
    OPEN_STATUSES,
    RESPONSIBLE,
    SCHEDULING,
    ItemStatus,
)

BLOCKED = ItemStatus.blocked.value
RESOLVED = ItemStatus.resolved.value

__all__ = [
    "Agenda",
    "AgendaItem",
    "Decision",
    "Figure",
    "Fulfilment",
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
    # Each decision with its actions, and the fulfilment rate (``domain.fulfilment``).
    decision_actions: tuple[Decision, ...] = ()
    fulfilment: Fulfilment | None = None


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
      became of every item it raised or discussed;
    - ``unfulfilled``: the last meeting's decisions not fulfilled by today,
      each with its actions (first on the agenda), and ``last_fulfilment``.
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
    # The last meeting's decisions not yet fulfilled (as of today), with their
    # actions: the agenda takes them up first; and its fulfilment.
    unfulfilled: tuple[Decision, ...] = ()
    last_fulfilment: Fulfilment | None = None


# --------------------------------------------------------------------------- parsing


def parse_kind(text: str, field: str = "--kind") -> str:
    kind = text.strip().lower()
    if kind not in MEETING_KINDS:
        raise InvalidInput(
            field,
            _("expected one of {meeting_kinds}").format(meeting_kinds=", ".join(MEETING_KINDS)),
            text,
        )
    return kind


# --------------------------------------------------------------------------- helpers


def _light(status: str, due_on: date, resolved_on: date | None, today: date, days: int) -> str:
    return light(
        status=status, due_on=due_on, resolved_on=resolved_on, today=today, warning_days=days
    )


def _agenda_item(
    line: ItemLine, today: date, warning_days: int, relation: str | None = None
) -> AgendaItem:
    return AgendaItem(
        key=line.key,
        title=line.title,
        status=line.status,
        light=_light(line.status, line.due_on, line.resolved_on, today, warning_days),
        unit=line.unit,
        owner=line.owner,
        due_on=line.due_on,
        resolved_on=line.resolved_on,
        resolution=line.resolution,
        status_reason=line.status_reason,
        relation=relation,
    )


# --------------------------------------------------------------------------- reads


def meeting_key(db: Reader, text: str, *, field: str = "meeting") -> str:
    """The meeting key ``text`` names, as stored (``ic-m3``, ``ＩＣ－Ｍ３`` -> ``IC-M3``);
    one typed without its hyphen (``icm3``) is taken when one chain's code makes it."""
    try:
        return normalize_meeting_key(text, field)
    except InvalidInput as refused:
        squeezed = "".join(typed(text).upper().split()) if isinstance(text, str) else ""
        codes = set(chain_codes(db))
        keys = [
            f"{squeezed[:cut]}-M{int(squeezed[cut + 1 :])}"
            for cut in range(1, len(squeezed) - 1)
            if squeezed[:cut] in codes
            and squeezed[cut] == "M"
            and squeezed[cut + 1 :].isascii()
            and squeezed[cut + 1 :].isdigit()
        ]
        if len(keys) == 1:
            return keys[0]
        try:  # an item key given for a meeting: IC-3 for IC-M3
            code, number = parse_key(text, field)
        except InvalidInput:
            raise refused from None
        near = f"{code}-M{number}"
        if near not in meetings_by_key(db):
            raise
        refused.args = (did_you_mean(refused.message, [near]),)
        raise


def meeting_not_found(db: Reader, key: str) -> MeetingNotFound:
    """The error for a meeting key no meeting has, naming the closest keys: the same
    chain's meetings nearest in number, else keys spelled alike."""
    every = list(meetings_by_key(db))
    code, _, number = key.rpartition("-M")
    same = [k for k in every if k.rpartition("-M")[0] == code]
    if same and number.isdigit():
        near = sorted(same, key=lambda k: (abs(int(k.rpartition("-M")[2]) - int(number)), k))
        return MeetingNotFound("meeting", key, near[:3])
    return MeetingNotFound("meeting", key, difflib.get_close_matches(key, every, n=3, cutoff=0.5))


def meeting_detail(db: Reader, *, key: str, today: date, warning_days: int = 7) -> MeetingDetail:
    """One meeting entry with attendees, decisions, figures, linked items and history.

    Linked items carry their light as of ``today`` (raised items first, then
    discussed ones, each by item number).
    """
    normalized = meeting_key(db, key)
    card = meeting_card(db, normalized)
    if card is None:
        raise meeting_not_found(db, normalized)
    items = tuple(
        LinkedItem(
            key=line.key,
            relation=relation,
            title=line.title,
            status=line.status,
            unit=line.unit,
            due_on=line.due_on,
            resolved_on=line.resolved_on,
            light=_light(line.status, line.due_on, line.resolved_on, today, warning_days),
        )
        for relation, line in linked_items(db, card.id)
    )
    decided, fulfilment = meeting_decisions(db, [card.id], today=today, warning_days=warning_days)[
        card.id
    ]
    return MeetingDetail(
        key=card.key,
        chain=card.chain,
        chain_name=card.chain_name,
        kind=card.kind,
        month=card.month,
        held_on=card.held_on,
        chair=card.chair,
        summary=card.summary,
        attendees=tuple(stored_attendees(db, card.id)),
        decisions=tuple(stored_decisions(db, card.id)),
        figures=tuple(
            Figure(name=f.name, value=f.value, unit=f.unit) for f in stored_figures(db, card.id)
        ),
        items=items,
        created_at=card.created_at,
        history=tuple(meeting_changes(db, card.id)),
        decision_actions=decided,
        fulfilment=fulfilment,
    )


def list_meetings(
    db: Reader,
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
    if month is not None and (from_month is not None or to_month is not None):
        raise InvalidInput("--month", _("give either --month or --from/--to, not both"))
    month = parse_month("--month", month) if month is not None else None
    from_month = parse_month("--from", from_month) if from_month is not None else None
    to_month = parse_month("--to", to_month) if to_month is not None else None
    if from_month and to_month and from_month > to_month:
        raise InvalidInput(
            "--from/--to",
            _("expected --from on or before --to ({to_month})").format(to_month=to_month),
            from_month,
        )
    kind = parse_kind(kind) if kind is not None else None
    query = MeetingQuery(
        chain_id=None if chain is None else chain_id(db, code=chain, field="--chain"),
        month=month,
        from_month=from_month,
        to_month=to_month,
        kind=kind,
    )
    return [summary for _key, summary in summaries(db, query)]


def missing_meetings(db: Reader, *, month: str, zone: tzinfo = UTC) -> list[MissingMeeting]:
    """Chains expected to hold a scheduling meeting in ``month`` with none recorded.

    Expected: created on or before the month's last day, and not archived on or
    before it (see the module doc), a chain's first day counted in ``zone`` (the
    ``timezone`` setting's calendar). Other kinds of meeting do not count. Each
    row names the chain's current leader and responsible person and the last
    scheduling meeting held before the month, if any. Ordered by chain code.
    """
    month = parse_month("--month", month)
    _first, last = month_bounds(month)
    chains = [
        (chain, code, name)
        for chain, code, name, created_on, archived_on in chain_spans(db, zone)
        if created_on <= last and (archived_on is None or archived_on > last)
    ]
    held = chains_meeting_in(db, month, SCHEDULING)
    missing = [row for row in chains if row[0] not in held]
    if not missing:
        return []
    holders = {
        (chain, role): name
        for chain, role, name in current_holders(db)
        if role in (LEADER, RESPONSIBLE)
    }
    earlier = last_meetings_before(db, month, SCHEDULING)
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


def agenda(db: Reader, *, chain: str, today: date, warning_days: int = 7) -> Agenda:
    """What the chain's next scheduling meeting should take up (see ``Agenda``).

    The last meeting is the chain's latest scheduling entry held on or before
    ``today``. Lists are ordered by due date (sign-offs by resolved date).
    """
    found = find_chain(db, code=chain)
    leader = leader_on(db, chain_id=found.id, day=today)
    last = summaries(
        db, MeetingQuery(chain_id=found.id, kind=SCHEDULING, held_by=today, latest=True)
    )
    items = [
        _agenda_item(line, today, warning_days)
        for line in chain_item_lines(db, found.id, (*OPEN_STATUSES, RESOLVED))
    ]
    pending = [a for a in items if a.status in OPEN_STATUSES]
    signoff = sorted(
        (a for a in items if a.status == RESOLVED),
        key=lambda a: (a.resolved_on or today, a.key),
    )
    decisions: tuple[str, ...] = ()
    last_items: tuple[AgendaItem, ...] = ()
    unfulfilled: tuple[Decision, ...] = ()
    last_fulfilment: Fulfilment | None = None
    if last:
        meeting = last[0][0]
        decisions = tuple(stored_decisions(db, meeting))
        last_items = tuple(
            _agenda_item(line, today, warning_days, relation)
            for relation, line in linked_items(db, meeting)
        )
        decided, last_fulfilment = meeting_decisions(
            db, [meeting], today=today, warning_days=warning_days
        )[meeting]
        unfulfilled = tuple(d for d in decided if not d.fulfilled)
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
        unfulfilled=unfulfilled,
        last_fulfilment=last_fulfilment,
    )
