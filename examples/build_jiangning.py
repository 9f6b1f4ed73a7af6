"""Build the Jiangning District demo data and write it as a chainlead snapshot.

Everything goes through chainlead's own domain functions, the same ones the
commands call: the eight chains with their leaders, responsible persons and
working teams; six months of scheduling meetings (2026-05 to 2026-10) and the
breakfast meetings, salons and visits where enterprises raised their problems;
and about sixty bottleneck items, each with a dated history from the day it
was raised. Every change carries a ``Stamp``: the team member who made it,
when (Beijing time here, stored as UTC like every chainlead timestamp) and the
day it counts for.

Nothing here is random, so running it again writes the same file.

    .venv/bin/python examples/build_jiangning.py               # examples/jiangning.toml
    .venv/bin/python examples/build_jiangning.py --db demo.db  # keep the database too
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from chainlead.domain import Stamp
from chainlead.domain.bottlenecks import (
    add_item,
    block_item,
    close_item,
    drop_item,
    edit_item,
    note_item,
    reopen_item,
    resolve_item,
    start_item,
)
from chainlead.domain.chains import add_chain, add_member, edit_chain
from chainlead.domain.enterprises import add_enterprise, edit_enterprise
from chainlead.domain.links import add_link
from chainlead.domain.people import ensure_person
from chainlead.domain.projects import add_project, finish_project, mark_milestone, record_progress
from chainlead.domain.schedules import add_meeting
from chainlead.domain.targets import set_targets
from chainlead.snapshot.export import export_snapshot
from chainlead.snapshot.merge import import_snapshot
from chainlead.snapshot.reader import read_snapshot
from chainlead.store.connection import Reader
from chainlead.store.database import open_database, upgrade
from chainlead.values import credit_check_character

sys.path.insert(0, str(Path(__file__).resolve().parent))
from jiangning_chain import (  # noqa: E402 -- beside this file, not a package
    INVESTMENT_UNIT,
    ITEM_LINKS,
    ITEM_PROJECTS,
    LINKS,
    PROJECTS,
    TARGETS,
    ChainProject,
    Link,
)

EXAMPLES = Path(__file__).resolve().parent
DISTRICT = "Jiangning District"
BEIJING = timedelta(hours=8)  # chainlead stores naive UTC; the district works in UTC+8

# ------------------------------------------------------------------ institutions

GOV = "Jiangning District People's Government"
PARTY = "Jiangning District Committee of the CPC"
DRB = "District Development and Reform Bureau"
IIT = "District Industry and Information Technology Bureau"
SCI = "District Science and Technology Bureau"
COM = "District Commerce Bureau"
HRSS = "District Human Resources and Social Security Bureau"
NRP = "District Natural Resources and Planning Bureau"
GRID = "State Grid Jiangning Power Supply Company"
HOUSING = "District Housing and Urban-Rural Development Bureau"
ECO = "District Ecology and Environment Bureau"
EMB = "District Emergency Management Bureau"
FIN = "District Finance Bureau"
MSB = "District Market Supervision Bureau"
HEALTH = "District Health Commission"
WATER = "District Water Affairs Bureau"
TRANSPORT = "District Transport Bureau"
URBAN = "District Urban Management Bureau"
DATA = "District Data Bureau"
CUSTOMS = "Nanjing Customs Jiangning Office"
EXIT_ENTRY = "District Public Security Bureau Exit-Entry Office"
TRAFFIC = "District Traffic Police Brigade"
CYBER = "District Cyberspace Affairs Office"
EDU = "District Education Bureau"
JDZ = "Jiangning Development Zone Administrative Committee"
BINJIANG = "Binjiang Development Zone Administrative Committee"
MOLING = "Moling Subdistrict Office"

# name: (unit, title)
PEOPLE: dict[str, tuple[str, str]] = {
    # chain leaders: district leaders
    "Li Ming": (PARTY, "Secretary of the District Party Committee"),
    "Xu Dong": (GOV, "District Mayor"),
    "Wang Jun": (GOV, "Executive Deputy District Mayor"),
    "Zhu Wen": (PARTY, "Member of the Standing Committee of the District Party Committee"),
    "Chen Hua": (GOV, "Deputy District Mayor"),
    "Zhou Gang": (GOV, "Deputy District Mayor"),
    "Yang Bo": (GOV, "Deputy District Mayor"),
    "Qin Hai": (GOV, "Deputy District Mayor"),
    "Deng Hui": (GOV, "Deputy District Mayor"),
    # responsible persons
    "Liu Yang": (IIT, "Deputy Director"),
    "Huang Jing": (SCI, "Deputy Director"),
    "Wu Lei": (IIT, "Director"),
    "Zhang Wei": (DRB, "Deputy Director"),
    "Guo Rui": (DRB, "Deputy Director"),
    "Hu Jun": (TRANSPORT, "Deputy Director"),
    "Song Mei": (COM, "Deputy Director"),
    "Xie Yun": (JDZ, "Deputy Director"),
    # working-team members
    "Zhao Min": (IIT, "Head of the Software Industry Section"),
    "Qian Li": (JDZ, "Investment Service Manager"),
    "Sun Qiang": (SCI, "Head of the High-tech Industry Section"),
    "Xu Tao": (HEALTH, "Head of the Medical Administration Section"),
    "He Ping": ("Biomedical Valley Management Office", "Deputy Director"),
    "Lin Xue": (MSB, "Head of the Drug and Device Supervision Section"),
    "Zheng Hao": (IIT, "Head of the Equipment Industry Section"),
    "Feng Yu": (BINJIANG, "Enterprise Service Manager"),
    "Jiang Tao": (COM, "Head of the Foreign Trade Section"),
    "Wang Fang": (DRB, "Head of the Major Projects Section"),
    "Chen Jie": (SCI, "Integrated Circuit Industry Officer"),
    "Zhou Lan": ("District Investment Promotion Bureau", "Project Manager"),
    "Ma Li": (DRB, "Head of the Energy Section"),
    "Luo Chen": (GRID, "Customer Service Manager"),
    "Gao Yan": (TRANSPORT, "Head of the Planning Section"),
    "Lin Feng": ("Jiangning High-speed Rail Hub Office", "Deputy Director"),
    "Shen Jia": (TRANSPORT, "Rail Transit Officer"),
    "Tang Jian": (IIT, "Head of the Automotive Industry Section"),
    "Han Xiao": ("Automobile Industrial Park Office", "Deputy Director"),
    "Cao Ning": (COM, "Head of the Consumption Promotion Section"),
    "Peng Fei": (EMB, "Head of the Hazardous Chemicals Section"),
    "Dong Qing": ("New Materials Industrial Park Office", "Deputy Director"),
}


@dataclass(frozen=True)
class ChainSpec:
    code: str
    name: str
    description: str
    leader: str
    responsible: str
    team: tuple[tuple[str, str], ...]  # (name, role)
    created: str  # Beijing time
    by: str


CHAINS = (
    ChainSpec(
        "AI",
        "Software and artificial intelligence",
        "软件和人工智能: industrial software, large models, computing power and data services",
        "Wang Jun",
        "Liu Yang",
        (("Zhao Min", "member"), ("Qian Li", "liaison"), ("Sun Qiang", "member")),
        "2026-04-27 09:00",
        "Zhao Min",
    ),
    ChainSpec(
        "BIO",
        "Biomedicine",
        "生物医药: innovative drugs, cell therapy, medical devices, CRO/CDMO services",
        "Chen Hua",
        "Huang Jing",
        (("Xu Tao", "member"), ("He Ping", "liaison"), ("Lin Xue", "member")),
        "2026-04-27 09:20",
        "He Ping",
    ),
    ChainSpec(
        "IME",
        "Intelligent manufacturing equipment",
        "智能制造装备: industrial robots, CNC machine tools, smart production lines",
        "Zhou Gang",
        "Wu Lei",
        (("Zheng Hao", "member"), ("Feng Yu", "liaison")),
        "2026-04-27 09:40",
        "Zheng Hao",
    ),
    ChainSpec(
        "IC",
        "Integrated circuits",
        "集成电路: chip design, wafer-level packaging and testing, semiconductor materials",
        "Li Ming",
        "Zhang Wei",
        (("Wang Fang", "member"), ("Chen Jie", "liaison"), ("Zhou Lan", "member")),
        "2026-04-27 10:00",
        "Chen Jie",
    ),
    ChainSpec(
        "SG",
        "Smart grid",
        "智能电网: power equipment, grid automation, energy storage, virtual power plants",
        "Yang Bo",
        "Guo Rui",
        (("Ma Li", "member"), ("Luo Chen", "liaison")),
        "2026-04-27 10:20",
        "Ma Li",
    ),
    ChainSpec(
        "RT",
        "Rail transit",
        "轨道交通: rolling stock, signalling, interiors, operation and maintenance",
        "Zhu Wen",
        "Hu Jun",
        (("Gao Yan", "member"), ("Lin Feng", "liaison")),
        "2026-04-27 10:40",
        "Lin Feng",
    ),
    ChainSpec(
        "GSV",
        "Green smart vehicles",
        "绿色智能汽车: new-energy vehicles, power batteries, intelligent connected vehicles, "
        "charging and hydrogen",
        "Xu Dong",
        "Song Mei",
        (("Tang Jian", "member"), ("Han Xiao", "liaison"), ("Cao Ning", "member")),
        "2026-04-27 11:00",
        "Han Xiao",
    ),
    ChainSpec(
        "NM",
        "New materials",
        "新材料: carbon fibre, special alloys, high-performance polymers, functional films",
        "Deng Hui",
        "Xie Yun",
        (("Peng Fei", "member"), ("Dong Qing", "liaison")),
        "2026-04-27 11:20",
        "Dong Qing",
    ),
)


@dataclass(frozen=True)
class TeamChange:
    when: str
    actor: str
    code: str
    leader: str | None = None
    responsible: str | None = None
    member: tuple[str, str] | None = None  # (name, role) joining the team


TEAM_CHANGES = (
    TeamChange("2026-06-18 16:30", "Zheng Hao", "IME", member=("Jiang Tao", "member")),
    # Hu Jun moved to another district; the planning section head takes over.
    TeamChange("2026-07-06 09:30", "Lin Feng", "RT", responsible="Gao Yan"),
    TeamChange("2026-07-06 09:40", "Lin Feng", "RT", member=("Shen Jia", "member")),
    # Yang Bo was transferred to the municipal government; Qin Hai leads the chain.
    TeamChange("2026-08-10 10:00", "Ma Li", "SG", leader="Qin Hai"),
)

# Who sits in the chain's scheduling meeting, by period: (name, first day, last day).
ROSTER: dict[str, tuple[tuple[str, str, str], ...]] = {
    "AI": (("Wang Jun", "", ""), ("Liu Yang", "", ""), ("Zhao Min", "", ""), ("Qian Li", "", "")),
    "BIO": (("Chen Hua", "", ""), ("Huang Jing", "", ""), ("Xu Tao", "", ""), ("He Ping", "", "")),
    "IME": (
        ("Zhou Gang", "", ""),
        ("Wu Lei", "", ""),
        ("Zheng Hao", "", ""),
        ("Feng Yu", "", ""),
        ("Jiang Tao", "2026-06-18", ""),
    ),
    "IC": (
        ("Li Ming", "", ""),
        ("Zhang Wei", "", ""),
        ("Wang Fang", "", ""),
        ("Chen Jie", "", ""),
        ("Zhou Lan", "", ""),
    ),
    "SG": (
        ("Yang Bo", "", "2026-08-09"),
        ("Qin Hai", "2026-08-10", ""),
        ("Guo Rui", "", ""),
        ("Ma Li", "", ""),
        ("Luo Chen", "", ""),
    ),
    "RT": (
        ("Zhu Wen", "", ""),
        ("Hu Jun", "", "2026-07-05"),
        ("Gao Yan", "", ""),
        ("Lin Feng", "", ""),
        ("Shen Jia", "2026-07-06", ""),
    ),
    "GSV": (
        ("Xu Dong", "", ""),
        ("Song Mei", "", ""),
        ("Tang Jian", "", ""),
        ("Han Xiao", "", ""),
        ("Cao Ning", "", ""),
    ),
    "NM": (("Deng Hui", "", ""), ("Xie Yun", "", ""), ("Peng Fei", "", ""), ("Dong Qing", "", "")),
}


def present(code: str, held: str, *guests: str) -> tuple[str, ...]:
    """The chain's team on the day of a meeting, then the guests."""
    team = tuple(
        name
        for name, first, last in ROSTER[code]
        if (not first or first <= held) and (not last or held <= last)
    )
    return team + guests


# ------------------------------------------------------------------ meetings


@dataclass(frozen=True)
class Entry:
    """A meeting entry; ``key`` is the key chainlead is expected to give it."""

    key: str
    kind: str
    held: str  # YYYY-MM-DD
    by: str  # who records it
    summary: str
    decisions: tuple[str, ...]
    guests: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    discusses: tuple[str, ...] = ()
    chair: str | None = None  # default: the chain leader on that day
    recorded: str | None = None  # time of day it was written down, Beijing time

    @property
    def code(self) -> str:
        return self.key.split("-M")[0]

    @property
    def at(self) -> str:
        default = {"breakfast": "10:30", "visit": "12:00"}.get(self.kind, "17:30")
        return f"{self.held} {self.recorded or default}"


def figures(output: str, projects: int, investment: str) -> tuple[str, ...]:
    """The three key figures every chain reports for its month."""
    return (
        f"output_value={output}:bn CNY",
        f"new_projects={projects}",
        f"investment_signed={investment}:bn CNY",
    )


