"""Import read as a stream: a chain at a time, yet all or nothing, in either spelling.

``import_source`` checks, plans and writes one chain before reading the next;
a problem or a refused conflict further on must still leave the database as
it was, and text that stops being canonical half-way is read again whole.
The checked form the reader uses for history and link lines must agree with
the raw reading plus ``schema``'s checks.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path

import pytest
from helpers import db_state
from hypothesis import given, settings
from hypothesis import strategies as st
from snapshot_data import build_district, export_text, fresh_sqlite

from chainlead.errors import SnapshotInvalid
from chainlead.snapshot.canonical import Checked, lines_of, records
from chainlead.snapshot.merge import SnapshotConflict, import_source
from chainlead.snapshot.reader import CHECKED, CHECKED_TABLES, Source, canonical_records
from chainlead.snapshot.schema import ITEM, ITEM_EVENT, LINK, CheckedTable, Checker
from chainlead.snapshot.writer import Writer
from chainlead.store.database import Database


def stream(database: Database, text: str, **options: object):  # noqa: ANN201
    source = Source("snap.toml", data=text.encode("utf-8"))
    with database.transaction(write=not options.get("dry_run")) as session:
        return import_source(session, source, limit=1 << 30, **options)  # type: ignore[arg-type]


@pytest.fixture
def district_text(tmp_path: Path, template_db: Path) -> str:
    source = fresh_sqlite(template_db, tmp_path / "source.db")
    build_district(source)
    text = export_text(source)
    source.dispose()
    return text


def state(database: Database) -> object:
    """What the database holds: every row on SQLite, the export elsewhere."""
    if database.target.path is not None:
        return db_state(database.target.path)
    return export_text(database)


def test_streamed_import_round_trips(database: Database, district_text: str) -> None:
    summary = stream(database, district_text)
    assert summary.refusal is None and summary.added > 0
    assert export_text(database) == district_text


def test_a_problem_in_a_later_chain_leaves_nothing(database: Database, district_text: str) -> None:
    # BIO comes first and is written before IC (the second chain) is read.
    ic = district_text.index("code = 'IC'")
    assert district_text.index("code = 'BIO'") < ic
    broken = district_text[:ic] + re.sub(
        r"\ndue = [0-9-]+\n", "\ndue = 'tomorrow'\n", district_text[ic:], count=1
    )
    before = state(database)
    with pytest.raises(SnapshotInvalid) as refused:
        stream(database, broken)
    assert "chains[1].items[0].due: expected a date" in str(refused.value)
    assert state(database) == before


def test_a_conflict_in_a_later_chain_leaves_nothing(database: Database, district_text: str) -> None:
    stream(database, district_text)
    # A new chain first (written at once), then a change to a stored IC item.
    extra = district_text.replace("code = 'BIO'", "code = 'AAB'").replace(
        "name = 'Biomedicine'", "name = 'Another chain'"
    )
    extra = re.sub(
        r"uuid = '([0-9a-f-]{36})'",
        lambda m: "uuid = '" + m.group(1)[:-4] + "beef'",
        extra.split("\n[[chains]]\n")[1],
    )
    changed = district_text.replace("title = 'Wastewater permit'", "title = 'Other'")
    head, chains = changed.split("\n[[chains]]\n", 1)
    text = f"{head}\n[[chains]]\n{extra}\n[[chains]]\n{chains}"
    before = state(database)
    with pytest.raises(SnapshotConflict) as refused:
        stream(database, text)
    assert "IC-5 differs from the stored item (title)" in str(refused.value)
    assert state(database) == before


def test_text_that_stops_being_canonical_is_read_again_whole(
    database: Database, district_text: str
) -> None:
    # A comment is valid TOML but not the canonical spelling: the stream gives
    # up there, after BIO was written, and tomllib reads the file from the start.
    last_item = district_text.rindex("\n[[chains.items]]\n")
    text = district_text[:last_item] + "\n# checked by hand\n" + district_text[last_item:]
    summary = stream(database, text)
    assert summary.refusal is None
    assert export_text(database) == district_text  # every record once


def test_a_dry_run_of_a_stream_writes_nothing(database: Database, district_text: str) -> None:
    before = state(database)
    summary = stream(database, district_text, dry_run=True)
    assert {t.kind: t.added for t in summary.tallies}["items"] == 8
    assert state(database) == before


def indexes(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        ).fetchall()
    finally:
        conn.close()


def test_the_schema_is_as_it_was_after_an_import_into_an_empty_database(
    tmp_path: Path, template_db: Path, district_text: str
) -> None:
    target = fresh_sqlite(template_db, tmp_path / "target.db")
    before = indexes(tmp_path / "target.db")
    stream(target, district_text)
    target.dispose()
    assert indexes(tmp_path / "target.db") == before
    conn = sqlite3.connect(tmp_path / "target.db")
    try:
        plan = " ".join(
            str(row)
            for row in conn.execute(
                "EXPLAIN QUERY PLAN SELECT * FROM event WHERE item_id = 3 ORDER BY at"
            )
        )
    finally:
        conn.close()
    assert "ix_event_item_at" in plan


# ------------------------------------------------------------------ the checked form

ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["", " ", "\u3000", "a'b", "x\ty", "\x85", "集成电路", "a" * 201, "IC-M3"]
)


def spelled(kind_records: list[dict[str, object]], fields: tuple[str, ...], key: str) -> str:
    out = Writer()
    out.header("chains.items")
    out.array(key, kind_records, fields)
    return "format = 'chainlead-snapshot'\nformat_version = 2\n\n[[chains]]\n" + out.text()


def read_both(text: str, key: str) -> tuple[object, object, int]:
    """The array as the checked reading gives it, and as raw reading plus checks give it."""
    fast = list(records(lines_of([text]), checked=CHECKED))[-1][1]["items"][0][key]
    raw = list(records(lines_of([text])))[-1][1]["items"][0][key]
    checker = Checker()
    kind = ITEM_EVENT if key == "history" else LINK
    checked = checker._records(key, list(raw), kind)
    return fast, checked, checker.problems.total


@settings(max_examples=300, deadline=None)
@given(
    actor=ANY_TEXT,
    kind=ANY_TEXT,
    meeting=st.none() | ANY_TEXT,
    field=st.none() | ANY_TEXT,
    text=st.none() | ANY_TEXT,
    uuid=st.sampled_from(
        ["0e8a2d9c-7b41-4c55-8f0e-3a9d6b1c2e47", "0E8A2D9C-7B41-4C55-8F0E-3A9D6B1C2E47", "x"]
    ),
    at=st.datetimes(),
)
def test_the_checked_reading_of_events_agrees_with_the_checks(
    actor: str, kind: str, meeting: str | None, field: str | None, text: str | None, uuid: str, at
) -> None:  # noqa: ANN001
    event = {"uuid": uuid, "at": at, "actor": actor, "kind": kind, "meeting": meeting}
    event.update(field=field, text=text)
    document = spelled([event], ITEM_EVENT.names, "history")
    fast, checked, problems = read_both(document, "history")
    if isinstance(fast, Checked):
        assert problems == 0
        assert fast == checked
    assert (problems == 0) or not isinstance(fast, Checked)


@settings(max_examples=100, deadline=None)
@given(meeting=ANY_TEXT, relation=st.sampled_from(["raised", "discussed", "other", ""]))
def test_the_checked_reading_of_links_agrees_with_the_checks(meeting: str, relation: str) -> None:
    link = {"uuid": "4b6d8f0a-2c4e-4a6b-8d0f-1e3a5c7e9b2d", "meeting": meeting}
    link["relation"] = relation
    fast, checked, problems = read_both(spelled([link], LINK.names, "links"), "links")
    if isinstance(fast, Checked):
        assert problems == 0 and fast == checked


@settings(max_examples=300, deadline=None)
@given(
    key=st.sampled_from(["IC-1", "ic-1", "", "IC-123456789012345678901234567"]),
    title=ANY_TEXT,
    detail=st.none() | ANY_TEXT | st.just("two\nlines"),
    source=st.sampled_from(["visit", "Visit", "other"]),
    unit=ANY_TEXT,
    owner=st.none() | ANY_TEXT,
    raised=st.dates(),
    days=st.integers(-3, 3),
    resolved=st.none() | st.dates(),
    updated=st.datetimes(),
)
def test_the_checked_reading_of_items_agrees_with_the_checks(
    key: str,
    title: str,
    detail: str | None,
    source: str,
    unit: str,
    owner: str | None,
    raised,  # noqa: ANN001
    days: int,
    resolved,  # noqa: ANN001
    updated,  # noqa: ANN001
) -> None:
    from datetime import timedelta

    due = raised + timedelta(days=days) if raised.year < 9999 else raised
    item = {
        "uuid": "7e1f3a5c-9b2d-4e6f-8a0c-2d4f6b8e0a1c", "key": key, "title": title,
        "detail": detail, "source": source, "priority": "high", "unit": unit, "owner": owner,
        "raised": raised, "due": due, "status": "open", "resolved": resolved,
        "created_at": updated, "updated_at": updated,
    }  # fmt: skip
    out = Writer()
    out.table("chains.items", item, ITEM.names)
    text = "format = 'chainlead-snapshot'\nformat_version = 2\n\n[[chains]]\n" + out.text()
    fast = list(records(lines_of([text]), tables=CHECKED_TABLES))[-1][1]["items"][0]
    raw = list(records(lines_of([text])))[-1][1]["items"][0]
    checker = Checker()
    checked = checker._record("item", dict(raw), ITEM)
    if type(fast) is CheckedTable:
        assert checker.problems.total == 0
        assert dict(fast) == {name: checked[name] for name in ITEM.names}


def test_an_export_streams_without_falling_back(district_text: str) -> None:
    source = Source("snap.toml", data=district_text.encode("utf-8"))
    sections = [section for section, _ in canonical_records(source, limit=1 << 30)]
    assert sections == ["document", "units"] + ["enterprises"] * 2 + ["people"] * 8 + ["chains"] * 2


def test_valid_lines_are_read_in_the_checked_form(district_text: str) -> None:
    """The test district's items, history and link arrays read checked, but for
    those with text that needs another spelling (an apostrophe, a line break)."""
    arrays, items = [], []
    lines = lines_of([district_text])
    for _, record in records(lines, checked=CHECKED, tables=CHECKED_TABLES):
        for item in record.get("items", []):
            arrays += [item.get("history", Checked()), item.get("links", Checked())]
            items.append(item)
    checked_items = [item for item in items if isinstance(item, CheckedTable)]
    # IC-1's detail has two lines, IC-8's enterprise an apostrophe
    assert len(checked_items) == len(items) - 2
    plain = [
        array
        for array in arrays
        if not any("'" in str(value) or "\n" in str(value) for r in array for value in r.values())
    ]
    assert len(plain) > len(arrays) // 2
    assert all(isinstance(array, Checked) for array in plain)


def test_white_space_in_the_checked_form_is_what_isspace_calls_space() -> None:
    space = re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert bool(space.match(char)) == char.isspace(), hex(code)


def test_an_items_status_is_the_last_status_change_in_time() -> None:
    from datetime import datetime

    from chainlead.snapshot.schema import replay

    def event(hour: int, new: str) -> dict[str, object]:
        return {"at": datetime(2026, 11, 2, hour), "field": "status", "new": new}

    assert replay([]) == "open"
    assert replay([event(9, "in_progress"), event(10, "blocked")]) == "blocked"
    assert replay([event(10, "blocked"), event(9, "in_progress")]) == "blocked"  # listed late
    assert replay([event(9, "blocked"), event(9, "resolved")]) == "resolved"  # same time
    note = {"at": datetime(2026, 11, 2, 11), "field": None, "new": None}
    assert replay([event(9, "resolved"), note]) == "resolved"
