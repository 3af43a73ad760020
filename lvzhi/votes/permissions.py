"""Who may do what with 满意度测评.

The 办公室 (general_office clerks) and committee staff prepare, open, close and publish a vote
(the office runs the meeting; the lead committee prepares its topic's vote). The standing
committee's members (StandingMember, any role) vote. Managers, the 主任会议 (LEADER) and the
members see results; a result is public only once published.
"""

from __future__ import annotations

from lvzhi.core.models import Role, User
from lvzhi.supervision.permissions import is_committee_staff, is_office
from lvzhi.votes.models import BoxState, SatisfactionVote, StandingMember

# The roles a votes page admits at all (role_required); the checks below narrow them.
PAGE_ROLES = (Role.CLERK, Role.COMMITTEE_STAFF, Role.LEADER, Role.DEPUTY, Role.UNIT_HANDLER, Role.UNIT_HEAD)
MANAGER_ROLES = (Role.CLERK, Role.COMMITTEE_STAFF)


def may_manage(user: User) -> bool:
    return user.is_authenticated and (is_office(user) or is_committee_staff(user))


def may_manage_vote(user: User, vote: SatisfactionVote) -> bool:
    return may_manage(user) and user.congress_id == vote.congress_id


def may_see_list(user: User, member: StandingMember | None) -> bool:
    return may_manage(user) or user.role == Role.LEADER or member is not None


def may_see(user: User, vote: SatisfactionVote, member: StandingMember | None) -> bool:
    if user.congress_id != vote.congress_id:
        return False
    return may_manage(user) or user.role == Role.LEADER or (member is not None and vote.state != BoxState.DRAFT)


def may_vote(vote: SatisfactionVote, member: StandingMember | None) -> bool:
    return member is not None and member.congress_id == vote.congress_id
