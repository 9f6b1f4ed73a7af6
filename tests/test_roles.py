"""Logins and roles on a shared PostgreSQL database: who each role is, what it may do
and what the server refuses it, through chainlead and through a plain connection."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import assert_refused
from typer.testing import CliRunner, Result

from chainlead.cli import app

runner = CliRunner()
LEAD, POWER, HOUSING = "区发改局", "供电公司", "区住建局"
PASSWORD = "pw-for:tests'1"  # a colon and a quote: nothing in it is read as SQL
_serial = itertools.count()


def run(db: str, *args: str, user: str | None = "tester", input: str | None = None) -> Result:
    """chainlead against ``db``; ``user``: the ``--as`` name in the environment (None: none)."""
    env = {"CHAINLEAD_TODAY": "2026-12-01", "CHAINLEAD_USER": user}
    return runner.invoke(app, ["--db", db, *args], env=env, input=input)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def as_login(url: str, login: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(username=login, password=PASSWORD).render_as_string(False)


def plain(url: str) -> str:
    """``url`` for psycopg itself."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(False)


class Logins:
    """Login roles made for one test, with names no other test uses; dropped after it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.prefix = f"cl{os.getpid()}_{next(_serial)}_"
        self.made: list[str] = []

    def name(self, word: str) -> str:
        login = self.prefix + word
        self.made.append(login)
        return login

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(plain(self.url), autocommit=True) as conn:
            for login in self.made:
                if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone():
                    conn.execute(f'DROP OWNED BY "{login}"')  # its USAGE on the district
                    conn.execute(f'DROP ROLE "{login}"')


@pytest.fixture
def office(pg_url: str) -> Iterator[tuple[str, Logins]]:
    """A district on PostgreSQL set up by its installer (the superuser): two chains, three
    institutions, items on both chains, the group roles, and a login per role."""
    ok(run(pg_url, "db", "setup-roles"))
    ok(run(pg_url, "chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "张伟"))
    ok(run(pg_url, "chain", "add", "BM", "生物医药", "--leader", "赵强", "--responsible", "钱敏"))
    for unit in (LEAD, POWER, HOUSING):
        ok(run(pg_url, "unit", "add", unit))
    due = ("--due", "2026-12-31")
    ok(run(pg_url, "bottleneck", "add", "IC", "电力容量不足", "--unit", LEAD, *due))
    ok(run(pg_url, "bottleneck", "assign", "IC-1", "--unit", POWER))
    ok(run(pg_url, "bottleneck", "add", "IC", "厂房审批", "--unit", HOUSING, *due))
    ok(run(pg_url, "bottleneck", "add", "BM", "临床试验床位", "--unit", LEAD, *due))
    logins = Logins(pg_url)
    people = {
        "admin": ("周静", ["admin"]),
        "leader": ("李明", ["leader", "--chain", "IC"]),
        "team": ("王芳", ["team", "--chain", "IC"]),
        "unit": ("陈刚", ["unit", "--unit", POWER]),
        "viewer": ("孙丽", ["viewer"]),
    }
    try:
        for word, (person, grant) in people.items():
            login = logins.name(word)
            ok(run(pg_url, "user", "add", person, "--role", login, "--create-login",
                   "--password-stdin", "--new-person", input=PASSWORD + "\n"))  # fmt: skip
            ok(run(pg_url, "user", "grant", person, *grant))
        yield pg_url, logins
    finally:
        logins.drop()


def login_url(office: tuple[str, Logins], word: str) -> str:
    url, logins = office
    return as_login(url, logins.prefix + word)


def keys(db: str, user: str | None = None) -> list[str]:
    listed = ok(run(db, "bottleneck", "list", "--status", "all", "--json", user=user)).stdout
    return sorted(item["key"] for item in json.loads(listed))


def test_user_list_shows_each_login_and_grant(office: tuple[str, Logins]) -> None:
    url, logins = office
    rows = json.loads(ok(run(url, "user", "list", "--json")).stdout)
    shown = {(r["person"], r["login"].removeprefix(logins.prefix), r["role"], r["chain"],
              r["unit"]) for r in rows}  # fmt: skip
    assert shown == {
        ("周静", "admin", "admin", None, None),
        ("李明", "leader", "leader", "IC", None),
        ("王芳", "team", "team", "IC", None),
        ("陈刚", "unit", "unit", None, POWER),
        ("孙丽", "viewer", "viewer", None, None),
    }


def test_each_login_is_its_person_in_history(office: tuple[str, Logins]) -> None:
    team = login_url(office, "team")
    ok(run(team, "bottleneck", "note", "IC-1", "约谈供电公司", user=None))
    history = json.loads(ok(run(team, "bottleneck", "show", "IC-1", "--json", user=None)).stdout)
    assert history["history"][-1]["actor"] == "王芳"


def test_as_is_refused_for_a_login_that_is_not_admin(office: tuple[str, Logins]) -> None:
    team = login_url(office, "team")
    refused = run(team, "bottleneck", "note", "IC-1", "冒名", user="李明")
    assert_refused(refused, 2, "--as", "王芳")
    ok(run(team, "bottleneck", "note", "IC-1", "本人", user="王芳"))  # one's own name is fine


def test_an_import_is_on_record_as_the_login(office: tuple[str, Logins], tmp_path: Path) -> None:
    url, logins = office
    ok(run(url, "bottleneck", "note", "IC-1", "先记一条"))
    snapshot = tmp_path / "office.toml"
    ok(run(url, "export", str(snapshot)))
    ok(run(url, "bottleneck", "note", "IC-1", "导出之后"))  # the import has something to say
    team = login_url(office, "team")
    refused = run(team, "import", str(snapshot), user="李明")
    assert_refused(refused, 2, "--as", "王芳")
    ok(run(login_url(office, "admin"), "import", str(snapshot), user="李明"))
    changes = json.loads(ok(run(url, "undo", "--list", "--json")).stdout)
    imports = [c for c in changes if c["kind"] == "import"]
    assert imports and imports[0]["actor"] == f"{logins.prefix}admin as 李明", imports


def test_admin_as_someone_is_on_record(office: tuple[str, Logins]) -> None:
    url, logins = office
    admin = login_url(office, "admin")
    ok(run(admin, "bottleneck", "note", "IC-1", "代录", user="李明"))
    card = json.loads(ok(run(url, "bottleneck", "show", "IC-1", "--json")).stdout)
    assert card["history"][-1]["actor"] == "李明"
    changes = ok(run(url, "undo", "--list", "--json")).stdout
    assert f"{logins.prefix}admin as 李明" in changes


def test_a_login_linked_to_nobody_is_sent_to_the_chain_office(office: tuple[str, Logins]) -> None:
    import psycopg

    url, logins = office
    stranger = logins.name("stranger")
    with psycopg.connect(plain(url), autocommit=True) as conn:
        quoted = PASSWORD.replace("'", "''")
        conn.execute(f"CREATE ROLE \"{stranger}\" LOGIN PASSWORD '{quoted}'")
        conn.execute(f'GRANT chainlead_team TO "{stranger}"')
    refused = run(as_login(url, stranger), "bottleneck", "note", "IC-1", "x", user=None)
    assert_refused(refused, 1, stranger, "user add")


def test_sign_off_is_in_ones_own_name(office: tuple[str, Logins]) -> None:
    team = login_url(office, "team")
    ok(run(team, "bottleneck", "resolve", "IC-2", "--how", "审批已完成", user=None))
    refused = run(team, "bottleneck", "close", "IC-2", "--by", "李明", "--feedback",
                  "satisfied", user=None)  # fmt: skip
    assert_refused(refused, 1, "--by", "李明", "王芳")
    leader = login_url(office, "leader")
    ok(run(leader, "bottleneck", "close", "IC-2", "--by", "李明", "--feedback", "satisfied",
           user=None))  # fmt: skip


def test_leader_and_team_work_only_on_their_chains(office: tuple[str, Logins]) -> None:
    team = login_url(office, "team")
    assert keys(team) == ["IC-1", "IC-2"]
    refused = run(team, "bottleneck", "note", "BM-1", "越权", user=None)
    assert refused.exit_code != 0 and "Traceback" not in refused.stderr
    refused = run(team, "bottleneck", "add", "BM", "越权新增", "--unit", LEAD,
                  "--due", "2026-12-31", user=None)  # fmt: skip
    assert_refused(refused, 1, "ask the chain office")
    ok(run(team, "bottleneck", "add", "IC", "本链新增", "--unit", LEAD, "--due", "2026-12-31",
           user=None))  # fmt: skip


def test_a_unit_works_on_its_own_assignments(office: tuple[str, Logins]) -> None:
    url, _logins = office
    unit = login_url(office, "unit")
    assert keys(unit) == ["IC-1"]
    ok(run(unit, "bottleneck", "receive", "IC-1", "--unit", POWER, user=None))
    ok(run(unit, "bottleneck", "extend", "IC-1", "--unit", POWER, "--to", "2027-01-20",
           "--why", "设备到货延迟", user=None))  # fmt: skip
    ok(run(unit, "bottleneck", "report", "IC-1", "--unit", POWER, "--how", "第二回路已接入",
           user=None))  # fmt: skip
    refused = run(unit, "bottleneck", "receive", "IC-1", "--unit", LEAD, user=None)
    assert_refused(refused, 1, "ask the chain office")
    refused = run(unit, "bottleneck", "note", "IC-1", "随手记", user=None)
    assert refused.exit_code == 1, refused.stderr
    assert_refused(run(unit, "undo", "--yes", user=None), 1, "ask the chain office")
    card = json.loads(ok(run(url, "bottleneck", "show", "IC-1", "--json")).stdout)
    assert [(p["unit"], p["state"]) for p in card["parts"]] == [
        (LEAD, "assigned"), (POWER, "reported"),
    ]  # fmt: skip
    assert {e["actor"] for e in card["history"] if e["kind"] != "created"} >= {"陈刚"}


def test_meetings_are_seen_and_held_by_their_chains(office: tuple[str, Logins]) -> None:
    url, _logins = office
    ok(run(url, "schedule", "add", "BM", "--held-on", "2026-12-01", "--summary", "生物医药调度"))
    team = login_url(office, "team")
    ok(run(team, "schedule", "add", "IC", "--held-on", "2026-12-01", "--summary", "集成电路调度",
           user=None))  # fmt: skip
    listed = json.loads(ok(run(team, "schedule", "list", "--json", user=None)).stdout)
    assert [m["summary"] for m in listed] == ["集成电路调度"]
    refused = run(team, "schedule", "add", "BM", "--held-on", "2026-12-01", "--summary", "越权",
                  user=None)  # fmt: skip
    assert_refused(refused, 1, "ask the chain office")
    viewer = login_url(office, "viewer")
    assert len(json.loads(ok(run(viewer, "schedule", "list", "--json", user=None)).stdout)) == 2


def test_a_chains_own_records_are_changed_on_that_chain_only(office: tuple[str, Logins]) -> None:
    team = login_url(office, "team")
    ok(run(team, "chain", "edit", "IC", "--description", "芯片设计与制造", user=None))
    refused = run(team, "chain", "edit", "BM", "--description", "越权", user=None)
    assert_refused(refused, 1, "ask the chain office")
    refused = run(team, "team", "add", "BM", "吴军", "--role", "member", "--new-person", user=None)
    assert_refused(refused, 1, "ask the chain office")
    shown = json.loads(ok(run(team, "chain", "show", "BM", "--json", user=None)).stdout)
    assert shown["code"] == "BM"  # the district's map is read by all


def test_a_viewer_reads_everything_and_writes_nothing(office: tuple[str, Logins]) -> None:
    viewer = login_url(office, "viewer")
    assert keys(viewer) == ["BM-1", "IC-1", "IC-2"]
    refused = run(viewer, "bottleneck", "note", "IC-1", "只读", user=None)
    assert_refused(refused, 1, "ask the chain office")


def test_the_server_holds_a_unit_to_its_rows(office: tuple[str, Logins]) -> None:
    """What a ``psql`` session of a unit's login sees and may change."""
    import psycopg

    url, _logins = office
    with psycopg.connect(plain(login_url(office, "unit"))) as conn:
        titles = [row[0] for row in conn.execute("SELECT title FROM item ORDER BY id")]
        assert titles == ["电力容量不足"]  # not the other chain's, not the other items
        found = conn.execute("SELECT count(*) FROM search_index WHERE body LIKE '%床位%'")
        assert found.fetchone()[0] == 0  # nor the texts of other items
        changed = conn.execute(
            "UPDATE assignment SET state = 'reported' WHERE unit_id = "
            f"(SELECT id FROM unit WHERE name = '{LEAD}')"
        ).rowcount
        assert changed == 0
        conn.rollback()
        other = conn.execute("SELECT count(*) FROM item").fetchone()[0]
        assert other == 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO event (uuid, at, actor, kind, chain_id, item_id) VALUES "
                "('x', now(), '陈刚', 'note', 1, (SELECT id FROM item WHERE number = 2 "
                "AND chain_id = 1 LIMIT 1))"
            )
        conn.rollback()
        commands = [row[0] for row in conn.execute("SELECT command FROM change_set")]
        assert commands == []  # other people's command lines carry other items' texts
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM item")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO user_grant (user_id, role, since) VALUES (1, 'admin', now())")


