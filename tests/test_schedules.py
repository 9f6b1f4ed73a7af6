"""Meeting entries in the domain layer, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import TypeVar

import pytest
from conftest import TODAY

from chainlead.domain import Stamp
from chainlead.domain.bottlenecks import (
    add_item,
    block_item,
    close_item,
    item_detail,
    resolve_item,
    start_item,
)
from chainlead.domain.chain_views import leader_on
from chainlead.domain.chains import add_chain, archive_chain, edit_chain
from chainlead.domain.schedule_views import agenda, list_meetings, meeting_detail, missing_meetings
from chainlead.domain.schedules import add_meeting, edit_meeting, parse_figure
from chainlead.errors import (
    ChainNotFound,
    InvalidInput,
    ItemNotFound,
    MeetingNotFound,
    PersonNotFound,
    RuleViolation,
)
from chainlead.store.connection import Reader
from chainlead.store.database import Database

T = TypeVar("T")


def at(day: date, stamp: Stamp) -> Stamp:
    return replace(stamp, today=day, at=datetime.combine(day, stamp.at.time()))


def make_chain(
    database: Database,
    stamp: Stamp,
    code: str = "IC",
    leader: str = "Li Ming",
    *,
    earlier: bool = True,
) -> None:
    with database.transaction(write=True) as session:
        add_chain(
            session,
            code=code,
            name=f"Chain {code}",
            leader=leader,
            responsible=f"Responsible {code}",
            members=(f"Member {code}",),
            # set up in January, before its meetings and items, unless the test dates it
            stamp=at(date(2026, 1, 5), stamp) if earlier and stamp.today == TODAY else stamp,
        )


def make_item(
    database: Database,
    stamp: Stamp,
    chain: str = "IC",
    due: date = date(2026, 12, 31),
    title: str = "Power capacity for the packaging line",
) -> str:
    with database.transaction(write=True) as session:
        item = add_item(
            session,
            new_unit=True,
            chain=chain,
            title=title,
            unit="District Development and Reform Bureau",
            due=due,
            raised_on=date(2026, 10, 1),
            stamp=stamp,
        )
    return item.key


def write(database: Database, action: Callable[[Reader], T]) -> T:
    with database.transaction(write=True) as session:
        return action(session)


def read(database: Database, action: Callable[[Reader], T]) -> T:
    with database.transaction(write=False) as session:
        return action(session)


def counts(database: Database) -> tuple[int, int, int, int]:
    """Meetings, links, events and the next meeting number of IC: all must stay put."""
    with database.transaction(write=False) as session:
        return (
            session.rows("SELECT count(*) FROM meeting")[0][0],
            session.rows("SELECT count(*) FROM meeting_item")[0][0],
            session.rows("SELECT count(*) FROM event")[0][0],
            session.rows("SELECT next_meeting_no FROM chain WHERE code = 'IC'")[0][0],
        )


@pytest.fixture
def ic(database: Database, stamp: Stamp) -> Database:
    make_chain(database, stamp)
    return database


def test_add_meeting_records_everything_and_links_items(ic: Database, stamp: Stamp) -> None:
    raised = make_item(ic, stamp)
    moved = make_item(ic, stamp, title="Talent housing")
    detail = write(
        ic,
        lambda s: add_meeting(
            s,
            chain="ic",
            month="2026-11",
            held_on=date(2026, 11, 18),
            summary="Packaging capacity and talent housing",
            decisions=("Add a second feeder by January", "Open 40 talent flats"),
            attendees=("Zhang Wei", "Wang Fang", "Zhang Wei"),
            figures=("output_value=12.50:100M CNY", "new_projects=3", "growth=-1.5e1:%"),
            raises=(raised.lower(),),
            discusses=(moved,),
            stamp=stamp,
        ),
    )
    assert detail.key == "IC-M1"
    assert (detail.chain, detail.kind, detail.month) == ("IC", "scheduling", "2026-11")
    assert detail.held_on == date(2026, 11, 18)
    assert detail.chair == "Li Ming"  # the chain leader by default
    assert detail.decisions == ("Add a second feeder by January", "Open 40 talent flats")
    assert detail.attendees == ("Zhang Wei", "Wang Fang")
    assert [(f.name, f.value, f.unit) for f in detail.figures] == [
        ("output_value", "12.50", "100M CNY"),
        ("new_projects", "3", None),
        ("growth", "-15", "%"),
    ]
    assert [(i.key, i.relation, i.light) for i in detail.items] == [
        (raised, "raised", "green"),
        (moved, "discussed", "green"),
    ]
    assert [(h.kind, h.item, h.field) for h in detail.history] == [
        ("created", None, None),
        ("linked", raised, "raised"),
        ("linked", moved, "discussed"),
    ]
    # the item's own history names the meeting, in the shared format
    item = read(ic, lambda s: item_detail(s, key=raised, today=stamp.today))
    linked = [e for e in item.history if e.kind == "linked"]
    assert [(e.field, e.text, e.meeting) for e in linked] == [("raised", "IC-M1", "IC-M1")]
    assert [(m.key, m.relation) for m in item.meetings] == [("IC-M1", "raised")]


def test_keys_count_up_per_chain_and_are_never_reused(ic: Database, stamp: Stamp) -> None:
    make_chain(ic, stamp, code="SA", leader="Sun Hao")
    keys = [
        write(ic, lambda s, c=c: add_meeting(s, chain=c, stamp=stamp)).key
        for c in ("IC", "IC", "SA", "ic")
    ]
    assert keys == ["IC-M1", "IC-M2", "SA-M1", "IC-M3"]
    # a refused entry does not use up a number
    with pytest.raises(InvalidInput), ic.transaction(write=True) as session:
        add_meeting(session, chain="IC", figures=("x=abc",), stamp=stamp)
    assert write(ic, lambda s: add_meeting(s, chain="IC", stamp=stamp)).key == "IC-M4"


def test_held_on_defaults_to_today_and_month_follows(ic: Database, stamp: Stamp) -> None:
    detail = write(ic, lambda s: add_meeting(s, chain="IC", kind="salon", stamp=stamp))
    assert (detail.held_on, detail.month, detail.kind) == (stamp.today, "2026-11", "salon")
    detail = write(
        ic, lambda s: add_meeting(s, chain="IC", held_on=date(2026, 10, 30), stamp=stamp)
    )
    assert detail.month == "2026-10"


def test_chair_defaults_to_the_leader_on_the_day(database: Database, stamp: Stamp) -> None:
    make_chain(database, at(date(2026, 9, 1), stamp))
    write(
        database,
        lambda s: edit_chain(
            s, code="IC", leader="Sun Hao", stamp=at(date(2026, 11, 10), stamp), new_person=True
        ),
    )

    def chair(day: date) -> str | None:
        return write(
            database,
            lambda s: add_meeting(s, chain="IC", held_on=day, stamp=stamp, backdate=True),
        ).chair

    assert chair(date(2026, 8, 20)) == "Li Ming"  # before any record: the first leader
    assert chair(date(2026, 11, 9)) == "Li Ming"
    assert chair(date(2026, 11, 10)) == "Sun Hao"  # the handover day belongs to the new one
    assert chair(date(2026, 11, 20)) == "Sun Hao"
    named = write(
        database, lambda s: add_meeting(s, chain="IC", chair="Responsible IC", stamp=stamp)
    )
    assert named.chair == "Responsible IC"
    with database.transaction(write=False) as session:
        chain_id = session.rows("SELECT id FROM chain WHERE code = 'IC'")[0][0]
        assert leader_on(session, chain_id=chain_id, day=date(2026, 10, 1)).name == "Li Ming"


@pytest.mark.parametrize(
    ("options", "error", "fragments"),
    [
        ({"month": "2026-13", "held_on": date(2026, 11, 1)}, InvalidInput, ("--month", "YYYY-MM")),
        (
            {"month": "2026-11", "held_on": date(2026, 10, 31)},
            InvalidInput,
            ("--held-on", "2026-11"),
        ),
        ({"held_on": date(2026, 11, 22)}, InvalidInput, ("--held-on", "on or before today")),
        ({"month": "2026-10"}, InvalidInput, ("--held-on", "2026-10")),
        ({"month": "2026-12", "held_on": date(2026, 12, 1)}, InvalidInput, ("--held-on",)),
        ({"chair": "Nobody Known"}, PersonNotFound, ("Nobody Known",)),
        ({"figures": ("x=abc",)}, InvalidInput, ("--figure", "x: expected a number", "abc")),
        ({"figures": ("x=NaN",)}, InvalidInput, ("--figure",)),
        ({"figures": ("x=",)}, InvalidInput, ("--figure",)),
        ({"figures": ("=3",)}, InvalidInput, ("--figure", "name")),
        ({"figures": ("output",)}, InvalidInput, ("--figure", "NAME=NUMBER")),
        ({"figures": ("a=1", "A=2")}, InvalidInput, ("--figure", "twice")),
        ({"kind": "dinner"}, InvalidInput, ("--kind", "scheduling")),
        ({"decisions": ("  ",)}, InvalidInput, ("--decision", "empty")),
        ({"summary": "bad \x1b[31m"}, InvalidInput, ("--summary", "control")),
        ({"raises": ("IC-99",)}, ItemNotFound, ("IC-99",)),
        ({"raises": ("IC12x",)}, InvalidInput, ("--raises", "IC-12")),
    ],
)
def test_refused_entries_write_nothing(
    ic: Database, stamp: Stamp, options: dict, error: type, fragments: tuple[str, ...]
) -> None:
    before = counts(ic)
    with pytest.raises(error) as caught, ic.transaction(write=True) as session:
        add_meeting(session, chain="IC", stamp=stamp, **options)
    for fragment in fragments:
        assert fragment in str(caught.value)
    assert counts(ic) == before


def test_links_must_be_on_the_same_chain(ic: Database, stamp: Stamp) -> None:
    make_chain(ic, stamp, code="SA", leader="Sun Hao")
    own = make_item(ic, stamp)
    other = make_item(ic, stamp, chain="SA")
    before = counts(ic)
    with pytest.raises(RuleViolation) as caught, ic.transaction(write=True) as session:
        add_meeting(session, chain="IC", raises=(own,), discusses=(other,), stamp=stamp)
    assert "--discusses: item SA-1 belongs to chain SA, not IC" in str(caught.value)
    with pytest.raises(InvalidInput, match="both"), ic.transaction(write=True) as session:
        add_meeting(session, chain="IC", raises=(own,), discusses=(own,), stamp=stamp)
    assert counts(ic) == before


def test_an_item_is_raised_at_one_meeting_only(ic: Database, stamp: Stamp) -> None:
    key = make_item(ic, stamp)
    write(ic, lambda s: add_meeting(s, chain="IC", raises=(key,), stamp=stamp))
    with pytest.raises(RuleViolation, match="first raised at IC-M1"):
        write(ic, lambda s: add_meeting(s, chain="IC", raises=(key,), stamp=stamp))
    later = write(ic, lambda s: add_meeting(s, chain="IC", discusses=(key,), stamp=stamp))
    assert [(i.key, i.relation) for i in later.items] == [(key, "discussed")]


def test_archived_and_unknown_chains_are_refused(ic: Database, stamp: Stamp) -> None:
    write(ic, lambda s: add_meeting(s, chain="IC", stamp=stamp))
    write(ic, lambda s: archive_chain(s, code="IC", stamp=stamp))
    before = counts(ic)
    with pytest.raises(RuleViolation, match="archived"), ic.transaction(write=True) as session:
        add_meeting(session, chain="IC", stamp=stamp)
    with pytest.raises(RuleViolation, match="archived"), ic.transaction(write=True) as session:
        edit_meeting(session, key="IC-M1", summary="late fix", stamp=stamp)
    with pytest.raises(ChainNotFound, match="did you mean IC"), ic.transaction(write=True) as s:
        add_meeting(s, chain="IC1", stamp=stamp)
    assert counts(ic) == before
    # the record stays readable
    assert read(ic, lambda s: meeting_detail(s, key="ic-m1", today=stamp.today)).key == "IC-M1"


def test_parse_figure_keeps_exact_decimal_text() -> None:
    assert parse_figure("output_value=0.1").value == "0.1"
    assert parse_figure(" revenue = 1e3 : 10k CNY").value == "1000"
    assert parse_figure("revenue=1e3:10k CNY").unit == "10k CNY"
    assert parse_figure("rate=+7.250").value == "7.250"
    for bad in ("x=1,000", "x=inf", "x=12abc", "x=1" + "0" * 40):
        with pytest.raises(InvalidInput, match="--figure"):
            parse_figure(bad)


def test_edit_keeps_history_with_old_and_new(ic: Database, stamp: Stamp) -> None:
    first = make_item(ic, stamp)
    second = make_item(ic, stamp, title="Talent housing")
    write(
        ic,
        lambda s: add_meeting(
            s,
            chain="IC",
            held_on=date(2026, 11, 18),
            decisions=("Add a feeder",),
            attendees=("Zhang Wei",),
            figures=("output_value=12.5:100M CNY", "new_projects=3"),
            raises=(first,),
            stamp=stamp,
        ),
    )
    later = at(date(2026, 11, 21), replace(stamp, actor="secretary"))
    detail, changed = write(
        ic,
        lambda s: edit_meeting(
            s,
            key="ic-m1",
            held_on=date(2026, 10, 28),
            chair="Responsible IC",
            summary="Corrected minutes",
            decisions=("Add a feeder", "Ask the grid company for a date"),
            figures=("new_projects=4", "investment=2.5"),
            drop_figures=("OUTPUT_VALUE",),
            discusses=(second,),
            unlink=(first,),
            reason="minutes corrected",
            stamp=later,
        ),
    )
    assert changed == 10  # eight field changes, one link removed, one added
    assert (detail.month, detail.held_on, detail.chair) == (
        "2026-10",
        date(2026, 10, 28),
        "Responsible IC",
    )
    assert detail.decisions == ("Add a feeder", "Ask the grid company for a date")
    assert detail.attendees == ("Zhang Wei",)
    assert [(f.name, f.value) for f in detail.figures] == [
        ("new_projects", "4"),
        ("investment", "2.5"),
    ]
    assert [(i.key, i.relation) for i in detail.items] == [(second, "discussed")]
    edits = [(h.field, h.old, h.new) for h in detail.history if h.kind == "edited"]
    assert edits == [
        ("month", "2026-11", "2026-10"),
        ("held_on", "2026-11-18", "2026-10-28"),
        ("chair", "Li Ming", "Responsible IC"),
        ("summary", None, "Corrected minutes"),
        ("decisions", "Add a feeder", "Add a feeder\nAsk the grid company for a date"),
        ("figure", "output_value=12.5 100M CNY", None),
        ("figure", "new_projects=3", "new_projects=4"),
        ("figure", None, "investment=2.5"),
    ]
    assert {h.actor for h in detail.history if h.kind in ("edited", "unlinked")} == {"secretary"}
    assert {h.text for h in detail.history if h.kind == "edited"} == {"minutes corrected"}
    unlinked = [h for h in detail.history if h.kind == "unlinked"]
    assert [(h.item, h.field, h.text) for h in unlinked] == [
        (first, "raised", "raised at IC-M1: minutes corrected")
    ]
    item = read(ic, lambda s: item_detail(s, key=first, today=stamp.today))
    assert item.meetings == ()
    assert [e.kind for e in item.history][-2:] == ["linked", "unlinked"]
    # the same values again change nothing and write nothing
    before = counts(ic)
    _, again = write(
        ic,
        lambda s: edit_meeting(
            s, key="IC-M1", chair="Responsible IC", figures=("new_projects=4",), stamp=later
        ),
    )
    assert again == 0
    assert counts(ic) == before


@pytest.mark.parametrize(
    ("options", "error", "fragment"),
    [
        ({"month": "2026-10"}, InvalidInput, "--held-on"),
        ({"held_on": date(2026, 12, 1)}, InvalidInput, "on or before today"),
        ({"month": "2026-00"}, InvalidInput, "--month"),
        ({"chair": "Nobody"}, PersonNotFound, "Nobody"),
        ({"figures": ("new_projects=many",)}, InvalidInput, "--figure"),
        ({"drop_figures": ("missing",)}, InvalidInput, "no figure 'missing'"),
        ({"unlink": ("IC-9",)}, InvalidInput, "IC-9 is not linked"),
        ({"discusses": ("SA-1",)}, RuleViolation, "belongs to chain SA"),
        ({"raises": ("IC-1",)}, RuleViolation, "already linked to IC-M1 as discussed"),
        ({"summary": "x", "discusses": ("IC-404",)}, ItemNotFound, "IC-404"),
    ],
)
def test_refused_edits_write_nothing(
    ic: Database, stamp: Stamp, options: dict, error: type, fragment: str
) -> None:
    make_chain(ic, stamp, code="SA", leader="Sun Hao")
    make_item(ic, stamp)
    make_item(ic, stamp, chain="SA")
    write(
        ic,
        lambda s: add_meeting(
            s,
            chain="IC",
            held_on=date(2026, 11, 18),
            figures=("new_projects=3",),
            discusses=("IC-1",),
            stamp=stamp,
        ),
    )
    before = counts(ic)
    with pytest.raises(error, match=fragment), ic.transaction(write=True) as session:
        edit_meeting(session, key="IC-M1", stamp=stamp, **options)
    assert counts(ic) == before
    with pytest.raises(MeetingNotFound), ic.transaction(write=True) as session:
        edit_meeting(session, key="IC-M7", summary="x", stamp=stamp)


def test_list_meetings_filters_and_orders(ic: Database, stamp: Stamp) -> None:
    make_chain(ic, stamp, code="AI", leader="Wang Jun")
    for chain, day, kind in (
        ("IC", date(2026, 11, 18), "scheduling"),
        ("IC", date(2026, 9, 10), "scheduling"),
        ("AI", date(2026, 11, 20), "scheduling"),
        ("IC", date(2026, 11, 5), "breakfast"),
        ("IC", date(2026, 10, 12), "visit"),
    ):
        write(
            ic,
            lambda s, c=chain, d=day, k=kind: add_meeting(
                s, chain=c, held_on=d, kind=k, stamp=stamp
            ),
        )
    every = read(ic, lambda s: list_meetings(s))
    assert [(m.key, m.month) for m in every] == [
        ("IC-M2", "2026-09"),
        ("IC-M4", "2026-10"),
        ("AI-M1", "2026-11"),
        ("IC-M3", "2026-11"),  # held earlier in the month than IC-M1
        ("IC-M1", "2026-11"),
    ]
    assert [m.key for m in read(ic, lambda s: list_meetings(s, chain="ic", month="2026-11"))] == [
        "IC-M3",
        "IC-M1",
    ]
    ranged = read(ic, lambda s: list_meetings(s, from_month="2026-10", to_month="2026-10"))
    assert [m.key for m in ranged] == ["IC-M4"]
    assert [m.key for m in read(ic, lambda s: list_meetings(s, to_month="2026-09"))] == ["IC-M2"]
    assert [m.key for m in read(ic, lambda s: list_meetings(s, kind="breakfast"))] == ["IC-M3"]
    first = every[-1]
    assert (first.chair, first.decisions, first.raised, first.discussed) == ("Li Ming", 0, 0, 0)
    with pytest.raises(InvalidInput, match="not both"), ic.transaction(write=False) as s:
        list_meetings(s, month="2026-11", from_month="2026-10")
    with pytest.raises(InvalidInput, match="--from"), ic.transaction(write=False) as s:
        list_meetings(s, from_month="2026-11", to_month="2026-10")
    with pytest.raises(InvalidInput, match="--to"), ic.transaction(write=False) as s:
        list_meetings(s, to_month="2026-1")


def test_missing_meetings_across_archived_chains_and_months(
    database: Database, stamp: Stamp
) -> None:
    october = at(date(2026, 10, 2), stamp)
    for code, leader in (("AI", "Wang Jun"), ("BIO", "Chen Hua"), ("IC", "Li Ming")):
        make_chain(database, october, code=code, leader=leader)
    make_chain(database, stamp, code="NEW", leader="Late Starter", earlier=False)  # on 11-21
    make_chain(database, october, code="OLD", leader="Gone Soon")
    write(database, lambda s: archive_chain(s, code="OLD", stamp=stamp))

    def add(chain: str, day: date, kind: str = "scheduling") -> None:
        write(database, lambda s: add_meeting(s, chain=chain, held_on=day, kind=kind, stamp=stamp))

    add("IC", date(2026, 10, 15))
    add("IC", date(2026, 11, 3))
    add("IC", date(2026, 11, 19))  # a follow-up meeting the same month
    add("AI", date(2026, 11, 12), kind="breakfast")  # does not count for the duty
    add("BIO", date(2026, 10, 20))
    add("BIO", date(2026, 11, 20))

    def missing(month: str) -> list[tuple[str, str | None, str | None]]:
        rows = read(database, lambda s: missing_meetings(s, month=month))
        return [(r.chain, r.leader, r.last_meeting) for r in rows]

    # November: AI only had a breakfast meeting, NEW joined this month and is expected,
    # OLD is archived.
    assert missing("2026-11") == [("AI", "Wang Jun", None), ("NEW", "Late Starter", None)]
    # October: NEW did not exist yet; OLD was still active then and missed it.
    assert missing("2026-10") == [("AI", "Wang Jun", None), ("OLD", "Gone Soon", None)]
    # September: no chain existed yet.
    assert missing("2026-09") == []
    # December: nobody has met yet; the last scheduling meeting is named.
    december = read(database, lambda s: missing_meetings(s, month="2026-12"))
    assert [(r.chain, r.last_meeting, r.last_held_on) for r in december] == [
        ("AI", None, None),
        ("BIO", "BIO-M2", date(2026, 11, 20)),
        ("IC", "IC-M3", date(2026, 11, 19)),
        ("NEW", None, None),
    ]
    assert {r.month for r in december} == {"2026-12"}
    with pytest.raises(InvalidInput, match="--month"), database.transaction(write=False) as s:
        missing_meetings(s, month="2026-13")


def test_meeting_detail_shows_current_lights(ic: Database, stamp: Stamp) -> None:
    overdue = make_item(ic, stamp, due=date(2026, 11, 10))
    soon = make_item(ic, stamp, due=date(2026, 11, 25))
    done = make_item(ic, stamp, due=date(2026, 11, 30))
    write(ic, lambda s: add_meeting(s, chain="IC", discusses=(overdue, soon, done), stamp=stamp))
    write(ic, lambda s: resolve_item(s, key=done, how="Feeder added", stamp=stamp))
    detail = read(ic, lambda s: meeting_detail(s, key="IC-M1", today=stamp.today))
    assert [(i.key, i.status, i.light) for i in detail.items] == [
        (overdue, "open", "red"),
        (soon, "open", "yellow"),
        (done, "resolved", "on_time"),
    ]
    wider = read(ic, lambda s: meeting_detail(s, key="IC-M1", today=stamp.today, warning_days=2))
    assert [i.light for i in wider.items][1] == "green"
    with pytest.raises(MeetingNotFound), ic.transaction(write=False) as s:
        meeting_detail(s, key="IC-M2", today=stamp.today)
    with pytest.raises(InvalidInput, match="IC-M3"), ic.transaction(write=False) as s:
        meeting_detail(s, key="IC-3", today=stamp.today)


def test_agenda_prepares_the_next_meeting(ic: Database, stamp: Stamp) -> None:
    october = at(date(2026, 10, 5), stamp)
    red = make_item(ic, october, due=date(2026, 11, 10), title="Overdue power")
    yellow = make_item(ic, october, due=date(2026, 11, 26), title="Housing soon")
    green = make_item(ic, october, due=date(2027, 3, 1), title="Green land")
    blocked = make_item(ic, october, due=date(2026, 11, 15), title="Blocked permit")
    old_fix = make_item(ic, october, title="Resolved before the meeting")
    new_fix = make_item(ic, october, title="Resolved since")
    signed = make_item(ic, october, title="Signed off")
    write(
        ic,
        lambda s: add_meeting(
            s,
            chain="IC",
            held_on=date(2026, 10, 20),
            decisions=("Old decision",),
            stamp=at(date(2026, 10, 25), stamp),
        ),
    )
    write(
        ic,
        lambda s: resolve_item(
            s, key=old_fix, how="Done early", stamp=at(date(2026, 11, 1), stamp)
        ),
    )
    write(
        ic,
        lambda s: add_meeting(
            s,
            chain="IC",
            held_on=date(2026, 11, 5),
            decisions=("Grid company to report by 15 November", "Permit office to meet the firm"),
            raises=(green,),
            discusses=(blocked, new_fix),
            stamp=stamp,
        ),
    )
    write(
        ic,
        lambda s: add_meeting(s, chain="IC", held_on=date(2026, 11, 12), kind="salon", stamp=stamp),
    )
    write(ic, lambda s: start_item(s, key=blocked, stamp=stamp))
    write(ic, lambda s: block_item(s, key=blocked, reason="Waiting for the province", stamp=stamp))
    write(ic, lambda s: resolve_item(s, key=new_fix, how="Line connected", stamp=stamp))
    write(ic, lambda s: resolve_item(s, key=signed, how="Paid", stamp=stamp))
    write(
        ic,
        lambda s: close_item(s, key=signed, by="Responsible IC", feedback="satisfied", stamp=stamp),
    )
    result = read(ic, lambda s: agenda(s, chain="ic", today=stamp.today))
    assert (result.chain, result.leader, result.today) == ("IC", "Li Ming", stamp.today)
    assert result.last_meeting.key == "IC-M2"  # the salon does not count
    assert [a.key for a in result.red] == [red]
    assert [a.key for a in result.yellow] == [yellow]
    assert [(a.key, a.light, a.status_reason) for a in result.blocked] == [
        (blocked, "red", "Waiting for the province")
    ]
    assert [(a.key, a.resolved_on) for a in result.awaiting_signoff] == [
        (old_fix, date(2026, 11, 1)),
        (new_fix, stamp.today),
    ]
    assert result.last_decisions == (
        "Grid company to report by 15 November",
        "Permit office to meet the firm",
    )
    assert [(a.key, a.relation, a.status, a.resolution) for a in result.last_items] == [
        (green, "raised", "open", None),
        (blocked, "discussed", "blocked", None),
        (new_fix, "discussed", "resolved", "Line connected"),
    ]


def test_agenda_without_meetings_or_items(ic: Database, stamp: Stamp) -> None:
    result = read(ic, lambda s: agenda(s, chain="IC", today=stamp.today))
    assert result.last_meeting is None
    assert (result.red, result.yellow, result.blocked, result.last_items) == ((), (), (), ())
    with pytest.raises(ChainNotFound), ic.transaction(write=False) as s:
        agenda(s, chain="XX", today=stamp.today)


def test_concurrent_entries_get_distinct_numbers(ic: Database, stamp: Stamp) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def add_some(_: int) -> list[str]:
        keys = []
        for _ in range(5):
            with ic.transaction(write=True) as session:
                keys.append(add_meeting(session, chain="IC", stamp=stamp).key)
        return keys

    with ThreadPoolExecutor(max_workers=4) as pool:
        keys = [k for batch in pool.map(add_some, range(4)) for k in batch]
    assert sorted(keys, key=lambda k: int(k[4:])) == [f"IC-M{n}" for n in range(1, 21)]
    assert counts(ic)[3] == 21
