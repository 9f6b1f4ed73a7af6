"""The demo district: load ``examples/jiangning.toml`` into a fresh database.

The file is a chainlead snapshot (see ``chainlead.snapshot``) imported like
any other. ``load_demo`` still reads the earlier, simpler list of chains with
their leaders and teams, for a file not yet in the snapshot format.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from sqlmodel import Session

from chainlead.domain import Stamp
from chainlead.domain.chains import add_chain, add_member
from chainlead.errors import InvalidInput
from chainlead.snapshot.schema import Snapshot

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def demo_file(source: Path | None) -> Path:
    """The demo data file: the one given, or examples/jiangning.toml beside the package."""
    path = source or EXAMPLES / "jiangning.toml"
    if not path.is_file():
        raise InvalidInput(
            "--from", "expected the demo data file (examples/jiangning.toml)", str(path)
        )
    return path


def read_demo(path: Path) -> Snapshot | None:
    """The demo file as a checked snapshot, or None when it is in the older simple form."""
    from chainlead.snapshot import FORMAT
    from chainlead.snapshot.reader import read_snapshot

    data = path.read_bytes()
    try:
        simple = tomllib.loads(data.decode("utf-8")).get("format") != FORMAT
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        simple = False  # let the snapshot reader say what is wrong with it
    return None if simple else read_snapshot(data, str(path))


def report_month(session: Session) -> str | None:
    """The month the demo reports on: the latest with a scheduling meeting, else None."""
    from sqlalchemy import func, select

    from chainlead.models import Meeting

    query = select(func.max(Meeting.month)).where(Meeting.kind == "scheduling")
    return session.connection().execute(query).scalar()


def load_demo(session: Session, path: Path, *, stamp: Stamp) -> None:
    """Create the demo chains with their leaders, responsible persons and teams."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    for chain in data.get("chains", []):
        add_chain(
            session,
            code=chain["code"],
            name=chain["name"],
            description=chain.get("description"),
            leader=chain["leader"],
            responsible=chain["responsible"],
            stamp=stamp,
        )
        for member in chain.get("team", []):
            add_member(
                session,
                code=chain["code"],
                name=member["name"],
                role=member.get("role", "member"),
                unit=member.get("unit"),
                title=member.get("title"),
                stamp=stamp,
            )