def test_the_server_keeps_a_viewer_from_writing(office: tuple[str, Logins]) -> None:
    import psycopg

    url, _logins = office
    with psycopg.connect(plain(url), autocommit=True) as conn:  # a later migration's table
        conn.execute("CREATE TABLE later_table (id integer)")
    with psycopg.connect(plain(login_url(office, "viewer"))) as conn:
        assert conn.execute("SELECT count(*) FROM item").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM later_table").fetchone()[0] == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO later_table VALUES (1)")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE item SET title = 'x'")


def test_revoke_takes_the_role_away(office: tuple[str, Logins]) -> None:
    url, _logins = office
    ok(run(url, "user", "revoke", "王芳", "team", "--chain", "IC"))
    team = login_url(office, "team")
    refused = run(team, "bottleneck", "note", "IC-1", "已撤销", user=None)
    assert_refused(refused, 1, "ask the chain office")
    assert_refused(run(url, "user", "revoke", "王芳", "team", "--chain", "IC"), 1, "no such grant")


def test_grant_refusals(office: tuple[str, Logins]) -> None:
    url, logins = office
    assert_refused(run(url, "user", "grant", "王芳", "boss"), 2, "ROLE")
    assert_refused(run(url, "user", "grant", "王芳", "unit"), 2, "--unit")
    assert_refused(run(url, "user", "grant", "王芳", "viewer", "--chain", "IC"), 2, "--chain")
    assert_refused(run(url, "user", "grant", "无名", "viewer"), 1)
    assert_refused(run(url, "user", "add", "吴军", "--role", "no_such_login_x", "--new-person"),
                   2, "--role")  # fmt: skip
    assert_refused(run(url, "user", "add", "吴军", "--role", "chainlead_team", "--new-person"),
                   2, "--role")  # a group role is no login  # fmt: skip
    assert_refused(run(url, "user", "add", "王芳", "--role", "postgres"), 1, "already has a login")
    taken = f"{logins.prefix}team"
    assert_refused(run(url, "user", "add", "吴军", "--role", taken, "--new-person"), 1, "王芳")
    assert_refused(run(url, "user", "grant", "王芳", "team", "--chain", "IC"), 1, "already")


