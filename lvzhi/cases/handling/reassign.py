"""申请调整: a unit asks, within its window, to be relieved; the office decides."""

from __future__ import annotations

from django import forms

from lvzhi.cases import deadlines
from lvzhi.cases.handling.assign import start_assignment
from lvzhi.cases.handling.common import (
    AssignmentField,
    UnitChoiceField,
    assignable_orgs,
    notify_office,
    notify_units,
    own_assignments,
    spec_of,
)
from lvzhi.cases.handling.states import HANDLING
from lvzhi.cases.models import Assignment, AssignmentState
from lvzhi.cases.workflow import Context, InvalidInput, TransitionForm, transition
from lvzhi.core.models import Organization


class RequestReassignmentForm(TransitionForm):
    assignment = AssignmentField(label="本单位承办任务", queryset=Assignment.objects.none())
    reason = forms.CharField(label="申请调整理由", min_length=10, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"min_length": "申请调整理由至少写10个字，说明为何不属于本单位职责"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = own_assignments(
            self, state__in=[AssignmentState.HANDLING])


def request_reassignment_guard(ctx: Context) -> None:
    a = ctx.data["assignment"]
    window = deadlines.open_clocks(ctx.case, [spec_of(ctx.case).reassign_window], a).first()
    if window is None or window.due_on < ctx.today:
        raise InvalidInput(f"申请调整须在交办后{ctx.rules.reassign_request_workdays}个工作日内提出，"
                           "已超过期限，请按职责办理")


def request_reassignment_effect(ctx: Context) -> None:
    a = ctx.data["assignment"]
    a.state = AssignmentState.REASSIGN_REQUESTED
    a.reassign_reason = ctx.data["reason"]
    a.save(update_fields=["state", "reassign_reason"])
    deadlines.meet_clocks(ctx.case, [spec_of(ctx.case).reassign_window], ctx.now, assignment=a)
    ctx.payload.update(unit=a.unit.name, reason=ctx.data["reason"])
    notify_office(ctx, f"{a.unit.name} 申请调整：{ctx.case.number} {ctx.case.title}")


class DecideReassignmentForm(TransitionForm):
    assignment = AssignmentField(label="申请调整的承办任务", queryset=Assignment.objects.none())
    approve = forms.TypedChoiceField(label="决定", choices=[("1", "同意调整"), ("0", "不同意，维持原交办")],
                                     coerce=lambda v: v == "1")
    new_unit = UnitChoiceField(label="改交单位", queryset=Organization.objects.none(), required=False)
    note = forms.CharField(label="意见", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = own_assignments(
            self, state=AssignmentState.REASSIGN_REQUESTED)
        self.fields["new_unit"].queryset = assignable_orgs(self.case, spec_of(self.case))

    def clean(self):
        data = super().clean()
        a, unit = data.get("assignment"), data.get("new_unit")
        if data.get("approve") and unit is None:
            raise forms.ValidationError("同意调整时请选择改交单位")
        if data.get("approve") and a and unit and unit.pk == a.unit_id:
            raise forms.ValidationError("改交单位不能与原单位相同")
        if data.get("approve") and unit and Assignment.objects.filter(
                case=self.case, unit=unit).exclude(state=AssignmentState.WITHDRAWN).exists():
            raise forms.ValidationError(f"{unit.name} 已是本案承办单位")
        return data


def decide_reassignment_effect(ctx: Context) -> None:
    a: Assignment = ctx.data["assignment"]
    if not ctx.data["approve"]:
        a.state = AssignmentState.HANDLING
        a.save(update_fields=["state"])
        ctx.payload.update(unit=a.unit.name, approved=False, note=ctx.data.get("note", ""))
        notify_units(ctx, [a.unit_id], f"申请调整未获同意，请继续办理：{ctx.case.title}")
        return
    deadlines.cancel_clocks(ctx.case, assignment=a)
    a.state = AssignmentState.WITHDRAWN
    new = start_assignment(ctx, ctx.data["new_unit"], a.role)
    a.replaced_by = new
    a.save(update_fields=["state", "replaced_by"])
    ctx.payload.update(unit=a.unit.name, approved=True, new_unit=new.unit.name,
                       note=ctx.data.get("note", ""))
    notify_units(ctx, [new.unit_id], f"改交办：{ctx.case.number} {ctx.case.title}")


def transitions(spec) -> list:
    if not spec.reassign_window:
        return []
    return [
        transition("request_reassignment", "申请调整", [HANDLING], None, list(spec.handler_relations),
                   form=RequestReassignmentForm, guard=request_reassignment_guard,
                   effect=request_reassignment_effect, style="outline-warning"),
        transition("decide_reassignment", "审核调整申请", [HANDLING], None, ["office"],
                   form=DecideReassignmentForm, effect=decide_reassignment_effect),
    ]
