"""The filing kind's Word documents (GB/T 9704-2012, lvzhi.documents.word): the 备案回执 issued on
registration and the 书面审查意见 sent to the 制定机关 (北京 第二十九条)."""

from __future__ import annotations

from django.utils import timezone

from lvzhi.cases.models import Case
from lvzhi.documents.word import OfficialDocument, cn_date

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _issuer(case: Case) -> str:
    return f"{case.congress.short_name}常委会法制工作委员会"


def receipt_docx(case: Case) -> bytes:
    d = case.filing_detail
    issuer = _issuer(case)
    doc = OfficialDocument(issuer=issuer, number=case.number, title="规范性文件备案回执")
    doc.addressee([d.body.name])
    doc.paragraph(f"你单位报送的《{case.title}》（{d.doc_number}，{cn_date(d.published_on)}公布）已收到，"
                  f"经形式审查，予以备案登记，备案号为{case.number}。")
    if d.late_days:
        doc.paragraph(f"该文件应于{cn_date(d.filing_due_on)}前报送备案，实际逾期{d.late_days}日，请今后按时报送。")
    doc.paragraph("我委将依照《北京市各级人民代表大会常务委员会规范性文件备案审查条例》进行审查，审查结果将另行反馈。")
    day = timezone.localtime(case.registered_at or timezone.now()).date()
    doc.signature(issuer, day)
    return doc.to_bytes()


def opinion_docx(case: Case) -> bytes:
    d = case.filing_detail
    issuer = _issuer(case)
    doc = OfficialDocument(issuer=issuer, number=f"{case.number}审", title=f"关于《{case.title}》的书面审查意见")
    doc.addressee([d.body.name])
    doc.paragraph(f"我委对你单位报送备案的《{case.title}》（{d.doc_number}）进行了审查，现提出审查意见如下：")
    findings = list(case.filing_findings.all())
    if findings:
        doc.heading(1, "存在的问题")
        for i, f in enumerate(findings, 1):
            law = f"，与{f.upper_law}的规定不一致" if f.upper_law else ""
            doc.paragraph(f"{i}. {f.provision}{law}。{f.reason}（审查标准：{f.get_criterion_display()}）")
    doc.heading(1, "审查意见")
    for p in [p.strip() for p in d.opinion_text.splitlines() if p.strip()]:
        doc.paragraph(p)
    doc.paragraph("请你单位自收到本意见之日起三十日内研究提出书面处理意见，送我委。")
    day = timezone.localtime(d.opinion_sent_at or timezone.now()).date()
    doc.signature(issuer, day)
    return doc.to_bytes()