def test_migration_0013_upgrades_and_downgrades(db_url: str) -> None:
    """From 0010 with data to 0013 and back, on each backend: the tables, and on
    PostgreSQL the policies and helper functions, come and go with the revision."""
    from sqlalchemy import text

    from chainlead.store.database import downgrade, open_database, upgrade

    ok(run(db_url, "chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "张伟"))
    ok(run(db_url, "unit", "add", LEAD))
    database = open_database(db_url, check=False)
    try:
        downgrade(database, to="0010")
        upgrade(database)
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM app_user")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM chain")).scalar() == 1
            if conn.dialect.name == "postgresql":
                policies = conn.execute(
                    text("SELECT count(*) FROM pg_policies WHERE tablename = 'item'")
                ).scalar()
                assert policies == 4
                assert conn.execute(text("SELECT admin FROM chainlead_whoami()")).scalar()
        downgrade(database, to="0010")
        with database.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                left = conn.execute(text("SELECT count(*) FROM pg_policies")).scalar()
                assert left == 0
        upgrade(database)
    finally:
        database.dispose()
    ok(run(db_url, "bottleneck", "add", "IC", "升级后新增", "--unit", LEAD, "--due", "2026-12-31"))


def test_user_commands_are_refused_on_sqlite(db_path: Path) -> None:
    for args in (("user", "list"), ("user", "add", "李明", "--role", "liming", "--new-person"),
                 ("user", "grant", "李明", "viewer"), ("db", "setup-roles")):  # fmt: skip
        assert_refused(run(str(db_path), *args), 1, "SQLite file has one owner")


