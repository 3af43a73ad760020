"""民生实事项目's report figures: QuerySets of LivelihoodProject (the registry counts records).
A period's projects are those of the rounds whose year falls in it. Funds are a sum, not a
count: the registry's Figure has no value function, so the funds total is shown on the
project pages and the API rather than as a registered figure."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.projects.models import LivelihoodProject
from lvzhi.votes.models import BoxState


def voted(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[LivelihoodProject]:
    return LivelihoodProject.objects.filter(round__congress_id__in=congress_ids, round__year__gte=start.year,
                                            round__year__lte=end.year)


def completed(congress_ids, start, end) -> QuerySet[LivelihoodProject]:
    return voted(congress_ids, start, end).filter(completed_on__isnull=False)


def graded(congress_ids, start, end) -> QuerySet[LivelihoodProject]:
    """Projects whose year-end 满意度测评 has been counted."""
    return voted(congress_ids, start, end).filter(grading__state=BoxState.CLOSED)


FIGURES = (
    Figure("livelihood_projects", "票决产生民生实事项目", voted, unit="个"),
    Figure("livelihood_projects_completed", "民生实事项目完成", completed, unit="个"),
    Figure("livelihood_satisfaction", "民生实事项目开展满意度测评", graded, unit="个"),
)
