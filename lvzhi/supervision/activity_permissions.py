"""Who may see and record a topic's supervision work (the five forms' steps and documents).

The staff of the topic's lead committee (专门委员会/工作委员会) organise the work and record each
step; the 办公厅 clerk (Organization.function "general_office") may record on any topic of the
congress. The 主任会议 (LEADER), other committees' staff and the other office clerks read only.
Units and deputies see nothing here: what is published reaches them through the portal.
"""

from __future__ import annotations

from lvzhi.core.models import Role, User
from lvzhi.supervision.models import Topic
from lvzhi.supervision.permissions import STAFF_ROLES, is_office

READERS = (Role.LEADER, Role.CLERK, Role.COMMITTEE_STAFF)


def may_view(user: User, topic: Topic) -> bool:
    return (user.is_authenticated and user.role in READERS and user.congress_id is not None
            and user.congress_id == topic.congress_id)


def may_record(user: User, topic: Topic) -> bool:
    if not may_view(user, topic):
        return False
    if is_office(user):
        return True
    return user.role in STAFF_ROLES and user.organization_id == topic.lead_committee_id


def may_see_file(user: User, topic: Topic) -> bool:
    return may_view(user, topic)


def refusal(user: User, topic: Topic) -> str:
    """Why this user may not record, in the words the page shows."""
    return f"只有牵头委员会（{topic.lead_committee.name}）的工作人员或办公厅可以记录本议题的工作"
