"""Deputies and the groups they belong to."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lvzhi.core.crypto import mask, sm4_decrypt, sm4_encrypt


class Delegation(models.Model):
    """代表团: the deputies elected from one district, grouped at the session."""

    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="delegations")
    name = models.CharField("名称", max_length=60)

    class Meta:
        verbose_name = verbose_name_plural = "代表团"
        unique_together = [("congress", "name")]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DeputyGroup(models.Model):
    """专业代表小组, attached to a committee."""

    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="deputy_groups")
    name = models.CharField("名称", max_length=60)
    committee = models.ForeignKey("core.Organization", models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专业代表小组"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class LiaisonStation(models.Model):
    """代表之家 / 代表联络站."""

    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="stations")
    name = models.CharField("名称", max_length=80)
    address = models.CharField("地址", max_length=120, blank=True)
    # 联络员: the station's staff, who take up citizens' requests on the deputies' behalf.
    keepers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="kept_stations",
                                     verbose_name="联络员")

    class Meta:
        verbose_name = verbose_name_plural = "代表联络站"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DeputyStatus(models.TextChoices):
    ACTIVE = "active", "履职中"
    SUSPENDED = "suspended", "暂停执行代表职务"
    TERMINATED = "terminated", "代表资格终止"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Deputy(models.Model):
    """A deputy of one congress and term. Phone and ID number are stored SM4-encrypted."""

    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="deputies")
    term = models.ForeignKey("core.Term", models.PROTECT, related_name="deputies")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="deputy")
    name = models.CharField("姓名", max_length=30)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=16, default="汉族")
    party = models.CharField("党派", max_length=30, default="中共党员")
    occupation = models.CharField("工作单位及职务", max_length=120, blank=True)
    delegation = models.ForeignKey(Delegation, models.PROTECT, related_name="deputies",
                                   verbose_name="代表团")
    group = models.ForeignKey(DeputyGroup, models.SET_NULL, null=True, blank=True,
                              related_name="deputies", verbose_name="专业代表小组")
    station = models.ForeignKey(LiaisonStation, models.SET_NULL, null=True, blank=True,
                                related_name="deputies", verbose_name="联络站")
    status = models.CharField("状态", max_length=16, choices=DeputyStatus.choices,
                              default=DeputyStatus.ACTIVE)
    phone_encrypted = models.TextField("手机号(密文)", blank=True)
    id_number_encrypted = models.TextField("身份证号(密文)", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "人大代表"
        ordering = ["delegation_id", "id"]
        indexes = [models.Index(fields=["congress", "status"])]

    def __str__(self) -> str:
        return self.name

    # Personal data: set in clear, stored encrypted, shown masked.
    @property
    def phone(self) -> str:
        return sm4_decrypt(self.phone_encrypted)

    @phone.setter
    def phone(self, value: str) -> None:
        self.phone_encrypted = sm4_encrypt(value)

    @property
    def id_number(self) -> str:
        return sm4_decrypt(self.id_number_encrypted)

    @id_number.setter
    def id_number(self, value: str) -> None:
        self.id_number_encrypted = sm4_encrypt(value)

    @property
    def phone_masked(self) -> str:
        return mask(self.phone)

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number, 6, 4)

    @property
    def is_active(self) -> bool:
        return self.status == DeputyStatus.ACTIVE


from lvzhi.deputies.activity_models import (  # noqa: E402,F401  (Django finds models here)
    Activity,
    ActivityFile,
    Participation,
)
from lvzhi.deputies.liaison_models import MemberContact, MemberLink  # noqa: E402,F401
from lvzhi.deputies.station_models import StationShift, Visit  # noqa: E402,F401
from lvzhi.deputies.training_models import Enrollment, Training  # noqa: E402,F401