def test_db_check_finds_the_servers_side_out_of_step(office: tuple[str, Logins]) -> None:
    import psycopg

    url, logins = office
    ok(run(url, "db", "check"))
    with psycopg.connect(plain(url), autocommit=True) as conn:
        conn.execute("ALTER TABLE assignment DISABLE ROW LEVEL SECURITY")
        conn.execute(f'REVOKE chainlead_viewer FROM "{logins.prefix}viewer"')
    result = run(url, "db", "check", "--json")
    assert result.exit_code == 1, result.stderr
    found = {(f["check"], f["subject"]) for f in json.loads(result.stdout)["findings"]}
    assert found == {("access", "assignment"), ("access", f"{logins.prefix}viewer")}
    ok(run(url, "db", "setup-roles"))  # again: row-level security and the group back
    ok(run(url, "db", "check"))


def test_setup_roles_runs_again_and_needs_postgresql(office: tuple[str, Logins]) -> None:
    url, _logins = office
    again = ok(run(url, "db", "setup-roles"))
    assert "made the group roles" not in again.stderr
    assert "row-level security applied" in again.stderr


def test_a_lead_unit_moves_its_item_and_returns_its_part(office: tuple[str, Logins]) -> None:
    url, logins = office
    ok(run(url, "user", "grant", "陈刚", "unit", "--unit", LEAD))
    unit = login_url(office, "unit")
    assert keys(unit) == ["BM-1", "IC-1"]
    ok(run(unit, "bottleneck", "receive", "BM-1", "--unit", LEAD, user=None))
    ok(run(unit, "bottleneck", "return", "IC-1", "--unit", POWER, "--why", "不属本单位",
           user=None))  # fmt: skip
    card = json.loads(ok(run(url, "bottleneck", "show", "BM-1", "--json")).stdout)
    assert card["parts"][0]["state"] == "received"


