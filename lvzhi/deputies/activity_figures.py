"""The report figures of duty activities. Each returns the records behind its number: the
activities, or for 人次 the deputies' entries (each links to its activity).

An activity counts when it is in the period and counts at all (an organiser's at once, a
deputy's own report once the 代表工委 has checked it); an entry counts when the deputy was
present. Unconfirmed entries count: the organiser's record stands until a deputy disputes it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.deputies.activity_models import SUPERVISION_KINDS, Activity, ActivityKind, Attendance, Participation

COUNTS = Q(self_reported=False) | Q(checked_at__isnull=False)


def activities(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Activity]:
    return Activity.objects.filter(COUNTS, congress_id__in=congress_ids, held_on__gte=start, held_on__lte=end)


def _of(*kinds: str):
    def figure(congress_ids, start, end) -> QuerySet[Activity]:
        return activities(congress_ids, start, end).filter(kind__in=kinds)
    return figure


def attendances(congress_ids, start, end) -> QuerySet[Participation]:
    """列席常委会会议的代表 (人次)."""
    return Participation.objects.filter(
        activity__in=_of(ActivityKind.ATTEND_MEETING)(congress_ids, start, end),
        attendance=Attendance.PRESENT).select_related("deputy", "activity")


def receptions(congress_ids, start, end) -> QuerySet[Participation]:
    """代表进站接待群众 (人次)."""
    return Participation.objects.filter(
        activity__in=_of(ActivityKind.RECEPTION)(congress_ids, start, end),
        attendance=Attendance.PRESENT).select_related("deputy", "activity")


def training_attendances(congress_ids, start, end) -> QuerySet[Participation]:
    """代表参加培训 (人次): present lines of the period's trainings."""
    return Participation.objects.filter(
        activity__in=_of(ActivityKind.TRAINING)(congress_ids, start, end),
        attendance=Attendance.PRESENT).select_related("deputy", "activity")


FIGURES = (
    Figure("duty_activities", "履职活动", activities, unit="次"),
    Figure("deputies_attending_meetings", "代表列席常委会会议", attendances, unit="人次"),
    Figure("deputy_symposiums", "代表座谈会", _of(ActivityKind.SYMPOSIUM), unit="次"),
    Figure("deputy_trainings", "代表培训", _of(ActivityKind.TRAINING), unit="期"),
    Figure("deputy_training_attendances", "代表参加培训", training_attendances, unit="人次"),
    Figure("supervision_activities", "围绕监督议题的代表活动", _of(*SUPERVISION_KINDS), unit="次"),
    Figure("station_receptions", "代表进站接待", receptions, unit="人次"),
)
