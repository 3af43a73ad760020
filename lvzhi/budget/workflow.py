"""The budget warning workflow (kind `budget_warning`); see states.py for the picture.

The rule run opens a warning (`open`, the system or the 预算工委 who imported) and lifts it when
its cause is gone (`lift`, the system). The 预算工委 screens it: `dismiss` with a reason, or `push`
to the finance bureau or the department, which opens an Assignment (so it sits in that unit's one
inbox) on the answer clock. The unit answers; the 预算工委 accepts (销号) or asks again.
Effects write only through models and lvzhi.cases.deadlines and return the target state.
Each event's `summary` is the whole sentence; the parts are kept under keys the shared timeline
does not print on their own (to_unit, remark, cause…), so the page says each thing once.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from lvzhi.budget import forms_warnings as forms
from lvzhi.budget.clocks import ANSWER
from lvzhi.budget.models import WarningDetail
from lvzhi.budget.states import ANSWERED, CLOSED, DISMISSED, LIFTED, OPEN_STATES, PUSHED, RAISED
from lvzhi.cases import deadlines
from lvzhi.cases.handling import notify_office, notify_units
from lvzhi.cases.models import Assignment, AssignmentRole, AssignmentState, Case, CaseNumberCounter
from lvzhi.cases.permissions import SYSTEM
from lvzhi.cases.workflow import Context, Workflow, WrongState, transition

KIND = "budget_warning"
UNIT_SIDE = ["unit_handler", "unit_head"]


def open_key(year: int, rule: str, key: str) -> str:
    """The cause an open warning holds: the same department behind in 2025 and in 2026 are two causes."""
    return f"{year}|{rule}|{key}"


def rule_label(code: str) -> str:
    """The rule's Chinese name from rules.RULES (owned by the rules part), else its code."""
    from lvzhi.budget import rules

    table = getattr(rules, "RULES", None) or ()
    items = table.values() if isinstance(table, dict) else table
    for r in items:
        if getattr(r, "code", None) == code:
            return str(getattr(r, "label", code))
    return code


def next_number(case: Case, year: int) -> str:
    """Gap-free per budget year: the counter row is locked inside the opening transaction."""
    key = {"congress_id": case.congress_id, "kind": KIND, "series": f"year-{year}"}
    # The counter exists but for the year's first warning: lock it straight away (a run opens
    # thousands), create it only when missing.
    counter = CaseNumberCounter.objects.select_for_update().filter(**key).first()
    if counter is None:
        try:
            with transaction.atomic():
                CaseNumberCounter.objects.get_or_create(**key)
        except IntegrityError:  # created by a concurrent opening in the meantime
            pass
        counter = CaseNumberCounter.objects.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}年预算预警第{counter.last:04d}号"


def _live(case: Case) -> Assignment | None:
    return case.assignments.exclude(state=AssignmentState.WITHDRAWN).select_related("unit").order_by("-pk").first()


def _leave_open(ctx: Context) -> WarningDetail:
    """The warning no longer holds its cause: the same cause may raise a new warning later."""
    detail = ctx.case.budget_warning_detail
    detail.open_key = None
    return detail


# ---------------------------------------------------------------------------- effects

def open_effect(ctx: Context) -> str:
    d, case = ctx.data, ctx.case
    label = rule_label(d["rule"])
    case.title = d["title"]
    unit = d.get("unit")
    case.body = f"{label}：{d['title']}。依据：{d['basis']}。"
    case.category = label[:30]
    case.submitted_at = ctx.now
    case.number = next_number(case, d["year"])
    case.save()
    WarningDetail.objects.create(
        case=case, congress_id=case.congress_id, rule=d["rule"], key=d["key"],
        open_key=open_key(d["year"], d["rule"], d["key"]),
        unit=unit, year=d["year"], month=d.get("month") or 0, measured=d.get("measured"),
        threshold=d.get("threshold"), basis=d["basis"], evidence=d.get("evidence") or {})
    ctx.payload.update(rule=d["rule"], key=d["key"], department=unit.name if unit else "",
                       measured=str(d.get("measured") or ""), threshold=str(d.get("threshold") or ""),
                       summary=f"规则运行发现：{d['title']}（{label}）")
    if not d.get("quiet"):
        notify_office(ctx, f"新的预算预警待甄别：{case.number} {case.title}")
    return RAISED


def dismiss_effect(ctx: Context) -> str:
    detail = _leave_open(ctx)
    detail.save(update_fields=["open_key"])
    ctx.case.closed_at = ctx.now
    ctx.payload.update(cause=ctx.data["reason"], summary=f"甄别排除：{ctx.data['reason'][:200]}")
    return DISMISSED


def push_guard(ctx: Context) -> None:
    if ctx.case.assignments.filter(state=AssignmentState.HANDLING).exists():
        raise WrongState("该预警已推送，正在等待单位说明")


def push_effect(ctx: Context) -> str:
    unit = ctx.data["unit"]
    a = Assignment.objects.create(case=ctx.case, unit=unit, role=AssignmentRole.LEAD, assigned_on=ctx.today,
                                  assigned_by=ctx.actor)
    due = deadlines.start_clock(ctx.case, ANSWER, ctx.today, ctx.rules, ctx.calendar, assignment=a).due_on
    detail = ctx.case.budget_warning_detail
    detail.pushed_to = unit
    detail.save(update_fields=["pushed_to"])
    note = ctx.data.get("note", "")
    ctx.payload.update(to_unit=unit.name, reply_due=due.isoformat(), remark=note,
                       summary=f"推送{unit.name}，请于{due:%Y年%m月%d日}前说明" + (f"：{note[:150]}" if note else ""))
    notify_units(ctx, [unit.pk], f"预算预警（{ctx.case.number}）：{ctx.case.title}，请于{due:%Y年%m月%d日}前说明或整改")
    return PUSHED


