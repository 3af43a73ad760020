"""审议意见 from draft to the government's report, the one place that moves an Opinion
(监督法 第十七条; RULES.md §3.1):

drafting ──submit──▶ pending ──approve (主任会议)──▶ approved ──send──▶ sent ──record_report──▶ reported
   ▲                    │ return
   └────────────────────┘

Approval dates the sending (opinion_send: 5 working days by default); sending dates the
研究处理情况报告 (opinion_report: 3 months), unless the 主任会议 set a date of its own (浙江
第四十四条 "或者主任会议指定的时间"). A 决议's execution report keeps the date the resolution set.
Every step is an event on the congress's audit chain (subject "opinion"), in the same
transaction as the change, so the record and its history cannot part.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvzhi.cases import deadlines
from lvzhi.cases.events import append_subject_event
from lvzhi.cases.workflow import InvalidInput, NotAllowed, WrongState
from lvzhi.core.models import User
from lvzhi.supervision import clocks
from lvzhi.supervision.models import Opinion, OpinionState, Topic
from lvzhi.supervision.opinion_permissions import may_approve, may_draft, may_send

SUBJECT = "opinion"


def default_title(topic: Topic) -> str:
    """关于物业管理条例实施情况的审议意见; a report's own title already says 关于: 对……的审议意见."""
    return f"对{topic.title}的审议意见" if "关于" in topic.title else f"关于{topic.title}的审议意见"
TEXT_MIN = 20


def _event(opinion: Opinion, actor: User | None, name: str, label: str, before: str, now: dt.datetime,
           payload: dict[str, Any] | None = None) -> None:
    append_subject_event(SUBJECT, opinion.pk, opinion.topic.congress_id, actor, name, label,
                         payload={"title": opinion.title, **(payload or {})}, at=now,
                         from_state=before, to_state=opinion.state)


def _locked(opinion: Opinion | int) -> Opinion:
    pk = opinion.pk if isinstance(opinion, Opinion) else opinion
    return Opinion.objects.select_for_update().select_related("topic").get(pk=pk)


def _need(opinion: Opinion, *states: str) -> None:
    if opinion.state not in states:
        raise WrongState(f"审议意见当前状态为“{opinion.get_state_display()}”，不能执行该操作")


def _check_text(data: dict[str, Any]) -> dict[str, str]:
    title = (data.get("title") or "").strip()
    evaluation = (data.get("evaluation") or "").strip()
    suggestions = (data.get("suggestions") or "").strip()
    errors: dict[str, list[str]] = {}
    if not 5 <= len(title) <= 200:
        errors["title"] = ["标题应为5至200个字"]
    if len(evaluation) < TEXT_MIN:
        errors["evaluation"] = [f"总体评价至少{TEXT_MIN}个字"]
    if len(suggestions) < TEXT_MIN:
        errors["suggestions"] = [f"改进工作的意见至少{TEXT_MIN}个字"]
    if errors:
        raise InvalidInput("审议意见填写有误：" + "；".join(m for v in errors.values() for m in v), errors)
    return {"title": title, "evaluation": evaluation, "suggestions": suggestions}


@transaction.atomic
def draft(topic: Topic, actor: User, data: dict[str, Any], now: dt.datetime | None = None) -> Opinion:
    """The committee office drafts the opinion after deliberation (常州: 总体评价、存在的突出问题、
    改进工作的意见、研究处理时限要求; the problems are added as `problem` cases)."""
    now = now or timezone.now()
    if not may_draft(actor, topic):
        raise NotAllowed("只有牵头委员会或办公厅的工作人员可以起草审议意见")
    fields = _check_text(data)
    opinion = Opinion.objects.create(topic=topic, drafted_by=actor, recipient=data.get("recipient")
                                     or topic.supervised_body or "市人民政府", **fields)
    _event(opinion, actor, "opinion_drafted", "起草审议意见", "", now)
    return opinion


@transaction.atomic
def edit(opinion: Opinion, actor: User, data: dict[str, Any], now: dt.datetime | None = None) -> Opinion:
    now = now or timezone.now()
    opinion = _locked(opinion)
    _need(opinion, OpinionState.DRAFTING)
    if not may_draft(actor, opinion.topic):
        raise NotAllowed("只有牵头委员会或办公厅的工作人员可以修改审议意见")
    for k, v in _check_text(data).items():
        setattr(opinion, k, v)
    opinion.save()
    _event(opinion, actor, "opinion_edited", "修改审议意见", opinion.state, now)
    return opinion


@transaction.atomic
def submit(opinion: Opinion, actor: User, now: dt.datetime | None = None) -> Opinion:
    now = now or timezone.now()
    opinion = _locked(opinion)
    _need(opinion, OpinionState.DRAFTING)
    if not may_draft(actor, opinion.topic):
        raise NotAllowed("只有牵头委员会或办公厅的工作人员可以提请审定")
    before, opinion.state = opinion.state, OpinionState.PENDING
    opinion.save(update_fields=["state"])
    _event(opinion, actor, "opinion_submitted", "提请主任会议审定", before, now)
    return opinion


