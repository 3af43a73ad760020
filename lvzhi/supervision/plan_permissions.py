"""Who may do what with the annual supervision plan (年度监督工作计划).

- The committees (专门委员会/工作委员会 staff) and the 办事机构 (clerks) collect and score
  candidate topics (监督法 第十二条) and keep their topics' details.
- The 主任会议 (LEADER accounts) decides candidates, approves the plan and adjusts it
  (第六十三条: "由……主任会议通过……可以根据实际需要作出适当调整").
- The plan is published by the 主任会议 or the 办公厅 (Organization.function "general_office").
- Units and deputies do not see the working pages; the public reads the published plan.
"""

from __future__ import annotations

from lvzhi.core.decorators import in_congress
from lvzhi.core.models import OrganizationKind, Role, User
from lvzhi.supervision.models import Topic
from lvzhi.supervision.permissions import is_committee_staff, is_office

PAGE_ROLES = (Role.LEADER, Role.CLERK, Role.COMMITTEE_STAFF)


def is_working_clerk(user: User) -> bool:
    """A clerk of one of the standing committee's 办事机构 (not a unit's account)."""
    org = getattr(user, "organization", None)
    return (in_congress(user) and user.role == Role.CLERK
            and org is not None and org.kind in (OrganizationKind.WORKING_BODY, OrganizationKind.COMMITTEE))


def may_see_plan(user: User) -> bool:
    return in_congress(user) and (user.role == Role.LEADER or is_committee_staff(user) or is_working_clerk(user))


def may_propose(user: User) -> bool:
    """Add and score candidates: the committees and the 办事机构, who hold the six channels."""
    return in_congress(user) and (is_committee_staff(user) or is_working_clerk(user))


def may_decide(user: User) -> bool:
    """Decide candidates, approve and adjust the plan: the 主任会议."""
    return in_congress(user) and user.role == Role.LEADER


def may_publish(user: User) -> bool:
    return may_decide(user) or (in_congress(user) and is_office(user))


def may_see_topic(user: User, topic: Topic) -> bool:
    """A topic is the working pages' of its own congress and, if joint, of each congress it is
    joint with (三级联动)."""
    if not may_see_plan(user):
        return False
    return topic.congress_id == user.congress_id or topic.joint_with.filter(pk=user.congress_id).exists()


def may_edit_topic(user: User, topic: Topic) -> bool:
    """The lead committee's staff and the 办公厅 keep a topic's members, deputies and schedule."""
    if not (in_congress(user) and topic.congress_id == user.congress_id):
        return False
    return is_office(user) or (is_committee_staff(user) and user.organization_id == topic.lead_committee_id)
