"""Every command in Chinese: each leaf of the command tree is run with ``--lang zh``
on the demo district by one of the Chinese tests, and prints no English word the
catalog translates.

``test_zh_commands`` runs the commands outside the item screens, ``test_zh_daily``
the item screens; this file runs the rest (the item loop between institutions,
projects, enterprises, data exchange, the database and the monthly report) and
checks that no command of the tree is left out of all three.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from test_zh_commands import READS as OTHER_READS
from test_zh_commands import WRITES as OTHER_WRITES
from test_zh_commands import demo, english_left, run  # noqa: F401 - demo is a fixture
from test_zh_daily import READS as ITEM_READS

from chainlead.cli import app

CJK = re.compile(r"[\u4e00-\u9fff]")

# In order: each step works on what the steps before it left.
STEPS: tuple[tuple[str, ...], ...] = (
    ("bottleneck", "add", "NM", "厂区道路破损", "--unit", "District Commerce Bureau",
     "--due", "2027-01-31"),
    ("bottleneck", "note", "NM-8", "已现场查看"),
    ("bottleneck", "note", "--where", "--chain NM --status open", "--yes", "已在调度会上通报"),
    ("search", "现场查看"),
    ("bottleneck", "start", "NM-8"),
    ("bottleneck", "block", "NM-8", "--reason", "等待省里批复"),
    ("bottleneck", "edit", "NM-8", "--priority", "high"),
    ("bottleneck", "resolve", "NM-8", "--how", "道路已修复"),
    ("bottleneck", "reopen", "NM-8", "--why", "又坏了"),
    ("bottleneck", "assign", "NM-6", "--unit", "District Commerce Bureau", "--role", "co"),
    ("bottleneck", "receive", "NM-6", "--unit", "District Commerce Bureau"),
    ("bottleneck", "report", "NM-6", "--unit", "District Commerce Bureau", "--how", "已协调"),
    ("bottleneck", "assign", "NM-6", "--unit", "District Finance Bureau", "--role", "co"),
    ("bottleneck", "return", "NM-6", "--unit", "District Finance Bureau", "--why", "不属本单位"),
    ("bottleneck", "transfer", "NM-6", "--from", "District Finance Bureau",
     "--to", "District Data Bureau", "--why", "职责调整"),
    ("bottleneck", "extend", "NM-6", "--to", "2027-01-31", "--why", "冬季施工受限"),
    ("bottleneck", "approve", "NM-6", "--by", "Xie Yun"),
    ("bottleneck", "extend", "NM-6", "--to", "2027-03-31", "--why", "再次申请"),
    ("bottleneck", "refuse", "NM-6", "--by", "Xie Yun", "--why", "可以按期"),
    ("bottleneck", "urge", "NM-6"),
    ("bottleneck", "suspend", "NM-6", "--why", "等待批复"),
    ("bottleneck", "resume", "NM-6"),
    ("bottleneck", "link", "NM-6", "--enterprise", "Fangshan Robotics Co., Ltd."),
    ("bottleneck", "escalate", "NM-6", "--level", "2", "--why", "进展慢"),
    ("bottleneck", "de-escalate", "NM-6", "--why", "已有进展"),
    ("bottleneck", "follow-up", "IC-6", "--by", "Xie Yun", "--result", "satisfied"),
    ("bottleneck", "close", "IC-6", "--by", "Zhang Wei"),
    ("bottleneck", "drop", "NM-7", "--why", "企业已搬迁"),
    ("undo", "--dry-run"),
    ("undo", "--yes"),
    ("undo", "--list"),
    ("bottleneck", "show", "NM-6"),
    ("log", "--by-day"),
    ("bottleneck", "sheet", "NM-6", "--docx", "{tmp}/sheet.docx"),
    ("chain", "link", "edit", "IC", "EDA工具", "--state", "weak", "--note", "国产替代进行中"),
    ("project", "add", "IC", "晶圆厂二期", "--type", "强链", "--enterprise",
     "南京芯研微电子设计有限公司", "--start", "2026-12-01", "--end", "2027-12-31"),
    ("project", "edit", "IC-P5", "--title", "晶圆厂二期扩建"),
    ("project", "drop", "IC-P5", "--why", "企业调整计划"),
    ("enterprise", "add", "南京测试科技有限公司"),
    ("enterprise", "edit", "南京测试科技有限公司", "--contact", "025-1111"),
    ("enterprise", "rename", "南京测试科技有限公司", "南京检测科技有限公司"),
    ("enterprise", "show", "南京检测科技有限公司"),
    ("export", "{tmp}/district.toml"),
    ("import", "{tmp}/district.toml", "--dry-run"),
    ("config", "path"),
    ("db", "path"),
    ("db", "backup", "{tmp}/backup.db"),
    ("db", "upgrade"),
    ("db", "seal", "--out", "{tmp}/seal.txt"),
    ("db", "setup-roles"),
    ("user", "add", "Xie Yun", "--role", "postgres"),
    ("user", "grant", "Xie Yun", "viewer"),
    ("user", "list"),
    ("user", "revoke", "Xie Yun", "viewer"),
    ("report", "monthly", "--month", "2026-10"),
    ("district", "list"),
    ("district", "rename", "江宁区"),
    ("report", "city", "--month", "2026-10"),
    ("batch", str(Path(__file__).resolve().parent.parent / "examples" / "breakfast-meeting.txt")),
)  # fmt: skip

# Run by a test of their own, in Chinese, with what they need: a demand sheet
# (test_zh_daily's intake), a new file (test_zh_commands' init), a demo built
# from nothing (below), a district added to a PostgreSQL city database
# (test_districts: a SQLite file is one district).
ELSEWHERE = {("intake",), ("init",), ("demo",), ("district", "add")}


def _leaves() -> set[tuple[str, ...]]:
    command = typer.main.get_command(app)
    found: set[tuple[str, ...]] = set()

    def walk(group: object, path: tuple[str, ...], ctx: typer.Context) -> None:
        for name in group.list_commands(ctx):  # type: ignore[attr-defined]
            sub = group.get_command(ctx, name)  # type: ignore[attr-defined]
            if hasattr(sub, "list_commands"):
                walk(sub, (*path, name), typer.Context(sub, parent=ctx))
            else:
                found.add((*path, name))

    walk(command, (), typer.Context(command))
    return found


# Command names a screen offers as the next thing to type (下一步 start, resolve)
TYPED = {name for leaf in _leaves() for name in leaf}


def _command_of(args: tuple[str, ...], leaves: set[tuple[str, ...]]) -> tuple[str, ...]:
    for size in (3, 2, 1):
        if args[:size] in leaves:
            return args[:size]
    raise AssertionError(f"not a command: {args}")


def test_every_command_is_run_in_chinese_by_one_test() -> None:
    leaves = _leaves()
    run_somewhere = {
        _command_of(args, leaves) for args in (*OTHER_READS, *OTHER_WRITES, *ITEM_READS, *STEPS)
    }
    assert leaves - run_somewhere - ELSEWHERE == set()


def test_the_loop_projects_exchange_and_report_speak_chinese(demo: str, tmp_path: Path) -> None:  # noqa: F811
    for step in STEPS:
        args = tuple(arg.replace("{tmp}", str(tmp_path)) for arg in step)
        result = run(demo, "zh", *args)
        if args[:2] == ("db", "backup") and demo.startswith("postgresql"):
            assert result.exit_code == 1 and "pg_dump" in result.stderr  # said in Chinese
        elif (args[0] == "user" or args[:2] == ("db", "setup-roles")) and not demo.startswith(
            "postgresql"
        ):
            assert result.exit_code == 1 and "SQLite" in result.stderr  # said in Chinese
        else:
            assert result.exit_code == 0, (args, result.stderr)
        said = result.stdout + result.stderr
        if args[0] != "db" and args[:2] != ("config", "path"):  # a path says it all
            assert CJK.search(said), (args, said)
        assert english_left(said, (demo, str(tmp_path))) - TYPED == set(), (args, said)


def test_the_demo_is_built_in_chinese(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    result = run(db, "zh", "demo")
    assert result.exit_code == 0, result.stderr
    said = result.stdout + result.stderr
    assert "月度报告" in said or "月报" in said, said[:400]
    assert english_left(said, (db,)) - TYPED == set(), said


@pytest.mark.parametrize("lang", ["zh"])
def test_a_project_type_is_typed_by_its_chinese_name(demo: str, lang: str) -> None:  # noqa: F811
    added = run(
        demo, lang, "project", "add", "IC", "封装测试线", "--type", "补链",
        "--enterprise", "南京芯研微电子设计有限公司",
        "--start", "2026-12-01", "--end", "2027-06-30",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert "补链" in added.stderr
    shown = run(demo, "en", "project", "list", "--json")
    assert '"type": "fill"' in shown.stdout
