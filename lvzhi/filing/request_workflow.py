"""The review request workflow (kind `review_request`, 审查建议 / 依申请审查; 北京 第十六、
二十四至二十六、三十四条). See request_states.py for the diagram, docs/filing-requests.md for the guide.

Clocks: INTAKE (5 working days) from receipt and from the proposer's completion, met by 登记,
告知补充 or 不予登记; DECLINE_NOTICE (10 days) from the decision not to start, met by 告知.
What the proposer is told is kept on each event (payload["to_proposer"]): the receipt-code page
shows them in order, since a proposer has no account to notify.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from lvzhi.cases import deadlines, numbers
from lvzhi.cases.handling import notify_office
from lvzhi.cases.kinds import CaseKind, Relations, register_kind
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import SYSTEM
from lvzhi.cases.workflow import Context, InvalidInput, Workflow, WrongState, transition
from lvzhi.core import receipts
from lvzhi.filing import request_clocks as clocks
from lvzhi.filing import request_forms as forms
from lvzhi.filing import states as filing_states
from lvzhi.filing.request_models import DeclineGround, ProposerKind, ReviewRequestDetail
from lvzhi.filing.request_permissions import KIND, OFFICE, visibility
from lvzhi.filing.request_states import (
    ANSWERED,
    COMPLETING,
    DECLINED,
    NOT_REGISTERED,
    NOT_STARTED,
    RECEIVED,
    REGISTERED,
    REVIEWING,
    STATES,
)

# A receipt code: 10 characters without the look-alikes 0/O, 1/I/L.
RECEIPT_LENGTH = 10


def format_number(case: Case, seq: int) -> str:
    listed = getattr(case, "registered_at", None) or case.submitted_at or case.created_at
    return f"审建{listed.year}第{seq:03d}号"


def detail_of(ctx: Context) -> ReviewRequestDetail:
    return ctx.case.review_request_detail


def tell(ctx: Context, text: str) -> None:
    ctx.payload["to_proposer"] = text


def doc_label(detail: ReviewRequestDetail) -> str:
    if detail.filing_id:
        d = detail.filing.filing_detail
        return f"{d.doc_number}《{detail.filing.title}》"
    return f"《{detail.document_title}》"


def open_effect(ctx: Context) -> str:
    d, case = ctx.data, ctx.case
    filing = d.get("filing")
    title = filing.title if filing else d["document_title"].strip()
    case.title = f"关于《{title}》的审查建议"[:200]
    case.body = d["reasons"]
    case.submitted_at = ctx.now
    case.category = ProposerKind(d["proposer_kind"]).label
    case.save()
    detail = ReviewRequestDetail(
        case=case, filing=filing, document_title=title[:200], proposer_kind=d["proposer_kind"],
        proposer_name=d["proposer_name"].strip(), provisions=d.get("provisions", ""),
        criteria=",".join(d.get("criteria") or []), reasons=d["reasons"], ip_hash=d.get("ip_hash", ""),
        received_at=ctx.now)
    detail.contact = d["contact"]
    for _ in range(5):  # a fresh code until one is free
        detail.receipt = receipts.new_code(RECEIPT_LENGTH)
        try:
            with transaction.atomic():
                detail.save()
            break
        except IntegrityError:
            if not ReviewRequestDetail.objects.filter(receipt=detail.receipt).exists():
                raise
    else:
        raise RuntimeError("无法生成唯一的查询码")
    due = deadlines.start_clock(case, clocks.INTAKE, ctx.today, ctx.rules, ctx.calendar).due_on
    ctx.payload.update(document=doc_label(detail), proposer_kind=ProposerKind(d["proposer_kind"]).label,
                       summary=f"收到审查建议：{doc_label(detail)}", due_on=due.isoformat())
    tell(ctx, f"您的审查建议已收到，我们将于{due:%Y年%m月%d日}前登记或告知补充完整。")
    notify_office(ctx, f"收到审查建议：{doc_label(detail)}，请于{due:%Y年%m月%d日}前登记或告知补充")
    return RECEIVED


def ask_completion_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    detail.completion_request = ctx.data["request"]
    detail.save(update_fields=["completion_request"])
    deadlines.meet_clocks(ctx.case, [clocks.INTAKE], ctx.now)
    ctx.payload.update(request=ctx.data["request"], summary=f"告知补充完整：{ctx.data['request'][:150]}")
    tell(ctx, f"您的审查建议内容不完整，请凭查询码补充：{ctx.data['request']}")
    return COMPLETING


def complete_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    text = ctx.data["text"].strip()
    detail.completion_text = "\n".join(t for t in (detail.completion_text, text) if t)
    fields = ["completion_text"]
    if ctx.data.get("provisions"):
        detail.provisions = ctx.data["provisions"]
        fields.append("provisions")
    detail.save(update_fields=fields)
    due = deadlines.start_clock(ctx.case, clocks.INTAKE, ctx.today, ctx.rules, ctx.calendar).due_on
    ctx.payload.update(text=text, summary=f"提起人补充：{text[:150]}", due_on=due.isoformat())
    tell(ctx, f"补充的内容已收到，我们将于{due:%Y年%m月%d日}前登记或告知处理情况。")
    notify_office(ctx, f"审查建议提起人已补充完整：{doc_label(detail)}")
    return RECEIVED


def register_guard(ctx: Context) -> None:
    detail = detail_of(ctx)
    if not (ctx.data.get("filing") or detail.filing_id):
        raise InvalidInput("请选择该审查建议所针对的备案文件；不属于规范性文件的，应当不予登记并告知理由",
                           {"filing": ["请选择对应的备案文件"]})


def register_effect(ctx: Context) -> str:
    detail, case = detail_of(ctx), ctx.case
    if ctx.data.get("filing"):
        detail.filing = ctx.data["filing"]
        detail.document_title = detail.filing.title[:200]
        detail.save(update_fields=["filing", "document_title"])
    case.registered_at = ctx.now
    case.number = numbers.next_number(case)
    deadlines.meet_clocks(case, [clocks.INTAKE], ctx.now)
    ctx.payload.update(number=case.number, filing=detail.filing.filing_detail.doc_number,
                       note=ctx.data.get("note", ""), summary=f"登记为 {case.number}：{doc_label(detail)}")
    tell(ctx, f"您的审查建议已登记（{case.number}），我们将组织研究处理。")
    return REGISTERED


def not_register_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    detail.not_registered_reason = ctx.data["reason"]
    detail.told_at = ctx.now
    detail.save(update_fields=["not_registered_reason", "told_at"])
    deadlines.cancel_clocks(ctx.case, list(clocks.CODES))
    ctx.case.closed_at = ctx.now
    ctx.payload.update(reason=ctx.data["reason"], summary=f"不予登记：{ctx.data['reason'][:150]}")
    tell(ctx, f"您建议审查的文件不属于规范性文件，不予登记。理由：{ctx.data['reason']}")
    return NOT_REGISTERED


def decline_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    detail.decline_ground, detail.decline_reason = ctx.data["ground"], ctx.data["reason"]
    detail.save(update_fields=["decline_ground", "decline_reason"])
    due = deadlines.start_clock(ctx.case, clocks.DECLINE_NOTICE, ctx.today, ctx.rules, ctx.calendar).due_on
    label = DeclineGround(ctx.data["ground"]).label
    ctx.payload.update(ground=label, reason=ctx.data["reason"], due_on=due.isoformat(),
                       summary=f"决定不启动审查：{label}")
    return DECLINED


def tell_declined_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    detail.told_at = ctx.now
    detail.save(update_fields=["told_at"])
    deadlines.meet_clocks(ctx.case, [clocks.DECLINE_NOTICE], ctx.now)
    ctx.case.closed_at = ctx.now
    how = dict(forms.TellForm.base_fields["how"].choices)[ctx.data["how"]]
    label = DeclineGround(detail.decline_ground).label
    ctx.payload.update(how=how, note=ctx.data.get("note", ""), summary=f"{how}提起人不启动审查及理由")
    tell(ctx, f"经研究，不启动审查程序：{label}。理由：{detail.decline_reason}")
    return NOT_STARTED


def start_guard(ctx: Context) -> None:
    if not forms.STARTING.get():
        raise WrongState("启动审查须同时受理到备案文件，请在审查建议页面点击“启动审查”")


def start_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    ctx.payload.update(filing=detail.filing.filing_detail.doc_number, note=ctx.data.get("note", ""),
                       summary=f"启动审查：{doc_label(detail)}")
    tell(ctx, f"您的审查建议已启动审查程序：{doc_label(detail)}。审查结束后将反馈结果。")
    return REVIEWING


def feed_back_guard(ctx: Context) -> None:
    filing = detail_of(ctx).filing
    if filing is None or filing.state not in filing_states.RESULT_KNOWN:
        raise WrongState("备案文件的审查尚无结果，暂不能反馈；审查中止、终止、决定纠正或者撤销后再反馈")


def feed_back_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    filing = detail.filing
    detail.result_text, detail.answered_at = ctx.data["text"], ctx.now
    detail.result_public = bool(ctx.data.get("publish"))
    detail.save(update_fields=["result_text", "answered_at", "result_public"])
    ctx.case.closed_at = ctx.now
    if detail.result_public:
        ctx.case.is_public = True
    ctx.payload.update(text=ctx.data["text"], filing_state=filing.state_label, public=detail.result_public,
                       summary=f"反馈审查结果（{filing.state_label}）：{ctx.data['text'][:150]}")
    tell(ctx, f"审查结果：{ctx.data['text']}")
    return ANSWERED


def publish_effect(ctx: Context) -> None:
    detail = detail_of(ctx)
    if detail.result_public:
        raise WrongState("审查结果已经公开")
    detail.result_public = True
    detail.save(update_fields=["result_public"])
    ctx.case.is_public = True
    ctx.payload.update(note=ctx.data.get("note", ""), summary="公开审查结果")


OWN = [
    transition("open", "提出审查建议", [""], RECEIVED, [SYSTEM, "office"], form=forms.RequestForm, effect=open_effect),
    transition("ask_completion", "告知补充完整", [RECEIVED], COMPLETING, ["office"], form=forms.CompletionRequestForm,
               effect=ask_completion_effect, style="outline-warning"),
    transition("complete", "补充完整", [COMPLETING], RECEIVED, [SYSTEM, "office"], form=forms.CompleteForm,
               effect=complete_effect),
    transition("register", "登记", [RECEIVED], REGISTERED, ["office"], form=forms.RegisterForm,
               guard=register_guard, effect=register_effect, style="success"),
    transition("not_register", "不属于规范性文件，不予登记", [RECEIVED, COMPLETING], NOT_REGISTERED, ["office"],
               form=forms.NotRegisterForm, effect=not_register_effect, style="outline-danger"),
    transition("decline", "不启动审查", [REGISTERED], DECLINED, ["office"], form=forms.DeclineForm,
               effect=decline_effect, style="outline-danger"),
    transition("tell_declined", "告知提起人", [DECLINED], NOT_STARTED, ["office"], form=forms.TellForm,
               effect=tell_declined_effect),
    transition("start_review", "启动审查", [REGISTERED], REVIEWING, ["office"], form=forms.StartForm,
               guard=start_guard, effect=start_effect, style="success"),
    transition("feed_back", "反馈审查结果", [REVIEWING], ANSWERED, ["office"], form=forms.FeedBackForm,
               guard=feed_back_guard, effect=feed_back_effect, style="success"),
    transition("publish_result", "公开审查结果", [ANSWERED], None, ["office"], form=forms.PublishForm,
               effect=publish_effect, style="outline-secondary"),
]
WORKFLOW = Workflow(OWN)
RELATIONS = Relations(raised_by=SYSTEM, office=OFFICE)


def api_detail(case: Case) -> dict[str, Any]:
    """What the API shows: never the contact (it is read in full only on the case page, by the 法工委)."""
    d = getattr(case, "review_request_detail", None)
    if d is None:
        return {}
    return {
        "filing": d.filing.filing_detail.doc_number if d.filing_id else None, "document_title": d.document_title,
        "proposer_kind": d.get_proposer_kind_display(), "proposer_name": d.proposer_name,
        "contact": d.contact_masked, "provisions": d.provisions, "criteria": d.criterion_list,
        "reasons": d.reasons, "received_at": d.received_at.isoformat(),
        "decline_ground": d.get_decline_ground_display() or None, "not_registered_reason": d.not_registered_reason,
        "result": d.result_text, "result_public": d.result_public,
    }


def register() -> None:
    from lvzhi.filing import request_figures, request_nav

    register_kind(CaseKind(
        KIND, "审查建议", WORKFLOW, STATES, RELATIONS, detail_model=ReviewRequestDetail,
        detail_name="review_request_detail", clocks=clocks.CODES, visibility=visibility,
        format_number=format_number, open_form=forms.RequestForm, detail_template="filing/request_panel.html",
        api_detail=api_detail, figures=request_figures.FIGURES, nav=request_nav.NAV,
        words={"answer": "审查结果", "raiser": "提起人", "badge": "审查建议"}, todos=request_nav.TODOS))
