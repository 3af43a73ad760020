"""Meetings' report figures: each a QuerySet of meeting records, so every number is traced to
its rows. A period's meetings are those that began in it; only closed meetings are "held"."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.core.models import Role
from lvzhi.meetings.models import (
    AgendaItem,
    MaterialVersion,
    Meeting,
    MeetingState,
    Nominee,
    Participant,
    ParticipantRole,
)


def held(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Meeting]:
    return Meeting.objects.filter(congress_id__in=congress_ids, state=MeetingState.CLOSED,
                                  starts_on__gte=start, starts_on__lte=end)


def _in(prefix: str, congress_ids: list[int], start: dt.date, end: dt.date) -> dict:
    return {f"{prefix}congress_id__in": congress_ids, f"{prefix}state": MeetingState.CLOSED,
            f"{prefix}starts_on__gte": start, f"{prefix}starts_on__lte": end}


def items_deliberated(congress_ids, start, end) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(deliberated=True, **_in("meeting__", congress_ids, start, end))


def materials_on_time(congress_ids, start, end) -> QuerySet[MaterialVersion]:
    """Materials whose first version went out by the item type's deadline."""
    return MaterialVersion.objects.filter(number=1, late=False,
                                          **_in("material__item__meeting__", congress_ids, start, end))


def deputies_attending(congress_ids, start, end) -> QuerySet[Participant]:
    """列席 deputies, 人次 (a deputy at two meetings counts twice)."""
    return Participant.objects.filter(role=ParticipantRole.ATTENDEE, user__role=Role.DEPUTY,
                                      **_in("meeting__", congress_ids, start, end))


def appointments(congress_ids, start, end) -> QuerySet[Nominee]:
    """任免 人次: nominees whose vote passed."""
    return Nominee.objects.filter(vote__passed=True, **_in("item__meeting__", congress_ids, start, end))


FIGURES = (
    Figure("meetings_held", "召开会议", held, unit="次"),
    Figure("items_deliberated", "审议议题", items_deliberated, unit="项"),
    Figure("materials_on_time", "按期分发会议材料", materials_on_time, unit="份"),
    Figure("deputies_attending", "代表列席会议", deputies_attending, unit="人次"),
    Figure("appointments", "任免国家机关工作人员", appointments, unit="人次"),
)
