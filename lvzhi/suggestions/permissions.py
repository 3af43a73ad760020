"""Who may do what with motions and suggestions: their relations, their visibility, and the
app's pages, files and downloads. The one place these questions are answered for this app."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from lvzhi.cases.models import Case, Cosign, CosignState
from lvzhi.cases.permissions import Relation, assigned_q, is_office_staff, same_congress
from lvzhi.core.models import Role, User
from lvzhi.suggestions.states import SuggestionState as S

OFFICE = "suggestion_office"  # 代表工委: registers, assigns, reviews and publishes


def deputy_id(user: User) -> int | None:
    deputy = getattr(user, "deputy", None)
    return deputy.pk if deputy is not None else None


def is_lead_deputy(user: User, case: Case) -> bool:
    if user.role != Role.DEPUTY:
        return False
    if case.lead_deputy_id is not None:
        return case.lead_deputy_id == deputy_id(user)
    return case.submitter_id == user.pk


def lead_deputy_users(case: Case) -> QuerySet[User]:
    uid = case.lead_deputy.user_id if case.lead_deputy_id else case.submitter_id
    return User.objects.filter(pk=uid, is_active=True)


def is_invited_cosigner(user: User, case: Case) -> bool:
    did = deputy_id(user)
    return user.role == Role.DEPUTY and did is not None and any(
        c.deputy_id == did and c.state == CosignState.INVITED for c in case.cosigns.all())


def may_raise(user: User, case: Case) -> bool:
    """An active deputy of the case's congress may raise a motion or suggestion."""
    deputy = getattr(user, "deputy", None)
    return (user.role == Role.DEPUTY and deputy is not None and deputy.is_active
            and deputy.congress_id == case.congress_id)


def committee_case_ids(user: User) -> QuerySet:
    """Cases a committee supervises: key-suggestion supervision, bundles, motions referred."""
    org = user.organization_id
    return Case.objects.filter(
        Q(supervisions__committee_id=org) | Q(bundles__committee_id=org)
        | Q(motion_detail__committee_id=org)
    ).values("pk")


def is_committee_staff(user: User, case: Case) -> bool:
    if user.role != Role.COMMITTEE_STAFF or not same_congress(user, case):
        return False
    return committee_case_ids(user).filter(pk=case.pk).exists()


RELATIONS = {
    "deputy": Relation("人大代表", may_raise),
    "lead_deputy": Relation("领衔代表", is_lead_deputy, lead_deputy_users),
    "cosigner": Relation("受邀附议代表", is_invited_cosigner),
    "committee_staff": Relation("督办专工委", is_committee_staff),
}


def visibility(user: User) -> Q:
    """A draft is the deputy's own until submitted; the office and leaders see it from then on;
    a committee sees what it supervises; a unit what is assigned to it."""
    role = user.role
    if role == Role.LEADER or is_office(user):
        return ~Q(state=S.DRAFT)
    if role == Role.COMMITTEE_STAFF:
        return Q(pk__in=committee_case_ids(user))
    if role in (Role.UNIT_HANDLER, Role.UNIT_HEAD):
        return assigned_q(user) & ~Q(state=S.DRAFT)
    if role == Role.DEPUTY:
        did = deputy_id(user)
        cosigned = Cosign.objects.filter(case=OuterRef("pk"), deputy_id=did
                                         ).exclude(state=CosignState.DECLINED)
        # Invitations go out on submission: a co-signer does not see the lead's draft.
        return (Q(submitter=user) | Q(lead_deputy_id=did)
                | (Exists(cosigned) & ~Q(state=S.DRAFT)))
    return Q(pk__in=[])


# ------------------------------------------------------------------ pages, files, downloads

def is_office(user: User) -> bool:
    """代表工委 staff of some congress."""
    org = getattr(user, "organization", None) if user.is_authenticated else None
    return (user.role == Role.CLERK and user.congress_id is not None and org is not None
            and org.function == OFFICE)


def may_import(user: User) -> bool:
    """The secretariat's Excel import: 代表工委 staff."""
    return is_office(user)


def may_export(user: User) -> bool:
    """The ledger (办理台账): the office and the 主任会议 of everything, a unit of its own cases
    (the rows are whatever visible_cases gives the user)."""
    return is_office(user) or (user.is_authenticated and user.congress_id is not None and user.role in (
        Role.LEADER, Role.UNIT_HANDLER, Role.UNIT_HEAD))


def may_download_notice(user: User, case: Case) -> bool:
    """The 交办通知 of an assigned case: the office that issued it, and the units it went to."""
    if not case.assignments.exists():
        return False
    if is_office_staff(user, case):
        return True
    return user.role in (Role.UNIT_HANDLER, Role.UNIT_HEAD) and case.assignments.filter(
        unit_id=user.organization_id).exclude(state="withdrawn").exists()
