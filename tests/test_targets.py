"""Annual targets (``chainlead target``): set, show, list, remove, the year to date from
the meetings' figures, the lights, ``db check`` and the monthly report's section, on
SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import assert_refused, execute
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.cli.complete import target_figures

runner = CliRunner()


def run(db: str, *args: str, today: str | None = None) -> Result:
    env = {"CHAINLEAD_TODAY": today} if today else None
    return runner.invoke(app, ["--db", db, *args], env=env)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def data(db: str, *args: str, today: str | None = None) -> object:
    return json.loads(ok(run(db, *args, "--json", today=today)).stdout)


def meeting(db: str, chain: str, held_on: str, *figures: str, kind: str = "scheduling") -> None:
    args = [a for f in figures for a in ("--figure", f)]
    ok(run(db, "schedule", "add", chain, "--held-on", held_on, "--kind", kind, *args))


def state(db: str) -> list[object]:
    """What a user can read of the targets and the chains' history."""
    return [
        data(db, "target", "list"),
        data(db, "chain", "show", "IC")["history"],  # type: ignore[index]
        data(db, "chain", "show", "GSC")["history"],  # type: ignore[index]
    ]


def shown(db: str, *args: str, today: str | None = None) -> dict[str, dict]:
    """``target show``'s targets by figure."""
    found = data(db, "target", "show", *args, today=today)
    return {t["figure"]: t for t in found["targets"]}  # type: ignore[index]


@pytest.fixture
def district(db_url: str) -> str:
    """Two chains; IC's meetings record output_value (亿元), new_projects and
    cumulative_output (亿元) in 2026, GSC's output_value in 万元."""
    ok(run(db_url, "chain", "add", "IC", "集成电路", "--leader", "Sun Hao",
           "--responsible", "Chen Jie", today="2025-12-01"))  # fmt: skip
    ok(run(db_url, "chain", "add", "GSC", "绿色智能汽车", "--leader", "Li Ming",
           "--responsible", "Zhang Wei", today="2025-12-01"))  # fmt: skip
    meeting(db_url, "IC", "2026-01-20", "output_value=14:亿元", "new_projects=1",
            "cumulative_output=14:亿元")  # fmt: skip
    meeting(db_url, "IC", "2026-02-24", "output_value=12:亿元", "new_projects=2",
            "cumulative_output=26:亿元")  # fmt: skip
    # Two meetings in March: the later one's value is the month's.
    meeting(db_url, "IC", "2026-03-10", "output_value=15:亿元", "new_projects=1")
    meeting(db_url, "IC", "2026-03-27", "output_value=16:亿元", "cumulative_output=42:亿元",
            kind="other")  # fmt: skip
    # No meeting in April.
    meeting(db_url, "IC", "2026-05-19", "output_value=17:亿元", "new_projects=3",
            "cumulative_output=75:亿元")  # fmt: skip
    meeting(db_url, "IC", "2025-12-18", "output_value=99:亿元")  # another year: not counted
    meeting(db_url, "GSC", "2026-05-12", "output_value=9000:万元")
    return db_url


def set_ic(db: str) -> Result:
    return ok(
        run(db, "target", "set", "IC", "2026", "--figure", "output_value=180:亿元",
            "--figure", "new_projects=12", "--figure", "cumulative_output=180:亿元@latest")
    )  # fmt: skip


# --------------------------------------------------------------------------- commands


