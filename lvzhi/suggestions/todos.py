"""The to-do lists only motions and suggestions have: the 代表工委's intake, the deputy's
invitations, verdicts and returned drafts, a committee's referred motions. The handling lists
(待交办, 待审核答复, 待答复 …) come from the shared handling (lvzhi.cases.handling.todos)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import Cosign, CosignState, Deadline
from lvzhi.cases.todo import TodoList
from lvzhi.core.models import Role, User
from lvzhi.suggestions import permissions
from lvzhi.suggestions.states import SuggestionState as S

KINDS = ("suggestion", "motion")
ON_KINDS = Q(kind__in=KINDS)
NONE = Q(pk__in=[])


def _deputy(user: User) -> int | None:
    return permissions.deputy_id(user)


def to_register(user: User) -> Q:
    return ON_KINDS & Q(state=S.SUBMITTED)


def invitations(user: User) -> Q:
    did = _deputy(user)
    if did is None:
        return NONE
    return ON_KINDS & Q(state=S.SUBMITTED) & Q(Exists(Cosign.objects.filter(
        case=OuterRef("pk"), deputy_id=did, state=CosignState.INVITED)))


def to_evaluate(user: User) -> Q:
    """Answered, the deputy leads it, and the evaluation window is still open."""
    did = _deputy(user)
    mine = Q(lead_deputy_id=did) if did is not None else Q(lead_deputy__isnull=True, submitter=user)
    return ON_KINDS & Q(state=S.REPLIED) & mine & Q(Exists(Deadline.objects.filter(
        case=OuterRef("pk"), kind=DeadlineKind.EVALUATION, met_at__isnull=True, cancelled=False)))


def returned_to_me(user: User) -> Q:
    did = _deputy(user)
    mine = Q(submitter=user) | (Q(lead_deputy_id=did) if did is not None else NONE)
    return ON_KINDS & Q(state=S.RETURNED) & mine


def referred_to_us(user: User) -> Q:
    if not user.organization_id:
        return NONE
    return Q(kind="motion", state=S.REFERRED, motion_detail__committee_id=user.organization_id)


TODOS = (
    TodoList("to_register", "待登记", (Role.CLERK,), to_register,
             "代表已提交、附议已确认的议案建议，审查后立案、退回修改或并案。", order=10,
             when=permissions.is_office),
    TodoList("invitations", "附议邀请", (Role.DEPUTY,), invitations,
             "其他代表邀请您附议（联名）的，请确认同意或谢绝。", order=310),
    TodoList("to_evaluate", "待我评价", (Role.DEPUTY,), to_evaluate,
             "承办单位已答复的，请在评价期限内评价；逾期未评价视为认可。", order=320,
             clock=DeadlineKind.EVALUATION),
    TodoList("returned_to_me", "退回给我", (Role.DEPUTY,), returned_to_me,
             "代表工委退回修改的，按意见修改后重新提交。", order=330),
    TodoList("referred_to_us", "待报告审议结果", (Role.COMMITTEE_STAFF,), referred_to_us,
             "交本委员会审议的议案，审议后报告审议结果。", order=410),
)
