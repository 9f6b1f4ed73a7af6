"""Where code lives: all SQL in the store, SQLAlchemy only for the schema and
PostgreSQL, and no private names of the libraries chainlead builds on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import chainlead

PACKAGE = Path(chainlead.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
STATEMENT = re.compile(
    r"\b(SELECT\b.*\bFROM|INSERT INTO|UPDATE \w+ SET|DELETE FROM|PRAGMA \w+|CREATE (TABLE|INDEX))\b"
    r"|\.(rows|execute|insert|executemany)\(\s*f?[\"']"
)
# Where a driver or the ORM may be imported: the schema of record, its
# migrations, and the store's connection to a database.
ORM_ALLOWED = {"models.py", "store/connection.py", "store/database.py", "store/target.py"}
ORM = re.compile(r"^\s*(from|import) (sqlalchemy|sqlmodel|alembic|psycopg)\b", re.M)
PRIVATE = re.compile(r"\b(rich|typer|click)\._\w+|\b(Table|Console|TyperGroup)\._\w+")


def _shown(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def _code_lines(path: Path) -> list[tuple[int, str]]:
    """Lines outside docstrings and comments, with their numbers."""
    lines, inside = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        quotes = line.count('"""')
        if inside or (quotes == 1 and line.strip().startswith('"""')):
            inside = not inside if quotes % 2 else inside
            continue
        if quotes >= 2 and line.strip().startswith(('"""', 'r"""')):
            continue
        lines.append((number, line.split("#", 1)[0] if "#" in line else line))
    return lines


@pytest.mark.parametrize(
    "module",
    [m for m in MODULES if not _shown(m).startswith(("store/", "migrations/"))],
    ids=_shown,
)
def test_no_sql_outside_the_store(module: Path) -> None:
    found = [f"{n}: {line.strip()}" for n, line in _code_lines(module) if STATEMENT.search(line)]
    assert found == []


@pytest.mark.parametrize("module", MODULES, ids=_shown)
def test_the_orm_and_drivers_only_for_the_schema_and_the_connection(module: Path) -> None:
    shown = _shown(module)
    if shown in ORM_ALLOWED or shown.startswith("migrations/"):
        return
    assert ORM.findall(module.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("module", MODULES, ids=_shown)
def test_no_private_names_of_libraries(module: Path) -> None:
    assert PRIVATE.findall(module.read_text(encoding="utf-8")) == []


def test_the_checks_can_fail() -> None:
    """The patterns find what they are for."""
    assert STATEMENT.search('rows = db.rows("SELECT id FROM item")')
    assert STATEMENT.search("UPDATE item SET title = :t")
    assert ORM.search("from sqlalchemy import text\n")
    assert PRIVATE.search("from rich._wrap import divide_line")