def test_set_show_list_and_remove(district: str) -> None:
    result = set_ic(district)
    assert result.stderr.splitlines() == [
        "IC 2026 target output_value: (none) → 180:亿元@sum",
        "IC 2026 target new_projects: (none) → 12@sum",
        "IC 2026 target cumulative_output: (none) → 180:亿元@latest",
    ]
    card = data(district, "target", "show", "IC", "2026", today="2026-06-15")
    assert (card["chain"], card["year"], card["as_of"], card["expected"]) == (  # type: ignore[index]
        "IC",
        2026,
        "2026-06-15",
        0.4167,
    )
    assert "months completed ÷ 12" in card["rule"]  # type: ignore[index]
    lines = {t["figure"]: t for t in card["targets"]}  # type: ignore[index]
    assert [(f, t["kind"], t["counted"], t["target"], t["unit"]) for f, t in lines.items()] == [
        ("output_value", "sum", "monthly flow, summed", "180", "亿元"),
        ("new_projects", "sum", "monthly flow, summed", "12", None),
        ("cumulative_output", "latest", "running total, latest", "180", "亿元"),
    ]
    # The year defaults to today's.
    assert shown(district, "IC", today="2026-06-15") == lines
    assert data(district, "target", "show", "IC", today="2027-01-05")["targets"] == []  # type: ignore[index]

    listed = data(district, "target", "list", "--year", "2026")
    assert [(t["chain"], t["figure"]) for t in listed] == [  # type: ignore[union-attr]
        ("IC", "output_value"), ("IC", "new_projects"), ("IC", "cumulative_output"),
    ]  # fmt: skip
    assert data(district, "target", "list", "--chain", "gsc") == []
    assert data(district, "target", "list", "--year", "2025") == []
    csv = ok(run(district, "target", "list", "--csv", today="2026-06-15")).stdout.splitlines()
    assert csv[0] == (
        "chain,year,figure,kind,counted,target,unit,year_to_date,done,expected,light,as_of"
    )
    assert csv[1] == (
        'IC,2026,output_value,sum,"monthly flow, summed",180,亿元,59,0.3278,0.4167,yellow,'
        "2026-06-15"
    )
    table = ok(run(district, "target", "list", today="2026-06-15")).stdout
    assert "output_value (sum)" in table and "180 亿元" in table and "yellow" in table
    assert "monthly flow" in table and "running total" in table

    removed = ok(run(district, "target", "remove", "IC", "2026", "--figure", "NEW_PROJECTS"))
    assert removed.stderr.strip() == "IC 2026 target new_projects removed (was 12@sum)"
    assert list(shown(district, "IC", "2026")) == ["output_value", "cumulative_output"]
    history = data(district, "chain", "show", "IC")["history"]  # type: ignore[index]
    assert [(e["kind"], e["field"], e["old"], e["new"], e["text"]) for e in history[-4:]] == [
        ("target_set", "output_value", None, "180:亿元@sum", "2026 output_value"),
        ("target_set", "new_projects", None, "12@sum", "2026 new_projects"),
        ("target_set", "cumulative_output", None, "180:亿元@latest", "2026 cumulative_output"),
        ("target_removed", "new_projects", "12@sum", None, "2026 new_projects"),
    ]


def test_setting_again_replaces_the_value_with_an_event(district: str) -> None:
    set_ic(district)
    again = ok(run(district, "target", "set", "IC", "2026", "--figure", "output_value=200:亿元",
                   "--figure", "new_projects=12", "--kind", "latest"))  # fmt: skip
    assert again.stderr.splitlines() == [
        "IC 2026 target output_value: 180:亿元@sum → 200:亿元@latest",
        "IC 2026 target new_projects: 12@sum → 12@latest",
    ]
    same = ok(
        run(district, "target", "set", "IC", "2026", "--figure", "output_value=200:亿元@latest")
    )
    assert same.stderr.strip() == "IC 2026: nothing changed"
    targets = shown(district, "IC", "2026")
    assert (targets["output_value"]["target"], targets["output_value"]["kind"]) == ("200", "latest")
    history = data(district, "chain", "show", "IC")["history"]  # type: ignore[index]
    assert [(e["kind"], e["old"], e["new"]) for e in history if e["field"] == "output_value"] == [
        ("target_set", None, "180:亿元@sum"),
        ("target_set", "180:亿元@sum", "200:亿元@latest"),
    ]


def test_a_new_figure_needs_the_flag(district: str) -> None:
    ok(run(district, "target", "set", "GSC", "2026", "--figure", "charging_piles=5000",
           "--new-figure"))  # fmt: skip
    piles = shown(district, "GSC", "2026", today="2026-06-15")["charging_piles"]
    assert (piles["target"], piles["year_to_date"], piles["done"], piles["light"]) == (
        "5000",
        None,
        0.0,
        "red",
    )
    # Once a target names it, the figure completes.
    if "://" not in district:
        assert target_figures(district, "CHAR") == ["charging_piles="]
        assert target_figures(district, "out") == ["output_value="]
        assert target_figures(district, "output_value=1") == []


