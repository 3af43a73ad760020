"""Serializers render; they decide nothing. Input for writes goes to the engine's own forms
(each kind's opening form, each transition's form), so no rule is written twice; lvzhi.api.fields
describes those forms for a client."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lvzhi.api.fields import TYPE_NAMES, describe_fields
from lvzhi.api.selectors import return_visible, visible_replies
from lvzhi.cases.deadlines import Lights
from lvzhi.cases.filters import SORT_CHOICES, SORT_LABELS
from lvzhi.cases.handling import REPLY_CLASS_LABELS, DeadlineKind
from lvzhi.cases.kinds import all_kinds, all_state_choices, get_kind
from lvzhi.cases.models import Assignment, Case, Deadline, Reply, ReturnedBy
from lvzhi.cases.selectors import SEVERITY, timeline
from lvzhi.cases.workflow import ID_MAX

# ------------------------------------------------------------------------------- input


class TokenRequestSerializer(serializers.Serializer):
    # No account's name is longer (User.username); a longer one would reach django-axes' failure
    # log, which PostgreSQL refuses past 255 characters (a 500 instead of a 400).
    username = serializers.CharField(label="用户名", max_length=150,
                                     error_messages={"max_length": "用户名最多150个字符"})
    password = serializers.CharField(label="密码", style={"input_type": "password"},
                                     trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class FilterText(serializers.CharField):
    """A text query parameter. A NUL character is refused with a message that says so (DRF's
    own Chinese for it reads "empty string"); PostgreSQL cannot even compare one (a 500)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if "\x00" in value:
            raise serializers.ValidationError("不能包含空字符（\\x00）")
        return value


def id_filter(label: str, help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text=help_text,
        error_messages={"invalid": f"{label}ID应为正整数", "min_value": f"{label}ID应为正整数",
                        "max_value": f"{label}ID超出范围（不存在这样的{label}）",
                        "max_string_length": f"{label}ID超出范围（不存在这样的{label}）"})


def _in_years(day: dt.date) -> None:
    from lvzhi.cases.filters import YEARS

    if not YEARS[0] <= day.year <= YEARS[1]:  # near year 1 a local-time bound overflows
        raise serializers.ValidationError(f"日期应在{YEARS[0]}年至{YEARS[1]}年之间")


def date_filter(help_text: str) -> serializers.DateField:
    return serializers.DateField(
        required=False, input_formats=["%Y-%m-%d"], help_text=help_text, validators=[_in_years],
        error_messages={"invalid": "日期应为 YYYY-MM-DD 格式且确有其日，如 2026-03-01"})


