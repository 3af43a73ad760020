"""The handling half every kind shares: assign → (reassign, extend, contact, co-opinion) →
reply → sign → review → evaluate → close or re-handle, plus promises, key supervision,
bundles and publication. A kind composes these with its own intake transitions.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone

from lvzhi.cases import deadlines
from lvzhi.cases.models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    Bundle,
    CaseState,
    Commitment,
    CommitmentState,
    Contact,
    ContactMethod,
    ContactStage,
    DeadlineKind,
    Evaluation,
    Reply,
    ReplyState,
    Supervision,
    SupervisionKind,
    Verdict,
)
from lvzhi.cases.workflow import (
    Context,
    EmptyForm,
    InvalidInput,
    TransitionForm,
    WrongState,
    transition,
)
from lvzhi.core.models import Organization, OrganizationKind, Role, User

S = CaseState
REPLY_CLASS_LABELS = {
    "A": "A类：所提问题已经解决或者基本解决",
    "B": "B类：所提问题正在解决或者列入规划逐步解决",
    "C": "C类：因目前条件限制或其他原因需待以后解决",
    "D": "D类：所提问题留作参考",
}


# ---------------------------------------------------------------- choices scoped to the caller

def _units(case) -> forms.ModelChoiceField:
    return Organization.objects.filter(congress_id=case.congress_id, kind=OrganizationKind.UNIT,
                                       is_active=True)


def _own_assignments(form: TransitionForm, **filters):
    qs = Assignment.objects.filter(case=form.case, **filters).select_related("unit")
    if form.actor is not None and form.actor.role in (Role.UNIT_HANDLER, Role.UNIT_HEAD):
        qs = qs.filter(unit_id=form.actor.organization_id)
    return qs


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class AssignmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Assignment) -> str:
        return f"{obj.unit.name}（{obj.get_role_display()}）"


def _congress_users(case, **filters) -> list[int]:
    return list(User.objects.filter(congress_id=case.congress_id, is_active=True, **filters)
                .values_list("pk", flat=True))


def notify_units(ctx: Context, unit_ids: list[int], text: str) -> None:
    for uid in User.objects.filter(organization_id__in=unit_ids, is_active=True).values_list(
            "pk", flat=True):
        ctx.notify.append((uid, text))


def notify_clerks(ctx: Context, text: str) -> None:
    for uid in _congress_users(ctx.case, role=Role.CLERK):
        ctx.notify.append((uid, text))


def notify_deputy(ctx: Context, text: str) -> None:
    deputy = ctx.case.lead_deputy
    uid = deputy.user_id if deputy else ctx.case.submitter_id
    if uid:
        ctx.notify.append((uid, text))


# ---------------------------------------------------------------------------------- assign

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
            self.fields[name].queryset = _units(self.case)

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
    a = Assignment.objects.create(case=ctx.case, unit=unit, role=role, assigned_on=ctx.today,
                                  assigned_by=ctx.actor)
    main = DeadlineKind.REPLY if a.answers else DeadlineKind.CO_OPINION
    if a.answers and ctx.case.round > 1:
        main = DeadlineKind.REHANDLE
    deadlines.start_clock(ctx.case, main, ctx.today, ctx.rules, ctx.calendar, assignment=a)
    deadlines.start_clock(ctx.case, DeadlineKind.REASSIGN_WINDOW, ctx.today, ctx.rules,
                          ctx.calendar, assignment=a)
    return a


def assign_effect(ctx: Context) -> str:
    plan = ctx.data["plan"]
    created = [start_assignment(ctx, unit, role) for unit, role in plan]
    deadlines.meet_clocks(ctx.case, [DeadlineKind.INTERIM_ASSIGN], ctx.now)
    reply_due = deadlines.compute_due(DeadlineKind.REPLY, ctx.today, ctx.rules, ctx.calendar)
    ctx.payload.update(units=[{"unit": a.unit.name, "role": a.get_role_display()} for a in created],
                       reply_due=reply_due.isoformat(), note=ctx.data.get("note", ""))
    notify_units(ctx, [a.unit_id for a in created],
                 f"新交办：{ctx.case.number} {ctx.case.title}，请于{reply_due:%Y年%m月%d日}前答复")
    notify_deputy(ctx, f"您的“{ctx.case.title}”已交办：" + "、".join(a.unit.name for a in created))
    return S.HANDLING


# ---------------------------------------------------------------------- reassignment

class RequestReassignmentForm(TransitionForm):
    assignment = AssignmentField(label="本单位承办任务", queryset=Assignment.objects.none())
    reason = forms.CharField(label="申请调整理由", min_length=10, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"min_length": "申请调整理由至少写10个字，说明为何不属于本单位职责"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = _own_assignments(
            self, state__in=[AssignmentState.HANDLING])


def request_reassignment_guard(ctx: Context) -> None:
    a = ctx.data["assignment"]
    window = deadlines.open_clocks(ctx.case, [DeadlineKind.REASSIGN_WINDOW], a).first()
    if window is None or window.due_on < ctx.today:
        raise InvalidInput(f"申请调整须在交办后{ctx.rules.reassign_request_workdays}个工作日内提出，"
                           "已超过期限，请按职责办理")


def request_reassignment_effect(ctx: Context) -> None:
    a = ctx.data["assignment"]
    a.state = AssignmentState.REASSIGN_REQUESTED
    a.reassign_reason = ctx.data["reason"]
    a.save(update_fields=["state", "reassign_reason"])
    deadlines.meet_clocks(ctx.case, [DeadlineKind.REASSIGN_WINDOW], ctx.now, assignment=a)
    ctx.payload.update(unit=a.unit.name, reason=ctx.data["reason"])
    notify_clerks(ctx, f"{a.unit.name} 申请调整：{ctx.case.number} {ctx.case.title}")


class DecideReassignmentForm(TransitionForm):
    assignment = AssignmentField(label="申请调整的承办任务", queryset=Assignment.objects.none())
    approve = forms.TypedChoiceField(label="决定", choices=[("1", "同意调整"), ("0", "不同意，维持原交办")],
                                     coerce=lambda v: v == "1")
    new_unit = UnitChoiceField(label="改交单位", queryset=Organization.objects.none(), required=False)
    note = forms.CharField(label="意见", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = _own_assignments(
            self, state=AssignmentState.REASSIGN_REQUESTED)
        self.fields["new_unit"].queryset = _units(self.case)

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


# ------------------------------------------------------------------------------ extension

class ExtendForm(TransitionForm):
    assignment = AssignmentField(label="承办任务", queryset=Assignment.objects.none())
    months = forms.IntegerField(label="延期(月)", min_value=1, max_value=3, initial=3)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = _own_assignments(
            self, role__in=[AssignmentRole.LEAD, AssignmentRole.SPLIT],
            state__in=[AssignmentState.HANDLING, AssignmentState.REASSIGN_REQUESTED])


def extend_effect(ctx: Context) -> None:
    a = ctx.data["assignment"]
    clock = deadlines.open_clocks(ctx.case, [DeadlineKind.REPLY], a).first()
    if clock is None:
        raise InvalidInput("该承办任务没有进行中的答复期限，无需延期")
    limit = deadlines.max_reply_due(clock.start_on, ctx.rules, ctx.calendar)
    new_due = deadlines.compute_due(clock.kind, clock.start_on, ctx.rules, ctx.calendar,
                                    extension_months=clock.extension_months + ctx.data["months"])
    if new_due > limit:
        raise InvalidInput(f"延期后答复期限不得超过交办之日起{ctx.rules.reply_max_months}个月"
                           f"（{limit:%Y年%m月%d日}）")
    old = clock.due_on
    deadlines.extend_reply_clock(clock, ctx.data["months"], ctx.rules, ctx.calendar)
    a.extended = True
    a.save(update_fields=["extended"])
    ctx.payload.update(unit=a.unit.name, old_due=old.isoformat(), new_due=clock.due_on.isoformat(),
                       reason=ctx.data["reason"])
    notify_units(ctx, [a.unit_id], f"延期已批准，新的答复期限为{clock.due_on:%Y年%m月%d日}")


# -------------------------------------------------------------------------------- contact

class ContactForm(TransitionForm):
    assignment = AssignmentField(label="承办任务", queryset=Assignment.objects.none())
    stage = forms.ChoiceField(label="阶段", choices=ContactStage.choices)
    method = forms.ChoiceField(label="方式", choices=ContactMethod.choices)
    happened_on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.CharField(label="参加人员", required=False, max_length=200)
    summary = forms.CharField(label="沟通情况", min_length=5, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = _own_assignments(self).exclude(
            state=AssignmentState.WITHDRAWN)

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("沟通日期不能晚于今天")
        return day


def contact_effect(ctx: Context) -> None:
    d = ctx.data
    c = Contact.objects.create(case=ctx.case, assignment=d["assignment"], stage=d["stage"],
                               method=d["method"], happened_on=d["happened_on"],
                               participants=d.get("participants", ""), summary=d["summary"],
                               recorded_by=ctx.actor)
    ctx.payload.update(unit=d["assignment"].unit.name, stage=c.get_stage_display(),
                       method=c.get_method_display(), happened_on=c.happened_on.isoformat(),
                       summary=c.summary[:200])


# --------------------------------------------------------------------------- co-opinion

class CoOpinionForm(TransitionForm):
    assignment = AssignmentField(label="会办任务", queryset=Assignment.objects.none())
    opinion = forms.CharField(label="会办意见", min_length=10, widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"min_length": "会办意见至少写10个字"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = _own_assignments(
            self, role=AssignmentRole.CO, state=AssignmentState.HANDLING)


def co_opinion_effect(ctx: Context) -> None:
    a = ctx.data["assignment"]
    a.opinion = ctx.data["opinion"]
    a.state = AssignmentState.OPINION_GIVEN
    a.save(update_fields=["opinion", "state"])
    deadlines.meet_clocks(ctx.case, [DeadlineKind.CO_OPINION, DeadlineKind.REASSIGN_WINDOW],
                          ctx.now, assignment=a)
    ctx.payload.update(unit=a.unit.name, opinion=a.opinion[:200])
    leads = ctx.case.assignments.filter(role=AssignmentRole.LEAD).exclude(
        state=AssignmentState.WITHDRAWN).values_list("unit_id", flat=True)
    notify_units(ctx, list(leads), f"{a.unit.name} 已送会办意见：{ctx.case.title}")


# ---------------------------------------------------------------------------------- replies

def parse_promises(text: str) -> list[dict[str, str]]:
    """One promise a line: "2026-12-31 完成道路改造"; the date first, then what is promised."""
    promises = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        head, _, rest = line.partition(" ")
        try:
            due = dt.date.fromisoformat(head.replace("/", "-").replace(".", "-"))
        except ValueError:
            raise forms.ValidationError(
                f"承诺事项第{n}行格式应为“YYYY-MM-DD 承诺内容”，如：2026-12-31 完成道路改造") from None
        if not rest.strip():
            raise forms.ValidationError(f"承诺事项第{n}行缺少承诺内容")
        if due < timezone.localdate():
            raise forms.ValidationError(f"承诺事项第{n}行的完成日期不能早于今天")
        promises.append({"due_on": due.isoformat(), "text": rest.strip()[:300]})
    return promises


class DraftReplyForm(TransitionForm):
    assignment = AssignmentField(label="承办任务", queryset=Assignment.objects.none())
    reply_class = forms.ChoiceField(label="答复分类")
    text = forms.CharField(label="答复内容", min_length=30, widget=forms.Textarea(attrs={"rows": 10}),
                           error_messages={"min_length": "答复内容过短（至少30字），请写明办理情况和措施"})
    promises = forms.CharField(
        label="承诺事项", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一项：完成日期 承诺内容，如“2026-12-31 完成道路改造”；审核通过后跟踪落实")
    attachment = forms.FileField(
        label="答复函扫描件", required=False,
        validators=[FileExtensionValidator(["pdf", "docx", "doc", "jpg", "png", "ofd"],
                                           message="附件只能是 PDF、Word、OFD 或图片")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = _own_assignments(
            self, role__in=[AssignmentRole.LEAD, AssignmentRole.SPLIT],
            state__in=[AssignmentState.HANDLING])
        from lvzhi.cases.deadlines import rules_for

        classes = rules_for(self.case.congress_id).reply_classes
        self.fields["reply_class"].choices = [(c, REPLY_CLASS_LABELS.get(c, c)) for c in classes]

    def clean_promises(self):
        return parse_promises(self.cleaned_data.get("promises", ""))

    def clean_attachment(self):
        f = self.cleaned_data.get("attachment")
        if f and f.size > 10 * 1024 * 1024:
            raise forms.ValidationError("附件不能超过10MB")
        return f


def draft_reply_guard(ctx: Context) -> None:
    a = ctx.data["assignment"]
    if Reply.objects.filter(assignment=a, round=ctx.case.round, state=ReplyState.SIGNED).exists():
        raise WrongState("本轮答复已签发、正在审核，不能再修改")


def draft_reply_effect(ctx: Context) -> None:
    a, d = ctx.data["assignment"], ctx.data
    reply = (Reply.objects.filter(assignment=a, round=ctx.case.round,
                                  state__in=[ReplyState.DRAFT, ReplyState.RETURNED]).first()
             or Reply(case=ctx.case, assignment=a, round=ctx.case.round, drafted_by=ctx.actor))
    reply.reply_class, reply.text, reply.promises = d["reply_class"], d["text"], d["promises"]
    reply.state, reply.drafted_by, reply.drafted_at = ReplyState.DRAFT, ctx.actor, ctx.now
    if d.get("attachment"):
        reply.attachment = d["attachment"]
    reply.save()
    ctx.payload.update(unit=a.unit.name, reply_id=reply.pk, reply_class=reply.reply_class,
                       promises=len(reply.promises))
    for uid in User.objects.filter(organization_id=a.unit_id, role=Role.UNIT_HEAD,
                                   is_active=True).values_list("pk", flat=True):
        ctx.notify.append((uid, f"答复待签发：{ctx.case.title}"))


class ReplyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Reply) -> str:
        return f"{obj.assignment.unit.name} 第{obj.round}轮答复（{obj.reply_class}类）"


class SignReplyForm(TransitionForm):
    reply = ReplyField(label="待签发的答复", queryset=Reply.objects.none())
    confirm = forms.BooleanField(label="我已审阅答复内容，同意签发", required=True,
                                 error_messages={"required": "请勾选确认已审阅答复内容"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Reply.objects.filter(case=self.case, round=self.case.round,
                                  state=ReplyState.DRAFT).select_related("assignment__unit")
        if self.actor is not None and self.actor.organization_id:
            qs = qs.filter(assignment__unit_id=self.actor.organization_id)
        self.fields["reply"].queryset = qs


def sign_reply_effect(ctx: Context) -> None:
    reply: Reply = ctx.data["reply"]
    reply.state, reply.signed_by, reply.signed_at = ReplyState.SIGNED, ctx.actor, ctx.now
    reply.save(update_fields=["state", "signed_by", "signed_at"])
    ctx.payload.update(unit=reply.assignment.unit.name, reply_id=reply.pk)
    notify_clerks(ctx, f"答复待审核：{ctx.case.number} {ctx.case.title}")


class ReviewReplyForm(TransitionForm):
    reply = ReplyField(label="已签发的答复", queryset=Reply.objects.none())
    accept = forms.TypedChoiceField(label="审核结果", choices=[("1", "审核通过，送代表评价"),
                                                           ("0", "退回承办单位修改")],
                                    coerce=lambda v: v == "1")
    note = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].queryset = Reply.objects.filter(
            case=self.case, round=self.case.round, state=ReplyState.SIGNED
        ).select_related("assignment__unit")

    def clean(self):
        data = super().clean()
        if data.get("accept") is False and not data.get("note"):
            raise forms.ValidationError("退回修改时请写明审核意见")
        return data


def review_reply_effect(ctx: Context) -> str | None:
    reply: Reply = ctx.data["reply"]
    a = reply.assignment
    reply.reviewed_at, reply.review_note = ctx.now, ctx.data.get("note", "")
    ctx.payload.update(unit=a.unit.name, reply_id=reply.pk, accepted=ctx.data["accept"],
                       note=reply.review_note)
    if not ctx.data["accept"]:
        reply.state = ReplyState.RETURNED
        reply.save(update_fields=["state", "reviewed_at", "review_note"])
        notify_units(ctx, [a.unit_id], f"答复被退回修改：{ctx.case.title}（{reply.review_note}）")
        return None
    reply.state = ReplyState.ACCEPTED
    reply.save(update_fields=["state", "reviewed_at", "review_note"])
    a.state = AssignmentState.REPLIED
    a.save(update_fields=["state"])
    deadlines.meet_clocks(ctx.case, [DeadlineKind.REPLY, DeadlineKind.REHANDLE,
                                     DeadlineKind.REASSIGN_WINDOW], ctx.now, assignment=a)
    for p in reply.promises:
        due = dt.date.fromisoformat(p["due_on"])
        Commitment.objects.create(case=ctx.case, reply=reply, unit=a.unit, text=p["text"], due_on=due)
        deadlines.start_clock(ctx.case, DeadlineKind.COMMITMENT, ctx.today, ctx.rules,
                              ctx.calendar, assignment=a, fixed_due_on=due)
    waiting = ctx.case.assignments.filter(
        role__in=[AssignmentRole.LEAD, AssignmentRole.SPLIT]).exclude(
        state__in=[AssignmentState.REPLIED, AssignmentState.WITHDRAWN])
    if waiting.exists():
        return None
    # Every answer is in: a co-unit's missing opinion or an unused reassignment window is moot.
    deadlines.cancel_clocks(ctx.case, [DeadlineKind.CO_OPINION, DeadlineKind.REASSIGN_WINDOW])
    deadlines.start_clock(ctx.case, DeadlineKind.EVALUATION, ctx.today, ctx.rules, ctx.calendar)
    notify_deputy(ctx, f"“{ctx.case.title}”已答复，请在{ctx.rules.evaluation_workdays}个工作日内评价")
    ctx.payload["all_replied"] = True
    return S.REPLIED


# ------------------------------------------------------------------------------ evaluation

class EvaluateForm(TransitionForm):
    verdict = forms.ChoiceField(label="评价", choices=Verdict.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("verdict") == Verdict.UNSATISFIED and len(data.get("comment") or "") < 5:
            raise forms.ValidationError("选择“不满意”时请写明不满意的理由（至少5个字），以便重新办理")
        return data


def reopen(ctx: Context) -> str:
    """Unsatisfied: a new round; the answering units handle again on the re-handling clock."""
    ctx.case.round += 1
    for a in ctx.case.assignments.filter(role__in=[AssignmentRole.LEAD, AssignmentRole.SPLIT],
                                         state=AssignmentState.REPLIED):
        a.state = AssignmentState.HANDLING
        a.save(update_fields=["state"])
        deadlines.start_clock(ctx.case, DeadlineKind.REHANDLE, ctx.today, ctx.rules,
                              ctx.calendar, assignment=a)
        notify_units(ctx, [a.unit_id], f"代表不满意，请重新办理：{ctx.case.title}")
    ctx.payload["round"] = ctx.case.round
    return S.HANDLING


def evaluate_effect(ctx: Context) -> str:
    verdict = ctx.data["verdict"]
    Evaluation.objects.create(case=ctx.case, round=ctx.case.round, verdict=verdict,
                              comment=ctx.data.get("comment", ""), by=ctx.actor, at=ctx.now)
    deadlines.meet_clocks(ctx.case, [DeadlineKind.EVALUATION], ctx.now)
    ctx.payload.update(verdict=Verdict(verdict).label, comment=ctx.data.get("comment", ""),
                       evaluated_round=ctx.case.round)
    if verdict == Verdict.UNSATISFIED:
        return reopen(ctx)
    ctx.case.closed_at = ctx.now
    return S.CLOSED


def close_expired_guard(ctx: Context) -> None:
    clock = deadlines.open_clocks(ctx.case, [DeadlineKind.EVALUATION]).first()
    if clock is None or clock.due_on >= ctx.today:
        raise WrongState("评价期限未到，不能按逾期办结")


def close_expired_effect(ctx: Context) -> str:
    Evaluation.objects.create(case=ctx.case, round=ctx.case.round, verdict="", expired=True,
                              at=ctx.now)
    deadlines.cancel_clocks(ctx.case, [DeadlineKind.EVALUATION])
    ctx.case.closed_at = ctx.now
    ctx.payload["reason"] = "代表评价期限届满未反馈，视为认可"
    return S.CLOSED


# ---------------------------------------------------------------------------- promises

class KeepCommitmentForm(TransitionForm):
    commitment = forms.ModelChoiceField(label="承诺事项", queryset=Commitment.objects.none())
    note = forms.CharField(label="落实情况", min_length=5, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Commitment.objects.filter(case=self.case, state=CommitmentState.OPEN)
        if self.actor is not None and self.actor.organization_id:
            qs = qs.filter(unit_id=self.actor.organization_id)
        self.fields["commitment"].queryset = qs


def keep_commitment_effect(ctx: Context) -> None:
    c: Commitment = ctx.data["commitment"]
    c.state, c.kept_at, c.kept_note = CommitmentState.KEPT, ctx.now, ctx.data["note"]
    c.save(update_fields=["state", "kept_at", "kept_note"])
    clock = deadlines.open_clocks(ctx.case, [DeadlineKind.COMMITMENT]).filter(
        fixed_due_on=c.due_on, assignment__unit_id=c.unit_id).first()
    if clock:
        clock.met_at = ctx.now
        clock.save(update_fields=["met_at"])
    ctx.payload.update(commitment=c.text, note=c.kept_note)
    notify_deputy(ctx, f"承诺事项已落实：{c.text}")


# ------------------------------------------------------------------- key, bundle, publish

class MarkKeyForm(TransitionForm):
    kind = forms.ChoiceField(label="督办方式", choices=SupervisionKind.choices,
                             initial=SupervisionKind.LEADER)
    leader = forms.ModelChoiceField(label="督办领导", queryset=User.objects.none(), required=False)
    committee = forms.ModelChoiceField(label="督办专工委", queryset=Organization.objects.none(),
                                       required=False)
    note = forms.CharField(label="督办要求", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = User.objects.filter(
            congress_id=self.case.congress_id, role=Role.LEADER, is_active=True)
        self.fields["committee"].queryset = Organization.objects.filter(
            congress_id=self.case.congress_id, kind=OrganizationKind.COMMITTEE)

    def clean(self):
        data = super().clean()
        if not data.get("leader") and not data.get("committee"):
            raise forms.ValidationError("请至少指定督办领导或督办专工委")
        return data


def mark_key_effect(ctx: Context) -> None:
    d = ctx.data
    ctx.case.is_key = True
    s = Supervision.objects.create(case=ctx.case, kind=d["kind"], leader=d.get("leader"),
                                   committee=d.get("committee"), note=d.get("note", ""),
                                   created_at=ctx.now)
    ctx.payload.update(kind=s.get_kind_display(), leader=str(s.leader or ""),
                       committee=str(s.committee or ""), note=s.note)


class BundleForm(TransitionForm):
    bundle = forms.ModelChoiceField(label="督办专题", queryset=Bundle.objects.none(),
                                    required=False)
    new_title = forms.CharField(label="或新建专题", required=False, max_length=120)
    committee = forms.ModelChoiceField(label="督办专工委", queryset=Organization.objects.none(),
                                       required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bundle"].queryset = Bundle.objects.filter(congress_id=self.case.congress_id)
        self.fields["committee"].queryset = Organization.objects.filter(
            congress_id=self.case.congress_id, kind=OrganizationKind.COMMITTEE)

    def clean(self):
        data = super().clean()
        if not data.get("bundle") and not data.get("new_title"):
            raise forms.ValidationError("请选择已有的督办专题，或填写新专题名称")
        if data.get("bundle") and data["bundle"].cases.filter(pk=self.case.pk).exists():
            raise forms.ValidationError("本案已在该专题中")
        return data


def bundle_effect(ctx: Context) -> None:
    bundle = ctx.data.get("bundle") or Bundle.objects.create(
        congress_id=ctx.case.congress_id, title=ctx.data["new_title"],
        committee=ctx.data.get("committee"))
    bundle.cases.add(ctx.case)
    ctx.payload.update(bundle=bundle.title, bundle_id=bundle.pk)


def publish_guard(ctx: Context) -> None:
    detail = getattr(ctx.case, "suggestion_detail", None)
    if detail is not None and detail.confidential:
        raise InvalidInput("代表要求保密的建议不能公开")
    if ctx.case.is_public:
        raise WrongState("该案件已公开")


def publish_effect(ctx: Context) -> None:
    ctx.case.is_public = True


def unpublish_guard(ctx: Context) -> None:
    if not ctx.case.is_public:
        raise WrongState("该案件尚未公开")


def unpublish_effect(ctx: Context) -> None:
    ctx.case.is_public = False


# ------------------------------------------------------------------------- the table

ACTIVE = [S.REGISTERED, S.HANDLING, S.REPLIED]

HANDLING_TRANSITIONS = [
    transition("assign", "交办", [S.REGISTERED], S.HANDLING, ["clerk"], form=AssignForm,
               effect=assign_effect),
    transition("request_reassignment", "申请调整", [S.HANDLING], None, ["unit_handler"],
               form=RequestReassignmentForm, guard=request_reassignment_guard,
               effect=request_reassignment_effect, style="outline-warning"),
    transition("decide_reassignment", "审核调整申请", [S.HANDLING], None, ["clerk"],
               form=DecideReassignmentForm, effect=decide_reassignment_effect),
    transition("extend", "批准延期", [S.HANDLING], None, ["clerk"], form=ExtendForm,
               effect=extend_effect, style="outline-secondary"),
    transition("log_contact", "登记沟通联系", [S.HANDLING, S.REPLIED], None,
               ["unit_handler", "unit_head"], form=ContactForm, effect=contact_effect,
               style="outline-primary"),
    transition("give_co_opinion", "提交会办意见", [S.HANDLING], None, ["unit_handler"],
               form=CoOpinionForm, effect=co_opinion_effect),
    transition("draft_reply", "拟写答复", [S.HANDLING], None, ["unit_handler"],
               form=DraftReplyForm, guard=draft_reply_guard, effect=draft_reply_effect),
    transition("sign_reply", "签发答复", [S.HANDLING], None, ["unit_head"], form=SignReplyForm,
               effect=sign_reply_effect, style="success"),
    transition("review_reply", "审核答复", [S.HANDLING], None, ["clerk"], form=ReviewReplyForm,
               effect=review_reply_effect),
    transition("evaluate", "评价答复", [S.REPLIED], None, ["lead_deputy"], form=EvaluateForm,
               effect=evaluate_effect, style="success"),
    transition("close_expired", "逾期未评价办结", [S.REPLIED], S.CLOSED, ["system"],
               guard=close_expired_guard, effect=close_expired_effect),
    transition("keep_commitment", "报告承诺落实", [S.HANDLING, S.REPLIED, S.CLOSED], None,
               ["unit_handler", "unit_head"], form=KeepCommitmentForm,
               effect=keep_commitment_effect, style="outline-success"),
    transition("mark_key", "确定为重点建议", ACTIVE, None, ["leader"], form=MarkKeyForm,
               effect=mark_key_effect, style="outline-danger"),
    transition("add_to_bundle", "打捆督办", ACTIVE, None, ["clerk"], form=BundleForm,
               effect=bundle_effect, style="outline-secondary"),
    transition("publish", "公开", [S.REPLIED, S.CLOSED], None, ["clerk"], form=EmptyForm,
               guard=publish_guard, effect=publish_effect, style="outline-success"),
    transition("unpublish", "取消公开", [S.REPLIED, S.CLOSED], None, ["clerk"], form=EmptyForm,
               guard=unpublish_guard, effect=unpublish_effect, style="outline-secondary"),
]
