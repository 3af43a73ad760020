"""Citizens' requests by QR code (代表码上见, kind `citizen_request`).

A request is a Case of kind `citizen_request`; what only a request has lives in
CitizenRequestDetail (one-to-one), written only by the kind's transitions. The citizen has no
account: a receipt code follows the request. The contact is stored SM4-encrypted and shown
masked on every page (the deputy reads it in full to call back); only a hash of the submitting
network's address is kept, to count submissions.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from lvzhi.core.crypto import mask, sm4_decrypt, sm4_encrypt

__all__ = ["CitizenRequestDetail", "Handling", "Rating", "RequestPhoto"]


class Handling(models.TextChoices):
    """What the deputy did with it (the last way it was handled)."""

    ANSWERED = "answered", "直接答复"
    MET = "met", "约见群众"
    FORWARDED = "forwarded", "转交单位办理"
    SUGGESTION = "suggestion", "转为代表建议"
    DECLINED = "declined", "不予受理"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


RESOLVED_RATINGS = (Rating.SATISFIED, Rating.BASIC)


class CitizenRequestDetail(models.Model):
    case = models.OneToOneField("cases.Case", models.CASCADE, related_name="citizen_request_detail")
    # The code scanned: a deputy's own, or a station's (then any of its deputies, or its
    # 联络员 on their behalf, takes it up).
    deputy = models.ForeignKey("deputies.Deputy", models.PROTECT, null=True, blank=True,
                               related_name="citizen_requests", verbose_name="代表")
    station = models.ForeignKey("deputies.LiaisonStation", models.PROTECT, null=True, blank=True,
                                related_name="citizen_requests", verbose_name="联络站")
    name = models.CharField("称呼", max_length=30, blank=True)
    contact_encrypted = models.TextField("联系方式(密文)", editable=False)
    location = models.CharField("位置", max_length=120, blank=True)
    receipt = models.CharField("查询码", max_length=12, unique=True, editable=False)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    received_at = models.DateTimeField("收到时间", db_index=True)
    handling = models.CharField("处理方式", max_length=12, choices=Handling.choices, blank=True)
    unit = models.ForeignKey("core.Organization", models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="转交单位")
    unit_reply = models.TextField("单位答复", blank=True)
    unit_replied_at = models.DateTimeField("单位答复时间", null=True, blank=True)
    answer = models.TextField("答复群众", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    suggestion = models.ForeignKey("cases.Case", models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name="转成的代表建议")
    decline_reason = models.TextField("不予受理理由", blank=True)
    rating = models.CharField("群众评价", max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.CharField("评价意见", max_length=300, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    reopened_at = models.DateTimeField("重新办理时间", null=True, blank=True)
    reopen_reason = models.TextField("重新办理理由", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "群众诉求"
        indexes = [models.Index(fields=["ip_hash", "received_at"], name="citizen_request_ip"),
                   models.Index(fields=["deputy", "received_at"], name="citizen_request_deputy"),
                   models.Index(fields=["station", "received_at"], name="citizen_request_station")]

    def __str__(self) -> str:
        return self.case.title

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
    def addressed_to(self) -> str:
        """Whom the citizen wrote to, as the pages say it."""
        if self.deputy_id:
            return f"{self.deputy.name}代表"
        return self.station.name if self.station_id else ""

    @property
    def resolved(self) -> bool:
        return self.rating in RESOLVED_RATINGS


def photo_path(instance: RequestPhoto, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"requests/{instance.case_id}/{timezone.now():%Y%m%d%H%M%S%f}.{ext}"


class RequestPhoto(models.Model):
    """A photo the citizen sent with the request (checked by content, documents.uploads)."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="request_photos")
    file = models.FileField("照片", upload_to=photo_path, max_length=200)
    size = models.PositiveIntegerField("大小(字节)")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "诉求照片"
        ordering = ["id"]
