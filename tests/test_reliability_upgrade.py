"""Old databases: every earlier schema revision upgrades with all its records.

For each revision before the newest, a database is built by migrating a new
one down to it (``chainlead.store.database.downgrade``), filled with data written in that
revision's own terms (``FILL``: plain SQL, so it keeps working after the
models move on), and upgraded with ``chainlead db upgrade``. Every row must
still be there with the same values in every column it had, the automatic
backup must exist (owner-only), and commands run on the old database before
the upgrade must say in one line what to run.

A new migration needs a ``FILL`` entry for the revision it starts from;
``test_every_revision_has_fill_data`` fails until it has one. After the
upgrade the database must have exactly the schema of a new one (the models).

``test_upgrade_machinery_*`` also runs the same steps against a test-only next
revision (``9001``, never shipped) that rebuilds the ``person`` table the way
SQLite migrations must (copy, drop, rename) with history, items and
memberships pointing at it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from helpers import assert_refused
from sqlalchemy import Connection, MetaData, select, text
from sqlmodel import SQLModel
from typer.testing import CliRunner, Result

import chainlead.domain.checks
import chainlead.migrations
import chainlead.models  # noqa: F401  (registers the tables)
import chainlead.store.database
import chainlead.store.target
from chainlead.cli import app
from chainlead.migrations import HEAD, REVISIONS
from chainlead.store.database import downgrade, open_database
from chainlead.store.search import is_index_table

runner = CliRunner()

AT = datetime(2026, 3, 2, 8, 15)


def fill_0001(
    conn: Connection, *, units: bool = False, loop: bool = False, enterprises: bool = False
) -> None:
    """Every table of revision 0001, with the awkward values real data has (from 0004,
    ``units``: the items' institution as a unit record too; from 0005, ``loop``: the
    items' clock columns, assignments and an extension; from 0006, ``enterprises``:
    the registry, the items' links, a follow-up and an item's sheet reference)."""

    def insert(table: str, **values: object) -> None:
        columns = ", ".join(values)
        marks = ", ".join(f":{k}" for k in values)
        conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)

    people = ["李明", "Zhang Wei", "Wang Fang", "O'Brien \u202eRTL", "Chen Jie"]
    for n, name in enumerate(people, start=1):
        unit = "区发改局" if n == 1 else None
        insert("person", id=n, uuid=f"00000000-0000-4000-8000-00000000000{n}", name=name,
               unit=unit, title=None, contact=None, created_at=AT)  # fmt: skip
    insert("chain", id=1, uuid="10000000-0000-4000-8000-000000000001", code="IC",
           name="集成电路 Integrated circuits", description="line one\nline two", status="active",
           created_at=AT, archived_on=None, next_item_no=3, next_meeting_no=2)  # fmt: skip
    insert("chain", id=2, uuid="10000000-0000-4000-8000-000000000002", code="OLD",
           name="Archived chain", description=None, status="archived", created_at=AT,
           archived_on=date(2026, 4, 1), next_item_no=1, next_meeting_no=1)  # fmt: skip
    roles = [(1, 1, "leader", None), (1, 2, "responsible", None), (1, 3, "member", None),
             (1, 5, "leader", date(2026, 2, 1)), (2, 4, "leader", date(2026, 4, 1))]  # fmt: skip
    for n, (chain, person, role, until) in enumerate(roles, start=1):
        insert("membership", id=n, uuid=f"20000000-0000-4000-8000-00000000000{n}",
               chain_id=chain, person_id=person, role=role, since=date(2026, 1, 5),
               until=until)  # fmt: skip
    insert("meeting", id=1, uuid="30000000-0000-4000-8000-000000000001", key="IC-M1",
           chain_id=1, number=1, kind="scheduling", month="2026-03", held_on=date(2026, 3, 2),
           chair_id=1, summary="Power capacity; 用地", created_at=AT)  # fmt: skip
    insert("meeting_attendee", id=1, uuid="31000000-0000-4000-8000-000000000001",
           meeting_id=1, position=1, name="Wang Fang")  # fmt: skip
    insert("meeting_decision", id=1, uuid="32000000-0000-4000-8000-000000000001",
           meeting_id=1, position=1, text="Ask the grid company for a second line")  # fmt: skip
    insert("meeting_figure", id=1, uuid="33000000-0000-4000-8000-000000000001",
           meeting_id=1, name="output", value="12345678901234.5678", unit="万元")  # fmt: skip
    linked: dict[str, object] = {}
    if units:
        insert("unit", id=1, uuid="70000000-0000-4000-8000-000000000001",
               name="District Bureau", short="区局", kind="bureau",
               contact="025-1234 ext. 5", created_at=AT)  # fmt: skip
        insert("unit", id=2, uuid="70000000-0000-4000-8000-000000000002",
               name="区发展和改革委员会", short=None, kind="other", contact=None,
               created_at=AT)  # fmt: skip
        linked = {"unit_id": 1}
    if enterprises:
        insert("enterprise", id=1, uuid="a0000000-0000-4000-8000-000000000001", name="NARI",
               short="南瑞", credit_code=None, contact="025-8888",
               park="江宁开发区", above_scale=True, created_at=AT)  # fmt: skip
        insert("enterprise", id=2, uuid="a0000000-0000-4000-8000-000000000002",
               name="Ｆｕｌｌ-width 企业", short=None, credit_code=None, contact=None, park=None,
               above_scale=False, created_at=AT)  # fmt: skip
        insert("enterprise_chain", id=1, uuid="a1000000-0000-4000-8000-000000000001",
               enterprise_id=1, chain_id=1, segment="midstream", lead=True,
               created_at=AT)  # fmt: skip
        insert("enterprise_chain", id=2, uuid="a1000000-0000-4000-8000-000000000002",
               enterprise_id=2, chain_id=1, segment=None, lead=False,
               created_at=AT)  # fmt: skip
    for n, status in ((1, "open"), (2, "resolved")):
        if loop:
            linked = {**linked, "original_due_on": date(2026, 5, 31),
                      "clock_due": date(2026, 6, 30), "level": n, "urge_count": 2 - n}  # fmt: skip
        insert("item", **linked, id=n, uuid=f"40000000-0000-4000-8000-00000000000{n}",
               key=f"IC-{n}",
               chain_id=1, number=n, title=f"Problem {n}: 电力容量", detail=None,
               enterprise="NARI", source="scheduling", category=None, priority="high",
               unit="District Bureau", owner_id=3, raised_on=date(2026, 3, 2),
               due_on=date(2026, 6, 30), status=status,
               resolution="Second line built" if status == "resolved" else None,
               resolved_on=date(2026, 5, 1) if status == "resolved" else None, closed_on=None,
               status_reason=None, created_at=AT, updated_at=AT,
               **({"reference": f"JN-{n:03d}"} if enterprises else {}))  # fmt: skip
    if enterprises:
        for n, (item, enterprise) in enumerate(((1, 1), (2, 1), (2, 2)), start=1):
            insert("item_enterprise", id=n, uuid=f"a2000000-0000-4000-8000-00000000000{n}",
                   item_id=item, enterprise_id=enterprise, position=1 if n < 3 else 2,
                   created_at=AT)  # fmt: skip
        insert("follow_up", id=1, uuid="a3000000-0000-4000-8000-000000000001", item_id=2,
               enterprise_id=1, result="basically_satisfied", by_id=2, note="回访：基本满意",
               asked_on=date(2026, 5, 2), reopened_on=None, created_at=AT)  # fmt: skip
    insert("meeting_item", id=1, uuid="50000000-0000-4000-8000-000000000001", meeting_id=1,
           item_id=1, relation="raised")  # fmt: skip
    if loop:
        for n, (unit, role, state) in enumerate(
            ((1, "lead", "received"), (2, "co", "returned"), (1, "lead", "reported")), start=1
        ):
            insert("assignment", id=n, uuid=f"80000000-0000-4000-8000-00000000000{n}",
                   item_id=1 if n < 3 else 2, unit_id=unit, role=role, owner_id=3, state=state,
                   assigned_on=date(2026, 3, 2), due_on=date(2026, 6, 30),
                   received_on=date(2026, 3, 3), reported_on=None, report=None,
                   ended_on=date(2026, 3, 4) if state == "returned" else None,
                   end_reason="不属于我单位职责" if state == "returned" else None,
                   suggested=None, created_at=AT, updated_at=AT)  # fmt: skip
        insert("extension", id=1, uuid="90000000-0000-4000-8000-000000000001", item_id=1,
               unit_id=1, kind="request", state="approved", requested_on=date(2026, 5, 20),
               requested_by="tester", from_due=date(2026, 5, 31), to_due=date(2026, 6, 30),
               why="等待省级批复", decided_on=date(2026, 5, 21), decided_by_id=2,
               decision_note=None, created_at=AT, updated_at=AT)  # fmt: skip
    events = [
        dict(kind="created", chain_id=1, item_id=None, new="IC", text="集成电路"),
        dict(kind="created", chain_id=1, item_id=1, new="open", text="Problem 1"),
        dict(kind="created", chain_id=1, item_id=2, new="open", text="Problem 2"),
        dict(
            kind="resolved",
            chain_id=1,
            item_id=2,
            field="status",
            old="open",
            new="resolved",
            text="Second line built",
        ),  # fmt: skip
        dict(kind="note", chain_id=1, item_id=1, text="tab\there, NUL-free, 100% \\ text"),
        dict(
            kind="edited",
            chain_id=1,
            item_id=1,
            field="due_on",
            old="2026-05-31",
            new="2026-06-30",
            text="等待省级批复",
        ),  # fmt: skip
        dict(kind="linked", chain_id=1, item_id=1, meeting_id=1, field="raised", text="IC-M1"),
    ]
    if loop:  # the assignments' states and the items' levels, as their history has them
        events += [
            dict(kind="assigned", chain_id=1, item_id=item, unit_id=unit, field=role, new=state)
            for item, unit, role, state in (
                (1, 1, "lead", "received"), (1, 2, "co", "returned"), (2, 1, "lead", "reported")
            )
        ] + [
            dict(kind="level", chain_id=1, item_id=n, field="level", old="0", new=str(n))
            for n in (1, 2)
        ]  # fmt: skip
    for n, event in enumerate(events, start=1):
        event = {"field": None, "old": None, "new": None, "meeting_id": None, **event}
        insert("event", id=n, uuid=f"60000000-0000-4000-8000-{n:012d}", at=AT,
               actor="tester", person_id=None, **event)  # fmt: skip
    if conn.dialect.name == "postgresql":  # ids were given: move the sequences on
        tables = ("person", "chain", *(("unit",) if units else ()), "membership", "meeting",
                  "meeting_attendee", "meeting_decision", "meeting_figure", "item", "meeting_item",
                  "event", *(("assignment", "extension") if loop else ()),
                  *(("enterprise", "enterprise_chain", "item_enterprise", "follow_up")
                    if enterprises else ()))  # fmt: skip
        for table in tables:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )  # fmt: skip
            )


def fill_0007(conn: Connection) -> None:
    """0006's data, and the chain itself: IC's map (a link, an enterprise on it), a
    project on that link with a progress report, a milestone and an event, an annual
    target, and an item pointing at the link and the project."""
    fill_0001(conn, units=True, loop=True, enterprises=True)

    def insert(table: str, **values: object) -> None:
        columns = ", ".join(f'"{k}"' for k in values)
        marks = ", ".join(f":{k}" for k in values)
        conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)

    insert("chain_link", id=1, uuid="b0000000-0000-4000-8000-000000000001", chain_id=1,
           name="晶圆制造 'fab'", segment="upstream", state="weak", position=1,
           note="缺12英寸产线\n待引进", created_at=AT)  # fmt: skip
    insert("enterprise_link", id=1, uuid="b1000000-0000-4000-8000-000000000001",
           enterprise_id=1, link_id=1, created_at=AT)  # fmt: skip
    insert("project", id=1, uuid="b2000000-0000-4000-8000-000000000001", key="IC-P1",
           chain_id=1, number=1, title="12英寸晶圆二期", type="strengthen", enterprise_id=1,
           link_id=1, unit_id=1, owner_id=3, investment="45", investment_unit="亿元",
           start_on=date(2026, 3, 1), end_on=date(2027, 6, 30),
           planned_end_on=date(2027, 3, 31), status="active", percent=40, invested="12.5",
           finished_on=None, dropped_on=None, note=None, created_at=AT,
           updated_at=AT)  # fmt: skip
    insert("project_progress", id=1, uuid="b3000000-0000-4000-8000-000000000001",
           project_id=1, as_of=date(2026, 3, 2), percent=40, invested="12.5",
           note="主体结构封顶", why=None, by="tester", created_at=AT)  # fmt: skip
    insert("project_milestone", id=1, uuid="b4000000-0000-4000-8000-000000000001",
           project_id=1, title="主体结构封顶", due_on=date(2026, 9, 30), done_on=None,
           created_at=AT)  # fmt: skip
    insert("target", id=1, uuid="b5000000-0000-4000-8000-000000000001", chain_id=1,
           year=2026, figure="output_value", value="180", unit="亿元", kind="latest",
           created_at=AT)  # fmt: skip
    insert("event", id=100, uuid="b6000000-0000-4000-8000-000000000001", at=AT, actor="tester",
           kind="project_added", chain_id=1, item_id=None, meeting_id=None, person_id=None,
           unit_id=None, project_id=1, field=None, old=None, new="IC-P1",
           text="12英寸晶圆二期")  # fmt: skip
    conn.execute(text("UPDATE chain SET next_project_no = 2 WHERE id = 1"))
    conn.execute(text("UPDATE item SET link_id = 1, project_id = 1 WHERE id = 1"))
    if conn.dialect.name == "postgresql":  # ids were given: move the sequences on
        for table in ("chain_link", "enterprise_link", "project", "project_progress",
                      "project_milestone", "target", "event"):  # fmt: skip
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )  # fmt: skip
            )


def fill_0008(conn: Connection) -> None:
    fill_0007(conn)
    conn.execute(text("INSERT INTO meta (id, name, value) VALUES (1, 'district', '江宁区')"))


def fill_0009(conn: Connection) -> None:
    """0008's data: the search index is filled by the upgrade and the triggers."""
    fill_0008(conn)


