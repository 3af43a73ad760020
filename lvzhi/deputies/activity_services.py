"""Writes of duty activities. Every write asks activity_permissions first and changes nothing
on refusal or bad input; the forms have cleaned the fields, these check what spans them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from lvzhi.cases.events import append_subject_event
from lvzhi.core.models import User
from lvzhi.deputies.activity_models import (
    Activity,
    ActivityFile,
    Attendance,
    Confirmation,
    Participation,
)
from lvzhi.deputies.activity_permissions import (
    deputy_of,
    may_answer,
    may_check,
    may_edit,
    may_organise,
    may_settle,
)
from lvzhi.deputies.models import Deputy
from lvzhi.documents.uploads import UploadError, check_upload

FIELDS = ("kind", "title", "held_on", "place", "summary", "hours", "station", "group")
MAX_FILE = 20 * 1024 * 1024
PHOTO_TYPES = {"jpg", "png"}
FILE_TYPES = PHOTO_TYPES | {"pdf", "docx", "doc", "xlsx"}


SUBJECT = "activity"  # on the congress's audit chain (core.audit.OTHER_SUBJECT_LABELS)


def _event(activity: Activity, actor: User, name: str, label: str, **payload) -> None:
    """Every write leaves an event on the audit chain, in the write's transaction."""
    append_subject_event(SUBJECT, activity.pk, activity.congress_id, actor, name, label,
                         payload={"title": activity.title, **payload}, at=timezone.now())