@transaction.atomic
def decide(opinion: Opinion, actor: User, *, approve: bool, note: str = "",
           report_due_on: dt.date | None = None, resolution_due_on: dt.date | None = None,
           now: dt.datetime | None = None) -> Opinion:
    """The 主任会议 approves (dating the sending, and the report if it sets its own date) or
    returns the draft with a reason."""
    now = now or timezone.now()
    opinion = _locked(opinion)
    _need(opinion, OpinionState.PENDING)
    if not may_approve(actor, opinion.topic):
        raise NotAllowed("只有主任会议成员可以审定审议意见")
    today = timezone.localdate(now)
    if not approve:
        if len(note.strip()) < 5:
            raise InvalidInput("退回修改时请写明理由（至少5个字）", {"note": ["请写明理由"]})
        opinion.state = OpinionState.DRAFTING
        opinion.save(update_fields=["state"])
        _event(opinion, actor, "opinion_returned", "退回修改", OpinionState.PENDING, now, {"note": note.strip()})
        return opinion
    for label, day in (("研究处理情况报告期限", report_due_on), ("决议执行情况报告期限", resolution_due_on)):
        if day is not None and day <= today:
            raise InvalidInput(f"{label}{day:%Y-%m-%d}不晚于今天，请重新填写")
    congress = opinion.topic.congress_id
    rules, cal = deadlines.rules_for(congress, fresh=True), deadlines.calendar_for(congress, fresh=True)
    opinion.state = OpinionState.APPROVED
    opinion.approved_at = now
    opinion.send_due_on = deadlines.compute_due(clocks.OPINION_SEND, today, rules, cal)
    opinion.report_due_on = report_due_on  # None: counted from the day it is sent
    if resolution_due_on is not None:
        opinion.resolution, opinion.resolution_due_on = True, resolution_due_on
    opinion.save()
    _event(opinion, actor, "opinion_approved", "主任会议审定通过", OpinionState.PENDING, now,
           {"send_due_on": opinion.send_due_on.isoformat(), "note": note.strip()})
    return opinion


@transaction.atomic
def send(opinion: Opinion, actor: User, *, number: str = "", now: dt.datetime | None = None) -> Opinion:
    now = now or timezone.now()
    opinion = _locked(opinion)
    _need(opinion, OpinionState.APPROVED)
    if not may_send(actor, opinion.topic):
        raise NotAllowed("只有办公厅工作人员可以交办审议意见")
    congress = opinion.topic.congress_id
    today = timezone.localdate(now)
    opinion.number = number.strip()[:60] or opinion.number
    opinion.state, opinion.sent_at = OpinionState.SENT, now
    if opinion.report_due_on is None:
        opinion.report_due_on = deadlines.compute_due(
            clocks.OPINION_REPORT, today, deadlines.rules_for(congress, fresh=True),
            deadlines.calendar_for(congress, fresh=True))
    opinion.save()
    _event(opinion, actor, "opinion_sent", f"交办{opinion.recipient}研究处理", OpinionState.APPROVED, now,
           {"number": opinion.number, "report_due_on": opinion.report_due_on.isoformat(),
            "late": today > opinion.send_due_on if opinion.send_due_on else False})
    return opinion


@transaction.atomic
def record_report(opinion: Opinion, actor: User, text: str, now: dt.datetime | None = None) -> Opinion:
    """The government's consolidated 研究处理情况报告 (it can then go to a 满意度测评)."""
    now = now or timezone.now()
    opinion = _locked(opinion)
    _need(opinion, OpinionState.SENT)
    if not may_send(actor, opinion.topic) and not may_draft(actor, opinion.topic):
        raise NotAllowed("只有办公厅或牵头委员会的工作人员可以登记研究处理情况报告")
    text = (text or "").strip()
    if len(text) < TEXT_MIN:
        raise InvalidInput(f"研究处理情况报告至少{TEXT_MIN}个字", {"text": [f"至少{TEXT_MIN}个字"]})
    opinion.state, opinion.report_text, opinion.report_received_at = OpinionState.REPORTED, text, now
    opinion.save()
    late = timezone.localdate(now) > opinion.report_due_on if opinion.report_due_on else False
    _event(opinion, actor, "opinion_reported", "登记研究处理情况报告", OpinionState.SENT, now, {"late": late})
    return opinion


@transaction.atomic
def publish(opinion: Opinion, actor: User, now: dt.datetime | None = None) -> Opinion:
    """第十条、第十七条: the opinion and its handling report go public once sent."""
    now = now or timezone.now()
    opinion = _locked(opinion)
    _need(opinion, OpinionState.SENT, OpinionState.REPORTED)
    if not may_send(actor, opinion.topic):
        raise NotAllowed("只有办公厅工作人员可以公开审议意见")
    if opinion.published_at is None:
        opinion.published_at = now
        opinion.save(update_fields=["published_at"])
        _event(opinion, actor, "opinion_published", "向社会公开", opinion.state, now)
    return opinion
