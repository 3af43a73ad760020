"""民生实事项目's writes. Every refusal raises ProjectRefused (or the ballot core's VoteRefused)
with the Chinese message the user sees, before anything is written.

Stages (RULES.md §5 "征集、初定、审议、票决、监督、评估"): collecting → screening → review
(candidates published to deputies; more candidates than places) → voting (a ProjectBallot box;
a 重新投票 box among the tied if the tie rule asks for one) → implementing (the chosen projects,
milestones, funds, mid-year report) → evaluated (year-end grading closed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lvzhi.cases.events import append_subject_event
from lvzhi.core.models import Congress, Organization, User
from lvzhi.core.receipts import network_hash, new_code
from lvzhi.deputies.models import Deputy, DeputyStatus
from lvzhi.projects import rules
from lvzhi.projects.models import (
    Candidate,
    IdeaSource,
    LivelihoodProject,
    Milestone,
    ProjectBallot,
    ProjectGrading,
    ProjectIdea,
    ProjectRound,
    Stage,
    Threshold,
    TieRule,
)
from lvzhi.votes import ballots
from lvzhi.votes import rules as vote_rules
from lvzhi.votes.ballots import VoteRefused  # noqa: F401  (views catch both)
from lvzhi.votes.models import BoxState

SUBJECT = "livelihood_project"  # lvzhi.core.audit shows it as 民生实事项目
RECEIPT_LENGTH = 8
# Public ideas from one network, as the 代表码上见 portal form limits its requests.
IDEAS_PER_HOUR, IDEAS_PER_DAY = 3, 10


class ProjectRefused(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _event(rnd: ProjectRound, actor: User | None, name: str, label: str, **payload) -> None:
    append_subject_event(SUBJECT, rnd.pk, rnd.congress_id, actor, name, label, payload=payload,
                         at=timezone.now())


def _locked(rnd: ProjectRound) -> ProjectRound:
    return ProjectRound.objects.select_for_update().get(pk=rnd.pk)


def _need(rnd: ProjectRound, *stages: str, doing: str) -> None:
    if rnd.stage not in stages:
        names = "、".join(Stage(s).label for s in stages)
        raise ProjectRefused(f"当前处于“{Stage(rnd.stage).label}”阶段，{doing}须在“{names}”阶段进行", 409)


# --- the round ---------------------------------------------------------------------------------

def create_round(user: User, congress: Congress, *, year: int, places: int,
                 threshold: str = Threshold.ALL_DEPUTIES, tie_rule: str = TieRule.REVOTE) -> ProjectRound:
    if places < 1:
        raise ProjectRefused("正式项目数至少为1个")
    if threshold not in Threshold.values or tie_rule not in TieRule.values:
        raise ProjectRefused("当选门槛或同票规则不存在")
    if ProjectRound.objects.filter(congress=congress, year=year).exists():
        raise ProjectRefused(f"{year}年的民生实事项目票决已经建立")
    with transaction.atomic():
        rnd = ProjectRound.objects.create(congress=congress, year=year, places=places, threshold=threshold,
                                          tie_rule=tie_rule, created_by=user)
        _event(rnd, user, "round_created", "建立民生实事项目票决", year=year)
    return rnd


def set_rules(user: User, rnd: ProjectRound, *, places: int, threshold: str, tie_rule: str) -> ProjectRound:
    """Places and rules may change until the candidates go to the deputies."""
    with transaction.atomic():
        rnd = _locked(rnd)
        _need(rnd, Stage.COLLECTING, Stage.SCREENING, doing="修改票决规则")
        if places < 1 or threshold not in Threshold.values or tie_rule not in TieRule.values:
            raise ProjectRefused("票决规则填写有误")
        rnd.places, rnd.threshold, rnd.tie_rule = places, threshold, tie_rule
        rnd.save(update_fields=["places", "threshold", "tie_rule"])
        _event(rnd, user, "rules_set", "修改票决规则", places=places)
    return rnd


def advance(user: User, rnd: ProjectRound, to: str) -> ProjectRound:
    """征集 → 初定 → 审议 (publishing the candidates to deputies). The vote itself opens with
    open_vote; 评估 follows the grading."""
    steps = {Stage.SCREENING: Stage.COLLECTING, Stage.REVIEW: Stage.SCREENING}
    if to not in steps:
        raise ProjectRefused("不能直接进入该阶段")
    with transaction.atomic():
        rnd = _locked(rnd)
        if rnd.stage != steps[to]:
            raise ProjectRefused(f"当前处于“{Stage(rnd.stage).label}”阶段，不能进入“{Stage(to).label}”", 409)
        if to == Stage.REVIEW:
            n = rnd.candidates.count()
            # 差额: RULES §5, "以差额票决方式" (海南 2024: 12 → 10).
            if n <= rnd.places:
                raise ProjectRefused(f"候选项目{n}个，须多于正式项目数{rnd.places}个（差额票决），"
                                     "请增加候选项目或减少正式项目数")
            rnd.published_at = timezone.now()
        old, rnd.stage = rnd.stage, to
        rnd.save(update_fields=["stage", "published_at"])
        append_subject_event(SUBJECT, rnd.pk, rnd.congress_id, user, "stage_changed",
                             f"进入“{Stage(to).label}”阶段", payload={"stage": to}, at=timezone.now(),
                             from_state=old, to_state=to)
    return rnd


def set_explanation(user: User, rnd: ProjectRound, text: str) -> ProjectRound:
    with transaction.atomic():
        rnd = _locked(rnd)
        _need(rnd, Stage.SCREENING, Stage.REVIEW, doing="填写政府说明")
        if not text.strip():
            raise ProjectRefused("请填写政府关于候选项目的说明")
        rnd.explanation = text.strip()
        rnd.save(update_fields=["explanation"])
        _event(rnd, user, "explanation_set", "填写政府关于候选项目的说明")
    return rnd


# --- 征集 --------------------------------------------------------------------------------------

def submit_idea(rnd: ProjectRound, *, source: str, title: str, content: str, district: str = "",
                proposer_name: str = "", proposer_phone: str = "", user: User | None = None,
                ip: str = "") -> ProjectIdea:
    """A project idea; a public one (no login) gets a receipt code to look it up later."""
    if source not in IdeaSource.values:
        raise ProjectRefused("建议来源不存在")
    if not title.strip() or not content.strip():
        raise ProjectRefused("请填写项目建议和具体内容")
    if source != IdeaSource.PUBLIC and user is None:
        raise ProjectRefused("代表、联络站和部门的建议须登录后提出", 403)
    with transaction.atomic():
        rnd = _locked(rnd)
        if rnd.stage != Stage.COLLECTING:
            raise ProjectRefused(f"{rnd.year}年民生实事项目征集已经结束", 409)
        hashed = network_hash("project_idea", ip) if ip else ""
        if source == IdeaSource.PUBLIC and hashed:
            now = timezone.now()
            recent = ProjectIdea.objects.filter(network_hash=hashed, submitted_at__gte=now - dt.timedelta(days=1))
            if (recent.filter(submitted_at__gte=now - dt.timedelta(hours=1)).count() >= IDEAS_PER_HOUR
                    or recent.count() >= IDEAS_PER_DAY):
                raise ProjectRefused(f"提交过于频繁：同一网络每小时最多提交{IDEAS_PER_HOUR}条、每天最多"
                                     f"{IDEAS_PER_DAY}条项目建议，请稍后再试。", 429)
        idea = ProjectIdea.objects.create(
            round=rnd, source=source, title=title.strip()[:120], content=content.strip(), district=district[:60],
            proposer_name=proposer_name[:60], proposer_phone=proposer_phone[:30], submitted_by=user,
            receipt=new_code(RECEIPT_LENGTH) if source == IdeaSource.PUBLIC else "",
            network_hash=hashed)
        _event(rnd, user, "idea_submitted", "收到民生实事项目建议", title=idea.title, kind=source)
    return idea


# --- 初定 --------------------------------------------------------------------------------------

def add_candidate(user: User, rnd: ProjectRound, *, title: str, budget_wan: Decimal, department: Organization,
                  location: str, start_on: dt.date, end_on: dt.date, expected: str,
                  ideas: Sequence[ProjectIdea] = ()) -> Candidate:
    with transaction.atomic():
        rnd = _locked(rnd)
        _need(rnd, Stage.SCREENING, doing="确定候选项目")
        if not title.strip() or not location.strip() or not expected.strip():
            raise ProjectRefused("请填写项目名称、实施地点和预期效果")
        if budget_wan is None or Decimal(budget_wan) <= 0:
            raise ProjectRefused("预算须大于0万元")
        if end_on < start_on:
            raise ProjectRefused("完成日期不能早于开始日期")
        if department.congress_id != rnd.congress_id:
            raise ProjectRefused("责任单位须是本级的单位")
        if any(i.round_id != rnd.pk for i in ideas):
            raise ProjectRefused("来源建议须是本年度征集的建议")
        taken = {int(c) for c in rnd.candidates.values_list("code", flat=True) if c.isdigit()}
        cand = Candidate.objects.create(round=rnd, code=str(max(taken, default=0) + 1), title=title.strip(),
                                        budget_wan=budget_wan, department=department, location=location.strip(),
                                        start_on=start_on, end_on=end_on, expected=expected.strip())
        if ideas:
            cand.ideas.set(ideas)
            ProjectIdea.objects.filter(pk__in=[i.pk for i in ideas]).update(adopted=True)
        _event(rnd, user, "candidate_added", "确定候选项目", title=cand.title)
    return cand


def remove_candidate(user: User, cand: Candidate) -> None:
    with transaction.atomic():
        rnd = _locked(cand.round)
        _need(rnd, Stage.SCREENING, doing="删除候选项目")
        cand.delete()
        _event(rnd, user, "candidate_removed", "删除候选项目", title=cand.title)


# --- 票决 --------------------------------------------------------------------------------------

def electorate(congress_id: int) -> list[User]:
    """Active deputies of the congress who have an account (they vote on their phones)."""
    rows = (Deputy.objects.filter(congress_id=congress_id, status=DeputyStatus.ACTIVE, user__isnull=False,
                                  user__is_active=True).select_related("user").order_by("id"))
    return [d.user for d in rows]


def active_deputies(congress_id: int) -> int:
    return Deputy.objects.filter(congress_id=congress_id, status=DeputyStatus.ACTIVE).count()


def _new_box(rnd: ProjectRound, cands: list[Candidate], places: int, *, paper: bool,
             revote_of: ProjectBallot | None = None, present: int | None = None) -> ProjectBallot:
    box = ProjectBallot.objects.create(
        congress_id=rnd.congress_id, round=rnd, places=places, revote_of=revote_of, paper=paper, secret=True,
        choices=[[c.code, c.title] for c in cands], min_marks=1, max_marks=places, present=present)
    if paper:
        ballots.open_box(box.pk, (), electorate_size=active_deputies(rnd.congress_id))
    else:
        ballots.open_box(box.pk, electorate(rnd.congress_id))
    box.refresh_from_db()
    return box


def open_vote(user: User, rnd: ProjectRound, *, paper: bool = False) -> ProjectBallot:
    """审议 → 票决: one box, choose 1 to N of the M candidates (a blank ballot or more than N
    marks is invalid, RULES §5 and the ballot core's min/max marks)."""
    with transaction.atomic():
        rnd = _locked(rnd)
        _need(rnd, Stage.REVIEW, doing="开始票决")
        cands = list(rnd.candidates.order_by("id"))
        if len(cands) <= rnd.places:
            raise ProjectRefused(f"候选项目须多于正式项目数{rnd.places}个（差额票决）")
        box = _new_box(rnd, cands, rnd.places, paper=paper)
        rnd.stage = Stage.VOTING
        rnd.save(update_fields=["stage"])
        append_subject_event(SUBJECT, rnd.pk, rnd.congress_id, user, "vote_opened",
                             "开始票决（纸质选票）" if paper else "开始票决", payload={"places": rnd.places},
                             at=timezone.now(), from_state=Stage.REVIEW, to_state=Stage.VOTING)
    return box


def current_box(rnd: ProjectRound) -> ProjectBallot | None:
    return rnd.ballots.order_by("-id").first()


def cast(box: ProjectBallot, user: User, codes: Sequence[str]) -> ballots.Cast:
    """A deputy's ballot, cast on the phone. Over N marks or none: recorded as invalid."""
    return ballots.cast(box.pk, user, list(codes))


def outcome(box: ProjectBallot) -> rules.Outcome:
    rnd = box.round
    counts = box.tally.get("counts", {})
    present = box.present if box.present is not None else box.tally.get("cast", 0)
    base = rules.threshold_base(rnd.threshold, box.electorate_size or 0, present)
    budgets = dict(rnd.candidates.values_list("code", "budget_wan"))
    return rules.decide(counts, [c for c, _l in box.choices], box.places, base, rnd.tie_rule, budgets)


def _counted(user: User, box: ProjectBallot) -> ProjectBallot | None:
    """After a box closes: record its result; open a 重新投票 among the tied, or choose the
    projects (the first box's winners plus each revote's). Returns the revote box, if any."""
    box = ProjectBallot.objects.select_related("round").get(pk=box.pk)
    rnd = _locked(box.round)
    out = outcome(box)
    box.result = {"ranked": out.ranked, "chosen": out.chosen, "passing": out.passing, "tied": out.tied,
                  "revote_places": out.revote_places}
    box.save(update_fields=["result"])
    _event(rnd, user, "vote_counted", "票决计票完成", result=box.result)
    if out.tied:
        cands = list(rnd.candidates.filter(code__in=out.tied).order_by("id"))
        return _new_box(rnd, cands, out.revote_places, paper=box.paper, revote_of=box)
    _choose(rnd, box)
    return None


def _choose(rnd: ProjectRound, last: ProjectBallot) -> None:
    chain = []
    b: ProjectBallot | None = last
    while b is not None:
        chain.append(b)
        b = b.revote_of
    chain.reverse()  # the first box, then each revote
    chosen: list[tuple[str, int]] = []
    first_votes = dict(chain[0].result["ranked"])
    for b in chain:
        chosen += [(c, first_votes.get(c, 0)) for c in b.result["chosen"]]
    by_code = {c.code: c for c in rnd.candidates.all()}
    LivelihoodProject.objects.bulk_create([
        LivelihoodProject(round=rnd, candidate=by_code[code], votes=votes, rank=i)
        for i, (code, votes) in enumerate(chosen, start=1)])
    old, rnd.stage = rnd.stage, Stage.IMPLEMENTING
    rnd.save(update_fields=["stage"])
    append_subject_event(SUBJECT, rnd.pk, rnd.congress_id, None, "projects_chosen",
                         f"票决产生{len(chosen)}个民生实事项目", payload={"count": len(chosen)},
                         at=timezone.now(), from_state=old, to_state=Stage.IMPLEMENTING)


def close_vote(user: User, box: ProjectBallot, *, present: int | None = None) -> ProjectBallot:
    """End the phone vote and count at once. `present`: deputies present at the session (for the
    出席代表过半数 threshold); without it the ballots cast stand for those present."""
    with transaction.atomic():
        if present is not None:
            if present < 0 or present > (box.electorate_size or 0):
                raise ProjectRefused("出席代表人数不能多于应到人数")
            ProjectBallot.objects.filter(pk=box.pk).update(present=present)
        ballots.close_box(box.pk)
        revote = _counted(user, box)
    return revote or ProjectBallot.objects.get(pk=box.pk)


def enter_paper(user: User, box: ProjectBallot, *, cast_n: int, invalid: int,
                counts: dict[str, int]) -> ProjectBallot:
    """The 秘书处's paper count, entered twice (ballots.enter_paper_tally); the matching second
    entry closes the box and counts the result at once."""
    closed = ballots.enter_paper_tally(box.pk, user, cast=cast_n, invalid=invalid, counts=counts)
    if closed.state != BoxState.CLOSED:
        return ProjectBallot.objects.get(pk=box.pk)
    with transaction.atomic():
        revote = _counted(user, box)
    return revote or ProjectBallot.objects.get(pk=box.pk)


# --- implementation ----------------------------------------------------------------------------

def add_milestone(user: User, project: LivelihoodProject, *, title: str, weight: int,
                  planned_on: dt.date) -> Milestone:
    cand = project.candidate
    if not title.strip():
        raise ProjectRefused("请填写节点名称")
    if weight < 1:
        raise ProjectRefused("节点权重至少为1")
    if planned_on > cand.end_on:
        raise ProjectRefused(f"节点计划日期{planned_on:%Y年%m月%d日}晚于项目完成日期{cand.end_on:%Y年%m月%d日}，"
                             "请调整节点日期或先调整项目计划")
    if planned_on < cand.start_on:
        raise ProjectRefused(f"节点计划日期早于项目开始日期{cand.start_on:%Y年%m月%d日}")
    with transaction.atomic():
        rnd = _locked(project.round)
        _need(rnd, Stage.IMPLEMENTING, doing="安排项目节点")
        ms = Milestone.objects.create(project=project, title=title.strip(), weight=weight, planned_on=planned_on)
        _event(rnd, user, "milestone_added", "安排项目节点", title=project.candidate.title, milestone=ms.title)
    return ms


def complete_milestone(user: User, ms: Milestone, done_on: dt.date, today: dt.date | None = None) -> Milestone:
    today = today or timezone.localdate()
    if done_on > today:
        raise ProjectRefused("实际完成日期不能晚于今天")
    if ms.done_on is not None:
        raise ProjectRefused("该节点已经完成", 409)
    with transaction.atomic():
        rnd = _locked(ms.project.round)
        _need(rnd, Stage.IMPLEMENTING, doing="报告节点完成")
        ms.done_on = done_on
        ms.save(update_fields=["done_on"])
        project = ms.project
        if not project.milestones.filter(done_on__isnull=True).exists():
            project.completed_on = done_on
            project.save(update_fields=["completed_on"])
        _event(rnd, user, "milestone_done", "报告节点完成", title=project.candidate.title, milestone=ms.title)
    return ms


def record_funds(user: User, project: LivelihoodProject, spent_wan: Decimal) -> LivelihoodProject:
    if spent_wan is None or Decimal(spent_wan) < 0:
        raise ProjectRefused("已支出资金不能为负数")
    with transaction.atomic():
        rnd = _locked(project.round)
        _need(rnd, Stage.IMPLEMENTING, doing="报告资金支出")
        project.funds_spent_wan = spent_wan
        project.save(update_fields=["funds_spent_wan"])
        _event(rnd, user, "funds_reported", "报告资金支出", title=project.candidate.title, note=str(spent_wan))
    return project


def progress(project: LivelihoodProject) -> int:
    return rules.progress([(m.weight, m.done_on is not None) for m in project.milestones.all()])


def is_lagging(project: LivelihoodProject, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    ms = list(project.milestones.all())
    overdue = sum(1 for m in ms if m.done_on is None and m.planned_on < today)
    cand = project.candidate
    return rules.lagging(progress(project), cand.start_on, cand.end_on, today, overdue)


def set_mid_report(user: User, rnd: ProjectRound, text: str, on: dt.date) -> ProjectRound:
    with transaction.atomic():
        rnd = _locked(rnd)
        _need(rnd, Stage.IMPLEMENTING, doing="报送年中监督报告")
        if not text.strip():
            raise ProjectRefused("请填写年中监督报告")
        rnd.mid_report, rnd.mid_report_on = text.strip(), on
        rnd.save(update_fields=["mid_report", "mid_report_on"])
        _event(rnd, user, "mid_report", "报送年中监督报告")
    return rnd


# --- 评估: year-end satisfaction, a box per project on the ballot core ----------------------

def open_grading(user: User, rnd: ProjectRound) -> list[ProjectGrading]:
    with transaction.atomic():
        rnd = _locked(rnd)
        _need(rnd, Stage.IMPLEMENTING, doing="开始满意度测评")
        projects = list(rnd.projects.select_related("candidate"))
        if ProjectGrading.objects.filter(project__round=rnd).exists():
            raise ProjectRefused("满意度测评已经开始", 409)
        voters = electorate(rnd.congress_id)
        boxes = []
        for p in projects:
            box = ProjectGrading.objects.create(congress_id=rnd.congress_id, project=p, secret=True,
                                                choices=vote_rules.grades(3), min_marks=1, max_marks=1)
            ballots.open_box(box.pk, voters)
            boxes.append(box)
        _event(rnd, user, "grading_opened", "开始民生实事项目满意度测评", count=len(boxes))
    return boxes


def grade(user: User, grading: ProjectGrading, code: str) -> ballots.Cast:
    return ballots.cast(grading.pk, user, [code])


def close_grading(user: User, rnd: ProjectRound) -> ProjectRound:
    with transaction.atomic():
        rnd = _locked(rnd)
        _need(rnd, Stage.IMPLEMENTING, doing="结束满意度测评")
        boxes = list(ProjectGrading.objects.filter(project__round=rnd, state=BoxState.OPEN))
        if not boxes:
            raise ProjectRefused("没有进行中的满意度测评", 409)
        for b in boxes:
            ballots.close_box(b.pk)
        old, rnd.stage = rnd.stage, Stage.EVALUATED
        rnd.save(update_fields=["stage"])
        append_subject_event(SUBJECT, rnd.pk, rnd.congress_id, user, "grading_closed", "满意度测评结束",
                             payload={"count": len(boxes)}, at=timezone.now(), from_state=old,
                             to_state=Stage.EVALUATED)
    return rnd


def satisfaction_share(grading: ProjectGrading) -> int | None:
    """满意 + 基本满意 as a whole per cent of valid ballots (None before the count)."""
    t = grading.tally or {}
    valid = t.get("cast", 0) - t.get("invalid", 0)
    if grading.state != BoxState.CLOSED or not valid:
        return None
    c = t.get("counts", {})
    return (c.get("satisfied", 0) + c.get("basic", 0)) * 100 // valid


def visible_congress_ids(congress: Congress) -> list[int]:
    """A city sees its own and its districts' rounds; a district only its own."""
    return [congress.pk, *Congress.objects.filter(Q(parent=congress)).values_list("pk", flat=True)]

