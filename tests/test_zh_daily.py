"""The daily item screens in Chinese: `bottleneck` and its sub-commands, `supervise`,
`intake` and `enterprise` with `--lang zh` leave no English word of the catalog in
what a person reads (keys, codes, options, commands and the district's own data
aside), still speak English with `--lang en`, and print the same JSON in both."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import assert_refused
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.i18n import LOCALE

EXAMPLES = Path(__file__).parent.parent / "examples"
POT = LOCALE / "chainlead.pot"

# Words a person types as they are, in Chinese too: command and option names,
# the metavars of the hints, the value names the options take, units of the clock.
TYPED = {
    "chainlead",
    "bottleneck",
    "enterprise",
    "follow",
    "reopen",
    "resume",
    "suspend",
    "extend",
    "approve",
    "refuse",
    "report",
    "transfer",
    "close",
    "link",
    "start",
    "resolve",
    "block",
    "drop",
    "note",
    "edit",
    "assign",
    "receive",
    "return",
    "urge",
    "escalate",
    "de",
    "sheet",
    "rename",
    "name",
    "text",
    "date",
    "code",
    "satisfied",
    "basically",
    "unsatisfied",
    "utc",
    "toml",
    "csv",
    "xlsx",
    "json",
}


def _catalog_words() -> set[str]:
    """Every English word (3 letters or more) of the catalog's messages."""
    ids = re.findall(r'^msgid(?:_plural)? "(.*)"$|^"(.*)"$', POT.read_text("utf-8"), re.M)
    text = " ".join(a or b for a, b in ids)
    text = re.sub(r"\{[^{}]*\}", " ", text)  # placeholders
    text = re.sub(r"--[\w-]+", " ", text)  # options
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}


def _data_words(snapshot: str) -> set[str]:
    """The words of the district's own text (titles, notes, names): data, not labels."""
    words: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)
        elif isinstance(value, str) and not re.fullmatch(r"[a-z_-]+", value):
            words.update(w.lower() for w in re.findall(r"[A-Za-z]+", value))

    walk(tomllib.loads(snapshot))
    return words


def english_left(shown: str, forbidden: set[str]) -> list[str]:
    """The catalog's English words in ``shown``, outside options and `commands`."""
    text = re.sub(r"`[^`]*`|\S*/\S*", " ", shown)  # commands, paths
    text = re.sub(r"--[\w-]+|\w+_[\w_]+", " ", text)  # options, setting names
    return sorted({w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() in forbidden})


Run = "callable[..., Result]"


@pytest.fixture
def district(db_url: str) -> Iterator[tuple]:
    """The demo district on each backend, with a day's work on it; the runner and the
    English words a Chinese screen must not show."""
    runner = CliRunner()

    def run(*args: str, lang: str | None = None) -> Result:
        lead = ["--db", db_url] + (["--lang", lang] if lang else [])
        return runner.invoke(app, [*lead, *args])

    imported = run("import", str(EXAMPLES / "jiangning.toml"))
    assert imported.exit_code == 0, imported.stderr
    for args in (
        ("bottleneck", "assign", "NM-6", "--unit", "District Commerce Bureau", "--role", "co"),
        ("bottleneck", "urge", "NM-6", "--note", "Phoned"),
        ("bottleneck", "extend", "NM-6", "--to", "2027-03-31", "--why", "Winter works"),
        ("bottleneck", "escalate", "NM-6", "--level", "3", "--why", "Land issue"),
        ("bottleneck", "suspend", "RT-6", "--why", "Provincial approval", "--until", "2027-01-15"),
        ("bottleneck", "edit", "NM-7", "--priority", "urgent", "--category", "land"),
    ):
        done = run(*args)
        assert done.exit_code == 0, (args, done.stderr)
    snapshot = run("export")
    assert snapshot.exit_code == 0, snapshot.stderr
    forbidden = _catalog_words() - _data_words(snapshot.stdout) - TYPED
    yield run, forbidden


READS = (
    ("bottleneck", "list"),
    ("bottleneck", "list", "--status", "all"),
    ("bottleneck", "list", "--overdue", "--chain", "NM"),
    ("bottleneck", "list", "--chain", "NOPE"),
    ("bottleneck", "show", "NM-6"),
    ("bottleneck", "show", "GSV-2"),
    ("bottleneck", "show", "BIO-7"),
    ("bottleneck", "show", "RT-6"),
    ("bottleneck", "show", "NM-7"),
    ("bottleneck", "show", "AI-3"),
    ("bottleneck", "show", "BIO-5"),
    ("enterprise", "list"),
    ("supervise",),
)


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a))
def test_reads_leave_no_english_word_of_the_catalog(district: tuple, args: tuple) -> None:
    run, forbidden = district
    shown = run(*args, lang="zh")
    assert shown.exit_code in (0, 1), shown.stderr
    assert english_left(shown.stdout + shown.stderr, forbidden) == []


def test_the_list_and_the_card_read_as_the_team_speaks(district: tuple) -> None:
    run, _forbidden = district
    listed = run("bottleneck", "list", lang="zh").stdout
    for word in ("堵点清单", "编号", "状态灯", "红灯", "办理中", "办结时限", "逾期", "责任单位"):
        assert word in listed, word
    card = run("bottleneck", "show", "NM-6", lang="zh").stdout
    for word in (
        "办理过程",
        "督办级别",
        "3 督办函",
        "催办",
        "申请延期",
        "配合",
        "已交办",
        "待审批",
    ):
        assert word in card, word
    assert "letter" not in card
    done = run("bottleneck", "list", "--status", "closed", "--chain", "GSV", lang="zh").stdout
    assert "已销号" in done and "按期" in done
    card = run("bottleneck", "show", "GSV-1", lang="zh").stdout
    assert "提前25天" in card  # resolved: how early, not how many days are left
    assert "25 d early" in run("bottleneck", "show", "GSV-1", lang="en").stdout
    suspended = run("bottleneck", "show", "RT-6", lang="zh").stdout
    assert "挂起" in suspended and "自" in suspended


