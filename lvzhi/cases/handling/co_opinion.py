"""会办意见: a co-unit sends its opinion to the lead unit within its clock."""

from __future__ import annotations

from django import forms

from lvzhi.cases import deadlines
from lvzhi.cases.handling.common import AssignmentField, notify_units, own_assignments, spec_of
from lvzhi.cases.handling.states import HANDLING
from lvzhi.cases.models import Assignment, AssignmentRole, AssignmentState
from lvzhi.cases.workflow import Context, TransitionForm, transition


class CoOpinionForm(TransitionForm):
    assignment = AssignmentField(label="会办任务", queryset=Assignment.objects.none())
    opinion = forms.CharField(label="会办意见", min_length=10, widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"min_length": "会办意见至少写10个字"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = own_assignments(
            self, role=AssignmentRole.CO, state=AssignmentState.HANDLING)


def co_opinion_effect(ctx: Context) -> None:
    a = ctx.data["assignment"]
    a.opinion = ctx.data["opinion"]
    a.state = AssignmentState.OPINION_GIVEN
    a.save(update_fields=["opinion", "state"])
    deadlines.meet_clocks(ctx.case, [spec_of(ctx.case).co_opinion_clock, spec_of(ctx.case).reassign_window],
                          ctx.now, assignment=a)
    ctx.payload.update(unit=a.unit.name, opinion=a.opinion[:200])
    leads = ctx.case.assignments.filter(role=AssignmentRole.LEAD).exclude(
        state=AssignmentState.WITHDRAWN).values_list("unit_id", flat=True)
    notify_units(ctx, list(leads), f"{a.unit.name} 已送会办意见：{ctx.case.title}")


def transitions(spec) -> list:
    return [transition("give_co_opinion", "提交会办意见", [HANDLING], None, list(spec.handler_relations),
                       form=CoOpinionForm, effect=co_opinion_effect)]
