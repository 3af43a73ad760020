"""Supervision's records beside the engine: topics of the annual plan, the 审议意见 a topic
produces, and the problem list's own rows. A problem itself is a Case of kind `problem`; its
fields live in ProblemDetail (one-to-one), never as columns on Case, and nothing here holds a
state the engine owns: only the problem's transitions write ProblemDetail and RectifyReport.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lvzhi.core.models import Congress, Organization
from lvzhi.supervision.plan_choices import JointKind, TopicStage


class TopicForm(models.TextChoices):
    """The forms of supervision (GLOSSARY.md, 监督法 2024)."""

    WORK_REPORT = "work_report", "听取审议专项工作报告"
    LAW_INSPECTION = "law_inspection", "执法检查"
    INQUIRY = "inquiry", "专题询问"
    APPRAISAL = "appraisal", "工作评议"
    RESEARCH = "research", "专题调研"
    VISIT = "visit", "视察"


class Topic(models.Model):
    """监督议题: one topic of the year's supervision plan, led by a committee."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="supervision_topics")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("议题", max_length=200)
    form = models.CharField("监督形式", max_length=20, choices=TopicForm.choices)
    lead_committee = models.ForeignKey(Organization, models.PROTECT, related_name="supervision_topics",
                                       verbose_name="牵头委员会")
    supervised_body = models.CharField("监督对象", max_length=100, blank=True,
                                       help_text="如 市人民政府、市中级人民法院")
    meeting_on = models.DateField("常委会会议日期", null=True, blank=True)
    summary = models.TextField("工作安排", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The annual plan's fields (plan_models.py; 监督法 第十二条、第六十三条).
    plan = models.ForeignKey("supervision.Plan", models.PROTECT, null=True, blank=True, related_name="topics",
                             verbose_name="年度监督工作计划")
    stage = models.CharField("议题状态", max_length=12, default="planned",
                             choices=TopicStage.choices)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="supervision_topics",
                                     verbose_name="参加的常委会组成人员")
    deputies = models.ManyToManyField("deputies.Deputy", blank=True, related_name="supervision_topics",
                                      verbose_name="参加的人大代表")
    schedule = models.TextField("工作安排（时间节点）", blank=True, help_text="每行一个节点，如 2026-03 制定方案")
    joint_kind = models.CharField("三级联动", max_length=12, blank=True, default="",
                                  choices=JointKind.choices)
    joint_with = models.ManyToManyField(Congress, blank=True, related_name="joint_supervision_topics",
                                        verbose_name="联动的人大")
    # 打捆督办 (lvzhi.cases.Bundle): the suggestions the committee gathered under the topic show on it
    # (the seeds bundled 107 suggestions under 24 topics).
    bundles = models.ManyToManyField("cases.Bundle", blank=True, related_name="supervision_topics",
                                     verbose_name="关联的打捆督办专题")

    class Meta:
        verbose_name = verbose_name_plural = "监督议题"
        ordering = ["-year", "meeting_on", "id"]
        indexes = [models.Index(fields=["congress", "year"], name="supervision_topic_year")]

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}（{self.get_form_display()}）"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("supervision:topic", args=[self.pk])


class OpinionState(models.TextChoices):
    DRAFTING = "drafting", "起草中"
    PENDING = "pending", "待主任会议审定"
    APPROVED = "approved", "已审定待交办"
    SENT = "sent", "已交办待报告"
    REPORTED = "reported", "已报告研究处理情况"


class Opinion(models.Model):
    """审议意见: what the committee's deliberation of a topic sends to the government (监督法
    第十七条): an overall evaluation, the problems found (each a `problem` case), the suggestions
    and the date its 研究处理情况报告 is due. Moved only by lvzhi.supervision.opinions; each
    step is on the audit chain."""

    topic = models.ForeignKey(Topic, models.CASCADE, related_name="opinions", verbose_name="监督议题")
    title = models.CharField("标题", max_length=200)
    number = models.CharField("文号", max_length=60, blank=True)
    state = models.CharField("状态", max_length=12, choices=OpinionState.choices, default=OpinionState.DRAFTING)
    recipient = models.CharField("交办对象", max_length=100, default="市人民政府")
    evaluation = models.TextField("总体评价", blank=True)
    suggestions = models.TextField("改进工作的意见", blank=True)
    # 决议 (第十七条): its execution report has its own date.
    resolution = models.BooleanField("常委会作出决议", default=False)
    resolution_due_on = models.DateField("决议执行情况报告期限", null=True, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+")
    approved_at = models.DateTimeField("主任会议通过时间", null=True, blank=True)
    send_due_on = models.DateField("交办期限", null=True, blank=True)
    sent_at = models.DateTimeField("交办时间", null=True, blank=True)
    report_due_on = models.DateField("研究处理情况报告期限", null=True, blank=True)
    report_received_at = models.DateTimeField("收到研究处理情况报告", null=True, blank=True)
    report_text = models.TextField("研究处理情况报告", blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审议意见"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("supervision:opinion", args=[self.pk])


class ProblemDetail(models.Model):
    """A problem's own fields: the committee that supervises it, the opinion it came from, the
    整改 requirement and date, and the evidence it was put up for 销号 with."""

    case = models.OneToOneField("cases.Case", models.CASCADE, related_name="problem_detail")
    committee = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="监督委员会")
    opinion = models.ForeignKey(Opinion, models.PROTECT, null=True, blank=True, related_name="problems",
                                verbose_name="审议意见")
    requirement = models.TextField("整改要求", blank=True)
    due_on = models.DateField("整改时限")
    evidence = models.TextField("销号佐证", blank=True)
    evidence_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "问题清单条目"
        indexes = [models.Index(fields=["committee"], name="supervision_problem_committee")]

    def __str__(self) -> str:
        return f"问题：{self.case_id}"


class RectifyReport(models.Model):
    """整改方案、进展 and the final 整改报告 of one responsible unit."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="rectify_reports")
    unit = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="责任单位")
    round = models.PositiveSmallIntegerField("整改轮次", default=1)
    final = models.BooleanField("整改报告", default=False)
    text = models.TextField("整改情况")
    percent = models.PositiveSmallIntegerField("完成进度(%)", default=0)
    evidence = models.TextField("佐证材料", blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reported_at = models.DateTimeField("报送时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "整改报告"
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {'整改报告' if self.final else '整改进展'} {self.percent}%"


# Each part of supervision keeps its models in its own module; Django finds them through here.
from lvzhi.supervision.activity_models import *  # noqa: F403,E402
from lvzhi.supervision.plan_models import *  # noqa: F403,E402
