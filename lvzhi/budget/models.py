"""预算联网监督: what the finance bureau, the audit office and the 国资委 send, kept as imported.

Every fact row belongs to one BudgetImport. An import is keyed by (congress, dataset, year,
month, source); importing the same key again with other figures makes a new revision and marks
the old one superseded, so the committee can always see what it was shown when. Queries read
only current revisions (`current()` on each fact manager).

Amounts are in 万元 with two decimals, as the finance bureaus' execution tables report them.
Classification codes (功能分类 / 经济分类 / 收入分类, 类/款/项) are the national 政府收支分类科目
(lvzhi/budget/codes.py); a department is a BudgetUnit, linked to the Organization that answers
its warnings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

AMOUNT = {"max_digits": 16, "decimal_places": 2}


class Book(models.TextChoices):
    """The four books (四本预算), 预算法 第五条."""

    GENERAL = "general", "一般公共预算"
    FUND = "fund", "政府性基金预算"
    SOE = "soe", "国有资本经营预算"
    SOCIAL = "social", "社会保险基金预算"


class Dataset(models.TextChoices):
    DRAFT = "draft", "预算草案"
    BUDGET = "budget", "批准的预算"
    EXECUTION = "execution", "月度执行"
    ADJUSTMENT = "adjustment", "预算调整和调剂"
    TRANSFER = "transfer", "转移支付"
    DEBT = "debt", "政府债务"
    SOE = "soe", "国有企业主要指标"
    AUDIT = "audit", "审计查出问题及整改"
    DISCLOSURE = "disclosure", "预决算公开"


class BudgetUnit(models.Model):
    """A budget department (预算部门/单位) as the finance bureau codes it."""

    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="budget_units")
    code = models.CharField("部门编码", max_length=20)
    name = models.CharField("部门名称", max_length=100)
    organization = models.ForeignKey("core.Organization", models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name="对应的承办单位",
                                     help_text="预警推送给这个单位；未对应的推送给财政部门")
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "预算部门"
        ordering = ["sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["congress", "code"], name="budget_unit_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ImportQuerySet(models.QuerySet):
    def current(self, congress_id: int, *datasets: str) -> models.QuerySet:
        """The revisions that count now (one per period and source): every page, rule and sweep reads these."""
        return self.filter(congress_id=congress_id, is_current=True, dataset__in=datasets)


class BudgetImport(models.Model):
    """One file in, one revision of its (dataset, year, month, source)."""

    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="budget_imports")
    dataset = models.CharField("数据类别", max_length=12, choices=Dataset.choices)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", default=0, help_text="月度执行为1至12；其他数据为0")
    source = models.CharField("数据来源", max_length=60, help_text="如 市财政局国库集中支付系统")
    revision = models.PositiveSmallIntegerField("版本", default=1)
    is_current = models.BooleanField("当前版本", default=True)
    digest = models.CharField("内容摘要", max_length=64, help_text="各行数据的SM3摘要：同样的数据再导入不产生新版本")
    rows = models.PositiveIntegerField("行数", default=0)
    total = models.DecimalField("金额合计（万元）", null=True, blank=True, **AMOUNT)
    filename = models.CharField("文件名", max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="导入人")
    at = models.DateTimeField("导入时间", default=timezone.now)
    superseded_at = models.DateTimeField("被替换时间", null=True, blank=True)
    note = models.CharField("更正说明", max_length=200, blank=True)

    objects = ImportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "预算数据导入"
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "dataset", "year", "month", "source", "revision"],
                                    name="budget_import_revision_once"),
            models.UniqueConstraint(fields=["congress", "dataset", "year", "month", "source"],
                                    condition=Q(is_current=True), name="budget_import_one_current"),
        ]

    def __str__(self) -> str:
        period = f"{self.year}年{self.month}月" if self.month else f"{self.year}年"
        return f"{period}{self.get_dataset_display()}（{self.source}，第{self.revision}版）"


class CurrentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(imp__is_current=True)


class Fact(models.Model):
    """What every imported row carries: its import, congress and year (denormalised for the
    analysis queries, which never join the import table for the period)."""

    imp = models.ForeignKey(BudgetImport, models.CASCADE, related_name="+", verbose_name="导入")
    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    row = models.PositiveIntegerField("文件行号", default=0)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        abstract = True


class BudgetLine(Fact):
    """A line of the approved budget (or of the draft, dataset `draft`): department × project ×
    function × economic code."""

    book = models.CharField("预算", max_length=8, choices=Book.choices)
    unit = models.ForeignKey(BudgetUnit, models.PROTECT, related_name="budget_lines", verbose_name="部门")
    project_code = models.CharField("项目编码", max_length=40, blank=True, help_text="空为基本支出")
    project_name = models.CharField("项目名称", max_length=200, blank=True)
    function_code = models.CharField("功能分类科目", max_length=7)
    economic_code = models.CharField("经济分类科目", max_length=5, blank=True)
    amount = models.DecimalField("预算数（万元）", **AMOUNT)

    class Meta:
        verbose_name = verbose_name_plural = "预算明细"
        indexes = [models.Index(fields=["imp", "unit"], name="budget_line_imp_unit"),
                   models.Index(fields=["congress", "year", "book"], name="budget_line_year_book")]


class Flow(models.TextChoices):
    REVENUE = "revenue", "收入"
    EXPENDITURE = "expenditure", "支出"


class ExecutionLine(Fact):
    """One month's execution of a line: 收入 by revenue code, 支出 (and 国库支付) by department."""

    month = models.PositiveSmallIntegerField("月份")
    book = models.CharField("预算", max_length=8, choices=Book.choices)
    flow = models.CharField("收支", max_length=12, choices=Flow.choices)
    unit = models.ForeignKey(BudgetUnit, models.PROTECT, null=True, blank=True, related_name="execution_lines",
                             verbose_name="部门")
    project_code = models.CharField("项目编码", max_length=40, blank=True)
    code = models.CharField("科目编码", max_length=7, help_text="支出为功能分类，收入为收入分类")
    economic_code = models.CharField("经济分类科目", max_length=5, blank=True)
    amount = models.DecimalField("本月数（万元）", **AMOUNT)
    paid = models.DecimalField("本月国库支付（万元）", null=True, blank=True, **AMOUNT)

    class Meta:
        verbose_name = verbose_name_plural = "预算执行"
        indexes = [models.Index(fields=["imp", "unit"], name="budget_exec_imp_unit"),
                   models.Index(fields=["congress", "year", "month"], name="budget_exec_period")]


