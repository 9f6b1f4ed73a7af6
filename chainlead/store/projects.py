"""Chain projects (建链/强链/补链/延链), their progress reports and milestones, as stored."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from chainlead.store.connection import Reader, day, day_or_none, moment, placeholders

# The fields ``project edit`` may change, as columns.
EDITABLE = (
    "title", "type", "enterprise_id", "link_id", "unit_id", "owner_id", "investment",
    "investment_unit", "start_on", "end_on", "note",
)  # fmt: skip


@dataclass
class ProjectRecord:
    """A project as stored."""

    id: int
    uuid: str
    key: str
    chain_id: int
    number: int
    title: str
    type: str
    enterprise_id: int | None
    link_id: int | None
    unit_id: int | None
    owner_id: int | None
    investment: str | None
    investment_unit: str | None
    start_on: date
    end_on: date
    planned_end_on: date
    status: str
    percent: int
    invested: str | None
    finished_on: date | None
    dropped_on: date | None
    note: str | None
    created_at: datetime
    updated_at: datetime


_COLUMNS = (
    'id, uuid, "key", chain_id, number, title, type, enterprise_id, link_id, unit_id, owner_id, '
    "investment, investment_unit, start_on, end_on, planned_end_on, status, percent, invested, "
    "finished_on, dropped_on, note, created_at, updated_at"
)
_SELECT = f"SELECT {_COLUMNS} FROM project"


def _record(row: Sequence[object]) -> ProjectRecord:
    found = ProjectRecord(*row)  # type: ignore[arg-type]
    found.id = int(found.id)
    found.percent = int(found.percent)
    found.start_on = day(found.start_on)
    found.end_on = day(found.end_on)
    found.planned_end_on = day(found.planned_end_on)
    found.finished_on = day_or_none(found.finished_on)
    found.dropped_on = day_or_none(found.dropped_on)
    found.created_at = moment(found.created_at)
    found.updated_at = moment(found.updated_at)
    return found


def project_by_key(db: Reader, key: str, *, for_update: bool = False) -> ProjectRecord | None:
    """The project with this key (``IC-P1``), locked on PostgreSQL when asked."""
    lock = " FOR UPDATE" if for_update and not db.sqlite else ""
    rows = db.rows(_SELECT + ' WHERE "key" = :key' + lock, {"key": key})
    return _record(rows[0]) if rows else None


def project_by_id(db: Reader, project_id: int) -> ProjectRecord:
    return _record(db.rows(_SELECT + " WHERE id = :id", {"id": project_id})[0])


def project_keys(db: Reader, chain_id: int) -> list[str]:
    """A chain's project keys, by number."""
    rows = db.rows('SELECT "key" FROM project WHERE chain_id = :c ORDER BY number', {"c": chain_id})
    return [row[0] for row in rows]


def take_project_number(db: Reader, chain_id: int) -> int:
    """The chain's next project number, never handed out again (the chain row is
    already locked by ``lock_chain``)."""
    number = int(
        db.rows("SELECT next_project_no FROM chain WHERE id = :id", {"id": chain_id})[0][0]
    )
    db.execute(
        "UPDATE chain SET next_project_no = :next WHERE id = :id",
        {"next": number + 1, "id": chain_id},
    )
    return number


def insert_project(db: Reader, **values: object) -> int:
    """Store a new project (every column but ``id`` and ``uuid``); its id."""
    names = list(values)
    columns = ", ".join('"key"' if n == "key" else n for n in names)
    params = ", ".join(f":{n}" for n in names)
    return db.insert(
        f"INSERT INTO project (uuid, {columns}) VALUES (:uuid, {params}) RETURNING id",
        {"uuid": str(uuid.uuid4()), **values},
    )


def update_project(db: Reader, project_id: int, **values: object) -> None:
    """Store changed columns of a project."""
    assigned = ", ".join(f"{name} = :{name}" for name in values)
    db.execute(f"UPDATE project SET {assigned} WHERE id = :id", {**values, "id": project_id})


# ---- what a list shows


@dataclass(frozen=True)
class ProjectListed:
    """A project with the names it points at: what lists and reports read."""

    record: ProjectRecord
    chain: str  # the chain's code
    enterprise: str | None
    link: str | None
    unit: str | None
    owner: str | None


