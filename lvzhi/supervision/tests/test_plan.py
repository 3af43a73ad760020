"""The annual supervision plan (监督法 第十二条、第六十三条): candidate → score → 主任会议 accepts →
plan approved → published → adjustment recorded and shown publicly; bad input refused in Chinese
with nothing changed; who may see what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases.models import Event
from lvzhi.supervision import plan_figures
from lvzhi.supervision.models import (
    Channel,
    Decision,
    Plan,
    PlanAdjustment,
    PlanState,
    Topic,
    TopicCandidate,
    TopicStage,
)

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _year() -> int:
    return timezone.localdate().year


def _future(days: int = 60) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _candidate(world, title="住宅小区物业管理情况") -> TopicCandidate:
    r = _as(world.committee_staff).post(f"{reverse('supervision:candidates')}?year={_year()}", {
        "title": title, "channel": Channel.PETITIONS, "form": "law_inspection",
        "reason": "2025年物业服务类信访件占全部信访的18%，业主反映收费不透明、维修资金使用难。"}, follow=True)
    assert "已添加候选议题" in r.content.decode()
    return TopicCandidate.objects.get(title=title)


def _accept(world, cand, **extra):
    data = {"decision": "accept", "form": "law_inspection", "lead_committee": world.committee.pk,
            "meeting_on": _future(), "supervised_body": "市人民政府", **extra}
    return _as(world.leader).post(reverse("supervision:candidate_decide", args=[cand.pk]), data, follow=True)


def test_the_plan_loop_from_candidate_to_public_adjustment(world):
    cand = _candidate(world)
    assert cand.proposer_name == world.committee.name and cand.decision == Decision.PENDING

    staff = _as(world.committee_staff)
    r = staff.post(reverse("supervision:candidate_score", args=[cand.pk]),
                   {"importance": 90, "urgency": 80, "feasibility": 70}, follow=True)
    assert "综合评分 80 分" in r.content.decode()

    r = _accept(world, cand)
    cand.refresh_from_db()
    topic = cand.topic
    assert cand.decision == Decision.ACCEPTED and topic.plan.year == _year()
    assert topic.stage == TopicStage.PLANNED and topic.lead_committee == world.committee

    # Not public before the 主任会议 passes and publishes it.
    assert Client().get(reverse("supervision:public_plan", args=[_year()])).status_code == 404

    leader = _as(world.leader)
    plan = topic.plan
    leader.post(reverse("supervision:plan_approve", args=[plan.pk]), {"note": "同意"})
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and plan.approved_by == world.leader
    _as(world.office_clerk).post(reverse("supervision:plan_publish", args=[plan.pk]))
    plan.refresh_from_db()
    topic.refresh_from_db()
    assert plan.state == PlanState.PUBLISHED and topic.stage == TopicStage.PUBLISHED

    public = Client().get(reverse("supervision:public_plan", args=[_year()])).content.decode()
    assert "住宅小区物业管理情况" in public and "本年度计划未作调整" in public

    new_day = _future(120)
    r = leader.post(reverse("supervision:plan_adjust", args=[plan.pk]), {
        "topic": topic.pk, "kind": "rescheduled", "new_meeting_on": new_day,
        "reason": "配合自治区人大常委会同步开展执法检查"}, follow=True)
    assert "已记录计划调整" in r.content.decode()
    topic.refresh_from_db()
    assert topic.meeting_on.isoformat() == new_day
    public = Client().get(reverse("supervision:public_plan", args=[_year()])).content.decode()
    assert "调整时间" in public and "配合自治区人大常委会同步开展执法检查" in public
    assert Event.objects.filter(subject_type="supervision_plan", subject_id=plan.pk).count() == 4

    # A candidate accepted after publication is itself an adjustment, with its reason.
    late = _candidate(world, "城市内涝治理情况")
    r = _accept(world, late)
    assert "请写明调整理由" in r.content.decode()
    assert not Topic.objects.filter(title="城市内涝治理情况").exists()
    _accept(world, late, reason="汛期内涝灾害多发，主任会议决定增加")
    added = PlanAdjustment.objects.get(kind="added")
    assert added.topic.title == "城市内涝治理情况" and added.topic.stage == TopicStage.PUBLISHED


def test_bad_input_changes_nothing(world):
    cand = _candidate(world)
    staff = _as(world.committee_staff)
    r = staff.post(reverse("supervision:candidate_score", args=[cand.pk]),
                   {"importance": 120, "urgency": 80, "feasibility": 70}, follow=True)
    assert "重要性不能大于100" in r.content.decode()
    cand.refresh_from_db()
    assert cand.score is None and cand.importance is None

    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    r = _accept(world, cand, meeting_on=past)
    assert "已过，请填写今天或以后的日期" in r.content.decode()
    cand.refresh_from_db()
    assert cand.decision == Decision.PENDING and not Topic.objects.exists()

    r = _as(world.leader).post(reverse("supervision:candidate_decide", args=[cand.pk]),
                               {"decision": "reject", "note": ""}, follow=True)
    assert "不列入计划的，请写明理由" in r.content.decode()

    _accept(world, cand)
    cand.refresh_from_db()
    plan = cand.topic.plan
    r = _as(world.leader).post(reverse("supervision:plan_adjust", args=[plan.pk]), {
        "topic": cand.topic_id, "kind": "removed", "reason": "因故取消"}, follow=True)
    assert "计划尚未向社会公布" in r.content.decode()
    assert not PlanAdjustment.objects.exists()
    cand.topic.refresh_from_db()
    assert cand.topic.stage == TopicStage.PLANNED

    r = _as(world.office_clerk).post(reverse("supervision:plan_publish", args=[plan.pk]), follow=True)
    assert "须经主任会议通过后才能向社会公布" in r.content.decode()
    assert Plan.objects.get(pk=plan.pk).state == PlanState.DRAFTING

    r = staff.post(f"{reverse('supervision:candidates')}?year={_year()}", {
        "title": "住宅小区物业管理情况", "channel": Channel.PUBLIC, "reason": "重复"})
    assert r.status_code == 400 and "请勿重复添加" in r.content.decode()
    assert TopicCandidate.objects.count() == 1


def test_who_may_see_and_decide(world):
    cand = _candidate(world)
    unit = _as(world.handlers[0])
    assert unit.get(reverse("supervision:candidates")).status_code == 403
    assert unit.get(reverse("supervision:plan")).status_code == 403
    assert _as(world.deputy_user).get(reverse("supervision:candidates")).status_code == 403
    # Staff may not decide: the 主任会议 does.
    assert _as(world.committee_staff).post(reverse("supervision:candidate_decide", args=[cand.pk]), {
        "decision": "accept", "form": "inquiry", "lead_committee": world.committee.pk}).status_code == 403
    cand.refresh_from_db()
    assert cand.decision == Decision.PENDING
    # Another congress's clerk cannot see this congress's topic.
    _accept(world, cand)
    cand.refresh_from_db()
    assert _as(world.other_congress_clerk).get(reverse("supervision:topic", args=[cand.topic_id])).status_code == 403
    page = _as(world.leader).get(reverse("supervision:topic", args=[cand.topic_id])).content.decode()
    assert "住宅小区物业管理情况" in page and "牵头委员会" in page


def test_public_page_shows_only_published_plans(world):
    cand = _candidate(world)
    _accept(world, cand)
    cand.refresh_from_db()
    plan = cand.topic.plan
    _as(world.leader).post(reverse("supervision:plan_approve", args=[plan.pk]))
    assert Client().get(reverse("supervision:public_plan", args=[_year()])).status_code == 404
    _as(world.leader).post(reverse("supervision:plan_publish", args=[plan.pk]))
    assert Client().get(reverse("supervision:public_plan", args=[_year()])).status_code == 200
    assert Client().get(reverse("supervision:public_plan", args=[_year() + 1])).status_code == 404


def test_joint_topic_is_seen_by_both_levels_and_rolls_up(world):
    from lvzhi.core.models import Congress, CongressLevel

    district = Congress.objects.create(name="北辰市城关区人民代表大会", short_name="城关区人大",
                                       level=CongressLevel.COUNTY, parent=world.congress)
    cand = _candidate(world)
    _accept(world, cand)
    cand.refresh_from_db()
    topic = cand.topic
    r = _as(world.committee_staff).post(reverse("supervision:topic_edit", args=[topic.pk]), {
        "supervised_body": "市人民政府", "meeting_on": _future(), "joint_kind": "with_below",
        "joint_with": [district.pk], "members": [world.leader.pk], "deputies": [world.deputies[0].pk],
        "schedule": "3月 制定方案\n5月 执法检查"}, follow=True)
    assert "已保存议题安排" in r.content.decode()
    start, end = dt.date(_year(), 1, 1), dt.date(_year(), 12, 31)
    assert list(plan_figures.joint(([district.pk]), start, end)) == [topic]
    assert plan_figures.joint([world.congress.pk, district.pk], start, end).count() == 1  # not counted twice
    assert list(plan_figures.inspections([world.congress.pk], start, end)) == [topic]


def test_demo_year_holds_a_published_plan_in_every_form(world):
    from lvzhi.core.models import Congress, CongressLevel
    from lvzhi.supervision import plan_demo

    Congress.objects.create(name="北辰市城关区人民代表大会", short_name="城关区人大", level=CongressLevel.COUNTY,
                            parent=world.congress)
    plan = plan_demo.build(world.congress)
    assert plan.is_published and plan.topics.count() == 28
    forms = set(plan.topics.values_list("form", flat=True))
    assert forms == {"work_report", "law_inspection", "inquiry", "appraisal", "research", "visit"}
    channels = set(TopicCandidate.objects.filter(congress=world.congress).values_list("channel", flat=True))
    assert channels == set(Channel.values)
    assert plan.adjustments.count() == 2
    public = Client().get(reverse("supervision:public_plan", args=[plan.year])).content.decode()
    assert "两官履职评议" in public and "增加议题" in public and "调整时间" in public


def test_suggestion_categories_become_candidates_with_one_click(world):
    from lvzhi.testing import draft, to_state

    to_state(world, draft(world), "registered")  # registered under 城乡建设
    staff = _as(world.committee_staff)
    page = staff.get(f"{reverse('supervision:candidates')}?year={_year()}").content.decode()
    assert "城乡建设" in page and "加入候选" in page
    r = staff.post(reverse("supervision:candidate_from_hint"), {
        "year": _year(), "label": "城乡建设", "ref": "建议类别：城乡建设", "n": 1}, follow=True)
    assert "已加入候选议题" in r.content.decode()
    cand = TopicCandidate.objects.get()
    assert cand.channel == Channel.SUGGESTIONS and cand.source_ref == "建议类别：城乡建设"
    assert "已加入" in r.content.decode()
    again = staff.post(reverse("supervision:candidate_from_hint"), {
        "year": _year(), "label": "城乡建设", "ref": "建议类别：城乡建设", "n": 1}, follow=True)
    assert "“城乡建设”已加入候选议题" in again.content.decode() and TopicCandidate.objects.count() == 1
