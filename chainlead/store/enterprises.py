"""Enterprises, their chains, the items they raised and their follow-ups (回访), as stored."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from chainlead.store.connection import DISTRICT_LOCK, Reader, day, moment, placeholders
from chainlead.vocabulary import SATISFIED

DETAILS = ("short", "credit_code", "contact", "park", "above_scale")


@dataclass
class EnterpriseRecord:
    """An enterprise as stored."""

    id: int
    uuid: str
    name: str
    short: str | None
    credit_code: str | None
    contact: str | None
    park: str | None
    above_scale: bool
    created_at: datetime


_COLUMNS = "id, uuid, name, short, credit_code, contact, park, above_scale, created_at"
_SELECT = f"SELECT {_COLUMNS} FROM enterprise"


def _record(row: tuple) -> EnterpriseRecord:
    return EnterpriseRecord(*row[:7], above_scale=bool(row[7]), created_at=moment(row[8]))


def all_enterprises(db: Reader) -> list[EnterpriseRecord]:
    """Every enterprise, by name."""
    rows = db.rows(_SELECT)
    rows.sort(key=lambda row: row[2])  # code point order, the same on every database
    return [_record(row) for row in rows]


def enterprise_by_id(db: Reader, enterprise_id: int) -> EnterpriseRecord:
    return _record(db.rows(_SELECT + " WHERE id = :id", {"id": enterprise_id})[0])


def enterprises_named(db: Reader, text: str) -> list[EnterpriseRecord]:
    """The enterprises whose name or short name is exactly ``text`` (an index lookup)."""
    return [
        _record(row) for row in db.rows(_SELECT + " WHERE name = :t OR short = :t", {"t": text})
    ]


def enterprise_by_credit_code(db: Reader, code: str) -> EnterpriseRecord | None:
    rows = db.rows(_SELECT + " WHERE credit_code = :code", {"code": code})
    return _record(rows[0]) if rows else None


# A transaction-scoped lock taken before a new enterprise is named (as for units).
_ENTERPRISE_NAMES_LOCK = 0x656E7470  # "entp"


def lock_enterprise_names(db: Reader) -> None:
    """Hold the right to add enterprises until the transaction ends (PostgreSQL; a
    SQLite writer already holds the whole database)."""
    if not db.sqlite:
        db.rows(DISTRICT_LOCK, {"key": _ENTERPRISE_NAMES_LOCK})


def insert_enterprise(db: Reader, *, name: str, at: datetime, **details: object) -> int:
    """Store a new enterprise (``details``: any of ``DETAILS``); its id."""
    values = {key: details.get(key) for key in DETAILS}
    values["above_scale"] = bool(values["above_scale"])
    return db.insert(
        "INSERT INTO enterprise (uuid, name, short, credit_code, contact, park, above_scale, "
        "created_at) VALUES (:uuid, :name, :short, :credit_code, "
        ":contact, :park, :above_scale, :at) RETURNING id",
        {"uuid": str(uuid.uuid4()), "name": name, "at": at, **values},
    )


def set_detail(db: Reader, enterprise_id: int, key: str, value: object) -> None:
    """Change one of ``DETAILS``."""
    if key not in DETAILS:
        raise ValueError(key)
    db.execute(
        f"UPDATE enterprise SET {key} = :value WHERE id = :id",
        {"value": value, "id": enterprise_id},
    )


def rename_enterprise(db: Reader, enterprise_id: int, name: str) -> int:
    """Give an enterprise a new name, and the items it raised first the same text; how
    many items follow."""
    db.execute(
        "UPDATE enterprise SET name = :name WHERE id = :id", {"name": name, "id": enterprise_id}
    )
    return db.execute(
        "UPDATE item SET enterprise = :name WHERE id IN "
        "(SELECT item_id FROM item_enterprise WHERE enterprise_id = :id AND position = 1)",
        {"name": name, "id": enterprise_id},
    )


# ---- chains


@dataclass(frozen=True)
class Membership:
    """An enterprise on a chain."""

    chain_id: int
    code: str
    name: str
    segment: str | None
    lead: bool


def chains_of(db: Reader, enterprise_id: int) -> list[Membership]:
    """The chains an enterprise is on, by chain code."""
    rows = db.rows(
        "SELECT c.id, c.code, c.name, ec.segment, ec.lead FROM enterprise_chain ec "
        "JOIN chain c ON c.id = ec.chain_id WHERE ec.enterprise_id = :id ORDER BY c.code",
        {"id": enterprise_id},
    )
    return [Membership(int(r[0]), r[1], r[2], r[3], bool(r[4])) for r in rows]


def all_memberships(db: Reader) -> dict[int, list[Membership]]:
    """Every enterprise's chains, by enterprise id."""
    found: dict[int, list[Membership]] = {}
    rows = db.rows(
        "SELECT ec.enterprise_id, c.id, c.code, c.name, ec.segment, ec.lead "
        "FROM enterprise_chain ec JOIN chain c ON c.id = ec.chain_id ORDER BY c.code"
    )
    for enterprise_id, *rest in rows:
        found.setdefault(int(enterprise_id), []).append(
            Membership(int(rest[0]), rest[1], rest[2], rest[3], bool(rest[4]))
        )
    return found


