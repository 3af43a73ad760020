"""The to-do lists only key tasks have: drafts to put to the 主任会议, the 主任会议's approval of
the list, and the lead office's progress reports. 待交办, 待审定销号 and 待送会办意见 come from
the shared handling (lvzhi.cases.handling.todos)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from lvzhi.cases.handling.todos import held_kinds
from lvzhi.cases.models import Deadline
from lvzhi.cases.todo import TodoList
from lvzhi.core.models import Role, User
from lvzhi.keytasks import clocks, permissions
from lvzhi.keytasks.states import DRAFTING, HANDLING, PENDING

ON_KIND = Q(kind=permissions.KIND)


def drafts(user: User) -> Q:
    return ON_KIND & Q(state=DRAFTING)


def to_approve(user: User) -> Q:
    return ON_KIND & Q(state=PENDING)


def to_report(user: User) -> Q:
    """Tasks whose current 调度 still waits for this office's progress report."""
    if not user.organization_id:
        return Q(pk__in=[])
    return ON_KIND & Q(state=HANDLING) & Q(Exists(Deadline.objects.filter(
        case=OuterRef("pk"), kind=clocks.PROGRESS_REPORT, met_at__isnull=True, cancelled=False,
        assignment__unit_id=user.organization_id)))


def concerns(user: User) -> bool:
    """permissions.concerns (the 办公室, or an office holding a task) from the kinds the shared
    handling's lists already asked for: no query of its own."""
    return permissions.is_office(user) or permissions.KIND in held_kinds(user)


TODOS = (
    TodoList("key_task_drafts", "待提请审定", (Role.CLERK,), drafts,
             "起草中的年度重点任务，核定后提请主任会议审定。", order=15, when=permissions.is_office),
    TodoList("key_task_to_approve", "待审定", (Role.LEADER,), to_approve,
             "办公室提请主任会议审定的年度重点任务，审定通过或退回修改。", order=30),
    TodoList("key_task_to_report", "待报进展", (Role.CLERK, Role.COMMITTEE_STAFF), to_report,
             "本部门牵头的重点任务，本次调度的进展还没有报送。", order=125, when=concerns,
             clock=clocks.PROGRESS_REPORT, due_label="报送期限"),
)
