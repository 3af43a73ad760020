"""The problem workflow (问题清单, RULES.md §3.3): the committee drafts each problem of an
审议意见, the 办公厅 lists and assigns it, the units rectify and report, the committee
evaluates and proposes 销号, the 主任会议 approves, and the 办公厅's 回头看 may reopen it.

drafting ──enlist──▶ registered ──assign──▶ handling ──submit_rectification──▶ replied
  (edit, cancel)                  (acknowledge, report_progress,     │ evaluate
                                    give_co_opinion, urge)           ▼
handling ◀──不满意── replied ──满意/基本满意──▶ evaluated ──propose_close_out──▶ close_proposed
handling ◀──退回── close_proposed ──close_out(同意)──▶ closed ──revisit(问题反弹)──▶ handling
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from lvzhi.cases import deadlines
from lvzhi.cases.handling import HandlingSpec, handling_transitions, notify_relation, notify_units
from lvzhi.cases.handling.close_out import CloseOutForm, close_out_effect
from lvzhi.cases.handling.evaluation import reopen
from lvzhi.cases.kinds import CaseKind, NavEntry, Relations, register_kind
from lvzhi.cases.models import Assignment, AssignmentState, Case, CaseNumberCounter, Evaluation, Verdict
from lvzhi.cases.workflow import Context, Workflow, WrongState, transition
from lvzhi.core.models import OrganizationKind, Role
from lvzhi.supervision import clocks, permissions
from lvzhi.supervision.forms import (
    ANSWERING,
    EvaluateRectifyForm,
    ProblemForm,
    ProgressForm,
    ProposeCloseOutForm,
    ReasonForm,
    RectifyReportForm,
)
from lvzhi.supervision.models import ProblemDetail, RectifyReport
from lvzhi.supervision.permissions import KIND, OFFICE
from lvzhi.supervision.states import (
    CANCELLED,
    CLOSE_PROPOSED,
    DRAFTING,
    EVALUATED,
    HANDLING,
    REGISTERED,
    REPLIED,
    STATES,
)

# ---------------------------------------------------------------------------- numbers


def format_number(case: Case, seq: int) -> str:
    listed = getattr(case, "registered_at", None) or case.submitted_at or case.created_at
    return f"{timezone.localtime(listed):%Y}年问题第{seq:03d}号"


def next_number(case: Case) -> str:
    """Gap-free per year of listing: the counter row is locked inside the listing transaction."""
    key = {"congress_id": case.congress_id, "kind": KIND,
           "series": f"year-{timezone.localtime(case.registered_at):%Y}"}
    try:
        with transaction.atomic():
            CaseNumberCounter.objects.get_or_create(**key)
    except IntegrityError:  # created by a concurrent listing in the meantime
        pass
    counter = CaseNumberCounter.objects.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_number(case, counter.last)


# ---------------------------------------------------------------------------- drafting

def write_problem(ctx: Context, detail: ProblemDetail) -> None:
    """The form's fields onto the case and its detail (drafting only: nothing is assigned yet)."""
    d, case = ctx.data, ctx.case
    case.title, case.body = d["title"], d["body"]
    case.save()
    detail.opinion, detail.requirement, detail.due_on = d.get("opinion"), d.get("requirement", ""), d["due_on"]
    detail.save()
    ctx.payload.update(title=case.title, due_on=detail.due_on.isoformat(),
                       opinion=detail.opinion.title if detail.opinion else "")


def open_effect(ctx: Context) -> str:
    ctx.case.submitter = ctx.actor
    # the detail row is the case's own: set on the instance so the caller reads it at once
    ctx.case.problem_detail = ProblemDetail(case=ctx.case, committee_id=ctx.actor.organization_id,
                                            due_on=ctx.data["due_on"])
    write_problem(ctx, ctx.case.problem_detail)
    ctx.payload["committee"] = ctx.actor.organization.name
    return DRAFTING


def edit_effect(ctx: Context) -> None:
    write_problem(ctx, ctx.case.problem_detail)


def enlist_effect(ctx: Context) -> str:
    case = ctx.case
    case.registered_at = case.submitted_at = ctx.now
    case.number = next_number(case)
    ctx.payload["number"] = case.number
    notify_relation(ctx, "committee", f"问题已列入问题清单：{case.number} {case.title}")
    return REGISTERED


