"""The reason a case was put into its current state sits at the top of its page (issue 8).

A deputy whose suggestion the office returned (退回修改), or the office whose key task the
主任会议 returned, used to find the reason only at the bottom of the timeline.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lvzhi.cases.engine import fire
from lvzhi.keytasks.tests.helpers import open_task
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db

REASON = "建议内容缺少具体办理诉求，请补充后重新提交"


def _alert(client, user, case) -> str:
    client.force_login(user)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    m = re.search(r'<div class="alert[^"]*" role="alert" id="entry-reason">(.*?)</div>\s*</div>', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m.group(1))) if m else ""


def _is_above_the_timeline(client, user, case) -> bool:
    client.force_login(user)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    return page.index('id="entry-reason"') < page.index('<h2 class="h6">办理过程</h2>')


def test_returned_suggestion_shows_the_reason_on_top(client, world):
    case = to_state(world, draft(world), "submitted")
    fire(case, "return_for_revision", world.clerk, {"reason": REASON})
    case.refresh_from_db()
    for user in (world.deputy_user, world.clerk):
        text = _alert(client, user, case)
        assert f"退回理由：{REASON}" in text
        assert world.clerk.name in text and "退回修改" in text
        assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text)
    assert _is_above_the_timeline(client, world.deputy_user, case)


def test_reason_goes_once_the_state_moves_on(client, world):
    case = to_state(world, draft(world), "submitted")
    fire(case, "return_for_revision", world.clerk, {"reason": REASON})
    fire(case, "submit", world.deputy_user)
    case.refresh_from_db()
    assert case.state == "submitted"
    assert _alert(client, world.deputy_user, case) == ""


def test_a_step_that_keeps_the_state_does_not_hide_the_reason(client, world):
    case = to_state(world, draft(world), "submitted")
    fire(case, "return_for_revision", world.clerk, {"reason": REASON})
    # The deputy saves an edit: an event that keeps the state.
    fire(case, "edit", world.deputy_user, {"title": case.title, "body": case.body + "补充办理诉求。",
                                           "category": case.category,
                                           "cosigners": list(case.cosigns.values_list("deputy_id", flat=True))})
    case.refresh_from_db()
    assert case.state == "returned"
    assert f"退回理由：{REASON}" in _alert(client, world.deputy_user, case)


def test_no_alert_without_a_reason(client, world):
    case = to_state(world, draft(world), "registered")
    assert _alert(client, world.clerk, case) == ""


def test_returned_key_task_shows_the_leaders_reason(client, world):
    case = open_task(world)
    fire(case, "submit_for_approval", world.office_clerk)
    fire(case, "return_draft", world.leader, {"reason": "请细化工作节点，明确各阶段完成时间"})
    case.refresh_from_db()
    assert case.state == "drafting"
    text = _alert(client, world.office_clerk, case)
    assert "退回理由：请细化工作节点，明确各阶段完成时间" in text and world.leader.name in text


def test_hidden_step_is_not_explained_to_a_deputy(client, world):
    # Events a deputy's timeline leaves out (back-office steps) never reach their alert.
    from lvzhi.cases import selectors

    case = to_state(world, draft(world), "submitted")
    fire(case, "return_for_revision", world.clerk, {"reason": REASON})
    case.refresh_from_db()
    events = list(case.events.order_by("seq"))
    assert selectors.entry_reason(case, events, selectors.timeline(world.deputy_user, events)) is not None
    assert selectors.entry_reason(case, events, [e for e in events if e.name != "return_for_revision"]) is None
