"""The to-do lists of the shared handling transitions, for every kind whose workflow has them.

Each list is declared only when the kind's workflow has the transition that clears it (a key
task has no 拟写答复, so no 待答复), for the roles that stand in the transition's relation
(`HandlingSpec.handler_relations` …). Every condition is a Q over Case, so the navigation
counts all lists in one query (lvzhi.cases.todo.summary); each is a module function declared
for the kind (`TodoList.kind`), so suggestions and motions share one compiled condition.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from lvzhi.cases.clocks import duty_codes
from lvzhi.cases.handling.states import CLOSED, HANDLING, REGISTERED, REPLIED
from lvzhi.cases.models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    Commitment,
    CommitmentState,
    Contact,
    Deadline,
    Reply,
    ReplyState,
)
from lvzhi.cases.todo import TodoList, user_memo
from lvzhi.core.models import Role, User

# The roles that can stand in a shared relation; a kind's own relation gets no shared list.
RELATION_ROLES: dict[str, tuple[str, ...]] = {
    "unit_handler": (Role.UNIT_HANDLER,),
    "unit_head": (Role.UNIT_HEAD,),
    "assignee": (Role.CLERK, Role.COMMITTEE_STAFF),
    "leader": (Role.LEADER,),
    "office": (Role.CLERK,),
}
ANSWERING = [AssignmentRole.LEAD, AssignmentRole.SPLIT]
NONE = Q(pk__in=[])

# Orders: the office's day first (intake 10, assign 20 …), a unit's day from 签收 to 承诺.
ORDER = {"to_assign": 20, "to_review": 30, "reassign_requests": 40, "to_publish": 60,
         "overdue": 70, "to_close_out": 35, "to_receive": 110, "to_contact": 120,
         "to_reply": 130, "returned": 140, "co_opinion": 150, "promises": 160, "to_sign": 210}


def _roles(relations: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    roles: list[str] = []
    for r in relations:
        for role in RELATION_ROLES.get(r, ()):
            if role not in roles:
                roles.append(role)
    return tuple(roles)


def _office_when(kind_code: str) -> Callable[[User], bool]:
    def when(user: User) -> bool:
        from lvzhi.cases.policy import is_office_of

        return is_office_of(user, kind_code)
    return when


def held_kinds(user: User) -> frozenset[str]:
    """The kinds of which the user's organisation holds any assignment: one query for every
    kind, once per request (todo.user_memo)."""
    if not user.organization_id:
        return frozenset()
    return user_memo(user, "held_kinds", lambda: frozenset(
        Assignment.objects.filter(unit_id=user.organization_id).order_by()  # no ordering columns
        .values_list("case__kind", flat=True).distinct()))


@functools.cache
def _assigned_when(kind_code: str) -> Callable[[User], bool]:
    """A unit's lists for unit accounts; for staff of a committee or working body ("assignee")
    only when their organisation holds an assignment of the kind (the 代表工委's clerks are not
    shown an empty 待送会办意见 of key tasks). One function per kind, so its lists share it."""
    def when(user: User) -> bool:
        return user.role in (Role.UNIT_HANDLER, Role.UNIT_HEAD) or kind_code in held_kinds(user)
    return when


def _mine(user: User, **filters) -> Q:
    """Cases with an assignment of the user's organisation matching `filters`."""
    if not user.organization_id:
        return NONE
    return Q(Exists(Assignment.objects.filter(case=OuterRef("pk"), unit_id=user.organization_id,
                                              **filters)))


def _confidential_q(kind) -> Q:
    """A kind whose detail has `confidential` never publishes those (publication.publish_guard)."""
    model = kind.detail_model
    if model is not None and kind.detail_name and any(
            f.name == "confidential" for f in model._meta.get_fields()):
        return Q(**{f"{kind.detail_name}__confidential": True})
    return NONE


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


# The conditions, within one kind (TodoList.kind): module functions, so the kinds sharing the
# handling share them and the registry compiles each once for all kinds (kind IN (…)).

def _registered(user: User) -> Q:
    return Q(state=REGISTERED)


def _signed_reply(user: User) -> Q:
    return Q(state=HANDLING) & Q(Exists(Reply.objects.filter(
        case=OuterRef("pk"), round=OuterRef("round"), state=ReplyState.SIGNED)))


def _reassign_requested(user: User) -> Q:
    return Q(state=HANDLING) & Q(Exists(Assignment.objects.filter(
        case=OuterRef("pk"), state=AssignmentState.REASSIGN_REQUESTED)))


def _overdue(user: User) -> Q:
    return Q(Exists(Deadline.objects.filter(
        case=OuterRef("pk"), met_at__isnull=True, cancelled=False,
        kind__in=duty_codes(), due_on__lt=timezone.localdate())))


def _proposed_close_out(user: User) -> Q:
    return Q(state=REPLIED)


def _to_receive(user: User) -> Q:
    return Q(state=HANDLING) & _mine(user, received_at__isnull=True, state=AssignmentState.HANDLING)


def _to_contact(user: User) -> Q:
    if not user.organization_id:
        return NONE
    no_contact = ~Exists(Contact.objects.filter(assignment=OuterRef("pk")))
    return Q(state=HANDLING) & Q(Exists(Assignment.objects.filter(
        case=OuterRef("pk"), unit_id=user.organization_id, role=AssignmentRole.LEAD,
        state=AssignmentState.HANDLING).filter(no_contact)))


