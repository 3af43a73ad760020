"""Who may see a case and who may fire a transition: the one permission policy.

A transition names relations ("clerk", "unit_handler" …); a relation is a predicate on
(user, case). Visibility is a queryset so lists filter in the database.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet

from lvzhi.cases.models import (
    Assignment,
    AssignmentState,
    Case,
    CaseState,
    Cosign,
    CosignState,
)
from lvzhi.core.models import Role, User


def _deputy_id(user: User) -> int | None:
    deputy = getattr(user, "deputy", None)
    return deputy.pk if deputy is not None else None


def _same_congress(user: User, case: Case) -> bool:
    return user.congress_id is not None and user.congress_id == case.congress_id


def _unit_assigned(user: User, case: Case) -> bool:
    if not user.organization_id:
        return False
    return any(a.unit_id == user.organization_id and a.state != AssignmentState.WITHDRAWN
               for a in case.assignments.all())


def is_lead_deputy(user: User, case: Case) -> bool:
    if user.role != Role.DEPUTY:
        return False
    if case.lead_deputy_id is not None:
        return case.lead_deputy_id == _deputy_id(user)
    return case.submitter_id == user.pk


def is_invited_cosigner(user: User, case: Case) -> bool:
    deputy_id = _deputy_id(user)
    return user.role == Role.DEPUTY and deputy_id is not None and any(
        c.deputy_id == deputy_id and c.state == CosignState.INVITED for c in case.cosigns.all())


def is_committee_staff(user: User, case: Case) -> bool:
    if user.role != Role.COMMITTEE_STAFF or not _same_congress(user, case):
        return False
    return committee_case_ids(user).filter(pk=case.pk).exists()


RELATIONS: dict[str, Callable[[User, Case], bool]] = {
    "lead_deputy": is_lead_deputy,
    "cosigner": is_invited_cosigner,
    "clerk": lambda u, c: u.role == Role.CLERK and _same_congress(u, c),
    "leader": lambda u, c: u.role == Role.LEADER and _same_congress(u, c),
    "committee_staff": is_committee_staff,
    "unit_handler": lambda u, c: u.role == Role.UNIT_HANDLER and _unit_assigned(u, c),
    "unit_head": lambda u, c: u.role == Role.UNIT_HEAD and _unit_assigned(u, c),
}

RELATION_LABELS = {
    "lead_deputy": "领衔代表", "cosigner": "受邀附议代表", "clerk": "代表工委",
    "leader": "主任会议成员", "committee_staff": "督办专工委", "unit_handler": "承办单位经办人",
    "unit_head": "承办单位负责人", "system": "系统",
}


def may_fire(user: User | None, case: Case, actors: tuple[str, ...]) -> bool:
    """`None` is the system (the deadline sweep); it may fire only "system" transitions."""
    if user is None:
        return "system" in actors
    if not user.is_active:
        return False
    return any(RELATIONS[name](user, case) for name in actors if name in RELATIONS)


def committee_case_ids(user: User) -> QuerySet:
    """Cases a committee supervises: key-suggestion supervision, bundles, motions referred."""
    org = user.organization_id
    return Case.objects.filter(
        Q(supervisions__committee_id=org) | Q(bundles__committee_id=org)
        | Q(motion_detail__committee_id=org)
    ).values("pk")


def visible_cases(user: User) -> QuerySet[Case]:
    """Every list and detail page and the API start here; nothing outside it is shown."""
    qs = Case.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    role = user.role
    if role in (Role.CLERK, Role.LEADER):
        # A draft is the deputy's own until submitted; the office sees it from submission on.
        return qs.filter(congress_id=user.congress_id).exclude(state=CaseState.DRAFT)
    if role == Role.COMMITTEE_STAFF:
        return qs.filter(congress_id=user.congress_id, pk__in=committee_case_ids(user))
    if role in (Role.UNIT_HANDLER, Role.UNIT_HEAD):
        active = Assignment.objects.filter(case=OuterRef("pk"), unit_id=user.organization_id
                                           ).exclude(state=AssignmentState.WITHDRAWN)
        return qs.filter(Exists(active)).exclude(state=CaseState.DRAFT)
    if role == Role.DEPUTY:
        deputy_id = _deputy_id(user)
        cosigned = Cosign.objects.filter(case=OuterRef("pk"), deputy_id=deputy_id
                                         ).exclude(state=CosignState.DECLINED)
        # Invitations go out on submission: a co-signer does not see the lead's draft.
        return qs.filter(Q(submitter=user) | Q(lead_deputy_id=deputy_id)
                         | (Exists(cosigned) & ~Q(state=CaseState.DRAFT)))
    return qs.none()  # the three admin roles manage accounts and audit, not case content


def public_cases() -> QuerySet[Case]:
    return Case.objects.filter(is_public=True, state__in=[CaseState.REPLIED, CaseState.CLOSED])


