"""The request path's costs that a user pays on every page and every transition: the case
page's queries do not grow with its history, the session is not rewritten on every request,
and the cached rule set follows a saved change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.cases import deadlines
from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case, Deadline, RuleSet
from lvzhi.core.models import Notification
from lvzhi.core.workdays import add_months
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db

# The clerk's page of a replied suggestion: session, user + organization, OTP device, security
# policy, the case and each table hanging from it once, the offered actions' forms, the
# to-do counts and the unread notifications. Measured 40 on the demo; room for a kind's panel.
DETAIL_BUDGET = 45

REPLY = "经研究，我局已将老旧小区加装电梯纳入年度民生实事，简化审批流程，明确每台电梯补贴二十万元。"


def second_round(world, case: Case) -> Case:
    """Unsatisfied, handled again and replied again: more replies, events, clocks."""
    unit = world.units[0]
    fire(case, "evaluate", case.lead_deputy.user, {"verdict": "unsatisfied", "comment": "补贴标准没有落实"})
    lead = case.assignments.get(unit=unit)
    fire(case, "draft_reply", world.handler_of(unit), {"assignment": lead.pk, "reply_class": "A",
                                                        "text": REPLY + "第二轮办理已开工三十台。"})
    reply = case.replies.filter(assignment=lead).latest("id")
    fire(case, "sign_reply", world.head_of(unit), {"reply": reply.pk, "confirm": True})
    fire(case, "accept_reply", world.clerk, {"reply": reply.pk})
    case.refresh_from_db()
    return case


def detail_queries(client, case: Case) -> int:
    client.get(f"/cases/{case.pk}/")  # warm: the rule set and calendar are then in the process cache
    with CaptureQueriesContext(connection) as q:
        assert client.get(f"/cases/{case.pk}/").status_code == 200
    return len(q.captured_queries)


def test_case_page_queries_do_not_grow_with_replies_and_events(world, client):
    short = to_state(world, draft(world), "replied")
    long = second_round(world, to_state(world, draft(world, deputy_index=3), "replied"))
    assert long.state == short.state == "replied"
    assert long.replies.count() == 2 * short.replies.count()
    assert long.events.count() > short.events.count() + 3
    client.force_login(world.clerk)
    few, many = detail_queries(client, short), detail_queries(client, long)
    assert many == few, f"{few} queries for one round, {many} for two"
    assert many <= DETAIL_BUDGET, f"{many} queries (budget {DETAIL_BUDGET})"


def test_the_session_is_not_saved_on_every_request(world, client):
    client.force_login(world.clerk)
    case = to_state(world, draft(world), "registered")
    client.get(f"/cases/{case.pk}/")  # the first request stamps the idle time
    with CaptureQueriesContext(connection) as q:
        for _ in range(10):
            assert client.get(f"/cases/{case.pk}/").status_code == 200
    saves = [x["sql"] for x in q.captured_queries
             if x["sql"].startswith("UPDATE") and "django_session" in x["sql"]]
    assert saves == [], f"{len(saves)} session saves in 10 requests"


def test_a_saved_rule_set_changes_the_next_deadline(world):
    """The rule set is cached per process; saving it clears the cache, and a transition reads
    it fresh: the next reply clock runs the new length."""
    case = to_state(world, draft(world), "registered")
    assert deadlines.existing_rules(world.congress.pk).reply_months == 3  # now cached
    rules = RuleSet.objects.get(congress=world.congress)
    rules.reply_months = 2
    rules.save()
    assert deadlines.existing_rules(world.congress.pk).reply_months == 2  # the cache followed
    fire(case, "assign", world.clerk, {"mode": "lead", "lead": world.units[0].pk})
    clock = Deadline.objects.get(case=case, kind="reply")
    cal = deadlines.calendar_for(world.congress.pk)
    assert clock.due_on == deadlines.roll_to_workday(add_months(clock.start_on, 2), cal)


def test_a_transition_writes_its_notifications_in_its_own_transaction(world):
    """No on_commit step after the commit: the test's transaction never commits, and the
    deputy's notification is there all the same — it commits (or rolls back) with the event."""
    case = to_state(world, draft(world, cosigners=0), "submitted")
    fire(case, "register", world.clerk, {"category": "城乡建设"})
    assert Notification.objects.filter(case=case, user=world.deputy_user).exists()
