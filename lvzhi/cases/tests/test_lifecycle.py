"""The suggestion lifecycle through the engine: states, clocks, events and the chain."""

from __future__ import annotations

import datetime as dt

import pytest

from lvzhi.cases.engine import fire
from lvzhi.cases.events import verify_chain
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import AssignmentState, Commitment, Event
from lvzhi.cases.workflow import InvalidInput, NotAllowed, WrongState
from lvzhi.core.workdays import add_months
from lvzhi.suggestions.states import SuggestionState
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db


def test_full_loop_with_unsatisfied_round(world):
    case = draft(world)
    case = to_state(world, case, "replied")
    assert case.state == SuggestionState.REPLIED
    assert case.number.startswith("第十六届第五次会议第0001号")
    lead = case.assignments.get(role="lead")
    assert lead.state == AssignmentState.REPLIED
    assert Commitment.objects.filter(case=case).count() == 1

    fire(case, "evaluate", world.deputy_user, {"verdict": "unsatisfied",
                                               "comment": "补贴标准没有落实到位"})
    case.refresh_from_db()
    assert case.state == SuggestionState.HANDLING and case.round == 2
    rehandle = case.deadlines.get(kind=DeadlineKind.REHANDLE, met_at__isnull=True)
    assert rehandle.due_on >= add_months(rehandle.start_on, 1)

    unit = world.units[0]
    fire(case, "draft_reply", world.handler_of(unit), {
        "assignment": lead.pk, "reply_class": "A",
        "text": "我局已出台加装电梯补贴实施细则，首批三十台电梯已开工，由房屋安全管理处负责督促。"})
    reply = case.replies.get(round=2)
    fire(case, "sign_reply", world.head_of(unit), {"reply": reply.pk, "confirm": True})
    fire(case, "accept_reply", world.clerk, {"reply": reply.pk})
    fire(case, "evaluate", world.deputy_user, {"verdict": "satisfied"})
    case.refresh_from_db()
    assert case.state == SuggestionState.CLOSED
    assert verify_chain(world.congress.pk) == (True, None)


def test_refusals_change_nothing(world):
    case = draft(world)
    before = Event.objects.count()
    with pytest.raises(NotAllowed):
        fire(case, "register", world.deputy_user, {"category": "城乡建设"})
    with pytest.raises(WrongState):
        fire(case, "register", world.clerk, {"category": "城乡建设"})
    with pytest.raises(NotAllowed):
        fire(case, "submit", world.other_congress_clerk)
    fire(case, "submit", world.deputy_user)
    with pytest.raises(InvalidInput) as err:
        fire(case, "register", world.clerk, {"category": "不存在的类别"})
    assert "类别" in err.value.message or "选择" in err.value.message
    case.refresh_from_db()
    assert case.state == SuggestionState.SUBMITTED and case.number == ""
    assert Event.objects.count() == before + 1


def test_extension_cannot_pass_six_months(world):
    case = to_state(world, draft(world), "handling")
    lead = case.assignments.get(role="lead")
    fire(case, "extend", world.clerk, {"assignment": lead.pk, "months": 3, "reason": "涉及面广"})
    clock = case.deadlines.get(kind=DeadlineKind.REPLY)
    assert clock.due_on >= add_months(clock.start_on, 6)
    with pytest.raises(InvalidInput, match="6个月"):
        fire(case, "extend", world.clerk, {"assignment": lead.pk, "months": 1, "reason": "再延"})


def test_reassignment_restarts_the_clock(world):
    case = to_state(world, draft(world), "handling")
    lead = case.assignments.get(role="lead")
    fire(case, "request_reassignment", world.handler_of(world.units[0]),
         {"assignment": lead.pk, "reason": "该事项属于自然资源部门规划审批职责"})
    fire(case, "decide_reassignment", world.clerk,
         {"assignment": lead.pk, "approve": "1", "new_unit": world.units[2].pk})
    lead.refresh_from_db()
    assert lead.state == AssignmentState.WITHDRAWN
    new = case.assignments.get(unit=world.units[2])
    assert new.role == "lead"
    assert case.deadlines.filter(assignment=new, kind=DeadlineKind.REPLY, met_at=None).exists()
    assert not case.deadlines.filter(assignment=lead, cancelled=False, met_at=None).exists()
    # The old unit no longer sees the case; the new one does.
    from lvzhi.cases.permissions import visible_cases
    assert not visible_cases(world.handler_of(world.units[0])).filter(pk=case.pk).exists()
    assert visible_cases(world.handler_of(world.units[2])).filter(pk=case.pk).exists()


def test_month_deadline_rolls_over_holiday():
    from lvzhi.cases.deadlines import roll_to_workday
    from lvzhi.core.workdays import WorkCalendar

    cal = WorkCalendar()
    # 2026 National Day holiday: 1–7 October off, the 8th is the first working day.
    assert roll_to_workday(dt.date(2026, 10, 1), cal) == dt.date(2026, 10, 8)
