"""Synthetic districts for the benchmark: 1k, 10k and 100k bottleneck items.

Each district has 8 to 50 chains with their chain leader, responsible person
and working team (some handed over, so membership has history), 24 months of
meetings (the monthly scheduling meeting, missed now and then, plus breakfast
meetings, salons and visits, with attendees, decisions and key figures), and
items spread over those months with realistic statuses and due dates, about
five history events each, linked to the meetings that raised and discussed
them. Every item is raised by an enterprise of the registry, about a fifth by
two, each enterprise on the chains of its items; a resolved or closed item has
its first enterprise's follow-up (回访); each chain has about one project
per ten items, with progress reports and milestones. The IC chain has a map of 30 links
with 150 enterprises placed on them, and every seventh of its items names a
link (``chain_map``). Names are Chinese. Everything is
written through the path snapshot import writes by (``Reader.executemany``:
batches of plain tuples in one ``open_writer`` transaction) into a database
made by ``upgrade``, deterministically from a seed.

    python benchmarks/generate.py --sizes 1k,10k,100k

writes ``benchmarks/data/district-<size>.db`` and ``district-<size>.json``
(today, the chain and key the benchmark uses) next to it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chainlead.store.connection import Reader

BATCH = 5000  # rows handed to the driver at a time

DATA = Path(__file__).resolve().parent / "data"
MONTHS = 24
EVENTS_PER_ITEM = 5  # on average; the generator aims at this
CHUNK = 5000  # items generated and written per step (memory stays flat)

CHAIN_NAMES = [
    ("IC", "集成电路"),
    ("AI", "软件和人工智能"),
    ("BIO", "生物医药"),
    ("IME", "智能制造装备"),
    ("SG", "智能电网"),
    ("RT", "轨道交通"),
    ("NEV", "绿色智能汽车"),
    ("NM", "新材料"),
    ("NE", "新能源"),
    ("AS", "航空航天"),
    ("EP", "节能环保"),
    ("DE", "数字经济"),
    ("MD", "高端医疗器械"),
    ("OPT", "光电显示"),
    ("IOT", "物联网"),
    ("ROB", "机器人"),
    ("ES", "储能"),
    ("HYD", "氢能"),
    ("SAT", "卫星互联网"),
    ("FOOD", "绿色食品"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红飞鹏辉建波宁斌浩凯婷雪琳晨欣怡悦瑞琪博宇轩然涵睿泽昊阳"  # noqa: E501
UNITS = [
    "区发展和改革局",
    "区工业和信息化局",
    "区科学技术局",
    "区商务局",
    "区人力资源和社会保障局",
    "区自然资源和规划分局",
    "区住房和城乡建设局",
    "区市场监督管理局",
    "区财政局",
    "区生态环境分局",
    "区交通运输局",
    "区税务局",
    "区地方金融监督管理局",
    "区行政审批局",
    "区投资促进局",
    "国网供电公司",
    "开发区管委会",
    "区教育局",
    "区卫生健康委员会",
    "区城市管理局",
]
ENTERPRISE_HEADS = (
    "华芯中科联创瑞达恒通天成博远新锐宏图金桥精工智谷云帆凯盛鼎力星河银河国泰海纳安信德润嘉禾"  # noqa: E501
)
ENTERPRISE_TAILS = [
    "科技有限公司",
    "半导体有限公司",
    "智能装备股份有限公司",
    "生物医药有限公司",
    "新材料有限公司",
    "电气有限公司",
    "汽车零部件有限公司",
    "信息技术有限公司",
]
PARKS = ("江宁开发区", "江宁高新区", "滨江开发区", "秣陵街道", None)
PROBLEMS = [
    "厂房扩建用地指标不足",
    "新产线用电增容迟迟未批",
    "高端人才落户与子女入学困难",
    "研发设备进口通关周期长",
    "环评审批进度缓慢",
    "流动资金贷款授信额度不足",
    "上下游配套企业本地化率低",
    "员工通勤公交线路缺失",
    "首台套产品推广应用受阻",
    "知识产权纠纷需协调",
    "出口订单物流成本上升",
    "专项资金申报材料退回",
    "消防验收标准理解不一致",
    "污水排放管网未接通",
    "数据中心能耗指标受限",
]
CATEGORIES = ["用地", "用电", "人才", "融资", "审批", "物流", "配套", "市场", "政策"]
NOTES = [
    "已与责任单位对接，正在研究方案",
    "现场调研，企业补充了材料",
    "协调会议已召开，明确了时间表",
    "责任单位反馈需上级部门批复",
    "企业表示进度符合预期",
]
HOW = [
    "协调供电公司完成增容，企业已投产",
    "用地指标已调剂落实",
    "人才公寓已分配，子女入学已安排",
    "审批已办结，许可证已发放",
    "银行新增授信额度已到位",
]
FIGURES = [("产值", "亿元"), ("投资额", "亿元"), ("新增企业", "家"), ("研发投入", "万元")]
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}


def chains_for(items: int) -> int:
    """8 chains for a small district, up to 50 for a big one."""
    return max(8, min(50, round(8 * (items / 1000) ** 0.4)))


def parse_sizes(text: str) -> list[str]:
    sizes = [s.strip().lower() for s in text.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        raise SystemExit(f"--sizes: expected some of {', '.join(SIZES)}; got {unknown[0]!r}")
    return sizes


@dataclass
class Ids:
    """Explicit ids: the database is new, so rows are numbered as they are made."""

    counters: dict[str, int] = field(default_factory=dict)

    def next(self, table: str) -> int:
        self.counters[table] = self.counters.get(table, 0) + 1
        return self.counters[table]


class District:
    """Rows of one synthetic district, made deterministically from a seed."""

    def __init__(self, items: int, *, today: date, seed: int) -> None:
        self.size = items
        self.today = today
        self.rng = random.Random(seed)
        self.ids = Ids()
        self.first_month = self._month_start(today, -(MONTHS - 1))
        self.people: list[dict[str, Any]] = []
        self.chains: list[dict[str, Any]] = []
        self.memberships: list[dict[str, Any]] = []
        self.meetings: list[dict[str, Any]] = []
        self.attendees: list[dict[str, Any]] = []
        self.decisions: list[dict[str, Any]] = []
        self.figures: list[dict[str, Any]] = []
        self.chain_events: list[dict[str, Any]] = []
        self.team: dict[int, list[int]] = {}  # chain id -> member person ids
        self.signers: dict[int, list[int]] = {}  # chain id -> leader and responsible ids
        self.meetings_of: dict[int, list[dict[str, Any]]] = {}  # chain id -> by date
        self.names: set[str] = set()
        self.name: dict[int, str] = {}  # person id -> name
        # The enterprise registry draws from its own generator: the seeded draws of
        # every other row stay as they were before enterprises were records.
        self.registry = random.Random(seed + 6)
        self.enterprise_ids: dict[str, int] = {}  # name -> id
        self.placed: set[tuple[int, int]] = set()  # (enterprise id, chain id)
        self.signed: dict[int, tuple[int, datetime]] = {}  # closed item -> (signer, at)

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _month_start(day: date, delta: int) -> date:
        index = day.year * 12 + day.month - 1 + delta
        return date(index // 12, index % 12 + 1, 1)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def at(self, day: date) -> datetime:
        """A working-hours moment on ``day`` (naive UTC, as chainlead stores)."""
        return datetime(
            day.year, day.month, day.day, self.rng.randint(0, 9), self.rng.randint(0, 59)
        )

    def person(self) -> int:
        while True:
            name = self.rng.choice(SURNAMES) + "".join(
                self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2)))
            )
            if name not in self.names:
                break
        self.names.add(name)
        row = {
            "id": self.ids.next("person"),
            "uuid": self.uuid(),
            "name": name,
            "unit": self.rng.choice(UNITS),
            "title": self.rng.choice(("科长", "副局长", "主任", "专员", None)),
            "contact": f"025-5{self.rng.randint(1000000, 9999999)}",
            "created_at": self.at(self.first_month),
        }
        self.people.append(row)
        self.name[row["id"]] = name
        return row["id"]

    def day_between(self, first: date, last: date) -> date:
        span = (last - first).days
        return first + timedelta(days=self.rng.randint(0, max(span, 0)))

    # ------------------------------------------------------------------ structure

    def units(self) -> list[dict[str, Any]]:
        """The responsible institutions, ids 1.. in ``UNITS`` order (uuids from their names:
        the seeded draws of every other row stay as they were)."""
        return [
            {
                "id": number,
                "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"chainlead:benchmarks/unit/{name}")),
                "name": name,
                "short": None,
                "kind": "bureau",
                "contact": None,
                "created_at": datetime(self.first_month.year, self.first_month.month, 1, 8),
            }
            for number, name in enumerate(UNITS, start=1)
        ]

    def build_chains(self) -> None:
        count = chains_for(self.size)
        start = self.first_month - timedelta(days=30)
        for index in range(count):
            if index < len(CHAIN_NAMES):
                code, name = CHAIN_NAMES[index]
            else:
                code, name = (
                    f"C{index + 1}",
                    f"{CHAIN_NAMES[index % len(CHAIN_NAMES)][1]}{index + 1}号链",
                )
            chain_id = self.ids.next("chain")
            self.chains.append(
                {
                    "id": chain_id,
                    "uuid": self.uuid(),
                    "code": code,
                    "name": name,
                    "description": f"{name}产业链：龙头企业、配套企业与创新平台",
                    "status": "active",
                    "created_at": self.at(start),
                    "archived_on": None,
                    "next_item_no": 1,
                    "next_meeting_no": 1,
                }
            )
            self.chain_events.append(
                self.event(start, "created", chain_id=chain_id, new=code, text=name)
            )
            leader, responsible = self.person(), self.person()
            members = [self.person() for _ in range(self.rng.randint(3, 6))]
            self.team[chain_id] = members
            self.signers[chain_id] = [leader, responsible]
            roles = [(leader, "leader"), (responsible, "responsible")]
            roles += [(m, self.rng.choice(("member", "member", "liaison"))) for m in members]
            if self.rng.random() < 0.3:  # an earlier chain leader, handed over a year ago
                earlier = self.person()
                handover = self._month_start(self.today, -12)
                self.membership(chain_id, earlier, "leader", start, handover)
                self.chain_events.append(
                    self.event(
                        handover,
                        "edited",
                        chain_id=chain_id,
                        field="leader",
                        old=self.name[earlier],
                        new=self.name[leader],
                    )
                )
                since_leader = handover
            else:
                since_leader = start
            for person_id, role in roles:
                self.membership(
                    chain_id, person_id, role, since_leader if role == "leader" else start
                )

    def membership(
        self, chain_id: int, person_id: int, role: str, since: date, until: date | None = None
    ) -> None:
        self.memberships.append(
            {
                "id": self.ids.next("membership"),
                "uuid": self.uuid(),
                "chain_id": chain_id,
                "person_id": person_id,
                "role": role,
                "since": since,
                "until": until,
            }
        )

    def build_meetings(self) -> None:
        for chain in self.chains:
            chain_id = chain["id"]
            held: list[dict[str, Any]] = []
            for delta in range(MONTHS):
                first = self._month_start(self.first_month, delta)
                last = min(self._month_start(first, 1) - timedelta(days=1), self.today)
                if first > self.today:
                    break
                kinds = [] if self.rng.random() < 0.06 else ["scheduling"]  # missed now and then
                kinds += self.rng.choices(("breakfast", "salon", "visit"), k=self.rng.randint(0, 2))
                days = sorted(self.day_between(first, last) for _ in kinds)
                for kind, day in zip(kinds, days, strict=True):
                    held.append(self.meeting(chain, kind, day))
            held.sort(key=lambda m: (m["held_on"], m["id"]))
            self.meetings_of[chain_id] = held

    def meeting(self, chain: dict[str, Any], kind: str, held_on: date) -> dict[str, Any]:
        number = chain["next_meeting_no"]
        chain["next_meeting_no"] = number + 1
        meeting_id = self.ids.next("meeting")
        leader = self.signers[chain["id"]][0]
        row = {
            "id": meeting_id,
            "uuid": self.uuid(),
            "key": f"{chain['code']}-M{number}",
            "chain_id": chain["id"],
            "number": number,
            "kind": kind,
            "month": f"{held_on.year:04d}-{held_on.month:02d}",
            "held_on": held_on,
            "chair_id": leader if kind == "scheduling" else None,
            "summary": chain["name"] + ("产业链月度调度会" if kind == "scheduling" else "企业座谈"),
            "created_at": self.at(held_on),
        }
        self.meetings.append(row)
        self.chain_events.append(
            self.event(
                held_on, "created", chain_id=chain["id"], meeting_id=meeting_id, text=row["key"]
            )
        )
        for position in range(1, self.rng.randint(3, 6) + 1):
            self.attendees.append(
                {
                    "id": self.ids.next("meeting_attendee"),
                    "uuid": self.uuid(),
                    "meeting_id": meeting_id,
                    "position": position,
                    "name": self.rng.choice(SURNAMES)
                    + self.rng.choice(GIVEN)
                    + self.rng.choice(GIVEN),
                }
            )
        for position in range(1, self.rng.randint(2, 4) + 1):
            self.decisions.append(
                {
                    "id": self.ids.next("meeting_decision"),
                    "uuid": self.uuid(),
                    "meeting_id": meeting_id,
                    "position": position,
                    "text": self.rng.choice(UNITS)
                    + "牵头，"
                    + self.rng.choice(PROBLEMS)
                    + "问题限期办结",
                }
            )
        if kind == "scheduling":
            for name, unit in self.rng.sample(FIGURES, self.rng.randint(1, 3)):
                self.figures.append(
                    {
                        "id": self.ids.next("meeting_figure"),
                        "uuid": self.uuid(),
                        "meeting_id": meeting_id,
                        "name": name,
                        "value": f"{self.rng.randint(1, 9999)}.{self.rng.randint(0, 99):02d}",
                        "unit": unit,
                    }
                )
        return row

    # ------------------------------------------------------------------ items

    def event(self, day: date | datetime, kind: str, **values: Any) -> dict[str, Any]:
        at = day if isinstance(day, datetime) else self.at(day)
        row = {
            "id": self.ids.next("event"),
            "uuid": self.uuid(),
            "at": at,
            "actor": "benchmark",
            "kind": kind,
            "chain_id": None,
            "item_id": None,
            "meeting_id": None,
            "person_id": None,
            "unit_id": None,
            "field": None,
            "old": None,
            "new": None,
            "text": None,
        }
        row.update(values)
        return row

    def items(
        self,
    ) -> Iterator[tuple[list[dict[str, Any]], ...]]:
        """Chunks of (items, meeting links, events, assignments, enterprises, item
        enterprises, enterprise places on chains, follow-ups), in item order."""
        weights = [
            1.0 / (rank + 1) ** 0.6 for rank in range(len(self.chains))
        ]  # some chains busier
        window = (self.today - self.first_month).days
        made = 0
        while made < self.size:
            items: list[dict[str, Any]] = []
            links: list[dict[str, Any]] = []
            events: list[dict[str, Any]] = []
            parts: list[dict[str, Any]] = []
            registry: tuple[list[dict[str, Any]], ...] = ([], [], [], [])
            for _ in range(min(CHUNK, self.size - made)):
                chain = self.rng.choices(self.chains, weights)[0]
                # more items raised recently than two years ago
                raised = self.today - timedelta(days=int(window * self.rng.random() ** 1.3))
                self.item(chain, raised, items, links, events)
                self.assignments(items[-1], events, parts)
                self.enterprises(items[-1], *registry)
            made += len(items)
            yield (items, links, events, parts, *registry)

    def _enterprise(self, name: str, found: list[dict[str, Any]]) -> int:
        """The id of the enterprise of this name, added to ``found`` when new."""
        known = self.enterprise_ids.get(name)
        if known is not None:
            return known
        rng = self.registry
        enterprise_id = self.enterprise_ids[name] = self.ids.next("enterprise")
        found.append(
            {
                "id": enterprise_id,
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "name": name,
                "short": None,
                "credit_code": None,
                "contact": f"025-8{rng.randint(1000000, 9999999)}",
                "park": rng.choice(PARKS),
                "above_scale": rng.random() < 0.3,
                "created_at": datetime(self.first_month.year, self.first_month.month, 1, 8),
            }
        )
        return enterprise_id

    def enterprises(
        self,
        item: dict[str, Any],
        found: list[dict[str, Any]],
        raisers: list[dict[str, Any]],
        places: list[dict[str, Any]],
        follow_ups: list[dict[str, Any]],
    ) -> None:
        """The enterprises that raised an item (its text first, a second on about one
        item in five), their places on its chain, and a resolved or closed item's
        follow-up of its first enterprise."""
        rng = self.registry
        names = [item["enterprise"]]
        if rng.random() < 0.2:
            heads = rng.choice(ENTERPRISE_HEADS) + rng.choice(ENTERPRISE_HEADS)
            second = heads + rng.choice(ENTERPRISE_TAILS)
            if second != names[0]:
                names.append(second)
        first = None
        for position, name in enumerate(names, start=1):
            enterprise_id = self._enterprise(name, found)
            first = first or enterprise_id
            raisers.append(
                {
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "item_id": item["id"],
                    "enterprise_id": enterprise_id,
                    "position": position,
                    "created_at": item["created_at"],
                }
            )
            if (enterprise_id, item["chain_id"]) not in self.placed:
                self.placed.add((enterprise_id, item["chain_id"]))
                places.append(
                    {
                        "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "enterprise_id": enterprise_id,
                        "chain_id": item["chain_id"],
                        "segment": rng.choice(("upstream", "midstream", "downstream", None)),
                        "lead": False,
                        "created_at": item["created_at"],
                    }
                )
        if item["status"] not in ("resolved", "closed"):
            return
        signed = self.signed.get(item["id"])
        if signed is not None:  # asked when it was signed off
            by, at = signed
            result = "satisfied"
        else:
            by = rng.choice(self.signers[item["chain_id"]])
            asked = min(self.today, item["resolved_on"] + timedelta(days=rng.randint(1, 7)))
            hour, minute = rng.randint(0, 9), rng.randint(0, 59)
            at = max(item["updated_at"], datetime(asked.year, asked.month, asked.day, hour, minute))
            result = rng.choice(("satisfied", "satisfied", "basically_satisfied"))
        follow_ups.append(
            {
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "item_id": item["id"],
                "enterprise_id": first,
                "result": result,
                "by_id": by,
                "note": None,
                "asked_on": at.date(),
                "reopened_on": None,
                "created_at": at,
            }
        )

    def assignments(
        self, item: dict[str, Any], events: list[dict[str, Any]], parts: list[dict[str, Any]]
    ) -> None:
        """Every item's lead unit, and a co-handling unit on about a third of them, each
        with its ``assigned`` event; the item's clock is the earliest working limit."""
        rng = self.rng
        status = item["status"]
        done = status in ("resolved", "closed")
        lead_state = "reported" if done else "handling" if status == "in_progress" else "received"
        units = [(item["unit_id"], "lead", lead_state, item["due_on"])]
        if rng.random() < 0.33:
            other = rng.choice([n for n in range(1, len(UNITS) + 1) if n != item["unit_id"]])
            co_due = item["due_on"] - timedelta(days=rng.choice((0, 7, 14)))
            co_state = "reported" if done else rng.choice(("assigned", "received", "handling"))
            units.append((other, "co", co_state, max(co_due, item["raised_on"])))
        clock = item["due_on"]
        for unit_id, role, state, due in units:
            parts.append(
                {
                    "id": self.ids.next("assignment"),
                    "uuid": self.uuid(),
                    "item_id": item["id"],
                    "unit_id": unit_id,
                    "role": role,
                    "owner_id": item["owner_id"] if role == "lead" else None,
                    "state": state,
                    "assigned_on": item["raised_on"],
                    "due_on": due,
                    "receipt_due": None,
                    "received_on": None if state == "assigned" else item["raised_on"],
                    "reported_on": item["resolved_on"] if state == "reported" else None,
                    "report": item["resolution"] if state == "reported" else None,
                    "ended_on": None,
                    "end_reason": None,
                    "suggested": None,
                    "created_at": item["created_at"],
                    "updated_at": item["updated_at"],
                }
            )
            events.append(
                self.event(
                    item["created_at"],
                    "assigned",
                    chain_id=item["chain_id"],
                    item_id=item["id"],
                    unit_id=unit_id,
                    field=role,
                    new=state,
                )
            )
            if state not in ("reported",):
                clock = min(clock, due)
        item["original_due_on"] = item["due_on"]
        item["clock_due"] = clock

    def item(
        self,
        chain: dict[str, Any],
        raised: date,
        items: list[dict[str, Any]],
        links: list[dict[str, Any]],
        events: list[dict[str, Any]],
    ) -> None:
        rng = self.rng
        number = chain["next_item_no"]
        chain["next_item_no"] = number + 1
        item_id = self.ids.next("item")
        chain_id = chain["id"]
        due = raised + timedelta(days=rng.choice((14, 30, 30, 45, 60, 90, 120)))
        title = rng.choice(PROBLEMS)
        # what happens to it, as (day, kind, values) in the order it happened
        story: list[tuple[date, str, dict[str, Any]]] = [
            (raised, "created", {"new": "open", "text": title})
        ]
        raised_at = next(
            (m for m in reversed(self.meetings_of[chain_id]) if m["held_on"] <= raised), None
        )
        source = "other"
        if raised_at is not None and rng.random() < 0.7:
            source = raised_at["kind"]
            links.append(self.link(raised_at["id"], item_id, "raised"))
            story.append(
                (
                    raised,
                    "linked",
                    {"meeting_id": raised_at["id"], "field": "raised", "text": raised_at["key"]},
                )
            )
        # the older the item, the likelier it is finished; about 70% on time
        done = rng.random() < min(0.985, (self.today - raised).days / 120)
        if done:
            path = rng.choices(
                (
                    ["in_progress", "resolved", "closed"],
                    ["resolved", "closed"],
                    ["in_progress", "resolved"],
                    ["in_progress", "blocked", "in_progress", "resolved", "closed"],
                    ["dropped"],
                ),
                (50, 15, 15, 10, 5),
            )[0]
            if rng.random() < 0.3:
                end = min(self.today, due + timedelta(days=rng.randint(1, 40)))
            else:
                end = self.day_between(raised, min(due, self.today))
        else:
            path = rng.choices(
                ([], ["in_progress"], ["in_progress", "blocked"], ["blocked"]), (35, 45, 12, 8)
            )[0]
            end = self.today
        status = "open"
        resolution = resolved_on = closed_on = reason = None
        days = sorted(self.day_between(raised, end) for _ in path)
        for new, day in zip(path, days, strict=True):
            if new == "resolved":
                day = end
                resolution, resolved_on = rng.choice(HOW), end
                story.append(
                    (
                        day,
                        "resolved",
                        {"field": "status", "old": status, "new": new, "text": resolution},
                    )
                )
            elif new == "closed":
                day = closed_on = min(self.today, end + timedelta(days=rng.randint(0, 10)))
                signer = rng.choice(self.signers[chain_id])
                values = {"field": "status", "old": status, "new": new, "person_id": signer}
                story.append(
                    (
                        day,
                        "status",
                        {**values, "text": f"enterprise satisfied, asked by {self.name[signer]}"},
                    )
                )
            else:
                reason = {"blocked": "等待上级部门批复", "dropped": "企业已迁出本区"}.get(new)
                story.append(
                    (day, "status", {"field": "status", "old": status, "new": new, "text": reason})
                )
            status = new
        last_day = story[-1][0]
        discussed = [m for m in self.meetings_of[chain_id] if raised < m["held_on"] <= last_day]
        if discussed and rng.random() < 0.5:
            meeting = rng.choice(discussed)
            links.append(self.link(meeting["id"], item_id, "discussed"))
            story.append(
                (
                    meeting["held_on"],
                    "linked",
                    {"meeting_id": meeting["id"], "field": "discussed", "text": meeting["key"]},
                )
            )
        for _ in range(max(0, EVENTS_PER_ITEM - len(story) + rng.randint(-1, 1))):
            story.append((self.day_between(raised, last_day), "note", {"text": rng.choice(NOTES)}))
        # in time order (a stable sort keeps the status changes in their order),
        # one event after the other: ids and moments both increase
        story.sort(key=lambda step: step[0])
        moment = datetime.min
        history = []
        for day, kind, values in story:
            moment = max(self.at(day), moment + timedelta(minutes=1))
            history.append(self.event(moment, kind, chain_id=chain_id, item_id=item_id, **values))
            if values.get("new") == "closed":
                self.signed[item_id] = (values["person_id"], moment)
        items.append(
            {
                "id": item_id,
                "uuid": self.uuid(),
                "key": f"{chain['code']}-{number}",
                "chain_id": chain_id,
                "number": number,
                "title": title,
                "detail": f"企业反映：{title}，影响项目进度。",
                "enterprise": rng.choice(ENTERPRISE_HEADS)
                + rng.choice(ENTERPRISE_HEADS)
                + rng.choice(ENTERPRISE_TAILS),
                "source": source,
                "category": rng.choice(CATEGORIES),
                "priority": rng.choices(("low", "normal", "high", "urgent"), (15, 55, 22, 8))[0],
                "unit": (unit := rng.choice(UNITS)),
                "unit_id": UNITS.index(unit) + 1,  # the units are written first, in this order
                "owner_id": rng.choice(self.team[chain_id]) if rng.random() < 0.85 else None,
                "raised_on": raised,
                "due_on": due,
                "status": status,
                "resolution": resolution if status in ("resolved", "closed") else None,
                "resolved_on": resolved_on if status in ("resolved", "closed") else None,
                "closed_on": closed_on if status == "closed" else None,
                "status_reason": reason if status in ("blocked", "dropped") else None,
                "created_at": history[0]["at"],
                "updated_at": history[-1]["at"],
            }
        )
        events.extend(history)

    def link(self, meeting_id: int, item_id: int, relation: str) -> dict[str, Any]:
        return {
            "id": self.ids.next("meeting_item"),
            "uuid": self.uuid(),
            "meeting_id": meeting_id,
            "item_id": item_id,
            "relation": relation,
        }

    # ------------------------------------------------------------------ chain projects

    def projects(self, seed: int) -> dict[str, list[dict[str, Any]]]:
        """Chain projects, about one per ten items of each chain, with their progress
        reports, milestones and ``project_created`` events; from their own generator
        (every other row stays as it was), after the items (their enterprises)."""
        rng = random.Random(seed + 7)
        made: dict[str, list[dict[str, Any]]] = {
            "project": [], "project_progress": [], "project_milestone": [], "event": [],
        }  # fmt: skip
        on_chain: dict[int, list[int]] = {}
        for enterprise_id, chain_id in sorted(self.placed):
            on_chain.setdefault(chain_id, []).append(enterprise_id)
        people = [p["id"] for p in self.people]
        for chain in self.chains:
            count = (
                max(1, round((chain["next_item_no"] - 1) / 10)) if on_chain.get(chain["id"]) else 0
            )
            for number in range(1, count + 1):
                pid = self.ids.next("project")
                start = self.first_month + timedelta(days=rng.randint(0, 30 * (MONTHS - 3)))
                end = start + timedelta(days=rng.randint(180, 900))
                created = datetime(start.year, start.month, start.day, 9) - timedelta(days=20)
                status = rng.choices(("active", "finished", "dropped"), (85, 10, 5))[0]
                investment = rng.randint(1, 500) / 10
                percent, invested, day = 0, None, start
                for _ in range(rng.randint(0, 4)):
                    day = day + timedelta(days=rng.randint(20, 90))
                    if day > self.today:
                        break
                    percent = min(99, percent + rng.randint(5, 30))
                    invested = f"{investment * percent / 100:.1f}"
                    made["project_progress"].append(
                        {"id": self.ids.next("project_progress"), "uuid": str(uuid.UUID(
                            int=rng.getrandbits(128), version=4)), "project_id": pid,
                         "as_of": day, "percent": percent, "invested": invested,
                         "note": "按计划推进", "why": None, "by": "benchmark",
                         "created_at": datetime(day.year, day.month, day.day, 10)}
                    )  # fmt: skip
                finished = status == "finished" and day <= self.today
                if finished:
                    percent = 100
                    made["project_progress"].append(
                        {"id": self.ids.next("project_progress"), "uuid": str(uuid.UUID(
                            int=rng.getrandbits(128), version=4)), "project_id": pid,
                         "as_of": day, "percent": 100, "invested": invested, "note": "finished",
                         "why": None, "by": "benchmark",
                         "created_at": datetime(day.year, day.month, day.day, 11)}
                    )  # fmt: skip
                for index in range(rng.randint(1, 3)):
                    due = start + (end - start) * (index + 1) / 4
                    made["project_milestone"].append(
                        {"id": self.ids.next("project_milestone"), "uuid": str(uuid.UUID(
                            int=rng.getrandbits(128), version=4)), "project_id": pid,
                         "title": f"节点{index + 1}", "due_on": due,
                         "done_on": due if due <= self.today and rng.random() < 0.7 else None,
                         "created_at": created}
                    )  # fmt: skip
                key = f"{chain['code']}-P{number}"
                made["project"].append(
                    {"id": pid, "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                     "key": key, "chain_id": chain["id"], "number": number,
                     "title": f"{chain['name']}项目{number}",
                     "type": rng.choice(("build", "strengthen", "fill", "extend")),
                     "enterprise_id": rng.choice(on_chain[chain["id"]]), "link_id": None,
                     "unit_id": rng.randint(1, len(UNITS)), "owner_id": rng.choice(people),
                     "investment": f"{investment:.1f}", "investment_unit": "亿元",
                     "start_on": start, "end_on": end, "planned_end_on": end,
                     "status": "finished" if finished else ("dropped" if status == "dropped"
                                                            else "active"),
                     "percent": percent, "invested": invested,
                     "finished_on": day if finished else None,
                     "dropped_on": self.today if status == "dropped" else None,
                     "note": None, "created_at": created, "updated_at": created}
                )  # fmt: skip
                made["event"].append(
                    {"id": self.ids.next("event"), "uuid": str(uuid.UUID(
                        int=rng.getrandbits(128), version=4)), "at": created,
                     "actor": "benchmark", "kind": "project_created", "chain_id": chain["id"],
                     "project_id": pid, "new": key, "text": f"{chain['name']}项目{number}"}
                )  # fmt: skip
            chain["next_project_no"] = count + 1
        return made


