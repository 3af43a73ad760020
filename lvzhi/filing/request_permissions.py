"""Who stands where around a review request (kind `review_request`).

The 法工委 (备案审查工作机构) receives, registers and answers requests and alone reads the
proposer's contact in full; the 主任会议 sees every request with the contact masked; nobody else
sees a request, and the public sees only what was published (a result) or what a receipt code
opens (its own progress, never the contact).
"""

from __future__ import annotations

from django.db.models import Q

from lvzhi.core.decorators import in_congress
from lvzhi.core.models import Role, User
from lvzhi.filing.permissions import OFFICE, is_filing_office

KIND = "review_request"

__all__ = ["KIND", "OFFICE", "may_see_contact", "may_see_requests", "visibility"]


def may_see_requests(user: User) -> bool:
    return in_congress(user) and (is_filing_office(user) or user.role == Role.LEADER)


def may_see_contact(user: User) -> bool:
    """The proposer's contact in full: the 法工委 only (it answers the proposer)."""
    return bool(user.is_authenticated and is_filing_office(user))


def visibility(user: User) -> Q:
    if user.role == Role.LEADER or is_filing_office(user):
        return Q()
    return Q(pk__in=[])
