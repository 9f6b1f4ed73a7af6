"""Several districts on one PostgreSQL server, and the city report.

A city database holds each district in a schema of its own (``district add``);
``--district CODE`` works in one. The same chain key in two districts is two
records; lists never mix; the city report's rows are the districts' own monthly
reports and its total row their sums. A SQLite file is one district (``main``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import assert_refused
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.demo import EXAMPLES
from chainlead.store.database import downgrade, open_database, upgrade

runner = CliRunner()
DEMO = str(EXAMPLES / "jiangning.toml")
MONTH = "2026-10"


def run(db: str, *args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, ["--db", db, *args], env=env)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


@pytest.fixture
def city(pg_url: str) -> str:
    """A city database with districts north and south, each filled from the demo data;
    its ``public`` schema holds the database's own (empty) district."""
    ok(run(pg_url, "district", "add", "north", "--name", "北区"))
    ok(run(pg_url, "district", "add", "south", "--name", "南区"))
    ok(run(pg_url, "--district", "north", "import", DEMO))
    ok(run(pg_url, "import", DEMO, "--district", "south"))  # after the command too
    return pg_url


# --------------------------------------------------------------------------- PostgreSQL


@pytest.mark.pg
def test_districts_are_listed_with_their_chains(city: str) -> None:
    listed = json.loads(ok(run(city, "district", "list", "--json")).stdout)
    assert [(d["code"], d["name"], d["chains"]) for d in listed] == [
        ("north", "北区", 8),
        ("public", "本区", 0),
        ("south", "南区", 8),
    ]
    assert len({d["uuid"] for d in listed}) == 3
    csv = ok(run(city, "district", "list", "--csv")).stdout.splitlines()
    assert csv[0] == "code,name,chains,uuid"
    assert csv[1].startswith("north,北区,8,")


@pytest.mark.pg
def test_the_same_key_in_two_districts_is_two_items(city: str) -> None:
    added = ok(
        run(
            city,
            "--district",
            "south",
            "bottleneck",
            "add",
            "IC",
            "南区专属问题",
            "--unit",
            "区工信局",
            "--new-unit",
            "--due",
            "+30d",
        )
    )
    key = added.stdout.strip()
    north = json.loads(ok(run(city, "--district", "north", "bottleneck", "list", "--json")).stdout)
    south = json.loads(ok(run(city, "--district", "south", "bottleneck", "list", "--json")).stdout)
    assert key in {i["key"] for i in south}
    assert key not in {i["key"] for i in north}
    assert "南区专属问题" not in json.dumps(north, ensure_ascii=False)
    # The same key names each district's own item.
    shown_north = json.loads(
        ok(run(city, "--district", "north", "bottleneck", "show", "IC-1", "--json")).stdout
    )
    shown_south = json.loads(
        ok(run(city, "--district", "south", "bottleneck", "show", "IC-1", "--json")).stdout
    )
    assert shown_north["title"] == shown_south["title"]
    ok(run(city, "--district", "south", "bottleneck", "note", "IC-1", "南区的记录"))
    north_log = ok(run(city, "--district", "north", "bottleneck", "show", "IC-1")).stdout
    assert "南区的记录" not in north_log
    assert "南区的记录" in ok(run(city, "--district", "south", "bottleneck", "show", "IC-1")).stdout
    # The database's own district (public) holds none of it.
    assert json.loads(ok(run(city, "chain", "list", "--json")).stdout) == []


