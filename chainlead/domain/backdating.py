"""Dates before a chain was created: a meeting held, or an item raised, before the
chain existed in chainlead.

A chain's records begin on the day it was created (the UTC date of its
``created_at``, the day the reports count it from). A meeting's ``held_on`` or
an item's ``raised_on`` before that day is refused, naming the option and the
chain's creation day, unless the person says it is meant (``--backdate``: a
district entering the meetings and items it had before it used chainlead).
A backdated record gets one ``backdated`` event in its history (``field`` the
date's field, ``old`` the chain's creation day, ``new`` the date given), so
the history says so.

A snapshot's records are data and are imported as they are (``import`` never
asks); a spreadsheet of demands (``intake``) is the team's own record of when
each was raised, so its rows are taken and backdated the same way. ``db check``
does not report such records: they are allowed, and the history tells them.
"""

from __future__ import annotations

from datetime import date

from chainlead.domain import Stamp
from chainlead.domain.history import record
from chainlead.errors import RuleViolation
from chainlead.i18n import _
from chainlead.store.chains import ChainRecord
from chainlead.store.connection import Reader

BACKDATED = "backdated"  # the event kind
WORDS = {"raised_on": "raised on", "held_on": "held on"}  # the history's text


def created_on(chain: ChainRecord) -> date:
    """The day the chain was created."""
    return chain.created_at.date()


def before_chain(chain: ChainRecord, day: date, *, option: str, backdate: bool) -> bool:
    """Whether ``day`` (given to ``option``) is before the chain was created: refused
    (RuleViolation) unless ``backdate``, then True."""
    if day >= created_on(chain):
        return False
    if not backdate:
        raise RuleViolation(
            _(
                "{option}: {day} is before chain {code} was created ({created}); "
                "give --backdate to record it all the same"
            ).format(
                option=option,
                day=day.isoformat(),
                code=chain.code,
                created=created_on(chain).isoformat(),
            )
        )
    return True


def record_backdated(
    db: Reader,
    *,
    stamp: Stamp,
    chain: ChainRecord,
    field: str,
    day: date,
    item_id: int | None = None,
    meeting_id: int | None = None,
) -> None:
    """The history's word that ``field`` was given ``day``, before the chain was created."""
    created = created_on(chain).isoformat()
    record(
        db,
        stamp=stamp,
        kind=BACKDATED,
        chain_id=chain.id,
        item_id=item_id,
        meeting_id=meeting_id,
        field=field,
        old=created,
        new=day.isoformat(),
        text=f"{WORDS[field]} {day.isoformat()}, before chain {chain.code} was created ({created})",
    )