def _to_reply(user: User) -> Q:
    if not user.organization_id:
        return NONE
    answered = Exists(Reply.objects.filter(assignment=OuterRef("pk"), round=OuterRef("case__round"),
                                           state__in=[ReplyState.SIGNED, ReplyState.ACCEPTED]))
    return Q(state=HANDLING) & Q(Exists(Assignment.objects.filter(
        case=OuterRef("pk"), unit_id=user.organization_id, role__in=ANSWERING,
        state=AssignmentState.HANDLING).filter(~answered)))


def _own_reply_in(state: str) -> Callable[[User], Q]:
    def q(user: User) -> Q:
        if not user.organization_id:
            return NONE
        return Q(state=HANDLING) & Q(Exists(Reply.objects.filter(
            case=OuterRef("pk"), round=OuterRef("round"), assignment__unit_id=user.organization_id,
            state=state)))
    return q


_returned = _own_reply_in(ReplyState.RETURNED)
_to_sign = _own_reply_in(ReplyState.DRAFT)


def _co_opinion(user: User) -> Q:
    return Q(state=HANDLING) & _mine(user, role=AssignmentRole.CO, state=AssignmentState.HANDLING)


def _promises(user: User) -> Q:
    if not user.organization_id:
        return NONE
    return Q(Exists(Commitment.objects.filter(
        case=OuterRef("pk"), unit_id=user.organization_id, state=CommitmentState.OPEN)))


def handling_todos(kind) -> list[TodoList]:
    spec = kind.handling
    names = set(kind.workflow.transitions)
    code = kind.code
    out: list[TodoList] = []

    def office(list_code: str, label: str, hint: str, q: Callable[[User], Q]) -> None:
        out.append(TodoList(list_code, label, (Role.CLERK,), q, hint, ORDER[list_code],
                            when=_office_when(code), kind=code))

    # ---- the office (代表工委 for suggestions, 办公室 for key tasks)
    if "assign" in names:
        office("to_assign", "待交办", "已立案，尚未交办承办单位；交办后开始计算答复期限。", _registered)
    if "accept_reply" in names or "review_reply" in names:
        office("to_review", "待审核答复", "承办单位负责人已签发的答复，审核通过后送评价，或写明意见退回修改。",
               _signed_reply)
    if "decide_reassignment" in names:
        office("reassign_requests", "调整申请", "承办单位申请调整（退办）的，审核后同意改交或不同意继续办理。",
               _reassign_requested)
    publish = kind.workflow.transitions.get("publish")
    if publish is not None and CLOSED in publish.sources:
        secret = _confidential_q(kind)
        office("to_publish", "待公开", "已办结、尚未公开的（要求保密的除外），核对后公开。",
               lambda u: Q(state=CLOSED, is_public=False) & ~secret)  # the kind's own secret
    if spec is not None or kind.clocks:
        office("overdue", "已超期", "有期限已过仍未完成的（办理、会办意见、交办等），请催办。", _overdue)
    if spec is None:
        return out

    # ---- the closer's 审定销号 (a leader for key tasks), where there is no evaluation
    if "close_out" in names and spec.closer in RELATION_ROLES:
        closer_when = _office_when(code) if spec.closer == "office" else None
        out.append(TodoList("to_close_out", "待审定销号", _roles([spec.closer]), _proposed_close_out,
                            "已提请销号的，审定同意销号或写明理由退回继续办理。",
                            order=ORDER["to_close_out"], when=closer_when, kind=code))

    # ---- the unit's day (for key tasks: the committee or working body assigned)
    handler_roles = _roles(spec.handler_relations)
    head_roles = _roles(spec.head_relations)
    handler_when = _assigned_when(code) if "assignee" in spec.handler_relations else None
    head_when = _assigned_when(code) if "assignee" in spec.head_relations else None

    def unit(list_code: str, label: str, hint: str, q: Callable[[User], Q], head: bool = False) -> None:
        roles = head_roles if head else handler_roles
        if roles:
            out.append(TodoList(list_code, label, roles, q, hint, ORDER[list_code], kind=code,
                                when=head_when if head else handler_when))

    if "acknowledge" in names and _has_field(Assignment, "received_at"):
        unit("to_receive", "待签收", "新交办给本单位的，签收后开始办理；不属于本单位职责的可申请调整。",
             _to_receive)
    if "log_contact" in names:
        unit("to_contact", "待联系", "主办的、还没有登记与代表沟通联系（办前见面）的。", _to_contact)
    if "draft_reply" in names:
        unit("to_reply", "待答复", "主办或分办的、本轮答复还没有签发的；拟写答复后送负责人签发。", _to_reply)
        unit("returned", "被退回", "答复被审核退回或负责人退回的，按意见修改后重新送签。", _returned)
    if "give_co_opinion" in names:
        unit("co_opinion", "待送会办意见", "会办的，在期限内把会办意见送主办单位。", _co_opinion)
    if "keep_commitment" in names:
        unit("promises", "承诺待落实", "答复中承诺的事项，落实后报告落实情况。", _promises)
    if "sign_reply" in names:
        unit("to_sign", "待签发", "本单位经办人拟写的答复，审阅后签发送审核。", _to_sign, head=True)
    return out