REFUSALS = [
    (["target", "set", "IC", "2026", "--figure", "output=180:亿元"], 2,
     ("target for an unknown figure 'output'", "known figures: cumulative_output, "
      "new_projects, output_value", "--new-figure")),
    (["target", "set", "IC", "2026", "--figure", "output_value=180:万元"], 2,
     ("output_value", "the unit 万元 differs from the unit the meetings record, 亿元")),
    (["target", "set", "IC", "2026", "--figure", "output_value=180"], 2,
     ("the unit no unit differs", "亿元")),
    (["target", "set", "GSC", "2026", "--figure", "output_value=5:亿元"], 2,
     ("the unit 亿元 differs from the unit the meetings record, 万元",)),
    (["target", "set", "IC", "2026", "--figure", "output_value"], 2,
     ("--figure: expected NAME=NUMBER or NAME=NUMBER:UNIT",)),
    (["target", "set", "IC", "2026", "--figure", "output_value=lots:亿元"], 2,
     ("output_value: expected a number",)),
    (["target", "set", "IC", "2026", "--figure", "output_value=180:亿元@most"], 2,
     ("--figure: after @ sum or latest",)),
    (["target", "set", "IC", "2026", "--figure", "new_projects=0"], 2,
     ("new_projects: expected a target above 0",)),
    (["target", "set", "IC", "2026", "--figure", "new_projects=3", "--figure", "NEW_projects=4"],
     2, ("figure 'NEW_projects' is given twice",)),
    (["target", "set", "IC", "1890", "--figure", "new_projects=3"], 2,
     ("year: expected a year from 2000 to 2100",)),
    (["target", "set", "IC", "2026"], 2, ("--figure: expected NAME=NUMBER",)),
    (["target", "set", "IC", "2026", "--figure", "new_projects=3", "--kind", "avg"], 2,
     ("--kind",)),
    (["target", "set", "XX", "2026", "--figure", "new_projects=3"], 1, ("no chain 'XX'",)),
    (["target", "remove", "IC", "2026", "--figure", "charging_piles"], 1,
     ("no IC 2026 target for the figure 'charging_piles'", "did you mean")),
    (["target", "remove", "IC", "2026"], 2, ("--figure",)),
    (["target", "show", "IC", "2026", "--as-of", "someday"], 2, ("--as-of",)),
]  # fmt: skip


@pytest.mark.parametrize(("args", "code", "fragments"), REFUSALS, ids=lambda v: str(v)[:60])
def test_refusals_write_nothing(
    district: str, args: list[str], code: int, fragments: tuple[str, ...]
) -> None:
    set_ic(district)
    before = state(district)
    assert_refused(run(district, *args), code, *fragments)
    assert state(district) == before


def test_an_archived_chain_takes_no_targets(district: str) -> None:
    ok(run(district, "chain", "archive", "GSC", "--yes"))
    before = state(district)
    assert_refused(
        run(district, "target", "set", "GSC", "2026", "--figure", "output_value=5:万元"),
        1,
        "chain GSC is archived",
    )
    assert state(district) == before


def test_an_archived_chain_keeps_its_targets(district: str) -> None:
    ok(run(district, "target", "set", "GSC", "2026", "--figure", "output_value=5:万元"))
    ok(run(district, "chain", "archive", "GSC", "--yes"))
    before = state(district)
    assert_refused(
        run(district, "target", "remove", "GSC", "2026", "--figure", "output_value"),
        1,
        "chain GSC is archived",
    )
    assert state(district) == before


def test_setting_again_keeps_the_kind_unless_one_is_given(district: str) -> None:
    ok(run(district, "target", "set", "IC", "2026", "--figure", "new_projects=5@latest"))
    again = ok(run(district, "target", "set", "IC", "2026", "--figure", "new_projects=6"))
    assert again.stderr.splitlines() == ["IC 2026 target new_projects: 5@latest → 6@latest"]
    assert shown(district, "IC", "2026")["new_projects"]["kind"] == "latest"
    summed = ok(run(district, "target", "set", "IC", "2026", "--figure", "new_projects=6@sum"))
    assert summed.stderr.splitlines() == ["IC 2026 target new_projects: 6@latest → 6@sum"]
    back = run(district, "target", "set", "IC", "2026", "--figure", "new_projects=7",
               "--kind", "latest")  # fmt: skip
    assert ok(back).stderr.splitlines() == ["IC 2026 target new_projects: 6@sum → 7@latest"]
    # A new target without a kind still counts the sum.
    added = ok(run(district, "target", "set", "IC", "2027", "--figure", "new_projects=3"))
    assert added.stderr.splitlines() == ["IC 2027 target new_projects: (none) → 3@sum"]


