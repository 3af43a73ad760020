"""The registry's demo year on a test world: about sixty regulations through the services, fast."""

import datetime as dt
import random
import time
from types import SimpleNamespace

import pytest

from lvzhi.core.models import Organization
from lvzhi.legislation import diff
from lvzhi.legislation.choices import Action, RegulationStatus
from lvzhi.legislation.models import Regulation, RegulationVersion
from lvzhi.legislation.registry_demo import build_demo
from lvzhi.legislation.registry_models import Cleanup, Evaluation, ImplementingRule, RuleState
from lvzhi.legislation.testing import add_law_bodies
from lvzhi.testing import build_world

pytestmark = pytest.mark.django_db


def test_demo_registry_reads_like_a_city():
    world = build_world()
    law = add_law_bodies(world)
    orgs = {o.name: o for o in Organization.objects.filter(congress=world.congress)}
    builder = SimpleNamespace(rng=random.Random(7), city=world.congress, users={"lawclerk": law.law_clerk},
                              orgs=orgs, today=dt.date(2026, 12, 1))
    start = time.monotonic()
    build_demo(builder)
    took = time.monotonic() - start
    print(f"registry demo: {took:.1f} s")
    assert took < 8, took
    regs = Regulation.objects.filter(congress=world.congress)
    assert 60 <= regs.count() <= 70
    assert regs.filter(status=RegulationStatus.REPEALED).count() == 4
    several = regs.filter(versions__action__in=[Action.AMEND_DECISION, Action.REVISE]).distinct().count()
    assert several >= 10
    prop = regs.get(title="北辰市物业管理条例")
    parsed = prop.current.parsed()
    assert parsed.chapters[0] == "第一章 总则" and parsed.chapters[-1].endswith("附则") and not parsed.problems
    assert 20 <= len(parsed.articles) <= 60
    first, second = prop.versions.order_by("adopted_on")[:2]
    c = diff.counts(diff.compare(first.text, second.text))
    assert c[diff.ADDED] == 1 and 1 <= c[diff.MODIFIED] <= 3 and c["重新编号"] > 0
    v = prop.versions.get(action=Action.ENACT)
    assert v.approved_on and 1 <= (v.approved_on - v.adopted_on).days // 30 <= 4 and v.newspaper == "北辰日报"
    assert regs.exclude(joint_note="").count() == 2
    rules = list(ImplementingRule.objects.filter(regulation__congress=world.congress))
    assert any(r.state() == RuleState.OVERDUE for r in rules) and any(r.done_on for r in rules)
    assert Evaluation.objects.filter(regulation__congress=world.congress).count() == 3
    full, special = Cleanup.objects.order_by("year")
    assert 55 <= full.regulations.count() <= 65 and full.findings.count() == full.regulations.count()
    assert special.findings.filter(outcome="amend", follow_up_version__isnull=False).count() == 2
    assert RegulationVersion.objects.filter(regulation__congress=world.congress).count() > 70
