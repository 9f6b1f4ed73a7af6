"""Enterprises (``chainlead enterprise``), the items they raised and follow-ups (回访),
on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import assert_refused, execute
from sqlalchemy import text
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.cli.complete import enterprise_names
from chainlead.store.database import downgrade, open_database, upgrade
from chainlead.values import credit_check_character

runner = CliRunner()

ZTE = "南京中兴通讯有限公司"
NARI = "南京南瑞集团"
CODE = "91350100M000100Y43"  # a valid unified social credit code (check character 3)


def run(db: str, *args: str) -> Result:
    return runner.invoke(app, ["--db", db, *args])


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def data(db: str, *args: str) -> object:
    return json.loads(ok(run(db, *args, "--json")).stdout)


def state(db: str) -> list[object]:
    """What a user can read of the enterprises and items: to show a refusal wrote nothing."""
    shown = [data(db, "enterprise", "list"), data(db, "bottleneck", "list", "--status", "all")]
    for row in shown[1]:  # type: ignore[union-attr]
        shown.append(data(db, "bottleneck", "show", row["key"]))
    return shown


@pytest.fixture
def district(db_url: str) -> str:
    """Two chains, an institution, an enterprise on SAI as its lead enterprise."""
    ok(run(db_url, "chain", "add", "SAI", "人工智能", "--leader", "Li Ming",
           "--responsible", "Zhang Wei", "--member", "Wang Fang"))  # fmt: skip
    ok(run(db_url, "chain", "add", "IC", "集成电路", "--leader", "Sun Hao",
           "--responsible", "Chen Jie"))  # fmt: skip
    ok(run(db_url, "unit", "add", "区工业和信息化局", "--short", "工信局"))
    ok(run(db_url, "enterprise", "add", ZTE, "--short", "中兴", "--chain", "SAI",
           "--segment", "midstream", "--lead", "--above-scale", "--credit-code", CODE,
           "--park", "江宁开发区", "--contact", "刘洋 025-5210 0000"))  # fmt: skip
    return db_url


def item(db: str, title: str, *args: str) -> str:
    added = run(db, "bottleneck", "add", "SAI", title, "--unit", "工信局", "--due", "+30d", *args)
    return ok(added).stdout.strip()


def test_add_list_and_show(district: str) -> None:
    ok(run(district, "enterprise", "add", NARI, "--chain", "SAI", "--chain", "IC",
           "--segment", "upstream"))  # fmt: skip
    listed = data(district, "enterprise", "list")
    assert [(e["name"], e["short"], e["chains"], e["above_scale"]) for e in listed] == [
        (ZTE, "中兴", "SAI midstream 链主", True),
        (NARI, None, "IC upstream; SAI upstream", False),
    ]
    assert [e["name"] for e in data(district, "enterprise", "list", "--lead")] == [ZTE]
    assert [e["name"] for e in data(district, "enterprise", "list", "--chain", "ic")] == [NARI]
    upstream = data(district, "enterprise", "list", "--segment", "upstream")
    assert [e["name"] for e in upstream] == [NARI]
    csv = ok(run(district, "enterprise", "list", "--csv")).stdout.splitlines()
    assert csv[0] == "name,short,chains,above_scale,park,credit_code,demands,open,satisfaction"
    assert csv[1] == f"{ZTE},中兴,SAI midstream 链主,True,江宁开发区,{CODE},0,0,"
    shown = data(district, "enterprise", "show", "中兴")
    assert shown["credit_code"] == CODE and shown["park"] == "江宁开发区"
    assert shown["chains"] == [
        {"code": "SAI", "name": "人工智能", "segment": "midstream", "lead": True}
    ]
    table = ok(run(district, "enterprise", "show", "中兴")).stdout
    assert "lead (链主)" in table and "no demands yet" in table


def test_a_long_list_is_drawn_as_the_short_one_is(district: str) -> None:
    from rich.cells import cell_len

    from chainlead.render.output import LONG_LIST

    names = [f"精密制造{n:03d}" for n in range(LONG_LIST + 5)]
    for name in names:
        ok(run(district, "enterprise", "add", name, "--chain", "IC", "--segment", "upstream"))
    lines = ok(run(district, "enterprise", "list")).stdout.splitlines()
    assert lines[0] == "Enterprises" and "Enterprise" in lines[2] and "Satisfied" in lines[2]
    rows = [line for line in lines if "精密制造" in line]
    assert [line.split()[0] for line in rows] == names
    at = {cell_len(line[: line.index("IC upstream")]) for line in rows}
    assert len(at) == 1  # one column
    assert all(line == line.rstrip() for line in lines)


def test_credit_code_is_checked_by_its_check_character(district: str) -> None:
    before = state(district)
    wrong = CODE[:17] + "4"
    refused = run(district, "enterprise", "add", "坏码公司", "--credit-code", wrong)
    assert_refused(refused, 2, "--credit-code", "check character", "is 3, not 4")
    refused = run(district, "enterprise", "add", "短码公司", "--credit-code", "9132011")
    assert_refused(refused, 2, "--credit-code", "18-character unified social credit code")
    refused = run(district, "enterprise", "add", "字母公司", "--credit-code", "91350100M000100I43")
    assert_refused(refused, 2, "--credit-code", "but I, O, Z, S, V")
    refused = run(district, "enterprise", "add", "另一家", "--credit-code", CODE.lower())
    assert_refused(refused, 1, f"{CODE} is already the code of {ZTE!r}")
    assert state(district) == before
    # full-width and lower case are read as the code they spell
    body = "91320115MA1MXXXX0"
    code = body + credit_check_character(body)
    ok(run(district, "enterprise", "add", "全角公司", "--credit-code", code.lower()))
    assert data(district, "enterprise", "show", "全角公司")["credit_code"] == code


def test_names_and_short_names_are_unique(district: str) -> None:
    before = state(district)
    assert_refused(run(district, "enterprise", "add", ZTE), 1, "already the enterprise")
    assert_refused(
        run(district, "enterprise", "add", "中兴"), 1, f"'中兴' is already the enterprise {ZTE!r}"
    )
    assert_refused(
        run(district, "enterprise", "add", "X", "--segment", "upstream"), 1, "give --chain too"
    )
    assert_refused(
        run(district, "enterprise", "add", "X", "--chain", "SAI", "--segment", "sideways"),
        2,
        "--segment",
    )
    assert_refused(run(district, "enterprise", "show", "中心"), 1, "no enterprise '中心'", ZTE)
    assert state(district) == before


def test_items_raised_by_several_enterprises(district: str) -> None:
    added = run(district, "bottleneck", "add", "SAI", "园区电网容量不足", "--unit", "工信局",
                "--due", "+30d", "--enterprise", "中兴", "--enterprise", NARI)  # fmt: skip
    ok(added)
    assert added.stdout.strip() == "SAI-1"
    assert f"new enterprise {NARI}" in added.stderr
    typo = run(district, "bottleneck", "add", "SAI", "用工难", "--unit", "工信局", "--due",
               "+30d", "--enterprise", "南京中兴通讯有限工司")  # fmt: skip
    assert f"close to {ZTE}: a typo?" in ok(typo).stderr
    linked = ok(run(district, "bottleneck", "link", "sai-2", "--enterprise", "江苏未来网络集团"))
    assert linked.stderr.splitlines()[0] == "SAI-2: raised by 江苏未来网络集团 too"
    again = ok(run(district, "bottleneck", "link", "SAI-2", "--enterprise", "江苏未来网络集团"))
    assert "nothing changed" in again.stderr
    shown = data(district, "bottleneck", "show", "SAI-1")
    assert shown["enterprise"] == ZTE and shown["enterprises"] == [ZTE, NARI]
    assert [r["key"] for r in data(district, "bottleneck", "list", "--enterprise", "南瑞")] == [
        "SAI-1"
    ]
    by_short = data(district, "bottleneck", "list", "--enterprise", "中兴")
    assert [r["key"] for r in by_short] == ["SAI-1", "SAI-2"]  # the short name; the typo's name
    demands = data(district, "enterprise", "show", NARI)["demands"]
    assert [d["key"] for d in demands] == ["SAI-1"]
    nari = next(e for e in data(district, "enterprise", "list") if e["name"] == NARI)
    assert (nari["chains"], nari["demands"], nari["open"]) == ("SAI", 1, 1)
    # taken off again: the next enterprise becomes the item's first
    ok(run(district, "bottleneck", "link", "SAI-1", "--enterprise", "中兴", "--remove"))
    shown = data(district, "bottleneck", "show", "SAI-1")
    assert shown["enterprise"] == NARI and shown["enterprises"] == [NARI]
    kinds = [e["kind"] for e in shown["history"]]
    assert kinds.count("enterprise_unlinked") == 1
    ok(run(district, "db", "check"))


def test_edit_enterprise_of_an_item_of_one(district: str) -> None:
    key = item(district, "用地指标", "--enterprise", "中兴")
    ok(run(district, "bottleneck", "edit", key, "--enterprise", NARI))
    shown = data(district, "bottleneck", "show", key)
    assert shown["enterprises"] == [NARI]
    edited = [e for e in shown["history"] if e["kind"] == "edited"]
    assert [(e["field"], e["old"], e["new"]) for e in edited] == [("enterprise", ZTE, NARI)]
    ok(run(district, "bottleneck", "edit", key, "--enterprise", ""))
    assert data(district, "bottleneck", "show", key)["enterprises"] == []
    ok(run(district, "bottleneck", "link", key, "--enterprise", "中兴", "--enterprise", NARI))
    refused = run(district, "bottleneck", "edit", key, "--enterprise", "X")
    assert_refused(refused, 1, "was raised by", "bottleneck link")
    ok(run(district, "db", "check"))


def test_follow_up_of_each_enterprise_before_the_sign_off(district: str) -> None:
    key = item(district, "园区电网容量不足", "--enterprise", "中兴", "--enterprise", NARI)
    before = state(district)
    refused = run(district, "bottleneck", "follow-up", key, "--enterprise", "中兴",
                  "--result", "satisfied", "--by", "Wang Fang")  # fmt: skip
    assert_refused(refused, 1, f"{key} is open", "once its demand is resolved")
    assert state(district) == before
    ok(run(district, "bottleneck", "resolve", key, "--how", "新建线路"))
    before = state(district)
    refused = run(district, "bottleneck", "close", key, "--by", "Zhang Wei")
    assert_refused(refused, 1, f"ask {ZTE}, {NARI} first")
    refused = run(district, "bottleneck", "close", key, "--by", "Zhang Wei",
                  "--feedback", "satisfied")  # fmt: skip
    assert_refused(refused, 1, "raised by 2 enterprises; ask each")
    refused = run(district, "bottleneck", "follow-up", key, "--result", "satisfied",
                  "--by", "Wang Fang")  # fmt: skip
    assert_refused(refused, 2, "--enterprise", "name the enterprise asked")
    refused = run(district, "bottleneck", "follow-up", key, "--enterprise", "江苏未来网络集团",
                  "--result", "satisfied", "--by", "Wang Fang")  # fmt: skip
    assert_refused(refused, 1, "no enterprise '江苏未来网络集团'")
    refused = run(district, "bottleneck", "follow-up", key, "--enterprise", "中兴",
                  "--result", "satisfied", "--by", "Nobody")  # fmt: skip
    assert_refused(refused, 1, "--by")
    refused = run(district, "bottleneck", "follow-up", key, "--enterprise", "中兴",
                  "--result", "happy", "--by", "Wang Fang")  # fmt: skip
    assert refused.exit_code == 2 and "--result" in refused.stderr
    assert state(district) == before

    asked = run(district, "bottleneck", "follow-up", key, "--enterprise", "中兴",
                "--result", "satisfied", "--by", "Wang Fang", "--note", "电力已恢复")  # fmt: skip
    assert ok(asked).stderr.strip() == f"{key}: {ZTE} satisfied; still to ask: {NARI}"
    twice = run(district, "bottleneck", "follow-up", key, "--enterprise", ZTE,
                "--result", "satisfied", "--by", "Wang Fang")  # fmt: skip
    assert_refused(twice, 1, f"{ZTE} was already asked on")
    asked = run(district, "bottleneck", "follow-up", key, "--enterprise", NARI,
                "--result", "basically_satisfied", "--by", "Wang Fang")  # fmt: skip
    assert "ready to sign off" in ok(asked).stderr
    closed = ok(run(district, "bottleneck", "close", key, "--by", "Zhang Wei"))
    assert closed.stderr.strip() == f"{key}: resolved → closed"
    shown = data(district, "bottleneck", "show", key)
    assert [(f["enterprise"], f["result"], f["by"], f["note"]) for f in shown["follow_ups"]] == [
        (ZTE, "satisfied", "Wang Fang", "电力已恢复"),
        (NARI, "basically_satisfied", "Wang Fang", None),
    ]
    close = [e for e in shown["history"] if e["new"] == "closed"][0]
    assert close["text"] == f"followed up: {ZTE} satisfied; {NARI} basically_satisfied"
    zte = data(district, "enterprise", "show", "中兴")
    assert (zte["asked"], zte["satisfied"], zte["satisfaction"]) == (1, 1, 1.0)


def test_an_unsatisfied_answer_reopens_either_way(district: str) -> None:
    """``follow-up --result unsatisfied`` and ``close --feedback unsatisfied`` do the same."""
    first = item(district, "融资难", "--enterprise", "中兴")
    second = item(district, "人才公寓", "--enterprise", NARI)
    for key in (first, second):
        ok(run(district, "bottleneck", "resolve", key, "--how", "已对接银行"))
    ok(run(district, "bottleneck", "follow-up", first, "--result", "unsatisfied",
           "--by", "Zhang Wei", "--note", "利率太高"))  # fmt: skip
    ok(run(district, "bottleneck", "close", second, "--by", "Zhang Wei",
           "--feedback", "unsatisfied", "--note", "利率太高"))  # fmt: skip
    recorded = []
    for key in (first, second):
        shown = data(district, "bottleneck", "show", key)
        assert shown["status"] == "open"
        reopened = [e for e in shown["history"] if e["kind"] == "reopened"][0]
        asked = [e for e in shown["history"] if e["kind"] == "followed_up"][0]
        follow_up = shown["follow_ups"][0]
        recorded.append(
            (
                reopened["text"],
                reopened["person"],
                asked["new"],
                follow_up["result"],
                follow_up["reopened_on"] is not None,
            )
        )
    assert (
        recorded[0]
        == recorded[1]
        == (
            "enterprise unsatisfied, asked by Zhang Wei: 利率太高",
            "Zhang Wei",
            "unsatisfied",
            "unsatisfied",
            True,
        )
    )
    # resolved again: the set-aside answer does not count, a new follow-up is needed
    ok(run(district, "bottleneck", "resolve", first, "--how", "贴息"))
    refused = run(district, "bottleneck", "close", first, "--by", "Zhang Wei")
    assert_refused(refused, 1, f"ask {ZTE} first")
    ok(run(district, "bottleneck", "close", first, "--by", "Zhang Wei", "--feedback", "satisfied"))
    zte = data(district, "enterprise", "show", ZTE)
    assert (zte["asked"], zte["satisfied"], zte["satisfaction"]) == (2, 1, 0.5)


def test_close_without_a_follow_up_is_the_chain_leaders(district: str) -> None:
    key = item(district, "设备进口", "--enterprise", "中兴")
    ok(run(district, "bottleneck", "resolve", key, "--how", "已办结"))
    before = state(district)
    refused = run(district, "bottleneck", "close", key, "--by", "Zhang Wei", "--no-follow-up",
                  "--why", "企业已迁出")  # fmt: skip
    assert_refused(refused, 1, "--no-follow-up: only the chain leader (Li Ming)")
    refused = run(district, "bottleneck", "close", key, "--by", "Li Ming", "--no-follow-up")
    assert_refused(refused, 2, "--why")
    assert state(district) == before
    closed = run(district, "bottleneck", "close", key, "--by", "li ming", "--no-follow-up",
                 "--why", "企业已迁出")  # fmt: skip
    assert ok(closed).stderr.strip() == f"{key}: resolved → closed"
    shown = data(district, "bottleneck", "show", key)
    assert shown["follow_ups"] == []
    assert shown["history"][-1]["text"] == "closed without a follow-up by Li Ming: 企业已迁出"


def test_item_of_no_enterprise_closes_with_feedback_as_before(district: str) -> None:
    key = item(district, "道路改造")
    ok(run(district, "bottleneck", "resolve", key, "--how", "已修路"))
    assert_refused(run(district, "bottleneck", "close", key, "--by", "Zhang Wei"), 2, "--feedback")
    ok(run(district, "bottleneck", "close", key, "--by", "Zhang Wei", "--feedback", "satisfied"))
    shown = data(district, "bottleneck", "show", key)
    assert [(f["enterprise"], f["result"]) for f in shown["follow_ups"]] == [(None, "satisfied")]


def test_edit_and_rename_keep_history(district: str) -> None:
    key = item(district, "用地", "--enterprise", "中兴")
    ok(run(district, "enterprise", "edit", "中兴", "--chain", "IC", "--segment", "downstream",
           "--park", "", "--below-scale"))  # fmt: skip
    shown = data(district, "enterprise", "show", ZTE)
    assert [(c["code"], c["segment"], c["lead"]) for c in shown["chains"]] == [
        ("IC", "downstream", False),
        ("SAI", "midstream", True),
    ]
    assert (shown["park"], shown["above_scale"]) == (None, False)
    ok(run(district, "enterprise", "edit", "中兴", "--chain", "SAI", "--not-lead"))
    assert not data(district, "enterprise", "show", ZTE)["chains"][1]["lead"]
    assert_refused(run(district, "enterprise", "edit", "中兴"), 2, "give at least one of")
    renamed = ok(run(district, "enterprise", "rename", "中兴", "中兴通讯股份有限公司南京分公司"))
    assert renamed.stderr.strip() == (
        f"renamed {ZTE} → 中兴通讯股份有限公司南京分公司; 1 item follows"
    )
    assert (
        data(district, "bottleneck", "show", key)["enterprise"] == "中兴通讯股份有限公司南京分公司"
    )
    assert_refused(run(district, "enterprise", "rename", "中兴", "中兴"), 1, "short name")
    ok(run(district, "db", "check"))


def test_completion_of_enterprise_names(db_path: Path) -> None:
    """Completion reads the SQLite file itself (a shared database completes nothing)."""
    db = str(db_path)
    ok(run(db, "enterprise", "add", ZTE, "--short", "中兴"))
    ok(run(db, "enterprise", "add", "Zhongxing Semiconductor"))
    assert enterprise_names(db, "中") == ["中兴"]
    assert enterprise_names(db, "ｚｈ") == ["Zhongxing Semiconductor"]
    assert enterprise_names(db, "南京") == [ZTE]


def test_upgrade_from_0005_makes_enterprises_and_follow_ups(db_url: str) -> None:
    """0005 → 0006: one enterprise per text, linked to its items and chains, and each
    earlier sign-off's answer a follow-up (set aside by a later reopening)."""
    database = open_database(db_url)
    try:
        downgrade(database, to="0005")
    finally:
        database.dispose()
    # the 0005 commands are this chainlead's, so fill the tables as 0005 had them
    execute(
        db_url,
        "INSERT INTO person (uuid, name, created_at) VALUES "
        "('p1', 'Zhang Wei', '2026-11-01 08:00:00')",
        "INSERT INTO chain (uuid, code, name, status, created_at, next_item_no, next_meeting_no) "
        "VALUES ('c1', 'SAI', '人工智能', 'active', '2026-11-01 08:00:00', 4, 1)",
        "INSERT INTO unit (uuid, name, kind, created_at) "
        "VALUES ('u1', '工信局', 'other', '2026-11-01 08:00:00')",
        *(
            'INSERT INTO item (uuid, "key", chain_id, number, title, enterprise, source, '
            "priority, unit, unit_id, raised_on, due_on, status, resolved_on, closed_on, "
            "created_at, updated_at, original_due_on, clock_due) VALUES "
            f"('i{n}', 'SAI-{n}', 1, {n}, 't{n}', {enterprise}, 'other', 'normal', '工信局', 1, "
            f"'2026-11-02', '2026-12-31', '{status}', {resolved}, NULL, '2026-11-02 08:00:00', "
            "'2026-11-02 08:00:00', '2026-12-31', '2026-12-31')"
            for n, enterprise, status, resolved in (
                (1, "'中兴'", "closed", "'2026-11-10'"),
                (2, "'中兴'", "open", "NULL"),
                (3, "NULL", "open", "NULL"),
            )
        ),
        "INSERT INTO event (uuid, at, actor, kind, chain_id, item_id, person_id, field, old, "
        "new, text) VALUES "
        "('e1', '2026-11-11 08:00:00', 't', 'status', 1, 1, 1, 'status', 'resolved', 'closed', "
        "'enterprise satisfied, asked by Zhang Wei: 很好'), "
        "('e2', '2026-11-11 08:00:00', 't', 'reopened', 1, 2, 1, 'status', 'resolved', 'open', "
        "'enterprise unsatisfied, asked by Zhang Wei'), "
        "('e3', '2026-11-12 08:00:00', 't', 'reopened', 1, 1, NULL, 'status', 'closed', 'open', "
        "'mistake')",
    )
    if "://" in db_url:
        execute(
            db_url,
            *(
                f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"
                for t in ("person", "chain", "unit", "item", "event")
            ),
        )
    database = open_database(db_url, check=False)
    try:
        upgrade(database)
        with database.engine.connect() as conn:
            follow_ups = conn.execute(
                text(
                    'SELECT i."key", e.name, f.result, f.note, f.reopened_on IS NOT NULL '
                    "FROM follow_up f JOIN item i ON i.id = f.item_id "
                    "JOIN enterprise e ON e.id = f.enterprise_id ORDER BY f.id"
                )
            ).all()
            places = conn.execute(
                text(
                    "SELECT e.name, c.code FROM enterprise_chain ec JOIN enterprise e "
                    "ON e.id = ec.enterprise_id JOIN chain c ON c.id = ec.chain_id"
                )
            ).all()
    finally:
        database.dispose()
    assert [tuple(r) for r in follow_ups] == [
        ("SAI-1", "中兴", "satisfied", "很好", True),
        ("SAI-2", "中兴", "unsatisfied", None, True),
    ]
    assert [tuple(r) for r in places] == [("中兴", "SAI")]
    listed = data(db_url, "enterprise", "list")
    assert [(e["name"], e["demands"]) for e in listed] == [("中兴", 2)]
