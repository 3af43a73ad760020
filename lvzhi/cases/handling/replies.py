"""答复: the unit drafts, its head signs, the office reviews; accepted promises are followed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import FileExtensionValidator
from django.db import transaction
from django.utils import timezone

from lvzhi.cases import deadlines
from lvzhi.cases.handling.clocks import DeadlineKind
from lvzhi.cases.handling.common import (
    AssignmentField,
    notify_office,
    notify_relation,
    notify_units,
    own_assignments,
    spec_of,
)
from lvzhi.cases.handling.states import CLOSED, HANDLING, REPLIED
from lvzhi.cases.models import Assignment, AssignmentRole, AssignmentState, Commitment, Reply, ReplyState
from lvzhi.cases.workflow import Context, TransitionForm, WrongState, transition
from lvzhi.core.models import Role, User
from lvzhi.documents.uploads import UploadError, check_upload, max_upload_bytes

ATTACHMENT_TYPES = {"pdf", "docx", "doc", "jpg", "png", "ofd"}

REPLY_CLASS_LABELS = {
    "A": "A类：所提问题已经解决或者基本解决",
    "B": "B类：所提问题正在解决或者列入规划逐步解决",
    "C": "C类：因目前条件限制或其他原因需待以后解决",
    "D": "D类：所提问题留作参考",
}


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
        validators=[FileExtensionValidator(sorted(ATTACHMENT_TYPES),
                                           message="附件只能是 PDF、Word、OFD 或图片")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = own_assignments(
            self, role__in=[AssignmentRole.LEAD, AssignmentRole.SPLIT],
            state__in=[AssignmentState.HANDLING])
        classes = deadlines.rules_for(self.case.congress_id).reply_classes
        self.fields["reply_class"].choices = [(c, REPLY_CLASS_LABELS.get(c, c)) for c in classes]

    def clean_promises(self):
        return parse_promises(self.cleaned_data.get("promises", ""))

    def clean_attachment(self):
        """By size before a byte is read, then by content: an HTML page named .pdf is refused."""
        f = self.cleaned_data.get("attachment")
        if f:
            limit = max_upload_bytes()
            if f.size > limit:
                raise forms.ValidationError(f"附件不能超过{limit // (1024 * 1024)}MB")
            try:
                check_upload(f, ATTACHMENT_TYPES, limit)
            except UploadError as err:
                raise forms.ValidationError(err.message) from None
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
    replaced = ""
    if d.get("attachment"):
        replaced = reply.attachment.name if reply.pk and reply.attachment else ""
        reply.attachment = d["attachment"]
    reply.save()
    if replaced and replaced != reply.attachment.name:
        # the draft's previous file goes once the new one is committed (kept if rolled back)
        storage = reply.attachment.storage
        if not Reply.objects.filter(attachment=replaced).exists():
            transaction.on_commit(lambda: storage.delete(replaced))
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
    notify_office(ctx, f"答复待审核：{ctx.case.number} {ctx.case.title}")


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
    spec = spec_of(ctx.case)
    deadlines.meet_clocks(ctx.case, [spec.reply_clock, spec.rehandle_clock, spec.reassign_window],
                          ctx.now, assignment=a)
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
    return all_answered(ctx)


def all_answered(ctx: Context) -> str:
    """Every answer is in: what happens next is the kind's choice (HandlingSpec)."""
    spec = spec_of(ctx.case)
    # A co-unit's missing opinion or an unused reassignment window is moot now.
    deadlines.cancel_clocks(ctx.case, [spec.co_opinion_clock, spec.reassign_window])
    ctx.payload["all_replied"] = True
    if spec.evaluator:
        if spec.evaluation_clock:
            clock = deadlines.start_clock(ctx.case, spec.evaluation_clock, ctx.today, ctx.rules,
                                          ctx.calendar)
            notify_relation(ctx, spec.evaluator,
                            f"“{ctx.case.title}”{spec.evaluated_label}（{clock.due_on:%Y年%m月%d日}前）")
        else:
            notify_relation(ctx, spec.evaluator, f"“{ctx.case.title}”{spec.evaluated_label}")
        return REPLIED
    if spec.closer:
        notify_relation(ctx, spec.closer, f"“{ctx.case.title}”已答复，请审定销号")
        return REPLIED
    return close(ctx)


def close(ctx: Context) -> str:
    """Close the case; with a 回头看 declared, its clock starts now."""
    ctx.case.closed_at = ctx.now
    if spec_of(ctx.case).revisit:
        deadlines.start_clock(ctx.case, DeadlineKind.REVISIT, ctx.today, ctx.rules, ctx.calendar)
    return CLOSED


def transitions(spec) -> list:
    return [
        transition("draft_reply", "拟写答复", [HANDLING], None, list(spec.handler_relations),
                   form=DraftReplyForm, guard=draft_reply_guard, effect=draft_reply_effect),
        transition("sign_reply", "签发答复", [HANDLING], None, list(spec.head_relations),
                   form=SignReplyForm, effect=sign_reply_effect, style="success"),
        transition("review_reply", "审核答复", [HANDLING], None, ["office"], form=ReviewReplyForm,
                   effect=review_reply_effect),
    ]