def cancel_effect(ctx: Context) -> str:
    ctx.payload["reason"] = ctx.data["reason"]
    return CANCELLED


# ---------------------------------------------------------------------------- rectifying

def report_progress_effect(ctx: Context) -> None:
    a: Assignment = ctx.data["assignment"]
    report = RectifyReport.objects.create(
        case=ctx.case, unit=a.unit, round=ctx.case.round, text=ctx.data["text"],
        percent=ctx.data["percent"], evidence=ctx.data.get("evidence", ""), reported_by=ctx.actor,
        reported_at=ctx.now)
    ctx.payload.update(unit=a.unit.name, report_id=report.pk, percent=report.percent,
                       summary=f"整改进度{report.percent}%：{report.text[:180]}")
    notify_relation(ctx, "committee", f"{a.unit.name} 报送了“{ctx.case.title}”的整改进展（{report.percent}%）")


def rectifying(case: Case):
    return Assignment.objects.filter(case=case, role__in=ANSWERING, state=AssignmentState.HANDLING)


def submit_rectification_effect(ctx: Context) -> str | None:
    """One unit's 整改报告: its clocks are met; when no responsible unit is still rectifying,
    the problem goes to the committee for evaluation."""
    a: Assignment = ctx.data["assignment"]
    report = RectifyReport.objects.create(
        case=ctx.case, unit=a.unit, round=ctx.case.round, final=True, text=ctx.data["text"], percent=100,
        evidence=ctx.data["evidence"], reported_by=ctx.actor, reported_at=ctx.now)
    a.state = AssignmentState.REPLIED
    a.save(update_fields=["state"])
    deadlines.meet_clocks(ctx.case, [clocks.RECTIFY_DUE, clocks.REWORK], ctx.now, assignment=a)
    late = any(d.due_on < ctx.today for d in deadlines.open_clocks(ctx.case, [clocks.RECTIFY_DUE], a))
    ctx.payload.update(unit=a.unit.name, report_id=report.pk, late=late,
                       summary=f"整改报告：{report.text[:180]}")
    if rectifying(ctx.case).exclude(pk=a.pk).exists():
        return None
    notify_relation(ctx, "committee", f"“{ctx.case.title}”的整改报告已报送，请评价")
    return REPLIED


def evaluate_effect(ctx: Context) -> str:
    verdict = ctx.data["verdict"]
    Evaluation.objects.create(case=ctx.case, round=ctx.case.round, verdict=verdict,
                              comment=ctx.data.get("comment", ""), by=ctx.actor, at=ctx.now)
    ctx.payload.update(verdict=Verdict(verdict).label, comment=ctx.data.get("comment", ""),
                       evaluated_round=ctx.case.round)
    if verdict == Verdict.UNSATISFIED:
        return reopen(ctx, "整改评价为不满意")
    return EVALUATED


def propose_close_out_effect(ctx: Context) -> str:
    detail = ctx.case.problem_detail
    detail.evidence, detail.evidence_at = ctx.data["evidence"], ctx.now
    detail.save(update_fields=["evidence", "evidence_at"])
    ctx.payload["summary"] = f"佐证：{detail.evidence[:200]}"
    notify_relation(ctx, "leader", f"问题提请销号：{ctx.case.number} {ctx.case.title}，请主任会议审定")
    return CLOSE_PROPOSED


def approve_close_out_effect(ctx: Context) -> str:
    state = close_out_effect(ctx)  # the shared 审定: close (回头看 clock) or reopen
    who = "已销号" if ctx.data["approve"] else "销号未获同意，重新整改"
    notify_relation(ctx, "committee", f"{ctx.case.number} {ctx.case.title}：{who}")
    if ctx.data["approve"]:
        notify_units(ctx, list(ctx.case.assignments.filter(role__in=ANSWERING).values_list("unit_id", flat=True)),
                     f"问题已销号：{ctx.case.title}")
    return state


def must_be_rectifying(ctx: Context) -> None:
    if not rectifying(ctx.case).exists():
        raise WrongState("该问题没有正在整改的责任单位")


# ---------------------------------------------------------------------------- tables

SPEC = HandlingSpec(
    revisit=True, reply_clock=clocks.RECTIFY_DUE, rehandle_clock=clocks.REWORK, reassign_window="",
    unit_kinds=(OrganizationKind.UNIT,), evaluated_label="整改报告已报送，请评价",
    fixed_due=lambda case: case.problem_detail.due_on)

