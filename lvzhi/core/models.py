"""The bodies, periods and people every other app hangs from."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class CongressLevel(models.TextChoices):
    REGION = "region", "自治区/省"
    CITY = "city", "市"
    COUNTY = "county", "县(旗、区)"
    TOWNSHIP = "township", "乡镇"


class Congress(models.Model):
    """A people's congress at one level; `parent` lets a higher level see lower ones."""

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40)
    level = models.CharField("层级", max_length=16, choices=CongressLevel.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name="上级人大")

    class Meta:
        verbose_name = verbose_name_plural = "人民代表大会"

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """届: a five-year term, e.g. 第十六届."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField("届次")
    start_on = models.DateField("起始日期")
    end_on = models.DateField("届满日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "届"
        unique_together = [("congress", "number")]
        ordering = ["-number"]

    def __str__(self) -> str:
        from lvzhi.core.numbering import chinese_numeral

        return f"第{chinese_numeral(self.number)}届"


class Session(models.Model):
    """次会议: one plenary session of a term. Items raised between sessions have none."""

    term = models.ForeignKey(Term, models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField("会次")
    opens_on = models.DateField("开幕日期")
    closes_on = models.DateField("闭幕日期")

    class Meta:
        verbose_name = verbose_name_plural = "次会议"
        unique_together = [("term", "number")]
        ordering = ["-term__number", "-number"]

    def __str__(self) -> str:
        from lvzhi.core.numbering import chinese_numeral

        return f"{self.term}第{chinese_numeral(self.number)}次会议"

    @property
    def congress(self) -> Congress:
        return self.term.congress


class OrganizationKind(models.TextChoices):
    COMMITTEE = "committee", "专门委员会/工作委员会"
    WORKING_BODY = "working_body", "办事机构"
    UNIT = "unit", "承办单位"


class Organization(models.Model):
    """A committee, a working body of the standing committee, or a handling unit."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="organizations")
    kind = models.CharField("类型", max_length=16, choices=OrganizationKind.choices)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    function = models.CharField(
        "职能代码", max_length=30, blank=True, db_index=True,
        help_text="办事机构承担的案件办理职能，如 suggestion_office(代表工委)、general_office(办公室)；"
                  "各类事项声明由哪个职能的机构立案、交办、审核")
    field = models.CharField("工作领域", max_length=40, blank=True,
                             help_text="与建议类别对应，如 城乡建设、交通运输；用于智能交办")
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "机构与承办单位"
        unique_together = [("congress", "name")]
        ordering = ["kind", "sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """One role per account; the three admin roles are kept apart (等保 三权分立)."""

    DEPUTY = "deputy", "人大代表"
    CLERK = "clerk", "办事机构工作人员"
    COMMITTEE_STAFF = "committee_staff", "专工委工作人员"
    LEADER = "leader", "主任会议成员"
    UNIT_HANDLER = "unit_handler", "承办单位经办人"
    UNIT_HEAD = "unit_head", "承办单位负责人"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


UNIT_ROLES = {Role.UNIT_HANDLER, Role.UNIT_HEAD}
OFFICE_ROLES = {Role.CLERK, Role.LEADER, Role.COMMITTEE_STAFF}


class User(AbstractUser):
    """An account, scoped to one congress and, for unit and committee roles, one organization."""

    display_name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.DEPUTY)
    congress = models.ForeignKey(Congress, models.PROTECT, null=True, blank=True,
                                 related_name="users", verbose_name="所属人大")
    organization = models.ForeignKey(Organization, models.PROTECT, null=True, blank=True,
                                     related_name="users", verbose_name="所属机构")
    # An account the system administrator creates or whose password it resets gets True: the
    # first login goes to the change-password page (RequirePasswordChangeMiddleware).
    must_change_password = models.BooleanField(
        "下次登录须修改密码", default=False,
        help_text="管理员新建账户或重置密码后为“是”：用户登录后须先修改密码")
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now,
                                               help_text="密码有效期从此时起算（见安全策略）")

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args, **kwargs) -> None:
        # set_password() leaves the raw password in _password until the save; a rehash on
        # login (check_password's setter) clears it first, so it does not count as a change.
        self._lvzhi_password_set = self._password is not None
        if self._lvzhi_password_set:
            self.password_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "password_changed_at"}
        try:
            super().save(*args, **kwargs)
            if self._lvzhi_password_set:
                PasswordHistory.remember(self)
        finally:
            self._lvzhi_password_set = False

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def is_unit_user(self) -> bool:
        return self.role in UNIT_ROLES


class DayOverride(models.Model):
    """A congress's own working-day exception over the national calendar (a local day off)."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="day_overrides")
    day = models.DateField("日期")
    is_workday = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作日调整"
        unique_together = [("congress", "day")]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_workday else '休息'}"