# --------------------------------------------------------------------------- the year to date


def test_sum_takes_one_value_a_month_and_latest_the_last(district: str) -> None:
    set_ic(district)
    targets = shown(district, "IC", "2026", today="2026-06-15")
    output = targets["output_value"]
    # January 14, February 12, March 16 (the later of two meetings), April none, May 17.
    assert output["year_to_date"] == "59"
    assert [(m["month"], m["value"], m["meeting"]) for m in output["months"]] == [
        ("2026-01", "14", "IC-M1"),
        ("2026-02", "12", "IC-M2"),
        ("2026-03", "16", "IC-M4"),
        ("2026-05", "17", "IC-M5"),
    ]
    # The later March meeting did not record new_projects: the earlier one's counts.
    assert targets["new_projects"]["year_to_date"] == "7"
    assert [m["meeting"] for m in targets["new_projects"]["months"]] == [
        "IC-M1", "IC-M2", "IC-M3", "IC-M5"
    ]  # fmt: skip
    latest = targets["cumulative_output"]
    assert (latest["year_to_date"], latest["months"]) == (
        "75",
        [{"month": "2026-05", "value": "75", "meeting": "IC-M5"}],
    )
    # At a day before May's meeting, only what was held by then counts.
    early = shown(district, "IC", "2026", "--as-of", "2026-04-30", today="2026-06-15")
    assert early["output_value"]["year_to_date"] == "42"
    assert early["cumulative_output"]["year_to_date"] == "42"
    assert early["output_value"]["expected"] == pytest.approx(4 / 12, abs=1e-4)
    card = ok(run(district, "target", "show", "IC", "2026", today="2026-06-15")).stdout
    assert "monthly flow, summed" in card and "running total, latest" in card
    words = " ".join(card.split())
    assert "2026-03 16 (IC-M4)" in words and "one a month: the latest meeting's" in words


def test_values_in_another_unit_are_left_out(district: str) -> None:
    set_ic(district)
    ok(run(district, "schedule", "add", "IC", "--held-on", "2026-06-10", "--figure",
           "output_value=50000:万元"))  # fmt: skip
    output = shown(district, "IC", "2026", today="2026-06-15")["output_value"]
    assert (output["year_to_date"], output["left_out"]) == ("59", 1)


@pytest.mark.parametrize(
    ("today", "value", "light"),
    [
        ("2026-06-30", "60", "green"),  # 50% done of 50% expected
        ("2026-06-30", "48", "yellow"),  # 40%: 10 points behind
        ("2026-06-30", "47", "red"),  # 39.2%: 10.8 points behind
        ("2026-06-29", "47", "yellow"),  # June not over: 5/12 = 41.7% expected
        ("2026-06-29", "50", "green"),  # 41.7% done
    ],
)
def test_the_light_at_its_thresholds(db_url: str, today: str, value: str, light: str) -> None:
    ok(run(db_url, "chain", "add", "IC", "集成电路", "--leader", "Sun Hao",
           "--responsible", "Chen Jie", today="2025-12-01"))  # fmt: skip
    meeting(db_url, "IC", "2026-06-10", f"signed={value}:亿元")
    ok(run(db_url, "target", "set", "IC", "2026", "--figure", "signed=120:亿元"))
    found = shown(db_url, "IC", today=today)["signed"]
    assert found["light"] == light
    assert found["done"] == pytest.approx(int(value) / 120, abs=1e-4)
    months = 6 if today.endswith("30") else 5
    assert found["expected"] == pytest.approx(months / 12, abs=1e-4)


# --------------------------------------------------------------------------- db check


