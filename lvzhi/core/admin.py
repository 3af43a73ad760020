"""What each admin role manages (see admin_site.py), and the audit event for every change."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.text import Truncator

from lvzhi.core import audit
from lvzhi.core.admin_site import ADMIN_ROLES, ReadOnlyAdmin, RoleAdmin, name_fields
from lvzhi.core.forms import TemporaryPasswordForm
from lvzhi.core.models import Congress, DayOverride, Organization, Role, SecurityPolicy, Session, Term, User

for _model in (Term, Organization, DayOverride):
    name_fields(_model, congress="人大")
name_fields(Session, term="届")


def shortened(text: str, limit: int = 20) -> str:
    """A long free text for a list column: its first `limit` characters and an ellipsis, the
    whole text in the tooltip (and on the change page). static/css/admin.css keeps it on one line."""
    text = " ".join(str(text or "").split())
    short = Truncator(text).chars(limit, truncate="…")
    if short == text:
        return text
    return format_html('<span class="cell-long" title="{}">{}</span>', text, short)


# 浏览器 in the login logs: the family and major version a person recognises, and the device,
# read from the user agent (the raw header stays on the change page). Checked in this order:
# Edge, Opera and the Chinese browsers also name Chrome and Safari in their header.
_BROWSERS = [
    (r"MicroMessenger/(\d+)", "微信内置浏览器"), (r"QQBrowser/(\d+)", "QQ浏览器"),
    (r"UCBrowser/(\d+)", "UC浏览器"), (r"(?:QihooBrowser|360SE|360EE)/?(\d*)", "360浏览器"),
    (r"Edg(?:e|A|iOS)?/(\d+)", "微软浏览器"), (r"(?:OPR|Opera)/(\d+)", "欧朋浏览器"),
    (r"HeadlessChrome/(\d+)", "谷歌浏览器 {}（无界面，自动程序）"), (r"(?:Chrome|CriOS)/(\d+)", "谷歌浏览器"),
    (r"(?:Firefox|FxiOS)/(\d+)", "火狐浏览器"), (r"Version/(\d+)[.\d]* (?:Mobile/\S+ )?Safari/", "苹果浏览器"),
    (r"(?:MSIE |Trident/.*rv:)(\d+)", "IE浏览器"),
]
_DEVICES = [
    (r"HarmonyOS|OpenHarmony", "鸿蒙设备"), (r"Android.*Mobile", "安卓手机"), (r"Android", "安卓平板"),
    (r"iPhone", "苹果手机"), (r"iPad", "苹果平板"), (r"Macintosh|Mac OS X", "苹果电脑"),
    (r"Windows", "视窗电脑"), (r"CrOS", "谷歌电脑"), (r"X11|Linux", "电脑"),
]


def browser_label(user_agent: str | None) -> str:
    """"谷歌浏览器 120 / 视窗电脑" from a user agent; "未知" when it names nothing known.
    In Chinese: the admin's lists speak no English (lvzhi/testing_text.py)."""
    ua = user_agent or ""
    browser = next(((name if "{}" in name else name + " {}").format(m.group(1)).replace(" （", "（").strip()
                    for pattern, name in _BROWSERS if (m := re.search(pattern, ua))), "")
    device = next((name for pattern, name in _DEVICES if re.search(pattern, ua)), "")
    return " / ".join(x for x in (browser, device) if x) or ("未知" if ua else "")


@admin.register(Congress)
class CongressAdmin(RoleAdmin):
    list_display = ["name", "level", "parent"]


@admin.register(Term)
class TermAdmin(RoleAdmin):
    list_display = ["__str__", "congress", "start_on", "end_on"]


@admin.register(Session)
class SessionAdmin(RoleAdmin):
    list_display = ["__str__", "opens_on", "closes_on"]