class AdjustmentKind(models.TextChoices):
    ADJUST = "adjust", "预算调整"
    SHIFT = "shift", "预算调剂"


class Adjustment(Fact):
    kind = models.CharField("类型", max_length=8, choices=AdjustmentKind.choices)
    on = models.DateField("日期")
    book = models.CharField("预算", max_length=8, choices=Book.choices, default=Book.GENERAL)
    unit = models.ForeignKey(BudgetUnit, models.PROTECT, related_name="adjustments", verbose_name="部门")
    project_code = models.CharField("项目编码", max_length=40, blank=True)
    function_code = models.CharField("功能分类科目", max_length=7)
    amount = models.DecimalField("金额（万元，调减为负）", **AMOUNT)
    document = models.CharField("文号", max_length=60, blank=True)
    reason = models.CharField("事由", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "预算调整和调剂"


class TransferKind(models.TextChoices):
    GENERAL = "general", "一般性转移支付"
    SPECIAL = "special", "专项转移支付"


class Transfer(Fact):
    """A transfer payment received from above and passed down (预算法 第五十二条: 30 / 60 days)."""

    kind = models.CharField("类型", max_length=8, choices=TransferKind.choices)
    document = models.CharField("文号", max_length=60, blank=True)
    title = models.CharField("项目", max_length=200)
    recipient = models.CharField("下达对象", max_length=100)
    amount = models.DecimalField("金额（万元）", **AMOUNT)
    received_on = models.DateField("收到日期")
    passed_on = models.DateField("下达日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "转移支付"


class DebtKind(models.TextChoices):
    GENERAL = "general", "一般债务"
    SPECIAL = "special", "专项债务"


class Debt(Fact):
    """A region's government debt at year end (本级 or a district)."""

    region = models.CharField("地区", max_length=60)
    kind = models.CharField("类型", max_length=8, choices=DebtKind.choices)
    balance = models.DecimalField("债务余额（万元）", **AMOUNT)
    limit = models.DecimalField("债务限额（万元）", **AMOUNT)
    due = models.DecimalField("当年到期（万元）", **AMOUNT)
    capacity = models.DecimalField("综合财力（万元）", **AMOUNT)

    class Meta:
        verbose_name = verbose_name_plural = "政府债务"


class SoeFigure(Fact):
    enterprise = models.CharField("企业名称", max_length=100)
    assets = models.DecimalField("资产总额（万元）", **AMOUNT)
    liabilities = models.DecimalField("负债总额（万元）", **AMOUNT)
    revenue = models.DecimalField("营业收入（万元）", **AMOUNT)
    profit = models.DecimalField("利润总额（万元）", **AMOUNT)
    dividend = models.DecimalField("国有资本收益上缴（万元）", **AMOUNT)

    class Meta:
        verbose_name = verbose_name_plural = "国有企业主要指标"


class Rectification(models.TextChoices):
    DONE = "done", "已整改"
    PARTLY = "partly", "部分整改"
    OPEN = "open", "未整改"


class AuditFinding(Fact):
    """A problem the audit found and its rectification (监督法 第二十七条)."""

    number = models.CharField("问题编号", max_length=40)
    unit = models.ForeignKey(BudgetUnit, models.PROTECT, related_name="audit_findings", verbose_name="部门")
    title = models.CharField("问题", max_length=300)
    category = models.CharField("问题类别", max_length=40, blank=True)
    amount = models.DecimalField("涉及金额（万元）", null=True, blank=True, **AMOUNT)
    reported_on = models.DateField("审计工作报告日期")
    status = models.CharField("整改情况", max_length=8, choices=Rectification.choices)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    measures = models.TextField("整改措施", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计查出问题"


class DisclosureDocument(models.TextChoices):
    BUDGET = "budget", "预算"
    FINAL = "final", "决算"


class Disclosure(Fact):
    """When a budget or final account was approved and when it was published (预算法 第十四条)."""

    unit = models.ForeignKey(BudgetUnit, models.PROTECT, null=True, blank=True, related_name="disclosures",
                             verbose_name="部门", help_text="空为本级政府预决算")
    document = models.CharField("公开内容", max_length=8, choices=DisclosureDocument.choices)
    approved_on = models.DateField("批准或批复日期")
    published_on = models.DateField("公开日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "预决算公开"


class WarningDetail(models.Model):
    """What only a budget warning (kind budget_warning) has; written only by its transitions.

    `key` names the cause (rule, department, project, period); `open_key` holds it while the
    warning is open, so the database itself refuses a second open warning for one cause."""

    case = models.OneToOneField("cases.Case", models.CASCADE, related_name="budget_warning_detail")
    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="+")
    # Codes the rule run writes and matches on (rule code, cause key); shown by their labels, never edited.
    rule = models.CharField("预警规则", max_length=40, editable=False)
    key = models.CharField("预警对象", max_length=200, editable=False)
    open_key = models.CharField(max_length=200, null=True, blank=True, editable=False)
    unit = models.ForeignKey(BudgetUnit, models.PROTECT, null=True, blank=True, related_name="warnings",
                             verbose_name="部门")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", default=0)
    measured = models.DecimalField("监测值", null=True, blank=True, max_digits=18, decimal_places=2)
    threshold = models.DecimalField("预警阈值", null=True, blank=True, max_digits=18, decimal_places=2)
    basis = models.CharField("依据", max_length=200)
    evidence = models.JSONField("数据", default=dict, blank=True)
    pushed_to = models.ForeignKey("core.Organization", models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name="推送单位")
    lifted_at = models.DateTimeField("自动解除时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "预算预警"
        constraints = [models.UniqueConstraint(fields=["congress", "open_key"], name="budget_warning_open_once")]
        indexes = [models.Index(fields=["congress", "rule"], name="budget_warning_rule"),
                   models.Index(fields=["unit", "year"], name="budget_warning_unit")]

    def __str__(self) -> str:
        return f"{self.case.number} {self.case.title}"


class BudgetQuestion(models.Model):
    """A deputy's question or opinion on the draft budget, sent on to the finance committee."""

    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="budget_questions")
    year = models.PositiveSmallIntegerField("预算年度")
    deputy = models.ForeignKey("deputies.Deputy", models.PROTECT, related_name="budget_questions",
                               verbose_name="代表")
    unit = models.ForeignKey(BudgetUnit, models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name="涉及部门")
    function_code = models.CharField("涉及功能科目", max_length=7, blank=True)
    text = models.TextField("问题或意见")
    at = models.DateTimeField("提出时间", default=timezone.now)
    sent_at = models.DateTimeField("送财经委时间", null=True, blank=True)
    sent_to = models.ForeignKey("core.Organization", models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name="送交")
    answer = models.TextField("答复", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "代表预算意见"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.deputy.name}：{self.text[:30]}"


class SupervisionReport(models.Model):
    """A 专项监督报告 draft generated for a period; counted as a report produced."""

    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="budget_reports")
    title = models.CharField("标题", max_length=200)
    start = models.DateField("起")
    end = models.DateField("止")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField("生成时间", default=timezone.now)
    figures = models.JSONField("报告中的数字", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专项监督报告"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:  # the annual figures' trace page links each report to its Word file
        from django.urls import reverse

        return reverse("budget:report_download", args=[self.pk])


class PendingImport(models.Model):
    """A checked file waiting for the officer's 确认导入: its parsed rows (zlib-packed JSON, so the
    file is parsed once) and what the preview page showed. Deleted when confirmed; `base` is the
    current revision the preview compared against, so a confirm after someone else's import of
    the same period is refused instead of silently replacing figures nobody reviewed."""

    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="+")
    dataset = models.CharField("数据类别", max_length=12, choices=Dataset.choices)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", default=0)
    source = models.CharField("数据来源", max_length=60)
    filename = models.CharField("文件名", max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name="上传人")
    at = models.DateTimeField("上传时间", default=timezone.now)
    digest = models.CharField("内容摘要", max_length=64)
    rows = models.PositiveIntegerField("行数", default=0)
    total = models.DecimalField("金额合计（万元）", null=True, blank=True, **AMOUNT)
    base = models.ForeignKey(BudgetImport, models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name="预览时的当前版本")
    summary = models.JSONField("预览内容", default=dict, blank=True)
    data = models.BinaryField("解析后的数据")

    class Meta:
        verbose_name = verbose_name_plural = "待确认的预算数据导入"
        ordering = ["-at", "-id"]
