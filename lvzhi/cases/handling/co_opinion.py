"""会办意见: a co-unit sends its opinion to the lead unit within its clock. Whether the lead
must wait for every opinion before signing is the congress's choice
(RuleSet.wait_for_co_opinions); once the lead's answer has passed or the case has closed, an
opinion still missing is no longer needed, and the co-unit is told so."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from lvzhi.cases import deadlines
from lvzhi.cases.handling.common import AssignmentField, notify_units, own_assignments, spec_of
from lvzhi.cases.handling.states import HANDLING
from lvzhi.cases.models import Assignment, AssignmentRole, AssignmentState, Case
from lvzhi.cases.workflow import Context, TransitionForm, transition

# A co-unit in these states still owes its opinion.
OWING = (AssignmentState.HANDLING, AssignmentState.REASSIGN_REQUESTED)

NOT_NEEDED_AFTER_ANSWER = "主办单位答复已审核通过，会办意见不再需要"
NOT_NEEDED_AFTER_CLOSE = "案件已办结，会办意见不再需要"


def co_assignments(case: Case) -> QuerySet[Assignment]:
    """The co-units the lead answers with: their opinion, or that it is still missing."""
    return case.assignments.filter(role=AssignmentRole.CO).exclude(
        state=AssignmentState.WITHDRAWN).select_related("unit").order_by("id")


def missing_co_opinions(case: Case) -> list[Assignment]:
    return list(co_assignments(case).filter(state__in=OWING))


def close_co_opinions(ctx: Context, reason: str) -> None:
    """Co-units still waiting to give an opinion no longer need to: their item leaves the
    inbox, their clocks stop, they are told why, and the event records it (payload co_closed)."""
    spec = spec_of(ctx.case)
    kinds = [k for k in (spec.co_opinion_clock, spec.reassign_window) if k]
    closed = []
    for a in ctx.case.assignments.filter(role=AssignmentRole.CO,
                                         state=AssignmentState.HANDLING).select_related("unit"):
        a.state = AssignmentState.NOT_NEEDED
        a.save(update_fields=["state"])
        if kinds:
            deadlines.cancel_clocks(ctx.case, kinds, assignment=a)
        notify_units(ctx, [a.unit_id], f"{reason}：{ctx.case.title}")
        closed.append({"unit": a.unit.name, "reason": reason})
    if closed:
        ctx.payload.setdefault("co_closed", []).extend(closed)


class CoOpinionForm(TransitionForm):
    assignment = AssignmentField(label="会办任务", queryset=Assignment.objects.none())
    opinion = forms.CharField(label="会办意见", min_length=10, widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"min_length": "会办意见至少写10个字",
                                              "required": "请填写会办意见"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = own_assignments(
            self, role=AssignmentRole.CO, state=AssignmentState.HANDLING)


def co_opinion_effect(ctx: Context) -> None:
    a = ctx.data["assignment"]
    a.opinion = ctx.data["opinion"]
    a.state = AssignmentState.OPINION_GIVEN
    fields = ["opinion", "state"]
    if a.received_at is None:  # an opinion sent is a task received: no 未签收 left behind
        a.received_at, a.received_by = ctx.now, ctx.actor
        fields += ["received_at", "received_by"]
    a.save(update_fields=fields)
    deadlines.meet_clocks(ctx.case, [spec_of(ctx.case).co_opinion_clock, spec_of(ctx.case).reassign_window],
                          ctx.now, assignment=a)
    ctx.payload.update(unit=a.unit.name, opinion=a.opinion[:200])
    leads = ctx.case.assignments.filter(role=AssignmentRole.LEAD).exclude(
        state=AssignmentState.WITHDRAWN).values_list("unit_id", flat=True)
    notify_units(ctx, list(leads), f"{a.unit.name} 已送会办意见：{ctx.case.title}")


def transitions(spec) -> list:
    return [transition("give_co_opinion", "提交会办意见", [HANDLING], None, list(spec.handler_relations),
                       form=CoOpinionForm, effect=co_opinion_effect)]
