"""Who may do what with a 审议意见: the topic's lead committee and the 办公厅 draft it, the
主任会议 approves it, the 办公厅 sends it to the government and publishes it."""

from __future__ import annotations

from lvzhi.core.models import Role, User
from lvzhi.supervision.models import Topic
from lvzhi.supervision.permissions import STAFF_ROLES, is_office


def _ours(user: User, topic: Topic) -> bool:
    return user.is_authenticated and user.congress_id == topic.congress_id


def may_draft(user: User, topic: Topic) -> bool:
    return _ours(user, topic) and (is_office(user) or (
        user.role in STAFF_ROLES and user.organization_id == topic.lead_committee_id))


def may_approve(user: User, topic: Topic) -> bool:
    return _ours(user, topic) and user.role == Role.LEADER


def may_send(user: User, topic: Topic) -> bool:
    return _ours(user, topic) and is_office(user)


def may_read(user: User, topic: Topic) -> bool:
    return _ours(user, topic) and (user.role == Role.LEADER or is_office(user) or user.role in STAFF_ROLES)
