"""What the tests of extensions, urging and suspension share: a chain with an item
on either backend, a second unit's part in it, and every row of the database."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from sqlalchemy import text
from sqlmodel import SQLModel
from typer.testing import CliRunner, Result

import chainlead.models  # noqa: F401  (the tables, for the metadata)
from chainlead.cli import app
from chainlead.store.database import open_database

UNIT = "District Development and Reform Bureau"
CO_UNIT = "District Natural Resources Bureau"
OTHER_UNIT = "District Science and Technology Bureau"

Run = Callable[..., Result]


def runner(db_url: str) -> Run:
    """Run chainlead against ``db_url``: run("bottleneck", "show", "IC-1", env={...})."""
    invoke = CliRunner().invoke

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return invoke(app, ["--db", db_url, *args], env=env)

    return run


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


def with_item(db_url: str) -> Run:
    """Chain IC (leader Li Ming, responsible Zhang Wei, member Wang Fang) and its item
    IC-1 due 2026-12-31, handed to UNIT; OTHER_UNIT known, with no part in it."""
    run = runner(db_url)
    ok(run("chain", "add", "IC", "Integrated circuits", "--leader", "Li Ming",
           "--responsible", "Zhang Wei", "--member", "Wang Fang"))  # fmt: skip
    ok(run("bottleneck", "add", "IC", "Packaging line lacks power", "--unit", UNIT,
           "--new-unit", "--due", "2026-12-31"))  # fmt: skip
    ok(run("unit", "add", OTHER_UNIT))
    return run


def add_co_unit(db_url: str, due: date = date(2026, 12, 20)) -> None:
    """CO_UNIT co-handles IC-1, due ``due``."""
    ok(runner(db_url)("bottleneck", "assign", "IC-1", "--unit", CO_UNIT, "--new-unit",
                      "--due", due.isoformat()))  # fmt: skip


def shown(run: Run, key: str = "IC-1", env: dict[str, str] | None = None) -> dict:
    return json.loads(ok(run("bottleneck", "show", key, "--json", env=env)).stdout)


def state(db_url: str) -> dict[str, list[tuple]]:
    """Every row of every table, on either backend: a refusal leaves them all as they were."""
    database = open_database(db_url)
    try:
        with database.engine.connect() as conn:
            return {
                table.name: [
                    tuple(row)
                    for row in conn.execute(text(f'SELECT * FROM "{table.name}" ORDER BY 1'))
                ]
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        database.dispose()