@pytest.mark.pg
def test_city_report_rows_are_the_districts_monthly_reports(city: str) -> None:
    # Make the districts differ: south drops an open item.
    items = json.loads(ok(run(city, "--district", "south", "bottleneck", "list", "--json")).stdout)
    key = next(i["key"] for i in items if i["status"] in ("open", "in_progress"))
    ok(run(city, "--district", "south", "bottleneck", "drop", key, "--why", "企业迁出"))
    city_data = json.loads(ok(run(city, "report", "city", "--month", MONTH, "--json")).stdout)
    rows = {row["code"]: row for row in city_data["rows"]}
    assert set(rows) == {"north", "south", "public"}
    sums: dict[str, int] = {}
    for code, row in rows.items():
        asked = ("--district", code, "report", "monthly", "--month", MONTH, "--json")
        monthly = json.loads(ok(run(city, *asked)).stdout)
        figures = {f["key"]: f["value"] for f in monthly["overview"]}
        board = monthly["scoreboard"]["total"]
        assert row["chains"] == figures["chains_active"]
        assert row["meetings_held"] == figures["meetings_held"]
        assert row["raised"] == figures["raised"]
        assert row["resolved"] == figures["resolved"]
        assert row["resolved_on_time"] == figures["resolved_on_time"]
        assert row["on_time_rate"] == figures["on_time_rate"]
        assert row["done"] == board["done_year"]
        assert row["red_now"] == board["red_now"]
        assert row["satisfaction"] == board["satisfaction"]
        assert row["escalated_high"] == sum(sum(r["levels"][2:]) for r in monthly["ladder"])
        assert row["trend"] == monthly["trend"]
        for key in ("chains", "meetings_held", "raised", "resolved", "red_now", "escalated_high"):
            sums[key] = sums.get(key, 0) + row[key]
    total = city_data["total"]
    for key, value in sums.items():
        assert total[key] == value, key
    assert total["done"]["raised"] == sum(r["done"]["raised"] for r in rows.values())
    assert total["satisfaction"]["asked"] == sum(r["satisfaction"]["asked"] for r in rows.values())
    assert total["chains"] == 16
    # Ranked by 办结率, then on-time rate: the empty district (no rate) comes last.
    assert [row["rank"] for row in city_data["rows"]] == [1, 2, 3]
    assert city_data["rows"][-1]["code"] == "public"


@pytest.mark.pg
def test_city_report_documents(city: str, tmp_path: Path) -> None:
    page = tmp_path / "city.html"
    notes = tmp_path / "city.md"
    result = ok(
        run(city, "report", "city", "--month", MONTH, "--html", str(page), "--markdown", str(notes))
    )
    assert result.stdout == ""
    html = page.read_text(encoding="utf-8")
    assert "北区 (north)" in html and "南区 (south)" in html and "City total" in html
    markdown = notes.read_text(encoding="utf-8")
    assert markdown.startswith("# City report: the districts compared, 2026-10")
    assert "| **City total** |" in markdown
    assert "## Each district's trend" in markdown
    assert "| 北区 (north) |" in markdown.split("## Each district's trend")[1]
    table = ok(run(city, "--lang", "zh", "report", "city", "--month", MONTH)).stdout
    assert "北区" in table and "全市合计" in table
    table = ok(run(city, "report", "city", "--month", MONTH, "--lang", "zh")).stdout
    assert "全市报告：各区对比" in table and "全市合计" in table


@pytest.mark.pg
def test_report_city_refuses_a_bad_month(city: str, tmp_path: Path) -> None:
    page = tmp_path / "city.html"
    assert_refused(
        run(city, "report", "city", "--month", "2026-13", "--html", str(page)), 2, "--month"
    )
    assert not page.exists()