def listed_projects(
    db: Reader,
    *,
    chain_id: int | None = None,
    type: str | None = None,
    statuses: Sequence[str] | None = None,
) -> list[ProjectListed]:
    """Projects with their names, by chain code and number: one query."""
    where: list[str] = []
    params: dict[str, object] = {}
    if chain_id is not None:
        where.append("p.chain_id = :chain")
        params["chain"] = chain_id
    if type is not None:
        where.append("p.type = :type")
        params["type"] = type
    if statuses:
        within, more = placeholders("s", statuses)
        where.append(f"p.status IN {within}")
        params.update(more)
    columns = ", ".join(f"p.{c.strip()}" for c in _COLUMNS.split(","))
    rows = db.rows(
        f"SELECT {columns}, c.code, e.name, l.name, u.name, o.name FROM project p "
        "JOIN chain c ON c.id = p.chain_id LEFT JOIN enterprise e ON e.id = p.enterprise_id "
        "LEFT JOIN chain_link l ON l.id = p.link_id LEFT JOIN unit u ON u.id = p.unit_id "
        "LEFT JOIN person o ON o.id = p.owner_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY c.code, p.number",
        params,
    )
    width = len(_COLUMNS.split(","))
    return [ProjectListed(_record(row[:width]), *row[width:]) for row in rows]


# ---- progress


@dataclass(frozen=True)
class ProgressRecord:
    """One progress report of a project."""

    id: int
    project_id: int
    as_of: date
    percent: int
    invested: str | None
    note: str | None
    why: str | None
    by: str
    created_at: datetime


_PROGRESS = (
    'SELECT id, project_id, as_of, percent, invested, note, why, "by", created_at '
    "FROM project_progress"
)


def _progress(row: Sequence[object]) -> ProgressRecord:
    return ProgressRecord(
        int(row[0]),  # type: ignore[arg-type]
        int(row[1]),  # type: ignore[arg-type]
        day(row[2]),
        int(row[3]),  # type: ignore[arg-type]
        row[4],  # type: ignore[arg-type]
        row[5],  # type: ignore[arg-type]
        row[6],  # type: ignore[arg-type]
        row[7],  # type: ignore[arg-type]
        moment(row[8]),
    )


def progress_of(db: Reader, project_id: int) -> list[ProgressRecord]:
    """A project's progress reports, oldest first (by the day they stand for, then as
    written): the last is the latest."""
    rows = db.rows(_PROGRESS + " WHERE project_id = :p ORDER BY as_of, id", {"p": project_id})
    return [_progress(row) for row in rows]


def every_progress(db: Reader, project_ids: Sequence[int] | None = None) -> dict[int, list]:
    """Every project's progress reports by project id, oldest first (the report's lights
    as of a day)."""
    rows = db.rows(_PROGRESS + " ORDER BY project_id, as_of, id")
    found: dict[int, list[ProgressRecord]] = {}
    wanted = None if project_ids is None else set(project_ids)
    for row in rows:
        record = _progress(row)
        if wanted is None or record.project_id in wanted:
            found.setdefault(record.project_id, []).append(record)
    return found


def insert_progress(
    db: Reader,
    *,
    project_id: int,
    as_of: date,
    percent: int,
    invested: str | None,
    note: str | None,
    why: str | None,
    by: str,
    at: datetime,
) -> int:
    return db.insert(
        "INSERT INTO project_progress (uuid, project_id, as_of, percent, invested, note, why, "
        '"by", created_at) VALUES (:uuid, :p, :as_of, :percent, :invested, :note, :why, :by, '
        ":at) RETURNING id",
        {
            "uuid": str(uuid.uuid4()),
            "p": project_id,
            "as_of": as_of,
            "percent": percent,
            "invested": invested,
            "note": note,
            "why": why,
            "by": by,
            "at": at,
        },
    )


# ---- milestones


@dataclass(frozen=True)
class MilestoneRecord:
    """A milestone (节点) of a project's plan."""

    id: int
    project_id: int
    title: str
    due_on: date
    done_on: date | None
    created_at: datetime


_MILESTONES = "SELECT id, project_id, title, due_on, done_on, created_at FROM project_milestone"