def fill_0010(conn: Connection) -> None:
    """0009's data and a change set with the rows it touched (for ``undo``)."""
    fill_0009(conn)
    insert = "INSERT INTO change_set (id, uuid, at, actor, command, kind) VALUES "
    conn.execute(
        text(insert + "(1, 'c1000000-0000-4000-8000-000000000001', :at, '王芳', "
             "'chainlead bottleneck note IC-1 已联系', 'command')"),
        {"at": AT},
    )  # fmt: skip
    conn.execute(
        text(
            "INSERT INTO change_row (id, change_id, tbl, row_id, op, image) VALUES "
            "(1, 1, 'event', 100, 'insert', NULL), "
            "(2, 1, 'item', 1, 'update', '{\"id\": 1, \"title\": \"旧标题\"}')"
        )
    )
    if conn.dialect.name == "postgresql":
        for table in ("change_set", "change_row"):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )


def fill_0011(conn: Connection) -> None:
    """0010's data, its history hashed in id order as chainlead would have written it
    (the guard set aside for the update, as the migration does) and the head on its
    last event."""
    from chainlead.domain.seals import ZERO, EventContent, link

    fill_0010(conn)
    sqlite = conn.dialect.name == "sqlite"
    rows = conn.execute(
        text(
            "SELECT e.id, e.uuid, e.at, e.actor, e.login, e.kind, e.field, e.old, e.new, "
            "e.text, (SELECT uuid FROM chain WHERE id = e.chain_id), "
            "(SELECT uuid FROM item WHERE id = e.item_id), "
            "(SELECT uuid FROM meeting WHERE id = e.meeting_id), "
            "(SELECT uuid FROM person WHERE id = e.person_id), "
            "(SELECT uuid FROM unit WHERE id = e.unit_id), "
            "(SELECT uuid FROM project WHERE id = e.project_id) FROM event e ORDER BY e.id"
        )
    ).all()
    conn.execute(
        text(
            "DROP TRIGGER event_no_update"
            if sqlite
            else "ALTER TABLE event DISABLE TRIGGER event_append_only"
        )
    )
    previous, last = ZERO, None
    for row in rows:
        at = datetime.fromisoformat(row[2]) if isinstance(row[2], str) else row[2]
        previous, last = link(previous, EventContent(row[1], at, *row[3:])), row[0]
        conn.execute(
            text("UPDATE event SET hash = :hash WHERE id = :id"), {"hash": previous, "id": last}
        )
    conn.execute(
        text(
            "CREATE TRIGGER event_no_update BEFORE UPDATE ON event "
            "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END"
            if sqlite
            else "ALTER TABLE event ENABLE TRIGGER event_append_only"
        )
    )
    conn.execute(
        text("UPDATE history_head SET event_id = :id, hash = :hash WHERE id = 1"),
        {"id": last, "hash": previous},
    )


