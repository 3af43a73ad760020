"""What only key tasks have, beside the shared Case: the task's own fields, its milestones,
the committee's dispatches (调度) and the progress reports the lead offices send to them.

None of these rows holds a state the engine owns: a milestone is marked done, a dispatch
started and a report recorded only inside the key task's transitions (lvzhi.keytasks.workflow).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lvzhi.core.models import Congress, Organization


class Category(models.TextChoices):
    LEGISLATION = "立法", "立法工作"
    SUPERVISION = "监督", "监督工作"
    DEPUTIES = "代表工作", "代表工作"
    SELF = "自身建设", "自身建设"
    OTHER = "其他", "其他重点工作"


class KeyTaskDetail(models.Model):
    """年度重点任务: one item of the standing committee's yearly list (项目化、清单化、责任化)."""

    case = models.OneToOneField("cases.Case", models.CASCADE, related_name="key_task_detail")
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    responsible_leader = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                           blank=True, related_name="key_tasks_led",
                                           verbose_name="责任领导")
    due_on = models.DateField("完成时限")
    # The offices the list names; the real hand-over is the shared 交办 (Assignment rows).
    planned_lead = models.ForeignKey(Organization, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="牵头部门（清单）")
    planned_co = models.ManyToManyField(Organization, blank=True, related_name="+",
                                        verbose_name="配合部门（清单）")
    evidence = models.TextField("销号佐证", blank=True)
    evidence_at = models.DateTimeField("提请销号时间", null=True, blank=True)
    returned_reason = models.TextField("退回理由", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度重点任务"

    def __str__(self) -> str:
        return f"{self.year}年 {self.case.title}"

    @property
    def last_report(self) -> ProgressReport | None:
        return self.case.progress_reports.order_by("-reported_at", "-id").first()

    @property
    def days_left(self) -> int:
        """Days to the due date (negative: overdue), for the panel."""
        return (self.due_on - timezone.localdate()).days

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def closed_on_time(self) -> bool | None:
        closed = self.case.closed_at
        return None if closed is None else timezone.localdate(closed) <= self.due_on

    @property
    def milestones_done(self) -> int:
        return sum(1 for m in self.case.milestones.all() if m.done_at)


class Milestone(models.Model):
    """工作节点: a dated step of a task; the lead office marks it done."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=200)
    due_on = models.DateField("计划完成")
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    note = models.CharField("完成情况", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作节点"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.due_on:%Y-%m-%d} {self.title}"

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def late(self) -> bool:
        """Done after its date, or not done and its date has passed."""
        done_on = timezone.localdate(self.done_at) if self.done_at else timezone.localdate()
        return done_on > self.due_on


class Dispatch(models.Model):
    """调度: the office asks every task in progress for its progress by `due_on`."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="key_task_dispatches")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveSmallIntegerField("次序")
    title = models.CharField("调度", max_length=60)
    due_on = models.DateField("报送截止")
    note = models.CharField("调度要求", max_length=300, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    started_at = models.DateTimeField("发起时间", default=timezone.now)
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="dispatches",
                                   verbose_name="调度的任务")

    class Meta:
        verbose_name = verbose_name_plural = "重点任务调度"
        ordering = ["-started_at", "-id"]
        unique_together = [("congress", "year", "seq")]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """进展报告: what the lead office reports at a dispatch (or on its own initiative)."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="progress_reports")
    dispatch = models.ForeignKey(Dispatch, models.SET_NULL, null=True, blank=True,
                                 related_name="reports", verbose_name="调度")
    unit = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="报送部门")
    text = models.TextField("进展情况")
    percent = models.PositiveSmallIntegerField("完成进度(%)")
    milestone = models.ForeignKey(Milestone, models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name="完成的节点")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reported_at = models.DateTimeField("报送时间", default=timezone.now)
    on_time = models.BooleanField("按时报送", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "进展报告"
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.percent}%"
