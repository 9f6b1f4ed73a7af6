"""Hostile edges: values in other scripts' digits, history rewritten by INSERT OR
REPLACE (or TRUNCATE), and the promise that chainlead's own export always imports."""

from __future__ import annotations

import itertools
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from helpers import assert_refused, db_state, execute, on_day
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from snapshot_data import at, export_text, fresh_sqlite
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.domain.chains import add_chain
from chainlead.domain.schedules import add_meeting
from chainlead.errors import InvalidInput
from chainlead.snapshot.merge import import_snapshot
from chainlead.snapshot.reader import read_snapshot
from chainlead.store.database import downgrade, open_database
from chainlead.values import parse_date, parse_month

runner = CliRunner()
TODAY = date(2026, 11, 21)
ARABIC_MONTH = "\u0662\u0660\u0662\u0666-\u0661\u0661"  # ٢٠٢٦-١١
WIDE_MONTH = "\uff12\uff10\uff12\uff16-\uff11\uff11"  # ２０２６-１１
WIDE_DASH_MONTH = "\uff12\uff10\uff12\uff16\uff0d\uff11\uff11"  # ２０２６－１１


def run(db: str, *args: str) -> Result:
    return runner.invoke(app, ["--db", db, *args])


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


@pytest.fixture
def chain(db_url: str) -> str:
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run(db_url, "chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
               "--responsible", "Zhang Wei"))  # fmt: skip
    return db_url


def rows(db: str, query: str) -> list[tuple]:
    database = open_database(db, check=False)
    try:
        with database.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(query))]
    finally:
        database.dispose()


# --------------------------------------------------------------------------- digits


def test_months_in_other_scripts_digits_are_refused_and_write_nothing(chain: str) -> None:
    before = rows(chain, "SELECT count(*) FROM meeting")
    result = run(chain, "schedule", "add", "IC", "--month", ARABIC_MONTH, "--held-on", "2026-11-18")
    assert_refused(result, 2, "--month", "YYYY-MM")
    assert rows(chain, "SELECT count(*) FROM meeting") == before
    result = run(chain, "schedule", "missing", "--month", ARABIC_MONTH)
    assert_refused(result, 2, "--month", "YYYY-MM")
    result = run(
        chain, "bottleneck", "add", "IC", "d2", "--unit", "U", "--new-unit", "--due", "+\u0669d"
    )
    assert_refused(result, 2, "--due", "YYYY-MM-DD")
    assert rows(chain, "SELECT count(*) FROM item") == [(0,)]


@pytest.mark.parametrize("month", [WIDE_MONTH, WIDE_DASH_MONTH])
def test_full_width_months_are_read_as_ascii(chain: str, month: str) -> None:
    key = ok(run(chain, "schedule", "add", "IC", "--month", month, "--held-on", "2026-11-18"))
    assert key.stdout.strip() == "IC-M1"
    assert rows(chain, "SELECT month FROM meeting") == [("2026-11",)]
    missing = ok(run(chain, "schedule", "missing", "--month", month, "--json"))
    assert json.loads(missing.stdout) == json.loads(
        ok(run(chain, "schedule", "missing", "--month", "2026-11", "--json")).stdout
    )
    item = ok(
        run(
            chain, "bottleneck", "add", "IC", "d2", "--unit", "U", "--new-unit", "--due", "+\uff19d"
        )
    )
    shown = json.loads(ok(run(chain, "bottleneck", "show", item.stdout.strip(), "--json")).stdout)
    assert shown["due_on"] == "2026-11-30"
    assert ok(run(chain, "bottleneck", "show", "\uff49\uff43\uff0d\uff11")).stdout


def test_the_export_imports_after_every_accepted_spelling(chain: str, tmp_path: Path) -> None:
    ok(run(chain, "schedule", "add", "IC", "--month", WIDE_MONTH, "--held-on", "2026-11-18",
           "--figure", "output=\uff11\uff12.5:亿元"))  # fmt: skip
    ok(run(chain, "bottleneck", "add", "IC", "d2", "--unit", "U", "--new-unit", "--due", "+\uff19d",
           "--meeting", "\uff49\uff43-\uff4d1"))  # fmt: skip
    first = tmp_path / "first.toml"
    ok(run(chain, "export", str(first)))
    empty = tmp_path / "empty.db"
    ok(run(str(empty), "init"))
    ok(run(str(empty), "import", str(first)))
    again = tmp_path / "again.toml"
    ok(run(str(empty), "export", str(again)))
    assert again.read_bytes() == first.read_bytes()
    assert "month = '2026-11'" in first.read_text(encoding="utf-8")