class CaseFilterSerializer(serializers.Serializer):
    """Query parameters of the case list; a bad value is a 400, never silently ignored."""

    kind = FilterText(required=False, help_text="案件类型代码（见 /api/v1/kinds/）")
    state = FilterText(required=False, help_text="状态，可用逗号分隔多个，如 handling,replied")
    category = FilterText(required=False, help_text="类别，如 城乡建设")
    is_key = serializers.BooleanField(required=False, allow_null=True, default=None,
                                      help_text="是否重点建议：true / false")
    q = FilterText(required=False, max_length=200,
                   help_text="全文检索：标题、内容、案号、领衔及附议代表姓名、承办单位名称、已审核答复；"
                             "按中文分词，空格分开的各词须同时出现，如“加装电梯 补贴”")
    unit = id_filter("承办单位", "承办单位ID（有在办交办的单位）")
    session = id_filter("会议", "会议ID")
    deputy = FilterText(required=False, max_length=30,
                        help_text="代表：ID（数字）或姓名中的文字；领衔代表或已确认的附议代表")
    delegation = id_filter("代表团", "领衔代表所在代表团ID")
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None,
                                       help_text="true：只列有超期未完成的办理期限的案件")
    submitted_from = date_filter("提交日期起（含），YYYY-MM-DD")
    submitted_to = date_filter("提交日期止（含），YYYY-MM-DD")
    registered_from = date_filter("立案日期起（含），YYYY-MM-DD")
    registered_to = date_filter("立案日期止（含），YYYY-MM-DD")
    sort = serializers.ChoiceField(
        required=False, choices=[(c, ("按" + SORT_LABELS[c.lstrip("-")] + ("降序" if c.startswith("-") else "升序")))
                                 for c in SORT_CHOICES],
        help_text="排序：" + "、".join(f"{k}（{v}）" for k, v in SORT_LABELS.items())
                  + "；前加 - 为降序（如 -due）；空值排在最后，同值按ID；默认最新在前",
        error_messages={"invalid_choice": "没有排序“{input}”，可选：" + "、".join(SORT_CHOICES)})
    ordering = serializers.ChoiceField(
        required=False, choices=[(c, c) for c in SORT_CHOICES],
        help_text="排序（同 sort，二者取其一）：submitted 提交日期最早在前、-submitted 最新在前；"
                  "due 最近的办理期限在前（按未完成的期限）、-due 最远在前；其余：" + "、".join(SORT_CHOICES)
                  + "。没有该值的案件（如无未完成期限）排在最后，同值按ID；默认最新在前",
        error_messages={"invalid_choice": "没有排序“{input}”，可选：" + "、".join(SORT_CHOICES)})

    def validate_session(self, value: int) -> int:
        from lvzhi.core.models import Session

        if not Session.objects.filter(pk=value).exists():  # else: silently no case at all
            raise serializers.ValidationError(f"没有ID为{value}的会议，请从会议列表中选择")
        return value

    def validate_kind(self, value: str) -> str:
        codes = {k.code for k in all_kinds()}
        if value not in codes:
            raise serializers.ValidationError(f"没有类型“{value}”，可选：{'、'.join(sorted(codes))}")
        return value

    def validate_state(self, value: str) -> list[str]:
        states = [s.strip() for s in value.split(",") if s.strip()]
        codes = [c for c, _ in all_state_choices()]
        unknown = [s for s in states if s not in codes]
        if unknown:
            raise serializers.ValidationError(f"没有状态“{unknown[0]}”，可选：{'、'.join(codes)}")
        return states

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for prefix, label in (("submitted", "提交"), ("registered", "立案")):
            start, end = attrs.get(f"{prefix}_from"), attrs.get(f"{prefix}_to")
            if start and end and start > end:
                raise serializers.ValidationError(
                    {f"{prefix}_from": [f"{label}日期起（{start:%Y-%m-%d}）晚于止（{end:%Y-%m-%d}）"]})
        if attrs.get("ordering") and attrs.get("sort") and attrs["ordering"] != attrs["sort"]:
            raise serializers.ValidationError({"ordering": ["ordering 与 sort 不一致，请只用其一"]})
        return attrs


class DeputyFilterSerializer(serializers.Serializer):
    q = FilterText(required=False, allow_blank=True, help_text="姓名或代表团包含的文字")


class OpenCaseRequestSerializer(serializers.Serializer):
    """Documents the body of POST /cases/: `kind` plus that kind's own fields, top level or under
    `detail` (nested wins). Which fields: `open_fields` of GET /api/v1/kinds/; validation is the
    kind's opening form, through the engine."""

    kind = serializers.CharField(help_text="案件类型代码（见 /api/v1/kinds/ 的 code）")
    detail = serializers.DictField(required=False, help_text="该类型的字段（也可直接放在顶层；两处都有时以此处为准）")


# ------------------------------------------------------------------------------ output


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="中文错误说明")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="字段 → 错误信息；__all__ 为整体错误")


LIGHTS = ["green", "yellow", "red", "done"]


class LightSerializer(serializers.Serializer):
    """What a light says, as the pages show it (lvzhi.cases.deadlines.DeadlineLight)."""

    light = serializers.ChoiceField(choices=LIGHTS)
    light_label = serializers.CharField(help_text="正常 / 临期 / 超期 / 已完成")
    label = serializers.CharField(help_text="期限名称，如 答复期限")
    days = serializers.IntegerField(allow_null=True, help_text="剩余或超期的天数（按 unit 计）；已完成为 null")
    unit = serializers.CharField(help_text="天 或 个工作日")
    text = serializers.CharField(help_text="如 答复期限 剩12天、评价期限 超期3天")


class DeadlineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    due_on = serializers.DateField()
    light = serializers.ChoiceField(choices=LIGHTS)
    light_label = serializers.CharField()
    label = serializers.CharField(help_text="期限名称，如 答复期限")
    days = serializers.IntegerField(allow_null=True, help_text="剩余或超期的天数（按 unit 计）")
    unit = serializers.CharField(help_text="天 或 个工作日")
    text = serializers.CharField(help_text="如 答复期限 剩12天")


