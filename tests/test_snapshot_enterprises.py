"""Snapshot format 4: enterprises, their places on the chains, the enterprises that
raised an item, references and follow-ups travel whole and merge by uuid; a format 3
file still imports, its items given what the upgrade to schema 0006 gives them."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from snapshot_data import FIRST, SECOND, at, build_district, export_text, fresh_sqlite
from test_snapshot_loop import _as_version_3, load, tallies
from typer.testing import CliRunner

from chainlead.cli import app
from chainlead.domain import Stamp
from chainlead.domain.bottlenecks import add_item, follow_up_item, resolve_item
from chainlead.domain.enterprises import add_enterprise, edit_enterprise, link_enterprises
from chainlead.errors import SnapshotInvalid
from chainlead.snapshot.merge import SnapshotConflict
from chainlead.snapshot.reader import read_snapshot
from chainlead.store.connection import Reader
from chainlead.store.database import Database, downgrade, upgrade

Action = Callable[[Reader, Stamp], object]


def step(database: Database, day: date, action: Action, hour: int = 9) -> None:
    with database.transaction(write=True) as session:
        action(session, at(day, hour))


@pytest.fixture
def source(tmp_path: Path, template_db: Path) -> Iterator[Database]:
    """The test district, in a SQLite file beside the database under test."""
    database = fresh_sqlite(template_db, tmp_path / "source.db")
    build_district(database)
    yield database
    database.dispose()


def db_check(url: str) -> None:
    result = CliRunner().invoke(app, ["--db", url, "db", "check"])
    assert result.exit_code == 0, result.stdout + result.stderr


def rows(database: Database, sql: str) -> list[tuple]:
    with database.transaction(write=False) as session:
        return sorted(tuple(str(v) for v in row) for row in session.rows(sql))


ENTERPRISES = (
    "SELECT name, short, credit_code, contact, park, above_scale, created_at FROM enterprise"
)
PLACEMENTS = (
    "SELECT e.name, c.code, ec.segment, ec.lead, ec.created_at FROM enterprise_chain ec "
    "JOIN enterprise e ON e.id = ec.enterprise_id JOIN chain c ON c.id = ec.chain_id"
)
RAISERS = (
    'SELECT i."key", e.name, ie.position, ie.created_at FROM item_enterprise ie '
    "JOIN item i ON i.id = ie.item_id JOIN enterprise e ON e.id = ie.enterprise_id"
)
FOLLOW_UPS = (
    'SELECT i."key", e.name, f.result, p.name, f.note, f.asked_on, f.reopened_on, '
    "f.created_at FROM follow_up f JOIN item i ON i.id = f.item_id "
    "LEFT JOIN enterprise e ON e.id = f.enterprise_id JOIN person p ON p.id = f.by_id"
)


def test_format_4_round_trip(source: Database, database: Database, db_url: str) -> None:
    first = export_text(source, district="Jiangning District")
    document = tomllib.loads(first)
    assert document["format_version"] == 6
    assert [e["name"] for e in document["enterprises"]] == [SECOND, FIRST]  # by name
    registered = document["enterprises"][1]
    assert registered["credit_code"] == "91320115MA1N2B3C4P" and registered["above_scale"]
    assert "above_scale" not in document["enterprises"][0]  # false: left out
    ic = document["chains"][1]
    assert [
        (p["enterprise"], p.get("segment"), p.get("lead", False)) for p in ic["enterprises"]
    ] == [
        (SECOND, "midstream", False),
        (FIRST, "upstream", True),
    ]
    items = {item["key"]: item for item in ic["items"]}
    assert [e["enterprise"] for e in items["IC-1"]["enterprises"]] == [FIRST, SECOND]
    assert [e["enterprise"] for e in items["IC-8"]["enterprises"]] == [SECOND, FIRST]
    assert items["IC-8"]["enterprise"] == SECOND and items["IC-8"]["reference"] == "JN-2026-031"
    asked = [
        (f.get("enterprise"), f["result"], f.get("reopened_on"))
        for f in items["IC-8"]["follow_ups"]
    ]
    assert asked == [
        (FIRST, "basically_satisfied", date(2026, 9, 26)),  # set aside by the reopening
        (SECOND, "unsatisfied", date(2026, 9, 26)),
    ]
    assert [(f.get("enterprise"), f["note"]) for f in items["IC-4"]["follow_ups"]] == [
        (None, "Flats 'fine'")  # an item raised by no enterprise
    ]
    assert "enterprises" not in items["IC-2"] and "follow_ups" not in items["IC-2"]

    summary = load(database, first)
    assert summary.refusal is None
    counts = tallies(summary)
    assert counts["enterprises"] == (2, 0, 0)
    assert counts["enterprise_chains"] == (2, 0, 0)
    assert counts["item_enterprises"] == (7, 0, 0)
    assert counts["follow_ups"] == (4, 0, 0)
    assert export_text(database, district="Jiangning District") == first
    db_check(db_url)
    again = load(database, first)
    assert all(added == conflicting == 0 for added, _, conflicting in tallies(again).values())


def test_a_format_3_import_gives_what_the_upgrade_gives(tmp_path: Path, template_db: Path) -> None:
    """The same district, upgraded from schema 0005 and imported from format 3."""
    built = fresh_sqlite(template_db, tmp_path / "built.db")
    build_district(built)
    version_3 = _as_version_3(export_text(built))
    assert "format_version = 3\n" in version_3
    assert "follow_ups" not in version_3 and "[[enterprises]]" not in version_3
    downgrade(built, to="0005")
    upgrade(built)
    imported = fresh_sqlite(template_db, tmp_path / "imported.db")
    summary = load(imported, version_3)
    assert summary.refusal is None
    assert tallies(summary)["enterprises"] == (2, 0, 0)
    # IC-5's and IC-4's sign-offs and IC-8's unsatisfied answer were in its history
    assert tallies(summary)["follow_ups"] == (3, 0, 0)
    for sql in (ENTERPRISES, PLACEMENTS, RAISERS, FOLLOW_UPS):
        assert rows(imported, sql) == rows(built, sql), sql
    follow_ups = rows(imported, FOLLOW_UPS)
    assert ("IC-8", SECOND, "unsatisfied", "Zhang Wei", "Only two shifts a week") == (
        follow_ups[-1][:5]
    )
    assert follow_ups[-1][6] == "2026-09-26"  # the reopening it made sets it aside
    db_check(str(tmp_path / "imported.db"))
    # a format 4 export of it imports into the upgraded database as the same records
    again = load(built, _as_version_3(export_text(imported)))
    assert tallies(again)["items"] == (0, 8, 0)
    assert tallies(again)["follow_ups"] == (0, 0, 0)  # the stored items keep their own
    built.dispose()
    imported.dispose()


def test_a_format_3_item_names_a_stored_enterprise(source: Database, database: Database) -> None:
    step(
        database,
        date(2026, 5, 1),
        lambda s, t: add_enterprise(s, name=SECOND, park="Binjiang", stamp=t),
    )
    summary = load(database, _as_version_3(export_text(source)))
    assert tallies(summary)["enterprises"] == (1, 0, 0)  # FIRST; SECOND is the stored one
    document = tomllib.loads(export_text(database))
    assert [(e["name"], e.get("park")) for e in document["enterprises"]] == [
        (SECOND, "Binjiang"),
        (FIRST, None),
    ]
    items = {item["key"]: item for item in document["chains"][1]["items"]}
    assert [e["enterprise"] for e in items["IC-8"]["enterprises"]] == [SECOND]
    assert [e["enterprise"] for e in items["IC-1"]["enterprises"]] == [FIRST]


# ------------------------------------------------------------------ merging


@pytest.fixture
def two_machines(source: Database, database: Database) -> tuple[Database, Database]:
    """The district on the database under test and on a second machine."""
    load(database, export_text(source))
    return database, source


def test_links_and_follow_ups_are_unioned_by_uuid(
    two_machines: tuple[Database, Database], db_url: str
) -> None:
    ours, theirs = two_machines
    step(
        ours,
        date(2026, 11, 2),
        lambda s, t: link_enterprises(s, key="IC-3", enterprises=(SECOND,), stamp=t),
    )
    step(
        theirs,
        date(2026, 11, 2),
        lambda s, t: link_enterprises(s, key="IC-3", enterprises=("Lishui Glass Co.",), stamp=t),
        hour=11,
    )
    step(
        theirs,
        date(2026, 11, 3),
        lambda s, t: resolve_item(s, key="IC-8", how="Three shifts", stamp=t),
    )
    step(
        theirs,
        date(2026, 11, 4),
        lambda s, t: follow_up_item(
            s, key="IC-8", enterprise=SECOND, result="satisfied", by="Zhang Wei", stamp=t
        ),
    )
    with pytest.raises(SnapshotConflict) as refused:
        load(ours, export_text(theirs))
    assert any("IC-8 differs from the stored item" in line for line in refused.value.problems)
    summary = load(ours, export_text(theirs), on_conflict="theirs")
    counts = tallies(summary)
    assert counts["enterprises"] == (1, 2, 0)  # Lishui Glass Co., added on the second machine
    assert counts["item_enterprises"] == (1, 7, 0)
    assert counts["follow_ups"] == (1, 4, 0)
    ic = tomllib.loads(export_text(ours))["chains"][1]
    items = {item["key"]: item for item in ic["items"]}
    assert [e["enterprise"] for e in items["IC-3"]["enterprises"]] == [
        FIRST,
        SECOND,
        "Lishui Glass Co.",
    ]
    assert items["IC-3"]["enterprise"] == FIRST
    assert "Lishui Glass Co." in [p["enterprise"] for p in ic["enterprises"]]
    assert [f.get("reopened_on") for f in items["IC-8"]["follow_ups"]] == [
        date(2026, 9, 26),
        date(2026, 9, 26),
        None,
    ]
    db_check(db_url)


def test_enterprise_details_changed_on_both_sides(two_machines: tuple[Database, Database]) -> None:
    ours, theirs = two_machines
    step(
        ours,
        date(2026, 11, 2),
        lambda s, t: edit_enterprise(s, name=SECOND, park="Binjiang", stamp=t),
    )
    step(
        theirs,
        date(2026, 11, 2),
        lambda s, t: edit_enterprise(s, name=SECOND, park="Lukou", stamp=t),
    )
    text = export_text(theirs)
    with pytest.raises(SnapshotConflict) as refused:
        load(ours, text)
    assert f"enterprises[0]: {SECOND} differs from the stored enterprise (park)" in str(
        refused.value
    )
    assert "ours or theirs settles" in str(refused.value)
    load(ours, text, on_conflict="ours")
    assert tomllib.loads(export_text(ours))["enterprises"][0]["park"] == "Binjiang"
    load(ours, text, on_conflict="theirs")
    assert tomllib.loads(export_text(ours))["enterprises"][0]["park"] == "Lukou"


def test_two_current_follow_ups_of_one_enterprise_conflict(
    two_machines: tuple[Database, Database],
) -> None:
    ours, theirs = two_machines
    for database, answer in ((ours, "satisfied"), (theirs, "basically_satisfied")):
        step(
            database,
            date(2026, 11, 3),
            lambda s, t: resolve_item(s, key="IC-8", how="Shifts", stamp=t),
        )
        step(
            database,
            date(2026, 11, 4),
            lambda s, t, answer=answer: follow_up_item(
                s, key="IC-8", enterprise=FIRST, result=answer, by="Zhang Wei", stamp=t
            ),
        )
    for choice in ("fail", "ours", "theirs"):
        with pytest.raises(SnapshotConflict) as refused:
            load(ours, export_text(theirs), on_conflict=choice)
        assert "no --on-conflict choice settles" in str(refused.value)
        lines = [str(refused.value), *refused.value.problems]
        assert any(f"IC-8 would have 2 current follow-ups of {FIRST}" in line for line in lines)


def test_a_reference_taken_by_another_stored_item_conflicts(
    two_machines: tuple[Database, Database],
) -> None:
    ours, theirs = two_machines
    for database, title in ((ours, "Ours"), (theirs, "Theirs")):
        step(
            database,
            date(2026, 11, 2),
            lambda s, t, title=title: add_item(
                s,
                chain="IC",
                title=title,
                unit="District Development and Reform Bureau",
                due=date(2026, 12, 2),
                reference="JN-2026-040",
                stamp=t,
            ),  # fmt: skip
        )
    for choice in ("fail", "ours", "theirs"):
        with pytest.raises(SnapshotConflict) as refused:
            load(ours, export_text(theirs), on_conflict=choice)
        lines = [str(refused.value), *refused.value.problems]
        assert any(
            "chains[1].items[8].reference: JN-2026-040 is the reference of stored item IC-9" in line
            for line in lines
        ), lines


# ------------------------------------------------------------------ checks


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda text: text.replace(
                "credit_code = '91320115MA1N2B3C4P'", "credit_code = '91320115MA1N2B3C4Q'"
            ),
            "enterprises[1].credit_code: expected a unified social credit code whose check "
            'character (GB 32100-2015) is P, not Q, got "91320115MA1N2B3C4Q"',
        ),
        (
            lambda text: text.replace("credit_code = '91320115MA1N2B3C4P'", "credit_code = '9132'"),
            "enterprises[1].credit_code: expected",
        ),
        (
            lambda text: text.replace("reference = 'JN-2026-031'", f"reference = '{'J' * 101}'"),
            "chains[1].items[7].reference: expected at most 100 characters, got 101",
        ),
        (
            lambda text: text.replace("result = 'unsatisfied'", "result = 'happy'"),
            "chains[1].items[7].follow_ups[1].result: expected one of satisfied, "
            "basically_satisfied, unsatisfied",
        ),
        (
            lambda text: text.replace("segment = 'midstream'", "segment = 'sideways'"),
            "chains[1].enterprises[0].segment: expected one of upstream, midstream, downstream",
        ),
        (
            lambda text: text.replace("above_scale = true", "above_scale = 'yes'"),
            'enterprises[1].above_scale: expected true or false, got "yes"',
        ),
        (
            lambda text: text.replace(", reopened_on = 2026-09-26", "", 2).replace(
                f'enterprise = "{SECOND}", result', f"enterprise = '{FIRST}', result"
            ),
            "chains[1].items[7].follow_ups[1].reopened_on: missing: "
            f"{FIRST} already has a current follow-up at chains[1].items[7].follow_ups[0]",
        ),
        (
            lambda text: text.replace(
                f'enterprise = "{SECOND}"\nreference', "enterprise = 'Other'\nreference"
            ),
            f'chains[1].items[7].enterprise: expected "{SECOND}", the first of its enterprises, '
            'got "Other"',
        ),
    ],
)
def test_a_bad_value_is_refused_with_its_path(
    source: Database, change: Callable[[str], str], message: str
) -> None:
    text = export_text(source)
    bad = change(text)
    assert bad != text
    with pytest.raises(SnapshotInvalid) as caught:
        read_snapshot(bad.encode(), "snap.toml")
    lines = [str(caught.value), *getattr(caught.value, "problems", [])]
    assert any(message in line for line in lines), lines


def test_an_enterprise_named_nowhere_is_refused(source: Database, database: Database) -> None:
    text = re.sub(r"\n\[\[enterprises\]\]\n(?:[a-z_]+ = .*\n)+", "", export_text(source), count=1)
    with pytest.raises(SnapshotInvalid) as caught:
        load(database, text)
    lines = [str(caught.value), *getattr(caught.value, "problems", [])]
    assert any(
        "chains[1].enterprises[0].enterprise: expected the name of an enterprise in the "
        "snapshot or the database" in line
        for line in lines
    ), lines
