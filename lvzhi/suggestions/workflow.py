"""The suggestion and motion workflows: their own intake, then the shared handling table.

Suggestion: draft → submitted (co-signers confirm) → registered | returned | merged | withdrawn
→ handling (lvzhi.cases.handling) → replied → closed, or handling again when unsatisfied.
Motion: the same intake with 案由/案据/方案 and a co-signer minimum, then referred to a
committee (→ its report closes it) or converted into a suggestion.
"""

from __future__ import annotations

from dataclasses import replace

from lvzhi.cases import deadlines
from lvzhi.cases.handling import HANDLING_TRANSITIONS, notify_deputy
from lvzhi.cases.kinds import CaseKind, register_kind
from lvzhi.cases.models import Case, CaseState, Cosign, CosignState, DeadlineKind
from lvzhi.cases.numbers import next_number
from lvzhi.cases.workflow import Context, InvalidInput, Workflow, transition
from lvzhi.suggestions.forms import (
    CommitteeReportForm,
    DraftForm,
    MergeForm,
    ReasonForm,
    ReferForm,
    RegisterForm,
)
from lvzhi.suggestions.models import MotionDetail, SuggestionDetail

S = CaseState


def format_suggestion_number(case: Case, seq: int) -> str:
    if case.session_id:
        return f"{case.session}第{seq:04d}号"
    return f"闭会期间{(case.submitted_at or case.created_at).year}年第{seq:04d}号"


def format_motion_number(case: Case, seq: int) -> str:
    if case.session_id:
        return f"{case.session}议案第{seq:03d}号"
    return f"闭会期间{(case.submitted_at or case.created_at).year}年议案第{seq:03d}号"


# ---------------------------------------------------------------------------- effects

def apply_draft(case: Case, data: dict) -> list[str]:
    """Write the form's fields onto the case and its detail; returns the cosigners invited."""
    case.title, case.body, case.category = data["title"], data["body"], data.get("category", "")
    case.save()
    if case.kind == "motion":
        MotionDetail.objects.update_or_create(
            case=case, defaults={"cause": data["cause"], "basis": data["basis"],
                                 "plan": data["plan"]})
    else:
        SuggestionDetail.objects.update_or_create(
            case=case, defaults={"confidential": data.get("confidential", False)})
    wanted = {d.pk: d for d in data.get("cosigners") or []}
    case.cosigns.exclude(deputy_id__in=wanted).delete()
    existing = set(case.cosigns.values_list("deputy_id", flat=True))
    Cosign.objects.bulk_create([Cosign(case=case, deputy=d) for pk, d in wanted.items()
                                if pk not in existing])
    return [d.name for d in wanted.values()]


class EditForm(DraftForm):
    pass


def edit_effect(ctx: Context) -> None:
    names = apply_draft(ctx.case, ctx.data)
    ctx.payload.update(title=ctx.case.title, cosigners=names)


def submit_guard(ctx: Context) -> None:
    if ctx.case.kind == "motion":
        detail = getattr(ctx.case, "motion_detail", None)
        if detail is None or not (detail.cause and detail.basis and detail.plan):
            raise InvalidInput("议案应当有案由、案据和方案（代表法第十五条）")


def submit_effect(ctx: Context) -> str:
    case = ctx.case
    case.submitted_at = ctx.now
    # Invitations re-sent on resubmission after a return; confirmed co-signers stay confirmed.
    invited = []
    for c in case.cosigns.select_related("deputy").exclude(state=CosignState.CONFIRMED):
        c.state, c.responded_at = CosignState.INVITED, None
        c.save(update_fields=["state", "responded_at"])
        invited.append(c.deputy.name)
        if c.deputy.user_id:
            ctx.notify.append((c.deputy.user_id, f"{case.lead_deputy or case.submitter}"
                                                 f"邀请您附议：{case.title}"))
    if case.session_id is None and not deadlines.open_clocks(case, [DeadlineKind.INTERIM_ASSIGN]
                                                              ).exists():
        deadlines.start_clock(case, DeadlineKind.INTERIM_ASSIGN, ctx.today, ctx.rules,
                              ctx.calendar)
    ctx.payload.update(invited=invited)
    return S.SUBMITTED


