"""The reads commands run most, through ``open_reader`` as commands run them.

``bottleneck list``, ``bottleneck show``, ``chain list``, ``chain show``,
``team list`` and the ``schedule`` reads (``list``, ``show``, ``agenda``,
``missing``): the records they give (dates and times as Python values), the
filters selecting what they say, and the same district giving the same
records on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chainlead.cli import app
from chainlead.domain import Stamp
from chainlead.domain.bottlenecks import (
    add_item,
    block_item,
    close_item,
    edit_item,
    note_item,
    reopen_item,
    resolve_item,
    start_item,
)
from chainlead.domain.chain_views import chain_detail, list_team
from chainlead.domain.chains import add_chain, add_member, archive_chain, edit_chain
from chainlead.domain.schedule_views import agenda, list_meetings, meeting_detail, missing_meetings
from chainlead.domain.schedules import add_meeting, edit_meeting
from chainlead.domain.views import ItemRow, item_detail, list_chains, list_items
from chainlead.errors import (
    ChainNotFound,
    DatabaseMissing,
    InvalidInput,
    ItemNotFound,
    MeetingNotFound,
)
from chainlead.store.connection import Reader, open_reader
from chainlead.store.database import Database, open_database
from chainlead.vocabulary import OPEN_STATUSES, PRIORITY_ORDER

TODAY = date(2026, 11, 21)


def stamp(days_ago: int = 0) -> Stamp:
    day = TODAY - timedelta(days=days_ago)
    return Stamp(
        actor="tester", at=datetime.combine(day, datetime.min.time()).replace(hour=9), today=day
    )


@pytest.fixture
def district(database: Database) -> Database:
    """Two chains; items in several states, with links, notes and a moved time limit."""
    build_district(database)
    return database


def build_district(database: Database) -> None:
    with database.transaction(write=True) as session:
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
                new_unit=True,
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


def add_meetings(database: Database) -> None:
    """On top of the district: a liaison, a new chain leader, an archived chain, an
    item awaiting sign-off and a blocked one, meetings of two kinds, one corrected."""
    with database.transaction(write=True) as session:
        add_member(
            session,
            new_person=True,
            code="IC",
            name="陈杰",
            role="liaison",
            unit="区科技局",
            title="科长",
            contact="025-0000",
            stamp=stamp(30),
        )
        add_chain(
            session, code="SG", name="智能电网", leader="李明", responsible="Qian", stamp=stamp(50)
        )
        edit_chain(session, code="AI", leader="Sun", stamp=stamp(20), new_person=True)
        for title, days in (("Awaiting sign-off", 15), ("Blocked", 4)):
            add_item(
                session,
                new_unit=True,
                chain="IC",
                title=title,
                unit="Bureau",
                owner="王芳",
                due=TODAY + timedelta(days=days),
                stamp=stamp(18),
            )
        resolve_item(session, key="IC-4", how="电力扩容完成", stamp=stamp(6))
        block_item(session, key="IC-5", reason="等待市里批复", stamp=stamp(5))
        add_meeting(
            session,
            chain="IC",
            kind="scheduling",
            held_on=TODAY - timedelta(days=11),
            chair="王芳",
            summary="封装产能与人才公寓",
            decisions=("供电局一月前增加第二回路", "Second decision"),
            attendees=("王芳", "陈杰"),
            figures=("output_value=12.5:100M CNY", "new_projects=3"),
            raises=("IC-4",),
            discusses=("IC-1", "IC-3"),
            stamp=stamp(11),
        )
        add_meeting(
            session, chain="AI", kind="breakfast", held_on=TODAY - timedelta(days=9), stamp=stamp(9)
        )
        edit_meeting(
            session,
            key="IC-M2",
            summary="Packaging capacity",
            figures=("new_projects=4",),
            unlink=("IC-3",),
            reason="minutes corrected",
            stamp=stamp(3),
        )
        archive_chain(session, code="SG", stamp=stamp(5))


@pytest.fixture
def meetings(district: Database) -> Database:
    add_meetings(district)
    return district


def every_read(source: Reader) -> dict[str, object]:
    """Every chain, team and schedule read of the district with meetings, by name."""
    reads: dict[str, object] = {}
    for code in ("IC", "ai", "SG"):
        reads[f"chain {code}"] = chain_detail(source, code=code)
        reads[f"team {code}"] = list_team(source, code=code)
    for key in ("IC-M1", "ic-m2", "AI-M1"):
        for days in (7, 2):
            reads[f"show {key} {days}"] = meeting_detail(
                source, key=key, today=TODAY, warning_days=days
            )
    for filters in (
        {},
        {"chain": "ic"},
        {"month": "2026-11"},
        {"from_month": "2026-10", "to_month": "2026-10"},
        {"to_month": "2026-10", "kind": "scheduling"},
        {"kind": "Breakfast"},
    ):
        reads[f"list {filters}"] = list_meetings(source, **filters)
    for month in ("2026-09", "2026-10", "2026-11", "2026-12"):
        reads[f"missing {month}"] = missing_meetings(source, month=month)
    for code in ("IC", "AI", "SG"):
        for today in (TODAY, TODAY - timedelta(days=30)):
            reads[f"agenda {code} {today}"] = agenda(source, chain=code, today=today)
    reads["agenda IC wide"] = agenda(source, chain="IC", today=TODAY, warning_days=30)
    return reads


def both(database: Database, read) -> tuple[None, object]:  # noqa: ANN001
    """``read(source)`` through the reader a command opens on this database."""
    with open_reader(str(database.target.path or database.target.url)) as reader:
        return None, read(reader)


def test_the_item_card(district: Database) -> None:
    assert both(district, lambda s: item_detail(s, key="ic-2", today=TODAY))[1].key == "IC-2"
    card = both(district, lambda s: item_detail(s, key="IC-1", today=TODAY))[1]
    assert [e.kind for e in card.history] == ["created", "assigned", "linked", "note", "status"]
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
def test_each_filter_selects_the_items_it_names(district: Database, filters: dict) -> None:
    """The list with a filter is the whole list kept by that filter's words, in its order."""

    def every(source: Reader) -> list[tuple[ItemRow, str, set[date]]]:
        out = []
        for r in list_items(source, today=TODAY, statuses=ALL):
            card = item_detail(source, key=r.key, today=TODAY)
            resolutions = {e.at.date() for e in card.history if e.new == "resolved"}
            days = {r.resolved_on} if r.resolved_on else resolutions  # reopened: by its events
            out.append((r, card.detail or "", days))
        return out

    _, rows = both(district, every)
    _, listed = both(district, lambda s: list_items(s, today=TODAY, **filters))
    expected = [row for row, detail, days in rows if kept(row, detail, filters, days)]
    number = {row.key: int(row.key.split("-")[1]) for row, _, _ in rows}
    orders = {
        "due": lambda r: (r.due_on, r.chain, number[r.key]),
        "key": lambda r: (r.chain, number[r.key]),
        "priority": lambda r: (PRIORITY_ORDER.index(r.priority), r.due_on, r.chain, number[r.key]),
    }
    expected.sort(key=orders[filters.get("sort", "due")])
    assert [r.key for r in listed] == [r.key for r in expected][: filters.get("limit")]
    assert listed == [r for r in expected if r.key in {x.key for x in listed}]


