"""Who may see a case and who may fire a transition: the case engine's one permission policy.

A transition names relations ("office", "unit_handler", "lead_deputy" …). A relation is a
predicate on (user, case) and, for notifications, the users who stand in it. The shared ones
are here; a kind adds its own in `Relations.own` and says which working body is its "office".
Visibility is a queryset, the OR of every kind's own rule, so lists filter in the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from lvzhi.cases.kinds import all_kinds, get_kind
from lvzhi.cases.models import Assignment, AssignmentState, Case, Reply, ReplyState
from lvzhi.core.models import Role, User


@dataclass(frozen=True)
class Relation:
    label: str
    test: Callable[[User, Case], bool]
    # The users standing in this relation to a case, for notifications (None: nobody to tell).
    users: Callable[[Case], QuerySet[User]] | None = None


def same_congress(user: User, case: Case) -> bool:
    return user.congress_id is not None and user.congress_id == case.congress_id


def office_function(case: Case) -> str:
    return get_kind(case.kind).relations.office


def is_office_staff(user: User, case: Case) -> bool:
    """Staff of the working body that registers, assigns and reviews this kind."""
    if user.role != Role.CLERK or not same_congress(user, case) or user.organization is None:
        return False
    return user.organization.function == office_function(case)


def office_users(case: Case) -> QuerySet[User]:
    return User.objects.filter(congress_id=case.congress_id, role=Role.CLERK, is_active=True,
                               organization__function=office_function(case))


def office_q(user: User, kind_office: str) -> Q:
    """Q for "this user is staff of the given office function" (a constant True or False)."""
    org = user.organization
    ok = user.role == Role.CLERK and org is not None and org.function == kind_office
    return Q() if ok else Q(pk__in=[])


def active_assignment_of(user: User, case: Case) -> bool:
    if not user.organization_id:
        return False
    return any(a.unit_id == user.organization_id and a.state != AssignmentState.WITHDRAWN
               for a in case.assignments.all())


def assigned_q(user: User) -> Q:
    """Cases with a live assignment to the user's organisation."""
    if not user.organization_id:
        return Q(pk__in=[])
    active = Assignment.objects.filter(case=OuterRef("pk"), unit_id=user.organization_id
                                       ).exclude(state=AssignmentState.WITHDRAWN)
    return Q(Exists(active))


def _assigned_users(role: str | None) -> Callable[[Case], QuerySet[User]]:
    def users(case: Case) -> QuerySet[User]:
        orgs = case.assignments.exclude(state=AssignmentState.WITHDRAWN).values("unit_id")
        qs = User.objects.filter(organization_id__in=orgs, is_active=True)
        return qs.filter(role=role) if role else qs
    return users


SHARED: dict[str, Relation] = {
    "office": Relation("办理机构", is_office_staff, office_users),
    "leader": Relation("主任会议成员", lambda u, c: u.role == Role.LEADER and same_congress(u, c),
                       lambda c: User.objects.filter(congress_id=c.congress_id, role=Role.LEADER,
                                                     is_active=True)),
    "unit_handler": Relation("承办单位经办人",
                             lambda u, c: u.role == Role.UNIT_HANDLER and active_assignment_of(u, c),
                             _assigned_users(Role.UNIT_HANDLER)),
    "unit_head": Relation("承办单位负责人",
                          lambda u, c: u.role == Role.UNIT_HEAD and active_assignment_of(u, c),
                          _assigned_users(Role.UNIT_HEAD)),
    # Staff of an assigned committee or working body (a key task's lead office, say).
    "assignee": Relation("责任部门",
                         lambda u, c: u.role in (Role.CLERK, Role.COMMITTEE_STAFF)
                         and same_congress(u, c) and active_assignment_of(u, c),
                         _assigned_users(None)),
}
SYSTEM = "system"


def relation(kind_code: str, name: str) -> Relation:
    own = get_kind(kind_code).relations.own
    if name in own:
        return own[name]
    try:
        return SHARED[name]
    except KeyError:
        raise LookupError(f"未声明的关系：{name}") from None


def relation_label(kind_code: str, name: str) -> str:
    return "系统" if name == SYSTEM else relation(kind_code, name).label


def relation_users(case: Case, name: str) -> list[int]:
    if not name or name == SYSTEM:
        return []
    r = relation(case.kind, name)
    return list(r.users(case).values_list("pk", flat=True)) if r.users else []


def may_fire(user: User | None, case: Case, actors: tuple[str, ...]) -> bool:
    """`None` is the system (the deadline sweep); it may fire only "system" transitions."""
    if user is None:
        return SYSTEM in actors
    if not user.is_active:
        return False
    return any(relation(case.kind, name).test(user, case) for name in actors if name != SYSTEM)


def may_open(user: User, kind_code: str) -> bool:
    """May this user raise a case of this kind (the `open` transition) in their congress?"""
    kind = get_kind(kind_code)
    t = kind.workflow.transitions.get("open")
    if t is None or not user.is_authenticated or not user.is_active or user.congress_id is None:
        return False
    probe = Case(congress_id=user.congress_id, kind=kind_code, state="")
    return may_fire(user, probe, t.actors)


def visible_cases(user: User) -> QuerySet[Case]:
    """Every list and detail page and the API start here; nothing outside it is shown."""
    qs = Case.objects.all()
    if not user.is_authenticated or not user.is_active or user.congress_id is None:
        return qs.none()
    if user.role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        return qs.none()  # the three admin roles manage accounts and audit, not case content
    rule = Q(pk__in=[])
    for kind in all_kinds():
        if kind.visibility is not None:
            rule |= Q(kind=kind.code) & kind.visibility(user)
    # Unit users see what is assigned to them whatever the congress that assigned it.
    if user.role in (Role.UNIT_HANDLER, Role.UNIT_HEAD):
        return qs.filter(rule)
    return qs.filter(rule, congress_id=user.congress_id)


def public_cases() -> QuerySet[Case]:
    rule = Q(pk__in=[])
    for kind in all_kinds():
        if kind.public_states:
            rule |= Q(kind=kind.code, state__in=kind.public_states)
    return Case.objects.filter(rule, is_public=True)


def reply_visible(user: User, reply: Reply) -> bool:
    """The one rule for pages and the API: whoever raised the case and the public read accepted
    replies; a unit also sees its own drafts; the office and the leaders see what is signed."""
    if reply.state == ReplyState.ACCEPTED:
        return True
    if user.role in (Role.UNIT_HANDLER, Role.UNIT_HEAD, Role.COMMITTEE_STAFF) or (
            user.role == Role.CLERK and not is_office_staff(user, reply.case)):
        return reply.assignment.unit_id == user.organization_id
    if user.role in (Role.CLERK, Role.LEADER):
        return reply.state != ReplyState.DRAFT
    return False
