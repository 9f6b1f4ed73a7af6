"""Snapshots below the CLI: round trips, determinism, merges, all-or-nothing imports."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from helpers import db_state
from snapshot_data import at, build_district, export_text, fresh_sqlite

from chainlead.domain.bottlenecks import add_item, edit_item, note_item
from chainlead.domain.chains import add_chain, add_member
from chainlead.errors import SnapshotInvalid
from chainlead.snapshot.canonical import parse_canonical
from chainlead.snapshot.merge import SnapshotConflict, import_snapshot
from chainlead.snapshot.reader import read_snapshot
from chainlead.store.connection import moment
from chainlead.store.database import Database


def load(database: Database, text: str, **options: object):  # noqa: ANN201
    """Import ``text``; a format before 6 (no hashes) with ``--accept-unverified``."""
    snapshot = read_snapshot(text.encode(), "snap.toml")
    if snapshot.format_version < 6:
        options.setdefault("accept_unverified", True)
    with database.transaction(write=not options.get("dry_run")) as session:
        return import_snapshot(session, snapshot, name="snap.toml", **options)  # type: ignore[arg-type]


def tallies(summary) -> dict[str, tuple[int, int, int]]:  # noqa: ANN001
    return {t.kind: (t.added, t.unchanged, t.conflicting) for t in summary.tallies}


@pytest.fixture
def other(tmp_path: Path, template_db: Path) -> Database:
    database = fresh_sqlite(template_db, tmp_path / "other.db")
    yield database
    database.dispose()


def test_round_trip_gives_identical_bytes(database: Database, other: Database) -> None:
    build_district(database)
    first = export_text(database, district="Jiangning District")
    summary = load(other, first)
    assert summary.refusal is None
    assert export_text(other, district="Jiangning District") == first


def test_round_trip_into_either_backend(
    database: Database, tmp_path: Path, template_db: Path
) -> None:
    source = fresh_sqlite(template_db, tmp_path / "source.db")
    build_district(source)
    first = export_text(source)
    source.dispose()
    load(database, first)
    assert export_text(database) == first


def test_export_is_deterministic_and_dated_by_its_data(database: Database) -> None:
    build_district(database)
    text = export_text(database, district="Jiangning District")
    assert export_text(database, district="Jiangning District") == text
    document = tomllib.loads(text)
    assert parse_canonical(text) == document  # the fast reader reads it as tomllib does
    assert document["format"] == "chainlead-snapshot"
    assert document["format_version"] == 6
    assert document["district"] == "Jiangning District"
    # exported_at is the latest time in the data, not the clock
    assert "exported_at = 2026-10-31T09:00:00Z\n" in text
    assert [c["code"] for c in document["chains"]] == ["BIO", "IC"]
    assert [p["name"] for p in document["people"]] == sorted(p["name"] for p in document["people"])
    ic = document["chains"][1]
    assert [i["key"] for i in ic["items"]] == [f"IC-{n}" for n in range(1, 9)]
    figures = ic["meetings"][0]["figures"]
    assert figures[0]["value"] == "12.5" and figures[0]["unit"] == "100M CNY"
    assert ic["meetings"][1]["figures"][0]["value"] == "-0.75"
    assert "+00:00" not in text


def test_export_of_an_empty_database_has_no_date(database: Database, other: Database) -> None:
    text = export_text(database)
    assert "exported_at" not in text
    assert tomllib.loads(text)["format_version"] == 6
    load(other, text)
    assert export_text(other) == text


def test_importing_twice_changes_nothing(
    database: Database, tmp_path: Path, other: Database
) -> None:
    build_district(database)
    text = export_text(database)
    load(other, text)
    before = db_state(tmp_path / "other.db")
    summary = load(other, text)
    assert db_state(tmp_path / "other.db") == before
    assert all(
        added == 0 and conflicting == 0 for added, _, conflicting in tallies(summary).values()
    )
    assert tallies(summary)["items"] == (0, 8, 0)


def test_dry_run_writes_nothing(database: Database, tmp_path: Path, other: Database) -> None:
    build_district(database)
    before = db_state(tmp_path / "other.db")
    summary = load(other, export_text(database), dry_run=True)
    assert db_state(tmp_path / "other.db") == before
    assert tallies(summary)["items"] == (8, 0, 0)
    assert tallies(summary)["chains"] == (2, 0, 0)


def test_partial_exports(database: Database, other: Database) -> None:
    build_district(database)
    bio = tomllib.loads(export_text(database, chain="bio"))
    assert bio["scope"] == {"chain": "BIO"}
    assert [c["code"] for c in bio["chains"]] == ["BIO"]
    assert {p["name"] for p in bio["people"]} == {"Chen Hua", "Huang Jing", "Xu Tao"}
    since = tomllib.loads(export_text(database, since=date(2026, 8, 1)))
    ic = next(c for c in since["chains"] if c["code"] == "IC")
    # IC-1, IC-2 (discussed in August), IC-4 (closed in September), IC-7 (reopened in
    # August), IC-8 (raised in September); their whole history
    assert [i["key"] for i in ic["items"]] == ["IC-1", "IC-2", "IC-4", "IC-7", "IC-8"]
    assert ic["items"][0]["history"][0]["kind"] == "created"
    assert [m["key"] for m in ic["meetings"]] == ["IC-M1", "IC-M2"]
    # a partial snapshot imports on its own: every name it uses is in it
    load(other, export_text(database, chain="IC", since=date(2026, 8, 1)))


def two_machines(database: Database, other: Database) -> str:
    """The same district on two machines; returns the common snapshot."""
    build_district(database)
    common = export_text(database)
    load(other, common)
    return common


def test_merge_of_two_databases_that_each_added_items(database: Database, other: Database) -> None:
    two_machines(database, other)
    day = date(2026, 11, 20)
    with database.transaction(write=True) as session:
        add_item(
            session,
            new_unit=True,
            chain="IC",
            title="Ours",
            unit="Bureau",
            due=day,
            raised_on=day,
            stamp=at(day),
        )
        note_item(session, key="IC-1", text="noted here", stamp=at(day))
    with other.transaction(write=True) as session:
        add_item(
            session,
            new_unit=True,
            chain="IC",
            title="Theirs",
            unit="Bureau",
            due=day,
            raised_on=day,
            stamp=at(day, 11),
        )
        note_item(session, key="IC-2", text="noted there", stamp=at(day, 11))
    theirs = export_text(other)

    with pytest.raises(SnapshotConflict) as refused:
        load(database, theirs)
    assert "chains[1].items[8].key: IC-9 is stored with another uuid" in str(refused.value)
    assert "ours or theirs settles" in str(refused.value)
    # A dry run says only what the real run would do: refuse, adding nothing.
    dry = load(database, theirs, dry_run=True)
    assert dry.refusal is not None and dry.notes == ()
    dry = load(database, theirs, dry_run=True, on_conflict="ours")
    assert dry.notes == ("chains[1].items[8]: IC-9 from the snapshot added as IC-10",)

    summary = load(database, theirs, on_conflict="ours")
    assert "chains[1].items[8]: IC-9 from the snapshot added as IC-10" in summary.notes
    assert tallies(summary)["items"] == (1, 8, 1)
    merged = tomllib.loads(export_text(database))
    ic = merged["chains"][1]
    assert ic["next_item_no"] == 11
    assert [(i["key"], i["title"]) for i in ic["items"][8:]] == [
        ("IC-9", "Ours"),
        ("IC-10", "Theirs"),
    ]
    # histories unioned: both notes are there, the renumbered item keeps its history
    assert any(e.get("text") == "noted here" for e in ic["items"][0]["history"])
    assert any(e.get("text") == "noted there" for e in ic["items"][1]["history"])
    assert [e["kind"] for e in ic["items"][9]["history"]] == ["created", "assigned"]
    # importing the same snapshot again: the renumbered item is now known by its uuid
    again = load(database, theirs, on_conflict="ours")
    assert tallies(again)["events"][0] == 0


def test_conflicting_edits_fail_ours_and_theirs(
    database: Database, other: Database, tmp_path: Path
) -> None:
    two_machines(database, other)
    day = date(2026, 11, 20)
    with database.transaction(write=True) as session:
        edit_item(session, key="IC-1", title="Land quota, phase two", stamp=at(day))
    with other.transaction(write=True) as session:
        edit_item(session, key="IC-1", title="Land quota (revised)", stamp=at(day, 11))
    theirs = export_text(other)
    before = db_state(tmp_path / "chainlead.db") if database.target.is_sqlite else None

    with pytest.raises(SnapshotConflict) as refused:
        load(database, theirs)
    assert "chains[1].items[0]: IC-1 differs from the stored item (title)" in str(refused.value)
    if before is not None:
        assert db_state(tmp_path / "chainlead.db") == before

    load(database, theirs, on_conflict="ours")
    ours = tomllib.loads(export_text(database))["chains"][1]["items"][0]
    assert ours["title"] == "Land quota, phase two"
    titles = [e.get("new") for e in ours["history"] if e.get("field") == "title"]
    assert titles == ["Land quota, phase two", "Land quota (revised)"]  # history unioned

    load(database, theirs, on_conflict="theirs")
    assert tomllib.loads(export_text(database))["chains"][1]["items"][0]["title"] == (
        "Land quota (revised)"
    )


def test_same_chain_and_people_entered_on_two_machines(database: Database, other: Database) -> None:
    day = date(2026, 11, 2)
    for target, title in ((database, "Ours"), (other, "Theirs")):
        with target.transaction(write=True) as session:
            add_chain(
                session, code="IC", name="Integrated circuits", leader="Li Ming",
                responsible="Zhang Wei", stamp=at(day),
            )  # fmt: skip
            add_item(
                session,
                new_unit=True,
                chain="IC",
                title=title,
                unit="Bureau",
                due=day,
                raised_on=day,
                stamp=at(day),
            )
    theirs = export_text(other)
    with pytest.raises(SnapshotConflict) as refused:
        load(database, theirs)
    listed = " ".join(refused.value.problems)
    assert "chains[0].code: IC is stored with another uuid" in listed
    assert "Li Ming is stored with another uuid" in listed
    summary = load(database, theirs, on_conflict="ours")
    assert tallies(summary)["chains"] == (0, 0, 1)
    merged = tomllib.loads(export_text(database))
    assert [c["code"] for c in merged["chains"]] == ["IC"]
    assert [i["title"] for i in merged["chains"][0]["items"]] == ["Ours", "Theirs"]
    assert len(merged["people"]) == 2
    # both chain-leader spells for the same person and role: the snapshot's is left out
    leaders = [m for m in merged["chains"][0]["memberships"] if m["role"] == "leader"]
    assert len(leaders) == 1


def test_two_current_leaders_after_a_merge(database: Database, other: Database) -> None:
    two_machines(database, other)
    from chainlead.domain.chains import edit_chain

    day = date(2026, 11, 20)
    with database.transaction(write=True) as session:
        edit_chain(session, code="IC", leader="Ma Lin", stamp=at(day), new_person=True)
    with other.transaction(write=True) as session:
        edit_chain(session, code="IC", leader="Qin Yu", stamp=at(day, 11), new_person=True)
    theirs = export_text(other)
    with pytest.raises(SnapshotConflict) as refused:
        load(database, theirs)
    assert "current leader" in " ".join(refused.value.problems) + str(refused.value)

    summary = load(database, theirs, on_conflict="theirs")
    assert any("ended Ma Lin's leader spell on 2026-11-20" in note for note in summary.notes)
    with database.transaction(write=False) as session:
        current = session.rows(
            "SELECT count(*) FROM membership WHERE role = 'leader' AND until IS NULL"
        )[0][0]
    assert current == 2  # one per chain: IC (Qin Yu) and BIO


def test_unknown_reference_is_a_problem_with_its_path(other: Database, tmp_path: Path) -> None:
    text = """