# The IC chain's map: 30 links by segment, every third weak or missing.
MAP_LINKS = (
    [("upstream", n) for n in ("光刻胶", "电子特气", "硅片", "靶材", "EDA工具", "IP核",
                               "光刻机零部件", "湿电子化学品")]
    + [("midstream", n) for n in ("芯片设计", "晶圆制造", "12英寸晶圆代工", "特色工艺",
                                  "化合物半导体", "功率器件", "MEMS传感器", "模拟芯片",
                                  "存储芯片", "射频前端", "先进封装", "晶圆级封装", "掩模版",
                                  "测试设备")]
    + [("downstream", n) for n in ("封装测试", "模组制造", "汽车电子", "智能终端", "工业控制",
                                   "通信设备", "数据中心", "消费电子")]
)  # fmt: skip
MAP_ENTERPRISES = 150


def chain_map(self: District, db: Reader) -> tuple[int, int]:
    """The IC chain's map: its links, 150 enterprises of the registry placed on them
    (and on the chain), every seventh IC item naming a link. Draws from its own
    generator, so every other row stays as it was. Returns (links, placements)."""
    rng = random.Random(self.rng.random())
    chain = next(c for c in self.chains if c["code"] == "IC")
    links = []
    for position, (segment, name) in enumerate(MAP_LINKS, start=1):
        links.append(
            {
                "id": self.ids.next("chain_link"),
                "uuid": self.uuid(),
                "chain_id": chain["id"],
                "name": name,
                "segment": segment,
                "state": ("strong", "weak", "missing")[position % 3],
                "position": position,
                "note": None,
                "created_at": self.at(self.first_month),
            }
        )
    insert_rows(db, "chain_link", links)
    chosen = rng.sample(sorted(self.enterprise_ids.values()), MAP_ENTERPRISES)
    placements, joined = [], []
    for index, enterprise_id in enumerate(chosen):
        link = links[index % len(links)]
        placements.append(
            {
                "id": self.ids.next("enterprise_link"),
                "uuid": self.uuid(),
                "enterprise_id": enterprise_id,
                "link_id": link["id"],
                "created_at": self.at(self.first_month),
            }
        )
        if (enterprise_id, chain["id"]) not in self.placed:
            self.placed.add((enterprise_id, chain["id"]))
            joined.append(
                {
                    "uuid": self.uuid(),
                    "enterprise_id": enterprise_id,
                    "chain_id": chain["id"],
                    "segment": link["segment"],
                    "lead": index < 3,
                    "created_at": self.at(self.first_month),
                }
            )
    insert_rows(db, "enterprise_chain", joined)
    insert_rows(db, "enterprise_link", placements)
    db.execute(
        "UPDATE item SET link_id = :first + (number % :n) WHERE chain_id = :c AND number % 7 = 0",
        {"first": links[0]["id"], "n": len(links), "c": chain["id"]},
    )
    return len(links), len(placements)


