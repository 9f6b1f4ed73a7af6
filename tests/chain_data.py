"""The chain itself, for tests: a chain's map (links, the enterprises on them), its
projects (progress reports, milestones, history), its annual targets and items pointing
at links and projects, written as rows through the database connection in the
schema-0007 tables (plain SQL, whatever the commands that make them do).

``add_chain_map`` puts them on the snapshot test district (``snapshot_data``):
IC gets three links (one missing, one with a note), three placements on them, two
targets, a project under way with two progress reports, two milestones and its events,
a dropped project (its number 2 never used: ``next_project_no`` is 4), items on a link
and on projects, an item event and a meeting event about a project; BIO a link, a
target and a finished project.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from chainlead.store.connection import Reader
from chainlead.store.database import Database
from chainlead.store.history import insert_event

FAB = "晶圆制造"
PACKAGING = "封装测试 'A'"
DEVICES = "终端应用"


def insert(db: Reader, table: str, **values: object) -> int:
    """One row (its uuid drawn when not given); its id."""
    values = {"uuid": str(uuid.uuid4()), **values}
    columns = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join(f":{name}" for name in values)
    return db.insert(f'INSERT INTO "{table}" ({columns}) VALUES ({marks}) RETURNING id', values)


def id_of(db: Reader, table: str, column: str, value: object) -> int:
    return int(db.rows(f'SELECT id FROM "{table}" WHERE "{column}" = :v', {"v": value})[0][0])


def add_link(
    db: Reader, chain: str, name: str, segment: str, *, state: str = "strong",
    position: int = 1, note: str | None = None, at: datetime,
) -> int:  # fmt: skip
    return insert(
        db, "chain_link", chain_id=id_of(db, "chain", "code", chain), name=name,
        segment=segment, state=state, position=position, note=note, created_at=at,
    )  # fmt: skip


def place(db: Reader, enterprise: str, link: int, *, at: datetime) -> int:
    return insert(
        db, "enterprise_link", enterprise_id=id_of(db, "enterprise", "name", enterprise),
        link_id=link, created_at=at,
    )  # fmt: skip


def add_target(
    db: Reader, chain: str, year: int, figure: str, value: str, *, unit: str | None = None,
    kind: str = "sum", at: datetime,
) -> int:  # fmt: skip
    return insert(
        db, "target", chain_id=id_of(db, "chain", "code", chain), year=year, figure=figure,
        value=value, unit=unit, kind=kind, created_at=at,
    )  # fmt: skip


def add_project(db: Reader, chain: str, number: int, **values: object) -> int:
    """A project ``<chain>-P<number>``; ``values`` are its columns (percent 0 and no
    investment unless given)."""
    row: dict[str, object] = {
        "key": f"{chain}-P{number}",
        "chain_id": id_of(db, "chain", "code", chain),
        "number": number,
        "percent": 0,
        "status": "active",
        "enterprise_id": None,
        "link_id": None,
        "unit_id": None,
        "owner_id": None,
        "investment": None,
        "investment_unit": None,
        "invested": None,
        "finished_on": None,
        "dropped_on": None,
        "note": None,
        **values,
    }
    row.setdefault("planned_end_on", row["end_on"])
    row.setdefault("updated_at", row["created_at"])
    return insert(db, "project", **row)


def report(
    db: Reader, project: int, as_of: date, percent: int, *, invested: str | None = None,
    note: str | None = None, why: str | None = None, by: str = "Zhang Wei", at: datetime,
) -> int:  # fmt: skip
    """A progress report; the project's percent and invested follow it."""
    db.execute(
        "UPDATE project SET percent = :p, invested = :i, updated_at = :at WHERE id = :id",
        {"p": percent, "i": invested, "at": at, "id": project},
    )
    return insert(
        db, "project_progress", project_id=project, as_of=as_of, percent=percent,
        invested=invested, note=note, why=why, by=by, created_at=at,
    )  # fmt: skip


def milestone(
    db: Reader, project: int, title: str, due: date, *, done: date | None = None, at: datetime
) -> int:
    return insert(
        db, "project_milestone", project_id=project, title=title, due_on=due, done_on=done,
        created_at=at,
    )  # fmt: skip


def event(db: Reader, kind: str, *, at: datetime, **values: object) -> int:
    row: dict[str, object] = {
        "chain_id": None, "item_id": None, "meeting_id": None, "person_id": None,
        "unit_id": None, "project_id": None, "field": None, "old": None, "new": None,
        "text": None, **values,
    }  # fmt: skip
    # through the history's writer: chained after the head like any event
    return insert_event(db, {"at": at, "actor": "Zhang Wei", "kind": kind, **row})


def on(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, datetime.min.time()).replace(hour=hour)


