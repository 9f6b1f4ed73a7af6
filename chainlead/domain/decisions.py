"""Meeting decisions become supervised actions (``schedule decide``).

An action is a bottleneck item like any other (same table, lights,
assignments, ladder and history), made of one decision of a meeting:

- on the meeting's chain, its title the decision's text (cut to the title
  limit, the whole text then kept as its detail), its source the meeting's
  kind;
- raised on the day the meeting was held (the decision dates from then, so
  its days open count from the meeting), and linked ``raised`` to it;
- handed to ``unit`` (found as ``bottleneck add`` finds it; ``new_unit``
  adds an unknown one) with its time limit ``due``;
- ``item.decision_id`` names the decision.

A decision may have several actions (one per unit, say). The meeting gets a
``decision_action`` event (with the item), a new decision text also an
``edited`` event of its decisions, and the item its own ``created`` event
and its lead assignment as ``add_item`` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chainlead.domain import Stamp
from chainlead.domain.bottlenecks import add_item
from chainlead.domain.history import record
from chainlead.domain.schedules import get_meeting
from chainlead.domain.views import ItemDetail, item_detail
from chainlead.errors import InvalidInput
from chainlead.i18n import N_, _
from chainlead.store.chains import chain_of, lock_chain, require_active
from chainlead.store.connection import Reader
from chainlead.store.decisions import DecisionRow, decision_rows, insert_decision, set_decision
from chainlead.store.items import item_by_key
from chainlead.values import check_text
from chainlead.vocabulary import TEXT_MAX, TITLE_MAX

ACTION_FORM = N_("a decision number as `chainlead schedule show` numbers them")
ELLIPSIS = "…"


@dataclass(frozen=True)
class DecisionAction:
    """What ``schedule decide`` made: the decision (new or existing) and its new action."""

    meeting: str
    number: int
    decision: str
    new_decision: bool  # the text was added to the meeting's decisions
    action: ItemDetail


def action_title(text: str) -> tuple[str, str | None]:
    """The action's title and detail: the decision, cut to the title limit with the
    whole text as the detail when it is longer."""
    if len(text) <= TITLE_MAX:
        return text, None
    return text[: TITLE_MAX - len(ELLIPSIS)].rstrip() + ELLIPSIS, text


def _which(rows: list[DecisionRow], number: int, meeting: str) -> DecisionRow:
    if not rows:
        raise InvalidInput(
            "--action",
            _(
                "{meeting} has no decisions yet; give the decision's text instead of --action"
            ).format(meeting=meeting),
            number,
        )
    if not 1 <= number <= len(rows):
        raise InvalidInput(
            "--action",
            _("expected {action_form}: 1 to {rows} for {meeting}").format(
                action_form=_(ACTION_FORM), rows=len(rows), meeting=meeting
            ),
            number,
        )
    return rows[number - 1]


def decide(
    db: Reader,
    *,
    meeting: str,
    stamp: Stamp,
    unit: str,
    due: date,
    text: str | None = None,
    number: int | None = None,
    owner: str | None = None,
    priority: str = "normal",
    new_unit: bool = False,
    new_person: bool = False,
    warning_days: int = 7,
) -> DecisionAction:
    """Make an action of a meeting's decision: ``text`` adds a new decision after
    the last one, ``number`` (1-based) takes an existing one. See the module doc."""
    if (text is None) == (number is None):
        raise InvalidInput(
            "--action",
            _(
                "give either the decision's text (a new decision) or "
                "--action N ({action_form}), not both"
            ).format(action_form=_(ACTION_FORM)),
        )
    wording = (
        check_text("decision", text, required=True, max_len=TEXT_MAX, multiline=False)
        if text is not None
        else None
    )
    found = get_meeting(db, key=meeting)
    chain = lock_chain(db, code=chain_of(db, found.chain_id).code)
    require_active(chain)
    rows = decision_rows(db, [found.id]).get(found.id, [])
    if wording is None:
        decision = _which(rows, number or 0, found.key)
    else:
        decision = insert_decision(db, meeting_id=found.id, text=wording)
        record(
            db,
            stamp=stamp,
            kind="edited",
            chain_id=found.chain_id,
            meeting_id=found.id,
            field="decisions",
            old="\n".join(r.text for r in rows),
            new="\n".join([*(r.text for r in rows), wording]),
        )
    title, detail = action_title(decision.text)
    item = add_item(
        db,
        chain=chain.code,
        title=title,
        detail=detail,
        unit=unit,
        due=due,
        owner=owner,
        source=found.kind,
        priority=priority,
        raised_on=found.held_on,
        meeting=found.key,
        stamp=stamp,
        warning_days=warning_days,
        new_person=new_person,
        new_unit=new_unit,
        backdate=True,  # raised at the meeting: its day was accepted with the meeting
    )
    stored = item_by_key(db, item.key)
    assert stored is not None  # just added
    set_decision(db, item_id=stored.id, decision_id=decision.id)
    record(
        db,
        stamp=stamp,
        kind="decision_action",
        chain_id=found.chain_id,
        item_id=stored.id,
        meeting_id=found.id,
        field="decision",
        new=str(decision.number),
        text=f"decision {decision.number} of {found.key}, handed to {item.unit}",
    )
    return DecisionAction(
        meeting=found.key,
        number=decision.number,
        decision=decision.text,
        new_decision=wording is not None,
        action=item_detail(db, key=item.key, today=stamp.today, warning_days=warning_days),
    )
