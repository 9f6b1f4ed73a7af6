"""The demo district's chains themselves: their maps, projects and 2026 targets.

Data only; ``build_jiangning.py`` writes it with the rest of the district. The
integrated-circuit (IC) and green smart vehicle (GSV) chains are mapped in
some depth, the others in outline. Names of firms are those of
``build_jiangning.FIRMS``; times are Beijing time.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    code: str
    name: str
    segment: str
    state: str = "strong"
    note: str | None = None
    firms: tuple[str, ...] = ()  # the enterprises placed on it


LINKS: tuple[Link, ...] = (
    # ---------------------------------------------------------------- IC
    Link("IC", "芯片设计", "upstream", firms=("南京芯研微电子设计有限公司",)),
    Link("IC", "EDA工具", "upstream", "missing", "全部依赖区外采购，拟引进EDA研发中心"),
    Link(
        "IC",
        "半导体材料",
        "upstream",
        firms=("Zijin Semiconductor Materials Co., Ltd.",),
    ),
    Link(
        "IC",
        "电子特气",
        "upstream",
        "weak",
        "仅一家企业小批量供货",
        firms=("Zijin Semiconductor Materials Co., Ltd.",),
    ),
    Link("IC", "光刻胶", "upstream", "missing", "区内无企业，列入招商目录"),
    Link("IC", "晶圆制造", "midstream", "weak", "仅有特色工艺产线，12英寸产能缺"),
    Link("IC", "封装测试", "midstream", firms=("南京秦淮芯微电子有限公司",)),
    Link("IC", "汽车电子", "downstream", "weak", firms=("南京秦淮芯微电子有限公司",)),
    Link("IC", "工业控制", "downstream"),
    # ---------------------------------------------------------------- GSV
    Link("GSV", "动力电池", "upstream", firms=("Jiangning Power Battery Co., Ltd.",)),
    Link("GSV", "汽车零部件", "upstream", firms=("南京精工汽车零部件有限公司",)),
    Link(
        "GSV",
        "氢燃料电池",
        "upstream",
        "weak",
        "电堆依赖外购",
        firms=("Jiangning Hydrogen Energy Co., Ltd.",),
    ),
    Link("GSV", "车规级芯片", "upstream", "missing", "与IC链协同招引"),
    Link("GSV", "整车制造", "midstream", "weak", "缺整车龙头，以改装车为主"),
    Link("GSV", "智能驾驶系统", "midstream", "weak", firms=("秣陵智驾科技有限公司",)),
    Link("GSV", "充电设施", "downstream", firms=("南京绿驰充电科技有限公司",)),
    Link("GSV", "汽车销售服务", "downstream", firms=("Jiangning Auto Dealers Association",)),
    Link("GSV", "电池回收", "downstream", "missing", "退役电池外运处置"),
    # ---------------------------------------------------------------- the others
    Link("AI", "算力基础设施", "upstream", firms=("Zijin Cloud Computing Co., Ltd.",)),
    Link("AI", "数据要素", "upstream", "weak", "公共数据开放不足"),
    Link(
        "AI",
        "大模型",
        "midstream",
        firms=("金陵智算科技有限公司", "Nanjing Xinghuo AI Technology Co., Ltd."),
    ),
    Link("AI", "工业软件", "midstream", "weak"),
    Link("AI", "行业应用", "downstream", firms=("南京云栖数智科技有限公司",)),
    Link("BIO", "原料药", "upstream", "missing", "环保容量受限"),
    Link("BIO", "创新药", "midstream", firms=("Moling Biopharma Co., Ltd.",)),
    Link("BIO", "细胞治疗", "midstream", firms=("南京康源细胞生物科技有限公司",)),
    Link("BIO", "CRO/CDMO服务", "downstream", "weak"),
    Link("BIO", "医疗器械", "downstream", firms=("南京博安医疗器械有限公司",)),
    Link("IME", "核心零部件", "upstream", "weak", "减速器、伺服电机依赖进口"),
    Link(
        "IME",
        "数控机床",
        "midstream",
        firms=("南京精锐数控机床有限公司", "南京天印智能装备有限公司"),
    ),
    Link("IME", "工业机器人", "downstream", firms=("Fangshan Robotics Co., Ltd.",)),
    Link("IME", "智能产线集成", "downstream", "weak"),
    Link("SG", "电力电子器件", "upstream", firms=("南京华电自动化有限公司",)),
    Link("SG", "电网自动化", "midstream", firms=("Jinling Smart Grid Technology Co., Ltd.",)),
    Link(
        "SG",
        "储能系统",
        "midstream",
        firms=("Jiangning Energy Storage Technology Co., Ltd.",),
    ),
    Link("SG", "虚拟电厂", "downstream", "weak", "聚合负荷不足"),
    Link(
        "RT",
        "信号系统",
        "upstream",
        firms=("南京恒通轨道信号技术有限公司",),
    ),
    Link("RT", "车辆内饰", "upstream", firms=("南京宁轨内饰科技有限公司",)),
    Link("RT", "整车装备", "midstream", firms=("Nanjing Jinling Rail Equipment Co., Ltd.",)),
    Link(
        "RT",
        "运维服务",
        "downstream",
        "weak",
        firms=("Jiangning High-speed Rail Hub Investment Co., Ltd.",),
    ),
    Link("NM", "高性能聚合物", "upstream", firms=("Jiangning Advanced Polymer Co., Ltd.",)),
    Link("NM", "特种合金", "upstream", firms=("Jinling Special Alloys Co., Ltd.",)),
    Link("NM", "碳纤维", "midstream", firms=("南京翠屏新材料科技有限公司",)),
    Link("NM", "功能薄膜", "downstream", "missing"),
)


@dataclass(frozen=True)
class Progress:
    when: str  # Beijing time it was reported
    percent: int
    invested: str | None = None
    note: str = "按计划推进"  # on plan
    why: str | None = None  # a step back


@dataclass(frozen=True)
class Milestone:
    title: str
    due: str
    done: str | None = None  # the day it was done


@dataclass(frozen=True)
class ChainProject:
    """A chain project; ``key`` is the key chainlead is expected to give it."""

    key: str
    title: str
    type: str
    firm: str
    link: str
    investment: str  # 亿元
    start: str
    end: str
    added: str  # Beijing time it was put on the list
    by: str
    unit: str | None = None
    owner: str | None = None
    milestones: tuple[Milestone, ...] = ()
    progress: tuple[Progress, ...] = field(default_factory=tuple)
    finished: str | None = None  # Beijing time

    @property
    def code(self) -> str:
        return self.key.split("-P")[0]


INVESTMENT_UNIT = "亿元"

PROJECTS: tuple[ChainProject, ...] = (
    ChainProject(
        "AI-P1",
        "城市算力中心二期",
        "strengthen",
        "Zijin Cloud Computing Co., Ltd.",
        "算力基础设施",
        "20",
        "2026-03-01",
        "2027-06-30",
        "2026-05-08 10:00",
        "Zhao Min",
        owner="Zhao Min",
        progress=(
            Progress("2026-06-30 17:00", 15, "3", "机房土建完成"),
            Progress("2026-09-30 17:00", 30, "6.5", "首批2000P算力上架"),
            Progress("2026-11-10 17:00", 38, "8", "二期电力增容获批"),
        ),
    ),
    ChainProject(
        "BIO-P1",
        "细胞治疗CDMO平台",
        "fill",
        "南京康源细胞生物科技有限公司",
        "CRO/CDMO服务",
        "5",
        "2026-06-01",
        "2027-12-31",
        "2026-06-05 10:00",
        "He Ping",
        owner="He Ping",
        progress=(Progress("2026-10-31 17:00", 10, "0.6", "GMP车间设计定稿"),),
    ),
    ChainProject(
        "IME-P1",
        "精密减速器产业化",
        "fill",
        "南京精锐数控机床有限公司",
        "核心零部件",
        "4",
        "2026-04-01",
        "2027-03-31",
        "2026-05-12 15:00",
        "Zheng Hao",
        owner="Zheng Hao",
        progress=(
            Progress("2026-07-31 17:00", 20, "0.8", "样机通过寿命测试"),
            Progress("2026-10-31 17:00", 40, "1.7", "小批量试产"),
        ),
    ),
    ChainProject(
        "IC-P1",
        "12英寸晶圆级封装二期",
        "strengthen",
        "南京秦淮芯微电子有限公司",
        "封装测试",
        "45",
        "2026-03-01",
        "2027-06-30",
        "2026-05-06 09:30",
        "Chen Jie",
        owner="Zhang Wei",
        milestones=(
            Milestone("主体结构封顶", "2026-09-30", done="2026-09-25"),
            Milestone("洁净室完工", "2027-01-31"),
            Milestone("设备搬入", "2027-03-31"),
        ),
        progress=(
            Progress("2026-05-29 17:00", 15, "6", "桩基完成"),
            Progress("2026-07-31 17:00", 28, "12.5", "主体结构施工过半"),
            Progress("2026-09-30 17:00", 42, "19", "主体结构封顶"),
            Progress("2026-11-13 17:00", 48, "22", "洁净室施工"),
        ),
    ),
    ChainProject(
        "IC-P2",
        "电子特气国产化项目",
        "fill",
        "Zijin Semiconductor Materials Co., Ltd.",
        "电子特气",
        "8",
        "2026-05-01",
        "2027-04-30",
        "2026-05-06 09:40",
        "Chen Jie",
        owner="Wang Fang",
        milestones=(Milestone("环评批复", "2026-08-31", done="2026-09-20"),),
        progress=(
            Progress("2026-06-30 17:00", 5, "0.3", "完成可研"),
            Progress("2026-08-31 17:00", 10, "0.8", "环评报告报审"),
            Progress("2026-10-30 17:00", 14, "1.1", "环评批复后开工准备"),
        ),
    ),
    ChainProject(
        "IC-P4",
        "EDA工具研发中心",
        "build",
        "南京芯研微电子设计有限公司",
        "EDA工具",
        "3",
        "2026-07-01",
        "2027-12-31",
        "2026-07-08 10:00",
        "Chen Jie",
        owner="Zhou Lan",
        progress=(
            Progress("2026-09-30 17:00", 8, "0.2", "团队组建"),
            Progress("2026-11-13 17:00", 12, "0.35", "首个工具模块内测"),
        ),
    ),
    ChainProject(
        "IC-P3",
        "车规级芯片测试线",
        "extend",
        "南京秦淮芯微电子有限公司",
        "汽车电子",
        "12",
        "2026-01-15",
        "2026-10-31",
        "2026-05-06 09:50",
        "Chen Jie",
        owner="Wang Fang",
        progress=(
            Progress("2026-05-29 17:00", 55, "6.5"),
            Progress("2026-08-31 17:00", 85, "10.2", "AEC-Q100认证送样"),
        ),
        finished="2026-10-28 16:00",
    ),
    ChainProject(
        "SG-P1",
        "百兆瓦时储能电站",
        "strengthen",
        "Jiangning Energy Storage Technology Co., Ltd.",
        "储能系统",
        "9",
        "2026-05-01",
        "2027-04-30",
        "2026-05-20 10:00",
        "Ma Li",
        owner="Ma Li",
        progress=(
            Progress("2026-07-31 17:00", 20, "1.8"),
            Progress("2026-10-31 17:00", 45, "4.2", "电池舱到货"),
        ),
    ),
    ChainProject(
        "RT-P1",
        "轨道交通运维基地",
        "extend",
        "Jiangning High-speed Rail Hub Investment Co., Ltd.",
        "运维服务",
        "7",
        "2026-03-01",
        "2027-02-28",
        "2026-05-15 10:00",
        "Lin Feng",
        progress=(
            Progress("2026-07-31 17:00", 30, "2", "检修库主体施工"),
            Progress("2026-10-30 17:00", 52, "3.6"),
        ),
    ),
    ChainProject(
        "GSV-P1",
        "动力电池三期扩产",
        "strengthen",
        "Jiangning Power Battery Co., Ltd.",
        "动力电池",
        "60",
        "2026-02-01",
        "2027-12-31",
        "2026-05-07 11:00",
        "Han Xiao",
        owner="Song Mei",
        milestones=(
            Milestone("厂房封顶", "2026-10-31", done="2026-10-20"),
            Milestone("首条产线投产", "2027-06-30"),
        ),
        progress=(
            Progress("2026-05-29 17:00", 20, "10", "厂房基础施工"),
            Progress("2026-08-31 17:00", 28, "16"),
            Progress("2026-10-30 17:00", 36, "23", "厂房封顶"),
        ),
    ),
    ChainProject(
        "GSV-P2",
        "氢燃料电池电堆产线",
        "fill",
        "Jiangning Hydrogen Energy Co., Ltd.",
        "氢燃料电池",
        "15",
        "2026-04-01",
        "2027-03-31",
        "2026-05-07 11:10",
        "Han Xiao",
        owner="Tang Jian",
        milestones=(Milestone("环评批复", "2026-08-31"), Milestone("设备招标", "2026-11-30")),
    ),
    ChainProject(
        "GSV-P4",
        "智能驾驶测试场",
        "extend",
        "秣陵智驾科技有限公司",
        "智能驾驶系统",
        "6",
        "2026-06-01",
        "2027-05-31",
        "2026-06-10 10:00",
        "Han Xiao",
        owner="Cao Ning",
        progress=(
            Progress("2026-08-31 17:00", 25, "1.4", "封闭测试区完工"),
            Progress("2026-10-30 17:00", 40, "2.3", "开放道路测试申请"),
        ),
    ),
    ChainProject(
        "GSV-P3",
        "超充站网络建设",
        "strengthen",
        "南京绿驰充电科技有限公司",
        "充电设施",
        "2.5",
        "2026-05-01",
        "2026-12-31",
        "2026-05-07 11:20",
        "Han Xiao",
        owner="Cao Ning",
        progress=(
            Progress("2026-07-31 17:00", 30, "0.7", "首批12座超充站"),
            Progress("2026-09-30 17:00", 60, "1.4"),
            Progress("2026-11-13 17:00", 75, "1.9", "累计40座"),
        ),
    ),
    ChainProject(
        "NM-P1",
        "T1000级碳纤维产线",
        "strengthen",
        "南京翠屏新材料科技有限公司",
        "碳纤维",
        "18",
        "2026-01-01",
        "2027-06-30",
        "2026-05-18 10:00",
        "Dong Qing",
        owner="Xie Yun",
        progress=(
            Progress("2026-06-30 17:00", 25, "4"),
            Progress("2026-09-30 17:00", 38, "6.8", "原丝线调试"),
        ),
    ),
)


@dataclass(frozen=True)
class Targets:
    """A chain's targets for 2026, as ``target set`` takes them (each a monthly flow)."""

    code: str
    when: str  # Beijing time they were set
    by: str
    figures: tuple[str, ...]


