"""交办: the office hands a case to lead and co units (or splits it), each on its own clocks."""

from __future__ import annotations

from django import forms

from lvzhi.cases import deadlines
from lvzhi.cases.clocks import get_clock
from lvzhi.cases.handling.clocks import DeadlineKind
from lvzhi.cases.handling.common import UnitChoiceField, assignable_orgs, notify_raiser, notify_units, spec_of
from lvzhi.cases.handling.states import HANDLING, REGISTERED
from lvzhi.cases.models import Assignment, AssignmentRole
from lvzhi.cases.workflow import Context, TransitionForm, transition
from lvzhi.core.models import Organization


class AssignForm(TransitionForm):
    MODES = [("lead", "主办+会办"), ("split", "分办（各自办理）")]
    mode = forms.ChoiceField(label="承办方式", choices=MODES, initial="lead")
    lead = UnitChoiceField(label="主办单位", queryset=Organization.objects.none(), required=False)
    co = forms.ModelMultipleChoiceField(label="会办单位", queryset=Organization.objects.none(),
                                        required=False)
    split = forms.ModelMultipleChoiceField(label="分办单位", queryset=Organization.objects.none(),
                                           required=False)
    note = forms.CharField(label="交办意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead", "co", "split"):
            self.fields[name].queryset = assignable_orgs(self.case, spec_of(self.case))

    def clean(self):
        data = super().clean()
        if data.get("mode") == "split":
            split = list(data.get("split") or [])
            if len(split) < 2:
                raise forms.ValidationError("分办至少选择两个承办单位")
            data["plan"] = [(u, AssignmentRole.SPLIT) for u in split]
        else:
            lead = data.get("lead")
            if lead is None:
                raise forms.ValidationError("请选择主办单位")
            co = list(data.get("co") or [])
            if lead in co:
                raise forms.ValidationError(f"{lead.name} 不能同时是主办单位和会办单位")
            data["plan"] = [(lead, AssignmentRole.LEAD)] + [(u, AssignmentRole.CO) for u in co]
        return data


def start_assignment(ctx: Context, unit: Organization, role: str) -> Assignment:
    """Create an assignment with its clocks: reply (or co-opinion) and the reassignment window."""
    spec = spec_of(ctx.case)
    a = Assignment.objects.create(case=ctx.case, unit=unit, role=role, assigned_on=ctx.today,
                                  assigned_by=ctx.actor)
    main = spec.reply_clock if a.answers else spec.co_opinion_clock
    if a.answers and ctx.case.round > 1:
        main = spec.rehandle_clock
    fixed = spec.fixed_due(ctx.case) if spec.fixed_due and a.answers else None
    if main:
        deadlines.start_clock(ctx.case, main, ctx.today, ctx.rules, ctx.calendar, assignment=a,
                              fixed_due_on=fixed)
    if spec.reassign_window:
        deadlines.start_clock(ctx.case, spec.reassign_window, ctx.today, ctx.rules, ctx.calendar,
                              assignment=a)
    return a


def assign_effect(ctx: Context) -> str:
    plan = ctx.data["plan"]
    created = [start_assignment(ctx, unit, role) for unit, role in plan]
    deadlines.meet_clocks(ctx.case, [DeadlineKind.INTERIM_ASSIGN], ctx.now)
    spec = spec_of(ctx.case)
    reply_due = (spec.fixed_due(ctx.case) if spec.fixed_due else None) or deadlines.compute_due(
        spec.reply_clock, ctx.today, ctx.rules, ctx.calendar)
    ctx.payload.update(units=[{"unit": a.unit.name, "role": a.get_role_display()} for a in created],
                       reply_due=reply_due.isoformat(), note=ctx.data.get("note", ""))
    notify_units(ctx, [a.unit_id for a in created],
                 f"新交办：{ctx.case.number} {ctx.case.title}，请于{reply_due:%Y年%m月%d日}前答复")
    notify_raiser(ctx, f"您的“{ctx.case.title}”已交办：" + "、".join(a.unit.name for a in created))
    return HANDLING


def transitions(spec) -> list:
    return [transition("assign", "交办", [REGISTERED], HANDLING, ["office"], form=AssignForm,
                       effect=assign_effect)]


def preview(case, today, rules, cal) -> list[tuple[str, object, str]]:
    """The due dates an assignment made today would get, as (label, date, how counted): from the
    kind's HandlingSpec and its clocks, so every kind's preview follows its own rules."""
    from lvzhi.cases.kinds import get_kind

    spec = spec_of(case)
    word = get_kind(case.kind).word("answer", "答复")
    fixed = spec.fixed_due(case) if spec.fixed_due else None
    if fixed is not None:
        rows = [(f"{word}期限", fixed, "按确定的完成时限")]
    else:
        rows = [(f"{word}期限", deadlines.compute_due(spec.reply_clock, today, rules, cal),
                 f"交办之日起{deadlines.describe(spec.reply_clock, rules)}")]
        if get_clock(spec.reply_clock).unit == "months":  # only month clocks are extended
            rows.append(("延期后最迟", deadlines.max_due(spec.reply_clock, today, rules.reply_max_months, cal),
                         f"最长{rules.reply_max_months}个月"))
    if spec.co_opinion_clock:
        rows.append(("会办意见", deadlines.compute_due(spec.co_opinion_clock, today, rules, cal),
                     f"{deadlines.describe(spec.co_opinion_clock, rules)}内送主办单位"))
    if spec.reassign_window:
        rows.append(("申请调整截止", deadlines.compute_due(spec.reassign_window, today, rules, cal),
                     f"{deadlines.describe(spec.reassign_window, rules)}内"))
    return rows