OWN = [
    transition("open", "新增问题", [""], DRAFTING, ["committee"], form=ProblemForm, effect=open_effect),
    transition("edit", "修改", [DRAFTING], None, ["committee"], form=ProblemForm, effect=edit_effect,
               style="outline-primary"),
    transition("enlist", "列入问题清单", [DRAFTING], REGISTERED, ["office"], effect=enlist_effect,
               style="success"),
    transition("cancel", "撤销", [DRAFTING, REGISTERED], CANCELLED, ["office", "committee"], form=ReasonForm,
               effect=cancel_effect, style="outline-danger"),
    transition("report_progress", "报送整改进展", [HANDLING], None, ["unit_handler", "unit_head"],
               form=ProgressForm, guard=must_be_rectifying, effect=report_progress_effect),
    transition("submit_rectification", "报送整改报告", [HANDLING], None, ["unit_head"], form=RectifyReportForm,
               guard=must_be_rectifying, effect=submit_rectification_effect, style="success"),
    transition("evaluate", "评价整改", [REPLIED], None, ["committee"], form=EvaluateRectifyForm,
               effect=evaluate_effect),
    transition("propose_close_out", "提请销号", [EVALUATED], CLOSE_PROPOSED, ["committee"],
               form=ProposeCloseOutForm, effect=propose_close_out_effect, style="success"),
    transition("close_out", "审定销号", [CLOSE_PROPOSED], None, ["leader"], form=CloseOutForm,
               effect=approve_close_out_effect, style="success"),
]
SHARED_LEFT_OUT = ("reassign", "extend", "contact", "replies", "evaluation", "commitments",
                   "supervision", "publication")
WORKFLOW = Workflow(OWN + handling_transitions(SPEC, without=SHARED_LEFT_OUT))

RELATIONS = Relations(raised_by="committee", office=OFFICE, raiser="committee", closer="leader",
                      own=permissions.RELATIONS)

NAV = (NavEntry(Role.LEADER, "supervision:plan", "监督计划"),
       NavEntry(Role.CLERK, "supervision:plan", "监督计划", permissions.is_office),
       NavEntry(Role.COMMITTEE_STAFF, "supervision:plan", "监督计划"),
       NavEntry(Role.LEADER, "supervision:problems", "问题清单"),
       NavEntry(Role.CLERK, "supervision:problems", "问题清单", permissions.is_office),
       NavEntry(Role.COMMITTEE_STAFF, "supervision:problems", "问题清单"),
       # 满意度测评 (lvzhi.votes): who runs a vote and the 主任会议; members are sent to their
       # ballot by the meeting's link and see their open votes on the list page.
       NavEntry(Role.LEADER, "votes:list", "满意度测评"),
       NavEntry(Role.CLERK, "votes:list", "满意度测评", permissions.is_office),
       NavEntry(Role.COMMITTEE_STAFF, "votes:list", "满意度测评"))


def api_detail(case: Case) -> dict[str, Any]:
    d = getattr(case, "problem_detail", None)
    if d is None:
        return {}
    return {
        "committee": d.committee.name, "due_on": d.due_on.isoformat(), "requirement": d.requirement,
        "opinion": d.opinion.title if d.opinion_id else None,
        "topic": d.opinion.topic.title if d.opinion_id else None,
        "evidence": d.evidence or None,
        "reports": [{"unit": r.unit.name, "final": r.final, "round": r.round, "percent": r.percent,
                     "text": r.text, "evidence": r.evidence, "reported_at": r.reported_at.isoformat()}
                    for r in case.rectify_reports.all()],
    }


def register() -> None:
    from lvzhi.supervision import demo, figures, todos

    register_kind(CaseKind(
        KIND, "监督问题", WORKFLOW, STATES, RELATIONS, detail_model=ProblemDetail,
        detail_name="problem_detail", clocks=clocks.CODES, visibility=permissions.visibility,
        format_number=format_number, open_form=ProblemForm, detail_template="supervision/_panel.html",
        api_detail=api_detail, figures=figures.FIGURES, nav=NAV, demo=demo.build, handling=SPEC,
        words={"answer": "整改", "raiser": "监督委员会", "units": "责任单位", "badge": "监督问题",
               "evaluation": "整改评价"},
        todos=todos.TODOS))
