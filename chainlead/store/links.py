"""The links of a chain's map (产业链图谱) and the enterprises placed on them, as stored."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from chainlead.store.connection import Reader, day, day_or_none, moment, placeholders


@dataclass(frozen=True)
class LinkRecord:
    """A link of a chain's map as stored."""

    id: int
    uuid: str
    chain_id: int
    name: str
    segment: str  # upstream | midstream | downstream
    state: str  # strong | weak | missing
    position: int
    note: str | None
    created_at: datetime


_COLUMNS = "id, uuid, chain_id, name, segment, state, position, note, created_at"
_SELECT = f"SELECT {_COLUMNS} FROM chain_link"
# What ``set_link`` may change.
LINK_FIELDS = ("name", "segment", "state", "note")


def _record(row: tuple) -> LinkRecord:
    return LinkRecord(*row[:8], created_at=moment(row[8]))


def links_of_chain(db: Reader, chain_id: int) -> list[LinkRecord]:
    """A chain's links in the order of its map."""
    rows = db.rows(_SELECT + " WHERE chain_id = :c ORDER BY position", {"c": chain_id})
    return [_record(row) for row in rows]


def link_by_id(db: Reader, link_id: int) -> LinkRecord:
    return _record(db.rows(_SELECT + " WHERE id = :id", {"id": link_id})[0])


def insert_link(
    db: Reader,
    *,
    chain_id: int,
    name: str,
    segment: str,
    state: str,
    note: str | None,
    at: datetime,
) -> int:
    """Store a new link at the end of its chain's map; its id."""
    last = db.rows(
        "SELECT COALESCE(MAX(position), 0) FROM chain_link WHERE chain_id = :c", {"c": chain_id}
    )[0][0]
    return db.insert(
        "INSERT INTO chain_link (uuid, chain_id, name, segment, state, position, note, "
        "created_at) VALUES (:uuid, :chain, :name, :segment, :state, :position, :note, :at) "
        "RETURNING id",
        {
            "uuid": str(uuid.uuid4()),
            "chain": chain_id,
            "name": name,
            "segment": segment,
            "state": state,
            "position": int(last) + 1,
            "note": note,
            "at": at,
        },
    )


def set_link(db: Reader, link_id: int, field: str, value: object) -> None:
    """Change one of ``LINK_FIELDS``."""
    if field not in LINK_FIELDS:
        raise ValueError(field)
    db.execute(
        f"UPDATE chain_link SET {field} = :value WHERE id = :id", {"value": value, "id": link_id}
    )


def delete_link(db: Reader, link_id: int) -> None:
    db.execute("DELETE FROM chain_link WHERE id = :id", {"id": link_id})


@dataclass(frozen=True)
class LinkUsers:
    """What still names a link: the enterprises placed on it, items and projects."""

    enterprises: tuple[str, ...]
    items: tuple[str, ...]  # keys
    projects: tuple[str, ...]  # keys

    def __bool__(self) -> bool:
        return bool(self.enterprises or self.items or self.projects)


def users_of_link(db: Reader, link_id: int) -> LinkUsers:
    """Every record that names the link."""
    params = {"id": link_id}
    enterprises = db.rows(
        "SELECT e.name FROM enterprise_link el JOIN enterprise e ON e.id = el.enterprise_id "
        "WHERE el.link_id = :id ORDER BY e.name",
        params,
    )
    items = db.rows("SELECT key FROM item WHERE link_id = :id ORDER BY number", params)
    projects = db.rows("SELECT key FROM project WHERE link_id = :id ORDER BY number", params)
    return LinkUsers(
        tuple(r[0] for r in enterprises), tuple(r[0] for r in items), tuple(r[0] for r in projects)
    )


# ---- enterprises on links


@dataclass(frozen=True)
class Placement:
    """An enterprise placed on a link: the link, its chain, and the enterprise's 链主 mark
    on that chain."""

    link_id: int
    chain_id: int
    chain_code: str
    link: str
    segment: str
    enterprise_id: int
    enterprise: str
    short: str | None
    lead: bool


