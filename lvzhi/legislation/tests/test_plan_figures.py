"""The figures count the records a reader can follow, and the bill's timeline entries for its
regulation."""

from __future__ import annotations

import datetime as dt

import pytest

from lvzhi.legislation import bills
from lvzhi.legislation import plan_services as svc
from lvzhi.legislation import suggestions as sugg
from lvzhi.legislation.choices import Action, BillState
from lvzhi.legislation.plan_figures import FIGURES
from lvzhi.legislation.plan_models import ItemKind, SuggestionOutcome
from lvzhi.legislation.testing import add_law_bodies
from lvzhi.legislation.tests.test_bill_support import ago, opened, to_state

pytestmark = pytest.mark.django_db


def test_figures_and_timeline(world):
    law = add_law_bodies(world)
    year = ago(0).year
    plan = svc.plan_for(world.congress.pk, year, create=True)
    a = svc.add_item(law.law_clerk, plan, {"title": "北辰市养犬管理条例", "kind": ItemKind.FORMAL,
                                           "action": Action.ENACT})
    svc.add_item(law.law_clerk, plan, {"title": "北辰市城市更新条例", "kind": ItemKind.RESEARCH,
                                       "action": Action.ENACT})
    bill = to_state(opened(law, world, item=a), law, BillState.PUBLISHED)
    s = sugg.add_suggestion(law.law_clerk, channel="public", proposer="张明", title="建议制定养犬管理条例",
                            text="不文明养犬扰民伤人事件时有发生，建议立法。", received_on=ago(20))
    sugg.decide(law.law_clerk, s, outcome=SuggestionOutcome.LISTED, item=a)
    sugg.add_suggestion(law.law_clerk, channel="deputy", proposer="代表2", title="建议制定城市绿化条例",
                        text="城市绿化管理缺少地方性法规依据。", received_on=ago(20))
    start, end = ago(365), ago(0)
    got = {f.code: list(f.cases([world.congress.pk], start, end)) for f in FIGURES}
    assert got["leg_plan_items"] and len(got["leg_plan_items"]) == 2
    assert [str(i) for i in got["leg_plan_formal"]] == ["北辰市养犬管理条例"]
    assert got["leg_plan_with_bill"] == [a]
    assert len(got["leg_suggestions"]) == 2 and got["leg_suggestions_adopted"] == [s]
    assert len(got["leg_readings"]) == 3 and got["leg_bills_read"] == [bill]
    assert got["leg_bills_voted"] == [bill] and got["leg_approvals_on_time"] == [bill]
    assert got["leg_plan_items"][0].get_absolute_url().startswith("/legislation/plan/items/")
    assert not any(f.cases([world.congress.pk], dt.date(2000, 1, 1), dt.date(2000, 12, 31)) for f in FIGURES)

    entries = bills.bill_timeline(bill.regulation)
    labels = [e.label for e in entries]
    assert [x for x in labels if x in ("一审", "二审", "三审")] == ["一审", "二审", "三审"]
    assert sum(x.endswith("材料印发") for x in labels) == 3 and sum(x.endswith("审议结果报告") for x in labels) >= 1
    assert "表决通过" in labels and any(x.startswith("报请") for x in labels)
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    assert all(e.url == bill.get_absolute_url() for e in entries)
