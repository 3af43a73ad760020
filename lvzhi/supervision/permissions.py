"""Who may do what with problems (问题清单): the kind's own relation, its visibility, its pages.

The supervising committee (staff of the 专门委员会/工作委员会 leading the topic) drafts each
problem, evaluates the unit's 整改报告 and proposes 销号; the 办公厅 (Organization.function
"general_office") puts it on the list, assigns the responsible units, 督办s and revisits it; the
主任会议 (LEADER accounts) approves 销号; the responsible units see and rectify their own.
Deputies see none (the published outcomes are the portal's).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lvzhi.cases.models import Case
from lvzhi.cases.permissions import Relation, assigned_q, same_congress
from lvzhi.core.models import OrganizationKind, Role, User

KIND = "problem"
OFFICE = "general_office"  # 办公厅：问题的归集、交办、督办、回头看
STAFF_ROLES = (Role.CLERK, Role.COMMITTEE_STAFF)


def _committee_id(case: Case) -> int | None:
    detail = getattr(case, "problem_detail", None) if case.pk else None
    return detail.committee_id if detail is not None else None


def is_committee(user: User, case: Case) -> bool:
    """Staff of the committee supervising the problem; for a new one, of any committee (the
    problem is then the actor's own committee's)."""
    if not (user.is_authenticated and user.role in STAFF_ROLES and same_congress(user, case)):
        return False
    org = getattr(user, "organization", None)
    if org is None or org.kind != OrganizationKind.COMMITTEE:
        return False
    committee = _committee_id(case)
    return committee is None if case.pk is None else committee == org.pk


def committee_users(case: Case) -> QuerySet[User]:
    return User.objects.filter(organization_id=_committee_id(case), role__in=STAFF_ROLES, is_active=True)


RELATIONS = {"committee": Relation("监督委员会", is_committee, committee_users)}


def is_office(user: User) -> bool:
    org = getattr(user, "organization", None) if user.is_authenticated else None
    return (user.role == Role.CLERK and user.congress_id is not None and org is not None
            and org.function == OFFICE)


def is_committee_staff(user: User) -> bool:
    org = getattr(user, "organization", None) if user.is_authenticated else None
    return (user.role in STAFF_ROLES and user.congress_id is not None and org is not None
            and org.kind == OrganizationKind.COMMITTEE)


def visibility(user: User) -> Q:
    """The 办公厅 and the 主任会议 see every problem of their congress; a committee the ones it
    supervises; a unit the ones assigned to it."""
    if user.role == Role.LEADER or is_office(user):
        return Q()
    if is_committee_staff(user):
        return Q(problem_detail__committee_id=user.organization_id) | assigned_q(user)
    if user.role in (Role.UNIT_HANDLER, Role.UNIT_HEAD):
        return assigned_q(user)
    return Q(pk__in=[])


def may_see_list(user: User) -> bool:
    return user.is_authenticated and user.congress_id is not None and (
        user.role == Role.LEADER or is_office(user) or is_committee_staff(user))
