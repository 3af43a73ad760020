"""The 审议意见 pages: draft for a topic, the opinion with its problems and the step the user
may take, and its Word document. Thin: parse, call lvzhi.supervision.opinions, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header

from lvzhi.cases.workflow import TransitionError
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role, User
from lvzhi.supervision import opinions, states
from lvzhi.supervision.documents import DOCX, opinion_docx, problems_of
from lvzhi.supervision.models import Opinion, OpinionState, Topic
from lvzhi.supervision.opinion_forms import DecideForm, OpinionForm, ReportForm, SendForm
from lvzhi.supervision.opinion_permissions import may_approve, may_draft, may_read, may_send
from lvzhi.supervision.permissions import is_committee_staff

STAFF = (Role.LEADER, Role.CLERK, Role.COMMITTEE_STAFF)


def _opinion(request: HttpRequest, pk: int) -> Opinion:
    opinion = get_object_or_404(Opinion.objects.select_related("topic__lead_committee", "topic__congress"), pk=pk)
    if not may_read(request.user, opinion.topic):
        raise Http404("未找到该审议意见，或您无权查看")
    return opinion


@role_required(Role.CLERK, Role.COMMITTEE_STAFF)
def opinion_new(request: HttpRequest, topic_pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=topic_pk, congress_id=request.user.congress_id)
    if not may_draft(request.user, topic):
        raise PermissionDenied("只有牵头委员会或办公厅的工作人员可以起草审议意见")
    form = OpinionForm(request.POST or None, initial={"title": opinions.default_title(topic),
                                                      "recipient": topic.supervised_body or "市人民政府"})
    if request.method == "POST" and form.is_valid():
        try:
            opinion = opinions.draft(topic, request.user, form.cleaned_data)
        except TransitionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已起草审议意见。请逐条新增问题清单条目，再提请主任会议审定。")
            return redirect("supervision:opinion", opinion.pk)
    return render(request, "supervision/opinion_form.html", {"form": form, "topic": topic})




@dataclass(frozen=True)
class Step:
    """One action of the opinion page: its form (None: a bare button), the service it calls with
    the form's data, and what the user is told."""

    form: type[forms.Form] | None
    call: Callable[[Opinion, User, dict], object]
    done: str


STEPS: dict[str, Step] = {
    "submit": Step(None, lambda o, u, d: opinions.submit(o, u), "已提请主任会议审定。"),
    "decide": Step(DecideForm, lambda o, u, d: opinions.decide(
        o, u, approve=d["approve"], note=d.get("note", ""), report_due_on=d.get("report_due_on"),
        resolution_due_on=d.get("resolution_due_on")), "已提交审定结果。"),
    "send": Step(SendForm, lambda o, u, d: opinions.send(o, u, number=d.get("number", "")), "已交办。"),
    "report": Step(ReportForm, lambda o, u, d: opinions.record_report(o, u, d["text"]), "已登记研究处理情况报告。"),
    "publish": Step(None, lambda o, u, d: opinions.publish(o, u), "已向社会公开。"),
}


@role_required(*STAFF)
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _opinion(request, pk)
    user, topic = request.user, opinion.topic
    forms_ = {"decide": DecideForm(), "send": SendForm(), "report": ReportForm()}
    if request.method == "POST":
        action = request.POST.get("action", "")
        step = STEPS.get(action)
        if step is None:
            messages.error(request, "未知的操作")
            return redirect("supervision:opinion", pk)
        bound = step.form(request.POST) if step.form else None
        if bound is not None and not bound.is_valid():
            forms_[action] = bound
            messages.error(request, "填写有误，请按提示修改")
        else:
            try:
                step.call(opinion, user, bound.cleaned_data if bound is not None else {})
            except TransitionError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, step.done)
                return redirect("supervision:opinion", pk)
        opinion.refresh_from_db()
    state = opinion.state
    return render(request, "supervision/opinion_detail.html", {
        "opinion": opinion, "topic": topic, "problems": list(problems_of(opinion).select_related(
            "problem_detail__committee")) + [],
        "drafts": opinion.problems.filter(case__state=states.DRAFTING).select_related("case"),
        "forms": forms_,
        "may_draft": may_draft(user, topic) and state == OpinionState.DRAFTING,
        "may_raise": is_committee_staff(user) and user.organization_id == topic.lead_committee_id,
        "may_decide": may_approve(user, topic) and state == OpinionState.PENDING,
        "may_send": may_send(user, topic) and state == OpinionState.APPROVED,
        "may_report": (may_send(user, topic) or may_draft(user, topic)) and state == OpinionState.SENT,
        "may_publish": may_send(user, topic) and state in (OpinionState.SENT, OpinionState.REPORTED)
        and opinion.published_at is None,
    })


@role_required(*STAFF)
def opinion_word(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _opinion(request, pk)
    response = HttpResponse(opinion_docx(opinion), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"{opinion.title}.docx")
    response["Cache-Control"] = "no-store"
    return response
