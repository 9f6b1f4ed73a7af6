"""Write the demand sheet of a Jiangning breakfast meeting, as the working team keeps it.

On 19 November 2026 the software and AI chain's leader met 26 entrepreneurs
over breakfast (企业家早餐会); the team wrote the demands of eleven key
enterprises into a spreadsheet, one row a demand, each handed to a district
institution with a time limit. ``chainlead intake`` reads that sheet into the
chain's list (README, "Intake from the team's spreadsheet").

The sheet looks as such sheets do: a title row merged across the table,
Chinese headers, the enterprise's name merged down over its demands, dates
as Excel date cells, a contact column chainlead does not read. The
institutions are those of the demo database (``chainlead demo``); some
enterprises are already known there, the others are new.

Two files: the sheet as sent after the meeting, and the same sheet a week
later (``-v2``), when the team had moved one time limit, reworded one demand
and added a row. Nothing here is random and the zip's times are fixed, so
running it again writes the same bytes. It needs openpyxl (a test
dependency); ``make demo`` does not run it.

    .venv/bin/python examples/build_breakfast_demands.py
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent
SHEET = EXAMPLES / "jiangning-breakfast-demands.xlsx"
REVISED = EXAMPLES / "jiangning-breakfast-demands-v2.xlsx"
MADE = datetime(2026, 11, 19, 18, 0)

GRID = "State Grid Jiangning Power Supply Company"
IIT = "District Industry and Information Technology Bureau"
EDU = "District Education Bureau"
CAC = "District Cyberspace Affairs Office"
ZONE = "Jiangning Development Zone Administrative Committee"
SCI = "District Science and Technology Bureau"
FIN = "District Finance Bureau"
EXIT_ENTRY = "District Public Security Bureau Exit-Entry Office"
DATA = "District Data Bureau"
TRAFFIC = "District Traffic Police Brigade"
ECO = "District Ecology and Environment Bureau"
HRSS = "District Human Resources and Social Security Bureau"

TITLE = "江宁区软件和人工智能产业链企业家早餐会企业诉求清单（2026年11月19日，26位企业家参加）"
HEADERS = (
    "序号",
    "诉求编号",
    "企业名称",
    "诉求内容",
    "详细情况",
    "类别",
    "责任单位",
    "提出日期",
    "办理时限",
    "联系人",
)
RAISED = date(2026, 11, 19)

# enterprise, [(title, detail, category, unit, due, contact)] -- one enterprise's demands
DEMANDS: list[tuple[str, list[tuple[str, str, str, str, date, str]]]] = [
    (
        "金陵智算科技有限公司",
        [
            (
                "智算中心二期需增加用电容量8000千伏安",
                "二期800个机柜明年3月上架，现有两路10千伏进线容量不足，需新建专线。",
                "power",
                GRID,
                date(2027, 1, 31),
                "周敏 139 5188 0211",
            ),
            (
                "申请区级算力券支持中小企业租用算力",
                "园区30余家中小软件企业有训练需求，希望纳入区算力券试点。",
                "financing",
                IIT,
                date(2026, 12, 31),
                "周敏 139 5188 0211",
            ),
        ],
    ),
    (
        "南京云栖数智科技有限公司",
        [
            (
                "引进的研发骨干子女入学需协调学位",
                "今年引进12名研发骨干，其中7人子女需在九龙湖片区入读小学。",
                "talent",
                EDU,
                date(2027, 2, 28),
                "陈立 025-5210 3366",
            ),
        ],
    ),
    (
        "Nanjing Xinghuo AI Technology Co., Ltd.",
        [
            (
                "行业大模型备案材料需要指导",
                "已提交两次备案材料被退回，希望网信部门上门指导安全评估报告。",
                "approvals",
                CAC,
                date(2026, 12, 20),
                "罗晨 138 1234 5678",
            ),
        ],
    ),
    (
        "江宁鸿图软件股份有限公司",
        [
            (
                "首版次软件产品申报认定",
                "工业设计仿真软件V1.0拟申报省首版次软件产品，需区里出具推荐意见。",
                "market access",
                IIT,
                date(2027, 1, 15),
                "王瑶 025-8719 2200",
            ),
            (
                "园区停车位不足，员工停车难",
                "企业员工420人，园区仅有车位150个，周边道路禁停。",
                "infrastructure",
                ZONE,
                date(2026, 12, 31),
                "王瑶 025-8719 2200",
            ),
        ],
    ),
    (
        "南京数衍信息技术有限公司",
        [
            (
                "高新技术企业认定辅导",
                "首次申报高企，研发费用归集和知识产权布局需要辅导。",
                "approvals",
                SCI,
                date(2027, 3, 31),
                "刘畅 181 0512 7788",
            ),
            (
                "知识产权质押融资",
                "持有软件著作权26项，希望通过区知识产权质押融资风险补偿资金池获得贷款500万元。",
                "financing",
                FIN,
                date(2027, 1, 31),
                "刘畅 181 0512 7788",
            ),
        ],
    ),
    (
        "南京九龙湖智能科技有限公司",
        [
            (
                "外籍专家居留许可办理周期长",
                "3名外籍算法专家的工作类居留许可已等待40天，影响项目交付。",
                "talent",
                EXIT_ENTRY,
                date(2026, 12, 31),
                "赵磊 025-5216 0099",
            ),
        ],
    ),
    (
        "南京深蓝视觉科技有限公司",
        [
            (
                "申请开放交通公共数据用于视觉模型训练",
                "需要脱敏的路口视频和信号灯配时数据，用于交通视觉大模型训练。",
                "data access",
                DATA,
                date(2027, 2, 28),
                "孙悦 177 0517 3456",
            ),
            (
                "在开发区开放自动驾驶测试道路",
                "希望在开发区内开放约8公里道路用于低速无人配送车测试。",
                "approvals",
                TRAFFIC,
                date(2027, 1, 31),
                "孙悦 177 0517 3456",
            ),
        ],
    ),
    (
        "江苏秦淮云链科技有限公司",
        [
            (
                "办公楼网络专线带宽不足",
                "区块链节点服务需要1000兆对称专线，楼宇现有线路仅支持200兆。",
                "infrastructure",
                ZONE,
                date(2026, 12, 31),
                "钱程 025-5118 6600",
            ),
        ],
    ),
    (
        "南京牛首山数据科技有限公司",
        [
            (
                "数据出境安全评估申报",
                "为境外客户提供数据标注服务，需要申报数据出境安全评估。",
                "data access",
                CAC,
                date(2027, 1, 31),
                "吴静 136 0519 2121",
            ),
        ],
    ),
    (
        "Zijin Cloud Computing Co., Ltd.",
        [
            (
                "数据中心余热利用项目环评",
                "拟利用数据中心余热为周边园区供暖，需办理环评手续。",
                "approvals",
                ECO,
                date(2027, 2, 15),
                "马超 025-5288 1010",
            ),
        ],
    ),
    (
        "南京方山智联科技有限公司",
        [
            (
                "应届毕业生就业补贴申领",
                "今年招聘应届毕业生35人，希望了解并申领区吸纳就业补贴。",
                "talent",
                HRSS,
                date(2026, 12, 31),
                "郑好 025-5209 4433",
            ),
        ],
    ),
]


def revised() -> list[tuple[str, list[tuple[str, str, str, str, date, str]]]]:
    """The sheet a week later: one time limit moved, one demand reworded, one added."""
    changed = [(name, list(rows)) for name, rows in DEMANDS]
    xinghuo = changed[2][1]
    title, detail, category, unit, _due, contact = xinghuo[0]
    xinghuo[0] = (title, detail, category, unit, date(2027, 1, 10), contact)
    hongtu = changed[3][1]
    _title, detail, category, unit, due, contact = hongtu[1]
    hongtu[1] = ("园区停车位不足，需新建立体停车库", detail, category, unit, due, contact)
    changed[10][1].append(
        (
            "申请区人才公寓房源",
            "新招聘的35名应届生中有20人需要租住人才公寓。",
            "talent",
            ZONE,
            date(2027, 1, 31),
            "郑好 025-5209 4433",
        )
    )
    return changed


def workbook_bytes(demands: list[tuple[str, list[tuple[str, str, str, str, date, str]]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    book = Workbook()
    sheet = book.active
    sheet.title = "诉求清单"
    book.properties.creator = "江宁区软件和人工智能产业链工作专班"
    book.properties.created = MADE
    book.properties.modified = MADE
    sheet["A1"] = TITLE
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    for column, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=2, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
    for letter, width in zip("ABCDEFGHIJ", (6, 14, 26, 34, 48, 14, 34, 14, 14, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    row = 3
    number = 1
    for enterprise, rows in demands:
        first = row
        for title, detail, category, unit, due, contact in rows:
            values = (
                number,
                f"ZC-2611-{number:02d}",
                enterprise if row == first else None,
                title,
                detail,
                category,
                unit,
                RAISED,
                due,
                contact,
            )
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=column, value=value)
                cell.border = border
                cell.alignment = wrap
                if isinstance(value, date):
                    cell.number_format = 'yyyy"年"m"月"d"日"'
            row += 1
            number += 1
        if row - first > 1:  # the enterprise's name merged down over its demands
            sheet.merge_cells(start_row=first, start_column=3, end_row=row - 1, end_column=3)
    sheet.freeze_panes = "A3"
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_times(raw.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The same archive with every entry dated ``MADE``: the same bytes on every run."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=MADE.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def main() -> int:
    SHEET.write_bytes(workbook_bytes(DEMANDS))
    REVISED.write_bytes(workbook_bytes(revised()))
    print(f"wrote {SHEET.name} and {REVISED.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
