"""The key task workflow: the office's list, the 主任会议's approval, then the shared handling
table (交办 to a lead office, 会办意见, 销号 approved by the 主任会议) with the kind's own
调度, 进展报告, 工作节点 and 提请销号 in between.

drafting ──submit_for_approval──▶ pending_approval ──approve──▶ registered ──assign──▶ handling
   ▲  (edit, cancel)                 │ return_draft                              (dispatch,
   └─────────────────────────────────┘                                report_progress,
handling ──propose_close_out──▶ replied ──close_out(approve)──▶ closed     mark_milestone,
   ▲                               │ close_out(return)                       give_co_opinion)
   └───────────────────────────────┘
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from lvzhi.cases import deadlines
from lvzhi.cases.handling import HandlingSpec, handling_transitions, notify_office, notify_relation, notify_units
from lvzhi.cases.kinds import CaseKind, NavEntry, Relations, register_kind
from lvzhi.cases.models import Assignment, AssignmentState, Case, CaseNumberCounter
from lvzhi.cases.workflow import Context, InvalidInput, Workflow, WrongState, transition
from lvzhi.core.models import OrganizationKind, Role
from lvzhi.keytasks import clocks, permissions
from lvzhi.keytasks.forms import (
    DispatchForm,
    ImportedKeyTaskForm,
    KeyTaskForm,
    MarkMilestoneForm,
    NoteForm,
    ProposeCloseOutForm,
    ReasonForm,
    ReportProgressForm,
)
from lvzhi.keytasks.models import Dispatch, KeyTaskDetail, Milestone, ProgressReport
from lvzhi.keytasks.permissions import ANSWERING, KIND, OFFICE
from lvzhi.keytasks.states import CANCELLED, DRAFTING, HANDLING, PENDING, REGISTERED, REPLIED, STATES

# ---------------------------------------------------------------------------- numbers


def format_number(case: Case, seq: int) -> str:
    return f"{case.key_task_detail.year}年度第{seq:03d}项"


def next_number(case: Case) -> str:
    """Numbers follow the task's year (a 2027 list drafted in December 2026 counts from 001),
    gap-free: the counter row is locked inside the approving transaction."""
    key = {"congress_id": case.congress_id, "kind": KIND,
           "series": f"year-{case.key_task_detail.year}"}
    try:
        with transaction.atomic():
            CaseNumberCounter.objects.get_or_create(**key)
    except IntegrityError:  # created by a concurrent approval in the meantime
        pass
    counter = CaseNumberCounter.objects.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_number(case, counter.last)


# ---------------------------------------------------------------------------- drafting

def write_task(ctx: Context) -> KeyTaskDetail:
    """Write the form's fields onto the case, its detail and its milestones."""
    d, case = ctx.data, ctx.case
    case.title, case.body, case.category = d["title"], d["body"], d["category"]
    case.save()
    detail, _ = KeyTaskDetail.objects.update_or_create(case=case, defaults={
        "year": d["year"], "category": d["category"], "responsible_leader": d["responsible_leader"],
        "due_on": d["due_on"], "planned_lead": d.get("planned_lead")})
    detail.planned_co.set(d.get("planned_co") or [])
    case.milestones.all().delete()  # only while drafting: nothing is done yet
    Milestone.objects.bulk_create([Milestone(case=case, title=m["title"], due_on=m["due_on"])
                                   for m in d.get("milestones") or []])
    ctx.payload.update(title=case.title, year=detail.year, due_on=detail.due_on.isoformat(),
                       leader=detail.responsible_leader.name if detail.responsible_leader else "",
                       milestones=len(d.get("milestones") or []))
    return detail


def open_effect(ctx: Context) -> str:
    ctx.case.submitter = ctx.actor
    write_task(ctx)
    return DRAFTING


def open_imported_effect(ctx: Context) -> str:
    ctx.case.submitter = ctx.actor
    write_task(ctx)
    ctx.payload.update(file=ctx.data.get("file", ""), row=ctx.data.get("line"),
                       source_ref=ctx.case.source_ref)
    return DRAFTING


def edit_effect(ctx: Context) -> None:
    write_task(ctx)


def submit_effect(ctx: Context) -> str:
    ctx.case.submitted_at = ctx.now
    detail = ctx.case.key_task_detail
    if detail.returned_reason:
        detail.returned_reason = ""
        detail.save(update_fields=["returned_reason"])
    notify_relation(ctx, "leader", f"重点任务提请主任会议审定：{ctx.case.title}")
    return PENDING


def approve_effect(ctx: Context) -> str:
    case = ctx.case
    case.number = next_number(case)
    case.registered_at = ctx.now
    ctx.payload.update(number=case.number, note=ctx.data.get("note", ""))
    notify_office(ctx, f"重点任务已经主任会议审定：{case.number} {case.title}，请分解交办")
    notify_relation(ctx, "responsible_leader", f"您是重点任务“{case.title}”的责任领导（{case.number}）")
    return REGISTERED