def test_db_check_finds_broken_targets(district: str) -> None:
    set_ic(district)
    assert ok(run(district, "db", "check", "--json")).stdout.count('"targets"') == 1
    execute(
        district,
        "UPDATE target SET value = 'many' WHERE figure = 'output_value'",
        "UPDATE target SET kind = 'average' WHERE figure = 'new_projects'",
        "UPDATE target SET year = 1850, figure = 'a=b' WHERE figure = 'cumulative_output'",
    )
    result = run(district, "db", "check", "--json")
    assert result.exit_code == 1
    found = {
        (f["subject"], f["problem"])
        for f in json.loads(result.stdout)["findings"]
        if f["check"] == "targets"
    }
    assert found == {
        ("IC 2026 output_value", "value 'many': expected a decimal above 0"),
        ("IC 2026 new_projects", "kind 'average': expected sum or latest"),
        ("IC 1850 a=b", "year 1850: expected 2000 to 2100"),
        ("IC 1850 a=b", "figure 'a=b': not a figure name"),
    }


# --------------------------------------------------------------------------- the monthly report


def test_the_monthly_report_shows_the_targets(district: str) -> None:
    set_ic(district)
    ok(run(district, "target", "set", "GSC", "2026", "--figure", "output_value=60000:万元",
           "--figure", "new_projects=8"))  # fmt: skip
    report = data(district, "report", "monthly", "--month", "2026-11")
    section = report["targets"]  # type: ignore[index]
    # The current month: counted at today (2026-11-21), ten months completed.
    assert (section["year"], section["as_of"], section["expected"]) == (2026, "2026-11-21", 0.8333)
    chains = {c["code"]: {t["figure"]: t for t in c["targets"]} for c in section["chains"]}
    assert list(chains) == ["GSC", "IC"]
    ic = chains["IC"]
    assert [(f, t["year_to_date"], t["light"]) for f, t in ic.items()] == [
        ("output_value", "59", "red"),
        ("new_projects", "7", "red"),
        ("cumulative_output", "75", "red"),
    ]
    assert chains["GSC"]["output_value"]["year_to_date"] == "9000"
    district_rows = {r["figure"]: r for r in section["district"]}
    projects = district_rows["new_projects"]
    got = (projects["total"], projects["target"], projects["year_to_date"], projects["chains"])
    assert got == (True, "20", "7", 2)
    assert projects["done"] == pytest.approx(7 / 20, abs=1e-4)
    output = district_rows["output_value"]
    assert (output["total"], output["target"], output["light"]) == (False, None, "none")
    assert output["why"] == "units differ: 万元, 亿元"

    text = ok(run(district, "report", "monthly", "--month", "2026-11")).stdout
    assert "Annual targets 2026" in text
    assert "monthly flow, summed" in text and "running total, latest" in text
    assert "output_value: no district total, the chains' units differ (万元, 亿元)." in text
    zh = ok(run(district, "report", "monthly", "--month", "2026-11", "--lang", "zh")).stdout
    assert "2026年年度目标" in zh and "全区合计" in zh and "累计值，取最新" in zh

    # A one-chain report: that chain's targets, no district row.
    one = data(district, "report", "monthly", "--month", "2026-11", "--chain", "IC")
    assert [c["code"] for c in one["targets"]["chains"]] == ["IC"]  # type: ignore[index]
    assert one["targets"]["district"] == []  # type: ignore[index]
    # A year without targets: no section.
    assert (
        data(district, "report", "monthly", "--month", "2026-11", "--chain", "GSC")["targets"][
            "chains"
        ][0]["code"]
        == "GSC"
    )  # type: ignore[index]


def test_the_report_documents_carry_the_section(district: str, tmp_path: Path) -> None:
    set_ic(district)
    md = tmp_path / "r.md"
    html = tmp_path / "r.html"
    ok(run(district, "report", "monthly", "--month", "2026-11", "--markdown", str(md)))
    ok(run(district, "report", "monthly", "--month", "2026-11", "--html", str(html)))
    text = md.read_text(encoding="utf-8")
    assert "## Annual targets 2026" in text
    assert "| cumulative\\_output | running total, latest | 180 亿元 | 75 亿元 |" in text
    page = html.read_text(encoding="utf-8")
    assert '<section class="targets">' in page and "monthly flow, summed" in page


def test_no_section_without_targets_for_the_year(district: str) -> None:
    ok(run(district, "target", "set", "IC", "2027", "--figure", "new_projects=10"))
    assert data(district, "report", "monthly", "--month", "2026-11")["targets"] is None  # type: ignore[index]
    assert (
        "Annual targets" not in ok(run(district, "report", "monthly", "--month", "2026-11")).stdout
    )
