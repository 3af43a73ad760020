"""Comment documents as 公文 (GB/T 9704, lvzhi.documents.word).

- 意见采纳反馈单: to one 基层立法联系点, each opinion it sent with its outcome and reason, and the
  article of the later draft that took it up (北京条例 第三十七条: 征求意见的情况应当向社会反馈).
- 征求意见情况通报: the period's public summary (立法法 第四十条 "征求意见的情况应当向社会通报").
"""

from __future__ import annotations

from django.utils import timezone
from docx.shared import Mm

from lvzhi.documents.word import OfficialDocument, cn_date
from lvzhi.legislation.comment_models import Comment, CommentPeriod, key_label
from lvzhi.legislation.models import ContactPoint

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _issuer(period: CommentPeriod) -> str:
    return f"{period.congress.short_name}人大常委会法制工作委员会"


def outcome_text(c: Comment) -> str:
    if not c.outcome:
        return "正在研究"
    return c.get_outcome_display()


def reason_text(c: Comment) -> str:
    parts = [c.reason] if c.reason else []
    if c.adopted_in_id and c.adopted_keys:
        parts.append(f"已体现在{c.adopted_in.label}{'、'.join(c.adopted_labels)}")
    return "；".join(parts) or ("—" if not c.outcome else "")


def feedback_docx(point: ContactPoint, period: CommentPeriod) -> bytes:
    issuer = _issuer(period)
    title = f"《{period.draft.bill.regulation.title}》{period.draft.label}意见采纳反馈单"
    doc = OfficialDocument(issuer=issuer, title=title)
    doc.addressee([point.name])
    rows = list(Comment.objects.filter(period=period, contact_point=point)
                .select_related("adopted_in").order_by("created_at", "pk"))
    adopted = sum(1 for c in rows if c.outcome == "adopted")
    partly = sum(1 for c in rows if c.outcome == "partly")
    meetings = list(point.meetings.filter(period=period).order_by("held_on"))
    held = "、".join(cn_date(m.held_on) for m in meetings)
    doc.paragraph(f"感谢你联系点{('于' + held) if held else ''}组织征求意见，共报送意见{len(rows)}条。"
                  f"经研究，采纳{adopted}条，部分采纳{partly}条。现将各条意见的采纳情况反馈如下。")
    table = [(i, key_label(c.submitted_key or c.article_key), c.text, outcome_text(c), reason_text(c))
             for i, c in enumerate(rows, 1)]
    if table:
        doc.table(["序号", "条款", "意见内容", "办理结果", "理由及体现"], table,
                  widths=[Mm(12), Mm(24), Mm(62), Mm(20), Mm(38)])
    else:
        doc.paragraph("（本联系点本次未报送意见。）")
    doc.paragraph("请将采纳情况向参加座谈的群众反馈。")
    day = timezone.localdate()
    doc.signature(issuer, day)
    doc.footer_record(printed_by=issuer, printed_on=day)
    return doc.to_bytes()


def summary_docx(period: CommentPeriod) -> bytes:
    issuer = _issuer(period)
    doc = OfficialDocument(issuer=issuer, title=f"关于《{period.draft.bill.regulation.title}》{period.draft.label}"
                                                "公开征求意见情况的通报")
    for line in (period.summary or "").splitlines():
        if line.strip():
            doc.paragraph(line.strip())
    day = timezone.localdate(period.summary_published_at) if period.summary_published_at else timezone.localdate()
    doc.signature(issuer, day)
    doc.footer_record(printed_by=issuer, printed_on=day)
    return doc.to_bytes()