def return_draft_effect(ctx: Context) -> str:
    detail = ctx.case.key_task_detail
    detail.returned_reason = ctx.data["reason"]
    detail.save(update_fields=["returned_reason"])
    ctx.payload["reason"] = ctx.data["reason"]
    notify_office(ctx, f"重点任务被主任会议退回修改：{ctx.case.title}（{ctx.data['reason']}）")
    return DRAFTING


def cancel_effect(ctx: Context) -> str:
    ctx.payload["reason"] = ctx.data["reason"]
    return CANCELLED


# ---------------------------------------------------------------------------- handling

def lead_assignments(case: Case):
    return Assignment.objects.filter(case=case, role__in=ANSWERING,
                                     state=AssignmentState.HANDLING).select_related("unit")


def dispatch_guard(ctx: Context) -> None:
    dispatch: Dispatch = ctx.data["dispatch"]
    if dispatch.due_on < ctx.today:
        raise InvalidInput(f"“{dispatch.title}”的报送截止日期{dispatch.due_on:%Y-%m-%d}已过")
    if not lead_assignments(ctx.case).exists():
        raise WrongState("该任务没有正在推进的牵头部门，不能调度")


def dispatch_effect(ctx: Context) -> None:
    dispatch: Dispatch = ctx.data["dispatch"]
    leads = list(lead_assignments(ctx.case))
    for a in leads:
        deadlines.start_clock(ctx.case, clocks.PROGRESS_REPORT, ctx.today, ctx.rules, ctx.calendar,
                              assignment=a, fixed_due_on=dispatch.due_on)
    dispatch.cases.add(ctx.case)
    ctx.payload.update(dispatch=dispatch.title, dispatch_id=dispatch.pk, due_on=dispatch.due_on.isoformat(),
                       unit="、".join(a.unit.name for a in leads),
                       note=f"{dispatch.due_on:%m月%d日}前报送进展" + (f"；{dispatch.note}" if dispatch.note else ""))
    notify_units(ctx, [a.unit_id for a in leads],
                 f"{dispatch.title}：请于{dispatch.due_on:%Y年%m月%d日}前报送“{ctx.case.title}”推进情况")


def report_progress_effect(ctx: Context) -> None:
    a: Assignment = ctx.data["assignment"]
    open_reports = list(deadlines.open_clocks(ctx.case, [clocks.PROGRESS_REPORT], a))
    on_time = all(d.due_on >= ctx.today for d in open_reports)
    deadlines.meet_clocks(ctx.case, [clocks.PROGRESS_REPORT], ctx.now, assignment=a)
    answered = ProgressReport.objects.filter(case=ctx.case, unit=a.unit, dispatch__isnull=False
                                             ).values("dispatch_id")
    dispatch = (Dispatch.objects.filter(cases=ctx.case).exclude(pk__in=answered)
                .order_by("-started_at", "-id").first()) if open_reports else None
    milestone: Milestone | None = ctx.data.get("milestone")
    if milestone is not None:
        milestone.done_at = ctx.now
        milestone.note = milestone.note or ctx.data["text"][:300]
        milestone.save(update_fields=["done_at", "note"])
    report = ProgressReport.objects.create(
        case=ctx.case, dispatch=dispatch, unit=a.unit, text=ctx.data["text"], percent=ctx.data["percent"],
        milestone=milestone, reported_by=ctx.actor, reported_at=ctx.now, on_time=on_time)
    ctx.payload.update(unit=a.unit.name, report_id=report.pk, percent=report.percent, on_time=on_time,
                       dispatch=dispatch.title if dispatch else "",
                       milestone=milestone.title if milestone else "",
                       summary=f"进度{report.percent}%：{report.text[:180]}"
                               + (f"（完成节点：{milestone.title}）" if milestone else ""))
    notify_office(ctx, f"{a.unit.name} 报送了“{ctx.case.title}”的进展（{report.percent}%）")


def mark_milestone_effect(ctx: Context) -> None:
    m: Milestone = ctx.data["milestone"]
    m.done_at, m.note = ctx.now, ctx.data.get("note", "")
    m.save(update_fields=["done_at", "note"])
    ctx.payload.update(milestone=m.title, summary=f"完成节点：{m.title}" + (f"（{m.note}）" if m.note else ""))
    notify_office(ctx, f"“{ctx.case.title}”完成工作节点：{m.title}")


def propose_guard(ctx: Context) -> None:
    if not lead_assignments(ctx.case).exists():
        raise WrongState("该任务没有正在推进的牵头部门，不能提请销号")


def propose_close_out_effect(ctx: Context) -> str:
    case, now = ctx.case, ctx.now
    detail = case.key_task_detail
    detail.evidence, detail.evidence_at = ctx.data["evidence"], now
    detail.save(update_fields=["evidence", "evidence_at"])
    leads = list(lead_assignments(case))
    for a in leads:
        a.state = AssignmentState.REPLIED
        a.save(update_fields=["state"])
        deadlines.meet_clocks(case, [clocks.KEY_TASK_DUE, clocks.REWORK], now, assignment=a)
    # An outstanding progress report is moot once the task is put up for 销号.
    deadlines.cancel_clocks(case, [clocks.PROGRESS_REPORT])
    undone = case.milestones.filter(done_at__isnull=True).count()
    ctx.payload.update(unit="、".join(a.unit.name for a in leads), undone_milestones=undone,
                       late=ctx.today > detail.due_on, summary=f"佐证：{detail.evidence[:200]}")
    notify_relation(ctx, "leader", f"重点任务提请销号：{case.number} {case.title}，请主任会议审定")
    return REPLIED


