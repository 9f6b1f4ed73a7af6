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


# The demo city (``chainlead demo --city``): two districts on one PostgreSQL database,
# the first with every chain of the demo data, the second with these chains only, so
# that the city report compares two districts whose figures differ.
CITY_DISTRICTS = (("jiangning", "江宁区"), ("jiangbei", "江北新区"))
SECOND_CHAINS = ("AI", "BIO", "IC", "NM")


def build_city(
    db: str,
    snapshot: Snapshot,
    *,
    name: str,
    at: datetime,
    day_of: Callable[[datetime], date],
    replace: bool,
) -> list[str]:
    """Add the demo city's districts to the PostgreSQL database ``db`` and fill them
    from ``snapshot``: the first whole, the second with ``SECOND_CHAINS`` (each
    exported from the first and imported, as a district's own snapshot would be).
    ``replace``: the demo's districts already there are taken away first; otherwise
    they are refused. Returns the codes added."""
    from chainlead.errors import AlreadyExists
    from chainlead.i18n import _
    from chainlead.snapshot.export import export_snapshot
    from chainlead.snapshot.merge import import_snapshot
    from chainlead.snapshot.reader import read_snapshot
    from chainlead.store.calendar import record_zone
    from chainlead.store.connection import open_reader, open_writer
    from chainlead.store.districts import add_district, close_district, registered, unchecked
    from chainlead.store.target import in_district

    base = in_district(db, None)
    with unchecked(base, write=True) as conn:
        there = {d.code for d in registered(conn)}
        for code, _name in CITY_DISTRICTS:
            if code in there and not replace:
                raise AlreadyExists(
                    _(
                        "district {code} already exists; pass --replace to rebuild the demo city"
                    ).format(code=code)
                )
            if code in there:
                close_district(conn, code)
    first, second = (in_district(base, code) for code, _name in CITY_DISTRICTS)
    for code, district in CITY_DISTRICTS:
        add_district(base, code=code, name=district, at=at)
    with open_writer(first) as conn:
        import_snapshot(conn, snapshot, name=name)
    parts: list[bytes] = []
    with open_reader(first) as reader:
        for chain in SECOND_CHAINS:
            written: list[str] = []
            export_snapshot(reader, write=written.append, chain=chain)
            parts.append("".join(written).encode("utf-8"))
    with open_writer(second) as conn:
        for chain, text in zip(SECOND_CHAINS, parts, strict=True):
            import_snapshot(conn, read_snapshot(text, f"{name} --chain {chain}"), name=name)
    for url in (first, second):
        with open_writer(url) as conn:
            record_zone(conn, DEMO_ZONE)
            remember_day(conn, day_of)
    return [code for code, _name in CITY_DISTRICTS]
