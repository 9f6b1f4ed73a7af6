"""Every command outside the item screens speaks Chinese with ``--lang zh``: on the
demo district, no English word from the catalog is left in what they print
(data, keys, codes, option names and file paths aside), ``--lang en`` stays
English, ``--json`` is the same in both languages, and a refusal is one Chinese
line naming the field, with the same exit code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from helpers import db_state
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.settings import SETTINGS
from chainlead.snapshot.merge import import_snapshot
from chainlead.snapshot.reader import read_snapshot
from chainlead.store.database import open_database

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "examples" / "jiangning.toml"
PO = ROOT / "chainlead" / "locale" / "zh" / "LC_MESSAGES" / "chainlead.po"
WORD = re.compile(r"[A-Za-z]{3,}")

# What each command prints for people, on the demo district (a unit with no open
# items: the item table under a unit's card belongs to the item screens).
READS: tuple[tuple[str, ...], ...] = (
    ("schedule", "list"),
    ("schedule", "show", "IC-M2"),
    ("schedule", "agenda", "IC"),
    ("schedule", "missing", "--month", "2026-11"),
    ("chain", "list"),
    ("chain", "show", "IC"),
    ("chain", "link", "list", "IC"),
    ("chain", "map", "IC"),
    ("team", "list", "IC"),
    ("person", "list"),
    ("person", "show", "Wang Fang"),
    ("unit", "list"),
    ("unit", "show", "District Health Commission"),
    ("project", "list"),
    ("project", "show", "AI-P1"),
    ("target", "list"),
    ("target", "show", "IC", "2026"),
    ("config", "show"),
    ("db", "check"),
    ("report", "overdue"),
    ("report", "follow-ups"),
)
# The reads that take --json.
JSON_READS = tuple(
    args for args in READS if args[:2] not in (("chain", "map"), ("report", "overdue"))
)


def _catalog_words() -> set[str]:
    """Every English word of a message in the catalog (the source language)."""
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    words: set[str] = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in ids:
            # placeholders, options and commands in backticks are not words to translate
            text = re.sub(r"\{[^{}]*\}|`[^`]*`|--[\w-]+|\b[A-Z_]{2,}\b", " ", text)
            words.update(w.lower() for w in WORD.findall(text))
    return words


def _data_words() -> set[str]:
    """Every word of the demo district's data: names, titles, summaries, keys."""
    return {w.lower() for w in WORD.findall(SNAPSHOT.read_text(encoding="utf-8"))}


CATALOG = _catalog_words()
DATA = _data_words()
# Words a Chinese screen keeps on purpose: the program's name, formats, units of
# measure, the stored names of settings and records a script or config file uses.
KEPT = {"chainlead", "utc", "toml", "sqlite", "postgresql", "psycopg", "url", "eda", "cny", "nwd"}
KEPT |= {s.key for s in SETTINGS} | {"notes"}  # config.toml's keys ([report] notes = FILE)


def english_left(text: str, paths: tuple[str, ...] = ()) -> set[str]:
    """The catalog's English words in ``text`` that are neither data nor kept."""
    for path in paths:
        text = text.replace(path, " ")
    # keys, codes, options, environment names, settings' and records' names, zones,
    # hashes (``db seal`` prints one in groups of eight hex digits)
    text = re.sub(
        r"`[^`]*`|\b[0-9a-f]{8}(?:[0-9a-f]{56})?\b|--[\w-]+|\b[A-Z][a-z]+(?:/[A-Za-z_]+)+|\b[A-Z][A-Z0-9_]+\b|\b\w+_\w+\b|/\S+|\w+\.toml",
        " ",
        text,
    )
    return {w.lower() for w in WORD.findall(text)} & CATALOG - DATA - KEPT


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


