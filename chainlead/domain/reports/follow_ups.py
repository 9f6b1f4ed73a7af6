"""``follow_up_report``: resolved items whose enterprises were not asked in time."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from chainlead.domain.reports.model import FollowUpLine, FollowUpReport, PersonFollowUps
from chainlead.domain.reports.scope import _chain_id
from chainlead.store.connection import Reader
from chainlead.store.enterprises import unasked


def follow_up_report(
    db: Reader, *, today: date, followup_days: int, chain: str | None = None
) -> FollowUpReport:
    """Items resolved more than ``followup_days`` days before ``today`` with an
    enterprise not asked since (回访), by the person to call: the item's owner, else
    the chain's responsible person. People with the most items first, then by name;
    each person's items longest waiting first."""
    from chainlead.values import normalize_code

    chain_id = _chain_id(db, chain)
    chain_code = None if chain is None else normalize_code(chain, "--chain")
    grouped: dict[str | None, list[FollowUpLine]] = defaultdict(list)
    for row in unasked(
        db, resolved_by=today - timedelta(days=followup_days + 1), chain_id=chain_id
    ):
        grouped[row.owner or row.responsible].append(
            FollowUpLine(
                key=row.key,
                chain=row.chain,
                title=row.title,
                unit=row.unit,
                resolved_on=row.resolved_on,
                days_since_resolved=(today - row.resolved_on).days,
                enterprises=row.enterprises,
            )
        )
    people = sorted(
        (
            PersonFollowUps(
                person=person,
                items=tuple(sorted(lines, key=lambda line: line.resolved_on)),
            )
            for person, lines in grouped.items()
        ),
        key=lambda group: (-len(group.items), group.person is None, group.person or ""),
    )
    return FollowUpReport(
        today=today,
        followup_days=followup_days,
        chain=chain_code,
        total=sum(len(group.items) for group in people),
        people=tuple(people),
    )
