"""Trainings' writes: create one with its enrolled deputies (the activity and the training in
one transaction), sign a deputy in (by the QR code at the door, or by the clerk). A sign-in
puts the deputy on the activity as present. Every write leaves an audit event (subject
`activity`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from lvzhi.core.models import User
from lvzhi.core.receipts import door_code
from lvzhi.deputies.activity_models import Activity, ActivityKind, Attendance, Confirmation, Participation
from lvzhi.deputies.activity_permissions import is_deputy_office
from lvzhi.deputies.activity_services import NotPermitted, _event
from lvzhi.deputies.models import Deputy
from lvzhi.deputies.training_models import Enrollment, SignInMethod, Training

# The door's code is valid from the day before the training to the day after.
SIGN_IN_WINDOW = dt.timedelta(days=1)


def sign_token(training: Training) -> str:
    return door_code("training-sign-in", training.pk)


def create(user: User, data: dict, deputies: list[Deputy]) -> Training:
    if not is_deputy_office(user):
        raise NotPermitted("代表培训由代表工委组织登记")
    with transaction.atomic():
        activity = Activity.objects.create(
            congress_id=user.congress_id, kind=ActivityKind.TRAINING, title=data["title"], held_on=data["held_on"],
            place=data.get("place", ""), hours=data.get("hours") or Decimal(0), summary=data.get("topic", ""),
            organiser_id=user.organization_id, recorded_by=user)
        training = Training.objects.create(activity=activity, form=data["form"], topic=data.get("topic", ""))
        Enrollment.objects.bulk_create(Enrollment(training=training, deputy=d) for d in deputies)
        _event(activity, user, "training", "组织代表培训", form=training.get_form_display(), enrolled=len(deputies))
    return training


def sign_in(training: Training, deputy: Deputy, actor: User, method: str, now: dt.datetime | None = None) -> Enrollment:
    """Signs the deputy in once (a second scan says so and changes nothing)."""
    now = now or timezone.now()
    if method == SignInMethod.CLERK and not is_deputy_office(actor):
        raise NotPermitted("只有代表工委工作人员可以代为签到")
    if method == SignInMethod.QR:
        if getattr(actor, "deputy", None) != deputy:
            raise NotPermitted("请用本人的代表账号扫码签到")
        day = training.activity.held_on
        if not (day - SIGN_IN_WINDOW <= timezone.localdate(now) <= day + SIGN_IN_WINDOW):
            raise NotPermitted(f"签到码只在培训当天（{day:%Y年%m月%d日}）前后一天有效")
    with transaction.atomic():
        enrollment = (Enrollment.objects.select_for_update().filter(training=training, deputy=deputy).first()
                      or Enrollment.objects.create(training=training, deputy=deputy))
        if enrollment.signed_in_at is not None:
            return enrollment
        enrollment.signed_in_at, enrollment.method, enrollment.signed_by = now, method, actor
        enrollment.save(update_fields=["signed_in_at", "method", "signed_by"])
        Participation.objects.update_or_create(
            activity=training.activity, deputy=deputy,
            defaults={"attendance": Attendance.PRESENT,
                      "confirmation": Confirmation.CONFIRMED if method == SignInMethod.QR else Confirmation.PENDING,
                      "confirmed_at": now if method == SignInMethod.QR else None})
        _event(training.activity, actor, "sign_in", "培训签到", deputy=deputy.name,
               method=SignInMethod(method).label)
    return enrollment
