"""Liaison stations' writes: the schedule, and the reception log (each citizen received). A
day's log keeps the station's 进站接待 activity of that day, with every receiving deputy on it
as present, so the deputies' 履职档案 and the activity figures count it. Every write leaves
an event on the audit chain (subject `activity`, the day's activity)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils import timezone

from lvzhi.core.models import User
from lvzhi.deputies.activity_models import Activity, ActivityKind, Attendance, Confirmation, Participation
from lvzhi.deputies.activity_services import NotPermitted, _event
from lvzhi.deputies.models import Deputy, LiaisonStation
from lvzhi.deputies.station_models import StationShift, Visit
from lvzhi.deputies.station_permissions import may_keep


def _check(user: User, station: LiaisonStation) -> None:
    if not may_keep(user, station):
        raise NotPermitted("只有代表工委和该联络站的联络员可以维护联络站的值班和接待登记")


def _deputy(station: LiaisonStation, deputy: Deputy) -> None:
    if deputy.congress_id != station.congress_id or not deputy.is_active:
        raise forms.ValidationError("请选择本级履职中的代表")


def add_shift(user: User, station: LiaisonStation, deputy: Deputy, on: dt.date, slot: str) -> StationShift:
    _check(user, station)
    _deputy(station, deputy)
    if on < timezone.localdate() - dt.timedelta(days=31):
        raise forms.ValidationError("只能安排一个月前至今后的值班")
    if StationShift.objects.filter(station=station, deputy=deputy, on=on, slot=slot).exists():
        raise forms.ValidationError(f"{deputy.name}代表当天该时段已安排值班")
    return StationShift.objects.create(station=station, deputy=deputy, on=on, slot=slot)


def remove_shift(user: User, shift: StationShift) -> None:
    _check(user, shift.station)
    shift.delete()


def _day_activity(user: User, station: LiaisonStation, on: dt.date) -> Activity:
    activity = (Activity.objects.select_for_update()
                .filter(congress_id=station.congress_id, kind=ActivityKind.RECEPTION, station=station, held_on=on)
                .order_by("pk").first())
    if activity is None:
        activity = Activity.objects.create(
            congress_id=station.congress_id, kind=ActivityKind.RECEPTION, station=station, held_on=on,
            title=f"{on.month}月{on.day}日代表进站接待群众", place=station.name, hours=Decimal(2),
            organiser_id=user.organization_id, recorded_by=user)
        _event(activity, user, "record", "登记履职活动", deputies=0)
    return activity


def log_visit(user: User, station: LiaisonStation, data: dict) -> Visit:
    """One citizen received: the deputy who received, the day, what was raised."""
    _check(user, station)
    deputy, on = data["deputy"], data["on"]
    _deputy(station, deputy)
    if on > timezone.localdate():
        raise forms.ValidationError("接待日期不能晚于今天")
    with transaction.atomic():
        activity = _day_activity(user, station, on)
        p, created = Participation.objects.get_or_create(activity=activity, deputy=deputy,
                                                         defaults={"attendance": Attendance.PRESENT})
        if not created and p.attendance != Attendance.PRESENT:
            p.attendance, p.confirmation = Attendance.PRESENT, Confirmation.PENDING
            p.save(update_fields=["attendance", "confirmation"])
        visit = Visit.objects.create(station=station, activity=activity, deputy=deputy, on=on,
                                     name=data.get("name", "").strip(), matter=data["matter"].strip(),
                                     is_opinion=bool(data.get("is_opinion")), handling=data["handling"],
                                     recorded_by=user)
        n = activity.visits.count()
        opinions = activity.visits.filter(is_opinion=True).count()
        activity.summary = f"接待群众{n}人次，收集意见建议{opinions}条。"
        activity.save(update_fields=["summary"])
        _event(activity, user, "visit", "登记进站接待", deputy=deputy.name, matter=visit.matter[:100])
    return visit
