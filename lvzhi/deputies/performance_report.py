"""The 履职报告 a deputy edits and submits: a Word draft built from the year's 履职档案, on the
shared Word layer (documents.word), for the deputy to report to the voters (代表法 第五十八条)."""

from __future__ import annotations

from django.utils import timezone

from lvzhi.deputies.performance import Record
from lvzhi.documents.word import OfficialDocument


def report_docx(r: Record) -> bytes:
    d = r.deputy
    congress = d.congress
    doc = OfficialDocument(issuer="代表履职情况报告", title=[f"{d.name}代表{r.year}年度", "履职情况报告"],
                           author=d.name)
    doc.addressee("各位选民")
    doc.paragraph(f"本人是{congress.name}代表，{d.delegation.name}"
                  + (f"，{d.occupation}" if d.occupation else "") + f"。现将{r.year}年度履行代表职责的情况报告如下，"
                  "请予评议。")
    done = [s for s in r.sections if s.done]
    doc.heading(1, "履职基本情况")
    summary = "、".join(f"{s.source.label}{s.done}项" for s in done)
    doc.paragraph(f"全年共有履职记录{r.counted()}项" + (f"，其中{summary}" if summary else "")
                  + (f"，参加活动合计{r.hours}小时" if r.hours else "") + "。")
    for s in done:
        doc.heading(1, s.source.label)
        rows = [(e.on, e.title.split("：", 1)[-1]) for e in s.entries if not e.absent]
        doc.table(["日期", "事项"], rows)
    doc.heading(1, "存在的不足和今后打算")
    doc.paragraph("（请代表本人填写：联系群众、提出建议、参加活动等方面的不足，以及下一步履职的打算。）")
    doc.signature(f"代表：{d.name}", timezone.localdate())
    return doc.to_bytes()