format = 'chainlead-snapshot'
format_version = 1

[[people]]
uuid = '5b0c3f8e-2c1d-4d7b-9a51-0f3e6c2b7a10'
name = 'Zhang Wei'
created_at = 2026-01-05T08:00:00Z

[[chains]]
uuid = '0e8a2d9c-7b41-4c55-8f0e-3a9d6b1c2e47'
code = 'IC'
name = 'Integrated circuits'
status = 'active'
created_at = 2026-01-05T08:00:00Z
next_item_no = 2
next_meeting_no = 1

[[chains.memberships]]
uuid = 'c3d1e7a2-5f60-4b8e-9c2a-7d4e1f0b6a35'
person = 'Nobody'
role = 'leader'
since = 2026-01-05

[[chains.memberships]]
uuid = 'c3d1e7a2-5f60-4b8e-9c2a-7d4e1f0b6a36'
person = 'Zhang Wei'
role = 'responsible'
since = 2026-01-05

[[chains.items]]
uuid = '7e1f3a5c-9b2d-4e6f-8a0c-2d4f6b8e0a1c'
key = 'IC-1'
title = 'x'
source = 'other'
priority = 'normal'
unit = 'Bureau'
raised = 2026-11-18
due = 2026-12-31
status = 'open'
created_at = 2026-11-18T10:05:00Z
updated_at = 2026-11-18T10:05:00Z

