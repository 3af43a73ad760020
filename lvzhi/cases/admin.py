from __future__ import annotations

from django.contrib import admin, messages

from lvzhi.cases.events import verify_chain
from lvzhi.cases.models import Event, RuleSet
from lvzhi.core.admin_site import ReadOnlyAdmin, RoleAdmin
from lvzhi.core.models import Role


@admin.register(RuleSet)
class RuleSetAdmin(RoleAdmin):
    """Each field's help text names its article (RULES.md); saving recomputes open deadlines."""

    list_display = ["congress", "reply_months", "reply_max_months", "evaluation_workdays",
                    "warn_days", "motion_min_cosigners", "reply_classes"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """The audit trail for the audit administrator: read-only, with a chain check."""

    roles = frozenset()
    viewers = frozenset({Role.AUDIT_ADMIN})
    list_display = ["seq", "congress", "label", "actor_label", "subject_type", "subject_id",
                    "from_state", "to_state", "at"]
    list_filter = ["congress", "subject_type", "name"]
    search_fields = ["actor_label", "label"]
    actions = ["check_chain"]

    def get_actions(self, request):
        # The check writes nothing, so a read-only viewer may run it.
        actions = super().get_actions(request)
        if self.has_view_permission(request):
            actions["check_chain"] = self.get_action("check_chain")
        return actions

    @admin.action(description="校验所选记录所在人大的SM3事件链")
    def check_chain(self, request, queryset):
        for congress_id in set(queryset.values_list("congress_id", flat=True)):
            ok, seq = verify_chain(congress_id)
            if ok:
                messages.success(request, f"人大 {congress_id}：事件链完整。")
            else:
                messages.error(request, f"人大 {congress_id}：事件链自第 {seq} 条起不一致，记录可能被篡改。")