def lights_of(context: dict[str, Any]) -> Lights:
    """One Lights per response (each congress's rules and calendar read once), kept in the
    root serializer's context."""
    if "lights" not in context:
        context["lights"] = Lights(context.get("today") or timezone.localdate())
    return context["lights"]


def deadline_data(d: Deadline, lights: Lights, congress_id: int) -> dict[str, Any]:
    status = lights.of(d, congress_id)
    return {"kind": d.kind, "kind_label": d.get_kind_display(), "due_on": d.due_on,
            **status.as_dict()}


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()


class _CaseBase(serializers.Serializer):
    """Context: `today` set by the view; each clock's warning window is its own
    (Clock.warning, from the case's congress's rule set, read once per response by Lights)."""

    def _lights(self) -> Lights:
        return lights_of(self.context)

    def _today(self) -> dt.date:
        return self._lights().today

    @extend_schema_field(LightSerializer(allow_null=True))
    def get_light(self, case: Case) -> dict[str, Any] | None:
        """The case's light as a list row shows it: its worst open clock, the earliest among equals."""
        lights = self._lights()
        shown = [lights.of(d, case.congress_id) for d in getattr(case, "open_clocks", [])]
        worst = max(shown, key=lambda s: SEVERITY[s.light], default=None)
        return worst.as_dict() if worst else None


class CaseListSerializer(_CaseBase):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="案号；立案前为空")
    kind = serializers.CharField()
    kind_label = serializers.CharField(help_text="案件类型名称（见 /api/v1/kinds/）")
    title = serializers.CharField()
    category = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(help_text="状态名称，由案件类型定义")
    round = serializers.IntegerField(help_text="办理轮次；不满意重新办理后加一")
    is_key = serializers.BooleanField()
    is_public = serializers.BooleanField()
    lead_deputy = serializers.CharField(source="lead_deputy.name", allow_null=True, default=None,
                                        help_text="领衔代表姓名")
    units = serializers.SerializerMethodField()
    next_deadline = serializers.SerializerMethodField()
    light = serializers.SerializerMethodField()
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
        return deadline_data(clocks[0], self._lights(), case.congress_id) if clocks else None


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
        congress_id = self.context.get("congress_id") or a.case.congress_id
        return deadline_data(chosen, lights_of(self.context), congress_id)


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
    # The latest return (kept when the unit redrafts): by the unit's head or by the office.
    returned_stage = serializers.ChoiceField(
        choices=[("", "未退回"), *ReturnedBy.choices],
        help_text="最近一次退回的环节：head 单位负责人退回、office 审核退回；未退回或您无权查看时为空")
    returned_stage_label = serializers.CharField(
        source="return_label", help_text="如 单位负责人退回、代表工作委员会审核退回")
    returned_by = serializers.CharField(source="returned_by.name", allow_null=True, default=None,
                                        help_text="退回人姓名")
    returned_at = serializers.DateTimeField(allow_null=True)
    return_reason = serializers.CharField(help_text="退回理由")

    def get_reply_class_label(self, r) -> str:
        return REPLY_CLASS_LABELS.get(r.reply_class, r.reply_class)

    def get_has_attachment(self, r) -> bool:
        return bool(r.attachment)

    def to_representation(self, r: Reply) -> dict[str, Any]:
        """A return is shown to whoever sees its event in the timeline (event_visible): a
        deputy reads the accepted reply, never that it was sent back on the way."""
        data = super().to_representation(r)
        user = self.context.get("user")
        if r.returned_stage and (user is None or not return_visible(user, r)):
            data.update(returned_stage="", returned_stage_label="", returned_by=None,
                        returned_at=None, return_reason="")
        return data


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


class FieldChoiceSerializer(serializers.Serializer):
    value = serializers.JSONField(help_text="提交时使用的值：对象为整数ID，其余为文本")
    label = serializers.CharField()


class TransitionFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(choices=TYPE_NAMES, help_text=(
        "id/ids 提交对象ID（ids 为列表），choice/choices 提交 choices 中的 value，"
        "boolean 提交 true/false，file 用 multipart 上传"))
    required = serializers.BooleanField()
    help_text = serializers.CharField()
    max_length = serializers.IntegerField(required=False)
    min_length = serializers.IntegerField(required=False)
    max_value = serializers.JSONField(required=False)
    min_value = serializers.JSONField(required=False)
    choices = FieldChoiceSerializer(many=True, required=False,
                                    help_text="您此刻可选的值（已按您的权限和案件限定）")
    choices_truncated = serializers.BooleanField(required=False, help_text="可选值超过200个，只列出前200个")
    choices_url = serializers.CharField(required=False, help_text="可选值过多时，可检索的参考数据接口")
    default = serializers.JSONField(required=False, help_text="表单的初始值，或唯一可选的值")


class AvailableTransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    style = serializers.CharField(help_text="界面按钮样式提示")
    fields = TransitionFieldSerializer(many=True)


class StateSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    terminal = serializers.BooleanField(help_text="是否为终结状态")


class ActorSerializer(serializers.Serializer):
    relation = serializers.CharField(help_text="关系名，如 office、unit_handler；system 为系统自动执行")
    label = serializers.CharField()


class KindTransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField(allow_blank=True),
                                    help_text="可执行该操作的状态；\"\" 表示新建（开启案件的操作）")
    target = serializers.CharField(allow_null=True, help_text="执行后的状态；null 表示不变或视办理结果而定")
    actors = ActorSerializer(many=True)


class KindSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    states = StateSerializer(many=True)
    transitions = KindTransitionSerializer(many=True)
    may_open = serializers.BooleanField(help_text="您能否提出此类案件（POST /api/v1/cases/）")
    open_fields = TransitionFieldSerializer(many=True, help_text="提出时填写的字段（可选值已按您限定）")


class CaseDetailSerializer(CaseListSerializer):
    """Context also needs `request` (for reply visibility) and `available`: (transition, form)
    for each transition lvzhi.cases.policy.offered() gives the caller, the form built for them."""

    body = serializers.CharField()
    session = serializers.SerializerMethodField()
    detail = serializers.SerializerMethodField()
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

    @extend_schema_field({"type": "object", "additionalProperties": True,
                          "description": "该类型自己的字段（如建议的 confidential、议案的 cause/basis/plan）"})
    def get_detail(self, case: Case) -> dict[str, Any]:
        fields = get_kind(case.kind).api_detail
        return fields(case) if fields else {}

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, case: Case) -> list[dict[str, Any]]:
        ctx = {"today": self._today(), "lights": self._lights(), "congress_id": case.congress_id}
        return AssignmentSerializer(case.assignments.all(), many=True, context=ctx).data

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, case: Case) -> list[dict[str, Any]]:
        return EventSerializer(timeline(self.context["request"].user, case.events.all()), many=True).data

    @extend_schema_field(ReplySerializer(many=True))
    def get_replies(self, case: Case) -> list[dict[str, Any]]:
        user = self.context["request"].user
        return ReplySerializer(visible_replies(user, case), many=True, context={"user": user}).data

    @extend_schema_field(AvailableTransitionSerializer(many=True))
    def get_available_transitions(self, case: Case) -> list[dict[str, Any]]:
        return [{"name": t.name, "label": t.label, "style": t.style, "fields": describe_fields(form)}
                for t, form in self.context.get("available", [])]


class NextTransitionSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="操作名，用于 POST …/transitions/{name}/")
    label = serializers.CharField()


class TransitionResultSerializer(serializers.Serializer):
    """A transition's answer is slim: the new state and what the caller may do next; the fields
    of each next transition are in the case's detail, the whole case only with `?full=1`."""

    id = serializers.IntegerField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    state_round_label = serializers.CharField(help_text="状态徽标的文字，如 重新办理中（第2轮）")
    round = serializers.IntegerField(help_text="办理轮次")
    next_transitions = NextTransitionSerializer(
        many=True, help_text="您此刻可执行的操作（与页面按钮同一规则）；字段及可选值见案件详情的 available_transitions")
    case = CaseDetailSerializer(required=False, allow_null=True,
                                help_text="仅在 ?full=1 时返回：操作后的案件；您已无权查看时为 null（如谢绝附议）")


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
