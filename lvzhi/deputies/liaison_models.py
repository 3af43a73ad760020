"""双联系: standing-committee members each linked to deputies they keep in touch with (代表法
第四十四条), and the contacts they log. A deputy's link to the citizens and the station he or she
serves is Deputy.station and the requests and visits there."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ContactWay(models.TextChoices):
    VISIT = "visit", "走访"
    TALK = "talk", "座谈"
    PHONE = "phone", "电话联系"
    INVITE = "invite", "邀请参加活动"


class MemberLink(models.Model):
    congress = models.ForeignKey("core.Congress", models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="deputy_links",
                               verbose_name="常委会组成人员")
    deputy = models.ForeignKey("deputies.Deputy", models.CASCADE, related_name="member_links",
                               verbose_name="联系代表")
    since = models.DateField("建立联系日期", default=timezone.localdate)

    class Meta:
        verbose_name = verbose_name_plural = "联系代表"
        ordering = ["member_id", "deputy_id"]
        constraints = [models.UniqueConstraint(fields=["member", "deputy"], name="member_link_once")]


class MemberContact(models.Model):
    link = models.ForeignKey(MemberLink, models.CASCADE, related_name="contacts")
    on = models.DateField("日期")
    way = models.CharField("方式", max_length=10, choices=ContactWay.choices)
    note = models.TextField("联系情况")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "联系代表记录"
        ordering = ["-on", "-id"]
