"""Deputies' work for petitioners and in mediation: 信访代办 (a deputy takes on a petitioner's
matter and follows it with the agency to an outcome) and 诉前调解 (a deputy takes part in a
court's pre-litigation mediation, which succeeds or not). The petitioner's contact is stored
SM4-encrypted and shown masked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lvzhi.core.crypto import mask, sm4_decrypt, sm4_encrypt


class PetitionOutcome(models.TextChoices):
    OPEN = "open", "正在代办"
    RESOLVED = "resolved", "问题已化解"
    EXPLAINED = "explained", "已解释说明，息诉罢访"
    CONCLUDED = "concluded", "依法终结"


class Petition(models.Model):
    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="+")
    deputy = models.ForeignKey("deputies.Deputy", models.PROTECT, related_name="petitions", verbose_name="代办代表")
    petitioner = models.CharField("信访人", max_length=30)
    contact_encrypted = models.TextField("联系电话(密文)", blank=True, editable=False)
    matter = models.TextField("信访事项")
    agency = models.CharField("办理机关", max_length=100)
    taken_on = models.DateField("接受代办日期")
    outcome = models.CharField("代办结果", max_length=12, choices=PetitionOutcome.choices, default=PetitionOutcome.OPEN)
    outcome_text = models.TextField("结果说明", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "信访代办"
        ordering = ["-taken_on", "-id"]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("requests:petitions") + f"#petition-{self.pk}"

    @property
    def contact(self) -> str:
        return sm4_decrypt(self.contact_encrypted) if self.contact_encrypted else ""

    @contact.setter
    def contact(self, value: str) -> None:
        self.contact_encrypted = sm4_encrypt(value) if value else ""

    @property
    def contact_masked(self) -> str:
        return mask(self.contact) if self.contact_encrypted else ""


class MediationResult(models.TextChoices):
    PENDING = "pending", "调解中"
    SUCCEEDED = "succeeded", "调解成功"
    FAILED = "failed", "调解不成功"


class Mediation(models.Model):
    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="+")
    deputy = models.ForeignKey("deputies.Deputy", models.PROTECT, related_name="mediations", verbose_name="参与代表")
    court = models.CharField("法院", max_length=60)
    case_no = models.CharField("案号或登记号", max_length=60, blank=True)
    dispute = models.CharField("纠纷类型", max_length=40)
    summary = models.TextField("纠纷概况")
    mediated_on = models.DateField("调解日期")
    result = models.CharField("调解结果", max_length=12, choices=MediationResult.choices,
                              default=MediationResult.PENDING)
    result_text = models.TextField("结果说明", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "诉前调解"
        ordering = ["-mediated_on", "-id"]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("requests:mediations") + f"#mediation-{self.pk}"
