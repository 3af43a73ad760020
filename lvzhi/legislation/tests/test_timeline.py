"""A regulation's timeline: every step in date order, from the registry's providers and any other
area's (registered here as the bill area would); a failing provider is left out, not fatal."""

import datetime as dt

import pytest

from lvzhi.legislation import registry_services as svc
from lvzhi.legislation import timeline
from lvzhi.legislation.registry_models import CleanupScope, Outcome
from lvzhi.legislation.tests.registry_helpers import regulation
from lvzhi.testing import build_world

pytestmark = pytest.mark.django_db


def test_the_whole_life_in_date_order_with_another_areas_entries():
    world = build_world()
    reg = regulation(world)
    svc.add_implementing_rule(None, reg, title="物业服务收费管理办法", responsible_body="市发展和改革委员会")
    svc.add_evaluation(None, reg, year=2023, body="市人大常委会法工委", conclusion="amend",
                       done_on=dt.date(2023, 9, 15))
    c = svc.create_cleanup(None, world.congress, title="2024年地方性法规全面清理", year=2024,
                           scope=CleanupScope.COMPREHENSIVE)
    svc.add_finding(None, c, reg, outcome=Outcome.AMEND, reason="与民法典不一致")

    def comments(r):
        yield timeline.TimelineEntry(dt.date(2019, 6, 1), "公开征求意见", "30日", "", "comment")

    def broken(r):
        raise RuntimeError("boom")

    timeline.register_timeline(comments, "test-comments")
    timeline.register_timeline(broken, "test-broken")
    try:
        rows = timeline.entries(reg)
    finally:
        timeline._PROVIDERS.pop("test-comments")
        timeline._PROVIDERS.pop("test-broken")
    labels = [e.label for e in rows]
    assert labels == ["公开征求意见", "常委会通过", "省级人大常委会批准", "常委会公报刊登", "施行",
                      "配套规定应出台", "实施情况报告期限", "立法后评估", "法规清理：修改"]
    assert [e.date for e in rows] == sorted(e.date for e in rows)
    assert rows[5].overdue and rows[6].overdue  # the report and the rule were due in early 2021
