"""One word for one thing on every screen: a meeting's kind reads the same in the
meeting list, on the meeting's card and on the card of an item raised at it, and
``chain list`` counts a chain's members as its card does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.snapshot.merge import import_snapshot
from chainlead.snapshot.reader import read_snapshot
from chainlead.store.database import open_database

SNAPSHOT = Path(__file__).resolve().parent.parent / "examples" / "jiangning.toml"
WIDE = {"COLUMNS": "200"}


@pytest.fixture
def demo(db_url: str) -> str:
    """The demo district (examples/jiangning.toml) in the test's database."""
    database = open_database(db_url)
    try:
        with database.transaction(write=True) as session:
            snapshot = read_snapshot(SNAPSHOT.read_bytes(), str(SNAPSHOT))
            import_snapshot(session, snapshot, name=str(SNAPSHOT))
    finally:
        database.dispose()
    return db_url


def run(db: str, *args: str, lang: str = "zh") -> Result:
    result = CliRunner().invoke(app, ["--db", db, "--lang", lang, *args], env=WIDE)
    assert result.exit_code == 0, result.stderr
    return result


def _row(text: str, key: str) -> list[str]:
    """The cells of the table row that starts with ``key``."""
    for line in text.splitlines():
        cells = re.split(r"\s{2,}", line.strip(" │"))
        if cells and cells[0] == key:
            return cells
    raise AssertionError(f"no row {key} in:\n{text}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_meeting_kind_reads_the_same_everywhere(demo: str, lang: str) -> None:
    for key, kind in (("IC-M2", "scheduling"), ("IC-M1", "breakfast")):
        shown = json.loads(run(demo, "schedule", "show", key, "--json").stdout)
        assert shown["kind"] == kind  # JSON keeps the stored word
        raised = next(i["key"] for i in shown["items"] if i["relation"] == "raised")
        listed = _row(run(demo, "schedule", "list", lang=lang).stdout, key)[1]
        card = run(demo, "schedule", "show", key, lang=lang).stdout
        kind_row = next(line for line in card.splitlines() if re.match(r"│ (类型|Kind) ", line))
        on_card = re.split(r"\s{2,}", kind_row.strip(" │"))[1]
        on_item = _row(run(demo, "bottleneck", "show", raised, lang=lang).stdout, key)[1]
        assert listed == on_card == on_item, (listed, on_card, on_item)
    if lang == "zh":
        assert on_item == "早餐会"
        listed = _row(run(demo, "schedule", "list").stdout, "IC-M2")[1]
        assert listed == "月度调度会"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chain_list_counts_the_members_the_card_counts(demo: str, lang: str) -> None:
    listed = run(demo, "chain", "list", lang=lang).stdout
    header = next(line for line in listed.splitlines() if line.strip().startswith(("Code", "代码")))
    assert ("Members" if lang == "en" else "总人数") in header, header
    rows = json.loads(run(demo, "chain", "list", "--json").stdout)
    assert len(rows) == 8
    for row in rows:
        card = json.loads(run(demo, "chain", "show", row["code"], "--json").stdout)
        assert row["members"] == card["members"]  # the leader and the working team
        assert row["team_size"] == card["team_size"]  # the working team, as before
        cells = _row(listed, row["code"])
        # the count is the first number on the row: members, then open items
        counts = [c for c in cells if c.isdigit()]
        assert int(counts[0]) == card["members"], (cells, card["members"])
        in_words = next(
            line
            for line in run(demo, "chain", "show", row["code"], lang=lang).stdout.splitlines()
            if re.match(r"│ (专班人数|Team size) ", line)
        )
        assert str(card["members"]) in in_words, in_words


def test_the_enterprise_list_names_places_in_the_screens_language(demo: str) -> None:
    fangshan = "Fangshan Robotics Co., Ltd."
    zh = _row(run(demo, "enterprise", "list").stdout, fangshan)
    assert zh[1] == "IME 下游 链主", zh
    en = _row(run(demo, "enterprise", "list", lang="en").stdout, fangshan)
    assert en[1] == "IME downstream lead (链主)", en
    shown = _row(run(demo, "enterprise", "show", fangshan, lang="en").stdout, "Chains")
    assert shown[1] == en[1]  # the card's words
    # scripts read the same JSON and CSV in both languages, as before
    for lang in ("zh", "en"):
        rows = json.loads(run(demo, "enterprise", "list", "--json", lang=lang).stdout)
        found = next(r for r in rows if r["name"] == fangshan)
        assert found["chains"] == "IME downstream 链主"
        assert set(found) == {"name", "short", "chains", "credit_code", "park",
                              "above_scale", "demands", "open", "satisfaction"}  # fmt: skip
        csv = run(demo, "enterprise", "list", "--csv", lang=lang).stdout
        assert f'"{fangshan}",Fangshan,IME downstream 链主,' in csv
