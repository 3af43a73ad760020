"""Who may do what with key tasks: the kind's own relations, its visibility, and its pages.

The 办公室 (Organization.function "general_office") drafts, submits, assigns, dispatches and
proposes close-out; the 主任会议 (the LEADER accounts) approves the list and the close-outs;
the lead office (staff of a committee or working body holding a live lead assignment)
reports progress and marks milestones done. Deputies and handling units see no key task.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lvzhi.cases.models import Assignment, AssignmentRole, AssignmentState, Case
from lvzhi.cases.permissions import Relation, assigned_q, same_congress
from lvzhi.core.models import Role, User

KIND = "key_task"
OFFICE = "general_office"  # 办公室/办公厅
STAFF_ROLES = (Role.CLERK, Role.COMMITTEE_STAFF)
ANSWERING = (AssignmentRole.LEAD, AssignmentRole.SPLIT)


def _lead_unit_ids(case: Case) -> set[int]:
    return {a.unit_id for a in case.assignments.all()
            if a.role in ANSWERING and a.state != AssignmentState.WITHDRAWN}


def is_lead_office(user: User, case: Case) -> bool:
    """Staff of the committee or working body leading the task (牵头部门)."""
    return (user.role in STAFF_ROLES and same_congress(user, case) and user.organization_id is not None
            and user.organization_id in _lead_unit_ids(case))


def lead_office_users(case: Case) -> QuerySet[User]:
    return User.objects.filter(organization_id__in=_lead_unit_ids(case), role__in=STAFF_ROLES,
                               is_active=True)


def is_responsible_leader(user: User, case: Case) -> bool:
    detail = getattr(case, "key_task_detail", None)
    return user.role == Role.LEADER and detail is not None and detail.responsible_leader_id == user.pk


def responsible_leader_users(case: Case) -> QuerySet[User]:
    detail = getattr(case, "key_task_detail", None)
    return User.objects.filter(pk=detail.responsible_leader_id if detail else None, is_active=True)


RELATIONS = {
    "lead_office": Relation("牵头部门", is_lead_office, lead_office_users),
    "responsible_leader": Relation("责任领导", is_responsible_leader, responsible_leader_users),
}


def is_office(user: User) -> bool:
    """办公室 staff of some congress."""
    org = getattr(user, "organization", None) if user.is_authenticated else None
    return (user.role == Role.CLERK and user.congress_id is not None and org is not None
            and org.function == OFFICE)


def is_leader(user: User) -> bool:
    return user.is_authenticated and user.role == Role.LEADER and user.congress_id is not None


def visibility(user: User) -> Q:
    """The office and the 主任会议 see every key task of their congress; a committee or working
    body the ones assigned to it; deputies and handling units none."""
    if user.role == Role.LEADER:
        return Q()
    if is_office(user):
        return Q()
    if user.role in STAFF_ROLES:
        return assigned_q(user)
    return Q(pk__in=[])


# ------------------------------------------------------------------ pages

def may_see_board(user: User) -> bool:
    return user.is_authenticated and user.congress_id is not None and (
        user.role in (Role.LEADER, *STAFF_ROLES))


def concerns(user: User) -> bool:
    """Whether key tasks concern a working body's staff: the 办公室, or an office leading one
    (so the 代表工委's clerks are not shown the board)."""
    if is_office(user):
        return True
    return bool(user.organization_id) and Assignment.objects.filter(
        unit_id=user.organization_id, case__kind=KIND).exists()


def may_manage(user: User) -> bool:
    """The office's pages: new task, import, dispatch, submit for approval."""
    return is_office(user)


def may_export(user: User) -> bool:
    return is_office(user) or is_leader(user)
