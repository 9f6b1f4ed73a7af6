"""The handling loop by item key: what the ``bottleneck assign|receive|report|return|
transfer`` commands call. Each loads the item for writing, refuses items of archived
chains, and hands the work to ``chainlead.domain.assignments``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from chainlead.domain import Stamp
from chainlead.domain import assignments as parts
from chainlead.domain.bottlenecks import _load, _writable
from chainlead.store.assignments import AssignmentRecord
from chainlead.store.connection import Reader


def _on_item(
    db: Reader, key: str, work: Callable[..., AssignmentRecord], **options: Any
) -> tuple[str, AssignmentRecord]:
    item = _load(db, key)
    _writable(db, item)
    return item.key, work(db, item=item, **options)


def assign_unit(
    db: Reader,
    *,
    key: str,
    unit: str,
    stamp: Stamp,
    role: str = "co",
    owner: str | None = None,
    due: date | None = None,
    new_unit: bool = False,
    new_person: bool = False,
    receipt_days: str | None = None,
    holidays_file: str | None = None,
) -> tuple[str, AssignmentRecord]:
    """Hand the item to one more unit (交办), lead or co-handling."""
    return _on_item(
        db,
        key,
        parts.assign,
        unit=unit,
        stamp=stamp,
        role=role,
        owner=owner,
        due=due,
        new_unit=new_unit,
        new_person=new_person,
        receipt_days=receipt_days,
        holidays_file=holidays_file,
    )


def receive_part(db: Reader, *, key: str, unit: str, stamp: Stamp) -> tuple[str, AssignmentRecord]:
    """The unit signs for its assignment (签收)."""
    return _on_item(db, key, parts.receive, unit=unit, stamp=stamp)


def report_part(
    db: Reader, *, key: str, unit: str, how: str, stamp: Stamp
) -> tuple[str, AssignmentRecord]:
    """The unit's part is done (报结)."""
    return _on_item(db, key, parts.report, unit=unit, how=how, stamp=stamp)


def return_part(
    db: Reader, *, key: str, unit: str, why: str, stamp: Stamp, suggest: str | None = None
) -> tuple[str, AssignmentRecord]:
    """The unit sends its assignment back (退回)."""
    return _on_item(db, key, parts.send_back, unit=unit, why=why, stamp=stamp, suggest=suggest)


def transfer_part(
    db: Reader,
    *,
    key: str,
    source: str,
    target: str,
    why: str,
    stamp: Stamp,
    due: date | None = None,
    owner: str | None = None,
    new_unit: bool = False,
    new_person: bool = False,
    receipt_days: str | None = None,
    holidays_file: str | None = None,
) -> tuple[str, AssignmentRecord]:
    """Move a unit's part to another unit (转办)."""
    return _on_item(
        db,
        key,
        parts.transfer,
        source=source,
        target=target,
        why=why,
        stamp=stamp,
        due=due,
        owner=owner,
        new_unit=new_unit,
        new_person=new_person,
        receipt_days=receipt_days,
        holidays_file=holidays_file,
    )
