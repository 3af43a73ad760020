"""The report figures motions and suggestions register; each names the cases behind it."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.cases.models import Case
from lvzhi.suggestions.states import SuggestionState as S


def _submitted(kind: str, congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Case]:
    return Case.objects.filter(congress_id__in=congress_ids, kind=kind, submitted_at__date__gte=start,
                               submitted_at__date__lte=end).exclude(state=S.DRAFT)


def suggestions_received(congress_ids, start, end):
    return _submitted("suggestion", congress_ids, start, end).exclude(state__in=[S.WITHDRAWN])


def suggestions_assigned(congress_ids, start, end):
    return suggestions_received(congress_ids, start, end).filter(state__in=[S.HANDLING, S.REPLIED, S.CLOSED])


def suggestions_interim(congress_ids, start, end):
    return suggestions_received(congress_ids, start, end).filter(session__isnull=True)


def suggestions_solved(congress_ids, start, end):
    """Closed with every accepted reply of the last round in class A or B (解决或逐步解决)."""
    qs = suggestions_received(congress_ids, start, end).filter(state=S.CLOSED)
    return qs.exclude(replies__state="accepted", replies__reply_class__in=["C", "D"]).distinct()


def suggestions_key(congress_ids, start, end):
    return suggestions_received(congress_ids, start, end).filter(is_key=True)


def motions_received(congress_ids, start, end):
    return _submitted("motion", congress_ids, start, end).exclude(state__in=[S.WITHDRAWN])


def motions_converted(congress_ids, start, end):
    return motions_received(congress_ids, start, end).filter(state=S.CONVERTED)


SUGGESTION_FIGURES = (
    Figure("suggestions_received", "代表建议", suggestions_received),
    Figure("suggestions_assigned", "交由承办单位办理的建议", suggestions_assigned),
    Figure("suggestions_interim", "闭会期间建议", suggestions_interim),
    Figure("suggestions_solved", "问题得到解决或逐步解决的建议", suggestions_solved),
    Figure("suggestions_key", "重点督办建议", suggestions_key),
)
MOTION_FIGURES = (
    Figure("motions_received", "代表议案", motions_received),
    Figure("motions_converted", "议案转为建议", motions_converted),
)
