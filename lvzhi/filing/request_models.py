"""Review requests' records (审查建议, 依申请审查; 北京 第十六、二十四至二十六、三十四条).

A request is a Case of kind `review_request`; what only a request has lives in
ReviewRequestDetail (one-to-one), written only by the kind's transitions. The proposer's contact
is stored SM4-encrypted (lvzhi.core.crypto) and never shown publicly; only a hash of the
submitter's network address is kept, to count submissions (the portal's abuse limit).
"""

from __future__ import annotations

from django.db import models

from lvzhi.core.crypto import mask, sm4_decrypt, sm4_encrypt

__all__ = ["DeclineGround", "ProposerKind", "ReviewRequestDetail"]


class ProposerKind(models.TextChoices):
    CITIZEN = "citizen", "公民"
    ORGANISATION = "organisation", "社会组织、企业事业单位"
    STATE_BODY = "state_body", "国家机关"


class DeclineGround(models.TextChoices):
    """北京 第二十五条: the five grounds for not starting a review."""

    UNCLEAR = "unclear", "（一）建议审查的理由不明确或者明显不成立"
    REVIEWED = "reviewed", "（二）此前就同一事项已经进行过审查，并有审查结论"
    AMENDED = "amended", "（三）建议审查的规范性文件相关规定已经修改或者废止"
    MAKER_AGREED = "maker_agreed", "（四）制定机关已经同意修改或者废止并提出书面处理计划"
    OTHER = "other", "（五）不需要启动审查程序的其他情形"


class ReviewRequestDetail(models.Model):
    case = models.OneToOneField("cases.Case", models.CASCADE, related_name="review_request_detail")
    filing = models.ForeignKey("cases.Case", models.PROTECT, null=True, blank=True, related_name="review_requests",
                               verbose_name="建议审查的备案文件")
    document_title = models.CharField("建议审查的文件名称", max_length=200,
                                      help_text="未在备案文件中找到时由提起人填写")
    proposer_kind = models.CharField("提起人类别", max_length=16, choices=ProposerKind.choices)
    proposer_name = models.CharField("提起人", max_length=100)
    contact_encrypted = models.TextField("联系方式(密文)", editable=False)
    provisions = models.CharField("建议审查的条款", max_length=200)
    criteria = models.CharField("认为存在的情形", max_length=200, editable=False, help_text="审查标准代码，以逗号分隔")
    reasons = models.TextField("审查的事项和理由")
    receipt = models.CharField("查询码", max_length=12, unique=True, editable=False)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    received_at = models.DateTimeField("收到时间", db_index=True)
    completion_request = models.TextField("需补充的内容", blank=True)
    completion_text = models.TextField("补充的内容", blank=True)
    not_registered_reason = models.TextField("不予登记理由", blank=True)
    decline_ground = models.CharField("不启动审查的情形", max_length=16, choices=DeclineGround.choices, blank=True)
    decline_reason = models.TextField("不启动审查的理由", blank=True)
    told_at = models.DateTimeField("告知提起人时间", null=True, blank=True)
    result_text = models.TextField("反馈的审查结果", blank=True)
    answered_at = models.DateTimeField("反馈时间", null=True, blank=True)
    result_public = models.BooleanField("审查结果已公开", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "审查建议"
        indexes = [models.Index(fields=["ip_hash", "received_at"], name="filing_request_ip")]

    def __str__(self) -> str:
        return f"关于《{self.document_title}》的审查建议"

    @property
    def contact(self) -> str:
        return sm4_decrypt(self.contact_encrypted) if self.contact_encrypted else ""

    @contact.setter
    def contact(self, value: str) -> None:
        self.contact_encrypted = sm4_encrypt(value) if value else ""

    @property
    def contact_masked(self) -> str:
        return mask(self.contact) if self.contact_encrypted else ""

    @property
    def criterion_list(self) -> list[str]:
        from lvzhi.filing.choices import Criterion

        labels = dict(Criterion.choices)
        return [labels.get(c, c) for c in self.criteria.split(",") if c]