@pytest.fixture
def empty_pg(pg_url: str) -> Iterator[str]:
    """A new PostgreSQL database with nothing in it (no chainlead tables in public)."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(pg_url)
    name = f"chainlead_city_{uuid.uuid4().hex[:12]}"
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.pg
def test_a_city_starts_from_an_empty_database(empty_pg: str) -> None:
    ok(run(empty_pg, "demo", "--city"))
    listed = json.loads(ok(run(empty_pg, "district", "list", "--json")).stdout)
    assert [(d["code"], d["name"], d["chains"]) for d in listed] == [
        ("jiangbei", "江北新区", 4),
        ("jiangning", "江宁区", 8),
    ]
    data = json.loads(ok(run(empty_pg, "report", "city", "--month", MONTH, "--json")).stdout)
    assert [row["code"] for row in data["rows"]] == ["jiangbei", "jiangning"]
    assert data["total"]["chains"] == 12
    # Without --district: public holds no district, and two are there to choose from.
    assert_refused(
        run(empty_pg, "chain", "list"), 1, "holds districts jiangbei, jiangning; choose one"
    )


@pytest.mark.pg
def test_a_city_of_one_district_needs_no_district_option(empty_pg: str) -> None:
    ok(run(empty_pg, "district", "add", "north", "--name", "北区"))
    ok(run(empty_pg, "import", DEMO))  # into north, the city's one district
    chains = json.loads(ok(run(empty_pg, "--district", "north", "chain", "list", "--json")).stdout)
    assert len(chains) == 8
    assert len(json.loads(ok(run(empty_pg, "chain", "list", "--json")).stdout)) == 8
    assert "(district north)" in ok(run(empty_pg, "--district", "north", "db", "check")).stderr


@pytest.mark.pg
def test_an_unknown_district_is_refused(city: str) -> None:
    assert_refused(run(city, "--district", "east", "chain", "list"), 1, "no district 'east'")
    assert_refused(
        run(city, "--district", "Bad-Code", "chain", "list"), 2, "--district", "district code"
    )


@pytest.mark.pg
def test_district_codes_and_names_are_checked(city: str) -> None:
    for code in ("Bad-Code", "9lives", "pg_temp", "区"):
        assert_refused(run(city, "district", "add", code, "--name", "某区"), 2, "CODE")
    for code in ("public", "chainlead_city", "main"):
        assert_refused(run(city, "district", "add", code, "--name", "某区"), 2, "CODE")
    assert_refused(run(city, "district", "add", "north", "--name", "另一区"), 1, "already exists")
    assert_refused(run(city, "district", "add", "east", "--name", "北区"), 1, "北区")
    assert_refused(run(city, "district", "add", "east"), 2, "--name")
    listed = json.loads(ok(run(city, "district", "list", "--json")).stdout)
    assert [d["code"] for d in listed] == ["north", "public", "south"]


@pytest.mark.pg
def test_a_district_is_renamed(city: str) -> None:
    ok(run(city, "--district", "north", "district", "rename", "玄武区"))
    listed = json.loads(ok(run(city, "district", "list", "--json")).stdout)
    assert ("north", "玄武区") in [(d["code"], d["name"]) for d in listed]
    data = json.loads(ok(run(city, "report", "city", "--month", MONTH, "--json")).stdout)
    assert "玄武区" in [row["name"] for row in data["rows"]]


@pytest.mark.pg
def test_district_setting_from_the_environment(city: str) -> None:
    env = {"CHAINLEAD_DISTRICT_CODE": "north"}
    chains = json.loads(ok(run(city, "chain", "list", "--json", env=env)).stdout)
    assert len(chains) == 8
    shown = json.loads(ok(run(city, "config", "show", "--json", env=env)).stdout)
    assert next(s for s in shown if s["key"] == "district_code")["value"] == "north"


@pytest.mark.pg
def test_each_district_checks_and_upgrades_on_its_own(city: str) -> None:
    checked = run(city, "--district", "south", "db", "check")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert "up to date" in ok(run(city, "--district", "north", "db", "upgrade")).stderr


@pytest.mark.pg
def test_demo_city(pg_url: str) -> None:
    result = ok(run(pg_url, "demo", "--city"))
    assert "江宁区" in result.stdout and "江北新区" in result.stdout
    listed = json.loads(ok(run(pg_url, "district", "list", "--json")).stdout)
    assert {(d["code"], d["chains"]) for d in listed} >= {("jiangning", 8), ("jiangbei", 4)}
    assert_refused(run(pg_url, "demo", "--city"), 1, "--replace")
    ok(run(pg_url, "demo", "--city", "--replace"))


def test_demo_city_needs_postgresql(db_path: Path) -> None:
    assert_refused(run(str(db_path), "demo", "--city"), 1, "PostgreSQL")


# --------------------------------------------------------------------------- SQLite


def test_a_sqlite_file_is_one_district(db_path: Path) -> None:
    db = str(db_path)
    listed = json.loads(ok(run(db, "district", "list", "--json")).stdout)
    assert [(d["code"], d["name"], d["chains"]) for d in listed] == [("main", "本区", 0)]
    ok(run(db, "--district", "main", "chain", "list"))
    assert_refused(run(db, "--district", "north", "chain", "list"), 2, "--district", "SQLite")
    assert_refused(run(db, "district", "add", "north", "--name", "北区"), 2, "--db", "PostgreSQL")
    ok(run(db, "district", "rename", "江宁区"))
    assert json.loads(ok(run(db, "district", "list", "--json")).stdout)[0]["name"] == "江宁区"


def test_report_city_on_a_sqlite_file_is_its_one_district(db_path: Path) -> None:
    db = str(db_path)
    ok(run(db, "import", DEMO))
    data = json.loads(ok(run(db, "report", "city", "--month", MONTH, "--json")).stdout)
    monthly = json.loads(ok(run(db, "report", "monthly", "--month", MONTH, "--json")).stdout)
    [row] = data["rows"]
    assert row["code"] == "main" and row["rank"] == 1
    figures = {f["key"]: f["value"] for f in monthly["overview"]}
    assert (row["raised"], row["resolved"]) == (figures["raised"], figures["resolved"])
    assert row["done"] == monthly["scoreboard"]["total"]["done_year"]
    total = dict(data["total"], code=row["code"], name=row["name"], rank=row["rank"])
    assert total == row


def test_district_codes_complete_from_the_file(db_path: Path) -> None:
    from test_startup import complete

    offered, packages = complete("chainlead --district m", db_path)
    assert offered == ["main"]
    assert not {"sqlalchemy", "sqlmodel", "psycopg"} & packages
    offered, _packages = complete("chainlead --district x", db_path)
    assert offered == []


def test_import_names_one_district(db_path: Path) -> None:
    db = str(db_path)
    refused = run(db, "--district", "main", "import", DEMO, "--district", "north")
    assert_refused(refused, 2, "--district", "given twice")
    assert_refused(run(db, "import", DEMO, "--district", "north"), 2, "SQLite")
    ok(run(db, "import", DEMO, "--district", "main"))


def test_a_batch_line_gives_no_district(db_path: Path, tmp_path: Path) -> None:
    lines = tmp_path / "lines.txt"
    lines.write_text("--district main chain list\n", encoding="utf-8")
    result = run(str(db_path), "batch", str(lines))
    assert result.exit_code == 2, result.stderr
    assert "--district" in result.stderr


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_city_report_prints_on_a_page(db_path: Path, tmp_path: Path) -> None:
    db = str(db_path)
    ok(run(db, "import", DEMO))
    ok(run(db, "district", "rename", "江宁区"))
    pdf = tmp_path / "city.pdf"
    ok(run(db, "report", "city", "--month", MONTH, "--pdf", str(pdf)))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "City report: the districts compared, 2026-10" in text
    assert "江宁区" in text and "City total" in text
    shot = tmp_path / "city.png"
    page = tmp_path / "city.html"
    ok(run(db, "report", "city", "--month", MONTH, "--html", str(page)))
    subprocess.run(
        [
            shutil.which("chromium") or "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--screenshot={shot}",
            "--window-size=1400,700",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert shot.stat().st_size > 10_000  # a page drawn, not a blank one


@pytest.mark.pg
def test_db_check_finds_a_district_out_of_place(city: str) -> None:
    from helpers import execute

    from chainlead.store.target import in_district

    execute(in_district(city, "north"), "UPDATE district SET code = 'elsewhere'")
    found = run(city, "--district", "north", "db", "check", "--json")
    assert found.exit_code == 1, found.stderr
    [finding] = json.loads(found.stdout)["findings"]
    assert (finding["check"], finding["subject"]) == ("district", "elsewhere")
    execute(in_district(city, "south"), "INSERT INTO district (uuid, name, code) "
            "VALUES ('00000000-0000-4000-8000-000000000001', '另', 'other')")  # fmt: skip
    found = run(city, "--district", "south", "db", "check", "--json")
    assert [f["check"] for f in json.loads(found.stdout)["findings"]] == ["district"]


@pytest.mark.pg
def test_db_check_reads_the_triggers_of_its_own_district(city: str) -> None:
    """A trigger dropped in one district is found there, not hidden by another's."""
    from helpers import execute

    from chainlead.store.target import in_district

    execute(in_district(city, "north"), "DROP TRIGGER change_item ON item")
    found = run(city, "--district", "north", "db", "check", "--json")
    assert found.exit_code == 1
    assert [(f["check"], f["subject"]) for f in json.loads(found.stdout)["findings"]] == [
        ("change_capture", "item")
    ]
    ok(run(city, "--district", "south", "db", "check"))


