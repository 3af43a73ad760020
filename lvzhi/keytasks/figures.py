"""The report figures key tasks register; each names the cases behind it.

A year's tasks are those approved by the 主任会议 (registered_at set) whose 年度 falls in the
period; they split into closed on time, closed late and not yet closed, so
按期销号 + 逾期销号 + 未销号 = 年度重点任务.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.cases.models import Case
from lvzhi.keytasks.permissions import KIND
from lvzhi.keytasks.states import CLOSED, OPEN_STATES


def planned(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Case]:
    return Case.objects.filter(congress_id__in=congress_ids, kind=KIND, registered_at__isnull=False,
                               key_task_detail__year__gte=start.year, key_task_detail__year__lte=end.year)


def closed_on_time(congress_ids, start, end) -> QuerySet[Case]:
    return planned(congress_ids, start, end).filter(
        state=CLOSED, closed_at__date__lte=F("key_task_detail__due_on"))


def closed_late(congress_ids, start, end) -> QuerySet[Case]:
    return planned(congress_ids, start, end).filter(
        state=CLOSED, closed_at__date__gt=F("key_task_detail__due_on"))


def still_open(congress_ids, start, end) -> QuerySet[Case]:
    return planned(congress_ids, start, end).filter(state__in=OPEN_STATES)


FIGURES = (
    Figure("key_tasks_planned", "年度重点任务", planned, unit="项"),
    Figure("key_tasks_closed_on_time", "按期销号", closed_on_time, unit="项"),
    Figure("key_tasks_closed_late", "逾期销号", closed_late, unit="项"),
    Figure("key_tasks_open", "未销号", still_open, unit="项"),
)
