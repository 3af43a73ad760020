"""The report figures of 满意度测评. Votes are not cases: each function returns a QuerySet of
SatisfactionVote (the lead's registry lists them beside the kinds' figures). A period's votes
are those closed in it; 通过 + 未通过 = 开展测评."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.votes.models import BoxState, SatisfactionVote


def held(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[SatisfactionVote]:
    return SatisfactionVote.objects.filter(congress_id__in=congress_ids, state=BoxState.CLOSED,
                                           closed_at__date__gte=start, closed_at__date__lte=end)


def passed(congress_ids, start, end) -> QuerySet[SatisfactionVote]:
    return held(congress_ids, start, end).filter(passed=True)


def failed(congress_ids, start, end) -> QuerySet[SatisfactionVote]:
    return held(congress_ids, start, end).filter(passed=False)


FIGURES = (
    Figure("satisfaction_votes", "开展满意度测评", held, unit="次"),
    Figure("satisfaction_passed", "满意度测评通过", passed, unit="次"),
    Figure("satisfaction_failed", "满意度测评未通过", failed, unit="次"),
)
