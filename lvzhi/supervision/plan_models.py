"""The annual supervision plan (年度监督工作计划): candidate topics collected through the six
channels of 监督法 第十二条, screened and scored by the committees, decided by the 主任会议, the
plan it approves and publishes (第六十三条), and each mid-year adjustment it makes.

A candidate the 主任会议 accepts becomes a `Topic` of the plan; the topic's own fields (form,
lead committee, members, deputies, schedule, meeting date, joint congresses) are on Topic.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from lvzhi.core.models import Congress

# Imported from the end of models.py, after TopicForm and Topic are defined.
from lvzhi.supervision.models import TopicForm
from lvzhi.supervision.plan_choices import (
    CRITERIA,
    AdjustmentKind,
    Channel,
    Decision,
    JointKind,
    PlanState,
    TopicStage,
)

__all__ = [
    "CRITERIA",
    "AdjustmentKind",
    "Channel",
    "Decision",
    "JointKind",
    "Plan",
    "PlanAdjustment",
    "PlanState",
    "TopicCandidate",
    "TopicStage",
]


class Plan(models.Model):
    """One congress's supervision plan for one year."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="supervision_plans")
    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField("状态", max_length=12, choices=PlanState.choices, default=PlanState.DRAFTING)
    approved_at = models.DateTimeField("主任会议通过时间", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approval_note = models.CharField("主任会议意见", max_length=300, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度监督工作计划"
        constraints = [models.UniqueConstraint(fields=["congress", "year"], name="supervision_plan_year")]

    def __str__(self) -> str:
        return f"{self.congress.short_name}{self.year}年度监督工作计划"

    @property
    def is_published(self) -> bool:
        return self.state == PlanState.PUBLISHED


class TopicCandidate(models.Model):
    """议题征集: a candidate topic, who proposed it through which channel, its scores and the
    主任会议's decision."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="supervision_candidates")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("候选议题", max_length=200)
    channel = models.CharField("来源渠道", max_length=16, choices=Channel.choices)
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name="提出人")
    proposer_name = models.CharField("提出人或单位", max_length=100)
    reason = models.TextField("立项理由")
    source_ref = models.CharField("线索来源", max_length=200, blank=True,
                                  help_text="如 热点话题“物业服务”、信访件汇总、执法检查报告")
    form = models.CharField("建议监督形式", max_length=20, blank=True,
                            choices=TopicForm.choices)
    importance = models.PositiveSmallIntegerField("重要性", null=True, blank=True,
                                                  validators=[MaxValueValidator(100)])
    urgency = models.PositiveSmallIntegerField("紧迫性", null=True, blank=True, validators=[MaxValueValidator(100)])
    feasibility = models.PositiveSmallIntegerField("可行性", null=True, blank=True,
                                                   validators=[MaxValueValidator(100)])
    score = models.PositiveSmallIntegerField("综合评分", null=True, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    scored_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField("主任会议决定", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decision_note = models.CharField("决定意见", max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    topic = models.OneToOneField("supervision.Topic", models.SET_NULL, null=True, blank=True,
                                 related_name="candidate", verbose_name="列入的议题")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "候选监督议题"
        ordering = ["-score", "id"]
        indexes = [models.Index(fields=["congress", "year"], name="supervision_cand_year")]

    def __str__(self) -> str:
        return self.title


class PlanAdjustment(models.Model):
    """第六十三条 "可以根据实际需要作出适当调整": one change to a published plan."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="adjustments")
    topic = models.ForeignKey("supervision.Topic", models.PROTECT, related_name="adjustments",
                              verbose_name="议题")
    kind = models.CharField("调整类型", max_length=12, choices=AdjustmentKind.choices)
    reason = models.TextField("调整理由")
    detail = models.CharField("调整内容", max_length=300, blank=True)
    old_meeting_on = models.DateField("原会议日期", null=True, blank=True)
    new_meeting_on = models.DateField("调整后会议日期", null=True, blank=True)
    decided_at = models.DateTimeField("主任会议决定时间", default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "监督计划调整"
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.topic.title}"

