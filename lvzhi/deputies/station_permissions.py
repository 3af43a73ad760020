"""Who may do what at a liaison station: the 代表工委 and the station's 联络员 keep its schedule
and its reception log; the 主任会议 and the station's deputies read them."""

from __future__ import annotations

from lvzhi.core.decorators import in_congress
from lvzhi.core.models import Role, User
from lvzhi.deputies.activity_permissions import is_deputy_office
from lvzhi.deputies.models import Deputy, LiaisonStation


def may_keep(user: User, station: LiaisonStation) -> bool:
    if not in_congress(user) or user.congress_id != station.congress_id:
        return False
    return is_deputy_office(user) or station.keepers.filter(pk=user.pk).exists()


def may_read(user: User, station: LiaisonStation) -> bool:
    if not in_congress(user) or user.congress_id != station.congress_id:
        return False
    if user.role == Role.LEADER or may_keep(user, station):
        return True
    return Deputy.objects.filter(user=user, station=station).exists()


def stations_for(user: User):
    if not in_congress(user):
        return LiaisonStation.objects.none()
    qs = LiaisonStation.objects.filter(congress_id=user.congress_id)
    if user.role == Role.LEADER or is_deputy_office(user):
        return qs
    if user.role == Role.DEPUTY:
        return qs.filter(deputies__user=user)
    return qs.filter(keepers=user)
