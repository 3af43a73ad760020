"""The return loop in the API's replies: who sent a draft back, when, why and at which step,
shown to exactly those whose timeline shows the return — never to the deputy."""

from __future__ import annotations

import json

import pytest

from lvzhi.api.tests.helpers import case_url, client_for
from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case, Reply
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db

TEXT = ("经研究，我局已将老旧小区加装电梯纳入年度民生实事，简化审批流程，"
        "明确每台电梯补贴二十万元，由房屋安全管理处负责推进。")
HEAD_REASON = "补贴标准的依据未写明，请补充文件名称"
OFFICE_REASON = "未答复代表提出的协商机制问题，请补充"
RETURN_KEYS = {"returned_stage", "returned_stage_label", "returned_by", "returned_at", "return_reason"}


def _draft(world, case: Case) -> Reply:
    unit = world.units[0]
    lead = case.assignments.get(unit=unit)
    fire(case, "draft_reply", world.handler_of(unit),
         {"assignment": lead.pk, "reply_class": "B", "text": TEXT, "promises": ""})
    return case.replies.filter(assignment=lead).latest("id")


def _reply(user, case: Case) -> dict:
    response = client_for(user).get(case_url(case.pk))
    assert response.status_code == 200, response.content.decode()
    replies = response.json()["replies"]
    assert len(replies) == 1, replies
    return replies[0]


@pytest.fixture
def handling(world):
    return world, to_state(world, draft(world), "handling")


def test_a_head_return_names_the_head_step_for_the_unit_and_the_office(handling):
    world, case = handling
    reply = _draft(world, case)
    fire(case, "return_draft", world.head_of(world.units[0]), {"reply": reply.pk, "reason": HEAD_REASON})
    for user in (world.handler_of(world.units[0]), world.head_of(world.units[0]), world.clerk):
        data = _reply(user, case)
        assert data["state"] == "returned"
        assert data["returned_stage"] == "head"
        assert data["returned_stage_label"] == "单位负责人退回"
        assert data["returned_by"] == "负责人0"
        assert data["returned_at"] is not None
        assert data["return_reason"] == HEAD_REASON


def test_an_office_return_names_the_office_and_is_kept_on_the_redraft(handling):
    world, case = handling
    unit = world.units[0]
    reply = _draft(world, case)
    fire(case, "sign_reply", world.head_of(unit), {"reply": reply.pk, "confirm": True})
    fire(case, "return_reply", world.clerk, {"reply": reply.pk, "reason": OFFICE_REASON})
    data = _reply(world.handler_of(unit), case)
    assert (data["returned_stage"], data["returned_stage_label"], data["returned_by"], data["return_reason"]) == (
        "office", "代表工作委员会审核退回", "王文书", OFFICE_REASON)
    # The unit redrafts: the reason stays beside the new text until it is signed again.
    _draft(world, case)
    data = _reply(world.handler_of(unit), case)
    assert data["state"] == "draft" and data["returned_stage"] == "office"
    assert data["return_reason"] == OFFICE_REASON


def test_the_deputy_never_reads_a_back_office_return(handling):
    world, case = handling
    unit = world.units[0]
    reply = _draft(world, case)
    fire(case, "return_draft", world.head_of(unit), {"reply": reply.pk, "reason": HEAD_REASON})
    assert client_for(world.deputy_user).get(case_url(case.pk)).json()["replies"] == []
    _draft(world, case)
    fire(case, "sign_reply", world.head_of(unit), {"reply": reply.pk, "confirm": True})
    fire(case, "return_reply", world.clerk, {"reply": reply.pk, "reason": OFFICE_REASON})
    _draft(world, case)
    fire(case, "sign_reply", world.head_of(unit), {"reply": reply.pk, "confirm": True})
    fire(case, "accept_reply", world.clerk, {"reply": reply.pk})

    response = client_for(world.deputy_user).get(case_url(case.pk))
    data = response.json()["replies"][0]
    assert data["state"] == "accepted" and data["text"] == TEXT
    assert {k: data[k] for k in RETURN_KEYS} == {
        "returned_stage": "", "returned_stage_label": "", "returned_by": None, "returned_at": None,
        "return_reason": ""}
    body = json.dumps(response.json(), ensure_ascii=False)
    assert OFFICE_REASON not in body and HEAD_REASON not in body
    # The clerk and the leader still read the office's last return on the accepted reply.
    for user in (world.clerk, world.leader):
        data = _reply(user, case)
        assert data["returned_stage"] == "office" and data["return_reason"] == OFFICE_REASON


def test_a_reply_never_returned_says_so(handling):
    world, case = handling
    _draft(world, case)
    data = _reply(world.handler_of(world.units[0]), case)
    assert {k: data[k] for k in RETURN_KEYS} == {
        "returned_stage": "", "returned_stage_label": "", "returned_by": None, "returned_at": None,
        "return_reason": ""}
