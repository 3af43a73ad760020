"""The GB/T 9704 builder, checked on the .docx as Word would open it (python-docx reads it back)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from lvzhi.documents import word
from lvzhi.documents.word import OfficialDocument

ISSUER = "北辰市人大常委会代表工作委员会"
NUMBER = "北人代工〔2026〕12号"
DAY = dt.date(2026, 3, 5)


def build() -> bytes:
    doc = OfficialDocument(issuer=ISSUER, number=NUMBER,
                           title=["关于交办市十六届人大五次会议", "第0001号建议的通知"])
    doc.addressee(["市住房和城乡建设局", "市交通运输局"])
    doc.paragraph("张伟代表等3名代表提出的建议，经审查立案，现交由你单位主办。")
    doc.heading(1, "总体要求")
    doc.heading(2, "加强沟通。", rest="承办单位应当主动与领衔代表联系。")
    doc.heading(3, "办理前。")
    doc.heading(3, "办理中。")
    doc.heading(1, "工作安排")
    doc.heading(2, "按期答复。")
    doc.table(["案号", "主办单位", "交办日期", "备注"],
              [["第0001号", "市住房和城乡建设局", DAY, None],
               ["第0002号", "市交通运输局", dt.date(2026, 3, 6), "重点"]])
    doc.attachment_note(["关于加快老旧小区加装电梯的建议"])
    doc.signature(ISSUER, DAY)
    doc.attachment_page("关于加快老旧小区加装电梯的建议")
    doc.paragraph("案号：第0001号")
    doc.footer_record(cc=["市自然资源和规划局", "市财政局"], printed_by=ISSUER, printed_on=DAY)
    return doc.to_bytes()


@pytest.fixture(scope="module")
def docx():
    return Document(io.BytesIO(build()))


def east_asia(run) -> str:
    return run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def para(doc, text: str):
    return next(p for p in doc.paragraphs if p.text.startswith(text))


def at(doc, p) -> int:
    """The paragraph's position (python-docx makes a new proxy object on every access)."""
    return [q._p for q in doc.paragraphs].index(p._p)


def test_page_is_a4_with_the_standard_margins(docx):
    section = docx.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                  section.left_margin, section.right_margin)] == [37, 35, 28, 26]


def test_masthead_number_and_title(docx):
    head = docx.paragraphs[0]
    assert head.text == ISSUER
    assert head.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert str(head.runs[0].font.color.rgb) == "E60012"
    assert east_asia(head.runs[0]) == "方正小标宋简体"

    number = para(docx, NUMBER)
    assert number.text == NUMBER and number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    line = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert line.get(qn("w:color")) == "E60012"  # the red separator under the 发文字号
    # 发文字号 two empty lines below the 标志
    assert at(docx, number) == 3 and [p.text for p in docx.paragraphs[1:3]] == ["", ""]

    title = para(docx, "关于交办")
    assert title.text == "关于交办市十六届人大五次会议\n第0001号建议的通知"  # broken where asked
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    for run in title.runs:
        assert east_asia(run) == "方正小标宋简体" and run.font.size == Pt(22)
    assert docx.core_properties.title == "关于交办市十六届人大五次会议第0001号建议的通知"
    assert docx.core_properties.author == ISSUER
    assert at(docx, title) == 6  # two empty lines below the red line


def test_addressee_and_body_text(docx):
    assert para(docx, "市住房").text == "市住房和城乡建设局、市交通运输局："
    body = para(docx, "张伟代表")
    run = body.runs[0]
    assert east_asia(run) == "仿宋_GB2312" and run.font.size == Pt(16)
    fmt = body.paragraph_format
    assert fmt.first_line_indent == Pt(32)  # two 3号 characters
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert abs(fmt.line_spacing.pt - 28.95) < 0.01


def test_headings_are_numbered_by_level_in_their_fonts(docx):
    texts = [p.text for p in docx.paragraphs]
    expected = ["一、总体要求", "（一）加强沟通。承办单位应当主动与领衔代表联系。", "1.办理前。",
                "2.办理中。", "二、工作安排", "（一）按期答复。"]  # a new 一、 restarts （一）
    start = texts.index(expected[0])
    assert texts[start:start + len(expected)] == expected
    assert east_asia(para(docx, "一、").runs[0]) == "黑体"
    second = para(docx, "（一）加强")
    assert east_asia(second.runs[0]) == "楷体_GB2312"
    assert east_asia(second.runs[1]) == "仿宋_GB2312"  # the run-in text after the heading
    assert east_asia(para(docx, "1.办理前").runs[0]) == "仿宋_GB2312"


