"""延期: the office extends a reply clock, never past the longest period the rules allow."""

from __future__ import annotations

from django import forms

from lvzhi.cases import deadlines
from lvzhi.cases.handling.common import AssignmentField, notify_units, own_assignments, spec_of
from lvzhi.cases.handling.states import HANDLING
from lvzhi.cases.models import Assignment, AssignmentRole, AssignmentState
from lvzhi.cases.workflow import Context, InvalidInput, TransitionForm, transition


class ExtendForm(TransitionForm):
    assignment = AssignmentField(label="承办任务", queryset=Assignment.objects.none())
    months = forms.IntegerField(label="延期(月)", min_value=1, max_value=3, initial=3)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = own_assignments(
            self, role__in=[AssignmentRole.LEAD, AssignmentRole.SPLIT],
            state__in=[AssignmentState.HANDLING, AssignmentState.REASSIGN_REQUESTED])


def extend_effect(ctx: Context) -> None:
    a = ctx.data["assignment"]
    clock = deadlines.open_clocks(ctx.case, [spec_of(ctx.case).reply_clock], a).first()
    if clock is None:
        raise InvalidInput("该承办任务没有进行中的答复期限，无需延期")
    limit = deadlines.max_due(clock.kind, clock.start_on, ctx.rules.reply_max_months, ctx.calendar)
    new_due = deadlines.compute_due(clock.kind, clock.start_on, ctx.rules, ctx.calendar,
                                    extension_months=clock.extension_months + ctx.data["months"])
    if new_due > limit:
        raise InvalidInput(f"延期后答复期限不得超过交办之日起{ctx.rules.reply_max_months}个月"
                           f"（{limit:%Y年%m月%d日}）")
    old = clock.due_on
    deadlines.extend_clock(clock, ctx.data["months"], ctx.rules, ctx.calendar)
    a.extended = True
    a.save(update_fields=["extended"])
    ctx.payload.update(unit=a.unit.name, old_due=old.isoformat(), new_due=clock.due_on.isoformat(),
                       reason=ctx.data["reason"])
    notify_units(ctx, [a.unit_id], f"延期已批准，新的答复期限为{clock.due_on:%Y年%m月%d日}")


def transitions(spec) -> list:
    return [transition("extend", "批准延期", [HANDLING], None, ["office"], form=ExtendForm,
                       effect=extend_effect, style="outline-secondary")]
