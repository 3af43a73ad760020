"""The 发文目录, special reviews and the annual report's records (北京 第十三、十八、二十一、三十六、四十条).

Written only by the services in catalogue.py, special.py and report.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lvzhi.core.models import Congress
from lvzhi.filing.choices import Criterion, DocKind

__all__ = [
    "AnnualReport",
    "Catalogue",
    "CatalogueEntry",
    "EntryAction",
    "Handling",
    "ItemConclusion",
    "SpecialItem",
    "SpecialReview",
    "SpecialState",
    "SpecialTrigger",
]


class EntryAction(models.TextChoices):
    MADE = "made", "制定"
    AMENDED = "amended", "修改"
    REPEALED = "repealed", "废止"


class Catalogue(models.Model):
    """一个制定机关一年的发文目录 (北京 第十三条: 每年一月底前报送上一年度制定、修改、废止的目录)."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="filing_catalogues")
    body = models.ForeignKey("filing.FilingBody", models.PROTECT, related_name="catalogues", verbose_name="制定机关")
    year = models.PositiveSmallIntegerField("目录年度")
    due_on = models.DateField("报送期限")
    submitted_at = models.DateTimeField("报送时间", default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "发文目录"
        ordering = ["-year", "body__name"]
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="filing_catalogue_once")]

    def __str__(self) -> str:
        return f"{self.body.name}{self.year}年度发文目录"

    @property
    def late(self) -> bool:
        return timezone.localtime(self.submitted_at).date() > self.due_on


class CatalogueEntry(models.Model):
    """目录中的一件文件；制定、修改的按文号与备案文件比对，找不到即为漏报。"""

    catalogue = models.ForeignKey(Catalogue, models.CASCADE, related_name="entries")
    doc_number = models.CharField("文号", max_length=60)
    title = models.CharField("文件名称", max_length=200)
    action = models.CharField("类别", max_length=10, choices=EntryAction.choices, default=EntryAction.MADE)
    published_on = models.DateField("公布日期")
    filing = models.ForeignKey("filing.FilingDetail", models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name="对应备案文件")
    # Set once when the catalogue is checked and kept: a 漏报 stays counted after it is filed late.
    missing = models.BooleanField("漏报", default=False)
    resolved_at = models.DateTimeField("补报确认时间", null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "发文目录条目"
        ordering = ["catalogue", "published_on", "id"]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("filing:catalogue_missing")


class SpecialTrigger(models.TextChoices):
    """北京 第十八条: 专项审查的情形。"""

    POLICY = "policy", "党中央重大决策部署或者国家重大改革需要"
    UPPER_LAW = "upper_law", "上位法制定、修改、废止"
    WORK = "work", "常委会审议、执法检查等工作中发现问题"
    PUBLIC = "public", "社会关注度高或者审查建议集中反映"
    OTHER = "other", "常委会工作安排的其他情形"


class SpecialState(models.TextChoices):
    OPEN = "open", "审查中"
    REPORTED = "reported", "已向主任会议报告"
    CLOSED = "closed", "已结束"


class SpecialReview(models.Model):
    """专项审查或者集中清理：按领域、文件类别、制定机关、年度选取文件，逐件作出审查结论。"""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="filing_special_reviews")
    title = models.CharField("名称", max_length=200)
    cleanup = models.BooleanField("集中清理", default=False)
    trigger = models.CharField("启动情形", max_length=16, choices=SpecialTrigger.choices)
    subject = models.CharField("涉及领域", max_length=60, blank=True, help_text="如 民营经济")
    criterion = models.CharField("审查标准", max_length=20, choices=Criterion.choices, blank=True)
    doc_kind = models.CharField("文件类别", max_length=24, choices=DocKind.choices, blank=True)
    body = models.ForeignKey("filing.FilingBody", models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="制定机关")
    year = models.PositiveSmallIntegerField("文号年份", null=True, blank=True)
    state = models.CharField("状态", max_length=10, choices=SpecialState.choices, default=SpecialState.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reported_on = models.DateField("主任会议听取日期", null=True, blank=True)
    report_text = models.TextField("向主任会议报告的情况", blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专项审查"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("filing:special_detail", args=[self.pk])


class ItemConclusion(models.TextChoices):
    PENDING = "pending", "待审查"
    NO_PROBLEM = "no_problem", "未发现问题"
    PROBLEM = "problem", "存在问题"


class Handling(models.TextChoices):
    AMEND = "amend", "修改"
    REPEAL = "repeal", "废止"
    KEEP = "keep", "保留"


class SpecialItem(models.Model):
    review = models.ForeignKey(SpecialReview, models.CASCADE, related_name="items")
    filing = models.ForeignKey("filing.FilingDetail", models.PROTECT, related_name="special_items")
    conclusion = models.CharField("审查结论", max_length=12, choices=ItemConclusion.choices,
                                  default=ItemConclusion.PENDING)
    criterion = models.CharField("审查标准", max_length=20, choices=Criterion.choices, blank=True)
    reason = models.TextField("理由", blank=True)
    handling = models.CharField("处理建议", max_length=10, choices=Handling.choices, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专项审查文件"
        ordering = ["review", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "filing"], name="filing_special_item_once")]

    def __str__(self) -> str:
        return f"{self.review.title}：{self.filing.doc_number}"

    def get_absolute_url(self) -> str:
        return self.review.get_absolute_url()


class AnnualReport(models.Model):
    """常委会工作机构关于某年度备案审查工作情况的报告 (监督法 第四十五条; 北京 第四十条)."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="filing_reports")
    year = models.PositiveSmallIntegerField("报告年度")
    title = models.CharField("标题", max_length=200)
    text = models.TextField("报告正文", blank=True)
    heard_on = models.DateField("常委会听取日期", null=True, blank=True)
    send_up_due_on = models.DateField("报送上级人大常委会期限", null=True, blank=True)
    sent_up_on = models.DateField("报送上级人大常委会日期", null=True, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "备案审查工作情况报告"
        constraints = [models.UniqueConstraint(fields=["congress", "year"], name="filing_report_once")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("filing:report_detail", args=[self.year])