# ---------------------------------------------------------------------------- tables

SPEC = HandlingSpec(
    unit_kinds=(OrganizationKind.COMMITTEE, OrganizationKind.WORKING_BODY),
    handler_relations=("assignee",), head_relations=("assignee",), closer="leader",
    reassign_window="", co_opinion_clock="", reply_clock=clocks.KEY_TASK_DUE,
    rehandle_clock=clocks.REWORK, fixed_due=lambda case: case.key_task_detail.due_on)

OWN = [
    transition("open", "新增重点任务", [""], DRAFTING, ["office"], form=KeyTaskForm, effect=open_effect),
    transition("open_imported", "从清单导入", [""], DRAFTING, ["office"], form=ImportedKeyTaskForm,
               effect=open_imported_effect),
    transition("edit", "修改", [DRAFTING], None, ["office"], form=KeyTaskForm, effect=edit_effect,
               style="outline-primary"),
    transition("submit_for_approval", "提请主任会议审定", [DRAFTING], PENDING, ["office"],
               effect=submit_effect),
    transition("cancel", "撤销", [DRAFTING, PENDING], CANCELLED, ["office"], form=ReasonForm,
               effect=cancel_effect, style="outline-danger"),
    transition("approve", "审定通过", [PENDING], REGISTERED, ["leader"], form=NoteForm,
               effect=approve_effect, style="success"),
    transition("return_draft", "退回修改", [PENDING], DRAFTING, ["leader"], form=ReasonForm,
               effect=return_draft_effect, style="outline-warning"),
    transition("dispatch", "调度", [HANDLING], None, ["office"], form=DispatchForm, guard=dispatch_guard,
               effect=dispatch_effect, style="outline-primary"),
    transition("report_progress", "报送进展", [HANDLING], None, ["lead_office"], form=ReportProgressForm,
               effect=report_progress_effect),
    transition("mark_milestone", "节点完成", [HANDLING], None, ["lead_office"], form=MarkMilestoneForm,
               effect=mark_milestone_effect, style="outline-success"),
    transition("propose_close_out", "提请销号", [HANDLING], REPLIED, ["office"], form=ProposeCloseOutForm,
               guard=propose_guard, effect=propose_close_out_effect, style="success"),
]
SHARED_LEFT_OUT = ("reassign", "extend", "contact", "replies", "evaluation", "commitments",
                   "supervision", "publication")
WORKFLOW = Workflow(OWN + handling_transitions(SPEC, without=SHARED_LEFT_OUT))

RELATIONS = Relations(raised_by="office", office=OFFICE, closer="leader", own=permissions.RELATIONS)

NAV = (NavEntry(Role.LEADER, "keytasks:board", "重点任务"),
       NavEntry(Role.CLERK, "keytasks:board", "重点任务", permissions.concerns),
       NavEntry(Role.COMMITTEE_STAFF, "keytasks:board", "重点任务"))


def api_detail(case: Case) -> dict[str, Any]:
    d = case.detail
    if d is None:
        return {}
    last = d.last_report
    return {
        "year": d.year, "category": d.get_category_display(),
        "responsible_leader": d.responsible_leader.name if d.responsible_leader_id else None,
        "due_on": d.due_on.isoformat(),
        "planned_lead": d.planned_lead.name if d.planned_lead_id else None,
        "milestones": [{"title": m.title, "due_on": m.due_on.isoformat(),
                        "done_at": m.done_at.isoformat() if m.done_at else None}
                       for m in case.milestones.all()],
        "last_progress": None if last is None else {
            "percent": last.percent, "text": last.text, "unit": last.unit.name,
            "reported_at": last.reported_at.isoformat(), "on_time": last.on_time},
        "evidence": d.evidence or None,
    }


def links(user, case: Case) -> list[tuple[str, str, str]]:
    from django.urls import reverse

    if permissions.may_export(user):
        return [("重点任务清单", reverse("keytasks:board") + f"?year={case.key_task_detail.year}",
                 "bi-list-check")]
    return []


def register() -> None:
    from lvzhi.keytasks import demo, figures, todos

    register_kind(CaseKind(
        KIND, "年度重点任务", WORKFLOW, STATES, RELATIONS, detail_model=KeyTaskDetail,
        detail_name="key_task_detail", clocks=clocks.CODES, visibility=permissions.visibility,
        format_number=format_number, open_form=KeyTaskForm, detail_template="keytasks/_panel.html",
        api_detail=api_detail, figures=figures.FIGURES, nav=NAV, demo=demo.build, handling=SPEC,
        links=links, words={"answer": "完成", "raiser": "办公室", "units": "责任部门", "badge": "重点任务"},
        todos=todos.TODOS))
