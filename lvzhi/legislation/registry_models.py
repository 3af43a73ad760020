"""The registry's records beside a regulation's versions: what its implementation asks for.

- `ImplementingRule` (配套规定): a regulation that tells a body to make specific rules; due one
  year after the regulation takes effect (立法法 第六十六条; the regulation may set another period).
- `Evaluation` (立法后评估, 立法法 第六十七条, 北京条例 第六十七条): who evaluated a regulation,
  how, what they found and what they concluded (继续施行 / 适时修改 / 废止).
- `Cleanup` (法规清理, 立法法 第一百一十六条, 北京条例 第六十八条): a campaign, 全面 or 专项, over a
  set of regulations; `CleanupFinding`: its finding on one regulation (保留 / 修改 / 废止) and the
  bill or version that carried it out.

The clocks are declared here, once, so every process that loads the models has them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases.clocks import Clock, register_clock
from lvzhi.core.models import Congress, Organization

__all__ = [
    "CLOCKS",
    "IMPLEMENTATION_REPORT",
    "IMPLEMENTATION_YEAR",
    "IMPLEMENTING_RULE_DUE",
    "Cleanup",
    "CleanupFinding",
    "CleanupScope",
    "CleanupState",
    "Conclusion",
    "Evaluation",
    "ImplementingRule",
    "Outcome",
    "RuleState",
]

IMPLEMENTING_RULE_DUE = "implementing_rule_due"
IMPLEMENTATION_YEAR = "implementation_year"
IMPLEMENTATION_REPORT = "implementation_report"

CLOCKS = (
    register_clock(Clock(IMPLEMENTING_RULE_DUE, "配套规定制定期限", "months", default=12, duty=True,
                         shown=False, remind=False,
                         basis="立法法第六十六条：自法规施行之日起一年内作出配套的具体规定，法规另有规定的从其规定")),
    register_clock(Clock(IMPLEMENTATION_YEAR, "法规施行满一年", "months", default=12, duty=False,
                         shown=False, remind=False, basis="山东省地方立法条例第七十五条：法规施行满一年后")),
    register_clock(Clock(IMPLEMENTATION_REPORT, "法规实施情况报告", "days", default=30, duty=True,
                         shown=False, remind=False,
                         basis="山东省地方立法条例第七十五条：满一年后三十日内，实施部门向常委会书面报告实施情况")),
)


class RuleState(models.TextChoices):
    ON_TIME = "on_time", "按期"
    OVERDUE = "overdue", "逾期"
    DONE = "done", "已出台"
    LATE_DONE = "late_done", "逾期出台"


class ImplementingRule(models.Model):
    regulation = models.ForeignKey("legislation.Regulation", models.CASCADE, related_name="implementing_rules",
                                   verbose_name="法规")
    version = models.ForeignKey("legislation.RegulationVersion", models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name="依据的法规版本")
    title = models.CharField("配套规定事项", max_length=200, help_text="如 物业服务收费管理办法")
    article = models.CharField("法规条款", max_length=40, blank=True, help_text="要求制定配套规定的条文，如 第二十条")
    responsible_body = models.CharField("制定机关", max_length=100, blank=True)
    responsible_unit = models.ForeignKey(Organization, models.SET_NULL, null=True, blank=True, related_name="+",
                                         verbose_name="制定单位")
    months = models.PositiveSmallIntegerField("法规规定的期限（月）", null=True, blank=True,
                                              help_text="法规对期限另有规定时填写；不填按立法法第六十六条一年")
    due_on = models.DateField("应出台日期", null=True, blank=True)
    done_on = models.DateField("出台日期", null=True, blank=True)
    document_title = models.CharField("文件名称", max_length=200, blank=True)
    document_number = models.CharField("文号", max_length=60, blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "配套规定"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"《{self.regulation.title}》配套规定：{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("legislation:regulation", args=[self.regulation_id]) + f"#rule-{self.pk}"

    @property
    def body(self) -> str:
        return self.responsible_unit.name if self.responsible_unit_id else self.responsible_body

    def state(self, today: dt.date | None = None) -> str:
        if self.done_on:
            return RuleState.LATE_DONE if self.due_on and self.done_on > self.due_on else RuleState.DONE
        today = today or timezone.localdate()
        return RuleState.OVERDUE if self.due_on and today > self.due_on else RuleState.ON_TIME

    def state_label(self, today: dt.date | None = None) -> str:
        return RuleState(self.state(today)).label


class Conclusion(models.TextChoices):
    CONTINUE = "continue", "继续施行"
    AMEND = "amend", "适时修改"
    REPEAL = "repeal", "建议废止"


class Evaluation(models.Model):
    regulation = models.ForeignKey("legislation.Regulation", models.CASCADE, related_name="evaluations",
                                   verbose_name="法规")
    year = models.PositiveSmallIntegerField("评估年度")
    body = models.CharField("评估主体", max_length=100, help_text="如 市人大常委会法工委、城建环资委，或委托的第三方")
    method = models.CharField("评估方式", max_length=200, blank=True,
                              help_text="如 问卷调查、实地调研、座谈会、第三方评估")
    findings = models.TextField("评估发现", blank=True)
    conclusion = models.CharField("评估结论", max_length=12, choices=Conclusion.choices, default=Conclusion.CONTINUE)
    done_on = models.DateField("评估报告完成日期", null=True, blank=True)
    report = models.FileField("评估报告", upload_to="legislation/evaluations/", blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "立法后评估"
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return f"《{self.regulation.title}》{self.year}年立法后评估"

    def get_absolute_url(self) -> str:
        return reverse("legislation:regulation", args=[self.regulation_id]) + f"#evaluation-{self.pk}"


class CleanupScope(models.TextChoices):
    COMPREHENSIVE = "comprehensive", "全面清理"
    SPECIAL = "special", "专项清理"


class CleanupState(models.TextChoices):
    OPEN = "open", "清理中"
    DECIDED = "decided", "已作出决定"


class Outcome(models.TextChoices):
    KEEP = "keep", "保留"
    AMEND = "amend", "修改"
    REPEAL = "repeal", "废止"


class Cleanup(models.Model):
    congress = models.ForeignKey(Congress, models.CASCADE, related_name="cleanups")
    title = models.CharField("清理名称", max_length=200, help_text="如 涉及民营经济发展的地方性法规专项清理")
    year = models.PositiveSmallIntegerField("年度")
    scope = models.CharField("清理方式", max_length=16, choices=CleanupScope.choices, default=CleanupScope.SPECIAL)
    subject = models.CharField("清理事项", max_length=200, blank=True, help_text="专项清理的事项，如 涉及民营经济发展")
    basis = models.TextField("清理依据", blank=True, help_text="上位法的制定、修改或者上级的工作要求")
    state = models.CharField("状态", max_length=12, choices=CleanupState.choices, default=CleanupState.OPEN)
    decided_on = models.DateField("常委会决定日期", null=True, blank=True)
    regulations = models.ManyToManyField("legislation.Regulation", related_name="cleanups", blank=True,
                                         verbose_name="清理范围")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField("立项时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "法规清理"
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("legislation:cleanup", args=[self.pk])


class CleanupFinding(models.Model):
    cleanup = models.ForeignKey(Cleanup, models.CASCADE, related_name="findings")
    regulation = models.ForeignKey("legislation.Regulation", models.CASCADE, related_name="cleanup_findings",
                                   verbose_name="法规")
    outcome = models.CharField("清理意见", max_length=12, choices=Outcome.choices)
    reason = models.TextField("理由", blank=True, help_text="如 与新修订的上位法不一致；已不适应改革发展需要")
    follow_up_bill = models.ForeignKey("legislation.Bill", models.SET_NULL, null=True, blank=True, related_name="+",
                                       verbose_name="落实的法规案")
    follow_up_version = models.ForeignKey("legislation.RegulationVersion", models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name="落实的法规版本")
    done_on = models.DateField("落实日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "法规清理意见"
        ordering = ["cleanup", "regulation__title"]
        constraints = [models.UniqueConstraint(fields=["cleanup", "regulation"], name="cleanup_finding_once")]

    def __str__(self) -> str:
        return f"{self.cleanup.title}：《{self.regulation.title}》{self.get_outcome_display()}"

    def get_absolute_url(self) -> str:
        return reverse("legislation:cleanup", args=[self.cleanup_id]) + f"#finding-{self.pk}"

    @property
    def is_done(self) -> bool:
        """保留 needs nothing more; 修改 and 废止 are done once the version that carried them out exists."""
        return self.outcome == Outcome.KEEP or bool(self.follow_up_version_id or self.done_on)
