"""Property tests: any text and any dates survive the canonical writer and a full
export -> import -> export round trip byte for byte; a 10k-item snapshot imports
and exports unchanged."""

from __future__ import annotations

import calendar
import itertools
import tomllib
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random

import pytest
from helpers import assert_refused, unchained
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from snapshot_data import at, export_text, fresh_sqlite
from typer.testing import CliRunner

from chainlead import __version__
from chainlead.cli import app
from chainlead.domain.bottlenecks import add_item, note_item, resolve_item
from chainlead.domain.chains import add_chain, add_member
from chainlead.domain.schedules import add_meeting
from chainlead.snapshot.canonical import parse_canonical
from chainlead.snapshot.merge import import_snapshot
from chainlead.snapshot.reader import read_snapshot
from chainlead.snapshot.schema import (
    ASSIGNMENT,
    CHAIN,
    CHAIN_LINK,
    ENTERPRISE,
    ENTERPRISE_LINK,
    FOLLOW_UP,
    ITEM,
    ITEM_EVENT,
    MEMBERSHIP,
    MILESTONE,
    PERSON,
    PLACEMENT,
    PLAIN_EVENT,
    PROGRESS,
    PROJECT,
    PROJECT_EVENT,
    RAISER,
    TARGET,
    UNIT,
)
from chainlead.snapshot.writer import Writer, format_datetime, format_string

# Text a user can store: no control characters but newline and tab, no surrogates.
LINE = st.characters(blacklist_categories=("Cc", "Cs"))
SPICE = st.sampled_from(["'", '"', "\\", "'''", '"""', "\\n", "#", "=", "[[x]]", "😀", "集成电路"])


def texts(*, multiline: bool, min_size: int = 1, max_size: int = 120) -> st.SearchStrategy[str]:
    pieces = st.one_of(LINE, SPICE, st.just("\n") if multiline else LINE, st.just("\t"))
    return (
        st.lists(pieces, min_size=min_size, max_size=max_size)
        .map("".join)
        .map(lambda s: s if multiline else s.replace("\n", " ").replace("\t", " "))
        .map(str.strip)
        .filter(bool)
    )


@given(st.text())
def test_every_string_reads_back_exactly(value: str) -> None:
    text = f"x = {format_string(value)}\n"
    assert tomllib.loads(text)["x"] == value
    assert parse_canonical(text) == {"x": value}


VALUES = st.one_of(
    st.text(),
    st.dates(),
    st.datetimes(min_value=datetime(1900, 1, 1)),
    st.integers(-(2**63), 2**63 - 1),
)
KEYS = st.sampled_from(["uuid", "name", "text", "at", "due", "next_item_no"])


RECORDS = st.dictionaries(KEYS, VALUES, max_size=4)
TREES = st.lists(
    st.tuples(RECORDS, st.lists(st.tuples(RECORDS, st.lists(RECORDS, max_size=3)), max_size=3)),
    max_size=3,
)


@given(st.lists(RECORDS, max_size=3), TREES, st.sampled_from([1, 2]))
def test_the_fast_reader_reads_what_the_writer_writes_as_tomllib_does(
    people,  # noqa: ANN001
    chains,  # noqa: ANN001
    version: int,
) -> None:
    out = Writer()
    out.keys({"format": "chainlead-snapshot", "format_version": 1}, ("format", "format_version"))
    for person in people:
        out.table("people", person, tuple(person))
    for chain, items in chains:
        out.table("chains", chain, tuple(chain))
        for item, history in items:
            item = {key: value for key, value in item.items() if key != "history"}
            out.table("chains.items", item, tuple(item))
            events = [event for event in history if event]
            if version == 1:
                for event in events:
                    out.table("chains.items.history", event, tuple(event))
            else:  # inline tables, one a line (no empty ones: the writer never has them)
                out.lines("history", [out.inline(event, tuple(event)) for event in events])
    text = out.text()
    assert parse_canonical(text) == tomllib.loads(text)


