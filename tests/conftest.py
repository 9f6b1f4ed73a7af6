"""Shared fixtures: real databases (SQLite in tmp_path, PostgreSQL when
CHAINLEAD_TEST_PG_URL is set), a fixed today, and a CLI runner."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from chainlead import clock, i18n
from chainlead.cli import app
from chainlead.domain import Stamp
from chainlead.store.database import Database, open_database, upgrade

TODAY = date(2026, 11, 21)
PG_URL = os.environ.get("CHAINLEAD_TEST_PG_URL")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user config or environment leaks into a test; today and the zone are fixed."""
    for name in list(os.environ):
        if name.startswith("CHAINLEAD_") and name != "CHAINLEAD_TEST_PG_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("CHAINLEAD_CONFIG", str(tmp_path_factory.getbasetemp() / "no-config.toml"))
    monkeypatch.setenv("CHAINLEAD_TODAY", TODAY.isoformat())
    monkeypatch.setenv("CHAINLEAD_USER", "tester")
    # Days counted and times shown in UTC whatever the machine's zone (test_timezone
    # sets its own); no zone kept from the test before.
    monkeypatch.setenv("CHAINLEAD_TIMEZONE", "UTC")
    clock.set_resolver(None)
    clock.set_zone(UTC)
    i18n.set_resolver(None)  # no language kept from the test before: English
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite database, copied for each test (migrating is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = open_database(str(path), create=True)
    upgrade(database)
    database.dispose()
    return path


@pytest.fixture
def db_path(tmp_path: Path, template_db: Path) -> Path:
    """A fresh, initialised chainlead SQLite file."""
    path = tmp_path / "chainlead.db"
    shutil.copyfile(template_db, path)
    os.chmod(path, 0o600)
    return path


@pytest.fixture
def stamp() -> Stamp:
    return Stamp(actor="tester", at=datetime(2026, 11, 21, 9, 30), today=TODAY)


_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str | None]:
    """A migrated PostgreSQL template database, when a server is configured."""
    if not PG_URL:
        yield None
        return
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(PG_URL)
    name = f"chainlead_tpl_{os.getpid()}"
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    database = open_database(
        admin.set(database=name).render_as_string(hide_password=False), create=True
    )
    upgrade(database)
    database.dispose()
    yield name
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_database(template: str) -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(PG_URL)
    name = f"chainlead_t{os.getpid()}_{next(_counter)}"
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_template: str | None) -> Iterator[str]:
    """A fresh, initialised PostgreSQL database URL (skips without a server)."""
    if pg_template is None:
        if os.environ.get("CHAINLEAD_REQUIRE_PG"):
            pytest.fail("CHAINLEAD_REQUIRE_PG is set but CHAINLEAD_TEST_PG_URL is not")
        pytest.skip("CHAINLEAD_TEST_PG_URL is not set")
    yield from _pg_database(pg_template)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("db_path"))
    return request.getfixturevalue("pg_url")


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """An opened, initialised database on each backend."""
    opened = open_database(db_url)
    yield opened
    opened.dispose()


Runner = Callable[..., Result]


@pytest.fixture
def cli(db_path: Path) -> Runner:
    """Run chainlead against the test's SQLite file: cli("chain", "list")."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, ["--db", str(db_path), *args], input=input, env=env)

    return run