def targets(output: str, projects: int, investment: str) -> tuple[str, ...]:
    return (
        f"output_value={output}:bn CNY",
        f"new_projects={projects}",
        f"investment_signed={investment}:bn CNY",
    )


# Set after each chain's first scheduling meeting, for what is left of 2026 from May.
TARGETS: tuple[Targets, ...] = (
    Targets("AI", "2026-06-02 09:00", "Zhao Min", targets("95", 20, "15")),
    Targets("BIO", "2026-06-02 09:10", "He Ping", targets("18", 10, "7")),
    Targets("IME", "2026-06-02 09:20", "Zheng Hao", targets("42", 16, "10")),
    Targets("IC", "2026-06-02 09:30", "Chen Jie", targets("24", 14, "20")),
    Targets("SG", "2026-06-02 09:40", "Ma Li", targets("70", 15, "9")),
    Targets("RT", "2026-06-02 09:50", "Lin Feng", targets("17", 8, "6")),
    Targets("GSV", "2026-06-02 10:00", "Han Xiao", targets("70", 15, "28")),
    Targets("NM", "2026-06-02 10:10", "Dong Qing", targets("26", 8, "5")),
)


# The links of their chains' maps the demo's items are about, and the projects
# that raised some of them (each project is on the list before its item).
ITEM_LINKS: dict[str, str] = {
    "IC-1": "封装测试",
    "IC-2": "晶圆制造",
    "IC-3": "EDA工具",
    "IC-5": "电子特气",
    "IC-6": "芯片设计",
    "IC-8": "芯片设计",
    "IC-9": "半导体材料",
    "GSV-1": "动力电池",
    "GSV-2": "智能驾驶系统",
    "GSV-3": "充电设施",
    "GSV-5": "汽车零部件",
    "GSV-7": "氢燃料电池",
    "GSV-8": "动力电池",
    "GSV-9": "智能驾驶系统",
}
ITEM_PROJECTS: dict[str, str] = {"IC-1": "IC-P1", "GSV-1": "GSV-P1", "GSV-8": "GSV-P1"}
