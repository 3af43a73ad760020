"""The review request kind's nav entries and to-do lists (the 法工委's)."""

from __future__ import annotations

from django.db.models import Q

from lvzhi.cases.kinds import NavEntry
from lvzhi.cases.todo import TodoList
from lvzhi.core.models import Role, User
from lvzhi.filing import request_clocks as clocks
from lvzhi.filing.permissions import is_filing_office
from lvzhi.filing.request_permissions import KIND
from lvzhi.filing.request_states import DECLINED, RECEIVED, REGISTERED, REVIEWING

NAV = (
    NavEntry(Role.CLERK, "filing:requests", "审查建议", is_filing_office),
    NavEntry(Role.LEADER, "filing:requests", "审查建议"),
)


def _in(*states: str):
    def q(user: User) -> Q:
        return Q(kind=KIND, state__in=states)
    q.__name__ = "review_request_" + "_".join(states)
    return q


def _to_feed_back(user: User) -> Q:
    from lvzhi.filing.states import RESULT_KNOWN

    return Q(kind=KIND, state=REVIEWING, review_request_detail__filing__state__in=RESULT_KNOWN)


TODOS = (
    TodoList("review_request_intake", "待登记审查建议", (Role.CLERK,), _in(RECEIVED),
             "收到的审查建议：五个工作日内登记、告知补充完整，或者不属于规范性文件的不予登记。", order=18,
             when=is_filing_office, clock=clocks.INTAKE),
    TodoList("review_request_decide", "审查建议待研究", (Role.CLERK,), _in(REGISTERED),
             "已登记的审查建议：启动审查，或者依第二十五条决定不启动审查。", order=19, when=is_filing_office),
    TodoList("review_request_tell", "待告知不启动审查", (Role.CLERK,), _in(DECLINED),
             "决定不启动审查的，十日内告知提起人并说明理由。", order=20, when=is_filing_office,
             clock=clocks.DECLINE_NOTICE),
    TodoList("review_request_feed_back", "待反馈审查结果", (Role.CLERK,), _to_feed_back,
             "依申请审查的文件已有审查结果，请反馈提起人，可以公开。", order=21, when=is_filing_office),
)
