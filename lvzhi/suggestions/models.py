"""What only motions and suggestions have, beside the shared Case."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class SuggestionDetail(models.Model):
    case = models.OneToOneField("cases.Case", models.CASCADE, related_name="suggestion_detail")
    confidential = models.BooleanField(
        "要求保密", default=False, help_text="青岛条例第十八条：应代表要求为其保密，不予公开")

    class Meta:
        verbose_name = verbose_name_plural = "建议信息"


class MotionDetail(models.Model):
    """代表法第十五条: an 议案 has 案由, 案据 and 方案."""

    case = models.OneToOneField("cases.Case", models.CASCADE, related_name="motion_detail")
    cause = models.TextField("案由")
    basis = models.TextField("案据")
    plan = models.TextField("方案")
    committee = models.ForeignKey("core.Organization", models.PROTECT, null=True, blank=True,
                                  related_name="motions", verbose_name="审议专门委员会")
    committee_result = models.TextField("审议结果", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "议案信息"


# A queued or running job that has not moved for this long has lost its worker.
IMPORT_STALLED_AFTER = dt.timedelta(minutes=2)


class ImportJobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "未完成"


class ImportJob(models.Model):
    """One confirmed secretariat import (lvzhi.suggestions.importing.run_import_job): the file
    itself, kept until the job is done, and how far the batches got. A job stopped half-way
    (failed, or its worker gone) is continued by running it again: rows whose 原始编号 is already
    on a case are skipped, so nothing is imported twice."""

    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="+")
    session = models.ForeignKey("core.Session", models.PROTECT, related_name="+",
                                verbose_name="会议")
    filename = models.CharField("文件名", max_length=200)
    data = models.BinaryField("文件内容", editable=False)
    file_sm3 = models.CharField("文件SM3摘要", max_length=64)
    state = models.CharField("状态", max_length=10, choices=ImportJobState.choices,
                             default=ImportJobState.QUEUED)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已处理行数", default=0, help_text="已导入与已导入过而跳过的行")
    imported = models.PositiveIntegerField("本任务导入件数", default=0)
    skipped = models.PositiveIntegerField("开始前已导入过的件数", default=0)
    error = models.TextField("未完成原因", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name="导入人")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    updated_at = models.DateTimeField("最近进展", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "建议导入任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["congress", "state"], name="suggest_importjob_state")]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_state_display()}）"

    @property
    def active(self) -> bool:
        """Queued or running: the page keeps polling."""
        return self.state in (ImportJobState.QUEUED, ImportJobState.RUNNING)

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)

    @property
    def stalled(self) -> bool:
        return self.active and self.updated_at < timezone.now() - IMPORT_STALLED_AFTER

    @property
    def resumable(self) -> bool:
        """Offered 继续导入: it stopped (failed) or its worker is gone (stalled)."""
        return self.state == ImportJobState.FAILED or self.stalled
