"""The demand-sheet reader, without a database: real .xlsx files written by openpyxl,
CSVs in the encodings sheets come in, and hostile files refused in bounded time."""

from __future__ import annotations

import io
import re
import struct
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from chainlead.errors import SheetRefused
from chainlead.intake import sheet as sheet_module
from chainlead.intake.columns import find_columns, fold, load_map
from chainlead.intake.demands import MADE_PREFIX, made_reference, read_demands
from chainlead.intake.sheet import UNCOMPUTED, read_sheet
from chainlead.intake.values import CellProblem, sheet_date

HEADERS = [
    "序号",
    "诉求编号",
    "企业名称",
    "诉求内容",
    "详细情况",
    "责任单位",
    "办理时限",
    "提出日期",
]
GRID = "State Grid Jiangning Power Supply Company"
NRP = "District Natural Resources and Planning Bureau"


def demand_book(path: Path, rows: list[list[object]], headers: list[str] = HEADERS) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "诉求清单"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def rewrite(path: Path, part: str, change) -> Path:
    """The .xlsx with one part's bytes changed by ``change``."""
    source = zipfile.ZipFile(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, change(data) if info.filename == part else data)
    source.close()
    path.write_bytes(buffer.getvalue())
    return path


ROW = [1, "JN-01", "南京紫金云计算有限公司", "数据中心需要第二路110千伏供电", None, GRID]


# ------------------------------------------------------------------ xlsx


def test_reads_rows_with_sheet_numbers_and_excel_dates(tmp_path: Path) -> None:
    path = demand_book(
        tmp_path / "d.xlsx",
        [
            [*ROW, date(2026, 12, 31), datetime(2026, 11, 3)],
            [],  # a blank row: skipped, later rows keep their numbers
            [
                2,
                "JN-02",
                "江宁智造有限公司",
                "用地指标",
                "扩产需30亩",
                NRP,
                "2026/12/1",
                "2026年11月3日",
            ],
        ],
    )
    read = read_demands(path)
    assert read.sheet.name == "诉求清单"
    assert read.problems == ()
    first, second = read.demands
    assert (first.row, first.reference, first.due, first.raised) == (
        2,
        "JN-01",
        date(2026, 12, 31),
        date(2026, 11, 3),
    )
    assert second.row == 4
    assert (second.due, second.raised, second.detail) == (
        date(2026, 12, 1),
        date(2026, 11, 3),
        "扩产需30亩",
    )


