"""Filing review's records beside the engine. A filing itself is a Case of kind `filing`; its fields
live in FilingDetail (one-to-one), never as columns on Case, and nothing here holds a state the
engine owns: only the filing's transitions write FilingDetail, FilingAttachment and Finding.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lvzhi.core.models import Congress, Organization
from lvzhi.filing.choices import Attachment, BodyKind, CouncilOption, Criterion, DocKind, Outcome


class FilingBody(models.Model):
    """制定机关: an organisation that files with this standing committee, with the 发文字号 prefixes
    it uses (北政发、北政办发 …) so that intake can tell a mistyped 文号 from a real one."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="filing_bodies")
    organization = models.OneToOneField(Organization, models.CASCADE, related_name="filing_body",
                                        verbose_name="报备单位账号所在机构")
    kind = models.CharField("制定机关类别", max_length=20, choices=BodyKind.choices)
    name = models.CharField("制定机关", max_length=100, help_text="公文上的名称，如 北辰市人民政府")
    prefixes = models.CharField("发文字号代字", max_length=200,
                                help_text="以空格分隔，如：北政发 北政办发 北政规")

    class Meta:
        verbose_name = verbose_name_plural = "制定机关"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # Mark the organisation as a filer (permissions.is_filer reads it without a query); a
        # 制定机关 is a unit, whose function code is otherwise empty.
        from lvzhi.filing.permissions import FILER_FUNCTION

        org = self.organization
        if not org.function:
            org.function = FILER_FUNCTION
            org.save(update_fields=["function"])

    @property
    def prefix_list(self) -> list[str]:
        return self.prefixes.split()


class FilingDetail(models.Model):
    """One filed normative document (报送备案的规范性文件)."""

    case = models.OneToOneField("cases.Case", models.CASCADE, related_name="filing_detail")
    body = models.ForeignKey(FilingBody, models.PROTECT, related_name="filings", verbose_name="制定机关")
    doc_kind = models.CharField("文件类别", max_length=24, choices=DocKind.choices)
    doc_number = models.CharField("文号", max_length=60, help_text="如 北政发〔2025〕12号")
    doc_year = models.PositiveSmallIntegerField("文号年份")
    doc_seq = models.PositiveIntegerField("文号序号")
    published_on = models.DateField("公布日期")
    filing_due_on = models.DateField("报送备案期限", help_text="公布之日起三十日（clocks.FILING_DUE）")
    late_days = models.PositiveIntegerField("逾期报送天数", default=0)
    basis = models.TextField("制定依据", help_text="所依据的法律、法规及条款")
    subjects = models.CharField("涉及领域", max_length=200, blank=True,
                                help_text="以顿号分隔，如 民营经济、营商环境：专项审查按此选取文件")
    # form review (形式审查)
    supplement_request = models.TextField("需补充的材料", blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    # the outcome (北京 第二十九至三十五条)
    correction_plan = models.TextField("书面处理计划", blank=True)
    plan_due_on = models.DateField("计划完成日期", null=True, blank=True)
    opinion_text = models.TextField("书面审查意见", blank=True)
    opinion_sent_at = models.DateTimeField("审查意见发出时间", null=True, blank=True)
    council_option = models.CharField("提请常委会的处理建议", max_length=24, blank=True, choices=CouncilOption.choices)
    stop_ordered_at = models.DateTimeField("停止执行通知时间", null=True, blank=True)
    stop_order_text = models.TextField("停止执行通知", blank=True)
    outcome = models.CharField("审查结果", max_length=20, blank=True, choices=Outcome.choices)
    outcome_text = models.TextField("审查结论", blank=True)
    outcome_at = models.DateTimeField("审查结束时间", null=True, blank=True)
    outcome_public = models.BooleanField("结果已公开", default=False)
    # other filings with the same defect, handled together (北京 第三十二条第二款)
    same_defect = models.ManyToManyField("self", blank=True, symmetrical=True, verbose_name="存在相同问题的文件")

    class Meta:
        verbose_name = verbose_name_plural = "备案文件"
        constraints = [
            # A duplicate filing is refused, under concurrency too.
            models.UniqueConstraint(fields=["body", "doc_number"], name="filing_unique_doc_number"),
        ]
        indexes = [models.Index(fields=["doc_kind", "published_on"], name="filing_kind_published")]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.case.title}"

    @property
    def late(self) -> bool:
        return self.late_days > 0

    @property
    def subject_list(self) -> list[str]:
        return [s for s in self.subjects.replace("，", "、").replace(",", "、").split("、") if s.strip()]


def attachment_path(instance: FilingAttachment, filename: str) -> str:
    return f"filing/{timezone.localtime(instance.uploaded_at):%Y/%m}/{instance.case_id}/{filename}"


class FilingAttachment(models.Model):
    """A file a filing carries: the text, the 起草说明, the basis, material added later, the maker's plan
    or revised text. Each upload is kept: a later one never replaces an earlier one."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="filing_attachments")
    kind = models.CharField("材料类别", max_length=16, choices=Attachment.choices)
    file = models.FileField("文件", upload_to=attachment_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小(字节)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "备案材料"
        ordering = ["uploaded_at", "id"]


class Finding(models.Model):
    """审查发现: one problem a reviewer records against a review criterion, with its reason."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="filing_findings")
    criterion = models.CharField("审查标准", max_length=20, choices=Criterion.choices)
    provision = models.CharField("文件条款", max_length=100, help_text="如 第八条第二款")
    upper_law = models.CharField("上位法依据", max_length=200, blank=True,
                                 help_text="如 《中华人民共和国行政处罚法》第十六条")
    reason = models.TextField("理由")
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="审查机构")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    round = models.PositiveSmallIntegerField("审查轮次", default=1)
    obvious = models.BooleanField("明显违反法律法规", default=False, help_text="应当立即停止执行")

    class Meta:
        verbose_name = verbose_name_plural = "审查发现"
        ordering = ["at", "id"]


# The other parts' records (each file is its part's own).
from lvzhi.filing.request_models import *  # noqa: E402, F403, I001
from lvzhi.filing.report_models import *  # noqa: E402, F403
