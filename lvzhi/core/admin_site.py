"""The admin site for the three separated admin roles (等保 三权分立).

system_admin: accounts and roles (never its own or another administrator's), organizations,
deputies, calendar and rules; security_admin: the 安全策略, login lockouts and authenticator
devices; audit_admin: the event log, the admin site's own log and 管理员操作审计, read-only.
No admin role reads or edits case content, and nobody sees API tokens. A superuser exists only
as a break-glass account (createsuperuser); each of its logins is an audited event.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from lvzhi.core.models import Role

ADMIN_ROLES = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}


def name_fields(model, **labels: str) -> None:
    """Chinese names for fields the models leave unnamed (Django then shows "congress"), for
    the admin's columns, filters and forms. Only the shown name changes: migrations read the
    name a field was declared with (Field._verbose_name), so no migration follows."""
    for name, label in labels.items():
        model._meta.get_field(name).verbose_name = label


def _boolean_icon(value: bool | None) -> str:
    """Django's yes/no icon, whose text (read out by screen readers) is Python's True/False."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    icon, text = {True: ("yes", "是"), False: ("no", "否"), None: ("unknown", "未知")}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)


# Every admin list and record fetches the icon from this module at call time.
admin_list._boolean_icon = _boolean_icon


class LvzhiAdminSite(admin.AdminSite):
    site_header = "履职平台 · 系统管理"
    site_title = "履职平台管理"
    index_title = "管理功能"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.role in ADMIN_ROLES)

    def password_change(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # One change-password page for everyone, with the Chinese policy and the audit event.
        return redirect("password_change")

    # ------------------------------------------------------------ 管理员操作审计

    @staticmethod
    def may_audit(request: HttpRequest) -> bool:
        return request.user.is_superuser or getattr(request.user, "role", "") == Role.AUDIT_ADMIN

    def get_urls(self):
        return [path("audit/", self.admin_view(self.audit_view), name="lvzhi_audit"), *super().get_urls()]

    def get_app_list(self, request: HttpRequest, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is None and self.may_audit(request):
            url = reverse("admin:lvzhi_audit", current_app=self.name)
            apps.insert(0, {"name": "审计", "app_label": "lvzhi_audit", "app_url": url,
                            "has_module_perms": True, "models": [{
                                "name": "管理员操作审计", "object_name": "AdminAudit", "admin_url": url,
                                "add_url": None, "view_only": True,
                                "perms": {"add": False, "change": False, "delete": False, "view": True}}]})
        return apps

    def audit_view(self, request: HttpRequest) -> HttpResponse:
        """Every administrator's actions: the chain's account/token/policy/device/lockout events
        and the admin site's own log (django_admin_log), for the audit administrator only."""
        from django.contrib.admin.models import LogEntry

        from lvzhi.cases.models import Event
        from lvzhi.core import audit
        from lvzhi.core.audit import SUBJECT_LABELS, SUBJECT_TYPES

        if not self.may_audit(request):
            raise PermissionDenied("只有审计管理员可以查看管理员操作审计")
        chosen = request.GET.get("type", "")
        types = [chosen] if chosen in SUBJECT_TYPES else list(SUBJECT_TYPES)
        events = (Event.objects.filter(subject_type__in=types).select_related("congress", "case")
                  .order_by("-at", "-pk"))
        page = Paginator(events, 50).get_page(request.GET.get("page"))
        for e in page:  # shown by labels, never by codes (lvzhi.core.audit)
            e.subject_text = audit.subject_shown(e)
            e.change_text = " → ".join(
                x for x in (audit.state_shown(e, e.from_state), audit.state_shown(e, e.to_state)) if x)
            e.details = audit.payload_rows(e.payload)
        entries = LogEntry.objects.select_related("user", "content_type").order_by("-action_time")[:100]
        return TemplateResponse(request, "core/admin/audit.html", {
            **self.each_context(request), "title": "管理员操作审计", "page": page,
            "types": SUBJECT_LABELS, "chosen": chosen, "entries": entries})


class RoleAdmin(admin.ModelAdmin):
    """Access by role instead of Django's per-model permissions: `roles` may change, `viewers`
    may only look. A superuser (created by createsuperuser) may do everything."""

    roles: frozenset[str] = frozenset({Role.SYSTEM_ADMIN})
    viewers: frozenset[str] = frozenset()

    def _role(self, request: HttpRequest) -> str:
        return getattr(request.user, "role", "")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or self._role(request) in self.roles | self.viewers

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or self._role(request) in self.roles

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser or self._role(request) in self.roles

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_change_permission(request, obj)


class ReadOnlyAdmin(RoleAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
