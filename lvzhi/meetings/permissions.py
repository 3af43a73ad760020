"""Who may do what with meetings.

- The 办公厅 (a clerk of the Organization whose function is "general_office") prepares meetings,
  agendas and materials, marks attendance, opens and closes votes and enters paper tallies.
- The 主任会议 (LEADER accounts) see every meeting of their congress.
- A meeting's participants (members, 列席) see it and read its materials; members vote.
- Nobody else reads a meeting's materials, and notes are their author's alone.
"""

from __future__ import annotations

from lvzhi.cases.todo import user_memo
from lvzhi.core.decorators import in_congress
from lvzhi.core.models import Role, User
from lvzhi.meetings.models import Meeting, Participant, ParticipantRole
from lvzhi.votes.models import StandingMember

OFFICE = "general_office"
PAGE_ROLES = (Role.CLERK, Role.LEADER, Role.DEPUTY, Role.COMMITTEE_STAFF, Role.UNIT_HEAD, Role.UNIT_HANDLER)


def is_office(user: User) -> bool:
    org = getattr(user, "organization", None) if user.is_authenticated else None
    return in_congress(user) and user.role == Role.CLERK and org is not None and org.function == OFFICE


def is_member(user: User) -> bool:
    """A 常委会组成人员 (any role), memoised per request for the nav."""
    if not in_congress(user):
        return False
    return bool(user_memo(user, "meetings_member", lambda: StandingMember.objects.filter(
        congress_id=user.congress_id, user=user, active=True).exists()))


def may_see_list(user: User) -> bool:
    """The list shows each account the meetings it may see (a deputy's may be empty)."""
    return in_congress(user) and user.role in PAGE_ROLES


def participant(user: User, meeting: Meeting) -> Participant | None:
    if not user.is_authenticated:
        return None
    return Participant.objects.filter(meeting=meeting, user=user).first()


def may_see(user: User, meeting: Meeting, part: Participant | None = None) -> bool:
    if not in_congress(user) or user.congress_id != meeting.congress_id:
        return False
    if is_office(user) or user.role == Role.LEADER:
        return True
    return (part or participant(user, meeting)) is not None


def may_manage(user: User, meeting: Meeting) -> bool:
    return is_office(user) and user.congress_id == meeting.congress_id


def may_vote(part: Participant | None) -> bool:
    return part is not None and part.role == ParticipantRole.MEMBER
