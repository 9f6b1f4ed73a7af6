"""The demo district: load ``examples/jiangning.toml`` into a fresh database.

The file is a chainlead snapshot (see ``chainlead.snapshot``) imported like
any other. The demo database remembers its district (the snapshot's header,
as every import records it) and the day its data was made: the day of the
latest time recorded in it (the snapshot's ``exported_at``; 2026-11-18 for
Jiangning). Every read of it counts "today" as that day
(``chainlead.cli.runtime.as_of``) while nothing was recorded after it, so
``report monthly`` after ``chainlead demo`` shows the month the demo printed;
``CHAINLEAD_TODAY`` or the first record of one's own ends it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from chainlead.errors import InvalidInput
from chainlead.snapshot.schema import Snapshot
from chainlead.store.connection import Reader
from chainlead.store.meetings import latest_month
from chainlead.vocabulary import SCHEDULING

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# Jiangning keeps Beijing time: the demo database records it (``store.calendar``), and
# its days are counted there unless the timezone setting says otherwise.
DEMO_ZONE = "Asia/Shanghai"


def demo_file(source: Path | None) -> Path:
    """The demo data file: the one given, or examples/jiangning.toml beside the package."""
    path = source or EXAMPLES / "jiangning.toml"
    if not path.is_file():
        raise InvalidInput(
            "--from", "expected the demo data file (examples/jiangning.toml)", str(path)
        )
    return path


def read_demo(path: Path) -> Snapshot:
    """The demo file as a checked snapshot (read before any file is touched)."""
    from chainlead.snapshot.reader import read_snapshot

    return read_snapshot(path.read_bytes(), str(path))


def report_month(db: Reader) -> str | None:
    """The month the demo reports on: the latest with a scheduling meeting, else None."""
    return latest_month(db, SCHEDULING)


def remember_day(db: Reader, day_of: Callable[[datetime], date]) -> date | None:
    """Record the day the demo's data was made (``day_of`` the latest time recorded
    in it) as the day its reads count from; None for a database holding nothing."""
    from chainlead.store.handout import record_as_of
    from chainlead.store.tables import latest_time

    latest = latest_time(db)
    if latest is None:
        return None
    day = day_of(latest)
    record_as_of(db, day)
    return day
