"""The help screens: grouped commands, examples that run as printed, readable
placeholders, and Chinese help when the language is zh."""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from chainlead.cli import COMMANDS, SECTIONS, app
from chainlead.cli.help import EXAMPLES, LEGEND

RUNNER = CliRunner()


def screens() -> list[tuple[str, ...]]:
    """The path of every help screen: the top level, each group, each leaf."""
    root = get_command(app)
    found: list[tuple[str, ...]] = [()]

    def walk(group: Any, path: tuple[str, ...], ctx: Any) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            found.append((*path, name))
            if hasattr(command, "list_commands"):
                sub_ctx = command.make_context(name, [], parent=ctx, resilient_parsing=True)
                walk(command, (*path, name), sub_ctx)

    with root.make_context("chainlead", [], resilient_parsing=True) as ctx:
        walk(root, (), ctx)
    return found


SCREENS = screens()


def help_of(path: tuple[str, ...], *options: str) -> str:
    result = RUNNER.invoke(app, [*options, *path, "--help"])
    assert result.exit_code == 0, result.output
    return result.stdout


def examples(screen: str) -> Iterator[str]:
    """Each example on a help screen (the lines under "Example:"), continued lines
    (``\\``) joined."""
    taking = False
    command = ""
    for line in screen.splitlines():
        text = line.strip()
        if text in ("Example:", "Examples:"):
            taking = True
            continue
        if not taking:
            continue
        if not text:
            taking = False
            continue
        command = f"{command} {text}" if command else text
        if command.endswith("\\"):
            command = command[:-1].rstrip()
            continue
        yield command
        command = ""


def command_at(path: tuple[str, ...]) -> Any:
    root = get_command(app)
    command = root
    ctx = root.make_context("chainlead", [], resilient_parsing=True)
    for name in path:
        command = command.get_command(ctx, name)
        ctx = command.make_context(name, [], parent=ctx, resilient_parsing=True)
    return command


GROUPS = [path for path in SCREENS if hasattr(command_at(path), "list_commands")]
EXAMPLE_LINES = [
    pytest.param(path, example, id=f"{' '.join(path) or 'chainlead'}: {example}")
    for path in SCREENS
    for example in examples(help_of(path, "--lang", "en"))  # read before any fixture runs
]


