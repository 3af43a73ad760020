"""The citizen's request's report figures; each returns the cases behind its number.

A period's requests are those received (Case.submitted_at) within it. They reconcile so:
    received ⊇ answered ⊇ resolved, and received = answered + declined + still open.
Answered: the deputy answered the citizen (a reopened request counts again once re-answered:
it is one request, counted once). Resolved: the citizen rated the result 满意 or 基本满意.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.cases.models import Case
from lvzhi.requests.citizen_models import RESOLVED_RATINGS, Handling
from lvzhi.requests.citizen_permissions import KIND
from lvzhi.requests.citizen_states import ANSWERED, CLOSED, DECLINED


def received(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Case]:
    return Case.objects.filter(congress_id__in=congress_ids, kind=KIND, submitted_at__date__gte=start,
                               submitted_at__date__lte=end)


def answered(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(state__in=[ANSWERED, CLOSED])


def resolved(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(citizen_request_detail__rating__in=RESOLVED_RATINGS)


def forwarded(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(citizen_request_detail__unit__isnull=False)


def declined(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(state=DECLINED)


def to_suggestions(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(citizen_request_detail__handling=Handling.SUGGESTION)


FIGURES = (
    Figure("citizen_requests_received", "代表码上见收到群众诉求", received),
    Figure("citizen_requests_answered", "已答复群众诉求", answered),
    Figure("citizen_requests_resolved", "群众评价满意、基本满意的诉求", resolved),
    Figure("citizen_requests_forwarded", "代表转交单位办理的诉求", forwarded),
    Figure("citizen_requests_to_suggestions", "转为代表建议的诉求", to_suggestions),
    Figure("citizen_requests_declined", "不予受理的诉求", declined),
)
