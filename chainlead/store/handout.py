"""The reads the printed report's masthead needs: the month records begin in
(for the issue number and the trend), and the district the database was
built for (recorded by ``import`` from the snapshot's header).

Statements and row mappers only; ``domain.reports.monthly`` keeps the rules.
"""

from __future__ import annotations

from chainlead.store.connection import Reader, day

DISTRICT = "district"  # the meta row holding the district's name


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