TOMLISH = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "[[a]]",
                "[[a.b]]",
                "[a]",
                "[[a]",
                "x = 1",
                "x = 01",
                "x = -0",
                "y = 'q'",
                "y = 'q''",
                'z = "\\u00e9"',
                'z = "\\ud800"',
                'z = "a\\"',
                "w = '''",
                "'''",
                "abc'''",
                "d = 2026-02-30",
                "d = 2026-02-28",
                "t = 2026-01-01T00:00:00Z",
                "t = 2026-01-01T00:00:00.1234567Z",
                "# c",
                "x=1",
                " x = 1",
                "x = 1 ",
                "a.b = 1",
                "",
                "h = [",
                "links = [",
                "]",
                " ]",
                "    { a = 1 },",
                "    { a = 'x', b = 2026-01-01 },",
                "    { uuid = 'u', at = 2026-01-01T00:00:00Z },",
                "    {a = 1},",
                "    { a = 1, a = 2 },",
                '    { a = "q\\"" },',
                "    { a = 'x' }",
                "    { },",
            ]
        ),
        st.text(max_size=12),
    ),
    max_size=12,
).map("\n".join)


@settings(max_examples=1000)
@given(TOMLISH)
def test_the_fast_reader_never_disagrees_with_tomllib(text: str) -> None:
    fast = parse_canonical(text)
    if fast is None:
        return  # left to tomllib
    assert fast == tomllib.loads(text)


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31)),
)
def test_every_time_reads_back_as_utc(value: datetime) -> None:
    parsed = tomllib.loads(f"x = {format_datetime(value)}\n")["x"]
    assert parsed == value.replace(tzinfo=UTC)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


DAYS = st.builds(month_end, st.integers(2024, 2028), st.integers(1, 12)) | st.dates(
    min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)
)

_counter = itertools.count()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=texts(multiline=False, max_size=60),
    description=texts(multiline=True, max_size=400),
    person=texts(multiline=False, max_size=40),
    title=texts(multiline=False, max_size=100),
    detail=texts(multiline=True, min_size=200, max_size=2000),
    note=texts(multiline=True),
    decision=texts(multiline=False),
    raised=DAYS,
    days=st.integers(0, 400),
)
def test_round_trip_of_any_text_and_dates(
    tmp_path: Path,
    template_db: Path,
    name: str,
    description: str,
    person: str,
    title: str,
    detail: str,
    note: str,
    decision: str,
    raised: date,
    days: int,
) -> None:
    n = next(_counter)
    source = fresh_sqlite(template_db, tmp_path / f"a{n}.db")
    target = fresh_sqlite(template_db, tmp_path / f"b{n}.db")
    try:
        due = raised + timedelta(days=days)
        stamp = at(raised)
        with source.transaction(write=True) as session:
            add_chain(
                session, code="IC", name=name, leader="Li Ming", responsible="Zhang Wei",
                description=description, stamp=stamp,
            )  # fmt: skip
            if person not in ("Li Ming", "Zhang Wei"):
                add_member(session, code="IC", name=person, unit=name, stamp=stamp, new_person=True)
            add_meeting(
                session, chain="IC", held_on=raised, summary=description,
                decisions=(decision,), attendees=(person,), stamp=stamp,
            )  # fmt: skip
            item = add_item(
                session, new_unit=True, chain="IC", title=title, unit=name, due=due,
                raised_on=raised, detail=detail, enterprise=person, meeting="IC-M1", stamp=stamp,
            )  # fmt: skip
            note_item(session, key=item.key, text=note, stamp=stamp)
            resolve_item(session, key=item.key, how=note, on=due, stamp=at(due))
        first = export_text(source, district=name)
        snapshot = read_snapshot(first.encode(), "snap.toml")
        with target.transaction(write=True) as session:
            import_snapshot(session, snapshot, name="snap.toml")
        assert export_text(target, district=name) == first
    finally:
        source.dispose()
        target.dispose()


# ------------------------------------------------------------------ 10k items


FIRST, SECOND = "南京某科技有限公司", "江宁某材料有限公司"  # the enterprises of format 4


