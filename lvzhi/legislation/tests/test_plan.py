"""The annual legislative plan: items by kind, motions linked, approved by the 主任会议, published
on the portal, adjusted with reasons; bad input refused in Chinese with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.cases.engine import fire
from lvzhi.cases.events import verify_chain
from lvzhi.cases.models import Event
from lvzhi.cases.workflow import InvalidInput, NotAllowed, WrongState
from lvzhi.legislation import plan_services as svc
from lvzhi.legislation.choices import Action, BillState
from lvzhi.legislation.models import Regulation
from lvzhi.legislation.plan_models import ItemKind, PlanAdjustmentKind, PlanState
from lvzhi.legislation.testing import add_law_bodies
from lvzhi.legislation.tests.test_bill_support import DRAFT
from lvzhi.legislation.versions import record_version
from lvzhi.suggestions.services import create_draft
from lvzhi.testing import SUGGESTION_BODY

pytestmark = pytest.mark.django_db
YEAR = 2027
MOTION = {"kind": "motion", "title": "关于制定北辰市电动自行车管理条例的议案", "body": SUGGESTION_BODY,
          "category": "城乡建设", "cause": "电动自行车数量快速增长，交通事故和火灾隐患突出。",
          "basis": "根据《中华人民共和国道路交通安全法》和自治区有关规定。",
          "plan": "制定本市电动自行车管理条例，明确登记、通行、停放充电和监督管理。"}


@pytest.fixture
def law(world):
    return add_law_bodies(world)


def motion(world, title: str = MOTION["title"], submit: bool = True):
    case = create_draft(world.deputy_user, {**MOTION, "title": title,
                                            "cosigners": [d.pk for d in world.deputies[1:10]]}, session=world.session)
    if submit:
        fire(case, "submit", world.deputy_user)
        for c in case.cosigns.all():
            fire(case, "confirm_cosign", c.deputy.user)
    case.refresh_from_db()
    return case


def item(law, plan, title: str = "北辰市电动自行车管理条例", kind: str = ItemKind.FORMAL, **kw):
    data = {"title": title, "kind": kind, "action": Action.ENACT, "drafting_body": "市公安局",
            "planned_readings": "4月一审、8月二审", **kw}
    return svc.add_item(law.law_clerk, plan, data)


def test_plan_items_motions_approve_publish_adjust(world, law):
    plan = svc.plan_for(world.congress.pk, YEAR, create=True)
    reg = Regulation.objects.create(congress=world.congress, title="北辰市物业管理条例")
    record_version(reg, Action.ENACT, dt.date(2019, 6, 28), text=DRAFT)
    a = item(law, plan, committee=world.committee)
    b = item(law, plan, "北辰市物业管理条例（修订）", action=Action.REVISE, regulation=reg)
    c = item(law, plan, "北辰市历史建筑保护条例", ItemKind.RESERVE)
    item(law, plan, "北辰市城市更新条例", ItemKind.RESEARCH)
    assert svc.kind_counts(plan) == {"formal": 2, "reserve": 1, "research": 1}
    m1, m2 = motion(world), motion(world, "关于加强电动自行车充电安全管理的议案")
    draft_motion = motion(world, "关于制定养犬管理条例的议案", submit=False)
    with pytest.raises(InvalidInput, match="尚未提交"):
        svc.link_motions(law.law_clerk, a, [m1.pk, draft_motion.pk])
    assert a.motions.count() == 0
    svc.link_motions(law.law_clerk, a, [m1.pk, m2.pk])
    assert set(a.motions.all()) == {m1, m2}
    assert list(svc.motions_of(world.congress.pk, "充电")) == [m2]
    with pytest.raises(NotAllowed):
        svc.approve_plan(law.law_clerk, plan)
    with pytest.raises(WrongState, match="须经主任会议通过"):
        svc.publish_plan(law.law_clerk, plan)
    svc.approve_plan(world.leader, plan, on=dt.date(2026, 12, 20), note="同意")
    with pytest.raises(WrongState, match="尚未公布"):
        item(law, plan, "北辰市停车管理条例")
    with pytest.raises(WrongState, match="计划调整"):
        svc.edit_item(law.law_clerk, c, {"title": c.title, "kind": ItemKind.FORMAL, "action": Action.ENACT})
    plan = svc.publish_plan(law.law_clerk, plan, on=dt.date(2027, 1, 10))
    assert plan.state == PlanState.PUBLISHED
    with pytest.raises(InvalidInput, match="调整理由"):
        item(law, plan, "北辰市停车管理条例")
    added = svc.add_item(law.law_clerk, plan, {"title": "北辰市停车管理条例", "kind": ItemKind.RESERVE,
                                               "action": Action.ENACT},
                         reason="代表议案集中反映停车难", on=dt.date(2027, 5, 8))
    moved = svc.adjust(world.leader, c, kind=PlanAdjustmentKind.MOVED, new_kind=ItemKind.FORMAL,
                       reason="草案已经成熟，提前审议", on=dt.date(2027, 6, 1))
    assert moved.old_kind == ItemKind.RESERVE and moved.new_kind == ItemKind.FORMAL
    with pytest.raises(InvalidInput, match="调整理由"):
        svc.adjust(world.leader, b, kind=PlanAdjustmentKind.DROPPED, reason="  ")
    svc.adjust(world.leader, b, kind=PlanAdjustmentKind.DROPPED, reason="上位法正在修改，暂缓",
               on=dt.date(2027, 7, 1))
    with pytest.raises(WrongState, match="已调整取消"):
        svc.adjust(world.leader, b, kind=PlanAdjustmentKind.DROPPED, reason="重复")
    assert svc.kind_counts(plan) == {"formal": 2, "reserve": 1, "research": 1}
    assert [x.kind for x in plan.adjustments.all()] == ["added", "moved", "dropped"]
    assert added.adjustments.get().reason == "代表议案集中反映停车难"
    assert Event.objects.filter(subject_type="legislative_plan", name="plan_published").count() == 1
    assert verify_chain(world.congress.pk) == (True, None)

    # the portal: no login
    page = Client().get(reverse("legislation:public_plan", args=[YEAR])).content.decode()
    assert "2027年度立法计划" in page and "正式项目（3件）" in page and "北辰市历史建筑保护条例" in page
    assert "由预备项目调整为正式项目" in page and "上位法正在修改，暂缓" in page and "已调整取消" in page


def test_bad_items_refused(world, law):
    plan = svc.plan_for(world.congress.pk, YEAR, create=True)
    with pytest.raises(InvalidInput, match="项目名称"):
        item(law, plan, "条例")
    with pytest.raises(InvalidInput, match="请选择现行法规"):
        item(law, plan, "北辰市养犬管理条例（修改）", action=Action.AMEND)
    item(law, plan)
    with pytest.raises(InvalidInput, match="已有项目"):
        item(law, plan)
    with pytest.raises(NotAllowed):
        svc.add_item(world.clerk, plan, {"title": "北辰市城市绿化条例", "kind": ItemKind.FORMAL})
    assert plan.items.count() == 1
    empty = svc.plan_for(world.congress.pk, YEAR + 1, create=True)
    with pytest.raises(WrongState, match="还没有项目"):
        svc.approve_plan(world.leader, empty)


def test_unpublished_plan_is_not_public(world, law):
    plan = svc.plan_for(world.congress.pk, YEAR, create=True)
    item(law, plan)
    assert Client().get(reverse("legislation:public_plan", args=[YEAR])).status_code == 404


def test_plan_pages(world, law):
    plan = svc.plan_for(world.congress.pk, YEAR, create=True)
    c = Client()
    c.force_login(law.law_clerk)
    r = c.post(reverse("legislation:plan_item_new") + f"?year={YEAR}", {
        "title": "北辰市黄河流域生态保护条例", "kind": "formal", "action": "enact", "drafting_body": "市生态环境局",
        "committee": world.committee.pk, "planned_readings": "6月一审"})
    it = plan.items.get()
    assert r.status_code == 302 and r.url == it.get_absolute_url()
    m = motion(world, "关于制定黄河流域生态保护条例的议案")
    page = c.get(it.get_absolute_url() + "?q=黄河").content.decode()
    assert "关于制定黄河流域生态保护条例的议案" in page
    c.post(it.get_absolute_url(), {"action": "motions", "motions": [m.pk]})
    assert list(it.motions.all()) == [m]
    page = c.get(reverse("legislation:plan") + f"?year={YEAR}").content.decode()
    assert "正式项目 <small class=\"text-muted fs-6\">1件</small>" in page and "议案 1件" in page
    assert "主任会议通过</button>" not in page  # the clerk does not approve
    # the leader approves on the page
    lc = Client()
    lc.force_login(world.leader)
    assert "主任会议通过</button>" in lc.get(reverse("legislation:plan") + f"?year={YEAR}").content.decode()
    lc.post(reverse("legislation:plan_approve", args=[plan.pk]), {"note": "原则同意"})
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    # the item's bill is opened from it
    r = c.post(reverse("legislation:bill_new") + f"?item={it.pk}", {
        "title": "北辰市黄河流域生态保护条例（草案）", "action": "enact", "proposer": "市人民政府", "field": "ecology"})
    it.refresh_from_db()
    assert it.bill is not None and it.bill.state == BillState.DRAFTING
    assert it.bill.regulation.get_field_display() == "生态文明建设"
    # a unit's handler does not see the plan
    hc = Client()
    hc.force_login(world.handlers[0])
    assert hc.get(reverse("legislation:plan")).status_code == 403


def test_publish_and_adjust_on_the_page(world, law):
    plan = svc.plan_for(world.congress.pk, YEAR, create=True)
    it = item(law, plan, "北辰市停车场建设和管理条例", ItemKind.RESERVE)
    svc.approve_plan(world.leader, plan)
    leader = Client()
    leader.force_login(world.leader)
    leader.post(reverse("legislation:plan_publish", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.state == PlanState.PUBLISHED
    url = reverse("legislation:plan_adjust", args=[plan.pk])
    r = leader.post(url, {"item": it.pk, "kind": "moved", "new_kind": "reserve", "reason": "提前"}, follow=True)
    assert "项目已是预备项目" in r.content.decode()
    r = leader.post(url, {"item": it.pk, "kind": "moved", "new_kind": "formal", "reason": "草案已成熟，年内提请审议",
                          "on": "2027-06-30"}, follow=True)
    page = r.content.decode()
    assert "已记录计划调整" in page and "2027-06-30 调整项目类别" in page
    it.refresh_from_db()
    assert it.kind == ItemKind.FORMAL
    # the item page: a unit's handler cannot open it; the leader sees it without the editing forms
    assert leader.get(it.get_absolute_url()).status_code == 200
    assert "保存关联" not in leader.get(it.get_absolute_url()).content.decode()
    hc = Client()
    hc.force_login(world.handlers[0])
    assert hc.get(it.get_absolute_url()).status_code == 403
