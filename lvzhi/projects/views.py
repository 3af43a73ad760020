"""民生实事项目's pages. Thin: parse, ask permissions, call services, render."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from lvzhi.core.decorators import role_required
from lvzhi.core.models import Congress, Role
from lvzhi.core.throttle import client_ip
from lvzhi.core.validation import summary
from lvzhi.projects import permissions, selectors, services
from lvzhi.projects.forms import CandidateForm, MilestoneForm, RoundForm
from lvzhi.projects.models import IdeaSource, LivelihoodProject, Milestone, ProjectGrading, ProjectRound, Stage
from lvzhi.votes import ballots
from lvzhi.votes.ballots import VoteRefused
from lvzhi.votes.models import BoxState, Grade

ROLES = permissions.PAGE_ROLES
REFUSED = (services.ProjectRefused, VoteRefused)


def _round(request: HttpRequest, pk: int) -> ProjectRound:
    rnd = get_object_or_404(ProjectRound.objects.select_related("congress"), pk=pk)
    if not permissions.may_see(request.user, rnd):
        raise PermissionDenied("只能查看本级人大的民生实事项目")
    return rnd


@role_required(*ROLES)
def round_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    rounds = list(ProjectRound.objects.filter(congress_id=user.congress_id).annotate(
        n_projects=Count("projects"), funds=Sum("projects__candidate__budget_wan")))
    # The city sees its districts' rounds rolled up; a district sees only its own.
    districts = list(ProjectRound.objects.filter(congress__parent_id=user.congress_id).select_related("congress")
                     .annotate(n_projects=Count("projects"), funds=Sum("projects__candidate__budget_wan"))
                     .order_by("-year", "congress_id"))
    form = RoundForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not permissions.may_run(user):
            raise PermissionDenied("只有办公室和各委员会的工作人员可以建立票决年度")
        if form.is_valid():
            try:
                rnd = services.create_round(user, Congress.objects.get(pk=user.congress_id), **form.cleaned_data)
            except services.ProjectRefused as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "已建立，进入项目征集阶段。")
                return redirect("projects:round", rnd.pk)
        else:
            messages.error(request, summary(form.errors, "填写有误"))
    totals = {"count": sum(r.n_projects for r in districts),
              "funds": sum((r.funds or Decimal(0)) for r in districts)}
    return render(request, "projects/list.html", {
        "rounds": rounds, "districts": districts, "totals": totals, "form": form,
        "runner": permissions.may_run(user)})


@role_required(*ROLES)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = _round(request, pk)
    user = request.user
    if request.method == "POST":
        return _act(request, rnd)
    ctx = selectors.round_context(rnd, user)
    ctx.update(runner=permissions.may_run(user, rnd), preparer=permissions.may_prepare(user, rnd),
               deputy=permissions.is_deputy_of(user, rnd.congress_id),
               candidate_form=CandidateForm(congress_id=rnd.congress_id))
    return render(request, "projects/round.html", ctx)


def _int(request: HttpRequest, name: str) -> int:
    raw = request.POST.get(name, "").strip()
    if not raw.isdigit():
        raise services.ProjectRefused("票数须为不小于0的整数")
    return int(raw)


def _act(request: HttpRequest, rnd: ProjectRound) -> HttpResponse:
    user, action = request.user, request.POST.get("action", "")
    box = services.current_box(rnd)
    run_actions = {"screening", "review", "open", "open_paper", "close", "paper", "grading_open",
                   "grading_close", "mid_report"}
    if action in run_actions and not permissions.may_run(user, rnd):
        raise PermissionDenied("只有办公室和各委员会的工作人员可以进行该操作")
    if action in {"candidate", "explanation"} and not permissions.may_prepare(user, rnd):
        raise PermissionDenied("只有政府部门和办公室的工作人员可以确定候选项目")
    try:
        if action in ("screening", "review"):
            services.advance(user, rnd, action)
            messages.success(request, "候选项目已印发代表。" if action == "review" else "已进入初定阶段。")
        elif action in ("open", "open_paper"):
            services.open_vote(user, rnd, paper=action == "open_paper")
            messages.success(request, "已开始票决。")
        elif action == "close" and box is not None:
            present = request.POST.get("present", "").strip()
            after = services.close_vote(user, box, present=int(present) if present.isdigit() else None)
            messages.success(request, "末位得票相同，已对得票相同的项目重新投票。" if after.pk != box.pk
                             else "计票完成，结果如下。")
        elif action == "paper" and box is not None:
            counts = {c: _int(request, f"c_{c}") for c, _l in box.choices}
            after = services.enter_paper(user, box, cast_n=_int(request, "cast"), invalid=_int(request, "invalid"),
                                         counts=counts)
            messages.success(request, "第一次录入已保存，请另一名工作人员复核录入。" if after.state == BoxState.OPEN
                             and after.pk == box.pk else "两次录入一致，计票完成。")
        elif action == "candidate":
            form = CandidateForm(request.POST, congress_id=rnd.congress_id)
            if not form.is_valid():
                raise services.ProjectRefused(summary(form.errors, "候选项目填写有误"))
            services.add_candidate(user, rnd, **form.cleaned_data)
            messages.success(request, "已加入候选项目。")
        elif action == "explanation":
            services.set_explanation(user, rnd, request.POST.get("text", ""))
            messages.success(request, "已保存政府说明。")
        elif action == "mid_report":
            services.set_mid_report(user, rnd, request.POST.get("text", ""), timezone.localdate())
            messages.success(request, "已保存年中监督报告。")
        elif action == "grading_open":
            services.open_grading(user, rnd)
            messages.success(request, "已开始满意度测评，代表可在手机上测评。")
        elif action == "grading_close":
            services.close_grading(user, rnd)
            messages.success(request, "满意度测评结束。")
        elif action == "idea":
            if user.role not in (Role.DEPUTY, Role.CLERK, Role.UNIT_HANDLER, Role.UNIT_HEAD):
                raise PermissionDenied("该账户不能提出项目建议")
            source = {Role.DEPUTY: IdeaSource.DEPUTY, Role.CLERK: IdeaSource.STATION}.get(user.role,
                                                                                         IdeaSource.DEPARTMENT)
            services.submit_idea(rnd, source=source, title=request.POST.get("title", ""),
                                 content=request.POST.get("content", ""), user=user,
                                 proposer_name=user.display_name)
            messages.success(request, "已提交项目建议。")
        else:
            messages.error(request, "未知的操作")
    except REFUSED as exc:
        messages.error(request, exc.message)
    return redirect("projects:round", rnd.pk)


@never_cache
@role_required(Role.DEPUTY)
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The deputy's phone ballot: tick up to N of the candidates; one ballot, shown its receipt."""
    rnd = _round(request, pk)
    box = services.current_box(rnd)
    if box is None or box.paper:
        messages.error(request, "本次票决未开通手机投票" if box else "票决尚未开始")
        return redirect("projects:round", rnd.pk)
    receipt = ""
    if request.method == "POST":
        try:
            done = services.cast(box, request.user, request.POST.getlist("choice"))
        except VoteRefused as exc:
            messages.error(request, exc.message)
        else:
            receipt = done.receipt
            if not done.valid:
                messages.warning(request, f"您的选票为无效票（须选择1至{box.max_marks}个项目）。")
    cands = {c.code: c for c in rnd.candidates.select_related("department")}
    return render(request, "projects/ballot.html", {
        "rnd": rnd, "box": box, "receipt": receipt, "rows": [(code, cands.get(code)) for code, _l in box.choices],
        "voted": ballots.has_voted(box.pk, request.user), "on_roll": ballots.on_roll(box.pk, request.user)})


