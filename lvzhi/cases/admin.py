from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from lvzhi.cases.events import FULL_CHECK_TASK, verify_chain_report, verify_chain_task
from lvzhi.cases.models import CaseNumberCounter, ChainHead, Event, RuleSet
from lvzhi.core import audit
from lvzhi.core.admin import shortened
from lvzhi.core.admin_site import ReadOnlyAdmin, RoleAdmin, name_fields
from lvzhi.core.models import Role

name_fields(RuleSet, congress="人大")
# Not in the admin, but named in the admin log's filter of record types.
CaseNumberCounter._meta.verbose_name = CaseNumberCounter._meta.verbose_name_plural = "编号计数器"
ChainHead._meta.verbose_name = ChainHead._meta.verbose_name_plural = "事件链头"
name_fields(Event, congress="人大", case="案件", actor="操作人账户", from_state="原状态", to_state="新状态",
            payload="详情", at="时间", prev_hash="前一条摘要", hash="摘要")


@admin.register(RuleSet)
class RuleSetAdmin(RoleAdmin):
    """Each field's help text names its article (RULES.md); saving recomputes open deadlines."""

    list_display = ["congress", "reply_months", "reply_max_months", "evaluation_workdays",
                    "warn_days", "motion_min_cosigners", "classes"]
    # The model's own help texts show codes (a JSON example, "ABC"); the form says it for a clerk.
    HELP = {"params": "其他各类事项自己声明的期限长度（按期限代码填写）；不填时用各类事项声明的默认值，"
                      "一般无须修改。",
            "reply_classes": "启用的答复分类：A、B、C 三类，或 A、B、C、D 四类（填写字母，不加分隔）。"}

    @admin.display(description="答复分类", ordering="reply_classes")
    def classes(self, rules: RuleSet) -> str:
        return "、".join(rules.reply_classes) + "类"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        for name, text in self.HELP.items():
            if name in form.base_fields:
                form.base_fields[name].help_text = text
        return form

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ActionFilter(admin.SimpleListFilter):
    """The transitions by the labels their events recorded, never by code."""

    title = "操作"
    parameter_name = "name"

    def lookups(self, request, model_admin):
        labels: dict[str, str] = {}
        for name, label in Event.objects.order_by("name", "-seq").values_list("name", "label"):
            labels.setdefault(name, label)
        return sorted(labels.items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(name=self.value()) if self.value() else queryset


class SubjectFilter(admin.SimpleListFilter):
    title = "对象类型"
    parameter_name = "subject_type"

    def lookups(self, request, model_admin):
        present = Event.objects.order_by().values_list("subject_type", flat=True).distinct()
        return [(code, audit.subject_label(code)) for code in sorted(set(present))]

    def queryset(self, request, queryset):
        return queryset.filter(subject_type=self.value()) if self.value() else queryset


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """The audit trail for the audit administrator: read-only, with a chain check. States and
    subjects are shown by their labels (the kind's registry, the roles), codes only if unknown."""

    roles = frozenset()
    viewers = frozenset({Role.AUDIT_ADMIN})
    # What happened first (when, what, to which case, by whom), then where; the details shortened
    # (the change page has them in full). static/css/admin.css keeps each cell on one line.
    list_display = ["seq", "at_shown", "label", "subject_shown", "actor_label", "from_shown", "to_shown",
                    "details_short", "congress_shown"]
    list_select_related = ["congress", "case"]
    list_filter = ["congress", SubjectFilter, ActionFilter]
    search_fields = ["actor_label", "label"]
    actions = ["check_chain", "full_check_chain"]
    fields = ["seq", "congress", "at", "label", "actor_label", "subject_shown", "from_shown", "to_shown",
              "payload_shown", "digest_version", "prev_hash", "hash"]
    readonly_fields = ["congress", "subject_shown", "from_shown", "to_shown", "payload_shown"]

    @admin.display(description="人大", ordering="congress")
    def congress_shown(self, event: Event) -> str:
        return event.congress.short_name or event.congress.name

    @admin.display(description="对象（案件编号）")
    def subject_shown(self, event: Event) -> str:
        return audit.subject_shown(event)

    @admin.display(description="时间", ordering="at")
    def at_shown(self, event: Event) -> str:
        return timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M")

    @admin.display(description="详情")
    def details_short(self, event: Event) -> str:
        return shortened("；".join(f"{k}：{v}" for k, v in audit.payload_rows(event.payload) if v), 18) or "-"

    @admin.display(description="原状态", ordering="from_state")
    def from_shown(self, event: Event) -> str:
        return audit.state_shown(event, event.from_state)

    @admin.display(description="新状态", ordering="to_state")
    def to_shown(self, event: Event) -> str:
        return audit.state_shown(event, event.to_state)

    @admin.display(description="详情")
    def payload_shown(self, event: Event) -> str:
        rows = audit.payload_rows(event.payload)
        if not rows:
            return "无"
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))

    def get_actions(self, request):
        # The checks write nothing in the chain, so a read-only viewer may run them.
        actions = super().get_actions(request)
        if self.has_view_permission(request):
            for name in ("check_chain", "full_check_chain"):
                actions[name] = self.get_action(name)
        return actions

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and self.has_view_permission(request):
            self._show_full_checks(request)
        return super().changelist_view(request, extra_context)

    @admin.action(description="校验所选记录所在人大的事件链（自最新检查点起增量校验）")
    def check_chain(self, request, queryset):
        # Incremental: it answers in a moment at millions of events; the full check is the next action.
        for congress_id in sorted(set(queryset.values_list("congress_id", flat=True))):
            report = verify_chain_report(congress_id, full=False)
            if report.ok:
                messages.success(request, f"人大 {congress_id}：{report.reason}")
            else:
                messages.error(request, f"人大 {congress_id}：事件链自第 {report.first_bad_seq} 条起不一致，"
                                        f"记录可能被篡改。{report.reason}")

    @admin.action(description="全量校验所选记录所在人大的事件链（后台逐条重算）")
    def full_check_chain(self, request, queryset):
        for congress_id in sorted(set(queryset.values_list("congress_id", flat=True))):
            if self._full_checks(congress_id).filter(status__in=["READY", "RUNNING"]).exists():
                messages.info(request, f"人大 {congress_id}：全量校验已在进行，无须重复提交。")
                continue
            verify_chain_task.enqueue(congress_id)
            total = ChainHead.objects.filter(congress_id=congress_id).values_list("seq", flat=True).first() or 0
            messages.success(request, f"人大 {congress_id}：已提交后台全量校验（{total} 条记录）；"
                                      "完成后结果显示在本页，进度见后台任务日志，"
                                      "或在服务器上运行 manage.py verify_chain --full。")

    @staticmethod
    def _full_checks(congress_id: int | None = None):
        from django_tasks.backends.database.models import DBTaskResult

        rows = DBTaskResult.objects.filter(task_path=FULL_CHECK_TASK)
        return rows.filter(args_kwargs__args=[congress_id]) if congress_id is not None else rows

    def _show_full_checks(self, request) -> None:
        """Each congress's latest full check: queued, running since when, or its report."""
        latest: dict[int, object] = {}
        for row in self._full_checks().order_by("-enqueued_at")[:50]:
            congress_id = (row.args_kwargs.get("args") or [None])[0]
            latest.setdefault(congress_id, row)
        for congress_id, row in sorted(latest.items(), key=lambda item: str(item[0])):
            when = timezone.localtime(row.finished_at or row.started_at or row.enqueued_at).strftime("%Y-%m-%d %H:%M")
            result = row.return_value or {}
            if row.status == "READY":
                messages.info(request, f"人大 {congress_id}：全量校验排队等待后台任务处理（提交于 {when}）。")
            elif row.status == "RUNNING":
                messages.info(request, f"人大 {congress_id}：全量校验进行中（开始于 {when}）。")
            elif row.status == "SUCCEEDED" and result.get("ok"):
                messages.success(request, f"人大 {congress_id}：{when} 完成的全量校验：{result.get('reason', '')}")
            elif row.status == "SUCCEEDED":
                messages.error(request, f"人大 {congress_id}：{when} 完成的全量校验发现第 "
                                        f"{result.get('first_bad_seq')} 条起不一致，记录可能被篡改。"
                                        f"{result.get('reason', '')}")
            else:
                messages.error(request, f"人大 {congress_id}：{when} 的全量校验未能完成，"
                                        "请查看后台任务日志后重新提交。")