class NotPermitted(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Roll:
    """Who took part: the deputies present, on leave (with one reason) and absent."""

    present: list[Deputy] = field(default_factory=list)
    leave: list[Deputy] = field(default_factory=list)
    absent: list[Deputy] = field(default_factory=list)
    leave_reason: str = ""

    def rows(self) -> list[tuple[Deputy, str]]:
        return ([(d, Attendance.PRESENT) for d in self.present] + [(d, Attendance.LEAVE) for d in self.leave]
                + [(d, Attendance.ABSENT) for d in self.absent])


def _check_day(day: dt.date) -> None:
    if day > timezone.localdate():
        raise forms.ValidationError(f"活动日期{day:%Y-%m-%d}晚于今天；活动结束后再登记")


def _check_roll(roll: Roll, congress_id: int) -> None:
    rows = roll.rows()
    if not any(a == Attendance.PRESENT for _d, a in rows):
        raise forms.ValidationError("请至少选择一名出席的代表")
    seen: dict[int, str] = {}
    for deputy, attendance in rows:
        if deputy.pk in seen:
            raise forms.ValidationError(f"{deputy.name}代表同时列在“{Attendance(seen[deputy.pk]).label}”"
                                        f"和“{Attendance(attendance).label}”中，请只选一处")
        seen[deputy.pk] = attendance
        if deputy.congress_id != congress_id or not deputy.is_active:
            raise forms.ValidationError(f"{deputy.name}不是本级在任代表")
    if roll.leave and not roll.leave_reason.strip():
        raise forms.ValidationError("有代表请假的，请填写请假事由")


def record(user: User, data: dict, roll: Roll) -> Activity:
    """An organiser's activity with its deputies in bulk; each entry waits for the deputy's 确认."""
    if not may_organise(user):
        raise NotPermitted("只有代表工委、专门委员会和工作机构的工作人员可以登记履职活动")
    _check_day(data["held_on"])
    _check_roll(roll, user.congress_id)
    with transaction.atomic():
        activity = Activity.objects.create(congress_id=user.congress_id, organiser_id=user.organization_id,
                                           recorded_by=user, **{k: data.get(k) or _blank(k) for k in FIELDS})
        Participation.objects.bulk_create(
            Participation(activity=activity, deputy=d, attendance=a,
                          leave_reason=roll.leave_reason.strip() if a == Attendance.LEAVE else "")
            for d, a in roll.rows())
        _event(activity, user, "record", "登记履职活动", deputies=len(roll.rows()))
    return activity


def _blank(name: str):
    return Decimal(0) if name == "hours" else (None if name in ("station", "group") else "")


def update(user: User, activity: Activity, data: dict, roll: Roll | None = None) -> Activity:
    """Corrects an activity. A deputy already on it keeps his or her confirmation unless the
    attendance changed; one taken off is removed; a new one waits for 确认."""
    if not may_edit(user, activity):
        raise NotPermitted("您无权修改该履职活动")
    _check_day(data["held_on"])
    if roll is not None:
        _check_roll(roll, activity.congress_id)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        for k in FIELDS:
            setattr(activity, k, data.get(k) or _blank(k))
        activity.save()
        _event(activity, user, "update", "修改履职活动")
        if roll is None:
            return activity
        wanted = dict((d.pk, a) for d, a in roll.rows())
        existing = {p.deputy_id: p for p in activity.participations.all()}
        activity.participations.exclude(deputy_id__in=wanted).delete()
        for deputy_id, attendance in wanted.items():
            reason = roll.leave_reason.strip() if attendance == Attendance.LEAVE else ""
            p = existing.get(deputy_id)
            if p is None:
                Participation.objects.create(activity=activity, deputy_id=deputy_id, attendance=attendance,
                                             leave_reason=reason)
            elif p.attendance != attendance or p.leave_reason != reason:
                p.attendance, p.leave_reason = attendance, reason
                p.confirmation, p.confirmed_at, p.dispute = Confirmation.PENDING, None, ""
                p.save()
    return activity


def self_report(user: User, data: dict) -> Activity:
    """A deputy's own activity from the phone: confirmed by its author, counted once checked."""
    deputy = deputy_of(user)
    if deputy is None or not deputy.is_active:
        raise NotPermitted("只有在任代表可以填报本人的履职活动")
    _check_day(data["held_on"])
    with transaction.atomic():
        activity = Activity.objects.create(congress_id=user.congress_id, recorded_by=user, self_reported=True,
                                           **{k: data.get(k) or _blank(k) for k in FIELDS})
        Participation.objects.create(activity=activity, deputy=deputy, confirmation=Confirmation.CONFIRMED,
                                     confirmed_at=timezone.now())
        _event(activity, user, "self_report", "代表自行填报履职活动")
    return activity


def _locked(participation: Participation) -> Participation:
    return Participation.objects.select_for_update().select_related("deputy", "activity").get(pk=participation.pk)


def confirm(user: User, participation: Participation) -> Participation:
    with transaction.atomic():
        p = _locked(participation)
        if not may_answer(user, p):
            raise NotPermitted("该条履职记录不是您的，或您已确认过")
        p.confirmation, p.confirmed_at, p.dispute = Confirmation.CONFIRMED, timezone.now(), ""
        p.save(update_fields=["confirmation", "confirmed_at", "dispute"])
        _event(p.activity, user, "confirm", "代表确认履职记录", deputy=p.deputy.name)
    return p


def dispute(user: User, participation: Participation, text: str) -> Participation:
    text = text.strip()
    if not text:
        raise forms.ValidationError("请说明异议，例如“当天请假未参加”")
    with transaction.atomic():
        p = _locked(participation)
        if not may_answer(user, p):
            raise NotPermitted("该条履职记录不是您的，或您已确认过")
        p.confirmation, p.dispute, p.confirmed_at = Confirmation.DISPUTED, text[:300], None
        p.save(update_fields=["confirmation", "dispute", "confirmed_at"])
        _event(p.activity, user, "dispute", "代表对履职记录提出异议", deputy=p.deputy.name, dispute=p.dispute)
    return p


def settle(user: User, participation: Participation, attendance: str, reason: str = "") -> Participation:
    """The office checks a disputed entry and sets the attendance it found (核实后调整);
    the entry counts as confirmed, its 异议 kept on it."""
    if attendance not in Attendance.values:
        raise forms.ValidationError("请选择核实后的出勤情况")
    if attendance == Attendance.LEAVE and not reason.strip():
        raise forms.ValidationError("核实为请假的，请填写请假事由")
    with transaction.atomic():
        p = _locked(participation)
        if not may_settle(user, p):
            raise NotPermitted("只有组织单位或代表工委可以核实代表的异议")
        p.attendance, p.leave_reason = attendance, reason.strip() if attendance == Attendance.LEAVE else ""
        p.confirmation, p.confirmed_at = Confirmation.CONFIRMED, timezone.now()
        p.save(update_fields=["attendance", "leave_reason", "confirmation", "confirmed_at"])
        _event(p.activity, user, "settle", "核实代表异议", deputy=p.deputy.name, attendance=attendance)
    return p


def check(user: User, activity: Activity) -> Activity:
    """The 代表工委 checks a deputy's own report: from now on it counts."""
    with transaction.atomic():
        a = Activity.objects.select_for_update().get(pk=activity.pk)
        if not may_check(user, a):
            raise NotPermitted("只有代表工委可以核实代表自行填报的活动，且每项只核实一次")
        a.checked_at = timezone.now()
        a.save(update_fields=["checked_at"])
        _event(a, user, "check", "核实代表自行填报的活动")
    return a


def add_files(user: User, activity: Activity, uploads: Iterable[UploadedFile]) -> list[ActivityFile]:
    """Photos and papers of the activity, each checked by what it is (documents.uploads)."""
    if not may_edit(user, activity):
        raise NotPermitted("您无权为该履职活动上传附件")
    uploads = list(uploads)
    kinds = []
    for f in uploads:
        try:
            kinds.append(check_upload(f, FILE_TYPES, MAX_FILE))
        except UploadError as err:
            raise forms.ValidationError(f"“{f.name}”：{err.message}") from None
    with transaction.atomic():
        saved = [ActivityFile.objects.create(activity=activity, file=f, name=f.name[:200], size=f.size,
                                             is_photo=kind in PHOTO_TYPES, uploaded_by=user)
                 for f, kind in zip(uploads, kinds, strict=True)]
        _event(activity, user, "files", "上传活动照片或附件", files=[f.name for f in saved])
    return saved
