"""Bottleneck items in the domain layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event

from chainlead.domain import Stamp
from chainlead.domain.bottlenecks import (
    ACTIONS,
    add_item,
    block_item,
    close_item,
    drop_item,
    edit_item,
    get_item,
    item_detail,
    list_items,
    note_item,
    reopen_item,
    replay_status,
    resolve_item,
    start_item,
)
from chainlead.domain.chains import add_chain, archive_chain, edit_chain
from chainlead.domain.lights import days_open, days_over, is_overdue, light
from chainlead.domain.people import add_person
from chainlead.errors import (
    ChainNotFound,
    InvalidInput,
    ItemNotFound,
    MeetingNotFound,
    RuleViolation,
    TransitionRefused,
)
from chainlead.store.chains import find_chain
from chainlead.store.database import Database
from chainlead.store.items import item_by_key
from chainlead.store.meetings import insert_meeting
from chainlead.values import month_bounds

TODAY = date(2026, 11, 21)


# ----------------------------------------------------------------------- lights


@pytest.mark.parametrize(
    ("status", "due", "resolved", "expected"),
    [
        ("open", date(2026, 11, 20), None, "red"),
        ("blocked", date(2026, 11, 20), None, "red"),
        ("open", date(2026, 11, 21), None, "yellow"),  # due today: not yet past due
        ("in_progress", date(2026, 11, 28), None, "yellow"),  # exactly 7 days left
        ("open", date(2026, 11, 29), None, "green"),
        ("resolved", date(2026, 11, 10), date(2026, 11, 10), "on_time"),
        ("closed", date(2026, 11, 10), date(2026, 11, 11), "late"),
        ("resolved", date(2026, 11, 10), date(2026, 11, 11), "late"),
        ("dropped", date(2026, 11, 1), None, "none"),
    ],
)
def test_light(status: str, due: date, resolved: date | None, expected: str) -> None:
    assert (
        light(status=status, due_on=due, resolved_on=resolved, today=TODAY, warning_days=7)
        == expected
    )


def test_warning_window_is_configurable() -> None:
    due = TODAY + timedelta(days=10)
    kwargs = {"status": "open", "due_on": due, "resolved_on": None, "today": TODAY}
    assert light(**kwargs, warning_days=7) == "green"
    assert light(**kwargs, warning_days=10) == "yellow"
    assert light(**kwargs, warning_days=0) == "green"


def test_day_counts() -> None:
    raised, due = date(2026, 11, 1), date(2026, 11, 15)
    assert days_open(raised_on=raised, resolved_on=None, today=TODAY) == 20
    assert days_open(raised_on=raised, resolved_on=date(2026, 11, 5), today=TODAY) == 4
    assert days_over(due_on=due, resolved_on=None, today=TODAY) == 6
    assert days_over(due_on=due, resolved_on=date(2026, 11, 10), today=TODAY) == -5
    assert is_overdue(status="open", due_on=due, today=TODAY)
    assert not is_overdue(status="resolved", due_on=due, today=TODAY)


# ----------------------------------------------------------------------- setup

SET_UP = Stamp(actor="tester", at=datetime(2026, 1, 5, 9, 0), today=date(2026, 1, 5))


def make_chain(database: Database, stamp: Stamp, code: str = "IC", name: str = "IC") -> None:
    with database.transaction(write=True) as session:
        add_chain(
            session,
            code=code,
            name=name,
            leader=f"Leader {code}",
            responsible=f"Responsible {code}",
            members=(f"Member {code}",),
            stamp=SET_UP,  # the chain was set up before its items were raised
        )


def new_item(database: Database, stamp: Stamp, **fields: object) -> str:
    values: dict[str, object] = {
        "chain": "IC",
        "title": "Packaging line lacks power capacity",
        "unit": "District Development and Reform Bureau",
        "due": date(2026, 12, 31),
    }
    values.update(fields)
    with database.transaction(write=True) as session:
        return add_item(session, new_unit=True, stamp=stamp, **values).key  # type: ignore[arg-type]


@pytest.fixture
def ic(database: Database, stamp: Stamp) -> Database:
    make_chain(database, stamp)
    with database.transaction(write=True) as session:  # the owners items are given below
        for name in ("Zhou Lan", "Chen Jie"):
            add_person(session, name=name, stamp=stamp)
    return database


def detail(database: Database, key: str, warning_days: int = 7):  # noqa: ANN201
    with database.transaction(write=False) as session:
        return item_detail(session, key=key, today=TODAY, warning_days=warning_days)


# ----------------------------------------------------------------------- add


def test_add_item_records_every_field(ic: Database, stamp: Stamp) -> None:
    with ic.transaction(write=True) as session:
        added = add_item(
            session,
            new_unit=True,
            chain="ic",
            title="  Wafer-level packaging line lacks power capacity ",
            unit="District Development and Reform Bureau",
            owner="Zhou Lan",
            due=date(2026, 12, 31),
            enterprise="NARI Group",
            source="breakfast",
            category="infrastructure",
            priority="HIGH",
            raised_on=date(2026, 11, 20),
            detail="Needs 2 MW more.",
            stamp=stamp,
        )
    assert added.key == "IC-1"
    shown = detail(ic, "IC-1")
    assert shown == added
    assert shown.title == "Wafer-level packaging line lacks power capacity"
    assert (shown.unit, shown.owner, shown.enterprise) == (
        "District Development and Reform Bureau",
        "Zhou Lan",
        "NARI Group",
    )
    assert (shown.source, shown.category, shown.priority) == (
        "breakfast",
        "infrastructure",
        "high",
    )
    assert (shown.raised_on, shown.due_on, shown.status, shown.light) == (
        date(2026, 11, 20),
        date(2026, 12, 31),
        "open",
        "green",
    )
    assert (shown.days_open, shown.days_over) == (1, -40)
    assert [(e.kind, e.new, e.text, e.actor, e.unit) for e in shown.history] == [
        ("created", "open", "Wafer-level packaging line lacks power capacity", "tester", None),
        ("assigned", "assigned", None, "tester", "District Development and Reform Bureau"),
    ]


def test_keys_count_per_chain_and_are_never_reused(ic: Database, stamp: Stamp) -> None:
    make_chain(ic, stamp, code="BIO", name="Biomedicine")
    keys = [new_item(ic, stamp), new_item(ic, stamp), new_item(ic, stamp, chain="bio")]
    assert keys == ["IC-1", "IC-2", "BIO-1"]
    with ic.transaction(write=True) as session:
        drop_item(session, key="IC-2", why="duplicate of IC-1", stamp=stamp)
    # A refused add does not consume a number either.
    with pytest.raises(RuleViolation), ic.transaction(write=True) as session:
        add_item(
            session,
            new_unit=True,
            chain="IC",
            title="t",
            unit="u",
            due=date(2026, 1, 1),
            stamp=stamp,
        )
    assert new_item(ic, stamp) == "IC-3"
    with ic.transaction(write=False) as session:
        chain = find_chain(session, code="IC")
    assert chain.next_item_no == 4


@pytest.mark.parametrize(
    ("fields", "error", "fragment"),
    [
        ({"due": date(2026, 11, 19), "raised_on": date(2026, 11, 20)}, RuleViolation, "before"),
        ({"raised_on": date(2026, 11, 22)}, RuleViolation, "future"),
        ({"title": "   "}, InvalidInput, "title: must not be empty"),
        ({"title": "x" * 501}, InvalidInput, "at most 500"),
        ({"title": "bad \x1b[31m red"}, InvalidInput, "U+001B"),
        ({"title": "two\nlines"}, InvalidInput, "no line breaks"),
        ({"detail": "bell \x07"}, InvalidInput, "U+0007"),
        ({"unit": "\x9b"}, InvalidInput, "U+009B"),
        ({"source": "party"}, InvalidInput, "--source"),
        ({"priority": "asap"}, InvalidInput, "--priority"),
        ({"chain": "XX"}, ChainNotFound, "no chain"),
    ],
)
def test_add_refusals_write_nothing(
    ic: Database, stamp: Stamp, fields: dict, error: type, fragment: str
) -> None:
    with pytest.raises(error, match=re.escape(fragment)):
        new_item(ic, stamp, **fields)
    with ic.transaction(write=False) as session:
        assert list_items(session, today=TODAY, statuses=["open"]) == []


def test_archived_chain_takes_no_new_work(ic: Database, stamp: Stamp) -> None:
    key = new_item(ic, stamp)
    with ic.transaction(write=True) as session:
        archive_chain(session, code="IC", stamp=stamp)
    with pytest.raises(RuleViolation, match="archived"):
        new_item(ic, stamp)
    with pytest.raises(RuleViolation, match="archived"), ic.transaction(write=True) as session:
        note_item(session, key=key, text="late news", stamp=stamp)
    assert detail(ic, key).status == "open"


# ----------------------------------------------------------------------- life


def test_whole_life_of_an_item(ic: Database, stamp: Stamp) -> None:
    key = new_item(ic, stamp, owner="Zhou Lan", raised_on=date(2026, 11, 2))
    secretary = replace(stamp, actor="secretary")
    with ic.transaction(write=True) as session:
        note_item(session, key="ic-1", text="Met the power company", stamp=stamp)
        assert start_item(session, key=key, stamp=stamp).status == "in_progress"
        block_item(session, key=key, reason="Waiting for the grid plan", stamp=stamp)
        start_item(session, key=key, stamp=stamp)
        state = resolve_item(
            session, key=key, how="Temporary 10 kV line", on=date(2026, 11, 20), stamp=secretary
        )
        assert (state.previous, state.status) == ("in_progress", "resolved")
        close_item(
            session,
            key=key,
            by="Responsible IC",
            feedback="satisfied",
            note="Production back to full",
            stamp=stamp,
        )
    shown = detail(ic, key)
    assert shown.status == "closed"
    assert shown.light == "on_time"
    assert (shown.resolution, shown.resolved_on, shown.resolved_by) == (
        "Temporary 10 kV line",
        date(2026, 11, 20),
        "secretary",
    )
    assert (shown.closed_on, shown.closed_by) == (TODAY, "Responsible IC")
    assert shown.days_open == 18
    assert shown.next_steps == ("reopen",)
    assert [(e.kind, e.old, e.new) for e in shown.history] == [
        ("created", None, "open"),
        ("assigned", None, "assigned"),
        ("note", None, None),
        ("status", "open", "in_progress"),
        ("status", "in_progress", "blocked"),
        ("status", "blocked", "in_progress"),
        ("reported", "assigned", "reported"),  # the lead unit's part, with the resolution
        ("resolved", "in_progress", "resolved"),
        ("followed_up", None, "satisfied"),  # the enterprise's answer (no name: none named)
        ("status", "resolved", "closed"),
    ]
    assert "Production back to full" in (shown.history[-1].text or "")
    assert replay_status(shown.history) == "closed"


def test_resolve_in_one_step_and_refusals(ic: Database, stamp: Stamp) -> None:
    key = new_item(ic, stamp, raised_on=date(2026, 11, 10), due=date(2026, 11, 15))
    for on, fragment in ((date(2026, 11, 22), "future"), (date(2026, 11, 9), "before")):
        with pytest.raises(RuleViolation, match=fragment), ic.transaction(write=True) as session:
            resolve_item(session, key=key, how="done", on=on, stamp=stamp)
    with pytest.raises(InvalidInput, match="--how"), ic.transaction(write=True) as session:
        resolve_item(session, key=key, how="  ", stamp=stamp)
    assert detail(ic, key).status == "open"
    with ic.transaction(write=True) as session:
        resolve_item(session, key=key, how="done", on=date(2026, 11, 18), stamp=stamp)
    shown = detail(ic, key)
    assert (shown.status, shown.light, shown.days_over) == ("resolved", "late", 3)
    with pytest.raises(TransitionRefused, match="already resolved.*allowed next: close, reopen"):
        with ic.transaction(write=True) as session:
            resolve_item(session, key=key, how="again", stamp=stamp)


def test_resolve_from_blocked(ic: Database, stamp: Stamp) -> None:
    key = new_item(ic, stamp)
    with ic.transaction(write=True) as session:
        block_item(session, key=key, reason="grid", stamp=stamp)
        resolve_item(session, key=key, how="done", stamp=stamp)
    assert detail(ic, key).status == "resolved"


REFUSED = [
    (status, action)
    for status, allowed in ACTIONS.items()
    for action in ("start", "block", "resolve", "close", "reopen", "drop")
    if action not in allowed
]


def _drive(session, key: str, status: str, stamp: Stamp) -> None:  # noqa: ANN001
    """Bring a new item to ``status`` along the flow."""
    steps = {
        "open": [],
        "in_progress": ["start"],
        "blocked": ["block"],
        "resolved": ["resolve"],
        "closed": ["resolve", "close"],
        "dropped": ["drop"],
    }[status]
    for step in steps:
        _act(session, key, step, stamp)


def _act(session, key: str, action: str, stamp: Stamp) -> None:  # noqa: ANN001
    if action == "start":
        start_item(session, key=key, stamp=stamp)
    elif action == "block":
        block_item(session, key=key, reason="waiting", stamp=stamp)
    elif action == "resolve":
        resolve_item(session, key=key, how="done", stamp=stamp)
    elif action == "close":
        close_item(session, key=key, by="Leader IC", feedback="satisfied", stamp=stamp)
    elif action == "reopen":
        reopen_item(session, key=key, why="again", stamp=stamp)
    elif action == "drop":
        drop_item(session, key=key, why="moved away", stamp=stamp)


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_transitions_outside_the_flow_are_refused(
    ic: Database, stamp: Stamp, status: str, action: str
) -> None:
    key = new_item(ic, stamp)
    with ic.transaction(write=True) as session:
        _drive(session, key, status, stamp)
    before = detail(ic, key)
    with pytest.raises(TransitionRefused) as refused, ic.transaction(write=True) as session:
        _act(session, key, action, stamp)
    text = str(refused.value)
    if status == "dropped":
        assert "reopen it first" in text
    else:
        assert "allowed next: " + ", ".join(ACTIONS[status]) in text
    assert detail(ic, key) == before


def test_dropped_item_needs_reopening_before_anything_else(ic: Database, stamp: Stamp) -> None:
    key = new_item(ic, stamp)
    with ic.transaction(write=True) as session:
        drop_item(session, key=key, why="enterprise moved out", stamp=stamp)
    for attempt in (
        lambda s: note_item(s, key=key, text="x", stamp=stamp),
        lambda s: edit_item(s, key=key, priority="high", stamp=stamp),
    ):
        with pytest.raises(TransitionRefused, match="reopen it first"):
            with ic.transaction(write=True) as session:
                attempt(session)
    with ic.transaction(write=True) as session:
        reopen_item(session, key=key, why="enterprise came back", stamp=stamp)
    shown = detail(ic, key)
    assert (shown.status, shown.status_reason) == ("open", "enterprise came back")


def test_close_needs_responsible_person_or_chain_leader(ic: Database, stamp: Stamp) -> None:
    key = new_item(ic, stamp)
    with ic.transaction(write=True) as session:
        resolve_item(session, key=key, how="done", stamp=stamp)
    for by in ("Member IC", "Nobody"):
        with pytest.raises(RuleViolation, match="Responsible IC .responsible.") as refused:
            with ic.transaction(write=True) as session:
                close_item(session, key=key, by=by, feedback="satisfied", stamp=stamp)
        assert "Leader IC (chain leader)" in str(refused.value)
    # After a hand-over only the current holders may sign off.
    with ic.transaction(write=True) as session:
        edit_chain(session, code="IC", responsible="Member IC", stamp=stamp)
    with pytest.raises(RuleViolation), ic.transaction(write=True) as session:
        close_item(session, key=key, by="Responsible IC", feedback="satisfied", stamp=stamp)
    with ic.transaction(write=True) as session:
        close_item(session, key=key, by="Leader IC", feedback="satisfied", stamp=stamp)
    assert detail(ic, key).closed_by == "Leader IC"


def test_unsatisfied_enterprise_reopens(ic: Database, stamp: Stamp) -> None:
    key = new_item(ic, stamp)
    with ic.transaction(write=True) as session:
        resolve_item(session, key=key, how="promised a line", stamp=stamp)
        state = close_item(
            session,
            key=key,
            by="Responsible IC",
            feedback="unsatisfied",
            note="still no power",
            stamp=stamp,
        )
    assert state.status == "open"
    shown = detail(ic, key)
    assert (shown.status, shown.resolution, shown.resolved_on, shown.closed_on) == (
        "open",
        None,
        None,
        None,
    )
    last = shown.history[-1]
    assert (last.kind, last.old, last.new, last.person) == (
        "reopened",
        "resolved",
        "open",
        "Responsible IC",
    )
    assert "unsatisfied" in (last.text or "") and "still no power" in (last.text or "")
    # The earlier resolution stays on record in the history.
    assert any(e.kind == "resolved" and e.text == "promised a line" for e in shown.history)


# ----------------------------------------------------------------------- edit


def test_edit_records_each_change(ic: Database, stamp: Stamp) -> None:
    key = new_item(ic, stamp, owner="Zhou Lan")
    with pytest.raises(InvalidInput, match="--why"), ic.transaction(write=True) as session:
        edit_item(session, key=key, due=date(2027, 1, 31), priority="high", stamp=stamp)
    assert detail(ic, key).priority == "normal"
    with ic.transaction(write=True) as session:
        changes = edit_item(
            session,
            key=key,
            due=date(2027, 1, 31),
            priority="high",
            owner="Chen Jie",
            title="Packaging line lacks power capacity",  # unchanged
            why="grid works moved to January",
            stamp=stamp,
        )
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("priority", "normal", "high"),
        ("due_on", "2026-12-31", "2027-01-31"),
        ("owner", "Zhou Lan", "Chen Jie"),
    ]
    shown = detail(ic, key)
    assert (shown.due_on, shown.priority, shown.owner) == (date(2027, 1, 31), "high", "Chen Jie")
    assert all(e.text == "grid works moved to January" for e in shown.history[2:])
    with ic.transaction(write=True) as session:
        assert edit_item(session, key=key, priority="high", stamp=stamp) == []
        edit_item(session, key=key, enterprise="", stamp=stamp)  # clears nothing: was empty
    with pytest.raises(RuleViolation, match="before"), ic.transaction(write=True) as session:
        edit_item(session, key=key, due=date(2026, 1, 1), why="typo", stamp=stamp)
    assert detail(ic, key).history == shown.history


# ----------------------------------------------------------------------- lookups


def test_keys_any_case_and_suggestions(ic: Database, stamp: Stamp) -> None:
    for _ in range(3):
        new_item(ic, stamp)
    with ic.transaction(write=False) as session:
        assert get_item(session, key=" ic-2 ").key == "IC-2"
        with pytest.raises(ItemNotFound, match="did you mean IC-2") as missing:
            get_item(session, key="IC-22")
        assert "'IC-22'" in str(missing.value)
        with pytest.raises(ItemNotFound, match="did you mean IC-1"):
            get_item(session, key="ICC-1")
        with pytest.raises(InvalidInput, match="key: expected an item key such as IC-12"):
            get_item(session, key="twelve")


def test_meeting_link(ic: Database, stamp: Stamp) -> None:
    make_chain(ic, stamp, code="BIO", name="Biomedicine")
    with ic.transaction(write=True) as session:
        for code, number in (("IC", 1), ("BIO", 1)):
            insert_meeting(
                session,
                key=f"{code}-M{number}",
                chain_id=find_chain(session, code=code).id,
                number=number,
                kind="breakfast",
                month="2026-11",
                held_on=date(2026, 11, 20),
                chair_id=None,
                summary=None,
                at=datetime(2026, 11, 20, 8),
            )
    with ic.transaction(write=True) as session:
        added = add_item(
            session,
            new_unit=True,
            chain="IC",
            title="Land for a second fab",
            unit="Natural Resources Bureau",
            due=date(2027, 3, 31),
            meeting="ic-m1",
            source="breakfast",
            stamp=stamp,
        )
    key = added.key
    shown = detail(ic, key)
    assert shown == added
    assert [(m.key, m.kind, m.relation) for m in shown.meetings] == [
        ("IC-M1", "breakfast", "raised")
    ]
    assert [(e.kind, e.field, e.meeting) for e in shown.history] == [
        ("created", None, None),
        ("assigned", "lead", None),
        ("linked", "raised", "IC-M1"),
    ]
    with pytest.raises(RuleViolation, match="another chain"):
        new_item(ic, stamp, meeting="BIO-M1")
    with pytest.raises(MeetingNotFound, match="did you mean IC-M1"):
        new_item(ic, stamp, meeting="IC-M2")
    with pytest.raises(InvalidInput, match="--meeting"):
        new_item(ic, stamp, meeting="M1")


# ----------------------------------------------------------------------- list


@pytest.fixture
def listed(ic: Database, stamp: Stamp) -> Database:
    """Six items across two chains in every kind of state."""
    make_chain(ic, stamp, code="BIO", name="Biomedicine")
    new_item(  # IC-1: overdue, red
        ic,
        stamp,
        title="Power capacity for the packaging line",
        unit="District Development and Reform Bureau",
        owner="Zhou Lan",
        enterprise="NARI Group",
        category="infrastructure",
        priority="high",
        raised_on=date(2026, 10, 5),
        due=date(2026, 11, 10),
    )
    new_item(  # IC-2: due in 3 days, yellow
        ic,
        stamp,
        title="Talent apartments",
        unit="District Housing Bureau",
        owner="Chen Jie",
        enterprise="Huahong",
        category="talent",
        priority="urgent",
        raised_on=date(2026, 11, 3),
        due=date(2026, 11, 24),
        detail="Forty engineers need POWER-line side housing",
    )
    new_item(  # IC-3: green, blocked
        ic,
        stamp,
        title="Export licence",
        unit="Commerce Bureau",
        category="Trade",
        priority="low",
        raised_on=date(2026, 11, 15),
        due=date(2027, 3, 1),
    )
    new_item(  # IC-4: resolved in November, late
        ic,
        stamp,
        title="Road access",
        unit="Transport Bureau",
        category="infrastructure",
        raised_on=date(2026, 9, 1),
        due=date(2026, 10, 1),
    )
    new_item(  # BIO-1: overdue, red, other chain
        ic,
        stamp,
        chain="BIO",
        title="GMP inspection slot",
        unit="Market Regulation Bureau",
        owner="Zhou Lan",
        raised_on=date(2026, 9, 20),
        due=date(2026, 11, 1),
    )
    new_item(  # BIO-2: dropped
        ic,
        stamp,
        chain="BIO",
        title="Land swap",
        unit="Natural Resources Bureau",
        due=date(2026, 12, 1),
    )
    with ic.transaction(write=True) as session:
        block_item(session, key="IC-3", reason="ministry review", stamp=stamp)
        resolve_item(session, key="IC-4", how="new road", on=date(2026, 11, 5), stamp=stamp)
        drop_item(session, key="BIO-2", why="no longer needed", stamp=stamp)
    return ic


def keys(database: Database, **filters: object) -> list[str]:
    with database.transaction(write=False) as session:
        return [r.key for r in list_items(session, today=TODAY, **filters)]  # type: ignore[arg-type]


def test_list_defaults_to_open_work_by_due_date(listed: Database) -> None:
    with listed.transaction(write=False) as session:
        rows = list_items(session, today=TODAY, warning_days=7)
    assert [(r.key, r.light, r.status) for r in rows] == [
        ("BIO-1", "red", "open"),
        ("IC-1", "red", "open"),
        ("IC-2", "yellow", "open"),
        ("IC-3", "green", "blocked"),
    ]
    first = rows[1]
    assert (first.owner, first.enterprise, first.days_over, first.days_open) == (
        "Zhou Lan",
        "NARI Group",
        11,
        47,
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"overdue": True}, ["BIO-1", "IC-1"]),
        ({"overdue": True, "chain": "ic"}, ["IC-1"]),
        ({"overdue": True, "owner": "zhou"}, ["BIO-1", "IC-1"]),
        ({"overdue": True, "owner": "zhou", "chain": "BIO"}, ["BIO-1"]),
        ({"due_within": 7}, ["IC-2"]),
        ({"due_within": 200, "category": "TRADE"}, ["IC-3"]),
        ({"statuses": ["blocked", "resolved"]}, ["IC-4", "IC-3"]),
        ({"statuses": ["dropped"]}, ["BIO-2"]),
        ({"resolved_in": month_bounds("2026-11")}, ["IC-4"]),
        ({"resolved_in": month_bounds("2026-10")}, []),
        ({"raised_in": month_bounds("2026-11")}, ["IC-2", "IC-3"]),
        ({"raised_in": month_bounds("2026-09"), "statuses": list(ACTIONS)}, ["IC-4", "BIO-1"]),
        ({"unit": "bureau", "category": "infrastructure"}, ["IC-1"]),
        ({"unit": "housing", "enterprise": "huahong"}, ["IC-2"]),
        ({"search": "power"}, ["IC-1", "IC-2"]),  # title of one, detail of the other
        ({"search": "power", "priority_sort": True}, ["IC-2", "IC-1"]),
        ({"search": "%"}, []),  # LIKE wildcards are matched literally
        ({"sort": "key"}, ["BIO-1", "IC-1", "IC-2", "IC-3"]),
        ({"sort": "raised"}, ["BIO-1", "IC-1", "IC-2", "IC-3"]),
        ({"sort": "priority"}, ["IC-2", "IC-1", "BIO-1", "IC-3"]),
        ({"sort": "key", "limit": 2}, ["BIO-1", "IC-1"]),
    ],
)
def test_list_filters_combine(listed: Database, filters: dict, expected: list[str]) -> None:
    if filters.pop("priority_sort", False):
        filters["sort"] = "priority"
    assert keys(listed, **filters) == expected


def test_list_rejects_bad_filters(listed: Database) -> None:
    with pytest.raises(InvalidInput, match="--status"):
        keys(listed, statuses=["finished"])
    with pytest.raises(InvalidInput, match="--sort"):
        keys(listed, sort="title")
    with pytest.raises(ChainNotFound, match="did you mean BIO"):
        keys(listed, chain="BOI")


@contextmanager
def counting(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def test_list_and_show_cost_does_not_grow_with_rows(ic: Database, stamp: Stamp) -> None:
    new_item(ic, stamp, owner="Zhou Lan")

    def cost() -> tuple[int, int]:
        with counting(ic) as listed, ic.transaction(write=False) as session:
            list_items(session, today=TODAY, chain="IC", unit="bureau")
        with counting(ic) as shown, ic.transaction(write=False) as session:
            item_detail(session, key="IC-1", today=TODAY)
        return len(listed), len(shown)

    small = cost()
    for _ in range(20):
        key = new_item(ic, stamp, owner="Chen Jie")
        with ic.transaction(write=True) as session:
            note_item(session, key=key, text="progress", stamp=stamp)
    assert cost() == small


def test_state_is_consistent_with_the_stored_row(ic: Database, stamp: Stamp) -> None:
    key = new_item(ic, stamp)
    with ic.transaction(write=True) as session:
        resolve_item(session, key=key, how="done", stamp=stamp)
        reopen_item(session, key=key, why="again", stamp=stamp)
    with ic.transaction(write=False) as session:
        item = item_by_key(session, get_item(session, key=key).key)
        assert item is not None
        assert (item.status, item.resolution, item.resolved_on) == ("open", None, None)
