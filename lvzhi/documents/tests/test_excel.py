"""The Excel reader and writer, on real .xlsx bytes (openpyxl writes and reads them)."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook

from lvzhi.documents import excel
from lvzhi.documents.excel import Column, SheetError, choice, date, integer, read_sheet, write_sheet

STATES = [("handling", "办理中"), ("replied", "已答复"), ("closed", "已办结")]
COLUMNS = [
    Column("案号", key="number", required=True, blank_ok=False),
    Column("标题", key="title", required=True, aliases=("建议标题",)),
    Column("交办日期", key="assigned_on", parse=date),
    Column("附议人数", key="cosigners", parse=integer),
    Column("状态", key="state", parse=choice(STATES)),
    Column("备注", key="note"),
]


def xlsx(rows: list[list], *, title_row: str = "") -> bytes:
    wb = OpenpyxlWorkbook()
    ws = wb.active
    if title_row:
        ws.append([title_row])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEADER = ["*案号", "建议标题", "交办日期（如2026-03-05）", "附议 人数", "状态", "备注", "不认识的列"]


# ------------------------------------------------------------------------------ reading

def test_rows_as_dicts_under_chinese_headers_aliases_and_hints():
    data = xlsx([HEADER,
                 ["第0001号", "关于加装电梯的建议", dt.datetime(2026, 3, 5), 2, "办理中", None, "x"],
                 [None] * 7,  # a blank row is skipped, the row numbers stay Excel's
                 ["第0002号", "关于公交站点的建议", "2026年3月6日", "１２", "已答复", "重点", ""],
                 ["第0003号", "关于学校周边的建议", "2026/3/7", 3.0, "closed", "", ""]],
                title_row="办理台账")
    result = read_sheet(data, COLUMNS)
    assert result.ok and result.errors == [] and result.header_row == 2
    assert [r.number for r in result.rows] == [3, 5, 6]
    first, second, third = result.records()
    assert first == {"number": "第0001号", "title": "关于加装电梯的建议",
                     "assigned_on": dt.date(2026, 3, 5), "cosigners": 2, "state": "handling",
                     "note": ""}
    assert second["assigned_on"] == dt.date(2026, 3, 6) and second["cosigners"] == 12
    assert second["state"] == "replied" and second["note"] == "重点"
    assert third["assigned_on"] == dt.date(2026, 3, 7) and third["state"] == "closed"
    assert third["cosigners"] == 3


def test_row_errors_name_the_excel_row_in_chinese():
    data = xlsx([HEADER,
                 ["第0001号", "关于加装电梯的建议", "下周一", "三", "待定", "", ""],
                 ["", "关于公交站点的建议", "2026-02-30", 1, "办理中", "", ""],
                 ["第0003号", "关于学校周边的建议", "2026-03-07", 1, "办理中", "", ""]])
    result = read_sheet(data, COLUMNS)
    assert not result.ok
    assert result.errors == [
        "第2行：交办日期应为日期，如“2026-03-05”或“2026年3月5日”，不能填“下周一”",
        "第2行：附议人数应为整数，不能填“三”",
        "第2行：状态应为办理中、已答复、已办结之一，不能填“待定”",
        "第3行：缺少案号",
        "第3行：交办日期“2026-02-30”不是有效的日期",
    ]
    assert result.rows[2].ok and result.rows[2].values["assigned_on"] == dt.date(2026, 3, 7)
    assert result.rows[0].values["assigned_on"] is None


def test_date_formats_accepted():
    for raw in ("2026-03-05", "2026/3/5", "2026.3.5", "2026年3月5日", "20260305", 20260305,
                "2026-03-05 10:30", dt.datetime(2026, 3, 5, 9), 46086):
        assert date(raw) == dt.date(2026, 3, 5), raw


@pytest.mark.parametrize("data, message", [
    (b"", "上传的文件是空的"),
    (b"\xd0\xcf\x11\xe0 an old binary .xls", "另存为 .xlsx"),
    ("案号,标题\n1,2\n".encode("gbk"), "请上传用导入模板填写的 Excel 文件（.xlsx）"),
    (b"PK\x03\x04 truncated zip", "无法读取该文件"),
])
def test_unreadable_uploads_get_a_chinese_message(data, message):
    with pytest.raises(SheetError) as err:
        read_sheet(data, COLUMNS)
    assert message in err.value.message


def test_a_word_file_renamed_xlsx_is_refused():
    buf = io.BytesIO()
    Document().save(buf)  # a zip, but not a workbook
    with pytest.raises(SheetError) as err:
        read_sheet(buf.getvalue(), COLUMNS)
    assert err.value.message == excel.BAD_FILE


def test_a_corrupt_workbook_is_refused():
    data = xlsx([HEADER, ["第0001号", "关于加装电梯的建议", "", "", "", "", ""]])
    with pytest.raises(SheetError) as err:
        read_sheet(data[: len(data) // 2], COLUMNS)
    assert err.value.message == excel.BAD_FILE


def test_missing_required_column():
    data = xlsx([["案号", "状态", "备注"], ["第0001号", "办理中", ""]])
    with pytest.raises(SheetError) as err:
        read_sheet(data, COLUMNS)
    assert err.value.message == ("表头缺少必填列：标题。"
                                 "表头应为：案号、标题、交办日期、附议人数、状态、备注（请下载导入模板）。")


def test_no_header_only_header_and_limits():
    with pytest.raises(SheetError) as err:
        read_sheet(xlsx([["编号", "题目"], ["1", "2"]]), COLUMNS)
    assert "没有找到表头" in err.value.message and "编号、题目" in err.value.message
    with pytest.raises(SheetError) as err:
        read_sheet(xlsx([HEADER]), COLUMNS, item="建议")
    assert err.value.message == "文件中只有表头，没有建议数据。请在表头下方逐行填写建议后再上传。"
    rows = [HEADER] + [[f"第{i:04d}号", "关于某事的建议", "", "", "", "", ""] for i in range(3)]
    with pytest.raises(SheetError) as err:
        read_sheet(xlsx(rows), COLUMNS, max_rows=2)
    assert err.value.message == "一次最多导入2行，请分成几个文件导入。"
    assert len(read_sheet(xlsx(rows), COLUMNS, max_rows=3).rows) == 3
    with pytest.raises(SheetError) as err:
        read_sheet(xlsx(rows), COLUMNS, max_bytes=1024)
    assert "文件过大" in err.value.message and "1KB" in err.value.message


def test_reads_an_uploaded_file():
    data = xlsx([HEADER, ["第0001号", "关于加装电梯的建议", "2026-03-05", 1, "办理中", "", ""]])
    upload = SimpleUploadedFile("台账.xlsx", data)
    assert read_sheet(upload, COLUMNS).records()[0]["number"] == "第0001号"
    big = SimpleUploadedFile("台账.xlsx", data)
    with pytest.raises(SheetError) as err:
        read_sheet(big, COLUMNS, max_bytes=len(data) - 1)
    assert "文件过大" in err.value.message


# ------------------------------------------------------------------------------ writing

WRITE = [
    Column("案号", key="number", width=30),
    Column("标题", key="title", wrap=True),
    Column("交办日期", key="assigned_on", parse=date),
    Column("附议人数", key="cosigners", parse=integer),
]


def test_write_then_read_round_trip_keeps_chinese_text_and_dates():
    rows = [
        {"number": "第0001号", "title": "关于加快老旧小区加装电梯的建议“三见面”",
         "assigned_on": dt.date(2026, 3, 5), "cosigners": 2},
        ["第0002号", "关于增设公交站点的建议\n第二行", dt.date(2026, 12, 31), 0],
    ]
    data = write_sheet("北辰市人大常委会 代表建议办理台账", WRITE, rows)
    result = read_sheet(data, WRITE)
    assert result.ok and result.header_row == 2
    assert result.records() == [
        {"number": "第0001号", "title": "关于加快老旧小区加装电梯的建议“三见面”",
         "assigned_on": dt.date(2026, 3, 5), "cosigners": 2},
        {"number": "第0002号", "title": "关于增设公交站点的建议\n第二行",
         "assigned_on": dt.date(2026, 12, 31), "cosigners": 0},
    ]


def test_written_sheet_has_the_ledger_look():
    ws = load_workbook(io.BytesIO(write_sheet("代表建议办理台账", WRITE, [
        ["第0001号", "关于加快老旧小区加装电梯工作的建议", dt.date(2026, 3, 5), 2]]))).active
    assert ws.title == "代表建议办理台账"
    assert ws["A1"].value == "代表建议办理台账" and "A1:D1" in ws.merged_cells
    assert ws["A1"].font.bold and ws["A1"].font.size == 16
    assert [c.value for c in ws[2]] == ["案号", "标题", "交办日期", "附议人数"]
    assert all(c.font.bold for c in ws[2]) and ws["A2"].fill.fgColor.rgb.endswith("D9E1F2")
    assert ws.freeze_panes == "A3"  # the header row stays while scrolling
    assert ws.auto_filter.ref == "A2:D3"
    assert ws["C3"].is_date and ws["C3"].value == dt.datetime(2026, 3, 5)
    assert ws["C3"].number_format == "yyyy-mm-dd"
    assert ws["B3"].alignment.wrap_text and ws["B3"].border.left.style == "thin"
    assert ws.column_dimensions["A"].width == 30  # as declared
    # fitted to the Chinese title: 17 wide characters count two columns each
    assert ws.column_dimensions["B"].width >= 34
    assert ws.page_setup.orientation == "landscape"


def test_workbook_helper_row_colours_bold_and_notes():
    wb = excel.Workbook()
    sheet = wb.sheet("办理台账", WRITE, title="台账", freeze_columns=2)
    sheet.row(["第0001号", "关于某事的建议", None, 1], fill=excel.fill("F8CBAD"), bold=["附议人数"])
    sheet.row(["第0002号", "关于另一事的建议", dt.datetime(2026, 3, 5, 9, 30, tzinfo=dt.UTC), 0])
    sheet.note("共2件。制表：王芳")
    with pytest.raises(RuntimeError):
        sheet.row(["第0003号", "", None, 0])
    second = wb.sheet("说明", [Column("说明")])
    second.row(["导出说明"])
    ws, notes = load_workbook(io.BytesIO(wb.to_bytes())).worksheets
    assert ws.freeze_panes == "C3"
    assert ws["A3"].fill.fgColor.rgb.endswith("F8CBAD") and ws["D3"].font.bold
    assert not ws["A4"].fill.fgColor.rgb.endswith("F8CBAD")
    local = dt.datetime(2026, 3, 5, 9, 30, tzinfo=dt.UTC).astimezone(
        zoneinfo.ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    assert ws["C4"].value == local and ws["C4"].is_date  # Excel has no time zones
    assert ws["C4"].number_format == "yyyy-mm-dd hh:mm"
    assert ws["A5"].value is None and ws["A6"].value == "共2件。制表：王芳"
    assert ws.auto_filter.ref == "A2:D4"
    assert notes.title == "说明" and notes["A2"].value == "导出说明"
