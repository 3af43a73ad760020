"""The suggestion and motion workflows: their own intake, then the shared handling table.

Suggestion: draft → submitted (co-signers confirm) → registered | returned | merged | withdrawn
→ handling (lvzhi.cases.handling) → replied → closed, or handling again when unsatisfied.
Motion: the same intake with 案由/案据/方案 and a co-signer minimum, then referred to a
committee (→ its report closes it) or converted into a suggestion.
"""

from __future__ import annotations

from django import forms

from lvzhi.cases import deadlines
from lvzhi.cases.handling import DeadlineKind, HandlingSpec, handling_transitions, notify_raiser, publication
from lvzhi.cases.kinds import CaseKind, NavEntry, Relations, register_kind
from lvzhi.cases.models import Case, Cosign, CosignState
from lvzhi.cases.numbers import next_number
from lvzhi.cases.workflow import Context, InvalidInput, TransitionForm, Workflow, transition
from lvzhi.core.models import Role, Session
from lvzhi.suggestions import permissions
from lvzhi.suggestions.forms import (
    CommitteeReportForm,
    DraftForm,
    MergeForm,
    ReasonForm,
    ReferForm,
    RegisterForm,
)
from lvzhi.suggestions.models import MotionDetail, SuggestionDetail
from lvzhi.suggestions.states import MOTION_STATES, SUGGESTION_STATES
from lvzhi.suggestions.states import SuggestionState as S


def format_suggestion_number(case: Case, seq: int) -> str:
    if case.session_id:
        return f"{case.session}第{seq:04d}号"
    return f"闭会期间{(case.submitted_at or case.created_at).year}年第{seq:04d}号"


def format_motion_number(case: Case, seq: int) -> str:
    if case.session_id:
        return f"{case.session}议案第{seq:03d}号"
    return f"闭会期间{(case.submitted_at or case.created_at).year}年议案第{seq:03d}号"


# ---------------------------------------------------------------------------- effects

def current_session(congress_id: int, day) -> Session | None:
    """The session sitting on `day`; suggestions made outside one are interim (闭会期间)."""
    return Session.objects.filter(term__congress_id=congress_id, opens_on__lte=day,
                                  closes_on__gte=day).first()


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


def open_effect(ctx: Context) -> str:
    """A deputy starts a motion or suggestion; it stays a draft until submitted."""
    deputy = ctx.actor.deputy
    ctx.case.submitter, ctx.case.lead_deputy = ctx.actor, deputy
    if ctx.case.session_id is None:  # raised while a session sits: it belongs to that session
        ctx.case.session = current_session(ctx.case.congress_id, ctx.today)
    names = apply_draft(ctx.case, ctx.data)
    ctx.payload.update(title=ctx.case.title, cosigners=names)
    return S.DRAFT


class ImportForm(DraftForm):
    """A row of the secretariat's sheet (checked row by row by lvzhi.suggestions.importing);
    the case's own fields (session, lead deputy, source_ref) are preset by the importer."""

    file = forms.CharField(required=False)
    file_sm3 = forms.CharField(required=False)
    line = forms.IntegerField(required=False)


def import_effect(ctx: Context) -> str:
    case, d = ctx.case, ctx.data
    names = apply_draft(case, d)
    case.cosigns.update(state=CosignState.CONFIRMED, responded_at=ctx.now)
    ctx.payload.update(source_ref=case.source_ref, title=case.title,
                       lead_deputy=case.lead_deputy.name if case.lead_deputy_id else "",
                       cosigners=names, file=d.get("file", ""), file_sm3=d.get("file_sm3", ""),
                       row=d.get("line"), session_id=case.session_id)
    return S.SUBMITTED


def edit_effect(ctx: Context) -> None:
    names = apply_draft(ctx.case, ctx.data)
    ctx.payload.update(title=ctx.case.title, cosigners=names)


