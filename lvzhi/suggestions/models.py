"""What only motions and suggestions have, beside the shared Case."""

from __future__ import annotations

from django.db import models


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