MEETINGS: tuple[Entry, ...] = (
    # ---------------------------------------------------------------- AI
    Entry(
        "AI-M1",
        "scheduling",
        "2026-05-14",
        "Zhao Min",
        "April review of the software and AI chain: software revenue up 12.1% year on year. "
        "Zijin Cloud's computing-power centre runs on a single 110 kV feed; Xinghuo AI cannot "
        "house the 120 algorithm engineers it is hiring.",
        (
            "State Grid Jiangning to survey a second 110 kV feed for the Zijin Cloud "
            "computing-power centre by the end of May (AI-1).",
            "Housing Bureau to propose talent-apartment places for Xinghuo AI (AI-2).",
            "Sun Qiang to draft the 2026 list of large-model application scenarios.",
        ),
        ("Sun Qiang", "Ma Chao (Zijin Cloud Computing)", "Luo Chen"),
        figures("14.2", 3, "2.1"),
    ),
    Entry(
        "AI-M2",
        "scheduling",
        "2026-06-11",
        "Zhao Min",
        "Cable route for the second feed agreed (3.2 km along Shengtai Road); the first 60 "
        "talent flats allocated. Large-model application salon planned for 25 June.",
        (
            "Hold a large-model application salon with about 20 enterprises on 25 June.",
            "Development zone to publish vacant office space in the software park every month.",
        ),
        ("Sun Qiang",),
        figures("14.8", 2, "1.4"),
        discusses=("AI-1", "AI-2"),
    ),
    Entry(
        "AI-M3",
        "salon",
        "2026-06-25",
        "Qian Li",
        "大模型应用沙龙 — large-model application salon with 22 enterprises, two universities "
        "and three banks. Firms asked for access to public data for training and for public "
        "bodies to buy innovative software first.",
        (
            "Collect the enterprises' requests for public data sets by 10 July.",
            "Finance Bureau to study a first-purchase catalogue for innovative software.",
        ),
        ("Sun Qiang", "Prof. Zhou Yi (Southeast University)"),
        recorded="18:30",
    ),
    Entry(
        "AI-M4",
        "scheduling",
        "2026-07-16",
        "Zhao Min",
        "Mid-year review: first-half software revenue 86.4 bn CNY, up 11.8%. Second feed "
        "works on schedule. Zijin Cloud's imported GPU servers take over 30 days to clear "
        "customs.",
        (
            "Ask Nanjing Customs Jiangning Office for a clearance channel for computing "
            "equipment (AI-5).",
            "Energise the second 110 kV feed by the end of July (AI-1).",
        ),
        ("Sun Qiang", "Luo Chen"),
        figures("15.1", 4, "3.2"),
        discusses=("AI-1", "AI-3", "AI-4"),
    ),
    Entry(
        "AI-M5",
        "scheduling",
        "2026-08-13",
        "Zhao Min",
        "Second feed energised on 28 July and signed off; first-purchase catalogue published "
        "with 14 products. Public training data depends on the city's open-data catalogue. "
        "Revenue dipped in the holiday month.",
        (
            "Write to the municipal data authority asking for the open-data catalogue to be "
            "published early (AI-3).",
            "Phase II of the Jiulonghu talent apartments to be handed over in September (AI-2).",
        ),
        ("Sun Qiang",),
        figures("14.6", 1, "0.8"),
        discusses=("AI-2", "AI-3", "AI-5"),
    ),
    Entry(
        "AI-M6",
        "scheduling",
        "2026-09-10",
        "Zhao Min",
        "August reviewed: two Series A rounds closed in the software park; the customs "
        "channel cut GPU clearance to 5 working days.",
        (
            "Visit growing firms in the software park on 24 September.",
            "Watch the clearance of Zijin Cloud's second GPU batch (AI-5).",
        ),
        ("Sun Qiang",),
        figures("15.9", 3, "2.6"),
        discusses=("AI-2", "AI-5"),
    ),
    Entry(
        "AI-M7",
        "visit",
        "2026-09-24",
        "Qian Li",
        "Visited 南京云栖数智科技 and two start-ups in the software park: teams are growing "
        "faster than their offices.",
        ("Development zone to offer expansion space within a month (AI-6).",),
        chair="Wang Jun",
    ),
    Entry(
        "AI-M8",
        "scheduling",
        "2026-10-15",
        "Zhao Min",
        "Third-quarter review: software revenue January to September 132.0 bn CNY. Zijin "
        "Cloud's second GPU batch was held 18 days and the item reopened; new requests on "
        "software copyright registration and a Series B co-investment.",
        (
            "Ask the city again to speed up the open-data catalogue (AI-3).",
            "Send 金陵智算's Series B materials to the district guidance fund (AI-8).",
            "Science and Technology Bureau to contact the provincial copyright centre (AI-7).",
        ),
        ("Sun Qiang", "Ma Chao (Zijin Cloud Computing)"),
        figures("16.4", 5, "4.0"),
        discusses=("AI-3", "AI-5", "AI-6"),
    ),
    # ---------------------------------------------------------------- BIO
    Entry(
        "BIO-M1",
        "scheduling",
        "2026-05-20",
        "He Ping",
        "Biomedicine chain reviewed: five innovative drugs in clinical trials, two Class III "
        "devices in registration. Kangyuan's cell-therapy GMP workshop waits for its "
        "environmental approval; district hospitals lack GCP wards for trials.",
        (
            "Ecology and Environment Bureau to review the Kangyuan EIA in parallel (BIO-1).",
            "Health Commission to plan a GCP ward at Jiangning Hospital (BIO-2).",
        ),
        ("Lin Xue",),
        figures("2.6", 1, "0.9"),
    ),
    Entry(
        "BIO-M2",
        "scheduling",
        "2026-06-17",
        "He Ping",
        "EIA pre-review held; the GCP ward design under way. No licensed cold-chain carrier "
        "for biological samples in the Biomedical Valley.",
        (
            "Commerce Bureau to bring a licensed cold-chain carrier to the valley (BIO-3).",
            "Biomedical Valley to hold a monthly project service day.",
        ),
        ("Lin Xue",),
        figures("2.7", 2, "1.6"),
        discusses=("BIO-1", "BIO-2"),
    ),
    Entry(
        "BIO-M3",
        "scheduling",
        "2026-07-15",
        "He Ping",
        "Kangyuan's EIA approved on 10 July. Boan Medical needs pre-submission guidance for a "
        "Class III device and asks to build a 12-storey laboratory.",
        (
            "Market Supervision Bureau to book a provincial expert consultation for Boan (BIO-4).",
            "Planning Bureau to answer Boan's floor-area ratio request (BIO-5).",
        ),
        ("Lin Xue",),
        figures("2.9", 1, "0.7"),
        discusses=("BIO-1", "BIO-2", "BIO-3"),
    ),
    Entry(
        "BIO-M4",
        "salon",
        "2026-08-27",
        "He Ping",
        "创新药投融资沙龙 — innovative-drug financing salon with 12 enterprises, 6 investment "
        "funds and 3 banks. Moling Biopharma needs a bridge loan before its Phase II "
        "milestone payment.",
        ("Finance Bureau to arrange a bridge loan for Moling Biopharma (BIO-6).",),
        ("Lin Xue",),
        chair="Huang Jing",
        recorded="18:00",
    ),
    Entry(
        "BIO-M5",
        "scheduling",
        "2026-09-16",
        "He Ping",
        "August and September reviewed together (no August meeting: the chain leader was on "
        "a provincial assignment). The bridge loan is held up by the guarantee quota; "
        "Kangyuan needs QA/QC staff.",
        (
            "Drop Boan's floor-area ratio request and offer the Phase III standard laboratory "
            "buildings (BIO-5).",
            "Human Resources and Social Security Bureau to hold a GMP talent job fair (BIO-7).",
            "Ask the district guarantee company for more quota in the fourth quarter (BIO-6).",
        ),
        ("Lin Xue",),
        figures("3.1", 3, "2.2"),
        discusses=("BIO-2", "BIO-4", "BIO-5", "BIO-6"),
    ),
    Entry(
        "BIO-M6",
        "scheduling",
        "2026-10-21",
        "He Ping",
        "Jiangning Hospital's GCP ward passed its filing on 20 October. The bridge loan is "
        "moving again with new quota. Boan's hazardous-waste disposal contract runs out in "
        "November.",
        (
            "Ecology and Environment Bureau to find disposal capacity before the contract "
            "expires (BIO-8).",
            "Market Supervision Bureau to follow the Class III device's priority review (BIO-4).",
        ),
        ("Lin Xue",),
        figures("3.3", 2, "1.5"),
        discusses=("BIO-4", "BIO-6", "BIO-7"),
    ),
    # ---------------------------------------------------------------- IME
    Entry(
        "IME-M1",
        "scheduling",
        "2026-05-21",
        "Zheng Hao",
        "Robot and CNC makers report full order books. Fangshan Robotics needs land for a new "
        "plant; Jingrui CNC asks for export credit insurance.",
        (
            "Planning Bureau and Binjiang zone to find a 50-mu plot for Fangshan (IME-1).",
            "Commerce Bureau to enrol Jingrui CNC in export credit insurance (IME-2).",
        ),
        figures=figures("5.8", 2, "1.2"),
    ),
    Entry(
        "IME-M2",
        "scheduling",
        "2026-06-18",
        "Zheng Hao",
        "Plot options in Binjiang reviewed. Jiang Tao of the Commerce Bureau joins the team "
        "for export matters.",
        (
            "Visit Fangshan Robotics' new production line on 30 June.",
            "Prepare the land-use plan adjustment for plot BJ-2026-07 (IME-1).",
        ),
        figures=figures("6.1", 3, "2.0"),
        discusses=("IME-1", "IME-2"),
    ),
    Entry(
        "IME-M3",
        "visit",
        "2026-06-30",
        "Feng Yu",
        "Visited Fangshan Robotics' new production line: welders and fitters are in short supply.",
        ("Human Resources and Social Security Bureau to run targeted skills training (IME-3).",),
    ),
    Entry(
        "IME-M4",
        "scheduling",
        "2026-07-23",
        "Zheng Hao",
        "Land-use plan adjustment submitted; export insurance in place. Heavy trucks cannot "
        "reach the Binjiang plant because of a height-limit gantry.",
        ("Transport Bureau to move the gantry or open a delivery window (IME-4).",),
        figures=figures("6.0", 2, "1.1"),
        discusses=("IME-1", "IME-3"),
    ),
    Entry(
        "IME-M5",
        "scheduling",
        "2026-08-20",
        "Zheng Hao",
        "High-temperature month: output dipped. The land-plan adjustment waits for the city; "
        "Tianyin's smart-factory subsidy application was rejected for missing documents.",
        (
            "IIT Bureau to accept a supplementary filing from Tianyin (IME-5).",
            "Ask the city to approve the land-use plan adjustment in September (IME-1).",
        ),
        figures=figures("5.7", 1, "0.6"),
        discusses=("IME-1", "IME-3", "IME-4"),
    ),
    Entry(
        "IME-M6",
        "breakfast",
        "2026-09-09",
        "Zheng Hao",
        "企业家早餐会 with nine equipment makers: first-set domestic equipment finds no buyer "
        "willing to take the risk.",
        (
            "IIT Bureau to pair Tianyin with state-owned buyers and apply for first-set "
            "insurance compensation (IME-6).",
        ),
    ),
    Entry(
        "IME-M7",
        "scheduling",
        "2026-09-17",
        "Zheng Hao",
        "The city approved the land-plan adjustment; the first skills class graduated. "
        "Fangshan asks to convert industrial land for an exhibition centre.",
        (
            "Planning Bureau to list plot BJ-2026-07 at the October land auction (IME-1).",
            "Answer Fangshan's conversion request by the next meeting (IME-7).",
        ),
        figures=figures("6.4", 2, "1.8"),
        discusses=("IME-1", "IME-3", "IME-6"),
    ),
    Entry(
        "IME-M8",
        "scheduling",
        "2026-10-22",
        "Zheng Hao",
        "Only 12 of 40 trainees joined Fangshan, which reopened IME-3. The conversion request "
        "is refused under the industrial land protection line. Jingrui's heat-treatment "
        "furnaces lack gas pressure.",
        (
            "Drop the conversion request and offer the Binjiang exhibition hall (IME-7).",
            "Second welder class with guaranteed placement (IME-3).",
            "Gas company to measure the pressure and propose a booster station (IME-8).",
        ),
        figures=figures("6.7", 4, "2.5"),
        discusses=("IME-3", "IME-6", "IME-7"),
    ),
    # ---------------------------------------------------------------- IC
    Entry(
        "IC-M1",
        "breakfast",
        "2026-05-08",
        "Chen Jie",
        "企业家早餐会 with eleven chip design, packaging and materials firms: power for "
        "秦淮芯微's wafer-level packaging line and ultrapure water for the 12-inch pilot line.",
        (
            "State Grid Jiangning to add capacity for the wafer-level packaging line (IC-1).",
            "Water Affairs Bureau to plan ultrapure water for Zijin Semiconductor (IC-2).",
        ),
        ("Luo Chen",),
    ),
    Entry(
        "IC-M2",
        "scheduling",
        "2026-05-19",
        "Chen Jie",
        "April reviewed. The packaging line runs on a temporary 10 kV line. Design start-ups "
        "cannot afford EDA licences.",
        (
            "Science and Technology Bureau to open a shared EDA platform (IC-3).",
            "Follow the new substation bay every week (IC-1).",
        ),
        figures=figures("3.4", 2, "3.5"),
        discusses=("IC-1", "IC-2"),
    ),
    Entry(
        "IC-M3",
        "scheduling",
        "2026-06-16",
        "Chen Jie",
        "Substation bay works on schedule. The ultrapure water main waits for the city's "
        "budget. Overseas engineers wait weeks for residence permits.",
        (
            "Exit-entry green channel for the chain's enterprises (IC-4).",
            "Report the water main budget to the city (IC-2).",
        ),
        figures=figures("3.5", 1, "1.2"),
        discusses=("IC-1", "IC-2", "IC-3"),
    ),
    Entry(
        "IC-M4",
        "visit",
        "2026-07-07",
        "Chen Jie",
        "Visited 秦淮芯微's packaging line, now on permanent power, and Zijin Semiconductor's "
        "special-gas store.",
        ("Emergency Management Bureau to guide the NF3 storage permit (IC-5).",),
    ),
    Entry(
        "IC-M5",
        "scheduling",
        "2026-07-21",
        "Chen Jie",
        "First half: chain output 20.5 bn CNY, up 18%. The shared EDA platform is open. "
        "芯研微电子 needs a lead investor for its Series C.",
        ("District guidance fund to assess leading 芯研's Series C (IC-6).",),
        figures=figures("3.7", 3, "4.8"),
        discusses=("IC-2", "IC-4", "IC-5"),
    ),
    Entry(
        "IC-M6",
        "scheduling",
        "2026-08-18",
        "Chen Jie",
        "The residence-permit green channel works and IC-4 is signed off; the water main is "
        "under construction.",
        ("Finish the safety review of the NF3 store in September (IC-5).",),
        figures=figures("3.8", 2, "2.0"),
        discusses=("IC-2", "IC-5", "IC-6"),
    ),
    Entry(
        "IC-M7",
        "scheduling",
        "2026-09-15",
        "Chen Jie",
        "Ultrapure water main finished. Purchasing staff worry about export-control "
        "compliance. The NF3 permit is still pending.",
        (
            "Commerce Bureau to run export-control compliance training (IC-7).",
            "Hold a follow-up meeting before the end of the month on the NF3 permit and the "
            "Series C (IC-5, IC-6).",
        ),
        figures=figures("4.0", 2, "6.5"),
        discusses=("IC-5", "IC-6"),
    ),
    Entry(
        "IC-M8",
        "scheduling",
        "2026-09-29",
        "Chen Jie",
        "专题调度 — follow-up meeting: the NF3 permit is issued today; the Series C term sheet "
        "is drafted. 芯研's cleanroom permit is stuck at the fire-safety design review.",
        ("Housing and Construction Bureau to organise the fire-safety expert review (IC-8).",),
        discusses=("IC-5", "IC-6"),
        recorded="16:00",
    ),
    Entry(
        "IC-M9",
        "scheduling",
        "2026-10-20",
        "Chen Jie",
        "Chain output January to September 32.0 bn CNY. Compliance training held for 46 "
        "staff; the cleanroom permit is in expert review; night-shift workers have no way "
        "home after the last metro.",
        (
            "Transport Bureau to study a shuttle bus to Metro Line 1 (IC-9).",
            "Guidance fund's investment committee to decide on the Series C in November (IC-6).",
        ),
        figures=figures("4.3", 3, "3.1"),
        discusses=("IC-6", "IC-7", "IC-8"),
    ),
    # ---------------------------------------------------------------- SG
    Entry(
        "SG-M1",
        "scheduling",
        "2026-05-13",
        "Ma Li",
        "Smart grid chain reviewed. A storage station's grid connection has waited four "
        "months; Jinling Smart Grid needs a 35 kV supply to test switchgear.",
        (
            "Power Supply Company to finish the grid-connection review by June (SG-1).",
            "Find a 35 kV test bay for Jinling Smart Grid (SG-2).",
        ),
        figures=figures("9.6", 2, "1.5"),
    ),
    Entry(
        "SG-M2",
        "scheduling",
        "2026-06-10",
        "Ma Li",
        "Grid-connection scheme in final review. The provincial virtual power plant pilot "
        "list is open for recommendations.",
        ("Development and Reform Bureau to recommend Jinling Smart Grid (SG-3).",),
        figures=figures("10.2", 2, "1.1"),
        discusses=("SG-1", "SG-2"),
    ),
    Entry(
        "SG-M3",
        "scheduling",
        "2026-07-08",
        "Ma Li",
        "Storage station connected on 24 June. Summer peak preparations; 华电自动化 asks for "
        "housing for its research staff near Jiulonghu.",
        (
            "Housing Bureau to list rental options near Jiulonghu (SG-4).",
            "Demand-response plan for the summer peak with 36 enterprises.",
        ),
        figures=figures("11.5", 1, "0.9"),
        discusses=("SG-2", "SG-3"),
    ),
    Entry(
        "SG-M4",
        "scheduling",
        "2026-08-12",
        "Ma Li",
        "First meeting chaired by Qin Hai after Yang Bo's transfer. The summer peak load "
        "record of 1.86 GW was met without rationing.",
        (
            "Hold an energy-storage safety salon in late August.",
            "Sign the test-bay agreement by the end of August (SG-2).",
        ),
        figures=figures("12.1", 3, "2.4"),
        discusses=("SG-2", "SG-4"),
    ),
    Entry(
        "SG-M5",
        "salon",
        "2026-08-26",
        "Ma Li",
        "储能安全沙龙 — energy-storage safety salon: indoor battery storage projects stall "
        "because the fire-safety standard is unclear.",
        ("Ask the provincial fire and rescue department for a technical guideline (SG-5).",),
        ("Luo Chen",),
    ),
    Entry(
        "SG-M6",
        "scheduling",
        "2026-09-09",
        "Ma Li",
        "Test-bay agreement signed. 华电自动化 withdrew its housing request. The storage "
        "station is still billed at the flat tariff.",
        (
            "Drop SG-4: the research team stays on its Gulou campus.",
            "Power Supply Company to apply the peak-valley tariff (SG-6).",
        ),
        figures=figures("10.8", 2, "1.7"),
        discusses=("SG-4", "SG-5"),
    ),
    Entry(
        "SG-M7",
        "scheduling",
        "2026-10-14",
        "Ma Li",
        "Tariff corrected from October. The fire-safety guideline for storage is expected in "
        "December. The PV and storage demonstration needs land.",
        (
            "Planning Bureau to find land for the 200 MW demonstration (SG-7).",
            "Visit the storage station and the Moling substation site on 28 October.",
        ),
        figures=figures("10.5", 2, "1.3"),
        discusses=("SG-5", "SG-6"),
    ),
    Entry(
        "SG-M8",
        "visit",
        "2026-10-28",
        "Ma Li",
        "Visited the Jiangning storage station, whose bill went back to the flat tariff after "
        "a meter swap, and the Moling 110 kV substation site, where residents object to the "
        "works.",
        (
            "Reopen SG-6 and correct the billing after the meter swap.",
            "Moling Subdistrict to hold a community hearing on the substation (SG-8).",
        ),
        discusses=("SG-6",),
    ),
    # ---------------------------------------------------------------- RT
    Entry(
        "RT-M1",
        "visit",
        "2026-05-06",
        "Lin Feng",
        "Visited Jinling Rail Equipment's bogie test centre and Hengtong Rail Signal.",
        ("Housing Bureau to fast-track the test rig's foundation permit (RT-1).",),
    ),
    Entry(
        "RT-M2",
        "scheduling",
        "2026-05-26",
        "Lin Feng",
        "Rail transit chain reviewed. Hengtong cannot bid for metro projects in other "
        "provinces; night maintenance trials need permits.",
        (
            "Commerce Bureau to collect the qualification rules of neighbouring provinces (RT-2).",
            "Urban Management Bureau to issue night-work permits (RT-3).",
        ),
        figures=figures("2.9", 1, "0.8"),
        discusses=("RT-1",),
    ),
    Entry(
        "RT-M3",
        "scheduling",
        "2026-06-23",
        "Lin Feng",
        "Test rig permit issued. The interior supplier 宁轨内饰 is short of working capital.",
        ("Finance Bureau to arrange a Su Xin Dai loan for 宁轨内饰 (RT-4).",),
        figures=figures("3.0", 1, "0.5"),
        discusses=("RT-1", "RT-2", "RT-3"),
    ),
    Entry(
        "RT-M4",
        "scheduling",
        "2026-08-25",
        "Lin Feng",
        "First meeting with Gao Yan as responsible person; July and August reviewed together "
        "(no July meeting during the handover). The rail industry park at the high-speed rail "
        "hub needs a plan revision.",
        (
            "Planning Bureau to revise the hub area plan (RT-5).",
            "Raise the qualification issue with the city (RT-2).",
        ),
        figures=figures("3.2", 2, "1.6"),
        discusses=("RT-2", "RT-4"),
    ),
    Entry(
        "RT-M5",
        "scheduling",
        "2026-09-22",
        "Lin Feng",
        "Loan released on 3 September. The qualification issue needs inter-provincial "
        "recognition. Maintenance firms want apprentices.",
        ("Vocational college to offer apprenticeship places (RT-6).",),
        figures=figures("3.4", 1, "0.9"),
        discusses=("RT-2", "RT-4", "RT-5"),
    ),
    Entry(
        "RT-M6",
        "scheduling",
        "2026-10-27",
        "Lin Feng",
        "Hub plan revision out for public comment. Certificates of origin delay exports of "
        "metro vehicle parts.",
        ("Commerce Bureau to issue certificates of origin online within a day (RT-7).",),
        figures=figures("3.6", 2, "1.2"),
        discusses=("RT-2", "RT-5", "RT-6"),
    ),
    # ---------------------------------------------------------------- GSV
    Entry(
        "GSV-M1",
        "scheduling",
        "2026-05-12",
        "Han Xiao",
        "Green smart vehicles reviewed: new-energy vehicle output up 21%. The battery plant's "
        "Phase II waits for its energy-use assessment; L4 test vehicles have no road-test "
        "licences.",
        (
            "Development and Reform Bureau to allocate energy quota from the district reserve "
            "(GSV-1).",
            "Transport Bureau to propose test roads for autonomous vehicles (GSV-2).",
        ),
        figures=figures("11.8", 3, "4.2"),
    ),
    Entry(
        "GSV-M2",
        "scheduling",
        "2026-06-09",
        "Han Xiao",
        "Energy-use assessment approved on 5 June. A charging operator needs public land for "
        "a 200-pile hub.",
        (
            "Planning Bureau to find land for the charging hub (GSV-3).",
            "Breakfast meeting with parts makers and dealers on 19 June.",
        ),
        figures=figures("12.5", 2, "2.8"),
        discusses=("GSV-1", "GSV-2"),
    ),
    Entry(
        "GSV-M3",
        "breakfast",
        "2026-06-19",
        "Han Xiao",
        "企业家早餐会 with 14 parts makers and dealers: the consumption vouchers are late and "
        "a vehicle maker owes its suppliers.",
        (
            "Commerce Bureau to release the second round of vouchers (GSV-4).",
            "IIT Bureau to mediate the supplier arrears (GSV-5).",
        ),
    ),
    Entry(
        "GSV-M4",
        "scheduling",
        "2026-07-14",
        "Han Xiao",
        "Vouchers issued today; the arrears dispute is in mediation. Moling Auto asks to build "
        "a test track on basic farmland.",
        (
            "Answer Moling Auto's test-track request (GSV-6).",
            "Propose 38 km of test roads along Jiangning Avenue to the city (GSV-2).",
        ),
        figures=figures("12.9", 2, "3.5"),
        discusses=("GSV-2", "GSV-4", "GSV-5"),
    ),
    Entry(
        "GSV-M5",
        "scheduling",
        "2026-09-08",
        "Han Xiao",
        "July and August reviewed together (no August meeting: the chain leader was on a "
        "provincial study programme). Road-test licences granted; the test-track request "
        "cannot use basic farmland; hydrogen refuelling has no approval route.",
        (
            "Drop GSV-6 and offer the shared test field in the auto park.",
            "Emergency Management Bureau to ask the province about hydrogen approvals (GSV-7).",
        ),
        figures=figures("13.8", 4, "5.1"),
        discusses=("GSV-2", "GSV-5", "GSV-6"),
    ),
    Entry(
        "GSV-M6",
        "scheduling",
        "2026-10-13",
        "Han Xiao",
        "Charging hub land leased. Mediation reached a repayment plan for the arrears. The "
        "battery plant is short of 200 skilled workers.",
        (
            "Human Resources and Social Security Bureau to hold a joint recruitment fair (GSV-8).",
            "Salon on intelligent connected vehicle testing on 29 October (GSV-2).",
        ),
        figures=figures("14.6", 3, "3.9"),
        discusses=("GSV-2", "GSV-3", "GSV-5", "GSV-7"),
    ),
    Entry(
        "GSV-M7",
        "salon",
        "2026-10-29",
        "Han Xiao",
        "智能网联汽车沙龙 — intelligent connected vehicle salon with the city traffic police: "
        "night and wet-weather tests agreed; cross-border vehicle data needs a security "
        "assessment.",
        (
            "Add night and wet-weather tests to the road-test licences (GSV-2).",
            "Cyberspace Affairs Office to guide the data security assessment (GSV-9).",
        ),
        chair="Song Mei",
        discusses=("GSV-2",),
    ),
    # ---------------------------------------------------------------- NM
    Entry(
        "NM-M1",
        "scheduling",
        "2026-05-27",
        "Dong Qing",
        "New materials chain reviewed. 翠屏新材料's carbon fibre expansion needs a VOC quota; "
        "Advanced Polymer's new solvent tank farm needs a safety review.",
        (
            "Ecology and Environment Bureau to find VOC quota through emission trading (NM-1).",
            "Emergency Management Bureau to review the tank farm (NM-2).",
        ),
        figures=figures("4.1", 1, "0.7"),
    ),
    Entry(
        "NM-M2",
        "scheduling",
        "2026-06-24",
        "Dong Qing",
        "Graphite purification furnaces pay too much for electricity.",
        ("Power Supply Company to enrol 翠屏新材料 in green-power trading (NM-3).",),
        figures=figures("4.3", 2, "1.3"),
        discusses=("NM-1", "NM-2"),
    ),
    Entry(
        "NM-M3",
        "visit",
        "2026-07-09",
        "Dong Qing",
        "Visited Jinling Special Alloys' pilot line: no certification lab nearby.",
        ("Market Supervision Bureau to bring in a certification station (NM-4).",),
    ),
    Entry(
        "NM-M4",
        "scheduling",
        "2026-07-29",
        "Dong Qing",
        "Tank farm safety review passed today; the VOC quota transfer is under way.",
        ("Breakfast meeting with new-materials firms on 7 August.",),
        figures=figures("4.2", 1, "0.6"),
        discusses=("NM-1", "NM-2", "NM-3", "NM-4"),
    ),
    Entry(
        "NM-M5",
        "breakfast",
        "2026-08-07",
        "Dong Qing",
        "企业家早餐会 with eight new-materials firms: a rare-earth export licence and a "
        "wastewater connection.",
        (
            "Commerce Bureau to guide the export licence application (NM-5).",
            "Water Affairs Bureau to connect Advanced Polymer to the park plant (NM-6).",
        ),
    ),
    Entry(
        "NM-M6",
        "scheduling",
        "2026-08-26",
        "Dong Qing",
        "VOC quota transferred and NM-1 signed off; wastewater pipe design done.",
        ("Green-power trading to start in October (NM-3).",),
        figures=figures("4.4", 2, "1.1"),
        discusses=("NM-1", "NM-3", "NM-4", "NM-5", "NM-6"),
    ),
    Entry(
        "NM-M7",
        "scheduling",
        "2026-09-23",
        "Dong Qing",
        "Green-power trading from October. Routes for hazardous chemicals delay raw material "
        "deliveries. The October meeting moves to November: the chain leader leads an "
        "investment mission to Germany.",
        ("Traffic police to review routes and time windows (NM-7).",),
        figures=figures("4.6", 1, "0.9"),
        discusses=("NM-3", "NM-5", "NM-6"),
    ),
)

