"""``report follow-ups`` (whom to call back) and the satisfaction rate (满意率) in the
monthly report and ``unit show``, from follow-ups recorded through the CLI.

Today is 2026-11-21 and ``followup_days`` is 7: an item resolved on 2026-11-13 or
before with an enterprise not asked since is late.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from helpers import assert_refused, on_day
from typer.testing import CliRunner, Result

from chainlead.cli import app

DRB = "District Development and Reform Bureau"
COMMERCE = "District Bureau of Commerce"

Run = Callable[..., Result]


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


def _runner(db: str) -> Run:
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, ["--db", db, *args], env=env)

    return run


def _item(run: Run, chain: str, title: str, unit: str, *args: str) -> str:
    result = ok(
        run(
            "bottleneck",
            "add",
            chain,
            title,
            "--unit",
            unit,
            "--new-unit",
            "--raised-on",
            "2026-10-20",
            "--due",
            "2026-12-31",
            *args,
        )
    )
    return result.stdout.strip()


def _resolve(run: Run, key: str, on: str) -> None:
    ok(run("bottleneck", "resolve", key, "--how", "Done", "--on", on))


def _ask(run: Run, key: str, enterprise: str, result: str, on: str) -> None:
    ok(
        run(
            "bottleneck",
            "follow-up",
            key,
            "--enterprise",
            enterprise,
            "--result",
            result,
            "--by",
            "Zhang Wei",
            "--on",
            on,
        )
    )


def build(run: Run) -> Run:
    """Two chains; the items, their resolutions and the follow-ups recorded:

    IC-1  owner Zhou Lan, NARI Group + Hua Hong, resolved 11-05; NARI satisfied 11-10
    IC-2  SMIC, resolved 11-13 (8 days: late)
    IC-3  NARI Group, resolved 11-14 (7 days: not yet late)
    IC-4  Hua Hong, resolved 11-01, closed with --feedback satisfied (today)
    IC-5  SMIC, resolved 11-03, unsatisfied 11-04 (reopened), resolved again 11-06
    NE-1  CATL, resolved 11-02, nobody asked               (Commerce)
    NE-2  CATL, resolved 11-02, closed --feedback basically_satisfied (Commerce)

    Follow-ups to 2026-11-30: IC 3 asked, 2 satisfied (NARI, Hua Hong; SMIC not);
    NE 1 asked, 1 satisfied. DRB 2 of 3, Commerce 1 of 1. None to 2026-10-31.
    """
    for chain, name, leader, responsible in (
        ("IC", "Integrated circuits", "Li Ming", "Zhang Wei"),
        ("NE", "New energy", "Sun Li", "Wu Hao"),
    ):
        with on_day("2026-01-05"):  # set up before the records dated below
            ok(run("chain", "add", chain, name, "--leader", leader, "--responsible", responsible))
    ok(run("person", "add", "Zhou Lan"))
    first = _item(
        run,
        "IC",
        "Packaging line lacks power",
        DRB,
        "--owner",
        "Zhou Lan",
        "--enterprise",
        "NARI Group",
        "--enterprise",
        "Hua Hong",
    )
    assert first == "IC-1"
    _item(run, "IC", "Wafer fab water permit", DRB, "--enterprise", "SMIC")
    _item(run, "IC", "Test hall lease", DRB, "--enterprise", "NARI Group")
    _item(run, "IC", "Cleanroom inspection", DRB, "--enterprise", "Hua Hong")
    _item(run, "IC", "Gas supply contract", DRB, "--enterprise", "SMIC")
    _item(run, "NE", "Battery export licence", COMMERCE, "--enterprise", "CATL")
    _item(run, "NE", "Charging pile subsidy", COMMERCE, "--enterprise", "CATL")
    _resolve(run, "IC-1", "2026-11-05")
    _ask(run, "IC-1", "NARI Group", "satisfied", "2026-11-10")
    _resolve(run, "IC-2", "2026-11-13")
    _resolve(run, "IC-3", "2026-11-14")
    _resolve(run, "IC-4", "2026-11-01")
    ok(run("bottleneck", "close", "IC-4", "--by", "Zhang Wei", "--feedback", "satisfied"))
    _resolve(run, "IC-5", "2026-11-03")
    _ask(run, "IC-5", "SMIC", "unsatisfied", "2026-11-04")
    _resolve(run, "IC-5", "2026-11-06")
    _resolve(run, "NE-1", "2026-11-02")
    _resolve(run, "NE-2", "2026-11-02")
    ok(run("bottleneck", "close", "NE-2", "--by", "Wu Hao", "--feedback", "basically_satisfied"))
    return run


@pytest.fixture
def district(db_url: str) -> Run:
    """The district above on each backend."""
    return build(_runner(db_url))


@pytest.fixture
def sqlite_district(db_path) -> Run:  # noqa: ANN001
    return build(_runner(str(db_path)))


# ----------------------------------------------------------------------- report follow-ups


def test_follow_ups_by_whom_to_call(district: Run) -> None:
    result = ok(district("report", "follow-ups"))
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith("Enterprises to call back  2026-11-21  4 items over 7 d since resolved\n")
    assert all(len(line) <= 80 for line in out.splitlines()), out
    # Zhang Wei (IC's responsible person) has two, Zhou Lan (IC-1's owner) and
    # Wu Hao (NE's responsible person) one each; IC-3 (7 days) is not late yet.
    zhang, zhou, wu = out.index("Zhang Wei  (2 items)"), out.index("Zhou Lan"), out.index("Wu Hao")
    assert zhang < wu < zhou
    section = out[zhang:wu]
    assert section.index("IC-5") < section.index("IC-2")  # longest waiting first
    for text in ("IC-5", "2026-11-06", "15 d", "IC-2", "2026-11-13", "8 d", "SMIC", DRB[:8]):
        assert text in section, text
    ic1 = out[zhou:]
    for text in ("IC-1", "2026-11-05", "16 d", "Hua Hong"):
        assert text in ic1, text
    assert "NARI Group" not in ic1  # asked on 11-10
    assert "NE-1" in out[wu:zhou] and "19 d" in out[wu:zhou]
    for key in ("IC-3", "IC-4", "NE-2"):
        assert key not in out


def test_follow_ups_json_keys_and_chain(district: Run) -> None:
    data = json.loads(ok(district("report", "follow-ups", "--json", "--chain", "ic")).stdout)
    assert set(data) == {"today", "followup_days", "chain", "total", "people"}
    assert (data["today"], data["followup_days"], data["chain"], data["total"]) == (
        "2026-11-21",
        7,
        "IC",
        3,
    )
    assert [(p["person"], [i["key"] for i in p["items"]]) for p in data["people"]] == [
        ("Zhang Wei", ["IC-5", "IC-2"]),
        ("Zhou Lan", ["IC-1"]),
    ]
    assert data["people"][1]["items"][0] == {
        "key": "IC-1",
        "chain": "IC",
        "title": "Packaging line lacks power",
        "unit": DRB,
        "resolved_on": "2026-11-05",
        "days_since_resolved": 16,
        "enterprises": ["Hua Hong"],
    }


def test_follow_ups_csv(sqlite_district: Run) -> None:
    out = ok(sqlite_district("report", "follow-ups", "--csv")).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "person",
        "key",
        "chain",
        "title",
        "unit",
        "resolved_on",
        "days_since_resolved",
        "enterprises",
    ]
    assert [(r["person"], r["key"], r["days_since_resolved"]) for r in rows] == [
        ("Zhang Wei", "IC-5", "15"),
        ("Zhang Wei", "IC-2", "8"),
        ("Wu Hao", "NE-1", "19"),
        ("Zhou Lan", "IC-1", "16"),
    ]


def test_follow_ups_check_exit_codes(sqlite_district: Run) -> None:
    late = sqlite_district("report", "follow-ups", "--check")
    assert late.exit_code == 3
    assert "IC-2" in late.stdout
    assert late.stderr.strip() == (
        "chainlead: error: 4 items with enterprises not asked 7 days after resolving"
    )
    # Ask the rest: nothing is late any more.
    _ask(sqlite_district, "IC-1", "Hua Hong", "satisfied", "2026-11-20")
    _ask(sqlite_district, "IC-2", "SMIC", "satisfied", "2026-11-20")
    _ask(sqlite_district, "IC-5", "SMIC", "basically_satisfied", "2026-11-20")
    _ask(sqlite_district, "NE-1", "CATL", "satisfied", "2026-11-20")
    clear = ok(sqlite_district("report", "follow-ups", "--check"))
    assert "was asked" in clear.stdout
    assert clear.stderr == ""


def test_archived_chain_is_left_out(sqlite_district: Run) -> None:
    # An archived chain's items take no follow-up: listing them would fail --check for good.
    ok(sqlite_district("chain", "archive", "NE", "--yes"))
    data = json.loads(ok(sqlite_district("report", "follow-ups", "--json")).stdout)
    assert sorted(i["key"] for p in data["people"] for i in p["items"]) == ["IC-1", "IC-2", "IC-5"]
    refused = sqlite_district(
        "bottleneck", "follow-up", "NE-1", "--result", "satisfied", "--by", "Wu Hao"
    )
    assert refused.exit_code != 0
    _ask(sqlite_district, "IC-1", "Hua Hong", "satisfied", "2026-11-20")
    _ask(sqlite_district, "IC-2", "SMIC", "satisfied", "2026-11-20")
    _ask(sqlite_district, "IC-5", "SMIC", "satisfied", "2026-11-20")
    clear = ok(sqlite_district("report", "follow-ups", "--check"))
    assert "was asked" in clear.stdout
    assert clear.stderr == ""


def test_followup_days_setting(sqlite_district: Run) -> None:
    wider = sqlite_district("report", "follow-ups", "--json", env={"CHAINLEAD_FOLLOWUP_DAYS": "15"})
    data = json.loads(ok(wider).stdout)
    assert data["followup_days"] == 15
    assert sorted(i["key"] for p in data["people"] for i in p["items"]) == ["IC-1", "NE-1"]
    shown = ok(sqlite_district("config", "show", env={"CHAINLEAD_FOLLOWUP_DAYS": "15"}))
    assert "followup_days" in shown.stdout
    settings = json.loads(
        ok(
            sqlite_district("config", "show", "--json", env={"CHAINLEAD_FOLLOWUP_DAYS": "15"})
        ).stdout
    )
    assert [s for s in settings if s["key"] == "followup_days"][0]["value"] == 15
    for bad in ("soon", "-1", "400"):
        refused = sqlite_district("report", "follow-ups", env={"CHAINLEAD_FOLLOWUP_DAYS": bad})
        assert_refused(
            refused, 2, "followup_days (CHAINLEAD_FOLLOWUP_DAYS)", "whole number of days", bad
        )


# ----------------------------------------------------------------------- satisfaction


def test_monthly_satisfaction_json_and_markdown(district: Run) -> None:
    data = json.loads(ok(district("report", "monthly", "--month", "2026-11", "--json")).stdout)
    chains = {c["code"]: c["satisfaction"] for c in data["chains"]}
    # IC: NARI satisfied, Hua Hong satisfied, SMIC unsatisfied; NE: CATL basically.
    assert chains["IC"] == {"asked": 3, "satisfied": 2, "rate": round(2 / 3, 4)}
    assert chains["NE"] == {"asked": 1, "satisfied": 1, "rate": 1.0}
    units = {u["unit"]: u["satisfaction"] for u in data["units"]}
    assert units[DRB] == {"asked": 3, "satisfied": 2, "rate": round(2 / 3, 4)}
    assert units[COMMERCE] == {"asked": 1, "satisfied": 1, "rate": 1.0}

    markdown = ok(district("report", "monthly", "--month", "2026-11", "--markdown", "-")).stdout
    assert "Satisfaction" in markdown
    assert "67% (2 of 3 follow-ups satisfied)" in markdown
    assert "100% (1 of 1 follow-ups satisfied)" in markdown
    drb_row = next(line for line in markdown.splitlines() if line.startswith(f"| {DRB} "))
    assert drb_row.rstrip().endswith("| 67% |"), drb_row

    # Asked up to the month's end only: NE-1's follow-up of December counts from
    # December's report on, not in November's.
    december = {"CHAINLEAD_TODAY": "2026-12-10"}
    ok(
        district(
            "bottleneck",
            "follow-up",
            "NE-1",
            "--result",
            "unsatisfied",
            "--by",
            "Wu Hao",
            env=december,
        )
    )
    for month, ne in (("2026-11", (1, 1, 1.0)), ("2026-12", (2, 1, 0.5))):
        data = json.loads(
            ok(district("report", "monthly", "--month", month, "--json", env=december)).stdout
        )
        found = next(c["satisfaction"] for c in data["chains"] if c["code"] == "NE")
        assert (found["asked"], found["satisfied"], found["rate"]) == ne, month


def test_monthly_satisfaction_on_the_terminal(sqlite_district: Run) -> None:
    biomedicine = ("BM", "Biomedicine", "--leader", "Qian Yu", "--responsible", "Zhou Lan")
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(sqlite_district("chain", "add", *biomedicine))
    out = ok(sqlite_district("report", "monthly", "--month", "2026-11")).stdout
    assert "Satisfaction  67% (2 of 3 follow-ups satisfied)" in out
    assert "Satisfaction  100% (1 of 1 follow-ups satisfied)" in out
    assert "Satisfaction  –" in out  # BM: nobody asked yet
    units = out[out.index("4  Responsible institutions") :]
    assert "Satisfied" in units and "67%" in units


def test_unit_show_satisfaction(district: Run) -> None:
    shown = ok(district("unit", "show", DRB, env={"COLUMNS": "120"})).stdout
    assert "66.7% (2 of 3 follow-ups satisfied)" in shown
    data = json.loads(ok(district("unit", "show", DRB, "--json")).stdout)
    assert data["satisfaction"] == {"asked": 3, "satisfied": 2, "rate": round(2 / 3, 4)}