ALL = ("open", "in_progress", "blocked", "resolved", "closed", "dropped")


def kept(row: ItemRow, detail: str, filters: dict, resolved: set[date]) -> bool:
    """Whether ``row`` passes ``filters``, by the words of ``bottleneck list --help``;
    ``resolved``: the days of its resolutions (the monthly report's rule)."""
    statuses = filters.get("statuses") or (ALL if "resolved_in" in filters else OPEN_STATUSES)
    overdue = row.status in OPEN_STATUSES and row.due_on < TODAY
    within = filters.get("due_within")
    search = filters.get("search", "").lower()
    tests = [
        row.status in statuses,
        "chain" not in filters or row.chain == filters["chain"].upper(),
        not filters.get("overdue") or overdue,
        within is None
        or (row.status in OPEN_STATUSES and TODAY <= row.due_on <= TODAY + timedelta(days=within)),
        not search or search in row.title.lower() or search in detail.lower(),
    ]
    for name in ("unit", "owner"):
        tests.append(
            name not in filters or filters[name].lower() in (getattr(row, name) or "").lower()
        )
    for name, days in (("resolved_in", resolved), ("raised_in", {row.raised_on})):
        tests.append(
            name not in filters or any(filters[name][0] <= day <= filters[name][1] for day in days)
        )
    return all(tests)


