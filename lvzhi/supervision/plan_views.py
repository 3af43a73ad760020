"""The annual supervision plan's pages: candidates (committees and 办事机构), the plan and its
decisions (主任会议), the topics and a topic's page, and the public plan (no login). Thin:
parse, check plan_permissions, call plan_services, render."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lvzhi.cases.models import Bundle
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Congress
from lvzhi.core.params import id_param, int_param
from lvzhi.core.validation import summary
from lvzhi.portal.selectors import portal_name
from lvzhi.supervision import plan_permissions as perms
from lvzhi.supervision import plan_services as svc
from lvzhi.supervision.models import (
    CRITERIA,
    Decision,
    Opinion,
    Plan,
    PlanState,
    Topic,
    TopicCandidate,
    TopicForm,
    TopicStage,
)
from lvzhi.supervision.opinion_permissions import may_draft as may_draft_opinion
from lvzhi.supervision.plan_forms import (
    AdjustForm,
    ApproveForm,
    CandidateForm,
    DecisionForm,
    ScoreForm,
    TopicDetailsForm,
)

ROLES = perms.PAGE_ROLES


def _year(request: HttpRequest) -> int:
    return int_param(request.GET.get("year") or request.POST.get("year"), 2000, 2100) or timezone.localdate().year


def _need(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _error(request: HttpRequest, exc, title: str) -> None:
    text = summary(exc.errors, title) if hasattr(exc, "errors") and isinstance(exc.errors, dict) else (
        "；".join(exc.messages))
    messages.error(request, text)


def _post_form(request: HttpRequest, form, title: str, act: Callable[[dict], str], back: str) -> HttpResponse:
    """A small form posted from the plan pages: check it, call the service (`act` returns what to
    tell the user), or say what was wrong; then back to the page it came from."""
    try:
        if not form.is_valid():
            raise forms.ValidationError(summary(form.errors, f"“{title}”"))
        messages.success(request, act(form.cleaned_data))
    except forms.ValidationError as exc:
        _error(request, exc, title)
    return redirect(back)


def _plan_url(year: int) -> str:
    return f"{reverse('supervision:plan')}?year={year}"


# ------------------------------------------------------------------ candidates

@role_required(*ROLES)
def candidates(request: HttpRequest) -> HttpResponse:
    user = request.user
    _need(perms.may_see_plan(user), "候选议题只对各委员会、办事机构和主任会议开放")
    year = _year(request)
    form = CandidateForm()
    status = 200
    if request.method == "POST":
        _need(perms.may_propose(user), "只有各委员会和办事机构可以提出候选议题")
        form = CandidateForm(request.POST)
        if form.is_valid():
            try:
                svc.add_candidate(user, year=year, **form.cleaned_data)
            except forms.ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已添加候选议题“{form.cleaned_data['title']}”，请各委员会评估打分。")
                return redirect(f"{reverse('supervision:candidates')}?year={year}")
        messages.error(request, summary(form.errors, "“添加候选议题”"))
        status = 400
    rows = list(TopicCandidate.objects.filter(congress_id=user.congress_id, year=year)
                .select_related("topic").order_by("decision", "-score", "id"))
    return render(request, "supervision/plan/candidates.html", {
        "year": year, "years": _years(year), "form": form, "rows": rows, "criteria": CRITERIA,
        "weights": svc.weights(user.congress_id), "may_propose": perms.may_propose(user),
        "may_decide": perms.may_decide(user), "hints": svc.hints(user.congress_id, year),
        "plan": svc.plan_for(user.congress_id, year)}, status=status)


def _years(year: int) -> list[int]:
    this = timezone.localdate().year
    return sorted({this - 1, this, this + 1, year})


@role_required(*ROLES)
@require_POST
def candidate_from_hint(request: HttpRequest) -> HttpResponse:
    user = request.user
    _need(perms.may_propose(user), "只有各委员会和办事机构可以提出候选议题")
    year = _year(request)
    try:
        c = svc.add_from_hint(user, year=year, label=request.POST.get("label", "")[:60],
                              ref=request.POST.get("ref", "")[:200], n=int_param(request.POST.get("n"), 0, 10**6) or 0)
        messages.success(request, f"已加入候选议题“{c.title}”（代表建议集中反映的问题）。")
    except forms.ValidationError as exc:
        _error(request, exc, "加入候选")
    return redirect(f"{reverse('supervision:candidates')}?year={year}")


@role_required(*ROLES)
@require_POST
def candidate_score(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _need(perms.may_propose(user), "只有各委员会和办事机构可以评估候选议题")
    candidate = get_object_or_404(TopicCandidate, pk=pk, congress_id=user.congress_id)

    def act(d: dict) -> str:
        svc.score_candidate(user, candidate, d)
        return f"“{candidate.title}”综合评分 {candidate.score} 分。"

    return _post_form(request, ScoreForm(request.POST), "评分", act,
                      f"{reverse('supervision:candidates')}?year={candidate.year}#c{candidate.pk}")


@role_required(*ROLES)
@require_POST
def candidate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _need(perms.may_decide(user), "候选议题由主任会议决定")
    candidate = get_object_or_404(TopicCandidate, pk=pk, congress_id=user.congress_id)

    def act(d: dict) -> str:
        svc.decide_candidate(user, candidate, accept=d["decision"] == "accept", note=d["note"], form=d["form"],
                             lead_committee=d["lead_committee"], meeting_on=d["meeting_on"],
                             supervised_body=d["supervised_body"], reason=d["reason"])
        return f"“{candidate.title}”：{'列入计划' if d['decision'] == 'accept' else '不列入计划'}。"

    return _post_form(request, DecisionForm(request.POST, congress_id=user.congress_id), "主任会议决定", act,
                      f"{_plan_url(candidate.year)}#pending")


# ------------------------------------------------------------------ the plan

@role_required(*ROLES)
def plan(request: HttpRequest) -> HttpResponse:
    user = request.user
    _need(perms.may_see_plan(user), "年度监督工作计划只对各委员会、办事机构和主任会议开放")
    year = _year(request)
    the_plan = svc.plan_for(user.congress_id, year)
    topics = list(svc.congress_topics(user.congress_id).filter(year=year)
                  .select_related("lead_committee", "congress", "plan").prefetch_related("joint_with")
                  .order_by("meeting_on", "id"))
    prog = svc.progress(topics)
    by_form = [(code, label, [(t, prog[t.pk]) for t in topics if t.form == code]) for code, label in TopicForm.choices]
    pending = list(TopicCandidate.objects.filter(congress_id=user.congress_id, year=year, decision=Decision.PENDING)
                   .order_by("-score", "id"))
    decided = TopicCandidate.objects.filter(congress_id=user.congress_id, year=year).exclude(decision=Decision.PENDING)
    ctx = {
        "year": year, "years": _years(year), "plan": the_plan, "by_form": [g for g in by_form if g[2]],
        "counts": [(label, len(rows)) for _, label, rows in by_form if rows],
        "total": len([t for t in topics if t.stage != TopicStage.REMOVED]), "pending": pending,
        "rejected": [c for c in decided if c.decision == Decision.REJECTED],
        "may_decide": perms.may_decide(user), "may_publish": perms.may_publish(user),
        "decision_form": DecisionForm(congress_id=user.congress_id), "approve_form": ApproveForm(),
        "adjustments": list(the_plan.adjustments.select_related("topic", "by")) if the_plan else [],
        "adjust_form": AdjustForm(plan=the_plan) if the_plan and the_plan.is_published else None,
        "today": timezone.localdate(),
    }
    return render(request, "supervision/plan/plan.html", ctx)


def _plan_action(request: HttpRequest, pk: int, allowed: bool, denial: str) -> Plan:
    _need(allowed, denial)
    return get_object_or_404(Plan, pk=pk, congress_id=request.user.congress_id)


@role_required(*ROLES)
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    the_plan = _plan_action(request, pk, perms.may_decide(request.user), "年度监督工作计划由主任会议通过")

    def act(d: dict) -> str:
        svc.approve_plan(request.user, the_plan, d["note"])
        return f"{the_plan.year}年度监督工作计划已经主任会议通过，可以向社会公布。"

    return _post_form(request, ApproveForm(request.POST), "通过计划", act, _plan_url(the_plan.year))


@role_required(*ROLES)
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    the_plan = _plan_action(request, pk, perms.may_publish(request.user), "计划由主任会议或办公厅公布")
    try:
        svc.publish_plan(request.user, the_plan)
        messages.success(request, f"{the_plan.year}年度监督工作计划已向社会公布（监督法第六十三条）。")
    except forms.ValidationError as exc:
        _error(request, exc, "公布计划")
    return redirect(_plan_url(the_plan.year))


@role_required(*ROLES)
@require_POST
def plan_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    the_plan = _plan_action(request, pk, perms.may_decide(request.user), "计划调整由主任会议决定")

    def act(d: dict) -> str:
        row = svc.adjust(request.user, the_plan, topic=d["topic"], kind=d["kind"], reason=d["reason"],
                         detail=d["detail"], new_meeting_on=d["new_meeting_on"])
        return f"已记录计划调整：{row.get_kind_display()}“{row.topic.title}”，公开的计划同时显示。"

    return _post_form(request, AdjustForm(request.POST, plan=the_plan), "调整计划", act,
                      f"{_plan_url(the_plan.year)}#adjustments")


# ------------------------------------------------------------------ topics

@role_required(*ROLES)
def topics(request: HttpRequest) -> HttpResponse:
    """A committee's own topics (牵头), or every topic of the year for the others."""
    user = request.user
    _need(perms.may_see_plan(user), "监督议题只对各委员会、办事机构和主任会议开放")
    year = _year(request)
    qs = svc.congress_topics(user.congress_id).filter(year=year).select_related("lead_committee", "plan")
    mine = perms.is_committee_staff(user) and request.GET.get("all") != "1"
    if mine:
        qs = qs.filter(lead_committee_id=user.organization_id)
    rows = list(qs.order_by("meeting_on", "id"))
    prog = svc.progress(rows)
    return render(request, "supervision/plan/topics.html", {
        "year": year, "years": _years(year), "rows": [(t, prog[t.pk]) for t in rows], "mine": mine,
        "is_staff": perms.is_committee_staff(user), "today": timezone.localdate()})


