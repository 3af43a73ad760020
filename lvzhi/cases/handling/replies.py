"""答复: the unit drafts, its head signs or returns the draft, the office passes or returns the
signed reply; accepted promises are followed. A returned reply keeps its text and the reason,
and the co-units' opinions are shown beside the draft (co_opinion)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import FileExtensionValidator
from django.db import transaction
from django.utils import timezone

from lvzhi.cases import deadlines
from lvzhi.cases.handling.clocks import DeadlineKind
from lvzhi.cases.handling.co_opinion import (
    NOT_NEEDED_AFTER_ANSWER,
    NOT_NEEDED_AFTER_CLOSE,
    close_co_opinions,
    co_assignments,
    missing_co_opinions,
)
from lvzhi.cases.handling.common import (
    AssignmentField,
    notify_office,
    notify_relation,
    notify_units,
    own_assignments,
    spec_of,
)
from lvzhi.cases.handling.states import CLOSED, HANDLING, REPLIED
from lvzhi.cases.models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    Commitment,
    Reply,
    ReplyState,
    ReturnedBy,
)
from lvzhi.cases.permissions import relation_users
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


class CoOpinionsShown:
    """A reply form that shows the co-units' opinions beside the draft (`co_opinions`), when
    the reply it concerns is a lead unit's."""

    co_opinions: list[Assignment] = []
    co_wait = False

    replies_shown: list[Reply] = []

    def show_co_opinions(self, lead: bool) -> None:
        self.co_opinions = list(co_assignments(self.case)) if lead else []
        self.co_wait = deadlines.rules_for(self.case.congress_id).wait_for_co_opinions

    def show_replies(self, qs) -> None:
        """The replies to choose from, shown in full above the form (text, class, promises)."""
        self.replies_shown = list(qs.select_related("drafted_by"))
        self.show_co_opinions(any(r.assignment.role == AssignmentRole.LEAD for r in self.replies_shown))


