"""The chain map, projects and targets as a snapshot reads them (format 5 on).

Rows as the driver gives them, for the export to spell as they are, and the
same rows as snapshot records (the snapshot's names, ``_id`` the row's id,
dates and times as Python values), for the merge to compare: a chain's links
(产业链图谱), the enterprises placed on them, its annual targets, its projects
with their progress reports and milestones, and what items and events say of
links and projects. A handful of queries per chain, none per row.
"""

from __future__ import annotations

from datetime import UTC, date, tzinfo
from typing import Any

from chainlead.clock import day_start
from chainlead.store.connection import Reader, Row, day, day_or_none, moment

CHAIN_LINK_ROW = ("uuid", "name", "segment", "state", "position", "note", "created_at")
ENTERPRISE_LINK_ROW = ("uuid", "enterprise", "link", "created_at")
TARGET_ROW = ("uuid", "year", "figure", "value", "unit", "kind", "created_at")
PROJECT_ROW = (
    "uuid", "key", "number", "title", "type", "enterprise", "link", "unit", "owner",
    "investment", "investment_unit", "start", "end", "planned_end", "status", "percent",
    "invested", "finished", "dropped", "note", "created_at", "updated_at",
)  # fmt: skip
PROGRESS_ROW = ("uuid", "as_of", "percent", "invested", "note", "why", "by", "created_at")
MILESTONE_ROW = ("uuid", "title", "due", "done", "created_at")
PROJECT_DAYS = ("start", "end", "planned_end", "finished", "dropped")

_LINKS = (
    "SELECT id, uuid, name, segment, state, position, note, created_at FROM chain_link "
    "WHERE chain_id = :chain"
)
_ENTERPRISE_LINKS = (
    "SELECT el.id, el.uuid, e.name, l.name, el.created_at, l.position, el.enterprise_id, "
    "el.link_id FROM enterprise_link el JOIN chain_link l ON l.id = el.link_id "
    "JOIN enterprise e ON e.id = el.enterprise_id WHERE l.chain_id = :chain"
)
_TARGETS = (
    "SELECT id, uuid, year, figure, value, unit, kind, created_at FROM target "
    "WHERE chain_id = :chain"
)
_PROJECTS = (
    'SELECT p.id, p.uuid, p."key", p.number, p.title, p.type, e.name, l.name, u.name, o.name, '
    "p.investment, p.investment_unit, p.start_on, p.end_on, p.planned_end_on, p.status, "
    "p.percent, p.invested, p.finished_on, p.dropped_on, p.note, p.created_at, p.updated_at "
    "FROM project p LEFT JOIN enterprise e ON e.id = p.enterprise_id "
    "LEFT JOIN chain_link l ON l.id = p.link_id LEFT JOIN unit u ON u.id = p.unit_id "
    "LEFT JOIN person o ON o.id = p.owner_id WHERE p.chain_id = :chain"
)
_CHANGED_SINCE = (
    " AND (p.updated_at >= :start OR p.created_at >= :start OR p.id IN "
    "(SELECT project_id FROM event WHERE at >= :start AND project_id IS NOT NULL))"
)
_OF_CHAIN = "project_id IN (SELECT id FROM project WHERE chain_id = :chain)"
_PROGRESS = (
    'SELECT project_id, id, uuid, as_of, percent, invested, note, why, "by", created_at '
    f"FROM project_progress WHERE {_OF_CHAIN} ORDER BY project_id, as_of, id"
)
_MILESTONES = (
    "SELECT project_id, id, uuid, title, due_on, done_on, created_at FROM project_milestone "
    f"WHERE {_OF_CHAIN} ORDER BY project_id, due_on, id"
)


def next_project_numbers(db: Reader) -> dict[int, int]:
    """Every chain's next project number, by chain id."""
    return {int(c): int(n) for c, n in db.rows("SELECT id, next_project_no FROM chain")}


def project_keys_by_id(db: Reader) -> dict[int, str]:
    return {int(i): key for i, key in db.rows('SELECT id, "key" FROM project')}


def event_projects(db: Reader) -> dict[str, int]:
    """The project of every event about one, by the event's uuid."""
    return {
        uuid: int(project)
        for uuid, project in db.rows(
            "SELECT uuid, project_id FROM event WHERE project_id IS NOT NULL"
        )
    }


