"""The light reads (plain SQL through ``chainlead.reader``) against the ORM.

``bottleneck list``, ``bottleneck show`` and ``chain list`` read a SQLite file
through the standard library's ``sqlite3``; writes, PostgreSQL and the domain
tests read through an ORM session. Both must give the same records, value for
value (dates and times included), for the same database.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chainlead.cli import app
from chainlead.db import Database
from chainlead.domain import Stamp
from chainlead.domain.bottlenecks import (
    add_item,
    close_item,
    edit_item,
    note_item,
    reopen_item,
    resolve_item,
    start_item,
)
from chainlead.domain.chains import add_chain
from chainlead.domain.schedules import add_meeting
from chainlead.domain.views import item_detail, list_chains, list_items
from chainlead.errors import ChainNotFound, DatabaseMissing, ItemNotFound
from chainlead.reader import open_reader

TODAY = date(2026, 11, 21)


def stamp(days_ago: int = 0) -> Stamp:
    day = TODAY - timedelta(days=days_ago)
    return Stamp(
        actor="tester", at=datetime.combine(day, datetime.min.time()).replace(hour=9), today=day
    )


@pytest.fixture
def district(database: Database) -> Database:
    """Two chains; items in several states, with links, notes and a moved time limit."""
    with database.session(write=True) as session:
        add_chain(
            session, code="IC", name="集成电路", leader="李明", responsible="王芳", stamp=stamp(60)
        )
        add_chain(session, code="AI", name="AI", leader="Zhao", responsible="Qian", stamp=stamp(60))
        add_meeting(
            session,
            chain="IC",
            kind="scheduling",
            month="2026-10",
            held_on=date(2026, 10, 12),
            stamp=stamp(40),
        )
        for n, (chain, due) in enumerate([("IC", 5), ("IC", 40), ("AI", 2), ("IC", 10)]):
            add_item(
                session,
                chain=chain,
                title=f"问题 {n} 100%_done",
                unit="区发展和改革局" if n % 2 else "Bureau",
                due=TODAY - timedelta(days=30 - due),
                owner="李明" if n == 1 else None,
                raised_on=TODAY - timedelta(days=35),
                meeting="IC-M1" if n == 0 else None,
                stamp=stamp(35),
            )
        note_item(session, key="IC-1", text="多行\n说明", stamp=stamp(20))
        start_item(session, key="IC-1", stamp=stamp(19))
        edit_item(
            session, key="IC-2", due=TODAY + timedelta(days=3), why="等待批复", stamp=stamp(10)
        )
        resolve_item(
            session, key="AI-1", how="已解决", on=TODAY - timedelta(days=4), stamp=stamp(3)
        )
        close_item(session, key="AI-1", by="Qian", feedback="satisfied", stamp=stamp(2))
        resolve_item(session, key="IC-3", how="done", stamp=stamp(2))
        reopen_item(session, key="IC-3", why="企业不满意", stamp=stamp(1))
    return database


def both(database: Database, read) -> tuple[object, object]:  # noqa: ANN001
    """``read(source)`` through the ORM session and through the light reader."""
    with database.session(write=False) as session:
        through_orm = read(session)
    if database.target.path is None:
        return through_orm, through_orm
    with open_reader(str(database.target.path)) as reader:
        return through_orm, read(reader)


def test_the_item_card_is_the_same_through_both_readers(district: Database) -> None:
    for key in ("IC-1", "ic-2", "AI-1", "IC-3"):
        orm, light = both(district, lambda s, k=key: item_detail(s, key=k, today=TODAY))
        assert orm == light
    card = both(district, lambda s: item_detail(s, key="IC-1", today=TODAY))[1]
    assert [e.kind for e in card.history] == ["created", "linked", "note", "status"]
    assert card.meetings[0].key == "IC-M1" and card.meetings[0].held_on == date(2026, 10, 12)
    assert isinstance(card.history[0].at, datetime) and card.history[0].at.hour == 9
    closed = both(district, lambda s: item_detail(s, key="AI-1", today=TODAY))[1]
    assert (closed.status, closed.closed_by, closed.resolved_on) == (
        "closed",
        "Qian",
        TODAY - timedelta(days=4),
    )


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"statuses": ("open", "in_progress", "blocked", "resolved", "closed", "dropped")},
        {"overdue": True},
        {"overdue": True, "chain": "ic", "sort": "priority"},
        {"due_within": 7},
        {"unit": "发展"},
        {"owner": "李"},
        {"search": "100%_"},
        {"search": "0%_d"},
        {"resolved_in": (date(2026, 11, 1), date(2026, 11, 30))},
        {"raised_in": (date(2026, 10, 1), date(2026, 10, 31)), "sort": "key", "limit": 2},
    ],
    ids=repr,
)
def test_the_item_list_is_the_same_through_both_readers(district: Database, filters: dict) -> None:
    orm, light = both(district, lambda s: list_items(s, today=TODAY, **filters))
    assert orm == light


def test_list_filters_select_what_they_say(district: Database) -> None:
    _, rows = both(district, lambda s: list_items(s, today=TODAY, search="1 100%_"))
    assert [r.key for r in rows] == ["IC-2"]
    _, rows = both(district, lambda s: list_items(s, today=TODAY, search="1 1_0"))
    assert rows == []  # % and _ match themselves, not any character
    _, rows = both(district, lambda s: list_items(s, today=TODAY, overdue=True, sort="key"))
    assert [r.key for r in rows] == ["IC-1", "IC-3"]
    assert {r.light for r in rows} == {"red"}


def test_the_chain_list_is_the_same_through_both_readers(district: Database) -> None:
    orm, light = both(district, lambda s: list_chains(s, include_archived=True))
    assert orm == light
    assert [(c.code, c.leader, c.open_items) for c in light] == [
        ("AI", "Zhao", 0),
        ("IC", "李明", 3),
    ]


def test_unknown_keys_and_codes_are_refused_with_suggestions(district: Database) -> None:
    with pytest.raises(ItemNotFound, match=r"did you mean IC-3, IC-2, IC-1\?"):
        both(district, lambda s: item_detail(s, key="IC-9", today=TODAY))
    with pytest.raises(ChainNotFound, match="did you mean IC"):
        both(district, lambda s: list_items(s, today=TODAY, chain="ICC"))


def test_an_uninitialised_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(DatabaseMissing, match="not initialised; run `chainlead init`"):
        with open_reader(str(empty)):
            pass


def test_list_show_and_chain_list_from_the_command_line_on_each_backend(db_url: str) -> None:
    def run(*args: str) -> str:
        result = CliRunner().invoke(app, ["--db", db_url, *args])
        assert result.exit_code == 0, result.stderr
        return result.stdout

    run("chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "王芳")
    run("bottleneck", "add", "IC", "用地指标不足", "--unit", "区自然资源局", "--due", "2026-11-01",
        "--raised-on", "2026-10-01")  # fmt: skip
    run("bottleneck", "add", "IC", "Power", "--unit", "Grid", "--due", "+30d")
    run("bottleneck", "note", "IC-1", "已对接")
    listed = json.loads(run("bottleneck", "list", "--overdue", "--chain", "ic", "--json"))
    assert [(r["key"], r["light"], r["due_on"], r["days_over"]) for r in listed] == [
        ("IC-1", "red", "2026-11-01", 20)
    ]
    card = json.loads(run("bottleneck", "show", "ic-1", "--json"))
    assert card["raised_on"] == "2026-10-01" and card["days_open"] == 51
    assert [e["kind"] for e in card["history"]] == ["created", "note"]
    assert card["history"][1]["text"] == "已对接" and card["history"][1]["at"].startswith(
        "2026-11-21"
    )
    chains = json.loads(run("chain", "list", "--json"))
    assert [(c["code"], c["leader"], c["open_items"]) for c in chains] == [("IC", "李明", 2)]
    assert "用地指标不足" in run("bottleneck", "list")