def test_title_row_merged_header_and_merged_enterprise(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "江宁区企业家早餐会企业诉求清单"
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "序号"
    sheet.merge_cells("A2:A3")  # merged down over the two header rows
    sheet["B2"] = "企业信息"
    sheet.merge_cells("B2:C2")
    sheet["B3"], sheet["C3"] = "企业名称", "联系人"
    sheet["D2"] = "诉求内容"
    sheet.merge_cells("D2:D3")
    sheet["E2"], sheet["F2"] = "责任单位", "办理时限"
    sheet.merge_cells("E2:E3")
    sheet.merge_cells("F2:F3")
    sheet.append([1, "南京紫金云计算有限公司", "马超", "第二路供电", GRID, date(2026, 12, 31)])
    sheet.append([2, None, None, "GPU服务器通关慢", "Nanjing Customs", date(2026, 12, 15)])
    sheet.merge_cells("B4:B5")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    read = read_demands(path)
    # the header is the row naming the most fields: row 3 (row 2's merged cells carry down)
    assert read.columns.header_row == 3
    assert set(read.columns.taken) == {"enterprise", "title", "unit", "due"}
    assert [d.enterprise for d in read.demands] == ["南京紫金云计算有限公司"] * 2
    assert [d.row for d in read.demands] == [4, 5]


def test_formula_values_are_read_and_uncomputed_ones_refused(tmp_path: Path) -> None:
    path = demand_book(
        tmp_path / "f.xlsx",
        [
            [*ROW, "=DATE(2026,12,31)"],
            [2, "JN-02", "江宁智造有限公司", "用地指标", None, NRP, "=DATE(2026,12,1)"],
        ],
    )
    # openpyxl stores no computed values: give the first formula one, as Excel would
    # (its empty value is written <v /> or <v/>, or left out, as lxml is there or not)
    rewrite(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(
            rb"<f>DATE\(2026,12,31\)</f>(<v\s*/>|<v></v>)?",
            b"<f>DATE(2026,12,31)</f><v>46387</v>",
            xml,
        ),
    )
    rows = read_sheet(path).rows
    assert rows[1].cells[6] == 46387  # a number with no date style: the cached value
    assert rows[2].cells[6] is UNCOMPUTED
    read = read_demands(path)
    assert [str(p) for p in read.problems] == [
        "row 2, 办理时限: expected a date such as 2026-11-03, 2026/11/3, 2026.11.3, "
        "2026年11月3日 or 20261103; got 46387",
        "row 3, 办理时限: a formula with no computed value in the file; open the file in "
        "Excel or WPS and save it, so that its values are stored",
    ]


def test_hidden_and_second_sheets(tmp_path: Path) -> None:
    book = Workbook()
    hidden = book.active
    hidden.title = "底稿"
    hidden.sheet_state = "hidden"
    hidden.append(["诉求内容", "责任单位"])
    notes = book.create_sheet("说明")
    notes["A1"] = "填表说明"
    data = book.create_sheet("诉求清单")
    data.append(HEADERS[1:7])
    data.append(ROW[1:] + [date(2026, 12, 31)])
    path = tmp_path / "sheets.xlsx"
    book.save(path)
    # the first visible sheet is read; it has no header row
    with pytest.raises(SheetRefused, match="no header row found"):
        read_demands(path)
    assert len(read_demands(path, sheet="诉求清单").demands) == 1
    assert read_sheet(path, sheet="底稿").rows[0].cells == ("诉求内容", "责任单位")
    with pytest.raises(SheetRefused, match="has no sheet 'x'; its sheets: '底稿', '说明'"):
        read_sheet(path, sheet="x")


def test_every_sheet_hidden_is_refused(tmp_path: Path) -> None:
    path = demand_book(tmp_path / "hidden.xlsx", [])
    rewrite(path, "xl/workbook.xml", lambda xml: xml.replace(b'"visible" r:', b'"hidden" r:'))
    with pytest.raises(SheetRefused, match="every sheet is hidden"):
        read_sheet(path)


def test_data_starting_right_and_low(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet["C4"], sheet["D4"], sheet["E4"], sheet["F4"] = (
        "企业名称",
        "诉求内容",
        "责任单位",
        "办理时限",
    )
    sheet["D6"], sheet["E6"], sheet["F6"] = "用地", NRP, "2026-12-01"
    path = tmp_path / "offset.xlsx"
    book.save(path)
    read = read_demands(path)
    assert read.columns.header_row == 4
    assert read.columns.taken["title"].letter == "D"
    assert [(d.row, d.title, d.enterprise) for d in read.demands] == [(6, "用地", None)]


# ------------------------------------------------------------------ rows and columns


def test_row_problems_name_the_row_and_header(tmp_path: Path) -> None:
    path = demand_book(
        tmp_path / "bad.xlsx",
        [
            [*ROW, "下周"],
            [2, "JN-02", "江宁智造有限公司", None, None, NRP, "2026-02-30"],
            [3, "JN-01", "江宁智造有限公司", "重复编号", None, NRP, "2026.12.1"],
            [4, "JN-04", "江宁智造有限公司", "没有时限", None, NRP, None],
            [5, "JN-05", "江宁智造有限公司", "早于提出", None, NRP, "2026-10-01", "2026-11-03"],
        ],
    )
    read = read_demands(path)
    assert [str(p) for p in read.problems] == [
        "row 2, 办理时限: expected a date such as 2026-11-03, 2026/11/3, 2026.11.3, "
        "2026年11月3日 or 20261103; got '下周'",
        "row 3, 办理时限: not a real calendar date: '2026-02-30'",
        "row 3, 诉求内容: empty: every row needs the demand itself",
        "row 5, 办理时限: empty: give the time limit, or --due DATE for the rows without one",
        "row 6, 办理时限: the time limit 2026-10-01 is before the raised date 2026-11-03 "
        "(提出日期)",
    ]
    assert read.refused_rows == (2, 3, 5, 6)
    assert [d.row for d in read.demands] == [4]  # row 4's number repeats row 2's, refused
    # row 4 is a demand only because row 2 was refused; a clean sheet flags the repeat
    clean = demand_book(
        tmp_path / "dup.xlsx",
        [
            [*ROW, "2026-12-31"],
            [3, "JN-01", "江宁智造有限公司", "重复编号", None, NRP, "2026-12-1"],
        ],
    )
    assert [str(p) for p in read_demands(clean).problems] == [
        "row 3, 诉求编号: the same 诉求编号 as row 2"
    ]


def test_default_due_fills_rows_without_one(tmp_path: Path) -> None:
    path = demand_book(tmp_path / "d.xlsx", [[*ROW, None]])
    assert read_demands(path, default_due=date(2026, 12, 20)).demands[0].due == date(2026, 12, 20)
    no_column = demand_book(tmp_path / "n.xlsx", [ROW], headers=HEADERS[:6])
    with pytest.raises(SheetRefused, match="no 办理时限/due column"):
        read_demands(no_column)
    assert read_demands(no_column, default_due=date(2026, 12, 20)).demands[0].due == date(
        2026, 12, 20
    )


def test_made_reference_is_stable_and_recognisable(tmp_path: Path) -> None:
    headers = ["企业名称", "诉求内容", "责任单位", "办理时限"]
    path = demand_book(
        tmp_path / "d.xlsx", [["江宁智造", "用地  指标", NRP, "2026-12-01"]], headers
    )
    demand = read_demands(path).demands[0]
    assert demand.made_reference
    assert demand.reference.startswith(MADE_PREFIX) and len(demand.reference) == 17
    assert demand.reference == made_reference("ＪＮ江宁智造 ".replace("ＪＮ", ""), "用地 指标")


def test_english_headers_and_map(tmp_path: Path) -> None:
    english = demand_book(
        tmp_path / "en.xlsx",
        [["Zijin Cloud", "Second feed", GRID, "2026-12-31", "power", "高"]],
        ["Enterprise", "Title", "Unit", "Due date", "Category", "Priority"],
    )
    demand = read_demands(english).demands[0]
    assert (demand.enterprise, demand.category, demand.priority) == ("Zijin Cloud", "power", "high")

    odd = demand_book(
        tmp_path / "odd.xlsx",
        [["江宁智造", "用地", NRP, "2026-12-01", "附件1"]],
        ["单位名称", "存在困难", "牵头单位", "办理时限（截止）", "附件"],
    )
    with pytest.raises(SheetRefused, match="no header row found"):
        read_demands(odd)
    mapping_file = tmp_path / "map.toml"
    mapping_file.write_text('[columns]\ntitle = "存在困难"\nenterprise = ["单位名称"]\n')
    read = read_demands(odd, mapping=load_map(mapping_file))
    assert (read.demands[0].title, read.demands[0].enterprise) == ("用地", "江宁智造")
    assert read.columns.ignored == ("E 附件",)


@pytest.mark.parametrize(
    "text, message",
    [
        ('[columns]\nheadline = "x"\n', "unknown field 'headline'"),
        ("[columns]\ntitle = 3\n", "title must name a header"),
        ('title = "x"\n', r"expected a \[columns\] table only"),
        ("[columns\n", "not a TOML file"),
    ],
)
def test_bad_map_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "map.toml"
    path.write_text(text)
    with pytest.raises(SheetRefused, match=message):
        load_map(path)


def test_map_naming_a_missing_header(tmp_path: Path) -> None:
    path = demand_book(tmp_path / "d.xlsx", [[*ROW, "2026-12-31"]])
    with pytest.raises(SheetRefused, match="no column '存在困难' for title"):
        read_demands(path, mapping={"title": ("存在困难",)})


def test_two_columns_for_one_field_are_refused(tmp_path: Path) -> None:
    path = demand_book(tmp_path / "d.xlsx", [], ["诉求内容", "问题", "责任单位", "办理时限"])
    with pytest.raises(SheetRefused, match="columns A .诉求内容. and B .问题. both name"):
        read_demands(path)


def test_header_folding() -> None:
    assert fold(" 办理时限（天）* ") == "办理时限"
    assert fold("ＤＵＥ Date") == "duedate"
    with pytest.raises(SheetRefused):
        find_columns([])


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026/11/3", date(2026, 11, 3)),
        ("2026-11-03", date(2026, 11, 3)),
        ("2026.11.3", date(2026, 11, 3)),
        ("2026年11月3日", date(2026, 11, 3)),
        ("２０２６年１１月３日", date(2026, 11, 3)),
        ("2026/11/3 0:00", date(2026, 11, 3)),
        (20261103, date(2026, 11, 3)),
        (datetime(2026, 11, 3, 15, 30), date(2026, 11, 3)),
        (None, None),
    ],
)
def test_sheet_dates(value: object, expected: date | None) -> None:
    assert sheet_date(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["11/3/2026", "下月底", "2026-13-01", 46387, 3.5, "#N/A"])
