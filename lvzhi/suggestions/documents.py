"""The assignment notice (交办通知) as Word, laid out as GB/T 9704-2012 党政机关公文格式.

The layout (A4, margins, 版头, 3号仿宋 body, 版记, "— 1 —" page numbers) is the shared builder's,
lvzhi.documents.word; this module only words the notice. Each notice is derived from the
records alone, so downloading it twice gives the same text.
"""

from __future__ import annotations

import datetime as dt
import re

from lvzhi.cases.deadlines import compute_due, rules_for
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import (
    AssignmentRole,
    AssignmentState,
    Case,
    CosignState,
    Event,
)
from lvzhi.cases.workflow import NotAllowed, WrongState
from lvzhi.core.models import Organization, OrganizationKind, User
from lvzhi.core.numbering import chinese_numeral
from lvzhi.core.workdays import WorkCalendar
from lvzhi.documents.word import RED_HEX as RED_HEX  # the 标志's red, named here for callers
from lvzhi.documents.word import OfficialDocument, cn_date
from lvzhi.suggestions import permissions

LEVEL_SUFFIXES = ("自治区", "省", "市", "区", "县", "旗", "镇", "乡")
TITLE_BREAK_AFTER = 20  # characters: a longer title turns before the case number


# ------------------------------------------------------------------------------ wording

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
    if not any(a.state != AssignmentState.WITHDRAWN for a in case.assignments.all()):
        raise WrongState("本案尚未交办，还没有交办通知")
    if not permissions.may_download_notice(user, case):
        raise NotAllowed("交办通知只供代表工委工作人员和本案承办单位下载")


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

    recipients = [a.unit.name for a in answering] or [first.unit.name]
    title = notice_title(case)
    # 回行时词意完整: break before the case number rather than wherever the line fills up
    tail = number_tail(case) if case.session_id else ""
    if tail and len(title) > TITLE_BREAK_AFTER and tail in title:
        head_text, rest = title.split(tail, 1)
        title_lines = [head_text, tail + rest]
    else:
        title_lines = [title]
    doc = OfficialDocument(issuer=org_name, number=document_number(case, assign_event, day),
                           title=title_lines)
    doc.addressee(recipients)

    lead = case.lead_deputy.name if case.lead_deputy else (case.submitter.name if case.submitter
                                                           else "")
    who = f"{lead}代表" + (f"等{cosigners + 1}名代表" if cosigners else "")
    label = f"{number_tail(case)}{case.kind_label}" if case.session_id else \
        f"{case.number}{case.kind_label}"
    # An interim number already says 闭会期间 ("闭会期间2026年第0243号"): say it once.
    when = f"在{session_label(case)}期间" if case.session_id else ("" if "闭会期间" in label else "在闭会期间")
    if first.role == AssignmentRole.SPLIT:
        others = "、".join(a.unit.name for a in answering)
        how = f"交由{others}分别办理，各自答复代表"
    else:
        how = "交由你单位主办" + (f"，{'、'.join(a.unit.name for a in co)}会办" if co else "")
    doc.paragraph(f"{who}{when}提出的{label}《{case.title}》，经审查立案，现{how}。")
    doc.paragraph("请你单位按照《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》"
                  f"第五十一条的规定认真研究办理，请于{cn_date(due)}前答复代表。")
    doc.paragraph("现将办理要求通知如下：")
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
    for heading, text in items:
        doc.heading(1, heading, rest=text)
    doc.attachment_note([case.title])
    doc.signature(org_name, day)

    # 附件 on a page of its own, before the 版记
    doc.attachment_page(case.title)
    names = list(case.cosigns.filter(state=CosignState.CONFIRMED).select_related("deputy")
                 .values_list("deputy__name", flat=True))
    doc.paragraph(f"案号：{case.number}")
    doc.paragraph(f"领衔代表：{lead}")
    if names:
        doc.paragraph(f"附议代表：{'、'.join(names)}")
    if case.category:
        doc.paragraph(f"类别：{case.category}")
    doc.paragraph("内容：")
    for text in [t.strip() for t in case.body.splitlines() if t.strip()]:
        doc.paragraph(text)

    doc.footer_record(cc=[a.unit.name for a in co], printed_by=org_name, printed_on=day)
    return doc.to_bytes()


def notice_filename(case: Case) -> str:
    return f"交办通知_{case.number or case.pk}.docx"
