"""Input as a Chinese keyboard types it, and refusals in the house voice.

Full-width forms (全角) read as their ASCII forms, on SQLite and PostgreSQL;
a ``--db`` in a folder that does not exist refused; click's own refusals
(bad values, missing arguments, unknown options) worded ``FIELD: expected
FORM; got VALUE``; checks in the order a person fixes things; keys typed
without their hyphen, and meeting ids near a real one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import assert_refused, db_state
from typer.testing import CliRunner, Result

from chainlead.cli import app

UNIT = "District Development and Reform Bureau"


def wide(text: str) -> str:
    """``text`` as a Chinese input method types it in full-width mode."""
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )


def runner(db: str):  # noqa: ANN201
    cli = CliRunner()

    def run(*args: str) -> Result:
        return cli.invoke(app, ["--db", db, *args])

    return run


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


@pytest.fixture
def district(db_url: str):  # noqa: ANN201
    """Chain IC with two items (IC-1 open, IC-2 resolved) and a meeting IC-M1."""
    run = runner(db_url)
    ok(
        run(
            *("chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming"),
            *("--responsible", "Zhang Wei"),
        )
    )
    for title in ("Packaging line lacks power", "Customs clearance for wafers"):
        ok(
            run(
                *("bottleneck", "add", "IC", title, "--unit", UNIT, "--new-unit"),
                *("--due", "2026-12-31", "--owner", "Zhang Wei"),
            )
        )
    ok(run("bottleneck", "resolve", "IC-2", "--how", "Line laid"))
    ok(run("schedule", "add", "IC", "--held-on", "2026-11-21", "--chair", "Li Ming"))
    return run


def shown(run, key: str) -> dict:  # noqa: ANN001
    return json.loads(ok(run("bottleneck", "show", key, "--json")).stdout)


# ----------------------------------------------------------- full-width input


@pytest.mark.parametrize(
    "typed", ["ＩＣ－１", "IC－1", "ｉｃ－１", " IC-1 ", "IC—1", "IC——1", "IC–1", "IC\u22121"]
)
def test_full_width_keys_find_the_item(district, typed: str) -> None:  # noqa: ANN001
    assert shown(district, typed)["key"] == "IC-1"


def test_full_width_dates_and_spans(district) -> None:  # noqa: ANN001
    ok(district("bottleneck", "edit", "IC－1", "--due", "２０２６－１２－２０", "--why", "x"))
    assert shown(district, "IC-1")["due_on"] == "2026-12-20"
    ok(district("bottleneck", "edit", "ＩＣ－１", "--due", "＋10d", "--why", "y"))
    assert shown(district, "IC-1")["due_on"] == "2026-12-01"  # today is 2026-11-21
    ok(district("bottleneck", "edit", "IC-1", "--due", "+5wd", "--why", "z"))
    ascii_due = shown(district, "IC-1")["due_on"]
    ok(district("bottleneck", "edit", "IC-1", "--due", "2026-12-31", "--why", "z"))
    ok(district("bottleneck", "edit", "IC-1", "--due", wide("+5wd"), "--why", "z"))
    assert shown(district, "IC-1")["due_on"] == ascii_due == "2026-11-27"


def test_full_width_option_values_and_numbers(district) -> None:  # noqa: ANN001
    result = ok(district("bottleneck", "list", "--status", "ＯＰＥＮ", "--limit", "１", "--json"))
    assert [row["key"] for row in json.loads(result.stdout)] == ["IC-1"]
    for word in ("in-progress", "in progress", "ＩＮ＿ＰＲＯＧＲＥＳＳ", "in_progress"):
        listed = ok(district("bottleneck", "list", "--status", word, "--json"))
        assert json.loads(listed.stdout) == []


def test_full_width_chain_codes_and_names(district) -> None:  # noqa: ANN001
    assert "Integrated circuits" in ok(district("chain", "show", "ｉｃ")).stdout
    # A person's name typed full-width (or in another case) finds the person...
    ok(district("bottleneck", "edit", "IC-1", "--owner", "ＺＨＡＮＧ　Ｗｅｉ"))
    assert shown(district, "IC-1")["owner"] == "Zhang Wei"
    ok(district("bottleneck", "close", "IC-2", "--by", "ｌｉ ｍｉｎｇ", "--feedback", "satisfied"))
    assert shown(district, "IC-2")["status"] == "closed"
    # Institutions are found the same way.
    ok(district("bottleneck", "edit", "IC-1", "--unit", wide(UNIT.upper())))
    assert shown(district, "IC-1")["unit"] == UNIT
    # ...and is taken: no second person who only differs in width or case.
    assert_refused(district("person", "add", "ＬＩ　ＭＩＮＧ"), 1, "'Li Ming' already exists")


def test_names_are_stored_as_typed(district) -> None:  # noqa: ANN001
    ok(district("person", "add", "Ｏｌｉｖｅｒ（王）"))
    people = json.loads(ok(district("person", "list", "--json")).stdout)
    assert "Ｏｌｉｖｅｒ（王）" in [p["name"] for p in people]
    ok(district("bottleneck", "edit", "IC-1", "--owner", "Oliver(王)"))
    assert shown(district, "IC-1")["owner"] == "Ｏｌｉｖｅｒ（王）"


# ---------------------------------------------------------- --db in no folder


def test_db_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "typo" / "district.db"
    for args in (("init",), ("demo",)):
        result = runner(str(path))(*args)
        assert_refused(result, 2, "--db: ", str(tmp_path / "typo"), "does not exist")
        assert not path.parent.exists()
    # Any other command: no database there, and why, naming --db.
    for args in (("chain", "list"), ("bottleneck", "list"), ("db", "check")):
        result = runner(str(path))(*args)
        assert_refused(result, 1, f"folder {tmp_path / 'typo'} does not exist; check --db")
        assert not path.parent.exists()


def test_default_location_missing_says_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["chain", "list"])
    assert_refused(result, 1, "no database at", "run `chainlead init` first")


def test_init_parents_makes_the_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "district.db"
    result = ok(runner(str(path))("init", "--parents"))
    assert f"created chainlead database at {path}" in result.stderr
    ok(runner(str(path))("db", "check"))


def test_default_location_folder_is_still_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "data" / "chainlead" / "chainlead.db").exists()


def test_backup_into_a_missing_folder_names_it(db_path: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-such" / "b.db"
    result = runner(str(db_path))("db", "backup", str(missing))
    assert_refused(result, 2, "existing folder", str(tmp_path / "no-such"), "does not exist")
    assert not missing.parent.exists()


# ------------------------------------------------------------ the house voice


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (
            ("bottleneck", "list", "--limit", "x"),
            ["--limit: expected a whole number from 1 to 1000000000; got 'x'"],
        ),
        (
            ("bottleneck", "list", "--limit", "0"),
            ["--limit: expected a whole number from 1 to 1000000000; got '0'"],
        ),
        (
            ("bottleneck", "list", "--status", "foo"),
            [
                "--status: expected one of open, in-progress, blocked, resolved, closed, "
                "dropped, all; got 'foo'"
            ],
        ),
        (("bottleneck", "show"), ["KEY: expected an item key such as IC-12; got nothing"]),
        (("person", "add"), ["NAME: expected a name; got nothing"]),
        (("db", "backup"), ["DEST: expected a file path; got nothing"]),
        (("schedule", "show"), ["MEETING: expected a meeting id such as IC-M3; got nothing"]),
        (
            ("bottleneck", "add"),
            ["CHAIN: expected 1-10 letters or digits starting with a letter", "got nothing"],
        ),
        (
            ("bottleneck", "list", "--lmit", "3"),
            [
                "option: expected an option of `chainlead bottleneck list`; got '--lmit'",
                "did you mean --limit",
            ],
        ),
        (("bottleneck", "list", "--limit"), ["--limit: expected a value after it; got nothing"]),
        (("bottleneck", "list", "--json=3"), ["--json: expected no value (it is a flag)"]),
        (
            ("bottleneck", "show", "IC-1", "IC-2"),
            ["arguments: expected no more than `chainlead bottleneck show` takes; got 'IC-2'"],
        ),
        (
            ("bottleneck", "lst"),
            [
                "command: expected a command of `chainlead bottleneck`; got 'lst'",
                "did you mean 'list'?",
            ],
        ),
    ],
)
def test_click_refusals_in_the_house_voice(db_path: Path, args, fragments) -> None:  # noqa: ANN001
    before = db_state(db_path)
    result = runner(str(db_path))(*args)
    assert_refused(result, 2, *fragments)
    for library_words in ("Invalid value", "Input should", "Value error", "Missing ", "No such"):
        assert library_words not in result.stderr
    assert "in_progress" not in result.stderr
    assert db_state(db_path) == before


# ------------------------------------------------------- order of the checks


def test_close_of_an_unresolved_item_says_so_first(district) -> None:  # noqa: ANN001
    # Without --by and without --feedback: the item's state is what to fix first.
    result = district("bottleneck", "close", "IC-1")
    assert_refused(result, 1, "IC-1 is open; only a resolved item can be closed")
    result = district("bottleneck", "close", "IC-1", "--no-follow-up")
    assert_refused(result, 1, "IC-1 is open; only a resolved item can be closed")
    # The status in the words a person reads, never the stored in_progress.
    ok(district("bottleneck", "start", "IC-1"))
    result = district("bottleneck", "close", "IC-1")
    assert_refused(result, 1, "IC-1 is in progress; only a resolved item can be closed")
    assert "in_progress" not in result.stderr
    # A resolved item then asks for what is missing.
    assert_refused(district("bottleneck", "close", "IC-2"), 2, "--by: name who signs off")


def test_choices_are_listed_and_taken_as_typed(district) -> None:  # noqa: ANN001
    result = district("bottleneck", "close", "IC-2", "--by", "Li Ming", "--feedback", "ok")
    assert_refused(
        result,
        2,
        "--feedback: expected one of satisfied, basically-satisfied, unsatisfied; got 'ok'",
    )
    ok(
        district(
            "bottleneck", "close", "IC-2", "--by", "Li Ming", "--feedback", "Basically satisfied"
        )
    )
    assert shown(district, "IC-2")["status"] == "closed"


def test_resolve_of_a_closed_item_says_so_before_asking_how(district) -> None:  # noqa: ANN001
    ok(district("bottleneck", "close", "IC-2", "--by", "Li Ming", "--feedback", "satisfied"))
    assert_refused(district("bottleneck", "resolve", "IC-2"), 1, "IC-2 is already closed")
    assert_refused(district("bottleneck", "resolve", "IC-1"), 2, "--how: say how")


# ------------------------------------------------------------- did you mean


@pytest.mark.parametrize("typed", ["ic1", "IC1", "ｉｃ１", "ic 1"])
def test_item_key_without_its_hyphen_is_taken(district, typed: str) -> None:  # noqa: ANN001
    assert shown(district, typed)["key"] == "IC-1"


def test_item_key_without_hyphen_between_two_chains(district) -> None:  # noqa: ANN001
    ok(
        district(
            *("chain", "add", "IC1", "Second chain", "--leader", "Li Ming"),
            *("--responsible", "Zhang Wei"),
        )
    )
    ok(district("bottleneck", "add", "IC1", "Other", "--unit", UNIT, "--due", "2026-12-31"))
    # ic12: IC-12 or IC1-2; only IC1-... has no item 2, IC has: IC-12 does not exist
    # either, so both are named.
    assert_refused(
        district("bottleneck", "show", "ic12"), 2, "got 'ic12'; did you mean IC-12, IC1-2?"
    )
    # ic11: IC-11 does not exist, IC1-1 does: taken.
    assert shown(district, "ic11")["key"] == "IC1-1"
    assert_refused(district("bottleneck", "show", "zz1"), 2, "key: expected an item key")


def test_meeting_ids_near_a_real_one(district) -> None:  # noqa: ANN001
    assert "IC-M1" in ok(district("schedule", "show", "icm1")).stdout
    assert "IC-M1" in ok(district("schedule", "show", "ＩＣ－Ｍ１")).stdout
    added = district(
        *("bottleneck", "add", "IC", "Raised at the meeting", "--unit", UNIT),
        *("--due", "2026-12-31", "--meeting", "icm1"),
    )
    ok(added)
    assert "IC-3" in added.stdout
    result = district(
        *("bottleneck", "add", "IC", "Raised at no meeting", "--unit", UNIT),
        *("--due", "2026-12-31", "--meeting", "IC-M4"),
    )
    assert_refused(result, 1, "no meeting 'IC-M4'; did you mean IC-M1?")
    assert_refused(
        district("schedule", "show", "IC-M7"), 1, "no meeting 'IC-M7'; did you mean IC-M1?"
    )
    assert_refused(
        district("schedule", "show", "IC-1"),
        2,
        "meeting: expected a meeting id such as IC-M3; got 'IC-1'; did you mean IC-M1?",
    )