[[chains.items.links]]
uuid = '4b6d8f0a-2c4e-4a6b-8d0f-1e3a5c7e9b2d'
meeting = 'IC-M7'
relation = 'raised'
"""
    before = db_state(tmp_path / "other.db")
    with pytest.raises(SnapshotInvalid) as refused:
        load(other, text, accept_unverified=True)  # format 1: no hashes
    assert refused.value.problems == [
        "chains[0].memberships[0].person: expected the name of a person in the snapshot or "
        'the database, got "Nobody"',
        "chains[0].items[0].links[0].meeting: expected the key of a meeting of this chain, in "
        'the snapshot or the database, got "IC-M7"',
    ]
    assert db_state(tmp_path / "other.db") == before


def test_an_interrupted_import_leaves_nothing_behind(
    database: Database, other: Database, tmp_path: Path
) -> None:
    build_district(database)
    snapshot = read_snapshot(export_text(database).encode(), "snap.toml")
    before = db_state(tmp_path / "other.db")
    seen: list[int] = []

    def interrupt(stage: str, done: int, total: int) -> None:
        seen.append(done)
        if done > total // 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        with other.transaction(write=True) as session:
            import_snapshot(session, snapshot, name="snap.toml", progress=interrupt)
    assert len(seen) > 1  # rows were written before the interrupt
    assert db_state(tmp_path / "other.db") == before


def test_imported_history_is_copied_exactly(database: Database, other: Database) -> None:
    build_district(database)
    load(other, export_text(database))
    events = "SELECT uuid, at, actor, kind, field, old, new FROM event"
    keys = 'SELECT "key", number, status FROM item ORDER BY "key"'
    counters = "SELECT code, next_item_no, next_meeting_no FROM chain ORDER BY code"
    with database.transaction(write=False) as a, other.transaction(write=False) as b:
        ours, theirs = ([(*r[:1], moment(r[1]), *r[2:]) for r in db.rows(events)] for db in (a, b))
        assert sorted(ours) == sorted(theirs)
        assert a.rows(keys) == b.rows(keys)
        assert a.rows(counters) == b.rows(counters)


def test_items_added_after_an_import_continue_the_numbering(
    database: Database, other: Database
) -> None:
    build_district(database)
    load(other, export_text(database))
    day = date(2026, 11, 21)
    with other.transaction(write=True) as session:
        detail = add_item(
            session, new_unit=True, chain="IC", title="Next", unit="Bureau", due=day, stamp=at(day)
        )
        add_member(session, code="IC", name="New Member", stamp=at(day), new_person=True)
    assert detail.key == "IC-9"


def test_times_in_other_offsets_are_stored_in_utc(other: Database) -> None:
    text = """
format = 'chainlead-snapshot'
format_version = 1

[[people]]
uuid = '5b0c3f8e-2c1d-4d7b-9a51-0f3e6c2b7a10'
name = 'Li Ming'
created_at = 2026-01-05T16:00:00+08:00
"""
    load(other, text, accept_unverified=True)  # format 1: no hashes
    assert "created_at = 2026-01-05T08:00:00Z" in export_text(other)