def function_choices(current: str = "") -> list[tuple[str, str]]:
    """The offices the registered kinds name (CaseKind.relations.office), by what they handle;
    a stored code no kind names any more stays choosable as it is."""
    from lvzhi.cases.kinds import all_kinds

    handled: dict[str, list[str]] = {}
    for kind in all_kinds():
        handled.setdefault(kind.relations.office, []).append(kind.label)
    choices = [("", "不承担案件办理职能")] + [
        (code, f"立案、交办和审核：{'、'.join(labels)}") for code, labels in handled.items()]
    if current and current not in handled:
        choices.append((current, current))
    return choices


@admin.register(Organization)
class OrganizationAdmin(RoleAdmin):
    list_display = ["name", "kind", "field", "congress", "is_active"]
    list_filter = ["kind", "field", "congress"]
    search_fields = ["name"]

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "function" in form.base_fields:
            field = form.base_fields["function"]
            form.base_fields["function"] = forms.ChoiceField(
                label="办理职能", required=False, choices=function_choices(obj.function if obj else ""),
                help_text="办事机构承担的案件办理职能，由各类事项声明；承办单位不填。", initial=field.initial)
        return form


def _shown(model, name: str, value) -> str:
    """A field's value as the admin shows it (choices by label, relations by name)."""
    if value is None or value == "":
        return ""
    field = model._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and not isinstance(value, models.Model):
        value = field.related_model._default_manager.filter(pk=value).first()
    return str(value)


def is_protected(user: User) -> bool:
    """Accounts the system administrator may not touch: every administrator's and a superuser's."""
    return user.is_superuser or user.role in ADMIN_ROLES