def item_places(db: Reader, chain_id: int) -> dict[int, tuple[str | None, str | None]]:
    """The link's name and the project's key of each of a chain's items naming either,
    by item id."""
    rows = db.rows(
        'SELECT i.id, l.name, p."key" FROM item i LEFT JOIN chain_link l ON l.id = i.link_id '
        "LEFT JOIN project p ON p.id = i.project_id WHERE i.chain_id = :chain "
        "AND (i.link_id IS NOT NULL OR i.project_id IS NOT NULL)",
        {"chain": chain_id},
    )
    return {int(item): (link, project) for item, link, project in rows}


# ---- rows, for the export


def map_link_rows(db: Reader, chain_id: int) -> list[Row]:
    """A chain's links in the order of its map (position, then name): the row's id,
    then ``CHAIN_LINK_ROW``."""
    rows = db.rows(_LINKS, {"chain": chain_id})
    rows.sort(key=lambda row: (row[5], row[2]))
    return rows


def chain_enterprise_link_rows(db: Reader, chain_id: int) -> list[Row]:
    """The enterprises on a chain's links, by enterprise name, then the link's place:
    the row's id, then ``ENTERPRISE_LINK_ROW``, then the link's position, the
    enterprise's id and the link's id."""
    rows = db.rows(_ENTERPRISE_LINKS, {"chain": chain_id})
    rows.sort(key=lambda row: (row[2], row[5], row[3]))
    return rows


def chain_target_rows(db: Reader, chain_id: int) -> list[Row]:
    """A chain's targets by year, then figure: the row's id, then ``TARGET_ROW``."""
    rows = db.rows(_TARGETS, {"chain": chain_id})
    rows.sort(key=lambda row: (row[2], row[3]))
    return rows


def chain_project_rows(
    db: Reader, chain_id: int, *, since: date | None = None, zone: tzinfo = UTC
) -> list[Row]:
    """A chain's projects by number: the row's id, then ``PROJECT_ROW`` (names for the
    enterprise, link, unit and owner); with ``since``, only those created or changed on
    or after that day or with an event since then."""
    if since is None:
        return db.rows(_PROJECTS + " ORDER BY p.number", {"chain": chain_id})
    return db.rows(
        _PROJECTS + _CHANGED_SINCE + " ORDER BY p.number",
        {"chain": chain_id, "start": day_start(since, zone)},
    )


def chain_progress_rows(db: Reader, chain_id: int) -> list[Row]:
    """The progress reports of a chain's projects, by project, then the day they stand
    for, then as written (the last is the latest): the project's id, the row's id, then
    ``PROGRESS_ROW``."""
    return db.rows(_PROGRESS, {"chain": chain_id})


def chain_milestone_rows(db: Reader, chain_id: int) -> list[Row]:
    """The milestones of a chain's projects, by project, then due date, then as added:
    the project's id, the row's id, then ``MILESTONE_ROW``."""
    return db.rows(_MILESTONES, {"chain": chain_id})


# ---- records, for the merge


def map_link_records(db: Reader, chain_id: int) -> list[dict[str, Any]]:
    records = []
    for row in map_link_rows(db, chain_id):
        record: dict[str, Any] = {"_id": row[0]}
        record.update(zip(CHAIN_LINK_ROW, row[1:], strict=True))
        record["position"] = int(record["position"])
        record["created_at"] = moment(record["created_at"])
        records.append(record)
    return records


def chain_enterprise_link_records(db: Reader, chain_id: int) -> list[dict[str, Any]]:
    return [
        {
            "_id": row[0],
            "_enterprise": row[6],
            "_link": row[7],
            "uuid": row[1],
            "enterprise": row[2],
            "link": row[3],
            "created_at": moment(row[4]),
        }
        for row in chain_enterprise_link_rows(db, chain_id)
    ]


def chain_target_records(db: Reader, chain_id: int) -> list[dict[str, Any]]:
    records = []
    for row in chain_target_rows(db, chain_id):
        record: dict[str, Any] = {"_id": row[0]}
        record.update(zip(TARGET_ROW, row[1:], strict=True))
        record["year"] = int(record["year"])
        record["created_at"] = moment(record["created_at"])
        records.append(record)
    return records