def run(db: str, lang: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", db, "--lang", lang, *args])


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_each_read_speaks_chinese(demo: str, args: tuple[str, ...]) -> None:
    result = run(demo, "zh", *args)
    assert result.exit_code == 0, result.stderr
    text = result.stdout + result.stderr
    assert re.search(r"[\u4e00-\u9fff]", text), text
    assert english_left(text, (demo,)) == set(), text


def test_the_screens_use_the_working_teams_words(demo: str) -> None:
    agenda = run(demo, "zh", "schedule", "agenda", "IC").stdout
    assert "下次会议议程" in agenda and "链长" in agenda and "已解决、待销号" in agenda
    meetings = run(demo, "zh", "schedule", "list").stdout
    assert "调度会" in meetings and "召开日期" in meetings
    card = run(demo, "zh", "chain", "show", "IC").stdout
    assert "专班负责人" in card and "加入专班" in card and "member_added" not in card
    missing = run(demo, "zh", "schedule", "missing", "--month", "2026-11").stdout
    assert "2026-11 未记录调度会的产业链" in missing
    settings = run(demo, "zh", "config", "show").stdout
    assert "当前生效的设置" in settings and "默认值" in settings


def test_english_stays_english(demo: str) -> None:
    agenda = run(demo, "en", "schedule", "agenda", "IC").stdout
    assert "Agenda for the next IC meeting" in agenda and "Resolved, awaiting sign-off" in agenda
    assert not re.search(r"[\u4e00-\u9fff]", run(demo, "en", "schedule", "list").stdout)
    card = run(demo, "en", "chain", "show", "IC").stdout
    assert "Chain leader" in card and "joined the team" in card
    checked = run(demo, "en", "db", "check")
    assert "is sound" in checked.stderr


@pytest.mark.parametrize("args", JSON_READS, ids=" ".join)
def test_json_is_the_same_in_every_language(demo: str, args: tuple[str, ...]) -> None:
    english, chinese = run(demo, "en", *args, "--json"), run(demo, "zh", *args, "--json")
    assert english.exit_code == chinese.exit_code == 0, chinese.stderr
    if args == ("config", "show"):  # the one value that differs is the language itself
        lang = '"key": "lang",\n    "value": "{}"'
        assert lang.format("zh") in chinese.stdout
        chinese.stdout_bytes = chinese.stdout_bytes.replace(b'"value": "zh"', b'"value": "en"')
    assert chinese.stdout == english.stdout


def test_an_import_says_in_chinese_what_it_would_do(demo: str, tmp_path: Path) -> None:
    snapshot = tmp_path / "district.toml"
    exported = run(demo, "zh", "export", str(snapshot))
    assert exported.exit_code == 0, exported.stderr
    assert "导出到" in exported.stderr and "项堵点" in exported.stderr
    dry = run(demo, "zh", "import", str(snapshot), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "试运行" in dry.stderr
    assert english_left(dry.stdout + dry.stderr, (str(snapshot),)) == set()
    english = run(demo, "en", "import", str(snapshot), "--dry-run", "--json")
    assert run(demo, "zh", "import", str(snapshot), "--dry-run", "--json").stdout == english.stdout


@pytest.mark.parametrize(
    ("args", "code", "field", "chinese"),
    [
        (("schedule", "decide", "IC-M2", "Add a bus", "--unit", "X"), 2, "--due", "办理时限"),
        (("chain", "show", "XX"), 1, "XX", "没有产业链"),
        (("chain", "edit", "IC"), 2, "chain edit", "请至少给出"),
        (("team", "add", "IC", "Wang Fang", "--role", "member"), 1, "Wang Fang", "已在 IC 专班"),
    ],
    ids=["missing-due", "no-chain", "nothing-to-edit", "already-on-team"],
)
def test_a_refusal_is_one_chinese_line_with_the_same_exit_code(
    demo: str, args: tuple[str, ...], code: int, field: str, chinese: str
) -> None:
    before = db_state(Path(demo)) if "://" not in demo else None
    refused = run(demo, "zh", *args)
    assert refused.exit_code == code, refused.stderr
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("chainlead：错误："), refused.stderr
    assert field in lines[0] and chinese in lines[0], lines[0]
    assert refused.stdout == "" and "Traceback" not in refused.stderr
    assert english_left(lines[0]) == set(), lines[0]
    assert run(demo, "en", *args).exit_code == code
    if before is not None:
        assert db_state(Path(demo)) == before


def test_the_error_frame_speaks_chinese() -> None:
    from chainlead.errors import InvalidInput
    from chainlead.i18n import set_lang

    set_lang("zh")
    try:
        refused = InvalidInput("--month", "expected YYYY-MM", "2026-13")
        assert refused.message == "--month：expected YYYY-MM；实际为 '2026-13'"
    finally:
        set_lang(None)
    assert InvalidInput("--month", "expected YYYY-MM", "2026-13").message == (
        "--month: expected YYYY-MM; got '2026-13'"
    )


# Writes in the order a working team might make them, each confirmed in Chinese.
WRITES: tuple[tuple[str, ...], ...] = (
    ("schedule", "add", "IC", "--held-on", "2026-11-20", "--decision", "研究夜班通勤"),
    ("schedule", "edit", "IC-M10", "--summary", "十一月调度会"),
    ("schedule", "edit", "IC-M10", "--summary", "十一月调度会"),
    ("schedule", "decide", "IC-M10", "--action", "1", "--unit", "District Transport Bureau",
     "--due", "+30d"),
    ("chain", "add", "TT", "测试链", "--leader", "Li Ming", "--responsible", "Wang Jun"),
    ("chain", "edit", "TT", "--description", "测试"),
    ("team", "add", "TT", "Wang Fang", "--role", "liaison"),
    ("team", "remove", "TT", "Wang Fang"),
    ("person", "add", "钱明", "--unit", "区发展改革局"),
    ("person", "edit", "钱明", "--title", "科长"),
    ("person", "rename", "钱明", "钱鸣"),
    ("unit", "add", "区测试局", "--kind", "bureau", "--short", "测试局"),
    ("unit", "edit", "区测试局", "--contact", "025-1234"),
    ("unit", "rename", "区测试局", "区检测局"),
    ("chain", "link", "add", "TT", "芯片测试", "--segment", "upstream", "--state", "weak"),
    ("chain", "link", "remove", "TT", "芯片测试"),
    ("target", "set", "IC", "2026", "--figure", "new_projects=15"),
    ("target", "remove", "IC", "2026", "--figure", "new_projects"),
    ("project", "progress", "AI-P1", "--percent", "40", "--note", "主体完工"),
    ("project", "milestone", "AI-P1", "封顶", "--due", "2027-01-30"),
    ("project", "finish", "AI-P1"),
    ("chain", "archive", "TT", "--yes"),
    ("init",),
)  # fmt: skip


def test_each_write_confirms_in_chinese(demo: str) -> None:
    for args in WRITES:
        result = run(demo, "zh", *args)
        assert result.exit_code == 0, (args, result.stderr)
        said = result.stderr
        assert re.search(r"[\u4e00-\u9fff]", said), (args, said)
        assert english_left(said, (demo,)) == set(), (args, said)


def test_a_conflict_is_chinese_on_the_terminal_and_english_in_json(
    demo: str, tmp_path: Path
) -> None:
    snapshot = tmp_path / "district.toml"
    assert run(demo, "en", "export", str(snapshot)).exit_code == 0
    text = snapshot.read_text(encoding="utf-8")
    renamed = re.sub(
        r"^name = 'Integrated circuits'$", "name = '集成电路'", text, count=1, flags=re.M
    )
    assert renamed != text
    snapshot.write_text(renamed, encoding="utf-8")
    refused = run(demo, "zh", "import", str(snapshot), "--dry-run")
    assert refused.exit_code == 1, refused.stderr
    assert "IC 与已存产业链不同（name）" in refused.stderr and "未导入任何内容" in refused.stderr
    settled = run(demo, "zh", "import", str(snapshot), "--dry-run", "--on-conflict", "theirs")
    assert "chainlead：已按 theirs 处理：" in settled.stderr
    english = run(demo, "zh", "import", str(snapshot), "--dry-run", "--on-conflict", "theirs",
                  "--json")  # fmt: skip
    assert "IC differs from the stored chain (name)" in english.stdout
    assert not re.search(r"[\u4e00-\u9fff]", english.stdout.replace("集成电路", ""))
