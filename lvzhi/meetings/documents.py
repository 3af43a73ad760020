"""The meetings' Word documents in the GB/T 9704 layout (lvzhi.documents.word): the 任命书 or
免职通知 of each nominee whose vote passed, and the 会议纪要 drafted from the agenda, the
attendance and each item's result."""

from __future__ import annotations

from lvzhi.documents.word import OfficialDocument
from lvzhi.meetings.models import (
    ItemVote,
    Meeting,
    MeetingType,
    NominationAction,
    Nominee,
    Participant,
    ParticipantRole,
)


def _issuer(meeting: Meeting) -> str:
    return f"{meeting.congress.short_name.removesuffix('人大')}人民代表大会常务委员会"


def appointment_document(nominee: Nominee) -> bytes:
    meeting = nominee.item.meeting
    vote = getattr(nominee, "vote", None)
    issuer = _issuer(meeting)
    year = meeting.starts_on.year
    appoint = nominee.action == NominationAction.APPOINT
    doc = OfficialDocument(issuer=issuer, number=f"{issuer[:2]}人常任〔{year}〕{nominee.pk}号",
                           title="任命书" if appoint else "免职通知")
    doc.addressee(nominee.name if appoint else nominee.organ)
    what = (f"任命{nominee.name}为{nominee.post}。" if appoint else f"免去{nominee.name}的{nominee.post}职务。")
    doc.paragraph(f"根据{nominee.organ}的提请，{meeting.title}于{meeting.starts_on.year}年{meeting.starts_on.month}月"
                  f"{meeting.starts_on.day}日决定：{what}")
    if vote is not None and vote.passed:
        doc.paragraph(f"表决结果：全体组成人员{vote.members_total}人，{vote.result_text}。")
    if appoint and nominee.oath_on:
        doc.paragraph(f"被任命人员已于{nominee.oath_on.year}年{nominee.oath_on.month}月{nominee.oath_on.day}日"
                      f"向宪法宣誓，监誓人{nominee.oath_administered_by}。")
    doc.signature(issuer, meeting.ends_on)
    return doc.to_bytes()


def minutes(meeting: Meeting) -> bytes:
    parts = list(Participant.objects.filter(meeting=meeting).select_related("user"))
    members = [p for p in parts if p.role == ParticipantRole.MEMBER]
    present = [p for p in members if p.signed_in_at is not None]
    leave = [p for p in members if p.on_leave]
    attending = [p for p in parts if p.role == ParticipantRole.ATTENDEE]
    issuer = _issuer(meeting) if meeting.meeting_type != MeetingType.PLENARY else \
        f"{meeting.congress.short_name.removesuffix('人大')}人民代表大会"
    doc = OfficialDocument(issuer=f"{issuer}办公厅", number=f"会议纪要〔{meeting.starts_on.year}〕{meeting.pk}号",
                           title=[meeting.title, "会议纪要"])
    doc.paragraph(f"{meeting.title}于{meeting.starts_on.year}年{meeting.starts_on.month}月{meeting.starts_on.day}日"
                  f"在{meeting.place or '机关会议室'}举行。会议应到组成人员{len(members)}人，实到{len(present)}人，"
                  f"请假{len(leave)}人，符合法定人数。" if 2 * len(present) > len(members) else
                  f"{meeting.title}于{meeting.starts_on:%Y年%m月%d日}举行。会议应到{len(members)}人，实到"
                  f"{len(present)}人，未达法定人数。")
    if leave:
        doc.paragraph("请假：" + "；".join(f"{p}（{p.leave_reason}）" for p in leave) + "。")
    if attending:
        doc.paragraph("列席：" + "、".join(str(p) for p in attending) + "。")
    doc.paragraph("会议审议了以下事项：")
    votes: dict[int, list[ItemVote]] = {}
    for v in ItemVote.objects.filter(item__meeting=meeting).select_related("nominee").order_by("pk"):
        votes.setdefault(v.item_id, []).append(v)
    for item in meeting.items.order_by("position"):
        rest = f"报告人：{item.rapporteur}。" if item.rapporteur else ""
        doc.heading(1, f"{item.title}。", rest=rest)
        for v in votes.get(item.pk, []):
            way = "记名表决" if not v.secret else "无记名表决"
            if v.paper:
                way += "（纸质选票）"
            doc.paragraph(f"{v.subject}：{way}，{v.result_text}。" if v.passed is not None
                          else f"{v.subject}：表决未完成。")
        if not votes.get(item.pk):
            doc.paragraph("会议进行了审议。")
    doc.signature(f"{issuer}办公厅", meeting.ends_on)
    return doc.to_bytes()
