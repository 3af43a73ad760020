"""满意度测评's pages. Thin: parse, ask permissions, call services, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.core.validation import summary
from lvzhi.votes import ballots, permissions, rules, services
from lvzhi.votes.forms import RulesForm, VoteForm
from lvzhi.votes.models import BoxState, SatisfactionVote, VoteCast

ROLES = permissions.PAGE_ROLES


def _vote(request: HttpRequest, pk: int) -> SatisfactionVote:
    return get_object_or_404(SatisfactionVote.objects.select_related("topic", "opinion", "re_report_of"),
                             pk=pk, congress_id=request.user.congress_id)


@role_required(*ROLES)
def vote_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    member = services.member_for(user)
    if not permissions.may_see_list(user, member):
        raise PermissionDenied("满意度测评只对常委会组成人员、办公室和各委员会开放")
    manager = permissions.may_manage(user)
    qs = SatisfactionVote.objects.filter(congress_id=user.congress_id).select_related("topic")
    if not (manager or user.role == Role.LEADER):
        qs = qs.exclude(state=BoxState.DRAFT)
    votes = list(qs[:200])
    voted = set()
    if member is not None:
        voted = set(VoteCast.objects.filter(voter=user, voted=True, box_id__in=[v.pk for v in votes])
                    .values_list("box_id", flat=True))
    open_votes = [v for v in votes if v.state == BoxState.OPEN]
    return render(request, "votes/list.html", {
        "open_votes": open_votes, "others": [v for v in votes if v.state != BoxState.OPEN],
        "voted": voted, "member": member, "manager": manager})


@role_required(*permissions.MANAGER_ROLES)
def vote_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.may_manage(user):
        raise PermissionDenied("只有办公室和各委员会的工作人员可以新建满意度测评")
    initial = {}
    if request.method == "GET" and (again := request.GET.get("re_report_of", "")).isdigit():
        initial["re_report_of"] = again
        old = SatisfactionVote.objects.filter(pk=int(again), congress_id=user.congress_id).first()
        if old is not None:
            initial.update(title=f"{old.title}（重新报告）", topic=old.topic_id, opinion=old.opinion_id)
    form = VoteForm(request.POST or None, initial=initial, congress_id=user.congress_id)
    if request.method == "POST":
        if form.is_valid():
            try:
                vote = services.create_vote(user, **form.cleaned_data)
            except services.VoteRefused as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "已新建测评。会议上宣布开始时，请点击“开始投票”。")
                return redirect("votes:detail", vote.pk)
        else:
            messages.error(request, summary(form.errors, "新建测评填写有误"))
        return render(request, "votes/vote_form.html", {"form": form}, status=400)
    return render(request, "votes/vote_form.html", {"form": form})


ACTIONS = {"open": services.open_vote, "close": services.close_vote}
DONE = {"open": "已开始投票，组成人员可在手机上投票。", "close": "已结束投票，测评结果如下。",
        "publish": "已公开测评结果，门户网站可以显示。", "unpublish": "已取消公开。"}


@role_required(*ROLES)
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    vote = _vote(request, pk)
    member = services.member_for(user)
    if not permissions.may_see(user, vote, member):
        raise PermissionDenied("您无权查看该测评")
    manager = permissions.may_manage_vote(user, vote)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if not manager:
            raise PermissionDenied("只有办公室和各委员会的工作人员可以开始、结束或公开测评")
        if action not in DONE:
            messages.error(request, "未知的操作，请刷新页面后重试")
            return redirect("votes:detail", vote.pk)
        try:
            if action in ACTIONS:
                ACTIONS[action](vote, user)
            else:
                services.set_published(vote, user, action == "publish")
        except services.VoteRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, DONE[action])
        return redirect("votes:detail", vote.pk)
    current = services.rules_for(vote.congress)
    grades = [(label, vote.count(code)) for code, label in vote.choices] if vote.state == BoxState.CLOSED else []
    return render(request, "votes/detail.html", {
        "vote": vote, "manager": manager, "member": member,
        "has_voted": ballots.has_voted(vote.pk, user) if member else False,
        "on_roll": member is not None and ballots.on_roll(vote.pk, user),
        "voted_count": ballots.voted_count(vote.pk) if vote.state == BoxState.OPEN else None,
        "grades": grades, "rule_label": vote.rule_label or current.get_pass_rule_display(),
        "levels": vote.rules.get("levels") or current.levels,
        "re_reports": list(vote.re_reports.all())})


@role_required(*ROLES)
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's phone page: one big button per grade → confirm → 已投票."""
    user = request.user
    vote = _vote(request, pk)
    member = services.member_for(user)
    if not permissions.may_vote(vote, member):
        raise PermissionDenied("您不是本届常委会组成人员，不能参加测评")
    context = {"vote": vote, "member": member}
    if request.method == "POST":
        chosen = [g for g in request.POST.getlist("grade") if g]
        if request.POST.get("step") == "confirm":
            try:
                done = services.cast(vote, member, chosen)
            except services.VoteRefused as exc:
                messages.error(request, exc.message)
                return redirect("votes:ballot", vote.pk)
            # No grade in the message: messages are stored with the member's session.
            messages.success(request, f"已投票，谢谢！投票回执：{done.receipt}（只证明选票已投入票箱，不含所投内容）")
            return redirect("votes:ballot", vote.pk)
        labels = dict(vote.choices)
        if any(g not in labels for g in chosen):
            messages.error(request, "所选选项不存在，请重新选择")
            return redirect("votes:ballot", vote.pk)
        context.update(confirming=True, chosen=chosen, chosen_labels=[labels[g] for g in chosen])
    context.update(has_voted=ballots.has_voted(vote.pk, user),
                   on_roll=ballots.on_roll(vote.pk, user),
                   grades=vote.choices or rules.grades(3))
    return render(request, "votes/ballot.html", context)


@role_required(*permissions.MANAGER_ROLES)
def vote_rules(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.may_manage(user):
        raise PermissionDenied("只有办公室和各委员会的工作人员可以设置测评规则")
    row = services.rules_for(user.congress)
    form = RulesForm(request.POST or None, initial=row.snapshot())
    if request.method == "POST":
        if form.is_valid():
            services.set_rules(user.congress, **form.cleaned_data)
            messages.success(request, "已保存测评规则；已开始的测评仍按开始时的规则计票。")
            return redirect("votes:list")
        messages.error(request, summary(form.errors, "测评规则填写有误"))
        return render(request, "votes/rules.html", {"form": form}, status=400)
    return render(request, "votes/rules.html", {"form": form})
