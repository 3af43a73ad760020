"""Every write of the annual supervision plan, and the reads its pages share.

The loop (监督法 第十二条、第六十三条): candidates are collected through the six channels and
scored by the committees → the 主任会议 accepts (a Topic of the year's Plan) or rejects each →
the 主任会议 approves the plan → it is published → each mid-year change is a PlanAdjustment,
shown with the public plan. Each step checks its input and state first and changes nothing on a
refusal (forms.ValidationError with the Chinese message); each decision is appended to the
congress's SM3 event chain as subject "supervision_plan".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lvzhi.cases.events import append_subject_event
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import Case, RuleSet
from lvzhi.core.models import Organization, User
from lvzhi.supervision.models import (
    CRITERIA,
    AdjustmentKind,
    Channel,
    Decision,
    Plan,
    PlanAdjustment,
    PlanState,
    Topic,
    TopicCandidate,
    TopicStage,
)

SUBJECT = "supervision_plan"
WEIGHTS_PARAM = "supervision_score_weights"  # RuleSet.params: {"importance": 40, "urgency": 30, …}
SUGGESTION_KINDS = ("suggestion", "motion")
HOT_TOPICS_CACHE_SECONDS = 600


def refuse(message: str) -> None:
    raise forms.ValidationError(message)


def _log(plan: Plan, actor: User, name: str, label: str, payload: dict, **states: str) -> None:
    append_subject_event(SUBJECT, plan.pk, plan.congress_id, actor, name, label, payload=payload,
                         at=timezone.now(), **states)


# ------------------------------------------------------------------ reads

def plan_for(congress_id: int, year: int, *, create: bool = False) -> Plan | None:
    if create:
        return Plan.objects.get_or_create(congress_id=congress_id, year=year)[0]
    return Plan.objects.filter(congress_id=congress_id, year=year).first()


def congress_topics(congress_id: int) -> QuerySet[Topic]:
    """A congress's topics: its own and those joint with it (三级联动: a joint topic is visible
    to both levels)."""
    return Topic.objects.filter(Q(congress_id=congress_id) | Q(joint_with__id=congress_id)).distinct()


def weights(congress_id: int) -> dict[str, int]:
    """The criteria's weights; equal unless the congress set RuleSet.params[WEIGHTS_PARAM]."""
    rules = RuleSet.objects.filter(congress_id=congress_id).first()
    given = (rules.params or {}).get(WEIGHTS_PARAM) if rules else None
    out = {code: 1 for code, _ in CRITERIA}
    if isinstance(given, dict):
        out.update({k: int(v) for k, v in given.items() if k in out and isinstance(v, int | float) and v >= 0})
    return out if sum(out.values()) else {code: 1 for code, _ in CRITERIA}


@dataclass
class Progress:
    """A topic's progress for the 主任会议: its opinions and its problems by state."""

    opinions: int = 0
    opinions_sent: int = 0
    problems: list[tuple[str, str, str, int]] = field(default_factory=list)  # (code, label, style, n)

    @property
    def problems_total(self) -> int:
        return sum(n for *_, n in self.problems)


def progress(topics: list[Topic]) -> dict[int, Progress]:
    """Two queries for any number of topics."""
    out = {t.pk: Progress() for t in topics}
    ids = list(out)
    for row in (Topic.objects.filter(pk__in=ids)
                .annotate(n=Count("opinions"), sent=Count("opinions", filter=Q(opinions__sent_at__isnull=False)))
                .values("pk", "n", "sent")):
        out[row["pk"]].opinions, out[row["pk"]].opinions_sent = row["n"], row["sent"]
    counts: dict[int, Counter] = {}
    for row in (Case.objects.filter(kind="problem", problem_detail__opinion__topic__in=ids)
                .values("problem_detail__opinion__topic", "state").annotate(n=Count("id")).order_by()):
        counts.setdefault(row["problem_detail__opinion__topic"], Counter())[row["state"]] = row["n"]
    states = get_kind("problem").states
    for pk, c in counts.items():
        out[pk].problems = [(s.code, s.label, s.color, c[s.code]) for s in states if c.get(s.code)]
    return out