def test_english_stays_english(district: tuple) -> None:
    run, forbidden = district
    listed = run("bottleneck", "list", lang="en").stdout
    assert {"items", "Key", "Light"} <= set(english_left(listed, forbidden))
    assert "Bottleneck items" in listed and "red" in listed and "Light" in listed
    card = run("bottleneck", "show", "NM-6", lang="en").stdout
    for words in ("History", "Extensions", "3 letter 督办函", "d over", "Urged"):
        assert words in card, words
    assert not re.search(r"[\u4e00-\u9fff]", run("supervise", lang="en").stderr)


@pytest.mark.parametrize(
    "args",
    [
        ("bottleneck", "list", "--status", "all", "--json"),
        ("bottleneck", "show", "NM-6", "--json"),
        ("bottleneck", "list", "--csv"),
        ("enterprise", "list", "--json"),
        ("supervise", "--json"),
    ],
    ids=lambda a: " ".join(a),
)
def test_json_and_csv_are_the_same_in_both_languages(district: tuple, args: tuple) -> None:
    run, _forbidden = district
    english, chinese = run(*args, lang="en"), run(*args, lang="zh")
    assert english.exit_code == chinese.exit_code == 0
    assert english.stdout == chinese.stdout
    assert english.stdout.strip()


def test_the_handling_loop_confirms_in_chinese(district: tuple) -> None:
    run, forbidden = district
    steps = (
        (
            (
                "bottleneck",
                "add",
                "NM",
                "厂区道路破损",
                "--unit",
                "District Commerce Bureau",
                "--due",
                "2027-01-31",
            ),
            "已登记 NM-",
        ),
        (("bottleneck", "note", "NM-8", "已现场查看"), "已记录进展"),
        (("bottleneck", "start", "NM-8"), "待办 → 办理中"),
        (("bottleneck", "block", "NM-8", "--reason", "等待省里批复"), "办理中 → 受阻"),
        (("bottleneck", "start", "NM-8"), "受阻 → 办理中"),
        (("bottleneck", "urge", "NM-8"), "已催办"),
        (("bottleneck", "extend", "NM-8", "--to", "2027-04-30", "--why", "冬季停工"), "申请延期"),
        (("bottleneck", "refuse", "NM-8", "--by", "Xie Yun", "--why", "可以按期"), "不同意延期"),
        (("bottleneck", "suspend", "NM-8", "--why", "等待批复"), "已挂起"),
        (("bottleneck", "resume", "NM-8"), "恢复办理"),
        (("bottleneck", "escalate", "NM-8", "--level", "2", "--why", "进展慢"), "督办级别"),
        (("bottleneck", "edit", "NM-8", "--priority", "high"), "紧急程度"),
        (("bottleneck", "resolve", "NM-8", "--how", "道路已修复"), "办理中 → 已解决"),
        (("bottleneck", "reopen", "NM-8", "--why", "又坏了"), "已解决 → 待办"),
    )
    for args, said in steps:
        done = run(*args, lang="zh")
        assert done.exit_code == 0, (args, done.stderr)
        assert said in done.stderr, (args, done.stderr)
        assert english_left(done.stderr, forbidden) == [], (args, done.stderr)


def test_refusals_of_the_item_rules_speak_chinese(district: tuple) -> None:
    run, forbidden = district
    before = run("bottleneck", "show", "NM-7", "--json").stdout
    refused = run("bottleneck", "close", "NM-7", "--by", "Song Mei", lang="zh")
    assert_refused(refused, 1, "只有已解决的堵点才能销号")
    assert english_left(refused.stderr.split("错误：", 1)[1], forbidden) == []
    again = run("bottleneck", "start", "NM-5", lang="zh")
    assert_refused(again, 1, "已在办理中")
    missing = run("bottleneck", "resolve", "NM-7", lang="zh")
    assert_refused(missing, 2, "请说明如何解决")
    assert run("bottleneck", "show", "NM-7", "--json").stdout == before
    english = run("bottleneck", "close", "NM-7", "--by", "Song Mei", lang="en")
    assert_refused(english, 1, "only a resolved item can be closed")


def test_enterprise_and_intake_speak_chinese(district: tuple) -> None:
    run, forbidden = district
    shown = run("enterprise", "list", lang="zh")
    assert "企业" in shown.stdout and "满意率" in shown.stdout
    name = run("enterprise", "list", "--json").stdout.split('"name": "', 1)[1].split('"', 1)[0]
    card = run("enterprise", "show", name, lang="zh")
    assert card.exit_code == 0, card.stderr
    assert "统一社会信用代码" in card.stdout
    assert english_left(card.stdout, forbidden) == []
    sheet = str(EXAMPLES / "jiangning-breakfast-demands.xlsx")
    dry = run("intake", sheet, "--chain", "AI", "--dry-run", lang="zh")
    assert dry.exit_code == 0, dry.stderr
    assert "未写入（试运行）" in dry.stderr and "新增" in dry.stdout
    assert english_left(dry.stdout + dry.stderr, forbidden) == []