# ------------------------------------------------------------------ items


@dataclass(frozen=True)
class Act:
    """One dated change to an item by one person."""

    when: str  # Beijing time
    actor: str
    verb: str
    text: str | None = None
    feedback: str | None = None
    on: str | None = None
    due: str | None = None
    owner: str | None = None


def note(when: str, actor: str, text: str) -> Act:
    return Act(when, actor, "note", text)


def start(when: str, actor: str, text: str | None = None) -> Act:
    return Act(when, actor, "start", text)


def block(when: str, actor: str, reason: str) -> Act:
    return Act(when, actor, "block", reason)


def resolve(when: str, actor: str, how: str, on: str | None = None) -> Act:
    return Act(when, actor, "resolve", how, on=on)


def close(when: str, by: str, feedback: str = "satisfied", text: str | None = None) -> Act:
    return Act(when, by, "close", text, feedback=feedback)


def reopen(when: str, actor: str, why: str) -> Act:
    return Act(when, actor, "reopen", why)


def drop(when: str, actor: str, why: str) -> Act:
    return Act(when, actor, "drop", why)


def edit(
    when: str, actor: str, why: str, *, due: str | None = None, owner: str | None = None
) -> Act:
    return Act(when, actor, "edit", why, due=due, owner=owner)


@dataclass(frozen=True)
class Firm:
    """An enterprise on a chain, registered when the chain is set up."""

    name: str
    code: str  # the chain
    segment: str
    short: str | None = None
    lead: bool = False  # the chain's lead enterprise (链主)
    above_scale: bool = True  # 规上
    park: str = "江宁经济技术开发区"


