"""Public comment on drafts (征求意见) and what became of each comment.

- `CommentSettings`: what a congress asks of a portal commenter (the verification) and how many
  comments one address may send in an hour.
- `CommentPeriod`: one period of public comment on one `Draft` (立法法 第四十条: 一般不少于三十日),
  the channels it is open to, and the summary published after it (征求意见的情况应当向社会通报).
- `ContactPointMeeting`: a 基层立法联系点's own meeting where it collected opinions (第九十条).
- `Comment`: one opinion, from the portal, a contact point, a deputy, a committee or a unit; its
  article, its duplicates (`duplicate_of`), its outcome (采纳/部分采纳/未采纳) with the reason, and the
  article(s) of the later draft that took it up.

A portal commenter's contact is stored SM4-encrypted and never shown publicly; only a hash of the
address is kept, for the rate limit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.crypto import mask, sm4_decrypt, sm4_encrypt
from lvzhi.core.models import Congress, Organization
from lvzhi.legislation import comment_clocks  # noqa: F401  (declares the comment period's clock at start-up)
from lvzhi.legislation.models import ContactPoint, Draft


class Verification(models.TextChoices):
    """What a portal commenter proves before the comment is taken. SMS codes would be another
    member here; the service asks `comment_services.CHALLENGES` for the check of each."""

    NONE = "none", "不验证"
    ARITHMETIC = "arithmetic", "算术题验证"


class Channel(models.TextChoices):
    PORTAL = "portal", "网上征求意见"
    CONTACT_POINT = "contact_point", "基层立法联系点"
    DEPUTY = "deputy", "人大代表"
    COMMITTEE = "committee", "专门委员会"
    UNIT = "unit", "有关单位"


class PeriodState(models.TextChoices):
    OPEN = "open", "征求意见中"
    CLOSED = "closed", "已截止"
    PUBLISHED = "published", "已通报"


class Outcome(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


class CommentSettings(models.Model):
    congress = models.OneToOneField(Congress, models.CASCADE, related_name="comment_settings")
    verification = models.CharField("网上意见验证方式", max_length=20, choices=Verification.choices,
                                    default=Verification.ARITHMETIC)
    per_hour = models.PositiveSmallIntegerField("同一网络地址每小时最多提交", default=5,
                                                help_text="超过即拒收并提示稍后再试")

    class Meta:
        verbose_name = verbose_name_plural = "征求意见设置"

    def __str__(self) -> str:
        return f"{self.congress}征求意见设置"


class CommentPeriod(models.Model):
    congress = models.ForeignKey(Congress, models.CASCADE, related_name="comment_periods")
    draft = models.ForeignKey(Draft, models.PROTECT, related_name="comment_periods", verbose_name="草案稿")
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    short_reason = models.TextField("少于法定期限的理由", blank=True,
                                    help_text="立法法第四十条：一般不少于三十日；期限较短的须写明理由")
    channels = models.JSONField("征求意见渠道", default=list)
    verification = models.CharField("网上意见验证方式", max_length=20, choices=Verification.choices,
                                    default=Verification.ARITHMETIC)
    note = models.TextField("征求意见说明", blank=True, help_text="在门户网站草案页面上方显示")
    state = models.CharField("状态", max_length=12, choices=PeriodState.choices, default=PeriodState.OPEN,
                             db_index=True)
    summary = models.TextField("征求意见情况通报", blank=True)
    summary_published_at = models.DateTimeField("通报时间", null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    opened_at = models.DateTimeField("发布时间", default=timezone.now)
    closed_at = models.DateTimeField("截止时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "征求意见"
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return f"《{self.draft.bill.regulation.title}》{self.draft.label}征求意见"

    def get_absolute_url(self) -> str:
        return reverse("legislation:comment_period", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("legislation:public_comment_draft", args=[self.pk])

    @property
    def days(self) -> int:
        return (self.closes_on - self.opens_on).days + 1

    def accepting(self, today) -> bool:
        """Open for comment today: not closed by the clerk and within its dates."""
        return self.state == PeriodState.OPEN and self.opens_on <= today <= self.closes_on

    @property
    def status(self) -> str:
        """What the pages say today: an open period past its date reads 已截止 before the sweep
        closes it (comment_services.close_lapsed), one not yet begun 未开始."""
        today = timezone.localdate()
        if self.state == PeriodState.OPEN:
            if today < self.opens_on:
                return "未开始"
            if today > self.closes_on:
                return PeriodState.CLOSED.label
        return self.get_state_display()

    def channel_labels(self) -> list[str]:
        return [Channel(c).label for c in self.channels if c in Channel.values]


class ContactPointMeeting(models.Model):
    contact_point = models.ForeignKey(ContactPoint, models.CASCADE, related_name="meetings",
                                      verbose_name="基层立法联系点")
    period = models.ForeignKey(CommentPeriod, models.CASCADE, related_name="meetings")
    held_on = models.DateField("座谈日期")
    place = models.CharField("地点", max_length=100)
    participants = models.PositiveSmallIntegerField("参加人数")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "联系点征求意见座谈"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.contact_point.name}{self.held_on:%Y年%-m月%-d日}座谈"


class Comment(models.Model):
    period = models.ForeignKey(CommentPeriod, models.CASCADE, related_name="comments")
    article_key = models.CharField("条款", max_length=12, blank=True, help_text="空：对草案整体的意见")
    submitted_key = models.CharField("提出时的条款", max_length=12, blank=True)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices, db_index=True)
    text = models.TextField("意见内容")
    name = models.CharField("署名", max_length=40, blank=True)
    contact_encrypted = models.TextField("联系方式(密文)", blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    receipt = models.CharField("查询码", max_length=12, unique=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    organization = models.ForeignKey(Organization, models.PROTECT, null=True, blank=True, related_name="+")
    contact_point = models.ForeignKey(ContactPoint, models.PROTECT, null=True, blank=True,
                                      related_name="comments", verbose_name="基层立法联系点")
    meeting = models.ForeignKey(ContactPointMeeting, models.SET_NULL, null=True, blank=True,
                                related_name="comments")
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("提出时间", default=timezone.now, db_index=True)
    duplicate_of = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="duplicates",
                                     verbose_name="与之重复的意见")
    outcome = models.CharField("办理结果", max_length=12, choices=Outcome.choices, blank=True, db_index=True)
    reason = models.TextField("理由", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    adopted_in = models.ForeignKey(Draft, models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name="采纳于")
    adopted_keys = models.CharField("采纳于条款", max_length=100, blank=True, help_text="如 12,13")

    class Meta:
        verbose_name = verbose_name_plural = "意见"
        ordering = ["period", "created_at", "pk"]
        indexes = [models.Index(fields=["ip_hash", "created_at"])]

    def __str__(self) -> str:
        head = self.text[:20] + ("…" if len(self.text) > 20 else "")
        return f"{self.article_label}：{head}"

    def get_absolute_url(self) -> str:
        return f"{reverse('legislation:comment_period', args=[self.period_id])}#c{self.pk}"

    # The commenter's phone or e-mail: set in clear, stored encrypted, shown masked to the 法工委.
    @property
    def contact(self) -> str:
        return sm4_decrypt(self.contact_encrypted)

    @contact.setter
    def contact(self, value: str) -> None:
        self.contact_encrypted = sm4_encrypt(value)

    @property
    def contact_masked(self) -> str:
        return mask(self.contact)

    @property
    def article_label(self) -> str:
        return key_label(self.article_key)

    @property
    def adopted_labels(self) -> list[str]:
        return [key_label(k) for k in self.adopted_keys.split(",") if k]

    @property
    def source(self) -> str:
        """Who it came from, as the 法工委's pages say it (never shown on the portal)."""
        if self.contact_point_id:
            return self.contact_point.name
        if self.organization_id:
            return self.organization.name
        if self.author_id:
            return self.author.name
        return self.name or "网民"


def key_label(key: str) -> str:
    """"10" → 第十条, "10-1" → 第十条之一, "" → 草案整体."""
    from lvzhi.legislation.articles import int_to_cn

    if not key:
        return "草案整体"
    number, _, sub = key.partition("-")
    if not number.isdigit():
        return key
    return f"第{int_to_cn(int(number))}条" + (f"之{int_to_cn(int(sub))}" if sub.isdigit() else "")