@never_cache
@role_required(Role.DEPUTY)
def grade(request: HttpRequest, pk: int) -> HttpResponse:
    """Year-end satisfaction: one grade per project, each its own box."""
    rnd = _round(request, pk)
    boxes = list(ProjectGrading.objects.filter(project__round=rnd).select_related("project__candidate")
                 .order_by("project__rank"))
    if request.method == "POST":
        done = 0
        for b in boxes:
            code = request.POST.get(f"g_{b.pk}", "")
            if code and b.state == BoxState.OPEN and not ballots.has_voted(b.pk, request.user):
                try:
                    services.grade(request.user, b, code)
                    done += 1
                except VoteRefused as exc:
                    messages.error(request, f"{b.project.candidate.title}：{exc.message}")
        if done:
            messages.success(request, f"已提交{done}个项目的测评。")
        return redirect("projects:grade", rnd.pk)
    rows = [(b, ballots.has_voted(b.pk, request.user)) for b in boxes]
    return render(request, "projects/grade.html", {"rnd": rnd, "rows": rows, "grades": Grade.choices})


@role_required(*ROLES)
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(LivelihoodProject.objects.select_related("candidate__department", "round"), pk=pk)
    rnd = project.round
    if not permissions.may_see(request.user, rnd):
        raise PermissionDenied("只能查看本级人大的民生实事项目")
    preparer = permissions.may_prepare(request.user, rnd)
    form = MilestoneForm()
    if request.method == "POST":
        if not preparer:
            raise PermissionDenied("只有政府部门和办公室的工作人员可以报告实施情况")
        action = request.POST.get("action", "")
        try:
            if action == "milestone":
                form = MilestoneForm(request.POST)
                if not form.is_valid():
                    raise services.ProjectRefused(summary(form.errors, "节点填写有误"))
                services.add_milestone(request.user, project, **form.cleaned_data)
                messages.success(request, "已安排节点。")
            elif action == "done":
                ms = get_object_or_404(Milestone, pk=request.POST.get("milestone", "0"), project=project)
                services.complete_milestone(request.user, ms, timezone.localdate())
                messages.success(request, "已报告节点完成。")
            elif action == "funds":
                try:
                    spent = Decimal(request.POST.get("spent", ""))
                except InvalidOperation:
                    raise services.ProjectRefused("已支出资金须填写数字（万元）") from None
                services.record_funds(request.user, project, spent)
                messages.success(request, "已更新资金支出。")
        except services.ProjectRefused as exc:
            messages.error(request, exc.message)
        else:
            return redirect("projects:project", project.pk)
    return render(request, "projects/project.html", {
        "project": project, "row": selectors.project_row(project), "milestones": list(project.milestones.all()),
        "preparer": preparer, "form": form, "stage_ok": rnd.stage == Stage.IMPLEMENTING})


