"""Snapshot format 3: units, assignments, extensions and the item clock travel whole;
formats 1 and 2 still import, their items given the handling loop as the upgrade to
schema 0005 gives it."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import unchained
from snapshot_data import at, build_district, export_text, fresh_sqlite

from chainlead.domain import Stamp
from chainlead.domain.assignments import assign, receive, report, transfer
from chainlead.domain.history import record
from chainlead.errors import SnapshotInvalid
from chainlead.snapshot.merge import SnapshotConflict, import_snapshot
from chainlead.snapshot.reader import read_snapshot
from chainlead.store.assignments import insert_extension
from chainlead.store.connection import Reader
from chainlead.store.database import Database, downgrade, upgrade
from chainlead.store.items import item_by_key, save_item
from chainlead.store.units import unit_named

Action = Callable[[Reader, Stamp], object]


def step(database: Database, day: date, action: Action) -> None:
    with database.transaction(write=True) as session:
        action(session, at(day))


def load(database: Database, text: str, **options: object):  # noqa: ANN201
    """Import ``text``; a format before 6 (no hashes) with ``--accept-unverified``."""
    snapshot = read_snapshot(text.encode(), "snap.toml")
    if snapshot.format_version < 6:
        options.setdefault("accept_unverified", True)
    with database.transaction(write=not options.get("dry_run")) as session:
        return import_snapshot(session, snapshot, name="snap.toml", **options)  # type: ignore[arg-type]


def tallies(summary) -> dict[str, tuple[int, int, int]]:  # noqa: ANN001
    return {t.kind: (t.added, t.unchanged, t.conflicting) for t in summary.tallies}


def co_unit(key: str, unit: str, day: date = date(2026, 9, 1)) -> Action:
    def action(session: Reader, stamp: Stamp) -> None:
        item = item_by_key(session, key)
        assert item is not None
        assign(session, item=item, unit=unit, stamp=stamp, new_unit=True)

    return action


def handling_loop(database: Database) -> None:
    """The district with every part of the handling loop: co-units signed for, reported
    and transferred, a pending request and a refused one, urges, a level, a suspension
    and an item made of a meeting decision."""
    build_district(database)
    step(database, date(2026, 9, 1), co_unit("IC-1", "District Power Supply Office"))
    step(database, date(2026, 9, 1), co_unit("IC-2", "Jiangning Street Office"))

    def sign_and_report(session: Reader, stamp: Stamp) -> None:
        item = item_by_key(session, "IC-2")
        receive(session, item=item, unit="Jiangning Street Office", stamp=stamp)  # type: ignore[arg-type]
        how = "Road 'cleared'\nok"
        report(session, item=item, unit="Jiangning Street Office", how=how, stamp=stamp)  # type: ignore[arg-type]

    step(database, date(2026, 9, 2), sign_and_report)

    def move(session: Reader, stamp: Stamp) -> None:
        item = item_by_key(session, "IC-3")
        transfer(
            session, item=item, source="District Development and Reform Bureau",  # type: ignore[arg-type]
            target="District Commerce Bureau", why="Customs is commerce's remit",
            stamp=stamp, new_unit=True,
        )  # fmt: skip

    step(database, date(2026, 9, 3), move)

    def loop_fields(session: Reader, stamp: Stamp) -> None:
        item = item_by_key(session, "IC-1")
        assert item is not None
        unit = unit_named(session, "District Power Supply Office")
        assert unit is not None
        for state, note in (("refused", "Not now"), ("pending", None)):
            insert_extension(
                session, item_id=item.id, unit_id=unit.id, kind="request", state=state,
                requested_on=stamp.today, requested_by=stamp.actor, from_due=item.due_on,
                to_due=item.due_on + timedelta(days=30), why="Grid works\nin winter",
                decided_on=stamp.today if note else None, decided_by_id=None,
                decision_note=note, created_at=stamp.at, updated_at=stamp.at,
            )  # fmt: skip
        item.level, item.urge_count, item.last_urged_at = 2, 3, stamp.at
        item.red_due, item.red_spells = stamp.today, 1
        save_item(session, item)
        record(
            session, stamp=stamp, kind="level", chain_id=item.chain_id, item_id=item.id,
            field="level", old="0", new="2",
        )  # fmt: skip
        blocked = item_by_key(session, "IC-3")
        assert blocked is not None
        blocked.suspended_on, blocked.suspended_until = stamp.today, date(2026, 10, 15)
        blocked.suspend_reason, blocked.suspended_days = "Ministry review", 4
        blocked.clock_due = blocked.clock_due + timedelta(days=4)
        save_item(session, blocked)

    step(database, date(2026, 9, 4), loop_fields)
    made_of_decision(database, "IC-4", "IC-M1", 2)


def made_of_decision(database: Database, key: str, meeting: str, position: int) -> None:
    """Point an item at a meeting decision, as the meeting-decision commands will."""
    with database.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE item SET decision_id = (SELECT d.id FROM meeting_decision d JOIN meeting m "
            f"ON m.id = d.meeting_id WHERE m.key = '{meeting}' AND d.position = {position}) "
            f"WHERE key = '{key}'"
        )


def rows(database: Database, sql: str) -> list[tuple]:
    with database.engine.connect() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(sql).all()]


@pytest.fixture
def other(tmp_path: Path, template_db: Path) -> Database:
    database = fresh_sqlite(template_db, tmp_path / "other.db")
    yield database
    database.dispose()


def test_round_trip_carries_the_handling_loop(database: Database, other: Database) -> None:
    handling_loop(database)
    first = export_text(database, district="Jiangning District")
    document = tomllib.loads(first)
    assert document["format_version"] == 6
    assert [u["name"] for u in document["units"]] == sorted(u["name"] for u in document["units"])
    items = {i["key"]: i for i in document["chains"][1]["items"]}
    one, three = items["IC-1"], items["IC-3"]
    assert (one["level"], one["urge_count"], one["red_spells"]) == (2, 3, 1)
    assert one["original_due"] == date(2026, 6, 28) and one["due"] == date(2026, 9, 30)
    # the team's own edit of the limit (edit --due) comes first, as an approved edit
    assert [(e["kind"], e["state"]) for e in one["extensions"]] == [
        ("edit", "approved"), ("request", "refused"), ("request", "pending"),
    ]  # fmt: skip
    assert [(a["unit"], a["role"]) for a in one["assignments"]] == [
        ("District Development and Reform Bureau", "lead"),
        ("District Power Supply Office", "co"),
    ]
    assert [a["state"] for a in three["assignments"]] == ["transferred", "assigned"]
    assert three["suspended_days"] == 4 and three["suspend_reason"] == "Ministry review"
    assert items["IC-4"]["decision"] == "IC-M1#2"
    assert "decision" not in items["IC-5"] and "level" not in items["IC-5"]
    assert any(e.get("unit") == "District Commerce Bureau" for e in three["history"])
    summary = load(other, first)
    assert summary.refusal is None
    counts = tallies(summary)
    assert counts["units"][0] == len(document["units"])
    assert counts["assignments"][0] == sum(len(i.get("assignments", [])) for i in items.values())
    assert counts["extensions"] == (sum(len(i.get("extensions", [])) for i in items.values()), 0, 0)
    assert export_text(other, district="Jiangning District") == first
    again = load(other, first)
    assert all(added == 0 and conflicting == 0 for added, _, conflicting in tallies(again).values())


def test_two_databases_that_assigned_the_same_item_merge_by_uuid(
    database: Database, other: Database
) -> None:
    build_district(database)
    load(other, export_text(database))
    step(database, date(2026, 9, 1), co_unit("IC-1", "District Power Supply Office"))
    step(other, date(2026, 9, 2), co_unit("IC-1", "Jiangning Street Office"))
    summary = load(other, export_text(database))
    assert summary.refusal is None
    counts = tallies(summary)
    assert counts["assignments"][0] == 1 and counts["assignments"][2] == 0
    assert counts["units"][0] == 1 and counts["items"][2] == 0
    back = load(database, export_text(other))
    assert tallies(back)["assignments"][0] == 1
    # the same records, each database's history in a chain of its own
    assert unchained(export_text(database)) == unchained(export_text(other))
    item = tomllib.loads(export_text(other))["chains"][1]["items"][0]
    assert sorted(a["unit"] for a in item["assignments"] if a["role"] == "co") == [
        "District Power Supply Office",
        "Jiangning Street Office",
    ]


def test_an_assignment_changed_on_both_sides_is_a_conflict(
    database: Database, other: Database
) -> None:
    build_district(database)
    step(database, date(2026, 9, 1), co_unit("IC-1", "District Power Supply Office"))
    load(other, export_text(database))

    def sign(session: Reader, stamp: Stamp) -> None:
        item = item_by_key(session, "IC-1")
        receive(session, item=item, unit="District Power Supply Office", stamp=stamp)  # type: ignore[arg-type]

    step(database, date(2026, 9, 5), sign)
    theirs = export_text(database)
    with pytest.raises(SnapshotConflict, match=r"assignments\[1\]: differs from the stored"):
        load(other, theirs)
    ours = load(other, theirs, on_conflict="ours")
    assert tallies(ours)["assignments"][0::2] == (0, 1)
    part = tomllib.loads(export_text(other))["chains"][1]["items"][0]["assignments"][1]
    assert part["state"] == "assigned"
    load(other, theirs, on_conflict="theirs")
    part = tomllib.loads(export_text(other))["chains"][1]["items"][0]["assignments"][1]
    assert part["state"] == "received" and part["received"] == date(2026, 9, 5)


def test_two_leads_from_two_transfers_cannot_be_settled(
    database: Database, other: Database
) -> None:
    build_district(database)
    load(other, export_text(database))

    def move(target: str) -> Action:
        def action(session: Reader, stamp: Stamp) -> None:
            item = item_by_key(session, "IC-1")
            transfer(
                session, item=item, source="District Development and Reform Bureau",  # type: ignore[arg-type]
                target=target, why="Not ours", stamp=stamp, new_unit=True,
            )  # fmt: skip

        return action

    step(database, date(2026, 9, 1), move("District Commerce Bureau"))
    step(other, date(2026, 9, 1), move("District Power Supply Office"))
    for choice in ("fail", "ours", "theirs"):
        with pytest.raises(SnapshotConflict) as caught:
            load(other, export_text(database), on_conflict=choice)
        assert "no --on-conflict choice settles" in str(caught.value)
        assert any("IC-1 would have 2 standing leads" in line for line in caught.value.problems)


def _as_version_5(text: str) -> str:
    """A format 6 export as format 5 wrote it: events without login, prev and hash."""
    return unchained(text).replace("format_version = 6\n", "format_version = 5\n")


def _as_version_4(text: str) -> str:
    """A format 5 export as format 4 wrote it: no chain map, targets, projects, project
    numbers or item links and projects (the test district holds none)."""
    text = _as_version_5(text)
    return text.replace("format_version = 5\n", "format_version = 4\n").replace(
        "next_project_no = 1\n", ""
    )


def _as_version_3(text: str) -> str:
    """A format 5 export as format 3 wrote it: no enterprises, item references,
    item enterprises or follow-ups."""
    text = _as_version_4(text).replace("format_version = 4\n", "format_version = 3\n")
    text = re.sub(r"\n\[\[enterprises\]\]\n(?:[a-z_]+ = .*\n)+", "", text)
    text = re.sub(r"(?m)^(?:enterprises|follow_ups) = \[\n(?:    .*\n)*\]\n", "", text)
    return re.sub(r"(?m)^reference = .*\n", "", text)


def _as_version_2(text: str) -> str:
    """A format 5 export as format 2 wrote it: no units, item clock, assignments,
    extensions or event units (nor what format 4 adds)."""
    text = _as_version_3(text).replace("format_version = 3\n", "format_version = 2\n")
    text = re.sub(r"\n\[\[units\]\]\n(?:[a-z_]+ = .*\n)+", "", text)
    text = re.sub(r"(?m)^(?:assignments|extensions) = \[\n(?:    .*\n)*\]\n", "", text)
    loop = (
        "original_due|clock_due|receipt_due|level|red_due|red_spells|suspended_on|"
        "suspended_until|suspend_reason|suspended_days|urge_count|last_urged_at|decision"
    )
    text = re.sub(rf"(?m)^(?:{loop}) = .*\n", "", text)
    return re.sub(r", unit = '[^']*'", "", text)


def _loop_rows(db: Database) -> dict[str, object]:
    """Each item's assignments, extensions, clock and upgrade events, without ids."""
    url = db
    return {
        "assignments": sorted(
            rows(
                url,
                'SELECT i."key", u.name, a.role, p.name, a.state, a.assigned_on, a.due_on, '
                "a.received_on, a.reported_on, a.report, a.created_at, a.updated_at "
                "FROM assignment a JOIN item i ON i.id = a.item_id JOIN unit u ON u.id = a.unit_id "
                "LEFT JOIN person p ON p.id = a.owner_id",
            )
        ),
        "extensions": sorted(
            rows(
                url,
                'SELECT i."key", e.kind, e.state, e.requested_on, e.requested_by, e.from_due, '
                "e.to_due, e.why, e.decided_on, e.created_at FROM extension e "
                "JOIN item i ON i.id = e.item_id",
            )
        ),
        "items": sorted(rows(url, 'SELECT "key", original_due_on, clock_due, due_on FROM item')),
        "events": sorted(
            rows(
                url,
                'SELECT i."key", e.actor, e.kind, p.name, u.name, e.field, e.old, e.new, e.text '
                "FROM event e JOIN item i ON i.id = e.item_id JOIN unit u ON u.id = e.unit_id "
                "LEFT JOIN person p ON p.id = e.person_id WHERE e.actor = 'db upgrade'",
            )
        ),
    }


