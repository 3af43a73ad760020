"""Who stands where in filing review: the predicates every filing page and service asks.

- The 法制工作委员会 (法工委; Organization.function "legislative_affairs") is the 备案审查工作机构:
  it receives filings, does form review, distributes them, leads the review, talks to the maker,
  sends the 书面审查意见 and answers review requests (北京 第十二、二十二、二十四条).
- The committees review what is distributed to them (COMMITTEE_STAFF of the committee).
- The 主任会议 (LEADER) sees everything and decides what goes to the 常委会.
- A 制定机关's accounts (UNIT_HANDLER / UNIT_HEAD of an organisation with a FilingBody) file
  documents and answer what is asked of them; they see only their own body's filings.
- The public reads registered filings' titles, published outcomes and sends 审查建议 on the portal.
"""

from __future__ import annotations

from lvzhi.core.decorators import in_congress
from lvzhi.core.models import UNIT_ROLES, Role, User
from lvzhi.legislation.permissions import LEGISLATIVE_AFFAIRS, is_legislative_affairs

OFFICE = LEGISLATIVE_AFFAIRS  # Relations.office of the kinds `filing` and `review_request`


def _unit_account(user: User) -> bool:
    """A signed-in handler or head of some organisation: who may be a 制定机关's account."""
    return in_congress(user) and user.role in UNIT_ROLES and bool(user.organization_id)


def is_filing_office(user: User) -> bool:
    """A clerk of the 法工委, the 备案审查工作机构."""
    return is_legislative_affairs(user)


def filing_body_of(user: User):
    """The FilingBody the user files for, or None (a unit account of a 制定机关). Asked once per
    request (the nav, the to-do lists and the pages all ask it)."""
    if not _unit_account(user):
        return None
    from lvzhi.cases.todo import user_memo
    from lvzhi.filing.models import FilingBody

    return user_memo(user, "filing_body",
                     lambda: FilingBody.objects.filter(organization_id=user.organization_id).first())


# A 制定机关's organisation carries this function code (set by FilingBody.save), so "is this unit
# account a filer?" — asked by the nav and the to-do lists on every page — reads the organisation
# the request has loaded already and costs no query.
FILER_FUNCTION = "filing_body"


def is_filer(user: User) -> bool:
    if not _unit_account(user):
        return False
    org = user.organization
    return org is not None and org.function == FILER_FUNCTION


def may_see_review(user: User) -> bool:
    """The review pages: the 法工委, the committees and the 主任会议."""
    return in_congress(user) and (is_filing_office(user) or user.role in (Role.LEADER, Role.COMMITTEE_STAFF))


# ------------------------------------------------------------------ the kind `filing`

KIND = "filing"


def _body_org_id(case) -> int | None:
    detail = getattr(case, "filing_detail", None) if case.pk else None
    return detail.body.organization_id if detail is not None else None


def is_case_filer(user: User, case) -> bool:
    """A unit account of the filing's 制定机关; before the filing exists, any filer account."""
    if not _unit_account(user):
        return False
    if case.pk is None:
        return user.congress_id == case.congress_id and filing_body_of(user) is not None
    return user.organization_id == _body_org_id(case)


def filer_users(case):
    return User.objects.filter(organization_id=_body_org_id(case), role__in=UNIT_ROLES, is_active=True)


def _relations() -> dict:
    from lvzhi.cases.permissions import Relation

    return {"filer": Relation("制定机关", is_case_filer, filer_users)}


RELATIONS = _relations()


def visibility(user: User):
    """The 法工委 and the 主任会议 see every filing; a committee those distributed to it; a filer its
    own body's filings; nobody else any."""
    from django.db.models import Q

    from lvzhi.cases.permissions import assigned_q

    if user.role == Role.LEADER or is_filing_office(user):
        return Q()
    if user.role == Role.COMMITTEE_STAFF:
        return assigned_q(user)
    if user.role in UNIT_ROLES and user.organization_id:
        return Q(filing_detail__body__organization_id=user.organization_id)
    return Q(pk__in=[])


def may_file(user: User) -> bool:
    return is_filer(user)