_PLACEMENTS = (
    "SELECT l.id, l.chain_id, c.code, l.name, l.segment, e.id, e.name, e.short, "
    "COALESCE(ec.lead, :false) "
    "FROM enterprise_link el JOIN chain_link l ON l.id = el.link_id "
    "JOIN chain c ON c.id = l.chain_id JOIN enterprise e ON e.id = el.enterprise_id "
    "LEFT JOIN enterprise_chain ec ON ec.enterprise_id = e.id AND ec.chain_id = l.chain_id "
)


def _placement(row: tuple) -> Placement:
    return Placement(
        int(row[0]), int(row[1]), row[2], row[3], row[4], int(row[5]), row[6], row[7], bool(row[8])
    )


def placements_of_enterprise(db: Reader, enterprise_id: int) -> list[Placement]:
    """The links an enterprise is placed on, by chain code and map order."""
    rows = db.rows(
        _PLACEMENTS + "WHERE el.enterprise_id = :id ORDER BY c.code, l.position",
        {"id": enterprise_id, "false": False},
    )
    return [_placement(row) for row in rows]


def placements_of_chain(db: Reader, chain_id: int) -> list[Placement]:
    """The enterprises on a chain's links: 链主 first, then by name, per link."""
    rows = db.rows(
        _PLACEMENTS + "WHERE l.chain_id = :id ORDER BY l.position, "
        "COALESCE(ec.lead, :false) DESC, e.name",
        {"id": chain_id, "false": False},
    )
    return [_placement(row) for row in rows]


def place_on_link(db: Reader, *, enterprise_id: int, link_id: int, at: datetime) -> bool:
    """Place an enterprise on a link; False when it was there already."""
    there = db.rows(
        "SELECT 1 FROM enterprise_link WHERE enterprise_id = :e AND link_id = :l",
        {"e": enterprise_id, "l": link_id},
    )
    if there:
        return False
    db.insert(
        "INSERT INTO enterprise_link (uuid, enterprise_id, link_id, created_at) "
        "VALUES (:uuid, :e, :l, :at) RETURNING id",
        {"uuid": str(uuid.uuid4()), "e": enterprise_id, "l": link_id, "at": at},
    )
    return True


def take_off_link(db: Reader, *, enterprise_id: int, link_id: int) -> bool:
    """Take an enterprise off a link; False when it was not on it."""
    return bool(
        db.execute(
            "DELETE FROM enterprise_link WHERE enterprise_id = :e AND link_id = :l",
            {"e": enterprise_id, "l": link_id},
        )
    )


# ---- items and projects on links


def link_of_item(db: Reader, item_id: int) -> LinkRecord | None:
    """The link an item names, or None."""
    rows = db.rows(
        _SELECT + " WHERE id = (SELECT link_id FROM item WHERE id = :id)", {"id": item_id}
    )
    return _record(rows[0]) if rows else None


def set_item_link(db: Reader, item_id: int, link_id: int | None) -> None:
    db.execute("UPDATE item SET link_id = :link WHERE id = :id", {"link": link_id, "id": item_id})


def item_link_names(db: Reader) -> dict[str, str]:
    """The link each item naming one names, by item key (items naming a link are few)."""
    rows = db.rows("SELECT i.key, l.name FROM chain_link l JOIN item i ON i.link_id = l.id")
    return {key: name for key, name in rows}


@dataclass(frozen=True)
class LinkItem:
    """An open item naming a link, with what its light is worked out from."""

    link_id: int
    key: str
    status: str
    raised_on: date
    clock_due: date
    resolved_on: date | None
    receipt_due: date | None
    suspended_on: date | None
    suspended_until: date | None


