"""``chainlead log``: the district's activity log, on SQLite and PostgreSQL.

The district keeps Beijing's calendar. Two chains, an item on each, handed to
two institutions; notes a few minutes either side of midnight on Monday 30
November, a start and a note later in the week. "Now" is Sunday 6 December
unless a test says otherwise.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers import assert_refused
from test_zh_commands import english_left
from time_data import Run, ok, runner

BEIJING = {"CHAINLEAD_TIMEZONE": "Asia/Shanghai"}
UNIT, OTHER = "区发展和改革局", "区卫生健康委员会"
NOW = "2026-12-06T08:00:00+08:00"


def at(instant: str) -> dict[str, str]:
    return {**BEIJING, "CHAINLEAD_NOW": instant}


@pytest.fixture
def run(db_url: str) -> Run:
    run = runner(db_url)
    made = at("2026-11-20T10:00:00+08:00")
    ok(run("chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "张伟",
           env=made))  # fmt: skip
    ok(run("chain", "add", "BIO", "生物医药", "--leader", "赵刚", "--responsible", "钱丽",
           env=made))  # fmt: skip
    ok(run("bottleneck", "add", "IC", "封装线用电不足", "--unit", UNIT, "--new-unit",
           "--due", "2026-12-31", env=made))  # fmt: skip
    ok(run("bottleneck", "add", "BIO", "实验楼消防验收", "--unit", OTHER, "--new-unit",
           "--due", "2026-12-31", env=made))  # fmt: skip
    ok(run("--as", "张伟", "bottleneck", "note", "IC-1", "周日夜里已联系供电公司",
           env=at("2026-11-29T23:50:00+08:00")))  # fmt: skip
    ok(run("--as", "张伟", "bottleneck", "note", "IC-1", "周一凌晨已现场勘察",
           env=at("2026-11-30T00:10:00+08:00")))  # fmt: skip
    ok(run("--as", "王芳", "bottleneck", "start", "IC-1", env=at("2026-12-02T09:00:00+08:00")))
    ok(run("--as", "王芳", "bottleneck", "note", "BIO-1", "已约消防部门",
           env=at("2026-12-03T10:00:00+08:00")))  # fmt: skip
    return run


def events(run: Run, *args: str, now: str = NOW) -> list[dict]:
    return json.loads(ok(run("log", *args, "--json", env=at(now))).stdout)


def texts(found: list[dict]) -> list[str | None]:
    return [e["text"] for e in found]


def test_the_last_seven_days_newest_first_with_local_times(run: Run) -> None:
    found = events(run)
    assert [(e["key"], e["kind"], e["actor"]) for e in found] == [
        ("BIO-1", "note", "王芳"),
        ("IC-1", "status", "王芳"),
        ("IC-1", "note", "张伟"),
        ("IC-1", "note", "张伟"),
    ]  # the chains and items made on 20 November are older than seven days
    assert [e["at"] for e in found] == [
        "2026-12-03T10:00:00+08:00",
        "2026-12-02T09:00:00+08:00",
        "2026-11-30T00:10:00+08:00",
        "2026-11-29T23:50:00+08:00",
    ]
    start = found[1]
    assert (start["record"], start["chain"], start["old"], start["new"]) == (
        "item", "IC", "open", "in_progress",
    )  # fmt: skip
    assert set(start) >= {"at", "actor", "kind", "record", "key", "chain", "text", "old", "new"}


def test_since_monday_and_seven_days_count_local_days_around_midnight(run: Run) -> None:
    # Monday began at 16:00 UTC on Sunday: the note ten minutes later is this week's,
    # the one twenty minutes earlier (the same UTC day) is not.
    assert texts(events(run, "--since", "monday"))[-1] == "周一凌晨已现场勘察"
    assert "周日夜里已联系供电公司" not in texts(events(run, "--since", "monday"))
    # Five minutes before Monday 7 December in Beijing, -7d still reaches Sunday 29th;
    # ten minutes after midnight it starts on Monday 30th.
    late = texts(events(run, "--since", "-7d", now="2026-12-06T23:55:00+08:00"))
    early = texts(events(run, "--since", "-7d", now="2026-12-07T00:05:00+08:00"))
    assert "周日夜里已联系供电公司" in late
    assert "周日夜里已联系供电公司" not in early and "周一凌晨已现场勘察" in early
    week = events(run)
    older = [e for e in events(run, "--since", "2026-11-20") if e not in week]
    assert older and all(e["at"].startswith("2026-11-20T10:00") for e in older)  # the set-up
    monday = texts(events(run, "--since", "monday", now="2026-11-30T00:05:00+08:00"))
    assert "周一凌晨已现场勘察" in monday and "周日夜里已联系供电公司" not in monday


def test_filters_compose(run: Run) -> None:
    assert [e["key"] for e in events(run, "--chain", "bio")] == ["BIO-1"]
    assert [e["key"] for e in events(run, "--unit", OTHER)] == ["BIO-1"]
    assert [e["kind"] for e in events(run, "--actor", "王芳")] == ["note", "status"]
    assert [e["kind"] for e in events(run, "--kind", "status")] == ["status"]
    assert len(events(run, "--kind", "note")) == 3
    assert len(events(run, "--kind", "note", "--kind", "status")) == 4
    assert [e["kind"] for e in events(run, "--chain", "IC", "--actor", "王芳")] == ["status"]
    assert events(run, "--chain", "IC", "--kind", "note", "--actor", "王芳") == []
    assert texts(events(run, "--until", "2026-12-01")) == [
        "周一凌晨已现场勘察",
        "周日夜里已联系供电公司",
    ]
    assert [e["key"] for e in events(run, "--limit", "1")] == ["BIO-1"]
    assert [e["kind"] for e in events(run, "--since", "2026-11-20", "--unit", UNIT,
                                      "--limit", "2")] == ["status", "note"]  # fmt: skip
    made = events(run, "--since", "2026-11-20", "--until", "2026-11-20")
    assert {(e["record"], e["key"]) for e in made} >= {
        ("chain", "IC"), ("chain", "BIO"), ("item", "IC-1"), ("item", "BIO-1"),
    }  # fmt: skip


def test_the_table_says_who_did_what_to_which_record(run: Run) -> None:
    said = ok(run("log", env=at(NOW))).stdout
    assert said.splitlines()[0] == "Activity log since 2026-11-29"
    line = next(x for x in said.splitlines() if "2026-12-02 09:00" in x)
    assert "王芳" in line and "IC-1" in line and "status: open → in progress" in line
    assert "4 events" in said.splitlines()[-1]
    assert "older events left out" in ok(run("log", "--limit", "2", env=at(NOW))).stdout
    made = ok(run("log", "--since", "2026-11-20", "--chain", "BIO", env=at(NOW))).stdout
    assert "created (open)" in made and "实验楼消防验收" in made


def test_by_day_puts_the_events_under_their_local_days(run: Run) -> None:
    said = ok(run("log", "--by-day", env=at(NOW))).stdout
    headings = [x.strip() for x in said.splitlines() if x.strip().startswith("2026-")]
    assert headings == [
        "2026-12-03: 1 event",
        "2026-12-02: 1 event",
        "2026-11-30: 1 event",
        "2026-11-29: 1 event",
    ]
    assert "00:10" in said and "23:50" in said


def test_markdown_is_written_for_mailing(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "week.md"
    result = ok(run("log", "--since", "monday", "--markdown", str(target), env=at(NOW)))
    assert result.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Activity log since 2026-11-30\n")
    assert "## 2026-12-02: 1 event" in text
    assert "- 09:00 王芳, IC-1: status: open → in progress" in text
    assert "- 00:10 张伟, IC-1: note (周一凌晨已现场勘察)" in text
    assert "周日夜里" not in text


def test_csv_has_the_json_fields(run: Run) -> None:
    rows = list(csv.DictReader(io.StringIO(ok(run("log", "--csv", env=at(NOW))).stdout)))
    assert [r["key"] for r in rows] == ["BIO-1", "IC-1", "IC-1", "IC-1"]
    assert rows[0]["at"] == "2026-12-03T10:00:00+08:00" and rows[0]["record"] == "item"


def test_chinese_leaves_no_english(run: Run, db_url: str, tmp_path: Path) -> None:
    for args in (("log",), ("log", "--by-day"), ("log", "--limit", "1")):
        said = ok(run("--lang", "zh", *args, env=at(NOW))).stdout
        assert "工作日志" in said
        assert english_left(said, (db_url,)) == set(), (args, said)
    target = tmp_path / "week.md"
    ok(run("--lang", "zh", "log", "--markdown", str(target), env=at(NOW)))
    text = target.read_text(encoding="utf-8")
    assert "## 2026-12-02：1 条记录" in text
    assert english_left(text) == set(), text
    assert events(run) == json.loads(
        ok(run("--lang", "zh", "log", "--json", env=at(NOW))).stdout
    )  # JSON keeps its English keys and stored values


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (("--since", "last week"), 2, "--since: expected a date as YYYY-MM-DD, monday"),
        (("--until", "2026-13-01"), 2, "--until: expected a date"),
        (("--since", "monday", "--until", "-10d"), 2, "--until: expected a day on or after"),
        (("--kind", "gossip"), 2, "--kind: expected one of created, note"),
        (("--chain", "XX"), 1, "no chain 'XX'"),
        (("--unit", "区不存在局"), 1, "no institution"),
        (("--limit", "0"), 2, "--limit"),
        (("--json", "--csv"), 2, "--json"),
        (("--excel",), 2, "--excel"),
    ],
)
def test_bad_values_are_refused(run: Run, args: tuple[str, ...], code: int, said: str) -> None:
    assert_refused(run("log", *args, env=at(NOW)), code, said)


def test_markdown_refused_with_another_format_writes_nothing(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "week.md"
    result = run("log", "--json", "--markdown", str(target), env=at(NOW))
    assert_refused(result, 2, "--markdown")
    assert not target.exists()
    result = run("--lang", "zh", "log", "--since", "上周", env=at(NOW))
    assert_refused(result, 2, "--since：应为日期")


def test_answers_and_records_read_in_words(run: Run) -> None:
    later = at("2026-12-04T15:00:00+08:00")
    ok(run("enterprise", "add", "金陵芯片有限公司", env=later))
    ok(run("bottleneck", "link", "IC-1", "--enterprise", "金陵芯片有限公司", env=later))
    ok(run("bottleneck", "resolve", "IC-1", "--how", "已增容", env=later))
    ok(run("bottleneck", "follow-up", "IC-1", "--by", "张伟", "--result", "satisfied", env=later))
    said = ok(run("--lang", "zh", "log", "--kind", "followed-up", env=at(NOW))).stdout
    assert "回访" in said and "满意" in said and "satisfied" not in said
    ok(run("unit", "add", "区数据局", env=later))
    said = ok(run("log", "--kind", "unit_created", env=at(NOW))).stdout
    assert "institution added: 区数据局" in said  # named in the words, not the key column
    assert [e["key"] for e in events(run, "--kind", "unit-created")] == ["区数据局"]
