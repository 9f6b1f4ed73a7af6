"""The local calendar: the ``timezone`` setting, around midnight in Beijing, on
SQLite and PostgreSQL.

At 07:30 on 1 December in Beijing it is 23:30 on 30 November in UTC. Times are
stored in UTC; every day counted (today, a drop's day, a resolution's day, the
month an event falls in) and every time shown is Beijing's.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from helpers import assert_refused, db_state
from time_data import Run, ok, runner, shown

from chainlead import clock

BEIJING = {"CHAINLEAD_TIMEZONE": "Asia/Shanghai"}
UNIT = "District Development and Reform Bureau"


def at(instant: str, **more: str) -> dict[str, str]:
    """The environment of a command run at ``instant`` (Beijing's calendar)."""
    return {**BEIJING, "CHAINLEAD_NOW": instant, **more}


@pytest.fixture
def run(db_url: str) -> Run:
    """Chain IC with items IC-1 and IC-2, raised on 20 November, due 31 December."""
    run = runner(db_url)
    made = at("2026-11-20T10:00:00+08:00")
    ok(run("chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
           "--responsible", "Zhang Wei", env=made))  # fmt: skip
    for title in ("Packaging line lacks power", "Customs clearance for parts"):
        ok(run("bottleneck", "add", "IC", title, "--unit", UNIT, "--new-unit",
               "--due", "2026-12-31", env=made))  # fmt: skip
    return run


def _figures(run: Run, month: str, **env: str) -> dict[str, int]:
    data = json.loads(ok(run("report", "monthly", "--month", month, "--json", env=env)).stdout)
    return {f["key"]: f["value"] for f in data["overview"]}


def test_a_drop_and_a_resolution_before_dawn_count_in_december(run: Run) -> None:
    ok(run("bottleneck", "drop", "IC-1", "--why", "The line moved",
           env=at("2026-12-01T07:30:00+08:00")))  # fmt: skip
    ok(run("bottleneck", "resolve", "IC-2", "--how", "Green channel opened",
           env=at("2026-12-01T07:35:00+08:00")))  # fmt: skip
    later = at("2026-12-06T10:00:00+08:00")
    december = _figures(run, "2026-12", **later)
    november = _figures(run, "2026-11", **later)
    assert (december["dropped"], december["resolved"]) == (1, 1)
    assert (november["dropped"], november["resolved"]) == (0, 0)
    assert (november["open_at_end"], december["open_at_end"]) == (2, 0)
    card = shown(run, "IC-2", env=later)
    assert card["resolved_on"] == "2026-12-01"
    # The same stored times, counted in UTC: both on 30 November.
    in_utc = {**later, "CHAINLEAD_TIMEZONE": "UTC"}
    assert _figures(run, "2026-11", **in_utc)["dropped"] == 1


def test_a_note_at_dawn_belongs_to_that_day(run: Run) -> None:
    dawn = at("2026-12-01T07:30:00+08:00")
    ok(run("bottleneck", "note", "IC-1", "Visited the plant", env=dawn))
    ok(run("bottleneck", "add", "IC", "Talent housing", "--unit", UNIT, "--due", "+30d",
           env=dawn))  # fmt: skip
    card = shown(run, "IC-1", env=dawn)
    [note] = [e for e in card["history"] if e["kind"] == "note"]
    assert note["at"] == "2026-12-01T07:30:00+08:00"
    added = shown(run, "IC-3", env=dawn)
    assert (added["raised_on"], added["due_on"]) == ("2026-12-01", "2026-12-31")
    # CHAINLEAD_TODAY still fixes the day for tests: the time is that day's in the zone.
    fixed = {**BEIJING, "CHAINLEAD_TODAY": "2026-12-02"}
    ok(run("bottleneck", "note", "IC-2", "Called the bureau", env=fixed))
    [second] = [e for e in shown(run, "IC-2", env=fixed)["history"] if e["kind"] == "note"]
    assert second["at"].startswith("2026-12-02T") and second["at"].endswith("+08:00")


def test_history_is_shown_in_the_zone(run: Run) -> None:
    ok(run("bottleneck", "note", "IC-1", "Visited the plant",
           env=at("2026-12-01T07:30:00+08:00")))  # fmt: skip
    beijing = ok(run("bottleneck", "show", "IC-1", env=BEIJING)).stdout
    assert "2026-12-01 07:30" in beijing and "2026-11-30 23:30" not in beijing
    in_utc = ok(run("bottleneck", "show", "IC-1", env={"CHAINLEAD_TIMEZONE": "UTC"})).stdout
    assert "2026-11-30 23:30" in in_utc and "2026-12-01 07:30" not in in_utc
    card = shown(run, "IC-1", env={"CHAINLEAD_TIMEZONE": "UTC"})
    [note] = [e for e in card["history"] if e["kind"] == "note"]
    assert note["at"] == "2026-11-30T23:30:00Z"


def test_the_monthly_report_counts_by_the_zone_it_is_given(database) -> None:  # noqa: ANN001
    """Below the CLI: the same stored history read in UTC and in Beijing."""
    from chainlead.domain import Stamp
    from chainlead.domain.bottlenecks import add_item, drop_item, resolve_item
    from chainlead.domain.chains import add_chain
    from chainlead.domain.reports import monthly_report

    def stamp(instant: datetime, day: date) -> Stamp:
        return Stamp(actor="tester", at=instant, today=day)

    made = stamp(datetime(2026, 11, 20, 2), date(2026, 11, 20))
    with database.transaction(write=True) as db:
        add_chain(db, code="IC", name="Integrated circuits", leader="Li Ming",
                  responsible="Zhang Wei", stamp=made)  # fmt: skip
        for title in ("Packaging line lacks power", "Customs clearance for parts"):
            add_item(db, chain="IC", title=title, unit=UNIT, new_unit=True,
                     due=date(2026, 12, 31), stamp=made)  # fmt: skip
    dawn = date(2026, 12, 1)  # 07:30 and 07:35 in Beijing
    with database.transaction(write=True) as db:
        drop_item(db, key="IC-1", why="The line moved",
                  stamp=stamp(datetime(2026, 11, 30, 23, 30), dawn))  # fmt: skip
        resolve_item(db, key="IC-2", how="Green channel opened",
                     stamp=stamp(datetime(2026, 11, 30, 23, 35), dawn))  # fmt: skip
    today = date(2026, 12, 6)
    with database.transaction(write=False) as db:
        beijing = monthly_report(db, today=today, month="2026-12", zone=ZoneInfo("Asia/Shanghai"))
        utc = monthly_report(db, today=today, month="2026-12", zone=UTC)
    counted = {f.key: f.value for f in beijing.overview}
    assert (counted["dropped"], counted["resolved"]) == (1, 1)
    assert {f.key: f.value for f in utc.overview}["dropped"] == 0


def test_clock_converts_both_ways() -> None:
    beijing = ZoneInfo("Asia/Shanghai")
    stored = datetime(2026, 11, 30, 23, 30)
    assert clock.local_day(stored, beijing) == date(2026, 12, 1)
    assert clock.local_day(stored, UTC) == date(2026, 11, 30)
    assert clock.day_start(date(2026, 12, 1), beijing) == datetime(2026, 11, 30, 16)
    assert clock.day_end(date(2026, 11, 30), beijing) == datetime(2026, 11, 30, 16)
    clock.set_zone(beijing)
    assert clock.shown(stored) == "2026-12-01 07:30"
    assert clock.iso(stored) == "2026-12-01T07:30:00+08:00"
    clock.set_zone(UTC)
    assert clock.shown(stored) == "2026-11-30 23:30"
    assert clock.iso(stored) == "2026-11-30T23:30:00Z"


@pytest.mark.parametrize(
    ("env", "field"),
    [
        ({"CHAINLEAD_TIMEZONE": "Beijing"}, "timezone (CHAINLEAD_TIMEZONE)"),
        ({"CHAINLEAD_TIMEZONE": "../../etc/passwd"}, "timezone (CHAINLEAD_TIMEZONE)"),
        ({"CHAINLEAD_NOW": "1 December 07:30"}, "CHAINLEAD_NOW"),
    ],
)
def test_a_bad_zone_or_instant_is_refused(run: Run, db_url: str, env, field) -> None:  # noqa: ANN001
    from time_data import state

    before = state(db_url)
    refused = run("bottleneck", "note", "IC-1", "Visited", env=env)
    form = "Asia/Shanghai" if "TIMEZONE" in field else "2026-12-01T07:30:00+08:00"
    assert_refused(refused, 2, field, form)
    assert state(db_url) == before


def test_a_bad_zone_in_the_config_file_is_refused(cli, db_path, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Asia/Shangai"\n', encoding="utf-8")
    monkeypatch.setenv("CHAINLEAD_CONFIG", str(config))
    monkeypatch.delenv("CHAINLEAD_TIMEZONE")  # the environment would win over the file
    before = db_state(db_path)
    assert_refused(cli("chain", "list"), 2, "timezone (/", "Asia/Shanghai", "Asia/Shangai")
    assert db_state(db_path) == before


def test_config_show_names_the_zone(cli) -> None:  # noqa: ANN001
    listed = ok(cli("config", "show", env=BEIJING)).stdout
    assert "timezone" in listed and "Asia/Shanghai" in listed


def test_the_default_zone_is_the_systems(cli, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("CHAINLEAD_TIMEZONE")
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    [row] = [
        s for s in json.loads(ok(cli("config", "show", "--json")).stdout) if s["key"] == "timezone"
    ]
    assert (row["value"], row["source"]) == ("Asia/Shanghai", "default")
    early = {"CHAINLEAD_NOW": "2026-11-30T23:30:00Z"}
    ok(cli("chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
           "--responsible", "Zhang Wei", env=early))  # fmt: skip
    ok(cli("bottleneck", "add", "IC", "Packaging line lacks power", "--unit", UNIT,
           "--new-unit", "--due", "+30d", env=early))  # fmt: skip
    card = json.loads(ok(cli("bottleneck", "show", "IC-1", "--json", env=early)).stdout)
    assert card["raised_on"] == "2026-12-01"


def test_the_demo_keeps_beijing_time(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """The demo database records Asia/Shanghai; the setting, when given, wins."""
    monkeypatch.delenv("CHAINLEAD_TIMEZONE")
    demo = runner(str(tmp_path / "demo.db"))
    ok(demo("demo"))
    settings = json.loads(ok(demo("config", "show", "--json")).stdout)
    [row] = [s for s in settings if s["key"] == "timezone"]
    assert (row["value"], row["source"]) == ("Asia/Shanghai", "database")
    dawn = {"CHAINLEAD_NOW": "2026-11-30T23:30:00Z"}
    ok(demo("bottleneck", "note", "IC-1", "Visited the plant", env=dawn))
    [*_, note] = shown(demo, "IC-1")["history"]
    assert note["at"] == "2026-12-01T07:30:00+08:00"
    in_utc = shown(demo, "IC-1", env={"CHAINLEAD_TIMEZONE": "UTC"})
    assert in_utc["history"][-1]["at"] == "2026-11-30T23:30:00Z"


def test_an_urge_refused_says_its_times_in_the_zone(run: Run, db_url: str) -> None:
    from time_data import state

    ok(run("bottleneck", "urge", "IC-1", env=at("2026-12-01T07:30:00+08:00")))
    before = state(db_url)
    again = run("bottleneck", "urge", "IC-1", env=at("2026-12-01T08:00:00+08:00"))
    assert_refused(
        again,
        1,
        "urged at 2026-12-01T07:30:00+08:00; urge again from 2026-12-02T07:30:00+08:00",
    )
    assert state(db_url) == before


def test_a_chain_made_at_dawn_is_expected_to_meet_from_that_month(db_url: str) -> None:
    run = runner(db_url)
    ok(run("chain", "add", "BIO", "Biomedicine", "--leader", "He Ping",
           "--responsible", "Sun Li", env=at("2026-12-01T07:30:00+08:00")))  # fmt: skip
    later = at("2026-12-06T10:00:00+08:00")

    def missing(month: str) -> list[str]:
        listed = ok(run("schedule", "missing", "--month", month, "--json", env=later)).stdout
        return [row["chain"] for row in json.loads(listed)]

    assert (missing("2026-11"), missing("2026-12")) == ([], ["BIO"])


def test_snapshots_keep_utc_whatever_the_zone(tmp_path) -> None:  # noqa: ANN001
    """Snapshots are data: export, import and export again give the same bytes in
    Beijing, and the same as in UTC; the demo's own file (UTC) imports as it is."""
    from chainlead.demo import EXAMPLES

    demo = runner(str(tmp_path / "demo.db"))
    ok(demo("demo", env=BEIJING))
    first = tmp_path / "first.toml"
    ok(demo("export", str(first), env=BEIJING))
    again = runner(str(tmp_path / "again.db"))
    ok(again("init", env=BEIJING))
    ok(again("import", str(first), env=BEIJING))
    second = tmp_path / "second.toml"
    ok(again("export", str(second), env=BEIJING))
    in_utc = tmp_path / "utc.toml"
    ok(again("export", str(in_utc), env={"CHAINLEAD_TIMEZONE": "UTC"}))
    assert first.read_bytes() == second.read_bytes() == in_utc.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert "+08:00" not in text and "T01:00:00Z" in text
    original = (EXAMPLES / "jiangning.toml").read_text(encoding="utf-8")
    assert text.splitlines()[5:20] == original.splitlines()[5:20]


def test_export_since_a_day_starts_at_local_midnight(run: Run, tmp_path) -> None:  # noqa: ANN001
    ok(run("bottleneck", "note", "IC-1", "Visited the plant",
           env=at("2026-12-01T07:30:00+08:00")))  # fmt: skip
    later = at("2026-12-06T10:00:00+08:00")
    beijing, utc = tmp_path / "beijing.toml", tmp_path / "utc.toml"
    ok(run("export", str(beijing), "--since", "2026-12-01", env=later))
    ok(run("export", str(utc), "--since", "2026-12-01", env={**later, "CHAINLEAD_TIMEZONE": "UTC"}))
    assert "Visited the plant" in beijing.read_text(encoding="utf-8")
    assert "Visited the plant" not in utc.read_text(encoding="utf-8")
