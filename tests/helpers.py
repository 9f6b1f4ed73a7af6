"""Assertions shared by the test modules."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from typer.testing import Result

from chainlead.store.database import open_database


def db_state(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, to show that a refused command wrote nothing."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}
    finally:
        conn.close()


def assert_refused(result: Result, code: int, *fragments: str) -> None:
    """One line on stderr naming the problem, nothing on stdout, no traceback."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(("chainlead: error: ", "chainlead：错误：")), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def execute(db: str | Path, *statements: str) -> None:
    """Change the database behind chainlead's back (any schema revision)."""
    database = open_database(str(db), check=False)
    try:
        with database.engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        database.dispose()


@contextmanager
def on_day(day: str) -> Iterator[None]:
    """Run the block's commands on ``day`` (``CHAINLEAD_TODAY``): e.g. a chain set up
    before the meetings and items a test dates in the past."""
    saved = os.environ.get("CHAINLEAD_TODAY")
    os.environ["CHAINLEAD_TODAY"] = day
    try:
        yield
    finally:
        if saved is None:
            del os.environ["CHAINLEAD_TODAY"]
        else:
            os.environ["CHAINLEAD_TODAY"] = saved


_CHAIN_KEYS = re.compile(r", (?:login = '[^']*', )?prev = '[0-9a-f]{64}', hash = '[0-9a-f]{64}'")


def unchained(text: str) -> str:
    """A snapshot's text without its events' logins and places in the exporting
    database's chain: two databases that merged the same records hold them in chains
    of their own."""
    return _CHAIN_KEYS.sub("", text)
