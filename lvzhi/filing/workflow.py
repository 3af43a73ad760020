"""The filing workflow (kind `filing`): intake and form review, distribution with the 法工委
leading and the committees giving opinions, findings against the criteria, and the outcome state
machine of 北京 第二十九至三十五条 (see states.py for the diagram, docs/filing.md for the guide).

Clocks: FORM_REVIEW (case) from filing; SUPPLEMENT (case) while material is asked for;
DISTRIBUTE (case, 5 working days) from registration; REVIEW on the 法工委's lead assignment,
counted from registration; COMMITTEE_OPINION on each committee's co assignment; REFILE, ANSWER
and CORRECTION_REPORT (case) on the maker.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from lvzhi.cases import deadlines, numbers
from lvzhi.cases.handling import HandlingSpec, handling_transitions, notify_office, notify_relation, notify_units
from lvzhi.cases.handling.co_opinion import close_co_opinions
from lvzhi.cases.kinds import CaseKind, Relations, register_kind
from lvzhi.cases.models import Assignment, AssignmentRole, AssignmentState, Case
from lvzhi.cases.workflow import Context, InvalidInput, Workflow, WrongState, transition
from lvzhi.core.models import Organization, OrganizationKind
from lvzhi.filing import clocks, forms, permissions
from lvzhi.filing.choices import Attachment, Criterion, DocKind, Outcome
from lvzhi.filing.intake import late_days, sha256_of
from lvzhi.filing.models import FilingAttachment, FilingDetail, Finding
from lvzhi.filing.states import (
    COMMUNICATING,
    CORRECTION_ORDERED,
    ENDED,
    FILED,
    HANDLING,
    OPINION_SENT,
    PROPOSED,
    REGISTERED,
    RETURNED,
    REVIEWING,
    REVOKED,
    STATES,
    SUPPLEMENTING,
    SUSPENDED,
    TERMINATED,
)

KIND = permissions.KIND
OUTCOME_STATES = [HANDLING, COMMUNICATING, OPINION_SENT]
# The maker's clocks, all stopped when a review ends.
CASE_CLOCKS = [clocks.FORM_REVIEW, clocks.SUPPLEMENT, clocks.DISTRIBUTE, clocks.REFILE, clocks.ANSWER,
               clocks.CORRECTION_REPORT]


def format_number(case: Case, seq: int) -> str:
    year = (case.submitted_at or case.created_at).year
    return f"备{year}第{seq:03d}号"


def detail_of(ctx: Context) -> FilingDetail:
    return ctx.case.filing_detail


def attach(ctx: Context, kind: str, f) -> FilingAttachment:
    """Keep an upload (each is kept; a later one never replaces an earlier one)."""
    a = FilingAttachment(case=ctx.case, kind=kind, name=f.name[:200], size=f.size, sha256=sha256_of(f),
                         uploaded_by=ctx.actor, uploaded_at=ctx.now)
    a.file.save(f.name, f, save=False)
    a.save()
    return a


def tell_filer(ctx: Context, text: str) -> None:
    notify_relation(ctx, "filer", text)


# ---------------------------------------------------------------------------- intake & form review

def open_effect(ctx: Context) -> str:
    d, case = ctx.data, ctx.case
    case.title, case.body, case.submitter, case.submitted_at = d["title"], d["summary"], ctx.actor, ctx.now
    case.category = DocKind(d["doc_kind"]).label  # the badge on the case page says it in Chinese
    case.save()
    due, late = late_days(d["published_on"], ctx.today, ctx.rules, ctx.calendar)
    number = d["number"]
    try:
        with transaction.atomic():  # the constraint makes a concurrent duplicate fail here, not twice
            FilingDetail.objects.create(
                case=case, body=d["body"], doc_kind=d["doc_kind"], doc_number=str(number), doc_year=number.year,
                doc_seq=number.seq, published_on=d["published_on"], filing_due_on=due, late_days=late,
                basis=d["basis"], subjects=d.get("subjects", ""))
    except IntegrityError:
        raise InvalidInput(f"{number} 已经报送备案，不能重复报送",
                           {"doc_number": [f"{number} 已经报送备案，不能重复报送"]}) from None
    attach(ctx, Attachment.TEXT, d["text_file"])
    attach(ctx, Attachment.EXPLANATION, d["explanation_file"])
    if d.get("basis_file"):
        attach(ctx, Attachment.BASIS, d["basis_file"])
    deadlines.start_clock(case, clocks.FORM_REVIEW, ctx.today, ctx.rules, ctx.calendar)
    ctx.payload.update(doc_number=str(number), body=d["body"].name, published_on=d["published_on"].isoformat(),
                       filing_due_on=due.isoformat(), late_days=late, late_reason=d.get("late_reason", ""),
                       summary=f"{d['body'].name} 报送 {number}" + (f"，逾期{late}天" if late else ""))
    notify_office(ctx, f"新报送备案：{number} {case.title}" + (f"（逾期{late}天）" if late else ""))
    return FILED


def register_effect(ctx: Context) -> str:
    case = ctx.case
    case.number = numbers.next_number(case)
    case.registered_at = ctx.now
    deadlines.meet_clocks(case, [clocks.FORM_REVIEW], ctx.now)
    deadlines.start_clock(case, clocks.DISTRIBUTE, ctx.today, ctx.rules, ctx.calendar)
    ctx.payload.update(number=case.number, note=ctx.data.get("note", ""))
    tell_filer(ctx, f"备案回执：{detail_of(ctx).doc_number}《{case.title}》已登记，备案号 {case.number}")
    return REGISTERED


def ask_supplement_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    detail.supplement_request = ctx.data["request"]
    detail.save(update_fields=["supplement_request"])
    deadlines.meet_clocks(ctx.case, [clocks.FORM_REVIEW], ctx.now)
    due = deadlines.start_clock(ctx.case, clocks.SUPPLEMENT, ctx.today, ctx.rules, ctx.calendar).due_on
    ctx.payload.update(request=ctx.data["request"], due_on=due.isoformat(), summary=f"需补充：{ctx.data['request']}")
    tell_filer(ctx, f"请于{due:%Y年%m月%d日}前补充备案材料：{detail.doc_number}（{ctx.data['request'][:60]}）")
    return SUPPLEMENTING


def supplement_effect(ctx: Context) -> str:
    a = attach(ctx, Attachment.SUPPLEMENT, ctx.data["file"])
    deadlines.meet_clocks(ctx.case, [clocks.SUPPLEMENT], ctx.now)
    deadlines.start_clock(ctx.case, clocks.FORM_REVIEW, ctx.today, ctx.rules, ctx.calendar)
    ctx.payload.update(file=a.name, note=ctx.data.get("note", ""), summary=f"补充材料：{a.name}")
    notify_office(ctx, f"{detail_of(ctx).body.name} 已补充材料：{detail_of(ctx).doc_number}")
    return FILED


def return_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    detail.return_reason = ctx.data["reason"]
    detail.outcome_at = ctx.now
    detail.save(update_fields=["return_reason", "outcome_at"])
    deadlines.cancel_clocks(ctx.case, CASE_CLOCKS)
    ctx.case.closed_at = ctx.now
    ctx.payload.update(reason=ctx.data["reason"])
    tell_filer(ctx, f"{detail.doc_number} 不属于备案范围，已退回：{ctx.data['reason']}")
    return RETURNED


# ---------------------------------------------------------------------------- the review

def office_org(case: Case) -> Organization:
    org = Organization.objects.filter(congress_id=case.congress_id, function=permissions.OFFICE,
                                      is_active=True).first()
    if org is None:
        raise WrongState("本级人大常委会没有设置法制工作委员会，不能分送审查")
    return org


def lead_assignment(case: Case) -> Assignment | None:
    return case.assignments.filter(role=AssignmentRole.LEAD).exclude(state=AssignmentState.WITHDRAWN).first()


def start_review_clock(ctx: Context, lead: Assignment) -> None:
    # 三个月 from 备案登记 in the first round; from the refiling (or the request) in a later one.
    start = ctx.case.registered_at.date() if ctx.case.round == 1 and ctx.case.registered_at else ctx.today
    deadlines.start_clock(ctx.case, clocks.REVIEW, start, ctx.rules, ctx.calendar, assignment=lead)


def distribute_effect(ctx: Context) -> str:
    case = ctx.case
    # The 法工委 leads what it distributes itself: received at once; each committee signs (签收).
    lead = Assignment.objects.create(case=case, unit=office_org(case), role=AssignmentRole.LEAD,
                                     assigned_on=ctx.today, assigned_by=ctx.actor, received_at=ctx.now,
                                     received_by=ctx.actor)
    start_review_clock(ctx, lead)
    committees = list(ctx.data["committees"])
    for unit in committees:
        a = Assignment.objects.create(case=case, unit=unit, role=AssignmentRole.CO, assigned_on=ctx.today,
                                      assigned_by=ctx.actor)
        deadlines.start_clock(case, clocks.COMMITTEE_OPINION, ctx.today, ctx.rules, ctx.calendar, assignment=a)
    late = deadlines.open_clocks(case, [clocks.DISTRIBUTE]).filter(due_on__lt=ctx.today).exists()
    deadlines.meet_clocks(case, [clocks.DISTRIBUTE], ctx.now)
    opinion_due = deadlines.compute_due(clocks.COMMITTEE_OPINION, ctx.today, ctx.rules, ctx.calendar)
    ctx.payload.update(units=[{"unit": lead.unit.name, "role": "牵头审查"}]
                       + [{"unit": u.name, "role": "专委审查"} for u in committees],
                       late=late, note=ctx.data.get("note", ""),
                       summary="分送 " + "、".join(u.name for u in committees) + "，法制工作委员会牵头")
    notify_units(ctx, [u.pk for u in committees],
                 f"备案审查：{case.number} {case.title}，请于{opinion_due:%Y年%m月%d日}前提出审查意见")
    return HANDLING


def record_finding_effect(ctx: Context) -> None:
    actor_org = ctx.actor.organization if ctx.actor and ctx.actor.organization_id else office_org(ctx.case)
    f = Finding.objects.create(case=ctx.case, criterion=ctx.data["criterion"], provision=ctx.data["provision"],
                               upper_law=ctx.data.get("upper_law", ""), reason=ctx.data["reason"],
                               organization=actor_org, by=ctx.actor, at=ctx.now, round=ctx.case.round,
                               obvious=bool(ctx.data.get("obvious")))
    ctx.payload.update(finding_id=f.pk, criterion=f.get_criterion_display(), provision=f.provision,
                       upper_law=f.upper_law, obvious=f.obvious, unit=actor_org.name,
                       summary=f"{f.provision}：{Criterion(f.criterion).label}。{f.reason[:150]}")
    if actor_org.function != permissions.OFFICE:
        notify_office(ctx, f"{actor_org.name} 对 {ctx.case.number} 记录了审查发现：{f.get_criterion_display()}")


def extend_review_effect(ctx: Context) -> None:
    lead = lead_assignment(ctx.case)
    clock = deadlines.open_clocks(ctx.case, [clocks.REVIEW], lead).first() if lead else None
    if clock is None:
        raise WrongState("该备案文件没有进行中的审查期限，无需延长")
    most = clocks.REVIEW_MAX_EXTENSION_MONTHS
    if clock.extension_months + ctx.data["months"] > most:
        left = most - clock.extension_months
        tail = f"，最多还可延长{left}个月" if left else "，已不能再延长"
        raise InvalidInput(f"审查期限延长累计不得超过{most}个月{tail}", {"months": [f"最多还可延长{left}个月"]})
    old = clock.due_on
    deadlines.extend_clock(clock, ctx.data["months"], ctx.rules, ctx.calendar)
    ctx.payload.update(old_due=old.isoformat(), new_due=clock.due_on.isoformat(), reason=ctx.data["reason"],
                       summary=f"审查期限延长至{clock.due_on:%Y年%m月%d日}：{ctx.data['reason']}")


def has_findings(case: Case) -> bool:
    return Finding.objects.filter(case=case, round__lte=case.round).exists()


def needs_findings(ctx: Context) -> None:
    if not has_findings(ctx.case):
        raise WrongState("尚未记录审查发现，请先按审查标准记录存在的问题及理由")


def end_review(ctx: Context, outcome: str, text: str, public: bool = False) -> None:
    case, detail = ctx.case, detail_of(ctx)
    detail.outcome, detail.outcome_text, detail.outcome_at = outcome, text, ctx.now
    detail.outcome_public = public or outcome == Outcome.REVOKED
    detail.save(update_fields=["outcome", "outcome_text", "outcome_at", "outcome_public"])
    lead = lead_assignment(case)
    if lead is not None:
        deadlines.meet_clocks(case, [clocks.REVIEW], ctx.now, assignment=lead)
        lead.state = AssignmentState.REPLIED
        lead.save(update_fields=["state"])
    close_co_opinions(ctx, "审查已结束")
    deadlines.cancel_clocks(case, CASE_CLOCKS)
    case.closed_at = ctx.now
    ctx.payload.update(outcome=Outcome(outcome).label, text=text, public=detail.outcome_public)
    tell_filer(ctx, f"{detail.doc_number}《{case.title}》审查结果：{Outcome(outcome).label}。{text[:100]}")


def terminate_guard(ctx: Context) -> None:
    if ctx.data["outcome"] == Outcome.NO_PROBLEM and Finding.objects.filter(
            case=ctx.case, round=ctx.case.round).exists():
        raise InvalidInput("本轮审查已记录问题，不能以“未发现问题”终止审查；请选择纠正后终止或继续处理",
                           {"outcome": ["本轮审查已记录问题"]})
    if ctx.data["outcome"] != Outcome.NO_PROBLEM and not has_findings(ctx.case):
        raise InvalidInput("没有记录审查发现，只能以“未发现问题”终止审查", {"outcome": ["没有记录审查发现"]})


def terminate_effect(ctx: Context) -> str:
    end_review(ctx, ctx.data["outcome"], ctx.data["text"], bool(ctx.data.get("public")))
    return TERMINATED


def communicate_effect(ctx: Context) -> str:
    ctx.payload.update(text=ctx.data["text"], summary=f"与制定机关沟通：{ctx.data['text'][:150]}")
    tell_filer(ctx, f"关于{detail_of(ctx).doc_number}的审查沟通：{ctx.data['text'][:100]}，请研究并答复")
    return COMMUNICATING


def suspend(ctx: Context, plan: str, due) -> str:
    detail = detail_of(ctx)
    detail.correction_plan, detail.plan_due_on = plan, due
    detail.save(update_fields=["correction_plan", "plan_due_on"])
    lead = lead_assignment(ctx.case)
    if lead is not None:  # the review pauses while the maker corrects; refiling starts a new round
        deadlines.meet_clocks(ctx.case, [clocks.REVIEW], ctx.now, assignment=lead)
    refile_due = deadlines.start_clock(ctx.case, clocks.REFILE, ctx.today, ctx.rules, ctx.calendar).due_on
    ctx.payload.update(plan=plan, plan_due_on=due.isoformat(), refile_due=refile_due.isoformat(),
                       summary=f"书面处理计划：{plan[:150]}（{due:%Y年%m月%d日}前完成）")
    notify_office(ctx, f"{detail.body.name} 同意修改 {detail.doc_number}，审查中止")
    tell_filer(ctx, f"{detail.doc_number} 审查中止，请于{refile_due:%Y年%m月%d日}前将修改后的文件报送备案")
    return SUSPENDED


def agree_plan_effect(ctx: Context) -> str:
    if ctx.data.get("file"):
        attach(ctx, Attachment.PLAN, ctx.data["file"])
    return suspend(ctx, ctx.data["plan"], ctx.data["plan_due_on"])


def disagree_effect(ctx: Context) -> str:
    ctx.payload.update(reason=ctx.data["reason"], summary=f"制定机关不同意修改：{ctx.data['reason'][:150]}")
    notify_office(ctx, f"{detail_of(ctx).body.name} 不同意修改 {detail_of(ctx).doc_number}：{ctx.data['reason'][:60]}")
    return HANDLING


def reopen_round(ctx: Context) -> None:
    case = ctx.case
    case.round += 1
    case.closed_at = None
    lead = lead_assignment(case)
    if lead is None:
        lead = Assignment.objects.create(case=case, unit=office_org(case), role=AssignmentRole.LEAD,
                                         assigned_on=ctx.today, assigned_by=ctx.actor)
    lead.state = AssignmentState.HANDLING
    lead.save(update_fields=["state"])
    deadlines.start_clock(case, clocks.REVIEW, ctx.today, ctx.rules, ctx.calendar, assignment=lead)


def refile_effect(ctx: Context) -> str:
    a = attach(ctx, Attachment.REVISED, ctx.data["file"])
    deadlines.meet_clocks(ctx.case, [clocks.REFILE], ctx.now)
    reopen_round(ctx)
    ctx.payload.update(file=a.name, note=ctx.data["note"], round=ctx.case.round,
                       summary=f"报送修改后文本：{ctx.data['note'][:150]}")
    notify_office(ctx, f"{detail_of(ctx).body.name} 已报送修改后的 {detail_of(ctx).doc_number}，请继续审查")
    return HANDLING


def send_opinion_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    detail.opinion_text, detail.opinion_sent_at = ctx.data["text"], ctx.now
    detail.save(update_fields=["opinion_text", "opinion_sent_at"])
    due = deadlines.start_clock(ctx.case, clocks.ANSWER, ctx.today, ctx.rules, ctx.calendar).due_on
    ctx.payload.update(text=ctx.data["text"], answer_due=due.isoformat(),
                       summary=f"书面审查意见：{ctx.data['text'][:150]}")
    tell_filer(ctx, f"关于{detail.doc_number}的书面审查意见已发出，请于{due:%Y年%m月%d日}前提出书面处理意见")
    return OPINION_SENT


def answer_effect(ctx: Context) -> str:
    deadlines.meet_clocks(ctx.case, [clocks.ANSWER], ctx.now)
    ctx.payload.update(decision=ctx.data["decision"], text=ctx.data["text"])
    if ctx.data["decision"] == "accept":
        return suspend(ctx, ctx.data["text"], ctx.data["plan_due_on"])
    ctx.payload["summary"] = f"不同意修改：{ctx.data['text'][:150]}"
    notify_office(ctx, f"{detail_of(ctx).body.name} 对书面审查意见不同意修改：{detail_of(ctx).doc_number}")
    return HANDLING


def propose_effect(ctx: Context) -> str:
    from lvzhi.filing.choices import CouncilOption

    detail = detail_of(ctx)
    detail.council_option = ctx.data["option"]
    detail.save(update_fields=["council_option"])
    deadlines.cancel_clocks(ctx.case, [clocks.ANSWER])
    label = CouncilOption(ctx.data["option"]).label
    ctx.payload.update(option=label, reason=ctx.data["reason"], summary=f"提请主任会议：{label}")
    notify_relation(ctx, "leader", f"备案审查提请主任会议：{ctx.case.number} {ctx.case.title}（{label}）")
    return PROPOSED


def decide_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    ctx.payload.update(decision=ctx.data["decision"], text=ctx.data["text"])
    if ctx.data["decision"] == "revoke":
        end_review(ctx, Outcome.REVOKED, ctx.data["text"], public=True)
        ctx.case.is_public = True
        return REVOKED
    due = deadlines.start_clock(ctx.case, clocks.CORRECTION_REPORT, ctx.today, ctx.rules, ctx.calendar).due_on
    detail.outcome_text = ctx.data["text"]
    detail.save(update_fields=["outcome_text"])
    ctx.payload.update(report_due=due.isoformat(), summary=f"常委会决定限期修改或者废止：{ctx.data['text'][:150]}")
    tell_filer(ctx, f"常委会决定{detail.doc_number}限期修改或者废止，请于{due:%Y年%m月%d日}前书面报告处理情况")
    return CORRECTION_ORDERED


def report_correction_effect(ctx: Context) -> str:
    if ctx.data.get("file"):
        attach(ctx, Attachment.REPORT, ctx.data["file"])
    deadlines.meet_clocks(ctx.case, [clocks.CORRECTION_REPORT], ctx.now)
    notify_office(ctx, f"{detail_of(ctx).body.name} 报告了 {detail_of(ctx).doc_number} 的纠正情况")
    end_review(ctx, Outcome.ORDERED_CORRECTED, ctx.data["text"], public=True)
    return TERMINATED


def stop_guard(ctx: Context) -> None:
    if not Finding.objects.filter(case=ctx.case, obvious=True).exists():
        raise WrongState("只有记录了“明显违反法律法规”的审查发现，才能通知停止执行")
    if detail_of(ctx).stop_ordered_at:
        raise WrongState("已经发出停止执行通知")


def stop_effect(ctx: Context) -> None:
    detail = detail_of(ctx)
    detail.stop_ordered_at, detail.stop_order_text = ctx.now, ctx.data["text"]
    detail.save(update_fields=["stop_ordered_at", "stop_order_text"])
    ctx.payload.update(text=ctx.data["text"], summary=f"通知停止执行：{ctx.data['text'][:150]}")
    tell_filer(ctx, f"{detail.doc_number} 明显违反法律法规，请立即停止执行：{ctx.data['text'][:100]}")


def link_effect(ctx: Context) -> None:
    others = list(ctx.data["others"])
    detail = detail_of(ctx)
    detail.same_defect.add(*FilingDetail.objects.filter(case__in=others))
    ctx.payload.update(others=[c.number for c in others], note=ctx.data.get("note", ""),
                       summary="关联存在相同问题的文件：" + "、".join(c.number for c in others))


def take_request_effect(ctx: Context) -> str | None:
    req: Case = ctx.data["request"]
    ctx.payload.update(request_id=req.pk, request=req.number or req.title)
    if ctx.case.state in ENDED:  # 依申请审查 of a document already reviewed: a new round
        reopen_round(ctx)
        detail = detail_of(ctx)
        detail.outcome, detail.outcome_at = "", None
        detail.save(update_fields=["outcome", "outcome_at"])
        ctx.payload.update(round=ctx.case.round, summary=f"受理审查建议，重新启动审查（第{ctx.case.round}轮）")
        tell_filer(ctx, f"根据审查建议，{detail.doc_number} 重新启动审查")
        return HANDLING
    ctx.payload["summary"] = "受理审查建议，一并审查"
    return None


# ---------------------------------------------------------------------------- tables

SPEC = HandlingSpec(unit_kinds=(OrganizationKind.COMMITTEE, OrganizationKind.WORKING_BODY),
                    handler_relations=("assignee",), head_relations=("assignee",), reassign_window="",
                    reply_clock=clocks.REVIEW, co_opinion_clock=clocks.COMMITTEE_OPINION)

OWN = [
    transition("open", "报送备案", [""], FILED, ["filer"], form=forms.FileForm, effect=open_effect),
    transition("register", "登记并出具回执", [FILED], REGISTERED, ["office"], form=forms.RegisterForm,
               effect=register_effect, style="success"),
    transition("ask_supplement", "要求补充材料", [FILED], SUPPLEMENTING, ["office"],
               form=forms.SupplementRequestForm, effect=ask_supplement_effect, style="outline-warning"),
    transition("supplement", "补充材料", [SUPPLEMENTING], FILED, ["filer"], form=forms.SupplementForm,
               effect=supplement_effect),
    transition("return_out_of_scope", "不属于备案范围，退回", [FILED, SUPPLEMENTING], RETURNED, ["office"],
               form=forms.ReasonForm, effect=return_effect, style="outline-danger"),
    transition("distribute", "分送审查", [REGISTERED], HANDLING, ["office"], form=forms.DistributeForm,
               effect=distribute_effect),
    transition("record_finding", "记录审查发现", OUTCOME_STATES, None, ["office", "assignee"],
               form=forms.FindingForm, effect=record_finding_effect, style="outline-danger"),
    transition("extend_review", "延长审查期限", [HANDLING, COMMUNICATING, OPINION_SENT], None, ["office"],
               form=forms.ExtendReviewForm, effect=extend_review_effect, style="outline-secondary"),
    transition("link_same_defect", "关联相同问题文件", OUTCOME_STATES + [PROPOSED], None, ["office"],
               form=forms.LinkForm, effect=link_effect, style="outline-secondary"),
    transition("terminate", "审查终止", [HANDLING], TERMINATED, ["office"], form=forms.TerminateForm,
               guard=terminate_guard, effect=terminate_effect, style="success"),
    transition("communicate", "与制定机关沟通", [HANDLING], COMMUNICATING, ["office"], form=forms.CommunicateForm,
               guard=needs_findings, effect=communicate_effect, style="outline-primary"),
    transition("agree_plan", "同意修改并提出书面处理计划", [COMMUNICATING], SUSPENDED, ["filer"],
               form=forms.PlanForm, effect=agree_plan_effect, style="success"),
    transition("disagree", "不同意修改", [COMMUNICATING], HANDLING, ["filer"], form=forms.ReasonForm,
               effect=disagree_effect, style="outline-danger"),
    transition("refile", "报送修改后的文件", [SUSPENDED], HANDLING, ["filer"], form=forms.RefileForm,
               effect=refile_effect),
    transition("send_opinion", "发出书面审查意见", [HANDLING, COMMUNICATING], OPINION_SENT, ["office"],
               form=forms.OpinionForm, guard=needs_findings, effect=send_opinion_effect, style="outline-danger"),
    transition("answer", "提出书面处理意见", [OPINION_SENT], None, ["filer"], form=forms.AnswerForm,
               effect=answer_effect),
    transition("propose_to_council", "提请主任会议", [HANDLING, OPINION_SENT], PROPOSED, ["office"],
               form=forms.ProposeForm, guard=needs_findings, effect=propose_effect, style="outline-danger"),
    transition("decide", "常委会决定", [PROPOSED], None, ["leader"], form=forms.DecideForm, effect=decide_effect,
               style="danger"),
    transition("report_correction", "报告纠正情况", [CORRECTION_ORDERED], TERMINATED, ["filer"],
               form=forms.CorrectionReportForm, effect=report_correction_effect),
    transition("order_stop", "通知停止执行", OUTCOME_STATES + [PROPOSED], None, ["office"], form=forms.StopOrderForm,
               guard=stop_guard, effect=stop_effect, style="danger"),
    transition("take_request", "受理审查建议", REVIEWING + ENDED, None, ["office"], form=forms.TakeRequestForm,
               effect=take_request_effect, style="outline-secondary"),
]
# Shared: the committees' 签收 and opinions (提交会办意见, on the COMMITTEE_OPINION clock).
WORKFLOW = Workflow(OWN + handling_transitions(SPEC, without=(
    "assign", "reassign", "extend", "contact", "replies", "evaluation", "close_out", "commitments",
    "supervision", "publication", "urge")))

RELATIONS = Relations(raised_by="office", office=permissions.OFFICE, raiser="filer", own=permissions.RELATIONS)


def api_detail(case: Case) -> dict[str, Any]:
    d = getattr(case, "filing_detail", None)
    if d is None:
        return {}
    return {
        "body": d.body.name, "doc_kind": d.get_doc_kind_display(), "doc_number": d.doc_number,
        "published_on": d.published_on.isoformat(), "filing_due_on": d.filing_due_on.isoformat(),
        "late_days": d.late_days, "basis": d.basis, "outcome": d.get_outcome_display() or None,
        "findings": [{"criterion": f.get_criterion_display(), "provision": f.provision, "upper_law": f.upper_law,
                      "reason": f.reason, "round": f.round} for f in case.filing_findings.all()],
        "attachments": [{"kind": a.get_kind_display(), "name": a.name, "size": a.size}
                        for a in case.filing_attachments.all()],
    }


def register() -> None:
    from lvzhi.filing import demo, figures, nav, todos

    register_kind(CaseKind(
        KIND, "备案审查", WORKFLOW, STATES, RELATIONS, detail_model=FilingDetail, detail_name="filing_detail",
        clocks=clocks.CODES, visibility=permissions.visibility, format_number=format_number,
        open_form=forms.FileForm, detail_template="filing/_panel.html", api_detail=api_detail,
        figures=figures.FIGURES, nav=nav.NAV, demo=demo.build, handling=SPEC, links=nav.links,
        words={"answer": "审查", "raiser": "制定机关", "units": "审查机构", "badge": "备案审查"},
        todos=todos.TODOS))