def _topic_work_url(topic: Topic) -> str:
    return reverse("supervision:topic_work", args=[topic.pk])


@role_required(*ROLES)
def topic(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    obj = get_object_or_404(Topic.objects.select_related("lead_committee", "plan", "congress")
                            .prefetch_related("members", "deputies", "joint_with"), pk=pk)
    _need(perms.may_see_topic(user, obj), "您无权查看该监督议题")
    opinions = list(obj.opinions.prefetch_related(Prefetch(
        "problems", queryset=_problem_details())).order_by("id"))
    return render(request, "supervision/plan/topic.html", {
        "topic": obj, "opinions": opinions, "progress": svc.progress([obj])[obj.pk],
        "adjustments": list(obj.adjustments.select_related("by")), "work_url": _topic_work_url(obj),
        "may_edit": perms.may_edit_topic(user, obj), "may_draft_opinion": may_draft_opinion(user, obj),
        "schedule": [s for s in obj.schedule.splitlines() if s.strip()],
        "candidate": getattr(obj, "candidate", None),
        "bundles": list(obj.bundles.prefetch_related("cases").order_by("pk")),
        "other_bundles": Bundle.objects.filter(congress_id=obj.congress_id).exclude(
            pk__in=obj.bundles.values("pk")).order_by("-pk") if perms.may_edit_topic(user, obj) else []})


def _problem_details():
    from lvzhi.supervision.models import ProblemDetail

    return ProblemDetail.objects.select_related("case").order_by("case__id")


@role_required(*ROLES)
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    obj = get_object_or_404(Topic.objects.select_related("plan", "congress"), pk=pk)
    _need(perms.may_edit_topic(user, obj), "只有牵头委员会和办公厅可以修改议题安排")
    initial = {"supervised_body": obj.supervised_body, "meeting_on": obj.meeting_on, "summary": obj.summary,
               "schedule": obj.schedule, "members": obj.members.all(), "deputies": obj.deputies.all(),
               "joint_kind": obj.joint_kind, "joint_with": obj.joint_with.all()}
    if request.method == "POST":
        form = TopicDetailsForm(request.POST, topic=obj)
        if form.is_valid():
            try:
                svc.update_topic(user, obj, form.cleaned_data)
            except forms.ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已保存议题安排。")
                return redirect("supervision:topic", obj.pk)
        messages.error(request, summary(form.errors, "“议题安排”"))
        return render(request, "supervision/plan/topic_form.html", {"form": form, "topic": obj}, status=400)
    form = TopicDetailsForm(initial=initial, topic=obj)
    return render(request, "supervision/plan/topic_form.html", {"form": form, "topic": obj})


# ------------------------------------------------------------------ public

def public_plan(request: HttpRequest, year: int) -> HttpResponse:
    """第六十三条 "向社会公布": a published plan, its topics and its adjustments; no login.
    ?congress= picks the congress, else the one congress that published this year's plan."""
    plans = Plan.objects.filter(year=year, state=PlanState.PUBLISHED).select_related("congress")
    wanted = id_param(request.GET.get("congress"))
    if wanted is not None:
        plans = plans.filter(congress_id=wanted)
    the_plan = plans.order_by("congress_id").first()
    if the_plan is None:
        raise Http404(f"{year}年度监督工作计划尚未公布")
    rows = list(svc.congress_topics(the_plan.congress_id).filter(year=year, plan__state=PlanState.PUBLISHED)
                .select_related("lead_committee", "congress").prefetch_related("joint_with")
                .order_by("meeting_on", "id"))
    by_form = [(label, [t for t in rows if t.form == code]) for code, label in TopicForm.choices]
    congress: Congress = the_plan.congress
    return render(request, "supervision/plan/public_plan.html", {
        "plan": the_plan, "congress": congress, "portal_name": portal_name(congress), "portal_section": "监督工作公开",
        # topics whose 审议意见 the office released: their page shows the outcome
        "published": set(Opinion.objects.filter(topic__plan=the_plan, published_at__isnull=False)
                         .values_list("topic_id", flat=True)),
        "by_form": [g for g in by_form if g[1]], "adjustments": list(the_plan.adjustments.select_related("topic")),
        "others": Plan.objects.filter(congress=congress, state=PlanState.PUBLISHED).exclude(pk=the_plan.pk)
        .order_by("-year").values_list("year", flat=True)})

