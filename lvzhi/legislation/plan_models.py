"""The annual legislative plan (年度立法计划) and the legislative suggestions (立法建议) it draws on.

- `LegislativePlan`: one congress's plan for one year, drawn up by the 法工委, passed by the
  主任会议 and published (立法法 第五十六条).
- `PlanItem`: one project of the plan: 正式项目 (审议项目, to be read this year), 预备项目 (to be
  read when ready) or 调研项目 (studied). It links the deputies' motions that ask for the law
  (第五十六条 "认真研究代表议案和建议") and the legislative suggestions it takes up, and the bill
  opened for it.
- `PlanAdjustment`: each mid-year change of a published plan (added, moved between kinds,
  dropped), with its reason and date.
- `LegislativeSuggestion`: a suggestion received during the year through one channel, and what
  became of it (采纳: 列入计划 or 吸收; 未采纳 with a reason).

Imported from the end of lvzhi.legislation.models.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import Congress, Organization
from lvzhi.legislation.choices import Action

__all__ = ["ItemKind", "LegislativePlan", "LegislativeSuggestion", "PlanAdjustment", "PlanAdjustmentKind",
           "PlanItem", "PlanState", "SuggestionChannel", "SuggestionOutcome"]


class PlanState(models.TextChoices):
    DRAFTING = "drafting", "编制中"
    APPROVED = "approved", "主任会议通过"
    PUBLISHED = "published", "已公布"


class ItemKind(models.TextChoices):
    FORMAL = "formal", "正式项目"  # 审议项目: to be read this year
    RESERVE = "reserve", "预备项目"  # read when the draft is ready
    RESEARCH = "research", "调研项目"  # studied this year


class PlanAdjustmentKind(models.TextChoices):
    ADDED = "added", "增加项目"
    MOVED = "moved", "调整项目类别"
    DROPPED = "dropped", "取消项目"


class SuggestionChannel(models.TextChoices):
    PUBLIC = "public", "社会公众"
    DEPUTY = "deputy", "人大代表"
    CONTACT_POINT = "contact_point", "基层立法联系点"
    COMMITTEE = "committee", "专门委员会"
    GOVERNMENT = "government", "政府部门"
    OTHER = "other", "其他"


class SuggestionOutcome(models.TextChoices):
    PENDING = "", "待研究"
    LISTED = "listed", "采纳：列入计划"
    ABSORBED = "absorbed", "采纳：吸收"
    DECLINED = "declined", "未采纳"


ADOPTED = (SuggestionOutcome.LISTED, SuggestionOutcome.ABSORBED)


class LegislativePlan(models.Model):
    congress = models.ForeignKey(Congress, models.CASCADE, related_name="legislative_plans")
    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField("状态", max_length=12, choices=PlanState.choices, default=PlanState.DRAFTING)
    approved_on = models.DateField("主任会议通过日期", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approval_note = models.CharField("主任会议意见", max_length=300, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度立法计划"
        constraints = [models.UniqueConstraint(fields=["congress", "year"], name="legislative_plan_year")]

    def __str__(self) -> str:
        return f"{self.congress.short_name}{self.year}年度立法计划"

    def get_absolute_url(self) -> str:
        return reverse("legislation:plan") + f"?year={self.year}"

    @property
    def is_published(self) -> bool:
        return self.state == PlanState.PUBLISHED


class PlanItem(models.Model):
    plan = models.ForeignKey(LegislativePlan, models.CASCADE, related_name="items")
    kind = models.CharField("项目类别", max_length=10, choices=ItemKind.choices, default=ItemKind.FORMAL)
    title = models.CharField("项目名称", max_length=200, help_text="如 北辰市物业管理条例（修订）")
    action = models.CharField("立法行为", max_length=16, choices=Action.choices, default=Action.ENACT)
    regulation = models.ForeignKey("legislation.Regulation", models.SET_NULL, null=True, blank=True,
                                   related_name="plan_items", verbose_name="现行法规",
                                   help_text="修改、修订、废止的，选择现行法规")
    drafting_body = models.CharField("起草单位", max_length=100, blank=True)
    committee = models.ForeignKey(Organization, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="牵头专门委员会")
    planned_readings = models.CharField("计划审议时间", max_length=100, blank=True,
                                        help_text="如 4月一审、8月二审")
    bill = models.OneToOneField("legislation.Bill", models.SET_NULL, null=True, blank=True,
                                related_name="plan_item", verbose_name="法规案")
    note = models.TextField("备注", blank=True)
    dropped = models.BooleanField("已取消", default=False)
    motions = models.ManyToManyField("cases.Case", blank=True, related_name="legislative_plan_items",
                                     verbose_name="相关代表议案")
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "立法计划项目"
        ordering = ["plan", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("legislation:plan_item", args=[self.pk])


class PlanAdjustment(models.Model):
    plan = models.ForeignKey(LegislativePlan, models.CASCADE, related_name="adjustments")
    item = models.ForeignKey(PlanItem, models.CASCADE, related_name="adjustments", verbose_name="项目")
    kind = models.CharField("调整类型", max_length=10, choices=PlanAdjustmentKind.choices)
    old_kind = models.CharField("原类别", max_length=10, choices=ItemKind.choices, blank=True)
    new_kind = models.CharField("调整后类别", max_length=10, choices=ItemKind.choices, blank=True)
    reason = models.TextField("调整理由")
    decided_on = models.DateField("调整日期", default=timezone.localdate)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "立法计划调整"
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.item.title}"


class LegislativeSuggestion(models.Model):
    congress = models.ForeignKey(Congress, models.CASCADE, related_name="legislative_suggestions")
    year = models.PositiveSmallIntegerField("年度")
    channel = models.CharField("来源渠道", max_length=16, choices=SuggestionChannel.choices)
    proposer = models.CharField("建议人", max_length=100)
    contact_point = models.ForeignKey("legislation.ContactPoint", models.SET_NULL, null=True, blank=True,
                                      related_name="suggestions", verbose_name="基层立法联系点")
    title = models.CharField("建议项目", max_length=200)
    text = models.TextField("建议内容")
    received_on = models.DateField("收到日期")
    item = models.ForeignKey(PlanItem, models.SET_NULL, null=True, blank=True, related_name="suggestions",
                             verbose_name="关联计划项目")
    outcome = models.CharField("处理结果", max_length=10, choices=SuggestionOutcome.choices, blank=True,
                               default=SuggestionOutcome.PENDING)
    outcome_reason = models.CharField("处理说明", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "立法建议"
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["congress", "year"], name="leg_suggestion_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("legislation:suggestions") + f"?year={self.year}#s{self.pk}"

    @property
    def adopted(self) -> bool:
        return self.outcome in ADOPTED
