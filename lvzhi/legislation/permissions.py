"""Who may do what in legislation: the predicates every legislation page and service asks.

- The 法制工作委员会 (法工委, a working body with Organization.function "legislative_affairs") keeps
  the regulation registry, the plan, the bills and their drafts, opens public comment, sorts the
  comments and decides their outcome.
- The 法制委员会 (the committee that reviews every bill, 立法法 第三十五条 locally) gives its report
  on a draft; its staff are COMMITTEE_STAFF of that committee (Organization.short_name 法制委).
- The 主任会议 (LEADER) sees everything; the other committees see what they lead and comment on
  drafts on their own pages, as deputies and units do.
- The public reads published plans, regulations and drafts out for comment, and comments on the
  portal; a contact point's clerk enters the opinions it collects (lvzhi.legislation.comment_*).
"""

from __future__ import annotations

from lvzhi.core.decorators import in_congress
from lvzhi.core.models import OrganizationKind, Role, User

LEGISLATIVE_AFFAIRS = "legislative_affairs"  # Organization.function of the 法工委
LAW_COMMITTEE_NAME = "法制委员会"


def is_legislative_affairs(user: User) -> bool:
    """A clerk of the 法工委."""
    org = getattr(user, "organization", None)
    return (in_congress(user) and user.role == Role.CLERK and org is not None
            and org.function == LEGISLATIVE_AFFAIRS)


def is_law_committee(user: User) -> bool:
    org = getattr(user, "organization", None)
    return (in_congress(user) and user.role == Role.COMMITTEE_STAFF and org is not None
            and org.kind == OrganizationKind.COMMITTEE and org.name == LAW_COMMITTEE_NAME)


def may_see_legislation(user: User) -> bool:
    """The working pages (registry, plan, bills): the 主任会议, the committees, the working bodies."""
    if not (in_congress(user) and user.role in (Role.LEADER, Role.CLERK, Role.COMMITTEE_STAFF)):
        return False
    # a clerk of the standing committee's own bodies; a contact point's account has no such body
    return user.role != Role.CLERK or getattr(user.organization, "kind", None) in (
        OrganizationKind.WORKING_BODY, OrganizationKind.COMMITTEE)


def may_manage(user: User) -> bool:
    """Write the registry, the plan, the bills and the comment periods: the 法工委."""
    return is_legislative_affairs(user)
