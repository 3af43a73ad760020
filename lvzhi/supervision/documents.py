"""The 审议意见 as a 公文 (GB/T 9704-2012, lvzhi.documents.word): issued by the standing
committee's 办公厅 to the government, with the overall evaluation, the problem list (one row per
`problem` case: 问题、责任单位、整改时限) and the suggestions, and the date its 研究处理情况报告
is due (常州 办法: an opinion states "总体评价，存在的突出问题，改进工作的意见，研究处理时限要求")."""

from __future__ import annotations

from django.utils import timezone
from docx.shared import Mm

from lvzhi.cases.models import Case
from lvzhi.documents.word import OfficialDocument, cn_date
from lvzhi.supervision.models import Opinion

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def problems_of(opinion: Opinion):
    return (Case.objects.filter(kind="problem", problem_detail__opinion=opinion, registered_at__isnull=False)
            .exclude(state="cancelled").select_related("problem_detail")
            .prefetch_related("assignments__unit").order_by("number", "id"))


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.splitlines() if p.strip()]


def opinion_docx(opinion: Opinion) -> bytes:
    topic = opinion.topic
    congress = topic.congress
    issuer = f"{congress.short_name}常委会办公厅"
    doc = OfficialDocument(issuer=issuer, number=opinion.number, title=opinion.title)
    doc.addressee([opinion.recipient])
    meeting = f"{cn_date(topic.meeting_on)}，" if topic.meeting_on else ""
    doc.paragraph(f"{meeting}{congress.short_name}常委会对“{topic.title}”进行了审议。现将常委会组成人员的"
                  "审议意见交付研究处理。")
    doc.heading(1, "总体评价")
    for p in _paragraphs(opinion.evaluation):
        doc.paragraph(p)
    problems = list(problems_of(opinion))
    doc.heading(1, "存在的主要问题")
    if problems:
        doc.paragraph(f"常委会组成人员指出的问题共{len(problems)}个，逐条明确责任单位和整改时限（见下表）。")
        rows = [(i, p.title, "、".join(a.unit.name for a in p.assignments.all() if a.role != "co") or "待交办",
                 p.problem_detail.due_on) for i, p in enumerate(problems, 1)]
        doc.table(["序号", "问题", "责任单位", "整改时限"], rows, widths=[Mm(14), Mm(78), Mm(34), Mm(30)])
    else:
        doc.paragraph("（问题清单尚未列定。）")
    doc.heading(1, "改进工作的意见")
    for p in _paragraphs(opinion.suggestions):
        doc.paragraph(p)
    due = opinion.report_due_on
    doc.heading(1, "研究处理时限要求")
    doc.paragraph(("请于" + cn_date(due) if due else "请于收到本审议意见之日起三个月内")
                  + "将研究处理情况向常委会书面报告；报告前征求有关专门委员会或者常委会工作机构意见。"
                  + (f"常委会对该项工作作出的决议，请于{cn_date(opinion.resolution_due_on)}前报告执行情况。"
                     if opinion.resolution and opinion.resolution_due_on else ""))
    day = timezone.localtime(opinion.sent_at or opinion.approved_at or timezone.now()).date()
    doc.signature(issuer, day)
    doc.footer_record(cc=[topic.lead_committee.name], printed_by=issuer, printed_on=day)
    return doc.to_bytes()
