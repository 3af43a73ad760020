"""The demo's legislative year builds quickly and reads as plan_demo describes: the plan's kinds, the
suggestions, and a bill in every stage with exactly two out for comment."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from lvzhi.cases.events import verify_chain
from lvzhi.legislation import plan_demo
from lvzhi.legislation import plan_services as svc
from lvzhi.legislation.choices import BillState
from lvzhi.legislation.models import Bill
from lvzhi.legislation.plan_models import LegislativeSuggestion, PlanState
from lvzhi.legislation.testing import add_law_bodies
from lvzhi.testing import draft

pytestmark = pytest.mark.django_db


def test_demo_year(world):
    law = add_law_bodies(world)
    motion = draft(world, kind="motion", title="关于制定《北辰市物业管理条例》的议案",
                   cause="物业服务纠纷多、业主委员会成立难。",
                   basis="根据《中华人民共和国民法典》和《物业管理条例》。",
                   plan="修订北辰市物业管理条例，完善业主自治和物业服务监管。", cosigners=9)
    builder = SimpleNamespace(city=world.congress, rng=random.Random(7), today=timezone.localdate(),
                              users={"lawclerk": law.law_clerk, "lawstaff": law.law_staff, "leader": world.leader},
                              orgs={o.name: o for o in world.congress.organizations.all()})
    plan = plan_demo.build_demo(builder)
    assert plan.state == PlanState.PUBLISHED
    assert svc.kind_counts(plan) == {"formal": 5, "reserve": 6, "research": 8}
    assert plan.adjustments.count() == 2
    states = dict(Bill.objects.filter(congress=world.congress).values_list("title", "state"))
    assert states["北辰市历史建筑保护条例（草案）"] == BillState.IN_FORCE
    assert states["北辰市养犬管理条例修正案（草案）"] == BillState.APPROVED
    assert states["北辰市电动自行车管理条例（草案）"] == BillState.SUBMITTED
    reading = Bill.objects.filter(congress=world.congress, state=BillState.IN_READING)
    assert sorted(b.title for b in reading) == ["北辰市物业管理条例（修订草案）", "北辰市黄河流域生态保护条例（草案）"]
    for b in reading:
        d = b.latest_draft
        assert d.label == "草案（征求意见稿）" and 40 <= len(d.parsed().articles) <= 70
        assert d.parsed().articles[0].chapter == "第一章 总则"
        assert b.readings.get().meeting_on < builder.today
    # the motion that is still a draft is not linked; suggestions of last year all studied
    assert not motion.legislative_plan_items.exists()
    last = LegislativeSuggestion.objects.filter(congress=world.congress, year=builder.today.year - 1)
    assert 150 <= last.count() <= 170 and not last.filter(outcome="").exists()
    assert last.filter(outcome="listed", item__isnull=False).exists()
    assert verify_chain(world.congress.pk) == (True, None)