class DraftReplyForm(CoOpinionsShown, TransitionForm):
    assignment = AssignmentField(label="承办任务", queryset=Assignment.objects.none())
    reply_class = forms.ChoiceField(label="答复分类", error_messages={"required": "请选择答复分类"})
    text = forms.CharField(label="答复内容", min_length=30, widget=forms.Textarea(attrs={"rows": 10}),
                           error_messages={"min_length": "答复内容过短（至少30字），请写明办理情况和措施",
                                           "required": "请填写答复内容"})
    promises = forms.CharField(
        label="承诺事项", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一项：完成日期 承诺内容，如“2026-12-31 完成道路改造”；审核通过后跟踪落实")
    attachment = forms.FileField(
        label="答复函扫描件", required=False,
        validators=[FileExtensionValidator(sorted(ATTACHMENT_TYPES),
                                           message="附件只能是 PDF、Word、OFD 或图片")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mine = own_assignments(self, role__in=[AssignmentRole.LEAD, AssignmentRole.SPLIT],
                               state__in=[AssignmentState.HANDLING])
        self.fields["assignment"].queryset = mine
        classes = deadlines.rules_for(self.case.congress_id).reply_classes
        # No class preselected: the unit must choose one (a default A is how wrong A's happen).
        self.fields["reply_class"].choices = [("", "请选择答复分类")] + [
            (c, REPLY_CLASS_LABELS.get(c, c)) for c in classes]
        only = list(mine[:2])
        # The draft or returned reply being reworked: its text comes back, its reason on top.
        self.previous = latest_draft(only[0], self.case.round) if len(only) == 1 else None
        if self.previous is not None and not self.is_bound:
            p = self.previous
            self.initial.update(reply_class=p.reply_class, text=p.text, promises=p.promises_text)
        self.show_co_opinions(any(a.role == AssignmentRole.LEAD for a in only))

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


def latest_draft(assignment: Assignment, round_: int) -> Reply | None:
    return (Reply.objects.filter(assignment=assignment, round=round_,
                                 state__in=[ReplyState.DRAFT, ReplyState.RETURNED])
            .select_related("returned_by__organization").order_by("-id").first())


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


def reason_field(label: str, required_message: str) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                           error_messages={"required": required_message,
                                           "max_length": "退回理由最多2000字"})


class DraftOfMyUnitForm(CoOpinionsShown, TransitionForm):
    """A head's choice among the drafts of their own unit in this round."""

    reply = ReplyField(label="待签发的答复", queryset=Reply.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Reply.objects.filter(case=self.case, round=self.case.round,
                                  state=ReplyState.DRAFT).select_related("assignment__unit")
        if self.actor is not None and self.actor.organization_id:
            qs = qs.filter(assignment__unit_id=self.actor.organization_id)
        self.fields["reply"].queryset = qs
        self.show_replies(qs)


class SignReplyForm(DraftOfMyUnitForm):
    confirm = forms.BooleanField(label="我已审阅答复内容，同意签发", required=True,
                                 error_messages={"required": "请勾选确认已审阅答复内容"})


class ReturnDraftForm(DraftOfMyUnitForm):
    reason = reason_field("退回理由", "请写明退回理由，以便经办人修改")


def sign_reply_guard(ctx: Context) -> None:
    """Where the rule set says so, a lead unit signs only once every co-unit has spoken."""
    reply: Reply = ctx.data["reply"]
    if reply.assignment.role != AssignmentRole.LEAD or not ctx.rules.wait_for_co_opinions:
        return
    missing = missing_co_opinions(ctx.case)
    if missing:
        names = "、".join(a.unit.name for a in missing)
        raise WrongState(f"按本级办理规则，须收齐会办意见后方可签发；尚未送会办意见的单位：{names}")


def sign_reply_effect(ctx: Context) -> None:
    reply: Reply = ctx.data["reply"]
    reply.state, reply.signed_by, reply.signed_at = ReplyState.SIGNED, ctx.actor, ctx.now
    reply.save(update_fields=["state", "signed_by", "signed_at"])
    ctx.payload.update(unit=reply.assignment.unit.name, reply_id=reply.pk)
    notify_office(ctx, f"答复待审核：{ctx.case.number} {ctx.case.title}")


def _mark_returned(ctx: Context, reply: Reply, stage: str, reason: str) -> None:
    reply.state = ReplyState.RETURNED
    reply.returned_stage, reply.returned_by, reply.returned_at = stage, ctx.actor, ctx.now
    reply.return_reason = reason
    reply.save(update_fields=["state", "returned_stage", "returned_by", "returned_at",
                              "return_reason", "reviewed_at", "review_note"])
    ctx.payload.update(unit=reply.assignment.unit.name, reply_id=reply.pk, reason=reason,
                       returned=reply.return_label)


def return_draft_effect(ctx: Context) -> None:
    """The head sends the draft back to the unit's handlers (and its drafter) with a reason."""
    reply: Reply = ctx.data["reply"]
    _mark_returned(ctx, reply, ReturnedBy.HEAD, ctx.data["reason"])
    unit_users = set(User.objects.filter(organization_id=reply.assignment.unit_id, is_active=True)
                     .values_list("pk", flat=True))
    handlers = {uid for rel in spec_of(ctx.case).handler_relations
                for uid in relation_users(ctx.case, rel)} & unit_users
    for uid in sorted(handlers | {reply.drafted_by_id}):
        ctx.notify.append((uid, f"答复被单位负责人退回修改：{ctx.case.title}（{ctx.data['reason']}）"))


class SignedReplyForm(CoOpinionsShown, TransitionForm):
    reply = ReplyField(label="已签发的答复", queryset=Reply.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Reply.objects.filter(case=self.case, round=self.case.round, state=ReplyState.SIGNED
                                  ).select_related("assignment__unit")
        self.fields["reply"].queryset = qs
        self.show_replies(qs)


class AcceptReplyForm(SignedReplyForm):
    note = forms.CharField(label="审核意见", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"max_length": "审核意见最多2000字"})


class ReturnReplyForm(SignedReplyForm):
    reason = reason_field("退回理由", "退回修改时请写明退回理由")


def return_reply_effect(ctx: Context) -> None:
    reply: Reply = ctx.data["reply"]
    reply.reviewed_at, reply.review_note = ctx.now, ctx.data["reason"]
    _mark_returned(ctx, reply, ReturnedBy.OFFICE, ctx.data["reason"])
    notify_units(ctx, [reply.assignment.unit_id],
                 f"答复被退回修改：{ctx.case.title}（{ctx.data['reason']}）")


def accept_reply_effect(ctx: Context) -> str | None:
    reply: Reply = ctx.data["reply"]
    a = reply.assignment
    reply.reviewed_at, reply.review_note = ctx.now, ctx.data.get("note", "")
    ctx.payload.update(unit=a.unit.name, reply_id=reply.pk, accepted=True, note=reply.review_note)
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
    if a.role == AssignmentRole.LEAD:
        close_co_opinions(ctx, NOT_NEEDED_AFTER_ANSWER)
    waiting = ctx.case.assignments.filter(
        role__in=[AssignmentRole.LEAD, AssignmentRole.SPLIT]).exclude(
        state__in=[AssignmentState.REPLIED, AssignmentState.WITHDRAWN])
    if waiting.exists():
        return None
    return all_answered(ctx)


def all_answered(ctx: Context) -> str:
    """Every answer is in: what happens next is the kind's choice (HandlingSpec)."""
    spec = spec_of(ctx.case)
    # A co-unit's missing opinion or an unused reassignment window is moot now: said so, not
    # silently cancelled.
    close_co_opinions(ctx, NOT_NEEDED_AFTER_ANSWER)
    deadlines.cancel_clocks(ctx.case, [k for k in (spec.co_opinion_clock, spec.reassign_window) if k])
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
    close_co_opinions(ctx, NOT_NEEDED_AFTER_CLOSE)
    if spec_of(ctx.case).revisit:
        deadlines.start_clock(ctx.case, DeadlineKind.REVISIT, ctx.today, ctx.rules, ctx.calendar)
    return CLOSED


def transitions(spec) -> list:
    return [
        transition("draft_reply", "拟写答复", [HANDLING], None, list(spec.handler_relations),
                   form=DraftReplyForm, guard=draft_reply_guard, effect=draft_reply_effect),
        transition("sign_reply", "签发答复", [HANDLING], None, list(spec.head_relations),
                   form=SignReplyForm, guard=sign_reply_guard, effect=sign_reply_effect,
                   style="success"),
        transition("return_draft", "退回经办人修改", [HANDLING], None, list(spec.head_relations),
                   form=ReturnDraftForm, effect=return_draft_effect, style="outline-warning"),
        transition("accept_reply", "审核通过", [HANDLING], None, ["office"], form=AcceptReplyForm,
                   effect=accept_reply_effect, style="success"),
        transition("return_reply", "退回承办单位修改", [HANDLING], None, ["office"],
                   form=ReturnReplyForm, effect=return_reply_effect, style="outline-warning"),
    ]