def test_list_filters_select_what_they_say(district: Database) -> None:
    _, rows = both(district, lambda s: list_items(s, today=TODAY, search="1 100%_"))
    assert [r.key for r in rows] == ["IC-2"]
    _, rows = both(district, lambda s: list_items(s, today=TODAY, search="1 1_0"))
    assert rows == []  # % and _ match themselves, not any character
    _, rows = both(district, lambda s: list_items(s, today=TODAY, overdue=True, sort="key"))
    assert [r.key for r in rows] == ["IC-1", "IC-3"]
    assert {r.light for r in rows} == {"red"}


def test_the_chain_list(district: Database) -> None:
    _, light = both(district, lambda s: list_chains(s, include_archived=True))
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
    run("bottleneck", "add", "IC", "用地指标不足", "--unit", "区自然资源局",
        "--new-unit", "--due", "2026-11-01",
        "--raised-on", "2026-10-01", "--backdate")  # fmt: skip
    run("bottleneck", "add", "IC", "Power", "--unit", "Grid", "--new-unit", "--due", "+30d")
    run("bottleneck", "note", "IC-1", "已对接")
    listed = json.loads(run("bottleneck", "list", "--overdue", "--chain", "ic", "--json"))
    assert [(r["key"], r["light"], r["due_on"], r["days_over"]) for r in listed] == [
        ("IC-1", "red", "2026-11-01", 20)
    ]
    card = json.loads(run("bottleneck", "show", "ic-1", "--json"))
    assert card["raised_on"] == "2026-10-01" and card["days_open"] == 51
    assert [e["kind"] for e in card["history"]] == ["created", "backdated", "assigned", "note"]
    assert card["history"][3]["text"] == "已对接" and card["history"][3]["at"].startswith(
        "2026-11-21"
    )
    chains = json.loads(run("chain", "list", "--json"))
    assert [(c["code"], c["leader"], c["open_items"]) for c in chains] == [("IC", "李明", 2)]
    assert "用地指标不足" in run("bottleneck", "list")


def test_chain_cards_and_teams(meetings: Database) -> None:
    _, light = both(meetings, every_read)
    ic, ai, sg = light["chain IC"], light["chain ai"], light["chain SG"]
    assert [(m.name, m.role) for m in light["team IC"]] == [
        ("李明", "leader"),
        ("王芳", "responsible"),
        ("陈杰", "liaison"),
    ]
    assert ic.team_size == 2 and ic.team[2].contact == "025-0000"
    assert ic.created_at == datetime(2026, 9, 22, 9) and ic.archived_on is None
    assert [(r.role, r.name, r.since, r.until) for r in ai.roles] == [
        ("leader", "Zhao", date(2026, 9, 22), date(2026, 11, 1)),
        ("leader", "Sun", date(2026, 11, 1), None),
        ("responsible", "Qian", date(2026, 9, 22), None),
    ]
    assert [e.kind for e in ai.history] == ["created", "leader", "responsible", "leader", "created"]
    assert ai.history[3].at == datetime(2026, 11, 1, 9) and ai.history[3].old == "Zhao"
    assert ai.history[4].new == "AI-M1"  # the meeting entry's own event
    assert [(e.kind, e.field) for e in ic.history][-4:] == [
        ("member_added", "liaison"),
        ("created", None),  # IC-M2
        ("edited", "summary"),  # and its corrections
        ("edited", "figure"),
    ]
    assert (sg.status, sg.archived_on) == ("archived", date(2026, 11, 16))


