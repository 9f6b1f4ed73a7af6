"""``chainlead batch``: a file of commands in one process and one transaction.

Chain IC with its item IC-1 (``time_data.with_item``); the batches add to it.
Every refusal is checked for its line on stderr, its exit code and that the
database was left as it was (every row of every table, and the item list).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import assert_refused
from time_data import UNIT, Run, ok, shown, state, with_item
from typer.testing import CliRunner, Result

from chainlead.cli import app

BAD_LINE = 37


def adds(count: int = 100, *, bad: int | None = None) -> str:
    """A batch of ``count`` items added to IC; line ``bad`` with a month that does not exist."""
    lines = []
    for n in range(1, count + 1):
        due = "2027-13-01" if n == bad else "2027-01-31"
        lines.append(f'bottleneck add IC "Demand {n} from the breakfast meeting" '
                     f'--unit "{UNIT}" --due {due} --source breakfast')  # fmt: skip
    return "\n".join(lines) + "\n"


@pytest.fixture
def run(db_url: str) -> Run:
    return with_item(db_url)


def batch(
    db_url: str, tmp_path: Path, text: str, *args: str, before: tuple[str, ...] = ()
) -> Result:
    """``chainlead [before] batch FILE [args]``, the file holding ``text``."""
    path = tmp_path / "batch.txt"
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(app, ["--db", db_url, *before, "batch", str(path), *args])


def refused_at_end(result: Result, code: int, *fragments: str) -> None:
    """The batch's refusal as the last line on stderr, after what the lines before it
    said; one refusal, no traceback."""
    assert result.exit_code == code, (result.exit_code, result.stderr)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(("chainlead: error: ", "chainlead：错误：")), last
    for fragment in fragments:
        assert fragment in last, (fragment, last)
    assert result.stderr.count("error") + result.stderr.count("错误") == 1, result.stderr
    assert "Traceback" not in result.stderr


def listed(run: Run) -> list[dict]:
    return json.loads(ok(run("bottleneck", "list", "--status", "all", "--json")).stdout)


def test_a_bad_line_writes_nothing_and_is_named(db_url: str, run: Run, tmp_path: Path) -> None:
    rows, items = state(db_url), listed(run)
    result = batch(db_url, tmp_path, adds(bad=BAD_LINE))
    assert result.exit_code == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"chainlead: error: line {BAD_LINE}: --due: "), last
    assert "2027-13-01" in last and "YYYY-MM-DD" in last
    assert result.stderr.count("chainlead: error:") == 1
    assert "Traceback" not in result.stderr
    assert state(db_url) == rows
    assert listed(run) == items
    assert [item["key"] for item in items] == ["IC-1"]


def test_the_batch_fixed_writes_every_line_in_one_transaction(
    db_url: str, run: Run, tmp_path: Path
) -> None:
    result = batch(db_url, tmp_path, adds())
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "Ran 100 lines in one transaction."
    keys = [f"IC-{n}" for n in range(2, 102)]
    assert result.stdout.split() == keys  # each add prints its key, as on its own
    items = {item["key"]: item for item in listed(run)}
    assert set(items) == {"IC-1", *keys}
    assert items["IC-38"]["title"] == "Demand 37 from the breakfast meeting"
    assert {items[key]["source"] for key in keys} == {"breakfast"}
    # one transaction, one moment: every item of the batch was made at the same time
    made = {shown(run, key)["created_at"] for key in ("IC-2", "IC-50", "IC-101")}
    assert len(made) == 1


def test_a_dry_run_runs_every_line_and_writes_nothing(
    db_url: str, run: Run, tmp_path: Path
) -> None:
    rows = state(db_url)
    text = adds(3) + "bottleneck note IC-4 'Called the firm back'\n"
    result = batch(db_url, tmp_path, text, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "added IC-4" in result.stderr and "IC-4: note added" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "Checked 4 lines; nothing written."
    assert state(db_url) == rows


def test_a_dry_run_names_the_line_it_refuses(db_url: str, run: Run, tmp_path: Path) -> None:
    rows = state(db_url)
    result = batch(db_url, tmp_path, adds(3) + "bottleneck note IC-9 'No such item'\n", "--dry-run")
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("chainlead: error: line 4: no bottleneck item 'IC-9'")
    )
    assert state(db_url) == rows


def test_lines_from_stdin(db_url: str, run: Run) -> None:
    text = f'chainlead bottleneck add IC "Read from stdin" --unit "{UNIT}" --due 2027-01-31\n'
    result = CliRunner().invoke(app, ["--db", db_url, "batch", "-"], input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "IC-2\n"
    assert shown(run, "IC-2")["title"] == "Read from stdin"


def test_comments_blank_lines_quotes_and_continued_lines(
    db_url: str, run: Run, tmp_path: Path
) -> None:
    text = (
        "# The breakfast meeting of 19 November\n"
        "\n"
        f"chainlead bottleneck add IC 'Dock #2 needs a crane' --unit \"{UNIT}\" \\\n"
        "    --due 2027-01-31   # asked by the park office\n"
        "   \n"
        "bottleneck note IC-2 Building#3  # a comment\n"
        'bottleneck note IC-2 "a quoted # is text"\n'
        "bottleneck note IC-2 '封装线 二期'\n"
    )
    result = batch(db_url, tmp_path, text)
    assert result.exit_code == 0, result.stderr
    assert "Ran 4 lines in one transaction." in result.stderr
    item = shown(run, "IC-2")
    assert item["title"] == "Dock #2 needs a crane"
    notes = [event["text"] for event in item["history"] if event["kind"] == "note"]
    assert notes == ["Building#3", "a quoted # is text", "封装线 二期"]


def test_a_line_is_named_by_the_line_it_starts_on(db_url: str, run: Run, tmp_path: Path) -> None:
    text = (
        "# two lines of comment\n"
        "\n"
        f"bottleneck add IC 'First' --unit \"{UNIT}\" \\\n"
        "  --due 2027-01-31\n"
        "bottleneck add IC 'Second' --unit \\\n"
        "  'No Such Bureau' --due 2027-01-31\n"
    )
    rows = state(db_url)
    result = batch(db_url, tmp_path, text)
    assert result.exit_code == 1
    assert "chainlead: error: line 5: " in result.stderr and "No Such Bureau" in result.stderr
    assert state(db_url) == rows


def test_a_quote_left_open_is_refused_before_anything_runs(
    db_url: str, run: Run, tmp_path: Path
) -> None:
    rows = state(db_url)
    result = batch(db_url, tmp_path, adds(2) + "bottleneck note IC-1 'unfinished\n")
    assert_refused(result, 2, "line 3: ", "closing quotation mark")
    assert state(db_url) == rows


def test_a_later_line_sees_what_an_earlier_line_wrote(
    db_url: str, run: Run, tmp_path: Path
) -> None:
    text = (
        f'bottleneck add IC "Power for the new line" --unit "{UNIT}" --due 2027-01-31\n'
        "bottleneck note IC-2 'Site visit booked'\n"
        "bottleneck start IC-2\n"
        "bottleneck show IC-2 --json\n"
    )
    result = batch(db_url, tmp_path, text)
    assert result.exit_code == 0, result.stderr
    seen = json.loads(result.stdout.split("\n", 1)[1])  # after the key `add` printed
    assert (seen["key"], seen["status"]) == ("IC-2", "in_progress")
    item = shown(run, "IC-2")
    assert item["status"] == "in_progress"
    assert "Site visit booked" in [event["text"] for event in item["history"]]


@pytest.mark.parametrize(
    "line",
    [
        "import district.toml",
        "export district.toml",
        "intake demands.xlsx --chain IC",
        "init",
        "demo --replace",
        "db backup copy.db",
        "config show",
        "report monthly",
        "batch other.txt",
        "chainlead batch -",
    ],
)
def test_commands_with_files_or_transactions_of_their_own_are_refused(
    db_url: str, run: Run, tmp_path: Path, line: str
) -> None:
    rows = state(db_url)
    result = batch(db_url, tmp_path, adds(2) + line + "\n")
    command = line.split()[-2] if line.startswith("chainlead") else line.split()[0]
    # refused before any line runs: line 1's "added IC-2" is never said
    assert_refused(result, 2, f"line 3: {command}: not in a batch; run it on its own")
    assert state(db_url) == rows


def test_an_unknown_command_is_refused_before_anything_runs(
    db_url: str, run: Run, tmp_path: Path
) -> None:
    result = batch(db_url, tmp_path, adds(2) + "botleneck list\n")
    assert_refused(result, 2, "line 3: command:", "'botleneck'", "did you mean 'bottleneck'")


@pytest.mark.parametrize(
    ("line", "option"),
    [
        ("--as 李明 bottleneck note IC-1 'Called'", "--as"),
        ("chainlead --db other.db bottleneck list", "--db"),
        ("--lang=zh bottleneck list", "--lang"),
    ],
)
def test_a_line_giving_a_global_option_is_refused(
    db_url: str, run: Run, tmp_path: Path, line: str, option: str
) -> None:
    rows = state(db_url)
    result = batch(db_url, tmp_path, adds(1) + line + "\n")
    assert_refused(result, 2, f"line 2: {option}: one for the whole batch", f"chainlead {option} ")
    assert state(db_url) == rows


def test_the_batch_s_own_global_options_hold_for_every_line(
    db_url: str, run: Run, tmp_path: Path
) -> None:
    text = adds(1) + "bottleneck note IC-2 '已与企业对接'\n"
    result = batch(db_url, tmp_path, text, before=("--as", "李明", "--lang", "zh"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "2 行命令已在同一事务中全部执行。"
    assert {event["actor"] for event in shown(run, "IC-2")["history"]} == {"李明"}


def test_chinese_refusal(db_url: str, run: Run, tmp_path: Path) -> None:
    rows = state(db_url)
    result = batch(db_url, tmp_path, adds(40, bad=BAD_LINE), before=("--lang", "zh"))
    assert result.exit_code == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"chainlead：错误：第 {BAD_LINE} 行：--due："), last
    assert state(db_url) == rows
    forbidden = batch(db_url, tmp_path, "import district.toml\n", before=("--lang", "zh"))
    assert_refused(forbidden, 2, "第 1 行：import：")


def test_a_dry_run_in_chinese(db_url: str, run: Run, tmp_path: Path) -> None:
    result = batch(db_url, tmp_path, adds(2), "--dry-run", before=("--lang", "zh"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "已检查 2 行命令；未写入任何内容。"


def test_a_question_asked_at_a_terminal_needs_yes_in_the_line(
    db_url: str, run: Run, tmp_path: Path
) -> None:
    rows = state(db_url)
    refused = batch(db_url, tmp_path, adds(1) + "chain archive IC --reason 'Merged'\n")
    refused_at_end(refused, 2, "line 2: --yes: ", "give --yes")
    assert state(db_url) == rows
    text = "bottleneck drop IC-1 --why 'Moved away'\nchain archive IC --reason 'Merged' --yes\n"
    archived = batch(db_url, tmp_path, text)
    assert archived.exit_code == 0, archived.stderr
    assert json.loads(ok(run("chain", "show", "IC", "--json")).stdout)["status"] == "archived"


def test_a_file_that_does_not_exist(db_url: str, run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nothing.txt"
    result = CliRunner().invoke(app, ["--db", db_url, "batch", str(missing)])
    assert_refused(result, 2, f"{missing}: no such file")
    folder = CliRunner().invoke(app, ["--db", db_url, "batch", str(tmp_path)])
    assert_refused(folder, 2, f"{tmp_path}: cannot be read")


def test_a_file_not_in_utf8(db_url: str, run: Run, tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("bottleneck note IC-1 已联系\n".encode("gbk"))
    result = CliRunner().invoke(app, ["--db", db_url, "batch", str(path)])
    assert_refused(result, 2, "expected UTF-8 text")


def test_an_empty_file_runs_nothing(db_url: str, run: Run, tmp_path: Path) -> None:
    rows = state(db_url)
    result = batch(db_url, tmp_path, "# nothing yet\n\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == "Ran 0 lines in one transaction."
    assert state(db_url) == rows


def test_a_batch_run_at_a_terminal_asks_nothing(db_path: Path, tmp_path: Path) -> None:
    """Even with a terminal on stdin, a line is not a person: its question is refused
    (give --yes), never asked while the batch holds the database."""
    import os
    import subprocess
    import sys

    ok(with_item(str(db_path))("bottleneck", "drop", "IC-1", "--why", "Moved away"))
    path = tmp_path / "archive.txt"
    path.write_text("chain archive IC --reason 'Merged'\n", encoding="utf-8")
    terminal, other_end = os.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "chainlead", "--db", str(db_path), "batch", str(path)],
            stdin=terminal,
            capture_output=True,
            text=True,
            timeout=60,  # a question asked would wait here for an answer
        )
    finally:
        os.close(terminal)
        os.close(other_end)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("chainlead: error: line 1: --yes: "), result.stderr


@pytest.mark.parametrize(
    "line",
    [
        "bottleneck list --xlsx {tmp}/ledger.xlsx",
        "log --markdown {tmp}/week.md",
        "bottleneck sheet IC-1 --docx {tmp}/sheet.docx",
    ],
)
def test_a_line_writing_a_file_is_refused(db_url: str, run: Run, tmp_path: Path, line: str) -> None:
    """A file cannot be taken back with the transaction: a batch (and its dry run)
    writes none."""
    rows = state(db_url)
    out = tmp_path / "out"
    out.mkdir()
    text = adds(1) + line.format(tmp=out) + "\n"
    for args in ((), ("--dry-run",)):
        result = batch(db_url, tmp_path, text, *args)
        refused_at_end(result, 2, "line 2: --", "a batch writes no files")
        assert state(db_url) == rows
        assert list(out.iterdir()) == []
    assert ok(run("bottleneck", "list", "--xlsx", "-")).stdout_bytes[:2] == b"PK"


def test_a_line_may_write_to_stdout(db_url: str, run: Run, tmp_path: Path) -> None:
    result = batch(db_url, tmp_path, "log --markdown -\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("#")
