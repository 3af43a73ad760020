"""Official documents (公文) as Word, laid out as GB/T 9704-2012 党政机关公文格式.

One builder for every app's documents: the 交办通知, 审议意见, 审查意见书, the annual report.
A document is written top to bottom in the standard's order::

    doc = OfficialDocument(issuer="北辰市人大常委会代表工作委员会", number="北人代工〔2026〕12号",
                           title="关于交办……的通知")
    doc.addressee(["市住房和城乡建设局"])
    doc.paragraph("……")
    doc.heading(1, "加强与代表沟通联系。", rest="办理前、办理中和答复前……")
    doc.signature("北辰市人大常委会代表工作委员会", dt.date(2026, 3, 5))
    doc.footer_record(cc=["市自然资源和规划局"], printed_by="……", printed_on=dt.date(2026, 3, 5))
    data = doc.to_bytes()

Every run names its East Asian font (w:eastAsia), or Word falls back to the Latin font and
prints boxes or SimSun. Nothing here reads the clock: the same arguments give the same text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from lvzhi.core.numbering import chinese_numeral

# ------------------------------------------------------------------ layout (GB/T 9704-2012)
# Every measure of the layout lives here; the clause of GB/T 9704-2012 it comes from is named.

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)  # 5.2.1 幅面尺寸: A4
MARGIN_TOP = Mm(37)  # 5.2.2 天头（上白边）37 mm
MARGIN_LEFT = Mm(28)  # 5.2.2 订口（左白边）28 mm
MARGIN_BOTTOM = Mm(35)  # 5.2.2 版心 225 mm high: 297 − 37 − 225
MARGIN_RIGHT = Mm(26)  # 5.2.2 版心 156 mm wide: 210 − 28 − 156
TEXT_WIDTH = Mm(156)  # 5.2.2 版心尺寸 156 mm × 225 mm
HEADER_DISTANCE = Mm(15)
FOOTER_DISTANCE = Mm(21)  # 7.5 the page number's dash line sits ~7 mm below the 版心

XBS = "方正小标宋简体"  # 7.2.4 发文机关标志, 7.3.1 标题: 小标宋
FS = "仿宋_GB2312"  # 6.1 every element not named otherwise: 3号仿宋
HT = "黑体"  # 7.3.3 first-level headings; 7.3.7 the 附件 label
KT = "楷体_GB2312"  # 7.3.3 second-level headings
ST = "宋体"  # 7.5 page numbers: 4号半角宋体
LATIN = "Times New Roman"  # digits and Latin letters inside Chinese text

SIZE_2, SIZE_3, SIZE_4 = Pt(22), Pt(16), Pt(14)  # 2号 title, 3号 body, 4号 版记 and page numbers
RED = RGBColor(0xE6, 0x00, 0x12)  # 6.3 / 7.2.4 / 7.2.7: the 标志 and the separator are red
RED_HEX = "E60012"

LINE = Pt(28.95)  # 6.2 22 lines a page: 225 mm of 版心 / 22
BODY_CONDENSE_TWENTIETHS = -4  # 6.2 28 characters a line: 16 pt − 0.2 pt ≈ 156 mm / 28
TITLE_LINE = Pt(35)  # 7.3.1 the 2号 title's lines
INDENT_CHARS = 2  # 7.3.3 每个自然段左空二字，回行顶格

ISSUER_TOP = Mm(35)  # 7.2.4 发文机关标志: upper edge 35 mm below the 版心's top edge
ISSUER_MAX_SIZE = 36.0  # pt; a long name shrinks to stay on one line
ISSUER_FILL = 0.96  # of the 版心's width, at most
ISSUER_GAP_LINES = 2  # 7.2.5 发文字号 编排在发文机关标志下空二行
SEPARATOR_EIGHTHS = 12  # 7.2.7 the red 分隔线 below the 发文字号 (1.5 pt)
SEPARATOR_SPACE_PT = 11  # 7.2.7 4 mm below the 发文字号
TITLE_GAP_LINES = 2  # 7.3.1 标题 编排于红色分隔线下空二行

RECORD_THICK_EIGHTHS = 8  # 7.4.1 版记 first and last lines: thick
RECORD_THIN_EIGHTHS = 4  # 7.4.1 the lines between: thin

# 7.3.3 结构层次序数 一、（一）1.（1）: 黑体, 楷体, 仿宋, 仿宋
HEADING_FONTS = {1: HT, 2: KT, 3: FS, 4: FS}

TABLE_SIZE = SIZE_4  # GB/T 9704 fixes no size for tables; 4号 keeps a 156 mm table readable
TABLE_LINE = Pt(22)
TABLE_BORDER_EIGHTHS = 4


def cn_date(day: dt.date) -> str:
    """成文日期 '2026年3月5日': 7.3.5 Arabic numerals, the year in full, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def heading_number(level: int, n: int) -> str:
    """7.3.3 the numbers of the four heading levels: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{chinese_numeral(n)}、"
    if level == 2:
        return f"（{chinese_numeral(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"heading level must be 1–4, not {level}")


# -------------------------------------------------------------------------- low level

def _set_fonts(rpr_owner, east_asia: str, latin: str = LATIN) -> None:
    """Name all four font slots; python-docx's font.name sets only ascii/hAnsi."""
    if hasattr(rpr_owner, "get_or_add_rPr"):
        rpr = rpr_owner.get_or_add_rPr()
    else:  # a paragraph's pPr: its rPr (the paragraph mark's run properties) comes last
        rpr = rpr_owner.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_owner.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia),
                        ("w:cs", latin)):
        fonts.set(qn(attr), value)
    fonts.set(qn("w:hint"), "eastAsia")  # “” and — take the Chinese font, not Times
    fonts.attrib.pop(qn("w:asciiTheme"), None)
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)


