"""The citizen's request's nav entries and to-do lists (the deputy's, the station's, the unit's)."""

from __future__ import annotations

from django.db.models import Q

from lvzhi.cases.kinds import NavEntry
from lvzhi.cases.todo import TodoList, user_memo
from lvzhi.core.models import Role, User
from lvzhi.deputies.activity_permissions import is_deputy_office
from lvzhi.requests import citizen_clocks as clocks
from lvzhi.requests.citizen_permissions import KIND
from lvzhi.requests.citizen_states import FORWARDED, RECEIVED, UNIT_REPLIED


def keeps_a_station(user: User) -> bool:
    """A station's 联络员 (asked by the nav and the to-do lists: once per request)."""
    if not user.is_authenticated or user.role != Role.CLERK:
        return False
    return bool(user_memo(user, "keeps_a_station", lambda: user.kept_stations.exists()))


NAV = (
    NavEntry(Role.DEPUTY, "requests:citizen_mine", "群众诉求"),
    NavEntry(Role.CLERK, "requests:citizen_list", "代表码上见", lambda u: is_deputy_office(u) or keeps_a_station(u)),
    NavEntry(Role.LEADER, "requests:citizen_list", "代表码上见"),
)


def _in(*states: str):
    def q(user: User) -> Q:
        return Q(kind=KIND, state__in=states)
    q.__name__ = "citizen_request_" + "_".join(states)
    return q


def _deputy_side(user: User) -> bool:
    # The 代表工委 reads every request but does not take them up: no list, and no keeper query
    # on each of its pages.
    return user.role == Role.DEPUTY or (not is_deputy_office(user) and keeps_a_station(user))


TODOS = (
    TodoList("citizen_request_ack", "待受理群众诉求", (Role.DEPUTY, Role.CLERK), _in(RECEIVED),
             "群众扫码反映的诉求：三个工作日内受理、约见、转交单位，或者告知不予受理。", order=8,
             when=_deputy_side, clock=clocks.ACK, kind=KIND),
    TodoList("citizen_request_answer", "单位已答复，待答复群众", (Role.DEPUTY, Role.CLERK), _in(UNIT_REPLIED),
             "单位已答复代表：请将办理结果答复群众，群众凭查询码评价。", order=9, when=_deputy_side,
             clock=clocks.ANSWER, kind=KIND),
    TodoList("citizen_request_unit", "代表转交的群众诉求", (Role.UNIT_HANDLER,), _in(FORWARDED),
             "代表转交的群众诉求：请在期限内办理并答复代表。", order=12, clock=clocks.UNIT_REPLY, kind=KIND),
)