def put_on_chain(
    db: Reader, *, enterprise_id: int, chain_id: int, segment: str | None, lead: bool, at: datetime
) -> None:
    """Put an enterprise on a chain, or change its segment and lead mark there."""
    changed = db.execute(
        "UPDATE enterprise_chain SET segment = :segment, lead = :lead "
        "WHERE enterprise_id = :enterprise AND chain_id = :chain",
        {"segment": segment, "lead": lead, "enterprise": enterprise_id, "chain": chain_id},
    )
    if not changed:
        db.insert(
            "INSERT INTO enterprise_chain (uuid, enterprise_id, chain_id, segment, lead, "
            "created_at) VALUES (:uuid, :enterprise, :chain, :segment, :lead, :at) RETURNING id",
            {
                "uuid": str(uuid.uuid4()),
                "enterprise": enterprise_id,
                "chain": chain_id,
                "segment": segment,
                "lead": lead,
                "at": at,
            },
        )


# ---- the items an enterprise raised


def enterprises_of(db: Reader, item_id: int) -> list[tuple[int, str]]:
    """The enterprises that raised an item, in the order named: (id, name)."""
    rows = db.rows(
        "SELECT e.id, e.name FROM item_enterprise ie JOIN enterprise e ON e.id = ie.enterprise_id "
        "WHERE ie.item_id = :item ORDER BY ie.position",
        {"item": item_id},
    )
    return [(int(r[0]), r[1]) for r in rows]


def link_item(
    db: Reader, *, item_id: int, enterprise_id: int, at: datetime, position: int | None = None
) -> int:
    """Name one more enterprise as raising an item (at ``position``, else after the
    others); its position among them."""
    if position is None:
        position = int(
            db.rows(
                "SELECT coalesce(max(position), 0) + 1 FROM item_enterprise WHERE item_id = :item",
                {"item": item_id},
            )[0][0]
        )
    db.insert(
        "INSERT INTO item_enterprise (uuid, item_id, enterprise_id, position, created_at) "
        "VALUES (:uuid, :item, :enterprise, :position, :at) RETURNING id",
        {
            "uuid": str(uuid.uuid4()),
            "item": item_id,
            "enterprise": enterprise_id,
            "position": position,
            "at": at,
        },
    )
    return position


def unlink_item(db: Reader, *, item_id: int, enterprise_id: int) -> str | None:
    """Take an enterprise off an item's raisers; the others keep their order. Returns
    the name now first (the item's ``enterprise`` text), or None."""
    db.execute(
        "DELETE FROM item_enterprise WHERE item_id = :item AND enterprise_id = :enterprise",
        {"item": item_id, "enterprise": enterprise_id},
    )
    rows = db.rows(
        "SELECT id FROM item_enterprise WHERE item_id = :item ORDER BY position", {"item": item_id}
    )
    for position, (link_id,) in enumerate(rows, start=1):
        db.execute(
            "UPDATE item_enterprise SET position = :position WHERE id = :id",
            {"position": position, "id": link_id},
        )
    first = enterprises_of(db, item_id)
    return first[0][1] if first else None


def asked_about(db: Reader, *, item_id: int, enterprise_id: int) -> date | None:
    """The day an enterprise was last asked about an item, if ever."""
    rows = db.rows(
        "SELECT max(asked_on) FROM follow_up WHERE item_id = :item AND enterprise_id = :e",
        {"item": item_id, "e": enterprise_id},
    )
    return day(rows[0][0]) if rows and rows[0][0] is not None else None


def item_ids_of(db: Reader, enterprise_id: int) -> list[int]:
    """The items an enterprise raised."""
    rows = db.rows(
        "SELECT item_id FROM item_enterprise WHERE enterprise_id = :id", {"id": enterprise_id}
    )
    return [int(r[0]) for r in rows]