def fill_0012(conn: Connection) -> None:
    """0011's data; the district row is the migration's own (named from ``meta``)."""
    fill_0011(conn)
    conn.execute(text("UPDATE district SET name = '江宁区'"))


def fill_0013(conn: Connection) -> None:
    """0012's data, a person linked to a login and two grants (one on a chain). On
    PostgreSQL the login is the server's own (a superuser: no group roles needed)."""
    fill_0012(conn)
    sqlite = conn.dialect.name == "sqlite"
    login = "wangfang" if sqlite else conn.execute(text("SELECT session_user")).scalar()
    conn.execute(
        text(
            "INSERT INTO app_user (id, uuid, person_id, login, since) VALUES "
            "(1, 'a1000000-0000-4000-8000-000000000001', 1, :login, :at)"
        ),
        {"at": AT, "login": login},
    )
    conn.execute(
        text(
            "INSERT INTO user_grant (id, user_id, role, chain_id, unit_id, since) VALUES "
            "(1, 1, 'team', 1, NULL, :at), (2, 1, 'viewer', NULL, NULL, :at)"
        ),
        {"at": AT},
    )
    if conn.dialect.name == "postgresql":
        for table in ("app_user", "user_grant"):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )


# The data each revision is filled with when it is the "old" database.
# 0002 only added an index (event by kind and time): its tables are 0001's.
FILL: dict[str, Callable[[Connection], None]] = {
    "0001": fill_0001,
    "0002": fill_0001,
    "0003": fill_0001,  # 0003 guards the history and mends digits: same tables
    "0004": lambda conn: fill_0001(conn, units=True),  # units, and items linked to them
    # the handling loop: assignments, extensions and the items' clock columns
    "0005": lambda conn: fill_0001(conn, units=True, loop=True),
    # enterprises as records: the registry, items' links, a follow-up, a reference
    "0006": lambda conn: fill_0001(conn, units=True, loop=True, enterprises=True),
    # the chain map, projects and targets: a link, an enterprise on it, a project with
    # progress, a milestone and an event, a target, an item on the link and the project
    "0007": fill_0007,
    # the meta table: the district an import recorded
    "0008": fill_0008,
    # the search index: derived from the texts already there
    "0009": fill_0009,
    # change sets: what each command did, for undo
    "0010": fill_0010,
    # the tamper-evident history: every event hashed, the head on the last one
    "0011": fill_0011,
    # the district row
    "0012": fill_0012,
    # logins and their grants (PostgreSQL's policies come with the revision)
    "0013": fill_0013,
}