@admin.register(User)
class UserAdmin(RoleAdmin, BaseUserAdmin):
    """Accounts and roles, for the system administrator (三权分立):

    * not its own account and no administrator's (system, security, audit, superuser): those
      are created with `manage.py create_admin_account` and shown here read-only;
    * no admin role and no superuser or staff flag can be given;
    * a password is set only as a temporary one that its owner must change at the next login;
    * accounts are deactivated, never deleted (their events keep pointing at them).
    Every creation, change, role change, (de)activation and password reset is an audit event.
    """

    list_display = ["username", "display_name", "role", "congress_shown", "organization_shown", "is_active",
                    "must_change_password"]
    list_filter = ["role", "congress", "is_active", "must_change_password"]
    search_fields = ["username", "display_name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("身份", {"fields": ["display_name", "role", "congress", "organization"]}),
        ("状态", {"fields": ["is_active", "must_change_password", "password_changed_at", "last_login",
                           "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["username", "password1", "password2", "display_name",
                                        "role", "congress", "organization"]})]
    readonly_fields = ["password_changed_at", "last_login", "date_joined"]
    change_password_form = TemporaryPasswordForm
    change_user_password_template = "core/admin/temporary_password.html"

    # Short names keep the list narrow enough for one screen; the change page shows the full ones.
    @admin.display(description="所属人大", ordering="congress")
    def congress_shown(self, user: User) -> str:
        return (user.congress.short_name or user.congress.name) if user.congress else "-"

    @admin.display(description="所属机构", ordering="organization")
    def organization_shown(self, user: User) -> str:
        org = user.organization
        return (org.short_name or org.name) if org else "-"

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("congress", "organization")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or request.user.is_superuser or not (is_protected(obj) or obj.pk == request.user.pk)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # deactivate instead: events and history point at the account

    def formfield_for_choice_field(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [(v, label) for v, label in Role.choices if v not in ADMIN_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None and "password1" in form.base_fields:
            from lvzhi.core.passwords import policy_text

            form.base_fields["password1"].label = "初始密码"
            form.base_fields["password1"].help_text = policy_text() + "用户首次登录时须修改此密码。"
        return form

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        if not request.user.is_superuser:
            if obj.role in ADMIN_ROLES or obj.is_superuser or (change and obj.pk == request.user.pk):
                raise PermissionDenied("系统管理员不能设置管理员角色，也不能修改自己的账户")
            if not change:
                obj.is_superuser = obj.is_staff = False
        before = User.objects.filter(pk=obj.pk).first() if change else None
        if not change:
            obj.must_change_password = True  # the initial password is the administrator's
        super().save_model(request, obj, form, change)
        self._audit_save(request, obj, form, before)

    def _audit_save(self, request: HttpRequest, obj: User, form, before: User | None) -> None:
        actor = request.user
        if before is None:
            audit.record(audit.ACCOUNT, obj.pk, "account_created", "新建账户", actor=actor, target=obj,
                         to_state=obj.role, payload={
                             "role": obj.get_role_display(), "congress": _shown(User, "congress", obj.congress),
                             "organization": _shown(User, "organization", obj.organization)})
            return
        if before.role != obj.role:
            audit.record(audit.ACCOUNT, obj.pk, "role_changed", "变更角色", actor=actor, target=obj,
                         from_state=before.role, to_state=obj.role,
                         payload={"from": before.get_role_display(), "to": obj.get_role_display()})
        if before.is_active != obj.is_active:
            name, label = ("account_activated", "启用账户") if obj.is_active else ("account_deactivated", "停用账户")
            audit.record(audit.ACCOUNT, obj.pk, name, label, actor=actor, target=obj)
        others = [f for f in form.changed_data if f not in {"role", "is_active", "password"}]
        if others:
            changes = {User._meta.get_field(f).verbose_name: [_shown(User, f, getattr(before, f)),
                                                               _shown(User, f, getattr(obj, f))]
                       for f in others}
            audit.record(audit.ACCOUNT, obj.pk, "account_changed", "修改账户信息", actor=actor, target=obj,
                         payload={"changes": {str(k): v for k, v in changes.items()}})

    def user_change_password(self, request: HttpRequest, id, form_url=""):
        """Only ever a temporary password (TemporaryPasswordForm), and an audit event."""
        target = self.get_object(request, unquote(id))
        before = target.password if target is not None else None
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and target is not None:
                target.refresh_from_db()
                if target.password != before:
                    audit.record(audit.ACCOUNT, target.pk, "password_reset", "重置密码（临时密码，下次登录须修改）",
                                 actor=request.user, target=target)
        return response


@admin.register(DayOverride)
class DayOverrideAdmin(RoleAdmin):
    """A holiday notice or a local day off moves every open working-day deadline (see signals)."""

    list_display = ["day", "is_workday", "note_short", "congress"]
    list_filter = ["congress", "is_workday"]

    @admin.display(description="说明", ordering="note")
    def note_short(self, day: DayOverride) -> str:
        return shortened(day.note)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        messages.info(request, "已按新的工作日安排重新计算在办期限。")


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    """The admin site's own log (django_admin_log): every add, change and delete made here."""

    roles = frozenset()
    viewers = frozenset({Role.AUDIT_ADMIN})
    list_display = ["action_time", "user", "content_type", "object_short", "action_flag", "message"]
    list_filter = ["action_flag", "content_type"]
    search_fields = ["object_repr", "change_message", "user__username"]
    date_hierarchy = "action_time"

    @admin.display(description="对象", ordering="object_repr")
    def object_short(self, entry: LogEntry) -> str:
        return shortened(entry.object_repr)

    @admin.display(description="操作内容")
    def message(self, entry: LogEntry) -> str:
        return shortened(entry.get_change_message(), 24)


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(RoleAdmin):
    """The security administrator's 安全策略 (the password policy and the token lifetime); the
    audit administrator may look. Each change is an audit event with the values before and after."""

    roles = frozenset({Role.SECURITY_ADMIN})
    viewers = frozenset({Role.AUDIT_ADMIN})
    list_display = ["__str__", "password_min_length", "password_min_classes", "password_history",
                    "password_max_age_days", "api_token_days", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not SecurityPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: SecurityPolicy, form, change: bool) -> None:
        before = SecurityPolicy.current()
        super().save_model(request, obj, form, change)
        fields = [f.name for f in SecurityPolicy._meta.fields if f.name not in {"id", "updated_at"}]
        changes = {str(SecurityPolicy._meta.get_field(f).verbose_name): [getattr(before, f), getattr(obj, f)]
                   for f in fields if getattr(before, f) != getattr(obj, f)}
        audit.record(audit.POLICY, obj.pk, "policy_changed", "修改安全策略", actor=request.user,
                     payload={"changes": changes})


# Login lockouts and lost authenticator devices belong to the security administrator alone;
# the logs of logins may be read by the audit administrator too. Nobody adds or edits them.
def _register_axes() -> None:
    from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    security = frozenset({Role.SECURITY_ADMIN})

    class BrowserColumn:
        """The lists show 浏览器 ("谷歌浏览器 120 / 视窗电脑") where axes shows the raw user
        agent; the change page keeps the header as it came."""

        def get_list_display(self, request: HttpRequest):
            return [("browser" if f == "user_agent" else f) for f in super().get_list_display(request)]

        @admin.display(description="浏览器", ordering="user_agent")
        def browser(self, obj) -> str:
            return browser_label(obj.user_agent)

    class SecurityDeleteOnly(RoleAdmin):
        roles = security

        def has_add_permission(self, request: HttpRequest) -> bool:
            return False

        def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
            return False

        def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
            return request.user.is_superuser or self._role(request) in self.roles

        def delete_model(self, request: HttpRequest, obj) -> None:
            with transaction.atomic():
                self.audit_removal(request, obj)
                super().delete_model(request, obj)

        def delete_queryset(self, request: HttpRequest, queryset) -> None:
            with transaction.atomic():
                for obj in queryset:
                    self.audit_removal(request, obj)
                super().delete_queryset(request, queryset)

    class SecurityAccessAttemptAdmin(BrowserColumn, SecurityDeleteOnly, AccessAttemptAdmin):
        """Deleting a row unlocks that username at that address."""

        def audit_removal(self, request: HttpRequest, attempt) -> None:
            user = User.objects.filter(username=attempt.username).first() if attempt.username else None
            subject = (audit.ACCOUNT, user.pk) if user else (audit.LOCKOUT, attempt.pk)
            audit.record(*subject, "lockout_cleared", "解除登录锁定", actor=request.user, target=user,
                         payload={"username": attempt.username or "", "ip": attempt.ip_address or "",
                                  "failures": attempt.failures_since_start})

    class SecurityTOTPDeviceAdmin(SecurityDeleteOnly, TOTPDeviceAdmin):
        """Deleting a device (a lost phone) lets its owner log in with the password alone and
        enrol again; the secret is never shown (OTP_ADMIN_HIDE_SENSITIVE_DATA)."""

        search_help_text = "按用户名查找"
        # django-otp names its sections in English; the same sections, named in Chinese.
        SECTIONS = {"Identity": "设备", "Timestamps": "时间", "Configuration": "参数", "State": "状态",
                    "Throttling": "失败限制"}

        def get_fieldsets(self, request: HttpRequest, obj=None):
            return [(self.SECTIONS.get(name, name), options)
                    for name, options in super().get_fieldsets(request, obj)]

        def audit_removal(self, request: HttpRequest, device) -> None:
            audit.record(audit.DEVICE, device.pk, "device_removed", "解除动态验证码设备", actor=request.user,
                         target=device.user, payload={"device": device.name, "confirmed": device.confirmed})

    class LoginLogAdmin(ReadOnlyAdmin):
        roles = frozenset()
        viewers = frozenset({Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


    for model, admin_class in (
            (AccessAttempt, SecurityAccessAttemptAdmin),
            (AccessLog, type("SecurityAccessLogAdmin", (BrowserColumn, LoginLogAdmin, AccessLogAdmin), {})),
            (AccessFailureLog, type("SecurityAccessFailureLogAdmin",
                                    (BrowserColumn, LoginLogAdmin, AccessFailureLogAdmin), {})),
            (TOTPDevice, SecurityTOTPDeviceAdmin)):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, admin_class)


_register_axes()


def _hide_groups() -> None:
    """Access follows the account's role (RoleAdmin), never Django's groups and permissions:
    a page to edit them would suggest a second, unused way of granting rights."""
    from django.contrib.auth.models import Group

    if admin.site.is_registered(Group):
        admin.site.unregister(Group)


_hide_groups()
