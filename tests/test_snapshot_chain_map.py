"""Snapshot format 5: a chain's map (links, the enterprises on them), its projects with
progress reports, milestones and history, its annual targets, and the links and
projects items name travel whole, merge by uuid (else by natural key), and are checked
as ``db check`` holds them; a format 4 file still imports, with none of them."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from chain_data import DEVICES, FAB, PACKAGING, add_chain_map, add_link, add_target, on
from chain_data import add_project as insert_project
from chain_data import report as insert_report
from helpers import assert_refused, unchained
from snapshot_data import FIRST, SECOND, build_district, export_text, fresh_sqlite
from test_snapshot_loop import _as_version_4, _as_version_5, load, tallies
from typer.testing import CliRunner

from chainlead.cli import app
from chainlead.errors import SnapshotInvalid
from chainlead.snapshot.canonical import parse_canonical
from chainlead.snapshot.merge import SnapshotConflict
from chainlead.snapshot.reader import read_snapshot
from chainlead.store.database import Database


@pytest.fixture
def source(tmp_path: Path, template_db: Path) -> Iterator[Database]:
    """The test district with its chains' maps, projects and targets, in a SQLite file
    beside the database under test."""
    database = fresh_sqlite(template_db, tmp_path / "source.db")
    build_district(database)
    add_chain_map(database)
    yield database
    database.dispose()


def rows(database: Database, sql: str) -> list[tuple]:
    """The rows as text, the same on either backend (SQLite keeps a time's microseconds)."""
    with database.transaction(write=False) as session:
        return sorted(
            tuple(str(v).removesuffix(".000000") for v in row) for row in session.rows(sql)
        )


def db_check(url: str) -> None:
    result = CliRunner().invoke(app, ["--db", url, "db", "check"])
    assert result.exit_code == 0, result.stdout + result.stderr


LINKS = (
    "SELECT c.code, l.name, l.segment, l.state, l.position, l.note, l.created_at "
    "FROM chain_link l JOIN chain c ON c.id = l.chain_id"
)
ENTERPRISE_LINKS = (
    "SELECT e.name, l.name, el.created_at FROM enterprise_link el "
    "JOIN enterprise e ON e.id = el.enterprise_id JOIN chain_link l ON l.id = el.link_id"
)
TARGETS = (
    "SELECT c.code, t.year, t.figure, t.value, t.unit, t.kind, t.created_at FROM target t "
    "JOIN chain c ON c.id = t.chain_id"
)
PROJECTS = (
    'SELECT p."key", p.number, p.title, p.type, e.name, l.name, u.name, o.name, p.investment, '
    "p.investment_unit, p.start_on, p.end_on, p.planned_end_on, p.status, p.percent, "
    "p.invested, p.finished_on, p.dropped_on, p.note, p.created_at, p.updated_at "
    "FROM project p LEFT JOIN enterprise e ON e.id = p.enterprise_id "
    "LEFT JOIN chain_link l ON l.id = p.link_id LEFT JOIN unit u ON u.id = p.unit_id "
    "LEFT JOIN person o ON o.id = p.owner_id"
)
PROGRESS = (
    'SELECT p."key", r.as_of, r.percent, r.invested, r.note, r.why, r."by", r.created_at '
    "FROM project_progress r JOIN project p ON p.id = r.project_id"
)
MILESTONES = (
    'SELECT p."key", m.title, m.due_on, m.done_on, m.created_at FROM project_milestone m '
    "JOIN project p ON p.id = m.project_id"
)
ITEMS = (
    'SELECT i."key", l.name, p."key" FROM item i LEFT JOIN chain_link l ON l.id = i.link_id '
    "LEFT JOIN project p ON p.id = i.project_id"
)
EVENTS = (
    'SELECT e.uuid, e.kind, c.code, i."key", m."key", p."key" FROM event e '
    "LEFT JOIN chain c ON c.id = e.chain_id LEFT JOIN item i ON i.id = e.item_id "
    "LEFT JOIN meeting m ON m.id = e.meeting_id LEFT JOIN project p ON p.id = e.project_id"
)
NUMBERS = "SELECT code, next_project_no FROM chain"
EVERYTHING = (LINKS, ENTERPRISE_LINKS, TARGETS, PROJECTS, PROGRESS, MILESTONES, ITEMS, EVENTS)


def test_format_5_round_trip(source: Database, database: Database, db_url: str) -> None:
    first = export_text(source, district="Jiangning District")
    document = tomllib.loads(first)
    assert parse_canonical(first) == document  # the fast reader reads it as tomllib does
    assert document["format_version"] == 6
    bio, ic = document["chains"]
    assert (ic["next_project_no"], bio["next_project_no"]) == (4, 2)
    links = [
        (link["name"], link["segment"], link["state"], link["position"]) for link in ic["links"]
    ]
    assert links == [
        (FAB, "upstream", "strong", 1),
        (PACKAGING, "midstream", "weak", 2),
        (DEVICES, "downstream", "missing", 3),
    ]  # fmt: skip
    assert ic["links"][1]["note"] == "产能不足\n待扩产"
    assert [(e["enterprise"], e["link"]) for e in ic["enterprise_links"]] == [
        (SECOND, PACKAGING),  # by enterprise name, then the link's place
        (FIRST, FAB),
        (FIRST, PACKAGING),
    ]
    targets = [
        (t["year"], t["figure"], t["value"], t.get("unit"), t["kind"]) for t in ic["targets"]
    ]
    assert targets == [
        (2026, "new_projects", "12", None, "sum"),
        (2026, "output_value", "180", "亿元", "latest"),
    ]  # fmt: skip
    wafer, dropped = ic["projects"]
    assert (wafer["key"], wafer["type"], wafer["enterprise"], wafer["link"]) == (
        "IC-P1", "strengthen", FIRST, FAB,
    )  # fmt: skip
    assert (wafer["unit"], wafer["owner"], wafer["investment"], wafer["investment_unit"]) == (
        "District Development and Reform Bureau", "Wang Fang", "45", "亿元",
    )  # fmt: skip
    assert (wafer["planned_end"], wafer["end"], wafer["percent"], wafer["invested"]) == (
        date(2027, 3, 31), date(2027, 6, 30), 40, "12.5",
    )  # fmt: skip
    assert [(r["as_of"], r["percent"], r.get("invested")) for r in wafer["progress"]] == [
        (date(2026, 6, 30), 20, "5"),
        (date(2026, 9, 30), 40, "12.5"),
    ]
    assert [(m["title"], m.get("done")) for m in wafer["milestones"]] == [
        ("主体结构封顶", date(2026, 9, 28)),
        ("设备搬入", None),
    ]
    assert [e["kind"] for e in wafer["history"]] == [
        "project_added",
        "progress",
        "progress",
        "edited",
    ]
    assert all("project" not in e for e in wafer["history"])  # filed under it: not named
    assert wafer["history"][0]["person"] == "Wang Fang"
    assert (dropped["key"], dropped["status"], dropped["dropped"], dropped["percent"]) == (
        "IC-P3", "dropped", date(2026, 10, 15), 0,
    )  # fmt: skip
    assert "progress" not in dropped and "invested" not in dropped and "enterprise" not in dropped
    assert all("project" not in e for e in ic.get("history", []))
    items = {item["key"]: item for item in ic["items"]}
    assert (items["IC-1"]["link"], items["IC-1"]["project"]) == (FAB, "IC-P1")
    assert (items["IC-2"]["link"], items["IC-2"].get("project")) == (PACKAGING, None)
    assert (items["IC-3"].get("link"), items["IC-3"]["project"]) == (None, "IC-P3")
    assert [e["project"] for e in items["IC-1"]["history"] if "project" in e] == ["IC-P1"]
    (discussed,) = [e for e in ic["meetings"][0]["history"] if e["kind"] == "discussed"]
    assert discussed["project"] == "IC-P1"
    assert bio["projects"][0]["progress"][0]["why"] == "补报"

    summary = load(database, first)
    assert summary.refusal is None
    counts = tallies(summary)
    assert counts["chain_links"] == (4, 0, 0)
    assert counts["enterprise_links"] == (3, 0, 0)
    assert counts["targets"] == (3, 0, 0)
    assert counts["projects"] == (3, 0, 0)
    assert counts["progress"] == (3, 0, 0)
    assert counts["milestones"] == (2, 0, 0)
    assert export_text(database, district="Jiangning District") == first
    for sql in (*EVERYTHING, NUMBERS):
        assert rows(database, sql) == rows(source, sql), sql
    db_check(db_url)
    again = load(database, first)
    assert all(added == conflicting == 0 for added, _, conflicting in tallies(again).values())
    assert tallies(again)["projects"] == (0, 3, 0)


def test_one_chain_carries_its_project_owners(source: Database, database: Database) -> None:
    """A --chain export names the people its projects name, so that it imports alone."""
    text = export_text(source, chain="BIO")
    assert "Chen Hua" in [p["name"] for p in tomllib.loads(text)["people"]]
    load(database, text)
    assert rows(database, PROJECTS) == [r for r in rows(source, PROJECTS) if r[0] == "BIO-P1"]


def test_a_partial_export_carries_the_projects_changed_since(source: Database) -> None:
    """``--since``: projects made, changed or with an event since then; every link and
    target (what the items and projects name)."""
    document = tomllib.loads(export_text(source, since=date(2026, 10, 12)))
    bio, ic = document["chains"]
    assert [p["key"] for p in ic["projects"]] == ["IC-P3"]  # IC-P1: last touched 2026-10-11
    assert [p["key"] for p in bio["projects"]] == ["BIO-P1"]
    assert [link["name"] for link in ic["links"]] == [FAB, PACKAGING, DEVICES]
    assert len(ic["targets"]) == 2


def test_a_format_4_file_imports_with_no_map(
    tmp_path: Path, template_db: Path, database: Database
) -> None:
    plain = fresh_sqlite(template_db, tmp_path / "plain.db")
    build_district(plain)
    version_4 = _as_version_4(export_text(plain))
    assert "format_version = 4\n" in version_4 and "next_project_no" not in version_4
    summary = load(database, version_4)
    for kind in ("chain_links", "enterprise_links", "targets", "projects", "progress"):
        assert tallies(summary)[kind] == (0, 0, 0)
    assert rows(database, NUMBERS) == [("BIO", "1"), ("IC", "1")]
    # the events chained as a format 4 file gives them, not in the order plain wrote them
    assert unchained(export_text(database)) == unchained(export_text(plain))
    plain.dispose()


def _as_format_4(text: str) -> str:
    """A format 5 export as format 4 wrote it: no links, enterprise links, targets,
    projects, project numbers, nor links and projects named by items and events."""
    text = _as_version_5(text).replace("format_version = 5\n", "format_version = 4\n")
    text = re.sub(r"(?m)^links = \[\n(?:    \{ uuid = '[^']*', name = .*\n)+\]\n", "", text)
    text = re.sub(r"(?m)^(?:enterprise_links|targets) = \[\n(?:    .*\n)*?\]\n", "", text)
    text = re.sub(r"\n\[\[chains\.projects\]\]\n.*?(?=\n\[\[|\Z)", "", text, flags=re.S)
    text = re.sub(r"(?m)^(?:link|project|next_project_no) = .*\n", "", text)
    return re.sub(r", project = '[^']*'", "", text)


def test_a_format_4_item_leaves_a_stored_items_link_and_project(
    source: Database, database: Database
) -> None:
    load(database, export_text(source))
    older = _as_format_4(
        export_text(source).replace("title = 'Land quota for the fab expansion'", "title = 'Land'")
    )
    document = tomllib.loads(older)
    for chain in document["chains"]:
        assert not {"links", "projects", "targets", "enterprise_links"} & chain.keys()
    summary = load(database, older, on_conflict="theirs")
    assert tallies(summary)["items"] == (0, 7, 1)
    ic_1 = [r for r in rows(database, ITEMS) if r[0] == "IC-1"]
    assert ic_1 == [("IC-1", FAB, "IC-P1")]
    assert rows(database, "SELECT title FROM item WHERE \"key\" = 'IC-1'") == [("Land",)]


# ------------------------------------------------------------------ merging


@pytest.fixture
def two_machines(source: Database, database: Database) -> tuple[Database, Database]:
    """The district on the database under test and on a second machine."""
    load(database, export_text(source))
    return database, source


def write(database: Database, action: Callable) -> None:  # type: ignore[type-arg]
    with database.transaction(write=True) as db:
        action(db)


def wafer_id(db) -> int:  # noqa: ANN001
    return int(db.rows("SELECT id FROM project WHERE \"key\" = 'IC-P1'")[0][0])


def test_progress_is_unioned_and_the_project_follows_its_latest_report(
    two_machines: tuple[Database, Database], db_url: str
) -> None:
    ours, theirs = two_machines
    write(ours, lambda db: insert_report(db, wafer_id(db), date(2026, 10, 31), 45, invested="14",
                                         at=on(date(2026, 11, 1))))  # fmt: skip
    write(theirs, lambda db: insert_report(db, wafer_id(db), date(2026, 11, 30), 60,
                                           at=on(date(2026, 12, 1))))  # fmt: skip
    summary = load(ours, export_text(theirs))  # no conflict: reports are added by uuid
    assert tallies(summary)["progress"] == (1, 3, 0)  # IC-P1's two and BIO-P1's one kept
    assert tallies(summary)["projects"] == (0, 3, 0)
    wafer = [r for r in rows(ours, PROJECTS) if r[0] == "IC-P1"][0]
    assert (wafer[14], wafer[15]) == ("60", "None")  # the latest by as_of: 2026-11-30
    assert [r[1:3] for r in rows(ours, PROGRESS) if r[0] == "IC-P1"] == [
        ("2026-06-30", "20"), ("2026-09-30", "40"), ("2026-10-31", "45"), ("2026-11-30", "60"),
    ]  # fmt: skip
    again = export_text(ours)
    assert tomllib.loads(again)["chains"][1]["projects"][0]["updated_at"].date() == date(
        2026, 12, 1
    )
    db_check(db_url)


def test_links_and_targets_changed_on_both_sides(two_machines: tuple[Database, Database]) -> None:
    ours, theirs = two_machines
    for database, state, value in ((ours, "strong", "190"), (theirs, "missing", "200")):
        write(database, lambda db, state=state: db.execute(
            f"UPDATE chain_link SET state = '{state}' WHERE name = :n",
            {"n": PACKAGING}))  # fmt: skip
        write(database, lambda db, value=value: db.execute(
            f"UPDATE target SET value = '{value}' WHERE figure = 'output_value' AND year = 2026 "
            "AND chain_id = (SELECT id FROM chain WHERE code = 'IC')"))  # fmt: skip
    text = export_text(theirs)
    with pytest.raises(SnapshotConflict) as refused:
        load(ours, text)
    lines = [str(refused.value), *refused.value.problems]
    assert any(
        f"chains[1].links[1]: {PACKAGING} on IC differs from the stored link (state)" in line
        for line in lines
    ), lines
    assert any(
        "chains[1].targets[1]: the 2026 target of output_value on IC differs from the stored "
        "one (value)" in line
        for line in lines
    ), lines
    load(ours, text, on_conflict="ours")
    assert ("IC", PACKAGING, "midstream", "strong") in [r[:4] for r in rows(ours, LINKS)]
    load(ours, text, on_conflict="theirs")
    assert ("IC", PACKAGING, "midstream", "missing") in [r[:4] for r in rows(ours, LINKS)]
    assert ("IC", "2026", "output_value", "200") in [r[:4] for r in rows(ours, TARGETS)]


def test_a_link_and_a_target_made_on_both_sides_are_one(
    two_machines: tuple[Database, Database],
) -> None:
    """Another uuid, the same chain and name (year and figure): the stored record."""
    ours, theirs = two_machines
    for database in (ours, theirs):
        write(database, lambda db: add_link(db, "IC", "设计", "upstream", position=4,
                                            at=on(date(2026, 11, 2))))  # fmt: skip
        write(database, lambda db: add_target(db, "IC", 2027, "new_projects", "15",
                                              at=on(date(2026, 11, 2))))  # fmt: skip
    summary = load(ours, export_text(theirs))
    assert tallies(summary)["chain_links"] == (0, 5, 0)
    assert tallies(summary)["targets"] == (0, 4, 0)
    assert len([r for r in rows(ours, LINKS) if r[1] == "设计"]) == 1
    assert len([r for r in rows(ours, TARGETS) if r[1] == "2027"]) == 1


def test_a_project_key_made_on_both_sides_is_added_under_the_next_number(
    two_machines: tuple[Database, Database], db_url: str
) -> None:
    ours, theirs = two_machines
    for database, title in ((ours, "Ours"), (theirs, "Theirs")):

        def made(db, title: str = title) -> None:  # noqa: ANN001
            project = insert_project(
                db, "IC", 4, title=title, type="extend", start_on=date(2026, 11, 1),
                end_on=date(2027, 11, 1), created_at=on(date(2026, 11, 2)),
            )  # fmt: skip
            db.execute("UPDATE chain SET next_project_no = 5 WHERE code = 'IC'")
            db.execute("UPDATE item SET project_id = :p WHERE \"key\" = 'IC-2'", {"p": project})

        write(database, made)
    text = export_text(theirs)
    with pytest.raises(SnapshotConflict) as refused:
        load(ours, text)
    assert "chains[1].projects[2].key: IC-P4 is stored with another uuid" in str(refused.value)
    summary = load(ours, text, on_conflict="ours")
    assert "chains[1].projects[2]: IC-P4 from the snapshot added as IC-P5" in summary.notes
    projects = {r[0]: r[2] for r in rows(ours, PROJECTS)}
    assert (projects["IC-P4"], projects["IC-P5"]) == ("Ours", "Theirs")
    assert ("IC", "6") in rows(ours, NUMBERS)
    # the item keeps the stored project (ours), the snapshot's key named the new one
    assert ("IC-2", PACKAGING, "IC-P4") in rows(ours, ITEMS)
    db_check(db_url)


def test_a_milestone_of_the_same_title_is_the_stored_one(
    two_machines: tuple[Database, Database],
) -> None:
    ours, theirs = two_machines
    write(theirs, lambda db: db.execute(
        "UPDATE project_milestone SET uuid = :u, done_on = :d WHERE title = '设备搬入'",
        {"u": "c0000000-0000-4000-8000-000000000001", "d": date(2027, 1, 20)}))  # fmt: skip
    text = export_text(theirs)
    with pytest.raises(SnapshotConflict) as refused:
        load(ours, text)
    assert "设备搬入 of IC-P1 differs from the stored milestone (done)" in str(refused.value)
    load(ours, text, on_conflict="theirs")
    assert ("IC-P1", "设备搬入", "2027-01-31", "2027-01-20") in [
        r[:4] for r in rows(ours, MILESTONES)
    ]


# ------------------------------------------------------------------ checks


def _latest_percent(text: str) -> str:
    return text.replace("percent = 40\ninvested = '12.5'", "percent = 45\ninvested = '12.5'")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _latest_percent,
            "chains[1].projects[0].percent: expected 40, as its latest progress report "
            "(as of 2026-09-30) says, got 45",
        ),
        (
            lambda text: text.replace("percent = 40\n", "percent = 140\n"),
            "chains[1].projects[0].percent: expected a whole number from 0 to 100, got 140",
        ),
        (
            lambda text: text.replace("invested = '12.5'\n", "invested = '12,5'\n"),
            "chains[1].projects[0].invested: expected a decimal number as a string",
        ),
        (
            lambda text: text.replace("type = 'strengthen'", "type = 'rebuild'"),
            "chains[1].projects[0].type: expected one of build, strengthen, fill, extend",
        ),
        (
            lambda text: text.replace("end = 2027-06-30", "end = 2026-02-01"),
            "chains[1].projects[0].end: expected a date not before start (2026-03-01)",
        ),
        (
            lambda text: text.replace("next_project_no = 4", "next_project_no = 3"),
            "chains[1].next_project_no: expected more than the highest project number (3)",
        ),
        (
            lambda text: text.replace("key = 'IC-P3'", "key = 'BIO-P3'"),
            "chains[1].projects[1].key: expected a project key of chain IC such as IC-P1",
        ),
        (
            lambda text: text.replace("project = 'IC-P3'", "project = 'IC-3'"),
            "chains[1].items[2].project: expected a project key of chain IC such as IC-P1",
        ),
        (
            lambda text: text.replace("state = 'weak'", "state = 'shaky'"),
            "chains[1].links[1].state: expected one of strong, weak, missing",
        ),
        (
            lambda text: text.replace(f"name = '{DEVICES}'", f"name = '{FAB}'"),
            "chains[1].links[2].name: link name already used at chains[1].links[0].name",
        ),
        (
            lambda text: text.replace(f"name = '{DEVICES}'", f"name = '{FAB}  '"),  # folded
            "chains[1].links[2].name: link name already used at chains[1].links[0].name",
        ),
        (
            lambda text: text.replace(
                "year = 2026, figure = 'new_projects'", "year = 26, figure = 'new_projects'"
            ),
            "chains[1].targets[0].year: expected a year from 2000 to 2100, e.g. 2026, got 26",
        ),
        (
            lambda text: text.replace("kind = 'latest', created_at", "kind = 'max', created_at"),
            "chains[0].targets[0].kind: expected one of sum, latest",
        ),
        (
            lambda text: text.replace("title = '设备搬入'", "title = '主体结构封顶'"),
            "chains[1].projects[0].milestones[1].title: milestone title already used at "
            "chains[1].projects[0].milestones[0].title",
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


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda text: text.replace("link = '晶圆制造'\nproject", "link = '设计'\nproject"),
            "chains[1].items[0].link: expected the name of a link of chain IC, in the snapshot "
            'or the database, got "设计"',
        ),
        (
            lambda text: text.replace("project = 'IC-P1'\n", "project = 'IC-P2'\n"),
            "chains[1].items[0].project: expected the key of a project of this chain, in the "
            'snapshot or the database, got "IC-P2"',
        ),
        (
            lambda text: text.replace(
                "unit = 'District Development and Reform Bureau'\nowner = 'Wang Fang'",
                "unit = 'Nowhere Bureau'\nowner = 'Wang Fang'",
                1,
            ),
            "chains[1].projects[0].unit: expected the name of a unit in the snapshot or the "
            'database, got "Nowhere Bureau"',
        ),
        (
            lambda text: text.replace(
                f"enterprise = '{FIRST}', link = '{FAB}'",
                f"enterprise = '{FIRST}', link = '原料药'",
            ),
            "chains[1].enterprise_links[1].link: expected the name of a link of chain IC",
        ),
    ],
)
def test_a_name_of_nothing_on_the_chain_is_refused_and_nothing_written(
    source: Database, db_url: str, tmp_path: Path, change: Callable[[str], str], message: str
) -> None:
    text = export_text(source)
    bad = change(text)
    assert bad != text
    path = tmp_path / "bad.toml"
    path.write_text(bad, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db_url, "import", str(path)])
    assert result.exit_code != 0
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    exported = runner.invoke(app, ["--db", db_url, "export"])
    assert "[[chains]]" not in exported.stdout  # nothing was written


