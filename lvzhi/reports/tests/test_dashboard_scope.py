"""The leader's dashboard follows the chosen session everywhere, links keep it, and the
satisfaction figures are the ones a clerk would count by hand (issue 8)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case, Evaluation, Verdict
from lvzhi.core.models import Session
from lvzhi.reports.selectors import case_sets, figures
from lvzhi.suggestions.services import create_draft
from lvzhi.testing import SUGGESTION_BODY, draft, to_state

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - dt.timedelta(days=200)  # a 3-month reply clock is long overdue


def _assigned(world, session, unit, when=LONG_AGO, deputy=0) -> Case:
    case = create_draft(world.deputies[deputy].user, {
        "kind": "suggestion", "title": "关于加快老旧小区加装电梯的建议", "body": SUGGESTION_BODY,
        "category": "城乡建设", "cosigners": []}, session=session, now=when)
    fire(case, "submit", world.deputies[deputy].user, now=when)
    fire(case, "register", world.clerk, {"category": "城乡建设"}, now=when)
    fire(case, "assign", world.clerk, {"mode": "lead", "lead": unit.pk}, now=when)
    case.refresh_from_db()
    return case


@pytest.fixture
def two_sessions(world):
    later = Session.objects.create(term=world.term, number=6, opens_on=world.session.opens_on + dt.timedelta(days=1),
                                   closes_on=world.session.closes_on + dt.timedelta(days=1))
    u0, u1 = world.units[0], world.units[1]
    chosen = [_assigned(world, world.session, u0), _assigned(world, world.session, u0, timezone.now(), 1)]
    other = [_assigned(world, later, u0, deputy=2), _assigned(world, later, u1, deputy=3),
             _assigned(world, later, u1, deputy=4)]
    return world.session, later, chosen, other


def test_overdue_by_unit_follows_the_chosen_session(world, two_sessions):
    session, _later, _chosen, _other = two_sessions
    everything = figures(world.congress.pk)
    assert everything.overdue_cases == 4
    assert [(u, n) for u, n, _ in everything.overdue_by_unit] == [
        (world.units[0].name, 2), (world.units[1].name, 2)]
    scoped = figures(world.congress.pk, session_id=session.pk)
    assert scoped.overdue_cases == 1 and scoped.total == 2
    # The chart counts the same cases as the card: one, of the one unit late in this session.
    assert [(u, n, h) for u, n, h in scoped.overdue_by_unit] == [(world.units[0].name, 1, 2)]


def test_dashboard_links_keep_the_session(world, client, two_sessions):
    session, *_ = two_sessions
    client.force_login(world.leader)
    html = client.get(reverse("dashboard"), {"session": session.pk}).content.decode()
    links = re.findall(r'href="([^"]*(?:/cases/|/reports/dashboard/cases/)[^"]*)"', html)
    to_lists = [h for h in links if "/cases/?" in h or "/dashboard/cases/" in h]
    assert to_lists, html
    for href in to_lists:
        assert f"session={session.pk}" in href and "kind=suggestion" in href, href
    # The overdue unit row links to that unit's overdue cases in the same session.
    unit = world.units[0]
    assert f"/cases/?kind=suggestion&amp;session={session.pk}&amp;unit={unit.pk}&amp;overdue=1" in html
    assert world.units[1].name not in html.split("超期件数最多的承办单位", 1)[1].split("各状态件数")[0]


def test_rates_are_clickable_to_their_cases(world, client, two_sessions):
    session, *_ = two_sessions
    client.force_login(world.leader)
    html = client.get(reverse("dashboard"), {"session": session.pk}).content.decode()
    for figure in ("replied", "assigned", "satisfied", "evaluated", "final_satisfied", "final_evaluated"):
        assert f"/reports/dashboard/cases/{figure}/?kind=suggestion&amp;session={session.pk}" in html
    page = client.get(reverse("dashboard_cases", args=["assigned"]), {"session": session.pk,
                                                                      "kind": "suggestion"})
    text = page.content.decode()
    assert page.status_code == 200 and "已交办：2件" in text and str(session) in text
    assert client.get(reverse("dashboard_cases", args=["nonsense"])).status_code == 404


def _evaluate(world, case, verdict: str) -> None:
    fire(case, "evaluate", case.lead_deputy.user,
         {"verdict": verdict, "comment": "措施不具体，没有时间表" if verdict == "unsatisfied" else ""})
    case.refresh_from_db()


def _reply_again(world, case) -> None:
    unit = world.units[0]
    lead = case.assignments.get(unit=unit)
    fire(case, "draft_reply", world.handler_of(unit), {
        "assignment": lead.pk, "reply_class": "A",
        "text": "我局已按代表意见重新研究，落实专项资金，明确由房屋安全管理处在年底前完成整改。"})
    reply = case.replies.get(round=case.round)
    fire(case, "sign_reply", world.head_of(unit), {"reply": reply.pk, "confirm": True})
    fire(case, "accept_reply", world.clerk, {"reply": reply.pk})
    case.refresh_from_db()


def test_final_satisfaction_counted_by_hand(world, client):
    happy = to_state(world, draft(world, cosigners=0), "closed")                  # 满意 at once
    still = to_state(world, draft(world, deputy_index=2, cosigners=0), "replied")
    _evaluate(world, still, "unsatisfied")                                        # re-handling now
    won = to_state(world, draft(world, deputy_index=4, cosigners=0), "replied")
    _evaluate(world, won, "unsatisfied")
    _reply_again(world, won)
    _evaluate(world, won, "basically")                                            # 不满意 → 基本满意
    silent = to_state(world, draft(world, deputy_index=6, cosigners=0), "replied")
    fire(silent, "close_expired", None, now=timezone.now() + dt.timedelta(days=60))  # never judged

    # By hand, from the evaluation rows: each case's latest verdict that was actually given.
    latest: dict[int, str] = {}
    for e in Evaluation.objects.filter(expired=False).order_by("round"):
        latest[e.case_id] = e.verdict
    assert latest == {happy.pk: Verdict.SATISFIED, still.pk: Verdict.UNSATISFIED,
                      won.pk: Verdict.BASICALLY}
    f = figures(world.congress.pk)
    assert (f.final_evaluated, f.final_satisfied) == (3, 2)            # the old formula said 2 / 2
    assert f.final_satisfaction_rate == pytest.approx(66.7)
    assert (f.evaluated, f.satisfied) == (3, 1)                        # first round: only `happy`
    assert set(case_sets(world.congress.pk)["final_satisfied"].values_list("pk", flat=True)) == {
        happy.pk, won.pk}
    client.force_login(world.leader)
    html = client.get(reverse("dashboard")).content.decode()
    final_card = html.split("最终满意率", 1)[1].split("见面沟通率", 1)[0]
    assert "66.7%" in final_card and "100.0%" not in final_card
    assert "评价期限届满未反馈的一轮不算评价" in html