def chain_map(db: Reader) -> None:
    """The map, projects and targets of the test district (see the module's docstring)."""
    from snapshot_data import FIRST, SECOND

    ic = id_of(db, "chain", "code", "IC")
    oct1 = on(date(2026, 10, 1))
    fab = add_link(db, "IC", FAB, "upstream", at=oct1)
    packaging = add_link(
        db, "IC", PACKAGING, "midstream", state="weak", position=2,
        note="产能不足\n待扩产", at=on(date(2026, 10, 1), 10),
    )  # fmt: skip
    add_link(db, "IC", DEVICES, "downstream", state="missing", position=3, at=oct1)
    place(db, FIRST, fab, at=oct1)
    place(db, FIRST, packaging, at=oct1)
    place(db, SECOND, packaging, at=on(date(2026, 10, 2)))
    add_target(db, "IC", 2026, "output_value", "180", unit="亿元", kind="latest", at=oct1)
    add_target(db, "IC", 2026, "new_projects", "12", at=oct1)

    wang = id_of(db, "person", "name", "Wang Fang")
    wafer = add_project(
        db, "IC", 1, title="12英寸晶圆二期", type="strengthen",
        enterprise_id=id_of(db, "enterprise", "name", FIRST), link_id=fab,
        unit_id=id_of(db, "unit", "name", "District Development and Reform Bureau"),
        owner_id=wang, investment="45", investment_unit="亿元", start_on=date(2026, 3, 1),
        end_on=date(2027, 6, 30), planned_end_on=date(2027, 3, 31),
        note="第一期已投产\n'二期' 在建", created_at=oct1,
    )  # fmt: skip
    event(db, "project_added", at=oct1, chain_id=ic, project_id=wafer, person_id=wang,
          new="IC-P1", text="12英寸晶圆二期")  # fmt: skip
    report(db, wafer, date(2026, 6, 30), 20, invested="5", note="桩基完成",
           at=on(date(2026, 10, 1), 10))  # fmt: skip
    event(db, "progress", at=on(date(2026, 10, 1), 10), chain_id=ic, project_id=wafer,
          field="percent", old="0", new="20")  # fmt: skip
    report(db, wafer, date(2026, 9, 30), 40, invested="12.5", note="主体结构封顶 'ok'",
           at=on(date(2026, 10, 10)))  # fmt: skip
    event(db, "progress", at=on(date(2026, 10, 10)), chain_id=ic, project_id=wafer,
          field="percent", old="20", new="40")  # fmt: skip
    event(db, "edited", at=on(date(2026, 10, 11)), chain_id=ic, project_id=wafer,
          field="end_on", old="2027-03-31", new="2027-06-30", text="设备延期")  # fmt: skip
    milestone(db, wafer, "主体结构封顶", date(2026, 9, 30), done=date(2026, 9, 28), at=oct1)
    milestone(db, wafer, "设备搬入", date(2027, 1, 31), at=oct1)
    dropped = add_project(
        db, "IC", 3, title="封测扩产", type="fill", link_id=packaging,
        start_on=date(2026, 7, 1), end_on=date(2027, 12, 31), status="dropped",
        dropped_on=date(2026, 10, 15), note="资金未落实", created_at=on(date(2026, 10, 2)),
        updated_at=on(date(2026, 10, 15)),
    )  # fmt: skip
    event(db, "dropped", at=on(date(2026, 10, 15)), chain_id=ic, project_id=dropped,
          field="status", old="active", new="dropped", text="资金未落实")  # fmt: skip
    db.execute("UPDATE chain SET next_project_no = 4 WHERE id = :id", {"id": ic})

    items = {key: id_of(db, "item", "key", key) for key in ("IC-1", "IC-2", "IC-3")}
    db.execute(
        "UPDATE item SET link_id = :l, project_id = :p WHERE id = :id",
        {"l": fab, "p": wafer, "id": items["IC-1"]},
    )
    db.execute("UPDATE item SET link_id = :l WHERE id = :id", {"l": packaging, "id": items["IC-2"]})
    db.execute(
        "UPDATE item SET project_id = :p WHERE id = :id", {"p": dropped, "id": items["IC-3"]}
    )
    event(db, "project_linked", at=on(date(2026, 10, 5)), chain_id=ic, item_id=items["IC-1"],
          project_id=wafer, text="IC-P1")  # fmt: skip
    event(db, "discussed", at=on(date(2026, 10, 6)), chain_id=ic,
          meeting_id=id_of(db, "meeting", "key", "IC-M1"), project_id=wafer,
          text="二期进度")  # fmt: skip

    bio = id_of(db, "chain", "code", "BIO")
    apis = add_link(db, "BIO", "原料药", "upstream", at=oct1)
    add_target(db, "BIO", 2026, "output_value", "50.5", unit="亿元", kind="latest", at=oct1)
    base = add_project(
        db, "BIO", 1, title="原料药基地", type="build", link_id=apis,
        owner_id=id_of(db, "person", "name", "Chen Hua"), start_on=date(2025, 1, 1),
        end_on=date(2026, 10, 20), status="finished", finished_on=date(2026, 10, 20),
        created_at=oct1,
    )  # fmt: skip
    report(db, base, date(2026, 10, 20), 100, invested="8", why="补报", by="Chen Hua",
           at=on(date(2026, 10, 20)))  # fmt: skip
    db.execute("UPDATE chain SET next_project_no = 2 WHERE id = :id", {"id": bio})


def add_chain_map(database: Database) -> None:
    """``chain_map`` in one transaction."""
    with database.transaction(write=True) as db:
        chain_map(db)
