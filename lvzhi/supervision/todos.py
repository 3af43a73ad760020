"""The to-do lists only problems have. 待交办, 待签收, 待送会办意见 and 已超期 come from the shared
handling (lvzhi.cases.handling.todos); 待审定销号 is the key tasks' list of the same code, so the
主任会议 sees one list of everything put up for 销号."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from lvzhi.cases.handling.clocks import DeadlineKind
from lvzhi.cases.models import Assignment, AssignmentState, Deadline
from lvzhi.cases.todo import TodoList
from lvzhi.core.models import Role, User
from lvzhi.supervision import permissions
from lvzhi.supervision.forms import ANSWERING
from lvzhi.supervision.states import CLOSE_PROPOSED, CLOSED, DRAFTING, EVALUATED, HANDLING, REPLIED

ON_KIND = Q(kind=permissions.KIND)
NONE = Q(pk__in=[])


def to_enlist(user: User) -> Q:
    return ON_KIND & Q(state=DRAFTING)


def _committee(user: User, state: str) -> Q:
    if not user.organization_id:
        return NONE
    return ON_KIND & Q(state=state, problem_detail__committee_id=user.organization_id)


def to_evaluate(user: User) -> Q:
    return _committee(user, REPLIED)


def to_propose(user: User) -> Q:
    return _committee(user, EVALUATED)


def to_rectify(user: User) -> Q:
    if not user.organization_id:
        return NONE
    return ON_KIND & Q(state=HANDLING) & Q(Exists(Assignment.objects.filter(
        case=OuterRef("pk"), unit_id=user.organization_id, role__in=ANSWERING, state=AssignmentState.HANDLING)))


def to_close_out(user: User) -> Q:
    return ON_KIND & Q(state=CLOSE_PROPOSED)


def to_revisit(user: User) -> Q:
    due = Deadline.objects.filter(case=OuterRef("pk"), kind=DeadlineKind.REVISIT, met_at__isnull=True,
                                  cancelled=False, due_on__lte=timezone.localdate())
    return ON_KIND & Q(state=CLOSED) & Q(Exists(due))


TODOS = (
    TodoList("problem_to_enlist", "待列入清单", (Role.CLERK,), to_enlist,
             "监督委员会起草的问题，核对后列入问题清单并交办责任单位。", order=16, when=permissions.is_office),
    TodoList("problem_to_revisit", "待回头看", (Role.CLERK,), to_revisit,
             "销号已满回头看期限的问题，核查整改是否巩固；反弹的重新交办。", order=65, when=permissions.is_office,
             clock=DeadlineKind.REVISIT),
    TodoList("problem_to_evaluate", "待评价整改", (Role.COMMITTEE_STAFF, Role.CLERK), to_evaluate,
             "责任单位已报送整改报告的问题，评价满意、基本满意或不满意（不满意的重新整改）。", order=45,
             when=permissions.is_committee_staff),
    TodoList("problem_to_propose", "待提请销号", (Role.COMMITTEE_STAFF, Role.CLERK), to_propose,
             "整改评价为满意或基本满意的问题，写明佐证后提请主任会议销号。", order=46,
             when=permissions.is_committee_staff),
    TodoList("to_close_out", "待审定销号", (Role.LEADER,), to_close_out,
             "已提请销号的，审定同意销号或写明理由退回继续办理。", order=35),
    TodoList("problem_to_rectify", "待整改", (Role.UNIT_HANDLER, Role.UNIT_HEAD), to_rectify,
             "交办给本单位的监督问题：报送整改方案和进展，完成后由负责人报送整改报告。", order=125,
             clock="rectify_due", due_label="整改时限"),
)