# The parks of the district, as the enterprises' registrations name them.
KAIFAQU, GAOXINQU, BINJIANGQU, KONGGANG = (
    "江宁经济技术开发区",
    "江宁高新区",
    "江宁滨江经济开发区",
    "南京空港枢纽经济区",
)

FIRMS: tuple[Firm, ...] = (
    Firm("Zijin Cloud Computing Co., Ltd.", "AI", "upstream", "Zijin Cloud", lead=True),
    Firm("金陵智算科技有限公司", "AI", "midstream", "金陵智算", park=GAOXINQU),
    Firm("Nanjing Xinghuo AI Technology Co., Ltd.", "AI", "midstream", "Xinghuo AI"),
    Firm("南京云栖数智科技有限公司", "AI", "downstream", above_scale=False, park=GAOXINQU),
    Firm("南京康源细胞生物科技有限公司", "BIO", "midstream", "康源细胞", park=GAOXINQU),
    Firm("Moling Biopharma Co., Ltd.", "BIO", "midstream", "Moling", lead=True),
    Firm("南京博安医疗器械有限公司", "BIO", "downstream", "博安医疗", park=GAOXINQU),
    Firm("Fangshan Robotics Co., Ltd.", "IME", "downstream", "Fangshan", lead=True),
    Firm("南京精锐数控机床有限公司", "IME", "midstream", "精锐数控", park=BINJIANGQU),
    Firm("南京天印智能装备有限公司", "IME", "midstream", above_scale=False, park=BINJIANGQU),
    Firm("南京秦淮芯微电子有限公司", "IC", "midstream", "秦淮芯", lead=True),
    Firm("Zijin Semiconductor Materials Co., Ltd.", "IC", "upstream", "Zijin Materials"),
    Firm("南京芯研微电子设计有限公司", "IC", "upstream", "芯研", park=GAOXINQU),
    Firm("Jinling Smart Grid Technology Co., Ltd.", "SG", "midstream", "Jinling Grid", lead=True),
    Firm("Jiangning Energy Storage Technology Co., Ltd.", "SG", "midstream", "JN Storage"),
    Firm("南京华电自动化有限公司", "SG", "upstream", "华电自动化", park=BINJIANGQU),
    Firm("Nanjing Jinling Rail Equipment Co., Ltd.", "RT", "midstream", "Jinling Rail", lead=True),
    Firm("南京恒通轨道信号技术有限公司", "RT", "upstream", "恒通信号"),
    Firm("南京宁轨内饰科技有限公司", "RT", "upstream", above_scale=False),
    Firm("Jiangning High-speed Rail Hub Investment Co., Ltd.", "RT", "downstream", park=KONGGANG),
    Firm("Jiangning Power Battery Co., Ltd.", "GSV", "upstream", "JN Battery", lead=True),
    Firm("秣陵智驾科技有限公司", "GSV", "midstream", "秣陵智驾", park=GAOXINQU),
    Firm("南京绿驰充电科技有限公司", "GSV", "downstream", "绿驰充电", above_scale=False),
    Firm("Jiangning Auto Dealers Association", "GSV", "downstream", above_scale=False),
    Firm("南京精工汽车零部件有限公司", "GSV", "upstream", "精工零部件", park=BINJIANGQU),
    Firm("Jiangning Hydrogen Energy Co., Ltd.", "GSV", "upstream", park=BINJIANGQU),
    Firm("南京翠屏新材料科技有限公司", "NM", "midstream", "翠屏新材", lead=True),
    Firm("Jiangning Advanced Polymer Co., Ltd.", "NM", "upstream", "JN Polymer"),
    Firm("Jinling Special Alloys Co., Ltd.", "NM", "upstream", "Jinling Alloys"),
)


def credit_code(firm: Firm) -> str:
    """A made-up unified social credit code for a demo firm, with its check character:
    Jiangning's area code (320115) and a serial from the firm's place in FIRMS."""
    body = f"91320115MA1{FIRMS.index(firm) + 1:04d}KP"
    return body + credit_check_character(body)


@dataclass(frozen=True)
class Raised:
    """A bottleneck item; ``key`` is the key chainlead is expected to give it."""

    key: str
    title: str
    enterprise: str | None
    category: str
    priority: str
    unit: str
    owner: str
    due: str
    by: str  # who puts it on the list
    meeting: str | None = None  # the meeting that raised it
    raised: str | None = None  # Beijing time, for items raised outside a meeting
    source: str = "other"
    detail: str | None = None
    life: tuple[Act, ...] = field(default_factory=tuple)

    @property
    def code(self) -> str:
        return self.key.split("-")[0]


