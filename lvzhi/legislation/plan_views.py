"""The legislative plan's pages: the plan (items by kind, approve, publish, adjust), an item (edit,
link motions, its suggestions, open its bill), the legislative suggestions, and the published
plan on the portal. Thin: parse, call plan_services / suggestions, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from lvzhi.cases.workflow import TransitionError
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Congress, Role
from lvzhi.core.params import id_param, int_param
from lvzhi.legislation import plan_services as svc
from lvzhi.legislation import suggestions as sugg
from lvzhi.legislation.plan_forms import AdjustForm, ApproveForm, DecideForm, ItemForm, SuggestionForm
from lvzhi.legislation.plan_models import (
    LegislativePlan,
    LegislativeSuggestion,
    PlanItem,
    PlanState,
    SuggestionChannel,
    SuggestionOutcome,
)
from lvzhi.legislation.plan_permissions import (
    may_adjust_plan,
    may_approve_plan,
    may_edit_plan,
    may_manage_bills,
    may_publish_plan,
    may_see,
    may_suggest,
)
from lvzhi.portal.selectors import portal_name

STAFF = (Role.LEADER, Role.CLERK, Role.COMMITTEE_STAFF)
PAGE = 50  # suggestions a page
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _guard(request: HttpRequest) -> None:
    if not may_see(request.user):
        raise PermissionDenied("您无权查看立法工作页面")


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    return int_param(request.GET.get("year") or request.POST.get("year"), 2000, today.year + 2) or today.year


def _items(plan: LegislativePlan | None):
    if plan is None:
        return []
    return list(plan.items.select_related("committee", "regulation", "bill")
                .annotate(n_motions=Count("motions", distinct=True), n_suggestions=Count("suggestions", distinct=True))
                .order_by("sort_order", "pk"))


@role_required(*STAFF)
def plan(request: HttpRequest) -> HttpResponse:
    _guard(request)
    user, year = request.user, _year(request)
    the_plan = svc.plan_for(user.congress_id, year)
    items = _items(the_plan)
    live = [i for i in items if not i.dropped]
    return render(request, "legislation/plan_detail.html", {
        "year": year, "plan": the_plan, "groups": svc.by_kind(live), "dropped": [i for i in items if i.dropped],
        "total": len(live), "adjustments": list(the_plan.adjustments.select_related("item", "by"))
        if the_plan else [], "adjust_form": AdjustForm(plan=the_plan) if the_plan and the_plan.is_published else None,
        "approve_form": ApproveForm(), "may_edit": may_edit_plan(user), "may_approve": may_approve_plan(user),
        "may_publish": may_publish_plan(user), "may_adjust": may_adjust_plan(user),
        "suggestion_counts": sugg.counts(user.congress_id, year - 1)})


def _post_plan(request: HttpRequest, pk: int) -> LegislativePlan:
    if request.method != "POST":
        raise Http404()
    _guard(request)
    return get_object_or_404(LegislativePlan, pk=pk, congress_id=request.user.congress_id)


def _back(the_plan: LegislativePlan, anchor: str = "") -> HttpResponse:
    return redirect(reverse("legislation:plan") + f"?year={the_plan.year}{anchor}")


@role_required(*STAFF)
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    the_plan = _post_plan(request, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for v in form.errors.values() for e in v))
        return _back(the_plan)
    try:
        svc.approve_plan(request.user, the_plan, on=form.cleaned_data["on"], note=form.cleaned_data["note"])
    except TransitionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{the_plan.year}年度立法计划已经主任会议通过。")
    return _back(the_plan)


@role_required(*STAFF)
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    the_plan = _post_plan(request, pk)
    try:
        svc.publish_plan(request.user, the_plan)
    except TransitionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{the_plan.year}年度立法计划已向社会公布。")
    return _back(the_plan)


@role_required(*STAFF)
def plan_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    the_plan = _post_plan(request, pk)
    form = AdjustForm(request.POST, plan=the_plan)
    if not form.is_valid():
        messages.error(request, "；".join(e for v in form.errors.values() for e in v))
        return _back(the_plan, "#adjustments")
    d = form.cleaned_data
    try:
        svc.adjust(request.user, d["item"], kind=d["kind"], reason=d["reason"], new_kind=d["new_kind"], on=d["on"])
    except TransitionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已记录计划调整。")
    return _back(the_plan, "#adjustments")


@role_required(Role.CLERK)
def plan_item_new(request: HttpRequest) -> HttpResponse:
    if not may_edit_plan(request.user):
        raise PermissionDenied("立法计划由法制工作委员会编制")
    year = _year(request)
    the_plan = svc.plan_for(request.user.congress_id, year, create=True)
    form = ItemForm(request.POST or None, congress_id=request.user.congress_id, published=the_plan.is_published,
                    initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            item = svc.add_item(request.user, the_plan, form.cleaned_data,
                                reason=form.cleaned_data.get("reason", ""))
        except TransitionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已增加{item.get_kind_display()}“{item.title}”。")
            return redirect(item)
    return render(request, "legislation/plan_item_form.html", {"form": form, "plan": the_plan, "year": year})


@role_required(*STAFF)
def plan_item(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    item = get_object_or_404(PlanItem.objects.select_related("plan", "committee", "regulation", "bill"), pk=pk,
                             plan__congress_id=request.user.congress_id)
    user, editable = request.user, may_edit_plan(request.user) and not item.dropped
    form: ItemForm | None = None
    if request.method == "POST" and editable:
        action = request.POST.get("action")
        try:
            if action == "edit":
                form = ItemForm(request.POST, congress_id=user.congress_id, editing=True)
                if form.is_valid():
                    svc.edit_item(user, item, form.cleaned_data)
                    messages.success(request, "已保存。")
                    return redirect(item)
                messages.error(request, "填写有误，请按提示修改")
            elif action == "motions":
                ids = [id_param(v) for v in request.POST.getlist("motions")]
                svc.link_motions(user, item, [i for i in ids if i is not None])
                messages.success(request, "已更新关联的代表议案。")
                return redirect(item)
            elif action == "remove":
                svc.remove_item(user, item)
                messages.success(request, f"已删除项目“{item.title}”。")
                return redirect(reverse("legislation:plan") + f"?year={item.plan.year}")
            else:
                messages.error(request, "未知的操作")
        except TransitionError as exc:
            messages.error(request, exc.message)
    if form is None:
        form = ItemForm(initial=instance_initial(item), congress_id=user.congress_id, editing=True)
    query = request.GET.get("q", "").strip()[:50]
    linked = list(item.motions.select_related("lead_deputy"))
    linked_ids = {m.pk for m in linked}
    found = [m for m in svc.motions_of(user.congress_id, query)[:30] if m.pk not in linked_ids] if editable else []
    return render(request, "legislation/plan_item.html", {
        "item": item, "plan": item.plan, "year": item.plan.year, "form": form, "editable": editable,
        "linked": linked, "found": found, "q": query,
        "suggestions": list(item.suggestions.order_by("-received_on")),
        "may_open_bill": may_manage_bills(user) and item.bill_id is None and not item.dropped,
        "adjustments": list(item.adjustments.all())})


def instance_initial(item: PlanItem) -> dict[str, Any]:
    return {"title": item.title, "kind": item.kind, "action": item.action, "regulation": item.regulation_id,
            "drafting_body": item.drafting_body, "committee": item.committee_id,
            "planned_readings": item.planned_readings, "note": item.note}


@role_required(*STAFF)
def suggestion_list(request: HttpRequest) -> HttpResponse:
    _guard(request)
    user, year = request.user, _year(request)
    add_form = SuggestionForm(congress_id=user.congress_id, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and may_suggest(user):
        action = request.POST.get("action")
        try:
            if action == "add":
                add_form = SuggestionForm(request.POST, congress_id=user.congress_id)
                if add_form.is_valid():
                    s = sugg.add_suggestion(user, **add_form.cleaned_data)
                    messages.success(request, f"已登记立法建议“{s.title}”。")
                    return redirect(reverse("legislation:suggestions") + f"?year={s.year}")
                messages.error(request, "填写有误，请按提示修改")
            elif action == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    messages.error(request, "请选择要导入的 Excel 文件（.xlsx）")
                else:
                    report = sugg.import_sheet(user, upload)
                    if report.errors:
                        listed = "；".join(report.errors[:20]) + ("……" if len(report.errors) > 20 else "")
                        messages.error(request, f"导入失败，未保存任何一行。请修改后重新上传：{listed}")
                    else:
                        messages.success(request, f"已导入{report.created}条立法建议"
                                         + (f"，{report.skipped}条此前已登记，已跳过" if report.skipped else "") + "。")
                    return redirect(reverse("legislation:suggestions") + f"?year={year}")
            elif action == "decide":
                s = get_object_or_404(LegislativeSuggestion, pk=id_param(request.POST.get("suggestion")) or 0,
                                      congress_id=user.congress_id)
                form = DecideForm(request.POST, congress_id=user.congress_id, year=s.year)
                if form.is_valid():
                    sugg.decide(user, s, **form.cleaned_data)
                    messages.success(request, f"已登记“{s.title}”的处理结果。")
                else:
                    messages.error(request, "；".join(e for v in form.errors.values() for e in v))
                return redirect(reverse("legislation:suggestions") + f"?year={s.year}#s{s.pk}")
        except TransitionError as exc:
            messages.error(request, exc.message)
    qs = (LegislativeSuggestion.objects.filter(congress_id=user.congress_id, year=year)
          .select_related("item", "contact_point"))
    channel = request.GET.get("channel", "")
    outcome = request.GET.get("outcome")
    if channel in SuggestionChannel.values:
        qs = qs.filter(channel=channel)
    if outcome is not None and outcome in SuggestionOutcome.values:
        qs = qs.filter(outcome=outcome)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(proposer__icontains=q) | Q(text__icontains=q))
    order = request.GET.get("sort", "")
    qs = qs.order_by(*{"channel": ["channel", "-received_on"], "outcome": ["outcome", "-received_on"],
                       "old": ["received_on", "pk"]}.get(order, ["-received_on", "-pk"]))
    page = int_param(request.GET.get("page"), 1, 10_000) or 1
    total = qs.count()
    rows = list(qs[(page - 1) * PAGE: page * PAGE])
    return render(request, "legislation/plan_suggestions.html", {
        "year": year, "rows": rows, "total": total, "page": page, "pages": max(1, -(-total // PAGE)),
        "counts": sugg.counts(user.congress_id, year), "channel": channel, "outcome": outcome, "q": q,
        "sort": order, "channels": SuggestionChannel.choices, "outcomes": SuggestionOutcome.choices,
        "add_form": add_form, "may_suggest": may_suggest(user),
        "decide_form": DecideForm(congress_id=user.congress_id, year=year)})


@role_required(Role.CLERK)
def suggestion_template(request: HttpRequest) -> HttpResponse:
    if not may_suggest(request.user):
        raise PermissionDenied("立法建议由法制工作委员会登记")
    response = HttpResponse(sugg.template(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "立法建议导入模板.xlsx")
    return response


def public_plan(request: HttpRequest, year: int) -> HttpResponse:
    """第五十六条 "向社会公布": a published plan, its items and adjustments; no login.
    ?congress= picks the congress, else the first that published this year's plan."""
    plans = LegislativePlan.objects.filter(year=year, state=PlanState.PUBLISHED).select_related("congress")
    wanted = id_param(request.GET.get("congress"))
    if wanted is not None:
        plans = plans.filter(congress_id=wanted)
    the_plan = plans.order_by("congress_id").first()
    if the_plan is None:
        raise Http404(f"{year}年度立法计划尚未公布")
    congress: Congress = the_plan.congress
    items = list(the_plan.items.select_related("committee").order_by("sort_order", "pk"))
    return render(request, "legislation/plan_public.html", {
        "plan": the_plan, "congress": congress, "portal_name": portal_name(congress), "portal_section": "立法工作",
        "groups": [g for g in svc.by_kind(items) if g[2]],
        "adjustments": list(the_plan.adjustments.select_related("item")),
        "others": LegislativePlan.objects.filter(congress=congress, state=PlanState.PUBLISHED)
        .exclude(pk=the_plan.pk).order_by("-year").values_list("year", flat=True)})
