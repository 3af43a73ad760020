"""The assignment notice (交办通知) as Word, laid out as GB/T 9704-2012 党政机关公文格式.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28 characters of
3号仿宋 (fixed 28.95 pt lines); red 发文机关标志 in 小标宋 35 mm below the top of the text
block; 发文字号 with the red separator line 4 mm below it; title in 2号小标宋; page numbers
"— 1 —" in 4号宋体, right on odd pages and left on even ones. Every run names its East
Asian font (w:eastAsia), or Word falls back to the Latin font and prints boxes or SimSun.
Each notice is derived from the records alone, so downloading it twice gives the same text.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from lvzhi.cases.deadlines import compute_due, rules_for
from lvzhi.cases.models import (
    AssignmentRole,
    AssignmentState,
    Case,
    CosignState,
    DeadlineKind,
    Event,
)
from lvzhi.cases.workflow import NotAllowed, WrongState
from lvzhi.core.models import Organization, OrganizationKind, Role, User
from lvzhi.core.numbering import chinese_numeral
from lvzhi.core.workdays import WorkCalendar

XBS = "方正小标宋简体"  # 小标宋: 发文机关标志 and titles
FS = "仿宋_GB2312"  # body
HT = "黑体"  # first-level headings, 附件 label
ST = "宋体"  # page numbers
LATIN = "Times New Roman"
RED = RGBColor(0xE6, 0x00, 0x12)
RED_HEX = "E60012"
SIZE_2, SIZE_3, SIZE_4 = Pt(22), Pt(16), Pt(14)
LINE = Pt(28.95)  # 225 mm of text block / 22 lines
TEXT_WIDTH_PT = Mm(156).pt
BODY_CONDENSE_TWENTIETHS = -4  # 16 pt − 0.2 pt ≈ 156 mm / 28 characters
NOTICE_ROLES = {Role.CLERK, Role.UNIT_HANDLER, Role.UNIT_HEAD}
LEVEL_SUFFIXES = ("自治区", "省", "市", "区", "县", "旗", "镇", "乡")


# --------------------------------------------------------------------------- low level

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


def _run(p: Paragraph, text: str, font: str = FS, size: Pt = SIZE_3, *, bold: bool = False,
         color: RGBColor | None = None, latin: str = LATIN):
    run = p.add_run(text)
    _set_fonts(run._r, font, latin)
    run.font.size = size
    run.font.bold = bold
    if size == SIZE_3:
        _condense(run._r)
    if color is not None:
        run.font.color.rgb = color
    return run


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


def _para(doc, text: str = "", font: str = FS, size: Pt = SIZE_3, *,
          align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars: float = 0, line: Pt = LINE,
          color: RGBColor | None = None, right_chars: float = 0, before: Pt | None = None,
          latin: str = LATIN) -> Paragraph:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = before or Pt(0)
    fmt.space_after = Pt(0)
    fmt.widow_control = False  # GB/T 9704 fills every page's 22 lines
    fmt.first_line_indent = Pt(SIZE_3.pt * indent_chars) if indent_chars else None
    if right_chars:
        fmt.right_indent = Pt(SIZE_3.pt * right_chars)
    if text:
        _run(p, text, font, size, color=color, latin=latin)
    # the paragraph mark's own font, so an empty line keeps the body's height in Word
    _set_fonts(p._p.get_or_add_pPr(), font, latin)
    return p


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
    # 单页码居右空一字，双页码居左空一字
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


def _defaults(doc) -> None:
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


# ------------------------------------------------------------------------------ wording

def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def session_label(case: Case) -> str:
    """'市十六届人大五次会议': the short form a notice's title uses."""
    if case.session_id is None:
        return "闭会期间"
    short = case.congress.short_name.removesuffix("人大").removesuffix("人民代表大会")
    level = next((s for s in LEVEL_SUFFIXES if short.endswith(s)), "")
    s = case.session
    return f"{level}{chinese_numeral(s.term.number)}届人大{chinese_numeral(s.number)}次会议"


def number_tail(case: Case) -> str:
    """'第0123号' from '第十六届第五次会议第0123号'; the whole number for interim cases."""
    m = re.search(r"(第\d+号)$", case.number)
    return m.group(1) if (m and case.session_id) else case.number


def notice_title(case: Case) -> str:
    if case.session_id:
        return f"关于交办{session_label(case)}{number_tail(case)}{case.kind_label}的通知"
    return f"关于交办{case.number}{case.kind_label}的通知"


def office_of(case: Case, assigned_by: User | None) -> str:
    """The working body that issues the notice: the assigning clerk's, else the congress's."""
    org = assigned_by.organization if assigned_by and assigned_by.organization_id else None
    if org is None or org.kind != OrganizationKind.WORKING_BODY:
        org = (Organization.objects.filter(congress_id=case.congress_id,
                                           kind=OrganizationKind.WORKING_BODY)
               .order_by("sort_order", "id").first())
    return org.name if org else "代表工作委员会"


