"""Serializers render; they decide nothing. Input for writes goes to the engine's own forms
(create_draft's DraftForm, each transition's form), so no rule is written twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lvzhi.api.selectors import DEFAULT_WARN_DAYS, visible_replies
from lvzhi.cases.deadlines import LIGHT_LABELS, light
from lvzhi.cases.handling import REPLY_CLASS_LABELS
from lvzhi.cases.kinds import all_kinds
from lvzhi.cases.models import Assignment, Case, CaseState, Deadline, DeadlineKind
from lvzhi.cases.selectors import timeline
from lvzhi.cases.workflow import Transition

# ------------------------------------------------------------------------------- input


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名")
    password = serializers.CharField(label="密码", style={"input_type": "password"},
                                     trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class CaseFilterSerializer(serializers.Serializer):
    """Query parameters of the case list; a bad value is a 400, never silently ignored."""

    kind = serializers.CharField(required=False, help_text="案件类型，如 suggestion、motion")
    state = serializers.CharField(required=False, help_text="状态，可用逗号分隔多个，如 handling,replied")
    category = serializers.CharField(required=False, help_text="类别，如 城乡建设")
    is_key = serializers.BooleanField(required=False, allow_null=True, default=None,
                                      help_text="是否重点建议：true / false")
    q = serializers.CharField(required=False, help_text="标题包含的文字")
    unit = serializers.IntegerField(required=False, min_value=1, help_text="承办单位ID")

    def validate_kind(self, value: str) -> str:
        codes = {k.code for k in all_kinds()}
        if value not in codes:
            raise serializers.ValidationError(f"没有类型“{value}”，可选：{'、'.join(sorted(codes))}")
        return value

    def validate_state(self, value: str) -> list[str]:
        states = [s.strip() for s in value.split(",") if s.strip()]
        unknown = [s for s in states if s not in CaseState.values]
        if unknown:
            raise serializers.ValidationError(f"没有状态“{unknown[0]}”，可选：{'、'.join(CaseState.values)}")
        return states


class DraftRequestSerializer(serializers.Serializer):
    """Documents the body of POST /cases/; validation is DraftForm's (services.create_draft)."""

    kind = serializers.ChoiceField(choices=[("suggestion", "建议"), ("motion", "议案")],
                                   required=False, default="suggestion")
    title = serializers.CharField(help_text="至少5个字")
    body = serializers.CharField(help_text="至少50字，一事一议")
    category = serializers.CharField(required=False, help_text="见 lvzhi.suggestions.categories")
    cosigners = serializers.ListField(child=serializers.IntegerField(), required=False,
                                      help_text="邀请附议代表的ID（/api/v1/deputies/）")
    confidential = serializers.BooleanField(required=False, help_text="要求保密（不公开）")
    cause = serializers.CharField(required=False, help_text="议案：案由")
    basis = serializers.CharField(required=False, help_text="议案：案据")
    plan = serializers.CharField(required=False, help_text="议案：方案")


# ------------------------------------------------------------------------------ output


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="中文错误说明")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="字段 → 错误信息；__all__ 为整体错误")


class DeadlineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    due_on = serializers.DateField()
    light = serializers.ChoiceField(choices=["green", "yellow", "red", "done"])
    light_label = serializers.CharField()


def deadline_data(d: Deadline, today: dt.date, warn_days: int) -> dict[str, Any]:
    lit = light(d, today, warn_days)
    return {"kind": d.kind, "kind_label": d.get_kind_display(), "due_on": d.due_on,
            "light": lit.value, "light_label": LIGHT_LABELS[lit]}


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()


class _CaseBase(serializers.Serializer):
    """Context: `today` and `warn_days` ({congress_id: days}) set by the view."""

    def _warn(self, case: Case) -> int:
        return self.context.get("warn_days", {}).get(case.congress_id, DEFAULT_WARN_DAYS)

    def _today(self) -> dt.date:
        return self.context.get("today") or timezone.localdate()