def item_counts(db: Reader, open_statuses: Sequence[str]) -> dict[int, tuple[int, int]]:
    """Each enterprise's demands, by id: (all, still open)."""
    within, params = placeholders("o", open_statuses)
    rows = db.rows(
        "SELECT ie.enterprise_id, count(*), "
        f"sum(CASE WHEN i.status IN {within} THEN 1 ELSE 0 END) "
        "FROM item_enterprise ie JOIN item i ON i.id = ie.item_id GROUP BY ie.enterprise_id",
        params,
    )
    return {int(r[0]): (int(r[1]), int(r[2] or 0)) for r in rows}


# ---- follow-ups


@dataclass(frozen=True)
class FollowUp:
    """A follow-up, by the names it points at."""

    item: str  # the item's key
    enterprise: str | None  # None: an item raised by no named enterprise
    result: str
    by: str  # who asked
    asked_on: date
    note: str | None
    reopened_on: date | None  # set aside: the item was reopened on this day


_FOLLOW_UPS = (
    'SELECT i."key", e.name, f.result, p.name, f.asked_on, f.note, f.reopened_on '
    "FROM follow_up f JOIN item i ON i.id = f.item_id "
    "LEFT JOIN enterprise e ON e.id = f.enterprise_id JOIN person p ON p.id = f.by_id"
)


def _follow_up(row: tuple) -> FollowUp:
    return FollowUp(
        *row[:4], asked_on=day(row[4]), note=row[5], reopened_on=day(row[6]) if row[6] else None
    )


def follow_ups_of_item(db: Reader, item_id: int) -> list[FollowUp]:
    """An item's follow-ups, earliest first (those a reopening set aside too)."""
    rows = db.rows(_FOLLOW_UPS + " WHERE f.item_id = :item ORDER BY f.id", {"item": item_id})
    return [_follow_up(r) for r in rows]


def follow_ups_of_enterprise(db: Reader, enterprise_id: int) -> list[FollowUp]:
    """An enterprise's follow-ups, earliest first."""
    rows = db.rows(
        _FOLLOW_UPS + " WHERE f.enterprise_id = :id ORDER BY f.asked_on, f.id",
        {"id": enterprise_id},
    )
    return [_follow_up(r) for r in rows]


def insert_follow_up(
    db: Reader,
    *,
    item_id: int,
    enterprise_id: int | None,
    result: str,
    by_id: int,
    note: str | None,
    asked_on: date,
    at: datetime,
) -> int:
    return db.insert(
        "INSERT INTO follow_up (uuid, item_id, enterprise_id, result, by_id, note, asked_on, "
        "reopened_on, created_at) VALUES (:uuid, :item, :enterprise, :result, :by, :note, "
        ":on, NULL, :at) RETURNING id",
        {
            "uuid": str(uuid.uuid4()),
            "item": item_id,
            "enterprise": enterprise_id,
            "result": result,
            "by": by_id,
            "note": note,
            "on": asked_on,
            "at": at,
        },
    )


def set_aside_follow_ups(db: Reader, item_id: int, on: date) -> int:
    """The item was reopened: its current follow-ups no longer answer for it."""
    return db.execute(
        "UPDATE follow_up SET reopened_on = :on WHERE item_id = :item AND reopened_on IS NULL",
        {"on": on, "item": item_id},
    )


@dataclass(frozen=True)
class Satisfaction:
    """Follow-ups counted: all of them, and those satisfied or basically satisfied."""

    asked: int
    satisfied: int

    @property
    def rate(self) -> float | None:
        """满意率: satisfied and basically satisfied over all follow-ups."""
        return round(self.satisfied / self.asked, 4) if self.asked else None


_GROUPS = {
    "unit": "i.unit_id",
    "chain": "i.chain_id",
    "enterprise": "f.enterprise_id",
}


def satisfaction(
    db: Reader, by: str, *, until: date | None = None, since: date | None = None
) -> dict[int, Satisfaction]:
    """Follow-ups counted per institution (the item's lead unit), chain or enterprise,
    by id; ``since``/``until`` bound the day asked."""
    within, params = placeholders("s", SATISFIED)
    where = ["f.enterprise_id IS NOT NULL"] if by == "enterprise" else []
    if until is not None:
        where.append("f.asked_on <= :until")
        params["until"] = until
    if since is not None:
        where.append("f.asked_on >= :since")
        params["since"] = since
    group = _GROUPS[by]
    rows = db.rows(
        f"SELECT {group}, count(*), sum(CASE WHEN f.result IN {within} THEN 1 ELSE 0 END) "
        "FROM follow_up f JOIN item i ON i.id = f.item_id "
        + ("WHERE " + " AND ".join(where) + " " if where else "")
        + f"GROUP BY {group}",
        params,
    )
    return {int(r[0]): Satisfaction(int(r[1]), int(r[2] or 0)) for r in rows}