def test_meeting_cards_lists_agendas_and_gaps(
    meetings: Database,
) -> None:
    _, light = both(meetings, every_read)
    card = light["show ic-m2 7"]
    assert (card.key, card.chain_name, card.chair, card.held_on) == (
        "IC-M2",
        "集成电路",
        "王芳",
        date(2026, 11, 10),
    )
    assert card.summary == "Packaging capacity" and card.attendees == ("王芳", "陈杰")
    assert card.decisions == ("供电局一月前增加第二回路", "Second decision")
    assert [(f.name, f.value, f.unit) for f in card.figures] == [
        ("output_value", "12.5", "100M CNY"),
        ("new_projects", "4", None),
    ]
    assert [(i.key, i.relation, i.light) for i in card.items] == [
        ("IC-4", "raised", "on_time"),
        ("IC-1", "discussed", "red"),
    ]
    assert [(c.kind, c.item) for c in card.history] == [
        ("created", None),
        ("linked", "IC-4"),
        ("linked", "IC-1"),
        ("linked", "IC-3"),
        ("edited", None),
        ("edited", None),
        ("unlinked", "IC-3"),
    ]
    assert card.created_at == datetime(2026, 11, 10, 9)
    assert light["show AI-M1 7"].chair == "Sun"  # the chain leader on the day held
    assert [m.key for m in light["list {}"]] == ["IC-M1", "AI-M1", "IC-M2"]
    listed = light["list {'month': '2026-11'}"][1]
    assert (listed.decisions, listed.figures, listed.raised, listed.discussed) == (2, 2, 1, 1)
    assert [m.key for m in light["list {'kind': 'Breakfast'}"]] == ["AI-M1"]
    assert [(m.chain, m.leader, m.last_meeting) for m in light["missing 2026-11"]] == [
        ("AI", "Sun", None)
    ]
    october = light["missing 2026-10"]
    assert [(m.chain, m.responsible) for m in october] == [("AI", "Qian"), ("SG", "Qian")]
    assert [m.chain for m in light["missing 2026-09"]] == ["AI", "IC"]  # SG came in October
    assert [(m.chain, m.last_meeting, m.last_held_on) for m in light["missing 2026-12"]] == [
        ("AI", None, None),
        ("IC", "IC-M2", date(2026, 11, 10)),
    ]
    ic = light["agenda IC 2026-11-21"]
    assert (ic.leader, ic.last_meeting.key, ic.last_decisions[1]) == (
        "李明",
        "IC-M2",
        "Second decision",
    )
    assert [a.key for a in ic.red] == ["IC-1", "IC-3"]
    assert [a.key for a in ic.yellow] == ["IC-2"]
    assert [(a.key, a.status_reason) for a in ic.blocked] == [("IC-5", "等待市里批复")]
    assert [(a.key, a.owner, a.resolution) for a in ic.awaiting_signoff] == [
        ("IC-4", "王芳", "电力扩容完成")
    ]
    assert [(a.key, a.relation) for a in ic.last_items] == [
        ("IC-4", "raised"),
        ("IC-1", "discussed"),
    ]
    earlier = light["agenda IC 2026-10-22"]
    assert earlier.last_meeting.key == "IC-M1" and earlier.last_meeting.raised == 1
    assert light["agenda AI 2026-10-22"].leader == "Zhao"
    assert light["agenda AI 2026-11-21"].last_meeting is None  # a breakfast is no scheduling