def test_an_enterprise_on_a_link_must_be_on_its_chain(source: Database, database: Database) -> None:
    text = export_text(source)
    bio = text.index("code = 'BIO'")
    placed = (
        "enterprise_links = [\n    { uuid = 'c1000000-0000-4000-8000-000000000001', "
        f"enterprise = '{FIRST}', link = '原料药', created_at = 2026-10-01T09:00:00Z }},\n]\n"
    )
    at = text.index("history = [", bio)
    bad = text[:at] + placed + text[at:]
    with pytest.raises(SnapshotInvalid) as caught:
        load(database, bad)
    lines = [str(caught.value), *getattr(caught.value, "problems", [])]
    assert any(
        "chains[0].enterprise_links[0].enterprise: expected an enterprise on chain BIO" in line
        for line in lines
    ), lines


def test_the_upgrade_fill_of_schema_0007_round_trips(
    db_url: str, tmp_path: Path, template_db: Path
) -> None:
    """The rows ``test_reliability_upgrade`` fills a schema-0007 database with (given ids,
    a project event, an item on a link and a project) export, import and export again."""
    from test_reliability_upgrade import build_at

    from chainlead.migrations import HEAD
    from chainlead.store.database import open_database

    build_at(db_url, HEAD)
    filled = open_database(db_url)
    text = export_text(filled)
    (ic,) = [chain for chain in tomllib.loads(text)["chains"] if chain["code"] == "IC"]
    assert [p["key"] for p in ic["projects"]] == ["IC-P1"]
    assert ic["projects"][0]["history"][0]["kind"] == "project_added"
    assert (ic["items"][0]["link"], ic["items"][0]["project"]) == ("晶圆制造 'fab'", "IC-P1")
    other = fresh_sqlite(template_db, tmp_path / "other.db")
    load(other, text)
    assert export_text(other) == text
    for sql in EVERYTHING:
        assert rows(other, sql) == rows(filled, sql), sql
    filled.dispose()
    other.dispose()