def hint_period(year: int) -> tuple[dt.date, dt.date]:
    """A year's plan is drawn up late in the year before, from the suggestions of that year and
    of the plan year so far: 1 January of year − 1 to the end of the plan year or today."""
    return dt.date(year - 1, 1, 1), min(dt.date(year, 12, 31), timezone.localdate())


def hints(congress_id: int, year: int) -> dict:
    """What the platform already holds for 第十二条(二) "代表建议集中反映的问题": the suggestion
    categories by count, and the hot topics of the cases, over hint_period(year) (lvzhi.assist's
    clustering, cached like its own page). Items already taken as candidates are marked."""
    from lvzhi.assist.views import _compute_topics  # the hot-topics page's one computation

    start, end = hint_period(year)
    if end < start:
        return {"categories": [], "hot_topics": [], "start": start, "end": end}
    qs = Case.objects.filter(congress_id=congress_id, kind__in=SUGGESTION_KINDS,
                             submitted_at__date__gte=start, submitted_at__date__lte=end)
    categories = list(qs.exclude(category="").values("category").annotate(n=Count("id")).order_by("-n")[:12])
    key = f"supervision:hot:{congress_id}:{start}:{end}"
    data = cache.get(key)
    if data is None:
        data = _compute_topics(congress_id, start, end)
        cache.set(key, data, HOT_TOPICS_CACHE_SECONDS)
    taken = set(TopicCandidate.objects.filter(congress_id=congress_id, year=year)
                .exclude(source_ref="").values_list("source_ref", flat=True))
    cats = [{"label": c["category"], "n": c["n"], "ref": f"建议类别：{c['category']}"} for c in categories]
    hot = [{"label": "、".join(t["key_phrases"][:3]) or t["title"], "title": t["title"], "n": t["size"],
            "ref": f"热点话题：{'、'.join(t['key_phrases'][:3]) or t['title']}"[:200]}
           for t in data.get("topics", [])[:10]]
    for item in cats + hot:
        item["taken"] = item["ref"] in taken
    return {"categories": cats, "hot_topics": hot, "start": start, "end": end}


# ------------------------------------------------------------------ candidates

def add_candidate(actor: User, *, year: int, title: str, channel: str, reason: str,
                  proposer_name: str = "", source_ref: str = "", form: str = "") -> TopicCandidate:
    if channel not in Channel.values:
        refuse("请选择第十二条规定的议题来源渠道")
    if TopicCandidate.objects.filter(congress_id=actor.congress_id, year=year, title=title).exists():
        refuse(f"{year}年已有同名候选议题“{title}”，请勿重复添加")
    name = proposer_name or (actor.organization.name if actor.organization_id else actor.name)
    return TopicCandidate.objects.create(congress_id=actor.congress_id, year=year, title=title, channel=channel,
                                         reason=reason, proposer=actor, proposer_name=name[:100],
                                         source_ref=source_ref[:200], form=form)


def add_from_hint(actor: User, *, year: int, label: str, ref: str, n: int) -> TopicCandidate:
    """加入候选: a hot topic or category of the year's suggestions becomes a candidate of the
    channel 代表建议集中反映的问题."""
    if not label.strip() or not ref.startswith(("热点话题：", "建议类别：")):
        refuse("线索无效，请从页面列出的热点话题或建议类别中选择")
    if TopicCandidate.objects.filter(congress_id=actor.congress_id, year=year, source_ref=ref).exists():
        refuse(f"“{label}”已加入候选议题")
    return add_candidate(actor, year=year, title=f"{label}问题"[:200], channel=Channel.SUGGESTIONS,
                         reason=f"{year}年代表建议中集中反映{label}方面的问题（{n}件），建议列入年度监督工作计划。",
                         source_ref=ref)