def test_only_who_signs_on_the_chain_closes_or_escalates(office: tuple[str, Logins]) -> None:
    """A team login may change its chain's items, but the server keeps the sign-off and
    the ladder for the chain leader and the responsible person."""
    import psycopg

    team = login_url(office, "team")
    ok(run(team, "bottleneck", "resolve", "IC-2", "--how", "审批已完成", user=None))
    with psycopg.connect(plain(team)) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE item SET status = 'closed' WHERE status = 'resolved'")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE item SET level = level + 1")
        conn.rollback()
        assert conn.execute("UPDATE item SET category = '能源'").rowcount == 2
    refused = run(team, "bottleneck", "escalate", "IC-1", "--level", "2", "--why", "进展慢",
                  user=None)  # fmt: skip
    assert_refused(refused, 1, "escalates")
    leader = login_url(office, "leader")
    ok(run(leader, "bottleneck", "escalate", "IC-1", "--level", "2", "--why", "进展慢",
           user=None))  # fmt: skip
    unit = login_url(office, "unit")
    ok(run(unit, "bottleneck", "extend", "IC-1", "--unit", POWER, "--to", "2027-01-20",
           "--why", "设备到货延迟", user=None))  # fmt: skip
    assert_refused(run(unit, "bottleneck", "approve", "IC-1", "--by", "陈刚", user=None), 1)
    ok(run(leader, "bottleneck", "approve", "IC-1", "--by", "李明", user=None))


def test_a_chain_office_that_is_no_superuser_installs_and_runs_it(pg_url: str) -> None:
    """The README's steps on a real server: an administrator with CREATEDB and CREATEROLE
    owns the database, upgrades it, sets the roles up and gives the logins out."""
    import psycopg

    logins = Logins(pg_url)
    office, team = logins.name("office"), logins.name("team")
    name = f"{logins.prefix}district"
    quoted = PASSWORD.replace("'", "''")
    with psycopg.connect(plain(pg_url), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE \"{office}\" LOGIN CREATEDB CREATEROLE PASSWORD '{quoted}'")
        conn.execute(f'CREATE DATABASE "{name}" OWNER "{office}"')
    from sqlalchemy.engine import make_url

    url = as_login(make_url(pg_url).set(database=name).render_as_string(False), office)
    try:
        ok(run(url, "init"))
        ok(run(url, "db", "setup-roles"))
        ok(run(url, "chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "张伟"))
        ok(run(url, "unit", "add", LEAD))
        ok(run(url, "user", "add", "王芳", "--role", team, "--create-login", "--password-stdin",
               "--new-person", input=PASSWORD + "\n"))  # fmt: skip
        ok(run(url, "user", "grant", "王芳", "team", "--chain", "IC"))
        mine = as_login(url, team)
        ok(run(mine, "bottleneck", "add", "IC", "用地指标", "--unit", LEAD, "--due", "2026-12-31",
               user=None))  # fmt: skip
        card = json.loads(ok(run(url, "bottleneck", "show", "IC-1", "--json")).stdout)
        assert card["history"][0]["actor"] == "王芳"
        ok(run(url, "db", "check"))
    finally:
        with psycopg.connect(plain(pg_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        logins.drop()