def _respond(ctx: Context, state: str) -> None:
    deputy = ctx.actor.deputy
    c = ctx.case.cosigns.get(deputy=deputy, state=CosignState.INVITED)
    c.state, c.responded_at = state, ctx.now
    c.save(update_fields=["state", "responded_at"])
    ctx.payload["deputy"] = deputy.name
    notify_deputy(ctx, f"{deputy.name}{'已附议' if state == CosignState.CONFIRMED else '谢绝附议'}："
                       f"{ctx.case.title}")


def confirm_cosign_effect(ctx: Context) -> None:
    _respond(ctx, CosignState.CONFIRMED)


def decline_cosign_effect(ctx: Context) -> None:
    _respond(ctx, CosignState.DECLINED)


def withdraw_effect(ctx: Context) -> str:
    deadlines.cancel_clocks(ctx.case)
    ctx.payload["reason"] = ctx.data["reason"]
    return S.WITHDRAWN


def return_effect(ctx: Context) -> str:
    deadlines.cancel_clocks(ctx.case, [DeadlineKind.INTERIM_ASSIGN])
    ctx.payload["reason"] = ctx.data["reason"]
    notify_deputy(ctx, f"您的“{ctx.case.title}”被退回修改：{ctx.data['reason']}")
    return S.RETURNED


def register_guard(ctx: Context) -> None:
    if ctx.case.kind != "motion":
        return
    confirmed = ctx.case.cosigns.filter(state=CosignState.CONFIRMED).count()
    needed = ctx.rules.motion_min_cosigners - 1  # the lead deputy counts
    if confirmed < needed:
        raise InvalidInput(f"议案须由代表{ctx.rules.motion_min_cosigners}人以上联名（地方组织法"
                           f"第二十二条），目前领衔代表外已附议{confirmed}人；可转为建议办理")


def register_effect(ctx: Context) -> str:
    case = ctx.case
    case.category = ctx.data["category"]
    case.number = next_number(case)
    case.registered_at = ctx.now
    expired = case.cosigns.filter(state=CosignState.INVITED)
    ctx.payload.update(number=case.number, category=case.category,
                       unconfirmed=list(expired.values_list("deputy__name", flat=True)))
    expired.update(state=CosignState.EXPIRED)
    notify_deputy(ctx, f"您的“{case.title}”已立案，案号{case.number}")
    return S.REGISTERED


def merge_effect(ctx: Context) -> str:
    target: Case = ctx.data["target"]
    ctx.case.merged_into = target
    deadlines.cancel_clocks(ctx.case)
    ctx.payload.update(target_id=target.pk, target_number=target.number,
                       reason=ctx.data.get("reason", ""))
    notify_deputy(ctx, f"您的“{ctx.case.title}”内容与{target.number}相同或相近，已并案办理"
                       "（重庆条例第十三条），答复将一并送达")
    return S.MERGED


def refer_effect(ctx: Context) -> str:
    detail = ctx.case.motion_detail
    detail.committee = ctx.data["committee"]
    detail.save(update_fields=["committee"])
    ctx.payload["committee"] = detail.committee.name
    return S.REFERRED


def committee_report_effect(ctx: Context) -> str:
    detail = ctx.case.motion_detail
    detail.committee_result = ctx.data["result"]
    detail.save(update_fields=["committee_result"])
    ctx.case.closed_at = ctx.now
    ctx.payload["result"] = detail.committee_result[:200]
    notify_deputy(ctx, f"议案“{ctx.case.title}”审议结果已报告")
    return S.CLOSED