def answer_effect(ctx: Context) -> str:
    a = ctx.case.assignments.filter(state=AssignmentState.HANDLING).select_related("unit").order_by("-pk").first()
    unit = ""
    if a is not None:
        a.state = AssignmentState.REPLIED
        if a.received_at is None:  # answering is receiving: the units card then says 已签收
            a.received_at, a.received_by = ctx.now, ctx.actor
        a.save(update_fields=["state", "received_at", "received_by"])
        deadlines.meet_clocks(ctx.case, [ANSWER], ctx.now, assignment=a)
        unit = a.unit.name
    text = ctx.data["text"]
    ctx.payload.update(from_unit=unit, text=text, summary=f"{unit}说明：{text[:200]}")
    notify_office(ctx, f"{unit}已说明预算预警（{ctx.case.number}），请审核")
    return ANSWERED


def accept_effect(ctx: Context) -> str:
    detail = _leave_open(ctx)
    detail.save(update_fields=["open_key"])
    ctx.case.closed_at = ctx.now
    note = ctx.data.get("note", "")
    ctx.payload.update(remark=note, summary="审核通过，销号" + (f"：{note[:200]}" if note else ""))
    a = _live(ctx.case)
    if a is not None:
        notify_units(ctx, [a.unit_id], f"预算预警（{ctx.case.number}）的说明已审核通过，已销号")
    return CLOSED


def ask_again_effect(ctx: Context) -> str:
    a = _live(ctx.case)
    if a is None:
        raise WrongState("该预警没有推送单位，不能要求再次说明")
    a.state = AssignmentState.HANDLING
    a.save(update_fields=["state"])
    due = deadlines.start_clock(ctx.case, ANSWER, ctx.today, ctx.rules, ctx.calendar, assignment=a).due_on
    reason = ctx.data["reason"]
    ctx.payload.update(to_unit=a.unit.name, cause=reason, reply_due=due.isoformat(),
                       summary=f"要求{a.unit.name}再次说明（{due:%Y年%m月%d日}前）：{reason[:200]}")
    notify_units(ctx, [a.unit_id], f"预算预警（{ctx.case.number}）需再次说明：{reason[:100]}，"
                                   f"请于{due:%Y年%m月%d日}前说明")
    return PUSHED


def lift_effect(ctx: Context) -> str:
    detail = _leave_open(ctx)
    detail.lifted_at = ctx.now
    detail.save(update_fields=["open_key", "lifted_at"])
    deadlines.cancel_clocks(ctx.case, [ANSWER])
    # The unit keeps seeing the warning (not withdrawn) but no longer has to answer it.
    waiting = list(ctx.case.assignments.filter(state=AssignmentState.HANDLING).values_list("unit_id", flat=True))
    if waiting:
        ctx.case.assignments.filter(state=AssignmentState.HANDLING).update(state=AssignmentState.NOT_NEEDED)
        notify_units(ctx, waiting, f"预算预警（{ctx.case.number}）的原因已消除，已自动解除，无需再说明")
    ctx.case.closed_at = ctx.now
    reason = ctx.data["reason"]
    ctx.payload.update(cause=reason, summary=f"最新数据显示预警原因已消除：{reason[:200]}")
    return LIFTED


TRANSITIONS = [
    transition("open", "发出预警", [""], RAISED, [SYSTEM, "office"], form=forms.OpenForm, effect=open_effect),
    transition("push", "推送单位说明", [RAISED], PUSHED, ["office"], form=forms.PushForm, guard=push_guard,
               effect=push_effect, style="success"),
    transition("dismiss", "甄别排除", [RAISED], DISMISSED, ["office"], form=forms.ReasonForm,
               effect=dismiss_effect, style="outline-danger"),
    transition("answer", "提交说明", [PUSHED], ANSWERED, UNIT_SIDE, form=forms.AnswerForm, effect=answer_effect,
               style="success"),
    transition("accept", "审核通过（销号）", [ANSWERED], CLOSED, ["office"], form=forms.NoteForm,
               effect=accept_effect, style="success"),
    transition("ask_again", "要求再次说明", [ANSWERED], PUSHED, ["office"], form=forms.ReasonForm,
               effect=ask_again_effect, style="outline-warning"),
    transition("lift", "自动解除", list(OPEN_STATES), LIFTED, [SYSTEM], form=forms.LiftForm, effect=lift_effect),
]
WORKFLOW = Workflow(TRANSITIONS)


def api_detail(case: Case) -> dict[str, Any]:
    d = getattr(case, "budget_warning_detail", None)
    if d is None:
        return {}
    return {"rule": d.rule, "rule_label": rule_label(d.rule), "key": d.key, "year": d.year, "month": d.month,
            "unit": d.unit.name if d.unit_id else None, "unit_code": d.unit.code if d.unit_id else None,
            "measured": str(d.measured) if d.measured is not None else None,
            "threshold": str(d.threshold) if d.threshold is not None else None, "basis": d.basis,
            "evidence": d.evidence, "pushed_to": d.pushed_to.name if d.pushed_to_id else None,
            "lifted_at": d.lifted_at.isoformat() if d.lifted_at else None}