def open_items_on_links(
    db: Reader, chain_ids: Sequence[int], statuses: Sequence[str]
) -> list[LinkItem]:
    """The items of these chains in ``statuses`` that name a link."""
    if not chain_ids:
        return []
    chains, chain_params = placeholders("c", list(chain_ids))
    wanted, status_params = placeholders("s", list(statuses))
    rows = db.rows(
        "SELECT link_id, key, status, raised_on, clock_due, resolved_on, receipt_due, "
        "suspended_on, suspended_until FROM item "
        f"WHERE link_id IS NOT NULL AND chain_id IN {chains} AND status IN {wanted} "
        "ORDER BY number",
        {**chain_params, **status_params},
    )
    return [
        LinkItem(
            int(r[0]),
            r[1],
            r[2],
            day(r[3]),
            day(r[4]),
            day_or_none(r[5]),
            day_or_none(r[6]),
            day_or_none(r[7]),
            day_or_none(r[8]),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class LinkProject:
    """A project on a link, as the map lists it."""

    link_id: int
    key: str
    title: str
    status: str


def projects_on_links(db: Reader, chain_id: int) -> list[LinkProject]:
    """The projects of a chain that name a link, by number."""
    rows = db.rows(
        "SELECT link_id, key, title, status FROM project "
        "WHERE chain_id = :c AND link_id IS NOT NULL ORDER BY number",
        {"c": chain_id},
    )
    return [LinkProject(int(r[0]), r[1], r[2], r[3]) for r in rows]


def all_links(db: Reader) -> list[tuple[str, str]]:
    """Every link as (chain code, link name), by chain and map order: for completion."""
    rows = db.rows(
        "SELECT c.code, l.name FROM chain_link l JOIN chain c ON c.id = l.chain_id "
        "ORDER BY c.code, l.position"
    )
    return [(r[0], r[1]) for r in rows]


# ---- db check


def link_problems(db: Reader) -> list[tuple[str, str]]:
    """(subject, what is wrong) of every record of the chains' maps that breaks their
    rules: an enterprise on a link but not on the link's chain, an item or project
    naming a link of another chain, two links of a chain at one position."""
    found = [
        (f"{code}:{link}", f"enterprise {name!r} is on the link but not on the chain {code}")
        for code, link, name in db.rows(
            "SELECT c.code, l.name, e.name FROM enterprise_link el "
            "JOIN chain_link l ON l.id = el.link_id JOIN chain c ON c.id = l.chain_id "
            "JOIN enterprise e ON e.id = el.enterprise_id WHERE NOT EXISTS ("
            "SELECT 1 FROM enterprise_chain ec WHERE ec.enterprise_id = el.enterprise_id "
            "AND ec.chain_id = l.chain_id)"
        )
    ]
    for table in ("item", "project"):
        found += [
            (key, f"its link {link!r} is a link of {code}, not of its own chain")
            for key, link, code in db.rows(
                f'SELECT r."key", l.name, c.code FROM {table} r '
                "JOIN chain_link l ON l.id = r.link_id JOIN chain c ON c.id = l.chain_id "
                "WHERE l.chain_id <> r.chain_id"
            )
        ]
    found += [
        (code, f"{count} links at position {position}")
        for code, position, count in db.rows(
            "SELECT c.code, l.position, count(*) FROM chain_link l "
            "JOIN chain c ON c.id = l.chain_id GROUP BY c.code, l.position HAVING count(*) > 1"
        )
    ]
    return sorted(found)


def links_by_chain_code(db: Reader) -> dict[str, list[LinkRecord]]:
    """Every chain's links in map order, by chain code (chains with none left out)."""
    rows = db.rows(
        "SELECT c.code, "
        + ", ".join(f"l.{column.strip()}" for column in _COLUMNS.split(","))
        + " FROM chain_link l JOIN chain c ON c.id = l.chain_id ORDER BY c.code, l.position"
    )
    found: dict[str, list[LinkRecord]] = {}
    for code, *rest in rows:
        found.setdefault(code, []).append(_record(tuple(rest)))
    return found
