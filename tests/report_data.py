"""A small district with a known history, for the report tests.

Every figure the report tests assert was counted by hand from the story
below (see the comments in ``tests/test_report.py``). Each change is made
through the domain functions with the day it happened as ``Stamp.today``.

Chains: IC and BIO (created 2026-01-05), OLD (created 2026-01-05, archived
2026-09-15), NEW (created 2026-10-20, no meetings, no items).

Items (raised -> what happened), responsible institution in brackets:

- IC-1  raised 08-10, due 09-30, never moved                         [DRB]
- IC-2  raised 09-05, due 10-15, resolved on 10-01 (recorded 10-02)  [PSC]
- IC-3  raised 09-10, due 09-20, resolved on 10-31 (recorded 11-02)  [DRB]
- IC-4  raised 10-31, due 11-25                                      [PSC]
- IC-5  raised 09-01, due 09-30, resolved 09-25, reopened 10-05,
        resolved again 10-20                                         [SB]
- IC-6  raised 10-03, due 10-10, resolved 10-08, reopened 10-12,
        resolved again 10-14                                         [SB]
- IC-7  raised 09-15, due 10-15, dropped 10-25                       [SB]
- IC-8  raised 10-05, due 10-20, blocked 10-06                       [DRB]
- IC-9  raised 08-01, due 08-31; time limit moved on 11-05 to 12-31  [PSC]
- IC-10 raised 11-02, due 11-10                                      [PSC]
- BIO-1 raised 07-01, due 08-01, resolved on 09-30 (recorded 10-01),
        closed 10-03                                                 [SB]
- BIO-2 raised 10-01, due 10-31, resolved 10-01                      [DRB]
- BIO-3 raised 06-15, due 12-31, started 06-20                       [SB]
- OLD-1 raised 03-01, due 04-01, never moved                         [SB]

Meetings: IC scheduling 09-18 (figures) and 10-16 (figures, decisions), IC
breakfast 10-09; BIO scheduling 09-22 and a salon 10-12 (no scheduling
meeting in October); OLD scheduling 08-12.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

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
from chainlead.domain.chains import add_chain, archive_chain
from chainlead.domain.schedules import add_meeting
from chainlead.store.connection import Reader
from chainlead.store.database import Database

DRB = "District Development and Reform Bureau"
PSC = "State Grid Jiangning Power Supply Company"
SB = "District Science and Technology Bureau"


def on(day: str, hour: int = 10) -> Stamp:
    """A stamp for something done on ``day`` (at ``hour`` o'clock UTC)."""
    when = date.fromisoformat(day)
    return Stamp(actor="tester", at=datetime(when.year, when.month, when.day, hour), today=when)


def d(day: str) -> date:
    return date.fromisoformat(day)


def build_district(database: Database) -> None:
    """Write the whole story above: items in key order, then what happened, by date."""

    def step(do: Callable[[Reader], object]) -> None:
        with database.transaction(write=True) as session:
            do(session)

    for code, name, leader, responsible, day in (
        ("IC", "Integrated circuits", "Li Ming", "Zhang Wei", "2026-01-05"),
        ("BIO", "Biomedicine", "Chen Hua", "Huang Jing", "2026-01-05"),
        ("OLD", "Old textiles", "Ma Lin", "Gao Yan", "2026-01-05"),
        ("NEW", "New materials", "Zhou Gang", "Wu Lei", "2026-10-20"),
    ):
        step(
            lambda s, code=code, name=name, leader=leader, responsible=responsible, day=day: (
                add_chain(
                    s,
                    code=code,
                    name=name,
                    leader=leader,
                    responsible=responsible,
                    members=(f"{code} member",),
                    stamp=on(day),
                )
            )
        )

    for chain, title, unit, raised, due, enterprise in (
        ("IC", "Wafer fab power capacity", DRB, "2026-08-10", "2026-09-30", "SMIC Nanjing"),
        (
            "IC",
            "Customs pre-clearance for lithography parts",
            PSC,
            "2026-09-05",
            "2026-10-15",
            None,
        ),
        ("IC", "Talent apartment allocation", DRB, "2026-09-10", "2026-09-20", None),
        ("IC", "Second substation feeder", PSC, "2026-10-31", "2026-11-25", None),
        ("IC", "Clean-room water permit", SB, "2026-09-01", "2026-09-30", None),
        ("IC", "R&D subsidy application", SB, "2026-10-03", "2026-10-10", None),
        ("IC", "Pilot line land use", SB, "2026-09-15", "2026-10-15", None),
        ("IC", "Gas pipeline route approval", DRB, "2026-10-05", "2026-10-20", None),
        ("IC", "Dual power supply for packaging plant", PSC, "2026-08-01", "2026-08-31", None),
        ("IC", "Road access during construction", PSC, "2026-11-02", "2026-11-10", None),
        ("BIO", "Cold-chain warehouse land", SB, "2026-07-01", "2026-08-01", None),
        ("BIO", "Animal facility certification", DRB, "2026-10-01", "2026-10-31", None),
        ("BIO", "Clinical trial ward space", SB, "2026-06-15", "2026-12-31", None),
        ("OLD", "Dye works discharge permit", SB, "2026-03-01", "2026-04-01", None),
    ):
        step(
            lambda s, chain=chain, title=title, unit=unit, raised=raised, due=due, e=enterprise: (
                add_item(
                    s,
                    new_unit=True,
                    chain=chain,
                    title=title,
                    unit=unit,
                    due=d(due),
                    raised_on=d(raised),
                    enterprise=e,
                    stamp=on(raised, 8),
                )
            )
        )

    step(lambda s: start_item(s, key="BIO-3", stamp=on("2026-06-20")))
    step(
        lambda s: add_meeting(
            s,
            chain="OLD",
            month="2026-08",
            held_on=d("2026-08-12"),
            summary="Last meeting before the chain was merged",
            stamp=on("2026-08-12"),
        )
    )
    step(lambda s: archive_chain(s, code="OLD", stamp=on("2026-09-15")))
    step(
        lambda s: add_meeting(
            s,
            chain="IC",
            month="2026-09",
            held_on=d("2026-09-18"),
            summary="September scheduling",
            figures=("output_value=10.5:100M CNY", "new_projects=3"),
            stamp=on("2026-09-18"),
        )
    )
    step(
        lambda s: add_meeting(
            s,
            chain="BIO",
            month="2026-09",
            held_on=d("2026-09-22"),
            summary="September scheduling",
            stamp=on("2026-09-22"),
        )
    )
    step(lambda s: resolve_item(s, key="IC-5", how="Permit issued", stamp=on("2026-09-25")))
    step(
        lambda s: resolve_item(
            s,
            key="BIO-1",
            how="Land parcel B7 assigned",
            on=d("2026-09-30"),
            stamp=on("2026-10-01"),
        )
    )
    step(
        lambda s: resolve_item(
            s, key="BIO-2", how="Certified by the provincial bureau", stamp=on("2026-10-01", 15)
        )
    )
    step(
        lambda s: resolve_item(
            s,
            key="IC-2",
            how="Pre-clearance channel opened at Lukou airport",
            on=d("2026-10-01"),
            stamp=on("2026-10-02"),
        )
    )
    step(
        lambda s: close_item(
            s, key="BIO-1", by="Huang Jing", feedback="satisfied", stamp=on("2026-10-03")
        )
    )
    step(
        lambda s: reopen_item(
            s, key="IC-5", why="The permit covers only half the volume", stamp=on("2026-10-05")
        )
    )
    step(
        lambda s: block_item(
            s, key="IC-8", reason="Route crosses a reserve", stamp=on("2026-10-06")
        )
    )
    step(lambda s: resolve_item(s, key="IC-6", how="Subsidy paid", stamp=on("2026-10-08")))
    step(
        lambda s: add_meeting(
            s,
            chain="IC",
            kind="breakfast",
            month="2026-10",
            held_on=d("2026-10-09"),
            summary="Breakfast with packaging firms",
            stamp=on("2026-10-09"),
        )
    )
    step(lambda s: reopen_item(s, key="IC-6", why="Only the first tranche", stamp=on("2026-10-12")))
    step(
        lambda s: add_meeting(
            s,
            chain="BIO",
            kind="salon",
            month="2026-10",
            held_on=d("2026-10-12"),
            summary="Investor salon",
            stamp=on("2026-10-12"),
        )
    )
    step(lambda s: resolve_item(s, key="IC-6", how="Second tranche paid", stamp=on("2026-10-14")))
    step(
        lambda s: add_meeting(
            s,
            chain="IC",
            month="2026-10",
            held_on=d("2026-10-16"),
            chair="Li Ming",
            summary="October scheduling: power and permits",
            decisions=(
                "Power company to report feeder plan by 11-15",
                "Science bureau to split the water permit",
            ),
            attendees=("Zhang Wei", "IC member"),
            figures=("output_value=12.0:100M CNY", "new_projects=2", "investment=5"),
            discusses=("IC-1", "IC-5"),
            stamp=on("2026-10-16"),
        )
    )
    step(
        lambda s: resolve_item(
            s, key="IC-5", how="Full-volume permit issued", stamp=on("2026-10-20")
        )
    )
    step(
        lambda s: drop_item(
            s, key="IC-7", why="The enterprise chose another site", stamp=on("2026-10-25")
        )
    )
    step(
        lambda s: resolve_item(
            s,
            key="IC-3",
            how="Twenty apartments allocated",
            on=d("2026-10-31"),
            stamp=on("2026-11-02"),
        )
    )
    step(
        lambda s: edit_item(
            s,
            key="IC-9",
            due=d("2026-12-31"),
            why="Grid works rescheduled by the province",
            stamp=on("2026-11-05"),
        )
    )
