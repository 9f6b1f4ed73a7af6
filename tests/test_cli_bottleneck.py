"""CLI: ``chainlead bottleneck`` commands, their output and their refusals."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers import assert_refused, db_state
from rich.cells import cell_len

UNIT = "District Development and Reform Bureau"


@pytest.fixture
def ic(cli):  # noqa: ANN001, ANN201
    result = cli(
        "chain",
        "add",
        "IC",
        "Integrated circuits",
        "--leader",
        "Li Ming",
        "--responsible",
        "Zhang Wei",
        "--member",
        "Wang Fang",
        env={"CHAINLEAD_TODAY": "2026-01-05"},  # set up before the items it is given
    )
    assert result.exit_code == 0, result.stderr
    for owner in ("Zhou Lan", "Chen Jie"):  # the owners the items below are given
        assert cli("person", "add", owner).exit_code == 0
    return cli


def add(cli, *args: str, title: str = "Packaging line lacks power", chain: str = "IC") -> str:  # noqa: ANN001
    result = cli(
        "bottleneck",
        "add",
        chain,
        title,
        "--unit",
        UNIT,
        "--new-unit",
        "--due",
        "2026-12-31",
        *args,
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def ok(result):  # noqa: ANN001, ANN201
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# ----------------------------------------------------------------------- add


def test_add_prints_the_new_key(ic) -> None:  # noqa: ANN001
    result = ok(
        ic(
            "bottleneck",
            "add",
            "IC",
            "Wafer-level packaging line lacks power capacity",
            "--unit",
            UNIT,
            "--new-unit",
            "--owner",
            "Zhou Lan",
            "--due",
            "2026-12-31",
            "--enterprise",
            "NARI Group",
            "--source",
            "breakfast",
            "--category",
            "infrastructure",
            "--priority",
            "high",
            "--raised-on",
            "2026-11-20",
            "--detail",
            "Needs 2 MW more.",
        )
    )
    assert result.stdout == "IC-1\n"
    assert "added IC-1, due 2026-12-31 (green)" in result.stderr
    assert add(ic, chain="ic") == "IC-2"
    shown = json.loads(ok(ic("bottleneck", "show", "ic-1", "--json")).stdout)
    assert shown["owner"] == "Zhou Lan"
    assert shown["source"] == "breakfast"
    assert shown["raised_on"] == "2026-11-20"


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("today", "2026-11-21"),
        ("+10d", "2026-12-01"),
        ("+2w", "2026-12-05"),
        ("eom", "2026-11-30"),
        ("2027-02-28", "2027-02-28"),
    ],
)
def test_add_accepts_date_forms(ic, due: str, expected: str) -> None:  # noqa: ANN001
    ok(ic("bottleneck", "add", "IC", "t", "--unit", "u", "--new-unit", "--due", due))
    shown = json.loads(ok(ic("bottleneck", "show", "IC-1", "--json")).stdout)
    assert shown["due_on"] == expected


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (["--due", "31/12/2026"], 2, ["--due: expected a date as YYYY-MM-DD", "'31/12/2026'"]),
        (["--due", "2026-02-30"], 2, ["--due: not a real calendar date", "'2026-02-30'"]),
        (["--due", "soon"], 2, ["--due: expected a date"]),
        (["--due", "2026-11-01", "--raised-on", "2026-11-05"], 1, ["--due", "before the raised"]),
        (["--due", "+1d", "--raised-on", "+2d"], 1, ["--raised-on", "in the future"]),
        (["--due", "+1d", "--raised-on", "2026-13-01"], 2, ["--raised-on: not a real"]),
        (["--due", "+1d", "--source", "party"], 2, ["--source", "party"]),
        (["--due", "+1d", "--priority", "asap"], 2, ["--priority"]),
        (["--due", "+1d", "--detail", "bell\x07"], 2, ["--detail: control characters", "U+0007"]),
        (["--due", "+1d", "--meeting", "IC-M9"], 1, ["no meeting 'IC-M9'"]),
        (["--unit", "u", "--new-unit"], 2, ["--due: every item needs a time limit"]),
    ],
)
def test_add_refusals(ic, db_path: Path, args: list[str], code: int, fragments: list[str]) -> None:  # noqa: ANN001
    before = db_state(db_path)
    if "--unit" not in args:
        args = ["--unit", UNIT, "--new-unit", *args]
    result = ic("bottleneck", "add", "IC", "A title", *args)
    assert_refused(result, code, *fragments)
    assert db_state(db_path) == before


@pytest.mark.parametrize(
    ("chain", "title", "code", "fragments"),
    [
        ("IC", "", 2, ["title: must not be empty (1-500 characters)"]),
        ("IC", "   ", 2, ["title: must not be empty"]),
        ("IC", "x" * 501, 2, ["title: must be at most 500 characters, got 501"]),
        ("IC", "red \x1b[31malert", 2, ["title: control characters are not accepted", "U+001B"]),
        ("IC", "csi \x9b", 2, ["U+009B"]),
        ("IC", "two\nlines", 2, ["title: control characters", "U+000A"]),
        ("XX", "fine", 1, ["no chain 'XX'"]),
        ("I-C", "fine", 2, ["chain: expected 1-10 letters"]),
    ],
)
def test_add_refuses_bad_titles_and_chains(
    ic,  # noqa: ANN001
    db_path: Path,
    chain: str,
    title: str,
    code: int,
    fragments: list[str],
) -> None:
    before = db_state(db_path)
    result = ic("bottleneck", "add", chain, title, "--unit", UNIT, "--new-unit", "--due", "+7d")
    assert_refused(result, code, *fragments)
    assert "\x1b" not in result.stderr and "\x9b" not in result.stderr
    assert db_state(db_path) == before


def test_title_of_500_characters_is_accepted(ic) -> None:  # noqa: ANN001
    assert add(ic, title="长" * 500) == "IC-1"


def test_archived_chain_refuses_new_items(ic, db_path: Path) -> None:  # noqa: ANN001
    add(ic)
    ok(ic("chain", "archive", "IC", "--yes"))
    before = db_state(db_path)
    assert_refused(
        ic("bottleneck", "add", "IC", "t", "--unit", "u", "--new-unit", "--due", "+1d"),
        1,
        "archived",
    )
    assert_refused(ic("bottleneck", "note", "IC-1", "late news"), 1, "archived")
    assert db_state(db_path) == before


# ----------------------------------------------------------------------- life


def test_whole_life_from_the_terminal(ic) -> None:  # noqa: ANN001
    add(ic, "--raised-on", "2026-11-02", "--enterprise", "NARI Group")
    ok(ic("bottleneck", "note", "ic-1", "Met the power company; line survey scheduled"))
    started = ok(ic("bottleneck", "start", "IC-1"))
    assert started.stderr.strip() == "IC-1: open → in progress"
    ok(ic("bottleneck", "block", "IC-1", "--reason", "Waiting for the provincial grid plan"))
    ok(ic("bottleneck", "start", "IC-1"))
    resolved = ok(
        ic(
            "--as",
            "Wang Fang",
            "bottleneck",
            "resolve",
            "IC-1",
            "--how",
            "Temporary 10 kV line laid",
            "--on",
            "2026-11-20",
        )
    )
    assert "in progress → resolved on 2026-11-20 (on time)" in resolved.stderr
    closed = ok(
        ic(
            "bottleneck",
            "close",
            "IC-1",
            "--by",
            "Zhang Wei",
            "--feedback",
            "satisfied",
            "--note",
            "Production back to full",
        )
    )
    assert closed.stderr.strip() == "IC-1: resolved → closed"
    assert closed.stdout == ""

    shown = ok(ic("bottleneck", "show", "IC-1", env={"COLUMNS": "200"})).stdout
    for text in (
        "Temporary 10 kV line laid",
        "2026-11-20  by Wang Fang",
        "by Zhang Wei",
        "Met the power company; line survey scheduled",
        "Waiting for the provincial grid plan",
        "enterprise satisfied, asked by Zhang Wei: Production back to full",
        "resolved: in progress → resolved",
        "District Development and Reform Bureau (lead): assigned → reported",
        "status: resolved → closed",
        "light: on time",
        "NARI Group",
    ):
        assert text in shown, text
    data = json.loads(ok(ic("bottleneck", "show", "IC-1", "--json")).stdout)
    assert data["status"] == "closed"
    assert data["resolved_by"] == "Wang Fang"
    assert data["closed_by"] == "Zhang Wei"
    assert data["closed_on"] == "2026-11-21"
    assert data["days_open"] == 18
    assert data["days_over"] == -41
    assert [e["kind"] for e in data["history"]] == [
        "created",
        "assigned",
        "note",
        "status",
        "status",
        "status",
        "reported",
        "resolved",
        "followed_up",
        "status",
    ]
    assert all(e["at"].endswith("Z") for e in data["history"])


def test_unsatisfied_feedback_reopens(ic) -> None:  # noqa: ANN001
    add(ic)
    ok(ic("bottleneck", "resolve", "IC-1", "--how", "promised a line"))
    result = ok(
        ic(
            "bottleneck",
            "close",
            "IC-1",
            "--by",
            "li ming",  # names are matched in any case
            "--feedback",
            "unsatisfied",
            "--note",
            "still no power",
        )
    )
    assert "resolved → open (enterprise unsatisfied: reopened)" in result.stderr
    data = json.loads(ok(ic("bottleneck", "show", "IC-1", "--json")).stdout)
    assert (data["status"], data["resolution"], data["closed_by"]) == ("open", None, None)


def test_reopen_and_drop(ic) -> None:  # noqa: ANN001
    add(ic)
    ok(ic("bottleneck", "drop", "IC-1", "--why", "Enterprise moved out of the district"))
    ok(ic("bottleneck", "reopen", "IC-1", "--why", "Enterprise came back"))
    ok(ic("bottleneck", "resolve", "IC-1", "--how", "done"))
    ok(ic("bottleneck", "reopen", "IC-1", "--why", "power cuts again"))
    data = json.loads(ok(ic("bottleneck", "show", "IC-1", "--json")).stdout)
    assert data["status"] == "open"
    assert data["status_reason"] == "power cuts again"
    assert [e["new"] for e in data["history"] if e["field"] == "status"] == [
        "dropped",
        "open",
        "resolved",
        "open",
    ]


@pytest.mark.parametrize(
    ("setup", "args", "code", "fragments"),
    [
        ([], ["resolve", "IC-1"], 2, ["--how: say how it was resolved"]),
        ([], ["resolve", "IC-1", "--how", "  "], 2, ["--how: must not be empty"]),
        ([], ["resolve", "IC-1", "--how", "x", "--on", "+1d"], 1, ["--on", "in the future"]),
        ([], ["resolve", "IC-1", "--how", "x", "--on", "2026-02-30"], 2, ["--on: not a real"]),
        (
            [],
            ["resolve", "IC-1", "--how", "x", "--on", "2026-11-01"],
            1,
            ["before IC-1 was raised"],
        ),
        (
            [["resolve", "IC-1", "--how", "x"]],
            ["resolve", "IC-1", "--how", "y"],
            1,
            ["IC-1 is already resolved", "allowed next: close, reopen"],
        ),
        (
            [],
            ["close", "IC-1", "--by", "Zhang Wei", "--feedback", "satisfied"],
            1,
            ["only a resolved item can be closed", "allowed next: start, block, resolve, drop"],
        ),
        (
            [["start", "IC-1"]],
            ["start", "IC-1"],
            1,
            ["IC-1 is already in progress", "allowed next: block, resolve, drop"],
        ),
        ([], ["reopen", "IC-1", "--why", "x"], 1, ["cannot reopen IC-1: it is open"]),
        ([], ["reopen", "IC-1"], 2, ["--why"]),
        ([], ["drop", "IC-1"], 2, ["--why"]),
        ([], ["block", "IC-1"], 2, ["--reason"]),
        ([["drop", "IC-1", "--why", "x"]], ["start", "IC-1"], 1, ["dropped; reopen it first"]),
        ([["drop", "IC-1", "--why", "x"]], ["note", "IC-1", "hi"], 1, ["reopen it first"]),
        (
            [["resolve", "IC-1", "--how", "x"]],
            ["close", "IC-1", "--by", "Wang Fang", "--feedback", "satisfied"],
            1,
            [
                "--by: Wang Fang cannot sign off",
                "Zhang Wei (responsible)",
                "Li Ming (chain leader)",
            ],
        ),
        (
            [["resolve", "IC-1", "--how", "x"]],
            ["close", "IC-1", "--by", "Zhang Wei"],
            2,
            ["--feedback: ask the enterprise first"],
        ),
        (
            [["resolve", "IC-1", "--how", "x"]],
            ["close", "IC-1", "--by", "Zhang Wei", "--feedback", "meh"],
            2,
            ["--feedback"],
        ),
        ([], ["note", "IC-1", "esc \x1b]8;;x\x07"], 2, ["note: control characters", "U+001B"]),
        ([], ["note", "IC-9", "hi"], 1, ["no bottleneck item 'IC-9'; did you mean IC-1?"]),
        ([], ["show", "IC-12"], 1, ["no bottleneck item 'IC-12'; did you mean IC-1?"]),
        ([], ["start", "12"], 2, ["key: expected an item key such as IC-12"]),
        ([], ["edit", "IC-1"], 2, ["give at least one of"]),
        ([], ["edit", "IC-1", "--due", "+60d"], 2, ["--why: moving the time limit needs a reason"]),
        ([], ["edit", "IC-1", "--due", "2026-10-01", "--why", "x"], 1, ["before the raised"]),
        ([], ["edit", "IC-1", "--title", ""], 2, ["--title: must not be empty"]),
        ([], ["edit", "IC-1", "--unit", "a\x1bb"], 2, ["--unit: control characters"]),
    ],
)
def test_refusals_leave_nothing_behind(
    ic,  # noqa: ANN001
    db_path: Path,
    setup: list[list[str]],
    args: list[str],
    code: int,
    fragments: list[str],
) -> None:
    add(ic, "--raised-on", "2026-11-10")
    for step in setup:
        ok(ic("bottleneck", *step))
    before = db_state(db_path)
    result = ic("bottleneck", *args)
    assert_refused(result, code, *fragments)
    assert db_state(db_path) == before


def test_edit_keeps_old_and_new_values(ic) -> None:  # noqa: ANN001
    add(ic, "--owner", "Zhou Lan")
    result = ok(
        ic(
            "bottleneck",
            "edit",
            "ic-1",
            "--due",
            "2027-01-31",
            "--owner",
            "Chen Jie",
            "--priority",
            "urgent",
            "--why",
            "Grid works moved to January",
        )
    )
    assert result.stderr.splitlines() == [
        "IC-1: priority normal → urgent",
        "IC-1: time limit 2026-12-31 → 2027-01-31",
        "IC-1: owner Zhou Lan → Chen Jie",
    ]
    data = json.loads(ok(ic("bottleneck", "show", "IC-1", "--json")).stdout)
    edits = [(e["field"], e["old"], e["new"], e["text"]) for e in data["history"][1:]]
    assert ("due_on", "2026-12-31", "2027-01-31", "Grid works moved to January") in edits
    assert (data["due_on"], data["owner"], data["priority"]) == ("2027-01-31", "Chen Jie", "urgent")
    same = ok(ic("bottleneck", "edit", "IC-1", "--priority", "urgent"))
    assert same.stderr.strip() == "IC-1: nothing changed"


# ----------------------------------------------------------------------- list


@pytest.fixture
def many(ic):  # noqa: ANN001, ANN201
    ok(ic("chain", "add", "BIO", "Biomedicine", "--leader", "Sun Hao", "--responsible", "Lin Yu",
          env={"CHAINLEAD_TODAY": "2026-01-05"}))  # fmt: skip
    rows = [
        ("IC", "Power for the packaging line", "--due", "2026-11-10", "--raised-on", "2026-10-01",
         "--owner", "Zhou Lan", "--category", "infrastructure", "--priority", "high"),
        ("IC", "Talent apartments", "--due", "+3d", "--enterprise", "Huahong",
         "--priority", "urgent"),
        ("IC", "Export licence", "--due", "2027-03-01", "--category", "trade"),
        ("BIO", "GMP inspection slot", "--due", "2026-11-01", "--raised-on", "2026-09-20",
         "--owner", "Zhou Lan"),
        ("BIO", "Road access", "--due", "2026-11-30", "--raised-on", "2026-11-01"),
    ]  # fmt: skip
    for chain, title, *args in rows:
        ok(ic("bottleneck", "add", chain, title, "--unit", UNIT, "--new-unit", *args))
    ok(ic("bottleneck", "block", "IC-3", "--reason", "ministry review"))
    ok(ic("bottleneck", "resolve", "BIO-2", "--how", "new road", "--on", "2026-11-05"))
    return ic


def keys_of(result) -> list[str]:  # noqa: ANN001
    return [row["key"] for row in json.loads(ok(result).stdout)]


def test_overdue_shows_exactly_the_red_items(many) -> None:  # noqa: ANN001
    result = ok(many("bottleneck", "list", "--overdue", env={"COLUMNS": "160"}))
    lines = table_lines(result.stdout)
    body = [line for line in lines if line.strip().startswith(("IC-", "BIO-"))]
    assert [line.split()[0] for line in body] == ["BIO-1", "IC-1"]
    assert all(line.split()[1] == "red" for line in body)
    assert "yellow" not in "".join(body) and "green" not in "".join(body)
    assert result.stdout.splitlines()[-1] == "2 items: 2 red, 0 yellow, 0 green"
    assert keys_of(many("bottleneck", "list", "--overdue", "--json")) == ["BIO-1", "IC-1"]


def test_default_list_is_open_work_by_due_date_with_lights(many) -> None:  # noqa: ANN001
    result = ok(many("bottleneck", "list", env={"COLUMNS": "160", "NO_COLOR": "1"}))
    body = [
        line.split()[:3]
        for line in table_lines(result.stdout)
        if line.strip().startswith(("IC-", "BIO-"))
    ]
    assert body == [
        ["BIO-1", "red", "open"],
        ["IC-1", "red", "open"],
        ["IC-2", "yellow", "open"],
        ["IC-3", "green", "blocked"],
    ]
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--chain", "bio", "--overdue"], ["BIO-1"]),
        (["--owner", "zhou", "--chain", "IC"], ["IC-1"]),
        (["--due-within", "7d"], ["IC-2"]),
        (["--due-within", "1w", "--chain", "BIO"], []),
        (["--status", "blocked", "--status", "resolved"], ["BIO-2", "IC-3"]),
        (["--status", "all", "--sort", "key"], ["BIO-1", "BIO-2", "IC-1", "IC-2", "IC-3"]),
        (["--resolved-in", "2026-11"], ["BIO-2"]),
        (["--raised-in", "2026-09", "--status", "all"], ["BIO-1"]),
        (["--raised-in", "2026-11", "--enterprise", "HUAHONG"], ["IC-2"]),
        (["--category", "Infrastructure", "--unit", "reform"], ["IC-1"]),
        (["--search", "APART"], ["IC-2"]),
        (["--sort", "priority"], ["IC-2", "IC-1", "BIO-1", "IC-3"]),
        (["--sort", "raised", "--limit", "2"], ["BIO-1", "IC-1"]),
    ],
)
def test_list_filters_combine(many, args: list[str], expected: list[str]) -> None:  # noqa: ANN001
    assert keys_of(many("bottleneck", "list", *args, "--json")) == expected


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--due-within", "soon"], ["--due-within: expected a number of days"]),
        (["--raised-in", "2026-13"], ["--raised-in: expected a month as YYYY-MM"]),
        (["--resolved-in", "Nov"], ["--resolved-in: expected a month"]),
        (["--status", "finished"], ["--status"]),
        (["--sort", "title"], ["--sort"]),
        (["--limit", "0"], ["--limit"]),
        (["--limit", "+-3"], ["--limit: expected a whole number", "got '+-3'"]),
        (["--chain", "BOI"], ["no chain 'BOI'; did you mean BIO?"]),
        (["--json", "--csv"], ["choose one output format"]),
    ],
)
def test_list_refusals(many, args: list[str], fragments: list[str]) -> None:  # noqa: ANN001
    result = many("bottleneck", "list", *args)
    assert_refused(result, 1 if "BOI" in args else 2, *fragments)


def test_list_json_field_by_field(many) -> None:  # noqa: ANN001
    rows = json.loads(ok(many("bottleneck", "list", "--chain", "IC", "--overdue", "--json")).stdout)
    assert rows == [
        {
            "key": "IC-1",
            "chain": "IC",
            "title": "Power for the packaging line",
            "status": "open",
            "light": "red",
            "priority": "high",
            "unit": UNIT,
            "owner": "Zhou Lan",
            "enterprise": None,
            "category": "infrastructure",
            "source": "other",
            "raised_on": "2026-10-01",
            "due_on": "2026-11-10",
            "resolved_on": None,
            "days_open": 51,
            "days_over": 11,
            "original_due_on": None,
            "level": 0,
            "urge_count": 0,
            "last_urged_at": None,
            "suspended_on": None,
            "link": None,
        }
    ]
    resolved = json.loads(
        ok(many("bottleneck", "list", "--resolved-in", "2026-11", "--json")).stdout
    )
    assert (resolved[0]["light"], resolved[0]["resolved_on"], resolved[0]["days_over"]) == (
        "on_time",
        "2026-11-05",
        -25,
    )


def test_list_csv_and_empty(many) -> None:  # noqa: ANN001
    result = ok(many("bottleneck", "list", "--csv", "--overdue"))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["key"], r["light"], r["days_over"]) for r in rows] == [
        ("BIO-1", "red", "20"),
        ("IC-1", "red", "11"),
    ]
    empty = ok(many("bottleneck", "list", "--search", "nothing like this"))
    assert empty.stdout == ""
    assert "no items match" in empty.stderr
    assert ok(many("bottleneck", "list", "--search", "zzz", "--json")).stdout.strip() == "[]"


def test_warning_window_comes_from_settings(many) -> None:  # noqa: ANN001
    rows = json.loads(
        ok(many("bottleneck", "list", "--json", env={"CHAINLEAD_WARNING_DAYS": "2"})).stdout
    )
    assert {r["key"]: r["light"] for r in rows}["IC-2"] == "green"


# ----------------------------------------------------------------------- text safety


MARKUP = ["[link=javascript:alert(1)]x", "[/]", "[bold red]loud[/bold red]", "[red]"]


@pytest.mark.parametrize("title", MARKUP)
def test_markup_in_user_text_is_shown_literally(ic, title: str) -> None:  # noqa: ANN001
    ok(
        ic(
            "bottleneck",
            "add",
            "IC",
            title,
            "--unit",
            title,
            "--new-unit",
            "--due",
            "+30d",
            "--detail",
            title,
            "--enterprise",
            title,
        )
    )
    ok(ic("bottleneck", "note", "IC-1", title))
    wide = {"COLUMNS": "200"}
    listed = ok(ic("bottleneck", "list", env=wide)).stdout
    assert listed.count(title) == 2  # title and unit
    shown = ok(ic("bottleneck", "show", "IC-1", env=wide)).stdout
    assert shown.count(title) >= 4  # title, unit, enterprise, detail, note
    coloured = ok(
        ic("bottleneck", "show", "IC-1", env={**wide, "FORCE_COLOR": "1", "TERM": "xterm"})
    ).stdout
    assert title in coloured
    assert "\x1b]8;" not in coloured  # no hyperlink escape was produced


def cell_offset(line: str, text: str) -> int:
    """Where ``text`` starts in ``line``, counted in terminal cells."""
    return cell_len(line[: line.index(text)])


@pytest.mark.parametrize(
    "title",
    [
        "晶圆级封装生产线电力容量不足",
        "产业链🔌电力😀容量不足 emoji",
        "Ｆｕｌｌ－ｗｉｄｔｈ 和 ASCII",
    ],
)
@pytest.mark.parametrize("columns", ["80", "120"])
def test_cjk_and_emoji_keep_columns_aligned(ic, title: str, columns: str) -> None:  # noqa: ANN001
    env = {"COLUMNS": columns, "NO_COLOR": "1"}
    ok(
        ic(
            "bottleneck",
            "add",
            "IC",
            title,
            "--unit",
            "区发展和改革局",
            "--new-unit",
            "--due",
            "+2d",
        )
    )
    ok(
        ic(
            "bottleneck",
            "add",
            "IC",
            "Plain title",
            "--unit",
            "Commerce",
            "--new-unit",
            "--due",
            "+3d",
        )
    )
    ok(ic("bottleneck", "add", "IC", title * 3, "--unit", "Ｕｎｉｔ", "--new-unit", "--due", "+4d"))

    listed = ok(ic("bottleneck", "list", env=env)).stdout
    lines = table_lines(listed)[1:]  # below the list's title
    assert all(cell_len(line) <= int(columns) for line in lines)
    assert all(line == line.rstrip() for line in lines), lines  # no trailing spaces
    header = next(line for line in lines if "Unit" in line)
    first_lines = [line for line in lines if line.strip().startswith("IC-")]
    assert len(first_lines) == 3
    # The column after the title starts at the same cell on every row.
    unit_at = cell_offset(header, "Unit")
    for line, unit in zip(first_lines, ("区发展", "Commerce", "Ｕｎｉｔ"), strict=True):
        assert cell_offset(line, unit) == unit_at, (line, unit)
        if "Due" in header:  # (at 80 columns the days over stand for it)
            assert cell_offset(line, "2026-11-2") == cell_offset(header, "Due")
    assert "…" not in listed  # nothing cut off: long words fold instead

    shown = ok(ic("bottleneck", "show", "IC-3", env=env)).stdout.splitlines()
    top = next(i for i, line in enumerate(shown) if line.startswith("╭"))
    bottom = next(i for i, line in enumerate(shown) if line.startswith("╰"))
    panel = shown[top : bottom + 1]
    assert len({cell_len(line) for line in panel}) == 1, panel
    history = shown[next(i for i, line in enumerate(shown) if line.startswith("History")) :]
    who = cell_offset(next(line for line in history if "Who" in line), "Who")
    rows = [line for line in history if line.strip().startswith("20")]
    assert rows and all(cell_offset(line, "tester") == who for line in rows), history
    assert json.loads(ok(ic("bottleneck", "show", "IC-1", "--json")).stdout)["title"] == title


def test_help_has_purpose_and_example() -> None:
    from typer.testing import CliRunner

    from chainlead.cli import app

    runner = CliRunner()
    for command in (
        "add", "list", "show", "note", "start", "block", "resolve", "close", "reopen", "drop",
        "edit",
    ):  # fmt: skip
        result = runner.invoke(app, ["bottleneck", command, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.stdout
        assert "chainlead bottleneck " + command in result.stdout