# --- the portal ---------------------------------------------------------------------------------

@never_cache
def public(request: HttpRequest) -> HttpResponse:
    """The year's projects with progress bars and the count, for everyone; and the open 征集."""
    rounds = list(ProjectRound.objects.exclude(stage=Stage.COLLECTING).select_related("congress")
                  .order_by("-year", "congress_id")[:20])
    collecting = list(ProjectRound.objects.filter(stage=Stage.COLLECTING).select_related("congress")[:20])
    return render(request, "projects/public.html", {
        "blocks": [selectors.public_block(r) for r in rounds], "collecting": collecting})


@never_cache
def public_idea(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_object_or_404(ProjectRound.objects.select_related("congress"), pk=pk)
    receipt, error, status = "", "", 200
    if request.method == "POST":
        try:
            idea = services.submit_idea(rnd, source=IdeaSource.PUBLIC, title=request.POST.get("title", ""),
                                        content=request.POST.get("content", ""),
                                        district=request.POST.get("district", ""),
                                        proposer_name=request.POST.get("name", ""),
                                        proposer_phone=request.POST.get("phone", ""), ip=client_ip(request))
        except services.ProjectRefused as exc:
            error, status = exc.message, exc.status
        else:
            receipt = idea.receipt
    return render(request, "projects/public_idea.html", {"rnd": rnd, "receipt": receipt, "error": error,
                                                         "data": request.POST}, status=status)