def test_sheet_dates_refused(value: object) -> None:
    with pytest.raises(CellProblem):
        sheet_date(value)  # type: ignore[arg-type]


# ------------------------------------------------------------------ CSV


CSV_TEXT = (
    "序号,企业名称,诉求内容,责任单位,办理时限\n"
    f'1,南京紫金云计算有限公司,"第二路供电,尽快",{GRID},2026/12/31\n'
    ",,,,\n"
    f"2,江宁智造有限公司,用地指标,{NRP},2026年12月1日\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_three_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    read = read_demands(path)
    assert read.sheet.encoding == encoding
    assert [(d.row, d.title, d.due) for d in read.demands] == [
        (2, "第二路供电,尽快", date(2026, 12, 31)),
        (4, "用地指标", date(2026, 12, 1)),
    ]


def test_csv_not_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(b"\xff\xfe\x00\x00binary")
    with pytest.raises(SheetRefused, match="UTF-16|not text|binary"):
        read_sheet(path)


def test_csv_too_many_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_module, "MAX_ROWS", 100)
    path = tmp_path / "d.csv"
    path.write_text("诉求内容,责任单位\n" + "x,y\n" * 200)
    with pytest.raises(SheetRefused, match="at most 100 rows"):
        read_sheet(path)


# ------------------------------------------------------------------ hostile files