class CaseListSerializer(_CaseBase):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="案号；立案前为空")
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    round = serializers.IntegerField(help_text="办理轮次；不满意重新办理后加一")
    is_key = serializers.BooleanField()
    is_public = serializers.BooleanField()
    lead_deputy = serializers.CharField(source="lead_deputy.name", allow_null=True, default=None,
                                        help_text="领衔代表姓名")
    units = serializers.SerializerMethodField()
    next_deadline = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(UnitRefSerializer(many=True))
    def get_units(self, case: Case) -> list[dict[str, Any]]:
        return [{"id": a.unit_id, "name": a.unit.name, "role": a.role,
                 "role_label": a.get_role_display()}
                for a in case.assignments.all() if a.is_active]

    @extend_schema_field(DeadlineSerializer(allow_null=True))
    def get_next_deadline(self, case: Case) -> dict[str, Any] | None:
        """The earliest open clock of any kind (reply, evaluation, assignment …)."""
        clocks = getattr(case, "open_clocks", [])
        return deadline_data(clocks[0], self._today(), self._warn(case)) if clocks else None


class CosignerSerializer(serializers.Serializer):
    deputy_id = serializers.IntegerField()
    name = serializers.CharField(source="deputy.name")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.SerializerMethodField()
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    assigned_on = serializers.DateField()
    extended = serializers.BooleanField(help_text="是否已批准延期")
    opinion = serializers.CharField(help_text="会办意见")
    deadline = serializers.SerializerMethodField()

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"},
                                                             "name": {"type": "string"}}})
    def get_unit(self, a: Assignment) -> dict[str, Any]:
        return {"id": a.unit_id, "name": a.unit.name}

    @extend_schema_field(DeadlineSerializer(allow_null=True))
    def get_deadline(self, a: Assignment) -> dict[str, Any] | None:
        """The unit's own clock: reply (re-handling in later rounds) or co-opinion; the open
        one if any, else the last one met (shown as done)."""
        main = {DeadlineKind.REPLY, DeadlineKind.REHANDLE, DeadlineKind.CO_OPINION}
        clocks = [d for d in a.deadlines.all() if d.kind in main and not d.cancelled]
        if not clocks:
            return None
        open_ = [d for d in clocks if d.is_open]
        chosen = min(open_, key=lambda d: d.due_on) if open_ else max(clocks, key=lambda d: d.id)
        return deadline_data(chosen, self.context["today"], self.context["warn"])


class ReplySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    assignment_id = serializers.IntegerField()
    unit = serializers.CharField(source="assignment.unit.name")
    round = serializers.IntegerField()
    reply_class = serializers.CharField()
    reply_class_label = serializers.SerializerMethodField()
    text = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    has_attachment = serializers.SerializerMethodField()
    promises = serializers.JSONField()
    drafted_at = serializers.DateTimeField()
    signed_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    review_note = serializers.CharField()

    def get_reply_class_label(self, r) -> str:
        return REPLY_CLASS_LABELS.get(r.reply_class, r.reply_class)

    def get_has_attachment(self, r) -> bool:
        return bool(r.attachment)


class EvaluationSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    verdict = serializers.CharField(help_text="satisfied / basically / unsatisfied；逾期视为认可时为空")
    verdict_label = serializers.CharField(source="get_verdict_display")
    comment = serializers.CharField()
    expired = serializers.BooleanField()
    at = serializers.DateTimeField()


class CommitmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.name")
    text = serializers.CharField()
    due_on = serializers.DateField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    kept_note = serializers.CharField()


class ContactSerializer(serializers.Serializer):
    unit = serializers.CharField(source="assignment.unit.name")
    stage = serializers.CharField()
    stage_label = serializers.CharField(source="get_stage_display")
    method = serializers.CharField()
    method_label = serializers.CharField(source="get_method_display")
    happened_on = serializers.DateField()
    participants = serializers.CharField()
    summary = serializers.CharField()


class EventSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    actor_label = serializers.CharField()
    at = serializers.DateTimeField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    payload = serializers.JSONField()


FIELD_TYPES: list[tuple[type[forms.Field], str]] = [
    (forms.ModelMultipleChoiceField, "ids"),
    (forms.ModelChoiceField, "id"),
    (forms.BooleanField, "boolean"),
    (forms.MultipleChoiceField, "choices"),
    (forms.ChoiceField, "choice"),
    (forms.IntegerField, "integer"),
    (forms.DateField, "date"),
    (forms.FileField, "file"),
    (forms.CharField, "text"),
]


def field_type(field: forms.Field) -> str:
    return next((name for cls, name in FIELD_TYPES if isinstance(field, cls)), "text")


