"""The reads the printed report's masthead needs: the month records begin in
(for the issue number and the trend), the district the database was
built for (recorded by ``import`` from the snapshot's header), and the day a
demo database stands on (recorded by ``chainlead demo``).

Statements and row mappers only; ``domain.reports.monthly`` keeps the rules.
"""

from __future__ import annotations

from datetime import date

from chainlead.store.connection import Reader, day, moment

DISTRICT = "district"  # the meta row holding the district's name
AS_OF = "as_of"  # the demo's day, and the latest time recorded when it was built
AS_OF_MARK = "as_of_mark"


def first_record_month(db: Reader, *, chain_id: int | None = None) -> str | None:
    """The earliest month (``YYYY-MM``) with an item raised or a meeting held, of
    one chain or of the whole district; None when there is neither."""
    where = "" if chain_id is None else " WHERE chain_id = :chain"
    params = {} if chain_id is None else {"chain": chain_id}
    raised = db.rows(f"SELECT MIN(raised_on) FROM item{where}", params)[0][0]
    met = db.rows(f"SELECT MIN(month) FROM meeting{where}", params)[0][0]
    months = [m for m in (day(raised).isoformat()[:7] if raised else None, met) if m]
    return min(months) if months else None


def recorded_district(db: Reader) -> str:
    """The district recorded in the database, or ``''``."""
    found = db.rows("SELECT value FROM meta WHERE name = :name", {"name": DISTRICT})
    return str(found[0][0]) if found else ""


def record_district(db: Reader, district: str | None) -> None:
    """Record ``district`` (a snapshot header's) as the database's district; nothing
    when it is empty or already recorded."""
    if not district or not district.strip():
        return
    from chainlead.store.districts import UNNAMED

    # A district still unnamed (migration 0012) takes the name its snapshot gives.
    db.execute(
        "UPDATE district SET name = :name WHERE name = :unnamed",
        {"name": district.strip()[:200], "unnamed": UNNAMED},
    )
    found = db.rows("SELECT value FROM meta WHERE name = :name", {"name": DISTRICT})
    if not found:
        db.execute(
            "INSERT INTO meta (name, value) VALUES (:name, :value)",
            {"name": DISTRICT, "value": district},
        )
    elif found[0][0] != district:
        db.execute(
            "UPDATE meta SET value = :value WHERE name = :name",
            {"name": DISTRICT, "value": district},
        )


def _meta(db: Reader, name: str) -> str | None:
    found = db.rows("SELECT value FROM meta WHERE name = :name", {"name": name})
    return str(found[0][0]) if found else None


def _set_meta(db: Reader, name: str, value: str) -> None:
    if _meta(db, name) is None:
        db.execute(
            "INSERT INTO meta (name, value) VALUES (:name, :value)", {"name": name, "value": value}
        )
    else:
        db.execute(
            "UPDATE meta SET value = :value WHERE name = :name", {"name": name, "value": value}
        )


def record_as_of(db: Reader, as_of: date) -> None:
    """Remember ``as_of`` as the day the database's data stands on, until a later
    record is written (the latest time recorded now is kept beside it)."""
    from chainlead.store.tables import latest_time

    latest = latest_time(db)
    _set_meta(db, AS_OF, as_of.isoformat())
    _set_meta(db, AS_OF_MARK, latest.isoformat() if latest is not None else "")


def remembered_as_of(db: Reader) -> date | None:
    """The day recorded by ``record_as_of``, while nothing was recorded after it;
    None otherwise (one look-up in ``meta`` for a database that has none)."""
    as_of = _meta(db, AS_OF)
    if as_of is None:
        return None
    from chainlead.store.tables import latest_time

    mark = _meta(db, AS_OF_MARK) or None
    latest = latest_time(db)
    if latest is not None and (mark is None or latest > moment(mark)):
        return None
    return date.fromisoformat(as_of)