@pytest.fixture
def small_book(tmp_path: Path) -> Path:
    return demand_book(tmp_path / "small.xlsx", [[*ROW, "2026-12-31"]])


def refused_quickly(path: Path, match: str) -> None:
    started = time.perf_counter()
    with pytest.raises(SheetRefused, match=match):
        read_demands(path)
    assert time.perf_counter() - started < 5


def test_not_a_zip_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    path.write_text("序号,企业名称\n")
    refused_quickly(path, "not an .xlsx file")
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    refused_quickly(path, "not an .xlsx file")


def test_old_excel_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    refused_quickly(path, "save it as .xlsx or .csv")


def _patch_sizes(data: bytes, size: int, *, local: bool) -> bytes:
    """Every entry's uncompressed size in the central directory (and local headers) set."""
    out = bytearray(data)
    at = 0
    while (at := out.find(b"PK\x01\x02", at)) != -1:
        out[at + 24 : at + 28] = struct.pack("<I", size)
        at += 4
    if local:
        at = 0
        while (at := out.find(b"PK\x03\x04", at)) != -1:
            out[at + 22 : at + 26] = struct.pack("<I", size)
            at += 4
    return bytes(out)


def test_zip_bomb_by_declared_size(small_book: Path) -> None:
    small_book.write_bytes(_patch_sizes(small_book.read_bytes(), 0x7FFFFFFF, local=False))
    refused_quickly(small_book, "a zip bomb")


