"""The bodies, periods and people every other app hangs from."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
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

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

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