ITEMS: tuple[Raised, ...] = (
    # ---------------------------------------------------------------- AI
    Raised(
        "AI-1",
        "Computing-power centre needs a second 110 kV power feed",
        "Zijin Cloud Computing Co., Ltd.",
        "power",
        "high",
        GRID,
        "Zhao Min",
        "2026-07-31",
        "Zhao Min",
        meeting="AI-M1",
        detail="The 3,000-rack centre runs on one feed; a fault would stop customers' "
        "training jobs. The firm will not install the second hall's racks without redundancy.",
        life=(
            start("2026-05-19 10:00", "Zhao Min", "Site survey with State Grid on 22 May"),
            note(
                "2026-06-10 15:20",
                "Zhao Min",
                "Route survey done: 3.2 km of cable along Shengtai Road from Jiulonghu substation.",
            ),
            resolve(
                "2026-07-28 17:00",
                "Zhao Min",
                "State Grid built the second 110 kV feeder from the Jiulonghu substation; "
                "energised on 28 July after a joint acceptance test.",
            ),
            close("2026-08-05 10:30", "Liu Yang", text="Second hall racks being installed."),
        ),
    ),
    Raised(
        "AI-2",
        "Talent apartments for 120 algorithm engineers",
        "Nanjing Xinghuo AI Technology Co., Ltd.",
        "talent",
        "normal",
        HOUSING,
        "Qian Li",
        "2026-08-31",
        "Zhao Min",
        meeting="AI-M1",
        life=(
            start("2026-05-25 09:30", "Qian Li"),
            note(
                "2026-07-02 11:00",
                "Qian Li",
                "60 flats in the Jiulonghu talent apartments allocated; the rest depend on the "
                "Phase II handover.",
            ),
            resolve(
                "2026-09-18 16:00",
                "Qian Li",
                "Phase II of the Jiulonghu talent apartments was handed over in September; "
                "120 flats allocated with a three-year rent subsidy.",
            ),
            close("2026-09-25 10:00", "Liu Yang"),
        ),
    ),
    Raised(
        "AI-3",
        "Public data for training industrial large models is not open",
        "金陵智算科技有限公司",
        "data access",
        "normal",
        DATA,
        "Sun Qiang",
        "2026-09-30",
        "Qian Li",
        meeting="AI-M3",
        detail="Firms need anonymised traffic, energy and manufacturing data sets; the city "
        "has not published its open-data catalogue.",
        life=(
            start("2026-07-03 10:00", "Sun Qiang"),
            note(
                "2026-07-10 16:30",
                "Sun Qiang",
                "Requests from 9 enterprises collected: 23 data sets in all.",
            ),
            block(
                "2026-08-20 15:00",
                "Sun Qiang",
                "Needs the municipal data authority's open-data catalogue, due in the fourth "
                "quarter.",
            ),
            note(
                "2026-10-16 09:40",
                "Sun Qiang",
                "Second letter sent to the municipal data authority after the October meeting.",
            ),
        ),
    ),
    Raised(
        "AI-4",
        "Software start-ups cannot get public bodies to buy their products first",
        "Nanjing Xinghuo AI Technology Co., Ltd.",
        "market access",
        "normal",
        FIN,
        "Zhao Min",
        "2026-08-15",
        "Qian Li",
        meeting="AI-M3",
        life=(
            start("2026-07-01 09:00", "Zhao Min"),
            resolve(
                "2026-08-10 16:00",
                "Zhao Min",
                "The Finance Bureau listed 14 products in the district's first-purchase "
                "catalogue for innovative products; two hospitals have signed orders.",
            ),
            close("2026-08-20 11:00", "Liu Yang"),
        ),
    ),
    Raised(
        "AI-5",
        "Imported GPU servers take over 30 days to clear customs",
        "Zijin Cloud Computing Co., Ltd.",
        "logistics",
        "high",
        CUSTOMS,
        "Qian Li",
        "2026-09-15",
        "Zhao Min",
        meeting="AI-M4",
        life=(
            start("2026-07-20 10:00", "Qian Li"),
            resolve(
                "2026-09-08 15:00",
                "Qian Li",
                "Customs put Zijin Cloud on the advanced-certification list; clearance through "
                "the Jiangning bonded logistics centre now takes 5 working days.",
            ),
            close(
                "2026-09-16 10:00",
                "Liu Yang",
                "unsatisfied",
                "The second batch was still held 18 days at the port.",
            ),
            start("2026-09-20 09:30", "Qian Li", "Meeting with the customs office on 24 September"),
            resolve(
                "2026-10-21 16:30",
                "Qian Li",
                "Customs assigned a dedicated officer and pre-declaration for every batch; the "
                "third batch cleared in 4 days.",
            ),
            close("2026-10-28 10:00", "Liu Yang"),
        ),
    ),
    Raised(
        "AI-6",
        "Office space to expand in the Jiangning software park",
        "南京云栖数智科技有限公司",
        "land and space",
        "normal",
        JDZ,
        "Qian Li",
        "2026-12-20",
        "Qian Li",
        meeting="AI-M7",
        life=(
            start("2026-10-09 10:00", "Qian Li"),
            note(
                "2026-11-12 15:00",
                "Qian Li",
                "Two floors of Building C offered; the company is checking the layout.",
            ),
        ),
    ),
    Raised(
        "AI-7",
        "Software copyright registration backlog delays product launches",
        "Nanjing Xinghuo AI Technology Co., Ltd.",
        "approvals",
        "low",
        SCI,
        "Sun Qiang",
        "2026-11-25",
        "Zhao Min",
        meeting="AI-M8",
        life=(
            note(
                "2026-11-05 10:00",
                "Sun Qiang",
                "Provincial copyright centre contacted; a batch review is possible in late "
                "November.",
            ),
        ),
    ),
    Raised(
        "AI-8",
        "Industry fund to co-invest in a Series B round",
        "金陵智算科技有限公司",
        "financing",
        "high",
        FIN,
        "Zhao Min",
        "2026-11-10",
        "Zhao Min",
        meeting="AI-M8",
        life=(
            note(
                "2026-10-30 14:00",
                "Zhao Min",
                "Materials sent to the district guidance fund; its investment committee meets "
                "in December.",
            ),
        ),
    ),
    # ---------------------------------------------------------------- BIO
    Raised(
        "BIO-1",
        "Cell-therapy GMP workshop waits for its environmental impact approval",
        "南京康源细胞生物科技有限公司",
        "approvals",
        "high",
        ECO,
        "He Ping",
        "2026-07-15",
        "He Ping",
        meeting="BIO-M1",
        life=(
            start("2026-05-25 09:00", "He Ping"),
            note(
                "2026-06-20 11:00",
                "He Ping",
                "Pre-review held; the report is to be revised on wastewater treatment.",
            ),
            resolve(
                "2026-07-10 16:00",
                "He Ping",
                "EIA approved on 10 July through the parallel-review channel; wastewater goes "
                "to the Biomedical Valley central treatment plant.",
            ),
            close("2026-07-17 10:00", "Huang Jing"),
        ),
    ),
    Raised(
        "BIO-2",
        "District hospitals lack GCP-certified wards for clinical trials",
        "Moling Biopharma Co., Ltd.",
        "market access",
        "normal",
        HEALTH,
        "Xu Tao",
        "2026-09-30",
        "He Ping",
        meeting="BIO-M1",
        life=(
            start("2026-06-01 09:30", "Xu Tao"),
            note(
                "2026-07-15 17:45",
                "Xu Tao",
                "Jiangning Hospital will convert part of its third floor into a 24-bed ward.",
            ),
            resolve(
                "2026-10-20 16:00",
                "Xu Tao",
                "Jiangning Hospital's new 24-bed GCP ward passed its NMPA filing on 20 October; "
                "the first two trials are enrolling.",
            ),
            close("2026-10-29 10:00", "Chen Hua"),
        ),
    ),
    Raised(
        "BIO-3",
        "No licensed cold-chain carrier for biological samples in the valley",
        "南京康源细胞生物科技有限公司",
        "logistics",
        "normal",
        COM,
        "He Ping",
        "2026-08-31",
        "He Ping",
        meeting="BIO-M2",
        life=(
            start("2026-06-22 10:00", "He Ping"),
            resolve(
                "2026-08-25 15:00",
                "He Ping",
                "The Commerce Bureau brought in a licensed cold-chain carrier with a depot in "
                "the Biomedical Valley; pick-up within 2 hours.",
            ),
            close("2026-09-03 10:00", "Huang Jing"),
        ),
    ),
    Raised(
        "BIO-4",
        "Class III medical device needs pre-submission guidance",
        "南京博安医疗器械有限公司",
        "approvals",
        "high",
        MSB,
        "Lin Xue",
        "2026-10-31",
        "He Ping",
        meeting="BIO-M3",
        life=(
            start("2026-07-20 09:00", "Lin Xue"),
            note(
                "2026-08-28 11:00",
                "Lin Xue",
                "Provincial expert consultation booked for September.",
            ),
            resolve(
                "2026-11-06 16:00",
                "Lin Xue",
                "The Provincial Medical Products Administration held a pre-submission "
                "consultation and accepted the application into its priority review channel "
                "on 6 November.",
            ),
        ),
    ),
    Raised(
        "BIO-5",
        "Relax the floor-area ratio to build a 12-storey laboratory",
        "南京博安医疗器械有限公司",
        "land",
        "low",
        NRP,
        "He Ping",
        "2026-09-30",
        "He Ping",
        meeting="BIO-M3",
        life=(
            drop(
                "2026-09-16 18:00",
                "He Ping",
                "Against the approved regulatory plan; the company will rent standard "
                "laboratory buildings in Phase III of the valley instead.",
            ),
        ),
    ),
    Raised(
        "BIO-6",
        "Bridge loan needed before the Phase II trial milestone payment",
        "Moling Biopharma Co., Ltd.",
        "financing",
        "urgent",
        FIN,
        "Huang Jing",
        "2026-10-15",
        "He Ping",
        meeting="BIO-M4",
        life=(
            start("2026-09-01 09:30", "Huang Jing"),
            block(
                "2026-09-25 16:00",
                "Huang Jing",
                "The bank requires a guarantee and the district guarantee company's quota for "
                "the year is used up.",
            ),
            start("2026-10-22 10:00", "Huang Jing", "Fourth-quarter guarantee quota approved"),
            note(
                "2026-11-13 15:00",
                "Huang Jing",
                "Bank credit review passed; the loan contract is with the company's board.",
            ),
        ),
    ),
    Raised(
        "BIO-7",
        "Recruit 30 QA/QC staff with GMP experience",
        "南京康源细胞生物科技有限公司",
        "talent",
        "normal",
        HRSS,
        "Xu Tao",
        "2026-11-30",
        "He Ping",
        meeting="BIO-M5",
        life=(
            start("2026-09-28 10:00", "Xu Tao"),
            note(
                "2026-10-30 11:00",
                "Xu Tao",
                "Job fair at China Pharmaceutical University set for 12 November.",
            ),
            note("2026-11-13 16:00", "Xu Tao", "18 offers made at the job fair."),
            edit(
                "2026-11-13 16:05",
                "Xu Tao",
                "The remaining 12 posts wait for the spring graduates' certificates.",
                due="2026-12-31",
            ),
        ),
    ),
    Raised(
        "BIO-8",
        "Hazardous-waste disposal contract expires with no capacity in the district",
        "南京博安医疗器械有限公司",
        "environment",
        "high",
        ECO,
        "Lin Xue",
        "2026-11-27",
        "He Ping",
        meeting="BIO-M6",
        life=(
            note(
                "2026-11-09 10:00",
                "Lin Xue",
                "Two licensed disposal firms in Liuhe contacted; quotes expected next week.",
            ),
        ),
    ),
    # ---------------------------------------------------------------- IME
    Raised(
        "IME-1",
        "Fifty mu of industrial land for a new robot plant",
        "Fangshan Robotics Co., Ltd.",
        "land",
        "high",
        NRP,
        "Feng Yu",
        "2026-09-30",
        "Zheng Hao",
        meeting="IME-M1",
        life=(
            start("2026-05-28 09:00", "Feng Yu"),
            note(
                "2026-07-23 17:50",
                "Feng Yu",
                "Plot BJ-2026-07 in the Binjiang zone identified; land-use plan adjustment "
                "submitted.",
            ),
            block(
                "2026-08-14 10:00",
                "Feng Yu",
                "Waiting for the city's approval of the land-use plan adjustment.",
            ),
            start("2026-09-22 09:00", "Feng Yu", "City approval received on 21 September"),
            resolve(
                "2026-10-28 17:00",
                "Feng Yu",
                "Plot BJ-2026-07 (52 mu, industrial use, 20-year term) sold to the company at "
                "the 28 October land auction.",
            ),
            close("2026-11-06 10:00", "Wu Lei"),
        ),
    ),
    Raised(
        "IME-2",
        "Export credit insurance for CNC machine orders",
        "南京精锐数控机床有限公司",
        "financing",
        "normal",
        COM,
        "Zheng Hao",
        "2026-07-31",
        "Zheng Hao",
        meeting="IME-M1",
        life=(
            resolve(
                "2026-06-30 15:00",
                "Zheng Hao",
                "The Commerce Bureau enrolled the company in the provincial export credit "
                "insurance scheme with a 50% premium subsidy.",
            ),
            close("2026-07-08 10:00", "Wu Lei"),
        ),
    ),
    Raised(
        "IME-3",
        "Welders and fitters in short supply for the new production line",
        "Fangshan Robotics Co., Ltd.",
        "talent",
        "normal",
        HRSS,
        "Zheng Hao",
        "2026-09-30",
        "Feng Yu",
        meeting="IME-M3",
        life=(
            start("2026-07-06 10:00", "Zheng Hao"),
            note(
                "2026-08-20 17:50",
                "Zheng Hao",
                "Training class of 40 started at Jiangning Vocational College.",
            ),
            resolve(
                "2026-09-25 16:00",
                "Zheng Hao",
                "Skills training with Jiangning Vocational College: the first class of 40 "
                "fitters and welders graduated, with a 3,000 CNY subsidy per trainee.",
            ),
            close(
                "2026-10-10 10:00",
                "Wu Lei",
                "unsatisfied",
                "Only 12 of the 40 trainees joined; the company is still 30 welders short.",
            ),
            start("2026-10-14 09:00", "Jiang Tao", "Second class with guaranteed placement"),
            resolve(
                "2026-11-12 16:00",
                "Zheng Hao",
                "A second, targeted class of 35 welders with guaranteed placement: 31 signed "
                "contracts with the company on 12 November.",
            ),
        ),
    ),
    Raised(
        "IME-4",
        "Height-limit gantry blocks heavy trucks to the Binjiang plant",
        "南京精锐数控机床有限公司",
        "logistics",
        "normal",
        TRANSPORT,
        "Feng Yu",
        "2026-08-31",
        "Zheng Hao",
        meeting="IME-M4",
        life=(
            resolve(
                "2026-08-19 15:00",
                "Feng Yu",
                "The Transport Bureau moved the height-limit gantry 300 m and opened a night "
                "delivery window for oversize trucks.",
            ),
            close("2026-08-27 10:00", "Wu Lei"),
        ),
    ),
    Raised(
        "IME-5",
        "Smart-factory diagnosis subsidy rejected for missing documents",
        "南京天印智能装备有限公司",
        "policy",
        "low",
        IIT,
        "Zheng Hao",
        "2026-09-20",
        "Zheng Hao",
        meeting="IME-M5",
        life=(
            resolve(
                "2026-09-17 17:50",
                "Zheng Hao",
                "The IIT Bureau accepted a supplementary filing; a subsidy of 800,000 CNY was "
                "approved on 17 September.",
            ),
            close("2026-09-24 10:00", "Wu Lei"),
        ),
    ),
    Raised(
        "IME-6",
        "No buyer willing to trial first-set domestic equipment",
        "南京天印智能装备有限公司",
        "market access",
        "high",
        IIT,
        "Zheng Hao",
        "2026-11-15",
        "Zheng Hao",
        meeting="IME-M6",
        life=(
            start("2026-09-15 10:00", "Zheng Hao"),
            note(
                "2026-10-22 17:50",
                "Zheng Hao",
                "Two state-owned enterprises inspected the equipment; first-set insurance "
                "compensation applied for.",
            ),
        ),
    ),
    Raised(
        "IME-7",
        "Convert industrial land to commercial use for an exhibition centre",
        "Fangshan Robotics Co., Ltd.",
        "land",
        "low",
        NRP,
        "Feng Yu",
        "2026-12-31",
        "Zheng Hao",
        meeting="IME-M7",
        life=(
            drop(
                "2026-10-22 18:00",
                "Feng Yu",
                "Industrial land inside the district's protection line cannot be converted; "
                "the company will use the Binjiang exhibition hall.",
            ),
        ),
    ),
    Raised(
        "IME-8",
        "Gas pressure too low for the heat-treatment furnaces",
        "南京精锐数控机床有限公司",
        "utilities",
        "high",
        HOUSING,
        "Jiang Tao",
        "2026-12-15",
        "Zheng Hao",
        meeting="IME-M8",
        life=(
            note(
                "2026-11-10 11:00",
                "Jiang Tao",
                "The gas company measured 0.18 MPa at peak hours; a booster station is proposed.",
            ),
        ),
    ),
    # ---------------------------------------------------------------- IC
    Raised(
        "IC-1",
        "Wafer-level packaging line lacks power capacity",
        "南京秦淮芯微电子有限公司",
        "power",
        "urgent",
        GRID,
        "Wang Fang",
        "2026-06-30",
        "Chen Jie",
        meeting="IC-M1",
        detail="The new line needs 12 MW; the park's 10 kV feeders can give 5 MW.",
        life=(
            start("2026-05-11 09:30", "Wang Fang"),
            note(
                "2026-06-12 15:00",
                "Wang Fang",
                "Temporary 10 kV line installed; permanent capacity needs a new substation bay.",
            ),
            resolve(
                "2026-06-29 16:00",
                "Wang Fang",
                "State Grid added a 20 MVA bay at the Kexueyuan substation and energised a "
                "dedicated 10 kV double-circuit line on 29 June.",
            ),
            close("2026-07-07 12:30", "Zhang Wei", text="Confirmed on the visit."),
        ),
    ),
    Raised(
        "IC-2",
        "Ultrapure water supply for the 12-inch pilot line",
        "Zijin Semiconductor Materials Co., Ltd.",
        "utilities",
        "high",
        WATER,
        "Wang Fang",
        "2026-08-31",
        "Chen Jie",
        meeting="IC-M1",
        life=(
            start("2026-05-15 10:00", "Wang Fang"),
            block(
                "2026-06-16 17:50",
                "Wang Fang",
                "The water plant expansion needs the city's budget approval.",
            ),
            start("2026-08-05 09:30", "Wang Fang", "The city approved the budget"),
            resolve(
                "2026-09-10 16:00",
                "Wang Fang",
                "The Water Affairs Bureau laid a dedicated DN400 main from the Kexueyuan water "
                "plant; 6,000 t/day reserved for the pilot line.",
            ),
            close("2026-09-15 17:50", "Li Ming"),
        ),
    ),
    Raised(
        "IC-3",
        "EDA software licences too expensive for design start-ups",
        "南京芯研微电子设计有限公司",
        "financing",
        "normal",
        SCI,
        "Chen Jie",
        "2026-07-31",
        "Chen Jie",
        meeting="IC-M2",
        life=(
            start("2026-05-25 10:00", "Chen Jie"),
            resolve(
                "2026-07-21 16:00",
                "Chen Jie",
                "A shared EDA platform opened at the IC design service centre; start-ups pay "
                "30% of the list price, the rest is covered by district innovation vouchers.",
            ),
            close("2026-07-30 10:00", "Zhang Wei"),
        ),
    ),
    Raised(
        "IC-4",
        "Residence permits for overseas engineers take weeks",
        "南京秦淮芯微电子有限公司",
        "talent",
        "normal",
        EXIT_ENTRY,
        "Zhou Lan",
        "2026-08-15",
        "Chen Jie",
        meeting="IC-M3",
        life=(
            resolve(
                "2026-08-12 15:00",
                "Zhou Lan",
                "The exit-entry office opened a green channel: 11 residence permits issued "
                "within 5 working days each.",
            ),
            close("2026-08-18 17:50", "Zhang Wei"),
        ),
    ),
    Raised(
        "IC-5",
        "Special gas (NF3) storage needs a hazardous chemicals permit",
        "Zijin Semiconductor Materials Co., Ltd.",
        "approvals",
        "high",
        EMB,
        "Wang Fang",
        "2026-09-30",
        "Chen Jie",
        meeting="IC-M4",
        life=(
            start("2026-07-13 10:00", "Wang Fang"),
            note(
                "2026-08-18 17:55",
                "Wang Fang",
                "Safety assessment report submitted; expert review in September.",
            ),
            resolve(
                "2026-09-29 16:30",
                "Wang Fang",
                "The Emergency Management Bureau completed the safety review; the permit was "
                "issued on 29 September.",
            ),
            close("2026-10-20 17:50", "Zhang Wei"),
        ),
    ),
    Raised(
        "IC-6",
        "Series C round needs a lead state-owned investor",
        "南京芯研微电子设计有限公司",
        "financing",
        "high",
        FIN,
        "Zhou Lan",
        "2026-10-31",
        "Chen Jie",
        meeting="IC-M5",
        life=(
            start("2026-07-28 10:00", "Zhou Lan"),
            note(
                "2026-09-29 16:10",
                "Zhou Lan",
                "Term sheet drafted with the district industrial guidance fund.",
            ),
            resolve(
                "2026-11-18 16:00",
                "Zhou Lan",
                "The district industrial guidance fund led the Series C with 150 million CNY; "
                "the closing was signed on 18 November.",
            ),
        ),
    ),
    Raised(
        "IC-7",
        "Export-control compliance training for purchasing staff",
        "南京秦淮芯微电子有限公司",
        "market access",
        "low",
        COM,
        "Zhou Lan",
        "2026-10-31",
        "Chen Jie",
        meeting="IC-M7",
        life=(
            resolve(
                "2026-10-16 16:00",
                "Zhou Lan",
                "The Commerce Bureau and Nanjing Customs ran a two-day compliance course for "
                "46 staff from 9 chain enterprises.",
            ),
            close("2026-10-27 10:00", "Zhang Wei"),
        ),
    ),
    Raised(
        "IC-8",
        "Cleanroom construction permit stuck at the fire-safety design review",
        "南京芯研微电子设计有限公司",
        "approvals",
        "urgent",
        HOUSING,
        "Wang Fang",
        "2026-11-20",
        "Chen Jie",
        meeting="IC-M8",
        life=(
            start("2026-10-08 09:30", "Wang Fang"),
            block(
                "2026-11-09 15:00",
                "Wang Fang",
                "The 1,200 m² hazardous area needs a special expert review; the experts "
                "convene on 25 November.",
            ),
        ),
    ),
    Raised(
        "IC-9",
        "Shuttle bus for night-shift workers to Metro Line 1",
        "Zijin Semiconductor Materials Co., Ltd.",
        "logistics",
        "low",
        TRANSPORT,
        "Zhou Lan",
        "2026-12-31",
        "Chen Jie",
        meeting="IC-M9",
    ),
    # ---------------------------------------------------------------- SG
    Raised(
        "SG-1",
        "Storage station grid connection waiting four months for approval",
        "Jiangning Energy Storage Technology Co., Ltd.",
        "approvals",
        "high",
        GRID,
        "Luo Chen",
        "2026-06-30",
        "Ma Li",
        meeting="SG-M1",
        life=(
            start("2026-05-15 09:00", "Luo Chen"),
            resolve(
                "2026-06-24 16:00",
                "Luo Chen",
                "Grid-connection scheme approved on 24 June; the 50 MW / 100 MWh station "
                "connected at the Tangshan substation.",
            ),
            close("2026-07-02 10:00", "Guo Rui"),
        ),
    ),
    Raised(
        "SG-2",
        "35 kV test supply for smart switchgear",
        "Jinling Smart Grid Technology Co., Ltd.",
        "power",
        "normal",
        GRID,
        "Luo Chen",
        "2026-08-31",
        "Ma Li",
        meeting="SG-M1",
        life=(
            start("2026-05-20 10:00", "Luo Chen"),
            resolve(
                "2026-08-28 16:00",
                "Luo Chen",
                "State Grid lends its Dongshan 35 kV test bay in off-peak hours under a "
                "three-year agreement signed on 28 August.",
            ),
            close("2026-09-09 17:50", "Qin Hai"),
        ),
    ),
    Raised(
        "SG-3",
        "District recommendation for the provincial virtual power plant pilot",
        "Jinling Smart Grid Technology Co., Ltd.",
        "market access",
        "normal",
        DRB,
        "Ma Li",
        "2026-07-31",
        "Ma Li",
        meeting="SG-M2",
        life=(
            resolve(
                "2026-07-20 15:00",
                "Ma Li",
                "The Development and Reform Bureau recommended the company; it was named in "
                "the provincial virtual power plant pilot list on 20 July.",
            ),
            close("2026-07-28 10:00", "Guo Rui"),
        ),
    ),
    Raised(
        "SG-4",
        "Housing for research staff near the Jiulonghu campus",
        "南京华电自动化有限公司",
        "talent",
        "low",
        HOUSING,
        "Ma Li",
        "2026-09-30",
        "Ma Li",
        meeting="SG-M3",
        life=(
            start("2026-07-15 10:00", "Ma Li"),
            note("2026-08-12 17:50", "Ma Li", "Three rental options sent to the company."),
            drop(
                "2026-09-09 18:00",
                "Ma Li",
                "The company moved the research team back to its Gulou campus; no housing is "
                "needed in Jiangning.",
            ),
        ),
    ),
    Raised(
        "SG-5",
        "Fire-safety standard for indoor battery storage unclear; projects stalled",
        "Jiangning Energy Storage Technology Co., Ltd.",
        "approvals",
        "high",
        "District Fire and Rescue Brigade",
        "Guo Rui",
        "2026-10-31",
        "Ma Li",
        meeting="SG-M5",
        life=(
            start("2026-09-01 09:30", "Guo Rui"),
            block(
                "2026-09-30 15:00",
                "Guo Rui",
                "Waiting for the provincial fire-safety technical guideline for "
                "electrochemical storage, expected in December.",
            ),
        ),
    ),
    Raised(
        "SG-6",
        "Storage station charged at the flat tariff instead of peak-valley",
        "Jiangning Energy Storage Technology Co., Ltd.",
        "power",
        "normal",
        GRID,
        "Luo Chen",
        "2026-10-15",
        "Ma Li",
        meeting="SG-M6",
        life=(
            resolve(
                "2026-10-13 16:00",
                "Luo Chen",
                "The Power Supply Company switched the station to the peak-valley tariff from "
                "October and refunded 0.42 million CNY for September.",
            ),
            close("2026-10-20 10:00", "Guo Rui"),
            reopen(
                "2026-10-28 12:10",
                "Guo Rui",
                "On the visit the company showed its latest bill back at the flat tariff: "
                "the change was lost when the meter was swapped.",
            ),
            start("2026-10-29 09:00", "Luo Chen"),
            resolve(
                "2026-11-10 16:00",
                "Luo Chen",
                "Billing record corrected after the meter swap; the November bill is at the "
                "peak-valley tariff and the difference refunded.",
            ),
        ),
    ),
    Raised(
        "SG-7",
        "Land for a 200 MW distributed PV and storage demonstration",
        "Jinling Smart Grid Technology Co., Ltd.",
        "land",
        "normal",
        NRP,
        "Ma Li",
        "2027-01-31",
        "Ma Li",
        meeting="SG-M7",
    ),
    Raised(
        "SG-8",
        "Moling substation works delayed by residents' objections",
        GRID,
        "power",
        "urgent",
        MOLING,
        "Guo Rui",
        "2026-11-26",
        "Ma Li",
        meeting="SG-M8",
        detail="Without the new 110 kV substation, four factories in the Moling park cannot "
        "take on load next summer.",
        life=(
            start("2026-11-03 09:00", "Guo Rui", "Community hearing held on 2 November"),
            note(
                "2026-11-17 15:00",
                "Guo Rui",
                "Noise barriers and a green belt agreed with residents' representatives.",
            ),
        ),
    ),
    # ---------------------------------------------------------------- RT
    Raised(
        "RT-1",
        "Bogie test rig needs a heavy-load foundation permit",
        "Nanjing Jinling Rail Equipment Co., Ltd.",
        "approvals",
        "normal",
        HOUSING,
        "Gao Yan",
        "2026-06-30",
        "Lin Feng",
        meeting="RT-M1",
        life=(
            resolve(
                "2026-06-19 15:00",
                "Gao Yan",
                "Permit issued on 19 June under the 'commitment instead of approval' scheme.",
            ),
            close("2026-06-23 17:50", "Hu Jun"),
        ),
    ),
    Raised(
        "RT-2",
        "Signalling firm's qualification not recognised in other provinces",
        "南京恒通轨道信号技术有限公司",
        "market access",
        "high",
        COM,
        "Hu Jun",
        "2026-09-30",
        "Lin Feng",
        meeting="RT-M2",
        life=(
            start("2026-06-02 10:00", "Hu Jun"),
            edit(
                "2026-07-06 09:50",
                "Lin Feng",
                "Hu Jun has left the team; Lin Feng follows the item.",
                owner="Lin Feng",
            ),
            note(
                "2026-08-25 17:50",
                "Lin Feng",
                "Qualification rules of Anhui and Zhejiang collected; both ask for local filing.",
            ),
            block(
                "2026-09-22 18:00",
                "Lin Feng",
                "Needs mutual recognition between provincial transport authorities; raised "
                "with the city.",
            ),
            note(
                "2026-10-27 17:50",
                "Lin Feng",
                "The city transport bureau has written to its Anhui counterpart.",
            ),
        ),
    ),
    Raised(
        "RT-3",
        "Night-work permits for track maintenance trials",
        "Nanjing Jinling Rail Equipment Co., Ltd.",
        "approvals",
        "low",
        URBAN,
        "Gao Yan",
        "2026-07-15",
        "Lin Feng",
        meeting="RT-M2",
        life=(
            resolve(
                "2026-07-10 15:00",
                "Gao Yan",
                "The Urban Management Bureau issued a standing night-work permit for the test "
                "track (22:00 to 05:00) until the end of the year.",
            ),
            close("2026-07-20 10:00", "Gao Yan"),
        ),
    ),
    Raised(
        "RT-4",
        "Working capital loan for a rolling-stock interior supplier",
        "南京宁轨内饰科技有限公司",
        "financing",
        "normal",
        FIN,
        "Gao Yan",
        "2026-08-31",
        "Lin Feng",
        meeting="RT-M3",
        life=(
            start("2026-07-01 10:00", "Gao Yan"),
            resolve(
                "2026-09-03 16:00",
                "Shen Jia",
                "A 30 million CNY loan at 3.1% under the district's Su Xin Dai scheme with "
                "district risk-sharing; funds released on 3 September.",
            ),
            close("2026-09-22 17:50", "Gao Yan"),
        ),
    ),
    Raised(
        "RT-5",
        "Plan revision for the rail industry park at the high-speed rail hub",
        "Jiangning High-speed Rail Hub Investment Co., Ltd.",
        "land",
        "normal",
        NRP,
        "Lin Feng",
        "2026-12-31",
        "Lin Feng",
        meeting="RT-M4",
        life=(
            start("2026-09-01 10:00", "Lin Feng"),
            note(
                "2026-10-27 17:55",
                "Lin Feng",
                "Draft revision out for public comment until 26 November.",
            ),
        ),
    ),
    Raised(
        "RT-6",
        "Apprenticeship places for rail maintenance staff",
        "南京恒通轨道信号技术有限公司",
        "talent",
        "low",
        EDU,
        "Shen Jia",
        "2026-11-30",
        "Lin Feng",
        meeting="RT-M5",
        life=(
            note(
                "2026-11-16 10:00",
                "Shen Jia",
                "Jiangning Vocational College offered 40 places from next spring.",
            ),
        ),
    ),
    Raised(
        "RT-7",
        "Certificates of origin delay exports of metro vehicle parts",
        "南京宁轨内饰科技有限公司",
        "logistics",
        "normal",
        COM,
        "Shen Jia",
        "2026-11-24",
        "Lin Feng",
        meeting="RT-M6",
    ),
    # ---------------------------------------------------------------- GSV
    Raised(
        "GSV-1",
        "Battery plant Phase II waits for its energy-use assessment",
        "Jiangning Power Battery Co., Ltd.",
        "approvals",
        "urgent",
        DRB,
        "Tang Jian",
        "2026-06-30",
        "Han Xiao",
        meeting="GSV-M1",
        life=(
            start("2026-05-14 09:00", "Tang Jian"),
            resolve(
                "2026-06-05 16:00",
                "Tang Jian",
                "Energy-use assessment approved on 5 June with 30,000 t of standard coal "
                "quota from the district reserve.",
            ),
            close("2026-06-09 17:50", "Song Mei"),
        ),
    ),
    Raised(
        "GSV-2",
        "Road-test licences for L4 autonomous vehicles on open roads",
        "秣陵智驾科技有限公司",
        "market access",
        "high",
        TRANSPORT,
        "Han Xiao",
        "2026-08-31",
        "Han Xiao",
        meeting="GSV-M1",
        life=(
            start("2026-05-20 10:00", "Han Xiao"),
            note(
                "2026-07-14 17:50",
                "Han Xiao",
                "A 38 km test section along Jiangning Avenue proposed to the city.",
            ),
            resolve(
                "2026-09-08 17:50",
                "Han Xiao",
                "The city granted 12 road-test licences; 56 km of test roads in the Jiangning "
                "Development Zone opened on 8 September.",
            ),
            close(
                "2026-09-15 10:00",
                "Song Mei",
                "unsatisfied",
                "Daytime tests only; the company needs night and wet-weather tests.",
            ),
            start("2026-09-20 09:30", "Han Xiao"),
            resolve(
                "2026-10-29 18:10",
                "Han Xiao",
                "Night and wet-weather testing added to the licences after the salon with the "
                "city traffic police.",
            ),
            close("2026-11-05 10:00", "Song Mei"),
        ),
    ),
    Raised(
        "GSV-3",
        "Public land for a 200-pile charging hub",
        "南京绿驰充电科技有限公司",
        "land",
        "normal",
        NRP,
        "Cao Ning",
        "2026-09-30",
        "Han Xiao",
        meeting="GSV-M2",
        life=(
            start("2026-06-15 10:00", "Cao Ning"),
            resolve(
                "2026-09-25 16:00",
                "Cao Ning",
                "Two plots next to the Jiangning Avenue park-and-ride leased for 10 years; "
                "construction has started.",
            ),
            close("2026-10-13 17:50", "Song Mei"),
        ),
    ),
    Raised(
        "GSV-4",
        "Second round of new-energy vehicle consumption vouchers is late",
        "Jiangning Auto Dealers Association",
        "market access",
        "normal",
        COM,
        "Cao Ning",
        "2026-07-31",
        "Han Xiao",
        meeting="GSV-M3",
        life=(
            resolve(
                "2026-07-14 16:00",
                "Cao Ning",
                "The second round of 20 million CNY in vouchers was issued on 14 July; dealers "
                "are reimbursed within 10 days.",
            ),
            close("2026-07-22 10:00", "Song Mei"),
        ),
    ),
    Raised(
        "GSV-5",
        "Vehicle maker's payment arrears squeeze parts suppliers",
        "南京精工汽车零部件有限公司",
        "financing",
        "high",
        IIT,
        "Tang Jian",
        "2026-08-31",
        "Han Xiao",
        meeting="GSV-M3",
        life=(
            start("2026-06-25 10:00", "Tang Jian"),
            block(
                "2026-07-30 15:00",
                "Tang Jian",
                "The vehicle maker disputes quality claims; in mediation at the city's SME "
                "protection office.",
            ),
            start("2026-10-13 17:55", "Tang Jian", "Mediation reached a repayment plan"),
            note(
                "2026-11-16 11:00",
                "Tang Jian",
                "First instalment of 12 million CNY paid; two more due in December and January.",
            ),
        ),
    ),
    Raised(
        "GSV-6",
        "Build a test track on basic farmland",
        "秣陵智驾科技有限公司",
        "land",
        "low",
        NRP,
        "Han Xiao",
        "2026-10-31",
        "Han Xiao",
        meeting="GSV-M4",
        life=(
            drop(
                "2026-09-08 18:00",
                "Han Xiao",
                "Basic farmland cannot be used for construction; the company accepted the "
                "shared test field in the auto park instead.",
            ),
        ),
    ),
    Raised(
        "GSV-7",
        "No approval route for a hydrogen refuelling station",
        "Jiangning Hydrogen Energy Co., Ltd.",
        "approvals",
        "high",
        EMB,
        "Tang Jian",
        "2026-11-30",
        "Han Xiao",
        meeting="GSV-M5",
        life=(
            block(
                "2026-10-13 18:00",
                "Tang Jian",
                "Hydrogen is still regulated as a hazardous chemical; needs the province to "
                "list Jiangning as a hydrogen-energy pilot.",
            ),
        ),
    ),
    Raised(
        "GSV-8",
        "200 skilled workers wanted for battery cell production",
        "Jiangning Power Battery Co., Ltd.",
        "talent",
        "high",
        HRSS,
        "Cao Ning",
        "2026-11-28",
        "Han Xiao",
        meeting="GSV-M6",
        life=(
            note(
                "2026-11-11 10:00",
                "Cao Ning",
                "Joint recruitment fair confirmed for 25 November with three vocational colleges.",
            ),
        ),
    ),
    Raised(
        "GSV-9",
        "Security assessment for cross-border vehicle data",
        "秣陵智驾科技有限公司",
        "approvals",
        "normal",
        CYBER,
        "Han Xiao",
        "2026-12-31",
        "Han Xiao",
        meeting="GSV-M7",
    ),
    # ---------------------------------------------------------------- NM
    Raised(
        "NM-1",
        "VOC emission quota for the carbon fibre expansion",
        "南京翠屏新材料科技有限公司",
        "environment",
        "high",
        ECO,
        "Dong Qing",
        "2026-08-31",
        "Dong Qing",
        meeting="NM-M1",
        life=(
            start("2026-06-01 09:00", "Dong Qing"),
            resolve(
                "2026-08-20 16:00",
                "Dong Qing",
                "18 t/year of VOC quota transferred from a closed coating plant through the "
                "district emission trading platform.",
            ),
            close("2026-08-26 17:50", "Xie Yun"),
        ),
    ),
    Raised(
        "NM-2",
        "Safety review for a new solvent tank farm",
        "Jiangning Advanced Polymer Co., Ltd.",
        "approvals",
        "normal",
        EMB,
        "Peng Fei",
        "2026-07-31",
        "Dong Qing",
        meeting="NM-M1",
        life=(
            start("2026-06-03 10:00", "Peng Fei"),
            resolve(
                "2026-07-29 16:00",
                "Peng Fei",
                "Safety review passed on 29 July after the tank spacing was increased to 15 m.",
            ),
            close("2026-08-07 10:45", "Xie Yun"),
        ),
    ),
    Raised(
        "NM-3",
        "High electricity cost for graphite purification furnaces",
        "南京翠屏新材料科技有限公司",
        "power",
        "normal",
        GRID,
        "Dong Qing",
        "2026-09-30",
        "Dong Qing",
        meeting="NM-M2",
        life=(
            start("2026-07-01 10:00", "Dong Qing"),
            resolve(
                "2026-09-23 17:50",
                "Dong Qing",
                "Enrolled in green-power direct trading: the average price falls by 0.06 "
                "CNY/kWh from October.",
            ),
        ),
    ),
    Raised(
        "NM-4",
        "No certification lab for pilot-scale alloy tests",
        "Jinling Special Alloys Co., Ltd.",
        "market access",
        "normal",
        MSB,
        "Peng Fei",
        "2026-10-15",
        "Dong Qing",
        meeting="NM-M3",
        life=(
            start("2026-07-15 10:00", "Peng Fei"),
            resolve(
                "2026-10-09 16:00",
                "Peng Fei",
                "The Provincial Institute of Metrology set up a joint test station in the "
                "new-materials park; certification now takes 3 weeks.",
            ),
            close("2026-10-20 10:00", "Deng Hui"),
        ),
    ),
    Raised(
        "NM-5",
        "Export licence for rare-earth functional materials",
        "Jinling Special Alloys Co., Ltd.",
        "market access",
        "high",
        COM,
        "Dong Qing",
        "2026-10-31",
        "Dong Qing",
        meeting="NM-M5",
        life=(
            start("2026-08-12 10:00", "Dong Qing"),
            note(
                "2026-09-23 17:55",
                "Dong Qing",
                "Application forwarded to the Ministry of Commerce through the provincial "
                "department.",
            ),
        ),
    ),
    Raised(
        "NM-6",
        "Wastewater pipe connection to the park's treatment plant",
        "Jiangning Advanced Polymer Co., Ltd.",
        "utilities",
        "normal",
        WATER,
        "Peng Fei",
        "2026-09-30",
        "Dong Qing",
        meeting="NM-M5",
        life=(
            start("2026-08-27 09:00", "Peng Fei"),
            resolve(
                "2026-10-12 16:00",
                "Peng Fei",
                "The Water Affairs Bureau built a 600 m connecting pipe; the discharge permit "
                "was amended.",
            ),
            close("2026-10-19 10:00", "Xie Yun"),
            reopen(
                "2026-11-09 09:30",
                "Peng Fei",
                "A pipe joint leaked after heavy rain; discharge stopped until it is repaired.",
            ),
        ),
    ),
    Raised(
        "NM-7",
        "Hazardous chemicals route restrictions delay raw material deliveries",
        "南京翠屏新材料科技有限公司",
        "logistics",
        "normal",
        TRAFFIC,
        "Peng Fei",
        "2026-11-20",
        "Dong Qing",
        meeting="NM-M7",
        life=(
            note(
                "2026-10-26 15:00",
                "Peng Fei",
                "Traffic police propose a 10:00 to 15:00 window on the Jiangning Avenue route.",
            ),
        ),
    ),
    Raised(
        "NM-8",
        "District recommendation for national 专精特新 'little giant' status",
        "南京翠屏新材料科技有限公司",
        "policy",
        "low",
        IIT,
        "Xie Yun",
        "2027-01-15",
        "Dong Qing",
        raised="2026-11-04 10:00",
        detail="Raised by letter from the company; the application window closes in January.",
    ),
)

