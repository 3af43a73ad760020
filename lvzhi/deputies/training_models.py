"""Deputies' trainings (代表法 第四十五条: 履职学习培训) in the five forms the seeds' committee uses.

A training is a duty activity of kind training (activity_models.Activity: date, place, hours,
materials as its files) with who is enrolled; a deputy signed in (by the QR code at the door,
or by the clerk) is present on the activity, so the 履职档案 and its hours count it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TrainingForm(models.TextChoices):
    ALL = "all", "全员培训"
    SYSTEM = "system", "系统培训"
    MEETING = "meeting", "以会代训"
    PRACTICE = "practice", "开放实训"
    MULTI = "multi", "多点培训"


class SignInMethod(models.TextChoices):
    QR = "qr", "扫码签到"
    CLERK = "clerk", "工作人员代签"


class Training(models.Model):
    activity = models.OneToOneField("deputies.Activity", models.CASCADE, related_name="training")
    form = models.CharField("培训形式", max_length=10, choices=TrainingForm.choices)
    topic = models.TextField("培训内容", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "代表培训"
        ordering = ["-activity__held_on", "-id"]

    def __str__(self) -> str:
        return self.activity.title


class Enrollment(models.Model):
    training = models.ForeignKey(Training, models.CASCADE, related_name="enrollments")
    deputy = models.ForeignKey("deputies.Deputy", models.CASCADE, related_name="enrollments")
    signed_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    method = models.CharField("签到方式", max_length=8, choices=SignInMethod.choices, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "培训报名"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["training", "deputy"], name="enrolled_once")]