def score_candidate(actor: User, candidate: TopicCandidate, scores: dict[str, int]) -> TopicCandidate:
    """Each criterion 0–100; the overall score is their weighted mean (weights())."""
    if candidate.congress_id != actor.congress_id:
        refuse("不能评估其他人大的候选议题")
    if candidate.decision != Decision.PENDING:
        refuse("主任会议已作出决定，不能再修改评分")
    for code, label in CRITERIA:
        value = scores.get(code)
        if not isinstance(value, int) or not 0 <= value <= 100:
            refuse(f"{label}评分应为0到100之间的整数")
    w = weights(candidate.congress_id)
    total = sum(w[c] * scores[c] for c, _ in CRITERIA) / sum(w.values())
    for code, _ in CRITERIA:
        setattr(candidate, code, scores[code])
    candidate.score, candidate.scored_by, candidate.scored_at = round(total), actor, timezone.now()
    candidate.save(update_fields=[c for c, _ in CRITERIA] + ["score", "scored_by", "scored_at"])
    return candidate


def _check_meeting(day: dt.date | None) -> None:
    if day is not None and day < timezone.localdate():
        refuse(f"常委会会议日期{day:%Y-%m-%d}已过，请填写今天或以后的日期")


@transaction.atomic
def decide_candidate(actor: User, candidate: TopicCandidate, *, accept: bool, note: str = "",
                     form: str = "", lead_committee: Organization | None = None,
                     meeting_on: dt.date | None = None, supervised_body: str = "",
                     reason: str = "") -> TopicCandidate:
    """主任会议's decision. Accepting creates the topic in the year's plan; on a plan already
    published, that is an adjustment (增加议题) and needs its reason."""
    candidate = TopicCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.congress_id != actor.congress_id:
        refuse("不能决定其他人大的候选议题")
    if candidate.decision != Decision.PENDING:
        refuse(f"该候选议题已于{timezone.localtime(candidate.decided_at):%Y-%m-%d}作出决定：{candidate.get_decision_display()}")
    plan = Plan.objects.select_for_update().get(pk=plan_for(candidate.congress_id, candidate.year, create=True).pk)
    if not accept:
        if not note.strip():
            refuse("不列入计划的，请写明理由")
        candidate.decision = Decision.REJECTED
    else:
        if not form:
            refuse("请选择监督形式")
        if lead_committee is None or lead_committee.congress_id != actor.congress_id:
            refuse("请选择牵头委员会")
        _check_meeting(meeting_on)
        if plan.state == PlanState.PUBLISHED and not reason.strip():
            refuse("计划已向社会公布，增加议题属于计划调整，请写明调整理由")
        if plan.state == PlanState.APPROVED:
            refuse("计划已经主任会议通过、尚未公布；请公布后以计划调整方式增加议题")
        topic = Topic.objects.create(
            congress_id=candidate.congress_id, year=candidate.year, title=candidate.title, form=form,
            lead_committee=lead_committee, meeting_on=meeting_on, supervised_body=supervised_body, plan=plan,
            stage=TopicStage.PUBLISHED if plan.is_published else TopicStage.PLANNED)
        candidate.decision, candidate.topic = Decision.ACCEPTED, topic
        if plan.is_published:
            PlanAdjustment.objects.create(plan=plan, topic=topic, kind=AdjustmentKind.ADDED, reason=reason.strip(),
                                          new_meeting_on=meeting_on, by=actor)
    candidate.decision_note, candidate.decided_by, candidate.decided_at = note.strip()[:300], actor, timezone.now()
    candidate.save()
    _log(plan, actor, "decide_candidate", "主任会议决定候选议题",
         {"title": candidate.title, "accepted": accept, "note": candidate.decision_note})
    return candidate


# ------------------------------------------------------------------ the plan

@transaction.atomic
def approve_plan(actor: User, plan: Plan, note: str = "") -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.congress_id != actor.congress_id:
        refuse("不能审议其他人大的计划")
    if plan.state != PlanState.DRAFTING:
        refuse(f"计划当前为“{plan.get_state_display()}”，不能再次通过")
    if not plan.topics.exclude(stage=TopicStage.REMOVED).exists():
        refuse("计划中还没有议题，请先决定候选议题")
    plan.state, plan.approved_at, plan.approved_by = PlanState.APPROVED, timezone.now(), actor
    plan.approval_note = note.strip()[:300]
    plan.save()
    _log(plan, actor, "approve_plan", "主任会议通过年度监督工作计划", {"note": plan.approval_note},
         from_state=PlanState.DRAFTING, to_state=PlanState.APPROVED)
    return plan


