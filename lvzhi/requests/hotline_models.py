"""12345 hotline orders under deputies' supervision (kind `hotline_order`).

An order is a Case of kind `hotline_order`, imported from the 12345 system's export; what only an
order has lives in HotlineOrderDetail, written only by the kind's transitions. The 12345 system
stays the order's owner: an import refreshes what it says (承办单位, 时限, 状态) and keeps the
deputies' own record (who supervises it, the follow-ups, the closure and the citizen's rating).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

__all__ = ["FollowWay", "HotlineImport", "HotlineOrderDetail", "HotlineRating"]


class HotlineRating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"
    NONE = "none", "未评价"


class FollowWay(models.TextChoices):
    NOTE = "note", "跟踪记录"
    VISIT = "visit", "走访群众"
    URGE = "urge", "督促承办单位"
    MEET_UNIT = "meet_unit", "约见承办单位"


class HotlineImport(models.Model):
    """One upload of the 12345 export, with what it did (the report shown after it)."""

    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="hotline_imports")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField("导入时间", default=timezone.now)
    filename = models.CharField("文件名", max_length=200)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "12345工单导入"
        ordering = ["-at", "-id"]


class HotlineOrderDetail(models.Model):
    case = models.OneToOneField("cases.Case", models.CASCADE, related_name="hotline_detail")
    # The case's congress again, so that one congress holds a 工单号 once (the import's key).
    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="+")
    order_no = models.CharField("工单号", max_length=40)
    unit_name = models.CharField("承办单位", max_length=100, blank=True)
    unit = models.ForeignKey("core.Organization", models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name="对应的承办单位")
    accepted_on = models.DateField("受理时间", null=True, blank=True)
    due_on = models.DateField("时限", null=True, blank=True)
    source_status = models.CharField("12345状态", max_length=20, blank=True)
    deputy = models.ForeignKey("deputies.Deputy", models.PROTECT, null=True, blank=True,
                               related_name="hotline_orders", verbose_name="督办代表")
    assigned_at = models.DateTimeField("分派时间", null=True, blank=True)
    closure = models.TextField("办结情况", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    rating = models.CharField("群众评价", max_length=12, choices=HotlineRating.choices, blank=True)
    last_import = models.ForeignKey(HotlineImport, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "12345工单"
        constraints = [models.UniqueConstraint(fields=["congress", "order_no"], name="hotline_order_once")]
        indexes = [models.Index(fields=["deputy", "assigned_at"], name="hotline_order_deputy")]

    def __str__(self) -> str:
        return f"{self.order_no} {self.case.title}"
