"""The Excel reader and writer, on real .xlsx bytes (openpyxl writes and reads them)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import tracemalloc
import zipfile
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from lvzhi.documents import excel, uploads
from lvzhi.documents.excel import Column, SheetError, choice, date, integer, read_sheet, write_sheet
from lvzhi.documents.tests import hostile

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


# ------------------------------------------------------------------------ hostile files
# (docs/security.md, Hostile files; the uploads themselves are in test_uploads.py)

EVIL = hostile.EVIL_TITLE
LOOKS_LIKE_A_FORMULA = [EVIL, "+1+1", "-2+3", "@SUM(1,2)", "\t=1+1", "=1+1\r"]


def test_text_that_looks_like_a_formula_is_written_as_text_never_a_formula():
    rows = [[v, -5] for v in LOOKS_LIKE_A_FORMULA] + [["普通文本", -1.25], ["#N/A", 0]]
    wb = excel.Workbook()
    sheet = wb.sheet("台账", [Column("标题"), Column("数")], title=EVIL)
    for row in rows:
        sheet.row(row)
    sheet.note("=HYPERLINK(\"http://evil.example/\",\"制表\")")
    ws = load_workbook(io.BytesIO(wb.to_bytes())).active  # not data_only: a formula stays "f"
    for cell, value in [(ws["A1"], EVIL), *((ws.cell(row=r, column=1), v)
                                           for r, v in enumerate(LOOKS_LIKE_A_FORMULA, start=3))]:
        # Excel's quote prefix: shown as typed, still text when the cell is edited
        assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)
    for r in range(3, 3 + len(LOOKS_LIKE_A_FORMULA)):
        number = ws.cell(row=r, column=2)
        assert (number.value, number.data_type, number.quotePrefix) == (-5, "n", False)
    plain, negative = ws.cell(row=9, column=1), ws.cell(row=9, column=2)
    assert (plain.value, plain.data_type, plain.quotePrefix) == ("普通文本", "s", False)
    assert (negative.value, negative.data_type) == (-1.25, "n")
    assert (ws["A10"].value, ws["A10"].data_type) == ("#N/A", "s")  # text, not an error cell
    assert ws["A12"].data_type == "s" and ws["A12"].quotePrefix
    assert ws["A2"].value == "标题" and not ws["A2"].quotePrefix


def test_control_characters_do_not_break_the_export():
    data = write_sheet("台账", [Column("标题")], [["关于\x07加装\x1b电梯\x00的建议\t（第二稿）"]])
    assert load_workbook(io.BytesIO(data)).active["A3"].value == "关于加装电梯的建议\t（第二稿）"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_the_text_and_never_evaluates_it(tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(write_sheet("", [Column("标题"), Column("数")],
                                 [[EVIL, -5], ["+1+1", 3], ["@SUM(1,2)", 1]]))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
                    str(tmp_path), str(path)], check=True, capture_output=True, timeout=120)
    rows = list(csv.reader(io.StringIO((tmp_path / "台账.csv").read_text("utf-8"))))
    # evaluated, the first cell would read 点击查看详情 and the second 2
    assert rows == [["标题", "数"], [EVIL, "-5"], ["+1+1", "3"], ["@SUM(1,2)", "1"]]


def test_a_formula_cell_is_read_as_its_text_never_its_cached_result():
    wb = OpenpyxlWorkbook()
    ws = wb.active
    ws.append(["案号", "标题", "交办日期", "备注"])
    ws.append(["第0001号", EVIL, "=DATE(2026,3,5)", None])
    ws["D2"] = ArrayFormula("D2", "=SUM(A1:A3)")
    buf = io.BytesIO()
    wb.save(buf)
    # what Excel or WPS caches beside each formula (openpyxl writes none)
    data = hostile.with_cached_value(buf.getvalue(), "B2", "点击查看详情")
    data = hostile.with_cached_value(data, "C2", "2026-03-05")
    result = read_sheet(data, COLUMNS)
    row = result.records()[0]
    assert row["title"] == EVIL and row["note"] == "=SUM(A1:A3)"
    assert result.errors == ["第2行：交办日期应为日期，如“2026-03-05”或“2026年3月5日”，"
                             "不能填“=DATE(2026,3,5)”"]
    # imported, then exported again: text, not a live formula
    out = load_workbook(io.BytesIO(write_sheet("台账", WRITE[:2], [[row["number"], row["title"]]])))
    cell = out.active["B3"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (EVIL, "s", True)


class Opened(Exception):
    pass


@pytest.fixture
def openpyxl_spy(monkeypatch):
    """load_workbook, recorded; it refuses to open anything, as a bomb must never reach it."""
    calls = []

    def spy(*args, **kwargs):
        calls.append(args)
        raise Opened("openpyxl was asked to open the workbook")

    monkeypatch.setattr(excel, "load_workbook", spy)
    return calls


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(openpyxl_spy):
    bomb = hostile.xlsx_bomb(200)  # 200 MB of cells in about 200 KB, like the one reported
    assert len(bomb) < 300 * 1024 and 200 * hostile.MB / len(bomb) > 500
    tracemalloc.start()
    try:
        with pytest.raises(SheetError) as err:
            read_sheet(bomb, COLUMNS[:2])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.value.message == ("文件解压后过大（约200 MB），疑似异常文件，已拒绝。"
                                 "正常文件解压后不超过50 MB。")
    assert openpyxl_spy == []
    assert peak < 2 * hostile.MB  # refused from the ZIP's directory: nothing was unpacked


def test_a_small_bomb_is_refused_by_its_compression_ratio(openpyxl_spy):
    with pytest.raises(SheetError) as err:
        read_sheet(hostile.xlsx_bomb(20), COLUMNS[:2])  # within 50 MB, but ~1000:1
    assert err.value.message.startswith("文件压缩比异常（其中“xl/worksheets/sheet1.xml”解压后约为压缩前的")
    assert err.value.message.endswith("倍），疑似异常文件，已拒绝。") and openpyxl_spy == []


def one_long_row(cells: int, prefix: str = "") -> bytes:
    """A workbook whose second row has `cells` cells (numbers that pack only about 5:1)."""
    p = f"{prefix}:" if prefix else ""
    ns = f' xmlns{":" + prefix if prefix else ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    sheet = (f'<?xml version="1.0"?><{p}worksheet{ns}><{p}sheetData><{p}row r="1">'
             f'<{p}c r="A1" t="inlineStr"><{p}is><{p}t>案号</{p}t></{p}is></{p}c>'
             f'<{p}c r="B1" t="inlineStr"><{p}is><{p}t>标题</{p}t></{p}is></{p}c></{p}row>'
             f'<{p}row r="2">' + "".join(f"<{p}c><{p}v>{i * 7919 % 100003}</{p}v></{p}c>"
                                         for i in range(cells))
             + f"</{p}row></{p}sheetData></{p}worksheet>")
    return hostile.replace_sheet(hostile.xlsx_bytes(), lambda fh: fh.write(sheet.encode()))


def test_a_row_wider_than_excel_is_refused_and_cells_are_counted_exactly():
    # one row of Excel's 16384 columns spans several 64 KB pieces of the scan: each cell once
    assert read_sheet(one_long_row(uploads.MAX_ROW_CELLS), COLUMNS[:2]).header_row == 1
    for data in (one_long_row(uploads.MAX_ROW_CELLS + 1), one_long_row(20_000, prefix="x")):
        with pytest.raises(SheetError) as err:
            read_sheet(data, COLUMNS[:2])
        assert err.value.message == ("文件中有一行超过16384个单元格（Excel 每行最多16384列），"
                                     "疑似异常文件，已拒绝。")


def test_too_many_cells_in_all_is_refused(settings, openpyxl_spy):
    settings.LVZHI_UPLOAD_XLSX_MAX_CELLS = 10_000
    with pytest.raises(SheetError) as err:
        read_sheet(one_long_row(10_000), COLUMNS[:2])  # the 2 header cells make 10002
    assert err.value.message.startswith("文件中的单元格超过10000个，疑似异常文件，已拒绝。")
    assert openpyxl_spy == []


def test_an_xml_entity_bomb_is_refused(openpyxl_spy):
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    sheet = (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e0 "案号">{entities}]>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e9;</t></is></c></row>'
             '</sheetData></worksheet>')
    data = hostile.replace_sheet(hostile.xlsx_bytes(), lambda fh: fh.write(sheet.encode()))
    with pytest.raises(SheetError) as err:
        read_sheet(data, COLUMNS[:2])
    assert "XML 文档类型声明" in err.value.message and openpyxl_spy == []


def test_a_workbook_without_its_parts_is_not_a_workbook(openpyxl_spy):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    with pytest.raises(SheetError) as err:
        read_sheet(buf.getvalue(), COLUMNS[:2])
    assert err.value.message == excel.BAD_FILE and openpyxl_spy == []


def test_honest_large_workbooks_pass_and_the_limits_are_settings(settings):
    body = "我市老旧小区加装电梯工作推进缓慢，部分小区因低楼层住户意见不一、资金筹措困难而长期停滞。"
    rows = [[f"第{i:04d}号", f"关于第{i}个小区加装电梯的建议", dt.date(2026, 3, 5), i, "办理中", body]
            for i in range(1500)]
    data = write_sheet("台账", COLUMNS, rows)
    assert len(read_sheet(data, COLUMNS).rows) == 1500
    settings.LVZHI_UPLOAD_XLSX_MAX_UNCOMPRESSED = 1024 * 1024
    with pytest.raises(SheetError, match="文件解压后过大"):
        read_sheet(data, COLUMNS)


@pytest.mark.django_db
def test_a_deputys_formula_title_is_text_in_the_clerks_ledger(world):
    from lvzhi.suggestions import exports, importing
    from lvzhi.testing import draft, to_state

    to_state(world, draft(world, title=EVIL), "submitted")
    body = "我市老旧小区加装电梯工作推进缓慢，部分小区因低楼层住户意见不一、资金筹措困难、审批流程繁琐而长期停滞。"
    sheet = hostile.xlsx_bytes([importing.HEADERS, ["5-001", "=B3&\"的建议\"", world.deputies[3].name,
                                                    "", "城乡建设", body, "否"]])
    sheet = hostile.with_cached_value(sheet, "B2", "关于增设公交站点的建议")
    report = importing.import_suggestions(world.clerk, sheet, world.session, commit=True)
    assert report.committed and report.rows[0].case.title == '=B3&"的建议"'

    ws = load_workbook(io.BytesIO(exports.build_ledger(world.clerk, {}))).active
    titles = {c.value: c for c in ws["B"][2:] if c.value}
    for title in (EVIL, '=B3&"的建议"'):
        assert (titles[title].data_type, titles[title].quotePrefix) == ("s", True)