class Notification(models.Model):
    """An in-app message: invitations, reminders, overdue warnings."""

    user = models.ForeignKey(User, models.CASCADE, related_name="notifications")
    case = models.ForeignKey("cases.Case", models.CASCADE, null=True, blank=True,
                             related_name="notifications")
    text = models.CharField("内容", max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "消息提醒"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


class PasswordHistory(models.Model):
    """The hashes of an account's earlier passwords, so a new one cannot repeat the last few."""

    KEEP = 24  # the most the policy may ask for

    user = models.ForeignKey(User, models.CASCADE, related_name="password_history")
    password = models.CharField("密码摘要", max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-pk"]

    @classmethod
    def remember(cls, user: User) -> None:
        if not user.has_usable_password():
            return
        cls.objects.create(user=user, password=user.password)
        old = cls.objects.filter(user=user).values_list("pk", flat=True)[cls.KEEP:]
        cls.objects.filter(pk__in=list(old)).delete()


def default_password_max_age() -> int:
    return settings.PASSWORD_MAX_AGE_DAYS


def default_api_token_days() -> int:
    return settings.API_TOKEN_DAYS


class SecurityPolicy(models.Model):
    """The one row of account policy that the security administrator keeps (等保 安全管理员).

    Without a row the defaults apply (LVZHI_PASSWORD_MAX_AGE_DAYS, LVZHI_API_TOKEN_DAYS). The
    validators keep the floors 等保 asks for: the policy can be made stricter, not weaker.
    """

    password_min_length = models.PositiveSmallIntegerField(
        "密码最短长度", default=10, validators=[MinValueValidator(10), MaxValueValidator(64)])
    password_min_classes = models.PositiveSmallIntegerField(
        "密码至少包含的字符种类", default=3, validators=[MinValueValidator(3), MaxValueValidator(4)],
        help_text="大写字母、小写字母、数字、符号四类中至少包含几类")
    password_history = models.PositiveSmallIntegerField(
        "不得重复使用最近几次的密码", default=5,
        validators=[MinValueValidator(5), MaxValueValidator(PasswordHistory.KEEP)])
    password_max_age_days = models.PositiveSmallIntegerField(
        "密码有效期（天）", default=default_password_max_age, validators=[MaxValueValidator(365)],
        help_text="超过天数未修改密码的，登录后须先修改；0 表示不限")
    api_token_days = models.PositiveSmallIntegerField(
        "接口令牌有效期（天）", default=default_api_token_days,
        validators=[MinValueValidator(1), MaxValueValidator(365)])
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "安全策略"

    def __str__(self) -> str:
        return "账户安全策略"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # one row
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> SecurityPolicy:
        return cls.objects.filter(pk=1).first() or cls()


class ApiToken(models.Model):
    """An API token: only its prefix (to find it) and the SM3 digest of the whole key are stored.

    The key itself is shown once, when it is issued (lvzhi.core.tokens.issue); it expires, and is
    revoked on a password change, a deactivation, a role change and when the owner enrols an
    authenticator app (lvzhi.core.signals). No admin page lists tokens; each owner sees their own
    on 我的接口令牌.
    """

    PREFIX_LENGTH = 12

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens", verbose_name="用户")
    prefix = models.CharField("令牌前缀", max_length=PREFIX_LENGTH, unique=True)
    digest = models.CharField("SM3摘要", max_length=64)
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    expires_at = models.DateTimeField("到期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_reason = models.CharField("撤销原因", max_length=40, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    def is_active(self, now: dt.datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "已撤销"
        return "有效" if self.is_active() else "已过期"
