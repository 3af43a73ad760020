"""The registry's figures count the records of the year and list them."""

import datetime as dt

import pytest

from lvzhi.legislation import registry_figures as rf
from lvzhi.legislation import registry_services as svc
from lvzhi.legislation.choices import Action
from lvzhi.legislation.registry_models import CleanupScope, Outcome
from lvzhi.legislation.tests.registry_helpers import PROPERTY_AMENDED, regulation
from lvzhi.legislation.versions import record_version
from lvzhi.testing import build_world

pytestmark = pytest.mark.django_db

Y2022 = (dt.date(2022, 1, 1), dt.date(2022, 12, 31))


def test_figures_of_a_year():
    world = build_world()
    ids = [world.congress.pk]
    prop = regulation(world)  # 2019
    dogs = regulation(world, "北辰市养犬管理条例", adopted_on=dt.date(2022, 4, 28), effective_on=dt.date(2022, 7, 1))
    record_version(prop, Action.AMEND_DECISION, dt.date(2022, 6, 30), text=PROPERTY_AMENDED)
    heat = regulation(world, "北辰市供热条例", adopted_on=dt.date(2020, 6, 30), effective_on=dt.date(2020, 10, 1))
    record_version(heat, Action.REPEAL, dt.date(2022, 10, 27))
    assert [str(v) for v in rf.enacted(ids, *Y2022)] == ["北辰市养犬管理条例（2022年4月28日制定）"]
    assert rf.amended(ids, *Y2022).count() == 1 and rf.repealed(ids, *Y2022).count() == 1
    assert {r.title for r in rf.in_force_at_end(ids, *Y2022)} == {"北辰市物业管理条例", "北辰市养犬管理条例"}
    # at the end of 2021 the heating regulation was still in force and the dogs' not yet made
    y2021 = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert {r.title for r in rf.in_force_at_end(ids, *y2021)} == {"北辰市物业管理条例", "北辰市供热条例"}
    rule = svc.add_implementing_rule(None, dogs, title="犬只收容管理办法", responsible_body="市公安局")
    assert list(rf.rules_due([world.congress.pk], dt.date(2023, 1, 1), dt.date(2023, 12, 31))) == [rule]
    c = svc.create_cleanup(None, world.congress, title="2022年法规清理", year=2022, scope=CleanupScope.COMPREHENSIVE)
    svc.add_finding(None, c, dogs, outcome=Outcome.KEEP)
    svc.add_finding(None, c, prop, outcome=Outcome.AMEND, reason="与民法典不一致")
    assert rf.cleanups(ids, *Y2022).count() == 1
    assert [f.regulation.title for f in rf._findings(Outcome.AMEND)(ids, *Y2022)] == ["北辰市物业管理条例"]
    assert all(f.get_absolute_url().startswith("/legislation/") for f in rf._findings(Outcome.KEEP)(ids, *Y2022))