def _milestone(row: Sequence[object]) -> MilestoneRecord:
    return MilestoneRecord(
        int(row[0]),  # type: ignore[arg-type]
        int(row[1]),  # type: ignore[arg-type]
        row[2],  # type: ignore[arg-type]
        day(row[3]),
        day_or_none(row[4]),
        moment(row[5]),
    )


def milestones_of(db: Reader, project_id: int) -> list[MilestoneRecord]:
    """A project's milestones, by due date."""
    rows = db.rows(_MILESTONES + " WHERE project_id = :p ORDER BY due_on, id", {"p": project_id})
    return [_milestone(row) for row in rows]


def every_milestone(db: Reader) -> dict[int, list[MilestoneRecord]]:
    """Every project's milestones by project id, by due date."""
    found: dict[int, list[MilestoneRecord]] = {}
    for row in db.rows(_MILESTONES + " ORDER BY project_id, due_on, id"):
        record = _milestone(row)
        found.setdefault(record.project_id, []).append(record)
    return found


def insert_milestone(
    db: Reader, *, project_id: int, title: str, due_on: date, done_on: date | None, at: datetime
) -> int:
    return db.insert(
        "INSERT INTO project_milestone (uuid, project_id, title, due_on, done_on, created_at) "
        "VALUES (:uuid, :p, :title, :due, :done, :at) RETURNING id",
        {
            "uuid": str(uuid.uuid4()),
            "p": project_id,
            "title": title,
            "due": due_on,
            "done": done_on,
            "at": at,
        },
    )


def set_milestone_done(db: Reader, milestone_id: int, done_on: date) -> None:
    db.execute(
        "UPDATE project_milestone SET done_on = :done WHERE id = :id",
        {"done": done_on, "id": milestone_id},
    )


# ---- items and history


def item_keys_of(db: Reader, project_id: int) -> list[str]:
    """The keys of the items a project raised, by number."""
    rows = db.rows(
        'SELECT "key" FROM item WHERE project_id = :p ORDER BY number', {"p": project_id}
    )
    return [row[0] for row in rows]


def set_item_project(db: Reader, item_id: int, project_id: int | None) -> None:
    """Record that an item was raised by a project."""
    db.execute("UPDATE item SET project_id = :p WHERE id = :id", {"p": project_id, "id": item_id})


@dataclass(frozen=True)
class ProjectEvent:
    """One entry of a project's history, oldest first."""

    at: datetime
    actor: str
    kind: str
    field: str | None
    old: str | None
    new: str | None
    text: str | None
    item: str | None  # the key of an item the project raised (its ``created`` event)


def project_events(db: Reader, project_id: int) -> list[ProjectEvent]:
    return [
        ProjectEvent(moment(at), actor, kind, field, old, new, text, item)
        for at, actor, kind, field, old, new, text, item in db.rows(
            'SELECT e.at, e.actor, e.kind, e.field, e.old, e.new, e.text, i."key" FROM event e '
            "LEFT JOIN item i ON i.id = e.item_id WHERE e.project_id = :p ORDER BY e.at, e.id",
            {"p": project_id},
        )
    ]


# ---- db check


def project_check_rows(db: Reader) -> list[tuple]:
    """Every project with what ``db check`` compares: (key, chain code, number, the
    chain's next project number, percent, invested, the link's chain id or None, the
    project's chain id, status)."""
    return db.rows(
        'SELECT p."key", c.code, p.number, c.next_project_no, p.percent, p.invested, '
        "l.chain_id, p.chain_id, p.status, p.id FROM project p "
        "JOIN chain c ON c.id = p.chain_id LEFT JOIN chain_link l ON l.id = p.link_id "
        "ORDER BY c.code, p.number"
    )


def items_off_their_project_chain(db: Reader) -> list[tuple[str, str]]:
    """Items whose project is on another chain: (item key, project key)."""
    return db.rows(
        'SELECT i."key", p."key" FROM item i JOIN project p ON p.id = i.project_id '
        "WHERE p.chain_id <> i.chain_id ORDER BY i.chain_id, i.number"
    )


def project_key_of_item(db: Reader, item_id: int) -> str | None:
    """The key of the chain project that raised an item, or None."""
    rows = db.rows(
        'SELECT p."key" FROM project p JOIN item i ON i.project_id = p.id WHERE i.id = :id',
        {"id": item_id},
    )
    return str(rows[0][0]) if rows else None
