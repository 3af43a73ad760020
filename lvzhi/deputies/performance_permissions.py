"""Who may read a deputy's 履职档案: the deputy, the 代表工委 (it keeps the records and follows
up the flags), the 主任会议. Everyone may read the public page (代表法 第五十八条: 公示履职信息),
which shows only the sources marked public, as counts."""

from __future__ import annotations

from lvzhi.core.decorators import in_congress
from lvzhi.core.models import Role, User
from lvzhi.deputies.activity_permissions import is_deputy_office
from lvzhi.deputies.models import Deputy


def may_read_all(user: User) -> bool:
    return in_congress(user) and (user.role == Role.LEADER or is_deputy_office(user))


def may_read(user: User, deputy: Deputy) -> bool:
    if not in_congress(user) or user.congress_id != deputy.congress_id:
        return False
    return deputy.user_id == user.pk or may_read_all(user)