# ------------------------------------------------------------------ merged by the CLI


def cli(url: str | Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", str(url), *args])
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


def test_a_project_taken_from_theirs_follows_its_merged_latest_report(
    two_machines: tuple[Database, Database], db_url: str, tmp_path: Path
) -> None:
    """Their title and their later report: the stored percent follows the report."""
    theirs = tmp_path / "source.db"
    cli(theirs, "project", "progress", "IC-P1", "--percent", "55", "--note", "n")
    cli(theirs, "project", "edit", "IC-P1", "--title", "新标题")
    cli(theirs, "export", str(tmp_path / "theirs.toml"))
    cli(db_url, "import", str(tmp_path / "theirs.toml"), "--on-conflict", "theirs")
    shown = json.loads(cli(db_url, "project", "show", "IC-P1", "--json"))
    assert (shown["title"], shown["percent"]) == ("新标题", 55)
    db_check(db_url)
    read_snapshot(cli(db_url, "export").encode(), "again.toml")  # it imports again


def test_links_added_on_two_machines_take_the_next_free_positions(
    two_machines: tuple[Database, Database], db_url: str, tmp_path: Path
) -> None:
    theirs = tmp_path / "source.db"
    cli(db_url, "chain", "link", "add", "IC", "甲环节", "--segment", "downstream")
    for name in ("乙环节", "丙环节"):
        cli(theirs, "chain", "link", "add", "IC", name, "--segment", "downstream")
    cli(theirs, "export", str(tmp_path / "theirs.toml"))
    cli(db_url, "import", str(tmp_path / "theirs.toml"))
    links = json.loads(cli(db_url, "chain", "link", "list", "IC", "--json"))
    assert [link["name"] for link in links][-3:] == ["甲环节", "乙环节", "丙环节"]
    positions = sorted(int(r[4]) for r in rows(two_machines[0], LINKS) if r[0] == "IC")
    assert positions == sorted(set(positions))
    db_check(db_url)


def test_a_link_of_one_name_in_another_width_is_the_stored_one(
    two_machines: tuple[Database, Database], db_url: str, tmp_path: Path
) -> None:
    theirs = tmp_path / "source.db"
    cli(db_url, "chain", "link", "add", "IC", "ABC环节", "--segment", "downstream")
    cli(theirs, "chain", "link", "add", "IC", "ａｂｃ环节", "--segment", "downstream")
    cli(theirs, "export", str(tmp_path / "theirs.toml"))
    out = CliRunner().invoke(app, ["--db", db_url, "import", str(tmp_path / "theirs.toml")])
    assert out.exit_code == 0, out.stdout + out.stderr
    assert "ａｂｃ环节 taken to be the stored link ABC环节" in out.stdout + out.stderr
    names = [r[1] for r in rows(two_machines[0], LINKS) if r[0] == "IC"]
    assert "ABC环节" in names
    assert "ａｂｃ环节" not in names
    db_check(db_url)


def test_db_check_finds_two_links_of_one_name_in_another_case(
    database: Database, db_url: str
) -> None:
    build_district(database)
    write(database, lambda db: add_link(db, "IC", "ABC环节", "upstream", at=on(date(2026, 10, 1))))
    write(database, lambda db: add_link(db, "IC", "abc环节", "upstream", position=2,
                                        at=on(date(2026, 10, 1))))  # fmt: skip
    result = CliRunner().invoke(app, ["--db", db_url, "db", "check"])
    assert result.exit_code != 0
    assert "links 'ABC环节' and 'abc环节' are one name" in result.stdout + result.stderr


@pytest.mark.parametrize("value", ["-3", "0", "0.0", "１５"])
def test_a_target_value_target_set_refuses_is_refused_on_import(
    source: Database, db_url: str, tmp_path: Path, value: str
) -> None:
    text = export_text(source)
    at = text.index("targets = [")
    bad = text[:at] + re.sub(r"value = '[^']*'", f"value = '{value}'", text[at:], count=1)
    path = tmp_path / "bad.toml"
    path.write_text(bad, encoding="utf-8")
    result = CliRunner().invoke(app, ["--db", db_url, "import", str(path)])
    assert_refused(
        result, 2, "chains[0].targets[0].value: expected a decimal above 0 in ASCII digits"
    )
    exported = CliRunner().invoke(app, ["--db", db_url, "export"])
    assert "[[chains]]" not in exported.stdout  # nothing was written