def insert_rows(db: Reader, table: str, rows: Iterable[dict[str, Any]]) -> int:
    """Insert dict rows (every dict of one call with the same keys) in batches of
    tuples, dates and times in the form the database stores. Returns the count."""
    from chainlead.store.connection import stored_day, stored_time

    as_time, as_day = stored_time(db), stored_day(db)

    def stored(value: Any) -> Any:
        if isinstance(value, datetime):
            return as_time(value)
        if isinstance(value, date):
            return as_day(value)
        return value

    count = 0
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        names = tuple(batch[0])
        columns = ", ".join(f'"{name}"' for name in names)
        markers = ", ".join(f":{name}" for name in names)
        statement = f'INSERT INTO "{table}" ({columns}) VALUES ({markers})'
        db.executemany(statement, [tuple(stored(row[n]) for n in names) for row in batch])
        count += len(batch)
    return count


def chain_history(db: Reader) -> None:
    """Hash the generated history in id order, as chainlead's writer would have (the
    events were inserted as rows, in batches, ids given): the append-only guard is set
    aside for this one update, on a database nobody else uses yet."""
    from chainlead.domain.seals import ZERO, link
    from chainlead.store.history import chain_events

    previous, last, hashes = ZERO, None, []
    for event in chain_events(db):
        previous, last = link(previous, event.content), event.id
        hashes.append((previous, last))
    db.execute("DROP TRIGGER event_no_update")
    db.executemany("UPDATE event SET hash = :hash WHERE id = :id", hashes)
    db.execute(
        "CREATE TRIGGER event_no_update BEFORE UPDATE ON event "
        "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END"
    )
    db.execute(
        "UPDATE history_head SET event_id = :id, hash = :hash WHERE id = 1",
        {"id": last, "hash": previous},
    )