def satisfaction_by_chain_and_unit(
    db: Reader, *, until: date
) -> dict[tuple[int, int], Satisfaction]:
    """Follow-ups asked on or before ``until``, counted per (chain id, institution id) of
    their items: one grouped statement, which the monthly report sums both ways."""
    within, params = placeholders("s", SATISFIED)
    params["until"] = until
    rows = db.rows(
        f"SELECT i.chain_id, i.unit_id, count(*), "
        f"sum(CASE WHEN f.result IN {within} THEN 1 ELSE 0 END) "
        "FROM follow_up f JOIN item i ON i.id = f.item_id WHERE f.asked_on <= :until "
        "GROUP BY i.chain_id, i.unit_id",
        params,
    )
    return {(int(r[0]), int(r[1])): Satisfaction(int(r[2]), int(r[3] or 0)) for r in rows}


@dataclass(frozen=True)
class Unasked:
    """A resolved item with enterprises not yet asked: ``report follow-ups``."""

    key: str
    chain: str
    title: str
    unit: str
    resolved_on: date
    owner: str | None
    responsible: str | None  # the chain's responsible person now
    enterprises: tuple[str, ...]  # those not asked since it was last resolved


def unasked(db: Reader, *, resolved_by: date, chain_id: int | None = None) -> list[Unasked]:
    """Resolved items (not yet signed off) resolved on or before ``resolved_by`` with an
    enterprise not asked since the item was last resolved; by chain and key. A
    follow-up answers for the resolution only when it is current (no reopening set it
    aside) and was asked on or after the day resolved. An archived chain's items are
    left out: they take no follow-up."""
    params: dict[str, object] = {"by": resolved_by}
    only_chain = ""
    if chain_id is not None:
        only_chain = "AND i.chain_id = :chain "
        params["chain"] = chain_id
    rows = db.rows(
        'SELECT i."key", c.code, i.title, i.unit, i.resolved_on, o.name, r.name, e.name, '
        "c.code, i.number, ie.position "
        "FROM item i JOIN chain c ON c.id = i.chain_id "
        "JOIN item_enterprise ie ON ie.item_id = i.id "
        "JOIN enterprise e ON e.id = ie.enterprise_id "
        "LEFT JOIN person o ON o.id = i.owner_id "
        "LEFT JOIN membership m ON m.chain_id = c.id AND m.role = 'responsible' "
        "AND m.until IS NULL LEFT JOIN person r ON r.id = m.person_id "
        "WHERE i.status = 'resolved' AND i.resolved_on <= :by AND c.status = 'active' "
        + only_chain
        + "AND NOT EXISTS (SELECT 1 FROM follow_up f WHERE f.item_id = i.id "
        "AND f.enterprise_id = ie.enterprise_id AND f.reopened_on IS NULL "
        "AND f.asked_on >= i.resolved_on) ORDER BY c.code, i.number, ie.position",
        params,
    )
    found: dict[str, Unasked] = {}
    for key, chain, title, unit, resolved_on, owner, responsible, name, *_ in rows:
        if key in found:
            before = found[key]
            found[key] = Unasked(**{**before.__dict__, "enterprises": (*before.enterprises, name)})
        else:
            found[key] = Unasked(
                key, chain, title, unit, day(resolved_on), owner, responsible, (name,)
            )
    return list(found.values())


# ---- snapshot

ENTERPRISE_ROW = (
    "uuid", "name", "short", "credit_code", "contact", "park", "above_scale", "created_at",
)  # fmt: skip
PLACEMENT_ROW = ("uuid", "enterprise", "segment", "lead", "created_at")
RAISER_ROW = ("uuid", "enterprise", "created_at")
FOLLOW_UP_ROW = (
    "uuid", "enterprise", "result", "by", "note", "asked_on", "reopened_on", "created_at",
)  # fmt: skip
_FOLLOW_UP_DAYS = ("asked_on", "reopened_on")
_PLACEMENT_ROWS = (
    "SELECT ec.chain_id, ec.id, ec.uuid, e.name, ec.segment, ec.lead, ec.created_at, "
    "ec.enterprise_id FROM enterprise_chain ec JOIN enterprise e ON e.id = ec.enterprise_id "
    "WHERE ec.chain_id = :chain"
)
_RAISER_ROWS = (
    "SELECT ie.item_id, ie.id, ie.uuid, e.name, ie.created_at FROM item_enterprise ie "
    "JOIN enterprise e ON e.id = ie.enterprise_id "
    "WHERE ie.item_id IN (SELECT id FROM item WHERE chain_id = :chain) "
    "ORDER BY ie.item_id, ie.position"
)
_FOLLOW_UP_ROWS = (
    "SELECT f.item_id, f.id, f.uuid, e.name, f.result, p.name, f.note, f.asked_on, "
    "f.reopened_on, f.created_at FROM follow_up f "
    "LEFT JOIN enterprise e ON e.id = f.enterprise_id JOIN person p ON p.id = f.by_id "
    "WHERE f.item_id IN (SELECT id FROM item WHERE chain_id = :chain) "
    "ORDER BY f.item_id, f.created_at, f.id"
)


