"""Chains and teams in the domain layer, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chainlead.domain import Stamp
from chainlead.domain.chain_views import chain_detail, list_team
from chainlead.domain.chains import (
    add_chain,
    add_member,
    archive_chain,
    edit_chain,
    remove_member,
)
from chainlead.domain.views import list_chains
from chainlead.errors import (
    AlreadyExists,
    ChainNotFound,
    InvalidInput,
    PersonNotFound,
    RuleViolation,
)
from chainlead.store.database import Database


def make_ic(database: Database, stamp: Stamp) -> None:
    with database.transaction(write=True) as session:
        add_chain(
            session,
            code="ic",
            name="Integrated circuits",
            leader="Li Ming",
            responsible="Zhang Wei",
            members=("Wang Fang",),
            stamp=stamp,
        )


def test_add_chain_sets_leader_responsible_and_team(database: Database, stamp: Stamp) -> None:
    make_ic(database, stamp)
    with database.transaction(write=False) as session:
        detail = chain_detail(session, code="IC")
        rows = list_chains(session)
    assert detail.code == "IC"
    assert detail.leader == "Li Ming"
    assert detail.responsible == "Zhang Wei"
    assert [(m.name, m.role) for m in detail.team] == [
        ("Li Ming", "leader"),
        ("Zhang Wei", "responsible"),
        ("Wang Fang", "member"),
    ]
    assert detail.team_size == 2
    assert [(r.code, r.leader, r.responsible, r.team_size) for r in rows] == [
        ("IC", "Li Ming", "Zhang Wei", 2)
    ]
    assert [e.kind for e in detail.history] == ["created", "leader", "responsible", "member_added"]
    assert {e.actor for e in detail.history} == {"tester"}


@pytest.mark.parametrize(
    ("leader", "responsible", "field"),
    [(None, "Zhang Wei", "--leader"), ("Li Ming", None, "--responsible"), ("  ", "Z", "--leader")],
)
def test_chain_needs_leader_and_responsible(
    database: Database, stamp: Stamp, leader: str | None, responsible: str | None, field: str
) -> None:
    with pytest.raises(InvalidInput, match=field), database.transaction(write=True) as session:
        add_chain(
            session, code="IC", name="IC", leader=leader, responsible=responsible, stamp=stamp
        )
    with database.transaction(write=False) as session:
        assert list_chains(session, include_archived=True) == []


def test_duplicate_code_and_name_refused(database: Database, stamp: Stamp) -> None:
    make_ic(database, stamp)
    with pytest.raises(AlreadyExists, match="code IC"), database.transaction(write=True) as s:
        add_chain(s, code="IC", name="Other", leader="A", responsible="B", stamp=stamp)
    with pytest.raises(AlreadyExists, match="name"), database.transaction(write=True) as s:
        add_chain(
            s, code="IC2", name="integrated CIRCUITS", leader="A", responsible="B", stamp=stamp
        )


def test_replacing_leader_keeps_history(database: Database, stamp: Stamp) -> None:
    make_ic(database, stamp)
    later = replace(stamp, actor="secretary", today=date(2026, 12, 5))
    with database.transaction(write=True) as session:
        edit_chain(
            session,
            code="IC",
            leader="Sun Hao",
            responsible="Wang Fang",
            stamp=later,
            new_person=True,
        )
    with database.transaction(write=False) as session:
        detail = chain_detail(session, code="IC")
    assert detail.leader == "Sun Hao"
    assert detail.responsible == "Wang Fang"
    spells = {(r.role, r.name, r.since, r.until) for r in detail.roles}
    assert ("leader", "Li Ming", date(2026, 11, 21), date(2026, 12, 5)) in spells
    assert ("leader", "Sun Hao", date(2026, 12, 5), None) in spells
    assert ("responsible", "Zhang Wei", date(2026, 11, 21), date(2026, 12, 5)) in spells
    change = [e for e in detail.history if e.kind == "leader"][-1]
    assert (change.old, change.new, change.actor) == ("Li Ming", "Sun Hao", "secretary")
    # exactly one current leader and responsible, the responsible one on the team
    roles = [m.role for m in detail.team]
    assert roles.count("leader") == 1 and roles.count("responsible") == 1
    assert "Wang Fang" in [m.name for m in detail.team if m.role != "leader"]


def test_database_enforces_one_current_leader(database: Database, stamp: Stamp) -> None:
    make_ic(database, stamp)
    with pytest.raises(Exception), database.transaction(write=True) as session:  # noqa: B017
        session.execute(
            "INSERT INTO membership (uuid, chain_id, person_id, role, since) "
            "SELECT 'x', chain_id, person_id + 0, 'leader', since FROM membership "
            "WHERE role = 'responsible'"
        )


def test_team_add_remove_and_rules(database: Database, stamp: Stamp) -> None:
    make_ic(database, stamp)
    with database.transaction(write=True) as session:
        member = add_member(
            session,
            new_person=True,
            code="IC",
            name="Chen Jie",
            role="liaison",
            unit="District Science and Technology Bureau",
            stamp=stamp,
        )
    assert member.unit == "District Science and Technology Bureau"
    with pytest.raises(AlreadyExists), database.transaction(write=True) as session:
        add_member(session, code="IC", name="Chen Jie", stamp=stamp)
    with pytest.raises(RuleViolation, match="responsible person"):
        with database.transaction(write=True) as session:
            remove_member(session, code="IC", name="Zhang Wei", stamp=stamp)
    with pytest.raises(RuleViolation, match="chain leader"):
        with database.transaction(write=True) as session:
            remove_member(session, code="IC", name="Li Ming", stamp=stamp)
    with pytest.raises(InvalidInput, match="--role"), database.transaction(write=True) as session:
        add_member(session, code="IC", name="Boss", role="leader", stamp=stamp)
    with pytest.raises(PersonNotFound), database.transaction(write=True) as session:
        remove_member(session, code="IC", name="Nobody", stamp=stamp)
    with database.transaction(write=True) as session:
        remove_member(session, code="IC", name="Chen Jie", stamp=stamp)
    with database.transaction(write=False) as session:
        names = [m.name for m in list_team(session, code="IC")]
    assert names == ["Li Ming", "Zhang Wei", "Wang Fang"]


def test_unknown_chain_suggests(database: Database, stamp: Stamp) -> None:
    make_ic(database, stamp)
    with (
        pytest.raises(ChainNotFound, match="did you mean IC"),
        database.transaction(write=False) as s,
    ):
        chain_detail(s, code="IC1")


def test_archive(database: Database, stamp: Stamp) -> None:
    make_ic(database, stamp)
    with database.transaction(write=True) as session:
        archive_chain(session, code="IC", stamp=stamp)
    with database.transaction(write=False) as session:
        assert list_chains(session) == []
        assert [c.status for c in list_chains(session, include_archived=True)] == ["archived"]
    with pytest.raises(RuleViolation, match="archived"), database.transaction(write=True) as s:
        add_member(s, code="IC", name="Late Joiner", stamp=stamp)


def test_history_is_append_only(database: Database, stamp: Stamp) -> None:
    make_ic(database, stamp)
    for statement in ("UPDATE event SET actor = 'mallory'", "DELETE FROM event"):
        with pytest.raises(Exception, match="append-only"):  # noqa: B017
            with database.transaction(write=True) as session:
                session.execute(statement)
