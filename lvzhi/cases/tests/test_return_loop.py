"""The return loop as a unit and the office live it: the head sends a draft back, the handler
reopens it with the text kept and the reason on top, the office passes or returns a signed
reply under two names, co-opinions follow the rule set and leave the co-unit's inbox with a
reason, units sign for what they receive, and the small things the pages say."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from lvzhi.cases import selectors
from lvzhi.cases.engine import fire
from lvzhi.cases.handling.co_opinion import NOT_NEEDED_AFTER_ANSWER
from lvzhi.cases.models import AssignmentState, Event, Reply, ReplyState, RuleSet
from lvzhi.cases.policy import offered
from lvzhi.cases.workflow import InvalidInput, WrongState
from lvzhi.core.models import Notification
from lvzhi.suggestions.workflow import SUGGESTION_WORKFLOW
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db

TEXT = ("经研究，我局已将老旧小区加装电梯纳入年度民生实事，简化审批流程，"
        "明确每台电梯补贴二十万元，由房屋安全管理处负责推进。")
OPINION = "我局同意主办单位意见，将在规划审批环节开辟绿色通道，十个工作日内办结。"


def handling(world):
    """A suggestion assigned to unit 0 (lead) with unit 1 as co-unit."""
    return to_state(world, draft(world), "handling")


def drafted(world, case, promise_days: int = 60) -> Reply:
    lead = case.assignments.get(role="lead")
    due = dt.date.today() + dt.timedelta(days=promise_days)
    fire(case, "draft_reply", world.handler_of(world.units[0]), {
        "assignment": lead.pk, "reply_class": "B", "text": TEXT,
        "promises": f"{due} 出台加装电梯补贴实施细则"})
    return case.replies.get(assignment=lead, round=case.round)


def page(client, user, case) -> str:
    client.force_login(user)
    return client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def names(case, user) -> set[str]:
    case.refresh_from_db()
    return {t.name for t in offered(case, user)}


# ----------------------------------------------------------------- the head returns a draft

def test_head_returns_a_draft_with_a_reason_and_the_handler_is_told(world, django_capture_on_commit_callbacks):
    case = handling(world)
    reply = drafted(world, case)
    head, handler = world.head_of(world.units[0]), world.handler_of(world.units[0])
    assert {"sign_reply", "return_draft"} <= names(case, head)

    with pytest.raises(InvalidInput) as err:
        fire(case, "return_draft", head, {"reply": reply.pk, "reason": "   "})
    assert err.value.errors["reason"] == ["请写明退回理由，以便经办人修改"]
    reply.refresh_from_db()
    assert reply.state == ReplyState.DRAFT and reply.return_reason == ""

    with django_capture_on_commit_callbacks(execute=True):
        fire(case, "return_draft", head, {"reply": reply.pk, "reason": "补贴标准要写明资金来源"})
    reply.refresh_from_db()
    assert reply.state == ReplyState.RETURNED and reply.returned_by == head
    assert reply.return_label == "单位负责人退回" and reply.return_reason == "补贴标准要写明资金来源"
    assert Notification.objects.filter(user=handler, case=case, text__contains="单位负责人退回").exists()
    # Nothing left to sign until the handler has redrafted.
    assert "sign_reply" not in names(case, head)
    # A deputy does not follow the unit's internal back-and-forth.
    ev = Event.objects.get(case=case, name="return_draft")
    assert ev.label == "退回经办人修改" and ev.payload["returned"] == "单位负责人退回"
    assert not selectors.event_visible(world.deputy_user, ev)


def test_a_returned_draft_reopens_with_its_text_and_the_reason_on_top(client, world):
    case = handling(world)
    reply = drafted(world, case)
    head, handler = world.head_of(world.units[0]), world.handler_of(world.units[0])
    fire(case, "return_draft", head, {"reply": reply.pk, "reason": "补贴标准要写明资金来源"})

    html = page(client, handler, case)
    # The alert near the top of the page, above the actions card.
    alert = html.index('id="returned-alert"')
    assert alert < html.index('id="actions"') and "补贴标准要写明资金来源" in html[alert:alert + 800]
    form = html[html.index('id="act-draft_reply"'):]
    form = form[:form.index("</form>")]
    # The reason on top of the form, before the fields; the fields hold the returned text.
    assert form.index("补贴标准要写明资金来源") < form.index('name="text"')
    assert TEXT in form and "出台加装电梯补贴实施细则" in form
    assert re.search(r'<option value="B" selected>', form)
    due = reply.promises[0]["due_on"]
    assert f"{due} 出台加装电梯补贴实施细则" in form
    # The reply card says who returned it and why, on top.
    card = html[html.index("<h2 class=\"h6\">答复</h2>"):]
    assert card.index("单位负责人退回") < card.index(TEXT)

    # Redrafting keeps one reply row and makes it signable again.
    fire(case, "draft_reply", handler, {"assignment": reply.assignment_id, "reply_class": "B",
                                        "text": TEXT + "资金由市级财政列支。", "promises": ""})
    assert case.replies.count() == 1
    reply.refresh_from_db()
    assert reply.state == ReplyState.DRAFT and reply.text.endswith("资金由市级财政列支。")
    assert "sign_reply" in names(case, head)


def test_reply_class_starts_empty_and_is_required(client, world):
    case = handling(world)
    handler = world.handler_of(world.units[0])
    html = page(client, handler, case)
    select = re.search(r'<select name="reply_class"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.match(r'\s*<option value="" selected>请选择答复分类</option>', select)
    lead = case.assignments.get(role="lead")
    with pytest.raises(InvalidInput) as err:
        fire(case, "draft_reply", handler, {"assignment": lead.pk, "text": TEXT})
    assert err.value.errors["reply_class"] == ["请选择答复分类"]
    assert not case.replies.exists()


# ------------------------------------------------------------------ the office: two names

def test_passing_and_returning_are_two_transitions_with_two_labels(client, world):
    labels = {t.name: t.label for t in SUGGESTION_WORKFLOW.transitions.values()}
    assert labels["accept_reply"] == "审核通过" and labels["return_reply"] == "退回承办单位修改"
    assert "review_reply" not in labels
    case = handling(world)
    reply = drafted(world, case)
    fire(case, "sign_reply", world.head_of(world.units[0]), {"reply": reply.pk, "confirm": True})
    html = page(client, world.clerk, case)
    assert ">审核通过</button>" in html and ">退回承办单位修改</button>" in html
    assert "审核答复" not in html

    with pytest.raises(InvalidInput):
        fire(case, "return_reply", world.clerk, {"reply": reply.pk, "reason": ""})
    fire(case, "return_reply", world.clerk, {"reply": reply.pk, "reason": "未逐项回应代表建议"})
    reply.refresh_from_db()
    assert reply.state == ReplyState.RETURNED
    assert reply.return_label == "代表工作委员会审核退回"
    ev = Event.objects.get(case=case, name="return_reply")
    assert not selectors.event_visible(world.deputy_user, ev)
    assert selectors.event_visible(world.handler_of(world.units[0]), ev)
    # The handler's form shows the office's return, distinguishable from a head's.
    html = page(client, world.handler_of(world.units[0]), case)
    assert "代表工作委员会审核退回" in html and "未逐项回应代表建议" in html


# ------------------------------------------------------------------ co-opinions and the rule

def test_with_the_waiting_rule_the_lead_signs_only_after_every_co_opinion(client, world):
    RuleSet.objects.update_or_create(congress=world.congress, defaults={"wait_for_co_opinions": True})
    case = handling(world)
    reply = drafted(world, case)
    head = world.head_of(world.units[0])
    with pytest.raises(WrongState) as err:
        fire(case, "sign_reply", head, {"reply": reply.pk, "confirm": True})
    assert "须收齐会办意见" in err.value.message and world.units[1].name in err.value.message
    reply.refresh_from_db()
    assert reply.state == ReplyState.DRAFT

    co = case.assignments.get(role="co")
    fire(case, "give_co_opinion", world.handler_of(world.units[1]), {"assignment": co.pk, "opinion": OPINION})
    # The lead sees the co-unit's opinion beside the draft while writing and signing.
    html = page(client, world.handler_of(world.units[0]), case)
    form = html[html.index('id="act-draft_reply"'):]
    assert OPINION in form[:form.index("</form>")] and "收齐会办意见后方可签发" in form
    html = page(client, head, case)
    form = html[html.index('id="act-sign_reply"'):]
    assert OPINION in form[:form.index("</form>")]
    fire(case, "sign_reply", head, {"reply": reply.pk, "confirm": True})
    reply.refresh_from_db()
    assert reply.state == ReplyState.SIGNED


def test_a_missing_co_opinion_leaves_the_inbox_with_a_reason(client, world, django_capture_on_commit_callbacks):
    case = handling(world)  # the default rule: the lead need not wait
    co = case.assignments.get(role="co")
    co_handler = world.handler_of(world.units[1])
    assert case.pk in {r.case.pk for r in selectors.unit_inbox(co_handler).co_tasks}
    assert case.deadlines.get(assignment=co, kind="co_opinion").is_open

    reply = drafted(world, case)
    fire(case, "sign_reply", world.head_of(world.units[0]), {"reply": reply.pk, "confirm": True})
    with django_capture_on_commit_callbacks(execute=True):
        fire(case, "accept_reply", world.clerk, {"reply": reply.pk})
    co.refresh_from_db()
    assert co.state == AssignmentState.NOT_NEEDED and co.get_state_display() == "会办意见不再需要"
    clock = case.deadlines.get(assignment=co, kind="co_opinion")
    assert clock.cancelled
    assert case.pk not in {r.case.pk for r in selectors.unit_inbox(co_handler).co_tasks}
    assert Notification.objects.filter(user=co_handler, case=case,
                                       text__contains="会办意见不再需要").exists()
    ev = Event.objects.get(case=case, name="accept_reply")
    assert ev.payload["co_closed"] == [{"unit": world.units[1].name, "reason": NOT_NEEDED_AFTER_ANSWER}]
    html = page(client, world.clerk, case)
    timeline = html[html.index("办理过程"):]
    assert f"{world.units[1].name}：{NOT_NEEDED_AFTER_ANSWER}" in timeline
    # The co-unit may no longer send an opinion.
    assert "give_co_opinion" not in names(case, co_handler)


# -------------------------------------------------------------------------------- 签收

def test_units_sign_for_their_own_assignment_once(client, world):
    case = handling(world)
    lead, co = case.assignments.get(role="lead"), case.assignments.get(role="co")
    handler, head = world.handler_of(world.units[0]), world.head_of(world.units[0])
    units = page(client, handler, case)
    units = units[units.index("<h2 class=\"h6\">承办单位</h2>"):]
    assert units.count("未签收") == 2
    assert "acknowledge" in names(case, handler) and "acknowledge" not in names(case, head)
    with pytest.raises(InvalidInput):  # not this unit's assignment
        fire(case, "acknowledge", handler, {"assignment": co.pk})
    client.force_login(handler)
    resp = client.post(reverse("cases:fire", args=[case.pk, "acknowledge"]), {"assignment": lead.pk},
                       follow=True)
    assert "已签收" in resp.content.decode()
    lead.refresh_from_db()
    assert lead.received_by == handler and lead.received_at is not None
    co.refresh_from_db()
    assert co.received_at is None
    assert "acknowledge" not in names(case, handler)
    # Not signing blocks nothing: the co-unit, which has not signed for it, still gives its opinion,
    # and a task whose opinion is sent no longer reads 未签收.
    co_handler = world.handler_of(world.units[1])
    assert "give_co_opinion" in names(case, co_handler)
    fire(case, "give_co_opinion", co_handler, {"assignment": co.pk, "opinion": OPINION})
    co.refresh_from_db()
    assert co.received_by == co_handler and co.received_at is not None
    units = page(client, handler, case)
    assert units[units.index("<h2 class=\"h6\">承办单位</h2>"):].count("未签收") == 0


# ------------------------------------------------------------------------------ small items

def test_the_flash_after_an_unsatisfied_verdict_names_the_round_like_the_badge(client, world):
    case = to_state(world, draft(world), "replied")
    client.force_login(world.deputy_user)
    resp = client.post(reverse("cases:fire", args=[case.pk, "evaluate"]),
                       {"verdict": "unsatisfied", "comment": "补贴标准没有落实到位"}, follow=True)
    html = resp.content.decode()
    assert "当前状态：重新办理中（第2轮）" in html
    assert re.search(r'<span class="badge badge-state[^"]*">重新办理中（第2轮）</span>', html)


def test_publish_and_unpublish_are_never_offered_together(world):
    case = to_state(world, draft(world), "closed")
    offered_now = names(case, world.clerk)
    assert "publish" in offered_now and "unpublish" not in offered_now
    fire(case, "publish", world.clerk)
    offered_now = names(case, world.clerk)
    assert "unpublish" in offered_now and "publish" not in offered_now


def test_the_lead_unit_is_listed_before_the_co_unit(client, world):
    # The co-unit is created before the lead, so id order would not hide a wrong role order.
    case = to_state(world, draft(world), "registered")
    fire(case, "assign", world.clerk, {"mode": "lead", "lead": world.units[2].pk,
                                       "co": [world.units[0].pk]})
    row = selectors.with_list_relations(type(case).objects.filter(pk=case.pk)).get()
    assert [a.role for a in row.assignments.all()] == ["lead", "co"]
    html = page(client, world.clerk, case)
    units = html[html.index("<h2 class=\"h6\">承办单位</h2>"):]
    assert units.index(world.units[2].name) < units.index(world.units[0].name)


def test_the_inbox_names_the_returning_office_without_a_query_per_reply(client, world,
                                                                        django_assert_max_num_queries):
    """A unit with many replies sent back by the office: the inbox says who returned each
    (代表工作委员会审核退回) in the same number of queries for one such reply as for three."""
    head, handler = world.head_of(world.units[0]), world.handler_of(world.units[0])

    def returned_one() -> None:
        case = handling(world)
        reply = drafted(world, case)
        fire(case, "sign_reply", head, {"reply": reply.pk, "confirm": True})
        fire(case, "return_reply", world.clerk, {"reply": reply.pk, "reason": "未逐项回应代表建议"})

    client.force_login(handler)
    returned_one()
    client.get(reverse("cases:inbox"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("cases:inbox"))
    returned_one()
    returned_one()
    with django_assert_max_num_queries(len(one)):
        html = client.get(reverse("cases:inbox")).content.decode()
    assert html.count("代表工作委员会审核退回") == 3
