"""The documents' counts agree with their nouns: one member, one time, one item."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner, Result

from chainlead.cli import app

Run = Callable[..., Result]


@pytest.fixture
def run(db_url: str) -> Run:
    """chainlead on a fresh database of each backend: chain IC with its chain leader
    and responsible person only, and one red item IC-1 urged once."""
    runner = CliRunner()

    def invoke(*args: str, day: str = "2026-11-25") -> Result:
        env = {"CHAINLEAD_TODAY": day, "COLUMNS": "100"}
        result = runner.invoke(app, ["--db", db_url, *args], env=env)
        assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
        return result

    invoke("chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
           "--responsible", "Zhang Wei", day="2026-11-01")  # fmt: skip
    invoke("bottleneck", "add", "IC", "Power capacity", "--unit", "District Bureau",
           "--new-unit", "--due", "2026-11-20", day="2026-11-01")  # fmt: skip
    invoke("bottleneck", "urge", "IC-1")
    return invoke


def test_the_sheet_says_urged_once(run: Run) -> None:
    sheet = run("bottleneck", "sheet", "IC-1", "--html", "-").stdout
    assert re.search(r"\b1 time, last ", sheet), sheet
    run("bottleneck", "urge", "IC-1", day="2026-11-26")
    sheet = run("bottleneck", "sheet", "IC-1", "--html", "-", day="2026-11-26").stdout
    assert re.search(r"\b2 times, last ", sheet)
    chinese = run("bottleneck", "sheet", "IC-1", "--html", "-", "--lang", "zh").stdout
    assert "2次，最近一次" in chinese


def test_the_monthly_report_counts_one_member_and_one_red_item(run: Run, tmp_path: Path) -> None:
    report = run("report", "monthly", "--month", "2026-11").stdout
    assert re.search(r"Working team\s+1 member\n", report), report
    markdown = run("report", "monthly", "--month", "2026-11", "--markdown", "-").stdout
    assert "1 member\n" in markdown and "1 members" not in markdown
    assert re.search(r"· 1 item\b", report + markdown), report
    html = run("report", "monthly", "--month", "2026-11", "--html", "-").stdout
    assert "&nbsp;1 member</span>" in html
    docx = tmp_path / "monthly.docx"
    run("report", "monthly", "--month", "2026-11", "--docx", str(docx))
    paragraphs = [p.text for p in Document(str(docx)).paragraphs]
    assert any(p.endswith("Working team: 1 member.") for p in paragraphs), paragraphs
    chinese = run("report", "monthly", "--month", "2026-11", "--lang", "zh").stdout
    assert re.search(r"1人\n", chinese) and "共1项" in chinese
