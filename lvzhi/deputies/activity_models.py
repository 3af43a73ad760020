"""Duty activities (履职活动): one record type for every activity an organiser or a deputy records.

An organiser (代表工委, a committee, a station) records an activity with its deputies in bulk;
each deputy's `Participation` is then confirmed by the deputy, or disputed and corrected (上海
实施代表法办法: 组织者登记, 定期与代表核对, 有异议的核实后调整). A deputy may also add an activity
of their own from the phone; it counts once the 代表工委 has checked it. Activities other apps
already hold (suggestions, evaluations, inspections, comments on drafts, votes) are not copied
here: they reach the performance record through `lvzhi.deputies.record` sources.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class ActivityKind(models.TextChoices):
    ATTEND_MEETING = "attend_meeting", "列席常委会会议"
    SYMPOSIUM = "symposium", "代表座谈会"
    INSPECTION = "inspection", "视察"
    RESEARCH = "research", "调研"
    LAW_ENFORCEMENT = "law_enforcement", "执法检查"
    RECEPTION = "reception", "进站接待群众"
    TRAINING = "training", "参加培训"
    GROUP = "group", "代表小组活动"
    LEGISLATION = "legislation", "立法征求意见"
    SUGGESTION_FOLLOWUP = "suggestion_followup", "建议督办"
    PETITION = "petition", "信访代办"
    MEDIATION = "mediation", "诉前调解"
    PUBLICITY = "publicity", "宣讲"
    OTHER = "other", "其他"


# Kinds the annual report counts as "activities on supervision topics".
SUPERVISION_KINDS = (ActivityKind.INSPECTION, ActivityKind.RESEARCH, ActivityKind.LAW_ENFORCEMENT,
                     ActivityKind.SUGGESTION_FOLLOWUP)


class Attendance(models.TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


# Lists of an activity's deputies: those present first, then on leave, then absent.
ROLL_ORDER = models.Case(models.When(attendance="present", then=0), models.When(attendance="leave", then=1),
                         default=2, output_field=models.IntegerField())


class Confirmation(models.TextChoices):
    PENDING = "pending", "待代表确认"
    CONFIRMED = "confirmed", "代表已确认"
    DISPUTED = "disputed", "代表有异议"


class Activity(models.Model):
    """One duty activity: what, when, where, who organised it, and its summary."""

    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="duty_activities")
    kind = models.CharField("活动类型", max_length=24, choices=ActivityKind.choices)
    title = models.CharField("活动名称", max_length=200)
    held_on = models.DateField("活动日期")
    place = models.CharField("活动地点", max_length=200, blank=True)
    summary = models.TextField("活动情况", blank=True)
    organiser = models.ForeignKey("core.Organization", models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name="组织单位")
    station = models.ForeignKey("deputies.LiaisonStation", models.SET_NULL, null=True, blank=True,
                                related_name="activities", verbose_name="联络站")
    group = models.ForeignKey("deputies.DeputyGroup", models.SET_NULL, null=True, blank=True,
                              related_name="activities", verbose_name="专业代表小组")
    hours = models.DecimalField("时长(小时)", max_digits=5, decimal_places=1, default=0)
    # A deputy's own entry waits for the 代表工委 to check it; an organiser's counts at once.
    self_reported = models.BooleanField("代表自行填报", default=False)
    checked_at = models.DateTimeField("核实时间", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "履职活动"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["congress", "held_on"]),
                   models.Index(fields=["congress", "kind", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}：{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("deputies:activity", args=[self.pk])

    @property
    def counts(self) -> bool:
        """Whether the activity enters the performance record (a self-report once checked)."""
        return not self.self_reported or self.checked_at is not None


class Participation(models.Model):
    """A deputy in an activity: attendance, and whether the deputy confirmed the entry."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="participations")
    deputy = models.ForeignKey("deputies.Deputy", models.CASCADE, related_name="participations")
    attendance = models.CharField("出勤", max_length=8, choices=Attendance.choices,
                                  default=Attendance.PRESENT)
    leave_reason = models.CharField("请假事由", max_length=200, blank=True)
    role = models.CharField("角色", max_length=40, blank=True, help_text="如 领队、发言、值班")
    confirmation = models.CharField("确认", max_length=12, choices=Confirmation.choices,
                                    default=Confirmation.PENDING)
    dispute = models.CharField("异议说明", max_length=300, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "参加代表"
        constraints = [models.UniqueConstraint(fields=["activity", "deputy"],
                                               name="participation_once")]
        indexes = [models.Index(fields=["deputy", "attendance"])]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.activity}"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()


def activity_file_path(instance: ActivityFile, filename: str) -> str:
    return f"activities/{instance.activity_id}/{filename}"


class ActivityFile(models.Model):
    """An attachment or photo of an activity; each upload is kept."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="files")
    file = models.FileField("文件", upload_to=activity_file_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小(字节)")
    is_photo = models.BooleanField("照片", default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "活动附件"
        ordering = ["uploaded_at", "id"]
