"""The 审议意见 pages: draft for a topic, the opinion with its problems and the step the user
may take, and its Word document. Thin: parse, call lvzhi.supervision.opinions, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header

from lvzhi.cases.workflow import TransitionError
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.supervision import opinions
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


ACTIONS = {"submit": "已提请主任会议审定。", "decide": "已提交审定结果。", "send": "已交办。",
           "report": "已登记研究处理情况报告。", "publish": "已向社会公开。"}


@role_required(*STAFF)
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _opinion(request, pk)
    user, topic = request.user, opinion.topic
    forms_ = {"decide": DecideForm(), "send": SendForm(), "report": ReportForm()}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            messages.error(request, "未知的操作")
            return redirect("supervision:opinion", pk)
        form = {"decide": DecideForm, "send": SendForm, "report": ReportForm}.get(action)
        bound = form(request.POST) if form else None
        if bound is not None and not bound.is_valid():
            forms_[action] = bound
            messages.error(request, "填写有误，请按提示修改")
        else:
            data = bound.cleaned_data if bound is not None else {}
            try:
                if action == "submit":
                    opinions.submit(opinion, user)
                elif action == "decide":
                    opinions.decide(opinion, user, approve=data["approve"], note=data.get("note", ""),
                                    report_due_on=data.get("report_due_on"),
                                    resolution_due_on=data.get("resolution_due_on"))
                elif action == "send":
                    opinions.send(opinion, user, number=data.get("number", ""))
                elif action == "report":
                    opinions.record_report(opinion, user, data["text"])
                else:
                    opinions.publish(opinion, user)
            except TransitionError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, ACTIONS[action])
                return redirect("supervision:opinion", pk)
        opinion.refresh_from_db()
    state = opinion.state
    return render(request, "supervision/opinion_detail.html", {
        "opinion": opinion, "topic": topic, "problems": list(problems_of(opinion).select_related(
            "problem_detail__committee")) + [],
        "drafts": opinion.problems.filter(case__state="drafting").select_related("case"),
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
