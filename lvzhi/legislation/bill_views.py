"""The bill pages: the list (state, next step, the dates that run), opening a bill, and the bill with
its readings, drafts, vote, approval and publication and the step the user may take. Thin: parse,
call lvzhi.legislation.bills, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from lvzhi.cases.workflow import TransitionError
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.legislation import bill_forms as f
from lvzhi.legislation import bills
from lvzhi.legislation.choices import BillState
from lvzhi.legislation.models import Bill, Draft, Reading
from lvzhi.legislation.plan_models import PlanItem
from lvzhi.legislation.plan_permissions import may_manage_bills, may_report, may_see

STAFF = (Role.LEADER, Role.CLERK, Role.COMMITTEE_STAFF)
S = BillState
OPEN = (S.DRAFTING, S.IN_READING, S.VOTED, S.SUBMITTED, S.APPROVED, S.PUBLISHED)


def _guard(request: HttpRequest) -> None:
    if not may_see(request.user):
        raise PermissionDenied("您无权查看立法工作页面")


@role_required(*STAFF)
def bill_list(request: HttpRequest) -> HttpResponse:
    _guard(request)
    today = timezone.localdate()
    show_all = request.GET.get("all") == "1"
    qs = (Bill.objects.filter(congress_id=request.user.congress_id).select_related("regulation", "lead_committee")
          .prefetch_related(Prefetch("readings", queryset=Reading.objects.order_by("ordinal"))))
    if not show_all:
        qs = qs.filter(state__in=OPEN)
    rows = []
    for b in qs.order_by("-created_at"):
        readings = list(b.readings.all())
        upcoming = next((r for r in readings if r.meeting_on >= today), None)
        rows.append({"bill": b, "state": bills.shown_state(b, today), "next": bills.next_step(b, today),
                     "readings": readings, "upcoming": upcoming,
                     "materials_late": any(bills.materials_late(r, today) for r in readings),
                     "approval_overdue": bills.approval_overdue(b, today)})
    return render(request, "legislation/bill_list.html", {
        "rows": rows, "show_all": show_all, "may_manage": may_manage_bills(request.user), "today": today})


@role_required(Role.CLERK)
def bill_new(request: HttpRequest) -> HttpResponse:
    if not may_manage_bills(request.user):
        raise PermissionDenied("只有法制工作委员会的工作人员可以立案")
    item = None
    if request.GET.get("item", "").isdigit():
        item = get_object_or_404(PlanItem, pk=int(request.GET["item"]), plan__congress_id=request.user.congress_id)
    initial: dict[str, Any] = {}
    if item is not None:
        initial = {"title": item.title, "action": item.action, "regulation": item.regulation_id,
                   "drafting_body": item.drafting_body, "lead_committee": item.committee_id}
    form = f.BillForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            bill = bills.open_bill(request.user, title=d["title"], action=d["action"], proposer=d["proposer"],
                                   regulation=d["regulation"], field=d.get("field") or "",
                                   drafting_body=d["drafting_body"], lead_committee=d["lead_committee"], item=item)
        except TransitionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已立案。请组建起草专班，并安排一审。")
            return redirect(bill)
    return render(request, "legislation/bill_form.html", {"form": form, "item": item})


def _call(action: str, bill: Bill, user, d: dict[str, Any], reading: Reading | None) -> str:
    """One step of the bill page: the service call and what the page says after it."""
    match action:
        case "team":
            bills.set_team(bill, user, leader_congress=d["leader_congress"],
                           leader_government=d["leader_government"], members=d["members"])
            return "已登记起草专班。"
        case "propose":
            bills.propose(bill, user, d["proposed_on"])
            bill.refresh_from_db()
            return ("已登记提请审议日期。" + ("晚于会议举行二十日前，已标注。" if bills.proposal_late(bill) else ""))
        case "reading":
            r = bills.schedule_reading(bill, user, ordinal=d["ordinal"], meeting=d["meeting"],
                                       meeting_on=d["meeting_on"])
            return f"已安排{r.get_ordinal_display()}，材料应于{r.materials_due_on:%Y-%m-%d}前印发组成人员。"
        case "draft":
            chosen = bill.readings.filter(pk=d["reading"]).first() if d.get("reading") else None
            draft = bills.add_draft(bill, user, label=d["label"], text=d["text"], explanation=d["explanation"],
                                    reading=chosen)
            return f"已添加{draft.label}（{len(draft.parsed().articles)}条）。"
        case "sent":
            assert reading is not None
            r = bills.record_materials_sent(reading, user, d["sent_on"])
            return "已登记印发日期。" + ("晚于会议举行七日前，已标注超期。" if bills.materials_late(r) else "")
        case "report":
            assert reading is not None
            bills.record_report(reading, user, d["text"])
            return "已登记审议结果报告。"
        case "summary":
            assert reading is not None
            bills.record_deliberation(reading, user, d["summary"])
            return "已登记审议意见。"
        case "vote":
            b = bills.record_vote(bill, user, voted_on=d["voted_on"], members_total=d["members_total"],
                                  votes_for=d["votes_for"], votes_against=d["votes_against"],
                                  votes_abstain=d["votes_abstain"], reason=d["reason"])
            return "已登记表决结果：通过。" if b.state == S.VOTED else "已登记表决结果：未获通过。"
        case "submit":
            b = bills.submit_for_approval(bill, user, d["submitted_on"])
            return f"已报请批准，批准期限{b.approval_due_on:%Y-%m-%d}。"
        case "approve":
            bills.record_approval(bill, user, approved_on=d["approved_on"], decision=d["decision"])
            return "已登记批准。"
        case "publish":
            bills.publish(bill, user, **d)
            return "已公布，法规版本已登记。"
        case "withdraw":
            bills.withdraw(bill, user, d["reason"])
            return "已撤回。"
    raise TransitionError("未知的操作")


FORMS = {"team": f.TeamForm, "propose": f.ProposeForm, "reading": f.ReadingForm, "draft": f.DraftForm,
         "sent": f.SentForm, "report": f.ReportForm, "summary": f.SummaryForm, "vote": f.VoteForm,
         "submit": f.SubmitForm, "approve": f.ApprovalForm, "publish": f.PublishForm, "withdraw": f.WithdrawForm}
READING_ACTIONS = ("sent", "report", "summary")


@role_required(*STAFF)
def bill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    bill = get_object_or_404(Bill.objects.select_related("regulation", "lead_committee"), pk=pk)
    if bill.congress_id != request.user.congress_id:
        raise Http404("未找到该法规案")
    user = request.user
    readings = list(bill.readings.order_by("ordinal"))
    bound: dict[str, Any] = {}
    bound_reading: int | None = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in FORMS:
            messages.error(request, "未知的操作")
            return redirect(bill)
        reading = None
        if action in READING_ACTIONS:
            rid = request.POST.get("reading", "")
            reading = next((r for r in readings if str(r.pk) == rid), None)
            if reading is None:
                messages.error(request, "请选择审议")
                return redirect(bill)
            bound_reading = reading.pk
        kwargs = {"readings": readings} if action == "draft" else {}
        form = FORMS[action](request.POST, **kwargs)
        if form.is_valid():
            try:
                done = _call(action, bill, user, form.cleaned_data, reading)
            except TransitionError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, done)
                return redirect(bill)
        else:
            messages.error(request, "填写有误，请按提示修改")
        bound[action] = form
        bill.refresh_from_db()
    return render(request, "legislation/bill_detail.html", _context(bill, user, bound, bound_reading))


def _context(bill: Bill, user, bound: dict[str, Any], bound_reading: int | None) -> dict[str, Any]:
    today = timezone.localdate()
    readings = list(bill.readings.order_by("ordinal").prefetch_related(
        Prefetch("drafts", queryset=Draft.objects.order_by("pk"))))
    drafts = list(bill.drafts.order_by("pk").select_related("reading"))
    manage, state = may_manage_bills(user), bill.state
    reading_rows = []
    for r in readings:
        held = bills.is_held(r, today)
        reading_rows.append({
            "r": r, "held": held, "late": bills.materials_late(r, today),
            "sent_form": bound["sent"] if bound_reading == r.pk and "sent" in bound else f.SentForm(),
            "report_form": bound["report"] if bound_reading == r.pk and "report" in bound else f.ReportForm(),
            "summary_form": bound["summary"] if bound_reading == r.pk and "summary" in bound else f.SummaryForm(),
            "may_send": manage and state == S.IN_READING and r.materials_sent_on is None,
            "may_report": may_report(user) and state == S.IN_READING,
            "may_summarise": manage and state == S.IN_READING and held})
    last = readings[-1] if readings else None
    next_ordinal = (last.ordinal + 1) if last else 1

    def form(name: str, **kw: Any):
        return bound.get(name) or FORMS[name](**kw)

    version = bill.versions.order_by("-pk").first()
    return {
        "bill": bill, "approver": bills.approver(bill.congress_id), "state_label": bills.shown_state(bill, today),
        "next": bills.next_step(bill, today),
        "readings": reading_rows, "drafts": drafts,
        "latest": drafts[-1] if drafts else None, "parsed": drafts[-1].parsed() if drafts else None,
        "version": version, "team": [x for x in bill.drafting_team.splitlines() if x.strip()],
        "proposal_late": bills.proposal_late(bill), "approval_overdue": bills.approval_overdue(bill, today),
        "plan_item": PlanItem.objects.filter(bill=bill).select_related("plan").first(),
        "may_manage": manage,
        "may_team": manage and state in (S.DRAFTING, S.IN_READING),
        "may_reading": manage and state in (S.DRAFTING, S.IN_READING) and next_ordinal <= bills.NORMAL_READINGS
        and (last is None or bills.is_held(last, today)),
        "may_draft": manage and state in (S.DRAFTING, S.IN_READING),
        "may_vote": manage and state == S.IN_READING and last is not None and bills.is_held(last, today),
        "short": last is not None and last.ordinal < bills.NORMAL_READINGS,
        "may_submit": manage and state == S.VOTED,
        "may_approve": manage and state == S.SUBMITTED,
        "may_publish": manage and state == S.APPROVED,
        "may_withdraw": manage and state in (S.DRAFTING, S.IN_READING),
        "forms": {"team": form("team", initial={"leader_congress": bill.team_leader_congress,
                                                "leader_government": bill.team_leader_government,
                                                "members": bill.drafting_team}),
                  "propose": form("propose", initial={"proposed_on": bill.proposed_on}),
                  "reading": form("reading", initial={"ordinal": next_ordinal}),
                  "draft": bound.get("draft") or f.DraftForm(readings=readings,
                                                             initial={"reading": last.pk if last else None}),
                  "vote": form("vote"), "submit": form("submit"), "approve": form("approve"),
                  "publish": form("publish"), "withdraw": form("withdraw")},
    }
