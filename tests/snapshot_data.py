"""Realistic data for the snapshot tests, built through the domain functions.

Two chains (one archived), leader and responsible changes, a team, meetings
with attendees, decisions and figures, and items in every state with linked
meetings, notes and edits; enterprises on a chain, items raised by two of them,
a reference, follow-ups (one set aside by the reopening an unsatisfied answer
made, one of an item raised by no enterprise): every kind of record a snapshot
carries.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from chainlead.domain import Stamp
from chainlead.domain.bottlenecks import (
    add_item,
    block_item,
    close_item,
    drop_item,
    edit_item,
    follow_up_item,
    note_item,
    reopen_item,
    resolve_item,
    start_item,
)
from chainlead.domain.chains import add_chain, add_member, archive_chain, edit_chain, remove_member
from chainlead.domain.enterprises import add_enterprise, edit_enterprise, link_enterprises
from chainlead.domain.schedules import add_meeting, edit_meeting
from chainlead.snapshot.export import export_snapshot
from chainlead.store.database import Database, open_database


def at(day: date, hour: int = 9) -> Stamp:
    return Stamp(
        actor="Zhang Wei",
        at=datetime.combine(day, datetime.min.time()).replace(hour=hour),
        today=day,
    )


def build_district(database: Database) -> None:
    """Six months of a small district, each step its own transaction."""
    start = date(2026, 5, 4)

    def step(day: date, action, hour: int = 9) -> None:  # noqa: ANN001
        with database.transaction(write=True) as session:
            action(session, at(day, hour))

    step(
        start,
        lambda s, t: add_chain(
            s,
            code="IC",
            name="Integrated circuits 集成电路",
            leader="Li Ming",
            responsible="Zhang Wei",
            members=("Wang Fang",),
            description='Wafer fabs, packaging and "design"\nsecond line \\ with a backslash',
            stamp=t,
        ),
    )
    step(
        start,
        lambda s, t: add_chain(
            s, code="BIO", name="Biomedicine", leader="Chen Hua", responsible="Huang Jing", stamp=t
        ),
        hour=10,
    )
    step(
        start + timedelta(days=1),
        lambda s, t: add_member(
            s,
            code="IC",
            name="周兰",
            role="liaison",
            unit="District S&T Bureau 🧪",
            stamp=t,
            new_person=True,
        ),
    )
    step(
        date(2026, 5, 29),
        lambda s, t: add_meeting(
            s,
            chain="IC",
            held_on=date(2026, 5, 28),
            summary="Packaging capacity; 'talent' housing",
            decisions=("Power bureau adds a second feeder", "Land office answers in June"),
            attendees=("Zhang Wei", "王芳"),
            figures=("output_value=12.5:100M CNY", "new_projects=3"),
            stamp=t,
        ),
    )
    items = [
        ("Land quota for the fab expansion", "open", date(2026, 5, 29)),
        ("Second power feeder", "in_progress", date(2026, 5, 29)),
        ("Customs clearance for lithography parts", "blocked", date(2026, 6, 2)),
        ("Talent apartments", "resolved", date(2026, 6, 5)),
        ("Wastewater permit", "closed", date(2026, 6, 10)),
        ("Subsidy for test line", "dropped", date(2026, 6, 12)),
        ("Road access for trucks", "reopened", date(2026, 6, 30)),
    ]
    for number, (title, _, raised) in enumerate(items, start=1):
        step(
            raised,
            lambda s, t, title=title, raised=raised, number=number: add_item(
                s,
                new_unit=True,
                chain="IC",
                title=title,
                unit="District Development and Reform Bureau",
                due=raised + timedelta(days=30 if number % 2 else 61),
                owner="Wang Fang" if number % 3 else None,
                enterprise="南京某科技有限公司" if number % 2 else None,
                source=("scheduling", "breakfast", "salon", "visit", "other")[number % 5],
                category="land" if number == 1 else None,
                priority=("low", "normal", "high", "urgent")[number % 4],
                raised_on=raised,
                detail="Line one\nLine two with 'quotes' and \"double\" \\ and 📦"
                if number == 1
                else None,
                meeting="IC-M1" if number <= 2 else None,
                stamp=t,
            ),
        )
    july = date(2026, 7, 3)
    step(july, lambda s, t: start_item(s, key="IC-2", stamp=t))
    step(
        july, lambda s, t: note_item(s, key="IC-2", text="Grid company surveyed\nthe site", stamp=t)
    )
    step(july, lambda s, t: block_item(s, key="IC-3", reason="Waiting for the ministry", stamp=t))
    step(july, lambda s, t: resolve_item(s, key="IC-4", how="Forty flats allocated", stamp=t))
    step(july, lambda s, t: resolve_item(s, key="IC-5", how="Permit issued", stamp=t))
    step(
        date(2026, 7, 10),
        lambda s, t: close_item(s, key="IC-5", by="Zhang Wei", feedback="satisfied", stamp=t),
    )
    step(july, lambda s, t: drop_item(s, key="IC-6", why="Enterprise withdrew", stamp=t))
    step(july, lambda s, t: resolve_item(s, key="IC-7", how="Temporary road", stamp=t))
    step(
        date(2026, 8, 31),
        lambda s, t: reopen_item(s, key="IC-7", why="Road flooded again", stamp=t),
    )
    step(
        date(2026, 8, 31),
        lambda s, t: edit_item(s, key="IC-1", due=date(2026, 9, 30), why="Survey late", stamp=t),
    )
    step(
        date(2026, 8, 31),
        lambda s, t: add_meeting(
            s,
            chain="IC",
            held_on=date(2026, 8, 31),
            kind="breakfast",
            summary="Breakfast with entrepreneurs",
            discusses=("IC-1", "IC-2"),
            figures=("output_value=-0.75",),
            stamp=t,
        ),
    )
    step(
        date(2026, 9, 1),
        lambda s, t: edit_meeting(s, key="IC-M1", summary="Packaging capacity, revised", stamp=t),
    )
    step(
        date(2026, 9, 15),
        lambda s, t: edit_chain(s, code="IC", leader="Sun Hao", stamp=t, new_person=True),
    )
    step(date(2026, 9, 15), lambda s, t: remove_member(s, code="IC", name="周兰", stamp=t))
    step(
        date(2026, 10, 1),
        lambda s, t: edit_chain(s, code="BIO", responsible="Xu Tao", stamp=t, new_person=True),
    )
    enterprises(step)
    step(date(2026, 10, 31), lambda s, t: archive_chain(s, code="BIO", stamp=t))


FIRST = "南京某科技有限公司"
SECOND = "Jiangning 'Precision' Materials Co."


def enterprises(step) -> None:  # noqa: ANN001
    """The registry's details, a second enterprise on IC-1, an item of two enterprises
    with a reference, and follow-ups: set aside, and of an item of no enterprise."""
    step(
        date(2026, 9, 20),
        lambda s, t: edit_enterprise(
            s,
            name=FIRST,
            short="某科技",
            credit_code="91320115MA1N2B3C4P",
            park="江宁开发区",
            above_scale=True,
            chains=("IC",),
            segment="upstream",
            lead=True,
            stamp=t,
        ),  # fmt: skip
    )
    step(
        date(2026, 9, 20),
        lambda s, t: add_enterprise(
            s,
            name=SECOND,
            credit_code="91320100MA1Y7K5P2M",
            contact="025-5555 0101",
            chains=("IC",),
            segment="midstream",
            stamp=t,
        ),  # fmt: skip
        hour=10,
    )
    step(
        date(2026, 9, 21),
        lambda s, t: link_enterprises(s, key="IC-1", enterprises=(SECOND,), stamp=t),
    )
    step(
        date(2026, 9, 21),
        lambda s, t: add_item(
            s,
            chain="IC",
            title="Shared test line for both",
            unit="District Development and Reform Bureau",
            new_unit=True,
            due=date(2026, 10, 21),
            enterprise=SECOND,
            enterprises=(FIRST,),
            reference="JN-2026-031",
            raised_on=date(2026, 9, 21),
            stamp=t,
        ),  # fmt: skip
        hour=11,
    )
    step(date(2026, 9, 24), lambda s, t: resolve_item(s, key="IC-8", how="Line shared", stamp=t))
    step(
        date(2026, 9, 25),
        lambda s, t: follow_up_item(
            s, key="IC-8", enterprise=FIRST, result="basically_satisfied", by="Zhang Wei", stamp=t
        ),
    )
    step(
        date(2026, 9, 26),
        lambda s, t: follow_up_item(
            s,
            key="IC-8",
            enterprise=SECOND,
            result="unsatisfied",
            by="Zhang Wei",
            note="Only two shifts a week",
            stamp=t,
        ),  # fmt: skip
    )
    step(
        date(2026, 9, 27),
        lambda s, t: close_item(
            s,
            key="IC-4",
            by="Zhang Wei",
            feedback="satisfied",
            note="Flats 'fine'",
            stamp=t,
        ),  # fmt: skip
    )


def export_text(database: Database, **options: object) -> str:
    parts: list[str] = []
    with database.transaction(write=False) as session:
        export_snapshot(session, write=parts.append, **options)  # type: ignore[arg-type]
    return "".join(parts)


def fresh_sqlite(template: Path, path: Path) -> Database:
    """Another initialised SQLite database beside the test's own."""
    shutil.copyfile(template, path)
    return open_database(str(path))


__all__ = ["at", "build_district", "export_text", "fresh_sqlite", "replace"]