def run(db: str, *args: str) -> Result:
    return runner.invoke(app, ["--db", db, *args])


def snapshot(db: str) -> dict[str, dict[object, dict[str, object]]]:
    """Every row of every chainlead table, by id."""
    database = open_database(db, check=False)
    try:
        with database.engine.connect() as conn:
            meta = MetaData()
            meta.reflect(conn)
            return {
                name: {row["id"]: dict(row) for row in conn.execute(select(table)).mappings()}
                for name, table in meta.tables.items()
                if name != "alembic_version" and not is_index_table(name)
            }
    finally:
        database.dispose()


def build_at(db: str, revision: str) -> dict[str, dict[object, dict[str, object]]]:
    """Migrate a new database down to ``revision`` and fill it; returns its rows."""
    database = open_database(db, check=False)
    try:
        if revision != database.revision():
            downgrade(database, to=revision)
        with database.engine.begin() as conn:
            FILL[revision](conn)
        assert database.revision() == revision
    finally:
        database.dispose()
    return snapshot(db)


def assert_upgraded(db: str, before: dict, old: str) -> None:
    refused = run(db, "chain", "list")
    assert_refused(refused, 1, f"has schema {old}", "run `chainlead db upgrade`")
    result = run(db, "db", "upgrade")
    assert result.exit_code == 0, result.stderr
    assert f"from schema {old} to {chainlead.store.database.HEAD}" in result.stderr
    after = snapshot(db)
    for table, rows in before.items():
        assert set(rows) <= set(after[table]), f"rows lost from {table}"
        for key, row in rows.items():
            kept = {column: after[table][key][column] for column in row}
            assert kept == row, f"{table} row {key} changed"
    if "://" not in db:
        backups = list(Path(db).parent.glob(f"{Path(db).name}.{old}-*.bak"))
        assert len(backups) == 1, backups
        assert stat.S_IMODE(os.stat(backups[0]).st_mode) == 0o600
        assert f"backed up {db} to {backups[0]}" in result.stderr
        assert snapshot(str(backups[0])) == before
        conn = sqlite3.connect(backups[0])
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == old
        conn.close()
    else:
        assert "pg_dump" in result.stderr
    again = run(db, "db", "upgrade")
    assert again.exit_code == 0 and "up to date" in again.stderr
    checked = run(db, "db", "check")
    assert checked.exit_code == 0, checked.stdout + checked.stderr


