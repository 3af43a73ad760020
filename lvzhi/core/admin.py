from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from lvzhi.core.admin_site import RoleAdmin
from lvzhi.core.models import Congress, DayOverride, Organization, Session, Term, User


@admin.register(Congress)
class CongressAdmin(RoleAdmin):
    list_display = ["name", "level", "parent"]


@admin.register(Term)
class TermAdmin(RoleAdmin):
    list_display = ["__str__", "congress", "start_on", "end_on"]


@admin.register(Session)
class SessionAdmin(RoleAdmin):
    list_display = ["__str__", "opens_on", "closes_on"]


@admin.register(Organization)
class OrganizationAdmin(RoleAdmin):
    list_display = ["name", "kind", "field", "congress", "is_active"]
    list_filter = ["kind", "field", "congress"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(RoleAdmin, BaseUserAdmin):
    list_display = ["username", "display_name", "role", "congress", "organization", "is_active"]
    list_filter = ["role", "congress", "is_active"]
    search_fields = ["username", "display_name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("身份", {"fields": ["display_name", "role", "congress", "organization"]}),
        ("状态", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["username", "password1", "password2", "display_name",
                                        "role", "congress", "organization"]})]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(DayOverride)
class DayOverrideAdmin(RoleAdmin):
    """A holiday notice or a local day off moves every open working-day deadline (see signals)."""

    list_display = ["day", "is_workday", "note", "congress"]
    list_filter = ["congress", "is_workday"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        messages.info(request, "已按新的工作日安排重新计算在办期限。")


# Login lockouts and lost authenticator devices belong to the security administrator alone.
def _register_axes() -> None:
    from axes.admin import AccessAttemptAdmin, AccessLogAdmin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lvzhi.core.models import Role

    for model, base in ((AccessAttempt, AccessAttemptAdmin), (AccessLog, AccessLogAdmin),
                        (AccessFailureLog, admin.ModelAdmin), (TOTPDevice, TOTPDeviceAdmin)):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, type(f"Security{model.__name__}Admin", (RoleAdmin, base),
                                        {"roles": frozenset({Role.SECURITY_ADMIN})}))


_register_axes()
