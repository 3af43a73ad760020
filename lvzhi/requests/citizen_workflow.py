"""The citizen's request workflow (kind `citizen_request`, 代表码上见). See citizen_states.py for
the diagram and docs/requests.md for the guide.

Clocks (citizen_clocks.py, lengths on the rule set): ACK from receipt, met by the deputy's
first step (受理, 约见, 转交, 答复, 转为建议 or 不予受理); ANSWER from receipt (and again from a
reopening), met by the answer to the citizen; UNIT_REPLY on the unit's assignment, met by its
reply; RATING, the citizen's window to rate or reopen, whose lapse closes the request unrated.
What the citizen is told is kept on each event (payload["to_citizen"]): the receipt-code page
shows them in order, since a citizen has no account to notify.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from lvzhi.cases import deadlines, numbers
from lvzhi.cases.handling import notify_relation, notify_units
from lvzhi.cases.kinds import CaseKind, Relations, register_kind
from lvzhi.cases.models import Assignment, AssignmentRole, AssignmentState, Case
from lvzhi.cases.permissions import SYSTEM
from lvzhi.cases.workflow import Context, InvalidInput, Workflow, WrongState, transition
from lvzhi.core import receipts
from lvzhi.deputies.models import Deputy, DeputyStatus, LiaisonStation
from lvzhi.requests import citizen_clocks as clocks
from lvzhi.requests import citizen_forms as forms
from lvzhi.requests.citizen_models import CitizenRequestDetail, Handling, Rating
from lvzhi.requests.citizen_permissions import KIND, OFFICE, RELATIONS, visibility
from lvzhi.requests.citizen_states import (
    ACCEPTED,
    ANSWERED,
    CLOSED,
    DECLINED,
    FORWARDED,
    RECEIVED,
    STATES,
    UNIT_REPLIED,
)

RECEIPT_LENGTH = 10
DEPUTY_SIDE = ["deputy", "station"]
STATE_CODES = [s.code for s in STATES]
FIRST_STEP = [clocks.ACK]


def format_number(case: Case, seq: int) -> str:
    listed = case.submitted_at or case.created_at
    return f"码上见{listed.year}第{seq:04d}号"


def detail_of(ctx: Context) -> CitizenRequestDetail:
    return ctx.case.citizen_request_detail


def tell(ctx: Context, text: str) -> None:
    ctx.payload["to_citizen"] = text


def _who(ctx: Context) -> str:
    d = detail_of(ctx)
    return d.addressed_to or "代表"


def open_effect(ctx: Context) -> str:
    d, case = ctx.data, ctx.case
    deputy = station = None
    if d.get("deputy"):
        deputy = Deputy.objects.filter(pk=d["deputy"], congress_id=case.congress_id,
                                       status=DeputyStatus.ACTIVE).first()
        if deputy is None:
            raise InvalidInput("该代表二维码已失效，请扫描联络站的二维码")
    if d.get("station"):
        station = LiaisonStation.objects.filter(pk=d["station"], congress_id=case.congress_id).first()
        if station is None:
            raise InvalidInput("该联络站二维码已失效")
    case.title = forms.title_of(d["text"])
    case.body = d["text"]
    case.submitted_at = ctx.now
    case.category = "群众诉求"
    case.save()
    case.number = numbers.next_number(case)
    detail = CitizenRequestDetail(case=case, deputy=deputy, station=station if deputy is None else None,
                                  name=d.get("name", "").strip(), location=d.get("location", "").strip(),
                                  ip_hash=d.get("ip_hash", ""), received_at=ctx.now)
    detail.contact = d["contact"]
    for _ in range(5):  # a fresh code until one is free
        detail.receipt = receipts.new_code(RECEIPT_LENGTH)
        try:
            with transaction.atomic():
                detail.save()
            break
        except IntegrityError:
            if not CitizenRequestDetail.objects.filter(receipt=detail.receipt).exists():
                raise
    else:
        raise RuntimeError("无法生成唯一的查询码")
    ack = deadlines.start_clock(case, clocks.ACK, ctx.today, ctx.rules, ctx.calendar).due_on
    due = deadlines.start_clock(case, clocks.ANSWER, ctx.today, ctx.rules, ctx.calendar).due_on
    to = detail.addressed_to
    ctx.payload.update(to=to, summary=f"群众通过二维码向{to}反映：{case.title}", due_on=due.isoformat())
    tell(ctx, f"您的诉求已送达{to}，将于{ack:%Y年%m月%d日}前受理，{due:%Y年%m月%d日}前答复您。")
    notify_relation(ctx, "deputy", f"群众诉求（{case.number}）：{case.title}，请于{ack:%m月%d日}前受理")
    notify_relation(ctx, "station", f"群众诉求（{case.number}）：{case.title}")
    return RECEIVED


def accept_effect(ctx: Context) -> str:
    deadlines.meet_clocks(ctx.case, FIRST_STEP, ctx.now)
    note = ctx.data.get("note", "").strip()
    ctx.payload.update(note=note, summary="代表已受理" + (f"：{note[:100]}" if note else ""))
    tell(ctx, f"{_who(ctx)}已受理您的诉求。" + (note if note else "办理情况将在这里告知您。"))
    return ACCEPTED


def meet_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    deadlines.meet_clocks(ctx.case, FIRST_STEP, ctx.now)
    detail.handling = Handling.MET
    detail.save(update_fields=["handling"])
    d = ctx.data
    ctx.payload.update(met_on=d["met_on"].isoformat(), place=d["place"], note=d["note"],
                       summary=f"约见群众（{d['met_on']:%m月%d日}，{d['place']}）：{d['note'][:100]}")
    tell(ctx, f"{_who(ctx)}于{d['met_on']:%Y年%m月%d日}在{d['place']}与您见面沟通。")
    return ACCEPTED


def forward_guard(ctx: Context) -> None:
    if ctx.case.assignments.exclude(state=AssignmentState.WITHDRAWN).filter(
            state=AssignmentState.HANDLING).exists():
        raise WrongState("该诉求已转交单位办理，请等待单位答复")


def forward_effect(ctx: Context) -> str:
    detail, unit = detail_of(ctx), ctx.data["unit"]
    deadlines.meet_clocks(ctx.case, FIRST_STEP, ctx.now)
    a = Assignment.objects.create(case=ctx.case, unit=unit, role=AssignmentRole.LEAD, assigned_on=ctx.today,
                                  assigned_by=ctx.actor)
    due = deadlines.start_clock(ctx.case, clocks.UNIT_REPLY, ctx.today, ctx.rules, ctx.calendar,
                                assignment=a).due_on
    detail.handling, detail.unit = Handling.FORWARDED, unit
    detail.save(update_fields=["handling", "unit"])
    ctx.payload.update(unit=unit.name, note=ctx.data["note"], reply_due=due.isoformat(),
                       summary=f"转交{unit.name}办理：{ctx.data['note'][:100]}")
    tell(ctx, f"{_who(ctx)}已将您的诉求转交{unit.name}办理，单位答复后代表将告知您。")
    notify_units(ctx, [unit.pk], f"代表转交群众诉求（{ctx.case.number}）：{ctx.case.title}，"
                                 f"请于{due:%Y年%m月%d日}前答复代表")
    return FORWARDED


def unit_reply_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    detail.unit_reply, detail.unit_replied_at = ctx.data["text"], ctx.now
    detail.save(update_fields=["unit_reply", "unit_replied_at"])
    a = ctx.case.assignments.filter(state=AssignmentState.HANDLING).order_by("-pk").first()
    if a is not None:
        a.state = AssignmentState.REPLIED
        a.save(update_fields=["state"])
        deadlines.meet_clocks(ctx.case, [clocks.UNIT_REPLY], ctx.now, assignment=a)
    unit = a.unit.name if a else (detail.unit.name if detail.unit_id else "")
    ctx.payload.update(unit=unit, text=ctx.data["text"], summary=f"{unit}答复代表：{ctx.data['text'][:150]}")
    notify_relation(ctx, "deputy", f"{unit}已答复群众诉求（{ctx.case.number}），请答复群众")
    notify_relation(ctx, "station", f"{unit}已答复群众诉求（{ctx.case.number}）")
    return UNIT_REPLIED


def _answered(ctx: Context, text: str, handling: str | None) -> str:
    detail = detail_of(ctx)
    deadlines.meet_clocks(ctx.case, [clocks.ACK, clocks.ANSWER], ctx.now)
    detail.answer, detail.answered_at = text, ctx.now
    fields = ["answer", "answered_at"]
    if handling:
        detail.handling = handling
        fields.append("handling")
    detail.save(update_fields=fields)
    deadlines.start_clock(ctx.case, clocks.RATING, ctx.today, ctx.rules, ctx.calendar)
    tell(ctx, f"{_who(ctx)}答复：{text}")
    return ANSWERED


def answer_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    # Answered after a unit's reply or a meeting, the way it was handled stays that one.
    handling = None if detail.handling in (Handling.FORWARDED, Handling.MET) else Handling.ANSWERED
    ctx.payload.update(text=ctx.data["text"], summary=f"答复群众：{ctx.data['text'][:150]}")
    return _answered(ctx, ctx.data["text"], handling)


def to_suggestion_effect(ctx: Context) -> str:
    from lvzhi.suggestions.services import create_draft

    d = ctx.data
    draft = create_draft(ctx.actor, {"kind": "suggestion", "title": d["title"], "body": d["body"]}, now=ctx.now)
    detail = detail_of(ctx)
    detail.suggestion = draft
    detail.save(update_fields=["suggestion"])
    ctx.payload.update(suggestion=draft.pk, title=d["title"], text=d["text"],
                       summary=f"转为代表建议《{d['title']}》（草稿，待代表提交）")
    return _answered(ctx, d["text"], Handling.SUGGESTION)


def decline_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    detail.handling, detail.decline_reason = Handling.DECLINED, ctx.data["reason"]
    detail.save(update_fields=["handling", "decline_reason"])
    deadlines.cancel_clocks(ctx.case, list(clocks.CODES))
    ctx.case.closed_at = ctx.now
    ctx.payload.update(reason=ctx.data["reason"], summary=f"不予受理：{ctx.data['reason'][:150]}")
    tell(ctx, f"您的诉求不予受理。理由：{ctx.data['reason']}")
    return DECLINED


def rate_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    detail.rating, detail.rating_comment = ctx.data["rating"], ctx.data.get("comment", "").strip()
    detail.rated_at = ctx.now
    detail.save(update_fields=["rating", "rating_comment", "rated_at"])
    deadlines.cancel_clocks(ctx.case, [clocks.RATING])
    ctx.case.closed_at = ctx.now
    label = Rating(detail.rating).label
    comment = f"（{detail.rating_comment[:100]}）" if detail.rating_comment else ""
    ctx.payload.update(rating=label, comment=detail.rating_comment, summary=f"群众评价：{label}{comment}")
    tell(ctx, f"感谢您的评价：{label}。")
    notify_relation(ctx, "deputy", f"群众对诉求（{ctx.case.number}）的评价：{label}")
    return CLOSED


REOPEN_DAYS = 30  # after the close, as long as the rating window after the answer


def reopen_refusal(case: Case, now) -> str:
    """Why the citizen may not reopen this request now ("" when he may): the one rule the
    transition and the lookup page ask."""
    detail = case.citizen_request_detail
    if case.state not in (ANSWERED, CLOSED):
        return "诉求尚未答复，不能申请重新办理"
    if detail.reopened_at is not None:
        return "每件诉求只能申请重新办理一次"
    if detail.handling == Handling.SUGGESTION:
        return "该诉求已转为代表建议，请关注建议的办理结果"
    if case.state == CLOSED and case.closed_at and (now - case.closed_at).days > REOPEN_DAYS:
        return f"诉求办结已超过{REOPEN_DAYS}日，不能申请重新办理；如有新的问题，请重新反映"
    return ""


def reopen_guard(ctx: Context) -> None:
    refusal = reopen_refusal(ctx.case, ctx.now)
    if refusal:
        raise WrongState(refusal)


def reopen_effect(ctx: Context) -> str:
    detail = detail_of(ctx)
    detail.reopened_at, detail.reopen_reason = ctx.now, ctx.data["reason"]
    detail.rating = detail.rating_comment = ""
    detail.rated_at = None
    detail.save(update_fields=["reopened_at", "reopen_reason", "rating", "rating_comment", "rated_at"])
    deadlines.cancel_clocks(ctx.case, [clocks.RATING])
    due = deadlines.start_clock(ctx.case, clocks.ANSWER, ctx.today, ctx.rules, ctx.calendar).due_on
    ctx.case.closed_at = None
    ctx.payload.update(reason=ctx.data["reason"], due_on=due.isoformat(),
                       summary=f"群众申请重新办理：{ctx.data['reason'][:150]}")
    tell(ctx, f"已申请重新办理，{_who(ctx)}将于{due:%Y年%m月%d日}前再次答复您。")
    notify_relation(ctx, "deputy", f"群众对诉求（{ctx.case.number}）不满意，申请重新办理")
    notify_relation(ctx, "station", f"群众申请重新办理诉求（{ctx.case.number}）")
    return ACCEPTED


def show_contact_effect(ctx: Context) -> None:
    # The number is shown masked everywhere; reading it in full is an event of its own.
    ctx.payload.update(summary="查看群众完整联系电话（用于回访）")


def expire_effect(ctx: Context) -> str:
    ctx.case.closed_at = ctx.now
    ctx.payload.update(summary="评价期满，群众未评价，诉求办结")
    return CLOSED


OWN = [
    transition("open", "反映诉求", [""], RECEIVED, [SYSTEM], form=forms.RequestForm, effect=open_effect),
    transition("accept", "受理", [RECEIVED], ACCEPTED, DEPUTY_SIDE, form=forms.NoteForm, effect=accept_effect,
               style="success"),
    transition("meet", "约见群众", [RECEIVED, ACCEPTED, UNIT_REPLIED], ACCEPTED, DEPUTY_SIDE, form=forms.MeetForm,
               effect=meet_effect, style="outline-primary"),
    transition("forward", "转交单位办理", [RECEIVED, ACCEPTED], FORWARDED, DEPUTY_SIDE, form=forms.ForwardForm,
               guard=forward_guard, effect=forward_effect),
    transition("unit_reply", "答复代表", [FORWARDED], UNIT_REPLIED, ["unit_handler", "unit_head"],
               form=forms.UnitReplyForm, effect=unit_reply_effect, style="success"),
    transition("answer", "答复群众", [RECEIVED, ACCEPTED, UNIT_REPLIED], ANSWERED, DEPUTY_SIDE,
               form=forms.AnswerForm, effect=answer_effect, style="success"),
    transition("to_suggestion", "转为代表建议", [RECEIVED, ACCEPTED, UNIT_REPLIED], ANSWERED, ["deputy"],
               form=forms.ToSuggestionForm, effect=to_suggestion_effect, style="outline-primary"),
    transition("decline", "不予受理", [RECEIVED, ACCEPTED], DECLINED, DEPUTY_SIDE, form=forms.DeclineForm,
               effect=decline_effect, style="outline-danger"),
    transition("rate", "评价", [ANSWERED], CLOSED, [SYSTEM], form=forms.RateForm, effect=rate_effect),
    transition("reopen", "申请重新办理", [ANSWERED, CLOSED], ACCEPTED, [SYSTEM], form=forms.ReopenForm,
               guard=reopen_guard, effect=reopen_effect),
    transition("show_contact", "查看完整电话", list(STATE_CODES), None, DEPUTY_SIDE, effect=show_contact_effect,
               style="outline-secondary"),
    transition("expire_rating", "评价期满办结", [ANSWERED], CLOSED, [SYSTEM], form=forms.ExpireForm,
               effect=expire_effect),
]
WORKFLOW = Workflow(OWN)
KIND_RELATIONS = Relations(raised_by="citizen", office=OFFICE, raiser="deputy", own=RELATIONS)


def api_detail(case: Case) -> dict[str, Any]:
    """What the API shows: never the contact in full, never the network hash."""
    d = getattr(case, "citizen_request_detail", None)
    if d is None:
        return {}
    return {
        "to": d.addressed_to, "deputy": d.deputy_id, "station": d.station_id, "name": d.name,
        "contact": d.contact_masked, "location": d.location, "received_at": d.received_at.isoformat(),
        "handling": d.get_handling_display() or None, "unit": d.unit.name if d.unit_id else None,
        "unit_reply": d.unit_reply or None, "answer": d.answer or None,
        "rating": d.get_rating_display() or None, "reopened": d.reopened_at is not None,
        "photos": case.request_photos.count(),
    }


def register() -> None:
    from lvzhi.requests import citizen_demo, citizen_figures, citizen_nav

    register_kind(CaseKind(
        KIND, "群众诉求", WORKFLOW, STATES, KIND_RELATIONS, detail_model=CitizenRequestDetail,
        detail_name="citizen_request_detail", clocks=clocks.CODES, visibility=visibility,
        format_number=format_number, open_form=forms.RequestForm, detail_template="requests/citizen/_panel.html",
        api_detail=api_detail, figures=citizen_figures.FIGURES, nav=citizen_nav.NAV, demo=citizen_demo.build,
        words={"answer": "答复", "raiser": "群众", "badge": "代表码上见"}, todos=citizen_nav.TODOS))