def convert_effect(ctx: Context) -> str:
    """The motion becomes a suggestion: a new registered case keeps its text and co-signers."""
    motion = ctx.case
    detail = motion.motion_detail
    body = f"{motion.body}\n\n【案由】{detail.cause}\n【案据】{detail.basis}\n【方案】{detail.plan}"
    new = Case.objects.create(
        congress_id=motion.congress_id, kind="suggestion", state=S.REGISTERED,
        session_id=motion.session_id, title=motion.title, body=body, category=motion.category,
        submitter_id=motion.submitter_id, lead_deputy_id=motion.lead_deputy_id,
        submitted_at=motion.submitted_at, registered_at=ctx.now, created_at=ctx.now)
    new.number = next_number(new)
    new.save(update_fields=["number"])
    SuggestionDetail.objects.create(case=new)
    Cosign.objects.bulk_create([Cosign(case=new, deputy_id=c.deputy_id, state=c.state,
                                       responded_at=c.responded_at) for c in motion.cosigns.all()])
    from lvzhi.cases.events import append_event

    append_event(new, ctx.actor, "converted_from", "由议案转为建议", from_state="",
                 to_state=S.REGISTERED, payload={"motion_id": motion.pk,
                                                 "motion_number": motion.number}, at=ctx.now)
    motion.converted_to = new
    deadlines.cancel_clocks(motion)
    ctx.payload.update(suggestion_id=new.pk, suggestion_number=new.number,
                       reason=ctx.data["reason"])
    notify_deputy(ctx, f"议案“{motion.title}”已转为建议办理，案号{new.number}")
    return S.CONVERTED


# ---------------------------------------------------------------------------- tables

INTAKE = [
    transition("edit", "修改", [S.DRAFT, S.RETURNED], None, ["lead_deputy"], form=EditForm,
               effect=edit_effect, style="outline-primary"),
    transition("submit", "提交", [S.DRAFT, S.RETURNED], S.SUBMITTED, ["lead_deputy"],
               guard=submit_guard, effect=submit_effect),
    transition("confirm_cosign", "同意附议", [S.SUBMITTED], None, ["cosigner"],
               effect=confirm_cosign_effect, style="success"),
    transition("decline_cosign", "谢绝附议", [S.SUBMITTED], None, ["cosigner"],
               effect=decline_cosign_effect, style="outline-secondary"),
    transition("withdraw", "撤回", [S.DRAFT, S.SUBMITTED, S.RETURNED, S.REGISTERED],
               S.WITHDRAWN, ["lead_deputy"], form=ReasonForm, effect=withdraw_effect,
               style="outline-danger"),
    transition("return_for_revision", "退回修改", [S.SUBMITTED], S.RETURNED, ["clerk"],
               form=ReasonForm, effect=return_effect, style="outline-warning"),
    transition("register", "立案", [S.SUBMITTED], S.REGISTERED, ["clerk"], form=RegisterForm,
               guard=register_guard, effect=register_effect, style="success"),
    transition("merge", "并案", [S.SUBMITTED, S.REGISTERED], S.MERGED, ["clerk"],
               form=MergeForm, effect=merge_effect, style="outline-secondary"),
]

SUGGESTION_WORKFLOW = Workflow(INTAKE + HANDLING_TRANSITIONS)

MOTION_WORKFLOW = Workflow(INTAKE[:-1] + [
    transition("refer_to_committee", "交专门委员会审议", [S.REGISTERED], S.REFERRED, ["clerk"],
               form=ReferForm, effect=refer_effect),
    transition("committee_report", "报告审议结果", [S.REFERRED], S.CLOSED,
               ["committee_staff"], form=CommitteeReportForm, effect=committee_report_effect),
    transition("convert", "转为建议", [S.SUBMITTED, S.REGISTERED, S.REFERRED], S.CONVERTED,
               ["clerk"], form=ReasonForm, effect=convert_effect, style="outline-warning"),
    *[replace(t, sources=frozenset([S.CLOSED])) for t in HANDLING_TRANSITIONS
      if t.name in ("publish", "unpublish")],
])


def register() -> None:
    register_kind(CaseKind("suggestion", "建议", SUGGESTION_WORKFLOW, SuggestionDetail,
                           format_suggestion_number))
    register_kind(CaseKind("motion", "议案", MOTION_WORKFLOW, MotionDetail, format_motion_number))