def _not_index(name: str | None, type_: str, _parents: object) -> bool:
    """The search index is derived data beside the models (migration 0009)."""
    return not (type_ == "table" and name is not None and is_index_table(name))


def assert_schema_is_the_models(db: str) -> None:
    """The upgraded database has the schema a new one has: every table and index."""
    database = open_database(db)
    try:
        with database.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": _not_index})
            diffs = compare_metadata(context, SQLModel.metadata)
    finally:
        database.dispose()
    assert diffs == []


def test_every_revision_has_fill_data() -> None:
    assert set(REVISIONS) <= set(FILL), "add a FILL entry for the new revision's predecessor"


def test_fill_data_is_sound_at_its_own_revision(db_url: str) -> None:
    build_at(db_url, HEAD)
    checked = run(db_url, "db", "check", "--json")
    assert checked.exit_code == 0, checked.stdout


@pytest.mark.parametrize("old", REVISIONS[:-1])
def test_earlier_revision_upgrades_with_every_record(db_url: str, old: str) -> None:
    before = build_at(db_url, old)
    assert_upgraded(db_url, before, old)
    assert_schema_is_the_models(db_url)


def test_upgrade_to_the_search_index_finds_what_was_written(db_url: str) -> None:
    """0008 → 0009: the texts already stored are found: a title, a resolution, a note,
    an enterprise, a meeting's summary and its decision."""
    build_at(db_url, "0008")
    assert run(db_url, "db", "upgrade").exit_code == 0

    def found(text: str) -> list[tuple[str, str]]:
        result = run(db_url, "search", text, "--json")
        assert result.exit_code == 0, result.stderr
        return [(hit["key"], hit["field"]) for hit in json.loads(result.stdout)["found"]]

    assert found("电力容量") == [("IC-2", "title"), ("IC-1", "title")]  # newest first
    assert found("second line") == [("IC-M1", "decision"), ("IC-2", "resolution")]
    assert found("NUL-free") == [("IC-1", "note")]
    assert found("nari") == [("IC-2", "enterprise"), ("IC-1", "enterprise")]
    assert found("用地") == [("IC-M1", "summary")]