def commands_in(example: str) -> list[list[str]]:
    """The chainlead command lines in a shell line (``a || b``, ``a | b``, ``X=1 a``),
    split as a POSIX shell splits words."""
    lexer = shlex.shlex(example, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    found: list[list[str]] = []
    words: list[str] = []
    for word in [*lexer, ";"]:
        if word in ("|", "||", "&&", ";"):
            while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
                words.pop(0)  # an environment assignment before the command
            if words and words[0] == "chainlead":
                found.append(words[1:])
            words = []
        else:
            words.append(word)
    return found


def parse(words: list[str]) -> None:
    """Resolve a command line through click's parser, as the real command reads it: each
    group's options, the sub-command, its options and arguments and their values. A wrong
    option, a missing argument or a value that cannot be read raises click's error."""
    command = get_command(app)
    name, ctx, rest = "chainlead", None, words
    while hasattr(command, "list_commands"):
        ctx = command.make_context(name, list(rest), parent=ctx)
        position = sub_command_at(command, rest)
        assert position is not None, f"no command after `{name}` in {words}"
        name, rest = rest[position], rest[position + 1 :]
        command = command.get_command(ctx, name)
        assert command is not None, f"no command {name!r} in {words}"
    command.make_context(name, list(rest), parent=ctx)


def sub_command_at(group: Any, words: list[str]) -> int | None:
    """Where a group's sub-command is: the first word that is not one of its options."""
    taking = {
        opt for param in group.params if not getattr(param, "is_flag", False) for opt in param.opts
    }
    position = 0
    while position < len(words):
        word = words[position]
        if not word.startswith("-"):
            return position
        position += 2 if word in taking else 1
    return None


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo district, built once; each test changes a copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = RUNNER.invoke(app, ["--db", str(path), "demo", "--replace"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def scratch(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo database in use (``CHAINLEAD_DB``), in a folder of its own as the
    working directory (examples write their files there)."""
    path = tmp_path / "district.db"
    shutil.copyfile(demo, path)
    monkeypatch.setenv("CHAINLEAD_DB", str(path))
    monkeypatch.chdir(tmp_path)
    return path


# --- grouped commands ---------------------------------------------------------------------


def test_sections_hold_every_command_once_daily_work_first() -> None:
    listed = [name for _, names in SECTIONS for name in names]
    assert sorted(listed) == sorted(COMMANDS)
    assert list(COMMANDS) == listed  # completion offers them in the same order
    assert SECTIONS[0][0] == "Daily work" and "bottleneck" in SECTIONS[0][1]


def test_top_level_help_lists_commands_under_their_headings_in_order() -> None:
    screen = help_of(())
    headings = [line[:-1] for line in screen.splitlines() if line.endswith(":") and line[0] != " "]
    assert headings == ["Options", *(title for title, _ in SECTIONS)]
    at = {name: screen.index(f"\n  {name} ") for name in COMMANDS}
    assert at["bottleneck"] < at["schedule"] < at["report"] < at["import"] < at["init"]
    for title, names in SECTIONS:
        block = screen.split(f"\n{title}:\n", 1)[1].split("\n\n", 1)[0]
        assert [line.split()[0] for line in block.splitlines()] == list(names)


@pytest.mark.parametrize("path", GROUPS, ids=lambda path: " ".join(path) or "chainlead")
def test_every_group_screen_has_examples(path: tuple[str, ...]) -> None:
    screen = help_of(path)
    assert "Examples:" in screen
    shown = list(examples(screen))
    assert shown and all(line.startswith(" ".join(("chainlead", *path))) for line in shown), shown


# --- examples run as printed --------------------------------------------------------------


def test_examples_are_found_on_every_screen_that_has_them() -> None:
    with_examples = {path for path in SCREENS if list(examples(help_of(path)))}
    assert set(GROUPS) <= with_examples
    assert len(with_examples) == len(SCREENS)  # every leaf has one too (tests/test_docs.py)
    assert len(EXAMPLE_LINES) > len(SCREENS)


@pytest.mark.parametrize(("path", "example"), EXAMPLE_LINES)
def test_every_example_parses_with_the_real_command(path: tuple[str, ...], example: str) -> None:
    lines = commands_in(example)
    assert lines, f"{example!r} runs no chainlead command"
    for words in lines:
        parse(words)


def test_the_parse_check_fails_on_what_a_shell_would_break() -> None:
    """The check is not vacuous: each mistake an example could carry is caught."""
    mistakes = [
        "chainlead bottleneck list --no-such-option",
        "chainlead bottleneck show",  # the key is missing
        "chainlead bottleneck list --limit many",
        "chainlead schedule add IC --figure output_value=12.5:100M CNY",  # CNY: an extra word
        "chainlead chain nonsense",
    ]
    for example in mistakes:
        with pytest.raises(Exception) as caught:  # click's errors, through typer's copy
            for words in commands_in(example):
                parse(words)
        assert hasattr(caught.value, "format_message") or isinstance(
            caught.value, AssertionError
        ), (example, caught.value)


@pytest.mark.parametrize(
    "example",
    sorted({line for lines in EXAMPLES.values() for line in lines}),
)
def test_group_and_top_level_examples_run_on_the_demo(scratch: Path, example: str) -> None:
    for words in commands_in(example):
        result = RUNNER.invoke(app, words)
        if words[0] == "user":  # logins are for a shared PostgreSQL database; the demo is a file
            assert result.exit_code == 1 and "SQLite file has one owner" in result.output
            continue
        if words == ["demo"]:  # the scratch database is there: kept unless --replace
            assert result.exit_code == 1 and "--replace" in result.output
            result = RUNNER.invoke(app, [*words, "--replace"])
        assert result.exit_code == 0, f"{example}: {result.output}"


def test_a_shell_line_is_split_into_its_commands() -> None:
    assert commands_in("CHAINLEAD_LANG=zh chainlead config show") == [["config", "show"]]
    assert commands_in('chainlead report overdue --check || echo "late"') == [
        ["report", "overdue", "--check"]
    ]
    assert commands_in("chainlead export | chainlead --db other.db import -") == [
        ["export"],
        ["--db", "other.db", "import", "-"],
    ]
    assert commands_in('chainlead note IC-1 "two words"') == [["note", "IC-1", "two words"]]


# --- placeholders ------------------------------------------------------------------------


@pytest.mark.parametrize("path", SCREENS, ids=lambda path: " ".join(path) or "chainlead")
def test_placeholders_are_words_a_person_reads(path: tuple[str, ...]) -> None:
    screen = help_of(path)
    assert not re.search(r"<(str|int|list|float|bool)", screen), screen
    assert "int range" not in screen
    for line in screen.splitlines():
        if line.lstrip().startswith("--") and "(repeatable)" in line:
            assert "TEXT..." not in line


def test_a_repeatable_option_says_so() -> None:
    screen = help_of(("chain", "add"))
    member = screen.split("\n  --member", 1)[1].split("\n  --", 1)[0]
    assert "NAME" in member and "repeatable" in member
    screen = help_of(("bottleneck", "list"))
    status = screen.split("\n  --status", 1)[1].split("\n  --", 1)[0]
    assert "[open|in_progress|blocked|resolved|closed|dropped|all]" in status
    assert "repeatable" in status


def test_dates_on_a_screen_are_explained_in_the_words_of_the_errors() -> None:
    from chainlead import values

    forms = {
        "DATE": values.DATE_FORM,
        "MONTH": values.MONTH_FORM,
        "CODE": values.CODE_FORM,
        "KEY": values.KEY_FORM,
        "MEETING": values.MEETING_KEY_FORM,
    }
    for name, form in forms.items():
        assert form == "expected " + LEGEND[name], name
    screen = help_of(("bottleneck", "add"))
    assert "--due DATE" in screen and "--raised-on DATE" in screen
    assert f"DATE: {LEGEND['DATE']}" in " ".join(screen.split())
    assert "ISO date" not in screen
    assert "DATE:" not in help_of(("chain", "list"))


# --- Chinese help ------------------------------------------------------------------------


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def command_lines(screen: str) -> dict[str, str]:
    """The sub-commands listed on a group's screen, with their lines."""
    found = {}
    commands = False
    for line in screen.splitlines():
        if line and not line.startswith(" "):
            commands = line.endswith((":", "：")) and not line.startswith(("Usage", "用法"))
            commands = commands and line[:-1] not in ("Options", "选项", "Arguments", "参数")
            continue
        if not line:
            commands = False
        elif commands and line.startswith("  ") and not line.startswith("   "):
            name, _, text = line.strip().partition(" ")
            found[name] = text.strip()
    return found


def test_top_level_help_in_chinese() -> None:
    screen = help_of((), "--lang", "zh")
    assert screen.startswith("用法：chainlead [选项] 命令 [参数]...\n")
    for heading in ("日常工作", "会议", "报告", "数据交换", "设置", "选项"):
        assert f"\n{heading}：\n" in screen, heading
    lines = command_lines(screen)
    assert set(lines) == set(COMMANDS)
    for name, text in lines.items():
        assert has_cjk(text) and not re.search(r"[a-z]{4,} [a-z]{3,}", text), (name, text)
    assert "显示本帮助并退出。" in screen
    assert "Show this message" not in screen and "Commands" not in screen


def test_lang_may_come_after_help_and_from_the_environment_or_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    zh = help_of((), "--lang", "zh")
    assert RUNNER.invoke(app, ["--help", "--lang", "zh"]).stdout == zh
    monkeypatch.setenv("CHAINLEAD_LANG", "zh")
    assert help_of(()) == zh
    assert help_of((), "--lang", "en") == help_of((), "--lang", "en")
    monkeypatch.delenv("CHAINLEAD_LANG")
    config = tmp_path / "config.toml"
    config.write_text('lang = "zh"\n', encoding="utf-8")
    monkeypatch.setenv("CHAINLEAD_CONFIG", str(config))
    assert help_of(()) == zh
    assert help_of(("bottleneck",)).startswith("用法")


def test_english_help_is_unchanged_by_lang_en() -> None:
    for path in [(), ("bottleneck",), ("bottleneck", "add"), ("report", "monthly")]:
        english = help_of(path)
        assert help_of(path, "--lang", "en") == english
        assert english.startswith("Usage: chainlead") and "Options:" in english


@pytest.mark.parametrize("path", GROUPS, ids=lambda path: " ".join(path) or "chainlead")
def test_every_group_screen_in_chinese(path: tuple[str, ...]) -> None:
    screen = help_of(path, "--lang", "zh")
    assert screen.startswith("用法")
    lines = command_lines(screen)
    english = command_lines(help_of(path))
    assert set(lines) == set(english) and lines
    for name, text in lines.items():
        assert has_cjk(text) and text != english[name], (path, name, text)
    assert "示例：" in screen and "Examples:" not in screen
    description = screen.split("\n\n", 2)[1]
    assert has_cjk(description), description


LEAVES = [
    ("bottleneck", "add"),
    ("bottleneck", "list"),
    ("schedule", "add"),
    ("schedule", "agenda"),
    ("chain", "show"),
    ("report", "monthly"),
    ("db", "backup"),
    ("import",),
]


@pytest.mark.parametrize("path", LEAVES, ids=" ".join)
def test_leaves_in_chinese(path: tuple[str, ...]) -> None:
    screen = help_of(path, "--lang", "zh")
    summary = screen.split("\n\n", 2)[1].strip()
    assert has_cjk(summary), summary
    options = screen.split("\n选项：\n", 1)[1].split("\n\n", 1)[0]
    rows = re.split(r"\n(?=  -)", options)  # an option and its help, on one line or more
    assert rows and all(has_cjk(row) for row in rows), options
    assert "[default:" not in screen and "[required]" not in screen
    assert " ".join(("chainlead", *path)) in screen  # the examples stay as typed


@pytest.mark.parametrize("path", SCREENS, ids=lambda path: " ".join(path) or "chainlead")
def test_every_screen_in_chinese_fits_80_columns_with_chinese_help(path: tuple[str, ...]) -> None:
    from chainlead.cli.help import cell_width

    screen = help_of(path, "--lang", "zh")
    example = False
    for line in screen.splitlines():
        example = line.strip() == "示例：" or (example and bool(line))
        if not example:  # an example is printed as typed
            assert cell_width(line) <= 80, line
        assert line == line.rstrip(), line
    for heading in ("选项", "参数"):
        if f"\n{heading}：\n" in screen:
            block = screen.split(f"\n{heading}：\n", 1)[1].split("\n\n", 1)[0]
            for row in re.split(r"\n(?=  \S)", block):  # a parameter and its help
                assert has_cjk(row), row


def test_chinese_wraps_between_characters_and_english_at_spaces() -> None:
    from chainlead.cli.help import cell_width, wrap

    text = "只看督办级别不低于此级的堵点（0-5；3 为督办函），按 --sort 排序 supervision letter"
    for width in range(12, 60):
        lines = wrap(text, width)
        assert all(cell_width(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for line in lines:
            assert line == line.strip()
            assert line[0] not in "，。；）", (width, lines)  # no closing mark opens a line
            assert not (len(line) == 1 and cell_width(line) == 2), (width, lines)
        assert not any(line.endswith("supervi") for line in lines)  # English is not cut
    assert wrap("leading group.", 9) == ["leading", "group."]
    assert wrap("一二三四五六七八九十。", 10) == ["一二三四五", "六七八", "九十。"]


def test_every_help_text_has_its_chinese() -> None:
    """Every summary and option help the extractor gives the catalog is translated."""
    from babel.messages.pofile import read_po

    import chainlead
    from chainlead.cli import help_catalog

    package = Path(chainlead.__file__).parent
    with (package / "locale" / "zh" / "LC_MESSAGES" / "chainlead.po").open("rb") as handle:
        catalog = read_po(handle)
    commands = help_catalog.command_functions()
    missing = []
    for module in sorted((package / "cli").glob("*.py")):
        for _, text in help_catalog.help_texts(module.read_text(encoding="utf-8"), commands):
            message = catalog.get(text)
            if message is None or not message.string or message.fuzzy:
                missing.append((module.name, text))
    assert missing == [], f"run `make catalogs` and translate: {missing[:5]}"


def test_the_extractor_finds_summaries_helps_and_group_lines() -> None:
    from chainlead.cli.help_catalog import help_texts

    source = (
        "import typer\n"
        "app = typer.Typer(help='A group.')\n"
        "@app.command('x')\n"
        "def x(a: str = typer.Option('--a', help='An option '\n 'in two parts.')) -> None:\n"
        '    """Do x.\n\n    More about x.\n\n    \\b\n    Example:\n'
        '      chainlead x\n    """\n'
        'def helper() -> None:\n    """Not a command."""\n'
        "S = Sub('m:app', 'A noun.')\n"
    )
    found = {text for _, text in help_texts(source, commands=set())}
    assert found == {"A group.", "An option in two parts.", "Do x.", "More about x.", "A noun."}


# --- start-up ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["--lang", "zh", "--help"], ["--lang", "zh", "bottleneck", "--help"], ["--help"]],
    ids=" ".join,
)
def test_help_in_either_language_stays_light(args: list[str]) -> None:
    from test_startup import HEAVY, TEMPLATES, imported

    packages, stdout = imported(args)
    assert stdout
    assert not packages & {*HEAVY, *TEMPLATES, "rich"}


def test_english_help_loads_no_catalog() -> None:
    """English is the source: the top-level help reads no catalog; Chinese help loads one."""
    import os
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from chainlead.cli import main\n"
        "sys.argv = ['chainlead', *sys.argv[1:]]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    i18n = sys.modules.get('chainlead.i18n')\n"
        "    print(i18n is not None and 'zh' in i18n._catalogs, file=sys.stderr)\n"
    )
    for lang, loaded in (("en", "False"), ("zh", "True")):
        env = {**os.environ, "CHAINLEAD_LANG": lang}
        for args in (["--help"], ["--help", "--lang", lang]):
            result = subprocess.run(
                [sys.executable, "-c", script, *args],
                capture_output=True,
                text=True,
                env=env,
                timeout=60,
            )
            assert result.stdout.startswith("Usage" if lang == "en" else "用法")
            assert result.stderr.strip() == loaded, (lang, args, result.stderr[-500:])