def _condense(r) -> None:
    rpr = r.get_or_add_rPr()
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(BODY_CONDENSE_TWENTIETHS))
    # CT_RPr order: rFonts, b, …, color, spacing, w, kern, position, sz …
    anchor = next((rpr.find(qn(t)) for t in ("w:w", "w:kern", "w:position", "w:sz", "w:szCs",
                                              "w:lang") if rpr.find(qn(t)) is not None), None)
    if anchor is not None:
        anchor.addprevious(spacing)
    else:
        rpr.append(spacing)


def _run(p: Paragraph, text: str, font: str = FS, size: Length = SIZE_3, *, bold: bool = False,
         color: RGBColor | None = None, latin: str = LATIN) -> Run:
    run = p.add_run(text)
    _set_fonts(run._r, font, latin)
    run.font.size = size
    run.font.bold = bold
    if size == SIZE_3:
        _condense(run._r)
    if color is not None:
        run.font.color.rgb = color
    return run


def _format(p: Paragraph, *, align, indent_chars: float, line: Length, right_chars: float,
            before: Length | None) -> None:
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = before or Pt(0)
    fmt.space_after = Pt(0)
    fmt.widow_control = False  # 6.2 every page holds its 22 lines
    fmt.first_line_indent = Pt(SIZE_3.pt * indent_chars) if indent_chars else None
    if right_chars:
        fmt.right_indent = Pt(SIZE_3.pt * right_chars)


def _fill(p: Paragraph, text: str, font: str, size: Length, *, color: RGBColor | None,
          latin: str, bold: bool = False) -> Paragraph:
    if text:
        _run(p, text, font, size, color=color, latin=latin, bold=bold)
    # the paragraph mark's own font, so an empty line keeps the body's height in Word
    _set_fonts(p._p.get_or_add_pPr(), font, latin)
    return p


def _para(doc: DocxDocument, text: str = "", font: str = FS, size: Length = SIZE_3, *,
          align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars: float = 0, line: Length = LINE,
          color: RGBColor | None = None, right_chars: float = 0, before: Length | None = None,
          latin: str = LATIN) -> Paragraph:
    p = doc.add_paragraph()
    _format(p, align=align, indent_chars=indent_chars, line=line, right_chars=right_chars,
            before=before)
    return _fill(p, text, font, size, color=color, latin=latin)


