"""Liaison stations' own records (代表之家/站/室; 地方组织法 第六十条, 代表法 第二十八条): the
reception schedule (which deputy on which day) and the reception log, one line per citizen
received, with what the citizen raised. A day's log is also the deputies' 进站接待 activity
(activity_models.Activity of kind reception), so their 履职档案 counts it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Slot(models.TextChoices):
    MORNING = "morning", "上午"
    AFTERNOON = "afternoon", "下午"
    DAY = "day", "全天"


class StationShift(models.Model):
    station = models.ForeignKey("deputies.LiaisonStation", models.CASCADE, related_name="shifts")
    deputy = models.ForeignKey("deputies.Deputy", models.CASCADE, related_name="shifts", verbose_name="值班代表")
    on = models.DateField("日期")
    slot = models.CharField("时段", max_length=10, choices=Slot.choices, default=Slot.MORNING)

    class Meta:
        verbose_name = verbose_name_plural = "进站值班安排"
        ordering = ["on", "slot", "id"]
        constraints = [models.UniqueConstraint(fields=["station", "deputy", "on", "slot"], name="shift_once")]


class VisitHandling(models.TextChoices):
    ANSWERED = "answered", "当场解答"
    FORWARDED = "forwarded", "转交有关部门"
    SUGGESTION = "suggestion", "转为代表建议"
    NOTED = "noted", "记录备查"


class Visit(models.Model):
    """One citizen received at a station (接待群众 一人次), and what he or she raised."""

    station = models.ForeignKey("deputies.LiaisonStation", models.CASCADE, related_name="visits")
    activity = models.ForeignKey("deputies.Activity", models.PROTECT, related_name="visits",
                                 verbose_name="进站接待活动")
    deputy = models.ForeignKey("deputies.Deputy", models.PROTECT, related_name="visits", verbose_name="接待代表")
    on = models.DateField("接待日期")
    name = models.CharField("群众称呼", max_length=30, blank=True)
    matter = models.TextField("反映的事项")
    is_opinion = models.BooleanField("属于意见建议", default=True, help_text="咨询类不计入收集的意见建议")
    handling = models.CharField("处理方式", max_length=12, choices=VisitHandling.choices,
                                default=VisitHandling.ANSWERED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "进站接待登记"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["station", "on"], name="visit_station_on")]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("deputies:station", args=[self.station_id])