# ------------------------------------------------------------------ building


def stamp(when: str, actor: str) -> Stamp:
    """A Stamp from Beijing time: ``at`` in UTC as chainlead stores it, ``today`` local."""
    local = datetime.fromisoformat(when)
    at = local - BEIJING
    if at.date() != local.date():
        raise ValueError(f"{when}: keep demo changes within the working day")
    return Stamp(actor=actor, at=at, today=local.date())


def day(text: str) -> date:
    return date.fromisoformat(text)


Command = tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """One change: what it does through the domain, and the same change as commands."""

    when: str  # Beijing time
    order: int  # among changes at the same minute: chains, meetings, new items, the rest
    chain: str
    actor: str
    run: Callable[[Reader, Stamp], Any]
    commands: tuple[Command, ...]


def _options(**given: object) -> Command:
    """``--name value`` pairs for the options that are set, repeated for tuples."""
    out: list[str] = []
    for name, value in given.items():
        option = "--" + name.replace("_", "-")
        for one in value if isinstance(value, tuple) else (value,):
            if one is not None:
                out += [option, str(one)]
    return tuple(out)


def _chain_steps() -> list[Step]:
    steps: list[Step] = []

    def create(spec: ChainSpec) -> Callable[[Reader, Stamp], Any]:
        def run(session: Reader, now: Stamp) -> None:
            # The CLI names chain leaders without their unit and title; give them here.
            for name in (spec.leader, spec.responsible):
                unit, title = PEOPLE[name]
                ensure_person(session, name=name, unit=unit, title=title, stamp=now)
            add_chain(
                session,
                code=spec.code,
                name=spec.name,
                description=spec.description,
                leader=spec.leader,
                responsible=spec.responsible,
                stamp=now,
            )
            for name, role in spec.team:
                unit, title = PEOPLE[name]
                add_member(
                    session,
                    code=spec.code,
                    name=name,
                    role=role,
                    unit=unit,
                    title=title,
                    stamp=now,
                    new_person=True,
                )

        return run

    def change(move: TeamChange) -> Callable[[Reader, Stamp], Any]:
        def run(session: Reader, now: Stamp) -> None:
            if move.member:
                name, role = move.member
                unit, title = PEOPLE[name]
                add_member(
                    session,
                    code=move.code,
                    name=name,
                    role=role,
                    unit=unit,
                    title=title,
                    stamp=now,
                    new_person=True,
                )
                return
            newcomer = move.leader or move.responsible or ""
            unit, title = PEOPLE[newcomer]
            ensure_person(session, name=newcomer, unit=unit, title=title, stamp=now)
            edit_chain(
                session,
                code=move.code,
                leader=move.leader,
                responsible=move.responsible,
                stamp=now,
                new_person=True,
            )

        return run

    def team_add(code: str, name: str, role: str) -> Command:
        unit, title = PEOPLE[name]
        shown = None if role == "member" else role  # member is the default
        return ("team", "add", code, name, *_options(role=shown, unit=unit, title=title))

    for spec in CHAINS:
        add = ("chain", "add", spec.code, spec.name) + _options(
            leader=spec.leader, responsible=spec.responsible, description=spec.description
        )
        members = tuple(team_add(spec.code, name, role) for name, role in spec.team)
        steps.append(Step(spec.created, 0, spec.code, spec.by, create(spec), (add, *members)))
    for spec in CHAINS:  # the chain's enterprises, registered with it
        for firm in (f for f in FIRMS if f.code == spec.code):
            steps.append(_firm_step(firm, spec))
    for move in TEAM_CHANGES:
        if move.member:
            command = team_add(move.code, *move.member)
        else:
            command = ("chain", "edit", move.code) + _options(
                leader=move.leader, responsible=move.responsible
            )
        steps.append(Step(move.when, 0, move.code, move.actor, change(move), (command,)))
    return steps