def test_upgrade_to_the_handling_loop_gives_every_item_its_lead(db_url: str) -> None:
    """0004 → 0005: one lead assignment per item as it stood, its event, the original
    limit from the first edit of the limit, and that edit as an approved extension."""
    build_at(db_url, "0004")
    assert run(db_url, "db", "upgrade").exit_code == 0
    first = json.loads(run(db_url, "bottleneck", "show", "IC-1", "--json").stdout)
    second = json.loads(run(db_url, "bottleneck", "show", "IC-2", "--json").stdout)
    assert [(p["unit"], p["role"], p["state"], p["due_on"]) for p in first["parts"]] == [
        ("District Bureau", "lead", "received", "2026-06-30")
    ]
    assert [(p["state"], p["report"]) for p in second["parts"]] == [
        ("reported", "Second line built")
    ]
    assert first["original_due_on"] == "2026-05-31" and second["original_due_on"] is None
    assert [(e["kind"], e["from_due"], e["to_due"], e["why"]) for e in first["extensions"]] == [
        ("edit", "2026-05-31", "2026-06-30", "等待省级批复")
    ]
    assigned = [e for e in first["history"] if e["kind"] == "assigned"]
    assert [(e["actor"], e["new"]) for e in assigned] == [("db upgrade", "received")]