# --------------------------------------------------------------------------- migration 0012


def test_upgrade_names_the_district_from_the_import(db_url: str) -> None:
    """0010 → 0012: the district an import recorded names the district row."""
    database = open_database(db_url, check=False)
    try:
        downgrade(database, to="0010")
        with database.transaction(write=True) as conn:
            conn.execute("INSERT INTO meta (name, value) VALUES ('district', '江宁区')")
        upgrade(database)
    finally:
        database.dispose()
    [district] = json.loads(ok(run(db_url, "district", "list", "--json")).stdout)
    assert district["name"] == "江宁区"
    assert district["code"] == ("main" if "://" not in db_url else "public")


def test_upgrade_names_the_district_from_the_setting(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = open_database(db_url, check=False)
    try:
        downgrade(database, to="0010")
        monkeypatch.setenv("CHAINLEAD_DISTRICT", "六合区")
        upgrade(database)
    finally:
        database.dispose()
    [district] = json.loads(ok(run(db_url, "district", "list", "--json")).stdout)
    assert district["name"] == "六合区"


@pytest.mark.pg
def test_a_role_granted_one_district_reads_only_that_one(city: str) -> None:
    """Districts are kept apart by PostgreSQL: USAGE on a district's schema is what
    grants it, through chainlead and through a plain connection alike."""
    import os
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(city)
    role = f"chainlead_north_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'north-pass'")
        conn.execute(f"GRANT USAGE ON SCHEMA north TO {role}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA north TO {role}")
    try:
        as_role = admin.set(username=role, password="north-pass")
        url = as_role.render_as_string(hide_password=False)
        chains = json.loads(ok(run(url, "--district", "north", "chain", "list", "--json")).stdout)
        assert len(chains) == 8
        # Refused even where the role may read public, next on the search path.
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
        refused = run(url, "--district", "south", "chain", "list")
        assert_refused(refused, 1, "not granted district 'south'")
        plain = as_role.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain) as conn:
            assert conn.execute("SELECT count(*) FROM north.chain").fetchone() == (8,)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("SELECT count(*) FROM south.item")
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