def _border(p: Paragraph, edge: str, *, size_eighths: int, color: str = "000000",
            space_pt: int = 0) -> None:
    ppr = p._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        # pBdr must come before spacing/ind/jc in CT_PPr's sequence
        anchor = next((ppr.find(qn(t)) for t in ("w:shd", "w:tabs", "w:spacing", "w:ind",
                                                  "w:jc", "w:rPr") if ppr.find(qn(t)) is not None),
                      None)
        if anchor is not None:
            anchor.addprevious(bdr)
        else:
            ppr.append(bdr)
    el = OxmlElement(f"w:{edge}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(size_eighths))
    el.set(qn("w:space"), str(space_pt))
    el.set(qn("w:color"), color)
    bdr.append(el)


def _page_field(p: Paragraph) -> None:
    """A PAGE field between em dashes: — 1 — (the 1 is refreshed by Word and LibreOffice)."""
    _run(p, "— ", ST, SIZE_4, latin=ST)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        run = _run(p, "", ST, SIZE_4, latin=ST)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    _run(p, " —", ST, SIZE_4, latin=ST)


def _footer(footer, *, odd: bool) -> None:
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    fmt = p.paragraph_format
    # 7.5 单页码居右空一字，双页码居左空一字
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        fmt.right_indent = SIZE_4
    else:
        fmt.left_indent = SIZE_4
    _page_field(p)


def _grid(section) -> None:
    """22 lines a page come from the fixed 28.95 pt line spacing (225 mm / 22), 28 characters a
    line from the 0.2 pt condensed body runs (156 mm / 28 = 15.8 pt). No document grid: Word
    ignores it under fixed spacing, but LibreOffice snaps every taller line (the 2号 title,
    the red 标志) to two grid rows, which pushes text onto the next page."""
    sectpr = section._sectPr
    grid = sectpr.find(qn("w:docGrid"))
    if grid is not None:
        for attr in ("w:type", "w:charSpace"):
            grid.attrib.pop(qn(attr), None)
        grid.set(qn("w:linePitch"), str(round(LINE.pt * 20)))  # twips, for Word's dialog


def _defaults(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = SIZE_3
    _set_fonts(normal.element, FS)
    # the document default too, so numbering, fields and empty runs never fall back
    rpr_default = doc.styles.element.find(qn("w:docDefaults"))
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                rpr.insert(0, fonts)
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
            fonts.set(qn("w:ascii"), LATIN)
            fonts.set(qn("w:hAnsi"), LATIN)
            fonts.set(qn("w:eastAsia"), FS)
            fonts.set(qn("w:cs"), LATIN)
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:eastAsia"), "zh-CN")


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = HEADER_DISTANCE
    section.footer_distance = FOOTER_DISTANCE
    _grid(section)
    doc.settings.odd_and_even_pages_header_footer = True
    _footer(section.footer, odd=True)
    _footer(section.even_page_footer, odd=False)


def _width_chars(text: str) -> float:
    """Width in body characters: a half-width digit is half a character."""
    return len(re.sub(r"\d", "", text)) + len(re.findall(r"\d", text)) / 2


def _cell_borders(table: Table) -> None:
    """Single black lines round every cell, without relying on a table style."""
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(TABLE_BORDER_EIGHTHS))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    # CT_TblPr order: tblStyle, …, tblW, jc, …, tblBorders, shd, tblLayout, tblCellMar, tblLook
    anchor = next((tblpr.find(qn(t)) for t in ("w:shd", "w:tblLayout", "w:tblCellMar",
                                                "w:tblLook") if tblpr.find(qn(t)) is not None),
                  None)
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        tblpr.append(borders)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cell_text(cell: _Cell, text: str, font: str, *, align, bold: bool = False) -> None:
    lines = text.split("\n") if text else [""]
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        _format(p, align=align, indent_chars=0, line=TABLE_LINE, right_chars=0, before=None)
        _fill(p, line, font, TABLE_SIZE, color=None, latin=LATIN, bold=bold)


# ------------------------------------------------------------------------------ builder

class OfficialDocument:
    """A 公文 written top to bottom: 版头 and title at construction, then the 主体 and 版记.

    `issuer` is the 发文机关标志 (7.2.4), printed red above the 发文字号 `number` (7.2.5) and
    the red separator (7.2.7); `title` (7.3.1) is one string or its lines, broken where the
    caller wants the line to turn so that 回行时词意完整.
    """

    def __init__(self, *, issuer: str, number: str = "", title: str | Sequence[str],
                 author: str | None = None) -> None:
        self.docx: DocxDocument = Document()
        self.issuer = issuer
        self.number = number
        self.title_lines: list[str] = [title] if isinstance(title, str) else list(title)
        self.title = "".join(self.title_lines)
        self._counters = [0, 0, 0, 0]
        _defaults(self.docx)
        _page_setup(self.docx)
        self.docx.core_properties.title = self.title
        self.docx.core_properties.author = author if author is not None else issuer
        self._masthead()
        self._title()

    # -- 版头 and title

    def _masthead(self) -> None:
        """7.2.4 发文机关标志: red 小标宋, centred, 35 mm below the 版心's top, one line at most."""
        org = self.issuer
        size = Pt(min(ISSUER_MAX_SIZE,
                      int(TEXT_WIDTH.pt * ISSUER_FILL / max(len(org), 1) * 2) / 2))
        _para(self.docx, org, XBS, size, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED,
              line=Pt(size.pt * 1.25), before=Pt(ISSUER_TOP.pt - size.pt * 0.25))
        self.blank(ISSUER_GAP_LINES)
        ref = _para(self.docx, self.number, FS, align=WD_ALIGN_PARAGRAPH.CENTER)
        _border(ref, "bottom", size_eighths=SEPARATOR_EIGHTHS, color=RED_HEX,
                space_pt=SEPARATOR_SPACE_PT)
        self.blank(TITLE_GAP_LINES)

    def _title(self) -> None:
        p = _para(self.docx, align=WD_ALIGN_PARAGRAPH.CENTER, line=TITLE_LINE)
        for i, line in enumerate(self.title_lines):
            if i:
                _run(p, "", XBS, SIZE_2).add_break(WD_BREAK.LINE)
            _run(p, line, XBS, SIZE_2)
        self.blank()  # 7.3.2 主送机关 编排于标题下空一行

    # -- 主体

    def blank(self, n: int = 1) -> None:
        """n empty body lines (one 28.95 pt line each)."""
        for _ in range(n):
            _para(self.docx)

    def addressee(self, names: str | Sequence[str]) -> Paragraph:
        """7.3.2 主送机关: flush left, names joined by 、, a full-width colon after the last."""
        text = names if isinstance(names, str) else "、".join(names)
        return _para(self.docx, f"{text}：")

    def paragraph(self, text: str = "", *, indent: bool = True, font: str = FS,
                  align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY) -> Paragraph:
        """7.3.3 正文: 3号仿宋, the first line indented two characters, fixed line spacing."""
        return _para(self.docx, text, font, align=align,
                     indent_chars=INDENT_CHARS if indent else 0)

    def heading(self, level: int, text: str, *, rest: str = "",
                number: int | None = None) -> Paragraph:
        """7.3.3 a numbered heading: 一、 黑体, （一） 楷体, 1. and （1） 仿宋.

        Numbers count on by level (a heading resets the levels below it) unless `number` is
        given. `rest` continues the paragraph in 仿宋 after the heading (a run-in heading, as
        in “一、加强与代表沟通联系。办理前……”).
        """
        if level not in HEADING_FONTS:
            raise ValueError(f"heading level must be 1–4, not {level}")
        n = number if number is not None else self._counters[level - 1] + 1
        self._counters[level - 1] = n
        for deeper in range(level, len(self._counters)):
            self._counters[deeper] = 0
        p = _para(self.docx, indent_chars=INDENT_CHARS)
        _run(p, f"{heading_number(level, n)}{text}", HEADING_FONTS[level])
        if rest:
            _run(p, rest, FS)
        return p

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]], *,
              widths: Sequence[Length] | None = None) -> Table:
        """A ruled table as wide as the 版心: the header row in 黑体 (repeated on every page),
        cells in 仿宋; None prints as an empty cell, dates as 2026年3月5日."""
        if widths is not None and len(widths) != len(headers):
            raise ValueError("one width per column")
        if any(len(r) != len(headers) for r in rows):
            raise ValueError("every row needs one value per header")
        table = self.docx.add_table(rows=1 + len(rows), cols=len(headers))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _cell_borders(table)
        col_widths = list(widths) if widths else [Length(TEXT_WIDTH // len(headers))] * len(headers)
        for i, width in enumerate(col_widths):
            table.columns[i].width = width
            for cell in table.columns[i].cells:
                cell.width = width
        _repeat_header(table.rows[0])
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            _cell_text(cell, str(header), HT, align=WD_ALIGN_PARAGRAPH.CENTER)
        for row, values in zip(table.rows[1:], rows, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                if value is None:
                    text = ""
                elif isinstance(value, dt.date):
                    text = cn_date(value)
                else:
                    text = str(value)
                _cell_text(cell, text, FS, align=WD_ALIGN_PARAGRAPH.LEFT)
        return table

    def attachment_note(self, titles: Sequence[str]) -> None:
        """7.3.4 附件说明: after a blank line, 左空二字 “附件：”; several are numbered."""
        self.blank()
        if len(titles) == 1:
            self.paragraph(f"附件：{titles[0]}")
            return
        for i, title in enumerate(titles, start=1):
            if i == 1:
                self.paragraph(f"附件：{i}.{title}")
            else:  # aligned under the first title, after “附件：”
                _para(self.docx, f"{i}.{title}", indent_chars=INDENT_CHARS + 3)

    def signature(self, org: str, date: dt.date) -> None:
        """7.3.5.2 署名 and 成文日期 without a seal: after a blank line, the 署名 右空二字; the
        date on the next line starts two characters right of the 署名's first character. A
        date longer than that keeps 右空二字 and pushes the 署名 left instead."""
        date_text = cn_date(date)
        date_width = _width_chars(date_text)
        org_width = len(org)
        date_right = org_width - date_width
        org_right = 2.0
        if date_right < 2:
            date_right, org_right = 2.0, 2 + date_width + 2 - org_width
        self.blank()
        _para(self.docx, org, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=org_right)
        _para(self.docx, date_text, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=date_right)

    def attachment_page(self, title: str, *, label: str = "附件") -> None:
        """7.3.7 附件 另面编排: 黑体 label on the first line, the title centred on the third."""
        _run(_para(self.docx), "", FS).add_break(WD_BREAK.PAGE)
        _para(self.docx, label, HT, align=WD_ALIGN_PARAGRAPH.LEFT)
        self.blank()
        p = _para(self.docx, align=WD_ALIGN_PARAGRAPH.CENTER, line=TITLE_LINE)
        _run(p, title, XBS, SIZE_2)
        self.blank()

    # -- 版记

    def footer_record(self, *, cc: Sequence[str] = (), printed_by: str,
                      printed_on: dt.date) -> None:
        """7.4 版记: 抄送 (7.4.2) between a thick and a thin line, then 印发机关 左空一字 and
        印发日期 右空一字 (7.4.3) above the closing thick line, all in 4号仿宋."""
        self.blank()
        if cc:
            line = _para(self.docx, f"\u3000抄送：{'、'.join(cc)}。", FS, SIZE_4)
            _border(line, "top", size_eighths=RECORD_THICK_EIGHTHS)
            _border(line, "bottom", size_eighths=RECORD_THIN_EIGHTHS)
            printed = _para(self.docx, align=WD_ALIGN_PARAGRAPH.LEFT)
        else:
            printed = _para(self.docx, align=WD_ALIGN_PARAGRAPH.LEFT)
            _border(printed, "top", size_eighths=RECORD_THICK_EIGHTHS)
        _border(printed, "bottom", size_eighths=RECORD_THICK_EIGHTHS)
        printed.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - SIZE_4,
                                                        WD_TAB_ALIGNMENT.RIGHT)
        _run(printed, f"\u3000{printed_by}\t{cn_date(printed_on)}印发", FS, SIZE_4)

    # -- output

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.docx.save(buf)
        return _without_clock(buf.getvalue())


# The zip stamps each part with the time of saving, so the same document built twice a second
# apart would differ byte for byte; a fixed stamp keeps one text one file (hashes, caches).
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _without_clock(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            stamped = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            stamped.compress_type = zipfile.ZIP_DEFLATED
            stamped.external_attr = info.external_attr
            dst.writestr(stamped, src.read(info.filename))
    return out.getvalue()