def issuer(case: Case, office: str) -> str:
    short = case.congress.short_name
    return f"{short}常委会{office}"


def document_number(case: Case, assign_event: Event | None, day: dt.date) -> str:
    """发文字号 北人代工〔2026〕12号: the n-th assignment the congress made that year, counted
    from the append-only event log, so the number is stable however often it is printed."""
    prefix = case.congress.short_name[:1] + "人代工"
    if assign_event is None:
        return f"{prefix}〔{day.year}〕{case.pk}号"
    n = Event.objects.filter(congress_id=case.congress_id, name="assign", at__year=day.year,
                             seq__lte=assign_event.seq).count()
    return f"{prefix}〔{day.year}〕{n}号"


# ------------------------------------------------------------------------------ service

def notice_case_check(user: User, case: Case) -> None:
    """The caller has already limited `case` to visible_cases(user) (else 404)."""
    if user.role not in NOTICE_ROLES:
        raise NotAllowed("交办通知只供代表工委工作人员和承办单位下载")
    if not any(a.state != AssignmentState.WITHDRAWN for a in case.assignments.all()):
        raise WrongState("本案尚未交办，还没有交办通知")


def assignment_notice(user: User, case: Case) -> bytes:
    notice_case_check(user, case)
    active = [a for a in case.assignments.select_related("unit", "assigned_by__organization")
              .order_by("id") if a.state != AssignmentState.WITHDRAWN]
    answering = [a for a in active if a.role in (AssignmentRole.LEAD, AssignmentRole.SPLIT)]
    co = [a for a in active if a.role == AssignmentRole.CO]
    first = answering[0] if answering else active[0]
    rules = rules_for(case.congress_id)
    clocks = case.deadlines.filter(assignment=first, kind__in=[DeadlineKind.REPLY,
                                                               DeadlineKind.REHANDLE],
                                   cancelled=False).order_by("-id")
    clock = next((d for d in clocks if d.is_open), None) or clocks.first()
    due = clock.due_on if clock else compute_due(
        DeadlineKind.REPLY, first.assigned_on, rules, WorkCalendar.for_congress(case.congress_id))
    day = first.assigned_on
    assign_event = (Event.objects.filter(case=case, name="assign").order_by("-seq").first())
    office = office_of(case, first.assigned_by)
    org_name = issuer(case, office)
    cosigners = case.cosigns.filter(state=CosignState.CONFIRMED).count()
    detail = getattr(case, "suggestion_detail", None)

    doc = Document()
    _defaults(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(21)  # the dash line sits ~7 mm below the text block
    _grid(section)
    doc.settings.odd_and_even_pages_header_footer = True
    _footer(section.footer, odd=True)
    _footer(section.even_page_footer, odd=False)

    # 版头: 发文机关标志 35 mm below the text block's top edge, red 小标宋, one line wide at most
    size = Pt(min(36.0, int(TEXT_WIDTH_PT * 0.96 / max(len(org_name), 1) * 2) / 2))
    head = _para(doc, org_name, XBS, size, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED,
                 line=Pt(size.pt * 1.25), before=Pt(Mm(35).pt - size.pt * 0.25))
    head.runs[0].font.bold = False
    for _ in range(2):
        _para(doc)
    ref = _para(doc, document_number(case, assign_event, day), FS,
                align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(ref, "bottom", size_eighths=12, color=RED_HEX, space_pt=11)  # 4 mm below
    for _ in range(2):
        _para(doc)

    title = notice_title(case)
    title_p = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(35))
    # 回行时词意完整: break before the case number rather than wherever the line fills up
    tail = number_tail(case) if case.session_id else ""
    if tail and len(title) > 20 and tail in title:
        head_text, rest = title.split(tail, 1)
        _run(title_p, head_text, XBS, SIZE_2)
        _run(title_p, "", XBS, SIZE_2).add_break(WD_BREAK.LINE)
        _run(title_p, tail + rest, XBS, SIZE_2)
    else:
        _run(title_p, title, XBS, SIZE_2)
    _para(doc)

    recipients = "、".join(a.unit.name for a in answering) or first.unit.name
    _para(doc, f"{recipients}：")

    lead = case.lead_deputy.name if case.lead_deputy else (case.submitter.name if case.submitter
                                                           else "")
    who = f"{lead}代表" + (f"等{cosigners + 1}名代表" if cosigners else "")
    when = f"在{session_label(case)}期间" if case.session_id else "在闭会期间"
    label = f"{number_tail(case)}{case.kind_label}" if case.session_id else \
        f"{case.number}{case.kind_label}"
    if first.role == AssignmentRole.SPLIT:
        others = "、".join(a.unit.name for a in answering)
        how = f"交由{others}分别办理，各自答复代表"
    else:
        how = "交由你单位主办" + (f"，{'、'.join(a.unit.name for a in co)}会办" if co else "")
    _para(doc, f"{who}{when}提出的{label}《{case.title}》，经审查立案，现{how}。", indent_chars=2)
    _para(doc, "请你单位按照《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》"
               f"第五十一条的规定认真研究办理，请于{cn_date(due)}前答复代表。", indent_chars=2)
    _para(doc, "现将办理要求通知如下：", indent_chars=2)
    items: list[tuple[str, str]] = [
        ("加强与代表沟通联系。", "办理前、办理中和答复前，承办单位应当主动与领衔代表联系沟通"
         "（“三见面”），了解代表意图，听取代表意见，沟通情况及时录入履职平台。"),
        ("规范答复代表。", "答复应当针对所提问题，实事求是、具体明确，并标明答复分类：A类为所提问题"
         "已经解决或者基本解决，B类为所提问题正在解决或者已列入规划逐步解决，C类为因目前条件限制"
         "或者其他原因需待以后解决并向代表说明原因。答复函须经单位主要负责人审核签发。"),
    ]
    if co:
        items.append(("做好会办工作。", f"会办单位应当自交办之日起{chinese_numeral(rules.co_opinion_months)}个月内"
                      "将会办意见送主办单位；主办单位应当主动与会办单位协商，统一答复代表。"))
    items.append(("及时申请调整。", f"认为不属于本单位职责范围的，应当自收到交办之日起"
                  f"{chinese_numeral(rules.reassign_request_workdays)}个工作日内通过履职平台提出"
                  "调整申请并说明理由，逾期未提出的，应当按交办意见办理。"))
    if detail is not None and detail.confidential:
        items.append(("注意保密。", "领衔代表要求对该建议保密，办理及答复过程中请注意保密，不予公开。"))
    for i, (heading, text) in enumerate(items, start=1):
        p = _para(doc, indent_chars=2)
        _run(p, f"{chinese_numeral(i)}、{heading}", HT)
        _run(p, text, FS)
    _para(doc)
    _para(doc, f"附件：{case.title}", indent_chars=2)

    # 署名 and 成文日期 without a seal: 署名右空二字; the date starts two characters right of it
    date_text = cn_date(day)
    date_width = len(re.sub(r"\d", "", date_text)) + len(re.findall(r"\d", date_text)) / 2
    _para(doc)
    _para(doc, org_name, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=2)
    _para(doc, date_text, align=WD_ALIGN_PARAGRAPH.RIGHT,
          right_chars=max(2.0, 2 + len(org_name) - 2 - date_width))

    # 附件 on a page of its own, before the 版记
    _run(_para(doc), "", FS).add_break(WD_BREAK.PAGE)
    _para(doc, "附件", HT, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(doc)
    attach_title = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(35))
    _run(attach_title, case.title, XBS, SIZE_2)
    _para(doc)
    names = list(case.cosigns.filter(state=CosignState.CONFIRMED).select_related("deputy")
                 .values_list("deputy__name", flat=True))
    _para(doc, f"案号：{case.number}", indent_chars=2)
    _para(doc, f"领衔代表：{lead}", indent_chars=2)
    if names:
        _para(doc, f"附议代表：{'、'.join(names)}", indent_chars=2)
    if case.category:
        _para(doc, f"类别：{case.category}", indent_chars=2)
    _para(doc, "内容：", indent_chars=2)
    for text in [t.strip() for t in case.body.splitlines() if t.strip()]:
        _para(doc, text, indent_chars=2)

    # 版记: 抄送 between a thick and a thin line, then 印发机关 and 印发日期
    _para(doc)
    co_names = "、".join(a.unit.name for a in co)
    if co_names:
        cc = _para(doc, f"\u3000抄送：{co_names}。", FS, SIZE_4)
        _border(cc, "top", size_eighths=8)
        _border(cc, "bottom", size_eighths=4)
        printed = _para(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
    else:
        printed = _para(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
        _border(printed, "top", size_eighths=8)
    _border(printed, "bottom", size_eighths=8)
    # 印发日期 右空一字 on a right tab stop
    printed.paragraph_format.tab_stops.add_tab_stop(Mm(156) - SIZE_4, WD_TAB_ALIGNMENT.RIGHT)
    _run(printed, f"\u3000{org_name}\t{cn_date(day)}印发", FS, SIZE_4)

    doc.core_properties.title = title
    doc.core_properties.author = org_name
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def notice_filename(case: Case) -> str:
    return f"交办通知_{case.number or case.pk}.docx"
