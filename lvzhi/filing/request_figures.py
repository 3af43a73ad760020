"""The review request kind's report figures; each names the cases behind it.

A period's requests are those received (Case.submitted_at) within it. They reconcile so:
    received = not_registered + not_started + reviewed + still open before a decision
    (received, completing, registered, declined-not-yet-told)
and answered ⊆ reviewed (a started review whose result was fed back). 不启动审查 counts a decision
once the proposer was told (not_started) or not yet (declined).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.cases.models import Case
from lvzhi.filing.request_permissions import KIND
from lvzhi.filing.request_states import ANSWERED, DECLINED, NOT_REGISTERED, NOT_STARTED, REVIEWING


def received(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Case]:
    return Case.objects.filter(congress_id__in=congress_ids, kind=KIND, submitted_at__date__gte=start,
                               submitted_at__date__lte=end)


def not_registered(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(state=NOT_REGISTERED)


def not_started(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(state__in=[DECLINED, NOT_STARTED])


def reviewed(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(state__in=[REVIEWING, ANSWERED])


def answered(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(state=ANSWERED)


FIGURES = (
    Figure("review_request_received", "收到审查建议", received),
    Figure("review_request_not_registered", "不属于规范性文件不予登记", not_registered),
    Figure("review_request_not_started", "决定不启动审查", not_started),
    Figure("review_request_reviewed", "启动审查", reviewed),
    Figure("review_request_answered", "已反馈审查结果", answered),
)