def test_a_version_2_import_gives_what_the_upgrade_gives(tmp_path: Path, template_db: Path) -> None:
    """The same district, upgraded from schema 0004 and imported from format 2."""
    built = fresh_sqlite(template_db, tmp_path / "built.db")
    build_district(built)
    step(built, date(2026, 9, 20), lambda s, t: None)
    version_2 = _as_version_2(export_text(built))
    assert "assignments" not in version_2 and "unit = " in version_2
    downgrade(built, to="0004")
    upgrade(built)
    imported = fresh_sqlite(template_db, tmp_path / "imported.db")
    summary = load(imported, version_2, accept_unverified=True)  # format 2: no hashes
    assert summary.refusal is None
    assert tallies(summary)["assignments"] == (8, 0, 0)
    assert tallies(summary)["extensions"] == (1, 0, 0)  # IC-1's due was edited once
    upgraded = _loop_rows(built)
    assert upgraded["assignments"] and upgraded["extensions"]
    imported_rows = _loop_rows(imported)
    assert imported_rows == upgraded
    built.dispose()
    imported.dispose()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "state = 'assigned'",
            "state = 'lost'",
            "chains[1].items[0].assignments[0].state: expected one of assigned, received, "
            'handling, reported, returned, transferred, got "lost"',
        ),
        (
            "role = 'lead'",
            "role = 'boss'",
            'chains[1].items[0].assignments[0].role: expected one of lead, co, got "boss"',
        ),
        (
            "clock_due = 2026-09-30",
            "clock_due = 'soon'",
            'chains[1].items[0].clock_due: expected a date such as 2026-11-30, got "soon"',
        ),
        (
            "kind = 'other'",
            "kind = 'ministry'",
            "units[0].kind: expected one of bureau, street, park, enterprise_service, other, "
            'got "ministry"',
        ),
    ],
)
def test_invalid_loop_values_are_refused_with_their_path(
    database: Database, old: str, new: str, message: str
) -> None:
    build_district(database)
    text = export_text(database)
    assert old in text
    bad = text.replace(old, new, 1)
    with pytest.raises(SnapshotInvalid) as caught:
        read_snapshot(bad.encode(), "snap.toml")
    assert message in str(caught.value) + "\n".join(getattr(caught.value, "problems", []))


