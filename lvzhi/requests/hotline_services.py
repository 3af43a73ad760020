"""Hotline orders' services beyond the import: assigning the pending orders by area, and the
list a user may read."""

from __future__ import annotations

from collections import Counter

from django.db.models import QuerySet

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import NotAllowed
from lvzhi.core.models import User
from lvzhi.deputies.models import Deputy, DeputyStatus
from lvzhi.requests.hotline_permissions import KIND, may_manage
from lvzhi.requests.hotline_states import PENDING, SUPERVISING


def orders_of(user: User) -> QuerySet[Case]:
    return (visible_cases(user).filter(kind=KIND)
            .select_related("hotline_detail__deputy__delegation").order_by("-submitted_at", "-pk"))


def area_of(text: str, areas: list[str]) -> str | None:
    """The first district named in the order ("城东区"), the longest name first."""
    for a in sorted(areas, key=len, reverse=True):
        if a and a in text:
            return a
    return None


def assign_by_area(actor: User, limit: int = 500) -> tuple[int, int]:
    """Each pending order to a deputy of the district it names (in its content or its unit),
    the one with the fewest orders under supervision; returns (assigned, left for a person)."""
    if not may_manage(actor):
        raise NotAllowed("只有代表工委可以分派12345工单")
    deputies = list(Deputy.objects.filter(congress_id=actor.congress_id, status=DeputyStatus.ACTIVE)
                    .select_related("delegation"))
    by_area: dict[str, list[Deputy]] = {}
    for d in deputies:
        by_area.setdefault(d.delegation.name.removesuffix("代表团"), []).append(d)
    load = Counter(Case.objects.filter(kind=KIND, state=SUPERVISING, congress_id=actor.congress_id)
                   .values_list("hotline_detail__deputy_id", flat=True))
    done = left = 0
    pending = (Case.objects.filter(kind=KIND, state=PENDING, congress_id=actor.congress_id)
               .select_related("hotline_detail").order_by("submitted_at", "pk")[:limit])
    for case in pending:
        area = area_of(case.body + case.hotline_detail.unit_name, list(by_area))
        if area is None:
            left += 1
            continue
        deputy = min(by_area[area], key=lambda d: (load[d.pk], d.pk))
        fire(case, "assign_deputy", actor, {"deputy": deputy.pk, "note": f"按区域分派（{area}）"})
        load[deputy.pk] += 1
        done += 1
    return done, left