def generated_snapshot(items: int, *, chains: int = 8, seed: int = 7, version: int = 5) -> str:
    """A canonical snapshot written directly: what export must give back byte for byte.

    ``version=1`` spells the same data as format version 1 did (every event
    and link its own table), which import still reads; version 3 adds the unit,
    each item's clock and its lead assignment with its ``assigned`` event (their
    uuids drawn apart, so that the versions share every other value); version 4
    the enterprises (every item raised by one, a fifth by two), their places on the
    chains, references and a follow-up of each resolved item (drawn apart again);
    version 5 each chain's map of three links (the first enterprise on one), two targets,
    a project for every ten items with progress reports, milestones and history, and
    items naming a link or a project (drawn apart once more).
    """
    rng = Random(seed)
    loop = Random(seed + 1)

    def new_uuid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def loop_uuid() -> str:
        return str(uuid.UUID(int=loop.getrandbits(128), version=4))

    registry = Random(seed + 2)

    def registry_uuid() -> str:
        return str(uuid.UUID(int=registry.getrandbits(128), version=4))

    plans = Random(seed + 3)

    def plan_uuid() -> str:
        return str(uuid.UUID(int=plans.getrandbits(128), version=4))

    base = datetime(2025, 1, 6, 8, 0)
    names = sorted(f"{surname}{given}" for surname in "王李张刘陈杨" for given in "伟芳娜敏静")
    people = [
        {"uuid": new_uuid(), "name": name, "unit": "区发改委", "created_at": base, "history": []}
        for name in names
    ]
    out = Writer()
    latest = base
    codes = [f"C{n:02d}" for n in range(chains)]
    per_chain = {
        code: items // chains + (1 if i < items % chains else 0) for i, code in enumerate(codes)
    }
    body = Writer()
    if version >= 3:
        unit = {"uuid": loop_uuid(), "name": "区自然资源局", "kind": "bureau", "created_at": base}
        body.table("units", unit, UNIT.names)
    if version >= 4:
        body.table(
            "enterprises",
            {
                "uuid": registry_uuid(), "name": FIRST, "short": "某科技",
                "credit_code": "91320115MA1N2B3C4P", "park": "江宁开发区",
                "above_scale": True, "created_at": base,
            },
            ENTERPRISE.names,
        )  # fmt: skip
        body.table(
            "enterprises",
            {"uuid": registry_uuid(), "name": SECOND, "created_at": base},
            ENTERPRISE.names,
        )
    for person in people:
        body.table("people", person, PERSON.names)
    for c, code in enumerate(codes):
        leader, responsible = names[c % len(names)], names[(c + 7) % len(names)]
        count = per_chain[code]
        projects = count // 10 if version >= 5 else 0
        body.table(
            "chains",
            {
                "uuid": new_uuid(),
                "code": code,
                "name": f"产业链 {code} chain",
                "status": "active",
                "created_at": base,
                "next_item_no": count + 1,
                "next_meeting_no": 1,
                "next_project_no": projects + 1 if version >= 5 else None,
            },
            CHAIN.names,
        )
        links = ["晶圆制造", "封装测试 'A'", "终端应用"]
        if version >= 5:
            body.array(
                "links",
                [
                    {
                        "uuid": plan_uuid(), "name": name, "segment": segment,
                        "state": state, "position": position,
                        "note": "缺龙头\n待引进" if state == "missing" else None,
                        "created_at": base,
                    }
                    for position, (name, segment, state) in enumerate(
                        zip(links, ("upstream", "midstream", "downstream"),
                            ("strong", "weak", "missing"), strict=True),
                        start=1,
                    )
                ],
                CHAIN_LINK.names,
            )  # fmt: skip
        if version >= 4:
            places = [
                {"uuid": registry_uuid(), "enterprise": FIRST, "segment": "upstream",
                 "lead": True, "created_at": base},
                {"uuid": registry_uuid(), "enterprise": SECOND, "created_at": base},
            ]  # fmt: skip
            body.array("enterprises", places, PLACEMENT.names)
        if version >= 5:
            body.array(
                "enterprise_links",
                [{"uuid": plan_uuid(), "enterprise": FIRST, "link": links[0], "created_at": base}],
                ENTERPRISE_LINK.names,
            )
            body.array(
                "targets",
                [
                    {"uuid": plan_uuid(), "year": 2025, "figure": "new_projects", "value": "12",
                     "kind": "sum", "created_at": base},
                    {"uuid": plan_uuid(), "year": 2025, "figure": "output_value", "value": "180.5",
                     "unit": "亿元", "kind": "latest", "created_at": base},
                ],
                TARGET.names,
            )  # fmt: skip
        for role, name in (("leader", leader), ("responsible", responsible)):
            body.table(
                "chains.memberships",
                {"uuid": new_uuid(), "person": name, "role": role, "since": base.date()},
                MEMBERSHIP.names,
            )
        for number in range(1, projects + 1):
            created = base + timedelta(minutes=5 * number + c)
            reports = [
                {
                    "uuid": plan_uuid(), "as_of": (created + timedelta(days=30 * r)).date(),
                    "percent": 20 * r, "invested": f"{5 * r}.5" if r % 2 else None,
                    "note": "进展 'ok'" if r == 1 else None, "by": "张伟",
                    "created_at": created + timedelta(days=30 * r),
                }
                for r in range(1, 1 + number % 6)
            ]  # fmt: skip
            last = reports[-1] if reports else None
            project = {
                "uuid": plan_uuid(), "key": f"{code}-P{number}",
                "title": f"项目 {number} 二期",
                "type": ("build", "strengthen", "fill", "extend")[number % 4],
                "enterprise": FIRST if number % 2 else None,
                "link": links[number % 3] if number % 3 else None,
                "unit": "区自然资源局", "owner": names[number % len(names)],
                "investment": "45", "investment_unit": "亿元",
                "start": created.date(), "end": created.date() + timedelta(days=400),
                "planned_end": created.date() + timedelta(days=400),
                "status": "finished" if last and last["percent"] == 100 else "active",
                "percent": last["percent"] if last else 0,
                "invested": last["invested"] if last else None,
                "finished": last["as_of"] if last and last["percent"] == 100 else None,
                "created_at": created, "updated_at": last["created_at"] if last else created,
            }  # fmt: skip
            body.table("chains.projects", project, PROJECT.names)
            body.array("progress", reports, PROGRESS.names)
            marks = [
                {"uuid": plan_uuid(), "title": "主体封顶",
                 "due": created.date() + timedelta(days=90),
                 "done": created.date() + timedelta(days=95) if number % 2 else None,
                 "created_at": created},
            ]  # fmt: skip
            body.array("milestones", marks, MILESTONE.names)
            events = [
                {"uuid": plan_uuid(), "at": created, "actor": "张伟", "kind": "project_added",
                 "new": project["key"], "text": project["title"]},
            ] + [
                {"uuid": plan_uuid(), "at": r["created_at"], "actor": "张伟", "kind": "progress",
                 "field": "percent", "new": str(r["percent"])}
                for r in reports
            ]  # fmt: skip
            latest = max([latest] + [e["at"] for e in events])
            body.array("history", events, PROJECT_EVENT.names)
        for number in range(1, count + 1):
            created = base + timedelta(minutes=7 * number + c)
            raised = created.date()
            status = rng.choice(["open", "in_progress", "blocked", "resolved"])
            changed = created + timedelta(days=rng.randint(1, 60))
            latest = max(latest, created if status == "open" else changed)
            item = {
                "uuid": new_uuid(),
                "key": f"{code}-{number}",
                "title": f"企业反映的问题 {number} 'quoted' \"double\"",
                "detail": "第一行\n第二行" if number % 3 == 0 else None,
                "enterprise": "南京某科技有限公司",
                "source": rng.choice(["scheduling", "breakfast", "salon", "visit", "other"]),
                "priority": rng.choice(["low", "normal", "high", "urgent"]),
                "unit": "区自然资源局",
                "owner": rng.choice(names),
                "raised": raised,
                "due": raised + timedelta(days=rng.randint(0, 90)),
                "status": status,
                "resolution": "已协调解决" if status == "resolved" else None,
                "resolved": changed.date() if status == "resolved" else None,
                "status_reason": "等待上级批复" if status == "blocked" else None,
                "created_at": created,
                "updated_at": changed if status != "open" else created,
            }
            if version >= 3:
                item["original_due"] = item["clock_due"] = item["due"]
            if version >= 4 and number % 4 == 0:
                item["reference"] = f"JN-{code}-{number:05d}"
            if version >= 5 and number % 7 == 0:
                item["link"] = links[number % 3]
            if version >= 5 and number % 11 == 0 and projects:
                item["project"] = f"{code}-P{number % projects + 1}"
            body.table("chains.items", item, ITEM.names)
            if version >= 4:
                raisers = [{"uuid": registry_uuid(), "enterprise": FIRST, "created_at": created}]
                if number % 5 == 0:
                    raisers.append(
                        {"uuid": registry_uuid(), "enterprise": SECOND, "created_at": created}
                    )
                body.array("enterprises", raisers, RAISER.names)
            if version >= 3:
                reported = status == "resolved"
                lead = {
                    "uuid": loop_uuid(), "unit": item["unit"], "role": "lead",
                    "owner": item["owner"],
                    "state": "reported" if reported else
                    "handling" if status == "in_progress" else "received",
                    "assigned": raised, "due": item["due"], "received": raised,
                    "reported": item["resolved"], "report": item["resolution"],
                    "created_at": created, "updated_at": item["updated_at"],
                }  # fmt: skip
                body.array("assignments", [lead], ASSIGNMENT.names)
            if version >= 4 and status == "resolved":
                follow_up = {
                    "uuid": registry_uuid(), "enterprise": FIRST, "result": "satisfied",
                    "by": responsible, "asked_on": changed.date(), "created_at": changed,
                }  # fmt: skip
                body.array("follow_ups", [follow_up], FOLLOW_UP.names)
            history = [
                {
                    "uuid": new_uuid(), "at": created, "actor": "张伟", "kind": "created",
                    "new": "open", "text": item["title"],
                },
            ]  # fmt: skip
            if version >= 3:
                history.append(
                    {
                        "uuid": loop_uuid(), "at": created, "actor": "张伟", "kind": "assigned",
                        "person": item["owner"], "unit": item["unit"], "field": "lead",
                        "new": "received",
                    },
                )  # fmt: skip
                if status == "in_progress":
                    history.append(
                        {
                            "uuid": loop_uuid(), "at": changed, "actor": "张伟",
                            "kind": "handling", "person": item["owner"], "unit": item["unit"],
                            "field": "lead", "old": "received", "new": "handling",
                        },
                    )  # fmt: skip
                elif status == "resolved":
                    history.append(
                        {
                            "uuid": loop_uuid(), "at": changed, "actor": "张伟",
                            "kind": "reported", "person": item["owner"], "unit": item["unit"],
                            "field": "lead", "old": "received", "new": "reported",
                            "text": item["resolution"],
                        },
                    )  # fmt: skip
            if status != "open":
                history.append(
                    {
                        "uuid": new_uuid(), "at": changed, "actor": "张伟",
                        "kind": "resolved" if status == "resolved" else "status",
                        "field": "status", "old": "open", "new": status, "text": "进展\n说明",
                    },
                )  # fmt: skip
            if version == 1:
                body.tables("chains.items.history", history, ITEM_EVENT.names)
            else:
                body.array("history", history, ITEM_EVENT.names)
    top = [{"uuid": new_uuid(), "at": base, "actor": "张伟", "kind": "note", "text": "top"}]
    out.keys(
        {
            "format": "chainlead-snapshot",
            "format_version": version,
            "chainlead_version": __version__,
            "exported_at": latest,
            "district": "",
        },
        ("format", "format_version", "chainlead_version", "exported_at", "district"),
    )
    if version == 1:
        body.tables("history", top, PLAIN_EVENT.names)
    else:
        out.array("history", top, PLAIN_EVENT.names)
    return out.text() + body.text()


