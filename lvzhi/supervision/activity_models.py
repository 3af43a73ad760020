"""The records of the five forms of supervision, each attached to a Topic (its `form` says
which apply): 专项工作报告 steps (监督法第十四、十五条), 执法检查 plan, 检查组, on-site checks and
report (第三十三至三十六条), 专题询问 questions, officials present and follow-up items (第四十七至
五十条), 工作评议/两官履职评议 appraisees, criteria and score sheets, and 专题调研/视察 visits and
report. Writes go through lvzhi.supervision.activity_services only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

__all__ = [
    "ActivityReport", "Appraisee", "AppraiseeKind", "CheckKind", "Criterion", "FollowUp",
    "InquiryOfficial", "InspectionMember", "InspectionPlan", "Question", "Score", "ScoreSheet",
    "SiteCheck", "Visit", "WorkReportStep",
]

USER = settings.AUTH_USER_MODEL


class WorkReportStep(models.Model):
    """One step of a 专项工作报告 done: when, by whom, with the 文号 or file note. Its deadline is
    not stored: lvzhi.supervision.timeline computes it from the meeting date and the rule set."""

    topic = models.ForeignKey("supervision.Topic", models.CASCADE, related_name="report_steps")
    step = models.CharField("环节", max_length=20)
    done_on = models.DateField("完成日期")
    note = models.TextField("文号或说明", blank=True)
    done_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "专项工作报告环节"
        constraints = [models.UniqueConstraint(fields=["topic", "step"], name="supervision_step_once")]


class InspectionPlan(models.Model):
    """执法检查方案: the law checked, the scope and the dates."""

    topic = models.OneToOneField("supervision.Topic", models.CASCADE, related_name="inspection_plan")
    law = models.CharField("检查的法律法规", max_length=200)
    scope = models.TextField("检查范围和重点")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    updated_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "执法检查方案"


class InspectionMember(models.Model):
    """检查组成员; deputies may be invited (第三十三条)."""

    topic = models.ForeignKey("supervision.Topic", models.CASCADE, related_name="inspection_members")
    user = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="成员")
    duty = models.CharField("职务", max_length=20, default="成员")

    class Meta:
        verbose_name = verbose_name_plural = "检查组成员"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="supervision_member_once")]


class CheckKind(models.TextChoices):
    """第三十五条's forms of checking."""

    MEETING = "meeting", "座谈会"
    SITE = "site", "实地检查"
    SURVEY = "survey", "问卷调查"
    SPOT = "spot", "抽查"
    THIRD_PARTY = "third_party", "第三方评估"


class SiteCheck(models.Model):
    """One check logged, with an optional file or photo."""

    topic = models.ForeignKey("supervision.Topic", models.CASCADE, related_name="site_checks")
    kind = models.CharField("检查方式", max_length=20, choices=CheckKind.choices)
    held_on = models.DateField("日期")
    place = models.CharField("地点", max_length=200)
    participants = models.CharField("参加人员", max_length=500, blank=True)
    notes = models.TextField("检查情况")
    attachment = models.FileField("附件或照片", upload_to="supervision/checks/%Y/", blank=True)
    recorded_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "执法检查记录"
        ordering = ["held_on", "id"]


class ActivityReport(models.Model):
    """The report a form ends with: the 执法检查报告 (evaluation, problems, suggestions and
    suggested amendments, 第三十六条) or the 调研/视察报告 (findings and the report)."""

    topic = models.OneToOneField("supervision.Topic", models.CASCADE, related_name="activity_report")
    evaluation = models.TextField("法律法规实施情况评价", blank=True)
    problems = models.TextField("存在的问题", blank=True)
    suggestions = models.TextField("改进执法工作的建议", blank=True)
    amendments = models.TextField("修改完善法律法规的建议", blank=True)
    findings = models.TextField("发现的问题", blank=True)
    text = models.TextField("报告正文", blank=True)
    done_on = models.DateField("报告日期")
    done_by = models.ForeignKey(USER, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "检查（调研）报告"


class InquiryOfficial(models.Model):
    """A responsible official who must attend (第四十八条 "负责人应当到会")."""

    topic = models.ForeignKey("supervision.Topic", models.CASCADE, related_name="inquiry_officials")
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("单位及职务", max_length=100)
    present = models.BooleanField("到会", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "应询负责人"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"


class Question(models.Model):
    """A member's question, to whom, and the answer given."""

    topic = models.ForeignKey("supervision.Topic", models.CASCADE, related_name="inquiry_questions")
    asker = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="询问人")
    text = models.TextField("询问问题")
    addressed_to = models.ForeignKey(InquiryOfficial, models.PROTECT, related_name="questions",
                                     verbose_name="应询人")
    answer = models.TextField("答复要点", blank=True)
    recorded_by = models.ForeignKey(USER, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "询问问题"
        ordering = ["id"]


class FollowUp(models.Model):
    """An item the inquiry sends on; the body reports how it was handled (第五十条)."""

    topic = models.ForeignKey("supervision.Topic", models.CASCADE, related_name="inquiry_follow_ups")
    item = models.TextField("交办事项")
    body = models.CharField("研究处理机关", max_length=100)
    due_on = models.DateField("报告期限")
    reported_on = models.DateField("已报告日期", null=True, blank=True)
    report = models.TextField("研究处理情况", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "询问交办事项"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.item[:40]}（{self.body}）"


class AppraiseeKind(models.TextChoices):
    BODY = "body", "被评议单位"
    OFFICIAL = "official", "政府组成人员"
    JUDGE = "judge", "法官（常委会任命）"
    PROSECUTOR = "prosecutor", "检察官（常委会任命）"


class Appraisee(models.Model):
    """One official or body appraised."""

    topic = models.ForeignKey("supervision.Topic", models.CASCADE, related_name="appraisees")
    kind = models.CharField("类别", max_length=20, choices=AppraiseeKind.choices)
    name = models.CharField("姓名或单位", max_length=100)
    post = models.CharField("职务", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评议对象"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """An evaluation criterion and its weight (per cent of the total)."""

    topic = models.ForeignKey("supervision.Topic", models.CASCADE, related_name="criteria")
    name = models.CharField("评议内容", max_length=100)
    weight = models.PositiveSmallIntegerField("权重（%）")

    class Meta:
        verbose_name = verbose_name_plural = "评议指标"
        ordering = ["id"]


class ScoreSheet(models.Model):
    """One member's sheet for one appraisee: one score per criterion, each 0–100."""

    appraisee = models.ForeignKey(Appraisee, models.CASCADE, related_name="sheets")
    member = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="评议人")
    recorded_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "评议打分表"
        constraints = [models.UniqueConstraint(fields=["appraisee", "member"], name="supervision_sheet_once")]


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField("分数")

    class Meta:
        verbose_name = verbose_name_plural = "评议分数"
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="supervision_score_once")]


class Visit(models.Model):
    """一次调研或视察: date, place, who took part, what was found."""

    topic = models.ForeignKey("supervision.Topic", models.CASCADE, related_name="visits")
    visited_on = models.DateField("日期")
    place = models.CharField("地点", max_length=200)
    participants = models.CharField("参加人员", max_length=500)
    notes = models.TextField("调研情况")
    recorded_by = models.ForeignKey(USER, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "调研视察记录"
        ordering = ["visited_on", "id"]
