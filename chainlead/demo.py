"""The demo district: load ``examples/jiangning.toml`` into a fresh database.

The file is a chainlead snapshot (see ``chainlead.snapshot``) imported like
any other.
"""

from __future__ import annotations

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
