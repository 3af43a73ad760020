"""Who stands where around a hotline order (kind `hotline_order`); the one place asked.

The 代表工委 imports the 12345 export, assigns orders to deputies and may record a closure;
the 主任会议 reads every order; a deputy reads and follows the orders assigned to him or her.
The 12345 units work in their own system and do not see these records.
"""

from __future__ import annotations

from django.db.models import Q

from lvzhi.cases.models import Case
from lvzhi.cases.permissions import Relation
from lvzhi.core.models import Role, User
from lvzhi.deputies.activity_permissions import DEPUTY_OFFICE, is_deputy_office

KIND = "hotline_order"
OFFICE = DEPUTY_OFFICE


def is_supervising_deputy(user: User, case: Case) -> bool:
    d = getattr(case, "hotline_detail", None)
    return (d is not None and d.deputy_id is not None and user.role == Role.DEPUTY
            and d.deputy.user_id == user.pk)


def _deputy_users(case: Case):
    d = getattr(case, "hotline_detail", None)
    return User.objects.filter(deputy=d.deputy_id, is_active=True) if d and d.deputy_id else User.objects.none()


RELATIONS = {"deputy": Relation("督办代表", is_supervising_deputy, _deputy_users)}


def may_manage(user: User) -> bool:
    """Import and assign: the 代表工委."""
    return is_deputy_office(user)


def visibility(user: User) -> Q:
    if user.role == Role.LEADER or is_deputy_office(user):
        return Q()
    if user.role == Role.DEPUTY:
        return Q(hotline_detail__deputy__user=user)
    return Q(pk__in=[])
