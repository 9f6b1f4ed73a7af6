"""Roles in a city: a login reaches the districts it was added in, and no other.

Group roles (``chainlead_viewer``...) are the server's, shared by every district;
USAGE on a district's schema is granted login by login by ``user add`` in that
district, so membership of a group opens no other district, through chainlead
or through a plain connection.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator

import pytest
from helpers import assert_refused
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.demo import EXAMPLES

runner = CliRunner()
DEMO = str(EXAMPLES / "jiangning.toml")
PASSWORD = "city-pass-1"

pytestmark = pytest.mark.pg


def run(db: str, *args: str, input: str | None = None) -> Result:
    return runner.invoke(app, ["--db", db, *args], input=input)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


@pytest.fixture
def viewer(pg_url: str) -> Iterator[tuple[str, str]]:
    """A city of districts north and south, roles set up in both, and a viewer login
    added and granted in north only: the admin URL and the viewer's URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    login = f"cl_viewer_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    for code, name in (("north", "北区"), ("south", "南区")):
        ok(run(pg_url, "district", "add", code, "--name", name))
        ok(run(pg_url, "--district", code, "import", DEMO))
        ok(run(pg_url, "--district", code, "db", "setup-roles"))
    ok(
        run(
            pg_url, "--district", "north", "user", "add", "城北查看员", "--role", login,
            "--create-login", "--password-stdin", "--new-person", input=PASSWORD + "\n",
        )
    )  # fmt: skip
    ok(run(pg_url, "--district", "north", "user", "grant", "城北查看员", "viewer"))
    admin = make_url(pg_url)
    try:
        yield (
            pg_url,
            admin.set(username=login, password=PASSWORD).render_as_string(hide_password=False),
        )
    finally:
        plain = admin.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {login}")
            conn.execute(f"DROP ROLE {login}")


def test_a_viewer_added_in_one_district_reads_it(viewer: tuple[str, str]) -> None:
    _admin, url = viewer
    chains = json.loads(ok(run(url, "--district", "north", "chain", "list", "--json")).stdout)
    assert len(chains) == 8


def test_a_viewer_added_in_one_district_is_refused_the_other(viewer: tuple[str, str]) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    _admin, url = viewer
    assert_refused(run(url, "--district", "south", "chain", "list"), 1, "south")
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as conn:
        assert conn.execute("SELECT count(*) FROM north.chain").fetchone() == (8,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM south.chain")