def generate(size: str, *, out: Path, today: date, seed: int) -> dict[str, Any]:
    """Write ``district-<size>.db`` and its ``.json``; returns what the json holds."""
    from chainlead.store.connection import open_writer
    from chainlead.store.database import open_database, remove_database_files, upgrade

    out.mkdir(parents=True, exist_ok=True)
    path = out / f"district-{size}.db"
    remove_database_files(path)
    district = District(SIZES[size], today=today, seed=seed)
    district.build_chains()
    district.build_meetings()
    started = time.perf_counter()
    database = open_database(str(path), create=True)
    try:
        upgrade(database)
    finally:
        database.dispose()
    with open_writer(str(path)) as db:
        insert_rows(db, "person", district.people)
        # items move next_item_no on; the final numbers are set at the end
        insert_rows(db, "chain", [dict(c, next_item_no=1) for c in district.chains])
        insert_rows(db, "membership", district.memberships)
        insert_rows(db, "meeting", district.meetings)
        insert_rows(db, "meeting_attendee", district.attendees)
        insert_rows(db, "meeting_decision", district.decisions)
        insert_rows(db, "meeting_figure", district.figures)
        insert_rows(db, "event", district.chain_events)
        insert_rows(db, "unit", district.units())
        counts = {"item": 0, "event": len(district.chain_events), "meeting_item": 0}
        counts.update(assignment=0, enterprise=0, item_enterprise=0, follow_up=0)
        for items, links, events, parts, found, raisers, places, asked in district.items():
            counts["enterprise"] += insert_rows(db, "enterprise", found)
            counts["item"] += insert_rows(db, "item", items)
            counts["meeting_item"] += insert_rows(db, "meeting_item", links)
            counts["event"] += insert_rows(db, "event", events)
            counts["assignment"] += insert_rows(db, "assignment", parts)
            insert_rows(db, "enterprise_chain", places)
            counts["item_enterprise"] += insert_rows(db, "item_enterprise", raisers)
            counts["follow_up"] += insert_rows(db, "follow_up", asked)
        projects = district.projects(seed)  # chain projects, about one per ten items
        for table in ("project", "project_progress", "project_milestone", "event"):
            counts[table] = counts.get(table, 0) + insert_rows(db, table, projects[table])
        for chain in district.chains:
            db.execute(
                "UPDATE chain SET next_item_no = :next, next_project_no = :projects "
                "WHERE id = :id",
                {"next": chain["next_item_no"], "projects": chain["next_project_no"],
                 "id": chain["id"]},
            )  # fmt: skip
        counts["chain_link"], counts["enterprise_link"] = chain_map(district, db)
        chain_history(db)
    busiest = max(district.chains, key=lambda c: c["next_item_no"])
    meta = {
        "size": size,
        "items": counts["item"],
        "events": counts["event"],
        "assignments": counts["assignment"],
        "enterprises": counts["enterprise"],
        "item_enterprises": counts["item_enterprise"],
        "follow_ups": counts["follow_up"],
        "chain_links": counts["chain_link"],
        "enterprise_links": counts["enterprise_link"],
        "projects": counts["project"],
        "chains": len(district.chains),
        "meetings": len(district.meetings),
        "people": len(district.people),
        "today": today.isoformat(),
        "seed": seed,
        "chain": busiest["code"],
        "key": f"{busiest['code']}-{max(1, busiest['next_item_no'] // 2)}",
        "seconds": round(time.perf_counter() - started, 2),
        "bytes": path.stat().st_size,
        "path": str(path),
    }
    (out / f"district-{size}.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k,100k", help="comma-separated: 1k,10k,100k")
    parser.add_argument("--out", type=Path, default=DATA, help="folder for the databases")
    parser.add_argument("--today", default=None, help="YYYY-MM-DD [default: today]")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    today = date.fromisoformat(args.today) if args.today else date.today()
    for size in parse_sizes(args.sizes):
        meta = generate(size, out=args.out, today=today, seed=args.seed)
        print(
            f"{size}: {meta['items']} items, {meta['events']} events, {meta['chains']} chains, "
            f"{meta['meetings']} meetings in {meta['seconds']} s -> {meta['path']}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
