"""``chainlead search`` and ``bottleneck list --search``: anything written, found by
any part of it, on SQLite (FTS5 trigrams) and PostgreSQL (pg_trgm)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import assert_refused, db_state, execute
from typer.testing import CliRunner, Result

from chainlead.cli import app

UNIT = "区发展和改革委员会"
runner = CliRunner()


def run(db: str, *args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, ["--db", db, *args], env=env)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


@pytest.fixture
def district(db_url: str) -> str:
    """A chain with items whose words are in their category, a resolution, a note,
    a detail and an enterprise, and a meeting whose decision names one of them."""
    ok(run(db_url, "chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible",
           "王芳", env={"CHAINLEAD_TODAY": "2026-01-05"}))  # fmt: skip
    ok(run(db_url, "chain", "add", "NEV", "新能源汽车", "--leader", "赵强", "--responsible",
           "钱进", env={"CHAINLEAD_TODAY": "2026-01-05"}))  # fmt: skip

    def add(chain: str, title: str, *extra: str) -> str:
        result = ok(run(db_url, "bottleneck", "add", chain, title, "--unit", UNIT, "--new-unit",
                        "--due", "2026-12-31", *extra))  # fmt: skip
        return result.stdout.strip()

    add("IC", "厂房扩建审批慢", "--category", "用电")  # IC-1: only its category says 用电
    add("IC", "二期厂房供电不足", "--detail", "需要新建一条线路")  # IC-2
    ok(run(db_url, "bottleneck", "resolve", "IC-2", "--how", "新建10千伏专线已通电"))
    add("IC", "人才公寓不够")  # IC-3
    ok(run(db_url, "bottleneck", "note", "IC-3", "已约住建局现场勘察"))
    add("NEV", "新产线用电增容迟迟未批")  # NEV-1: 用电 in its title
    add("NEV", "充电桩用地", "--enterprise", "南京绿驰充电科技有限公司")  # NEV-2
    ok(run(db_url, "schedule", "add", "IC", "--summary", "研究二期用电保障",
           "--decision", "请供电公司勘察线路"))  # fmt: skip
    return db_url


def found(db: str, *args: str) -> list[tuple[str, str]]:
    result = ok(run(db, "search", *args, "--json"))
    return [(hit["key"], hit["field"]) for hit in json.loads(result.stdout)["found"]]


def listed(db: str, *args: str) -> list[str]:
    result = ok(run(db, "bottleneck", "list", "--status", "all", *args, "--json"))
    return sorted(row["key"] for row in json.loads(result.stdout))


def test_the_three_misses_are_found(district: str) -> None:
    """Category 用电, a word of a resolution (10千伏) and of a note (勘察)."""
    assert ("IC-1", "category") in found(district, "用电")
    assert found(district, "10千伏") == [("IC-2", "resolution")]
    assert ("IC-3", "note") in found(district, "勘察")
    assert "IC-1" in listed(district, "--search", "用电")
    assert listed(district, "--search", "10千伏") == ["IC-2"]
    assert listed(district, "--search", "勘察") == ["IC-3"]


def test_any_part_of_a_chinese_text_and_short_words(district: str) -> None:
    assert found(district, "增容迟迟") == [("NEV-1", "title")]  # the middle of a title
    assert found(district, "绿驰充电") == [("NEV-2", "enterprise")]
    assert ("NEV-1", "title") in found(district, "电")  # one character: a scan
    assert found(district, "公寓") == [("IC-3", "title")]  # two characters
    assert found(district, "没有这个词") == []


def test_titles_first_then_most_recent_and_meetings_too(district: str) -> None:
    hits = found(district, "用电")
    assert hits[0] == ("NEV-1", "title")
    assert [field for _, field in hits] == ["title", "category", "summary"]
    assert hits[2][0] == "IC-M1"
    assert found(district, "勘察") == [("IC-M1", "decision"), ("IC-3", "note")]


def test_several_words_must_all_be_in_one_text(district: str) -> None:
    assert found(district, "新建 线路") == [("IC-2", "detail")]
    assert found(district, "新建 勘察") == []


def test_filters_and_limit(district: str) -> None:
    assert found(district, "用电", "--chain", "nev") == [("NEV-1", "title")]
    assert found(district, "用电", "--status", "open") == [("NEV-1", "title"), ("IC-1", "category")]
    assert found(district, "电", "--status", "resolved") == [("IC-2", "title")]
    result = ok(run(district, "search", "用电", "--limit", "1", "--json"))
    data = json.loads(result.stdout)
    assert data["total"] == 3 and len(data["found"]) == 1


def test_excerpt_shows_the_match_plainly_in_pipes_and_json(district: str) -> None:
    long_note = "前情" * 40 + "关键的勘察结论" + "后续" * 40
    ok(run(district, "bottleneck", "note", "IC-1", long_note))
    hit = json.loads(ok(run(district, "search", "勘察结论", "--json")).stdout)["found"][0]
    assert hit["key"] == "IC-1" and hit["field"] == "note"
    start, end = hit["match"]
    assert hit["excerpt"][start:end] == "勘察结论"
    assert hit["excerpt"].startswith("…") and hit["excerpt"].endswith("…")
    assert len(hit["excerpt"]) <= 62
    table = ok(run(district, "search", "勘察结论")).stdout
    assert "IC-1" in table and "勘察结论" in table and "\x1b[" not in table


def test_index_kept_current_after_add_note_resolve_edit(district: str) -> None:
    assert found(district, "变压器") == []
    ok(run(district, "bottleneck", "add", "IC", "变压器到货晚", "--unit", UNIT, "--due",
           "2026-12-31"))  # fmt: skip
    assert found(district, "变压器") == [("IC-4", "title")]
    ok(run(district, "bottleneck", "edit", "IC-4", "--title", "主变到货晚"))
    assert found(district, "变压器") == []
    assert found(district, "主变到货") == [("IC-4", "title")]
    ok(run(district, "bottleneck", "note", "IC-4", "厂家承诺月底发货"))
    assert found(district, "月底发货") == [("IC-4", "note")]
    ok(run(district, "bottleneck", "resolve", "IC-4", "--how", "已到货并安装"))
    assert found(district, "到货并安装") == [("IC-4", "resolution")]
    ok(run(district, "bottleneck", "edit", "IC-4", "--category", "物流"))
    assert listed(district, "--search", "物流") == ["IC-4"]
    checked = ok(run(district, "db", "check", "--json"))
    assert json.loads(checked.stdout)["ok"] is True


def test_import_fills_the_index_and_export_is_unchanged(
    district: str, tmp_path: Path, db_path: Path
) -> None:
    first = tmp_path / "first.json"
    ok(run(district, "export", str(first)))
    other = str(tmp_path / "other.db")
    ok(run(other, "init"))
    ok(run(other, "import", str(first)))
    assert ("IC-1", "category") in found(other, "用电")
    assert found(other, "10千伏") == [("IC-2", "resolution")]
    second = tmp_path / "second.json"
    ok(run(other, "export", str(second)))
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(ok(run(other, "db", "check", "--json")).stdout)["ok"] is True


def test_check_finds_an_index_out_of_step_and_rebuild_mends_it(db_url: str) -> None:
    db = db_url
    ok(run(db, "chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "王芳"))
    ok(run(db, "bottleneck", "add", "IC", "厂房扩建审批慢", "--unit", UNIT, "--new-unit",
           "--due", "2026-12-31", "--category", "用电"))  # fmt: skip
    execute(db, "DELETE FROM search_index WHERE field = 'category'")
    checked = run(db, "db", "check", "--json")
    assert checked.exit_code != 0
    findings = json.loads(checked.stdout)["findings"]
    assert [(f["check"], f["subject"]) for f in findings] == [("search_index", "category")]
    assert found(db, "用电") == []
    rebuilt = ok(run(db, "search", "--rebuild"))
    assert "2 texts" in rebuilt.stderr
    assert found(db, "用电") == [("IC-1", "category")]
    assert json.loads(ok(run(db, "db", "check", "--json")).stdout)["ok"] is True


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        ((), 2, ["TEXT", "用电"]),
        (("   ",), 2, ["TEXT", "must not be empty"]),
        (("用电", "--chain", "XX"), 1, ["XX"]),
        (("用电", "--status", "pending"), 2, ["--status", "expected one of"]),
        (("用电", "--limit", "0"), 2, ["--limit"]),
        (("a\x07b",), 2, ["TEXT", "control characters"]),
        (("用电", "--rebuild"), 2, ["--rebuild", "TEXT"]),
    ],
)
def test_refusals(district: str, args: tuple[str, ...], code: int, fragments: list[str]) -> None:
    before = db_state(Path(district)) if "://" not in district else None
    assert_refused(run(district, "search", *args), code, *fragments)
    if before is not None:
        assert db_state(Path(district)) == before


def test_search_in_chinese_leaves_no_english(district: str) -> None:
    result = ok(run(district, "--lang", "zh", "search", "用电"))
    said = result.stdout + result.stderr
    for english in ("Key", "Title", "Found in", "Text", "title", "category", "summary", "found"):
        assert english not in said, (english, said)
    assert "标题" in said and "找到" in result.stderr
    none = ok(run(district, "--lang", "zh", "search", "没有这个词"))
    assert "nothing" not in none.stderr and "没有找到" in none.stderr
