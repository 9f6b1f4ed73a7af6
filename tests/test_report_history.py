"""The monthly figures against a brute-force replay of every item's history.

``monthly_report`` reads item rows through indexes and replays only the items
reopened or given a new time limit inside its window. Here random item lives
(raised, started, blocked, resolved with dates set back, reopened, closed with
either feedback, dropped, time limits moved) are written through the domain,
and every overview and trend figure of every month is compared with a plain
replay of all events, item by item, written from the definitions alone.
"""

from __future__ import annotations

import shutil
import statistics
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import NamedTuple

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainlead.domain import Stamp
from chainlead.domain.bottlenecks import (
    add_item,
    block_item,
    close_item,
    drop_item,
    edit_item,
    reopen_item,
    resolve_item,
    start_item,
)
from chainlead.domain.chains import add_chain
from chainlead.domain.reports import monthly_report
from chainlead.errors import ChainleadError
from chainlead.store.connection import Reader, day_or_none, moment
from chainlead.store.connection import day as stored_day
from chainlead.store.database import open_database
from chainlead.values import month_bounds, month_of, shift_month

TODAY = date(2026, 11, 21)
START = date(2025, 6, 1)
OPEN = ("open", "in_progress", "blocked")

ACTIONS = ("start", "block", "resolve", "reopen", "drop", "close_ok", "close_no", "due")

action = st.tuples(
    st.sampled_from(ACTIONS),
    st.integers(min_value=0, max_value=40),  # days after the previous step
    st.integers(min_value=0, max_value=15),  # resolve: days set back; due: new limit offset
)
life = st.tuples(
    st.integers(min_value=0, max_value=520),  # raised, days after START
    st.integers(min_value=0, max_value=60),  # time limit, days after raised
    st.lists(action, max_size=8),
)


def write(path: Path, lives: list[tuple[int, int, list[tuple[str, int, int]]]]) -> None:
    database = open_database(str(path))
    clock = iter(range(1_000_000))

    def stamp(day: date) -> Stamp:
        # Distinct times within a day keep every item's events in a clear order.
        minute = next(clock)
        return Stamp(
            actor="tester",
            at=datetime.combine(day, time(8)) + timedelta(minutes=minute % 600),
            today=day,
        )

    try:
        with database.transaction(write=True) as session:
            add_chain(
                session,
                code="IC",
                name="Integrated circuits",
                leader="Li Ming",
                responsible="Zhang Wei",
                stamp=stamp(START),
            )
        for raised_after, due_after, steps in lives:
            raised = min(START + timedelta(days=raised_after), TODAY)
            with database.transaction(write=True) as session:
                key = add_item(
                    session,
                    new_unit=True,
                    chain="IC",
                    title="item",
                    unit="Bureau",
                    due=raised + timedelta(days=due_after),
                    raised_on=raised,
                    stamp=stamp(raised),
                ).key
            day = raised
            for kind, gap, extra in steps:
                day = min(day + timedelta(days=gap), TODAY)
                try:
                    with database.transaction(write=True) as session:
                        do(session, key, kind, extra, raised, stamp(day))
                except ChainleadError:
                    pass  # not allowed from the item's status: skipped
    finally:
        database.dispose()


def do(session: Reader, key: str, kind: str, extra: int, raised: date, at: Stamp) -> None:
    if kind == "start":
        start_item(session, key=key, stamp=at)
    elif kind == "block":
        block_item(session, key=key, reason="waiting", stamp=at)
    elif kind == "resolve":
        on = max(raised, at.today - timedelta(days=extra))
        resolve_item(session, key=key, how=f"fixed {at.today}", on=on, stamp=at)
    elif kind == "reopen":
        reopen_item(session, key=key, why="again", stamp=at)
    elif kind == "drop":
        drop_item(session, key=key, why="stop", stamp=at)
    elif kind in ("close_ok", "close_no"):
        feedback = "satisfied" if kind == "close_ok" else "unsatisfied"
        close_item(session, key=key, by="Zhang Wei", feedback=feedback, stamp=at)
    else:
        edit_item(session, key=key, due=raised + timedelta(days=extra * 4), why="moved", stamp=at)


# --------------------------------------------------------------------------- the oracle


class Change(NamedTuple):
    at: datetime
    kind: str
    field: str | None
    old: str | None
    new: str | None


class Stored(NamedTuple):
    status: str
    raised_on: date
    due_on: date
    resolved_on: date | None