@pytest.mark.pg
def test_a_district_is_upgraded_on_its_own(city: str) -> None:
    """Each district has its own version table: north taken back to 0010 is refused
    and upgraded alone, its row named from what its import recorded; south and the
    database's own district are not touched."""
    from chainlead.store.target import in_district

    north = open_database(in_district(city, "north"), check=False)
    try:
        downgrade(north, to="0010")
        assert north.revision() == "0010"
    finally:
        north.dispose()
    assert_refused(run(city, "--district", "north", "chain", "list"), 1, "has schema 0010")
    assert len(json.loads(ok(run(city, "--district", "south", "chain", "list", "--json")).stdout))
    ok(run(city, "chain", "list"))
    upgraded = ok(run(city, "--district", "north", "db", "upgrade"))
    assert "from schema 0010 to" in upgraded.stderr
    listed = json.loads(ok(run(city, "district", "list", "--json")).stdout)
    assert ("north", "Jiangning District") in [(d["code"], d["name"]) for d in listed]
    ok(run(city, "--district", "north", "db", "check"))


@pytest.mark.pg
def test_the_own_district_upgraded_after_the_first_add_is_listed(pg_url: str) -> None:
    database = open_database(pg_url, check=False)
    try:
        downgrade(database, to="0010")
    finally:
        database.dispose()
    ok(run(pg_url, "district", "add", "north", "--name", "北区"))
    listed = json.loads(ok(run(pg_url, "district", "list", "--json")).stdout)
    assert [d["code"] for d in listed] == ["north"]
    ok(run(pg_url, "db", "upgrade"))
    listed = json.loads(ok(run(pg_url, "district", "list", "--json")).stdout)
    assert [d["code"] for d in listed] == ["north", "public"]


@pytest.mark.pg
def test_a_connection_not_in_its_district_is_refused(city: str) -> None:
    """A connection whose search path is not the district's (a pooler dropping the
    options parameter does that) is refused, never answered from public."""
    from sqlalchemy.engine import make_url

    options = "-csearch_path=north,public -csearch_path=public"
    url = make_url(city).update_query_dict({"options": options})
    refused = run(url.render_as_string(hide_password=False), "chain", "list")
    assert_refused(refused, 1, "does not work in district 'north'")


@pytest.mark.pg
def test_undo_and_search_work_in_a_district(city: str) -> None:
    """A district's own triggers record its changes (undo) and index its texts
    (search, with the trigram extension the districts share)."""
    ok(run(city, "--district", "south", "bottleneck", "note", "IC-1", "南区独有的记录"))
    ok(run(city, "--district", "north", "bottleneck", "note", "IC-1", "北区独有的记录"))
    found = ok(run(city, "--district", "south", "search", "独有的记录", "--json")).stdout
    assert "南区独有的记录" in found and "北区独有的记录" not in found
    ok(run(city, "--district", "south", "undo", "--yes"))
    south = ok(run(city, "--district", "south", "bottleneck", "show", "IC-1")).stdout
    north = ok(run(city, "--district", "north", "bottleneck", "show", "IC-1")).stdout
    assert "undone (change" in south and "undone" not in north  # history stays, marked
    assert "北区独有的记录" in north


@pytest.mark.pg
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_city_report_fits_80_columns(city: str, lang: str) -> None:
    """On an 80-column terminal the ranking keeps whole figures and whole district
    names, nothing cut off with an ellipsis, and no line is wider than the screen."""
    from rich.cells import cell_len

    shown = ok(run(city, "--lang", lang, "report", "city", "--month", MONTH, env={"COLUMNS": "80"}))
    lines = shown.stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), shown.stdout
    assert "…" not in shown.stdout
    for name in ("北区", "南区"):
        assert any(name in line for line in lines), shown.stdout
    rates = [m for line in lines for m in line.split() if m.endswith("%")]
    assert rates and all(rate[:-1].replace(".", "").isdigit() for rate in rates)
