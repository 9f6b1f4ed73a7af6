"""The handling loop by item key: what the ``bottleneck assign|receive|report|return|
transfer`` commands call. Each loads the item for writing, refuses items of archived
chains, and hands the work, with its options as they are, to the function of
``chainlead.domain.assignments`` named beside it (which checks them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chainlead.domain import assignments as parts
from chainlead.domain.bottlenecks import _load, _writable
from chainlead.store.assignments import AssignmentRecord
from chainlead.store.connection import Reader


def _on_item(
    db: Reader, key: str, work: Callable[..., AssignmentRecord], options: dict[str, Any]
) -> tuple[str, AssignmentRecord]:
    item = _load(db, key)
    _writable(db, item)
    return item.key, work(db, item=item, **options)


def assign_unit(db: Reader, *, key: str, **options: Any) -> tuple[str, AssignmentRecord]:
    """Hand the item to one more unit (交办), lead or co-handling: ``assignments.assign``."""
    return _on_item(db, key, parts.assign, options)


def receive_part(db: Reader, *, key: str, **options: Any) -> tuple[str, AssignmentRecord]:
    """The unit signs for its assignment (签收): ``assignments.receive``."""
    return _on_item(db, key, parts.receive, options)


def report_part(db: Reader, *, key: str, **options: Any) -> tuple[str, AssignmentRecord]:
    """The unit's part is done (报结): ``assignments.report``."""
    return _on_item(db, key, parts.report, options)


def return_part(db: Reader, *, key: str, **options: Any) -> tuple[str, AssignmentRecord]:
    """The unit sends its assignment back (退回): ``assignments.send_back``."""
    return _on_item(db, key, parts.send_back, options)


def transfer_part(db: Reader, *, key: str, **options: Any) -> tuple[str, AssignmentRecord]:
    """Move a unit's part to another unit (转办): ``assignments.transfer``."""
    return _on_item(db, key, parts.transfer, options)
