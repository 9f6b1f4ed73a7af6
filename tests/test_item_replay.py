"""Property: whatever valid steps an item goes through, its history replays to
its current state, and refused steps change nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainlead.domain import Stamp
from chainlead.domain.bottlenecks import (
    ACTIONS,
    add_item,
    block_item,
    close_item,
    drop_item,
    edit_item,
    item_detail,
    note_item,
    reopen_item,
    replay_status,
    resolve_item,
    start_item,
)
from chainlead.domain.chains import add_chain
from chainlead.errors import ChainleadError
from chainlead.store.database import Database
from chainlead.store.items import item_by_key


class Change(NamedTuple):
    field: str | None
    new: str | None


STEPS = ("start", "block", "resolve", "close", "unsatisfied", "reopen", "drop", "note", "edit")
START = date(2026, 1, 5)


def apply(session, key: str, step: str, stamp: Stamp, n: int) -> None:  # noqa: ANN001
    if step == "start":
        start_item(session, key=key, stamp=stamp)
    elif step == "block":
        block_item(session, key=key, reason=f"waiting {n}", stamp=stamp)
    elif step == "resolve":
        resolve_item(session, key=key, how=f"way {n}", stamp=stamp)
    elif step in ("close", "unsatisfied"):
        feedback = "satisfied" if step == "close" else "unsatisfied"
        close_item(session, key=key, by="Zhang Wei", feedback=feedback, stamp=stamp)
    elif step == "reopen":
        reopen_item(session, key=key, why=f"again {n}", stamp=stamp)
    elif step == "drop":
        drop_item(session, key=key, why=f"no longer needed {n}", stamp=stamp)
    elif step == "note":
        note_item(session, key=key, text=f"progress {n}", stamp=stamp)
    elif step == "edit":
        edit_item(session, key=key, due=stamp.today + timedelta(days=n), why="moved", stamp=stamp)


def allowed(status: str, step: str) -> bool:
    action = "close" if step == "unsatisfied" else step
    if action in ("note", "edit"):
        return status != "dropped"
    return action in ACTIONS[status]


@pytest.fixture
def chain_db(database: Database) -> Database:
    stamp = Stamp(actor="tester", at=datetime(2026, 1, 5, 8), today=START)
    with database.transaction(write=True) as session:
        add_chain(
            session, code="IC", name="IC", leader="Li Ming", responsible="Zhang Wei", stamp=stamp
        )
    return database


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.sampled_from(STEPS), max_size=14), gaps=st.data())
def test_history_replays_to_current_state(chain_db: Database, steps: list[str], gaps) -> None:  # noqa: ANN001
    """Every step is tried; valid ones must succeed, invalid ones must be refused cleanly."""
    stamp = Stamp(actor="tester", at=datetime(2026, 1, 5, 8), today=START)
    with chain_db.transaction(write=True) as session:
        key = add_item(
            session,
            new_unit=True,
            chain="IC",
            title="t",
            unit="u",
            due=START + timedelta(days=20),
            stamp=stamp,
        ).key
    status = "open"
    for n, step in enumerate(steps, start=1):
        later = gaps.draw(st.integers(min_value=0, max_value=10))
        stamp = replace(
            stamp,
            today=stamp.today + timedelta(days=later),
            at=stamp.at + timedelta(days=later, seconds=1),
        )
        with chain_db.transaction(write=False) as session:
            before = item_detail(session, key=key, today=stamp.today)
        if allowed(status, step):
            with chain_db.transaction(write=True) as session:
                apply(session, key, step, stamp, n)
        else:
            with pytest.raises(ChainleadError), chain_db.transaction(write=True) as session:
                apply(session, key, step, stamp, n)
            with chain_db.transaction(write=False) as session:
                assert item_detail(session, key=key, today=stamp.today) == before
        with chain_db.transaction(write=False) as session:
            status = item_detail(session, key=key, today=stamp.today).status

    with chain_db.transaction(write=False) as session:
        shown = item_detail(session, key=key, today=stamp.today)
        item = item_by_key(session, key)
        assert item is not None
        events = [
            Change(field, new)
            for field, new in session.rows(
                "SELECT field, new FROM event WHERE item_id = :item ORDER BY id", {"item": item.id}
            )
        ]
    # The stored status is what the history says, from both the rows and the detail.
    assert replay_status(shown.history) == shown.status == item.status
    assert replay_status(events) == item.status
    # Each status event starts where the previous one ended.
    chain = [e for e in shown.history if e.field == "status"]
    for earlier, later_event in zip(chain, chain[1:], strict=False):
        assert later_event.old == earlier.new
    if chain:
        assert chain[0].old == "open"
    # Stored fields agree with the status.
    assert (item.resolved_on is not None) == (item.status in ("resolved", "closed"))
    assert (item.resolution is not None) == (item.status in ("resolved", "closed"))
    assert (item.closed_on is not None) == (item.status == "closed")
    if item.status in ("resolved", "closed"):
        last = [e for e in shown.history if e.kind == "resolved"][-1]
        assert last.text == item.resolution
    due_edits = [e for e in shown.history if e.field == "due_on"]
    if due_edits:
        assert due_edits[-1].new == item.due_on.isoformat()