def submit_guard(ctx: Context) -> None:
    if ctx.case.kind == "motion":
        detail = getattr(ctx.case, "motion_detail", None)
        if detail is None or not (detail.cause and detail.basis and detail.plan):
            raise InvalidInput("议案应当有案由、案据和方案（代表法第十五条）")
        # Every invited co-signer could still confirm before registration (register_guard
        # counts the confirmed ones); fewer invited than the rule can never become a motion.
        signers = 1 + ctx.case.cosigns.count()
        needed = ctx.rules.motion_min_cosigners
        if signers < needed:
            raise InvalidInput(f"议案需{needed}名以上代表联名（地方组织法第二十二条），当前含领衔代表共"
                               f"{signers}名：请再邀请{needed - signers}名以上代表附议，或改为提出建议",
                               {"cosigners": [f"议案需{needed}名以上代表联名，当前含领衔代表共{signers}名"]})


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
    notify_raiser(ctx, f"{deputy.name}{'已附议' if state == CosignState.CONFIRMED else '谢绝附议'}："
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
    notify_raiser(ctx, f"您的“{ctx.case.title}”被退回修改：{ctx.data['reason']}")
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
    notify_raiser(ctx, f"您的“{case.title}”已立案，案号{case.number}")
    return S.REGISTERED


def merge_effect(ctx: Context) -> str:
    target: Case = ctx.data["target"]
    ctx.case.merged_into = target
    deadlines.cancel_clocks(ctx.case)
    ctx.payload.update(target_id=target.pk, target_number=target.number,
                       reason=ctx.data.get("reason", ""))
    notify_raiser(ctx, f"您的“{ctx.case.title}”内容与{target.number}相同或相近，已并案办理"
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
    notify_raiser(ctx, f"议案“{ctx.case.title}”审议结果已报告")
    return S.CLOSED


def convert_effect(ctx: Context) -> str:
    """The motion becomes a suggestion: a new registered case keeps its text and co-signers."""
    from lvzhi.cases.engine import open_case

    motion = ctx.case
    new = open_case("suggestion", "open_converted", ctx.actor, {"motion": motion.pk},
                    congress_id=motion.congress_id, now=ctx.now).case
    motion.converted_to = new
    deadlines.cancel_clocks(motion)
    ctx.payload.update(suggestion_id=new.pk, suggestion_number=new.number,
                       reason=ctx.data["reason"])
    notify_raiser(ctx, f"议案“{motion.title}”已转为建议办理，案号{new.number}")
    return S.CONVERTED


class ConvertedForm(TransitionForm):
    def clean(self):
        data = super().clean()
        data["motion"] = Case.objects.select_related("motion_detail").filter(
            pk=self.data.get("motion"), kind="motion").first()
        if data["motion"] is None:
            raise InvalidInput("找不到要转为建议的议案")
        return data


MOTION_SUFFIX, SUGGESTION_SUFFIX = "的议案", "的建议"


def converted_title(motion_title: str) -> str:
    """"关于…的议案" becomes "关于…的建议"; any other title is kept as the deputy wrote it."""
    if motion_title.endswith(MOTION_SUFFIX):
        return motion_title[: -len(MOTION_SUFFIX)] + SUGGESTION_SUFFIX
    return motion_title


def open_converted_effect(ctx: Context) -> str:
    motion, new = ctx.data["motion"], ctx.case
    detail = motion.motion_detail
    new.session_id, new.category = motion.session_id, motion.category
    new.title = converted_title(motion.title)  # the motion keeps its own title
    new.body = f"{motion.body}\n\n【案由】{detail.cause}\n【案据】{detail.basis}\n【方案】{detail.plan}"
    new.submitter_id, new.lead_deputy_id = motion.submitter_id, motion.lead_deputy_id
    new.submitted_at, new.registered_at = motion.submitted_at, ctx.now
    new.save()
    new.number = next_number(new)
    SuggestionDetail.objects.create(case=new)
    Cosign.objects.bulk_create([Cosign(case=new, deputy_id=c.deputy_id, state=c.state,
                                       responded_at=c.responded_at) for c in motion.cosigns.all()])
    ctx.payload.update(motion_id=motion.pk, motion_number=motion.number)
    return S.REGISTERED


# ---------------------------------------------------------------------------- tables

OPENING = [
    transition("open", "起草", [""], S.DRAFT, ["deputy"], form=DraftForm, effect=open_effect),
    transition("open_imported", "秘书处导入", [""], S.SUBMITTED, ["office"], form=ImportForm,
               effect=import_effect),
]

INTAKE = [
    transition("edit", "修改", [S.DRAFT, S.RETURNED], None, ["lead_deputy"], form=EditForm,
               effect=edit_effect, style="outline-primary", page="case_edit",
               page_template="suggestions/case_form.html"),
    transition("submit", "提交", [S.DRAFT, S.RETURNED], S.SUBMITTED, ["lead_deputy"],
               guard=submit_guard, effect=submit_effect),
    transition("confirm_cosign", "同意附议", [S.SUBMITTED], None, ["cosigner"],
               effect=confirm_cosign_effect, style="success"),
    transition("decline_cosign", "谢绝附议", [S.SUBMITTED], None, ["cosigner"],
               effect=decline_cosign_effect, style="outline-secondary"),
    transition("withdraw", "撤回", [S.DRAFT, S.SUBMITTED, S.RETURNED, S.REGISTERED],
               S.WITHDRAWN, ["lead_deputy"], form=ReasonForm, effect=withdraw_effect,
               style="outline-danger"),
    transition("return_for_revision", "退回修改", [S.SUBMITTED], S.RETURNED, ["office"],
               form=ReasonForm, effect=return_effect, style="outline-warning"),
    transition("register", "立案", [S.SUBMITTED], S.REGISTERED, ["office"], form=RegisterForm,
               guard=register_guard, effect=register_effect, style="success"),
    transition("merge", "并案", [S.SUBMITTED, S.REGISTERED], S.MERGED, ["office"],
               form=MergeForm, effect=merge_effect, style="outline-secondary"),
]

# A deputy judges the answer within 15 working days; silence counts as accepted.
SUGGESTION_HANDLING = HandlingSpec(evaluator="lead_deputy", evaluation_clock=DeadlineKind.EVALUATION,
                                   evaluated_label="已答复，请评价")

SUGGESTION_WORKFLOW = Workflow(OPENING + INTAKE + [
    transition("open_converted", "由议案转为建议", [""], S.REGISTERED, ["office"], form=ConvertedForm,
               effect=open_converted_effect),
    *handling_transitions(SUGGESTION_HANDLING, supervision_key_label="确定为重点建议"),
])

MOTION_WORKFLOW = Workflow(OPENING + INTAKE[:-1] + [
    transition("refer_to_committee", "交专门委员会审议", [S.REGISTERED], S.REFERRED, ["office"],
               form=ReferForm, effect=refer_effect),
    transition("committee_report", "报告审议结果", [S.REFERRED], S.CLOSED,
               ["committee_staff"], form=CommitteeReportForm, effect=committee_report_effect),
    transition("convert", "转为建议", [S.SUBMITTED, S.REGISTERED, S.REFERRED], S.CONVERTED,
               ["office"], form=ReasonForm, effect=convert_effect, style="outline-warning"),
    *publication.transitions(None, sources=[S.CLOSED]),
])

RELATIONS = Relations(raised_by="deputy", office=permissions.OFFICE, raiser="lead_deputy",
                      evaluator="lead_deputy", own=permissions.RELATIONS)
K = DeadlineKind
CLOCKS = (K.INTERIM_ASSIGN, K.REASSIGN_WINDOW, K.CO_OPINION, K.REPLY, K.REHANDLE, K.EVALUATION,
          K.COMMITMENT)


def _suggestion_api(case: Case) -> dict:
    d = case.detail
    return {"confidential": bool(d and d.confidential)}


def _motion_api(case: Case) -> dict:
    d = case.detail
    if d is None:
        return {}
    return {"cause": d.cause, "basis": d.basis, "plan": d.plan,
            "committee": d.committee.name if d.committee_id else None,
            "committee_result": d.committee_result}


_office = permissions.is_office
NAV = (NavEntry(Role.DEPUTY, "my_cases", "我的议案建议"), NavEntry(Role.DEPUTY, "case_new", "提出建议"),
       NavEntry(Role.CLERK, "intake", "待审查", _office),
       NavEntry(Role.CLERK, "cases:batch_assign", "批量交办", _office),
       NavEntry(Role.CLERK, "key_cases", "重点督办", _office),
       NavEntry(Role.CLERK, "import_cases", "导入", _office),
       NavEntry(Role.CLERK, "assist_hot_topics", "热点分析", _office),
       NavEntry(Role.CLERK, "assist_models", "智能模型", _office),
       NavEntry(Role.LEADER, "key_cases", "重点督办"),
       NavEntry(Role.COMMITTEE_STAFF, "key_cases", "重点督办"))


def links(user, case: Case) -> list[tuple[str, str, str]]:
    from django.urls import reverse

    if permissions.may_download_notice(user, case):
        return [("交办通知", reverse("case_notice_docx", args=[case.pk]), "bi-file-earmark-word")]
    return []


def register() -> None:
    from lvzhi.suggestions import figures, todos

    common = dict(relations=RELATIONS, clocks=CLOCKS, visibility=permissions.visibility,
                  public_states=(S.REPLIED, S.CLOSED), todos=todos.TODOS)
    register_kind(CaseKind(
        "suggestion", "建议", SUGGESTION_WORKFLOW, SUGGESTION_STATES, detail_model=SuggestionDetail,
        detail_name="suggestion_detail", format_number=format_suggestion_number, open_form=DraftForm,
        detail_template="suggestions/_suggestion_panel.html",
        side_template="suggestions/_deputies_card.html", api_detail=_suggestion_api,
        handling=SUGGESTION_HANDLING, figures=figures.SUGGESTION_FIGURES, nav=NAV, links=links,
        words={"answer": "答复", "raiser": "代表", "no_session": "闭会期间",
               "round_label_handling": "重新办理中（第{round}轮）"}, **common))
    register_kind(CaseKind(
        "motion", "议案", MOTION_WORKFLOW, MOTION_STATES, detail_model=MotionDetail,
        detail_name="motion_detail", format_number=format_motion_number, open_form=DraftForm,
        detail_template="suggestions/_motion_panel.html",
        side_template="suggestions/_deputies_card.html", api_detail=_motion_api, links=links,
        figures=figures.MOTION_FIGURES,
        words={"raiser": "代表", "no_session": "闭会期间", "badge": "议案"}, **common))
