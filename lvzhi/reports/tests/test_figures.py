"""The dashboard's figures, computed from cases driven through the real workflow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lvzhi.cases.engine import fire
from lvzhi.reports.selectors import figures
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db


def reply_again(world, case, reply_class: str) -> None:
    unit = world.units[0]
    lead = case.assignments.get(unit=unit)
    fire(case, "draft_reply", world.handler_of(unit), {
        "assignment": lead.pk, "reply_class": reply_class,
        "text": "我局已按代表意见重新研究，落实专项资金，明确由房屋安全管理处在年底前完成整改。"})
    reply = case.replies.get(round=2)
    fire(case, "sign_reply", world.head_of(unit), {"reply": reply.pk, "confirm": True})
    fire(case, "accept_reply", world.clerk, {"reply": reply.pk})


def test_rates_follow_the_records(world, client):
    satisfied = to_state(world, draft(world), "closed")                 # B, 满意 in round 1
    rehandled = to_state(world, draft(world, deputy_index=3), "replied")  # B, then 不满意
    fire(rehandled, "evaluate", rehandled.lead_deputy.user,
         {"verdict": "unsatisfied", "comment": "措施不具体，没有时间表"})
    rehandled.refresh_from_db()
    reply_again(world, rehandled, "A")
    fire(rehandled, "evaluate", rehandled.lead_deputy.user, {"verdict": "basically"})
    to_state(world, draft(world, deputy_index=6), "handling")           # assigned, not replied
    to_state(world, draft(world, deputy_index=8), "submitted")          # not assigned yet

    f = figures(world.congress.pk)
    assert (f.total, f.assigned, f.replied) == (4, 3, 2)
    assert f.reply_rate == pytest.approx(66.7)
    assert f.solved == 2 and f.solve_rate == 100.0                      # latest replies B and A
    assert (f.evaluated, f.satisfied) == (2, 1)                         # first-round verdicts
    assert f.satisfaction_rate == 50.0
    assert (f.final_evaluated, f.final_satisfied) == (2, 2)
    assert f.contact_rate == 0.0
    assert satisfied.pk != rehandled.pk

    client.force_login(world.leader)
    text = client.get(reverse("dashboard")).content.decode()
    assert "66.7%" in text and "50.0%" in text


def test_unsolved_reply_lowers_the_solve_rate(world):
    case = to_state(world, draft(world), "handling")
    unit = world.units[0]
    lead = case.assignments.get(unit=unit)
    fire(case, "draft_reply", world.handler_of(unit), {
        "assignment": lead.pk, "reply_class": "C",
        "text": "该事项受用地指标限制，目前条件尚不具备，我局将在下一轮国土空间规划中统筹研究。"})
    reply = case.replies.get()
    fire(case, "sign_reply", world.head_of(unit), {"reply": reply.pk, "confirm": True})
    fire(case, "accept_reply", world.clerk, {"reply": reply.pk})
    f = figures(world.congress.pk)
    assert f.replied == 1 and f.solved == 0 and f.solve_rate == 0.0