def test_an_export_made_before_the_fix_still_imports(db_path: Path, tmp_path: Path) -> None:
    """A snapshot with a month stored in other digits (as chainlead once wrote it)
    imports, its month read as ASCII."""
    db = str(db_path)
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run(db, "chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
               "--responsible", "Zhang Wei"))  # fmt: skip
    ok(run(db, "schedule", "add", "IC", "--month", "2026-11", "--held-on", "2026-11-18",
           "--figure", "output=12"))  # fmt: skip
    snapshot = tmp_path / "old.toml"
    ok(run(db, "export", str(snapshot)))
    old = snapshot.read_text(encoding="utf-8")
    old = old.replace("month = '2026-11'", f"month = '{ARABIC_MONTH}'")
    old = old.replace("value = '12'", "value = '\u0661\u0662'")
    assert ARABIC_MONTH in old
    snapshot.write_text(old, encoding="utf-8")
    empty = tmp_path / "empty.db"
    ok(run(str(empty), "init"))
    ok(run(str(empty), "import", str(snapshot)))
    assert rows(str(empty), "SELECT month FROM meeting") == [("2026-11",)]
    assert rows(str(empty), "SELECT value FROM meeting_figure") == [("12",)]
    ok(run(str(empty), "db", "check"))


def test_db_check_names_a_month_stored_in_other_digits(chain: str) -> None:
    ok(run(chain, "schedule", "add", "IC", "--month", "2026-11", "--held-on", "2026-11-18"))
    execute(chain, f"UPDATE meeting SET month = '{ARABIC_MONTH}'")
    result = run(chain, "db", "check", "--json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(f["check"], f["subject"]) for f in findings] == [("forms", "IC-M1")]


def test_migration_0003_brings_stored_digits_to_ascii(chain: str, tmp_path: Path) -> None:
    for day in ("2026-11-18", "2026-11-19"):
        ok(run(chain, "schedule", "add", "IC", "--held-on", day, "--figure", "output=1"))
    database = open_database(chain, check=False)
    try:
        downgrade(database, to="0002")
    finally:
        database.dispose()
    execute(
        chain,
        f"UPDATE meeting SET month = '{ARABIC_MONTH}' WHERE key = 'IC-M1'",
        f"UPDATE meeting SET month = '{WIDE_MONTH}' WHERE key = 'IC-M2'",
        "UPDATE meeting_figure SET value = '\u0661\u0662.5'",
    )
    ok(run(chain, "db", "upgrade"))
    assert rows(chain, "SELECT month FROM meeting ORDER BY id") == [("2026-11",), ("2026-11",)]
    assert rows(chain, "SELECT value FROM meeting_figure") == [("12.5",), ("12.5",)]
    ok(run(chain, "db", "check"))
    snapshot = tmp_path / "s.toml"
    ok(run(chain, "export", str(snapshot)))
    empty = tmp_path / "empty.db"
    ok(run(str(empty), "init"))
    ok(run(str(empty), "import", str(snapshot)))


# --------------------------------------------------------------------------- history guard


def _an_event(db: str) -> tuple:
    return rows(db, "SELECT id, uuid, at, actor, kind, chain_id FROM event ORDER BY id")[0]


def test_insert_or_replace_cannot_rewrite_history_on_sqlite(db_path: Path) -> None:
    db = str(db_path)
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run(db, "chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
               "--responsible", "Zhang Wei"))  # fmt: skip
    before = db_state(db_path)
    event_id, uuid, at_, actor, kind, chain_id = _an_event(db)
    conn = sqlite3.connect(db_path)
    try:
        for statement, values in (
            (
                "INSERT OR REPLACE INTO event (id, uuid, at, actor, kind, chain_id, text) "
                "VALUES (?, ?, ?, ?, ?, ?, 'rewritten')",
                (event_id, uuid, at_, actor, kind, chain_id),
            ),
            (
                "INSERT OR REPLACE INTO event (id, uuid, at, actor, kind, chain_id, text) "
                "VALUES (?, ?, ?, ?, ?, ?, 'rewritten')",
                (event_id + 1000, uuid, at_, actor, kind, chain_id),
            ),
            (
                "REPLACE INTO event (id, uuid, at, actor, kind, chain_id, text) "
                "VALUES (?, ?, ?, ?, ?, ?, 'rewritten')",
                (event_id, "ffffffff-0000-4000-8000-000000000000", at_, actor, kind, chain_id),
            ),
            (
                "INSERT INTO event (id, uuid, at, actor, kind, chain_id, text) "
                "VALUES (?, ?, ?, ?, ?, ?, 'rewritten') "
                "ON CONFLICT (id) DO UPDATE SET text = excluded.text",
                (event_id, uuid, at_, actor, kind, chain_id),
            ),
        ):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(statement, values)
            conn.rollback()
    finally:
        conn.close()
    assert db_state(db_path) == before
    ok(run(db, "db", "check"))
    # A new event is still written as before.
    ok(run(db, "chain", "edit", "IC", "--description", "still writable"))