def test_table_cells(docx):
    table = docx.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["案号", "主办单位", "交办日期", "备注"]
    assert [c.text for c in table.rows[1].cells] == ["第0001号", "市住房和城乡建设局",
                                                      "2026年3月5日", ""]
    assert table.rows[2].cells[3].text == "重点"
    header_run = table.rows[0].cells[0].paragraphs[0].runs[0]
    assert east_asia(header_run) == "黑体"
    assert east_asia(table.rows[1].cells[1].paragraphs[0].runs[0]) == "仿宋_GB2312"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    assert table._tbl.tblPr.find(qn("w:tblBorders")) is not None
    assert sum(c.width for c in table.columns) <= Mm(156)


def test_signature_and_date(docx):
    org = [p for p in docx.paragraphs if p.text == ISSUER][-1]
    date = docx.paragraphs[at(docx, org) + 1]
    assert date.text == "2026年3月5日"  # 成文日期 in Arabic numerals, no leading zeros
    assert org.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert org.paragraph_format.right_indent == Pt(32)  # 右空二字
    # the date starts two characters right of the 署名's first: “2026年3月5日” is 6 characters
    # wide (its 6 digits are half-width), the 署名 starts 2 + 15 from the right edge
    assert date.paragraph_format.right_indent == Pt(16 * (2 + len(ISSUER) - 2 - 6))


def test_long_date_pushes_the_signature_left():
    doc = OfficialDocument(issuer="某委员会", title="关于某事的通知")
    doc.signature("某委员会", dt.date(2026, 12, 25))
    ps = Document(io.BytesIO(doc.to_bytes())).paragraphs
    org, date = ps[-2], ps[-1]
    assert date.paragraph_format.right_indent == Pt(32)
    # the date is 7 characters wide (8 digits count 4) and starts 2 right of the 4-character
    # 署名, so the 署名 ends 2 + 7 + 2 − 4 = 7 characters from the right edge
    assert org.paragraph_format.right_indent == Pt(16 * 7)


def test_attachment_page_and_footer_record(docx):
    label = next(p for p in docx.paragraphs if p.text == "附件")
    before = docx.paragraphs[at(docx, label) - 1]
    assert any(br.get(qn("w:type")) == "page" for br in before._p.iter(qn("w:br")))
    assert east_asia(label.runs[0]) == "黑体"
    assert "附件：关于加快老旧小区加装电梯的建议" in [p.text for p in docx.paragraphs]

    cc = para(docx, "\u3000抄送：")
    assert cc.text == "\u3000抄送：市自然资源和规划局、市财政局。"
    assert cc.runs[0].font.size == Pt(14)
    borders = cc._p.pPr.find(qn("w:pBdr"))
    assert borders.find(qn("w:top")) is not None and borders.find(qn("w:bottom")) is not None
    printed = docx.paragraphs[-1]
    assert printed.text == f"\u3000{ISSUER}\t2026年3月5日印发"
    assert printed._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")) is not None


def test_page_numbers_in_both_footers(docx):
    assert docx.settings.odd_and_even_pages_header_footer
    section = docx.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        assert p.text == "— 1 —"
        assert p.alignment == align
        instr = [t.text for t in footer._element.iter(qn("w:instrText"))]
        assert instr == [" PAGE "]


def test_every_run_names_its_east_asian_font(docx):
    section = docx.sections[0]
    for part in (docx.element.body, section.footer._element, section.even_page_footer._element):
        for r in part.iter(qn("w:r")):
            fonts = r.find(qn("w:rPr") + "/" + qn("w:rFonts"))
            assert fonts is not None and fonts.get(qn("w:eastAsia")), r.xml[:200]


def test_same_arguments_same_file():
    assert build() == build()


def test_wrong_input_is_refused():
    doc = OfficialDocument(issuer=ISSUER, title="关于某事的通知")
    with pytest.raises(ValueError):
        doc.heading(5, "第五层")
    with pytest.raises(ValueError):
        doc.table(["甲", "乙"], [["只有一格"]])
    assert word.heading_number(4, 2) == "（2）"
    assert word.cn_date(dt.date(2026, 1, 9)) == "2026年1月9日"
