"""The hotline orders' report figures; each returns the orders behind its number.

Supervised: orders assigned to a deputy in the period (HotlineOrderDetail.assigned_at); closed:
those of them whose closure is recorded. The 办结率 is closed / supervised (the seeds': 541 of
598, 90%), both sets traceable.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.cases.models import Case
from lvzhi.requests.hotline_permissions import KIND
from lvzhi.requests.hotline_states import CLOSED


def imported(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Case]:
    return Case.objects.filter(congress_id__in=congress_ids, kind=KIND, submitted_at__date__gte=start,
                               submitted_at__date__lte=end)


def supervised(congress_ids, start, end) -> QuerySet[Case]:
    return Case.objects.filter(congress_id__in=congress_ids, kind=KIND, hotline_detail__assigned_at__date__gte=start,
                               hotline_detail__assigned_at__date__lte=end)


def closed(congress_ids, start, end) -> QuerySet[Case]:
    return supervised(congress_ids, start, end).filter(state=CLOSED)


def satisfied(congress_ids, start, end) -> QuerySet[Case]:
    return closed(congress_ids, start, end).filter(hotline_detail__rating__in=["satisfied", "basic"])


FIGURES = (
    Figure("hotline_orders_imported", "导入12345工单", imported),
    Figure("hotline_orders_supervised", "代表督办12345工单", supervised),
    Figure("hotline_orders_closed", "代表督办的工单已办结", closed),
    Figure("hotline_orders_satisfied", "办结工单群众满意、基本满意", satisfied),
)
