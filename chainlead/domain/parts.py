"""How one institution's assignment looks on the item card: pure, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from chainlead.domain.lights import clock
from chainlead.store.assignments import AssignmentRecord


@dataclass(frozen=True)
class Part:
    """One assignment as ``bottleneck show`` lists it."""

    unit: str
    role: str
    state: str
    owner: str | None
    assigned_on: date
    due_on: date
    received_on: date | None
    reported_on: date | None
    report: str | None
    ended_on: date | None
    end_reason: str | None
    suggested: str | None
    days_assigned: int  # days since assigned (to the end, once ended or reported)
    days_to_receipt: int | None  # days from assigned to signed for
    light: str


def part_view(
    part: AssignmentRecord,
    *,
    today: date,
    warning_days: int,
    suspended_days: int = 0,
    suspended_on: date | None = None,
    suspended_until: date | None = None,
) -> Part:
    if part.active:
        shown, _opened, _over = clock(
            status="open",
            raised_on=part.assigned_on,
            due_on=part.due_on + timedelta(days=suspended_days),
            resolved_on=None,
            today=today,
            warning_days=warning_days,
            receipt_due=part.receipt_due if part.state == "assigned" else None,
            suspended_on=suspended_on,
            suspended_until=suspended_until,
        )
    elif part.state == "reported" and part.reported_on is not None:
        shown = "on_time" if part.reported_on <= part.due_on else "late"
    else:
        shown = "none"
    end = part.reported_on or part.ended_on or today
    return Part(
        unit=part.unit,
        role=part.role,
        state=part.state,
        owner=part.owner,
        assigned_on=part.assigned_on,
        due_on=part.due_on,
        received_on=part.received_on,
        reported_on=part.reported_on,
        report=part.report,
        ended_on=part.ended_on,
        end_reason=part.end_reason,
        suggested=part.suggested,
        days_assigned=max(0, (end - part.assigned_on).days),
        days_to_receipt=None
        if part.received_on is None
        else max(0, (part.received_on - part.assigned_on).days),
        light=shown,
    )