def replay_all(session: Reader) -> list[dict]:
    """Each item's full story from its events, by the definitions in reports.py."""
    events: dict[int, list[Change]] = defaultdict(list)
    for item_id, at, kind, field, old, new in session.rows(
        "SELECT item_id, at, kind, field, old, new FROM event "
        "WHERE item_id IS NOT NULL ORDER BY at, id"
    ):
        events[item_id].append(Change(moment(at), kind, field, old, new))
    lives = []
    for item_id, status, raised_on, due_on, resolved_on in session.rows(
        "SELECT id, status, raised_on, due_on, resolved_on FROM item"
    ):
        item = Stored(status, stored_day(raised_on), stored_day(due_on), day_or_none(resolved_on))
        history = events[item_id]
        status_events = [e for e in history if e.field == "status"]
        resolved_at = [i for i, e in enumerate(status_events) if e.kind == "resolved"]
        steps = []
        for i, e in enumerate(status_events):
            day = e.at.date()
            if resolved_at and i == resolved_at[-1] and item.status in ("resolved", "closed"):
                day = item.resolved_on
            steps.append((day, e))
        edits = [e for e in history if e.kind == "edited" and e.field == "due_on"]
        lives.append({"item": item, "steps": steps, "edits": edits})
    return lives


def is_open(life: dict, day: date) -> bool:
    total = 1 if life["item"].raised_on <= day else 0
    for when, e in life["steps"]:
        if when <= day:
            total += (e.new in OPEN) - ((e.old or "") in OPEN)
    return total > 0


def due_on(life: dict, day: date) -> date:
    edits = life["edits"]
    due = date.fromisoformat(edits[0].old) if edits else life["item"].due_on
    for e in edits:
        if e.at < datetime.combine(day + timedelta(days=1), time()):
            due = date.fromisoformat(e.new)
    return due


def month_facts(lives: list[dict], month: str) -> dict:
    first, last = month_bounds(month)
    end = min(last, TODAY)
    resolutions = []
    for life in lives:
        inside = [(day, e.at) for day, e in life["steps"] if e.new == "resolved"]
        inside = [r for r in inside if first <= r[0] <= end]
        if inside:
            day = max(inside)[0]
            resolutions.append((life["item"].raised_on, day, day <= due_on(life, day)))
    on_time = sum(1 for r in resolutions if r[2])

    def touched(test) -> int:  # type: ignore[no-untyped-def]
        return sum(
            1 for life in lives if any(first <= d <= end and test(e) for d, e in life["steps"])
        )

    return {
        "open_at_start": sum(is_open(life, first - timedelta(days=1)) for life in lives),
        "raised": sum(1 for life in lives if first <= life["item"].raised_on <= end),
        "resolved": len(resolutions),
        "resolved_on_time": on_time,
        "resolved_late": len(resolutions) - on_time,
        "dropped": touched(lambda e: e.new == "dropped"),
        "reopened": touched(lambda e: e.kind == "reopened"),
        "open_at_end": sum(is_open(life, end) for life in lives),
        "overdue_at_end": sum(
            1 for life in lives if is_open(life, end) and due_on(life, end) < end
        ),
        "on_time_rate": round(on_time / len(resolutions), 4) if resolutions else None,
        "median_days_to_resolve": (
            float(statistics.median((r[1] - r[0]).days for r in resolutions))
            if resolutions
            else None
        ),
    }


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lives=st.lists(life, min_size=1, max_size=6))
def test_figures_match_a_full_replay(
    lives: list, template_db: Path, tmp_path_factory: object
) -> None:
    path = tmp_path_factory.mktemp("history") / "history.db"  # type: ignore[attr-defined]
    shutil.copyfile(template_db, path)
    write(path, lives)
    database = open_database(str(path))
    try:
        with database.transaction(write=False) as session:
            everything = replay_all(session)
            month = month_of(START)
            while month <= month_of(TODAY):
                result = monthly_report(session, today=TODAY, month=month)
                got = {f.key: f.value for f in result.overview}
                want = month_facts(everything, month)
                assert {k: got[k] for k in want} == want, month
                trend = {t.month: (t.raised, t.resolved, t.open_at_end) for t in result.trend}
                for back in range(12):
                    earlier = shift_month(month, -back)
                    facts = month_facts(everything, earlier)
                    counted = (facts["raised"], facts["resolved"], facts["open_at_end"])
                    if earlier not in trend:  # left out: before the first record
                        assert earlier < min(trend) and counted == (0, 0, 0), (month, earlier)
                        continue
                    assert trend[earlier] == counted, (month, earlier)
                month = shift_month(month, 1)
    finally:
        database.dispose()
