"""Who stands where around a citizen's request (kind `citizen_request`); the one place asked.

- The deputy whose code was scanned takes it up; for a station's code, any deputy of that
  station does. The station's 联络员 (LiaisonStation.keepers) act on the deputies' behalf.
- A unit the request was forwarded to reads it and replies to the deputy.
- The 代表工委 (it keeps the deputies' work) and the 主任会议 read every request of the congress.
- The citizen has no account: the receipt code opens that one request, never another's, and
  shows the contact masked.
- The contact in full: the deputy and the station's 联络员 only (they call the citizen back).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lvzhi.cases.models import Case
from lvzhi.cases.permissions import Relation, assigned_q
from lvzhi.core.models import Role, User
from lvzhi.deputies.activity_permissions import DEPUTY_OFFICE, is_deputy_office
from lvzhi.deputies.models import Deputy, LiaisonStation

KIND = "citizen_request"
OFFICE = DEPUTY_OFFICE

__all__ = ["KIND", "OFFICE", "RELATIONS", "is_keeper", "is_request_deputy", "may_hold_poster", "may_see_contact",
           "visibility"]


def _detail(case: Case):
    return getattr(case, "citizen_request_detail", None)


def is_request_deputy(user: User, case: Case) -> bool:
    d = _detail(case)
    if d is None or user.role != Role.DEPUTY or user.congress_id != case.congress_id:
        return False
    if d.deputy_id:
        return d.deputy.user_id == user.pk
    return d.station_id is not None and Deputy.objects.filter(user=user, station_id=d.station_id).exists()


def is_keeper(user: User, case: Case) -> bool:
    d = _detail(case)
    if d is None or not user.is_authenticated or user.congress_id != case.congress_id:
        return False
    station_id = d.station_id or (d.deputy.station_id if d.deputy_id else None)
    return station_id is not None and LiaisonStation.keepers.through.objects.filter(
        liaisonstation_id=station_id, user_id=user.pk).exists()


def _deputy_users(case: Case) -> QuerySet[User]:
    d = _detail(case)
    if d is None:
        return User.objects.none()
    if d.deputy_id:
        return User.objects.filter(deputy=d.deputy_id, is_active=True)
    return User.objects.filter(deputy__station_id=d.station_id, is_active=True)


def _keeper_users(case: Case) -> QuerySet[User]:
    d = _detail(case)
    if d is None:
        return User.objects.none()
    station_id = d.station_id or (d.deputy.station_id if d.deputy_id else None)
    return User.objects.filter(kept_stations=station_id, is_active=True) if station_id else User.objects.none()


RELATIONS = {
    "deputy": Relation("代表", is_request_deputy, _deputy_users),
    "station": Relation("联络站联络员", is_keeper, _keeper_users),
}


def may_see_contact(user: User, case: Case) -> bool:
    return is_request_deputy(user, case) or is_keeper(user, case)


def visibility(user: User) -> Q:
    if user.role == Role.LEADER or is_deputy_office(user):
        return Q()
    if user.role in (Role.UNIT_HANDLER, Role.UNIT_HEAD):
        return assigned_q(user)
    rule = Q(pk__in=[])
    if user.role == Role.DEPUTY:
        own = Case.objects.filter(kind=KIND).filter(
            Q(citizen_request_detail__deputy__user=user)
            | Q(citizen_request_detail__deputy__isnull=True, citizen_request_detail__station__deputies__user=user))
        rule |= Q(pk__in=own.values("pk"))
    stations = LiaisonStation.objects.filter(keepers=user).values("pk")
    kept = Case.objects.filter(kind=KIND).filter(
        Q(citizen_request_detail__station__in=stations) | Q(citizen_request_detail__deputy__station__in=stations))
    return rule | Q(pk__in=kept.values("pk"))


def may_hold_poster(user: User, *, deputy: Deputy | None = None, station: LiaisonStation | None = None) -> bool:
    """Who may print a 代表码上见 poster: the deputy himself (his own), the station's deputies and
    联络员 (the station's and its deputies'), the 代表工委 (all of its congress)."""
    if not user.is_authenticated or user.congress_id is None:
        return False
    congress_id = (deputy or station).congress_id
    if user.congress_id != congress_id:
        return False
    if is_deputy_office(user):
        return True
    if deputy is not None:
        return deputy.user_id == user.pk or (deputy.station_id is not None
                                             and user.kept_stations.filter(pk=deputy.station_id).exists())
    return user.kept_stations.filter(pk=station.pk).exists() or Deputy.objects.filter(
        user=user, station=station).exists()