def test_ten_thousand_items_import_and_export_unchanged(tmp_path: Path, template_db: Path) -> None:
    text = generated_snapshot(10_000)
    snapshot_file = tmp_path / "big.toml"
    snapshot_file.write_text(text, encoding="utf-8")
    db = tmp_path / "big.db"
    db.write_bytes(template_db.read_bytes())
    runner = CliRunner()
    # written as format 5 (no hashes): taken with --accept-unverified, chained on import
    imported = runner.invoke(
        app, ["--db", str(db), "import", str(snapshot_file), "--accept-unverified"]
    )
    assert imported.exit_code == 0, imported.stderr
    assert "━" not in imported.stderr  # no progress bar: stderr is not a terminal
    assert imported.stderr.startswith("added ") and "records from" in imported.stderr
    exported = runner.invoke(app, ["--db", str(db), "export"])
    assert exported.exit_code == 0
    assert "━" not in exported.stderr
    assert unchained(exported.stdout).replace("format_version = 6\n", "format_version = 5\n") == (
        text
    )
    # and once more: nothing to add; the export, verified, imports again as it is
    again = runner.invoke(
        app, ["--db", str(db), "import", str(snapshot_file), "--json", "--accept-unverified"]
    )
    assert '"added": 0' in again.stdout and '"conflicting": 0' in again.stdout
    assert '"added": 1' not in again.stdout