def _firm_step(firm: Firm, spec: ChainSpec) -> Step:
    def run(session: Reader, now: Stamp) -> None:
        add_enterprise(
            session,
            name=firm.name,
            short=firm.short,
            credit_code=credit_code(firm),
            park=firm.park,
            above_scale=firm.above_scale,
            chains=(firm.code,),
            segment=firm.segment,
            lead=firm.lead,
            stamp=now,
        )

    flags = (("--lead",) if firm.lead else ()) + (("--above-scale",) if firm.above_scale else ())
    command = (
        ("enterprise", "add", firm.name)
        + _options(short=firm.short, chain=firm.code, segment=firm.segment)
        + flags
        + _options(credit_code=credit_code(firm), park=firm.park)
    )
    return Step(spec.created, 1, spec.code, spec.by, run, (command,))


def _meeting_steps() -> list[Step]:
    def record(entry: Entry) -> Callable[[Reader, Stamp], Any]:
        def run(session: Reader, now: Stamp) -> None:
            made = add_meeting(
                session,
                chain=entry.code,
                kind=entry.kind,
                held_on=day(entry.held),
                chair=entry.chair,
                summary=entry.summary,
                decisions=entry.decisions,
                attendees=present(entry.code, entry.held, *entry.guests),
                figures=entry.figures,
                discusses=entry.discusses,
                stamp=now,
                new_person=True,
            )
            if made.key != entry.key:
                raise SystemExit(f"{entry.key} was recorded as {made.key}: fix the demo's order")

        return run

    steps = []
    for entry in MEETINGS:
        command = ("schedule", "add", entry.code) + _options(
            kind=None if entry.kind == "scheduling" else entry.kind,  # the default
            held_on=entry.held,
            chair=entry.chair,
            summary=entry.summary,
            decision=entry.decisions,
            attendee=present(entry.code, entry.held, *entry.guests),
            figure=entry.figures,
            discusses=entry.discusses,
        )
        steps.append(Step(entry.at, 1, entry.code, entry.by, record(entry), (command,)))
    return steps