def test_level_and_two_standing_leads_are_refused(database: Database) -> None:
    build_district(database)
    text = export_text(database)
    level = text.replace("original_due = 2026-06-28\n", "original_due = 2026-06-28\nlevel = 9\n")
    with pytest.raises(SnapshotInvalid, match=r"items\[0\]\.level: expected a whole number from 0"):
        read_snapshot(level.encode(), "snap.toml")
    lead = re.search(r"\{ uuid = '[^']*', unit = 'District Development[^\n]*'lead'[^\n]*\}", text)
    assert lead is not None
    doubled = lead.group().replace("uuid = '", "uuid = '0", 1).replace("uuid = '0", "uuid = '", 1)
    twin = re.sub(r"uuid = '[0-9a-f]{8}", "uuid = '00000000", lead.group(), count=1)
    assert doubled == lead.group()
    two = text.replace(lead.group(), lead.group() + ",\n    " + twin, 1)
    with pytest.raises(SnapshotInvalid) as caught:
        read_snapshot(two.encode(), "snap.toml")
    assert caught.value.problems == [  # type: ignore[attr-defined]
        "chains[1].items[0].assignments[1].role: the item already has a standing lead at "
        'chains[1].items[0].assignments[0], got "lead"',
        "chains[1].items[0].assignments[1].unit: the unit already has a standing part at "
        'chains[1].items[0].assignments[0], got "District Development and Reform Bureau"',
    ]


