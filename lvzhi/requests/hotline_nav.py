"""The hotline orders' nav entries and to-do lists."""

from __future__ import annotations

from django.db.models import Q

from lvzhi.cases.kinds import NavEntry
from lvzhi.cases.todo import TodoList
from lvzhi.core.models import Role, User
from lvzhi.deputies.activity_permissions import is_deputy_office
from lvzhi.requests.hotline_permissions import KIND
from lvzhi.requests.hotline_states import PENDING, SUPERVISING

NAV = (
    NavEntry(Role.CLERK, "requests:hotline_list", "12345工单", is_deputy_office),
    NavEntry(Role.LEADER, "requests:hotline_list", "12345工单"),
    NavEntry(Role.DEPUTY, "requests:hotline_list", "督办工单"),
)


def _in(state: str):
    def q(user: User) -> Q:
        return Q(kind=KIND, state=state)
    q.__name__ = f"hotline_{state}"
    return q


TODOS = (
    TodoList("hotline_to_assign", "待分派的12345工单", (Role.CLERK,), _in(PENDING),
             "导入的12345难点工单：按区域或领域分派代表督办。", order=65, when=is_deputy_office, kind=KIND),
    TodoList("hotline_supervising", "我督办的12345工单", (Role.DEPUTY,), _in(SUPERVISING),
             "跟踪承办单位办理：记录走访、督促情况，办结后记录办结情况和群众评价。", order=66, kind=KIND),
)