def _without_the_loop(text: str) -> dict:
    """A snapshot's data but for what the handling loop and the enterprises add: units,
    assignments, assignment events, enterprises, references and follow-ups, and
    ``exported_at`` (an upgrade's events are of its day)."""
    document = tomllib.loads(text)
    document.pop("units", None)
    document.pop("enterprises", None)
    document.pop("exported_at", None)
    document.pop("format_version", None)
    for chain in document["chains"]:
        for name in (
            "enterprises",
            "links",
            "enterprise_links",
            "targets",
            "projects",
            "next_project_no",
        ):
            chain.pop(name, None)
        for item in chain["items"]:
            for name in (
                "assignments",
                "enterprises",
                "follow_ups",
                "reference",
                "link",
                "project",
            ):
                item.pop(name, None)
            item["history"] = [e for e in item["history"] if "unit" not in e]
    return document


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_older_snapshot_imports_and_exports_as_version_6(
    tmp_path: Path, template_db: Path, version: int
) -> None:
    old = tmp_path / "old.toml"
    old.write_text(generated_snapshot(300, version=version), encoding="utf-8")
    layout = "[[chains.items.history]]" if version == 1 else "history = ["
    assert layout in old.read_text(encoding="utf-8")
    assert ("assignments" in old.read_text(encoding="utf-8")) == (version == 3)
    assert "enterprises" not in old.read_text(encoding="utf-8")
    db = tmp_path / "old.db"
    db.write_bytes(template_db.read_bytes())
    runner = CliRunner()
    refused = runner.invoke(app, ["--db", str(db), "import", str(old)])
    assert_refused(refused, 2, f"format version {version}", "--accept-unverified")
    imported = runner.invoke(app, ["--db", str(db), "import", str(old), "--accept-unverified"])
    assert imported.exit_code == 0, imported.stderr
    exported = runner.invoke(app, ["--db", str(db), "export"])
    assert "format_version = 6\n" in exported.stdout
    assert _without_the_loop(unchained(exported.stdout)) == _without_the_loop(
        generated_snapshot(300)
    )
    # every item got its lead as the upgrade to schema 0005 gives it
    wanted = tomllib.loads(generated_snapshot(300))
    chains = tomllib.loads(exported.stdout)["chains"]
    for chain, mine in zip(chains, wanted["chains"], strict=True):
        for item, expected in zip(chain["items"], mine["items"], strict=True):
            (lead,) = item["assignments"]
            (want,) = expected["assignments"]
            assert {**lead, "uuid": ""} == {**want, "uuid": ""}
            # and its enterprise as the upgrade to schema 0006 gives it
            assert [e["enterprise"] for e in item["enterprises"]] == [FIRST]
            assert item["enterprises"][0]["created_at"] == item["created_at"]
            assert "follow_ups" not in item  # no answer in its history
            if version == 3:
                continue
            (event,) = [e for e in item["history"] if "unit" in e]
            assert (event["actor"], event["kind"], event["field"], event["new"]) == (
                "db upgrade",
                "assigned",
                "lead",
                want["state"],
            )
    document = tomllib.loads(exported.stdout)
    (enterprise,) = document["enterprises"]
    assert enterprise["name"] == FIRST
    assert enterprise["created_at"] == min(
        item["created_at"] for chain in document["chains"] for item in chain["items"]
    )
    for chain in document["chains"]:
        assert [(p["enterprise"], p.get("segment")) for p in chain["enterprises"]] == [
            (FIRST, None)
        ]
    again = runner.invoke(
        app, ["--db", str(db), "import", str(old), "--json", "--accept-unverified"]
    )
    assert '"added": 0' in again.stdout and '"conflicting": 0' in again.stdout
    assert '"added": 1' not in again.stdout