def test_database_migrated_down_to_nothing_says_run_init(db_url: str) -> None:
    database = open_database(db_url)
    downgrade(database, to="base")
    database.dispose()
    assert_refused(run(db_url, "chain", "list"), 1, "not initialised", "chainlead init")
    assert_refused(run(db_url, "db", "upgrade"), 1, "not initialised", "chainlead init")


# -- the same steps against a test-only next revision ----------------------------

NEXT = "9001"
NEXT_REVISION = '''"""Test only, never shipped: rebuild the person table with one more column."""

import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{previous}"
branch_labels = None
depends_on = None


def _recreate() -> str:
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def _capture() -> None:
    """A rebuilt table on SQLite needs its change capture again, naming every column."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    from chainlead.migrations.capture import sqlite_capture

    columns = [row[1] for row in bind.exec_driver_sql("PRAGMA table_info(person)")]
    for statement in sqlite_capture("person", columns):
        op.execute(statement)


def upgrade() -> None:
    with op.batch_alter_table("person", recreate=_recreate()) as batch:
        batch.add_column(sa.Column("nickname", sa.String(length=100), nullable=True))
    _capture()


def downgrade() -> None:
    with op.batch_alter_table("person", recreate=_recreate()) as batch:
        batch.drop_column("nickname")
    _capture()
'''


@pytest.fixture
def next_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """chainlead as it would be with one more migration than it has."""
    scripts = tmp_path / "migrations"
    shutil.copytree(
        Path(chainlead.migrations.__file__).parent,
        scripts,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (scripts / "versions" / f"{NEXT}_test_only.py").write_text(
        NEXT_REVISION.replace("{previous}", REVISIONS[-1])
    )

    def config() -> Config:
        made = Config()
        made.set_main_option("script_location", str(scripts))
        return made

    revisions = (*REVISIONS, NEXT)
    monkeypatch.setattr(chainlead.store.database, "_alembic_config", config)
    for module in (chainlead.store.database, chainlead.store.target, chainlead.domain.checks):
        monkeypatch.setattr(module, "REVISIONS", revisions)
        monkeypatch.setattr(module, "HEAD", NEXT)
    return NEXT


def test_upgrade_machinery_keeps_every_record(db_url: str, next_revision: str) -> None:
    before = build_at(db_url, REVISIONS[-1])
    assert_upgraded(db_url, before, REVISIONS[-1])
    database = open_database(db_url)
    try:
        with database.engine.connect() as conn:
            names = conn.execute(text("SELECT name, nickname FROM person ORDER BY id")).all()
    finally:
        database.dispose()
    assert [n for n, _ in names][:2] == ["李明", "Zhang Wei"]


def test_upgrade_machinery_leaves_nothing_half_done(db_path: Path, next_revision: str) -> None:
    """A migration that fails part-way leaves the database as it was."""
    db = str(db_path)
    before = build_at(db, REVISIONS[-1])
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE _alembic_tmp_person (id INTEGER)")  # in the rebuild's way
    conn.commit()
    conn.close()
    result = run(db, "db", "upgrade")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("chainlead: error: ") and "Traceback" not in result.stderr
    assert snapshot(db) == {**before, "_alembic_tmp_person": {}}
    database = open_database(db, check=False)
    assert database.revision() == REVISIONS[-1]
    database.dispose()