def describe_fields(t: Transition) -> list[dict[str, Any]]:
    """A transition's payload as its form declares it (class-level fields: no query)."""
    out = []
    for name, f in t.form.base_fields.items():
        item: dict[str, Any] = {"name": name, "label": str(f.label or name), "required": f.required,
                                "type": field_type(f), "help_text": str(f.help_text or "")}
        if isinstance(f, forms.ChoiceField) and not isinstance(f, forms.ModelChoiceField):
            item["choices"] = [{"value": str(v), "label": str(lab)} for v, lab in f.choices if v != ""]
        out.append(item)
    return out


class TransitionFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    type = serializers.ChoiceField(choices=sorted({n for _, n in FIELD_TYPES}))
    help_text = serializers.CharField()
    choices = serializers.ListField(child=serializers.DictField(), required=False)


class AvailableTransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    style = serializers.CharField(help_text="界面按钮样式提示")
    fields = TransitionFieldSerializer(many=True)


class MotionSerializer(serializers.Serializer):
    cause = serializers.CharField()
    basis = serializers.CharField()
    plan = serializers.CharField()
    committee = serializers.CharField(source="committee.name", allow_null=True, default=None)
    committee_result = serializers.CharField()


class CaseDetailSerializer(CaseListSerializer):
    """Context also needs `request` (for reply visibility) and `available` (the transitions
    engine.available() lists for the caller)."""

    body = serializers.CharField()
    session = serializers.SerializerMethodField()
    confidential = serializers.SerializerMethodField()
    motion = serializers.SerializerMethodField()
    registered_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    merged_into_id = serializers.IntegerField(allow_null=True)
    converted_to_id = serializers.IntegerField(allow_null=True)
    cosigners = CosignerSerializer(source="cosigns", many=True)
    assignments = serializers.SerializerMethodField()
    replies = serializers.SerializerMethodField()
    evaluations = EvaluationSerializer(many=True)
    commitments = CommitmentSerializer(many=True)
    contacts = ContactSerializer(many=True)
    timeline = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()

    def get_session(self, case: Case) -> str | None:
        return str(case.session) if case.session_id else None

    def get_confidential(self, case: Case) -> bool | None:
        detail = getattr(case, "suggestion_detail", None)
        return detail.confidential if detail is not None else None

    @extend_schema_field(MotionSerializer(allow_null=True))
    def get_motion(self, case: Case) -> dict[str, Any] | None:
        detail = getattr(case, "motion_detail", None)
        return MotionSerializer(detail).data if detail is not None else None

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, case: Case) -> list[dict[str, Any]]:
        ctx = {"today": self._today(), "warn": self._warn(case)}
        return AssignmentSerializer(case.assignments.all(), many=True, context=ctx).data

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, case: Case) -> list[dict[str, Any]]:
        return EventSerializer(timeline(self.context["request"].user, case.events.all()), many=True).data

    @extend_schema_field(ReplySerializer(many=True))
    def get_replies(self, case: Case) -> list[dict[str, Any]]:
        return ReplySerializer(visible_replies(self.context["request"].user, case), many=True).data

    @extend_schema_field(AvailableTransitionSerializer(many=True))
    def get_available_transitions(self, case: Case) -> list[dict[str, Any]]:
        return [{"name": t.name, "label": t.label, "style": t.style, "fields": describe_fields(t)}
                for t in self.context.get("available", [])]


class TransitionResultSerializer(serializers.Serializer):
    state = serializers.CharField()
    state_label = serializers.CharField()
    case = CaseDetailSerializer(allow_null=True,
                                help_text="操作后的案件；操作后您已无权查看时为 null（如谢绝附议）")


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    field = serializers.CharField(help_text="工作领域")


class DeputySerializer(serializers.Serializer):
    """Deliberately no phone or ID number: clients only need to pick co-signers."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    delegation = serializers.CharField(source="delegation.name")


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")
    congress = serializers.CharField(source="congress.name", allow_null=True, default=None)
    organization_id = serializers.IntegerField(allow_null=True)
    organization = serializers.CharField(source="organization.name", allow_null=True, default=None)
    deputy_id = serializers.SerializerMethodField()

    def get_deputy_id(self, user) -> int | None:
        deputy = getattr(user, "deputy", None)
        return deputy.pk if deputy is not None else None