@transaction.atomic
def publish_plan(actor: User, plan: Plan) -> Plan:
    """第六十三条 "向社会公布": the plan and its topics appear on the public page."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.congress_id != actor.congress_id:
        refuse("不能公布其他人大的计划")
    if plan.state != PlanState.APPROVED:
        refuse("计划须经主任会议通过后才能向社会公布" if plan.state == PlanState.DRAFTING else "计划已经公布")
    plan.state, plan.published_at = PlanState.PUBLISHED, timezone.now()
    plan.save()
    plan.topics.filter(stage=TopicStage.PLANNED).update(stage=TopicStage.PUBLISHED)
    _log(plan, actor, "publish_plan", "年度监督工作计划向社会公布", {"year": plan.year},
         from_state=PlanState.APPROVED, to_state=PlanState.PUBLISHED)
    return plan


@transaction.atomic
def adjust(actor: User, plan: Plan, *, topic: Topic, kind: str, reason: str, detail: str = "",
           new_meeting_on: dt.date | None = None) -> PlanAdjustment:
    """第六十三条 "可以根据实际需要作出适当调整": a published plan's topic is removed, rescheduled or
    changed, each with its reason (增加议题 goes through decide_candidate)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.congress_id != actor.congress_id:
        refuse("不能调整其他人大的计划")
    if not plan.is_published:
        refuse("计划尚未向社会公布，直接修改议题即可，无需作为计划调整")
    if topic.plan_id != plan.pk:
        refuse("该议题不在本年度计划中")
    if topic.stage == TopicStage.REMOVED:
        refuse("该议题已调整取消，不能再调整")
    if not reason.strip():
        refuse("请写明调整理由")
    old = topic.meeting_on
    if kind == AdjustmentKind.REMOVED:
        topic.stage = TopicStage.REMOVED
    elif kind == AdjustmentKind.RESCHEDULED:
        if new_meeting_on is None:
            refuse("调整时间的，请填写调整后的常委会会议日期")
        _check_meeting(new_meeting_on)
        if new_meeting_on == old:
            refuse("调整后的会议日期与原日期相同")
        topic.meeting_on = new_meeting_on
    elif kind == AdjustmentKind.CHANGED:
        if not detail.strip():
            refuse("调整内容的，请写明调整了什么")
    else:
        refuse("请选择调整类型（增加议题请通过候选议题决定）")
    topic.save(update_fields=["stage", "meeting_on"])
    row = PlanAdjustment.objects.create(plan=plan, topic=topic, kind=kind, reason=reason.strip(),
                                        detail=detail.strip()[:300], old_meeting_on=old,
                                        new_meeting_on=topic.meeting_on if kind == AdjustmentKind.RESCHEDULED else None,
                                        by=actor)
    _log(plan, actor, "adjust_plan", "调整年度监督工作计划",
         {"title": topic.title, "stage": row.get_kind_display(), "reason": row.reason})
    return row


def update_topic(actor: User, topic: Topic, data: dict) -> Topic:
    """The lead committee keeps members, deputies, schedule and the rest; once the plan is
    published the meeting date changes only by an adjustment (adjust)."""
    published = topic.plan is not None and topic.plan.is_published
    if "meeting_on" in data and data["meeting_on"] != topic.meeting_on:
        if published:
            refuse("计划已向社会公布，会议日期须由主任会议以计划调整方式变更")
        _check_meeting(data["meeting_on"])
    for name in ("meeting_on", "supervised_body", "summary", "schedule", "joint_kind"):
        if name in data:
            setattr(topic, name, data[name])
    joint = list(data.get("joint_with", topic.joint_with.all()))
    if topic.joint_kind and not joint:
        refuse("选择了三级联动，请选择联动的人大")
    if not topic.joint_kind and joint:
        refuse("选择了联动的人大，请同时选择联动方式")
    with transaction.atomic():
        topic.save()
        for name in ("members", "deputies", "joint_with"):
            if name in data:
                getattr(topic, name).set(data[name])
    return topic