def enterprise_rows(db: Reader) -> list[tuple]:
    """Every enterprise by name: ``(id, *ENTERPRISE_ROW)`` as the driver gives them."""
    rows = db.rows(_SELECT)
    rows.sort(key=lambda row: row[2])  # code point order, the same on every database
    return rows


def enterprise_records(db: Reader) -> list[dict[str, object]]:
    """Every enterprise as a snapshot record (``_id`` the row's id), by name."""
    records = []
    for row in enterprise_rows(db):
        record: dict[str, object] = {"_id": row[0]}
        record.update(zip(ENTERPRISE_ROW, row[1:], strict=True))
        record["above_scale"] = bool(row[7])
        record["created_at"] = moment(row[8])
        records.append(record)
    return records


def chain_placement_rows(db: Reader, chain_id: int) -> list[tuple]:
    """The enterprises on a chain by name: the chain's id, the row's id, then
    ``PLACEMENT_ROW``, then the enterprise's id."""
    rows = db.rows(_PLACEMENT_ROWS, {"chain": chain_id})
    rows.sort(key=lambda row: row[3])
    return rows


def chain_placement_records(db: Reader, chain_id: int) -> list[dict[str, object]]:
    """The enterprises on a chain as snapshot records, by name."""
    return [
        {
            "_id": row[1],
            "_enterprise": row[7],
            "uuid": row[2],
            "enterprise": row[3],
            "segment": row[4],
            "lead": bool(row[5]),
            "created_at": moment(row[6]),
        }
        for row in chain_placement_rows(db, chain_id)
    ]


def chain_raiser_rows(db: Reader, chain_id: int) -> list[tuple]:
    """The enterprises that raised a chain's items, by item, in the order named: the
    item's id, the row's id, then ``RAISER_ROW``."""
    return db.rows(_RAISER_ROWS, {"chain": chain_id})


def chain_raiser_records(db: Reader, chain_id: int) -> list[dict[str, object]]:
    """The same as snapshot records (``_item`` the item's id)."""
    return [
        {
            "_item": row[0],
            "_id": row[1],
            "uuid": row[2],
            "enterprise": row[3],
            "created_at": moment(row[4]),
        }
        for row in chain_raiser_rows(db, chain_id)
    ]


def chain_follow_up_rows(db: Reader, chain_id: int) -> list[tuple]:
    """The follow-ups of a chain's items, by item, then as made: the item's id, the
    row's id, then ``FOLLOW_UP_ROW``."""
    return db.rows(_FOLLOW_UP_ROWS, {"chain": chain_id})


def chain_follow_up_records(db: Reader, chain_id: int) -> list[dict[str, object]]:
    """The same as snapshot records (``_item`` the item's id)."""
    records = []
    for row in chain_follow_up_rows(db, chain_id):
        record: dict[str, object] = {"_item": row[0], "_id": row[1]}
        record.update(zip(FOLLOW_UP_ROW, row[2:], strict=True))
        for name in _FOLLOW_UP_DAYS:
            record[name] = day(record[name]) if record[name] is not None else None
        record["created_at"] = moment(record["created_at"])
        records.append(record)
    return records


def placements(db: Reader) -> set[tuple[int, int]]:
    """Every enterprise's place on a chain: (enterprise id, chain id)."""
    return {
        (int(e), int(c)) for e, c in db.rows("SELECT enterprise_id, chain_id FROM enterprise_chain")
    }


def placement_uuids(db: Reader) -> set[str]:
    return {row[0] for row in db.rows("SELECT uuid FROM enterprise_chain")}


def raiser_uuids(db: Reader) -> set[str]:
    return {row[0] for row in db.rows("SELECT uuid FROM item_enterprise")}


def follow_up_uuids(db: Reader) -> set[str]:
    return {row[0] for row in db.rows("SELECT uuid FROM follow_up")}
