"""The budget warning's to-do lists: the 预算工委's 待甄别 and 已说明待审核, the unit's 待说明.
Each is a state condition (the (congress, kind, state) index serves it) inside visible_cases,
which already limits a unit to the warnings pushed to it."""

from __future__ import annotations

from django.db.models import Q

from lvzhi.budget.clocks import ANSWER
from lvzhi.budget.permissions import is_budget_office
from lvzhi.budget.states import ANSWERED, PUSHED, RAISED
from lvzhi.budget.workflow import KIND
from lvzhi.cases.todo import TodoList
from lvzhi.core.models import Role, User


def _in(state: str):
    def q(user: User) -> Q:
        return Q(kind=KIND, state=state)
    q.__name__ = f"budget_warning_{state}"
    return q


TODOS = (
    TodoList("budget_warning_raised", "待甄别预算预警", (Role.CLERK,), _in(RAISED),
             "规则运行发出的预算预警：甄别后推送财政部门或预算部门说明，或者说明理由予以排除。", order=40,
             when=is_budget_office, kind=KIND),
    TodoList("budget_warning_answered", "预警已说明待审核", (Role.CLERK,), _in(ANSWERED),
             "单位已就预算预警作出说明：审核通过予以销号，或者要求再次说明。", order=41,
             when=is_budget_office, kind=KIND),
    TodoList("budget_warning_to_answer", "待说明的预算预警", (Role.UNIT_HANDLER, Role.UNIT_HEAD), _in(PUSHED),
             "预算工委推送的预算预警：请在期限内说明原因或者整改情况。", order=126, clock=ANSWER,
             due_label="说明期限", kind=KIND),
)