def test_a_decision_that_is_not_there_is_refused(database: Database, other: Database) -> None:
    handling_loop(database)
    text = export_text(database).replace("decision = 'IC-M1#2'", "decision = 'IC-M1#5'")
    with pytest.raises(SnapshotInvalid, match=r"decision: expected a decision of IC-M1"):
        load(other, text)


def test_an_item_keeps_its_decision_when_theirs_rewrites_the_meeting(
    database: Database, other: Database
) -> None:
    from chainlead.domain.schedules import edit_meeting

    handling_loop(database)
    load(other, export_text(database))
    step(
        database,
        date(2026, 10, 2),
        lambda s, t: edit_meeting(s, key="IC-M1", summary="Packaging, third version", stamp=t),
    )
    summary = load(other, export_text(database), on_conflict="theirs")
    assert tallies(summary)["meetings"][2] == 1
    items = tomllib.loads(export_text(other))["chains"][1]["items"]
    assert [i["key"] for i in items if i.get("decision")] == ["IC-4"]
    assert items[3]["decision"] == "IC-M1#2"
    assert unchained(export_text(other)) == unchained(export_text(database))


def test_a_unit_of_a_stored_name_is_the_stored_unit(database: Database) -> None:
    build_district(database)
    text = export_text(database)
    block = re.search(r"\[\[units\]\]\nuuid = '([0-9a-f-]+)'\n", text)
    assert block is not None
    stored_uuid = block.group(1)
    other_uuid = "0e8a2d9c-7b41-4c55-8f0e-3a9d6b1c2e47"
    renamed = text.replace(stored_uuid, other_uuid)
    assert tallies(load(database, renamed))["units"] == (0, 1, 0)
    bureau = renamed.replace("kind = 'other'", "kind = 'bureau'", 1)
    with pytest.raises(SnapshotConflict, match=r"units\[0\]: District Development and Reform"):
        load(database, bureau)
    load(database, bureau, on_conflict="theirs")
    (unit,) = tomllib.loads(export_text(database))["units"]
    assert (unit["uuid"], unit["kind"]) == (stored_uuid, "bureau")
    duplicate = text.replace(
        "kind = 'other'\n", "kind = 'other'\n" + text[block.start() : block.end()], 1
    )
    with pytest.raises(SnapshotInvalid):
        read_snapshot(duplicate.encode(), "snap.toml")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda text: re.sub(
                r"new = 'assigned'(, login|, prev| })", r"new = 'received'\1", text, count=1
            ),
            "chains[1].items[0].assignments[0].state: expected 'received', where its history "
            'leads (the last item event with unit = "District Development and Reform Bureau"), '
            'got "assigned"',
        ),
        (
            lambda text: text.replace(
                "original_due = 2026-06-28\n", "original_due = 2026-06-28\nlevel = 1\n"
            ),
            "chains[1].items[0].level: expected 0, where its history leads (the last event with "
            "field = 'level'), got 1",
        ),
        (
            lambda text: text.replace("clock_due = 2026-09-30\n", "clock_due = 2026-09-29\n", 1),
            "chains[1].items[0].clock_due: expected 2026-09-30: what its due, working "
            "assignments and suspensions give, got 2026-09-29",
        ),
        (
            lambda text: text.replace(
                "role = 'lead', state = 'assigned'", "role = 'lead', state = 'transferred'", 1
            ),
            "chains[1].items[2].assignments: an open item needs its standing lead unit",
        ),
    ],
    ids=["state", "level", "clock", "lead"],
)
def test_a_loop_its_history_does_not_lead_to_is_refused(
    database: Database, change: Callable[[str], str], message: str
) -> None:
    build_district(database)
    text = export_text(database)
    bad = change(text)
    assert bad != text
    with pytest.raises(SnapshotInvalid) as caught:
        read_snapshot(bad.encode(), "snap.toml")
    lines = [str(caught.value), *getattr(caught.value, "problems", [])]
    assert any(message in line for line in lines), lines


def test_a_merged_assignment_moves_the_stored_clock(database: Database, other: Database) -> None:
    build_district(database)
    load(other, export_text(database))

    def early(session: Reader, stamp: Stamp) -> None:
        item = item_by_key(session, "IC-1")
        assign(session, item=item, unit="Grid Office", stamp=stamp, new_unit=True,  # type: ignore[arg-type]
               due=date(2026, 9, 29))  # fmt: skip

    step(database, date(2026, 9, 28), early)  # after the district's last change to IC-1
    summary = load(other, export_text(database))
    assert summary.refusal is None and tallies(summary)["items"][2] == 0
    item = tomllib.loads(export_text(other))["chains"][1]["items"][0]
    assert item["clock_due"] == date(2026, 9, 29)
    assert export_text(other) == export_text(database)
