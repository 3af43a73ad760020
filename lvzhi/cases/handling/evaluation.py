"""评价: the kind's evaluator judges the answers; unsatisfied reopens a round, silence closes."""

from __future__ import annotations

from django import forms

from lvzhi.cases import deadlines
from lvzhi.cases.handling.common import notify_units, spec_of
from lvzhi.cases.handling.replies import close
from lvzhi.cases.handling.states import CLOSED, HANDLING, REPLIED
from lvzhi.cases.models import AssignmentRole, AssignmentState, Evaluation, Verdict
from lvzhi.cases.workflow import Context, TransitionForm, WrongState, transition


class EvaluateForm(TransitionForm):
    verdict = forms.ChoiceField(label="评价", choices=Verdict.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("verdict") == Verdict.UNSATISFIED and len(data.get("comment") or "") < 5:
            raise forms.ValidationError("选择“不满意”时请写明不满意的理由（至少5个字），以便重新办理")
        return data


def reopen(ctx: Context, why: str = "评价为不满意") -> str:
    """Unsatisfied: a new round; the answering units handle again on the re-handling clock."""
    ctx.case.round += 1
    for a in ctx.case.assignments.filter(role__in=[AssignmentRole.LEAD, AssignmentRole.SPLIT],
                                         state=AssignmentState.REPLIED):
        a.state = AssignmentState.HANDLING
        a.save(update_fields=["state"])
        deadlines.start_clock(ctx.case, spec_of(ctx.case).rehandle_clock, ctx.today, ctx.rules,
                              ctx.calendar, assignment=a)
        notify_units(ctx, [a.unit_id], f"{why}，请重新办理：{ctx.case.title}")
    ctx.payload["round"] = ctx.case.round
    return HANDLING


def evaluate_effect(ctx: Context) -> str:
    verdict = ctx.data["verdict"]
    Evaluation.objects.create(case=ctx.case, round=ctx.case.round, verdict=verdict,
                              comment=ctx.data.get("comment", ""), by=ctx.actor, at=ctx.now)
    spec = spec_of(ctx.case)
    if spec.evaluation_clock:
        deadlines.meet_clocks(ctx.case, [spec.evaluation_clock], ctx.now)
    ctx.payload.update(verdict=Verdict(verdict).label, comment=ctx.data.get("comment", ""),
                       evaluated_round=ctx.case.round)
    if verdict == Verdict.UNSATISFIED:
        return reopen(ctx)
    return close(ctx)


def close_expired_guard(ctx: Context) -> None:
    clock = deadlines.open_clocks(ctx.case, [spec_of(ctx.case).evaluation_clock]).first()
    if clock is None or clock.due_on >= ctx.today:
        raise WrongState("评价期限未到，不能按逾期办结")


def close_expired_effect(ctx: Context) -> str:
    Evaluation.objects.create(case=ctx.case, round=ctx.case.round, verdict="", expired=True,
                              at=ctx.now)
    deadlines.cancel_clocks(ctx.case, [spec_of(ctx.case).evaluation_clock])
    ctx.payload["reason"] = "评价期限届满未反馈，视为认可"
    return close(ctx)


def transitions(spec) -> list:
    if not spec.evaluator:
        return []
    rows = [transition("evaluate", "评价答复", [REPLIED], None, [spec.evaluator], form=EvaluateForm,
                       effect=evaluate_effect, style="success")]
    if spec.evaluation_clock:
        rows.append(transition("close_expired", "逾期未评价办结", [REPLIED], CLOSED, ["system"],
                               guard=close_expired_guard, effect=close_expired_effect))
    return rows
