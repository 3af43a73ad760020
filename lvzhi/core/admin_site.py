"""The admin site for the three separated admin roles (等保 三权分立).

system_admin: accounts, organizations, deputies, calendar and rules; security_admin: login
lockouts; audit_admin: the event log, read-only. No admin role reads or edits case content.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from lvzhi.core.models import Role

ADMIN_ROLES = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}


class LvzhiAdminSite(admin.AdminSite):
    site_header = "履职平台 · 系统管理"
    site_title = "履职平台管理"
    index_title = "管理功能"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.role in ADMIN_ROLES)


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
