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

from lvzhi.core.models import UNIT_ROLES, Role, User
from lvzhi.legislation.permissions import LEGISLATIVE_AFFAIRS, is_legislative_affairs

OFFICE = LEGISLATIVE_AFFAIRS  # Relations.office of the kinds `filing` and `review_request`


def _in_congress(user: User) -> bool:
    return bool(user.is_authenticated and getattr(user, "congress_id", None))


def is_filing_office(user: User) -> bool:
    """A clerk of the 法工委, the 备案审查工作机构."""
    return is_legislative_affairs(user)


def filing_body_of(user: User):
    """The FilingBody the user files for, or None (a unit account of a 制定机关)."""
    if not (_in_congress(user) and user.role in UNIT_ROLES and user.organization_id):
        return None
    from lvzhi.filing.models import FilingBody

    return FilingBody.objects.filter(organization_id=user.organization_id).first()


def is_filer(user: User) -> bool:
    return filing_body_of(user) is not None


def may_see_review(user: User) -> bool:
    """The review pages: the 法工委, the committees and the 主任会议."""
    return _in_congress(user) and (is_filing_office(user) or user.role in (Role.LEADER, Role.COMMITTEE_STAFF))
