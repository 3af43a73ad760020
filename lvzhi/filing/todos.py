"""The filing kind's to-do lists: the 法工委's form review, distribution and review; the
主任会议's decisions; the 制定机关's material, answers and corrections. 待送会办意见 for the
committees comes from the shared handling (lvzhi.cases.handling.todos)."""

from __future__ import annotations

from django.db.models import Q

from lvzhi.cases.todo import TodoList
from lvzhi.core.models import Role, User
from lvzhi.filing import clocks, permissions
from lvzhi.filing.states import (
    COMMUNICATING,
    CORRECTION_ORDERED,
    FILED,
    HANDLING,
    OPINION_SENT,
    PROPOSED,
    REGISTERED,
    SUPPLEMENTING,
    SUSPENDED,
)

ON_KIND = Q(kind=permissions.KIND)
UNIT = (Role.UNIT_HANDLER, Role.UNIT_HEAD)


def _in(*states: str):
    def q(user: User) -> Q:
        return ON_KIND & Q(state__in=states)
    q.__name__ = "filing_" + "_".join(states)
    return q


def is_office(user: User) -> bool:
    return permissions.is_filing_office(user)


TODOS = (
    TodoList("filing_form_review", "待形式审查", (Role.CLERK,), _in(FILED),
             "制定机关报送备案的文件，十日内登记、要求补充材料或者退回。", order=12, when=is_office,
             clock=clocks.FORM_REVIEW),
    TodoList("filing_distribute", "待分送审查", (Role.CLERK,), _in(REGISTERED),
             "已登记的备案文件，五个工作日内分送专门委员会审查。", order=14, when=is_office,
             clock=clocks.DISTRIBUTE),
    TodoList("filing_reviewing", "备案审查中", (Role.CLERK,), _in(HANDLING),
             "正在审查的备案文件：汇总专委意见、记录审查发现，作出处理。", order=16, when=is_office,
             clock=clocks.REVIEW),
    TodoList("filing_to_decide", "备案审查待决定", (Role.LEADER,), _in(PROPOSED),
             "法工委提请主任会议的备案审查事项，提请常委会作出决定。", order=32),
    TodoList("filing_to_supplement", "待补充备案材料", UNIT, _in(SUPPLEMENTING),
             "法工委要求补充的备案材料，十日内补充。", order=40, when=permissions.is_filer,
             clock=clocks.SUPPLEMENT),
    TodoList("filing_to_answer", "待回应审查意见", UNIT, _in(COMMUNICATING, OPINION_SENT),
             "法工委就备案文件提出的沟通意见或书面审查意见，请研究答复。", order=41, when=permissions.is_filer,
             clock=clocks.ANSWER),
    TodoList("filing_to_correct", "待报送纠正情况", UNIT, _in(SUSPENDED, CORRECTION_ORDERED),
             "同意修改或者被决定限期纠正的文件，修改后报送备案并报告处理情况。", order=42,
             when=permissions.is_filer),
)