def test_unknown_meetings_and_chains_are_refused_alike(meetings: Database) -> None:
    with pytest.raises(MeetingNotFound, match="no meeting 'IC-M9'"):
        both(meetings, lambda s: meeting_detail(s, key="ic-m9", today=TODAY))
    with pytest.raises(InvalidInput, match="expected a meeting id such as IC-M3"):
        both(meetings, lambda s: meeting_detail(s, key="IC-3", today=TODAY))
    for read in (
        lambda s: chain_detail(s, code="ICC"),
        lambda s: list_team(s, code="ICC"),
        lambda s: agenda(s, chain="ICC", today=TODAY),
        lambda s: list_meetings(s, chain="ICC"),
    ):
        with pytest.raises(ChainNotFound, match="did you mean IC"):
            both(meetings, read)
    with pytest.raises(InvalidInput, match="--from/--to"):
        both(meetings, lambda s: list_meetings(s, from_month="2026-11", to_month="2026-10"))


@pytest.mark.pg
def test_the_same_district_reads_the_same_on_sqlite_and_postgresql(
    db_path: Path, pg_url: str
) -> None:
    reads = []
    for url in (str(db_path), pg_url):
        database = open_database(url)
        try:
            build_district(database)
            add_meetings(database)
        finally:
            database.dispose()
        with open_reader(url) as source:  # sqlite3 on the file, a session on PostgreSQL
            reads.append(every_read(source))
    assert reads[0] == reads[1]


def test_chain_team_and_schedule_reads_from_the_command_line_on_each_backend(
    db_url: str,
) -> None:
    def run(*args: str) -> str:
        result = CliRunner().invoke(app, ["--db", db_url, *args])
        assert result.exit_code == 0, result.stderr
        return result.stdout

    run("chain", "add", "IC", "集成电路", "--leader", "李明", "--responsible", "王芳")
    run("team", "add", "IC", "陈杰", "--role", "liaison", "--unit", "区科技局", "--new-person")
    run("bottleneck", "add", "IC", "用地指标不足", "--unit", "区自然资源局",
        "--new-unit", "--due", "2026-11-01",
        "--raised-on", "2026-10-01", "--backdate")  # fmt: skip
    run("schedule", "add", "IC", "--held-on", "2026-11-18", "--backdate", "--decision", "第一条",
        "--attendee", "陈杰", "--figure", "output_value=12.5:100M CNY",
        "--discusses", "IC-1")  # fmt: skip
    card = json.loads(run("chain", "show", "ic", "--json"))
    assert (card["leader"], card["team_size"], card["created_at"][:10]) == ("李明", 2, "2026-11-21")
    assert [e["kind"] for e in card["history"]] == [
        "created",
        "leader",
        "responsible",
        "member_added",
        "created",
        "backdated",  # IC-M1 was held on 11-18, before IC was entered
    ]
    team = json.loads(run("team", "list", "IC", "--json"))
    assert [(m["name"], m["since"]) for m in team][-1] == ("陈杰", "2026-11-21")
    listed = json.loads(run("schedule", "list", "--chain", "ic", "--json"))
    assert [(m["key"], m["chair"], m["discussed"]) for m in listed] == [("IC-M1", "李明", 1)]
    meeting = json.loads(run("schedule", "show", "ic-m1", "--json"))
    assert meeting["figures"] == [{"name": "output_value", "value": "12.5", "unit": "100M CNY"}]
    assert [(i["key"], i["light"]) for i in meeting["items"]] == [("IC-1", "red")]
    plan = json.loads(run("schedule", "agenda", "IC", "--json"))
    assert [a["key"] for a in plan["red"]] == ["IC-1"]
    assert plan["last_meeting"]["held_on"] == "2026-11-18"
    assert json.loads(run("schedule", "missing", "--json")) == []
    gaps = json.loads(run("schedule", "missing", "--month", "2026-12", "--json"))
    assert [(m["chain"], m["last_meeting"]) for m in gaps] == [("IC", "IC-M1")]