@pytest.mark.pg
def test_upsert_and_truncate_cannot_rewrite_history_on_postgresql(pg_url: str) -> None:
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run(pg_url, "chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
               "--responsible", "Zhang Wei"))  # fmt: skip
    before = rows(pg_url, "SELECT * FROM event ORDER BY id")
    event_id, uuid, *_ = _an_event(pg_url)
    for statement in (
        "INSERT INTO event (id, uuid, at, actor, kind, text) "
        f"VALUES ({event_id}, '{uuid}', now(), 'x', 'note', 'rewritten') "
        "ON CONFLICT (id) DO UPDATE SET text = excluded.text",
        "INSERT INTO event (id, uuid, at, actor, kind, text) "
        f"VALUES ({event_id + 1000}, '{uuid}', now(), 'x', 'note', 'rewritten') "
        "ON CONFLICT (uuid) DO UPDATE SET text = excluded.text",
        "TRUNCATE event",
        "TRUNCATE event CASCADE",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            execute(pg_url, statement)
    assert rows(pg_url, "SELECT * FROM event ORDER BY id") == before
    ok(run(pg_url, "db", "check"))


def test_db_check_finds_the_replace_guard_missing(db_url: str) -> None:
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run(db_url, "chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
               "--responsible", "Zhang Wei"))  # fmt: skip
    if "://" in db_url:
        execute(db_url, "DROP TRIGGER event_no_truncate ON event")
    else:
        execute(db_url, "DROP TRIGGER event_no_replace")
    result = run(db_url, "db", "check", "--json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(f["check"], f["subject"]) for f in findings] == [("append_only", "event")]


# --------------------------------------------------------------------------- property

DIGITS = st.sampled_from(
    ["0123456789", "０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "०१२३४५६७८९", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"]
)
DASHES = st.sampled_from(["-", "－", "‐", "−"])
_counter = itertools.count()


def spelled(number: int, width: int, digits: str) -> str:
    return "".join(digits[int(d)] for d in f"{number:0{width}d}")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    year=st.integers(2025, 2026),
    mon=st.integers(1, 12),
    digits=st.tuples(DIGITS, DIGITS),
    dash=DASHES,
    figure=st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-1e6, max_value=1e6
    ),
    figure_digits=DIGITS,
)
def test_whatever_is_accepted_survives_export_and_import(
    tmp_path: Path,
    template_db: Path,
    year: int,
    mon: int,
    digits: tuple[str, str],
    dash: str,
    figure: object,
    figure_digits: str,
) -> None:
    """Any month or figure a command accepts is stored so that the export imports
    into an empty database and exports again byte for byte."""
    month = spelled(year, 4, digits[0]) + dash + spelled(mon, 2, digits[1])
    number = str(figure).translate(str.maketrans("0123456789", figure_digits))
    read_as_ascii = {"0123456789", "０１２３４５６７８９", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"}  # NFKC folds these
    # NFKC folds － and the input methods' hyphens and minus are read as -
    expected = digits[0] in read_as_ascii and digits[1] in read_as_ascii and dash in "-－‐−"
    try:
        parse_month("--month", month)
    except InvalidInput:
        assert not expected, month
        return
    assert expected, month
    n = next(_counter)
    source = fresh_sqlite(template_db, tmp_path / f"a{n}.db")
    target = fresh_sqlite(template_db, tmp_path / f"b{n}.db")
    try:
        held = date(year, mon, 1)
        stamp = at(date(2026, 12, 31))
        with source.transaction(write=True) as session:
            add_chain(session, code="IC", name="IC", leader="Li Ming", responsible="Zhang Wei",
                      stamp=stamp)  # fmt: skip
            try:
                add_meeting(session, chain="IC", month=month, held_on=held,
                            figures=(f"output={number}",), stamp=stamp,
                            backdate=True)  # fmt: skip
            except InvalidInput:
                return
        first = export_text(source)
        stored = rows(str(tmp_path / f"a{n}.db"), "SELECT month FROM meeting")
        assert stored == [(f"{year:04d}-{mon:02d}",)]
        figures = rows(str(tmp_path / f"a{n}.db"), "SELECT value FROM meeting_figure")
        assert all(value.isascii() for (value,) in figures)
        with target.transaction(write=True) as session:
            import_snapshot(session, read_snapshot(first.encode(), "s.toml"), name="s.toml")
        assert export_text(target) == first
    finally:
        source.dispose()
        target.dispose()


@given(st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩０１２３４５６７８９+-dw", max_size=6))
def test_a_date_is_either_refused_or_read_from_ascii_digits(raw: str) -> None:
    try:
        parse_date("--due", raw, today=TODAY)
    except InvalidInput:
        return
    assert not any("\u0660" <= char <= "\u0669" for char in raw)