def test_zip_bomb_lying_about_its_size(small_book: Path) -> None:
    # a sheet part that inflates to 50 MB while the zip says 2,000 bytes
    rewrite(small_book, "xl/worksheets/sheet1.xml", lambda xml: xml + b" " * 50_000_000)
    small_book.write_bytes(_patch_sizes(small_book.read_bytes(), 2000, local=True))
    refused_quickly(small_book, "damaged|not an .xlsx")


def test_too_many_parts(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for n in range(sheet_module.MAX_ENTRIES + 1):
            archive.writestr(f"x/{n}.bin", b"")
    refused_quickly(path, "parts in the zip")


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        b'<!doctype w SYSTEM "http://127.0.0.1/evil.dtd">',
    ],
)
def test_xml_entity_tricks(small_book: Path, doctype: bytes) -> None:
    def add(xml: bytes) -> bytes:
        at = xml.find(b"<worksheet")
        return xml[:at] + doctype + xml[at:]

    rewrite(small_book, "xl/worksheets/sheet1.xml", add)
    refused_quickly(small_book, "declares a DTD or entities")


def test_entity_in_shared_strings(small_book: Path) -> None:
    rewrite(
        small_book,
        "xl/workbook.xml",
        lambda xml: (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]>' + xml.split(b"?>", 1)[-1]
        ),
    )
    refused_quickly(small_book, "declares a DTD")


def _sheet_xml(rows: bytes) -> bytes:
    return (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + rows + b"</sheetData></worksheet>"
    )


def test_a_million_rows_is_refused(small_book: Path) -> None:
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    rewrite(small_book, "xl/worksheets/sheet1.xml", lambda xml: _sheet_xml(far))
    refused_quickly(small_book, "1,048,576 rows; at most 50,000")


def test_many_row_elements_are_refused(small_book: Path) -> None:
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, 60_002))
    rewrite(small_book, "xl/worksheets/sheet1.xml", lambda xml: _sheet_xml(rows))
    refused_quickly(small_book, "60,001 rows")


def test_a_cell_far_right_is_refused(small_book: Path) -> None:
    rows = (
        b'<row r="1"><c r="A1"><v>1</v></c></row><row r="40000"><c r="XFD40000"><v>1</v></c></row>'
    )
    rewrite(small_book, "xl/worksheets/sheet1.xml", lambda xml: _sheet_xml(rows))
    refused_quickly(small_book, "40,000 rows by 16,384 columns")


def test_cells_without_positions_are_refused(small_book: Path) -> None:
    rows = b'<row r="1"><c><v>1</v></c></row>'
    rewrite(small_book, "xl/worksheets/sheet1.xml", lambda xml: _sheet_xml(rows))
    refused_quickly(small_book, "cells without positions")


def test_broken_sheet_xml(small_book: Path) -> None:
    rewrite(small_book, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    refused_quickly(small_book, "cannot be read as .xlsx|not well-formed")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(SheetRefused, match="no such file"):
        read_sheet(tmp_path / "nope.xlsx")
    with pytest.raises(SheetRefused, match="is a directory"):
        read_sheet(tmp_path)


def test_zip_bomb_by_ratio(small_book: Path) -> None:
    # 40 MB of white space in the sheet: packs a thousandfold, no worksheet does
    def pad(xml: bytes) -> bytes:
        at = xml.find(b"<sheetData>") + len(b"<sheetData>")
        return xml[:at] + b" " * 40_000_000 + xml[at:]

    rewrite(small_book, "xl/worksheets/sheet1.xml", pad)
    refused_quickly(small_book, "times its packed size")


def test_white_space_padding_is_scanned_in_bounded_memory(
    small_book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheet_module, "MAX_RATIO", 10**6)  # past the ratio check
    rewrite(
        small_book,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * 20_000_000),
    )
    started = time.perf_counter()
    assert len(read_demands(small_book).demands) == 1
    assert time.perf_counter() - started < 10