def chain_project_records(db: Reader, chain_id: int) -> list[dict[str, Any]]:
    """A chain's projects by number, each with its progress reports and milestones
    (its history is the caller's to add)."""
    progress: dict[int, list[dict[str, Any]]] = {}
    for row in chain_progress_rows(db, chain_id):
        record: dict[str, Any] = {"_id": row[1]}
        record.update(zip(PROGRESS_ROW, row[2:], strict=True))
        record["as_of"] = day(record["as_of"])
        record["percent"] = int(record["percent"])
        record["created_at"] = moment(record["created_at"])
        progress.setdefault(row[0], []).append(record)
    milestones: dict[int, list[dict[str, Any]]] = {}
    for row in chain_milestone_rows(db, chain_id):
        record = {"_id": row[1]}
        record.update(zip(MILESTONE_ROW, row[2:], strict=True))
        record["due"] = day(record["due"])
        record["done"] = day_or_none(record["done"])
        record["created_at"] = moment(record["created_at"])
        milestones.setdefault(row[0], []).append(record)
    records = []
    for row in chain_project_rows(db, chain_id):
        record = {"_id": row[0]}
        record.update(zip(PROJECT_ROW, row[1:], strict=True))
        record["number"] = int(record["number"])
        record["percent"] = int(record["percent"])
        for name in PROJECT_DAYS:
            record[name] = day_or_none(record[name])
        record["created_at"] = moment(record["created_at"])
        record["updated_at"] = moment(record["updated_at"])
        record["progress"] = progress.get(row[0], [])
        record["milestones"] = milestones.get(row[0], [])
        records.append(record)
    return records


def project_event_rows(db: Reader, chain_id: int) -> list[Row]:
    """The events about a chain's projects alone (no item, no meeting), by project, then
    time: each row the project's id, then ``store.history.EVENT_ROW`` up to ``login``."""
    return db.rows(
        "SELECT e.project_id, e.uuid, e.at, e.actor, e.kind, e.meeting_id, e.person_id, "
        "e.unit_id, e.field, e.old, e.new, e.text, e.login FROM event e "
        f"WHERE e.{_OF_CHAIN} AND e.item_id IS NULL AND e.meeting_id IS NULL "
        "ORDER BY e.project_id, e.at, e.id",
        {"chain": chain_id},
    )


def project_event_records(db: Reader, chain_id: int, names: dict[int, str]) -> list[dict]:
    """The same as snapshot records (``_project`` the project's id), by time."""
    return [
        {
            "_project": row[0],
            "uuid": row[1],
            "at": moment(row[2]),
            "actor": row[3],
            "kind": row[4],
            "meeting": None,
            "project": None,
            "person": names.get(row[6]) if row[6] is not None else None,
            "field": row[8],
            "old": row[9],
            "new": row[10],
            "text": row[11],
            "login": row[12],
        }
        for row in project_event_rows(db, chain_id)
    ]


# ---- uuids, for the merge


def chain_link_uuids(db: Reader) -> set[str]:
    return {row[0] for row in db.rows("SELECT uuid FROM chain_link")}


def enterprise_link_uuids(db: Reader) -> set[str]:
    return {row[0] for row in db.rows("SELECT uuid FROM enterprise_link")}


def target_uuids(db: Reader) -> set[str]:
    return {row[0] for row in db.rows("SELECT uuid FROM target")}


def project_uuids(db: Reader) -> set[str]:
    return {row[0] for row in db.rows("SELECT uuid FROM project")}


def progress_uuids(db: Reader) -> set[str]:
    return {row[0] for row in db.rows("SELECT uuid FROM project_progress")}


def milestone_uuids(db: Reader) -> set[str]:
    return {row[0] for row in db.rows("SELECT uuid FROM project_milestone")}


def projects_by_key(db: Reader) -> dict[str, tuple[int, int]]:
    """Every stored project's id and chain id by its key."""
    return {
        key: (int(i), int(c)) for i, key, c in db.rows('SELECT id, "key", chain_id FROM project')
    }


def project_people(db: Reader, chain_id: int) -> set[int]:
    """The people a chain's projects name: their owners and the people of their events."""
    rows = db.rows(
        "SELECT owner_id FROM project WHERE chain_id = :chain AND owner_id IS NOT NULL "
        "UNION SELECT person_id FROM event WHERE person_id IS NOT NULL AND "
        f"{_OF_CHAIN}",
        {"chain": chain_id},
    )
    return {int(row[0]) for row in rows}


def chain_event_projects(db: Reader, chain_id: int) -> dict[str, str]:
    """The key of the project each event about a chain's projects is about, by the
    event's uuid."""
    return {
        uuid: key
        for uuid, key in db.rows(
            'SELECT e.uuid, p."key" FROM event e JOIN project p ON p.id = e.project_id '
            "WHERE p.chain_id = :chain",
            {"chain": chain_id},
        )
    }
