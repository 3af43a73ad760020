"""Registers duty activities at start-up: the pages in the nav, the report figures, and the
source the 履职档案 reads (lvzhi.deputies.record)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal


def entries(deputy_ids: Iterable[int], start: dt.date, end: dt.date):
    """One line per counted activity a deputy was present at, and one per meeting missed
    without leave (列席 absences are what the 履职管理办法 counts)."""
    from django.db.models import Q

    from lvzhi.deputies.activity_models import ActivityKind, Attendance, Participation
    from lvzhi.deputies.record import Entry

    counted = Q(activity__self_reported=False) | Q(activity__checked_at__isnull=False)
    rows = (Participation.objects.filter(counted, deputy_id__in=list(deputy_ids), activity__held_on__gte=start,
                                         activity__held_on__lte=end)
            .filter(Q(attendance=Attendance.PRESENT)
                    | Q(attendance=Attendance.ABSENT, activity__kind=ActivityKind.ATTEND_MEETING))
            .select_related("activity").order_by("activity__held_on", "id"))
    for p in rows:
        a, absent = p.activity, p.attendance == Attendance.ABSENT
        label = a.get_kind_display()
        yield Entry(deputy_id=p.deputy_id, on=a.held_on, source="activities",
                    title=f"{label}（缺席）：{a.title}" if absent else f"{label}：{a.title}",
                    url=a.get_absolute_url(), hours=Decimal(0) if absent else a.hours, absent=absent)


def liaison_figures():
    """双联系: the deputies a member keeps in touch with (each deputy once), and the contacts."""
    from lvzhi.cases.kinds import Figure
    from lvzhi.deputies.liaison_models import MemberContact
    from lvzhi.deputies.models import Deputy

    def linked(congress_ids, start, end):
        return Deputy.objects.filter(congress_id__in=congress_ids, member_links__since__lte=end).distinct()

    def contacts(congress_ids, start, end):
        return MemberContact.objects.filter(link__congress_id__in=congress_ids, on__gte=start, on__lte=end)

    return (Figure("member_linked_deputies", "常委会组成人员联系代表", linked, unit="人"),
            Figure("member_contacts", "组成人员联系代表", contacts, unit="次"))


def register() -> None:
    from lvzhi.cases.kinds import NavEntry
    from lvzhi.core.models import Role
    from lvzhi.core.sections import Section, register_section
    from lvzhi.deputies import activity_demo, activity_figures, station_figures
    from lvzhi.deputies.activity_permissions import is_deputy_office
    from lvzhi.deputies.record import DutySource, register_source
    from lvzhi.reports.registry import register_figures

    register_figures("duty_activities", "代表履职活动", activity_figures.FIGURES)
    register_figures("liaison_stations", "代表联络站", station_figures.FIGURES)
    register_figures("member_liaison", "双联系", liaison_figures())
    register_source(DutySource("activities", "参加履职活动", entries, order=10))
    register_section(Section(
        code="duty_activities", label="履职活动",
        nav=(NavEntry(Role.CLERK, "deputies:activities", "履职活动"),
             NavEntry(Role.COMMITTEE_STAFF, "deputies:activities", "履职活动"),
             NavEntry(Role.LEADER, "deputies:activities", "履职活动"),
             NavEntry(Role.DEPUTY, "deputies:my_activities", "我的履职"),
             NavEntry(Role.CLERK, "deputies:stations", "联络站", is_deputy_office),
             # 代表培训 and 双联系 open from the 履职活动 page; members and deputies get their own entry.
             NavEntry(Role.DEPUTY, "deputies:trainings", "培训"),
             NavEntry(Role.COMMITTEE_STAFF, "deputies:liaison", "联系代表"),
             NavEntry(Role.LEADER, "deputies:stations", "联络站")),
        demo=activity_demo.build,
    ))