def _add_step(item: Raised, when: str, source: str) -> Step:
    def run(session: Reader, now: Stamp) -> None:
        made = add_item(
            session,
            new_unit=True,
            chain=item.code,
            title=item.title,
            unit=item.unit,
            due=day(item.due),
            owner=item.owner,
            enterprise=item.enterprise,
            source=source,
            category=item.category,
            priority=item.priority,
            detail=item.detail,
            meeting=item.meeting,
            link=ITEM_LINKS.get(item.key),
            project=ITEM_PROJECTS.get(item.key),
            stamp=now,
            new_person=True,
        )
        if made.key != item.key:
            raise SystemExit(f"{item.key} was added as {made.key}: fix the demo's order")

    command = (
        ("bottleneck", "add", item.code, item.title)
        + _options(
            unit=item.unit,
            due=item.due,
            owner=item.owner,
            enterprise=item.enterprise,
            source=source,
            category=item.category,
            priority=None if item.priority == "normal" else item.priority,  # the default
            detail=item.detail,
            meeting=item.meeting,
            link=ITEM_LINKS.get(item.key),
            project=ITEM_PROJECTS.get(item.key),
        )
        + ("--new-unit",)
    )  # the demo's institutions are added with their first item
    return Step(when, 2, item.code, item.by, run, (command,))


def _act_step(item: Raised, move: Act) -> Step:
    key = move_key = item.key
    text = move.text or ""
    bottleneck = ("bottleneck", move.verb, move_key)
    run: Callable[[Reader, Stamp], Any]
    if move.verb == "note":
        command = bottleneck + (text,)

        def run(session: Reader, now: Stamp) -> Any:
            return note_item(session, key=key, text=text, stamp=now)

    elif move.verb == "start":
        command = bottleneck + _options(note=move.text)

        def run(session: Reader, now: Stamp) -> Any:
            return start_item(session, key=key, note=move.text, stamp=now)

    elif move.verb == "block":
        command = bottleneck + _options(reason=text)

        def run(session: Reader, now: Stamp) -> Any:
            return block_item(session, key=key, reason=text, stamp=now)

    elif move.verb == "resolve":
        command = bottleneck + _options(how=text, on=move.on)

        def run(session: Reader, now: Stamp) -> Any:
            on = day(move.on) if move.on else None
            return resolve_item(session, key=key, how=text, on=on, stamp=now)

    elif move.verb == "close":
        feedback = move.feedback or "satisfied"
        command = bottleneck + _options(by=move.actor, feedback=feedback, note=move.text)

        def run(session: Reader, now: Stamp) -> Any:
            return close_item(
                session, key=key, by=move.actor, feedback=feedback, note=move.text, stamp=now
            )

    elif move.verb == "reopen":
        command = bottleneck + _options(why=text)

        def run(session: Reader, now: Stamp) -> Any:
            return reopen_item(session, key=key, why=text, stamp=now)

    elif move.verb == "drop":
        command = bottleneck + _options(why=text)

        def run(session: Reader, now: Stamp) -> Any:
            return drop_item(session, key=key, why=text, stamp=now)

    elif move.verb == "edit":
        command = bottleneck + _options(due=move.due, owner=move.owner, why=text)

        def run(session: Reader, now: Stamp) -> Any:
            due = day(move.due) if move.due else None
            return edit_item(
                session, key=key, due=due, owner=move.owner, why=text, stamp=now, new_person=True
            )

    else:
        raise SystemExit(f"{key}: unknown change {move.verb!r}")
    return Step(move.when, 3, item.code, move.actor, run, (command,))


def _item_steps() -> list[Step]:
    meetings = {entry.key: entry for entry in MEETINGS}
    steps: list[Step] = []
    raised_at: dict[str, int] = {}
    for item in ITEMS:
        if item.meeting is not None:
            entry = meetings[item.meeting]
            # Items go on the list right after their meeting is written down.
            nth = raised_at.get(entry.key, 0) + 1
            raised_at[entry.key] = nth
            recorded = datetime.fromisoformat(entry.at) + timedelta(minutes=5 * nth)
            when = recorded.strftime("%Y-%m-%d %H:%M")
            source = entry.kind
        else:
            when = item.raised or ""
            source = item.source
        steps.append(_add_step(item, when, source))
        for move in item.life:
            if move.when <= when:
                raise SystemExit(f"{item.key}: a change at {move.when} before it was raised")
            steps.append(_act_step(item, move))
    return steps


def _map_steps() -> list[Step]:
    """Each chain's map, drawn when the chain was set up: its links, then its
    enterprises placed on them."""
    created = {spec.code: spec for spec in CHAINS}
    steps: list[Step] = []

    def draw(link: Link) -> Callable[[Reader, Stamp], Any]:
        def run(session: Reader, now: Stamp) -> None:
            add_link(
                session,
                chain=link.code,
                name=link.name,
                segment=link.segment,
                state=link.state,
                note=link.note,
                stamp=now,
            )

        return run

    def place(firm: str, specs: tuple[str, ...]) -> Callable[[Reader, Stamp], Any]:
        def run(session: Reader, now: Stamp) -> None:
            edit_enterprise(session, name=firm, links=specs, stamp=now)

        return run

    for link in LINKS:
        spec = created[link.code]
        command = ("chain", "link", "add", link.code, link.name) + _options(
            segment=link.segment,
            state=None if link.state == "strong" else link.state,
            note=link.note,
        )
        steps.append(Step(spec.created, 2, link.code, spec.by, draw(link), (command,)))
    placed: dict[tuple[str, str], list[str]] = {}
    for link in LINKS:
        for firm in link.firms:
            placed.setdefault((link.code, firm), []).append(f"{link.code}:{link.name}")
    for (code, firm), specs in placed.items():
        spec = created[code]
        command = ("enterprise", "edit", firm) + _options(link=tuple(specs))
        steps.append(Step(spec.created, 3, code, spec.by, place(firm, tuple(specs)), (command,)))
    return steps


def _project_steps() -> list[Step]:
    """The chains' projects: each put on the list with its milestones, then its
    progress reports, its milestones met and its finish, as they happened."""
    steps: list[Step] = []
    for project in PROJECTS:
        steps += _one_project(project)
    return steps


def _one_project(p: ChainProject) -> list[Step]:
    def add(session: Reader, now: Stamp) -> None:
        add_project(
            session,
            chain=p.code,
            title=p.title,
            type=p.type,
            enterprise=p.firm,
            link=p.link,
            investment=p.investment,
            investment_unit=INVESTMENT_UNIT,
            start=day(p.start),
            end=day(p.end),
            unit=p.unit,
            owner=p.owner,
            stamp=now,
        )
        for milestone in p.milestones:
            mark_milestone(session, key=p.key, title=milestone.title, due=day(milestone.due),
                           stamp=now)  # fmt: skip

    added = ("project", "add", p.code, p.title) + _options(
        type=p.type,
        enterprise=p.firm,
        link=p.link,
        investment=p.investment,
        investment_unit=INVESTMENT_UNIT,
        start=p.start,
        end=p.end,
        unit=p.unit,
        owner=p.owner,
    )
    planned = tuple(
        ("project", "milestone", p.key, m.title) + _options(due=m.due) for m in p.milestones
    )
    steps = [Step(p.added, 1, p.code, p.by, add, (added, *planned))]
    for report in p.progress:

        def progress(session: Reader, now: Stamp, report: Any = report) -> None:
            record_progress(session, key=p.key, percent=report.percent, invested=report.invested,
                            note=report.note, why=report.why, stamp=now)  # fmt: skip

        command = ("project", "progress", p.key) + _options(
            percent=report.percent, invested=report.invested, note=report.note, why=report.why
        )
        steps.append(Step(report.when, 3, p.code, p.by, progress, (command,)))
    for milestone in p.milestones:
        if milestone.done is None:
            continue

        def met(session: Reader, now: Stamp, title: str = milestone.title) -> None:
            mark_milestone(session, key=p.key, title=title, done=True, stamp=now)

        command = ("project", "milestone", p.key, milestone.title, "--done")
        steps.append(Step(f"{milestone.done} 17:30", 3, p.code, p.by, met, (command,)))
    if p.finished is not None:

        def finish(session: Reader, now: Stamp) -> None:
            finish_project(session, key=p.key, stamp=now)

        steps.append(Step(p.finished, 3, p.code, p.by, finish, (("project", "finish", p.key),)))
    return steps


def _target_steps() -> list[Step]:
    steps: list[Step] = []
    for chosen in TARGETS:

        def run(session: Reader, now: Stamp, chosen: Any = chosen) -> None:
            set_targets(session, code=chosen.code, year=2026, figures=chosen.figures, stamp=now)

        command = ("target", "set", chosen.code, "2026") + _options(figure=chosen.figures)
        steps.append(Step(chosen.when, 3, chosen.code, chosen.by, run, (command,)))
    return steps


def plan() -> list[Step]:
    """Every change of the district, in the order it happened."""
    steps = _chain_steps() + _map_steps() + _meeting_steps() + _item_steps()
    steps += _project_steps() + _target_steps()
    return sorted(steps, key=lambda step: (step.when, step.order))


def build(session: Reader) -> None:
    """Write the whole district into an empty database, change by change."""
    for step in plan():
        step.run(session, stamp(step.when, step.actor))


# ------------------------------------------------------------------ the same as commands

_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,:=+/@")


def _quoted(word: str) -> str:
    if word and set(word) <= _PLAIN:
        return word
    if "!" in word:
        raise SystemExit(f"{word!r}: '!' would need other quoting in an interactive shell")
    escaped = "".join("\\" + c if c in '\\"$`' else c for c in word)
    return f'"{escaped}"'


def _shell(actor: str, command: Command) -> str:
    head: list[str] = []
    rest = list(command)
    while rest and not rest[0].startswith("--"):
        head.append(rest.pop(0))
    lines = [" ".join(_quoted(w) for w in ("chainlead", "--as", actor, *head))]
    while rest:
        option = rest.pop(0)
        if not rest or rest[0].startswith("--"):  # a flag
            lines.append(f"  {option}")
        else:
            lines.append(f"  {option} {_quoted(rest.pop(0))}")
    return " \\\n".join(lines)


# The options that name a person, and the one that says the name is new: a
# command naming someone not yet known needs --new-person (chain add creates
# its people); a database built from one chain's commands knows only those.
_NAMING = ("--owner", "--leader", "--responsible", "--chair")


def _with_new_people(command: Command, known: set[str]) -> Command:
    """The command with ``--new-person`` when it names someone ``known`` lacks."""
    named = [command[i + 1] for i, word in enumerate(command[:-1]) if word in _NAMING]
    if command[:2] == ("team", "add"):
        named.append(command[3])
    if command[:2] == ("chain", "add"):
        known.update(named)
        return command
    new = [name for name in named if name not in known]
    known.update(named)
    return command + ("--new-person",) if new else command


def commands(code: str) -> str:
    """The shell commands that build chain ``code`` as the builder does."""
    out = [f"export CHAINLEAD_DB={code.lower()}-demo.db", "chainlead init"]
    known: set[str] = set()
    today = None
    for step in plan():
        if step.chain != code:
            continue
        if step.when[:10] != today:
            today = step.when[:10]
            out += ["", f"export CHAINLEAD_TODAY={today}"]
        out += [_shell(step.actor, _with_new_people(command, known)) for command in step.commands]
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ main


NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "chainlead:examples/jiangning")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def stable_uuids(text: str) -> str:
    """The snapshot with every record's random uuid replaced by one derived from its place.

    A record's place is its path in the district (``chains/IC/items/IC-3/history/4``),
    so the same district always gets the same uuids, and a change to one record
    leaves the others' uuids alone.
    """
    renamed: dict[str, str] = {}

    def walk(table: dict[str, Any], path: str) -> None:
        if isinstance(table.get("uuid"), str):
            renamed[table["uuid"]] = str(uuid.uuid5(NAMESPACE, path))
        for name, value in table.items():
            if not (isinstance(value, list) and value and isinstance(value[0], dict)):
                continue
            for index, child in enumerate(value):
                label = child.get("key") or child.get("code")
                if name == "people":
                    label = child.get("name")
                walk(child, f"{path}/{name}/{label or index}")

    walk(tomllib.loads(text), "")
    return _UUID.sub(lambda found: renamed.get(found.group(0), found.group(0)), text)


def export(session: Reader) -> str:
    """The district as a snapshot text, with stable uuids."""
    parts: list[str] = []
    export_snapshot(session, write=parts.append, district=DISTRICT)
    return stable_uuids("".join(parts))


# An event's place in the history's chain: its hashes name the uuids it had when written.
_CHAIN_KEYS = re.compile(r", prev = '[0-9a-f]{64}', hash = '[0-9a-f]{64}'")


def rechained(text: str, scratch: Path) -> str:
    """The snapshot with its history chained again under the stable uuids: the hashes
    left out, imported so (chained as imported) and exported again."""
    return reexport(_CHAIN_KEYS.sub("", text), scratch, name="rechain.db", unverified=True)


def reexport(text: str, scratch: Path, *, name: str = "check.db", unverified: bool = False) -> str:
    """The snapshot imported into an empty database and exported again."""
    database = open_database(str(scratch / name), create=True)
    try:
        upgrade(database)
        with database.transaction(write=True) as session:
            snapshot = read_snapshot(text.encode("utf-8"), "jiangning")
            import_snapshot(session, snapshot, name="demo", accept_unverified=unverified)
        with database.transaction(write=False) as session:
            parts: list[str] = []
            export_snapshot(session, write=parts.append, district=DISTRICT)
            return "".join(parts)
    finally:
        database.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=EXAMPLES / "jiangning.toml",
        help="snapshot to write [default: examples/jiangning.toml]",
    )
    parser.add_argument("--db", type=Path, help="keep the built SQLite database at this path")
    parser.add_argument(
        "--commands",
        metavar="CODE",
        help="print the chainlead commands that build this chain instead",
    )
    args = parser.parse_args(argv)
    if args.commands:
        sys.stdout.write(commands(args.commands.upper()))
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        path = args.db or Path(scratch) / "jiangning.db"
        if path.exists():
            parser.error(f"{path} already exists; give a new path to --db")
        database = open_database(str(path), create=True)
        try:
            upgrade(database)
            with database.transaction(write=True) as session:
                build(session)
            with database.transaction(write=False) as session:
                text = export(session)
        finally:
            database.dispose()
        text = rechained(text, Path(scratch))
        # What chainlead itself writes for this snapshot must be this snapshot.
        if reexport(text, Path(scratch)) != text:
            raise SystemExit("the snapshot changed on import and export again; not written")
    args.out.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
