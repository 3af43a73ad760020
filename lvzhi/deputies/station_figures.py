"""Liaison stations' figures: the registry's (接待群众 人次, 收集意见建议 条; each a Visit) and a
station's own month by month (receptions, opinions, 代表码上见 requests, shifts)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth

from lvzhi.cases.kinds import Figure
from lvzhi.deputies.models import LiaisonStation
from lvzhi.deputies.station_models import StationShift, Visit


def visits(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Visit]:
    return Visit.objects.filter(station__congress_id__in=congress_ids, on__gte=start, on__lte=end)


def opinions(congress_ids, start, end) -> QuerySet[Visit]:
    return visits(congress_ids, start, end).filter(is_opinion=True)


FIGURES = (
    Figure("station_citizens_received", "代表联络站接待群众", visits, unit="人次"),
    Figure("station_opinions_collected", "代表联络站收集意见建议", opinions, unit="条"),
)


@dataclass
class Month:
    month: int
    visits: int = 0
    opinions: int = 0
    requests: int = 0
    shifts: int = 0


def months(station: LiaisonStation, year: int) -> list[Month]:
    """The station's twelve months: citizens received, opinions, requests by its codes, shifts."""
    from lvzhi.requests.citizen_models import CitizenRequestDetail

    out = {m: Month(m) for m in range(1, 13)}
    for r in (Visit.objects.filter(station=station, on__year=year).annotate(m=ExtractMonth("on")).values("m")
              .annotate(n=Count("pk"), o=Count("pk", filter=Q(is_opinion=True)))):
        out[r["m"]].visits, out[r["m"]].opinions = r["n"], r["o"]
    reqs = (CitizenRequestDetail.objects.filter(Q(station=station) | Q(deputy__station=station),
                                                received_at__year=year)
            .annotate(m=ExtractMonth("received_at")).values("m").annotate(n=Count("pk")))
    for r in reqs:
        out[r["m"]].requests = r["n"]
    for r in (StationShift.objects.filter(station=station, on__year=year).annotate(m=ExtractMonth("on"))
              .values("m").annotate(n=Count("pk"))):
        out[r["m"]].shifts = r["n"]
    return list(out.values())
