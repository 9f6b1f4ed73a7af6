"""The district's activity log (工作日志): who did what, to which record, and when.

Every event of the history in a window of local days, newest first, with
filters that combine: a chain, an institution, an actor, some kinds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo

from chainlead.clock import day_end, day_start
from chainlead.errors import InvalidInput
from chainlead.i18n import N_, _
from chainlead.store.activity import ActivityEvent, activity
from chainlead.store.connection import Reader
from chainlead.values import parse_choice, parse_date, typed

DEFAULT_DAYS = 7  # the log reads the last seven days unless told otherwise
SINCE_FORM = N_("expected a date as YYYY-MM-DD, monday, today, yesterday, -Nd or -Nw")

# Every kind of event the history writes (``domain.history.record``'s callers).
KINDS = (
    "created", "note", "status", "resolved", "reopened", "edited", "linked", "unlinked",
    "assigned", "received", "handling", "reported", "returned", "transferred", "followed_up",
    "urged", "suspended", "resumed", "supervised", "escalated", "de-escalated",
    "extension_requested", "extension_approved", "extension_refused", "forced",
    "enterprise_linked", "enterprise_unlinked", "decision_action", "backdated", "archived",
    "leader", "responsible", "member_added", "member_removed", "enterprise_created",
    "enterprise_edited", "enterprise_renamed", "enterprise_joined", "enterprise_placed",
    "link_added", "link_edited", "link_removed", "link_placed", "link_unplaced",
    "target_set", "target_removed", "person_created", "person_edited", "person_renamed",
    "unit_created", "unit_edited", "unit_renamed", "project_created", "project_edited",
    "project_progress", "project_milestone", "project_milestone_done", "project_finished",
    "project_dropped", "undone",
)  # fmt: skip


@dataclass(frozen=True)
class ActivityLog:
    """The events of a window, newest first; ``more``: the limit left some out."""

    first: date  # the first local day of the window
    last: date | None  # the last local day, None: up to now
    events: list[ActivityEvent] = field(default_factory=list)
    more: bool = False


def parse_since(field_name: str, text: str, *, today: date) -> date:
    """A day the log starts or ends on: ``monday`` (this week's), or a date as
    ``values.parse_date`` reads it (``-7d``, ``2026-11-30``, ``yesterday``)."""
    if typed(text).lower() == "monday":
        return today - timedelta(days=today.weekday())
    try:
        return parse_date(field_name, text, today=today)
    except InvalidInput:
        raise InvalidInput(field_name, _(SINCE_FORM), text) from None


def read_log(
    db: Reader,
    *,
    today: date,
    zone: tzinfo,
    since: date | None = None,
    until: date | None = None,
    chain: str | None = None,
    unit: str | None = None,
    actor: str | None = None,
    kinds: Sequence[str] = (),
    limit: int | None = None,
) -> ActivityLog:
    """The log from ``since`` (default: seven days before ``today``) to ``until``
    (included; default: now), local days in ``zone``."""
    from chainlead.store.chains import find_chain

    first = since if since is not None else today - timedelta(days=DEFAULT_DAYS)
    if until is not None and until < first:
        raise InvalidInput(
            "--until",
            _("expected a day on or after --since ({day})").format(day=first.isoformat()),
            until.isoformat(),
        )
    wanted = tuple(dict.fromkeys(parse_choice("--kind", k, KINDS) for k in kinds))
    chain_id = find_chain(db, code=chain, field="--chain").id if chain is not None else None
    unit_id = None
    if unit is not None:
        from chainlead.domain.units import get_unit

        unit_id = get_unit(db, name=unit, field="--unit").id
    events = activity(
        db,
        since=day_start(first, zone),
        until=day_end(until, zone) if until is not None else None,
        chain_id=chain_id,
        unit_id=unit_id,
        actor=actor.strip() if actor else None,
        kinds=wanted,
        limit=None if limit is None else limit + 1,
    )
    more = limit is not None and len(events) > limit
    return ActivityLog(first, until, events[:limit] if more else events, more)
